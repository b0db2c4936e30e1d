"""Process pools that start clean and never outlive their owner or their results.

Workers start from a fresh interpreter (forkserver), never a fork of a process whose other threads (a Dask client, a
progress monitor) may hold a lock the child would wait on forever; the forkserver has imported the stages, so a
worker starts in milliseconds. A worker still busy once the results are in (a page past its limit) is killed, and a
worker whose owner died without shutting its pool (killed, out of memory) ends with it, so none lingers holding a
model in memory.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import threading
import time
from concurrent.futures import ProcessPoolExecutor

PRELOADED = ["pipeline.run"]  # imported once by the forkserver (it imports every stage), not by each worker
OWNER_POLL_S = 1.0  # how often a worker looks for its owner where the system cannot signal its end


def fresh_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` processes started from the forkserver, each ending when this process ends."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOADED)
    return ProcessPoolExecutor(workers, context, initializer=end_with, initargs=(os.getpid(),))


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Shut a pool whose results are all in: queued work is cancelled and a worker still running is killed."""
    workers = list((pool._processes or {}).values())  # no public way to kill a busy worker before Python 3.14
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        if worker.is_alive():
            worker.kill()
            worker.join()


def end_with(owner: int) -> None:
    """Worker initialiser: a watcher thread ends this process as soon as process `owner` ends."""
    threading.Thread(target=_await_end, args=(owner,), name="owner-watch", daemon=True).start()


def _await_end(owner: int) -> None:
    try:
        watch = select.poll()
        watch.register(os.pidfd_open(owner), select.POLLIN)  # readable once the owner has ended
        watch.poll()
    except (AttributeError, OSError):  # no process file descriptors (not Linux, an old kernel): look now and then
        while _exists(owner):
            time.sleep(OWNER_POLL_S)
    os._exit(1)


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:  # no such process, or its number now belongs to another user's
        return False
    return True
