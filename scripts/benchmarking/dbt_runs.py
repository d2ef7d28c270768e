"""Steps 2 and 3: the project copy, and dbt builds run and measured in it; the headline
of the card's mart."""

from __future__ import annotations

import argparse
import json
import os
import shutil
from collections import Counter
from pathlib import Path

import duckdb

from .memory import run_measured
from .results import BuildResult, Dataset, Headline, NodeTiming, format_counts, format_parts
from .settings import (
    GB, HEADLINE_COLUMNS, ORDER_COLUMNS, PROFILE_ENV_VARS, PROFILE_TEMPLATE, PROJECT_ITEMS,
    REPO_ROOT, REQUIRED_PROJECT_ITEMS, SPARK_DRIVER_MEMORY_VAR, SPARK_WAREHOUSE, TOP_N,
    VENV_BIN, StepFailed, quote,
)


def prepare_project(work_dir: Path, dataset: Dataset, warnings: list[str],
                    target: str = "duckdb") -> Path:
    """A fresh copy of the dbt project in <work-dir>/project with the dataset's field map."""
    project = work_dir / "project"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    for item in PROJECT_ITEMS:
        source = REPO_ROOT / item
        if source.is_dir():
            shutil.copytree(source, project / item,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif source.is_file():
            shutil.copy2(source, project / item)
        elif item in REQUIRED_PROJECT_ITEMS:
            raise StepFailed(f"{source} is missing")
        else:
            warnings.append(f"{item} is missing from the repository; not copied")
    for packages_file in ("packages.yml", "dependencies.yml"):
        if (REPO_ROOT / packages_file).exists():
            warnings.append(f"{packages_file} exists but the benchmark does not run dbt deps")
    if not PROFILE_TEMPLATE.exists():
        raise StepFailed(f"{PROFILE_TEMPLATE} is missing (run `make setup` in {REPO_ROOT})")
    profile = PROFILE_TEMPLATE.read_text(encoding="utf-8")
    (project / "profiles.yml").write_text(profile, encoding="utf-8")
    read_vars = PROFILE_ENV_VARS + ((SPARK_DRIVER_MEMORY_VAR,) if target == "spark" else ())
    ignored = [name for name in read_vars if name not in profile]
    if ignored:
        warnings.append("profiles.yml.example does not read " + ", ".join(ignored)
                        + ": dbt runs with the profile's own values for those settings")
    field_map = dataset.path / "seeds" / "storefronts.csv"
    if not field_map.exists():
        raise StepFailed(f"{field_map} is missing: the dataset has no field map")
    shutil.copy2(field_map, project / "seeds" / "storefronts.csv")
    print(f"  Project copy: {project} (field map from {field_map})")
    return project


# --------------------------------------------------------------------------------------
# Step 3: dbt builds


def remove_database(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal")):
        if candidate.exists():
            candidate.unlink()


def dbt_env(project: Path, database: Path, temp_dir: Path, args: argparse.Namespace,
            target: str = "duckdb") -> dict[str, str]:
    env = os.environ.copy()
    for name in ("DBT_PROJECT_DIR", "DBT_TARGET_PATH", "DBT_LOG_PATH", "DBT_TARGET", "DBT_PROFILE"):
        env.pop(name, None)
    env.update({
        "DBT_PROFILES_DIR": str(project),
        "ECOM_SAGE_GAP_DUCKDB_PATH": str(database),
        "ECOM_SAGE_GAP_THREADS": str(args.threads),
        "ECOM_SAGE_GAP_MEMORY_LIMIT": args.memory_limit,
        "ECOM_SAGE_GAP_TEMP_DIRECTORY": str(temp_dir),
        "DBT_USE_COLORS": "false",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "PYTHONUNBUFFERED": "1",
    })
    if target == "spark":
        # The JVM's heap (profiles.yml.example passes it as spark.driver.memory), and
        # Spark's scratch space (shuffle and spill files, Hive's session folders, the
        # JVM's and Python's temporary files) in the work dir, not /tmp.
        env[SPARK_DRIVER_MEMORY_VAR] = args.spark_driver_memory
        spark_tmp = temp_dir.parent / "spark_tmp"
        spark_tmp.mkdir(parents=True, exist_ok=True)
        env["SPARK_LOCAL_DIRS"] = str(spark_tmp)
        env["TMPDIR"] = str(spark_tmp)
        env["SPARK_SUBMIT_OPTS"] = " ".join(filter(None, [env.get("SPARK_SUBMIT_OPTS"),
                                                          f"-Djava.io.tmpdir={spark_tmp}"]))
    return env


def source_link(work_dir: Path, dataset: Dataset) -> Path:
    """The folder dbt reads: <work-dir>/source, a symbolic link to ``dataset``.

    The incremental run reads the increment through the same path as the full build read
    the base, as a scheduled run reads the same source: the stored orders remember where
    they were read from (raw_data_path), and another folder would rebuild them.
    """
    link = work_dir.resolve() / "source"
    target = dataset.path.resolve()
    if link.is_symlink():
        if link.resolve() == target:
            return link
        link.unlink()
    elif link.exists():
        raise StepFailed(f"{link} exists and is not a symbolic link; remove it")
    link.symlink_to(target, target_is_directory=True)
    return link


def dbt_vars(dataset: Dataset, work_dir: Path, target: str = "duckdb") -> str:
    """The build's vars: file mode reads the dataset's folder; PostgreSQL reads the tables
    landed in its warehouse (raw_data_path "")."""
    raw_data_path = "" if target == "postgres" else str(source_link(work_dir, dataset))
    return json.dumps({"raw_data_path": raw_data_path, "gap_as_of": dataset.gap_as_of})


def node_kind_and_name(unique_id: str) -> tuple[str, str]:
    parts = unique_id.split(".")
    return parts[0], ".".join(parts[2:]) if len(parts) > 2 else unique_id


def summarise_run_results(path: Path, build: BuildResult) -> None:
    results = json.loads(path.read_text(encoding="utf-8"))["results"]
    timings, statuses, seconds = [], Counter(), Counter()
    for result in results:
        kind, name = node_kind_and_name(result["unique_id"])
        elapsed = float(result.get("execution_time") or 0.0)
        timings.append(NodeTiming(name=name, kind=kind, seconds=elapsed))
        statuses[result.get("status", "unknown")] += 1
        seconds[kind] += elapsed
        if kind == "model":
            build.node_seconds[name] = elapsed
        if result.get("status") in ("error", "fail", "runtime error"):
            build.failed_nodes.append(f"{kind} {name}: {result.get('status')}")
    build.slowest = sorted(timings, key=lambda timing: timing.seconds, reverse=True)[:TOP_N]
    build.status_counts = dict(statuses.most_common())
    build.seconds_by_kind = dict(seconds)


def jvm_max_heap(commands: dict[int, list[str]]) -> str | None:
    """The -Xmx of the first JVM among the command lines of a process tree (None: no JVM
    seen, or one without -Xmx)."""
    for argv in commands.values():
        if argv and Path(argv[0]).name == "java":
            for argument in argv:
                if argument.startswith("-Xmx"):
                    return argument[len("-Xmx"):]
    return None


def run_dbt_build(label: str, project: Path, work_dir: Path, dataset: Dataset, database: Path,
                  args: argparse.Namespace, log_name: str, full_refresh: bool = False,
                  target: str = "duckdb", extra_env: dict[str, str] | None = None) -> BuildResult:
    """Run `dbt build --exclude tag:alert --target <target>` in the project copy (Spark's
    metastore and warehouse land there) and measure it (a failed build is returned with
    ok False and its error; see require_ok)."""
    temp_dir = work_dir / "duckdb_tmp"
    temp_dir.mkdir(parents=True, exist_ok=True)
    cmd = [str(VENV_BIN / "dbt"), "build", "--exclude", "tag:alert", "--target", target,
           "--vars", dbt_vars(dataset, work_dir, target)]
    if full_refresh:
        cmd.append("--full-refresh")
    log_path = work_dir / log_name
    where = {"spark": f"warehouse {project / SPARK_WAREHOUSE}",
             "postgres": "PostgreSQL database " + (extra_env or {}).get("ECOM_SAGE_GAP_POSTGRES_DATABASE", "")
             }.get(target, f"database {database}")
    print(f"  $ {' '.join(cmd)}\n    ({where}, log {log_path})", flush=True)
    run_results = project / "target" / "run_results.json"
    if run_results.exists():
        run_results.unlink()
    run = run_measured(cmd, cwd=project, env={**dbt_env(project, database, temp_dir, args, target), **(extra_env or {})},
                       log_path=log_path, label=label)
    build = BuildResult(label=label, ok=run.returncode == 0, wall_s=run.wall_s,
                        peak_rss_bytes=run.peak_rss_bytes, log_path=log_path,
                        peak_parts=run.peak_parts, jvm_max_heap=jvm_max_heap(run.commands))
    if run_results.exists():
        summarise_run_results(run_results, build)
        shutil.copy2(run_results, work_dir / f"run_results_{Path(log_name).stem}.json")
    verdict = "succeeded" if build.ok else f"FAILED (exit {run.returncode})"
    print(f"  dbt build {verdict} in {run.wall_s:.1f} s, peak RSS {run.peak_rss_bytes / GB:.2f} GB "
          f"({format_parts(build.peak_parts)}); nodes: {format_counts(build.status_counts)}")
    if target == "spark":
        print("  JVM seen in the process tree: "
              + (f"-Xmx{build.jvm_max_heap}" if build.jvm_max_heap else "none with -Xmx"))
    if not build.ok:
        for line in run.tail[-15:]:
            print(f"    | {line}")
        detail = f" ({'; '.join(build.failed_nodes[:5])})" if build.failed_nodes else ""
        build.error = f"exited with {run.returncode}{detail}; see {log_path}"
    return build


def require_ok(build: BuildResult) -> BuildResult:
    if not build.ok:
        raise StepFailed(f"{build.label} {build.error}")
    return build


def load_manifest(project: Path) -> dict:
    path = project / "target" / "manifest.json"
    if not path.exists():
        raise StepFailed(f"{path} does not exist")
    return json.loads(path.read_text(encoding="utf-8"))


def relations_by_name(manifest: dict) -> dict[str, tuple[str, str]]:
    """model / seed name -> (schema, alias)."""
    return {node["name"]: (node["schema"], node.get("alias") or node["name"])
            for node in manifest["nodes"].values()
            if node["resource_type"] in ("model", "seed")}


def incremental_models(manifest: dict) -> list[str]:
    """Names of the models materialized incrementally (the stored orders), from the manifest."""
    return sorted(node["name"] for node in manifest["nodes"].values()
                  if node["resource_type"] == "model"
                  and node.get("config", {}).get("materialized") == "incremental")


def read_headline(database: Path, relation: tuple[str, str]) -> Headline:
    """The card's mart, read after dbt has exited."""
    schema, alias = relation
    con = duckdb.connect(str(database), read_only=True)
    try:
        return headline_of(con, f"{quote(schema)}.{quote(alias)}")
    finally:
        con.close()


def headline_of(con: duckdb.DuckDBPyConnection, table: str) -> Headline:
    """The headline columns, rows and totals of the mart `table` (a relation name or a
    table expression) in an open connection."""
    described = [row[0] for row in con.execute(f"describe select * from {table}").fetchall()]
    columns = [name for name in HEADLINE_COLUMNS if name in described] or described
    order = " order by entity_id" if "entity_id" in described else ""
    rows = con.execute(f"select {', '.join(quote(c) for c in columns)} from {table}{order}").fetchall()
    absent = orders = None
    orders_column = next((name for name in ORDER_COLUMNS if name in described), None)
    if "absent_customers" in described:
        absent = con.execute(f"select coalesce(sum(absent_customers), 0) from {table}").fetchone()[0]
    if orders_column:
        orders = con.execute(f"select coalesce(sum({quote(orders_column)}), 0) from {table}").fetchone()[0]
    return Headline(columns=columns, rows=rows, absent_customers=absent, orders=orders,
                    orders_column=orders_column)


def print_headline(headline: Headline) -> None:
    print("  " + " | ".join(headline.columns))
    for row in headline.rows:
        print("  " + " | ".join(str(value) for value in row))
    print(f"  Total absent customers: {headline.absent_customers}, "
          f"orders ({headline.orders_column}): {headline.orders}")


# --------------------------------------------------------------------------------------
# Step 4: direct SQL
