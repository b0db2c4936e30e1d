"""Page image → PageRecord: light clean-up (greyscale, upscaling, contrast stretch) and Tesseract."""

from __future__ import annotations

import unicodedata

import numpy as np
from PIL import Image, ImageOps

from pipeline._exec.tesseract import OcrFailure, ocr_image, tesseract_version
from pipeline.config import Settings
from pipeline.records import PageRecord, SourceKind

TARGET_DPI = 300  # Tesseract reads body text best at about 300 dpi
MIN_DPI = 250  # upscale images below this resolution
MAX_UPSCALE = 4.0
A4_LONG_SIDE_IN = 11.69  # assumed page size when an image carries no resolution
BLANK_CONTRAST = 16  # a page whose darkest and lightest grey differ by less than this is blank


def describe_engine(settings: Settings) -> str:
    """The OCR engine as recorded in documents.csv, e.g. "tesseract 5.3.0 (vie)"."""
    return f"tesseract {tesseract_version()} ({settings.ocr_lang})"


def ocr_page(
    image: Image.Image, doc_id: str, page_no: int | None, source_kind: SourceKind, settings: Settings
) -> PageRecord:
    """OCR one page image; a Tesseract failure or timeout gives a page with status "ocr_failed"."""
    grey = prepare_image(image, settings.max_image_pixels)
    low, high = grey.getextrema()
    if high - low < BLANK_CONTRAST:
        return PageRecord(doc_id, page_no, "", source_kind, status="empty", reason="blank page image")
    try:
        result = ocr_image(ImageOps.autocontrast(grey), settings.ocr_lang, settings.page_timeout_s)
    except OcrFailure as exc:
        return PageRecord(doc_id, page_no, "", source_kind, status="ocr_failed", reason=str(exc))
    text = unicodedata.normalize("NFC", result.text)
    if not text.strip():
        return PageRecord(doc_id, page_no, "", source_kind, status="empty", reason="OCR found no text")
    return PageRecord(doc_id, page_no, text, source_kind, confidence=result.mean_confidence)


def prepare_image(image: Image.Image, max_pixels: int) -> Image.Image:
    """Greyscale, upright and upscaled to about 300 dpi (never above `max_pixels`)."""
    dpi = estimate_dpi(image)
    grey = to_greyscale(ImageOps.exif_transpose(image))
    if dpi < MIN_DPI:
        scale = min(TARGET_DPI / dpi, MAX_UPSCALE, (max_pixels / (grey.width * grey.height)) ** 0.5)
        if scale > 1:
            grey = grey.resize((round(grey.width * scale), round(grey.height * scale)), Image.Resampling.LANCZOS)
    return grey


def estimate_dpi(image: Image.Image) -> float:
    """The image's resolution: its dpi tag if plausible, else as if its long side were an A4 page."""
    dpi = image.info.get("dpi")
    if dpi and 50 <= float(dpi[0]) <= 2400:
        return float(dpi[0])
    return max(image.size) / A4_LONG_SIDE_IN


def to_greyscale(image: Image.Image) -> Image.Image:
    """8-bit greyscale; transparency becomes white and 16/32-bit images are rescaled to 0-255."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        pixels = np.asarray(image, dtype=np.float64)
        top = pixels.max() or 1.0
        return Image.fromarray(np.clip(pixels * (255 / top), 0, 255).astype(np.uint8))
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("L")
    return image.convert("L")
