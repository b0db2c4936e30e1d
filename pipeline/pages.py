"""Run per-page OCR jobs in a process pool or on a Dask cluster, with a progress bar and a per-page time limit.

A page that raises or runs past its limit comes back as an "ocr_failed" PageRecord with the reason; the other
pages, and so the document, still complete; a worker stuck on a page is killed once the other pages are in.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

from tqdm import tqdm

from pipeline.config import Settings
from pipeline.pools import pool_of
from pipeline.records import PageRecord, SourceKind

log = logging.getLogger("pipeline")

POOL_SLACK_S = 60  # beyond Tesseract's own limit: time for rendering and clean-up of one page


@dataclass(frozen=True)
class PageJob:
    """One page of a file to OCR: which file, which page (1-based) and how to label the result."""

    path: Path
    doc_id: str
    page_no: int
    source_kind: SourceKind

    def failed(self, reason: str) -> PageRecord:
        """This page as failed, with a reason."""
        return PageRecord(self.doc_id, self.page_no, "", self.source_kind, status="ocr_failed", reason=reason)


PageFunction = Callable[[PageJob, Settings], PageRecord]


def run_page_jobs(work: PageFunction, jobs: list[PageJob], settings: Settings) -> list[PageRecord]:
    """`work(job, settings)` for every job, in job order: on the Dask scheduler if one is set, else in a pool."""
    task = partial(guard_page, work, settings=settings)
    limit = settings.page_timeout_s + POOL_SLACK_S
    progress = tqdm(total=len(jobs), desc=f"pages of {jobs[0].doc_id}" if jobs else "pages", unit="page",
                    disable=None if len(jobs) > 1 else True)  # fmt: skip

    def collect(futures: list[Any]) -> list[PageRecord]:
        return [_tick(progress, collect_page(future, job, limit)) for future, job in zip(futures, jobs, strict=True)]

    try:
        if settings.scheduler:
            return collect(dask_client(settings.scheduler).map(task, jobs, pure=False))
        if settings.ocr_workers > 1 and len(jobs) > 1:
            with pool_of(min(settings.ocr_workers, len(jobs))) as pool:  # stopped also when collecting is interrupted
                return collect([pool.submit(task, job) for job in jobs])
        return [_tick(progress, task(job)) for job in jobs]
    finally:
        progress.close()


def guard_page(work: PageFunction, job: PageJob, settings: Settings) -> PageRecord:
    """Run one job; any exception makes the page failed instead of stopping the document."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one core per Tesseract: the pool shares out the cores
    try:
        return work(job, settings)
    except Exception as exc:  # a bad page must never stop the document
        log.warning("page %d of %s failed: %s", job.page_no, job.doc_id, exc)
        return job.failed(f"{type(exc).__name__}: {exc}")


def collect_page(future: Future | Any, job: PageJob, limit_s: float) -> PageRecord:
    """A job's result, or the page marked failed when it timed out or its worker died."""
    try:
        return future.result(timeout=limit_s)
    except (FutureTimeout, TimeoutError):
        future.cancel()
        return job.failed(f"page timed out after {limit_s:.0f} s")
    except Exception as exc:  # a worker process that crashed, a lost Dask worker
        return job.failed(f"worker failed: {type(exc).__name__}: {exc}")


@cache
def dask_client(address: str) -> Any:
    """A Dask distributed client for a scheduler address (tcp://host:port), one per process."""
    from distributed import Client

    return Client(address, set_as_default=False)


def _tick(progress: tqdm, record: PageRecord) -> PageRecord:
    progress.update()
    return record
