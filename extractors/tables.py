"""Tables laid out as text, read row by row instead of as sentences.

Two kinds have counted values:
- indicator tables: a header naming the unit column ("Đơn vị tính", "ĐVT") and value columns ("Kế hoạch năm
  2024", "Năm 2023 | Năm 2024 | Năm 2025"), then one row per indicator: its label, its unit, its values
  ("2 | Trong đó: sản phẩm đạt 4 sao | Sản phẩm | 02 |");
- count tables: a header with count columns that name what they count ("Số chủ thể", "Số sản phẩm được công
  nhận"), then one row per item (a category, a district, a type of producer) and its counts.

Cells are separated by "|", tabs or runs of spaces, or by single spaces as a PDF's plain text layer gives them:
an indicator row is then found by a unit followed by nothing but values and a note, a count or money row by the
numbers after its label (a money header's columns open at money words: "Tổng kinh phí", "Ngân sách tỉnh"). A
header may go on over a second line ("Đơn vị / tính", "Kế hoạch / năm 2024"). A line without values inside a table
carries on the label of the row before it, or, when it starts with a row number, of the row after it; a heading or
a list item ends the table, and so does a blank line unless a row, or a label's wrapped end and then a row, follows
it (OCR text sets blank lines between rows as between paragraphs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property

from extractors.folding import fold
from extractors.lines import (
    LIST_MARKER_RE,
    NUMERIC_MARKER_RE,
    ROMAN_MARKER_RE,
    SEPARATOR_RE,
    is_caps_heading,
    is_heading_line,
    iter_lines,
)
from extractors.numbers import find_money, normalize_multiplier, parse_number, repair_digit_noise
from extractors.patterns import load_cue_pattern, load_cue_table
from extractors.sections import YEAR, find_periods, format_period

# "Đơn vị tính", "ĐVT"; also "Đến vị tính", as English-model OCR's "Den vj tinh" may be restored (ơ read as e)
UNIT_WORDS = r"d[oe]n\s+vi\s+tinh|dvt"
UNIT_HEADER_RE = re.compile(rf"(?<![a-z])(?:{UNIT_WORDS}|don vi)(?![a-z])")
# Headers written with single spaces: "TT Chỉ tiêu Đơn vị tính Kế hoạch năm 2024", "TT Nhóm sản phẩm Số sản phẩm"
SPACED_HEADER_RE = re.compile(
    rf"(?:s?tt\s+)?(?:chi tieu|noi dung|danh muc|hang muc|ten chi tieu)\s.*?(?:{UNIT_WORDS})(?![a-z])"
)
SPACED_COUNT_HEADER_RE = re.compile(
    r"s?tt\s+[a-z].*?\s(?=(?:tong\s+)?so(?:\s+luong)?\s+[a-z]|(?:dat\s+)?[1-5]\s+sao(?![a-z]))"
)
SPACED_LABEL_RE = re.compile(r"s?tt\s+(?:noi dung|hang muc|danh muc|nhiem vu)(?:\s+[a-z]+)*?\s+(?=\S)")
COLUMN_START_RE = re.compile(
    r"(?<![a-z])(?:(?:tong\s+)?so(?:\s+luong)?(?:\s|$)|ty\s+le|ghi\s+chu|(?:dat\s+)?[1-5]\s+sao(?![a-z])"
    r"|(?:tong(?:\s+cong)?|cong)$)"
)
# A count column that names no counted thing: a star rating ("3 sao"), a quantity ("Số lượng") or a total ("Tổng
# số", "Cộng"); it counts what the table's other count columns, its label column or its caption count.
BARE_COUNT_HEADER_RE = re.compile(r"(?:so\s+luong|(?:tong\s+)?so|tong(?:\s+cong)?|cong|(?:dat\s+)?[1-5]\s+sao)")
BARE_PERIOD_RE = re.compile(rf"(?<![\d/.])({YEAR})(?:\s*[-–]\s*({YEAR}))?(?![\d/.])")
_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
VALUE_RE = re.compile(rf"(?P<sign>>=|<=|[≥≤><])?\s*(?P<low>{_NUMBER})(?:\s*[-–]\s*(?P<high>{_NUMBER}))?")
_VALUE = rf"(?:>=|<=|[≥≤><])?\s*(?:{_NUMBER})(?:\s*[-–]\s*(?:{_NUMBER}))?"
# Values after a unit: numbers, ranges and "-" for an empty cell; not a star rating ("Sản phẩm 3 sao")
VALUES_RE = re.compile(rf"(?:\s+(?:{_VALUE}|-(?!\S)))+(?![\w.,%])(?!\s*sa[o0]\b)")
CELL_TOKEN_RE = re.compile(rf"{VALUE_RE.pattern}|(?P<empty>-)")
COUNT_CELL_RE = re.compile(r"\d{1,3}(?:\.\d{3})+|\d+")
AMOUNT_CELL_RE = re.compile(_NUMBER)
MONEY_UNIT = "đồng"
MONEY_UNIT_RE = re.compile(rf"(?:{UNIT_WORDS}|don vi)\s*:?\s*\(?((?:trieu|nghin|ngan|ty|ti)\s+dong|dong)(?![a-z])")
ORDINAL_HEADER_RE = re.compile(r"s?tt")
COUNT_ROW_RE = re.compile(
    r"(?P<label>.*?[a-z].*?)\s+(?P<numbers>\d[\d.,]*(?:\s+(?:\d[\d.,]*|-))*)(?:\s+(?P<rest>[^\d\s-].*))?"
)
VALUES_ONLY_RE = re.compile(r"[\s|]*\d[\d.,%\s|-]*")  # a line of values and cell separators: "1|2|3", "45   6"
PERCENT_UNIT_RE = re.compile(r"\(?%\)?")
LIST_ITEM_RE = re.compile(r"^[-+•*]\s")
ORDINAL_RE = re.compile(r"\s*(?:\d{1,2}[.)]?|(?:[ivx]{1,4}|[a-z])[.)])(?:\s|\|)")  # a row's number: "1", "2.", "a)"
ORDINAL_CELL_RE = re.compile(r"(?:\d{1,2}|[ivx]{1,4}|[a-z])[.)]?|-|")
HEADER_GOES_ON_RE = re.compile(rf"[a-z\s|()%]*(?:{YEAR}[a-z\s|()%-]*)*")  # "tính   năm 2023   năm 2024"
MAX_WRAPPED_CELL_CHARS = 60  # a longer line without values after a table's rows is prose
MAX_LOOSE_LINES = 2  # this many lines in a row without values end a table
LEAD_LINES = 2  # lines before a header kept as the table's caption or lead sentence
_YEAR_RE = re.compile(YEAR)
SIGN_QUALIFIERS = {">": "at_least", ">=": "at_least", "≥": "at_least", "<": "at_most", "<=": "at_most", "≤": "at_most"}


@dataclass(frozen=True)
class Column:
    """A value column: its folded header, the period it names, its role from its words ("goal", "result",
    "other" for remarks, shares and comparisons, None when they say nothing) and, for a count column, what it
    counts."""

    header: str
    period: str | None
    role: str | None
    unit: str | None = None


@dataclass(frozen=True)
class Value:
    """A number in a value cell, with what it counts."""

    low: Decimal
    high: Decimal | None
    qualifier: str | None  # from a sign before it ("≥ 10")
    column: Column | None  # None when the row has more values than the header has columns
    unit: str
    text: str = ""  # as written


@dataclass
class Row:
    """A row: its lines' span, its folded label (wrapped lines added) and its values."""

    start: int
    end: int
    label: str
    values: list[Value]
    note_start: int | None = None  # where its remarks cell starts ("Ghi chú": prose, read as sentences are)
    source: str = ""  # a money table's "Nguồn vốn" cell, folded

    def holds(self, position: int) -> bool:
        """Whether ``position`` of the text lies in the row's label or values (not in its remarks)."""
        return self.start <= position < (self.note_start or self.end)


