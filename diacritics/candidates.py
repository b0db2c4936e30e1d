"""Candidate syllables for an observed token: same letters without marks, plus near OCR misreadings."""

from __future__ import annotations

import copy
import csv
import math
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np
from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import cdist

from diacritics.channel import ChannelModel
from diacritics.syllables import strip_marks
from diacritics.tokens import STRAY_MARKS

WORD_PAIRS_FILE = "ocr_word_pairs.tsv"  # whole words of the OCR renders: intended, observed, count
MAX_CANDIDATES = 6
WIDE_CANDIDATES = 30  # candidates a token may draw on when its neighbours call for a rarer one (see `Restorer`)
MAX_COMMON_CANDIDATES = 10  # more same-key candidates are kept when they are common syllables
COMMON_LOGPROB = -11.5  # unigram log-probability of a common syllable
MAX_CHANNEL_COST = 15.0
MAX_EDITS = 2  # the most a candidate's key may be from the observed one (see `max_edits`)
MAX_NEAR_KEYS = 40  # mark-free keys whose syllables are scored by the channel model, per token
PRIOR_WEIGHT = 0.6  # weight of the unigram prior when ranking candidates before decoding
PLAIN_RANK_GAP = 4.5  # in unmarked text, candidates ranked this far below the best are dropped (speed)
UNREACHABLE = 1e4  # cost of a letter change in unmarked text: such text is typed, not OCR noise
_NO_STRAY_MARKS = str.maketrans("", "", STRAY_MARKS)
_SCORED_KEPT = max(WIDE_CANDIDATES, MAX_COMMON_CANDIDATES)  # the ranked syllables any list width is cut from


@dataclass(frozen=True)
class Candidates:
    """Candidate vocabulary ids with their channel costs for marked and for unmarked text (a bare token looked up
    without fuzzy search, which only text that lost all its marks does, carries its plain costs in both)."""

    ids: np.ndarray
    costs: np.ndarray
    plain_costs: np.ndarray


def max_edits(key: str) -> int:
    """How many edits away (on mark-free letters) a candidate's key may be from the observed key: one for a short
    key of letters, `MAX_EDITS` for a longer one or a short one with a digit or symbol in it, which OCR misread
    throughout (¢6 for có, 1¢ for lẻ)."""
    return 1 if len(key) <= 2 and key.isalpha() else MAX_EDITS


def read_readings(path: Path) -> dict[str, frozenset[str]]:
    """From the OCR renders' word pairs (`WORD_PAIRS_FILE`), the mark-free keys of the words each mark-free, lower-case
    observed token was a reading of (chife: chuc, for chức), where they differ; empty without the file."""
    if not path.exists():
        return {}
    readings: defaultdict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            observed, intended = strip_marks(row["observed"].lower()), strip_marks(row["intended"].lower())
            if intended.isalpha() and intended != observed:
                readings[observed].add(intended)
    return {observed: frozenset(keys) for observed, keys in readings.items()}


def _deletions(key: str, edits: int) -> set[str]:
    """Every string obtained by deleting up to ``edits`` characters of ``key``."""
    out = {key}
    for n in range(1, min(edits, len(key)) + 1):
        for drop in combinations(range(len(key)), n):
            out.add("".join(c for i, c in enumerate(key) if i not in drop))
    return out


