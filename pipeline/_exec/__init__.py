"""Wrappers around the external programs the pipeline runs (one module per program)."""
