"""File → Jobs…: run a batch job from the window (issue 19), one pack after another.

The same run as ``packbench batch`` (services/batch.py ``Run``, services/batch_files.py
for the summary CSV and the customer's password export): a job file (its problem said in
one line), where the packs come from (the device URLs given, one per line; the Bluetooth
boards a scan finds; or one port whose pack the operator swaps, asked before each next
pack: services/batch_sources.py, as the CLI), Start / Pause–Resume / Skip this pack / Stop,
a row per pack that says what happened to it in words, the pack in hand's stage and its
rest countdown, and at the end the summary CSV with a button that opens its folder.

Each pack opens its own link (the service's session), so a run is refused while the
window itself is connected to a board, and the window does not connect while a run goes
on (``SessionBridge.busy``): two sessions on one link would fight.  Stop ends
the pack in hand as the write transaction says (the service's interruption), then the run;
Skip ends the pack in hand the same way and the run goes on; Pause lets the pack in hand
finish and holds the next one until Resume.  Closed and started again, a job skips the
packs the registry knows are done.
"""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ..services import batch, batch_files, batch_sources, jobs, packlog
from ..services.sealing import REST_A
from . import dialog_size
from .bridge import SessionBridge
from .control_widgets import ResultLine
from .theme import AMBER, BLUE, GREEN, GREY, RED, table_item

RESULT_COLOURS = {batch.PASSED: GREEN, batch.NOT_PASSED: AMBER, batch.FAILED: RED, batch.SKIPPED: GREY}
PACK, SERIAL, RESULT, TIME, REPORT = range(5)
#: where the packs come from
URLS, SCAN, SWAP = "urls", "scan", "swap"


def _write_files(report: dict[str, Any], out: Path | None, password: str | None) -> dict[str, Path]:
    from ..rendering.report_files import write_files

    return write_files(report, out, password)


