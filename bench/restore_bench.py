"""Benchmark the diacritic restorer beside pyvi: accuracy, unchanged rate, speed, load time, memory.

python -m bench.restore_bench --corpus ../shared/corpus/vi-legal.txt.gz --eval-dir ../shared/eval
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from bench.amount_words import amount_lines
from bench.restore_data import (
    DEV_TSVS,
    SYNTH_TSVS,
    LinePairs,
    Score,
    identity_pairs,
    read_admin_lines,
    read_clean_seed,
    read_held_out,
    read_tsv_in_document,
    read_tsv_pairs,
    stripped_pairs,
    token_errors,
)
from diacritics import Restoration, Restorer, strip_marks
from diacritics.syllables import clear_caches
from diacritics.tokens import LETTER_RUN_RE
from pipeline.records import PAGE_SEPARATOR, PageRecord, RawDocument, SourceFile
from pipeline.restore import restore_document

OUT_FILE = Path(__file__).resolve().parent / "out" / "restore.json"
PAGE_LINES = 40  # lines per page where a set is also restored as a paged document (`-in-pages`)
REVIEW_SHARE = 0.02  # share of a set's tokens a reviewer checks, least confident first (`confidence_figures`)
SPEED_RUNS = 5  # fresh loads per speed figure, whose median is reported (this VM varies by about ±10% from run to run)


def collect_sets(corpus: Path, eval_dir: Path) -> list[LinePairs]:
    """Every evaluation set that is available; each eval TSV (those of ``eval_dir``, then the hand-checked ones of
    `DEV_TSVS`) once more inside its whole seed (`-in-document`); those seeds and the stripped plan once more as paged
    documents (`-in-pages`); the clean and the `vie` OCR sets once more with the `vie` hint."""
    seed = read_clean_seed()
    held_out = read_held_out(corpus)
    eval_tsvs = sorted((eval_dir / "restore").glob("*.tsv")) + list(DEV_TSVS)
    sets = [read_tsv_pairs(p) for p in eval_tsvs]
    sets += [pairs for p in eval_tsvs if (pairs := read_tsv_in_document(p))]
    sets += [stripped_pairs("seed-stripped", seed), stripped_pairs("heldout-stripped", held_out, "\n\n")]
    sets += [stripped_pairs("admin-lines-stripped", read_admin_lines(), "\n\n")]
    sets += [stripped_pairs("amounts-stripped", amount_lines())]
    sets += [identity_pairs("seed-unchanged", seed), identity_pairs("heldout-unchanged", held_out, "\n\n")]
    sets += [read_tsv_pairs(p) for p in SYNTH_TSVS if p.exists()]
    paged = [p for p in sets if p.name.endswith("-in-document") or p.name == "seed-stripped"]
    sets += [replace(p, name=f"{p.name.removesuffix('-in-document')}-in-pages", page_lines=PAGE_LINES) for p in paged]
    hinted = [p for p in sets if p.name.endswith("-unchanged") or p.name == "synth_vie_heldout"]
    return sets + [replace(p, name=f"{p.name}+vie-hint", vie_ocr=True) for p in hinted]


def restore_as_pages(restorer: Restorer, text: str, page_lines: int) -> str:
    """``text`` cut into pages of ``page_lines`` lines, as a text file whose pages are split by form feeds, and
    restored by the pipeline's restore stage; the pages are joined by line breaks again."""
    lines = text.split("\n")
    pages = ["\n".join(lines[i : i + page_lines]) for i in range(0, len(lines), page_lines)]
    source = SourceFile(Path("paged.txt"), "paged.txt", "paged", "", len(text), "text")
    raw = RawDocument(source, tuple(PageRecord("paged", n, page, "text") for n, page in enumerate(pages, 1)))
    return restore_document(raw, restorer).text.replace(PAGE_SEPARATOR, "\n")


def score_set(pairs: LinePairs, restore_text: Callable[[str], str]) -> Score:
    """Restore a set in one call and score it."""
    return score_output(pairs, restore_text(pairs.separator.join(pairs.inputs)))


def score_output(pairs: LinePairs, output: str) -> Score:
    """Score a set's restored text (its lines joined by the set's separator)."""
    out = output.split(pairs.separator)
    if len(out) != len(pairs.inputs):
        raise AssertionError(f"{pairs.name}: {len(pairs.inputs)} lines in, {len(out)} out")
    score = Score()
    for hyp, gold in zip(out, pairs.golds, strict=True):
        if gold is not None:
            score.add(hyp, gold)
    return score


def confidence_figures(restoration: Restoration, pairs: LinePairs, review_share: float = REVIEW_SHARE) -> dict:
    """How well the reported confidences point at the wrong tokens of a set: its tokens with a gold, how many are
    wrong, how many the confidences expect (the sum of 1 − confidence), and how many wrong ones are among the least
    confident ``review_share`` of the tokens (what a reviewer who checks that many would find)."""
    labelled = [(t.confidence, w) for t, w in zip(restoration.tokens, token_errors(restoration, pairs), strict=True)
                if w is not None]  # fmt: skip
    ranked = sorted(labelled, key=lambda row: row[0])
    return {
        "tokens": len(labelled),
        "wrong": sum(w for _, w in labelled),
        "expected_wrong": round(sum(1.0 - c for c, _ in labelled), 1),
        "review_share": review_share,
        "wrong_in_review": sum(w for _, w in ranked[: int(len(ranked) * review_share)]),
    }


