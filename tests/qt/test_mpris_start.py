"""The MPRIS warning at start ("QtDBus: cannot relay signals from parent QObject ... unless
they are emitted in the object's thread"): a service that is not registered (no session bus)
must be freed at once, in the GUI thread, not later by the cyclic GC in another thread."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import gc, sys, threading
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from player.qt.mpris import MprisService
from player.qt.playback_bridge import PlaybackBridge
from player.playback.service import PlaybackService
from player.engine import NullEngine
from player.db.connection import open_database
db = open_database(sys.argv[1])
bridge = PlaybackBridge(PlaybackService(NullEngine(), db))
service = MprisService(bridge)
print("registered", service.register())
del service
worker = threading.Thread(target=gc.collect)  # what any thread's allocation may trigger
worker.start()
worker.join()
"""


def test_an_unregistered_mpris_service_leaves_no_warning(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    env.update(PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "e.db")], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "registered False" in result.stdout
    assert "cannot relay signals" not in result.stderr
