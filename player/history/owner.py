"""Which running process owns an open listen: its pid and start time.

A player writes its identity on the listens it opens. Start-up recovery closes an open listen
only when that process is gone, so a second `encore play` never closes the first one's live
listen. The start time (Linux: /proc/<pid>/stat, in clock ticks since boot) tells a reused pid
from the original; elsewhere a live pid is taken as the owner.
"""

from __future__ import annotations

import os


def process_start(pid: int) -> str:
    """The process's start time as text, "" when unknown (no /proc) or gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            text = stat.read()
    except OSError:
        return ""
    # comm (field 2) may hold spaces and parentheses: the fields after it follow the last ')'
    fields = text[text.rfind(b")") + 2:].split()
    return fields[19].decode() if len(fields) > 19 else ""


def this_process() -> str:
    """The owner text of this process: "pid:start"."""
    pid = os.getpid()
    return f"{pid}:{process_start(pid)}"


def is_running(owner: str) -> bool:
    """Whether the process that wrote owner ("pid:start") is still running."""
    pid_text, _, start = owner.partition(":")
    try:
        pid = int(pid_text)
    except ValueError:
        return False
    if pid <= 0:
        return False
    if os.path.isdir("/proc/self"):
        now = process_start(pid)
        return bool(now) and (not start or now == start)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, belongs to someone else
        return True
    return True
