"""The window classifier: keys grouped, trained on context, its costs, and where the restorer uses it."""

from __future__ import annotations

import numpy as np
import pytest

from diacritics import Restorer, lm, window_build
from diacritics.decode import Candidates, Slot
from diacritics.window import WindowModel

VOCAB = (*lm.SPECIAL_TOKENS, "nên", "nền", "nến", "rất", "kinh", "tế", "UBND")


def test_forms_of_one_key_are_grouped_and_specials_and_acronyms_stand_alone() -> None:
    key_of, groups = window_build.key_groups(VOCAB)
    nen = {VOCAB.index(w) for w in ("nên", "nền", "nến")}
    assert {int(i) for i in groups[key_of[VOCAB.index("nên")]] if i >= 0} == nen
    for word in (*lm.SPECIAL_TOKENS, "UBND", "rất"):
        assert [int(i) for i in groups[key_of[VOCAB.index(word)]] if i >= 0] == [VOCAB.index(word)]


@pytest.fixture(scope="module")
def toy_model(tmp_path_factory: pytest.TempPathFactory) -> WindowModel:
    """Trained on a stream where "rất" comes before nên and "kinh tế" after nền, and nến is rare."""
    ids = {w: i for i, w in enumerate(VOCAB)}
    rng = np.random.default_rng(1)
    sentences = [["rất", "nên"], ["nền", "kinh", "tế"], ["nến"]]
    picks = rng.choice(3, 3000, p=[0.45, 0.45, 0.1])
    stream = [ids[lm.BOUNDARY]]
    for n in picks:
        stream += [ids[w] for w in sentences[n]] + [ids[lm.BOUNDARY]]
    key_of, groups = window_build.key_groups(VOCAB)
    net, figures = window_build.train(np.array(stream), key_of, groups, epochs=60, log=False)
    assert figures["examples"] == len(picks)
    out = tmp_path_factory.mktemp("window")
    window_build.save_network(net, key_of, np.array(stream), out)
    model = WindowModel.load(out)
    assert model is not None
    return model


def slot(*words: str, costs: tuple[float, ...] = ()) -> Slot:
    return Slot(np.array([VOCAB.index(w) for w in words]), np.array(costs or [0.0] * len(words), dtype=np.float32))


def context_costs(model: WindowModel, slots: list[Slot], *args: object, **kwargs: object) -> list[np.ndarray]:
    """The model's costs, split by slot."""
    found = Candidates.of(slots)
    return np.split(model.context_costs(found, *args, **kwargs), found.starts[1:-1])


def test_the_context_decides_between_the_forms_of_a_key(toy_model: WindowModel) -> None:
    boundary = VOCAB.index(lm.BOUNDARY)
    forms = ("nên", "nền", "nến")
    after_rat = context_costs(toy_model, [slot("rất"), slot(*forms)], boundary, weight=1)[1]
    before_kinh_te = context_costs(toy_model, [slot(*forms), slot("kinh"), slot("tế")], boundary, weight=1)[0]
    assert np.argmin(after_rat) == 0 and np.argmin(before_kinh_te) == 1
    assert after_rat[1] - after_rat[0] > 2 and before_kinh_te[0] - before_kinh_te[1] > 2


def test_costs_are_added_to_the_channel_costs_and_a_single_candidate_keeps_its_own(toy_model: WindowModel) -> None:
    boundary = VOCAB.index(lm.BOUNDARY)
    plain = context_costs(toy_model, [slot("rất", costs=(1.5,)), slot("nên", "nền")], boundary)
    dearer = context_costs(toy_model, [slot("rất", costs=(1.5,)), slot("nên", "nền", costs=(2.0, 3.0))], boundary)
    assert plain[0].tolist() == [1.5]
    assert dearer[1] - plain[1] == pytest.approx([2.0, 3.0])
    assert context_costs(toy_model, [slot("nên", "nền")], boundary, weight=0)[0].tolist() == [0.0, 0.0]
    skipped = context_costs(toy_model, [slot("rất"), slot("nên", "nền")], boundary, np.array([False, True]))
    assert skipped[1].tolist() == [0.0, 0.0]


@pytest.fixture(scope="module")
def restorers() -> tuple[Restorer, Restorer]:
    """The packaged restorer, and the same without its window classifier."""
    with_window = Restorer.load()
    assert with_window.window is not None
    without = Restorer.load()
    without.window = None
    return with_window, without


def test_the_packaged_classifier_groups_the_language_model_s_vocabulary_by_its_keys(
    restorers: tuple[Restorer, Restorer],
) -> None:
    restorer, _ = restorers
    assert restorer.window is not None
    assert np.array_equal(restorer.window.key_of, restorer.model.key_of)
    tinh = {restorer.model.key_of[restorer.model.ids[w]] for w in ("tỉnh", "tính", "tình", "tinh")}
    assert len(tinh) == 1


def test_unmarked_text_takes_the_form_its_wider_context_calls_for(restorers: tuple[Restorer, Restorer]) -> None:
    with_window, without = restorers
    text = "san pham rat duoc nguoi tieu dung ua chuong nen kha nang phat trien thi truong rat cao"
    assert "nên khả năng" in with_window.restore(text).text
    assert "nên khả năng" not in without.restore(text).text


def test_marked_and_ocr_text_are_restored_without_it(restorers: tuple[Restorer, Restorer]) -> None:
    with_window, without = restorers
    for text in (
        "Sản phẩm được người tiêu dùng ưa chuộng nền khả năng phát triển thị trường rất cao",
        "Trién khai thye hién Chwong trinh M&i xi mét san pham nim 2021 nén kha nang cao",
    ):
        assert with_window.restore(text).text == without.restore(text).text


def test_unmarked_text_ending_in_a_sentence_break_is_restored(restorers: tuple[Restorer, Restorer]) -> None:
    with_window, _ = restorers
    assert with_window.restore("Trien khai thuc hien ke hoach.").text == "Triển khai thực hiện kế hoạch."
