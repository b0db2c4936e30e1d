"""Split restored (possibly line-wrapped OCR) text into sentences with spaCy, offsets into the text kept.

A blank Vietnamese pipeline (whitespace tokens, no pyvi) runs one registered component,
``ocop_sentence_boundaries``, that sets every token's ``is_sent_start``: a paragraph (``lines.split_blocks``:
blank lines, form feeds, list markers, headings, footnotes, the end of a table) starts a sentence; inside one, a
token ending in ". ! ? …" or in ";" outside parentheses ends it, unless the sentence so far is only a list marker
("1.", "a)"), the word is an abbreviation ("Tp.", "TT.", "ThS.") or an initial, or the next word is lower case.
Numbers ("38,614", "6.400.000") never end a sentence since their dots are inside the token.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Token

from extractors.folding import fold
from extractors.lines import LIST_MARKER_RE, ROMAN_MARKER_RE, split_blocks
from extractors.numbers import repair_digit_noise

ABBREVIATIONS = frozenset(
    {"tp", "tt", "ts", "ths", "pgs", "gs", "ks", "bs", "th", "tx", "p", "q", "no", "v.v", "vv", "tr", "ch", "đc", "sđt"}
)
SEGMENTER = "ocop_sentence_boundaries"
MAX_SENTENCE_CHARS = 2000  # a longer "sentence" (a table, a rule of dashes) is cut so that rows stay readable
MAX_DOCUMENT_CHARS = 50_000_000
_END_RE = re.compile(r"(?:[.!?…]+|;)[\"'”’)\]*]*$")
_WORD_BEFORE_DOTS_RE = re.compile(r"([\w.]+?)\.+[\"'”’)\]*]*$")
_NEXT_CHAR_RE = re.compile(r"\s*(\S)")
BLOCKS = "blocks"  # key of the paragraph spans in ``Doc.user_data``


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


def ends_sentence(token: Token, text: str, sentence_start: int, depth: int) -> bool:
    """Whether ``token`` of ``text`` closes the sentence begun at ``sentence_start`` (``depth``: open parentheses)."""
    end = _END_RE.search(token.text)
    if not end:
        return False
    head = text[sentence_start : token.idx + len(token)] + " "
    if LIST_MARKER_RE.fullmatch(head) or ROMAN_MARKER_RE.fullmatch(head):
        return False
    if ";" in end.group():
        core = token.text[: end.start()]
        return depth + core.count("(") - core.count(")") <= 0
    word = _WORD_BEFORE_DOTS_RE.search(token.text)
    if word and (word.group(1).lower() in ABBREVIATIONS or re.fullmatch(r"[A-ZĐ]", word.group(1))):
        return False
    following = _NEXT_CHAR_RE.match(text, token.idx + len(token))
    return not (following and following.group(1).islower())


@Language.component(SEGMENTER)
def mark_sentence_starts(doc: Doc, breaks: frozenset[int] = frozenset()) -> Doc:
    """Set ``is_sent_start`` on every token from the paragraph layout (kept in ``doc.user_data["blocks"]``; a
    paragraph also starts at each line starting at one of the ``breaks``) and the punctuation rules."""
    text = doc.text
    doc.user_data[BLOCKS] = split_blocks(text, breaks)
    block_starts = [start for start, _ in doc.user_data[BLOCKS]]
    starts = [-1] * len(doc)  # SENT_START: 1 starts a sentence, -1 does not
    next_block, depth, sentence_start, pending = 0, 0, 0, True
    for token in doc:
        if token.is_space:
            continue
        while next_block < len(block_starts) and block_starts[next_block] <= token.idx:
            next_block += 1
            pending = True
        if pending:
            starts[token.i], sentence_start, depth, pending = 1, token.idx, 0, False
        pending = ends_sentence(token, text, sentence_start, depth)
        depth = max(0, depth + token.text.count("(") - token.text.count(")"))
    if starts:
        starts[0] = 1
        doc.from_array([SENT_START], numpy.array(starts, dtype="int64").astype("uint64").reshape(-1, 1))
    return doc


@cache
def load_segmenter() -> Language:
    """The blank Vietnamese pipeline with the sentence boundary component (built once)."""
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.add_pipe(SEGMENTER)
    nlp.max_length = MAX_DOCUMENT_CHARS  # no parser or tagger here: memory grows only with the tokens
    return nlp


def bound_span(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span cut into pieces of at most MAX_SENTENCE_CHARS: at line breaks, else at spaces, else anywhere."""
    pieces = []
    while end - start > MAX_SENTENCE_CHARS:
        window = text[start : start + MAX_SENTENCE_CHARS]
        cut = window.rfind("\n") + 1 or window.rfind(" ") + 1 or MAX_SENTENCE_CHARS
        pieces.append((start, start + cut))
        start += cut
    pieces.append((start, end))
    return pieces


def split_sentences(text: str, breaks: frozenset[int] = frozenset()) -> list[Sentence]:
    """The sentences of ``text`` in order, whitespace-trimmed, with their folded twins; a paragraph starts at each
    line starting at one of the ``breaks``."""
    folded = repair_digit_noise(fold(text))
    doc = load_segmenter()(text, component_cfg={SEGMENTER: {"breaks": breaks}})
    blocks = doc.user_data[BLOCKS]
    block_starts = [start for start, _ in blocks]
    sentences = []
    spans = ((span.start_char, span.end_char) for span in (doc.sents if len(doc) else ()))
    for start, end in (piece for span in spans for piece in bound_span(text, *span)):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        block = max(0, bisect.bisect_right(block_starts, start) - 1)
        marker = LIST_MARKER_RE.match(text[blocks[block][0] : blocks[block][1]].lstrip()) if blocks else None
        sentences.append(
            Sentence(start, end, text[start:end], folded[start:end], marker.group().strip() if marker else "", block)
        )
    return sentences