def restore_with_pyvi(text: str) -> str:
    """pyvi's accent restorer on the mark-free text, line by line (it does not keep line breaks)."""
    return "\n".join(_add_accents_pyvi(strip_marks(line)) for line in text.split("\n"))


def _add_accents_pyvi(line: str) -> str:
    """pyvi on one line; a line it fails on (KeyError on rare characters) is scored unrestored."""
    from pyvi import ViUtils

    try:
        return ViUtils.add_accents(line) if line else line
    except KeyError:
        return line


def measure_speed(pairs: LinePairs, model_dir: Path | None = None, runs: int = SPEED_RUNS) -> dict:
    """Syllables per CPU second of a freshly loaded restorer on one set: first call (cold caches) and second, the
    median of ``runs`` fresh loads (the process-wide syllable caches cleared before each), and each run's cold figure.

    CPU time of this process, so that other jobs on a shared machine do not skew the figures.
    """
    text = pairs.separator.join(pairs.inputs)
    syllables = sum(len(LETTER_RUN_RE.findall(line)) for line in pairs.inputs)
    loads, colds, warms = [], [], []
    for _ in range(runs):
        clear_caches()
        began = time.process_time()
        restorer = Restorer.load(model_dir)
        loaded = time.process_time()
        restorer.restore(text)
        cold = time.process_time()
        restorer.restore(text)
        warm = time.process_time()
        del restorer  # so that two loaded models never add up in the peak memory figure
        loads.append(loaded - began)
        colds.append(syllables / (cold - loaded))
        warms.append(syllables / (warm - cold))
    return {
        "load_seconds": round(statistics.median(loads), 3),
        "syllables_per_second_cold": round(statistics.median(colds)),
        "syllables_per_second_warm": round(statistics.median(warms)),
        "cold_runs": [round(x) for x in colds],
    }


def run(corpus: Path, eval_dir: Path, with_pyvi: bool = True, model_dir: Path | None = None) -> dict:
    """All figures as a dict (also written to bench/out/restore.json); ``model_dir`` defaults to the packaged model."""
    sets = collect_sets(corpus, eval_dir)
    results: dict = measure_speed(next(p for p in sets if p.name == "heldout-stripped"), model_dir)
    ocr = next((p for p in sets if p.name == "synth_eng_heldout"), None)
    if ocr is not None:  # English-model OCR: every garbled token is aligned with its near syllables
        results["ocr_speed"] = measure_speed(ocr, model_dir)
    results["sets"] = {}
    restorer = Restorer.load(model_dir)
    for pairs in sets:
        confidence = None
        if pairs.page_lines:
            score = score_set(pairs, lambda t, lines=pairs.page_lines: restore_as_pages(restorer, t, lines))
        else:
            restoration = restorer.restore(pairs.separator.join(pairs.inputs), vie_ocr=pairs.vie_ocr)
            score = score_output(pairs, restoration.text)
            confidence = confidence_figures(restoration, pairs)
        results["sets"][pairs.name] = {
            "ours": round(score.accuracy, 4),
            "ours_cased": round(score.cased_accuracy, 4),
            "syllables": score.total,
            **({"confidence": confidence} if confidence else {}),
        }
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    for pairs in sets if with_pyvi else ():
        score = score_set(pairs, restore_with_pyvi)
        results["sets"][pairs.name]["pyvi"] = round(score.accuracy, 4)
    OUT_FILE.parent.mkdir(parents=True, exist_ok=True)
    OUT_FILE.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return results


def format_table(results: dict) -> str:
    """The figures as a markdown table."""
    lines = ["| set | syllables | ours | ours, case too | pyvi |", "|---|---:|---:|---:|---:|"]
    for name, row in results["sets"].items():
        pyvi = f"{row['pyvi']:.2%}" if "pyvi" in row else "-"
        lines.append(f"| {name} | {row['syllables']} | {row['ours']:.2%} | {row['ours_cased']:.2%} | {pyvi} |")
    lines.append("")
    lines.append(
        f"speed on held-out (one core, CPU time, median of {len(results['cold_runs'])} fresh loads): "
        f"{results['syllables_per_second_cold']} syllables/s cold (runs {results['cold_runs']}), "
        f"{results['syllables_per_second_warm']} warm; load {results['load_seconds']} s CPU; "
        f"peak RSS {results['peak_rss_mb']} MB (before pyvi)"
    )
    lines += ["", "| set | tokens | wrong | expected by the confidences | wrong in the least confident share |"]
    lines.append("|---|---:|---:|---:|---:|")
    for name, row in results["sets"].items():
        if c := row.get("confidence"):
            review = f"{c['wrong_in_review']} in {c['review_share']:.0%}"
            lines.append(f"| {name} | {c['tokens']} | {c['wrong']} | {c['expected_wrong']} | {review} |")
    if ocr := results.get("ocr_speed"):
        lines.append(
            f"speed on synthetic English-model OCR: {ocr['syllables_per_second_cold']} syllables/s cold, "
            f"{ocr['syllables_per_second_warm']} on the second call"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--eval-dir", type=Path, required=True)
    parser.add_argument("--no-pyvi", action="store_true", help="skip the pyvi baseline (faster)")
    parser.add_argument("--model-dir", type=Path, help="a candidate model folder (default: the packaged model)")
    args = parser.parse_args(argv)
    print(format_table(run(args.corpus, args.eval_dir, with_pyvi=not args.no_pyvi, model_dir=args.model_dir)))


if __name__ == "__main__":
    main()
