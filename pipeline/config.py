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

DEFAULT_OCR_LANG = "vie"
DEFAULT_OCR_DPI = 300
DEFAULT_PAGE_TIMEOUT_S = 120
DEFAULT_MAX_PAGES = 2000
DEFAULT_MAX_IMAGE_PIXELS = 200_000_000
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
    min_text_layer_chars: int = DEFAULT_MIN_TEXT_LAYER_CHARS
    strict: bool = False

    def __post_init__(self) -> None:
        for name in ("ocr_dpi", "page_timeout_s", "max_pages", "max_image_pixels"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")

    @classmethod
    def for_dirs(cls, raw_dir: Path, out_dir: Path, interim_dir: Path | None = None, **overrides: object) -> Settings:
        """Settings for a raw and an output folder; interim files go beside the output folder."""
        out_dir = out_dir.resolve()
        if interim_dir is None:
            interim_dir = INTERIM_DIR if out_dir == PROCESSED_DIR else out_dir.parent / f"{out_dir.name}-interim"
        return cls(raw_dir=raw_dir.resolve(), out_dir=out_dir, interim_dir=interim_dir.resolve(), **overrides)  # type: ignore[arg-type]
