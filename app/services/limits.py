"""How close a live reading is to the board's own protection limits.

The Live tab colours a reading by the settings the board itself reported (vocabulary.md
"Settings"): a cell against ``cell_ovp_v`` / ``cell_uvp_v``, the pack against
``pack_ovp_v`` / ``pack_uvp_v``, the current against ``charge_ocp_a`` /
``discharge_ocp_a``, the battery probes against the charge or discharge temperature
window, the power stage against ``mos_otp_c``.  A reading is

* ``OVER`` at or past the limit, or while the board raises the alarm that belongs to it
  (``mos_overtemperature`` for the MOS temperature …): the board has acted or will;
* ``NEAR`` past the limit's release value (``…_recovery_…``: the board's own band where
  it would not switch back on yet), or within a fixed margin where it has none;
* ``OK`` otherwise, and when the board reported no such limit (nothing is guessed).

Pure: no Qt.  The Live page turns the levels into amber and red (app/ui/live_status.py).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import (
    CELL_DELTA_HIGH,
    CELL_OVERVOLTAGE,
    CELL_UNDERVOLTAGE,
    CHARGE_OVERCURRENT,
    CHARGE_OVERTEMPERATURE,
    CHARGE_UNDERTEMPERATURE,
    DISCHARGE_OVERCURRENT,
    DISCHARGE_OVERTEMPERATURE,
    DISCHARGE_UNDERTEMPERATURE,
    LOW_SOC,
    MOS_OVERTEMPERATURE,
    PACK_OVERVOLTAGE,
    PACK_UNDERVOLTAGE,
    SHORT_CIRCUIT,
)

OK, NEAR, OVER = 0, 1, 2
#: current below this counts as idle (sensor noise): both temperature windows apply
IDLE_A = 0.05
#: where a limit has no release value, "near" starts this far from it (°C, V per cell)
TEMP_MARGIN_C = 5.0
CELL_MARGIN_V = 0.05
#: the pack's and the current's near band, as a share of the limit
PACK_MARGIN = 0.02
CURRENT_SHARE = 0.2


@dataclass(frozen=True)
class Limit:
    """One protection limit of the board, as it applies to one reading."""

    #: the setting (``mos_otp_c``); "" for an alarm with no setting behind it
    key: str
    value: float | None
    #: the reading is near the limit from here on (past it towards the limit)
    near: float | None
    #: True: the reading must stay below ``value``; False: above it
    upper: bool
    #: the board's alarms that mean this limit tripped
    alarms: tuple[str, ...] = ()
    #: the reading is compared as ``reading * sign`` (-1: a discharge current against its limit)
    sign: float = 1.0
    #: False: only the alarms count (a charge limit while the pack discharges)
    compare: bool = True

    def level_of(self, reading: float | None) -> int:
        if not self.compare or reading is None or self.value is None or not math.isfinite(reading):
            return OK
        x = reading * self.sign
        if self.upper:
            if x >= self.value:
                return OVER
            return NEAR if self.near is not None and x >= self.near else OK
        if x <= self.value:
            return OVER
        return NEAR if self.near is not None and x <= self.near else OK


@dataclass(frozen=True)
class Verdict:
    level: int = OK
    #: the limit that decided (None: OK with nothing to say)
    limit: Limit | None = None
    #: the active alarm that made it OVER
    alarm: str | None = None


def judge(reading: float | None, limits: Sequence[Limit], alarms: Collection[str]) -> Verdict:
    """The worst level of ``reading`` against ``limits``, with the board's active ``alarms``."""
    worst = Verdict()
    for lim in limits:
        alarm = next((a for a in lim.alarms if a in alarms), None)
        level = OVER if alarm is not None else lim.level_of(reading)
        if level > worst.level:
            worst = Verdict(level, lim, alarm)
    return worst


def judge_probes(
    readings: Sequence[float], limits: Sequence[Limit], alarms: Collection[str]
) -> list[Verdict]:
    """One verdict per battery probe.  A temperature alarm names no probe: it goes to the
    hottest probe (an over-temperature alarm) or the coldest (under-temperature)."""
    out = [judge(r, limits, ()) for r in readings]
    if not readings:
        return out
    for lim in limits:
        alarm = next((a for a in lim.alarms if a in alarms), None)
        if alarm is None:
            continue
        i = max(range(len(readings)), key=lambda k: readings[k] * (1 if lim.upper else -1))
        if out[i].level < OVER:
            out[i] = Verdict(OVER, lim, alarm)
    return out


# --- the board's limits for each reading -----------------------------------------------------------
def _number(values: Mapping[str, Any], key: str) -> float | None:
    v = values.get(key)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        return None
    return float(v)


