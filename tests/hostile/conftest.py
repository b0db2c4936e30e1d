"""Builders of hostile inputs and a runner of the real command line, shared by the hostile suite."""

from __future__ import annotations

import csv
import io
import struct
import subprocess
import sys
import zlib
from pathlib import Path

from PIL import Image
from reportlab.pdfgen import canvas

from pipeline.config import PROJECT_DIR

PLAN_TEXT = (
    "KẾ HOẠCH Thực hiện Chương trình Mỗi xã một sản phẩm năm 2024\n"
    "Phấn đấu có thêm 12 sản phẩm được công nhận đạt từ 3 sao trở lên.\n"
    "Tổng kinh phí dự kiến 1.250 triệu đồng.\n"
)


def write_file(path: Path, data: bytes) -> Path:
    """Write `data` to `path`, making its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def build_pdf(objects: list[bytes]) -> bytes:
    """A PDF of numbered objects (the first is the catalog) with a correct cross-reference table."""
    data, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(data))
        data += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return data + b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def blank_pdf(pages: int) -> bytes:
    """A PDF of `pages` blank A4 pages (0 gives a PDF with an empty page tree)."""
    kids = b" ".join(b"%d 0 R" % (number + 3) for number in range(pages))
    page = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>"
    return build_pdf([b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[%s]/Count %d>>" % (kids, pages)]
                     + [page] * pages)  # fmt: skip


def text_pdf(lines: list[str], password: str | None = None) -> bytes:
    """A born-digital one-page PDF of ASCII lines, encrypted when a password is given."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=password, invariant=True)
    for row, line in enumerate(lines):
        pdf.drawString(72, 770 - 14 * row, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares `width` x `height` pixels but holds no image data (a decompression bomb's header)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def image_bytes(size: tuple[int, int], image_format: str) -> bytes:
    """A blank white image in `image_format` (PNG, JPEG, TIFF)."""
    buffer = io.BytesIO()
    Image.new("L", size, 255).save(buffer, image_format)
    return buffer.getvalue()


def extract_command(raw: Path, out: Path, *options: str) -> list[str]:
    """`python -m pipeline extract` on `raw` into `out`, one document at a time, with no reviewers' corrections."""
    return [sys.executable, "-m", "pipeline", "extract", "--raw-dir", str(raw), "--out-dir", str(out),
            "--workers", "1", "--user-lexicon", str(out.parent / "user.tsv"),
            "--overrides", str(out.parent / "overrides.csv"), *options]  # fmt: skip


def run_cli(raw: Path, out: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """Run `extract_command` to its end; its output captured."""
    return subprocess.run(extract_command(raw, out, *options), cwd=PROJECT_DIR, capture_output=True, text=True,
                          check=False)  # fmt: skip


def read_csv(path: Path) -> list[dict[str, str]]:
    """The rows of an output table; its cells may be as long as a megabyte line of the input."""
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (symbolic links not followed) by relative path, with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }
