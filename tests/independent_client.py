"""An independent client on the simulators (issue 23): aiobmsble's plugins, unmodified, with
bleak's own ``BleakClient`` on Packbench's fake Bluetooth backend.

``AIOBMSBLE`` is the one place that says which aiobmsble plugin reads which simulated
protocol; tests/test_family_contract.py (g) runs every protocol it names, with every GATT
layout of the protocol's family, through two scenarios and compares every value the
plugin reports with the simulator's own state (``Truth``: its pack, frozen while it is
read), never with Packbench's decoder.  What aiobmsble documents it leaves out (alarm
bits above 15 of a JK board, all but 8 characters of a JK serial number) and where it
reads the wire otherwise than the captures say is written down per plugin (``PLUGINS``),
with the source, so a changed plugin or simulator shows up as a failure.
"""

from __future__ import annotations

import asyncio
import copy
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.model import Snapshot

#: simulated protocol -> the aiobmsble plugin (``aiobmsble.bms.<name>``) for its boards
AIOBMSBLE = {
    "jk02_24s": "jikong_bms",
    "jk02_32s": "jikong_bms",
    "jbd": "jbd_bms",
    "daly_d2": "daly_bms",
    "ant_2021": "ant_bms",
    "ant_legacy": "ant_leg_bms",
}


@dataclass(frozen=True)
class Truth:
    """The simulator's own state while a plugin reads it."""

    snap: Snapshot
    nominal_ah: float


@dataclass(frozen=True)
class Plugin:
    """How one aiobmsble plugin reports what a board says (its module and the protocol docs)."""

    #: one step of the wire's resolution, per key (the protocol docs); 0.001 otherwise
    resolution: dict[str, float] = field(default_factory=dict)
    #: canonical alarm -> the bit it sets in the plugin's problem_code
    alarm_bits: dict[str, int] = field(default_factory=dict)
    #: problem_code keeps the bits below this one only
    alarm_width: int = 64
    #: design_capacity is the board's full-charge capacity (else the nominal one)
    design_is_full: bool = False
    #: temp_sensors is a mask of the sensors present (else their number)
    temp_sensor_mask: bool = False
    #: a temperature the plugin reports for a sensor that is not there
    absent_c: float | None = None
    #: GATT layout name -> (why the plugin cannot use it, what its failure says)
    layouts_unsupported: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: (why the plugin cannot read the simulated board at all, what its failure says)
    unsupported: tuple[str, str] | None = None
    #: key -> (what the plugin reads instead, why): the plugin against the captures
    misreads: dict[str, tuple[Callable[[Truth], Any], str]] = field(default_factory=dict)


_ANT_2021_MISREAD = (
    "aiobmsble's ant_bms reads the 2021 status frame's current with the opposite sign and "
    "byte o+12 as the charge MOSFET; the captures say positive = discharging and o+12 = "
    "discharge MOSFET (shared/protocols/ant_xiaomi.md §2.4, 24BHUB/16ZMUB capacity falling "
    "while the current is positive; the 14S bench and batmon 8S frames 01 02 at cell OVP), "
    "and the simulator follows the captures"
)

