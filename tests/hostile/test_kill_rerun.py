"""Killing a run at any moment and running again gives the outputs of an uninterrupted run, byte for byte."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.config import PROJECT_DIR, RAW_DIR
from tests.hostile.conftest import extract_command, read_csv, run_cli, snapshot
from tests.processes import stat_fields

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"
POLL_S = 0.005
WAIT_LIMIT_S = 120


def run_to_end(raw: Path, out: Path) -> str:
    """An uninterrupted run; its log."""
    done = run_cli(raw, out)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stderr


def run_and_kill(raw: Path, out: Path, moment: Callable[[int], bool]) -> bool:
    """Start a run and SIGKILL it with all its processes as soon as `moment(pid)` holds; False if it ended first."""
    process = subprocess.Popen(extract_command(raw, out), cwd=PROJECT_DIR, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + WAIT_LIMIT_S
    while process.poll() is None and time.monotonic() < deadline:
        if moment(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return True
        time.sleep(POLL_S)
    process.wait()
    return False


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (read from /proc)."""
    children: dict[int, list[int]] = {}
    for process in Path("/proc").glob("[0-9]*"):
        if fields := stat_fields(int(process.name)):
            children.setdefault(int(fields[1]), []).append(int(process.name))
    found, todo = [], [pid]
    while todo:
        kids = children.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def tesseract_running(pid: int) -> bool:
    for child in descendants(pid):
        try:
            if Path(f"/proc/{child}/comm").read_text().strip() == "tesseract":
                return True
        except OSError:
            continue
    return False


def restoring(interim: Path) -> Callable[[int], bool]:
    """True while a document has been read but not yet restored, after at least one was restored."""

    def moment(_: int) -> bool:
        restored = len(list((interim / "restore").glob("*.json")))
        return restored >= 1 and len(list((interim / "ingest").glob("*.json"))) > restored

    return moment


def writing(out: Path) -> Callable[[int], bool]:
    """True once the write stage has begun (the first text file is in place)."""
    return lambda _: any((out / "text").glob("*.txt"))


def assert_no_partial_file(*folders: Path) -> None:
    """Every file under its final name is complete: CSVs and JSON parse, texts decode."""
    for folder in folders:
        for path in folder.rglob("*"):
            if path.name.endswith(".tmp") or not path.is_file():
                continue
            if path.suffix == ".json":
                json.loads(path.read_text(encoding="utf-8"))
            elif path.suffix == ".csv":
                assert read_csv(path) is not None
            else:
                path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample plans and a scanned PDF, first in order so that a run OCRs it first."""
    raw = tmp_path_factory.mktemp("kill") / "raw"
    raw.mkdir()
    for sample in RAW_DIR.glob("*.txt"):
        shutil.copy(sample, raw)
    shutil.copy(FIXTURES / "mixed.pdf", raw / "0-scan.pdf")
    return raw


@pytest.fixture(scope="module")
def reference(raw: Path) -> Path:
    """The output folder of an uninterrupted run."""
    out = raw.parent / "reference" / "out"
    run_to_end(raw, out)
    return out


def test_killed_runs_then_a_rerun_give_the_uninterrupted_outputs(raw: Path, reference: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    interim = tmp_path / "out-interim"
    moments = {"during OCR": tesseract_running, "during restoration": restoring(interim), "while writing": writing(out)}
    killed = [name for name, moment in moments.items() if run_and_kill(raw, out, moment)]
    assert killed[:2] == ["during OCR", "during restoration"]
    assert_no_partial_file(out, interim)
    run_to_end(raw, out)
    assert snapshot(out) == snapshot(reference)
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_second_run_with_no_change_does_nothing(raw: Path, reference: Path) -> None:
    folder = reference.parent
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}
    log = run_to_end(raw, reference)
    count = len(list(raw.iterdir()))
    assert f"documents: {count} ({count} unchanged, reused from cache)" in log and "output files changed: 0" in log
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()} == before
