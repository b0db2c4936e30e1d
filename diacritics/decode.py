"""Second-order Viterbi over a lattice of candidate syllables, scored by the trigram model."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numba import njit

from diacritics.lm import NgramModel

LM_WEIGHT = 0.65
CHUNK_SLOTS = 400  # decode at most about this many positions at once (then cut at a sentence break)
MAX_PIECE_SLOTS = 4 * CHUNK_SLOTS  # cut here even without a sentence break, to bound memory
MIN_ALTERNATIVE_SHARE = 0.05  # posterior share of a candidate listed as a runner-up
MAX_PRIOR_GAP = 8.0  # see `within_reach`


@dataclass(frozen=True)
class Slot:
    """The candidates of one position: vocabulary ids and channel costs (lower is likelier)."""

    ids: np.ndarray
    costs: np.ndarray


@dataclass(frozen=True)
class Candidates:
    """The candidates of all slots in flat arrays, slot after slot: vocabulary ids and channel costs, the number per
    slot, and where each slot's candidates start (one more entry: the total)."""

    ids: np.ndarray
    costs: np.ndarray
    sizes: np.ndarray
    starts: np.ndarray

    @classmethod
    def of(cls, slots: list[Slot]) -> Candidates:
        """The candidates of ``slots``."""
        sizes = np.fromiter((len(s.ids) for s in slots), dtype=np.int64, count=len(slots))
        starts = np.concatenate([[0], np.cumsum(sizes)])
        return cls(np.concatenate([s.ids for s in slots]), np.concatenate([s.costs for s in slots]), sizes, starts)


def fixed_slot(vocab_id: int) -> Slot:
    """A position with a single, certain candidate."""
    return Slot(np.array([vocab_id], dtype=np.int64), np.zeros(1, dtype=np.float32))


def within_reach(ids: np.ndarray, costs: np.ndarray, unigram: np.ndarray) -> np.ndarray:
    """Indices of the candidates (vocabulary ids, channel costs) whose prior, channel cost minus `LM_WEIGHT` times the
    unigram log-probability (``unigram``, by id), is within `MAX_PRIOR_GAP` of the best one's. In text that lost its
    marks the others are almost never chosen, whatever their neighbours, and they make every lattice transition
    around them dearer to score and decode (in unmarked text they are mostly the word kept as an unknown token)."""
    prior = costs - LM_WEIGHT * unigram[ids]
    return np.flatnonzero(prior <= prior.min() + MAX_PRIOR_GAP)