@dataclass(frozen=True)
class Layout:
    """How a table's rows are read, from its header: the value columns after the unit column of an indicator
    table, or the count columns of a count table with their cell index (their order among a row's numbers when
    the header has no cell separators)."""

    columns: list[Column]
    header_cells: list[str] | None
    edge_pipes: bool = False  # the header starts with "|": so do its rows, and an edge "|" marks no empty cell
    counts: tuple[tuple[int, Column], ...] = ()
    money: int = 0  # a money table's multiplier ("Đơn vị tính: triệu đồng"): its count columns hold amounts
    source_column: int | None = None  # a money table's "Nguồn vốn" cell

    @cached_property
    def note_column(self) -> int | None:
        """The index of the remarks cell ("Ghi chú"), if the header has one."""
        return find_column(self.header_cells or [], "note_columns")


def find_column(cells: list[str], cues: str) -> int | None:
    """The index of the first header cell that a cue of patterns/tables.yaml ``cues`` names; None when none does."""
    pattern = load_cue_pattern("tables", cues)
    return next((i for i, cell in enumerate(cells) if pattern.search(cell)), None)


@dataclass
class Table:
    """A table: its header line(s), the lines before it (a caption or lead sentence, folded) and its rows."""

    header_start: int
    header: str  # folded
    lead: str
    rows: list[Row]
    layout: Layout

    @property
    def counts(self) -> bool:
        """Whether it is a count table ("Số sản phẩm"), whose unmarked columns report results outside plans."""
        return bool(self.layout.counts) and not self.layout.money


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
    return Column(header, period, role, find_counted_unit(header))


def find_unit(cell: str) -> str | None:
    """The unit a whole folded cell names ("Sản phẩm", "%", "Chủ thể")."""
    if PERCENT_UNIT_RE.fullmatch(cell):
        return "%"
    return next((unit for unit, pattern in load_cue_table("targets", "units").items() if pattern.fullmatch(cell)), None)


