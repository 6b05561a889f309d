"""Emergency mode (JK02_32S 0x6B, jk.md §5.2): one compact row with the live countdown
(32S byte 218, jk.md §2.1); the words of what it does to the pack appear in the
confirmation only.  Read back from the live frames' countdown
(services/control.py ``set_emergency``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from ...model import Snapshot
from ...services import control, writer
from ..control_widgets import grey
from ..theme import AMBER, GREY
from ..widgets import Badge
from .base import Section
from .caps import Capabilities
from .words import on_off, time_left


class EmergencySection(Section):
    def __init__(self, page) -> None:
        super().__init__(page, self.tr("Emergency mode"))
        self.row = QWidget()
        row = QHBoxLayout(self.row)
        row.setContentsMargins(0, 0, 0, 0)
        self.badge = Badge()
        row.addWidget(self.badge)
        self.left = QLabel("")
        row.addWidget(self.left)
        row.addStretch(1)
        self.button = QPushButton(self.tr("Start emergency mode…"))
        self.button.clicked.connect(lambda _c=False: self.ask_emergency())
        row.addWidget(self.button)
        self.lay.addWidget(self.row)
        self.note = grey()
        self.note.setVisible(False)
        self.lay.addWidget(self.note)
        self.add_confirm()
        self._has = False
        self._shown: object = ()

    def apply(self, caps: Capabilities) -> None:
        self._has = caps.emergency
        self.row.setVisible(caps.emergency or not caps.board)
        self.note.setText(
            self.tr("{family} has no emergency mode that Packbench knows.").format(family=caps.family)
        )
        self.note.setVisible(caps.board and not caps.emergency)

    def update_enabled(self, can: bool, live: bool) -> None:
        super().update_enabled(can, live)
        asking = self.panel is not None and self.panel.isVisible()
        self.button.setEnabled(can and self._has and not asking)

    def _protocol(self) -> Any:
        session = self.page.bridge.session
        return session.protocol if session is not None else None

    def show_snapshot(self, snap: Snapshot | None) -> None:
        """The live countdown: ON with the time left, or OFF."""
        left = control.emergency_remaining(self._protocol(), snap)
        if left == self._shown:
            return
        was_active = bool(self._shown) if isinstance(self._shown, int) else None
        self._shown = left
        self.badge.set_state(None if left is None else left > 0, on_colour=AMBER, off_colour=GREY)
        self.left.setText(time_left(left) if left else "")
        if was_active is None or was_active != bool(left):
            self.button.setText(self.tr("Stop emergency mode…") if left else self.tr("Start emergency mode…"))

    def ask_emergency(self) -> None:
        session = self.page.bridge.session
        if not self._has or session is None or not self.page.live:
            return
        snap = self.page.bridge.last_snapshot
        on = not (snap is not None and control.emergency_remaining(session.protocol, snap))
        minutes = control.emergency_minutes(session.protocol, self.page.bridge.settings)
        self.ask(
            action="emergency",
            value=on,
            title=self.tr("Start emergency mode?") if on else self.tr("Stop emergency mode?"),
            text=QCoreApplication.translate("Control", control.EMERGENCY_CONSEQUENCES[on]).format(
                minutes="?" if minutes is None else minutes
            ),
            confirm=self.tr("Start emergency mode") if on else self.tr("Stop emergency mode"),
            danger=on,
            note=self.tr(
                "Packbench checks the password, sends the command and reads the "
                "board's emergency countdown back."
            ),
        )

    async def work(self, session: Any, password: str, action: str, value: object) -> control.EmergencyResult:
        return await control.set_emergency(session, bool(value), password=password, gate=self.page.gate)

    def show_result(self, action: str, value: object, result: control.EmergencyResult) -> None:
        assert self.result is not None
        self.page.last_emergency_result = result
        left = result.remaining_s or 0
        state = self.tr("ON, {left}").format(left=time_left(left)) if left else on_off(False)
        if result.status == writer.VERIFIED:
            self.result.ok(
                self.tr("Verified: emergency mode is {state} (read back from the board).").format(state=state)
            )
        elif result.status == writer.REFUSED:
            self.result.bad(
                self.tr("Refused by the board: emergency mode is still {state}.").format(state=state)
            )
        elif result.status == writer.NOT_STORED:
            self.result.bad(
                self.tr("The board acknowledged, but emergency mode is still {state}.").format(state=state)
            )
        else:
            self.result.warn(
                self.tr(
                    "Sent, but the board's countdown does not confirm it: emergency mode reads {state}."
                ).format(state=state)
            )
