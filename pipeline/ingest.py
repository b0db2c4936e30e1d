"""Find the input files under the raw folder and read each into a RawDocument of pages."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import warnings
from collections import Counter
from pathlib import Path, PurePosixPath

from PIL import Image, ImageSequence, UnidentifiedImageError
from unidecode import unidecode

from diacritics.syllables import is_valid_syllable
from diacritics.tokens import LETTER_RUN_RE
from pipeline.config import IMAGE_SUFFIXES, PDF_SUFFIXES, TEXT_SUFFIXES, Settings
from pipeline.errors import InputError
from pipeline.ocr import describe_engine, ocr_page
from pipeline.pages import PageJob, run_page_jobs
from pipeline.pdf import read_pdf
from pipeline.records import PAGE_SEPARATOR, FileType, PageRecord, RawDocument, SourceFile
from pipeline.textdecode import decode_text

STAGE = "ingest"
MIN_LETTERS_TO_JUDGE = 400  # shorter texts are never judged by their language
MIN_LATIN_SHARE = 0.5
MIN_SYLLABLE_SHARE = 0.35
TEXT_ENGINE = "input-text"
_MAGIC: tuple[tuple[bytes, FileType], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),  # JPEG
    (b"II*\x00", "image"),  # TIFF, little-endian
    (b"MM\x00*", "image"),  # TIFF, big-endian
)
_PDF_MAGIC = b"%PDF-"
_SNIFF_BYTES = 1024  # a PDF header may follow some junk within the first kilobyte
_SUFFIX_TYPES: tuple[tuple[frozenset[str], FileType], ...] = (
    (TEXT_SUFFIXES, "text"),
    (PDF_SUFFIXES, "pdf"),
    (IMAGE_SUFFIXES, "image"),
)
_SLUG_JUNK_RE = re.compile(r"[^a-z0-9_]+")


def discover_inputs(raw_dir: Path) -> tuple[list[SourceFile], list[InputError]]:
    """Every input file under `raw_dir` (recursively, sorted by path) and the files that cannot be used.

    Hidden files and folders, MANIFEST.csv and README* are skipped; symbolic links are followed only to
    files inside `raw_dir`, and symlinked folders are not entered.
    """
    root = raw_dir.resolve()
    found: list[tuple[str, Path, str, int, FileType]] = []
    errors: list[InputError] = []
    for path in _walk_files(root):
        rel_path, name_ok = _name_of(path.relative_to(root))
        if not name_ok:
            errors.append(InputError(rel_path, STAGE, "file name is not valid UTF-8 (rename the file)"))
            continue
        try:
            target = _resolve_inside(path, root)
            if target.is_dir():
                continue
            if not target.is_file():
                raise ValueError("not a regular file")
            head, digest, size = _sniff_and_hash(target)
        except (OSError, RuntimeError, ValueError) as exc:
            errors.append(InputError(rel_path, STAGE, _describe_os_error(exc)))
            continue
        file_type = classify_file(head, path.suffix.lower())
        if file_type is None:
            errors.append(InputError(rel_path, STAGE, f"unsupported file type ({path.suffix or 'no suffix'})"))
            continue
        found.append((rel_path, path, digest, size, file_type))
    found.sort()
    ids = assign_doc_ids([(rel_path, digest) for rel_path, _, digest, _, _ in found])
    sources = [
        SourceFile(path=path, rel_path=rel_path, doc_id=doc_id, sha256=digest, size=size, file_type=file_type)
        for (rel_path, path, digest, size, file_type), doc_id in zip(found, ids, strict=True)
    ]
    return sources, sorted(errors, key=lambda e: e.rel_path)


def read_document(source: SourceFile, settings: Settings) -> RawDocument:
    """Read one input file into pages; raises InputError with a one-line reason if it cannot be read
    or is not in Vietnamese."""
    document = _read_pages(source, settings)
    problem = describe_language_problem(document.text)
    if problem:
        raise InputError(source.rel_path, STAGE, problem)
    return document


def describe_language_problem(text: str) -> str | None:
    """Why ``text`` is not a Vietnamese document, or None (also for texts too short to judge).

    Vietnamese, even badly OCR'd with an English model, is Latin script with most words valid syllables
    (the sample plans: 57-96%); English and French prose reach 16-26%, other scripts nothing.
    """
    letters = [c for c in text if c.isalpha()]
    if len(letters) < MIN_LETTERS_TO_JUDGE:
        return None
    latin = sum(ord(c) < 0x250 or 0x1E00 <= ord(c) <= 0x1EFF for c in letters) / len(letters)
    if latin < MIN_LATIN_SHARE:
        return f"not a Vietnamese document: {latin:.0%} of its letters are Latin"
    words = LETTER_RUN_RE.findall(text.lower())
    share = sum(map(is_valid_syllable, words)) / len(words)
    if share < MIN_SYLLABLE_SHARE:
        return f"not a Vietnamese document: {share:.0%} of its words are Vietnamese syllables"
    return None


def _read_pages(source: SourceFile, settings: Settings) -> RawDocument:
    try:
        size = source.path.stat().st_size
    except OSError as exc:
        raise InputError(source.rel_path, STAGE, _describe_os_error(exc)) from exc
    if size == 0:
        raise InputError(source.rel_path, STAGE, "empty file (0 bytes)")
    if source.file_type == "text":
        pages, encoding = read_text_pages(source)
        return RawDocument(source, pages, encoding=encoding, ocr_engine=TEXT_ENGINE)
    if source.file_type == "pdf":
        pages, engine = read_pdf(source, settings)
        return RawDocument(source, pages, ocr_engine=engine)
    return RawDocument(source, read_image_pages(source, settings), ocr_engine=describe_engine(settings))


def read_text_pages(source: SourceFile) -> tuple[tuple[PageRecord, ...], str]:
    """Decode a text file into pages split on form feeds; returns the pages and the detected encoding."""
    try:
        text, encoding = decode_text(source.path.read_bytes())
    except OSError as exc:
        raise InputError(source.rel_path, STAGE, _describe_os_error(exc)) from exc
    except ValueError as exc:
        raise InputError(source.rel_path, STAGE, str(exc)) from exc
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    parts = text.split(PAGE_SEPARATOR)
    if len(parts) > 1 and not parts[-1].strip():
        parts.pop()  # a form feed that ends the last page, as pdftotext writes
    numbers: list[int | None] = [None] if len(parts) == 1 else list(range(1, len(parts) + 1))
    pages = tuple(_text_page(source.doc_id, number, part) for number, part in zip(numbers, parts, strict=True))
    return pages, encoding


def read_image_pages(source: SourceFile, settings: Settings) -> tuple[PageRecord, ...]:
    """OCR each frame of a PNG/JPEG/TIFF image as one page (pages in parallel, see pipeline.pages)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the size is checked below
            image = Image.open(source.path)
    except Image.DecompressionBombError as exc:
        raise InputError(source.rel_path, STAGE, f"image too large ({exc})") from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise InputError(source.rel_path, STAGE, f"corrupt or unsupported image ({exc})") from exc
    with image:
        frames = getattr(image, "n_frames", 1)
        if frames > settings.max_pages:
            raise InputError(
                source.rel_path, STAGE, f"image has {frames} frames, over the limit of {settings.max_pages}"
            )
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            pixels = frame.width * frame.height
            if pixels > settings.max_image_pixels:
                reason = f"image frame {number} has {pixels} pixels, over the limit of {settings.max_image_pixels}"
                raise InputError(source.rel_path, STAGE, reason)
            try:
                frame.load()
            except OSError as exc:
                raise InputError(source.rel_path, STAGE, f"corrupt image ({exc})") from exc
    jobs = [PageJob(source.path, source.doc_id, number, "image") for number in range(1, frames + 1)]
    return tuple(run_page_jobs(ocr_image_job, jobs, settings))


