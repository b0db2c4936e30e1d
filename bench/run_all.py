"""`make bench`: every benchmark in one run, printed as markdown for bench/RESULTS.md.

1. restoration accuracy and speed (bench.restore_bench), pyvi beside us;
2. the whole pipeline on the sample plans (time per document), scored against the gold facts (bench.eval_facts):
   the shared dev gold, then the blind hand-made gold of the three other sample plans (bench/data/facts_dev);
3. the extractors on the held-out style cases and their time per restored plan (bench.extract_bench), on the
   same cases laid out as OCR lays text out (bench.extract_layout_bench), and printed, scanned, read by Tesseract's
   English model and restored (bench.extract_ocr_bench);
4. OCR of synthetic scans by raw Tesseract, OCRmyPDF and the pipeline: CER, WER, seconds per page (bench.ocr_bench);
5. the review loop, simulated: a user lexicon of words or phrases written for the least confident tokens, replayed
   (bench.review_loop_bench);
6. province and district read from plan headers of every unit, current and former (bench.metadata_bench).
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import time
from pathlib import Path

from bench import (
    eval_facts,
    extract_bench,
    extract_layout_bench,
    extract_ocr_bench,
    metadata_bench,
    ocr_bench,
    restore_bench,
    review_loop_bench,
)
from pipeline.config import RAW_DIR, Settings
from pipeline.run import run

BENCH_OUT = Path(__file__).resolve().parent / "out"
FACTS_DEV = Path(__file__).resolve().parent / "data" / "facts_dev"


def describe_machine() -> str:
    """One line naming the machine the figures were measured on."""
    import os

    cpu = platform.processor() or platform.machine()
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))  # fmt: skip
        cpu = model
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def bench_pipeline(raw_dir: Path, gold_dir: Path) -> dict:
    """Run the pipeline from scratch on ``raw_dir`` and score its tables."""
    out_dir = BENCH_OUT / "processed"
    interim_dir = BENCH_OUT / "interim"
    shutil.rmtree(out_dir, ignore_errors=True)
    shutil.rmtree(interim_dir, ignore_errors=True)
    started = time.perf_counter()
    summary = run(Settings.for_dirs(raw_dir, out_dir, interim_dir), workers=1)
    seconds = time.perf_counter() - started
    scores = eval_facts.run(out_dir, gold_dir)
    blind_scores = eval_facts.run(out_dir, FACTS_DEV) if raw_dir == RAW_DIR else None
    return {
        "documents": summary.documents,
        "seconds_total": round(seconds, 2),
        "seconds_per_document": round(seconds / max(1, summary.documents), 2),
        "facts": summary.facts,
        "scores": scores,
        "blind_scores": blind_scores,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--eval-dir", type=Path, required=True)
    parser.add_argument("--raw-dir", type=Path, default=RAW_DIR)
    args = parser.parse_args(argv)
    BENCH_OUT.mkdir(parents=True, exist_ok=True)
    results = {
        "machine": describe_machine(),
        "restore": restore_bench.run(args.corpus, args.eval_dir),
        "pipeline": bench_pipeline(args.raw_dir, args.eval_dir / "facts"),
        "extract": extract_bench.run(text_dir=BENCH_OUT / "processed" / "text"),
        "extract_layout": extract_layout_bench.run(),
        "extract_ocr": extract_ocr_bench.run(),
        "ocr": ocr_bench.run(pages=3, corpus=args.corpus, corpus_pages=1),
        "review_loop": review_loop_bench.run(args.corpus, args.eval_dir),
        "metadata": metadata_bench.run(),
    }
    (BENCH_OUT / "summary.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    pipeline = results["pipeline"]
    print(f"machine: {results['machine']}\n")
    print(restore_bench.format_table(results["restore"]) + "\n")
    print(f"pipeline on {pipeline['documents']} documents: {pipeline['seconds_total']} s "
          f"({pipeline['seconds_per_document']} s per document); facts: {pipeline['facts']}")  # fmt: skip
    eval_facts.print_report(pipeline["scores"])
    if pipeline["blind_scores"]:
        print("\nblind hand-made gold of the three other sample plans (bench/data/facts_dev):")
        eval_facts.print_report(pipeline["blind_scores"])
    extract_bench.print_report(results["extract"])
    extract_layout_bench.print_report(results["extract_layout"])
    extract_ocr_bench.print_report(results["extract_ocr"])
    print("\nreview loop, simulated:\n" + review_loop_bench.format_table(results["review_loop"]))
    metadata_bench.print_report(results["metadata"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
