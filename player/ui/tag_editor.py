"""The tag editor: one track's tags, or a batch editor for a multi-selection.

Fields whose values differ between the selected tracks show "(various)" and are left alone
unless the user types in them. Writing (safe, undoable) is the TagEditingService's job; this
dialog never touches the database or the files.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from player.library.tag_editing import FIELDS, LABELS, VARIOUS, TagEditingService

VARIOUS_TEXT = "(various)"


class TagEditorDialog(QDialog):
    edited = Signal(object)  # EditReport, after a write

    def __init__(self, service: TagEditingService, track_ids: list[int],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.track_ids = list(track_ids)
        count = len(self.track_ids)
        self.setWindowTitle("Edit tags" if count == 1 else f"Edit tags of {count} tracks")
        values, problems = service.values(self.track_ids)
        self.fields: dict[str, QLineEdit] = {}
        self.touched: set[str] = set()
        form = QFormLayout()
        for name in FIELDS:
            edit = QLineEdit()
            value = values.get(name, "")
            if value is VARIOUS:
                edit.setPlaceholderText(VARIOUS_TEXT)
            else:
                edit.setText(value or "")
            if name in ("artist", "albumartist", "genre"):
                edit.setToolTip('Several values: separate them with "; "')
            edit.textEdited.connect(lambda _text, n=name: self.touched.add(n))
            self.fields[name] = edit
            form.addRow(LABELS[name], edit)
        layout = QVBoxLayout(self)
        if count > 1:
            layout.addWidget(QLabel(f"{count} tracks: only the fields you change are written."))
        layout.addLayout(form)
        if problems:
            note = QLabel("Not readable: " + "; ".join(problems[:3]))
            note.setWordWrap(True)
            layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.buttons = buttons

    def changes(self) -> dict[str, str]:
        """The fields the user typed in (a cleared field clears the tag)."""
        return {name: self.fields[name].text() for name in FIELDS if name in self.touched}

    def save(self) -> None:
        changes = self.changes()
        if not changes:
            self.reject()
            return
        report = self.service.edit(self.track_ids, changes)
        self.edited.emit(report)
        if report.failed:
            details = "\n".join(f"{path or track_id}: {reason}"
                                for track_id, path, reason in report.failed[:10])
            QMessageBox.warning(self, "Some tags were not written",
                                f"{report.summary}.\n\n{details}")
        self.accept()


def undo_last_edit(service: TagEditingService, parent: QWidget) -> None:
    """The context menu's "Undo tag edit"."""
    if not service.can_undo():
        QMessageBox.information(parent, "Undo tag edit", "There is no tag edit to undo.")
        return
    report = service.undo()
    if report.failed:
        details = "\n".join(f"{path}: {reason}" for _, path, reason in report.failed[:10])
        QMessageBox.warning(parent, "Undo tag edit", f"{len(report.edited)} tracks restored, "
                            f"{len(report.failed)} not.\n\n{details}")
