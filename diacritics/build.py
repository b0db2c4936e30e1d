"""Build the diacritics model from the accented corpus (run by `make model` only).

    python -m diacritics.build --corpus ../shared/corpus/vi-legal.txt.gz --out diacritics/models

One streaming pass tokenizes every paragraph (held-out lines skipped), then the lexicon,
the acronym list and pruned, smoothed trigram tables are written with their metadata.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import itertools
import json
import unicodedata
import zlib
from array import array
from collections import Counter
from collections.abc import Collection, Iterator
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

import numpy as np

from diacritics import lm
from diacritics.names import NAME_FILE, NAME_PACKAGE, count_name_syllables, write_name_syllables
from diacritics.place_words import (
    PLACE_WORDS_FILE,
    is_place_word,
    place_name_syllables,
    place_words,
    plain_admin_name,
    write_place_words,
)
from diacritics.syllables import has_marks, is_valid_syllable, normalize_tone, strip_marks
from diacritics.tokens import AMPERSAND, AMPERSAND_READING, LETTER_RUN_RE, scan_tokens

MIN_SYLLABLE_COUNT = 2
MIN_ACRONYM_COUNT = 20
MIN_BIGRAM_COUNT = 1
MIN_TRIGRAM_COUNT = 1
ADMIN_NAME_WEIGHT = 3
# In-domain weighting: OCOP plans (products, producers, agriculture, trade, tourism) are rare in the legal corpus,
# so a held-in paragraph naming at least DOMAIN_MIN_TERMS of these topics is counted DOMAIN_WEIGHT times, a cheap
# interpolation of a small in-domain LM into the general one. Chosen from general OCOP vocabulary, not from any plan.
DOMAIN_TERMS = (
    "sản phẩm",
    "nông nghiệp",
    "hợp tác xã",
    "chủ thể",
    "du lịch",
    "làng nghề",
    "nông thôn",
    "đặc sản",
    "nông sản",
    "thương mại",
    "tiêu thụ",
    "chuỗi giá trị",
    "khởi nghiệp",
    "thủy sản",
    "chăn nuôi",
    "trồng trọt",
)
DOMAIN_MIN_TERMS = 2
DOMAIN_WEIGHT = 1
SMOOTHING = "absolute"  # or "kneser-ney" (see `estimate_tables`)
DICTIONARY_FILE = "words.txt"  # in pyvi's models folder: 31,000 Vietnamese words, 25,000 of several syllables
_SMOOTHING_NAMES = {
    "absolute": "interpolated absolute discounting",
    "kneser-ney": "interpolated modified Kneser-Ney",
    "kneser-ney-bigram": "interpolated modified Kneser-Ney with a plain unigram",
}
_SPECIAL = {name: -(i + 1) for i, name in enumerate(lm.SPECIAL_TOKENS)}


def is_held_out(line: str) -> bool:
    """Whether a corpus line is reserved for evaluation (never used to build the model)."""
    return zlib.crc32(line.encode()) % 100 == 0


def read_corpus(path: Path) -> Iterator[str]:
    """Training paragraphs of the gzip corpus, NFC, held-out lines skipped."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            if line and not is_held_out(line):
                yield unicodedata.normalize("NFC", line)


def domain_weight(paragraph: str, weight: int = DOMAIN_WEIGHT, min_terms: int = DOMAIN_MIN_TERMS) -> int:
    """How many times a training paragraph is counted: ``weight`` if it names enough OCOP-domain topics, else 1."""
    if weight <= 1:
        return 1
    low = paragraph.lower()
    return weight if sum(term in low for term in DOMAIN_TERMS) >= min_terms else 1


def read_dictionary_words() -> list[str]:
    """Entries of the Vietnamese word list shipped in the `pyvi` wheel (MIT licence), NFC."""
    text = files("pyvi").joinpath("models", DICTIONARY_FILE).read_text(encoding="utf-8")
    return [unicodedata.normalize("NFC", line.strip()) for line in text.splitlines() if line.strip()]


def dictionary_pairs(words: list[str], ids: dict[str, int]) -> np.ndarray:
    """Sorted packed keys of the syllable pairs inside the dictionary's words (đặc sản, cà phê, thảo dược),
    both syllables in the vocabulary."""
    first: list[int] = []
    second: list[int] = []
    for word in words:
        syllables = [ids.get(normalize_tone(s)) for s in word.lower().split()]
        for a, b in itertools.pairwise(syllables):
            if a is not None and b is not None:
                first.append(a)
                second.append(b)
    return np.unique(lm.pack_keys(np.array(first, dtype=np.int64), np.array(second, dtype=np.int64)))


