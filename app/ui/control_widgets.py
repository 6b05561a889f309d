"""Pieces of the Control tab: a compact password row, the inline confirmation
panel, a result line and a "before sealing" check row.

The confirmation panel never waits for a person inside a coroutine
(shared/stack.md P2): it shows the consequence and the password field, and the
page starts the action from its button.  Passwords stay in memory (and in the
OS keychain when asked) through the Parameters tab's PasswordMemory.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..services.keychain import PasswordMemory
from ..session import DeviceSession
from .password import PasswordRow
from .theme import (
    BLOCK_STYLE,
    DANGER_STYLE,
    GREEN,
    GREY,
    INFO_STYLE,
    OK_STYLE,
    PANEL_DANGER_STYLE,
    PANEL_STYLE,
    PRIMARY_STYLE,
    RED,
    WARN_STYLE,
    wrap,
)


def grey(text: str = "") -> QLabel:
    label = wrap(text)
    label.setStyleSheet(f"color: {GREY};")
    return label


class ResultLine(QLabel):
    """What the last action did: green verified, red refused/failed, amber uncertain."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = ""
        self.clear_result()

    def clear_result(self) -> None:
        self.kind = ""
        self.setText("")
        self.setVisible(False)

    def _show(self, kind: str, symbol: str, text: str, style: str) -> None:
        self.kind = kind
        self.setText(f"{symbol}  {text}" if symbol else text)
        self.setStyleSheet(style)
        self.setVisible(True)

    def ok(self, text: str) -> None:
        self._show("ok", "✓", text, OK_STYLE)

    def bad(self, text: str) -> None:
        self._show("bad", "✗", text, BLOCK_STYLE)

    def warn(self, text: str) -> None:
        self._show("warn", "!", text, WARN_STYLE)

    def info(self, text: str) -> None:
        self._show("info", "", text, INFO_STYLE)


