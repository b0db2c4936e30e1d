"""Second-order Viterbi over a lattice of candidate syllables, scored by the trigram model."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from diacritics.lm import NgramModel

LM_WEIGHT = 0.65
CHUNK_SLOTS = 400  # decode at most about this many positions at once (then cut at a sentence break)


@dataclass(frozen=True)
class Slot:
    """The candidates of one position: vocabulary ids and channel costs (lower is likelier)."""

    ids: np.ndarray
    costs: np.ndarray


def fixed_slot(vocab_id: int) -> Slot:
    """A position with a single, certain candidate."""
    return Slot(np.array([vocab_id], dtype=np.int64), np.zeros(1, dtype=np.float32))


def score_transitions(lm: NgramModel, padded: list[Slot]) -> tuple[np.ndarray, np.ndarray]:
    """LM scores of every (t-2, t-1, t) candidate triple for t >= 2, flattened in one batch, and for
    each triple the index of its last candidate among all candidates of ``padded``.

    Position t's block has len(a) * len(b) * len(c) entries in C order (a: t-2, b: t-1, c: t).
    Bigram scores and backoff weights are looked up once per candidate pair, trigrams per triple.
    """
    sizes = np.array([len(s.ids) for s in padded], dtype=np.int64)
    flat = np.concatenate([s.ids for s in padded])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    # pairs (t-1, t) for t >= 1
    pair_blocks = sizes[:-1] * sizes[1:]
    pair_starts = np.concatenate([[0], np.cumsum(pair_blocks)[:-1]])
    pos = np.repeat(np.arange(len(pair_blocks)), pair_blocks)
    j = np.arange(int(pair_blocks.sum())) - pair_starts[pos]
    c = sizes[1:][pos]
    bigram, history, stored = lm.score_pairs(flat[offsets[:-1][pos] + j // c], flat[offsets[1:][pos] + j % c])
    # triples (t-2, t-1, t) for t >= 2
    a, b, c = sizes[:-2], sizes[1:-1], sizes[2:]
    blocks = a * b * c
    pos = np.repeat(np.arange(len(blocks)), blocks)
    j = np.arange(int(blocks.sum())) - np.repeat(np.cumsum(blocks) - blocks, blocks)
    bc, cc, bb = (b * c)[pos], c[pos], b[pos]
    i1, i2, i3 = j // bc, (j // cc) % bb, j % cc
    before, after = pair_starts[:-1][pos] + i1 * bb + i2, pair_starts[1:][pos] + i2 * cc + i3
    last = offsets[2:][pos] + i3
    words = flat[offsets[:-2][pos] + i1], flat[offsets[1:-1][pos] + i2], flat[last]
    possible = (history[before] < 0) & stored[after]
    return lm.score_triples(*words, history[before] + bigram[after], possible), last


@dataclass(frozen=True)
class Lattice:
    """Candidate slots and the LM scores of their transitions, in pieces cut at sentence breaks."""

    slots: list[Slot]
    pieces: list[tuple[int, int, np.ndarray, np.ndarray]]  # begin, end, transition scores, their last candidates


def build_lattice(lm: NgramModel, slots: list[Slot], boundary: int) -> Lattice:
    """Score every transition once; long inputs are cut after a sentence break to bound memory."""
    start = fixed_slot(boundary)
    pieces = []
    begin = 0
    for end, slot in enumerate(slots, 1):
        if end == len(slots) or (end - begin >= CHUNK_SLOTS and slot.ids[0] == boundary and len(slot.ids) == 1):
            scores, last = score_transitions(lm, [start, start, *slots[begin:end]])
            pieces.append((begin, end, LM_WEIGHT * scores, last - 2))  # minus the two start slots
            begin = end
    return Lattice(slots, pieces)


def decode_best(lattice: Lattice, costs: list[np.ndarray] | None = None) -> list[int]:
    """Index of the chosen candidate at every slot, maximising LM score minus channel cost.

    ``costs`` replaces the slots' own channel costs (same shapes) when given.
    """
    costs = costs or [s.costs for s in lattice.slots]
    choice: list[int] = []
    for begin, end, scores, last in lattice.pieces:
        steps = scores - np.concatenate(costs[begin:end])[last]
        choice += _decode_piece([len(s.ids) for s in lattice.slots[begin:end]], steps)
    return choice


def _decode_piece(sizes: list[int], steps: np.ndarray) -> list[int]:
    sizes = [1, 1, *sizes]
    delta = np.zeros((1, 1), dtype=np.float32)  # (candidates at t-1, candidates at t)
    backs: list[np.ndarray] = []
    at = 0
    for t in range(2, len(sizes)):
        a, b, c = sizes[t - 2], sizes[t - 1], sizes[t]
        total = delta[:, :, None] + steps[at : at + a * b * c].reshape(a, b, c)
        at += a * b * c
        backs.append(total.argmax(axis=0))
        delta = total.max(axis=0)
    j, k = np.unravel_index(int(delta.argmax()), delta.shape)
    choice = [int(k), int(j)]
    for back in reversed(backs[1:]):
        i = int(back[choice[-1], choice[-2]])
        choice.append(i)
    choice.reverse()
    return choice[1:]


def score_confidence(
    lm: NgramModel, slots: list[Slot], choice: list[int], boundary: int, costs: list[np.ndarray] | None = None
) -> np.ndarray:
    """Posterior of each chosen candidate against its alternatives, given the chosen neighbours (1 if alone)."""
    costs = costs or [s.costs for s in slots]
    ids = np.array([boundary, boundary, *(s.ids[c] for s, c in zip(slots, choice, strict=True)), boundary, boundary])
    open_slots = [t for t, s in enumerate(slots) if len(s.ids) > 1]
    confidence = np.ones(len(slots))
    if not open_slots:
        return confidence
    sizes = np.array([len(slots[t].ids) for t in open_slots])
    p = np.repeat(np.array(open_slots), sizes) + 2  # index of the slot in the padded id array
    alt = np.concatenate([slots[t].ids for t in open_slots])
    score = (
        lm.score(ids[p - 2], ids[p - 1], alt)
        + lm.score(ids[p - 1], alt, ids[p + 1])
        + lm.score(alt, ids[p + 1], ids[p + 2])
    ) * LM_WEIGHT - np.concatenate([costs[t] for t in open_slots])
    starts = np.cumsum(sizes) - sizes
    prob = np.exp(score - np.repeat(np.maximum.reduceat(score, starts), sizes))
    chosen = starts + np.array([choice[t] for t in open_slots])
    confidence[open_slots] = prob[chosen] / np.add.reduceat(prob, starts)
    return confidence
