"""The syllable trigram language model: file format, loading and vectorised scoring.

N-grams are keyed by vocabulary ids packed into one int64 (20 bits per id), stored
sorted and delta-encoded in an .npz with log-probabilities quantised to uint8, and loaded
into hash tables that compiled loops (numba) build and probe.
Probabilities are interpolated absolute discounting stored in backoff form (as in ARPA
files): a missing trigram scores bow(w1 w2) + P(w3 | w2), a missing bigram bow(w2) + P(w3).
A second, log-linear feature is folded into the tables at load: a syllable that completes a
dictionary word with the one before it (đặc sản, thảo dược) scores `WORD_PAIR_BONUS` more, which
brings in words a legal corpus seldom uses. A third, `PLACE_PAIR_BONUS`, is for the decoder to add
where two capitalised words spell part of a province or district name (Sóc Trăng, Đồng Tháp). The grammar of
numbers written in words (`numerals`) is mixed into the pairs and triples that end in a numeral pair, also at load.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
from numba import njit

from diacritics.numerals import NUMERAL_SHARE, numeral_pair_logprobs
from diacritics.syllables import strip_marks
from diacritics.tokens import ACRONYM, BOUNDARY, CODE, PLACE, UNKNOWN

FORMAT_VERSION = 5
VOCAB_FILE = "vi_syllables_vilegal.tsv"
NGRAM_FILE = "vi_syllable_3gram_vilegal.npz"
ACRONYM_FILE = "vi_acronyms_vilegal.txt"
META_FILE = "model.meta.json"
SPECIAL_TOKENS = (BOUNDARY, CODE, UNKNOWN, ACRONYM, PLACE)  # the first vocabulary entries, in this order
UNKNOWN_ID = SPECIAL_TOKENS.index(UNKNOWN)
ID_BITS = 20
_ID_MASK = (1 << ID_BITS) - 1
QUANT_STEP = 0.08
WORD_PAIR_BONUS = 2.0  # log-score added to w2 after w1 where "w1 w2" is inside a dictionary word
PLACE_PAIR_BONUS = 2.0  # log-score added to w2 after w1 where both are capitalised and "w1 w2" is in a place name


class ModelError(RuntimeError):
    """The model files are missing, corrupt or of another format version."""


def pack_keys(*ids: np.ndarray) -> np.ndarray:
    """Pack aligned id arrays (oldest first) into int64 n-gram keys."""
    key = np.zeros(len(ids[0]), dtype=np.int64)
    for part in ids:
        key = (key << ID_BITS) | part.astype(np.int64)
    return key


def quantise(logprob: np.ndarray) -> np.ndarray:
    """Natural-log probabilities → uint8 codes."""
    return np.clip(np.rint(-logprob / QUANT_STEP), 0, 255).astype(np.uint8)


def dequantise(codes: np.ndarray) -> np.ndarray:
    """uint8 codes → natural-log probabilities (float32)."""
    return -codes.astype(np.float32) * np.float32(QUANT_STEP)


def read_meta(model_dir: Path) -> dict:
    """The model's metadata, checked against this code's format version."""
    path = model_dir / META_FILE
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read diacritics model metadata {path}: {exc}; run `make model`") from exc
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelError(
            f"diacritics model {path} has format version {meta.get('format_version')}, "
            f"this code reads version {FORMAT_VERSION}; run `make model`"
        )
    return meta


def in_sorted(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Element-wise whether ``keys`` are among the non-empty, sorted ``sorted_keys`` (a binary search, no sort)."""
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[at] == keys


