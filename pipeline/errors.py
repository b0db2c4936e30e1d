"""Errors that stop a document or a run, each with an exit code and advice.

Only `pipeline.run` catches them; a page-level problem is never an exception but a
`PageRecord` with a non-"ok" status.
"""

from __future__ import annotations


class PipelineError(Exception):
    """Base class: a message for the user and the process exit code."""

    exit_code = 1


class InputError(PipelineError):
    """An input file cannot be read; it is quarantined and the run goes on."""

    exit_code = 2

    def __init__(self, rel_path: str, stage: str, reason: str) -> None:
        super().__init__(f"{rel_path}: {reason}")
        self.rel_path = rel_path
        self.stage = stage
        self.reason = reason

    def __reduce__(self) -> tuple[type, tuple[str, str, str]]:
        return (type(self), (self.rel_path, self.stage, self.reason))


class ModelError(PipelineError):
    """A model file is missing or does not match this code; the run stops."""

    exit_code = 3


class SetupError(PipelineError):
    """A required program (Tesseract, poppler) is missing; the run stops."""

    exit_code = 4


class StrictModeFailure(PipelineError):
    """`--strict` was given and some inputs were quarantined."""

    exit_code = 5
