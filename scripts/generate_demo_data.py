#!/usr/bin/env python3
"""Generate the embedded demo data: the card's worked example as raw CSV files.

The demo merchant is a UK business on Sage Intacct (single entity, GBP) selling through
Shopify (DTC plus a few wholesale accounts), a BigCommerce B2B portal and an Adobe
Commerce store with B2B company accounts. Evaluated at gap_as_of = 2026-04-14T09:00:00Z
over 7 days, the marts must read 34 absent customers and 51 attached orders:

    dtc_new                       21 customers  21 orders
    dtc_returning_email_changed    6 customers   9 orders
    b2b_new_account                5 customers  14 orders
    b2b_vat_not_keyed              2 customers   7 orders

The generator (scripts/demo_data/) builds an in-memory model of people, companies,
storefront records, orders and Sage rows. A fixed cast of cases (the absent customers
and the traps of the card) is built first with explicit intent; a random but seeded
"present" population is built around it without ever reusing a cast name, e-mail, phone,
postcode or VAT number, so it cannot change the expected answer. The expected absent
customers and reconciliation counts are written from the intent of each case, never by
re-running the matching rules.

The sibling cards' cases (trade accounts whose VAT number Sage lacks or holds differently,
orders without a Sage sales order) and the sales orders of the nightly Sage sync come after
the worked example, from a generator of their own and with ids after the worked example's,
so they only append rows. Their expected answers (the VAT mismatch list, the match rate,
the orders without a Sage order) are written the same way, from intent.

Usage:
    .venv/bin/python scripts/generate_demo_data.py [--out data/demo] [--seed N] [--expected-dir DIR]
    .venv/bin/python scripts/generate_demo_data.py --scale 1 [--format parquet|csv] [--out DIR]

With --scale N the script writes a large merchant instead (R1 = 1M customers, 10M orders,
500k Sage rows, two entities; see scripts/demo_data/scale.py), built by DuckDB, with no
expected-answer files.

Both modes read the raw table layout from the dbt sources YAML (scripts/raw_tables.py,
PyYAML), so they run with the project's virtual environment (make setup).

Output: <out>/<source>/<table>.csv (the layout of docs/definition/raw-inputs.md),
<out>/README.md, and the
expected-answer fixtures (default tests_py/fixtures when --out is the default demo path,
else <out>/expected). Same seed -> byte-identical files.
"""

import sys
from pathlib import Path

# The package and scripts/raw_tables.py sit beside this file; put this folder on the path
# so the imports work however the script is started.
sys.path.insert(0, str(Path(__file__).resolve().parent))
try:
    import yaml  # noqa: F401  (scripts/raw_tables.py reads the sources YAML with it)
except ImportError:  # pragma: no cover - message for a python3 without the project's packages
    raise SystemExit("generate_demo_data.py needs the project's virtual environment: make setup, "
                     "then .venv/bin/python scripts/generate_demo_data.py ...") from None
from demo_data.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
