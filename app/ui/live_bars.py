"""The Live tab's bar chart: one bar per cell, now.

The lowest and the highest cell are filled in their colours, a cell being balanced
gets a thick outline, and every bar carries its value (``BarLabels``, one item).
Items are made once per cell count (``allocate``) and updated with setOpts; brushes
and pens are rebuilt only when the marked cells change (shared/stack.md §4).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..model import Snapshot
from .live_status import escape
from .plot_items import BarLabels, GridLines
from .theme import BALANCE_COLOUR, BAR_COLOUR, HIGH_COLOUR, LOW_COLOUR

#: margin above and below the cells in the bar chart, and its rounding step
BAR_MARGIN_V = 0.020
BAR_STEP_V = 0.010


class CellBars(QWidget):
    """ "Cell voltages now": the title (with the page's tool beside it), a legend, the bars."""

    def __init__(self, tool: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cells = 0
        self._range: tuple[float, float] | None = None
        self._marked: tuple | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(self._build_head(tool))
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self._grid = GridLines(self.plot, x=False, y=True)
        self.plot.setLabel("left", self.tr("Cell voltage (V)"))
        self.plot.setLabel("bottom", self.tr("Cell number"))
        self.plot.getPlotItem().vb.disableAutoRange()
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7)
        self.plot.addItem(self.bars)
        self._brush_normal = pg.mkBrush(BAR_COLOUR)
        self._brush_low = pg.mkBrush(LOW_COLOUR)
        self._brush_high = pg.mkBrush(HIGH_COLOUR)
        self._pen_normal = pg.mkPen(QColor("#6b7785"), width=1)
        self._pen_balancing = pg.mkPen(QColor(BALANCE_COLOUR), width=3)
        self.labels = BarLabels()
        self.plot.addItem(self.labels, ignoreBounds=True)
        lay.addWidget(self.plot, 1)

    def _build_head(self, tool: QWidget | None) -> QHBoxLayout:
        head = QHBoxLayout()
        title = QLabel(self.tr("Cell voltages now"))
        f = title.font()
        f.setBold(True)
        title.setFont(f)
        head.addWidget(title)
        if tool is not None:  # the page's one tool: record what it shows
            head.addSpacing(24)
            head.addWidget(tool)
        head.addStretch(1)
        # translated outside the f-string: lupdate does not look inside one (tests/test_i18n.py)
        low, high, balanced = self.tr("lowest cell"), self.tr("highest cell"), self.tr("being balanced")
        legend = QLabel(
            f'<span style="color:{LOW_COLOUR}">&#9632;</span> {escape(low)}'
            f' &nbsp; <span style="color:{HIGH_COLOUR}">&#9632;</span> {escape(high)}'
            f' &nbsp; <span style="color:{BALANCE_COLOUR}">&#9633;</span> {escape(balanced)}'
        )
        legend.setTextFormat(Qt.TextFormat.RichText)
        head.addWidget(legend)
        return head

    # --- the cell count -----------------------------------------------------------------------
    def allocate(self, n: int) -> None:
        """One bar per cell, their ticks and the value labels' font."""
        self.cells = n
        self.bars.setOpts(
            x=np.arange(1, n + 1, dtype=float),
            height=np.zeros(n),
            y0=np.zeros(n),
            width=0.7,
            brushes=[self._brush_normal] * n,
            pens=[self._pen_normal] * n,
        )
        step = 1 if n <= 32 else 2
        ticks = [(i, str(i)) for i in range(1, n + 1) if (i - 1) % step == 0 or i == n]
        self.plot.getAxis("bottom").setTicks([ticks, [(i, "") for i in range(1, n + 1)]])
        self.plot.setXRange(0.4, n + 0.6, padding=0)
        self._range = None
        self._marked = None
        self._label_font(n)

    def _label_font(self, n: int) -> None:
        font = QFont(self.font())
        font.setPointSizeF(8.0 if n > 20 else 9.0)
        self.labels.setFont(font)
        self.labels.set_points([])

    def clear(self) -> None:
        self.cells = 0
        self.bars.setOpts(x=[], height=[], y0=[], brushes=None, pens=None)  # [] trips pyqtgraph 0.14
        self._label_font(0)
        self.plot.getAxis("bottom").setTicks(None)
        self._range = None

    @property
    def count(self) -> int:
        x = self.bars.opts.get("x")
        return 0 if x is None else len(x)

    # --- drawing --------------------------------------------------------------------------------
    def draw(self, s: Snapshot) -> None:
        cells = s.cell_voltages_v
        n = len(cells)
        if n != self.cells:
            return  # reallocated since; the next snapshot draws
        lo_v, hi_v = min(cells), max(cells)
        lo = math.floor((lo_v - BAR_MARGIN_V) / BAR_STEP_V) * BAR_STEP_V
        hi = math.ceil((hi_v + BAR_MARGIN_V) / BAR_STEP_V) * BAR_STEP_V
        if self._range != (lo, hi):
            self._range = (lo, hi)
            # a little headroom so the top tick label is not cut off
            self.plot.setYRange(lo, hi + (hi - lo) * 0.03, padding=0)
        heights = np.asarray(cells, dtype=float) - lo
        lo_i = (s.cell_min_index or cells.index(lo_v) + 1) - 1
        hi_i = (s.cell_max_index or cells.index(hi_v) + 1) - 1
        balancing = tuple(c for c in (s.balancing_cells or ()) if 1 <= c <= n)
        marked = (lo_i, hi_i, balancing)
        if marked != self._marked:
            # brushes and pens are rebuilt only when the marked cells change
            self._marked = marked
            brushes = [self._brush_normal] * n
            if 0 <= lo_i < n:
                brushes[lo_i] = self._brush_low
            if 0 <= hi_i < n:
                brushes[hi_i] = self._brush_high
            pens = [self._pen_normal] * n
            for c in balancing:
                pens[c - 1] = self._pen_balancing
            self.bars.setOpts(height=heights, y0=lo, brushes=brushes, pens=pens)
        else:
            self.bars.setOpts(height=heights, y0=lo)
        self.labels.set_points([(i + 1, v, f"{v:.3f}") for i, v in enumerate(cells)])


__all__ = ["CellBars"]
