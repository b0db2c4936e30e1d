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


def test_star_counts_exceeding_the_rated_total_are_checked() -> None:
    text = "I. KẾT QUẢ NĂM 2021\n\nCó 20 sản phẩm được công nhận, gồm 15 sản phẩm 3 sao và 8 sản phẩm 4 sao."
    facts = extract_facts(make_doc_text(text))
    assert [f.count for f in facts.product_counts] == [20, 15, 8]  # the facts are kept as written
    assert [(c.rule, c.figures) for c in facts.checks] == [("stars_exceed_rated", "15 (3 sao) + 8 (4 sao) = 23 > 20")]


def test_star_counts_after_a_breakdown_that_adds_up_are_other_products() -> None:
    text = "I. KẾT QUẢ NĂM 2023\n\nCó 71 sản phẩm được công nhận đạt từ 3 sao trở lên, trong đó 18 sản phẩm đạt 4 " \
           "sao và 53 sản phẩm đạt 3 sao; 02 sản phẩm được Hội đồng cấp Trung ương công nhận đạt 5 sao."  # fmt: skip
    facts = extract_facts(make_doc_text(text))
    assert [f.count for f in facts.product_counts] == [71, 18, 53, 2]
    assert facts.checks == []


def test_potential_products_are_not_part_of_the_rated_total() -> None:
    text = "I. KẾT QUẢ NĂM 2021\n\nCó 20 sản phẩm đạt 3 - 4 sao (15 sản phẩm 3 sao, 5 sản phẩm 4 sao và 02 sản " \
           "phẩm tiềm năng 5 sao)."  # fmt: skip
    facts = extract_facts(make_doc_text(text))
    assert facts.product_counts[-1].status == "potential"
    assert facts.checks == []


def test_items_of_a_semicolon_list_share_status_and_stars() -> None:
    text = (
        "I. KẾT QUẢ NĂM 2021\n\nCác sản phẩm đạt 3 sao thuộc các nhóm: thực phẩm (12 sản phẩm); đồ uống (03 sản phẩm)."
    )
    facts = extract_facts(make_doc_text(text)).product_counts
    assert [(f.count, f.status, f.star_min, f.category) for f in facts] == [
        (12, "rated", 3, "thực phẩm"), (3, "rated", 3, "đồ uống"),
    ]  # fmt: skip


def test_a_category_breakdown_takes_the_status_of_the_total_it_adds_up_to() -> None:
    text = "I. KẾT QUẢ NĂM 2021\n\nCó 12 sản phẩm đạt 3 - 4 sao.\n\nGồm: thực phẩm (9 sản phẩm), đồ uống (3 sản " \
           "phẩm).\nNhóm thực phẩm: 5 sản phẩm, nhóm thảo dược: 2 sản phẩm."  # fmt: skip
    facts = extract_facts(make_doc_text(text)).product_counts
    assert [(f.count, f.status, f.star_min, f.star_max) for f in facts] == [
        (12, "rated", 3, 4), (9, "rated", 3, 4), (3, "rated", 3, 4), (5, "registered", None, None),
        (2, "registered", None, None),
    ]  # fmt: skip


