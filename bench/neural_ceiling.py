"""The ceiling experiment: would a large neural model trained on the same legal corpus close the gap on unmarked
plan text? (bench/RESULTS.md, forty-first session; not part of `make bench`, since it needs a GPU machine.)

    python -m bench.neural_ceiling prepare --corpus ../shared/corpus/vi-legal.txt.gz --out .gpu
    python3 -m bench.neural_ceiling_train --data .gpu --out OUT          # on the GPU machine
    python -m bench.neural_ceiling score --predictions OUT/predictions.json.gz

``prepare`` writes what the training script needs: the training text (the corpus without its held-out lines), each
distinct token's key, form and case as the restorer analyses them, and the sets, marks stripped (the clean plan, the
held-out paragraphs and the hand-checked dev golds). ``score`` restores the same sets with the packaged restorer and
scores, as `bench.restore_bench` does, the decoder, the network alone, and the decoder with its choice replaced
wherever the network gives another form at least a given probability.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from pathlib import Path

from bench.neural_ceiling_format import CORPUS_FILE, SETS_FILE, TOKEN_RE, TOKENS_FILE
from bench.restore_bench import score_output
from bench.restore_data import DEV_TSVS, LinePairs, read_clean_seed, read_held_out, read_tsv_rows, stripped_pairs
from diacritics import Restorer
from diacritics.build import read_corpus
from diacritics.syllables import apply_case, is_valid_syllable, normalize_tone, strip_marks

THRESHOLDS = (0.9, 0.95, 0.98, 0.99, 0.995)
_DIGITS = re.compile(r"\d+")


def ceiling_sets(corpus: Path) -> list[LinePairs]:
    """The clean plan, the held-out paragraphs and the dev scans' gold lines, marks stripped."""
    sets = [stripped_pairs("plan", read_clean_seed()), stripped_pairs("heldout", read_held_out(corpus), "\n\n")]
    return sets + [stripped_pairs(p.stem, [row["gold"] for row in read_tsv_rows(p)]) for p in DEV_TSVS]


def analyse(token: str) -> tuple[str, str, int]:
    """A token's unmarked key, its marked form (lower case, modern tone placement) and its case: 0 lower, 1 Title,
    2 UPPER, 3 no letter first."""
    lower = token.lower()
    if _DIGITS.fullmatch(lower):
        return "<num>", "<num>", 3
    if not any(c.isalpha() for c in lower):
        return lower, lower, 3
    form = normalize_tone(lower) if is_valid_syllable(lower) else lower
    case = 3 if not token[0].isalpha() else 2 if len(token) > 1 and token.isupper() else int(token[0].isupper())
    return strip_marks(lower), form, case


def prepare(corpus: Path, out: Path) -> None:
    """Write the training text (the corpus without its held-out lines), the analysis of its tokens and of the sets'
    tokens, and the stripped sets into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    sets = ceiling_sets(corpus)
    tokens: set[str] = set()
    with gzip.open(out / CORPUS_FILE, "wt", encoding="utf-8") as fh:
        for paragraph in read_corpus(corpus):
            tokens.update(TOKEN_RE.findall(paragraph))
            fh.write(paragraph + "\n")
    tokens.update(t for s in sets for line in s.inputs for t in TOKEN_RE.findall(line))
    with gzip.open(out / TOKENS_FILE, "wt", encoding="utf-8") as fh:
        json.dump({t: analyse(t) for t in sorted(tokens)}, fh, ensure_ascii=False)
    with gzip.open(out / SETS_FILE, "wt", encoding="utf-8") as fh:
        json.dump({s.name: {"inputs": s.inputs} for s in sets}, fh, ensure_ascii=False)


def overridden(line: str, read: list[dict[str, float]], threshold: float) -> str:
    """A line with each token replaced by the network's likeliest form where that form differs from the token's
    and has at least ``threshold`` probability; a token must itself be among the candidates, unless ``threshold``
    is 0 (the network's own reading of a stripped line). A line whose tokens do not match ``read`` (the decoder
    split or joined one) is kept."""
    words = TOKEN_RE.findall(line)
    if len(words) != len(read):
        return line
    it = iter(zip(words, read, strict=True))

    def choose(_: re.Match) -> str:
        word, dist = next(it)
        best = max(dist, key=dist.__getitem__, default=None)
        current = normalize_tone(word.lower())
        if best is None or best == current or dist[best] < threshold or (threshold > 0 and current not in dist):
            return word
        return apply_case(best, word)

    return TOKEN_RE.sub(choose, line)


def score(predictions: Path, corpus: Path) -> dict:
    """Wrong syllables per set: the decoder, the network alone, and the decoder overridden at each threshold."""
    with gzip.open(predictions, "rt", encoding="utf-8") as fh:
        read = json.load(fh)["sets"]
    restorer = Restorer.load()
    results = {}
    for pairs in ceiling_sets(corpus):
        lines = read[pairs.name]
        decoded = restorer.restore(pairs.separator.join(pairs.inputs)).text.split(pairs.separator)

        def wrong(out: list[str], pairs: LinePairs = pairs) -> int:
            s = score_output(pairs, pairs.separator.join(out))
            return s.total - s.correct

        row = {"syllables": score_output(pairs, pairs.separator.join(decoded)).total, "decoder": wrong(decoded)}
        row["network"] = wrong([overridden(x, r, 0.0) for x, r in zip(pairs.inputs, lines, strict=True)])
        for t in THRESHOLDS:
            row[f"override {t}"] = wrong([overridden(d, r, t) for d, r in zip(decoded, lines, strict=True)])
        results[pairs.name] = row
        print(pairs.name, row, flush=True)
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("prepare", "score"))
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus/vi-legal.txt.gz"))
    parser.add_argument("--out", type=Path, default=Path(".gpu"))
    parser.add_argument("--predictions", type=Path)
    args = parser.parse_args(argv)
    if args.command == "prepare":
        prepare(args.corpus, args.out)
    else:
        score(args.predictions, args.corpus)


if __name__ == "__main__":
    main()
