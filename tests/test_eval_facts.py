"""`make eval`'s scorer: SPEC match keys, optional facts ignored, clear errors instead of empty scores."""

import json
from pathlib import Path

import pytest

from bench.eval_facts import run
from pipeline.write import render_csv


def _write_outputs(out: Path, budgets: list[dict[str, object]]) -> None:
    out.mkdir()
    documents = [{"doc_id": "plan", "province": "An Giang"}]
    (out / "documents.csv").write_bytes(render_csv(("doc_id", "province"), documents))
    (out / "budgets.csv").write_bytes(render_csv(("doc_id", "amount_vnd", "funding_source"), budgets))


def _write_gold(gold: Path) -> None:
    gold.mkdir()
    facts = {
        "document": {"province": "An Giang"},
        "budgets": [{"amount_vnd": 900000000, "funding_source": "local"}],
        "product_counts": [],
        "targets": [],
        "optional": [{"table": "budgets", "amount_vnd": 5000000}],
    }
    (gold / "plan.json").write_text(json.dumps(facts), encoding="utf-8")


def test_scores_on_keys_and_ignores_optional_facts(tmp_path: Path) -> None:
    _write_gold(tmp_path / "gold")
    predicted = [
        {"doc_id": "plan", "amount_vnd": 900000000, "funding_source": "central"},
        {"doc_id": "plan", "amount_vnd": 5000000, "funding_source": "local"},  # optional: neither way
        {"doc_id": "plan", "amount_vnd": 2021, "funding_source": "other"},  # a year read as money
    ]
    _write_outputs(tmp_path / "out", predicted)
    budgets = run(tmp_path / "out", tmp_path / "gold")["tables"]["budgets"]
    assert (budgets["tp"], budgets["fp"], budgets["fn"]) == (1, 1, 0)
    assert budgets["precision"] == 0.5 and budgets["recall"] == 1.0


def test_missing_gold_or_missing_outputs_are_errors_not_perfect_scores(tmp_path: Path) -> None:
    _write_outputs(tmp_path / "out", [])
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="no gold facts"):
        run(tmp_path / "out", tmp_path / "empty")
    _write_gold(tmp_path / "gold")
    (tmp_path / "out" / "documents.csv").write_bytes(render_csv(("doc_id",), []))
    with pytest.raises(FileNotFoundError, match="no output for gold document"):
        run(tmp_path / "out", tmp_path / "gold")
