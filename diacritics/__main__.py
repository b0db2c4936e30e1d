"""`python -m diacritics restore`: restore UTF-8 stdin to stdout, line for line."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

from diacritics.restorer import DEFAULT_USER_LEXICON, Restorer
from diacritics.tokens import settle_invisible


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m diacritics", description="Vietnamese diacritic restoration")
    commands = parser.add_subparsers(dest="command", required=True)
    restore = commands.add_parser("restore", help="restore stdin (UTF-8) to stdout, keeping every line")
    restore.add_argument("--model-dir", type=Path, default=None, help="model folder (default: the packaged model)")
    restore.add_argument(
        "--user-lexicon", type=Path, default=DEFAULT_USER_LEXICON, help="TSV of wrong → right (words or phrases)"
    )
    restore.add_argument(
        "--vie-ocr", action="store_true", help="the text was read by Tesseract's Vietnamese model: fix its tone slips"
    )
    args = parser.parse_args(argv)
    restorer = Restorer.load(args.model_dir, args.user_lexicon)
    for line, why in restorer.user.invalid:
        print(f"{args.user_lexicon}:{line}: skipped: {why}", file=sys.stderr)
    # zero-width characters pasted with web text would cut words where no break shows
    text = settle_invisible(unicodedata.normalize("NFC", sys.stdin.buffer.read().decode("utf-8")))
    # written as it goes: memory stays bounded on huge inputs
    for restored in restorer.restore_chunks(text, vie_ocr=args.vie_ocr):
        sys.stdout.buffer.write(restored.text.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
