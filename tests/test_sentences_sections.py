"""Section tracking: results or plans, periods, target headings and footnotes."""

import pytest

from extractors.sections import find_periods, track_sections
from extractors.sentences import split_sentences

TEXT = """I. KẾT QUẢ THỰC HIỆN NĂM 2020
Có 10 sản phẩm đạt 3 sao¹.
+ Năm 2019: có 4 sản phẩm. Kết quả có 3 sản phẩm đạt sao.
¹ Trong đó: 6 sản phẩm mới.

Năm sau lại khác.

II. KẾ HOẠCH GIAI ĐOẠN 2021-2025
1. Quan điểm
Phát triển bền vững.
2. Mục tiêu cụ thể
Phấn đấu có 20 sản phẩm.
3. Giải pháp
a) Về tập huấn
Tổ chức tập huấn.
4. Đánh giá, phân hạng sản phẩm
Tổ chức hội đồng.
"""


def contexts() -> dict[str, tuple]:
    sentences = split_sentences(TEXT)
    return {
        s.text: (c.mode, c.period, c.is_target, c.is_heading, c.caller.text if c.caller else None)
        for s, c in zip(sentences, track_sections(sentences), strict=True)
    }


def test_headings_set_mode_period_and_targets() -> None:
    found = contexts()
    assert found["I. KẾT QUẢ THỰC HIỆN NĂM 2020"] == ("result", "2020", False, True, None)
    assert found["Có 10 sản phẩm đạt 3 sao¹."][:3] == ("result", "2020", False)
    assert found["Phát triển bền vững."][:3] == ("plan", "2021-2025", False)
    assert found["Phấn đấu có 20 sản phẩm."][:3] == ("plan", "2021-2025", True)
    assert found["a) Về tập huấn"][3] is True
    assert found["Tổ chức tập huấn."][:3] == ("plan", "2021-2025", False)
    assert found["Tổ chức hội đồng."][0] == "plan"  # "đánh giá, phân hạng" is an activity, not a report


def test_list_item_opening_with_a_year_sets_the_period_of_the_whole_item() -> None:
    found = contexts()
    assert found["+ Năm 2019: có 4 sản phẩm."][1] == "2019"
    assert found["Kết quả có 3 sản phẩm đạt sao."][1] == "2019"


def test_footnote_takes_the_context_of_its_caller_for_its_paragraph_only() -> None:
    found = contexts()
    assert found["¹ Trong đó: 6 sản phẩm mới."][4] == "Có 10 sản phẩm đạt 3 sao¹."
    assert found["Năm sau lại khác."][4] is None


def test_money_and_resources_headings_under_results_report_results() -> None:
    text = "I. KẾT QUẢ NĂM 2022\n4. Kinh phí thực hiện\nĐã chi 2 tỷ đồng.\n" \
           "II. KẾ HOẠCH NĂM 2023\n3. Nguồn lực đã huy động\nCó 5 tỷ đồng.\n" \
           "IV. KINH PHÍ THỰC HIỆN\nDự kiến 3 tỷ đồng.\n"  # fmt: skip
    sentences = split_sentences(text)
    modes = {s.text: c.mode for s, c in zip(sentences, track_sections(sentences), strict=True)}
    assert modes["Đã chi 2 tỷ đồng."] == "result"  # "kinh phí" alone does not turn a results section into plans
    assert modes["Có 5 tỷ đồng."] == "result"  # "đã huy động" reports, even under a plan
    assert modes["Dự kiến 3 tỷ đồng."] == "plan"  # a top "KINH PHÍ" heading plans


@pytest.mark.parametrize(
    ("words", "periods"),
    [
        ("luy ke tu nam 2019 den het nam 2023, toan tinh co", ["2019-2023"]),
        ("giai doan 2021-2025 va nam 2022", ["2021-2025", "2022"]),
        ("den het nam 2023", ["2023"]),
    ],
)
def test_periods_as_plans_name_them(words: str, periods: list[str]) -> None:
    assert [period for _, period in find_periods(words)] == periods


def test_a_roman_numbered_heading_that_ocr_wrote_without_a_space_opens_a_section() -> None:
    text = "I.Kết quả thực hiện năm 2023\nCó 12 sản phẩm đạt 3 sao.\nII.Kế hoạch năm 2024\nPhấn đấu có 15 sản phẩm.\n"
    sentences = split_sentences(text)
    found = [
        (s.text, c.mode, c.period, c.is_heading) for s, c in zip(sentences, track_sections(sentences), strict=True)
    ]
    assert found == [
        ("I.Kết quả thực hiện năm 2023", "result", "2023", True),
        ("Có 12 sản phẩm đạt 3 sao.", "result", "2023", False),
        ("II.Kế hoạch năm 2024", "plan", "2024", True),
        ("Phấn đấu có 15 sản phẩm.", "plan", "2024", False),
    ]
