"""`make ingest`: copy new plans into `data/raw/<province-slug>/` and list each in `data/raw/MANIFEST.csv`.

A file whose bytes are already under the raw folder is recognised by its sha256 and not added again; a file of an
unsupported type, or one that cannot be read, is refused with the reason; nothing under the raw folder is ever
overwritten (a different file of the same name gets a numbered suffix).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import pypdfium2 as pdfium
from PIL import Image, UnidentifiedImageError

from extractors.folding import fold
from extractors.metadata import extract_metadata, list_provinces
from pipeline.config import IMAGE_SUFFIXES, PDF_SUFFIXES, TEXT_SUFFIXES
from pipeline.ingest import classify_file
from pipeline.records import FileType
from pipeline.storage import sha256_file
from pipeline.textdecode import decode_text

MANIFEST_NAME = "MANIFEST.csv"
MANIFEST_COLUMNS = ("path", "original_name", "sha256", "size", "ingested_at", "source_kind", "province")
SUPPORTED = ", ".join(sorted(TEXT_SUFFIXES | PDF_SUFFIXES | IMAGE_SUFFIXES))
PDF_PAGES_FOR_PROVINCE = 2  # pages whose text layer is searched for the province
_SLUG_JUNK_RE = re.compile(r"[^a-z0-9]+")

Outcome = Literal["added", "duplicate", "refused"]


@dataclass(frozen=True)
class IngestOutcome:
    """What became of one file offered for ingestion."""

    source: Path
    outcome: Outcome
    detail: str  # the new path, the identical file already there, or why the file was refused

    def render(self) -> str:
        return f"{self.outcome:9} {self.source}: {self.detail}"


def ingest_files(src: Path, raw_dir: Path, province: str | None = None) -> list[IngestOutcome]:
    """Ingest the file ``src``, or every file under the folder ``src``, into ``raw_dir``.

    ``province`` (any spelling of a province's name) applies to every file; without it each file's province is
    read from its text. ValueError if ``src`` does not exist or ``province`` is not a province.
    """
    if not src.exists():
        raise ValueError(f"nothing to ingest: {src} does not exist")
    given = resolve_province(province) if province else None
    files = [src] if src.is_file() else sorted(p for p in src.rglob("*") if p.is_file() and not _is_hidden(p, src))
    known = list_known_files(raw_dir)
    return [ingest_file(path, raw_dir, given, known) for path in files]


def ingest_file(path: Path, raw_dir: Path, province: str | None, known: dict[str, str]) -> IngestOutcome:
    """Copy one file into ``raw_dir`` unless it is known (sha256 → path in ``known``, updated) or unusable."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return IngestOutcome(path, "refused", f"cannot read the file ({exc.strerror or exc})")
    if not data:
        return IngestOutcome(path, "refused", "empty file (0 bytes)")
    digest = hashlib.sha256(data).hexdigest()
    if digest in known:
        return IngestOutcome(path, "duplicate", f"identical to {raw_dir / known[digest]}, not added")
    file_type = classify_file(data[:1024], path.suffix.lower())
    if file_type is None:
        return IngestOutcome(path, "refused", f"unsupported file type ({path.suffix or 'no suffix'}); use {SUPPORTED}")
    try:
        text = read_text(data, file_type)
    except ValueError as exc:
        return IngestOutcome(path, "refused", f"unreadable {file_type} file ({exc})")
    province = province or (extract_metadata(text).province if text else None)
    if province is None:
        where = "in its text" if text else f"without OCR ({file_type} file without a text layer)"
        return IngestOutcome(path, "refused", f"the province cannot be read {where}; give it: PROVINCE=...")
    dest = place_file(data, raw_dir / slugify_province(province), path.name)
    rel_path = dest.relative_to(raw_dir).as_posix()
    append_manifest(raw_dir, {
        "path": rel_path,
        "original_name": unicodedata.normalize("NFC", path.name),
        "sha256": digest,
        "size": len(data),
        "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "source_kind": file_type,
        "province": province,
    })  # fmt: skip
    known[digest] = rel_path
    return IngestOutcome(path, "added", str(dest))


def resolve_province(name: str) -> str:
    """The accented name of the province ``name`` spells (accents, case and hyphens optional)."""
    provinces = list_provinces()
    wanted = " ".join(_SLUG_JUNK_RE.sub(" ", fold(unicodedata.normalize("NFC", name))).split())
    if wanted not in provinces:
        raise ValueError(f"unknown province {name!r}; use a name such as 'Đồng Tháp' or 'dong-thap'")
    return provinces[wanted]


def slugify_province(province: str) -> str:
    """The folder name of a province: `Đồng Tháp` → `dong-thap`."""
    return _SLUG_JUNK_RE.sub("-", fold(province)).strip("-")


def read_text(data: bytes, file_type: FileType) -> str:
    """The text of a file to look for its province in ("" for an image); ValueError if the file is unreadable."""
    if file_type == "text":
        return decode_text(data)[0]
    if file_type == "pdf":
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise ValueError(str(exc)) from exc
        with pdf:
            if len(pdf) == 0:
                raise ValueError("no pages")
            pages = [pdf[i].get_textpage().get_text_range() for i in range(min(len(pdf), PDF_PAGES_FOR_PROVINCE))]
        return unicodedata.normalize("NFC", "\n".join(pages)).strip()
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValueError(str(exc)) from exc
    return ""


def place_file(data: bytes, folder: Path, name: str) -> Path:
    """Write ``data`` as ``folder/name`` (``stem-2.suffix``, ... when taken); never replaces a file."""
    folder.mkdir(parents=True, exist_ok=True)
    name = unicodedata.normalize("NFC", name)
    tmp = folder / f".{name}.{os.getpid()}.tmp"
    tmp.write_bytes(data)
    try:
        stem, suffix = Path(name).stem, Path(name).suffix
        for n in range(1, 10_000):
            dest = folder / (name if n == 1 else f"{stem}-{n}{suffix}")
            try:
                os.link(tmp, dest)  # fails if dest exists: an atomic "create, never overwrite"
            except FileExistsError:
                continue
            return dest
        raise ValueError(f"too many files named like {name} in {folder}")
    finally:
        tmp.unlink()


def list_known_files(raw_dir: Path) -> dict[str, str]:
    """sha256 → relative path of the files under ``raw_dir``: from the manifest, hashing only unlisted files."""
    listed = {row["path"]: row for row in read_manifest(raw_dir)}
    known: dict[str, str] = {}
    for path in sorted(raw_dir.rglob("*")) if raw_dir.is_dir() else []:
        rel_path = path.relative_to(raw_dir).as_posix()
        if not path.is_file() or _is_hidden(path, raw_dir) or rel_path == MANIFEST_NAME:
            continue
        row = listed.get(rel_path)
        fresh = row is not None and row["size"] == str(path.stat().st_size)
        known.setdefault(row["sha256"] if fresh else sha256_file(path), rel_path)
    return known


def read_manifest(raw_dir: Path) -> list[dict[str, str]]:
    """The rows of ``raw_dir/MANIFEST.csv`` (none if there is no manifest yet)."""
    path = raw_dir / MANIFEST_NAME
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def append_manifest(raw_dir: Path, row: dict[str, object]) -> None:
    """Add one row to the manifest, creating it with its header row first."""
    path = raw_dir / MANIFEST_NAME
    new = not path.exists()
    with path.open("a", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, MANIFEST_COLUMNS, lineterminator="\n")
        if new:
            writer.writeheader()
        writer.writerow(row)


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)
