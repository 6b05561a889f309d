"""The "before sealing" checks: what a builder looks at before closing the pack.

``sealing_checks`` is the short list the Control tab shows (MOSFETs, alarms, cell
count, cell spread); ``commissioning_checks`` adds the temperatures and the firmware
for a commissioning record.

The cell spread is judged **at rest** only.  Under charge or load the spread shows
the cells' internal resistances, not their balance, and it moves by a millivolt
from one frame to the next, so a check on a single frame flips between pass and
fail.  ``RestedSpread`` watches the current: the pack rests once the current has
stayed at or below ``REST_A`` for ``rest_s`` seconds, and stops resting only when
it rises above ``WAKE_A`` (hysteresis: noise around the threshold does not restart
the wait).  At rest the spread is the median of the deltas seen since, and the
verdict itself has a hysteresis of ``SPREAD_MARGIN_V``: once passed it fails only
above trigger + margin, once failed it passes only at trigger − margin or less.
Before that the check says the pack needs rest, with how long it has rested.

The thresholds are Packbench's own (no manual states them): an idle pack's shunt
reading wanders by tens of milliamperes, a balancer's current is below 0.2 A on
the boards Packbench knows, and 1 A is a real charge or load; 2 mV is twice a
board's cell-voltage resolution.
"""

from __future__ import annotations

import statistics
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from ..model import DeviceInfo, Settings, Snapshot, units
from ..timing import current as current_timing


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate marker
    return text


T_FETS = QT_TRANSLATE_NOOP("Control", "Charge and discharge MOSFETs both on")
T_ALARMS = QT_TRANSLATE_NOOP("Control", "No alarms")
T_CELLS = QT_TRANSLATE_NOOP("Control", "Cell count as configured")
T_DELTA = QT_TRANSLATE_NOOP("Control", "Cell difference within the balance trigger")
T_TEMPERATURES = QT_TRANSLATE_NOOP("Control", "Temperatures plausible and close to each other")
T_FIRMWARE = QT_TRANSLATE_NOOP("Control", "Firmware version recorded")


#: a board's settings values, or None before they are read
Values = dict[str, Any] | None

#: |current| at or below which the pack counts as resting
REST_A = 0.5
#: |current| above which a resting pack is no longer resting (between the two: unchanged)
WAKE_A = 1.0
#: the hysteresis of the spread verdict around the balance trigger
SPREAD_MARGIN_V = 0.002
#: the temperatures a pack on a workshop bench can plausibly read (°C)
BENCH_TEMPERATURE_C = (-20.0, 60.0)
#: the most two of the pack's own probes may differ at rest (°C); the MOSFET sensor
#: is not compared with them (it warms with the current)
PROBE_SPREAD_C = 5.0


@dataclass
class Check:
    id: str
    ok: bool | None  # None: cannot tell (the board does not report it, or the pack needs rest)
    title: str  # template, context "Control"
    detail: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    #: False: the board does not report what this check needs (a snapshot field that is
    #: None, a setting the board does not have): ``ok`` is None, never a pass
    reported: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "ok": self.ok,
            "title": self.title,
            "detail": self.detail,
            "params": self.params,
            "reported": self.reported,
        }


def _q(value: float, unit: str, *, signed: bool = False) -> str:
    """A reading in a detail, as every page shows it (model/units.py)."""
    return units.quantity(value, unit, signed=signed)


