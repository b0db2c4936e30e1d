"""Personal names as a second source of the capitalised words inside a sentence.

A legal corpus holds almost no people or shop names, so its language model turns "Huỳnh Minh Tuấn" into
"Huỳnh Mình Tuần" and "Trà Phương Anh" into "Trả Phương Ảnh". Where a name may stand (a capitalised word inside a
sentence, next to another), the language model is adapted by unigram rescaling (Kneser, Peters and Klakow 1997):
P'(w | h) ∝ P(w | h) · P_A(w) / P(w), where the adapted unigram P_A = (1 - `NAME_SHARE`) P(w) + `NAME_SHARE`
P_name(w) mixes in the syllables of Vietnamese personal names. The factor depends on the word only, so it is a
channel cost, and the context keeps its say: "Pông Hà" still reads as Đông Hà. The name syllables and their counts
come from the given-name and family-name lists shipped in the `vn-fullname-generator` wheel (MIT licence), read by
the model build only.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from importlib.resources import files
from pathlib import Path

import numpy as np

from diacritics.syllables import is_valid_syllable, normalize_tone
from diacritics.tokens import Token, joined

NAME_FILE = "vi_name_syllables.tsv"
NAME_PACKAGE = "vn_fullname_generator"
GIVEN_NAME_FILES = ("male.name", "female.name")  # two-syllable given names (middle + given), one per line
FAMILY_NAME_FILE = "first.name"  # family names, one per line
FAMILY_NAME_WEIGHT = 30  # each family name counts this often: about a tenth of the syllables, as in a full name
NAME_SHARE = 0.1  # weight of the name syllables in the adapted unigram of a name position


def _syllables(line: str) -> list[str]:
    """The lower-case, NFC, tone-normalised syllables of a name (Ð, the Icelandic eth some lists use, read as Đ)."""
    line = unicodedata.normalize("NFC", line.replace("Ð", "Đ").replace("ð", "đ"))
    return [normalize_tone(s) for s in line.lower().split()]


def count_name_syllables() -> Counter[str]:
    """Counts of the valid syllables in the name lists of the `vn-fullname-generator` wheel, family names weighted
    by `FAMILY_NAME_WEIGHT`."""
    data = files(NAME_PACKAGE).joinpath("data")
    counts: Counter[str] = Counter()
    for name, weight in [(f, 1) for f in GIVEN_NAME_FILES] + [(FAMILY_NAME_FILE, FAMILY_NAME_WEIGHT)]:
        for line in data.joinpath(name).read_text(encoding="utf-8").splitlines():
            for syllable in _syllables(line):
                if is_valid_syllable(syllable):
                    counts[syllable] += weight
    return counts


def write_name_syllables(counts: Counter[str], path: Path) -> None:
    """The name syllables as a two-column TSV (syllable, count), most frequent first."""
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    path.write_text("".join(f"{s}\t{n}\n" for s, n in rows), encoding="utf-8")


def load_name_costs(model_dir: Path, ids: dict[str, int], unigram: np.ndarray) -> np.ndarray | None:
    """Per vocabulary id, the cost -log(P_A(w) / P(w)) added to a candidate in a name position (negative for name
    syllables rarer in the corpus than in names); ``ids``: the vocabulary's ids, ``unigram``: the language model's
    log P(w). None without a name file."""
    path = model_dir / NAME_FILE
    if not path.exists():
        return None
    counts = np.zeros(len(unigram))
    for line in path.read_text(encoding="utf-8").splitlines():
        syllable, count = line.split("\t")
        if syllable in ids:
            counts[ids[syllable]] = float(count)
    ratio = counts / counts.sum() / np.exp(unigram.astype(np.float64))
    return (-np.log((1.0 - NAME_SHARE) + NAME_SHARE * ratio)).astype(np.float32)


def is_titled(word: str) -> bool:
    """Whether a word is written with an upper-case initial and lower-case letters after it (Tuấn, C)."""
    return word[:1].isupper() and word[1:] == word[1:].lower()


def capital_initials(text: str, tokens: list[Token]) -> list[bool]:
    """For each token, whether it is a word with an upper-case initial (Title or UPPER case)."""
    return [tok.kind == "word" and text[tok.start].isupper() for tok in tokens]


def name_positions(text: str, tokens: list[Token], capital: list[bool]) -> list[bool]:
    """For each token, whether it may be part of a name: a capitalised word inside a sentence (not the first word of
    a line or after a sentence break) whose neighbour on the same line is a capitalised word too. ``capital``: see
    `capital_initials`."""
    titled = [up and is_titled(text[tok.start : tok.end]) for tok, up in zip(tokens, capital, strict=True)]
    last = len(tokens) - 1
    out = [False] * len(tokens)
    for i in range(1, len(tokens)):
        if titled[i] and joined(text, tokens, i - 1):
            out[i] = titled[i - 1] or (i < last and titled[i + 1] and joined(text, tokens, i))
    return out


def capitalised_pairs(text: str, tokens: list[Token], capital: list[bool]) -> np.ndarray:
    """For each token, whether it and the token before are words with an upper-case initial (``capital``, see
    `capital_initials`) in one sentence, on one line: where two syllables of a place name may stand (Sóc Trăng,
    ĐỒNG THÁP)."""
    return np.array(
        [i > 0 and capital[i] and capital[i - 1] and joined(text, tokens, i - 1) for i in range(len(tokens))],
        dtype=bool,
    )
