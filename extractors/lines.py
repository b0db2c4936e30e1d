"""Line-level layout of restored (possibly line-wrapped OCR) text: list markers, headings, paragraphs.

A line break inside a paragraph is not a boundary; blank lines, form feeds, list markers ("1.", "a)", "-",
"+"), headings and footnotes start a new paragraph ("block").
"""

from __future__ import annotations

import re

SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
UPPER_LETTERS = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x1EFA)) if c.isupper())  # Vietnamese capitals too
ROMAN_MARKER_RE = re.compile(rf"^(?=[IVXl1]*[IVX])[IVXl1]{{1,5}}\.(?:\s|(?=[{UPPER_LETTERS}][^\W\d_]))")  # "V.TỔ CHỨC"
NUMERIC_MARKER_RE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.|\d{1,2}(?:\.\d{1,2})+)\s+(?=[^\W\d_])")
LETTER_MARKER_RE = re.compile(r"^[a-zđ]\)\s+(?=[^\W\d_])")
LIST_MARKER_RE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ][.)]|\((?:\d{1,2}|[a-zđ])\)|[-+•*–—~])\s+")
FOOTNOTE_RE = re.compile(rf"^[{SUPERSCRIPTS}]+")
HEADING_MAX_CHARS = 100
MIN_WRAPPED_CHARS = 40  # lines this long or shorter do not size a full line
SHORT_LINE_SHARE = 0.7  # a line ending a sentence shorter than this share of a full line ends its paragraph
FULL_LINE_SHARE = 0.75  # a line this share of a full line or longer ran on to the next: wrapped, not a heading
FIGURE_RE = re.compile(r"\d[\d.,]*%?(?:\s?[-–]\s?\d[\d.,]*%?)? ")  # "37 ", "3.527,4 ", "8 - 10 ", "100% "
CLOSES_PARENTHESIS_RE = re.compile(r"[^()]*\)")  # a line whose first parenthesis closes one
SEPARATOR_RE = re.compile(r"\s*(?:\||\t| {2,})\s*")  # between a table's cells: a bar, a tab or a run of spaces


def is_caps_heading(line: str) -> bool:
    """A line written in capitals (two words or more, 80% of the letters upper case)."""
    letters = [c for c in line if c.isalpha()]
    return len(line.split()) >= 2 and len(letters) >= 6 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def is_heading_line(line: str) -> bool:
    """A short numbered or capitalised line standing on its own: a section heading."""
    stripped = line.strip()
    if not stripped or len(stripped) > HEADING_MAX_CHARS or stripped[-1] in ".;,":
        return False
    if LETTER_MARKER_RE.match(stripped) and not any(c.isdigit() for c in stripped):
        return True  # "a) Về sản phẩm"
    return bool(ROMAN_MARKER_RE.match(stripped) or NUMERIC_MARKER_RE.match(stripped)) or is_caps_heading(stripped)


def _starts_block(line: str) -> bool:
    stripped = line.lstrip()
    return bool(LIST_MARKER_RE.match(stripped) or FOOTNOTE_RE.match(stripped)) or is_heading_line(line)


def is_table_line(line: str) -> bool:
    """A line whose words are set apart into cells (`SEPARATOR_RE`): a table's header or row, not prose."""
    return bool(SEPARATOR_RE.search(line.strip()))


def continues_line(line: str) -> bool:
    """A line that carries on the line before it: it opens in lower case, with a parenthesis, or with a figure that a
    word in lower case follows ("37 hợp tác xã", "2.400 triệu đồng", "8 - 10 sản phẩm")."""
    stripped = line.lstrip()
    figure = FIGURE_RE.match(stripped)
    first = stripped[figure.end() if figure else 0 :][:1]
    return (first == "(" and not figure and not LIST_MARKER_RE.match(stripped)) or first.islower()


