"""Counts of OCOP products and producers reported as results ("130 sản phẩm dự thi", "63 chủ thể").

Only sentences outside planning sections count (goals go to targets). The status, stars and category of
a count come from the words after it (up to the next count), else before it, else from the counts before
it in the same sentence, else from the sentence calling the footnote it sits in. A restated figure is
emitted once per document.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.facts import ProductCountFact
from extractors.parsed import ParsedDocument
from extractors.patterns import compile_cues, find_first_label, load_cue_table, load_patterns
from extractors.quantities import Quantity, find_quantities, find_stars
from extractors.sections import SectionContext, find_period_before
from extractors.sentences import Sentence

CATEGORY_GAP = 30  # characters allowed between a category cue and the ":" before the count


@lru_cache(maxsize=1)
def load_entity_units() -> tuple[dict[str, re.Pattern[str]], dict[str, str]]:
    """({noun: pattern}, {noun: entity}) from patterns/product_counts.yaml."""
    nouns: dict[str, re.Pattern[str]] = {}
    entity_of: dict[str, str] = {}
    for entity, table in load_patterns("product_counts")["entities"].items():
        for noun, patterns in table.items():
            nouns[noun] = compile_cues(tuple(patterns))
            entity_of[noun] = entity
    return nouns, entity_of


@lru_cache(maxsize=1)
def load_category_patterns() -> dict[str, re.Pattern[str]]:
    """{category: pattern matching "<cue> ...:" at the end of the text before a count}."""
    table = load_patterns("product_counts")["categories"]
    return {
        label: re.compile(rf"{compile_cues(tuple(cues)).pattern}[^:;.]{{0,{CATEGORY_GAP}}}:\s*$")
        for label, cues in table.items()
    }


def find_status(window: str, after: bool = False) -> str | None:
    """The status whose cue comes first in the priority order of patterns/product_counts.yaml."""
    status = find_first_label(load_cue_table("product_counts", "statuses"), window)
    return status or (find_first_label(load_cue_table("product_counts", "statuses_after"), window) if after else None)


def slice_window_after(folded: str, counts: list[Quantity], i: int) -> str:
    """The words after count ``i`` up to the next count, skipping a parenthesis of sub-counts.

    In "99 sản phẩm (với 42 chủ thể) đạt 3 - 4 sao" the stars belong to both counts.
    """
    end = counts[i + 1].start if i + 1 < len(counts) else len(folded)
    gap = folded[counts[i].unit_end : end]
    close = folded.find(")", end)
    if gap.count("(") > gap.count(")") and close != -1:
        following = next((c.start for c in counts[i + 1 :] if c.start > close), len(folded))
        return f"{gap} {folded[close + 1 : following]}"
    return gap


def find_category(before: str) -> str | None:
    """The category named right before a count ("nhóm thực phẩm: 83 sản phẩm")."""
    return find_first_label(load_category_patterns(), before)


def extract_sentence_counts(
    parsed: ParsedDocument, sentence: Sentence, context: SectionContext
) -> list[tuple[str, bool, ProductCountFact]]:
    """The product/producer counts of one sentence, each with its counted noun and whether a cue gave its status."""
    units, entity_of = load_entity_units()
    folded = sentence.folded
    counts: list[Quantity] = [q for q in find_quantities(folded, units) if q.unit != "%"]
    caller = context.caller.folded if context.caller else ""
    facts = []
    status: str | None = None
    stars: tuple[int | None, int | None] | None = None
    for i, count in enumerate(counts):
        before = folded[counts[i - 1].unit_end if i else 0 : count.start]
        after = slice_window_after(folded, counts, i)
        status = find_status(after, after=True) or find_status(before) or status or find_status(caller)
        stars = find_stars(after) or find_stars(before) or stars or find_stars(caller)
        star_min, star_max = stars or (None, None)
        fact = ProductCountFact(
            period=find_period_before(folded, count.start) or parsed.resolve_period(context),
            count=int(count.value),
            entity=entity_of[count.unit],  # type: ignore[arg-type]
            status=(status or ("rated" if stars else "registered")),  # type: ignore[arg-type]
            star_min=star_min,
            star_max=star_max,
            category=find_category(before) if entity_of[count.unit] == "product" else None,
            provenance=parsed.make_provenance(sentence),
        )
        facts.append((count.unit, status is not None, fact))
    return facts


def extract_product_counts(parsed: ParsedDocument) -> list[ProductCountFact]:
    """Every reported product/producer count of the document, restated figures once."""
    facts: list[ProductCountFact] = []
    seen: set[tuple[object, ...]] = set()
    for sentence, context in parsed.iter_annotated():
        if context.mode == "plan":
            continue
        for noun, explicit, fact in extract_sentence_counts(parsed, sentence, context):
            # Restated: the same figure of the same noun and status and period, or with no status cue at all.
            key = (fact.count, noun, fact.status, fact.period)
            if key in seen or (not explicit and (fact.count, noun) in seen):
                continue
            seen.update({key, (fact.count, noun)})
            facts.append(fact)
    return facts
