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

from diacritics.syllables import strip_marks

CONFUSION_FILE = "ocr_char_confusions.tsv"
SLIP_FILE = "ocr_vie_char_confusions.tsv"  # confusions of Tesseract `vie` (`confusion_build --lang vie`)
UNSEEN_SLIP_COST = 12.0  # a character pair the `vie` table never saw (about 1 in 160,000 readings)
MARK_LOSS_COST = 0.4  # ế observed as e
MARK_SWAP_COST = 3.5  # ố observed as ổ, or a mark added
SUBSTITUTION_COST = 7.0
INDEL_COST = 7.0
STRAY_MARK_COST = 1.0  # an apostrophe standing for a horn (thu'c)
MIN_CONFUSION_COUNT = 2
MIN_CAPITAL_TOTAL = 200  # upper-case letters seen fewer times than this get no confusions of their own
FAMILY_COST = 1.0  # extra cost of a confusion seen only for other vowels of the same base letter
_STRAY_MARKS = "'’"
_MAX_SPAN = 3


def fallback_cost(intended: str, observed: str) -> float:
    """Generic cost of one aligned character pair when no table entry says otherwise."""
    if intended == observed:
        return 0.0
    if not intended:
        return STRAY_MARK_COST if observed in _STRAY_MARKS else INDEL_COST
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
        self.spans = [(0, 1), *((1, w) for w in self.widths)]
        self._pair_costs: dict[tuple[str, str], float] = {}
        self._plain_pair_costs: dict[tuple[str, str], float] = {}
        self._wide_spans = {seen for _, seen in self.confusions if len(seen) > 1}

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
        for first in {word[:1] for word in intended} if capital else ():
            group = [k for k, word in enumerate(intended) if word[:1] == first]
            for seen, cost in self.capitals.get(first, ()):
                if observed.startswith(seen):
                    rest = self._align(observed[len(seen) :], [intended[k][1:] for k in group], plain)
                    best[group] = np.minimum(best[group], cost + rest)
        return best

    def alignment(self, observed: str, intended: str, capital: bool = False) -> list[tuple[str, str]]:
        """The aligned ``(intended, observed)`` spans of the cheapest alignment scored by `cost` (marked text).

        ``capital``: as in `cost`; the first pair is then the reading of the upper-case initial.
        """
        best, pairs = self.cost(observed, intended), None
        for seen, cost in self.capitals.get(intended[:1], ()) if capital else ():
            rest = observed[len(seen) :]
            if observed.startswith(seen) and (total := cost + self.cost(rest, intended[1:])) < best:
                best, pairs = total, [(intended[0], seen), *self._trace(rest, intended[1:])]
        return pairs if pairs is not None else self._trace(observed, intended)

    def _align(self, observed: str, intended: list[str], plain: bool) -> np.ndarray:
        """Alignment costs of ``observed`` for each intended word: substitutions only where the lengths agree (the
        usual case, an upper bound of the cheapest), else the cheapest alignment (`_distances`)."""
        known, pair_cost = self._costs_of(plain)
        m = len(observed)
        best = np.empty(len(intended))
        other = []
        for k, word in enumerate(intended):
            if len(word) != m:
                other.append(k)
            elif word == observed:
                best[k] = 0.0
            else:
                total = 0.0
                for pair in zip(word, observed, strict=True):
                    cost = known.get(pair)
                    total += pair_cost(*pair) if cost is None else cost
                best[k] = total
        if other:
            words = [intended[k] for k in other]
            table, letters = self._span_costs(observed, words, plain)
            lengths = np.array([len(word) for word in words])
            rows = self._distances(observed, table, letters, plain)
            best[other] = rows[lengths, np.arange(len(words)), m]
        return best

    def _costs_of(self, plain: bool) -> tuple[dict[tuple[str, str], float], Callable[[str, str], float]]:
        """The memo of pair costs and the function that fills it, for unmarked (``plain``) or marked text."""
        return (self._plain_pair_costs, self.plain_pair_cost) if plain else (self._pair_costs, self.pair_cost)

    def _trace(self, observed: str, intended: str) -> list[tuple[str, str]]:
        """The spans of the alignment that `_align` scores (marked text), first to last."""
        if len(intended) == len(observed):
            return list(zip(intended, observed, strict=True))
        table, letters = self._span_costs(observed, [intended], False)
        dist = self._distances(observed, table, letters, False)[:, 0, :]
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

    def _span_costs(self, observed: str, intended: list[str], plain: bool) -> tuple[np.ndarray, np.ndarray]:
        """The cost of each letter of the intended words read as each span of ``observed`` ending at each position
        (``[letter, end, width]``, infinite where the span would start before the token), and the intended words
        as rows of letter indices into it (padded with 0)."""
        known, pair_cost = self._costs_of(plain)
        alphabet = sorted({c for word in intended for c in word}) or [""]
        m = len(observed)
        table = np.full((len(alphabet), m + 1, len(self.widths)), math.inf)
        for w, width in enumerate(self.widths):
            for end in range(width, m + 1):
                seen = observed[end - width : end]
                if width < 2 or seen in self._wide_spans:  # a longer span costs something only if the table has it
                    costs = [known.get((letter, seen)) for letter in alphabet]
                    costs = [pair_cost(c, seen) if x is None else x for c, x in zip(alphabet, costs, strict=True)]
                    table[:, end, w] = costs
        index = {c: n for n, c in enumerate(alphabet)}
        letters = np.zeros((len(intended), max((len(word) for word in intended), default=0)), dtype=np.int64)
        for k, word in enumerate(intended):
            letters[k, : len(word)] = [index[c] for c in word]
        return table, letters

    def _distances(self, observed: str, table: np.ndarray, letters: np.ndarray, plain: bool) -> np.ndarray:
        """Cheapest alignment cost of every prefix pair, for each intended word at once: ``[i, k, j]`` for the first
        ``i`` letters of word ``k`` and ``observed[:j]`` (rows past a word's length are meaningless).

        Row by row of intended letters (each read as `self.widths` observed characters, or none); the characters
        inserted within a row are added by a running minimum over the prefix sums of their costs.
        """
        _, pair_cost = self._costs_of(plain)
        m = len(observed)
        inserted = np.concatenate([[0.0], np.cumsum([pair_cost("", c) for c in observed])])
        previous = np.broadcast_to(inserted, (len(letters), m + 1))
        rows = [previous]
        for i in range(letters.shape[1]):
            spans = table[letters[:, i]]  # [k, end, width]
            reached = np.full((len(letters), m + 1), math.inf)
            for w, width in enumerate(self.widths):
                np.minimum(
                    reached[:, width:], previous[:, : m + 1 - width] + spans[:, width:, w], out=reached[:, width:]
                )
            previous = np.minimum.accumulate(reached - inserted, axis=1) + inserted
            rows.append(previous)
        return np.stack(rows)
