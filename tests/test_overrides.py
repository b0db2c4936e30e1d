"""The review loop: a reviewer's user.tsv and overrides.csv change the next run, which records what it applied."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import frictionless
import pytest

from pipeline.overrides import OVERRIDE_COLUMNS, coerce_value, parse_override
from pipeline.write import CORRECTION_COLUMNS
from tests.sample_run import run_samples


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, columns)
        writer.writeheader()
        writer.writerows(rows)


PHRASE_RE = re.compile(r"(?<!\S)[a-z]{3,} [a-z]{3,}(?!\S)")  # two words of plain letters on one line

ROW = {"doc_id": "d", "table": "budgets", "char_start": "10", "action": "set"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"table": "documents"}, "table must be one of"),
        ({"action": "delete"}, "action must be one of"),
        ({"column": "text", "value": "x"}, "column of budgets to set"),
        ({"column": "funding_source", "value": "state"}, "funding_source must be one of"),
        ({"column": "amount_vnd", "value": "5 tỷ"}, "amount_vnd must be of type integer"),
        ({"column": "purpose", "value": "x", "char_start": "ten"}, "char_start must be an offset"),
        ({"column": "purpose", "value": "x", "char_start": ""}, "char_start must be an offset"),
        ({"column": "purpose", "value": "x", "match": "colour=red"}, "match must be column=value pairs"),
    ],
)
def test_an_invalid_override_says_what_is_wrong(change: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_override(2, {**ROW, **change})


def test_values_take_the_column_type_and_match_pairs_split_like_review_items() -> None:
    assert coerce_value("amount_vnd", "6400000000") == 6400000000
    assert coerce_value("quantity", "2.5") == 2.5 and coerce_value("quantity", "20") == 20
    assert coerce_value("star_max", "") is None
    override = parse_override(3, {**ROW, "column": "kind", "value": "spent",
                                  "match": "amount_vnd=900000000, purpose=Hỗ trợ, tập huấn"})  # fmt: skip
    assert override.match == (("amount_vnd", "900000000"), ("purpose", "Hỗ trợ, tập huấn"))


def test_an_override_chooses_the_matching_facts_nearest_to_its_offset() -> None:
    fact = {"char_start": 12, "amount_vnd": 900000000, "purpose": "Hỗ trợ"}
    facts = [fact, {**fact, "amount_vnd": 1}, {**fact, "char_start": 500}, {**fact, "char_start": 0}]
    assert parse_override(2, {**ROW, "action": "drop", "match": "amount_vnd=900000000"}).select(facts) == [0]
    anywhere = parse_override(2, {**ROW, "action": "drop", "match": "amount_vnd=900000000", "char_start": ""})
    assert anywhere.select(facts) == [0, 2, 3]
    assert parse_override(2, {**ROW, "action": "drop", "char_start": "12"}).select(facts) == [0, 1]
    assert parse_override(2, {**ROW, "action": "drop"}).select(facts) == []  # no match: only an exact offset


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A first run, a reviewer's corrections drawn from its review.csv and tables, and the run after them."""
    root = tmp_path_factory.mktemp("review-loop")
    out, _ = run_samples(root)
    before = {name: read_csv(out / f"{name}.csv") for name in ("budgets", "product_counts", "review")}
    restoration = next(r for r in before["review"] if r["subject"] == "restoration")
    raw_word = restoration["item"].split(" → ")[0]
    forced = raw_word.lower() + "x"  # any form the restorer would never choose
    raw_text = (out / "text" / f"{restoration['doc_id']}.ocr.txt").read_text(encoding="utf-8")
    phrase = next(m.group() for m in PHRASE_RE.finditer(raw_text) if raw_word.lower() not in m.group().lower().split())
    forced_phrase = " ".join(f"{word.lower()}x" for word in phrase.split())
    (root / "user.tsv").write_text(
        f"wrong\tright\n{raw_word}\t{forced}\n{phrase}\t{forced_phrase}\nhai chu\tmột\n", encoding="utf-8"
    )
    dropped, edited = before["budgets"][0], before["product_counts"][0]
    write_csv(root / "overrides.csv", OVERRIDE_COLUMNS, [
        {**_at(dropped), "table": "budgets", "match": f"amount_vnd={dropped['amount_vnd']}", "action": "drop"},
        {**_at(edited), "table": "product_counts", "match": f"count={edited['count']}", "action": "set",
         "column": "status", "value": "potential", "note": "the plan says tiềm năng"},
        {**_at(edited), "table": "product_counts", "match": "count=123456789", "action": "drop"},
        {**_at(edited), "table": "budgets", "action": "set", "column": "kind", "value": "hoped"},
    ])  # fmt: skip
    out, summary = run_samples(root)
    return {"root": root, "out": out, "summary": summary, "before": before, "restoration": restoration,
            "raw_word": raw_word, "forced": forced, "phrase": phrase, "forced_phrase": forced_phrase,
            "dropped": dropped, "edited": edited}  # fmt: skip