def test_a_category_breakdown_finds_its_total_past_a_breakdown_by_stars_and_producers() -> None:
    text = (
        "I. KẾT QUẢ NĂM 2020\n\nKết quả có 42 sản phẩm được đánh giá, phân hạng đạt từ 3 sao trở lên; trong đó có 26 "
        "sản phẩm đạt 3 sao, 11 sản phẩm đạt 4 sao đến từ 28 chủ thể (12 hộ kinh doanh, 13 doanh nghiệp, 3 hợp tác "
        "xã), và 5 sản phẩm tiềm năng 5 sao của 02 doanh nghiệp.\n\nCác sản phẩm thuộc 04 nhóm: thực phẩm (33 sản "
        "phẩm); đồ uống (07 sản phẩm); thảo dược (01 sản phẩm); lưu niệm, nội thất và trang trí (01 sản phẩm)."
    )
    facts = extract_facts(make_doc_text(text)).product_counts
    assert [(f.count, f.status, f.star_min) for f in facts if f.category] == [
        (33, "rated", 3), (7, "rated", 3), (1, "rated", 3), (1, "rated", 3),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("sentence", "stars"),
    [
        # the single-star counts after a total add up to it: its products span their ratings
        ("Lũy kế đến nay, toàn huyện có 48 sản phẩm OCOP, trong đó 40 sản phẩm 3 sao và 08 sản phẩm 4 sao.", (3, 4)),
        ("Có 26 sản phẩm OCOP (01 sản phẩm 5 sao, 05 sản phẩm 4 sao, 20 sản phẩm 3 sao).", (3, 5)),
        # they do not: the other products' ratings are unknown
        ("Lũy kế đến nay, toàn huyện có 48 sản phẩm OCOP, trong đó có 08 sản phẩm 4 sao.", (None, None)),
    ],
)
def test_a_total_broken_down_by_stars_spans_them(sentence: str, stars: tuple) -> None:
    text = f"I. KẾT QUẢ THỰC HIỆN NĂM 2023\n{sentence}\n"
    total = extract_facts(make_doc_text(text)).product_counts[0]
    assert (total.status, total.star_min, total.star_max) == ("rated", *stars)


@pytest.mark.parametrize(
    ("words", "stars"),
    [
        ("được công nhận 10 sản phẩm đạt 3 sao và 4 sao.", (3, 4)),
        ("được công nhận 10 sản phẩm đạt từ 3 sao đến 4 sao.", (3, 4)),
        ("được công nhận 10 sản phẩm đạt 3 - 4 sao.", (3, 4)),
        ("được công nhận 10 sản phẩm đạt từ 3 sao trở lên.", (3, None)),
        ("có 10 sản phẩm được nâng hạng từ 3 sao lên 4 sao.", (4, 4)),
    ],
)
def test_star_ranges_as_plans_write_them(words: str, stars: tuple) -> None:
    text = f"I. KẾT QUẢ THỰC HIỆN NĂM 2023\nNăm 2023, tỉnh {words}\n"
    count = extract_facts(make_doc_text(text)).product_counts[0]
    assert (count.count, count.star_min, count.star_max) == (10, *stars)


def test_a_category_named_right_after_a_count_is_its_own() -> None:
    text = (
        "I. KẾT QUẢ THỰC HIỆN NĂM 2023\nĐến hết năm 2023, thành phố có 25 sản phẩm đạt chuẩn OCOP, gồm: 12 sản phẩm "
        "nhóm đồ uống, 09 sản phẩm nhóm thực phẩm và 04 sản phẩm nhóm vải và may mặc.\n"
    )
    counts = extract_facts(make_doc_text(text)).product_counts
    assert [(c.count, c.category) for c in counts] == [
        (25, None), (12, "đồ uống"), (9, "thực phẩm"), (4, "vải và may mặc"),
    ]  # fmt: skip


def test_category_items_that_add_up_to_a_starred_total_take_its_stars() -> None:
    text = (
        "I. KẾT QUẢ GIAI ĐOẠN 2021-2023\nGiai đoạn 2021-2023, huyện có 09 sản phẩm được công nhận đạt OCOP 3 sao, "
        "gồm: nhóm thực phẩm 06 sản phẩm; nhóm đồ uống 02 sản phẩm; nhóm thảo dược 01 sản phẩm.\n"
    )
    counts = extract_facts(make_doc_text(text)).product_counts
    assert [(c.count, c.status, c.star_min, c.star_max) for c in counts] == [
        (9, "rated", 3, 3), (6, "rated", 3, 3), (2, "rated", 3, 3), (1, "rated", 3, 3),
    ]  # fmt: skip


def test_a_cue_in_the_clause_before_the_next_count_is_the_next_counts() -> None:
    text = (
        "I. KẾT QUẢ NĂM 2023\nNăm 2023, toàn tỉnh đã tổ chức đánh giá, phân hạng 64 sản phẩm, công nhận 52 sản phẩm "
        "đạt 3 sao trở lên.\n"
    )
    counts = extract_facts(make_doc_text(text)).product_counts
    assert [(c.count, c.status) for c in counts] == [(64, "registered"), (52, "rated")]
