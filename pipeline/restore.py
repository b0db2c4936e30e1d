"""Restore stage: a document's raw pages → `DocumentText` (restored text aligned with the raw text)."""

from __future__ import annotations

from diacritics import Restorer
from pipeline.records import PAGE_SEPARATOR, DocumentText, RawDocument, TokenAlignment


def restore_document(raw: RawDocument, restorer: Restorer) -> DocumentText:
    """Restore every page and join them with form feeds, keeping a token alignment.

    A token's confidence is the restorer's confidence times its page's OCR
    confidence (1 for pages that were not OCR'd).
    """
    out_parts: list[str] = []
    raw_parts: list[str] = []
    alignment: list[TokenAlignment] = []
    page_starts: list[int] = []
    out_offset = raw_offset = 0
    for i, page in enumerate(raw.pages):
        if i:
            out_offset += len(PAGE_SEPARATOR)
            raw_offset += len(PAGE_SEPARATOR)
        restoration = restorer.restore(page.text)
        page_conf = page.confidence if page.confidence is not None else 1.0
        page_starts.append(out_offset)
        alignment.extend(
            TokenAlignment(
                out_start=out_offset + tok.out_start,
                out_end=out_offset + tok.out_end,
                raw_start=raw_offset + tok.start,
                raw_end=raw_offset + tok.end,
                confidence=tok.confidence * page_conf,
                changed=tok.changed,
            )
            for tok in restoration.tokens
        )
        out_parts.append(restoration.text)
        raw_parts.append(page.text)
        out_offset += len(restoration.text)
        raw_offset += len(page.text)
    paged = any(page.page_no is not None for page in raw.pages)
    return DocumentText(
        doc_id=raw.source.doc_id,
        text=PAGE_SEPARATOR.join(out_parts),
        raw_text=PAGE_SEPARATOR.join(raw_parts),
        alignment=tuple(alignment),
        page_starts=tuple(page_starts) if paged else (),
    )
