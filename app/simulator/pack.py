"""The battery pack behind every simulated board (design.md, "A protocol family").

One physical model, driven by each family's simulator through its own wire
protocol: cells with the chemistry's open-circuit voltage curve
(``chemistry.py``), their spread in capacity, charge and resistance, a current
profile (or a steady charger/load), temperatures, an active balancer, the
state of charge counted from the current, and the board's measurement error
before calibration.

The pack knows no protocol.  What the board decides is handed in as
``limits``, a mapping on canonical keys (``cell_ovp_v``, ``cell_uvp_v``,
``charge_switch``, ``discharge_switch``, ``balance_switch``,
``balance_start_v``, ``balance_trigger_delta_v``, ``balance_max_current_a``):
the JK simulators pass their settings, the JBD simulator what its EEPROM and
MOSFET register say.  ``override`` lets the board run past its voltage
protections (JK's emergency mode).

Pure and clock-free like the simulators: ``step(dt, limits)`` advances the
pack by ``dt`` seconds; the random source is the simulator's, so one seed
makes one run.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..model import Snapshot
from . import chemistry as chem

# The cell limits a board starts with, per chemistry: Packbench's own presets (shared/presets.md)
CELL_DEFAULTS: dict[str, dict[str, float]] = {
    "lifepo4": dict(
        cell_ovp_v=3.65,
        soc_full_v=3.60,
        cell_ovp_recovery_v=3.55,
        balance_start_v=3.40,
        cell_uvp_recovery_v=2.80,
        soc_empty_v=2.70,
        cell_uvp_v=2.50,
        power_off_v=2.40,
        charge_utp_c=0.0,
        charge_utp_recovery_c=5.0,
    ),
    "li-ion": dict(
        cell_ovp_v=4.20,
        soc_full_v=4.15,
        cell_ovp_recovery_v=4.10,
        balance_start_v=3.90,
        cell_uvp_recovery_v=3.20,
        soc_empty_v=3.10,
        cell_uvp_v=2.80,
        power_off_v=2.70,
        charge_utp_c=0.0,
        charge_utp_recovery_c=5.0,
    ),
    "lto": dict(
        cell_ovp_v=2.80,
        soc_full_v=2.75,
        cell_ovp_recovery_v=2.70,
        balance_start_v=2.50,
        cell_uvp_recovery_v=2.00,
        soc_empty_v=1.90,
        cell_uvp_v=1.80,
        power_off_v=1.70,
        charge_utp_c=-30.0,
        charge_utp_recovery_c=-25.0,
    ),
}


def board_defaults(cells: int, chemistry: str, capacity_ah: float) -> dict[str, Any]:
    """What a board protecting this pack holds before anyone configures it, on canonical
    keys: the chemistry's cell limits, currents, temperatures and switches."""
    s: dict[str, Any] = dict(CELL_DEFAULTS[chemistry])
    s.update(
        cell_count=cells,
        capacity_nominal_ah=capacity_ah,
        balance_trigger_delta_v=0.005 if capacity_ah >= 50 else 0.010,
        balance_max_current_a=min(2.0, round(capacity_ah * 0.1, 1)),
        charge_ocp_a=100.0,
        charge_ocp_delay_s=30,
        charge_ocp_recovery_s=60,
        discharge_ocp_a=150.0,
        discharge_ocp_delay_s=300,
        discharge_ocp_recovery_s=60,
        short_circuit_delay_us=1500,
        short_circuit_recovery_s=60,
        charge_otp_c=55.0,
        charge_otp_recovery_c=50.0,
        discharge_otp_c=65.0,
        discharge_otp_recovery_c=55.0,
        mos_otp_c=80.0,
        mos_otp_recovery_c=70.0,
        charge_switch=True,
        discharge_switch=True,
        balance_switch=True,
    )
    return s


@dataclass
class Cell:
    capacity_ah: float
    soc: float
    resistance_ohm: float  # internal: the voltage the current adds or takes
    wire_ohm: float  # the balance lead, as the board measures it


#: the balancer's current while it works (A), as the board reports it
BALANCE_CURRENT_A = 0.8