PLUGINS: dict[str, Plugin] = {
    # jk.md §2.1: mV, mA, 0.1 °C; §2.2 alarm bits (4 cell OVP, 19 default password); aiobmsble
    # keeps bits 0-15 of a 32S board (jk.md §2.2 decoder notes) and reads the full-charge
    # capacity at 178 as design_capacity, the sensors at 214 as a mask
    "jikong_bms": Plugin(
        alarm_bits={"cell_overvoltage": 4, "default_password": 19},
        alarm_width=16,
        design_is_full=True,
        temp_sensor_mask=True,
        layouts_unsupported={
            "split": (
                "aiobmsble's jikong_bms subscribes to 'ffe1' by UUID, which bleak refuses "
                "when the newer module's two FFE1 characteristics are there; it reads the "
                "older module's single FFE1 (jk.md §1.1)",
                "Multiple Characteristics with this UUID",
            ),
        },
    ),
    # jbd_daly.md §2.1: 10 mV pack, 10 mA, 10 mAh, 0.1 K; protection bit 0 = cell OVP
    "jbd_bms": Plugin(
        resolution={"voltage": 0.01, "current": 0.01, "cycle_charge": 0.01, "temp": 0.1},
        alarm_bits={"cell_overvoltage": 0},
        layouts_unsupported={
            "fff0": (
                "aiobmsble's jbd_bms knows the FF00/FF01/FF02 modules only, not the DH04-style "
                "FFF0/FFF1/FFF2 layout serialbattery also finds (jbd_daly.md §1.2)",
                "Characteristic ff01 was not found",
            ),
        },
    ),
    "daly_bms": Plugin(
        unsupported=(
            "aiobmsble's daly_bms takes a reply only when it arrives whole in one notification "
            "(its handler checks data[2] == len(data) - 5 and does not reassemble); the fake "
            "backend's 20-byte notifications (MTU 23) cut the 129-byte status reply, which "
            "jbd_daly.md §6.1 allows ('one BLE notification may contain more than one frame, "
            "or a partial frame'). With MTU 247 and whole replies it reads the board.",
            "TimeoutError",
        ),
        layouts_unsupported={
            "ff00": (
                "aiobmsble's daly_bms knows the FFF0/FFF1/FFF2 modules only, not the ff00 layout "
                "of newer DL/JHB firmware (batmon #356, jbd_daly.md §6.2)",
                "Characteristic fff1 was not found",
            ),
        },
    ),
    # ant_xiaomi.md §2.4: 0.01 V, 0.1 A, W, °C, 1e-6 Ah; aiobmsble's problem_code is the
    # two MOSFET status bytes without their 'on' states: charge MOS 2 = cell OVP -> 0x200
    "ant_bms": Plugin(
        resolution={"voltage": 0.01, "current": 0.1, "power": 1.0, "temp": 1.0},
        alarm_bits={"cell_overvoltage": 9},
        misreads={
            "current": (lambda t: -t.snap.current_a, _ANT_2021_MISREAD),
            "power": (lambda t: -t.snap.power_w, _ANT_2021_MISREAD),
            "chrg_mosfet": (lambda t: t.snap.discharge_mos_on, _ANT_2021_MISREAD),
            "dischrg_mosfet": (lambda t: t.snap.charge_mos_on, _ANT_2021_MISREAD),
        },
    ),
    # ant_xiaomi.md §1.3: 0.1 V pack, 0.1 A, °C, six sensor slots of which aiobmsble reads
    # four, -40 in the unused ones; problem_code as ant_bms
    "ant_leg_bms": Plugin(
        resolution={"voltage": 0.1, "current": 0.1, "temp": 1.0},
        alarm_bits={"cell_overvoltage": 9},
        absent_c=-40.0,
    ),
}


# --- what each key the plugins report means, in the simulator's terms -------------------------------
def _mask(cells: list[int] | None) -> int:
    return sum(1 << (c - 1) for c in cells or [])  # balancing_cells are 1-based


EXPECT: dict[str, Callable[[Truth, Plugin, Any], Any]] = {
    "voltage": lambda t, p, got: t.snap.pack_voltage_v,
    "current": lambda t, p, got: t.snap.current_a,
    "power": lambda t, p, got: t.snap.power_w,
    "battery_charging": lambda t, p, got: (t.snap.current_a or 0) > 0,
    "battery_level": lambda t, p, got: t.snap.soc_pct,
    "battery_health": lambda t, p, got: t.snap.soh_pct,
    "cycle_charge": lambda t, p, got: t.snap.capacity_remaining_ah,
    "design_capacity": lambda t, p, got: int(t.snap.capacity_full_ah if p.design_is_full else t.nominal_ah),
    "cycles": lambda t, p, got: t.snap.cycles,
    "total_charge": lambda t, p, got: int(t.snap.cycle_capacity_ah),
    "runtime": lambda t, p, got: t.snap.runtime_s,
    "chrg_mosfet": lambda t, p, got: t.snap.charge_mos_on,
    "dischrg_mosfet": lambda t, p, got: t.snap.discharge_mos_on,
    # a flag, or a mask of the cells being balanced
    "balancer": lambda t, p, got: (
        bool(t.snap.balancing_active) if isinstance(got, bool) else _mask(t.snap.balancing_cells)
    ),
    "balance_current": lambda t, p, got: t.snap.balance_current_a,
    "heater": lambda t, p, got: bool(t.snap.heating_on),
    "heater_current": lambda t, p, got: 0.0,  # the pack model has no heater
    "battery_mode": lambda t, p, got: 0,  # nor absorption or float stages: bulk (jk.md §2.1, 280)
    "cell_count": lambda t, p, got: len(t.snap.cell_voltages_v),
    "delta_voltage": lambda t, p, got: round(max(t.snap.cell_voltages_v) - min(t.snap.cell_voltages_v), 3),
    "temp_sensors": lambda t, p, got: (
        (1 << (len(t.snap.temperatures_c) + 1)) - 1 if p.temp_sensor_mask else len(t.snap.temperatures_c)
    ),
    "problem_code": lambda t, p, got: sum(
        1 << p.alarm_bits[a] for a in t.snap.alarms if p.alarm_bits[a] < p.alarm_width
    ),
}


