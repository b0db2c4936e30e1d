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
from extractors.numbers import Money, find_money, parse_money_words
from extractors.parsed import ParsedDocument
from extractors.patterns import load_cue_pattern, load_cue_table
from extractors.quantities import find_clause_before
from extractors.sections import PERIOD_RE, SectionContext, find_period_before, find_periods
from extractors.sentences import Sentence

MARKER_DEPTH = {"": 0, "-": 3, "–": 3, "—": 3, "•": 3, "+": 4, "*": 4, "~": 4}
NEARBY_BLOCKS = 3  # items of a breakdown found by its sum lie within this many paragraphs of each other
PURPOSE_MAX_CHARS = 160
PURPOSE_MIN_WORDS = 3
ROUNDING_VND = 1_000_000  # per item: breakdowns written in "tỷ" with three decimals round to a million
IN_WORDS_RE = re.compile(r"\s*\(([^()\d]{3,120})\)")  # "6.400.000.000 đồng (Sáu tỷ bốn trăm triệu đồng)"


@dataclass
class Node:
    """A budget fact being built, with the breakdown it announces."""

    fact: BudgetFact
    depth: int
    sentence: Sentence
    own_source: bool  # named before the amount, or by "từ nguồn …" right after it
    opens_breakdown: bool
    own_kind: bool = True  # planned/spent read from a cue, not from the section
    in_words: int | None = None  # the amount as also written in words, when it is
    partner: Node | None = None  # the amount of the same clause it pairs with ("bố trí X, giải ngân Y")
    pairs: bool = False  # it names no source but a kind: it pairs with the amount before it in its clause
    per_period: bool = False  # its clause names only a year ("năm 2022 là 5 tỷ đồng"): a year's share of the whole
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
                return label, named.end()
    return None


def find_own_source(before: str, inside_parenthesis: bool) -> str | None:
    """The source named before an amount; inside a parenthesis, the one named after "(" first
    ("Vốn ngân sách nhà nước (ngân sách tỉnh 0,9 tỷ đồng")."""
    opened = before.rfind("(")
    if inside_parenthesis and opened != -1 and ")" not in before[opened:]:
        return find_source(before[opened:]) or find_source(before)
    return find_source(before)


def names_only_period(before: str) -> bool:
    """Whether the clause before an amount names nothing but a period ("; năm 2022 là", "năm 2024 bố trí"):
    a year's share of the whole."""
    _, clause = find_clause_before(before, len(before))
    if not find_periods(clause):
        return False
    for pattern in (PERIOD_RE, *(load_cue_pattern("budgets", key) for key in ("planned", "spent", "period_filler"))):
        clause = pattern.sub(" ", clause)
    return not re.search(r"[a-z0-9]", clause)


def find_cued_kind(folded: str) -> str | None:
    """planned or spent when a cue in ``folded`` says which (planned first)."""
    for kind in ("planned", "spent"):
        if load_cue_pattern("budgets", kind).search(folded):
            return kind
    return None


def find_kind(before: str, earlier: str, tail: str, context: SectionContext) -> tuple[str, bool]:
    """planned or spent, and whether a cue said so: a cue between the amount and the one before it, else one
    earlier in the sentence, else one after its last amount, else the section's mode (planned when unknown)."""
    kind = find_cued_kind(before) or find_cued_kind(earlier) or find_cued_kind(tail)
    if kind:
        return kind, True
    return ("spent" if context.mode == "result" else "planned"), False


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
        source = find_own_source(before, depths[i] > 0)
        named_after = find_source_from(after)
        if source in (None, "total") and named_after:
            source = named_after[0]
        kind, own_kind = find_kind(before, folded[: money.start], folded[amounts[-1].end :], context)
        named = source or find_source(after)
        partner = None
        pairs = named is None and find_cued_kind(before) is not None  # "bố trí 2.400 triệu đồng, giải ngân 2.385"
        if pairs and i:
            partner = next((n for n, d in zip(nodes[::-1], depths[i - 1 :: -1], strict=True) if d == depths[i]), None)
        fact = BudgetFact(
            amount_vnd=money.amount_vnd,
            amount_text=re.sub(r"\s+", " ", sentence.text[money.start : money.end]),
            funding_source=(named or "other"),  # type: ignore[arg-type]
            kind=kind,  # type: ignore[arg-type]
            period=find_period_before(folded, money.start) or parsed.resolve_period(context),
            purpose=purpose,
            provenance=parsed.make_provenance(sentence, certain=named is not None),
        )
        opens = bool(load_cue_pattern("budgets", "breakdown").search(after))
        words = IN_WORDS_RE.match(sentence.text, money.end)
        in_words = parse_money_words(words.group(1)) if words else None
        depth = measure_depth(sentence.marker)
        nodes.append(Node(fact, depth, sentence, source is not None, opens, own_kind, in_words, partner))
        nodes[-1].per_period = source is None and names_only_period(before)
        nodes[-1].pairs = pairs
        start = money.end + (named_after[1] if named_after else 0)  # "… từ ngân sách huyện và 200 triệu đồng …"
    link_parenthesised(nodes, depths, [bool(re.match(r"\s*\(", folded[m.end :])) for m in amounts])
    parent: Node | None = None  # "Tổng 10 tỷ đồng, trong đó: tỉnh 6 tỷ đồng, lồng ghép 3 tỷ đồng": both items
    for node in nodes:
        if parent is not None and node.parent is None:
            parent.adopt(node)
        if node.opens_breakdown:
            parent = node
    return nodes


