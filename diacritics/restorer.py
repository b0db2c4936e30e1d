"""Restore Vietnamese diacritics in OCR or unmarked text with a noisy-channel decoder."""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from diacritics import lm as lm_module
from diacritics.adapt import adapt_costs
from diacritics.candidates import UNREACHABLE, CandidateIndex
from diacritics.channel import ChannelModel
from diacritics.decode import Slot, build_lattice, decode_best, fixed_slot, score_confidence
from diacritics.lm import ACRONYM_FILE, FORMAT_VERSION, NgramModel
from diacritics.syllables import apply_case, has_marks, normalize_tone, strip_marks
from diacritics.tokens import ACRONYM, BOUNDARY, CODE, UNKNOWN, Token, scan_tokens

DEFAULT_MODEL_DIR = Path(__file__).parent / "models"
DEFAULT_USER_LEXICON = Path(__file__).parents[1] / "data" / "lexicon" / "user.tsv"
OOV_COST = 11.0  # keeping a token that is not a known syllable, as it is
FULL_MARK_SHARE = 0.05  # share of marked words above which the text is treated as marked (OCR or clean)
CLEAN_EVIDENCE = 0.6  # marked share x known share at which a text is trusted as correctly accented
MAX_TRUST = 0.999
_VOWELS = set("aeiouy")
_UPPER_RUN = re.compile(r"(?<![^\W\d_])[A-Z]{2,}(?![^\W\d_])")


@dataclass(frozen=True)
class TextMode:
    """What a text says about its own quality, estimated from its words."""

    mark_weight: float  # 0: the text lost every mark (losing marks is free); 1: marks are present
    trust: float  # probability that a known syllable as written is right


def estimate_mode(words: list[str], known: dict[str, int]) -> TextMode:
    """Estimate how marked and how trustworthy a text is from its lower-case, tone-normalised words."""
    letters = [w for w in words if w.isalpha()]
    marked = [w for w in letters if has_marks(w)]
    share = len(marked) / len(letters) if letters else 0.0
    known_share = sum(w in known for w in marked) / len(marked) if marked else 0.0
    return TextMode(
        mark_weight=min(1.0, share / FULL_MARK_SHARE),
        trust=min(MAX_TRUST, share * known_share / CLEAN_EVIDENCE),
    )


@dataclass(frozen=True)
class RestoredToken:
    """One token: its span in the input, its restored form and span in the output."""

    original: str
    output: str
    start: int
    end: int
    out_start: int
    out_end: int
    confidence: float
    changed: bool


@dataclass(frozen=True)
class Restoration:
    """A restored text and its tokens, aligned with the input."""

    text: str
    tokens: tuple[RestoredToken, ...]


def read_user_lexicon(path: Path | None) -> dict[str, str]:
    """Forced corrections ``wrong → right`` (lower-cased keys) from a two-column TSV, if it exists."""
    if path is None or not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE) if len(r) >= 2]
    if rows and rows[0][:2] == ["wrong", "right"]:
        rows = rows[1:]
    return {normalize_tone(w.lower()): unicodedata.normalize("NFC", r) for w, r, *_ in rows}


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
    return word in acronyms or (word.isalpha() and not _VOWELS & set(word.lower()))


def index_acronym_marks(acronyms: frozenset[str]) -> dict[str, str]:
    """Known acronyms with marks (NĐ, QĐ) by their mark-free form, where that form is unambiguous."""
    by_key: dict[str, set[str]] = {}
    for acronym in acronyms:
        by_key.setdefault(strip_marks(acronym), set()).add(acronym)
    return {key: forms.pop() for key, forms in by_key.items() if len(forms) == 1 and key not in acronyms}


