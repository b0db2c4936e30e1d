"""Process pools that start clean and never outlive their results.

Workers start from a fresh interpreter (forkserver), never a fork of a process whose other threads (a Dask client, a
progress monitor) may hold a lock the child would wait on forever. A worker still busy once the results are in (a
page past its limit) is killed, so it can never keep the program from exiting.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def fresh_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` processes started from the forkserver."""
    return ProcessPoolExecutor(workers, multiprocessing.get_context("forkserver"))


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Shut a pool whose results are all in: queued work is cancelled and a worker still running is killed."""
    workers = list((pool._processes or {}).values())  # no public way to kill a busy worker before Python 3.14
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        if worker.is_alive():
            worker.kill()
            worker.join()
