"""Indicator tables laid out as text: a header naming the unit column ("Đơn vị tính", "ĐVT") and the value columns
("Kế hoạch năm 2024", "Năm 2023 | Năm 2024 | Năm 2025", "2024  2025"), then one row per indicator: its label,
its unit, its values ("2 | Trong đó: sản phẩm đạt 4 sao | Sản phẩm | 02 |").

Cells are separated by "|", tabs or runs of spaces, or by single spaces as a PDF's plain text layer gives them:
a row is then found by a unit followed by nothing but numbers (and a note). A line without values inside a
table carries on the label of the row before it; a blank line, a heading or a list item ends the table.
"""

from __future__ import annotations

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
LEAD_LINES = 2  # lines before a header kept as the table's caption or lead sentence
# A column that counts: "Số chủ thể", "Số sản phẩm được công nhận", "Tổng số sản phẩm"
COUNT_HEADER_RE = re.compile(r"(?:tong\s+)?so(?:\s+luong)?\s+(?P<noun>[a-z].*)")
COUNT_CELL_RE = re.compile(r"(?P<sign>)(?P<low>\d{1,3}(?:\.\d{3})+|\d+)(?P<high>)")
ORDINAL_CELL_RE = re.compile(r"(?:\d{1,2}|[ivx]{1,4}|[a-z])[.)]?|-|")

SIGN_QUALIFIERS = {">": "at_least", ">=": "at_least", "≥": "at_least", "<": "at_most", "<=": "at_most", "≤": "at_most"}


@dataclass(frozen=True)
class Column:
    """A value column: its folded header, the period it names and its role from its words: "goal", "result",
    "other" (remarks, shares, comparisons) or None when they say nothing."""

    header: str
    period: str | None
    role: str | None


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
class Layout:
    """How a table's rows are read, from its header: the value columns, and for a table without a unit column
    the column that counts ("Số chủ thể") and its unit."""

    columns: list[Column]
    header_cells: list[str] | None
    edge_pipes: bool = False  # the header starts with "|": so do its rows, and an edge "|" marks no empty cell
    count_unit: str | None = None
    count_index: int = -1


@dataclass(frozen=True)
class Table:
    """A table: its header line, the lines before it (a caption or lead sentence, folded) and its rows."""

    header_start: int
    header: str  # folded
    lead: str
    rows: list[Row]


def split_cells(line: str, pipes: bool = True) -> list[str] | None:
    """A line's cells when separators mark them (three or more cells), else None. An edge "|" is cut only when
    the header has one there too (``pipes``); otherwise it marks an empty first or last cell."""
    stripped = line.strip()
    if pipes:
        stripped = stripped.strip("|").strip()
    cells = SEPARATOR_RE.split(stripped)
    return cells if len(cells) >= 3 else None


def classify_column(header: str) -> Column:
    """A value column from the folded words of its header."""
    periods = find_periods(header) or [
        (m.start(), format_period(m.group(1), m.group(2))) for m in BARE_PERIOD_RE.finditer(header)
    ]
    period = periods[-1][1] if periods else None
    roles = (("other_columns", "other"), ("goal_columns", "goal"), ("result_columns", "result"))
    role = next((role for cues, role in roles if load_cue_pattern("tables", cues).search(header)), None)
    return Column(header, period, role)


def find_unit(cell: str) -> str | None:
    """The unit a whole folded cell names ("Sản phẩm", "%", "Chủ thể")."""
    if PERCENT_UNIT_RE.fullmatch(cell):
        return "%"
    return next((unit for unit, pattern in load_cue_table("targets", "units").items() if pattern.fullmatch(cell)), None)


def find_counted_unit(cell: str) -> str | None:
    """The unit a count column's folded header counts ("Số chủ thể", "Số sản phẩm được công nhận")."""
    counted = COUNT_HEADER_RE.fullmatch(cell)
    if not counted:
        return None
    words = counted.group("noun").split()
    return next((unit for n in (3, 2, 1) if (unit := find_unit(" ".join(words[:n])))), None)


def read_layout(header: str) -> Layout | None:
    """The layout of a folded header line; None when it heads no table of counted values."""
    cells = split_cells(header)
    if cells:
        pipes = header.lstrip().startswith("|")
        unit_cell = next((i for i, cell in enumerate(cells) if UNIT_HEADER_RE.fullmatch(cell)), None)
        if unit_cell is not None:
            return Layout([classify_column(cell) for cell in cells[unit_cell + 1 :]], cells, pipes)
        for i, cell in enumerate(cells):
            unit = find_counted_unit(cell)
            if i and unit:
                return Layout([classify_column(cell)], cells, pipes, unit, i)
        return None
    if not SPACED_HEADER_RE.match(header.strip()):
        return None
    rest = header[UNIT_HEADER_RE.search(header).end() :]
    ends = [m.end() for m in BARE_PERIOD_RE.finditer(rest)]
    if not ends:
        return Layout([classify_column(rest)], None)
    return Layout([classify_column(rest[begin:end]) for begin, end in zip([0, *ends], ends, strict=False)], None)


def read_value(match: re.Match[str], columns: list[Column], index: int) -> Value:
    """The value of a VALUE_RE match in the ``index``-th value cell."""
    high = parse_number(match.group("high")) if match.group("high") else None
    column = columns[index] if index < len(columns) else None
    return Value(parse_number(match.group("low")), high, SIGN_QUALIFIERS.get(match.group("sign") or ""), column)


