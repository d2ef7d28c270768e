"""The publication read the ways BI tools read it (docs/bi/).

Builds the demo's models once into this module's own DuckDB file and publishes them.
Then:
- a DuckDB-native tool (Superset, or anything on SQLAlchemy + duckdb-engine) opens
  `publish/current/ecom_sage_gap.duckdb` read-only with the URI the docs give: it sees
  the published tables and nothing else (no staging or intermediate model), and each
  holds the rows of the build's mart;
- the same through the fixed-name file `publish/ecom_sage_gap.duckdb`;
- a Parquet reader (pyarrow) finds the current version through `publish/current.json`,
  never the symlink, and reads the same rows from the Parquet files it names;
- a second publication moves all three ways in, while a reader holding the old fixed-name
  file keeps reading the old set, and the file opens in DuckDB 1.0 readers.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from dbt_helpers import PROJECT_DIR, connect_read_only, run_dbt

sys.path.insert(0, str(PROJECT_DIR / "scripts"))
import publish as publisher  # noqa: E402
from mart_snapshot import row_multiset  # noqa: E402

DEMO_VARS = {"gap_as_of": "2026-04-14T09:00:00Z"}
MODELS_ONLY = ["build", "--resource-type", "model", "--resource-type", "seed"]
PUBLISHED = set(publisher.REQUIRED_TABLES) | set(publisher.OPTIONAL_TABLES)


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    database = tmp_path_factory.mktemp("bi_access") / "work.duckdb"
    run_dbt(MODELS_ONLY, database, vars=DEMO_VARS)
    return database


@pytest.fixture(scope="module")
def publish_dir(build: Path) -> Path:
    folder = build.parent / "publish"
    publisher.publish(build, folder)
    return folder


def marts(database: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """The build's published tables as (columns, rows), read from its `marts` schema."""
    con = connect_read_only(database)
    try:
        found = {}
        for table in sorted(PUBLISHED):
            cursor = con.execute(f"select * from marts.{table}")
            found[table] = ([d[0] for d in cursor.description], cursor.fetchall())
        return found
    finally:
        con.close()


def same_rows(expected: tuple[list[str], list[tuple]], columns: list[str], rows: list[tuple]) -> bool:
    want_columns, want_rows = expected
    return (columns == want_columns
            and row_multiset(columns, rows, columns) == row_multiset(want_columns, want_rows, want_columns))


