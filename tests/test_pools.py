"""Process pools: a worker never outlives the process that owns its pool."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from pipeline.config import PROJECT_DIR
from pipeline.pools import _exists
from tests.processes import stat_fields

OWNER = """
import os, time
from pipeline.pools import fresh_pool
pool = fresh_pool(1)
print(pool.submit(os.getpid).result(), flush=True)
pool.submit(time.sleep, 3600)
time.sleep(3600)
"""


def ended(pid: int) -> bool:
    """Whether process `pid` is gone (or a zombie waiting to be reaped)."""
    fields = stat_fields(pid)
    return fields is None or fields[0] == "Z"


def test_a_worker_ends_when_the_owner_of_its_pool_is_killed() -> None:
    owner = subprocess.Popen([sys.executable, "-c", OWNER], cwd=PROJECT_DIR, stdout=subprocess.PIPE, text=True)
    worker = int(owner.stdout.readline())
    assert not ended(worker)
    os.kill(owner.pid, signal.SIGKILL)  # no shutdown, no clean-up: as the out-of-memory killer would
    owner.wait()
    deadline = time.monotonic() + 60
    while not ended(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        assert ended(worker)
    finally:
        if not ended(worker):
            os.kill(worker, signal.SIGKILL)


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
