"""Command line: `python -m pipeline extract --raw-dir DIR --out-dir DIR`."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from pipeline import __version__
from pipeline.config import (
    DEFAULT_MAX_IMAGE_PIXELS,
    DEFAULT_MAX_PAGES,
    DEFAULT_OCR_DPI,
    DEFAULT_OCR_LANG,
    DEFAULT_PAGE_TIMEOUT_S,
    PROCESSED_DIR,
    RAW_DIR,
    Settings,
)
from pipeline.errors import PipelineError, StrictModeFailure
from pipeline.run import run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("extract", help="run every stage on a folder of plans and write the tables")
    extract.add_argument("--raw-dir", type=Path, default=RAW_DIR, help="folder of input plans (searched recursively)")
    extract.add_argument("--out-dir", type=Path, default=PROCESSED_DIR, help="folder for the tables and texts")
    extract.add_argument("--interim-dir", type=Path, help="folder for per-stage caches (default: beside --out-dir)")
    extract.add_argument("--workers", type=int, default=1, help="documents processed at once (0: all cores)")
    extract.add_argument("--strict", action="store_true", help="exit non-zero when any input was quarantined")
    extract.add_argument("--ocr-lang", default=DEFAULT_OCR_LANG, help="Tesseract language(s)")
    extract.add_argument("--ocr-dpi", type=int, default=DEFAULT_OCR_DPI, help="resolution for rasterising scans")
    extract.add_argument("--page-timeout", type=int, default=DEFAULT_PAGE_TIMEOUT_S, help="seconds of OCR per page")
    extract.add_argument("--max-pages", type=int, default=DEFAULT_MAX_PAGES, help="pages per document at most")
    extract.add_argument("--max-image-pixels", type=int, default=DEFAULT_MAX_IMAGE_PIXELS, help="pixels per image")
    extract.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(levelname)s %(message)s")
    log = logging.getLogger("pipeline")
    if not args.raw_dir.is_dir():
        log.error("raw folder not found: %s", args.raw_dir)
        return 2
    try:
        settings = Settings.for_dirs(
            args.raw_dir,
            args.out_dir,
            args.interim_dir,
            ocr_lang=args.ocr_lang,
            ocr_dpi=args.ocr_dpi,
            page_timeout_s=args.page_timeout,
            max_pages=args.max_pages,
            max_image_pixels=args.max_image_pixels,
            strict=args.strict,
        )
        summary = run(settings, workers=args.workers)
        print(summary.render(), file=sys.stderr)
        if settings.strict and summary.errors:
            raise StrictModeFailure(f"{len(summary.errors)} input file(s) quarantined (--strict)")
    except ValueError as error:
        log.error("%s", error)
        return 2
    except PipelineError as error:
        log.error("%s", error)
        return error.exit_code
    return 0
