"""Page image → PageRecord: measured clean-up (pipeline.preprocess), Tesseract, reading order (pipeline.layout).

Every OCR'd page is cached under `<interim>/ocr/` by the image's content, the OCR settings and this code's
version, with Tesseract's word boxes and confidences; a rerun (or a run resumed after a crash) reads it back.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageOps

from pipeline._exec.tesseract import OcrFailure, OcrWord, ocr_image, read_digits, tesseract_version
from pipeline.config import Settings
from pipeline.layout import arrange_text
from pipeline.missed_lines import read_missed_lines
from pipeline.preprocess import apply_recipe, choose_recipe, measure_page
from pipeline.punctuation import fix_punctuation
from pipeline.records import PageRecord, SourceKind
from pipeline.storage import fingerprint, fingerprint_files, write_text_atomic
from pipeline.superscripts import restore_superscripts

A4_LONG_SIDE_IN = 11.69  # assumed page size when an image carries no resolution
DIGIT_LANG = "eng"  # installed with tesseract-ocr (Debian's tesseract-ocr depends on tesseract-ocr-eng)
BLANK_CONTRAST = 16  # a page whose darkest and lightest grey differ by less than this is blank
CACHE_STAGE = "ocr"
OCR_CODE_FILES = (  # what the page cache key covers; the ingest stage key includes them too
    "ocr.py",
    "preprocess.py",
    "layout.py",
    "glyphs.py",
    "missed_lines.py",
    "superscripts.py",
    "punctuation.py",
    "_exec/tesseract.py",
)


@dataclass(frozen=True)
class PageOcr:
    """What OCR made of one page image: the record's fields plus the words and the clean-up recipe."""

    text: str
    status: str = "ok"
    reason: str = ""
    confidence: float | None = None
    recipe: str = ""
    words: tuple[OcrWord, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Plain data for the page cache; words as [text, confidence, left, top, width, height, block, par, line]."""
        words = [[w.text, round(w.confidence, 3), *w.bbox, *w.line] for w in self.words]
        return {"text": self.text, "status": self.status, "reason": self.reason, "confidence": self.confidence,
                "recipe": self.recipe, "words": words}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageOcr:
        words = tuple(OcrWord(w[0], w[1], tuple(w[2:6]), tuple(w[6:9])) for w in data["words"])  # type: ignore[arg-type]
        return cls(data["text"], data["status"], data["reason"], data["confidence"], data["recipe"], words)


def describe_engine(settings: Settings) -> str:
    """The OCR engine as recorded in documents.csv, e.g. "tesseract 5.3.0 (vie)"."""
    return f"tesseract {tesseract_version()} ({settings.ocr_lang})"


def read_by_vie(engine: str) -> bool:
    """Whether an engine as `describe_engine` records it ("tesseract 5.3.0 (vie)", after "pdfplumber+" for a PDF with
    some text-layer pages) read with Tesseract's Vietnamese model."""
    return "(" in engine and "vie" in engine.rsplit("(", 1)[1]


def ocr_page(
    image: Image.Image, doc_id: str, page_no: int | None, source_kind: SourceKind, settings: Settings
) -> PageRecord:
    """OCR one page image (cached); a Tesseract failure or timeout gives a page with status "ocr_failed"."""
    key = page_cache_key(image, settings)
    path = settings.interim_dir / CACHE_STAGE / key[:2] / f"{key}.json"
    result = load_page(path)
    if result is None:
        result = read_page(image, settings)
        if result.status != "ocr_failed":  # failures may be transient (timeouts): retry them next run
            save_page(path, result)
    confidence = result.confidence if result.status == "ok" else None
    threshold = settings.unsure_word_confidence
    unsure = tuple(unicodedata.normalize("NFC", w.text) for w in result.words if w.confidence < threshold)
    return PageRecord(doc_id, page_no, result.text, source_kind, result.status, confidence, result.reason, unsure)  # type: ignore[arg-type]


def read_page(image: Image.Image, settings: Settings) -> PageOcr:
    """Measure, clean up and OCR a page image, then put its words in reading order."""
    image = flatten_image(ImageOps.exif_transpose(image))
    low, high = image.convert("L").getextrema()
    if high - low < BLANK_CONTRAST:
        return PageOcr("", "empty", "blank page image")
    recipe = choose_recipe(measure_page(image, estimate_dpi(image)))
    clean = apply_recipe(image, recipe, settings.max_image_pixels)
    try:
        result = ocr_image(clean, settings.ocr_lang, settings.page_timeout_s)
    except OcrFailure as exc:
        return PageOcr("", "ocr_failed", str(exc), recipe=recipe.describe())
    grey = np.asarray(clean)
    words = read_missed_lines(result.words, grey, partial(read_line_crop, settings=settings))
    reader = partial(read_digit_crop, timeout_s=settings.page_timeout_s)
    words = fix_punctuation(restore_superscripts(words, grey, reader), grey)
    text = unicodedata.normalize("NFC", arrange_text(words, clean.height))
    if not text.strip():
        return PageOcr("", "empty", "OCR found no text", recipe=recipe.describe())
    return PageOcr(text, "ok", "", result.mean_confidence, recipe.describe(), words)


def read_line_crop(crop: np.ndarray, settings: Settings) -> tuple[OcrWord, ...]:
    """The words in a crop of the page holding one line, read alone by Tesseract (none when it fails)."""
    try:
        return ocr_image(Image.fromarray(crop), settings.ocr_lang, settings.page_timeout_s, "--psm 7").words
    except OcrFailure:
        return ()


def read_digit_crop(crop: np.ndarray, timeout_s: int) -> str:
    """The digits in a small crop of the page (a footnote mark), read alone by Tesseract's English model: digits
    need no Vietnamese, and `vie` reads some lone small digits as nothing (a ⁴ that `eng` reads)."""
    return read_digits(Image.fromarray(crop), DIGIT_LANG, timeout_s)


def estimate_dpi(image: Image.Image) -> float:
    """The image's resolution: its dpi tag if plausible, else as if its long side were an A4 page."""
    dpi = image.info.get("dpi")
    if dpi and 50 <= float(dpi[0]) <= 2400:
        return float(dpi[0])
    return max(image.size) / A4_LONG_SIDE_IN


def flatten_image(image: Image.Image) -> Image.Image:
    """8-bit greyscale or RGB: transparency becomes white, 16/32-bit images are rescaled, palettes expanded."""
    info = dict(image.info)
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        pixels = np.asarray(image, dtype=np.float64)
        top = pixels.max() or 1.0
        out = Image.fromarray(np.clip(pixels * (255 / top), 0, 255).astype(np.uint8))
    elif image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        out = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba).convert("RGB")
    elif image.mode in ("L", "RGB"):
        out = image
    else:
        out = image.convert("RGB" if image.mode in ("P", "CMYK", "YCbCr", "LAB", "HSV") else "L")
    out.info.update(info)
    return out


def page_cache_key(image: Image.Image, settings: Settings) -> str:
    """The page's cache key: its pixels, resolution, the OCR settings and the OCR code's version."""
    digest = hashlib.sha256(f"{image.mode}{image.size}{image.info.get('dpi')}".encode())
    digest.update(image.tobytes())
    options = (settings.ocr_lang, settings.max_image_pixels)
    return fingerprint(digest.hexdigest(), options, code_version())


@cache
def code_version() -> str:
    """Fingerprint of the OCR code and the Tesseract version."""
    here = Path(__file__).resolve().parent
    return fingerprint(fingerprint_files([here / name for name in OCR_CODE_FILES]), tesseract_version())


def load_page(path: Path) -> PageOcr | None:
    """A cached page, or None when absent or unreadable."""
    try:
        return PageOcr.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def save_page(path: Path, result: PageOcr) -> None:
    """Write a page's OCR to the cache atomically."""
    write_text_atomic(path, json.dumps(result.to_json(), ensure_ascii=False))
