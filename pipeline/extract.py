"""Extract stage: `DocumentText` → plain rows for every table (cacheable as JSON)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from extractors import extract_facts
from extractors.facts import fact_to_row
from pipeline.records import DocumentText

FACT_TABLES = ("targets", "budgets", "product_counts")


def extract_document(doc: DocumentText) -> dict[str, Any]:
    """Run every extractor on one document; facts become flat rows in SPEC column order."""
    facts = extract_facts(doc)
    rows: dict[str, Any] = {"meta": asdict(facts.meta), "checks": [asdict(check) for check in facts.checks]}
    for table in FACT_TABLES:
        rows[table] = [fact_to_row(fact) for fact in getattr(facts, table)]
    return rows
