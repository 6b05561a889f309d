"""Live cells: the pack at a glance.

Top: big readouts with units.  Middle: one bar per cell (lowest, highest and
balancing cells marked).  Bottom: every cell's voltage over the last minutes.

Performance (shared/stack.md §4): a snapshot only stores itself and appends
one column to a numpy ring buffer; all drawing happens in ONE QTimer at
10 Hz, and only when a new snapshot arrived and the page is visible.  Plot
items are created once per cell count and updated with setOpts/setData;
readout labels have fixed sizes so a new value never re-runs the layout.
Width-1 pens, no antialiasing.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSettings, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..model import Snapshot
from .bridge import SessionBridge
from .recording import RecordBar
from .theme import AMBER, BALANCE_COLOUR, BAR_COLOUR, GREEN, GREY, HIGH_COLOUR, LOW_COLOUR, RED
from .widgets import DASH, Badge, Card, alarm_text, fixed_label, implausible_text, set_text

#: samples kept per cell for the history plot (60 s at 10 frames/s, 5 min at 2/s)
HISTORY = 600
REDRAW_MS = 100
#: the history plot is redrawn every this many timer ticks (5 Hz): it moves slowly,
#: and its 32 paths are the most expensive thing on the page
HISTORY_EVERY = 2
#: margin above and below the cells in the bar chart, and its rounding step
BAR_MARGIN_V = 0.020
BAR_STEP_V = 0.010
#: current below this counts as idle (sensor noise)
IDLE_A = 0.05

pg.setConfigOptions(antialias=False)


class CellHistory:
    """Per-cell ring buffer.  Every sample is written twice (at i and i+cap),
    so the newest ``count`` samples are always one contiguous, ordered view."""

    def __init__(self, cells: int, capacity: int = HISTORY) -> None:
        self.cells = cells
        self.capacity = capacity
        self.v = np.zeros((cells, 2 * capacity), dtype=np.float64)
        self.t = np.zeros(2 * capacity, dtype=np.float64)
        self.pos = 0
        self.count = 0

    def append(self, t: float, values: list[float]) -> None:
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

    def clear(self) -> None:
        self.pos = 0
        self.count = 0


class GridLines:
    """Light grid lines at the axes' major ticks, as ONE curve item.

    pyqtgraph's own ``showGrid`` cost 7–10 ms per repaint here (offscreen
    raster, 1264 px wide), whatever the alpha; this costs well under 1 ms.
    It is rebuilt only when the view range or size changes.
    """

    def __init__(self, plot: pg.PlotWidget, x: bool, y: bool, colour: str = "#e2e6ea") -> None:
        self.plot = plot
        self.x, self.y = x, y
        pen = pg.mkPen(colour, width=1)
        pen.setCosmetic(True)
        self.item = pg.PlotCurveItem(pen=pen, connect="pairs", antialias=False)
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
    """

    def __init__(self, colour: str = "#333333") -> None:
        super().__init__()
        self._points: list[tuple[float, float, str]] = []
        self._pen = QPen(QColor(colour))
        self._font = QFont()
        self.setZValue(10)

    def setFont(self, font: QFont) -> None:  # noqa: N802 (Qt style)
        self._font = font
        self.update()

    def set_points(self, points: list[tuple[float, float, str]]) -> None:
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
        for x, y, text in self._points:
            pt = tr.map(QPointF(x, y))
            w = fm.horizontalAdvance(text)
            p.drawText(
                QRectF(pt.x() - w / 2 - 2, pt.y() - h - 1, w + 4, h), Qt.AlignmentFlag.AlignCenter, text
            )
        p.restore()


