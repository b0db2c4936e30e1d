"""A window classifier over unmarked syllables: which marked form a syllable takes, given its neighbours.

The trigram model sees one word either side; this small network sees `width` unmarked syllables either side (the
keys of their slots) and scores each marked form of the middle one (nên, nền, nến for "nen"). Its evidence enters
the decoder as a cost per candidate: minus `CONTEXT_WEIGHT` times the log share the network gives the candidate among
the slot's candidates, less the share its corpus frequency alone gives it, so the prior the language model already
holds is not counted twice. It is used on the lower-case words of text that lost all its marks, where it was
measured to help; on names and in OCR text it was not (bench/RESULTS.md). `diacritics.window_build` trains it from
the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
from threadpoolctl import ThreadpoolController

from diacritics.decode import Candidates

WINDOW_FILE = "vi_window_classifier.npz"
CONTEXT_WEIGHT = 0.2
SETTLED_SHARE = 0.9  # a key whose likeliest form has this share of the corpus is left to the trigram model


@dataclass(frozen=True)
class WindowModel:
    """The network's weights: key embeddings, one hidden layer, a query projection, and per vocabulary id an output
    vector, bias and log prior (its corpus share among the forms of its key)."""

    width: int
    key_of: np.ndarray  # vocabulary id → key id (the unmarked form; special tokens and acronyms are their own key)
    embed: np.ndarray
    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray
    out: np.ndarray
    out_bias: np.ndarray
    log_prior: np.ndarray
    # per vocabulary id, whether the likeliest form of its key has `SETTLED_SHARE` of the corpus or more (của of
    # cua): the network is not asked there, which saves about half its work. Derived at load, like `blas`.
    settled: np.ndarray = field(init=False, repr=False)
    blas: ThreadpoolController = field(init=False, repr=False)  # the process's BLAS thread pools (`_blas`)

    def __post_init__(self) -> None:
        top = np.full(int(self.key_of.max()) + 1, -np.inf, dtype=np.float32)
        np.maximum.at(top, self.key_of, self.log_prior)
        object.__setattr__(self, "settled", top[self.key_of] >= np.log(SETTLED_SHARE))
        object.__setattr__(self, "blas", _blas())

    @classmethod
    def load(cls, model_dir: Path) -> WindowModel | None:
        """The model of ``model_dir``, or None where it has none."""
        path = model_dir / WINDOW_FILE
        if not path.exists():
            return None
        with np.load(path) as npz:
            arrays = {name: npz[name] for name in npz.files}
        width = int(arrays.pop("width"))
        key_of = arrays.pop("key_of").astype(np.int64)
        return cls(width, key_of, **{name: value.astype(np.float32) for name, value in arrays.items()})

    def context_costs(
        self, found: Candidates, boundary: int, skip: np.ndarray | None = None, weight: float = CONTEXT_WEIGHT
    ) -> np.ndarray:
        """The candidates' channel costs plus the network's cost of them (see the module docstring). A slot of one
        candidate, of a `settled` key or marked in ``skip`` keeps its own. A slot's key is its first candidate's, so
        the slots must hold one key each (unmarked text); ``boundary`` is the vocabulary id of the sentence break
        that pads the text's ends."""
        ids, sizes, starts = found.ids, found.sizes, found.starts[:-1]
        costs = found.costs.copy()
        pad = np.full(self.width, self.key_of[boundary])
        first = ids[starts]
        keys = np.concatenate([pad, self.key_of[first], pad])
        is_open = (sizes > 1) & ~self.settled[first]
        if skip is not None:
            is_open &= ~skip
        opened = np.flatnonzero(is_open)
        if len(opened):
            window = keys[opened[:, None] + np.arange(2 * self.width + 1)]
            with self.blas.limit(limits=1, user_api="blas"):  # products this small only lose by more threads
                embedded = np.take(self.embed, window, axis=0).reshape(len(opened), -1)
                hidden = np.maximum(embedded @ self.w1 + self.b1, 0)
                query = hidden @ self.w2 + self.b2
            in_open = np.repeat(is_open, sizes)
            cand = ids[in_open]
            of_slot = np.repeat(np.arange(len(opened)), sizes[opened])
            logit = np.einsum("md,md->m", np.take(self.out, cand, axis=0), np.take(query, of_slot, axis=0))
            logit += self.out_bias[cand]
            seg = np.cumsum(sizes[opened]) - sizes[opened]
            score = _log_share(logit, seg, of_slot) - _log_share(self.log_prior[cand], seg, of_slot)
            costs[in_open] -= weight * score
        return costs


@cache
def _blas() -> ThreadpoolController:
    """The process's BLAS thread pools, looked up once however many models are loaded (the look-up scans the
    process's shared libraries)."""
    return ThreadpoolController()


def _log_share(values: np.ndarray, seg: np.ndarray, of_slot: np.ndarray) -> np.ndarray:
    """log softmax of ``values`` within each segment (starting at ``seg``; ``of_slot``: each value's segment)."""
    shifted = values - np.maximum.reduceat(values, seg)[of_slot]
    return shifted - np.log(np.add.reduceat(np.exp(shifted), seg))[of_slot]
