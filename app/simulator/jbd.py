"""A virtual JBD / LLT / Xiaoxiang board (jbd_daly.md §1–3), for tests and demo.

Behaves like the real boards where the sources say how:
- polled, never streaming: 0x03 basic info, 0x04 cells, 0x05 model, 0xAA
  error counters;
- the EEPROM (0x10–0x47, strings 0xA0–0xA2) is readable and writable only in
  factory mode (``0x00 = 0x5678``); outside it reads answer 0x80 and writes
  0x81; ``0x01 = 0x2828`` saves (and clears the error counters), ``0x01 = 0``
  discards;
- with a password set (``?password=123456``) factory mode is refused with the
  unchecksummed ``DD 00 81 00 00 00 77`` until 0x06 carries the right digits;
  a wrong password answers 0x83;
- 0xE1 switches the FETs off by software and sets protection bit 12;
- 0xFA (the newer parameter mode) is ignored, like on the captured SP04S034,
  unless ``?param_mode=1`` makes it a V11 board that answers it;
- replies come cut in 20-byte pieces (BLE notifications) unless ``chunk=``.

The pack behind it is the shared pack model (pack.py): the EEPROM's cell limits,
balancing settings and the MOSFET register drive it.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from ..model import Snapshot
from ..protocols.jbd import JBD, schema
from ..protocols.jbd import decode as dec
from ..protocols.jbd import encode as enc
from ..protocols.jbd import framing as fr
from . import chemistry as chem
from . import options as opt
from .board import BoardSimulator, Faults
from .narration import say_changes
from .pack import Pack, board_defaults

#: what a board keeps in the registers the presets do not touch
_BOARD_DEFAULTS: dict[str, Any] = {
    "jbd_cycle_capacity_ah": None,  # = capacity, filled in below
    "jbd_self_discharge_pct": 0.5,
    "jbd_manufacture_date": "2026-11-20",
    "jbd_serial_number": 4711,
    "jbd_cycle_count": 12,
    "jbd_shunt_resistance_ohm": 0.0005,
    "jbd_function_bits": 0x0006,
    "jbd_ntc_bits": 0x0003,
    "jbd_fet_control_time_s": 10,
    "jbd_led_timer_s": 10,
    "jbd_hw_protection_raw": 0x8D5C,
    "jbd_hw_delays_raw": 0xF064,  # the real SP04S034's (§3.2)
    "jbd_cell_uvp_delay_s": 2,
    "jbd_cell_ovp_delay_s": 2,
    "jbd_pack_uvp_delay_s": 2,
    "jbd_pack_ovp_delay_s": 2,
    "jbd_charge_utp_delay_s": 2,
    "jbd_charge_otp_delay_s": 2,
    "jbd_discharge_utp_delay_s": 2,
    "jbd_discharge_otp_delay_s": 2,
    "charge_ocp_delay_s": 10,
    "charge_ocp_recovery_s": 30,
    "discharge_ocp_delay_s": 10,
    "discharge_ocp_recovery_s": 30,
    "jbd_gps_cutoff_v": 0.0,
    "jbd_gps_time_s": 0,
}

#: the factory password-clear code (§3.5, verified on a V1.3 capture)
CLEAR_CODE = b"J1B2D4"


#: the keys a JBD board shares with the pack model's defaults
_SHARED_DEFAULTS = (
    "capacity_nominal_ah",
    "soc_full_v",
    "soc_empty_v",
    "cell_ovp_v",
    "cell_ovp_recovery_v",
    "cell_uvp_v",
    "cell_uvp_recovery_v",
    "charge_ocp_a",
    "discharge_ocp_a",
    "balance_start_v",
    "balance_trigger_delta_v",
    "balance_switch",
    "charge_otp_c",
    "charge_otp_recovery_c",
    "discharge_otp_c",
    "discharge_otp_recovery_c",
)


def _factory_eeprom(cells: int, chemistry: str, capacity_ah: float) -> dict[str, Any]:
    """The EEPROM a fresh board holds for this pack, on canonical keys."""
    defaults = board_defaults(cells, chemistry, capacity_ah)
    values = {k: defaults[k] for k in _SHARED_DEFAULTS}
    ovp, ovpr = defaults["cell_ovp_v"], defaults["cell_ovp_recovery_v"]
    uvp, uvpr = defaults["cell_uvp_v"], defaults["cell_uvp_recovery_v"]
    values.update(
        {k: v for k, v in _BOARD_DEFAULTS.items() if v is not None},
        cell_count=cells,
        jbd_cycle_capacity_ah=capacity_ah,
        pack_ovp_v=round(ovp * cells, 2),
        pack_ovp_recovery_v=round(ovpr * cells, 2),
        pack_uvp_v=round(uvp * cells, 2),
        pack_uvp_recovery_v=round(uvpr * cells, 2),
        jbd_cell_ovp2_v=round(ovp + 0.1, 3),
        jbd_cell_uvp2_v=round(uvp - 0.2, 3),
        charge_utp_c=0.0,
        charge_utp_recovery_c=5.0,
        discharge_utp_c=-20.0,
        discharge_utp_recovery_c=-10.0,
        short_circuit_recovery_s=100,
    )
    for pct, v in (
        (80, 3.35),
        (60, 3.30),
        (40, 3.27),
        (20, 3.22),
        (90, 3.37),
        (70, 3.32),
        (50, 3.29),
        (30, 3.25),
        (10, 3.15),
    ):
        values[f"jbd_soc_{pct}_v"] = v
    return values


class JbdSimulator(BoardSimulator):
    """A JBD board with a pack behind it."""

    MODEL = "JBD-SP04S034-L4S-200A-B-U"

    def __init__(
        self,
        cells: int = 13,
        chemistry: str = "lifepo4",
        capacity_ah: float = 100.0,
        seed: int | None = None,
        faults: Faults | None = None,
        password: str | None = None,
        module_password: str | None = None,
        param_mode: bool = False,
    ) -> None:
        if not 3 <= cells <= 32:
            raise ValueError(f"the JBD simulator simulates 3 to 32 cells, not {cells}")
        chemistry = chem.normalise(chemistry)
        super().__init__(
            Pack(cells, chemistry, capacity_ah, random.Random(seed)), faults or Faults(junk=False)
        )
        values = _factory_eeprom(cells, chemistry, capacity_ah)
        self.eeprom: dict[int, int] = {}
        for key, field in schema.FIELDS.items():  # in the schema's order: raw words before their bits
            if key in values:
                self.eeprom[field.register] = field.encode(values[key], self.eeprom.get(field.register, 0))
        #: the balancer's current limit (no JBD register holds one)
        self._balance_max_a = board_defaults(cells, chemistry, capacity_ah)["balance_max_current_a"]
        self.texts = {0xA0: "Packbench", 0xA1: self.MODEL, 0xA2: "SIM0001"}
        self.shadow: dict[int, int] = dict(self.eeprom)
        self.shadow_texts = dict(self.texts)
        self.password = password or None
        self.factory = False
        self.password_ok = False
        self.mos_bits = 0  # 0xE1: bit0 charge off, bit1 discharge off
        self.error_counts = [0, 0, 0, 3, 1, 0, 0, 0, 0, 0, 0, 2]
        self._reader = fr.JbdFrameReader()
        self.received: list[bytes] = []  # every request frame, for tests
        self.writes: list[tuple[int, int]] = []  # (register, raw) accepted in factory mode
        self.saves = 0
        #: a newer Bluetooth module that ignores DD frames until logged in (§1.3)
        self.module_password = module_password or None
        self.mac = "C8:47:8C:00:00:01"  # the fake BLE backend sets the board's address
        self.module_unlocked = module_password is None
        #: a V11 board that also answers the 0xFA parameter mode (§3.3)
        self.param_mode = param_mode
        self._module_user_ok = False
        self._challenge = 0
        self.limits: dict[str, Any] = {}
        self._apply()

    @property
    def settings(self) -> dict[str, Any]:
        """The stored (saved) settings, canonical keys (for tests)."""
        out: dict[str, Any] = {}
        for reg, raw in self.eeprom.items():
            out.update(schema.decode_register(reg, raw))
        return out

    def _stored(self) -> dict[str, Any]:
        """Everything the EEPROM holds, the strings too (for the narration)."""
        return {**self.settings, **{row.key: self.texts.get(row.register, "") for row in schema.TEXT_ROWS}}

    def _unsaved(self) -> int:
        """Registers written in factory mode that differ from the EEPROM."""
        return sum(self.shadow.get(r) != v for r, v in self.eeprom.items()) + sum(
            self.shadow_texts.get(r) != v for r, v in self.texts.items()
        )

    def _apply(self) -> None:
        """The saved EEPROM and the MOSFET register drive the pack: limits, balancing, switches."""
        s = self.settings
        self.limits = dict(
            cell_ovp_v=s["cell_ovp_v"],
            cell_uvp_v=s["cell_uvp_v"],
            balance_start_v=s["balance_start_v"],
            balance_trigger_delta_v=s["balance_trigger_delta_v"],
            balance_switch=s["balance_switch"],
            balance_max_current_a=self._balance_max_a,
            charge_switch=not self.mos_bits & 1,
            discharge_switch=not self.mos_bits & 2,
        )

    # --- the wire ------------------------------------------------------------------
    def step(self, dt: float) -> list[bytes]:
        self.pack.step(dt, self.limits)  # this board answers, it never streams
        return []

    def receive(self, data: bytes) -> list[bytes]:
        if self.faults.silent:
            return []
        out: list[bytes] = []
        for frame in self._reader.feed(data):
            if frame.frame_type == fr.MODULE and self.module_password is not None:
                out += self._send(self._module(frame.data))
            elif not self.module_unlocked:
                continue  # the module passes nothing to the board before the login
            elif frame.frame_type == fr.REQUEST:
                self.received.append(frame.data)
                reply = self._request(frame.data)
                if reply:
                    out += self._send(reply)
        if self.drop_link:
            self._say("link dropped")
        return out

    def _module(self, frame: bytes) -> bytes:
        from ..protocols.jbd import ROOT_PASSWORD, encrypt, mac_bytes

        cmd, data = frame[2], frame[4 : 4 + frame[3]]
        if cmd == 0x17:
            self._challenge = self.rng.randrange(256)
            return fr.module_frame(0x17, bytes([self._challenge]))
        mac = mac_bytes(self.mac)
        if cmd == 0x18:
            self._module_user_ok = data == encrypt(self.module_password.encode(), mac, self._challenge)
            return fr.module_frame(0x18, b"\x00" if self._module_user_ok else b"\x01")
        if cmd == 0x1D:
            ok = self._module_user_ok and data == encrypt(ROOT_PASSWORD, mac, self._challenge)
            self.module_unlocked = self.module_unlocked or ok
            return fr.module_frame(0x1D, b"\x00" if ok else b"\x01")
        return fr.module_frame(cmd, b"\x00")

    def _send(self, frame: bytes) -> list[bytes]:
        return self._cut(frame)

    def _request(self, frame: bytes) -> bytes | None:
        write, reg, n = frame[1] == fr.WRITE, frame[2], frame[3]
        data = frame[4 : 4 + n]
        if not write:
            return self._read(reg, data)
        raw = int.from_bytes(data, "big") if n == 2 else None
        reply = self._password_request(reg, data) or self._mode_request(reg, raw)
        if reply is not None:
            return reply
        if not self.factory:
            return enc.refusal(reg, fr.STATUS_INVALID)  # V11: "not in factory mode"
        return self._factory_write(reg, data, raw)

    def _password_request(self, reg: int, data: bytes) -> bytes | None:
        """0x06 use, 0x07 set and 0x09 clear the board password (§3.5); None: not one of them."""
        if reg == dec.REG_USE_PASSWORD:
            if self.password is None or data[1 : 1 + data[0]] == bytes(int(c) for c in self.password):
                self.password_ok = True
                return enc.ack(reg)
            return enc.refusal(reg, fr.STATUS_PASSWORD)
        if reg == dec.REG_SET_PASSWORD and len(data) == 13:
            old, new = data[1:7], data[7:13]
            if self.password is not None and old != bytes(int(c) for c in self.password):
                return enc.refusal(reg, fr.STATUS_PASSWORD)
            self.password = "".join(str(b) for b in new)
            self._say("password set")
            return enc.ack(reg)
        if reg == dec.REG_CLEAR_PASSWORD:
            if data[1 : 1 + data[0]] == CLEAR_CODE:
                self.password = None
                self._say("password cleared")
                return enc.ack(reg)
            return enc.refusal(reg)
        return None

    def _mode_request(self, reg: int, raw: int | None) -> bytes | None:
        """Entering and leaving factory mode, and the MOSFET register; None: neither."""
        if reg == dec.REG_FACTORY:
            if raw != dec.ENTER_FACTORY:
                return enc.refusal(reg)
            if self.password is not None and not self.password_ok:
                return enc.bare_refusal(reg)  # as captured: no valid checksum (§1.1)
            if self.factory and self._unsaved():
                self._say(f"discarded {self._unsaved()} unsaved register(s)")
            if not self.factory:
                self._say("factory mode on")
            self.factory = True
            self.shadow, self.shadow_texts = dict(self.eeprom), dict(self.texts)
            return enc.ack(reg)
        if reg == dec.REG_EXIT:
            if self.factory:
                self._leave_factory(save=raw == dec.EXIT_SAVE)
            self.factory = False
            self.password_ok = False
            return enc.ack(reg)
        if reg == schema.REG_MOS and raw is not None:
            before = self._switches()
            self.mos_bits = raw & 3  # works outside factory mode, as the vendor app uses it
            self._apply()
            say_changes(self.narrate, before, self._switches())
            self.reply_delay_s = self.faults.write_delay_s
            return enc.ack(reg)
        return None

    def _factory_write(self, reg: int, data: bytes, raw: int | None) -> bytes:
        """What only factory mode takes: capacity, calibration, the EEPROM (into the shadow)."""
        if reg == 0xE0 and raw is not None:  # remaining capacity, 10 mAh (§3.4)
            for cell in self.pack.cells:
                cell.soc = min(1.0, raw / 100 / cell.capacity_ah)
            self._say(f"capacity_remaining_ah = {raw / 100:g}")
            return enc.ack(reg)
        if reg in (0xAE, 0xAF) and raw:  # current calibration, 10 mA (§3.2)
            measured = raw / 100 * (1 if reg == 0xAE else -1)
            if not self.pack.calibrate("current", measured):
                return enc.refusal(reg)
            self._say(f"current calibrated to {measured:g} A")
            return enc.ack(reg)
        if reg in self.shadow_texts and data:
            self.shadow_texts[reg] = data[1 : 1 + data[0]].decode("ascii", "replace")
            return enc.ack(reg)
        if reg in self.shadow and raw is not None:
            for field in schema.fields_of(reg):
                try:
                    schema.SPECS[field.key].check(field.decode(raw))
                except ValueError:
                    return enc.refusal(reg)  # an absurd value: refused, nothing stored
            self.shadow[reg] = raw
            self.writes.append((reg, raw))
            self._link_drops(len(self.writes))  # the link dies here, the board stays in factory mode
            self.reply_delay_s = self.faults.write_delay_s
            return enc.ack(reg)
        return enc.refusal(reg)

    def _leave_factory(self, save: bool) -> None:
        """0x2828 stores what was written in factory mode, anything else drops it (§3.1)."""
        changed = self._unsaved()
        if save:
            before = self._stored()
            self.eeprom, self.texts = dict(self.shadow), dict(self.shadow_texts)
            self.error_counts = [0] * len(self.error_counts)  # 0x2828 clears them (§2.4)
            self.saves += 1
            self._apply()
            self._say(f"saved {changed} register(s)")
            say_changes(self.narrate, before, self._stored())
        elif changed:
            self._say(f"discarded {changed} unsaved register(s)")
        self._say("factory mode off")

    def _switches(self) -> dict[str, bool]:
        return {"charge_switch": not self.mos_bits & 1, "discharge_switch": not self.mos_bits & 2}

    def _read(self, reg: int, data: bytes = b"") -> bytes | None:
        if reg == dec.REG_BASIC:
            return enc.encode_basic(
                self.snapshot(),
                design_ah=self.settings["capacity_nominal_ah"],
                manufacture_date=self.settings["jbd_manufacture_date"],
                mos_lock=bool(self.mos_bits),
            )
        if reg == dec.REG_CELLS:
            return enc.encode_cells(self.cell_voltages())
        if reg == dec.REG_HARDWARE:
            return enc.encode_hardware(self.texts[0xA1])
        if reg == dec.REG_ERRORS:
            return enc.encode_error_counts(self.error_counts)
        if reg == dec.REG_PARAMS:
            if not self.param_mode or not self.factory:
                return None  # older firmware ignores the parameter mode (§3.3)
            start, count = int.from_bytes(data[0:2], "big"), data[2]
            regs = [self.shadow.get(0x10 + p, 0) for p in range(start, start + count)]
            return fr.response(reg, data[:3] + b"".join(r.to_bytes(2, "big") for r in regs))
        if not self.factory:
            return enc.refusal(reg)
        if reg in self.shadow_texts:
            return enc.encode_text(reg, self.shadow_texts[reg])
        if reg in self.shadow:
            return enc.encode_register(reg, self.shadow[reg])
        return enc.refusal(reg)

    def snapshot(self) -> Snapshot:
        volts = self.cell_voltages()
        snap = self.pack.snapshot(volts, self.limits)
        snap.alarms = self.pack.limit_alarms(volts, self.limits)
        if self.pack.balancing:
            snap.balancing_cells = [volts.index(max(volts)) + 1]
        snap.cycles = self.settings["jbd_cycle_count"]
        return snap


# --- the simulator package's factory (app/simulator/__init__.py finds it) ---------------------
#: the protocols this module simulates
SIMULATES = (JBD,)


def create(protocol: str, options: Mapping[str, Any], common: dict[str, Any]) -> JbdSimulator:
    """A JBD board: ``common`` as ``options.common`` reads it (13 cells unless told, no
    stream interval: it is polled; no AT text unless ``junk=1``), plus JBD's own options:
    a six-digit ``password`` (§3.1), ``module_password`` (the Bluetooth module's login,
    §1.3), ``param_mode``, ``current``, ``current_error_pct``."""
    kwargs = dict(common)
    fault_fields = dict(kwargs.pop("faults"))
    fault_fields.setdefault("junk", False)  # JBD modules send no AT text
    kwargs["faults"] = Faults(**fault_fields)
    kwargs.setdefault("cells", 13)
    kwargs.pop("stream_interval_s", None)
    if "password" in options and not str(options["password"]).strip():
        kwargs.pop("password")
    elif "password" in options and not (len(kwargs["password"]) == 6 and kwargs["password"].isdigit()):
        raise ValueError(f"password={options['password']!r}: a JBD board password is six digits")
    if "module_password" in options:
        opt.ascii_text(options, "module_password", 16)
    sim = JbdSimulator(
        module_password=options.get("module_password"), param_mode=opt.switch(options, "param_mode"), **kwargs
    )
    if "current" in options:
        sim.constant_current_a = opt.current(options)
    if "current_error_pct" in options:
        sim.board.current_gain = opt.gain(options, "current_error_pct")
    return sim
