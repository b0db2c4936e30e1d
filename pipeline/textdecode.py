"""Bytes → NFC text: BOMs, UTF-8, UTF-16, Windows-1258 and the legacy TCVN3/VNI font encodings.

Legacy candidates are told apart by how many of their words are well-formed Vietnamese syllables, so no
word list is involved. Text that was already decoded the wrong way (UTF-8 or TCVN3/VNI bytes read as
Windows-1252) is repaired the same way.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from diacritics.syllables import is_valid_syllable
from diacritics.tokens import settle_invisible
from pipeline.legacy_encodings import chars_of_bytes, decode_cp1252, decode_tcvn3, decode_vni, encode_cp1252

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_Decoder = tuple[str, Callable[[bytes], str]]
_LEGACY: tuple[_Decoder, ...] = (("tcvn3", decode_tcvn3), ("vni", decode_vni))
_EIGHT_BIT: tuple[_Decoder, ...] = (*_LEGACY, ("cp1252", decode_cp1252))  # challengers to Windows-1258
# What UTF-8 mojibake may decode to: Latin letters, combining marks, punctuation, currency and letterlike symbols.
_MOJIBAKE_TARGETS = ((0x00A0, 0x036F), (0x1E00, 0x1EFF), (0x2000, 0x20CF), (0x2100, 0x214F))
_WORD_RE = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ]+")  # runs of Latin letters
_NEUTRAL_SYMBOLS = frozenset("\u00a0“”‘’–—…•°·«»×§©®™€")
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
_MAX_CONTROL_SHARE = 0.02  # more control/unassigned characters than this share (and count): binary junk
_MAX_CONTROL_CHARS = 3
_UTF16_SAMPLE = 4096
_LIGATURES = str.maketrans({chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)})  # ﬁ → fi


@dataclass(frozen=True)
class _Score:
    """How Vietnamese a text looks: well-formed and ill-formed non-ASCII words, and stray symbols."""

    valid: int
    invalid: int

    @property
    def value(self) -> int:
        return self.valid - self.invalid


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes to NFC text without NUL characters; returns (text, encoding name).

    Raises ValueError when the bytes are binary junk rather than text.
    """
    text, encoding = _decode_bytes(data)
    text, repair = repair_text(unicodedata.normalize("NFC", text.replace("\x00", "")))
    if repair:
        encoding = f"{encoding}+{repair}"
    if _looks_binary(text):
        raise ValueError(f"binary content, not text (decoded as {encoding})")
    if b"\x00" in data and not text.strip():
        raise ValueError("no text, only NUL bytes and blanks")
    return text, encoding


def repair_text(text: str) -> tuple[str, str]:
    """Undo mojibake in already decoded text; returns (NFC text, what was repaired or '').

    Fixes UTF-8 read as Windows-1252 ("Káº¿" → "Kế") and TCVN3/VNI bytes read as Windows-1252
    ("KÕ ho¹ch", "Keá hoaïch" → "Kế hoạch"), the latter only where it makes clearly more valid syllables;
    spells out the Latin ligatures of PDF text layers ("ﬁ" → "fi"), so that words match as typed; and settles
    invisible characters (see `diacritics.tokens.settle_invisible`).
    """
    fixed = _fix_utf8_mojibake(text)
    repairs = ["utf-8-mojibake"] if fixed != text else []
    spelled = fixed.translate(_LIGATURES)
    if spelled != fixed:
        fixed = spelled
        repairs.append("ligatures")
    fixed, legacy = _fix_legacy_mojibake(fixed)
    if legacy:
        repairs.append(f"{legacy}-mojibake")
    visible = settle_invisible(fixed)  # after the legacy repair: TCVN3 byte 0xAD, read as cp1252, is ư
    if visible != fixed:
        fixed = visible
        repairs.append("invisible")
    return unicodedata.normalize("NFC", fixed), "+".join(repairs)


