"""Token confidence: the calibration's fit, its file, and what the restorer reports; how marked a text is found."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from diacritics import Restorer
from diacritics.confidence import CONFIDENCE_FILE, FEATURES, ConfidenceModel, fit_logistic
from diacritics.names import capital_initials, name_positions
from diacritics.restorer import estimate_mode
from diacritics.syllables import normalize_tone, strip_marks
from tests.model_dirs import model_dir_with


@pytest.fixture(scope="module")
def restorer() -> Restorer:
    return Restorer.load()


def test_the_fit_recovers_the_weights_that_drew_the_labels() -> None:
    rng = np.random.default_rng(3)
    features = rng.normal(size=(40_000, 3))
    weights, bias = np.array([1.5, -2.0, 0.5]), 0.3
    right = rng.random(len(features)) < 1 / (1 + np.exp(-(features @ weights + bias)))
    fitted, fitted_bias = fit_logistic(features, ~right)
    assert np.allclose(fitted, weights, atol=0.1) and abs(fitted_bias - bias) < 0.1


def test_a_model_folder_without_a_calibration_has_none_and_one_for_other_features_is_refused(tmp_path: Path) -> None:
    for name in ("none", "other"):
        (tmp_path / name).mkdir()
    assert ConfidenceModel.load(model_dir_with(tmp_path / "none", CONFIDENCE_FILE, None)) is None
    other = {"features": ["log_odds"], "weights": [1.0], "bias": 0.0}
    with pytest.raises(ValueError, match="make model"):
        ConfidenceModel.load(model_dir_with(tmp_path / "other", CONFIDENCE_FILE, json.dumps(other)))


def test_the_packaged_calibration_matches_this_code(restorer: Restorer) -> None:
    assert restorer.calibration is not None and len(restorer.calibration.weights) == len(FEATURES)


def test_tokens_without_a_choice_stay_certain_and_names_are_less_sure_than_the_decoder_says(
    restorer: Restorer,
) -> None:
    text = "Ngay 24/02/2021, UBND tinh giao Cong ty TNHH Nam Huy trien khai du an"
    reported = {t.original: t.confidence for t in restorer.restore(text).tokens}
    assert reported["24/02/2021"] == reported["UBND"] == 1.0
    tokens, decoded, _ = restorer.decode_chunk(text)
    named = name_positions(text, tokens, capital_initials(text, tokens))
    posterior = {text[t.start : t.end]: p for t, p, n in zip(tokens, decoded.confidence, named, strict=True) if n}
    assert {"Nam", "Huy"} <= set(posterior)
    assert all(reported[word] < posterior[word] for word in ("Nam", "Huy"))


def test_reported_confidences_are_probabilities_and_follow_the_posterior(restorer: Restorer) -> None:
    text = "cac san pham dat tieu chuan duoc cong nhan va nen duoc ho tro tieu thu"
    _, decoded, _ = restorer.decode_chunk(text)
    reported = [t.confidence for t in restorer.restore(text).tokens]
    assert all(0.0 <= c <= 1.0 for c in reported)
    assert np.corrcoef(reported, decoded.confidence)[0, 1] > 0.9


def words_of(text: str) -> Counter[str]:
    return Counter(normalize_tone(w.lower()) for w in text.split())


def test_a_few_odd_words_do_not_make_unmarked_text_look_marked(restorer: Restorer) -> None:
    plain = strip_marks("Ủy ban nhân dân tỉnh giao Sở Nông nghiệp triển khai kế hoạch tại các xã " * 30)
    for odd in ("KH&CN", "Ea H'Leo"):  # an acronym, a place name: letters around a symbol, as OCR leaves them
        mode = estimate_mode(words_of(f"{plain} {odd}"), restorer.ids)
        assert mode.mark_weight == 0.0 and not mode.misread
    ocr = "Trién khai thye hién Chwong trinh M&i xi mét san pham nim 2021 c6ng tac h¢p"
    assert estimate_mode(words_of(ocr), restorer.ids).misread
