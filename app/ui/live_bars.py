"""The Live tab's bar chart: one bar per cell, now.

The lowest and the highest cell are filled in their colours, a cell being balanced
gets a thick outline, and every bar carries its value (``BarLabels``, one item),
amber or red when the cell is near or past the board's own OVP/UVP (services/limits.py).
Under it, on a board that measures them (JK), ``WireBars``: every cell's balance-lead
resistance, the lead that stands out (model/wires.py, the rule the commissioning report
uses too) in amber and named.  A board that does not report them gets no such row.
Items are made once per cell count (``allocate``) and updated with setOpts; brushes
and pens are rebuilt only when the marked cells change, the wire bars only when the
board's readings change (shared/stack.md §4).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ..model import Snapshot
from ..model.units import quantity
from ..model.wires import median_ohm, resistance_outliers
from ..services.limits import Limit, judge_probes
from .live_status import LEVEL_COLOURS, escape
from .plot_items import BarLabels, GridLines
from .theme import AMBER, BALANCE_COLOUR, BAR_COLOUR, GREY, HIGH_COLOUR, LOW_COLOUR

#: margin above and below the cells in the bar chart, and its rounding step
BAR_MARGIN_V = 0.020
BAR_STEP_V = 0.010
#: the wire-resistance bars' plot height (px): a strip under the cells, not a second chart
WIRE_PLOT_H = 52
WIRE_COLOUR = "#a9b7a0"


def _axis_width(widget: QWidget) -> int:
    """One left-axis width for the cell and the wire bars, so their bars line up."""
    fm = QFontMetrics(widget.font())
    return fm.horizontalAdvance("8.888") + fm.height() + 16


def _bar_plot(bottom: str | None, left: str, width: int) -> pg.PlotWidget:
    plot = pg.PlotWidget()
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(False, False)
    plot.hideButtons()
    plot.setLabel("left", left)
    if bottom is None:
        plot.hideAxis("bottom")
    else:
        plot.setLabel("bottom", bottom)
    plot.getAxis("left").setWidth(width)
    plot.getPlotItem().vb.disableAutoRange()
    return plot


def mohm(ohm: float) -> str:
    """A lead's resistance in mΩ, to the mΩ the board measures (the one formatter)."""
    return quantity(ohm * 1000, "mΩ", 1)


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
        width = _axis_width(self)
        self.plot = _bar_plot(self.tr("Cell number"), self.tr("Cell voltage (V)"), width)
        self._grid = GridLines(self.plot, x=False, y=True)
        self._label_colours: tuple | None = None
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
        self.wires = WireBars(width)
        lay.addWidget(self.wires)

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
        self.wires.allocate(n)

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
        self.wires.clear()

    @property
    def count(self) -> int:
        x = self.bars.opts.get("x")
        return 0 if x is None else len(x)

    # --- drawing --------------------------------------------------------------------------------
    def draw(self, s: Snapshot, limits: dict[str, list[Limit]] | None = None) -> None:
        """One snapshot's cells; ``limits``: the board's limits per reading (its OVP and
        UVP colour a cell's value)."""
        cells = s.cell_voltages_v
        n = len(cells)
        if n != self.cells:
            return  # reallocated since; the next snapshot draws
        if s.cell_resistances_ohm:
            self.wires.draw(s.cell_resistances_ohm)
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
        colours = self._cell_colours(s, limits or {})
        self.labels.set_points([(i + 1, v, f"{v:.3f}", colours[i]) for i, v in enumerate(cells)])

    def _cell_colours(self, s: Snapshot, limits: dict[str, list[Limit]]) -> list[str | None]:
        """Each cell's value colour: amber near the board's OVP or UVP, red at or past it
        or on the board's alarm (which names no cell: it goes to the highest or lowest)."""
        cell_limits = [*limits.get("cell_max_v", ()), *limits.get("cell_min_v", ())]
        if not cell_limits:
            return [None] * len(s.cell_voltages_v)
        verdicts = judge_probes(s.cell_voltages_v, cell_limits, set(s.alarms or ()))
        return [LEVEL_COLOURS.get(v.level) for v in verdicts]


