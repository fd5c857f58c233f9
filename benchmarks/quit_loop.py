"""Quit Encore N times with music playing and check that nothing goes wrong on the way out.

Each run starts the real app (real libVLC, dummy audio output) on a library folder, plays a
file given on the command line, shows a page (cycling through all of them, so Home's and the
recap's workers are running too), and quits with File > Quit after a delay that varies from
run to run (mid-scan, mid-analysis, mid-playback). glibc's malloc checks are on
(MALLOC_CHECK_=3 with libc_malloc_debug preloaded, so heap corruption aborts) and Python's
debug allocator too. A run fails on a non-zero exit, a signal, or any of the words Qt, glibc
or Python print when an object's ownership is wrong.

    xvfb-run -a -s "-screen 0 1400x900x24" dbus-run-session -- \\
        python benchmarks/quit_loop.py --runs 50 [--music FOLDER]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "resources" / "demo"
PAGES = ("Home", "Library", "Queue", "History", "Playlists", "Your year")
BAD_WORDS = ("malformed", "malloc", "double free", "corrupted", "Segmentation", "Aborted",
             "Fatal Python error", "Traceback", "QObject:", "QThread: Destroyed",
             "RuntimeError", "free(): ", "already deleted", "HUNG", "LEFTOVER",
             "still running")
MALLOC_DEBUG = Path("/usr/lib/x86_64-linux-gnu/libc_malloc_debug.so.0")


def run_once(home: Path, db: Path, music: Path, page: str, quit_after_ms: int,
             timeout: float = 120) -> tuple[int, str]:
    config = home / "config" / "Encore"
    config.mkdir(parents=True, exist_ok=True)
    (config / "Encore.conf").write_text(f"[window]\npage={page}\nsection=Tracks\n")
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"),
               ENCORE_NO_FIRST_RUN="1", ENCORE_AUDIO_OUTPUT="dummy",
               ENCORE_QUIT_AFTER_MS=str(quit_after_ms), PYTHONPATH=str(ROOT),
               MALLOC_CHECK_="3", MALLOC_PERTURB_="165", PYTHONMALLOC="debug",
               PYTHONFAULTHANDLER="1")
    env.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")
    if MALLOC_DEBUG.exists():  # glibc >= 2.34 checks only with this preloaded
        env["LD_PRELOAD"] = str(MALLOC_DEBUG)
    music_link = home / "Music"
    if not music_link.exists():
        music_link.symlink_to(music)
    song = sorted(DEMO.glob("*.ogg"))[0]
    log = home / "run.log"  # a file, not a pipe: a leftover child cannot hold it open
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "player", "--db", str(db), str(song)],
                                   env=env, cwd=home, stdout=out, stderr=subprocess.STDOUT)
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:  # a hang: SIGABRT makes faulthandler print every thread
            process.send_signal(signal.SIGABRT)
            code = process.wait()
            out.write(f"\nHUNG: still running after {timeout:.0f} s\n")
    time.sleep(0.5)
    left = leftover_processes(home)
    output = log.read_text(errors="replace")
    if left:  # e.g. analysis workers that outlived the app: a failure, then cleaned up
        output += "\nLEFTOVER processes after quitting:\n" + "\n".join(left)
        for pid in left:
            with contextlib.suppress(OSError, ValueError):
                os.kill(int(pid.split()[0]), signal.SIGKILL)
    return code, output


def leftover_processes(home: Path) -> list[str]:
    """Processes still running from this run's folder (their command line names it)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(proc / "cwd")
        except OSError:
            continue
        if cwd == str(home) and "python" in cmdline:
            found.append(f"{proc.name} {cmdline[:160]}")
    return found


def problems_in(output: str) -> list[str]:
    return [line for line in output.splitlines() if any(w in line for w in BAD_WORDS)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--music", type=Path, default=DEMO)
    parser.add_argument("--min-ms", type=int, default=1500)
    parser.add_argument("--max-ms", type=int, default=6000)
    args = parser.parse_args(argv)
    failures = 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="encore-quit-") as tmp:
        home, db = Path(tmp), Path(tmp) / "encore.db"
        for run in range(args.runs):
            page = PAGES[run % len(PAGES)]
            span = max(1, args.max_ms - args.min_ms)
            delay = args.min_ms + (run * 7919) % span  # spread over the window, reproducibly
            code, output = run_once(home, db, args.music, page, delay)
            bad = problems_in(output)
            ok = code == 0 and not bad
            failures += not ok
            tail = [line for line in output.splitlines() if "fd limit" not in line][-40:]
            print(f"run {run + 1:>3}: page={page:<9} quit after {delay:>5} ms: exit {code}"
                  + ("" if ok else "  FAILED\n    " + "\n    ".join(tail)), flush=True)
    elapsed = time.monotonic() - started
    print(f"{args.runs - failures} of {args.runs} quits clean in {elapsed:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
