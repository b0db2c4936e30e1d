"""Counts of OCOP products and producers reported as results ("130 sản phẩm dự thi", "63 chủ thể").

Only sentences outside planning sections count (goals go to targets). The status and stars of a count come
from the words after it (up to the next count), else before it, else from the counts before it in the same
sentence (stars only from counts of the same entity) or in the ";" item before it, else from the sentence
calling the footnote it sits in. A rated producer count with no stars of its own spans those of the rated
product counts before it ("26 sản phẩm đạt 3 sao, 11 sản phẩm đạt 4 sao đến từ 28 chủ thể": 3 to 4). A count's
category is named right before it or right after it. A restated figure is emitted once per document. Star counts
that add up to more than the rated total they break down become a CheckRow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from extractors.facts import CheckRow, ProductCountFact
from extractors.folding import fold
from extractors.numbers import parse_number
from extractors.parsed import ParsedDocument
from extractors.patterns import compile_cues, find_first_label, load_cue_table, load_patterns
from extractors.quantities import Quantity, Stars, drop_star_labels, find_quantities, find_star_label, find_stars
from extractors.sections import (
    YEAR,
    SectionContext,
    blank_closed_parentheses,
    find_period_before,
    find_periods,
    reports_past,
)
from extractors.sentences import Sentence
from extractors.tables import Table, is_result_column

# Characters allowed between a category cue and the ":" or "(" before the count; twice that after "nhóm <cue>",
# which may name the group at length ("nhóm dịch vụ du lịch cộng đồng, du lịch nông thôn ... 01 sản phẩm").
CATEGORY_GAP = 30
OWNER_RE = re.compile(r"\s*(?:ocop\s+)?(?:cua|thuoc)\s+")  # between a product count and the count of its producers
CHANGE_RE = re.compile(r"(?<![a-z])(?:tang|giam)(?:\s+them)?\s*$")  # "tăng 22 sản phẩm so với năm 2020"
AGAINST_RE = re.compile(r"[^.;]{0,30}?(?<![a-z])so\s+voi(?![a-z])")
LAST_CLAUSE_RE = re.compile(r"[,;][^,;]*$")
NEXT_CLAUSE_RE = re.compile(r"\s*(?:[,;]|(?:va|dong\s+thoi)(?![a-z]))")  # words that start another count's clause
# A producer type in a list, then its number: "trong đó: doanh nghiệp 11 (chiếm 24,4%), hợp tác xã 19"
LIST_ITEM_START = r"(?:^|(?<=[:,(;])|(?<=trong do)|(?<=gom)|(?<=va))\s*"
TRAILING_COUNT = r"(?:\s+[a-z]+){0,2}?\s+(?!(?:19|20)\d\d)(\d{1,4})(?![.,]?\d)(?=\s*(?:[(),;.]|va\b|$))"
POTENTIAL_STARS_RE = re.compile(r"(?<![a-z])tiem\s+nang\s+\d\s*sa[o0](?![a-z])")
NEXT_COUNT_CLAUSE_RE = re.compile(r"[,;]\s*(?:ket\s+qua|ngoai\s+ra|dong\s+thoi)(?![a-z])")
OWNERS_RE = re.compile(r"(?<![a-z])san\s+pham(?:\s+ocop)?(?:\s+nay|\s+tren)?\s+(?:thuoc|cua)(?:\s+cac)?\s*$")
CUMULATIVE_RE = compile_cues(("nang tong so", "tong so", "luy ke", "tinh den", "den nay", "con hieu luc"))
GOAL_RE = re.compile(r"(?<![a-z])phan\s+dau(?![a-z])")
BARE_YEAR_LABEL_RE = re.compile(rf"(?:nam\s+)?({YEAR})")  # a table row's label that is only its year
LIMIT_RE = re.compile(r"(?<![a-z])(?:toi\s+da|khong\s+qua)\s*$")  # "được đăng ký tối đa 05 sản phẩm": a rule
FAILED_RE = re.compile(r"\s*(?:[a-z]+\s+){0,2}?(?:khong|chua)\s+(?:dat|duoc|du)(?![a-z])")  # "02 sản phẩm không đạt"
TOTAL_LOOKBACK = 16  # counts back from a category breakdown to look for the total it adds up to
Counted = tuple[str, bool, ProductCountFact]  # counted noun, whether a cue gave the status, fact


@dataclass
class Paragraph:
    """What the sentences of a paragraph read so far pass on to its later sentences: the first period named and
    the status of the last product count ("… 16 sản phẩm được công nhận (2020 - 2022). Các sản phẩm thuộc 11 chủ
    thể")."""

    block: int = -1
    period: str | None = None
    product_status: str | None = None


@dataclass
class CountState:
    """What the counts read so far pass on to the next one: the last status, the last stars of each entity and of
    a category list, and the stars of every rated product count."""

    status: str | None = None
    stars: dict[str, Stars | None] = field(default_factory=dict)
    rated_product_stars: list[Stars] = field(default_factory=list)
    category_stars: Stars | None = None  # those of the last item of a category list


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
def load_category_patterns() -> tuple[dict[str, re.Pattern[str]], dict[str, re.Pattern[str]]]:
    """{category: pattern} for "<cue> ...:" / "<cue> (" / "nhóm <cue> ..." ending the text before a count, and for the
    words after it."""
    patterns = load_patterns("product_counts")
    before, after = {}, {}
    for label, cues in patterns["categories"].items():
        cue = compile_cues(tuple(cues)).pattern
        labelled = rf"{cue}[^:;.()]{{0,{CATEGORY_GAP}}}[:(]\s*$|{cue}\s*$"  # "thực phẩm: 83", "thực phẩm 151 sản phẩm"
        grouped = rf"(?<![a-z])nhom\s+(?:[a-z]+\s+){{0,2}}{cue}[^:;.()]{{0,{2 * CATEGORY_GAP}}}$"
        before[label] = re.compile(f"{labelled}|{grouped}")
        after[label] = re.compile(rf"^\s*{patterns['category_after']}[^:;.,()]{{0,{CATEGORY_GAP}}}?{cue}")
    return before, after


def find_status(window: str, after: bool = False) -> str | None:
    """The status whose cue comes first in the priority order of patterns/product_counts.yaml."""
    status = find_first_label(load_cue_table("product_counts", "statuses"), window)
    return status or (find_first_label(load_cue_table("product_counts", "statuses_after"), window) if after else None)


def slice_window_after(folded: str, counts: list[Quantity], i: int) -> str:
    """The words after count ``i`` up to the next count, skipping a parenthesis of sub-counts.

    In "99 sản phẩm (với 42 chủ thể) đạt 3 - 4 sao" the stars belong to both counts, and so does the status in
    "76 sản phẩm của 52 chủ thể được công nhận".
    """
    end = counts[i + 1].start if i + 1 < len(counts) else len(folded)
    gap = folded[counts[i].unit_end : end]
    if i + 1 < len(counts) and OWNER_RE.fullmatch(gap):  # "76 sản phẩm của 52 chủ thể được công nhận"
        return gap + slice_window_after(folded, counts, i + 1)
    opening = NEXT_COUNT_CLAUSE_RE.search(gap)  # "đánh giá cho 35 sản phẩm, kết quả công nhận 31 sản phẩm"
    gap = gap[: opening.start()] if opening else gap
    if i + 1 < len(counts) and not opening and "(" not in gap:
        # the last clause leads into the next count: "phân hạng 58 sản phẩm, công nhận 49 sản phẩm" (the 49's)
        gap = LAST_CLAUSE_RE.sub("", gap)
    closing = find_unopened_close(gap)
    if closing != -1 and NEXT_CLAUSE_RE.match(gap, closing + 1):  # "(…, 02 sản phẩm 4 sao) và công nhận nâng hạng"
        return gap[:closing]
    close = folded.find(")", end)
    if gap.count("(") > gap.count(")") and close != -1:
        following = next((c.start for c in counts[i + 1 :] if c.start > close), len(folded))
        rest = folded[close + 1 : following]
        return gap if NEXT_CLAUSE_RE.match(rest) else f"{gap} {rest}"
    return gap


def find_trailing_counts(folded: str, counts: list[Quantity]) -> list[Quantity]:
    """Producers counted with the number after their type ("doanh nghiệp 11 (chiếm 24,4%), hợp tác xã 19"), where
    no count of the usual order covers the number."""
    units, entity_of = load_entity_units()
    taken = [(q.start, q.unit_end) for q in counts]
    found = []
    for noun, pattern in units.items():
        if entity_of[noun] != "producer":
            continue
        for match in re.finditer(LIST_ITEM_START + pattern.pattern + TRAILING_COUNT, folded):
            start, end = match.span(1)
            if not any(a <= start < b for a, b in taken):
                found.append(Quantity(start, end, end, parse_number(match.group(1)), None, noun))
                taken.append((start, end))
    return found


def find_unopened_close(gap: str) -> int:
    """Where ``gap`` closes a parenthesis opened before it; -1 when it does not."""
    depth = 0
    for position, char in enumerate(gap):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return position
    return -1


def is_change(before: str, rest: str) -> bool:
    """Whether a count is a rise or fall against another year ("tăng 22 sản phẩm so với năm 2020"), not a count."""
    return bool(CHANGE_RE.search(before)) and bool(AGAINST_RE.match(rest))


def span_stars(ratings: list[Stars]) -> Stars | None:
    """The star range that covers every rating given (an open top stays open); None when there is none."""
    if not ratings:
        return None
    lows = [low for low, _ in ratings if low is not None]
    highs = [high for _, high in ratings if high is not None]
    return (min(lows) if lows else None), (max(highs) if len(highs) == len(ratings) else None)


def find_category(before: str, after: str) -> str | None:
    """The category named right after a count ("03 sản phẩm nhóm vải và may mặc"), else right before it ("nhóm thực
    phẩm: 83 sản phẩm"; not the previous count's in "10 sản phẩm nhóm thực phẩm và 03 sản phẩm nhóm …")."""
    before_patterns, after_patterns = load_category_patterns()
    return find_first_label(after_patterns, after) or find_first_label(before_patterns, before)


def extract_sentence_counts(
    parsed: ParsedDocument, sentence: Sentence, context: SectionContext, state: CountState, paragraph: Paragraph
) -> list[Counted]:
    """The product/producer counts of one sentence, each with its counted noun and whether a cue gave its status.

    ``state`` comes from the ";" item before the sentence (or is fresh) and is updated count by count.
    """
    units, entity_of = load_entity_units()
    folded = sentence.folded
    found = find_quantities(folded, units)
    found = sorted([*found, *find_trailing_counts(folded, found)], key=lambda q: q.start)
    counts: list[Quantity] = [
        q for q in found if q.unit != "%" and not parsed.in_table(sentence.start + q.start, with_notes=False)
    ]
    caller = context.caller.folded if context.caller else ""
    inherited = None if CUMULATIVE_RE.search(folded) else paragraph.period  # a stock to date has no period
    facts = []
    for i, count in enumerate(counts):
        entity = entity_of[count.unit]
        before = folded[counts[i - 1].unit_end if i else 0 : count.start]
        if is_change(before, folded[count.unit_end :]) or FAILED_RE.match(folded, count.unit_end):
            continue
        if LIMIT_RE.search(before):
            continue
        after = slice_window_after(folded, counts, i)
        clause = re.split(r"[,;:()]", before)[-1]  # the nearest words first: "…nâng hạng…, nâng tổng số lên 49"
        status = find_status(after, after=True) or find_status(clause) or find_status(before) or state.status
        if status is None and entity == "producer" and OWNERS_RE.search(clause):
            status = paragraph.product_status  # "Các sản phẩm thuộc 11 chủ thể"
        status = status or find_status(caller)
        category = find_category(before, folded[count.unit_end :]) if entity == "product" else None
        # Words before a later count are the previous count's "after" words: their stars are already taken,
        # unless they end in a label for this count ("3 sao: 22 sản phẩm; 4 sao: 5 sản phẩm").
        hoped = POTENTIAL_STARS_RE.search(after) if status == "potential" else None  # "… tiềm năng 5 sao"
        stars = find_star_label(before) or find_stars(hoped.group() if hoped else drop_star_labels(after))
        stars = stars or (find_stars(before) if i == 0 else None)
        if category:  # an item of a category list shares out a total: only the list's stars, not another count's
            stars = stars or state.category_stars
            state.category_stars = stars
        elif not CUMULATIVE_RE.search(clause):  # "nâng tổng số … lên 15 sản phẩm": the whole, of every rating
            stars = stars or state.stars.get(entity) or find_stars(caller)
        state.status, state.stars[entity] = status, stars
        if entity == "product" and stars and status in ("rated", None):
            state.rated_product_stars.append(stars)
        if stars is None and entity == "producer" and status == "rated":
            stars = span_stars(state.rated_product_stars)  # not passed on: a later producer may not be rated
        star_min, star_max = stars or (None, None)
        fact = ProductCountFact(
            period=find_period_before(folded, count.start)
            or context.period
            or inherited
            or parsed.resolve_period(context),
            count=int(count.value),
            entity=entity,  # type: ignore[arg-type]
            status=(status or ("rated" if stars else "registered")),  # type: ignore[arg-type]
            star_min=star_min,
            star_max=star_max,
            category=category,
            provenance=parsed.make_provenance(sentence, certain=status is not None),
        )
        facts.append((count.unit, status is not None, fact))
    return facts


def is_single_star(fact: ProductCountFact) -> bool:
    """Whether a count is of one star level ("15 sản phẩm 3 sao")."""
    return fact.star_min is not None and fact.star_min == fact.star_max


def closing_parts(total: int, parts: list[ProductCountFact]) -> int | None:
    """How many of ``parts``, from the first, add up to ``total``; None when no run of them from the first does."""
    running = 0
    for k, part in enumerate(parts, 1):
        running += part.count
        if running == total:
            return k
    return None


def check_star_counts(facts: list[ProductCountFact]) -> CheckRow | None:
    """A CheckRow when the single-star counts of its period after a rated product total add up to more than it,
    unless the first of them already add up to it (a breakdown, then other products: "71 sản phẩm, trong đó 18
    sản phẩm 4 sao và 53 sản phẩm 3 sao; 02 sản phẩm được Trung ương công nhận 5 sao")."""
    for i, total in enumerate(facts):
        if total.entity != "product" or total.status != "rated" or total.category:
            continue
        if is_single_star(total):
            continue
        parts = [
            f
            for f in facts[i + 1 :]
            if f.entity == "product" and f.status == "rated" and is_single_star(f) and f.period == total.period
        ]  # not "riêng năm 2022 có 04 sản phẩm 3 sao" after a total of 2020-2022
        if parts and closing_parts(total.count, parts) is None and sum(f.count for f in parts) > total.count:
            listed = " + ".join(f"{f.count} ({f.star_min} sao)" for f in parts)
            figures = f"{listed} = {sum(f.count for f in parts)} > {total.count}"
            return CheckRow(total.provenance.doc_id, "stars_exceed_rated", figures, total.provenance.text)
    return None


def read_counts(parsed: ParsedDocument) -> tuple[list[Counted], list[CheckRow]]:
    """Every count of the result sentences in order, and the star checks of each sentence and its ";" items."""
    counted: list[Counted] = []
    checks: list[CheckRow] = []
    previous: Sentence | None = None
    state, group = CountState(), []  # group: the counts of a sentence and of the ";" items continuing it
    paragraph = Paragraph()
    for sentence, context in parsed.iter_annotated():
        if context.mode == "plan" and not reports_past(sentence.folded, len(sentence.folded), parsed.plan_start):
            continue
        if GOAL_RE.search(sentence.folded):  # "- Phấn đấu có thêm 15 sản phẩm" under a heading that names no plan
            continue
        if not (previous and previous.block == sentence.block and previous.text.endswith(";")):
            checks += filter(None, [check_star_counts(group)])
            state, group = CountState(), []
        previous = sentence
        paragraph = paragraph if paragraph.block == sentence.block else Paragraph(sentence.block)
        sentence_counts = extract_sentence_counts(parsed, sentence, context, state, paragraph)
        group += [fact for _, _, fact in sentence_counts]
        counted += sentence_counts
        named = find_periods(blank_closed_parentheses(sentence.folded))
        paragraph.period = paragraph.period or (named[0][1] if named else None)  # the frame, not a comparison
        products = [fact.status for _, _, fact in sentence_counts if fact.entity == "product"]
        paragraph.product_status = products[-1] if products else paragraph.product_status
    checks += filter(None, [check_star_counts(group)])
    return counted, checks


def is_share(fact: ProductCountFact, explicit: bool) -> bool:
    """Whether a count without stars may share out a total: a category's products, or a type of producer read
    without a status cue ("nhóm thực phẩm: 83 sản phẩm", "32 doanh nghiệp, 61 hợp tác xã")."""
    return fact.star_min is None and (fact.category is not None or (fact.entity == "producer" and not explicit))


def find_total(counted: list[Counted], start: int, end: int) -> tuple[int, ProductCountFact | None]:
    """(stop, total): the longest run of items start..stop (within ``end``) that adds up to a total of their
    entity, without a category, among the counts just before ``start``; (start, None) when there is none."""
    earlier = [fact for _, _, fact in counted[max(0, start - TOTAL_LOOKBACK) : start]]
    entity = counted[start][2].entity if start < end else None
    for stop in range(end, start + 1, -1):
        total = sum(fact.count for _, _, fact in counted[start:stop])
        source = next((f for f in reversed(earlier) if f.entity == entity and f.count == total), None)
        if source is not None and not source.category:
            return stop, source
    return start, None


def inherit_total_status(counted: list[Counted]) -> list[Counted]:
    """Shares with no status cue and no stars (``is_share``) take the status of the total just before that they
    add up to; category items take its stars too ("99 sản phẩm đạt 3 - 4 sao" ... "nhóm thực phẩm: 83 sản phẩm;
    nhóm đồ uống: ...")."""
    result = list(counted)
    start = 0
    while start < len(result):
        end = start
        while end < len(result) and is_share(result[end][2], result[end][1]):
            if result[end][2].entity != result[start][2].entity:
                break
            end += 1
        stop, source = find_total(result, start, end)
        for k in range(start, stop):
            noun, _, fact = result[k]
            stars = (source.star_min, source.star_max) if fact.category else (fact.star_min, fact.star_max)
            inherited = replace(fact, status=source.status, star_min=stars[0], star_max=stars[1])
            result[k] = (noun, True, inherited)
        start = max(stop, start + 1)
    return result


def span_star_breakdowns(counted: list[Counted]) -> list[Counted]:
    """A rated product total without stars of its own takes the span of the single-star counts right after it that
    add up to it ("42 sản phẩm OCOP, trong đó 39 sản phẩm 3 sao và 03 sản phẩm 4 sao": 3-4 sao)."""
    result = list(counted)
    for i, (noun, explicit, total) in enumerate(result):
        if total.entity != "product" or total.status != "rated" or total.star_min is not None or total.category:
            continue
        parts: list[ProductCountFact] = []
        for _, _, part in result[i + 1 :]:
            if part.entity != "product" or not is_single_star(part) or part.category or part.period != total.period:
                break
            parts.append(part)
        if (k := closing_parts(total.count, parts) or 0) >= 2:
            stars = span_stars([(p.star_min, p.star_max) for p in parts[:k]])
            result[i] = (noun, explicit, replace(total, star_min=stars[0], star_max=stars[1]))
    return result


def drop_restated_counts(counted: list[Counted]) -> list[ProductCountFact]:
    """The counts without their restatements: the same figure of the same noun, category, status and period,
    or with no status cue at all."""
    facts: list[ProductCountFact] = []
    seen: set[tuple[object, ...]] = set()
    for noun, explicit, fact in counted:
        key = (fact.count, noun, fact.category, fact.status, fact.period)
        if key in seen or (not explicit and (fact.count, noun, fact.category) in seen):
            continue
        seen.update({key, (fact.count, noun, fact.category)})
        facts.append(fact)
    return facts


def read_table_counts(parsed: ParsedDocument, table: Table) -> list[Counted]:
    """The counts of a table's product and producer rows in its results columns ("Thực hiện năm 2023", or a
    count column in a results section)."""
    units, entity_of = load_entity_units()
    context = parsed.context_at(table.header_start)
    lead_periods = find_periods(table.lead)
    in_results = context.mode == "result" or (table.counts and context.mode is None)
    counted = []
    for row in table.rows:
        category = find_first_label(load_cue_table("product_counts", "categories"), row.label)
        year = BARE_YEAR_LABEL_RE.fullmatch(row.label.strip())  # a row per year: "2019 | 41 | 12 | - | 53"
        for value in row.values:
            noun = next((noun for noun, pattern in units.items() if pattern.fullmatch(fold(value.unit))), None)
            if (
                noun is None
                or value.column is None
                or not is_result_column(value.column, parsed.plan_start, in_results)
            ):
                continue
            entity = entity_of[noun]
            stars = find_stars(row.label) or find_stars(value.column.header)  # "Nhóm sản phẩm | 3 sao | 4 sao"
            status = (
                find_status(row.label, after=True)
                or find_status(value.column.header)
                or find_status(table.lead, after=True)  # "Sản phẩm OCOP … phân theo nhóm ngành": certified ones
            )
            fact = ProductCountFact(
                period=(year and year.group(1))
                or value.column.period
                or (lead_periods[-1][1] if lead_periods else parsed.resolve_period(context)),
                count=int(value.low),
                entity=entity,  # type: ignore[arg-type]
                status=(status or ("rated" if stars else "registered")),  # type: ignore[arg-type]
                star_min=stars[0] if stars else None,
                star_max=stars[1] if stars else None,
                category=category,  # a by-category table counts producers by category too
                provenance=parsed.make_provenance(parsed.span_sentence(row.start, row.end), certain=status is not None),
            )
            counted.append((noun, status is not None, fact))
    return counted


def extract_product_counts(parsed: ParsedDocument) -> tuple[list[ProductCountFact], list[CheckRow]]:
    """Every reported product/producer count of the document (sentences, then tables), restated figures once, and
    the star checks."""
    counted, checks = read_counts(parsed)
    counted += [count for table in parsed.tables for count in read_table_counts(parsed, table)]
    return drop_restated_counts(span_star_breakdowns(inherit_total_status(counted))), checks
