"""The value editor of the Parameters page: the table of a board's settings and its help box.

Rows come from the protocol's declarative schema (label, unit, range, step, group,
help) and values from the settings the board sent, so a new family or firmware adds
schema rows, not UI code.  Every writable row gets an editor built from its
SettingSpec (value_editor.py); the board's current value stays beside it, and a row
whose new value differs is highlighted and can be reverted.  Keys the schema does
not know are listed under "Other" with their raw key, read-only.  Passwords never
appear.

The columns fit the width the table has: the board's value, the new value and the
allowed range are always whole; the Setting column gives way (a long label is elided,
its tooltip has it whole) and the Key column shows only where there is room for it (the
help box and the tooltips name the key too).  The help box grows with its text, so the
"Allowed: …" line is never cut off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QApplication,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..model import GROUPS, SettingSpec
from ..services.settings_files import same
from .setting_format import help_text, is_secret, range_text, setting_label, step_text, value_text
from .theme import GREY
from .value_editor import SafeDoubleSpinBox, ValueEditor

CHANGED_BG = QColor("#ffe3a3")  # amber: this row will be written
CHANGED_GROUP_BG = QColor("#fff1cc")

# the Setting column never gets narrower than this (px) while the others fit
MIN_LABEL_WIDTH = 170
# the New value column: wide enough for a spin box and its revert button, never wider
NEW_WIDTH = (120, 175)
# the On the board column at most (a longer text, a name or a list, is elided; its
# tooltip has it whole)
MAX_VALUE_WIDTH = 120
# room around a cell's text (the item view's margins and focus frame)
CELL_PADDING = 18
# the Key column shows when this much room is left (a longer key is elided; the help box
# and the tooltip name it whole)
MIN_KEY_WIDTH = 120


@dataclass
class Row:
    key: str
    spec: SettingSpec | None
    item: QTreeWidgetItem
    group: str
    editor: ValueEditor | None = None


#: where a long value without spaces may wrap: after these characters
_BREAK_AFTER = re.compile(r"([-_,:/.;](?=\S))")


def breakable(text: str) -> str:
    """``text`` with invisible break chances (U+200B) after its joining characters, so a
    long name such as 'JBD-SP04S034-L4S-200A-B-U' wraps inside a narrow column; short
    texts and numbers ("3.650 V") stay as they are."""
    if len(text) <= 14:
        return text
    return _BREAK_AFTER.sub("\\1\u200b", text)


class SettingsTable(QWidget):
    """The settings tree (board value | new value | allowed range | key) and the help box."""

    COL_LABEL, COL_VALUE, COL_NEW, COL_RANGE, COL_KEY = range(5)

    # a person changed a row's new value (key)
    edited = Signal(str)
    # the form or the board's values changed: the page updates its footer
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: dict[str, Row] = {}
        self.groups: dict[str, QTreeWidgetItem] = {}
        self.board: dict[str, Any] = {}
        self.wanted: dict[str, Any] = {}
        self.live = False
        self._layout_key: tuple | None = None
        self._fitted: tuple | None = None
        self._keep_current_visible = False

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        self.tree = self._make_tree()
        lay.addWidget(self.tree, 1)

        self.empty_label = QLabel(self.tr("Connect to a board to see its settings."))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet(f"color: {GREY};")
        lay.addWidget(self.empty_label, 1)

        self.help_label = QLabel()
        self.help_label.setWordWrap(True)
        self.help_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.help_label.setStyleSheet(
            "QLabel { background: #f7f9fb; border: 1px solid #d5dbe1; border-radius: 4px; padding: 5px; }"
        )
        # at least three lines (the box does not jump for short texts); taller for a long
        # help, so the "Allowed: …" line is always there
        self.help_label.setMinimumHeight(self.help_label.fontMetrics().lineSpacing() * 3 + 14)
        self.help_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.help_label.setText(self.tr("Select a setting to see what it does."))
        self.help_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        lay.addWidget(self.help_label)
        QApplication.instance().focusChanged.connect(self._on_focus_changed)
        self.show_rows(None, [], {})

    def _make_tree(self) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setColumnCount(5)
        tree.setHeaderLabels(
            [
                self.tr("Setting"),
                self.tr("On the board"),
                self.tr("New value"),
                self.tr("Allowed range"),
                self.tr("Key"),
            ]
        )
        tree.setAlternatingRowColors(True)
        # a long text value (a JBD model name, Daly's stored sides) wraps inside its column
        # instead of being cut: rows are as tall as their value needs (uniformRowHeights off
        # costs nothing measurable at ~100 rows)
        tree.setWordWrap(True)
        tree.setUniformRowHeights(False)
        tree.setRootIsDecorated(True)
        tree.setIndentation(14)
        tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = tree.header()
        header.setStretchLastSection(True)
        for col in range(5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        # rows tall enough for a spin box (uniform: the tree stays fast)
        self._row_height = max(26, SafeDoubleSpinBox().sizeHint().height() + 2)
        tree.currentItemChanged.connect(lambda cur, _prev: self.show_help(cur))
        tree.viewport().installEventFilter(self)
        return tree

    # --- group titles (translated literals) ------------------------------------------------------
    def group_title(self, group: str) -> str:
        titles = {
            "cell_voltages": self.tr("Cell voltages"),
            "pack": self.tr("Pack"),
            "currents": self.tr("Currents"),
            "temperatures": self.tr("Temperatures"),
            "balancing": self.tr("Balancing"),
            "switches": self.tr("Switches"),
            "other": self.tr("Other"),
        }
        return titles.get(group, group)

    # --- rows ---------------------------------------------------------------------------------------
    def show_rows(self, protocol: str | None, schema: list[SettingSpec], values: dict[str, Any]) -> None:
        """The board's ``values`` in the rows of ``schema`` (nothing: the empty note)."""
        has = bool(values)
        self.tree.setVisible(has)
        self.empty_label.setVisible(not has)
        self.help_label.setVisible(has)
        if not has:
            self.tree.clear()
            self.rows, self.groups, self.board = {}, {}, {}
            self._layout_key = None
            return
        known = {s.key for s in schema}
        extra = sorted(k for k in values if k not in known and not is_secret(k))
        layout_key = (protocol, tuple((s.key, s.writable) for s in schema), tuple(extra))
        if layout_key != self._layout_key:
            self._build(schema, extra)
            self._layout_key = layout_key
        self.board = dict(values)

    def _build(self, schema: list[SettingSpec], extra: list[str]) -> None:
        self.tree.clear()
        self.rows, self.groups = {}, {}
        self._fitted = None
        by_group: dict[str, list[tuple[SettingSpec | None, str]]] = {g: [] for g in GROUPS}
        for spec in schema:
            if not is_secret(spec.key):
                by_group.setdefault(spec.group, []).append((spec, spec.key))
        for key in extra:
            by_group["other"].append((None, key))
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for group, rows in by_group.items():
            if not rows:
                continue
            top = QTreeWidgetItem([self.group_title(group)])
            top.setFont(self.COL_LABEL, bold)
            top.setSizeHint(self.COL_LABEL, QSize(0, self._row_height))
            top.setData(self.COL_LABEL, Qt.ItemDataRole.UserRole + 1, group)
            self.tree.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)
            self.groups[group] = top
            for spec, key in rows:
                self._add_row(top, group, spec, key, bold)
        self.tree.expandAll()

    def _add_row(
        self, top: QTreeWidgetItem, group: str, spec: SettingSpec | None, key: str, bold: QFont
    ) -> None:
        grey = QBrush(QColor(GREY))
        item = QTreeWidgetItem([setting_label(spec, key), "", "", range_text(spec), key])
        item.setFont(self.COL_VALUE, bold)
        item.setForeground(self.COL_RANGE, grey)
        item.setForeground(self.COL_KEY, grey)
        item.setData(self.COL_LABEL, Qt.ItemDataRole.UserRole, key)
        tip = self.help_plain(spec, key)
        for col in (self.COL_LABEL, self.COL_VALUE, self.COL_RANGE, self.COL_KEY):
            item.setToolTip(col, tip)
        item.setSizeHint(self.COL_LABEL, QSize(0, self._row_height))
        top.addChild(item)
        row = Row(key, spec, item, group)
        if spec is not None and spec.writable and spec.kind in ("number", "bool"):
            editor = ValueEditor(spec)
            editor.edited.connect(self._on_edited)
            editor.revertClicked.connect(self.revert)
            editor.setToolTip(tip)
            self.tree.setItemWidget(item, self.COL_NEW, editor)
            row.editor = editor
        else:
            item.setText(self.COL_NEW, self.tr("read-only"))
            item.setForeground(self.COL_NEW, grey)
        self.rows[key] = row

    # --- help ----------------------------------------------------------------------------------------
    def _allowed_text(self, spec: SettingSpec | None) -> str:
        r, s = range_text(spec), step_text(spec)
        if not r:
            return ""
        if s:
            return self.tr("Allowed: {range}, in steps of {step}.").format(range=r, step=s)
        return self.tr("Allowed: {range}.").format(range=r)

    def help_plain(self, spec: SettingSpec | None, key: str) -> str:
        """The tooltip of a row: label, help and what is allowed, one per line."""
        parts = [setting_label(spec, key), self.tr("Key: {key}").format(key=key)]
        parts += [t for t in (help_text(spec), self._allowed_text(spec)) if t]
        return "\n".join(parts)

    def show_help(self, item: QTreeWidgetItem | None) -> None:
        key = item.data(self.COL_LABEL, Qt.ItemDataRole.UserRole) if item is not None else None
        row = self.rows.get(key) if key else None
        if row is None:
            self.help_label.setText(self.tr("Select a setting to see what it does."))
            return
        spec = row.spec
        text = f"<b>{setting_label(spec, key)}</b> <span style='color:{GREY}'>({key})</span>"
        h = help_text(spec)
        text += "<br>" + (h if h else self.tr("No help text for this setting yet."))
        allowed = self._allowed_text(spec)
        if allowed:
            text += f"<br><span style='color:{GREY}'>{allowed}</span>"
        if spec is None or not spec.writable:
            text += "<br><span style='color:{}'>{}</span>".format(
                GREY, self.tr("Packbench cannot write this setting on this board.")
            )
        if text != self.help_label.text():
            self.help_label.setText(text)
            # taller than the box is now: the box grows, the table shrinks (a resize follows)
            label = self.help_label
            self._keep_current_visible = label.heightForWidth(label.width()) > label.height()

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        w = new
        while w is not None and not isinstance(w, ValueEditor):
            w = w.parentWidget()
        if isinstance(w, ValueEditor):
            row = self.rows.get(w.spec.key)
            if row is not None and self.tree.currentItem() is not row.item:
                self.tree.setCurrentItem(row.item)

    # --- columns -------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.tree.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_columns()
            if self._keep_current_visible:
                # the help box grew under the row just chosen: keep that row in sight
                self._keep_current_visible = False
                current = self.tree.currentItem()
                if current is not None:
                    self.tree.scrollToItem(current)
        return super().eventFilter(watched, event)

    def _text_width(self, col: int, font: QFont | None = None) -> int:
        fm = QFontMetrics(font or self.tree.font())
        widths = [fm.horizontalAdvance(r.item.text(col)) for r in self.rows.values()]
        return max(widths, default=0) + CELL_PADDING

    def column_wants(self) -> dict[int, int]:
        """The width each column needs to show all of its rows whole (px)."""
        header = self.tree.header()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        # a setting row sits two levels in: the branch of its group and its own
        label = self._text_width(self.COL_LABEL, bold) + 2 * self.tree.indentation()
        editors = [r.editor.sizeHint().width() for r in self.rows.values() if r.editor is not None]
        new = min(NEW_WIDTH[1], max([NEW_WIDTH[0], *editors, self._text_width(self.COL_NEW)]))
        wants = {
            self.COL_LABEL: label,
            self.COL_VALUE: min(MAX_VALUE_WIDTH, self._text_width(self.COL_VALUE, bold)),
            self.COL_NEW: new,
            self.COL_RANGE: self._text_width(self.COL_RANGE),
            self.COL_KEY: self._text_width(self.COL_KEY),
        }
        return {col: max(w, header.sectionSizeHint(col)) for col, w in wants.items()}

    def fit_columns(self) -> None:
        """Size the columns to the table's width (module docstring); a person's own
        column widths stay until the width or the content changes."""
        if not self.rows:
            return
        wants = self.column_wants()
        avail = self.tree.viewport().width()
        fitted = (avail, tuple(wants.items()))
        if fitted == self._fitted:
            return
        self._fitted = fitted
        fixed = wants[self.COL_VALUE] + wants[self.COL_NEW] + wants[self.COL_RANGE]
        label = max(MIN_LABEL_WIDTH, min(wants[self.COL_LABEL], avail - fixed))
        key_room = avail - fixed - label
        self.tree.setColumnHidden(self.COL_KEY, key_room < min(wants[self.COL_KEY], MIN_KEY_WIDTH))
        for col, width in (
            (self.COL_LABEL, label),
            (self.COL_VALUE, wants[self.COL_VALUE]),
            (self.COL_NEW, wants[self.COL_NEW]),
            (self.COL_RANGE, wants[self.COL_RANGE]),
        ):
            self.tree.setColumnWidth(col, width)
        for row in self.rows.values():  # wrapped values: their rows follow the new width
            self._fit_row_height(row)

    def _fit_row_height(self, row: Row) -> None:
        """A row as tall as its wrapped value needs (Qt's item view does not measure a
        wrapped cell by its column's width), never less than a spin box."""
        text = row.item.text(self.COL_VALUE)
        height = self._row_height
        if "\u200b" in text:
            bold = QFont(self.tree.font())
            bold.setBold(True)
            room = QRect(0, 0, max(1, self.tree.columnWidth(self.COL_VALUE) - CELL_PADDING), 100_000)
            lines = QFontMetrics(bold).boundingRect(room, Qt.TextFlag.TextWordWrap, text).height()
            height = max(height, lines + 8)
        if row.item.sizeHint(self.COL_LABEL).height() != height:
            row.item.setSizeHint(self.COL_LABEL, QSize(0, height))

    # --- values --------------------------------------------------------------------------------------
    def set_live(self, live: bool) -> None:
        self.live = live
        for row in self.rows.values():
            if row.editor is not None:
                row.editor.setEnabled(live and self.board.get(row.key) is not None)

    def refresh_all(self) -> None:
        for key in self.rows:
            self._refresh_row(key)
        self.fit_columns()

    def is_changed(self, key: str) -> bool:
        if key not in self.wanted:
            return False
        row = self.rows.get(key)
        return not same(row.spec if row else None, self.board.get(key), self.wanted[key])

    def _refresh_row(self, key: str) -> None:
        row = self.rows[key]
        board = self.board.get(key)
        item = row.item
        text = breakable(value_text(row.spec, board))
        if text != item.text(self.COL_VALUE):
            item.setText(self.COL_VALUE, text)
            # a value too long for its column (elided there) is whole in its tooltip
            tip = self.help_plain(row.spec, key)
            plain = text.replace("\u200b", "")
            item.setToolTip(self.COL_VALUE, f"{plain}\n\n{tip}" if len(plain) > 20 else tip)
            self._fit_row_height(row)
        item.setForeground(self.COL_VALUE, QBrush(QColor(GREY)) if board is None else QBrush())
        changed = self.is_changed(key)
        if row.editor is not None:
            row.editor.set_value(self.wanted.get(key, board))
            row.editor.set_changed(changed)
            row.editor.setEnabled(self.live and board is not None)
        brush = QBrush(CHANGED_BG) if changed else QBrush()
        for col in range(5):
            item.setBackground(col, brush)
        f = item.font(self.COL_LABEL)
        if f.bold() != changed:
            f.setBold(changed)
            item.setFont(self.COL_LABEL, f)

    def show_group_counts(self) -> None:
        """Each group's title says how many of its rows the form changes."""
        per_group: dict[str, int] = {}
        for key in self.changed_keys():
            group = self.rows[key].group
            per_group[group] = per_group.get(group, 0) + 1
        for group, top in self.groups.items():
            count = per_group.get(group, 0)
            title = self.group_title(group)
            if count:
                title = self.tr("{group} — %n changed", "", count).format(group=title)
            top.setText(self.COL_LABEL, title)
            top.setBackground(self.COL_LABEL, QBrush(CHANGED_GROUP_BG) if count else QBrush())

    def changed_keys(self) -> list[str]:
        return [k for k in self.rows if self.is_changed(k)]

    def requested(self) -> dict[str, Any]:
        """Everything the form asks for (the writer writes only what differs)."""
        return {k: v for k, v in self.wanted.items() if k in self.rows and self.rows[k].editor}

    def form_values(self) -> dict[str, Any]:
        """The New value column: the board's values with the form's requests on top."""
        out = dict(self.board)
        out.update(self.wanted)
        return out

    # --- editing --------------------------------------------------------------------------------------
    def _on_edited(self, key: str, value: Any) -> None:
        row = self.rows[key]
        if same(row.spec, self.board.get(key), value):
            self.wanted.pop(key, None)
        else:
            self.wanted[key] = value
        self._refresh_row(key)
        self.edited.emit(key)
        self.changed.emit()

    def set_new_value(self, key: str, value: Any) -> None:
        """As if typed into the key's editor (for tests and scripts)."""
        row = self.rows[key]
        if row.editor is None:
            raise KeyError(f"{key} is not editable")
        row.editor.set_value(value)
        self._on_edited(key, row.editor.value())

    def revert(self, key: str) -> None:
        self.wanted.pop(key, None)
        if key in self.rows:
            self._refresh_row(key)
        self.changed.emit()

    def set_wanted(self, values: dict[str, Any]) -> list[str]:
        """Replace the form with ``values``; returns the keys this board cannot take."""
        self.wanted.clear()
        ignored = []
        for key, value in values.items():
            row = self.rows.get(key)
            if row is None or row.editor is None or self.board.get(key) is None:
                ignored.append(key)
                continue
            self.wanted[key] = value
        return ignored

    def prune_written(self) -> None:
        """Drop requests the board now has (after a write): what stays highlighted is pending."""
        for key in list(self.wanted):
            row = self.rows.get(key)
            if same(row.spec if row else None, self.board.get(key), self.wanted[key]):
                del self.wanted[key]

    # --- for tests ------------------------------------------------------------------------------------
    def row_text(self, key: str) -> tuple[str, str] | None:
        """(label, board value text) of the row for ``key``, or None."""
        row = self.rows.get(key)
        if row is None:
            return None
        return row.item.text(self.COL_LABEL), row.item.text(self.COL_VALUE).replace("\u200b", "")

    def editor(self, key: str) -> ValueEditor | None:
        row = self.rows.get(key)
        return row.editor if row else None

    def is_highlighted(self, key: str) -> bool:
        row = self.rows.get(key)
        return (
            bool(row)
            and row.item.background(self.COL_LABEL).color() == CHANGED_BG
            and row.item.background(self.COL_LABEL).style() != Qt.BrushStyle.NoBrush
        )
