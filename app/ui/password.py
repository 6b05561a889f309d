"""The setup password on screen: one widget for the write dialogs and the Control tab.

``PasswordBox`` is the password field with Show and "Remember for this device", filled
from ``keychain.PasswordMemory`` (memory for this run, the OS keychain when asked; never a
file).  Two looks of the same widget: the framed box of the write dialogs, with a note on
where the password is kept and the board's password warnings, and the compact one-line
``PasswordRow`` of the Control tab's confirmation panels.  The helpers below say what a
protocol asks of the password and put the gate's refusals into words.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QLabel, QLineEdit, QWidget

from ..services import keychain, writer
from ..services.keychain import PasswordMemory
from ..session import DeviceSession
from .theme import BLOCK_STYLE, GREY, INFO_STYLE, WARN_STYLE, wrap
from .widgets import sentence

#: the compact look draws no frame: the row sits inside its panel's own frame
_COMPACT_STYLE = "QGroupBox { border: none; margin: 0px; padding: 0px; }"


def factory_mode(session: DeviceSession) -> bool:
    """The board keeps its settings behind a mode that every connection leaves first (JBD's
    factory mode: ``Protocol.recovery_requests``)."""
    return bool(session.protocol.recovery_requests())


def board_checked(session: DeviceSession) -> bool:
    """Only the board can check the password (JBD, ANT): Packbench sends it when asked."""
    return session.protocol.password_check == "board"


def password_optional(session: DeviceSession) -> bool:
    """The write may go without a password typed: only the board checks one (JBD, and most
    boards have none), or the protocol has none at all."""
    return session.protocol.password_check in ("board", "none")


class PasswordBox(QGroupBox):
    """Password, Show, Remember for this device; in the framed look also where the password
    is kept and the board's default/unknown password warnings.

    ``prefill(session)`` (done at once when a session is given) fills it for that board."""

    changed = Signal()

    def __init__(
        self,
        memory: PasswordMemory,
        session: DeviceSession | None = None,
        *,
        compact: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.memory = memory
        self.compact = compact
        self.device = ""
        self.optional = False
        layout = QGridLayout(self)
        layout.setHorizontalSpacing(8 if compact else 10)
        self.label = QLabel()
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setMinimumWidth(150 if compact else 260)
        if compact:
            self.edit.setMaximumWidth(220)
        self.edit.textChanged.connect(lambda _t: self.changed.emit())
        self.show_box = QCheckBox(self.tr("Show"))
        self.show_box.toggled.connect(
            lambda on: self.edit.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)
        )
        self.remember_box = QCheckBox(self.tr("Remember for this device"))
        for col, widget in enumerate((self.label, self.edit, self.show_box, self.remember_box)):
            layout.addWidget(widget, 0, col)
        layout.setColumnStretch(4, 1)
        self._build_notes(layout)
        if compact:
            layout.setContentsMargins(0, 0, 0, 0)
            self.setFlat(True)
            self.setStyleSheet(_COMPACT_STYLE)
        self._set_titles(self.tr("Setup password"))
        self.edit.setPlaceholderText(self.tr("factory default 123456"))
        if session is not None:
            self.prefill(session)

    def _build_notes(self, layout: QGridLayout) -> None:
        """Where the password is kept and the board's password warnings, below the field
        (the framed look only: the compact row's panel says what it must)."""
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {GREY};")
        self.default_warning = wrap(
            self.tr(
                "This board still has the factory setup password 123456: anyone within Bluetooth range "
                "can change its protection settings. Change it in the vendor app."
            ),
            WARN_STYLE,
        )
        self.unknown_warning = wrap(
            self.tr(
                "The board has not reported its setup password, so Packbench cannot check it. "
                "Disconnect, reconnect and try again."
            ),
            BLOCK_STYLE,
        )
        self.none_note = wrap(
            self.tr("This board's protocol has no password, so Packbench asks for none."), INFO_STYLE
        )
        for row, widget in enumerate((self.note, self.default_warning, self.unknown_warning, self.none_note)):
            widget.setVisible(False)
            if self.compact:
                widget.setParent(self)  # kept hidden
            else:
                layout.addWidget(widget, row + 1, 0, 1, 5)

    def _set_titles(self, title: str) -> None:
        """The framed look names the box; the compact one puts the name before the field."""
        if self.compact:
            self.label.setText(title)
        else:
            self.setTitle(title)
            self.label.setText(self.tr("Password"))

    def _show(self, widget: QWidget, on: bool) -> None:
        widget.setVisible(on and not self.compact)

    def prefill(self, session: DeviceSession) -> None:
        """Fill the box for ``session``'s board: its remembered password (keychain first),
        the words its protocol needs, and its password warnings."""
        self.device = self.memory.device(session)
        check = session.protocol.password_check
        self.optional = password_optional(session)
        self._set_titles(self.tr("Board password") if check == "board" else self.tr("Setup password"))
        if check == "board":  # JBD, ANT: only the board can check it; most boards have none
            # short enough for the narrowest field (the calibration wizard's, 144 px at
            # 1024×640); the whole sentence in the tooltip
            factory = factory_mode(session)
            self.edit.setPlaceholderText(self.tr("6 digits, or empty") if factory else self.tr("often empty"))
            self.edit.setToolTip(
                self.tr("Six digits; leave it empty if the board has no password.")
                if factory
                else self.tr("Leave it empty if the board asks for no password.")
            )
        else:
            self.edit.setPlaceholderText(self.tr("factory default 123456"))
            self.edit.setToolTip("")
        self._show(self.default_warning, session.has_default_password is True)
        self._show(self.unknown_warning, check == "local" and not session.knows_password)
        self._show_no_password(check == "none")
        password, from_keychain = self.memory.recall(self.device)
        if password:
            self.edit.setText(password)
        self._show_keychain(from_keychain)

    def _show_no_password(self, none: bool) -> None:
        """A protocol without any password (Daly A5): the compact row hides itself, the box
        says so instead of asking."""
        if self.compact:
            self.setVisible(not none)
            return
        self._show(self.none_note, none)
        for widget in (self.label, self.edit, self.show_box, self.remember_box):
            widget.setVisible(not none)
        if none:
            self.setTitle(self.tr("Password"))

    def _show_keychain(self, from_keychain: bool) -> None:
        available = keychain.available()
        self.remember_box.setEnabled(available)
        self.remember_box.setChecked(available and from_keychain)
        if available:
            self.remember_box.setToolTip(self.tr("Kept in the system keychain, never in a file."))
            self.note.setText(
                self.tr("Remembered in the system keychain for this board.")
                if from_keychain
                else self.tr(
                    "Kept in memory until you disconnect. Tick “Remember” to keep it in the "
                    "system keychain (never in a settings file)."
                )
            )
        else:
            self.remember_box.setToolTip(self.tr("no system keychain on this computer"))
            self.note.setText(
                self.tr(
                    "No system keychain on this computer: the password is kept "
                    "in memory only, until you disconnect."
                )
            )
        self._show(self.note, self.edit.isVisibleTo(self))

    def password(self) -> str:
        return self.edit.text()

    def ready(self) -> bool:
        """A password is entered, or the board checks it itself and may have none."""
        return bool(self.edit.text()) or self.optional

    def remember(self) -> bool:
        return self.remember_box.isEnabled() and self.remember_box.isChecked()

    def accepted(self) -> str:
        """The gate accepted the password: keep it; a keychain problem to show, or ""."""
        reason = self.memory.accepted(self.device, self.password(), self.remember())
        if not reason:
            return ""
        return self.tr("The password could not be stored in the system keychain: {reason}").format(
            reason=sentence(reason)
        )


class PasswordRow(PasswordBox):
    """The compact look, one line (the Control tab's confirmation panels and wizards)."""

    def __init__(self, memory: PasswordMemory, parent: QWidget | None = None) -> None:
        super().__init__(memory, compact=True, parent=parent)


def password_problem(
    exc: writer.PasswordError, session: DeviceSession, gate: writer.PasswordGate, device: str, password: str
) -> str:
    """The gate's refusal in the user's language."""
    wait = gate.wait_s(device)
    too_many = QCoreApplication.translate(
        "PasswordBox", "Too many wrong passwords: wait {s} s before the next try."
    ).format(s=f"{wait:.0f}")
    if board_checked(session):
        text = QCoreApplication.translate("PasswordBox", "Nothing was written: {reason}").format(
            reason=sentence(str(exc))
        )
        return text + " " + too_many if wait > 0 else text
    if not session.knows_password:
        return QCoreApplication.translate(
            "PasswordBox",
            "The board has not reported its setup password. Nothing was written. Reconnect and try again.",
        )
    if not password:
        return QCoreApplication.translate(
            "PasswordBox", "Enter the board's setup password (factory default 123456). Nothing was written."
        )
    right = session.check_setup_password(password)
    if right and wait > 0:
        return QCoreApplication.translate(
            "PasswordBox", "Too many wrong passwords: wait {s} s before the next try. Nothing was written."
        ).format(s=f"{wait:.0f}")
    if not right:
        text = QCoreApplication.translate("PasswordBox", "Wrong setup password: nothing was written.")
        return text + " " + too_many if wait > 0 else text
    return QCoreApplication.translate("PasswordBox", "Nothing was written: {reason}").format(
        reason=sentence(str(exc))
    )
