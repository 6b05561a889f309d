"""The write transaction on screen: review → password → progress → per-key report.

``WriteDialog`` (opened with ``open()``, never ``exec()``, shared/stack.md P2) drives the
services in app/services/writer.py through the bridge's tracked tasks: the board → new
diff in write order, the interlocks (hard rules block, each advisory needs its own tick),
the password gate, then the ordered writes with progress and "cancel after this key",
then the per-key report with the board's state in plain words and a restore from the
backup.  Its pages are their own modules: write_review.py (the review) and
write_report.py (the report, and the words of the outcome).

No coroutine here waits for a person: every step starts from a button.  Passwords stay
in memory (and in the OS keychain when asked), never in files (password.py).

The board's own one-click preset has its dialog in board_preset_dialog.py.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..model import SettingSpec
from ..services import writer
from ..services.keychain import PasswordMemory
from ..session import DeviceSession, SessionError
from ..timing import current as current_timing
from .bridge import SessionBridge
from .dialog_size import PageStack, fit_to_content
from .password import password_optional, password_problem
from .setting_format import setting_label
from .theme import GREY, wrap
from .widgets import sentence
from .write_report import ReportPage, device_line, title_label
from .write_review import ReviewPage

log = logging.getLogger("packbench.ui.write")

#: the narrowest the dialog gets: the diff's columns side by side
MIN_WIDTH = 720


class ProgressPage(QWidget):
    """Writing (or restoring): which key, how far, and "cancel after this key"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        self.progress_title = title_label()
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
        row.addWidget(self.stop_button)
        lay.addLayout(row)
        lay.addStretch(2)

    def start(self, title: str, text: str, steps: int) -> None:
        """``steps`` 0: busy without a count (a restore)."""
        self.progress_title.setText(title)
        self.progress_label.setText(text)
        self.progress.setRange(0, steps)
        self.progress.setValue(0)

    def stopping(self) -> None:
        self.stop_button.setEnabled(False)
        self.stop_button.setText(self.tr("Stopping after this key …"))

    def can_stop(self, on: bool) -> None:
        self.stop_button.setEnabled(on)
        self.stop_button.setText(self.tr("Cancel after this key"))


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
        missing: Mapping[str, Any] | None = None,
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
        #: the preset's values this board has no setting for (the review names them)
        self.missing = dict(missing or {})
        self.report: writer.Report | None = None
        self.restore_report: writer.Report | None = None
        self.backup: Path | None = None
        self._password = ""
        self._busy = False
        self._cancel: asyncio.Event | None = None
        self._lost = False
        self.setWindowTitle(self.tr("Review and write — Packbench"))
        self.setSizeGripEnabled(True)
        self._build()
        self.fill_review(plan)

        self._timer = QTimer(self)
        self._timer.setInterval(current_timing().recheck_ms)
        self._timer.timeout.connect(self._update_write_enabled)
        self._timer.start()
        bridge.sessionChanged.connect(self._on_session_changed)
        bridge.stateChanged.connect(self._on_state)

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setSpacing(8)
        self.device_label = wrap(device_line(self.session))
        self.device_label.setStyleSheet(f"color: {GREY};")
        root.addWidget(self.device_label)
        self.stack = PageStack()
        root.addWidget(self.stack, 1)
        self.review = ReviewPage(self.session, self.memory)
        self.review.writeClicked.connect(self._on_write)
        self.review.rereadClicked.connect(self._on_reread)
        self.review.cancelClicked.connect(self.reject)
        self.review.changed.connect(self._update_write_enabled)
        self.progress_page = ProgressPage()
        self.progress_page.stop_button.clicked.connect(self._on_cancel)
        self.report_page = ReportPage()
        self.report_page.restoreClicked.connect(self._on_restore)
        self.report_page.closeClicked.connect(self.accept)
        for page in (self.review, self.progress_page, self.report_page):
            self.stack.addWidget(page)
        # the widgets by their names (the tests and the pages' callers use them)
        for page, names in (
            (self.review, ("review_title", "diff_table", "steps_label", "password_box", "review_error")),
            (self.review, ("reread_button", "cancel_button", "write_button", "findings_layout")),
            (self.progress_page, ("progress_title", "progress_label", "progress", "stop_button")),
            (self.report_page, ("report_title", "state_label", "report_table", "backup_label")),
            (self.report_page, ("report_note", "restore_button", "close_button")),
        ):
            for name in names:
                setattr(self, name, getattr(page, name))

    def show_page(self, index: int) -> None:
        """Show a page and fit the dialog to it (within the screen); the progress page
        keeps the size it gets."""
        self.stack.setCurrentIndex(index)
        if index != self.PAGE_PROGRESS:
            table = self.diff_table if index == self.PAGE_REVIEW else self.report_table
            fit_to_content(self, min_width=MIN_WIDTH, tables=[table])

    # --- helpers ------------------------------------------------------------------------------------
    def spec(self, key: str) -> SettingSpec | None:
        return next((s for s in self.plan.schema if s.key == key), None)

    def advisory_boxes(self) -> dict:
        return dict(self.review.advisory_boxes)

    def _on_state(self, _state: str, _detail: str) -> None:
        self._update_write_enabled()
        self._update_restore_enabled()

    def _live(self) -> bool:
        return not self._lost and self.session.state.value == "live"

    def _update_restore_enabled(self) -> None:
        live = self._live()
        self.restore_button.setEnabled(self.backup is not None and live and not self._busy)
        self.restore_button.setToolTip(
            "" if live else self.tr("Waiting for the board: the restore needs a live connection.")
        )

    def _on_session_changed(self, session: object) -> None:
        if session is not self.session:
            self._lost = True
            self.review.show_error(
                self.tr("The board was disconnected: nothing more can be written from this dialog.")
            )
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

    # --- review -------------------------------------------------------------------------------------
    def fill_review(self, plan: writer.Plan) -> None:
        self.plan = plan
        self.review.fill(plan, source=self.source, missing=self.missing, spec_of=self.spec)
        self._update_write_enabled()
        self.show_page(self.PAGE_REVIEW)

    def _update_write_enabled(self) -> None:
        live = self._live()
        wait = self.gate.wait_s(self.password_box.device)
        acknowledged = self.review.all_acknowledged()
        password = bool(self.password_box.password()) or password_optional(self.session)
        ok = (
            live
            and not self._busy
            and bool(self.plan.changes)
            and not self.plan.blocking
            and acknowledged
            and password
            and wait <= 0
        )
        self.write_button.setEnabled(ok)
        self.reread_button.setEnabled(live and not self._busy)
        if wait > 0:
            tip = self.tr("Too many wrong passwords: wait {s} s.").format(s=f"{wait:.0f}")
        elif self.plan.blocking:
            tip = self.tr("The safety rules above block this write.")
        elif not acknowledged:
            tip = self.tr("Tick every warning you accept first.")
        elif not password:
            tip = self.tr("Enter the setup password first.")
        else:
            tip = ""
        self.write_button.setToolTip(tip)

    def _on_reread(self) -> None:
        self.bridge.spawn(self._reread())

    async def _reread(self) -> None:
        self._busy = True
        self._update_write_enabled()
        try:
            plan = await writer.prepare(self.session, self.plan.wanted, chemistry=self.chemistry)
        except (writer.WriteError, SessionError) as exc:
            self.review.show_error(
                self.tr("Could not read the board: {reason}").format(reason=sentence(str(exc)))
            )
            return
        finally:
            self._busy = False
        self.review.show_error("")
        self.fill_review(plan)

    # --- writing --------------------------------------------------------------------------------------
    def _on_cancel(self) -> None:
        if self._cancel is not None and not self._cancel.is_set():
            self._cancel.set()
            self.progress_page.stopping()

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

    def _back_to_review(self, text: str) -> None:
        """The write did not start (a wrong password, the link): say why on the review."""
        self._busy = False
        self.show_page(self.PAGE_REVIEW)
        self.review.show_error(text)
        self._update_write_enabled()

    async def _write(self) -> None:
        password = self.password_box.password()
        self._busy = True
        self._cancel = asyncio.Event()
        self.progress_page.can_stop(True)
        self.progress_page.start(
            self.tr("Writing to the board — keep it connected"),
            self.tr("Checking the password and saving a backup …"),
            max(1, len(self.plan.changes)),
        )
        self.review.show_error("")
        self.show_page(self.PAGE_PROGRESS)
        try:
            report = await writer.execute(
                self.session,
                self.plan,
                password=password,
                gate=self.gate,
                acknowledged=self.review.acknowledged(),
                progress=self._progress_cb,
                cancel=self._cancel,
            )
        except writer.PasswordError as exc:
            device = self.password_box.device
            self._back_to_review(password_problem(exc, self.session, self.gate, device, password))
            return
        except (writer.WriteError, SessionError, OSError) as exc:
            self._back_to_review(self.tr("Nothing was written: {reason}").format(reason=sentence(str(exc))))
            return
        finally:
            self._cancel = None
        self._busy = False
        self._password = password
        problem = self.password_box.accepted()
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

    # --- report -----------------------------------------------------------------------------------
    def show_report(self, report: writer.Report, *, restoring: bool, keychain_problem: str = "") -> None:
        ok = self.report_page.show_report(
            report, restoring=restoring, spec_of=self.spec, default_password=self.session.has_default_password
        )
        written = bool(report.written) or any(r.status == writer.FAILED for r in report.results)
        self.report_page.set_restore(
            restoring=restoring, ok=ok, backup=self.backup is not None, written=written
        )
        self._update_restore_enabled()
        self.report_page.show_note(keychain_problem)
        self.show_page(self.PAGE_REPORT)

    def _on_restore(self) -> None:
        if self._busy or self.backup is None:
            return
        self.bridge.spawn(self._restore())

    async def _restore(self) -> None:
        assert self.backup is not None
        self._busy = True
        self._cancel = None
        self.progress_page.start(
            self.tr("Restoring the previous settings — keep the board connected"),
            self.tr("Writing back the values from {path}").format(path=self.backup.name),
            0,  # busy
        )
        self.stop_button.setEnabled(False)
        self.show_page(self.PAGE_PROGRESS)
        try:
            report = await writer.restore(self.session, self.backup, password=self._password, gate=self.gate)
        except (writer.WriteError, SessionError, OSError, ValueError) as exc:
            self._busy = False
            self.show_page(self.PAGE_REPORT)
            self.report_page.show_note(
                self.tr("Not restored, nothing was written: {reason}").format(reason=sentence(str(exc)))
            )
            self._update_restore_enabled()
            return
        finally:
            self.stop_button.setEnabled(True)
        self._busy = False
        self.restore_report = report
        self.show_report(report, restoring=True)
        self.wrote.emit()
        await self.bridge.refresh_settings()
