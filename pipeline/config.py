"""Paths and settings, defined once. The Makefile passes only paths and overrides."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
INTERIM_DIR = DATA_DIR / "interim"
LEXICON_DIR = DATA_DIR / "lexicon"
USER_LEXICON = LEXICON_DIR / "user.tsv"  # reviewers' restorations: wrong<TAB>right
OVERRIDES_FILE = DATA_DIR / "overrides.csv"  # reviewers' fact corrections (pipeline/overrides.py)

DEFAULT_OCR_LANG = "vie"
DEFAULT_OCR_DPI = 300
DEFAULT_PAGE_TIMEOUT_S = 120
DEFAULT_MAX_PAGES = 2000
DEFAULT_MAX_IMAGE_PIXELS = 200_000_000
DEFAULT_MAX_RESTORE_CHARS = 50_000  # the restorer's memory grows with its input (~4 kB a character): longer chunked
DEFAULT_UNSURE_WORD_CONFIDENCE = 0.95  # OCR words read with less: the restorer may post-correct them
DEFAULT_MIN_TEXT_LAYER_CHARS = 20  # fewer printable characters on a PDF page: treat it as a scan

TEXT_SUFFIXES = frozenset({".txt"})
PDF_SUFFIXES = frozenset({".pdf"})
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff"})


@dataclass(frozen=True)
class Settings:
    """Everything a run needs, validated once."""

    raw_dir: Path = RAW_DIR
    out_dir: Path = PROCESSED_DIR
    interim_dir: Path = INTERIM_DIR
    ocr_lang: str = DEFAULT_OCR_LANG
    ocr_dpi: int = DEFAULT_OCR_DPI
    page_timeout_s: int = DEFAULT_PAGE_TIMEOUT_S
    max_pages: int = DEFAULT_MAX_PAGES
    max_image_pixels: int = DEFAULT_MAX_IMAGE_PIXELS
    max_restore_chars: int = DEFAULT_MAX_RESTORE_CHARS
    min_text_layer_chars: int = DEFAULT_MIN_TEXT_LAYER_CHARS
    unsure_word_confidence: float = DEFAULT_UNSURE_WORD_CONFIDENCE
    strict: bool = False
    user_lexicon: Path = USER_LEXICON
    overrides_file: Path = OVERRIDES_FILE
    ocr_workers: int = 1  # pages OCR'd at once (a process pool)
    scheduler: str = ""  # Dask scheduler address (tcp://host:port) for the page OCR; "" runs it locally

    def __post_init__(self) -> None:
        for name in ("ocr_dpi", "page_timeout_s", "max_pages", "max_image_pixels", "max_restore_chars"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")

    @classmethod
    def for_dirs(cls, raw_dir: Path, out_dir: Path, interim_dir: Path | None = None, **overrides: object) -> Settings:
        """Settings for a raw and an output folder; interim files go beside the output folder."""
        out_dir = out_dir.resolve()
        if interim_dir is None:
            interim_dir = INTERIM_DIR if out_dir == PROCESSED_DIR else out_dir.parent / f"{out_dir.name}-interim"
        return cls(raw_dir=raw_dir.resolve(), out_dir=out_dir, interim_dir=interim_dir.resolve(), **overrides)  # type: ignore[arg-type]
