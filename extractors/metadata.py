"""Document metadata: province, district, number, issue date, period and title of a plan.

Names are validated against the pre-2025 (63-province) administrative units of ``vietnamadminunits``,
matched fuzzily on folded text so that OCR'd headers ("TINH PONG THAP") still resolve.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from rapidfuzz import fuzz
from vietnamadminunits.database.main import get_data

from extractors.facts import DocumentMeta
from extractors.folding import fold
from extractors.sections import find_periods

HEADER_MAX_LINES = 12
TITLE_MAX_LINES = 3
NAME_MIN_SCORE = 85
TITLE_RE = re.compile(r"^\W*(?:k[a-z&]{0,2}\s+ho[a-z]{1,2}ch|(?P<report>b[a-z]{1,2}o\s+c[a-z]{1,2}o))\W*$")
# "Số: 122 /KH-UBND", or on an annex "(Kèm theo Kế hoạch số 96/KH-UBND ngày 17/3/2023 …)"
DOC_NUMBER_RE = re.compile(
    r"(?:\bs[o6e0é]\s*[:;]|\bkem\s+theo\s+[a-z ]{2,30}?\s+so)\s*(\d{1,5})\s*/\s*([a-z]{1,5}(?:\s*-\s*[a-z]{1,8})+)"
)
BODY_START_RE = re.compile(r"^\W*(?:can\s+c[a-z]{1,2}|thuc\s+hien|trien\s+khai)\b")
DATE_RE = re.compile(r"\bngay\s+(\d{1,2})(?:\s+thang\s+|\s*/\s*)(\d{1,2})(?:\s+n[a-z]{0,2}m\s+|\s*/\s*)(\d{4})")
PROVINCE_CUE_RE = re.compile(r"\b(?:tinh|thanh\s+pho|tp\.?)\s+((?:[a-z0-9&]+\s*){1,4})")
DISTRICT_CUE_RE = re.compile(r"\b(?:huyen|thi\s+xa|thanh\s+pho|quan)\s+((?:[a-z0-9&]+\s*){1,4})")


# The package names a province by what it became in 2025 where that was only a change of name: Thừa Thiên Huế
# became the city of Huế. Plans name it as it was; "thành phố Huế" was its capital.
FORMER_PROVINCE_NAMES = {"Huế": "Thừa Thiên Huế"}


@lru_cache(maxsize=1)
def list_provinces() -> dict[str, str]:
    """Folded → accented short names of the 63 pre-2025 provinces (also by their later name, when renamed)."""
    rows = get_data(["provinceShort"], "admin_units_legacy")
    names = {fold(row["provinceShort"]): province_of(row) for row in rows}
    return names | {fold(former): former for former in FORMER_PROVINCE_NAMES.values()}


def province_of(row: dict[str, str]) -> str:
    """The province of a ``vietnamadminunits`` row, by its pre-2025 name."""
    return FORMER_PROVINCE_NAMES.get(row["provinceShort"], row["provinceShort"])


@lru_cache(maxsize=64)
def list_districts(province: str | None) -> dict[str, str]:
    """Folded → accented short names of the pre-2025 districts of ``province`` (all when None)."""
    rows = get_data(["provinceShort", "districtShort"], "admin_units_legacy")
    names = {}
    for row in rows:
        if province is None or province_of(row) == province:
            name = re.sub(r"\s*\(.*\)$", "", row["districtShort"])
            names[fold(name)] = name
    return names


@lru_cache(maxsize=64)
def find_district_province(district: str) -> str | None:
    """The province of a pre-2025 district, when only one province has a district of that name."""
    rows = get_data(["provinceShort", "districtShort"], "admin_units_legacy")
    provinces = {province_of(row) for row in rows if re.sub(r"\s*\(.*\)$", "", row["districtShort"]) == district}
    return provinces.pop() if len(provinces) == 1 else None


def match_name(words: str, names: dict[str, str]) -> tuple[str | None, float]:
    """The name whose folded form best matches the start of ``words``, with its score (0-100)."""
    best, best_score = None, 0.0
    for folded_name, name in names.items():
        candidate = " ".join(words.split()[: len(folded_name.split())])
        score = fuzz.ratio(folded_name, candidate)
        if score > best_score or (score == best_score and best and len(folded_name) > len(fold(best))):  # "Chư Sê"
            best, best_score = name, score
    return (best, best_score) if best_score >= NAME_MIN_SCORE else (None, best_score)


def find_title_line(lines: list[str]) -> int | None:
    """Index of the "KẾ HOẠCH" (or a report's "BÁO CÁO") line among the first lines, or None."""
    return next((i for i, line in enumerate(lines[: HEADER_MAX_LINES + 3]) if TITLE_RE.match(fold(line))), None)


def is_report(text: str, meta: DocumentMeta) -> bool:
    """Whether the document reports results ("BÁO CÁO", "Số: 214/BC-UBND"): its year is that of its results."""
    if meta.doc_number and "/BC" in meta.doc_number:
        return True
    lines = text.split("\n", HEADER_MAX_LINES + 3)[: HEADER_MAX_LINES + 3]  # find_title_line reads no further
    title_line = find_title_line(lines)
    return title_line is not None and TITLE_RE.match(fold(lines[title_line])).group("report") is not None


def extract_title(lines: list[str], title_line: int | None) -> str | None:
    """The title: the lines after "KẾ HOẠCH" up to the next blank line."""
    if title_line is None:
        return None
    picked: list[str] = []
    for line in lines[title_line + 1 :]:
        if not line.strip():
            if picked:
                break
            continue
        picked.append(line.strip())
        if len(picked) == TITLE_MAX_LINES:
            break
    return " ".join(picked) or None


def extract_province(header: str, folded_text: str) -> str | None:
    """The province named in the header ("UBND TỈNH X"), else the one most often called "tỉnh X"."""
    provinces = list_provinces()
    for cue in PROVINCE_CUE_RE.finditer(fold(header)):
        name, _ = match_name(cue.group(1), provinces)
        if name:
            return name
    counts = Counter(match_name(cue.group(1), provinces)[0] for cue in PROVINCE_CUE_RE.finditer(folded_text))
    counts.pop(None, None)
    return counts.most_common(1)[0][0] if counts else None


def extract_district(header: str, province: str | None) -> str | None:
    """The district a district-level plan's header names ("UBND HUYỆN LONG MỸ"); None for a provincial plan."""
    districts = list_districts(province)
    for cue in DISTRICT_CUE_RE.finditer(fold(header)):
        name, _ = match_name(cue.group(1), districts)
        if name and match_name(cue.group(1), list_provinces())[0] != name:
            return name
    return None


def extract_doc_number(header: str) -> str | None:
    """ "122/KH-UBND" from "Số: 122 /KH-UBND", "09/KH-UBND" from "Số: 09/KH-UBND"."""
    match = DOC_NUMBER_RE.search(fold(header))
    if not match:
        return None
    code = re.sub(r"\s+", "", header[match.start(2) : match.end(2)]).upper()
    return f"{match.group(1)}/{code}"  # the number as written: "09/KH-UBND"


def extract_issue_date(header: str) -> str | None:
    """YYYY-MM-DD from "Đồng Tháp, ngày 14 tháng 4 năm 2021"."""
    match = DATE_RE.search(fold(header))
    if not match:
        return None
    day, month, year = int(match.group(1)), int(match.group(2)), int(match.group(3)[:4])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def extract_period(title: str | None, opening: str) -> tuple[int | None, int | None]:
    """The plan's years from its title ("giai đoạn 2021-2025", "năm 2021"), else from the opening lines."""
    for source in (title or "", opening):
        periods = find_periods(fold(source))
        if periods:
            years = periods[0][1].split("-")
            return int(years[0]), int(years[-1])
    return None, None


def extract_metadata(text: str) -> DocumentMeta:
    """Metadata of a plan from its restored text."""
    lines = text.splitlines()
    title_line = find_title_line(lines)
    header_lines = lines[: title_line if title_line is not None else HEADER_MAX_LINES]
    body_start = next((i for i, line in enumerate(header_lines) if BODY_START_RE.match(fold(line))), None)
    header = "\n".join(header_lines[:body_start])
    title = extract_title(lines, title_line)
    opening = "\n".join(line for line in lines[: HEADER_MAX_LINES * 3] if line.strip())
    province = extract_province(header, fold(text))
    district = extract_district(header, province) or extract_district(title or "", province)  # "… huyện Thủy Nguyên"
    if province is None and district is not None:  # "UBND HUYỆN MƯỜNG ẢNG" alone: the district names its province
        province = find_district_province(district)
    period_start, period_end = extract_period(title, opening)
    return DocumentMeta(
        province=province,
        district=district,
        doc_number=extract_doc_number(header),
        issue_date=extract_issue_date(header),
        period_start=period_start,
        period_end=period_end,
        title=title,
    )