class Pack:
    """Cells in series, a current through them, their temperatures and a balancer."""

    def __init__(
        self,
        cells: int,
        chemistry: str = "lifepo4",
        capacity_ah: float = 100.0,
        rng: random.Random | None = None,
    ) -> None:
        self.chemistry = chem.normalise(chemistry)
        self.rng = rng if rng is not None else random.Random()
        self.cells = [
            Cell(
                capacity_ah=capacity_ah * self.rng.uniform(0.97, 1.03),
                soc=self.rng.uniform(0.52, 0.58),
                resistance_ohm=self.rng.uniform(0.0004, 0.0009),
                # balance leads of one pack lie close together (the captures in
                # shared/frames/jk.json: the highest within 1.44 × the median, model/wires.py);
                # a wider spread made the Live tab flag a healthy simulated pack's lead as loose
                wire_ohm=self.rng.uniform(0.045, 0.060),
            )
            for _ in range(cells)
        ]
        self.temps = [24.0 + self.rng.uniform(-1, 1), 24.5 + self.rng.uniform(-1, 1)]
        self.mos_temp = 27.0
        self.time_s = 0.0
        self.runtime_s = 86400 * 12
        self.current_a = 0.0
        self.cycle_ah = 1234.5
        self.cycles = 12
        self.balancing = False
        # the board's measurement error before calibration (1.0: exact; URL options
        # voltage_error_pct / current_error_pct make a board that needs calibrating)
        self.voltage_gain = 1.0
        self.current_gain = 1.0
        #: a steady charger (+) or load (-) instead of the bench profile, in A
        self.constant_current_a: float | None = None
        #: limits a test puts over the board's own, on the canonical keys of ``limits``
        #: (a protection that trips at a lower voltage than the board's settings say, a
        #: balancer that starts earlier), whatever family's board holds the pack
        self.limits_override: dict[str, Any] = {}

    def _limits(self, limits: Mapping[str, Any]) -> Mapping[str, Any]:
        return {**limits, **self.limits_override} if self.limits_override else limits

    # --- time ---------------------------------------------------------------------------------
    def _profile_current(self) -> float:
        """A plausible bench profile: slow charge/discharge swings with ripple."""
        if self.constant_current_a is not None:
            return self.constant_current_a + self.rng.gauss(0, 0.01)
        t = self.time_s
        base = 18.0 * math.sin(2 * math.pi * t / 240.0) + 4.0 * math.sin(2 * math.pi * t / 37.0)
        return base + self.rng.gauss(0, 0.3)

    def step(self, dt: float, limits: Mapping[str, Any], override: bool = False) -> None:
        """Advance ``dt`` seconds: the board's MOSFETs let the current through or not."""
        if dt <= 0:
            return
        limits = self._limits(limits)
        self.time_s += dt
        self.runtime_s += dt
        current = self._profile_current()
        volts = self.cell_voltages()
        hi, lo = max(volts), min(volts)
        charge_ok, discharge_ok = self._fets(hi, lo, limits, override)
        if current > 0 and not charge_ok:
            current = 0.0
        if current < 0 and not discharge_ok:
            current = 0.0
        self.current_a = current
        for cell in self.cells:
            cell.soc = min(1.0, max(0.0, cell.soc + current * dt / 3600.0 / cell.capacity_ah))
        self.cycle_ah += abs(current) * dt / 3600.0
        self._balance(dt, volts, limits)
        heat = abs(current) * 0.004
        self.temps = [
            t + (heat + 24.0 - t) * min(1.0, dt / 120.0) + self.rng.gauss(0, 0.02) for t in self.temps
        ]
        self.mos_temp += (heat * 2 + 26.0 - self.mos_temp) * min(1.0, dt / 60.0)

    def _balance(self, dt: float, volts: list[float], limits: Mapping[str, Any]) -> None:
        """An active balancer: the highest cell gives charge to the lowest."""
        hi, lo = max(volts), min(volts)
        trigger = limits.get("balance_trigger_delta_v", 0.01)
        self.balancing = (
            bool(limits.get("balance_switch")) and hi - lo > trigger and hi > limits.get("balance_start_v", 0)
        )
        if self.balancing:
            i_hi, i_lo = volts.index(hi), volts.index(lo)
            moved = min(limits.get("balance_max_current_a", 1.0), 1.0) * dt / 3600.0
            self.cells[i_hi].soc -= moved / self.cells[i_hi].capacity_ah
            self.cells[i_lo].soc += moved / self.cells[i_lo].capacity_ah

    @staticmethod
    def _fets(hi: float, lo: float, limits: Mapping[str, Any], override: bool) -> tuple[bool, bool]:
        """(charge allowed, discharge allowed): the switches and the cell limits."""
        charge = bool(limits.get("charge_switch", True)) and (hi < limits["cell_ovp_v"] or override)
        discharge = bool(limits.get("discharge_switch", True)) and (lo > limits["cell_uvp_v"] or override)
        return charge, discharge

    # --- what the board measures ------------------------------------------------------------------
    def cell_voltages(self) -> list[float]:
        return [
            round(
                chem.ocv(self.chemistry, c.soc)
                + self.current_a * c.resistance_ohm
                + self.rng.gauss(0, 0.0005),
                3,
            )
            for c in self.cells
        ]

    def true_pack_voltage(self) -> float:
        """What a meter on the pack terminals would read (for tests and calibrations)."""
        return sum(self.cell_voltages())

    def calibrate(self, kind: str, measured: float) -> bool:
        """Scale the board's reading so that it shows what the meter measured; False when
        the value is absurd (the real boards ignore those too)."""
        if kind == "voltage":
            true = sum(self.cell_voltages())
            if not 0.8 * true < measured < 1.2 * true:
                return False
            self.voltage_gain = measured / true
            return True
        if abs(self.current_a) < 0.5 or measured == 0 or (measured > 0) != (self.current_a > 0):
            return False
        ratio = measured / self.current_a
        if not 0.7 < ratio < 1.3:
            return False
        self.current_gain = ratio
        return True

    def limit_alarms(self, volts: list[float], limits: Mapping[str, Any]) -> list[str]:
        """The cell-voltage alarms a board raises against its limits."""
        limits = self._limits(limits)
        out = []
        if max(volts) >= limits["cell_ovp_v"]:
            out.append("cell_overvoltage")
        if min(volts) <= limits["cell_uvp_v"]:
            out.append("cell_undervoltage")
        return out

    def snapshot(self, volts: list[float], limits: Mapping[str, Any], override: bool = False) -> Snapshot:
        """What the board reads from the pack, with ``volts`` as its cell readings
        (alarms and family extras are the board's to add)."""
        limits = self._limits(limits)
        soc = sum(c.soc for c in self.cells) / len(self.cells)
        cap = sum(c.capacity_ah for c in self.cells) / len(self.cells)
        charge_on, discharge_on = self._fets(max(volts), min(volts), limits, override)
        pack = round(sum(volts) * self.voltage_gain, 3)
        current = round(self.current_a * self.current_gain, 3)
        return Snapshot(
            pack_voltage_v=pack,
            current_a=current,
            power_w=round(pack * current, 3),
            soc_pct=int(round(soc * 100)),
            soh_pct=100,
            capacity_remaining_ah=round(soc * cap, 3),
            capacity_full_ah=round(cap, 3),
            cycle_capacity_ah=round(self.cycle_ah, 3),
            cycles=self.cycles,
            cell_voltages_v=volts,
            cell_resistances_ohm=[round(c.wire_ohm, 3) for c in self.cells],
            temperatures_c=[round(t, 1) for t in self.temps],
            mos_temperature_c=round(self.mos_temp, 1),
            balance_current_a=(BALANCE_CURRENT_A if self.balancing else 0.0),
            balancing_active=self.balancing,
            charge_mos_on=charge_on,
            discharge_mos_on=discharge_on,
            precharge_mos_on=False,
            heating_on=False,
            runtime_s=int(self.runtime_s),
        )


__all__ = ["BALANCE_CURRENT_A", "CELL_DEFAULTS", "Cell", "Pack", "board_defaults"]
