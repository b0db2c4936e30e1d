"""The table writer: fixed columns, cell formats, one table per fact kind, stale texts removed."""

from pathlib import Path

from extractors.facts import TABLE_COLUMNS
from pipeline.errors import InputError
from pipeline.records import DocumentText, PageRecord, RawDocument, SourceFile, TokenAlignment
from pipeline.write import DOCUMENT_COLUMNS, DocumentResult, format_value, render_csv, write_outputs


def _result(doc_id: str) -> DocumentResult:
    source = SourceFile(Path(f"/raw/{doc_id}.txt"), f"{doc_id}.txt", doc_id, "f" * 64, 10, "text")
    raw = RawDocument(source, (PageRecord(doc_id, None, "co 5 san pham", "text"),), "utf-8", "input-text")
    text = DocumentText(doc_id, "có 5 sản phẩm", "co 5 san pham", (TokenAlignment(0, 2, 0, 2, 0.7, True),))
    provenance = {"doc_id": doc_id, "page": None, "char_start": 0, "char_end": 13, "text": text.text,
                  "raw_text": text.raw_text, "confidence": 0.7}  # fmt: skip
    facts = {
        "meta": {"province": "Đồng Tháp", "period_start": 2021, "period_end": 2021},
        "targets": [{**provenance, "period": "2021", "quantity": 5, "unit": "sản phẩm", "qualifier": "exactly"}],
        "budgets": [],
        "product_counts": [{**provenance, "period": "2021", "count": 5, "entity": "product", "status": "rated"}],
        "checks": [],
    }
    return DocumentResult(raw, text, facts)


def test_format_value() -> None:
    assert format_value(None) == ""
    assert format_value(6400000000) == "6400000000"
    assert format_value(0.98765) == "0.9877"
    assert format_value(1.0) == "1"
    assert format_value("Đồng Tháp") == "Đồng Tháp"


def test_render_csv_keeps_column_order_and_quotes_newlines() -> None:
    blob = render_csv(("b", "a"), [{"a": 1, "b": "x\ny"}])
    assert blob.decode("utf-8") == 'b,a\n"x\ny",1\n'


def test_write_outputs_puts_each_fact_in_its_own_table(tmp_path: Path) -> None:
    write_outputs(tmp_path, [_result("b"), _result("a")], [InputError("junk.txt", "ingest", "binary data")])
    documents = (tmp_path / "documents.csv").read_text(encoding="utf-8").splitlines()
    assert documents[0] == ",".join(DOCUMENT_COLUMNS)
    assert [line.split(",")[0] for line in documents[1:]] == ["a", "b"]
    targets = (tmp_path / "targets.csv").read_text(encoding="utf-8").splitlines()
    assert targets[0] == ",".join(TABLE_COLUMNS["targets"])
    assert len(targets) == 3 and "sản phẩm" in targets[1]
    assert len((tmp_path / "budgets.csv").read_text(encoding="utf-8").splitlines()) == 1
    assert "rated" in (tmp_path / "product_counts.csv").read_text(encoding="utf-8")
    errors = (tmp_path / "errors.csv").read_text(encoding="utf-8")
    assert errors == "source_path,stage,reason\njunk.txt,ingest,binary data\n"
    assert (tmp_path / "text" / "a.txt").read_text(encoding="utf-8") == "có 5 sản phẩm"
    assert (tmp_path / "text" / "a.ocr.txt").read_text(encoding="utf-8") == "co 5 san pham"


def test_second_write_changes_nothing_and_stale_texts_go(tmp_path: Path) -> None:
    assert write_outputs(tmp_path, [_result("a"), _result("b")], [])
    assert write_outputs(tmp_path, [_result("a"), _result("b")], []) == []
    changed = write_outputs(tmp_path, [_result("a")], [])
    assert not (tmp_path / "text" / "b.txt").exists()
    assert tmp_path / "documents.csv" in changed
