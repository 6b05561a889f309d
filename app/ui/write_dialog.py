"""The write transaction on screen: review → password → progress → per-key report.

Two non-modal-at-heart dialogs (opened with ``open()``, never ``exec()``,
shared/stack.md P2), both driving the services in app/services/writer.py
through the bridge's tracked tasks:

* WriteDialog: the board → new diff in write order, the interlocks (hard
  rules block, each advisory needs its own tick), the password gate, then the
  ordered writes with progress and "cancel after this key", then the per-key
  report with the board's state in plain words and a restore from the backup.
* BoardPresetDialog: the board's own one-click preset (JK02_32S 0x68–0x6A):
  a confirmation that says Packbench cannot know its values, the password
  gate, the backup, the command, and the values it produced, read back.

No coroutine here waits for a person: every step starts from a button.
Passwords stay in memory (and in the OS keychain when asked), never in files.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ..model import SettingSpec
from ..services import keychain, settings_files, writer
from ..services.interlocks import Finding
from ..session import DeviceSession, SessionError
from ..timing import current as current_timing
from .bridge import SessionBridge
from .setting_format import finding_text, setting_label, value_text
from .theme import (
    AMBER,
    BLOCK_STYLE,
    DANGER_STYLE,
    GREEN,
    GREY,
    INFO_STYLE,
    OK_STYLE,
    PRIMARY_STYLE,
    RED,
    WARN_STYLE,
    table_item,
    wrap,
)
from .widgets import sentence

log = logging.getLogger("packbench.ui.write")


STATUS_COLOURS = {
    writer.VERIFIED: GREEN,
    writer.UNCHANGED: GREY,
    writer.NOT_ATTEMPTED: GREY,
    writer.CANCELLED: GREY,
    writer.UNVERIFIED: AMBER,
}


def status_words(status: str) -> str:
    """Per-key outcome in the user's language."""
    words = {
        writer.VERIFIED: QCoreApplication.translate("WriteReport", "written and verified"),
        writer.REFUSED: QCoreApplication.translate("WriteReport", "refused by the board"),
        writer.NOT_STORED: QCoreApplication.translate("WriteReport", "acknowledged but not stored"),
        writer.CHANGED_ELSEWHERE: QCoreApplication.translate(
            "WriteReport", "changed by someone else or by the board"
        ),
        writer.NOT_SAVED: QCoreApplication.translate("WriteReport", "not saved"),
        writer.UNVERIFIED: QCoreApplication.translate("WriteReport", "stored, but not acknowledged"),
        writer.FAILED: QCoreApplication.translate("WriteReport", "link lost: unknown"),
        writer.UNCHANGED: QCoreApplication.translate("WriteReport", "unchanged"),
        writer.NOT_ATTEMPTED: QCoreApplication.translate("WriteReport", "not attempted"),
        writer.CANCELLED: QCoreApplication.translate("WriteReport", "cancelled"),
    }
    return words.get(status, status)


def result_detail(r: writer.KeyResult, spec: SettingSpec | None, default_password: bool | None) -> str:
    """Why a key ended the way it did, in words (translated, not the service's English)."""
    if r.status == writer.CHANGED_ELSEWHERE:
        return QCoreApplication.translate(
            "WriteReport",
            "The board now holds {got}, neither the previous {old} nor the requested "
            "{new}: another program or the board itself changed it.",
        ).format(got=value_text(spec, r.readback), old=value_text(spec, r.old), new=value_text(spec, r.new))
    if r.status == writer.NOT_SAVED:
        return QCoreApplication.translate(
            "WriteReport",
            "Written, but the board never saved it (the link dropped or the write "
            "was interrupted first): the board keeps {old}.",
        ).format(old=value_text(spec, r.old))
    if r.status == writer.NOT_STORED:
        return QCoreApplication.translate(
            "WriteReport", "The board acknowledged the write but kept {old}."
        ).format(old=value_text(spec, r.old))
    if r.status == writer.REFUSED:
        text = QCoreApplication.translate(
            "WriteReport", "The board did not acknowledge the write and kept {old}."
        ).format(old=value_text(spec, r.old))
        if default_password is False:
            text += " " + QCoreApplication.translate(
                "WriteReport",
                "This board's setup password is not the factory one; newer JK-PB firmware "
                "then accepts settings only from the vendor app.",
            )
        return text
    if r.status == writer.UNVERIFIED:
        return QCoreApplication.translate(
            "WriteReport", "The board stored the value but sent no acknowledgement."
        )
    if r.status == writer.FAILED:
        return QCoreApplication.translate(
            "WriteReport", "The link failed while writing: the board may or may not have stored this value."
        )
    if r.status == writer.NOT_ATTEMPTED:
        return QCoreApplication.translate("WriteReport", "Not written: the write stopped at an earlier key.")
    if r.status == writer.CANCELLED:
        return QCoreApplication.translate("WriteReport", "Not written: you cancelled.")
    return ""


def board_state_text(
    report: writer.Report, spec_of: Callable[[str], SettingSpec | None], default_password: bool | None
) -> tuple[str, bool]:
    """(what the board has now, in plain words; True when all is well)."""
    attempted = [r for r in report.results if r.status != writer.UNCHANGED]
    planned = len(attempted)
    if report.ok:
        if not planned:
            return QCoreApplication.translate(
                "WriteReport", "Nothing to write: the board already has these values."
            ), True
        return QCoreApplication.translate(
            "WriteReport",
            "All %n change(s) were written, read back and verified. The board now has the new settings.",
            "",
            planned,
        ), True
    written = report.written
    lost = next((r for r in report.results if r.status == writer.FAILED), None)
    bad = next(
        (
            r
            for r in report.results
            if r.status not in writer.OK_STATUSES | {writer.NOT_ATTEMPTED, writer.CANCELLED}
        ),
        None,
    )
    parts = []
    if bad is not None:
        spec = spec_of(bad.key)
        parts.append(
            QCoreApplication.translate("WriteReport", "Stopped at {setting}: {status}.").format(
                setting=setting_label(spec, bad.key), status=status_words(bad.status)
            )
        )
        detail = result_detail(bad, spec, default_password)
        if detail:
            parts.append(detail)
    if any(r.status == writer.CANCELLED for r in report.results):
        parts.append(
            QCoreApplication.translate(
                "WriteReport", "You cancelled: the remaining changes were not written."
            )
        )
    if lost is not None:
        parts.append(
            QCoreApplication.translate(
                "WriteReport",
                "The board's state is not known for {setting}. Reconnect, then "
                "compare with the backup or restore it.",
            ).format(setting=setting_label(spec_of(lost.key), lost.key))
        )
    if not written and lost is None:
        parts.append(
            QCoreApplication.translate(
                "WriteReport", "Nothing was changed on the board: it still has all its previous settings."
            )
        )
    elif written:
        parts.append(
            QCoreApplication.translate(
                "WriteReport",
                "{done} of {total} changes are on the board (marked “written and "
                "verified”); every other setting still has its previous value, so the board "
                "now runs with a mix of old and new settings. Restore the backup, or fix the "
                "cause and write again.",
            ).format(done=len(written), total=planned)
        )
    return " ".join(parts), False


