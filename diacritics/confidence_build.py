"""Fit the confidence calibration (`diacritics.confidence`) of a model directory's restorer.

The text comes from the held-in side of the corpus split only (the benchmarks' held-out paragraphs and pages are never
seen), in four kinds: paragraphs with their marks stripped, the same paragraphs as written, and pages rendered and
read by Tesseract `eng` and `vie` (bench/synth_ocr.py, with another seed than the OCR confusion model's pages). Each
kind is restored a document-sized group of lines at a time, as the restorer is used; every token is labelled right or
wrong against the printed text as the benchmark scores syllables (`bench.restore_data.token_errors`), and a logistic
model is fitted on the features of `confidence.feature_matrix`.

Usage: python -m diacritics.confidence_build --corpus PATH --model-dir diacritics/models [--paragraphs N --pages N
--workers W --seed S]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from bench.restore_data import LinePairs, identity_pairs, stripped_pairs, token_errors
from bench.synth_ocr import draw_page_batches, sample_paragraphs, select_benchmark_lines, synthesize_pages
from diacritics.build import sha256_file
from diacritics.confidence import CONFIDENCE_FILE, FEATURES, feature_matrix, fit_logistic
from diacritics.restorer import Restorer, assemble

LINES_PER_TEXT = 400  # lines restored together: about a plan's length


def labelled_features(restorer: Restorer, pairs: LinePairs) -> tuple[np.ndarray, np.ndarray]:
    """Features and wrongness of the tokens of ``pairs`` that have a choice and a gold, restored `LINES_PER_TEXT`
    lines at a time."""
    rows, wrong = [], []
    for begin in range(0, len(pairs.inputs), LINES_PER_TEXT):
        part = LinePairs(
            pairs.name, pairs.inputs[begin : begin + LINES_PER_TEXT], pairs.golds[begin : begin + LINES_PER_TEXT]
        )
        text = part.separator.join(part.inputs)
        tokens, decoded, mode = restorer.decode_chunk(text, pairs.vie_ocr)
        if decoded.evidence is None:
            continue
        labels = np.full(len(tokens), np.nan)  # break tokens have no restored token, hence no label
        restored = [i for i, tok in enumerate(tokens) if tok.kind != "break"]
        labels[restored] = [np.nan if w is None else w for w in token_errors(assemble(text, tokens, decoded), part)]
        usable = ~np.isnan(labels) & (decoded.evidence.candidates > 1)
        rows.append(feature_matrix(decoded.evidence, mode.kind)[usable])
        wrong.append(labels[usable])
    return np.vstack(rows), np.concatenate(wrong)


def training_sets(corpus: Path, paragraphs: int, pages: int, seed: int, workers: int) -> list[LinePairs]:
    """The four kinds of held-in text, as line pairs."""
    held_in = sample_paragraphs(corpus, paragraphs, held_out=False, seed=seed)
    sets = [stripped_pairs("stripped", held_in), identity_pairs("clean", held_in)]
    batches = draw_page_batches(corpus, pages, held_out=False, seed=seed)  # the same pages for both models
    for lang in ("eng", "vie"):
        lines = select_benchmark_lines(synthesize_pages(batches, lang, seed, workers))
        sets.append(LinePairs(f"synthetic {lang}", [o for o, _ in lines], [g for _, g in lines], vie_ocr=lang == "vie"))
    return sets


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--model-dir", type=Path, default=Path(__file__).resolve().parent / "models")
    parser.add_argument("--paragraphs", type=int, default=2000, help="held-in paragraphs, stripped and as written")
    parser.add_argument("--pages", type=int, default=60, help="synthetic OCR pages per Tesseract model")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    started = time.monotonic()
    sets = training_sets(args.corpus, args.paragraphs, args.pages, args.seed, args.workers)
    restorer = Restorer.load(args.model_dir)
    parts = [labelled_features(restorer, pairs) for pairs in sets]
    features = np.vstack([x for x, _ in parts])
    wrong = np.concatenate([y for _, y in parts])
    weights, bias = fit_logistic(features, wrong)
    meta = {
        "features": list(FEATURES),
        "weights": [round(float(w), 5) for w in weights],
        "bias": round(bias, 5),
        "fitted_on": {
            pairs.name: {"tokens": len(y), "wrong": int(y.sum())} for pairs, (_, y) in zip(sets, parts, strict=True)
        },
        "corpus": args.corpus.name,
        "corpus_sha256": sha256_file(args.corpus),
        "command": f"python -m diacritics.confidence_build --corpus {args.corpus.name} --paragraphs {args.paragraphs} "
        f"--pages {args.pages} --seed {args.seed}",
        "seconds": round(time.monotonic() - started),
    }
    (args.model_dir / CONFIDENCE_FILE).write_text(
        json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(json.dumps(meta["fitted_on"]), dict(zip(FEATURES, meta["weights"], strict=True)), "bias", meta["bias"])


if __name__ == "__main__":
    main()
