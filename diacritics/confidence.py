"""Calibrated token confidence: the decoder's posterior, corrected for what the decoder cannot see.

`decode.score_confidence` gives the posterior of each chosen candidate against its alternatives, with the chosen
neighbours held fixed, under a language model that knows little of names and pools every unknown word into one token.
It overstates certainty: on held-out text, tokens it gives more than 0.95 are wrong two to four times as often as it
says, and words in name positions two to four times as often as lower-case words. A logistic model over the
posterior's log-odds and a few facts of the token and of the text turns it into the probability that the token is
right; the restorer reports that. `diacritics.confidence_build` fits it on held-in corpus text restored three ways
(marks stripped, synthetic English-model OCR, synthetic `vie` OCR). Tokens with one candidate keep their posterior.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

CONFIDENCE_FILE = "confidence.json"
MAX_LOG_ODDS = 9.0  # the posterior's log-odds are clipped to ± this (posteriors of 0.9999 and more are alike)
FEATURES = (
    "log_odds",
    "log_odds_misread",
    "log_odds_unmarked",
    "name",
    "capital",
    "kept_unknown",
    "kept_unknown_misread",
    "log_candidates",
    "alternatives",
    "misread",
    "unmarked",
    "vie_ocr",
)


@dataclass(frozen=True)
class TextKind:
    """What the restorer found the text to be: misread by English-model OCR, without any marks, or read by `vie`."""

    misread: bool
    unmarked: bool
    vie_ocr: bool


@dataclass(frozen=True)
class TokenEvidence:
    """Per token of a decoding: the posterior of its choice and the facts the calibration weighs."""

    posterior: np.ndarray  # float
    candidates: np.ndarray  # int: how many the decoder chose among
    name: np.ndarray  # bool: a name position (`names.name_positions`)
    capital: np.ndarray  # bool: the word starts with a capital
    kept_unknown: np.ndarray  # bool: kept as written, not a word the language model knows
    alternatives: np.ndarray  # bool: a runner-up has a noticeable share


def feature_matrix(evidence: TokenEvidence, kind: TextKind) -> np.ndarray:
    """The `FEATURES` of every token, one row each."""
    p = np.clip(evidence.posterior.astype(np.float64), 1e-12, 1 - 1e-12)
    log_odds = np.clip(np.log(p) - np.log1p(-p), -MAX_LOG_ODDS, MAX_LOG_ODDS)
    ones = np.ones_like(log_odds)
    columns = {
        "log_odds": log_odds,
        "log_odds_misread": log_odds * kind.misread,
        "log_odds_unmarked": log_odds * kind.unmarked,
        "name": evidence.name,
        "capital": evidence.capital,
        "kept_unknown": evidence.kept_unknown,
        "kept_unknown_misread": evidence.kept_unknown * kind.misread,
        "log_candidates": np.log(np.maximum(evidence.candidates, 1)),
        "alternatives": evidence.alternatives,
        "misread": ones * kind.misread,
        "unmarked": ones * kind.unmarked,
        "vie_ocr": ones * kind.vie_ocr,
    }
    return np.column_stack([np.asarray(columns[name], dtype=np.float64) for name in FEATURES])


@dataclass(frozen=True)
class ConfidenceModel:
    """Logistic weights over `FEATURES`."""

    weights: np.ndarray
    bias: float

    @classmethod
    def load(cls, model_dir: Path) -> ConfidenceModel | None:
        """The calibration of ``model_dir``, or None where it has none (the posterior is then reported as it is)."""
        path = model_dir / CONFIDENCE_FILE
        if not path.exists():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path}: its features are not this code's; run `make model`")
        return cls(np.array(data["weights"], dtype=np.float64), float(data["bias"]))

    def calibrate(self, evidence: TokenEvidence, kind: TextKind) -> np.ndarray:
        """Probability that each token is right; a token with a single candidate keeps its posterior."""
        score = feature_matrix(evidence, kind) @ self.weights + self.bias
        calibrated = 1.0 / (1.0 + np.exp(-score))
        return np.where(evidence.candidates > 1, calibrated, evidence.posterior)


def fit_logistic(
    features: np.ndarray, wrong: np.ndarray, ridge: float = 1.0, steps: int = 50
) -> tuple[np.ndarray, float]:
    """Weights and bias of P(right | features), by Newton's method with an L2 penalty ``ridge`` on the weights."""
    x = np.column_stack([features, np.ones(len(features))])
    y = 1.0 - wrong.astype(np.float64)
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], ridge)
    penalty[-1] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])
