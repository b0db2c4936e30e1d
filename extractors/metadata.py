"""Document metadata: province, district, number, issue date, period and title of a plan.

Names are validated against the pre-2025 (63-province) administrative units of ``vietnamadminunits``,
matched fuzzily on folded text so that OCR'd headers ("TINH PONG THAP") still resolve.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz
from vietnamadminunits.database.main import get_data

from diacritics.place_words import plain_admin_name
from extractors.facts import DocumentMeta
from extractors.folding import fold
from extractors.sections import find_periods

HEADER_MAX_LINES = 12
TITLE_MAX_LINES = 3
NAME_MIN_SCORE = 85
TITLE_RE = re.compile(r"^\W*(?:k[a-z&]{0,2}\s+ho[a-z0-9]{1,2}ch|(?P<report>b[a-z]{1,2}o\s+c[a-z]{1,2}o))\W*$")  # HO4CH
# "Số: 122 /KH-UBND", or on an annex "(Kèm theo Kế hoạch số 96/KH-UBND ngày 17/3/2023 …)"
DOC_NUMBER_RE = re.compile(
    r"(?:(?<![a-z0-9])[s$][o6e0é]{1,2}\s*[:;]|\bkem\s+theo\s+[a-z ]{2,30}?\s+so)"  # Số:, OCR's S6:, $6:, S60:
    r"\s*(\d{1,5})\s*/\s*([a-z]{1,5}(?:\s*-\s*[a-z]{1,8})+)"
)
BODY_START_RE = re.compile(r"^\W*(?:can\s+c[a-z]{1,2}|thuc\s+hien|trien\s+khai)\b")
DATE_RE = re.compile(r"\bngay\s+(\d{1,2})(?:\s+thang\s+|\s*/\s*)(\d{1,2})(?:\s+n[a-z]{0,2}m\s+|\s*/\s*)(\d{4})")
# up to four words of a folded name (Ba Ria - Vung Tau, Ea H'leo), OCR's stray marks inside them too (VI] THUY)
NAME_WORDS = r"((?:[a-z0-9&'\]|!]+(?:\s*-\s*|\s*)){1,4})"
PROVINCE_CUE_RE = re.compile(rf"\b(?:tinh|thanh\s+pho|tp\.?)\s+{NAME_WORDS}")
PROVINCE_ONLY_CUE_RE = re.compile(rf"\btinh\s+{NAME_WORDS}")
DISTRICT_CUE_RE = re.compile(rf"\b(huyen|thi\s+xa|thanh\s+pho|quan)\s+{NAME_WORDS}")
HYPHEN_RE = re.compile(r"\s*-\s*")
NUMBERED_UNIT_RE = re.compile(r"(?<!binh\s)quan\s+\d{1,2}\b(?!\s*[-%])")  # Quận 8, not bình quân 10-15%
FORMER_DISTRICTS_FILE = Path(__file__).parent / "patterns" / "former_districts.tsv"  # see former_districts_build

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


@lru_cache(maxsize=1)
def admin_districts() -> tuple[tuple[str, str], ...]:
    """(province, district) of every pre-2025 district-level unit, by their plain short names, in the package's
    order."""
    rows = get_data(["provinceShort", "districtShort"], "admin_units_legacy")  # a row per ward
    return tuple(dict.fromkeys((province_of(row), plain_admin_name(row["districtShort"])) for row in rows))


@lru_cache(maxsize=64)
def current_districts(province: str | None) -> dict[str, str]:
    """Folded → accented short names of the pre-2025 districts of ``province`` (all when None)."""
    return {fold(name): name for unit_province, name in admin_districts() if province in (None, unit_province)}


@lru_cache(maxsize=1)
def read_former_districts() -> tuple[tuple[str, str, int], ...]:
    """(province, district, last year it stood) of the districts merged or dissolved before the package's snapshot."""
    with FORMER_DISTRICTS_FILE.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(fh, delimiter="\t")
        return tuple((row["province"], row["district"], int(row["last_year"])) for row in rows)


@lru_cache(maxsize=64)
def list_districts(province: str | None, year: int | None = None) -> dict[str, str]:
    """`current_districts` and the former ones that still stood in ``year`` (all of them when it is unknown): a
    plan of 2021 from huyện Nam Đông, since merged into Phú Lộc; in 2025 "thành phố Huế" names a province."""
    former = {
        fold(name): name
        for former_province, name, last_year in read_former_districts()
        if province in (None, former_province) and (year is None or year <= last_year)
    }
    return former | current_districts(province)


@lru_cache(maxsize=64)
def find_district_province(district: str) -> str | None:
    """The province of a pre-2025 or former district, when only one province has a district of that name."""
    provinces = {province for province, name in admin_districts() if name == district}
    provinces |= {province for province, name, _ in read_former_districts() if name == district}
    return provinces.pop() if len(provinces) == 1 else None


def match_name(words: str, names: dict[str, str]) -> tuple[str | None, float]:
    """The name whose folded form best matches the start of ``words``, with its score (0-100): its words against as
    many words, or, where OCR joined some of them (KRONG ANA, CUALO), its letters against fewer whole words."""
    best, best_score = None, 0.0
    split = HYPHEN_RE.sub(" - ", words).split()
    for folded_name, name in names.items():
        name_words = folded_name.split()
        letters = "".join(name_words)
        score = fuzz.ratio(folded_name, " ".join(split[: len(name_words)]))
        for fewer in range(1, len(name_words)):
            score = max(score, fuzz.ratio(letters, "".join(split[:fewer])))
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


def extract_district(header: str, province: str | None, year: int | None = None, title: str = "") -> str | None:
    """The district a district-level plan's header, else its title, names ("UBND HUYỆN LONG MỸ", "… huyện Thủy
    Nguyên"); None for a provincial plan. A provincial capital of the province's name (thành phố Hà Tĩnh) is the
    district unless the header also names the province ("UBND TỈNH HÀ TĨNH"). ``year``: the plan's, for the
    districts that stood then (`list_districts`)."""
    districts = list_districts(province, year)
    provinces = list_provinces()
    issuers = {match_name(cue.group(1), provinces)[0] for cue in PROVINCE_ONLY_CUE_RE.finditer(fold(header))}
    for folded in (fold(header), fold(title)):
        for cue in DISTRICT_CUE_RE.finditer(folded):
            words = cue.group(2)
            if NUMBERED_UNIT_RE.match(folded, cue.start()):
                words = f"{cue.group(1)} {words}"  # Quận 8, as the tables name it
            name, _ = match_name(words, districts)
            if name and name not in issuers:
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
    issue_date = extract_issue_date(header)
    period_start, period_end = extract_period(title, opening)
    year = int(issue_date[:4]) if issue_date else period_start
    district = extract_district(header, province, year, title or "")
    if province is None and district is not None:  # "UBND HUYỆN MƯỜNG ẢNG" alone: the district names its province
        province = find_district_province(district)
    return DocumentMeta(
        province=province,
        district=district,
        doc_number=extract_doc_number(header),
        issue_date=issue_date,
        period_start=period_start,
        period_end=period_end,
        title=title,
    )
