"""The log viewer: a recorded ride or charge, to find the cell that sags first.

Two views of one log, sharing one cursor and one timeline:

* **Overview** — every cell over the whole log, with the cell spread, the
  pack voltage, the current and the temperatures on linked time axes
  (log_overview.py); under the plots the readout at the cursor; beside them
  the selection's statistics with the per-cell table (per cell the lowest and
  highest and when, the largest spread and when, energy in and out), the
  exports (the view as PNG, the selection as CSV) and the cells shown
  (log_side.py).
* **Cells (playback)** — the Live cells page itself, fed by a LogReplaySource
  through its own SessionBridge: a file is just another device.

Times are local on screen, UTC in the tooltips; the CSV keeps UTC.

Speed (shared/stack.md §4): the log is read and its min/max pyramids built in
a worker thread (services/logprep.py); each pan or zoom step draws only the
pyramid level that fits the plot's width, from ONE timer (20 Hz) that also
applies the scrubbed position, the readout and the statistics.  Width-1
cosmetic pens, no antialiasing.  File dialogs open non-modally (P2).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..replay import LogReplaySource
from ..services.logfile import LogData, export_rows, write_cache
from ..services.logprep import Prepared, prepare, readout_at
from ..services.logstats import RangeStats, range_stats
from .bridge import SessionBridge
from .live_page import LivePage
from .log_overview import OverviewPlots
from .log_side import LogSidePanel
from .log_text import esc, format_duration, format_when, format_when_utc, readout_html, zone_text
from .theme import AMBER, GREY, RED
from .widgets import fixed_label

log = logging.getLogger("packbench.ui")

REFRESH_MS = 50
SPEEDS = (1, 10, 60, 600, 3600)
#: lines the readout under the plots always has room for (it grows, never shrinks)
READOUT_LINES = 3


# --- the viewer ---------------------------------------------------------------------------------
class LogViewer(QWidget):
    """One open log: header, overview | playback tabs, timeline."""

    #: the log is on screen (LogData)
    loaded = Signal(object)
    #: it could not be opened (a message for people)
    failed = Signal(str)

    def __init__(
        self,
        path: str | Path,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
        *,
        use_cache: bool = True,
    ) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.settings = settings
        self.use_cache = use_cache
        self.prepared: Prepared | None = None
        self.stats: RangeStats | None = None
        self.bridge = SessionBridge(self)
        self.source: LogReplaySource | None = None
        self._tasks: set[asyncio.Task] = set()
        self._dialogs: list[QFileDialog] = []
        self._pending_seek: int | None = None
        self._stats_dirty = False
        self._readout_dirty = False
        self._unsubscribe = None

        root = QVBoxLayout(self)
        root.setContentsMargins(8, 6, 8, 4)
        root.setSpacing(4)
        root.addLayout(self._build_header())
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.overview_page = self._build_overview()
        self.live_page = LivePage(self.bridge, recording=False)
        self.tabs.addTab(self.overview_page, self.tr("Overview"))
        self.tabs.addTab(self.live_page, self.tr("Cells (playback)"))
        root.addWidget(self.tabs, 1)
        root.addLayout(self._build_timeline())
        self.tabs.setEnabled(False)

        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    # --- building ---------------------------------------------------------------------------------
    def _build_header(self) -> QVBoxLayout:
        lay = QVBoxLayout()
        lay.setSpacing(4)
        head = QHBoxLayout()
        self.title = QLabel(esc(self.path.name))
        f = self.title.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.2)
        self.title.setFont(f)
        head.addWidget(self.title)
        self.info = QLabel(self.tr("Opening …"))
        self.info.setStyleSheet(f"color: {GREY};")
        self.info.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        head.addWidget(self.info, 1)
        lay.addLayout(head)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.hide()
        lay.addWidget(self.banner)
        return lay

    def _build_overview(self) -> QWidget:
        page = QWidget()
        self.overview = OverviewPlots()
        self.overview.cursorMoved.connect(self._cursor_moved)
        self.overview.selectionChanged.connect(self._mark_stats)
        # the readout at the cursor, under the plots: always in sight while scrubbing
        self.readout = QLabel("—")
        self.readout.setTextFormat(Qt.TextFormat.RichText)
        self.readout.setWordWrap(True)
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.readout.setFixedHeight(self.readout.fontMetrics().lineSpacing() * READOUT_LINES + 6)
        left = QVBoxLayout()
        left.setSpacing(2)
        left.addWidget(self.overview, 1)
        left.addWidget(self.readout)
        self.side = LogSidePanel()
        self._connect_side(self.side)
        ov = QHBoxLayout(page)
        ov.setContentsMargins(0, 4, 0, 0)
        ov.setSpacing(6)
        ov.addLayout(left, 1)
        ov.addWidget(self.side)
        return page

    def _connect_side(self, side: LogSidePanel) -> None:
        # the names tests and the benchmark know
        self.summary, self.table, self.message, self.cell_list = (
            side.summary,
            side.table,
            side.message,
            side.cell_list,
        )
        side.cellToggled.connect(lambda i, on: self.overview.set_visible("cells", i, on))
        side.zoom_button.clicked.connect(self.zoom_to_selection)
        side.select_view_button.clicked.connect(self.select_view)
        side.all_button.clicked.connect(self.overview.show_all)
        side.png_action.triggered.connect(self.ask_export_png)
        side.csv_action.triggered.connect(self.ask_export_csv)
        for button, fn in zip(
            side.cell_buttons,
            (self.show_all_cells, self.hide_all_cells, self.show_extreme_cells),
            strict=True,
        ):
            button.clicked.connect(fn)

    def _build_timeline(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(6)
        self.play_button = QToolButton()
        self.play_button.setText(self.tr("▶ Play"))
        self.play_button.setToolTip(self.tr("Play the log through the Cells page from the cursor"))
        self.play_button.setMinimumWidth(
            self.play_button.fontMetrics().horizontalAdvance(self.tr("⏸ Pause")) + 20
        )
        self.play_button.clicked.connect(self.toggle_play)
        row.addWidget(self.play_button)
        self.speed_box = QComboBox()
        for s in SPEEDS:
            self.speed_box.addItem(self.tr("{n}× speed").format(n=s), s)
        self.speed_box.setCurrentIndex(2)
        self.speed_box.currentIndexChanged.connect(self._speed_changed)
        row.addWidget(self.speed_box)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.setToolTip(self.tr("Drag to move through the log"))
        self.slider.valueChanged.connect(self._slider_moved)
        row.addWidget(self.slider, 1)
        template = self.tr("{when} · row {row} of {rows}").format(
            when="8888-88-88 88:88:88", row="8,888,888", rows="8,888,888"
        )
        self.position_label = fixed_label(template)
        row.addWidget(self.position_label)
        for w in (self.play_button, self.speed_box, self.slider):
            w.setEnabled(False)
        return row

    # --- tasks ----------------------------------------------------------------------------------------
    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("log viewer task failed", exc_info=task.exception())

    async def shutdown(self) -> None:
        self._timer.stop()
        tasks = list(self._tasks)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.bridge.shutdown()

    # --- loading ------------------------------------------------------------------------------------
    def start(self) -> asyncio.Task:
        """Read the log in a worker thread and show it; ``loaded`` or ``failed`` follows."""
        return self.spawn(self._load())

    async def _load(self) -> None:
        try:
            prepared = await asyncio.to_thread(prepare, self.path, self.use_cache)
        except (OSError, ValueError) as exc:
            text = self.tr("Could not open {name}: {reason}").format(
                name=self.path.name, reason=getattr(exc, "strerror", None) or str(exc)
            )
            self.info.setText("")
            self._show_banner(text, RED)
            self.failed.emit(text)
            return
        self.set_prepared(prepared)
        if prepared.data.source == "csv" and prepared.data.rows > 10_000:
            # next time this log opens from its binary cache (logfile.py)
            self.spawn(asyncio.to_thread(write_cache, prepared.data))

    def set_prepared(self, prepared: Prepared) -> None:
        """Show a prepared log (also used directly by tests and the benchmark)."""
        self.prepared = prepared
        data = prepared.data
        self._fill_header(data)
        self.side.fill_cells(data)
        self.overview.set_data(prepared)
        self.overview.refresh()
        self.tabs.setEnabled(True)
        for w in (self.play_button, self.speed_box, self.slider):
            w.setEnabled(data.rows > 0)
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(0, data.rows - 1))
        self.slider.setValue(0)
        self.slider.blockSignals(False)
        self.source = LogReplaySource(data)
        self._unsubscribe = self.source.subscribe(self._on_source_event)
        self.spawn(self.bridge.attach_source(self.source))
        if data.rows:
            self.overview.set_cursor(float(data.t[0]))
        # statistics and the readout follow on the next tick, after the overview is drawn
        self._stats_dirty = True
        self._readout_dirty = True
        self.loaded.emit(data)

    def _fill_header(self, data: LogData) -> None:
        dev = data.meta.get("device") or {}
        parts = []
        if dev.get("model"):
            parts.append(str(dev["model"]))
        if dev.get("protocol"):
            parts.append(str(dev["protocol"]))
        if dev.get("serial_number"):
            parts.append(self.tr("serial {sn}").format(sn=dev["serial_number"]))
        tip = [str(data.path)]
        if data.rows:
            t0, t1 = float(data.t[0]), float(data.t[-1])
            parts.append(
                self.tr("{start} → {end}").format(start=format_when(data, t0), end=format_when(data, t1))
            )
            parts.append(
                self.tr("{duration}, {rows} rows, {cells} cells").format(
                    duration=format_duration(data.duration_s), rows=f"{data.rows:,}", cells=data.cell_count
                )
            )
            tip.append(zone_text(data))
            tip.append(
                self.tr("{start} → {end}").format(
                    start=format_when_utc(data, t0), end=format_when_utc(data, t1)
                )
            )
        self.info.setText("  ·  ".join(esc(p) for p in parts))
        self.info.setToolTip("\n".join(t for t in tip if t))
        if data.warnings:
            self._show_banner(
                self.tr("Opened with a warning: {text}").format(text="; ".join(data.warnings)), AMBER
            )

    def _show_banner(self, text: str, colour: str) -> None:
        self.banner.setText(f'<span style="color:{colour}">&#9888;</span> {esc(text)}')
        self.banner.setStyleSheet(
            f"QLabel {{ background: #fff8ee; border: 1px solid {colour};"
            " border-radius: 4px; padding: 4px 8px; }"
        )
        self.banner.show()

    @property
    def warning_text(self) -> str:
        """The banner's text while it is shown ("" otherwise)."""
        return "" if self.banner.isHidden() else self.banner.text()

    # --- the cells shown ---------------------------------------------------------------------------------
    def set_cells_shown(self, shown: set[int]) -> None:
        """Show exactly these cells (0-based)."""
        self.side.set_checked(shown)
        for row in range(self.cell_list.count()):
            self.overview.set_visible("cells", row, row in shown)

    def show_all_cells(self) -> None:
        self.set_cells_shown(set(range(self.cell_list.count())))

    def hide_all_cells(self) -> None:
        self.set_cells_shown(set())

    def show_extreme_cells(self) -> None:
        st = self.stats
        if st is None or st.lowest_cell is None:
            return
        self.set_cells_shown({st.lowest_cell - 1, (st.highest_cell or st.lowest_cell) - 1})

    # --- the one timer -----------------------------------------------------------------------------------
    def _tick(self) -> None:
        if self.prepared is None:
            return
        if self._pending_seek is not None and self.source is not None:
            i, self._pending_seek = self._pending_seek, None
            playing = self.source.playing
            if playing:
                self.source.pause_soon()
            self.source.seek(i)
            if playing:
                self.source.play()
        if self.overview.dirty and self.isVisible():
            self.overview.refresh()
        if self._stats_dirty:
            self._stats_dirty = False
            self._update_stats()
        if self._readout_dirty:
            self._readout_dirty = False
            self._update_readout()

    def _mark_stats(self, *_args: object) -> None:
        self._stats_dirty = True

    # --- position ------------------------------------------------------------------------------------------
    def _on_source_event(self, event: Any) -> None:
        if event.kind != "position" or self.prepared is None:
            return
        i = int(event.data)
        self.slider.blockSignals(True)
        self.slider.setValue(i)
        self.slider.blockSignals(False)
        self.overview.set_cursor(float(self.prepared.data.t[i]))
        self._readout_dirty = True
        if event.detail == "end":
            self._show_playing(False)

    def _slider_moved(self, i: int) -> None:
        if self.prepared is None:
            return
        self._pending_seek = i
        self.overview.set_cursor(float(self.prepared.data.t[i]))
        self._readout_dirty = True

    def _cursor_moved(self, t: float) -> None:
        if self.prepared is None:
            return
        i = self.prepared.data.index_at(t)
        self._pending_seek = i
        self.slider.blockSignals(True)
        self.slider.setValue(i)
        self.slider.blockSignals(False)
        self._readout_dirty = True

    def seek(self, i: int) -> None:
        """Move the cursor and the playback to row ``i`` now."""
        self._slider_moved(int(i))
        self._tick()

    def toggle_play(self) -> None:
        if self.source is None:
            return
        if self.source.playing:
            self.pause()
        else:
            self.play()

    def play(self, speed: float | None = None) -> None:
        if self.source is None:
            return
        if speed is not None:
            idx = self.speed_box.findData(int(speed))
            if idx >= 0:
                self.speed_box.setCurrentIndex(idx)
        self.source.play(float(self.speed_box.currentData()) if speed is None else float(speed))
        self._show_playing(True)

    def pause(self) -> None:
        if self.source is not None:
            self.source.pause_soon()
        self._show_playing(False)

    def _show_playing(self, on: bool) -> None:
        self.play_button.setText(self.tr("⏸ Pause") if on else self.tr("▶ Play"))

    def _speed_changed(self, _index: int) -> None:
        if self.source is not None and self.source.playing:
            self.source.speed = float(self.speed_box.currentData())

    # --- readout and statistics ---------------------------------------------------------------------------
    def _update_readout(self) -> None:
        data = self.prepared.data if self.prepared else None
        if data is None or not data.rows:
            return
        i = data.index_at(self.overview.cursor())
        t = float(data.t[i])
        self.position_label.setText(
            self.tr("{when} · row {row} of {rows}").format(
                when=format_when(data, t), row=f"{i + 1:,}", rows=f"{data.rows:,}"
            )
        )
        utc = format_when_utc(data, t)
        self.position_label.setToolTip(utc)
        self.readout.setText(readout_html(data, readout_at(data, i)))
        self.readout.setToolTip(utc)
        # room for every line: the label grows (rarely), it never shrinks back and forth
        needed = self.readout.heightForWidth(max(1, self.readout.width()))
        if needed > self.readout.height():
            self.readout.setFixedHeight(needed)

    def _update_stats(self) -> None:
        if self.prepared is None or not self.prepared.data.rows:
            return
        data = self.prepared.data
        t0, t1 = self.overview.selection()
        self.stats = range_stats(data, t0, t1, delta=self.prepared.delta)
        self.side.show_stats(data, self.stats)

    # --- selection helpers ----------------------------------------------------------------------------------
    def set_selection(self, t0: float, t1: float) -> None:
        self.overview.set_selection(t0, t1)
        self._stats_dirty = True
        self._tick()

    def zoom_to_selection(self) -> None:
        t0, t1 = self.overview.selection()
        self.overview.show_range(t0, t1)

    def select_view(self) -> None:
        x0, x1 = self.overview.x_range()
        if self.prepared is not None and self.prepared.data.rows:
            t = self.prepared.data.t
            x0, x1 = max(x0, float(t[0])), min(x1, float(t[-1]))
        self.set_selection(x0, x1)

    def refresh_now(self) -> None:
        """Draw the overview for its current range at once (benchmark, tests)."""
        self.overview.refresh()

    # --- exports --------------------------------------------------------------------------------------------
    def export_png(self, path: str | Path) -> bool:
        """The overview as it is on screen (plots, readout and statistics)."""
        self.overview.refresh()
        ok = self.overview_page.grab().save(str(path), "PNG")
        self.message.setText(
            self.tr("Saved {name}").format(name=Path(path).name)
            if ok
            else self.tr("Could not save {name}").format(name=Path(path).name)
        )
        return ok

    def export_selection(self, path: str | Path) -> int:
        """The selected rows, copied from the CSV as they are; returns how many."""
        if self.prepared is None:
            return 0
        st = self.stats or range_stats(self.prepared.data, *self.overview.selection())
        return export_rows(self.prepared.data, st.i0, st.i1, path)

    def _default_name(self, suffix: str) -> str:
        return str(self.path.with_name(self.path.stem + suffix))

    def _save_dialog(self, title: str, name: str, filt: str, done: Callable[[str], object]) -> None:
        dlg = QFileDialog(self, title, name, filt)
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        self._dialogs.append(dlg)
        dlg.fileSelected.connect(done)
        dlg.finished.connect(lambda _r, d=dlg: self._dialogs.remove(d) if d in self._dialogs else None)
        dlg.open()  # non-modal (stack.md P2)

    def ask_export_png(self) -> None:
        self._save_dialog(
            self.tr("Save the overview as a picture"),
            self._default_name("-overview.png"),
            self.tr("PNG pictures (*.png)"),
            self.export_png,
        )

    def ask_export_csv(self) -> None:
        self._save_dialog(
            self.tr("Save the selected rows"),
            self._default_name("-selection.csv"),
            self.tr("CSV logs (*.csv)"),
            lambda p: self.spawn(self._export_csv(p)),
        )

    async def _export_csv(self, path: str) -> None:
        if self.prepared is None:
            return
        self.message.setText(self.tr("Saving {name} …").format(name=Path(path).name))
        st = self.stats or range_stats(self.prepared.data, *self.overview.selection())
        try:
            rows = await asyncio.to_thread(export_rows, self.prepared.data, st.i0, st.i1, path)
        except OSError as exc:
            self.message.setText(
                self.tr("Could not save {name}: {reason}").format(
                    name=Path(path).name, reason=exc.strerror or str(exc)
                )
            )
            return
        self.message.setText(
            self.tr("Saved {rows} rows to {name}").format(rows=f"{rows:,}", name=Path(path).name)
        )


__all__ = ["LogViewer", "OverviewPlots", "Prepared", "format_duration", "format_when", "prepare"]
