"""Punctuation that speckle and small type make Tesseract misread: checked on the page or mended in the text."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from bench.render import load_font
from pipeline._exec.tesseract import OcrWord
from pipeline.preprocess import remove_specks
from pipeline.punctuation import drop_stray_marks, fix_punctuation


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("Cơ.sở", "Cơ sở"),  # a speck between two syllables read as a point
        ("sản.phẩm", "sản phẩm"),
        (",sản", "sản"),  # ... before a word
        (".hiệu,", "hiệu,"),
        ("'OCOP", "OCOP"),  # ... read as an apostrophe
        ("về'", "về"),
        ("(OCOP')", "(OCOP)"),
        ("tích'Xẻo", "tích Xẻo"),
        ("OCOP;'nâng", "OCOP; nâng"),
    ],
)
def test_points_and_apostrophes_from_specks_are_dropped(read: str, meant: str) -> None:
    assert drop_stray_marks(read) == meant


@pytest.mark.parametrize(
    "word",
    [
        "v.v",
        "theo.doc",
        "dongthap.gov.vn",
        "này.Điều",
        "TP.HCM",
        "Tp.Cao",
        "1.000",
        "122/KH-UBND",
        ".Net",
        "“Hàng",
        "People's",
        "don't",
    ],
)
def test_real_points_stay(word: str) -> None:
    assert drop_stray_marks(word) == word


def draw_word(text: str, mark: str, read_as: str) -> tuple[np.ndarray, OcrWord]:
    """A printed word followed by its mark, and the word as Tesseract read it."""
    image = Image.new("L", (360, 100), 255)
    draw = ImageDraw.Draw(image)
    font = load_font("Liberation Serif", "regular", 50)
    draw.text((20, 20), text + mark, font=font, fill=0)
    left, top, right, bottom = draw.textbbox((20, 20), text + mark, font=font)
    return np.asarray(image), OcrWord(read_as, 0.8, (left, top - 4, right - left + 4, bottom - top + 8))


@pytest.mark.parametrize(
    ("printed", "read", "meant"),
    [
        ("uống;", "uống:", "uống;"),  # the semicolon's tail is on the page
        ("phần,", "phần.", "phần,"),
        ("uống:", "uống:", "uống:"),  # real colons and full stops stay
        ("phần.", "phần.", "phần."),
        ("phần,", "phần,", "phần,"),
    ],
)
def test_a_mark_read_without_its_tail_gets_it_back_when_the_page_shows_one(printed: str, read: str, meant: str) -> None:
    grey, word = draw_word(printed[:-1], printed[-1], read)
    assert fix_punctuation((word,), grey)[0].text == meant


def test_a_full_stop_after_a_closing_quote_is_not_taken_for_a_speck() -> None:
    image = Image.new("L", (700, 140), 255)
    draw = ImageDraw.Draw(image)
    font = load_font("Liberation Serif", "regular", 64)  # a 13-point line at 300 dpi: the stop is clear of the quote
    draw.text((20, 20), "nghiệp”. Tổ", font=font, fill=0)
    draw.ellipse((640, 60, 647, 67), fill=0)  # a speck of the same size in the margin, nothing near it
    stop = draw.textbbox((20, 20), "nghiệp”", font=font)[2]
    grey = np.asarray(image)
    before = (grey[60:100, stop : stop + 16] < 128).sum()
    cleaned = remove_specks(grey, 300)
    assert before > 0 and (cleaned[60:100, stop : stop + 16] < 128).sum() == before
    assert cleaned[60:68, 640:648].min() == 255
