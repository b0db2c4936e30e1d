"""The extract_facts interface, column order and row flattening."""

import json
from pathlib import Path

import pytest
from doc_text_factory import make_doc_text

from extractors import extract_facts
from extractors.facts import TABLE_COLUMNS, fact_to_row

RAW_DIR = Path(__file__).resolve().parent.parent / "data" / "raw"

TEXT = """UBND TỈNH AN GIANG
Số: 7/KH-UBND An Giang, ngày 2 tháng 3 năm 2022
KẾ HOẠCH
OCOP năm 2022

I. KẾT QUẢ NĂM 2021
Năm 2021 có 40 sản phẩm đạt 3 sao, kinh phí hỗ trợ 1,2 tỷ đồng.
\fII. MỤC TIÊU NĂM 2022
Phấn đấu có ít nhất 10 sản phẩm mới.
"""


def test_table_columns_are_fixed() -> None:
    assert TABLE_COLUMNS["targets"] == (
        "doc_id", "page", "period", "quantity", "quantity_max", "unit", "qualifier", "star_min", "star_max",
        "char_start", "char_end", "text", "raw_text", "confidence",
    )  # fmt: skip
    assert TABLE_COLUMNS["budgets"][2:8] == ("amount_vnd", "amount_text", "funding_source", "kind", "period", "purpose")
    assert TABLE_COLUMNS["product_counts"][2:10] == (
        "period", "count", "entity", "status", "star_min", "star_max", "category", "char_start",
    )  # fmt: skip
    assert TABLE_COLUMNS["checks"] == ("doc_id", "rule", "figures", "text")


def test_rows_follow_the_columns_and_serialise() -> None:
    facts = extract_facts(make_doc_text(TEXT, "ag"))
    assert facts.meta.province == "An Giang" and facts.meta.doc_number == "7/KH-UBND"
    for table in ("targets", "budgets", "product_counts"):
        rows = [fact_to_row(f) for f in getattr(facts, table)]
        assert rows, table
        for row in rows:
            assert tuple(row) == TABLE_COLUMNS[table]
            json.dumps(row)  # cacheable as JSON
    assert [fact_to_row(f)["page"] for f in facts.targets] == [2]
    assert [fact_to_row(f)["page"] for f in facts.budgets] == [1]


def test_raw_text_comes_from_the_alignment() -> None:
    raw = TEXT.replace("sản phẩm", "san pham")
    facts = extract_facts(make_doc_text(TEXT, "ag", raw_text=raw))
    prov = facts.targets[0].provenance
    assert prov.text == "Phấn đấu có ít nhất 10 sản phẩm mới."
    assert prov.raw_text == "Phấn đấu có ít nhất 10 san pham mới."


@pytest.mark.parametrize("path", sorted(RAW_DIR.glob("*.txt")), ids=lambda path: path.stem)
def test_every_fact_of_a_sample_plan_opens_at_its_sentence(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    # A raw twin of the same length (upper case), so that raw_text is seen to come from the raw side.
    raw = "".join(c.upper() if len(c.upper()) == 1 else c for c in text)
    facts = extract_facts(make_doc_text(text, path.stem, raw_text=raw))
    rows = [*facts.targets, *facts.budgets, *facts.product_counts]
    assert rows
    for fact in rows:
        prov = fact.provenance
        assert text[prov.char_start : prov.char_end] == prov.text
        assert prov.raw_text == raw[prov.char_start : prov.char_end]
        assert prov.text == prov.text.strip() and prov.doc_id == path.stem