def device_line(session: DeviceSession | None) -> str:
    if session is None:
        return QCoreApplication.translate("WriteReport", "No board connected")
    info = session.device_info
    if info is None:
        return session.url.redacted
    return QCoreApplication.translate(
        "WriteReport", "{model}, serial {serial}, firmware {firmware} ({protocol}) on {url}"
    ).format(
        model=info.model or "?",
        serial=info.serial_number or "?",
        firmware=info.software_version or "?",
        protocol=session.protocol.id,
        url=session.url.redacted,
    )


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


# --- passwords --------------------------------------------------------------------------------


class PasswordMemory:
    """Setup passwords per device: in memory for this run, in the OS keychain when asked.

    Never written to QSettings or any file.
    """

    def __init__(self) -> None:
        self._memory: dict[str, str] = {}

    @staticmethod
    def device(session: DeviceSession) -> str:
        return settings_files.device_key(session.device_info, session.url.redacted)

    def recall(self, device: str) -> tuple[str | None, bool]:
        """(password, True when it came from the keychain)."""
        try:
            stored = keychain.recall(device)
        except keychain.KeychainUnavailable:
            stored = None
        if stored:
            return stored, True
        return self._memory.get(device), False

    def accepted(self, device: str, password: str, remember: bool) -> str:
        """The board accepted ``password``: keep it; returns a problem to show, or ""."""
        self._memory[device] = password
        try:
            if remember:
                keychain.remember(device, password)
            else:
                keychain.forget(device)
        except keychain.KeychainUnavailable as exc:
            return QCoreApplication.translate(
                "PasswordBox", "The password could not be stored in the system keychain: {reason}"
            ).format(reason=sentence(str(exc)))
        return ""

    def clear(self) -> None:
        self._memory.clear()


class PasswordBox(QGroupBox):
    """The setup password, 'Remember for this device', and the default-password warning."""

    changed = Signal()

    def __init__(self, session: DeviceSession, memory: PasswordMemory, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Setup password"), parent)
        self.session = session
        self.memory = memory
        self.device = memory.device(session)
        layout = QGridLayout(self)
        layout.setHorizontalSpacing(10)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setPlaceholderText(self.tr("factory default 123456"))
        self.edit.setMinimumWidth(260)
        self.edit.textChanged.connect(lambda _t: self.changed.emit())
        self.show_box = QCheckBox(self.tr("Show"))
        self.show_box.toggled.connect(
            lambda on: self.edit.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)
        )
        self.remember_box = QCheckBox(self.tr("Remember for this device"))
        layout.addWidget(QLabel(self.tr("Password")), 0, 0)
        layout.addWidget(self.edit, 0, 1)
        layout.addWidget(self.show_box, 0, 2)
        layout.addWidget(self.remember_box, 0, 3)
        layout.setColumnStretch(4, 1)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {GREY};")
        layout.addWidget(self.note, 1, 0, 1, 5)
        self.default_warning = wrap(
            self.tr(
                "This board still has the factory setup password 123456: anyone within Bluetooth range "
                "can change its protection settings. Change it in the vendor app."
            ),
            WARN_STYLE,
        )
        layout.addWidget(self.default_warning, 2, 0, 1, 5)
        self.default_warning.setVisible(session.has_default_password is True)
        self.unknown_warning = wrap(
            self.tr(
                "The board has not reported its setup password, so Packbench cannot check it. "
                "Disconnect, reconnect and try again."
            ),
            BLOCK_STYLE,
        )
        layout.addWidget(self.unknown_warning, 3, 0, 1, 5)
        self.unknown_warning.setVisible(not session.knows_password and not board_checked(session))
        if board_checked(session):
            # JBD, ANT: only the board can check it; most boards have none
            self.setTitle(self.tr("Board password"))
            self.edit.setPlaceholderText(
                self.tr("six digits; leave empty if the board has none")
                if factory_mode(session)
                else self.tr("leave empty if the board asks for none")
            )
        self.none_note = wrap(
            self.tr("This board's protocol has no password, so Packbench asks for none."), INFO_STYLE
        )
        layout.addWidget(self.none_note, 4, 0, 1, 5)
        no_password = session.protocol.password_check == "none"
        self.none_note.setVisible(no_password)
        if no_password:
            self.setTitle(self.tr("Password"))
            for w in (self.edit, self.show_box, self.remember_box, self.note):
                w.setVisible(False)
            layout.itemAtPosition(0, 0).widget().setVisible(False)

        password, from_keychain = memory.recall(self.device)
        if password:
            self.edit.setText(password)
        if keychain.available():
            self.remember_box.setChecked(from_keychain)
            self.note.setText(
                self.tr("Remembered in the system keychain for this board.")
                if from_keychain
                else self.tr(
                    "Kept in memory until you disconnect. Tick “Remember” to keep it in the "
                    "system keychain (never in a settings file)."
                )
            )
        else:
            self.remember_box.setChecked(False)
            self.remember_box.setEnabled(False)
            self.remember_box.setToolTip(self.tr("no system keychain on this computer"))
            self.note.setText(
                self.tr(
                    "No system keychain on this computer: the password is kept "
                    "in memory only, until you disconnect."
                )
            )

    def password(self) -> str:
        return self.edit.text()

    def remember(self) -> bool:
        return self.remember_box.isEnabled() and self.remember_box.isChecked()


