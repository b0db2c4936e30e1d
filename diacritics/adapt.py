"""Document adaptation: a cache model favouring the forms a document itself prefers.

After a first decoding, the forms chosen for each mark-free key are counted; a second
decoding lowers the channel cost of the forms the document uses for that key, so "tinh"
follows the many "tỉnh" of a provincial plan.
"""

from __future__ import annotations

import numpy as np

from diacritics.decode import Slot

CACHE_WEIGHT = 0.5  # nats of channel cost per unit of log cache probability
_PRIOR = 0.5  # pseudo-count of every form


def adapt_costs(slots: list[Slot], choice: list[int], key_of: np.ndarray) -> list[np.ndarray]:
    """Channel costs of every slot, lowered by the log share of its form among the document's choices for its key."""
    open_slots = np.array([len(s.ids) > 1 for s in slots])
    chosen = np.array([s.ids[c] for s, c in zip(slots, choice, strict=True)], dtype=np.int64)
    weights = open_slots.astype(np.float64)
    votes = np.bincount(chosen, weights=weights, minlength=len(key_of))
    totals = np.bincount(key_of[chosen], weights=weights, minlength=int(key_of.max()) + 1)
    ids = np.concatenate([s.ids for s in slots])
    share = np.log((votes[ids] + _PRIOR) / (totals[key_of[ids]] + 2 * _PRIOR))
    adapted = np.concatenate([s.costs for s in slots]) - CACHE_WEIGHT * share
    ends = np.cumsum([len(s.ids) for s in slots]).tolist()
    return [
        adapted[end - len(s.ids) : end] if is_open else s.costs
        for s, end, is_open in zip(slots, ends, open_slots.tolist(), strict=True)
    ]
