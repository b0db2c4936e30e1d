"""Split text into the tokens the restorer reads: words, numbers/codes and sentence breaks.

The same scanner serves the model build (clean corpus) and decoding (OCR text), so the
language model sees the token stream it will be queried with.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal, NamedTuple

from diacritics.syllables import PLAIN_VOWELS, is_valid_syllable, strip_marks

TokenKind = Literal["word", "code", "break"]

BOUNDARY = "<s>"
CODE = "<num>"
UNKNOWN = "<unk>"
ACRONYM = "<acr>"
PLACE = "<place>"  # a place-name word no syllable spells (Ea, M'Đrắk: `place_words`)
AMPERSAND = "&"  # a word of its own: read as và, or OCR for ở ("& các huyện")
AMPERSAND_READING = "và"

_CHUNK_RE = re.compile(r"\S+|\n[ \t\r]*\n|\f")
STRAY_MARKS = "'’"  # quotes OCR reads for a horn or a mark beside a letter (thu'c, phu’0’ng): no letters of their own
OCR_LETTER_NOISE = f"&¢{STRAY_MARKS}@§¥€"  # symbols OCR reads in place of a marked letter (M&i, ngu@i): part of a word
OCR_WORD_SYMBOLS = frozenset("¢¥@")  # never a word of their own in Vietnamese prose: alone, OCR for one (¢ ở, ¥ ý)
_MAX_SYMBOL_WORD = 3  # characters of a letterless word OCR made of such a symbol (¢6 for có)
_PIECE_RE = re.compile(rf"(?:[^\W⁰¹²³⁴⁵⁶⁷⁸⁹]|[{OCR_LETTER_NOISE}])+")  # footnote marks (trình¹) are not part of a word
_BREAK_CHARS = ".!?;:"
_ABBREVIATION_RE = re.compile(r"[^\W\d_]\.[^\W\d_]")  # Co.op, T.P
_GARBLED_RE = re.compile(rf"[^\W\d_][^\w\s.,;:!?()\[\]\"“”/{OCR_LETTER_NOISE}-]+[^\W\d_]")  # T%nh, PCT{EJBND
_EMAIL_RE = re.compile(r"[^@\s]+@[\w-]+\.\w")
_GLUED_MARK_RE = re.compile(r"(?<=[^\W\d_]{2})[.;:!?](?=[^\W\d_]{2})")  # nhân.Điều, Co.op
LETTER_RUN_RE = re.compile(r"[^\W\d_]+")
_UNIT_PREFIX_RE = re.compile(r"[(\[\"“]?([A-ZĐ]{1,3}|T[px])\.(?=[^\W\d_]{2})")  # TP.Hồ, Tp.Cao, TX.Sơn, Q.Ba
SPLIT_MARKS = ".,"  # marks OCR reads inside a word (`join_split_reads`), which carry none of its letters
_SPLIT_MARK_RE = re.compile(rf"[{SPLIT_MARKS}][{STRAY_MARKS}]*")  # such a mark, with the quotes OCR read after it
_ROMAN_RE = re.compile(r"[IVX]+")  # a section's number in a heading (I., IV.)
_CODE_TAIL_RE = re.compile(r"[A-ZĐ][^\W\d_]*")  # the part after a code's hyphen, split off by a space: TTg, UBND
_QUOTES = f"{STRAY_MARKS}_"
_CODE_END = '.,;:!?)]"”'  # punctuation after a code, not part of it
_MAX_DIGITS_IN_WORD = 2
_MAX_MIXED_LENGTH = 7
_ZERO_WIDTH_SPACE = "\u200b"
# Invisible characters of web pages, word processors and PDF text layers: the zero-width space (a word break),
# soft hyphen, zero-width (non-)joiner, word joiner and a byte-order mark inside the text (files pasted together);
# with the whole word before them (matched from its start, so a long run of letters is scanned once) and after.
_INVISIBLE_RE = re.compile(r"(?:(?<!\w)(\w+))?([\u200b\u00ad\u200c\u200d\u2060\ufeff]+)(?=(\w*))")


class Token(NamedTuple):
    """A span of the text: a word to restore, a code/number kept verbatim, or a sentence break (a named tuple: the
    restorer makes one per token, and a tuple is the cheapest immutable record to make)."""

    start: int
    end: int
    kind: TokenKind


def line_start(text: str, position: int) -> int:
    """Where the line that holds ``position`` starts; a form feed (a page break) ends a line too."""
    start = text.rfind("\n", 0, position) + 1
    page = text.rfind("\f", start, position)
    return start if page < 0 else page + 1


def line_end(text: str, position: int) -> int:
    """Where the line that holds ``position`` ends (see `line_start`)."""
    end = text.find("\n", position)
    end = len(text) if end < 0 else end
    page = text.find("\f", position, end)
    return end if page < 0 else page


def joined(text: str, tokens: list[Token], i: int) -> bool:
    """Whether tokens ``i`` and ``i + 1`` stand in one sentence, on one line."""
    return (
        tokens[i].kind != "break"
        and tokens[i + 1].kind != "break"
        and text.find("\n", tokens[i].end, tokens[i + 1].start) < 0
    )


def code_acronym(code: str) -> str | None:
    """The upper-case acronym that ends a code of letters (HĐND of TT/HĐND, UBND of PCT/UBND): the language model
    reads the code as that word, so that the word after it has context (TT/HĐND Tỉnh). None for a code with a digit
    or one whose number was left blank (Số: /KH-UBND): a number to the model."""
    if not code[:1].isalpha() or any(c.isdigit() for c in code):
        return None
    runs = LETTER_RUN_RE.findall(code)
    return runs[-1] if runs and len(runs[-1]) > 1 and runs[-1].isupper() else None


def _is_address(chunk: str) -> bool:
    """Whether a whitespace chunk is a URL or an e-mail address."""
    return ("@" in chunk and bool(_EMAIL_RE.search(chunk))) or "://" in chunk or chunk.lower().startswith("www.")


def _is_protected_chunk(chunk: str) -> bool:
    """Whether a whitespace chunk is a URL, e-mail, code or abbreviation kept whole."""
    if _is_address(chunk):
        return True
    if "/" in chunk and (any(c.isdigit() for c in chunk) or not any(c.islower() for c in chunk)):
        return True  # 122/KH-UBND, TT/HĐND
    core = chunk.strip(".,;:!?()[]\"“”'’")
    return bool(_ABBREVIATION_RE.search(core) or _GARBLED_RE.search(core))


def _classify_piece(piece: str) -> TokenKind | None:
    """Kind of a run of word characters: a word, a code/number, or nothing to model."""
    letters = sum(c.isalpha() for c in piece)
    digits = sum(c.isdigit() for c in piece)
    if not letters:
        if piece == AMPERSAND:
            return "word"
        if len(piece) <= _MAX_SYMBOL_WORD and OCR_WORD_SYMBOLS & set(piece):
            return "word"  # ¢, ¢6, @&: a short word whose every letter OCR misread
        return "code" if digits else None
    # the quotes OCR reads for marks are no characters of the word (phu’0’ng has six)
    if digits > _MAX_DIGITS_IN_WORD or (digits and letters + digits > _MAX_MIXED_LENGTH):
        return "code"
    return "word"


def _scan_chunk(text: str, start: int, end: int, out: list[Token]) -> None:
    chunk = text[start:end]
    if _is_protected_chunk(chunk):
        core = chunk.rstrip(_CODE_END)
        lead = len(core) - len(core.lstrip('(["“'))
        out.append(Token(start + lead, start + len(core), "code"))
    else:
        for m in _PIECE_RE.finditer(chunk):
            piece = m.group()
            lstrip = len(piece) - len(piece.lstrip(_QUOTES))
            piece = piece.strip(_QUOTES)
            kind = _classify_piece(piece) if piece else None
            if kind == "word" and len(piece) == 1 and chunk[m.end() : m.end() + 1] == ")":
                kind = "code"  # an enumeration mark such as a) or đ)
            if kind:
                s = start + m.start() + lstrip
                out.append(Token(s, s + len(piece), kind))
    if chunk[-1] in _BREAK_CHARS:
        out.append(Token(end, end, "break"))


def _glued_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A chunk's spans, cut after a sentence end with no space after it ("nhân.Điều", "năm;Tỉnh"): the mark follows
    two lower-case letters and precedes a capitalised word of lower-case letters (unlike Co.op, TP.HCM, ocop.vn)."""
    if _is_address(text[start:end]):
        return [(start, end)]
    spans = []
    for m in _GLUED_MARK_RE.finditer(text, start, end):
        word = LETTER_RUN_RE.match(text, m.end(), end)
        if text[m.start() - 2 : m.start()].islower() and word and word.group().istitle():
            spans.append((start, m.end()))
            start = m.end()
    return [*spans, (start, end)]


