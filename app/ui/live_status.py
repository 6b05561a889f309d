"""The Live tab's status rows: MOSFETs, balancer, alarms, temperatures, capacity, and the
protection trips a board counts.

Honest states: what the board does not report says so in grey ("not reported by this
board"), never a green pass.  A board whose frames carry no alarm field (a protocol with
``reports_alarms`` False, e.g. JK04) gets no "No alarms"; a MOSFET state nobody reported
gets no badge colour.  A value counts as not reported while no snapshot of this session
has carried it (a later snapshot without it keeps the last value shown).

Temperatures are coloured by the board's own limits (services/limits.py): amber near the
limit, red at or past it or while the board raises the matching alarm; the tooltip names
the limit.  The label is sized once per number of sensors, so a new value repaints
only itself (widgets.py).

The capacity line names what the board counts: capacity, state of health, cycles and the
cycle capacity (the charge that went through the pack), each only where reported, by the
one formatter (model/units.py).  It is sized for the digits its values have (one more
for the counters that grow), so a new value repaints only itself; the balance current
stands beside the balancer's badge.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ..model import Snapshot
from ..model.units import quantity
from ..services.limits import NEAR, OK, OVER, Limit, Verdict, judge, judge_probes
from .bridge import SessionBridge
from .theme import AMBER, GREEN, GREY, RED
from .widgets import DASH, Badge, alarm_text, fixed_label, not_reported_long, set_text, vocab

LEVEL_COLOURS = {NEAR: AMBER, OVER: RED}
#: fields whose absence the rows name (``temperatures``: any of the three)
MOSFETS = ("charge_mos_on", "discharge_mos_on")
TEMPERATURES = "temperatures"


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unit_of(key: str) -> str:
    """The unit a canonical key's suffix names (vocabulary.md)."""
    for suffix, unit in (("_c", "°C"), ("_v", "V"), ("_a", "A"), ("_pct", "%")):
        if key.endswith(suffix):
            return unit
    return ""


def limit_tip(verdict: Verdict) -> str:
    """The limit that decided a verdict, and the alarm that is on (for a tooltip)."""
    lines = []
    lim = verdict.limit
    if lim is not None and lim.key and lim.value is not None:
        lines.append(
            QCoreApplication.translate("LiveStatus", "The board's limit: {setting} {value} {unit}").format(
                setting=vocab(lim.key), value=f"{lim.value:g}", unit=unit_of(lim.key)
            )
        )
    if verdict.alarm is not None:
        lines.append(
            QCoreApplication.translate("LiveStatus", "Alarm: {alarm}").format(alarm=alarm_text(verdict.alarm))
        )
    return "\n".join(lines)


