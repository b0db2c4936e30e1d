"""Properties that hold for any input: the number and money parsers, text decoding and the restorer."""

from __future__ import annotations

import contextlib
import unicodedata
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diacritics import Restoration, default_restorer
from diacritics.restorer import split_chunks
from diacritics.tokens import AMPERSAND, OCR_WORD_SYMBOLS
from extractors.numbers import parse_money, parse_number
from pipeline.textdecode import decode_text

VIETNAMESE_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
PLAN_ALPHABET = VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() + "0123456789 .,;:-/()%\n\f\t"
MULTIPLIERS = {"tỷ": 10**9, "triệu": 10**6, "nghìn": 10**3}
MIN_AMOUNT_VND = 1_000
RESTORER_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def group_thousands(number: int) -> str:
    """12345678 → "12.345.678", as Vietnamese writes it."""
    return f"{number:,}".replace(",", ".")


def non_letter_tokens(text: str) -> list[str]:
    """Whitespace-separated tokens without a letter or mark: numbers, codes of digits, punctuation; not those with a
    symbol that OCR reads for a whole word (¢ for ở), nor one with a & (và, or OCR for ở in misread text, also next
    to a control character: "&\x1b"), which the restorer may turn into that word."""
    return [
        t
        for t in text.split()
        if not any(unicodedata.category(c)[0] in "LM" for c in t) and not (OCR_WORD_SYMBOLS | {AMPERSAND}) & set(t)
    ]


def assert_aligned(text: str, restoration: Restoration) -> None:
    """Same lines and non-letter tokens; every token's spans point at its original and its output. The restorer
    reads a text in NFC (`Restorer.restore_chunks`), so the spans count in that form of it."""
    text = unicodedata.normalize("NFC", text)
    assert restoration.text.count("\n") == text.count("\n")
    assert restoration.text.count("\f") == text.count("\f")
    assert non_letter_tokens(restoration.text) == non_letter_tokens(text)
    for token in restoration.tokens:
        assert text[token.start : token.end] == token.original
        assert restoration.text[token.out_start : token.out_end] == token.output


@given(st.integers(min_value=0, max_value=10**15))
def test_grouped_integers_parse_exactly(number: int) -> None:
    assert parse_number(group_thousands(number)) == number


@given(st.integers(min_value=0, max_value=10**12), st.text(alphabet="0123456789", min_size=1, max_size=6))
def test_decimal_comma_numbers_parse_exactly(whole: int, fraction: str) -> None:
    assert parse_number(f"{group_thousands(whole)},{fraction}") == Decimal(f"{whole}.{fraction}")


@given(st.text())
def test_parse_number_accepts_or_rejects_any_text_cleanly(text: str) -> None:
    with contextlib.suppress(ValueError):
        assert isinstance(parse_number(text), Decimal)


@given(st.integers(min_value=MIN_AMOUNT_VND, max_value=10**15))
def test_amounts_in_dong_parse_exactly(amount: int) -> None:
    assert parse_money(f"{group_thousands(amount)} đồng") == amount


@given(
    st.integers(min_value=1, max_value=999_999),
    st.text(alphabet="0123456789", max_size=3),
    st.sampled_from(sorted(MULTIPLIERS)),
)
def test_amounts_with_a_multiplier_parse_exactly(whole: int, fraction: str, unit: str) -> None:
    written = f"{group_thousands(whole)},{fraction}" if fraction else group_thousands(whole)
    expected = int(Decimal(f"{whole}.{fraction or 0}") * MULTIPLIERS[unit])
    if unit in ("nghìn", "triệu") and whole < 1000 and len(fraction) == 3:  # "4,350 triệu": the comma groups
        expected = int(f"{whole}{fraction}") * MULTIPLIERS[unit]
    assert parse_money(f"{written} {unit} đồng") == expected


@given(st.text())
def test_parse_money_accepts_or_rejects_any_text_cleanly(text: str) -> None:
    with contextlib.suppress(ValueError):
        assert parse_money(text) >= MIN_AMOUNT_VND


@given(st.binary(max_size=2000))
def test_any_bytes_decode_to_nfc_text_or_are_rejected(data: bytes) -> None:
    try:
        text, encoding = decode_text(data)
    except ValueError:
        return
    assert encoding and "\x00" not in text and unicodedata.is_normalized("NFC", text)


@given(st.text(), st.integers(min_value=1, max_value=40))
def test_chunks_rejoin_to_the_text_and_respect_the_limit(text: str, max_chars: int) -> None:
    chunks = split_chunks(text, max_chars)
    assert "".join(chunks) == text
    assert all(0 < len(chunk) <= max_chars for chunk in chunks) or chunks == [""] == [text]


@RESTORER_SETTINGS
@given(st.text())
def test_restorer_survives_any_unicode(text: str) -> None:
    assert_aligned(text, default_restorer().restore(text))


@RESTORER_SETTINGS
@given(st.text(alphabet=PLAN_ALPHABET, max_size=300))
def test_restorer_keeps_lines_and_non_letter_tokens_of_plan_like_text(text: str) -> None:
    assert_aligned(text, default_restorer().restore(text))


@RESTORER_SETTINGS
@given(st.text(alphabet=PLAN_ALPHABET, max_size=300), st.integers(min_value=5, max_value=60))
def test_chunked_restoration_keeps_lines_non_letter_tokens_and_spans(text: str, max_chars: int) -> None:
    assert_aligned(text, default_restorer().restore(text, max_chars))
