"""Vietnamese number and money parsing: '.' groups thousands, ',' is the decimal mark.

All arithmetic is decimal; money comes out as integer đồng. Money is found on folded text
(see ``folding.fold``), so "tỷ đồng", "ty dong" and OCR's "ty ddng" all match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from vn_numberwords import words_to_number

from extractors.folding import fold

# A number as written: "6.400.000.000", "1.098,5", "38,614", "01", "0.9" (OCR's decimal point).
NUMBER_PATTERN = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?|\d+\.\d{1,2}(?!\d)"
NUMBER_RE = re.compile(rf"(?<![\w.,/])(?:{NUMBER_PATTERN})(?![\w/]|[.,]\d)")
RANGE_RE = re.compile(rf"^\s*({NUMBER_PATTERN})\s*(?:-|–|—|đến|den|tới|toi)\s*({NUMBER_PATTERN})\s*$")

_THOUSANDS_RE = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_DECIMAL_COMMA_RE = re.compile(r"^\d+,\d+$")
_DECIMAL_POINT_RE = re.compile(r"^\d+\.\d{1,2}$")
_INTEGER_RE = re.compile(r"^\d+$")
# OCR letters inside a number ("1O0", "2O2l", "l.5OO"): a token of digits, separators and O/o/l/I
# with at least one digit, standing alone.
_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1"})
_NOISY_NUMBER_RE = re.compile(r"(?<![^\W\d_])(?=[\d.,OolI]*\d)[\dOolI][\d.,OolI]*[\dOolI](?![^\W\d_])")

_ABBREVIATED_DONG = re.compile(r"\.?\s?d$")  # "tr.đ", "trđ": triệu đồng
# "4,350 triệu": a comma before exactly three digits groups thousands when the scale is below tỷ (English style, or
# OCR's comma for a dot). Tỷ amounts are written to the million (88,656 tỷ); a triệu or nghìn amount is never written
# to the thousandth, so such a comma is no decimal mark there.
_COMMA_GROUPED_RE = re.compile(r"[1-9]\d{0,2},\d{3}")  # not "0,500 triệu": a leading zero is no group
# Folded Vietnamese number words (as vn-numberwords reads them) and the scale words among them.
THOUSAND_SCALES = {"nghin": 1_000, "ngan": 1_000, "trieu": 1_000_000, "ty": 1_000_000_000, "ti": 1_000_000_000}
SCALE_WORDS = frozenset({"tram", *THOUSAND_SCALES})
NUMBER_WORDS = (
    SCALE_WORDS
    | {"khong", "mot", "hai", "ba", "bon", "tu", "nam", "lam", "sau", "bay", "tam", "chin"}
    | {"muoi", "moi", "linh", "le", "dong", "chan"}
)
MIN_AMOUNT_VND = 1_000  # smaller "amounts" are OCR noise ("1dong" for "lồng")
MULTIPLIERS: dict[str, int] = {"dong": 1, "nghin": 1_000, "trieu": 1_000_000, "ty": 1_000_000_000}
UNIT_NAMES = {1: "đồng", 1_000: "nghìn đồng", 1_000_000: "triệu đồng", 1_000_000_000: "tỷ đồng"}  # as written
# Folded spellings of each multiplier, OCR variants included.
MONEY_RE = re.compile(
    rf"(?<![\w.,])(?<!\d/)(?P<number>{NUMBER_PATTERN})(?![\d/]|[.,]\d)\s*"
    r"(?:(?P<mult>ty(?!\s+le\b)|ti|trieu|tri[a-z]u|nghin|ngan|tr\.?\s?d)\b)?\s*(?P<dong>d[o0d6e]ng\b|vnd\b|(?<=\d)d(?![\w&]))?"
)


@dataclass(frozen=True)
class Money:
    """A money amount found in folded text: span of the number and unit, value in đồng."""

    start: int
    end: int
    amount_vnd: int
    unit: int = 1  # the multiplier of its (last) unit word: 1 for đồng, 1_000_000 for triệu, ...


def repair_digit_noise(text: str) -> str:
    """``text`` with OCR letters inside numbers read as digits ("1O0 sản phẩm" → "100 sản phẩm"); same length."""
    return _NOISY_NUMBER_RE.sub(lambda m: m.group().translate(_OCR_DIGITS), text)


def parse_number(text: str) -> Decimal:
    """Parse a Vietnamese-formatted number: "38,614" → 38.614, "6.400.000" → 6400000, "01" → 1."""
    token = repair_digit_noise(text.strip().replace(" ", ""))
    if _THOUSANDS_RE.match(token):
        token = token.replace(".", "").replace(",", ".")
    elif _DECIMAL_COMMA_RE.match(token):
        token = token.replace(",", ".")
    elif not (_DECIMAL_POINT_RE.match(token) or _INTEGER_RE.match(token)):
        raise ValueError(f"not a number: {text!r}")
    try:
        return Decimal(token)
    except InvalidOperation as error:  # pragma: no cover - the patterns above admit only valid decimals
        raise ValueError(f"not a number: {text!r}") from error


def parse_range(text: str) -> tuple[Decimal, Decimal] | None:
    """Parse "5-8", "3 - 4", "3 đến 4" into (low, high); None when ``text`` is not a range."""
    match = RANGE_RE.match(text)
    if not match:
        return None
    return parse_number(match.group(1)), parse_number(match.group(2))


def parse_percent(text: str) -> Decimal | None:
    """Parse "75,71%" or "50 %" into 75.71 / 50; None when ``text`` is not a percentage."""
    match = re.fullmatch(rf"\s*({NUMBER_PATTERN})\s*%\s*", text)
    return parse_number(match.group(1)) if match else None


def normalize_multiplier(folded_unit: str) -> int:
    """The multiplier of a folded money unit word ("ty", "tridu", "ngan", "dong", ...)."""
    if folded_unit in ("ty", "ti"):
        return MULTIPLIERS["ty"]
    if folded_unit.startswith("tr"):
        return MULTIPLIERS["trieu"]
    if folded_unit in ("nghin", "ngan"):
        return MULTIPLIERS["nghin"]
    return MULTIPLIERS["dong"]


def to_vnd(number: Decimal, multiplier: int) -> int:
    """``number`` × ``multiplier`` as integer đồng (rounded half-even to the đồng)."""
    return int((number * multiplier).to_integral_value())


def parse_money(text: str) -> int:
    """Parse money as written ("1.098,5 triệu đồng", "0,9 tỷ", "6.400.000.000 đồng") into đồng."""
    found = find_money(fold(text))
    if len(found) != 1:
        raise ValueError(f"not a single money amount: {text!r}")
    return found[0].amount_vnd


def parse_money_words(text: str) -> int | None:
    """An amount written in words ("Sáu tỷ bốn trăm triệu đồng") in đồng; None unless every word is a number word.

    Each run of words below a thousand is read by vn-numberwords; a scale word multiplies everything since the
    last larger scale, so "năm nghìn bảy trăm tám mươi lăm triệu" is 5.785 million.
    """
    words = re.findall(r"[^\W\d_]+", fold(text))
    if not words or not set(words) <= NUMBER_WORDS or not set(words) & SCALE_WORDS:
        return None
    parts: list[int] = []  # values already scaled, largest first
    run: list[str] = []
    try:
        for word in [*words, "dong"]:
            if word in THOUSAND_SCALES or word == "dong":
                value = int(words_to_number(" ".join(run))) if run else 0
                if word == "dong":
                    parts.append(value)
                    break
                scale = THOUSAND_SCALES[word]
                while parts and parts[-1] < scale:
                    value += parts.pop()
                parts.append(max(value, 1) * scale)
                run = []
            elif word != "chan":
                run.append(word)
    except (ValueError, KeyError, TypeError):
        return None
    return sum(parts) or None


def find_money(folded: str) -> list[Money]:
    """Every money amount in folded text, in order."""
    amounts = []
    for match in MONEY_RE.finditer(folded):
        mult = match.group("mult") or ""
        multiplier = normalize_multiplier(mult) if mult else 1
        if not (match.group("dong") or _ABBREVIATED_DONG.search(mult)) and multiplier < MULTIPLIERS["ty"]:
            continue  # a bare number, or "triệu"/"nghìn" without "đồng" (people, visits)
        end = match.end("dong") if match.group("dong") else match.end("mult")
        number = match.group("number")
        if multiplier in (MULTIPLIERS["nghin"], MULTIPLIERS["trieu"]) and _COMMA_GROUPED_RE.fullmatch(number):
            number = number.replace(",", ".")
        amount = to_vnd(parse_number(number), multiplier)
        if amount < MIN_AMOUNT_VND:
            continue
        last = amounts[-1] if amounts else None
        if (
            last
            and folded[last.start : last.end].endswith(("ty", "ti"))  # "12 tỷ" with "đồng" still to come
            and amount < last.unit
            and not folded[last.end : match.start()].strip()
        ):
            amounts[-1] = Money(last.start, end, last.amount_vnd + amount, multiplier)  # "12 tỷ 500 triệu đồng"
            continue
        amounts.append(Money(match.start(), end, amount, multiplier))
    return amounts
