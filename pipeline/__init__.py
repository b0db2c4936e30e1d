"""Staged pipeline: ingest, OCR, restore diacritics, extract facts into tidy CSV tables."""

__version__ = "0.1.0"