def find_counted_unit(header: str) -> str | None:
    """The unit a count column's folded header counts ("Số chủ thể", "Số sản phẩm được công nhận")."""
    counted = re.match(r"(?:tong\s+)?so(?:\s+luong)?\s+([a-z].*)", header.strip())
    if not counted:
        return None
    words = counted.group(1).split()
    return next((unit for n in (3, 2, 1) if (unit := find_unit(" ".join(words[:n])))), None)


def find_named_unit(text: str) -> str | None:
    """The last counted thing a folded label header or caption names ("Nhóm sản phẩm", "Loại hình chủ thể")."""
    found = [
        (m.end(), unit) for unit, pattern in load_cue_table("targets", "units").items() for m in pattern.finditer(text)
    ]
    return max(found)[1] if found else None


def bare_column_unit(named: set[str], label: str, lead: str) -> str | None:
    """What a bare count column counts: the one thing the named count columns count (none when they count several),
    else the thing the label header or the caption names."""
    if len(named) > 1:
        return None
    return next(iter(named), None) or find_named_unit(label) or find_named_unit(lead)


def count_columns(headers: list[str], label: str, lead: str) -> tuple[tuple[int, Column], ...]:
    """(index, column) of the count columns among folded ``headers``: those naming what they count ("Số sản
    phẩm"), and bare ones ("3 sao", "Số lượng", "Tổng số") counting what the named ones count, else what the
    ``label`` header or the ``lead`` names."""
    columns = [classify_column(header) for header in headers]
    unit = bare_column_unit({column.unit for column in columns if column.unit}, label, lead)
    bare = [unit is not None and BARE_COUNT_HEADER_RE.fullmatch(header.strip()) is not None for header in headers]
    return tuple(
        (i, column if column.unit else replace(column, unit=unit))
        for i, (column, is_bare) in enumerate(zip(columns, bare, strict=True))
        if column.unit or is_bare
    )


def label_width(cells: list[str]) -> int:
    """How many header cells name the rows: the label, after a row-number cell ("TT") when there is one."""
    return 2 if ORDINAL_HEADER_RE.fullmatch(cells[0]) else 1


def read_layout(header: str, lead: str = "") -> Layout | None:
    """The layout of a folded header line (``lead``: the lines before it, which may give a money unit); None
    when it heads no table of counted values or amounts."""
    cells = split_cells(header)
    if cells:
        pipes = header.lstrip().startswith("|")
        unit_cell = next((i for i, cell in enumerate(cells) if UNIT_HEADER_RE.fullmatch(cell)), None)
        if unit_cell is not None:
            return Layout([classify_column(cell) for cell in cells[unit_cell + 1 :]], cells, pipes)
        label = label_width(cells)
        counts = tuple((i + label, c) for i, c in count_columns(cells[label:], " ".join(cells[:label]), lead))
        money_unit = MONEY_UNIT_RE.search(f"{lead} {header}")
        if counts and not money_unit:
            return Layout([column for _, column in counts], cells, pipes, counts)
        return read_money_layout(cells, pipes, money_unit) if money_unit else None
    spaced = header.strip()
    if (money_unit := MONEY_UNIT_RE.search(f"{lead} {header}")) and (
        money := read_spaced_money_layout(spaced, money_unit)
    ):
        return money
    if SPACED_HEADER_RE.match(spaced):
        rest = spaced[UNIT_HEADER_RE.search(spaced).end() :]
        ends = [m.end() for m in BARE_PERIOD_RE.finditer(rest)]
        spans = zip([0, *ends], ends, strict=False) if ends else [(0, len(rest))]
        return Layout([classify_column(rest[begin:end]) for begin, end in spans], None)
    if label := SPACED_COUNT_HEADER_RE.match(spaced):
        rest = spaced[label.end() :]
        starts = [m.start() for m in COLUMN_START_RE.finditer(rest)]
        headers = [rest[a:b] for a, b in zip(starts, [*starts[1:], len(rest)], strict=True)]
        counts = count_columns(headers, label.group(), lead)
        columns = [dict(counts).get(i) or classify_column(header) for i, header in enumerate(headers)]
        return Layout(columns, None, False, counts) if counts else None
    return None


def money_columns(headers: list[str], first: int) -> tuple[list[tuple[int, Column]], int | None]:
    """(index, column) of a money table's amount columns among its ``headers`` from ``first`` on, leaving out its
    source column ("Nguồn vốn") and remarks; and the source column's index."""
    source, note = find_column(headers, "source_columns"), find_column(headers, "note_columns")
    columns = [
        (i, replace(classify_column(header), unit=MONEY_UNIT))
        for i, header in enumerate(headers[first:], first)
        if i not in (source, note)
    ]
    return columns, source


def read_money_layout(cells: list[str], pipes: bool, unit: re.Match[str]) -> Layout | None:
    """The layout of a money table: the money ``unit`` its caption or header names ("Đơn vị tính: triệu đồng"),
    amount columns after the label ("Tổng cộng", "Năm 2024"), and perhaps a source column ("Nguồn vốn")."""
    columns, source = money_columns(cells, label_width(cells))
    layout = Layout([c for _, c in columns], cells, pipes, tuple(columns), money_multiplier(unit), source)
    return layout if columns else None


