"""The log viewer's overview: every cell over the whole log, with the cell spread, the
pack voltage, the current and the temperatures on linked time axes.

A cursor and a selection (one per plot, kept in step), zoom and pan with the mouse
(time only), and a legend on the temperature plot naming each probe.  The time axis
shows the computer's local time (``ElapsedDateAxis``); its values are the log's
elapsed seconds.

Speed (shared/stack.md §4): each refresh draws, for the visible time only, the
pyramid level that fits the plot's width (services/pyramid.py); the viewer calls
``refresh`` from its one timer when ``dirty``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

from ..services.logfile import LogData
from ..services.logprep import PlotSeries, Prepared, local_time, nice_range, utc_offset_s
from .log_text import temperature_label, zone_text
from .plot_items import TEMP_COLOURS, FastCurve, cell_colour, cell_curve, cosmetic_pen

CURSOR_COLOUR = "#c62828"
SELECTION_BRUSH = (11, 98, 164, 28)
SWATCH_H = 12


# --- the time axis ----------------------------------------------------------------------------
class ElapsedDateAxis(pg.DateAxisItem):
    """Local dates and times on an axis whose values are the log's elapsed seconds.

    Ticks fall on round local hours and days (the zone's offset at the log's start);
    each label is the local time of its own moment, so a log across a change to
    summer time reads right on both sides."""

    def __init__(self, start_epoch: float, **kwargs: Any) -> None:
        self.start_epoch = start_epoch
        self.offset_s = utc_offset_s(start_epoch)
        super().__init__(orientation="bottom", utcOffset=-self.offset_s, **kwargs)

    def tickValues(self, minVal: float, maxVal: float, size: float):  # noqa: N802,N803
        off = self.start_epoch
        return [
            (spacing, [v - off for v in values])
            for spacing, values in super().tickValues(minVal + off, maxVal + off, size)
        ]

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        epochs = [v + self.start_epoch for v in values]
        if spacing >= 86400 and spacing < 28 * 86400:  # days: "02 May", not just "02"
            return [local_time(e).strftime("%d %b") for e in epochs]
        # the base class adds the start's offset: hand it each moment's own
        shifted = [e + utc_offset_s(e) - self.offset_s for e in epochs]
        return super().tickStrings(shifted, scale, spacing)


class _Swatch(pg.ItemSample):
    """A legend sample as a short thick line (a 1-px line is hard to tell apart), low
    enough that the legend covers little of a short plot; greyed while its curve is hidden."""

    def __init__(self, item: Any) -> None:
        super().__init__(item)
        self.setFixedHeight(SWATCH_H)

    def paint(self, p: QPainter, *args: object) -> None:
        pen = pg.mkPen(self.item.opts["pen"] if self.item.isVisible() else "#c5ccd3")
        pen.setWidth(3)
        pen.setCosmetic(True)
        p.setPen(pen)
        p.drawLine(2, SWATCH_H // 2, 18, SWATCH_H // 2)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return QRectF(0, 0, 20, SWATCH_H)


class _Group:
    """One plot with its series, curves and visibility."""

    def __init__(self, plot: pg.PlotItem, series: PlotSeries, colours: list[QColor]) -> None:
        self.plot = plot
        self.series = series
        self.visible = [True] * len(series.names)
        self.curves: list[FastCurve] = []
        for colour in colours:
            curve = cell_curve(colour, series.finite)
            plot.addItem(curve)
            self.curves.append(curve)
        self.y_range: tuple[float, float] | None = None
        self.legend: pg.LegendItem | None = None


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

    # --- building ------------------------------------------------------------------------------
    def _rows(self, prepared: Prepared) -> list[tuple[PlotSeries, str, list[QColor], int]]:
        """(series, axis label, colours, stretch) of each plot, top to bottom."""
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
            colours = [QColor(TEMP_COLOURS[i % len(TEMP_COLOURS)]) for i in range(k)]
            rows.append((prepared.temps, self.tr("Temp. °C"), colours, 2))
        return rows

    def set_data(self, prepared: Prepared) -> None:
        self.clear()
        self.groups.clear()
        self.plots, self.regions, self.cursors = [], [], []
        self.prepared = prepared
        data = prepared.data
        t0 = float(data.t[0]) if data.rows else 0.0
        t1 = float(data.t[-1]) if data.rows else 1.0
        if t1 <= t0:
            t1 = t0 + 1.0
        rows = self._rows(prepared)
        first: pg.PlotItem | None = None
        for r, (series, label, colours, stretch) in enumerate(rows):
            plot = self._add_plot(r, r == len(rows) - 1, label, data, (t0, t1))
            if first is None:
                first = plot
            else:
                plot.setXLink(first)
            self.ci.layout.setRowStretchFactor(r, stretch)
            group = _Group(plot, series, colours)
            self.groups[series.key] = group
            self._add_cursor_and_region(plot, t0, t1)
            if series.key == "current":
                zero = pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen("#9aa7b4", width=1))
                plot.addItem(zero, ignoreBounds=True)
            if series.key == "temps":
                self._add_legend(group)
        if first is not None:
            first.getViewBox().sigXRangeChanged.connect(self._range_changed)
            first.setXRange(t0, t1, padding=0.01)
        self.dirty = True

    def _add_plot(
        self, row: int, last: bool, label: str, data: LogData, span: tuple[float, float]
    ) -> pg.PlotItem:
        axis = {}
        if last and data.start_epoch is not None:
            axis = {"bottom": ElapsedDateAxis(data.start_epoch)}
        plot = self.addPlot(row=row, col=0, axisItems=axis)
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
            plot.setLabel("bottom", self.tr("Time ({zone})").format(zone=zone_text(data)))
        vb = plot.getViewBox()
        vb.setMouseEnabled(x=True, y=False)
        vb.disableAutoRange()
        t0, t1 = span
        width = t1 - t0
        vb.setLimits(xMin=t0 - 0.02 * width, xMax=t1 + 0.02 * width, minXRange=max(2.0, width * 1e-6))
        self.plots.append(plot)
        return plot

    def _add_cursor_and_region(self, plot: pg.PlotItem, t0: float, t1: float) -> None:
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
        cursor = pg.InfiniteLine(pos=t0, angle=90, movable=True, pen=cosmetic_pen(CURSOR_COLOUR))
        cursor.setZValue(20)
        plot.addItem(cursor, ignoreBounds=True)
        cursor.sigDragged.connect(self._cursor_dragged)
        self.cursors.append(cursor)

    def _add_legend(self, group: _Group) -> None:
        """Name every temperature (T1, T2, MOS …) in one row at the plot's top right;
        a click on a name hides or shows its curve."""
        legend = pg.LegendItem(
            offset=(-4, 2),
            colCount=max(1, len(group.curves)),
            brush=pg.mkBrush(255, 255, 255, 200),
            pen=pg.mkPen("#c5ccd3"),
            labelTextColor="#333333",
            labelTextSize="8pt",
            sampleType=_Swatch,
        )
        legend.layout.setContentsMargins(2, 0, 2, 0)
        legend.setParentItem(group.plot.getViewBox())
        for curve, name in zip(group.curves, group.series.names, strict=True):
            legend.addItem(curve, temperature_label(name))
        legend.sigSampleClicked.connect(lambda _item, g=group: self._legend_clicked(g))
        group.legend = legend

    def _legend_clicked(self, group: _Group) -> None:
        for row, curve in enumerate(group.curves):
            self.set_visible(group.series.key, row, curve.isVisible())

    def legend_names(self, key: str) -> list[str]:
        """The names the legend of plot ``key`` shows (tests)."""
        group = self.groups.get(key)
        if group is None or group.legend is None:
            return []
        return [label.text for _sample, label in group.legend.items]

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


__all__ = ["CURSOR_COLOUR", "ElapsedDateAxis", "OverviewPlots", "TEMP_COLOURS"]
