"""File I/O helpers shared by the stages: atomic writes, content hashes, the per-stage cache."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

TEMP_SUFFIX = ".tmp"
_TEMP_NAME_RE = re.compile(rf"^\..+\.(\d+)\.[^.]+{re.escape(TEMP_SUFFIX)}$")  # .<name>.<pid>.<random>.tmp


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` via a temporary file and a rename.

    Returns False, touching nothing, when the file already holds exactly ``data``,
    so a rerun with nothing changed leaves every output (and its mtime) alone.
    """
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete the temporary files that killed runs left under `folder` (those of live processes are kept)."""
    removed = []
    for path in sorted(folder.rglob(f".*{TEMP_SUFFIX}")):
        match = _TEMP_NAME_RE.match(path.name)
        if match and not _process_alive(int(match.group(1))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _process_alive(pid: int) -> bool:
    """Whether a process with this id exists (perhaps another user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def write_text_atomic(path: Path, text: str) -> bool:
    """`write_atomic` for UTF-8 text (newlines written as given)."""
    return write_atomic(path, text.encode("utf-8"))


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprint(*parts: object) -> str:
    """A short stable hash of any JSON-serialisable parts (cache keys)."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def fingerprint_files(paths: list[Path]) -> str:
    """A short hash of the names and bytes of files (code and model versions)."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def fingerprint_package(package_dir: Path) -> str:
    """Hash of a package's source and pattern files (rules in YAML, tables in TSV): changing them invalidates its
    cache."""
    suffixes = {".py", ".yaml", ".yml", ".tsv"}
    files = [p for p in package_dir.rglob("*") if p.suffix in suffixes and "__pycache__" not in p.parts]
    return fingerprint_files(files)


class StageCache:
    """Per-document results of one stage under ``<interim>/<stage>/<doc_id>.json``.

    A result is reused only when its stored key equals the key computed now
    (input hash, code version, model version, settings).
    """

    def __init__(self, interim_dir: Path, stage: str) -> None:
        self.dir = interim_dir / stage

    def path(self, doc_id: str) -> Path:
        return self.dir / f"{doc_id}.json"

    def load(self, doc_id: str, key: str) -> Any | None:
        """The cached data for ``doc_id`` if it was made under ``key``, else None."""
        try:
            stored = json.loads(self.path(doc_id).read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
            return None
        if not isinstance(stored, dict) or stored.get("key") != key:
            return None
        return stored.get("data")

    def save(self, doc_id: str, key: str, data: Any) -> None:
        blob = json.dumps({"key": key, "data": data}, ensure_ascii=False, sort_keys=True)
        write_text_atomic(self.path(doc_id), blob)
