"""A virtual ANT board of the 2021 protocol (``7E A1 … AA 55``), for tests and demo.

Behaves like the sources say (../shared/protocols/ant_xiaomi.md §2):
- polled: 0x01 answers the 0x11 status (permission, state, bitmasks, cells,
  temperatures, MOS bytes o+12 discharge / o+13 charge, balancer, capacities …),
  0x02 at 0x026C the device information, 0x02 elsewhere any bytes of the settings
  memory (0x12 replies carry the 6-byte record before ``AA 55``), 0x04 / 0x05 the
  identity and system-information replies;
- 0x22 writes a setting into the working memory and echoes it with 0x42; the value
  takes effect at once but survives a restart only after the save command 0x51 /
  0x0007 (§2.7: the app saves after its writes), so ``saves`` and ``flash`` tell what
  was really stored;
- 0x51 control codes (§2.8) answered with 0x61 ``01 00``: MOSFETs, manual balancing,
  buzzer, current zero, restart, shutdown, factory reset, clearing counters;
- password levels (§2.9): with ``?password=`` (the user password, level 1, at 0x014A)
  the board grants nothing until 0x23 brings it; parameter writes want level
  ``param_level`` (5 unless told), which the longer key (``?key=``, esphome's
  "123456789abc" unless told) unlocks at 0x016A; ``fault=require_password`` locks it
  with the factory ones.  A wrong password is answered 0x43 with 0, a write or a
  command without the level with nothing.  Without a password the status shows
  permission 5 and everything is taken, as in every capture;
- it answers the legacy status requests too (§1: 2021 boards still do);
- the current on the wire is positive while discharging (§2.4 "Current sign");
- replies come cut in 20-byte notifications (§2.3).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from ..model import Snapshot
from ..protocols.ant import alarms as al
from ..protocols.ant import decode as dec
from ..protocols.ant import encode as enc
from ..protocols.ant import framing as fr
from ..protocols.ant import schema
from ..protocols.ant.family import PRESET_VALUES
from . import chemistry as chem
from .ant_legacy import configure
from .ant_legacy import status_frame as legacy_status_frame
from .board import BoardSimulator, Faults
from .narration import say_changes, setting_line
from .pack import Pack, board_defaults

#: esphome's hard-coded level-5 key (§2.9) and the vendor app's default user password
DEFAULT_KEY = "123456789abc"
DEFAULT_PASSWORD = "12345678"
MEMORY_SIZE = 0x200
#: the battery-type word of the status (o+60, esphome comment)
BATTERY_TYPE = {"li-ion": 0xFAF1, "lifepo4": 0xFAF2, "lto": 0xFAF3}
CHARGING, DISCHARGING, IDLE = 2, 4, 1  # system state (uni-app mapping, §2.4)


def factory_settings(cells: int, chemistry: str, capacity_ah: float) -> dict[str, Any]:
    """What a fresh 2021 board holds for this pack, on canonical keys: the pack model's
    board defaults, the family's level-2 and warning values, and the rest as the 16ZMUB
    capture has them (§2.7) where it says."""
    d = board_defaults(cells, chemistry, capacity_ah)
    own = PRESET_VALUES[chemistry]
    keep = (
        "cell_ovp_v",
        "cell_ovp_recovery_v",
        "cell_uvp_v",
        "cell_uvp_recovery_v",
        "soc_full_v",
        "soc_empty_v",
        "power_off_v",
        "balance_start_v",
        "balance_trigger_delta_v",
        "balance_max_current_a",
        "charge_ocp_a",
        "charge_ocp_delay_s",
        "discharge_ocp_a",
        "discharge_ocp_delay_s",
        "short_circuit_delay_us",
        "capacity_nominal_ah",
        "cell_count",
    )
    v: dict[str, Any] = {k: d[k] for k in keep}
    v.update(own)
    v.update(
        pack_ovp_v=round(d["cell_ovp_v"] * cells, 1),
        pack_ovp_recovery_v=round(d["cell_ovp_recovery_v"] * cells, 1),
        pack_uvp_v=round(d["cell_uvp_v"] * cells, 1),
        pack_uvp_recovery_v=round(d["cell_uvp_recovery_v"] * cells, 1),
        ant_cell_delta_protection_v=0.8,
        ant_cell_delta_recovery_v=0.6,  # the capture's
        ant_cell_delta_alarm_v=0.6,
        ant_cell_delta_alarm_recovery_v=0.4,
        ant_pack_ov_alarm_v=round(own["ant_cell_ov_alarm_v"] * cells, 1),
        ant_pack_ov_alarm_recovery_v=round(own["ant_cell_ov_alarm_recovery_v"] * cells, 1),
        ant_pack_uv_alarm_v=round(own["ant_cell_uv_alarm_v"] * cells, 1),
        ant_pack_uv_alarm_recovery_v=round(own["ant_cell_uv_alarm_recovery_v"] * cells, 1),
        ant_discharge_ocp2_a=2 * d["discharge_ocp_a"],
        ant_discharge_ocp2_delay_ms=100,
        ant_short_circuit_a=600,
        ant_charge_oc_alarm_a=0.9 * d["charge_ocp_a"],
        ant_charge_oc_alarm_recovery_a=0.8 * d["charge_ocp_a"],
        ant_discharge_oc_alarm_a=0.9 * d["discharge_ocp_a"],
        ant_discharge_oc_alarm_recovery_a=0.8 * d["discharge_ocp_a"],
        ant_soc_low1_alarm_pct=20,
        ant_soc_low2_alarm_pct=10,
        ant_balance_limit_v=d["cell_ovp_recovery_v"],
        ant_balance_stop_delta_v=0.003,
        ant_balance_charge_current_a=1.0,
        ant_cell_type=0,
        ant_uv_resistance_compensation_ohm=0.0,
        ant_charge_request_a=d["charge_ocp_a"] / 2,
        ant_soc_method=0,
        ant_tyre_length_mm=2100,
        ant_pulses_per_revolution=1,
        ant_secondary_module=0,
    )
    return v


class Ant2021Simulator(BoardSimulator):
    """An ANT board of the 2021 protocol with a pack behind it."""

    def __init__(
        self,
        cells: int = 16,
        chemistry: str = "lifepo4",
        capacity_ah: float = 100.0,
        seed: int | None = None,
        faults: Faults | None = None,
        password: str | None = None,
        key: str = DEFAULT_KEY,
        param_level: int = 5,
    ) -> None:
        if not 4 <= cells <= 32:
            raise ValueError(f"the ANT simulator simulates 4 to 32 cells, not {cells}")
        chemistry = chem.normalise(chemistry)
        super().__init__(
            Pack(cells, chemistry, capacity_ah, random.Random(seed)), faults or Faults(junk=False)
        )
        if self.faults.require_password and password is None:
            password = DEFAULT_PASSWORD
        self.memory = bytearray(MEMORY_SIZE)
        self.memory[0x1C:0x20] = b"\xff" * 4  # the capture's unknown words (§2.7)
        for key_, value in factory_settings(cells, chemistry, capacity_ah).items():
            self._put(key_, value)
        self.factory = bytes(self.memory)
        self.flash = bytes(self.memory)
        self.passwords = {1: password, 5: key} if password is not None else {}
        self.param_level = param_level
        self.permission = 0 if self.passwords else 5
        self.charge_on = self.discharge_on = True
        self.manual_balance = False
        self.buzzer = True
        self.current_offset_a = 0.0
        self.switched_off = False
        self.info = (f"{cells}ZMSIM", f"{cells}ZMUB00-SIM0001")
        self._reader = fr.reader_both()
        self.received: list[bytes] = []  # every frame from the host, for tests
        self.writes: list[tuple[int, bytes]] = []  # (address, value bytes) taken
        self.saves = 0
        self.commands: list[int] = []  # control codes carried out

    # --- the settings memory ---------------------------------------------------------------------
    def _put(self, key: str, value: Any) -> None:
        spec = schema.SPECS_2021[key]
        raw = int(round(float(value) * spec.scale)) & ((1 << (8 * spec.width)) - 1)
        self.memory[spec.register : spec.register + spec.width] = raw.to_bytes(spec.width, "little")

    @property
    def settings(self) -> dict[str, Any]:
        """Every setting in the working memory, canonical keys, switches too (for tests)."""
        values = schema.decode_block_2021(0, bytes(self.memory))
        values.update(
            charge_switch=self.charge_on,
            discharge_switch=self.discharge_on,
            balance_switch=self.manual_balance,
        )
        return values

    @property
    def saved(self) -> dict[str, Any]:
        """What the flash holds: what a restart comes back with (for tests)."""
        return schema.decode_block_2021(0, self.flash)

    def _limits(self) -> dict[str, Any]:
        s = schema.decode_block_2021(0, bytes(self.memory))
        return dict(
            cell_ovp_v=s["cell_ovp_v"],
            cell_uvp_v=s["cell_uvp_v"],
            balance_start_v=s["balance_start_v"],
            balance_trigger_delta_v=s["balance_trigger_delta_v"],
            balance_max_current_a=s["balance_max_current_a"],
            balance_switch=True,
            charge_switch=self.charge_on,
            discharge_switch=self.discharge_on,
        )

    def _counters(self) -> None:
        """The capacities the board keeps counting, as the memory holds them (0xA6, 0xAA)."""
        snap = self.pack.snapshot(self.cell_voltages(), self._limits())
        self._put("ant_capacity_remaining_ah", min(4294.0, snap.capacity_remaining_ah or 0.0))
        self._put("ant_cycle_capacity_ah", min(4294.0, snap.cycle_capacity_ah or 0.0))

    # --- the wire ----------------------------------------------------------------------------------
    def step(self, dt: float) -> list[bytes]:
        if not self.switched_off:
            self.pack.step(dt, self._limits())
        return []  # polled: it answers, it never streams

    def receive(self, data: bytes) -> list[bytes]:
        if self.faults.silent or self.switched_off:
            return []
        out: list[bytes] = []
        for frame in self._reader.feed(data):
            if frame.frame_type != fr.COMMAND:
                continue  # a board's frame: not for a board
            self.received.append(frame.data)
            if frame.data[:2] != fr.HEADER_2021:
                reply = self._legacy_request(frame.data)
            else:
                reply = self._request(frame.data)
            if reply:
                out += self._cut(reply)
        if self.drop_link:
            self._say("link dropped")
        return out

    def _request(self, frame: bytes) -> bytes | None:
        func, address, n = frame[2], int.from_bytes(frame[3:5], "little"), frame[5]
        if func == dec.STATUS:
            return enc.status_reply(self.status_values(self.snapshot()))
        if func == dec.READ and address == dec.DEVICE_INFO_ADDRESS:
            return enc.device_info_reply(*self.info)
        if func == dec.READ:
            self._counters()
            return enc.reply(dec.READ + 0x10, address, bytes(self.memory[address : address + n]))
        if func == dec.IDENTITY:
            return enc.reply(dec.IDENTITY + 0x10, 0, bytes(range(1, 13)))
        if func == dec.SYSTEM_INFO:
            return enc.reply(dec.SYSTEM_INFO + 0x10, 0, bytes(dec.SYSTEM_INFO_LENGTH))
        if func == dec.AUTH:
            return self._auth(address, bytes(frame[6 : 6 + n]))
        if func == dec.WRITE:
            return self._write(address, bytes(frame[6 : 6 + n]), frame)
        if func == dec.CONTROL:
            return self._control(address, frame)
        return None  # 0x03, 0x53: meaning unknown (§2.2), no answer

    def _auth(self, address: int, text: bytes) -> bytes:
        level = next((lvl for lvl, slot in dec.PASSWORD_SLOTS.items() if slot == address), None)
        wanted = self.passwords.get(1 if level == 1 else 5) if self.passwords else None
        ok = level is not None and (not self.passwords or text == (wanted or "").encode("ascii"))
        if ok and level is not None:
            self.permission = max(self.permission, level)
            self._say(f"password level {level} accepted")
        else:
            self._say("wrong password")
        return enc.reply(dec.AUTH + 0x20, address, (level if ok and level else 0).to_bytes(2, "little"))

    def _write(self, address: int, data: bytes, frame: bytes) -> bytes | None:
        if self.faults.drop_writes or self.permission < self.param_level:
            return None  # refused: nothing stored, nothing said
        raw = int.from_bytes(data, "little")
        spec = schema.row_at_2021(address, len(data))
        if spec is None:
            return None
        value = schema.value_of(spec, raw)
        if spec.key == "ant_capacity_remaining_ah":  # the remaining-capacity command
            for cell in self.pack.cells:
                cell.soc = min(1.0, max(0.0, value / cell.capacity_ah))
            self._say(f"capacity_remaining_ah = {value:g}")
            return enc.ack(frame)
        try:
            spec.check(value)
        except ValueError:
            return None  # an absurd value: no echo, nothing stored
        if not spec.writable:
            return None
        if not self.faults.ack_without_store:
            self._put(spec.key, self._clamped(spec.key, value))
            self.writes.append((address, data))
            self._say(
                setting_line(
                    spec.key,
                    schema.decode_block_2021(
                        spec.register, bytes(self.memory[spec.register : spec.register + spec.width])
                    )[spec.key],
                )
            )
        if self._link_drops(len(self.writes)):
            return None  # the transport cuts the connection now, before the echo
        self.reply_delay_s = self.faults.write_delay_s
        return enc.ack(frame)  # 0x42 echoes the value (§2.7)

    def _control(self, code: int, frame: bytes) -> bytes | None:
        if code not in dec.CONTROL_CODES or self.faults.drop_writes:
            return None
        if self.permission < (self.param_level if code == dec.SAVE_CODE else 1):
            return None
        before = self.settings
        self.commands.append(code)
        if not self.faults.ack_without_store:
            self._carry_out(code)
        say_changes(self.narrate, before, self.settings, self.narrate_prefix)
        return enc.ack(frame, 3 if code == 0x0F else 1)  # "clear log" answered 03 00 (§2.2)

    def _carry_out(self, code: int) -> None:
        if code in (0x04, 0x06):
            self.charge_on = code == 0x06
        elif code in (0x01, 0x03):
            self.discharge_on = code == 0x03
        elif code in (0x0D, 0x0E):
            self.manual_balance = code == 0x0D
        elif code in (0x1E, 0x1F):
            self.buzzer = code == 0x1E
        elif code == dec.SAVE_CODE:
            self.flash = bytes(self.memory)
            self.saves += 1
            self._say("settings saved to flash")
        elif code == 0x08:
            reading = self.pack.current_a * self.pack.current_gain + self.current_offset_a
            self.current_offset_a -= reading
            self._say("current zeroed")
        elif code == 0x09:
            self._restart("restarting")
        elif code == 0x0C:
            self.flash = self.factory
            self._restart("factory reset")
        elif code == 0x0B:
            self.switched_off = True
            self._say("switched off")

    def _restart(self, words: str) -> None:
        """What the flash holds comes back; unsaved writes and granted levels are gone."""
        self.memory = bytearray(self.flash)
        self.permission = 0 if self.passwords else 5
        self.charge_on = self.discharge_on = True
        self.manual_balance = False
        self._say(words)

    def _legacy_request(self, frame: bytes) -> bytes | None:
        """The legacy status a 2021 board answers too (§1); its parameters and writes are
        the 2021 protocol's, so the legacy ones get no answer."""
        if frame[:2] == fr.READ_BT or (frame[:2] == fr.READ and frame[2] == 0):
            capacity = schema.decode_block_2021(0, bytes(self.memory))["capacity_nominal_ah"]
            return legacy_status_frame(
                self.snapshot(),
                charge_on=self.charge_on,
                discharge_on=self.discharge_on,
                capacity_ah=min(4294.0, capacity),
            )
        return None

    # --- the status ---------------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        volts = self.cell_voltages()
        limits = self._limits()
        snap = self.pack.snapshot(volts, limits)
        snap.current_a = round((snap.current_a or 0.0) + self.current_offset_a, 3)
        snap.power_w = round(snap.pack_voltage_v * snap.current_a, 3)
        snap.alarms = self.pack.limit_alarms(volts, limits)
        # the balancer's own sensor, a little cooler than the MOSFETs (the 0x11 reply carries it)
        snap.balancer_temperature_c = round((snap.mos_temperature_c or 25.0) - 2.0, 1)
        return snap

    def status_values(self, snap: Snapshot) -> dict[str, Any]:
        """The 0x11 reply's fields (decode.status_values' names) for what the board measures."""
        volts = snap.cell_voltages_v
        hi, lo = max(volts), min(volts)
        chg = 15 if not self.charge_on else 2 if "cell_overvoltage" in snap.alarms else 1
        dsg = 15 if not self.discharge_on else 2 if "cell_undervoltage" in snap.alarms else 1
        protection = ((1 << 1) if "cell_overvoltage" in snap.alarms else 0) | (
            (1 << 4) if "cell_undervoltage" in snap.alarms else 0
        )
        protection |= (0 if self.charge_on else 1 << 21) | (0 if self.discharge_on else 1 << 17)
        current = snap.current_a or 0.0
        warning = (
            (chg == 1) << al.WARNING_CHARGE_MOS_ON
            | (dsg == 1) << al.WARNING_DISCHARGE_MOS_ON
            | (current > 0.05) << 18
            | (current < -0.05) << 19
            | self.manual_balance << al.WARNING_BALANCING_ON
            | bool(snap.balancing_active) << 29
        )
        state = CHARGING if current > 0.05 else DISCHARGING if current < -0.05 else IDLE
        balancer = 5 if self.manual_balance else 4 if snap.balancing_active else 0
        settings = schema.decode_block_2021(0, bytes(self.memory))
        return {
            "permission": self.permission,
            "system_state": state,
            "protection_bits": protection,
            "warning_bits": warning,
            "cell_mv": [int(round(v * 1000)) for v in volts],
            "temperatures": [int(round(t)) for t in snap.temperatures_c or []],
            "mos_temperature_c": int(round(snap.mos_temperature_c or 25)),
            "balancer_temperature_c": int(round(snap.balancer_temperature_c or 23.0)),
            "pack_voltage_v": snap.pack_voltage_v,
            "wire_current_a": -current,
            "soc_pct": snap.soc_pct,
            "soh_pct": snap.soh_pct or 100,
            "mos_state_a": dsg,
            "mos_state_b": chg,
            "balancer_state": balancer,
            "byte_15": 0,
            "capacity_full_ah": min(4294.0, settings["capacity_nominal_ah"]),
            "capacity_remaining_ah": min(4294.0, snap.capacity_remaining_ah or 0.0),
            "cycle_capacity_ah": snap.cycle_capacity_ah,
            "wire_power_w": -(snap.power_w or 0.0),
            "runtime_s": snap.runtime_s,
            "balancing_bits": (1 << volts.index(hi)) if snap.balancing_active else 0,
            "cell_max_v": hi,
            "cell_max_index": volts.index(hi) + 1,
            "cell_min_v": lo,
            "cell_min_index": volts.index(lo) + 1,
            "cell_delta_v": round(hi - lo, 3),
            "cell_avg_v": round(sum(volts) / len(volts), 3),
            "dsg_mos_vds_raw": 0,
            "dsg_mos_drive_raw": 120,
            "chg_mos_drive_raw": 120,
            "f40com_raw": 0,
            "battery_type": BATTERY_TYPE[self.chemistry],
            "total_discharged_ah": 812.5,
            "total_charged_ah": 845.25,
            "total_discharge_time_s": 360_000,
            "total_charge_time_s": 300_000,
        }


