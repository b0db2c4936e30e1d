"""Restore Vietnamese diacritics in OCR or unmarked text with a noisy-channel decoder."""

from __future__ import annotations

import bisect
import gc
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

import numpy as np

from diacritics import lm as lm_module
from diacritics.abbreviations import load_abbreviations
from diacritics.acronym_slips import acronym_slips
from diacritics.adapt import (
    MIN_CONFIDENCE,
    MIN_LETTER_FIXES,
    VOTING_PIECE_STRIDE,
    adapt_channel,
    adapt_costs,
    candidate_width,
    count_confusions,
)
from diacritics.candidates import UNREACHABLE, WIDE_CANDIDATES, WORD_PAIRS_FILE, CandidateIndex, read_readings
from diacritics.channel import ChannelModel
from diacritics.confidence import ConfidenceModel, TextKind, TokenEvidence
from diacritics.decode import Slot, build_lattice, decode_best, fixed_slot, score_confidence, within_reach
from diacritics.enumeration import second_d_positions, section_marks
from diacritics.expansions import lost_d_runs, mark_lost_d, spelled_initials
from diacritics.lm import ACRONYM_FILE, FORMAT_VERSION, NgramModel
from diacritics.names import capital_initials, capitalised_pairs, is_titled, load_name_costs, name_positions
from diacritics.place_words import load_place_words, place_key, place_spelling
from diacritics.syllables import PLAIN_VOWELS, apply_case, has_marks, is_valid_syllable, normalize_tone, strip_marks
from diacritics.tokens import (
    ACRONYM,
    AMPERSAND,
    AMPERSAND_READING,
    BOUNDARY,
    CODE,
    LETTER_RUN_RE,
    OCR_LETTER_NOISE,
    PLACE,
    SPLIT_MARKS,
    UNKNOWN,
    Token,
    code_acronym,
    join_split_reads,
    joined,
    line_end,
    line_start,
    scan_tokens,
)
from diacritics.user_lexicon import UserLexicon
from diacritics.widening import WideSlot, widened
from diacritics.window import WindowModel

DEFAULT_MODEL_DIR = Path(__file__).parent / "models"
DEFAULT_USER_LEXICON = Path(__file__).parents[1] / "data" / "lexicon" / "user.tsv"
OOV_COST = 11.0  # keeping a token that is not a known syllable, as it is
AMPERSAND_COST = 8.4  # writing và as &: -log of the corpus's 56 ampersands per 258,685 và
FULL_MARK_SHARE = 0.05  # share of marked words above which the text is treated as marked (OCR or clean)
MIN_MARK_SHARE = 0.005  # below this share of marked or garbled words (KH&CN, Ea H'Leo in plain text) none count
CLEAN_EVIDENCE = 0.6  # marked share x known share at which a text is trusted as correctly accented
MAX_TRUST = 0.999
MAX_MISREAD_COST = 6.0  # a capital misreading this likely (-log P) still marks a known acronym (QP → QĐ)
MISREAD_TRUST = 0.5  # marked text whose known words are trusted less than this was misread (English-model OCR: ~0.06)
MIN_MISREAD_ACRONYM = 3  # letters of an acronym outside a code read with its misread capitals (HBND → HĐND; not PT)
MAX_CHUNK_CHARS = 200_000  # longer texts are restored a chunk at a time (cut at a page, paragraph or line break)
_CUTS = ("\f", "\n\n", "\n", " ")  # where a long text is cut into chunks, best first
_NO_SPLIT_MARKS = str.maketrans("", "", SPLIT_MARKS)
_INNER_NOISE = re.compile(rf"[^\W\d_][\d_{OCR_LETTER_NOISE}]+[^\W\d_]")  # a digit or symbol between letters
_CAPITAL_RUN = re.compile(r"(?<![^\W\d_])(?:[A-Z]{2,}|[A-Z][a-z])(?![^\W\d_])")  # QP, ND; Qb: Đ read as a small b
_ZERO_RUN = re.compile(r"(?<=[/-])[0O]([A-Z]{1,3})(?![^\W\d_])")  # 490/0P-TTg: Q read as a zero (or O) in a code
SlotKey = tuple[str, str, bool, bool]  # token kind, word as written, in a heading, in a name position


