"""Vietnamese diacritic restoration for OCR output and unmarked text.

`restore(text)` uses the packaged model, loaded once on first use; `Restorer.load`
loads another model directory or user lexicon.
"""

from __future__ import annotations

from functools import cache

from diacritics.abbreviations import ABBREVIATION_FILE
from diacritics.candidates import WORD_PAIRS_FILE
from diacritics.channel import CONFUSION_FILE, SLIP_FILE
from diacritics.lm import ACRONYM_FILE, META_FILE, NGRAM_FILE, VOCAB_FILE, ModelError
from diacritics.names import NAME_FILE
from diacritics.restorer import DEFAULT_MODEL_DIR, Restoration, RestoredToken, Restorer, fingerprint_files
from diacritics.syllables import strip_marks
from diacritics.window import WINDOW_FILE

__all__ = ["ModelError", "Restoration", "RestoredToken", "Restorer", "model_fingerprint", "restore", "strip_marks"]


@cache
def default_restorer() -> Restorer:
    """The restorer with the packaged model (loaded on first call)."""
    return Restorer.load()


def restore(text: str, vie_ocr: bool = False) -> Restoration:
    """Restore the diacritics of ``text`` with the packaged model (``vie_ocr``: see `Restorer.restore`)."""
    return default_restorer().restore(text, vie_ocr=vie_ocr)


@cache
def model_fingerprint() -> str:
    """Short hash of the packaged model files and the model format version (for cache keys)."""
    names = (META_FILE, VOCAB_FILE, NGRAM_FILE, ACRONYM_FILE, CONFUSION_FILE, SLIP_FILE, NAME_FILE)
    names += (ABBREVIATION_FILE, WORD_PAIRS_FILE, WINDOW_FILE)  # read by the restorer beside the model itself
    return fingerprint_files([DEFAULT_MODEL_DIR / n for n in names])
