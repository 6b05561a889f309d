"""The log viewer: a recorded ride or charge, to find the cell that sags first.

Two views of one log, sharing one cursor and one timeline:

* **Overview** — every cell over the whole log, with the cell spread, the
  pack voltage, the current and the temperatures on linked time axes; a
  cursor with a readout, zoom and pan (mouse wheel and drag), cells toggled
  from the legend, a selection with statistics (per-cell lowest/highest and
  when, the largest spread and when, energy in and out) and exports (the
  view as PNG, the selection as CSV).
* **Cells (playback)** — the Live cells page itself, fed by a LogReplaySource
  through its own SessionBridge: a file is just another device.

Speed (shared/stack.md §4): the log is read and its min/max pyramids built in
a worker thread; each pan or zoom step draws only the pyramid level that
fits the plot's width, from ONE timer (20 Hz) that also applies the scrubbed
position, the readout and the statistics.  Width-1 cosmetic pens, no
antialiasing.  File dialogs open non-modally (P2).
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..replay import LogReplaySource
from ..services.logfile import LogData, export_rows, load_log, write_cache
from ..services.logstats import RangeStats, cell_delta, range_stats
from ..services.pyramid import Pyramid
from .bridge import SessionBridge
from .live_page import LivePage
from .theme import AMBER, GREY, HIGH_COLOUR, LOW_COLOUR, RED
from .widgets import alarm_text, fixed_label

log = logging.getLogger("packbench.ui")

pg.setConfigOptions(antialias=False)

REFRESH_MS = 50
CURSOR_COLOUR = "#c62828"
SELECTION_BRUSH = (11, 98, 164, 28)
TEMP_COLOURS = ("#d55e00", "#e69f00", "#cc79a7", "#56b4e9", "#009e73", "#f0e442", "#7f7f7f", "#000000")
SPEEDS = (1, 10, 60, 600, 3600)
SIDE_WIDTH = 392


def cell_colour(i: int, n: int) -> QColor:
    """The same colours as the Live cells page's history."""
    return pg.intColor(i, hues=max(n, 1), values=1, maxValue=210, minValue=150, sat=230)


def format_when(data: LogData, t: float) -> str:
    epoch = None if data.start_epoch is None else data.start_epoch + t
    if epoch is None:
        return QCoreApplication.translate("LogViewer", "{s:.1f} s into the log").format(s=t)
    dt = datetime.fromtimestamp(epoch, UTC)
    return QCoreApplication.translate("LogViewer", "{date} {time} UTC").format(
        date=dt.strftime("%Y-%m-%d"), time=dt.strftime("%H:%M:%S")
    )


def format_duration(seconds: float) -> str:
    s = int(round(max(0.0, seconds)))
    d, rest = divmod(s, 86400)
    h, rest = divmod(rest, 3600)
    m, sec = divmod(rest, 60)
    if d:
        return QCoreApplication.translate("LogViewer", "{d} d {h:02d}:{m:02d}:{s:02d}").format(
            d=d, h=h, m=m, s=sec
        )
    return QCoreApplication.translate("LogViewer", "{h:02d}:{m:02d}:{s:02d}").format(h=h, m=m, s=sec)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- data prepared in a worker thread -------------------------------------------------------
@dataclass
class PlotSeries:
    key: str
    names: list[str]
    pyramid: Pyramid
    finite: bool  # no NaN anywhere: pyqtgraph may skip its finite check


@dataclass
class Prepared:
    data: LogData
    delta: np.ndarray  # V, per row
    cells: PlotSeries | None
    spread: PlotSeries | None  # mV
    pack: PlotSeries | None
    current: PlotSeries | None
    temps: PlotSeries | None


def _series(key: str, names: list[str], t: np.ndarray, y: np.ndarray | None) -> PlotSeries | None:
    if y is None or not len(names) or y.shape[-1] == 0:
        return None
    pyr = Pyramid(t, y)
    top = pyr.levels[-1]
    finite = bool(np.isfinite(top.lo).all() and np.isfinite(top.hi).all())
    return PlotSeries(key, names, pyr, finite)


