"""A virtual Xiaomi M365 / Ninebot scooter pack on its data wire (ant_xiaomi.md §3).

Behaves like the stock BMS where the sources say how:
- it answers reads only (``55 AA`` frames to 0x22 for ``m365``; ``5A A5`` frames to
  0x22, and to 0x23 when an external pack is fitted, for ``ninebot``), from its
  register image (§3.4), built by the same rows the decoder reads
  (protocols/xiaomi/registers.py); frames of the other framing, and frames for
  the ESC or the dashboard, get no answer (nothing else is on a bench);
- writes are not stored: 0x03 gets no reply, 0x02 the write-protected
  acknowledgement (py9b: data byte 0), and status bit 4 (write lock) is set;
- the bus is one wire with TX and RX tied together: whatever the host sends comes
  straight back before the answer (``echo``, on unless ``echo=0``).

The pack behind it is the shared pack model (pack.py), 10 Li-ion cells of 7.8 Ah
(the M365's 7800 mAh, §3.4) idle on a bench unless told otherwise.  Options for
the workshop's cases (the health page): ``health=72`` (actual full capacity, % of
design), ``weak_cell=7`` (a weak parallel group), ``soc=`` (state of charge, %),
``deep=1`` (a deep-discharged pack), ``temps=25,-20`` (what the two NTCs read, °C:
a failed sensor locks charging), ``charger=1`` (a charger plugged in: 1.7 A),
``current=`` (A, + charging), ``cycles=``, ``charges=``, ``made=2019-06-12``,
``serial=``, ``firmware=1.1.5``, ``external=1`` (a second pack at 0x23, ninebot),
``internal=0`` (the internal BMS stays silent: only an external pack answers),
``drop_every=N`` (every N-th request goes unanswered: a noisy bus).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date
from typing import Any

from ..protocols.base import DecodeError
from ..protocols.xiaomi import M365, NINEBOT
from ..protocols.xiaomi import framing as fr
from ..protocols.xiaomi.decode import TEMPERATURE_OFFSET
from ..protocols.xiaomi.registers import BMS_ROWS, encode_image, window
from . import chemistry as chem
from . import options as opt
from .board import BoardSimulator, Faults
from .pack import CELL_DEFAULTS, Pack

#: the stock M365 pack (§3.4: design capacity 7800 mAh on M365; 10S Li-ion, 36 V)
DEFAULTS = {"cells": 10, "chemistry": "li-ion", "capacity": 7.8}
#: the stock charger (guide: "Time a full charge with the OEM 1.7 A brick")
CHARGER_A = 1.7
#: the stock BMS bleeds about 30 mA (guide); it balances at the top of charge
BALANCE_A = 0.03
#: what the BMS reports of a pack fresh from the factory
_IDENTITY = {
    "serial": "PACKBENCH00001",
    "firmware": "1.1.5",
    "made": "2019-06-12",
    "cycles": 87,
    "charges": 143,
}
# status register 0x30 (§3.4, ES2BMS wiki)
_CONFIG_VALID, _ACTIVATED, _CHARGE_PROTECTION, _CHARGING_ENABLED, _WRITE_LOCK = 0, 1, 2, 3, 4
_DISCHARGING, _CHARGING, _CHARGER, _UNDERVOLTAGE, _OVERVOLTAGE, _OVERHEAT = 5, 6, 7, 8, 9, 10
_DEEP_UNDERVOLTAGE = 14
#: how far below its 0 % curve a pack left empty in storage reads (``deep=1``)
DEEP_SAG_V = 0.2


class ScooterPack:
    """One pack with its BMS: the pack model and what the BMS keeps about it."""

    def __init__(
        self,
        cells: int,
        chemistry: str,
        capacity_ah: float,
        rng: random.Random,
        *,
        health: float = 100.0,
        identity: Mapping[str, Any] | None = None,
    ) -> None:
        self.pack = Pack(cells, chemistry, capacity_ah * health / 100.0, rng)
        self.design_ah = capacity_ah
        self.health = health
        self.identity = dict(_IDENTITY, **(identity or {}))
        self.sag_v = 0.0
        self.fixed_temps: tuple[float, float] | None = None
        self.charger = False
        self.locked = False  # the BMS refuses to charge (deep discharge, a failed NTC)
        limits = CELL_DEFAULTS[self.pack.chemistry]
        #: the BMS's floor: below it, it reports under-voltage (guide: "3.0–3.3 V per cell")
        self.floor_v = round(limits["soc_empty_v"] - 0.1, 3)
        self.limits = dict(
            cell_ovp_v=limits["cell_ovp_v"],
            cell_uvp_v=self.floor_v,
            charge_switch=True,
            discharge_switch=True,
            balance_switch=True,
            balance_start_v=limits["balance_start_v"] + 0.2,
            balance_trigger_delta_v=0.010,
            balance_max_current_a=BALANCE_A,
        )
        self.pack.constant_current_a = 0.0  # on the bench: idle

    # --- the workshop's cases ------------------------------------------------------------------
    def set_soc(self, pct: float) -> None:
        for cell in self.pack.cells:
            cell.soc = min(1.0, max(0.0, pct / 100.0 + self.pack.rng.uniform(-0.005, 0.005)))

    def weaken(self, cell: int) -> None:
        """A weak parallel group: 60 % of the others' capacity, and far less charge."""
        weak = self.pack.cells[cell - 1]
        weak.capacity_ah *= 0.6
        weak.soc = max(0.0, weak.soc - 0.35)

    def deep_discharge(self) -> None:
        self.set_soc(0.0)
        self.sag_v = DEEP_SAG_V

    def failed_ntc(self) -> bool:
        return self.fixed_temps is not None and any(
            t <= -TEMPERATURE_OFFSET or t >= 100 for t in self.fixed_temps
        )

    # --- time -------------------------------------------------------------------------------------
    def step(self, dt: float, current_a: float | None) -> None:
        volts = self.cell_voltages()
        self.locked = min(volts) <= self.floor_v or self.failed_ntc()
        self.limits["charge_switch"] = not self.locked
        self.limits["discharge_switch"] = min(volts) > self.floor_v
        if current_a is None:
            current_a = CHARGER_A if self.charger else 0.0
        self.pack.constant_current_a = current_a
        self.pack.step(dt, self.limits)

    def cell_voltages(self) -> list[float]:
        return [round(v - self.sag_v, 3) for v in self.pack.cell_voltages()]

    # --- the register image -------------------------------------------------------------------------
    def temperatures(self) -> tuple[float, float]:
        if self.fixed_temps is not None:
            return self.fixed_temps
        t = self.pack.temps
        return t[0], t[1]

    def status_bits(self, volts: list[float]) -> int:
        current = self.pack.current_a
        bits = {_CONFIG_VALID, _ACTIVATED, _WRITE_LOCK}
        if not self.locked:
            bits.add(_CHARGING_ENABLED)
        else:
            bits.add(_CHARGE_PROTECTION)
        if current < -0.05:
            bits.add(_DISCHARGING)
        if current > 0.05:
            bits.add(_CHARGING)
        if self.charger:
            bits.add(_CHARGER)
        if min(volts) <= self.floor_v:
            bits.add(_UNDERVOLTAGE)
        if min(volts) <= self.floor_v - DEEP_SAG_V:
            bits.add(_DEEP_UNDERVOLTAGE)
        if max(volts) >= self.limits["cell_ovp_v"]:
            bits.add(_OVERVOLTAGE)
        if max(self.temperatures()) >= 60:
            bits.add(_OVERHEAT)
        return sum(1 << b for b in bits)

    def values(self) -> dict[str, Any]:
        """Every register the BMS keeps, on the rows' names (registers.py)."""
        volts = self.cell_voltages()
        cells = self.pack.cells
        soc = sum(c.soc for c in cells) / len(cells)
        full = round(self.design_ah * self.health / 100.0, 3)
        t1, t2 = self.temperatures()
        balance = 0
        if self.pack.balancing:
            balance = 1 << volts.index(max(volts))
        ident = self.identity
        values: dict[str, Any] = {
            "xiaomi_magic": 0x5A5A,
            "serial_number": ident["serial"],
            "software_version": ident["firmware"],
            "capacity_nominal_ah": self.design_ah,
            "capacity_full_ah": full,
            "xiaomi_nominal_voltage_v": round(3.6 * len(cells), 2),
            "cycles": ident["cycles"],
            "xiaomi_charge_count": ident["charges"],
            "manufacture_date": ident["made"],
            # BotoX's peaks (§3.4, UNCERTAIN on stock firmware): what a ridden pack shows
            "xiaomi_peak_voltage_v": round(4.19 * len(cells), 2),
            "xiaomi_peak_discharge_current_a": 19.8,
            "xiaomi_peak_charge_current_a": CHARGER_A,
            "xiaomi_status_bits": self.status_bits(volts),
            "capacity_remaining_ah": round(soc * full, 3),
            "soc_pct": round(soc * 100),
            # the wire counts discharge positive (§3.4 CONFLICT, the majority's reading)
            "xiaomi_current_raw_a": round(-self.pack.current_a, 2),
            "pack_voltage_v": round(sum(volts), 2),
            "xiaomi_temperature_bytes": (round(t1) + TEMPERATURE_OFFSET, round(t2) + TEMPERATURE_OFFSET),
            "xiaomi_balance_bits": balance,
            "soh_pct": round(self.health),
            "xiaomi_config_straps": 1,
        }
        for i, v in enumerate(volts):
            values[f"cell_{i + 1}_mv"] = max(0, round(v * 1000))
        return values

    def image(self) -> bytearray:
        return encode_image(BMS_ROWS, self.values())


