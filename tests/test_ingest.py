"""Discovering input files and reading text, PDF and image inputs into pages."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from PIL import Image

from pipeline.config import RAW_DIR, Settings
from pipeline.errors import InputError
from pipeline.ingest import describe_language_problem, discover_inputs, read_document, slugify_path
from pipeline.legacy_encodings import encode_tcvn3
from pipeline.records import SourceFile

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
PNG_HEADER = b"\x89PNG\r\n\x1a\n"
SETTINGS = Settings()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def source_for(path: Path) -> SourceFile:
    """Discover a single file by putting it alone in its folder."""
    sources, errors = discover_inputs(path.parent)
    assert not errors
    (source,) = (s for s in sources if s.path == path)
    return source


@pytest.fixture
def raw_tree(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    write(raw / "Sở NN" / "Kế hoạch 122.pdf", b"%PDF-1.4 not really")
    write(raw / "b" / "plan.txt", "Kế hoạch".encode())
    write(raw / "b" / "plan.pdf", b"%PDF-1.7 x")
    write(raw / "scan.TIF", b"II*\x00rest")
    write(raw / "photo.txt", PNG_HEADER + b"rest")  # content beats the suffix
    write(raw / "notes.docx", b"PK\x03\x04zip")
    write(raw / ".hidden.txt", b"x")
    write(raw / ".git" / "config.txt", b"x")
    write(raw / "README.md", b"x")
    write(raw / "MANIFEST.csv", b"x")
    outside = write(tmp_path / "outside.txt", b"outside")
    (raw / "escape.txt").symlink_to(outside)
    (raw / "escape-dir").symlink_to(tmp_path)
    (raw / "loop.txt").symlink_to(raw / "loop.txt")
    (raw / "alias.txt").symlink_to(raw / "b" / "plan.txt")
    return raw


def test_discover_finds_supported_files_sorted_and_reports_the_rest(raw_tree: Path) -> None:
    sources, errors = discover_inputs(raw_tree)
    assert [(s.rel_path, s.file_type) for s in sources] == [
        ("Sở NN/Kế hoạch 122.pdf", "pdf"),
        ("alias.txt", "text"),
        ("b/plan.pdf", "pdf"),
        ("b/plan.txt", "text"),
        ("photo.txt", "image"),
        ("scan.TIF", "image"),
    ]
    reasons = {e.rel_path: e.reason for e in errors}
    assert set(reasons) == {"escape-dir", "escape.txt", "loop.txt", "notes.docx"}
    assert "outside" in reasons["escape.txt"] and "outside" in reasons["escape-dir"]
    assert "loop" in reasons["loop.txt"]
    assert "unsupported" in reasons["notes.docx"]
    assert all(e.stage == "ingest" for e in errors)


def test_discover_records_hash_size_and_slug_ids(raw_tree: Path) -> None:
    sources, _ = discover_inputs(raw_tree)
    by_path = {s.rel_path: s for s in sources}
    pdf = by_path["Sở NN/Kế hoạch 122.pdf"]
    data = (raw_tree / pdf.rel_path).read_bytes()
    assert pdf.sha256 == hashlib.sha256(data).hexdigest()
    assert pdf.size == len(data)
    assert pdf.path.is_absolute()
    assert pdf.doc_id == "so-nn__ke-hoach-122"
    assert by_path["alias.txt"].doc_id == "alias"
    clashing = [by_path["b/plan.pdf"], by_path["b/plan.txt"]]
    assert [s.doc_id for s in clashing] == [f"b__plan-{s.sha256[:8]}" for s in clashing]


def test_identical_files_whose_paths_slug_alike_still_get_distinct_ids(tmp_path: Path) -> None:
    write(tmp_path / "Kế hoạch.txt", b"same")
    write(tmp_path / "ke hoach.txt", b"same")
    sources, _ = discover_inputs(tmp_path)
    assert len({s.doc_id for s in sources}) == 2


@pytest.mark.parametrize(
    ("rel_path", "slug"),
    [("Kế hoạch 122.pdf", "ke-hoach-122"), ("Đồng Tháp/KH_01.Final.TXT", "dong-thap__kh_01-final"), ("???.txt", "doc")],
)
def test_slugify_path(rel_path: str, slug: str) -> None:
    assert slugify_path(rel_path) == slug


def test_text_input_is_normalised_and_split_on_form_feeds(tmp_path: Path) -> None:
    path = write(tmp_path / "plan.txt", "Trang một\r\ndòng hai\rba\x00\fTrang hai\f  \f".encode())
    doc = read_document(source_for(path), SETTINGS)
    assert doc.encoding == "utf-8" and doc.ocr_engine == "input-text" and doc.source_kind == "text"
    assert [(p.page_no, p.text, p.status) for p in doc.pages] == [
        (1, "Trang một\ndòng hai\nba", "ok"),
        (2, "Trang hai", "ok"),
        (3, "  ", "empty"),
    ]


def test_text_input_without_form_feed_is_one_unnumbered_page(tmp_path: Path) -> None:
    path = write(tmp_path / "plan.txt", encode_tcvn3("Kế hoạch năm 2024\n"))
    (page,) = read_document(source_for(path), SETTINGS).pages
    assert (page.page_no, page.text, page.source_kind, page.confidence) == (None, "Kế hoạch năm 2024\n", "text", None)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("junk.txt", bytes(range(256)) * 8, "binary"),
        ("empty.pdf", b"", "empty file"),
        ("broken.pdf", b"%PDF-1.4\n garbage", "corrupt"),
        ("broken.png", PNG_HEADER + b"\x00" * 20, "corrupt"),
    ],
)
def test_unreadable_inputs_raise_input_error(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    source = source_for(write(tmp_path / name, data))
    with pytest.raises(InputError, match=reason) as info:
        read_document(source, SETTINGS)
    assert info.value.rel_path == name and info.value.stage == "ingest"


def test_encrypted_pdf_raises_input_error(tmp_path: Path) -> None:
    path = Path(shutil.copy(FIXTURES / "encrypted.pdf", tmp_path))
    with pytest.raises(InputError, match="encrypted"):
        read_document(source_for(path), SETTINGS)


def test_pdf_without_pages_raises_input_error(tmp_path: Path) -> None:
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[]/Count 0>>"]
    data, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(data))
        data += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(data)
    data += b"xref\n0 3\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    data += b"trailer\n<</Size 3/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref
    with pytest.raises(InputError, match="no pages"):
        read_document(source_for(write(tmp_path / "none.pdf", data)), SETTINGS)


def test_pdf_over_the_page_limit_raises_input_error(tmp_path: Path) -> None:
    path = Path(shutil.copy(FIXTURES / "mixed.pdf", tmp_path))
    with pytest.raises(InputError, match="3 pages"):
        read_document(source_for(path), Settings(max_pages=2))


def test_image_over_the_pixel_limit_raises_input_error(tmp_path: Path) -> None:
    path = Path(shutil.copy(FIXTURES / "page.png", tmp_path))
    with pytest.raises(InputError, match="pixels"):
        read_document(source_for(path), Settings(max_image_pixels=1000))


def test_mixed_pdf_uses_the_text_layer_and_ocrs_the_rest(tmp_path: Path) -> None:
    path = Path(shutil.copy(FIXTURES / "mixed.pdf", tmp_path))
    before = path.read_bytes()
    doc = read_document(source_for(path), SETTINGS)
    assert path.read_bytes() == before
    assert [(p.page_no, p.source_kind, p.status) for p in doc.pages] == [
        (1, "pdf-text", "ok"),
        (2, "pdf-scan", "ok"),
        (3, "pdf-scan", "empty"),
    ]
    assert doc.pages[0].text == (FIXTURES / "mixed.gt.txt").read_text(encoding="utf-8").rstrip("\n")
    assert doc.source_kind == "pdf-scan"
    assert doc.ocr_engine.startswith("pdfplumber+tesseract ") and doc.ocr_engine.endswith(" (vie)")


def test_legacy_font_text_layer_is_repaired_and_a_stamped_scan_is_ocred(tmp_path: Path) -> None:
    path = Path(shutil.copy(FIXTURES / "odd-layers.pdf", tmp_path))
    legacy, stamped = read_document(source_for(path), SETTINGS).pages
    truth = (FIXTURES / "mixed.gt.txt").read_text(encoding="utf-8").splitlines()
    assert legacy.source_kind == "pdf-text"
    assert legacy.text.splitlines()[1] == truth[1]  # typed in a TCVN3 font, extracted as Windows-1252 mojibake
    assert (stamped.source_kind, stamped.status) == ("pdf-scan", "ok")  # its text layer is only a signature
    assert stamped.text.rstrip().endswith("Signed by: People's Committee, 2024-05-06 08:00")


def test_special_files_are_reported_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")  # opening a FIFO would block discovery
    _, errors = discover_inputs(tmp_path)
    assert [(e.rel_path, e.reason) for e in errors] == [("pipe.txt", "not a regular file")]


def test_tiff_frames_are_pages(tmp_path: Path) -> None:
    blank = Image.new("L", (200, 100), 255)
    blank.save(tmp_path / "pages.tif", save_all=True, append_images=[blank.copy()], dpi=(300, 300))
    doc = read_document(source_for(tmp_path / "pages.tif"), SETTINGS)
    assert [(p.page_no, p.source_kind, p.status) for p in doc.pages] == [(1, "image", "empty"), (2, "image", "empty")]


def test_language_check_accepts_every_sample_plan_and_refuses_other_languages() -> None:
    for plan in sorted(RAW_DIR.glob("*.txt")):  # English-model OCR included
        assert describe_language_problem(plan.read_text(encoding="utf-8")) is None, plan.name
    english = "The provincial people's committee approves the plan for the programme in all communes. " * 20
    assert "not a Vietnamese document" in describe_language_problem(english)
    assert "Latin" in describe_language_problem("Настоящий план определяет порядок реализации программы. " * 20)
    assert describe_language_problem("OCOP products 2025") is None  # too short to judge