def ocr_image_job(job: PageJob, settings: Settings) -> PageRecord:
    """OCR one frame (page) of an image file."""
    with Image.open(job.path) as image:
        image.seek(job.page_no - 1)
        image.load()
        return ocr_page(image, job.doc_id, job.page_no, job.source_kind, settings)


def classify_file(head: bytes, suffix: str) -> FileType | None:
    """The file's type from its first bytes (magic numbers), else from its suffix; None if unsupported."""
    if _PDF_MAGIC in head:
        return "pdf"
    for magic, file_type in _MAGIC:
        if head.startswith(magic):
            return file_type
    return next((file_type for suffixes, file_type in _SUFFIX_TYPES if suffix in suffixes), None)


def slugify_path(rel_path: str) -> str:
    """doc_id of a relative path: ASCII slug of each folder and the file stem, joined by '__'."""
    parts = PurePosixPath(rel_path).with_suffix("").parts
    slugs = []
    for part in parts:
        ascii_part = unidecode(unicodedata.normalize("NFC", part)).lower()
        slug = _SLUG_JUNK_RE.sub("-", ascii_part).strip("-")
        slugs.append(slug or "doc")
    return "__".join(slugs)


def assign_doc_ids(files: list[tuple[str, str]]) -> list[str]:
    """doc_ids for (rel_path, sha256) pairs; clashing slugs get '-' and the first 8 hex digits of the sha256."""
    slugs = [slugify_path(rel_path) for rel_path, _ in files]
    clashes = Counter(slugs)
    ids = [
        f"{slug}-{digest[:8]}" if clashes[slug] > 1 else slug for slug, (_, digest) in zip(slugs, files, strict=True)
    ]
    seen: Counter[str] = Counter()
    unique = []
    for doc_id in ids:  # identical files whose paths slug alike: number them in path order
        seen[doc_id] += 1
        unique.append(doc_id if seen[doc_id] == 1 else f"{doc_id}-{seen[doc_id]}")
    return unique


