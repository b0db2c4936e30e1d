"""The channel model: how much it costs to observe an OCR token when a syllable was meant.

Costs are -log P(observed | intended), summed over an alignment of character (or short
sequence) substitutions found by dynamic programming. Learned OCR confusions come from
``ocr_char_confusions.tsv`` (``intended, observed, count``) when present; a generic
fallback (losing marks is cheap, anything else dear) covers pairs the table lacks.
The slips of Tesseract's Vietnamese model (ổ read as ố, i as ỉ) come from ``ocr_vie_char_confusions.tsv``;
what that table never saw is dear.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from numba import njit

from diacritics.syllables import LOWER_LETTERS, strip_marks
from diacritics.tokens import STRAY_MARKS

CONFUSION_FILE = "ocr_char_confusions.tsv"
SLIP_FILE = "ocr_vie_char_confusions.tsv"  # confusions of Tesseract `vie` (`confusion_build --lang vie`)
UNSEEN_SLIP_COST = 12.0  # a character pair the `vie` table never saw (about 1 in 160,000 readings)
MARK_LOSS_COST = 0.4  # ế observed as e
MARK_SWAP_COST = 3.5  # ố observed as ổ, or a mark added
SUBSTITUTION_COST = 7.0
INDEL_COST = 7.0
STRAY_MARK_COST = 1.0  # inserting one of `tokens.STRAY_MARKS`: an apostrophe standing for a horn (thu'c)
MIN_CONFUSION_COUNT = 2
MIN_CAPITAL_TOTAL = 200  # upper-case letters seen fewer times than this get no confusions of their own
FAMILY_COST = 1.0  # extra cost of a confusion seen only for other vowels of the same base letter
_MAX_SPAN = 3


def fallback_cost(intended: str, observed: str) -> float:
    """Generic cost of one aligned character pair when no table entry says otherwise."""
    if intended == observed:
        return 0.0
    if not intended:
        return STRAY_MARK_COST if observed in STRAY_MARKS else INDEL_COST
    if len(intended) > 1 or len(observed) > 1:
        return math.inf  # a span the table does not know: the alignment spells it out character by character
    if not observed:
        return INDEL_COST
    if strip_marks(intended) == observed:
        return MARK_LOSS_COST
    if strip_marks(intended) == strip_marks(observed):
        return MARK_SWAP_COST
    return SUBSTITUTION_COST


def unseen_slip_cost(intended: str, observed: str) -> float:
    """Cost of a character pair the `vie` confusion table lacks: Tesseract's Vietnamese model rarely misreads."""
    if intended == observed:
        return 0.0
    return math.inf if len(intended) > 1 or len(observed) > 1 else UNSEEN_SLIP_COST


def read_confusions(path: Path, pooled: bool = True) -> dict[tuple[str, str], float]:
    """Learned substitution costs -log P(observed | intended) from a confusion count table, case folded.

    Besides each exact pair, a vowel's base letter (``~o`` for o, ô, ơ, ó, ...) gets the pooled
    costs of its whole family plus `FAMILY_COST` (unless not ``pooled``), so ớ→6 is cheap when ố→6 and ộ→6 were seen.
    """
    counts: defaultdict[tuple[str, str], int] = defaultdict(int)
    totals: defaultdict[str, int] = defaultdict(int)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            intended, observed, n = row["intended"].lower(), row["observed"].lower(), int(row["count"])
            keys = [intended, f"~{strip_marks(intended)}"] if pooled and len(intended) == 1 else [intended]
            for key in keys:
                counts[(key, observed)] += n
                totals[key] += n
    return {
        pair: -math.log(n / totals[pair[0]]) + (FAMILY_COST if pair[0].startswith("~") else 0.0)
        for pair, n in counts.items()
        if n >= MIN_CONFUSION_COUNT and pair[0] != pair[1]
    }


def read_capital_confusions(path: Path) -> dict[str, list[tuple[str, float]]]:
    """Costs of the misreadings of upper-case letters, estimated apart from the lower-case ones (Đ read as P or B
    is common, đ read as p is not), by lower-case intended letter: ``[(observed, cost), ...]``."""
    rows: defaultdict[str, list[tuple[str, int]]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row["intended"]) == 1 and row["intended"].isupper():
                rows[row["intended"]].append((row["observed"].lower(), int(row["count"])))
    capitals: dict[str, list[tuple[str, float]]] = {}
    for intended, seen in rows.items():
        total = sum(n for _, n in seen)
        if total >= MIN_CAPITAL_TOTAL:
            capitals[intended.lower()] = [
                (observed, -math.log(n / total))
                for observed, n in seen
                if observed and n >= MIN_CONFUSION_COUNT and observed != intended.lower()
            ]
    return capitals


