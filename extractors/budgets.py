"""Money amounts: who pays (funding source), spent or planned, for which period and purpose.

"Trong đó:" breakdowns are linked to their totals within a sentence ("Tổng 10 tỷ đồng, trong đó: tỉnh 6 tỷ đồng,
lồng ghép 3 tỷ đồng"), across the ";" items that follow it, and through list markers ("-" items under a total,
"+" items under a "-" item); other list items to an amount just before them when they add up to it. An item
naming no source takes its parent's; a breakdown that does not add up, and an amount whose words ("Sáu tỷ bốn
trăm triệu đồng") disagree with its figures, become CheckRows. An amount restated with the same purpose is
emitted once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from extractors.facts import BudgetFact, CheckRow
from extractors.folding import fold
from extractors.numbers import UNIT_NAMES, Money, find_money, parse_money_words, to_vnd
from extractors.parsed import ParsedDocument
from extractors.patterns import load_cue_pattern, load_cue_table
from extractors.quantities import find_clause_before
from extractors.sections import PERIOD_RE, SectionContext, find_period_before, find_periods
from extractors.sentences import Sentence
from extractors.tables import Table, label_as_written

MARKER_DEPTH = {"": 0, "-": 3, "–": 3, "—": 3, "•": 3, "+": 4, "*": 4, "~": 4}
NEARBY_BLOCKS = 3  # items of a breakdown found by its sum lie within this many paragraphs of each other
PURPOSE_MAX_CHARS = 160
PURPOSE_MIN_WORDS = 3
ROUNDING_VND = 1_000_000  # per item: breakdowns written in "tỷ" with three decimals round to a million
PARENTHESIS_AFTER_RE = re.compile(r"[^;.()]{0,40}\(")  # "8.015 triệu đồng, đạt 84,9% kế hoạch vốn (ngân sách …"
PER_RE = re.compile(r"\s*/\s*")  # "30 triệu đồng/sản phẩm"
TOTAL_COLUMN_RE = re.compile(r"\s*(?:tong|cong)(?![a-z])")  # a money table's sum column: "Tổng", "Cộng", "Tổng số"
# "6.400.000.000 đồng (Sáu tỷ bốn trăm triệu đồng)", "(Bằng chữ: Sáu tỷ …)", "(viết bằng chữ: …)"
IN_WORDS_RE = re.compile(r"\s*\((?:[^():\d]{1,20}:\s*)?([^():\d]{3,120})\)")


@dataclass
class Node:
    """A budget fact being built, with the breakdown it announces."""

    fact: BudgetFact
    depth: int
    sentence: Sentence
    own_source: bool  # named before the amount, or by "từ nguồn …" right after it
    opens_breakdown: bool
    own_kind: bool = True  # planned/spent read from a cue, not from the section
    dated: bool = False  # its sentence names its period before it
    in_words: int | None = None  # the amount as also written in words, when it is
    partner: Node | None = None  # the amount of the same clause it pairs with ("bố trí X, giải ngân Y")
    total_cue: bool = False  # "Tổng kinh phí X từ nguồn ngân sách tỉnh": the whole, if it is broken down
    passes_on: str | None = None  # the source its items take when it differs from its own ("total")
    announces: bool = False  # the words after it up to the next amount end in a list's ":"
    pairs: bool = False  # it names no source but a kind: it pairs with the amount before it in its clause
    whole: bool = False  # its clause names only the programme's money or a year ("năm 2022 là 5 tỷ đồng")
    paren_depth: int = 0  # how many parentheses of its sentence it stands inside
    paren_after: bool = False  # a parenthesis follows it ("4,275 tỷ đồng (ngân sách tỉnh …)")
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None

    def adopt(self, child: Node) -> None:
        """Make ``child`` an item of this node's breakdown, one level deeper."""
        self.children.append(child)
        child.parent = self
        child.depth = max(child.depth, self.depth + 1)


def measure_depth(marker: str) -> int:
    """Nesting depth of a list marker: none 0, "1." 1, "a)" 2, "-" 3, "+" 4."""
    if marker in MARKER_DEPTH:
        return MARKER_DEPTH[marker]
    return 2 if re.fullmatch(r"[a-zđ][.)]", marker) else 1