class Restorer:
    """A loaded model that restores text; build one with `Restorer.load`."""

    def __init__(self, model: NgramModel, channel: ChannelModel, acronyms: frozenset[str], user: dict[str, str]):
        self.model = model
        self.ids = {w: i for i, w in enumerate(model.vocab)}
        self.boundary, self.code, self.unknown, self.acronym = (self.ids[t] for t in (BOUNDARY, CODE, UNKNOWN, ACRONYM))
        keys = [strip_marks(w) for w in model.vocab]
        key_ids = {k: i for i, k in enumerate(dict.fromkeys(keys))}
        self.key_of = np.array([key_ids[k] for k in keys], dtype=np.int64)
        self.index = CandidateIndex(model.vocab, len(lm_module.SPECIAL_TOKENS), model.lp1, channel)
        self.acronyms = acronyms
        self.acronym_marks = index_acronym_marks(acronyms)
        self.user = user

    @classmethod
    def load(cls, model_dir: Path | None = None, user_lexicon: Path | None = DEFAULT_USER_LEXICON) -> Restorer:
        """Load the model files of ``model_dir`` (default: the packaged model) and a user lexicon."""
        model_dir = Path(model_dir) if model_dir else DEFAULT_MODEL_DIR
        model = NgramModel.load(model_dir)
        acronym_path = model_dir / ACRONYM_FILE
        acronyms = frozenset(acronym_path.read_text(encoding="utf-8").split()) if acronym_path.exists() else frozenset()
        return cls(model, ChannelModel.load(model_dir), acronyms, read_user_lexicon(user_lexicon))

    def restore(self, text: str) -> Restoration:
        """Restore the diacritics of ``text``; characters outside words are copied verbatim."""
        tokens = scan_tokens(text)
        words = [normalize_tone(text[t.start : t.end].lower()) for t in tokens if t.kind == "word"]
        mode = estimate_mode(words, self.ids)
        slots: list[Slot] = []
        outputs: list[list[str | None]] = []
        seen: dict[tuple[str, str], tuple[Slot, list[str | None]]] = {}
        for tok in tokens:
            key = (tok.kind, text[tok.start : tok.end])
            if key not in seen:
                seen[key] = self._slot(tok, key[1], mode)
            slot, forms = seen[key]
            slots.append(slot)
            outputs.append(forms)
        if not slots:
            return Restoration(text=text, tokens=())
        lattice = build_lattice(self.model, slots, self.boundary)
        choice = decode_best(lattice)
        costs = adapt_costs(slots, choice, self.key_of)
        choice = decode_best(lattice, costs)
        confidence = score_confidence(self.model, slots, choice, self.boundary, costs)
        return self._assemble(text, tokens, outputs, choice, confidence)

    def _slot(self, tok: Token, word: str, mode: TextMode) -> tuple[Slot, list[str | None]]:
        """Candidates of a token and, per candidate, its output (None: keep the original)."""
        if tok.kind == "break":
            return fixed_slot(self.boundary), [None]
        if tok.kind == "code" or is_acronym(word, self.acronyms):
            marked = _UPPER_RUN.sub(lambda m: self.acronym_marks.get(m.group(), m.group()), word)
            return fixed_slot(self.code if tok.kind == "code" else self.acronym), [marked]
        lower = normalize_tone(word.lower())
        forced = self.user.get(lower)
        if forced is not None:
            return fixed_slot(self.ids.get(forced.lower(), self.unknown)), [forced]
        found = self.index.lookup(lower, fuzzy=mode.mark_weight > 0)
        costs = mode.mark_weight * found.costs + (1.0 - mode.mark_weight) * found.plain_costs
        observed = self.ids.get(lower)
        if observed is not None:
            costs = costs - np.log1p(-mode.trust) * (found.ids != observed)
        reachable = costs < UNREACHABLE
        ids, costs = found.ids[reachable], costs[reachable]
        forms: list[str | None] = [self.model.vocab[i] for i in ids]
        if observed is None:
            ids = np.append(ids, self.unknown)
            costs = np.append(costs, OOV_COST * (1.0 - mode.trust))
            forms.append(None)
        return Slot(ids, costs.astype(np.float32)), forms

    @staticmethod
    def _assemble(
        text: str,
        tokens: list[Token],
        outputs: list[list[str | None]],
        choice: list[int],
        confidence: np.ndarray,
    ) -> Restoration:
        parts: list[str] = []
        restored: list[RestoredToken] = []
        cased: dict[tuple[str, str], str] = {}
        pos = out_len = 0
        for tok, forms, c, conf in zip(tokens, outputs, choice, confidence.tolist(), strict=True):
            if tok.kind == "break":
                continue
            parts.append(text[pos : tok.start])
            out_len += tok.start - pos
            original = text[tok.start : tok.end]
            form = forms[c]
            if form is None:
                output = original
            elif (output := cased.get((form, original))) is None:
                output = cased[form, original] = apply_case(form, original)
            parts.append(output)
            restored.append(
                RestoredToken(
                    original=original,
                    output=output,
                    start=tok.start,
                    end=tok.end,
                    out_start=out_len,
                    out_end=out_len + len(output),
                    confidence=conf,
                    changed=output != original,
                )
            )
            out_len += len(output)
            pos = tok.end
        parts.append(text[pos:])
        return Restoration(text="".join(parts), tokens=tuple(restored))
