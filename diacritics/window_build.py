"""Train the window classifier (`diacritics.window`) from the corpus (run by `make model` only, after
`diacritics.build`, whose vocabulary it uses).

    python -m diacritics.window_build --corpus ../shared/corpus/vi-legal.txt.gz --out diacritics/models

Every syllable of the training paragraphs whose unmarked key has more than one marked form in the vocabulary is
one example: the keys of `WIDTH` tokens either side and its own are the input, its marked form among the forms of
its key the class. A one-hidden-layer network in numpy, trained by Adam with a fixed seed; about 20 minutes on two
cores.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Collection
from pathlib import Path

import numpy as np

from diacritics import lm
from diacritics.build import StreamEncoder, encode_stream, read_corpus, sha256_file
from diacritics.place_words import load_place_words
from diacritics.window import WINDOW_FILE

WIDTH = 4  # tokens either side
EMBED, HIDDEN, QUERY = 32, 256, 96
BATCH, EPOCHS, LEARNING_RATE, WARMUP, SEED = 512, 2, 2e-3, 500, 0
META_FILE = "window.meta.json"
_BETAS, _EPS = (0.9, 0.999), 1e-8


def encode_corpus(corpus: Path, ids: dict[str, int], places: Collection[str] = ()) -> np.ndarray:
    """The training paragraphs as one stream of vocabulary ids, framed by sentence breaks, as the trigram model
    reads them (`StreamEncoder.word_ids`; ``places``: the keys of the place words)."""
    encoder = StreamEncoder(places)
    for paragraph in read_corpus(corpus):
        encoder.add(paragraph)
    return encode_stream(encoder, encoder.word_ids(ids))


def key_groups(vocab: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Per vocabulary id its key id (special tokens and acronyms are keys of their own), and per key its ids,
    padded with -1."""
    key_of = lm.vocab_keys(vocab)
    sizes = np.bincount(key_of)
    groups = np.full((len(sizes), int(sizes.max())), -1, dtype=np.int64)
    order = np.argsort(key_of, kind="stable")
    rank = np.arange(len(vocab)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    groups[key_of[order], rank] = order
    return key_of, groups


class Network:
    """Weights, forward and backward pass, and Adam state."""

    def __init__(self, keys: int, vocab: int, prior: np.ndarray, rng: np.random.Generator) -> None:
        inputs = (2 * WIDTH + 1) * EMBED
        self.params = {
            "embed": rng.standard_normal((keys, EMBED)) * 0.1,
            "w1": rng.standard_normal((inputs, HIDDEN)) * np.sqrt(2 / inputs),
            "b1": np.zeros(HIDDEN),
            "w2": rng.standard_normal((HIDDEN, QUERY)) * np.sqrt(1 / HIDDEN),
            "b2": np.zeros(QUERY),
            "out": rng.standard_normal((vocab, QUERY)) * 0.01,
            "out_bias": prior.copy(),  # the network starts from the corpus share of each form
        }
        self.params = {name: value.astype(np.float32) for name, value in self.params.items()}
        self.moments = {name: (np.zeros_like(v), np.zeros_like(v)) for name, v in self.params.items()}
        self.steps = 0

    def logits(self, window: np.ndarray, forms: np.ndarray) -> tuple[np.ndarray, tuple]:
        """Scores of the candidate ``forms`` (padded with -1) of each example, and what the backward pass needs."""
        p = self.params
        x = p["embed"][window].reshape(len(window), -1)
        pre = x @ p["w1"] + p["b1"]
        hidden = np.maximum(pre, 0)
        query = hidden @ p["w2"] + p["b2"]
        safe = np.maximum(forms, 0)
        out = p["out"][safe]
        scores = np.einsum("bd,bgd->bg", query, out) + p["out_bias"][safe]
        scores[forms < 0] = -1e9
        return scores, (window, x, pre, hidden, query, safe, out)

    def train_step(self, window: np.ndarray, forms: np.ndarray, target: np.ndarray, rate: float) -> None:
        """One Adam step on the cross-entropy of ``target`` (index into ``forms``)."""
        scores, (window, x, pre, hidden, query, safe, out) = self.logits(window, forms)
        n = len(window)
        prob = np.exp(scores - scores.max(1, keepdims=True))
        grad = prob / prob.sum(1, keepdims=True)
        grad[np.arange(n), target] -= 1
        grad /= n
        grad[forms < 0] = 0
        p, g = self.params, {}
        g["out"] = np.zeros_like(p["out"])
        np.add.at(g["out"], safe.ravel(), (grad[:, :, None] * query[:, None, :]).reshape(-1, QUERY))
        g["out_bias"] = np.bincount(safe.ravel(), weights=grad.ravel(), minlength=len(p["out_bias"]))
        grad_query = np.einsum("bg,bgd->bd", grad, out)
        g["w2"], g["b2"] = hidden.T @ grad_query, grad_query.sum(0)
        grad_pre = (grad_query @ p["w2"].T) * (pre > 0)
        g["w1"], g["b1"] = x.T @ grad_pre, grad_pre.sum(0)
        g["embed"] = np.zeros_like(p["embed"])
        np.add.at(g["embed"], window.ravel(), (grad_pre @ p["w1"].T).reshape(-1, EMBED))
        self.steps += 1
        (b1, b2), t = _BETAS, self.steps
        for name, value in p.items():
            m, v = self.moments[name]
            m *= b1
            m += (1 - b1) * g[name]
            v *= b2
            v += (1 - b2) * np.square(g[name])
            value -= (rate * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + _EPS)).astype(np.float32)


