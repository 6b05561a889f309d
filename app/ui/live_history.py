"""The Live tab's history: every cell's voltage over the last minutes, and beside it the
current, the power and the temperatures over the same time (issue 18).

Each series lives in a ``Ring`` (numpy, every sample written twice so the newest
samples are one contiguous view); a snapshot only appends to them.  ``draw`` is called
by the page's one timer (5 Hz) and redraws only what new samples arrived for; the
axes' ranges move at most once a second.  The side plots share the cell plot's time
axis (``setXLink``), so they move with it for nothing.  Each plot has a fixed left axis
width, so a new value never re-runs a layout.

A pane appears once the board has reported its series (JK04 reports no current and no
temperature: no empty plot), and disappears with the session (``clear``).

Speed (shared/stack.md §4): 600 samples per series (60 s at 10 frames/s), fewer than
the pixels a plot is wide at 1024 px for the cells; the side plots are narrower, so
``peaks`` keeps the highest and the lowest sample of every pixel's worth of samples
there (the shape stays, the points drawn drop to the pixel width).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QSplitter, QVBoxLayout, QWidget

from ..model import Snapshot
from .plot_items import TEMP_COLOURS, FastCurve, GridLines, cell_colour, cell_curve

#: samples kept per series (60 s at 10 frames/s, 5 min at 2/s)
HISTORY = 600
CURRENT_COLOUR = "#1e8e3e"
POWER_COLOUR = "#0b62a4"


class Ring:
    """``rows`` series over time.  Every sample is written twice (at i and i+cap), so
    the newest ``count`` samples are always one contiguous, ordered view."""

    def __init__(self, rows: int, capacity: int = HISTORY) -> None:
        self.rows = rows
        self.capacity = capacity
        self.v = np.zeros((rows, 2 * capacity), dtype=np.float64)
        self.t = np.zeros(2 * capacity, dtype=np.float64)
        self.pos = 0
        self.count = 0

    @property
    def cells(self) -> int:  # the name the cell history had
        return self.rows

    def append(self, t: float, values: Sequence[float]) -> None:
        p, cap = self.pos, self.capacity
        self.v[:, p] = values
        self.v[:, p + cap] = values
        self.t[p] = self.t[p + cap] = t
        self.pos = (p + 1) % cap
        if self.count < cap:
            self.count += 1

    def view(self) -> tuple[np.ndarray, np.ndarray]:
        end = self.pos + self.capacity
        start = end - self.count
        return self.t[start:end], self.v[:, start:end]

    @property
    def last_t(self) -> float | None:
        return float(self.t[self.pos - 1 + self.capacity]) if self.count else None

    def clear(self) -> None:
        self.pos = 0
        self.count = 0


#: the per-cell ring buffer (its name before the other series joined it)
CellHistory = Ring


def peaks(x: np.ndarray, y: np.ndarray, width_px: int) -> tuple[np.ndarray, np.ndarray]:
    """At most two samples per pixel: the lowest and the highest of each pixel's worth of
    samples (a spike survives, the points drawn drop to the plot's width)."""
    n = len(x)
    per = n // max(1, width_px)
    if per < 3:
        return x, y
    m = (n // per) * per
    start = n - m  # the newest samples stay whole; the oldest few are dropped
    xb = x[start:].reshape(-1, per)
    yb = y[start:].reshape(-1, per)
    with np.errstate(invalid="ignore"):
        lo_i = np.nanargmin(np.where(np.isnan(yb), np.inf, yb), axis=1)
        hi_i = np.nanargmax(np.where(np.isnan(yb), -np.inf, yb), axis=1)
    first = np.minimum(lo_i, hi_i)
    second = np.maximum(lo_i, hi_i)
    rows = np.arange(len(xb))
    xs = np.column_stack((xb[rows, first], xb[rows, second])).ravel()
    ys = np.column_stack((yb[rows, first], yb[rows, second])).ravel()
    return xs, ys


def _title(text: str) -> QLabel:
    label = QLabel(text)
    f = label.font()
    f.setBold(True)
    label.setFont(f)
    return label


def _legend_label() -> QLabel:
    legend = QLabel()
    legend.setTextFormat(Qt.TextFormat.RichText)
    legend.setWordWrap(True)  # never forces the window wider
    legend.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    legend.setMinimumHeight(legend.fontMetrics().height())
    return legend


def legend_html(names: Sequence[str], colours: Sequence[QColor]) -> str:
    """``■1 ■2 …``: a swatch in each series' colour before its name (spaces: may wrap)."""
    return " ".join(
        f'<span style="white-space:nowrap"><span style="color:{c.name()}">&#9632;</span>{n}</span>'
        for n, c in zip(names, colours, strict=True)
    )


def swatch_html(colours: Sequence[QColor]) -> str:
    """``1 ■■■…■ 16``: the cells' colours in order, on one short line (the cells' hues run
    round the colour wheel from cell 1 to the last, so the strip says which end is which)."""
    swatches = "".join(f'<span style="color:{c.name()}">&#9632;</span>' for c in colours)
    return (
        f'<span style="white-space:nowrap">1 <span style="font-size:6pt">{swatches}</span>'
        f" {len(colours)}</span>"
    )


def _plot(axis_template: str, label: bool) -> pg.PlotWidget:
    plot = pg.PlotWidget()
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(False, False)
    plot.hideButtons()
    plot.getPlotItem().vb.disableAutoRange()
    axis = plot.getAxis("left")
    axis.setStyle(hideOverlappingLabels=True)  # a tick label half under the title: not drawn
    fm = QFontMetrics(axis.style.get("tickFont") or plot.font())
    # the ticks, their marks (and the rotated label): fixed, so a new value never re-runs a layout
    axis.setWidth(fm.horizontalAdvance(axis_template) + (fm.height() if label else 0) + 14)
    return plot


class SeriesPane(QWidget):
    """A titled plot of a few series over time (current, power, or the temperatures)."""

    def __init__(self, title: str, axis_template: str, legend: bool = False) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        head = QHBoxLayout()
        self.title = _title(title)
        head.addWidget(self.title)
        self.legend = _legend_label() if legend else None
        if self.legend is not None:
            head.addWidget(self.legend, 1)
        else:
            head.addStretch(1)
        lay.addLayout(head)
        self.plot = _plot(axis_template, label=False)  # the unit is in the title
        self._grid = GridLines(self.plot, x=True, y=True)
        lay.addWidget(self.plot, 1)
        self.curves: list[FastCurve] = []
        self.names: tuple[str, ...] = ()
        self.ring: Ring | None = None
        self.dirty = False
        self.setVisible(False)

    def allocate(self, names: Sequence[str], colours: Sequence[QColor | str]) -> None:
        for curve in self.curves:
            self.plot.removeItem(curve)
        self.names = tuple(names)
        self.curves = [cell_curve(c, finite=False) for c in colours]
        for curve in self.curves:
            self.plot.addItem(curve)
        self.ring = Ring(len(self.names))
        if self.legend is not None:
            self.legend.setText(legend_html(self.names, [QColor(c) for c in colours]))

    def append(self, t: float, values: Sequence[float]) -> None:
        assert self.ring is not None
        self.ring.append(t, values)
        self.dirty = True

    def draw(self, now: float, ranges: bool) -> None:
        """The curves against ``now`` (the newest moment of any series); the y range too
        when ``ranges`` (once a second)."""
        ring = self.ring
        self.dirty = False
        if ring is None or not ring.count:
            return
        t, v = ring.view()
        x = t - now
        width = int(self.plot.getPlotItem().vb.width()) or 1
        for i, curve in enumerate(self.curves):
            xs, ys = peaks(x, v[i], width)
            curve.set_xy(xs, ys, False)
        if ranges:
            with np.errstate(invalid="ignore"):
                lo, hi = float(np.nanmin(v)), float(np.nanmax(v))
            if math.isfinite(lo) and math.isfinite(hi):
                pad = max((hi - lo) * 0.08, 0.5)
                self.plot.setYRange(lo - pad, hi + pad, padding=0)

    def clear(self) -> None:
        for curve in self.curves:
            self.plot.removeItem(curve)
        self.curves = []
        self.names = ()
        self.ring = None
        self.dirty = False
        if self.legend is not None:
            self.legend.setText("")
        self.setVisible(False)


def temperature_names(s: Snapshot) -> tuple[str, ...]:
    """The temperatures a snapshot carries, by their short names (T1, T2 …, MOS, balancer)."""
    from PySide6.QtCore import QCoreApplication

    names = [
        QCoreApplication.translate("LiveHistory", "T{n}").format(n=i + 1)
        for i in range(len(s.temperatures_c or ()))
    ]
    if s.mos_temperature_c is not None:
        names.append(QCoreApplication.translate("LiveHistory", "MOS"))
    if s.balancer_temperature_c is not None:
        names.append(QCoreApplication.translate("LiveHistory", "balancer"))
    return tuple(names)


def _num(value: float | None) -> float:
    return math.nan if value is None else float(value)


class HistoryPlots(QWidget):
    """Cell voltage history on the left; current, power and temperatures beside it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cells: Ring | None = None
        self.curves: list[FastCurve] = []
        self._cells_dirty = False
        self._last_range_update = 0.0
        self._now: float | None = None
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self._build_cells())
        self.current = SeriesPane(self.tr("Current (A)"), "-888.8")
        self.power = SeriesPane(self.tr("Power (W)"), "-88888")
        self.temperatures = SeriesPane(self.tr("Temperatures (°C)"), "-88.8", legend=True)
        self.panes = (self.current, self.power, self.temperatures)
        for pane in self.panes:
            self.splitter.addWidget(pane)
        self.current.allocate([self.tr("Current")], [CURRENT_COLOUR])
        self.power.allocate([self.tr("Power")], [POWER_COLOUR])
        for plot in (self.current.plot, self.power.plot):
            plot.addItem(pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen("#9aa7b4", width=1)), ignoreBounds=True)
        for pane in self.panes:
            pane.plot.setXLink(self.plot)  # one time axis: the side plots follow the cells'
        for i, stretch in enumerate((7, 3, 3, 4)):
            self.splitter.setStretchFactor(i, stretch)
        lay.addWidget(self.splitter)

    def _build_cells(self) -> QWidget:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        head = QHBoxLayout()
        head.addWidget(_title(self.tr("Cell voltage history")))
        self.legend = _legend_label()
        head.addWidget(self.legend, 1)
        lay.addLayout(head)
        self.plot = _plot("8.888", label=True)
        self._grid = GridLines(self.plot, x=True, y=True)
        self.plot.setLabel("left", self.tr("Cell voltage (V)"))
        self.plot.setLabel("bottom", self.tr("Seconds before now"))
        lay.addWidget(self.plot, 1)
        return box

    def set_time_label(self, text: str) -> None:
        """The time axis' words ("Seconds before the cursor" in a replayed log)."""
        self.plot.setLabel("bottom", text)

    # --- data in (cheap) ---------------------------------------------------------------
    def allocate(self, n: int) -> None:
        """(Re)create what depends on the cell count."""
        self.cells = Ring(n)
        for curve in self.curves:
            self.plot.removeItem(curve)
        colours = [cell_colour(i, n) for i in range(n)]
        self.curves = [cell_curve(c) for c in colours]
        for curve in self.curves:
            self.plot.addItem(curve)
        self.legend.setText(swatch_html(colours))
        self.legend.setToolTip(legend_html([str(i + 1) for i in range(n)], colours))

    def append(self, t: float, s: Snapshot) -> None:
        """One snapshot's values at ``t``: the cells (when the page allocated them), the
        current and power, the temperatures."""
        self._now = t
        if s.cell_voltages_v and self.cells is not None and len(s.cell_voltages_v) == self.cells.rows:
            self.cells.append(t, s.cell_voltages_v)
            self._cells_dirty = True
        if s.current_a is not None or s.power_w is not None:
            self.current.append(t, (_num(s.current_a),))
            self.power.append(t, (_num(s.power_w),))
        names = temperature_names(s)
        if names:
            if names != self.temperatures.names:
                k = len(names)
                self.temperatures.allocate(names, [TEMP_COLOURS[i % len(TEMP_COLOURS)] for i in range(k)])
            values = [*(s.temperatures_c or ()), s.mos_temperature_c, s.balancer_temperature_c]
            self.temperatures.append(t, [v for v in values if v is not None])

    @property
    def dirty(self) -> bool:
        return self._cells_dirty or any(p.dirty for p in self.panes)

    def reset(self) -> None:
        """A replay jumped: every series starts again with the snapshots that follow."""
        for ring in (self.cells, *(p.ring for p in self.panes)):
            if ring is not None:
                ring.clear()
        self._cells_dirty = True
        self._last_range_update = 0.0  # axes follow the new stretch at once

    def clear(self) -> None:
        """Forget everything (a new or no session)."""
        self.cells = None
        self._now = None
        self._cells_dirty = False
        for curve in self.curves:
            self.plot.removeItem(curve)
        self.curves = []
        self.legend.setText("")
        self.legend.setToolTip("")
        self.temperatures.clear()
        for pane in (self.current, self.power):
            assert pane.ring is not None
            pane.ring.clear()
            for curve in pane.curves:
                curve.set_xy(np.empty(0), np.empty(0), True)
            pane.dirty = False
            pane.setVisible(False)

    # --- drawing (the page's timer) ------------------------------------------------------
    def draw(self) -> None:
        now = self._now
        if now is None:
            return
        t0 = time.monotonic()
        ranges = t0 - self._last_range_update >= 1.0 or (self.cells is not None and self.cells.count <= 2)
        if ranges:
            self._last_range_update = t0
        if self._cells_dirty:
            self._cells_dirty = False
            self._draw_cells(now, ranges)
        for pane in self.panes:
            if pane.dirty:
                if not pane.isVisible():
                    pane.setVisible(True)  # the board reports it: its plot appears, once
                pane.draw(now, ranges)
        if ranges:
            self._set_span(now)

    def _draw_cells(self, now: float, ranges: bool) -> None:
        ring = self.cells
        if ring is None or not ring.count:
            return
        t, v = ring.view()
        x = t - now
        for i, curve in enumerate(self.curves):
            curve.set_xy(x, v[i], True)
        if ranges:
            lo, hi = float(v.min()), float(v.max())
            self.plot.setYRange(lo - 0.01, hi + 0.01, padding=0)

    def _set_span(self, now: float) -> None:
        """The time axis covers the oldest sample any series holds (at least 10 s)."""
        oldest = [float(r.view()[0][0]) for r in (self.cells, *(p.ring for p in self.panes)) if r and r.count]
        span = max([10.0, *(now - t for t in oldest)])
        self.plot.setXRange(-span, 0, padding=0.01)


__all__ = ["HISTORY", "CellHistory", "HistoryPlots", "Ring", "SeriesPane", "peaks", "temperature_names"]