def fold_into_pairs(
    pairs: np.ndarray,
    keys2: np.ndarray,
    lp2: np.ndarray,
    keys3: np.ndarray,
    lp3: np.ndarray,
    lp1: np.ndarray,
    bow1: np.ndarray,
    update: Callable[[np.ndarray, np.ndarray], np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bigram keys and scores, and trigram scores, where every score that ends in one of the sorted ``pairs`` is
    replaced by ``update(scores, which)`` (``which``: the index in ``pairs`` of each score's pair); a pair that is not
    a stored bigram is stored, its backoff score so updated. ``keys2`` need not be sorted: pairs added come last."""
    if not len(pairs):
        return keys2, lp2, lp3
    order = np.argsort(keys2, kind="stable")
    at = np.minimum(np.searchsorted(keys2[order], pairs), len(keys2) - 1)
    stored = keys2[order[at]] == pairs
    rows = order[at[stored]]
    lp2 = lp2.copy()
    lp2[rows] = update(lp2[rows], np.flatnonzero(stored))
    new = pairs[~stored]
    first, second = new >> ID_BITS, new & _ID_MASK
    new_scores = update(bow1[first] + lp1[second], np.flatnonzero(~stored)).astype(np.float32)
    suffix = keys3 & ((1 << (2 * ID_BITS)) - 1)
    ends = np.flatnonzero(in_sorted(suffix, pairs))
    lp3 = lp3.copy()
    lp3[ends] = update(lp3[ends], np.searchsorted(pairs, suffix[ends]))
    return np.concatenate([keys2, new]), np.concatenate([lp2, new_scores]), lp3


def add_pair_bonus(
    pairs: np.ndarray, *tables: np.ndarray, bonus: float = WORD_PAIR_BONUS
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``tables`` (keys2, lp2, keys3, lp3, lp1, bow1, see `fold_into_pairs`) with ``bonus`` added wherever the last two
    words form one of the sorted dictionary ``pairs``."""
    return fold_into_pairs(pairs, *tables, update=lambda scores, _: scores + np.float32(bonus))


def numeral_grammar(vocab: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The numeral pairs whose words are both in ``vocab``, as sorted packed keys, and their log P_num(w2 | w1)
    (`numerals.numeral_pair_logprobs`)."""
    ids = {w: i for i, w in enumerate(vocab)}
    known = [(ids[a], ids[b], lp) for (a, b), lp in numeral_pair_logprobs().items() if a in ids and b in ids]
    if not known:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    first, second, logprobs = (np.array(column) for column in zip(*known, strict=True))
    keys = pack_keys(first, second)
    order = np.argsort(keys)
    return keys[order], logprobs[order].astype(np.float32)


def mix_numeral_pairs(
    grammar: tuple[np.ndarray, np.ndarray], *tables: np.ndarray, share: float = NUMERAL_SHARE
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``tables`` (see `add_pair_bonus`) with the numeral grammar mixed in: wherever the last two words form one of
    the ``grammar``'s pairs (sorted keys, log P_num), P(w2 | h) + ``share`` · P_num(w2 | w1)."""
    pairs, numeral = grammar
    mixed = numeral + np.float32(np.log(share))
    return fold_into_pairs(pairs, *tables, update=lambda scores, which: np.logaddexp(scores, mixed[which]))


def vocab_keys(vocab: tuple[str, ...]) -> np.ndarray:
    """Per vocabulary entry, the id of its key (see `NgramModel.key_of`), numbered in order of first use."""
    keys: dict[str, int] = {}
    return np.array(
        [keys.setdefault(w if w.startswith("<") or w.isupper() else strip_marks(w), len(keys)) for w in vocab],
        dtype=np.int64,
    )


@dataclass(frozen=True)
class NgramModel:
    """Vocabulary plus unigram, bigram and trigram log-probability tables."""

    vocab: tuple[str, ...]
    lp1: np.ndarray
    bow1: np.ndarray
    lp2: KeyTable  # per stored pair: log P(w2 | w1) and the backoff weight of the history (w1, w2) (0: none)
    lp3: KeyTable
    place_pairs: np.ndarray  # sorted packed keys of the syllable pairs inside province and district names
    # per vocabulary id, the id of its key: the mark-free form shared by a syllable's readings (tinh for tỉnh, tính);
    # special tokens and acronyms are keys of their own. Derived from the vocabulary at load, not on a first restore.
    key_of: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key_of", vocab_keys(self.vocab))

    @cached_property
    def ids(self) -> dict[str, int]:
        """Vocabulary id of each vocabulary entry."""
        return {w: i for i, w in enumerate(self.vocab)}

    @classmethod
    def load(cls, model_dir: Path) -> NgramModel:
        """Read the vocabulary and the n-gram tables from ``model_dir``."""
        read_meta(model_dir)
        vocab_path, ngram_path = model_dir / VOCAB_FILE, model_dir / NGRAM_FILE
        try:
            rows = [line.split("\t", 1) for line in vocab_path.read_text(encoding="utf-8").splitlines()]
            with np.load(ngram_path) as npz:
                arrays = {name: npz[name] for name in npz.files}
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot read diacritics model file in {model_dir}: {exc}") from exc
        keys2, keys3 = np.cumsum(arrays["keys2_delta"]), np.cumsum(arrays["keys3_delta"])
        lp1, bow1 = arrays["lp1"], arrays["bow1"]
        pairs = np.cumsum(arrays["pairs_delta"])
        pair_keys, lp2, lp3 = add_pair_bonus(
            pairs, keys2, dequantise(arrays["q2"]), keys3, dequantise(arrays["q3"]), lp1, bow1
        )
        vocab = tuple(r[0] for r in rows)
        pair_keys, lp2, lp3 = mix_numeral_pairs(numeral_grammar(vocab), pair_keys, lp2, keys3, lp3, lp1, bow1)
        bow2 = np.zeros(len(pair_keys), dtype=np.float32)  # pairs stored only for the bonus or the numerals: last, none
        bow2[: len(keys2)] = dequantise(arrays["bow2"])
        return cls(
            vocab=vocab,
            lp1=lp1,
            bow1=bow1,
            lp2=KeyTable(pair_keys, np.stack([lp2, bow2], axis=1), slots_per_key=4),
            lp3=KeyTable(keys3, lp3),
            place_pairs=np.cumsum(arrays["place_pairs_delta"]),
        )

    def score(self, w1: np.ndarray, w2: np.ndarray, w3: np.ndarray) -> np.ndarray:
        """Natural-log P(w3 | w1, w2), element-wise over id arrays."""
        _, history, is_history = self.score_pairs(w1, w2)
        bigram, _, is_bigram = self.score_pairs(w2, w3)
        return self.score_triples(w1, w2, w3, history + bigram, is_history & is_bigram)

    def score_pairs(self, w1: np.ndarray, w2: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Element-wise log P(w2 | w1), log backoff weight of the history (w1, w2) (0 if it has none),
        and whether (w1, w2) is a stored bigram."""
        found = self.lp2.get(pack_keys(w1, w2))
        bigram, history = found[:, 0], found[:, 1]
        stored = ~np.isnan(bigram)
        return np.where(stored, bigram, self.bow1[w1] + self.lp1[w2]), np.where(stored, history, np.float32(0)), stored

    @cached_property
    def place_syllables(self) -> frozenset[int]:
        """Ids of the syllables of the place-name pairs."""
        return frozenset((self.place_pairs >> ID_BITS).tolist()) | frozenset((self.place_pairs & _ID_MASK).tolist())

    def place_bonus(self, w1: np.ndarray, w2: np.ndarray) -> np.ndarray:
        """Element-wise `PLACE_PAIR_BONUS` where ``w1 w2`` is a pair of syllables inside a place name, else 0."""
        if not len(self.place_pairs):
            return np.zeros(len(w1), dtype=np.float32)
        return np.where(in_sorted(pack_keys(w1, w2), self.place_pairs), np.float32(PLACE_PAIR_BONUS), np.float32(0))

    def score_triples(
        self, w1: np.ndarray, w2: np.ndarray, w3: np.ndarray, backoff: np.ndarray, possible: np.ndarray
    ) -> np.ndarray:
        """log P(w3 | w1, w2): the stored trigram where there is one, else ``backoff`` (bow(w1 w2) + log P(w3 | w2)).

        Only ``possible`` triples are looked up: a stored trigram needs a stored history and bigram. An unknown word
        two words after another (w1 and w3 `UNKNOWN`, w2 known) scores the bigram P(<unk> | w2) alone: in a legal
        corpus that trigram stands for foreign-language runs, likely after any syllable, and it would let one OCR token
        kept as written keep the next but one as written too ("Hat sen sdy" instead of "Hạt sen sấy"). The scores
        of a history that opens with an unknown word then no longer sum to one.
        """
        out = backoff.astype(np.float32, copy=True)
        where = np.flatnonzero(possible)
        trigram = self.lp3.get(pack_keys(w1[where], w2[where], w3[where]))
        found = ~np.isnan(trigram)
        out[where[found]] = trigram[found]
        spanned = np.flatnonzero(w3 == UNKNOWN_ID)  # few: the slots of the tokens the lexicon does not know
        spanned = spanned[(w1[spanned] == UNKNOWN_ID) & (w2[spanned] != UNKNOWN_ID)]
        if len(spanned):
            out[spanned] = self.score_pairs(w2[spanned], w3[spanned])[0]
        return out


_EMPTY_KEY = -1  # an empty slot of a `KeyTable` (keys are never negative)


class KeyTable:
    """An open-addressing hash table (linear probing) from int64 keys (unique, not negative) to float32 values (or rows
    of values), built and probed by compiled loops. At least ``slots_per_key`` slots per key: more make a look-up of
    an absent key shorter."""

    def __init__(self, keys: np.ndarray, values: np.ndarray, slots_per_key: int = 2) -> None:
        self.bits = max(4, int(len(keys) * slots_per_key - 1).bit_length())
        self.row_shape = values.shape[1:]
        self.keys = np.full(1 << self.bits, _EMPTY_KEY, dtype=np.int64)
        self.values = np.zeros((1 << self.bits, int(np.prod(self.row_shape))), dtype=np.float32)
        rows = np.ascontiguousarray(values, dtype=np.float32).reshape(len(keys), -1)
        _insert_keys(self.keys, self.values, np.ascontiguousarray(keys, dtype=np.int64), rows, self.bits)

    def get(self, queries: np.ndarray) -> np.ndarray:
        """Values of ``queries``, NaN where absent."""
        found = _find_keys(self.keys, self.values, np.ascontiguousarray(queries, dtype=np.int64), self.bits)
        return found.reshape(len(queries), *self.row_shape)


@njit("int64(int64, int64)", cache=True, nogil=True)
def _home_slot(key: int, bits: int) -> int:
    """A key's first slot in a table of 2**bits: the top bits of the splitmix64 finaliser of the key (a multiplicative
    hash alone lets the pair keys, w1 << ID_BITS | w2, cluster)."""
    x = np.uint64(key)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    x = x ^ (x >> np.uint64(31))
    return np.int64(x >> np.uint64(64 - bits))


@njit("void(int64[::1], float32[:, ::1], int64[::1], float32[:, ::1], int64)", cache=True, nogil=True)
def _insert_keys(slots: np.ndarray, values: np.ndarray, keys: np.ndarray, rows: np.ndarray, bits: int) -> None:
    """Store each key and its row of values at its first free slot from its home slot on."""
    mask = (1 << bits) - 1
    for n in range(len(keys)):
        at = _home_slot(keys[n], bits)
        while slots[at] != _EMPTY_KEY:
            at = (at + 1) & mask
        slots[at] = keys[n]
        values[at] = rows[n]


@njit("float32[:, ::1](int64[::1], float32[:, ::1], int64[::1], int64)", cache=True, nogil=True)
def _find_keys(slots: np.ndarray, values: np.ndarray, queries: np.ndarray, bits: int) -> np.ndarray:
    """The row of values of each query key, NaN where the table does not hold it."""
    mask = (1 << bits) - 1
    out = np.full((len(queries), values.shape[1]), np.nan, dtype=np.float32)
    for n in range(len(queries)):
        at = _home_slot(queries[n], bits)
        while slots[at] != _EMPTY_KEY:
            if slots[at] == queries[n]:
                out[n] = values[at]
                break
            at = (at + 1) & mask
    return out
