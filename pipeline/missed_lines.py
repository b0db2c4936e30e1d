"""Lines Tesseract left out: a short line alone (a paragraph's last word, "có") that its layout analysis took for
noise. Ink of text size that no word box covers is gathered into lines, and each is read alone (`--psm 7`).

A page with many such lines is noisy (seal strokes, smudges), not missing text: it is left as it is. Words read
in a gathered line count only when Tesseract is sure of them and they hold a letter or digit. A recovered line
joins the paragraph of the line just above it, when that line is close.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from statistics import median

import cv2
import numpy as np

from pipeline._exec.tesseract import OcrWord
from pipeline.layout import sure_word_heights

LineReader = Callable[[np.ndarray], tuple[OcrWord, ...]]  # the words in a crop holding one line, boxed in the crop

MIN_WORDS = 20  # a page with fewer sure words gives no reliable text size
COVER_PAD = 0.3  # word boxes cover ink this many ems around them (marks, broken strokes)
MIN_INK = 0.01  # a blob smaller than this many square ems is a speck
JOIN = (0.2, 0.6)  # blobs this many ems apart (vertically, horizontally) belong to one line
MIN_HEIGHT, MAX_HEIGHT = 0.6, 1.6  # a gathered line is this many ems tall (the em: median height of sure words)
MIN_WIDTH = 0.5
MAX_LINES = 8  # a page with more uncovered lines is noisy: nothing is recovered
MIN_CONFIDENCE = 0.8
NEAR_LINE = 1.6  # a recovered line within this many ems below a line joins that line's paragraph
RECOVERED = 10_000  # line numbers of recovered lines start here, so they never merge with Tesseract's


def read_missed_lines(words: tuple[OcrWord, ...], grey: np.ndarray, read_line: LineReader) -> tuple[OcrWord, ...]:
    """The page's words with those of the lines Tesseract left out (see the module docstring)."""
    heights = sure_word_heights(words)
    if len(heights) < MIN_WORDS:
        return words
    em = median(heights)
    boxes = uncovered_lines(words, grey, em)
    if len(boxes) > MAX_LINES:
        return words
    found: list[OcrWord] = []
    margin = round(COVER_PAD * em)
    for k, (x, y, width, height) in enumerate(boxes):
        left, top = max(x - margin, 0), max(y - margin, 0)
        read = [w for w in read_line(grey[top : y + height + margin, left : x + width + margin])
                if w.confidence >= MIN_CONFIDENCE and any(c.isalnum() for c in w.text)]  # fmt: skip
        line = line_key(words, (x, y, width, height), em, k)
        found += [replace(w, bbox=(w.bbox[0] + left, w.bbox[1] + top, *w.bbox[2:]), line=line) for w in read]
    return words + tuple(found)


def uncovered_lines(words: tuple[OcrWord, ...], grey: np.ndarray, em: float) -> list[tuple[int, int, int, int]]:
    """Boxes (left, top, width, height) of text-sized runs of ink that no word box covers, top to bottom."""
    _, ink = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    covered = np.zeros_like(ink)
    pad = round(COVER_PAD * em)
    for w in words:
        x, y, width, height = w.bbox
        covered[max(y - pad, 0) : y + height + pad, max(x - pad, 0) : x + width + pad] = 1
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    free = stats[:, cv2.CC_STAT_AREA] >= MIN_INK * em * em
    free[np.unique(labels[(covered > 0) & (ink > 0)])] = False
    free[0] = False
    if not free.any():
        return []
    rows, cols = (max(1, round(share * em)) | 1 for share in JOIN)
    joined = cv2.dilate(free[labels].astype(np.uint8), np.ones((rows, cols), np.uint8))
    _, _, runs, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    boxes = []
    for x, y, width, height, _ in runs[1:]:
        box = (int(x) + cols // 2, int(y) + rows // 2, int(width) - 2 * (cols // 2), int(height) - 2 * (rows // 2))
        if MIN_HEIGHT * em <= box[3] <= MAX_HEIGHT * em and box[2] >= MIN_WIDTH * em:
            boxes.append(box)
    return sorted(boxes, key=lambda b: b[1])


def line_key(words: tuple[OcrWord, ...], box: tuple[int, int, int, int], em: float, k: int) -> tuple[int, int, int]:
    """The (block, paragraph, line) of a recovered line: a new line of the paragraph just above it when that is
    close, else a paragraph of its own."""
    above = [w for w in words if w.bbox[1] + w.bbox[3] <= box[1] + box[3] / 2]
    if above:
        nearest = max(above, key=lambda w: w.bbox[1] + w.bbox[3])
        if box[1] - (nearest.bbox[1] + nearest.bbox[3]) <= NEAR_LINE * em:
            return (nearest.line[0], nearest.line[1], RECOVERED + k)
    return (RECOVERED + k, 0, 0)
