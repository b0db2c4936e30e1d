"""The review loop, simulated: what a reviewer's user lexicon does to the text it was written for.

A reviewer reads the least confident tokens of a restored text (the order of `review.csv`), and for each one that is
wrong writes the right word into the user lexicon: as a single word (``san	sàn``, forced wherever it stands), or as
a phrase with the word next to it as written (``san giao	sàn giao``, forced only there). The text is restored again
with that lexicon and scored: how many of the wrong syllables were fixed, and how many right ones the entries broke
elsewhere. The gold stands in for the reviewer's reading.

    python -m bench.review_loop_bench --eval-dir ../shared/eval --corpus ../shared/corpus/vi-legal.txt.gz
"""

from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.restore_bench import collect_sets, score_output
from bench.restore_data import LinePairs, token_errors, token_labels
from diacritics import Restoration, Restorer
from diacritics.user_lexicon import stand_together

REVIEW_SHARES = (0.02, 0.05, 0.1)  # of a text's tokens with letters, least confident first
SETS = ("dong-thap_2021_122-kh-ubnd", "seed-stripped", "synth_eng_heldout")


@dataclass(frozen=True)
class Reviewed:
    """A set's restoration with its tokens' labels against the gold (`token_labels`), made once."""

    restoration: Restoration
    errors: list[bool | None]
    golds: list[str | None]

    @classmethod
    def of(cls, restoration: Restoration, pairs: LinePairs) -> Reviewed:
        """``restoration`` of ``pairs``, labelled."""
        return cls(restoration, *token_labels(restoration, pairs))


def lexicon_entries(reviewed: Reviewed, share: float, phrases: bool) -> dict[str, str]:
    """The entries a reviewer of the least confident ``share`` of the tokens writes (``wrong → right``, as written
    and lower-cased gold): one per wrong token the gold has a word for, as itself or with a neighbour."""
    restoration, errors, golds = reviewed.restoration, reviewed.errors, reviewed.golds
    tokens = restoration.tokens
    scored = sorted((tokens[i].confidence, i) for i, wrong in enumerate(errors) if wrong is not None)
    entries: dict[str, str] = {}
    for _, i in scored[: round(share * len(scored))]:
        gold = golds[i]
        if not errors[i] or gold is None:
            continue
        wrong, right = tokens[i].original, gold.lower()
        if phrases:
            j = next((j for j in (i + 1, i - 1) if _neighbour(restoration, i, j) and golds[j] is not None), None)
            if j is None:
                continue
            first, second = sorted((i, j))
            wrong = f"{tokens[first].original} {tokens[second].original}"
            right = f"{golds[first]} {golds[second]}".lower()
        entries.setdefault(wrong.lower(), right)
    return entries


def _neighbour(restoration: Restoration, i: int, j: int) -> bool:
    """Whether tokens ``i`` and ``j`` exist and `stand_together` (as the words of a user lexicon phrase must)."""
    tokens = restoration.tokens
    if not 0 <= j < len(tokens):
        return False
    first, second = sorted((tokens[i], tokens[j]), key=lambda t: t.start)
    return stand_together(restoration.text[first.out_end : second.out_start])


def replay(pairs: LinePairs, entries: dict[str, str], before: Reviewed) -> dict:
    """Restore ``pairs`` again with ``entries`` as the user lexicon; wrong syllables, and tokens fixed and broken."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "user.tsv"
        path.write_text("".join(f"{w}\t{r}\n" for w, r in entries.items()), encoding="utf-8")
        after = Restorer.load(user_lexicon=path).restore(pairs.separator.join(pairs.inputs), vie_ocr=pairs.vie_ocr)
    score = score_output(pairs, after.text)
    was, now = before.errors, token_errors(after, pairs)
    return {
        "entries": len(entries),
        "wrong": score.total - score.correct,
        "tokens_fixed": sum(bool(w) and n is False for w, n in zip(was, now, strict=True)),
        "tokens_broken": sum(w is False and bool(n) for w, n in zip(was, now, strict=True)),
    }


def run(corpus: Path, eval_dir: Path, names: tuple[str, ...] = SETS) -> dict:
    """Per set and review share, the replay with word entries and with phrase entries."""
    restorer = Restorer.load(user_lexicon=None)
    results: dict = {}
    for pairs in collect_sets(corpus, eval_dir):
        if pairs.name not in names or pairs.page_lines:
            continue
        restoration = restorer.restore(pairs.separator.join(pairs.inputs), vie_ocr=pairs.vie_ocr)
        score, before = score_output(pairs, restoration.text), Reviewed.of(restoration, pairs)
        rows = {
            f"{share:.0%} {kind}": replay(pairs, lexicon_entries(before, share, kind == "phrases"), before)
            for share in REVIEW_SHARES
            for kind in ("words", "phrases")
        }
        results[pairs.name] = {"syllables": score.total, "wrong": score.total - score.correct, "replays": rows}
    return results


def format_table(results: dict) -> str:
    """The results as a markdown table."""
    lines = [
        "| set | syllables | wrong | review | entries | wrong after | tokens fixed | tokens broken |",
        "|---|---:|---:|---|---:|---:|---:|---:|",
    ]
    for name, result in results.items():
        for review, row in result["replays"].items():
            lines.append(
                f"| {name} | {result['syllables']} | {result['wrong']} | {review} | {row['entries']} | "
                f"{row['wrong']} | {row['tokens_fixed']} | {row['tokens_broken']} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--eval-dir", type=Path, required=True)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    results = run(args.corpus, args.eval_dir)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(format_table(results))


if __name__ == "__main__":
    main()