class JobsDialog(QDialog):
    def __init__(
        self, bridge: SessionBridge, parent: QWidget | None = None, *, out: Path | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Jobs"))
        self.bridge = bridge
        #: where reports and the summary go (default: the data folder's jobs/JOB/)
        self.out = out
        self.job: jobs.Job | None = None
        self.runner: batch.Run | None = None
        self.task: asyncio.Task | None = None
        self.folder: Path | None = None
        #: the last run's summary CSV
        self.summary_csv: Path | None = None
        self._stopping = False
        #: the operator's answer while a swapped pack is awaited (True: the next one is connected)
        self._answer: asyncio.Future[bool] | None = None
        self._rows: list[batch.PackResult | None] = []
        self._dialogs: list[QFileDialog] = []
        lay = QVBoxLayout(self)
        lay.addLayout(self._build_job_row())
        self.job_line = ResultLine()
        lay.addWidget(self.job_line)
        lay.addLayout(self._build_source_row())
        self.urls_label = QLabel()
        lay.addWidget(self.urls_label)
        self.urls = QPlainTextEdit()
        self.urls.setPlaceholderText("socket://192.168.1.20:8899?protocol=jbd")
        self.urls.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        lay.addWidget(self.urls)
        lay.addLayout(self._build_run_row())
        lay.addWidget(self._build_swap_row())
        self._source_changed()
        self._set_busy(False)
        self.problem = ResultLine()
        lay.addWidget(self.problem)
        self.countdown = QLabel()
        self.countdown.setStyleSheet(f"color: {BLUE};")
        lay.addWidget(self.countdown)
        self.table = self._build_table()
        lay.addWidget(self.table, 1)
        lay.addLayout(self._build_end_row())
        area = dialog_size.available_geometry(self)
        self.resize(min(980, area.width() - 16), min(640, area.height() - 40))

    def _build_job_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Job file:")))
        self.job_path = QLineEdit()
        self.job_path.setPlaceholderText(self.tr("a job file (TOML or JSON)"))
        self.job_path.editingFinished.connect(lambda: self.load_job(self.job_path.text()))
        row.addWidget(self.job_path, 1)
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self.ask_job_file)
        row.addWidget(choose)
        return row

    def _build_source_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Packs from:")))
        self.source = QComboBox()
        self.source.addItem(self.tr("these device URLs"), URLS)
        self.source.addItem(self.tr("Bluetooth: scan for boards"), SCAN)
        self.source.addItem(self.tr("one port, swap packs"), SWAP)
        self.source.currentIndexChanged.connect(self._source_changed)
        row.addWidget(self.source)
        self.scan_label = QLabel(self.tr("Listen for:"))
        row.addWidget(self.scan_label)
        self.scan_seconds = QDoubleSpinBox()
        self.scan_seconds.setRange(0.1, 60.0)
        self.scan_seconds.setValue(5.0)
        self.scan_seconds.setSuffix(self.tr(" s"))
        row.addWidget(self.scan_seconds)
        row.addStretch(1)
        return row

    def _build_run_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.start_button = QPushButton(self.tr("Start"))
        self.start_button.clicked.connect(self.start)
        self.pause_button = QPushButton(self.tr("Pause"))
        self.pause_button.setToolTip(self.tr("The pack in hand finishes; the next one waits until Resume."))
        self.pause_button.clicked.connect(self.toggle_pause)
        self.skip_button = QPushButton(self.tr("Skip this pack"))
        self.skip_button.setToolTip(
            self.tr("Ends only the pack in hand (the board is left as the write says); the run goes on.")
        )
        self.skip_button.clicked.connect(self.skip)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.clicked.connect(self.stop)
        for button in (self.start_button, self.pause_button, self.skip_button, self.stop_button):
            row.addWidget(button)
        self.stage = QLabel(self.tr("Not running."))
        self.stage.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.stage, 1)
        return row

    def _build_swap_row(self) -> QWidget:
        """The operator's turn between swapped packs: connect the next one, or finish."""
        self.swap_box = QWidget()
        row = QHBoxLayout(self.swap_box)
        row.setContentsMargins(0, 0, 0, 0)
        self.swap_line = QLabel()
        self.swap_line.setWordWrap(True)
        self.swap_line.setStyleSheet(f"color: {BLUE}; font-weight: bold;")
        row.addWidget(self.swap_line, 1)
        self.next_button = QPushButton(self.tr("Next pack connected"))
        self.next_button.clicked.connect(lambda: self._answered(True))
        self.finish_button = QPushButton(self.tr("Finish"))
        self.finish_button.clicked.connect(lambda: self._answered(False))
        row.addWidget(self.next_button)
        row.addWidget(self.finish_button)
        self.swap_box.hide()
        return self.swap_box

    def _build_table(self) -> QTableWidget:
        headers = [
            self.tr("Pack"),
            self.tr("Serial number"),
            self.tr("Result"),
            self.tr("Time"),
            self.tr("Report"),
        ]
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setWordWrap(True)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(RESULT, QHeaderView.ResizeMode.Stretch)
        table.cellActivated.connect(lambda row, _col: self.open_report(row))
        table.cellDoubleClicked.connect(lambda row, _col: self.open_report(row))
        return table

    def _build_end_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.summary, 1)
        self.folder_button = QPushButton(self.tr("Open its folder"))
        self.folder_button.setEnabled(False)
        self.folder_button.clicked.connect(self.open_folder)
        row.addWidget(self.folder_button)
        return row

    # --- the job file -----------------------------------------------------------------
    def ask_job_file(self) -> None:
        dlg = QFileDialog(
            self, self.tr("Choose a job file"), "", self.tr("Job files (*.toml *.json);;All files (*)")
        )
        dlg.setFileMode(QFileDialog.FileMode.ExistingFile)
        self._dialogs.append(dlg)
        dlg.fileSelected.connect(self.set_job_file)
        dlg.finished.connect(lambda _r, d=dlg: self._dialogs.remove(d) if d in self._dialogs else None)
        dlg.open()  # non-modal (shared/stack.md P2)

    def set_job_file(self, path: str) -> jobs.Job | None:
        self.job_path.setText(path)
        return self.load_job(path)

    def load_job(self, path: str) -> jobs.Job | None:
        """The job file, checked: what it asks for, or its problem, in one line."""
        self.job = None
        if not path.strip():
            self.job_line.bad(self.tr("Choose a job file first."))
            return None
        try:
            job = jobs.load(path.strip())
        except jobs.JobError as exc:
            self.job_line.bad(self.tr("This job file cannot be used: {why}").format(why=exc))
            return None
        rest = self.tr("{s:g} s").format(s=job.rest_s) if job.rest_s is not None else self.tr("the default")
        self.job_line.info(
            self.tr(
                "Job {ref}: {target}; operator {operator}; rest before the sealing checks: {rest}"
            ).format(ref=job.ref, target=job.target_name(), operator=job.operator, rest=rest)
        )
        self.job = job
        return job

    # --- where the packs come from ----------------------------------------------------------
    def source_kind(self) -> str:
        return str(self.source.currentData())

    def set_source(self, kind: str) -> None:
        self.source.setCurrentIndex(self.source.findData(kind))

    def _source_changed(self, _index: int = 0) -> None:
        kind = self.source_kind()
        self.scan_label.setVisible(kind == SCAN)
        self.scan_seconds.setVisible(kind == SCAN)
        self.urls.setEnabled(kind != SCAN)
        self.urls_label.setText(
            {
                URLS: self.tr("Device URLs, one pack per line (serial port, socket:// or sim://):"),
                SCAN: self.tr(
                    "The Bluetooth boards advertising a known family are taken, strongest signal first; "
                    "a board already done in this job is refused once it is identified."
                ),
                SWAP: self.tr(
                    "The one port the packs are swapped on (one device URL); after each pack you are "
                    "asked to connect the next one:"
                ),
            }[kind]
        )

    # --- the run -----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    def refusal(self) -> str | None:
        """Why a run cannot start now, in words (None: it can)."""
        if self.running:
            return self.tr("A run is going on: stop it first.")
        if self.bridge.state != "disconnected":
            return self.tr(
                "Not started: the window is connected to a board. Disconnect it first (Connection tab): "
                "each pack of a job opens its own link."
            )
        kind = self.source_kind()
        if kind == URLS and not self.url_list():
            return self.tr("Not started: give the device URL of each pack, one per line.")
        if kind == SWAP and len(self.url_list()) != 1:
            return self.tr("Not started: give exactly one device URL, the port the packs are swapped on.")
        if packlog.path() is None or packlog.open_registry() is None:
            why = packlog.problem() or self.tr("switched off")
            return self.tr(
                "Not started: the pack registry cannot be used ({why}); "
                "a job needs it to know which packs are done."
            ).format(why=why)
        return None

    def url_list(self) -> list[str]:
        return [u.strip() for u in self.urls.toPlainText().splitlines() if u.strip()]

    def start(self) -> asyncio.Task | None:
        """Start the run on the app's loop (None: refused; the reason is shown)."""
        self.problem.clear_result()
        job = self.load_job(self.job_path.text())
        if job is None:
            return None
        if (why := self.refusal()) is not None:
            self.problem.bad(why)
            return None
        out = self.out or batch_files.default_out(job)
        try:
            earlier = batch_files.read_export(batch_files.export_path(job, out))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            self.problem.bad(
                self.tr("Not started: the job's password export cannot be read: {why}").format(why=exc)
            )
            return None
        packlog.set_operator(job.operator)
        opts = batch.Options(
            known_passwords=[row["board_password"] for row in earlier],
            out=out,
            write_files=_write_files,
            progress=self._on_progress,
            resting=self._on_resting,
        )
        self.runner = batch.Run(job, opts)
        self._stopping = False
        self.table.setRowCount(0)
        self._rows = []
        self.summary.clear()
        self.folder = self.summary_csv = None
        self.folder_button.setEnabled(False)
        self._set_busy(True)
        self.bridge.busy = self.tr("Not connected: the Jobs panel is running a job (stop it first).")
        self.task = self.bridge.spawn(self._run(job, self.url_list(), out, earlier))
        self.stage.setText(self.tr("Starting…"))
        self.task.add_done_callback(self._ended)  # also when cancelled before it began
        return self.task

    def _ended(self, _task: asyncio.Task) -> None:
        self.bridge.busy = None
        self._set_busy(False)

    def stop(self) -> None:
        """End the pack in hand as the write transaction says, then the run."""
        if not self.running:
            return
        self._stopping = True
        self.stage.setText(self.tr("Stopping: the pack in hand ends first…"))
        assert self.task is not None
        self.task.cancel()

    def skip(self) -> None:
        """End only the pack in hand (as Stop ends it); the run goes on with the next one."""
        if self.running and self.runner is not None and self.runner.skip():
            self.stage.setText(self.tr("Skipping the pack in hand…"))

    def toggle_pause(self) -> None:
        """Pause: the pack in hand finishes, the next one waits; Resume: it goes on."""
        if not self.running or self.runner is None:
            return
        paused = not self.runner.paused
        self.runner.pause(paused)
        self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))
        if paused:
            self.stage.setText(self.tr("Pausing: the pack in hand finishes, then the run waits."))
        else:
            self.stage.setText(self.tr("Resumed."))

    def _set_busy(self, busy: bool) -> None:
        self.start_button.setEnabled(not busy)
        self.stop_button.setEnabled(busy)
        self.pause_button.setEnabled(busy)
        self.skip_button.setEnabled(busy)
        if not busy:
            self.pause_button.setText(self.tr("Pause"))
            self._answered(False)
        self.source.setEnabled(not busy)
        self.scan_seconds.setEnabled(not busy)
        self.job_path.setReadOnly(busy)
        self.urls.setReadOnly(busy)

    async def _ask_next(self) -> bool:
        """One port, swap packs: wait for "Next pack connected" (True) or "Finish" (False)."""
        self._answer = asyncio.get_running_loop().create_future()
        self.swap_line.setText(
            self.tr(
                "Pack done. Connect the next pack to {url}, then press Next pack connected "
                "(Finish ends the job)."
            ).format(url=self.url_list()[0])
        )
        self.swap_box.show()
        self.stage.setText(self.tr("Waiting for the next pack."))
        try:
            return await self._answer
        finally:
            self._answer = None
            self.swap_box.hide()

    def _answered(self, go_on: bool) -> None:
        self.swap_box.hide()
        if self._answer is not None and not self._answer.done():
            self._answer.set_result(go_on)

    async def _packs(self, urls: list[str]) -> list[str] | None:
        """The packs' URLs: as given, or the scan's (None: the scan failed, said)."""
        if self.source_kind() != SCAN:
            return urls
        from ..transports import TransportError

        seconds = self.scan_seconds.value()
        self.stage.setText(self.tr("Scanning for Bluetooth boards ({s:g} s)…").format(s=seconds))
        try:
            found = await batch_sources.scan_urls(seconds)
        except TransportError as exc:
            self.problem.bad(self.tr("The Bluetooth scan failed: {why}").format(why=exc))
            return None
        if not found:
            self.problem.info(self.tr("No boards found."))
        return found

    async def _run(self, job: jobs.Job, urls: list[str], out: Path, earlier: list[dict[str, str]]) -> None:
        runner = self.runner
        assert runner is not None
        swap = self.source_kind() == SWAP
        try:
            found = await self._packs(urls)
            packs = batch_sources.each_pack(runner, found or [], swap=swap, next_pack=self._ask_next)
            async for url in packs:
                if self._stopping:
                    break
                row = self._add_row(url)
                i = row + 1
                if swap:
                    self.stage.setText(self.tr("Pack {i}: connecting to {url}").format(i=i, url=url))
                else:
                    self.stage.setText(
                        self.tr("Pack {i} of {n}: connecting to {url}").format(i=i, n=len(found), url=url)
                    )
                result = await runner.run_pack(url)
                self._fill_row(row, result)
                self.countdown.clear()
                if runner.interrupted:
                    break
                if runner.paused:
                    self.stage.setText(self.tr("Paused: the next pack waits until you press Resume."))
        finally:
            self._finish(job, runner, out, earlier)

    def _on_progress(self, text: str) -> None:
        self.stage.setText(self.tr("Now: {what}").format(what=text))
        if self._rows:
            self.table.setItem(
                len(self._rows) - 1,
                RESULT,
                table_item(self.tr("in progress: {what}").format(what=text), colour=BLUE),
            )

    def _on_resting(self, res: batch.PackResult, rested_s: float, rest_s: float) -> None:
        left = max(0.0, rest_s - rested_s)
        self.countdown.setText(
            self.tr(
                "Pack {n} ({serial}) is resting before its sealing checks: {left:.1f} s to go "
                "(its current must stay at most {a:g} A)"
            ).format(n=res.n, serial=res.serial, left=left, a=REST_A)
        )

    # --- the table ----------------------------------------------------------------------------
    def _add_row(self, url: str) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self._rows.append(None)
        self.table.setItem(row, PACK, table_item("?"))
        self.table.setItem(row, SERIAL, table_item(url, colour=GREY))
        self.table.setItem(row, RESULT, table_item(self.tr("in progress: connecting"), colour=BLUE))
        for col in (TIME, REPORT):
            self.table.setItem(row, col, table_item(""))
        return row

    def result_words(self, result: str) -> str:
        return {
            batch.PASSED: self.tr("Passed"),
            batch.NOT_PASSED: self.tr("Not passed"),
            batch.FAILED: self.tr("Failed"),
            batch.SKIPPED: self.tr("Already done"),
        }.get(result, result)

    def _fill_row(self, row: int, r: batch.PackResult) -> None:
        self._rows[row] = r
        ident = r.serial or self.tr("(not identified)")
        if r.name:
            ident += f" → {r.name}"
        serial = table_item(ident)
        serial.setToolTip(" ".join(x for x in (r.family, r.url) if x))
        self.table.setItem(row, PACK, table_item(str(r.n) if r.n is not None else "?"))
        self.table.setItem(row, SERIAL, serial)
        text = f"{self.result_words(r.result)}: {r.why}"
        item = table_item(text, bold=True, colour=RESULT_COLOURS.get(r.result))
        item.setToolTip(text + "\n" + self.tr("Board password: {what}").format(what=r.password or "—"))
        self.table.setItem(row, RESULT, item)
        when = table_item(self.tr("{s:.1f} s").format(s=r.total_s))
        when.setToolTip(
            self.tr(
                "board {board:.1f} s, rest {rest:.1f} s, other {other:.0f} %, {frames} frames sent"
            ).format(board=r.board_s, rest=r.rest_s, other=r.overhead_pct, frames=r.frames_sent)
        )
        self.table.setItem(row, TIME, when)
        report = table_item(r.report.name if r.report else "—", colour=BLUE if r.report else GREY)
        if r.report:
            report.setToolTip(self.tr("Double-click to open {path}").format(path=r.report))
        self.table.setItem(row, REPORT, report)
        self.table.resizeRowToContents(row)

    def row_texts(self, row: int) -> list[str]:
        return [self.table.item(row, c).text() for c in range(self.table.columnCount())]

    # --- the end ---------------------------------------------------------------------------------
    def _finish(self, job: jobs.Job, runner: batch.Run, out: Path, earlier: list[dict[str, str]]) -> None:
        # every pack's link is closed by now: the window may connect again at once (the task's
        # done-callback, which also says so, runs only on a later turn of the loop)
        self.bridge.busy = None
        self._set_busy(False)
        self.countdown.clear()
        results = runner.results
        counts = {k: sum(r.result == k for r in results) for k in RESULT_COLOURS}
        text = self.tr(
            "{n} pack(s): {ok} passed, {np} not passed, {bad} failed, {done} already done."
        ).format(
            n=len(results),
            ok=counts[batch.PASSED],
            np=counts[batch.NOT_PASSED],
            bad=counts[batch.FAILED],
            done=counts[batch.SKIPPED],
        )
        self.stage.setText(self.tr("Stopped.") if runner.interrupted or self._stopping else self.tr("Done."))
        try:
            summary, export = batch_files.save_summary(job, results, out, earlier)
        except OSError as exc:
            self.problem.bad(self.tr("The summary was not saved: {why}").format(why=exc))
            self.summary.setText(text)
            return
        text += "\n" + self.tr("Summary CSV: {path}").format(path=summary)
        if export is not None:
            text += "\n" + self.tr("Board passwords for the customer (keep it safe): {path}").format(
                path=export
            )
        self.summary.setText(text)
        self.summary_csv = summary
        self.folder = out
        self.folder_button.setEnabled(True)

    def open_folder(self) -> None:
        if self.folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))

    def open_report(self, row: int) -> Path | None:
        r = self._rows[row] if 0 <= row < len(self._rows) else None
        if r is None or r.report is None:
            return None
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(r.report)))
        return r.report
