"""What a board can mean: one table of plausible ranges for the live values.

A frame can pass its checksum and still carry numbers no battery produces: a
cell of 65.535 V (0xFFFF), a JBD probe at −273.1 °C (raw 0 K), a JK 4E57
sensor at −65,000 °C, JK04 floats that are NaN or ±3e38, a state of charge
above 100 %.  ``drop_implausible`` removes such values from a snapshot and
names them in ``Snapshot.implausible`` (name -> the value read), so they are
never shown as real, plotted or recorded; the decode output and the Live page
say what was dropped.

Sentinels a family uses for "sensor not fitted" (JK's −2000 = −200.0 °C) are
not implausible values: that family's decoder leaves such a sensor out, as the
vocabulary says of absent sensors.

Pure: no Qt, no I/O.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from . import Snapshot

#: the highest cell voltage of any chemistry Packbench knows (Li-ion ends below 4.35 V;
#: 5.5 V leaves room for an overcharged cell, which a board does report)
CELL_V_MAX = 5.5
#: the families' most cells (JK02_32S, JK-PB) times the highest cell voltage, rounded up
PACK_V_MAX = 200.0
#: probe range of the NTCs these boards use: colder or hotter readings are a broken
#: or absent probe, not a battery
TEMPERATURE_C = (-60.0, 150.0)

#: canonical live name -> (lowest, highest) a board can mean, both inclusive.
#: 0.000 V is a real reading (a cell lead off: the SP25 capture in tests/data/jbd_frames.json
#: reports one), so the cell range starts at 0.
RANGES: dict[str, tuple[float, float]] = {
    "pack_voltage_v": (0.0, PACK_V_MAX),
    "current_a": (-2000.0, 2000.0),
    "soc_pct": (0.0, 100.0),
    "soh_pct": (0.0, 100.0),
    "capacity_remaining_ah": (0.0, 100_000.0),
    "capacity_full_ah": (0.0, 100_000.0),
    "cell_voltages_v": (0.0, CELL_V_MAX),
    "cell_min_v": (0.0, CELL_V_MAX),
    "cell_max_v": (0.0, CELL_V_MAX),
    "cell_avg_v": (0.0, CELL_V_MAX),
    "cell_delta_v": (0.0, CELL_V_MAX),
    # balance-lead resistance: real boards report 0.05–0.5 Ω; 65.535 is a u16 0xFFFF
    "cell_resistances_ohm": (0.0, 10.0),
    "temperatures_c": TEMPERATURE_C,
    "mos_temperature_c": TEMPERATURE_C,
    "balancer_temperature_c": TEMPERATURE_C,
    "balance_current_a": (-100.0, 100.0),
}

#: lists whose position is the cell number: one bad value drops the whole list (the
#: others would otherwise move up a place and be shown under the wrong cell).  Other
#: lists (temperature probes, where absent sensors are left out already) lose only
#: the bad values.
INDEXED_LISTS = frozenset({"cell_voltages_v", "cell_resistances_ohm"})

#: values computed from another one: dropped with it, without being named
DEPENDENTS: dict[str, tuple[str, ...]] = {
    "cell_voltages_v": (
        "cell_min_v",
        "cell_max_v",
        "cell_avg_v",
        "cell_delta_v",
        "cell_min_index",
        "cell_max_index",
    ),
    "pack_voltage_v": ("power_w",),
    "current_a": ("power_w",),
}


def plausible(name: str, value: Any) -> bool:
    """True when ``value`` is something a board can mean for ``name``.

    Numbers must be finite; names in ``RANGES`` must lie in their range.
    Anything that is not a number (bools, text) is not judged here.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return True
    if not math.isfinite(value):
        return False
    low, high = RANGES.get(name, (-math.inf, math.inf))
    return low <= value <= high


def drop_implausible(snap: Snapshot) -> Snapshot:
    """Remove the values a board cannot mean from ``snap``; name them in ``snap.implausible``.

    List items are named with their 1-based position (``cell_voltages_v[5]``).
    Idempotent: a second call finds nothing more.
    """
    from dataclasses import fields

    found: dict[str, Any] = {}
    for f in fields(snap):
        name = f.name
        if name in ("extra", "partial", "implausible", "alarms"):
            continue
        value = getattr(snap, name)
        if isinstance(value, list):
            bad = [i for i, v in enumerate(value) if not plausible(name, v)]
            if not bad:
                continue
            for i in bad:
                found[f"{name}[{i + 1}]"] = value[i]
            if name in INDEXED_LISTS:
                setattr(snap, name, [] if name == "cell_voltages_v" else None)
            else:
                setattr(snap, name, [v for i, v in enumerate(value) if i not in bad])
        elif value is not None and not plausible(name, value):
            found[name] = value
            setattr(snap, name, None)
        else:
            continue
        for dependent in DEPENDENTS.get(name, ()):
            setattr(snap, dependent, None)
    # family extras are not judged by range, but a NaN or infinity is never shown
    for key, value in list(snap.extra.items()):
        if isinstance(value, float) and not math.isfinite(value):
            found[key] = value
            del snap.extra[key]
    if found:
        snap.implausible = {**snap.implausible, **found}
    return snap


def describe(name: str, value: Any) -> str:
    """``cell_voltages_v[5]=65.535`` for a message in English (CLI, logs)."""
    if isinstance(value, float):
        return f"{name}={value:.6g}"
    return f"{name}={value}"
