"""Parameters: the board's settings, editable, with presets and the write transaction.

Rows come from the protocol's declarative schema (label, unit, range, step,
group, help) and values from the settings the board sent, so a new family or
firmware adds schema rows, not UI code.  Every writable row gets an editor
built from its SettingSpec; the board's current value stays beside it, and a
row whose new value differs is highlighted and can be reverted.  Keys the
schema does not know are listed under "Other" with their raw key, read-only.
Passwords never appear.

Nothing on this page writes by itself: "Review and write…" prepares the plan
(services/writer.py) and opens the review dialog (write_dialog.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..model import GROUPS, DeviceInfo, Settings, SettingSpec
from ..protocols import Protocol, get_protocol
from ..protocols.family import vendor_formats
from ..services import presets, settings_files, writer
from ..services.interlocks import infer_chemistry
from ..services.settings_files import same
from ..session import SessionError
from .bridge import SessionBridge
from .preset_panel import PresetPanel, user_preset_dir
from .setting_format import (
    decimals_for,
    help_text,
    is_integer_spec,
    is_secret,
    range_text,
    setting_label,
    step_text,
    value_text,
)
from .theme import GREY, RED
from .widgets import DASH, sentence, vocab
from .write_dialog import BoardPresetDialog, PasswordMemory, WriteDialog, board_preset_name

__all__ = ["ParametersPage", "decimals_for", "is_secret"]

DEVICE_FIELDS = (
    "model",
    "hardware_version",
    "software_version",
    "serial_number",
    "device_name",
    "manufacture_date",
    "protocol",
    "power_on_count",
)

CHANGED_BG = QColor("#ffe3a3")  # amber: this row will be written
CHANGED_GROUP_BG = QColor("#fff1cc")


# --- editors built from SettingSpec rows ----------------------------------------------------------


class _SafeDoubleSpinBox(QDoubleSpinBox):
    """Ignores the mouse wheel unless focused: scrolling the table never changes a value."""

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt's name)
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class _SafeSpinBox(QSpinBox):
    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class ValueEditor(QWidget):
    """The new-value cell: an editor for one SettingSpec plus a revert button."""

    edited = Signal(str, object)  # key, value
    revertClicked = Signal(str)

    def __init__(self, spec: SettingSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        lay = QHBoxLayout(self)
        lay.setContentsMargins(2, 1, 2, 1)
        lay.setSpacing(4)
        self.check: QCheckBox | None = None
        self.spin: QDoubleSpinBox | QSpinBox | None = None
        if spec.kind == "bool":
            self.check = QCheckBox(self.tr("Off"))
            self.check.toggled.connect(self._on_toggled)
            self.check.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            lay.addWidget(self.check, 1)
        elif is_integer_spec(spec):
            spin = _SafeSpinBox()
            spin.setRange(
                int(spec.minimum if spec.minimum is not None else -(2**31) + 1),
                int(spec.maximum if spec.maximum is not None else 2**31 - 1),
            )
            spin.setSingleStep(int(spec.step or 1))
            self.spin = spin
        else:
            spin = _SafeDoubleSpinBox()
            dec = decimals_for(spec.step)
            spin.setDecimals(3 if dec is None else dec)
            spin.setRange(
                spec.minimum if spec.minimum is not None else -1e9,
                spec.maximum if spec.maximum is not None else 1e9,
            )
            spin.setSingleStep(spec.step or 1.0)
            self.spin = spin
        if self.spin is not None:
            spin = self.spin
            if spec.unit:
                spin.setSuffix(" " + spec.unit)
            spin.setKeyboardTracking(False)
            spin.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            spin.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows)
            spin.valueChanged.connect(self._on_spin)
            lay.addWidget(spin, 1)
        self.revert = QToolButton()
        self.revert.setText("↺")
        self.revert.setToolTip(self.tr("Back to the board's value"))
        self.revert.setAutoRaise(True)
        self.revert.clicked.connect(lambda: self.revertClicked.emit(self.spec.key))
        sp = self.revert.sizePolicy()
        sp.setRetainSizeWhenHidden(True)
        self.revert.setSizePolicy(sp)
        self.revert.setVisible(False)
        lay.addWidget(self.revert)

    def _on_toggled(self, on: bool) -> None:
        assert self.check is not None
        self.check.setText(self.tr("On") if on else self.tr("Off"))
        self.edited.emit(self.spec.key, on)

    def _on_spin(self, _v: float) -> None:
        self.edited.emit(self.spec.key, self.value())

    def value(self) -> Any:
        if self.check is not None:
            return self.check.isChecked()
        assert self.spin is not None
        if isinstance(self.spin, QSpinBox):
            return int(self.spin.value())
        return round(float(self.spin.value()), self.spin.decimals())

    def set_value(self, value: Any) -> None:
        """Show ``value`` without emitting ``edited``."""
        if value is None:
            return
        if self.check is not None:
            self.check.blockSignals(True)
            self.check.setChecked(bool(value))
            self.check.setText(self.tr("On") if value else self.tr("Off"))
            self.check.blockSignals(False)
            return
        assert self.spin is not None
        spin = self.spin
        spin.blockSignals(True)
        # a board value outside the schema's range is shown as it is, never clamped
        # (a clamped display would be a change nobody asked for); rule 8 blocks writing it
        if value < spin.minimum():
            spin.setMinimum(int(value) if isinstance(spin, QSpinBox) else float(value))
        if value > spin.maximum():
            spin.setMaximum(int(value) if isinstance(spin, QSpinBox) else float(value))
        spin.setValue(int(round(value)) if isinstance(spin, QSpinBox) else float(value))
        spin.blockSignals(False)

    def set_changed(self, changed: bool) -> None:
        self.revert.setVisible(changed)
        target = self.check if self.check is not None else self.spin
        if target is not None:
            f = target.font()
            if f.bold() != changed:
                f.setBold(changed)
                target.setFont(f)


@dataclass
class _Row:
    key: str
    spec: SettingSpec | None
    item: QTreeWidgetItem
    group: str
    editor: ValueEditor | None = None


# --- the page ---------------------------------------------------------------------------------------------


class ParametersPage(QWidget):
    COL_LABEL, COL_VALUE, COL_NEW, COL_RANGE, COL_KEY = range(5)

    #: the form changed (number of rows that differ from the board)
    formChanged = Signal(int)

    def __init__(self, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.gate = writer.PasswordGate()  # one per app run: the back-off survives the dialog
        self.passwords = PasswordMemory()
        #: the applied preset's values this board has no setting for (the review names them)
        self._missing: dict[str, Any] = {}
        self.dialog: WriteDialog | BoardPresetDialog | None = None
        self._file_dialog: QFileDialog | None = None
        self._rows: dict[str, _Row] = {}
        self._groups: dict[str, QTreeWidgetItem] = {}
        self._layout_key: tuple | None = None
        self._board: dict[str, Any] = {}
        self._wanted: dict[str, Any] = {}
        self._chemistry: str | None = None
        # the file the form's values come from (another board's file is an advisory)
        self._origin: settings_files.Origin | None = None
        self._source = ""
        self._busy = False
        self._prefilled_for: object | None = None
        self._prune_pending = False

        root = QVBoxLayout(self)
        root.setContentsMargins(12, 12, 12, 12)
        root.setSpacing(8)

        # --- device info ------------------------------------------------------------------
        self.info_box = QGroupBox(self.tr("Board"))
        grid = QGridLayout(self.info_box)
        grid.setHorizontalSpacing(24)
        grid.setContentsMargins(9, 4, 9, 4)
        self._info_values: dict[str, QLabel] = {}
        forms = [QFormLayout(), QFormLayout(), QFormLayout()]
        for form in forms:
            form.setHorizontalSpacing(12)
            form.setVerticalSpacing(2)
        for i, key in enumerate(DEVICE_FIELDS):
            value = QLabel(DASH)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            f = value.font()
            f.setBold(True)
            value.setFont(f)
            self._info_values[key] = value
            name = QLabel(vocab(key))
            name.setStyleSheet(f"color: {GREY};")
            forms[i // 3].addRow(name, value)
        for i, form in enumerate(forms):
            grid.addLayout(form, 0, i)
            grid.setColumnStretch(i, 1)
        root.addWidget(self.info_box)

        # --- side panel | table -------------------------------------------------------------------
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        self.panel = PresetPanel()
        scroll = QScrollArea()
        scroll.setWidget(self.panel)
        scroll.setWidgetResizable(True)
        # wide enough for the panel: it never scrolls sideways or clips
        scroll.setMinimumWidth(
            self.panel.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width() + 6
        )
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        split.addWidget(scroll)
        self.panel_scroll = scroll

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.setSpacing(6)
        row = QHBoxLayout()
        self.note = QLabel(
            self.tr(
                "Change values in the New value column, or apply a preset. Nothing is written until you "
                "choose “Review and write…” and confirm."
            )
        )
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {GREY};")
        row.addWidget(self.note, 1)
        self.read_label = QLabel()
        self.read_label.setStyleSheet(f"color: {GREY};")
        row.addWidget(self.read_label)
        self.refresh_button = QPushButton(self.tr("Refresh from board"))
        self.refresh_button.clicked.connect(self._on_refresh)
        row.addWidget(self.refresh_button)
        rl.addLayout(row)

        # a read-only family (Protocol.read_only_reason): why nothing here can be written
        self.read_only_label = QLabel()
        self.read_only_label.setWordWrap(True)
        self.read_only_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.read_only_label.setStyleSheet(
            "QLabel { background: #e8f0fe; border: 1px solid #9ab6e0; border-radius: 4px; padding: 6px; }"
        )
        self.read_only_label.setVisible(False)
        rl.addWidget(self.read_only_label)

        # what this board family cannot write, and why (Protocol.settings_notice)
        self.board_note = QLabel()
        self.board_note.setWordWrap(True)
        self.board_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.board_note.setStyleSheet(
            "QLabel { background: #eef4fb; border: 1px solid #b9cde4; border-radius: 4px; padding: 5px; }"
        )
        self.board_note.setVisible(False)
        rl.addWidget(self.board_note)

        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        self.source_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.source_label.setStyleSheet(
            "QLabel { background: #fff1cc; border: 1px solid #e6c96b; border-radius: 4px; padding: 5px; }"
        )
        self.source_label.setVisible(False)
        rl.addWidget(self.source_label)

        self.tree = QTreeWidget()
        self.tree.setColumnCount(5)
        self.tree.setHeaderLabels(
            [
                self.tr("Setting"),
                self.tr("On the board"),
                self.tr("New value"),
                self.tr("Allowed range"),
                self.tr("Key"),
            ]
        )
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setRootIsDecorated(True)
        header = self.tree.header()
        header.setStretchLastSection(True)
        for col in range(5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        self.tree.setColumnWidth(self.COL_LABEL, 300)
        self.tree.setColumnWidth(self.COL_VALUE, 105)
        self.tree.setColumnWidth(self.COL_NEW, 165)
        self.tree.setColumnWidth(self.COL_RANGE, 150)
        # rows tall enough for a spin box (uniform: the tree stays fast)
        self._row_height = max(26, _SafeDoubleSpinBox().sizeHint().height() + 2)
        self.tree.currentItemChanged.connect(lambda cur, _prev: self._show_help(cur))
        rl.addWidget(self.tree, 1)

        self.empty_label = QLabel(self.tr("Connect to a board to see its settings."))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet(f"color: {GREY};")
        rl.addWidget(self.empty_label, 1)

        self.help_label = QLabel()
        self.help_label.setWordWrap(True)
        self.help_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.help_label.setStyleSheet(
            "QLabel { background: #f7f9fb; border: 1px solid #d5dbe1; border-radius: 4px; padding: 5px; }"
        )
        self.help_label.setFixedHeight(self.help_label.fontMetrics().lineSpacing() * 3 + 14)
        self.help_label.setText(self.tr("Select a setting to see what it does."))
        self.help_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        rl.addWidget(self.help_label)

        bar = QHBoxLayout()
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar.addWidget(self.message_label, 1)
        self.changes_label = QLabel()
        f = self.changes_label.font()
        f.setBold(True)
        self.changes_label.setFont(f)
        bar.addWidget(self.changes_label)
        self.revert_all_button = QPushButton(self.tr("Revert all"))
        self.revert_all_button.setToolTip(self.tr("Put every new value back to the board's value."))
        self.revert_all_button.clicked.connect(self.revert_all)
        bar.addWidget(self.revert_all_button)
        self.review_button = QPushButton(self.tr("Review and write…"))
        self.review_button.setStyleSheet(
            "QPushButton { background: #0b62a4; color: white; font-weight: bold; padding: 6px 16px;"
            " border-radius: 4px; } QPushButton:disabled { background: #b0bec5; color: #eceff1; }"
        )
        self.review_button.clicked.connect(self._on_review)
        bar.addWidget(self.review_button)
        rl.addLayout(bar)
        split.addWidget(right)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([scroll.minimumWidth(), 900])
        root.addWidget(split, 1)

        p = self.panel
        p.applyClicked.connect(self.apply_preset_from_panel)
        p.openPresetRequested.connect(self._ask_open_preset)
        p.importRequested.connect(lambda: self._ask_open_file(compare=False))
        p.compareRequested.connect(lambda: self._ask_open_file(compare=True))
        p.exportRequested.connect(self._ask_export)
        p.savePresetRequested.connect(self._ask_save_preset)
        p.boardPresetRequested.connect(self.open_board_preset)

        QApplication.instance().focusChanged.connect(self._on_focus_changed)
        bridge.settingsReceived.connect(self.show_settings)
        bridge.deviceInfoReceived.connect(self.show_device_info)
        bridge.sessionChanged.connect(self._on_session_changed)
        bridge.stateChanged.connect(self._on_state)
        bridge.snapshotReceived.connect(self._on_snapshot)
        self.show_device_info(bridge.device_info)
        self.show_settings(bridge.settings)
        self._on_state(bridge.state, "")

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

    # --- state ---------------------------------------------------------------------------------------
    @property
    def live(self) -> bool:
        return self.bridge.session is not None and self.bridge.state == "live"

    def _on_refresh(self) -> None:
        self.bridge.spawn(self.bridge.refresh_settings())

    def _on_state(self, state: str, _detail: str) -> None:
        live = state == "live"
        self.refresh_button.setEnabled(live)
        self.panel.set_connected(live)
        for row in self._rows.values():
            if row.editor is not None:
                row.editor.setEnabled(live and self._board.get(row.key) is not None)
        session = self.bridge.session
        if live and session is not None and session.settings is None and not session.protocol.streaming:
            # polled boards (JBD) send no settings by themselves: ask once
            self.bridge.spawn(self.bridge.refresh_settings())
        self._update_footer()

    def _on_session_changed(self, session: object) -> None:
        # another board (or none): the form and the passwords in memory belong to the old one
        self._wanted.clear()
        self._chemistry = None
        self._origin = None
        self._set_source("")
        self.passwords.clear()
        self._prefilled_for = None
        self.message_label.setText("")
        self.show_device_info(None)
        self.show_settings(None)
        actions = writer.board_preset_actions(session) if session is not None else []
        self.panel.set_board_actions(actions, {a: board_preset_name(a) for a in actions})
        self.panel.set_connected(self.live)
        self._show_read_only()

    def _on_snapshot(self, snap: Any) -> None:
        self.panel.set_measured_cells(getattr(snap, "cell_count", None))

    @property
    def read_only_reason(self) -> str | None:
        """Why this board's settings cannot be written (its protocol's reason), or None."""
        protocol = getattr(self.bridge.session, "protocol", None)
        return getattr(protocol, "read_only_reason", None) or None

    def _show_read_only(self) -> None:
        """A read-only family: the reason in words instead of presets, editors and writes."""
        reason = self.read_only_reason
        if reason:
            self.read_only_label.setText(QCoreApplication.translate("ReadOnly", reason))
        self.read_only_label.setVisible(bool(reason))
        self.panel_scroll.setVisible(not reason)
        self.note.setVisible(not reason)
        for widget in (self.revert_all_button, self.review_button, self.changes_label):
            widget.setVisible(not reason)

    def show_device_info(self, info: DeviceInfo | None) -> None:
        for key, label in self._info_values.items():
            value = getattr(info, key, None) if info is not None else None
            label.setText(DASH if value in (None, "") else str(value))
        session = self.bridge.session
        self._show_read_only()  # the protocol may have been refined (or probed) since
        if session is not None:  # the protocol may have been refined by the device info
            actions = writer.board_preset_actions(session)
            if list(self.panel.board_buttons) != actions:
                self.panel.set_board_actions(actions, {a: board_preset_name(a) for a in actions})
                self.panel.set_connected(self.live)

    # --- the table ------------------------------------------------------------------------------------
    def _protocol_for(self, settings: Settings) -> Protocol | None:
        """The connected board's protocol (bound to its options) when the settings are its,
        else the registry's."""
        session = self.bridge.session
        proto = getattr(session, "protocol", None)
        if isinstance(proto, Protocol) and proto.id == settings.protocol:
            return proto
        try:
            return get_protocol(settings.protocol) if settings.protocol else None
        except KeyError:
            return None

    def _schema_for(self, settings: Settings) -> list[SettingSpec]:
        proto = self._protocol_for(settings)
        # as this board's settings show it (a family whose layout differs between models)
        return list(proto.board_schema(settings.values)) if proto is not None else []

    def _show_notice(self, settings: Settings | None) -> None:
        proto = self._protocol_for(settings) if settings is not None else None
        notice = proto.settings_notice(settings.values) if proto is not None and settings else None
        if notice is None:
            self.board_note.setVisible(False)
            return
        template, fields = notice
        shown = {k: ", ".join(vocab(x) for x in v) if isinstance(v, list) else v for k, v in fields.items()}
        self.board_note.setText(QCoreApplication.translate("ParametersPage", template).format(**shown))
        self.board_note.setVisible(True)

    def show_settings(self, settings: Settings | None) -> None:
        self._show_notice(settings)
        has = settings is not None and bool(settings.values)
        self.tree.setVisible(has)
        self.empty_label.setVisible(not has)
        self.help_label.setVisible(has)
        if not has:
            self.tree.clear()
            self._rows = {}
            self._groups = {}
            self._layout_key = None
            self._board = {}
            self.read_label.setText("")
            self._update_footer()
            return
        assert settings is not None
        self.read_label.setText(
            self.tr("Read from the board at {time}").format(time=time.strftime("%H:%M:%S"))
        )
        schema = self._schema_for(settings)
        values = dict(settings.values)
        known = {s.key for s in schema}
        extra = sorted(k for k in values if k not in known and not is_secret(k))
        layout_key = (settings.protocol, tuple((s.key, s.writable) for s in schema), tuple(extra))
        if layout_key != self._layout_key:
            self._build(schema, extra)
            self._layout_key = layout_key
        self._board = values
        if self._prune_pending:
            self._prune_pending = False
            self.prune_written()
        session = self.bridge.session
        if session is not None and self._prefilled_for is not session:
            self._prefilled_for = session
            self.panel.prefill(values)
        self._refresh_all()

    def _build(self, schema: list[SettingSpec], extra: list[str]) -> None:
        self.tree.clear()
        self._rows = {}
        self._groups = {}
        by_group: dict[str, list[tuple[SettingSpec | None, str]]] = {g: [] for g in GROUPS}
        for spec in schema:
            if is_secret(spec.key):
                continue
            by_group.setdefault(spec.group, []).append((spec, spec.key))
        for key in extra:
            by_group["other"].append((None, key))
        bold = QFont(self.tree.font())
        bold.setBold(True)
        grey = QBrush(QColor(GREY))
        for group, rows in by_group.items():
            if not rows:
                continue
            top = QTreeWidgetItem([self.group_title(group)])
            top.setFont(self.COL_LABEL, bold)
            top.setSizeHint(self.COL_LABEL, QSize(0, self._row_height))
            top.setData(self.COL_LABEL, Qt.ItemDataRole.UserRole + 1, group)
            self.tree.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)
            self._groups[group] = top
            for spec, key in rows:
                item = QTreeWidgetItem([setting_label(spec, key), "", "", range_text(spec), key])
                item.setFont(self.COL_VALUE, bold)
                item.setForeground(self.COL_RANGE, grey)
                item.setForeground(self.COL_KEY, grey)
                item.setData(self.COL_LABEL, Qt.ItemDataRole.UserRole, key)
                tip = self._help_html(spec, key)
                for col in (self.COL_LABEL, self.COL_VALUE, self.COL_RANGE, self.COL_KEY):
                    item.setToolTip(col, tip)
                item.setSizeHint(self.COL_LABEL, QSize(0, self._row_height))
                top.addChild(item)
                row = _Row(key, spec, item, group)
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
                self._rows[key] = row
        self.tree.expandAll()

    def _help_html(self, spec: SettingSpec | None, key: str) -> str:
        parts = [setting_label(spec, key)]
        h = help_text(spec)
        if h:
            parts.append(h)
        r, s = range_text(spec), step_text(spec)
        if r:
            parts.append(
                self.tr("Allowed: {range}, in steps of {step}.").format(range=r, step=s)
                if s
                else self.tr("Allowed: {range}.").format(range=r)
            )
        return "\n".join(parts)

    def _show_help(self, item: QTreeWidgetItem | None) -> None:
        key = item.data(self.COL_LABEL, Qt.ItemDataRole.UserRole) if item is not None else None
        row = self._rows.get(key) if key else None
        if row is None:
            self.help_label.setText(self.tr("Select a setting to see what it does."))
            return
        spec = row.spec
        text = f"<b>{setting_label(spec, key)}</b> <span style='color:{GREY}'>({key})</span>"
        h = help_text(spec)
        text += "<br>" + (h if h else self.tr("No help text for this setting yet."))
        r, s = range_text(spec), step_text(spec)
        if r:
            text += "<br><span style='color:{}'>{}</span>".format(
                GREY,
                (
                    self.tr("Allowed: {range}, in steps of {step}.").format(range=r, step=s)
                    if s
                    else self.tr("Allowed: {range}.").format(range=r)
                ),
            )
        if spec is None or not spec.writable:
            text += "<br><span style='color:{}'>{}</span>".format(
                GREY,
                self.tr("Packbench cannot write this setting on this board."),
            )
        self.help_label.setText(text)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        w = new
        while w is not None and not isinstance(w, ValueEditor):
            w = w.parentWidget()
        if isinstance(w, ValueEditor):
            row = self._rows.get(w.spec.key)
            if row is not None and self.tree.currentItem() is not row.item:
                self.tree.setCurrentItem(row.item)

    def _refresh_all(self) -> None:
        for key in self._rows:
            self._refresh_row(key)
        self._update_footer()

    def _is_changed(self, key: str) -> bool:
        if key not in self._wanted:
            return False
        row = self._rows.get(key)
        return not same(row.spec if row else None, self._board.get(key), self._wanted[key])

    def _refresh_row(self, key: str) -> None:
        row = self._rows[key]
        board = self._board.get(key)
        item = row.item
        item.setText(self.COL_VALUE, value_text(row.spec, board))
        item.setForeground(self.COL_VALUE, QBrush(QColor(GREY)) if board is None else QBrush())
        changed = self._is_changed(key)
        if row.editor is not None:
            row.editor.set_value(self._wanted.get(key, board))
            row.editor.set_changed(changed)
            row.editor.setEnabled(self.live and board is not None)
        brush = QBrush(CHANGED_BG) if changed else QBrush()
        for col in range(5):
            item.setBackground(col, brush)
        f = item.font(self.COL_LABEL)
        if f.bold() != changed:
            f.setBold(changed)
            item.setFont(self.COL_LABEL, f)

    def _update_footer(self) -> None:
        changed = self.changed_keys()
        n = len(changed)
        per_group: dict[str, int] = {}
        for key in changed:
            per_group[self._rows[key].group] = per_group.get(self._rows[key].group, 0) + 1
        for group, top in self._groups.items():
            count = per_group.get(group, 0)
            title = self.group_title(group)
            if count:
                title = self.tr("{group} — %n changed", "", count).format(group=title)
            top.setText(self.COL_LABEL, title)
            top.setBackground(self.COL_LABEL, QBrush(CHANGED_GROUP_BG) if count else QBrush())
        self.changes_label.setText(
            self.tr("%n change(s) in the form", "", n) if n else self.tr("No changes in the form")
        )
        self.revert_all_button.setEnabled(bool(self._wanted))
        self.review_button.setEnabled(n > 0 and self.live and not self._busy)
        self.formChanged.emit(n)

    # --- editing --------------------------------------------------------------------------------------------
    def changed_keys(self) -> list[str]:
        return [k for k in self._rows if self._is_changed(k)]

    def requested(self) -> dict[str, Any]:
        """Everything the form asks for (the writer writes only what differs)."""
        return {k: v for k, v in self._wanted.items() if k in self._rows and self._rows[k].editor}

    def _on_edited(self, key: str, value: Any) -> None:
        row = self._rows[key]
        if same(row.spec, self._board.get(key), value):
            self._wanted.pop(key, None)
        else:
            self._wanted[key] = value
        if not self._source:
            self._set_source(self.tr("your edits"))
        self._refresh_row(key)
        self._update_footer()

    def set_new_value(self, key: str, value: Any) -> None:
        """As if typed into the key's editor (for tests and scripts)."""
        row = self._rows[key]
        if row.editor is None:
            raise KeyError(f"{key} is not editable")
        row.editor.set_value(value)
        self._on_edited(key, row.editor.value())

    def revert(self, key: str) -> None:
        self._wanted.pop(key, None)
        if key in self._rows:
            self._refresh_row(key)
        if not self._wanted:
            self._chemistry = None
            self._origin = None
            self._set_source("")
        self._update_footer()

    def revert_all(self) -> None:
        self._wanted.clear()
        self._chemistry = None
        self._origin = None
        self._set_source("")
        self.message_label.setText("")
        self._refresh_all()

    def prune_written(self) -> None:
        """Drop requests the board now has (after a write): what stays highlighted is pending."""
        for key in list(self._wanted):
            row = self._rows.get(key)
            if same(row.spec if row else None, self._board.get(key), self._wanted[key]):
                del self._wanted[key]
        if not self._wanted:
            self._chemistry = None
            self._origin = None
            self._set_source("")

    def _set_source(self, text: str) -> None:
        self._source = text
        self._missing = {}
        self.source_label.setText(text and self.tr("New values from: {source}").format(source=text))
        self.source_label.setVisible(bool(text))

    def set_form(
        self,
        values: dict[str, Any],
        *,
        source: str,
        chemistry: str | None,
        note: str = "",
        origin: settings_files.Origin | None = None,
    ) -> list[str]:
        """Replace the form with ``values``; returns the keys this board cannot take."""
        self._wanted.clear()
        self._origin = origin
        ignored = []
        for key, value in values.items():
            row = self._rows.get(key)
            if row is None or row.editor is None or self._board.get(key) is None:
                ignored.append(key)
                continue
            self._wanted[key] = value
        self._chemistry = chemistry
        text = source
        if note:
            text += " " + note
        if ignored:
            text += " " + self.tr("Not on this board, left out: {keys}.").format(
                keys=", ".join(vocab(k) for k in sorted(ignored))
            )
        self._set_source(text)
        self._refresh_all()
        n = len(self.changed_keys())
        self._message(
            self.tr("%n row(s) differ from the board and are highlighted. Nothing has been written.", "", n)
            if n
            else self.tr("The board already has all these values.")
        )
        return ignored

    def _message(self, text: str, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(f"color: {RED};" if error else "")

    # --- presets --------------------------------------------------------------------------------------------
    def apply_preset_from_panel(self) -> None:
        try:
            preset = self.panel.current_preset()
            profile = self.panel.profile()
            profile.values()  # validates
        except (OSError, ValueError, KeyError) as exc:
            self._message(
                self.tr("Cannot use this preset: {reason}").format(reason=sentence(str(exc))), error=True
            )
            return
        self.apply_preset(preset, profile)

    def apply_preset(self, preset: presets.Preset, profile: presets.PackProfile | None) -> None:
        keys = {k for k, r in self._rows.items() if r.editor is not None}
        if self._rows and not keys & set(preset.values):
            # a board that takes no chemistry setting from Packbench (the note says why)
            self._message(
                self.tr(
                    "This board takes none of the preset's settings from Packbench "
                    "(see the note above the table): nothing was changed in the "
                    "form."
                ),
                error=True,
            )
            return
        wanted = preset.apply(profile, keys)
        name = (
            self.tr("{name} preset (Packbench)").format(name=preset.name)
            if preset.builtin
            else self.tr("my preset “{name}”").format(name=preset.name)
        )
        source = name + (", " + self.panel.profile_text() if profile is not None else "")
        self.set_form(wanted, source=source + ".", chemistry=preset.chemistry)
        self._missing = preset.missing(profile, keys)

    def _open_dialog(
        self,
        *,
        save: bool,
        caption: str,
        directory: Path,
        name_filter: str,
        default_name: str = "",
        on_path=None,
    ) -> None:
        """A file dialog opened with open(), never exec() (stack.md P2)."""
        if self._file_dialog is not None:
            self._file_dialog.deleteLater()
        dlg = QFileDialog(self, caption, str(directory), name_filter)
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen)
        dlg.setFileMode(QFileDialog.FileMode.AnyFile if save else QFileDialog.FileMode.ExistingFile)
        if save:
            dlg.setDefaultSuffix("json")
            if default_name:
                dlg.selectFile(default_name)
        dlg.fileSelected.connect(lambda path: on_path(Path(path)) if path else None)
        self._file_dialog = dlg
        dlg.open()

    def _ask_open_preset(self) -> None:
        folder = user_preset_dir()
        self._open_dialog(
            save=False,
            caption=self.tr("Open a preset"),
            directory=folder if folder.is_dir() else Path.home(),
            name_filter=self.tr("Packbench presets (*.json)"),
            on_path=self.open_preset_file,
        )

    def open_preset_file(self, path: Path) -> None:
        try:
            presets.load_preset(path)
        except (OSError, ValueError, KeyError) as exc:
            self._message(
                self.tr("Cannot open {path}: {reason}").format(path=path, reason=sentence(str(exc))),
                error=True,
            )
            return
        self.panel.select_file(path)
        self._message(self.tr("Preset loaded. Check the pack profile, then “Apply to the form”."))

    def _ask_save_preset(self) -> None:
        folder = user_preset_dir()
        folder.mkdir(parents=True, exist_ok=True)
        self._open_dialog(
            save=True,
            caption=self.tr("Save the form as my preset"),
            directory=folder,
            name_filter=self.tr("Packbench presets (*.json)"),
            default_name="my-preset.json",
            on_path=self.save_preset_file,
        )

    def form_values(self) -> dict[str, Any]:
        """The New value column: the board's values with the form's requests on top."""
        out = dict(self._board)
        out.update(self._wanted)
        return out

    def save_preset_file(self, path: Path) -> None:
        values = self.form_values()
        keys = presets.CHEMISTRY_PRESETS["lifepo4"].keys()
        cell_values = {k: values[k] for k in keys if values.get(k) is not None}
        chemistry = self._chemistry or infer_chemistry(values) or self.panel.current_preset().chemistry
        preset = presets.Preset(path.stem, chemistry, cell_values)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            presets.save_preset(preset, path)
        except OSError as exc:
            self._message(
                self.tr("Cannot save {path}: {reason}").format(path=path, reason=sentence(str(exc))),
                error=True,
            )
            return
        self.panel.reload_presets(select=path)
        self._message(
            self.tr("Saved my preset “{name}” ({n} cell-level values) to {path}.").format(
                name=preset.name, n=len(cell_values), path=path
            )
        )

    # --- settings files ----------------------------------------------------------------------------------
    def _ask_export(self) -> None:
        session = self.bridge.session
        if session is None:
            return
        name = "{dev}-{stamp}.json".format(
            dev=settings_files.device_key(session.device_info, "board"), stamp=time.strftime("%Y%m%d-%H%M%S")
        )
        self._open_dialog(
            save=True,
            caption=self.tr("Export the board's settings"),
            directory=Path.home(),
            name_filter=";;".join(
                [self.tr("Packbench settings (*.json)")] + self._vendor_filters(session.protocol.id)
            ),
            default_name=name,
            on_path=lambda p: self.bridge.spawn(self.export_to(p)),
        )

    @staticmethod
    def _vendor_filters(protocol: str | None = None) -> list[str]:
        """File-dialog filters of the vendors' formats (of ``protocol``'s family, or all)."""
        return [QCoreApplication.translate("ParametersPage", v.file_filter) for v in vendor_formats(protocol)]

    async def export_to(self, path: Path) -> Path | None:
        session = self.bridge.session
        if session is None:
            return None
        try:
            values = dict((await session.refresh_settings()).values)
            doc = settings_files.to_document(
                values,
                protocol=session.protocol.id,
                device=session.device_info,
                schema=session.protocol.settings_schema(),
            )
            settings_files.save(path, doc)
        except (SessionError, OSError) as exc:
            self._message(self.tr("Not exported: {reason}").format(reason=sentence(str(exc))), error=True)
            return None
        self._message(self.tr("Exported {n} settings to {path}.").format(n=len(values), path=path))
        return path

    def _ask_open_file(self, *, compare: bool) -> None:
        folder = settings_files.backup_dir()
        self._open_dialog(
            save=False,
            directory=folder if folder.is_dir() else Path.home(),
            caption=self.tr("Compare the board with a file")
            if compare
            else self.tr("Import a settings or preset file"),
            name_filter=";;".join(
                [self.tr("Packbench settings and presets (*.json)")] + self._vendor_filters()
            ),
            on_path=lambda p: self.load_file(p, compare=compare),
        )

    def load_file(self, path: Path, *, compare: bool = False) -> bool:
        """A settings export, a backup or a preset into the form (diff highlighted).

        The same strict loader as ``packbench settings apply --file``: a file of another
        board family, an unknown key or a wrong value is refused with the reason."""
        session = self.bridge.session
        try:
            if session is None:
                raise ValueError(self.tr("connect a board first"))
            source = settings_files.open_file(path)
            if isinstance(source, presets.Preset):
                request = settings_files.request_from(
                    source, session.protocol, profile=self.panel.profile(), name=Path(path).name
                )
                what = self.tr("preset file {name} with {profile}").format(
                    name=Path(path).name, profile=self.panel.profile_text()
                )
            else:
                request = settings_files.request_from(source, session.protocol, name=Path(path).name)
                what = self._describe_document(source, Path(path))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            self._message(
                self.tr("Cannot read {path}: {reason}").format(path=path, reason=sentence(str(exc))),
                error=True,
            )
            return False
        if compare:
            source_text = self.tr(
                "comparison with {what}. Highlighted rows differ from the board; "
                "nothing is written unless you choose “Review and write…”."
            ).format(what=what)
        else:
            source_text = self.tr("{what}.").format(what=what)
        values = dict(request.values)
        # read-only values that differ from the board: named, never dropped silently
        values.update(
            {
                k: v
                for k, v in request.read_only.items()
                if k in self._board and not same(None, self._board.get(k), v)
            }
        )
        self.set_form(values, source=source_text, chemistry=request.chemistry, origin=request.origin)
        return True

    def _describe_document(self, doc: dict[str, Any], path: Path) -> str:
        dev = doc.get("device") or {}
        kind = doc.get("kind")
        what = (self.tr("backup {name}") if kind == "backup" else self.tr("settings file {name}")).format(
            name=path.name
        )
        details = []
        if dev.get("model") or dev.get("serial_number"):
            details.append(" ".join(str(x) for x in (dev.get("model"), dev.get("serial_number")) if x))
        if dev.get("software_version"):
            details.append(self.tr("firmware {version}").format(version=dev["software_version"]))
        if doc.get("created"):
            details.append(str(doc["created"]))
        if details:
            what += " (" + ", ".join(details) + ")"
        info = self.bridge.device_info
        serial = dev.get("serial_number")
        if info is not None and serial and info.serial_number and serial != info.serial_number:
            what += " — " + self.tr("from another board (this one is {serial})").format(
                serial=info.serial_number
            )
        if (
            doc.get("protocol")
            and self.bridge.session is not None
            and doc["protocol"] != self.bridge.session.protocol.id
        ):
            what += " — " + self.tr("written by {protocol}").format(protocol=doc["protocol"])
        return what

    # --- the write transaction -----------------------------------------------------------------------------
    def _on_review(self) -> None:
        if self._busy or not self.live:
            return
        self.bridge.spawn(self.review())

    async def review(self) -> WriteDialog | None:
        """Read the board, work out the plan and open the review dialog."""
        session = self.bridge.session
        if session is None:
            return None
        self._busy = True
        self._update_footer()
        self._message(self.tr("Reading the board's settings …"))
        try:
            plan = await writer.prepare(
                session, self.requested(), chemistry=self._chemistry, origin=self._origin
            )
        except (writer.WriteError, SessionError) as exc:
            self._message(
                self.tr("Cannot prepare the write: {reason}").format(reason=sentence(str(exc))), error=True
            )
            return None
        finally:
            self._busy = False
            self._update_footer()
        self._message("")
        dialog = WriteDialog(
            self.bridge,
            plan,
            chemistry=self._chemistry,
            gate=self.gate,
            memory=self.passwords,
            source=self._source,
            missing=self._missing,
            parent=self,
        )
        self._show_dialog(dialog)
        return dialog

    def open_board_preset(self, action: str) -> BoardPresetDialog | None:
        if not self.live:
            return None
        dialog = BoardPresetDialog(self.bridge, action, gate=self.gate, memory=self.passwords, parent=self)
        self._show_dialog(dialog)
        return dialog

    def _show_dialog(self, dialog: WriteDialog | BoardPresetDialog) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.wrote.connect(self._after_write)
        dialog.finished.connect(lambda _r: self._after_dialog())
        dialog.open()  # window-modal, returns at once (never exec(), stack.md P2)

    def _after_write(self) -> None:
        self._prune_pending = True
        self.bridge.spawn(self.bridge.refresh_settings())

    def _after_dialog(self) -> None:
        self.prune_written()
        self._refresh_all()
        if self.dialog is not None:
            text, ok = self.dialog.outcome_text()
            self._message(text, error=not ok)

    # --- for tests ------------------------------------------------------------------------------------------
    def row_text(self, key: str) -> tuple[str, str] | None:
        """(label, board value text) of the row for ``key``, or None."""
        row = self._rows.get(key)
        if row is None:
            return None
        return row.item.text(self.COL_LABEL), row.item.text(self.COL_VALUE)

    def editor(self, key: str) -> ValueEditor | None:
        row = self._rows.get(key)
        return row.editor if row else None

    def is_highlighted(self, key: str) -> bool:
        row = self._rows.get(key)
        return (
            bool(row)
            and row.item.background(self.COL_LABEL).color() == CHANGED_BG
            and row.item.background(self.COL_LABEL).style() != Qt.BrushStyle.NoBrush
        )
