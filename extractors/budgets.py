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
from extractors.sections import SectionContext, find_period_before
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
    own_source: bool
    opens_breakdown: bool
    in_words: int | None = None  # the amount as also written in words, when it is
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


def find_kind(folded: str, context: SectionContext) -> str:
    """planned or spent: a cue in the sentence, else the section's mode (planned when unknown)."""
    if load_cue_pattern("budgets", "planned").search(folded):
        return "planned"
    if load_cue_pattern("budgets", "spent").search(folded) or context.mode == "result":
        return "spent"
    return "planned"


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
    nodes: list[Node] = []
    for i, money in enumerate(amounts):
        start = amounts[i - 1].end if i else 0
        stop = amounts[i + 1].start if i + 1 < len(amounts) else len(folded)
        before, after = folded[start : money.start], folded[money.end : stop]
        purpose = describe_purpose(sentence, start, money.start)
        if i == 0 and lead_in is not None and len(purpose.split()) < PURPOSE_MIN_WORDS:
            before = f"{lead_in.folded} {before}"
            purpose = describe_purpose(lead_in, 0, len(lead_in.text))
        if len(purpose.split()) < PURPOSE_MIN_WORDS:
            purpose = describe_purpose(sentence, money.end, stop) or purpose
        source = find_source(before)
        named = source or find_source(after)
        fact = BudgetFact(
            amount_vnd=money.amount_vnd,
            amount_text=re.sub(r"\s+", " ", sentence.text[money.start : money.end]),
            funding_source=(named or "other"),  # type: ignore[arg-type]
            kind=find_kind(folded, context),  # type: ignore[arg-type]
            period=find_period_before(folded, money.start) or parsed.resolve_period(context),
            purpose=purpose,
            provenance=parsed.make_provenance(sentence, certain=named is not None),
        )
        opens = bool(load_cue_pattern("budgets", "breakdown").search(after))
        words = IN_WORDS_RE.match(sentence.text, money.end)
        in_words = parse_money_words(words.group(1)) if words else None
        nodes.append(Node(fact, measure_depth(sentence.marker), sentence, source is not None, opens, in_words))
    parent: Node | None = None  # "Tổng 10 tỷ đồng, trong đó: tỉnh 6 tỷ đồng, lồng ghép 3 tỷ đồng": both items
    for node in nodes:
        if parent is not None:
            parent.adopt(node)
        if node.opens_breakdown:
            parent = node
    return nodes


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
        if continued and nodes and nodes[-1].parent in open_parents:
            first.depth = max(first.depth, nodes[-1].depth)
        open_parents = [p for p in open_parents if p.depth < first.depth]
        if open_parents and first not in open_parents[-1].children:
            open_parents[-1].adopt(first)
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


def inherit_sources(node: Node) -> None:
    """Give breakdown items that name no source their parent's source (not "total")."""
    for child in node.children:
        if not child.own_source and node.fact.funding_source != "total":
            child.fact = replace(child.fact, funding_source=node.fact.funding_source)
        inherit_sources(child)


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
    children = {id(child) for node in nodes for child in node.children}
    for root in (node for node in nodes if id(node) not in children):
        inherit_sources(root)
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
