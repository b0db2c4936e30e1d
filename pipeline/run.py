"""The orchestrator: discover → ingest/OCR → restore → extract → write. Reads like a table of contents."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tqdm import tqdm

import diacritics
from diacritics import Restorer, model_fingerprint
from pipeline.config import LEXICON_DIR, Settings
from pipeline.errors import InputError, ModelError
from pipeline.extract import FACT_TABLES, extract_document
from pipeline.ingest import discover_inputs, read_document
from pipeline.records import DocumentText, RawDocument, SourceFile
from pipeline.restore import restore_document
from pipeline.storage import StageCache, fingerprint, fingerprint_files, fingerprint_package
from pipeline.write import DocumentResult, write_outputs

log = logging.getLogger("pipeline")

PIPELINE_DIR = Path(__file__).resolve().parent
SYLLABLES_CODE = PIPELINE_DIR.parent / "diacritics" / "syllables.py"  # text decoding scores syllable validity
INGEST_CODE = ("ingest.py", "textdecode.py", "legacy_encodings.py", "pdf.py", "ocr.py", "records.py", "_exec")


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

    def render(self) -> str:
        facts = ", ".join(f"{n} {table}" for table, n in self.facts.items())
        lines = [
            f"documents: {self.documents} ({self.reused} unchanged, reused from cache), pages: {self.pages}",
            f"facts: {facts}",
            f"errors: {len(self.errors)} file(s) quarantined" + "".join(f"\n  - {e}" for e in self.errors),
            f"output files changed: {self.changed_files}, time: {self.seconds:.1f} s",
        ]
        return "\n".join(lines)


def run(settings: Settings, workers: int = 1) -> RunSummary:
    """Run every stage on ``settings.raw_dir`` and write the tables to ``settings.out_dir``."""
    started = time.monotonic()
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
    changed = write_outputs(settings.out_dir, results, errors)
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
    workers = min(workers or os.cpu_count() or 1, len(todo))
    progress = tqdm(total=len(todo), desc="documents", unit="doc", disable=None)
    if workers == 1:
        for source in todo:
            progress.set_postfix_str(source.rel_path[-40:])
            yield process_document(source, settings, keys)
            progress.update()
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
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
        user_lexicon = [p for p in [LEXICON_DIR / "user.tsv"] if p.exists()]
        ingest_files = [p for name in INGEST_CODE for p in _code_files(PIPELINE_DIR / name)] + [SYLLABLES_CODE]
        ocr_settings = (settings.ocr_lang, settings.ocr_dpi, settings.max_pages, settings.max_image_pixels,
                        settings.min_text_layer_chars, settings.page_timeout_s)  # fmt: skip
        return cls(
            ingest=fingerprint(fingerprint_files(ingest_files), ocr_settings),
            restore=fingerprint(
                model_fingerprint(),
                fingerprint_package(PIPELINE_DIR.parent / "diacritics"),
                fingerprint_files([PIPELINE_DIR / "restore.py", *user_lexicon]),
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
    """The document's result if every stage's cache is current, else None."""
    ingest_key, restore_key, extract_key = _doc_keys(source, keys)
    raw = StageCache(settings.interim_dir, "ingest").load(source.doc_id, ingest_key)
    text = StageCache(settings.interim_dir, "restore").load(source.doc_id, restore_key)
    facts = StageCache(settings.interim_dir, "extract").load(source.doc_id, extract_key)
    if raw is None or text is None or facts is None:
        return None
    return DocumentResult(RawDocument.from_json(raw), DocumentText.from_json(text), facts)


def process_document(source: SourceFile, settings: Settings, keys: StageKeys) -> DocumentResult | InputError:
    """Run the stages on one document, reusing each stage's cached result when it is current."""
    ingest_key, restore_key, extract_key = _doc_keys(source, keys)
    ingest_cache = StageCache(settings.interim_dir, "ingest")
    restore_cache = StageCache(settings.interim_dir, "restore")
    extract_cache = StageCache(settings.interim_dir, "extract")
    try:
        raw_data = ingest_cache.load(source.doc_id, ingest_key)
        if raw_data is None:
            raw_data = read_document(source, settings).to_json()
            ingest_cache.save(source.doc_id, ingest_key, raw_data)
        raw = RawDocument.from_json(raw_data)
        text_data = restore_cache.load(source.doc_id, restore_key)
        if text_data is None:
            text_data = restore_document(raw, _restorer()).to_json()
            restore_cache.save(source.doc_id, restore_key, text_data)
        text = DocumentText.from_json(text_data)
        facts = extract_cache.load(source.doc_id, extract_key)
        if facts is None:
            facts = extract_document(text)
            extract_cache.save(source.doc_id, extract_key, facts)
    except InputError as error:
        return error
    return DocumentResult(raw, text, facts)


@cache
def _restorer() -> Restorer:
    """The restorer, loaded once per process and only when a document needs restoring."""
    try:
        return Restorer.load()
    except diacritics.ModelError as error:
        raise ModelError(str(error)) from error
