"""Acronyms that lost their Đ, marked after the names the document spells out.

An acronym that the corpus never shows (VPĐP, CĐCĐ) reaches the restorer as VPDP when the text lost its marks or
was read by an English model, and nothing in the language model says which D was a Đ. Plans spell such names out
somewhere (Văn phòng Điều phối, Cao đẳng Cộng đồng), and the decoder restores those words. In the manner of
Schwartz and Hearst's acronym-definition matching (2003), an acronym whose letters match the initials of a name in
the same text takes that name's Đ: VPDP → VPĐP, and VPDPNTM → VPĐPNTM (a name may open a longer acronym).
"""

from __future__ import annotations

import string
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from functools import cache

from diacritics.syllables import strip_marks

MIN_LETTERS = 3  # an acronym (or name) this long or longer is matched
MIN_OPENING = 4  # letters of a name that may open a longer acronym (VPĐP of VPĐPNTM)
MAX_WORDS = 8  # words of a spelled-out name, at most
SKIPPED = frozenset({"và"})  # words an acronym leaves out (Bộ Kế hoạch và Đầu tư: BKHĐT)
_CAPITALS = frozenset(string.ascii_uppercase)


def capital_runs_with_d(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the runs of mark-free capitals with a D that stand alone in ``text`` (VPDP in 1100/BNN-VPDP), found
    from each D outwards: a regular expression tried at every character of a long text costs ten times as much."""
    end, at = len(text), text.find("D")
    while at >= 0:
        start, stop = at, at + 1
        while start and text[start - 1] in _CAPITALS:
            start -= 1
        while stop < end and text[stop] in _CAPITALS:
            stop += 1
        if not (start and text[start - 1].isalpha()) and not (stop < end and text[stop].isalpha()):
            yield start, stop
        at = text.find("D", stop)


def lost_d_runs(text: str, known: Callable[[str], bool]) -> set[str]:
    """The runs of capitals with a D in ``text``, `MIN_LETTERS` or more, that are no ``known`` acronym (VPDP): those
    that `mark_lost_d` marks where the text spells them out."""
    runs = {text[start:stop] for start, stop in capital_runs_with_d(text) if stop - start >= MIN_LETTERS}
    return {run for run in runs if not known(run)}


def spelled_initials(
    starts: list[int], word: Callable[[int], str], joined: Callable[[int], bool], runs: set[str]
) -> dict[str, str]:
    """Marked initials (VPĐP) by their mark-free form (VPDP), for the names of a text whose mark-free initials are
    one of ``runs`` (see `lost_d_runs`) or open one by `MIN_OPENING` letters or more.

    A name is a run of up to `MAX_WORDS` words, from one of the capitalised words at ``starts``, each ``joined`` to
    the next by spaces only; ``word(i)`` is word ``i`` as restored, its first letter cased as written. Its initials
    are those of its words but `SKIPPED` ones (Bộ Kế hoạch và Đầu tư: BKHĐT). A name counts only where every name
    with the same mark-free initials agrees on the marks.
    """
    wanted = {run[:n] for run in runs for n in range(MIN_OPENING, len(run))} | runs
    openings = {key[:n] for key in wanted for n in range(1, len(key) + 1)}
    seen: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for start in starts:
        initials = key = ""
        for letter in name_letters(start, word, joined):
            initials, key = initials + letter, key + _bare(letter)
            if key not in openings:
                break
            if key in wanted:
                seen[key][initials] += 1
    return {key: next(iter(forms)) for key, forms in seen.items() if len(forms) == 1 and key not in forms}


def name_letters(start: int, word: Callable[[int], str], joined: Callable[[int], bool]) -> Iterator[str]:
    """The initials of the longest name that opens at word ``start`` (see `spelled_initials`), one by one."""
    yield word(start)[0]
    for i in range(start, start + MAX_WORDS - 1):
        if not joined(i):
            return
        if (following := word(i + 1)) not in SKIPPED:
            yield following[0].upper()


@cache
def _bare(letter: str) -> str:
    """A letter's mark-free capital (Đ → D)."""
    return strip_marks(letter).upper()


def mark_lost_d(word: str, initials: dict[str, str], runs: set[str]) -> str:
    """``word`` with each of its ``runs`` (see `lost_d_runs`) marked after ``initials`` (see `spelled_initials`): the
    whole run, else its longest opening of `MIN_OPENING` letters or more."""
    parts, done = [], 0
    for start, stop in capital_runs_with_d(word):
        letters = word[start:stop]
        if letters not in runs:
            continue
        marked = initials.get(letters)
        for end in range(len(letters) - 1, MIN_OPENING - 1, -1) if marked is None else ():
            if letters[:end] in initials:
                marked = initials[letters[:end]] + letters[end:]
                break
        parts += [word[done:start], marked or letters]
        done = stop
    return "".join(parts) + word[done:] if parts else word
