"""Render Vietnamese paragraphs as scanned-looking A4 pages and OCR them with Tesseract.

Used to make synthetic (source text, OCR text) pairs: `diacritics.confusion_build` learns the OCR
confusion table from them and `bench/synth_ocr.py` writes the held-out restoration benchmark.
Fonts come from Debian packages fonts-liberation2, fonts-texgyre, fonts-dejavu-core, fonts-dejavu-extra (italic)
and fonts-freefont-ttf. Short or upper-case paragraphs are set as bold headings, some others in italics.
A character the page's font lacks (TeX Gyre Termes has no ⁴-⁹ nor □) is set in the same face of a fallback font
that has it, as word processors do, so the printed page shows every character of its source text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pytesseract
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFilter, ImageFont

LIBERATION = "/usr/share/fonts/truetype/liberation2/LiberationSerif-"
TERMES = "/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyretermes-"
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSerif"
FREE = "/usr/share/fonts/truetype/freefont/FreeSerif"
FONT_FILES = {  # name -> {face: file}
    "Liberation Serif": {
        "regular": f"{LIBERATION}Regular.ttf",
        "bold": f"{LIBERATION}Bold.ttf",
        "italic": f"{LIBERATION}Italic.ttf",
    },
    "TeX Gyre Termes": {
        "regular": f"{TERMES}regular.otf",
        "bold": f"{TERMES}bold.otf",
        "italic": f"{TERMES}italic.otf",
    },
    "DejaVu Serif": {"regular": f"{DEJAVU}.ttf", "bold": f"{DEJAVU}-Bold.ttf", "italic": f"{DEJAVU}-Italic.ttf"},
    "FreeSerif": {"regular": f"{FREE}.ttf", "bold": f"{FREE}Bold.ttf", "italic": f"{FREE}Italic.ttf"},
}
# Decree 30/2020/NĐ-CP sets Times New Roman 13-14 pt for administrative documents: mostly Times clones
# (Liberation Serif is metric-compatible, TeX Gyre Termes and FreeSerif derive from Nimbus Roman), a little DejaVu.
FONT_WEIGHTS = {"Liberation Serif": 5, "TeX Gyre Termes": 3, "FreeSerif": 2, "DejaVu Serif": 1}
FALLBACK_FONTS = ("FreeSerif", "DejaVu Serif")  # for characters the page's font lacks, first that has them
SIZES_PT = (12.0, 13.0, 13.0, 14.0, 14.0)
DPI_WEIGHTS = {300: 3, 200: 1}
LOW_RES_SHARE = 0.3  # pages first captured at a fax-like resolution, binarised, then upscaled (Đ read as P or B)
CAPTURE_DPIS = (100, 110, 120)
CAPTURE_THRESHOLD = 170
A4_MM = (210, 297)
MARGINS_MM = (30, 20, 20, 20)  # left, top, right, bottom
INDENT_MM = 12.7
TESSERACT_CONFIG = "--psm 4"
HEADING_MAX_CHARS = 90


@dataclass(frozen=True)
class PageStyle:
    """How one page is typeset and degraded."""

    font: str
    size_pt: float
    dpi: int
    line_spacing: float  # baseline distance in multiples of the font size
    blur: float  # Gaussian blur radius in pixels at 300 dpi
    noise: float  # standard deviation of the added grey-level noise
    angle: float  # page rotation in degrees
    italic_share: float  # probability that a body paragraph is set in italics
    ink_spread: bool  # strokes thickened by one pixel (dark photocopy)
    threshold: int | None  # grey level below which the scan is binarised to black; None keeps grey levels
    capture_dpi: int | None = None  # resolution of a binarised low-resolution capture, upscaled back; None: none


@dataclass(frozen=True)
class RenderedPage:
    """A rendered page, the text of each printed line and the vertical centre of each line in pixels."""

    image: Image.Image
    lines: tuple[str, ...]
    centres: tuple[float, ...]
    line_height: float
    style: PageStyle


def choose_style(rng: random.Random) -> PageStyle:
    """Draw a plausible typesetting and scan quality for one page."""
    font = rng.choices(list(FONT_WEIGHTS), weights=list(FONT_WEIGHTS.values()))[0]
    dpi = rng.choices(list(DPI_WEIGHTS), weights=list(DPI_WEIGHTS.values()))[0]
    return PageStyle(
        font=font,
        size_pt=rng.choice(SIZES_PT),
        dpi=dpi,
        line_spacing=rng.uniform(1.2, 1.5),
        blur=rng.uniform(0.0, 1.2),
        noise=rng.uniform(0.0, 25.0),
        angle=rng.uniform(-0.4, 0.4),
        italic_share=rng.uniform(0.0, 0.15),
        ink_spread=rng.random() < 0.25,
        threshold=rng.choice([None, None, rng.randint(110, 190)]),
        capture_dpi=rng.choice(CAPTURE_DPIS) if rng.random() < LOW_RES_SHARE else None,
    )


@cache
def load_font(name: str, face: str, size_px: int) -> ImageFont.FreeTypeFont:
    """Load a face ("regular", "bold", "italic") of a font named in FONT_FILES at a pixel size."""
    path = Path(FONT_FILES[name][face])
    if not path.exists():
        raise FileNotFoundError(f"font {name!r} missing at {path}; install the Debian package (see Makefile)")
    return ImageFont.truetype(str(path), size_px)


@cache
def font_characters(path: str) -> frozenset[int]:
    """The code points a font file has glyphs for."""
    return frozenset(TTFont(path, lazy=True).getBestCmap())


@cache
def font_for(font: ImageFont.FreeTypeFont, char: str) -> ImageFont.FreeTypeFont:
    """The font to set `char` in: `font` itself when it has the glyph, else the same face and size of the first
    fallback font that has it (`font` again when none has)."""
    if ord(char) in font_characters(str(font.path)):
        return font
    face = next(face for faces in FONT_FILES.values() for face, path in faces.items() if path == font.path)
    for name in FALLBACK_FONTS:
        if ord(char) in font_characters(FONT_FILES[name][face]):
            return load_font(name, face, font.size)
    return font


def font_runs(text: str, font: ImageFont.FreeTypeFont) -> list[tuple[str, ImageFont.FreeTypeFont]]:
    """`text` cut into runs set in one font each (see `font_for`)."""
    runs: list[tuple[str, ImageFont.FreeTypeFont]] = []
    for char in text:
        used = font_for(font, char)
        if runs and runs[-1][1] is used:
            runs[-1] = (runs[-1][0] + char, used)
        else:
            runs.append((char, used))
    return runs


def text_length(text: str, font: ImageFont.FreeTypeFont) -> float:
    """The advance width of `text` in pixels, fallback glyphs included."""
    return sum(used.getlength(run) for run, used in font_runs(text, font))


def draw_text(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, font: ImageFont.FreeTypeFont) -> None:
    """Draw `text` in black from `xy` (left, baseline), with fallback glyphs for characters `font` lacks."""
    x, y = xy
    for run, used in font_runs(text, font):
        draw.text((x, y), run, font=used, fill=0, anchor="ls")
        x += used.getlength(run)


def wrap_paragraph(text: str, font: ImageFont.FreeTypeFont, width: float, indent: float) -> list[str]:
    """Break a paragraph into lines no wider than `width` pixels, the first one indented."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        available = width - (indent if not lines else 0)
        if current and text_length(candidate, font) > available:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def draw_justified(
    draw: ImageDraw.ImageDraw, xy: tuple[float, float], line: str, font: ImageFont.FreeTypeFont, width: float | None
) -> None:
    """Draw a line at `xy` (left, baseline), spreading its words over `width` pixels when given."""
    words = line.split(" ")
    if width is None or len(words) < 2:
        draw_text(draw, xy, line, font)
        return
    gap = (width - sum(text_length(w, font) for w in words)) / (len(words) - 1)
    x, y = xy
    for word in words:
        draw_text(draw, (x, y), word, font)
        x += text_length(word, font) + gap


