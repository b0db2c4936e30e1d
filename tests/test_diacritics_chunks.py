"""Long inputs are restored in bounded chunks; every token reports its runner-up alternatives."""

from __future__ import annotations

import gc
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import diacritics.restorer
from diacritics import Restorer, strip_marks
from diacritics.restorer import split_chunks

PARAGRAPH = "Ke hoach trien khai chuong trinh moi xa mot san pham cua tinh nam 2021, ho tro cac hop tac xa."


@pytest.fixture(scope="module")
def restorer() -> Restorer:
    return Restorer.load()


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ab \n", max_size=60), st.integers(min_value=1, max_value=12))
def test_split_chunks_concatenate_back_within_the_limit(text: str, limit: int) -> None:
    chunks = split_chunks(text, limit)
    assert "".join(chunks) == text
    assert all(len(c) <= limit for c in chunks)


def test_split_chunks_cut_after_a_page_break_then_a_blank_line() -> None:
    assert split_chunks("aa bb\ncc\n\ndd ee", 12) == ["aa bb\ncc\n\n", "dd ee"]
    assert split_chunks("aa\fbb\ncc\n\ndd eeff", 12) == ["aa\f", "bb\ncc\n\n", "dd eeff"]  # a page break first


def test_long_text_is_restored_chunk_by_chunk_with_spans_into_the_whole(
    restorer: Restorer, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "\n\n".join([PARAGRAPH] * 6)
    monkeypatch.setattr(diacritics.restorer, "MAX_CHUNK_CHARS", len(PARAGRAPH) + 2)
    restored = restorer.restore(text)
    assert restored.text == "\n\n".join([restorer.restore(PARAGRAPH).text] * 6)
    assert restored.text.startswith("Kế hoạch triển khai chương trình mỗi xã một sản phẩm")
    for tok in restored.tokens:
        assert text[tok.start : tok.end] == tok.original
        assert restored.text[tok.out_start : tok.out_end] == tok.output


def test_memory_stays_bounded_on_a_long_single_line(restorer: Restorer) -> None:
    line = " ".join([PARAGRAPH.rstrip(".")] * 1000)  # 95,000 characters, no line or sentence break
    tracemalloc.start()
    try:
        restored = restorer.restore(line, max_chars=5_000)
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert strip_marks(restored.text) == line
    assert peak - kept < 20_000_000  # working memory beyond the result: about 10 MB (30 MB in one chunk)


def test_uncertain_tokens_list_their_alternatives(restorer: Restorer) -> None:
    tokens = {t.original: t for t in restorer.restore("Tai 122/KH-UBND, ca").tokens}
    assert tokens["122/KH-UBND"].alternatives == ()
    for word in ("Tai", "ca"):  # tại / tài / tải, cá / cả / cà: out of context the restorer hesitates
        tok = tokens[word]
        assert tok.alternatives
        assert tok.output not in tok.alternatives
        assert all(strip_marks(a) == word for a in tok.alternatives)


@pytest.mark.parametrize("collector_on", [True, False])
def test_the_cycle_collector_is_paused_while_a_chunk_is_restored(restorer: Restorer, collector_on: bool) -> None:
    passes: list[str] = []

    def count(phase: str, info: dict) -> None:
        passes.append(phase)

    text = " ".join([PARAGRAPH] * 200)  # 40,000 tokens in one chunk: a dozen collection passes if not paused
    gc.callbacks.append(count)
    (gc.enable if collector_on else gc.disable)()
    try:
        restored = restorer.restore(text)
        after = gc.isenabled()
    finally:
        gc.callbacks.remove(count)
        gc.enable()
    assert restored.text.count("Kế hoạch triển khai") == 200
    assert passes.count("start") <= 1 and after == collector_on  # at most the pass that follows the chunk
