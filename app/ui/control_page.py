"""Control: switches, calibration, the board's own presets and resets, capacity,
and the "before sealing" checks — each action guarded and verified.

Everything that writes goes through app/services/control.py and writer.py:
the password gate (nothing is sent on a wrong password), a backup where
settings may change, the command, and a read-back.  Each action is
confirmed first, inline, in words that say what happens to the pack and to
a controller behind it; its outcome stays on screen in green (verified),
red (refused, failed) or amber (stored but unconfirmed).

What the board family cannot do is hidden and said in one line, never
pretended: no switch rows a board lacks, no resets where no command is known,
no device-name or password change (jk.md §5.5), no SOC or clock command where the
protocol has none (control_sections.py).

Dialogs are opened with ``open()``, never ``exec()`` (shared/stack.md P2).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ..model import Settings, Snapshot
from ..protocols.base import Protocol
from ..services import control, settings_files, writer
from ..services.control import QT_TRANSLATE_NOOP
from ..session import DeviceSession, SessionError
from .bridge import SessionBridge
from .control_sections import StateOfChargeSection, ZeroCurrentSection
from .control_widgets import CheckRow, ConfirmPanel, ResultLine, grey
from .control_wizard import CalibrationWizard
from .setting_format import is_secret, setting_label, value_text
from .theme import AMBER, GREEN, GREY, INFO_STYLE, RED, table_item, wrap
from .widgets import Badge, alarm_text, sentence, vocab
from .write_dialog import (
    BoardPresetDialog,
    PasswordMemory,
    WriteDialog,
    board_preset_name,
    password_problem,
    result_detail,
    status_words,
)

#: outputs whose OFF is the normal state: OFF grey, ON amber
NEUTRAL_KEYS = frozenset({"heating_switch", "precharge_mos_on", "heating_on", "balancing_active"})

SWITCH_KEYS = control.SWITCHES
#: the live output that follows each switch
OUTPUT_OF = {
    "charge_switch": "charge_mos_on",
    "discharge_switch": "discharge_mos_on",
    "balance_switch": "balancing_active",
    "heating_switch": "heating_on",
}
MOS_KEYS = ("charge_mos_on", "discharge_mos_on", "balancing_active", "heating_on", "precharge_mos_on")
BOARD_ACTIONS = ("restart", "shutdown", "factory_reset")
RESET_WORD = "RESET"

#: mid-sentence forms ("Switch charging off?")
SWITCH_WORDS = {
    "charge_switch": QT_TRANSLATE_NOOP("Control", "charging"),
    "discharge_switch": QT_TRANSLATE_NOOP("Control", "discharging"),
    "balance_switch": QT_TRANSLATE_NOOP("Control", "balancing"),
    "heating_switch": QT_TRANSLATE_NOOP("Control", "heating"),
}
SWITCH_NAMES = {
    "charge_switch": QT_TRANSLATE_NOOP("Control", "Charging"),
    "discharge_switch": QT_TRANSLATE_NOOP("Control", "Discharging"),
    "balance_switch": QT_TRANSLATE_NOOP("Control", "Balancing"),
    "heating_switch": QT_TRANSLATE_NOOP("Control", "Heating"),
}
ACTION_NAMES = {
    "restart": QT_TRANSLATE_NOOP("Control", "Restart the board"),
    "shutdown": QT_TRANSLATE_NOOP("Control", "Shut the board down"),
    "factory_reset": QT_TRANSLATE_NOOP("Control", "Factory reset"),
}


def switch_name(key: str) -> str:
    text = SWITCH_NAMES.get(key)
    return QCoreApplication.translate("Control", text) if text else vocab(key)


def switch_word(key: str) -> str:
    text = SWITCH_WORDS.get(key)
    return QCoreApplication.translate("Control", text) if text else vocab(key)


def action_name(action: str) -> str:
    text = ACTION_NAMES.get(action)
    return QCoreApplication.translate("Control", text) if text else action


def on_off(on: bool | None) -> str:
    if on is None:
        return QCoreApplication.translate("Control", "unknown")
    return QCoreApplication.translate("Control", "ON") if on else QCoreApplication.translate("Control", "OFF")


class ControlPage(QWidget):
    def __init__(
        self,
        bridge: SessionBridge,
        parent: QWidget | None = None,
        *,
        gate: writer.PasswordGate | None = None,
        memory: PasswordMemory | None = None,
        backup_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        # share the Parameters tab's gate and memory when the window passes them
        self.gate = gate if gate is not None else writer.PasswordGate()
        self.passwords = memory if memory is not None else PasswordMemory()
        self.backup_dir = backup_dir
        self.dialog: CalibrationWizard | BoardPresetDialog | WriteDialog | None = None
        self._busy = False
        self._caps: tuple | None = None
        self._sealing_key: tuple | None = None
        self._mos_shown: tuple | None = None
        self._capacity_board: float | None = None
        self._left_off_banner = False
        self.last_action_result: control.ActionResult | None = None
        self.last_switch_report: writer.Report | None = None
        self.last_emergency_result: control.EmergencyResult | None = None
        self._emergency_shown: object = ()

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        root = QVBoxLayout(body)
        root.setContentsMargins(12, 12, 12, 12)
        root.setSpacing(12)

        self.offline_note = wrap(style=INFO_STYLE)
        root.addWidget(self.offline_note)
        self.sealing_box = self._build_sealing()
        root.addWidget(self.sealing_box)
        self.banner = ResultLine()
        root.addWidget(self.banner)

        # a read-only family (Protocol.read_only_reason): the reason, and nothing to press
        self.read_only_note = wrap(style=INFO_STYLE)
        self.read_only_note.setVisible(False)
        root.addWidget(self.read_only_note)

        self.columns = QWidget()
        columns = QHBoxLayout(self.columns)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(12)
        left = QVBoxLayout()
        left.setSpacing(12)
        right = QVBoxLayout()
        right.setSpacing(12)
        left.addWidget(self._build_switches())
        left.addWidget(self._build_capacity())
        left.addWidget(self._build_identity())
        left.addWidget(self._build_emergency())
        left.addStretch(1)
        right.addWidget(self._build_calibration())
        right.addWidget(self._build_presets())
        right.addWidget(self._build_actions())
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        root.addWidget(self.columns)
        root.addStretch(1)

        bridge.settingsReceived.connect(self.show_settings)
        bridge.snapshotReceived.connect(self.show_snapshot)
        bridge.sessionChanged.connect(self._on_session_changed)
        bridge.deviceInfoReceived.connect(self._on_device_info)
        bridge.stateChanged.connect(self._on_state)
        self._update_capabilities()
        self.show_settings(bridge.settings)
        self.show_snapshot(bridge.last_snapshot)
        self._update_enabled()

    # --- building ------------------------------------------------------------------------------
    def _build_sealing(self) -> QGroupBox:
        box = QGroupBox(self.tr("Before sealing the pack"))
        lay = QVBoxLayout(box)
        lay.setSpacing(6)
        head = QHBoxLayout()
        self.sealing_summary = QLabel()
        f = self.sealing_summary.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.2)
        self.sealing_summary.setFont(f)
        head.addWidget(self.sealing_summary)
        head.addStretch(1)
        live_note = QLabel(self.tr("Live: updates with every reading from the board"))
        live_note.setStyleSheet(f"color: {GREY};")
        head.addWidget(live_note)
        lay.addLayout(head)
        self.check_rows: dict[str, CheckRow] = {}
        for cid in ("fets", "alarms", "cells", "delta"):
            row = CheckRow()
            self.check_rows[cid] = row
            lay.addWidget(row)
        return box

    def _build_switches(self) -> QGroupBox:
        box = QGroupBox(self.tr("Switches"))
        lay = QVBoxLayout(box)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(8)
        for col, text in enumerate(("", self.tr("Setting on the board"), self.tr("Output now"))):
            if text:
                head = QLabel(text)
                head.setStyleSheet(f"color: {GREY};")
                grid.addWidget(head, 0, col)
        self.switch_badges: dict[str, Badge] = {}
        self.mos_badges: dict[str, Badge] = {}
        self.switch_buttons: dict[str, QPushButton] = {}
        self._switch_row_widgets: dict[str, list[QWidget]] = {}
        bold = QFont(self.font())
        bold.setBold(True)
        rows = list(SWITCH_KEYS) + ["precharge_mos_on"]
        for i, key in enumerate(rows, start=1):
            name = QLabel(switch_name(key) if key in SWITCH_KEYS else vocab(key))
            name.setFont(bold)
            grid.addWidget(name, i, 0)
            widgets: list[QWidget] = [name]
            if key in SWITCH_KEYS:
                badge = Badge()
                self.switch_badges[key] = badge
                grid.addWidget(badge, i, 1)
                widgets.append(badge)
                out_key = OUTPUT_OF[key]
            else:
                out_key = key
            out = Badge(template=self.tr("BALANCING"))
            self.mos_badges[out_key] = out
            grid.addWidget(out, i, 2)
            widgets.append(out)
            if key in SWITCH_KEYS:
                button = QPushButton()
                button.setMinimumWidth(130)
                button.clicked.connect(lambda _c=False, k=key: self.ask_switch(k))
                self.switch_buttons[key] = button
                grid.addWidget(button, i, 3)
                widgets.append(button)
            self._switch_row_widgets[key] = widgets
        grid.setColumnStretch(4, 1)
        lay.addLayout(grid)
        self.switch_note = grey()
        lay.addWidget(self.switch_note)
        self.output_help = grey(
            self.tr(
                "“Output now” is what the board is doing this moment. An "
                "output that is OFF while its setting is ON usually means a "
                "protection tripped: see the alarms above."
            )
        )
        lay.addWidget(self.output_help)
        self.switch_panel, self.switch_result = self._confirm_panel(lay, self._on_switch_confirmed)
        return box

    # --- what the sections (control_sections.py) use ------------------------------------------
    @property
    def busy(self) -> bool:
        return self._busy

    def confirm_panel(
        self, lay: QVBoxLayout, on_confirmed: Callable[[], None]
    ) -> tuple[ConfirmPanel, ResultLine]:
        return self._confirm_panel(lay, on_confirmed)

    def panel_opened(self, panel: QWidget) -> None:
        self._update_enabled()
        self._reveal(panel)

    async def guarded(
        self, panel: ConfirmPanel, busy_text: str, work: Callable[[Any, str], Awaitable[Any]]
    ) -> tuple[bool, Any]:
        return await self._guarded(panel, busy_text, work)

    def _confirm_panel(
        self, lay: QVBoxLayout, on_confirmed: Callable[[], None]
    ) -> tuple[ConfirmPanel, ResultLine]:
        """A box's confirmation panel and the line under it that says what happened."""
        panel = ConfirmPanel(self.passwords)
        panel.confirmed.connect(on_confirmed)
        panel.cancelled.connect(self._update_enabled)
        lay.addWidget(panel)
        result = ResultLine()
        lay.addWidget(result)
        return panel, result

    def _build_capacity(self) -> QGroupBox:
        box = QGroupBox(self.tr("Capacity and state of charge"))
        lay = QVBoxLayout(box)
        self.capacity_row = QWidget()
        row = QHBoxLayout(self.capacity_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("Nominal capacity")))
        self.capacity_spin = _ah_spin(1.0, 2000.0)
        self.capacity_spin.valueChanged.connect(lambda _v: self._update_enabled())
        row.addWidget(self.capacity_spin)
        self.capacity_board_label = QLabel()
        self.capacity_board_label.setStyleSheet(f"color: {GREY};")
        row.addWidget(self.capacity_board_label)
        row.addStretch(1)
        self.capacity_button = QPushButton(self.tr("Review and set…"))
        self.capacity_button.clicked.connect(self._on_capacity)
        row.addWidget(self.capacity_button)
        lay.addWidget(self.capacity_row)
        self.capacity_note = grey()
        lay.addWidget(self.capacity_note)
        self.soc_note = grey()
        lay.addWidget(self.soc_note)
        # the charge the pack holds now (JBD 0xE0): the board's SOC follows it
        self.remaining_row = QWidget()
        rrow = QHBoxLayout(self.remaining_row)
        rrow.setContentsMargins(0, 0, 0, 0)
        rrow.addWidget(QLabel(self.tr("Remaining capacity")))
        self.remaining_spin = _ah_spin(0.0, 655.3)  # 0xE0 holds at most 655.35 Ah
        self._remaining_prefilled = False
        rrow.addWidget(self.remaining_spin)
        rrow.addStretch(1)
        self.remaining_button = QPushButton(self.tr("Set…"))
        self.remaining_button.clicked.connect(self.ask_remaining)
        rrow.addWidget(self.remaining_button)
        self.remaining_row.setVisible(False)
        lay.addWidget(self.remaining_row)
        self.soc_panel, self.capacity_result = self._confirm_panel(lay, self._on_remaining_confirmed)
        self.state_section = StateOfChargeSection(self)
        lay.addWidget(self.state_section)
        return box

    def ask_remaining(self) -> None:
        session = self.bridge.session
        if session is None or self._busy:
            return
        ah = round(self.remaining_spin.value(), 2)
        self.capacity_result.clear_result()
        self.soc_panel.ask(
            session,
            action="remaining",
            value=ah,
            title=self.tr("Set the remaining capacity to {ah} Ah?").format(ah=f"{ah:g}"),
            text=QCoreApplication.translate("Control", control.SOC_CONSEQUENCE),
            confirm=self.tr("Set {ah} Ah").format(ah=f"{ah:g}"),
            note=self.tr(
                "Packbench sends it in factory mode, leaves factory mode "
                "and reads the board's remaining capacity back."
            ),
        )
        self._update_enabled()
        self._reveal(self.soc_panel)

    def _on_remaining_confirmed(self) -> None:
        if not self._busy and self.soc_panel.value is not None:
            self.bridge.spawn(self._run_remaining(float(self.soc_panel.value)))

    async def _run_remaining(self, ah: float) -> None:
        async def work(session, password):
            return await control.set_remaining_capacity(session, ah, password=password, gate=self.gate)

        ran, res = await self._guarded(self.soc_panel, self.tr("Sending and reading back …"), work)
        if not ran:
            return
        if res.ok:
            self.capacity_result.ok(
                self.tr("Verified: the board now reports {after} Ah remaining.").format(
                    after=f"{res.after_ah:.2f}"
                )
            )
        elif not res.acknowledged:
            self.capacity_result.bad(self.tr("The board did not acknowledge: nothing changed."))
        else:
            self.capacity_result.bad(
                self.tr("The board acknowledged but reports {after} Ah, not {ah} Ah.").format(
                    after=res.after_ah, ah=f"{ah:g}"
                )
            )

    def _build_identity(self) -> QGroupBox:
        box = QGroupBox(self.tr("Device name and passwords"))
        lay = QVBoxLayout(box)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Device name")))
        self.name_label = QLabel("—")
        f = self.name_label.font()
        f.setBold(True)
        self.name_label.setFont(f)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.name_label)
        row.addStretch(1)
        lay.addLayout(row)
        self.identity_note = wrap(style=INFO_STYLE)
        lay.addWidget(self.identity_note)
        # a password the board checks itself (JBD 0x07 set / 0x09 clear)
        self.board_password_row = QWidget()
        prow = QHBoxLayout(self.board_password_row)
        prow.setContentsMargins(0, 0, 0, 0)
        prow.addWidget(QLabel(self.tr("New board password")))
        self.new_password_edit = QLineEdit()
        self.new_password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_password_edit.setPlaceholderText(self.tr("six characters"))
        self.new_password_edit.setMaximumWidth(140)
        self.new_password_edit.textChanged.connect(lambda _t: self._update_enabled())
        prow.addWidget(self.new_password_edit)
        self.set_password_button = QPushButton(self.tr("Set…"))
        self.set_password_button.clicked.connect(lambda: self.ask_board_password(True))
        prow.addWidget(self.set_password_button)
        prow.addStretch(1)
        self.clear_password_button = QPushButton(self.tr("Remove the password…"))
        self.clear_password_button.clicked.connect(lambda: self.ask_board_password(False))
        prow.addWidget(self.clear_password_button)
        self.board_password_row.setVisible(False)
        lay.addWidget(self.board_password_row)
        self.identity_panel, self.identity_result = self._confirm_panel(
            lay, self._on_board_password_confirmed
        )
        return box

    # --- the board's own password (JBD) ------------------------------------------------------------
    def ask_board_password(self, set_it: bool) -> None:
        session = self.bridge.session
        if session is None or self._busy or not control.has_board_password(session):
            return
        new = self.new_password_edit.text().strip()
        if set_it:
            try:
                session.protocol.check_board_password(new)
            except ValueError as exc:
                self.identity_result.bad(
                    self.tr("The board cannot take this password: {reason}.").format(
                        reason=sentence(str(exc))
                    )
                )
                return
        what = "set" if set_it else "clear"
        self.identity_result.clear_result()
        self.identity_panel.ask(
            session,
            action=what,
            value=new if set_it else None,
            title=self.tr("Give the board a new password?")
            if set_it
            else self.tr("Remove the board's password?"),
            text=QCoreApplication.translate("Control", control.PASSWORD_CONSEQUENCES[what]),
            confirm=self.tr("Set the new password") if set_it else self.tr("Remove the password"),
            danger=not set_it,
            note=self.tr(
                "Enter the current password below if the board has one (leave it empty "
                "if not). Packbench then checks that the board asks for the new one."
            ),
        )
        self._update_enabled()
        self._reveal(self.identity_panel)

    def _on_board_password_confirmed(self) -> None:
        what, new = self.identity_panel.action, self.identity_panel.value
        if what and not self._busy:
            self.bridge.spawn(self._run_board_password(what, new))

    async def _run_board_password(self, what: str, new: object) -> None:
        async def work(session, password):
            return await control.change_board_password(
                session, old=password or None, new=str(new) if what == "set" else None, gate=self.gate
            )

        ran, ok = await self._guarded(self.identity_panel, self.tr("Sending and checking …"), work)
        if not ran:
            return
        if ok and what == "set":
            self.new_password_edit.clear()
            self.identity_result.ok(
                self.tr("Verified: the board now asks for the new password. Keep it somewhere safe.")
            )
        elif ok:
            self.identity_result.ok(self.tr("Verified: the board has no password now."))
        else:
            self.identity_result.bad(
                self.tr("The board acknowledged, but does not behave as if its password changed.")
            )

    def _build_emergency(self) -> QGroupBox:
        """Emergency mode (JK02_32S 0x6B, jk.md §5.2): one compact row; the words of what
        it does to the pack appear in the confirmation only."""
        box = QGroupBox(self.tr("Emergency mode"))
        lay = QVBoxLayout(box)
        self.emergency_row = QWidget()
        row = QHBoxLayout(self.emergency_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.emergency_badge = Badge()
        row.addWidget(self.emergency_badge)
        self.emergency_left = QLabel("")
        row.addWidget(self.emergency_left)
        row.addStretch(1)
        self.emergency_button = QPushButton(self.tr("Start emergency mode…"))
        self.emergency_button.clicked.connect(lambda _c=False: self.ask_emergency())
        row.addWidget(self.emergency_button)
        lay.addWidget(self.emergency_row)
        self.emergency_note = grey()
        self.emergency_note.setVisible(False)
        lay.addWidget(self.emergency_note)
        self.emergency_panel, self.emergency_result = self._confirm_panel(lay, self._on_emergency_confirmed)
        return box

    def _build_calibration(self) -> QGroupBox:
        box = QGroupBox(self.tr("Calibration against a meter"))
        lay = QVBoxLayout(box)
        self.calibration_body = QWidget()
        body = QGridLayout(self.calibration_body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setHorizontalSpacing(14)
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.3)
        big.setBold(True)
        for col, text in enumerate(
            (self.tr("Pack voltage the board reads"), self.tr("Current the board reads"))
        ):
            head = QLabel(text)
            head.setStyleSheet(f"color: {GREY};")
            body.addWidget(head, 0, col)
        self.voltage_reading = QLabel("—")
        self.voltage_reading.setFont(big)
        self.current_reading = QLabel("—")
        self.current_reading.setFont(big)
        body.addWidget(self.voltage_reading, 1, 0)
        body.addWidget(self.current_reading, 1, 1)
        self.voltage_button = QPushButton(self.tr("Calibrate voltage…"))
        self.voltage_button.clicked.connect(lambda: self.open_wizard("voltage"))
        self.current_button = QPushButton(self.tr("Calibrate current…"))
        self.current_button.clicked.connect(lambda: self.open_wizard("current"))
        body.addWidget(self.voltage_button, 2, 0)
        body.addWidget(self.current_button, 2, 1)
        body.setColumnStretch(2, 1)
        lay.addWidget(self.calibration_body)
        self.calibration_help = grey(
            self.tr(
                "Voltage: the wizard switches charging and discharging off, you measure at the pack "
                "terminals, then it switches them back on. Current: with a steady current of at least "
                "1 A, enter what a clamp meter reads."
            )
        )
        lay.addWidget(self.calibration_help)
        self.zero_section = ZeroCurrentSection(self)
        lay.addWidget(self.zero_section)
        self.calibration_note = grey()
        lay.addWidget(self.calibration_note)
        self.calibration_result = ResultLine()
        lay.addWidget(self.calibration_result)
        return box

    def _build_presets(self) -> QGroupBox:
        box = QGroupBox(self.tr("The board's own presets"))
        lay = QVBoxLayout(box)
        self.preset_row = QHBoxLayout()
        lay.addLayout(self.preset_row)
        self.preset_buttons: dict[str, QPushButton] = {}
        self.preset_help = grey(
            self.tr(
                "One click on the board overwrites its protection settings with the vendor's values "
                "for that chemistry. A backup is saved first and the values it produced are shown."
            )
        )
        lay.addWidget(self.preset_help)
        self.preset_note = grey()
        lay.addWidget(self.preset_note)
        self.preset_result = ResultLine()
        lay.addWidget(self.preset_result)
        return box

    def _build_actions(self) -> QGroupBox:
        box = QGroupBox(self.tr("Restart, shut down, factory reset"))
        lay = QVBoxLayout(box)
        row = QHBoxLayout()
        self.action_buttons: dict[str, QPushButton] = {}
        for action in BOARD_ACTIONS:
            button = QPushButton(action_name(action) + "…")
            if action == "factory_reset":
                button.setStyleSheet(f"QPushButton {{ color: {RED}; font-weight: bold; }}")
            button.clicked.connect(lambda _c=False, a=action: self.ask_action(a))
            self.action_buttons[action] = button
            row.addWidget(button)
        row.addStretch(1)
        lay.addLayout(row)
        self.action_note = grey()
        lay.addWidget(self.action_note)
        self.action_panel, self.action_result = self._confirm_panel(lay, self._on_action_confirmed)
        self.backup_label = grey()
        self.backup_label.setVisible(False)
        lay.addWidget(self.backup_label)
        self.after_title = QLabel()
        f = self.after_title.font()
        f.setBold(True)
        self.after_title.setFont(f)
        self.after_title.setVisible(False)
        lay.addWidget(self.after_title)
        self.after_table = QTableWidget(0, 3)
        self.after_table.setHorizontalHeaderLabels(
            [self.tr("Setting"), self.tr("Before (backup)"), self.tr("Now (read back)")]
        )
        self.after_table.verticalHeader().setVisible(False)
        self.after_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.after_table.setAlternatingRowColors(True)
        header = self.after_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.after_table.setMinimumHeight(260)
        self.after_table.setVisible(False)
        lay.addWidget(self.after_table)
        return box

    # --- state ----------------------------------------------------------------------------------
    @property
    def live(self) -> bool:
        return isinstance(self.bridge.session, DeviceSession) and self.bridge.state == "live"

    def _on_device_info(self, _info: object) -> None:
        self._update_capabilities()
        self.show_settings(self.bridge.settings)

    def _on_state(self, _state: str, _detail: str) -> None:
        self._update_capabilities()
        self._update_enabled()

    def _on_session_changed(self, session: object) -> None:
        self._remaining_prefilled = False
        for panel in (
            self.switch_panel,
            self.action_panel,
            self.emergency_panel,
            self.identity_panel,
            self.soc_panel,
        ):
            if not panel.busy:
                panel.close_panel()
        # results belong to the board they came from
        for line in (
            self.switch_result,
            self.capacity_result,
            self.calibration_result,
            self.preset_result,
            self.action_result,
            self.emergency_result,
        ):
            line.clear_result()
        self.state_section.reset()
        self.zero_section.reset()
        if session is not None:
            self._left_off_banner = False
            self.banner.clear_result()
        self.backup_label.setVisible(False)
        self.after_title.setVisible(False)
        self.after_table.setVisible(False)
        self._capacity_board = None
        self._update_capabilities()
        self.show_settings(None)
        self.show_snapshot(None)
        self._update_enabled()

    def _update_capabilities(self) -> None:
        """Show what this board family can do; hide, and say, what it cannot."""
        session = self.bridge.session
        if not isinstance(session, DeviceSession):
            caps: tuple = (None,) if session is None else ("replay",)
        else:
            proto = session.protocol
            keys = {s.key for s in writer.writable_schema(session)}
            actions = tuple(proto.actions())
            kinds = tuple(proto.calibration_kinds())
            caps = (
                proto.id,
                proto.name,
                tuple(sorted(keys)),
                actions,
                kinds,
                tuple(writer.board_preset_actions(session)) if actions else (),
                proto.has_emergency(),
            )
        reason = session.protocol.read_only_reason if isinstance(session, DeviceSession) else None
        caps += (reason,)
        if caps == self._caps:
            return
        self._caps = caps
        caps = caps[:-1]
        self._show_read_only(reason)
        connected = len(caps) > 1
        self.offline_note.setVisible(not connected)
        if caps == ("replay",):
            self.offline_note.setText(
                self.tr(
                    "Replaying a log: there is no board to send anything "
                    "to. The checks below show the log's readings."
                )
            )
        elif not connected:
            self.offline_note.setText(
                self.tr(
                    "Not connected: connect to a board on the Connection "
                    "tab. Every action here is confirmed, needs the setup "
                    "password and is read back."
                )
            )
        if not connected:
            for key, widgets in self._switch_row_widgets.items():
                for w in widgets:
                    w.setVisible(key in ("charge_switch", "discharge_switch", "balance_switch"))
            for note in (
                self.switch_note,
                self.capacity_note,
                self.soc_note,
                self.calibration_note,
                self.preset_note,
                self.action_note,
            ):
                note.setVisible(False)
            self.output_help.setVisible(True)
            self.identity_note.setText(self.tr("Connect to a board to see what can be changed."))
            self._set_presets([])
            self.emergency_row.setVisible(True)
            self.emergency_note.setVisible(False)
            self.zero_section.setVisible(False)
            return
        _pid, family, keys, actions, kinds, board_presets, emergency = caps
        # emergency mode
        self.emergency_row.setVisible(emergency)
        self.emergency_note.setText(
            self.tr("{family} has no emergency mode that Packbench knows.").format(family=family)
        )
        self.emergency_note.setVisible(not emergency)
        # switches
        present = [k for k in SWITCH_KEYS if k in keys]
        for key in SWITCH_KEYS:
            for w in self._switch_row_widgets[key]:
                w.setVisible(key in present)
        for w in self._switch_row_widgets["precharge_mos_on"]:
            w.setVisible("charge_switch" in present)
        missing = [k for k in ("charge_switch", "discharge_switch") if k not in present]
        if not missing and "balance_switch" not in present:
            missing = ["balance_switch"]  # said too (ANT legacy balances by itself)
        if len(missing) == 2:
            self.switch_note.setText(
                self.tr(
                    "{family} has no charging or discharging switch that Packbench can set, so neither "
                    "is shown."
                ).format(family=family)
            )
        elif missing:
            self.switch_note.setText(
                self.tr("{family} has no {name} switch that Packbench can set, so it is not shown.").format(
                    family=family, name=switch_word(missing[0])
                )
            )
        self.switch_note.setVisible(bool(missing))
        self.output_help.setVisible("charge_switch" in present or "discharge_switch" in present)
        # calibration
        self.voltage_button.setVisible("voltage" in kinds)
        self.current_button.setVisible("current" in kinds)
        metered = "voltage" in kinds or "current" in kinds
        self.calibration_body.setVisible(bool(kinds))
        self.calibration_help.setVisible(metered)
        self.zero_section.setVisible("current_zero" in kinds)
        self.calibration_note.setText(
            self.tr(
                "{family} has no calibration command that Packbench knows, so it cannot be "
                "calibrated from here."
            ).format(family=family)
        )
        self.calibration_note.setVisible(not kinds)
        # board presets and actions
        self._set_presets(list(board_presets))
        self.preset_help.setVisible(bool(board_presets))
        self.preset_note.setText(
            self.tr(
                "{family} has no one-click preset command that Packbench knows. Use a Packbench "
                "preset on the Parameters tab instead."
            ).format(family=family)
        )
        self.preset_note.setVisible(not board_presets)
        known = [a for a in BOARD_ACTIONS if a in actions]
        for action, button in self.action_buttons.items():
            button.setVisible(action in known)
        if not known:
            self.action_note.setText(
                self.tr(
                    "{family} has no restart, shutdown or factory-reset command that Packbench knows "
                    "(none is documented for it), so none is offered."
                ).format(family=family)
            )
        else:
            self.action_note.setText(
                self.tr(
                    "Each one asks first and says what happens to the "
                    "pack. A factory reset saves a backup first."
                )
            )
        self.action_note.setVisible(True)
        # capacity / SOC / identity
        has_capacity = "capacity_nominal_ah" in keys
        self.capacity_row.setVisible(has_capacity)
        self.capacity_note.setText(
            self.tr("{family} has no capacity setting that Packbench can write.").format(family=family)
        )
        self.capacity_note.setVisible(not has_capacity)
        has_remaining = isinstance(session, DeviceSession) and session.protocol.has_remaining_capacity
        has_soc = isinstance(session, DeviceSession) and session.protocol.has_soc
        self.remaining_row.setVisible(has_remaining)
        self.state_section.set_capabilities(
            has_soc, isinstance(session, DeviceSession) and session.protocol.has_clock
        )
        if has_remaining:
            self.soc_note.setText(
                self.tr(
                    "State of charge: tell the board how much charge the pack holds now; it works "
                    "the SOC out from that, the capacity and the current."
                )
            )
        elif has_soc:
            self.soc_note.setText(
                self.tr(
                    "State of charge: tell the board the SOC the pack has now; it counts on from "
                    "there with the current."
                )
            )
        else:
            self.soc_note.setText(
                self.tr(
                    "State of charge: no command to set it is known for {family}, so Packbench cannot "
                    "set it. The board works it out itself from the capacity and the current."
                ).format(family=family)
            )
        self.soc_note.setVisible(True)
        board_pw = isinstance(session, DeviceSession) and control.has_board_password(session)
        self.board_password_row.setVisible(board_pw)
        self.clear_password_button.setVisible(board_pw and session.protocol.board_password_clearable)
        if board_pw and session.protocol.password_check == "local":
            self.identity_note.setText(
                self.tr(
                    "{family} reports its setup password, and Packbench checks it before every write "
                    "(it is never stored in a file). Set a new one here: Packbench writes it and reads "
                    "it back. No command to change the device name is known."
                ).format(family=family)
            )
        elif board_pw and "device_name" in keys:
            self.identity_note.setText(
                self.tr(
                    "The device name is one of {family}'s settings: change it on the Parameters tab "
                    "(English letters, digits and dashes, at most 31). The board's password is "
                    "checked by the board itself: set or remove it here."
                ).format(family=family)
            )
        else:
            self.identity_note.setText(
                self.tr(
                    "No command to change the device name, the Bluetooth PIN or the setup password is "
                    "known for {family}, so Packbench cannot change them. Use the vendor's app; the JK "
                    "manual allows English letters and digits only in the name."
                ).format(family=family)
            )

    def _show_read_only(self, reason: str | None) -> None:
        """A read-only family: say why, in the family's words, and offer no action."""
        if reason:
            self.read_only_note.setText(
                self.tr(
                    "Nothing on this tab applies to this board: no switch, calibration, "
                    "preset, reset or capacity command is sent to it."
                )
                + " "
                + QCoreApplication.translate("ReadOnly", reason)
            )
        self.read_only_note.setVisible(bool(reason))
        self.columns.setVisible(not reason)
        # its checks read settings a read-only family does not have (cell count, trigger)
        self.sealing_box.setVisible(not reason)

    def _set_presets(self, actions: list[str]) -> None:
        if list(self.preset_buttons) == actions:
            return
        for button in self.preset_buttons.values():
            self.preset_row.removeWidget(button)
            button.deleteLater()
        self.preset_buttons = {}
        while self.preset_row.count():
            self.preset_row.takeAt(0)
        for action in actions:
            button = QPushButton(self.tr("{name} (board preset)…").format(name=board_preset_name(action)))
            button.clicked.connect(lambda _c=False, a=action: self.open_board_preset(a))
            self.preset_buttons[action] = button
            self.preset_row.addWidget(button)
        self.preset_row.addStretch(1)
        self._update_enabled()

    def _reveal(self, widget: QWidget) -> None:
        """Scroll so that a panel that just opened is in view (after the layout settles)."""
        self._settle()
        QTimer.singleShot(0, lambda: self.scroll.ensureWidgetVisible(widget, 20, 20))

    def _settle(self) -> None:
        """Lay the page out now rather than on the next event-loop pass: a panel that was
        just shown otherwise keeps the little height the column had spare until then (a
        click at once, as in a test, then misses its squeezed buttons)."""
        body = self.scroll.widget()
        body.layout().activate()
        need = body.minimumSizeHint().height()
        if body.height() < need:  # what the scroll area does on its next pass, done now
            body.resize(body.width(), need)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_enabled()

    def _update_enabled(self) -> None:
        live = self.live
        can = live and not self._busy
        values = self.bridge.settings.values if self.bridge.settings is not None else {}
        for key, button in self.switch_buttons.items():
            state = values.get(key)
            button.setText(self.tr("Switch on…") if state is False else self.tr("Switch off…"))
            button.setEnabled(can and state is not None and not self.switch_panel.isVisible())
        for button in list(self.action_buttons.values()) + list(self.preset_buttons.values()):
            button.setEnabled(can and not self.action_panel.isVisible())
        session = self.bridge.session
        has_emergency = isinstance(session, DeviceSession) and session.protocol.has_emergency()
        self.emergency_button.setEnabled(can and has_emergency and not self.emergency_panel.isVisible())
        self.voltage_button.setEnabled(can)
        self.current_button.setEnabled(can)
        changed = (
            self._capacity_board is not None and abs(self.capacity_spin.value() - self._capacity_board) > 1e-6
        )
        self.capacity_button.setEnabled(can and changed)
        self.capacity_spin.setEnabled(live and self._capacity_board is not None)
        for panel in (
            self.switch_panel,
            self.action_panel,
            self.identity_panel,
            self.emergency_panel,
            self.soc_panel,
        ):
            panel.set_live(live)
        self.state_section.update_enabled(can, live)
        self.zero_section.update_enabled(can, live)
        idle = can and not self.identity_panel.isVisible()
        self.set_password_button.setEnabled(idle and bool(self.new_password_edit.text().strip()))
        self.clear_password_button.setEnabled(idle)
        self.remaining_button.setEnabled(can and not self.soc_panel.isVisible())

    # --- showing ----------------------------------------------------------------------------------
    def show_settings(self, settings: Settings | None) -> None:
        values = settings.values if settings is not None else {}
        for key, badge in self.switch_badges.items():
            value = values.get(key)
            self._set(badge, key, None if value is None else bool(value))
        if self._left_off_banner and values.get("charge_switch") and values.get("discharge_switch"):
            self._left_off_banner = False  # switched back on since (here or elsewhere)
            self.banner.clear_result()
        cap = values.get("capacity_nominal_ah")
        if cap is not None and cap != self._capacity_board:
            self._capacity_board = float(cap)
            self.capacity_spin.blockSignals(True)
            self.capacity_spin.setValue(float(cap))
            self.capacity_spin.blockSignals(False)
        self.capacity_board_label.setText(
            self.tr("board: {value} Ah").format(value=f"{self._capacity_board:.1f}")
            if self._capacity_board is not None
            else ""
        )
        info = self.bridge.device_info
        self.name_label.setText(info.device_name if info is not None and info.device_name else "—")
        self._update_sealing()
        self._update_enabled()

    def show_snapshot(self, snap: Snapshot | None) -> None:
        # the remaining-capacity field starts at what the board says (never at 0 Ah)
        if not self._remaining_prefilled and snap is not None and snap.capacity_remaining_ah is not None:
            self._remaining_prefilled = True
            self.remaining_spin.setValue(snap.capacity_remaining_ah)
        self.state_section.show_snapshot(snap)
        # called for every snapshot: compare first, touch widgets only on change
        state = tuple(getattr(snap, k, None) for k in MOS_KEYS) if snap is not None else None
        if state != self._mos_shown:
            self._mos_shown = state
            for i, key in enumerate(MOS_KEYS):
                value = state[i] if state is not None else None
                badge = self.mos_badges[key]
                if key == "balancing_active":
                    if value is None:
                        badge.set_state(None)
                    elif value:
                        badge.set_word(self.tr("BALANCING"), AMBER)
                    else:
                        badge.set_word(self.tr("IDLE"), GREY)
                else:
                    self._set(badge, key, value)
        v = snap.pack_voltage_v if snap is not None else None
        a = snap.current_a if snap is not None else None
        vt = f"{v:.3f} V" if v is not None else "—"
        at = f"{a:+.2f} A" if a is not None else "—"
        if self.voltage_reading.text() != vt:
            self.voltage_reading.setText(vt)
        if self.current_reading.text() != at:
            self.current_reading.setText(at)
        self._show_emergency(snap)
        self._update_sealing()

    def _protocol(self) -> Protocol | None:
        """The protocol of the source shown (a source that is not a board may have none)."""
        return getattr(self.bridge.session, "protocol", None)

    def _emergency_remaining(self) -> int | None:
        snap = self.bridge.last_snapshot
        if snap is None or not self.live:
            return None
        return control.emergency_remaining(self._protocol(), snap)

    def _show_emergency(self, snap: Snapshot | None) -> None:
        """The live countdown (32S byte 218, jk.md §2.1): ON with the time left, or OFF."""
        left = control.emergency_remaining(self._protocol(), snap)
        if left == self._emergency_shown:
            return
        was_active = bool(self._emergency_shown) if isinstance(self._emergency_shown, int) else None
        self._emergency_shown = left
        self.emergency_badge.set_state(None if left is None else left > 0, on_colour=AMBER, off_colour=GREY)
        self.emergency_left.setText(self._time_left(left) if left else "")
        if was_active is None or was_active != bool(left):
            self.emergency_button.setText(
                self.tr("Stop emergency mode…") if left else self.tr("Start emergency mode…")
            )

    def _time_left(self, seconds: int) -> str:
        return self.tr("{minutes} min {seconds} s left").format(minutes=seconds // 60, seconds=seconds % 60)

    @staticmethod
    def _set(badge: Badge, key: str, value: bool | None) -> None:
        if key in NEUTRAL_KEYS:
            badge.set_state(value, on_colour=AMBER, off_colour=GREY)
        else:
            badge.set_state(value)

    def _update_sealing(self) -> None:
        snap = self.bridge.last_snapshot
        settings = self.bridge.settings
        checks = control.sealing_checks(snap, settings)
        rows = [
            (
                c.id,
                c.ok,
                QCoreApplication.translate("Control", c.title),
                self._check_detail(c, snap, settings),
            )
            for c in checks
        ]
        key = tuple(rows)
        if key == self._sealing_key:
            return
        self._sealing_key = key
        for cid, ok, title, detail in rows:
            row = self.check_rows.get(cid)
            if row is not None:
                row.set(ok, title, detail)
        failed = sum(1 for r in rows if r[1] is False)
        unknown = sum(1 for r in rows if r[1] is None)
        if snap is None:
            text, colour = self.tr("Waiting for live data"), GREY
        elif failed:
            text, colour = self.tr("Not ready to seal: %n check(s) failed", "", failed), RED
        elif unknown:
            text, colour = self.tr("Cannot tell: %n check(s) unknown", "", unknown), GREY
        else:
            text, colour = self.tr("Ready to seal: all four checks pass"), GREEN
        self.sealing_summary.setText(text)
        self.sealing_summary.setStyleSheet(f"color: {colour};")

    def _check_detail(self, check: control.Check, snap: Snapshot | None, settings: Settings | None) -> str:
        """The check's detail in the user's language (the service's text is English)."""
        values = settings.values if settings is not None else {}
        if check.ok is None:
            if snap is None:
                return self.tr("no live data yet")
            if check.id == "fets":
                return self.tr("the board does not report its MOSFETs")
            return self.tr("the board has not reported this")
        if check.id == "fets":
            off = [
                w
                for w, on in (
                    (self.tr("charge MOSFET"), snap.charge_mos_on),
                    (self.tr("discharge MOSFET"), snap.discharge_mos_on),
                )
                if not on
            ]
            return self.tr("OFF: {which}").format(which=", ".join(off)) if off else self.tr("both ON")
        if check.id == "alarms":
            return ", ".join(alarm_text(a) for a in snap.alarms) if snap.alarms else self.tr("none")
        if check.id == "cells":
            text = self.tr("configured {configured}, measured {measured}").format(
                configured=values.get("cell_count"), measured=snap.cell_count
            )
            zero = [str(i + 1) for i, v in enumerate(snap.cell_voltages_v) if v < 0.5]
            if zero:
                text += "; " + self.tr("reading 0 V: cell {cells}").format(cells=", ".join(zero))
            return text
        if check.id == "delta":
            trigger = values.get("balance_trigger_delta_v")
            return self.tr("{delta} mV now, balance trigger {trigger} mV").format(
                delta=f"{snap.cell_delta_v * 1000:.0f}", trigger=f"{trigger * 1000:.0f}"
            )
        return check.detail

    # --- the guard every action goes through ----------------------------------------------------------
    async def _guarded(
        self, panel: ConfirmPanel, busy_text: str, work: Callable[[Any, str], Awaitable[Any]]
    ) -> tuple[bool, Any]:
        """Run ``work(session, password)``; on a refusal before anything was sent, say so
        in the panel and keep it open.  Returns (ran, result)."""
        session = self.bridge.session
        if session is None:
            return False, None
        password = panel.password_row.password()
        panel.set_busy(True, busy_text)
        self._set_busy(True)
        try:
            result = await work(session, password)
        except writer.PasswordError as exc:
            panel.show_error(password_problem(exc, session, self.gate, panel.password_row.device, password))
            return False, None
        except writer.WriteError as exc:
            panel.show_error(self.tr("Nothing was sent: {reason}").format(reason=sentence(str(exc))))
            return False, None
        except (SessionError, OSError, TimeoutError) as exc:
            panel.show_error(
                self.tr(
                    "The link failed: {reason}. The board may or may not have "
                    "done it: check its state before trying again."
                ).format(reason=sentence(str(exc)) or self.tr("no answer"))
            )
            return False, None
        finally:
            panel.set_busy(False)
            self._set_busy(False)
        problem = panel.password_row.accepted()
        panel.close_panel()
        if problem:
            self.banner.warn(problem)
        self._update_enabled()
        return True, result

    # --- switches ------------------------------------------------------------------------------------
    def ask_switch(self, key: str) -> None:
        session = self.bridge.session
        settings = self.bridge.settings
        if session is None or settings is None or settings.values.get(key) is None or self._busy:
            return
        on = not bool(settings.values[key])
        self.action_panel.cancel()
        self.emergency_panel.cancel()
        consequence = QCoreApplication.translate("Control", control.CONSEQUENCES[(key, on)])
        title = (self.tr("Switch {name} ON?") if on else self.tr("Switch {name} OFF?")).format(
            name=switch_word(key)
        )
        confirm = (self.tr("Switch {name} on") if on else self.tr("Switch {name} off")).format(
            name=switch_word(key)
        )
        danger = not on and key in ("charge_switch", "discharge_switch")
        self.switch_result.clear_result()
        self.switch_panel.ask(
            session,
            action=key,
            value=on,
            title=title,
            text=consequence,
            confirm=confirm,
            danger=danger,
            note=self.tr(
                "Packbench checks the password, saves a backup of the "
                "settings, writes the switch and reads it back."
            ),
        )
        self._update_enabled()
        self._reveal(self.switch_panel)

    def _on_switch_confirmed(self) -> None:
        key, on = self.switch_panel.action, self.switch_panel.value
        if not key or self._busy:
            return
        self.bridge.spawn(self._run_switch(key, bool(on)))

    async def _run_switch(self, key: str, on: bool) -> None:
        async def work(session, password):
            return await control.set_switch(
                session, key, on, password=password, gate=self.gate, backup_dir=self.backup_dir
            )

        ran, report = await self._guarded(self.switch_panel, self.tr("Writing and reading back …"), work)
        if ran:
            self.show_switch_report(key, on, report)

    def show_switch_report(self, key: str, on: bool, report: writer.Report) -> None:
        self.last_switch_report = report
        name = switch_name(key)
        r = next((r for r in report.results if r.key == key), None)
        session = self.bridge.session
        default_pw = session.has_default_password if session is not None else None
        if r is None:
            self.switch_result.bad(self.tr("{name}: the board's report is missing.").format(name=name))
            return
        if r.status == writer.VERIFIED:
            text = self.tr("Verified: {name} is now {state} (read back from the board).").format(
                name=switch_word(key), state=on_off(on)
            )
            self.switch_result.ok(text)
        elif r.status == writer.UNCHANGED:
            self.switch_result.ok(
                self.tr("{name} was already {state}: nothing was written.").format(
                    name=name, state=on_off(on)
                )
            )
        elif r.status == writer.REFUSED:
            self.switch_result.bad(
                self.tr("Refused by the board: {name} is still {state}.").format(
                    name=switch_word(key), state=on_off(not on)
                )
                + " "
                + result_detail(r, None, default_pw)
            )
        elif r.status == writer.UNVERIFIED:
            self.switch_result.warn(
                self.tr("{name} is now {state}, but the board sent no acknowledgement.").format(
                    name=name, state=on_off(on)
                )
            )
        else:
            self.switch_result.bad(
                self.tr("{name}: {status}.").format(name=name, status=status_words(r.status))
                + " "
                + result_detail(r, None, default_pw)
            )
        if report.backup and r.status not in writer.OK_STATUSES:
            self.switch_result.setText(
                self.switch_result.text()
                + "\n"
                + self.tr("Backup of the settings before: {path}").format(path=report.backup)
            )

    # --- emergency mode ------------------------------------------------------------------------------
    def ask_emergency(self) -> None:
        session = self.bridge.session
        if not isinstance(session, DeviceSession) or not session.protocol.has_emergency() or self._busy:
            return
        on = not self._emergency_remaining()
        self.switch_panel.cancel()
        self.action_panel.cancel()
        settings = self.bridge.settings
        minutes = control.emergency_minutes(session.protocol, settings)
        text = QCoreApplication.translate("Control", control.EMERGENCY_CONSEQUENCES[on]).format(
            minutes="?" if minutes is None else minutes
        )
        self.emergency_result.clear_result()
        self.emergency_panel.ask(
            session,
            action="emergency",
            value=on,
            title=self.tr("Start emergency mode?") if on else self.tr("Stop emergency mode?"),
            text=text,
            confirm=self.tr("Start emergency mode") if on else self.tr("Stop emergency mode"),
            danger=on,
            note=self.tr(
                "Packbench checks the password, sends the command and reads the "
                "board's emergency countdown back."
            ),
        )
        self._update_enabled()
        self._reveal(self.emergency_panel)

    def _on_emergency_confirmed(self) -> None:
        on = self.emergency_panel.value
        if self.emergency_panel.action != "emergency" or self._busy:
            return
        self.bridge.spawn(self._run_emergency(bool(on)))

    async def _run_emergency(self, on: bool) -> None:
        async def work(session, password):
            return await control.set_emergency(session, on, password=password, gate=self.gate)

        ran, res = await self._guarded(self.emergency_panel, self.tr("Sending and reading back …"), work)
        if ran:
            self.show_emergency_result(res)

    def show_emergency_result(self, res: control.EmergencyResult) -> None:
        self.last_emergency_result = res
        left = res.remaining_s or 0
        state = self.tr("ON, {left}").format(left=self._time_left(left)) if left else on_off(False)
        if res.status == writer.VERIFIED:
            self.emergency_result.ok(
                self.tr("Verified: emergency mode is {state} (read back from the board).").format(state=state)
            )
        elif res.status == writer.REFUSED:
            self.emergency_result.bad(
                self.tr("Refused by the board: emergency mode is still {state}.").format(state=state)
            )
        elif res.status == writer.NOT_STORED:
            self.emergency_result.bad(
                self.tr("The board acknowledged, but emergency mode is still {state}.").format(state=state)
            )
        else:
            self.emergency_result.warn(
                self.tr(
                    "Sent, but the board's countdown does not confirm it: emergency mode reads {state}."
                ).format(state=state)
            )

    # --- board actions -------------------------------------------------------------------------------
    def ask_action(self, action: str) -> None:
        session = self.bridge.session
        if session is None or self._busy:
            return
        self.switch_panel.cancel()
        self.emergency_panel.cancel()
        text = QCoreApplication.translate("Control", control.ACTION_CONSEQUENCES[action])
        reset = action == "factory_reset"
        if reset:
            folder = settings_files.backup_dir() / PasswordMemory.device(session)
            note = self.tr(
                "Packbench checks the password, saves all the board's settings to a "
                "backup in {folder}, sends the reset and shows the settings the board "
                "has afterwards."
            ).format(folder=folder)
        elif action == "shutdown":
            note = self.tr("The connection drops when the board switches off.")
        else:
            note = self.tr(
                "Packbench checks the password, sends the command and reads the settings "
                "back once the board answers again."
            )
        titles = {
            "restart": self.tr("Restart the board?"),
            "shutdown": self.tr("Shut the board down?"),
            "factory_reset": self.tr("Reset the board to its factory settings?"),
        }
        self.action_result.clear_result()
        self.action_panel.ask(
            session,
            action=action,
            title=titles[action],
            text=text,
            confirm=action_name(action),
            danger=action != "restart",
            note=note,
            typed_word=RESET_WORD if reset else "",
        )
        self._update_enabled()
        self._reveal(self.action_panel)

    def _on_action_confirmed(self) -> None:
        action = self.action_panel.action
        if not action or self._busy:
            return
        self.bridge.spawn(self._run_action(action))

    async def _run_action(self, action: str) -> None:
        async def work(session, password):
            return await control.board_action(
                session, action, password=password, gate=self.gate, backup_dir=self.backup_dir
            )

        busy = (
            self.tr("Saving a backup, sending the reset, waiting for the board …")
            if action == "factory_reset"
            else self.tr("Sending, waiting for the board …")
        )
        ran, result = await self._guarded(self.action_panel, busy, work)
        if ran:
            self.show_action_result(result)

    def show_action_result(self, res: control.ActionResult) -> None:
        self.last_action_result = res
        name = action_name(res.action)
        if res.silent_board and res.action == "shutdown":
            self.action_result.warn(
                self.tr(
                    "Sent. This board answers commands with nothing, so "
                    "Packbench cannot tell whether it switched off."
                )
            )
        elif not res.ok and not res.silent_board:
            self.action_result.bad(
                self.tr("Refused: the board did not acknowledge “{name}”. Nothing happened.").format(
                    name=name
                )
            )
        elif res.action == "shutdown":
            self.action_result.ok(
                self.tr(
                    "The board acknowledged and is switching off. It wakes "
                    "when a charger is connected or its button is pressed."
                )
            )
        elif res.settings_after is None:
            self.action_result.warn(
                self.tr(
                    "The board acknowledged “{name}” but has not answered "
                    "since. Reconnect and check its settings."
                ).format(name=name)
                if res.acknowledged
                else self.tr(
                    "“{name}” was sent, but the board (which acknowledges "
                    "nothing) has not answered since. Reconnect and check "
                    "its settings."
                ).format(name=name)
            )
        elif res.action == "factory_reset":
            self.action_result.ok(
                self.tr(
                    "Done: the board reset itself and answers again. Its "
                    "settings now are shown below: check every protection "
                    "value before using the pack."
                )
            )
        elif res.acknowledged:
            self.action_result.ok(
                self.tr("Done: the board acknowledged “{name}” and answers again.").format(name=name)
            )
        else:
            self.action_result.ok(
                self.tr(
                    "Done: “{name}” was sent and the board answers again (it acknowledges nothing)."
                ).format(name=name)
            )
        self.backup_label.setText(
            self.tr("Backup saved to {path}").format(path=res.backup) if res.backup else ""
        )
        self.backup_label.setVisible(res.backup is not None)
        show_table = res.action == "factory_reset" and res.settings_after is not None
        self.after_title.setVisible(show_table)
        self.after_table.setVisible(show_table)
        if show_table:
            self._fill_after(res)

    def _fill_after(self, res: control.ActionResult) -> None:
        before: dict[str, Any] = {}
        if res.backup is not None:
            try:
                before = dict(settings_files.load(res.backup).get("settings", {}))
            except (OSError, ValueError):
                before = {}
        session = self.bridge.session
        schema = session.protocol.settings_schema() if session is not None else ()
        specs = {s.key: s for s in schema}
        after = res.settings_after or {}
        keys = [s.key for s in schema if s.key in after] + [k for k in after if k not in specs]
        keys = [k for k in keys if not is_secret(k)]

        def differs_(key: str) -> bool:
            return bool(before) and not settings_files.same(specs.get(key), before.get(key), after.get(key))

        keys.sort(key=lambda k: not differs_(k))  # what the reset changed first
        changed = 0
        t = self.after_table
        t.setRowCount(len(keys))
        for row, key in enumerate(keys):
            spec = specs.get(key)
            old, new = before.get(key), after.get(key)
            differs = differs_(key)
            changed += differs
            t.setItem(row, 0, table_item(setting_label(spec, key), bold=differs))
            t.setItem(row, 1, table_item(value_text(spec, old) if before else "—", colour=GREY))
            t.setItem(
                row, 2, table_item(value_text(spec, new), bold=differs, colour=AMBER if differs else None)
            )
        t.resizeRowsToContents()
        self.after_title.setText(
            self.tr("Settings the board reports after the reset: %n changed (bold)", "", changed)
        )

    # --- board presets (the colleague's dialog, reused) -------------------------------------------
    def open_board_preset(self, action: str) -> BoardPresetDialog | None:
        if not self.live or self._busy:
            return None
        dialog = BoardPresetDialog(self.bridge, action, gate=self.gate, memory=self.passwords, parent=self)
        self._show_dialog(dialog)
        return dialog

    def _show_dialog(self, dialog) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.finished.connect(lambda _r, d=dialog: self._after_dialog(d))
        dialog.open()  # window-modal, returns at once (never exec(), stack.md P2)

    def _after_dialog(self, dialog) -> None:
        if isinstance(dialog, BoardPresetDialog):
            text, ok = dialog.outcome_text()
            (self.preset_result.ok if ok else self.preset_result.bad)(text)
        elif isinstance(dialog, WriteDialog):
            self._show_capacity_outcome(dialog)
        elif isinstance(dialog, CalibrationWizard):
            self._show_calibration_outcome(dialog)
        self._update_enabled()

    # --- calibration --------------------------------------------------------------------------------
    def open_wizard(self, kind: str) -> CalibrationWizard | None:
        if not self.live or self._busy:
            return None
        self.switch_panel.cancel()
        self.action_panel.cancel()
        wizard = CalibrationWizard(
            self.bridge, kind, gate=self.gate, memory=self.passwords, backup_dir=self.backup_dir, parent=self
        )
        self._show_dialog(wizard)
        return wizard

    def _show_calibration_outcome(self, wizard: CalibrationWizard) -> None:
        cal = wizard.result
        what = self.tr("Voltage") if wizard.kind == "voltage" else self.tr("Current")
        if cal is None:
            self.calibration_result.info(
                self.tr("{what} calibration cancelled: no meter value was sent.").format(what=what)
            )
        elif cal.ok:
            self.calibration_result.ok(
                self.tr("{what} calibrated: the board read {before}, now {after}.").format(
                    what=what,
                    before=_reading(wizard.kind, cal.before),
                    after=_reading(wizard.kind, cal.after),
                )
            )
        else:
            self.calibration_result.bad(
                self.tr("{what} calibration failed: the board still reads {after}.").format(
                    what=what, after=_reading(wizard.kind, cal.after if cal.after is not None else cal.before)
                )
            )
        if wizard.left_off:
            self._left_off_banner = True
            self.banner.bad(
                self.tr(
                    "The calibration left charging and discharging OFF: the pack "
                    "delivers no power and cannot be charged. Switch them back on "
                    "below."
                )
            )
        elif self._left_off_banner:
            self._left_off_banner = False
            self.banner.clear_result()

    # --- capacity ------------------------------------------------------------------------------------
    def _on_capacity(self) -> None:
        if self._busy or not self.live:
            return
        self.bridge.spawn(self.review_capacity())

    async def review_capacity(self) -> WriteDialog | None:
        """A one-key write transaction through the Parameters tab's review dialog."""
        session = self.bridge.session
        if session is None:
            return None
        value = round(self.capacity_spin.value(), 3)
        self.capacity_result.clear_result()
        self._set_busy(True)
        try:
            plan = await writer.prepare(session, {"capacity_nominal_ah": value})
        except (writer.WriteError, SessionError) as exc:
            self.capacity_result.bad(
                self.tr("Cannot prepare the write: {reason}").format(reason=sentence(str(exc)))
            )
            return None
        finally:
            self._set_busy(False)
        dialog = WriteDialog(
            self.bridge,
            plan,
            chemistry=None,
            gate=self.gate,
            memory=self.passwords,
            source=self.tr("the Control tab's capacity field"),
            parent=self,
        )
        self._show_dialog(dialog)
        return dialog

    def _show_capacity_outcome(self, dialog: WriteDialog) -> None:
        report = dialog.restore_report or dialog.report
        if report is None:
            self.capacity_result.info(self.tr("Capacity: nothing was written."))
            return
        r = next((r for r in report.results if r.key == "capacity_nominal_ah"), None)
        spec = next((s for s in dialog.plan.schema if s.key == "capacity_nominal_ah"), None)
        if dialog.restore_report is not None:
            text, ok = dialog.outcome_text()
            (self.capacity_result.ok if ok else self.capacity_result.bad)(text)
        elif r is None:
            self.capacity_result.bad(self.tr("Capacity: the board's report is missing."))
        elif r.status == writer.VERIFIED:
            self.capacity_result.ok(
                self.tr("Verified: the capacity is now {value} (read back from the board).").format(
                    value=value_text(spec, r.readback)
                )
            )
        elif r.status == writer.UNCHANGED:
            self.capacity_result.ok(
                self.tr("The board already had {value}: nothing was written.").format(
                    value=value_text(spec, r.readback)
                )
            )
        else:
            session = self.bridge.session
            self.capacity_result.bad(
                self.tr("Capacity: {status}.").format(status=status_words(r.status))
                + " "
                + result_detail(r, spec, session.has_default_password if session is not None else None)
            )


def _ah_spin(lo: float, hi: float) -> QDoubleSpinBox:
    """A capacity field: Ah, one decimal, right-aligned."""
    spin = QDoubleSpinBox()
    spin.setDecimals(1)
    spin.setRange(lo, hi)
    spin.setSingleStep(1.0)
    spin.setSuffix(" Ah")
    spin.setMinimumWidth(120)
    spin.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return spin


def _reading(kind: str, value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f} V" if kind == "voltage" else f"{value:+.2f} A"
