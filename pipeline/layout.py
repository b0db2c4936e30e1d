"""Reading order of a page from Tesseract's word boxes: two-column bands, paragraphs, page numbers dropped.

Tesseract often reads a two-column header ("ỦY BAN NHÂN DÂN ... | CỘNG HÒA XÃ HỘI ...") across both columns,
line by line. `arrange_text` splits lines at wide gaps, reads each run of split lines column by column, and drops
page numbers printed in the top or bottom margin. `drop_running_headers` removes a line repeated at the top or
bottom of most pages of a document.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from itertools import pairwise
from statistics import median

from pipeline._exec.tesseract import OcrWord

DASHES = "-–—"
SPECK_DASH_EM = 0.15  # a lone dash narrower than this share of the text's em is a speck
EN_DASH_EM = 0.8  # a lone em dash narrower than this share of the em is an en dash...
HYPHEN_EM = 0.45  # ...and so is a lone hyphen wider than this (hyphens are about 0.3 em, en dashes 0.6)
COLUMN_GAP = 3.0  # a gap wider than this many line heights separates two columns
SURE_CONFIDENCE = 0.9  # words read with this confidence or more size the text's em
NOISE_CONFIDENCE = 0.5  # below this, a word of only punctuation or symbols is dropped
BAND_TOP_GAP = 1.5  # the line just above a band joins it when its widest gap is this many line heights...
FIRST_LINE_GAP = 0.3  # ...or, on the page's first line, a word space
COLUMN_SHARE = 0.6  # a column of a two-column band spans at most this share of the text width
MARGIN_SHARE = 0.1  # the top and bottom tenth of a page hold page numbers and running headers
RUNNING_SHARE = 0.5  # a margin line on at least half the pages (and three or more) is a running header
MIN_RUNNING_PAGES = 3
TABLE_MIN_CELLS = 3  # a printed row read as this many separate lines or more is a table row...
TABLE_MIN_ROWS = 2  # ...when at least this many such rows come together...
TABLE_ROW_GAP = 2  # ...with at most this many other rows (wrapped cells) between two of them
_PAGE_NUMBER_RE = re.compile(r"[-–—.\s]*(?:trang\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?[-–—.\s]*", re.IGNORECASE)
_DIGITS_RE = re.compile(r"\d+")


@dataclass(frozen=True)
class Segment:
    """A run of words on one printed line, with its box."""

    words: tuple[OcrWord, ...]
    left: int
    top: int
    right: int
    bottom: int
    paragraph: tuple[int, int]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def arrange_text(words: tuple[OcrWord, ...], page_height: int) -> str:
    """The page's text in reading order: lines joined by "\n", paragraphs and column bands by a blank line."""
    words = fix_dashes(tuple(w for w in words if not is_noise(w)))
    lines = read_lines(group_lines(words))
    lines = [line for line in lines if not is_page_number(line, page_height)]
    if not lines:
        return ""
    max_column = COLUMN_SHARE * (max(line[-1].right for line in lines) - min(line[0].left for line in lines))
    blocks: list[list[Segment]] = [[]]
    i = 0
    while i < len(lines):
        band_end = find_band_end(lines, i, max_column)
        if band_end > i:
            gap = column_gap(lines[i])
            left = [s for line in lines[i:band_end] for s in line if s.right <= gap]
            right = [s for line in lines[i:band_end] for s in line if s.left >= gap]
            above = cut_line(lines[i - 1], left, right, i == 1) if i else None
            if above and blocks[-1][-len(lines[i - 1]) :] == lines[i - 1]:
                del blocks[-1][-len(lines[i - 1]) :]
                left, right = [above[0], *left], [above[1], *right]
            blocks.extend([left, right, []])
            i = band_end
        else:
            blocks[-1].extend(lines[i])
            i += 1
    return join_blocks([block for block in blocks if block])


def is_noise(word: OcrWord) -> bool:
    """A doubtful mark with no letter or digit: a speck or a seal stroke that Tesseract read as punctuation."""
    return word.confidence < NOISE_CONFIDENCE and not any(c.isalnum() for c in word.text)


def sure_word_heights(words: tuple[OcrWord, ...]) -> list[int]:
    """Box heights of the words with a letter that Tesseract is sure of: their median is the text's em."""
    return [w.bbox[3] for w in words if w.confidence >= SURE_CONFIDENCE and any(c.isalpha() for c in w.text)]


def fix_dashes(words: tuple[OcrWord, ...]) -> tuple[OcrWord, ...]:
    """Lone dashes told apart by width against the em (the median height of confident words with letters).

    Tesseract reads an en dash (half an em wide) as an em dash or a hyphen, and a speck as a hyphen: a lone "—"
    narrower than EN_DASH_EM em or "-" wider than HYPHEN_EM em becomes "–", and a lone dash narrower than
    SPECK_DASH_EM em is dropped.
    """
    heights = sure_word_heights(words)
    if not heights:
        return words
    em = median(heights)
    out = []
    for word in words:
        if len(word.text) == 1 and word.text in DASHES:
            if word.bbox[2] < SPECK_DASH_EM * em:
                continue
            if (word.text == "—" and word.bbox[2] < EN_DASH_EM * em) or (
                word.text == "-" and word.bbox[2] > HYPHEN_EM * em
            ):
                word = replace(word, text="–")
        out.append(word)
    return tuple(out)


