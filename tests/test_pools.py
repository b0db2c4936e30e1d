"""Process pools: a worker never outlives the process that owns its pool."""

from __future__ import annotations

import multiprocessing
import multiprocessing.queues
import os
import signal
import subprocess
import sys
import time

from pipeline.config import PROJECT_DIR
from pipeline.pools import _exists, fresh_pool, stop_pool
from tests.processes import stat_fields

OWNER = """
import os, time
from pipeline.pools import fresh_pool
from tests.test_pools import start_program
pool = fresh_pool(1)
print(pool.submit(os.getpid).result(), pool.submit(start_program).result(), flush=True)
time.sleep(3600)
"""


def start_program() -> int:
    """In a worker: start a program that runs for an hour (as Tesseract may on a bad page) and return its id."""
    return subprocess.Popen(["sleep", "3600"]).pid


def await_program(queue: multiprocessing.queues.Queue) -> None:
    """In a worker: start a program, report its id, and wait for it (a page past its limit)."""
    program = subprocess.Popen(["sleep", "3600"])
    queue.put(program.pid)
    program.wait()


def ended(pid: int) -> bool:
    """Whether process `pid` is gone (or a zombie waiting to be reaped)."""
    fields = stat_fields(pid)
    return fields is None or fields[0] == "Z"


def all_end(pids: list[int], within_s: float = 60) -> bool:
    """Whether the processes `pids` all end within `within_s` seconds; those still running are then killed."""
    deadline = time.monotonic() + within_s
    while not all(map(ended, pids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    running = [pid for pid in pids if not ended(pid)]
    for pid in running:
        os.kill(pid, signal.SIGKILL)
    return not running


def test_a_worker_and_the_program_it_started_end_when_the_owner_of_its_pool_is_killed() -> None:
    owner = subprocess.Popen([sys.executable, "-c", OWNER], cwd=PROJECT_DIR, stdout=subprocess.PIPE, text=True)
    worker, program = map(int, owner.stdout.readline().split())
    assert not ended(worker) and not ended(program)
    os.kill(owner.pid, signal.SIGKILL)  # no shutdown, no clean-up: as the out-of-memory killer would
    owner.wait()
    assert all_end([worker, program])


def test_stopping_a_pool_kills_a_busy_worker_with_the_program_it_runs() -> None:
    queue = multiprocessing.get_context("forkserver").Manager().Queue()
    pool = fresh_pool(1)
    busy = pool.submit(await_program, queue)
    program = queue.get(timeout=60)
    worker = next(iter(pool._processes))
    stop_pool(pool)
    assert busy.running() or busy.exception()
    assert all_end([worker, program])


def test_a_process_exists_until_it_has_ended() -> None:
    child = subprocess.Popen(["sleep", "60"])
    assert _exists(child.pid)
    child.kill()
    child.wait()
    assert not _exists(child.pid) and _exists(os.getpid())


WATCH_WITHOUT_PIDFD = """
import os, subprocess
from pipeline.pools import _await_end
del os.pidfd_open  # as on a system without process file descriptors
owner = int(subprocess.run(["sh", "-c", "sleep 1 >/dev/null & echo $!"], capture_output=True, text=True).stdout)
_await_end(owner)
"""


def test_without_pidfd_a_worker_still_ends_after_its_owner() -> None:
    done = subprocess.run([sys.executable, "-c", WATCH_WITHOUT_PIDFD], cwd=PROJECT_DIR, timeout=120)
    assert done.returncode == 1  # `_await_end` ended the process once the owner (a reaped grandchild) was gone