def iter_lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) for every line; a form feed ends a line and, being blank, a block."""
    lines, start = [], 0
    for match in re.finditer(r"[\n\f]", text):
        lines.append((start, text[start : match.start()]))
        if match.group() == "\f":
            lines.append((match.start(), ""))
        start = match.end()
    lines.append((start, text[start:]))
    return lines


def measure_width(lines: list[tuple[int, str]]) -> int:
    """The width of a full line of the text: the 80th percentile of the lengths of its longer lines."""
    lengths = sorted(len(line.strip()) for _, line in lines if len(line.strip()) > MIN_WRAPPED_CHARS)
    return lengths[int(0.8 * (len(lengths) - 1))] if lengths else 0


def ends_paragraph(line: str, width: int) -> bool:
    """A line ending a sentence well short of the full width: the text after it starts a new paragraph."""
    stripped = line.strip()
    return stripped[-1:] in (".", "!", "?") and len(stripped) < SHORT_LINE_SHARE * width


def ends_heading(line: str, width: int) -> bool:
    """A heading line that ends there: not one in mixed case that fills a full line ("a) Tuyên truyền, đào tạo, tập
    huấn về Chương trình" / "OCOP: 450 triệu đồng;" is one item wrapped)."""
    stripped = line.strip()
    full = width and len(stripped) >= FULL_LINE_SHARE * width
    return is_heading_line(line) and (is_caps_heading(stripped) or not full)


def runs_on(line: str, width: int) -> bool:
    """A full line that ends on a word or a comma: it was wrapped, and the sentence goes on (not a title, which
    often fills a line up to its year: "Thực hiện Chương trình OCOP huyện Trùng Khánh giai đoạn 2023-2025")."""
    stripped = line.strip()
    return bool(width) and len(stripped) >= FULL_LINE_SHARE * width and (stripped[-1].isalpha() or stripped[-1] == ",")


def split_blocks(text: str, breaks: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """Spans of paragraphs: runs of lines not broken by blank lines, form feeds, list items or headings, or by a
    short line that ends a sentence before a line in capitals. Blank lines (or a page break) before a line that
    carries on a sentence left unfinished (no `.`, `!` or `?`; `continues_line`) do not end its paragraph: OCR puts
    them between blocks of one paragraph, and a page can end mid-sentence. Nor do those before a line that closes a
    parenthesis left open ("(tinh dầu tràm, trà rau má" / "Cam Lộ, hồ tiêu Vĩnh Linh) được"), or before a name in
    capitals after a full line that ends on a word (`runs_on`: "bố trí từ nguồn ngân sách Trung ương thuộc" /
    "Chương trình MTQG"). A table line (`is_table_line`) is no unfinished sentence. A line starting at one of the
    ``breaks`` (where a table found by other means ends) starts a paragraph."""
    blocks: list[tuple[int, int]] = []
    start: int | None = None
    gap: int | None = None  # where the open paragraph ends, at the blank line after it, unless the next line goes on
    previous_heading, previous_short, unfinished, wrapped = False, False, False, False
    open_parens = 0  # parentheses the open paragraph has opened and not closed
    lines = iter_lines(text)
    width = measure_width(lines)
    for line_start, line in lines:
        if not line.strip():
            if start is not None and gap is None and line_start > start:
                gap = line_start
            continue
        if gap is not None:
            closes = open_parens and CLOSES_PARENTHESIS_RE.match(line)
            goes_on = continues_line(line) or closes or (wrapped and line.lstrip()[:1].isupper())
            if not (unfinished and goes_on and not _starts_block(line)) or line_start in breaks:
                blocks.append((start, gap))
                start = None
            gap = None
        starts = _starts_block(line) or (previous_short and line.lstrip()[:1].isupper()) or line_start in breaks
        if start is not None and ((previous_heading and not continues_line(line)) or starts):
            blocks.append((start, line_start))
            start = None
        if start is None:
            start, open_parens = line_start, 0
        open_parens = max(0, open_parens + line.count("(") - line.count(")"))
        previous_heading, previous_short = ends_heading(line, width), ends_paragraph(line, width)
        unfinished = not (previous_heading or is_table_line(line)) and line.rstrip()[-1] not in ".!?"
        wrapped = runs_on(line, width)
    if start is not None:
        blocks.append((start, gap if gap is not None else len(text)))
    return blocks
