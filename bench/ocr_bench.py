"""OCR benchmark: synthetic scans (bench.scans) read by raw Tesseract `vie`, OCRmyPDF and this pipeline.

    python -m bench.ocr_bench --pages 3 --corpus-pages 1      # `make bench-ocr`; JSON in bench/out/ocr.json

CER and WER are edit distances over characters and words of the page text with whitespace runs squashed,
divided by the length of the printed text. Seconds per page are wall time with 2 workers for OCRmyPDF (-j 2)
and for the pipeline, one process for raw Tesseract.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import tempfile
import time
from contextlib import closing
from pathlib import Path

import pypdfium2 as pdfium
import pytesseract
from rapidfuzz.distance import Levenshtein

from bench.scans import LEVELS, ScanPage, scan_document, split_paragraphs, write_scan_pdf
from bench.synth_ocr import draw_page_batches
from diacritics import Restorer
from pipeline.config import RAW_DIR, Settings
from pipeline.pdf import page_image, read_pdf
from pipeline.records import PAGE_SEPARATOR, RawDocument, SourceFile
from pipeline.restore import restore_document

BENCH_OUT = Path(__file__).resolve().parent / "out"
CLEAN_SAMPLE = RAW_DIR / "dong-thap_2021-2025_ke-hoach-ocop.txt"
WORKERS = 2


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def score(outputs: list[str], truths: list[str]) -> dict[str, float]:
    """CER and WER (in %) of page outputs against the printed pages."""
    chars = sum(Levenshtein.distance(squash(o), squash(t)) for o, t in zip(outputs, truths, strict=True))
    words = sum(Levenshtein.distance(o.split(), t.split()) for o, t in zip(outputs, truths, strict=True))
    return {
        "cer": round(100 * chars / sum(len(squash(t)) for t in truths), 3),
        "wer": round(100 * words / sum(len(t.split()) for t in truths), 3),
    }


def read_raw(pdf: Path) -> list[str]:
    """Tesseract `vie` with default settings on each page's image."""
    with closing(pdfium.PdfDocument(pdf)) as document:
        images = [page_image(page, 300, 10**9) for page in document]
    return [pytesseract.image_to_string(image, lang="vie") for image in images]


def read_ocrmypdf(pdf: Path, work: Path) -> list[str]:
    """OCRmyPDF --clean --deskew -j 2, its sidecar text split into pages."""
    sidecar = work / f"{pdf.stem}.txt"
    subprocess.run(["ocrmypdf", "-q", "-l", "vie", "--clean", "--deskew", "--force-ocr", "-j", str(WORKERS),
                    "--sidecar", str(sidecar), str(pdf), str(work / f"{pdf.stem}.ocr.pdf")], check=True)  # fmt: skip
    return sidecar.read_text(encoding="utf-8").split("\f")


def read_pipeline(pdf: Path, work: Path) -> list[str]:
    """This pipeline's OCR stage with 2 workers and an empty page cache."""
    return [page.text for page in _read_document(pdf, work).pages]


def read_pipeline_corrected(pdf: Path, work: Path) -> list[str]:
    """The OCR stage (from the page cache `read_pipeline` filled), then confidence-guided post-correction."""
    return restore_document(_read_document(pdf, work), Restorer.load()).text.split(PAGE_SEPARATOR)


def _read_document(pdf: Path, work: Path) -> RawDocument:
    settings = Settings(interim_dir=work / f"{pdf.stem}-interim", ocr_workers=WORKERS)
    source = SourceFile(pdf, pdf.name, pdf.stem, "", pdf.stat().st_size, "pdf")
    pages, engine = read_pdf(source, settings)
    return RawDocument(source, pages, ocr_engine=engine)


def build_levels(pages: int, corpus: Path | None, corpus_pages: int) -> dict[str, list[ScanPage]]:
    """Scanned pages per level: the clean sample plan's first pages, then held-out corpus pages."""
    paragraphs = split_paragraphs(CLEAN_SAMPLE.read_text(encoding="utf-8"))
    batches = draw_page_batches(corpus, corpus_pages, held_out=True, seed=7) if corpus and corpus_pages else []
    levels = {}
    for i, (name, level) in enumerate(LEVELS.items()):
        scans = scan_document(paragraphs, level, pages, seed=100 + i)
        for k, batch in enumerate(batches):
            scans += scan_document(batch, level, 1, seed=200 + 10 * i + k)
        levels[name] = scans
    return levels


def run(pages: int, corpus: Path | None, corpus_pages: int) -> dict:
    """Every system on every level; returns the figures."""
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, scans in build_levels(pages, corpus, corpus_pages).items():
            pdf = work / f"{name}.pdf"
            write_scan_pdf(scans, pdf)
            truths = [page.truth for page in scans]
            row = {"pages": len(scans)}
            for system, read in (("tesseract", lambda p: read_raw(p)), ("ocrmypdf", lambda p: read_ocrmypdf(p, work)),
                                 ("pipeline", lambda p: read_pipeline(p, work)),
                                 ("pipeline+restorer", lambda p: read_pipeline_corrected(p, work))):  # fmt: skip
                started = time.perf_counter()
                outputs = read(pdf)
                seconds = time.perf_counter() - started
                row[system] = {**score(outputs[: len(truths)], truths), "s_per_page": round(seconds / len(scans), 2)}
            results[name] = row
            print(name, json.dumps(row), flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=3, help="pages of the clean sample plan per level")
    parser.add_argument("--corpus", type=Path, help="the shared corpus, for held-out pages")
    parser.add_argument("--corpus-pages", type=int, default=1, help="held-out corpus pages per level")
    args = parser.parse_args(argv)
    results = run(args.pages, args.corpus, args.corpus_pages)
    BENCH_OUT.mkdir(parents=True, exist_ok=True)
    (BENCH_OUT / "ocr.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