def prepare(path: str | Path, use_cache: bool = True) -> Prepared:
    """Read a log and build everything the overview draws (pure numpy: runs in a thread)."""
    data = load_log(path, use_cache=use_cache)
    t = data.t
    delta = cell_delta(data.cells)
    temp_names = [n for n in (*data.temp_names, "mos_temperature_c", "balancer_temperature_c") if data.has(n)]
    temps = np.stack([data.series(n) for n in temp_names]) if temp_names else None
    one = lambda name: data.series(name)[None, :] if data.has(name) else None  # noqa: E731
    return Prepared(
        data=data,
        delta=delta,
        cells=_series("cells", data.cell_names, t, data.cells if data.cell_count else None),
        spread=_series(
            "spread", ["cell_delta_mv"], t, (delta * 1000.0)[None, :] if data.cell_count else None
        ),
        pack=_series("pack", ["pack_voltage_v"], t, one("pack_voltage_v")),
        current=_series("current", ["current_a"], t, one("current_a")),
        temps=_series("temps", temp_names, t, temps),
    )


# --- the time axis ----------------------------------------------------------------------------
class ElapsedDateAxis(pg.DateAxisItem):
    """Dates and times (UTC) on an axis whose values are the log's elapsed seconds."""

    def __init__(self, start_epoch: float, **kwargs: Any) -> None:
        super().__init__(orientation="bottom", utcOffset=0, **kwargs)
        self.start_epoch = start_epoch

    def tickValues(self, minVal: float, maxVal: float, size: float):  # noqa: N802,N803
        off = self.start_epoch
        return [
            (spacing, [v - off for v in values])
            for spacing, values in super().tickValues(minVal + off, maxVal + off, size)
        ]

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        if spacing >= 86400 and spacing < 28 * 86400:  # days: "02 May", not just "02"
            return [datetime.fromtimestamp(v + self.start_epoch, UTC).strftime("%d %b") for v in values]
        return super().tickStrings([v + self.start_epoch for v in values], scale, spacing)


# --- the overview plots ---------------------------------------------------------------------
class FastCurve(pg.PlotCurveItem):
    """A curve that is told its bounds with its data.

    pyqtgraph recomputes a curve's data bounds (nanmin/nanmax) several times
    per paint after every setData; with 40 curves that was a third of a pan
    step.  The overview knows the bounds of what it draws, so it hands them over.
    """

    _known: tuple[tuple[float, float], tuple[float, float]] | None = None

    def set_xy(self, x: np.ndarray, y: np.ndarray, finite: bool) -> None:
        if len(x):
            if finite:
                yb = (float(y.min()), float(y.max()))
            else:
                with np.errstate(invalid="ignore"):
                    yb = (float(np.nanmin(y)), float(np.nanmax(y))) if np.isfinite(y).any() else None
            self._known = ((float(x[0]), float(x[-1])), yb) if yb is not None else None
        else:
            self._known = None
        self.setData(x, y, skipFiniteCheck=finite)

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):  # noqa: N802 (pyqtgraph's name)
        known = self._known
        if known is None or frac < 1.0 or orthoRange is not None:
            return super().dataBounds(ax, frac, orthoRange)
        return known[ax]


def nice_range(lo: float, hi: float, min_pad: float) -> tuple[float, float]:
    """[lo, hi] with a margin, widened to round steps: a pan that moves the data
    a little keeps the same range, so the axis is not redrawn."""
    pad = max((hi - lo) * 0.06, min_pad)
    lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / 8.0
    mag = 10.0 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    step = next(m * mag for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * mag >= raw)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step


class _Group:
    """One plot with its series, curves and visibility."""

    def __init__(self, plot: pg.PlotItem, series: PlotSeries, colours: list[QColor]) -> None:
        self.plot = plot
        self.series = series
        self.visible = [True] * len(series.names)
        self.curves: list[FastCurve] = []
        for colour in colours:
            pen = pg.mkPen(colour, width=1)
            pen.setCosmetic(True)
            curve = FastCurve(pen=pen, antialias=False, skipFiniteCheck=series.finite)
            plot.addItem(curve)
            self.curves.append(curve)
        self.y_range: tuple[float, float] | None = None