def link_parenthesised(nodes: list[Node], depths: list[int], parenthesised: list[bool]) -> None:
    """Attach to an amount the amounts of the parenthesis right after it, or right before it, when they add up
    to it ("4,275 tỷ đồng (ngân sách tỉnh 3,6 tỷ đồng; vốn Trung ương 0,675 tỷ đồng)", "Vốn ngân sách (tỉnh 0,9 tỷ
    đồng, huyện 0,45 tỷ đồng): 1,35 tỷ đồng")."""
    for i, node in enumerate(nodes):
        after = list(zip(nodes[i + 1 :], depths[i + 1 :], strict=True)) if parenthesised[i] else []
        before = list(zip(nodes[i - 1 :: -1], depths[i - 1 :: -1], strict=True)) if i else []
        for neighbours in (after, before):
            items = []
            for item, depth in neighbours:
                if depth <= depths[i] or item.parent is not None:
                    break
                if depth == depths[i] + 1:
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
        previous = sentence
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
        if continued and nodes and first.pairs:  # "… phân bổ 9.860 triệu đồng; đã giải ngân 7.412 triệu đồng"
            first.partner = next(n for n in reversed(nodes) if n.parent is None or n.parent.sentence != n.sentence)
        if continued and nodes and nodes[-1].parent in open_parents:
            first.depth = max(first.depth, nodes[-1].depth)
        top = next(node for node in sentence_nodes if node.parent is None)  # not an item in a parenthesis
        open_parents = [p for p in open_parents if p.depth < top.depth]
        if open_parents and top not in open_parents[-1].children:
            open_parents[-1].adopt(top)
        open_parents.extend(n for n in sentence_nodes if n.opens_breakdown)
        nodes.extend(sentence_nodes)
    return nodes


def adds_up(total: int, parts: list[int]) -> bool:
    """Whether ``parts`` sum to ``total`` up to the rounding of figures written in tỷ."""
    return abs(sum(parts) - total) <= ROUNDING_VND * len(parts)


def link_by_sum(nodes: list[Node]) -> None:
    """Attach to an amount the deeper list items right after it that add up to it (a breakdown without "trong đó")."""
    linked = {id(child) for node in nodes for child in node.children}
    for i, node in enumerate(nodes):
        if node.children:
            continue
        items: list[Node] = []
        for later in nodes[i + 1 :]:
            previous_block = (items[-1] if items else node).sentence.block
            if later.depth <= node.depth or later.sentence.block - previous_block > NEARBY_BLOCKS:
                break
            if id(later) in linked or (items and later.depth != items[0].depth):
                continue
            items.append(later)
            if len(items) >= 2 and adds_up(node.fact.amount_vnd, [item.fact.amount_vnd for item in items]):
                for item in items:
                    node.adopt(item)
                linked.update(id(item) for item in items)
                break


def settle_sources(nodes: list[Node]) -> None:
    """An amount broken down that names no source of its own before it is a "total"; one paired with an amount
    of its clause ("bố trí X, giải ngân Y") takes that amount's source."""
    for node in nodes:
        if node.children and not node.own_source:
            node.fact = replace(node.fact, funding_source="total")
    for node in nodes:
        if node.partner is not None:
            node.fact = replace(node.fact, funding_source=node.partner.fact.funding_source)
            node.own_source = True


def inherit_from_parent(node: Node) -> None:
    """Give breakdown items that name no source their parent's source (not "total"), and those that no cue
    makes planned or spent their parent's kind."""
    for child in node.children:
        if not child.own_source and node.fact.funding_source != "total":
            child.fact = replace(child.fact, funding_source=node.fact.funding_source)
        if not child.own_kind:
            child.fact = replace(child.fact, kind=node.fact.kind)
        inherit_from_parent(child)


def settle_year_shares(nodes: list[Node]) -> None:
    """A year's share that names no source and inherits none is the whole programme's money: "total"."""
    for node in nodes:
        if node.per_period and node.fact.funding_source == "other":
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


def extract_budgets(parsed: ParsedDocument) -> tuple[list[BudgetFact], list[CheckRow]]:
    """Every money amount of the document, and the breakdowns that do not add up."""
    nodes = link_breakdowns(parsed)
    link_by_sum(nodes)
    settle_sources(nodes)
    children = {id(child) for node in nodes for child in node.children}
    for root in (node for node in nodes if id(node) not in children):
        inherit_from_parent(root)
    settle_year_shares(nodes)
    checks = [check for node in nodes for check in (check_breakdown(node), check_in_words(node)) if check]
    return drop_restatements([node.fact for node in nodes]), checks


def drop_restatements(facts: list[BudgetFact]) -> list[BudgetFact]:
    """The facts without a later restatement of an amount (same figure, source, kind, period and purpose)."""
    kept, seen = [], set()
    for fact in facts:
        key = (fact.amount_vnd, fact.funding_source, fact.kind, fact.period, fold(fact.purpose))
        if key not in seen:
            seen.add(key)
            kept.append(fact)
    return kept