def find_source(window: str) -> str | None:
    """The funding source whose cue comes first in a folded window (the longest cue on a tie)."""
    best: tuple[int, int, str] | None = None
    for label, pattern in load_cue_table("budgets", "funding_sources").items():
        for match in pattern.finditer(window):
            candidate = (match.start(), -(match.end() - match.start()), label)
            if best is None or candidate < best:
                best = candidate
    return best[2] if best else None


def find_source_from(after: str) -> tuple[str, int] | None:
    """The one source named right after an amount ("… đồng từ nguồn ngân sách tỉnh") and where its cue ends."""
    lead = re.match(r"[\s,]*", after).end()
    for cue in load_cue_pattern("budgets", "from_source").finditer(after, lead):
        if cue.start() > lead:
            break
        start = re.match(r"\s*", after[cue.end() :]).end() + cue.end()
        for label, pattern in load_cue_table("budgets", "funding_sources").items():
            if named := pattern.match(after, start):
                more = re.match(r"[^,;.()]{0,40}?(?<![a-z])va\s+", after[named.end() :])
                if more and find_source(after[named.end() + more.end() :][:40]) not in (None, label):
                    return "total", named.end()  # "từ nguồn ngân sách tỉnh và vốn lồng ghép": several sources
                return label, named.end()
    return None


def find_own_source(before: str, inside_parenthesis: bool) -> str | None:
    """The source named before an amount; inside a parenthesis, the one named after "(" first
    ("Vốn ngân sách nhà nước (ngân sách tỉnh 0,9 tỷ đồng")."""
    opened = before.rfind("(")
    if inside_parenthesis and opened != -1 and ")" not in before[opened:]:
        return find_source(before[opened:]) or find_source(before)
    return find_source(before)


def names_whole(before: str) -> bool:
    """Whether the clause before an amount names nothing but the programme's money and perhaps a year ("; năm
    2022 là", "Năm 2024, dự kiến kinh phí thực hiện Chương trình khoảng"): the whole, or a year's share of it."""
    _, clause = find_clause_before(before, len(before))
    if not find_periods(clause) and not load_cue_pattern("budgets", "whole_money").search(clause):
        return False
    for pattern in (PERIOD_RE, *(load_cue_pattern("budgets", key) for key in ("planned", "spent", "whole_filler"))):
        clause = pattern.sub(" ", clause)
    return not re.search(r"[a-z0-9]", clause)


@dataclass(frozen=True)
class SourceReading:
    """Who pays for an amount, as the words around it say."""

    source: str | None  # named before it, or by "từ nguồn …" right after it (then also for a "Tổng" before it)
    named: str | None  # that, or a source named anywhere after it
    total_cue: bool  # "Tổng kinh phí X từ nguồn ngân sách tỉnh": a total before, one source after
    opens: bool  # the words after it announce a breakdown ("trong đó")
    resume: int  # where, after the amount, the next amount's words begin


def read_source(before: str, after: str, skip: int, inside_parenthesis: bool) -> SourceReading:
    """The source of an amount from the words before and after it (``skip``: its amount in words, if any)."""
    source = find_own_source(before, inside_parenthesis)
    named_after = find_source_from(after[skip:])  # "6.400.000.000 đồng (Sáu tỷ …), từ nguồn ngân sách tỉnh"
    total_cue = source == "total" and named_after is not None
    if source in (None, "total") and named_after:
        source = named_after[0]
    resume = skip + named_after[1] if named_after else 0  # "… từ ngân sách huyện và 200 triệu đồng vốn đối ứng"
    opens = bool(load_cue_pattern("budgets", "breakdown").search(after))
    return SourceReading(source, source or find_source(after), total_cue, opens, resume)


def find_cued_kind(folded: str) -> str | None:
    """planned or spent when a cue in ``folded`` says which (planned first)."""
    for kind in ("planned", "spent"):
        if load_cue_pattern("budgets", kind).search(folded):
            return kind
    return None


