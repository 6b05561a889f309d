"""What a simulated Daly board holds, whatever it speaks (A5 or Modbus D2/P81).

The two wire protocols (``daly_a5.py``, ``daly_d2.py``) sit in front of one
board: the shared pack model (pack.py), the settings block on canonical keys
(the D2 map of jbd_daly.md §6.4, which the A5 settings reads 0x50–0x60 show
too, §5), the MOSFET and balancer switches, the setup password (§6.6), the
clock and the current reading's zero offset.

Behaviour from the sources, and Packbench's choices where they are silent:
- the current's sign on the wire is the protocol's (A5: above 30000 is
  discharge; D2: above 30000 is charge, §8 #17); ``sign_flipped=1`` makes a
  board whose current sign disagrees with its state register (the issue's
  cross-check);
- a board that is shut down (0xF1) stops answering, as a real one would;
- ``current_offset=A``: the board reads this much current while none flows,
  until its current is zeroed (D2 0xF2);
- the values a fresh board holds are vendor-like (it allows charging down to
  −10 °C, which presets.md warns about), so a Packbench preset changes them.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from copy import deepcopy
from datetime import datetime
from typing import Any

from ..model import Snapshot
from ..protocols.daly import faults as daly_faults
from ..protocols.daly import schema
from . import chemistry as chem
from . import options as opt
from .board import BoardSimulator, Faults
from .narration import say_changes
from .pack import Pack, board_defaults

#: battery type register 0x89 (§6.4)
BATTERY_TYPES = {"lifepo4": 0, "li-ion": 1, "lto": 2}
#: the nominal cell voltage a board is set to per chemistry (its 0x81 register)
REFERENCE_V = {"lifepo4": 3.2, "li-ion": 3.7, "lto": 2.3}
FACTORY_PASSWORD = "123456"


def factory_values(cells: int, chemistry: str, capacity_ah: float) -> dict[str, Any]:
    """The settings block of a fresh board, on canonical keys (the D2 rows' keys)."""
    d = board_defaults(cells, chemistry, capacity_ah)
    ovp, uvp = d["cell_ovp_v"], d["cell_uvp_v"]
    values: dict[str, Any] = {
        "capacity_nominal_ah": capacity_ah,
        "daly_cell_reference_v": REFERENCE_V[chemistry],
        "daly_acquisition_boards": 1,
        "daly_board1_cells": cells,
        "daly_board2_cells": 0,
        "daly_board3_cells": 0,
        "daly_board1_ntcs": 2,
        "daly_board2_ntcs": 0,
        "daly_board3_ntcs": 0,
        "daly_battery_type": BATTERY_TYPES[chemistry],
        "daly_sleep_wait_s": 3600,
        "daly_cell_ovp_warning_v": round(ovp - 0.05, 3),
        "cell_ovp_v": ovp,
        "daly_cell_uvp_warning_v": round(uvp + 0.3, 3),
        "cell_uvp_v": uvp,
        "daly_pack_ovp_warning_v": round((ovp - 0.05) * cells, 1),
        "pack_ovp_v": round(ovp * cells, 1),
        "daly_pack_uvp_warning_v": round((uvp + 0.3) * cells, 1),
        "pack_uvp_v": round(uvp * cells, 1),
        "daly_charge_ocp_warning_a": 90.0,
        "charge_ocp_a": d["charge_ocp_a"],
        "daly_discharge_ocp_warning_a": 140.0,
        "discharge_ocp_a": d["discharge_ocp_a"],
        "daly_charge_otp_warning_c": 55,
        "charge_otp_c": 60,
        "daly_charge_utp_warning_c": -5,
        "charge_utp_c": -10,
        "daly_discharge_otp_warning_c": 65,
        "discharge_otp_c": 70,
        "daly_discharge_utp_warning_c": -15,
        "discharge_utp_c": -20,
        "daly_cell_delta_warning_v": 0.3,
        "daly_cell_delta_protection_v": 0.5,
        "daly_temp_delta_warning_c": 10,
        "daly_temp_delta_protection_c": 15,
        "balance_start_v": d["balance_start_v"],
        "balance_trigger_delta_v": d["balance_trigger_delta_v"],
        "charge_switch": True,
        "discharge_switch": True,
        "daly_soc_set_pct": 0.0,
        "mos_otp_c": d["mos_otp_c"],
        "balance_switch": True,
    }
    return values


class DalyBoard(BoardSimulator):
    """A Daly board with a pack behind it; the subclasses speak the wire protocol."""

    SOFTWARE = "DL-PACKBENCH-SIM"
    HARDWARE = "DALY-SIM-16S100A"

    def __init__(
        self,
        cells: int = 16,
        chemistry: str = "lifepo4",
        capacity_ah: float = 100.0,
        seed: int | None = None,
        faults: Faults | None = None,
        password: str | None = None,
    ) -> None:
        if not 3 <= cells <= 48:
            raise ValueError(f"the Daly simulator simulates 3 to 48 cells, not {cells}")
        chemistry = chem.normalise(chemistry)
        super().__init__(
            Pack(cells, chemistry, capacity_ah, random.Random(seed)), faults or Faults(junk=False)
        )
        self.narrate_prefix = "daly"
        self._factory = factory_values(cells, chemistry, capacity_ah)
        self.values: dict[str, Any] = dict(self._factory)
        self.password = password or FACTORY_PASSWORD
        self.balance_max_a = board_defaults(cells, chemistry, capacity_ah)["balance_max_current_a"]
        self.clock = datetime(2025, 1, 1, 12, 0, 0)
        self._clock_s = 0.0
        #: the current the board reads while none flows (``current_offset=``), and the zero
        #: it subtracts since its current was last zeroed
        self.current_offset_a = 0.0
        self.current_zero_a = 0.0
        #: the board's current sign on the wire disagrees with its state register
        self.sign_flipped = False
        #: alarms raised on demand (``alarm=cell_overvoltage,…``), at protection level
        self.forced_alarms: tuple[str, ...] = ()
        self.received: list[bytes] = []  # every request frame, for tests
        self.writes: list[tuple[Any, Any]] = []  # (register or data id, value) accepted
        self.shut_down = False
        self._measured: tuple[float, Snapshot] | None = None

    # --- the board's own state ----------------------------------------------------------------
    @property
    def settings(self) -> dict[str, Any]:
        """The stored settings, canonical keys (for tests)."""
        out = dict(self.values)
        out["cell_count"] = schema.cell_count(out)
        return out

    def limits(self) -> dict[str, Any]:
        v = self.values
        return dict(
            cell_ovp_v=v["cell_ovp_v"],
            cell_uvp_v=v["cell_uvp_v"],
            charge_switch=v["charge_switch"],
            discharge_switch=v["discharge_switch"],
            balance_switch=v["balance_switch"],
            balance_start_v=v["balance_start_v"],
            balance_trigger_delta_v=v["balance_trigger_delta_v"],
            balance_max_current_a=self.balance_max_a,
        )

    def step(self, dt: float) -> list[bytes]:
        self.pack.step(dt, self.limits())  # polled: the board answers, it never streams
        self._clock_s += dt
        return []

    def now(self) -> datetime:
        from datetime import timedelta

        return self.clock + timedelta(seconds=int(self._clock_s))

    def set_clock(self, when: datetime) -> None:
        self.clock, self._clock_s = when, 0.0
        self._say(f"clock set to {when:%Y-%m-%d %H:%M:%S}")

    def soc_now(self) -> float:
        """The pack's state of charge now, in % (what the board reports)."""
        return round(sum(c.soc for c in self.pack.cells) / len(self.pack.cells) * 100, 1)

    def set_soc(self, pct: float) -> None:
        self._measured = None  # measured anew
        for cell in self.pack.cells:
            cell.soc = max(0.0, min(1.0, pct / 100))
        self._say(f"state of charge set to {pct:g} %")

    def zero_current(self) -> None:
        self._measured = None  # measured anew
        self.current_zero_a = round(self.pack.current_a * self.pack.current_gain + self.current_offset_a, 3)
        self._say(f"current zeroed (offset {self.current_zero_a:+g} A removed)")

    def store(self, key: str, value: Any) -> None:
        """One setting written (the clamp fault applied), narrated."""
        self._measured = None  # measured anew
        before = dict(self.values)
        self.values[key] = self._clamped(key, value) if not isinstance(value, bool) else value
        say_changes(self.narrate, before, self.values, self.narrate_prefix)

    def factory_reset(self) -> None:
        self._measured = None  # measured anew
        before = dict(self.values)
        self.values = dict(self._factory)
        self.password = FACTORY_PASSWORD
        self._say("factory reset")
        say_changes(self.narrate, before, self.values, self.narrate_prefix)

    def refuses_writes(self) -> bool:
        """``fault=refuse_writes``, or ``require_password`` while the password is not the
        factory one (as the JK simulator's)."""
        return self.faults.drop_writes or (self.faults.require_password and self.password != FACTORY_PASSWORD)

    # --- what the board measures -------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        """Every reply between two steps comes from one measurement (so an A5 poll's 0x90
        current and 0x93 state agree, as on a real board)."""
        cached = self._measured
        if cached is not None and cached[0] == self.pack.time_s:  # one measurement per step
            return deepcopy(cached[1])
        snap = self._measure()
        self._measured = (self.pack.time_s, snap)
        return deepcopy(snap)

    def _measure(self) -> Snapshot:
        volts = self.cell_voltages()
        snap = self.pack.snapshot(volts, self.limits())
        snap.current_a = round(snap.current_a + self.current_offset_a - self.current_zero_a, 2)
        alarms = set(self.pack.limit_alarms(volts, self.values)) | set(self.forced_alarms)
        snap.alarms = sorted(alarms)
        if self.pack.balancing:
            snap.balancing_cells = [volts.index(max(volts)) + 1]
        return snap

    def state_of(self, amps: float) -> int:
        """0x93 byte 0 / register 0x2F: 0 idle, 1 charging, 2 discharging (§4.2, §6.3)."""
        return 1 if amps > 0.05 else 2 if amps < -0.05 else 0

    def fault_bytes(self, snap: Snapshot) -> bytes:
        """The seven fault bytes of §4.2 (A5 0x98, D2 0x3A–0x3D) for the snapshot's alarms."""
        return daly_faults.bits_of(snap.alarms).to_bytes(8, "little")[:7]


