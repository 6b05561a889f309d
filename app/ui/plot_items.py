"""The plot items the Live cells page and the log viewer share: one way to draw a cell.

Both draw every cell's voltage over time in the same colour (``cell_colour``)
with the same thin, cosmetic, non-antialiased pen (``cell_curve``), as a
``FastCurve`` that is told its bounds with its data.  The Live page's bar chart
adds ``BarLabels`` (every bar's value, one item) and both pages can lay
``GridLines`` under a plot (one item instead of pyqtgraph's grid).

Speed (shared/stack.md §4): width-1 cosmetic pens, no antialiasing, one
graphics item where pyqtgraph would make one per label or per grid line.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen

pg.setConfigOptions(antialias=False)

#: the temperatures' colours (T1, T2 …, MOS), the same on the Live page and in the log viewer
TEMP_COLOURS = ("#d55e00", "#e69f00", "#cc79a7", "#56b4e9", "#009e73", "#f0e442", "#7f7f7f", "#000000")


def cell_colour(i: int, n: int) -> QColor:
    """Cell ``i`` (0-based) of ``n``: the same colour on the Live page and in the log viewer."""
    return pg.intColor(i, hues=max(n, 1), values=1, maxValue=210, minValue=150, sat=230)


def cosmetic_pen(colour: QColor | str, width: int = 1) -> QPen:
    """A pen as wide on screen whatever the zoom (the cheap kind to draw)."""
    pen = pg.mkPen(colour, width=width)
    pen.setCosmetic(True)
    return pen


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


def cell_curve(colour: QColor | str, finite: bool = True) -> FastCurve:
    """A curve for one cell (or any series): thin, cosmetic, not antialiased."""
    return FastCurve(pen=cosmetic_pen(colour), antialias=False, skipFiniteCheck=finite)


class GridLines:
    """Light grid lines at the axes' major ticks, as ONE curve item.

    pyqtgraph's own ``showGrid`` cost 7–10 ms per repaint here (offscreen
    raster, 1264 px wide), whatever the alpha; this costs well under 1 ms.
    It is rebuilt only when the view range or size changes.
    """

    def __init__(self, plot: pg.PlotWidget, x: bool, y: bool, colour: str = "#e2e6ea") -> None:
        self.plot = plot
        self.x, self.y = x, y
        self.item = pg.PlotCurveItem(pen=cosmetic_pen(colour), connect="pairs", antialias=False)
        self.item.setZValue(-100)
        plot.addItem(self.item, ignoreBounds=True)
        vb = plot.getPlotItem().getViewBox()
        vb.sigRangeChanged.connect(self.update)
        vb.sigResized.connect(self.update)

    def update(self, *_args: object) -> None:
        vb = self.plot.getPlotItem().getViewBox()
        (x0, x1), (y0, y1) = vb.viewRange()
        xs: list[float] = []
        ys: list[float] = []
        if self.y:
            for v in self._ticks("left", y0, y1, vb.height()):
                xs += [x0, x1]
                ys += [v, v]
        if self.x:
            for v in self._ticks("bottom", x0, x1, vb.width()):
                xs += [v, v]
                ys += [y0, y1]
        self.item.setData(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))

    def _ticks(self, axis: str, lo: float, hi: float, size: float) -> list[float]:
        if not (hi > lo) or size <= 0:
            return []
        levels = self.plot.getAxis(axis).tickValues(lo, hi, size)
        values: list[float] = []
        for _spacing, vals in levels[:2]:  # major and minor ticks
            values += [v for v in vals if lo <= v <= hi]
        return values


class BarLabels(pg.GraphicsObject):
    """The value above every bar, drawn by ONE item in one paint call.

    32 pg.TextItems (a QGraphicsTextItem each) cost several times more per
    frame; here a new set of values is one list comparison and one update().
    A point may carry its own colour (a cell past the board's limit): ``(x, y, text,
    colour)``; without one it is drawn in the item's colour.
    """

    def __init__(self, colour: str = "#333333") -> None:
        super().__init__()
        self._points: list[tuple] = []
        self._pen = QPen(QColor(colour))
        self._pens: dict[str, QPen] = {}
        self._font = QFont()
        self.setZValue(10)

    def setFont(self, font: QFont) -> None:  # noqa: N802 (Qt style)
        self._font = font
        self.update()

    def set_points(self, points: list[tuple]) -> None:
        if points != self._points:
            self._points = points
            self.update()

    def viewRangeChanged(self) -> None:  # noqa: N802 (pyqtgraph's hook)
        self.prepareGeometryChange()  # our bounding rect is the view rect

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        vb = self.getViewBox()
        if vb is None:
            return QRectF()
        return vb.viewRect()

    def paint(self, p: QPainter, *_args: object) -> None:
        if not self._points:
            return
        tr = p.transform()
        p.save()
        p.resetTransform()
        p.setFont(self._font)
        p.setPen(self._pen)
        fm = QFontMetrics(self._font)
        h = fm.height()
        current = self._pen
        for point in self._points:
            x, y, text = point[:3]
            pen = self._pen_for(point[3]) if len(point) > 3 and point[3] else self._pen
            if pen is not current:
                p.setPen(pen)
                current = pen
            pt = tr.map(QPointF(x, y))
            w = fm.horizontalAdvance(text)
            p.drawText(
                QRectF(pt.x() - w / 2 - 2, pt.y() - h - 1, w + 4, h), Qt.AlignmentFlag.AlignCenter, text
            )
        p.restore()

    def _pen_for(self, colour: str) -> QPen:
        pen = self._pens.get(colour)
        if pen is None:
            pen = self._pens[colour] = QPen(QColor(colour))
        return pen


__all__ = ["TEMP_COLOURS", "BarLabels", "FastCurve", "GridLines", "cell_colour", "cell_curve", "cosmetic_pen"]
