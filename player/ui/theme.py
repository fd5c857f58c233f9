"""The look: Fusion with the system's palette (light or dark), a few spacing rules.

Colours come from palette() references, so a light or dark system palette is followed, and
a change of the system's colour scheme at run time re-applies them.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

STYLE_SHEET = """
#sidebar { border: none; background: palette(window); padding-top: 6px; font-size: 14px; }
#sidebar::item { padding: 6px 14px; border-radius: 6px; margin: 1px 8px; }
#sidebar::item:selected { background: palette(highlight); color: palette(highlighted-text); }
#nowPlaying { border-top: 1px solid palette(mid); background: palette(window); }
#pageTitle { font-size: 20px; font-weight: 600; }
#cardTitle { font-size: 18px; font-weight: 600; }
#npTitle { font-size: 14px; font-weight: 600; }
#dimLabel { color: palette(placeholder-text); }
QListView#browseList::item, QTableView#queueList::item { padding: 4px 6px; }
QFrame#card { border: 1px solid palette(mid); border-radius: 10px; background: palette(base); }
"""


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    app.setStyleSheet(STYLE_SHEET)
    hints = app.styleHints()
    if hasattr(hints, "colorSchemeChanged"):
        hints.colorSchemeChanged.connect(lambda *_: _reapply(app))


def _reapply(app: QApplication) -> None:
    app.setPalette(app.style().standardPalette())
    app.setStyleSheet(STYLE_SHEET)