def choose_face(paragraph: str, style: PageStyle, rng: random.Random) -> tuple[str, bool]:
    """The face ("regular", "bold", "italic") to set a paragraph in, and whether it is a heading."""
    if paragraph.isupper() or len(paragraph) <= HEADING_MAX_CHARS:
        return "bold", True
    return ("italic" if rng.random() < style.italic_share else "regular"), False


def render_page(paragraphs: list[str], style: PageStyle, rng: random.Random) -> tuple[RenderedPage, list[str]]:
    """Typeset paragraphs on one A4 page; return the page and the paragraphs that did not fit.

    Body paragraphs are justified with an indented first line; headings are bold, centred when upper-case.
    """
    mm = style.dpi / 25.4
    size = (round(A4_MM[0] * mm), round(A4_MM[1] * mm))
    left, top, right, bottom = (m * mm for m in MARGINS_MM)
    size_px = round(style.size_pt * style.dpi / 72)
    advance = size_px * style.line_spacing
    text_width = size[0] - left - right
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    baseline = top + size_px
    lines: list[str] = []
    centres: list[float] = []
    remaining = list(paragraphs)
    while remaining and (room := int((size[1] - bottom - baseline) // advance) + 1) > 0:
        face, heading = choose_face(remaining[0], style, rng)
        font = load_font(style.font, face, size_px)
        wrapped = wrap_paragraph(remaining[0], font, text_width, INDENT_MM * mm)
        ends_here = len(wrapped) <= room
        if ends_here:
            remaining.pop(0)
        else:
            remaining[0] = " ".join(wrapped[room:])
            wrapped = wrapped[:room]
        for i, line in enumerate(wrapped):
            x = left + (INDENT_MM * mm if i == 0 else 0)
            if heading and line.isupper():
                x = left + (text_width - text_length(line, font)) / 2
            justify = not heading and not (ends_here and i == len(wrapped) - 1)
            draw_justified(draw, (x, baseline), line, font, left + text_width - x if justify else None)
            lines.append(line)
            centres.append(baseline - size_px * 0.35)
            baseline += advance
        baseline += advance * 0.3
    page = RenderedPage(degrade_image(image, style, rng), tuple(lines), tuple(centres), advance, style)
    return page, remaining


def degrade_image(image: Image.Image, style: PageStyle, rng: random.Random) -> Image.Image:
    """Make a clean rendering look scanned: ink spread, low-resolution capture, slight rotation, blur, grey noise,
    binarisation."""
    out = image.filter(ImageFilter.MinFilter(3)) if style.ink_spread else image
    if style.capture_dpi is not None:
        out = capture_low_res(out, style.capture_dpi / style.dpi)
    out = out.rotate(style.angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
    if style.blur > 0.05:
        out = out.filter(ImageFilter.GaussianBlur(style.blur * style.dpi / 300))
    if style.noise > 0:
        pixels = np.asarray(out, dtype=np.float32)
        noisy = np.random.default_rng(rng.getrandbits(32)).normal(0.0, style.noise, pixels.shape)
        out = Image.fromarray(np.clip(pixels + noisy, 0, 255).astype(np.uint8))
    if style.threshold is not None:
        out = out.point(lambda v: 0 if v < style.threshold else 255)
    return out


def capture_low_res(image: Image.Image, scale: float) -> Image.Image:
    """Scan at ``scale`` times the resolution, binarised, and upscale back to the original size (poor archive scans)."""
    small = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.BOX)
    small = small.point(lambda v: 0 if v < CAPTURE_THRESHOLD else 255)
    return small.resize(image.size, Image.Resampling.BICUBIC)


def ocr_page_lines(page: RenderedPage, lang: str) -> list[str]:
    """OCR a rendered page and return, for each printed line, the words Tesseract read on it."""
    data = pytesseract.image_to_data(
        page.image, lang=lang, config=TESSERACT_CONFIG, output_type=pytesseract.Output.DICT
    )
    found: list[list[tuple[int, str]]] = [[] for _ in page.lines]
    centres = np.asarray(page.centres)
    for text, left, top, height in zip(data["text"], data["left"], data["top"], data["height"], strict=True):
        if not text.strip():
            continue
        nearest = int(np.argmin(np.abs(centres - (top + height / 2))))
        if abs(centres[nearest] - (top + height / 2)) < page.line_height / 2:
            found[nearest].append((left, text.strip()))
    return [" ".join(word for _, word in sorted(words)) for words in found]
