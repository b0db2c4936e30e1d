"""Fact extraction from restored OCOP plans: ``extract_facts(doc) -> ExtractedFacts``."""

from extractors.extract import extract_facts
from extractors.facts import ExtractedFacts

__all__ = ["ExtractedFacts", "extract_facts"]
