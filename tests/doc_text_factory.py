"""Build a `DocumentText` by hand: identity alignment, one token per whitespace-separated word."""

from __future__ import annotations

import re

from pipeline.records import PAGE_SEPARATOR, DocumentText, TokenAlignment


def make_doc_text(text: str, doc_id: str = "doc", raw_text: str | None = None) -> DocumentText:
    """A document whose restored text is ``text`` and whose raw text is ``raw_text`` (same token spans)."""
    raw = text if raw_text is None else raw_text
    if len(raw) != len(text):
        raise ValueError("raw_text must have the same length as text")
    alignment = tuple(
        TokenAlignment(m.start(), m.end(), m.start(), m.end(), 1.0, raw[m.start() : m.end()] != m.group())
        for m in re.finditer(r"\S+", text)
    )
    page_starts = (0, *(m.end() for m in re.finditer(PAGE_SEPARATOR, text))) if PAGE_SEPARATOR in text else ()
    return DocumentText(doc_id=doc_id, text=text, raw_text=raw, alignment=alignment, page_starts=page_starts)
