"""Load the matching rules kept as data in ``extractors/patterns/*.yaml`` and compile them."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PATTERN_DIR = Path(__file__).parent / "patterns"


@cache
def load_patterns(name: str) -> dict[str, Any]:
    """The rules of ``patterns/<name>.yaml``."""
    with (PATTERN_DIR / f"{name}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def compile_cues(cues: list[str] | tuple[str, ...]) -> re.Pattern[str]:
    """One regex matching any folded cue as whole words; spaces in a cue match any whitespace.

    Folded text is lower-case ASCII letters, so a word ends where no [a-z] follows (a footnote call
    such as "chủ thể³" still ends the word).
    """
    alternatives = "|".join(cue.replace(" ", r"\s+") for cue in sorted(cues, key=len, reverse=True))
    return re.compile(rf"(?<![a-z])(?:{alternatives})(?![a-z])")


@cache
def load_cue_table(name: str, key: str) -> dict[str, re.Pattern[str]]:
    """``{label: compiled cues}`` for a mapping of labels to cue lists in ``patterns/<name>.yaml``."""
    return {label: compile_cues(tuple(cues)) for label, cues in load_patterns(name)[key].items()}


@cache
def load_cue_pattern(name: str, key: str) -> re.Pattern[str]:
    """The compiled cue list ``key`` of ``patterns/<name>.yaml``."""
    return compile_cues(tuple(load_patterns(name)[key]))


def find_first_label(table: dict[str, re.Pattern[str]], folded: str) -> str | None:
    """The first label (in the table's order) with a cue in ``folded``."""
    return next((label for label, pattern in table.items() if pattern.search(folded)), None)
