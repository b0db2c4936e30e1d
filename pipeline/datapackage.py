"""`datapackage.json`: a Frictionless Data Package describing every published table."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pipeline import __version__


def _enum(description: str, values: Sequence[str]) -> dict[str, Any]:
    """A text field that takes one of ``values``."""
    return {"type": "string", "description": description, "constraints": {"enum": list(values)}}


def _share(description: str) -> dict[str, Any]:
    """A number from 0 to 1."""
    return {"type": "number", "description": description, "constraints": {"minimum": 0, "maximum": 1}}


PROVENANCE_FIELDS: dict[str, dict[str, Any]] = {
    "doc_id": {"type": "string", "description": "document identifier (documents.csv)"},
    "page": {"type": "integer", "description": "1-based page; empty for text inputs without page breaks"},
    "char_start": {"type": "integer", "description": "start offset of the sentence in text/<doc_id>.txt"},
    "char_end": {"type": "integer", "description": "end offset (exclusive) of the sentence in text/<doc_id>.txt"},
    "text": {"type": "string", "description": "the restored sentence the fact came from"},
    "raw_text": {"type": "string", "description": "the same span of the text before restoration (OCR as read)"},
    "confidence": _share("OCR, restoration and rule certainty together (1: certain, or confirmed by a reviewer)"),
}
PERIOD = {"type": "string", "description": "year or range of years the figure speaks of, e.g. 2021 or 2021-2025"}
STARS = "OCOP star rating, lower bound", "OCOP star rating, upper bound (empty: open, e.g. '3 sao trở lên')"

CATEGORIES = (
    "thực phẩm",
    "đồ uống",
    "thảo dược",
    "vải và may mặc",
    "lưu niệm - nội thất - trang trí",
    "dịch vụ du lịch",
)
DOC_REFERENCE = {"fields": ["doc_id"], "reference": {"resource": "documents", "fields": ["doc_id"]}}

FIELDS: dict[str, dict[str, Any]] = {
    **PROVENANCE_FIELDS,
    "source_path": {"type": "string", "description": "path of the input file, relative to the raw folder"},
    "sha256": {"type": "string", "description": "sha256 of the input file's bytes"},
    "source_kind": _enum(
        "how the text was obtained: PDF text layer, scanned PDF, page image or text file",
        ["pdf-text", "pdf-scan", "image", "text"],
    ),
    "pages": {"type": "integer", "description": "number of pages read", "unit": "page"},
    "province": {"type": "string", "description": "province, accented (e.g. Đồng Tháp)"},
    "district": {"type": "string", "description": "district, accented; empty for a provincial plan"},
    "doc_number": {"type": "string", "description": "document number, e.g. 122/KH-UBND"},
    "issue_date": {"type": "date", "description": "date the plan was issued"},
    "period_start": {"type": "integer", "description": "first year the plan covers"},
    "period_end": {"type": "integer", "description": "last year the plan covers"},
    "title": {"type": "string", "description": "the plan's title"},
    "ocr_engine": {"type": "string", "description": "how the text was read (input-text, pdfplumber, tesseract ...)"},
    "tokens": {"type": "integer", "description": "word tokens in the text"},
    "tokens_restored": {"type": "integer", "description": "tokens the diacritics restorer changed"},
    "mean_confidence": _share("mean token confidence (OCR x restoration)"),
    "pipeline_version": {"type": "string", "description": "version of the pipeline that wrote the row"},
    "period": PERIOD,
    "quantity": {"type": "number", "description": "the target's quantity (lower bound of a range)"},
    "quantity_max": {"type": "number", "description": "upper bound of a range such as '5-8 sản phẩm'"},
    "unit": {"type": "string", "description": "the counted thing, accented lower case (sản phẩm, chủ thể, %, ...)"},
    "qualifier": _enum(
        "how the quantity bounds the goal (at least, about, exactly, at most)",
        ["at_least", "about", "exactly", "at_most"],
    ),
    "star_min": {"type": "integer", "description": STARS[0]},
    "star_max": {"type": "integer", "description": STARS[1]},
    "amount_vnd": {"type": "integer", "description": "amount in đồng", "unit": "VND"},
    "amount_text": {"type": "string", "description": "the amount as written"},
    "funding_source": _enum(
        "who pays: total, central or local budget, integrated programmes, community, credit, other",
        ["total", "central", "local", "integrated", "community", "credit", "other"],
    ),
    "kind": _enum("planned (a plan's estimate) or spent (a reported result)", ["planned", "spent"]),
    "subject": {"type": "string", "description": "what to review: a restoration, or a fact of the named table"},
    "purpose": {"type": "string", "description": "what the money is for, short"},
    "count": {"type": "integer", "description": "number of products or producers"},
    "entity": _enum("what is counted: OCOP products or producers (chủ thể)", ["product", "producer"]),
    "status": _enum(
        "registered, rated (star-classified), upgraded (a star raised) or potential products",
        ["registered", "rated", "upgraded", "potential"],
    ),
    "category": _enum("product group of a breakdown; empty when not a breakdown", list(CATEGORIES)),
    "stage": {"type": "string", "description": "stage that failed (ingest, ocr, ...)"},
    "reason": {"type": "string", "description": "why the file or page could not be processed"},
    "rule": {"type": "string", "description": "the consistency rule that failed"},
    "figures": {"type": "string", "description": "the figures involved"},
    "item": {"type": "string", "description": "what to check (a restoration or a fact)"},
    "context": {"type": "string", "description": "text around the item"},
    "raw_context": {
        "type": "string",
        "description": "the same text as read, before restoration (write user lexicon entries as the input has them)",
    },
    "alternatives": {"type": "string", "description": "other readings the restorer weighed, best first"},
    "source": {"type": "string", "description": "the reviewers' file the correction came from"},
    "line": {"type": "integer", "description": "line of that file (header is line 1)"},
    "change": {"type": "string", "description": "what the correction changed"},
    "outcome": {"type": "string", "description": "applied, no match, or invalid, with the reason"},
}
TABLE_DESCRIPTIONS = {
    "documents": "one row per input file",
    "targets": "quantified goals (chỉ tiêu, mục tiêu, phấn đấu)",
    "budgets": "money amounts, in integer đồng",
    "product_counts": "counts of OCOP products and producers",
    "errors": "files or pages that could not be processed",
    "checks": "internal inconsistencies found in a plan",
    "review": "the least certain restorations and facts, for a person to check",
    "corrections_applied": "reviewers' corrections (data/lexicon/user.tsv, data/overrides.csv) and where they applied",
}
FACT_TABLES = ("targets", "budgets", "product_counts", "checks", "review")


def build_datapackage(columns: dict[str, Sequence[str]]) -> dict[str, Any]:
    """The package descriptor for tables named by ``columns`` (table → column order)."""
    resources = []
    for table, names in columns.items():
        schema: dict[str, Any] = {"fields": [{"name": name, **FIELDS[name]} for name in names]}
        if table == "documents":
            schema["primaryKey"] = ["doc_id"]
        elif table in FACT_TABLES:
            schema["foreignKeys"] = [DOC_REFERENCE]
        resources.append({
            "name": table,
            "path": f"{table}.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "description": TABLE_DESCRIPTIONS[table],
            "schema": schema,
        })  # fmt: skip
    return {
        "name": "ocop-plans",
        "title": "Targets, budgets and product counts of Vietnamese OCOP plans",
        "profile": "tabular-data-package",
        "version": __version__,
        "resources": resources,
    }


def render_datapackage(columns: dict[str, Sequence[str]]) -> bytes:
    return (json.dumps(build_datapackage(columns), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
