"""Indicator tables laid out as text: a header naming the unit column ("Đơn vị tính", "ĐVT") and the value columns
("Kế hoạch năm 2024", "Năm 2023 | Năm 2024 | Năm 2025", "2024  2025"), then one row per indicator: its label,
its unit, its values ("2 | Trong đó: sản phẩm đạt 4 sao | Sản phẩm | 02 |").

Cells are separated by "|", tabs or runs of spaces, or by single spaces as a PDF's plain text layer gives them:
a row is then found by a unit followed by nothing but numbers (and a note). A line without values inside a
table carries on the label of the row before it; a blank line, a heading or a list item ends the table.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal

from extractors.folding import fold
from extractors.lines import ROMAN_MARKER_RE, is_heading_line, iter_lines
from extractors.numbers import parse_number, repair_digit_noise
from extractors.patterns import load_cue_pattern, load_cue_table
from extractors.sections import YEAR, find_periods, format_period

UNIT_HEADER_RE = re.compile(r"(?<![a-z])(?:don vi tinh|dvt|don vi)(?![a-z])")
# A header written with single spaces: "TT Chỉ tiêu Đơn vị tính Kế hoạch năm 2024"
SPACED_HEADER_RE = re.compile(
    r"(?:s?tt\s+)?(?:chi tieu|noi dung|danh muc|hang muc|ten chi tieu)\s.*?(?:don vi tinh|dvt)(?![a-z])"
)
SEPARATOR_RE = re.compile(r"\s*(?:\||\t| {2,})\s*")
BARE_PERIOD_RE = re.compile(rf"(?<![\d/.])({YEAR})(?:\s*[-–]\s*({YEAR}))?(?![\d/.])")
_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
VALUE_RE = re.compile(rf"(?P<sign>>=|<=|[≥≤><])?\s*(?P<low>{_NUMBER})(?:\s*[-–]\s*(?P<high>{_NUMBER}))?")
_VALUE = rf"(?:>=|<=|[≥≤><])?\s*(?:{_NUMBER})(?:\s*[-–]\s*(?:{_NUMBER}))?"
VALUES_RE = re.compile(rf"\s+{_VALUE}(?:\s+{_VALUE})*(?![\w.,%])(?!\s*sa[o0]\b)")
PERCENT_UNIT_RE = re.compile(r"\(?%\)?")
LIST_ITEM_RE = re.compile(r"^[-+•*]\s")
ORDINAL_RE = re.compile(r"\s*(?:\d{1,2}[.)]?|(?:[ivx]{1,4}|[a-z])[.)])(?:\s|\|)")  # a row's number: "1", "2.", "a)"
MAX_LOOSE_LINES = 2  # this many lines in a row without values end a table
SIGN_QUALIFIERS = {">": "at_least", ">=": "at_least", "≥": "at_least", "<": "at_most", "<=": "at_most", "≤": "at_most"}


@dataclass(frozen=True)
class Column:
    """A value column: the period its header names and whether it holds goals (not results or remarks)."""

    period: str | None
    is_goal: bool


@dataclass(frozen=True)
class Value:
    """A number in a value cell."""

    low: Decimal
    high: Decimal | None
    qualifier: str | None  # from a sign before it ("≥ 10")
    column: Column | None  # None when the row has more values than the header has columns


@dataclass
class Row:
    """An indicator row: its lines' span, its folded label (wrapped lines appended), its unit and values."""

    start: int
    end: int
    label: str
    unit: str
    values: list[Value]


@dataclass(frozen=True)
class Table:
    """A table under its header line."""

    header_start: int
    header: str  # folded
    rows: list[Row]


def split_cells(line: str) -> list[str] | None:
    """A line's cells when separators mark them (three or more cells), else None."""
    cells = SEPARATOR_RE.split(line.strip().strip("|").strip())
    return cells if len(cells) >= 3 else None


def classify_column(header: str, plan_start: int | None) -> Column:
    """A value column from the folded words of its header."""
    periods = find_periods(header) or [
        (m.start(), format_period(m.group(1), m.group(2))) for m in BARE_PERIOD_RE.finditer(header)
    ]
    period = periods[-1][1] if periods else None
    for cues, is_goal in (("remark_columns", False), ("goal_columns", True), ("result_columns", False)):
        if load_cue_pattern("tables", cues).search(header):
            return Column(period, is_goal)
    return Column(period, period is None or plan_start is None or int(period[-4:]) >= plan_start)


def read_columns(header: str, plan_start: int | None) -> list[Column]:
    """The value columns of a folded header line: its cells after the unit's, else one per period after the
    unit (one column when it names none)."""
    cells = split_cells(header)
    if cells:
        unit_cell = next(i for i, cell in enumerate(cells) if UNIT_HEADER_RE.fullmatch(cell))
        return [classify_column(cell, plan_start) for cell in cells[unit_cell + 1 :]]
    rest = header[UNIT_HEADER_RE.search(header).end() :]
    ends = [m.end() for m in BARE_PERIOD_RE.finditer(rest)]
    if not ends:
        return [classify_column(rest, plan_start)]
    return [classify_column(rest[begin:end], plan_start) for begin, end in zip([0, *ends], ends, strict=False)]


