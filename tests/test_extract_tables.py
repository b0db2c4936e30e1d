"""Indicator tables as a text layer or OCR lays them out: goals per row and year column."""

from dataclasses import replace

from doc_text_factory import make_doc_text

from extractors import extract_facts
from extractors.tables import find_tables

SPACED = """KẾ HOẠCH
Thực hiện Chương trình OCOP giai đoạn 2024-2025

I. KẾT QUẢ NĂM 2023
Năm 2023 có 12 sản phẩm đạt 3 sao, đơn vị tính ngày càng chặt chẽ.

II. CHỈ TIÊU
TT Chỉ tiêu Đơn vị tính Năm 2023 Năm 2024 Năm 2025 Ghi chú
1 Sản phẩm được công nhận đạt 3 sao trở lên Sản phẩm 10 12 15
2 Trong đó: sản phẩm đạt 4 sao Sản phẩm 2 3 3-4 Tối thiểu
3 Tỷ lệ sản phẩm OCOP có mã QR truy xuất
nguồn gốc % 80 90 100
4 Chủ thể OCOP là hợp tác xã Hợp tác xã ≥ 5 6 7 Mỗi huyện 01 HTX

III. GIẢI PHÁP
Phấn đấu tổ chức 02 hội chợ mỗi năm.
"""

PIPED = """II. CHỈ TIÊU NĂM 2024
TT | Chỉ tiêu | ĐVT | Thực hiện năm 2023 | Kế hoạch năm 2024 | So sánh (%) | Ghi chú
1 | Sản phẩm OCOP đạt tối thiểu 3 sao | Sản phẩm | 20 | 25 | 125 |
2 | Cửa hàng giới thiệu sản phẩm OCOP, ít nhất | Cửa hàng | | 3 | | Tại khu du lịch
"""


def test_rows_of_a_single_spaced_table_and_their_year_columns() -> None:
    targets = extract_facts(make_doc_text(SPACED)).targets
    assert (targets[0].quantity, targets[0].unit) == (2, "hội chợ")  # prose goals come before the tables
    table = [(t.quantity, t.quantity_max, t.unit, t.period, t.star_min, t.star_max, t.qualifier) for t in targets]
    assert table[1:] == [
        (12, None, "sản phẩm", "2024", 3, None, "exactly"),
        (15, None, "sản phẩm", "2025", 3, None, "exactly"),
        (3, None, "sản phẩm", "2024", 4, 4, "exactly"),
        (3, 4, "sản phẩm", "2025", 4, 4, "exactly"),
        (90, None, "%", "2024", None, None, "exactly"),  # its label wraps before the values
        (100, None, "%", "2025", None, None, "exactly"),
        (6, None, "hợp tác xã", "2024", None, None, "exactly"),  # not "xã": the longest unit
        (7, None, "hợp tác xã", "2025", None, None, "exactly"),
    ]  # the 2023 column reports the year before the plan


def test_blank_lines_between_rows_as_ocr_sets_them_keep_the_table_and_prose_after_one_ends_it() -> None:
    ocr_layout = SPACED.replace("Ghi chú\n1 ", "Ghi chú\n\n1 ").replace("\n2 Trong", "\n\n2 Trong")
    ocr_layout = ocr_layout.replace("\n3 Tỷ", "\n\n3 Tỷ").replace("\n4 Chủ", "\n\n4 Chủ")
    read = [replace(t, provenance=None) for t in extract_facts(make_doc_text(ocr_layout)).targets]
    assert read == [replace(t, provenance=None) for t in extract_facts(make_doc_text(SPACED)).targets]
    (table,) = find_tables(ocr_layout.replace("\n\nIII. GIẢI PHÁP", "\n\nTổng cộng có 4 chỉ tiêu\nIII. GIẢI PHÁP"))
    assert [row.label.split()[0] for row in table.rows] == ["1", "2", "3", "4"]
    assert "tong cong" not in table.rows[-1].label  # a line after a blank line that is no row is not a wrapped label


def test_a_unit_header_as_english_model_ocr_restored_reads_as_written() -> None:
    misread = SPACED.replace("Đơn vị tính", "Đến vị tính")  # "Den vj tinh": OCR read ơ as e
    read = [replace(t, provenance=None) for t in extract_facts(make_doc_text(misread)).targets]
    assert read == [replace(t, provenance=None) for t in extract_facts(make_doc_text(SPACED)).targets]
    assert len(find_tables(misread)) == 1
    assert find_tables("Sắp xếp đến vị trí mới\n1 Sản phẩm 3 sao 10 12") == []  # "đến vị" alone is no unit cell