def join_label(cells: list[str]) -> str:
    """The label of a row from the cells before its unit or count, without the row's number."""
    return " ".join(cells[1:] if cells and ORDINAL_CELL_RE.fullmatch(cells[0] or "-") else cells).strip()


def match_cells(cells: list[str], columns: list[Column]) -> tuple[str, str, list[Value]] | None:
    """(label, unit, values) of a row split into cells: the last cell naming a unit with values after it."""
    for index in range(len(cells) - 2, 0, -1):
        unit = find_unit(cells[index])
        values = [(i, VALUE_RE.fullmatch(cell)) for i, cell in enumerate(cells[index + 1 :])]
        if unit and any(value for _, value in values):
            return join_label(cells[:index]), unit, [read_value(value, columns, i) for i, value in values if value]
    return None


def match_count(cells: list[str], layout: Layout) -> tuple[str, str, list[Value]] | None:
    """(label, unit, values) of a row of a table whose count column names the unit ("Số chủ thể")."""
    if layout.header_cells and len(cells) < len(layout.header_cells) and not ORDINAL_CELL_RE.fullmatch(cells[0]):
        cells = ["", *cells]  # "Tổng cộng" rows leave the number cell empty
    if len(cells) <= layout.count_index:
        return None
    value = COUNT_CELL_RE.fullmatch(cells[layout.count_index])
    if not value or not join_label(cells[: layout.count_index]):
        return None
    return join_label(cells[: layout.count_index]), layout.count_unit, [read_value(value, layout.columns, 0)]


def match_words(folded: str, columns: list[Column]) -> tuple[str, str, list[Value]] | None:
    """(label, unit, values) of a row written with single spaces: the last unit followed by values only."""
    units = [(m.start(), m.end(), "%") for m in re.finditer("%", folded)]
    for unit, pattern in load_cue_table("targets", "units").items():
        units += [(m.start(), m.end(), unit) for m in pattern.finditer(folded)]
    for start, end, unit in sorted(units, key=lambda u: (-u[1], u[0])):  # the last and longest unit first
        values = VALUES_RE.match(folded, end)
        if values and not re.match(r"\s*[\d.,%]", folded[values.end() :]):
            found = VALUE_RE.finditer(values.group())
            return folded[:start].strip(), unit, [read_value(value, columns, i) for i, value in enumerate(found)]
    return None


def match_row(folded: str, layout: Layout) -> tuple[str, str, list[Value]] | None:
    """(folded label, unit, values) when a folded line is a row of a table with this layout."""
    cells = split_cells(folded, pipes=layout.edge_pipes)
    if layout.count_unit:
        return match_count(cells, layout) if cells else None
    if cells:
        return match_cells(cells, layout.columns)
    return match_words(folded, layout.columns)


def ends_table(line: str) -> bool:
    """A blank line, a section heading or a list item: the table is over."""
    stripped = line.strip()
    if not stripped or LIST_ITEM_RE.match(stripped) or ROMAN_MARKER_RE.match(stripped):
        return True
    return is_heading_line(stripped) and split_cells(stripped) is None


def find_tables(text: str) -> list[Table]:
    """Every table of ``text`` with a unit column or a count column, and its rows."""
    folded = repair_digit_noise(fold(text))
    tables: list[Table] = []
    table: Table | None = None
    layout: Layout | None = None
    loose = 0
    pending: tuple[int, str] | None = None  # (start, folded label) of a row whose label wraps before its values
    previous: list[str] = []  # the folded lines before the current one (a table's caption or lead)
    for start, line in iter_lines(text):
        line_folded = folded[start : start + len(line)]
        end = start + len(line.rstrip())
        if table is None:
            if (layout := read_layout(line_folded)) is not None:
                table, loose, pending = Table(start, line_folded, " ".join(previous[-LEAD_LINES:]), []), 0, None
            previous.append(line_folded)
            continue
        row = match_row(line_folded, layout)
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
            table, previous = None, [line_folded]
        elif pending is not None or ORDINAL_RE.match(line_folded):  # a row whose values come on a later line
            pending = (pending[0], f"{pending[1]} {line_folded.strip()}") if pending else (start, line_folded.strip())
        elif table.rows:  # a label wrapped onto the next line
            last = table.rows[-1]
            last.label, last.end = f"{last.label} {line_folded.strip('| ')}", end
    if table is not None and table.rows:
        tables.append(table)
    return tables


def is_goal_column(column: Column | None, plan_start: int | None) -> bool:
    """Whether a column holds goals: its header says so, or says nothing and names no year before the plan."""
    if column is None or column.role not in ("goal", None):
        return False
    return column.role == "goal" or column.period is None or plan_start is None or int(column.period[-4:]) >= plan_start


def is_result_column(column: Column | None, plan_start: int | None, in_results: bool) -> bool:
    """Whether a column reports results: its header says so, or says nothing and it sits in a results section or
    names a year before the plan."""
    if column is None or column.role not in ("result", None):
        return False
    if column.role == "result" or in_results:
        return True
    return column.period is not None and plan_start is not None and int(column.period[-4:]) < plan_start