def find_kind(before: str, earlier: str, tail: str, mode: str | None) -> tuple[str, bool]:
    """planned or spent, and whether a cue said so: a cue between the amount and the one before it, else one
    earlier in the sentence, else one after its last amount, else the section's ``mode`` (planned when unknown)."""
    kind = find_cued_kind(before) or find_cued_kind(earlier) or find_cued_kind(tail)
    if kind:
        return kind, True
    return ("spent" if mode == "result" else "planned"), False


def paren_depths(folded: str, amounts: list[Money]) -> list[int]:
    """How many parentheses are open where each amount starts."""
    depths, depth, position = [], 0, 0
    for money in amounts:
        chunk = folded[position : money.start]
        depth = max(0, depth + chunk.count("(") - chunk.count(")"))
        depths.append(depth)
        position = money.start
    return depths


def describe_purpose(sentence: Sentence, start: int, end: int) -> str:
    """A short purpose: the words around an amount, without list markers and dangling punctuation."""
    text = re.sub(r"\s+", " ", sentence.text[start:end])
    text = re.sub(r"^[\s\-–+•*:;,.)]+|[\s\-–+:;,.(]+$", "", text)
    text = re.sub(r"^(?:\d+(?:\.\d+)*[.)]\s+|[a-zđ]\)\s*)", "", text)
    return text[:PURPOSE_MAX_CHARS].rstrip()


def build_nodes(
    parsed: ParsedDocument, sentence: Sentence, context: SectionContext, lead_in: Sentence | None = None
) -> list[Node]:
    """The amounts of one sentence as nodes (children of an in-sentence "trong đó" already linked).

    ``lead_in`` is the previous sentence of the same paragraph: it describes an amount that opens
    its sentence ("Tổng kinh phí dự kiến là;" / "6.400.000.000 đồng").
    """
    folded = sentence.folded
    amounts: list[Money] = find_money(folded)
    depths = paren_depths(folded, amounts)
    nodes: list[Node] = []
    lead_source = find_source(folded[: amounts[0].start]) if amounts else None  # "Từ nguồn ngân sách huyện, …"
    start = 0
    for i, money in enumerate(amounts):
        stop = amounts[i + 1].start if i + 1 < len(amounts) else len(folded)
        before, after = folded[start : money.start], folded[money.end : stop]
        purpose = describe_purpose(sentence, start, money.start)
        if i == 0 and lead_in is not None and len(purpose.split()) < PURPOSE_MIN_WORDS:
            before = f"{lead_in.folded} {before}"
            purpose = describe_purpose(lead_in, 0, len(lead_in.text))
        if len(purpose.split()) < PURPOSE_MIN_WORDS:
            purpose = describe_purpose(sentence, money.end, stop) or purpose
        words = IN_WORDS_RE.match(sentence.text, money.end)
        reading = read_source(before, after, words.end() - money.end if words else 0, depths[i] > 0)
        if reading.named is None and i and lead_source:  # "Từ nguồn …, đã chi 85 triệu đồng … và 312 triệu đồng"
            reading = replace(reading, named=lead_source)
        start = money.end + reading.resume
        if load_cue_pattern("budgets", "not_programme_money").search(before):
            continue  # "giá trị sản xuất … đạt 18.450 tỷ đồng", "doanh thu đạt 120 tỷ đồng"
        if (slash := PER_RE.match(after)) and load_cue_pattern("budgets", "per_unit_rate").match(after, slash.end()):
            continue  # "30 triệu đồng/sản phẩm": a rate
        dated = find_period_before(folded, money.start)
        period = dated or parsed.resolve_period(context)
        mode = parsed.resolve_mode(context, period)
        if depths[i]:  # an item in a parenthesis: only the words inside it
            kind, own_kind = find_kind(folded[folded.rfind("(", 0, money.start) : money.start], "", "", mode)
        else:
            kind, own_kind = find_kind(before, folded[: money.start], folded[amounts[-1].end :], mode)
        fact = BudgetFact(
            amount_vnd=money.amount_vnd,
            amount_text=re.sub(r"\s+", " ", sentence.text[money.start : money.end]),
            funding_source=(reading.named or "other"),  # type: ignore[arg-type]
            kind=kind,  # type: ignore[arg-type]
            period=period,
            purpose=purpose,
            provenance=parsed.make_provenance(sentence, certain=reading.named is not None),
        )
        node = Node(fact, measure_depth(sentence.marker), sentence, reading.source is not None, reading.opens)
        node.own_kind, node.dated, node.total_cue = own_kind, dated is not None, reading.total_cue
        node.announces = ":" in after
        node.paren_depth, node.paren_after = depths[i], bool(PARENTHESIS_AFTER_RE.match(folded, money.end))
        node.in_words = parse_money_words(words.group(1)) if words else None
        node.whole = reading.source is None and names_whole(before)
        node.pairs = reading.named is None and find_cued_kind(before) is not None  # "bố trí X, giải ngân Y"
        if node.pairs and nodes:
            node.partner = next((n for n in reversed(nodes) if n.paren_depth == node.paren_depth), None)
        nodes.append(node)
    link_parenthesised(nodes)
    parent: Node | None = None  # "Tổng 10 tỷ đồng, trong đó: tỉnh 6 tỷ đồng, lồng ghép 3 tỷ đồng": both items
    for node in nodes:
        if parent is not None and node.parent is None:
            parent.adopt(node)
        if node.opens_breakdown:
            parent = node
    return nodes