def score_transitions(
    lm: NgramModel, sizes: np.ndarray, flat: np.ndarray, capitalised: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """LM scores of every (t-2, t-1, t) candidate triple for t >= 2, flattened in one batch, and for
    each triple the index of its last candidate in ``flat``: the vocabulary ids of the candidates of slots of
    ``sizes`` candidates each, slot after slot (the first two slots: the start padding).

    Position t's block has len(a) * len(b) * len(c) entries in C order (a: t-2, b: t-1, c: t).
    Bigram scores and backoff weights are looked up once per candidate pair, trigrams per triple.
    ``capitalised``: per position, whether it and the one before are capitalised words, whose candidate pairs then
    score `lm.PLACE_PAIR_BONUS` more where they spell part of a place name (Sóc Trăng, not sóc trắng).
    """
    offsets = np.cumsum(sizes) - sizes
    # pairs (t-1, t) for t >= 1: each candidate of slot t-1 repeated once per candidate of slot t (C order), so the
    # indices are ragged ranges built by np.repeat, with no division
    following = np.repeat(sizes[1:], sizes[:-1])  # per candidate of every slot but the last: the next slot's size
    pair_blocks = sizes[:-1] * sizes[1:]
    pair_starts = np.cumsum(pair_blocks) - pair_blocks
    first = np.repeat(flat[: offsets[-1]], following)
    in_pair = np.cumsum(following) - following  # where each candidate's pairs start
    second_at = np.arange(len(first)) + np.repeat(np.repeat(offsets[1:], sizes[:-1]) - in_pair, following)
    second = flat[second_at]
    bigram, history, stored = lm.score_pairs(first, second)
    pos = np.repeat(np.arange(len(pair_blocks)), pair_blocks)  # each pair's first slot
    place = None  # the place-name bonus per pair, where any pair between capitalised words has one
    titled = np.flatnonzero(capitalised[1:][pos]) if capitalised is not None else ()
    if len(titled) and (bonus := lm.place_bonus(first[titled], second[titled])).any():
        place = np.zeros(len(bigram), dtype=np.float32)
        place[titled] = bonus
    # triples (t-2, t-1, t) for t >= 2: each pair (t-2, t-1) repeated once per candidate of slot t
    used = int(pair_starts[-1])  # the pairs with a slot after them
    t = pos[:used]
    c = sizes[t + 2]
    in_triple = np.cumsum(c) - c  # where each pair's triples start
    at = np.arange(int(c.sum()))
    middle = second_at[:used] - offsets[t + 1]  # the pair's candidate index in slot t + 1
    after = at + np.repeat(pair_starts[t + 1] + middle * c - in_triple, c)
    last = at + np.repeat(offsets[t + 2] - in_triple, c)
    possible = np.repeat(history[:used] < 0, c) & stored[after]
    backoff = np.repeat(history[:used], c) + bigram[after]
    scores = lm.score_triples(np.repeat(first[:used], c), np.repeat(second[:used], c), flat[last], backoff, possible)
    return (scores if place is None else scores + place[after]), last


@dataclass(frozen=True)
class Lattice:
    """Candidate slots and the LM scores of their transitions, in pieces cut at sentence breaks."""

    candidates: Candidates
    pieces: list[tuple[int, int, np.ndarray, np.ndarray]]  # begin, end, transition scores, their last candidates

    def piece_slots(self, pieces: Iterable[int]) -> np.ndarray:
        """The indices of the slots of the given pieces, in that order."""
        return np.concatenate([np.arange(*self.pieces[n][:2]) for n in pieces] or [np.zeros(0, dtype=np.int64)])


def build_lattice(lm: NgramModel, slots: list[Slot], boundary: int, capitalised: np.ndarray | None = None) -> Lattice:
    """Score every transition once; long inputs are cut after a sentence break to bound memory. ``capitalised``:
    per slot, whether it and the slot before hold capitalised words (see `score_transitions`)."""
    found = Candidates.of(slots)
    pad_sizes, pad_ids = np.ones(2, dtype=np.int64), np.full(2, boundary, dtype=found.ids.dtype)
    pieces = []
    begin = 0
    for end, slot in enumerate(slots, 1):
        at_break = end - begin >= CHUNK_SLOTS and slot.ids[0] == boundary and len(slot.ids) == 1
        if end == len(slots) or at_break or end - begin >= MAX_PIECE_SLOTS:
            flags = None if capitalised is None else np.concatenate([[False, False], capitalised[begin:end]])
            sizes = np.concatenate([pad_sizes, found.sizes[begin:end]])
            flat = np.concatenate([pad_ids, found.ids[found.starts[begin] : found.starts[end]]])
            scores, last = score_transitions(lm, sizes, flat, flags)
            pieces.append((begin, end, LM_WEIGHT * scores, last - 2))  # minus the two start slots
            begin = end
    return Lattice(found, pieces)


def decode_best(lattice: Lattice, costs: np.ndarray | None = None, pieces: Iterable[int] | None = None) -> list[int]:
    """Index of the chosen candidate at every slot, maximising LM score minus channel cost.

    ``costs`` replaces the candidates' own channel costs (`Candidates.costs`, same shape) when given. With ``pieces``
    (indices into ``lattice.pieces``), only the slots of those pieces are decoded, in that order.
    """
    found = lattice.candidates
    costs = found.costs if costs is None else costs
    choice: list[int] = []
    for n in range(len(lattice.pieces)) if pieces is None else pieces:
        begin, end, scores, last = lattice.pieces[n]
        steps = (scores - costs[found.starts[begin] : found.starts[end]][last]).astype(np.float32, copy=False)
        choice += _decode_piece(found.sizes[begin:end], steps).tolist()
    return choice


@njit("int64[:](int64[:], float32[:])", cache=True, nogil=True)
def _decode_piece(sizes: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """Second-order Viterbi over one piece of slots of ``sizes`` candidates: ``steps`` holds, for every position t
    (after the two start slots), the score of each (t-2, t-1, t) candidate triple in C order. The forward pass keeps
    the best total of each (t-1, t) pair and, for each, the best candidate at t-2; the way back follows those.
    Compiled (numba): as a numpy loop it cost 3 µs a position, a quarter of a restore. Ties go to the first."""
    n = len(sizes)
    padded = np.ones(n + 2, dtype=np.int64)
    padded[2:] = sizes
    pair_at = np.zeros(n + 1, dtype=np.int64)  # where each position's (t-1, t) pairs start in ``back``
    for t in range(n):
        pair_at[t + 1] = pair_at[t] + padded[t + 1] * padded[t + 2]
    back = np.zeros(pair_at[n], dtype=np.int32)
    total = np.zeros(1, dtype=np.float32)  # best total of each (t-1, t) pair, flattened
    at = 0
    for t in range(n):
        a, b, c = padded[t], padded[t + 1], padded[t + 2]
        best = np.full(b * c, -np.inf, dtype=np.float32)
        for i in range(a):
            for j in range(b):
                before = total[i * b + j]
                row = at + (i * b + j) * c
                for k in range(c):
                    score = steps[row + k] + before
                    if score > best[j * c + k]:
                        best[j * c + k] = score
                        back[pair_at[t] + j * c + k] = i
        at += a * b * c
        total = best
    last = 0
    for x in range(len(total)):
        if total[x] > total[last]:
            last = x
    choice = np.zeros(n, dtype=np.int64)
    j, k = last // padded[n + 1], last % padded[n + 1]
    for t in range(n - 1, -1, -1):
        choice[t] = k
        j, k = back[pair_at[t] + j * padded[t + 2] + k], j
    return choice


def score_confidence(
    lattice: Lattice, choice: list[int], costs: np.ndarray | None = None
) -> tuple[np.ndarray, dict[int, list[int]]]:
    """Posterior of each chosen candidate against its alternatives, given the chosen neighbours (1 if alone),
    and per slot the candidates other than the chosen one with a posterior share of at least
    `MIN_ALTERNATIVE_SHARE`, likeliest first.

    A candidate's score is the lattice's LM scores of the three transitions it takes part in, with the chosen
    neighbours, minus its channel cost.
    """
    found = lattice.candidates
    sizes, starts = found.sizes, found.starts[:-1]
    chosen = np.array(choice)
    score = np.concatenate(
        [_score_alternatives(sizes[begin:end], chosen[begin:end], scores) for begin, end, scores, _ in lattice.pieces]
    ) - (found.costs if costs is None else costs)
    prob = np.exp(score - np.repeat(np.maximum.reduceat(score, starts), sizes))
    share = prob / np.repeat(np.add.reduceat(prob, starts), sizes)
    picked = starts + chosen
    confidence = share[picked]
    share[picked] = 0.0
    slot_of = np.repeat(np.arange(len(sizes)), sizes)
    runners: dict[int, list[int]] = {}
    for k in sorted(np.flatnonzero(share >= MIN_ALTERNATIVE_SHARE).tolist(), key=lambda k: -share[k]):
        runners.setdefault(int(slot_of[k]), []).append(k - int(starts[slot_of[k]]))
    return confidence, runners


def _score_alternatives(piece_sizes: np.ndarray, chosen: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """For every candidate of a piece, the sum of its transition scores with the chosen neighbours."""
    s = np.concatenate([[1, 1], piece_sizes])  # two start slots, as in `build_lattice`
    ch = np.concatenate([[0, 0], chosen])
    blocks = s[:-2] * s[1:-1] * s[2:]
    block_start = np.concatenate([[0, 0], np.cumsum(blocks) - blocks])  # by padded position
    t = np.repeat(np.arange(2, len(s)), s[2:])  # padded position of each candidate
    k = np.arange(len(t)) - np.repeat(np.cumsum(s[2:]) - s[2:], s[2:])  # its index in its slot
    total = scores[block_start[t] + (ch[t - 2] * s[t - 1] + ch[t - 1]) * s[t] + k]
    nxt = t + 1 < len(s)  # the candidate as the middle of the next transition
    u, j = t[nxt], k[nxt]
    total[nxt] += scores[block_start[u + 1] + (ch[u - 1] * s[u] + j) * s[u + 1] + ch[u + 1]]
    nxt = t + 2 < len(s)  # and as the history's start of the one after
    u, j = t[nxt], k[nxt]
    total[nxt] += scores[block_start[u + 2] + (j * s[u + 1] + ch[u + 1]) * s[u + 2] + ch[u + 2]]
    return total