@dataclass(frozen=True)
class TextMode:
    """What a text says about itself, estimated from its words: its quality, and the misreadings of its acronyms."""

    mark_weight: float  # 0: the text lost every mark (losing marks is free); 1: marks are present
    trust: float  # probability that a known syllable as written is right
    vie_ocr: bool = False  # the caller says Tesseract `vie` read the text: its slips (tổ read as tố) are likely
    acronym_slips: Mapping[str, str] = field(default_factory=dict)  # OCORP → OCOP (see `acronym_slips`)

    @property
    def lost_marks(self) -> bool:
        """Whether the text's marks are missing or unreliable (unmarked, or misread by an English model)."""
        return self.mark_weight == 0 or self.misread

    @property
    def misread(self) -> bool:
        """Whether the text is marked but its known words are trusted less than `MISREAD_TRUST` (English-model OCR)."""
        return self.mark_weight > 0 and self.trust < MISREAD_TRUST

    @property
    def kind(self) -> TextKind:
        """The facts of the text that token confidence is calibrated on."""
        return TextKind(misread=self.misread, unmarked=self.mark_weight == 0, vie_ocr=self.vie_ocr)


def estimate_mode(words: Counter[str], known: dict[str, int]) -> TextMode:
    """Estimate how marked and how trustworthy a text is from its lower-case, tone-normalised words and their counts."""
    letters = {w: n for w, n in words.items() if w.isalpha()}
    marked = {w: n for w, n in letters.items() if has_marks(w)}
    garbled = sum(n for w, n in words.items() if _INNER_NOISE.search(w))  # c6ng, h¢p: OCR, even without marks
    total, total_marked = sum(letters.values()) + garbled, sum(marked.values())
    share = total_marked / total if total else 0.0
    known_share = sum(n for w, n in marked.items() if w in known) / total_marked if marked else 0.0
    marks_share = (total_marked + garbled) / total if total else 0.0
    return TextMode(
        mark_weight=min(1.0, marks_share / FULL_MARK_SHARE) if marks_share >= MIN_MARK_SHARE else 0.0,
        trust=min(MAX_TRUST, share * known_share / CLEAN_EVIDENCE),
    )


class RestoredToken(NamedTuple):
    """One token: its span in the input, its restored form and span in the output (a named tuple: one is made per
    token, and a frozen dataclass costs six times as much to make, a twelfth of the whole restoration's time)."""

    original: str
    output: str
    start: int
    end: int
    out_start: int
    out_end: int
    confidence: float
    changed: bool
    alternatives: tuple[str, ...] = ()  # runner-up outputs (posterior share >= 5%), likeliest first


@dataclass(frozen=True)
class Restoration:
    """A restored text and its tokens, aligned with the input."""

    text: str
    tokens: tuple[RestoredToken, ...]

    def cut(self, spans: Sequence[tuple[int, int]]) -> list[Restoration]:
        """The restorations of the input's ``spans`` (start, end), each with its token spans counted from its own
        start in the input and the output. A span must not cut a token; characters outside tokens are copied
        verbatim, so an input offset maps to the output through the last token before it."""
        ends = [tok.end for tok in self.tokens]

        def token_index(position: int) -> int:  # the number of tokens that end at or before position
            return bisect.bisect_right(ends, position)

        def out_position(position: int, index: int) -> int:
            if not index:
                return position
            last = self.tokens[index - 1]
            return last.out_end + position - last.end

        parts = []
        for start, end in spans:
            first, stop = token_index(start), token_index(end)
            out_start, out_end = out_position(start, first), out_position(end, stop)
            tokens = tuple(
                tok._replace(start=tok.start - start, end=tok.end - start, out_start=tok.out_start - out_start,
                             out_end=tok.out_end - out_start)
                for tok in self.tokens[first:stop]
            )  # fmt: skip
            parts.append(Restoration(text=self.text[out_start:out_end], tokens=tokens))
        return parts


def fingerprint_files(paths: list[Path]) -> str:
    """Short hash of the given files' contents and the model format version."""
    digest = hashlib.sha256(f"format {FORMAT_VERSION}".encode())
    for path in sorted(paths):
        if path.exists():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def is_acronym(word: str, acronyms: frozenset[str]) -> bool:
    """Upper-case abbreviations kept verbatim: known ones and vowel-less letter runs (HTX, TNHH)."""
    if len(word) < 2 or not word.isupper():
        return False
    return word in acronyms or (word.isalpha() and not PLAIN_VOWELS & set(strip_marks(word).lower()))


def index_acronym_marks(acronyms: frozenset[str], misread: dict[str, list[str]]) -> dict[str, str]:
    """Known acronyms with marks (NĐ, QĐ) by their mark-free form and by the forms with one marked capital misread
    (``misread``: Đ → [B, P] gives QB, QP for QĐ), where such a form is unambiguous and not itself an acronym."""
    by_key: dict[str, set[str]] = {}
    for acronym in acronyms:
        forms = {strip_marks(acronym)}
        for i, letter in enumerate(acronym):
            forms.update(strip_marks(f"{acronym[:i]}{seen}{acronym[i + 1 :]}") for seen in misread.get(letter, ()))
        for form in forms:
            by_key.setdefault(form, set()).add(acronym)
    return {key: forms.pop() for key, forms in by_key.items() if len(forms) == 1 and key not in acronyms}