def group_lines(words: tuple[OcrWord, ...]) -> list[list[OcrWord]]:
    """Words grouped by Tesseract's (block, paragraph, line), lines ordered top to bottom, words left to right."""
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    ordered = [sorted(line, key=lambda w: w.bbox[0]) for line in lines.values()]
    return sorted(ordered, key=lambda line: min(w.bbox[1] for w in line))


def cluster_rows(lines: list[list[OcrWord]]) -> list[list[list[OcrWord]]]:
    """Tesseract lines (top to bottom) grouped into printed rows: a line joins the row above when its middle lies
    within the row's height and it overlaps no line of the row across (Tesseract may read each cell of a ruled
    table as a block of its own)."""
    rows: list[list[list[OcrWord]]] = []
    for line in lines:
        top, bottom = min(w.bbox[1] for w in line), max(w.bbox[1] + w.bbox[3] for w in line)
        left, right = line[0].bbox[0], line[-1].bbox[0] + line[-1].bbox[2]
        if rows:
            row = rows[-1]
            row_top = min(w.bbox[1] for cell in row for w in cell)
            row_bottom = max(w.bbox[1] + w.bbox[3] for cell in row for w in cell)
            apart = all(left >= c[-1].bbox[0] + c[-1].bbox[2] or right <= c[0].bbox[0] for c in row)
            if row_top <= (top + bottom) / 2 <= row_bottom and apart:
                row.append(line)
                continue
        rows.append([line])
    return rows


def read_lines(lines: list[list[OcrWord]]) -> list[list[Segment]]:
    """Tesseract's lines as printed lines cut into segments at wide gaps, table rows whole.

    A printed row of TABLE_MIN_CELLS segments or more is a table row when at least TABLE_MIN_ROWS of them come
    together (at most TABLE_ROW_GAP other rows, such as wrapped cells, between two): it becomes one segment with a
    "|" word between its cells, so that the row reads as a row and not column by column, and the lines of the
    table share one paragraph. Other lines are cut as before.
    """
    rows = cluster_rows(lines)
    pieces = [[split_line(line) for line in row] for row in rows]  # each Tesseract line cut at its wide gaps
    cells = [sorted((s for line in row for s in line), key=lambda s: s.left) for row in pieces]
    table_rows = [i for i, row in enumerate(cells) if len(row) >= TABLE_MIN_CELLS]
    runs = [run for run in split_runs(table_rows) if len(run) >= TABLE_MIN_ROWS]
    first_row = {i: run[0] for run in runs for i in range(run[0], run[-1] + 1)}  # wrapped cells between rows too
    out: list[list[Segment]] = []
    for i, row in enumerate(rows):
        if i not in first_row:
            out += pieces[i]
            continue
        key = rows[first_row[i]][0][0].line[:2]  # the paragraph of the table's first row
        if len(cells[i]) >= TABLE_MIN_CELLS:
            out.append([join_cells(cells[i], key)])
        else:
            out += [[make_segment([replace(w, line=(*key, 0)) for w in line])] for line in row]
    return out


def split_runs(marked: list[int]) -> list[list[int]]:
    """Indices of table rows grouped into runs: rows at most TABLE_ROW_GAP other rows apart."""
    runs: list[list[int]] = []
    for i in marked:
        if runs and i - runs[-1][-1] <= TABLE_ROW_GAP + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def join_cells(cells: list[Segment], key: tuple[int, int]) -> Segment:
    """The cells of a table row as one segment of paragraph ``key``, a "|" word between two cells."""
    words: list[OcrWord] = []
    for cell in cells:
        if words:
            left = words[-1].bbox[0] + words[-1].bbox[2]
            words.append(OcrWord("|", 1.0, (left, cell.top, max(1, cell.left - left), cell.bottom - cell.top)))
        words += cell.words
    return make_segment([replace(w, line=(*key, 0)) for w in words])


def split_line(line: list[OcrWord]) -> list[Segment]:
    """Cut a line into segments wherever the gap between words exceeds COLUMN_GAP line heights."""
    height = median(w.bbox[3] for w in line)
    runs: list[list[OcrWord]] = [[line[0]]]
    for prev, word in pairwise(line):
        if word.bbox[0] - (prev.bbox[0] + prev.bbox[2]) > COLUMN_GAP * height:
            runs.append([])
        runs[-1].append(word)
    return [make_segment(run) for run in runs]


