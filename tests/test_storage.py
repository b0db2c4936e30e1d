"""Atomic writes and the per-stage cache."""

from pathlib import Path

from pipeline.storage import StageCache, fingerprint, write_atomic


def test_write_atomic_writes_then_skips_identical_content(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "table.csv"
    assert write_atomic(target, b"a,b\n1,2\n") is True
    mtime = target.stat().st_mtime_ns
    assert write_atomic(target, b"a,b\n1,2\n") is False
    assert target.stat().st_mtime_ns == mtime
    assert write_atomic(target, b"a,b\n1,3\n") is True
    assert target.read_bytes() == b"a,b\n1,3\n"
    assert [p.name for p in target.parent.iterdir()] == ["table.csv"]  # no temporary file left behind


def test_stage_cache_reuses_only_under_the_same_key(tmp_path: Path) -> None:
    cache = StageCache(tmp_path, "restore")
    assert cache.load("doc", "k1") is None
    cache.save("doc", "k1", {"text": "Kế hoạch"})
    assert cache.load("doc", "k1") == {"text": "Kế hoạch"}
    assert cache.load("doc", "k2") is None


def test_stage_cache_treats_a_truncated_file_as_missing(tmp_path: Path) -> None:
    cache = StageCache(tmp_path, "ingest")
    cache.save("doc", "k", [1, 2, 3])
    cache.path("doc").write_text('{"key": "k", "data": [1, 2', encoding="utf-8")
    assert cache.load("doc", "k") is None


def test_fingerprint_is_stable_and_sensitive() -> None:
    assert fingerprint("a", 1, {"x": [1, 2]}) == fingerprint("a", 1, {"x": [1, 2]})
    assert fingerprint("a", 1) != fingerprint("a", 2)
