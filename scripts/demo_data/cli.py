"""Generate the embedded demo data: the card's worked example as raw CSV files.

The command line of scripts/generate_demo_data.py: the demo by default, the scale
dataset with --scale."""

from __future__ import annotations

import argparse
from pathlib import Path

from raw_tables import iter_tables

from .builder import DemoBuilder
from .constants import (
    COHORTS,
    DEFAULT_FIXTURES,
    DEFAULT_OUT,
    DEFAULT_SEED,
    EXPECTED_ABSENT_COLUMNS,
    EXPECTED_MATCH_RATE_COLUMNS,
    EXPECTED_ORDERS_WITHOUT_SAGE_ORDER_COLUMNS,
    EXPECTED_RECONCILIATION_COLUMNS,
    EXPECTED_VAT_MISMATCH_COLUMNS,
    GAP_AS_OF,
    GAP_WINDOW_DAYS,
    REPO_ROOT,
    SAGE_LAST_SYNC,
)
from .readme import readme_text
from .rows import (
    TABLE_WRITERS,
    assign_address_ids,
    expected_absent_rows,
    expected_match_rate_rows,
    expected_orders_without_sage_order_rows,
    expected_reconciliation_rows,
    expected_vat_mismatch_rows,
    orders_without_sage_order,
    write_csv,
)
from .values import fmt_ts


def generate(out: Path, seed: int, expected_dir: Path) -> dict[tuple[str, str], int]:
    model = DemoBuilder(seed).build()
    assign_address_ids(model)
    counts = {}
    for source, table, columns in iter_tables():
        counts[(source, table)] = write_csv(out / source / f"{table}.csv", columns,
                                            TABLE_WRITERS[(source, table)](model))
    write_csv(expected_dir / "demo_expected_absent_customers.csv", EXPECTED_ABSENT_COLUMNS,
              expected_absent_rows(model))
    write_csv(expected_dir / "demo_expected_reconciliation.csv", EXPECTED_RECONCILIATION_COLUMNS,
              expected_reconciliation_rows(model))
    write_csv(expected_dir / "demo_expected_vat_mismatch.csv", EXPECTED_VAT_MISMATCH_COLUMNS,
              expected_vat_mismatch_rows(model))
    write_csv(expected_dir / "demo_expected_match_rate.csv", EXPECTED_MATCH_RATE_COLUMNS,
              expected_match_rate_rows(model))
    write_csv(expected_dir / "demo_expected_orders_without_sage_order.csv",
              EXPECTED_ORDERS_WITHOUT_SAGE_ORDER_COLUMNS,
              expected_orders_without_sage_order_rows(model))
    (out / "README.md").write_text(readme_text(model, counts, seed), encoding="utf-8")
    print_summary(model, counts, out, expected_dir)
    return counts


def print_summary(m: DemoBuilder, counts, out: Path, expected_dir: Path) -> None:
    total_bytes = sum((out / s / f"{t}.csv").stat().st_size for s, t in counts)
    print(f"Wrote {len(counts)} CSV files under {out} ({total_bytes / 1024:.0f} KiB):")
    for (source, table), rows in counts.items():
        print(f"  {source}/{table}.csv: {rows} rows")
    print(f"Expected answers under {expected_dir}")
    print(f"Evaluate at {fmt_ts(GAP_AS_OF)}, {GAP_WINDOW_DAYS} days; last Sage sync "
          f"{fmt_ts(SAGE_LAST_SYNC)}")
    print("Expected absent customers by cohort:")
    for cohort in COHORTS:
        chosen = [c for c in m.cases if c.cohort == cohort]
        labels = " ".join(c.label for c in chosen)
        print(f"  {cohort:<28} {len(chosen):>2} customers {sum(len(c.orders) for c in chosen):>3}"
              f" orders  {labels}")
    print(f"  {'total':<28} {len(m.cases):>2} customers "
          f"{sum(len(c.orders) for c in m.cases):>3} orders")
    mismatches = [c for c in m.vat_cases if c.mismatch]
    print(f"VAT mismatches: {len(mismatches)} ({' '.join(c.label for c in mismatches)})")
    (_, ordering, present, absent, *_), = expected_match_rate_rows(m)
    print(f"Ordering customers {ordering}: present {present}, absent {absent}")
    listed = orders_without_sage_order(m)
    print(f"Orders without a Sage order: {len(listed)} "
          f"(value {sum(o.total for o in listed) / 100:.2f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output directory (default: data/demo)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"random seed of the present population (default {DEFAULT_SEED})")
    parser.add_argument("--expected-dir", type=Path, default=None,
                        help="where to write the expected-answer CSVs (default: "
                             "tests_py/fixtures for the default --out, else <out>/expected)")
    parser.add_argument("--scale", type=float, default=None,
                        help="write the scale dataset at this multiple of R1 (1 = 1M customers, "
                             "10M orders) instead of the demo; default --out data/scale/r<N>")
    parser.add_argument("--format", choices=("parquet", "csv"), default=None,
                        help="file format (scale mode only; default parquet)")
    parser.add_argument("--threads", type=int, default=None,
                        help="DuckDB threads for the scale mode (default: all cores)")
    parser.add_argument("--memory-limit", default=None,
                        help="DuckDB memory_limit for the scale mode, e.g. 8GB")
    parser.add_argument("--increment", type=float, default=0.0,
                        help="scale mode: write the dataset one week later, with this fraction "
                             "of new customers and orders added (e.g. 0.01); default --out "
                             "data/scale/r<N>-inc<F>")
    args = parser.parse_args(argv)
    if args.scale is not None:
        from .scale import generate_scale  # noqa: PLC0415 - needs duckdb
        default_name = f"r{args.scale:g}" + (f"-inc{args.increment:g}" if args.increment else "")
        out = args.out if args.out != DEFAULT_OUT else REPO_ROOT / "data" / "scale" / default_name
        generate_scale(out.resolve(), args.scale, args.seed, args.format or "parquet",
                       threads=args.threads, memory_limit=args.memory_limit,
                       increment=args.increment)
        return 0
    if args.increment:
        parser.error("--increment needs --scale")
    if args.format not in (None, "csv"):
        parser.error("the demo is written as CSV; --format parquet needs --scale")
    out = args.out.resolve()
    expected_dir = args.expected_dir or (
        DEFAULT_FIXTURES if out == DEFAULT_OUT.resolve() else out / "expected")
    generate(out, args.seed, expected_dir)
    return 0
