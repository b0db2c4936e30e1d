"""The orchestrator: discover → ingest/OCR → restore → extract → write. Reads like a table of contents."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from tqdm import tqdm

import diacritics
from diacritics import Restorer, model_fingerprint
from pipeline.config import Settings
from pipeline.errors import InputError, ModelError, PipelineError
from pipeline.extract import FACT_TABLES, extract_document
from pipeline.ingest import discover_inputs, read_document
from pipeline.ocr import OCR_CODE_FILES
from pipeline.overrides import apply_overrides, read_overrides, record_lexicon
from pipeline.pools import pool_of
from pipeline.records import DocumentText, RawDocument, SourceFile
from pipeline.restore import restore_document
from pipeline.storage import (
    StageCache,
    fingerprint,
    fingerprint_files,
    fingerprint_package,
    remove_stale_temporaries,
)
from pipeline.write import DocumentResult, write_outputs

log = logging.getLogger("pipeline")

PIPELINE_DIR = Path(__file__).resolve().parent
# text decoding scores syllable validity and settles invisible characters; ingest counts letter runs
DIACRITICS_CODE = tuple(PIPELINE_DIR.parent / "diacritics" / name for name in ("syllables.py", "tokens.py"))
MAX_REASON_CHARS = 160  # an error message longer than this is cut in errors.csv
INGEST_CODE = ("ingest.py", "textdecode.py", "legacy_encodings.py", "pdf.py", "pages.py", "records.py", "_exec",
               *OCR_CODE_FILES)  # fmt: skip


@dataclass
class RunSummary:
    """What a run did, for the closing report and the exit status."""

    documents: int = 0
    pages: int = 0
    reused: int = 0
    facts: dict[str, int] = field(default_factory=dict)
    errors: list[InputError] = field(default_factory=list)
    changed_files: int = 0
    seconds: float = 0.0
    corrections: list[dict[str, Any]] = field(default_factory=list)

    def render(self) -> str:
        facts = ", ".join(f"{n} {table}" for table, n in self.facts.items())
        lines = [
            f"documents: {self.documents} ({self.reused} unchanged, reused from cache), pages: {self.pages}",
            f"facts: {facts}",
            f"errors: {len(self.errors)} file(s) quarantined" + "".join(f"\n  - {e}" for e in self.errors),
            self._render_corrections(),
            f"output files changed: {self.changed_files}, time: {self.seconds:.1f} s",
        ]
        return "\n".join(lines)

    def _render_corrections(self) -> str:
        lexicon = [c["outcome"] for c in self.corrections if c["subject"] == "restoration"]
        invalid = sum(outcome.startswith("invalid") for outcome in lexicon)
        overrides = [c for c in self.corrections if c["subject"] != "restoration"]
        applied = sum(c["outcome"].startswith("applied") for c in overrides)
        return (
            f"corrections: {lexicon.count('applied')} word(s) or phrase(s) restored from the user lexicon"
            + (f" ({invalid} invalid line(s) skipped)" if invalid else "")
            + f", {applied} of {len(overrides)} fact override(s) applied (corrections_applied.csv)"
        )


def run(settings: Settings, workers: int = 1) -> RunSummary:
    """Run every stage on ``settings.raw_dir`` and write the tables to ``settings.out_dir``."""
    started = time.monotonic()
    for folder in (settings.out_dir, settings.interim_dir):
        for path in remove_stale_temporaries(folder):
            log.info("removed %s, left by an interrupted run", path)
    sources, errors = discover_inputs(settings.raw_dir)
    for error in errors:
        log.error("quarantined %s (%s)", error.rel_path, error.reason)
    summary = RunSummary(documents=len(sources))
    results: list[DocumentResult] = []
    for outcome in _process_all(sources, settings, workers, summary):
        if isinstance(outcome, InputError):
            log.error("quarantined %s (%s: %s)", outcome.rel_path, outcome.stage, outcome.reason)
            errors.append(outcome)
        else:
            results.append(outcome)
    overrides, invalid = read_overrides(settings.overrides_file)
    results, applied = apply_overrides(results, overrides, settings.overrides_file)
    summary.corrections = record_lexicon(results, settings.user_lexicon) + sorted(
        invalid + applied, key=lambda c: c["line"]
    )
    changed = write_outputs(settings.out_dir, results, errors, summary.corrections)
    summary.errors = sorted(errors, key=lambda e: e.rel_path)
    summary.pages = sum(len(r.raw.pages) for r in results)
    summary.facts = {table: sum(len(r.facts[table]) for r in results) for table in FACT_TABLES}
    summary.changed_files = len(changed)
    summary.seconds = time.monotonic() - started
    return summary


def _process_all(
    sources: list[SourceFile], settings: Settings, workers: int, summary: RunSummary
) -> Iterator[DocumentResult | InputError]:
    """Yield each document's result: from the cache when its inputs did not change, else computed."""
    keys = StageKeys.for_settings(settings)
    todo: list[SourceFile] = []
    for source in sources:
        cached = load_cached(source, settings, keys)
        if cached is None:
            todo.append(source)
        else:
            summary.reused += 1
            yield cached
    if not todo:
        return
    cores = workers or os.cpu_count() or 1
    workers = min(cores, len(todo))
    settings = replace(settings, ocr_workers=max(1, cores // workers))  # spare cores OCR a document's pages
    progress = tqdm(total=len(todo), desc="documents", unit="doc", disable=None)
    if workers == 1:
        for source in todo:
            progress.set_postfix_str(source.rel_path[-40:])
            yield process_document(source, settings, keys)
            progress.update()
    else:
        with pool_of(workers) as pool:
            for outcome in pool.map(process_document, todo, [settings] * len(todo), [keys] * len(todo)):
                progress.update()
                yield outcome
    progress.close()


@dataclass(frozen=True)
class StageKeys:
    """Versions of each stage's code and models; a cached result is reused only under the same ones."""

    ingest: str
    restore: str
    extract: str

    @classmethod
    def for_settings(cls, settings: Settings) -> StageKeys:
        user_lexicon = [p for p in [settings.user_lexicon] if p.exists()]
        ingest_files = [p for name in INGEST_CODE for p in _code_files(PIPELINE_DIR / name)] + [*DIACRITICS_CODE]
        ocr_settings = (settings.ocr_lang, settings.ocr_dpi, settings.max_pages, settings.max_image_pixels,
                        settings.min_text_layer_chars, settings.page_timeout_s,
                        settings.unsure_word_confidence)  # fmt: skip
        return cls(
            ingest=fingerprint(fingerprint_files(ingest_files), ocr_settings),
            restore=fingerprint(
                model_fingerprint(),
                fingerprint_package(PIPELINE_DIR.parent / "diacritics"),
                fingerprint_files([PIPELINE_DIR / "restore.py", *user_lexicon]),
                settings.max_restore_chars,
            ),
            extract=fingerprint_package(PIPELINE_DIR.parent / "extractors"),
        )


def _code_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(path.glob("*.py"))
    return [path] if path.exists() else []


def _doc_keys(source: SourceFile, keys: StageKeys) -> tuple[str, str, str]:
    ingest = fingerprint(source.sha256, source.rel_path, source.doc_id, keys.ingest)
    restore = fingerprint(ingest, keys.restore)
    return ingest, restore, fingerprint(restore, keys.extract)


def load_cached(source: SourceFile, settings: Settings, keys: StageKeys) -> DocumentResult | None:
    """The document's result if every stage's cache is current, else None.

    The small extract cache is read first, so a document whose extraction must be redone is not parsed twice.
    """
    ingest_key, restore_key, extract_key = _doc_keys(source, keys)
    facts = StageCache(settings.interim_dir, "extract").load(source.doc_id, extract_key)
    text = facts and StageCache(settings.interim_dir, "restore").load(source.doc_id, restore_key)
    raw = text and StageCache(settings.interim_dir, "ingest").load(source.doc_id, ingest_key)
    if not raw:
        return None
    return DocumentResult(RawDocument.from_json(raw), DocumentText.from_json(text), facts)


def process_document(source: SourceFile, settings: Settings, keys: StageKeys) -> DocumentResult | InputError:
    """Run the stages on one document, reusing each stage's cached result when it is current.

    A document that cannot be read, or that makes a stage fail, comes back as an InputError (it is quarantined
    and the other documents go on); a missing model or program still stops the run.
    """
    ingest_key, restore_key, extract_key = _doc_keys(source, keys)
    try:
        raw_data = run_stage(settings, "ingest", source, ingest_key, lambda: read_document(source, settings).to_json())
        raw = RawDocument.from_json(raw_data)
        text_data = run_stage(
            settings, "restore", source, restore_key, lambda: restore_raw(raw, settings, keys.restore).to_json()
        )
        text = DocumentText.from_json(text_data)
        facts = run_stage(settings, "extract", source, extract_key, lambda: extract_document(text))
    except InputError as error:
        return error
    return DocumentResult(raw, text, facts)


def run_stage(settings: Settings, stage: str, source: SourceFile, key: str, compute: Callable[[], Any]) -> Any:
    """One stage's result for a document: cached when current, else computed and cached.

    An unexpected exception becomes an InputError naming the stage, so one bad file never spoils a run.
    """
    stage_cache = StageCache(settings.interim_dir, stage)
    data = stage_cache.load(source.doc_id, key)
    if data is None:
        try:
            data = compute()
        except PipelineError:
            raise
        except Exception as exc:  # any failure on one document quarantines that document only
            raise InputError(source.rel_path, stage, describe_failure(exc)) from exc
        stage_cache.save(source.doc_id, key, data)
    return data


def describe_failure(exc: BaseException) -> str:
    """A one-line reason for an unexpected exception: its type and the start of its message."""
    message = " ".join(str(exc).split())
    if len(message) > MAX_REASON_CHARS:
        message = message[: MAX_REASON_CHARS - 1] + "…"
    return f"failed unexpectedly ({type(exc).__name__}: {message})" if message else f"failed ({type(exc).__name__})"


def restore_raw(raw: RawDocument, settings: Settings, restore_key: str) -> DocumentText:
    """The restore stage on one document, with the restorer loaded only when a document needs it."""
    return restore_document(raw, _restorer(settings.user_lexicon, restore_key), settings.max_restore_chars)


@cache
def _restorer(user_lexicon: Path, restore_key: str) -> Restorer:
    """The restorer, loaded once per process and restore key, only when a document needs restoring."""
    try:
        return Restorer.load(user_lexicon=user_lexicon)
    except diacritics.ModelError as error:
        raise ModelError(str(error)) from error
