"""Whatever the provinces send: each broken file is quarantined with a one-line reason, the rest go through."""

from __future__ import annotations

import gzip
import os
import random
import shutil
import subprocess
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.config import RAW_DIR, Settings
from pipeline.errors import InputError, ModelError, StrictModeFailure
from pipeline.ingest import discover_inputs, read_document
from pipeline.legacy_encodings import encode_tcvn3, encode_vni
from pipeline.run import run_stage
from tests.hostile.conftest import (
    PLAN_TEXT,
    blank_pdf,
    image_bytes,
    png_header,
    read_csv,
    run_cli,
    snapshot,
    text_pdf,
    write_file,
)

GOOD_PLAN = "good/an-giang.txt"
PDF_LINES = ["Ke hoach thuc hien Chuong trinh OCOP nam 2024", "Phan dau co them 12 san pham dat 3 sao."]
MAX_IMAGE_PIXELS = 100_000_000  # given on the command line, below Pillow's own decompression-bomb limit
NFD_NAME = unicodedata.normalize("NFD", "names/Kế hoạch NFD.txt")
PLAN_LINE = "Phấn đấu có thêm 12 sản phẩm được công nhận đạt từ 3 sao trở lên."
JUNK = random.Random(7).randbytes(8192)
MIXED = b"".join(line.encode() if i % 2 else encode_tcvn3(line) for i, line in enumerate(PLAN_TEXT.splitlines(True)))

# rel_path → bytes of the files that are quarantined, with the stage and the words of the reason.
QUARANTINED: dict[str, tuple[bytes, str, str]] = {
    "empty/empty.txt": (b"", "ingest", "empty file (0 bytes)"),
    "lang/english.txt": (
        b"The province plans 100 OCOP products by 2025.\n" * 50,
        "ingest",
        "not a Vietnamese document",
    ),
    "lang/chinese.txt": (
        "一乡一品计划：二〇二五年前培育一百个产品。\n".encode() * 50,
        "ingest",
        "not a Vietnamese document",
    ),
    "lang/russian.txt": ("План развития продукции на 2025 год.\n".encode("cp1251") * 50, "ingest", "not a Vietnamese"),
    "empty/empty.pdf": (b"", "ingest", "empty file (0 bytes)"),
    "empty/empty.png": (b"", "ingest", "empty file (0 bytes)"),
    "pdf/truncated.pdf": (text_pdf(PDF_LINES)[:700], "ingest", "corrupt or unreadable PDF"),
    "pdf/corrupt.pdf": (b"%PDF-1.4\n" + JUNK, "ingest", "corrupt or unreadable PDF"),
    "pdf/encrypted.pdf": (text_pdf(PDF_LINES, password="secret"), "ingest", "encrypted PDF"),
    "pdf/no-pages.pdf": (blank_pdf(0), "ingest", "PDF has no pages"),
    "pdf/thousands.pdf": (blank_pdf(2500), "ingest", "PDF has 2500 pages, over the limit of 2000"),
    "images/bomb.png": (png_header(100_000, 100_000), "ingest", "image too large"),
    "images/huge.png": (png_header(12_000, 12_000), "ingest", f"over the limit of {MAX_IMAGE_PIXELS}"),
    "wrong/text-named.png": (PLAN_TEXT.encode(), "ingest", "corrupt or unsupported image"),
    "wrong/gzip-named.pdf": (gzip.compress(PLAN_TEXT.encode()), "ingest", "corrupt or unreadable PDF"),
    "junk/random.txt": (JUNK, "ingest", "binary content, not text"),
    "junk/gzip.txt": (gzip.compress(PLAN_TEXT.encode() * 20), "ingest", "binary content, not text"),
    "junk/nul-only.txt": (b"\x00" * 4096, "ingest", "only NUL bytes"),
}
# Quarantined without reading: bad names and symbolic links (built by `build_links`).
QUARANTINED_LINKS: dict[str, str] = {
    "names/bad\\xffname.txt": "file name is not valid UTF-8",
    "links/outside.txt": "symbolic link points outside the raw folder",
    "links/outside-dir": "symbolic link points outside the raw folder",
    "links/self.txt": "symbolic link loops",
    "links/ping.txt": "symbolic link loops",
    "links/pong.txt": "symbolic link loops",
    "links/dangling.txt": "broken symbolic link",
}
# rel_path → (bytes, a line its text must hold in text/<doc_id>.ocr.txt, or "" for no text) of files processed.
PROCESSED: dict[str, tuple[bytes, str]] = {
    "names/a plan with spaces.txt": (PLAN_TEXT.encode(), "Tổng kinh phí dự kiến 1.250 triệu đồng."),
    "names/Kế hoạch đặc biệt.txt": (PLAN_TEXT.encode(), "Tổng kinh phí dự kiến 1.250 triệu đồng."),
    NFD_NAME: (PLAN_TEXT.encode(), "Tổng kinh phí dự kiến 1.250 triệu đồng."),
    "names/-rf.txt": (PLAN_TEXT.encode(), "Tổng kinh phí dự kiến 1.250 triệu đồng."),
    "names/--help.pdf": (text_pdf(PDF_LINES), PDF_LINES[1]),
    "names/x..y.txt": (PLAN_TEXT.encode(), "Tổng kinh phí dự kiến 1.250 triệu đồng."),
    "names/v1..2/plan.txt": (PLAN_TEXT.encode(), "Tổng kinh phí dự kiến 1.250 triệu đồng."),
    "encodings/tcvn3.txt": (encode_tcvn3(PLAN_TEXT), PLAN_LINE),
    "encodings/vni.txt": (encode_vni(PLAN_TEXT), PLAN_LINE),
    "encodings/utf8-and-tcvn3.txt": (MIXED, PLAN_LINE),
    "text/nul-bytes.txt": (PLAN_TEXT.replace("\n", "\x00\n").encode() + b"\x00" * 2000, "Tổng kinh phí dự kiến"),
    "text/megabyte-line.txt": (("─" * 400_000 + "\n" + PLAN_TEXT).encode(), "Tổng kinh phí dự kiến 1.250 triệu"),
    "wrong/png-named.pdf": (image_bytes((60, 80), "PNG"), ""),
    "wrong/jpeg-named.tif": (image_bytes((60, 80), "JPEG"), ""),
    "wrong/pdf-named.txt": (text_pdf(PDF_LINES), PDF_LINES[0]),
}