def _at(fact: dict[str, str]) -> dict[str, str]:
    return {"doc_id": fact["doc_id"], "char_start": fact["char_start"]}


def test_a_user_lexicon_entry_changes_the_restored_text(corrected: dict) -> None:
    out = corrected["out"]
    rows = [r for r in read_csv(out / "corrections_applied.csv") if r["source"] == "user.tsv"]
    for line, forced in (("2", corrected["forced"]), ("3", corrected["forced_phrase"])):
        forced_at = [r for r in rows if r["line"] == line]
        assert forced_at
        for row in forced_at:
            text = (out / "text" / f"{row['doc_id']}.txt").read_text(encoding="utf-8")
            assert " ".join(text[int(row["char_start"]) : int(row["char_end"])].lower().split()) == forced
    restoration = corrected["restoration"]
    assert restoration["doc_id"] in {r["doc_id"] for r in rows if r["line"] == "2"}
    assert not restoration["item"].endswith(f"→ {corrected['forced']}")  # the first run restored it otherwise


def test_a_dropped_fact_is_gone_and_a_set_fact_changed(corrected: dict) -> None:
    out, dropped, edited = corrected["out"], corrected["dropped"], corrected["edited"]
    budgets = read_csv(out / "budgets.csv")
    assert len(budgets) == len(corrected["before"]["budgets"]) - 1
    assert not [b for b in budgets if (b["doc_id"], b["raw_text"], b["amount_vnd"]) ==
                (dropped["doc_id"], dropped["raw_text"], dropped["amount_vnd"])]  # fmt: skip
    counts = read_csv(out / "product_counts.csv")
    changed = [c for c in counts if (c["doc_id"], c["raw_text"], c["count"]) ==
               (edited["doc_id"], edited["raw_text"], edited["count"])]  # fmt: skip
    assert changed and all(c["status"] == "potential" and c["confidence"] == "1" for c in changed)


def test_the_run_records_every_correction_and_its_outcome(corrected: dict) -> None:
    out = corrected["out"]
    rows = read_csv(out / "corrections_applied.csv")
    assert list(rows[0]) == list(CORRECTION_COLUMNS)
    lexicon = [r for r in rows if r["source"] == "user.tsv"]
    assert {r["line"] for r in lexicon} == {"2", "3", "4"}
    invalid = [r for r in lexicon if r["line"] == "4"]
    assert len(invalid) == 1 and invalid[0]["outcome"].startswith("invalid: a phrase is restored word for word")
    lexicon = [r for r in lexicon if r["line"] != "4"]
    assert all(r["outcome"] == "applied" for r in lexicon)
    phrase = corrected["phrase"]
    assert all(r["change"].startswith(f"{phrase} → ") for r in lexicon if r["line"] == "3")
    overrides = {r["line"]: r for r in rows if r["source"] == "overrides.csv"}
    assert overrides["2"]["outcome"] == overrides["3"]["outcome"] == "applied to 1 fact(s)"
    assert overrides["4"]["outcome"].startswith("no match")
    assert overrides["5"]["outcome"].startswith("invalid: kind must be one of")
    rendered = corrected["summary"].render()
    restored = f"{len(lexicon)} word(s) or phrase(s) restored from the user lexicon (1 invalid line(s) skipped)"
    assert f"{restored}, 2 of 4 fact override(s) applied" in rendered


def test_outputs_with_corrections_still_validate(corrected: dict) -> None:
    report = frictionless.validate(corrected["out"] / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