class CandidateIndex:
    """Lexicon syllables indexed by their mark-free key, with a deletion index for fuzzy lookup."""

    def __init__(
        self,
        vocab: tuple[str, ...],
        first_word: int,
        lp1: np.ndarray,
        channel: ChannelModel,
        readings: dict[str, frozenset[str]] | None = None,
        place_syllables: frozenset[int] = frozenset(),
    ) -> None:
        self.vocab = vocab
        self.place_syllables = place_syllables  # ids of syllables of place names: kept for a capitalised token
        self.lp1 = lp1
        self.channel = channel
        self.by_key: defaultdict[str, list[int]] = defaultdict(list)
        for i in range(first_word, len(vocab)):
            if vocab[i].islower():  # syllables, not the acronyms after them
                self.by_key[strip_marks(vocab[i])].append(i)
        self.key_prior = {k: float(np.exp(lp1[ids]).sum()) for k, ids in self.by_key.items()}
        self.by_deletion: defaultdict[str, set[str]] = defaultdict(set)
        for key in self.by_key:
            for variant in _deletions(key, MAX_EDITS):
                self.by_deletion[variant].add(key)
        self.readings = readings or {}  # OCR readings seen in the renders, too far for the edit limit (chife: chuc)
        self.spans = channel.span_readings()  # spans read for one letter ("ir": u); kept by `with_channel`
        self.span_widths = sorted({len(span) for span in self.spans})
        self.capital_readings = channel.capital_readings()  # a capital's readings ("p": d, Đ); kept likewise
        self.max_candidates = MAX_CANDIDATES
        self._cache: dict[tuple[str, bool, bool, int], Candidates] = {}
        self._scored_cache: dict[tuple[str, bool, bool], list[tuple[float, int, float, float]]] = {}

    def with_channel(self, channel: ChannelModel, max_candidates: int = MAX_CANDIDATES) -> CandidateIndex:
        """This lexicon's index scoring candidates with another channel, keeping up to ``max_candidates`` per token
        (and its own cache)."""
        index = copy.copy(self)
        index.channel = channel
        index.max_candidates = max_candidates
        index._cache = {}
        index._scored_cache = {}
        return index

    def near_keys(self, key: str, capital: bool = False) -> list[str]:
        """Lexicon keys within the allowed edit distance of ``key`` (`max_edits`), nearest and most frequent
        first, at most `MAX_NEAR_KEYS`; then those of the words the renders showed read as ``key`` (`readings`), and
        those one edit less away from ``key`` with a span of it put back to the letter OCR reads as that span
        (chire: chue, so chuc for chức, read as "chire" with ứ as "ir" and c as "e"). ``capital``: the token has an
        upper-case initial, which is also put back to the letter it may stand for (pec: dec, so doc for Độc). Stray
        marks (`STRAY_MARKS`) are no letters: a key that has them is also searched without them (phu'0'ng: phu0ng)."""
        keys = self._within(key, max_edits(key))[:MAX_NEAR_KEYS]
        further = set(self.readings.get(key, ()))
        if (bare := key.translate(_NO_STRAY_MARKS)) != key:
            further.update(self._within(bare, max_edits(bare)))
        for variant in self._unfolded(key) | (self._recapitalised(key) if capital else set()):
            further.update(self._within(variant, max_edits(variant) - 1))
        return keys + sorted(k for k in further if k in self.by_key and k not in keys)

    def _within(self, key: str, limit: int) -> list[str]:
        """Lexicon keys at most ``limit`` edits from ``key``, nearest and most frequent first."""
        found: set[str] = set()
        for variant in _deletions(key, limit):
            found.update(self.by_deletion.get(variant, ()))
        keys = list(found)
        distances = cdist([key], keys, scorer=Levenshtein.distance, score_cutoff=limit, dtype=np.int32)[0].tolist()
        near = [(d, -self.key_prior[k], k) for d, k in zip(distances, keys, strict=True) if d <= limit]
        return [k for _, _, k in sorted(near)]

    def _unfolded(self, key: str) -> set[str]:
        """``key`` with one of its spans that the channel saw stand for a single letter replaced by that letter."""
        out: set[str] = set()
        for width in self.span_widths:
            for start in range(len(key) - width + 1):
                for letter in self.spans.get(key[start : start + width], ()):
                    out.add(key[:start] + letter + key[start + width :])
        return out

    def _recapitalised(self, key: str) -> set[str]:
        """``key`` with its first letters, as OCR reads an upper-case initial, replaced by the letter they stand for."""
        return {
            letter + key[len(seen) :]
            for seen, letters in self.capital_readings.items()
            if key.startswith(seen)
            for letter in letters
        }

    def knows(self, key: str) -> bool:
        """Whether some lexicon syllable has the mark-free form ``key``."""
        return key in self.by_key

    def lookup(self, observed: str, fuzzy: bool = True, capital: bool = False, width: int | None = None) -> Candidates:
        """The likeliest lexicon syllables for a lower-case observed token, cheapest first.

        ``fuzzy``: also syllables a few letters away (OCR misreadings), not only those with the same letters.
        ``capital``: the token has an upper-case initial (misread in its own ways: Đ as P or B).
        ``width``: how many to keep (default: the index's own number, at most `WIDE_CANDIDATES`); the list of a
        smaller width is the start of the list of a larger one. A capitalised token also keeps the place-name
        syllables among the ranked ones (Lạng of Lạng Sơn, rare in prose), for the decoder's place-name pairs.
        """
        key = (observed, fuzzy, capital, min(width or self.max_candidates, WIDE_CANDIDATES))
        cached = self._cache.get(key)
        if cached is None:
            scored = self._scored(observed, fuzzy, capital and fuzzy)
            cached = self._cache[key] = self._cut(observed, scored, fuzzy, key[3], capital)
        return cached

    def _is_common(self, rank: int, vocab_id: int, cost: float, observed: str) -> bool:
        """Whether a cheap candidate beyond `MAX_CANDIDATES` is kept: a common syllable, within the larger limit
        (its marked-text ``cost`` is computed here where `_scored` left it out: NaN)."""
        if rank >= MAX_COMMON_CANDIDATES or self.lp1[vocab_id] <= COMMON_LOGPROB:
            return False
        return (self.channel.cost(observed, self.vocab[vocab_id]) if math.isnan(cost) else cost) < 1

    def _scored(self, observed: str, fuzzy: bool, capital: bool) -> list[tuple[float, int, float, float]]:
        """``(rank score, id, cost, plain cost)`` of the syllables within reach of ``observed``, best first, as many
        as any width keeps (the token as written among them). The marked-text cost of a bare token looked up without
        fuzzy search is left out (NaN): unmarked text weighs only the plain costs, which are then the cheaper."""
        key = (observed, fuzzy, capital)
        cached = self._scored_cache.get(key)
        if cached is not None:
            return cached
        observed_key = strip_marks(observed)
        keys = self.near_keys(observed_key, capital) if fuzzy else [k for k in (observed_key,) if k in self.by_key]
        ids = [i for key in keys for i in self.by_key[key]]
        words = [self.vocab[i] for i in ids]
        plains = np.full(len(ids), UNREACHABLE)
        bare = observed == observed_key
        if observed_key in keys:  # the same letters: marks lost may cost nothing (unmarked text)
            same_ids = set(self.by_key[observed_key])
            same = [k for k, i in enumerate(ids) if i in same_ids]
            # each letter of a bare token is its word's letter with the marks lost, which unmarked text gives free
            plains[same] = 0.0 if bare else self.channel.costs(observed, [words[k] for k in same], plain=True)
        if fuzzy or not bare:
            costs = self.channel.costs(observed, words, capital=capital)
            cheapest = np.minimum(costs, plains)
        else:  # a bare token of unmarked text: its plain costs (no more than the marked ones) are all the decoder uses
            costs, cheapest = np.full(len(ids), np.nan), plains
        vocab_ids = np.array(ids, dtype=np.int64)
        kept = np.flatnonzero(cheapest <= MAX_CHANNEL_COST)
        rank = cheapest[kept] - PRIOR_WEIGHT * self.lp1[vocab_ids[kept]].astype(np.float64)
        order = np.lexsort((vocab_ids[kept], rank))  # by rank score, then id (each id comes once)
        kept, rank = kept[order], rank[order]
        entries = zip(rank.tolist(), vocab_ids[kept].tolist(), costs[kept].tolist(), plains[kept].tolist(), strict=True)
        self._scored_cache[key] = scored = [
            e for n, e in enumerate(entries) if n < _SCORED_KEPT or self.vocab[e[1]] == observed
        ]
        return scored

    def _cut(
        self, observed: str, scored: list[tuple[float, int, float, float]], fuzzy: bool, width: int, capital: bool
    ) -> Candidates:
        """The first ``width`` of the ``scored`` syllables (and common ones a little further, and the token as
        written); in unmarked text, only those within `PLAIN_RANK_GAP` of the best; for a ``capital`` token, also
        the place-name syllables with the token's letters, which take none of the width's places (Bồng of Bồng Sơn
        does not push Đồng out of the list of "Bong")."""
        cutoff = scored[0][0] + PLAIN_RANK_GAP if scored and not fuzzy else math.inf
        best = []
        rank = 0  # among the entries no place name keeps: those come on top of the width
        for entry in scored:
            score, vocab_id, cost, plain = entry
            if capital and plain < UNREACHABLE and vocab_id in self.place_syllables:  # same letters
                best.append(entry)
                continue
            ranked = rank < width or self._is_common(rank, vocab_id, cost, observed)
            if (score <= cutoff and ranked) or self.vocab[vocab_id] == observed:  # the token as written stays
                best.append(entry)
            rank += 1
        plain_costs = np.array([p for _, _, _, p in best], dtype=np.float32)
        costs = np.array([c for _, _, c, _ in best], dtype=np.float32)
        return Candidates(
            ids=np.array([i for _, i, _, _ in best], dtype=np.int64),
            costs=np.where(np.isnan(costs), plain_costs, costs),
            plain_costs=plain_costs,
        )