def _letters_read_as(pairs: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """Each observed reading of ``(intended, observed)`` pairs, with the mark-free intended letters it stood for."""
    letters: defaultdict[str, set[str]] = defaultdict(set)
    for intended, observed in pairs:
        letters[observed].add(strip_marks(intended))
    return {observed: frozenset(found) for observed, found in letters.items()}


class ChannelModel:
    """Weighted edit distance between an intended syllable and an observed OCR token."""

    def __init__(
        self,
        confusions: dict[tuple[str, str], float] | None = None,
        capitals: dict[str, list[tuple[str, float]]] | None = None,
        fallback: Callable[[str, str], float] = fallback_cost,
    ) -> None:
        self.confusions = confusions or {}
        self.capitals = capitals or {}
        self.fallback = fallback  # cost of a pair the table lacks
        # an intended character is read as up to `_MAX_SPAN` characters (ư as "uf") or none; insertions come apart
        widths = {len(o) for i, o in self.confusions if len(i.lstrip("~")) == 1} | {0, 1}
        self.widths = sorted(w for w in widths if w <= _MAX_SPAN)
        self._widths = np.array(self.widths, dtype=np.int64)  # for the compiled alignment
        self._single = self.widths.index(1)
        self.spans = [(0, 1), *((1, w) for w in self.widths)]
        self._pair_costs: dict[tuple[str, str], float] = {}
        self._plain_pair_costs: dict[tuple[str, str], float] = {}
        self._wide_spans = {seen for _, seen in self.confusions if len(seen) > 1}
        self._letters: list[str] = []  # intended letters: Vietnamese ones first, then others as met (`_letter_rows`)
        self._letter_codes = np.zeros(0, dtype=np.uint32)  # their code points, sorted
        self._letter_of_code = np.zeros(0, dtype=np.int64)  # the index of the letter of each sorted code point
        self._columns: dict[tuple[str, bool], np.ndarray] = {}  # `_span_column`'s memo
        self._add_letters(LOWER_LETTERS)  # so that the memo is seldom made again for a new letter

    @classmethod
    def load(cls, model_dir: Path) -> ChannelModel:
        """The channel with the learned confusions of ``model_dir`` (generic fallback when absent)."""
        path = model_dir / CONFUSION_FILE
        if not path.exists():
            return cls()
        return cls(read_confusions(path), read_capital_confusions(path))

    @classmethod
    def load_slips(cls, model_dir: Path) -> ChannelModel | None:
        """The channel of Tesseract `vie` from ``model_dir`` (None when absent): the pairs it was seen to confuse
        (ể read as ế, i as ỉ), each on its own (a vowel family's slips are not pooled), and unseen pairs dear."""
        path = model_dir / SLIP_FILE
        if not path.exists():
            return None
        return cls(read_confusions(path, pooled=False), read_capital_confusions(path), unseen_slip_cost)

    def span_readings(self) -> dict[str, frozenset[str]]:
        """The spans of two or more characters that a single letter was seen read as, each with the mark-free
        letters it stood for ("ir": u, for ứ, ừ, ử)."""
        return _letters_read_as((i, o) for i, o in self.confusions if len(i) == 1 and len(o) > 1)

    def capital_readings(self) -> dict[str, frozenset[str]]:
        """What an upper-case initial was seen read as, with the mark-free letters it stood for ("p": d, for Đ)."""
        pairs = ((i, seen) for i, readings in self.capitals.items() for seen, _ in readings)
        return _letters_read_as((i, seen) for i, seen in pairs if seen.isalpha() and seen != strip_marks(i))

    def pair_cost(self, intended: str, observed: str) -> float:
        """Cost of one aligned (sequence) substitution."""
        pair = (intended, observed)
        cost = self._pair_costs.get(pair)
        if cost is None:
            family = (f"~{strip_marks(intended)}", observed) if len(intended) == 1 else pair
            cost = min(self.fallback(intended, observed), self.confusions.get(pair, math.inf))
            cost = min(cost, self.confusions.get(family, math.inf))
            self._pair_costs[pair] = cost
        return cost

    def plain_pair_cost(self, intended: str, observed: str) -> float:
        """Cost of one aligned substitution in a text that lost all its marks: mark loss is free."""
        pair = (intended, observed)
        cost = self._plain_pair_costs.get(pair)
        if cost is None:
            plain = len(intended) == 1 and strip_marks(intended) == observed
            cost = self._plain_pair_costs[pair] = 0.0 if plain else self.pair_cost(intended, observed)
        return cost

    def cost(self, observed: str, intended: str, plain: bool = False, capital: bool = False) -> float:
        """Cheapest alignment cost of ``observed`` given ``intended`` (both lower-case).

        ``plain``: the text is unmarked, so marks lost cost nothing. ``capital``: the token was written with an
        upper-case initial, whose own misreadings may then explain its first characters.
        """
        return float(self.costs(observed, [intended], plain, capital)[0])

    def costs(self, observed: str, intended: list[str], plain: bool = False, capital: bool = False) -> np.ndarray:
        """`cost` of ``observed`` for each of the ``intended`` syllables, computed together."""
        best = self._align(observed, intended, plain)
        groups: defaultdict[str, list[int]] = defaultdict(list)  # the words by first letter
        for k, word in enumerate(intended if capital else ()):
            groups[word[:1]].append(k)
        for first, group in groups.items():
            for seen, cost in self.capitals.get(first, ()):
                if observed.startswith(seen):
                    rest = self._align(observed[len(seen) :], [intended[k][1:] for k in group], plain)
                    best[group] = np.minimum(best[group], cost + rest)
        return best

    def alignment(self, observed: str, intended: str, capital: bool = False) -> list[tuple[str, str]]:
        """The aligned ``(intended, observed)`` spans of the cheapest alignment scored by `cost` (marked text).

        ``capital``: as in `cost`; the first pair is then the reading of the upper-case initial.
        """
        capitals = self.capitals.get(intended[:1], ()) if capital else ()
        readings = [(seen, cost) for seen, cost in capitals if observed.startswith(seen)]
        pairs = None
        if readings:  # the whole token's cost only matters against a reading of its capital
            best = self.cost(observed, intended)
            for seen, cost in readings:
                rest = observed[len(seen) :]
                if (total := cost + self.cost(rest, intended[1:])) < best:
                    best, pairs = total, [(intended[0], seen), *self._trace(rest, intended[1:])]
        return pairs if pairs is not None else self._trace(observed, intended)

    def _align(self, observed: str, intended: list[str], plain: bool) -> np.ndarray:
        """Alignment costs of ``observed`` for each intended word: substitutions only where the lengths agree (the
        usual case, an upper bound of the cheapest), else the cheapest alignment (`_prefix_costs`)."""
        table, letters, lengths = self._span_costs(observed, intended, plain)
        return _alignment_costs(table, letters, lengths, self._inserted(observed, plain), self._widths, self._single)

    def _pair_cost_of(self, plain: bool) -> Callable[[str, str], float]:
        """The (memoised) pair cost for unmarked (``plain``) or marked text."""
        return self.plain_pair_cost if plain else self.pair_cost

    def _trace(self, observed: str, intended: str) -> list[tuple[str, str]]:
        """The spans of the alignment that `_align` scores (marked text), first to last."""
        if len(intended) == len(observed):
            return list(zip(intended, observed, strict=True))
        table, letters, _ = self._span_costs(observed, [intended], False)
        dist = _prefix_costs(table, letters[0], self._inserted(observed, False), self._widths)
        pairs: list[tuple[str, str]] = []
        i, j = len(intended), len(observed)
        while i or j:
            di, dj = next(
                (di, dj)
                for di, dj in self.spans
                if di <= i
                and dj <= j
                and (di or dj)
                and math.isclose(
                    dist[i - di][j - dj] + self.pair_cost(intended[i - di : i], observed[j - dj : j]),
                    dist[i][j],
                    abs_tol=1e-9,
                )
            )
            pairs.append((intended[i - di : i], observed[j - dj : j]))
            i, j = i - di, j - dj
        return pairs[::-1]

    def _span_costs(self, observed: str, intended: list[str], plain: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The cost of each letter read as each span of ``observed`` ending at each position (``[letter, end,
        width]``, infinite where the span would start before the token, or is two or more characters the confusions
        never show), by the channel's own letter index, and the intended words as rows of it, with their lengths
        (`_letter_rows`)."""
        letters, lengths = self._letter_rows(intended)
        table = np.full((len(self._letters), len(observed) + 1, len(self.widths)), math.inf)
        for w, width in enumerate(self.widths):
            for end in range(width, len(observed) + 1):
                seen = observed[end - width : end]
                if width < 2 or seen in self._wide_spans:
                    table[:, end, w] = self._span_column(seen, plain)
        return table, letters, lengths

    def _letter_rows(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The words as rows of letter indices (padded with 0), and their lengths; a letter first seen here joins the
        index."""
        codes = np.frombuffer("".join(words).encode("utf-32-le"), dtype=np.uint32)
        at = np.searchsorted(self._letter_codes, codes)
        if not ((at < len(self._letter_codes)).all() and np.array_equal(self._letter_codes[at], codes)):
            self._add_letters({chr(c) for c in codes.tolist()})
            at = np.searchsorted(self._letter_codes, codes)
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        rows = np.zeros((len(words), int(lengths.max(initial=0))), dtype=np.int64)
        rows[np.arange(rows.shape[1]) < lengths[:, None]] = self._letter_of_code[at]
        return rows, lengths

    def _add_letters(self, letters: Iterable[str]) -> None:
        """Add the letters the index lacks (in code point order) to its end, and re-sort its code points."""
        self._letters += sorted(set(letters) - set(self._letters))
        letter_codes = np.array([ord(c) for c in self._letters], dtype=np.uint32)
        self._letter_of_code = np.argsort(letter_codes)
        self._letter_codes = letter_codes[self._letter_of_code]

    def _span_column(self, seen: str, plain: bool) -> np.ndarray:
        """The cost of each letter of the index read as ``seen``, memoised per span (and made again for the whole
        index once a new letter joins it)."""
        column = self._columns.get((seen, plain))
        if column is None or len(column) < len(self._letters):
            pair_cost = self._pair_cost_of(plain)
            column = self._columns[seen, plain] = np.array([pair_cost(letter, seen) for letter in self._letters])
        return column

    def _inserted(self, observed: str, plain: bool) -> np.ndarray:
        """The cost of inserting each prefix of ``observed`` (characters read from nothing): ``[j]`` for
        ``observed[:j]``."""
        pair_cost = self._pair_cost_of(plain)
        return np.concatenate([[0.0], np.cumsum([pair_cost("", c) for c in observed])])


@njit("float64[:, ::1](float64[:, :, ::1], int64[:], float64[::1], int64[::1])", cache=True, nogil=True)
def _prefix_costs(table: np.ndarray, word: np.ndarray, inserted: np.ndarray, widths: np.ndarray) -> np.ndarray:
    """Cheapest alignment cost of every prefix pair of an intended word (rows of ``table``, see `_span_costs`) and
    the observed token: ``[i, j]`` for the word's first ``i`` letters and the token's first ``j`` characters.

    Row by row of intended letters (each read as ``widths`` observed characters, or none); the characters inserted
    within a row (``inserted``: the cost of each prefix of the token read from nothing) are added by a running
    minimum over the prefix sums of their costs. Compiled (numba), like `_alignment_costs`.
    """
    size = len(inserted)
    dist = np.empty((len(word) + 1, size))
    dist[0] = inserted
    for i in range(len(word)):
        for j in range(size):
            reached = np.inf
            for w in range(len(widths)):
                if widths[w] <= j:
                    reached = min(reached, dist[i, j - widths[w]] + table[word[i], j, w])
            dist[i + 1, j] = reached
        running = np.inf
        for j in range(size):
            running = min(running, dist[i + 1, j] - inserted[j])
            dist[i + 1, j] = running + inserted[j]
    return dist


@njit(
    "float64[::1](float64[:, :, ::1], int64[:, ::1], int64[::1], float64[::1], int64[::1], int64)",
    cache=True,
    nogil=True,
)
def _alignment_costs(
    table: np.ndarray, letters: np.ndarray, lengths: np.ndarray, inserted: np.ndarray, widths: np.ndarray, single: int
) -> np.ndarray:
    """`ChannelModel._align` for words of ``lengths`` letters (rows of ``letters``): a word as long as the token
    sums its letters' substitutions (``table``'s width ``widths[single]``, 1), any other takes `_prefix_costs`."""
    size = len(inserted)
    costs = np.empty(len(lengths))
    for k in range(len(lengths)):
        if lengths[k] == size - 1:
            total = 0.0
            for i in range(lengths[k]):
                total += table[letters[k, i], i + 1, single]
            costs[k] = total
        else:
            costs[k] = _prefix_costs(table, letters[k, : lengths[k]], inserted, widths)[lengths[k], size - 1]
    return costs