def test_a_row_whose_values_wrap_onto_the_next_line_is_read_whole() -> None:
    text = (
        "II. CHỈ TIÊU NĂM 2024-2025\nTT | Chỉ tiêu | ĐVT | Năm 2024 | Năm 2025\n"
        "1 | Sản phẩm tiềm năng 5 sao đề xuất Hội đồng Trung ương đánh giá | Sản phẩm |\n1|2\n"
        "2 | Tỷ lệ xã có sản phẩm OCOP | % | 60 | 70\n"
    )  # the first row's line is long, but its cells make it no prose
    targets = extract_facts(make_doc_text(text)).targets
    assert [(t.quantity, t.unit, t.period) for t in targets] == [
        (1, "sản phẩm", "2024"), (2, "sản phẩm", "2025"), (60, "%", "2024"), (70, "%", "2025"),
    ]  # fmt: skip
    assert targets[0].provenance.text.endswith("| Sản phẩm |\n1|2")
    (table,) = find_tables(text.replace("\n1|2\n", "\n1 | Cửa hàng | Cửa hàng | 3 | 4\n"))
    assert len(table.rows) == 2  # a line with a label of its own is not the values of the row above


def test_a_header_whose_last_cell_wraps_and_a_blank_line_before_the_first_row_keep_the_table() -> None:
    text = (
        "III. KINH PHÍ NĂM 2024\nĐơn vị tính: triệu đồng\n"
        "STT | Nội dung | Tổng cộng | Ngân sách tỉnh | Vốn đối\nứng của chủ thể\n\n"
        "1 | Tuyên truyền, tập huấn | 900 | 600 | 300\n\n2 | Xúc tiến thương mại | 500 | 200 | 300\n"
    )
    (table,) = find_tables(text)
    assert table.header.endswith("| von doi ung cua chu the") and len(table.rows) == 2
    budgets = extract_facts(make_doc_text(text)).budgets
    assert [(b.amount_vnd // 1_000_000, b.funding_source) for b in budgets] == [
        (900, "total"), (600, "local"), (300, "community"), (500, "total"), (200, "local"), (300, "community"),
    ]  # fmt: skip


def test_a_single_spaced_header_with_its_years_on_a_second_line_pairs_them_in_order() -> None:
    text = (
        "BÁO CÁO\nKết quả năm 2023 và kế hoạch năm 2024\n"
        "TT Nội dung Đơn vị Kế hoạch Thực hiện Kế hoạch\n\ntính năm 2023 năm 2023 năm 2024\n"
        "1 Sản phẩm được công nhận OCOP 3 sao Sản phẩm 40 47 50\n2 Chủ thể OCOP mới Chủ thể 30 36 38\n"
    )
    (table,) = find_tables(text)
    assert [(c.role, c.period) for c in table.layout.columns] == [
        ("goal", "2023"),
        ("result", "2023"),
        ("goal", "2024"),
    ]
    facts = extract_facts(make_doc_text(text))
    assert [(c.count, c.entity, c.period) for c in facts.product_counts] == [
        (47, "product", "2023"),
        (36, "producer", "2023"),
    ]
    assert [(t.quantity, t.unit, t.period) for t in facts.targets] == [
        (40, "sản phẩm", "2023"), (50, "sản phẩm", "2024"), (30, "chủ thể", "2023"), (38, "chủ thể", "2024"),
    ]  # fmt: skip
    prose = "Các đơn vị thực hiện kế hoạch đã đề ra\nnăm 2023 năm 2024"
    assert find_tables(prose) == []  # no "tính" and no label header: prose


def test_a_source_cell_wrapped_past_the_line_end_goes_on_its_row_and_a_heading_does_not() -> None:
    text = MONEY.replace("| NS tỉnh\n", "| NS\ntỉnh\n").replace("| NSTW\n", "|\nNSTW (CT MTQG\n")
    budgets = extract_facts(make_doc_text(text)).budgets
    assert [(b.amount_vnd // 1_000_000, b.funding_source) for b in budgets[1:7]] == [
        (850, "local"), (400, "local"), (450, "local"), (1050, "central"), (500, "central"), (550, "central"),
    ]  # fmt: skip
    (table,) = find_tables(MONEY.replace("  | Tổng cộng | 1.900 | 900 | 1.000 |\n", "II. GIẢI PHÁP\n"))
    assert table.rows[-1].source == "nstw"  # a numbered heading after the last row is no wrapped cell


def test_a_label_wrapped_after_a_blank_line_goes_on_its_row_when_a_row_follows() -> None:
    ocr_layout = SPACED.replace("truy xuất\nnguồn", "truy xuất\n\nnguồn").replace("Tối thiểu\n", "Tối thiểu\n\n")
    ocr_layout = ocr_layout.replace("100\n", "100\n\nhoặc hơn\n\n")  # a wrapped piece after row 3 too
    read = [replace(t, provenance=None) for t in extract_facts(make_doc_text(ocr_layout)).targets]
    assert read == [replace(t, provenance=None) for t in extract_facts(make_doc_text(SPACED)).targets]
    (table,) = find_tables(ocr_layout)
    assert table.rows[2].label.endswith("nguon goc hoac hon") and len(table.rows) == 4
    piped = PIPED.replace("125 |\n", "125 |\n\n  | hoặc hơn | | | | |\n\n")
    assert [row.label for row in find_tables(piped)[0].rows] == [
        "san pham ocop dat toi thieu 3 sao hoac hon",
        "cua hang gioi thieu san pham ocop, it nhat",
    ]


def test_a_roman_numbered_heading_after_a_single_spaced_table_is_no_row() -> None:
    text = (
        "Cơ cấu chủ thể như sau:\nTT Loại hình chủ thể Số chủ thể Tỷ lệ (%)\n1 Doanh nghiệp 08 17,4\n"
        "2 Hợp tác xã 23 50,0\n\nII. MỤC TIÊU NĂM 2024\nPhấn đấu công nhận mới 15 sản phẩm đạt 3 sao trở lên."
    )
    (table,) = find_tables(text)
    assert [row.label for row in table.rows] == ["doanh nghiep", "hop tac xa"]
    counts = extract_facts(make_doc_text(text)).product_counts
    assert [(c.count, c.entity) for c in counts] == [(8, "producer"), (23, "producer")]  # no count of 2024


def test_row_provenance_spans_its_wrapped_label() -> None:
    targets = extract_facts(make_doc_text(SPACED)).targets
    percent = next(t for t in targets if t.unit == "%")
    assert percent.provenance.text == "3 Tỷ lệ sản phẩm OCOP có mã QR truy xuất\nnguồn gốc % 80 90 100"


def test_piped_table_keeps_empty_cells_and_skips_result_and_comparison_columns() -> None:
    targets = extract_facts(make_doc_text(PIPED)).targets
    assert [(t.quantity, t.unit, t.period, t.star_min, t.star_max, t.qualifier) for t in targets] == [
        (25, "sản phẩm", "2024", 3, None, "exactly"),  # "tối thiểu" qualifies the stars
        (3, "cửa hàng", "2024", None, None, "at_least"),
    ]


def test_prose_mentioning_a_unit_column_is_no_table() -> None:
    text = "Các đơn vị tính toán số liệu.\nNăm 2024 có 12 sản phẩm 3 sao 5 chủ thể 10\n"
    assert find_tables(text) == []


COUNTS = """I. KẾT QUẢ THỰC HIỆN
Tính đến nay, toàn tỉnh có 46 chủ thể có sản phẩm được công nhận OCOP. Cơ cấu chủ thể như sau:
TT    Loại hình chủ thể           Số chủ thể    Tỷ lệ (%)
1     Doanh nghiệp                08            17,4
2     Hợp tác xã                  38            82,6
      Tổng cộng                   46            100

II. KẾ HOẠCH NĂM 2024
TT | Nội dung | ĐVT | Thực hiện năm 2023 | Kế hoạch năm 2024 | Ghi chú
1 | Số sản phẩm được nâng hạng từ 3 sao | Sản phẩm | 02 | 04 |
  | lên 4 sao | | | |
"""


def test_count_column_rows_are_product_counts_and_their_numbers_no_counts() -> None:
    counts = extract_facts(make_doc_text(COUNTS)).product_counts
    rows = [(c.count, c.entity, c.status, c.period, c.star_min, c.star_max) for c in counts]
    assert rows == [
        (46, "producer", "rated", None, None, None),  # the sentence; the "Tổng cộng" row restates it
        (8, "producer", "rated", None, None, None),  # "1 Doanh nghiệp" is a row number, not one enterprise
        (38, "producer", "rated", None, None, None),
        (2, "product", "upgraded", "2023", 4, 4),  # the results column of a goal table; its label wraps
    ]


def test_goal_table_beside_results_gives_goals_only_from_the_plan_column() -> None:
    targets = extract_facts(make_doc_text(COUNTS)).targets
    assert [(t.quantity, t.unit, t.period, t.star_min, t.star_max) for t in targets] == [(4, "sản phẩm", "2024", 4, 4)]


MONEY = """IV. KINH PHÍ THỰC HIỆN
Tổng kinh phí dự kiến giai đoạn 2024-2025 là 1.900 triệu đồng.
Biểu 04. DỰ KIẾN KINH PHÍ
Đơn vị tính: triệu đồng
TT | Nội dung | Tổng cộng | Năm 2024 | Năm 2025 | Nguồn vốn
1 | Tuyên truyền, tập huấn | 850 | 400 | 450 | NS tỉnh
2 | Hỗ trợ hoàn thiện sản phẩm; | 1.050 | 500 | 550 | NSTW
  | bao bì, nhãn mác | | | |
  | Tổng cộng | 1.900 | 900 | 1.000 |
"""


def test_money_table_rows_are_budgets_paid_by_their_source_cell() -> None:
    budgets = extract_facts(make_doc_text(MONEY)).budgets
    rows = [(b.amount_vnd // 1_000_000, b.funding_source, b.period) for b in budgets]
    assert rows == [
        (1900, "total", "2024-2025"),  # the sentence; the table's "Tổng cộng" restates it
        (850, "local", "2024-2025"), (400, "local", "2024"), (450, "local", "2025"),  # the plan's period
        (1050, "central", "2024-2025"), (500, "central", "2024"), (550, "central", "2025"),
        (900, "total", "2024"), (1000, "total", "2025"),
    ]  # fmt: skip
    assert budgets[1].amount_text == "850 triệu đồng"
    assert budgets[4].purpose == "Hỗ trợ hoàn thiện sản phẩm; bao bì, nhãn mác"
    assert extract_facts(make_doc_text(MONEY)).targets == []  # amounts are no goals


def test_a_money_table_in_single_spaces_reads_as_the_one_with_cells_and_ends_before_the_prose_after_it() -> None:
    single = MONEY.replace(" | ", " ").replace("\n  | ", "\n").replace(" |\n", "\n")
    assert "TT Nội dung Tổng cộng Năm 2024 Năm 2025 Nguồn vốn\n1 Tuyên truyền, tập huấn 850 400 450 NS tỉnh" in single
    single += "Ngoài ra, vốn đối ứng của các chủ thể 300 triệu đồng; vốn lồng ghép 200 triệu đồng.\n"
    budgets = [replace(b, provenance=None) for b in extract_facts(make_doc_text(single)).budgets]
    piped = [replace(b, provenance=None) for b in extract_facts(make_doc_text(MONEY)).budgets]
    assert [b for b in budgets if b in piped] == piped
    assert [(b.amount_vnd // 1_000_000, b.funding_source) for b in budgets if b not in piped] == [
        (300, "community"),  # its own sentence: not a row, and not paid by the "NS tỉnh" of a row above
        (200, "integrated"),
    ]


RUNS_OF_SPACES = """I. KẾT QUẢ THỰC HIỆN NĂM 2023
                                     Kế hoạch     Thực hiện
TT   Chỉ tiêu                  ĐVT     năm 2023     năm 2023
1    Sản phẩm được công nhận   Sản     45           52
     đạt 3 sao trở lên         phẩm
2    Chủ thể mới               Chủ     30           34
                               thể
"""


def test_spaced_table_cells_are_placed_under_their_header_columns() -> None:
    facts = extract_facts(make_doc_text(RUNS_OF_SPACES))
    goals = [(t.quantity, t.unit, t.period, t.star_min) for t in facts.targets]
    counts = [(c.count, c.entity, c.period, c.star_min) for c in facts.product_counts]
    assert goals == [(45, "sản phẩm", "2023", 3), (30, "chủ thể", "2023", None)]  # a header line above "TT"
    assert counts == [(52, "product", "2023", 3), (34, "producer", "2023", None)]  # "Sản / phẩm" is one unit


def test_blank_lines_inside_a_spaced_table_keep_its_rows_and_their_wrapped_cells() -> None:
    note = "Ghi chú: số liệu đến tháng 12/2023.\n"
    ocr_layout = RUNS_OF_SPACES.replace("năm 2023\n1", "năm 2023\n\n1").replace("52\n", "52\n\n")
    ocr_layout = ocr_layout.replace("34\n", "34\n\n") + note
    read = extract_facts(make_doc_text(ocr_layout)).product_counts
    assert [replace(c, provenance=None) for c in read] == [
        replace(c, provenance=None) for c in extract_facts(make_doc_text(RUNS_OF_SPACES + note)).product_counts
    ]
    assert read[0].provenance.text.endswith("52\n\n     đạt 3 sao trở lên         phẩm")  # the wrapped cells


YEAR_ROWS = """BÁO CÁO
Kết quả thực hiện Chương trình OCOP giai đoạn 2020 - 2022

I. KẾT QUẢ THỰC HIỆN
Bảng 1. Kết quả công nhận sản phẩm OCOP giai đoạn 2020 - 2022
Năm | Số sản phẩm đạt 3 sao | Số sản phẩm đạt 4 sao | Tổng số
2020 | 20 | 5 | 25
2021 | 31 | 2 | 33
Cộng | 51 | 7 | 58
"""

BARE_COUNT_COLUMNS = """BÁO CÁO
Tình hình thực hiện Chương trình OCOP năm 2023

1. Kết quả
Bảng 2: Sản phẩm OCOP của tỉnh phân theo nhóm ngành
TT   Nhóm sản phẩm          3 sao     4 sao     Tổng
1    Thực phẩm              40        6         46
2    Đồ uống                7         2         9
Bảng 3. Cơ cấu chủ thể OCOP theo loại hình
TT    Loại hình chủ thể          Số lượng    Tỷ lệ (%)
1     Hợp tác xã                 21          60,0
2     Hộ sản xuất kinh doanh     14          40,0
"""


def counts_of(text: str) -> list[tuple]:
    facts = extract_facts(make_doc_text(text)).product_counts
    return [(f.count, f.entity, f.status, f.star_min, f.star_max, f.period, f.category) for f in facts]


def test_a_single_spaced_count_row_a_figure_short_is_not_read() -> None:
    text = "TT Huyện Số chủ thể Số sản phẩm\n1 Ba Bể 11 17\n2 Pác Nặm 36\n3 Chợ Đồn 13 21\n"  # "3 6" read as "36"
    assert [(c[0], c[1]) for c in counts_of(text)] == [
        (11, "producer"),
        (17, "product"),
        (13, "producer"),
        (21, "product"),
    ]


def test_a_row_per_year_dates_its_counts_and_a_total_column_counts_what_the_others_count() -> None:
    assert counts_of(YEAR_ROWS) == [
        (20, "product", "rated", 3, 3, "2020", None),
        (5, "product", "rated", 4, 4, "2020", None),
        (25, "product", "rated", None, None, "2020", None),
        (31, "product", "rated", 3, 3, "2021", None),
        (2, "product", "rated", 4, 4, "2021", None),
        (33, "product", "rated", None, None, "2021", None),
        (51, "product", "rated", 3, 3, "2020-2022", None),  # the total row: the caption's period
        (7, "product", "rated", 4, 4, "2020-2022", None),
        (58, "product", "rated", None, None, "2020-2022", None),
    ]


def test_star_and_quantity_columns_count_what_the_label_column_names_and_shares_are_no_counts() -> None:
    assert counts_of(BARE_COUNT_COLUMNS) == [
        (40, "product", "rated", 3, 3, "2023", "thực phẩm"),
        (6, "product", "rated", 4, 4, "2023", "thực phẩm"),
        (46, "product", "rated", None, None, "2023", "thực phẩm"),
        (7, "product", "rated", 3, 3, "2023", "đồ uống"),
        (2, "product", "rated", 4, 4, "2023", "đồ uống"),
        (9, "product", "rated", None, None, "2023", "đồ uống"),
        (21, "producer", "rated", None, None, "2023", None),
        (14, "producer", "rated", None, None, "2023", None),
    ]
