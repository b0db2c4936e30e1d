"""Evaluation material and scoring for the diacritic restorer (bench only, never training)."""

from __future__ import annotations

import csv
import difflib
import gzip
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from diacritics import Restoration
from diacritics.build import is_held_out
from diacritics.place_words import plain_admin_name
from diacritics.syllables import normalize_tone, strip_marks
from diacritics.tokens import LETTER_RUN_RE

SEEDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"
CLEAN_SEED = "dong-thap_2021-2025_ke-hoach-ocop.txt"
DEV_TSVS = tuple(sorted((Path(__file__).resolve().parent / "data" / "restore_dev").glob("*.tsv")))  # hand-checked
SYNTH_TSVS = tuple(
    Path(__file__).resolve().parent / "data" / f"synth_{name}.tsv"
    for name in ("eng_heldout", "vie_heldout", "eng_amounts")
)


@dataclass(frozen=True)
class LinePairs:
    """Input lines and their gold restorations, in order."""

    name: str
    inputs: list[str]
    golds: list[str | None]  # None: a line given as context only, not scored
    separator: str = "\n"  # how lines are joined for restoration: "\n\n" keeps paragraphs apart
    vie_ocr: bool = False  # restored as text read by Tesseract `vie` (`Restorer.restore`'s hint)
    page_lines: int = 0  # > 0: cut into pages of this many lines and restored as a paged document by the pipeline


@dataclass
class Score:
    """Syllables counted correct out of the gold syllables, and how many of those are in the gold's case too."""

    correct: int = 0
    total: int = 0
    cased: int = 0

    def add(self, hyp: str, gold: str) -> None:
        """Score one hypothesis line against its gold line."""
        gold_words, hyp_words = LETTER_RUN_RE.findall(gold), LETTER_RUN_RE.findall(hyp)
        for a, b in matched_runs(hyp_words, gold_words):
            self.correct += 1
            self.cased += _case_pattern(gold_words[a]) == _case_pattern(hyp_words[b])
        self.total += len(gold_words)

    @property
    def accuracy(self) -> float:
        """Fraction correct (0 when nothing was scored)."""
        return self.correct / self.total if self.total else 0.0

    @property
    def cased_accuracy(self) -> float:
        """Fraction correct in the gold's case too (UPPER, Title, lower)."""
        return self.cased / self.total if self.total else 0.0


def aligned_runs(hyp_words: list[str], gold_words: list[str]) -> list[tuple[int, int]]:
    """(gold index, hypothesis index) of the letter runs that stand for each other: aligned on their unmarked forms
    (lower case, modern tone placement), and, where a stretch differs, run for run if it has as many on each side
    (Mặt for Mít)."""
    matcher = difflib.SequenceMatcher(
        None,
        [strip_marks(normalize_tone(w.lower())) for w in gold_words],
        [strip_marks(normalize_tone(w.lower())) for w in hyp_words],
        autojunk=False,
    )
    return [
        pair
        for tag, a0, a1, b0, b1 in matcher.get_opcodes()
        if tag == "equal" or (tag == "replace" and a1 - a0 == b1 - b0)
        for pair in zip(range(a0, a1), range(b0, b1), strict=True)
    ]


def matched_runs(hyp_words: list[str], gold_words: list[str]) -> list[tuple[int, int]]:
    """(gold index, hypothesis index) of the letter runs restored right: aligned (`aligned_runs`) and equal in lower
    case and modern tone placement."""
    return [
        (a, b)
        for a, b in aligned_runs(hyp_words, gold_words)
        if normalize_tone(gold_words[a].lower()) == normalize_tone(hyp_words[b].lower())
    ]


def _gold_runs(restoration: Restoration, pairs: LinePairs) -> dict[int, tuple[str | None, bool]]:
    """Per letter run of the output on a gold line, by its output offset: the gold run aligned with it (None: none)
    and whether it is wrong (as `Score` counts)."""
    by_offset: dict[int, tuple[str | None, bool]] = {}
    offset = 0
    for line, gold in zip(restoration.text.split(pairs.separator), pairs.golds, strict=True):
        if gold is not None:
            runs, gold_words = list(LETTER_RUN_RE.finditer(line)), LETTER_RUN_RE.findall(gold)
            hyp_words = [m.group() for m in runs]
            aligned = {b: gold_words[a] for a, b in aligned_runs(hyp_words, gold_words)}
            right = {b for _, b in matched_runs(hyp_words, gold_words)}
            by_offset.update((offset + m.start(), (aligned.get(k), k not in right)) for k, m in enumerate(runs))
        offset += len(line) + len(pairs.separator)
    return by_offset


