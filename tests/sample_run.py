"""Run the pipeline on the sample plans (the `.txt` files of `data/raw/`) into a temporary folder (tests' helper)."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.config import RAW_DIR, Settings
from pipeline.run import RunSummary, run


def run_samples(root: Path, **settings: object) -> tuple[Path, RunSummary]:
    """Extract the sample plans into ``root/out``, with no reviewers' corrections unless ``settings`` name some.

    Only the text samples are copied (``root/raw``), so that no test waits for OCR; a second call reuses the first's
    caches, as a second `make extract` does.
    """
    raw = root / "raw"
    raw.mkdir(exist_ok=True)
    for sample in sorted(RAW_DIR.glob("*.txt")):
        if not (raw / sample.name).exists():
            shutil.copy2(sample, raw / sample.name)
    corrections: dict[str, object] = {"user_lexicon": root / "user.tsv", "overrides_file": root / "overrides.csv"}
    out = root / "out"
    summary = run(Settings.for_dirs(raw, out, **{**corrections, **settings}), workers=2)
    return out, summary
