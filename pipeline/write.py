"""Write stage: every document's results → the published tables and texts (SPEC.md), atomically."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractors.facts import TABLE_COLUMNS
from pipeline import __version__
from pipeline.datapackage import PROVENANCE_FIELDS, render_datapackage
from pipeline.errors import InputError
from pipeline.extract import FACT_TABLES
from pipeline.records import DocumentText, RawDocument
from pipeline.storage import write_atomic, write_text_atomic

DOCUMENT_COLUMNS = (
    "doc_id", "source_path", "sha256", "source_kind", "pages", "province", "district", "doc_number", "issue_date",
    "period_start", "period_end", "title", "ocr_engine", "tokens", "tokens_restored", "mean_confidence",
    "pipeline_version",
)  # fmt: skip
ERROR_COLUMNS = ("source_path", "stage", "reason")
REVIEW_COLUMNS = (
    "doc_id", "page", "subject", "item", "alternatives", "confidence", "char_start", "char_end", "context",
    "raw_context",
)  # fmt: skip
CORRECTION_COLUMNS = ("source", "line", "doc_id", "page", "subject", "char_start", "char_end", "change", "outcome")
REVIEW_LIMIT_PER_DOC = 50
CONTEXT_CHARS = 40


@dataclass(frozen=True)
class DocumentResult:
    """Everything the writer needs of one processed document."""

    raw: RawDocument
    text: DocumentText
    facts: Mapping[str, Any]


def write_outputs(
    out_dir: Path,
    results: Sequence[DocumentResult],
    errors: Sequence[InputError],
    corrections: Sequence[Mapping[str, Any]] = (),
) -> list[Path]:
    """Write texts and tables for ``results`` (and the reviewers' ``corrections`` applied); return changed files."""
    results = sorted(results, key=lambda r: r.raw.source.doc_id)
    changed = _write_texts(out_dir / "text", results)
    tables: dict[str, tuple[Sequence[str], list[Mapping[str, Any]]]] = {
        "documents": (DOCUMENT_COLUMNS, [document_row(r) for r in results]),
        "errors": (ERROR_COLUMNS, error_rows(results, errors)),
        "checks": (TABLE_COLUMNS["checks"], [row for r in results for row in r.facts["checks"]]),
        "review": (REVIEW_COLUMNS, [row for r in results for row in review_rows(r)]),
        "corrections_applied": (CORRECTION_COLUMNS, list(corrections)),
    }
    for table in FACT_TABLES:
        tables[table] = (TABLE_COLUMNS[table], [row for r in results for row in r.facts[table]])
    for name, (columns, rows) in tables.items():
        path = out_dir / f"{name}.csv"
        if write_atomic(path, render_csv(columns, rows)):
            changed.append(path)
    package = render_datapackage({name: columns for name, (columns, _) in tables.items()})
    if write_atomic(out_dir / "datapackage.json", package):
        changed.append(out_dir / "datapackage.json")
    return changed


def _write_texts(text_dir: Path, results: Sequence[DocumentResult]) -> list[Path]:
    """Write ``<doc_id>.ocr.txt`` and ``<doc_id>.txt``; remove texts of documents no longer present."""
    changed: list[Path] = []
    wanted: set[Path] = set()
    for result in results:
        doc_id = result.raw.source.doc_id
        outputs = {text_dir / f"{doc_id}.ocr.txt": result.text.raw_text, text_dir / f"{doc_id}.txt": result.text.text}
        for path, text in outputs.items():
            wanted.add(path)
            if write_text_atomic(path, text):
                changed.append(path)
    if text_dir.is_dir():
        for stale in sorted(set(text_dir.glob("*.txt")) - wanted):
            stale.unlink()
            changed.append(stale)
    return changed


def render_csv(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> bytes:
    """UTF-8 CSV bytes with a header row and a fixed column order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(format_value(row.get(column)) for column in columns)
    return buffer.getvalue().encode("utf-8")


def format_value(value: object) -> str:
    """One CSV cell: empty for None, integers as digits, floats rounded to 4 places."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value == value else ""
    return str(value)


def document_row(result: DocumentResult) -> dict[str, Any]:
    """The documents.csv row of one document."""
    raw, text, meta = result.raw, result.text, result.facts["meta"]
    confidences = [a.confidence for a in text.alignment]
    return {
        **meta,
        "doc_id": raw.source.doc_id,
        "source_path": raw.source.rel_path,
        "sha256": raw.source.sha256,
        "source_kind": raw.source_kind,
        "pages": len(raw.pages),
        "ocr_engine": raw.ocr_engine,
        "tokens": len(text.alignment),
        "tokens_restored": sum(a.changed for a in text.alignment),
        "mean_confidence": round(sum(confidences) / len(confidences), 4) if confidences else None,
        "pipeline_version": __version__,
    }


def error_rows(results: Sequence[DocumentResult], errors: Sequence[InputError]) -> list[dict[str, Any]]:
    """One row per quarantined file and per page that could not be processed."""
    rows = [{"source_path": e.rel_path, "stage": e.stage, "reason": e.reason} for e in errors]
    for result in results:
        for page in result.raw.pages:
            if page.status in ("ocr_failed", "unsupported"):
                where = f"page {page.page_no}: " if page.page_no is not None else ""
                rows.append({"source_path": result.raw.source.rel_path, "stage": "ocr", "reason": where + page.reason})
    return sorted(rows, key=lambda row: (row["source_path"], row["stage"], row["reason"]))


def review_rows(result: DocumentResult) -> list[dict[str, Any]]:
    """The least certain restorations and facts of one document, for a person to check: the restorer's changes, and
    the words it kept as written though a runner-up had a fair share (Tay, with Tây beside it)."""
    text = result.text
    rows: list[dict[str, Any]] = []
    for token in text.alignment:
        if token.changed or token.alternatives:
            raw_word = text.raw_text[token.raw_start : token.raw_end]
            new_word = text.text[token.out_start : token.out_end]
            row = _review_row(text, "restoration", f"{raw_word} → {new_word}", token.confidence,
                              token.out_start, token.out_end)  # fmt: skip
            rows.append({**row, "alternatives": " | ".join(token.alternatives)})
    for table in FACT_TABLES:
        fact_columns = [c for c in TABLE_COLUMNS[table] if c not in PROVENANCE_FIELDS]
        for fact in result.facts[table]:
            item = ", ".join(f"{k}={fact[k]}" for k in fact_columns if fact.get(k) not in (None, ""))
            rows.append(_review_row(text, table, item, fact["confidence"], fact["char_start"], fact["char_end"]))
    rows.sort(key=lambda row: (row["confidence"], row["char_start"], row["subject"]))
    return rows[:REVIEW_LIMIT_PER_DOC]


def _review_row(text: DocumentText, subject: str, item: str, confidence: float, start: int, end: int) -> dict[str, Any]:
    context = text.text[max(0, start - CONTEXT_CHARS) : end + CONTEXT_CHARS]
    raw_start, raw_end = text.raw_span(start, end)
    raw_context = text.raw_text[max(0, raw_start - CONTEXT_CHARS) : raw_end + CONTEXT_CHARS]
    return {
        "doc_id": text.doc_id,
        "page": text.page_at(start),
        "subject": subject,
        "item": item,
        "confidence": round(confidence, 4),
        "char_start": start,
        "char_end": end,
        "context": " ".join(context.split()),
        "raw_context": " ".join(raw_context.split()),  # as read: what a user lexicon entry is written from
    }