def _distinct_admin_values(columns: dict[str, list[str]]) -> list[str]:
    """The distinct non-empty values of the given columns of `vietnamadminunits`' tables, as plain names, sorted."""
    from vietnamadminunits.database.main import query

    names: set[str] = set()
    for table, table_columns in columns.items():
        for column in table_columns:
            rows = query(f"select distinct {column} from {table}")
            names.update(plain_admin_name(row[column]) for row in rows if row[column])
    return sorted(names)


def read_admin_names(wards: bool = True) -> list[str]:
    """Province, district and (with ``wards``) ward names from `vietnamadminunits` (accented), of the units before
    and after the 2025 reform."""
    legacy, current = ["provinceShort", "districtShort"], ["provinceShort"]
    if wards:
        legacy.append("wardShort")
        current.append("wardShort")
    return _distinct_admin_values({"admin_units_legacy": legacy, "admin_units": current})


def read_typed_admin_names() -> list[str]:
    """Province and district names with their unit type (Tỉnh Hậu Giang, Huyện Long Mỹ, Thành phố Cao Lãnh), before
    and after the 2025 reform: plans put the type before the name in headers and lists ("HUYỆN LONG MỸ", "- Huyện
    Tháp Mười: 05 sản phẩm"), which the legal corpus seldom does. Wards are left out: their types are the common words
    xã and phường, whose contexts thousands of ward names would swamp."""
    return _distinct_admin_values({"admin_units_legacy": ["province", "district"], "admin_units": ["province"]})


class StreamEncoder:
    """Turns paragraphs into one stream of word indices, boundaries and codes."""

    def __init__(self, places: Collection[str] = ()) -> None:
        self.places = frozenset(places)  # `place_key`s of the place words, read as `lm.PLACE` where capitalised
        self.words: dict[str, int] = {}
        self.stream = array("i")
        self.acronyms: Counter[str] = Counter()  # upper-case non-syllables: the frequent ones are words of their own
        # marked ones of three letters or more inside codes (TT-BGDĐT), to mark OCR'd codes; HĐ is left to the
        # acronym counts above, since plans cite guidelines as HD (Hướng dẫn), which the legal corpus seldom does
        self.code_acronyms: Counter[str] = Counter()
        self.syllables: dict[str, bool] = {}

    def add(self, paragraph: str) -> None:
        """Append a paragraph, framed by sentence boundaries."""
        boundary, code = _SPECIAL[lm.BOUNDARY], _SPECIAL[lm.CODE]
        out = self.stream
        out.append(boundary)
        for tok in scan_tokens(paragraph):
            if tok.kind == "break":
                if out[-1] != boundary:
                    out.append(boundary)
            elif tok.kind == "code":
                out.append(code)
                for part in LETTER_RUN_RE.findall(paragraph, tok.start, tok.end):
                    if len(part) > 2 and part.isupper() and has_marks(part) and not self._is_syllable(part):
                        self.code_acronyms[part] += 1
            else:
                word = paragraph[tok.start : tok.end]
                if word == AMPERSAND:  # read as the word it stands for, as the restorer reads it
                    word = AMPERSAND_READING
                if len(word) > 1 and word.isupper() and not self._is_syllable(word):
                    self.acronyms[word] += 1
                out.append(self._index(word))
        if out[-1] != boundary:
            out.append(boundary)

    def word_ids(self, ids: dict[str, int]) -> np.ndarray:
        """Per word seen, its id in the vocabulary ``ids``, as the restorer reads the word: a listed acronym as
        itself, a capitalised place word (`place_words`) as `lm.PLACE`, another upper-case non-syllable as
        `lm.ACRONYM`, a syllable in modern tone placement, any other word as `lm.UNKNOWN`."""
        acronym, unknown, place = ids[lm.ACRONYM], ids[lm.UNKNOWN], ids[lm.PLACE]

        def word_id(word: str) -> int:
            if word in ids:  # a listed acronym (a syllable is lower case)
                return ids[word]
            if is_place_word(word, self.places):
                return place
            return acronym if word in self.acronyms else ids.get(normalize_tone(word.lower()), unknown)

        return np.array([word_id(w) for w in self.words], dtype=np.int64)

    def _is_syllable(self, word: str) -> bool:
        known = self.syllables.get(word)
        if known is None:
            known = self.syllables[word] = is_valid_syllable(normalize_tone(word.lower()))
        return known

    def _index(self, word: str) -> int:
        idx = self.words.get(word)
        if idx is None:
            idx = self.words[word] = len(self.words)
        return idx


