"""Print the card from the built marts: headline, change since the previous run, alerts,
cohorts, the B2B drill-down and the reconciliation table, in at most 100 columns. Amounts
carry their currency and cohorts and reasons read in words, as on the HTML card
(scripts/card_values.py).

Reads the DuckDB file read-only, after dbt has finished (DuckDB allows one writer or
many readers, never both at once): the working database (marts in schema `marts`) or a
published copy (`publish/current/ecom_sage_gap.duckdb`, tables in `main`).
"""
from __future__ import annotations

import argparse
import os
import sys
import textwrap
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parent.parent
WIDTH = 100


def card_values():
    """scripts/card_values.py, imported when the card is printed (html_card imports this
    module for its alert messages, so neither imports the other at load time)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import card_values

    return card_values


def table(rows: list[tuple], headers: list[str], align: str) -> str:
    """A plain text table; `align` holds one of '<' or '>' per column."""
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values: list[str]) -> str:
        return "  ".join(f"{v:{a}{w}}" for v, a, w in zip(values, align, widths)).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out)


def shown(amount) -> str:
    """An amount as the headline prints it: a figure per currency, said when mixed."""
    return amount.text + (" (mixed currencies, not summed)" if amount.is_mixed else "")


def alert_messages(gap: dict) -> list[tuple[str, str]]:
    """(kind, message) per alert that fires, worded as the alert tests word them: kind
    `alert` for the B2B gate (severity error), `warn` for the overall threshold."""
    entity = gap["entity_id"] or "the single entity"
    fired = []
    if gap["is_b2b_alert"]:
        fired.append(("alert", f"B2B absent {gap['absent_b2b_customers']} > threshold "
                               f"{gap['b2b_alert_threshold']} in {entity}"))
    if gap["is_alert"]:
        fired.append(("warn", f"Absent customers {gap['absent_customers']} > threshold "
                              f"{gap['alert_threshold']} in {entity}"))
    return fired


def use_marts_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Unqualified names find the working database's `marts` schema, or a published copy's `main`."""
    if con.execute("select count(*) from information_schema.schemata where schema_name = 'marts'").fetchone()[0]:
        con.execute("set search_path = 'marts,main'")


def signed(value) -> str:
    return f"{value:+,}" if isinstance(value, int) else f"{value:+,.2f}"


def change_since_previous(con: duckdb.DuckDBPyConnection, gap: dict) -> str:
    """One line: the headline numbers against the latest earlier as_of in the history."""
    try:
        row = con.execute(
            """select as_of, absent_customers, absent_b2b_customers, orders_attached
               from ecom_sage_customer_gap_history
               where entity_id is not distinct from ? and as_of < ?
               order by as_of desc limit 1""",
            [gap["entity_id"], gap["as_of"]]).fetchone()
    except duckdb.CatalogException:
        return "  since the previous run: no history in this database"
    if row is None:
        return "  since the previous run: none recorded before this one"
    as_of, absent, b2b, orders = row
    return textwrap.fill(
        f"since the previous run ({as_of:%d %b %Y %H:%M}): "
        f"absent {absent} -> {gap['absent_customers']} ({signed(gap['absent_customers'] - absent)}), "
        f"B2B {b2b} -> {gap['absent_b2b_customers']}, orders {orders} -> {gap['orders_attached']}",
        width=WIDTH, initial_indent="  ", subsequent_indent="    ")


def rejected_inputs(con: duckdb.DuckDBPyConnection) -> tuple[int, int] | None:
    """(rejected input rows, those that could affect the window), or None without the table."""
    try:
        return con.execute(
            "select count(*), count(*) filter (where could_affect_window) from ecom_sage_input_rejections"
        ).fetchone()
    except duckdb.CatalogException:
        return None


