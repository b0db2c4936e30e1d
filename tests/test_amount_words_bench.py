"""The amounts-in-words bench set: sentences whose words say the figure beside them."""

from __future__ import annotations

import re

from bench.amount_words import amount_lines
from bench.restore_data import SYNTH_TSVS
from bench.synth_ocr import read_benchmark
from extractors.numbers import parse_money, parse_money_words


def test_every_sentence_says_its_figure_in_words_and_the_set_is_fixed() -> None:
    lines = amount_lines(60)
    assert lines == amount_lines(60)
    for line in lines:
        words = re.search(r"\((?:[^:()]*: )?([^()]+ đồng)\)", line)
        assert words, line
        if figure := re.search(r"(\d[\d.]*) đồng", line):
            assert parse_money_words(words.group(1)) == parse_money(figure.group(0)), line
    assert not any("mươi năm" in line for line in amount_lines(400))  # 85 is "tám mươi lăm"


def test_the_ocr_version_pairs_each_read_line_with_its_printed_line() -> None:
    rows = read_benchmark(next(p for p in SYNTH_TSVS if p.name == "synth_eng_amounts.tsv"))
    assert len(rows) >= 250
    assert all(len(ocr.split()) == len(gold.split()) for _, ocr, gold in rows)
