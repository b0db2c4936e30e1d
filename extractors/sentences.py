"""Split restored (possibly line-wrapped OCR) text into sentences with offsets into the text.

A line break inside a paragraph is not a boundary; blank lines, form feeds, list markers
("1.", "a)", "-", "+"), headings, footnotes, sentence-final punctuation and ';' outside
parentheses are. Abbreviations ("Tp.", "TT.") and numbers ("38,614", "6.400.000") do not end a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.folding import fold
from extractors.numbers import repair_digit_noise

ABBREVIATIONS = frozenset({"tp", "tt", "ts", "ths", "pgs", "gs", "ks", "bs", "th", "tx", "p", "q", "no", "v.v", "vv"})
SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
ROMAN_MARKER_RE = re.compile(r"^(?=[IVXl1]*[IVX])[IVXl1]{1,5}\.\s")
NUMERIC_MARKER_RE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.|\d{1,2}(?:\.\d{1,2})+)\s+(?=[^\W\d_])")
LETTER_MARKER_RE = re.compile(r"^[a-zđ]\)\s+(?=[^\W\d_])")
LIST_MARKER_RE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ][.)]|[-+•*–—~])\s+")
FOOTNOTE_RE = re.compile(rf"^[{SUPERSCRIPTS}]+")
_END_RE = re.compile(r"(?:[.!?…]+|;)[\"'”’)\]*]*(?=\s)")
HEADING_MAX_CHARS = 100


@dataclass(frozen=True)
class Sentence:
    """A sentence of the document: ``text == doc_text[start:end]``; ``folded`` is its folded twin
    (same offsets, OCR letters inside numbers read as digits)."""

    start: int
    end: int
    text: str
    folded: str
    marker: str = ""  # list marker of the paragraph the sentence belongs to ("-", "+", "1.", "a)", "")
    block: int = 0  # index of that paragraph


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
        if start is not None and (previous_heading or _starts_block(line)):
            blocks.append((start, line_start))
            start = None
        if start is None:
            start = line_start
        previous_heading = is_heading_line(line)
    if start is not None:
        blocks.append((start, len(text)))
    return blocks


def _is_boundary(text: str, start: int, end: int, depth: int) -> bool:
    """Whether the punctuation ending at ``end`` closes the sentence begun at ``start``."""
    mark = text[end - 1]
    head = text[start:end].lstrip() + " "
    if LIST_MARKER_RE.fullmatch(head) or ROMAN_MARKER_RE.fullmatch(head):
        return False
    if mark == ";" or (mark in ")]\"'”’*" and ";" in text[max(0, end - 4) : end]):
        return depth == 0
    word = re.search(r"([\w.]+?)\.+[\"'”’)\]*]*$", text[:end])
    if word and (word.group(1).lower() in ABBREVIATIONS or re.fullmatch(r"[A-ZĐ]", word.group(1))):
        return False
    following = text[end:].lstrip()
    return not following or not following[0].islower()


def split_block(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside one block."""
    spans: list[tuple[int, int]] = []
    depth, cursor, scanned = 0, start, start
    block = text[:end]
    for match in _END_RE.finditer(block, start):
        depth = max(0, depth + block.count("(", scanned, match.start()) - block.count(")", scanned, match.start()))
        scanned = match.start()
        if _is_boundary(block, cursor, match.end(), depth):
            spans.append((cursor, match.end()))
            cursor = match.end()
            depth = 0
    spans.append((cursor, end))
    return spans


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` in order, whitespace-trimmed, with their folded twins."""
    folded = repair_digit_noise(fold(text))
    sentences = []
    for block, (block_start, block_end) in enumerate(split_blocks(text)):
        marker = LIST_MARKER_RE.match(text[block_start:block_end].lstrip())
        for start, end in split_block(text, block_start, block_end):
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                sentences.append(
                    Sentence(
                        start, end, text[start:end], folded[start:end], marker.group().strip() if marker else "", block
                    )
                )
    return sentences
