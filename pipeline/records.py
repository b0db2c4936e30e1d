"""Typed records passed between the pipeline's stages.

Every record is frozen; stages build new ones instead of mutating. Text in every
record is Unicode NFC.
"""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

FileType = Literal["pdf", "image", "text"]
SourceKind = Literal["pdf-text", "pdf-scan", "image", "text"]
PageStatus = Literal["ok", "empty", "ocr_failed", "unsupported"]

PAGE_SEPARATOR = "\f"


@dataclass(frozen=True)
class SourceFile:
    """One input file found under the raw folder."""

    path: Path  # absolute path of the file
    rel_path: str  # POSIX path relative to the raw folder
    doc_id: str  # stable identifier derived from rel_path
    sha256: str
    size: int
    file_type: FileType


@dataclass(frozen=True)
class PageRecord:
    """One page of a document as the ingest/OCR stage read it."""

    doc_id: str
    page_no: int | None  # 1-based; None for a text input without page breaks
    text: str
    source_kind: SourceKind
    status: PageStatus = "ok"
    confidence: float | None = None  # OCR mean word confidence, 0-1; None when not OCR'd
    reason: str = ""  # why the page is not "ok"
    unsure_words: tuple[str, ...] = ()  # words OCR read with low confidence: the only ones post-correction may change


@dataclass(frozen=True)
class RawDocument:
    """A document's pages before restoration."""

    source: SourceFile
    pages: tuple[PageRecord, ...]
    encoding: str = ""  # detected encoding of a text input ("" for PDFs and images)
    ocr_engine: str = ""  # e.g. "tesseract 5.3.0 vie", "pdfplumber", "input-text"

    def to_json(self) -> dict[str, Any]:
        """Plain data for the stage cache (paths as strings)."""
        data = asdict(self)
        data["source"]["path"] = str(self.source.path)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RawDocument:
        source = SourceFile(**{**data["source"], "path": Path(data["source"]["path"])})
        pages = tuple(PageRecord(**{**page, "unsure_words": tuple(page["unsure_words"])}) for page in data["pages"])
        return cls(source=source, pages=pages, encoding=data["encoding"], ocr_engine=data["ocr_engine"])

    @property
    def text(self) -> str:
        """The pages' text joined by form feeds (empty text for failed pages)."""
        return PAGE_SEPARATOR.join(page.text for page in self.pages)

    @property
    def source_kind(self) -> SourceKind:
        """The document's kind: its pages' kind, `pdf-scan` when a PDF mixes both."""
        kinds = {p.source_kind for p in self.pages}
        if len(kinds) == 1:
            return kinds.pop()
        if kinds <= {"pdf-text", "pdf-scan"} and kinds:
            return "pdf-scan"
        return "text"


@dataclass(frozen=True)
class TokenAlignment:
    """One restored token: where it sits in the restored and in the raw text."""

    out_start: int
    out_end: int
    raw_start: int
    raw_end: int
    confidence: float
    changed: bool
    alternatives: tuple[str, ...] = ()  # other readings the restorer weighed, likeliest first


@dataclass(frozen=True)
class DocumentText:
    """A document's raw (OCR) and restored text, aligned token by token.

    Pages are joined with a form feed in both texts. ``page_starts`` holds the
    offset in ``text`` where each page begins (empty when the input had no pages).
    """

    doc_id: str
    text: str
    raw_text: str
    alignment: tuple[TokenAlignment, ...]
    page_starts: tuple[int, ...] = ()
    _out_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_out_starts", tuple(a.out_start for a in self.alignment))

    def to_json(self) -> dict[str, Any]:
        """Plain data for the stage cache; the alignment as compact rows."""
        return {
            "doc_id": self.doc_id,
            "text": self.text,
            "raw_text": self.raw_text,
            "page_starts": list(self.page_starts),
            "alignment": [
                [
                    a.out_start,
                    a.out_end,
                    a.raw_start,
                    a.raw_end,
                    round(a.confidence, 4),
                    int(a.changed),
                    list(a.alternatives),
                ]
                for a in self.alignment
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DocumentText:
        alignment = tuple(
            TokenAlignment(out_start, out_end, raw_start, raw_end, confidence, bool(changed), tuple(alternatives))
            for out_start, out_end, raw_start, raw_end, confidence, changed, alternatives in data["alignment"]
        )
        return cls(
            doc_id=data["doc_id"],
            text=data["text"],
            raw_text=data["raw_text"],
            alignment=alignment,
            page_starts=tuple(data["page_starts"]),
        )

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding ``offset`` of the restored text, or None."""
        if not self.page_starts:
            return None
        return bisect.bisect_right(self.page_starts, offset)

    def _tokens_in(self, start: int, end: int) -> tuple[TokenAlignment, ...]:
        lo = bisect.bisect_left(self._out_starts, start)
        if lo > 0 and self.alignment[lo - 1].out_end > start:
            lo -= 1
        hi = bisect.bisect_left(self._out_starts, end)
        return self.alignment[lo:hi]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the restored text to the same span of the raw text."""
        tokens = self._tokens_in(start, end)
        if not tokens:
            return self._raw_offset(start), self._raw_offset(end)
        first, last = tokens[0], tokens[-1]
        raw_start = first.raw_start + max(0, min(start - first.out_start, first.raw_end - first.raw_start))
        raw_end = last.raw_end - max(0, min(last.out_end - end, last.raw_end - last.raw_start))
        return raw_start, max(raw_start, raw_end)

    def _raw_offset(self, offset: int) -> int:
        """Offset in the raw text of an offset that falls between tokens."""
        i = bisect.bisect_right(self._out_starts, offset) - 1
        if i < 0:
            return offset
        tok = self.alignment[i]
        return tok.raw_end + (offset - tok.out_end)

    def confidence(self, start: int, end: int) -> float:
        """Mean restoration confidence of the tokens in a span (1.0 when none)."""
        tokens = self._tokens_in(start, end)
        if not tokens:
            return 1.0
        return sum(t.confidence for t in tokens) / len(tokens)


@dataclass(frozen=True)
class Provenance:
    """Where a fact came from: the sentence in the restored text and its raw twin."""

    doc_id: str
    page: int | None
    char_start: int
    char_end: int
    text: str
    raw_text: str
    confidence: float
