"""The restore stage: pages restored with the real model, joined by form feeds, aligned with the raw text."""

from pathlib import Path

import pytest

from diacritics import Restorer
from pipeline.records import PageRecord, RawDocument, SourceFile
from pipeline.restore import restore_document


@pytest.fixture(scope="module")
def restorer() -> Restorer:
    return Restorer.load()


def _raw(pages: list[tuple[int | None, str, float | None]]) -> RawDocument:
    source = SourceFile(Path("/raw/plan.pdf"), "plan.pdf", "plan", "0" * 64, 1, "pdf")
    records = tuple(PageRecord("plan", no, text, "pdf-text", confidence=conf) for no, text, conf in pages)
    return RawDocument(source, records, ocr_engine="tesseract")


def test_pages_are_restored_and_joined_by_form_feeds(restorer: Restorer) -> None:
    doc = restore_document(_raw([(1, "Ke hoach trien khai", 0.9), (2, "nam 2021 co 5 san pham", 0.8)]), restorer)
    assert doc.raw_text == "Ke hoach trien khai\fnam 2021 co 5 san pham"
    assert doc.text.count("\f") == 1
    assert doc.text.split("\f")[0] == "Kế hoạch triển khai"
    assert doc.page_starts == (0, len("Kế hoạch triển khai") + 1)
    assert doc.page_at(doc.text.index("2021")) == 2


def test_alignment_maps_every_restored_token_to_its_raw_token(restorer: Restorer) -> None:
    doc = restore_document(_raw([(1, "Chwong trinh M&i xi mét san pham", None)]), restorer)
    assert len(doc.alignment) == len(doc.raw_text.split())
    for token in doc.alignment:
        raw = doc.raw_text[token.raw_start : token.raw_end]
        assert raw in doc.raw_text.split()
        assert doc.raw_text[slice(*doc.raw_span(token.out_start, token.out_end))] == raw


def test_token_confidence_includes_the_page_ocr_confidence(restorer: Restorer) -> None:
    sure = restore_document(_raw([(1, "Kế hoạch", None)]), restorer)
    unsure = restore_document(_raw([(1, "Kế hoạch", 0.5)]), restorer)
    assert unsure.confidence(0, 8) == pytest.approx(sure.confidence(0, 8) * 0.5)


def test_text_without_pages_has_no_page_numbers(restorer: Restorer) -> None:
    source = SourceFile(Path("/raw/a.txt"), "a.txt", "a", "0" * 64, 1, "text")
    doc = restore_document(RawDocument(source, (PageRecord("a", None, "san pham", "text"),)), restorer)
    assert doc.page_starts == ()
    assert doc.page_at(0) is None


def test_ocr_pages_are_post_corrected_only_where_tesseract_was_unsure(restorer: Restorer) -> None:
    text = "tổ chức thực hien Chuong trinh"
    source = SourceFile(Path("/raw/scan.png"), "scan.png", "scan", "0" * 64, 1, "image")
    page = PageRecord("scan", 1, text, "image", confidence=0.9, unsure_words=("hien",))
    doc = restore_document(RawDocument(source, (page,)), restorer)
    assert doc.text == "tổ chức thực hiện Chuong trinh"
    kept = next(a for a in doc.alignment if doc.raw_text[a.raw_start : a.raw_end] == "Chuong")
    assert not kept.changed and kept.alternatives[0] == "Chương"
    assert restore_document(_raw([(1, text, None)]), restorer).text == "tổ chức thực hiện Chương trình"  # text layer


def test_ocr_pages_get_the_tone_slips_of_tesseract_vie_fixed(restorer: Restorer) -> None:
    text = "Người có thấm quyền nộp hồ sơ tại Chỉ cục Thuế; Tống Giám đốc ký."
    source = SourceFile(Path("/raw/scan.png"), "scan.png", "scan", "0" * 64, 1, "image")
    page = PageRecord("scan", 1, text, "image", confidence=0.9, unsure_words=("thấm", "Chỉ"))
    restored = "Người có thẩm quyền nộp hồ sơ tại Chi cục Thuế; Tống Giám đốc ký."  # Tống: Tesseract was sure
    assert restore_document(RawDocument(source, (page,), ocr_engine="tesseract 5.3.0 (vie)"), restorer).text == restored
    english = restore_document(RawDocument(source, (page,), ocr_engine="tesseract 5.3.0 (eng)"), restorer).text
    assert english.startswith("Người có thấm quyền")  # no `vie` slips looked for in what `eng` read
    layer = restore_document(_raw([(1, text, None)]), restorer).text  # a text layer is taken as written
    assert layer.startswith("Người có thấm quyền") and "Tống Giám đốc" in layer


def _text_file(pages: list[str]) -> RawDocument:
    source = SourceFile(Path("/raw/plan.txt"), "plan.txt", "plan", "0" * 64, 1, "text")
    return RawDocument(source, tuple(PageRecord("plan", n, text, "text") for n, text in enumerate(pages, 1)))


def test_the_pages_of_a_document_are_restored_together(restorer: Restorer) -> None:
    pages = ["Thanh lap Van phong Dieu phoi nong thon moi tinh.", "Noi nhan:\n- VPDP NTM tinh;\n- Luu VT."]
    assert restorer.restore(pages[1]).text.startswith("Nơi nhận:\n- VPDP NTM")  # the name is on the other page
    doc = restore_document(_text_file(pages), restorer)
    assert doc.text.split("\f")[1] == "Nơi nhận:\n- VPĐP NTM tỉnh;\n- Lưu VT."
    assert doc.text == restorer.restore("\f".join(pages)).text


def test_pages_of_each_kind_are_restored_apart(restorer: Restorer) -> None:
    scan = PageRecord("plan", 2, "Noi nhan:\n- VPDP NTM tinh", "pdf-scan", confidence=0.9, unsure_words=("VPDP",))
    layer = PageRecord("plan", 1, "Thanh lap Van phong Dieu phoi nong thon moi tinh.", "pdf-text")
    raw = RawDocument(SourceFile(Path("/raw/plan.pdf"), "plan.pdf", "plan", "0" * 64, 1, "pdf"), (layer, scan))
    assert restore_document(raw, restorer).text.split("\f")[1] == "Noi nhan:\n- VPDP NTM tinh"  # only unsure words
