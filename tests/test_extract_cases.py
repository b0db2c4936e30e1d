"""The held-out style cases of tests/fixtures/extract_cases.yaml: plan excerpts written in the manner of other
provinces' plans, each with the facts an analyst reads in it (scored as bench/extract_bench.py scores them)."""

import pytest

from bench.extract_bench import compare_case, extract_text, load_cases

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_case_facts_checks_and_metadata(case: dict) -> None:
    result = compare_case(case, extract_text(case["text"], case["id"]))
    assert result["problems"] == []


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_every_fact_opens_at_its_sentence(case: dict) -> None:
    facts = extract_text(case["text"], case["id"])
    for fact in [*facts.targets, *facts.budgets, *facts.product_counts]:
        prov = fact.provenance
        assert case["text"][prov.char_start : prov.char_end] == prov.text == prov.raw_text


def test_cases_cover_every_table_and_check_rule() -> None:
    assert all(any(case.get(table) for case in CASES) for table in ("targets", "budgets", "product_counts"))
    rules = {rule for case in CASES for rule in case.get("checks", [])}
    assert rules == {"amount_in_words", "breakdown_sum", "stars_exceed_rated"}