def read_value(match: re.Match[str], columns: list[Column], index: int) -> Value:
    """The value of a VALUE_RE match in the ``index``-th value cell."""
    high = parse_number(match.group("high")) if match.group("high") else None
    column = columns[index] if index < len(columns) else None
    return Value(parse_number(match.group("low")), high, SIGN_QUALIFIERS.get(match.group("sign") or ""), column)


def find_unit(cell: str) -> str | None:
    """The unit a whole folded cell names ("Sản phẩm", "%", "Chủ thể")."""
    if PERCENT_UNIT_RE.fullmatch(cell):
        return "%"
    return next((unit for unit, pattern in load_cue_table("targets", "units").items() if pattern.fullmatch(cell)), None)


def match_cells(cells: list[str], columns: list[Column]) -> tuple[int, str, list[Value]] | None:
    """(unit cell, unit, values) of a row split into cells: the last cell naming a unit with values after it."""
    for index in range(len(cells) - 2, 0, -1):
        unit = find_unit(cells[index])
        values = [(i, VALUE_RE.fullmatch(cell)) for i, cell in enumerate(cells[index + 1 :])]
        if unit and any(value for _, value in values):
            return index, unit, [read_value(value, columns, i) for i, value in values if value]
    return None


def match_words(folded: str, columns: list[Column]) -> tuple[int, str, list[Value]] | None:
    """(label end, unit, values) of a row written with single spaces: the last unit followed by values only."""
    units = [(m.start(), m.end(), "%") for m in re.finditer("%", folded)]
    for unit, pattern in load_cue_table("targets", "units").items():
        units += [(m.start(), m.end(), unit) for m in pattern.finditer(folded)]
    for start, end, unit in sorted(units, key=lambda u: (-u[1], u[0])):  # the last and longest unit first
        values = VALUES_RE.match(folded, end)
        if values and not re.match(r"\s*[\d.,%]", folded[values.end() :]):
            found = VALUE_RE.finditer(values.group())
            return start, unit, [read_value(value, columns, i) for i, value in enumerate(found)]
    return None


def match_row(folded: str, columns: list[Column]) -> tuple[str, str, list[Value]] | None:
    """(folded label, unit, values) when a folded line is an indicator row."""
    cells = split_cells(folded)
    if cells:
        matched = match_cells(cells, columns)
        if matched is None:
            return None
        index, unit, values = matched
        label = " ".join(cells[1:index] if index > 1 and re.fullmatch(r"[\divxl.]+", cells[0]) else cells[:index])
        return label, unit, values
    matched_words = match_words(folded, columns)
    if matched_words is None:
        return None
    label_end, unit, values = matched_words
    return folded[:label_end].strip(), unit, values


def is_header(folded: str) -> bool:
    """Whether a folded line heads an indicator table: a cell of its own names the unit column."""
    cells = split_cells(folded)
    if cells:
        return any(UNIT_HEADER_RE.fullmatch(cell) for cell in cells)
    return bool(SPACED_HEADER_RE.match(folded.strip()))


def ends_table(line: str) -> bool:
    """A blank line, a section heading or a list item: the table is over."""
    stripped = line.strip()
    if not stripped or LIST_ITEM_RE.match(stripped) or ROMAN_MARKER_RE.match(stripped):
        return True
    return is_heading_line(stripped) and split_cells(stripped) is None


def find_tables(text: str, plan_start: int | None) -> list[Table]:
    """Every indicator table of ``text`` with a unit column, and its rows."""
    folded = repair_digit_noise(fold(text))
    tables: list[Table] = []
    table: Table | None = None
    columns: list[Column] = []
    loose = 0
    pending: tuple[int, str] | None = None  # (start, folded label) of a row whose label wraps before its values
    for start, line in iter_lines(text):
        line_folded = folded[start : start + len(line)]
        end = start + len(line.rstrip())
        if table is None:
            if is_header(line_folded):
                table, columns, loose = Table(start, line_folded, []), read_columns(line_folded, plan_start), 0
                pending = None
            continue
        row = match_row(line_folded, columns)
        if row is not None:
            label, unit, values = row
            if pending is not None:  # the row's label began on the lines before
                label, start = f"{pending[1]} {label}", pending[0]
            table.rows.append(Row(start, end, label, unit, values))
            loose, pending = 0, None
            continue
        loose += 1
        if ends_table(line) or loose > MAX_LOOSE_LINES:
            tables += [table] if table.rows else []
            table = None
        elif pending is not None or ORDINAL_RE.match(line_folded):  # a row whose values come on a later line
            pending = (pending[0], f"{pending[1]} {line_folded.strip()}") if pending else (start, line_folded.strip())
        elif table.rows:  # a label wrapped onto the next line
            last = table.rows[-1]
            last.label, last.end = f"{last.label} {line_folded.strip()}", end
    if table is not None and table.rows:
        tables.append(table)
    return tables


def table_spans(tables: list[Table]) -> tuple[list[int], list[int]]:
    """Sorted starts and ends of every row of ``tables``."""
    spans = sorted((row.start, row.end) for table in tables for row in table.rows)
    return [s for s, _ in spans], [e for _, e in spans]


def in_table(spans: tuple[list[int], list[int]], position: int) -> bool:
    """Whether ``position`` of the text lies inside a table row."""
    starts, ends = spans
    i = bisect.bisect_right(starts, position) - 1
    return i >= 0 and position < ends[i]