@dataclass(frozen=True)
class HostileRun:
    raw: Path
    out: Path
    before: dict[str, bytes]
    process: subprocess.CompletedProcess[str]

    def errors(self) -> dict[str, dict[str, str]]:
        return {row["source_path"]: row for row in read_csv(self.out / "errors.csv")}

    def documents(self) -> dict[str, dict[str, str]]:
        return {row["source_path"]: row for row in read_csv(self.out / "documents.csv")}


def build_links(raw: Path, outside: Path) -> None:
    """Symbolic links out of the raw folder, in loops and to nothing, and a file name that is not UTF-8."""
    links = raw / "links"
    links.mkdir(parents=True)
    (links / "outside.txt").symlink_to(write_file(outside / "secret.txt", PLAN_TEXT.encode()))
    (links / "outside-dir").symlink_to(outside)
    (links / "self.txt").symlink_to(links / "self.txt")
    (links / "ping.txt").symlink_to(links / "pong.txt")
    (links / "pong.txt").symlink_to(links / "ping.txt")
    (links / "dangling.txt").symlink_to(links / "nothing.txt")
    write_file(Path(os.fsdecode(os.fsencode(raw / "names") + b"/bad\xffname.txt")), PLAN_TEXT.encode())


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileRun:
    """Every hostile file and one real plan in a raw folder, extracted once by the real command line."""
    root = tmp_path_factory.mktemp("hostile")
    raw = root / "raw"
    for rel_path, (data, *_) in {**QUARANTINED, **PROCESSED}.items():
        write_file(raw / rel_path, data)
    shutil.copy(RAW_DIR / "an-giang_2021_152-kh-ubnd.txt", write_file(raw / GOOD_PLAN, b""))
    build_links(raw, root / "outside")
    before = snapshot(raw)
    process = run_cli(raw, root / "out", "--max-image-pixels", str(MAX_IMAGE_PIXELS))
    return HostileRun(raw, root / "out", before, process)


def test_the_run_finishes_with_status_zero(hostile: HostileRun) -> None:
    assert hostile.process.returncode == 0, hostile.process.stderr[-2000:]


