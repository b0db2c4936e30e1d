"""Atomic writes and the per-stage cache."""

from pathlib import Path

from pipeline.storage import StageCache, fingerprint, fingerprint_package, write_atomic


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


def test_a_package_fingerprint_follows_its_code_rules_and_tables_not_its_bytecode(tmp_path: Path) -> None:
    for name, content in [("stage.py", "x = 1\n"), ("patterns/rules.yaml", "a: 1\n"), ("patterns/units.tsv", "a\n")]:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(content, encoding="utf-8")
    before = fingerprint_package(tmp_path)
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "stage.pyc").write_bytes(b"\0")
    assert fingerprint_package(tmp_path) == before
    for name in ("stage.py", "patterns/rules.yaml", "patterns/units.tsv"):
        path = tmp_path / name
        path.write_text(path.read_text(encoding="utf-8") + "b\n", encoding="utf-8")
        assert fingerprint_package(tmp_path) != before
        before = fingerprint_package(tmp_path)