def mark_capitals(word: str, marks: dict[str, str]) -> str:
    """``word`` with each run of capitals (or a capital and a small letter: Qb) that ``marks`` knows replaced by the
    acronym it stands for (QP → QĐ)."""
    return _CAPITAL_RUN.sub(lambda m: marks.get(m.group().upper(), m.group()), word)


def likely_capital_misreadings(channel: ChannelModel) -> dict[str, list[str]]:
    """Single capitals that a marked capital is often read as (Đ → B, P), from the channel's capital confusions."""
    return {
        intended.upper(): [seen.upper() for seen, cost in confusions if seen.isalpha() and cost <= MAX_MISREAD_COST]
        for intended, confusions in channel.capitals.items()
        if has_marks(intended)
    }


class Restorer:
    """A loaded model that restores text; build one with `Restorer.load`."""

    def __init__(
        self,
        model: NgramModel,
        channel: ChannelModel,
        acronyms: frozenset[str],
        user: UserLexicon,
        name_costs: np.ndarray | None = None,
        slips: ChannelModel | None = None,
        abbreviations: frozenset[str] = frozenset(),
        readings: dict[str, frozenset[str]] | None = None,
        window: WindowModel | None = None,
        calibration: ConfidenceModel | None = None,
        place_words: dict[str, str] | None = None,
    ):
        self.model = model
        self.calibration = calibration  # turns the decoder's posteriors into reported confidences
        self.window = window  # the window classifier, for text that lost all its marks
        self.slips = slips  # slips of Tesseract's Vietnamese model, for text the caller says it read
        self.name_costs = name_costs  # per vocabulary id, added to the cost of a candidate in a name position
        self.ids = model.ids
        self.boundary, self.code, self.unknown, self.acronym = (self.ids[t] for t in (BOUNDARY, CODE, UNKNOWN, ACRONYM))
        self.place = self.ids[PLACE]
        self.index = CandidateIndex(
            model.vocab, len(lm_module.SPECIAL_TOKENS), model.lp1, channel, readings, model.place_syllables
        )
        self.acronyms = acronyms
        self.acronym_marks = index_acronym_marks(acronyms, {})
        self.code_marks = index_acronym_marks(acronyms, likely_capital_misreadings(channel))  # 1048/QP-TTg
        self.user = user
        self.place_words = place_words or {}  # place-name words no syllable spells (Ea, M'Đrắk), by `place_key`
        # kept as written (Cty, Fe), unless a syllable has their letters (Biêt, a misspelt biết: left to the decoder)
        self.abbreviations = frozenset(w for w in abbreviations if not self.index.knows(strip_marks(w.lower())))

    @classmethod
    def load(cls, model_dir: Path | None = None, user_lexicon: Path | None = DEFAULT_USER_LEXICON) -> Restorer:
        """Load the model files of ``model_dir`` (default: the packaged model) and a user lexicon."""
        model_dir = Path(model_dir) if model_dir else DEFAULT_MODEL_DIR
        model = NgramModel.load(model_dir)
        acronym_path = model_dir / ACRONYM_FILE
        acronyms = frozenset(acronym_path.read_text(encoding="utf-8").split()) if acronym_path.exists() else frozenset()
        channel = ChannelModel.load(model_dir)
        names = load_name_costs(model_dir, model.ids, model.lp1)
        slips = ChannelModel.load_slips(model_dir)
        user = UserLexicon.read(user_lexicon)
        readings = read_readings(model_dir / WORD_PAIRS_FILE)
        abbreviations = load_abbreviations(model_dir)
        window = WindowModel.load(model_dir)
        calibration = ConfidenceModel.load(model_dir)
        places = load_place_words(model_dir)
        return cls(model, channel, acronyms, user, names, slips, abbreviations, readings, window, calibration, places)

    def restore(self, text: str, max_chars: int = MAX_CHUNK_CHARS, vie_ocr: bool = False) -> Restoration:
        """Restore the diacritics of ``text``; characters outside words are copied verbatim.

        A text longer than ``max_chars`` is restored one chunk at a time (see `restore_chunks`), so the
        working memory stays bounded; the result itself holds about 300 bytes per token. ``vie_ocr``: the text is
        Tesseract `vie` output, whose slips (tổ read as tố, chi as chỉ) are then corrected where the context says so;
        without it, a correctly marked text is taken as written unless the language model is very sure.
        """
        restored = list(self.restore_chunks(text, max_chars, vie_ocr))
        if len(restored) == 1:
            return restored[0]
        return Restoration(text="".join(r.text for r in restored), tokens=tuple(t for r in restored for t in r.tokens))

    def restore_chunks(
        self, text: str, max_chars: int = MAX_CHUNK_CHARS, vie_ocr: bool = False
    ) -> Iterator[Restoration]:
        """Restorations of consecutive chunks of ``text`` of at most ``max_chars`` (see `split_chunks`), their
        token spans counted from the start of ``text`` and of the output. A text not in NFC (decomposed marks, as
        some PDF text layers and Mac file names give) is restored in NFC, and the spans count in that form."""
        text = text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)
        start = out_start = 0
        for chunk in split_chunks(text, max_chars):
            with collection_paused():
                restored = self._restore_chunk(chunk, start, out_start, vie_ocr)
            yield restored
            start += len(chunk)
            out_start += len(restored.text)

    def _restore_chunk(self, text: str, start: int = 0, out_start: int = 0, vie_ocr: bool = False) -> Restoration:
        """Restore one chunk; token spans are shifted by the chunk's ``start`` in the input and output."""
        tokens, decoded, mode = self.decode_chunk(text, vie_ocr)
        if self.calibration is not None and decoded.evidence is not None:
            decoded = replace(decoded, confidence=self.calibration.calibrate(decoded.evidence, mode.kind).tolist())
        return assemble(text, tokens, decoded, start, out_start)

    def decode_chunk(self, text: str, vie_ocr: bool = False) -> tuple[list[Token], Decoded, TextMode]:
        """The tokens of one chunk, the decoder's result with its posteriors (before calibration), and the mode the
        text was found in. In OCR text, the chunk is decoded again with the channel adapted to the misreadings it
        shows."""
        tokens = scan_tokens(text)
        raw_words = Counter(text[t.start : t.end] for t in tokens if t.kind == "word")
        words: Counter[str] = Counter()
        for word, n in raw_words.items():
            if place_key(word) not in self.place_words:  # M'Drak, in any case: a name's letters, not OCR noise
                words[normalize_tone(word.lower())] += n
        mode = replace(estimate_mode(words, self.ids), vie_ocr=vie_ocr)
        if mode.misread:
            mode = replace(mode, acronym_slips=acronym_slips(raw_words, self.acronyms))
            tokens = join_split_reads(text, tokens, self.index.knows)
        if not tokens:
            return tokens, Decoded([], [], [], {}), mode
        decoded = self._decode(text, tokens, mode, self.index)
        if mode.mark_weight > 0:
            counts = count_confusions(self.index.channel, self._readings(text, tokens, decoded))
            if counts.letter_fixes >= MIN_LETTER_FIXES:
                channel = adapt_channel(self.index.channel, counts)
                index = self.index.with_channel(channel, candidate_width(counts))
                decoded = self._decode(text, tokens, mode, index, widen=True)
        if mode.lost_marks:
            decoded = self._mark_spelled_acronyms(text, tokens, decoded)
        return tokens, decoded, mode

    def _mark_spelled_acronyms(self, text: str, tokens: list[Token], decoded: Decoded) -> Decoded:
        """``decoded`` with the Đ put back into the acronyms that the text spells out (VPDP → VPĐP after Văn phòng
        Điều phối; see `expansions`)."""
        runs = lost_d_runs(text, self._spells_known)
        if not runs:
            return decoded

        def output(i: int) -> str:
            return decoded.outputs[i][decoded.choice[i]] or text[tokens[i].start : tokens[i].end]

        def word(i: int) -> str:  # word i as restored, its first letter in its case as written
            form = output(i)
            return form[0].upper() + form[1:] if text[tokens[i].start].isupper() else form

        def joined(i: int) -> bool:  # words i and i + 1 have only spaces between them
            if i + 1 == len(tokens):
                return False
            after = tokens[i + 1]
            return after.kind == "word" and text[tokens[i].end : after.start].isspace()

        capitalised, codes = [], []  # a run of capitals stands in a code or in a word that opens with a capital
        for i, (start, _, kind) in enumerate(tokens):
            if kind == "code":
                codes.append(i)
            elif kind == "word" and text[start].isupper():
                capitalised.append(i)
        initials = spelled_initials(capitalised, word, joined, runs)
        fixed = list(decoded.outputs)
        for i in capitalised + codes:
            if "D" in (form := output(i)) and (marked := mark_lost_d(form, initials, runs)) != form:
                fixed[i] = [*fixed[i]]
                fixed[i][decoded.choice[i]] = marked
        return replace(decoded, outputs=fixed)

    def _decode(
        self, text: str, tokens: list[Token], mode: TextMode, index: CandidateIndex, widen: bool = False
    ) -> Decoded:
        """Decode the tokens with ``index``'s candidates (see `_decode_slots`); ``widen``: then once more with the
        rarer candidates the chosen neighbours call for (`_widen`), if there are any."""
        slots: list[Slot] = []
        outputs: list[list[str | None]] = []
        keys: list[SlotKey | None] = []  # of the word slots
        seen: dict[SlotKey, tuple[Slot, list[str | None]]] = {}
        headings: dict[int, bool] = {}  # by line start
        capital = capital_initials(text, tokens)
        named = name_positions(text, tokens, capital) if self.name_costs is not None else [False] * len(tokens)
        second_d = second_d_positions(text, tokens)
        marks = section_marks(text, tokens)
        phrased = self._phrase_words(text, tokens)
        for i, (tok, name) in enumerate(zip(tokens, named, strict=True)):
            word = text[tok.start : tok.end]
            key = None
            if (forced := phrased.get(i)) is not None:  # a word of a phrase of the user lexicon
                slot, forms = self._forced_slot(forced)
            elif i in second_d:  # đ of a letter list, read as d
                slot, forms = fixed_slot(self.code if tok.kind == "code" else self.unknown), [apply_case("đ", word)]
            elif i in marks:  # a section mark (b., or Il. read with l for I: II.)
                slot, forms = self._acronym_slot(marks[i])
            elif word == AMPERSAND and i + 1 < len(tokens) and text[tokens[i + 1].start].isupper():
                slot, forms = fixed_slot(self.ids[AMPERSAND_READING]), [None]  # in a name: Xây dựng & Thương mại
            else:
                key = (tok.kind, word, len(word) > 1 and word.isupper() and in_heading(text, tok.start, headings), name)
                if key not in seen:
                    seen[key] = self._slot(tok, word, mode, index, heading=key[2], name=name)
                slot, forms = seen[key]
            slots.append(slot)
            outputs.append(forms)
            keys.append(key if tok.kind == "word" else None)
        capitalised = capitalised_pairs(text, tokens, capital)
        flags = capitalised, np.array(named, dtype=bool), np.array(capital, dtype=bool)
        in_context = mode.mark_weight == 0  # the window classifier: for text that lost all its marks
        decoded = self._decode_slots(slots, outputs, *flags, in_context=in_context)
        if widen and self._widen(tokens, mode, index, keys, decoded, slots, outputs):
            decoded = self._decode_slots(slots, outputs, *flags, in_context=in_context)
        return decoded

    def _decode_slots(
        self,
        slots: list[Slot],
        outputs: list[list[str | None]],
        capitalised: np.ndarray,
        named: np.ndarray,
        capital: np.ndarray,
        in_context: bool = False,
    ) -> Decoded:
        """Decode the slots twice: the second time with the document's cache, counted on a first decoding of every
        `VOTING_PIECE_STRIDE`-th lattice piece (about a third of a long text). ``capitalised``: see
        `names.capitalised_pairs`. ``named``, ``capital``: each token's name position and capital initial, for the
        confidence calibration's evidence. ``in_context``: the window classifier's costs (if there is one) are added
        to the slots of the words without a capital initial (see `window`)."""
        lattice = build_lattice(self.model, slots, self.boundary, capitalised)
        voting = range(0, len(lattice.pieces), VOTING_PIECE_STRIDE)
        found = lattice.candidates
        own = None
        if in_context and self.window is not None:
            own = self.window.context_costs(found, self.boundary, capital)
        first = decode_best(lattice, own, pieces=voting)
        costs = adapt_costs(found, lattice.piece_slots(voting), first, self.model.key_of, own)
        choice = decode_best(lattice, costs)
        confidence, runners = score_confidence(lattice, choice, costs)
        chosen = found.ids[found.starts[:-1] + np.asarray(choice, dtype=np.int64)]
        alternatives = np.zeros(len(slots), dtype=bool)
        alternatives[list(runners)] = True
        evidence = TokenEvidence(
            posterior=confidence.astype(np.float64),
            candidates=found.sizes,
            name=named,
            capital=capital,
            kept_unknown=(chosen == self.unknown) & (found.sizes > 1),  # only a kept token is unknown among others
            alternatives=alternatives,
        )
        return Decoded(outputs, choice, confidence.tolist(), runners, evidence)

    def _widen(
        self,
        tokens: list[Token],
        mode: TextMode,
        index: CandidateIndex,
        keys: list[SlotKey | None],
        decoded: Decoded,
        slots: list[Slot],
        outputs: list[list[str | None]],
    ) -> bool:
        """Add to the open word slots, in place, the rarer candidates (up to `WIDE_CANDIDATES`) that the ``decoded``
        neighbours call for (see `widening`). Whether any was added."""
        wide_by_key: dict[SlotKey, WideSlot] = {}

        def wide(i: int) -> WideSlot:
            key = keys[i]
            assert key is not None
            if key not in wide_by_key:
                slot, forms = self._slot(tokens[i], key[1], mode, index, key[2], key[3], width=WIDE_CANDIDATES)
                wide_by_key[key] = WideSlot(slot, forms, np.flatnonzero(~np.isin(slot.ids, slots[i].ids)).tolist())
            return wide_by_key[key]

        is_open = [key is not None and len(slot.ids) > 1 for key, slot in zip(keys, slots, strict=True)]
        added = widened(slots, decoded.choice, decoded.confidence, is_open, wide, self.boundary, self.model.score)
        for i, picked in added.items():
            slot, forms, _ = wide(i)
            slots[i] = Slot(np.append(slots[i].ids, slot.ids[picked]), np.append(slots[i].costs, slot.costs[picked]))
            outputs[i] = [*outputs[i], *(forms[k] for k in picked)]
        return bool(added)

    def _phrase_words(self, text: str, tokens: list[Token]) -> dict[int, str]:
        """The restoration the user lexicon's phrases force, by token index."""
        forced: dict[int, str] = {}
        for start, key in self.user.phrases_in(text, ((t.start, t.end, t.kind == "word") for t in tokens)):
            forced.update(enumerate(self.user.entries[key].split(), start))
        return forced

    def _forced_slot(self, forced: str) -> tuple[Slot, list[str | None]]:
        """A word the user lexicon forces, scored in context as the word it is."""
        return fixed_slot(self.ids.get(forced.lower(), self.unknown)), [forced]

    def _readings(self, text: str, tokens: list[Token], decoded: Decoded) -> Iterator[tuple[str, str, bool]]:
        """``(observed, restored, capital)`` of the confidently restored words (lower-case, as looked up)."""
        for tok, forms, c, conf in zip(tokens, decoded.outputs, decoded.choice, decoded.confidence, strict=True):
            form = forms[c]
            if tok.kind == "word" and form is not None and conf >= MIN_CONFIDENCE:
                word = text[tok.start : tok.end]
                yield normalize_tone(word.lower()), form.lower(), word[:1].isupper()

    def _is_marked_acronym(self, word: str) -> bool:
        """Whether an upper-case word with marks is a known unmarked acronym misread, not a syllable (OCƠP)."""
        stripped = strip_marks(word)
        return (
            word.isupper()
            and stripped != word
            and stripped in self.acronyms
            and not is_valid_syllable(normalize_tone(word.lower()))
        )

    def _misread_costs(self, observed: str, ids: np.ndarray, costs: np.ndarray, mode: TextMode) -> np.ndarray:
        """Cost of a known syllable as written standing for each candidate: with probability ``1 - trust`` the text
        is misread as its OCR channel says (``costs``); in text read by Tesseract `vie`, with probability ``trust``
        it is read right but for that model's slips (tổ read as tố)."""
        misread = costs - np.log1p(-mode.trust)
        if self.slips is None or not mode.vie_ocr or mode.trust <= 0:
            return misread
        slips = self.slips.costs(observed, [self.model.vocab[i] for i in ids]) - np.log(mode.trust)
        return -np.logaddexp(-misread, -slips)

    def _spells_known(self, capitals: str) -> bool:
        """Whether a run of capitals is a known acronym, a misreading of one (HDND) or a syllable without its marks
        (DAN)."""
        return self._is_known_acronym(capitals) or self.index.knows(capitals.lower())

    def _is_known_acronym(self, capitals: str) -> bool:
        """Whether a run of capitals is a known acronym or a known misreading of one (QP for QĐ)."""
        return capitals in self.acronyms or capitals in self.code_marks

    def _q_for_zero(self, run: re.Match[str]) -> str:
        """A code's letter run that starts with 0 or O (0P of 490/0P-TTg: a `_ZERO_RUN` match) read with Q for it,
        where that spells a known acronym or a misreading of one (QP for QĐ) and the run as written spells neither."""
        as_q, as_written = f"Q{run.group(1)}", run.group()
        return as_q if self._is_known_acronym(as_q) and not self._is_known_acronym(as_written) else as_written

    def _acronym_id(self, acronym: str) -> int:
        """The language model's id of an acronym: its own if frequent enough, else `ACRONYM`'s."""
        return self.ids.get(acronym, self.acronym)

    def _acronym_slot(self, acronym: str) -> tuple[Slot, list[str | None]]:
        """An acronym kept as ``acronym`` (see `_acronym_id`)."""
        return fixed_slot(self._acronym_id(acronym)), [acronym]

    def _slot(
        self,
        tok: Token,
        word: str,
        mode: TextMode,
        index: CandidateIndex,
        heading: bool = False,
        name: bool = False,
        width: int | None = None,
    ) -> tuple[Slot, list[str | None]]:
        """Candidates of a token and, per candidate, its output (None: keep the original).

        ``heading``: the token stands on a line of mostly upper-case words, where an upper-case word that spells no
        syllable is a misread word (XA HQI); elsewhere such a word of letters only is an acronym (FAO, UBMTTQ) and
        kept, while one with a digit or symbol in it is a misread word still (B6 for Bộ).
        ``name``: the token stands where a personal name may (`names.name_positions`); name syllables cost less there.
        """
        if tok.kind == "break":
            return fixed_slot(self.boundary), [None]
        if self._is_marked_acronym(word):  # OCƠP: an acronym read with a mark no syllable can carry
            return self._acronym_slot(strip_marks(word))
        if tok.kind == "code":  # capitals read with their misreadings; a code of letters reads as its acronym (TT/HĐND)
            marked = mark_capitals(_ZERO_RUN.sub(self._q_for_zero, word), self.code_marks)
            acronym = code_acronym(marked)
            return fixed_slot(self._acronym_id(acronym) if acronym else self.code), [marked]
        if is_acronym(word, self.acronyms):  # in misread text, a long one read with its misread capitals too (HBND)
            misread = mode.misread and len(word) >= MIN_MISREAD_ACRONYM
            return self._acronym_slot(mark_capitals(word, self.code_marks if misread else self.acronym_marks))
        if (acronym := mode.acronym_slips.get(word)) is not None:  # OCORP in a plan full of OCOP
            return self._acronym_slot(acronym)
        lower = normalize_tone(word.lower()).translate(_NO_SPLIT_MARKS)  # thu.’c, joined by `join_split_reads`
        forced = self.user.word(lower)
        if forced is not None:
            return self._forced_slot(forced)
        if word in self.abbreviations:  # Cty, Fe: a word of the language that is no syllable, spelled exactly so
            return self._acronym_slot(word)
        garbled = len(word) > 1 and word.isupper() and not self.index.knows(strip_marks(lower))
        place = place_spelling(word, self.place_words)  # Ea, M'Đrắk: a candidate at no cost; Tir may be OCR for Từ
        if garbled and word.isalpha() and not heading and place is None:
            return self._acronym_slot(word)
        weight = 1.0 if garbled else mode.mark_weight  # a misread heading word: OCR noise even in unmarked text
        found = index.lookup(lower, fuzzy=weight > 0, capital=word[:1].isupper(), width=width)
        costs = weight * found.costs + (1.0 - weight) * found.plain_costs
        ampersand = word == AMPERSAND  # a word as written too, read as và; OCR for ở only where the text is misread
        observed = self.ids[AMPERSAND_READING] if ampersand else self.ids.get(lower)
        if observed is not None:
            costs = np.where(found.ids != observed, self._misread_costs(lower, found.ids, costs, mode), costs)
        reachable = costs < UNREACHABLE
        ids, costs = found.ids[reachable], costs[reachable]
        forms: list[str | None] = [self.model.vocab[i] for i in ids]
        if ampersand:
            ids = np.append(ids, observed)
            costs = np.append(costs, AMPERSAND_COST)
            forms.append(None)
        elif place is not None:  # the word as the place name spells it, instead of keeping it as an unknown word
            ids = np.append(ids, self.place)
            costs = np.append(costs, 0.0)
            forms.append(place)
        elif observed is None:
            ids = np.append(ids, self.unknown)
            costs = np.append(costs, OOV_COST * (1.0 - mode.trust))
            forms.append(None)
        if name and self.name_costs is not None:
            costs = costs + self.name_costs[ids]
        if mode.lost_marks:  # in marked text a slip's fix (tố for tổ) can be far behind the word as written
            kept = within_reach(ids, costs, self.model.lp1)
            ids, costs, forms = ids[kept], costs[kept], [forms[k] for k in kept]
        return Slot(ids, costs.astype(np.float32)), forms


