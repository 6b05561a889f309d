"""The Control tab: it places the sections and passes the bridge's news on to them.

Each section (base.py) asks, confirms, runs and shows its own actions and decides
from one Capabilities (caps.py) what it shows.  The page holds what they share: the
password gate and memory, the one dialog open at a time, the busy flag, the banner,
and the scrolling.  Two columns where the tab is wide; one below TWO_COLUMNS_FROM
pixels (a 1024-pixel laptop), so nothing is cut and the page scrolls vertically.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from ...model import Settings, Snapshot
from ...services import control, writer
from ...services.keychain import PasswordMemory
from ..bridge import SessionBridge
from ..control_widgets import ConfirmPanel, ResultLine
from ..theme import INFO_STYLE, wrap
from .actions import ActionsSection
from .base import Section
from .calibration import CalibrationSection
from .capacity import CapacitySection
from .caps import REPLAY, Capabilities, capabilities_of
from .commission import CommissionSection
from .emergency import EmergencySection
from .identity import IdentitySection
from .presets import PresetsSection
from .sealing import SealingSection
from .switches import SwitchesSection

#: the tab's width from which the sections sit in two columns (a 1280-pixel window: two;
#: a 1024-pixel laptop: one)
TWO_COLUMNS_FROM = 1150


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
        self.dialog = None  # the one dialog open from this tab (wizard, preset, review)
        self._busy = False
        self._caps: Capabilities | None = None
        self.two_columns: bool | None = None
        self.last_action_result: control.ActionResult | None = None
        self.last_switch_report: writer.Report | None = None
        self.last_emergency_result: control.EmergencyResult | None = None
        self._build()
        self._name_parts()
        bridge.settingsReceived.connect(self.show_settings)
        bridge.snapshotReceived.connect(self.show_snapshot)
        bridge.sessionChanged.connect(self._on_session_changed)
        bridge.deviceInfoReceived.connect(self._on_device_info)
        bridge.stateChanged.connect(self._on_state)
        self._apply_capabilities()
        self.show_settings(bridge.settings)
        self.show_snapshot(bridge.last_snapshot)

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        outer.addWidget(self.scroll)
        body = QWidget()
        self.scroll.setWidget(body)
        root = QVBoxLayout(body)
        root.setContentsMargins(12, 12, 12, 12)
        root.setSpacing(12)
        self.offline_note = wrap(style=INFO_STYLE)
        root.addWidget(self.offline_note)
        self.sealing = SealingSection(self)
        root.addWidget(self.sealing)
        self.commission = CommissionSection(self)
        root.addWidget(self.commission)
        self.banner = ResultLine()
        root.addWidget(self.banner)
        # a read-only family (Protocol.read_only_reason): the reason, and nothing to press
        self.read_only_note = wrap(style=INFO_STYLE)
        self.read_only_note.setVisible(False)
        root.addWidget(self.read_only_note)
        self.switches = SwitchesSection(self)
        self.capacity = CapacitySection(self)
        self.identity = IdentitySection(self)
        self.emergency = EmergencySection(self)
        self.calibration = CalibrationSection(self)
        self.presets = PresetsSection(self)
        self.actions = ActionsSection(self)
        self.left_sections = [self.switches, self.capacity, self.identity, self.emergency]
        self.right_sections = [self.calibration, self.presets, self.actions]
        # two layouts side by side, not widgets: a panel that opens grows the page at once
        self.columns = QWidget()
        self.column_row = QHBoxLayout(self.columns)
        self.column_row.setContentsMargins(0, 0, 0, 0)
        self.left, self.right = QVBoxLayout(), QVBoxLayout()
        for lay in (self.left, self.right):
            lay.setSpacing(12)
            self.column_row.addLayout(lay, 1)
        root.addWidget(self.columns)
        root.addStretch(1)
        self.sections: list[Section] = []
        for section in [self.sealing, self.commission, *self.left_sections, *self.right_sections]:
            self.sections += [section, *section.subsections]
        self._reflow()

    def _name_parts(self) -> None:
        """The page's names for its sections' parts, as the tests and the window know them."""
        sw, cap, ident, emg, cal, pre, act = (
            *(self.switches, self.capacity, self.identity, self.emergency),
            *(self.calibration, self.presets, self.actions),
        )
        self.sealing_box, self.check_rows, self.sealing_summary = (
            self.sealing,
            self.sealing.rows,
            self.sealing.summary,
        )
        self.switch_badges, self.mos_badges, self.switch_buttons = sw.badges, sw.mos_badges, sw.buttons
        self.switch_panel, self.switch_result, self.switch_note = sw.panel, sw.result, sw.note
        self.capacity_row, self.capacity_spin, self.capacity_button = (
            cap.capacity_row,
            cap.capacity_spin,
            cap.capacity_button,
        )
        self.capacity_note, self.soc_note, self.capacity_result = cap.capacity_note, cap.soc_note, cap.result
        self.remaining_row, self.remaining_spin, self.remaining_button = (
            cap.remaining_row,
            cap.remaining_spin,
            cap.remaining_button,
        )
        self.soc_panel, self.state_section = cap.panel, cap.state_section
        self.identity_note, self.identity_panel, self.identity_result = ident.note, ident.panel, ident.result
        self.board_password_row, self.new_password_edit = ident.password_row, ident.new_password_edit
        self.set_password_button, self.clear_password_button = ident.set_button, ident.clear_button
        self.emergency_row, self.emergency_badge, self.emergency_left = emg.row, emg.badge, emg.left
        self.emergency_button, self.emergency_note = emg.button, emg.note
        self.emergency_panel, self.emergency_result = emg.panel, emg.result
        self.voltage_button, self.current_button = cal.buttons["voltage"], cal.buttons["current"]
        self.calibration_note, self.calibration_result, self.calibration_help = cal.note, cal.result, cal.help
        self.zero_section, self.open_wizard = cal.zero_section, cal.open_wizard
        self.preset_buttons, self.preset_note, self.preset_result = pre.buttons, pre.note, pre.result
        self.open_board_preset = pre.open_board_preset
        self.action_buttons, self.action_note, self.action_panel = act.buttons, act.note, act.panel
        self.action_result, self.backup_label = act.result, act.backup_label
        self.after_title, self.after_table = act.after_title, act.after_table

    # --- one column or two ---------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._reflow()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self._reflow()

    def _reflow(self) -> None:
        """Two columns where the tab is wide enough, else one, in the same order."""
        two = self.width() >= TWO_COLUMNS_FROM
        if two == self.two_columns:
            return
        self.two_columns = two
        for lay in (self.left, self.right):
            for section in (*self.left_sections, *self.right_sections):
                # removeWidget deletes the section's layout item: one taken and kept alive
                # would leave the new item's size cache stale (a panel that opens would not
                # grow its section)
                lay.removeWidget(section)
            while lay.count():
                lay.takeAt(0)  # the stretch
        for section in self.left_sections:
            self.left.addWidget(section)
        for section in self.right_sections:
            (self.right if two else self.left).addWidget(section)
        self.left.addStretch(1)
        self.right.addStretch(1)
        # one column: the right one, empty, takes no width
        self.column_row.setStretch(1, 1 if two else 0)
        self.column_row.setSpacing(12 if two else 0)

    # --- what the sections share ------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def live(self) -> bool:
        """A board that takes commands is connected and live (a log replay is not)."""
        session = self.bridge.session
        return session is not None and session.can_write and self.bridge.state == "live"

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.update_enabled()

    def update_enabled(self) -> None:
        live = self.live
        can = live and not self._busy
        for section in self.sections:
            section.update_enabled(can, live)

    def close_panels(self, but: ConfirmPanel | None = None) -> None:
        """One confirmation at a time: the others close (a running one stays)."""
        for section in self.sections:
            if section.panel is not None and section.panel is not but:
                section.panel.cancel()

    def panel_opened(self, panel: QWidget) -> None:
        self.update_enabled()
        self._reveal(panel)

    def show_dialog(self, dialog, on_finished: Callable) -> None:
        """Open a dialog window-modal (``open()``, never ``exec()``, stack.md P2); when it
        closes, ``on_finished(dialog)`` shows its outcome."""
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.finished.connect(lambda _r, d=dialog: self._after_dialog(d, on_finished))
        dialog.open()

    def _after_dialog(self, dialog, on_finished: Callable) -> None:
        on_finished(dialog)
        self.update_enabled()

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

    # --- the bridge's news ---------------------------------------------------------------------------
    def _apply_capabilities(self) -> None:
        """Show what this board can do; hide, and say, what it cannot (each section decides)."""
        caps = capabilities_of(self.bridge.session)
        if caps == self._caps:
            return
        self._caps = caps
        self.offline_note.setVisible(not caps.board)
        if caps.source == REPLAY:
            self.offline_note.setText(
                self.tr(
                    "Replaying a log: there is no board to send anything "
                    "to. The checks below show the log's readings."
                )
            )
        else:
            self.offline_note.setText(
                self.tr(
                    "Not connected: connect to a board on the Connection "
                    "tab. Every action here is confirmed, needs the setup "
                    "password and is read back."
                )
            )
        reason = caps.read_only_reason
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
        for section in self.sections:
            section.apply(caps)
        self.update_enabled()

    def _on_device_info(self, _info: object) -> None:
        self._apply_capabilities()
        self.show_settings(self.bridge.settings)

    def _on_state(self, _state: str, _detail: str) -> None:
        self._apply_capabilities()
        self.update_enabled()

    def _on_session_changed(self, session: object) -> None:
        for section in self.sections:
            section.reset()  # results belong to the board they came from
        if session is not None:
            self.banner.clear_result()
        self._apply_capabilities()
        self.show_settings(None)
        self.show_snapshot(None)

    def show_settings(self, settings: Settings | None) -> None:
        for section in self.sections:
            section.show_settings(settings)
        self.update_enabled()

    def show_snapshot(self, snap: Snapshot | None) -> None:
        for section in self.sections:
            section.show_snapshot(snap)
