"""Rarer candidates that the chosen neighbours call for, added to the slots before a second decoding.

A token's candidate list is cut by channel cost and unigram prior (six per token), so a word that is rare in the
corpus but needed by its context can be missing: "chang" between đạt and nhận needs chứng. After a first decoding,
a slot whose choice is in doubt draws on a wider list: a candidate beyond the usual ones is added where it beats the
choice on the bigrams with the chosen neighbours, channel cost included. Two neighbours may both lack their word, and
then neither helps the other: in "Can c&t Quyết định", cứ is ranked out of the second token's list, so the first
decoding reads Cần cắt, sure of cắt next to cần. Adjacent slots of which at least one is in doubt are therefore also
tried together, the first `PAIR_EXTRA` wider candidates of each against the chosen pair (căn cứ).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from diacritics.decode import LM_WEIGHT, Slot

CONTEXT_GAIN = 1.0  # nats by which a rarer candidate must beat the choice next to the chosen neighbours to be added
PAIR_GAIN = 3.0  # nats by which a pair of candidates, one of them rarer, must beat the chosen pair
CONTEXT_EXTRA = 2  # such candidates added per token, at most
CONTEXT_DOUBT = 0.99  # only tokens whose choice is less sure than this get such candidates (or their neighbours)
PAIR_EXTRA = 6  # rarer candidates of each slot tried in pairs, the likeliest first

ScorePairs = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]


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
    score_pairs: ScorePairs,
) -> dict[int, list[int]]:
    """Per position, the indices into ``wide(position).slot`` of the candidates to add (see the module docstring).

    ``is_open``: the position is a word with a choice to make; ``choice``, ``confidence``: the first decoding's;
    ``boundary``: the id of a sentence break (before the first slot and after the last); ``score_pairs``: the
    language model's bigram scores (`lm.NgramModel.score_pairs`)."""
    doubtful = [i for i, c in enumerate(confidence) if is_open[i] and c < CONTEXT_DOUBT]
    if not doubtful:
        return {}
    chosen = np.array([boundary, *(slot.ids[c] for slot, c in zip(slots, choice, strict=True)), boundary])
    gains: dict[int, list[tuple[float, int]]] = {}
    _single_gains(slots, choice, doubtful, wide, chosen, score_pairs, gains)
    starts = {j for i in doubtful for j in (i - 1, i) if 0 <= j < len(slots) - 1 and is_open[j] and is_open[j + 1]}
    _pair_gains(slots, choice, sorted(starts), wide, chosen, score_pairs, gains)
    return {
        i: list(dict.fromkeys(k for _, k in sorted(found, reverse=True)))[:CONTEXT_EXTRA] for i, found in gains.items()
    }


def _single_gains(
    slots: list[Slot],
    choice: list[int],
    positions: list[int],
    wide: Callable[[int], WideSlot],
    chosen: np.ndarray,
    score_pairs: ScorePairs,
    gains: dict[int, list[tuple[float, int]]],
) -> None:
    """Add to ``gains`` each rarer candidate at ``positions`` that beats the choice by `CONTEXT_GAIN` next to the
    chosen neighbours (``chosen``: the chosen ids between two boundaries)."""
    rows = [(i, k) for i in positions for k in wide(i).extra]
    if not rows:
        return
    at = np.array([i for i, _ in rows]) + 1  # in `chosen`, which starts with a boundary
    new = np.array([wide(i).slot.ids[k] for i, k in rows])
    before, old, after = chosen[at - 1], chosen[at], chosen[at + 1]
    lm_gain = score_pairs(before, new)[0] + score_pairs(new, after)[0] - score_pairs(before, old)[0]
    lm_gain -= score_pairs(old, after)[0]
    cost_gain = np.array([slots[i].costs[choice[i]] - wide(i).slot.costs[k] for i, k in rows])
    for (i, k), gain in zip(rows, (LM_WEIGHT * lm_gain + cost_gain).tolist(), strict=True):
        if gain > CONTEXT_GAIN:
            gains.setdefault(i, []).append((gain, k))


def _pair_gains(
    slots: list[Slot],
    choice: list[int],
    starts: list[int],
    wide: Callable[[int], WideSlot],
    chosen: np.ndarray,
    score_pairs: ScorePairs,
    gains: dict[int, list[tuple[float, int]]],
) -> None:
    """Add to ``gains`` the rarer members of the candidate pairs at ``starts`` (and the slot after each) that beat
    the chosen pair by `PAIR_GAIN` between the chosen neighbours; each pair has at least one rarer member."""
    blocks = []  # (start, first index, second index, first is rarer, second is rarer)
    for i in starts:
        first, second = wide(i), wide(i + 1)
        extra1, extra2 = first.extra[:PAIR_EXTRA], second.extra[:PAIR_EXTRA]
        if not extra1 and not extra2:
            continue
        a = np.repeat(np.arange(len(first.slot.ids)), len(second.slot.ids))
        b = np.tile(np.arange(len(second.slot.ids)), len(first.slot.ids))
        rare1, rare2 = np.isin(a, extra1), np.isin(b, extra2)
        keep = rare1 | rare2
        blocks.append((i, a[keep], b[keep], rare1[keep], rare2[keep]))
    if not blocks:
        return
    at = np.concatenate([np.full(len(a), i + 1) for i, a, *_ in blocks])  # in `chosen`
    new1 = np.concatenate([wide(i).slot.ids[a] for i, a, *_ in blocks])
    new2 = np.concatenate([wide(i + 1).slot.ids[b] for i, _, b, *_ in blocks])
    old_cost = np.concatenate(
        [np.full(len(a), slots[i].costs[choice[i]] + slots[i + 1].costs[choice[i + 1]]) for i, a, *_ in blocks]
    )
    new_cost = np.concatenate([wide(i).slot.costs[a] + wide(i + 1).slot.costs[b] for i, a, b, *_ in blocks])
    before, old1, old2, after = chosen[at - 1], chosen[at], chosen[at + 1], chosen[at + 2]
    lm_gain = score_pairs(before, new1)[0] + score_pairs(new1, new2)[0] + score_pairs(new2, after)[0]
    lm_gain -= score_pairs(before, old1)[0] + score_pairs(old1, old2)[0] + score_pairs(old2, after)[0]
    total = LM_WEIGHT * lm_gain + old_cost - new_cost
    index1 = np.concatenate([a for _, a, *_ in blocks])
    index2 = np.concatenate([b for _, _, b, *_ in blocks])
    rare1 = np.concatenate([r for *_, r, _ in blocks])
    rare2 = np.concatenate([r for *_, r in blocks])
    for n in np.flatnonzero(total > PAIR_GAIN).tolist():
        i = int(at[n]) - 1
        if rare1[n]:
            gains.setdefault(i, []).append((float(total[n]), int(index1[n])))
        if rare2[n]:
            gains.setdefault(i + 1, []).append((float(total[n]), int(index2[n])))
