"""Synthetic scans of plans: clean text typeset as A4 pages (bench.render) and degraded like provincial photocopies.

Four levels: clean; moderate (300 dpi, skew under 1°, blur, speckle, JPEG 75); harsh (the same at 200 dpi);
severe (150 dpi, faded ink, a round red seal, uneven paper, JPEG 40). The first page carries the two-column
national header of an administrative document, later pages a page number at the top centre (not part of the
text). Each page's ground truth is its printed text in reading order. Write a scanned PDF with

    python -m bench.scans --text data/raw/dong-thap_2021-2025_ke-hoach-ocop.txt --level moderate --pages 3 --out x.pdf
"""

from __future__ import annotations

import argparse
import io
import math
import random
from dataclasses import dataclass
from pathlib import Path

import img2pdf
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from bench.render import FONT_WEIGHTS, MARGINS_MM, SIZES_PT, PageStyle, load_font, render_page

HEADER_LEFT = ("ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG THÁP", "Số:        /KH-UBND")
HEADER_RIGHT = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Đồng Tháp, ngày    tháng    năm")
SEAL_TEXT = "ỦY BAN NHÂN DÂN * TỈNH ĐỒNG THÁP *"
SEAL_RED = (200, 35, 40)


@dataclass(frozen=True)
class ScanLevel:
    """How badly a level's pages are scanned."""

    name: str
    dpi: int
    max_skew_deg: float
    blur: float  # Gaussian blur radius in pixels at the scan's resolution
    speckle: float  # share of pixels hit by a speckle dot
    jpeg_quality: int | None  # None: lossless
    ink: int  # grey level of the ink (0 black; higher is fainter)
    paper_shade: float  # depth of the uneven paper shading, 0-1
    seal: bool


LEVELS = {
    "clean": ScanLevel("clean", 300, 0.0, 0.0, 0.0, None, 0, 0.0, False),
    "moderate": ScanLevel("moderate", 300, 0.9, 0.7, 0.00002, 75, 20, 0.05, False),
    "harsh": ScanLevel("harsh", 200, 0.9, 0.6, 0.00004, 75, 30, 0.08, False),
    "severe": ScanLevel("severe", 150, 0.9, 0.6, 0.0008, 40, 115, 0.3, True),
}


@dataclass(frozen=True)
class ScanPage:
    """A scanned page and its printed text (lines in reading order, page number excluded)."""

    image: Image.Image
    truth: str
    dpi: int


