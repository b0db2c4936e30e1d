"""Byte↔text tables for the pre-Unicode Vietnamese font encodings TCVN3 (ABC) and VNI.

Both are 8-bit "font hacks": the bytes are ordinary Windows-1252 codes that a .VnTime or VNI-Times font
draws as Vietnamese letters. TCVN3 gives each lower-case letter (and seven capitals) its own byte; VNI
writes a base letter followed by one modifier byte for the vowel mark and tone.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from diacritics.tokens import LETTER_RUN_RE

# TCVN3 (TCVN 5712:1993, ABC): byte → letter. Toned capitals have no code; .VnTimeH fonts draw the lower-case codes.
_TCVN3_LETTERS = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip

# VNI modifier bytes (as their Windows-1252 lower-case characters): the combining marks each one adds.
_VNI_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_CIRCUMFLEX = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
# Letters VNI writes as one byte: i with a tone, ỵ, ơ, ư, đ.
_VNI_SINGLE = {"í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ", "ô": "ơ", "ö": "ư", "ñ": "đ"}


def _cp1252_char(byte: int) -> str:
    """The Windows-1252 character of a byte; the Latin-1 control character where 1252 has none."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


CP1252_CHARS = tuple(_cp1252_char(b) for b in range(256))
# Text read as Latin-1 holds C1 controls where Windows-1252 has letters: accept both when encoding back.
_CP1252_BYTES = {chr(b): b for b in range(0x80, 0xA0)} | {c: b for b, c in enumerate(CP1252_CHARS)}


def chars_of_bytes(first: int, last: int) -> str:
    """Every character that `encode_cp1252` maps to a byte in first..last."""
    return "".join(c for c, b in _CP1252_BYTES.items() if first <= b <= last)


def decode_cp1252(data: bytes) -> str:
    """Decode bytes as Windows-1252, keeping its five undefined bytes as Latin-1 control characters."""
    return "".join(CP1252_CHARS[b] for b in data)


def encode_cp1252(text: str) -> bytes | None:
    """The inverse of `decode_cp1252` (C1 controls map to their own byte); None if a character has no byte."""
    try:
        return bytes(_CP1252_BYTES[c] for c in text)
    except KeyError:
        return None


_TCVN3_DECODE = tuple(_TCVN3_LETTERS.get(b, CP1252_CHARS[b]) for b in range(256))
_TCVN3_ENCODE = {letter: bytes([b]) for b, letter in _TCVN3_LETTERS.items()}


def decode_tcvn3(data: bytes) -> str:
    """Decode TCVN3 (ABC) bytes to NFC text, upper-casing the marked letters of words typed in capitals."""
    return LETTER_RUN_RE.sub(_restore_capitals, "".join(_TCVN3_DECODE[b] for b in data))


def _restore_capitals(match: re.Match[str]) -> str:
    """Upper-case a word typed in capitals ("HOạCH" → "HOẠCH"): TCVN3 gave its marked letters lower-case codes."""
    word = match.group()
    ascii_letters = [c for c in word if c.isascii()]
    shouting = any(c.isascii() and c.isupper() for c in word[1:]) and not any(c.islower() for c in ascii_letters)
    return word.upper() if shouting else word


def encode_tcvn3(text: str) -> bytes:
    """Encode text as TCVN3; toned capitals are written with their lower-case codes, as .VnTimeH fonts did."""
    out = bytearray()
    for c in unicodedata.normalize("NFC", text):
        code = _TCVN3_ENCODE.get(c) or _TCVN3_ENCODE.get(c.lower())
        out += code if code is not None else c.encode("cp1252")
    return bytes(out)


_TONE_BYTE = {mark: byte for byte, mark in _VNI_TONES.items()} | {"": ""}
_MODIFIER_BYTES = {
    "\u0302": {mark: byte for byte, mark in _VNI_CIRCUMFLEX.items()},
    "\u0306": {mark: byte for byte, mark in _VNI_BREVE.items()},
}
_HORNED = {"o": "ô", "u": "ö"}
_MODIFIED_BASES = {"\u0302": "aeo", "\u0306": "a"}  # â ê ô; ă
_SINGLE_SPELLING = {letter: byte for byte, letter in _VNI_SINGLE.items()}


def _vni_spelling(letter: str) -> str | None:
    """How VNI writes one lower-case Vietnamese letter, or None if it is not a marked Vietnamese letter."""
    if letter in _SINGLE_SPELLING:
        return _SINGLE_SPELLING[letter]
    base, *marks = unicodedata.normalize("NFD", letter)
    tones = [m for m in marks if m in _TONE_BYTE]
    modifiers = [m for m in marks if m not in _TONE_BYTE]
    if base not in "aeouy" or not marks or len(tones) > 1 or len(modifiers) > 1:
        return None
    tone = tones[0] if tones else ""
    if not modifiers:
        return base + _TONE_BYTE[tone]
    modifier = modifiers[0]
    if modifier == "\u031b":
        return _HORNED[base] + _TONE_BYTE[tone] if base in _HORNED else None
    if base not in _MODIFIED_BASES.get(modifier, ""):
        return None
    return base + _MODIFIER_BYTES[modifier][tone]


@cache
def _vni_tables() -> tuple[dict[str, str], dict[str, str], re.Pattern[str]]:
    """VNI spelling of every Vietnamese letter (both cases), its inverse, and a regex over the spellings."""
    spelling: dict[str, str] = {}
    for code in range(0x00C0, 0x1EFA):
        letter = chr(code)
        vni = _vni_spelling(letter) if unicodedata.category(letter) == "Ll" else None
        if vni is not None:
            spelling[letter] = vni
            spelling[letter.upper()] = vni.upper()
    reverse = {vni: letter for letter, vni in spelling.items()}
    pattern = re.compile("|".join(sorted(map(re.escape, reverse), key=len, reverse=True)))
    return spelling, reverse, pattern


def decode_vni(data: bytes) -> str:
    """Decode VNI (VNI-Times) bytes to NFC text."""
    _, reverse, pattern = _vni_tables()
    return pattern.sub(lambda m: reverse[m.group()], decode_cp1252(data))


def encode_vni(text: str) -> bytes:
    """Encode text as VNI: each marked letter becomes its base letter plus modifier bytes."""
    spelling, _, _ = _vni_tables()
    return b"".join(spelling.get(c, c).encode("cp1252") for c in unicodedata.normalize("NFC", text))
