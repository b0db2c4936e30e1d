"""Targets on hand-written goal paragraphs."""

from doc_text_factory import make_doc_text

from extractors import extract_facts

PLAN = """KẾ HOẠCH
Thực hiện Chương trình OCOP năm 2023

I. KẾT QUẢ NĂM 2022
Năm 2022 đã đào tạo 300 cán bộ và có 45 sản phẩm đạt 3 sao.

II. MỤC TIÊU NĂM 2023
1. Mục tiêu cụ thể
- Phấn đấu có ít nhất 25 sản phẩm đạt từ 3 sao trở lên.
- Khoảng 5-8 sản phẩm đạt 4 sao; tối thiểu 01 sản phẩm nâng hạng từ 4 sao lên 5 sao.
- Đào tạo 200 cán bộ quản lý; 100% chủ thể được tập huấn.
- Không quá 2 mô hình điểm; trên 60% sản phẩm có mã vạch.
2. Giải pháp
Tổ chức hội nghị ngày 15/6/2023 theo Quyết định số 148/QĐ-TTg; gọi 0290.3826.111.
"""


def targets() -> list:
    return extract_facts(make_doc_text(PLAN)).targets


def test_target_keys_and_no_results_or_distractors() -> None:
    assert [(t.quantity, t.unit) for t in targets()] == [
        (25, "sản phẩm"), (5, "sản phẩm"), (1, "sản phẩm"), (200, "cán bộ"), (100, "%"), (2, "mô hình"), (60, "%"),
    ]  # fmt: skip


def test_target_attributes() -> None:
    rows = targets()
    assert [t.qualifier for t in rows] == ["at_least", "about", "at_least", "exactly", "exactly", "at_most", "at_least"]
    assert (rows[0].star_min, rows[0].star_max) == (3, None)
    assert (rows[1].quantity_max, rows[1].star_min, rows[1].star_max) == (8, 4, 4)
    assert (rows[2].star_min, rows[2].star_max) == (5, 5)
    assert {t.period for t in rows} == {"2023"}


def test_stars_trở_lên_does_not_qualify_the_count() -> None:
    text = "II. MỤC TIÊU NĂM 2024\nPhấn đấu có 25-30 sản phẩm đạt 3 sao trở lên; có 12 hợp tác xã trở lên."
    rows = extract_facts(make_doc_text(text)).targets
    assert [(t.quantity, t.quantity_max, t.qualifier, t.star_min, t.star_max) for t in rows] == [
        (25, 30, "exactly", 3, None),
        (12, None, "at_least", None, None),
    ]


def test_numbered_goal_without_final_period_is_still_a_goal() -> None:
    text = "II. MỤC TIÊU NĂM 2024\n1. Phấn đấu có 12 sản phẩm đạt 3 sao\n2. Đến năm 2024 có 100% xã có sản phẩm OCOP"
    rows = extract_facts(make_doc_text(text)).targets
    assert [(t.quantity, t.unit) for t in rows] == [(12, "sản phẩm"), (100, "%")]


def test_restated_goal_is_emitted_once_but_equal_figures_of_different_goals_are_kept() -> None:
    text = (
        "II. MỤC TIÊU NĂM 2024\nPhấn đấu 100% cán bộ được tập huấn; 100% sản phẩm có mã QR.\n"
        "III. GIẢI PHÁP\nPhấn đấu 100% cán bộ được tập huấn."
    )
    rows = extract_facts(make_doc_text(text)).targets
    assert [(t.quantity, t.unit, t.provenance.text) for t in rows] == [
        (100, "%", "Phấn đấu 100% cán bộ được tập huấn;"),
        (100, "%", "100% sản phẩm có mã QR."),
    ]


def test_a_goal_whose_stars_ocr_put_after_a_blank_line_keeps_them() -> None:
    text = "II. MỤC TIÊU NĂM 2024\nPhấn đấu có thêm 25 sản phẩm được công nhận\n\nđạt 3 sao trở lên."
    rows = extract_facts(make_doc_text(text)).targets
    assert [(t.quantity, t.unit, t.star_min, t.star_max) for t in rows] == [(25, "sản phẩm", 3, None)]
