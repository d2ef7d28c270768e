"""The model layout keeps its promises: the README's model map lists exactly the models
dbt builds, and each rule that has one home fails loudly when that home and its seed
disagree (a renamed reconciliation reason never reads as zero)."""

from __future__ import annotations

import re

import pytest

from dbt_helpers import PROJECT_DIR, run_dbt
from e2e_support import DbtRunError, build, project_copy

MAP_START = "<!-- model-map:start -->"
MAP_END = "<!-- model-map:end -->"


def readme_model_map() -> set[str]:
    text = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    assert MAP_START in text and MAP_END in text, "README.md has no model map between the markers"
    section = text.split(MAP_START, 1)[1].split(MAP_END, 1)[0]
    return set(re.findall(r"\b(?:int|ecom)_[a-z0-9_]+\b", section))


def test_readme_model_map_matches_dbt_ls(tmp_path):
    result = run_dbt(
        ["ls", "--resource-type", "model", "--select", "path:models/intermediate", "path:models/marts",
         "--output", "name"],
        tmp_path / "ls.duckdb",
    )
    built = {str(line).strip() for line in result.result}
    mapped = readme_model_map()
    assert mapped == built, (
        f"in the README map but not built: {sorted(mapped - built)}; "
        f"built but not in the README map: {sorted(built - mapped)}"
    )


def test_renamed_reconciliation_reason_fails_the_build(tmp_path):
    reasons = (PROJECT_DIR / "seeds" / "reconciliation_reasons.csv").read_text(encoding="utf-8")
    assert "sync_timing," in reasons
    project = project_copy(tmp_path, seeds={"reconciliation_reasons": reasons.replace("sync_timing,", "sync_timings,")})
    with pytest.raises(DbtRunError) as failure:
        build(project, PROJECT_DIR / "data" / "demo", tmp_path / "renamed.duckdb")
    message = str(failure.value)
    assert "reconciliation_reasons_have_a_rule" in message
    # One seed row without a rule (sync_timings) and one rule without a seed row (sync_timing).
    assert "Got 2 results" in message, message
