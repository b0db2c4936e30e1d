"""Budgets on hand-written plan excerpts."""

from doc_text_factory import make_doc_text

from extractors import extract_facts

PLAN = """KẾ HOẠCH
Phát triển sản phẩm OCOP giai đoạn 2022-2025

I. KẾT QUẢ THỰC HIỆN NĂM 2021

Năm 2021, tổng kinh phí đã hỗ trợ các chủ thể là 12,5 tỷ đồng. Trong đó:
- Ngân sách tỉnh: 10 tỷ đồng;
- Vốn lồng ghép chương trình khuyến nông: 2.500 triệu đồng.

Quyết định số 490/QĐ-TTg ngày 07/5/2018; liên hệ 0277.3851.234.

II. KẾ HOẠCH GIAI ĐOẠN 2022-2025

Tổng nhu cầu kinh phí dự kiến 50 tỷ đồng. Trong đó:
- Vốn Trung ương: 20 tỷ đồng. Trong đó:
+ Vốn 15 tỷ đồng: xây dựng trung tâm thiết kế.
+ Vốn 4 tỷ đồng: xúc tiến thương mại.
- Vốn đối ứng của người dân, doanh nghiệp: 30 tỷ đồng.
"""


def budgets() -> list:
    return extract_facts(make_doc_text(PLAN, "plan")).budgets


def test_every_amount_in_dong_and_no_distractor() -> None:
    amounts = [b.amount_vnd for b in budgets()]
    assert amounts == [12_500_000_000, 10_000_000_000, 2_500_000_000, 50_000_000_000, 20_000_000_000,
                       15_000_000_000, 4_000_000_000, 30_000_000_000]  # fmt: skip


def test_sources_kinds_and_periods() -> None:
    rows = {b.amount_vnd: b for b in budgets()}
    assert rows[12_500_000_000].funding_source == "total"
    assert rows[10_000_000_000].funding_source == "local"
    assert rows[2_500_000_000].funding_source == "integrated"
    assert rows[30_000_000_000].funding_source == "community"
    assert rows[15_000_000_000].funding_source == "central"  # inherited from its "Vốn Trung ương" parent
    assert {rows[a].kind for a in (12_500_000_000, 10_000_000_000)} == {"spent"}
    assert {rows[a].kind for a in (50_000_000_000, 15_000_000_000)} == {"planned"}
    assert rows[10_000_000_000].period == "2021"
    assert rows[50_000_000_000].period == "2022-2025"
    assert rows[12_500_000_000].amount_text == "12,5 tỷ đồng"
    assert rows[15_000_000_000].purpose == "xây dựng trung tâm thiết kế"


def test_breakdown_that_does_not_add_up_is_checked() -> None:
    checks = extract_facts(make_doc_text(PLAN, "plan")).checks
    assert len(checks) == 1  # 20 = 15 + 4 is wrong; 12,5 = 10 + 2,5 and 50 = 20 + 30 hold
    assert checks[0].rule == "breakdown_sum"
    assert checks[0].figures.startswith("20000000000 != 15000000000 + 4000000000")


def test_provenance_points_at_the_sentence() -> None:
    for budget in budgets():
        prov = budget.provenance
        assert PLAN[prov.char_start : prov.char_end] == prov.text == prov.raw_text
        assert prov.doc_id == "plan"


def test_confidence_is_lowered_when_the_source_is_not_named() -> None:
    confidence = {b.amount_vnd: b.provenance.confidence for b in budgets()}
    assert confidence[12_500_000_000] == 1.0  # "tổng kinh phí": a cue names the source
    assert confidence[15_000_000_000] == 0.9  # no cue: the source is inherited from the parent item


def test_amount_in_words_is_checked_against_the_figures() -> None:
    text = "IV. KINH PHÍ\n\n- Tổng kinh phí: 6.400.000.000 đồng (Sáu tỷ bốn trăm triệu đồng).\n" \
           "- Vốn tỉnh: 1.500.000.000 đồng (Một tỷ năm trăm năm mươi triệu đồng)."  # fmt: skip
    facts = extract_facts(make_doc_text(text))
    assert [b.amount_vnd for b in facts.budgets] == [6_400_000_000, 1_500_000_000]
    assert [(c.rule, c.figures) for c in facts.checks] == [("amount_in_words", "1500000000 != 1550000000")]


