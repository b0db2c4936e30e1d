"""Track the section each sentence sits in: results or plans, which period, target headings, footnotes.

Headings ("I. KẾT QUẢ THỰC HIỆN NĂM 2020", "2.2. Mục tiêu cụ thể", "KINH PHÍ") open a section at their
level; a deeper heading refines its parent, and a weak result cue ("đánh giá") does not turn a sub-heading of
a planning section into results. A footnote ("³ Trong đó: ...") takes the context of the sentence that calls it.
A paragraph that opens with a period ("+ Năm 2020: ...", or "Phấn đấu đến năm 2025, ...;" before ";" items)
passes it to the rest of the paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from extractors.lines import (
    LETTER_MARKER_RE,
    ROMAN_MARKER_RE,
    SUPERSCRIPTS,
    is_caps_heading,
    is_heading_line,
)
from extractors.patterns import load_cue_pattern
from extractors.sentences import Sentence

Mode = Literal["result", "plan"]
YEAR = r"(?:19[89]\d|20[0-4]\d)"
# "năm 2020", "giai đoạn 2021-2025", "năm 2019-2020" (OCR: "nim", "ndam"); a date's "tháng 4 năm 2021" is excluded.
# Also a bare range in parentheses: "Sau 04 năm triển khai (2020 - 2023)".
BARE_RANGE = rf"\(\s*(?={YEAR}\s*[-–]\s*{YEAR}\s*\))"
PERIOD_RE = re.compile(
    rf"(?<!thang\s\d\s)(?<!thang\s\d\d\s)(?:(?:\bn[a-z]{{0,2}}m|giai\s+doan|den\s+nam)\s*:?\s+(?:tu\s+)?|{BARE_RANGE})"
    rf"({YEAR})(?:\s*(?:-|–|—|den(?:\s+het)?)\s*(?:nam\s+)?({YEAR}))?\b"
)
CLOSED_PARENTHESIS_RE = re.compile(rf"\((?!\s*{YEAR}\s*[-–]\s*{YEAR}\s*\))[^()]*\)")  # not a period "(2020 - 2022)"
LETTER_LEVEL = 9  # below any numbered heading
LEAD_LEVEL = 10  # a short line announcing a list ("Nhiệm vụ trọng tâm năm 2024:"): below any heading
LEAD_LINE_RE = re.compile(r"[^\W\d][^\n:;.]{0,60}?(?:\s(?:19|20)\d\d)?\s*:")
OPENING_WORDS = 6  # a clause this short that names a period sets the period of what follows
_NUMERIC_LEVEL_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s")
_FOOTNOTE_CALL_RE = re.compile(rf"(?<=\w)([{SUPERSCRIPTS}]+)")


@dataclass(frozen=True)
class SectionContext:
    """What a sentence's section says about it."""

    mode: Mode | None = None
    period: str | None = None
    is_target: bool = False
    is_heading: bool = False
    caller: Sentence | None = None  # for a footnote, the sentence that calls it


def format_period(first: str, last: str | None) -> str:
    """A period as written in the tables: "2021" or "2021-2025"."""
    return f"{first}-{last}" if last and last != first else first


def find_periods(folded: str) -> list[tuple[int, str]]:
    """(offset, period) of every year mention ("năm 2020", "giai đoạn 2021-2025") in folded text."""
    return [(m.start(), format_period(m.group(1), m.group(2))) for m in PERIOD_RE.finditer(folded)]


def blank_closed_parentheses(text: str) -> str:
    """``text`` with every closed parenthesis, nested ones too, blanked out (same length)."""
    while (blanked := CLOSED_PARENTHESIS_RE.sub(lambda m: " " * len(m.group()), text)) != text:
        text = blanked
    return text


def find_period_before(folded: str, offset: int) -> str | None:
    """The last period mentioned before ``offset`` in a folded sentence, outside parentheses closed before it
    ("Giai đoạn 2019-2022, có 186 sản phẩm (năm 2019: 24 …; năm 2022: 66 sản phẩm), kết quả 158 sản phẩm")."""
    found = [period for _, period in find_periods(blank_closed_parentheses(folded[:offset]))]
    return found[-1] if found else None


def reports_past(folded: str, position: int, plan_start: int | None) -> bool:
    """Whether the words before ``position`` (its clause, or its sentence's opening clause) date it before the
    plan ("Đến hết năm 2022, huyện có 06 sản phẩm", "(năm 2023 đạt 78,6%)"), with no goal cue in the sentence."""
    if plan_start is None or load_cue_pattern("targets", "strict_cues").search(folded):
        return False
    before = folded[:position]
    clause, opening = re.split(r"[,;:()]", before)[-1], re.match(r"[^,:;]*", before.lstrip("-+•* ")).group()
    years = [int(p[-4:]) for text in (clause, opening) for _, p in find_periods(text)]
    return bool(years) and max(years) < plan_start