def token_labels(restoration: Restoration, pairs: LinePairs) -> tuple[list[bool | None], list[str | None]]:
    """Per restored token of ``pairs`` restored as one text: whether any of its letter runs is wrong (as `Score`
    counts; None where its line has no gold or it has no letters), and the gold word it stands for (where the token
    is a single letter run on a gold line aligned with one, see `aligned_runs`; else None)."""
    by_offset = _gold_runs(restoration, pairs)
    errors: list[bool | None] = []
    golds: list[str | None] = []
    for tok in restoration.tokens:
        runs = list(LETTER_RUN_RE.finditer(restoration.text, tok.out_start, tok.out_end))
        wrong = [by_offset[m.start()][1] for m in runs if m.start() in by_offset]
        errors.append(any(wrong) if wrong else None)
        single = len(runs) == 1 and runs[0].span() == (tok.out_start, tok.out_end)
        golds.append(by_offset.get(runs[0].start(), (None, False))[0] if single else None)
    return errors, golds


def token_errors(restoration: Restoration, pairs: LinePairs) -> list[bool | None]:
    """Per restored token: whether it is wrong (see `token_labels`)."""
    return token_labels(restoration, pairs)[0]


def _case_pattern(word: str) -> tuple[bool, ...]:
    """Which letters of a word are capitals (tone placement moves marks, never letters or their case)."""
    return tuple(c.isupper() for c in word)


def read_tsv_rows(path: Path) -> list[dict[str, str]]:
    """The rows of an eval TSV (line_no, ocr, gold), gold in NFC."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [{**r, "gold": unicodedata.normalize("NFC", r["gold"])} for r in rows]


def read_tsv_pairs(path: Path) -> LinePairs:
    """An eval TSV as input/gold lines."""
    rows = read_tsv_rows(path)
    return LinePairs(path.stem, [r["ocr"] for r in rows], [r["gold"] for r in rows])


def read_tsv_in_document(path: Path, seeds_dir: Path = SEEDS_DIR) -> LinePairs | None:
    """An eval TSV's lines inside the whole seed file they come from, which is restored as one text, as the pipeline
    restores a document; the seed's other lines have no gold and are not scored. None when the seed is missing."""
    seed = seeds_dir / f"{path.stem}.txt"
    if not seed.exists():
        return None
    lines = seed.read_text(encoding="utf-8").split("\n")
    golds: list[str | None] = [None] * len(lines)
    for row in read_tsv_rows(path):
        at = int(row["line_no"]) - 1
        if lines[at] != row["ocr"]:
            raise ValueError(f"{path.name}: line {at + 1} is not the seed's line {at + 1}")
        golds[at] = row["gold"]
    return LinePairs(f"{path.stem}-in-document", lines, golds)


def read_held_out(corpus: Path, limit: int = 500, min_words: int = 5) -> list[str]:
    """The first ``limit`` held-out corpus paragraphs of at least ``min_words`` words."""
    out: list[str] = []
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            if line and is_held_out(line) and len(line.split()) >= min_words:
                out.append(unicodedata.normalize("NFC", line))
                if len(out) == limit:
                    break
    return out


def read_clean_seed() -> list[str]:
    """Non-empty lines of the clean, accented seed plan (test data)."""
    text = (SEEDS_DIR / CLEAN_SEED).read_text(encoding="utf-8")
    return [unicodedata.normalize("NFC", line) for line in text.splitlines() if line.strip()]


def read_admin_lines() -> list[str]:
    """Three lines a plan writes about each district of `vietnamadminunits` (units before the 2025 reform): its
    header (HUYỆN LONG MỸ), a list item (- Huyện Long Mỹ: 05 sản phẩm;) and a clause (Ủy ban nhân dân huyện Long Mỹ,
    tỉnh Hậu Giang; thành phố for the five cities run by the centre). A name that holds its unit (Quận 1) is not given
    it twice. The names are in the model's lexicon: the set measures how the decoder joins a unit type and a name at
    the start of a line, as a district plan's headers and lists do."""
    from vietnamadminunits.database.main import query

    rows = query("select distinct province, provinceShort, districtShort, districtType from admin_units_legacy")
    lines: list[str] = []
    for row in sorted(rows, key=lambda r: (r["provinceShort"], r["districtShort"], r["districtType"])):
        unit, name, province = row["districtType"], plain_admin_name(row["districtShort"]), row["provinceShort"]
        typed = name if name.startswith(f"{unit} ") else f"{unit} {name}"
        in_clause = name if typed == name else f"{unit.lower()} {name}"
        province_type = row["province"].removesuffix(province).strip().lower()
        lines += [
            typed.upper(),
            f"- {typed}: 05 sản phẩm;",
            f"Ủy ban nhân dân {in_clause}, {province_type} {province}",
        ]
    return list(dict.fromkeys(lines))


def stripped_pairs(name: str, lines: list[str], separator: str = "\n") -> LinePairs:
    """Lines with every mark removed, to be restored to themselves."""
    return LinePairs(name, [strip_marks(line) for line in lines], lines, separator)


def identity_pairs(name: str, lines: list[str], separator: str = "\n") -> LinePairs:
    """Correct lines that restoration should leave unchanged."""
    return LinePairs(name, lines, lines, separator)
