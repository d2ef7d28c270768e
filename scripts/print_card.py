"""Print the card from the built marts: headline, cohorts, alerts, the B2B drill-down
and the reconciliation table.

Reads the DuckDB file read-only, after dbt has finished (DuckDB allows one writer or
many readers, never both at once).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parent.parent


def table(rows: list[tuple], headers: list[str], align: str) -> str:
    """A plain text table; `align` holds one of '<' or '>' per column."""
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values: list[str]) -> str:
        return "  ".join(f"{v:{a}{w}}" for v, a, w in zip(values, align, widths)).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out)


def money(value) -> str:
    return f"{value:,.2f}" if value is not None else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", default=os.environ.get(
        "ECOM_SAGE_GAP_DUCKDB_PATH", str(PROJECT_DIR / "ecom_sage_gap.duckdb")))
    parser.add_argument("--alert-status-file", default=None,
                        help="file holding the exit code of `dbt test --select tag:alert`")
    parser.add_argument("--top", type=int, default=10, help="absent B2B customers to list")
    args = parser.parse_args()

    if not Path(args.database).exists():
        print(f"No database at {args.database}: run `make demo` (or dbt build) first.", file=sys.stderr)
        return 2
    con = duckdb.connect(args.database, read_only=True)
    # The working database keeps the marts in schema `marts`; a published copy in `main`.
    con.execute("set search_path = 'marts,main'")
    try:
        entities = con.execute(
            "select * from ecom_sage_customer_gap order by entity_id nulls first").fetchall()
        columns = [d[0] for d in con.description]
    except duckdb.CatalogException:
        print("The marts are not built in this database: run `make demo` first.", file=sys.stderr)
        return 2

    for values in entities:
        gap = dict(zip(columns, values))
        entity = gap["entity_id"] or "single entity"
        print()
        print(f"Ecom Customers Absent from Sage  [{entity}]")
        print(f"as of {gap['as_of']:%d %b %Y %H:%M} UTC, last {gap['window_days']} days"
              f" (scope: {gap['gap_scope']}; last Sage sync "
              f"{gap['sage_last_synced_at']:%d %b %Y %H:%M} UTC)" if gap["sage_last_synced_at"]
              else f"as of {gap['as_of']:%d %b %Y %H:%M} UTC, last {gap['window_days']} days")
        print()
        print(f"  ABSENT CUSTOMERS  {gap['absent_customers']}   "
              f"(B2B {gap['absent_b2b_customers']}, DTC {gap['absent_dtc_customers']})   "
              f"orders attached {gap['orders_attached']}   value {money(gap['order_value_attached'])}")
        print(f"  suspected duplicates {gap['suspected_duplicates']}   "
              f"awaiting next sync {gap['awaiting_sync']}   sentiment {gap['sentiment']}")
        overall = "FIRES" if gap["is_alert"] else "ok"
        b2b = "FIRES" if gap["is_b2b_alert"] else "ok"
        print(f"  alert: overall {gap['absent_customers']} > {gap['alert_threshold']}? {overall}   "
              f"B2B {gap['absent_b2b_customers']} > {gap['b2b_alert_threshold']}? {b2b}")
        print()

        cohorts = con.execute(
            """select cohort_label, customers, orders_attached, order_value
               from ecom_sage_customer_gap_cohorts
               where entity_id is not distinct from ? order by cohort_order""",
            [gap["entity_id"]]).fetchall()
        rows = [(label, n, o, money(v)) for label, n, o, v in cohorts]
        rows.append(("Ecom Customers Absent from Sage (this card)", gap["absent_customers"],
                     gap["orders_attached"], money(gap["order_value_attached"])))
        print(table(rows, ["Cohort", "Customers", "Orders (window)", "Value"], "<>>>"))
        print()

        b2b_rows = con.execute(
            """select customer_name, cohort, vat_number, orders_in_window,
                      order_value_in_window, recommended_action
               from ecom_sage_customer_gap_customers
               where entity_id is not distinct from ? and customer_type = 'b2b'
               order by order_value_in_window desc, customer_key
               limit ?""",
            [gap["entity_id"], args.top]).fetchall()
        print(f"Absent B2B customers (top {args.top} by order value): fix these first")
        if b2b_rows:
            print(table([(n, c, v, o, money(val), a) for n, c, v, o, val, a in b2b_rows],
                        ["Customer", "Cohort", "VAT number", "Orders", "Value", "Recommended action"],
                        "<<<>><"))
        else:
            print("  none")
        print()

        reasons = con.execute(
            """select reason, direction, customers_affected, orders_affected
               from ecom_sage_customer_gap_reconciliation
               where entity_id is not distinct from ? order by reason""",
            [gap["entity_id"]]).fetchall()
        print("Reconciliation: why a manual comparison reads differently")
        print(table(reasons, ["Reason", "Direction", "Customers", "Orders"], "<<>>"))

    if args.alert_status_file and Path(args.alert_status_file).exists():
        status = Path(args.alert_status_file).read_text().strip()
        print()
        if status == "0":
            print("Alert gate (dbt test --select tag:alert): PASSED. A scheduled run would succeed.")
        else:
            print("Alert gate (dbt test --select tag:alert): FAILED. A scheduled `make schedule` "
                  "run would exit non-zero here (see target/alert_gate.log).")
    con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
