"""Command line: `python -m pipeline extract --raw-dir DIR --out-dir DIR`; `ingest`, `db` and `query`."""

from __future__ import annotations

import argparse
import csv
import logging
import sys
from pathlib import Path

import duckdb
import pandas as pd

from pipeline import __version__
from pipeline.archive import ingest_files
from pipeline.config import (
    DEFAULT_MAX_IMAGE_PIXELS,
    DEFAULT_MAX_PAGES,
    DEFAULT_MAX_RESTORE_CHARS,
    DEFAULT_OCR_DPI,
    DEFAULT_OCR_LANG,
    DEFAULT_PAGE_TIMEOUT_S,
    OVERRIDES_FILE,
    PROCESSED_DIR,
    RAW_DIR,
    USER_LEXICON,
    Settings,
)
from pipeline.db import default_db_path, ensure_database, run_query
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
    extract.add_argument("--workers", type=int, default=0, help="processes for documents and pages (0: all cores)")
    extract.add_argument("--scheduler", default="", help="Dask scheduler (tcp://host:port) to OCR the pages on")
    extract.add_argument("--strict", action="store_true", help="exit non-zero when any input was quarantined")
    extract.add_argument("--ocr-lang", default=DEFAULT_OCR_LANG, help="Tesseract language(s)")
    extract.add_argument("--ocr-dpi", type=int, default=DEFAULT_OCR_DPI, help="resolution for rasterising scans")
    extract.add_argument("--page-timeout", type=int, default=DEFAULT_PAGE_TIMEOUT_S, help="seconds of OCR per page")
    extract.add_argument("--max-pages", type=int, default=DEFAULT_MAX_PAGES, help="pages per document at most")
    extract.add_argument("--max-image-pixels", type=int, default=DEFAULT_MAX_IMAGE_PIXELS, help="pixels per image")
    extract.add_argument("--max-restore-chars", type=int, default=DEFAULT_MAX_RESTORE_CHARS,
                         help="characters restored at once (bounds memory); longer documents are chunked")  # fmt: skip
    extract.add_argument("--user-lexicon", type=Path, default=USER_LEXICON, help="reviewers' restorations (TSV)")
    extract.add_argument("--overrides", type=Path, default=OVERRIDES_FILE, help="reviewers' fact corrections (CSV)")
    extract.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    ingest = commands.add_parser("ingest", help="copy new plans into the raw folder and list them in its manifest")
    ingest.add_argument("src", type=Path, help="a plan, or a folder of plans (searched recursively)")
    ingest.add_argument("--province", help="province of every file (default: read from each file's text)")
    ingest.add_argument("--raw-dir", type=Path, default=RAW_DIR, help="the raw folder to copy into")
    for name, help_text in (("db", "build the DuckDB database of an output folder"), ("query", "run SQL on it")):
        command = commands.add_parser(name, help=help_text)
        if name == "query":
            command.add_argument("sql", help="the query, e.g. 'SELECT * FROM budget_facts'")
            command.add_argument("--csv", action="store_true", help="print CSV instead of a table")
        command.add_argument("--out-dir", type=Path, default=PROCESSED_DIR, help="folder of the tables")
        command.add_argument("--db", type=Path, help="database file (default: <out-dir>/ocop.duckdb)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING if getattr(args, "quiet", False) else logging.INFO,
                        format="%(levelname)s %(message)s")  # fmt: skip
    log = logging.getLogger("pipeline")
    if args.command != "extract":
        try:
            return {"ingest": ingest_plans, "db": build_db, "query": query_db}[args.command](args)
        except (ValueError, OSError, duckdb.Error) as error:
            log.error("%s", error)
            return 2
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
            max_restore_chars=args.max_restore_chars,
            strict=args.strict,
            user_lexicon=args.user_lexicon,
            overrides_file=args.overrides,
            scheduler=args.scheduler,
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


def ingest_plans(args: argparse.Namespace) -> int:
    """`ingest`: one line per file offered; exit status 1 when any file was refused."""
    outcomes = ingest_files(args.src, args.raw_dir, args.province)
    for outcome in outcomes:
        print(outcome.render())
    counts = {kind: sum(o.outcome == kind for o in outcomes) for kind in ("added", "duplicate", "refused")}
    print(", ".join(f"{n} {kind}" for kind, n in counts.items()), f"(manifest: {args.raw_dir / 'MANIFEST.csv'})")
    return 1 if counts["refused"] else 0


def build_db(args: argparse.Namespace) -> int:
    """`db`: build the database and say where it is."""
    db_path = ensure_database(args.out_dir, args.db or default_db_path(args.out_dir))
    print(db_path)
    return 0


def query_db(args: argparse.Namespace) -> int:
    """`query`: run SQL (building the database first when needed) and print the result."""
    db_path = ensure_database(args.out_dir, args.db or default_db_path(args.out_dir))
    columns, rows = run_query(db_path, args.sql)
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerows([columns, *rows])
    else:
        print(pd.DataFrame(rows, columns=columns).convert_dtypes().to_string(index=False))
    return 0