def windows(padded_keys: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The keys of the `WIDTH` tokens either side of each stream position ``at`` and its own (``padded_keys`` has
    `WIDTH` sentence breaks at each end)."""
    return padded_keys[at[:, None] + np.arange(2 * WIDTH + 1)]


def log_shares(stream: np.ndarray, key_of: np.ndarray) -> np.ndarray:
    """Per vocabulary id, the log of its share among the forms of its key in ``stream`` (counts plus a half)."""
    counts = np.bincount(stream, minlength=len(key_of)).astype(np.float64) + 0.5
    return np.log(counts / np.bincount(key_of, weights=counts)[key_of]).astype(np.float32)


def train(
    stream: np.ndarray, key_of: np.ndarray, groups: np.ndarray, epochs: float = EPOCHS, log: bool = True
) -> tuple[Network, dict]:
    """Train on every ambiguous position of ``stream`` for ``epochs``; returns the network and its figures."""
    rng = np.random.default_rng(SEED)
    net = Network(len(groups), len(key_of), log_shares(stream, key_of), rng)
    rank = np.argmax(groups[key_of] == np.arange(len(key_of))[:, None], axis=1)  # each id's place in its group
    ambiguous = np.flatnonzero((groups[key_of[stream]] >= 0).sum(1) > 1)
    pad = np.full(WIDTH, key_of[lm.SPECIAL_TOKENS.index(lm.BOUNDARY)])
    keys = np.concatenate([pad, key_of[stream], pad])
    total = int(epochs * len(ambiguous) / BATCH)
    began = time.time()
    for step in range(1, total + 1):
        at = ambiguous[rng.integers(0, len(ambiguous), BATCH)]
        rate = LEARNING_RATE * min(1.0, step / min(WARMUP, max(1, total // 10))) * max(0.05, 1 - step / total)
        target = stream[at]
        net.train_step(windows(keys, at), groups[key_of[target]], rank[target], rate)
        if log and step % 5000 == 0:
            print(f"step {step} of {total}, {time.time() - began:.0f} s", flush=True)
    return net, {"examples": len(ambiguous), "steps": total, "seconds": round(time.time() - began)}


def write_window_model(corpus: Path, out: Path) -> dict:
    """Train the classifier on the corpus with the vocabulary of the model in ``out``; write it and its metadata."""
    model = lm.NgramModel.load(out)
    key_of, groups = key_groups(model.vocab)
    stream = encode_corpus(corpus, model.ids, load_place_words(out))
    net, figures = train(stream, key_of, groups)
    save_network(net, key_of, stream, out)
    meta = {
        "corpus": corpus.name,
        "corpus_sha256": sha256_file(corpus),
        "held_out": "the trigram model's (diacritics.build.is_held_out)",
        "width": WIDTH,
        "sizes": {"embedding": EMBED, "hidden": HIDDEN, "query": QUERY},
        "training": {"batch": BATCH, "epochs": EPOCHS, "learning_rate": LEARNING_RATE, "seed": SEED, **figures},
        "weights": "float16 (biases and priors float32)",
    }
    (out / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def save_network(net: Network, key_of: np.ndarray, stream: np.ndarray, out: Path) -> None:
    """Write the network as ``out``/`WINDOW_FILE` with each form's log share of its key in ``stream``."""
    log_prior = log_shares(stream, key_of)
    p = net.params
    half = {name: p[name].astype(np.float16) for name in ("embed", "w1", "b1", "w2", "b2", "out")}
    np.savez_compressed(
        out / WINDOW_FILE,
        width=WIDTH,
        key_of=key_of.astype(np.int32),
        out_bias=p["out_bias"],
        log_prior=log_prior,
        **half,
    )


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True, help="model directory holding the trigram model")
    args = parser.parse_args(argv)
    print(json.dumps(write_window_model(args.corpus, args.out), indent=2))


if __name__ == "__main__":
    main()
