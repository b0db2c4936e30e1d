"""Enumeration marks the decoder cannot read from the words alone.

Letter lists run a, b, c, d, đ, e, g, so without marks đ reads as a second d: "c) ... d) ... d) ..." (paragraph
marks) and "điểm c, d, d và e" (an inline list) hold a d that can only be đ, since a list never names one letter
twice in a row. A lone "d" is left as it is: "điểm d" may be either.

Section headings are numbered in Roman numerals (I., II., IV.), which English-model OCR reads with l for I ("Il.",
"Ill.", "Vl."): such a mark opening a line is put back to its numeral. A mark of l alone ("l.", "ll.") may be I or a
misread 1 (or 11), so it is kept as written rather than read as the word "i". A letter mark opening a line ("b.",
"c.") is kept as written too: in OCR text the decoder would otherwise read it as a misread word (bộ, cư).
"""

from __future__ import annotations

import re

from diacritics.tokens import Token, line_start

_INLINE_SEPARATOR = re.compile(r"\s*,\s*")  # between the items of an inline list: "c, d, đ"
_ROMAN_NUMERAL = re.compile(r"(X{0,3})(IX|IV|V?I{0,3})")  # I to XXXIX


def _letter(text: str, tok: Token) -> str | None:
    """The lower-case letter of a one-letter token (word or enumeration mark), else None."""
    word = text[tok.start : tok.end]
    return word.lower() if tok.kind != "break" and len(word) == 1 and word.isalpha() else None


def _opens_item(text: str, tok: Token) -> bool:
    """Whether a word opens its line (only spaces before it) and is followed by a point: "b.", "II."."""
    return (
        tok.kind == "word"
        and text[tok.end : tok.end + 1] == "."
        and not text[line_start(text, tok.start) : tok.start].strip()
    )


def _is_mark(text: str, tok: Token) -> bool:
    """Whether a token is a paragraph enumeration mark: one letter and a closing parenthesis ("d)"), or one letter
    opening a line and followed by a point ("d.")."""
    if _letter(text, tok) is None:
        return False
    return (tok.kind == "code" and text[tok.end : tok.end + 1] == ")") or _opens_item(text, tok)


def second_d_positions(text: str, tokens: list[Token]) -> set[int]:
    """Indices of the "d" tokens that follow a "d" item of the same list: paragraph marks running c), d), d), or the
    item after a one-letter word "d" of an inline list (a comma between)."""
    found: set[int] = set()
    marks = ("", "")  # letters of the two previous paragraph marks ("đ" once read so)
    for i, tok in enumerate(tokens):
        letter = _letter(text, tok) if tok.end - tok.start == 1 else None
        if letter is None:
            continue
        if _is_mark(text, tok):
            if letter == "d" and marks == ("c", "d"):
                found.add(i)
            marks = (marks[1], "đ" if i in found else letter)
        elif (
            letter == "d"
            and i > 0
            and _letter(text, tokens[i - 1]) == "d"
            and i - 1 not in found
            and _INLINE_SEPARATOR.fullmatch(text[tokens[i - 1].end : tok.start])
        ):
            found.add(i)
    return found


def section_marks(text: str, tokens: list[Token]) -> dict[int, str]:
    """By token index, the output of each mark that opens a line and is followed by a point: one letter, kept as
    written ("b."; "l." may be I. or a misread 1.), or a word of the letters I, V, X and l, with an l, read as its
    Roman numeral ("Il." for II., "Vl." for VI.; "ll." kept as written)."""
    found: dict[int, str] = {}
    for i, tok in enumerate(tokens):
        if not _opens_item(text, tok):
            continue
        word = text[tok.start : tok.end]
        numeral = word.replace("l", "I")
        if _letter(text, tok) is not None:
            found[i] = word
        elif "l" in word and _ROMAN_NUMERAL.fullmatch(numeral):
            found[i] = numeral if word.strip("l") else word
    return found