def _decode_bytes(data: bytes) -> tuple[str, str]:
    """Pick the decoding of the raw bytes (before any mojibake repair)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name.removesuffix("-sig"), errors="replace"), name
    utf16 = _sniff_utf16(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    whole = _decode_eight_bit(data)
    mixed = _decode_mixed_lines(data)
    if mixed is not None and _score(mixed[0]).value > _score(whole[0]).value:
        return mixed
    return whole


def _decode_eight_bit(data: bytes) -> tuple[str, str]:
    """Decode as Windows-1258 unless a legacy font encoding (or Windows-1252) reads clearly better."""
    text = unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
    return _pick_decoding(data, ("cp1258", text), _EIGHT_BIT)


def _decode_mixed_lines(data: bytes) -> tuple[str, str] | None:
    """Lines that are valid non-ASCII UTF-8 decoded as UTF-8, the other lines together as 8-bit text.

    None when no line is non-ASCII UTF-8 (a file pasted together from differently encoded parts has some).
    """
    lines = data.split(b"\n")
    utf8 = [_decode_utf8_or_none(line) for line in lines]
    if not any(text is not None and not text.isascii() for text in utf8):
        return None
    legacy, name = _decode_eight_bit(b"\n".join(line for line, text in zip(lines, utf8, strict=True) if text is None))
    decoded = iter(legacy.split("\n"))
    return "\n".join(text if text is not None else next(decoded, "") for text in utf8), f"utf-8+{name}"


def _decode_utf8_or_none(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _pick_decoding(data: bytes, baseline: tuple[str, str], challengers: tuple[_Decoder, ...]) -> tuple[str, str]:
    """The (text, name) of the best-scoring challenger if it is clearly better than the baseline (name, text)."""
    name, text = baseline
    best_name, best_text, best = name, text, _score(text)
    for challenger, decode in challengers:
        candidate = unicodedata.normalize("NFC", decode(data))
        score = _score(candidate)
        if score.value > best.value:
            best_name, best_text, best = challenger, candidate, score
    if best_name != name and _clearly_better(best, _score(text)):
        return best_text, best_name
    return text, name


def _sniff_utf16(data: bytes) -> str:
    """'utf-16-le' / 'utf-16-be' when NUL bytes fill one byte of most pairs, as in BOM-less UTF-16; else ''."""
    sample = data[:_UTF16_SAMPLE]
    pairs = len(sample) // 2
    if pairs < 2 or len(data) % 2:
        return ""
    even_nuls = sample[0::2].count(0) / pairs
    odd_nuls = sample[1::2].count(0) / pairs
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return ""


def _looks_binary(text: str) -> bool:
    """Whether too many characters are controls, unassigned or replacement characters."""
    if not text:
        return False
    bad = sum(
        1
        for c in text
        if c == "\ufffd" or (unicodedata.category(c) in ("Cc", "Cn", "Co") and c not in _ALLOWED_CONTROLS)
    )
    return bad > max(_MAX_CONTROL_SHARE * len(text), _MAX_CONTROL_CHARS)


def _char_class(first: int, last: int) -> str:
    """A regex character class of the characters standing for bytes first..last in mojibake."""
    return "[" + re.escape(chars_of_bytes(first, last)) + "]"


_CONT = _char_class(0x80, 0xBF)
_UTF8_MOJIBAKE_RE = re.compile(
    f"{_char_class(0xC2, 0xDF)}{_CONT}|{_char_class(0xE0, 0xEF)}{_CONT}{{2}}|{_char_class(0xF0, 0xF4)}{_CONT}{{3}}"
)


def _fix_utf8_mojibake(text: str) -> str:
    """Re-decode runs that are UTF-8 sequences read as Windows-1252, unless that makes fewer valid syllables."""

    def fix(match: re.Match[str]) -> str:
        raw = encode_cp1252(match.group())
        try:
            fixed = raw.decode("utf-8") if raw is not None else ""
        except UnicodeDecodeError:
            return match.group()
        ok = any(lo <= ord(fixed) <= hi for lo, hi in _MOJIBAKE_TARGETS) if fixed else False
        return fixed if ok else match.group()

    fixed = _UTF8_MOJIBAKE_RE.sub(fix, text)
    return fixed if _score(unicodedata.normalize("NFC", fixed)).value >= _score(text).value else text


def _fix_legacy_mojibake(text: str) -> tuple[str, str]:
    """Re-decode Windows-1252 lines as TCVN3 or VNI when that yields clearly more valid syllables."""
    lines = text.split("\n")
    raw_lines = [encode_cp1252(line) for line in lines]
    encodable = b"\n".join(raw for raw in raw_lines if raw is not None and not raw.isascii())
    if not encodable:
        return text, ""
    _, name = _pick_decoding(encodable, ("", decode_cp1252(encodable)), _LEGACY)
    if not name:
        return text, ""
    decode = dict(_LEGACY)[name]
    repaired = [line if raw is None else decode(raw) for line, raw in zip(lines, raw_lines, strict=True)]
    return "\n".join(repaired), name


def _clearly_better(candidate: _Score, current: _Score) -> bool:
    """Whether a re-decoding is worth applying: most of its words valid and far more than before."""
    total = candidate.valid + candidate.invalid
    return candidate.valid >= 0.8 * total and candidate.value - current.value >= max(2, total // 4)


def _score(text: str) -> _Score:
    """Count non-ASCII words that are (valid) and are not (invalid) Vietnamese syllables; stray symbols are invalid."""
    valid = invalid = 0
    for match in _WORD_RE.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        if _has_plain_case(word) and is_valid_syllable(word.lower()):
            valid += 1
        else:
            invalid += 1
    stray = sum(1 for c in _WORD_RE.sub("", text) if not c.isascii() and c not in _NEUTRAL_SYMBOLS)
    return _Score(valid, invalid + stray)


def _has_plain_case(word: str) -> bool:
    """Whether a word is lower, Title or UPPER case, or UPPER with lower-case marked letters (TCVN3 capitals)."""
    if word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower()):
        return True
    return all(c.isupper() if c.isascii() else c.islower() for c in word)
