"""Capitalised words that spell no Vietnamese syllable and are words all the same, kept as written.

A general Vietnamese word list holds, besides syllables and compounds, abbreviations (Cty for Công ty, Nxb for Nhà
xuất bản), chemical symbols (Fe, Zn), foreign words (Celsius, Noel) and names of minority peoples (Xtiêng, Kmun).
Written exactly so, with an upper-case initial, such a word is no misread syllable: the restorer keeps it as an
acronym (Cty TNHH, not "Ty TNHH"). `diacritics.abbreviations_build` selects them from a word list into
`ABBREVIATION_FILE`.
"""

from __future__ import annotations

from pathlib import Path

ABBREVIATION_FILE = "vi_abbreviations.txt"


def load_abbreviations(model_dir: Path) -> frozenset[str]:
    """The abbreviations of a model directory (none without the file); lines starting with # are comments."""
    path = model_dir / ABBREVIATION_FILE
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))