class LiveStatus(QWidget):
    def __init__(self, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self._alarms_shown: tuple[str, ...] | None = None
        self._alarms_reported = True
        self._temps_shown: str | None = None
        self._temps_layout: object = None  # what the label is sized for
        self._capacity_need = 0  # the width the capacity label is sized for (px)
        self._capacity_room = 16777215  # the most the page gives it (px)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(4)
        rows.addLayout(self._build_states())
        rows.addLayout(self._build_measures())
        rows.addWidget(self._build_trips())

    # --- building ------------------------------------------------------------------------
    @staticmethod
    def _caption(text: str, target: QHBoxLayout, gap: int = 0) -> None:
        if gap:
            target.addSpacing(gap)
        label = QLabel(text)
        label.setStyleSheet(f"color: {GREY};")
        target.addWidget(label)

    def _build_states(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        self._caption(self.tr("Charge MOSFET"), row)
        self.charge_badge = Badge()
        row.addWidget(self.charge_badge)
        self._caption(self.tr("Discharge MOSFET"), row, 10)
        self.discharge_badge = Badge()
        row.addWidget(self.discharge_badge)
        self._caption(self.tr("Balancer"), row, 10)
        self.balancing_badge = Badge(template=self.tr("BALANCING"))
        row.addWidget(self.balancing_badge)
        self.balance_current_label = fixed_label("-8.88 A")
        self.balance_current_label.setStyleSheet(f"color: {GREY};")
        self.balance_current_label.setToolTip(vocab("balance_current_a"))
        row.addWidget(self.balance_current_label)
        self._caption(self.tr("Alarms"), row, 10)
        self.alarms_label = QLabel(DASH)
        self.alarms_label.setWordWrap(True)
        self.alarms_label.setTextFormat(Qt.TextFormat.RichText)
        self.alarms_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(self.alarms_label, 1)
        return row

    def _build_measures(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        self._caption(self.tr("Temperatures"), row)
        self.temps_label = QLabel(DASH)
        self.temps_label.setTextFormat(Qt.TextFormat.RichText)
        row.addWidget(self.temps_label)
        row.addStretch(1)
        self.capacity_label = fixed_label("", align=Qt.AlignmentFlag.AlignRight)
        self.capacity_label.setStyleSheet(f"color: {GREY};")
        row.addWidget(self.capacity_label)
        return row

    def _build_trips(self) -> QWidget:
        """How often each protection tripped, as the board counts it (JBD 0xAA)."""
        self.trips_row = QWidget()
        row = QHBoxLayout(self.trips_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self._caption(self.tr("Protection trips counted by the board"), row)
        self.trips_label = QLabel(DASH)
        self.trips_label.setWordWrap(True)
        self.trips_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(self.trips_label, 1)
        self.trips_row.setVisible(False)
        return self.trips_row

    # --- data ----------------------------------------------------------------------------
    def clear(self) -> None:
        """Nothing known (a new or no session): dashes, not "not reported"."""
        for badge in (self.charge_badge, self.discharge_badge, self.balancing_badge):
            badge.clear()
        self.alarms_label.setText(DASH)
        self._alarms_shown = None
        self._alarms_reported = True
        self.temps_label.setText(DASH)
        self.temps_label.setToolTip("")
        self._temps_shown = None
        self._temps_layout = None
        self.temps_label.setMinimumSize(0, 0)
        self.temps_label.setMaximumSize(16777215, 16777215)
        self.trips_row.setVisible(False)
        self.capacity_label.setText("")
        self._capacity_need = 0
        self._size_capacity()
        self.balance_current_label.setText("")

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

    def show(
        self, s: Snapshot, seen: Collection[str], reports_alarms: bool, limits: dict[str, list[Limit]]
    ) -> None:
        """Draw one snapshot: ``seen`` are the fields some snapshot of this session carried,
        ``limits`` the board's limits per reading (services/limits.py)."""
        self._draw_states(s, seen)
        self._draw_temperatures(s, seen, limits)
        self._draw_capacity(s)
        self._draw_alarms(s, reports_alarms)

    def _draw_states(self, s: Snapshot, seen: Collection[str]) -> None:
        for badge, key in ((self.charge_badge, "charge_mos_on"), (self.discharge_badge, "discharge_mos_on")):
            value = getattr(s, key)
            if value is not None:
                badge.set_state(value)
            elif key not in seen:
                badge.set_state(None)  # "not reported", grey
        if s.balancing_active is not None:
            if s.balancing_active:
                self.balancing_badge.set_word(self.tr("BALANCING"), AMBER)
            else:
                self.balancing_badge.set_word(self.tr("IDLE"), GREY)
        elif "balancing_active" not in seen:
            self.balancing_badge.set_state(None)

    def set_capacity_room(self, px: int) -> None:
        """The most the capacity line may take (the page gives it half its width)."""
        self._capacity_room = max(0, px)
        self._size_capacity()

    def _draw_capacity(self, s: Snapshot) -> None:
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
        if s.soh_pct is not None:
            cap.append(self.tr("SOH {value}").format(value=quantity(s.soh_pct, "%")))
        if s.cycles is not None:
            cap.append(self.tr("Cycles {n}").format(n=s.cycles))
        if s.cycle_capacity_ah is not None:
            # to the tenth: the counter runs into the hundred thousands (Ah) on an old pack
            value = quantity(s.cycle_capacity_ah, "Ah", 0.1)
            cap.append(self.tr("Cycle capacity {value}").format(value=value))
        text = "   ".join(cap)
        if text != self.capacity_label.text():
            # every number one digit longer, as 8s: resized only when a value outgrows that
            template = re.sub(r"\d+", lambda m: "8" * (len(m.group()) + 1), text)
            if self.capacity_label.fontMetrics().horizontalAdvance(template) + 6 > self._capacity_need:
                self._size_capacity(template)
            self.capacity_label.setText(text)
        if s.balance_current_a is not None:
            a = quantity(s.balance_current_a, "A", 0.01)
            set_text(self.balance_current_label, a if s.balance_current_a or s.balancing_active else "")

    def _size_capacity(self, template: str | None = None) -> None:
        """The capacity line's fixed width: ``template`` (the widest text expected; None:
        the last one) or the room the page gives, whichever is less."""
        if template is not None:
            self._capacity_need = self.capacity_label.fontMetrics().horizontalAdvance(template) + 6
        width = min(self._capacity_need, self._capacity_room)
        if self.capacity_label.minimumWidth() != width or self.capacity_label.maximumWidth() != width:
            self.capacity_label.setFixedWidth(width)

    def _draw_alarms(self, s: Snapshot, reports_alarms: bool) -> None:
        # None: this snapshot carries no alarm field (JK04's decoder says so; a replayed log
        # may not, hence the protocol's own ``reports_alarms`` too)
        reports_alarms = reports_alarms and s.alarms is not None
        alarms = tuple(s.alarms or ())
        if alarms == self._alarms_shown and reports_alarms == self._alarms_reported:
            return
        if (
            self._alarms_shown is not None
            and set(alarms) - set(self._alarms_shown)
            and self.trips_row.isVisible()
        ):
            self.bridge.spawn(self.bridge.read_error_counts())  # a new trip: counters moved
        self._alarms_shown = alarms
        self._alarms_reported = reports_alarms
        if alarms:
            words = ", ".join(alarm_text(a) for a in alarms)
            self.alarms_label.setText(f'<b style="color:{RED}">&#9888; {escape(words)}</b>')
        elif not reports_alarms:
            self.alarms_label.setText(f'<span style="color:{GREY}">{escape(not_reported_long())}</span>')
        else:
            none = self.tr("No alarms")  # outside the f-string, where lupdate sees it
            self.alarms_label.setText(f'<span style="color:{GREEN}">{escape(none)}</span>')

    # --- temperatures ----------------------------------------------------------------------
    def _temperature_parts(self, s: Snapshot, limits: dict[str, list[Limit]]) -> list[tuple[str, Verdict]]:
        alarms = set(s.alarms or ())
        probes = list(s.temperatures_c or [])
        verdicts = judge_probes(probes, limits.get("temperatures_c", []), alarms)
        parts = [
            (self.tr("T{n} {c:.1f} °C").format(n=i + 1, c=t), v)
            for i, (t, v) in enumerate(zip(probes, verdicts, strict=True))
        ]
        if s.mos_temperature_c is not None:
            verdict = judge(s.mos_temperature_c, limits.get("mos_temperature_c", []), alarms)
            parts.append((self.tr("MOS {c:.1f} °C").format(c=s.mos_temperature_c), verdict))
        if s.balancer_temperature_c is not None:
            parts.append((self.tr("balancer {c:.1f} °C").format(c=s.balancer_temperature_c), Verdict()))
        return parts

    def _draw_temperatures(self, s: Snapshot, seen: Collection[str], limits: dict[str, list[Limit]]) -> None:
        parts = self._temperature_parts(s, limits)
        if parts:
            html = "&nbsp;&nbsp;".join(_coloured(text, v) for text, v in parts)
            tip = "\n".join(f"{text}: {limit_tip(v)}" for text, v in parts if v.level != OK)
            layout: object = len(parts)
        elif TEMPERATURES not in seen:
            html, tip, layout = f'<span style="color:{GREY}">{escape(not_reported_long())}</span>', "", "none"
        else:
            return  # this snapshot has none, an earlier one had: the last stay
        if layout != self._temps_layout:
            self._size_temperatures(layout)
        if html != self._temps_shown:
            self._temps_shown = html
            self.temps_label.setText(html)
            self.temps_label.setToolTip(tip)

    def _size_temperatures(self, layout: object) -> None:
        """Fixed width for this many sensors: later values never re-run the layout."""
        self._temps_layout = layout
        bold = QFont(self.temps_label.font())
        bold.setBold(True)  # a value past its limit is bold
        fm = QFontMetrics(bold)
        if isinstance(layout, int):
            template = "  ".join(self.tr("T{n} {c:.1f} °C").format(n=8, c=-88.8) for _ in range(layout))
        else:
            template = not_reported_long()
        self.temps_label.setFixedSize(fm.horizontalAdvance(template) + 8, fm.height() + 4)


def _coloured(text: str, verdict: Verdict) -> str:
    colour = LEVEL_COLOURS.get(verdict.level)
    if colour is None:
        return escape(text)
    weight = "font-weight:bold;" if verdict.level == OVER else ""
    return f'<span style="color:{colour};{weight}">{escape(text)}</span>'


__all__ = ["LEVEL_COLOURS", "LiveStatus", "limit_tip", "unit_of"]
