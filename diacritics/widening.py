"""Rarer candidates that the chosen neighbours call for, added to the slots before a second decoding.

A token's candidate list is cut by channel cost and unigram prior (six per token), so a word that is rare in the
corpus but needed by its context can be missing: "chang" between đạt and nhận needs chứng. After a first decoding,
a slot whose choice is in doubt draws on a wider list: a candidate beyond the usual ones is added where it beats the
choice on the trigrams it takes part in, between the chosen neighbours, channel cost included. Two neighbours may
both lack their word, and then neither helps the other: in "Can c&t Quyết định", cứ is ranked out of the second
token's list, so the first decoding reads Cần cắt, sure of cắt next to cần. Adjacent slots of which at least one is
in doubt are therefore also tried together, the first `PAIR_EXTRA` wider candidates of each against the chosen pair
(căn cứ).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

import numpy as np

from diacritics.decode import LM_WEIGHT, Slot

CONTEXT_GAIN = 2.0  # nats by which a rarer candidate must beat the choice between the chosen neighbours to be added
PAIR_GAIN = 3.0  # nats by which a pair of candidates, one of them rarer, must beat the chosen pair
CONTEXT_EXTRA = 2  # such candidates added per token, at most
CONTEXT_DOUBT = 0.99  # only tokens whose choice is less sure than this get such candidates (or their neighbours)
PAIR_EXTRA = 10  # rarer candidates of each slot tried in pairs, the likeliest first

ScoreTriples = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]  # log P(w3 | w1, w2), element-wise


class WideSlot(NamedTuple):
    """A token's wider candidate list, with its outputs, and the indices in it beyond the usual list."""

    slot: Slot
    forms: list[str | None]
    extra: list[int]


def widened(
    slots: list[Slot],
    choice: list[int],
    confidence: list[float],
    is_open: list[bool],
    wide: Callable[[int], WideSlot],
    boundary: int,
    score: ScoreTriples,
) -> dict[int, list[int]]:
    """Per position, the indices into ``wide(position).slot`` of the candidates to add (see the module docstring).

    ``is_open``: the position is a word with a choice to make; ``choice``, ``confidence``: the first decoding's;
    ``boundary``: the id of a sentence break (around the slots); ``score``: the language model's trigram scores."""
    doubtful = [i for i, c in enumerate(confidence) if is_open[i] and c < CONTEXT_DOUBT]
    if not doubtful:
        return {}
    chosen = np.array([boundary, boundary, *(s.ids[c] for s, c in zip(slots, choice, strict=True)), boundary, boundary])
    chosen_cost = np.array([s.costs[c] for s, c in zip(slots, choice, strict=True)])
    gains: dict[int, list[tuple[float, int]]] = {}
    single = [(i, k) for i in doubtful for k in wide(i).extra]
    starts = {j for i in doubtful for j in (i - 1, i) if 0 <= j < len(slots) - 1 and is_open[j] and is_open[j + 1]}
    pairs = [(i, k1, k2) for i in sorted(starts) for k1, k2 in _rarer_pairs(wide(i), wide(i + 1))]
    for rows, threshold in ((single, CONTEXT_GAIN), (pairs, PAIR_GAIN)):
        scored = zip(rows, _gains(rows, chosen_cost, wide, chosen, score).tolist(), strict=True) if rows else ()
        for (start, *indices), gain in ((row, gain) for row, gain in scored if gain > threshold):
            for i, k in enumerate(indices, start):
                if k in wide(i).extra:  # the rarer members of a pair
                    gains.setdefault(i, []).append((gain, k))
    return {
        i: list(dict.fromkeys(k for _, k in sorted(found, reverse=True)))[:CONTEXT_EXTRA] for i, found in gains.items()
    }


def _rarer_pairs(first: WideSlot, second: WideSlot) -> list[tuple[int, int]]:
    """Index pairs of two adjacent wide slots with at least one of the first `PAIR_EXTRA` rarer candidates."""
    rare1, rare2 = set(first.extra[:PAIR_EXTRA]), set(second.extra[:PAIR_EXTRA])
    if not rare1 and not rare2:
        return []
    return [
        (k1, k2)
        for k1 in range(len(first.slot.ids))
        for k2 in range(len(second.slot.ids))
        if k1 in rare1 or k2 in rare2
    ]


def _gains(
    rows: list[tuple[int, ...]],
    chosen_cost: np.ndarray,
    wide: Callable[[int], WideSlot],
    chosen: np.ndarray,
    score: ScoreTriples,
) -> np.ndarray:
    """For rows (position, index in its wide slot, [index in the next one's]) of one span length, grouped by position,
    how much likelier, in nats, the span's candidates make the text than the choice: channel cost and the trigrams
    that they touch, between the chosen neighbours (``chosen``: the chosen ids between two boundaries on either side;
    ``chosen_cost``: their channel costs, by position)."""
    span = len(rows[0]) - 1
    positions = np.array([row[0] for row in rows])
    at = positions + 2  # in `chosen`
    new, gain = [], np.zeros(len(rows), dtype=np.float32)
    for offset in range(span):
        ids, costs = _candidates(rows, wide, offset)
        new.append(ids)
        gain += chosen_cost[positions + offset] - costs
    old = [chosen[at + offset] for offset in range(span)]
    for middle, sign in ((new, 1.0), (old, -1.0)):
        window = [chosen[at - 2], chosen[at - 1], *middle, chosen[at + span], chosen[at + span + 1]]
        for o in range(span + 2):
            gain += sign * LM_WEIGHT * score(window[o], window[o + 1], window[o + 2])
    return gain


def _candidates(rows: list[tuple[int, ...]], wide: Callable[[int], WideSlot], offset: int) -> tuple[np.ndarray, ...]:
    """The ids and channel costs of the rows' candidates ``offset`` slots after their position."""
    ids, costs = [], []
    for position, group in groupby(rows, key=itemgetter(0)):
        slot = wide(position + offset).slot
        picked = [row[1 + offset] for row in group]
        ids.append(slot.ids[picked])
        costs.append(slot.costs[picked])
    return np.concatenate(ids), np.concatenate(costs)
