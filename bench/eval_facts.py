"""Score the pipeline's fact tables against the dev gold (/work/shared/eval/facts/*.json).

    python -m bench.eval_facts --out-dir DIR --gold /work/shared/eval/facts [--verbose]

Facts are matched on the SPEC keys as multisets: budgets (doc, amount_vnd), product_counts (doc, count,
entity), targets (doc, quantity, unit). Predictions matching a gold `optional` fact count neither way.
Other columns are then compared on the matched rows, and the documents.csv metadata on its own.
Writes the figures to bench/out/facts.json.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

KEYS = {"budgets": ("amount_vnd",), "product_counts": ("count", "entity"), "targets": ("quantity", "unit")}
COLUMNS = {
    "budgets": ("funding_source", "kind", "period", "amount_text"),
    "product_counts": ("status", "star_min", "star_max", "category", "period"),
    "targets": ("quantity_max", "qualifier", "star_min", "star_max", "period"),
}
META_COLUMNS = ("province", "district", "doc_number", "issue_date", "period_start", "period_end")
OUT_JSON = Path(__file__).parent / "out" / "facts.json"


def normalize(value: Any) -> Any:
    """Comparable form of a cell or a gold value: None for empty, numbers as floats, text as is."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    try:
        return round(float(value), 6)
    except (TypeError, ValueError):
        return str(value)


def read_csv(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file ([] when it is missing)."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def key_of(row: dict[str, Any], table: str) -> tuple[Any, ...]:
    """The matching key of a fact (without the document)."""
    return tuple(normalize(row.get(column)) for column in KEYS[table])


def agreement(pred: dict[str, Any], gold: dict[str, Any], table: str) -> int:
    """How many non-key columns agree."""
    return sum(normalize(pred.get(c)) == normalize(gold.get(c)) for c in COLUMNS[table])


def match_table(preds: list[dict[str, Any]], gold: list[dict[str, Any]], optional: list[dict[str, Any]], table: str):
    """(matched pairs, unmatched gold, unmatched predictions, ignored predictions) of one document's table."""
    gold_by_key: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    pred_by_key: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in gold:
        gold_by_key[key_of(row, table)].append(row)
    for row in preds:
        pred_by_key[key_of(row, table)].append(row)
    optional_left = Counter(key_of(row, table) for row in optional)
    pairs, missed, false_pos, ignored = [], [], [], []
    for key in gold_by_key.keys() | pred_by_key.keys():
        golds, candidates = list(gold_by_key[key]), list(pred_by_key[key])
        scored = sorted(((agreement(p, g, table), i, j) for i, p in enumerate(candidates) for j, g in enumerate(golds)),
                        reverse=True)  # fmt: skip
        used_pred, used_gold = set(), set()
        for _, i, j in scored:  # greedy: best-agreeing pairs first
            if i not in used_pred and j not in used_gold:
                used_pred.add(i)
                used_gold.add(j)
                pairs.append((candidates[i], golds[j]))
        missed += [g for j, g in enumerate(golds) if j not in used_gold]
        for i, pred in enumerate(candidates):
            if i in used_pred:
                continue
            if optional_left[key] > 0:
                optional_left[key] -= 1
                ignored.append(pred)
            else:
                false_pos.append(pred)
    return pairs, missed, false_pos, ignored


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 (1.0 for an empty side)."""
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def run(out_dir: Path, gold_dir: Path, verbose: bool = False) -> dict[str, Any]:
    """Score ``out_dir``'s tables against every gold file in ``gold_dir``; return the figures."""
    golds = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(gold_dir.glob("*.json"))}
    if not golds:
        raise FileNotFoundError(f"no gold facts (*.json) in {gold_dir}: pass --gold, or EVAL_DIR=... to make")
    missing = sorted(set(golds) - {row["doc_id"] for row in read_csv(out_dir / "documents.csv")})
    if missing:
        raise FileNotFoundError(f"{out_dir} has no output for gold document(s) {', '.join(missing)}: run make extract")
    documents = {row["doc_id"]: row for row in read_csv(out_dir / "documents.csv")}
    result: dict[str, Any] = {"documents": sorted(golds), "tables": {}, "columns": {}, "metadata": {}}
    for table in KEYS:
        rows = read_csv(out_dir / f"{table}.csv")
        counts = Counter()
        column_hits: Counter[str] = Counter()
        per_doc = {}
        for doc_id, gold in golds.items():
            preds = [row for row in rows if row["doc_id"] == doc_id]
            optional = [row for row in gold.get("optional", []) if row.get("table") == table]
            pairs, missed, false_pos, ignored = match_table(preds, gold[table], optional, table)
            counts.update(tp=len(pairs), fp=len(false_pos), fn=len(missed))
            per_doc[doc_id] = prf(len(pairs), len(false_pos), len(missed)) | {"ignored_optional": len(ignored)}
            for pred, gold_row in pairs:
                column_hits.update(c for c in COLUMNS[table] if normalize(pred.get(c)) == normalize(gold_row.get(c)))
            if verbose:
                for row in missed:
                    where = f"line {row.get('line_no')}: {row.get('ocr_snippet')}"
                    print(f"  MISSED {table} {doc_id} {key_of(row, table)} {where}")
                for row in false_pos:
                    print(f"  EXTRA  {table} {doc_id} {key_of(row, table)}: {row.get('text', '')[:100]!r}")
                for pred, gold_row in pairs:
                    wrong = [f"{c}={pred.get(c)!r}≠{gold_row.get(c)!r}" for c in COLUMNS[table]
                             if normalize(pred.get(c)) != normalize(gold_row.get(c))]  # fmt: skip
                    if wrong:
                        print(f"  COLUMN {table} {doc_id} {key_of(pred, table)}: {', '.join(wrong)}")
        result["tables"][table] = prf(counts["tp"], counts["fp"], counts["fn"]) | {"per_doc": per_doc}
        matched = counts["tp"]
        result["columns"][table] = {c: round(column_hits[c] / matched, 4) if matched else None for c in COLUMNS[table]}
    meta_hits: Counter[str] = Counter()
    for doc_id, gold in golds.items():
        predicted = documents.get(doc_id, {})
        for column in META_COLUMNS:
            ok = normalize(predicted.get(column)) == normalize(gold["document"].get(column))
            meta_hits[column] += ok
            if verbose and not ok:
                print(f"  META   {doc_id} {column}: {predicted.get(column)!r} ≠ {gold['document'].get(column)!r}")
    result["metadata"] = {c: round(meta_hits[c] / len(golds), 4) for c in META_COLUMNS} if golds else {}
    return result


