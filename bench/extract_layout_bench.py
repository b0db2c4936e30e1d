"""Score the extractors on the extraction cases laid out as OCR lays text out, with every word kept.

    python -m bench.extract_layout_bench [--cases FILE] [--verbose]

Tesseract writes each block it finds as a paragraph, with a blank line after it. A table row, or the second half of a
sentence that runs on to a new block or page, then stands after a blank line. It also collapses the runs of spaces
that align a table's columns. Each case of tests/fixtures/extract_cases.yaml is scored as `bench.extract_bench`
scores it, once per layout:
- ``continuations``: a blank line before every line that opens in lower case (the sentence before it runs on);
- ``after rows``: a blank line after every line with two numbers or more (table rows);
- ``every line``: a blank line after every line;
- ``single spaces``: runs of spaces collapsed to one;
- ``every line, single spaces``: both of the last two.
Writes bench/out/extract_layout.json.
"""

from __future__ import annotations

import argparse
import itertools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.eval_facts import format_scores, write_json
from bench.extract_bench import CASES, extract_text, load_cases, score_cases

OUT_FILE = Path(__file__).resolve().parent / "out" / "extract_layout.json"
_NUMBER_RE = re.compile(r"(?<![\w.,])\d[\d.,]*(?!\w)")


def blank_before_continuations(text: str) -> str:
    """A blank line before every non-blank line that opens in lower case after a non-blank line."""
    lines = text.split("\n")
    out = lines[:1]
    for before, line in itertools.pairwise(lines):
        if before.strip() and line.strip()[:1].islower():
            out.append("")
        out.append(line)
    return "\n".join(out)


def blank_after_rows(text: str) -> str:
    """A blank line after every line with two numbers or more."""
    return "\n".join(line + ("\n" if len(_NUMBER_RE.findall(line)) >= 2 else "") for line in text.split("\n"))


def blank_after_every_line(text: str) -> str:
    """A blank line after every line."""
    return "\n\n".join(text.split("\n"))


def single_spaces(text: str) -> str:
    """Runs of spaces collapsed to one."""
    return re.sub(r" {2,}", " ", text)


LAYOUTS: dict[str, Callable[[str], str]] = {
    "continuations": blank_before_continuations,
    "after rows": blank_after_rows,
    "every line": blank_after_every_line,
    "single spaces": single_spaces,
    "every line, single spaces": lambda text: blank_after_every_line(single_spaces(text)),
}


def run(cases_path: Path = CASES, verbose: bool = False) -> dict[str, Any]:
    """Score the cases in every layout; write bench/out/extract_layout.json and return the figures."""
    cases = load_cases(cases_path)
    result = {}
    for name, layout in LAYOUTS.items():
        if verbose:
            print(f"{name}:")
        result[name] = score_cases(cases, lambda case, layout=layout: extract_text(layout(case["text"]), case["id"]),
                                   verbose)  # fmt: skip
    write_json(result, OUT_FILE)
    return result


def print_report(result: dict[str, Any]) -> None:
    """The cases passing and the tables' scores, per layout."""
    for name, scores in result.items():
        print(f"\nlaid out as OCR lays text out, {name}: {scores['cases_passing']}/{scores['cases']} cases passing")
        for table, table_scores in scores["tables"].items():
            print("  " + format_scores(table, table_scores))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    print_report(run(args.cases, args.verbose))


if __name__ == "__main__":
    main()