class XiaomiSimulator(BoardSimulator):
    """The BMS (and an external pack's, for ninebot) on the scooter's data wire."""

    def __init__(
        self,
        protocol: str = M365,
        cells: int = 10,
        chemistry: str = "li-ion",
        capacity_ah: float = 7.8,
        seed: int | None = None,
        faults: Faults | None = None,
        *,
        health: float = 100.0,
        echo: bool = True,
        external: bool = False,
        identity: Mapping[str, Any] | None = None,
        drop_every: int = 0,
    ) -> None:
        if not 10 <= cells <= 15:
            raise ValueError(f"a scooter pack's BMS reports 10 to 15 cells (§3.4), not {cells}")
        if external and protocol != NINEBOT:
            raise ValueError(
                "external=1: an external pack answers at 0x23 in Ninebot frames; "
                "simulate it with the ninebot protocol"
            )
        chemistry = chem.normalise(chemistry)
        rng = random.Random(seed)
        self.main = ScooterPack(cells, chemistry, capacity_ah, rng, health=health, identity=identity)
        super().__init__(self.main.pack, faults or Faults(junk=False))
        self.fmt = fr.M365 if protocol == M365 else fr.NINEBOT
        self.protocol = protocol
        self.echo = echo
        self.external = (
            ScooterPack(
                cells,
                chemistry,
                capacity_ah,
                random.Random(rng.random()),
                identity={"serial": "PACKBENCH00002"},
            )
            if external
            else None
        )
        self.drop_every = drop_every
        #: the internal BMS answers (``internal=0``: only an external pack does)
        self.internal = True
        self._reader = fr.XiaomiFrameReader((self.fmt,))
        #: every request frame this BMS answered or refused (for tests and ``simulate``)
        self.received: list[bytes] = []
        self._requests = 0
        #: a steady current set from outside (``current=``): None leaves it to the pack
        self.current_override: float | None = None

    # --- the wire -------------------------------------------------------------------------------
    def step(self, dt: float) -> list[bytes]:
        for scooter_pack in self.packs():
            scooter_pack.step(dt, self.current_override)
        return []  # a BMS on the scooter bus speaks only when asked

    def packs(self) -> list[ScooterPack]:
        return [self.main] + ([self.external] if self.external is not None else [])

    def receive(self, data: bytes) -> list[bytes]:
        out = [bytes(data)] if self.echo and data else []  # TX and RX tied (§3.1)
        if self.faults.silent:
            return out
        for frame in self._reader.feed(data):
            reply = self._answer(frame.data)
            if reply:
                out += self._cut(reply)
        return out

    def _answer(self, frame: bytes) -> bytes | None:
        try:
            pkt = fr.parse(frame, self.fmt)
        except DecodeError:
            return None
        target = self._pack_for(pkt)
        if target is None:
            return None  # the ESC, the dashboard, another BMS: not on this bench
        self.received.append(frame)
        self._requests += 1
        if self.drop_every and self._requests % self.drop_every == 0:
            return None  # a noisy bus: this request never arrived
        address = pkt.dst if self.fmt is fr.NINEBOT else fr.TO_BMS
        host = pkt.src if pkt.src is not None else fr.NB_HOSTS[0]
        if pkt.cmd == fr.READ and len(pkt.data) == 1:
            data = window(target.image(), pkt.index, pkt.data[0])
            return fr.bms_reply(self.fmt, pkt.index, data, bms=address or fr.NB_BMS_INTERNAL, host=host)
        if pkt.cmd in (fr.WRITE, fr.WRITE_ACK):
            self._say(f"refused a write to word {pkt.index:#04x}: the register write lock is set")
            if pkt.cmd == fr.WRITE:
                return None  # 0x03 writes get no reply (§3.2)
            if self.fmt is fr.M365:
                return fr.m365_frame(fr.FROM_BMS, fr.WRITE_ACK, pkt.index, b"\x00")
            return fr.ninebot_frame(
                address or fr.NB_BMS_INTERNAL, host, fr.NINEBOT_WRITE_REPLY, pkt.index, b"\x00"
            )
        return None

    def _pack_for(self, pkt: fr.Packet) -> ScooterPack | None:
        if self.fmt is fr.M365:
            return self.main if pkt.addr == fr.TO_BMS else None
        if pkt.dst == fr.NB_BMS_INTERNAL and pkt.src in fr.NB_HOSTS:
            return self.main if self.internal else None
        if pkt.dst == fr.NB_BMS_EXTERNAL and pkt.src in fr.NB_HOSTS:
            return self.external
        return None


