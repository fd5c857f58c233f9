"""Our own errors. Third-party exceptions are translated into these at each library's boundary."""


class EncoreError(Exception):
    """Base of every error Encore raises on purpose."""


class KnownError(EncoreError):
    """A problem of the environment (missing libVLC, unreadable file, locked database).

    Shown to the user in plain words, without a traceback.
    """

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


class BugError(EncoreError):
    """Something that should not happen: logged with a traceback."""


class TagReadError(KnownError):
    """A file whose tags or stream info cannot be read."""


class DatabaseError(KnownError):
    """The database cannot be opened or written (locked, read-only, damaged)."""


class EngineUnavailable(KnownError):
    """The playback engine (libVLC) is missing or broken."""


class DatabaseBusy(DatabaseError):
    """Another connection holds the write lock longer than the busy timeout: try again later."""


class TagWriteError(KnownError):
    """A file whose tags cannot be written (read-only, missing, a format without tag writing)."""


class EngineDecodeError(KnownError):
    """libVLC could not decode a file to samples."""
