"""Before sealing the pack: the green/red list a builder looks at before closing the pack
(services/control.py ``sealing_checks``), live with every reading.

A check whose input the board does not report (JK04 frames carry no MOSFET or
alarm field) reads "not reported by this board" in grey: never a green pass, and
the summary does not say "ready" on its strength.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel

from ...model import Settings, Snapshot, units
from ...services import control
from ...services.sealing import RestedSpread
from ..control_widgets import CheckRow
from ..theme import GREEN, GREY, RED
from ..widgets import alarm_text
from .base import Section
from .caps import Capabilities
from .words import not_reported

CHECKS = ("fets", "alarms", "cells", "delta")


class SealingSection(Section):
    def __init__(self, page) -> None:
        super().__init__(page, self.tr("Before sealing the pack"))
        self.lay.setSpacing(6)
        head = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        f = self.summary.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.2)
        self.summary.setFont(f)
        head.addWidget(self.summary, 1)
        live_note = QLabel(self.tr("Live: updates with every reading from the board"))
        live_note.setStyleSheet(f"color: {GREY};")
        head.addWidget(live_note)
        self.lay.addLayout(head)
        self.rows: dict[str, CheckRow] = {}
        for cid in CHECKS:
            self.rows[cid] = row = CheckRow()
            self.lay.addWidget(row)
        self._shown: tuple | None = None
        #: the cell spread judged at rest, fed with every live snapshot (services/sealing.py)
        self.spread = RestedSpread()

    def apply(self, caps: Capabilities) -> None:
        # its checks read settings a read-only family does not have (cell count, trigger)
        self.setVisible(not caps.read_only_reason)

    def show_settings(self, settings: Settings | None) -> None:
        self.update_checks()

    def show_snapshot(self, snap: Snapshot | None) -> None:
        if snap is None:
            self.spread = RestedSpread()  # another board, or none: its rest starts again
        else:
            self.spread.feed(self.page.bridge.now(), snap)
        self.update_checks()

    def update_checks(self) -> None:
        snap, settings = self.page.bridge.last_snapshot, self.page.bridge.settings
        rows = tuple(
            (
                c.id,
                c.ok,
                c.reported,
                QCoreApplication.translate("Control", c.title),
                self.detail(c, snap, settings),
            )
            for c in control.sealing_checks(snap, settings, self.spread if snap is not None else None)
        )
        if rows == self._shown:  # called for every snapshot: touch widgets only on change
            return
        self._shown = rows
        for cid, ok, reported, title, detail in rows:
            self.rows[cid].set(ok, title, detail, reported=reported)
        self._show_summary(snap, rows)

    def _show_summary(self, snap: Snapshot | None, rows: tuple) -> None:
        failed = sum(1 for r in rows if r[1] is False)
        unknown = sum(1 for r in rows if r[1] is None and r[2])
        unreported = sum(1 for r in rows if not r[2])
        if snap is None:
            text, colour = self.tr("Waiting for live data"), GREY
        elif failed:
            text, colour = self.tr("Not ready to seal: %n check(s) failed", "", failed), RED
        elif unknown:
            text, colour = self.tr("Cannot tell: %n check(s) unknown", "", unknown), GREY
        elif unreported:
            text = self.tr("Cannot confirm: %n check(s) not reported by this board", "", unreported)
            colour = GREY
        else:
            text, colour = self.tr("Ready to seal: all four checks pass"), GREEN
        self.summary.setText(text)
        self.summary.setStyleSheet(f"color: {colour};")

    def detail(self, check: control.Check, snap: Snapshot | None, settings: Settings | None) -> str:
        """The check's detail in the user's language (the service's text is English)."""
        if not check.reported:
            return not_reported()
        if check.ok is None or snap is None:
            if snap is None:
                return self.tr("no live data yet")
            if settings is None:
                return self.tr("waiting for the board's settings")
            return self.needs_rest(check)
        values = settings.values if settings is not None else {}
        if check.id == "fets":
            off = [
                w
                for w, on in (
                    (self.tr("charge MOSFET"), snap.charge_mos_on),
                    (self.tr("discharge MOSFET"), snap.discharge_mos_on),
                )
                if not on
            ]
            return self.tr("OFF: {which}").format(which=", ".join(off)) if off else self.tr("both ON")
        if check.id == "alarms":
            return ", ".join(alarm_text(a) for a in snap.alarms or ()) or self.tr("none")
        if check.id == "cells":
            text = self.tr("configured {configured}, measured {measured}").format(
                configured=values.get("cell_count"), measured=snap.cell_count
            )
            zero = [str(i + 1) for i, v in enumerate(snap.cell_voltages_v) if v < 0.5]
            if zero:
                text += "; " + self.tr("reading 0 V: cell {cells}").format(cells=", ".join(zero))
            return text
        if check.id == "delta":
            trigger = values.get("balance_trigger_delta_v") or 0.0
            # the one way to show a voltage (model/units.py): 0.005 V here as in Parameters
            return self.tr("{delta} at rest, balance trigger {trigger}").format(
                delta=units.quantity(self.spread.spread_v or snap.cell_delta_v or 0.0, "V"),
                trigger=units.quantity(trigger, "V"),
            )
        return check.detail

    def needs_rest(self, check: control.Check) -> str:
        """Why the spread is not judged yet: current flows, or the pack has not rested long enough."""
        current = check.params.get("current_a")
        if current is None:
            return self.tr("cannot tell: the board does not report its current, so rest cannot be told")
        if abs(current) > self.spread.rest_a:
            return self.tr("needs rest: {current} flows; the spread is judged with the pack at rest").format(
                current=units.quantity(current, "A", signed=True)
            )
        return self.tr("needs rest: resting {done} of {need}").format(
            done=units.quantity(round(check.params.get("rested_s", 0.0)), "s"),
            need=units.quantity(check.params.get("rest_s", self.spread.rest_s), "s"),
        )
