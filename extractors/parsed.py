"""A document split into sentences with their section contexts: what every extractor reads."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from extractors.facts import DocumentMeta
from extractors.folding import fold
from extractors.metadata import is_report
from extractors.sections import Mode, SectionContext, format_period, track_sections
from extractors.sentences import Sentence, split_sentences
from extractors.tables import Table, find_tables, table_ends
from pipeline.records import DocumentText, Provenance

DEFAULT_RULE = 0.9  # confidence factor of a fact labelled by a default (no cue for its source, status or goal)


@dataclass(frozen=True)
class ParsedDocument:
    """The restored document, its sentences, their contexts and the plan's own period."""

    doc: DocumentText
    sentences: list[Sentence]
    contexts: list[SectionContext]
    period: str | None  # the plan's period ("2021" or "2021-2025"), the fallback for every fact
    tables: list[Table]  # tables of counted values, read row by row instead of as sentences
    reports: bool = False  # a report of results ("BÁO CÁO"): its period is that of its results too

    @classmethod
    def parse(cls, doc: DocumentText, meta: DocumentMeta) -> ParsedDocument:
        """Split ``doc`` into sentences, track their sections and find its tables."""
        tables = find_tables(doc.text)
        sentences = split_sentences(doc.text, table_ends(doc.text, tables))
        period = format_period(str(meta.period_start), str(meta.period_end)) if meta.period_start else None
        reports = is_report(doc.text, meta)
        return cls(doc, sentences, track_sections(sentences, reports), period, tables, reports)

    @property
    def plan_start(self) -> int | None:
        """The first year of the plan's period."""
        return int(self.period[:4]) if self.period else None

    def in_table(self, position: int, with_notes: bool = True) -> bool:
        """Whether ``position`` of the text lies in a row of one of the tables (its remarks cell too, unless
        ``with_notes`` is False: "Có 02 sản phẩm 4 sao" there is a count but sets no goal)."""
        rows = (row for table in self.tables for row in table.rows)
        return any(row.start <= position < row.end if with_notes else row.holds(position) for row in rows)

    @cached_property
    def sentence_starts(self) -> list[int]:
        """Where each sentence starts, in order."""
        return [sentence.start for sentence in self.sentences]

    def context_at(self, position: int) -> SectionContext:
        """The section context of the sentence at ``position``."""
        return self.contexts[max(0, bisect.bisect_right(self.sentence_starts, position) - 1)]

    def span_sentence(self, start: int, end: int) -> Sentence:
        """The text from ``start`` to ``end`` (a table row) as a sentence, for provenance."""
        text = self.doc.text[start:end]
        return Sentence(start, end, text, fold(text))

    def iter_annotated(self) -> Iterator[tuple[Sentence, SectionContext]]:
        """Every sentence with its context; headings too, since a short numbered goal looks like one."""
        yield from zip(self.sentences, self.contexts, strict=True)

    def resolve_period(self, context: SectionContext) -> str | None:
        """The period of a fact whose sentence names none: its section's, else the plan's (for results only in a
        report)."""
        return context.period or (None if context.mode == "result" and not self.reports else self.period)

    def resolve_mode(self, context: SectionContext, period: str | None) -> Mode | None:
        """Whether a fact of ``period`` in a section reports results or plans: the section's mode; in a report, a
        section that says neither reports results for the report's own period and before ("BÁO CÁO … năm 2023" /
        "3. Kinh phí thực hiện")."""
        if context.mode or not self.reports or self.period is None:
            return context.mode
        return "result" if period is None or period[:4] <= self.period[-4:] else None

    def make_provenance(self, sentence: Sentence, certain: bool = True) -> Provenance:
        """Where a fact found in ``sentence`` came from; its confidence is the OCR and restoration confidence of
        the sentence, lowered when a rule fell back to a default (``certain=False``)."""
        raw_start, raw_end = self.doc.raw_span(sentence.start, sentence.end)
        return Provenance(
            doc_id=self.doc.doc_id,
            page=self.doc.page_at(sentence.start),
            char_start=sentence.start,
            char_end=sentence.end,
            text=sentence.text,
            raw_text=self.doc.raw_text[raw_start:raw_end],
            confidence=round(self.doc.confidence(sentence.start, sentence.end) * (1.0 if certain else DEFAULT_RULE), 4),
        )
