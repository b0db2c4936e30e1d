"""Reviewers' corrections: fact overrides from `data/overrides.csv`, and the record of every correction applied.

`overrides.csv` (UTF-8, header row) has the columns of `OVERRIDE_COLUMNS`; a reviewer fills one row per fact from
`review.csv`: `doc_id`, `table` (review's `subject`: targets, budgets, product_counts), `match` (`column=value` pairs
as review's `item` writes them, e.g. the table's key `amount_vnd=900000000`), the fact's `char_start`, `action`
(`drop` the fact, `set` `column` to `value`, or `confirm` it) and a free `note`. Of the facts with every `match`
value, those nearest to `char_start` are chosen (offsets move when a restoration changes); with no `match`, those
starting exactly at `char_start`; with no `char_start`, all. A fact that was set or confirmed gets confidence 1, so
it leaves the top of the next `review.csv`.

Restorations are corrected in `data/lexicon/user.tsv` (the restorer forces them); `record_lexicon` lists where.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from diacritics.user_lexicon import UserLexicon
from extractors.facts import TABLE_COLUMNS
from pipeline.datapackage import FIELDS, PROVENANCE_FIELDS
from pipeline.extract import FACT_TABLES
from pipeline.write import DocumentResult, format_value

Action = Literal["drop", "set", "confirm"]
ACTIONS = ("drop", "set", "confirm")
OVERRIDE_COLUMNS = ("doc_id", "table", "match", "char_start", "action", "column", "value", "note")
_PAIR_SPLIT_RE = re.compile(r",\s*(?=[a-z_]+=)")


@dataclass(frozen=True)
class Override:
    """One valid row of the overrides file."""

    line: int
    doc_id: str
    table: str
    match: tuple[tuple[str, str], ...]
    char_start: int | None
    action: Action
    column: str
    value: Any

    def select(self, facts: Sequence[Mapping[str, Any]]) -> list[int]:
        """Indices of the facts this override is about (see the module's docstring)."""
        hits = [i for i, fact in enumerate(facts) if all(format_value(fact.get(c)) == v for c, v in self.match)]
        if self.char_start is None or not hits:
            return hits
        distance = {i: abs(facts[i]["char_start"] - self.char_start) for i in hits}
        nearest = 0 if not self.match else min(distance.values())
        return [i for i in hits if distance[i] == nearest]

    def describe(self) -> str:
        """What the override does, in words."""
        what = ", ".join(f"{c}={v}" for c, v in self.match) or f"the facts at {self.char_start}"
        if self.action == "set":
            return f"set {self.column}={format_value(self.value)} on {what}"
        return f"{self.action} {what}"


def read_overrides(path: Path) -> tuple[list[Override], list[dict[str, Any]]]:
    """The valid overrides of ``path`` (none if it does not exist) and a correction record per invalid row."""
    if not path.exists():
        return [], []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    overrides: list[Override] = []
    invalid: list[dict[str, Any]] = []
    for line, row in enumerate(rows, start=2):
        row = {k.strip(): unicodedata.normalize("NFC", (v or "").strip()) for k, v in row.items() if k}
        try:
            overrides.append(parse_override(line, row))
        except ValueError as error:
            invalid.append(_correction(path, line, row.get("doc_id", ""), row.get("table", ""), None, None, "",
                                       f"invalid: {error}"))  # fmt: skip
    return overrides, invalid


def parse_override(line: int, row: Mapping[str, str]) -> Override:
    """One overrides row, checked; ValueError says what is wrong with it."""
    table, action, column = row.get("table", ""), row.get("action", ""), row.get("column", "")
    if table not in FACT_TABLES:
        raise ValueError(f"table must be one of {', '.join(FACT_TABLES)}, not {table!r}")
    if action not in ACTIONS:
        raise ValueError(f"action must be one of {', '.join(ACTIONS)}, not {action!r}")
    own_columns = [c for c in TABLE_COLUMNS[table] if c not in PROVENANCE_FIELDS]
    if action == "set" and column not in own_columns:
        raise ValueError(f"column of {table} to set must be one of {', '.join(own_columns)}, not {column!r}")
    match = tuple(tuple(pair.split("=", 1)) for pair in _PAIR_SPLIT_RE.split(row.get("match", "")) if pair)
    unknown = [c for c, *_ in match if c not in TABLE_COLUMNS[table]]
    if unknown or any(len(pair) != 2 for pair in match):
        raise ValueError(f"match must be column=value pairs of {table}, got {row.get('match')!r}")
    start = row.get("char_start", "")
    if not (start.isdigit() or (match and not start)):
        raise ValueError(f"char_start must be an offset (it may be empty when match is given), not {start!r}")
    value = coerce_value(column, row.get("value", "")) if action == "set" else None
    char_start = int(start) if start else None
    return Override(line, row.get("doc_id", ""), table, match, char_start, action, column, value)  # type: ignore[arg-type]


def coerce_value(column: str, text: str) -> Any:
    """A CSV value as the column's type of the data package; ValueError if it does not fit."""
    field = FIELDS[column]
    if not text:
        return None
    enum = field.get("constraints", {}).get("enum")
    if enum and text not in enum:
        raise ValueError(f"{column} must be one of {', '.join(enum)}, not {text!r}")
    try:
        if field["type"] == "integer":
            return int(text)
        if field["type"] == "number":
            number = float(text)
            return int(number) if number.is_integer() else number
    except ValueError:
        raise ValueError(f"{column} must be of type {field['type']}, not {text!r}") from None
    return text


def apply_overrides(
    results: Sequence[DocumentResult], overrides: Sequence[Override], source: Path
) -> tuple[list[DocumentResult], list[dict[str, Any]]]:
    """``results`` with the overrides applied, and one correction record per override (at its first fact)."""
    by_doc = {r.raw.source.doc_id: r for r in results}
    records = []
    for override in overrides:
        result = by_doc.get(override.doc_id)
        facts = list(result.facts[override.table]) if result else []
        hits = override.select(facts)
        page, span = None, None
        if result and hits:
            span = (facts[hits[0]]["char_start"], facts[hits[0]]["char_end"])
            page = result.text.page_at(span[0])
        for i in reversed(hits):
            if override.action == "drop":
                del facts[i]
            else:
                facts[i] = {**facts[i], "confidence": 1.0}
                if override.action == "set":
                    facts[i][override.column] = override.value
        if result and hits:
            by_doc[override.doc_id] = replace(result, facts={**result.facts, override.table: facts})
        outcome = f"applied to {len(hits)} fact(s)" if hits else "no match: no such fact in this run"
        records.append(_correction(source, override.line, override.doc_id, override.table, page, span,
                                   override.describe(), outcome))  # fmt: skip
    return [by_doc[r.raw.source.doc_id] for r in results], records


def record_lexicon(results: Sequence[DocumentResult], path: Path) -> list[dict[str, Any]]:
    """One correction record per word or phrase the user lexicon forced, one per entry that forced none, and one per
    line that is no valid entry."""
    lexicon = UserLexicon.read(path)
    records = []
    used: set[str] = set()
    for result in results:
        text = result.text
        tokens = text.alignment
        for start, key in lexicon.matches(text.raw_text, ((t.raw_start, t.raw_end, True) for t in tokens)):
            first, last = tokens[start], tokens[start + key.count(" ")]
            written = " ".join(text.raw_text[first.raw_start : last.raw_end].split())
            output = " ".join(text.text[first.out_start : last.out_end].split())
            if output.lower() == lexicon.entries[key].lower():
                used.add(key)
                span = (first.out_start, last.out_end)
                records.append(_correction(path, lexicon.lines[key], text.doc_id, "restoration",
                                           text.page_at(span[0]), span, f"{written} → {output}",
                                           "applied"))  # fmt: skip
    for key in sorted(set(lexicon.entries) - used, key=lexicon.lines.__getitem__):
        records.append(_correction(path, lexicon.lines[key], "", "restoration", None, None,
                                   f"{key} → {lexicon.entries[key]}",
                                   "no match: the word or phrase is not in any document"))  # fmt: skip
    for line, why in lexicon.invalid:
        records.append(_correction(path, line, "", "restoration", None, None, "", f"invalid: {why}"))
    return records


def _correction(
    source: Path, line: int | None, doc_id: str, subject: str, page: int | None, span: tuple[int, int] | None,
    change: str, outcome: str,
) -> dict[str, Any]:  # fmt: skip
    return {
        "source": source.name,
        "line": line,
        "doc_id": doc_id,
        "page": page,
        "subject": subject,
        "char_start": span[0] if span else None,
        "char_end": span[1] if span else None,
        "change": change,
        "outcome": outcome,
    }
