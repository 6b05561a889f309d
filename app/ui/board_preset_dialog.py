"""The board's own one-click preset (JK02_32S registers 0x68–0x6A, ANT's preset commands):
a confirmation that says Packbench cannot know its values, the password gate, the backup,
the command, and the values it produced, read back, beside the Packbench rules they break
(shared/presets.md: "the result must be read back and shown").

Opened with ``open()``, never ``exec()`` (shared/stack.md P2); every step starts from a button.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..services import writer
from ..services.keychain import PasswordMemory
from ..session import DeviceSession, SessionError
from ..timing import current as current_timing
from .bridge import SessionBridge
from .dialog_size import PageStack, fit_to_content
from .password import PasswordBox, password_optional, password_problem
from .setting_format import finding_text, setting_label, value_text
from .theme import (
    BLOCK_STYLE,
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
from .write_report import board_state_text, device_line, fit_table_height, result_table, title_label

#: the narrowest the dialog gets: its table's columns side by side
MIN_WIDTH = 680


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
        self.setSizeGripEnabled(True)
        root = QVBoxLayout(self)
        dev = wrap(device_line(self.session))
        dev.setStyleSheet(f"color: {GREY};")
        root.addWidget(dev)
        self.stack = PageStack()
        root.addWidget(self.stack, 1)
        self.stack.addWidget(self._build_confirm(name))
        self.stack.addWidget(self._build_running())
        self.stack.addWidget(self._build_result())

        self._timer = QTimer(self)
        self._timer.setInterval(current_timing().recheck_ms)
        self._timer.timeout.connect(self._update_enabled)
        self._timer.start()
        bridge.sessionChanged.connect(self._on_session_changed)
        bridge.stateChanged.connect(self._on_state)
        self._update_enabled()
        self.show_page(self.PAGE_CONFIRM)

    def show_page(self, index: int) -> None:
        """Show a page and fit the dialog to it, within the screen."""
        self.stack.setCurrentIndex(index)
        if index != self.PAGE_RUNNING:
            tables = [self.result_table] if index == self.PAGE_RESULT else []
            fit_to_content(self, min_width=MIN_WIDTH, tables=tables)

    def _build_confirm(self, name: str) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        title = title_label()
        title.setText(self.tr("Run the board's own {name} preset?").format(name=name))
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
        lay.addWidget(wrap(self._run_steps(), INFO_STYLE))
        self.password_box = PasswordBox(self.memory, self.session)
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
        return page

    def _run_steps(self) -> str:
        return "\n".join(
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
        )

    def _build_running(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addStretch(1)
        self.running_label = QLabel(self.tr("Sending the preset command and reading the settings back …"))
        lay.addWidget(self.running_label)
        bar = QProgressBar()
        bar.setRange(0, 0)
        lay.addWidget(bar)
        lay.addStretch(2)
        return page

    def _build_result(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        self.result_title = title_label()
        lay.addWidget(self.result_title)
        self.result_state = wrap()
        lay.addWidget(self.result_state)
        self.result_table = result_table(
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
        return page

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
        self.show_page(self.PAGE_RUNNING)
        try:
            result = await writer.run_board_preset(
                self.session, self.action, password=password, gate=self.gate
            )
        except writer.PasswordError as exc:
            self._busy = False
            self.show_page(self.PAGE_CONFIRM)
            self.error_label.setText(
                password_problem(exc, self.session, self.gate, self.password_box.device, password)
            )
            self.error_label.setVisible(True)
            self._update_enabled()
            return
        except (writer.WriteError, SessionError, OSError) as exc:
            self._busy = False
            self.show_page(self.PAGE_CONFIRM)
            self.error_label.setText(self.tr("Nothing was sent: {reason}").format(reason=sentence(str(exc))))
            self.error_label.setVisible(True)
            self._update_enabled()
            return
        self._busy = False
        self._password = password
        problem = self.password_box.accepted()
        self.result = result
        self.show_result(result, problem)
        self.wrote.emit()

    def show_result(self, result: writer.ActionReport, keychain_problem: str = "") -> None:
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
        fit_table_height(t, most=360)
        title, colour, text, style = self._result_words(result)
        self.result_title.setText(title)
        self.result_title.setStyleSheet(f"color: {colour};")
        self.result_state.setText(text)
        self.result_state.setStyleSheet(style)
        notes = []
        if result.findings:
            notes.append(
                self.tr(
                    "The board's values break these Packbench rules — check them, change them "
                    "in the form, or restore the backup:"
                )
                + "\n"
                + "\n".join("• " + finding_text(f) for f in result.findings)
            )
        if keychain_problem:
            notes.append(keychain_problem)
        self.findings_label.setText("\n".join(notes))
        self.findings_label.setVisible(bool(notes))
        self.backup_label.setText(
            self.tr("Backup of the settings before the preset: {path}").format(path=result.backup)
            if result.backup
            else ""
        )
        self.restore_button.setVisible(result.backup is not None and (bool(changes) or result.after is None))
        self.restore_button.setEnabled(not self._lost and self.session.state.value == "live")
        self.show_page(self.PAGE_RESULT)

    def _result_words(self, result: writer.ActionReport) -> tuple[str, str, str, str]:
        """(title, its colour, what the board did in words, the note's style)."""
        name = board_preset_name(result.action)
        if result.after is None:
            return (
                self.tr("The link failed during the preset command"),
                RED,
                self.tr(
                    "The board may or may not have applied its preset. Reconnect and look at the "
                    "Parameters page, or restore the backup."
                ),
                BLOCK_STYLE,
            )
        if result.changes:
            return (
                self.tr("The board's {name} preset changed %n setting(s)", "", len(result.changes)).format(
                    name=name
                ),
                GREEN,
                self.tr("Read back from the board after the command: these are the values it has now."),
                OK_STYLE,
            )
        if result.acknowledged:
            text = self.tr("The board acknowledged the command, and its settings read back unchanged.")
        elif not self.session.protocol.acknowledges_writes:
            text = self.tr(
                "This board answers commands with nothing, and its settings read "
                "back unchanged: it did not take the preset."
            )
        else:
            text = self.tr("The board did not acknowledge the command, and its settings read back unchanged.")
        return self.tr("The board's {name} preset changed nothing").format(name=name), GREY, text, INFO_STYLE

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
        self.show_page(self.PAGE_RUNNING)
        try:
            report = await writer.restore(
                self.session, self.result.backup, password=self._password, gate=self.gate
            )
        except (writer.WriteError, SessionError, OSError, ValueError) as exc:
            self._busy = False
            self.show_page(self.PAGE_RESULT)
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
        self.show_page(self.PAGE_RESULT)
        self.wrote.emit()
        await self.bridge.refresh_settings()