def money_multiplier(unit: re.Match[str]) -> int:
    """The multiplier of a money unit ``MONEY_UNIT_RE`` found: 1,000,000 for "triệu đồng"."""
    return normalize_multiplier(unit.group(1).split()[0])


def read_spaced_money_layout(spaced: str, unit: re.Match[str]) -> Layout | None:
    """The layout of a money table whose folded header has single spaces: its columns open at the words that open
    one (``money_column_starts``: "TT Nội dung | Tổng kinh phí | Ngân sách tỉnh | Vốn đối ứng của chủ thể"). A
    row's amounts are then the numbers after its label, in the columns' order (`row_source`: its source after)."""
    label = SPACED_LABEL_RE.match(spaced)
    if label is None:
        return None
    starts = [m.start() for m in load_cue_pattern("tables", "money_column_starts").finditer(spaced, label.end())]
    if not starts or spaced[label.end() : starts[0]].strip():
        return None
    columns, source = money_columns(
        [spaced[a:b].strip() for a, b in zip(starts, [*starts[1:], len(spaced)], strict=True)], 0
    )
    layout = Layout([c for _, c in columns], None, False, tuple(columns), money_multiplier(unit), source)
    return layout if columns else None


def merge_spaced_header(upper: str, lower: str) -> str | None:
    """A header in single spaces set over two lines, its columns' names above and their years below ("TT Nội dung
    Đơn vị Kế hoạch Thực hiện Kế hoạch" / "tính năm 2023 năm 2023 năm 2024"), as one line that gives each name its
    year in order ("… đơn vị tính kế hoạch năm 2023 thực hiện năm 2023 kế hoạch năm 2024"); None unless there are
    two names or more after the unit cell, each opening with a role cue, and as many years below."""
    unit = UNIT_HEADER_RE.search(upper)
    if unit is None or "|" in upper or "|" in lower:
        return None
    rest = upper[unit.end() :]
    cues = (load_cue_pattern("tables", key) for key in ("goal_columns", "result_columns", "other_columns"))
    starts = sorted({m.start() for cue in cues for m in cue.finditer(rest)})
    years = [offset for offset, _ in find_periods(lower)]
    if len(starts) < 2 or len(starts) != len(years) or rest[: starts[0]].strip():
        return None
    names = [rest[a:b].strip() for a, b in zip(starts, [*starts[1:], len(rest)], strict=True)]
    periods = [lower[a:b].strip() for a, b in zip(years, [*years[1:], len(lower)], strict=True)]
    paired = " ".join(f"{name} {period}" for name, period in zip(names, periods, strict=True))
    return f"{upper[: unit.end()]} {lower[: years[0]].strip()} {paired}"


def merge_header(header: str, line: str) -> str:
    """A header and its second line as one header: each cell of the second line joins the cell above it."""
    if "|" in header and "|" not in line:  # the last cell wrapped at the line's end ("Vốn đối" / "ứng của chủ thể")
        return f"{header.rstrip()} {line.strip()}"
    if "|" in header:
        upper, lower = header.split("|"), line.split("|")
        merged = [f"{a.strip()} {b.strip()}".strip() for a, b in zip(upper, lower + [""] * len(upper), strict=False)]
        return " | ".join(merged)
    return " | ".join(column.text for column in place_columns([header, line]))


def read_value(match: re.Match[str], column: Column | None, unit: str) -> Value:
    """The value of a VALUE_RE match in a cell of ``column``."""
    high = parse_number(match.group("high")) if match.group("high") else None
    qualifier = SIGN_QUALIFIERS.get(match.group("sign") or "")
    counted = column.unit if column and column.unit else unit
    return Value(parse_number(match.group("low")), high, qualifier, column, counted, match.group().strip())


def column_at(columns: list[Column], index: int) -> Column | None:
    """The ``index``-th value column, None past the last."""
    return columns[index] if index < len(columns) else None


def label_as_written(text: str, folded: str, label: str) -> str:
    """A row's folded ``label`` as its ``text`` writes it (``folded``: that text folded; folding keeps offsets): each
    word found in turn, so that the row's number and figures between the label's pieces are left out."""
    words, at = [], 0
    for word in label.split():
        found = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)").search(folded, at)
        words.append(text[found.start() : found.end()] if found else word)
        at = found.end() if found else at
    return " ".join(words)


def join_label(cells: list[str]) -> str:
    """The label of a row from the cells before its unit or counts, without the row's number."""
    return " ".join(cells[1:] if cells and ORDINAL_CELL_RE.fullmatch(cells[0] or "-") else cells).strip()


