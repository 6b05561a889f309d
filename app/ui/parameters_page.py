"""Parameters: the board's settings, read-only in this version.

Rows come from the protocol's declarative schema (label, unit, range, group,
help), values from the settings the board sent.  Keys the schema does not
know are listed under "Other" with their raw key.  Passwords never appear.
"""

from __future__ import annotations

import math
import re
import time
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView,
                               QLabel, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from ..model import GROUPS, DeviceInfo, Settings, SettingSpec
from ..model.labels import CONTEXT
from ..protocols import get_protocol
from .bridge import SessionBridge
from .widgets import DASH, GREY, vocab

#: keys never shown, whatever a decoder puts into the settings
_SECRET = re.compile(r"(^|_)(password|passwd|pin|passcode|secret)(_|$)")

DEVICE_FIELDS = ("model", "hardware_version", "software_version", "serial_number",
                 "device_name", "manufacture_date", "protocol", "power_on_count")


def is_secret(key: str) -> bool:
    return bool(_SECRET.search(key.lower()))


def decimals_for(step: float | None) -> int | None:
    if not step or step <= 0:
        return None
    if step >= 1:
        return 0
    return min(6, max(0, math.ceil(-math.log10(step) - 1e-9)))


class ParametersPage(QWidget):
    COL_LABEL, COL_VALUE, COL_RANGE, COL_KEY = range(4)

    def __init__(self, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        root = QVBoxLayout(self)
        root.setContentsMargins(12, 12, 12, 12)
        root.setSpacing(8)

        # --- device info ------------------------------------------------------------------
        self.info_box = QGroupBox(self.tr("Board"))
        grid = QGridLayout(self.info_box)
        grid.setHorizontalSpacing(24)
        self._info_values: dict[str, QLabel] = {}
        forms = [QFormLayout(), QFormLayout(), QFormLayout()]
        for form in forms:
            form.setHorizontalSpacing(12)
            form.setVerticalSpacing(4)
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

        # --- note + refresh ----------------------------------------------------------------------
        row = QHBoxLayout()
        self.note = QLabel(self.tr(
            "Read-only in this version: editing, presets and the password-protected write "
            "arrive with the Parameters feature."))
        self.note.setWordWrap(True)
        self.note.setStyleSheet("QLabel { background: #fff4d6; border: 1px solid #e6c96b;"
                                " border-radius: 4px; padding: 6px; }")
        row.addWidget(self.note, 1)
        self.read_label = QLabel()
        self.read_label.setStyleSheet(f"color: {GREY};")
        row.addWidget(self.read_label)
        self.refresh_button = QPushButton(self.tr("Refresh from board"))
        self.refresh_button.clicked.connect(self._on_refresh)
        row.addWidget(self.refresh_button)
        root.addLayout(row)

        # --- the table ------------------------------------------------------------------------------
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels([self.tr("Setting"), self.tr("Value"), self.tr("Allowed range"),
                                   self.tr("Key")])
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setRootIsDecorated(True)
        header = self.tree.header()
        header.setStretchLastSection(True)
        for col in range(4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        self.tree.setColumnWidth(self.COL_LABEL, 380)
        self.tree.setColumnWidth(self.COL_VALUE, 150)
        self.tree.setColumnWidth(self.COL_RANGE, 230)
        root.addWidget(self.tree, 1)

        self.empty_label = QLabel(self.tr("Connect to a board to see its settings."))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet(f"color: {GREY};")
        root.addWidget(self.empty_label)

        bridge.settingsReceived.connect(self.show_settings)
        bridge.deviceInfoReceived.connect(self.show_device_info)
        bridge.sessionChanged.connect(self._on_session_changed)
        bridge.stateChanged.connect(self._on_state)
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

    # --- events ---------------------------------------------------------------------------------------
    def _on_refresh(self) -> None:
        self.bridge.spawn(self.bridge.refresh_settings())

    def _on_state(self, state: str, _detail: str) -> None:
        self.refresh_button.setEnabled(state == "live")

    def _on_session_changed(self, session: object) -> None:
        self.show_device_info(None)
        self.show_settings(None)

    def show_device_info(self, info: DeviceInfo | None) -> None:
        for key, label in self._info_values.items():
            value = getattr(info, key, None) if info is not None else None
            label.setText(DASH if value in (None, "") else str(value))

    def show_settings(self, settings: Settings | None) -> None:
        self.tree.clear()
        has = settings is not None and bool(settings.values)
        self.tree.setVisible(has)
        self.empty_label.setVisible(not has)
        if not has:
            self.read_label.setText("")
            return
        assert settings is not None
        self.read_label.setText(self.tr("Read from the board at {time}").format(
            time=time.strftime("%H:%M:%S")))
        schema: list[SettingSpec] = []
        if settings.protocol:
            try:
                schema = list(get_protocol(settings.protocol).settings_schema())
            except KeyError:
                schema = []
        values = settings.values
        by_group: dict[str, list[tuple[SettingSpec | None, str, Any]]] = {g: [] for g in GROUPS}
        known = set()
        for spec in schema:
            known.add(spec.key)
            if is_secret(spec.key):
                continue
            by_group.setdefault(spec.group, []).append((spec, spec.key, values.get(spec.key)))
        for key in sorted(values):
            if key in known or is_secret(key):
                continue
            by_group["other"].append((None, key, values[key]))

        bold = QFont(self.tree.font())
        bold.setBold(True)
        grey = QBrush(QColor(GREY))
        for group, rows in by_group.items():
            if not rows:
                continue
            top = QTreeWidgetItem([self.group_title(group)])
            top.setFont(self.COL_LABEL, bold)
            top.setFirstColumnSpanned(True)
            self.tree.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)
            for spec, key, value in rows:
                item = QTreeWidgetItem([
                    self._label(spec, key),
                    self._value_text(spec, key, value),
                    self._range_text(spec),
                    key,
                ])
                item.setFont(self.COL_VALUE, bold)
                item.setForeground(self.COL_RANGE, grey)
                item.setForeground(self.COL_KEY, grey)
                if value is None:
                    item.setForeground(self.COL_VALUE, grey)
                tip = self._help(spec)
                if tip:
                    for col in range(4):
                        item.setToolTip(col, tip)
                item.setData(self.COL_LABEL, Qt.ItemDataRole.UserRole, key)
                top.addChild(item)
        self.tree.expandAll()

    # --- formatting ----------------------------------------------------------------------------------------
    def _label(self, spec: SettingSpec | None, key: str) -> str:
        if spec is None:
            return vocab(key)
        return QCoreApplication.translate(CONTEXT, spec.label)

    def _help(self, spec: SettingSpec | None) -> str:
        if spec is None or not spec.help:
            return ""
        return QCoreApplication.translate(CONTEXT, spec.help)

    def _value_text(self, spec: SettingSpec | None, key: str, value: Any) -> str:
        if value is None:
            return self.tr("not reported")
        if isinstance(value, bool) or (spec is not None and spec.kind == "bool"):
            return self.tr("On") if value else self.tr("Off")
        unit = spec.unit if spec is not None else ""
        if isinstance(value, (int, float)):
            dec = decimals_for(spec.step) if spec is not None else None
            if dec is None:
                text = f"{value:g}" if isinstance(value, float) else str(value)
            else:
                text = f"{value:.{dec}f}"
        else:
            text = str(value)
        return f"{text} {unit}".strip()

    def _range_text(self, spec: SettingSpec | None) -> str:
        if spec is None or spec.kind != "number" or spec.minimum is None or spec.maximum is None:
            return ""
        dec = decimals_for(spec.step)
        fmt = (lambda v: f"{v:.{dec}f}") if dec is not None else (lambda v: f"{v:g}")
        return self.tr("{lo} – {hi} {unit}").format(lo=fmt(spec.minimum), hi=fmt(spec.maximum),
                                                    unit=spec.unit).strip()

    # --- for tests ---------------------------------------------------------------------------------------------
    def row_text(self, key: str) -> tuple[str, str] | None:
        """(label, value text) of the row for ``key``, or None."""
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                item = top.child(j)
                if item.data(self.COL_LABEL, Qt.ItemDataRole.UserRole) == key:
                    return item.text(self.COL_LABEL), item.text(self.COL_VALUE)
        return None
