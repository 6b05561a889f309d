"""The calibration wizard: voltage and current against a meter.

Voltage follows the manual's procedure (JK manual §5.3.3 g): switch charging
and discharging off, measure the pack at its terminals with a meter, enter
the value, switch them back on.  The wizard does the switching through the
same guarded one-key write as the Switches section, shows the board's reading
live beside the entry, and reminds — loudly — if they are left off.
Current (§5.3.3 h): with a steady current flowing, enter what a clamp meter
reads (+ charging, − discharging).

A QDialog with a QStackedWidget of steps (wizard_steps.py), opened with ``open()``
(never ``exec()``, shared/stack.md P2); every step starts from a button.
"""

from __future__ import annotations

from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...model import Snapshot
from ...services import control, writer
from ...services.keychain import PasswordMemory
from ...session import SessionError
from ...timing import current as current_timing
from .. import dialog_size
from ..bridge import SessionBridge
from ..control_widgets import PasswordRow, ResultLine, grey
from ..password import password_problem
from ..theme import DANGER_STYLE, GREEN, GREY, PRIMARY_STYLE, RED
from ..widgets import sentence
from ..write_report import device_line, status_words
from .wizard_steps import MeasureStep, OffStep, OnStep, ResultStep, reading_text
from .words import on_off

PAIR = ("charge_switch", "discharge_switch")


def switch_pair_text(report: writer.Report | None, on: bool) -> tuple[bool, str]:
    """(ok, words) for one switch of the pair after a write."""
    result = report.results[0] if report is not None and report.results else None
    if result is None:
        return False, ""
    if result.status in writer.OK_STATUSES:
        return True, on_off(on)
    return False, status_words(result.status)


