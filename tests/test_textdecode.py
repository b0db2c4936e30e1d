"""Decoding text inputs: Unicode forms, Windows-1258, TCVN3, VNI, mojibake repair and junk detection."""

from __future__ import annotations

import codecs
import random
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.legacy_encodings import decode_cp1252, decode_tcvn3, decode_vni, encode_tcvn3, encode_vni
from pipeline.textdecode import decode_text, repair_text

PARAGRAPH = (
    "Ủy ban nhân dân huyện ban hành kế hoạch hỗ trợ các chủ thể sản xuất nâng cấp sản phẩm.\n"
    "Mục tiêu đến năm 2025 có ít nhất 20 sản phẩm đạt chuẩn, trong đó 4 sản phẩm đạt 4 sao.\n"
    "Kinh phí thực hiện được bố trí từ nguồn ngân sách địa phương và vốn lồng ghép; người dân đóng góp.\n"
)
SHORT = "Kế hoạch phát triển sản phẩm"
TONES = "\u0300\u0301\u0303\u0309\u0323"
LOWER_LETTERS = [unicodedata.normalize("NFC", v + t) for v in "aăâeêioôơuưy" for t in ["", *TONES]] + ["đ"]
VIETNAMESE_LETTERS = LOWER_LETTERS + [c.upper() for c in LOWER_LETTERS]


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 the way Vietnamese Windows wrote it: precomposed base letter, then a combining tone mark."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        tone = "".join(m for m in decomposed if m in TONES)
        base = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in TONES))
        out += (base + tone).encode("cp1258")
    return bytes(out)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (PARAGRAPH.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + PARAGRAPH.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + PARAGRAPH.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + PARAGRAPH.encode("utf-16-be"), "utf-16-be"),
        (PARAGRAPH.encode("utf-16-le"), "utf-16-le"),
        (PARAGRAPH.encode("utf-16-be"), "utf-16-be"),
        (encode_cp1258(PARAGRAPH), "cp1258"),
        (encode_vni(PARAGRAPH), "vni"),
    ],
)
def test_decodes_each_encoding_back_to_the_text(data: bytes, encoding: str) -> None:
    assert decode_text(data) == (PARAGRAPH, encoding)


def test_tcvn3_decodes_with_capitals_folded_as_vntimeh_fonts_wrote_them() -> None:
    text, encoding = decode_text(encode_tcvn3(PARAGRAPH))
    assert encoding == "tcvn3"
    assert text.lower() == PARAGRAPH.lower()


def test_tcvn3_restores_capitals_of_words_typed_in_capitals() -> None:
    assert decode_tcvn3(encode_tcvn3("ỦY BAN NHÂN DÂN, KẾ HOẠCH THỰC HIỆN")) == "ỦY BAN NHÂN DÂN, Kế HOẠCH THỰC HIỆN"


def test_known_legacy_byte_strings_decode() -> None:
    assert decode_tcvn3(b"K\xd5 ho\xb9ch \xa7\xe5ng") == "Kế hoạch Đồng"
    assert decode_vni(b"Ke\xe1 hoa\xefch \xd1o\xe0ng") == "Kế hoạch Đồng"
    assert decode_text(b"K\xd5 ho\xb9ch ph\xb8t tri\xd3n s\xb6n ph\xc8m") == (SHORT, "tcvn3")


def test_output_is_nfc_even_for_decomposed_utf8() -> None:
    text, _ = decode_text(unicodedata.normalize("NFD", PARAGRAPH).encode("utf-8"))
    assert text == PARAGRAPH


@pytest.mark.parametrize(
    "plain",
    [
        PARAGRAPH,
        "Ke hoach phat trien san pham nam 2024, dat 3 sao tro len.",  # diacritics lost
        "Ké hoach phat trién san phâm ¢ua huyén nam 2024 dat 3 sao trö lén.",  # OCR with an English model
        "Le café et la crème brûlée, prix 5 € — déjà vu.",  # non-Vietnamese Latin text
    ],
)
def test_clean_text_is_left_alone(plain: str) -> None:
    assert decode_text(plain.encode("utf-8")) == (plain, "utf-8")
    assert repair_text(plain) == (plain, "")


