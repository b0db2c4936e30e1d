"""Run every extractor on one restored document."""

from __future__ import annotations

from extractors.budgets import extract_budgets
from extractors.facts import ExtractedFacts
from extractors.metadata import extract_metadata
from extractors.parsed import ParsedDocument
from extractors.product_counts import extract_product_counts
from extractors.targets import extract_targets
from pipeline.records import DocumentText


def extract_facts(doc: DocumentText) -> ExtractedFacts:
    """Metadata, targets, budgets, product counts and consistency checks of ``doc``."""
    meta = extract_metadata(doc.text)
    parsed = ParsedDocument.parse(doc, meta)
    budgets, budget_checks = extract_budgets(parsed)
    product_counts, count_checks = extract_product_counts(parsed)
    return ExtractedFacts(
        meta=meta,
        targets=extract_targets(parsed),
        budgets=budgets,
        product_counts=product_counts,
        checks=budget_checks + count_checks,
    )