class OverviewPlots(pg.GraphicsLayoutWidget):
    """Cells, spread, pack voltage, current and temperatures on linked time axes."""

    cursorMoved = Signal(float)
    selectionChanged = Signal(float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setBackground("w")
        self.ci.layout.setVerticalSpacing(10)
        self.ci.setContentsMargins(4, 4, 8, 4)
        self.prepared: Prepared | None = None
        self.groups: dict[str, _Group] = {}
        self.plots: list[pg.PlotItem] = []
        self.regions: list[pg.LinearRegionItem] = []
        self.cursors: list[pg.InfiniteLine] = []
        self.dirty = False
        self._syncing = False
        #: how many points the last refresh drew (tests and the benchmark look at it)
        self.points_drawn = 0
        self.scene().sigMouseClicked.connect(self._clicked)

    def set_data(self, prepared: Prepared) -> None:
        self.clear()
        self.groups.clear()
        self.plots, self.regions, self.cursors = [], [], []
        self.prepared = prepared
        data = prepared.data
        rows: list[tuple[PlotSeries, str, list[QColor], int]] = []
        if prepared.cells is not None:
            n = data.cell_count
            rows.append((prepared.cells, self.tr("Cells (V)"), [cell_colour(i, n) for i in range(n)], 6))
        if prepared.spread is not None:
            rows.append((prepared.spread, self.tr("Spread mV"), [QColor("#444444")], 2))
        if prepared.pack is not None:
            rows.append((prepared.pack, self.tr("Pack V"), [QColor("#0b62a4")], 2))
        if prepared.current is not None:
            rows.append((prepared.current, self.tr("Current A"), [QColor("#1e8e3e")], 2))
        if prepared.temps is not None:
            k = len(prepared.temps.names)
            rows.append(
                (
                    prepared.temps,
                    self.tr("Temp. °C"),
                    [QColor(TEMP_COLOURS[i % len(TEMP_COLOURS)]) for i in range(k)],
                    2,
                )
            )
        t0 = float(data.t[0]) if data.rows else 0.0
        t1 = float(data.t[-1]) if data.rows else 1.0
        if t1 <= t0:
            t1 = t0 + 1.0
        first: pg.PlotItem | None = None
        for r, (series, label, colours, stretch) in enumerate(rows):
            last = r == len(rows) - 1
            axis = {}
            if last and data.start_epoch is not None:
                axis = {"bottom": ElapsedDateAxis(data.start_epoch)}
            plot = self.addPlot(row=r, col=0, axisItems=axis)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.setLabel("left", label)
            plot.getAxis("left").setWidth(64)
            plot.showGrid(x=False, y=False)
            if not last:
                plot.hideAxis("bottom")
            elif data.start_epoch is None:
                plot.setLabel("bottom", self.tr("Seconds into the log"))
            else:
                plot.setLabel("bottom", self.tr("Time (UTC)"))
            vb = plot.getViewBox()
            vb.setMouseEnabled(x=True, y=False)
            vb.disableAutoRange()
            span = t1 - t0
            vb.setLimits(xMin=t0 - 0.02 * span, xMax=t1 + 0.02 * span, minXRange=max(2.0, span * 1e-6))
            if first is None:
                first = plot
            else:
                plot.setXLink(first)
            self.ci.layout.setRowStretchFactor(r, stretch)
            self.groups[series.key] = _Group(plot, series, colours)
            region = pg.LinearRegionItem(
                values=(t0, t1),
                brush=pg.mkBrush(*SELECTION_BRUSH),
                pen=pg.mkPen((11, 98, 164, 140), width=1),
                movable=True,
            )
            region.setZValue(-10)
            plot.addItem(region, ignoreBounds=True)
            region.sigRegionChanged.connect(self._region_moved)
            region.sigRegionChangeFinished.connect(self._region_done)
            self.regions.append(region)
            cursor = pg.InfiniteLine(pos=t0, angle=90, movable=True, pen=pg.mkPen(CURSOR_COLOUR, width=1))
            cursor.setZValue(20)
            plot.addItem(cursor, ignoreBounds=True)
            cursor.sigDragged.connect(self._cursor_dragged)
            self.cursors.append(cursor)
            self.plots.append(plot)
            if series.key == "current":
                zero = pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen("#9aa7b4", width=1))
                plot.addItem(zero, ignoreBounds=True)
        if first is not None:
            first.getViewBox().sigXRangeChanged.connect(self._range_changed)
            first.setXRange(t0, t1, padding=0.01)
        self.dirty = True

    # --- drawing -----------------------------------------------------------------------------
    def _range_changed(self, *_args: object) -> None:
        self.dirty = True

    def x_range(self) -> tuple[float, float]:
        if not self.plots:
            return 0.0, 1.0
        (x0, x1), _ = self.plots[0].getViewBox().viewRange()
        return float(x0), float(x1)

    def refresh(self) -> None:
        """Draw the pyramid level that fits the width, for the visible time only."""
        self.dirty = False
        if not self.plots:
            return
        x0, x1 = self.x_range()
        width = max(200, int(self.plots[0].getViewBox().width()))
        max_points = 2 * width
        total = 0
        for group in self.groups.values():
            pyr = group.series.pyramid
            k, i0, i1 = pyr.pick(x0, x1, max_points)
            shown = []
            for r, curve in enumerate(group.curves):
                if not group.visible[r]:
                    continue
                shown.append(r)
                x, y = pyr.curve(r, k, i0, i1)
                curve.set_xy(x, y, group.series.finite)
                total += len(x)
            bounds = pyr.bounds(shown, k, i0, i1)
            if bounds is not None:
                yr = nice_range(*bounds, 0.002 if group.series.key == "cells" else 0.05)
                if yr != group.y_range:
                    group.y_range = yr
                    group.plot.setYRange(*yr, padding=0)
        self.points_drawn = total

    def set_visible(self, key: str, row: int, on: bool) -> None:
        group = self.groups.get(key)
        if group is None:
            return
        group.visible[row] = on
        group.curves[row].setVisible(on)
        if not on:
            group.curves[row].set_xy(np.zeros(0), np.zeros(0), True)
        self.dirty = True

    def show_range(self, t0: float, t1: float) -> None:
        if self.plots and t1 > t0:
            self.plots[0].setXRange(t0, t1, padding=0.01)

    def show_all(self) -> None:
        if self.prepared is not None and self.prepared.data.rows:
            t = self.prepared.data.t
            self.show_range(float(t[0]), float(max(t[-1], t[0] + 1)))

    # --- cursor and selection -----------------------------------------------------------------
    def set_cursor(self, t: float) -> None:
        for c in self.cursors:
            if c.value() != t:
                c.blockSignals(True)
                c.setValue(t)
                c.blockSignals(False)

    def cursor(self) -> float:
        return float(self.cursors[0].value()) if self.cursors else 0.0

    def _cursor_dragged(self, line: pg.InfiniteLine) -> None:
        t = float(line.value())
        self.set_cursor(t)
        self.cursorMoved.emit(t)

    def _clicked(self, ev: Any) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or ev.double():
            return
        pos = ev.scenePos()
        for plot in self.plots:
            vb = plot.getViewBox()
            if vb.sceneBoundingRect().contains(pos):
                t = float(vb.mapSceneToView(pos).x())
                self.set_cursor(t)
                self.cursorMoved.emit(t)
                return

    def selection(self) -> tuple[float, float]:
        if not self.regions:
            return 0.0, 0.0
        a, b = self.regions[0].getRegion()
        return float(min(a, b)), float(max(a, b))

    def set_selection(self, t0: float, t1: float) -> None:
        self._syncing = True
        try:
            for r in self.regions:
                r.setRegion((t0, t1))
        finally:
            self._syncing = False
        self.selectionChanged.emit(*self.selection())

    def _region_moved(self, region: pg.LinearRegionItem) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            values = region.getRegion()
            for r in self.regions:
                if r is not region:
                    r.setRegion(values)
        finally:
            self._syncing = False

    def _region_done(self, _region: pg.LinearRegionItem) -> None:
        if not self._syncing:
            self.selectionChanged.emit(*self.selection())


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
        head = QHBoxLayout()
        self.title = QLabel(_esc(self.path.name))
        f = self.title.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.2)
        self.title.setFont(f)
        head.addWidget(self.title)
        self.info = QLabel(self.tr("Opening …"))
        self.info.setStyleSheet(f"color: {GREY};")
        self.info.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        head.addWidget(self.info, 1)
        root.addLayout(head)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            f"QLabel {{ background: #fff4e0; border: 1px solid {AMBER};"
            " border-radius: 4px; padding: 4px 8px; }"
        )
        self.banner.hide()
        root.addWidget(self.banner)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.overview_page = QWidget()
        self.overview = OverviewPlots()
        self.side = self._build_side()
        ov = QHBoxLayout(self.overview_page)
        ov.setContentsMargins(0, 4, 0, 0)
        ov.setSpacing(6)
        ov.addWidget(self.overview, 1)
        ov.addWidget(self.side)
        self.live_page = LivePage(self.bridge, recording=False)
        self.tabs.addTab(self.overview_page, self.tr("Overview"))
        self.tabs.addTab(self.live_page, self.tr("Cells (playback)"))
        root.addWidget(self.tabs, 1)
        root.addLayout(self._build_timeline())
        self.tabs.setEnabled(False)

        self.overview.cursorMoved.connect(self._cursor_moved)
        self.overview.selectionChanged.connect(lambda *_: self._mark_stats())

        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    # --- building ---------------------------------------------------------------------------------
    def _build_side(self) -> QWidget:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)

        cells = QGroupBox(self.tr("Cells shown"))
        cl = QVBoxLayout(cells)
        self.cell_list = QListWidget()
        self.cell_list.setViewMode(QListView.ViewMode.ListMode)
        self.cell_list.setFlow(QListView.Flow.LeftToRight)
        self.cell_list.setWrapping(True)
        self.cell_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.cell_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.cell_list.setSpacing(1)
        self.cell_list.itemChanged.connect(self._cell_toggled)
        cl.addWidget(self.cell_list)
        row = QHBoxLayout()
        for text, tip, fn in (
            (self.tr("All"), self.tr("Show every cell"), self.show_all_cells),
            (self.tr("None"), self.tr("Hide every cell"), self.hide_all_cells),
            (
                self.tr("Lowest and highest"),
                self.tr("Only the cells that went lowest and highest in the selection"),
                self.show_extreme_cells,
            ),
        ):
            b = QPushButton(text)
            b.setToolTip(tip)
            b.clicked.connect(fn)
            row.addWidget(b)
        cl.addLayout(row)
        lay.addWidget(cells)

        cur = QGroupBox(self.tr("At the cursor"))
        cul = QVBoxLayout(cur)
        self.readout = QLabel("—")
        self.readout.setTextFormat(Qt.TextFormat.RichText)
        self.readout.setWordWrap(True)
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        cul.addWidget(self.readout)
        lay.addWidget(cur)

        sel = QGroupBox(self.tr("Selection"))
        sl = QVBoxLayout(sel)
        self.summary = QLabel("—")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        sl.addWidget(self.summary)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Cell"), self.tr("Lowest"), self.tr("at"), self.tr("Highest"), self.tr("at")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh.setStretchLastSection(True)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 4)
        self.table.setMinimumHeight(140)
        sl.addWidget(self.table, 1)
        grid = QGridLayout()
        grid.setSpacing(4)
        self.zoom_button = QPushButton(self.tr("Zoom to selection"))
        self.zoom_button.clicked.connect(self.zoom_to_selection)
        self.select_view_button = QPushButton(self.tr("Select what is shown"))
        self.select_view_button.clicked.connect(self.select_view)
        self.all_button = QPushButton(self.tr("Show the whole log"))
        self.all_button.clicked.connect(self.overview.show_all)
        self.png_button = QPushButton(self.tr("Save picture (PNG)…"))
        self.png_button.clicked.connect(self.ask_export_png)
        self.csv_button = QPushButton(self.tr("Save selection (CSV)…"))
        self.csv_button.clicked.connect(self.ask_export_csv)
        grid.addWidget(self.zoom_button, 0, 0)
        grid.addWidget(self.select_view_button, 0, 1)
        grid.addWidget(self.all_button, 1, 0, 1, 2)
        grid.addWidget(self.png_button, 2, 0)
        grid.addWidget(self.csv_button, 2, 1)
        sl.addLayout(grid)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {GREY};")
        sl.addWidget(self.message)
        lay.addWidget(sel, 1)

        scroll = QScrollArea()
        scroll.setWidget(box)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFixedWidth(SIDE_WIDTH)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return scroll

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
            when="8888-88-88 88:88:88 UTC", row="8,888,888", rows="8,888,888"
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
        self._fill_cells(data)
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
        who = " ".join(str(dev[k]) for k in ("model",) if dev.get(k))
        if who:
            parts.append(who)
        if dev.get("protocol"):
            parts.append(str(dev["protocol"]))
        if dev.get("serial_number"):
            parts.append(self.tr("serial {sn}").format(sn=dev["serial_number"]))
        if data.rows:
            parts.append(
                self.tr("{start} → {end}").format(
                    start=format_when(data, float(data.t[0])), end=format_when(data, float(data.t[-1]))
                )
            )
            parts.append(
                self.tr("{duration}, {rows} rows, {cells} cells").format(
                    duration=format_duration(data.duration_s), rows=f"{data.rows:,}", cells=data.cell_count
                )
            )
        self.info.setText("  ·  ".join(_esc(p) for p in parts))
        self.info.setToolTip(str(data.path))
        if data.warnings:
            self._show_banner(
                self.tr("Opened with a warning: {text}").format(text="; ".join(data.warnings)), AMBER
            )

    def _show_banner(self, text: str, colour: str) -> None:
        self.banner.setText(f'<span style="color:{colour}">&#9888;</span> {_esc(text)}')
        self.banner.setStyleSheet(
            f"QLabel {{ background: #fff8ee; border: 1px solid {colour};"
            " border-radius: 4px; padding: 4px 8px; }"
        )
        self.banner.show()

    @property
    def warning_text(self) -> str:
        """The banner's text while it is shown ("" otherwise)."""
        return "" if self.banner.isHidden() else self.banner.text()

    def _fill_cells(self, data: LogData) -> None:
        self.cell_list.blockSignals(True)
        self.cell_list.clear()
        n = data.cell_count
        for i in range(n):
            pm = QPixmap(12, 12)
            pm.fill(cell_colour(i, n))
            item = QListWidgetItem(QIcon(pm), str(i + 1))
            item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            item.setCheckState(Qt.CheckState.Checked)
            item.setData(Qt.ItemDataRole.UserRole, i)
            item.setToolTip(self.tr("Cell {n}").format(n=i + 1))
            self.cell_list.addItem(item)
        self.cell_list.blockSignals(False)
        # tall enough for every cell without scrolling (up to 32 cells)
        width = SIDE_WIDTH - 56  # the list inside its group box, before the first layout
        per_row = max(1, width // max(1, self.cell_list.sizeHintForColumn(0) + 2))
        rows = min(8, -(-n // per_row)) if n else 1
        self.cell_list.setFixedHeight(rows * (self.cell_list.sizeHintForRow(0) + 2) + 8)

    # --- the cells legend ------------------------------------------------------------------------------
    def _cell_toggled(self, item: QListWidgetItem) -> None:
        i = int(item.data(Qt.ItemDataRole.UserRole))
        self.overview.set_visible("cells", i, item.checkState() == Qt.CheckState.Checked)

    def set_cells_shown(self, shown: set[int]) -> None:
        """Show exactly these cells (0-based)."""
        self.cell_list.blockSignals(True)
        for row in range(self.cell_list.count()):
            item = self.cell_list.item(row)
            on = row in shown
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self.overview.set_visible("cells", row, on)
        self.cell_list.blockSignals(False)

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

    def _mark_stats(self) -> None:
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
        lines = [f"<b>{_esc(format_when(data, t))}</b>"]
        v, a, soc = (data.series(n) for n in ("pack_voltage_v", "current_a", "soc_pct"))
        pack = []
        if v is not None and v[i] == v[i]:
            pack.append(self.tr("{v:.2f} V").format(v=float(v[i])))
        if a is not None and a[i] == a[i]:
            pack.append(self.tr("{a:+.2f} A").format(a=float(a[i])))
        if soc is not None and soc[i] == soc[i]:
            pack.append(self.tr("SOC {p:.0f} %").format(p=float(soc[i])))
        if pack:
            lines.append(_esc(self.tr("Pack: {values}").format(values=" · ".join(pack))))
        if data.cell_count:
            col = np.asarray(data.cells[:, i], dtype=np.float64)
            if np.isfinite(col).any():
                lo, hi = int(np.nanargmin(col)), int(np.nanargmax(col))
                lines.append(
                    f'<span style="color:{LOW_COLOUR}">'
                    + _esc(self.tr("Lowest: cell {n} {v:.3f} V").format(n=lo + 1, v=col[lo]))
                    + "</span>  "
                    f'<span style="color:{HIGH_COLOUR}">'
                    + _esc(self.tr("highest: cell {n} {v:.3f} V").format(n=hi + 1, v=col[hi]))
                    + "</span>"
                )
                lines.append(_esc(self.tr("Spread {mv:.0f} mV").format(mv=(col[hi] - col[lo]) * 1000)))
        temps = []
        for n, name in enumerate(data.temp_names, 1):
            s = data.series(name)
            if s is not None and s[i] == s[i]:
                temps.append(self.tr("T{n} {c:.1f} °C").format(n=n, c=float(s[i])))
        mos = data.series("mos_temperature_c")
        if mos is not None and mos[i] == mos[i]:
            temps.append(self.tr("MOS {c:.1f} °C").format(c=float(mos[i])))
        if temps:
            lines.append(_esc("  ".join(temps)))
        alarms = data.alarms_at(i)
        if alarms:
            lines.append(
                f'<b style="color:{RED}">&#9888; ' + _esc(", ".join(alarm_text(x) for x in alarms)) + "</b>"
            )
        self.readout.setText("<br>".join(lines))

    def _update_stats(self) -> None:
        if self.prepared is None or not self.prepared.data.rows:
            return
        data = self.prepared.data
        t0, t1 = self.overview.selection()
        st = range_stats(data, t0, t1, delta=self.prepared.delta)
        self.stats = st
        if not st.rows:
            self.summary.setText(_esc(self.tr("No rows in the selection.")))
            self.table.setRowCount(0)
            return
        lines = [
            f"<b>{_esc(format_when(data, st.t0))}</b> → <b>{_esc(format_when(data, st.t1))}</b>",
            _esc(
                self.tr("{duration}, {rows} rows").format(
                    duration=format_duration(st.duration_s), rows=f"{st.rows:,}"
                )
            ),
        ]
        if st.energy_in_wh is not None:
            lines.append(
                _esc(
                    self.tr("Energy in {ein} · out {eout}").format(
                        ein=_energy(st.energy_in_wh), eout=_energy(st.energy_out_wh or 0.0)
                    )
                )
            )
        if st.charge_in_ah is not None:
            lines.append(
                _esc(
                    self.tr("Charge in {qin:.2f} Ah · out {qout:.2f} Ah").format(
                        qin=st.charge_in_ah, qout=st.charge_out_ah or 0.0
                    )
                )
            )
        if st.delta_max_v is not None:
            lines.append(
                "<b>"
                + _esc(
                    self.tr("Largest spread {mv:.0f} mV at {when}").format(
                        mv=st.delta_max_v * 1000, when=format_when(data, st.delta_max_t)
                    )
                )
                + "</b><br>"
                + _esc(
                    self.tr("cell {low} lowest, cell {high} highest").format(
                        low=st.delta_low_cell, high=st.delta_high_cell
                    )
                )
            )
        if st.lowest_cell is not None:
            lines.append(
                f'<span style="color:{LOW_COLOUR}">'
                + _esc(
                    self.tr("Sagged most: cell {n}, {v:.3f} V at {when}").format(
                        n=st.lowest_cell,
                        v=st.cell_min_v[st.lowest_cell - 1],
                        when=format_when(data, float(st.cell_min_t[st.lowest_cell - 1])),
                    )
                )
                + "</span>"
            )
        ranges = []
        if st.pack_min_v is not None:
            ranges.append(self.tr("pack {lo:.2f}–{hi:.2f} V").format(lo=st.pack_min_v, hi=st.pack_max_v))
        if st.current_min_a is not None:
            ranges.append(
                self.tr("current {lo:+.1f} to {hi:+.1f} A").format(
                    lo=_no_minus_zero(st.current_min_a), hi=_no_minus_zero(st.current_max_a)
                )
            )
        if st.temp_max_c:
            ranges.append(self.tr("hottest {c:.1f} °C").format(c=max(st.temp_max_c.values())))
        if ranges:
            lines.append(_esc(", ".join(ranges)))
        if st.alarms:
            lines.append(
                f'<span style="color:{RED}">'
                + _esc(
                    self.tr("Alarms: {list}").format(list=", ".join(alarm_text(a) for a, _t0 in st.alarms))
                )
                + "</span>"
            )
        self.summary.setText("<br>".join(lines))
        self._fill_table(st)

    def _fill_table(self, st: RangeStats) -> None:
        data = self.prepared.data
        n = len(st.cell_min_v)
        self.table.setRowCount(n)
        lo_cell, hi_cell = st.lowest_cell, st.highest_cell
        low_brush = QBrush(QColor("#dcecf7"))
        high_brush = QBrush(QColor("#fbe5d6"))
        for r in range(n):
            values = [
                str(r + 1),
                f"{st.cell_min_v[r]:.3f}",
                _clock(data, float(st.cell_min_t[r])),
                f"{st.cell_max_v[r]:.3f}",
                _clock(data, float(st.cell_max_t[r])),
            ]
            for c, text in enumerate(values):
                item = self.table.item(r, c)
                if item is None:
                    item = QTableWidgetItem()
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    self.table.setItem(r, c, item)
                item.setText(text)
                if r + 1 == lo_cell and c in (0, 1, 2):
                    item.setBackground(low_brush)
                elif r + 1 == hi_cell and c in (0, 3, 4):
                    item.setBackground(high_brush)
                else:
                    item.setBackground(QBrush())

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

    def _save_dialog(self, title: str, name: str, filt: str, done) -> None:
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


def _no_minus_zero(x: float) -> float:
    """-0.04 shows as "+0.0", not "-0.0"."""
    return 0.0 if abs(x) < 0.05 else x


def _energy(wh: float) -> str:
    if abs(wh) >= 1000:
        return QCoreApplication.translate("LogViewer", "{kwh:.2f} kWh").format(kwh=wh / 1000)
    return QCoreApplication.translate("LogViewer", "{wh:.1f} Wh").format(wh=wh)


def _clock(data: LogData, t: float) -> str:
    """Time of day (UTC), with the day when the log spans more than one."""
    if data.start_epoch is None:
        return f"{t:.0f} s"
    dt = datetime.fromtimestamp(data.start_epoch + t, UTC)
    if data.duration_s > 86400 - 1:
        return dt.strftime("%m-%d %H:%M:%S")
    return dt.strftime("%H:%M:%S")


__all__ = ["LogViewer", "OverviewPlots", "Prepared", "format_duration", "format_when", "prepare"]
