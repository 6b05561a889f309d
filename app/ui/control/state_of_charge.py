"""The state of charge and the board's clock, where the protocol has the commands
(``Protocol.has_soc``, ``has_clock``: Daly): "State of charge [..] Set…" and "Board
clock — Set from this computer's clock…".  Placed in the capacity section.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton, QWidget

from ...model import Snapshot
from ...services import control
from .base import Section
from .caps import Capabilities


class StateOfChargeSection(Section):
    def __init__(self, page) -> None:
        super().__init__(page)
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
        self.lay.addWidget(self.soc_row)
        self.clock_row = QWidget()
        crow = QHBoxLayout(self.clock_row)
        crow.setContentsMargins(0, 0, 0, 0)
        crow.addWidget(QLabel(self.tr("Board clock")))
        crow.addStretch(1)
        self.clock_button = QPushButton(self.tr("Set from this computer's clock…"))
        self.clock_button.clicked.connect(self.ask_clock)
        crow.addWidget(self.clock_button)
        self.lay.addWidget(self.clock_row)
        self.add_confirm()
        self._prefilled = False
        self.setVisible(False)

    def apply(self, caps: Capabilities) -> None:
        self.soc_row.setVisible(caps.soc)
        self.clock_row.setVisible(caps.clock)
        self.setVisible(caps.soc or caps.clock)

    def reset(self) -> None:
        super().reset()
        self._prefilled = False

    def update_enabled(self, can: bool, live: bool) -> None:
        super().update_enabled(can, live)
        idle = can and not (self.panel is not None and self.panel.isVisible())
        self.soc_button.setEnabled(idle)
        self.clock_button.setEnabled(idle)

    def show_snapshot(self, snap: Snapshot | None) -> None:
        if not self._prefilled and snap is not None and snap.soc_pct is not None:
            self._prefilled = True  # the field starts at what the board says
            self.soc_spin.setValue(snap.soc_pct)

    # --- asking --------------------------------------------------------------------------------
    def ask_soc(self) -> None:
        pct = round(self.soc_spin.value(), 1)
        self.ask(
            action="soc",
            value=pct,
            title=self.tr("Set the state of charge to {pct} %?").format(pct=f"{pct:g}"),
            text=QCoreApplication.translate("Control", control.SET_SOC_CONSEQUENCE),
            confirm=self.tr("Set {pct} %").format(pct=f"{pct:g}"),
            note=self.tr("Packbench sends it and reads the state of charge back from the live data."),
        )

    def ask_clock(self) -> None:
        self.ask(
            action="clock",
            title=self.tr("Set the board's clock to this computer's?"),
            text=QCoreApplication.translate("Control", control.CLOCK_CONSEQUENCE),
            confirm=self.tr("Set the clock"),
        )

    async def work(self, session: Any, password: str, action: str, value: object) -> Any:
        gate = self.page.gate
        if action == "soc":
            return await control.set_soc(session, float(value), password=password, gate=gate)
        return await control.set_clock(session, password=password, gate=gate)

    def show_result(self, action: str, value: object, result: Any) -> None:
        assert self.result is not None
        if action == "soc" and result.ok:
            self.result.ok(
                self.tr("Verified: the board now reports {pct} %.").format(pct=f"{result.after_pct:g}")
            )
        elif action == "soc" and result.acknowledged:
            self.result.bad(
                self.tr("The board acknowledged but reports {after} %, not {pct} %.").format(
                    after=result.after_pct, pct=f"{result.requested_pct:g}"
                )
            )
        elif action == "clock" and result.acknowledged:
            self.result.warn(
                self.tr(
                    "The board acknowledged the time {time}. Packbench cannot read its clock back."
                ).format(time=result.when.strftime("%Y-%m-%d %H:%M:%S"))
            )
        else:
            self.result.bad(self.tr("The board did not acknowledge: nothing changed."))
