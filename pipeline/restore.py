"""Restore stage: a document's raw pages → `DocumentText` (restored text aligned with the raw text)."""

from __future__ import annotations

import string
from itertools import groupby

from diacritics import Restoration, RestoredToken, Restorer
from pipeline.config import DEFAULT_MAX_RESTORE_CHARS
from pipeline.ocr import read_by_vie
from pipeline.records import PAGE_SEPARATOR, DocumentText, PageRecord, RawDocument, TokenAlignment

OCR_KINDS = frozenset({"pdf-scan", "image"})  # pages this pipeline OCR'd (with word confidences)
PUNCTUATION = string.punctuation + "“”‘’–—…«»"


def restore_document(raw: RawDocument, restorer: Restorer, max_chars: int = DEFAULT_MAX_RESTORE_CHARS) -> DocumentText:
    """Restore every page and join them with form feeds, keeping a token alignment.

    Consecutive pages of one kind (OCR'd by this pipeline or not) are restored as one text, their form feeds read as
    sentence breaks, so that what the restorer learns from the whole document (the forms it uses, the names it spells
    out for its acronyms) reaches every page. A token's confidence is the restorer's confidence times its page's OCR
    confidence (1 for pages that were not OCR'd). On pages this pipeline OCR'd, the restorer post-corrects only the
    words Tesseract was unsure of, and looks for the tone slips of Tesseract's Vietnamese model if that read them.
    Texts longer than `max_chars` are restored in chunks, which bounds the restorer's memory.
    """
    out_parts: list[str] = []
    raw_parts: list[str] = []
    alignment: list[TokenAlignment] = []
    page_starts: list[int] = []
    out_offset = raw_offset = 0
    for i, (page, restoration) in enumerate(zip(raw.pages, restore_pages(raw, restorer, max_chars), strict=True)):
        if i:
            out_offset += len(PAGE_SEPARATOR)
            raw_offset += len(PAGE_SEPARATOR)
        if is_ocr(page):
            restoration = keep_unsure_changes(page.text, restoration, frozenset(map(bare_word, page.unsure_words)))
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
                alternatives=tok.alternatives,
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


def restore_pages(raw: RawDocument, restorer: Restorer, max_chars: int) -> list[Restoration]:
    """Each page's restoration, runs of pages of one kind restored together (see `restore_document`)."""
    vie = read_by_vie(raw.ocr_engine)
    restorations: list[Restoration] = []
    for ocr, run in groupby(raw.pages, key=is_ocr):
        texts = [page.text for page in run]
        spans, start = [], 0
        for text in texts:
            spans.append((start, start + len(text)))
            start += len(text) + len(PAGE_SEPARATOR)
        restored = restorer.restore(PAGE_SEPARATOR.join(texts), max_chars, vie_ocr=ocr and vie)
        restorations += restored.cut(spans)
    return restorations


def is_ocr(page: PageRecord) -> bool:
    """Whether this pipeline OCR'd the page (its words then carry Tesseract's confidences)."""
    return page.source_kind in OCR_KINDS


def bare_word(word: str) -> str:
    """A word without the punctuation around it, as OCR and the restorer may cut it differently."""
    return word.strip(PUNCTUATION)


def keep_unsure_changes(text: str, restoration: Restoration, unsure: frozenset[str]) -> Restoration:
    """The restoration with only the changes to ``unsure`` words kept; the others read as OCR'd them.

    A reverted token keeps the restorer's choice as its first alternative, for review.
    """
    parts: list[str] = []
    tokens: list[RestoredToken] = []
    position = length = 0
    for tok in restoration.tokens:
        gap = text[position : tok.start]
        keep = not tok.changed or bare_word(tok.original) in unsure
        output = tok.output if keep else tok.original
        out_start = length + len(gap)
        parts += [gap, output]
        length = out_start + len(output)
        position = tok.end
        alternatives = tok.alternatives if keep else (tok.output, *tok.alternatives)
        tokens.append(tok._replace(output=output, out_start=out_start, out_end=length, changed=keep and tok.changed,
                                   alternatives=alternatives))  # fmt: skip
    parts.append(text[position:])
    return Restoration(text="".join(parts), tokens=tuple(tokens))