def make_segment(words: list[OcrWord]) -> Segment:
    """A segment and its bounding box."""
    return Segment(
        tuple(words),
        min(w.bbox[0] for w in words),
        min(w.bbox[1] for w in words),
        max(w.bbox[0] + w.bbox[2] for w in words),
        max(w.bbox[1] + w.bbox[3] for w in words),
        words[0].line[:2],
    )


def column_gap(line: list[Segment]) -> int:
    """The x position in the middle of a split line's widest gap."""
    gaps = [(b.left - a.right, (a.right + b.left) // 2) for a, b in pairwise(line)]
    return max(gaps)[1]


def cut_line(
    line: list[Segment], left: list[Segment], right: list[Segment], first: bool
) -> tuple[Segment, Segment] | None:
    """The line above a band cut in two when it reads as the band's first line, else None.

    Column headings can be longer and closer together than the band's lines: the line is cut at a gap between
    the band's columns of at least BAND_TOP_GAP line heights, or, on the page's first line (a national header in
    a large font), of at least a word space; of several such gaps, the one that centres each half best over its
    column. Words without a letter or digit (specks read as "....") neither bridge the gap nor join a heading.
    """
    words = sorted((w for s in line for w in s.words if any(c.isalnum() for c in w.text)), key=lambda w: w.bbox[0])
    if len(words) < 2:
        return None
    low, high = max(s.right for s in left), min(s.left for s in right)
    needed = (FIRST_LINE_GAP if first else BAND_TOP_GAP) * median(w.bbox[3] for w in words)
    ends = [(a.bbox[0] + a.bbox[2], b.bbox[0]) for a, b in pairwise(words)]
    cuts = [k for k, (end, start) in enumerate(ends, 1) if start - end >= needed and low <= (end + start) / 2 <= high]
    if not cuts:
        return None
    axes = median((s.left + s.right) / 2 for s in left), median((s.left + s.right) / 2 for s in right)

    def off_centre(k: int) -> float:
        halves = make_segment(words[:k]), make_segment(words[k:])
        return sum(abs((h.left + h.right) / 2 - axis) for h, axis in zip(halves, axes, strict=True))

    k = min(cuts, key=off_centre)
    return make_segment(words[:k]), make_segment(words[k:])


def find_band_end(lines: list[list[Segment]], start: int, max_column: float) -> int:
    """End of the run of lines from `start` that reads as two columns (`start` itself when there is none).

    Columns are narrower than `max_column` pixels: a body line with a hole (a seal, a blot) is not a band.
    """
    if len(lines[start]) < 2:
        return start
    gap = column_gap(lines[start])
    end = start
    while end < len(lines) and all((s.right <= gap or s.left >= gap) and s.right - s.left <= max_column
                                   for s in lines[end]):  # fmt: skip
        two_sided = lines[end][0].right <= gap <= lines[end][-1].left
        if not two_sided and not (end + 1 < len(lines) and len(lines[end + 1]) >= 2):
            break  # a one-sided line only continues the band when split lines follow
        end += 1
    return end


def is_page_number(line: list[Segment], page_height: int) -> bool:
    """Whether a line is only a page number ("3", "- 3 -", "Trang 3/12") in the top or bottom margin."""
    top, bottom = min(s.top for s in line), max(s.bottom for s in line)
    in_margin = bottom < page_height * MARGIN_SHARE or top > page_height * (1 - MARGIN_SHARE)
    text = " ".join(s.text for s in line)
    return in_margin and _PAGE_NUMBER_RE.fullmatch(text) is not None


def join_blocks(blocks: list[list[Segment]]) -> str:
    """Segments one per line; a blank line between blocks and where Tesseract's paragraph changes."""
    parts: list[str] = []
    previous: tuple[int, int] | None = None
    for block in blocks:
        for k, segment in enumerate(block):
            if parts and (k == 0 or segment.paragraph != previous):
                parts.append("")
            parts.append(segment.text)
            previous = segment.paragraph
    return "\n".join(parts)


def drop_running_headers(texts: list[str]) -> list[str]:
    """Remove the first or last line of pages when, digits aside, it recurs on most pages of the document."""
    if len(texts) < MIN_RUNNING_PAGES:
        return texts
    edges: Counter[str] = Counter()
    for text in texts:
        lines = [line for line in text.split("\n") if line.strip()]
        edges.update({_DIGITS_RE.sub("#", line.strip()) for line in lines[:1] + lines[-1:]})
    needed = max(MIN_RUNNING_PAGES, RUNNING_SHARE * len(texts))
    running = {line for line, n in edges.items() if n >= needed}
    if not running:
        return texts
    return [_drop_edge_lines(text, running) for text in texts]


def _drop_edge_lines(text: str, running: set[str]) -> str:
    """A page's text without its first and last non-blank lines when they are running headers or footers."""
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for i in filled[:1] + filled[-1:]:
        if _DIGITS_RE.sub("#", lines[i].strip()) in running:
            lines[i] = ""
    return "\n".join(lines).strip("\n")