def split_paragraphs(text: str) -> list[str]:
    """The non-blank lines of a plain-text plan, one paragraph each."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def scan_document(paragraphs: list[str], level: ScanLevel, pages: int, seed: int) -> list[ScanPage]:
    """Typeset paragraphs on up to `pages` pages in one style and scan them at `level`."""
    rng = random.Random(seed)
    style = PageStyle(
        font=rng.choices(list(FONT_WEIGHTS), weights=list(FONT_WEIGHTS.values()))[0],
        size_pt=rng.choice(SIZES_PT),
        dpi=level.dpi,
        line_spacing=rng.uniform(1.2, 1.4),
        blur=0.0,
        noise=0.0,
        angle=0.0,
        italic_share=0.0,
        ink_spread=False,
        threshold=None,
    )
    remaining = list(paragraphs)
    scans = []
    for number in range(1, pages + 1):
        if not remaining:
            break
        image, lines, remaining = typeset_page(remaining, style, number, rng)
        scans.append(ScanPage(degrade_scan(image, level, rng), "\n".join(lines), level.dpi))
    return scans


def typeset_page(
    paragraphs: list[str], style: PageStyle, number: int, rng: random.Random
) -> tuple[Image.Image, list[str], list[str]]:
    """One clean page: the national header on page 1, a page number on later ones; returns the lines printed."""
    page, remaining = render_page(paragraphs, style, rng)
    mm = style.dpi / 25.4
    size_px = round(style.size_pt * style.dpi / 72)
    if number > 1:
        image = page.image.copy()
        font = load_font(style.font, "regular", size_px)
        ImageDraw.Draw(image).text((image.width / 2, MARGINS_MM[1] * mm / 2), str(number), font=font, fill=0,
                                   anchor="mm")  # fmt: skip
        return image, list(page.lines), remaining
    header, header_lines = draw_header(style, page.image.width)
    limit = page.image.height - MARGINS_MM[3] * mm - header.height
    kept = [i for i, centre in enumerate(page.centres) if centre + page.line_height / 2 <= limit]
    cut = round(page.centres[kept[-1]] + page.line_height / 2) if kept else round(MARGINS_MM[1] * mm)
    image = Image.new("L", page.image.size, 255)
    image.paste(page.image.crop((0, 0, page.image.width, cut)), (0, header.height))
    image.paste(header, (0, 0))
    dropped = page.lines[len(kept) :]
    if dropped:
        remaining = [" ".join(dropped), *remaining]
    return image, header_lines + list(page.lines[: len(kept)]), remaining


def draw_header(style: PageStyle, width: int) -> tuple[Image.Image, list[str]]:
    """The two-column header strip (issuer left, national motto right) and its lines, left column first."""
    mm = style.dpi / 25.4
    size_px = round((style.size_pt - 1) * style.dpi / 72)
    advance = size_px * 1.35
    top = MARGINS_MM[1] * mm
    image = Image.new("L", (width, round(top + advance * (len(HEADER_LEFT) + 1.5))), 255)
    draw = ImageDraw.Draw(image)
    columns = (
        (HEADER_LEFT, MARGINS_MM[0] * mm, width * 0.40),
        (HEADER_RIGHT, width * 0.43, width - MARGINS_MM[2] * mm),
    )
    for lines, left, right in columns:
        for i, line in enumerate(lines):
            font = load_font(style.font, "bold" if i < 2 else "regular", size_px)
            draw.text(((left + right) / 2, top + advance * (i + 1)), line, font=font, fill=0, anchor="ms")
    return image, [*HEADER_LEFT, *HEADER_RIGHT]


def degrade_scan(image: Image.Image, level: ScanLevel, rng: random.Random) -> Image.Image:
    """Scan a clean greyscale page at `level`: ink, paper, seal, skew, blur, speckle and JPEG artefacts."""
    np_rng = np.random.default_rng(rng.getrandbits(32))
    coverage = 1.0 - np.asarray(image, dtype=np.float32) / 255.0
    if level.ink > 0:  # faded: a fainter ink that also drops out in places
        coverage *= np.clip(1.0 - smooth_field(coverage.shape, np_rng, 40) * level.ink / 400, 0.0, 1.0)
    paper = 255.0 * (1.0 - level.paper_shade * smooth_field(coverage.shape, np_rng, 6))
    grey = paper - (paper - level.ink) * coverage
    rgb = np.repeat(grey[:, :, None], 3, axis=2)
    if level.seal:
        rgb *= draw_seal(coverage.shape, level.dpi, rng)
    out = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))
    if level.max_skew_deg:
        angle = rng.uniform(0.3, 1.0) * level.max_skew_deg * rng.choice((-1, 1))
        out = out.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=(255, 255, 255))
    if level.blur:
        out = out.filter(ImageFilter.GaussianBlur(level.blur))
    out = add_speckle(out, level.speckle, np_rng)
    if not level.seal:
        out = out.convert("L")
    if level.jpeg_quality is not None:
        buffer = io.BytesIO()
        out.save(buffer, "JPEG", quality=level.jpeg_quality)
        out = Image.open(io.BytesIO(buffer.getvalue()))
        out.load()
    out.info["dpi"] = (level.dpi, level.dpi)
    return out


def smooth_field(shape: tuple[int, int], np_rng: np.random.Generator, cells: int) -> np.ndarray:
    """A smooth random field in [0, 1] with about `cells` bumps across the page."""
    coarse = np_rng.random((cells, max(2, round(cells * shape[1] / shape[0]))))
    field = Image.fromarray((coarse * 255).astype(np.uint8)).resize((shape[1], shape[0]), Image.Resampling.BICUBIC)
    return np.asarray(field, dtype=np.float32) / 255.0


def draw_seal(shape: tuple[int, int], dpi: int, rng: random.Random) -> np.ndarray:
    """A multiplicative RGB layer holding a round red seal (rings, text round the rim, a star) over the body."""
    radius = 20 * dpi / 25.4  # a 40 mm seal
    height, width = shape
    centre = (rng.uniform(0.45, 0.75) * width, rng.uniform(0.35, 0.75) * height)
    mask = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(mask)
    for r, w in ((radius, 0.05), (radius * 0.68, 0.025)):
        draw.ellipse(
            (centre[0] - r, centre[1] - r, centre[0] + r, centre[1] + r), outline=255, width=max(1, round(radius * w))
        )
    font = load_font("DejaVu Serif", "bold", round(radius * 0.2))
    for i, char in enumerate(SEAL_TEXT):
        theta = math.pi + 2 * math.pi * i / len(SEAL_TEXT)
        glyph = Image.new("L", (font.size * 2, font.size * 2), 0)
        ImageDraw.Draw(glyph).text((font.size, font.size), char, font=font, fill=255, anchor="mm")
        glyph = glyph.rotate(-math.degrees(theta) - 90, resample=Image.Resampling.BICUBIC)
        x = centre[0] + radius * 0.84 * math.cos(theta) - font.size
        y = centre[1] + radius * 0.84 * math.sin(theta) - font.size
        mask.paste(255, (round(x), round(y)), glyph)
    star = [(centre[0] + radius * (0.3 if k % 2 == 0 else 0.12) * math.cos(math.pi * k / 5 - math.pi / 2),
             centre[1] + radius * (0.3 if k % 2 == 0 else 0.12) * math.sin(math.pi * k / 5 - math.pi / 2))
            for k in range(10)]  # fmt: skip
    draw.polygon(star, fill=255)
    strength = np.asarray(mask, dtype=np.float32)[:, :, None] / 255.0 * rng.uniform(0.7, 0.95)
    red = np.asarray(SEAL_RED, dtype=np.float32) / 255.0
    return 1.0 - strength * (1.0 - red)


def add_speckle(image: Image.Image, share: float, np_rng: np.random.Generator) -> Image.Image:
    """Scatter dark dots of one or two pixels over a `share` of the page (dust on the copier glass)."""
    if share <= 0:
        return image
    out = image.copy()
    draw = ImageDraw.Draw(out)
    count = round(share * image.width * image.height)
    dark = 0 if image.mode == "L" else (0, 0, 0)
    for x, y, r in zip(np_rng.integers(0, image.width, count), np_rng.integers(0, image.height, count),
                       np_rng.choice([0.5, 1.0, 1.5], count), strict=True):  # fmt: skip
        draw.ellipse((x - r, y - r, x + r, y + r), fill=dark)
    return out


def write_scan_pdf(pages: list[ScanPage], path: Path) -> None:
    """A PDF of the scanned pages, each image embedded as JPEG (or PNG for lossless pages) at its resolution."""
    blobs = []
    for page in pages:
        buffer = io.BytesIO()
        if page.image.format == "JPEG":
            page.image.save(buffer, "JPEG", quality="keep", dpi=(page.dpi, page.dpi))
        else:
            page.image.save(buffer, "PNG", dpi=(page.dpi, page.dpi))
        blobs.append(buffer.getvalue())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(img2pdf.convert(blobs))
    tmp.replace(path)


def main(argv: list[str] | None = None) -> None:
    """Write a scanned PDF of a plain-text plan at one level and, when asked, its ground truth (pages split by \\f)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text", type=Path, required=True, help="UTF-8 plain text, one paragraph per line")
    parser.add_argument("--level", choices=sorted(LEVELS), default="moderate")
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--truth", type=Path, help="where to write the printed text")
    args = parser.parse_args(argv)
    paragraphs = split_paragraphs(args.text.read_text(encoding="utf-8"))
    pages = scan_document(paragraphs, LEVELS[args.level], args.pages, args.seed)
    write_scan_pdf(pages, args.out)
    if args.truth:
        args.truth.write_text("\f".join(p.truth for p in pages), encoding="utf-8")
    print(f"{args.out}: {len(pages)} pages, {args.out.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
