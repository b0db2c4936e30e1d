"""Synthetic OCR: rendering + real Tesseract, character alignment, confusion counting, TSV formats."""

from __future__ import annotations

import gzip
import json
import random
import re
import zlib
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from bench.render import PageStyle, choose_style, degrade_image, load_font, ocr_page_lines, render_page, text_length
from bench.synth_ocr import (
    SynthPage,
    group_paragraphs,
    is_held_out,
    pair_tokens,
    read_benchmark,
    sample_paragraphs,
    select_benchmark_lines,
    write_benchmark,
)
from bench.synth_ocr import main as write_benchmarks
from diacritics.channel import SLIP_FILE, ChannelModel
from diacritics.confusion_build import align_chars, count_confusions, read_counts, write_counts
from diacritics.confusion_build import main as build_confusions

SENTENCE = (
    "Ủy ban nhân dân huyện hướng dẫn các hợp tác xã hoàn thiện hồ sơ sản phẩm OCOP, "
    "phấn đấu đến cuối năm 2024 có thêm mười lăm sản phẩm đạt từ ba sao trở lên."
)
# font, size_pt, dpi, line_spacing, blur, noise, angle, italic_share, ink_spread, threshold
CLEAN_STYLE = PageStyle("Liberation Serif", 13, 300, 1.3, 0.0, 0.0, 0.0, 0.0, False, None)


def test_vie_ocr_reads_back_a_rendered_vietnamese_sentence():
    page, rest = render_page([SENTENCE], CLEAN_STYLE, random.Random(0))
    assert rest == []
    assert " ".join(page.lines) == SENTENCE
    ocr = " ".join(ocr_page_lines(page, "vie"))
    assert Levenshtein.normalized_distance(ocr, SENTENCE) < 0.03


def test_render_page_returns_what_did_not_fit():
    paragraphs = [SENTENCE] * 40
    page, rest = render_page(paragraphs, CLEAN_STYLE, random.Random(0))
    assert 20 < len(page.lines) < 60
    assert rest and rest[-1] == SENTENCE
    printed = " ".join(page.lines).split()
    assert printed + " ".join(rest).split() == " ".join(paragraphs).split()


def test_degrade_image_spreads_ink_and_binarises():
    page, _ = render_page([SENTENCE], CLEAN_STYLE, random.Random(0))
    clean = np.asarray(page.image)
    inked = np.asarray(degrade_image(page.image, replace(CLEAN_STYLE, ink_spread=True), random.Random(0)))
    assert (inked < 128).sum() > 1.5 * (clean < 128).sum()
    noisy = replace(CLEAN_STYLE, blur=1.0, noise=20.0, threshold=150)
    assert set(np.unique(np.asarray(degrade_image(page.image, noisy, random.Random(0))))) <= {0, 255}


def test_low_resolution_capture_keeps_the_size_and_coarsens_the_strokes():
    page, _ = render_page([SENTENCE], CLEAN_STYLE, random.Random(0))
    captured = degrade_image(page.image, replace(CLEAN_STYLE, capture_dpi=100), random.Random(0))
    assert captured.size == page.image.size
    clean, coarse = np.asarray(page.image) < 128, np.asarray(captured) < 128
    assert 0.5 < coarse.sum() / clean.sum() < 2.0  # the same text, still legible
    assert (clean != coarse).sum() > 0.1 * clean.sum()  # but stroke edges moved
    assert choose_style(random.Random(5)) == choose_style(random.Random(5))


def test_align_chars_maps_each_intended_char_to_what_was_read():
    assert align_chars("Chương", "Chwong") == [("C", "C"), ("h", "h"), ("ư", "w"), ("ơ", "o"), ("n", "n"), ("g", "g")]
    assert align_chars("Đồng", "Pong") == [("Đ", "P"), ("ồ", "o"), ("n", "n"), ("g", "g")]
    assert align_chars("Mỗi", "M&i") == [("M", "M"), ("ỗ", "&"), ("i", "i")]


