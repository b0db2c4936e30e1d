"""An upper-case word one OCR slip away from an acronym the text uses often reads as that acronym (OCORP → OCOP)."""

from __future__ import annotations

from collections import Counter

from diacritics import restore
from diacritics.acronym_slips import acronym_slips

KNOWN = frozenset({"OCOP", "UBND", "HĐND", "BNN", "BNV"})


def test_an_added_or_misread_letter_of_a_frequent_acronym() -> None:
    words = Counter({"OCOP": 5, "OCORP": 1, "OQOP": 2, "UBND": 9, "VBND": 1, "OCOPS": 1})
    assert acronym_slips(words, KNOWN) == {"OCORP": "OCOP", "OQOP": "OCOP", "VBND": "UBND", "OCOPS": "OCOP"}


def test_what_is_not_read_as_an_acronym() -> None:
    assert acronym_slips(Counter({"OCOP": 4, "OCORP": 1}), KNOWN) == {}  # written right too rarely
    assert acronym_slips(Counter({"BNN": 9, "BNX": 1}), KNOWN) == {}  # too short
    assert acronym_slips(Counter({"OCOP": 9, "OCP": 1, "OCORPS": 1, "Ocorp": 1}), KNOWN) == {}  # a lost letter,
    # two slips, not upper-case
    assert acronym_slips(Counter({"UBND": 9, "HĐND": 9, "UĐND": 1}), KNOWN) == {}  # near two acronyms


def test_english_model_ocr_of_a_plan_reads_its_acronym() -> None:
    lines = ["Trién khai Chwong trinh OCOP nim 2021, ho tro cac chu thé OCOP."] * 3
    text = "\n".join([*lines, "Nang hang san phdm OCORP, tich cuc."])
    assert restore(text).text.splitlines()[-1] == "Nâng hạng sản phẩm OCOP, tích cực."