class RestedSpread:
    """The cell spread judged at rest, fed one snapshot at a time (module docstring)."""

    def __init__(
        self,
        rest_s: float | None = None,
        *,
        rest_a: float = REST_A,
        wake_a: float = WAKE_A,
        margin_v: float = SPREAD_MARGIN_V,
        samples: int = 64,
    ) -> None:
        #: how long the current must stay low (default: app/timing.py, 30 s; short in tests)
        self.rest_s = current_timing().rest_s if rest_s is None else rest_s
        self.rest_a, self.wake_a, self.margin_v = rest_a, wake_a, margin_v
        self._quiet_since: float | None = None
        self._now: float | None = None
        self._current: float | None = None
        self._deltas: deque[float] = deque(maxlen=samples)
        self._verdict: bool | None = None

    def feed(self, t: float, snapshot: Snapshot) -> None:
        """One snapshot taken at monotonic time ``t`` (seconds)."""
        self._now = t
        current = snapshot.current_a
        self._current = current
        if current is None:
            return
        if abs(current) > self.wake_a:
            self._quiet_since = None
            self._deltas.clear()
            self._verdict = None
        elif abs(current) <= self.rest_a and self._quiet_since is None:
            self._quiet_since = t
        if self.rested and snapshot.cell_delta_v is not None:
            self._deltas.append(snapshot.cell_delta_v)

    @property
    def rested_s(self) -> float:
        if self._quiet_since is None or self._now is None:
            return 0.0
        return self._now - self._quiet_since

    @property
    def rested(self) -> bool:
        return self._quiet_since is not None and self.rested_s >= self.rest_s

    @property
    def samples(self) -> int:
        """How many spreads were seen at rest (their median is the judged spread)."""
        return len(self._deltas)

    @property
    def spread_v(self) -> float | None:
        return statistics.median(self._deltas) if self._deltas else None

    def check(self, trigger_v: float | None) -> Check:
        params: dict[str, Any] = {
            "current_a": self._current,
            "rested_s": round(self.rested_s, 1),
            "rest_s": self.rest_s,
            "rest_a": self.rest_a,
        }
        if trigger_v is None:
            return Check("delta", None, T_DELTA, "the board has not reported its balance trigger", params)
        params["trigger_mv"] = round(trigger_v * 1000, 1)
        spread = self.spread_v
        if not self.rested or spread is None:
            self._verdict = None
            if self._current is None:
                why = "the board does not report its current, so rest cannot be told"
            elif abs(self._current) > self.rest_a:
                flows = _q(self._current, "A", signed=True)
                why = f"{flows} flows: the spread under charge or load is not judged"
            else:
                why = f"resting {self.rested_s:.0f} s of the {self.rest_s:g} s needed"
            return Check("delta", None, T_DELTA, f"needs rest: {why}", params)
        if self._verdict is None:
            self._verdict = spread <= trigger_v
        elif self._verdict:
            self._verdict = spread <= trigger_v + self.margin_v
        else:
            self._verdict = spread <= trigger_v - self.margin_v
        params["delta_mv"] = round(spread * 1000, 1)
        return Check(
            "delta",
            self._verdict,
            T_DELTA,
            f"{_q(spread, 'V')} at rest (median of {len(self._deltas)}), trigger {_q(trigger_v, 'V')}",
            params,
        )


NOT_REPORTED = "not reported by this board"


def _cannot_tell(
    cid: str, title: str, snap: Snapshot | None, live: Any, values: Values, key: str = ""
) -> Check | None:
    """Why check ``cid`` cannot be made (None: it can): no live data yet, the board does
    not report the live value (``live`` is None), the settings are not read yet, or the
    board has no setting ``key``.  What the board does not report is said as such
    (``reported`` False), never passed (JK04 frames carry no MOSFET or alarm field, jk.md §2.3)."""
    if snap is None:
        return Check(cid, None, title, "no live data")
    if live is None:
        return Check(cid, None, title, NOT_REPORTED, reported=False)
    if key and values is None:
        return Check(cid, None, title, "waiting for the board's settings")
    if key and values is not None and values.get(key) is None:
        return Check(cid, None, title, NOT_REPORTED, reported=False)
    return None


def _fets(snap: Snapshot | None) -> Check:
    both = None if snap is None or None in (snap.charge_mos_on, snap.discharge_mos_on) else True
    if (missing := _cannot_tell("fets", T_FETS, snap, both, {})) is not None:
        return missing
    assert snap is not None
    off = [n for n, on in (("charge", snap.charge_mos_on), ("discharge", snap.discharge_mos_on)) if not on]
    params = {"charge_mos_on": snap.charge_mos_on, "discharge_mos_on": snap.discharge_mos_on}
    return Check("fets", not off, T_FETS, "off: " + ", ".join(off) if off else "both on", params)


def _alarms(snap: Snapshot | None) -> Check:
    live = None if snap is None else snap.alarms
    if (missing := _cannot_tell("alarms", T_ALARMS, snap, live, {})) is not None:
        return missing
    assert snap is not None and snap.alarms is not None
    detail = ", ".join(snap.alarms) if snap.alarms else "none"
    return Check("alarms", not snap.alarms, T_ALARMS, detail, {"alarms": list(snap.alarms)})


def _cells(snap: Snapshot | None, values: Values) -> Check:
    live = None if snap is None else snap.cell_count
    if (missing := _cannot_tell("cells", T_CELLS, snap, live, values, "cell_count")) is not None:
        return missing
    assert snap is not None and values is not None
    configured = values["cell_count"]
    zero = [i + 1 for i, v in enumerate(snap.cell_voltages_v) if v < 0.5]
    ok = configured == snap.cell_count and not zero
    detail = f"configured {configured}, measured {snap.cell_count}"
    if zero:
        detail += "; reading 0 V: cell " + ", ".join(map(str, zero))
    params = {"configured": configured, "measured": snap.cell_count, "zero_cells": zero}
    return Check("cells", ok, T_CELLS, detail, params)


