"""Worker processes that never outlive their job: started quiet, stopped hard.

Tag reading and audio analysis run in process pools (forkserver). Three rules:
- a worker dies with Encore, even after kill -9: a watchdog thread exits the worker when
  Encore's pid is gone. (PR_SET_PDEATHSIG alone is not enough: a forkserver worker's parent
  is the forkserver, which waits for its workers before it exits. It is set as well, for
  pools whose workers Encore forks itself.)
- Ctrl+C is Encore's to handle, not each worker's (a terminal sends SIGINT to the whole
  process group; a worker interrupted mid-job broke the pool and the scan never exited);
- when the parent stops early (Ctrl+C, an error, cancel), stop_pool() terminates the workers
  instead of waiting for their queued jobs.
It also lowers the workers' priority: background work, the player must not stutter.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1
WATCHDOG_S = 1.0


def cap_workers(requested: int) -> int:
    """At most one worker per core: more only adds memory (~150 MB each), not speed."""
    return max(1, min(requested, os.cpu_count() or 1))


def pool_initializer_args() -> tuple[int]:
    """initargs for worker_start: the pid of the process that owns the pool."""
    return (os.getpid(),)


def worker_start(owner_pid: int) -> None:
    """ProcessPoolExecutor initializer (with initargs=pool_initializer_args())."""
    with contextlib.suppress(ValueError, OSError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    threading.Thread(target=_watch, args=(owner_pid,), name="owner-watchdog", daemon=True).start()
    with contextlib.suppress(AttributeError, OSError):
        os.nice(10)


def _die_with_parent() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    return True


def _watch(owner_pid: int) -> None:
    while True:
        time.sleep(WATCHDOG_S)
        try:
            os.kill(owner_pid, 0)
        except ProcessLookupError:
            os._exit(1)
        except OSError:
            pass


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop now: drop queued jobs and terminate the workers (their work is abandoned)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # no public API
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=5)
