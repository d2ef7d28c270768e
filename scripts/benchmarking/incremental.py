"""Step 5: the scheduled run on the increment dataset, and its marts against a full
refresh of the same data."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import duckdb
from mart_snapshot import MARTS

from .dataset import ensure_dataset
from .dbt_runs import (
    load_manifest, print_headline, read_headline, relations_by_name, remove_database,
    require_ok, run_dbt_build,
)
from .direct import compare_relation, relation_columns
from .results import BenchmarkResult, Dataset, IncrementalResult, RelationCheck
from .settings import DB_FILE_NAME, HEADLINE_MART, RUN_TIMESTAMP_COLUMN, StepFailed, quote


def compare_marts(incremental_db: Path, full_db: Path, manifest: dict,
                  result: IncrementalResult) -> None:
    relations = relations_by_name(manifest)
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"attach '{incremental_db}' as incremental_run (read_only)")
        con.execute(f"attach '{full_db}' as full_refresh (read_only)")
        excluded: set[str] = set()
        for mart in MARTS:
            if mart not in relations:
                result.checks.append(RelationCheck(name=mart, rows_left=None, rows_right=None,
                                                   note="not in the manifest"))
                continue
            schema, alias = relations[mart]
            relation = f"{quote(schema)}.{quote(alias)}"
            try:
                columns = relation_columns(con, f"incremental_run.{relation}")
            except duckdb.Error:
                columns = []
            mart_excluded = {c for c in columns if RUN_TIMESTAMP_COLUMN.match(c)}
            excluded |= {f"{mart}.{c}" for c in mart_excluded}
            result.checks.append(compare_relation(con, mart, f"incremental_run.{relation}",
                                                  f"full_refresh.{relation}", mart_excluded))
        result.excluded_columns = sorted(excluded)
    finally:
        con.close()


def run_incremental_step(project: Path, work_dir: Path, base: Dataset, args: argparse.Namespace,
                         result: BenchmarkResult) -> None:
    inc = result.incremental = IncrementalResult()
    inc_dir = incremental_dir(args)
    inc.dataset = ensure_dataset(inc_dir, args, work_dir / "generate_increment.log",
                                 increment=args.increment,
                                 force_reason=increment_regeneration_reason(args, base, inc_dir))
    if inc.dataset.gap_as_of == base.gap_as_of:
        result.warnings.append(f"the increment's gap_as_of equals the base's ({base.gap_as_of})")
    field_map = inc.dataset.path / "seeds" / "storefronts.csv"
    project_map = project / "seeds" / "storefronts.csv"
    if field_map.exists() and field_map.read_bytes() != project_map.read_bytes():
        result.warnings.append("the increment's seeds/storefronts.csv differs from the base's; "
                               "the increment runs use the increment's")
        shutil.copy2(field_map, project_map)
    dbt_database = work_dir / DB_FILE_NAME
    print(f"\n  Incremental run on {dbt_database} (gap_as_of {inc.dataset.gap_as_of})")
    inc.incremental = run_dbt_build("incremental build", project, work_dir, inc.dataset,
                                    dbt_database, args, "dbt_incremental.log")
    require_ok(inc.incremental)
    manifest = load_manifest(project)
    inc.headline = read_headline(dbt_database, relations_by_name(manifest)[HEADLINE_MART])
    print_headline(inc.headline)
    full_dir = work_dir / "increment_full"
    full_dir.mkdir(parents=True, exist_ok=True)
    full_db = full_dir / DB_FILE_NAME
    remove_database(full_db)
    print(f"\n  Full refresh of the increment into {full_db}")
    inc.full_refresh = run_dbt_build("increment full refresh", project, work_dir, inc.dataset,
                                     full_db, args, "dbt_increment_full.log", full_refresh=True)
    require_ok(inc.full_refresh)
    compare_marts(dbt_database, full_db, manifest, inc)
    for check in inc.checks:
        print(f"  {check.name}: {check.describe()}")
    if inc.excluded_columns:
        print(f"  Left out of the comparison (run timestamps): {', '.join(inc.excluded_columns)}")
    if not inc.checks_ok:
        raise StepFailed("the incremental marts differ from a full refresh of the same data")


def increment_regeneration_reason(args: argparse.Namespace, base: Dataset,
                                  inc_dir: Path) -> str | None:
    """An increment must come from the same generator as its base: regenerate it when
    asked, when the base was generated in this run, or when it is older than the base."""
    if args.regenerate:
        return "--regenerate"
    if base.generated:
        return "the base dataset was generated in this run"
    inc_meta, base_meta = inc_dir / "dataset.json", base.path / "dataset.json"
    if inc_meta.exists() and inc_meta.stat().st_mtime < base_meta.stat().st_mtime:
        return "it is older than the base dataset"
    return None


def incremental_dir(args: argparse.Namespace) -> Path:
    if args.increment_dir:
        return Path(args.increment_dir).resolve()
    data_dir = Path(args.data_dir).resolve()
    return data_dir.with_name(f"{data_dir.name}-inc{args.increment:g}")


# --------------------------------------------------------------------------------------
# Step 4 on Spark: the same build on DuckDB, and its marts against Spark's