def _close(got: Any, want: Any, step: float) -> bool:
    if isinstance(want, bool) or isinstance(got, bool) or isinstance(want, int) and isinstance(got, int):
        return got == want
    return abs(float(got) - float(want)) <= step + 1e-9


def _temperatures(truth: Truth, plugin: Plugin, got: list[Any]) -> list[str]:
    """The sensors by kind: cell/generic ones against the pack's, MOSFET and balancer ones."""
    from aiobmsble import TempSensor

    step = plugin.resolution.get("temp", 0.1)
    kinds = {TempSensor.T.GENERIC: "pack", TempSensor.T.CELL: "pack"}
    seen: dict[str, list[float]] = {"pack": [], "mos": [], "balancer": []}
    for sensor in got:
        if plugin.absent_c is not None and sensor.value == plugin.absent_c:
            continue
        kind = (
            kinds.get(sensor.type)
            or {TempSensor.T.MOSFET: "mos", TempSensor.T.BALANCER: "balancer"}[sensor.type]
        )
        seen[kind].append(sensor.value)
    s = truth.snap
    want = {
        "pack": list(s.temperatures_c or []),
        "mos": [s.mos_temperature_c] if seen["mos"] else [],
        "balancer": [s.balancer_temperature_c] if seen["balancer"] else [],
    }
    out = []
    for kind, values in seen.items():
        pairs = list(zip(sorted(values), sorted(want[kind]), strict=False))
        if len(values) != len(want[kind]) or not all(_close(g, w, step) for g, w in pairs):
            out.append(f"temp_values[{kind}] = {values}, the simulator's {want[kind]}")
    return out


def compare(reading: dict[str, Any], truth: Truth, plugin: Plugin) -> tuple[list[str], set[str]]:
    """(every disagreement in words, the keys read as ``plugin.misreads`` says)."""
    problems, misread = [], set()
    for key, got in reading.items():
        if key == "temp_values":
            problems += _temperatures(truth, plugin, got)
            continue
        if key == "cell_voltages":
            want = truth.snap.cell_voltages_v
            if len(got) != len(want) or not all(_close(g, w, 0.001) for g, w in zip(got, want, strict=True)):
                problems.append(f"cell_voltages = {got}, the simulator's {want}")
            continue
        if key not in EXPECT:
            problems.append(f"{key} = {got!r}: the test does not know what it means (add it to EXPECT)")
            continue
        step = plugin.resolution.get(key, 0.001)
        if key in plugin.misreads:
            wrong, _why = plugin.misreads[key]
            want = wrong(truth)
            if _close(got, want, step):
                misread.add(key)
                continue
            problems.append(f"{key} = {got!r}, not even the documented misreading {want!r}")
            continue
        want = EXPECT[key](truth, plugin, got)
        if not _close(got, want, step):
            problems.append(f"{key} = {got!r}, the simulator's {want!r}")
    return problems, misread


# --- driving the simulator ----------------------------------------------------------------------
def settle(sim: Any, seconds: float = 1.0, dt: float = 0.2) -> None:
    """Let the pack follow what was changed (its output goes nowhere)."""
    for _ in range(round(seconds / dt)):
        sim.step(dt)


def freeze(sim: Any) -> Truth:
    """Stop the simulator's clock: every frame it sends from now on carries this state."""
    thaw(sim)
    snap = sim.snapshot()
    sim.snapshot = lambda: copy.deepcopy(snap)
    sim.cell_voltages = lambda: list(snap.cell_voltages_v)  # what a reply measures alone (JBD 0x04)
    sim.pack.step = lambda *args, **kwargs: None
    settings = getattr(sim, "settings", {}) or {}
    return Truth(snap, float(settings.get("capacity_nominal_ah", 0.0)))


def thaw(sim: Any) -> None:
    for name in ("snapshot", "cell_voltages"):
        sim.__dict__.pop(name, None)
    sim.pack.__dict__.pop("step", None)


def charging(sim: Any) -> None:
    """A charger pushes 20 A in."""
    sim.pack.limits_override = {}
    sim.constant_current_a = 20.0


def loaded_in_protection(sim: Any) -> None:
    """A 25 A load, the balancer at work and the cell over-voltage protection tripped (a
    board whose protection trips below the cells' voltage, and that balances early)."""
    sim.constant_current_a = -25.0
    sim.pack.limits_override = {"cell_ovp_v": 3.0, "balance_start_v": 3.0, "balance_trigger_delta_v": 0.001}


SCENARIOS = (charging, loaded_in_protection)


def plugin_class(name: str) -> Any:
    return importlib.import_module(f"aiobmsble.bms.{name}").BMS


async def bounded(awaitable: Any, seconds: float) -> Any:
    return await asyncio.wait_for(awaitable, seconds)