def match_cells(cells: list[str], columns: list[Column]) -> tuple[str, list[Value]] | None:
    """(label, values) of an indicator row split into cells: the last cell naming a unit with values after it."""
    for index in range(len(cells) - 2, 0, -1):
        unit = find_unit(cells[index])
        found = [(i, VALUE_RE.fullmatch(cell)) for i, cell in enumerate(cells[index + 1 :])]
        if unit and any(value for _, value in found):
            values = [read_value(value, column_at(columns, i), unit) for i, value in found if value]
            return join_label(cells[:index]), values
    return None


def read_value_tokens(text: str, columns: list[Column], unit: str) -> list[Value]:
    """The values written after a unit with single spaces: "-" is an empty cell, "3 - 4" a range unless reading
    its dash as an empty cell fits the header's columns exactly."""
    tokens = list(CELL_TOKEN_RE.finditer(text))
    singles = re.findall(rf"{_NUMBER}|-", text)
    if len(tokens) != len(columns) and len(singles) == len(columns):
        tokens = [CELL_TOKEN_RE.fullmatch(token) for token in singles]
    return [read_value(t, column_at(columns, i), unit) for i, t in enumerate(tokens) if t and not t.group("empty")]


def match_words(folded: str, columns: list[Column]) -> tuple[str, list[Value]] | None:
    """(label, values) of an indicator row written with single spaces: the last unit followed by values only."""
    units = [(m.start(), m.end(), "%") for m in re.finditer("%", folded)]
    for unit, pattern in load_cue_table("targets", "units").items():
        units += [(m.start(), m.end(), unit) for m in pattern.finditer(folded)]
    for start, end, unit in sorted(units, key=lambda u: (-u[1], u[0])):  # the last and longest unit first
        values = VALUES_RE.match(folded, end)
        if values and not re.match(r"\s*[\d.,%]", folded[values.end() :]):
            return folded[:start].strip(), read_value_tokens(values.group(), columns, unit)
    return None


def align_cells(cells: list[str], layout: Layout) -> list[str]:
    """A row's cells under the header's: a row short of a cell without a row number has left that one empty
    ("Tổng cộng" rows)."""
    if layout.header_cells and len(cells) < len(layout.header_cells) and not ORDINAL_CELL_RE.fullmatch(cells[0]):
        return ["", *cells]
    return cells


def match_counts(folded: str, cells: list[str] | None, layout: Layout) -> tuple[str, list[Value]] | None:
    """(label, values) of a count table's row: its count cells, or the numbers after its label."""
    if cells is None:
        row = COUNT_ROW_RE.fullmatch(folded.strip())
        if not row or (layout.money and find_money(row.string[row.start("numbers") :])):
            return None  # no figures after a label, or prose naming its amount's unit ("… 2.070 triệu đồng;")
        numbers = row.group("numbers").split()
        if len(numbers) <= max(k for k, _ in layout.counts):
            return None  # a figure short: which count column is empty, single spaces do not tell
        label = re.sub(r"^(?:\d{1,2}|[ivx]{1,4})[.)]?\s+", "", row.group("label"))
    else:
        numbers = align_cells(cells, layout)
        label = join_label(numbers[: layout.counts[0][0]])
    number_re = AMOUNT_CELL_RE if layout.money else COUNT_CELL_RE
    found = [(column, number_re.fullmatch(numbers[k])) for k, column in layout.counts if k < len(numbers)]
    values = [
        Value(parse_number(m.group()), None, None, column, column.unit or "", m.group()) for column, m in found if m
    ]
    return (label, values) if values and label else None


def match_row(folded: str, cells: list[str] | None, layout: Layout) -> tuple[str, list[Value]] | None:
    """(folded label, values) when a folded line (split into ``cells`` when separators mark them) is a row of a
    table with this layout."""
    if layout.counts:
        return match_counts(folded, cells, layout)
    if cells:
        return match_cells(cells, layout.columns)
    return match_words(folded, layout.columns)


def ends_table(line: str) -> bool:
    """A blank line, a section heading or a list item: the table is over."""
    stripped = line.strip()
    if not stripped or LIST_ITEM_RE.match(stripped) or ROMAN_MARKER_RE.match(stripped):
        return True
    return is_heading_line(stripped) and split_cells(stripped) is None


def is_section_heading(line: str) -> bool:
    """A roman-numbered heading in capitals whose only figures are years ("II. MỤC TIÊU NĂM 2024"): a section, never
    a table's row, even where OCR left one space between its words as between a row's cells."""
    stripped = line.strip()
    only_years = all(_YEAR_RE.fullmatch(figure) for figure in re.findall(r"\d+", stripped))
    return bool(ROMAN_MARKER_RE.match(stripped)) and is_caps_heading(stripped) and only_years


def cell_under(cells: list[str] | None, layout: Layout, column: int | None) -> str:
    """A row's cell under the header's ``column`` (`align_cells`); empty when there is none."""
    if not cells or column is None:
        return ""
    aligned = align_cells(cells, layout)
    return aligned[column] if column < len(aligned) else ""