def build_vocab(encoder: StreamEncoder, places: frozenset[str] = frozenset()) -> tuple[list[str], np.ndarray]:
    """Lexicon words (valid syllables seen often enough, and so are the ``places`` syllables whose letters spell none;
    then acronyms seen `MIN_ACRONYM_COUNT` times, upper-case) and the raw-word → vocabulary id map
    (`StreamEncoder.word_ids`)."""
    counts: Counter[str] = Counter()
    forms = [w if w in encoder.acronyms else normalize_tone(w.lower()) for w in encoder.words]
    raw = np.frombuffer(encoder.stream, dtype=np.int32)
    raw_counts = np.bincount(raw[raw >= 0], minlength=len(forms))
    for form, n in zip(forms, raw_counts.tolist(), strict=True):
        counts[form] += n
    syllables = [w for w, n in counts.items() if n >= MIN_SYLLABLE_COUNT and is_valid_syllable(w)]
    keys = {strip_marks(w) for w in syllables}
    names = [w for w in places if counts[w] >= MIN_SYLLABLE_COUNT and strip_marks(w) not in keys]
    lexicon = sorted(syllables + names, key=lambda w: (-counts[w], w))
    acronyms = sorted(frequent_acronyms(encoder), key=lambda w: (-encoder.acronyms[w], w))
    vocab = list(lm.SPECIAL_TOKENS) + lexicon + acronyms
    return vocab, encoder.word_ids({w: i for i, w in enumerate(vocab)})


def frequent_acronyms(encoder: StreamEncoder) -> list[str]:
    """The acronyms seen at least `MIN_ACRONYM_COUNT` times as words, in alphabetical order."""
    return sorted(w for w, n in encoder.acronyms.items() if n >= MIN_ACRONYM_COUNT)


def listed_acronyms(encoder: StreamEncoder) -> list[str]:
    """The acronym file's entries: the frequent acronyms, and the marked ones seen `MIN_ACRONYM_COUNT` times inside
    codes (BGDĐT of TT-BGDĐT, whose marks restore 15/2018/TT-BGDDT), in alphabetical order."""
    in_codes = (w for w, n in encoder.code_acronyms.items() if n >= MIN_ACRONYM_COUNT)
    return sorted(set(frequent_acronyms(encoder)).union(in_codes))


def encode_stream(encoder: StreamEncoder, word_to_id: np.ndarray) -> np.ndarray:
    """The stream as vocabulary ids (special tokens mapped to their ids)."""
    raw = np.frombuffer(encoder.stream, dtype=np.int32).astype(np.int64)
    ids = word_to_id[np.maximum(raw, 0)]
    for name, code in _SPECIAL.items():
        ids[raw == code] = lm.SPECIAL_TOKENS.index(name)
    return ids


def estimate_discount(counts: np.ndarray) -> float:
    """Absolute discount D = n1 / (n1 + 2 n2) from the count-of-counts (Ney et al. 1994)."""
    n1, n2 = np.count_nonzero(counts == 1), np.count_nonzero(counts == 2)
    return float(n1 / (n1 + 2 * n2)) if n1 + n2 else 0.5


def estimate_discounts(counts: np.ndarray) -> np.ndarray:
    """Modified Kneser-Ney discounts D1, D2, D3+ from the count-of-counts (Chen & Goodman 1998), as an array
    indexed by min(count, 3) (index 0 unused)."""
    n = [np.count_nonzero(counts == k) for k in (1, 2, 3, 4)]
    if min(n) == 0:
        d = estimate_discount(counts)
        return np.array([0.0, d, d, d])
    y = n[0] / (n[0] + 2 * n[1])
    return np.array([0.0, 1 - 2 * y * n[1] / n[0], 2 - 3 * y * n[2] / n[1], 3 - 4 * y * n[3] / n[2]])


