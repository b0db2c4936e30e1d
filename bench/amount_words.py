"""Amounts written in words, as plans write them beside the figures: a restoration benchmark set.

The sentences are made by `vn-numberwords` (its northern and southern dictionaries), not by the restorer's own
numeral grammar (`diacritics.numerals`), so the set does not grade the grammar against itself. The English-model OCR
version is written once, by rendering the sentences as pages and reading them with Tesseract `eng`:

    python -m bench.amount_words --out bench/data/synth_eng_amounts.tsv
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from vn_numberwords import SouthDictionary, number_to_words

from bench.synth_ocr import group_paragraphs, select_benchmark_lines, synthesize_pages, write_benchmark

SEED = 20261126
OCR_LINES = 600  # sentences typeset for the OCR version (pages hold about 30 printed lines; some do not fit)
TEMPLATES = (
    "(Bằng chữ: {words} đồng).",
    "Tổng kinh phí thực hiện là {figure} đồng ({words} đồng).",
    "- Ngân sách tỉnh: {figure} đồng (bằng chữ: {words} đồng);",
    "Kinh phí hỗ trợ năm 2024 là {figure} đồng (Viết bằng chữ: {words} đồng).",
    "với tổng vốn đầu tư {figure} đồng ({words} đồng), trong đó:",
)


def amount(rng: random.Random) -> int:
    """An amount in đồng as plans give them: one to four significant digits, from a hundred thousand to a hundred
    billion."""
    digits = rng.randint(1, 4)
    return rng.randint(10 ** (digits - 1), 10**digits - 1) * 10 ** rng.randint(5, 11 - digits)


def in_words(n: int, south: bool) -> str:
    """``n`` in words by vn-numberwords; its "mươi năm" for 85 (of 0.2.0) said as everyone says it, "mươi lăm"."""
    words = number_to_words(n, SouthDictionary()) if south else number_to_words(n)
    return words.replace("mươi năm", "mươi lăm")


def amount_lines(count: int = 200, seed: int = SEED) -> list[str]:
    """``count`` sentences that give an amount in figures and in words (Vietnamese number format), the words'
    initial capitalised in half of them."""
    rng = random.Random(seed)
    lines = []
    for _ in range(count):
        n = amount(rng)
        words = in_words(n, south=rng.random() < 0.3)
        if rng.random() < 0.5:
            words = words[0].upper() + words[1:]
        lines.append(rng.choice(TEMPLATES).format(figure=f"{n:,}".replace(",", "."), words=words))
    return lines


def main(argv: list[str] | None = None) -> None:
    """Write the English-model OCR version of `amount_lines` as a `line_no  ocr  gold` TSV."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("bench/data/synth_eng_amounts.tsv"))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    batches = list(group_paragraphs(amount_lines(OCR_LINES)))
    pages = synthesize_pages(batches, "eng", SEED, args.workers)
    rows = select_benchmark_lines(pages)
    write_benchmark(args.out, rows)
    print(f"{len(pages)} pages, {len(rows)} lines kept of {sum(len(p.source) for p in pages)}")


if __name__ == "__main__":
    main()
