"""Run Tesseract on a page image through pytesseract and rebuild its text with line and paragraph breaks."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

import pytesseract
from PIL import Image

from pipeline.errors import SetupError

_APT_HINT = "apt-get install tesseract-ocr"
_LOOKALIKES = str.maketrans("Ðð", "Đđ")  # Tesseract sometimes reads Đ as the Icelandic eth, never Vietnamese


class OcrFailure(Exception):
    """Tesseract failed or timed out on one image; the page is marked failed, the run goes on."""


@dataclass(frozen=True)
class OcrWord:
    """One recognised word: its text, confidence (0-1), box (left, top, width, height) in pixels and line."""

    text: str
    confidence: float
    bbox: tuple[int, int, int, int]
    line: tuple[int, int, int] = (0, 0, 0)  # Tesseract's (block, paragraph, line) numbers


@dataclass(frozen=True)
class OcrResult:
    """Tesseract's reading of one image."""

    text: str  # lines joined by "\n", paragraphs separated by a blank line
    words: tuple[OcrWord, ...]
    mean_confidence: float | None  # mean word confidence (0-1); None when no word was found


@cache
def tesseract_version() -> str:
    """The installed Tesseract's version, e.g. "5.3.0"; SetupError when it is not installed."""
    try:
        return str(pytesseract.get_tesseract_version())
    except pytesseract.TesseractNotFoundError as exc:
        raise SetupError(f"tesseract is not installed or not on PATH; {_APT_HINT}") from exc


@cache
def check_languages(lang: str) -> None:
    """Raise SetupError unless Tesseract has data for every language of `lang` (e.g. "vie+eng")."""
    tesseract_version()
    installed = set(pytesseract.get_languages(config=""))
    missing = [code for code in lang.split("+") if code not in installed]
    if missing:
        packages = " ".join(f"tesseract-ocr-{code.lower().replace('_', '-')}" for code in missing)
        raise SetupError(f"Tesseract language data missing for {', '.join(missing)}; apt-get install {packages}")


def ocr_image(image: Image.Image, lang: str, timeout_s: int, config: str = "") -> OcrResult:
    """OCR one image (`config`: extra Tesseract options, e.g. "--psm 7" for one line); raises OcrFailure when
    Tesseract fails or runs past `timeout_s` seconds.

    Tesseract runs single-threaded (OMP_THREAD_LIMIT=1 unless set) so that parallel pages share the CPUs.
    """
    check_languages(lang)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        data = pytesseract.image_to_data(
            image, lang=lang, config=config, timeout=timeout_s, output_type=pytesseract.Output.DICT
        )
    except RuntimeError as exc:  # pytesseract signals a timeout with a bare RuntimeError
        raise OcrFailure(f"tesseract timed out after {timeout_s} s") from exc
    except pytesseract.TesseractError as exc:
        raise OcrFailure(f"tesseract failed: {exc.message or exc.status}") from exc
    return assemble_result(data)


def read_digits(image: Image.Image, lang: str, timeout_s: int) -> str:
    """The digits Tesseract reads in a small image holding one number (a footnote mark); "" when it reads none
    or fails."""
    config = "--psm 7 -c tessedit_char_whitelist=0123456789"
    try:
        return pytesseract.image_to_string(image, lang=lang, config=config, timeout=timeout_s).strip()
    except (RuntimeError, pytesseract.TesseractError):
        return ""


def assemble_result(data: dict[str, list]) -> OcrResult:
    """Group Tesseract's word rows by block/paragraph/line into text and a word list."""
    words: list[OcrWord] = []
    paragraphs: dict[tuple[int, ...], dict[int, list[str]]] = {}
    for i, raw in enumerate(data["text"]):
        text = str(raw).strip().translate(_LOOKALIKES)
        confidence = float(data["conf"][i])
        if not text or confidence < 0:
            continue
        box = (int(data["left"][i]), int(data["top"][i]), int(data["width"][i]), int(data["height"][i]))
        line = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        words.append(OcrWord(text, confidence / 100, box, line))
        paragraphs.setdefault(line[:2], {}).setdefault(line[2], []).append(text)
    text = "\n\n".join("\n".join(" ".join(line) for line in lines.values()) for lines in paragraphs.values())
    mean = sum(w.confidence for w in words) / len(words) if words else None
    return OcrResult(text, tuple(words), mean)
