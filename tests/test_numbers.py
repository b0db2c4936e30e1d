"""Vietnamese number and money parsing."""

from decimal import Decimal

import pytest

from extractors.folding import fold
from extractors.numbers import (
    find_money,
    parse_money,
    parse_money_words,
    parse_number,
    parse_percent,
    parse_range,
    repair_digit_noise,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("38,614", Decimal("38.614")),
        ("6.400.000.000", Decimal("6400000000")),
        ("1.098,5", Decimal("1098.5")),
        ("01", Decimal("1")),
        ("1.500", Decimal("1500")),
        ("0,9", Decimal("0.9")),
        ("0.9", Decimal("0.9")),  # OCR's decimal point: not a thousands group
        ("2O2", Decimal("202")),  # OCR letter O inside digits
    ],
)
def test_parse_number(text: str, expected: Decimal) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["abc", "1.2.3", "", "12a"])
def test_parse_number_rejects_non_numbers(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("38,614 tỷ đồng", 38_614_000_000),
        ("6.400.000.000 đồng", 6_400_000_000),
        ("1.098,5 triệu đồng", 1_098_500_000),
        ("938,702 tỷ đồng", 938_702_000_000),
        ("938,702 tỷ", 938_702_000_000),
        ("0,9 tỷ đồng", 900_000_000),
        ("250 nghìn đồng", 250_000),
        ("120 ngàn đồng", 120_000),
        ("0,9 ty ddng", 900_000_000),  # OCR without marks
        ("1.098,5 tridu dong", 1_098_500_000),
        ("500.000đ", 500_000),
        ("2,5 tỉ đồng", 2_500_000_000),
        ("1.500 tr.đ", 1_500_000_000),
        ("200 trđ", 200_000_000),
        ("4,350 triệu đồng", 4_350_000_000),  # a comma before three digits groups thousands below tỷ
        ("4,350 tridu déng", 4_350_000_000),  # OCR's comma for the dot of 4.350
        ("1,500 nghìn đồng", 1_500_000),
        ("4,35 triệu đồng", 4_350_000),  # two digits: a decimal
        ("6,831 tỷ đồng", 6_831_000_000),  # tỷ is written to the million: a decimal
    ],
)
def test_parse_money(text: str, expected: int) -> None:
    assert parse_money(text) == expected
    assert isinstance(parse_money(text), int)


@pytest.mark.parametrize(
    "text",
    [
        "5 triệu lượt khách",  # triệu without đồng counts visits
        "Quyết định số 490/QĐ-TTg ngày 07/5/2018",
        "năm 2021 có 20 sản phẩm",
        "tỷ lệ 3 tỷ lệ",
        "05 Công ty Cổ phần",
    ],
)
def test_find_money_ignores_distractors(text: str) -> None:
    assert find_money(fold(text)) == []


def test_find_money_spans_point_into_the_text() -> None:
    text = "Tổng kinh phí 12,5 tỷ đồng, trong đó vốn tỉnh 2.500 triệu đồng."
    found = find_money(fold(text))
    assert [text[m.start : m.end] for m in found] == ["12,5 tỷ đồng", "2.500 triệu đồng"]
    assert [m.amount_vnd for m in found] == [12_500_000_000, 2_500_000_000]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("5-8", (5, 8)), ("3 - 4", (3, 4)), ("3 đến 4", (3, 4)), ("7", None)],
)
def test_parse_range(text: str, expected: tuple[int, int] | None) -> None:
    assert parse_range(text) == expected


def test_parse_percent() -> None:
    assert parse_percent("75,71%") == Decimal("75.71")
    assert parse_percent("50 %") == 50
    assert parse_percent("50") is None


def test_fold_keeps_length_and_strips_marks() -> None:
    text = "Sản phẩm ĐẠT 4 sao, Đồng Tháp"
    assert fold(text) == "san pham dat 4 sao, dong thap"
    assert len(fold(text)) == len(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sáu tỷ bốn trăm triệu đồng", 6_400_000_000),
        ("mot ty hai tram trieu dong", 1_200_000_000),
        ("xem biểu 5", None),
    ],
)
def test_parse_money_words(text: str, expected: int | None) -> None:
    assert parse_money_words(text) == expected


def test_ocr_letters_inside_numbers_are_read_as_digits() -> None:
    assert repair_digit_noise("1O0 sản phẩm, năm 2O2l, l.5OO cán bộ") == "100 sản phẩm, năm 2021, 1.500 cán bộ"
    assert repair_digit_noise("OCOP Lo go c6 1a I.") == "OCOP Lo go c6 1a I."


def test_tiny_amounts_are_ocr_noise() -> None:
    assert find_money(fold("nguon kinh phi dia phuong va 1dong ghep")) == []
    assert parse_money_words("SAu ty bon tram triéu dong") == 6_400_000_000  # OCR'd words still parse
    assert parse_money_words("sáu tỷ đồng theo kế hoạch") is None  # not only number words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("năm nghìn bảy trăm tám mươi lăm triệu đồng", 5_785_000_000),  # a larger scale multiplies the smaller
        ("Hai tỷ năm trăm ba mươi triệu đồng chẵn", 2_530_000_000),
        ("một trăm linh năm triệu đồng", 105_000_000),
        ("mười hai tỷ không trăm năm mươi triệu đồng", 12_050_000_000),
    ],
)
def test_parse_money_words_with_compound_scales(text: str, expected: int) -> None:
    assert parse_money_words(text) == expected


def test_money_in_two_units_is_one_amount() -> None:
    assert [m.amount_vnd for m in find_money(fold("Dự toán 12 tỷ 500 triệu đồng và 4 tỷ đồng"))] == [
        12_500_000_000, 4_000_000_000,
    ]  # fmt: skip
    assert [m.amount_vnd for m in find_money(fold("5 tỷ đồng 300 triệu đồng"))] == [5_000_000_000, 300_000_000]


def test_ocr_currency_glyphs_fold_to_a_vowel() -> None:
    assert fold("2.625 tri¢u đồng, ti€u") == "2.625 trieu dong, tieu"
    assert [m.amount_vnd for m in find_money(fold("2.625\ntri¢u đồng"))] == [2_625_000_000]
