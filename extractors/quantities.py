"""Counted quantities in folded sentences: "150 sản phẩm", "30/32 chủ thể", "5-8 sản phẩm", "75,71%",
with the qualifiers ("ít nhất", "khoảng", "trở lên") and star ratings ("từ 3 - 4 sao") around them.

Distractors never match: a number must stand alone (not inside "490/QĐ-TTg", "07/5/2018" or "1a")
and be followed by "%" or a known counted noun.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from extractors.numbers import parse_number

_INTEGER = r"\d{1,3}(?:\.\d{3})+(?!,\d)|\d+"
COUNT_RE = re.compile(
    rf"(?<![\w.,/%-])(?P<value>{_INTEGER})(?:,(?P<decimals>\d+))?"
    rf"(?:\s*/\s*\d+)?(?:\s*(?:-|–|den)\s*(?P<high>{_INTEGER}))?(?![\w/]|[.,]\d)"
)
_PERCENT_RE = re.compile(r"\s*%")
# "sao" as OCR and restoration leave it: "sa0", and "số" after "đạt" ("đạt 4 số").
_SAO = r"(?:sa[o0]|(?<=dat\s\d\s)so)(?![a-z])"
STAR_RE = re.compile(
    rf"(?:tu\s+)?\d\s*{_SAO}\s+[l1i][a-z]?n\s+(?P<upgraded>\d)\s*{_SAO}"
    rf"|(?:tu\s+)?(?<![\d.,])(?P<low>\d)\s*(?:{_SAO}\s*)?(?:-|–|den|va|hoac|,)\s*(?P<high>\d)\s*{_SAO}"
    rf"|(?P<from>(?:tu|toi thieu|it nhat)\s+)?(?P<stars>\d{{1,2}})\s*{_SAO}(?P<plus>\s+tr[a-z]{{1,2}}\s+[l1][a-z]n)?"
)
STAR_LABEL_RE = re.compile(rf"(?P<stars>\d)\s*{_SAO}\s*:")  # "4 sao: 5 sản phẩm" labels the count after it
CLAUSE_BREAK_RE = re.compile(r"[,;:()]")
Stars = tuple[int | None, int | None]  # (star_min, star_max); None for an open end


@dataclass(frozen=True)
class Quantity:
    """A number with its counted unit inside a folded sentence."""

    start: int  # span of the number
    end: int
    unit_end: int  # end of the unit word(s) ("%" included)
    value: Decimal
    value_max: Decimal | None
    unit: str  # canonical unit label, "%" for percentages


def find_quantities(folded: str, units: dict[str, re.Pattern[str]]) -> list[Quantity]:
    """Every number followed by "%" or by one of ``units`` ({label: folded pattern}), in order."""
    found = []
    for match in COUNT_RE.finditer(folded):
        number = match.group("value") + ("," + match.group("decimals") if match.group("decimals") else "")
        percent = _PERCENT_RE.match(folded, match.end())
        if percent:
            label, unit_end = "%", percent.end()
        else:
            label, unit_end = match_unit(folded, match.end(), units)
            if label is None or match.group("decimals"):
                continue
        high = parse_number(match.group("high")) if match.group("high") else None
        found.append(Quantity(match.start(), match.end(), unit_end, parse_number(number), high, label))
    return found


def match_unit(folded: str, position: int, units: dict[str, re.Pattern[str]]) -> tuple[str | None, int]:
    """The unit label whose pattern starts right after ``position`` (after whitespace), and its end."""
    gap = re.compile(r"\s+").match(folded, position)
    if not gap:
        return None, position
    best: tuple[str | None, int] = (None, position)
    for label, pattern in units.items():
        match = pattern.match(folded, gap.end())
        if match and match.end() > best[1]:
            best = (label, match.end())
    return best


def find_stars(window: str) -> Stars | None:
    """(star_min, star_max) of the first star rating in a folded window; None when there is none.

    "3 - 4 sao", "3 sao và 4 sao", "từ 3 sao đến 4 sao" → (3, 4); "3 sao trở lên", "từ 3 sao" or "tối thiểu 3 sao"
    → (3, None); "04 sao" → (4, 4);
    "từ 3 sao lên 4 sao" (an upgrade) → (4, 4).
    """
    match = STAR_RE.search(window)
    if not match:
        return None
    if match.group("upgraded"):
        return int(match.group("upgraded")), int(match.group("upgraded"))
    if match.group("low"):
        low, high = sorted((int(match.group("low")), int(match.group("high"))))
        return low, high
    stars = int(match.group("stars"))
    if not 1 <= stars <= 5:
        return None
    return stars, None if match.group("from") or match.group("plus") else stars


def find_star_label(before: str) -> tuple[int, int] | None:
    """(n, n) when the words right before a count are a star label ("3 sao: 22 sản phẩm")."""
    label = STAR_LABEL_RE.search(before.rstrip())
    if not label or label.end() != len(before.rstrip()):
        return None
    return int(label.group("stars")), int(label.group("stars"))


def drop_star_labels(window: str) -> str:
    """``window`` without the star labels in it, which belong to the counts after them."""
    return STAR_LABEL_RE.sub(lambda m: " " * len(m.group()), window)


def find_clause_before(folded: str, position: int) -> tuple[int, str]:
    """(start, text) of the clause that ends at ``position``: back to the last , ; : or parenthesis."""
    breaks = [m.end() for m in CLAUSE_BREAK_RE.finditer(folded, 0, position)]
    start = breaks[-1] if breaks else 0
    return start, folded[start:position]


def to_plain(value: Decimal) -> int | float:
    """An int for integral decimals, else a float (for CSV/JSON)."""
    return int(value) if value == value.to_integral_value() else float(value)
