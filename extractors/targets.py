"""Quantified goals (chỉ tiêu, mục tiêu, phấn đấu): "Phấn đấu có ít nhất 15 sản phẩm đạt 5 sao".

A sentence of a planning section states goals when it sits under a target heading ("Mục tiêu cụ thể",
"Một số chỉ tiêu chủ yếu") or carries a cue word; every number with a counted unit in it is a goal, except one
in a parenthesis that says what a percentage is of ("100% doanh nghiệp (gồm 28 chủ thể ...)"). A goal without
stars that breaks down a goal of the same unit with stars (in a parenthesis, or after "trong đó", also in the ";"
items that go on) shares them: "25-30 sản phẩm đạt 3 sao trở lên (mỗi huyện có ít nhất 2-3 sản phẩm)". A goal
restated later (same figures, same words after the unit) is emitted once. Indicator tables ("Chỉ tiêu | Đơn vị
tính | Kế hoạch năm 2024") give one goal per row and goal column (``tables``).
"""

from __future__ import annotations

import re

from extractors.facts import TargetFact
from extractors.parsed import ParsedDocument
from extractors.patterns import load_cue_pattern, load_cue_table
from extractors.quantities import STAR_RE, Quantity, Stars, find_clause_before, find_quantities, find_stars, to_plain
from extractors.sections import SectionContext, blank_closed_parentheses, find_periods, reports_past
from extractors.sentences import Sentence
from extractors.tables import MONEY_UNIT, Row, Table, is_goal_column

COORDINATED_RE = re.compile(r"(?<![a-z])va(?![a-z])")  # "… 06 sản phẩm đạt 3 sao và 02 sản phẩm đạt 4 sao"
COMPLETION_BEFORE_RE = re.compile(r"\(\s*dat\s*$")
COMPLETION_AFTER_RE = re.compile(r"\s*(?:so\s+voi\s+)?(?:ke\s+hoach|chi\s+tieu|du\s+toan)(?![a-z])")
RESTATED_WORDS = 3  # words after the unit that tell two goals with the same figures apart


def find_qualifier(folded: str, quantity: Quantity, next_start: int, previous_end: int) -> str:
    """at_least / about / at_most / exactly, from the clause before the number (after the goal before it:
    "khoảng 06 sản phẩm đạt 3 sao và 02 sản phẩm đạt 4 sao") and the words after it."""
    start, clause = find_clause_before(folded, quantity.start)
    if COORDINATED_RE.search(folded, previous_end, quantity.start):  # not "khoảng 150 sản phẩm của 70 chủ thể"
        clause = clause[max(0, previous_end - start) :]
    for label, pattern in load_cue_table("targets", "qualifiers").items():
        if pattern.search(clause):
            return label
    adjacent = folded[max(0, quantity.start - 8) : quantity.start]
    for label, pattern in load_cue_table("targets", "qualifiers_adjacent").items():
        if pattern.search(adjacent.split()[-1] if adjacent.split() else ""):
            return label
    after = folded[quantity.unit_end : next_start]
    stars = STAR_RE.search(after)
    after = after[: stars.start()] if stars else after  # "3 sao trở lên" qualifies the stars, not the count
    for label, pattern in load_cue_table("targets", "qualifiers_after").items():
        if pattern.search(after):
            return label
    return "exactly"


def states_goals(sentence: Sentence, context: SectionContext) -> bool:
    """Whether the sentence sets goals."""
    if context.mode == "plan":
        if load_cue_pattern("targets", "cues").search(sentence.folded):
            return True
        return context.is_target and not load_cue_pattern("targets", "present").match(sentence.folded)
    return context.mode is None and bool(load_cue_pattern("targets", "strict_cues").search(sentence.folded))


def find_open_parenthesis(gap: str) -> str | None:
    """The text after a parenthesis opened in ``gap`` and not closed there; None when there is none."""
    opened = gap.rfind("(")
    return None if opened == -1 or ")" in gap[opened:] else gap[opened + 1 :]


def names_percentage_base(folded: str, previous: Quantity, quantity: Quantity) -> bool:
    """Whether ``quantity`` opens a parenthesis after a percentage that says what the percentage is of."""
    if previous.unit != "%" or quantity.unit == "%":
        return False
    inside = find_open_parenthesis(folded[previous.unit_end : quantity.start])
    return inside is not None and bool(load_cue_pattern("targets", "percentage_base").match(inside.lstrip()))


def breaks_down(gap: str) -> bool:
    """Whether the words between a goal and a later one make the later one part of it: "(" or "trong đó"."""
    # the cues that open a budget's breakdown ("trong đó", "bao gồm", "gồm") open a goal's too
    return find_open_parenthesis(gap) is not None or bool(load_cue_pattern("budgets", "breakdown").search(gap))


def find_list_stars(lead: str) -> Stars | None:
    """The stars a list's lead names before its ":" for the goals listed after it ("Phân kỳ số sản phẩm đạt 3 sao
    trở lên theo từng năm: năm 2021: …"); None when there is no such lead."""
    colon = lead.rfind(":")
    if colon == -1 or (find_periods(lead[:colon]) and not STAR_RE.search(lead[:colon])):
        return None
    return find_stars(lead[:colon])


def find_period(folded: str, position: int, plan_start: int | None) -> str | None:
    """The period named before ``position`` in the sentence, else the first one after it.

    Years that end before the plan starts describe the past, not the goal, and are skipped.
    """
    visible = blank_closed_parentheses(folded[:position]) + folded[position:]  # "(năm 2021: 12; …), trong đó 5"
    periods = [(start, p) for start, p in find_periods(visible) if plan_start is None or int(p[-4:]) >= plan_start]
    before = [period for start, period in periods if start < position]
    after = [period for start, period in periods if start >= position]
    return before[-1] if before else after[0] if after else None


