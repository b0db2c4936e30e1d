"""Score the extractors on the held-out style cases of tests/fixtures/extract_cases.yaml, and time them.

    python -m bench.extract_bench [--cases FILE] [--text-dir DIR] [--verbose]

Each case is a plan excerpt with the facts an analyst reads in it. Facts are matched on the SPEC keys
(``bench.eval_facts.match_table``); only the tables a case lists are scored, and only the columns a fact gives
are compared. A case's ``optional`` rows (each naming its ``table``), as in the shared gold, are facts that may be
read or not: neither missed nor extra. Also times ``extract_facts`` on every restored text under ``--text-dir``
(the pipeline's ``text/<doc_id>.txt``). Writes bench/out/extract.json.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml

from bench.eval_facts import KEYS, format_scores, key_of, match_table, normalize, prf, write_json
from extractors import ExtractedFacts, extract_facts
from extractors.facts import fact_to_row
from pipeline.records import DocumentText

CASES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "extract_cases.yaml"
TEXT_DIR = Path(__file__).resolve().parent.parent / "data" / "processed" / "text"
OUT_JSON = Path(__file__).parent / "out" / "extract.json"


def load_cases(path: Path = CASES) -> list[dict[str, Any]]:
    """The cases of the YAML file, in order."""
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def extract_text(text: str, doc_id: str = "case") -> ExtractedFacts:
    """The facts of a plain text (restored text and raw text the same)."""
    return extract_facts(DocumentText(doc_id=doc_id, text=text, raw_text=text, alignment=()))


def extract_case(case: dict[str, Any]) -> ExtractedFacts:
    """The facts of a case's clean text."""
    return extract_text(case["text"], case["id"])


def compare_case(case: dict[str, Any], facts: ExtractedFacts) -> dict[str, Any]:
    """Counts and differences of one case: per table tp/fp/fn and wrong columns, checks and metadata."""
    result: dict[str, Any] = {"tables": {}, "problems": []}
    for table in KEYS:
        if table not in case:
            continue
        preds = [fact_to_row(fact) for fact in getattr(facts, table)]
        optional = [row for row in case.get("optional", []) if row["table"] == table]
        pairs, missed, false_pos, _ = match_table(preds, case[table], optional, table)
        result["tables"][table] = Counter(tp=len(pairs), fp=len(false_pos), fn=len(missed))
        result["problems"] += [f"missed {table} {key_of(row, table)}" for row in missed]
        result["problems"] += [f"extra {table} {key_of(row, table)}: {row['text'][:80]!r}" for row in false_pos]
        for pred, gold in pairs:
            wrong = [f"{c}={pred[c]!r}≠{v!r}" for c, v in gold.items() if normalize(pred[c]) != normalize(v)]
            result["problems"] += [f"column {table} {key_of(gold, table)}: {', '.join(wrong)}"] if wrong else []
    if "checks" in case and sorted(c.rule for c in facts.checks) != sorted(case["checks"]):
        result["problems"].append(f"checks {[c.rule for c in facts.checks]} ≠ {case['checks']}")
    meta = asdict(facts.meta)
    for column, expected in case.get("meta", {}).items():
        if normalize(meta[column]) != normalize(expected):
            result["problems"].append(f"meta {column}={meta[column]!r}≠{expected!r}")
    return result


def score_cases(
    cases: list[dict[str, Any]], extract: Callable[[dict[str, Any]], ExtractedFacts], verbose: bool = False
) -> dict[str, Any]:
    """P/R/F1 per table over all cases, each read by ``extract``, and the cases with any problem."""
    totals = {table: Counter() for table in KEYS}
    failing = {}
    for case in cases:
        result = compare_case(case, extract(case))
        for table, counts in result["tables"].items():
            totals[table].update(counts)
        if result["problems"]:
            failing[case["id"]] = result["problems"]
            if verbose:
                print(f"  {case['id']}: " + "; ".join(result["problems"]))
    tables = {table: prf(c["tp"], c["fp"], c["fn"]) for table, c in totals.items()}
    return {"cases": len(cases), "cases_passing": len(cases) - len(failing), "tables": tables, "failing": failing}


def time_documents(text_dir: Path) -> dict[str, float]:
    """Seconds ``extract_facts`` takes on each restored text under ``text_dir`` (second run: caches warm)."""
    seconds = {}
    for path in sorted(text_dir.glob("*.txt")):
        if path.name.endswith(".ocr.txt"):
            continue
        text = path.read_text(encoding="utf-8")
        extract_text(text, path.stem)
        started = time.perf_counter()
        extract_text(text, path.stem)
        seconds[path.stem] = round(time.perf_counter() - started, 3)
    return seconds


def run(cases_path: Path = CASES, text_dir: Path = TEXT_DIR, verbose: bool = False) -> dict[str, Any]:
    """Score the cases and time the documents; write bench/out/extract.json and return the figures."""
    result = score_cases(load_cases(cases_path), extract_case, verbose)
    result["seconds_per_document"] = time_documents(text_dir) if text_dir.is_dir() else {}
    write_json(result, OUT_JSON)
    return result


def print_report(result: dict[str, Any]) -> None:
    """A short human-readable summary."""
    print(f"held-out style cases: {result['cases_passing']}/{result['cases']} passing")
    for table, scores in result["tables"].items():
        print(format_scores(table, scores))
    for doc_id, seconds in result["seconds_per_document"].items():
        print(f"extract_facts {doc_id}: {seconds:.3f} s")


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=CASES, help="YAML file of cases")
    parser.add_argument("--text-dir", type=Path, default=TEXT_DIR, help="restored texts to time extraction on")
    parser.add_argument("--verbose", action="store_true", help="list every problem of every failing case")
    args = parser.parse_args(argv)
    print_report(run(args.cases, args.text_dir, verbose=args.verbose))


if __name__ == "__main__":
    main()
