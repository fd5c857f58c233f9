"""Can Qt for Python load here? (for `encore check`; the only Qt import the CLI makes)."""

from __future__ import annotations


def qt_status() -> tuple[bool, str, str]:
    """(ok, detail, hint)."""
    try:
        import PySide6
        from PySide6 import QtCore, QtGui, QtWidgets  # noqa: F401
    except ImportError as exc:
        return False, f"Qt for Python cannot be loaded ({exc}).", (
            "Install the system's Qt 6 libraries (packaging/setup-env lists them).")
    return True, f"PySide6 {PySide6.__version__}", ""
