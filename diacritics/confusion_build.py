"""Learn P(observed characters | intended character) for a Tesseract model on Vietnamese print.

Renders held-in corpus paragraphs as scanned-looking pages (bench/render.py), OCRs them with Tesseract `eng` (or
`vie` with ``--lang vie``), pairs printed and OCR tokens, aligns each pair character by character and counts what
each intended character became (identity included, "" for a deletion, several characters for an insertion). Writes

    ocr_char_confusions.tsv   intended  observed  count   (one intended character per row)
    ocr_word_pairs.tsv        intended  observed  count   (whole words, letters only, count >= 2)
    ocr_char_confusions.meta.json

(``ocr_vie_char_confusions.tsv`` and so on for `vie`).

Usage: python -m diacritics.confusion_build --corpus PATH --out diacritics/models [--lang L --pages N --workers W]
"""

from __future__ import annotations

import argparse
import json
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pytesseract
from rapidfuzz.distance import Levenshtein

from bench.render import CAPTURE_DPIS, DPI_WEIGHTS, FONT_FILES, LOW_RES_SHARE, TESSERACT_CONFIG
from bench.synth_ocr import (
    HELD_OUT_MODULUS,
    SynthPage,
    character_error_rate,
    draw_page_batches,
    iter_paired_lines,
    synthesize_pages,
)
from diacritics.build import sha256_file
from diacritics.candidates import WORD_PAIRS_FILE
from diacritics.channel import CONFUSION_FILE

META_FILE = "ocr_char_confusions.meta.json"
LANGUAGES = ("eng", "vie")
HEADER = ("intended", "observed", "count")
PairCounts = Counter[tuple[str, str]]  # (intended, observed) -> count
SAME_BASE_COST = 0.25  # substituting a letter by the same letter with other marks (ệ -> e, đ -> d)
MIN_WORD_PAIR_COUNT = 2
MAX_TOKEN_DISTANCE = 0.6  # longer pairs whose folded forms differ more than this are mis-paired tokens
SHORT_TOKEN = 2  # pairs of tokens this short are always kept ("ở" read as "6")


def fold_char(char: str) -> str:
    """A character without its diacritics, lower-cased (đ -> d)."""
    base = unicodedata.normalize("NFD", char.lower())[0]
    return "d" if base == "đ" else base


def substitution_cost(intended: str, observed: str) -> float:
    """Alignment cost of reading `intended` as `observed`."""
    if intended == observed:
        return 0.0
    return SAME_BASE_COST if fold_char(intended) == fold_char(observed) else 1.0


def align_chars(intended: str, observed: str) -> list[tuple[str, str]]:
    """Map each intended character to the observed substring it became, in order.

    Weighted edit-distance alignment; an inserted run goes to the neighbouring intended character that was
    itself misread (previous first), else to the previous one (the next one at the start of the word).
    The observed parts concatenate back to `observed` (an empty `intended` gives no pairs).
    """
    if not intended:
        return []
    n, m = len(intended), len(observed)
    cost = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        cost[i][0] = float(i)
    for j in range(1, m + 1):
        cost[0][j] = float(j)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i][j] = min(
                cost[i - 1][j - 1] + substitution_cost(intended[i - 1], observed[j - 1]),
                cost[i - 1][j] + 1.0,
                cost[i][j - 1] + 1.0,
            )
    parts = [""] * n
    runs: dict[int, str] = {}  # index of the intended char following an inserted run -> that run
    i, j = n, m
    while i or j:
        if i and j and cost[i][j] == cost[i - 1][j - 1] + substitution_cost(intended[i - 1], observed[j - 1]):
            parts[i - 1] = observed[j - 1]
            i, j = i - 1, j - 1
        elif i and cost[i][j] == cost[i - 1][j] + 1.0:
            i -= 1
        else:
            runs[i] = observed[j - 1] + runs.get(i, "")
            j -= 1
    misread = [part != char for part, char in zip(parts, intended, strict=True)]
    for following, run in runs.items():
        if following == 0 or (following < n and misread[following] and not misread[following - 1]):
            parts[following] = run + parts[following]
        else:
            parts[following - 1] += run
    return list(zip(intended, parts, strict=True))


def fold_word(word: str) -> str:
    """A token without marks, lower-cased, for comparing printed and OCR tokens."""
    return "".join(fold_char(c) for c in word)


def is_confusion_pair(intended: str, observed: str) -> bool:
    """Whether a printed/OCR token pair is close enough to be one word misread (not a mis-paired token)."""
    if max(len(intended), len(observed)) <= SHORT_TOKEN:
        return True
    return Levenshtein.normalized_distance(fold_word(intended), fold_word(observed)) <= MAX_TOKEN_DISTANCE


def strip_to_letters(token: str) -> str:
    """A token without its leading and trailing non-alphanumeric characters."""
    start, end = 0, len(token)
    while start < end and not token[start].isalnum():
        start += 1
    while end > start and not token[end - 1].isalnum():
        end -= 1
    return token[start:end]


