"""The PostgreSQL Jaro-Winkler (postgres__name_similarity, a PL/pgSQL function the
project creates in the target schema) gives what DuckDB's jaro_winkler_similarity gives.

The function is created in a fresh database by `dbt run-operation
ensure_name_similarity_function --target postgres` (what a build does when it compiles
a node that calls it), then evaluated there over the pairs of the Spark check
(tests_spark/test_name_similarity_parity.py): the hand-picked cases of
tests_spark/name_pairs.csv and the same seeded random pairs (multi-byte characters,
empty strings, transpositions, the 0.7 threshold and the prefix boost). Each score must
equal DuckDB's within 1e-9, and a null only where DuckDB has a null.
"""

from __future__ import annotations

import sys

import pytest

from conftest import PARITY_RESULTS
from pg_support import PROJECT_DIR, Builds, dbt_failure_summary

sys.path.insert(0, str(PROJECT_DIR / "tests_spark"))
from test_name_similarity_parity import RANDOM_SEED, TOLERANCE, csv_pairs, duckdb_scores, random_pairs  # noqa: E402


@pytest.fixture(scope="module")
def similarity(postgres, tmp_path_factory):
    """A function of a list of pairs that returns PostgreSQL's scores, in order."""
    builds = Builds(postgres, tmp_path_factory.mktemp("similarity"), "similarity", PROJECT_DIR / "data" / "demo")
    result = builds.run("postgres", "run-operation", "ensure_name_similarity_function")
    assert result.returncode == 0, dbt_failure_summary(result)
    connection = postgres.connect(builds.database)

    def scores(pairs) -> list[float | None]:
        with connection.cursor() as cursor:
            cursor.execute(
                "select ecom_sage_gap.ecom_sage_gap_jaro_winkler(l, r) from unnest(%s::text[], %s::text[])"
                " with ordinality as pairs(l, r, i) order by i",
                ([left for left, _, _ in pairs], [right for _, right, _ in pairs]),
            )
            return [row[0] for row in cursor.fetchall()]

    yield scores
    connection.close()


def compare(similarity, pairs, label: str) -> None:
    expected = duckdb_scores(pairs)
    actual = similarity(pairs)
    assert len(expected) == len(actual) == len(pairs)
    mismatches, max_difference = [], 0.0
    for (left, right, note), want, got in zip(pairs, expected, actual):
        if want is None or got is None:
            if want is not None or got is not None:
                mismatches.append((left, right, note, want, got))
            continue
        max_difference = max(max_difference, abs(want - got))
        if abs(want - got) > TOLERANCE:
            mismatches.append((left, right, note, want, got))
    PARITY_RESULTS.append(f"Jaro-Winkler, {label}: {len(pairs)} pairs, max |postgres - duckdb| = "
                          f"{max_difference:.3g}, {len(mismatches)} mismatches")
    assert not mismatches, f"{len(mismatches)} of {len(pairs)} pairs differ (left, right, note, duckdb, postgres):\n" + \
        "\n".join(repr(mismatch) for mismatch in mismatches[:25])


def test_hand_picked_pairs_match_duckdb(similarity):
    pairs = csv_pairs()
    assert len(pairs) >= 50
    compare(similarity, pairs, "name_pairs.csv")


def test_random_pairs_match_duckdb(similarity):
    compare(similarity, random_pairs(), f"random (seed {RANDOM_SEED})")
