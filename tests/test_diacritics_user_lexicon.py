"""The user lexicon: single words forced everywhere, phrases only where their words stand together."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from diacritics import Restorer
from diacritics.user_lexicon import UserLexicon, lexicon_key, stand_together

LINES = (
    "wrong\tright\n"
    "dac san\tđặc sản\n"
    "SEN\tsên\n"
    "\n"
    "tra phuong anh\tTrà Phương Anh\n"
    "thuy tien\tthủy\n"
    "no tab here\n"
    "cty\tCông ty\n"
    "phuong anh\tPhương Anh\n"
)


@pytest.fixture(scope="module")
def lexicon_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lexicon") / "user.tsv"
    path.write_text(LINES, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def restorer(lexicon_file: Path) -> Restorer:
    """The packaged restorer with the lexicon above."""
    return Restorer.load(user_lexicon=lexicon_file)


def test_entries_are_read_by_their_key_with_their_lines_and_bad_lines_are_reported(lexicon_file: Path) -> None:
    lexicon = UserLexicon.read(lexicon_file)
    assert lexicon.entries == {
        "dac san": "đặc sản",
        "sen": "sên",
        "cty": "Công ty",
        "tra phuong anh": "Trà Phương Anh",
        "phuong anh": "Phương Anh",
    }
    assert lexicon.lines == {"dac san": 2, "sen": 3, "tra phuong anh": 5, "cty": 8, "phuong anh": 9}
    assert [line for line, _ in lexicon.invalid] == [6, 7]
    assert "as many words" in lexicon.invalid[0][1]
    assert lexicon.longest == 3
    assert UserLexicon.read(lexicon_file.parent / "missing.tsv") == UserLexicon()


def test_keys_ignore_case_tone_placement_and_spacing() -> None:
    assert lexicon_key("  Hoà   BÌNH ") == lexicon_key("hòa bình") == "hòa bình"


def test_phrases_are_found_longest_first_and_only_across_white_space(lexicon_file: Path) -> None:
    lexicon = UserLexicon.read(lexicon_file)
    keys = ["co", "so", "tra", "phuong", "anh", "", "phuong", "anh", "dac", "san"]
    joined = [True, True, True, True, False, False, True, True, False]
    assert lexicon.phrases(keys, joined) == [(2, "tra phuong anh"), (6, "phuong anh")]  # "dac, san" stays apart


def test_matches_are_the_phrases_and_the_single_words_outside_them(lexicon_file: Path) -> None:
    lexicon = UserLexicon.read(lexicon_file)
    text = "Cty dac, san sen; dac san Sen 12"
    spans = [(m.start(), m.end(), not m.group().isdigit()) for m in re.finditer(r"\w+", text)]
    assert lexicon.matches(text, spans) == [(0, "cty"), (3, "sen"), (4, "dac san"), (6, "sen")]  # "dac, san" apart
    assert UserLexicon().matches(text, spans) == []


def test_a_phrase_is_forced_where_its_words_stand_together_and_nowhere_else(tmp_path: Path) -> None:
    lexicon = tmp_path / "user.tsv"
    lexicon.write_text("dac san\tđắc sạn\n", encoding="utf-8")  # a reading the model would never choose
    forced = Restorer.load(user_lexicon=lexicon).restore("Gioi thieu dac san cua tinh len San giao dich; dac, san xuat")
    assert forced.text.startswith("Giới thiệu đắc sạn của tỉnh")
    assert forced.text.lower().count("sạn") == 1  # not San of San giao dich, nor the san after "dac,"
    outputs = [t.output for t in forced.tokens if t.original in ("dac", "san")]
    assert outputs[:2] == ["đắc", "sạn"] and outputs[3] == "sản"


def test_a_phrase_keeps_the_case_and_line_break_it_was_written_with(restorer: Restorer) -> None:
    restored = restorer.restore("CAC SAN PHAM DAC SAN\nCo so san xuat Tra\nPhuong Anh")
    assert restored.text == "CÁC SẢN PHẨM ĐẶC SẢN\nCơ sở sản xuất Trà\nPhương Anh"
    changed = {t.original: t.output for t in restored.tokens if t.original in ("DAC", "SAN", "Tra", "Phuong", "Anh")}
    assert changed == {"DAC": "ĐẶC", "SAN": "SẢN", "Tra": "Trà", "Phuong": "Phương", "Anh": "Anh"}


def test_the_cli_forces_a_phrase_and_names_the_lines_it_skipped(tmp_path: Path) -> None:
    lexicon = tmp_path / "user.tsv"
    lexicon.write_text("wrong\tright\ndac san\tđắc sạn\nhai chu\tmột\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "diacritics", "restore", "--user-lexicon", str(lexicon)],
        input=b"gioi thieu dac san cua tinh\n",
        capture_output=True,
        check=True,
    )
    assert done.stdout.decode() == "giới thiệu đắc sạn của tỉnh\n"
    why = "a phrase is restored word for word: give both sides as many words"
    assert done.stderr.decode() == f"{lexicon}:3: skipped: {why}\n"


def test_a_phrase_stays_inside_a_paragraph_and_a_page() -> None:
    assert stand_together(" ") and stand_together(" \n  ") and stand_together("\r\n")
    assert not stand_together("") and not stand_together(", ") and not stand_together("\n\n")
    assert not stand_together("\f")


def test_a_spreadsheet_s_byte_order_mark_does_not_hide_the_header(tmp_path: Path) -> None:
    path = tmp_path / "user.tsv"
    path.write_text("\ufeffwrong\tright\ndac san\tđặc sản\n", encoding="utf-8")
    assert UserLexicon.read(path).entries == {"dac san": "đặc sản"}
