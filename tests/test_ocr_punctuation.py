"""Punctuation that speckle and small type make Tesseract misread: checked on the page or mended in the text."""

from __future__ import annotations

from dataclasses import replace

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
        ("Tháp,ngày", "Tháp, ngày"),  # the space after a comma, lost
        ("xã;Phường", "xã; Phường"),
        ("dẫn.,.", "dẫn,"),  # specks beside a comma
        ("47/2018/TT-BCT,;", "47/2018/TT-BCT,"),
        ("40.1.TL..2.12.", "40.1.TL.2.12."),  # ... beside a point inside a code
    ],
)
def test_specks_read_as_marks_are_dropped_and_lost_spaces_restored(read: str, meant: str) -> None:
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
        "0,75",
        "1,5mm",
        "v.v.;",
        "nữa...",
        "OCOP.”",
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


@pytest.mark.parametrize(
    ("printed", "read", "meant"), [(",", "nạn;", "nạn,"), (".", "nạn:", "nạn."), (";", "nạn;", "nạn;")]
)
def test_a_speck_above_a_comma_or_full_stop_is_not_the_dot_of_a_semicolon_or_colon(
    printed: str, read: str, meant: str
) -> None:
    grey, word = draw_word("nạn", printed, read)
    left, top, width, height = word.bbox
    speckled = grey.copy()
    speckled[top - 10 : top - 4, left + width - 16 : left + width - 10] = 0  # at the height of the tone marks
    word = replace(word, bbox=(left, top - 12, width, height + 12))  # Tesseract's box holds the speck
    assert fix_punctuation((word,), speckled)[0].text == meant


def test_pieces_of_a_letter_broken_on_a_faded_copy_are_not_punctuation() -> None:
    grey, word = draw_word("đồng", ";", "đồng:")
    broken = grey.copy()
    ink_rows = np.flatnonzero((grey < 128).any(axis=1))
    middle = (ink_rows[0] + ink_rows[-1]) // 2 + 6
    g_left = word.bbox[0] + word.bbox[2] - 50
    broken[middle : middle + 3, g_left : g_left + 30] = 255  # the g cut in two, under the x-height
    assert fix_punctuation((word,), broken)[0].text == "đồng;"


def test_a_footnote_number_opening_a_line_is_not_taken_for_a_speck() -> None:
    image = Image.new("L", (700, 140), 255)
    draw = ImageDraw.Draw(image)
    draw.text((20, 28), "7", font=load_font("DejaVu Serif", "regular", 30), fill=0)  # "⁷ Hội chợ", 13 pt at 300 dpi
    draw.text((58, 20), "Hội chợ", font=load_font("DejaVu Serif", "regular", 54), fill=0)
    draw.text((600, 28), "7", font=load_font("DejaVu Serif", "regular", 30), fill=0)  # the same blob, alone
    grey = np.asarray(image)
    assert (grey[:, :50] < 128).sum() <= 150  # as small as a dot of dust
    cleaned = remove_specks(grey, 300)
    assert (cleaned[:, :50] < 128).sum() == (grey[:, :50] < 128).sum()
    assert (cleaned[:, 590:] < 128).sum() == 0


def test_a_lone_point_before_a_lower_case_word_is_a_speck() -> None:
    def word(text: str, left: int, line: int = 1) -> OcrWord:
        return OcrWord(text, 0.9, (left, 20, 30, 40), (1, 1, line))

    words = (word("phân", 0), word(".", 40), word("hạng", 60), word(".", 100), word("Về", 120), word(",", 160),
             word("bản", 10, line=2), word(".", 40, line=2), word("Quyết", 10, line=3))  # fmt: skip
    grey = np.full((100, 200), 255, np.uint8)
    assert [w.text for w in fix_punctuation(words, grey)] == ["phân", "hạng", ".", "Về", "bản", ".", "Quyết"]