def row_source(folded: str, cells: list[str] | None, layout: Layout) -> str:
    """A money row's source cell ("NS tỉnh"): in single spaces, the words after its amounts."""
    if cells is not None or layout.source_column is None:
        return cell_under(cells, layout, layout.source_column)
    row = COUNT_ROW_RE.fullmatch(folded.strip())
    return (row.group("rest") or "") if row else ""


def find_note_start(line: TextLine, cells: list[str] | None, layout: Layout) -> int | None:
    """Where a row's remarks cell starts in the text (under a "Ghi chú" header cell); None without one."""
    column = layout.note_column
    if column is not None and line.cell_starts:  # a gathered row knows where its cells start
        return line.cell_starts[column] if column < len(line.cell_starts) else None
    note = cell_under(cells, layout, column)
    at = line.folded.rfind(note) if note else -1  # not on this line: a row joined from two lines, its note above
    return line.start + at if at >= 0 else None


def is_prose(line: str) -> bool:
    """A line after a table's rows too long for a wrapped cell, or ending a sentence: the text goes on."""
    stripped = line.strip()
    return len(stripped) > MAX_WRAPPED_CELL_CHARS or stripped[-1:] in (".", ":", ";")


@dataclass(frozen=True)
class TextLine:
    """A line as the table reader sees it: a printed line, or a row of a table laid out with runs of spaces,
    gathered from its printed lines with each piece placed under its header column ("Sản / phẩm")."""

    start: int
    end: int
    text: str  # as printed (a gathered row: its first printed line)
    folded: str  # folded (a gathered row or header: its cells joined by " | ")
    cell_starts: tuple[int | None, ...] = ()  # a gathered row: where each of its cells starts in the text


@dataclass(frozen=True)
class Piece:
    """A run of words on a printed line, between runs of two or more spaces: its offsets in the line."""

    start: int
    end: int
    text: str


