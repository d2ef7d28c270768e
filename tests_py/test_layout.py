"""The model layout keeps its promises: at most ten models from a source to a mart, at
most six parents per model, no mart reading a mart, every rejoin explained in its model;
the README's model map lists exactly the models dbt builds; and each rule that has one
home fails loudly when that home and its seed disagree (a renamed reconciliation reason
never reads as zero)."""

from __future__ import annotations

import functools
import json
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


MAX_MODELS_ON_A_PATH = 10
MAX_PARENTS = 6


@pytest.fixture(scope="module")
def manifest(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("layout") / "parse.duckdb"
    run_dbt(["parse", "--no-partial-parse"], path)
    return json.loads((path.parent / "dbt_target" / "manifest.json").read_text())


def model_parents(manifest: dict) -> dict[str, set[str]]:
    """Each model's parents among models, sources and seeds, by name."""
    models = {k: v for k, v in manifest["nodes"].items() if v["resource_type"] == "model"}
    return {
        node["name"]: {
            parent.split(".")[-1] if parent.startswith(("model.", "seed.")) else parent
            for parent in node["depends_on"]["nodes"] if parent.split(".")[0] in ("model", "source", "seed")
        }
        for node in models.values()
    }


def test_a_source_to_mart_path_has_at_most_ten_models(manifest):
    parents = model_parents(manifest)

    @functools.lru_cache(maxsize=None)
    def models_on_longest_path(name: str) -> int:
        return 1 + max((models_on_longest_path(p) for p in parents[name] if p in parents), default=0)

    longest = {name: models_on_longest_path(name) for name in parents}
    assert max(longest.values()) <= MAX_MODELS_ON_A_PATH, sorted(longest.items(), key=lambda kv: -kv[1])[:5]


def test_no_model_has_more_than_six_parents(manifest):
    wide = {name: sorted(p) for name, p in model_parents(manifest).items() if len(p) > MAX_PARENTS}
    assert wide == {}


def test_no_mart_reads_a_mart(manifest):
    parents = model_parents(manifest)
    marts = {node["name"] for node in manifest["nodes"].values()
             if node["resource_type"] == "model" and node["original_file_path"].startswith("models/marts/")}
    assert {name: sorted(parents[name] & marts) for name in marts if parents[name] & marts} == {}


def test_every_rejoin_says_why_beside_it(manifest):
    # A rejoin: a model reading both a model and one of that model's parents. Each must be
    # named, with its reason, in a "Rejoin" note of the model's header.
    parents = model_parents(manifest)
    files = {node["name"]: PROJECT_DIR / node["original_file_path"]
             for node in manifest["nodes"].values() if node["resource_type"] == "model"}
    unexplained = []
    for name, own in parents.items():
        rejoined = {p for a in own if a in parents for p in parents[a] & own}
        if not rejoined:
            continue
        text = files[name].read_text(encoding="utf-8")
        note = text.split("Rejoin", 1)[1].split("#}", 1)[0] if "Rejoin" in text else ""
        unexplained += [f"{name} re-reads {p}" for p in sorted(rejoined) if p not in note]
    assert unexplained == []


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
