"""Vietnamese syllable helpers: marks, tone placement, structure check and casing."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
_MODIFIERS = "\u0302\u0306\u031b"  # circumflex (â ê ô), breve (ă), horn (ơ ư)
_VOWELS = set("aăâeêioôơuưy")
PLAIN_VOWELS = frozenset("aeiouy")  # the vowel letters as written without marks
_MODIFIED_VOWELS = set("ăâêôơư")
_STRIP_TABLE = str.maketrans({"đ": "d", "Đ": "D"})
# the lower-case letters that spell Vietnamese syllables: a-z, đ, and each vowel bare and with each tone mark
LOWER_LETTERS = "".join(
    sorted(
        set("abcdefghijklmnopqrstuvwxyzđ")
        | _VOWELS
        | {unicodedata.normalize("NFC", vowel + tone) for vowel in _VOWELS for tone in TONE_MARKS}
    )
)

_ONSETS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
# rhymes ending in a vowel (a semivowel coda included: ai, iêu, uây), and nuclei that take a consonant coda
_OPEN_RHYMES = (
    "uya|uyu|uây|oai|oay|oao|oeo|iêu|yêu|uôi|ươi|ươu|ai|ao|au|ay|âu|ây|eo|êu|iu|oi|ôi|ơi|ui|ưi|ưu|"
    "ia|ua|ưa|oa|oe|uê|uy|uơ|a|e|ê|i|o|ô|ơ|u|ư|y"
)
_CLOSED_NUCLEI = "uyê|iê|yê|uô|ươ|oa|oă|oe|uâ|uê|uy|oo|a|ă|â|e|ê|i|o|ô|ơ|u|ư|y"
_CODAS = "ng|nh|ch|c|m|n|p|t"
_SYLLABLE_RE = re.compile(rf"^(?:{_ONSETS})?(?:{_OPEN_RHYMES}|(?:{_CLOSED_NUCLEI})(?:{_CODAS}))$")
_STOP_CODAS = ("c", "ch", "p", "t")
_MAX_MEMOISED = 32  # characters of a text whose `strip_marks` is memoised (any word, letter or OCR token)


def strip_marks(text: str) -> str:
    """Remove every Vietnamese diacritic (tone and vowel marks) and map đ→d."""
    return _strip_word(text) if len(text) <= _MAX_MEMOISED else _strip(text)


@lru_cache(maxsize=1 << 16)
def _strip_word(word: str) -> str:
    """`strip_marks` of a word or a letter, memoised: the restorer asks for the same ones again and again, and a
    longer text (a line, a document) is not kept."""
    return _strip(word)


def _strip(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_STRIP_TABLE))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def clear_caches() -> None:
    """Empty the process-wide memos of `strip_marks` and `normalize_tone` (for a cold speed measurement)."""
    _strip_word.cache_clear()
    normalize_tone.cache_clear()


def split_tone(syllable: str) -> tuple[str, str]:
    """Split a syllable into its toneless form (vowel marks kept) and its tone mark ('' for ngang)."""
    tone = ""
    kept = []
    for c in unicodedata.normalize("NFD", syllable):
        if c in TONE_MARKS:
            tone = c
        else:
            kept.append(c)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def _onset_length(base: str) -> int:
    """Length of the onset consonant cluster of a toneless lower-case syllable."""
    low = base.lower()
    if low.startswith(("qu", "gi")) and len(low) > 2 and low[2] in _VOWELS:
        return 2
    i = 0
    while i < len(low) and low[i] not in _VOWELS:
        i += 1
    return i


def _tone_position(base: str) -> int | None:
    """Index of the vowel carrying the tone in modern placement (hóa, ủy, thúy, quý, hoàng)."""
    low = base.lower()
    start = _onset_length(low)
    end = start
    while end < len(low) and low[end] in _VOWELS:
        end += 1
    if end == start:
        return None
    vowels = range(start, end)
    for i in vowels:
        if low[i] in _MODIFIED_VOWELS:
            if low[i] == "ư" and i + 1 < end and low[i + 1] == "ơ":
                continue
            return i
    n = end - start
    has_coda = end < len(low)
    if n == 1:
        return start
    if n == 3 or has_coda:
        return start + 1 if n == 3 else end - 1
    return start


def place_tone(base: str, tone: str) -> str:
    """Put a tone mark on a toneless syllable following the modern convention."""
    if not tone:
        return base
    pos = _tone_position(base)
    if pos is None:
        return base
    marked = unicodedata.normalize("NFC", unicodedata.normalize("NFD", base[pos]) + tone)
    return base[:pos] + marked + base[pos + 1 :]


@lru_cache(maxsize=1 << 16)
def normalize_tone(syllable: str) -> str:
    """Rewrite a syllable with modern tone placement (hoá→hóa, uỷ→ủy); NFC. A word that spells no
    syllable keeps its mark where it is (thuféng, OCR of thường: the é stands where the ờ did)."""
    text = unicodedata.normalize("NFC", syllable)
    base, tone = split_tone(text)
    return place_tone(base, tone) if tone and _SYLLABLE_RE.match(base.lower()) else text


def is_valid_syllable(syllable: str) -> bool:
    """Whether a lower-case word has the structure of a Vietnamese syllable (onset, rhyme, tone)."""
    base, tone = split_tone(syllable)
    if not _SYLLABLE_RE.match(base):
        return False
    return not base.endswith(_STOP_CODAS) or tone in ("\u0301", "\u0323")


def has_marks(text: str) -> bool:
    """Whether a text carries any Vietnamese diacritic (or đ)."""
    return strip_marks(text) != text


_MIN_LETTERS_WITH_A_SMALL_ONE = 4  # an UPPER word with one letter read small (not ThS, TTg)


def apply_case(word: str, pattern: str) -> str:
    """Give a lower-case word the casing of ``pattern`` (UPPER, Title or lower). A word of four letters or more with
    one small letter is UPPER too: OCR reads a marked capital as a small letter (PiCH for ĐÍCH); not so a code
    (490/QĐ-TTg). A capital I that the word reads as l is OCR's reading of a small l (quản Iy for quản lý)."""
    letters = [c for c in pattern if c.isalpha()]
    if not letters:
        return word
    small = sum(not c.isupper() for c in letters)
    one_small = small == 1 and len(letters) >= _MIN_LETTERS_WITH_A_SMALL_ONE and pattern.isalpha()
    if len(letters) > 1 and (small == 0 or one_small):
        return word.upper()
    if letters[0].isupper() and not (letters[0] == "I" and word.startswith("l")):
        return word[:1].upper() + word[1:]
    return word
