"""`make db` / `make query`: a DuckDB database over the sample outputs, queried for real."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from pipeline.config import PROJECT_DIR
from pipeline.db import build_database, default_db_path, ensure_database, run_query
from tests.sample_run import run_samples


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out, _ = run_samples(tmp_path_factory.mktemp("db"))
    build_database(out, default_db_path(out))
    return out


def query(out: Path, sql: str) -> list[tuple[object, ...]]:
    return run_query(default_db_path(out), sql)[1]


def test_every_table_is_loaded_with_its_types(out: Path) -> None:
    for table in ("documents", "targets", "budgets", "product_counts", "review", "errors", "corrections_applied"):
        assert query(out, f"SELECT count(*) FROM {table}") == [(len(read_csv(out / f"{table}.csv")),)]
    types = dict(query(out, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = "
                            "'budgets'"))  # fmt: skip
    assert (types["amount_vnd"], types["confidence"], types["doc_id"]) == ("BIGINT", "DOUBLE", "VARCHAR")
    assert query(out, "SELECT DISTINCT typeof(issue_date) FROM documents WHERE issue_date IS NOT NULL") == [("DATE",)]


def test_fact_views_carry_their_documents_province_and_years(out: Path) -> None:
    documents = {r["doc_id"]: r["province"] for r in read_csv(out / "documents.csv")}
    rows = query(out, "SELECT doc_id, province, period, year_start, year_end FROM budget_facts")
    assert len(rows) == len(read_csv(out / "budgets.csv")) > 0
    for doc_id, province, period, start, end in rows:
        assert province == documents[doc_id]
        if period:
            assert (str(start), str(end)) == (period.split("-")[0], period.split("-")[-1])


def test_the_readme_questions_have_answers(out: Path) -> None:
    budget = query(out, "SELECT province, year_start, sum(amount_vnd) FROM budget_facts "
                        "WHERE kind = 'planned' AND funding_source = 'total' GROUP BY ALL")  # fmt: skip
    planned = [r for r in read_csv(out / "budgets.csv") if (r["kind"], r["funding_source"]) == ("planned", "total")]
    assert sum(total for *_, total in budget) == sum(int(r["amount_vnd"]) for r in planned)
    stars = query(out, "SELECT year_start, sum(count) FROM product_count_facts WHERE entity = 'product' "
                       "AND status = 'rated' AND star_min >= 4 GROUP BY ALL")  # fmt: skip
    assert stars and all(n > 0 for _, n in stars)
    columns, rows = run_query(default_db_path(out), "SELECT * FROM targets_vs_results")
    assert columns[:6] == ["province", "year", "unit", "star_min", "qualifier", "target"]
    assert columns[-2:] == ["result", "result_doc"] and rows


def test_the_database_is_rebuilt_when_a_table_changes(out: Path, tmp_path: Path) -> None:
    copy = tmp_path / "out"
    copy.mkdir()
    for path in out.glob("*.csv"):
        (copy / path.name).write_bytes(path.read_bytes())
    (copy / "datapackage.json").write_bytes((out / "datapackage.json").read_bytes())
    db = ensure_database(copy, copy / "ocop.duckdb")
    errors = copy / "errors.csv"
    errors.write_text(errors.read_text(encoding="utf-8") + "late.pdf,ingest,corrupt PDF\n", encoding="utf-8")
    os.utime(errors, (db.stat().st_mtime + 5, db.stat().st_mtime + 5))
    assert run_query(ensure_database(copy, db), "SELECT source_path FROM errors")[1] == [("late.pdf",)]


def test_make_query_prints_the_result(out: Path) -> None:
    sql = "SELECT province, count(*) AS plans FROM documents WHERE province <> 'x' GROUP BY province ORDER BY province"
    done = subprocess.run(["make", "-s", "query", f"OUT_DIR={out}", f"SQL={sql}"], cwd=PROJECT_DIR,
                          capture_output=True, text=True, check=True)  # fmt: skip
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["province", "plans"]
    plans = Counter(r["province"] for r in read_csv(out / "documents.csv") if r["province"])
    assert sorted((" ".join(line.split()[:-1]), int(line.split()[-1])) for line in lines[1:]) == sorted(plans.items())
    failed = subprocess.run([sys.executable, "-m", "pipeline", "query", "--out-dir", str(out), "SELECT nonsense"],
                            cwd=PROJECT_DIR, capture_output=True, text=True)  # fmt: skip
    assert failed.returncode != 0 and "nonsense" in failed.stderr