def create_board(
    cls: type, protocol: str, options: Mapping[str, Any], common: dict[str, Any], **extra: Any
) -> DalyBoard:
    """A Daly board from a ``sim://`` URL's options: ``common`` (cells 16 unless told,
    the write faults, ``password=`` six letters or digits) and Daly's own: ``current``,
    ``current_error_pct``, ``current_offset``, ``sign_flipped``, ``alarm``; the
    protocol's URL options (``address``, ``variant``, ``invert_current``) are the
    session's and are taken here only where the board needs them."""
    kwargs = dict(common)
    fault_fields = dict(kwargs.pop("faults"))
    fault_fields.setdefault("junk", False)  # Daly modules send no AT text
    kwargs["faults"] = Faults(**fault_fields)
    kwargs.setdefault("cells", 16)
    kwargs.pop("stream_interval_s", None)  # polled: it answers when asked
    if "password" in kwargs:
        pw = kwargs["password"]
        if not (len(pw) == 6 and pw.isascii() and pw.isalnum()):
            raise ValueError(f"password={pw!r}: a Daly setup password is six letters or digits")
    sim = cls(**kwargs, **extra)
    if "current" in options:
        sim.constant_current_a = opt.current(options)
    if "current_error_pct" in options:
        sim.board.current_gain = opt.gain(options, "current_error_pct")
    if "current_offset" in options:
        sim.current_offset_a = opt.number(options, "current_offset", -50, 50)
    sim.sign_flipped = opt.switch(options, "sign_flipped")
    if "alarm" in options:
        from ..model import ALARM_IDS

        names = tuple(a.strip() for a in str(options["alarm"]).split(",") if a.strip())
        unknown = [a for a in names if a not in ALARM_IDS and not a.startswith("daly_bit_")]
        if unknown:
            raise ValueError(f"alarm={','.join(unknown)}: not an alarm id (vocabulary.md)")
        sim.forced_alarms = names
    return sim


__all__ = ["DalyBoard", "FACTORY_PASSWORD", "create_board", "factory_values"]