def factory_mode(session: DeviceSession) -> bool:
    """The board keeps its settings behind a mode that every connection leaves first (JBD's
    factory mode: ``Protocol.recovery_requests``)."""
    return bool(session.protocol.recovery_requests())


def board_checked(session: DeviceSession) -> bool:
    """Only the board can check the password (JBD): Packbench sends it when asked."""
    return session.protocol.password_check == "board"


def password_optional(session: DeviceSession) -> bool:
    """The write may go without a password typed: only the board checks one (JBD, and most
    boards have none), or the protocol has none at all."""
    return session.protocol.password_check in ("board", "none")


def password_problem(
    exc: writer.PasswordError, session: DeviceSession, gate: writer.PasswordGate, device: str, password: str
) -> str:
    """The gate's refusal in the user's language."""
    wait = gate.wait_s(device)
    if board_checked(session):
        text = QCoreApplication.translate("PasswordBox", "Nothing was written: {reason}").format(
            reason=sentence(str(exc))
        )
        if wait > 0:
            text += " " + QCoreApplication.translate(
                "PasswordBox", "Too many wrong passwords: wait {s} s before the next try."
            ).format(s=f"{wait:.0f}")
        return text
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
        if wait > 0:
            text += " " + QCoreApplication.translate(
                "PasswordBox", "Too many wrong passwords: wait {s} s before the next try."
            ).format(s=f"{wait:.0f}")
        return text
    return QCoreApplication.translate("PasswordBox", "Nothing was written: {reason}").format(
        reason=sentence(str(exc))
    )


# --- the write transaction -------------------------------------------------------------------------


