"""A virtual ANT board of the legacy protocol (``AA 55 AA FF``), for tests and demo.

Behaves like the sources say (../shared/protocols/ant_xiaomi.md §1):
- polled: ``DB DB 00 00 00 00`` (Bluetooth, and serial in dbus-serialbattery),
  ``5A 5A 00 00 01 01`` (esphome's UART request) and ``5A 5A 00 00 00 00`` (the PDF's)
  answer the 140-byte status frame;
- ``5A 5A addr 00 00`` reads one parameter: the answer is a 6-byte frame of the same
  form carrying the value (§1.2; 32-bit values take two addresses, low word first);
- ``A5 A5 addr hi lo`` writes are answered with nothing; they take effect only with the
  apply command ``A5 A5 FF 00 00 FF`` that follows every write (§1.4), so a client
  that forgets it changes nothing;
- control addresses 0xF7–0xFE (power off, current zero, MOSFETs, automatic balancing,
  factory defaults, reboot) and the board's own presets 0xF0 (LTO) / 0xFB (LiFePO4);
- with ``?password=`` (8 characters) the board takes writes only after the password
  came as four writes to 0xF1–0xF4 (§1.4; how a real board guards its writes is not
  documented: this is the simulator's assumption, and a wrong password locks it again);
- the current on the wire is positive while discharging (§1.3), the cell limits and
  switches drive the shared pack model (pack.py);
- replies come cut in 20-byte pieces, as the BLE module sends them (§1.1).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from ..model import Snapshot
from ..protocols.ant import framing as fr
from ..protocols.ant import legacy as leg
from ..protocols.ant import schema
from ..protocols.ant.family import PRESET_VALUES
from . import chemistry as chem
from . import options as opt
from .board import BoardSimulator, Faults
from .narration import say_changes
from .pack import Pack, board_defaults

#: the board's own one-click presets (0xFB LiFePO4, 0xF0 LTO): modelled values, deliberately
#: not Packbench's (presets.md "board preset": nobody knows a board's in advance)
BOARD_PRESETS: dict[int, dict[str, float]] = {
    0xFB: dict(
        ant_cell_ov_alarm_v=3.60,
        ant_cell_uv_alarm_v=2.80,
        cell_ovp_v=3.70,
        cell_uvp_v=2.60,
        cell_ovp_recovery_v=3.50,
        cell_uvp_recovery_v=2.90,
        ant_balance_limit_v=3.60,
        balance_start_v=3.40,
        balance_trigger_delta_v=0.010,
    ),
    0xF0: dict(
        ant_cell_ov_alarm_v=2.75,
        ant_cell_uv_alarm_v=1.85,
        cell_ovp_v=2.80,
        cell_uvp_v=1.70,
        cell_ovp_recovery_v=2.65,
        cell_uvp_recovery_v=1.90,
        ant_balance_limit_v=2.70,
        balance_start_v=2.40,
        balance_trigger_delta_v=0.010,
    ),
}
#: MOS states (§1.3 enums)
ON, OFF, OV_PROTECTION, MANUALLY_OFF = 1, 0, 2, 15
BALANCER_AUTO = 4


def factory_settings(cells: int, chemistry: str, capacity_ah: float) -> dict[str, Any]:
    """What a fresh legacy board holds for this pack, on canonical keys."""
    d = board_defaults(cells, chemistry, capacity_ah)
    own = PRESET_VALUES[chemistry]
    values = {
        k: d[k]
        for k in (
            "cell_ovp_v",
            "cell_ovp_recovery_v",
            "cell_uvp_v",
            "cell_uvp_recovery_v",
            "balance_start_v",
            "balance_trigger_delta_v",
            "charge_ocp_a",
            "discharge_ocp_a",
            "short_circuit_delay_us",
            "charge_otp_c",
            "charge_otp_recovery_c",
            "discharge_otp_c",
            "discharge_otp_recovery_c",
            "mos_otp_c",
            "mos_otp_recovery_c",
            "charge_utp_c",
            "charge_utp_recovery_c",
            "capacity_nominal_ah",
            "cell_count",
        )
    }
    values.update(
        ant_cell_ov_alarm_v=own["ant_cell_ov_alarm_v"],
        ant_cell_uv_alarm_v=own["ant_cell_uv_alarm_v"],
        pack_ovp_v=round(d["cell_ovp_v"] * cells, 1),
        pack_uvp_v=round(d["cell_uvp_v"] * cells, 1),
        charge_ocp_delay_s=10,
        discharge_ocp_delay_s=5,
        ant_balance_limit_v=d["cell_ovp_recovery_v"],
        balance_max_current_a=min(2.8, d["balance_max_current_a"]),
        ant_reference_voltage_v=3.0,
        ant_current_sensor_range_a=500.0,
        ant_power_start_current_a=2,
        ant_short_circuit_a=600,
        ant_standby_time_s=3600,
        ant_voltage_calibration=3330,
        discharge_utp_c=-20,
        discharge_utp_recovery_c=-10,
        ant_tyre_length_mm=2100,
        ant_pulses_per_revolution=1,
        ant_capacity_remaining_ah=0.0,
        ant_cycle_capacity_ah=0.0,
    )
    return values


class AntLegacySimulator(BoardSimulator):
    """An ANT board of the legacy protocol with a pack behind it."""

    def __init__(
        self,
        cells: int = 16,
        chemistry: str = "lifepo4",
        capacity_ah: float = 100.0,
        seed: int | None = None,
        faults: Faults | None = None,
        password: str | None = None,
    ) -> None:
        if not 4 <= cells <= 32:
            raise ValueError(f"the ANT simulator simulates 4 to 32 cells, not {cells}")
        if password is not None and len(password) != leg.PASSWORD_LENGTH:
            raise ValueError(f"password={password!r}: an ANT legacy password is 8 characters")
        chemistry = chem.normalise(chemistry)
        super().__init__(
            Pack(cells, chemistry, capacity_ah, random.Random(seed)), faults or Faults(junk=False)
        )
        self.params = self._words(factory_settings(cells, chemistry, capacity_ah))
        self.factory = dict(self.params)
        self.password = password
        self.unlocked = password is None
        self._typed: dict[int, int] = {}
        self.pending: dict[int, int] = {}
        self.charge_on = self.discharge_on = True
        #: the board reads current + this (A) until zeroed (``current_offset=``)
        self.current_offset_a = 0.0
        self.switched_off = False
        self._reader = fr.reader_legacy()
        self.received: list[bytes] = []  # every frame from the host, for tests
        self.applied: list[tuple[int, int]] = []  # (address, value) taken by an apply
        self.presets_loaded: list[int] = []

    # --- settings as the board keeps them: one u16 per address ------------------------------
    @staticmethod
    def _words(values: Mapping[str, Any]) -> dict[int, int]:
        words: dict[int, int] = {}
        for key, value in values.items():
            spec = schema.SPECS_LEGACY[key]
            raw = schema.raw_of(spec, value) if spec.writable else _raw_any(spec, value)
            for i in range(spec.width // 2):
                words[spec.register + i] = raw >> (16 * i) & 0xFFFF
        return words

    @property
    def settings(self) -> dict[str, Any]:
        """Every parameter the board holds now, on canonical keys (for tests)."""
        values = schema.decode_words_legacy(self._live_words())
        values.update(charge_switch=self.charge_on, discharge_switch=self.discharge_on)
        return values

    def _live_words(self) -> dict[int, int]:
        """The parameters, with the counters the pack keeps (remaining and cycle capacity)."""
        words = dict(self.params)
        snap = self.pack.snapshot(self.cell_voltages(), self._limits())
        counters = {
            "ant_capacity_remaining_ah": snap.capacity_remaining_ah or 0.0,
            "ant_cycle_capacity_ah": snap.cycle_capacity_ah or 0.0,
        }
        words.update(self._words(counters))
        return words

    def _limits(self) -> dict[str, Any]:
        s = schema.decode_words_legacy(self.params)
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

    # --- the wire -------------------------------------------------------------------------------
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
                continue  # a status frame from the host: not for a board
            self.received.append(frame.data)
            reply = self._request(frame.data)
            if reply:
                out += self._cut(reply)
        if self.drop_link:
            self._say("link dropped")
        return out

    def _request(self, frame: bytes) -> bytes | None:
        header, address, value = frame[:2], frame[2], int.from_bytes(frame[3:5], "big")
        if header == fr.READ_BT or (header == fr.READ and address == 0):
            return self.status_frame()
        if header == fr.READ:
            word = self._live_words().get(address, 0)
            return fr.short_frame(fr.READ, address, word)
        self._write(address, value)
        return None  # the legacy board acknowledges nothing (§4.7)

    def _write(self, address: int, value: int) -> None:
        if address in leg.PASSWORD_ADDRESSES:
            self._password_word(address, value)
            return
        if self.faults.drop_writes or not self.unlocked:
            return  # refused: nothing stored, nothing said
        if address != leg.APPLY_ADDRESS:
            self.pending[address] = value
            return
        pending, self.pending = self.pending, {}
        before = self.settings
        for addr, word in pending.items():
            if addr in leg.CONTROL_ADDRESSES:
                self._control(addr, word)
        self._store({a: w for a, w in pending.items() if a in self.params})
        say_changes(self.narrate, before, self.settings, self.narrate_prefix)

    def _store(self, words: dict[int, int]) -> None:
        """Parameter words taken by one apply: a 32-bit value's two words together."""
        trial = {**self.params, **words}
        rows = {found[0].key: found[0] for a in words if (found := schema.row_at_legacy(a))}
        for spec in rows.values():
            if not spec.writable:
                continue
            raw = sum(trial[spec.register + i] << (16 * i) for i in range(spec.width // 2))
            value = schema.value_of(spec, raw)
            try:
                spec.check(value)
            except ValueError:
                continue  # an absurd value: ignored, as the boards do
            if self.faults.ack_without_store:
                continue
            self.params.update(self._words({spec.key: self._clamped(spec.key, value)}))
            self.applied.append((spec.register, raw))
            if self._link_drops(len(self.applied)):
                return

    def _password_word(self, address: int, value: int) -> None:
        self._typed[address] = value
        if len(self._typed) < len(leg.PASSWORD_ADDRESSES) or self.password is None:
            return
        typed = b"".join(self._typed[a].to_bytes(2, "big") for a in leg.PASSWORD_ADDRESSES)
        self._typed = {}
        self.unlocked = typed == self.password.encode("ascii")
        self._say("password accepted" if self.unlocked else "wrong password")

    def _control(self, address: int, value: int) -> None:
        if address == 0xFA:
            self.charge_on = bool(value)
        elif address == 0xF9:
            self.discharge_on = bool(value)
        elif address in BOARD_PRESETS:
            cells = schema.decode_words_legacy(self.params)["cell_count"]
            preset = dict(BOARD_PRESETS[address])
            preset.update(
                pack_ovp_v=round(preset["cell_ovp_v"] * cells, 1),
                pack_uvp_v=round(preset["cell_uvp_v"] * cells, 1),
            )
            self.params.update(self._words(preset))
            self.presets_loaded.append(address)
            self._say("LiFePO4 preset loaded" if address == 0xFB else "LTO preset loaded")
        elif address == 0xF8:
            self._zero_current()
        elif address == 0xFD:
            self.params = dict(self.factory)
            self._say("factory defaults")
        elif address == 0xFE:
            self._say("restarting")
        elif address == 0xF7:
            self.switched_off = True
            self._say("switched off")

    def _zero_current(self) -> None:
        """What the board reads as 0 A from now on: the current flowing now (§1.4 0xF8)."""
        reading = self.pack.current_a * self.pack.current_gain + self.current_offset_a
        self.current_offset_a -= reading
        self._say("current zeroed")

    # --- the status frame ----------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        volts = self.cell_voltages()
        snap = self.pack.snapshot(volts, self._limits())
        snap.current_a = round((snap.current_a or 0.0) + self.current_offset_a, 3)
        snap.power_w = round(snap.pack_voltage_v * snap.current_a, 3)
        snap.alarms = self.pack.limit_alarms(volts, self._limits())
        return snap

    def status_frame(self) -> bytes:
        capacity = schema.decode_words_legacy(self.params)["capacity_nominal_ah"]
        return status_frame(
            self.snapshot(), charge_on=self.charge_on, discharge_on=self.discharge_on, capacity_ah=capacity
        )


def status_frame(snap: Snapshot, *, charge_on: bool, discharge_on: bool, capacity_ah: float) -> bytes:
    """The 140-byte status frame (legacy.status_values' names) for what a board measures;
    the 2021 simulator answers the legacy request with it too."""
    volts = snap.cell_voltages_v
    hi, lo = max(volts), min(volts)
    charge = MANUALLY_OFF if not charge_on else OV_PROTECTION if "cell_overvoltage" in snap.alarms else ON
    discharge = (
        MANUALLY_OFF if not discharge_on else OV_PROTECTION if "cell_undervoltage" in snap.alarms else ON
    )
    temps = [int(round(t)) for t in snap.temperatures_c or []]
    return leg.status_frame(
        {
            "pack_voltage_v": snap.pack_voltage_v,
            "wire_current_a": -(snap.current_a or 0.0),
            "soc_pct": snap.soc_pct,
            "capacity_full_ah": capacity_ah,
            "capacity_remaining_ah": snap.capacity_remaining_ah,
            "cycle_capacity_ah": snap.cycle_capacity_ah,
            "runtime_s": snap.runtime_s,
            "charge_mos_state": charge,
            "discharge_mos_state": discharge,
            "balancer_state": BALANCER_AUTO if snap.balancing_active else 0,
            "tyre_length_mm": 2100,
            "pulses_per_revolution": 1,
            "relay": 0,
            "wire_power_w": -(snap.power_w or 0.0),
            "cell_max_index": volts.index(hi) + 1,
            "cell_max_v": hi,
            "cell_min_index": volts.index(lo) + 1,
            "cell_min_v": lo,
            "cell_avg_v": round(sum(volts) / len(volts), 3),
            "cell_count": len(volts),
            "dsg_mos_vds_v": 0.0,
            "dsg_mos_drive_v": 12.0,
            "chg_mos_drive_v": 12.0,
            "current_zero_raw": 0,
            "system_log": 0,
            "balancing_bits": (1 << volts.index(hi)) if snap.balancing_active else 0,
            "cell_mv": [int(round(v * 1000)) for v in volts],
            "temperatures": temps + [leg.ABSENT_C] * (6 - len(temps)),
        }
    )


def _raw_any(spec: Any, value: Any) -> int:
    """The raw word(s) of a read-only row (calibration, counters): no range check."""
    return int(round(float(value) * spec.scale)) & ((1 << (8 * spec.width)) - 1)


# --- the simulator package's factory (app/simulator/__init__.py finds it) ---------------------
#: the protocols this module simulates
SIMULATES = (leg.ANT_LEGACY,)


def create(protocol: str, options: Mapping[str, Any], common: dict[str, Any]) -> AntLegacySimulator:
    """An ANT legacy board: ``common`` as ``options.common`` reads it (16 cells unless told;
    polled, so no stream interval; no AT text unless ``junk=1``), an 8-character
    ``password``, and ``current``, ``current_offset`` (A the board reads while none
    flows, until zeroed), ``voltage_error_pct``, ``current_error_pct``."""
    kwargs = dict(common)
    fault_fields = dict(kwargs.pop("faults"))
    fault_fields.setdefault("junk", False)
    kwargs["faults"] = Faults(**fault_fields)
    kwargs.pop("stream_interval_s", None)
    if "password" in options and not str(options["password"]).strip():
        kwargs.pop("password")
    return configure(AntLegacySimulator(**kwargs), options)


def configure(sim: Any, options: Mapping[str, Any]) -> Any:
    """The options both ANT simulators take beside ``common``."""
    if "current" in options:
        sim.constant_current_a = opt.current(options)
    if "current_offset" in options:
        sim.current_offset_a = opt.number(options, "current_offset", -50, 50)
    if "voltage_error_pct" in options:
        sim.voltage_gain = opt.gain(options, "voltage_error_pct")
    if "current_error_pct" in options:
        sim.current_gain = opt.gain(options, "current_error_pct")
    return sim


__all__ = [
    "AntLegacySimulator",
    "BOARD_PRESETS",
    "SIMULATES",
    "configure",
    "create",
    "factory_settings",
    "status_frame",
]