def _text_page(doc_id: str, page_no: int | None, text: str) -> PageRecord:
    """A page of a text input, "empty" when it holds only whitespace."""
    if text.strip():
        return PageRecord(doc_id, page_no, text, "text")
    return PageRecord(doc_id, page_no, text, "text", status="empty", reason="blank page")


def _walk_files(root: Path) -> list[Path]:
    """Non-hidden files under `root`, plus symbolic links to folders (checked, not entered)."""
    paths = []
    for folder, dirs, files in os.walk(root):
        linked = [d for d in dirs if (Path(folder) / d).is_symlink()]
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in linked]
        for name in [*files, *linked]:
            if not name.startswith(".") and name != "MANIFEST.csv" and not name.upper().startswith("README"):
                paths.append(Path(folder) / name)
    return paths


def _name_of(rel: Path) -> tuple[str, bool]:
    """A relative path as NFC text, and whether it is valid UTF-8 (else its bad bytes are shown as \\xNN)."""
    name = rel.as_posix()
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"), False
    return unicodedata.normalize("NFC", name), True


def _resolve_inside(path: Path, root: Path) -> Path:
    """The file a path stands for; ValueError if a symlink leaves `root`, RuntimeError/OSError if it loops."""
    if not path.is_symlink():
        return path
    target = path.resolve(strict=True)
    if not target.is_relative_to(root):
        raise ValueError("symbolic link points outside the raw folder")
    return target


def _sniff_and_hash(path: Path) -> tuple[bytes, str, int]:
    """The first bytes, sha256 and size of a file."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
        chunk = head
        while chunk:
            digest.update(chunk)
            size += len(chunk)
            chunk = handle.read(1 << 20)
    return head, digest.hexdigest(), size


def _describe_os_error(exc: Exception) -> str:
    """A one-line reason for a file that cannot be opened."""
    if isinstance(exc, ValueError):
        return str(exc)
    if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == 40:  # ELOOP
        return "symbolic link loops"
    if isinstance(exc, FileNotFoundError):
        return "broken symbolic link or file vanished"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read file ({exc})"