def test_repairs_utf8_read_as_cp1252() -> None:
    mojibake = decode_cp1252(PARAGRAPH.encode("utf-8"))
    assert mojibake.startswith("á»¦y ban")
    assert decode_text(mojibake.encode("utf-8")) == (PARAGRAPH, "utf-8+utf-8-mojibake")


def test_repairs_utf8_read_as_latin1() -> None:
    mojibake = PARAGRAPH.encode("utf-8").decode("latin-1")
    assert repair_text(mojibake) == (PARAGRAPH, "utf-8-mojibake")


@pytest.mark.parametrize(("encode", "name"), [(encode_tcvn3, "tcvn3"), (encode_vni, "vni")])
def test_repairs_legacy_bytes_read_as_cp1252(encode, name: str) -> None:
    mojibake = decode_cp1252(encode(PARAGRAPH))
    text, repair = repair_text(mojibake)
    assert repair == f"{name}-mojibake"
    assert text.lower() == PARAGRAPH.lower()


def test_legacy_repair_leaves_lines_outside_cp1252_alone() -> None:
    mojibake = decode_cp1252(encode_vni(PARAGRAPH)) + "Giá trị ≥ 5 tỷ đồng\n"
    text, _ = repair_text(mojibake)
    assert text == PARAGRAPH + "Giá trị ≥ 5 tỷ đồng\n"


def test_binary_junk_is_rejected() -> None:
    junk = random.Random(7).randbytes(4000)
    with pytest.raises(ValueError, match="binary"):
        decode_text(junk)
    with pytest.raises(ValueError, match="binary"):
        decode_text(b"\x00\x01\x02\x03PK\x05\x06" * 50)


def test_a_few_stray_control_characters_are_tolerated_and_nul_bytes_dropped() -> None:
    text, _ = decode_text(PARAGRAPH.encode("utf-8") + b"\x00\x07")
    assert text == PARAGRAPH + "\x07"


def test_empty_input_decodes_to_empty_text() -> None:
    assert decode_text(b"") == ("", "utf-8")


@given(st.lists(st.sampled_from(VIETNAMESE_LETTERS + list("abcdeghiklmnopqrstuvxy ,.0123456789")), max_size=80))
def test_vni_round_trips_every_letter(chars: list[str]) -> None:
    text = "".join(chars)
    assert decode_vni(encode_vni(text)) == text


@given(st.lists(st.sampled_from(VIETNAMESE_LETTERS + list("abcdeghiklmnopqrstuvxy ,.0123456789")), max_size=80))
def test_tcvn3_round_trips_every_letter_up_to_case(chars: list[str]) -> None:
    text = "".join(chars)
    assert decode_tcvn3(encode_tcvn3(text)).lower() == text.lower()


def test_ligatures_of_pdf_text_layers_are_spelled_out() -> None:
    assert repair_text("Hệ thống thông tin ocop.gov.vn/proﬁle, ﬂyer") == (
        "Hệ thống thông tin ocop.gov.vn/profile, flyer",
        "ligatures",
    )
    assert decode_text("ﬀ ﬃ ﬄ ﬅ ﬆ".encode()) == ("ff ffi ffl st st", "utf-8+ligatures")


def test_invisible_characters_are_dropped_and_a_zero_width_space_between_words_shows_as_a_space() -> None:
    assert repair_text("Triển\u200bkhai thực hiện Kế hoạch\u200b số 122") == (
        "Triển khai thực hiện Kế hoạch số 122",
        "invisible",
    )
    assert repair_text("Tri\u200bển khai phát\u00adtriển sản\u200dphẩm") == (
        "Triển khai pháttriển sảnphẩm",
        "invisible",
    )
    assert repair_text("kinh phí 1.250\u200b,5 triệu đồng") == ("kinh phí 1.250,5 triệu đồng", "invisible")
    assert decode_text("KẾ HOẠCH\n\ufeffKẾ HOẠCH".encode()) == ("KẾ HOẠCH\nKẾ HOẠCH", "utf-8+invisible")
