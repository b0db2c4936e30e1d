"""review.csv: the least certain restorations and facts, each pointing at its text, lowest confidence first."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.records import DocumentText, PageRecord, RawDocument, SourceFile, TokenAlignment
from pipeline.write import REVIEW_COLUMNS, REVIEW_LIMIT_PER_DOC, DocumentResult, review_rows
from tests.sample_run import run_samples

RAW = "Ke hoach\fco 5 san pham dat 3 sao"
TEXT = "Kế hoạch\fcó 5 sản phẩm đạt 3 sao"


def make_result(confidences: list[float]) -> DocumentResult:
    """A two-page document whose changed words have the given confidences, with one target fact."""
    source = SourceFile(Path("/raw/d.txt"), "d.txt", "d", "f" * 64, 10, "text")
    raw = RawDocument(source, (PageRecord("d", 1, "Ke hoach", "text"), PageRecord("d", 2, RAW[9:], "text")))
    spans = [(0, 2), (3, 8), (9, 11), (14, 17), (18, 22), (23, 26)]
    alignment = tuple(
        TokenAlignment(s, e, s, e, confidence, RAW[s:e] != TEXT[s:e], ("hoach",) if RAW[s:e] == "hoach" else ())
        for (s, e), confidence in zip(spans, confidences, strict=True)
    )
    text = DocumentText("d", TEXT, RAW, alignment, page_starts=(0, 9))
    target = {"doc_id": "d", "page": 2, "period": "2021", "quantity": 5, "unit": "sản phẩm", "qualifier": "exactly",
              "star_min": 3, "char_start": 9, "char_end": len(TEXT), "text": TEXT[9:], "raw_text": RAW[9:],
              "confidence": 0.5}  # fmt: skip
    facts = {"meta": {}, "targets": [target], "budgets": [], "product_counts": [], "checks": []}
    return DocumentResult(raw, text, facts)


def test_rows_come_lowest_confidence_first_and_point_at_their_text() -> None:
    rows = review_rows(make_result([0.9, 0.2, 0.6, 0.4, 0.99, 0.3]))
    assert [r["confidence"] for r in rows] == sorted(r["confidence"] for r in rows)
    context = "Kế hoạch có 5 sản phẩm đạt 3 sao"  # 40 characters either side, whitespace and page breaks as spaces
    assert rows[0] == {"doc_id": "d", "page": 1, "subject": "restoration", "item": "hoach → hoạch",
                       "alternatives": "hoach", "confidence": 0.2, "char_start": 3, "char_end": 8,
                       "context": context, "raw_context": "Ke hoach co 5 san pham dat 3 sao"}  # fmt: skip
    target = next(r for r in rows if r["subject"] == "targets")
    assert target["item"] == "period=2021, quantity=5, unit=sản phẩm, qualifier=exactly, star_min=3"
    assert (target["page"], target["char_start"], target["char_end"]) == (2, 9, len(TEXT))
    assert {r["item"] for r in rows if r["subject"] == "restoration"} == {
        "Ke → Kế",
        "hoach → hoạch",
        "co → có",
        "san → sản",
        "pham → phẩm",
        "dat → đạt",
    }


def test_a_word_kept_as_written_is_listed_when_a_runner_up_had_a_share() -> None:
    result = make_result([0.9, 0.2, 0.6, 0.4, 0.99, 0.3])
    kept = TokenAlignment(29, 32, 29, 32, 0.55, False, ("sào",))
    text = DocumentText("d", TEXT, RAW, (*result.text.alignment, kept), page_starts=(0, 9))
    rows = review_rows(DocumentResult(result.raw, text, result.facts))
    row = next(r for r in rows if r["char_start"] == 29)
    assert (row["item"], row["alternatives"], row["confidence"]) == ("sao → sao", "sào", 0.55)
    unsure = TokenAlignment(29, 32, 29, 32, 0.55, False, ())  # kept, and nothing else was likely: not listed
    text = DocumentText("d", TEXT, RAW, (*result.text.alignment, unsure), page_starts=(0, 9))
    assert all(r["item"] != "sao → sao" for r in review_rows(DocumentResult(result.raw, text, result.facts)))


def test_each_document_gives_at_most_the_limit() -> None:
    result = make_result([0.5] * 6)
    many = [{**result.facts["targets"][0], "quantity": n} for n in range(2 * REVIEW_LIMIT_PER_DOC)]
    rows = review_rows(DocumentResult(result.raw, result.text, {**result.facts, "targets": many}))
    assert len(rows) == REVIEW_LIMIT_PER_DOC


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_samples(tmp_path_factory.mktemp("review"))[0]


def test_review_csv_of_the_samples_points_at_restorations_and_facts(out: Path) -> None:
    with (out / "review.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(REVIEW_COLUMNS)
    facts = {}
    for table in ("targets", "budgets", "product_counts"):
        with (out / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
            facts[table] = {(r["doc_id"], r["char_start"], r["char_end"]) for r in csv.DictReader(fh)}
    for doc_id in {r["doc_id"] for r in rows}:
        mine = [r for r in rows if r["doc_id"] == doc_id]
        assert len(mine) <= REVIEW_LIMIT_PER_DOC
        assert [float(r["confidence"]) for r in mine] == sorted(float(r["confidence"]) for r in mine)
        text = (out / "text" / f"{doc_id}.txt").read_text(encoding="utf-8")
        raw = (out / "text" / f"{doc_id}.ocr.txt").read_text(encoding="utf-8")
        for row in mine:
            span = text[int(row["char_start"]) : int(row["char_end"])]
            if row["subject"] == "restoration":
                old, new = row["item"].split(" → ")
                assert span == new and old in raw and (old != new or row["alternatives"])
                assert old in row["raw_context"] and " ".join(row["raw_context"].split()) in " ".join(raw.split())
            else:
                assert (doc_id, row["char_start"], row["char_end"]) in facts[row["subject"]]
            assert " ".join(span.split())[:20] in row["context"]
