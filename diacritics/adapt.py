"""Document adaptation: what a first decoding says about the document steers the next one.

Cache model: the forms chosen for each mark-free key are counted; a second decoding lowers the
channel cost of the forms the document uses for that key, so "tinh" follows the many "tỉnh" of
a provincial plan.

Channel adaptation: in OCR text, the confidently restored tokens are aligned with what was read,
and the document's own character confusions (Đ read as P, ư as w) are blended with the global
table, so the tokens are scored again with the misreadings this scan actually shows.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from diacritics.candidates import MAX_CANDIDATES
from diacritics.channel import ChannelModel
from diacritics.decode import Candidates
from diacritics.syllables import strip_marks

CACHE_WEIGHT = 0.5  # nats of channel cost per unit of log cache probability
VOTING_PIECE_STRIDE = 3  # the cache counts the first decoding of every third lattice piece (about 400 tokens each)
_PRIOR = 0.5  # pseudo-count of every form
CONFUSION_PRIOR = 12.0  # pseudo-count of the global channel in a document's adapted confusions
MIN_CONFIDENCE = 0.9  # posterior of a restored token whose alignment counts as evidence
MIN_LETTER_FIXES = 3  # confident tokens with corrected letters needed before the channel is adapted
FIX_SHARE_FLOOR = 0.1  # share of letter-corrected tokens up to which the candidate lists keep their usual length
WIDTH_PER_FIX_SHARE = 20  # extra candidates per token per unit of letter-corrected share above the floor


def adapt_costs(
    found: Candidates, voters: np.ndarray, choice: list[int], key_of: np.ndarray, costs: np.ndarray | None = None
) -> np.ndarray:
    """Channel costs of every candidate (``costs`` where given, else their own), lowered in the slots of more than
    one by the log share of its form among the document's choices for its key: the ``choice`` made at each of the
    ``voters`` (indices of slots: all of them, or a sample)."""
    costs = found.costs if costs is None else costs
    chosen = found.ids[found.starts[voters] + np.asarray(choice, dtype=np.int64)]
    weights = (found.sizes[voters] > 1).astype(np.float64)
    votes = np.bincount(chosen, weights=weights, minlength=len(key_of))
    totals = np.bincount(key_of[chosen], weights=weights, minlength=int(key_of.max()) + 1)
    share = np.log((votes[found.ids] + _PRIOR) / (totals[key_of[found.ids]] + 2 * _PRIOR))
    return np.where(np.repeat(found.sizes > 1, found.sizes), costs - CACHE_WEIGHT * share, costs).astype(np.float32)


@dataclass
class ConfusionCounts:
    """Aligned (intended, observed) spans of a document, with an upper-case initial's reading kept apart."""

    pairs: Counter[tuple[str, str]] = field(default_factory=Counter)
    capital_pairs: Counter[tuple[str, str]] = field(default_factory=Counter)
    tokens: int = 0
    letter_fixes: int = 0  # tokens whose letters, not only marks, were corrected

    def add(self, channel: ChannelModel, observed: str, intended: str, capital: bool) -> None:
        """Count the alignment of one observed lower-case token with the syllable restored for it."""
        pairs = channel.alignment(observed, intended, capital)
        if capital and pairs and len(pairs[0][0]) == 1:
            self.capital_pairs[pairs[0]] += 1
            pairs = pairs[1:]
        self.pairs.update(pairs)
        self.tokens += 1
        self.letter_fixes += strip_marks(observed) != strip_marks(intended)


def count_confusions(channel: ChannelModel, readings: Iterable[tuple[str, str, bool]]) -> ConfusionCounts:
    """Confusion counts of ``(observed, intended, capital)`` readings (see `ConfusionCounts.add`)."""
    counts = ConfusionCounts()
    for observed, intended, capital in readings:
        counts.add(channel, observed, intended, capital)
    return counts


def candidate_width(counts: ConfusionCounts) -> int:
    """Candidates kept per token in a document: more, the more of its tokens had misread letters."""
    share = counts.letter_fixes / counts.tokens if counts.tokens else 0.0
    return MAX_CANDIDATES + round(WIDTH_PER_FIX_SHARE * max(0.0, share - FIX_SHARE_FLOOR))


def blend_cost(seen: int, total: int, global_cost: float) -> float:
    """-log P(observed | intended): the document's count blended with the global probability as a Dirichlet prior."""
    return -math.log((seen + CONFUSION_PRIOR * math.exp(-global_cost)) / (total + CONFUSION_PRIOR))


def _adapted(pairs: Counter[tuple[str, str]], cost_of: Callable[[str, str], float]) -> dict[tuple[str, str], float]:
    """Blended costs of the document's single-character confusions, where cheaper than ``cost_of`` says."""
    totals: Counter[str] = Counter()
    for (intended, _), n in pairs.items():
        totals[intended] += n
    out = {}
    for (intended, observed), n in pairs.items():
        if len(intended) == 1 and intended != observed:
            cost = blend_cost(n, totals[intended], global_cost := cost_of(intended, observed))
            if cost < global_cost:
                out[intended, observed] = cost
    return out


def adapt_channel(channel: ChannelModel, counts: ConfusionCounts) -> ChannelModel:
    """``channel`` with the confusions ``counts`` shows made cheaper (never dearer)."""
    confusions = {**channel.confusions, **_adapted(counts.pairs, channel.pair_cost)}
    capitals = {k: dict(v) for k, v in channel.capitals.items()}
    known = {(i, o): c for i, seen in capitals.items() for o, c in seen.items()}
    for (intended, observed), cost in _adapted(counts.capital_pairs, lambda i, o: known.get((i, o), math.inf)).items():
        capitals.setdefault(intended, {})[observed] = cost
    return ChannelModel(confusions, {i: list(seen.items()) for i, seen in capitals.items()})
