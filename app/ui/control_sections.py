"""Sections of the Control tab for boards that need no meter: the state of charge, the
board's clock, and zeroing the current reading.

Each section is a widget the Control page places in one of its boxes; it asks,
confirms and shows its outcome the way the page's own sections do (the page's
``confirm_panel``, ``guarded`` and ``reveal``), and shows itself only where the
protocol has the command (``Protocol.has_soc``, ``has_clock``, calibration kind
``current_zero``).  The services hold the bytes (services/control.py).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..model import Snapshot
from ..services import control
from .control_widgets import grey


class StateOfChargeSection(QWidget):
    """ "State of charge [..] Set…" and "Board clock — Set from this computer's clock…"."""

    def __init__(self, page: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page = page
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.soc_row = QWidget()
        row = QHBoxLayout(self.soc_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("State of charge")))
        self.soc_spin = QDoubleSpinBox()
        self.soc_spin.setRange(0.0, 100.0)
        self.soc_spin.setDecimals(1)
        self.soc_spin.setSuffix(" %")
        row.addWidget(self.soc_spin)
        row.addStretch(1)
        self.soc_button = QPushButton(self.tr("Set…"))
        self.soc_button.clicked.connect(self.ask_soc)
        row.addWidget(self.soc_button)
        lay.addWidget(self.soc_row)
        self.clock_row = QWidget()
        crow = QHBoxLayout(self.clock_row)
        crow.setContentsMargins(0, 0, 0, 0)
        crow.addWidget(QLabel(self.tr("Board clock")))
        crow.addStretch(1)
        self.clock_button = QPushButton(self.tr("Set from this computer's clock…"))
        self.clock_button.clicked.connect(self.ask_clock)
        crow.addWidget(self.clock_button)
        lay.addWidget(self.clock_row)
        self.panel, self.result = page.confirm_panel(lay, self._on_confirmed)
        self._prefilled = False
        self.set_capabilities(False, False)

    # --- the page's calls ---------------------------------------------------------------------
    def set_capabilities(self, has_soc: bool, has_clock: bool) -> None:
        self.soc_row.setVisible(has_soc)
        self.clock_row.setVisible(has_clock)
        self.setVisible(has_soc or has_clock)

    def reset(self) -> None:
        self._prefilled = False
        if not self.panel.busy:
            self.panel.close_panel()
        self.result.clear_result()

    def update_enabled(self, can: bool, live: bool) -> None:
        idle = can and not self.panel.isVisible()
        self.soc_button.setEnabled(idle)
        self.clock_button.setEnabled(idle)
        self.panel.set_live(live)

    def show_snapshot(self, snap: Snapshot | None) -> None:
        if not self._prefilled and snap is not None and snap.soc_pct is not None:
            self._prefilled = True  # the field starts at what the board says
            self.soc_spin.setValue(snap.soc_pct)

    # --- asking --------------------------------------------------------------------------------
    def ask_soc(self) -> None:
        session = self.page.bridge.session
        if session is None or self.page.busy:
            return
        pct = round(self.soc_spin.value(), 1)
        self.result.clear_result()
        self.panel.ask(
            session,
            action="soc",
            value=pct,
            title=self.tr("Set the state of charge to {pct} %?").format(pct=f"{pct:g}"),
            text=QCoreApplication.translate("Control", control.SET_SOC_CONSEQUENCE),
            confirm=self.tr("Set {pct} %").format(pct=f"{pct:g}"),
            note=self.tr("Packbench sends it and reads the state of charge back from the live data."),
        )
        self.page.panel_opened(self.panel)

    def ask_clock(self) -> None:
        session = self.page.bridge.session
        if session is None or self.page.busy:
            return
        self.result.clear_result()
        self.panel.ask(
            session,
            action="clock",
            value=None,
            title=self.tr("Set the board's clock to this computer's?"),
            text=QCoreApplication.translate("Control", control.CLOCK_CONSEQUENCE),
            confirm=self.tr("Set the clock"),
        )
        self.page.panel_opened(self.panel)

    def _on_confirmed(self) -> None:
        action, value = self.panel.action, self.panel.value
        if action and not self.page.busy:
            self.page.bridge.spawn(self._run(action, value))

    async def _run(self, action: str, value: object) -> None:
        gate = self.page.gate

        async def work(session: Any, password: str) -> Any:
            if action == "soc":
                return await control.set_soc(session, float(value), password=password, gate=gate)
            return await control.set_clock(session, password=password, gate=gate)

        ran, res = await self.page.guarded(self.panel, self.tr("Sending and reading back …"), work)
        if ran:
            self.show_result(action, res)

    def show_result(self, action: str, res: Any) -> None:
        if action == "soc" and res.ok:
            self.result.ok(
                self.tr("Verified: the board now reports {pct} %.").format(pct=f"{res.after_pct:g}")
            )
        elif action == "soc" and res.acknowledged:
            self.result.bad(
                self.tr("The board acknowledged but reports {after} %, not {pct} %.").format(
                    after=res.after_pct, pct=f"{res.requested_pct:g}"
                )
            )
        elif action == "clock" and res.acknowledged:
            self.result.warn(
                self.tr(
                    "The board acknowledged the time {time}. Packbench cannot read its clock back."
                ).format(time=res.when.strftime("%Y-%m-%d %H:%M:%S"))
            )
        else:
            self.result.bad(self.tr("The board did not acknowledge: nothing changed."))


class ZeroCurrentSection(QWidget):
    """ "Zero the current…": the board takes the current it reads now as 0 A (Daly 0xF2,
    ANT 0x08 / 0xF8); Packbench reads the current before and after."""

    def __init__(self, page: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page = page
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.help = grey(
            self.tr(
                "With the charger and the load disconnected, the board takes the current it reads now as 0 A."
            )
        )
        row.addWidget(self.help, 1)
        self.button = QPushButton(self.tr("Zero the current…"))
        self.button.clicked.connect(self.ask)
        row.addWidget(self.button)
        lay.addLayout(row)
        self.panel, self.result = page.confirm_panel(lay, self._on_confirmed)
        self.setVisible(False)

    def reset(self) -> None:
        if not self.panel.busy:
            self.panel.close_panel()
        self.result.clear_result()

    def update_enabled(self, can: bool, live: bool) -> None:
        self.button.setEnabled(can and not self.panel.isVisible())
        self.panel.set_live(live)

    def ask(self) -> None:
        session = self.page.bridge.session
        if session is None or self.page.busy:
            return
        self.result.clear_result()
        self.panel.ask(
            session,
            action="current_zero",
            value=0.0,
            title=self.tr("Zero the board's current reading?"),
            text=QCoreApplication.translate("Control", control.ZERO_CONSEQUENCE),
            confirm=self.tr("Zero the current"),
            note=self.tr("Packbench reads the current first, zeroes it and reads it again."),
        )
        self.page.panel_opened(self.panel)

    def _on_confirmed(self) -> None:
        if self.panel.action and not self.page.busy:
            self.page.bridge.spawn(self._run())

    async def _run(self) -> None:
        gate = self.page.gate

        async def work(session: Any, password: str) -> Any:
            return await control.calibrate(session, "current_zero", 0.0, password=password, gate=gate)

        ran, cal = await self.page.guarded(self.panel, self.tr("Zeroing and reading back …"), work)
        if not ran:
            return
        if cal.ok:
            self.result.ok(
                self.tr(
                    "Verified: the board now reads {after} A with nothing connected (was {before} A)."
                ).format(after=f"{cal.after:+.2f}", before=f"{cal.before:+.2f}")
            )
        elif not cal.acknowledged:
            self.result.bad(self.tr("The board did not acknowledge: nothing changed."))
        else:
            self.result.bad(
                self.tr("The board acknowledged but still reads {after} A.").format(after=f"{cal.after:+.2f}")
            )


__all__ = ["StateOfChargeSection", "ZeroCurrentSection"]