class WriteDialog(QDialog):
    """Review the diff, then write it; report every key."""

    #: emitted after anything was sent to the board (a write or a restore)
    wrote = Signal()

    PAGE_REVIEW, PAGE_PROGRESS, PAGE_REPORT = range(3)

    def __init__(
        self,
        bridge: SessionBridge,
        plan: writer.Plan,
        *,
        chemistry: str | None,
        gate: writer.PasswordGate,
        memory: PasswordMemory,
        source: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        assert bridge.session is not None
        self.bridge = bridge
        self.session: DeviceSession = bridge.session
        self.plan = plan
        self.chemistry = chemistry
        self.gate = gate
        self.memory = memory
        self.source = source
        self.report: writer.Report | None = None
        self.restore_report: writer.Report | None = None
        self.backup: Path | None = None
        self._password = ""
        self._busy = False
        self._cancel: asyncio.Event | None = None
        self._advisory_boxes: dict[str, QCheckBox] = {}
        self._lost = False
        self.setWindowTitle(self.tr("Review and write — Packbench"))
        self.resize(980, 760)
        self.setSizeGripEnabled(True)

        root = QVBoxLayout(self)
        root.setSpacing(8)
        self.device_label = wrap(device_line(self.session))
        self.device_label.setStyleSheet(f"color: {GREY};")
        root.addWidget(self.device_label)
        self.stack = QStackedWidget()
        root.addWidget(self.stack, 1)
        self._build_review()
        self._build_progress()
        self._build_report()
        self.fill_review(plan)

        self._timer = QTimer(self)
        self._timer.setInterval(current_timing().recheck_ms)
        self._timer.timeout.connect(self._update_write_enabled)
        self._timer.start()
        bridge.sessionChanged.connect(self._on_session_changed)
        bridge.stateChanged.connect(self._on_state)

    # --- helpers ------------------------------------------------------------------------------------
    def spec(self, key: str) -> SettingSpec | None:
        return next((s for s in self.plan.schema if s.key == key), None)

    def _on_state(self, _state: str, _detail: str) -> None:
        self._update_write_enabled()
        self._update_restore_enabled()

    def _update_restore_enabled(self) -> None:
        live = not self._lost and self.session.state.value == "live"
        self.restore_button.setEnabled(self.backup is not None and live and not self._busy)
        self.restore_button.setToolTip(
            "" if live else self.tr("Waiting for the board: the restore needs a live connection.")
        )

    def _on_session_changed(self, session: object) -> None:
        if session is not self.session:
            self._lost = True
            self.review_error.setText(
                self.tr("The board was disconnected: nothing more can be written from this dialog.")
            )
            self.review_error.setVisible(True)
            self.restore_button.setEnabled(False)
            self._update_write_enabled()

    def reject(self) -> None:  # Esc, the window's close button
        if self._busy:
            if self._cancel is not None:
                self._on_cancel()
            return  # never walk away from a write in progress
        super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self._busy:
            event.ignore()
            if self._cancel is not None:
                self._on_cancel()
            return
        super().closeEvent(event)

    # --- review page ---------------------------------------------------------------------------------------
    def _build_review(self) -> None:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(8)
        self.review_title = QLabel()
        f = self.review_title.font()
        f.setPointSizeF(f.pointSizeF() * 1.25)
        f.setBold(True)
        self.review_title.setFont(f)
        lay.addWidget(self.review_title)
        self.source_label = wrap()
        lay.addWidget(self.source_label)
        self.diff_table = _table(
            [self.tr("#"), self.tr("Setting"), self.tr("On the board"), self.tr("New value"), self.tr("Key")]
        )
        self.diff_table.setColumnWidth(0, 36)
        self.diff_table.setColumnWidth(1, 330)
        self.diff_table.setColumnWidth(2, 130)
        self.diff_table.setColumnWidth(3, 130)
        self.diff_table.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        lay.addWidget(self.diff_table, 0)
        self.unchanged_label = QLabel()
        self.unchanged_label.setStyleSheet(f"color: {GREY};")
        lay.addWidget(self.unchanged_label)

        self.findings_area = QScrollArea()
        self.findings_area.setWidgetResizable(True)
        self.findings_area.setFrameShape(QFrame.Shape.NoFrame)
        self.findings_widget = QWidget()
        self.findings_layout = QVBoxLayout(self.findings_widget)
        self.findings_layout.setContentsMargins(0, 0, 0, 0)
        self.findings_layout.setSpacing(6)
        self.findings_area.setWidget(self.findings_widget)
        lay.addWidget(self.findings_area, 1)

        self.steps_label = wrap(style=INFO_STYLE)
        lay.addWidget(self.steps_label)
        self.password_box = PasswordBox(self.session, self.memory)
        self.password_box.changed.connect(self._update_write_enabled)
        lay.addWidget(self.password_box)
        self.review_error = wrap(style=BLOCK_STYLE)
        self.review_error.setVisible(False)
        lay.addWidget(self.review_error)

        buttons = QHBoxLayout()
        self.reread_button = QPushButton(self.tr("Read the board again"))
        self.reread_button.setToolTip(self.tr("Read the board's settings again and show a fresh diff."))
        self.reread_button.clicked.connect(self._on_reread)
        buttons.addWidget(self.reread_button)
        buttons.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Cancel — write nothing"))
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.cancel_button)
        self.write_button = QPushButton()
        self.write_button.setStyleSheet(PRIMARY_STYLE)
        self.write_button.clicked.connect(self._on_write)
        buttons.addWidget(self.write_button)
        lay.addLayout(buttons)
        self.stack.addWidget(page)

    def fill_review(self, plan: writer.Plan) -> None:
        self.plan = plan
        n = len(plan.changes)
        if n:
            self.review_title.setText(self.tr("%n change(s) to write, board → new, in write order", "", n))
        else:
            self.review_title.setText(self.tr("Nothing to write"))
        self.source_label.setText(
            self.tr("Requested by: {source}").format(source=self.source) if self.source else ""
        )
        self.source_label.setVisible(bool(self.source))
        t = self.diff_table
        t.setRowCount(n)
        for row, change in enumerate(plan.changes):
            spec = self.spec(change.key)
            t.setItem(row, 0, table_item(str(row + 1), colour=GREY))
            label_item = table_item(setting_label(spec, change.key))
            t.setItem(row, 1, label_item)
            t.setItem(row, 2, table_item(value_text(spec, change.old)))
            t.setItem(row, 3, table_item(value_text(spec, change.new), bold=True))
            t.setItem(row, 4, table_item(change.key, colour=GREY))
        t.resizeRowsToContents()
        if plan.unchanged:
            self.unchanged_label.setText(
                self.tr(
                    "%n requested setting(s) already have the requested value and are left alone.",
                    "",
                    len(plan.unchanged),
                )
            )
        else:
            self.unchanged_label.setText("")
        self.unchanged_label.setVisible(bool(plan.unchanged))

        # findings: blocks in red, advisories each with their own tick
        while self.findings_layout.count():
            item = self.findings_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self._advisory_boxes = {}
        if plan.blocking:
            head = wrap(
                self.tr("Blocked by the safety rules: nothing can be written until the form is changed.")
                + "\n"
                + "\n".join("• " + finding_text(f) for f in plan.blocking),
                BLOCK_STYLE,
            )
            head.setObjectName("blocking")
            self.findings_layout.addWidget(head)
        for finding in plan.advisories:
            self.findings_layout.addWidget(self._advisory_row(finding))
        for text in self._consequences(plan):
            self.findings_layout.addWidget(wrap(text, WARN_STYLE))
        self.findings_area.setVisible(self.findings_layout.count() > 0)
        self.findings_layout.addStretch(1)
        # the diff shows every row up to a third of the screen; the findings get the rest
        rows_h = sum(t.rowHeight(r) for r in range(n)) + t.horizontalHeader().height() + 4
        t.setMaximumHeight(max(90, min(rows_h, 300)))

        folder = settings_files.backup_dir() / PasswordMemory.device(self.session)
        mode = factory_mode(self.session)
        if board_checked(self.session) and mode:
            first = self.tr(
                "1. Packbench asks the board for factory mode, where its settings are "
                "kept. It sends the password only if the board asks for one; if the "
                "board refuses it, nothing is written."
            )
        elif board_checked(self.session):
            first = self.tr(
                "1. Packbench sends the password only if the board asks for one, once; "
                "if the board refuses it, nothing is written."
            )
        else:
            first = self.tr(
                "1. Packbench checks the password against the one the board reports. "
                "If it is wrong, nothing is sent."
            )
        steps = [
            self.tr("When you press Write:"),
            first,
            self.tr("2. It saves all the board's current settings to a backup file in {folder}.").format(
                folder=folder
            ),
            self.tr(
                "3. It writes the changes one at a time, in the order shown, so that every step "
                "leaves valid settings on the board."
            ),
            self.tr(
                "4. After each write it reads the settings back and checks the value. At the "
                "first problem it stops, says what the board has now, and offers to restore "
                "the backup."
            ),
        ]
        if board_checked(self.session) and mode:
            steps.append(
                self.tr(
                    "5. It leaves factory mode, which makes the board save the "
                    "changes (also after a problem or a lost link: the board is never "
                    "left in factory mode), and reads everything back once more."
                )
            )
        elif (
            self.session.protocol.scoped(frozenset(c.key for c in self.plan.changes)).close_write_script(True)
            is not None
        ):
            steps.append(
                self.tr(
                    "5. After the last write it tells the board, once, to store the "
                    "changes, and reads everything back once more."
                )
            )
        self.steps_label.setText("\n".join(steps))
        self.write_button.setText(self.tr("Write %n change(s) to the board", "", n))
        self._update_write_enabled()

    def _advisory_row(self, finding: Finding) -> QWidget:
        frame = QFrame()
        frame.setObjectName("advisory")
        frame.setStyleSheet(
            "QFrame#advisory { background: #fff4d6; border: 1px solid #e6c96b; border-radius: 4px; }"
        )
        lay = QHBoxLayout(frame)
        lay.setContentsMargins(8, 4, 8, 4)
        box = QCheckBox(self.tr("I accept this"))
        box.setToolTip(self.tr("Writing needs your explicit acknowledgement of every warning."))
        box.toggled.connect(self._update_write_enabled)
        text = QLabel(self.tr("Warning — {text}").format(text=finding_text(finding)))
        text.setWordWrap(True)
        text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        lay.addWidget(text, 1)
        lay.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
        self._advisory_boxes[finding.id] = box
        return frame

    def _consequences(self, plan: writer.Plan) -> list[str]:
        """Plain words for changes whose effect on the pack is not obvious from a number
        (a switch change is an advisory of its own, interlocks rule 12)."""
        out = []
        for c in plan.changes:
            if c.key == "cell_count":
                out.append(
                    self.tr(
                        "The cell count changes from {old} to {new}: it must match the "
                        "cells wired to the board."
                    ).format(old=c.old, new=c.new)
                )
        return out

    def advisory_boxes(self) -> dict[str, QCheckBox]:
        return dict(self._advisory_boxes)

    def _update_write_enabled(self) -> None:
        live = not self._lost and self.session.state.value == "live"
        wait = self.gate.wait_s(self.password_box.device)
        ok = (
            live
            and not self._busy
            and bool(self.plan.changes)
            and not self.plan.blocking
            and all(b.isChecked() for b in self._advisory_boxes.values())
            and (bool(self.password_box.password()) or password_optional(self.session))
            and wait <= 0
        )
        self.write_button.setEnabled(ok)
        self.reread_button.setEnabled(live and not self._busy)
        if wait > 0:
            self.write_button.setToolTip(
                self.tr("Too many wrong passwords: wait {s} s.").format(s=f"{wait:.0f}")
            )
        elif self.plan.blocking:
            self.write_button.setToolTip(self.tr("The safety rules above block this write."))
        elif not all(b.isChecked() for b in self._advisory_boxes.values()):
            self.write_button.setToolTip(self.tr("Tick every warning you accept first."))
        elif not self.password_box.password() and not password_optional(self.session):
            self.write_button.setToolTip(self.tr("Enter the setup password first."))
        else:
            self.write_button.setToolTip("")

    def _show_review_error(self, text: str) -> None:
        self.review_error.setText(text)
        self.review_error.setVisible(bool(text))

    def _on_reread(self) -> None:
        self.bridge.spawn(self._reread())

    async def _reread(self) -> None:
        self._busy = True
        self._update_write_enabled()
        try:
            plan = await writer.prepare(self.session, self.plan.wanted, chemistry=self.chemistry)
        except (writer.WriteError, SessionError) as exc:
            self._show_review_error(
                self.tr("Could not read the board: {reason}").format(reason=sentence(str(exc)))
            )
            return
        finally:
            self._busy = False
        self._show_review_error("")
        self.fill_review(plan)

    # --- writing --------------------------------------------------------------------------------------
    def _build_progress(self) -> None:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addStretch(1)
        self.progress_title = QLabel()
        f = self.progress_title.font()
        f.setPointSizeF(f.pointSizeF() * 1.25)
        f.setBold(True)
        self.progress_title.setFont(f)
        lay.addWidget(self.progress_title)
        self.progress_label = QLabel()
        lay.addWidget(self.progress_label)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        lay.addWidget(self.progress)
        note = wrap(
            self.tr(
                "Keep the board connected. “Cancel after this key” lets the key being "
                "written finish and be checked, then stops; nothing after it is "
                "written."
            )
        )
        note.setStyleSheet(f"color: {GREY};")
        lay.addWidget(note)
        row = QHBoxLayout()
        row.addStretch(1)
        self.stop_button = QPushButton(self.tr("Cancel after this key"))
        self.stop_button.clicked.connect(self._on_cancel)
        row.addWidget(self.stop_button)
        lay.addLayout(row)
        lay.addStretch(2)
        self.stack.addWidget(page)

    def _on_cancel(self) -> None:
        if self._cancel is not None and not self._cancel.is_set():
            self._cancel.set()
            self.stop_button.setEnabled(False)
            self.stop_button.setText(self.tr("Stopping after this key …"))

    def _progress_cb(self, i: int, n: int, key: str) -> None:
        self.progress.setMaximum(max(1, n))
        self.progress.setValue(i)
        if key:
            self.progress_label.setText(
                self.tr("Writing {i} of {n}: {setting}").format(
                    i=i + 1, n=n, setting=setting_label(self.spec(key), key)
                )
            )
        else:
            self.progress_label.setText(self.tr("Done: {n} of {n}").format(n=n))

    def _on_write(self) -> None:
        if self._busy or not self.write_button.isEnabled():
            return
        self.bridge.spawn(self._write())

    async def _write(self) -> None:
        password = self.password_box.password()
        acknowledged = {fid for fid, box in self._advisory_boxes.items() if box.isChecked()}
        self._busy = True
        self._cancel = asyncio.Event()
        self.stop_button.setEnabled(True)
        self.stop_button.setText(self.tr("Cancel after this key"))
        self.progress_title.setText(self.tr("Writing to the board — keep it connected"))
        self.progress_label.setText(self.tr("Checking the password and saving a backup …"))
        self.progress.setRange(0, max(1, len(self.plan.changes)))
        self.progress.setValue(0)
        self._show_review_error("")
        self.stack.setCurrentIndex(self.PAGE_PROGRESS)
        try:
            report = await writer.execute(
                self.session,
                self.plan,
                password=password,
                gate=self.gate,
                acknowledged=acknowledged,
                progress=self._progress_cb,
                cancel=self._cancel,
            )
        except writer.PasswordError as exc:
            self._busy = False
            self.stack.setCurrentIndex(self.PAGE_REVIEW)
            self._show_review_error(
                password_problem(exc, self.session, self.gate, self.password_box.device, password)
            )
            self._update_write_enabled()
            return
        except (writer.WriteError, SessionError, OSError) as exc:
            self._busy = False
            self.stack.setCurrentIndex(self.PAGE_REVIEW)
            self._show_review_error(
                self.tr("Nothing was written: {reason}").format(reason=sentence(str(exc)))
            )
            self._update_write_enabled()
            return
        finally:
            self._cancel = None
        self._busy = False
        self._password = password
        problem = self.memory.accepted(self.password_box.device, password, self.password_box.remember())
        self.report = report
        self.backup = report.backup
        self.show_report(report, restoring=False, keychain_problem=problem)
        self.wrote.emit()
        await self.bridge.refresh_settings()  # the table shows what the board has now

    def outcome_text(self) -> tuple[str, bool]:
        """One line for the Parameters page once the dialog is closed (text, all well)."""
        if self.restore_report is not None:
            if self.restore_report.ok:
                return self.tr("Restored the previous settings from the backup."), True
            return self.tr("The restore did not complete: compare the table with the backup {path}.").format(
                path=self.backup
            ), False
        report = self.report
        if report is None:
            return self.tr("Nothing was written."), True
        attempted = [r for r in report.results if r.status != writer.UNCHANGED]
        if report.ok:
            return self.tr(
                "Last write: %n change(s) written and verified. Backup: {path}", "", len(attempted)
            ).format(path=report.backup), True
        return self.tr(
            "Last write stopped: {done} of {total} changes are on the board; the "
            "highlighted rows are not. Backup: {path}"
        ).format(done=len(report.written), total=len(attempted), path=report.backup), False

    # --- report page -----------------------------------------------------------------------------------
    def _build_report(self) -> None:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(8)
        self.report_title = QLabel()
        f = self.report_title.font()
        f.setPointSizeF(f.pointSizeF() * 1.25)
        f.setBold(True)
        self.report_title.setFont(f)
        lay.addWidget(self.report_title)
        self.state_label = wrap()
        lay.addWidget(self.state_label)
        self.report_table = _table(
            [
                self.tr("Setting"),
                self.tr("Before"),
                self.tr("Requested"),
                self.tr("Read back"),
                self.tr("Result"),
            ]
        )
        self.report_table.setColumnWidth(0, 320)
        for col in (1, 2, 3):
            self.report_table.setColumnWidth(col, 120)
        lay.addWidget(self.report_table, 1)
        self.backup_label = wrap()
        lay.addWidget(self.backup_label)
        self.report_note = wrap(style=WARN_STYLE)
        self.report_note.setVisible(False)
        lay.addWidget(self.report_note)
        buttons = QHBoxLayout()
        self.restore_button = QPushButton(self.tr("Restore previous settings from backup"))
        self.restore_button.clicked.connect(self._on_restore)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.accept)
        buttons.addWidget(self.close_button)
        lay.addLayout(buttons)
        self.stack.addWidget(page)

    def show_report(self, report: writer.Report, *, restoring: bool, keychain_problem: str = "") -> None:
        default_pw = self.session.has_default_password
        text, ok = board_state_text(report, self.spec, default_pw)
        if restoring and ok and not report.backup:
            text = self.tr("The board already had the settings of the backup: nothing needed writing.")
        if restoring:
            title = (
                self.tr("Restored: the board has its previous settings again")
                if ok
                else self.tr("The restore did not complete")
            )
        else:
            title = (
                self.tr("Written and verified")
                if ok
                else self.tr("The write stopped — read what the board has now")
            )
        self.report_title.setText(title)
        self.report_title.setStyleSheet(f"color: {GREEN if ok else RED};")
        self.state_label.setText(text)
        self.state_label.setStyleSheet(OK_STYLE if ok else BLOCK_STYLE)
        t = self.report_table
        results = report.results
        t.setRowCount(len(results))
        for row, r in enumerate(results):
            spec = self.spec(r.key)
            colour = STATUS_COLOURS.get(r.status, RED)
            t.setItem(row, 0, table_item(setting_label(spec, r.key)))
            t.setItem(row, 1, table_item(value_text(spec, r.old)))
            t.setItem(row, 2, table_item(value_text(spec, r.new)))
            t.setItem(
                row,
                3,
                table_item(
                    ""
                    if r.readback is None
                    and r.status in (writer.NOT_ATTEMPTED, writer.CANCELLED, writer.FAILED)
                    else value_text(spec, r.readback)
                ),
            )
            status = table_item(
                status_words(r.status),
                colour=colour,
                bold=r.status not in (writer.UNCHANGED, writer.NOT_ATTEMPTED, writer.CANCELLED),
            )
            detail = result_detail(r, spec, default_pw)
            if detail:
                for col in range(5):
                    item = t.item(row, col)
                    if item is not None:
                        item.setToolTip(detail)
                status.setToolTip(detail)
            t.setItem(row, 4, status)
        t.resizeRowsToContents()
        backup = self.backup
        if report.backup:
            self.backup_label.setText(
                self.tr("Backup of the settings before this write: {path}").format(path=report.backup)
            )
        else:
            self.backup_label.setText(self.tr("No backup was needed: nothing was written."))
        written = bool(report.written) or any(r.status == writer.FAILED for r in report.results)
        self.restore_button.setVisible(backup is not None)
        self._update_restore_enabled()
        if restoring:
            self.restore_button.setText(
                self.tr("Try the restore again")
                if not ok
                else self.tr("Restore previous settings from backup")
            )
            self.restore_button.setVisible(backup is not None and not ok)
        elif ok:
            self.restore_button.setText(self.tr("Undo: restore previous settings from backup"))
        else:
            self.restore_button.setText(self.tr("Restore previous settings from backup"))
        self.restore_button.setStyleSheet("" if ok or not written else DANGER_STYLE)
        self.report_note.setText(keychain_problem)
        self.report_note.setVisible(bool(keychain_problem))
        self.stack.setCurrentIndex(self.PAGE_REPORT)

    def _on_restore(self) -> None:
        if self._busy or self.backup is None:
            return
        self.bridge.spawn(self._restore())

    async def _restore(self) -> None:
        assert self.backup is not None
        self._busy = True
        self._cancel = None
        self.progress_title.setText(self.tr("Restoring the previous settings — keep the board connected"))
        self.progress_label.setText(
            self.tr("Writing back the values from {path}").format(path=self.backup.name)
        )
        self.progress.setRange(0, 0)  # busy
        self.stop_button.setEnabled(False)
        self.stack.setCurrentIndex(self.PAGE_PROGRESS)
        try:
            report = await writer.restore(self.session, self.backup, password=self._password, gate=self.gate)
        except (writer.WriteError, SessionError, OSError, ValueError) as exc:
            self._busy = False
            self.stack.setCurrentIndex(self.PAGE_REPORT)
            self.report_note.setText(
                self.tr("Not restored, nothing was written: {reason}").format(reason=sentence(str(exc)))
            )
            self.report_note.setVisible(True)
            self._update_restore_enabled()
            return
        finally:
            self.stop_button.setEnabled(True)
        self._busy = False
        self.restore_report = report
        self.show_report(report, restoring=True)
        self.wrote.emit()
        await self.bridge.refresh_settings()


