"""Records: offset mapping between restored and raw text, pages, JSON round trips."""

from pathlib import Path

from pipeline.records import DocumentText, PageRecord, RawDocument, SourceFile, TokenAlignment


def _doc() -> DocumentText:
    raw = "Chwong trinh\fnim 2021"
    text = "Chương trình\fnăm 2021"
    alignment = (
        TokenAlignment(0, 6, 0, 6, 0.9, True),
        TokenAlignment(7, 12, 7, 12, 0.8, True),
        TokenAlignment(13, 16, 13, 16, 0.5, True),
        TokenAlignment(17, 21, 17, 21, 1.0, False),
    )
    return DocumentText("d", text, raw, alignment, page_starts=(0, 13))


def test_raw_span_maps_tokens_and_gaps() -> None:
    doc = _doc()
    assert doc.raw_text[slice(*doc.raw_span(0, 12))] == "Chwong trinh"
    assert doc.raw_text[slice(*doc.raw_span(13, 21))] == "nim 2021"


def test_raw_span_with_tokens_of_different_length() -> None:
    raw, text = "Chu’O’ng x3", "Chương xã"
    doc = DocumentText("d", text, raw, (TokenAlignment(0, 6, 0, 8, 1.0, True), TokenAlignment(7, 9, 9, 11, 1.0, True)))
    assert raw[slice(*doc.raw_span(0, 9))] == raw
    assert raw[slice(*doc.raw_span(7, 9))] == "x3"


def test_page_at_and_confidence() -> None:
    doc = _doc()
    assert doc.page_at(0) == 1
    assert doc.page_at(12) == 1
    assert doc.page_at(13) == 2
    assert doc.confidence(0, 12) == (0.9 + 0.8) / 2
    unpaged = DocumentText("d", "a", "a", ())
    assert unpaged.page_at(0) is None
    assert unpaged.confidence(0, 1) == 1.0


def test_json_round_trips() -> None:
    doc = _doc()
    assert DocumentText.from_json(doc.to_json()) == doc
    source = SourceFile(Path("/x/a.txt"), "a.txt", "a", "0" * 64, 3, "text")
    raw = RawDocument(source, (PageRecord("a", None, "abc", "text"),), encoding="utf-8", ocr_engine="input-text")
    assert RawDocument.from_json(raw.to_json()) == raw
    assert raw.text == "abc"
    assert raw.source_kind == "text"


def test_source_kind_of_mixed_pdf_is_scan() -> None:
    source = SourceFile(Path("/x/a.pdf"), "a.pdf", "a", "0" * 64, 3, "pdf")
    pages = (PageRecord("a", 1, "x", "pdf-text"), PageRecord("a", 2, "y", "pdf-scan", confidence=0.9))
    assert RawDocument(source, pages).source_kind == "pdf-scan"