class ConfirmPanel(QFrame):
    """Inline confirmation: what happens, in words; the password; Cancel / do it.

    ``confirmed`` is emitted from the button; the page runs the action and
    calls ``set_busy``/``show_error``/``close_panel``.  For the worst actions a
    typed word (RESET) must be entered first.
    """

    confirmed = Signal()
    cancelled = Signal()

    def __init__(self, memory: PasswordMemory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confirm")
        self.setStyleSheet(PANEL_STYLE)
        self.action = ""  # what the page is asking about (a switch key, an action name)
        self.value: object = None
        self._typed_word = ""
        self._busy = False
        self._live = True
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.setSpacing(8)
        self.title = QLabel()
        f = self.title.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.15)
        self.title.setFont(f)
        self.title.setWordWrap(True)
        self.title.setStyleSheet("background: transparent;")
        lay.addWidget(self.title)
        self.text = wrap(style=WARN_STYLE)
        lay.addWidget(self.text)
        self.note = grey()
        self.note.setStyleSheet(f"color: {GREY}; background: transparent;")
        lay.addWidget(self.note)
        self._build_typed_row(lay)
        self.password_row = PasswordRow(memory)
        self.password_row.changed.connect(self.update_enabled)
        lay.addWidget(self.password_row)
        self.no_password_note = grey(
            self.tr("This board's protocol has no password, so Packbench asks for none.")
        )
        self.no_password_note.setStyleSheet(f"color: {GREY}; background: transparent;")
        self.no_password_note.setVisible(False)
        lay.addWidget(self.no_password_note)
        self.error = wrap(style=BLOCK_STYLE)
        self.error.setVisible(False)
        lay.addWidget(self.error)
        self._build_busy_row(lay)
        self._build_buttons(lay)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setVisible(False)

    def _build_typed_row(self, lay: QVBoxLayout) -> None:
        """ "To confirm, type RESET here:" for the worst actions."""
        self.typed_row = QWidget()
        trow = QHBoxLayout(self.typed_row)
        trow.setContentsMargins(0, 0, 0, 0)
        self.typed_label = QLabel()
        trow.addWidget(self.typed_label)
        self.typed_edit = QLineEdit()
        self.typed_edit.setMaximumWidth(140)
        self.typed_edit.textChanged.connect(lambda _t: self.update_enabled())
        trow.addWidget(self.typed_edit)
        trow.addStretch(1)
        lay.addWidget(self.typed_row)

    def _build_busy_row(self, lay: QVBoxLayout) -> None:
        self.busy_row = QWidget()
        brow = QHBoxLayout(self.busy_row)
        brow.setContentsMargins(0, 0, 0, 0)
        self.busy_label = QLabel()
        brow.addWidget(self.busy_label)
        bar = QProgressBar()
        bar.setRange(0, 0)
        bar.setMaximumHeight(12)
        bar.setTextVisible(False)
        brow.addWidget(bar, 1)
        self.busy_row.setVisible(False)
        lay.addWidget(self.busy_row)

    def _build_buttons(self, lay: QVBoxLayout) -> None:
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Cancel — send nothing"))
        self.cancel_button.clicked.connect(self.cancel)
        buttons.addWidget(self.cancel_button)
        self.confirm_button = QPushButton()
        self.confirm_button.clicked.connect(self._on_confirm)
        buttons.addWidget(self.confirm_button)
        lay.addLayout(buttons)

    # --- API for the page -------------------------------------------------------------
    def ask(
        self,
        session: DeviceSession,
        *,
        action: str,
        value: object = None,
        title: str,
        text: str,
        confirm: str,
        danger: bool = False,
        note: str = "",
        typed_word: str = "",
    ) -> None:
        self.action, self.value = action, value
        self.title.setText(title)
        self.text.setText(text)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self._typed_word = typed_word
        self.typed_row.setVisible(bool(typed_word))
        self.typed_edit.clear()
        self.typed_label.setText(self.tr("To confirm, type {word} here:").format(word=typed_word))
        self.password_row.prefill(session)
        self.no_password_note.setVisible(session.protocol.password_check == "none")
        self.error.setVisible(False)
        self.confirm_button.setText(confirm)
        self.confirm_button.setStyleSheet(DANGER_STYLE if danger else PRIMARY_STYLE)
        self.setStyleSheet(PANEL_DANGER_STYLE if danger else PANEL_STYLE)
        self.set_busy(False)
        self.setVisible(True)
        if typed_word:
            self.typed_edit.setFocus()
        elif not self.password_row.password():
            self.password_row.edit.setFocus()
        else:
            self.confirm_button.setFocus()

    @property
    def busy(self) -> bool:
        return self._busy

    def typed_ok(self) -> bool:
        return not self._typed_word or self.typed_edit.text().strip() == self._typed_word

    def set_live(self, live: bool) -> None:
        self._live = live
        self.update_enabled()

    def update_enabled(self) -> None:
        ready = self._live and not self._busy and self.password_row.ready() and self.typed_ok()
        self.confirm_button.setEnabled(ready)
        self.cancel_button.setEnabled(not self._busy)
        if not self._live:
            self.confirm_button.setToolTip(self.tr("Waiting for a live connection to the board."))
        elif not self.typed_ok():
            self.confirm_button.setToolTip(self.tr("Type {word} first.").format(word=self._typed_word))
        elif not self.password_row.ready():
            self.confirm_button.setToolTip(self.tr("Enter the setup password first."))
        else:
            self.confirm_button.setToolTip("")

    def set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        self.busy_label.setText(text)
        self.busy_row.setVisible(busy)
        self.password_row.setEnabled(not busy)
        self.typed_row.setEnabled(not busy)
        self.update_enabled()

    def show_error(self, text: str) -> None:
        self.error.setText("✗  " + text)
        self.error.setVisible(True)

    def close_panel(self) -> None:
        self.action, self.value = "", None
        self.typed_edit.clear()
        self.setVisible(False)

    def cancel(self) -> None:
        if self._busy:
            return
        self.close_panel()
        self.cancelled.emit()

    def _on_confirm(self) -> None:
        if self._busy or not self.confirm_button.isEnabled():
            return
        self.error.setVisible(False)
        self.confirmed.emit()


class CheckRow(QWidget):
    """One "before sealing" line: ✓ / ✗ / ? in a coloured disc, the title, a detail;
    "–" when the board does not report what the check needs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(10)
        self.symbol = QLabel()
        self.symbol.setFixedSize(26, 26)
        self.symbol.setAlignment(Qt.AlignmentFlag.AlignCenter)
        f = self.symbol.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.2)
        self.symbol.setFont(f)
        lay.addWidget(self.symbol)
        self.title = QLabel()
        tf = self.title.font()
        tf.setBold(True)
        self.title.setFont(tf)
        self.title.setMinimumWidth(330)
        lay.addWidget(self.title)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        lay.addWidget(self.detail, 1)
        self.state: bool | None = None
        self.reported = True
        self._key: tuple | None = None
        self.set(None, "", "")

    def set(self, ok: bool | None, title: str, detail: str, *, reported: bool = True) -> None:
        key = (ok, title, detail, reported)
        if key == self._key:
            return
        self._key = key
        self.state = ok
        self.reported = reported
        symbol, colour = {True: ("✓", GREEN), False: ("✗", RED)}.get(ok, ("?", GREY))  # type: ignore[arg-type]
        if not reported:
            symbol = "–"
        self.symbol.setText(symbol)
        self.symbol.setStyleSheet(f"QLabel {{ background: {colour}; color: white; border-radius: 13px; }}")
        self.title.setText(title)
        self.detail.setText(detail)
        self.detail.setStyleSheet(f"color: {RED};" if ok is False else f"color: {GREY};")