@dataclass(frozen=True)
class Decoded:
    """The decoder's result per token: candidate outputs (None: keep the token), choice, confidence, runners-up."""

    outputs: list[list[str | None]]
    choice: list[int]
    confidence: list[float]
    runners: dict[int, list[int]]
    evidence: TokenEvidence | None = None  # for the confidence calibration (`confidence`)


def assemble(text: str, tokens: list[Token], decoded: Decoded, start: int = 0, out_start: int = 0) -> Restoration:
    """The restored text and its tokens; token spans are shifted by ``start`` (input) and ``out_start`` (output).
    Casing follows the input, but for the capitals OCR made of a Title-case word (`misread_capital_words`)."""
    titled = misread_capital_words(text, tokens, decoded)
    parts: list[str] = []
    restored: list[RestoredToken] = []
    cased: dict[tuple[str | None, str], str] = {}

    def case_form(form: str | None, original: str) -> str:
        if form is None:
            return original
        if (output := cased.get((form, original))) is None:
            output = cased[form, original] = apply_case(form, original)
        return output

    pos = out_len = 0
    rows = zip(tokens, decoded.outputs, decoded.choice, decoded.confidence, strict=True)
    for t, (tok, forms, c, conf) in enumerate(rows):
        if tok.kind == "break":
            continue
        parts.append(text[pos : tok.start])
        out_len += tok.start - pos
        original = text[tok.start : tok.end]
        output = case_form(forms[c], original.title() if t in titled else original)
        parts.append(output)
        runners = decoded.runners.get(t)
        alternatives = tuple(case_form(forms[k], original) for k in runners) if runners else ()
        restored.append(
            RestoredToken(  # positional: a named tuple is made twice as fast so (fields in order)
                original,
                output,
                start + tok.start,
                start + tok.end,
                out_start + out_len,
                out_start + out_len + len(output),
                conf,
                output != original,
                alternatives,
            )
        )
        out_len += len(output)
        pos = tok.end
    parts.append(text[pos:])
    return Restoration(text="".join(parts), tokens=tuple(restored))


