"""The user lexicon: corrections a reviewer forces on the restorer (``data/lexicon/user.tsv``).

One tab-separated line per entry, ``wrong<TAB>right`` (a ``wrong	right`` header is allowed): the word or phrase as
written in the input, matched in any case and tone placement, and its restoration. A single word is forced wherever
it stands (``tinh	tỉnh``), and may be replaced by several (``cty	Công ty``); a phrase of several words only where its
words follow each other with nothing but spaces or one line break between them (``dac san	đặc sản`` leaves the "san"
of "san giao dich" to the model). A phrase is restored word for word, so both its sides must have as many words.
"""

from __future__ import annotations

import csv
import itertools
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from diacritics.syllables import normalize_tone

HEADER = ["wrong", "right"]


def stand_together(gap: str) -> bool:
    """Whether two words with ``gap`` between them can make a phrase: white space only, in one paragraph and page."""
    return gap.isspace() and gap.count("\n") < 2 and "\f" not in gap


def lexicon_key(written: str) -> str:
    """The form an entry or a token is matched by: lower case, modern tone placement, words one space apart."""
    return " ".join(normalize_tone(word) for word in written.lower().split())


@dataclass(frozen=True)
class UserLexicon:
    """The valid entries of a user lexicon by key, each entry's line in its file, and the invalid lines."""

    entries: dict[str, str] = field(default_factory=dict)  # key → its restoration, NFC
    lines: dict[str, int] = field(default_factory=dict)  # key → line number (1-based, the header counted)
    invalid: tuple[tuple[int, str], ...] = ()  # (line number, why)

    @classmethod
    def read(cls, path: Path | None) -> UserLexicon:
        """The lexicon in ``path``; empty if there is none."""
        if path is None or not path.exists():
            return cls()
        entries: dict[str, str] = {}
        lines: dict[str, int] = {}
        invalid: list[tuple[int, str]] = []
        with path.open(encoding="utf-8-sig", newline="") as fh:  # a byte-order mark of a spreadsheet's export
            for number, row in enumerate(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
                if (number == 1 and row[:2] == HEADER) or not any(cell.strip() for cell in row):
                    continue
                wrong, right = (lexicon_key(row[0]), " ".join(row[1].split())) if len(row) >= 2 else ("", "")
                if not wrong or not right:
                    invalid.append((number, "a line needs the word as written, a tab, and its restoration"))
                elif " " in wrong and len(wrong.split()) != len(right.split()):
                    invalid.append((number, "a phrase is restored word for word: give both sides as many words"))
                else:
                    entries[wrong] = unicodedata.normalize("NFC", right)
                    lines[wrong] = number
        return cls(entries, lines, tuple(invalid))

    @cached_property
    def longest(self) -> int:
        """The number of words of the longest entry (0: no entry)."""
        return max((key.count(" ") + 1 for key in self.entries), default=0)

    def word(self, key: str) -> str | None:
        """The forced restoration of a single word's key, if any."""
        return self.entries.get(key)

    def phrases(self, keys: Sequence[str], joined: Sequence[bool]) -> list[tuple[int, str]]:
        """``(index of its first word, key)`` of each phrase entry in a run of tokens, the longest where phrases
        overlap, left to right. ``keys``: each token's `lexicon_key` ("" for a token that is no word); ``joined[i]``:
        whether tokens i and i + 1 `stand_together`."""
        longest = self.longest
        found: list[tuple[int, str]] = []
        i = 0
        while i < len(keys):
            size = next(
                (
                    size
                    for size in range(min(longest, len(keys) - i), 1, -1)
                    if all(joined[i : i + size - 1]) and " ".join(keys[i : i + size]) in self.entries
                ),
                1,
            )
            if size > 1:
                found.append((i, " ".join(keys[i : i + size])))
            i += size
        return found

    def phrases_in(self, text: str, spans: Iterable[tuple[int, int, bool]]) -> list[tuple[int, str]]:
        """`phrases` among a text's tokens, given as ``(start, end, is_word)`` spans in order (none if the lexicon has
        no phrase, without reading them)."""
        if self.longest < 2:
            return []
        tokens = list(spans)
        return self._phrases_of(text, tokens, self._keys(text, tokens))

    def matches(self, text: str, spans: Iterable[tuple[int, int, bool]]) -> list[tuple[int, str]]:
        """``(index of its first token, key)`` of every entry a text's tokens match, in order: the `phrases`, and the
        single words outside them, as the restorer applies them (none if the lexicon is empty, without reading)."""
        if not self.entries:
            return []
        tokens = list(spans)
        keys = self._keys(text, tokens)
        phrases = self._phrases_of(text, tokens, keys) if self.longest > 1 else []
        covered = {i for start, key in phrases for i in range(start, start + key.count(" ") + 1)}
        words = [(i, key) for i, key in enumerate(keys) if i not in covered and self.word(key) is not None]
        return sorted(phrases + words)

    @staticmethod
    def _keys(text: str, tokens: list[tuple[int, int, bool]]) -> list[str]:
        """Each token's `lexicon_key` ("" for a token that is no word)."""
        return [lexicon_key(text[start:end]) if word else "" for start, end, word in tokens]

    def _phrases_of(self, text: str, tokens: list[tuple[int, int, bool]], keys: list[str]) -> list[tuple[int, str]]:
        """`phrases` among ``tokens`` of ``keys``, joined where their gaps `stand_together`."""
        return self.phrases(keys, [stand_together(text[a[1] : b[0]]) for a, b in itertools.pairwise(tokens)])