# --- the simulator package's factory (app/simulator/__init__.py finds it) ---------------------
#: the protocols this module simulates
SIMULATES = (dec.ANT_2021,)


def create(protocol: str, options: Mapping[str, Any], common: dict[str, Any]) -> Ant2021Simulator:
    """An ANT 2021 board: ``common`` as ``options.common`` reads it (16 cells unless told;
    polled, so no stream interval; no AT text unless ``junk=1``), a ``password`` (the
    level-1 user password, 1 to 8 characters), ``key`` (the level-5 key, up to 16),
    ``param_level`` (the level parameter writes need, 1 to 5), and ``current``,
    ``current_offset``, ``voltage_error_pct``, ``current_error_pct``."""
    from . import options as opt

    kwargs = dict(common)
    fault_fields = dict(kwargs.pop("faults"))
    fault_fields.setdefault("junk", False)
    kwargs["faults"] = Faults(**fault_fields)
    kwargs.pop("stream_interval_s", None)
    password = kwargs.get("password")
    if "password" in options and not str(options["password"]).strip():
        kwargs.pop("password")
    elif password is not None and not 1 <= len(password) <= 8:
        raise ValueError(f"password={password!r}: an ANT user password has 1 to 8 characters")
    if "key" in options:
        kwargs["key"] = opt.ascii_text(options, "key", 16)
    if "param_level" in options:
        kwargs["param_level"] = opt.whole(options, "param_level", 1, 5)
    return configure(Ant2021Simulator(**kwargs), options)


__all__ = ["Ant2021Simulator", "DEFAULT_KEY", "DEFAULT_PASSWORD", "SIMULATES", "create", "factory_settings"]
