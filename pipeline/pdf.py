"""PDF pages: the text layer via pdfplumber where a page has a real one, else the page rasterised and OCR'd."""

from __future__ import annotations

import re
import unicodedata
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException
from PIL import Image

from pipeline.config import Settings
from pipeline.errors import InputError
from pipeline.layout import drop_running_headers
from pipeline.ocr import describe_engine, ocr_page
from pipeline.pages import PageJob, run_page_jobs
from pipeline.records import PageRecord, SourceFile
from pipeline.textdecode import repair_text

TEXT_LAYER_ENGINE = "pdfplumber"
_CID_RE = re.compile(r"\(cid:\d+\)")
_MIN_GOOD_SHARE = 0.7  # below this share of letters, digits and punctuation a text layer is garbage
_SCAN_COVER = 0.5  # an image covering this share of the page makes it a scan...
_MIN_CHARS_OVER_SCAN = 200  # ...unless the text layer holds at least this many characters (not just a stamp)


def read_pdf(source: SourceFile, settings: Settings) -> tuple[tuple[PageRecord, ...], str]:
    """Read every page of a PDF; returns the pages and the engine(s) used. Raises InputError if unreadable."""
    try:
        document = pdfium.PdfDocument(source.path)
    except pdfium.PdfiumError as exc:
        raise InputError(source.rel_path, "ingest", _describe_open_error(source.path, exc)) from exc
    with closing(document):
        count = len(document)
        if count == 0:
            raise InputError(source.rel_path, "ingest", "PDF has no pages")
        if count > settings.max_pages:
            raise InputError(
                source.rel_path, "ingest", f"PDF has {count} pages, over the limit of {settings.max_pages}"
            )
        layers = extract_text_layers(source.path, count, settings.min_text_layer_chars)
    jobs = [PageJob(source.path, source.doc_id, i + 1, "pdf-scan") for i, layer in enumerate(layers) if layer is None]
    records = run_page_jobs(ocr_pdf_job, jobs, settings)
    texts = drop_running_headers([record.text for record in records])
    scans = {record.page_no: replace(record, text=text) for record, text in zip(records, texts, strict=True)}
    pages = [
        scans.get(i + 1) or PageRecord(source.doc_id, i + 1, layer or "", "pdf-text") for i, layer in enumerate(layers)
    ]
    engines = []
    if any(p.source_kind == "pdf-text" for p in pages):
        engines.append(TEXT_LAYER_ENGINE)
    if any(p.source_kind == "pdf-scan" for p in pages):
        engines.append(describe_engine(settings))
    return tuple(pages), "+".join(engines)


def extract_text_layers(path: Path, count: int, min_chars: int) -> list[str | None]:
    """Each page's text layer (NFC, line breaks kept), or None where the page has no usable one."""
    try:
        with pdfplumber.open(path) as pdf:
            layers = []
            for page in pdf.pages:
                layers.append(_usable_text(page, min_chars))
                page.close()  # frees the page's parsed objects
            return layers if len(layers) == count else [None] * count
    except Exception:  # pdfminer raises many exception types on odd files; pdfium could open it, so OCR it all
        return [None] * count


def ocr_pdf_job(job: PageJob, settings: Settings) -> PageRecord:
    """Open the PDF, take one page's image (see `page_image`) and OCR it; a page that cannot be drawn fails."""
    with closing(pdfium.PdfDocument(job.path)) as document:
        try:
            image = page_image(document[job.page_no - 1], settings.ocr_dpi, settings.max_image_pixels)
        except pdfium.PdfiumError as exc:
            return job.failed(f"cannot render page: {exc}")
        return ocr_page(image, job.doc_id, job.page_no, job.source_kind, settings)


def page_image(page: pdfium.PdfPage, dpi: int, max_pixels: int) -> Image.Image:
    """The page's scan at its own resolution when the page is only one upright full-page image, else rendered.

    Keeping the scan's pixels lets the clean-up measure the real resolution and upscale once, properly.
    """
    width_pt, height_pt = page.get_size()
    images = list(page.get_objects())
    if len(images) == 1 and images[0].type == pdfium.raw.FPDF_PAGEOBJ_IMAGE:
        left, bottom, right, top = images[0].get_bounds()
        a, b, c, d, _, _ = images[0].get_matrix().get()
        if b == c == 0 and a > 0 and d > 0 and (right - left) * (top - bottom) >= 0.9 * width_pt * height_pt:
            try:
                image = images[0].get_bitmap(render=False).to_pil()
            except pdfium.PdfiumError:
                image = None
            if image is not None and image.width * image.height <= max_pixels and image.width >= width_pt:
                image.info["dpi"] = (72 * image.width / (right - left),) * 2
                return image
    return render_page(page, dpi, max_pixels)


def render_page(page: pdfium.PdfPage, dpi: int, max_pixels: int) -> Image.Image:
    """A greyscale image of the page at `dpi`, scaled down to at most `max_pixels` pixels."""
    width_pt, height_pt = page.get_size()
    scale = dpi / 72
    scale = min(scale, (max_pixels / max(width_pt * height_pt, 1.0)) ** 0.5)
    image = page.render(scale=scale, grayscale=True).to_pil()
    image.info["dpi"] = (72 * scale, 72 * scale)
    return image


def _usable_text(page: pdfplumber.page.Page, min_chars: int) -> str | None:
    """The page's text if it is a real text layer: enough characters, not glyph ids or symbol soup."""
    try:
        text = page.extract_text() or ""
    except Exception:  # a malformed content stream: treat the page as a scan
        return None
    text, _ = repair_text(unicodedata.normalize("NFC", text))
    glyphs = [c for c in _CID_RE.sub("\ufffd", text) if not c.isspace()]
    if len(glyphs) < min_chars:
        return None
    good = sum(1 for c in glyphs if c.isalnum() or unicodedata.category(c)[0] in "PS")
    if good < _MIN_GOOD_SHARE * len(glyphs):
        return None
    if len(glyphs) < _MIN_CHARS_OVER_SCAN and _image_cover(page) >= _SCAN_COVER:
        return None
    return text


def _image_cover(page: pdfplumber.page.Page) -> float:
    """The share of the page covered by its largest image."""
    area = float(page.width * page.height) or 1.0
    sizes = [float((img["x1"] - img["x0"]) * (img["bottom"] - img["top"])) for img in page.images]
    return max(sizes, default=0.0) / area


def _describe_open_error(path: Path, exc: pdfium.PdfiumError) -> str:
    """A one-line reason for a PDF that PDFium cannot open (its error code is unreliable for empty PDFs)."""
    try:
        with pdfplumber.open(path) as pdf:
            if not pdf.pages:
                return "PDF has no pages"
    except PdfminerException as plumber_exc:
        if any(isinstance(arg, PDFPasswordIncorrect) for arg in plumber_exc.args):
            return "encrypted PDF (needs a password)"
    return f"corrupt or unreadable PDF ({exc})"