def count_confusions(token_pairs: Iterable[tuple[str, str]]) -> tuple[PairCounts, PairCounts]:
    """Character confusion counts and word pair counts from (intended token, observed token) pairs."""
    chars: PairCounts = Counter()
    words: PairCounts = Counter()
    for intended, observed in token_pairs:
        if not is_confusion_pair(intended, observed):
            continue
        chars.update(align_chars(intended, observed))
        word = strip_to_letters(intended)
        if word and any(c.isalpha() for c in word):
            words[word, strip_to_letters(observed)] += 1
    return chars, words


def write_counts(path: Path, counts: PairCounts, min_count: int = 1) -> None:
    """Write (intended, observed) -> count as a sorted TSV with header `intended  observed  count`."""
    rows = sorted(((i, o, c) for (i, o), c in counts.items() if c >= min_count), key=lambda r: (r[0], -r[2], r[1]))
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="\n") as out:
        out.write("\t".join(HEADER) + "\n")
        out.writelines(f"{i}\t{o}\t{c}\n" for i, o, c in rows)
    tmp.replace(path)


def read_counts(path: Path) -> PairCounts:
    """Read a TSV written by `write_counts`."""
    with path.open(encoding="utf-8") as lines:
        if tuple(next(lines).rstrip("\n").split("\t")) != HEADER:
            raise ValueError(f"{path}: header is not {HEADER}")
        return Counter({(i, o): int(c) for i, o, c in (line.rstrip("\n").split("\t") for line in lines)})


def output_name(name: str, lang: str) -> str:
    """The file name of a table for Tesseract ``lang``: as is for `eng`, with the language after "ocr_" otherwise
    (`channel.SLIP_FILE` for `vie`)."""
    return name if lang == "eng" else name.replace("ocr_", f"ocr_{lang}_", 1)


def describe_build(args: argparse.Namespace, pages: list[SynthPage], seconds: float) -> dict:
    """The build's provenance for the .meta.json file."""
    return {
        "format_version": 1,
        "unit": "one intended character -> the observed string it became ('' = deleted), identities included",
        "pages": len(pages),
        "lines": sum(len(p.source) for p in pages),
        "lines_paired": sum(1 for _ in iter_paired_lines(pages)),
        f"{args.lang}_cer": round(character_error_rate(pages), 4),
        "fonts": dict(Counter(p.font for p in pages)),
        "font_files": FONT_FILES,
        "dpi": dict(Counter(str(p.dpi) for p in pages)),
        "dpi_weights": DPI_WEIGHTS,
        "low_res_capture": {"share": LOW_RES_SHARE, "capture_dpis": list(CAPTURE_DPIS)},
        "tesseract": f"tesseract {pytesseract.get_tesseract_version()}",
        "tesseract_lang": args.lang,
        "tesseract_config": TESSERACT_CONFIG,
        "corpus": Path(args.corpus).name,
        "corpus_sha256": sha256_file(Path(args.corpus)),
        "corpus_split": f"held-in lines only (zlib.crc32(line.encode()) % {HELD_OUT_MODULUS} != 0)",
        "seed": args.seed,
        "seconds": round(seconds),
        # the output folder and worker count do not change the tables
        "command": " ".join(
            [
                "python -m diacritics.confusion_build",
                f"--corpus {args.corpus} --lang {args.lang} --pages {args.pages} --seed {args.seed}",
            ]
        ),
    }


def main(argv: list[str] | None = None) -> None:
    """Build the confusion tables from the corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path("diacritics/models"))
    parser.add_argument("--pages", type=int, default=500, help="about 2.5 s per page and worker")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--lang", choices=LANGUAGES, default="eng", help="the Tesseract model to learn")
    args = parser.parse_args(argv)
    started = time.monotonic()
    batches = draw_page_batches(args.corpus, args.pages, held_out=False, seed=args.seed)
    pages = synthesize_pages(batches, args.lang, args.seed, args.workers)
    chars, words = count_confusions(pair for pairs in iter_paired_lines(pages) for pair in pairs)
    args.out.mkdir(parents=True, exist_ok=True)
    write_counts(args.out / output_name(CONFUSION_FILE, args.lang), chars)
    write_counts(args.out / output_name(WORD_PAIRS_FILE, args.lang), words, MIN_WORD_PAIR_COUNT)
    meta = describe_build(args, pages, time.monotonic() - started)
    meta_text = json.dumps(meta, ensure_ascii=False, indent=2) + "\n"
    (args.out / output_name(META_FILE, args.lang)).write_text(meta_text, encoding="utf-8")
    cer = meta[f"{args.lang}_cer"]
    print(f"{len(pages)} pages, {args.lang} CER {cer:.4f}, {sum(chars.values())} characters counted")


if __name__ == "__main__":
    main()
