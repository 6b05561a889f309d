"""Zero the current: the board takes the current it reads now as 0 A (Daly 0xF2, ANT
0x08 / 0xF8: calibration kind ``current_zero``); Packbench reads the current before
and after.  Placed in the calibration section.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QPushButton

from ...services import control
from ..control_widgets import grey
from .base import Section
from .caps import Capabilities


class ZeroCurrentSection(Section):
    def __init__(self, page) -> None:
        super().__init__(page)
        row = QHBoxLayout()
        self.help = grey(
            self.tr(
                "With the charger and the load disconnected, the board takes the current it reads now as 0 A."
            )
        )
        row.addWidget(self.help, 1)
        self.button = QPushButton(self.tr("Zero the current…"))
        self.button.clicked.connect(self.ask_zero)
        row.addWidget(self.button)
        self.lay.addLayout(row)
        self.add_confirm()
        self.setVisible(False)

    def apply(self, caps: Capabilities) -> None:
        self.setVisible("current_zero" in caps.calibration)

    def update_enabled(self, can: bool, live: bool) -> None:
        super().update_enabled(can, live)
        self.button.setEnabled(can and not (self.panel is not None and self.panel.isVisible()))

    def ask_zero(self) -> None:
        self.ask(
            action="current_zero",
            value=0.0,
            title=self.tr("Zero the board's current reading?"),
            text=QCoreApplication.translate("Control", control.ZERO_CONSEQUENCE),
            confirm=self.tr("Zero the current"),
            note=self.tr("Packbench reads the current first, zeroes it and reads it again."),
        )

    def busy_text(self, action: str) -> str:
        return self.tr("Zeroing and reading back …")

    async def work(self, session: Any, password: str, action: str, value: object) -> control.Calibration:
        return await control.calibrate(session, "current_zero", 0.0, password=password, gate=self.page.gate)

    def show_result(self, action: str, value: object, result: control.Calibration) -> None:
        assert self.result is not None
        if result.ok:
            self.result.ok(
                self.tr(
                    "Verified: the board now reads {after} A with nothing connected (was {before} A)."
                ).format(after=f"{result.after:+.2f}", before=f"{result.before:+.2f}")
            )
        elif not result.acknowledged:
            self.result.bad(self.tr("The board did not acknowledge: nothing changed."))
        else:
            self.result.bad(
                self.tr("The board acknowledged but still reads {after} A.").format(
                    after=f"{result.after:+.2f}"
                )
            )
