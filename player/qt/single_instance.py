"""One Encore per database: a second start hands its files to the running one and exits.

The first instance listens on a QLocalServer (a Unix socket; a named pipe on Windows). A later
start connects, sends one JSON line {"activate": true, "files": [...]}, waits for "ok" and
exits, so there is never a second writer on the same database. The check-then-listen step
runs under a QLockFile so two starts at the same moment cannot both become the server, and a
socket left behind by a crash (nobody answers) is removed and taken over.

Wiring (app.py, after QApplication exists and before the database is opened):

    instance = SingleInstance(instance_name(args.db))
    if instance.try_handover(paths):
        return 0                       # the running Encore took them
    instance.activate_requested.connect(window.bring_to_front)
    instance.files_received.connect(play_paths)
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, QDir, QEventLoop, QLockFile, QObject, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 4 * 1024 * 1024  # a few thousand paths; more is not a real hand-over
HANDOVER_TIMEOUT_MS = 3000
REPLY = b"ok\n"


def instance_name(db_path: str | os.PathLike[str] | None = None) -> str:
    """The server for one user and one database (so two databases may run side by side).

    A socket path in the user's private runtime directory when there is one (inside Flatpak,
    the per-app directory all instances share); else a plain name Qt puts in the temp folder.
    """
    if db_path is None:
        from player.db.connection import default_database_path

        db_path = default_database_path()
    digest = hashlib.sha1(str(Path(db_path).expanduser().resolve()).encode()).hexdigest()[:12]
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    name = f"encore-{user}-{digest}"
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if sys.platform != "win32" and runtime and os.path.isdir(runtime):
        if os.environ.get("FLATPAK_ID"):
            shared = os.path.join(runtime, "app", os.environ["FLATPAK_ID"])
            runtime = shared if os.path.isdir(shared) else runtime
        return os.path.join(runtime, name)
    return name


def encode_message(paths: list[str], activate: bool = True) -> bytes:
    return json.dumps({"activate": activate, "files": paths}).encode() + b"\n"


def decode_message(data: bytes) -> tuple[bool, list[str]]:
    """(activate, files) from one message; raises ValueError on anything else."""
    value = json.loads(data.decode("utf-8"))
    if not isinstance(value, dict):
        raise ValueError("message is not an object")
    files = value.get("files", [])
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise ValueError("files is not a list of strings")
    return bool(value.get("activate", True)), files


def absolute_paths(paths: list[str]) -> list[str]:
    """Relative paths are relative to *this* process' directory, not the running one's."""
    out = []
    for path in paths:
        out.append(path if "://" in path else os.path.abspath(path))
    return out


class SingleInstance(QObject):
    """try_handover() once; then, in the first instance, listen for files_received/activate."""

    files_received = Signal(list)  # list[str]: absolute paths (or URLs) to play
    activate_requested = Signal()  # raise and focus the window

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytes] = {}

    def try_handover(self, paths: list[str], timeout_ms: int = HANDOVER_TIMEOUT_MS) -> bool:
        """True: a running instance took paths (exit now). False: this one is now the server."""
        lock = QLockFile(self._lock_path())
        lock.setStaleLockTime(10_000)
        if not lock.tryLock(timeout_ms):
            log.warning("single instance: could not take %s; starting anyway", lock.fileName())
        try:
            if self._send(encode_message(absolute_paths(paths)), timeout_ms):
                return True
            self._listen()
            return False
        finally:
            lock.unlock()

    @property
    def listening(self) -> bool:
        return self.server is not None and self.server.isListening()

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None

    def _lock_path(self) -> str:
        if os.path.isabs(self.name):
            return self.name + ".lock"
        return os.path.join(QDir.tempPath(), self.name + ".lock")

    def _send(self, message: bytes, timeout_ms: int) -> bool:
        """Deliver message and wait for the reply, running a local event loop (so it also works
        when the server lives in this same thread, as in tests)."""
        socket = QLocalSocket(self)
        loop = QEventLoop(self)
        received = bytearray()

        def on_ready() -> None:
            received.extend(bytes(socket.readAll().data()))
            if received.endswith(b"\n"):
                loop.quit()

        socket.connected.connect(lambda: socket.write(QByteArray(message)))
        socket.readyRead.connect(on_ready)
        socket.errorOccurred.connect(lambda *_: loop.quit())
        socket.disconnected.connect(loop.quit)
        QTimer.singleShot(timeout_ms, loop.quit)
        socket.connectToServer(self.name)
        if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            loop.exec()
        socket.abort()
        socket.deleteLater()
        return bytes(received) == REPLY

    def _listen(self) -> None:
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # Nobody answered above, so this is a socket left by a crashed instance.
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                log.warning("single instance: cannot listen on %s: %s", self.name,
                            server.errorString())
                return
        server.newConnection.connect(self._accept)
        self.server = server

    def _accept(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._drop(s))

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if b"\n" not in data:
            if len(data) > MAX_MESSAGE_BYTES:
                log.warning("single instance: message too long; ignored")
                socket.abort()
            else:
                self._buffers[socket] = data
            return
        line = data.split(b"\n", 1)[0]
        self._buffers[socket] = b""
        try:
            activate, files = decode_message(line)
        except ValueError as exc:  # includes JSON and UTF-8 errors
            log.warning("single instance: bad message ignored (%s)", exc)
            socket.abort()
            return
        socket.write(QByteArray(REPLY))
        socket.flush()
        socket.disconnectFromServer()
        if activate:
            self.activate_requested.emit()
        if files:
            self.files_received.emit(files)

    def _drop(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()


def _main() -> int:  # pragma: no cover - used by the subprocess test as a tiny first instance
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication(sys.argv[:1])
    instance = SingleInstance(sys.argv[1])
    if instance.try_handover(sys.argv[2:]):
        print("handed-over", flush=True)
        return 0
    print("listening", flush=True)

    def show(files: list[str]) -> None:
        print("files " + json.dumps(files), flush=True)
        app.quit()

    instance.activate_requested.connect(lambda: print("activate", flush=True))
    instance.files_received.connect(show)
    QTimer.singleShot(20_000, app.quit)
    return app.exec()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(_main())