def _unit_prefix(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Span of an abbreviated unit glued by a dot to the name after it ("TP" of "TP.Hồ", "Q" of "Q.Ba") if the chunk
    opens with one: upper-case letters (or Tp, Tx) before a capitalised lower-case word (not TP.HCM, not Co.op); or of
    a section's Roman numeral glued to the one upper-case word the chunk holds after it ("V" of the heading
    "V.TO CHUC", not V.S.T.Y)."""
    m = _UNIT_PREFIX_RE.match(text, start, end)
    word = m and LETTER_RUN_RE.match(text, m.end(), end)
    if not (m and word):
        return None
    roman = _ROMAN_RE.fullmatch(m.group(1)) is not None
    heading = roman and word.group().isupper() and not text[word.end() : end].strip(_CODE_END)
    return m.span(1) if word.group().istitle() or heading else None


def _code_rest(text: str, code: Token, chunk: str) -> str:
    """The start of a chunk that is the rest of the ``code`` before it, which OCR cut after its hyphen (a space in
    490/QĐ- TTg): letters with two capitals or more; empty if the chunk is no such rest."""
    if text[code.end - 1] != "-":
        return ""
    rest = chunk.rstrip(_CODE_END)
    return rest if _CODE_TAIL_RE.fullmatch(rest) and sum(c.isupper() for c in rest) >= 2 else ""


def scan_tokens(text: str) -> list[Token]:
    """All tokens of a text in order; characters outside tokens are not part of any token."""
    out: list[Token] = []
    for m in _CHUNK_RE.finditer(text):
        start, end = m.span()
        chunk = m.group()
        if out and out[-1].kind == "code" and (rest := _code_rest(text, out[-1], chunk)):  # 490/QĐ- TTg: one code
            out[-1] = Token(out[-1].start, start + len(rest), "code")
            if chunk[-1] in _BREAK_CHARS:
                out.append(Token(end, end, "break"))
        elif chunk.isalpha():
            out.append(Token(start, end, "word"))
        elif chunk[0] in "\n\f":
            out.append(Token(start, start, "break"))
        else:
            unit = _unit_prefix(text, start, end)
            if unit:  # kept as a code; the name after its dot is restored
                out.append(Token(*unit, "code"))
                start = unit[1] + 1
            for span in _glued_sentences(text, start, end):
                _scan_chunk(text, *span, out)
    return out


def join_split_reads(text: str, tokens: list[Token], knows: Callable[[str], bool]) -> list[Token]:
    """``tokens`` with two words that OCR split inside a word made one, where their letters together spell a syllable
    of the lexicon (``knows``, by unmarked lower-case key), and what parts them is
    - a colon, read for a mark beside a vowel (phu:ong for phương, du:ng for dựng, thi:y for thùy): the first word ends
      in a vowel and the second starts with a small letter (not "sau:các", "nhur:hoa", "Điều 1:Ban");
    - or a dot or comma read for a mark's dot or hook, before a quote for another mark (thu.’c for thực, lu.’O'ng for
      lượng) or before a small letter (C,ho for Cho; not "nhân.Điều", which ends a sentence).
    """
    out: list[Token] = []
    for tok in tokens:
        before = out[-1] if out else None
        if (
            before is not None
            and before.kind == tok.kind == "word"
            and _splits_a_word(text, before, tok)
            and knows(strip_marks("".join(LETTER_RUN_RE.findall(text, before.start, tok.end))).lower())
        ):
            out[-1] = Token(before.start, tok.end, "word")
        else:
            out.append(tok)
    return out


def _splits_a_word(text: str, before: Token, after: Token) -> bool:
    """Whether what stands between two words is a mark OCR read inside one word (see `join_split_reads`)."""
    between = text[before.end : after.start]
    if between == ":":
        return text[before.end - 1].lower() in PLAIN_VOWELS and text[after.start].islower()
    return bool(_SPLIT_MARK_RE.fullmatch(between)) and (len(between) > 1 or text[after.start].islower())


def settle_invisible(text: str) -> str:
    """Drop zero-width characters and soft hyphens, which split a word where no one sees a break ("Triển", a
    zero-width space, "khai" reads as one garbled word); a zero-width space between two words (whose letters do not
    make one syllable) becomes the space it shows as."""

    def settle(match: re.Match[str]) -> str:
        before, marks, after = match.group(1) or "", match.group(2), match.group(3)
        split = _ZERO_WIDTH_SPACE in marks and before and after and not is_valid_syllable((before + after).lower())
        return before + (" " if split else "")

    return _INVISIBLE_RE.sub(settle, text)
