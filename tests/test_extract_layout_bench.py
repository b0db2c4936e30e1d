"""The layout bench: each layout keeps every word and changes only blank lines or runs of spaces."""

from __future__ import annotations

import re

import pytest

from bench.extract_bench import load_cases
from bench.extract_layout_bench import LAYOUTS, blank_after_rows, blank_before_continuations


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_a_layout_keeps_every_word_in_order(name: str) -> None:
    for case in load_cases()[:40]:
        assert LAYOUTS[name](case["text"]).split() == case["text"].split()


def test_blank_lines_go_before_continuations_and_after_rows() -> None:
    text = "Phấn đấu có 20 sản phẩm\nđạt 3 sao.\n1  Sản phẩm  4  5\nGhi chú"
    assert blank_before_continuations(text) == "Phấn đấu có 20 sản phẩm\n\nđạt 3 sao.\n1  Sản phẩm  4  5\nGhi chú"
    assert re.findall(r"\n\n", blank_after_rows(text)) == ["\n\n"]  # after the row only
    assert "5\n\nGhi chú" in blank_after_rows(text)
