"""Words of place names outside Vietnamese syllable structure (Đắk, Krông; Ea, Pleiku, M'Đrắk, R'Lấp).

Names from the languages of the Central Highlands break the syllable structure the lexicon checks. Two kinds:
- marked syllables of letters that spell no other syllable (Đắk, Lắk, Krông, Păh: `place_name_syllables`): the
  lexicon admits them, and the decoder weighs them like any syllable;
- the rest, place words (`place_words`): unmarked ones (Ea, Mil, Kbang), which a heading's garble rule and the fuzzy
  search turned into syllables (HUYỆN EA KAR → HUYỆN VÀ KAR), and those with an apostrophe (M'Đrắk, H'Leo), which no
  syllable could restore. A capitalised token with the letters of one, marks aside, gets the name's spelling as a
  candidate at no channel cost, in the token's own case letter by letter (`place_spelling`); the context can overrule
  it (Tir, a ward's name, is also how English-model OCR reads Từ). The language model reads it as `tokens.PLACE`: a
  word of its own, learnt from the corpus and the unit names, not the unknown word, after which the model expects
  more unknown words and few Vietnamese ones.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from pathlib import Path

from diacritics.syllables import apply_case, has_marks, is_valid_syllable, normalize_tone, strip_marks

PLACE_WORDS_FILE = "vi_place_words.tsv"
APOSTROPHES = "'’"
_WORD_RE = re.compile(rf"[^\W\d_]+(?:[{APOSTROPHES}][^\W\d_]+)*")
_ROMAN_RE = re.compile(r"[ivx]+")  # Phường II, Quận IV: numbers, not words
_TYPE_NOTE_RE = re.compile(r"\s*\([^)]*\)$")


def plain_admin_name(name: str) -> str:
    """A unit name of `vietnamadminunits` without the unit type it appends to tell namesakes apart (Cao Lãnh
    (Huyện), Cao Lãnh (Thành phố))."""
    return _TYPE_NOTE_RE.sub("", name)


def place_name_syllables(names: list[str]) -> frozenset[str]:
    """The marked syllables of place names that Vietnamese syllable structure does not allow (Đắk, Lắk, Krông, Prông),
    lower case: the lexicon admits them as spelled. Unmarked ones (Ea, Yang) are left to `place_words`."""
    syllables = {s for name in names for s in name.lower().split()}
    return frozenset(
        s for s in syllables if len(s) > 1 and s.isalpha() and has_marks(s) and not is_valid_syllable(normalize_tone(s))
    )


def _is_word(word: str) -> bool:
    """Whether a name's word is one of letters (and apostrophes), more than one, and no Roman numeral."""
    return bool(_WORD_RE.fullmatch(word)) and len(word) > 1 and not _ROMAN_RE.fullmatch(word)


def place_key(word: str) -> str:
    """The letters of a word as a place word is looked up: lower case, no marks, one kind of apostrophe."""
    return strip_marks(word.lower()).replace("’", "'")


def place_words(names: list[str]) -> dict[str, str]:
    """By `place_key`, the spelling (lower case) of each word of the ``names`` that is no Vietnamese syllable and
    whose letters spell neither one (Bă: ba) nor a `place_name_syllables` syllable (Krong: krông); words of one letter
    and Roman numerals are left out. Of two spellings, the one more names use wins (the first seen on a tie; list a
    province or district name twice to prefer its spelling: M'Đrắk, not the town's M'Drắk)."""
    taken = {strip_marks(s) for s in place_name_syllables(names)}
    counts: Counter[str] = Counter()
    for name in names:
        for word in name.lower().split():
            if _is_word(word) and not is_valid_syllable(normalize_tone(word)):
                counts[word.replace("’", "'")] += 1
    by_key: dict[str, str] = {}
    for word, _ in counts.most_common():  # most common first, ties in the order first seen
        key = place_key(word)
        if key not in taken and not is_valid_syllable(key):
            by_key.setdefault(key, word)
    return by_key


def write_place_words(words: dict[str, str], path: Path) -> None:
    """The place words as a two-column TSV (key, spelling), sorted by key."""
    path.write_text("".join(f"{key}\t{words[key]}\n" for key in sorted(words)), encoding="utf-8")


def load_place_words(model_dir: Path) -> dict[str, str]:
    """The place words of ``model_dir`` by key (empty where the model has none)."""
    path = model_dir / PLACE_WORDS_FILE
    if not path.exists():
        return {}
    rows = (line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line)
    return {key: spelling for key, spelling in rows}


def is_place_word(word: str, keys: Collection[str]) -> bool:
    """Whether a token is read as a place word: capitalised, with the letters of one of the ``keys`` (`place_key`)."""
    return word[:1].isupper() and place_key(word) in keys


def place_spelling(word: str, words: dict[str, str]) -> str | None:
    """How the place name spells a ``word`` read as one of the ``words`` (see `is_place_word`), in the word's own
    case letter by letter and with its own apostrophe; None for any other word."""
    if not is_place_word(word, words):
        return None
    spelling = words[place_key(word)]
    if len(spelling) != len(word):  # a letter whose lower case is longer (İ): the word's case as a whole
        return apply_case(spelling, word)
    return "".join(
        w if c in APOSTROPHES else c.upper() if w.isupper() else c for c, w in zip(spelling, word, strict=True)
    )