def test_align_chars_gives_insertions_to_the_misread_neighbour():
    assert align_chars("năm", "ndam") == [("n", "n"), ("ă", "da"), ("m", "m")]
    assert align_chars("ơn", "o'n") == [("ơ", "o'"), ("n", "n")]
    assert align_chars("xã", "x") == [("x", "x"), ("ã", "")]
    assert align_chars("", "abc") == []


@given(st.text(alphabet="aăâđeêoôơuưáàảãạắằẳẵặấầẩẫậ'&6D", max_size=8), st.text(alphabet="adeou'&64DPé", max_size=8))
def test_align_chars_keeps_both_strings(intended, observed):
    pairs = align_chars(intended, observed)
    assert "".join(i for i, _ in pairs) == intended
    if intended:
        assert "".join(o for _, o in pairs) == observed


def test_count_confusions_counts_identities_and_substitutions():
    chars, words = count_confusions([("năm", "nam"), ("năm,", "nim,"), ("Số:", "S6:"), ("năm", "1234567"), ("ở", "6")])
    assert chars["n", "n"] == 2 and chars["m", "m"] == 2
    assert chars["ă", "a"] == 1 and chars["ă", "i"] == 1
    assert chars["ố", "6"] == 1 and chars[":", ":"] == 1 and chars["ở", "6"] == 1
    assert sum(chars.values()) == 3 + 4 + 3 + 1  # the unrelated pair is left out
    assert words == Counter({("năm", "nam"): 1, ("năm", "nim"): 1, ("Số", "S6"): 1, ("ở", "6"): 1})


def test_confusion_tsv_round_trip_is_sorted(tmp_path: Path):
    counts = Counter({("ă", "a"): 3, ("ă", ""): 1, ("ư", "w"): 2, ("a", "a"): 9, ("ơ", "o'"): 1})
    path = tmp_path / "c.tsv"
    write_counts(path, counts)
    assert read_counts(path) == counts
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "intended\tobserved\tcount"
    assert lines[1:3] == ["a\ta\t9", "ă\ta\t3"]
    write_counts(path, counts, min_count=2)
    assert read_counts(path) == Counter({("ă", "a"): 3, ("ư", "w"): 2, ("a", "a"): 9})


def test_benchmark_keeps_only_lines_with_the_printed_tokenisation(tmp_path: Path):
    page = SynthPage(
        source=("Số: 122 /KH-UBND", "Mỗi xã một sản phẩm", "năm 2021"),
        ocr=("S6:  122 /KH-UBND", "M&i xi mét sanpham", "nim 2021"),
        font="FreeSerif",
        dpi=300,
    )
    rows = select_benchmark_lines([page])
    assert rows == [("S6: 122 /KH-UBND", "Số: 122 /KH-UBND"), ("nim 2021", "năm 2021")]
    assert pair_tokens("a b", "a") is None
    path = tmp_path / "b.tsv"
    write_benchmark(path, rows)
    assert read_benchmark(path) == [(1, *rows[0]), (2, *rows[1])]


def write_corpus(path: Path, lines: int) -> Path:
    """A small gzipped corpus of distinct, page-filling Vietnamese paragraphs."""
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.writelines(
            f"Khoản {i}. {SENTENCE} Ủy ban nhân dân tỉnh giao Sở Tài chính bố trí kinh phí.\n" for i in range(lines)
        )
    return path


def test_build_writes_confusion_tables_from_one_real_ocr_page(tmp_path: Path):
    build_confusions(
        [
            "--corpus",
            str(write_corpus(tmp_path / "c.txt.gz", 100)),
            "--out",
            str(tmp_path),
            "--pages",
            "1",
            "--workers",
            "1",
        ]
    )
    chars = read_counts(tmp_path / "ocr_char_confusions.tsv")
    assert chars["n", "n"] > 50 and chars["ư", "u"] + chars["ư", "w"] > 0
    assert read_counts(tmp_path / "ocr_word_pairs.tsv")
    meta = json.loads((tmp_path / "ocr_char_confusions.meta.json").read_text(encoding="utf-8"))
    assert meta["pages"] == 1 and meta["tesseract"].startswith("tesseract ") and 0 < meta["eng_cer"] < 0.5


