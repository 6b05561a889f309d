"""The board's identity on the Parameters page: model, versions, serial, protocol, …"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGridLayout, QGroupBox, QLabel, QWidget

from ..model import DeviceInfo
from .theme import GREY
from .widgets import DASH, vocab

# the board's identity, in two columns: the long names on the left, the short values right
DEVICE_FIELDS = (
    "model",
    "hardware_version",
    "device_name",
    "software_version",
    "serial_number",
    "manufacture_date",
    "protocol",
    "power_on_count",
)


class BoardInfoBox(QGroupBox):
    """Two columns of four: narrow enough to sit above the settings table at 1024 px."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Board"), parent)
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(12)
        grid.setContentsMargins(9, 4, 9, 4)
        self.values: dict[str, QLabel] = {}
        forms = [QFormLayout(), QFormLayout()]
        for form in forms:
            form.setHorizontalSpacing(8)
            form.setVerticalSpacing(1)
        for i, key in enumerate(DEVICE_FIELDS):
            value = QLabel(DASH)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)  # a long model name breaks at its dashes, never clips
            f = value.font()
            f.setBold(True)
            value.setFont(f)
            self.values[key] = value
            name = QLabel(vocab(key))
            name.setStyleSheet(f"color: {GREY};")
            forms[i % 2].addRow(name, value)
        for i, form in enumerate(forms):
            grid.addLayout(form, 0, i)
            grid.setColumnStretch(i, 3 - i)

    def show_info(self, info: DeviceInfo | None) -> None:
        for key, label in self.values.items():
            value = getattr(info, key, None) if info is not None else None
            label.setText(DASH if value in (None, "") else str(value))