def format_scores(table: str, scores: dict[str, float]) -> str:
    """One line of a table's precision, recall and F1 with its counts."""
    return (f"{table:15s} P={scores['precision']:.3f} R={scores['recall']:.3f} F1={scores['f1']:.3f} "
            f"(tp={scores['tp']} fp={scores['fp']} fn={scores['fn']})")  # fmt: skip


def write_json(result: dict[str, Any], path: Path) -> None:
    """Write a benchmark's figures as JSON (under the git-ignored bench/out/)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


def print_report(result: dict[str, Any]) -> None:
    """A short human-readable summary."""
    for table, scores in result["tables"].items():
        print(format_scores(table, scores))
        for doc_id, doc_scores in scores["per_doc"].items():
            figures = " ".join(f"{k[0].upper()}={doc_scores[k]:.3f}" for k in ("precision", "recall"))
            print(f"    {doc_id:40s} {figures} F1={doc_scores['f1']:.3f}")
        columns = ", ".join(f"{c}={v:.2f}" for c, v in result["columns"][table].items() if v is not None)
        print(f"    columns on matched rows: {columns}")
    print("metadata: " + ", ".join(f"{c}={v:.2f}" for c, v in result["metadata"].items()))


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, required=True, help="the pipeline's output folder (CSV tables)")
    parser.add_argument("--gold", type=Path, required=True, help="folder of gold JSON (../shared/eval/facts)")
    parser.add_argument("--verbose", action="store_true", help="list missed, extra and mislabelled facts")
    args = parser.parse_args(argv)
    try:
        result = run(args.out_dir, args.gold, verbose=args.verbose)
    except FileNotFoundError as error:
        raise SystemExit(f"error: {error}") from error
    print_report(result)
    write_json(result, OUT_JSON)


if __name__ == "__main__":
    main()
