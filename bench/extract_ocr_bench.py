"""Score the extractors on the extraction cases as an archive holds most plans: printed, scanned, read by
Tesseract's English model, then ingested and restored by the pipeline.

    python -m bench.extract_ocr_bench [--cases FILE] [--workers N] [--verbose]

Each case of tests/fixtures/extract_cases.yaml is typeset as degraded A4 pages (`bench.render`, the same
renderer as the synthetic OCR benchmark, its style drawn from the case id), read by Tesseract ``eng`` line by line,
and written as a text file with its paragraphs apart, the way an English-model OCR text of a plan looks. That file
goes through the pipeline's own ingest and restore stages and the extractors, and its facts are scored against the
case's gold exactly as `bench.extract_bench` scores the clean text, which is scored beside it. The gap between the two
is what English-model OCR plus restoration costs the fact tables. OCR output is cached under bench/out/ocr_cases/
(keyed by the case text, style seed and Tesseract version). Writes bench/out/extract_ocr.json.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import tempfile
import zlib
from pathlib import Path
from typing import Any

import pytesseract

from bench.eval_facts import format_scores, write_json
from bench.extract_bench import CASES, extract_case, load_cases, score_cases
from bench.render import choose_style, ocr_page_lines, render_page
from diacritics import Restorer
from extractors import ExtractedFacts, extract_facts
from extractors.lines import is_table_line
from pipeline.ingest import read_text_pages
from pipeline.pools import pool_of
from pipeline.records import RawDocument, SourceFile
from pipeline.restore import restore_document

OUT_DIR = Path(__file__).parent / "out"
CACHE_DIR = OUT_DIR / "ocr_cases"
OUT_JSON = OUT_DIR / "extract_ocr.json"
LANG = "eng"
# A line opens a paragraph of its own after a line that ends one (with a stop, or well short of the text's width),
# or when it starts like a heading or list item.
_SHORT_LINE = 0.7  # of the longest line
_ENDS_PARAGRAPH_RE = re.compile(r"[.!?]\s*$")
_OPENS_PARAGRAPH_RE = re.compile(r"^\s*(?:[-+•*]|\d+(?:\.\d+)*[.)]|[IVX]+\.|[a-zđ]\)|\(\d+\))\s|^[^a-zà-ỹđ]+$")


def case_paragraphs(text: str) -> list[str]:
    """The paragraphs of a case's text: wrapped lines joined, table rows and headings kept as they stand."""
    paragraphs: list[str] = []
    open_paragraph = False
    lines = text.splitlines()
    short = _SHORT_LINE * max(map(len, lines), default=0)
    for line in lines:
        if not line.strip():
            open_paragraph = False
            continue
        if open_paragraph and not _OPENS_PARAGRAPH_RE.match(line) and not is_table_line(line):
            paragraphs[-1] += " " + line.strip()
        else:
            paragraphs.append(line.strip())
        open_paragraph = not (_ENDS_PARAGRAPH_RE.search(line) or is_table_line(line) or len(line) < short)
    return paragraphs


def ocr_paragraphs(paragraphs: list[str], seed: int, lang: str = LANG) -> str:
    """Typeset paragraphs on as many degraded pages as they need and OCR them; the text read, a line per printed line
    and a blank line between paragraphs, pages apart by form feeds."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one core per Tesseract process
    rng = random.Random(seed)
    pages: list[str] = []
    remaining, words_left = list(paragraphs), [len(p.split()) for p in paragraphs]
    while remaining:
        page, rest = render_page(remaining, choose_style(rng), rng)
        read = ocr_page_lines(page, lang)
        out: list[str] = []
        for printed, ocr in zip(page.lines, read, strict=True):
            out.append(ocr)
            words_left[0] -= len(printed.split())
            if words_left[0] <= 0:
                words_left.pop(0)
                out.append("")
        pages.append("\n".join(out).strip("\n"))
        if len(rest) == len(remaining) and rest == remaining:
            raise ValueError("a paragraph does not fit on an empty page")
        remaining = rest
    return "\f".join(pages)


def case_seed(case_id: str) -> int:
    """The style seed of a case, fixed by its id."""
    return zlib.crc32(case_id.encode())


def cached_ocr(case: dict[str, Any]) -> str:
    """The English-model OCR text of a case (`cached_ocr_text`)."""
    return cached_ocr_text(case_paragraphs(case["text"]), case_seed(case["id"]))


def cached_ocr_text(paragraphs: list[str], seed: int) -> str:
    """The English-model OCR text of paragraphs typeset in the style ``seed`` draws (`ocr_paragraphs`), from the
    cache when the paragraphs, seed and Tesseract are the same."""
    key = "\n".join([LANG, str(seed), str(pytesseract.get_tesseract_version()), *paragraphs])
    path = CACHE_DIR / f"{hashlib.sha256(key.encode()).hexdigest()[:20]}.txt"
    if path.exists():
        return path.read_text(encoding="utf-8")
    text = ocr_paragraphs(paragraphs, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return text


def extract_ocr_text(ocr_text: str, doc_id: str, restorer: Restorer) -> ExtractedFacts:
    """The facts the pipeline reads in an OCR text file: ingested as a `.txt` input, restored, extracted."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{doc_id}.txt"
        path.write_text(ocr_text, encoding="utf-8")
        source = SourceFile(path, path.name, doc_id, "", path.stat().st_size, "text")
        pages, encoding = read_text_pages(source)
    return extract_facts(restore_document(RawDocument(source, pages, encoding=encoding), restorer))


def run(cases_path: Path = CASES, workers: int = os.cpu_count() or 1, verbose: bool = False) -> dict[str, Any]:
    """OCR every case (cached), score the clean and the OCR'd texts; write bench/out/extract_ocr.json."""
    cases = load_cases(cases_path)
    print(f"OCR of {len(cases)} cases with Tesseract {LANG} ({workers} workers; cached in {CACHE_DIR})", flush=True)
    with pool_of(workers) as pool:
        ocr_texts = dict(zip((c["id"] for c in cases), pool.map(cached_ocr, cases), strict=True))
    restorer = Restorer.load()
    clean = score_cases(cases, extract_case)
    if verbose:
        print("problems of the OCR'd cases:")
    ocr = score_cases(cases, lambda case: extract_ocr_text(ocr_texts[case["id"]], case["id"], restorer), verbose)
    result = {"cases_file": str(cases_path), "lang": LANG, "clean": clean, "ocr": ocr}
    write_json(result, OUT_JSON)
    return result


def print_report(result: dict[str, Any]) -> None:
    """Cases passing and per-table scores, clean text beside English-model OCR."""
    for name in ("clean", "ocr"):
        scores = result[name]
        label = "clean text" if name == "clean" else f"Tesseract {result['lang']} OCR, restored"
        print(f"{label}: {scores['cases_passing']}/{scores['cases']} cases passing")
        for table, figures in scores["tables"].items():
            print("  " + format_scores(table, figures))


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=CASES, help="YAML file of cases")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="OCR processes")
    parser.add_argument("--verbose", action="store_true", help="list every problem of every OCR'd case that fails")
    args = parser.parse_args(argv)
    print_report(run(args.cases, args.workers, args.verbose))


if __name__ == "__main__":
    main()
