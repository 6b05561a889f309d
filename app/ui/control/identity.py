"""Device name and passwords: the name the board reports, and the password a board
checks itself (JBD 0x07 set / 0x09 clear) or reports (Daly), set and checked here.
No command to change a JK board's name, Bluetooth PIN or setup password is known
(jk.md §5.5): that is said, not offered.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from ...model import Settings
from ...services import control
from ..theme import INFO_STYLE, wrap
from ..widgets import sentence
from .base import Section
from .caps import Capabilities


class IdentitySection(Section):
    def __init__(self, page) -> None:
        super().__init__(page, self.tr("Device name and passwords"))
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Device name")))
        self.name_label = QLabel("—")
        f = self.name_label.font()
        f.setBold(True)
        self.name_label.setFont(f)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.name_label)
        row.addStretch(1)
        self.lay.addLayout(row)
        self.note = wrap(style=INFO_STYLE)
        self.lay.addWidget(self.note)
        self.password_row = QWidget()
        prow = QHBoxLayout(self.password_row)
        prow.setContentsMargins(0, 0, 0, 0)
        prow.addWidget(QLabel(self.tr("New board password")))
        self.new_password_edit = QLineEdit()
        self.new_password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_password_edit.setPlaceholderText(self.tr("six characters"))
        self.new_password_edit.setMaximumWidth(140)
        self.new_password_edit.textChanged.connect(lambda _t: self.page.update_enabled())
        prow.addWidget(self.new_password_edit)
        self.set_button = QPushButton(self.tr("Set…"))
        self.set_button.clicked.connect(lambda: self.ask_board_password(True))
        prow.addWidget(self.set_button)
        prow.addStretch(1)
        self.clear_button = QPushButton(self.tr("Remove the password…"))
        self.clear_button.clicked.connect(lambda: self.ask_board_password(False))
        prow.addWidget(self.clear_button)
        self.password_row.setVisible(False)
        self.lay.addWidget(self.password_row)
        self.add_confirm()

    def apply(self, caps: Capabilities) -> None:
        self.password_row.setVisible(caps.board_password)
        self.clear_button.setVisible(caps.board_password_clearable)
        if not caps.board:
            self.note.setText(self.tr("Connect to a board to see what can be changed."))
        elif caps.board_password and caps.password_check == "local":
            self.note.setText(
                self.tr(
                    "{family} reports its setup password, and Packbench checks it before every write "
                    "(it is never stored in a file). Set a new one here: Packbench writes it and reads "
                    "it back. No command to change the device name is known."
                ).format(family=caps.family)
            )
        elif caps.board_password and "device_name" in caps.keys:
            self.note.setText(
                self.tr(
                    "The device name is one of {family}'s settings: change it on the Parameters tab "
                    "(English letters, digits and dashes, at most 31). The board's password is "
                    "checked by the board itself: set or remove it here."
                ).format(family=caps.family)
            )
        else:
            self.note.setText(
                self.tr(
                    "No command to change the device name, the Bluetooth PIN or the setup password is "
                    "known for {family}, so Packbench cannot change them. Use the vendor's app; the JK "
                    "manual allows English letters and digits only in the name."
                ).format(family=caps.family)
            )

    def update_enabled(self, can: bool, live: bool) -> None:
        super().update_enabled(can, live)
        idle = can and not (self.panel is not None and self.panel.isVisible())
        self.set_button.setEnabled(idle and bool(self.new_password_edit.text().strip()))
        self.clear_button.setEnabled(idle)

    def show_settings(self, settings: Settings | None) -> None:
        info = self.page.bridge.device_info
        self.name_label.setText(info.device_name if info is not None and info.device_name else "—")

    # --- the board's own password ----------------------------------------------------------------
    def ask_board_password(self, set_it: bool) -> None:
        session = self.page.bridge.session
        if session is None or not session.can_write or not control.has_board_password(session):
            return
        new = self.new_password_edit.text().strip()
        if set_it:
            try:
                session.protocol.check_board_password(new)
            except ValueError as exc:
                assert self.result is not None
                self.result.bad(
                    self.tr("The board cannot take this password: {reason}.").format(
                        reason=sentence(str(exc))
                    )
                )
                return
        what = "set" if set_it else "clear"
        self.ask(
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

    def busy_text(self, action: str) -> str:
        return self.tr("Sending and checking …")

    async def work(self, session: Any, password: str, action: str, value: object) -> bool:
        new = str(value) if action == "set" else None
        return await control.change_board_password(
            session, old=password or None, new=new, gate=self.page.gate
        )

    def show_result(self, action: str, value: object, result: bool) -> None:
        assert self.result is not None
        if result and action == "set":
            self.new_password_edit.clear()
            self.result.ok(
                self.tr("Verified: the board now asks for the new password. Keep it somewhere safe.")
            )
        elif result:
            self.result.ok(self.tr("Verified: the board has no password now."))
        else:
            self.result.bad(
                self.tr("The board acknowledged, but does not behave as if its password changed.")
            )
