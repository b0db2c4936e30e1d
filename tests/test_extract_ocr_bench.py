"""The English-model OCR extraction benchmark: cases cut into paragraphs, typeset, read by real Tesseract `eng`,
restored and extracted by the pipeline's own stages."""

from __future__ import annotations

from bench.extract_ocr_bench import case_paragraphs, extract_ocr_text, ocr_paragraphs
from diacritics import Restorer


def test_wrapped_lines_join_and_headings_list_items_and_table_rows_stand_alone() -> None:
    text = (
        "KẾ HOẠCH\n"
        "Thực hiện Chương trình OCOP năm 2024\n"
        "\n"
        "- Phấn đấu năm 2024 có thêm ít nhất 15 sản phẩm được công nhận đạt 3 sao trở lên, trong đó có 02\n"
        "sản phẩm đạt 4 sao; hỗ trợ các chủ thể hoàn thiện hồ sơ sản phẩm tham gia đánh giá, phân hạng:\n"
        "300 triệu đồng.\n"
        "STT | Chỉ tiêu | Năm 2024\n"
        "1 | Sản phẩm OCOP | 15\n"
    )
    assert case_paragraphs(text) == [
        "KẾ HOẠCH",
        "Thực hiện Chương trình OCOP năm 2024",
        "- Phấn đấu năm 2024 có thêm ít nhất 15 sản phẩm được công nhận đạt 3 sao trở lên, trong đó có 02 sản phẩm "
        "đạt 4 sao; hỗ trợ các chủ thể hoàn thiện hồ sơ sản phẩm tham gia đánh giá, phân hạng: 300 triệu đồng.",
        "STT | Chỉ tiêu | Năm 2024",
        "1 | Sản phẩm OCOP | 15",
    ]


def test_a_case_read_by_english_tesseract_is_restored_and_its_amount_extracted() -> None:
    paragraphs = [
        "KINH PHÍ THỰC HIỆN",
        "Tổng kinh phí thực hiện Kế hoạch năm 2024 là 7.935 triệu đồng từ ngân sách tỉnh.",
    ]
    text = ocr_paragraphs(paragraphs, seed=7)
    heading, body = text.split("\n\n")
    assert "\n" not in heading and "7.935" in body
    assert "năm" not in text and "Kế" not in text  # English-model OCR loses the marks
    facts = extract_ocr_text(text, "case", Restorer.load())
    assert [(b.amount_vnd, b.kind, b.period) for b in facts.budgets] == [(7_935_000_000, "planned", "2024")]