def test_amount_in_words_after_a_label_is_checked_too() -> None:
    text = "IV. KINH PHÍ\n\n- Tổng kinh phí: 4.725 triệu đồng (Bằng chữ: Bốn tỷ, bảy trăm năm mươi hai triệu đồng).\n" \
           "- Vốn tỉnh: 2.300 triệu đồng (viết bằng chữ: Hai tỷ ba trăm triệu đồng chẵn)."  # fmt: skip
    facts = extract_facts(make_doc_text(text))
    assert [(c.rule, c.figures) for c in facts.checks] == [("amount_in_words", "4725000000 != 4752000000")]


def test_items_that_add_up_to_an_amount_are_its_breakdown() -> None:
    text = "4. Kinh phí\n4.1. Dự kiến nguồn ngân sách địa phương năm 2024: 5.785 triệu đồng\n" \
           "- Kinh phí cấp mới là: 3.160 triệu đồng.\n- Kinh phí hỗ trợ bao bì là: 2.625 triệu đồng.\n" \
           "- Kinh phí khác: 100 triệu đồng."  # fmt: skip
    facts = extract_facts(make_doc_text(text))
    assert [(b.amount_vnd, b.funding_source) for b in facts.budgets] == [
        (5_785_000_000, "local"), (3_160_000_000, "local"), (2_625_000_000, "local"), (100_000_000, "other"),
    ]  # fmt: skip
    assert facts.checks == []


def test_restated_amount_is_emitted_once() -> None:
    said = "Tổng kinh phí thực hiện là 2 tỷ đồng."
    text = f"II. KẾ HOẠCH NĂM 2024\n{said}\n\nIV. KINH PHÍ\n{said}\nVốn tỉnh 2 tỷ đồng."
    assert [b.amount_vnd for b in extract_facts(make_doc_text(text)).budgets] == [2_000_000_000, 2_000_000_000]


