"""Publish the marts of a finished build for BI tools, as one set, atomically.

    python scripts/publish.py [--database ecom_sage_gap.duckdb] [--publish-dir publish]

What is published: the eight marts, the gap history and, when the build has it, the
input rejections table, read from the working database after dbt has exited. They are
written into a fresh version folder, then made current:

    publish/
      v20260414T090312123456Z/                 one version, never written again
        ecom_sage_gap.duckdb                   every table, schema main
        <table>.parquet                        one file per table
        publication.json                       version, as_of, tables and row counts
        card.html                              the card as a page (scripts/html_card.py)
      current -> v20260414T090312123456Z       a symlink, switched atomically
      current.json                             names the current version and its files
      ecom_sage_gap.duckdb                     the current version's database file
      card.html                                the current version's card

There are three ways to the current version, each switched by one rename(2), so each
reader sees the old set or the new one, never a mix and never nothing:

- `current/` (a relative symlink) for readers on this machine or a share that follows
  links: open `publish/current/ecom_sage_gap.duckdb` read-only, or resolve `current`
  once and read every Parquet file from that folder.
- `current.json` for readers that cannot follow a symlink (a Windows share, a copy to
  object storage): read it once, then read the files it names, all in one version
  folder (paths relative to the publish folder, `/`-separated).
- `ecom_sage_gap.duckdb` and `card.html` at the top, for tools configured with one
  fixed path (ODBC/JDBC on Windows). Each is a hard link to the current version's file
  (a copy where the file system has no hard links), replaced by a rename. A database
  file holds every table, so it is one whole set by itself; the Parquet files are
  several, so they have no fixed-name copies (a reader could mix two runs' files).

The three are switched one after another: for a moment they may name different
versions, each whole. A reader uses one of them, not a mix.

A DuckDB reader's path resolves once, when the file is opened, so a reader that keeps
it open goes on reading that version, whole, while later versions are published beside
it; it sees the new set when it opens the file again. The database file is written
with storage_compatibility_version v1.0.0: DuckDB 1.0 and every later release open it,
whatever DuckDB the build uses.

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
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parent.parent
MARTS_SCHEMA = "marts"
DATABASE_FILE = "ecom_sage_gap.duckdb"
MANIFEST_FILE = "publication.json"
CARD_FILE = "card.html"
CURRENT = "current"
POINTER_FILE = "current.json"
# Files of the current version also kept under a fixed name at the top of the folder.
FIXED_NAME_FILES = (DATABASE_FILE, CARD_FILE)
# The oldest DuckDB that must open a published file: BI tools embed their own DuckDB,
# often older than the build's. DuckDB's default follows its own releases; this does not.
READER_STORAGE_VERSION = "v1.0.0"
# The BI contract: published on every run, the publication fails without them.
REQUIRED_TABLES = (
    "ecom_sage_customer_gap",
    "ecom_sage_customer_gap_cohorts",
    "ecom_sage_customer_gap_customers",
    "ecom_sage_customer_gap_orders",
    "ecom_sage_customer_gap_reconciliation",
    "ecom_sage_customer_gap_history",
    "ecom_sage_vat_mismatch",
    "ecom_sage_customer_match_rate",
    "ecom_orders_without_sage_order",
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
    published_at: str | None = None
    card: bool = True
    # Fixed-name files that could not be replaced (they still hold an older, whole version).
    stale_fixed_names: list[str] = field(default_factory=list)


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
    con = duckdb.connect(str(target), config={"storage_compatibility_version": READER_STORAGE_VERSION})
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
    published_at = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    publication = Publication(version=version, path=folder, tables=counts, as_of=as_of,
                              published_at=published_at, card=render_card)
    (folder / MANIFEST_FILE).write_text(json.dumps({
        "version": version,
        "published_at": published_at,
        "as_of": as_of,
        "database": DATABASE_FILE,
        "tables": {name: {"rows": rows, "parquet": name + ".parquet"} for name, rows in counts.items()},
        "card": CARD_FILE if render_card else None,
    }, indent=2) + "\n", encoding="utf-8")
    if render_card:
        from html_card import render_file

        render_file(target, folder / CARD_FILE)
    return publication


def switch_current(publish_dir: Path, version: str) -> None:
    """Point `current` at ``version`` in one rename (readers see old or new, never neither)."""
    temporary = publish_dir / f".{CURRENT}.{os.getpid()}.tmp"
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    os.symlink(version, temporary)
    os.replace(temporary, publish_dir / CURRENT)
    fsync_dir(publish_dir)


def pointer(publication: Publication) -> dict:
    """What `current.json` says: the current version and its files, relative to the publish folder."""
    version = publication.version
    return {
        "version": version,
        "published_at": publication.published_at,
        "as_of": publication.as_of,
        "folder": version,
        "database": f"{version}/{DATABASE_FILE}",
        "manifest": f"{version}/{MANIFEST_FILE}",
        "card": f"{version}/{CARD_FILE}" if publication.card else None,
        "tables": {name: f"{version}/{name}.parquet" for name in publication.tables},
    }


def write_pointer(publish_dir: Path, publication: Publication) -> None:
    """Replace `current.json` in one rename: a reader reads the old file or the new, whole."""
    temporary = publish_dir / f".{POINTER_FILE}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(pointer(publication), indent=2) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, publish_dir / POINTER_FILE)
    fsync_dir(publish_dir)


def link_fixed_names(publish_dir: Path, version: str) -> list[str]:
    """Put the version's database file and card under their fixed names at the top, each
    by one rename of a hard link (or a copy); return the names that could not be
    replaced. A name the version lacks (no card) is removed rather than left stale."""
    stale = []
    for name in FIXED_NAME_FILES:
        source = publish_dir / version / name
        fixed = publish_dir / name
        temporary = publish_dir / f".{name}.{os.getpid()}.tmp"
        try:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
            if not source.exists():
                with contextlib.suppress(FileNotFoundError):
                    fixed.unlink()
                continue
            try:
                os.link(source, temporary)
            except OSError:  # no hard links here (some network and FUSE file systems)
                shutil.copyfile(source, temporary)
                with open(temporary, "rb") as handle:
                    os.fsync(handle.fileno())
            os.replace(temporary, fixed)
        except OSError as error:
            # A Windows server refuses to replace a file a reader holds open; the old
            # file stays whole, and the next publish tries again.
            with contextlib.suppress(OSError):
                temporary.unlink()
            print(f"publish: {fixed} still holds an earlier version: {error}", file=sys.stderr)
            stale.append(name)
    fsync_dir(publish_dir)
    return stale


def make_current(publish_dir: Path, publication: Publication) -> None:
    """Switch the three ways to the current version, each in one rename."""
    switch_current(publish_dir, publication.version)
    write_pointer(publish_dir, publication)
    publication.stale_fixed_names = link_fixed_names(publish_dir, publication.version)


def current_version(publish_dir: Path) -> str | None:
    link = publish_dir / CURRENT
    return os.readlink(link) if link.is_symlink() else None


def pointed_version(publish_dir: Path) -> str | None:
    """The version `current.json` names, or None without a readable one."""
    try:
        return json.loads((publish_dir / POINTER_FILE).read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def clean_up(publish_dir: Path, keep: int) -> list[str]:
    """Remove half-written files and folders and versions beyond the newest ``keep``;
    never a version that `current` or `current.json` names."""
    current = {current_version(publish_dir), pointed_version(publish_dir)}
    removed = []
    for stale in publish_dir.glob(".*.tmp"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()
        if stale.name.startswith(".v"):
            removed.append(stale.name)
    versions = sorted((p.name for p in publish_dir.glob("v*") if p.is_dir()), reverse=True)
    kept = set(versions[:keep]) | current
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
        publication.path = publish_dir / version
        make_current(publish_dir, publication)
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
