"""The channel model: how much it costs to observe an OCR token when a syllable was meant.

Costs are -log P(observed | intended), summed over an alignment of character (or short
sequence) substitutions found by dynamic programming. Learned OCR confusions come from
``ocr_char_confusions.tsv`` (``intended, observed, count``) when present; a generic
fallback (losing marks is cheap, anything else dear) covers pairs the table lacks.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from pathlib import Path

from diacritics.syllables import strip_marks

CONFUSION_FILE = "ocr_char_confusions.tsv"
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


def read_confusions(path: Path) -> dict[tuple[str, str], float]:
    """Learned substitution costs -log P(observed | intended) from a confusion count table, case folded.

    Besides each exact pair, a vowel's base letter (``~o`` for o, ô, ơ, ó, ...) gets the pooled
    costs of its whole family plus `FAMILY_COST`, so ớ→6 is cheap when ố→6 and ộ→6 were seen.
    """
    counts: defaultdict[tuple[str, str], int] = defaultdict(int)
    totals: defaultdict[str, int] = defaultdict(int)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            intended, observed, n = row["intended"].lower(), row["observed"].lower(), int(row["count"])
            keys = [intended, f"~{strip_marks(intended)}"] if len(intended) == 1 else [intended]
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


class ChannelModel:
    """Weighted edit distance between an intended syllable and an observed OCR token."""

    def __init__(
        self,
        confusions: dict[tuple[str, str], float] | None = None,
        capitals: dict[str, list[tuple[str, float]]] | None = None,
    ) -> None:
        self.confusions = confusions or {}
        self.capitals = capitals or {}
        # an intended character is read as up to `_MAX_SPAN` characters (ư as "uf") or none; insertions come apart
        widths = {len(o) for i, o in self.confusions if len(i.lstrip("~")) == 1} | {0, 1}
        self.widths = sorted(w for w in widths if w <= _MAX_SPAN)
        self.spans = [(0, 1), *((1, w) for w in self.widths)]
        self._pair_costs: dict[tuple[str, str], float] = {}
        self._plain_pair_costs: dict[tuple[str, str], float] = {}

    @classmethod
    def load(cls, model_dir: Path) -> ChannelModel:
        """The channel with the learned confusions of ``model_dir`` (generic fallback when absent)."""
        path = model_dir / CONFUSION_FILE
        if not path.exists():
            return cls()
        return cls(read_confusions(path), read_capital_confusions(path))

    def pair_cost(self, intended: str, observed: str) -> float:
        """Cost of one aligned (sequence) substitution."""
        pair = (intended, observed)
        cost = self._pair_costs.get(pair)
        if cost is None:
            family = (f"~{strip_marks(intended)}", observed) if len(intended) == 1 else pair
            cost = min(fallback_cost(intended, observed), self.confusions.get(pair, math.inf))
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
        best = self._align(observed, intended, plain)
        for seen, cost in self.capitals.get(intended[:1], ()) if capital else ():
            if observed.startswith(seen):
                best = min(best, cost + self._align(observed[len(seen) :], intended[1:], plain))
        return best

    def alignment(self, observed: str, intended: str, capital: bool = False) -> list[tuple[str, str]]:
        """The aligned ``(intended, observed)`` spans of the cheapest alignment scored by `cost` (marked text).

        ``capital``: as in `cost`; the first pair is then the reading of the upper-case initial.
        """
        best, pairs = self._align(observed, intended, False), None
        for seen, cost in self.capitals.get(intended[:1], ()) if capital else ():
            rest = observed[len(seen) :]
            if observed.startswith(seen) and (total := cost + self._align(rest, intended[1:], False)) < best:
                best, pairs = total, [(intended[0], seen), *self._trace(rest, intended[1:])]
        return pairs if pairs is not None else self._trace(observed, intended)

    def _align(self, observed: str, intended: str, plain: bool) -> float:
        if observed == intended:
            return 0.0
        pair_cost = self.plain_pair_cost if plain else self.pair_cost
        if len(intended) == len(observed):  # substitutions only: the usual case, an upper bound of the cheapest
            return sum(pair_cost(i, o) for i, o in zip(intended, observed, strict=True))
        return self._distances(observed, intended, plain)[-1][-1]

    def _trace(self, observed: str, intended: str) -> list[tuple[str, str]]:
        """The spans of the alignment that `_align` scores (marked text), first to last."""
        if len(intended) == len(observed):
            return list(zip(intended, observed, strict=True))
        dist = self._distances(observed, intended, False)
        pairs: list[tuple[str, str]] = []
        i, j = len(intended), len(observed)
        while i or j:
            di, dj = next(
                (di, dj)
                for di, dj in self.spans
                if di <= i
                and dj <= j
                and (di or dj)
                and dist[i - di][j - dj] + self.pair_cost(intended[i - di : i], observed[j - dj : j]) == dist[i][j]
            )
            pairs.append((intended[i - di : i], observed[j - dj : j]))
            i, j = i - di, j - dj
        return pairs[::-1]

    def _distances(self, observed: str, intended: str, plain: bool) -> list[list[float]]:
        """Cheapest alignment cost of every prefix pair: ``[i][j]`` for ``intended[:i]`` and ``observed[:j]``.

        Row by row of intended characters (each read as `self.widths` observed characters); a span's cost is
        looked up only when its predecessor is cheaper than the best found so far (costs are never negative).
        """
        known = self._plain_pair_costs if plain else self._pair_costs
        pair_cost = self.plain_pair_cost if plain else self.pair_cost
        m = len(observed)
        inserted = [pair_cost("", c) for c in observed]
        previous = [0.0] * (m + 1)
        for j, cost in enumerate(inserted, 1):
            previous[j] = previous[j - 1] + cost
        dist = [previous]
        for letter in intended:
            row = [math.inf] * (m + 1)
            for j in range(m + 1):
                best = row[j - 1] + inserted[j - 1] if j else math.inf
                for width in self.widths:
                    if width <= j and (base := previous[j - width]) < best:
                        seen = observed[j - width : j]
                        cost = known.get((letter, seen))
                        step = base + (pair_cost(letter, seen) if cost is None else cost)
                        if step < best:
                            best = step
                row[j] = best
            dist.append(row)
            previous = row
        return dist
