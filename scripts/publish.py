"""Publish the marts of a finished build for BI tools, as one set, atomically.

    python scripts/publish.py [--database ecom_sage_gap.duckdb] [--publish-dir publish]

What is published: the five marts, the gap history and, when the build has it, the
input rejections table, read from the working database after dbt has exited. They are
written into a fresh version folder, then made current in one step:

    publish/
      current -> v20260414T090312123456Z      (a symlink, switched atomically)
      v20260414T090312123456Z/
        ecom_sage_gap.duckdb                   every table, schema main
        <table>.parquet                        one file per table
        publication.json                       version, as_of, tables and row counts
        card.html                              the card as a page (scripts/html_card.py)

A reader opens `publish/current/ecom_sage_gap.duckdb` read-only. The path resolves
once, when the file is opened, so a reader that keeps it open goes on reading that
version, whole, while later versions are published beside it; it sees the new set
when it opens the file again. A Parquet reader resolves `current` once (or reads
`publication.json`, which names the version) and reads every file from that folder.

Nothing is ever written into a version that is, or was, current, so a reader never
blocks a build or a publish. A run that fails or is killed before the switch leaves
the previous version current (its half-written folder is named `.v...tmp` and is
removed by the next publish). Versions that are no longer current are removed, newest
kept (`--keep`, default 3, the current one included); on Linux a reader still holding
a removed version's file keeps reading it until it closes it.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fcntl
import json
import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parent.parent
MARTS_SCHEMA = "marts"
DATABASE_FILE = "ecom_sage_gap.duckdb"
MANIFEST_FILE = "publication.json"
CURRENT = "current"
# The BI contract: published on every run, the publication fails without them.
REQUIRED_TABLES = (
    "ecom_sage_customer_gap",
    "ecom_sage_customer_gap_cohorts",
    "ecom_sage_customer_gap_customers",
    "ecom_sage_customer_gap_orders",
    "ecom_sage_customer_gap_reconciliation",
    "ecom_sage_customer_gap_history",
)
# Published whenever the build has them (looked up in `marts` first, then any schema).
OPTIONAL_TABLES = ("ecom_sage_input_rejections",)


class PublishError(RuntimeError):
    """The publication could not be made; the previous one stays current."""


@dataclass
class Publication:
    version: str
    path: Path
    tables: dict[str, int]
    as_of: str | None


def default_publish_dir() -> Path:
    return Path(os.environ.get("ECOM_SAGE_GAP_PUBLISH_DIR") or PROJECT_DIR / "publish")


def default_database() -> Path:
    return Path(os.environ.get("ECOM_SAGE_GAP_DUCKDB_PATH") or PROJECT_DIR / "ecom_sage_gap.duckdb")


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@contextlib.contextmanager
def publish_lock(publish_dir: Path) -> Iterator[None]:
    """One publisher at a time per folder (released by the OS if the process dies)."""
    with open(publish_dir / ".publish.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishError(f"another publish is running in {publish_dir}") from None
        yield


def locate_tables(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, str]:
    """table -> schema in the attached working database, for the tables to publish."""
    rows = con.execute(
        "select table_name, table_schema from information_schema.tables "
        "where table_catalog = ? and table_type = 'BASE TABLE' "
        f"order by table_schema <> {literal(MARTS_SCHEMA)}, table_schema",
        [catalog],
    ).fetchall()
    found: dict[str, str] = {}
    for name, schema in rows:
        found.setdefault(name, schema)
    missing = [name for name in REQUIRED_TABLES
               if found.get(name) != MARTS_SCHEMA]
    if missing:
        raise PublishError(f"the working database has no {MARTS_SCHEMA}.{', '.join(missing)}: "
                           "is the build complete?")
    wanted = list(REQUIRED_TABLES) + [name for name in OPTIONAL_TABLES if name in found]
    return {name: found[name] for name in wanted}


def fsync_tree(path: Path) -> None:
    for item in sorted(path.rglob("*")):
        if item.is_file():
            with open(item, "rb") as handle:
                os.fsync(handle.fileno())
    fsync_dir(path)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def new_version_name(publish_dir: Path) -> str:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("v%Y%m%dT%H%M%S%fZ")
    while (publish_dir / stamp).exists():
        stamp = stamp[:-1] + "0Z"  # same microsecond: make it distinct, still ordered
    return stamp


def write_version(database: Path, folder: Path, version: str,
                  render_card: bool = True) -> Publication:
    """Copy the tables of the working database into ``folder`` (DuckDB + Parquet)."""
    folder.mkdir(parents=True)
    target = folder / DATABASE_FILE
    con = duckdb.connect(str(target))
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"attach {literal(str(database))} as working (read_only)")
        tables = locate_tables(con, "working")
        counts: dict[str, int] = {}
        for name, schema in tables.items():
            con.execute(f"create table main.{quote(name)} as "
                        f"select * from working.{quote(schema)}.{quote(name)}")
            counts[name] = con.execute(f"select count(*) from main.{quote(name)}").fetchone()[0]
            con.execute(f"copy main.{quote(name)} to {literal(str(folder / (name + '.parquet')))} "
                        "(format parquet)")
        con.execute("detach working")
        as_of_row = con.execute("select max(as_of) from main.ecom_sage_customer_gap").fetchone()
        as_of = as_of_row[0].strftime("%Y-%m-%dT%H:%M:%SZ") if as_of_row and as_of_row[0] else None
        con.execute("checkpoint")
    finally:
        con.close()
    publication = Publication(version=version, path=folder, tables=counts, as_of=as_of)
    (folder / MANIFEST_FILE).write_text(json.dumps({
        "version": version,
        "published_at": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "as_of": as_of,
        "database": DATABASE_FILE,
        "tables": {name: {"rows": rows, "parquet": name + ".parquet"} for name, rows in counts.items()},
        "card": "card.html" if render_card else None,
    }, indent=2) + "\n", encoding="utf-8")
    if render_card:
        from html_card import render_file

        render_file(target, folder / "card.html")
    return publication


def switch_current(publish_dir: Path, version: str) -> None:
    """Point `current` at ``version`` in one rename (readers see old or new, never neither)."""
    temporary = publish_dir / f".{CURRENT}.{os.getpid()}.tmp"
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    os.symlink(version, temporary)
    os.replace(temporary, publish_dir / CURRENT)
    fsync_dir(publish_dir)


def current_version(publish_dir: Path) -> str | None:
    link = publish_dir / CURRENT
    return os.readlink(link) if link.is_symlink() else None


def clean_up(publish_dir: Path, keep: int) -> list[str]:
    """Remove half-written folders and versions beyond the newest ``keep``; never current."""
    current = current_version(publish_dir)
    removed = []
    for stale in publish_dir.glob(".v*.tmp"):
        shutil.rmtree(stale, ignore_errors=True)
        removed.append(stale.name)
    for stale in publish_dir.glob(f".{CURRENT}.*.tmp"):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
    versions = sorted((p.name for p in publish_dir.glob("v*") if p.is_dir()), reverse=True)
    kept = set(versions[:keep]) | {current}
    for name in versions:
        if name not in kept:
            shutil.rmtree(publish_dir / name, ignore_errors=True)
            removed.append(name)
    return removed


def publish(database: str | os.PathLike[str] | None = None,
            publish_dir: str | os.PathLike[str] | None = None,
            keep: int = 3, render_card: bool = True) -> Publication:
    """Publish the working database's tables as a new current version; return it."""
    database = Path(database or default_database()).resolve()
    publish_dir = Path(publish_dir or default_publish_dir()).resolve()
    if keep < 1:
        raise PublishError("keep must be at least 1 (the current version)")
    if not database.exists():
        raise PublishError(f"no working database at {database}")
    publish_dir.mkdir(parents=True, exist_ok=True)
    with publish_lock(publish_dir):
        clean_up(publish_dir, keep=keep + 1)  # a killed run's leftovers first
        version = new_version_name(publish_dir)
        staging = publish_dir / f".{version}.tmp"
        try:
            publication = write_version(database, staging, version, render_card=render_card)
            fsync_tree(staging)
            os.rename(staging, publish_dir / version)
            fsync_dir(publish_dir)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        switch_current(publish_dir, version)
        publication.path = publish_dir / version
        clean_up(publish_dir, keep=keep)
    return publication


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=None,
                        help="working DuckDB file (default $ECOM_SAGE_GAP_DUCKDB_PATH or ecom_sage_gap.duckdb)")
    parser.add_argument("--publish-dir", default=None,
                        help="publication folder (default $ECOM_SAGE_GAP_PUBLISH_DIR or publish/)")
    parser.add_argument("--no-card", action="store_true", help="do not render card.html")
    parser.add_argument("--keep", type=int, default=int(os.environ.get("ECOM_SAGE_GAP_PUBLISH_KEEP", "3")),
                        help="versions to keep, the current one included (default 3)")
    args = parser.parse_args(argv)
    try:
        publication = publish(args.database, args.publish_dir, keep=args.keep, render_card=not args.no_card)
    except (PublishError, duckdb.Error) as error:
        print(f"publish failed, the previous publication stays current: {error}", file=sys.stderr)
        return 2
    tables = ", ".join(f"{name} {rows}" for name, rows in publication.tables.items())
    print(f"published {publication.version} (as of {publication.as_of}) to {publication.path}: {tables}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
