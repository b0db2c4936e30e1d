"""Rarer candidates called for by the context: one slot at a time, and two neighbours that both lack their word."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from diacritics import default_restorer
from diacritics.decode import Slot
from diacritics.widening import CONTEXT_EXTRA, WideSlot, widened

RAW = Path(__file__).parents[1] / "data" / "raw"


def ids(*words: str) -> np.ndarray:
    vocab = {w: i for i, w in enumerate(default_restorer().model.vocab)}
    return np.array([vocab[w] for w in words], dtype=np.int64)


def slot(words: tuple[str, ...], costs: tuple[float, ...]) -> Slot:
    return Slot(ids(*words), np.array(costs, dtype=np.float32))


def widen(usual: list[Slot], wider: list[Slot], choice: list[int], confidence: list[float]) -> dict[int, list[str]]:
    """What `widened` adds, as words, with the real language model."""
    restorer = default_restorer()

    def wide(i: int) -> WideSlot:
        extra = np.flatnonzero(~np.isin(wider[i].ids, usual[i].ids)).tolist()
        return WideSlot(wider[i], [restorer.model.vocab[v] for v in wider[i].ids], extra)

    added = widened(usual, choice, confidence, [True] * len(usual), wide, restorer.boundary, restorer.model.score)
    return {i: [restorer.model.vocab[wider[i].ids[k]] for k in picked] for i, picked in added.items()}


# "Can c&t Quyết định": căn is among the usual candidates of Can, cứ is ranked out of c&t's (its channel cost is high)
CAN = slot(("cần", "căn"), (0.1, 0.3))
CAT = slot(("cắt", "cất"), (4.2, 4.8))
CAT_WIDE = slot(("cắt", "cất", "cứ", "cốt"), (4.2, 4.8, 10.0, 6.2))
QUYET, DINH = slot(("quyết",), (0.0,)), slot(("định",), (0.0,))


def test_two_neighbours_that_lack_their_word_get_it_together() -> None:
    # the first decoding chose "cần cắt", sure of cắt next to cần: only the pair (căn, cứ) beats (cần, cắt)
    added = widen([CAN, CAT, QUYET, DINH], [CAN, CAT_WIDE, QUYET, DINH], [0, 0, 0, 0], [0.98, 0.999, 1.0, 1.0])
    assert added == {1: ["cứ"]}


def test_no_pair_is_tried_where_neither_neighbour_is_in_doubt() -> None:
    assert widen([CAN, CAT, QUYET, DINH], [CAN, CAT_WIDE, QUYET, DINH], [0, 0, 0, 0], [0.995, 0.999, 1.0, 1.0]) == {}


def test_a_single_slot_gets_the_word_its_chosen_neighbours_call_for() -> None:
    # "đạt chang nhận": chứng, ranked out of the usual list, fits between đạt and nhận
    dat, nhan = slot(("đạt",), (0.0,)), slot(("nhận",), (0.0,))
    chang = slot(("chàng", "chăng"), (0.5, 0.6))
    chang_wide = slot(("chàng", "chăng", "chứng", "chúng"), (0.5, 0.6, 4.0, 4.5))
    added = widen([dat, chang, nhan], [dat, chang_wide, nhan], choice=[0, 0, 0], confidence=[1.0, 0.6, 1.0])
    assert added[1][0] == "chứng"
    assert len(added[1]) <= CONTEXT_EXTRA


def test_the_opening_of_a_real_scan_reads_can_cu() -> None:
    # English-model OCR of a real district plan: "Căn cứ Quyết định" read as "Can c&t Quyét dinh"
    text = (RAW / "hau-giang_long-my_2020_470-kh-ubnd.txt").read_text(encoding="utf-8")
    restored = default_restorer().restore(text).text
    assert "Căn cứ Quyết định số 1915/QĐ-UBND" in restored
    assert "Cần cắt" not in restored


def test_a_real_scan_gets_a_word_that_beats_its_neighbours_choice_by_a_little() -> None:
    # English-model OCR of a real provincial plan: "tiêu thụ" read as "ti€u thuy", whose usual list holds thủy
    text = (RAW / "bac-giang_2022_ke-hoach-ocop.txt").read_text(encoding="utf-8")
    restored = default_restorer().restore(text).text
    assert "mở rộng thị trường tiêu thụ." in restored
