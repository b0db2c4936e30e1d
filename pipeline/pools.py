"""Process pools that start clean and never outlive their results.

Workers start from a fresh interpreter (forkserver), never a fork of a process whose other threads (a Dask client, a
progress monitor) may hold a lock the child would wait on forever; the forkserver has imported the stages, so a
worker starts in milliseconds. A worker still busy once the results are in (a page past its limit) is killed, so it
can never keep the program from exiting.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

PRELOADED = ["pipeline.run"]  # imported once by the forkserver (it imports every stage), not by each worker


def fresh_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` processes started from the forkserver."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOADED)
    return ProcessPoolExecutor(workers, context)


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Shut a pool whose results are all in: queued work is cancelled and a worker still running is killed."""
    workers = list((pool._processes or {}).values())  # no public way to kill a busy worker before Python 3.14
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        if worker.is_alive():
            worker.kill()
            worker.join()
