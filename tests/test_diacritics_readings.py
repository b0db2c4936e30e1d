"""OCR readings seen in the renders make candidates of words too far from the token for the edit limit."""

from __future__ import annotations

from pathlib import Path

from rapidfuzz.distance import Levenshtein

from diacritics import Restorer, default_restorer
from diacritics.candidates import WORD_PAIRS_FILE, max_edits, read_readings
from tests.model_dirs import model_dir_with

OCR_LINE = "Ké hoach dutge phé duyét"  # English-model OCR of "Kế hoạch được phê duyệt"


def test_readings_map_a_token_to_the_keys_of_the_words_it_was_read_for(tmp_path: Path) -> None:
    pairs = tmp_path / WORD_PAIRS_FILE
    pairs.write_text(
        "intended\tobserved\tcount\nchức\tchife\t28\nChức\tChife\t3\nvà\tva\t1294\n08/2014/NĐ-CP\t08/2014/ND-CP\t2\n",
        encoding="utf-8",
    )
    assert read_readings(pairs) == {"chife": {"chuc"}}  # case folded; same letters and codes left out
    assert read_readings(tmp_path / "missing.tsv") == {}


def test_a_reading_too_far_for_the_edit_limit_becomes_a_candidate(tmp_path: Path) -> None:
    index = default_restorer().index
    assert Levenshtein.distance("dutge", "duoc") > max_edits("dutge")  # beyond the edit limit
    assert "được" in [index.vocab[i] for i in index.lookup("dutge").ids]
    assert Restorer.load().restore(OCR_LINE).text == "Kế hoạch được phê duyệt"
    without = Restorer.load(model_dir_with(tmp_path, WORD_PAIRS_FILE, None)).restore(OCR_LINE).text
    assert "được" not in without