def link_parenthesised(nodes: list[Node]) -> None:
    """Attach to an amount the amounts of the parenthesis right after it, or right before it, when they add up
    to it ("4,275 tỷ đồng (ngân sách tỉnh 3,6 tỷ đồng; vốn Trung ương 0,675 tỷ đồng)", "Vốn ngân sách (tỉnh 0,9 tỷ
    đồng, huyện 0,45 tỷ đồng): 1,35 tỷ đồng")."""
    for i, node in enumerate(nodes):
        after = nodes[i + 1 :] if node.paren_after else []
        before = nodes[i - 1 :: -1] if i else []
        for neighbours in (after, before):
            items = []
            for item in neighbours:
                if item.paren_depth <= node.paren_depth or item.parent is not None:
                    break
                if item.paren_depth == node.paren_depth + 1:
                    items.append(item)
            if len(items) >= 2 and adds_up(node.fact.amount_vnd, [item.fact.amount_vnd for item in items]):
                for item in sorted(items, key=nodes.index):
                    node.adopt(item)


def link_breakdowns(parsed: ParsedDocument) -> list[Node]:
    """All amount nodes of the document in order, each breakdown item attached to its total."""
    nodes: list[Node] = []
    open_parents: list[Node] = []
    previous: Sentence | None = None
    for sentence, context in parsed.iter_annotated():
        depth = measure_depth(sentence.marker)
        same_block = previous is not None and previous.block == sentence.block
        lead_in = previous if same_block and not find_money(previous.folded) else None
        continued = same_block and previous.text.endswith(";")  # the next item of a ";" list
        prior, previous = previous, sentence
        sentence_nodes = build_nodes(parsed, sentence, context, lead_in)
        if not sentence_nodes:
            announces = load_cue_pattern("budgets", "breakdown").match(sentence.folded)
            if announces and nodes and nodes[-1].sentence.block == sentence.block:
                nodes[-1].opens_breakdown = True
                if nodes[-1] not in open_parents:
                    open_parents.append(nodes[-1])
                continue
            open_parents = [p for p in open_parents if p.depth < depth or p.sentence.block == sentence.block]
            continue
        first = sentence_nodes[0]
        if continued and nodes and nodes[-1].sentence == prior:
            carry_on(nodes[-1], sentence_nodes, nodes)
        last = next((n for n in reversed(nodes) if not n.paren_depth), None)  # the item before, not its parenthesis
        if continued and last is not None and last.parent in open_parents:
            first.depth = max(first.depth, last.depth)
        top = next(node for node in sentence_nodes if node.parent is None)  # not an item in a parenthesis
        open_parents = [p for p in open_parents if p.depth < top.depth]
        if open_parents and top not in open_parents[-1].children:
            open_parents[-1].adopt(top)
        open_parents.extend(n for n in sentence_nodes if n.opens_breakdown)
        nodes.extend(sentence_nodes)
    return nodes


