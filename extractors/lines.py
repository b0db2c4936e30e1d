"""Line-level layout of restored (possibly line-wrapped OCR) text: list markers, headings, paragraphs.

A line break inside a paragraph is not a boundary; blank lines, form feeds, list markers ("1.", "a)", "-",
"+"), headings and footnotes start a new paragraph ("block").
"""

from __future__ import annotations

import re

SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
ROMAN_MARKER_RE = re.compile(r"^(?=[IVXl1]*[IVX])[IVXl1]{1,5}\.\s")
NUMERIC_MARKER_RE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.|\d{1,2}(?:\.\d{1,2})+)\s+(?=[^\W\d_])")
LETTER_MARKER_RE = re.compile(r"^[a-zđ]\)\s+(?=[^\W\d_])")
LIST_MARKER_RE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ][.)]|[-+•*–—~])\s+")
FOOTNOTE_RE = re.compile(rf"^[{SUPERSCRIPTS}]+")
HEADING_MAX_CHARS = 100


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


def continues_line(line: str) -> bool:
    """A line that carries on the line before it: it opens in lower case or with a parenthesis."""
    first = line.lstrip()[:1]
    return first == "(" or first.islower()


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


def split_blocks(text: str) -> list[tuple[int, int]]:
    """Spans of paragraphs: runs of lines not broken by blank lines, form feeds, list items or headings."""
    blocks: list[tuple[int, int]] = []
    start: int | None = None
    previous_heading = False
    for line_start, line in iter_lines(text):
        if not line.strip():
            if start is not None and line_start > start:
                blocks.append((start, line_start))
            start = None
            continue
        if start is not None and ((previous_heading and not continues_line(line)) or _starts_block(line)):
            blocks.append((start, line_start))
            start = None
        if start is None:
            start = line_start
        previous_heading = is_heading_line(line)
    if start is not None:
        blocks.append((start, len(text)))
    return blocks