def _delta(snap: Snapshot | None, values: Values, spread: RestedSpread | None) -> Check:
    """The cell spread: judged by ``spread`` (at rest, over time) when given, else on one
    snapshot while no real current flows."""
    key = "balance_trigger_delta_v"
    live = None if snap is None else snap.cell_delta_v
    if (missing := _cannot_tell("delta", T_DELTA, snap, live, values, key)) is not None:
        return missing
    assert snap is not None and snap.cell_delta_v is not None and values is not None
    trigger = values[key]
    if spread is not None:
        return spread.check(trigger)
    if snap.current_a is not None and abs(snap.current_a) > REST_A:
        flows = _q(snap.current_a, "A", signed=True)
        return Check(
            "delta",
            None,
            T_DELTA,
            f"needs rest: {flows} flows: the spread under charge or load is not judged",
            {"current_a": snap.current_a},
        )
    params = {"delta_mv": round(snap.cell_delta_v * 1000, 1), "trigger_mv": round(trigger * 1000, 1)}
    detail = f"{_q(snap.cell_delta_v, 'V')}, trigger {_q(trigger, 'V')}"
    return Check("delta", snap.cell_delta_v <= trigger, T_DELTA, detail, params)


def sealing_checks(
    snapshot: Snapshot | None, settings: Settings | None, spread: RestedSpread | None = None
) -> list[Check]:
    """The green/red list a builder looks at before closing the pack.  ``spread``: the
    rested-spread judge fed with the live snapshots (without one, a single snapshot's
    spread is judged while no real current flows)."""
    values = settings.values if settings is not None else None
    return [_fets(snapshot), _alarms(snapshot), _cells(snapshot, values), _delta(snapshot, values, spread)]


def temperatures_check(snap: Snapshot | None) -> Check:
    """Every probe within what a bench can read, the pack's own probes close together."""
    if snap is None:
        return Check("temperatures", None, T_TEMPERATURES, "no live data")
    probes = [t for t in (snap.temperatures_c or []) if t is not None]
    readings = probes + [t for t in (snap.mos_temperature_c, snap.balancer_temperature_c) if t is not None]
    if not readings:
        return Check("temperatures", None, T_TEMPERATURES, "the board reports no temperatures")
    low, high = BENCH_TEMPERATURE_C
    params: dict[str, Any] = {"probes_c": probes, "mos_c": snap.mos_temperature_c, "range_c": [low, high]}
    odd = [t for t in readings if not low <= t <= high]
    if odd:
        shown = ", ".join(_q(t, "°C") for t in odd)
        return Check(
            "temperatures",
            False,
            T_TEMPERATURES,
            f"reading {shown}: outside {_q(low, '°C')} … {_q(high, '°C')} "
            "(a probe loose, shorted or not fitted?)",
            params,
        )
    spread = max(probes) - min(probes) if len(probes) > 1 else 0.0
    params["probe_spread_c"] = round(spread, 1)
    detail = ", ".join(_q(t, "°C") for t in probes) if probes else "no pack probes"
    if snap.mos_temperature_c is not None:
        detail += f"; MOSFETs {_q(snap.mos_temperature_c, '°C')}"
    if spread > PROBE_SPREAD_C:
        return Check(
            "temperatures",
            False,
            T_TEMPERATURES,
            f"{detail}: the probes differ by {_q(spread, '°C')} (more than {_q(PROBE_SPREAD_C, '°C')})",
            params,
        )
    return Check("temperatures", True, T_TEMPERATURES, detail, params)


def firmware_check(info: DeviceInfo | None) -> Check:
    version = info.software_version if info is not None else None
    if not version:
        return Check("firmware", None, T_FIRMWARE, "the board does not report its firmware version")
    hardware = info.hardware_version if info is not None else None
    detail = f"firmware {version}" + (f", hardware {hardware}" if hardware else "")
    return Check(
        "firmware", True, T_FIRMWARE, detail, {"software_version": version, "hardware_version": hardware}
    )


def commissioning_checks(
    snapshot: Snapshot | None,
    settings: Settings | None,
    info: DeviceInfo | None,
    spread: RestedSpread | None = None,
) -> list[Check]:
    """The sealing checks, the temperatures and the firmware: a commissioning's list."""
    return [
        *sealing_checks(snapshot, settings, spread),
        temperatures_check(snapshot),
        firmware_check(info),
    ]