# --- the simulator package's factory (app/simulator/__init__.py finds it) ---------------------
#: the protocols this module simulates
SIMULATES = (M365, NINEBOT)


def _temps(options: Mapping[str, Any]) -> tuple[float, float]:
    parts = [p.strip() for p in str(options["temps"]).split(",")]
    if len(parts) != 2:
        raise ValueError(f"temps={options['temps']!r}: give the two sensors' °C, e.g. temps=25,24")
    # one byte each, °C + 20 (§3.4): -20 to 235 °C
    return tuple(
        opt.whole({"temps": p}, "temps", -TEMPERATURE_OFFSET, 255 - TEMPERATURE_OFFSET) for p in parts
    )  # type: ignore[return-value]


def _identity(options: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "serial" in options:
        out["serial"] = opt.ascii_text(options, "serial", 14)
    if "firmware" in options:
        text = str(options["firmware"]).strip()
        parts = text.split(".")
        if not (3 <= len(parts) <= 4 and all(p.isdigit() and int(p) < 16 for p in parts)):
            raise ValueError(f"firmware={text!r}: three or four numbers 0-15, e.g. firmware=1.1.5")
        out["firmware"] = text
    if "made" in options:
        try:
            made = date.fromisoformat(str(options["made"]).strip())
        except ValueError:
            made = None
        if made is None or not 2000 <= made.year <= 2127:
            raise ValueError(f"made={options['made']!r}: a date from 2000 on, e.g. made=2019-06-12")
        out["made"] = made.isoformat()
    for key, name in (("cycles", "cycles"), ("charges", "charges")):
        if key in options:
            out[name] = opt.whole(options, key, 0, 0xFFFF)
    return out


def create(protocol: str, options: Mapping[str, Any], common: dict[str, Any]) -> XiaomiSimulator:
    """A scooter pack's BMS: ``common`` as ``options.common`` reads it (10 Li-ion cells of
    7.8 Ah unless told; it is polled, so no interval; no password: the stock BMS has
    none), plus the family's own options (the module's docstring)."""
    kwargs = dict(common)
    kwargs["faults"] = Faults(**dict({"junk": False}, **kwargs.pop("faults")))
    kwargs.pop("stream_interval_s", None)
    if kwargs.pop("password", None):
        raise ValueError("password=: a Xiaomi or Ninebot BMS has no password (it is read-only)")
    for key, value in DEFAULTS.items():
        kwargs.setdefault("capacity_ah" if key == "capacity" else key, value)
    address = str(options.get("address", "")).strip()
    external = opt.switch(options, "external") or address.lower() in ("0x23", "35")
    sim = XiaomiSimulator(
        protocol,
        health=opt.number(options, "health", 1, 100) if "health" in options else 100.0,
        echo=opt.switch(options, "echo", True),
        external=external,
        identity=_identity(options),
        drop_every=opt.whole(options, "drop_every", 0, 1000) if "drop_every" in options else 0,
        **kwargs,
    )
    pack = sim.main
    if "soc" in options:
        pack.set_soc(opt.number(options, "soc", 0, 100))
    if "weak_cell" in options:
        pack.weaken(opt.whole(options, "weak_cell", 1, len(pack.pack.cells)))
    if opt.switch(options, "deep"):
        pack.deep_discharge()
    if "temps" in options:
        pack.fixed_temps = _temps(options)
    pack.charger = opt.switch(options, "charger")
    sim.internal = opt.switch(options, "internal", True)
    if not sim.internal and sim.external is None:
        raise ValueError("internal=0: with the internal BMS silent, fit an external one (external=1)")
    if "current" in options:
        sim.current_override = opt.current(options)
    sim.step(1e-6)  # the BMS's first look at its cells
    return sim


__all__ = ["DEFAULTS", "ScooterPack", "XiaomiSimulator", "create"]
