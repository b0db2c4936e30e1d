"""Process pools that start clean and never outlive their owner or their results.

Workers start from a fresh interpreter (forkserver), never a fork of a process whose other threads (a Dask client, a
progress monitor) may hold a lock the child would wait on forever; the forkserver has imported the stages, so a
worker starts in milliseconds. A worker still busy once the results are in (a page past its limit) is killed, and a
worker whose owner died without shutting its pool (killed, out of memory) ends with it, so none lingers holding a
model in memory. Each worker leads a process group of its own, so a worker is killed with the programs it started (a
Tesseract still reading a page), and a Ctrl-C reaches the owner alone, which then stops its pools.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, suppress

PRELOADED = ["pipeline.run"]  # imported once by the forkserver (it imports every stage), not by each worker
IDLE_EXIT_S = 0.5  # how long a pool being stopped waits for its idle workers to end before it kills what runs on
OWNER_POLL_S = 1.0  # how often a worker looks for its owner where the system cannot signal its end


def fresh_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` processes started from the forkserver, each ending when this process ends."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOADED)
    return ProcessPoolExecutor(workers, context, initializer=end_with, initargs=(os.getpid(),))


@contextmanager
def pool_of(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A `fresh_pool`, stopped (`stop_pool`) when the block ends, also when it is interrupted."""
    pool = fresh_pool(workers)
    try:
        yield pool
    finally:
        stop_pool(pool)


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Shut a pool whose results are all in or no longer wanted: queued work is cancelled, idle workers end as they
    are told to, and a worker still running after `IDLE_EXIT_S` is killed."""
    workers = list((pool._processes or {}).values())  # no public way to kill a busy worker before Python 3.14
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + IDLE_EXIT_S
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.is_alive():
            _kill_group(worker.pid)
            worker.join()
    pool.shutdown(wait=True)  # the pool's own thread closes its queues once its workers are gone


def end_with(owner: int) -> None:
    """Worker initialiser: this process leads a new process group, and a watcher thread ends it, and the programs it
    started, as soon as process `owner` ends."""
    os.setpgid(0, 0)
    threading.Thread(target=_await_end, args=(owner,), name="owner-watch", daemon=True).start()


def _await_end(owner: int) -> None:
    try:
        watch = select.poll()
        watch.register(os.pidfd_open(owner), select.POLLIN)  # readable once the owner has ended
        watch.poll()
    except (AttributeError, OSError):  # no process file descriptors (not Linux, an old kernel): look now and then
        while _exists(owner):
            time.sleep(OWNER_POLL_S)
    if os.getpgrp() == os.getpid():  # this process and the programs it started
        os.killpg(0, signal.SIGKILL)
    os._exit(1)


def _kill_group(leader: int) -> None:
    """Kill process `leader` and every other process of the group it leads."""
    try:
        os.killpg(leader, signal.SIGKILL)
    except ProcessLookupError:  # no such group: the worker had not yet run its initialiser
        with suppress(ProcessLookupError):
            os.kill(leader, signal.SIGKILL)


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:  # no such process, or its number now belongs to another user's
        return False
    return True