# --- the board's own preset -------------------------------------------------------------------------


def board_preset_name(action: str) -> str:
    names = {
        "preset_lifepo4": QCoreApplication.translate("BoardPreset", "LiFePO4"),
        "preset_li_ion": QCoreApplication.translate("BoardPreset", "Li-ion"),
        "preset_lto": QCoreApplication.translate("BoardPreset", "LTO"),
    }
    return names.get(action, action)


class BoardPresetDialog(QDialog):
    """Confirm → password → backup → the board's own preset → what it produced."""

    wrote = Signal()

    PAGE_CONFIRM, PAGE_RUNNING, PAGE_RESULT = range(3)

    def __init__(
        self,
        bridge: SessionBridge,
        action: str,
        *,
        gate: writer.PasswordGate,
        memory: PasswordMemory,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        assert bridge.session is not None
        self.bridge = bridge
        self.session: DeviceSession = bridge.session
        self.action = action
        self.gate = gate
        self.memory = memory
        self.result: writer.ActionReport | None = None
        self.restore_report: writer.Report | None = None
        self._password = ""
        self._busy = False
        self._lost = False
        self.schema = {s.key: s for s in self.session.protocol.settings_schema()}
        name = board_preset_name(action)
        self.setWindowTitle(self.tr("Board preset {name} — Packbench").format(name=name))
        self.resize(900, 680)
        self.setSizeGripEnabled(True)
        root = QVBoxLayout(self)
        dev = wrap(device_line(self.session))
        dev.setStyleSheet(f"color: {GREY};")
        root.addWidget(dev)
        self.stack = QStackedWidget()
        root.addWidget(self.stack, 1)

        # confirm
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("Run the board's own {name} preset?").format(name=name))
        f = title.font()
        f.setPointSizeF(f.pointSizeF() * 1.25)
        f.setBold(True)
        title.setFont(f)
        lay.addWidget(title)
        lay.addWidget(
            wrap(
                self.tr(
                    "The board will overwrite its protection settings with its own {name} values. "
                    "Packbench does not know those values in advance; they are read back and shown after."
                ).format(name=name),
                WARN_STYLE,
            )
        )
        lay.addWidget(
            wrap(
                self.tr(
                    "The board's presets follow the vendor's table, not Packbench's presets: for example "
                    "the vendor allows charging down to −20 °C, which plates lithium. Check the values "
                    "shown afterwards, or use a Packbench preset in the form instead."
                )
            )
        )
        lay.addWidget(
            wrap(
                "\n".join(
                    [
                        self.tr("When you press Run:"),
                        self.tr(
                            "1. Packbench checks the password against the one the board reports. If it is "
                            "wrong, nothing is sent."
                        ),
                        self.tr("2. It saves all the board's current settings to a backup file."),
                        self.tr(
                            "3. It sends the preset command, reads the settings back and shows every value "
                            "that changed, with any of Packbench's safety rules the new values break."
                        ),
                    ]
                ),
                INFO_STYLE,
            )
        )
        self.password_box = PasswordBox(self.session, memory)
        self.password_box.changed.connect(self._update_enabled)
        lay.addWidget(self.password_box)
        self.error_label = wrap(style=BLOCK_STYLE)
        self.error_label.setVisible(False)
        lay.addWidget(self.error_label)
        lay.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        cancel = QPushButton(self.tr("Cancel — send nothing"))
        cancel.clicked.connect(self.reject)
        row.addWidget(cancel)
        self.run_button = QPushButton(self.tr("Run the board's {name} preset").format(name=name))
        self.run_button.setStyleSheet(PRIMARY_STYLE)
        self.run_button.clicked.connect(self._on_run)
        row.addWidget(self.run_button)
        lay.addLayout(row)
        self.stack.addWidget(page)

        # running
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addStretch(1)
        self.running_label = QLabel(self.tr("Sending the preset command and reading the settings back …"))
        lay.addWidget(self.running_label)
        bar = QProgressBar()
        bar.setRange(0, 0)
        lay.addWidget(bar)
        lay.addStretch(2)
        self.stack.addWidget(page)

        # result
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        self.result_title = QLabel()
        self.result_title.setFont(f)
        lay.addWidget(self.result_title)
        self.result_state = wrap()
        lay.addWidget(self.result_state)
        self.result_table = _table(
            [self.tr("Setting"), self.tr("Before"), self.tr("After (read back)"), self.tr("Key")]
        )
        self.result_table.setColumnWidth(0, 330)
        self.result_table.setColumnWidth(1, 130)
        self.result_table.setColumnWidth(2, 150)
        lay.addWidget(self.result_table, 1)
        self.findings_label = wrap(style=WARN_STYLE)
        lay.addWidget(self.findings_label)
        self.backup_label = wrap()
        lay.addWidget(self.backup_label)
        row = QHBoxLayout()
        self.restore_button = QPushButton(self.tr("Restore previous settings from backup"))
        self.restore_button.clicked.connect(self._on_restore)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        row.addWidget(close)
        lay.addLayout(row)
        self.stack.addWidget(page)

        self._timer = QTimer(self)
        self._timer.setInterval(current_timing().recheck_ms)
        self._timer.timeout.connect(self._update_enabled)
        self._timer.start()
        bridge.sessionChanged.connect(self._on_session_changed)
        bridge.stateChanged.connect(self._on_state)
        self._update_enabled()

    def _on_state(self, state: str, _detail: str) -> None:
        self._update_enabled()
        self.restore_button.setEnabled(not self._lost and not self._busy and state == "live")

    def _on_session_changed(self, session: object) -> None:
        if session is not self.session:
            self._lost = True
            self._update_enabled()
            self.restore_button.setEnabled(False)

    def reject(self) -> None:
        if self._busy:
            return
        super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802
        if self._busy:
            event.ignore()
            return
        super().closeEvent(event)

    def _update_enabled(self) -> None:
        wait = self.gate.wait_s(self.password_box.device)
        self.run_button.setEnabled(
            not self._busy
            and not self._lost
            and self.session.state.value == "live"
            and (bool(self.password_box.password()) or password_optional(self.session))
            and wait <= 0
        )

    def _on_run(self) -> None:
        if self._busy or not self.run_button.isEnabled():
            return
        self.bridge.spawn(self._run())

    async def _run(self) -> None:
        password = self.password_box.password()
        self._busy = True
        self.error_label.setVisible(False)
        self.stack.setCurrentIndex(self.PAGE_RUNNING)
        try:
            result = await writer.run_board_preset(
                self.session, self.action, password=password, gate=self.gate
            )
        except writer.PasswordError as exc:
            self._busy = False
            self.stack.setCurrentIndex(self.PAGE_CONFIRM)
            self.error_label.setText(
                password_problem(exc, self.session, self.gate, self.password_box.device, password)
            )
            self.error_label.setVisible(True)
            self._update_enabled()
            return
        except (writer.WriteError, SessionError, OSError) as exc:
            self._busy = False
            self.stack.setCurrentIndex(self.PAGE_CONFIRM)
            self.error_label.setText(self.tr("Nothing was sent: {reason}").format(reason=sentence(str(exc))))
            self.error_label.setVisible(True)
            self._update_enabled()
            return
        self._busy = False
        self._password = password
        problem = self.memory.accepted(self.password_box.device, password, self.password_box.remember())
        self.result = result
        self.show_result(result, problem)
        self.wrote.emit()

    def show_result(self, result: writer.ActionReport, keychain_problem: str = "") -> None:
        name = board_preset_name(result.action)
        t = self.result_table
        changes = result.changes
        t.setRowCount(len(changes))
        for row, c in enumerate(changes):
            spec = self.schema.get(c.key)
            t.setItem(row, 0, table_item(setting_label(spec, c.key)))
            t.setItem(row, 1, table_item(value_text(spec, c.old)))
            t.setItem(row, 2, table_item(value_text(spec, c.new), bold=True))
            t.setItem(row, 3, table_item(c.key, colour=GREY))
        t.resizeRowsToContents()
        if result.after is None:
            self.result_title.setText(self.tr("The link failed during the preset command"))
            self.result_title.setStyleSheet(f"color: {RED};")
            self.result_state.setText(
                self.tr(
                    "The board may or may not have applied its preset. Reconnect and look at the "
                    "Parameters page, or restore the backup."
                )
            )
            self.result_state.setStyleSheet(BLOCK_STYLE)
        elif not changes:
            self.result_title.setText(self.tr("The board's {name} preset changed nothing").format(name=name))
            self.result_title.setStyleSheet(f"color: {GREY};")
            if result.acknowledged:
                text = self.tr("The board acknowledged the command, and its settings read back unchanged.")
            elif not self.session.protocol.acknowledges_writes:
                text = self.tr(
                    "This board answers commands with nothing, and its settings read "
                    "back unchanged: it did not take the preset."
                )
            else:
                text = self.tr(
                    "The board did not acknowledge the command, and its settings read back unchanged."
                )
            self.result_state.setText(text)
            self.result_state.setStyleSheet(INFO_STYLE)
        else:
            self.result_title.setText(
                self.tr("The board's {name} preset changed %n setting(s)", "", len(changes)).format(name=name)
            )
            self.result_title.setStyleSheet(f"color: {GREEN};")
            self.result_state.setText(
                self.tr("Read back from the board after the command: these are the values it has now.")
            )
            self.result_state.setStyleSheet(OK_STYLE)
        if result.findings:
            self.findings_label.setText(
                self.tr(
                    "The board's values break these Packbench rules — check them, change them "
                    "in the form, or restore the backup:"
                )
                + "\n"
                + "\n".join("• " + finding_text(f) for f in result.findings)
            )
        else:
            self.findings_label.setText("")
        self.findings_label.setVisible(bool(result.findings) or bool(keychain_problem))
        if keychain_problem:
            self.findings_label.setText((self.findings_label.text() + "\n" + keychain_problem).strip())
        self.backup_label.setText(
            self.tr("Backup of the settings before the preset: {path}").format(path=result.backup)
            if result.backup
            else ""
        )
        self.restore_button.setVisible(result.backup is not None and (bool(changes) or result.after is None))
        self.restore_button.setEnabled(not self._lost and self.session.state.value == "live")
        self.stack.setCurrentIndex(self.PAGE_RESULT)

    def outcome_text(self) -> tuple[str, bool]:
        """One line for the Parameters page once the dialog is closed (text, all well)."""
        if self.restore_report is not None:
            if self.restore_report.ok:
                return self.tr("Restored the previous settings from the backup."), True
            return self.tr("The restore did not complete."), False
        result = self.result
        if result is None:
            return self.tr("Nothing was sent."), True
        if result.after is None:
            return self.tr(
                "The link failed during the board's preset: its state is unknown. Backup: {path}"
            ).format(path=result.backup), False
        return self.tr(
            "The board's {name} preset changed %n setting(s). Backup: {path}", "", len(result.changes)
        ).format(name=board_preset_name(result.action), path=result.backup), True

    def _on_restore(self) -> None:
        if self._busy or self.result is None or self.result.backup is None:
            return
        self.bridge.spawn(self._restore())

    async def _restore(self) -> None:
        assert self.result is not None and self.result.backup is not None
        self._busy = True
        self.running_label.setText(self.tr("Restoring the previous settings …"))
        self.stack.setCurrentIndex(self.PAGE_RUNNING)
        try:
            report = await writer.restore(
                self.session, self.result.backup, password=self._password, gate=self.gate
            )
        except (writer.WriteError, SessionError, OSError, ValueError) as exc:
            self._busy = False
            self.stack.setCurrentIndex(self.PAGE_RESULT)
            self.findings_label.setText(
                self.tr("Not restored, nothing was written: {reason}").format(reason=sentence(str(exc)))
            )
            self.findings_label.setVisible(True)
            return
        self._busy = False
        self.restore_report = report
        spec_of = self.schema.get
        text, ok = board_state_text(report, spec_of, self.session.has_default_password)
        self.result_title.setText(
            self.tr("Restored: the board has its previous settings again")
            if ok
            else self.tr("The restore did not complete")
        )
        self.result_title.setStyleSheet(f"color: {GREEN if ok else RED};")
        self.result_state.setText(text)
        self.result_state.setStyleSheet(OK_STYLE if ok else BLOCK_STYLE)
        self.restore_button.setVisible(not ok)
        self.stack.setCurrentIndex(self.PAGE_RESULT)
        self.wrote.emit()
        await self.bridge.refresh_settings()