def misread_capital_words(text: str, tokens: list[Token], decoded: Decoded) -> set[int]:
    """Positions of the upper-case words that stand for a Title-case word: OCR reads a small letter with marks as a
    capital (HO tro for Hỗ trợ, "Bộ trưởng BO Tài chính" for Bộ Tài chính). Two letters or more, restored to a
    syllable, outside a heading, and either the first word of a sentence or line followed on it by a lower-case word,
    or a word given marks between a lower-case word and a Title-case one, as the head of a name (not "cho CAC sản
    phẩm", which may be emphasis)."""
    headings: dict[int, bool] = {}
    out = set()
    capitals = [t for t, tok in enumerate(tokens[:-1]) if tok.kind == "word" and text[tok.start].isupper()]
    for t in capitals:
        tok, after = tokens[t], tokens[t + 1]
        word, form = text[tok.start : tok.end], decoded.outputs[t][decoded.choice[t]]
        if len(word) < 2 or not word.isupper() or form is None or not form.islower():
            continue
        if after.kind != "word" or not joined(text, tokens, t):
            continue
        following = text[after.start : after.end]
        if t and joined(text, tokens, t - 1):  # inside a sentence
            before = tokens[t - 1]
            misread = (
                form != word.lower()
                and before.kind == "word"
                and text[before.start : before.end].islower()
                and is_titled(following)
            )
        else:
            misread = following.islower()
        if misread and not in_heading(text, tok.start, headings):
            out.add(t)
    return out