def carry_on(last: Node, sentence_nodes: list[Node], nodes: list[Node]) -> None:
    """The amounts of a ";" item after one with amounts: those naming no period take the last one's ("… giai đoạn
    2021-2023 là 21,5 tỷ đồng; kết quả giải ngân … là 19,8 tỷ đồng"), and a first one naming only a kind pairs
    with the last top amount ("… phân bổ 9.860 triệu đồng; đã giải ngân 7.412 triệu đồng")."""
    for node in (n for n in sentence_nodes if not n.dated):
        node.fact = replace(node.fact, period=last.fact.period)
    if sentence_nodes[0].pairs:
        sentence_nodes[0].partner = next(
            n for n in reversed(nodes) if n.parent is None or n.parent.sentence != n.sentence
        )


def adds_up(total: int, parts: list[int]) -> bool:
    """Whether ``parts`` sum to ``total`` up to the rounding of figures written in tỷ."""
    return abs(sum(parts) - total) <= ROUNDING_VND * len(parts)


def link_by_sum(nodes: list[Node]) -> None:
    """Attach to an amount the deeper list items right after it that add up to it (a breakdown without "trong đó"),
    or, when the words after it announce a list ("… 2,35 tỷ đồng từ ngân sách huyện để: …"), the items of its
    paragraph."""
    linked = {id(child) for node in nodes for child in node.children}
    for i, node in enumerate(nodes):
        if node.children:
            continue
        items: list[Node] = []
        for later in nodes[i + 1 :]:
            previous_block = (items[-1] if items else node).sentence.block
            listed = node.announces and later.sentence.block == node.sentence.block
            if (later.depth <= node.depth and not listed) or later.sentence.block - previous_block > NEARBY_BLOCKS:
                break
            if id(later) in linked or (items and later.depth != items[0].depth):
                continue
            items.append(later)
            if len(items) >= 2 and adds_up(node.fact.amount_vnd, [item.fact.amount_vnd for item in items]):
                for item in items:
                    node.adopt(item)
                linked.update(id(item) for item in items)
                break


def settle_totals(nodes: list[Node]) -> None:
    """An amount broken down that names no source of its own before it, or a "Tổng" naming one source after it,
    is a "total" (its items take that one source)."""
    for node in nodes:
        if node.children and node.total_cue:  # "Tổng kinh phí 3.456 triệu đồng từ nguồn ngân sách huyện, gồm: …"
            node.passes_on = node.fact.funding_source
        if node.children and (node.total_cue or not node.own_source):
            node.fact = replace(node.fact, funding_source="total")


def settle_partners(nodes: list[Node]) -> None:
    """An amount paired with one of its clause ("bố trí X, giải ngân Y") takes that amount's source."""
    for node in nodes:
        if node.partner is not None:
            node.fact = replace(node.fact, funding_source=node.partner.fact.funding_source)


def inherit_from_parent(node: Node) -> None:
    """Give breakdown items that name no source their parent's source (not "total"), and those that no cue
    makes planned or spent their parent's kind."""
    source = node.passes_on or node.fact.funding_source
    for child in node.children:
        if not child.own_source and source != "total":
            child.fact = replace(child.fact, funding_source=source)
        if not child.own_kind:
            child.fact = replace(child.fact, kind=node.fact.kind)
        inherit_from_parent(child)


def settle_wholes(nodes: list[Node]) -> None:
    """The programme's money, or a year's share of it, that names no source and inherits none is a "total"."""
    for node in nodes:
        if node.whole and node.fact.funding_source == "other":
            node.fact = replace(node.fact, funding_source="total")


def check_in_words(node: Node) -> CheckRow | None:
    """A CheckRow when an amount's figures and its words disagree."""
    if node.in_words is None or node.in_words == node.fact.amount_vnd:
        return None
    figures = f"{node.fact.amount_vnd} != {node.in_words}"
    return CheckRow(node.fact.provenance.doc_id, "amount_in_words", figures, node.sentence.text)


