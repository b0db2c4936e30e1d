"""`make ingest`: new plans are copied into the raw folder by province, listed in the manifest, never twice."""

from __future__ import annotations

import csv
import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from pipeline.archive import MANIFEST_COLUMNS, ingest_files, resolve_province
from pipeline.config import PROJECT_DIR, RAW_DIR
from pipeline.ingest import discover_inputs

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SAMPLE = RAW_DIR / "an-giang_2021_152-kh-ubnd.txt"  # its header names An Giang
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


def read_manifest(raw: Path) -> list[dict[str, str]]:
    with (raw / "MANIFEST.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_new_plan_goes_into_its_province_folder_with_a_manifest_row(tmp_path: Path) -> None:
    src = tmp_path / "incoming" / "kế hoạch OCOP.txt"
    src.parent.mkdir()
    shutil.copy(SAMPLE, src)
    [outcome] = ingest_files(src, tmp_path / "raw")
    dest = tmp_path / "raw" / "an-giang" / "kế hoạch OCOP.txt"
    assert (outcome.outcome, outcome.detail) == ("added", str(dest))
    assert dest.read_bytes() == SAMPLE.read_bytes()
    [row] = read_manifest(tmp_path / "raw")
    assert list(row) == list(MANIFEST_COLUMNS)
    assert row["path"] == "an-giang/kế hoạch OCOP.txt" and row["original_name"] == "kế hoạch OCOP.txt"
    assert row["sha256"] == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    assert (row["size"], row["source_kind"], row["province"]) == (str(SAMPLE.stat().st_size), "text", "An Giang")
    assert row["ingested_at"].endswith("+00:00")
    [source], errors = discover_inputs(tmp_path / "raw")  # the pipeline reads the plan, not the manifest
    assert (source.rel_path, errors) == ("an-giang/kế hoạch OCOP.txt", [])


def test_identical_content_is_not_added_twice_even_unlisted_or_renamed(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SAMPLE, raw / SAMPLE.name)  # placed by hand, before any manifest
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    shutil.copy(SAMPLE, incoming / "copy.txt")
    [outcome] = ingest_files(incoming, raw)
    assert outcome.outcome == "duplicate" and SAMPLE.name in outcome.detail
    assert sorted(p.name for p in raw.rglob("*")) == [SAMPLE.name]
    shutil.copy(SAMPLE, incoming / "again.txt")
    (raw / SAMPLE.name).unlink()
    outcomes = ingest_files(incoming, raw)  # both copies offered at once: the second is the first's duplicate
    assert [o.outcome for o in outcomes] == ["added", "duplicate"]
    assert len(read_manifest(raw)) == 1


def test_a_different_file_with_a_taken_name_gets_a_suffix_and_nothing_is_overwritten(tmp_path: Path) -> None:
    raw, src = tmp_path / "raw", tmp_path / "plan.txt"
    shutil.copy(SAMPLE, src)
    ingest_files(src, raw)
    first = (raw / "an-giang" / "plan.txt").read_bytes()
    src.write_bytes(SAMPLE.read_bytes() + "\nPhụ lục.\n".encode())
    [outcome] = ingest_files(src, raw)
    assert outcome.detail == str(raw / "an-giang" / "plan-2.txt")
    assert (raw / "an-giang" / "plan.txt").read_bytes() == first
    assert [r["path"] for r in read_manifest(raw)] == ["an-giang/plan.txt", "an-giang/plan-2.txt"]


def test_unsupported_and_unreadable_files_are_refused_with_the_reason(tmp_path: Path) -> None:
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "notes.docx").write_bytes(b"PK\x03\x04 not a plan")
    (incoming / "empty.txt").write_bytes(b"")
    (incoming / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (incoming / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    shutil.copy(FIXTURES / "encrypted.pdf", incoming / "encrypted.pdf")
    outcomes = {o.source.name: o for o in ingest_files(incoming, tmp_path / "raw", "An Giang")}
    assert {o.outcome for o in outcomes.values()} == {"refused"}
    assert "unsupported file type (.docx)" in outcomes["notes.docx"].detail
    assert "empty file" in outcomes["empty.txt"].detail
    assert outcomes["binary.txt"].detail.startswith("unreadable text file")
    assert outcomes["broken.png"].detail.startswith("unreadable image file")
    assert "password" in outcomes["encrypted.pdf"].detail
    assert not (tmp_path / "raw").exists() or not any((tmp_path / "raw").rglob("*.*"))


def test_a_scan_needs_the_province_and_a_pdf_text_layer_gives_it(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    [refused] = ingest_files(FIXTURES / "page.png", raw)
    assert refused.outcome == "refused" and "PROVINCE=" in refused.detail
    [added] = ingest_files(FIXTURES / "page.png", raw, province="dong-thap")
    assert added.detail == str(raw / "dong-thap" / "page.png")
    pdf = tmp_path / "ke-hoach.pdf"
    pdfmetrics.registerFont(TTFont("DejaVuSerif", FONT))
    page = canvas.Canvas(str(pdf))
    page.setFont("DejaVuSerif", 12)
    page.drawString(72, 760, "ỦY BAN NHÂN DÂN TỈNH BẮC GIANG")
    page.drawString(72, 730, "KẾ HOẠCH")
    page.save()
    [from_text] = ingest_files(pdf, raw)
    assert from_text.detail == str(raw / "bac-giang" / "ke-hoach.pdf")
    assert [(r["source_kind"], r["province"]) for r in read_manifest(raw)] == [
        ("image", "Đồng Tháp"),
        ("pdf", "Bắc Giang"),
    ]


def test_a_province_is_named_in_any_spelling_and_an_unknown_one_is_refused() -> None:
    assert resolve_province("dong-thap") == resolve_province("ĐỒNG THÁP") == "Đồng Tháp"
    with pytest.raises(ValueError, match="unknown province"):
        resolve_province("Atlantis")


def test_make_ingest_as_the_readme_shows(tmp_path: Path) -> None:
    src = tmp_path / "scan.png"
    shutil.copy(FIXTURES / "page.png", src)
    command = ["make", "-s", "ingest", f"SRC={src}", "PROVINCE=Hậu Giang", f"RAW_DIR={tmp_path / 'raw'}"]
    done = subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True, check=True)
    assert "1 added, 0 duplicate, 0 refused" in done.stdout
    assert (tmp_path / "raw" / "hau-giang" / "scan.png").read_bytes() == src.read_bytes()
    again = subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True, check=True)
    assert "0 added, 1 duplicate, 0 refused" in again.stdout
    refused = subprocess.run([*command[:3], f"SRC={FIXTURES / 'encrypted.pdf'}", *command[4:]], cwd=PROJECT_DIR,
                             capture_output=True, text=True)  # fmt: skip
    assert refused.returncode != 0 and "refused" in refused.stdout