def in_heading(text: str, position: int, known: dict[int, bool]) -> bool:
    """Whether the line holding ``position`` has at least as many upper-case words (two letters or more) as others;
    ``known`` keeps the answer by line start, so that a line is read once."""
    start = line_start(text, position)
    heading = known.get(start)
    if heading is None:
        words = LETTER_RUN_RE.findall(text[start : line_end(text, position)])
        heading = known[start] = 2 * sum(len(w) > 1 and w.isupper() for w in words) >= len(words)
    return heading


@contextmanager
def collection_paused() -> Iterator[None]:
    """Python's cycle collector paused (if it ran) while a chunk is restored. A restoration makes hundreds of
    thousands of short-lived objects, which trigger collection passes that walk the model's and the caller's live
    objects too (a tenth of the time inside the pipeline); what it frees is freed by reference counting, and the few
    cycles it may leave are collected once the collector runs again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def split_chunks(text: str, max_chars: int) -> list[str]:
    """``text`` cut into pieces of at most ``max_chars``: after a page break if there is one, else after a blank line,
    else after a line break, else after a space (the pieces concatenate back to ``text``)."""
    chunks = []
    start = 0
    while len(text) - start > max_chars:
        window = text[start : start + max_chars]
        cut = next((window.rfind(sep) + len(sep) for sep in _CUTS if sep in window), max_chars)
        chunks.append(window[:cut])
        start += cut
    return [*chunks, text[start:]] if start < len(text) or not chunks else chunks
