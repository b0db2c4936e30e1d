"""The packaged diacritics model with one file left out or replaced, in a temporary folder (tests' helper)."""

from __future__ import annotations

from pathlib import Path

from diacritics.restorer import DEFAULT_MODEL_DIR


def model_dir_with(root: Path, name: str, text: str | None) -> Path:
    """The packaged model's files linked into ``root``, with file ``name`` holding ``text`` (None: left out)."""
    for path in DEFAULT_MODEL_DIR.iterdir():
        if path.name != name:
            (root / path.name).symlink_to(path)
    if text is not None:
        (root / name).write_text(text, encoding="utf-8")
    return root