def group_histories(keys: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For sorted n-gram keys: each history's key, total count, number of distinct followers, and each key's group."""
    history = keys >> lm.ID_BITS
    hist_keys, first, group, followers = np.unique(history, return_index=True, return_inverse=True, return_counts=True)
    totals = np.add.reduceat(counts, first)
    return hist_keys, totals, followers, group


def discount_level(
    counts: np.ndarray, discounts: np.ndarray, group: np.ndarray, totals: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each n-gram's discounted share of its history's total, and each history's freed mass (gamma)."""
    d = discounts[np.minimum(counts, 3)]
    freed = np.bincount(group, weights=d, minlength=len(totals))
    return (counts - d) / totals[group], freed / totals


def estimate_tables(
    ids: np.ndarray, vocab_size: int, smoothing: str = "absolute"
) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """Smoothed trigram tables in backoff form, and the discounts used.

    ``smoothing`` "absolute": interpolated absolute discounting, one discount per order, lower orders from raw
    counts; "kneser-ney": interpolated modified Kneser-Ney, three discounts per order, lower orders from
    continuation counts (the number of distinct words seen before an n-gram); "kneser-ney-bigram": the same with
    the unigram from raw counts (it is also the candidates' prior).
    """
    low20, low40 = (1 << lm.ID_BITS) - 1, (1 << (2 * lm.ID_BITS)) - 1
    keys2, n2 = np.unique(lm.pack_keys(ids[:-1], ids[1:]), return_counts=True)
    keys3, n3 = np.unique(lm.pack_keys(ids[:-2], ids[1:-1], ids[2:]), return_counts=True)
    suffix = np.searchsorted(keys2, keys3 & low40)
    if smoothing.startswith("kneser-ney"):
        c1 = np.bincount(keys2 & low20 if smoothing == "kneser-ney" else ids, minlength=vocab_size).astype(np.float64)
        m2 = np.maximum(np.bincount(suffix, minlength=len(keys2)), 1)
        disc2, disc3 = estimate_discounts(m2), estimate_discounts(n3)
    else:
        c1 = np.bincount(ids, minlength=vocab_size).astype(np.float64)
        m2 = n2
        disc2, disc3 = (np.array([0.0, *[estimate_discount(n)] * 3]) for n in (n2, n3))
    p1 = np.maximum(c1, 0.5) / c1.sum()

    hist1, tot1, _, group1 = group_histories(keys2, m2)
    share2, freed1 = discount_level(m2, disc2, group1, tot1)
    gamma1 = np.ones(vocab_size)
    gamma1[hist1] = freed1
    p2 = share2 + gamma1[keys2 >> lm.ID_BITS] * p1[keys2 & low20]

    hist2, tot2, _, group2 = group_histories(keys3, n3)
    share3, gamma2 = discount_level(n3, disc3, group2, tot2)
    p3 = share3 + gamma2[group2] * p2[suffix]

    bow2 = np.zeros(len(keys2))
    bow2[np.searchsorted(keys2, hist2)] = np.log(gamma2)
    keep2 = (n2 >= MIN_BIGRAM_COUNT) | (bow2 < 0)
    keep3 = n3 >= MIN_TRIGRAM_COUNT
    tables = {
        "lp1": np.log(p1).astype(np.float32),
        "bow1": np.log(gamma1).astype(np.float32),
        "keys2_delta": np.diff(keys2[keep2], prepend=0),
        "q2": lm.quantise(np.log(p2[keep2])),
        "bow2": lm.quantise(bow2[keep2]),
        "keys3_delta": np.diff(keys3[keep3], prepend=0),
        "q3": lm.quantise(np.log(p3[keep3])),
    }
    if smoothing == "absolute":
        return tables, {"bigram": round(float(disc2[1]), 4), "trigram": round(float(disc3[1]), 4)}
    rounded = {f"bigram_{k}": round(float(disc2[k]), 4) for k in (1, 2, 3)}
    rounded.update({f"trigram_{k}": round(float(disc3[k]), 4) for k in (1, 2, 3)})
    return tables, rounded


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def write_model(
    corpus: Path,
    out: Path,
    weight: int = DOMAIN_WEIGHT,
    min_terms: int = DOMAIN_MIN_TERMS,
    smoothing: str = SMOOTHING,
) -> dict:
    """Build every model file into ``out`` and return the metadata written."""
    admin_names, districts = read_admin_names(), read_admin_names(wards=False)
    places_kept = place_words(districts + admin_names)  # a district's spelling first
    encoder = StreamEncoder(places_kept)
    domain_paragraphs = 0
    for paragraph in read_corpus(corpus):
        times = domain_weight(paragraph, weight, min_terms)
        domain_paragraphs += times > 1
        for _ in range(times):
            encoder.add(paragraph)
    for _ in range(ADMIN_NAME_WEIGHT):
        for name in admin_names + read_typed_admin_names():
            encoder.add(name)
    places = place_name_syllables(admin_names)
    vocab, word_to_id = build_vocab(encoder, places)
    ids = encode_stream(encoder, word_to_id)
    tables, discounts = estimate_tables(ids, len(vocab), smoothing)
    vocab_ids = {w: i for i, w in enumerate(vocab)}
    pairs = dictionary_pairs(read_dictionary_words() + admin_names, vocab_ids)
    tables["pairs_delta"] = np.diff(pairs, prepend=0)
    regions = dictionary_pairs(districts, vocab_ids)
    tables["place_pairs_delta"] = np.diff(regions, prepend=0)
    counts = np.bincount(ids, minlength=len(vocab))
    out.mkdir(parents=True, exist_ok=True)
    (out / lm.VOCAB_FILE).write_text("".join(f"{w}\t{n}\n" for w, n in zip(vocab, counts, strict=True)), "utf-8")
    (out / lm.ACRONYM_FILE).write_text("".join(f"{w}\n" for w in listed_acronyms(encoder)), "utf-8")
    np.savez_compressed(out / lm.NGRAM_FILE, **tables)
    name_syllables = count_name_syllables()
    write_name_syllables(name_syllables, out / NAME_FILE)
    write_place_words(places_kept, out / PLACE_WORDS_FILE)
    meta = {
        "format_version": lm.FORMAT_VERSION,
        "order": 3,
        "smoothing": f"{_SMOOTHING_NAMES[smoothing]} in backoff form, log-probs quantised to uint8 (0.08 nats)",
        "discounts": discounts,
        "pruning": {
            "min_syllable_count": MIN_SYLLABLE_COUNT,
            "min_bigram_count": MIN_BIGRAM_COUNT,
            "min_trigram_count": MIN_TRIGRAM_COUNT,
            "min_acronym_count": MIN_ACRONYM_COUNT,
        },
        "tone_placement": "modern (hóa, ủy, thúy)",
        "held_out": "zlib.crc32(line.encode()) % 100 == 0",
        "corpus": corpus.name,
        "corpus_sha256": sha256_file(corpus),
        "tokens": len(ids),
        "vocab_size": len(vocab),
        "bigrams": len(tables["q2"]),
        "trigrams": len(tables["q3"]),
        "admin_names": f"vietnamadminunits: names, and province and district names with their type "
        f"(weight {ADMIN_NAME_WEIGHT})",
        "place_name_syllables": f"{sum(w in places for w in vocab)} marked syllables of place names outside "
        "Vietnamese syllable structure (Đắk, Krông), admitted to the lexicon",
        "word_pairs": {
            "source": f"pyvi {version('pyvi')} models/{DICTIONARY_FILE} (MIT) and the place names of vietnamadminunits",
            "pairs": len(tables["pairs_delta"]),
            "bonus": "lm.WORD_PAIR_BONUS, added at load",
        },
        "place_pairs": {
            "source": "the province and district names of vietnamadminunits",
            "pairs": len(tables["place_pairs_delta"]),
            "bonus": "lm.PLACE_PAIR_BONUS, between two capitalised words (decode.score_transitions)",
        },
        "place_words": f"{len(places_kept)} words of place names that no syllable spells (Ea, M'Đrắk): a candidate "
        f"spelled as the name, read as {lm.PLACE} (place_words)",
        "name_syllables": {
            "source": f"{NAME_PACKAGE.replace('_', '-')} {version(NAME_PACKAGE)} data/*.name (MIT)",
            "syllables": len(name_syllables),
        },
        "domain_weighting": {
            "terms": list(DOMAIN_TERMS),
            "min_terms": min_terms,
            "weight": weight,
            "paragraphs": domain_paragraphs,
        },
        "build_date": dt.date.today().isoformat(),
    }
    (out / lm.META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return meta


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--domain-weight", type=int, default=DOMAIN_WEIGHT, help="count of in-domain paragraphs")
    parser.add_argument("--domain-min-terms", type=int, default=DOMAIN_MIN_TERMS)
    parser.add_argument("--smoothing", choices=sorted(_SMOOTHING_NAMES), default=SMOOTHING)
    args = parser.parse_args(argv)
    meta = write_model(args.corpus, args.out, args.domain_weight, args.domain_min_terms, args.smoothing)
    print(json.dumps(meta, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