def make_restatement_key(fact: TargetFact, folded: str, quantity: Quantity) -> tuple[object, ...]:
    """What makes two goals the same goal: their figures and the words right after the unit."""
    words = tuple(re.findall(r"[a-z]+", folded[quantity.unit_end :])[:RESTATED_WORDS])
    return (
        fact.quantity,
        fact.quantity_max,
        fact.unit,
        fact.qualifier,
        fact.star_min,
        fact.star_max,
        fact.period,
        words,
    )


def find_label_qualifier(label: str) -> str:
    """at_least / at_most / exactly from a table row's folded label (a qualifier of its stars does not count)."""
    label = re.sub(rf"(?:(?:it nhat|toi thieu|tu)\s+)?(?:{STAR_RE.pattern})", " ", label)
    for name in ("at_least", "at_most"):
        if load_cue_table("targets", "qualifiers")[name].search(label):
            return name
    return "exactly"


def sets_goals(table: Table, context: SectionContext) -> bool:
    """Whether a table's unmarked columns hold goals: under a planning heading, or under none with a goal cue."""
    if context.mode == "plan":
        return True
    return context.mode is None and bool(load_cue_pattern("targets", "strict_cues").search(table.header))


def read_table_row(parsed: ParsedDocument, row: Row, context: SectionContext, in_plan: bool) -> list[TargetFact]:
    """The goals of a table's row: one per value in a goal column."""
    star_min, star_max = find_stars(row.label) or (None, None)
    return [
        TargetFact(
            period=value.column.period or parsed.resolve_period(context),
            quantity=to_plain(value.low),
            quantity_max=to_plain(value.high) if value.high is not None else None,
            unit=value.unit,
            qualifier=value.qualifier or find_label_qualifier(row.label),  # type: ignore[arg-type]
            star_min=star_min,
            star_max=star_max,
            provenance=parsed.make_provenance(parsed.span_sentence(row.start, row.end)),
        )
        for value in row.values
        if is_goal_column(value.column, parsed.plan_start, in_plan) and value.unit != MONEY_UNIT
    ]


def extract_table_targets(parsed: ParsedDocument) -> list[TargetFact]:
    """The goals of the document's tables."""
    facts = []
    for table in parsed.tables:
        context = parsed.context_at(table.header_start)
        in_plan = sets_goals(table, context)
        facts += [fact for row in table.rows for fact in read_table_row(parsed, row, context, in_plan)]
    return facts


def extract_targets(parsed: ParsedDocument) -> list[TargetFact]:
    """Every quantified goal of the document, restated goals once; those of indicator tables after the others."""
    facts = []
    seen: set[tuple[object, ...]] = set()
    plan_start = parsed.plan_start
    carried: tuple[str, Stars] | None = None  # a breakdown going on into the next ";" item: its unit and stars
    previous: Sentence | None = None
    goals = False  # whether the sentence before set goals
    for sentence, context in parsed.iter_annotated():
        continues = previous is not None and previous.block == sentence.block and previous.text.endswith(";")
        previous, carried = sentence, carried if continues else None
        goals = states_goals(sentence, context) or (continues and goals)  # "Phấn đấu …; nâng hạng 03 sản phẩm"
        if not goals:
            continue
        folded = sentence.folded
        cued = bool(load_cue_pattern("targets", "cues").search(folded))  # not only under a target heading
        quantities = find_quantities(folded, load_cue_table("targets", "units"))
        parent: tuple[Quantity, Stars] | None = None  # the last goal with stars of its own
        if quantities and (listed := find_list_stars(folded[: quantities[0].start])):
            carried = quantities[0].unit, listed  # "Phân kỳ số sản phẩm đạt 3 sao trở lên theo năm: năm 2021: 25 …"
        for i, quantity in enumerate(quantities):
            if i and names_percentage_base(folded, quantities[i - 1], quantity):
                continue
            if parsed.in_table(sentence.start + quantity.start) or reports_past(folded, quantity.start, plan_start):
                continue
            if quantity.unit == "%" and (
                COMPLETION_BEFORE_RE.search(folded, 0, quantity.start)
                or COMPLETION_AFTER_RE.match(folded, quantity.unit_end)
            ):
                continue  # "đã giải ngân … (đạt 94,7%)", "đạt 160% kế hoạch": how far a plan got, not a goal
            next_start = quantities[i + 1].start if i + 1 < len(quantities) else len(folded)
            stars = find_stars(folded[quantity.unit_end : next_start])
            if stars:
                parent, carried = (quantity, stars), None
            elif (
                parent and parent[0].unit == quantity.unit and breaks_down(folded[parent[0].unit_end : quantity.start])
            ):
                stars = parent[1]
                carried = quantity.unit, stars
            elif carried and carried[0] == quantity.unit:
                stars = carried[1]
            star_min, star_max = stars or (None, None)
            fact = TargetFact(
                period=find_period(folded, quantity.start, plan_start) or parsed.resolve_period(context),
                quantity=to_plain(quantity.value),
                quantity_max=to_plain(quantity.value_max) if quantity.value_max is not None else None,
                unit=quantity.unit,
                qualifier=find_qualifier(folded, quantity, next_start, quantities[i - 1].unit_end if i else 0),  # type: ignore[arg-type]
                star_min=star_min,
                star_max=star_max,
                provenance=parsed.make_provenance(sentence, certain=cued),
            )
            key = make_restatement_key(fact, folded, quantity)
            if key not in seen:
                seen.add(key)
                facts.append(fact)
    return facts + extract_table_targets(parsed)
