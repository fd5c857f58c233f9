"""Help > Keyboard shortcuts and Help > About Encore."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
)

from player import APP_NAME, LICENCE, __version__
from player.core.paths import display
from player.resources import demo_music_dir


class ShortcutsDialog(QDialog):
    """rows: (keys, what they do), as MainWindow.shortcut_rows() lists them."""

    def __init__(self, rows: list[tuple[str, str]], parent=None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Keyboard shortcuts")
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels(["Keys", "Does"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        for row, (keys, does) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(does))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(520, 560)

    def rows(self) -> list[tuple[str, str]]:
        def text(row: int, column: int) -> str:
            item = self.table.item(row, column)
            return item.text() if item is not None else ""

        return [(text(r, 0), text(r, 1)) for r in range(self.table.rowCount())]


def _credits() -> str:
    path = demo_music_dir() / "CREDITS.md"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return f"The credits of the demo music are missing ({display(str(path))} not found)."


class AboutDialog(QDialog):
    def __init__(self, database_path: str, log_path: str | None, parent=None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(f"About {APP_NAME}")
        heading = QLabel(f"{APP_NAME} {__version__}")
        heading.setObjectName("pageTitle")
        blurb = QLabel("A music player that learns what you like, entirely on this computer.")
        blurb.setWordWrap(True)
        self.fields = {
            "Version": __version__,
            "Licence": f"{LICENCE} (free software: you may share and change it)",
            "Database": display(database_path),
            "Log file": display(log_path) if log_path else
            "none: messages go to the terminal that started Encore",
        }
        form = QFormLayout()
        for name, value in self.fields.items():
            label = QLabel(value)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            form.addRow(name, label)
        self.credits = QTextBrowser()
        self.credits.setOpenExternalLinks(False)
        self.credits.setMarkdown(_credits())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(blurb)
        layout.addLayout(form)
        layout.addWidget(QLabel("Bundled demo music"))
        layout.addWidget(self.credits, 1)
        layout.addWidget(buttons)
        self.resize(640, 560)
