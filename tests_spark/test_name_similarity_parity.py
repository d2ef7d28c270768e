"""spark__name_similarity (Spark SQL) gives what DuckDB's jaro_winkler_similarity gives.

The Spark macro is rendered from macros/matching/name_similarity.sql with plain Jinja2
(its body uses only its two arguments), evaluated by a local Spark over a set of name
pairs, and compared pair by pair with DuckDB's function over the same pairs: equal
within 1e-9, and a null only where the other engine has a null too.

Pairs: the hand-picked cases of name_pairs.csv (`<null>` in a cell is a null, an empty
cell an empty string; the note says what the pair checks) and a seeded random set of
short strings over a small alphabet with accents, many of them variants of each other
(a swap, an insertion, a deletion, a substitution) so the transpositions, the 0.7
threshold and the prefix boost are all reached.
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

import duckdb
import jinja2
import pytest

from conftest import PARITY_RESULTS

HERE = Path(__file__).resolve().parent
MACRO_FILE = HERE.parent / "macros" / "matching" / "name_similarity.sql"
PAIRS_FILE = HERE / "name_pairs.csv"
NULL_MARKER = "<null>"
TOLERANCE = 1e-9

RANDOM_SEED = 20261202
RANDOM_PAIRS = 3000
# Small, so that strings share characters; with multi-byte characters (2 and 3 bytes)
# because DuckDB compares UTF-8 bytes.
RANDOM_ALPHABET = ["a", "b", "e", "n", "r", "é", "ë", "ñ", " ", "-", "日"]


def render_macro(call: str) -> str:
    """The SQL a macro call of the macro file renders to (plain Jinja2, no dbt context)."""
    text = MACRO_FILE.read_text(encoding="utf-8")
    # dbt's Jinja has the `do` statement; the macro file uses it.
    environment = jinja2.Environment(extensions=["jinja2.ext.do"])
    return environment.from_string(text + "{{ " + call + " }}").render().strip()


def csv_pairs() -> list[tuple[str | None, str | None, str]]:
    def cell(value: str) -> str | None:
        return None if value == NULL_MARKER else value

    with PAIRS_FILE.open(encoding="utf-8", newline="") as handle:
        return [(cell(row["left_name"]), cell(row["right_name"]), row["note"]) for row in csv.DictReader(handle)]


def random_pairs(count: int = RANDOM_PAIRS, seed: int = RANDOM_SEED) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)

    def word() -> str:
        return "".join(rng.choice(RANDOM_ALPHABET) for _ in range(rng.randint(0, 9)))

    def variant(text: str) -> str:
        chars = list(text)
        for _ in range(rng.randint(1, 3)):
            edit = rng.choice(["swap", "insert", "delete", "substitute"])
            position = rng.randint(0, max(len(chars) - 1, 0))
            if edit == "swap" and len(chars) >= 2:
                position = min(position, len(chars) - 2)
                chars[position], chars[position + 1] = chars[position + 1], chars[position]
            elif edit == "insert":
                chars.insert(position, rng.choice(RANDOM_ALPHABET))
            elif edit == "delete" and chars:
                del chars[position]
            elif chars:
                chars[position] = rng.choice(RANDOM_ALPHABET)
        return "".join(chars)

    pairs = []
    for number in range(count):
        left = word()
        right = variant(left) if number % 2 else word()
        pairs.append((left, right, f"random {number}"))
    return pairs


def duckdb_scores(pairs) -> list[float | None]:
    lefts = [left for left, _, _ in pairs]
    rights = [right for _, right, _ in pairs]
    rows = duckdb.connect().execute(
        """
        select jaro_winkler_similarity(l, r)
        from (
            select unnest(range(len($1::varchar[]))) as i, unnest($1::varchar[]) as l, unnest($2::varchar[]) as r
        )
        order by i
        """,
        [lefts, rights],
    ).fetchall()
    return [row[0] for row in rows]


def spark_scores(spark, pairs) -> list[float | None]:
    frame = spark.createDataFrame(
        [(number, left, right) for number, (left, right, _) in enumerate(pairs)],
        "i int, l string, r string",
    )
    frame.createOrReplaceTempView("name_pairs")
    expression = render_macro("spark__name_similarity('l', 'r')")
    rows = spark.sql(f"select i, {expression} as score from name_pairs order by i").collect()
    return [row["score"] for row in rows]


def compare(spark, pairs, label: str) -> None:
    expected = duckdb_scores(pairs)
    actual = spark_scores(spark, pairs)
    assert len(expected) == len(actual) == len(pairs)
    mismatches = []
    max_difference = 0.0
    for (left, right, note), want, got in zip(pairs, expected, actual):
        if want is None or got is None:
            if want is not None or got is not None:
                mismatches.append((left, right, note, want, got))
            continue
        difference = abs(want - got)
        max_difference = max(max_difference, difference)
        if difference > TOLERANCE:
            mismatches.append((left, right, note, want, got))
    PARITY_RESULTS.append(f"{label}: {len(pairs)} pairs, max |spark - duckdb| = {max_difference:.3g}, "
                          f"{len(mismatches)} mismatches")
    assert not mismatches, f"{len(mismatches)} of {len(pairs)} pairs differ (left, right, note, duckdb, spark):\n" + \
        "\n".join(repr(mismatch) for mismatch in mismatches[:25])


def test_hand_picked_pairs_match_duckdb(spark):
    pairs = csv_pairs()
    assert len(pairs) >= 50
    compare(spark, pairs, "name_pairs.csv")


def test_random_pairs_match_duckdb(spark):
    pairs = random_pairs()
    # The random set reaches what it is for: empty strings, multi-byte characters and the
    # Winkler boost (DuckDB scores above 0.7 on a pair with a common first character).
    assert any(left == "" or right == "" for left, right, _ in pairs)
    assert any(len(left.encode()) > len(left) for left, _, _ in pairs)
    scores = duckdb_scores(pairs)
    assert sum(1 for (left, right, _), score in zip(pairs, scores)
               if score > 0.7 and left[:1] == right[:1] != "") > len(pairs) // 10
    compare(spark, pairs, f"random (seed {RANDOM_SEED})")


def test_random_pairs_are_deterministic():
    assert random_pairs(50) == random_pairs(50)


def test_duckdb_macro_is_duckdb_jaro_winkler():
    rendered = render_macro("duckdb__name_similarity('l', 'r')")
    assert rendered == "jaro_winkler_similarity(l, r)"
    assert duckdb.connect().execute(f"select {rendered} from (select 'martha' as l, 'marhta' as r)").fetchone()[0] == \
        pytest.approx(0.9611111111111111, abs=1e-15)


def test_spark_macro_evaluates_each_argument_once():
    rendered = render_macro("spark__name_similarity('LEFT_ARG', 'RIGHT_ARG')")
    assert len(re.findall(r"\bLEFT_ARG\b", rendered)) == 1
    assert len(re.findall(r"\bRIGHT_ARG\b", rendered)) == 1
