"""Synthetic OCR data: corpus paragraphs rendered as pages, OCR'd with Tesseract and aligned token by token.

Held-out corpus lines (zlib.crc32(line) % 100 == 0) feed only the benchmark files; every other line may feed
`diacritics.confusion_build`. Write the benchmark files with

    python -m bench.synth_ocr --corpus ../shared/corpus/vi-legal.txt.gz --out-dir bench/data
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from bench.render import choose_style, ocr_page_lines, render_page
from pipeline.pools import pool_of

HELD_OUT_MODULUS = 100
MIN_PARAGRAPH_CHARS = 30
MAX_PARAGRAPH_CHARS = 1500
CHARS_PER_PAGE = 4500  # enough paragraph text to fill one page at the smallest type size
PARAGRAPHS_PER_PAGE = 60  # paragraphs drawn per page wanted: ample, since most corpus paragraphs are short
BENCH_HEADER = ("line_no", "ocr", "gold")


@dataclass(frozen=True)
class SynthPage:
    """One synthetic page: the printed lines and, line by line, what Tesseract read."""

    source: tuple[str, ...]
    ocr: tuple[str, ...]
    font: str
    dpi: int


def is_held_out(line: str) -> bool:
    """Whether a corpus line is reserved for evaluation (never used to build models)."""
    return zlib.crc32(line.encode()) % HELD_OUT_MODULUS == 0


def sample_paragraphs(corpus: Path, count: int, held_out: bool, seed: int) -> list[str]:
    """Draw `count` paragraphs uniformly (reservoir sampling) from one side of the held-out split, in NFC."""
    rng = random.Random(seed)
    chosen: list[str] = []
    seen = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as lines:
        for raw in lines:
            line = raw.rstrip("\n")
            if is_held_out(line) != held_out or not MIN_PARAGRAPH_CHARS <= len(line) <= MAX_PARAGRAPH_CHARS:
                continue
            seen += 1
            if len(chosen) < count:
                chosen.append(line)
            elif (slot := rng.randrange(seen)) < count:
                chosen[slot] = line
    rng.shuffle(chosen)
    return [unicodedata.normalize("NFC", p) for p in chosen]


def group_paragraphs(paragraphs: Iterable[str], chars_per_page: int = CHARS_PER_PAGE) -> Iterator[list[str]]:
    """Group consecutive paragraphs into page-sized batches (the last, short batch is dropped)."""
    batch: list[str] = []
    size = 0
    for paragraph in paragraphs:
        batch.append(paragraph)
        size += len(paragraph)
        if size >= chars_per_page:
            yield batch
            batch, size = [], 0


def draw_page_batches(corpus: Path, pages: int, held_out: bool, seed: int) -> list[list[str]]:
    """Paragraph batches for `pages` pages, drawn from one side of the held-out split."""
    paragraphs = sample_paragraphs(corpus, pages * PARAGRAPHS_PER_PAGE, held_out, seed)
    return list(group_paragraphs(paragraphs))[:pages]


def synthesize_page(paragraphs: list[str], lang: str, seed: int) -> SynthPage:
    """Render paragraphs as one degraded page and OCR it with Tesseract `lang`."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one core per Tesseract process
    rng = random.Random(seed)
    page, _ = render_page(paragraphs, choose_style(rng), rng)
    return SynthPage(page.lines, tuple(ocr_page_lines(page, lang)), page.style.font, page.style.dpi)


def synthesize_pages(batches: list[list[str]], lang: str, seed: int, workers: int) -> list[SynthPage]:
    """Synthesize one page per paragraph batch, in parallel, deterministically for a seed."""
    seeds = [seed * 1_000_003 + i for i in range(len(batches))]
    with pool_of(workers) as pool:
        return list(pool.map(synthesize_page, batches, [lang] * len(batches), seeds))


def pair_tokens(source: str, ocr: str) -> list[tuple[str, str]] | None:
    """Pair the whitespace tokens of a printed line with those OCR read, or None when their counts differ."""
    src, got = source.split(), ocr.split()
    if not src or len(src) != len(got):
        return None
    return list(zip(src, got, strict=True))


def character_error_rate(pages: Iterable[SynthPage]) -> float:
    """Levenshtein distance between OCR and printed lines over the printed characters, all lines counted."""
    errors = chars = 0
    for page in pages:
        for source, ocr in zip(page.source, page.ocr, strict=True):
            errors += Levenshtein.distance(source, ocr)
            chars += len(source)
    return errors / max(chars, 1)


def iter_paired_lines(pages: Iterable[SynthPage]) -> Iterator[list[tuple[str, str]]]:
    """The (printed token, OCR token) pairs of each line whose tokenisation OCR kept."""
    for page in pages:
        for source, ocr in zip(page.source, page.ocr, strict=True):
            if pairs := pair_tokens(source, ocr):
                yield pairs


def select_benchmark_lines(pages: Iterable[SynthPage]) -> list[tuple[str, str]]:
    """(ocr, gold) lines whose OCR kept the printed tokenisation, with OCR whitespace normalised to single spaces."""
    return [(" ".join(g for _, g in pairs), " ".join(s for s, _ in pairs)) for pairs in iter_paired_lines(pages)]


def write_benchmark(path: Path, rows: list[tuple[str, str]]) -> None:
    """Write (ocr, gold) rows as a `line_no  ocr  gold` TSV, numbering lines from 1."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="\n") as out:
        out.write("\t".join(BENCH_HEADER) + "\n")
        for i, (ocr, gold) in enumerate(rows, 1):
            out.write(f"{i}\t{ocr}\t{gold}\n")
    tmp.replace(path)


def read_benchmark(path: Path) -> list[tuple[int, str, str]]:
    """Read a `line_no  ocr  gold` TSV (the format of the eval and synthetic benchmark files)."""
    with path.open(encoding="utf-8") as lines:
        header = next(lines).rstrip("\n").split("\t")
        if tuple(header) != BENCH_HEADER:
            raise ValueError(f"{path}: header {header} is not {BENCH_HEADER}")
        rows = [line.rstrip("\n").split("\t") for line in lines]
    return [(int(n), ocr, gold) for n, ocr, gold in rows]


def main(argv: list[str] | None = None) -> None:
    """Write bench/data/synth_{eng,vie}_heldout.tsv from held-out corpus paragraphs and print the OCR CER."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--out-dir", type=Path, default=Path("bench/data"))
    parser.add_argument("--pages", type=int, default=16, help="pages per OCR language")
    parser.add_argument("--max-lines", type=int, default=500)
    parser.add_argument("--seed", type=int, default=20260)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    batches = draw_page_batches(args.corpus, args.pages, held_out=True, seed=args.seed)
    for lang in ("eng", "vie"):
        pages = synthesize_pages(batches, lang, args.seed, args.workers)
        rows = select_benchmark_lines(pages)[: args.max_lines]
        write_benchmark(args.out_dir / f"synth_{lang}_heldout.tsv", rows)
        printed = sum(len(p.source) for p in pages)
        print(f"{lang}: {len(pages)} pages, CER {character_error_rate(pages):.4f}, {len(rows)} of {printed} lines kept")


if __name__ == "__main__":
    main()
