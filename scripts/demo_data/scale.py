"""Scale mode: a large, realistic merchant in the project's raw layout
(docs/definition/raw-inputs.md), built by DuckDB.

Used by ``generate_demo_data.py --scale N`` (and by ``scripts/benchmark.py``). Reference
scale R1 (``--scale 1``) is 1,000,000 storefront customers (Shopify 800k, BigCommerce
100k, Adobe Commerce 100k of which 30 % order for one of 10k companies), 10,000,000
orders over two years, 500,000 Sage customer rows and two Sage entities (UK01, IE01).
Every count scales linearly with N (R0.1, R10 ...).

Unlike the demo, nothing here is an expected answer: the data is drawn, row by row, from
seeded hashes of the row number, so the same seed and scale give the same rows (and the
same marts) on any machine, at any thread count. The rates of the traps are set in
``RATES`` (scale_settings.py) and printed in the dataset's README:

* most ordering customers are in the Sage master (matched on VAT number, account
  reference or e-mail, in varied formats and cases); a long tail of occasional buyers is
  not, and their orders post to the WEBSALES holding customer;
* returning customers whose Sage record has an old e-mail (same phone, or same postcode
  and name), inactive and deleted Sage rows, top-level rows restricted to the root
  (``RootOnly``), rows that live only in the other entity, B2B accounts without a VAT
  number on either side, guests, cancelled / test / deleted orders, placeholder phones,
  orders after the evaluation time and orders after the last Sage sync.

The entity field map of this merchant (Shopify, BigCommerce and Adobe store 1 post to
UK01; Adobe store 2 to IE01) is written to ``<out>/seeds/storefronts.csv``; a run on this
data uses it in place of the project's single-entity seed (see scripts/benchmark.py).

Files: ``<out>/<source>/<table>.parquet`` (typed columns, as a warehouse connector lands
them) or ``.csv`` (text, as exported), with exactly the columns of scripts/raw_tables.py.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from raw_tables import RAW_TABLES

from .scale_settings import GAP_AS_OF, RATES, SCALE_DATASET_VERSION, sizes_for
from .scale_tables import ScaleBuilder


def generate_scale(out: Path, scale: float, seed: int, fmt: str = "parquet",
                   threads: int | None = None, memory_limit: str | None = None,
                   log=print, increment: float = 0.0) -> dict[tuple[str, str], int]:
    """Write the scale dataset to ``out`` (with ``increment`` > 0: the base dataset plus
    that fraction of new customers and orders, one week later); returns row counts."""
    try:
        import duckdb
    except ImportError:  # pragma: no cover - message for a plain python3
        raise SystemExit(
            "--scale needs the duckdb package: run it with the project's virtual "
            "environment (make setup; .venv/bin/python scripts/generate_demo_data.py ...)")
    if fmt not in ("parquet", "csv"):
        raise SystemExit(f"--format must be parquet or csv, not {fmt!r}")
    if scale <= 0:
        raise SystemExit(f"--scale must be positive, not {scale}")
    out.mkdir(parents=True, exist_ok=True)
    spill = out / ".generator_tmp"
    con = duckdb.connect()
    settings = {"TimeZone": "UTC", "temp_directory": str(spill),
                "preserve_insertion_order": "true"}
    if threads:
        settings["threads"] = str(threads)
    if memory_limit:
        settings["memory_limit"] = memory_limit
    for key, value in settings.items():
        con.execute(f"set {key} = '{value}'")
    started = time.perf_counter()
    if increment < 0 or increment > 1:
        raise SystemExit(f"--increment must be a fraction between 0 and 1, not {increment}")
    builder = ScaleBuilder(con, scale, seed, log, increment)
    label = f"R{scale:g}" + (f" + {increment:g} increment" if increment else "")
    log(f"Scale dataset {label} (seed {seed}, {fmt}) -> {out}")
    builder.define_macros()
    builder.build_people()
    builder.build_sage_customers()
    builder.build_orders()
    builder.adobe_linked_fixup()
    counts: dict[tuple[str, str], int] = {}
    queries = builder.table_queries()
    for source, tables in RAW_TABLES.items():
        (out / source).mkdir(parents=True, exist_ok=True)
        for table, columns in tables.items():
            query = queries[source, table]
            column_list = select_list(con, query, columns, fmt)
            path = out / source / f"{table}.{fmt}"
            other = out / source / f"{table}.{'csv' if fmt == 'parquet' else 'parquet'}"
            if other.exists():
                other.unlink()
            options = ("format parquet, compression zstd, row_group_size 1000000" if fmt == "parquet"
                       else "format csv, header true, timestampformat '%Y-%m-%dT%H:%M:%SZ'")
            t0 = time.perf_counter()
            con.execute(f"copy (select {column_list} from ({query})) to '{path}' ({options})")
            n = con.execute(
                f"select count(*) from {'read_parquet' if fmt == 'parquet' else 'read_csv'}('{path}')"
            ).fetchone()[0]
            counts[source, table] = n
            log(f"  {source + '.' + table:<44} {time.perf_counter() - t0:6.1f} s  {n:>12,} rows")
    write_field_map(out)
    write_manifest(out, scale, seed, fmt, counts, increment, builder.shift_days)
    con.close()
    if spill.exists():
        for f in spill.iterdir():
            f.unlink()
        spill.rmdir()
    log(f"Done in {time.perf_counter() - started:.1f} s: {sum(counts.values()):,} rows.")
    return counts


def select_list(con, query: str, columns: list[str], fmt: str) -> str:
    """The table's columns in the raw layout's order. Timestamps are built in UTC without a time
    zone (fast arithmetic); Parquet stores them as timestamptz, as a connector lands
    them, and CSV writes them as ISO-8601 with a Z."""
    types = dict(con.execute(f"select column_name, column_type from (describe {query})").fetchall())
    items = []
    for column in columns:
        name = f'"{column}"'
        if types.get(column) == "TIMESTAMP" and fmt == "parquet":
            items.append(f"cast({name} as timestamptz) as {name}")
        else:
            items.append(name)
    return ", ".join(items)


def write_field_map(out: Path) -> None:
    seeds = out / "seeds"
    seeds.mkdir(exist_ok=True)
    (seeds / "storefronts.csv").write_text(
        "storefront,store_key,entity_id,default_customer_type\n"
        "shopify,*,UK01,dtc\n"
        "bigcommerce,*,UK01,b2b\n"
        "adobe_commerce,*,UK01,dtc\n"
        "adobe_commerce,2,IE01,dtc\n")


def write_manifest(out: Path, scale: float, seed: int, fmt: str,
                   counts: dict[tuple[str, str], int], increment: float = 0.0,
                   shift_days: int = 0) -> None:
    from datetime import datetime, timedelta
    as_of = datetime.fromisoformat(GAP_AS_OF) + timedelta(days=shift_days)
    manifest = {
        "version": SCALE_DATASET_VERSION,
        "scale": scale,
        "seed": seed,
        "format": fmt,
        "increment": increment,
        "gap_as_of": as_of.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sizes": sizes_for(scale),
        "rates": RATES,
        "rows": {f"{s}.{t}": n for (s, t), n in counts.items()},
    }
    (out / "dataset.json").write_text(json.dumps(manifest, indent=2) + "\n")
    flag = f" --increment {increment:g}" if increment else ""
    what = (f"R{scale:g} plus {increment:g} of its customers and orders as new data one week later"
            if increment else f"R{scale:g}")
    lines = [
        f"# Scale dataset {what}",
        "",
        f"Generated by `scripts/generate_demo_data.py --scale {scale:g} --seed {seed} "
        f"--format {fmt}{flag}`; evaluate at gap_as_of = {manifest['gap_as_of']}, with the field "
        "map in `seeds/storefronts.csv` (two Sage entities, UK01 and IE01).",
        "",
        "| table | rows |",
        "|---|---:|",
    ]
    lines += [f"| {s}.{t} | {n:,} |" for (s, t), n in counts.items()]
    lines += ["", "Rates of the population and of the traps:", ""]
    lines += [f"- {k}: {v}" for k, v in RATES.items()]
    (out / "README.md").write_text("\n".join(lines) + "\n")