def check_breakdown(node: Node) -> CheckRow | None:
    """A CheckRow when the items of a breakdown do not add up to its total."""
    if len(node.children) < 2:
        return None
    parts = [child.fact.amount_vnd for child in node.children]
    if adds_up(node.fact.amount_vnd, parts):
        return None
    figures = f"{node.fact.amount_vnd} != {' + '.join(map(str, parts))} = {sum(parts)}"
    return CheckRow(node.fact.provenance.doc_id, "breakdown_sum", figures, node.sentence.text)


def cell_source(header: str, row_source: str | None) -> str | None:
    """The source of a money table's cell: the one its column's folded header names ("Ngân sách tỉnh", "Vốn đối
    ứng"), else its row's; a sum column ("Tổng", "Tổng cộng", "Cộng") of a row that names none is the total."""
    column = find_source(header)
    if column is not None and column != "total":
        return column
    return row_source or ("total" if column == "total" or TOTAL_COLUMN_RE.match(header) else None)


def read_table_budgets(parsed: ParsedDocument, table: Table) -> list[BudgetFact]:
    """The amounts of a money table ("Đơn vị tính: triệu đồng"): one per row and amount column, paid by the source
    its column or its row names (`cell_source`: a "Nguồn vốn" cell, a label; "Tổng cộng" names the total)."""
    context = parsed.context_at(table.header_start)
    facts = []
    for row in table.rows:
        span = parsed.span_sentence(row.start, row.end)
        label = label_as_written(span.text, span.folded, row.label).strip(" ;,.:")
        row_source = find_source(row.source) or find_source(row.label)  # "Tổng cộng" is a "total" cue
        for value in row.values:
            source = cell_source(value.column.header, row_source)
            period = value.column.period or parsed.resolve_period(context)
            mode = parsed.resolve_mode(context, period)
            spent = value.column.role == "result" or (value.column.role is None and mode == "result")
            facts.append(
                BudgetFact(
                    amount_vnd=to_vnd(value.low, table.layout.money),
                    amount_text=f"{value.text} {UNIT_NAMES[table.layout.money]}",
                    funding_source=source or "other",  # type: ignore[arg-type]
                    kind="spent" if spent else "planned",
                    period=period,
                    purpose=label[:PURPOSE_MAX_CHARS],
                    provenance=parsed.make_provenance(span, source is not None),
                )
            )
    return facts


def extract_budgets(parsed: ParsedDocument) -> tuple[list[BudgetFact], list[CheckRow]]:
    """Every money amount of the document (sentences, then money tables), and the breakdowns that do not add up."""
    nodes = link_breakdowns(parsed)
    link_by_sum(nodes)
    settle_totals(nodes)
    children = {id(child) for node in nodes for child in node.children}
    for root in (node for node in nodes if id(node) not in children):
        inherit_from_parent(root)
    settle_wholes(nodes)
    settle_partners(nodes)
    checks = [check for node in nodes for check in (check_breakdown(node), check_in_words(node)) if check]
    facts = [node.fact for node in nodes]
    said = {restatement_key(fact) for fact in facts}
    tabled = [fact for table in parsed.tables if table.layout.money for fact in read_table_budgets(parsed, table)]
    return drop_restatements(facts + [fact for fact in tabled if restatement_key(fact) not in said]), checks


def restatement_key(fact: BudgetFact) -> tuple[object, ...]:
    """What a money table's row shares with the sentence it restates ("Tổng cộng | 8.600" after "Tổng kinh phí
    … là 8.600 triệu đồng"): the amount, source, kind and period."""
    return fact.amount_vnd, fact.funding_source, fact.kind, fact.period


def drop_restatements(facts: list[BudgetFact]) -> list[BudgetFact]:
    """The facts without a later restatement of an amount (same figure, source, kind, period and purpose)."""
    kept, seen = [], set()
    for fact in facts:
        key = (fact.amount_vnd, fact.funding_source, fact.kind, fact.period, fold(fact.purpose))
        if key not in seen:
            seen.add(key)
            kept.append(fact)
    return kept
