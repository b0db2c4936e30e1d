"""The whole pipeline on the five sample plans, run as a user runs it (`make extract RAW_DIR=... OUT_DIR=...`)."""

from __future__ import annotations

import csv
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import frictionless
import pytest

from extractors.facts import TABLE_COLUMNS
from pipeline.config import DATA_DIR, PROJECT_DIR, RAW_DIR, Settings
from pipeline.run import run
from pipeline.write import DOCUMENT_COLUMNS, ERROR_COLUMNS

SCANNED = {"scans__dong-thap_2021-2025_ke-hoach-ocop_scan"}  # data/raw/scans/: a scanned PDF (bench/scans.py)
SAMPLES = sorted([p.stem for p in RAW_DIR.glob("*.txt")] + list(SCANNED))
HEADER_METADATA = {  # the three sample plans whose header page survived
    "dong-thap_2021_122-kh-ubnd": ("Đồng Tháp", "", "122/KH-UBND", "2021-04-14"),
    "an-giang_2021_152-kh-ubnd": ("An Giang", "", "152/KH-UBND", "2021-03-24"),
    "hau-giang_long-my_2020_470-kh-ubnd": ("Hậu Giang", "Long Mỹ", "470/KH-UBND", "2020-02-24"),
}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@dataclass(frozen=True)
class Workspace:
    raw: Path
    out: Path
    interim: Path
    started: float


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """Samples plus one unreadable file, extracted once with `make extract`."""
    root = tmp_path_factory.mktemp("e2e")
    raw, out = root / "raw", root / "out"
    shutil.copytree(RAW_DIR, raw)
    (raw / "nested").mkdir()
    (raw / "nested" / "broken.txt").write_bytes(bytes(range(256)) * 8)
    started = time.time()
    subprocess.run(
        ["make", "-s", "extract", f"RAW_DIR={raw}", f"OUT_DIR={out}", "WORKERS=2"],
        cwd=PROJECT_DIR,
        check=True,
        capture_output=True,
    )
    return Workspace(raw, out, root / "out-interim", started)


def test_every_sample_plan_is_in_documents_csv(workspace: Workspace) -> None:
    rows = read_csv(workspace.out / "documents.csv")
    assert [r["doc_id"] for r in rows] == SAMPLES
    assert list(rows[0]) == list(DOCUMENT_COLUMNS)
    for row in rows:
        assert row["source_kind"] == ("pdf-scan" if row["doc_id"] in SCANNED else "text")
        assert len(row["sha256"]) == 64
        assert int(row["tokens"]) > 1000
        assert (workspace.out / "text" / f"{row['doc_id']}.txt").exists()
        assert (workspace.out / "text" / f"{row['doc_id']}.ocr.txt").exists()


def test_metadata_of_the_plans_whose_header_survived(workspace: Workspace) -> None:
    rows = {r["doc_id"]: r for r in read_csv(workspace.out / "documents.csv")}
    for doc_id, (province, district, number, date) in HEADER_METADATA.items():
        row = rows[doc_id]
        assert (row["province"], row["district"], row["doc_number"], row["issue_date"]) == (
            province,
            district,
            number,
            date,
        ), doc_id


def test_fact_tables_have_rows_for_every_plan(workspace: Workspace) -> None:
    docs_with_facts: set[str] = set()
    for table in ("targets", "budgets", "product_counts"):
        rows = read_csv(workspace.out / f"{table}.csv")
        with (workspace.out / f"{table}.csv").open(encoding="utf-8") as fh:
            assert tuple(next(csv.reader(fh))) == TABLE_COLUMNS[table]
        docs_with_facts |= {r["doc_id"] for r in rows}
    assert docs_with_facts == set(SAMPLES)


def test_every_fact_opens_at_its_sentence(workspace: Workspace) -> None:
    texts: dict[str, str] = {}
    raw_texts: dict[str, str] = {}
    for table in ("targets", "budgets", "product_counts"):
        for row in read_csv(workspace.out / f"{table}.csv"):
            doc_id = row["doc_id"]
            if doc_id not in texts:
                texts[doc_id] = (workspace.out / "text" / f"{doc_id}.txt").read_text(encoding="utf-8")
                raw_texts[doc_id] = (workspace.out / "text" / f"{doc_id}.ocr.txt").read_text(encoding="utf-8")
            start, end = int(row["char_start"]), int(row["char_end"])
            assert texts[doc_id][start:end] == row["text"]
            assert row["raw_text"] in raw_texts[doc_id]
            assert 0.0 <= float(row["confidence"]) <= 1.0


def test_datapackage_describes_every_table_and_validates(workspace: Workspace) -> None:
    package = workspace.out / "datapackage.json"
    report = frictionless.validate(package)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
    names = {task.name for task in report.tasks}
    tables = {"documents", "targets", "budgets", "product_counts", "errors", "checks", "review", "corrections_applied"}
    assert names == tables


def test_unreadable_file_is_reported_and_the_rest_go_through(workspace: Workspace) -> None:
    errors = read_csv(workspace.out / "errors.csv")
    assert list(errors[0]) == list(ERROR_COLUMNS)
    assert [e["source_path"] for e in errors] == ["nested/broken.txt"]
    assert errors[0]["reason"]
    assert (workspace.raw / "nested" / "broken.txt").exists()  # quarantined, never removed


def test_rerun_does_no_work_and_changes_nothing(workspace: Workspace) -> None:
    before = snapshot(workspace.out)
    summary = run(Settings.for_dirs(workspace.raw, workspace.out))
    assert summary.reused == len(SAMPLES)
    assert summary.changed_files == 0
    assert snapshot(workspace.out) == before


def test_changing_one_input_redoes_only_that_document(workspace: Workspace, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(workspace.raw, raw)
    out = tmp_path / "out"
    shutil.copytree(workspace.out, out)
    shutil.copytree(workspace.interim, tmp_path / "out-interim")
    edited = raw / f"{SAMPLES[0]}.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nPhấn đấu có thêm 7 sản phẩm OCOP.\n", encoding="utf-8")
    before = snapshot(out / "text")
    summary = run(Settings.for_dirs(raw, out))
    assert summary.reused == len(SAMPLES) - 1
    after = snapshot(out / "text")
    assert {name for name in after if after[name] != before[name]} == {f"{SAMPLES[0]}.txt", f"{SAMPLES[0]}.ocr.txt"}


def test_data_folder_is_untouched_by_a_run_elsewhere(workspace: Workspace) -> None:
    touched = [p for p in DATA_DIR.rglob("*") if p.is_file() and p.stat().st_mtime > workspace.started]
    assert touched == []
