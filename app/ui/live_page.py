"""Live cells: the pack at a glance.

Top: big readouts with units, then the status rows (live_status.py).  Middle:
one bar per cell (lowest, highest and balancing cells marked), and each cell's wire
resistance where the board measures it (live_bars.py).  Bottom: every cell's voltage
over the last minutes, and beside it the current, the power and the temperatures
(live_history.py; plot_items.py draws both pages' cells).

Honest states: a reading this board does not report says "not reported" in
grey, never a dash that looks like "waiting" or a green pass.  A reading near
or past the board's own limit (services/limits.py: the settings the board
reported, and its alarms) is amber or red, with the limit in the tooltip.

Performance (shared/stack.md §4): a snapshot only stores itself and appends
one column to numpy ring buffers; all drawing happens in ONE QTimer at
10 Hz, and only when a new snapshot arrived and the page is visible.  Plot
items are created once per cell count and updated with setOpts/setData;
readout labels have fixed sizes so a new value never re-runs the layout.
Width-1 pens, no antialiasing.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..model import Snapshot
from ..services.limits import Limit, judge, reading_limits
from .bridge import SessionBridge
from .live_bars import CellBars
from .live_history import CellHistory, HistoryPlots
from .live_status import LEVEL_COLOURS, TEMPERATURES, LiveStatus, escape, limit_tip
from .plot_items import FastCurve
from .recording import RecordBar
from .theme import HIGH_COLOUR, LOW_COLOUR, RED
from .widgets import DASH, Card, implausible_text, not_reported, not_reported_long

REDRAW_MS = 100
#: the history plots are redrawn every this many timer ticks (5 Hz): they move slowly,
#: and the cells' 32 paths are the most expensive thing on the page
HISTORY_EVERY = 2
#: current below this counts as idle (sensor noise)
IDLE_A = 0.05
#: the fields whose absence the page names ("not reported"); ``temperatures``: any of them
TRACKED = (
    "current_a",
    "power_w",
    "soc_pct",
    "charge_mos_on",
    "discharge_mos_on",
    "balancing_active",
)

pg.setConfigOptions(antialias=False)


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
        self._ticks = 0
        self._history_tick = -HISTORY_EVERY
        self._implausible_shown: tuple[str, ...] = ()
        self._card_width = -1
        #: the fields some snapshot of this session carried (the rest are "not reported")
        self._seen: set[str] = set()
        #: how many redraws actually drew (tests and benchmarks look at it)
        self.redraws = 0

        pg.setConfigOptions(antialias=False, background="w", foreground="#333333")
        root = QVBoxLayout(self)
        root.setContentsMargins(8, 8, 8, 4)
        root.setSpacing(6)
        root.addLayout(self._build_readouts())
        self.status = LiveStatus(bridge)
        root.addWidget(self.status)
        root.addWidget(self._build_implausible())
        root.addWidget(self._build_charts(), 1)
        if not recording:  # a replayed log: "now" is the playback position
            self.histories.set_time_label(self.tr("Seconds before the cursor"))
        self._known_names()

        self._timer = QTimer(self)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self._redraw)
        self._timer.start()

        bridge.snapshotReceived.connect(self.on_snapshot)
        # a bound method, not a lambda: Qt drops the connection when this page is deleted
        bridge.sessionChanged.connect(self._on_session_changed)
        bridge.historyReset.connect(self._reset_history)
        bridge.stateChanged.connect(self._on_state)
        bridge.errorCountsReceived.connect(self.status.on_error_counts)
        self.clear()

    # --- building ------------------------------------------------------------------------
    def _known_names(self) -> None:
        """The parts' widgets under the names the page had before it was split (tests)."""
        st, bars = self.status, self.cell_bars
        self.charge_badge, self.discharge_badge = st.charge_badge, st.discharge_badge
        self.balancing_badge, self.alarms_label = st.balancing_badge, st.alarms_label
        self.temps_label, self.capacity_label = st.temps_label, st.capacity_label
        self.trips_row, self.trips_label = st.trips_row, st.trips_label
        self.bar_plot, self.bars, self.bar_labels = bars.plot, bars.bars, bars.labels

    def _build_charts(self) -> QSplitter:
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.cell_bars = CellBars(self.record_bar)
        splitter.addWidget(self.cell_bars)
        self.histories = HistoryPlots()
        self.history_plot = self.histories.plot
        splitter.addWidget(self.histories)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 4)
        splitter.setChildrenCollapsible(False)
        return splitter

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
        self.min_card.set_value_colour(LOW_COLOUR)
        self.max_card.set_value_colour(HIGH_COLOUR)
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

    def _build_implausible(self) -> QLabel:
        """Values a frame carried that no board can mean: named, never shown as real."""
        self.implausible_label = QLabel()
        self.implausible_label.setWordWrap(True)
        self.implausible_label.setTextFormat(Qt.TextFormat.RichText)
        self.implausible_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.implausible_label.setVisible(False)
        return self.implausible_label

    def on_error_counts(self, counts: object) -> None:
        self.status.on_error_counts(counts)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        # card fonts follow the window width (rare), never the values
        per_card = (event.size().width() - 16 - 6 * (len(self.cards) - 1)) // len(self.cards)
        if per_card != self._card_width:
            self._card_width = per_card
            size = min(card.size_for_width(per_card) for card in self.cards)
            for card in self.cards:
                card.apply(size, per_card)
            self.status.set_capacity_room(event.size().width() // 2)

    # --- data in (cheap) --------------------------------------------------------------------
    def on_snapshot(self, snap: Snapshot) -> None:
        """Store the newest snapshot and append its cells; drawing waits for the timer."""
        self._latest = snap
        self._dirty = True
        if len(self._seen) <= len(TRACKED):  # until every field has been seen once
            self._seen.update(f for f in TRACKED if getattr(snap, f) is not None)
            if (
                snap.temperatures_c
                or snap.mos_temperature_c is not None
                or snap.balancer_temperature_c is not None
            ):
                self._seen.add(TEMPERATURES)
        cells = snap.cell_voltages_v
        if cells and len(cells) != self._cells:
            self._allocate(len(cells))
        self.histories.append(self.bridge.now(), snap)

    def _reset_history(self) -> None:
        """A replay jumped: the history starts again with the snapshots that follow."""
        self.histories.reset()

    # the cell history under the names tests and benchmarks knew
    @property
    def _history(self) -> CellHistory | None:
        return self.histories.cells

    @property
    def _curves(self) -> list[FastCurve]:
        return self.histories.curves

    def _on_state(self, state: str, _detail: str) -> None:
        if state == "live" and not self.trips_row.isVisible() and self.bridge.session is not None:
            self.bridge.spawn(self.bridge.read_error_counts())
        # stale numbers are greyed while the link is not live
        live = state in ("live", "writing")
        for card in self.cards:
            card.setEnabled(live or self._latest is None)

    def _allocate(self, n: int) -> None:
        """(Re)create everything that depends on the cell count."""
        self._cells = n
        self.histories.allocate(n)
        self.cell_bars.allocate(n)

    def _on_session_changed(self, _session: object) -> None:
        self.clear()

    def clear(self) -> None:
        """Forget everything shown (a new or no session)."""
        self._latest = None
        self._dirty = False
        self._seen = set()
        self._cells = 0
        self.histories.clear()
        self.cell_bars.clear()
        for card in self.cards:
            card.set(DASH, "")
            card.set_accent(None)
            card.setEnabled(True)
        self.soc_bar.setValue(0)
        self.soc_bar.setTextVisible(False)
        self.status.clear()
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
            limits = self._limits(snap)
            self._draw_readouts(snap, limits)
            if self._cells:
                self.cell_bars.draw(snap, limits)
        if self.histories.dirty and self._ticks - self._history_tick >= HISTORY_EVERY:
            self._history_tick = self._ticks
            self.histories.draw()

    def _draw_readouts(self, s: Snapshot, limits: dict[str, list[Limit]]) -> None:
        self._draw_cards(s)
        self._draw_missing(s)
        self._draw_accents(s, limits)
        self.status.show(s, self._seen, self._reports_alarms(), limits)
        self._draw_implausible(s)

    def _draw_cards(self, s: Snapshot) -> None:
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
            if self.soc_bar.isTextVisible():
                self.soc_bar.setTextVisible(False)
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

    def _draw_missing(self, s: Snapshot) -> None:
        """The cards of what this board never reported: a dash and "not reported", in grey."""
        for card, key in (
            (self.current_card, "current_a"),
            (self.power_card, "power_w"),
            (self.soc_card, "soc_pct"),
        ):
            if getattr(s, key) is None and key not in self._seen:
                card.set(DASH, not_reported())
                card.set_accent(None, not_reported_long())
        if s.soc_pct is None and "soc_pct" not in self._seen and not self.soc_bar.isTextVisible():
            self.soc_bar.setValue(0)
            self.soc_bar.setFormat(not_reported())  # the SOC card's note line is this bar
            self.soc_bar.setTextVisible(True)

    def _limits(self, s: Snapshot) -> dict[str, list[Limit]]:
        """The board's limits for each reading, from the settings it reported (none: none)."""
        settings = self.bridge.settings
        return reading_limits(settings.values if settings is not None else {}, s.current_a)

    def _reports_alarms(self) -> bool:
        """False when the board's frames carry no alarms (a replay answers for the board it recorded)."""
        protocol = getattr(self.bridge.session, "protocol", None)
        protocol = getattr(protocol, "recorded", None) or protocol
        return bool(getattr(protocol, "reports_alarms", True))

    def _draw_accents(self, s: Snapshot, limits: dict[str, list[Limit]]) -> None:
        """Amber near the board's limit, red at or past it or while its alarm is on."""
        alarms = set(s.alarms or ())
        for card, key in (
            (self.voltage_card, "pack_voltage_v"),
            (self.current_card, "current_a"),
            (self.soc_card, "soc_pct"),
            (self.delta_card, "cell_delta_v"),
            (self.min_card, "cell_min_v"),
            (self.max_card, "cell_max_v"),
        ):
            value = getattr(s, key)
            if value is None and key not in self._seen:
                continue  # "not reported" (_draw_missing)
            verdict = judge(value, limits.get(key, []), alarms)
            card.set_accent(LEVEL_COLOURS.get(verdict.level), limit_tip(verdict))

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
        self.implausible_label.setText(f'<b style="color:{RED}">&#9888; {escape(text)}</b>')
        self.implausible_label.setVisible(True)

    # --- for tests and benchmarks -------------------------------------------------------------
    @property
    def bar_count(self) -> int:
        return self.cell_bars.count
