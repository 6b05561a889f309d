"""Control: what is switched on, read-only in this version.

The enable switches come from the board's settings, the MOSFET states from
the newest live snapshot.  Nothing on this page writes to the board.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..model import Settings, Snapshot
from .bridge import SessionBridge
from .widgets import AMBER, GREY, Badge, vocab

#: outputs whose OFF is the normal state: OFF grey, ON amber
NEUTRAL_KEYS = frozenset({"heating_switch", "precharge_mos_on", "heating_on"})

SWITCH_KEYS = ("charge_switch", "discharge_switch", "balance_switch", "heating_switch")
MOS_KEYS = ("charge_mos_on", "discharge_mos_on", "precharge_mos_on", "heating_on")


class ControlPage(QWidget):
    def __init__(self, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        root = QVBoxLayout(self)
        root.setContentsMargins(12, 12, 12, 12)
        root.setSpacing(12)

        self.note = QLabel(self.tr(
            "Switching, calibration and resets arrive with the Control feature; "
            "nothing here writes to the board."))
        self.note.setWordWrap(True)
        self.note.setStyleSheet("QLabel { background: #fff4d6; border: 1px solid #e6c96b;"
                                " border-radius: 4px; padding: 6px; }")
        root.addWidget(self.note)

        row = QHBoxLayout()
        row.setSpacing(16)
        switches = QGroupBox(self.tr("Switches (the board's settings)"))
        form = QFormLayout(switches)
        form.setVerticalSpacing(10)
        self.switch_badges: dict[str, Badge] = {}
        for key in SWITCH_KEYS:
            badge = Badge()
            self.switch_badges[key] = badge
            form.addRow(vocab(key), badge)
        explain = QLabel(self.tr("What the board is allowed to do. Read when connecting and "
                                 "with “Refresh from board” on the Parameters page."))
        explain.setWordWrap(True)
        explain.setStyleSheet(f"color: {GREY};")
        form.addRow(explain)
        row.addWidget(switches, 1)

        mos = QGroupBox(self.tr("Outputs now (live data)"))
        form2 = QFormLayout(mos)
        form2.setVerticalSpacing(10)
        self.mos_badges: dict[str, Badge] = {}
        for key in MOS_KEYS:
            badge = Badge()
            self.mos_badges[key] = badge
            form2.addRow(vocab(key), badge)
        explain2 = QLabel(self.tr("What the board is doing this moment. A MOSFET that is OFF "
                                  "while its switch is ON usually means a protection tripped: "
                                  "see the alarms on the Live cells page."))
        explain2.setWordWrap(True)
        explain2.setStyleSheet(f"color: {GREY};")
        form2.addRow(explain2)
        row.addWidget(mos, 1)
        root.addLayout(row)
        root.addStretch(1)
        for lay in (form, form2):
            lay.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        self._mos_shown: tuple | None = None
        bridge.settingsReceived.connect(self.show_settings)
        bridge.snapshotReceived.connect(self.show_snapshot)
        bridge.sessionChanged.connect(self._on_session_changed)
        self.show_settings(bridge.settings)
        self.show_snapshot(bridge.last_snapshot)

    def _on_session_changed(self, _session: object) -> None:
        self.show_settings(None)
        self.show_snapshot(None)

    def show_settings(self, settings: Settings | None) -> None:
        values = settings.values if settings is not None else {}
        for key, badge in self.switch_badges.items():
            value = values.get(key)
            self._set(badge, key, None if value is None else bool(value))

    def show_snapshot(self, snap: Snapshot | None) -> None:
        # called for every snapshot: compare first, touch widgets only on change
        state = tuple(getattr(snap, k, None) for k in MOS_KEYS) if snap is not None else None
        if state == self._mos_shown:
            return
        self._mos_shown = state
        for i, key in enumerate(MOS_KEYS):
            value = state[i] if state is not None else None
            self._set(self.mos_badges[key], key, value)

    @staticmethod
    def _set(badge: Badge, key: str, value: bool | None) -> None:
        if key in NEUTRAL_KEYS:
            badge.set_state(value, on_colour=AMBER, off_colour=GREY)
        else:
            badge.set_state(value)
