"""Vietnamese diacritic restoration for OCR output and unmarked text.

`restore(text)` uses the packaged model, loaded once on first use; `Restorer.load`
loads another model directory or user lexicon.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from diacritics.lm import ModelError
from diacritics.restorer import DEFAULT_MODEL_DIR, Restoration, RestoredToken, Restorer, fingerprint_files
from diacritics.syllables import strip_marks

__all__ = ["ModelError", "Restoration", "RestoredToken", "Restorer", "model_fingerprint", "restore", "strip_marks"]


@cache
def default_restorer() -> Restorer:
    """The restorer with the packaged model (loaded on first call)."""
    return Restorer.load()


def restore(text: str, vie_ocr: bool = False) -> Restoration:
    """Restore the diacritics of ``text`` with the packaged model (``vie_ocr``: see `Restorer.restore`)."""
    return default_restorer().restore(text, vie_ocr=vie_ocr)


@cache
def model_fingerprint(model_dir: Path = DEFAULT_MODEL_DIR) -> str:
    """Short hash of the model files (every file of the model folder, so that none the restorer reads is left out,
    as the confidence calibration was, but for its Markdown notes, so that editing them does not void the caches
    keyed by it) and the model format version (for cache keys)."""
    return fingerprint_files([p for p in model_dir.iterdir() if p.is_file() and p.suffix != ".md"])