def test_build_learns_the_vietnamese_models_slips_into_the_file_the_restorer_reads(tmp_path: Path):
    corpus = write_corpus(tmp_path / "c.txt.gz", 100)
    build_confusions(["--corpus", str(corpus), "--out", str(tmp_path), "--pages", "1", "--lang", "vie"])
    chars = read_counts(tmp_path / SLIP_FILE)
    assert chars["ư", "ư"] > 10 and chars["ư", "ư"] > 10 * (chars["ư", "u"] + chars["ư", "w"])  # vie reads marks
    meta = json.loads((tmp_path / "ocr_vie_char_confusions.meta.json").read_text(encoding="utf-8"))
    assert meta["tesseract_lang"] == "vie" and 0 <= meta["vie_cer"] < 0.1
    assert ChannelModel.load_slips(tmp_path) is not None


def test_benchmark_files_come_from_held_out_lines_only(tmp_path: Path):
    corpus = write_corpus(tmp_path / "c.txt.gz", 5000)
    write_benchmarks(["--corpus", str(corpus), "--out-dir", str(tmp_path), "--pages", "1", "--workers", "1"])
    with gzip.open(corpus, "rt", encoding="utf-8") as lines:
        held_out = {line.split()[1] for line in lines.read().splitlines() if is_held_out(line)}
    for lang in ("eng", "vie"):
        rows = read_benchmark(tmp_path / f"synth_{lang}_heldout.tsv")
        assert len(rows) > 10 and all(len(ocr.split()) == len(gold.split()) for _, ocr, gold in rows)
        numbers = {n for _, _, gold in rows for n in re.findall(r"Khoản (\d+\.)", gold)}
        assert numbers and numbers <= held_out


def test_sample_paragraphs_respects_the_held_out_split(tmp_path: Path):
    lines = [f"Điều {i}. Quy định về sản phẩm số {i} của chương trình." for i in range(400)]
    corpus = tmp_path / "c.txt.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    held_out = {line for line in lines if zlib.crc32(line.encode()) % 100 == 0}
    assert held_out and all(is_held_out(line) for line in held_out)
    assert set(sample_paragraphs(corpus, 1000, held_out=True, seed=1)) == held_out
    held_in = sample_paragraphs(corpus, 50, held_out=False, seed=1)
    assert len(held_in) == 50 and not held_out & set(held_in)
    assert held_in == sample_paragraphs(corpus, 50, held_out=False, seed=1)


def test_group_paragraphs_fills_pages_and_drops_the_remainder():
    assert list(group_paragraphs(["a" * 60, "b" * 50, "c" * 100, "d" * 10], chars_per_page=100)) == [
        ["a" * 60, "b" * 50],
        ["c" * 100],
    ]


def test_characters_a_font_lacks_are_printed_from_a_fallback_font() -> None:
    termes = load_font("TeX Gyre Termes", "regular", 50)  # has ¹²³ but not ⁴-⁹
    assert text_length("thể⁴", termes) > text_length("thể", termes) + 10
    style = replace(CLEAN_STYLE, font="TeX Gyre Termes")

    def ink_right_edge(text: str) -> int:
        page, _ = render_page([text], style, random.Random(0))
        return int(np.flatnonzero((np.asarray(page.image) < 128).any(axis=0)).max())

    assert ink_right_edge("thể⁴") > ink_right_edge("thể") + 10
    assert ink_right_edge("thể⁴") > ink_right_edge("thể¹")  # Termes' own ¹ is narrower