def print_sibling_cards(siblings: dict, values_of) -> None:
    """The VAT-mismatch card and the orders-without-a-Sage-order card, short."""
    mismatches = siblings["mismatches"]
    print(f"B2B customers in Sage whose VAT number disagrees: {len(mismatches)} (the VAT-mismatch card)")
    if mismatches:
        print(table([(m["customer_name"] or m["customer_key"], m["store_vat_numbers"],
                       m["sage_vat_number"] or "none", values_of.mismatch_label(m["mismatch"]))
                      for m in mismatches],
                     ["Customer", "Store VAT number", "Sage VAT number", "VAT number"], "<<<<"))
    print()
    orders = siblings["orders"]
    print(textwrap.fill(
        f"Orders without a Sage order: {len(orders)}, value {shown(siblings['orders_value'])} "
        f"({siblings['awaiting']} awaiting the next sync, {len(orders) - siblings['awaiting']} missing; "
        f"{siblings['absent_customers_orders']} from the absent customers above)", width=WIDTH))
    missing = [o for o in orders if o["sync_status"] == "missing"][:5]
    if missing:
        print(table([(o["storefront"], o["order_number"] or o["order_id"], f"{o['created_at']:%d %b %H:%M}",
                      f"{o['currency'] or ''} {o['order_total'] or 0:,.2f}".strip(),
                      "absent" if o["is_customer_absent"] else "in Sage")
                     for o in missing],
                    ["Storefront", "Order", "Placed", "Total", "Customer"], "<<<><"))
        print(f"  (the {len(missing)} largest missing; all in ecom_orders_without_sage_order)")
    print()


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
    use_marts_schema(con)
    try:
        entities = con.execute(
            "select * from ecom_sage_customer_gap order by entity_id nulls first").fetchall()
        columns = [d[0] for d in con.description]
    except duckdb.CatalogException:
        print("The marts are not built in this database: run `make demo` first.", file=sys.stderr)
        return 2

    rejected = rejected_inputs(con)
    values_of = card_values()
    amounts = values_of.Amounts(con)
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
        value = amounts.of_entity(gap["entity_id"], gap["order_value_attached"])
        print(textwrap.fill(
            f"ABSENT CUSTOMERS  {gap['absent_customers']}   "
            f"(B2B {gap['absent_b2b_customers']}, DTC {gap['absent_dtc_customers']})   "
            f"orders attached {gap['orders_attached']}   value {shown(value)}",
            width=WIDTH, initial_indent="  ", subsequent_indent="    ", break_on_hyphens=False))
        siblings = values_of.sibling_cards(con, gap["entity_id"])
        rate = siblings["rate"] if siblings else None
        if rate and rate["ordering_customers"]:
            print(f"  match rate {rate['match_rate']:.0%}: {rate['present_customers']} of "
                  f"{rate['ordering_customers']} ordering customers are in Sage "
                  f"(Sage active customers {rate['sage_active_customers']})")
        print(f"  suspected duplicates {gap['suspected_duplicates']}   "
              f"awaiting next sync {gap['awaiting_sync']}   sentiment {gap['sentiment']}")
        if gap["sage_last_synced_at"] and gap["sage_last_synced_at"] > gap["as_of"]:
            print(textwrap.fill(
                "  (the last Sage sync in the data came after this instant: when Sage synced before "
                "it cannot be known, so no customer reads as awaiting the next sync)",
                width=WIDTH, subsequent_indent="   "))
        if rejected is not None:
            total, affecting = rejected
            print(f"  rejected input rows {total}" + (
                f"   ({affecting} could change these numbers: see ecom_sage_input_rejections)" if affecting
                else ("   (none can change these numbers)" if total else "")))
        fired = alert_messages(gap)
        for kind, message in fired:
            print(f"  ALERT: {message}  ({'B2B gate FIRES' if kind == 'alert' else 'overall, warns'})")
        if not fired:
            print(f"  alerts: none (absent {gap['absent_customers']} <= threshold {gap['alert_threshold']}, "
                  f"B2B {gap['absent_b2b_customers']} <= threshold {gap['b2b_alert_threshold']})")
        print(change_since_previous(con, gap))
        print()

        cohorts = con.execute(
            """select cohort, cohort_label, customers, orders_attached, order_value
               from ecom_sage_customer_gap_cohorts
               where entity_id is not distinct from ? order by cohort_order""",
            [gap["entity_id"]]).fetchall()
        labels = {cohort: label for cohort, label, _, _, _ in cohorts}
        rows = [(label, n, o, amounts.of_cohort(gap["entity_id"], cohort, v).text)
                for cohort, label, n, o, v in cohorts]
        rows.append(("Ecom Customers Absent from Sage (this card)", gap["absent_customers"],
                     gap["orders_attached"], value.text))
        print(table(rows, ["Cohort", "Customers", "Orders", "Value"], "<>>>"))
        if any(amounts.of_cohort(gap["entity_id"], cohort, v).is_mixed for cohort, _, _, _, v in cohorts):
            print("  (a value with a figure per currency mixes currencies: they are not summed)")
        print()

        b2b_rows = con.execute(
            """select customer_key, customer_name, cohort, vat_number, orders_in_window,
                      order_value_in_window, recommended_action
               from ecom_sage_customer_gap_customers
               where entity_id is not distinct from ? and customer_type = 'b2b'
               order by order_value_in_window desc, customer_key
               limit ?""",
            [gap["entity_id"], args.top]).fetchall()
        print(f"Absent B2B customers (top {args.top} by order value): fix these first")
        if b2b_rows:
            print(table([(name, vat, orders, amounts.of_customer(gap["entity_id"], key, total).text)
                         for key, name, _, vat, orders, total, _ in b2b_rows],
                        ["Customer", "VAT number", "Orders", "Value"], "<<>>"))
            print("Recommended actions")
            for _, name, cohort, _, _, _, action in b2b_rows:
                print(textwrap.fill(f"{name} [{labels.get(cohort, cohort)}]: {action}", width=WIDTH,
                                    initial_indent="  - ", subsequent_indent="    "))
        else:
            print("  none")
        print()

        if siblings:
            print_sibling_cards(siblings, values_of)

        reasons = con.execute(
            """select reason, direction, customers_affected, orders_affected
               from ecom_sage_customer_gap_reconciliation
               where entity_id is not distinct from ? order by reason""",
            [gap["entity_id"]]).fetchall()
        print("Reconciliation: why a manual comparison reads differently")
        print(table([(values_of.reason_label(reason), *rest) for reason, *rest in reasons],
                    ["Reason", "Direction", "Customers", "Orders"], "<<>>"))

    if args.alert_status_file and Path(args.alert_status_file).exists():
        status = Path(args.alert_status_file).read_text().strip()
        print()
        if status == "0":
            print("Alert gate (dbt test --select tag:alert): PASSED. A scheduled run would succeed.")
        else:
            print(textwrap.fill("Alert gate (dbt test --select tag:alert): FAILED. A scheduled run "
                                "(scripts/scheduled_run.py) would exit 1 here (see target/alert_gate.log).",
                                width=WIDTH))
    con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