class WireBars(QWidget):
    """Every cell's balance-lead resistance (mΩ) as the board measures it, under the cell
    bars and lined up with them; the leads that stand out in amber, named on the right.
    Hidden until the board reports them (a JBD, a Daly … never shows it)."""

    def __init__(self, axis_width: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cells = 0
        self._shown: tuple[float, ...] | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 2, 0, 0)
        lay.setSpacing(0)
        head = QHBoxLayout()
        self.title = QLabel(self.tr("Wire resistance per cell"))
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        head.addWidget(self.title)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # as wide as the row gives: a long note wraps instead of forcing the window wider
        self.summary.setWordWrap(True)
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        head.addWidget(self.summary, 1)
        lay.addLayout(head)
        self.plot = _bar_plot(None, self.tr("mΩ"), axis_width)
        self.plot.setFixedHeight(WIRE_PLOT_H)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7)
        self.plot.addItem(self.bars)
        self.labels = BarLabels()
        self.plot.addItem(self.labels, ignoreBounds=True)
        lay.addWidget(self.plot)
        self._brush = pg.mkBrush(WIRE_COLOUR)
        self._brush_odd = pg.mkBrush(AMBER)
        self._pen = pg.mkPen(QColor("#7d8a75"), width=1)
        self.setVisible(False)

    def allocate(self, n: int) -> None:
        self.cells = n
        self._shown = None
        self.plot.setXRange(0.4, n + 0.6, padding=0)
        font = QFont(self.font())
        font.setPointSizeF(7.5 if n > 20 else 8.0)
        self.labels.setFont(font)
        self.setVisible(False)

    def clear(self) -> None:
        self.cells = 0
        self._shown = None
        self.bars.setOpts(x=[], height=[], brushes=None, pens=None)
        self.labels.set_points([])
        self.summary.setText("")
        self.setVisible(False)

    def draw(self, ohms: list[float]) -> None:
        """The board's readings; nothing is redone while they stay the same (they change
        when the board measures again, not every frame)."""
        values = tuple(ohms)
        if values == self._shown or len(values) != self.cells:
            return
        self._shown = values
        odd = set(resistance_outliers(values))
        milli = np.asarray(values, dtype=float) * 1000
        n = len(values)
        self.bars.setOpts(
            x=np.arange(1, n + 1, dtype=float),
            height=milli,
            width=0.7,
            brushes=[self._brush_odd if i in odd else self._brush for i in range(n)],
            pens=[self._pen] * n,
        )
        top = float(milli.max()) or 1.0
        self.plot.setYRange(0, top * 1.45, padding=0)  # room for the values above
        step = 10 ** math.floor(math.log10(top))
        step = next(m * step for m in (5, 2, 1) if m * step <= top)  # two or three ticks
        self.plot.getAxis("left").setTicks(
            [[(k * step, f"{k * step:g}") for k in range(int(top // step) + 1)]]
        )
        self.labels.set_points(
            [(i + 1, m, f"{m:.0f}", AMBER if i in odd else None) for i, m in enumerate(milli)]
        )
        self._summarise(values, sorted(odd))
        if not self.isVisible():
            self.setVisible(True)

    def _summarise(self, ohms: tuple[float, ...], odd: list[int]) -> None:
        median = median_ohm(ohms) or 0.0
        if odd:
            cells = ", ".join(self.tr("{n} ({value})").format(n=i + 1, value=mohm(ohms[i])) for i in odd)
            text = self.tr("High: cell {cells}, the median is {median}: check its busbar or wire").format(
                cells=cells, median=mohm(median)
            )
            self.summary.setText(f'<b style="color:{AMBER}">&#9888; {escape(text)}</b>')
        else:
            text = self.tr("none stands out (median {median})").format(median=mohm(median))
            self.summary.setText(f'<span style="color:{GREY}">{escape(text)}</span>')


__all__ = ["CellBars", "WireBars", "mohm"]
