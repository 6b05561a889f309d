"""Calibration against a meter: the board's readings beside a button per kind the
protocol offers (``Protocol.calibration_kinds``: "voltage", "current"), each opening
the wizard (wizard.py); "current_zero" boards get the zero-current section (zero.py).

The help says only what is offered: a board with current calibration alone (JBD) is
not told about a voltage wizard.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QWidget

from ...model import Settings, Snapshot
from ..control_widgets import ResultLine, grey
from ..theme import GREY
from .base import Section
from .caps import Capabilities
from .wizard import CalibrationWizard
from .wizard_steps import reading_text
from .zero import ZeroCurrentSection

KINDS = ("voltage", "current")


class CalibrationSection(Section):
    def __init__(self, page) -> None:
        super().__init__(page, self.tr("Calibration against a meter"))
        self.body = QWidget()
        grid = QGridLayout(self.body)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.3)
        big.setBold(True)
        heads = {
            "voltage": self.tr("Pack voltage the board reads"),
            "current": self.tr("Current the board reads"),
        }
        buttons = {"voltage": self.tr("Calibrate voltage…"), "current": self.tr("Calibrate current…")}
        self.readings: dict[str, QLabel] = {}
        self.buttons: dict[str, QPushButton] = {}
        self.columns: dict[str, list[QWidget]] = {}
        for col, kind in enumerate(KINDS):
            head = QLabel(heads[kind])
            head.setStyleSheet(f"color: {GREY};")
            self.readings[kind] = reading = QLabel("—")
            reading.setFont(big)
            self.buttons[kind] = button = QPushButton(buttons[kind])
            button.clicked.connect(lambda _c=False, k=kind: self.open_wizard(k))
            for row, w in enumerate((head, reading, button)):
                grid.addWidget(w, row, col)
            self.columns[kind] = [head, reading, button]
        grid.setColumnStretch(len(KINDS), 1)
        self.lay.addWidget(self.body)
        self.help = grey()
        self.lay.addWidget(self.help)
        self.zero_section = ZeroCurrentSection(page)
        self.lay.addWidget(self.zero_section)
        self.subsections.append(self.zero_section)
        self.note = grey()
        self.lay.addWidget(self.note)
        self.result = ResultLine()  # the wizard's outcome (the wizard confirms for itself)
        self.lay.addWidget(self.result)
        self._left_off = False  # the wizard left charging and discharging OFF

    def apply(self, caps: Capabilities) -> None:
        offered = [k for k in KINDS if k in caps.calibration] if caps.board else list(KINDS)
        for kind, widgets in self.columns.items():
            for w in widgets:
                w.setVisible(kind in offered)
        self.body.setVisible(bool(offered))
        helps = {
            "voltage": self.tr(
                "Voltage: the wizard switches charging and discharging off, you measure at the pack "
                "terminals, then it switches them back on."
            ),
            "current": self.tr(
                "Current: with a steady current of at least 1 A, enter what a clamp meter reads."
            ),
        }
        self.help.setText(" ".join(helps[k] for k in offered))
        self.help.setVisible(bool(offered))
        self.note.setText(
            self.tr(
                "{family} has no calibration command that Packbench knows, so it cannot be "
                "calibrated from here."
            ).format(family=caps.family)
        )
        self.note.setVisible(caps.board and not caps.calibration)

    def update_enabled(self, can: bool, live: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(can)

    def reset(self) -> None:
        super().reset()
        if self.page.bridge.session is not None:
            self._left_off = False  # the page clears the banner for a new board

    def show_settings(self, settings: Settings | None) -> None:
        values = settings.values if settings is not None else {}
        if self._left_off and values.get("charge_switch") and values.get("discharge_switch"):
            self._left_off = False  # switched back on since (here or elsewhere)
            self.page.banner.clear_result()

    def show_snapshot(self, snap: Snapshot | None) -> None:
        for kind, label in self.readings.items():
            value = getattr(snap, "pack_voltage_v" if kind == "voltage" else "current_a", None)
            text = reading_text(kind, value)
            if label.text() != text:
                label.setText(text)

    # --- the wizard ------------------------------------------------------------------------------
    def open_wizard(self, kind: str) -> CalibrationWizard | None:
        page = self.page
        if not page.live or page.busy:
            return None
        page.close_panels()
        wizard = CalibrationWizard(
            page.bridge, kind, gate=page.gate, memory=page.passwords, backup_dir=page.backup_dir, parent=page
        )
        page.show_dialog(wizard, self._show_outcome)
        return wizard

    def _show_outcome(self, wizard: CalibrationWizard) -> None:
        assert self.result is not None
        cal = wizard.result
        what = self.tr("Voltage") if wizard.kind == "voltage" else self.tr("Current")
        if cal is None:
            self.result.info(
                self.tr("{what} calibration cancelled: no meter value was sent.").format(what=what)
            )
        elif cal.ok:
            self.result.ok(
                self.tr("{what} calibrated: the board read {before}, now {after}.").format(
                    what=what,
                    before=reading_text(wizard.kind, cal.before),
                    after=reading_text(wizard.kind, cal.after),
                )
            )
        else:
            after = cal.after if cal.after is not None else cal.before
            self.result.bad(
                self.tr("{what} calibration failed: the board still reads {after}.").format(
                    what=what, after=reading_text(wizard.kind, after)
                )
            )
        if wizard.left_off:
            self._left_off = True
            self.page.banner.bad(
                self.tr(
                    "The calibration left charging and discharging OFF: the pack "
                    "delivers no power and cannot be charged. Switch them back on "
                    "below."
                )
            )
        elif self._left_off:
            self._left_off = False
            self.page.banner.clear_result()