def _limit(
    values: Mapping[str, Any],
    key: str,
    upper: bool,
    alarms: tuple[str, ...],
    *,
    recovery: str = "",
    margin: float | None = None,
    share: float | None = None,
    sign: float = 1.0,
    compare: bool = True,
) -> Limit:
    """A limit from the setting ``key``; its near band from the release value ``recovery``
    when that lies on the right side, else ``margin`` (absolute) or ``share`` (of the limit)."""
    value = _number(values, key)
    near = None
    if value is not None:
        rel = _number(values, recovery) if recovery else None
        if rel is not None and (rel < value if upper else rel > value):
            near = rel
        elif margin is not None:
            near = value - margin if upper else value + margin
        elif share is not None:
            near = value * (1 - share) if upper else value * (1 + share)
    return Limit(key if value is not None else "", value, near, upper, alarms, sign, compare)


def _temperature_window(values: Mapping[str, Any], current_a: float | None) -> list[Limit]:
    """The charge window while charging, the discharge window while discharging, both at rest."""
    charging = current_a is not None and current_a > IDLE_A
    discharging = current_a is not None and current_a < -IDLE_A
    out = []
    for prefix, active, hot, cold in (
        ("charge", not discharging, CHARGE_OVERTEMPERATURE, CHARGE_UNDERTEMPERATURE),
        ("discharge", not charging, DISCHARGE_OVERTEMPERATURE, DISCHARGE_UNDERTEMPERATURE),
    ):
        for kind, upper, alarm in (("otp", True, hot), ("utp", False, cold)):
            key, recovery = f"{prefix}_{kind}_c", f"{prefix}_{kind}_recovery_c"
            out.append(
                _limit(values, key, upper, (alarm,), recovery=recovery, margin=TEMP_MARGIN_C, compare=active)
            )
    return out


#: (reading, setting, upper, the board's alarms for it, its release setting, a near band where it has
#: none: (absolute margin, share of the limit), sign the reading is compared with)
_LIMITS: tuple[tuple[str, str, bool, tuple[str, ...], str, tuple[float | None, float | None], float], ...] = (
    ("cell_max_v", "cell_ovp_v", True, (CELL_OVERVOLTAGE,), "cell_ovp_recovery_v", (CELL_MARGIN_V, None), 1),
    (
        "cell_min_v",
        "cell_uvp_v",
        False,
        (CELL_UNDERVOLTAGE,),
        "cell_uvp_recovery_v",
        (CELL_MARGIN_V, None),
        1,
    ),
    (
        "pack_voltage_v",
        "pack_ovp_v",
        True,
        (PACK_OVERVOLTAGE,),
        "pack_ovp_recovery_v",
        (None, PACK_MARGIN),
        1,
    ),
    (
        "pack_voltage_v",
        "pack_uvp_v",
        False,
        (PACK_UNDERVOLTAGE,),
        "pack_uvp_recovery_v",
        (None, PACK_MARGIN),
        1,
    ),
    ("current_a", "charge_ocp_a", True, (CHARGE_OVERCURRENT,), "", (None, CURRENT_SHARE), 1),
    # a discharge current is negative: compared as -I with its limit
    (
        "current_a",
        "discharge_ocp_a",
        True,
        (DISCHARGE_OVERCURRENT, SHORT_CIRCUIT),
        "",
        (None, CURRENT_SHARE),
        -1,
    ),
    (
        "mos_temperature_c",
        "mos_otp_c",
        True,
        (MOS_OVERTEMPERATURE,),
        "mos_otp_recovery_c",
        (TEMP_MARGIN_C, None),
        1,
    ),
)


def reading_limits(values: Mapping[str, Any], current_a: float | None = None) -> dict[str, list[Limit]]:
    """Snapshot field -> the board's limits for it, from the board's settings ``values``
    (canonical keys) and the current now (which temperature window applies)."""
    out: dict[str, list[Limit]] = {
        "temperatures_c": _temperature_window(values, current_a),
        # alarms with no setting behind them
        "cell_delta_v": [Limit("", None, None, True, (CELL_DELTA_HIGH,))],
        "soc_pct": [Limit("", None, None, False, (LOW_SOC,))],
    }
    for reading, key, upper, alarms, recovery, (margin, share), sign in _LIMITS:
        lim = _limit(values, key, upper, alarms, recovery=recovery, margin=margin, share=share, sign=sign)
        out.setdefault(reading, []).append(lim)
    return out


__all__ = ["NEAR", "OK", "OVER", "Limit", "Verdict", "judge", "judge_probes", "reading_limits"]
