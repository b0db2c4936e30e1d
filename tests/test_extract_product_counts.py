"""Product counts on hand-written result paragraphs, with and without diacritics."""

import unicodedata

import pytest
from doc_text_factory import make_doc_text

from extractors import extract_facts

RESULTS = """I. KẾT QUẢ THỰC HIỆN GIAI ĐOẠN 2019-2021

- Số sản phẩm đăng ký tham gia đánh giá: 120 sản phẩm (năm 2020: 50 sản phẩm, năm 2021: 70 sản phẩm).
+ Năm 2021: có 70 sản phẩm dự thi. Kết quả có 58 sản phẩm được phân hạng đạt 3-4 sao (gồm 40 sản phẩm
đạt 3 sao, 18 sản phẩm đạt 4 sao); trong đó có 02 sản phẩm tiềm năng 5 sao.
- Số chủ thể có sản phẩm được công nhận: 31 chủ thể (12 doanh nghiệp, 9 hợp tác xã và 10 hộ kinh doanh).
- Nâng hạng: 05 sản phẩm được nâng hạng lên 4 sao.
Tổ chức 03 lớp tập huấn cho 150 học viên; Quyết định số 1048/QĐ-TTg ngày 21/8/2019; hội chợ năm 2021.
"""


def strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@pytest.mark.parametrize("text", [RESULTS, strip_marks(RESULTS)], ids=["accented", "marks-stripped"])
def test_counts_keys(text: str) -> None:
    facts = extract_facts(make_doc_text(text)).product_counts
    keys = [(f.count, f.entity) for f in facts]
    # 70 is restated once; no training classes, learners, decision numbers or years.
    assert keys == [
        (120, "product"), (50, "product"), (70, "product"), (58, "product"), (40, "product"), (18, "product"),
        (2, "product"), (31, "producer"), (12, "producer"), (9, "producer"), (10, "producer"), (5, "product"),
    ]  # fmt: skip


def test_counts_attributes() -> None:
    facts = {(f.count, f.entity): f for f in extract_facts(make_doc_text(RESULTS)).product_counts}
    assert facts[(120, "product")].status == "registered"
    assert facts[(50, "product")].period == "2020"
    assert facts[(58, "product")].status == "rated"
    assert (facts[(58, "product")].star_min, facts[(58, "product")].star_max) == (3, 4)
    assert (facts[(18, "product")].star_min, facts[(18, "product")].star_max) == (4, 4)
    assert facts[(58, "product")].period == "2021"  # the list item opens with "Năm 2021"
    assert facts[(2, "product")].status == "potential"
    assert facts[(12, "producer")].status == "rated"  # inherited from the count it breaks down
    assert facts[(5, "product")].status == "upgraded"
    assert facts[(31, "producer")].period == "2019-2021"


def test_categories_of_a_breakdown() -> None:
    text = "I. KẾT QUẢ NĂM 2021\n\nnhóm thực phẩm: 20 sản phẩm; nhóm đồ uống: 03 sản phẩm; thảo dược: 2 sản phẩm."
    facts = extract_facts(make_doc_text(text)).product_counts
    assert [(f.count, f.category) for f in facts] == [(20, "thực phẩm"), (3, "đồ uống"), (2, "thảo dược")]


def test_goals_are_not_counts() -> None:
    text = "II. KẾ HOẠCH NĂM 2022\n\nPhấn đấu có thêm 30 sản phẩm đạt 3 sao trở lên."
    assert extract_facts(make_doc_text(text)).product_counts == []
