"""Abbreviations and other non-syllable words of a general word list: selected, stored, kept as written."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

from diacritics import Restorer
from diacritics.abbreviations import ABBREVIATION_FILE, load_abbreviations
from diacritics.abbreviations_build import WORD_LIST_MEMBER, select_abbreviations, write_abbreviations
from tests.model_dirs import model_dir_with

OCR_LINE = "C6ng ty va Cty TNHH Nam Huy d4t 4 sao"  # English-model OCR: Công ty và Cty TNHH Nam Huy đạt 4 sao


def test_abbreviations_are_capitalised_single_words_that_are_no_syllable() -> None:
    words = ["Cty", "công ty", "HTX", "Hà", "Fe", "cty", "Nxb", "Xtiêng", "A-đam", "B40", "Cty"]
    assert select_abbreviations(words) == ["Cty", "Fe", "Nxb", "Xtiêng"]


def test_abbreviations_are_read_from_the_npm_tarball_with_their_source(tmp_path: Path) -> None:
    data = "Cty\nđặc sản\nFe\nHTX\n".encode()
    tarball = tmp_path / "dictionary.tgz"
    with tarfile.open(tarball, "w:gz") as archive:
        info = tarfile.TarInfo(WORD_LIST_MEMBER)
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    assert write_abbreviations(tarball, tmp_path / "model") == ["Cty", "Fe"]
    lines = (tmp_path / "model" / ABBREVIATION_FILE).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# @vntk/dictionary") and "sha256" in lines[0]
    assert load_abbreviations(tmp_path / "model") == {"Cty", "Fe"}
    assert load_abbreviations(tmp_path) == frozenset()  # no file: none


def test_an_abbreviation_is_kept_as_written_in_ocr_text(tmp_path: Path) -> None:
    restored = Restorer.load().restore(OCR_LINE).text
    assert restored.startswith("Công ty và Cty TNHH") and restored.endswith("đạt 4 sao")
    without = Restorer.load(model_dir_with(tmp_path, ABBREVIATION_FILE, None)).restore(OCR_LINE).text
    assert "Cty" not in without  # read as a misspelt syllable without the list


def test_the_user_lexicon_overrides_an_abbreviation(tmp_path: Path) -> None:
    lexicon = tmp_path / "user.tsv"
    lexicon.write_text("wrong\tright\ncty\tCông ty\n", encoding="utf-8")
    assert Restorer.load(user_lexicon=lexicon).restore(OCR_LINE).text.startswith("Công ty và Công ty TNHH")


def test_a_listed_word_whose_letters_spell_a_syllable_is_left_to_the_decoder(tmp_path: Path) -> None:
    restorer = Restorer.load(model_dir_with(tmp_path, ABBREVIATION_FILE, "# test\nBiêt\nZqxv\n"))
    assert restorer.abbreviations == {"Zqxv"}  # Biêt: a misspelt biết, not an abbreviation
