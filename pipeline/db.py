"""A DuckDB database over the published tables: one table per CSV of `datapackage.json`, views joining facts to
their documents, and a view of targets beside the results reported for the same province and year."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb

DB_NAME = "ocop.duckdb"
SQL_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "date": "DATE"}
DOCUMENT_FIELDS = "d.province, d.district, d.doc_number, d.issue_date, d.period_start, d.period_end, d.title"
FACT_VIEWS = {"target_facts": "targets", "budget_facts": "budgets", "product_count_facts": "product_counts"}
YEARS = (
    "TRY_CAST(string_split(f.period, '-')[1] AS INTEGER) AS year_start, "
    "TRY_CAST(string_split(f.period, '-')[-1] AS INTEGER) AS year_end"
)
TARGETS_VS_RESULTS = """
CREATE VIEW targets_vs_results AS
WITH targets AS (
    SELECT province, year_start AS year, unit, star_min, qualifier, quantity AS target, doc_id AS target_doc
    FROM target_facts
    WHERE unit IN ('sản phẩm', 'chủ thể') AND year_start = year_end
), results AS (
    SELECT province, year_start AS year, CASE entity WHEN 'product' THEN 'sản phẩm' ELSE 'chủ thể' END AS unit,
           star_min, max(count) AS result, arg_max(doc_id, count) AS result_doc
    FROM product_count_facts
    WHERE status = 'rated' AND category IS NULL AND year_start = year_end
    GROUP BY ALL
)
SELECT t.*, r.result, r.result_doc
FROM targets t LEFT JOIN results r
  ON r.province = t.province AND r.year = t.year AND r.unit = t.unit AND r.star_min IS NOT DISTINCT FROM t.star_min
ORDER BY t.province, t.year, t.unit, t.star_min
"""


def default_db_path(out_dir: Path) -> Path:
    """Where `make db` writes the database of an output folder."""
    return out_dir / DB_NAME


def build_database(out_dir: Path, db_path: Path) -> Path:
    """(Re)build ``db_path`` from the tables that ``out_dir/datapackage.json`` describes; written atomically."""
    package = json.loads((out_dir / "datapackage.json").read_text(encoding="utf-8"))
    tmp = db_path.with_name(db_path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    with duckdb.connect(str(tmp)) as con:
        for resource in package["resources"]:
            columns = {f["name"]: SQL_TYPES[f["type"]] for f in resource["schema"]["fields"]}
            con.execute(
                f'CREATE TABLE "{resource["name"]}" AS SELECT * FROM read_csv(?, header = true, auto_detect = false, '
                f"quote = '\"', escape = '\"', columns = {_struct_literal(columns)})",
                [str(out_dir / resource["path"])],
            )
        for view, table in FACT_VIEWS.items():
            con.execute(
                f"CREATE VIEW {view} AS SELECT f.*, {DOCUMENT_FIELDS}, {YEARS} "
                f"FROM {table} f JOIN documents d USING (doc_id)"
            )
        con.execute(TARGETS_VS_RESULTS)
    os.replace(tmp, db_path)
    return db_path


def ensure_database(out_dir: Path, db_path: Path) -> Path:
    """``db_path``, rebuilt first when it is missing or older than any table of ``out_dir``."""
    sources = [out_dir / "datapackage.json", *out_dir.glob("*.csv")]
    if not db_path.exists() or any(p.stat().st_mtime > db_path.stat().st_mtime for p in sources):
        build_database(out_dir, db_path)
    return db_path


def run_query(db_path: Path, sql: str) -> tuple[list[str], list[tuple[object, ...]]]:
    """Column names and rows of ``sql`` run read-only on ``db_path``."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        result = con.execute(sql)
        return [d[0] for d in result.description or []], result.fetchall()


def _struct_literal(columns: dict[str, str]) -> str:
    return "{" + ", ".join(f"'{name}': '{sql_type}'" for name, sql_type in columns.items()) + "}"