def test_allocated_and_disbursed_amounts_of_one_clause_share_a_source() -> None:
    text = "I. KẾT QUẢ NĂM 2022\nNgân sách Trung ương bố trí 2.400 triệu đồng, giải ngân 2.385 triệu đồng; " \
           "ngân sách tỉnh bố trí 4.450 triệu đồng, giải ngân 3.527 triệu đồng."  # fmt: skip
    rows = [(b.amount_vnd // 1_000_000, b.funding_source, b.kind) for b in extract_facts(make_doc_text(text)).budgets]
    assert rows == [(2400, "central", "planned"), (2385, "central", "spent"), (4450, "local", "planned"),
                    (3527, "local", "spent")]  # fmt: skip


def test_parenthesised_breakdown_makes_a_total_and_a_single_named_source_is_kept() -> None:
    text = "II. KẾ HOẠCH NĂM 2024\nKinh phí thực hiện 4,2 tỷ đồng (ngân sách tỉnh 3,6 tỷ đồng; vốn Trung ương " \
           "0,6 tỷ đồng), đã giải ngân 1 tỷ đồng.\n" \
           "Kinh phí tập huấn 300 triệu đồng từ nguồn ngân sách huyện."  # fmt: skip
    facts = extract_facts(make_doc_text(text))
    assert [(b.amount_vnd // 1_000_000, b.funding_source, b.kind) for b in facts.budgets] == [
        (4200, "total", "planned"), (3600, "local", "planned"), (600, "central", "planned"),
        (1000, "total", "spent"), (300, "local", "planned"),
    ]  # fmt: skip
    assert facts.checks == []


def test_items_without_a_cue_take_their_totals_kind() -> None:
    text = "II. KẾ HOẠCH NĂM 2024\nTổng kinh phí đã thực hiện năm 2023 là 9 tỷ đồng, gồm: ngân sách tỉnh 5 tỷ " \
           "đồng; vốn vay 4 tỷ đồng."  # fmt: skip
    rows = [(b.amount_vnd // 10**9, b.funding_source, b.kind) for b in extract_facts(make_doc_text(text)).budgets]
    assert rows == [(9, "total", "spent"), (5, "local", "spent"), (4, "credit", "spent")]


def test_a_reports_money_section_reports_spending_up_to_its_year() -> None:
    report = (
        "BÁO CÁO\nTình hình thực hiện Chương trình OCOP năm 2023\n\n"
        "1. Kết quả đánh giá, phân hạng sản phẩm\nNăm 2023 có 06 sản phẩm được công nhận.\n"
        "3. Kinh phí thực hiện\n"
        "Tổng kinh phí thực hiện Chương trình năm 2023 là 1.235,6 triệu đồng từ ngân sách huyện.\n"
        "Kinh phí năm 2024 là 1.500 triệu đồng từ ngân sách huyện.\n"
    )
    kinds = {b.amount_vnd: (b.kind, b.period) for b in extract_facts(make_doc_text(report, "report")).budgets}
    assert kinds == {1_235_600_000: ("spent", "2023"), 1_500_000_000: ("planned", "2024")}
    plan = report.replace("BÁO CÁO\nTình hình thực hiện", "KẾ HOẠCH\nThực hiện")
    assert {b.kind for b in extract_facts(make_doc_text(plan, "plan")).budgets} == {"planned"}


def test_a_rate_per_product_is_no_budget_but_a_ratio_of_two_amounts_is_two() -> None:
    text = (
        "KINH PHÍ\n\nNăm 2021 ngân sách tỉnh hỗ trợ các chủ thể với mức 30 triệu đồng/sản phẩm đạt 3 sao, đã giải "
        "ngân 330 triệu đồng. Năm 2022 giải ngân 4,96 tỷ đồng/5,12 tỷ đồng được giao.\n"
    )
    amounts = [b.amount_vnd for b in extract_facts(make_doc_text(text, "plan")).budgets]
    assert amounts == [330_000_000, 4_960_000_000, 5_120_000_000]


def test_a_rate_in_a_parenthesis_leaves_the_breakdown_around_it_whole() -> None:
    # the rate is skipped, so it must not shift which amount each parenthesis and depth belongs to
    text = (
        "KINH PHÍ\n\nTổng kinh phí năm 2023 là 2.300 triệu đồng, trong đó: ngân sách tỉnh 450 triệu đồng (50 triệu "
        "đồng/sản phẩm); ngân sách huyện 1.200 triệu đồng (ngân sách huyện 700 triệu đồng, ngân sách xã 500 triệu "
        "đồng); vốn đối ứng của các chủ thể 650 triệu đồng.\n"
    )
    facts = extract_facts(make_doc_text(text, "plan"))
    assert not facts.checks  # the province, district and community money add up to the total
    rows = {b.amount_vnd: b.funding_source for b in facts.budgets}
    assert rows == {
        2_300_000_000: "total",
        450_000_000: "local",
        1_200_000_000: "local",
        700_000_000: "local",
        500_000_000: "local",
        650_000_000: "community",
    }


def test_a_money_table_by_source_columns_pays_each_cell_from_its_column() -> None:
    text = (
        "III. KINH PHÍ THỰC HIỆN NĂM 2024\n"
        "Đơn vị tính: triệu đồng\n"
        "TT | Nội dung | Tổng | Ngân sách tỉnh | Ngân sách huyện | Vốn tín dụng\n"
        "1 | Hỗ trợ hoàn thiện sản phẩm | 410 | 160 | 90 | 160\n"
        "2 | Xúc tiến thương mại | 230 | 110 | 120 | -\n"
        "Cộng | | 640 | 270 | 210 | 160\n"
    )
    rows = [(b.amount_vnd // 1_000_000, b.funding_source) for b in extract_facts(make_doc_text(text)).budgets]
    assert rows == [
        (410, "total"), (160, "local"), (90, "local"), (160, "credit"),
        (230, "total"), (110, "local"), (120, "local"),
        (640, "total"), (270, "local"), (210, "local"), (160, "credit"),
    ]  # fmt: skip


def test_a_money_table_rows_purpose_is_its_label_as_written() -> None:
    text = (
        "III. KINH PHÍ THỰC HIỆN NĂM 2024\n"
        "Đơn vị tính: triệu đồng\n"
        "TT   Nội dung                          Tổng kinh phí   Ngân sách tỉnh   Vốn đối ứng\n"
        "1    Hỗ trợ thiết kế bao bì, nhãn mác   345             225              120\n"
        "     Tổng cộng                          345             225              120\n"
    )
    purposes = {b.purpose for b in extract_facts(make_doc_text(text)).budgets}
    assert purposes == {"Hỗ trợ thiết kế bao bì, nhãn mác", "Tổng cộng"}
