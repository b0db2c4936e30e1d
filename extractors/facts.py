"""The extracted fact records (SPEC.md columns) and their fixed CSV column order."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Literal

from pipeline.records import Provenance

Qualifier = Literal["at_least", "about", "exactly", "at_most"]
FundingSource = Literal["total", "central", "local", "integrated", "community", "credit", "other"]
BudgetKind = Literal["planned", "spent"]
Entity = Literal["product", "producer"]
Status = Literal["registered", "rated", "upgraded", "potential"]


@dataclass(frozen=True)
class DocumentMeta:
    """A plan's metadata; None where the text does not say."""

    province: str | None = None
    district: str | None = None
    doc_number: str | None = None
    issue_date: str | None = None  # YYYY-MM-DD
    period_start: int | None = None
    period_end: int | None = None
    title: str | None = None


@dataclass(frozen=True)
class TargetFact:
    """A quantified goal (chỉ tiêu, mục tiêu, phấn đấu)."""

    period: str | None
    quantity: int | float
    quantity_max: int | float | None
    unit: str
    qualifier: Qualifier
    star_min: int | None
    star_max: int | None
    provenance: Provenance


@dataclass(frozen=True)
class BudgetFact:
    """A money amount, in integer đồng."""

    amount_vnd: int
    amount_text: str
    funding_source: FundingSource
    kind: BudgetKind
    period: str | None
    purpose: str
    provenance: Provenance


@dataclass(frozen=True)
class ProductCountFact:
    """A count of OCOP products or producers."""

    period: str | None
    count: int
    entity: Entity
    status: Status
    star_min: int | None
    star_max: int | None
    category: str | None
    provenance: Provenance


@dataclass(frozen=True)
class CheckRow:
    """An internal inconsistency of a plan, e.g. a breakdown that does not add up."""

    doc_id: str
    rule: str
    figures: str
    text: str


@dataclass(frozen=True)
class ExtractedFacts:
    """Everything extracted from one document."""

    meta: DocumentMeta
    targets: list[TargetFact]
    budgets: list[BudgetFact]
    product_counts: list[ProductCountFact]
    checks: list[CheckRow]


Fact = TargetFact | BudgetFact | ProductCountFact

_PROVENANCE_HEAD = ("doc_id", "page")
_PROVENANCE_TAIL = ("char_start", "char_end", "text", "raw_text", "confidence")


def _list_fact_columns(fact_type: type) -> tuple[str, ...]:
    own = tuple(f.name for f in fields(fact_type) if f.name != "provenance")
    return (*_PROVENANCE_HEAD, *own, *_PROVENANCE_TAIL)


TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "targets": _list_fact_columns(TargetFact),
    "budgets": _list_fact_columns(BudgetFact),
    "product_counts": _list_fact_columns(ProductCountFact),
    "checks": tuple(f.name for f in fields(CheckRow)),
}


TABLE_OF: dict[type, str] = {
    TargetFact: "targets",
    BudgetFact: "budgets",
    ProductCountFact: "product_counts",
    CheckRow: "checks",
}


def fact_to_row(fact: Fact | CheckRow) -> dict[str, object]:
    """Flatten a fact (provenance included) into a dict in its table's column order."""
    flat = {f.name: getattr(fact, f.name) for f in fields(fact) if f.name != "provenance"}
    provenance = getattr(fact, "provenance", None)
    if provenance is not None:
        flat.update({f.name: getattr(provenance, f.name) for f in fields(provenance)})
    return {column: flat[column] for column in TABLE_COLUMNS[TABLE_OF[type(fact)]]}
