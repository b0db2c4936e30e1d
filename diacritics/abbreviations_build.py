"""Select the abbreviations the restorer keeps as written (`diacritics.abbreviations`) from a word list.

The words come from the Viet74K list of the `@vntk/dictionary` npm package (MIT licence), read from the tarball that
`npm pack @vntk/dictionary@1.0.0` fetches (`make model` does). Run: `python -m diacritics.abbreviations_build
--word-list build/vntk-dictionary-1.0.0.tgz --out diacritics/models`.
"""

from __future__ import annotations

import argparse
import hashlib
import tarfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from diacritics.abbreviations import ABBREVIATION_FILE
from diacritics.syllables import is_valid_syllable, normalize_tone

WORD_LIST_PACKAGE = "@vntk/dictionary@1.0.0"  # `npm pack` it to get the tarball
WORD_LIST_MEMBER = "package/data/Viet74K.txt"


def read_word_list(tarball: Path) -> list[str]:
    """The entries (NFC) of the Viet74K word list inside the `@vntk/dictionary` npm tarball."""
    with tarfile.open(tarball, "r:gz") as archive:
        member = archive.extractfile(WORD_LIST_MEMBER)
        if member is None:
            raise ValueError(f"{tarball}: {WORD_LIST_MEMBER} is not a file")
        text = member.read().decode("utf-8")
    return [unicodedata.normalize("NFC", line.strip()) for line in text.splitlines() if line.strip()]


def select_abbreviations(words: Iterable[str]) -> list[str]:
    """The single-word entries of letters only, with an upper-case initial but not all upper case (those are
    acronyms), that are no Vietnamese syllable: Cty, Fe, Xtiêng, not Hà, HTX or cty. Sorted, unique."""
    return sorted(
        {
            word
            for word in words
            if word.isalpha()
            and word[0].isupper()
            and not word.isupper()
            and not is_valid_syllable(normalize_tone(word.lower()))
        }
    )


def write_abbreviations(tarball: Path, out_dir: Path) -> list[str]:
    """Select the abbreviations of the word list in ``tarball`` into ``out_dir``/`ABBREVIATION_FILE`, headed by
    a comment line naming the source and its sha256; return them."""
    chosen = select_abbreviations(read_word_list(tarball))
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    header = f"# {WORD_LIST_PACKAGE} {WORD_LIST_MEMBER} (MIT licence), tarball sha256 {digest}\n"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / ABBREVIATION_FILE).write_text(header + "".join(f"{w}\n" for w in chosen), encoding="utf-8")
    return chosen


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--word-list", type=Path, required=True, help=f"tarball of `npm pack {WORD_LIST_PACKAGE}`")
    parser.add_argument("--out", type=Path, required=True, help="model directory")
    args = parser.parse_args(argv)
    chosen = write_abbreviations(args.word_list, args.out)
    print(f"{len(chosen)} abbreviations written to {args.out / ABBREVIATION_FILE}")


if __name__ == "__main__":
    main()
