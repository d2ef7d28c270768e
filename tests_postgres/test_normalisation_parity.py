"""The normalisation rules give on PostgreSQL what they give on DuckDB, case by case.

PostgreSQL runs the `default__` implementations of the dispatched normalisation macros
(macros/normalisation/). Every case of tests_py/test_normalisation_macros.py (input,
the value DuckDB gives, a note) is evaluated here: one query for all the macros,
compiled by dbt for the `postgres` target (`dbt compile --inline`) and run on the
server; each case must give DuckDB's value, with the macro's type. The same for the
phone cases under other `default_phone_country_code` values, for the reasons a rejected
cell is given, and for the order-id sort key.
"""

from __future__ import annotations

import json
import sys

import pytest

from pg_support import PROJECT_DIR, Builds, dbt_failure_summary

sys.path.insert(0, str(PROJECT_DIR / "tests_py"))
from test_normalisation_macros import CASES, PHONE_VAR_CASES, RETURN_TYPES, Case, Sql, sql_literal  # noqa: E402

POSTGRES_TYPES = {"VARCHAR": ("text", "character varying"), "BOOLEAN": ("boolean",),
                  "TIMESTAMP": ("timestamp without time zone",)}

def cases_sql(cases: dict[str, list[Case]]) -> str:
    """One query: a row per (macro, case) with the macro's value as text, its type and
    whether it equals the expected value (`is not distinct from`, so null = null only;
    an expected null has the macro's type, as PostgreSQL reads a bare null as text)."""
    branches = []
    for macro, macro_cases in cases.items():
        null_type = {"BOOLEAN": "boolean", "TIMESTAMP": "timestamp"}.get(RETURN_TYPES.get(macro), "text")
        for case_id, case in enumerate(macro_cases):
            expected = f"cast(null as {null_type})" if case.expected is None else sql_literal(case.expected)
            branches.append(
                f"select '{macro}' as macro, {case_id} as case_id, cast(actual as text) as actual_text,"
                " pg_typeof(actual)::text as actual_type,"
                " coalesce(actual is not distinct from expected, false) as passed"
                f" from (select {{{{ {macro}('input_value') }}}} as actual, {expected} as expected"
                f" from (select {sql_literal(case.input)} as input_value) as src) as evaluated"
            )
    return "\nunion all\n".join(branches)


@pytest.fixture(scope="module")
def evaluate(postgres, tmp_path_factory):
    """Compile a query for the postgres target (with the given vars) and run it."""
    builds = Builds(postgres, tmp_path_factory.mktemp("normalisation"), "normalisation",
                    PROJECT_DIR / "data" / "demo")

    def run(sql: str, dbt_vars: dict | None = None) -> list[dict]:
        result = builds.run("postgres", "--quiet", "compile", "--inline", sql, "--output", "json",
                            extra_vars=dbt_vars)
        assert result.returncode == 0, dbt_failure_summary(result)
        compiled = json.loads(result.stdout[result.stdout.index("{"):])["compiled"]
        connection = postgres.connect(builds.database)
        try:
            with connection.cursor() as cursor:
                cursor.execute(compiled)
                names = [column.name for column in cursor.description]
                return [dict(zip(names, row)) for row in cursor.fetchall()]
        finally:
            connection.close()

    return run


def failures_of(rows: list[dict], cases: dict[str, list[Case]], types: dict[str, str]) -> list[str]:
    failures = []
    for row in rows:
        case = cases[row["macro"]][row["case_id"]]
        shown = case.input.text if isinstance(case.input, Sql) else repr(case.input)
        described = f"{row['macro']}({shown}) [{case.note}]"
        if not row["passed"]:
            expected = case.expected.text if isinstance(case.expected, Sql) else repr(case.expected)
            failures.append(f"{described}: DuckDB gives {expected}, PostgreSQL {row['actual_text']!r}")
        elif row["actual_type"] not in POSTGRES_TYPES[types.get(row["macro"], "VARCHAR")]:
            failures.append(f"{described}: returns {row['actual_type']}")
    return failures


def test_every_normalisation_case_is_duckdbs(evaluate):
    rows = evaluate(cases_sql(CASES))
    assert len(rows) == sum(len(cases) for cases in CASES.values())
    failures = failures_of(rows, CASES, RETURN_TYPES)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("country_code", list(PHONE_VAR_CASES), ids=lambda code: f"code={code!r}")
def test_normalise_phone_uses_country_code_var(evaluate, country_code):
    cases = {"normalise_phone": PHONE_VAR_CASES[country_code]}
    rows = evaluate(cases_sql(cases), {"default_phone_country_code": country_code})
    failures = failures_of(rows, cases, {})
    assert not failures, "\n".join(failures)


def test_unreadable_values_are_rejected_not_blank_nor_an_error(evaluate):
    """A rejected cell, not a failed query: money and impossible dates that PostgreSQL's
    own casts would raise on are read as null and given their reason."""
    rules = [
        ("timestamp", "not a date", "not a timestamp"),
        ("timestamp", "2026-13-01T00:00:00", "not a timestamp"),
        ("timestamp", "2026-02-30", "not a timestamp"),
        ("timestamp", "10/04/2026", "not a timestamp"),
        ("timestamp", "", None),
        ("boolean", "deleted", "not a boolean"),
        ("boolean", "on", "not a boolean"),
        ("boolean", "", None),
        ("money", "12,50", "not a number"),
        ("money", "£12.00", "not a number"),
        ("money", "99999999999999999", "not a number"),
        ("money", " 12.50 ", None),
        ("money", "", None),
    ]
    sql = " union all ".join(
        f"select {index} as case_id, "
        f"{{{{ input_rejection_reason({{'column': \"'{value}'\", 'parse': '{parse}', 'required': false, 'is_text': true}}) }}}} as reason"
        for index, (parse, value, _) in enumerate(rules)
    )
    reasons = {row["case_id"]: row["reason"] for row in evaluate(sql)}
    for index, (parse, value, expected) in enumerate(rules):
        if expected is None:
            assert reasons[index] is None, f"{parse} {value!r}: accepted expected, got {reasons[index]!r}"
        else:
            assert reasons[index] and reasons[index].startswith(expected), f"{parse} {value!r}: {reasons[index]!r}"


def test_order_id_sort_key_reads_only_whole_numbers(evaluate):
    """`A-100` sorts by its text after the numbers instead of failing a bigint cast."""
    values = ["A-100", "100", " 42 ", "-7", "1.5", "", "123456789012345678901234567890"]
    sql = " union all ".join(
        f"select {index} as case_id, cast({{{{ order_id_sort_key(\"'{value}'\") }}}} as text) as sort_key"
        for index, value in enumerate(values))
    keys = [row["sort_key"] for row in sorted(evaluate(sql), key=lambda row: row["case_id"])]
    assert keys == [None, "100", "42", "-7", None, None, "123456789012345678901234567890"]
