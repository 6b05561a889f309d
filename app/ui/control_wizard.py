"""The calibration wizard: voltage and current against a meter.

Voltage follows the manual's procedure (JK manual §5.3.3 g): switch charging
and discharging off, measure the pack at its terminals with a meter, enter
the value, switch them back on.  The wizard does the switching through the
same guarded one-key write as the Switches panel, shows the board's reading
live beside the entry, and reminds — loudly — if they are left off.
Current (§5.3.3 h): with a steady current flowing, enter what a clamp meter
reads (+ charging, − discharging).

A QDialog with a QStackedWidget, opened with ``open()`` (never ``exec()``,
shared/stack.md P2); every step starts from a button.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..model import Snapshot
from ..services import control, writer
from ..session import DeviceSession, SessionError
from ..timing import current as current_timing
from .bridge import SessionBridge
from .control_widgets import PasswordRow, ResultLine, grey
from .theme import DANGER_STYLE, GREEN, GREY, INFO_STYLE, PRIMARY_STYLE, RED, WARN_STYLE, wrap
from .widgets import sentence
from .write_dialog import PasswordMemory, device_line, password_problem, status_words

PAIR = ("charge_switch", "discharge_switch")


def unit_of(kind: str) -> str:
    return "V" if kind == "voltage" else "A"


def reading_text(kind: str, value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f} V" if kind == "voltage" else f"{value:+.2f} A"


def switch_pair_text(report: writer.Report | None, on: bool) -> tuple[bool, str]:
    """(ok, words) for one switch of the pair after a write."""
    if report is None:
        return False, ""
    result = report.results[0] if report.results else None
    state = (
        QCoreApplication.translate("Control", "ON") if on else QCoreApplication.translate("Control", "OFF")
    )
    if result is None:
        return False, ""
    if result.status in writer.OK_STATUSES:
        return True, state
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
        assert bridge.session is not None
        assert kind in ("voltage", "current")
        self.bridge = bridge
        self.session: DeviceSession = bridge.session
        self.kind = kind
        self.gate = gate
        self.memory = memory
        self.backup_dir = backup_dir
        self.result: control.Calibration | None = None
        self.switched_off = False  # the wizard switched charging or discharging off
        self.both_off = False  # … and both read back OFF: measuring may start
        self.switched_on = False
        self._busy = False
        self._lost = False
        self._warned = False
        self._reading: float | None = None
        if kind == "voltage":
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
        self.resize(760, 600)
        self.setSizeGripEnabled(True)

        root = QVBoxLayout(self)
        root.setSpacing(10)
        dev = grey(device_line(self.session))
        root.addWidget(dev)
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
        self.stack = QStackedWidget()
        root.addWidget(self.stack, 1)
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

        self.page_off = self._build_off() if kind == "voltage" else None
        self.page_measure = self._build_measure()
        self.page_result = self._build_result()
        self.page_on = self._build_on() if kind == "voltage" else None

        self._timer = QTimer(self)
        self._timer.setInterval(current_timing().recheck_ms)
        self._timer.timeout.connect(self._update_enabled)
        self._timer.start()
        bridge.snapshotReceived.connect(self._on_snapshot)
        bridge.sessionChanged.connect(self._on_session_changed)
        bridge.stateChanged.connect(self._on_state)
        self._on_snapshot(bridge.last_snapshot)
        self._go(self.page_off if self.page_off is not None else self.page_measure)

    # --- pages ------------------------------------------------------------------------------
    def _page(self) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(10)
        self.stack.addWidget(page)
        return page, lay

    def _build_off(self) -> QWidget:
        page, lay = self._page()
        lay.addWidget(
            wrap(
                self.tr(
                    "The manual's procedure: with charging and discharging switched off, measure the pack "
                    "voltage at the battery terminals with a meter, enter it, then switch both back on. "
                    "Packbench does the switching for you and reminds you at the end."
                ),
                INFO_STYLE,
            )
        )
        lay.addWidget(
            wrap(
                "\n\n".join(
                    [
                        QCoreApplication.translate("Control", control.CONSEQUENCES[("charge_switch", False)]),
                        QCoreApplication.translate(
                            "Control", control.CONSEQUENCES[("discharge_switch", False)]
                        ),
                    ]
                ),
                WARN_STYLE,
            )
        )
        lay.addWidget(wrap(self.tr("Stop the motor controller, the charger and any load first.")))
        row = QHBoxLayout()
        self.off_button = QPushButton(self.tr("Switch charging and discharging off"))
        self.off_button.setStyleSheet(DANGER_STYLE)
        self.off_button.clicked.connect(lambda: self._start(self._switch_pair(False)))
        row.addWidget(self.off_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.off_result = ResultLine()
        lay.addWidget(self.off_result)
        lay.addStretch(1)
        return page

    def _build_measure(self) -> QWidget:
        page, lay = self._page()
        if self.kind == "voltage":
            lay.addWidget(
                wrap(
                    self.tr(
                        "Put the meter's probes on the pack's main terminals (B+ and B−), not on a balance "
                        "lead, and set it to DC volts. Enter the value the meter shows."
                    ),
                    INFO_STYLE,
                )
            )
        else:
            lay.addWidget(
                wrap(
                    self.tr(
                        "Let a steady current flow: at least 1 A from a charger or a load. Put a clamp meter "
                        "around one main lead and enter what it shows: positive while charging, negative "
                        "while discharging."
                    ),
                    INFO_STYLE,
                )
            )
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(8)
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.6)
        big.setBold(True)
        grid.addWidget(QLabel(self.tr("The board reads now")), 0, 0)
        self.live_label = QLabel("—")
        self.live_label.setFont(big)
        self.live_label.setMinimumWidth(180)
        grid.addWidget(self.live_label, 1, 0)
        grid.addWidget(
            QLabel(
                self.tr("The meter reads (V)")
                if self.kind == "voltage"
                else self.tr("The meter reads (A, + charging)")
            ),
            0,
            1,
        )
        self.meter = QDoubleSpinBox()
        self.meter.setFont(big)
        if self.kind == "voltage":
            self.meter.setRange(0.0, 300.0)
            self.meter.setDecimals(3)
            self.meter.setSingleStep(0.01)
        else:
            self.meter.setRange(-2000.0, 2000.0)
            self.meter.setDecimals(2)
            self.meter.setSingleStep(0.1)
        self.meter.setSuffix(" " + unit_of(self.kind))
        self.meter.setKeyboardTracking(True)
        self.meter.setMinimumWidth(200)
        self.meter.valueChanged.connect(lambda _v: self._update_hint())
        grid.addWidget(self.meter, 1, 1)
        grid.setColumnStretch(2, 1)
        lay.addLayout(grid)
        self.hint = ResultLine()
        lay.addWidget(self.hint)
        row = QHBoxLayout()
        self.send_button = QPushButton(self.tr("Send the meter's value to the board"))
        self.send_button.setStyleSheet(PRIMARY_STYLE)
        self.send_button.clicked.connect(lambda: self._start(self._calibrate()))
        row.addWidget(self.send_button)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addWidget(
            grey(
                self.tr(
                    "Packbench averages three readings before and after, and refuses a value that looks "
                    "like a typo or a meter on the wrong range: then nothing is sent."
                )
            )
        )
        lay.addStretch(1)
        return page

    def _build_result(self) -> QWidget:
        page, lay = self._page()
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.4)
        big.setBold(True)
        self.result_values: dict[str, QLabel] = {}
        for col, (key, text) in enumerate(
            (
                ("before", self.tr("Board before")),
                ("meter", self.tr("Meter")),
                ("after", self.tr("Board after")),
            )
        ):
            head = QLabel(text)
            head.setStyleSheet(f"color: {GREY};")
            grid.addWidget(head, 0, col)
            value = QLabel("—")
            value.setFont(big)
            grid.addWidget(value, 1, col)
            self.result_values[key] = value
        grid.setColumnStretch(3, 1)
        lay.addLayout(grid)
        self.result_line = ResultLine()
        lay.addWidget(self.result_line)
        row = QHBoxLayout()
        self.again_button = QPushButton(self.tr("Measure again"))
        self.again_button.clicked.connect(lambda: self._go(self.page_measure))
        row.addWidget(self.again_button)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(1)
        return page

    def _build_on(self) -> QWidget:
        page, lay = self._page()
        self.on_reminder = wrap(
            self.tr(
                "Charging and discharging are still OFF: the pack delivers no power and cannot be "
                "charged until they are switched back on."
            ),
            WARN_STYLE,
        )
        lay.addWidget(self.on_reminder)
        lay.addWidget(
            wrap(
                "\n".join(
                    [
                        QCoreApplication.translate("Control", control.CONSEQUENCES[("charge_switch", True)]),
                        QCoreApplication.translate(
                            "Control", control.CONSEQUENCES[("discharge_switch", True)]
                        ),
                    ]
                )
            )
        )
        row = QHBoxLayout()
        self.on_button = QPushButton(self.tr("Switch charging and discharging back on"))
        self.on_button.setStyleSheet(PRIMARY_STYLE)
        self.on_button.clicked.connect(lambda: self._start(self._switch_pair(True)))
        row.addWidget(self.on_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.on_result = ResultLine()
        lay.addWidget(self.on_result)
        lay.addStretch(1)
        return page

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
            elif n < i:
                parts.append(f"<span style='color:{GREEN}'>{text}</span>")
            else:
                parts.append(f"<span style='color:{GREY}'>{text}</span>")
        self.crumbs.setText("  ›  ".join(parts))
        titles = {
            id(self.page_off): self.tr("Step 1 of 4: switch charging and discharging off"),
            id(self.page_measure): (
                self.tr("Step 2 of 4: measure at the pack terminals")
                if self.kind == "voltage"
                else self.tr("Step 1 of 2: measure the current")
            ),
            id(self.page_result): (
                self.tr("Step 3 of 4: before and after")
                if self.kind == "voltage"
                else self.tr("Step 2 of 2: before and after")
            ),
            id(self.page_on): self.tr("Step 4 of 4: switch charging and discharging back on"),
        }
        self.title.setText(titles[id(page)])
        if page is self.page_measure:
            self._update_hint()
            self.meter.setFocus()
        self._update_enabled()

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
        if self.page_off is not None:
            self.off_button.setEnabled(ready)
            self.on_button.setEnabled(ready)
        self.send_button.setEnabled(ready and self._reading is not None and self._hint_ok())
        self.again_button.setEnabled(not self._busy)
        self.close_button.setEnabled(not self._busy)
        self.next_button.setVisible(page is not self.page_measure)
        if page is self.page_off:
            self.next_button.setText(self.tr("Next: measure"))
            self.next_button.setEnabled(not self._busy and self.both_off)
        elif page is self.page_result:
            if self.page_on is not None:
                self.next_button.setText(self.tr("Next: switch back on"))
                self.next_button.setEnabled(not self._busy)
            else:
                self.next_button.setText(self.tr("Finish"))
                self.next_button.setEnabled(not self._busy)
        elif page is self.page_on:
            self.next_button.setText(
                self.tr("Finish")
                if self.switched_on or not self.switched_off
                else self.tr("Finish and leave them OFF")
            )
            style = PRIMARY_STYLE if self.switched_on or not self.switched_off else DANGER_STYLE
            if self.next_button.styleSheet() != style:
                self.next_button.setStyleSheet(style)
            self.next_button.setEnabled(not self._busy)
        left_off = self.switched_off and not self.switched_on
        self.close_button.setText(
            self.tr("Close") if self.result is not None or left_off else self.tr("Cancel")
        )

    # --- live reading -------------------------------------------------------------------------
    def _on_snapshot(self, snap: Snapshot | None) -> None:
        if snap is None:
            return
        value = snap.pack_voltage_v if self.kind == "voltage" else snap.current_a
        self._reading = value
        self.live_label.setText(reading_text(self.kind, value))
        if self.stack.currentWidget() is self.page_measure:
            self._update_hint()

    def _hint_ok(self) -> bool:
        if self._reading is None or self.meter.value() == 0:
            return False
        return control.implausible(self.kind, self._reading, self.meter.value()) is None

    def _update_hint(self) -> None:
        if self._reading is None:
            self.hint.warn(self.tr("Waiting for the board's reading …"))
        elif self.meter.value() == 0:
            self.hint.info(self.tr("Enter the meter's reading."))
        else:
            why = control.implausible(self.kind, self._reading, self.meter.value())
            if why:
                self.hint.bad(self.tr("Nothing will be sent: {reason}.").format(reason=why))
            else:
                self.hint.clear_result()
        self._update_enabled()

    def _on_state(self, _state: str, _detail: str) -> None:
        self._update_enabled()

    def _on_session_changed(self, session: object) -> None:
        if session is not self.session:
            self._lost = True
            self.error.bad(self.tr("The board was disconnected: nothing more can be sent from this window."))
            self._update_enabled()

    # --- actions ------------------------------------------------------------------------------
    def _start(self, coro) -> None:
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

    def _password_failed(self, exc: writer.PasswordError, password: str) -> None:
        self.error.bad(password_problem(exc, self.session, self.gate, self.password_row.device, password))

    async def _switch_pair(self, on: bool) -> None:
        """Charging then discharging (off), or both back on; each read back."""
        password = self.password_row.password()
        target = self.off_result if not on else self.on_result
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
                try:
                    report = await control.set_switch(
                        self.session, key, on, password=password, gate=self.gate, backup_dir=self.backup_dir
                    )
                except writer.PasswordError as exc:
                    self._password_failed(exc, password)
                    return
                except writer.WriteError as exc:
                    lines.append(
                        self.tr("{name}: not written: {reason}").format(
                            name=_pair_name(key), reason=sentence(str(exc))
                        )
                    )
                    all_ok = False
                    break
                except SessionError as exc:
                    lines.append(
                        self.tr("{name}: the link failed: {reason}").format(
                            name=_pair_name(key), reason=sentence(str(exc))
                        )
                    )
                    all_ok = False
                    break
                self.wrote.emit()
                ok, words = switch_pair_text(report, on)
                if ok:
                    lines.append(
                        self.tr("{name} is now {state} (read back from the board)").format(
                            name=_pair_name(key), state=words
                        )
                    )
                else:
                    lines.append(self.tr("{name}: {status}").format(name=_pair_name(key), status=words))
                    all_ok = False
                    break
                if not on:
                    self.switched_off = True
            problem = self.password_row.accepted()
            if problem:
                lines.append(problem)
        finally:
            self._set_busy(False)
        if not on:
            self.both_off = all_ok
        if on:
            self.switched_on = all_ok
            if all_ok:
                self.switched_off = False
                self.on_reminder.setVisible(False)
        if all_ok:
            target.ok("\n".join(lines))
        else:
            target.bad("\n".join(lines))
        self._update_enabled()

    async def _calibrate(self) -> None:
        password = self.password_row.password()
        measured = round(self.meter.value(), 3)
        self.error.clear_result()
        self._set_busy(
            True, self.tr("Averaging the board's reading, sending the meter's value, reading it back …")
        )
        try:
            cal = await control.calibrate(
                self.session, self.kind, measured, password=password, gate=self.gate
            )
        except writer.PasswordError as exc:
            self._password_failed(exc, password)
            return
        except writer.WriteError as exc:
            self.hint.bad(self.tr("Nothing was sent: {reason}").format(reason=sentence(str(exc))))
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
        self.result_values["before"].setText(reading_text(self.kind, cal.before))
        self.result_values["meter"].setText(reading_text(self.kind, cal.measured))
        self.result_values["after"].setText(reading_text(self.kind, cal.after))
        colour = GREEN if cal.ok else RED
        self.result_values["after"].setStyleSheet(f"color: {colour};")
        if cal.ok:
            self.result_line.ok(
                self.tr(
                    "Calibrated: the board now reads {after}, the meter's value (it read {before} before)."
                ).format(after=reading_text(self.kind, cal.after), before=reading_text(self.kind, cal.before))
            )
        elif not cal.acknowledged:
            self.result_line.bad(
                self.tr(
                    "Refused: the board did not acknowledge the calibration. "
                    "Nothing changed; it still reads {before}."
                ).format(before=reading_text(self.kind, cal.before))
            )
        else:
            self.result_line.bad(
                self.tr(
                    "Not verified: the board acknowledged, but now reads "
                    "{after}, not the meter's {meter}. The calibration did "
                    "not take."
                ).format(
                    after=reading_text(self.kind, cal.after), meter=reading_text(self.kind, cal.measured)
                )
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
        if self._busy:
            return
        super().accept()

    def done(self, result: int) -> None:
        if self._busy:
            return
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
