"""The smart playlist editor: nested all/any groups of 'field operator value' rows, a sort,
a limit and the history window."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from player.core.durations import DURATION_HINT, clock_text
from player.core.errors import KnownError
from player.core.smart_vocabulary import FIELD_KINDS, OPERATORS, SORT_KEYS
from player.playlists.rules import Condition, RuleGroup, SmartRules, parse_condition

FIELD_LABELS = {
    "play_count": "play count", "skip_count": "skip count", "listen_count": "listen count",
    "skip_rate": "skip rate (0-1 or %)", "last_played": "last played", "first_played": "first played",
    "added": "date added", "album_artist": "album artist", "duration": f"duration ({DURATION_HINT})",
}
OP_LABELS = {
    "is": "is", "is_not": "is not", "contains": "contains", "not_contains": "does not contain",
    "starts_with": "starts with", "ends_with": "ends with", "in_last_days": "in the last (days)",
    "not_in_last_days": "not in the last (days)", "before": "before (date)", "after": "after (date)",
    "never": "never", "ever": "at some time", "between": "between (a b)",
}
NO_VALUE = ("never", "ever")
VALUE_HINTS = {"duration": DURATION_HINT}  # what the value box takes, when not a plain number


def _remove(widget: QWidget) -> None:
    """Hidden and marked at once (deleteLater only acts on the next event loop turn)."""
    widget.setProperty("removed", True)
    widget.hide()
    widget.deleteLater()


class ConditionRow(QWidget):
    """One condition: field, operator, value and a remove button."""

    def __init__(self, condition: Condition | None = None, parent=None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.field = QComboBox()
        for name in FIELD_KINDS:
            self.field.addItem(FIELD_LABELS.get(name, name.replace("_", " ")), name)
        self.op = QComboBox()
        self.value = QLineEdit(placeholderText="value")
        self.remove = QPushButton("\u2212")
        self.remove.setToolTip("Remove this rule")
        self.remove.setFixedWidth(28)
        self.remove.clicked.connect(lambda: _remove(self))
        for widget, stretch in ((self.field, 2), (self.op, 2), (self.value, 3), (self.remove, 0)):
            layout.addWidget(widget, stretch)
        self.field.currentIndexChanged.connect(self._fill_ops)
        self.op.currentIndexChanged.connect(self._toggle_value)
        self._fill_ops()
        if condition is not None:
            self.set_condition(condition)

    def _fill_ops(self) -> None:
        kind = FIELD_KINDS[self.field.currentData()]
        self.op.blockSignals(True)
        self.op.clear()
        for op in OPERATORS[kind]:
            self.op.addItem(OP_LABELS.get(op, op), op)
        self.op.blockSignals(False)
        self._toggle_value()
        hint = VALUE_HINTS.get(self.field.currentData(), "value")
        self.value.setPlaceholderText(hint)
        self.value.setToolTip("" if hint == "value" else f"Type {hint}, e.g. 240 or 4:00")
        if kind == "bool" and not self.value.text():
            self.value.setText("true")

    def _toggle_value(self) -> None:
        self.value.setEnabled(self.op.currentData() not in NO_VALUE)

    def set_condition(self, condition: Condition) -> None:
        self.field.setCurrentIndex(max(0, self.field.findData(condition.field)))
        self.op.setCurrentIndex(max(0, self.op.findData(condition.op)))
        value = condition.value
        if condition.field == "duration" and value is not None:  # shown as typed: 4:00
            value = " ".join(clock_text(v) for v in (value if isinstance(value, list) else [value]))
        elif isinstance(value, list):
            value = " ".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        elif FIELD_KINDS[condition.field] == "date" and condition.op in ("before", "after"):
            from datetime import UTC, datetime

            value = datetime.fromtimestamp(float(value), UTC).date().isoformat()
        self.value.setText("" if value is None else str(value))

    def condition(self) -> Condition:
        """Raises SmartRuleError when the row cannot be read."""
        text = f"{self.field.currentData()} {self.op.currentData()}"
        if self.op.currentData() not in NO_VALUE:
            value = self.value.text().strip().replace("'", "\\'")
            text += f" '{value}'" if FIELD_KINDS[self.field.currentData()] == "text" else f" {value}"
        return parse_condition(text)


class GroupBox(QFrame):
    """'Match all/any of:' followed by rows and nested groups."""

    def __init__(self, group: RuleGroup | None = None, nested: bool = False, parent=None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel if nested else QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        head = QHBoxLayout()
        self.match = QComboBox()
        self.match.addItem("all", "all")
        self.match.addItem("any", "any")
        head.addWidget(QLabel("Match"))
        head.addWidget(self.match)
        head.addWidget(QLabel("of these rules:"))
        head.addStretch(1)
        add_rule = QPushButton("+ Rule")
        add_rule.clicked.connect(lambda: self.add_condition())
        add_group = QPushButton("+ Group")
        add_group.clicked.connect(lambda: self.add_group())
        head.addWidget(add_rule)
        head.addWidget(add_group)
        if nested:
            remove = QPushButton("\u2212")
            remove.setToolTip("Remove this group")
            remove.setFixedWidth(28)
            remove.clicked.connect(lambda: _remove(self))
            head.addWidget(remove)
        outer.addLayout(head)
        self.items = QVBoxLayout()
        self.items.setContentsMargins(16 if nested else 0, 0, 0, 0)
        outer.addLayout(self.items)
        if not nested:
            outer.addStretch(1)  # rows keep their height; spare room goes below them
        if group is not None:
            self.set_group(group)

    def add_condition(self, condition: Condition | None = None) -> ConditionRow:
        row = ConditionRow(condition)
        self.items.addWidget(row)
        return row

    def add_group(self, group: RuleGroup | None = None) -> GroupBox:
        box = GroupBox(group or RuleGroup("any"), nested=True)
        self.items.addWidget(box)
        return box

    def set_group(self, group: RuleGroup) -> None:
        self.match.setCurrentIndex(max(0, self.match.findData(group.match)))
        for item in group.items:
            if isinstance(item, RuleGroup):
                self.add_group(item)
            else:
                self.add_condition(item)

    def children_in_order(self) -> list[QWidget]:
        layout_items = [self.items.itemAt(i) for i in range(self.items.count())]
        widgets = [item.widget() for item in layout_items if item is not None]
        return [w for w in widgets if w is not None and not w.property("removed")]

    def group(self) -> RuleGroup:
        items: list[RuleGroup | Condition] = []
        for widget in self.children_in_order():
            if isinstance(widget, GroupBox):
                items.append(widget.group())
            elif isinstance(widget, ConditionRow):
                items.append(widget.condition())
        return RuleGroup(self.match.currentData(), tuple(items))


class SmartPlaylistDialog(QDialog):
    """Edit a smart playlist's name and rules. rules() is valid after accept."""

    def __init__(self, name: str = "", rules: SmartRules | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Smart playlist")
        self.resize(720, 480)
        rules = rules or SmartRules(RuleGroup("all", (Condition("genre", "contains", ""),)))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(name, placeholderText="Name")
        form.addRow("Name", self.name)
        layout.addLayout(form)
        self.root = GroupBox(rules.root)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.root)
        layout.addWidget(scroll, 1)
        layout.addLayout(self._options(rules))
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._rules: SmartRules | None = None

    def _options(self, rules: SmartRules) -> QHBoxLayout:
        row = QHBoxLayout()
        self.sort = QComboBox()
        for key in SORT_KEYS:
            self.sort.addItem(key.replace("_", " "), key)
        self.sort.setCurrentIndex(max(0, self.sort.findData(rules.sort)))
        self.descending = QCheckBox("descending")
        self.descending.setChecked(rules.descending)
        self.use_limit = QCheckBox("Limit to")
        self.limit = QSpinBox(minimum=1, maximum=100_000, value=rules.limit or 25)
        self.use_limit.setChecked(rules.limit is not None)
        self.use_days = QCheckBox("Count plays over the last")
        self.days = QDoubleSpinBox(minimum=1, maximum=36_500, decimals=0,
                                   value=rules.history_days or 90)
        self.use_days.setChecked(rules.history_days is not None)
        for widget in (QLabel("Sort by"), self.sort, self.descending, self.use_limit, self.limit,
                       QLabel("tracks"), self.use_days, self.days, QLabel("days")):
            row.addWidget(widget)
        row.addStretch(1)
        return row

    def rules(self) -> SmartRules:
        """The rules as edited; raises SmartRuleError when a row cannot be read."""
        return SmartRules(
            self.root.group(), self.sort.currentData(), self.descending.isChecked(),
            self.limit.value() if self.use_limit.isChecked() else None,
            float(self.days.value()) if self.use_days.isChecked() else None,
        ).validate()

    def accept(self) -> None:
        if not self.name.text().strip():
            self.error.setText("The playlist needs a name.")
            return
        try:
            self._rules = self.rules()
        except KnownError as exc:
            self.error.setText(str(exc))
            return
        super().accept()

    def result_rules(self) -> SmartRules | None:
        return self._rules