def read_with_sqlalchemy(path: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """What Superset does with the URI of docs/bi/duckdb-native.md: every table it lists."""
    engine = sa.create_engine(f"duckdb:///{path}?access_mode=read_only")
    try:
        inspector = sa.inspect(engine)
        schemas = [name for name in inspector.get_schema_names() if not name.startswith(("system.", "temp."))]
        assert schemas == ["ecom_sage_gap.main"], schemas
        assert inspector.get_view_names() == []
        tables = {}
        with engine.connect() as connection:
            for table in inspector.get_table_names():
                result = connection.execute(sa.text(f'select * from "{table}"'))
                tables[table] = (list(result.keys()), [tuple(row) for row in result])
            with pytest.raises(sa.exc.DBAPIError, match="read-only"):
                connection.execute(sa.text("create table written_by_a_dashboard as select 1 as one"))
        return tables
    finally:
        engine.dispose()


@pytest.mark.parametrize("path", ["current/ecom_sage_gap.duckdb", "ecom_sage_gap.duckdb"])
def test_a_duckdb_native_tool_sees_the_marts_and_nothing_else(build: Path, publish_dir: Path, path: str) -> None:
    tables = read_with_sqlalchemy(publish_dir / path)
    assert set(tables) == PUBLISHED, "only the published tables: no staging, no intermediate model"
    expected = marts(build)
    for table, (columns, rows) in tables.items():
        assert same_rows(expected[table], columns, rows), table
    assert len(tables["ecom_sage_customer_gap_customers"][1]) == 34


def test_a_parquet_reader_finds_the_set_through_current_json(build: Path, publish_dir: Path) -> None:
    pointer = json.loads((publish_dir / "current.json").read_text(encoding="utf-8"))
    assert pointer["version"] == os.readlink(publish_dir / "current")
    assert set(pointer["tables"]) == PUBLISHED
    expected = marts(build)
    for table, relative in pointer["tables"].items():
        assert relative.startswith(pointer["folder"] + "/"), "every file of one version folder"
        parquet = pq.read_table(publish_dir / relative)
        columns = parquet.column_names
        rows = [tuple(row[name] for name in columns) for row in parquet.to_pylist()]
        assert same_rows(expected[table], columns, rows), table
    manifest = json.loads((publish_dir / pointer["manifest"]).read_text(encoding="utf-8"))
    assert manifest["version"] == pointer["version"] and manifest["as_of"] == pointer["as_of"] == "2026-04-14T09:00:00Z"
    assert (publish_dir / pointer["card"]).is_file() and (publish_dir / pointer["database"]).is_file()


def test_the_next_publication_moves_every_way_in_and_a_held_file_keeps_its_set(build: Path, publish_dir: Path) -> None:
    before = os.readlink(publish_dir / "current")
    held = duckdb.connect(str(publish_dir / "ecom_sage_gap.duckdb"), read_only=True)
    try:
        publication = publisher.publish(build, publish_dir)
        assert publication.version != before and publication.stale_fixed_names == []
        assert os.readlink(publish_dir / "current") == publication.version
        assert json.loads((publish_dir / "current.json").read_text())["version"] == publication.version
        for name in ("ecom_sage_gap.duckdb", "card.html"):
            assert (publish_dir / name).samefile(publish_dir / publication.version / name), name
        # The reader that opened the old file before the switch still reads it, whole.
        assert held.execute("select count(*) from ecom_sage_customer_gap_customers").fetchone()[0] == 34
    finally:
        held.close()
    assert not list(publish_dir.glob(".*.tmp")), "no temporary file is left behind"


def test_the_file_is_written_for_duckdb_1_0_readers(publish_dir: Path) -> None:
    con = duckdb.connect(str(publish_dir / "ecom_sage_gap.duckdb"), read_only=True)
    try:
        tags = con.execute("select tags from duckdb_databases() where database_name = 'ecom_sage_gap'").fetchone()[0]
    finally:
        con.close()
    assert tags["storage_version"] == "v1.0.0+", tags


def test_no_published_file_carries_a_staging_or_intermediate_table(build: Path, publish_dir: Path) -> None:
    """DuckDB has no grants: the publication is the readers' boundary. Every file under the
    publication folder (every version, the fixed-name files) is one of the published
    tables, a database holding only them, the card, the pointer and manifest, or the
    publisher's empty lock file; no staging
    (`stg_`) or intermediate (`int_`) model, and no seed, reaches a reader."""
    built = connect_read_only(build)
    try:
        private = {name for (name,) in built.execute(
            "select table_name from information_schema.tables where table_schema != 'marts'").fetchall()}
    finally:
        built.close()
    assert any(name.startswith("stg_") for name in private) and any(name.startswith("int_") for name in private)
    files = [path for path in publish_dir.rglob("*") if path.is_file()]
    assert files
    for path in files:
        if path.suffix == ".duckdb":
            con = duckdb.connect(str(path), read_only=True)
            try:
                tables = {name for (name,) in con.execute(
                    "select table_name from information_schema.tables").fetchall()}
            finally:
                con.close()
            assert tables == PUBLISHED, f"{path}: {sorted(tables - PUBLISHED)}"
        elif path.suffix == ".parquet":
            assert path.stem in PUBLISHED, path
        elif path.name != ".publish.lock":  # the publisher's lock file, empty
            assert path.suffix in (".html", ".json"), path
        assert not any(name in path.name for name in private), path
