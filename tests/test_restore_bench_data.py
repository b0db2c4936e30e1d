"""The restoration bench scores an eval TSV's lines alone, inside the whole seed they come from, and inside that
seed cut into pages and restored by the pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.restore_bench import confidence_figures, restore_as_pages, score_set
from bench.restore_data import (
    DEV_TSVS,
    LinePairs,
    Score,
    aligned_runs,
    matched_runs,
    read_admin_lines,
    read_tsv_in_document,
    token_errors,
    token_labels,
)
from bench.review_loop_bench import Reviewed, lexicon_entries, replay
from diacritics import Restorer

TSV = "line_no\tocr\tgold\n2\tTrien khai\tTriển khai\n"


def write_eval(tmp_path: Path, seed: str) -> Path:
    (tmp_path / "plan.txt").write_text(seed, encoding="utf-8")
    (tmp_path / "plan.tsv").write_text(TSV, encoding="utf-8")
    return tmp_path / "plan.tsv"


def test_only_the_gold_lines_of_the_whole_seed_are_scored(tmp_path: Path) -> None:
    pairs = read_tsv_in_document(write_eval(tmp_path, "KE HOACH\nTrien khai\nnam 2021"), tmp_path)
    assert pairs is not None and pairs.name == "plan-in-document"
    assert pairs.inputs == ["KE HOACH", "Trien khai", "nam 2021"] and pairs.golds == [None, "Triển khai", None]
    seen: list[str] = []
    score = score_set(pairs, lambda text: seen.append(text) or text)  # restores nothing: khai alone is right
    assert seen == ["KE HOACH\nTrien khai\nnam 2021"]  # restored as one text
    assert (score.correct, score.total) == (1, 2)


def test_a_gold_line_that_is_not_the_seeds_line_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="line 2"):
        read_tsv_in_document(write_eval(tmp_path, "KE HOACH\nTrien khai thuc hien"), tmp_path)


def test_no_seed_no_set(tmp_path: Path) -> None:
    (tmp_path / "plan.tsv").write_text(TSV, encoding="utf-8")
    assert read_tsv_in_document(tmp_path / "plan.tsv", tmp_path) is None


@pytest.mark.parametrize("tsv", DEV_TSVS, ids=lambda p: p.stem)
def test_a_hand_checked_set_matches_its_seed_in_data_raw(tsv: Path) -> None:
    pairs = read_tsv_in_document(tsv, Path(__file__).resolve().parents[1] / "data" / "raw")  # raises on a changed line
    assert pairs is not None
    golds = [g for g in pairs.golds if g is not None]
    assert len(golds) == sum(bool(line.strip()) for line in pairs.inputs)  # every line with text has its gold


def test_a_paged_set_is_restored_page_by_page_by_the_pipeline() -> None:
    restorer = Restorer.load()
    text = "Thanh lap Van phong Dieu phoi\nnong thon moi tinh Dong Thap.\nNoi nhan:\n- VPDP NTM tinh;\n- Luu VT."
    restored = restore_as_pages(restorer, text, 2)
    assert restored.split("\n") == ["Thành lập Văn phòng Điều phối", "nông thôn mới tỉnh Đồng Tháp.", "Nơi nhận:",
                                     "- VPĐP NTM tỉnh;", "- Lưu VT."]  # fmt: skip
    pages = "Thanh lap Van phong Dieu phoi\nnong thon moi tinh Dong Thap.\fNoi nhan:\n- VPDP NTM tinh;\f- Luu VT."
    assert restored == restorer.restore(pages).text.replace("\f", "\n")


def test_admin_lines_put_each_district_in_a_header_a_list_item_and_a_clause() -> None:
    lines = read_admin_lines()
    assert len(lines) % 3 == 0 and len(lines) > 1500
    long_my = {"HUYỆN LONG MỸ", "- Huyện Long Mỹ: 05 sản phẩm;", "Ủy ban nhân dân huyện Long Mỹ, tỉnh Hậu Giang"}
    assert long_my <= set(lines)
    quan_1 = {"QUẬN 1", "- Quận 1: 05 sản phẩm;", "Ủy ban nhân dân Quận 1, thành phố Hồ Chí Minh"}  # a city, no tỉnh
    assert quan_1 <= set(lines)
    assert not any("Quận Quận" in line or "tỉnh Đà Nẵng" in line for line in lines)


def test_a_syllable_in_the_wrong_case_is_right_but_not_cased() -> None:
    score = Score()
    score.add("Cán bộ quản Lý, HUYỆN Long Mỹ", "Cán bộ quản lý, huyện Long Mỹ")
    score.add("hoá", "hóa")  # tone placement is not case
    assert (score.correct, score.cased, score.total) == (8, 6, 8)
    assert score.cased_accuracy == pytest.approx(6 / 8)


def test_each_token_is_marked_wrong_where_a_syllable_of_it_is_and_the_confidences_count_them() -> None:
    restorer = Restorer.load()
    pairs = LinePairs("t", ["cac san pham dat", "nam 2021"], ["các sân phẩm đạt", None])  # sân: a gold that differs
    restoration = restorer.restore(pairs.separator.join(pairs.inputs))
    assert restoration.text.startswith("các sản phẩm đạt\n")
    assert token_errors(restoration, pairs) == [False, True, False, False, None, None]
    figures = confidence_figures(restoration, pairs, review_share=0.5)
    assert (figures["tokens"], figures["wrong"]) == (4, 1)
    least_sure = sorted(restoration.tokens[:4], key=lambda t: t.confidence)[:2]
    assert figures["wrong_in_review"] == int(any(t.original == "san" for t in least_sure))


def test_runs_align_on_their_unmarked_forms_and_run_for_run_where_a_stretch_differs() -> None:
    gold = ["Mít", "sấy", "của", "Công", "ty"]
    assert aligned_runs(["Mặt", "sau", "của", "Công", "ty"], gold) == [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)]
    assert matched_runs(["Mặt", "sau", "của", "Công", "ty"], gold) == [(2, 2), (3, 3), (4, 4)]
    assert aligned_runs(["Mặt", "của", "Công", "ty"], gold) == [(2, 1), (3, 2), (4, 3)]  # two runs for one: none


def test_each_token_gets_the_gold_word_it_stands_for() -> None:
    pairs = LinePairs("t", ["Mit sdy cua Cty", "nam 2021"], ["Mít sấy của Cty", None])
    restoration = Restorer.load().restore(pairs.separator.join(pairs.inputs))
    assert token_labels(restoration, pairs)[1] == ["Mít", "sấy", "của", "Cty", None, None]


def test_a_reviewer_of_the_least_sure_tokens_writes_words_or_phrases_with_a_neighbour() -> None:
    pairs = LinePairs("t", ["san giao dich", "va dac san"], ["sàn giao dịch", "và đặc sản"])
    restoration = Restorer.load().restore(pairs.separator.join(pairs.inputs))
    errors = token_errors(restoration, pairs)
    wrong = [t.original for t, e in zip(restoration.tokens, errors, strict=True) if e]
    assert wrong  # the legal corpus reads sản giao dịch and đặc san
    reviewed = Reviewed.of(restoration, pairs)
    words = lexicon_entries(reviewed, share=1.0, phrases=False)
    phrases = lexicon_entries(reviewed, share=1.0, phrases=True)
    assert set(words) == {w.lower() for w in wrong}
    assert all(" " in key and any(w in key.split() for w in wrong) for key in phrases)
    assert replay(pairs, phrases, reviewed)["wrong"] == 0
