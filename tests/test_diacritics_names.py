"""Personal names: where a word may be one, the name syllables, and their costs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from diacritics import default_restorer, strip_marks
from diacritics.names import (
    NAME_FILE,
    NAME_SHARE,
    capital_initials,
    count_name_syllables,
    load_name_costs,
    name_positions,
)
from diacritics.tokens import scan_tokens


def positions(text: str) -> dict[str, bool]:
    tokens = scan_tokens(text)
    return {
        text[t.start : t.end]: named
        for t, named in zip(tokens, name_positions(text, tokens, capital_initials(text, tokens)), strict=True)
        if t.kind == "word"
    }


def test_name_positions_are_capitalised_words_beside_another_inside_a_line() -> None:
    found = positions("Công ty TNHH Hai Dang san xuat. Kho bac Tinh chi tra\nTra Phuong tham gia")
    assert found["Hai"] and found["Dang"]  # a run of two capitalised words after an acronym
    assert not found["Công"]  # first word of the text
    assert not found["Kho"]  # first word after a sentence break
    assert not found["Tinh"]  # capitalised, but alone between lower-case words
    assert not found["Tra"]  # first word of a line
    assert found["Phuong"]  # capitalised inside the line, beside a capitalised word


def test_name_syllables_come_from_given_and_family_names() -> None:
    counts = count_name_syllables()
    assert counts["tuấn"] > 10 and counts["nguyễn"] >= 30  # a common given name; a family name, weighted
    assert counts["đức"] > 0 and not any("ð" in s for s in counts)  # Ð (eth) in the lists is read as Đ
    assert counts["tuần"] == 0 and counts["quỹ"] == 0


def test_name_costs_rescale_the_unigram_towards_names(tmp_path: Path) -> None:
    ids = {w: i for i, w in enumerate(("<s>", "tuấn", "tuần", "minh"))}
    unigram = np.log(np.array([0.5, 0.001, 0.1, 0.399]))
    (tmp_path / NAME_FILE).write_text("minh\t3\ntuấn\t1\nhùng\t4\n", encoding="utf-8")
    costs = load_name_costs(tmp_path, ids, unigram)
    p_name = 1 / 4  # tuấn among the name syllables the vocabulary has (hùng is not in it)
    assert costs[1] == pytest.approx(-np.log((1 - NAME_SHARE) + NAME_SHARE * p_name / 0.001), rel=1e-5)
    assert costs[2] == pytest.approx(-np.log(1 - NAME_SHARE))  # no name: slightly dearer
    assert costs[1] < costs[3] < 0 < costs[2]  # the name rarer in the corpus gains more
    assert load_name_costs(tmp_path / "absent", ids, unigram) is None


@pytest.mark.parametrize(
    "expected",
    [
        "Đồng chí Võ Thị Hồng Nhung, Chủ tịch Hội Nông dân tỉnh.",
        "Công ty TNHH Minh Phát và Công ty CP Đức Thành tham gia hội chợ.",
        "Công ty CP Thực phẩm Hồng Phúc xuất khẩu sản phẩm sang Nhật Bản.",
        "Kho bạc Nhà nước và Mặt trận Tổ quốc tỉnh phối hợp.",  # capitalised institutions, not names
    ],
)
def test_names_are_restored_and_capitalised_institutions_kept(expected: str) -> None:
    assert default_restorer().restore(strip_marks(expected)).text == expected