class CalibrationWizard(QDialog):
    """Voltage: off → measure → result → back on.  Current: measure → result."""

    #: something was sent to the board (a switch or a calibration)
    wrote = Signal()

    def __init__(
        self,
        bridge: SessionBridge,
        kind: str,
        *,
        gate: writer.PasswordGate,
        memory: PasswordMemory,
        backup_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        assert bridge.session is not None and bridge.session.can_write
        assert kind in ("voltage", "current")
        self.bridge = bridge
        self.session: Any = bridge.session
        self.kind = kind
        self.gate = gate
        self.backup_dir = backup_dir
        self.result: control.Calibration | None = None
        self.switched_off = False  # the wizard switched charging or discharging off
        self.both_off = False  # … and both read back OFF: measuring may start
        self.switched_on = False
        self._busy = False
        self._lost = False
        self._warned = False
        self._reading: float | None = None
        self._fit_screen(parent)
        self.setSizeGripEnabled(True)
        root = QVBoxLayout(self)
        root.setSpacing(10)
        self._build_head(root, memory)
        self.stack = QStackedWidget()
        root.addWidget(self.stack, 1)
        self._build_foot(root)
        voltage = kind == "voltage"
        self.page_off = OffStep(lambda: self._start(self._switch_pair(False))) if voltage else None
        self.page_measure = MeasureStep(kind, self._update_hint, lambda: self._start(self._calibrate()))
        self.page_result = ResultStep(lambda: self._go(self.page_measure))
        self.page_on = OnStep(lambda: self._start(self._switch_pair(True))) if voltage else None
        for step in (self.page_off, self.page_measure, self.page_result, self.page_on):
            if step is not None:
                self.stack.addWidget(step)
        self._timer = QTimer(self)
        self._timer.setInterval(current_timing().recheck_ms)
        self._timer.timeout.connect(self._update_enabled)
        self._timer.start()
        bridge.snapshotReceived.connect(self._on_snapshot)
        bridge.sessionChanged.connect(self._on_session_changed)
        bridge.stateChanged.connect(self._on_state)  # a bound method: gone with the wizard
        self._on_snapshot(bridge.last_snapshot)
        self._go(self.page_off if self.page_off is not None else self.page_measure)

    def _fit_screen(self, parent: QWidget | None) -> None:
        """760×600, or less on a small screen (a 1024×640 laptop keeps its title bar)."""
        free = dialog_size.available_geometry(parent if parent is not None else self)
        self.resize(min(760, free.width() - 40), min(600, free.height() - 60))

    def _build_head(self, root: QVBoxLayout, memory: PasswordMemory) -> None:
        if self.kind == "voltage":
            self.setWindowTitle(self.tr("Voltage calibration — Packbench"))
            self.steps = [
                self.tr("Switch off"),
                self.tr("Measure"),
                self.tr("Result"),
                self.tr("Switch back on"),
            ]
        else:
            self.setWindowTitle(self.tr("Current calibration — Packbench"))
            self.steps = [self.tr("Measure"), self.tr("Result")]
        root.addWidget(grey(device_line(self.session)))
        self.crumbs = QLabel()
        self.crumbs.setTextFormat(Qt.TextFormat.RichText)
        root.addWidget(self.crumbs)
        self.title = QLabel()
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        self.title.setFont(f)
        self.title.setWordWrap(True)
        root.addWidget(self.title)
        self.password_row = PasswordRow(memory)
        self.password_row.prefill(self.session)
        self.password_row.changed.connect(self._update_enabled)
        root.addWidget(self.password_row)

    def _build_foot(self, root: QVBoxLayout) -> None:
        self.busy_row = QWidget()
        brow = QHBoxLayout(self.busy_row)
        brow.setContentsMargins(0, 0, 0, 0)
        self.busy_label = QLabel()
        brow.addWidget(self.busy_label)
        bar = QProgressBar()
        bar.setRange(0, 0)
        bar.setTextVisible(False)
        bar.setMaximumHeight(12)
        brow.addWidget(bar, 1)
        self.busy_row.setVisible(False)
        root.addWidget(self.busy_row)
        self.error = ResultLine()
        root.addWidget(self.error)
        buttons = QHBoxLayout()
        self.close_button = QPushButton(self.tr("Cancel"))
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        self.next_button = QPushButton()
        self.next_button.setStyleSheet(PRIMARY_STYLE)
        self.next_button.clicked.connect(self._on_next)
        buttons.addWidget(self.next_button)
        root.addLayout(buttons)

    # --- navigation ---------------------------------------------------------------------------
    def current_step(self) -> int:
        return self.stack.currentIndex()

    def _go(self, page: QWidget | None) -> None:
        if page is None:
            return
        self.stack.setCurrentWidget(page)
        self.error.clear_result()
        i = self.stack.currentIndex()
        parts = []
        for n, name in enumerate(self.steps):
            text = self.tr("{n}. {name}").format(n=n + 1, name=name)
            if n == i:
                parts.append(f"<b style='color:#0b62a4'>{text}</b>")
            else:
                parts.append(f"<span style='color:{GREEN if n < i else GREY}'>{text}</span>")
        self.crumbs.setText("  ›  ".join(parts))
        self.title.setText(self._title(page))
        if page is self.page_measure:
            self._update_hint()
            self.page_measure.meter.setFocus()
        self._update_enabled()

    def _title(self, page: QWidget) -> str:
        voltage = self.kind == "voltage"
        if page is self.page_off:
            return self.tr("Step 1 of 4: switch charging and discharging off")
        if page is self.page_measure:
            return (
                self.tr("Step 2 of 4: measure at the pack terminals")
                if voltage
                else self.tr("Step 1 of 2: measure the current")
            )
        if page is self.page_result:
            return (
                self.tr("Step 3 of 4: before and after")
                if voltage
                else self.tr("Step 2 of 2: before and after")
            )
        return self.tr("Step 4 of 4: switch charging and discharging back on")

    def _on_next(self) -> None:
        page = self.stack.currentWidget()
        if self._busy:
            return
        if page is self.page_off:
            self._go(self.page_measure)
        elif page is self.page_result and self.page_on is not None:
            self._go(self.page_on)
        else:
            self.accept()

    def _update_enabled(self) -> None:
        page = self.stack.currentWidget()
        live = not self._lost and self.session.state.value == "live"
        ready = live and not self._busy and self.password_row.ready()
        wait = self.gate.wait_s(self.password_row.device) if self.password_row.device else 0
        ready = ready and wait <= 0
        if self.page_off is not None and self.page_on is not None:
            self.page_off.button.setEnabled(ready)
            self.page_on.button.setEnabled(ready)
        self.page_measure.send_button.setEnabled(ready and self._reading is not None and self._hint_ok())
        self.page_result.again_button.setEnabled(not self._busy)
        self.close_button.setEnabled(not self._busy)
        self.next_button.setVisible(page is not self.page_measure)
        self.next_button.setEnabled(not self._busy and (page is not self.page_off or self.both_off))
        back_on = self.switched_on or not self.switched_off
        if page is self.page_off:
            self.next_button.setText(self.tr("Next: measure"))
        elif page is self.page_result and self.page_on is not None:
            self.next_button.setText(self.tr("Next: switch back on"))
        elif page is self.page_on and not back_on:
            self.next_button.setText(self.tr("Finish and leave them OFF"))
        else:
            self.next_button.setText(self.tr("Finish"))
        style = DANGER_STYLE if page is self.page_on and not back_on else PRIMARY_STYLE
        if self.next_button.styleSheet() != style:
            self.next_button.setStyleSheet(style)
        self.close_button.setText(
            self.tr("Close") if self.result is not None or self.left_off else self.tr("Cancel")
        )

    # --- live reading -------------------------------------------------------------------------
    def _on_snapshot(self, snap: Snapshot | None) -> None:
        if snap is None:
            return
        value = snap.pack_voltage_v if self.kind == "voltage" else snap.current_a
        self._reading = value
        self.page_measure.live_label.setText(reading_text(self.kind, value))
        if self.stack.currentWidget() is self.page_measure:
            self._update_hint()

    def _hint_ok(self) -> bool:
        meter = self.page_measure.meter.value()
        if self._reading is None or meter == 0:
            return False
        return control.implausible(self.kind, self._reading, meter) is None

    def _update_hint(self) -> None:
        hint, meter = self.page_measure.hint, self.page_measure.meter.value()
        if self._reading is None:
            hint.warn(self.tr("Waiting for the board's reading …"))
        elif meter == 0:
            hint.info(self.tr("Enter the meter's reading."))
        elif why := control.implausible(self.kind, self._reading, meter):
            hint.bad(self.tr("Nothing will be sent: {reason}.").format(reason=why))
        else:
            hint.clear_result()
        self._update_enabled()

    def _on_state(self, _state: str, _detail: str) -> None:
        self._update_enabled()

    def _on_session_changed(self, session: object) -> None:
        if session is not self.session:
            self._lost = True
            self.error.bad(self.tr("The board was disconnected: nothing more can be sent from this window."))
            self._update_enabled()

    # --- actions ------------------------------------------------------------------------------
    def _start(self, coro: Coroutine[Any, Any, None]) -> None:
        if self._busy:
            coro.close()
            return
        self.bridge.spawn(coro)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        self.busy_label.setText(text)
        self.busy_row.setVisible(busy)
        self.password_row.setEnabled(not busy)
        self._update_enabled()

    async def _switch_one(self, key: str, on: bool, password: str) -> tuple[bool | None, str]:
        """(True: read back as asked / False: not / None: the password was refused, said), words."""
        name = _pair_name(key)
        try:
            report = await control.set_switch(
                self.session, key, on, password=password, gate=self.gate, backup_dir=self.backup_dir
            )
        except writer.PasswordError as exc:
            self.error.bad(password_problem(exc, self.session, self.gate, self.password_row.device, password))
            return None, ""
        except writer.WriteError as exc:
            return False, self.tr("{name}: not written: {reason}").format(
                name=name, reason=sentence(str(exc))
            )
        except SessionError as exc:
            return False, self.tr("{name}: the link failed: {reason}").format(
                name=name, reason=sentence(str(exc))
            )
        self.wrote.emit()
        ok, words = switch_pair_text(report, on)
        if ok:
            return True, self.tr("{name} is now {state} (read back from the board)").format(
                name=name, state=words
            )
        return False, self.tr("{name}: {status}").format(name=name, status=words)

    async def _switch_pair(self, on: bool) -> None:
        """Charging then discharging (off), or both back on; each read back."""
        assert self.page_off is not None and self.page_on is not None
        password = self.password_row.password()
        self.error.clear_result()
        self._set_busy(
            True,
            self.tr("Switching charging and discharging on …")
            if on
            else self.tr("Switching charging and discharging off …"),
        )
        lines: list[str] = []
        all_ok = True
        try:
            for key in PAIR:
                ok, words = await self._switch_one(key, on, password)
                if ok is None:
                    return
                lines.append(words)
                if not ok:
                    all_ok = False
                    break
                if not on:
                    self.switched_off = True
            if problem := self.password_row.accepted():
                lines.append(problem)
        finally:
            self._set_busy(False)
        if on:
            self.switched_on = all_ok
            if all_ok:
                self.switched_off = False
                self.page_on.reminder.setVisible(False)
        else:
            self.both_off = all_ok
        target = self.page_on.result if on else self.page_off.result
        (target.ok if all_ok else target.bad)("\n".join(lines))
        self._update_enabled()

    async def _calibrate(self) -> None:
        password = self.password_row.password()
        measured = round(self.page_measure.meter.value(), 3)
        self.error.clear_result()
        self._set_busy(
            True, self.tr("Averaging the board's reading, sending the meter's value, reading it back …")
        )
        try:
            cal = await control.calibrate(
                self.session, self.kind, measured, password=password, gate=self.gate
            )
        except writer.PasswordError as exc:
            self.error.bad(password_problem(exc, self.session, self.gate, self.password_row.device, password))
            return
        except writer.WriteError as exc:
            self.page_measure.hint.bad(
                self.tr("Nothing was sent: {reason}").format(reason=sentence(str(exc)))
            )
            return
        except (SessionError, TimeoutError) as exc:
            self.error.bad(
                self.tr(
                    "The link failed during the calibration: {reason}. The board "
                    "may or may not have taken the value."
                ).format(reason=sentence(str(exc)) or self.tr("no answer"))
            )
            return
        finally:
            self._set_busy(False)
        problem = self.password_row.accepted()
        self.wrote.emit()
        self.show_result(cal)
        if problem:
            self.error.warn(problem)

    def show_result(self, cal: control.Calibration) -> None:
        self.result = cal
        values, line = self.page_result.values, self.page_result.line
        before, after = reading_text(self.kind, cal.before), reading_text(self.kind, cal.after)
        values["before"].setText(before)
        values["meter"].setText(reading_text(self.kind, cal.measured))
        values["after"].setText(after)
        values["after"].setStyleSheet(f"color: {GREEN if cal.ok else RED};")
        if cal.ok:
            line.ok(
                self.tr(
                    "Calibrated: the board now reads {after}, the meter's value (it read {before} before)."
                ).format(after=after, before=before)
            )
        elif not cal.acknowledged:
            line.bad(
                self.tr(
                    "Refused: the board did not acknowledge the calibration. "
                    "Nothing changed; it still reads {before}."
                ).format(before=before)
            )
        else:
            line.bad(
                self.tr(
                    "Not verified: the board acknowledged, but now reads "
                    "{after}, not the meter's {meter}. The calibration did "
                    "not take."
                ).format(after=after, meter=reading_text(self.kind, cal.measured))
            )
        self._go(self.page_result)

    # --- leaving -------------------------------------------------------------------------------
    @property
    def left_off(self) -> bool:
        return self.switched_off and not self.switched_on

    def reject(self) -> None:  # Esc, Cancel/Close, the window's close button
        if self._busy:
            return
        if self.left_off and not self._warned and self.page_on is not None and not self._lost:
            # the manual's "remember to turn charge/discharge back on": say it once, loudly
            self._warned = True
            self._go(self.page_on)
            self.error.bad(
                self.tr(
                    "Charging and discharging are still OFF. Switch them back on "
                    "here, or press Close again to leave them off."
                )
            )
            return
        super().reject()

    def accept(self) -> None:
        if not self._busy:
            super().accept()

    def done(self, result: int) -> None:
        if not self._busy:
            super().done(result)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self._busy:
            event.ignore()
            return
        super().closeEvent(event)


def _pair_name(key: str) -> str:
    if key == "charge_switch":
        return QCoreApplication.translate("Control", "Charging")
    return QCoreApplication.translate("Control", "Discharging")
