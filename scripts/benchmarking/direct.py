"""Step 4: the compiled SQL of every model (from target/manifest.json) run directly in
DuckDB in DAG order, without dbt, and its marts compared with dbt's."""

from __future__ import annotations

import argparse
import heapq
import time
from pathlib import Path

import duckdb
import yaml
from mart_snapshot import MARTS

from .dbt_runs import dbt_env, dbt_vars, load_manifest, relations_by_name, remove_database
from .memory import PeakOfThisProcess, run_measured
from .results import BenchmarkResult, Dataset, DirectResult, NodeTiming, RelationCheck
from .settings import (
    DB_FILE_NAME, GB, MART_PREFIX, PROFILE_TEMPLATE, TOP_N, VENV_BIN, StepFailed, quote,
)


def model_nodes(manifest: dict) -> dict[str, dict]:
    return {uid: node for uid, node in manifest["nodes"].items()
            if node["resource_type"] == "model" and node.get("config", {}).get("enabled", True)}


def topological_order(models: dict[str, dict]) -> list[str]:
    """Kahn's algorithm over depends_on.nodes (models only); ties broken by unique_id."""
    dependencies = {uid: {dep for dep in node.get("depends_on", {}).get("nodes", []) if dep in models}
                    for uid, node in models.items()}
    dependents: dict[str, list[str]] = {uid: [] for uid in models}
    for uid, deps in dependencies.items():
        for dep in deps:
            dependents[dep].append(uid)
    remaining = {uid: len(deps) for uid, deps in dependencies.items()}
    ready = [uid for uid, count in remaining.items() if count == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        uid = heapq.heappop(ready)
        order.append(uid)
        for dependent in dependents[uid]:
            remaining[dependent] -= 1
            if remaining[dependent] == 0:
                heapq.heappush(ready, dependent)
    if len(order) != len(models):
        raise StepFailed("the model graph has a cycle: " + ", ".join(sorted(set(models) - set(order))))
    return order


def manifest_with_compiled_code(project: Path, work_dir: Path, dataset: Dataset,
                                args: argparse.Namespace, result: DirectResult) -> dict:
    """The build's manifest when every model has compiled_code, else one from dbt compile
    (--full-refresh, so incremental models compile as their first build)."""
    manifest = load_manifest(project)
    models = model_nodes(manifest)
    missing = sorted(node["name"] for node in models.values()
                     if node.get("config", {}).get("materialized") != "ephemeral"
                     and not node.get("compiled_code"))
    if not missing:
        print(f"  The build's manifest has compiled_code for all {len(models)} models")
        return manifest
    print(f"  {len(missing)} models have no compiled_code in the build's manifest "
          f"({', '.join(missing[:5])}...); running dbt compile")
    database = work_dir / DB_FILE_NAME
    cmd = [str(VENV_BIN / "dbt"), "compile", "--full-refresh", "--vars", dbt_vars(dataset, work_dir)]
    log_path = work_dir / "dbt_compile.log"
    run = run_measured(cmd, cwd=project, env=dbt_env(project, database, work_dir / "duckdb_tmp", args),
                       log_path=log_path, label="dbt compile")
    if run.returncode != 0:
        raise StepFailed(f"dbt compile exited with {run.returncode}; see {log_path}")
    result.used_compile = True
    manifest = load_manifest(project)
    still_missing = [node["name"] for node in model_nodes(manifest).values()
                     if node.get("config", {}).get("materialized") != "ephemeral"
                     and not node.get("compiled_code")]
    if still_missing:
        raise StepFailed("no compiled_code even after dbt compile for: " + ", ".join(still_missing))
    return manifest


def profile_fixed_settings() -> dict[str, str]:
    """The DuckDB settings the profile sets to fixed values (not from environment
    variables), so the direct replay runs with the same engine settings as dbt."""
    profile = yaml.safe_load(PROFILE_TEMPLATE.read_text(encoding="utf-8"))
    fixed: dict[str, str] = {}
    for outputs in (target.get("outputs", {}) for target in profile.values()):
        for output in outputs.values():
            options = {**(output.get("config_options") or {}), **(output.get("settings") or {})}
            for key, value in options.items():
                if "{{" not in str(value):
                    fixed[key] = str(value).lower() if isinstance(value, bool) else str(value)
    return fixed


def apply_settings(con: duckdb.DuckDBPyConnection, settings: dict[str, str]) -> None:
    for key, value in settings.items():
        con.execute(f"set {key} = '{value.replace(chr(39), chr(39) * 2)}'")


def direct_replay(manifest: dict, dbt_database: Path, work_dir: Path, args: argparse.Namespace,
                  result: DirectResult) -> Path:
    """Run every model's compiled SQL in DuckDB in DAG order; fills result, returns the db path."""
    direct_dir = work_dir / "direct"
    direct_dir.mkdir(parents=True, exist_ok=True)
    database = direct_dir / dbt_database.name
    remove_database(database)
    temp_dir = direct_dir / "duckdb_tmp"
    temp_dir.mkdir(exist_ok=True)
    models = model_nodes(manifest)
    order = topological_order(models)
    seeds = [node for node in manifest["nodes"].values() if node["resource_type"] == "seed"]
    catalog = database.stem
    catalogs = {node["database"] for node in list(models.values()) + seeds}
    if catalogs != {catalog}:
        raise StepFailed(f"the manifest's databases {sorted(catalogs)} are not {catalog!r}")
    settings = {**profile_fixed_settings(),
                "threads": str(args.threads), "memory_limit": args.memory_limit,
                "temp_directory": str(temp_dir), "TimeZone": "UTC"}
    print(f"  Replaying {len(order)} models into {database} "
          f"(settings: {', '.join(f'{k}={v}' for k, v in settings.items())})", flush=True)
    peak = PeakOfThisProcess()  # DuckDB runs in this process
    try:
        with peak:
            replay_models(database, dbt_database, models, order, seeds, settings, result)
    finally:
        result.peak_rss_bytes = peak.bytes
    return database


def replay_models(database: Path, dbt_database: Path, models: dict[str, dict], order: list[str],
                  seeds: list[dict], settings: dict[str, str], result: DirectResult) -> None:
    """The replay itself: the seeds copied from dbt's database, then every model's SQL."""
    catalog = database.stem
    started = time.perf_counter()
    con = duckdb.connect(str(database))
    try:
        apply_settings(con, settings)
        con.execute(f"attach '{dbt_database}' as dbt_built (read_only)")
        for schema in sorted({node["schema"] for node in list(models.values()) + seeds}):
            con.execute(f"create schema if not exists {quote(catalog)}.{quote(schema)}")
        t0 = time.perf_counter()
        for seed in seeds:
            schema, alias = seed["schema"], seed.get("alias") or seed["name"]
            con.execute(f"create or replace table {quote(catalog)}.{quote(schema)}.{quote(alias)} as "
                        f"select * from dbt_built.{quote(schema)}.{quote(alias)}")
        result.seed_copy_s = time.perf_counter() - t0
        models_started = time.perf_counter()
        for uid in order:
            node = models[uid]
            materialized = node.get("config", {}).get("materialized", "view")
            if materialized == "ephemeral":
                continue  # inlined as a CTE into the compiled code of its dependents
            kind = "view" if materialized == "view" else "table"
            relation = ".".join(quote(part) for part in
                                (node["database"], node["schema"], node.get("alias") or node["name"]))
            sql = node["compiled_code"].strip().rstrip(";")
            t0 = time.perf_counter()
            try:
                con.execute(f"create or replace {kind} {relation} as (\n{sql}\n)")
            except duckdb.Error as error:
                raise StepFailed(f"model {node['name']} failed in the direct replay: {error}") from error
            result.timings.append(NodeTiming(name=node["name"], kind=materialized,
                                             seconds=time.perf_counter() - t0))
        result.models_s = time.perf_counter() - models_started
        result.model_count = len(result.timings)
    finally:
        con.close()
        result.wall_s = time.perf_counter() - started


def relation_columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    return [row[0] for row in con.execute(f"describe {relation}").fetchall()]


def compare_relation(con: duckdb.DuckDBPyConnection, name: str, left: str, right: str,
                     excluded: set[str] | None = None) -> RelationCheck:
    """Row counts and EXCEPT ALL both ways of two relations in one connection."""
    excluded = excluded or set()
    try:
        left_columns = [c for c in relation_columns(con, left) if c not in excluded]
        right_columns = [c for c in relation_columns(con, right) if c not in excluded]
    except duckdb.Error as error:
        return RelationCheck(name=name, rows_left=None, rows_right=None, note=f"cannot read: {error}")
    rows_left = con.execute(f"select count(*) from {left}").fetchone()[0]
    rows_right = con.execute(f"select count(*) from {right}").fetchone()[0]
    if sorted(left_columns) != sorted(right_columns):
        only_left = sorted(set(left_columns) - set(right_columns))
        only_right = sorted(set(right_columns) - set(left_columns))
        return RelationCheck(name=name, rows_left=rows_left, rows_right=rows_right,
                             note=f"columns differ: only left {only_left}, only right {only_right}")
    # Columns are matched by name: a model with an enforced contract gets the column
    # order of its YAML from dbt, and the order of its SELECT when run directly.
    columns = ", ".join(quote(c) for c in right_columns)
    only_left = con.execute(f"select count(*) from (select {columns} from {left} "
                            f"except all select {columns} from {right})").fetchone()[0]
    only_right = con.execute(f"select count(*) from (select {columns} from {right} "
                             f"except all select {columns} from {left})").fetchone()[0]
    return RelationCheck(name=name, rows_left=rows_left, rows_right=rows_right,
                         only_left=only_left, only_right=only_right,
                         order_differs=left_columns != right_columns)


def check_direct_marts(manifest: dict, direct_db: Path, dbt_database: Path) -> list[RelationCheck]:
    """The ecom_sage_customer_gap* marts of the direct replay against dbt's."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"attach '{direct_db}' as direct_sql (read_only)")
        con.execute(f"attach '{dbt_database}' as dbt_built (read_only)")
        checks = []
        for name, (schema, alias) in sorted(relations_by_name(manifest).items()):
            if name not in MARTS:  # the history accumulates runs: not one build's output
                continue
            relation = f"{quote(schema)}.{quote(alias)}"
            checks.append(compare_relation(con, name, f"direct_sql.{relation}", f"dbt_built.{relation}"))
    finally:
        con.close()
    return checks


def run_direct_step(project: Path, work_dir: Path, dataset: Dataset, args: argparse.Namespace,
                    result: BenchmarkResult) -> None:
    direct = result.direct = DirectResult()
    dbt_database = work_dir / DB_FILE_NAME
    manifest = manifest_with_compiled_code(project, work_dir, dataset, args, direct)
    direct_db = direct_replay(manifest, dbt_database, work_dir, args, direct)
    print(f"  Direct SQL: {direct.wall_s:.1f} s wall ({direct.model_count} models in "
          f"{direct.models_s:.1f} s, seeds copied in {direct.seed_copy_s:.2f} s)"
          + (f", peak RSS {direct.peak_rss_bytes / GB:.2f} GB (this process)"
             if direct.peak_rss_bytes else ""))
    print("  Slowest models without dbt:")
    for timing in sorted(direct.timings, key=lambda t: t.seconds, reverse=True)[:TOP_N]:
        dbt_s = result.build.node_seconds.get(timing.name)
        print(f"    {timing.seconds:8.2f} s  {timing.name} ({timing.kind})"
              + (f"   dbt: {dbt_s:.2f} s" if dbt_s is not None else ""))
    print(f"  Ratio dbt build wall / direct SQL wall: {result.build.wall_s / direct.wall_s:.2f}")
    direct.checks = check_direct_marts(manifest, direct_db, dbt_database)
    for check in direct.checks:
        print(f"  {check.name}: {'match' if check.identical else 'MISMATCH'} ({check.describe()})")
    if not direct.checks:
        raise StepFailed(f"no {MART_PREFIX}* model found to compare")
    if not direct.checks_ok:
        raise StepFailed("the direct replay's marts differ from dbt's")


# --------------------------------------------------------------------------------------
# Step 5: incremental