def find_pieces(line: str) -> list[Piece]:
    """The runs of words of a folded line, split at runs of two or more spaces."""
    return [Piece(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", line)]


def is_spaced_header(line: str) -> bool:
    """A header line laid out with runs of spaces whose first cell numbers the rows ("TT", "STT")."""
    pieces = find_pieces(line)
    return "|" not in line and len(pieces) >= 3 and bool(ORDINAL_HEADER_RE.fullmatch(pieces[0].text))


def is_header_part(line: str) -> bool:
    """A line of header words set in columns ("Kế hoạch   Thực hiện", "tính   năm 2023   năm 2024")."""
    return "|" not in line and "  " in line.strip() and bool(HEADER_GOES_ON_RE.fullmatch(line.strip()))


def place_columns(lines: list[str]) -> list[Piece]:
    """The columns of a header set over several lines: pieces that overlap across lines make one column."""
    columns: list[Piece] = []
    for line in lines:
        for piece in find_pieces(line):
            k = next((i for i, c in enumerate(columns) if piece.start < c.end + 1 and piece.end > c.start - 1), None)
            if k is None:
                columns.append(piece)
            else:
                column = columns[k]
                columns[k] = Piece(
                    min(column.start, piece.start), max(column.end, piece.end), f"{column.text} {piece.text}"
                )
    return sorted(columns, key=lambda column: column.start)


def gather_rows(lines: list[tuple[int, str, str]], columns: list[Piece]) -> list[TextLine]:
    """The rows of a spaced table from its printed lines (start, line, folded): a line with a row number or a
    figure after its label starts a row, any other line adds its pieces to the cells of the row above."""
    starts = [column.start for column in columns]
    rows: list[TextLine] = []
    for start, line, folded in lines:
        cells: list[list[str]] = [[] for _ in columns]
        offsets: list[int | None] = [None] * len(columns)
        for piece in find_pieces(folded):
            k = max((i for i, column_start in enumerate(starts) if column_start <= piece.start + 2), default=0)
            cells[k].append(piece.text)
            offsets[k] = offsets[k] if offsets[k] is not None else start + piece.start
        figures = any(re.search(r"\d", " ".join(cell)) for cell in cells[2:])  # not "3 sao trở lên" in a label
        new_row = not rows or figures or bool(cells[0] and ORDINAL_CELL_RE.fullmatch(cells[0][0]))
        end = start + len(line.rstrip())
        if new_row:
            rows.append(TextLine(start, end, line, " | ".join(" ".join(c) for c in cells), tuple(offsets)))
            continue
        last = rows[-1]
        merged = [f"{a} {' '.join(b)}".strip() for a, b in zip(last.folded.split(" | "), cells, strict=True)]
        kept = tuple(a if a is not None else b for a, b in zip(last.cell_starts, offsets, strict=True))
        rows[-1] = TextLine(last.start, end, last.text, " | ".join(merged), kept)
    return rows


def read_text_lines(text: str, folded: str) -> list[TextLine]:
    """The lines of ``text`` for the table reader: printed lines, except that a table laid out with runs of spaces
    gives its header as one line and each row as one line."""
    printed = [(start, line, folded[start : start + len(line)]) for start, line in iter_lines(text)]
    out: list[TextLine] = []
    i = 0
    while i < len(printed):
        start, line, line_folded = printed[i]
        if not is_spaced_header(line_folded):
            out.append(TextLine(start, start + len(line.rstrip()), line, line_folded))
            i += 1
            continue
        header = [line_folded]
        if i and is_header_part(printed[i - 1][2]) and out:  # "Kế hoạch   Thực hiện" above "TT  Chỉ tiêu  ĐVT"
            header.insert(0, out.pop().folded)
        j = i + 1
        while j < len(printed) and is_header_part(printed[j][2]):
            header.append(printed[j][2])
            j += 1
        columns = place_columns(header)
        out.append(TextLine(start, start + len(line.rstrip()), line, " | ".join(column.text for column in columns)))
        body: list[tuple[int, str, str]] = []
        while (after_gap := skip_blank_lines(printed, j)) < len(printed) and continues_spaced(printed[after_gap][2]):
            body.append(printed[after_gap])  # OCR sets blank lines between a table's rows, as between paragraphs
            j = after_gap + 1
        out += gather_rows(body, columns)
        i = j
    return out


def skip_blank_lines(printed: list[tuple[int, str, str]], i: int) -> int:
    """The index of the first line from ``i`` on that is not blank."""
    while i < len(printed) and not printed[i][1].strip():
        i += 1
    return i


def continues_spaced(line: str) -> bool:
    """A line that goes on with a spaced table: cells set apart by runs of spaces, or one indented cell."""
    pieces = find_pieces(line)
    return bool(pieces) and "|" not in line and (len(pieces) >= 2 or pieces[0].start >= 2)


def wraps_before_row(text_lines: list[TextLine], i: int, layout: Layout) -> bool:
    """Whether line ``i``, after a blank line, is the wrapped end of a row's label: short, and a row of the table
    comes next, after blank lines or none ("4 Cán bộ quản lý OCOP cấp huyện, xã Cán bộ 40 45 50" / "" / "được tập
    huấn" / "5 Điểm giới thiệu ...")."""
    if is_prose(text_lines[i].text) or ends_table(text_lines[i].text):
        return False
    after = next((line for line in text_lines[i + 1 :] if line.text.strip()), None)
    if after is None or ends_table(after.text):
        return False
    return bool(
        ORDINAL_RE.match(after.folded) or match_row(after.folded, split_cells(after.folded, layout.edge_pipes), layout)
    )


def carries_source(table: Table, line: str) -> bool:
    """Whether ``line``, right after a row of a table with bars between its cells that ends in its source column
    ("Nguồn vốn"), carries that cell on, wrapped at the line's end: a short line without bars or a list marker
    ("tỉnh" after "| NS", "NSTW (CT MTQG" after "| 2.900 |")."""
    cells, stripped = table.layout.header_cells, line.strip()
    if not cells or table.layout.source_column != len(cells) - 1 or "|" not in table.header or "|" in line:
        return False
    marked = LIST_MARKER_RE.match(stripped) or ROMAN_MARKER_RE.match(stripped) or NUMERIC_MARKER_RE.match(stripped)
    return bool(stripped) and not marked and len(stripped) <= MAX_WRAPPED_CELL_CHARS


def join_wrapped_values(
    pending: str, line: str, layout: Layout
) -> tuple[str, list[str] | None, tuple[str, list[Value]]] | None:
    """A row begun on the ``pending`` line whose values wrapped onto ``line`` ("3 | Sản phẩm tiềm năng 5 sao |
    Sản phẩm | - |" / "1|2|3"): the joined folded text, its cells and the row read, when ``line`` holds nothing but
    values and together they make a row."""
    if not VALUES_ONLY_RE.fullmatch(line):
        return None
    joined = f"{pending} {line.strip()}"
    cells = split_cells(joined, pipes=layout.edge_pipes)
    row = match_row(joined, cells, layout)
    return (joined, cells, row) if row else None


def find_tables(text: str) -> list[Table]:
    """Every table of ``text`` with a unit column or count columns, and its rows."""
    folded = repair_digit_noise(fold(text))
    tables: list[Table] = []
    table: Table | None = None
    layout: Layout | None = None
    loose = 0
    pending: tuple[int, str] | None = None  # (start, folded label) of a row whose label wraps before its values
    previous: list[str] = []  # the folded lines before the current one (a table's caption or lead)
    gap = False  # a blank line came after the table's last row
    since_rows: list[str] = []  # the folded lines after the table's last row (the next table's caption)
    text_lines = read_text_lines(text, folded)
    for i, text_line in enumerate(text_lines):
        start, end, line, line_folded = text_line.start, text_line.end, text_line.text, text_line.folded
        if table is not None and not line.strip() and not (table.rows and gap):
            gap = bool(table.rows)  # OCR sets a blank line between a table's rows, as between paragraphs
            continue  # and after its header
        if table is not None and is_section_heading(line):
            tables += [table] if table.rows else []
            table, previous, gap = None, [], False
        if table is not None:
            cells = split_cells(line_folded, pipes=layout.edge_pipes)
            row = match_row(line_folded, cells, layout)
            joined = join_wrapped_values(pending[1], line_folded, layout) if row is None and pending else None
            if joined is not None:  # the row begun on the pending line, its values wrapped onto this one
                line_folded, cells, row = joined
            if (
                gap
                and row is None
                and not ORDINAL_RE.match(line_folded)
                and not wraps_before_row(text_lines, i, layout)
            ):
                tables.append(table)  # only a row, or a label's wrapped end before the next row, goes on after a gap
                table, previous = None, []
            gap = False
        if table is None:
            lead = " ".join(previous[-LEAD_LINES:])
            above = next((earlier for earlier in reversed(previous) if earlier.strip()), "")
            header = merge_spaced_header(above, line_folded) or line_folded  # names above, years on this line
            if (layout := read_layout(header, lead)) is not None:
                table, loose, pending = Table(start, header, lead, [], layout), 0, None
            previous.append(line_folded)
            continue
        if row is not None:
            label, values = row
            if joined is not None:
                start, pending = pending[0], None
            if pending is not None and table.rows and ORDINAL_RE.match(line_folded):
                last = table.rows[-1]  # the row has its own number: the lines before went on the row above
                last.label, pending = f"{last.label} {pending[1]}", None
            if pending is not None:  # the row's label began on the lines before
                label, start = f"{pending[1]} {label}", pending[0]
            note = find_note_start(text_line, cells, layout)
            table.rows.append(Row(start, end, label, values, note, row_source(line_folded, cells, layout)))
            loose, pending, since_rows = 0, None, []
            continue
        if not table.rows and pending is None and HEADER_GOES_ON_RE.fullmatch(line_folded.strip()):
            merged = merge_header(table.header, line_folded)  # "Đơn vị / tính", "Kế hoạch / năm 2024"
            if (layout_below := read_layout(merged, table.lead)) is not None:
                table.header, table.layout, layout = merged, layout_below, layout_below
                continue
        if text_line.cell_starts:  # a gathered row without figures ("3 | Thảo dược | - | - | -")
            continue
        if table.rows and loose == 0 and carries_source(table, line):  # the row's last cell wrapped: "| NS" / "tỉnh"
            last = table.rows[-1]
            last.source, last.end = f"{last.source} {line_folded.strip()}".strip(), end
            continue
        lead = " ".join(since_rows[-LEAD_LINES:])
        if table.rows and (next_layout := read_layout(line_folded, lead)) is not None:
            tables.append(table)  # the header of the next table, after this one's rows and its caption
            table, layout, loose, pending = Table(start, line_folded, lead, [], next_layout), next_layout, 0, None
            since_rows = []
            continue
        since_rows.append(line_folded)
        loose += 1
        if ends_table(line) or loose > MAX_LOOSE_LINES or (cells is None and is_prose(line)):
            tables += [table] if table.rows else []
            table, previous = None, [line_folded]
        elif pending is not None or ORDINAL_RE.match(line_folded):  # a row whose values come on a later line
            pending = (pending[0], f"{pending[1]} {line_folded.strip()}") if pending else (start, line_folded.strip())
        elif table.rows:  # a label wrapped onto the next line
            last = table.rows[-1]
            wrapped = line_folded.strip("| ")
            if cells and layout.counts:  # its label cells only; a wrapped "Nguồn vốn" cell goes on the row's source
                wrapped = join_label(align_cells(cells, layout)[: layout.counts[0][0]])
                last.source = f"{last.source} {cell_under(cells, layout, layout.source_column)}".strip()
            last.label, last.end = f"{last.label} {wrapped}".strip(), end
    if table is not None and table.rows:
        tables.append(table)
    return tables


def table_ends(text: str, tables: list[Table]) -> frozenset[int]:
    """Where the line after each table's last row starts: no sentence goes on across it ("Tổng cộng 6.500" /
    "Trong đó: ngân sách Trung ương 2.070 triệu đồng;" after a table in single spaces). A table's lead goes on
    into its header: alone, "Kết quả qua các năm:" would read as a heading."""
    ends = (text.find("\n", table.rows[-1].end) for table in tables if table.rows)
    return frozenset(end + 1 for end in ends if end != -1)


def is_goal_column(column: Column | None, plan_start: int | None, in_plan: bool) -> bool:
    """Whether a column holds goals: its header says so, or, in a table that sets goals (``in_plan``), says
    nothing and names no year before the plan."""
    if column is None or column.role not in ("goal", None):
        return False
    if column.role == "goal":
        return True
    return in_plan and (column.period is None or plan_start is None or int(column.period[-4:]) >= plan_start)


def is_result_column(column: Column | None, plan_start: int | None, in_results: bool) -> bool:
    """Whether a column reports results: its header says so, or says nothing and it sits in a results section or
    names a year before the plan."""
    if column is None or column.role not in ("result", None):
        return False
    if column.role == "result" or in_results:
        return True
    return column.period is not None and plan_start is not None and int(column.period[-4:]) < plan_start