class LivePage(QWidget):
    def __init__(
        self,
        bridge: SessionBridge,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
        recording: bool = True,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        #: the Record button (None on a page that shows a replayed log)
        self.record_bar: RecordBar | None = RecordBar(bridge, settings) if recording else None
        self._latest: Snapshot | None = None
        self._dirty = False
        self._cells = 0
        self._history: CellHistory | None = None
        self._curves: list[pg.PlotCurveItem] = []
        self._bar_range: tuple[float, float] | None = None
        self._bar_colours: tuple | None = None
        self._ticks = 0
        self._history_tick = -HISTORY_EVERY
        self._history_dirty = False
        self._last_range_update = 0.0
        self._alarms_shown: tuple[str, ...] | None = None
        self._implausible_shown: tuple[str, ...] = ()
        self._temps_shown: str | None = None
        self._card_width = -1
        #: how many redraws actually drew (tests and benchmarks look at it)
        self.redraws = 0

        pg.setConfigOptions(antialias=False, background="w", foreground="#333333")
        root = QVBoxLayout(self)
        root.setContentsMargins(8, 8, 8, 4)
        root.setSpacing(6)
        root.addLayout(self._build_readouts())
        root.addLayout(self._build_status_rows())

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._build_bar_chart())
        splitter.addWidget(self._build_history())
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 4)
        splitter.setChildrenCollapsible(False)
        root.addWidget(splitter, 1)
        if not recording:  # a replayed log: "now" is the playback position
            self.history_plot.setLabel("bottom", self.tr("Seconds before the cursor"))

        self._timer = QTimer(self)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self._redraw)
        self._timer.start()

        bridge.snapshotReceived.connect(self.on_snapshot)
        # a bound method, not a lambda: Qt drops the connection when this page is deleted
        bridge.sessionChanged.connect(self._on_session_changed)
        bridge.historyReset.connect(self._reset_history)
        bridge.stateChanged.connect(self._on_state)
        bridge.errorCountsReceived.connect(self.on_error_counts)
        self.clear()

    # --- building ------------------------------------------------------------------------
    def _build_readouts(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setSpacing(6)
        self.voltage_card = Card(
            self.tr("Pack voltage"), "888.88 V", self.tr("avg cell {v:.3f} V").format(v=8.888)
        )
        self.current_card = Card(self.tr("Current"), "-888.88 A", self.tr("discharging"))
        self.power_card = Card(self.tr("Power"), "-88.88 kW")
        self.soc_card = Card(self.tr("State of charge"), "100 %", "")
        self.soc_bar = QProgressBar()
        self.soc_bar.setRange(0, 100)
        self.soc_bar.setTextVisible(False)
        self.soc_bar.setFixedHeight(self.soc_card.note.height())
        # the SOC card's note line becomes the progress bar
        self.soc_card.layout().replaceWidget(self.soc_card.note, self.soc_bar)
        self.soc_card.note.hide()
        self.delta_card = Card(self.tr("Cell delta"), "1888 mV", self.tr("avg {v:.3f} V").format(v=8.888))
        self.min_card = Card(self.tr("Lowest cell"), "8.888 V", self.tr("cell {n}").format(n=88))
        self.max_card = Card(self.tr("Highest cell"), "8.888 V", self.tr("cell {n}").format(n=88))
        self.min_card.value.setStyleSheet(f"color: {LOW_COLOUR};")
        self.max_card.value.setStyleSheet(f"color: {HIGH_COLOUR};")
        self.cards = [
            self.voltage_card,
            self.current_card,
            self.power_card,
            self.soc_card,
            self.delta_card,
            self.min_card,
            self.max_card,
        ]
        for i, card in enumerate(self.cards):
            grid.addWidget(card, 0, i)
            grid.setColumnStretch(i, 1)
        return grid

    def _build_status_rows(self) -> QVBoxLayout:
        rows = QVBoxLayout()
        rows.setSpacing(4)
        row = QHBoxLayout()
        row.setSpacing(8)

        def caption(text: str, target: QHBoxLayout, gap: int = 0) -> None:
            if gap:
                target.addSpacing(gap)
            label = QLabel(text)
            label.setStyleSheet(f"color: {GREY};")
            target.addWidget(label)

        caption(self.tr("Charge MOSFET"), row)
        self.charge_badge = Badge()
        row.addWidget(self.charge_badge)
        caption(self.tr("Discharge MOSFET"), row, 10)
        self.discharge_badge = Badge()
        row.addWidget(self.discharge_badge)
        caption(self.tr("Balancer"), row, 10)
        self.balancing_badge = Badge(template=self.tr("BALANCING"))
        row.addWidget(self.balancing_badge)
        caption(self.tr("Alarms"), row, 10)
        self.alarms_label = QLabel(DASH)
        self.alarms_label.setWordWrap(True)
        self.alarms_label.setTextFormat(Qt.TextFormat.RichText)
        self.alarms_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(self.alarms_label, 1)
        rows.addLayout(row)

        row2 = QHBoxLayout()
        row2.setSpacing(8)
        caption(self.tr("Temperatures"), row2)
        self.temps_label = QLabel(DASH)
        self.temps_label.setTextFormat(Qt.TextFormat.PlainText)
        self._temps_layout: int | None = None  # sensor count the label is sized for
        row2.addWidget(self.temps_label)
        row2.addStretch(1)
        widest = "   ".join(
            [
                self.tr("Capacity {left:.1f} of {full:.1f} Ah").format(left=8888.8, full=8888.8),
                self.tr("Cycles {n}").format(n=88888),
                self.tr("Balance current {a:.2f} A").format(a=-8.88),
            ]
        )
        self.capacity_label = fixed_label(widest, align=Qt.AlignmentFlag.AlignRight)
        self.capacity_label.setStyleSheet(f"color: {GREY};")
        row2.addWidget(self.capacity_label)
        rows.addLayout(row2)

        # how often each protection tripped, as the board counts it (JBD 0xAA)
        self.trips_row = QWidget()
        row3 = QHBoxLayout(self.trips_row)
        row3.setContentsMargins(0, 0, 0, 0)
        row3.setSpacing(8)
        caption(self.tr("Protection trips counted by the board"), row3)
        self.trips_label = QLabel(DASH)
        self.trips_label.setWordWrap(True)
        self.trips_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row3.addWidget(self.trips_label, 1)
        self.trips_row.setVisible(False)
        rows.addWidget(self.trips_row)

        # values a frame carried that no board can mean: named, never shown as real
        self.implausible_label = QLabel()
        self.implausible_label.setWordWrap(True)
        self.implausible_label.setTextFormat(Qt.TextFormat.RichText)
        self.implausible_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.implausible_label.setVisible(False)
        rows.addWidget(self.implausible_label)
        return rows

    def on_error_counts(self, counts: object) -> None:
        values = getattr(counts, "counts", {})
        tripped = [(k, n) for k, n in values.items() if n and k != "restarts"]
        if not tripped:
            text = self.tr("none")
        else:
            text = ", ".join(f"{alarm_text(k)} {n}×" for k, n in tripped)
        if values.get("restarts"):
            text += "; " + self.tr("restarts {n}").format(n=values["restarts"])
        self.trips_label.setText(text)
        self.trips_row.setVisible(True)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        # card fonts follow the window width (rare), never the values
        per_card = (event.size().width() - 16 - 6 * (len(self.cards) - 1)) // len(self.cards)
        if per_card != self._card_width:
            self._card_width = per_card
            size = min(card.size_for_width(per_card) for card in self.cards)
            for card in self.cards:
                card.apply(size, per_card)
            self.capacity_label.setMaximumWidth(max(0, event.size().width() // 2))

    def _build_bar_chart(self) -> QWidget:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        head = QHBoxLayout()
        title = QLabel(self.tr("Cell voltages now"))
        f = title.font()
        f.setBold(True)
        title.setFont(f)
        head.addWidget(title)
        if self.record_bar is not None:  # the page's one tool: record what it shows
            head.addSpacing(24)
            head.addWidget(self.record_bar)
        head.addStretch(1)
        # translated outside the f-string: lupdate does not look inside one (tests/test_i18n.py)
        low, high, balanced = self.tr("lowest cell"), self.tr("highest cell"), self.tr("being balanced")
        legend = QLabel(
            f'<span style="color:{LOW_COLOUR}">&#9632;</span> {_escape(low)}'
            f' &nbsp; <span style="color:{HIGH_COLOUR}">&#9632;</span> {_escape(high)}'
            f' &nbsp; <span style="color:{BALANCE_COLOUR}">&#9633;</span> {_escape(balanced)}'
        )
        legend.setTextFormat(Qt.TextFormat.RichText)
        head.addWidget(legend)
        lay.addLayout(head)

        self.bar_plot = pg.PlotWidget()
        self.bar_plot.setMenuEnabled(False)
        self.bar_plot.setMouseEnabled(False, False)
        self.bar_plot.hideButtons()
        self._bar_grid = GridLines(self.bar_plot, x=False, y=True)
        self.bar_plot.setLabel("left", self.tr("Cell voltage (V)"))
        self.bar_plot.setLabel("bottom", self.tr("Cell number"))
        self.bar_plot.getPlotItem().vb.disableAutoRange()
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7)
        self.bar_plot.addItem(self.bars)
        self._brush_normal = pg.mkBrush(BAR_COLOUR)
        self._brush_low = pg.mkBrush(LOW_COLOUR)
        self._brush_high = pg.mkBrush(HIGH_COLOUR)
        self._pen_normal = pg.mkPen(QColor("#6b7785"), width=1)
        self._pen_balancing = pg.mkPen(QColor(BALANCE_COLOUR), width=3)
        self.bar_labels = BarLabels()
        self.bar_plot.addItem(self.bar_labels, ignoreBounds=True)
        lay.addWidget(self.bar_plot, 1)
        return box

    def _build_history(self) -> QWidget:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        head = QHBoxLayout()
        title = QLabel(self.tr("Cell voltage history"))
        f = title.font()
        f.setBold(True)
        title.setFont(f)
        head.addWidget(title)
        head.addStretch(1)
        self.history_legend = QLabel()
        self.history_legend.setTextFormat(Qt.TextFormat.RichText)
        self.history_legend.setWordWrap(True)  # never forces the window wider
        self.history_legend.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.history_legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.history_legend.setMinimumHeight(self.history_legend.fontMetrics().height())
        head.addWidget(self.history_legend, 1)
        lay.addLayout(head)

        self.history_plot = pg.PlotWidget()
        self.history_plot.setMenuEnabled(False)
        self.history_plot.setMouseEnabled(False, False)
        self.history_plot.hideButtons()
        self._history_grid = GridLines(self.history_plot, x=True, y=True)
        self.history_plot.setLabel("left", self.tr("Cell voltage (V)"))
        self.history_plot.setLabel("bottom", self.tr("Seconds before now"))
        self.history_plot.getPlotItem().vb.disableAutoRange()
        lay.addWidget(self.history_plot, 1)
        return box

    # --- data in (cheap) --------------------------------------------------------------------
    def on_snapshot(self, snap: Snapshot) -> None:
        """Store the newest snapshot and append its cells; drawing waits for the timer."""
        self._latest = snap
        self._dirty = True
        cells = snap.cell_voltages_v
        if not cells:
            return
        if len(cells) != self._cells:
            self._allocate(len(cells))
        assert self._history is not None
        self._history.append(self.bridge.now(), cells)
        self._history_dirty = True

    def _reset_history(self) -> None:
        """A replay jumped: the history starts again with the snapshots that follow."""
        if self._history is not None:
            self._history.clear()
            self._history_dirty = True
            self._last_range_update = 0.0  # axes follow the new stretch at once

    def _on_state(self, state: str, _detail: str) -> None:
        if state == "live" and not self.trips_row.isVisible() and self.bridge.session is not None:
            self.bridge.spawn(self.bridge.read_error_counts())
        # stale numbers are greyed while the link is not live
        live = state in ("live", "writing")
        for card in (
            self.voltage_card,
            self.current_card,
            self.power_card,
            self.soc_card,
            self.delta_card,
            self.min_card,
            self.max_card,
        ):
            card.setEnabled(live or self._latest is None)

    def _allocate(self, n: int) -> None:
        """(Re)create everything that depends on the cell count."""
        self._cells = n
        self._history = CellHistory(n)
        for curve in self._curves:
            self.history_plot.removeItem(curve)
        self._curves = []
        legend = []
        for i in range(n):
            colour = pg.intColor(i, hues=n, values=1, maxValue=210, minValue=150, sat=230)
            pen = pg.mkPen(colour, width=1)
            pen.setCosmetic(True)
            curve = pg.PlotCurveItem(pen=pen, antialias=False, skipFiniteCheck=True)
            self.history_plot.addItem(curve)
            self._curves.append(curve)
            legend.append(
                f'<span style="white-space:nowrap">'
                f'<span style="color:{colour.name()}">&#9632;</span>{i + 1}</span>'
            )
        self.history_legend.setText(" ".join(legend))  # spaces: may wrap
        x = np.arange(1, n + 1, dtype=float)
        self.bars.setOpts(
            x=x,
            height=np.zeros(n),
            y0=np.zeros(n),
            width=0.7,
            brushes=[self._brush_normal] * n,
            pens=[self._pen_normal] * n,
        )
        bottom = self.bar_plot.getAxis("bottom")
        step = 1 if n <= 32 else 2
        ticks = [(i, str(i)) for i in range(1, n + 1) if (i - 1) % step == 0 or i == n]
        bottom.setTicks([ticks, [(i, "") for i in range(1, n + 1)]])
        self.bar_plot.setXRange(0.4, n + 0.6, padding=0)
        self._bar_range = None
        self._bar_colours = None
        self._make_value_items(n)

    def _make_value_items(self, n: int) -> None:
        font = QFont(self.font())
        font.setPointSizeF(8.0 if n > 20 else 9.0)
        self.bar_labels.setFont(font)
        self.bar_labels.set_points([])

    def _on_session_changed(self, _session: object) -> None:
        self.clear()

    def clear(self) -> None:
        """Forget everything shown (a new or no session)."""
        self._latest = None
        self._dirty = False
        self._history_dirty = False
        self._cells = 0
        self._history = None
        for curve in self._curves:
            self.history_plot.removeItem(curve)
        self._curves = []
        self.history_legend.setText("")
        self.bars.setOpts(x=[], height=[], y0=[], brushes=None, pens=None)  # [] trips pyqtgraph 0.14
        self._make_value_items(0)
        self.bar_plot.getAxis("bottom").setTicks(None)
        self._bar_range = None
        for card in (
            self.voltage_card,
            self.current_card,
            self.power_card,
            self.delta_card,
            self.min_card,
            self.max_card,
            self.soc_card,
        ):
            card.set(DASH, "")
            card.setEnabled(True)
        self.soc_bar.setValue(0)
        self.temps_label.setText(DASH)
        self._temps_shown = None
        self._temps_layout = None
        self.temps_label.setMinimumSize(0, 0)
        self.temps_label.setMaximumSize(16777215, 16777215)
        self.charge_badge.set_state(None)
        self.discharge_badge.set_state(None)
        self.balancing_badge.set_state(None)
        self.alarms_label.setText(DASH)
        self._alarms_shown = None
        self.trips_row.setVisible(False)
        self.capacity_label.setText("")
        self._implausible_shown = ()
        self.implausible_label.setVisible(False)

    # --- drawing (10 Hz timer) ------------------------------------------------------------------
    def _redraw(self) -> None:
        """The one repaint timer: readouts and bars at 10 Hz, the history at 5 Hz,
        each only when new data arrived and the page is on screen."""
        if not self.isVisible():
            return
        self._ticks += 1
        snap = self._latest
        if self._dirty and snap is not None:
            self._dirty = False
            self.redraws += 1
            self._draw_readouts(snap)
            if self._history is not None and self._cells:
                self._draw_bars(snap)
        if (
            self._history_dirty
            and self._history is not None
            and self._ticks - self._history_tick >= HISTORY_EVERY
        ):
            self._history_dirty = False
            self._history_tick = self._ticks
            self._draw_history()

    def _draw_readouts(self, s: Snapshot) -> None:
        if s.pack_voltage_v is not None:
            note = self.tr("avg cell {v:.3f} V").format(v=s.cell_avg_v) if s.cell_avg_v is not None else ""
            self.voltage_card.set(self.tr("{v:.2f} V").format(v=s.pack_voltage_v), note)
        if s.current_a is not None:
            if s.current_a > IDLE_A:
                word = self.tr("charging")
            elif s.current_a < -IDLE_A:
                word = self.tr("discharging")
            else:
                word = self.tr("idle")
            text = (self.tr("{a:+.2f} A") if abs(s.current_a) < 100 else self.tr("{a:+.1f} A")).format(
                a=s.current_a
            )
            self.current_card.set(text, word)
        if s.power_w is not None:
            if abs(s.power_w) < 10000:
                self.power_card.set(self.tr("{w:.0f} W").format(w=s.power_w))
            else:
                self.power_card.set(self.tr("{kw:.2f} kW").format(kw=s.power_w / 1000))
        if s.soc_pct is not None:
            self.soc_card.set(self.tr("{p:.0f} %").format(p=s.soc_pct))
            pct = int(round(max(0.0, min(100.0, s.soc_pct))))
            if self.soc_bar.value() != pct:
                self.soc_bar.setValue(pct)
        if s.cell_delta_v is not None:
            note = self.tr("avg {v:.3f} V").format(v=s.cell_avg_v) if s.cell_avg_v is not None else ""
            self.delta_card.set(self.tr("{mv:.0f} mV").format(mv=s.cell_delta_v * 1000), note)
        if s.cell_min_v is not None:
            self.min_card.set(
                self.tr("{v:.3f} V").format(v=s.cell_min_v),
                self.tr("cell {n}").format(n=s.cell_min_index) if s.cell_min_index else "",
            )
        if s.cell_max_v is not None:
            self.max_card.set(
                self.tr("{v:.3f} V").format(v=s.cell_max_v),
                self.tr("cell {n}").format(n=s.cell_max_index) if s.cell_max_index else "",
            )

        parts = [
            self.tr("T{n} {c:.1f} °C").format(n=i + 1, c=t) for i, t in enumerate(s.temperatures_c or [])
        ]
        if s.mos_temperature_c is not None:
            parts.append(self.tr("MOS {c:.1f} °C").format(c=s.mos_temperature_c))
        if s.balancer_temperature_c is not None:
            parts.append(self.tr("balancer {c:.1f} °C").format(c=s.balancer_temperature_c))
        temps = "  ".join(parts) or DASH
        if len(parts) != self._temps_layout:
            # fixed width for this many sensors: later values never re-run the layout
            self._temps_layout = len(parts)
            template = "  ".join(self.tr("T{n} {c:.1f} °C").format(n=8, c=-88.8) for _ in parts) or DASH
            fm = self.temps_label.fontMetrics()
            self.temps_label.setFixedSize(fm.horizontalAdvance(template) + 8, fm.height() + 4)
        if temps != self._temps_shown:
            self._temps_shown = temps
            self.temps_label.setText(temps)

        cap = []
        if s.capacity_remaining_ah is not None:
            if s.capacity_full_ah:
                cap.append(
                    self.tr("Capacity {left:.1f} of {full:.1f} Ah").format(
                        left=s.capacity_remaining_ah, full=s.capacity_full_ah
                    )
                )
            else:
                cap.append(self.tr("Capacity {left:.1f} Ah").format(left=s.capacity_remaining_ah))
        if s.cycles is not None:
            cap.append(self.tr("Cycles {n}").format(n=s.cycles))
        if s.balance_current_a is not None:
            cap.append(self.tr("Balance current {a:.2f} A").format(a=s.balance_current_a))
        set_text(self.capacity_label, "   ".join(cap))

        self.charge_badge.set_state(s.charge_mos_on)
        self.discharge_badge.set_state(s.discharge_mos_on)
        if s.balancing_active is None:
            self.balancing_badge.set_state(None)
        elif s.balancing_active:
            self.balancing_badge.set_word(self.tr("BALANCING"), AMBER)
        else:
            self.balancing_badge.set_word(self.tr("IDLE"), GREY)

        alarms = tuple(s.alarms)
        if alarms != self._alarms_shown:
            if (
                self._alarms_shown is not None
                and set(alarms) - set(self._alarms_shown)
                and self.trips_row.isVisible()
            ):
                self.bridge.spawn(self.bridge.read_error_counts())  # a new trip: counters moved
            self._alarms_shown = alarms
            if alarms:
                words = ", ".join(alarm_text(a) for a in alarms)
                self.alarms_label.setText(f'<b style="color:{RED}">&#9888; {_escape(words)}</b>')
            else:
                none = self.tr("No alarms")
                self.alarms_label.setText(f'<span style="color:{GREEN}">{_escape(none)}</span>')

        self._draw_implausible(s)

    def _draw_implausible(self, s: Snapshot) -> None:
        """Say which values the board sent that it cannot mean; their cards show a dash."""
        names = tuple(s.implausible)
        if names:
            bases = {n.partition("[")[0] for n in names}
            for card, keys in (
                (self.voltage_card, ("pack_voltage_v",)),
                (self.current_card, ("current_a",)),
                (self.power_card, ("pack_voltage_v", "current_a")),
                (self.soc_card, ("soc_pct",)),
                (self.delta_card, ("cell_voltages_v", "cell_delta_v")),
                (self.min_card, ("cell_voltages_v", "cell_min_v")),
                (self.max_card, ("cell_voltages_v", "cell_max_v")),
            ):
                if bases.intersection(keys):
                    card.set(DASH, "")
        if names == self._implausible_shown:
            return
        self._implausible_shown = names
        if not names:
            self.implausible_label.setVisible(False)
            return
        words = ", ".join(implausible_text(n, v) for n, v in s.implausible.items())
        text = self.tr("Not shown: values no battery can have, as the board sent them: {values}").format(
            values=words
        )
        self.implausible_label.setText(f'<b style="color:{RED}">&#9888; {_escape(text)}</b>')
        self.implausible_label.setVisible(True)

    def _draw_bars(self, s: Snapshot) -> None:
        cells = s.cell_voltages_v
        n = len(cells)
        if n != self._cells:
            return  # reallocated since; the next snapshot draws
        lo_v, hi_v = min(cells), max(cells)
        lo = math.floor((lo_v - BAR_MARGIN_V) / BAR_STEP_V) * BAR_STEP_V
        hi = math.ceil((hi_v + BAR_MARGIN_V) / BAR_STEP_V) * BAR_STEP_V
        if self._bar_range != (lo, hi):
            self._bar_range = (lo, hi)
            # a little headroom so the top tick label is not cut off
            self.bar_plot.setYRange(lo, hi + (hi - lo) * 0.03, padding=0)
        heights = np.asarray(cells, dtype=float) - lo
        lo_i = (s.cell_min_index or cells.index(lo_v) + 1) - 1
        hi_i = (s.cell_max_index or cells.index(hi_v) + 1) - 1
        balancing = tuple(c for c in (s.balancing_cells or ()) if 1 <= c <= n)
        colours = (lo_i, hi_i, balancing)
        if colours != self._bar_colours:
            # brushes and pens are rebuilt only when the marked cells change
            self._bar_colours = colours
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
        self.bar_labels.set_points([(i + 1, v, f"{v:.3f}") for i, v in enumerate(cells)])

    def _draw_history(self) -> None:
        assert self._history is not None
        t, v = self._history.view()
        if not len(t):
            return
        x = t - t[-1]
        for i, curve in enumerate(self._curves):
            curve.setData(x, v[i], skipFiniteCheck=True)
        now = time.monotonic()
        # ranges move at most once a second: steady axes, no autorange per frame
        if now - self._last_range_update >= 1.0 or self._history.count <= 2:
            self._last_range_update = now
            span = max(10.0, float(-x[0]))
            self.history_plot.setXRange(-span, 0, padding=0.01)
            lo, hi = float(v.min()), float(v.max())
            self.history_plot.setYRange(lo - 0.01, hi + 0.01, padding=0)

    # --- for tests and benchmarks -------------------------------------------------------------
    @property
    def bar_count(self) -> int:
        x = self.bars.opts.get("x")
        return 0 if x is None else len(x)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