def find_leading_period(sentence: Sentence) -> str | None:
    """The period a sentence opens with ("+ Năm 2020: ...", "Giai đoạn 2018-2020, ...")."""
    body = sentence.folded[len(sentence.marker) :].lstrip()
    found = PERIOD_RE.match(body)
    return format_period(found.group(1), found.group(2)) if found else None


def find_opening_period(sentence: Sentence) -> str | None:
    """The period named in a sentence's short opening clause ("Phấn đấu đến năm 2025, ...", "Năm 2022: ...")."""
    body = sentence.folded[len(sentence.marker) :]
    clause = re.match(r"[^,:;]*", body).group()
    if len(clause.split()) > OPENING_WORDS:
        return None
    periods = find_periods(clause)
    return periods[-1][1] if periods else None


def detect_heading_level(sentence: Sentence) -> int | None:
    """1 for roman-numbered or capitalised headings, 2+ for "1.", "2.1." ..., 9 for "a)", 10 for a short line
    announcing a list ("Nhiệm vụ trọng tâm năm 2024:"); None otherwise."""
    if not is_heading_line(sentence.text):
        return LEAD_LEVEL if LEAD_LINE_RE.fullmatch(sentence.text) else None
    if ROMAN_MARKER_RE.match(sentence.text) or is_caps_heading(sentence.text):
        return 1
    if LETTER_MARKER_RE.match(sentence.text):
        return LETTER_LEVEL
    numbered = _NUMERIC_LEVEL_RE.match(sentence.text)
    return numbered.group(1).count(".") + 2 if numbered else None


def classify_heading(folded: str, parent_mode: Mode | None = None) -> tuple[Mode | None, bool]:
    """The mode a heading announces and whether it heads goals; ``parent_mode`` is that of the headings above."""
    if load_cue_pattern("sections", "result").search(folded):
        return "result", False
    if parent_mode != "plan" and load_cue_pattern("sections", "result_weak").search(folded):
        return "result", False
    plan = load_cue_pattern("sections", "plan").search(folded)
    if plan or (parent_mode != "result" and load_cue_pattern("sections", "plan_weak").search(folded)):
        return "plan", bool(load_cue_pattern("sections", "target").search(folded))
    return None, False


def _merge_levels(levels: dict[int, SectionContext]) -> SectionContext:
    """The context of the open headings, a deeper one refining the shallower ones."""
    context = SectionContext()
    for level in sorted(levels):
        own = levels[level]
        context = SectionContext(
            mode=own.mode or context.mode,
            period=own.period or context.period,
            is_target=own.is_target if own.mode else context.is_target,
        )
    return context


def track_sections(sentences: list[Sentence], report: bool = False) -> list[SectionContext]:
    """The section context of every sentence, in order. In a ``report`` of results, a top heading with only a weak
    plan cue ("3. Kinh phí thực hiện") reports results, as it would under a results heading."""
    levels: dict[int, SectionContext] = {}
    calls: dict[str, SectionContext] = {}
    contexts: list[SectionContext] = []
    footnote: tuple[int, SectionContext] | None = None  # (block, context) of the footnote being read
    lead: tuple[int, str] | None = None  # (block, period) of a list item opening with "Năm 2020: ..."
    for sentence in sentences:
        level = detect_heading_level(sentence)
        if level is not None:
            levels = {k: v for k, v in levels.items() if k < level}
            mode, is_target = classify_heading(
                sentence.folded, _merge_levels(levels).mode or ("result" if report else None)
            )
            periods = find_periods(sentence.folded)
            levels[level] = SectionContext(mode, periods[-1][1] if periods else None, is_target)
            contexts.append(replace(_merge_levels(levels), is_heading=True))
            continue
        context = _merge_levels(levels)
        marker = re.match(rf"[{SUPERSCRIPTS}]+", sentence.text)
        if marker and marker.group() in calls:
            footnote = (sentence.block, calls[marker.group()])
        if footnote is not None and footnote[0] == sentence.block:
            context = footnote[1]
        if lead is None or lead[0] != sentence.block:
            opening = find_leading_period(sentence)
            lead = (sentence.block, opening) if opening else None
        if lead is not None:
            context = replace(context, period=lead[1])
        elif sentence.text.endswith(";") and (opening := find_opening_period(sentence)):
            lead = (sentence.block, opening)  # the ";" items after "Phấn đấu đến năm 2025, ...;" take its period
        for call in _FOOTNOTE_CALL_RE.findall(sentence.text):
            period = find_period_before(sentence.folded, len(sentence.folded)) or context.period
            calls[call] = replace(context, period=period, caller=sentence)
        contexts.append(context)
    return contexts