@pytest.mark.parametrize("rel_path", sorted(QUARANTINED))
def test_broken_file_is_quarantined_with_a_one_line_reason(hostile: HostileRun, rel_path: str) -> None:
    _, stage, reason = QUARANTINED[rel_path]
    row = hostile.errors()[rel_path]
    assert row["stage"] == stage and reason in row["reason"] and "\n" not in row["reason"]
    assert f"ERROR quarantined {rel_path} ({stage}: {row['reason']})" in hostile.process.stderr.splitlines()
    assert rel_path not in hostile.documents()


@pytest.mark.parametrize("rel_path", sorted(QUARANTINED_LINKS))
def test_bad_name_or_link_is_quarantined_with_a_one_line_reason(hostile: HostileRun, rel_path: str) -> None:
    row = hostile.errors()[rel_path]
    assert row["stage"] == "ingest" and QUARANTINED_LINKS[rel_path] in row["reason"]
    assert f"ERROR quarantined {rel_path} ({row['reason']})" in hostile.process.stderr.splitlines()


def test_errors_csv_lists_exactly_the_quarantined_files(hostile: HostileRun) -> None:
    assert set(hostile.errors()) == set(QUARANTINED) | set(QUARANTINED_LINKS)


@pytest.mark.parametrize("rel_path", sorted(PROCESSED))
def test_recoverable_file_is_processed(hostile: HostileRun, rel_path: str) -> None:
    row = hostile.documents()[unicodedata.normalize("NFC", rel_path)]
    text = (hostile.out / "text" / f"{row['doc_id']}.ocr.txt").read_text(encoding="utf-8")
    expected = PROCESSED[rel_path][1]
    assert expected in text.splitlines() or expected in text
    assert "\x00" not in text and unicodedata.is_normalized("NFC", text)


def test_the_real_plan_among_them_yields_its_facts(hostile: HostileRun) -> None:
    doc_id = hostile.documents()[GOOD_PLAN]["doc_id"]
    assert any(row["doc_id"] == doc_id for row in read_csv(hostile.out / "budgets.csv"))
    assert any(row["doc_id"] == doc_id for row in read_csv(hostile.out / "product_counts.csv"))


def test_every_output_is_nfc_utf8(hostile: HostileRun) -> None:
    for path in hostile.out.rglob("*.csv"):
        text = path.read_bytes().decode("utf-8")
        assert unicodedata.is_normalized("NFC", text), path


def test_inputs_are_never_modified_or_deleted(hostile: HostileRun) -> None:
    assert snapshot(hostile.raw) == hostile.before


def test_strict_run_fails_only_after_finishing_the_rest(hostile: HostileRun, tmp_path: Path) -> None:
    strict = run_cli(hostile.raw, tmp_path / "out", "--max-image-pixels", str(MAX_IMAGE_PIXELS), "--strict")
    assert strict.returncode == StrictModeFailure.exit_code
    assert "--strict" in strict.stderr.splitlines()[-1]
    for table in ("documents", "errors", "budgets", "targets", "product_counts"):
        assert (tmp_path / "out" / f"{table}.csv").read_bytes() == (hostile.out / f"{table}.csv").read_bytes()


def test_a_pdf_of_thousands_of_pages_is_refused_before_any_page_is_read(tmp_path: Path) -> None:
    write_file(tmp_path / "huge.pdf", blank_pdf(20_000))
    (source,), _ = discover_inputs(tmp_path)
    started = time.monotonic()
    with pytest.raises(InputError, match="20000 pages, over the limit of 2000"):
        read_document(source, Settings())
    assert time.monotonic() - started < 5


def test_a_stage_that_fails_quarantines_its_document_and_a_missing_model_stops_the_run(tmp_path: Path) -> None:
    (source,), _ = discover_inputs(write_file(tmp_path / "raw" / "plan.txt", PLAN_TEXT.encode()).parent)
    settings = Settings.for_dirs(tmp_path / "raw", tmp_path / "out")

    def fail() -> None:
        raise ValueError("Text of length 2160000 exceeds maximum of 1000000.\nSecond line " + "x" * 500)

    with pytest.raises(InputError) as info:
        run_stage(settings, "extract", source, "key", fail)
    assert (info.value.rel_path, info.value.stage) == ("plan.txt", "extract")
    assert info.value.reason.startswith("failed unexpectedly (ValueError: Text of length 2160000 exceeds")
    assert "\n" not in info.value.reason and len(info.value.reason) < 200

    def lose_model() -> None:
        raise ModelError("model files missing")

    with pytest.raises(ModelError):
        run_stage(settings, "restore", source, "key", lose_model)
