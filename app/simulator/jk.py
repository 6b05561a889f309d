"""A virtual JK board speaking JK02_24S or JK02_32S (jk.md §1).

Pure and clock-free: ``receive(bytes)`` takes what the host sends and
``step(dt)`` advances the pack by ``dt`` seconds; both return the byte chunks
the board sends back, already cut the way a BLE module cuts them and with the
module's junk (``AT\\r\\n``) sprinkled in.  Transports (in-process, TCP, a
bleak backend) own the clock and the wire.

What it does like a real board (jk.md §1.3–1.4): 0x97 answers the
device-info frame, 0x96 answers one settings frame and then starts the
cell-info stream (about twice a second); a write is acknowledged with the 20-byte
0xC8 frame and stored, or refused without an ack when it breaks the
OVP > SOC-100 % > OVPR order or the value is out of range.
"""

from __future__ import annotations

import math
import random
import struct
from dataclasses import dataclass, field
from typing import Any

from ..model import DeviceInfo, Secrets, Snapshot
from ..protocols.jk import framing as fr
from ..protocols.jk.encode import (encode_cell_info, encode_device_info, encode_jk04_cell_info,
                                   encode_logbook, encode_settings)
from ..protocols.jk.layout import JK02_24S, JK02_32S, JK04
from ..protocols.jk.schema import by_register
from ..timing import current as current_timing
from . import chemistry as chem
from .narration import Narrate, say, say_changes

# Board defaults per chemistry: Packbench's own presets (shared/presets.md)
_CELL_DEFAULTS = {
    "lifepo4": dict(cell_ovp_v=3.65, soc_full_v=3.60, cell_ovp_recovery_v=3.55, balance_start_v=3.40,
                    cell_uvp_recovery_v=2.80, soc_empty_v=2.70, cell_uvp_v=2.50, power_off_v=2.40,
                    charge_utp_c=0.0, charge_utp_recovery_c=5.0),
    "li-ion": dict(cell_ovp_v=4.20, soc_full_v=4.15, cell_ovp_recovery_v=4.10, balance_start_v=3.90,
                   cell_uvp_recovery_v=3.20, soc_empty_v=3.10, cell_uvp_v=2.80, power_off_v=2.70,
                   charge_utp_c=0.0, charge_utp_recovery_c=5.0),
    "lto": dict(cell_ovp_v=2.80, soc_full_v=2.75, cell_ovp_recovery_v=2.70, balance_start_v=2.50,
                cell_uvp_recovery_v=2.00, soc_empty_v=1.90, cell_uvp_v=1.80, power_off_v=1.70,
                charge_utp_c=-30.0, charge_utp_recovery_c=-25.0),
}


_EMERGENCY = 0x6B  # JK02_32S emergency switch (jk.md §5.2)

# calibration registers per variant (the protocol's CALIBRATION_REGISTERS)
_CALIBRATION = {JK02_32S: {0x64: "voltage", 0x67: "current"}, JK02_24S: {0x21: "voltage", 0x24: "current"}}

# What the board's own one-click presets (0x68/0x69/0x6A) set: modelled on the
# vendor manual's appendix (columns read the right way round, presets.md),
# deliberately not Packbench's presets.
_BOARD_PRESETS = {
    0x69: dict(cell_ovp_v=3.65, soc_full_v=3.62, cell_ovp_recovery_v=3.60, cell_uvp_recovery_v=2.65,
               soc_empty_v=2.60, cell_uvp_v=2.50, power_off_v=2.45, balance_start_v=3.30,
               balance_trigger_delta_v=0.010, charge_utp_c=-20.0, charge_utp_recovery_c=-10.0),
    0x68: dict(cell_ovp_v=4.20, soc_full_v=4.15, cell_ovp_recovery_v=4.10, cell_uvp_recovery_v=3.20,
               soc_empty_v=3.00, cell_uvp_v=2.80, power_off_v=2.75, balance_start_v=3.80,
               balance_trigger_delta_v=0.010, charge_utp_c=-20.0, charge_utp_recovery_c=-10.0),
    0x6A: dict(cell_ovp_v=2.80, soc_full_v=2.75, cell_ovp_recovery_v=2.70, cell_uvp_recovery_v=2.00,
               soc_empty_v=1.90, cell_uvp_v=1.80, power_off_v=1.75, balance_start_v=2.40,
               balance_trigger_delta_v=0.010, charge_utp_c=-30.0, charge_utp_recovery_c=-25.0),
}


def default_settings(variant: str, cells: int, chemistry: str, capacity_ah: float) -> dict[str, Any]:
    s: dict[str, Any] = dict(_CELL_DEFAULTS[chemistry])
    s.update(
        cell_count=cells, capacity_nominal_ah=capacity_ah,
        balance_trigger_delta_v=0.005 if capacity_ah >= 50 else 0.010,
        balance_max_current_a=min(2.0, round(capacity_ah * 0.1, 1)),
        charge_ocp_a=100.0, charge_ocp_delay_s=30, charge_ocp_recovery_s=60,
        discharge_ocp_a=150.0, discharge_ocp_delay_s=300, discharge_ocp_recovery_s=60,
        short_circuit_delay_us=1500, short_circuit_recovery_s=60,
        charge_otp_c=55.0, charge_otp_recovery_c=50.0, discharge_otp_c=65.0,
        discharge_otp_recovery_c=55.0, mos_otp_c=80.0, mos_otp_recovery_c=70.0,
        charge_switch=True, discharge_switch=True, balance_switch=True,
    )
    if variant == JK02_32S:
        s.update(jk_smart_sleep_v=s["cell_uvp_v"] + 0.5, jk_rcv_v=s["soc_full_v"] - 0.05,
                 jk_rfv_v=s["soc_full_v"] - 0.15, discharge_utp_c=-20, discharge_utp_recovery_c=-10,
                 jk_smart_sleep_h=24, jk_precharge_time_s=5, heating_switch=False,
                 jk_heating_start_c=0, jk_heating_stop_c=5, jk_device_address=1)
        # the settings a 32S board reports in its device-info frame (jk.md §3): the
        # values of the real v19.27 frame in frames/jk.json (aio_jk02_32s_v19_27_devinfo)
        s.update(jk_uart1_protocol=14, jk_can_protocol=0, jk_uart2_protocol=21, jk_uart3_protocol=15,
                 jk_lcd_buzzer_trigger=9, jk_dry1_trigger=8, jk_dry2_trigger=0, jk_rcv_time_h=0.5,
                 jk_rfv_time_h=5.0, jk_emergency_duration_min=30, jk_rebulk_soc_pct=1)
    else:  # 24S and JK04 firmware have no SOC voltages
        for key in ("soc_full_v", "soc_empty_v"):
            s.pop(key)
    if variant == JK04:
        s.update(jk_voltage_reference_v=3.03, balance_max_current_a=min(4.0, capacity_ah * 0.1))
    return s


@dataclass
class Faults:
    """Misbehaviour on demand, for tests: the things real boards do."""

    junk: bool = True  # sprinkle AT\r\n between chunks
    chunk_sizes: tuple[int, ...] = (20,)  # notification sizes to cut output into
    silent: bool = False  # stop answering and streaming (a board that went away)
    ack_without_store: bool = False
    drop_writes: bool = False  # refuse every write: no ack, nothing stored
    #: store at most this value for a key (a board that silently clamps)
    clamp: dict[str, float] = field(default_factory=dict)
    #: refuse writes while the setup password is not the factory one
    require_password: bool = False
    #: drop the link when this many writes have been accepted (0: never)
    drop_link_after_writes: int = 0
    #: seconds the board takes to answer a write (?write_delay=S): a slow board, so a
    #: test can interrupt a client while it waits for the answer
    write_delay_s: float = 0.0


@dataclass
class _Cell:
    capacity_ah: float
    soc: float
    resistance_ohm: float
    wire_ohm: float


class JkSimulator:
    """A JK board with a pack behind it."""

    def __init__(self, variant: str = JK02_32S, cells: int = 16, chemistry: str = "lifepo4",
                 capacity_ah: float = 100.0, seed: int | None = None,
                 stream_interval_s: float | None = None, faults: Faults | None = None,
                 password: str = "123456") -> None:
        if variant not in (JK02_24S, JK02_32S, JK04):
            raise ValueError(f"the JK simulator speaks jk02_24s, jk02_32s or jk04, not {variant!r}")
        max_cells = 32 if variant == JK02_32S else 24
        if not 4 <= cells <= max_cells:
            raise ValueError(f"{variant} simulates 4 to {max_cells} cells, not {cells}")
        self.variant = variant
        self.chemistry = chem.normalise(chemistry)
        self.rng = random.Random(seed)
        self.faults = faults or Faults()
        # default: app/timing.py (0.5 s, a real board's pace; shorter in the test suite)
        self.stream_interval_s = stream_interval_s or current_timing().stream_s
        self.settings = default_settings(variant, cells, self.chemistry, capacity_ah)
        self.cells = [
            _Cell(capacity_ah=capacity_ah * self.rng.uniform(0.97, 1.03),
                  soc=self.rng.uniform(0.52, 0.58),
                  resistance_ohm=self.rng.uniform(0.0004, 0.0009),
                  wire_ohm=self.rng.uniform(0.02, 0.08))
            for _ in range(cells)
        ]
        model, hw, sw = {JK02_32S: ("JK-PB2A16S20P", "19A", "19.27"),
                         JK02_24S: ("JK-B2A24S20P", "10.XG", "10.08"),
                         JK04: ("JK-B2A16S", "3.0", "3.3.0")}[variant]
        self.info = DeviceInfo(model=model, hardware_version=hw, software_version=sw,
                               serial_number="SIM" + "".join(self.rng.choice("0123456789") for _ in range(9)),
                               device_name="Packbench-SIM", manufacture_date="261122",
                               power_on_count=3, runtime_s=0)
        self.secrets = Secrets(connect_pin="1234", setup_password=password)
        self.time_s = 0.0
        self.runtime_s = 86400 * 12
        self.current_a = 0.0
        self.temps = [24.0 + self.rng.uniform(-1, 1), 24.5 + self.rng.uniform(-1, 1)]
        self.mos_temp = 27.0
        self.cycle_ah = 1234.5
        self.cycles = 12
        self.streaming = False
        self._since_stream = 0.0
        self._counter = 0
        self._reader = fr.JkFrameReader()
        self.balancing = False
        self.sent_frames = 0  # 300-byte response frames of any type
        self.sent_live_frames = 0  # cell-info frames
        self.writes: list[tuple[int, int]] = []  # (register, raw) accepted, for tests
        # the board's history (JK02_32S 0xA1): seconds since first power-up, event code
        self.logbook: list[tuple[int, int]] = [
            (0, 0x01), (238, 0x44), (int(self.runtime_s) - 86400 * 3, 0x1B),
            (int(self.runtime_s) - 86400 * 3 + 41, 0x1C), (int(self.runtime_s), 0x01)]
        # the board's measurement error before calibration (1.0: exact; URL options
        # voltage_error_pct / current_error_pct make a board that needs calibrating)
        self.voltage_gain = 1.0
        self.current_gain = 1.0
        self.constant_current_a: float | None = None
        #: set when a fault asks the transport to cut the link (transports reset it)
        self.drop_link = False
        #: emergency mode (32S 0x6B, jk.md §5.2): seconds left, counted down by step()
        self.emergency_remaining_s = 0.0
        #: told one line per change the board makes to itself (``packbench simulate``)
        self.narrate: Narrate | None = None
        self.narrate_prefix = "board"
        #: how long the reply just produced waits before it goes out (transports read
        #: and reset it): ``Faults.write_delay_s`` after a write
        self.reply_delay_s = 0.0

    def _say(self, text: str) -> None:
        say(self.narrate, text, self.narrate_prefix)

    # --- the wire --------------------------------------------------------------
    def receive(self, data: bytes) -> list[bytes]:
        if self.faults.silent:
            return []
        before = dict(self.settings) if self.narrate is not None else None
        out: list[bytes] = []
        for frame in self._reader.feed(data):
            if frame.frame_type == fr.COMMAND:
                out += self._command(frame.data)
        if before is not None:
            say_changes(self.narrate, before, self.settings, self.narrate_prefix)
        if self.drop_link:
            self._say("link dropped")
        return out

    def step(self, dt: float) -> list[bytes]:
        self._physics(dt)
        if not self.streaming or self.faults.silent:
            return []
        self._since_stream += dt
        if self._since_stream + 1e-9 < self.stream_interval_s:
            return []
        # keep the phase (a steady rate), but never burst after a long pause
        self._since_stream = min(self._since_stream - self.stream_interval_s, self.stream_interval_s)
        if self.variant == JK04:
            return self._send(encode_jk04_cell_info(self.snapshot(), self._next()))
        return self._send(encode_cell_info(self.snapshot(), self.variant, self._next()))

    def _next(self) -> int:
        self._counter = (self._counter + 1) & 0xFF
        return self._counter

    def _send(self, frame: bytes) -> list[bytes]:
        """Cut a frame the way the BLE module does, with junk in between."""
        if frame[:4] == fr.RESPONSE_HEADER:
            self.sent_frames += 1
            self.sent_live_frames += frame[4] == fr.TYPE_CELL_INFO
        sizes = self.faults.chunk_sizes
        chunks: list[bytes] = []
        pos = 0
        while pos < len(frame):
            n = self.rng.choice(sizes)
            chunks.append(frame[pos:pos + n])
            pos += n
        if self.faults.junk and self.rng.random() < 0.3:
            # the BLE module's own text arrives between frames (after an ack,
            # on connect), never inside one: jk.md §1.4, batmon feed_frames
            if self.rng.random() < 0.5:
                chunks.insert(0, b"AT\r\n")
            else:
                chunks.append(b"AT\r\n")
        return chunks

    def _command(self, data: bytes) -> list[bytes]:
        register, length = data[4], data[5]
        if register == fr.REG_READ_DEVICE_INFO:
            self.info.runtime_s = int(self.runtime_s)
            return self._send(encode_device_info(self.info, self.secrets, self._next(),
                                                 settings=self.settings, variant=self.variant))
        if register == fr.REG_READ_LOGBOOK and self.variant == JK02_32S:
            return self._send(encode_logbook(self.logbook, self._next()))
        if register == fr.REG_READ_SETTINGS:
            out = self._send(encode_settings(self.settings, self.variant, self._next()))
            self.streaming = True
            self._since_stream = 0.0
            return out
        if length == 0 and self.variant == JK02_32S and register in _BOARD_PRESETS:
            if self.faults.drop_writes or self._refuses_writes():
                return []
            # the board's own one-click preset: its values, not ours (presets.md)
            self.settings.update(_BOARD_PRESETS[register])
            if register == 0x69:
                self.logbook.append((int(self.runtime_s), 0x44))  # "Factory setting LFP"
            return self._send(fr.build_ack())
        cal = _CALIBRATION.get(self.variant, {}).get(register)
        if cal is not None and length == 4:
            if self.faults.drop_writes or self._refuses_writes():
                return []
            measured = int.from_bytes(data[6:10], "little", signed=True) / 1000
            if not self._calibrate(cal, measured):
                return []
            return self._send(fr.build_ack())
        if length == 0 and self.variant == JK02_32S and register in (0x65, 0x66, 0x9D):
            return self._board_action(register)
        if register == _EMERGENCY and self.variant == JK02_32S and length in (1, 2, 4):
            if self.faults.drop_writes or self._refuses_writes():
                return []
            on = int.from_bytes(data[6:6 + length], "little") != 0
            # it runs for the emergency duration (device-info byte 269, jk.md §3)
            minutes = self.settings.get("jk_emergency_duration_min", 30)
            self.emergency_remaining_s = float(minutes * 60) if on else 0.0
            self._say(f"emergency mode on for {minutes * 60} s" if on else "emergency mode off")
            return self._send(fr.build_ack())
        spec = by_register(self.variant).get(register)
        if spec is None or length == 0:
            return []  # unknown command: a real board stays silent
        raw = int.from_bytes(data[6:6 + length], "little", signed=spec.signed)
        if spec.encoding == "f32" and length == 4:  # JK04 floats
            value = spec.from_raw(struct.unpack("<f", data[6:10])[0])
        else:
            value = spec.from_raw(raw)
        if self.faults.drop_writes or self._refuses_writes() or not self._acceptable(spec.key, value):
            return []
        if spec.key in self.faults.clamp and value > self.faults.clamp[spec.key]:
            value = self.faults.clamp[spec.key]
        if not self.faults.ack_without_store:
            self.settings[spec.key] = value
            self.writes.append((register, raw))
        limit = self.faults.drop_link_after_writes
        if limit and len(self.writes) >= limit:
            self.faults.drop_link_after_writes = 0
            self.drop_link = True  # the transport cuts the connection now, before any ack
            return []
        self.reply_delay_s = self.faults.write_delay_s
        return self._send(fr.build_ack())

    def _board_action(self, register: int) -> list[bytes]:
        if self.faults.drop_writes or self._refuses_writes():
            return []
        ack = self._send(fr.build_ack())
        if register == 0x66:  # restart: the stream stops until the host asks again
            self.logbook.append((int(self.runtime_s), 0x01))
            self.streaming = False
            self._say("restarting")
        elif register == 0x9D:  # factory reset: the firmware's defaults, whatever the pack
            self.settings = default_settings(self.variant, len(self.cells), self.chemistry,
                                             self.settings.get("capacity_nominal_ah", 100.0))
            self.secrets = Secrets(connect_pin="1234", setup_password="123456")
            self.logbook.append((int(self.runtime_s), 0x01))
            self.streaming = False
            self._say("factory reset")
        elif register == 0x65:  # shutdown: the board goes quiet
            self.faults.silent = True
            self._say("switched off")
        return ack

    def _calibrate(self, kind: str, measured: float) -> bool:
        """Scale the board's reading so that it shows what the meter measured."""
        if kind == "voltage":
            true = sum(self.cell_voltages())
            if not 0.8 * true < measured < 1.2 * true:
                return False  # the real board ignores absurd values too
            self.voltage_gain = measured / true
            self._say(f"voltage calibrated to {measured:g} V")
            return True
        if abs(self.current_a) < 0.5 or measured == 0 or (measured > 0) != (self.current_a > 0):
            return False
        ratio = measured / self.current_a
        if not 0.7 < ratio < 1.3:
            return False
        self.current_gain = ratio
        self._say(f"current calibrated to {measured:g} A")
        return True

    def true_pack_voltage(self) -> float:
        """What a meter on the pack terminals would read (for tests)."""
        return sum(self.cell_voltages())

    def _refuses_writes(self) -> bool:
        # newer JK-PB firmware may enforce a changed setup password (jk.md §6.3,
        # esphome-jk-bms #682): writes from anything but the vendor app are ignored
        return self.faults.require_password and self.secrets.setup_password != "123456"

    def _acceptable(self, key: str, value: Any) -> bool:
        spec = {s.key: s for s in by_register(self.variant).values()}[key]
        if spec.kind == "number" and (
                (spec.minimum is not None and value < spec.minimum)
                or (spec.maximum is not None and value > spec.maximum)):
            return False
        trial = dict(self.settings, **{key: value})
        # JK refuses a write that breaks OVPR < SOC-100 % < OVP (presets.md rule 2)
        ovp, ovpr = trial.get("cell_ovp_v"), trial.get("cell_ovp_recovery_v")
        full = trial.get("soc_full_v")
        if ovp is not None and ovpr is not None and not ovpr < ovp:
            return False
        if full is not None and ovp is not None and ovpr is not None and not ovpr < full < ovp:
            return False
        return True

    # --- the pack ------------------------------------------------------------------
    def _profile_current(self) -> float:
        """A plausible bench profile: slow charge/discharge swings with ripple.

        ``constant_current_a`` replaces it with a steady load or charger, as
        a calibration on the bench needs.
        """
        if self.constant_current_a is not None:
            return self.constant_current_a + self.rng.gauss(0, 0.01)
        t = self.time_s
        base = 18.0 * math.sin(2 * math.pi * t / 240.0) + 4.0 * math.sin(2 * math.pi * t / 37.0)
        return base + self.rng.gauss(0, 0.3)

    def _physics(self, dt: float) -> None:
        if dt <= 0:
            return
        self.time_s += dt
        self.runtime_s += dt
        self.emergency_remaining_s = max(0.0, self.emergency_remaining_s - dt)
        s = self.settings
        current = self._profile_current()
        volts = self.cell_voltages()
        hi, lo = max(volts), min(volts)
        # emergency mode overrides the voltage protections while it runs
        override = self.emergency_remaining_s > 0
        charge_ok = s.get("charge_switch", True) and (hi < s["cell_ovp_v"] or override)
        discharge_ok = s.get("discharge_switch", True) and (lo > s["cell_uvp_v"] or override)
        if current > 0 and not charge_ok:
            current = 0.0
        if current < 0 and not discharge_ok:
            current = 0.0
        self.current_a = current
        for cell in self.cells:
            cell.soc = min(1.0, max(0.0, cell.soc + current * dt / 3600.0 / cell.capacity_ah))
        self.cycle_ah += abs(current) * dt / 3600.0
        # balancing: highest cell gives charge to the lowest (active balancer)
        trigger = s.get("balance_trigger_delta_v", 0.01)
        self.balancing = bool(s.get("balance_switch")) and hi - lo > trigger and hi > s.get("balance_start_v", 0)
        if self.balancing:
            i_hi, i_lo = volts.index(hi), volts.index(lo)
            moved = min(s.get("balance_max_current_a", 1.0), 1.0) * dt / 3600.0
            self.cells[i_hi].soc -= moved / self.cells[i_hi].capacity_ah
            self.cells[i_lo].soc += moved / self.cells[i_lo].capacity_ah
        heat = abs(current) * 0.004
        self.temps = [t + (heat + 24.0 - t) * min(1.0, dt / 120.0) + self.rng.gauss(0, 0.02) for t in self.temps]
        self.mos_temp += (heat * 2 + 26.0 - self.mos_temp) * min(1.0, dt / 60.0)

    def cell_voltages(self) -> list[float]:
        return [round(chem.ocv(self.chemistry, c.soc) + self.current_a * c.resistance_ohm
                      + self.rng.gauss(0, 0.0005), 3) for c in self.cells]

    def alarms(self, volts: list[float]) -> list[str]:
        s = self.settings
        out = []
        if max(volts) >= s["cell_ovp_v"]:
            out.append("cell_overvoltage")
        if min(volts) <= s["cell_uvp_v"]:
            out.append("cell_undervoltage")
        if self.secrets.setup_password == "123456" and self.variant == JK02_32S:
            out.append("default_password")
        return out

    def snapshot(self) -> Snapshot:
        volts = self.cell_voltages()
        s = self.settings
        soc = sum(c.soc for c in self.cells) / len(self.cells)
        cap = sum(c.capacity_ah for c in self.cells) / len(self.cells)
        override = self.emergency_remaining_s > 0
        charge_on = bool(s.get("charge_switch", True)) and (max(volts) < s["cell_ovp_v"] or override)
        discharge_on = bool(s.get("discharge_switch", True)) and (min(volts) > s["cell_uvp_v"] or override)
        pack = round(sum(volts) * self.voltage_gain, 3)
        current = round(self.current_a * self.current_gain, 3)
        snap = Snapshot(
            pack_voltage_v=pack, current_a=current,
            power_w=round(pack * current, 3), soc_pct=int(round(soc * 100)), soh_pct=100,
            capacity_remaining_ah=round(soc * cap, 3), capacity_full_ah=round(cap, 3),
            cycle_capacity_ah=round(self.cycle_ah, 3), cycles=self.cycles,
            cell_voltages_v=volts, cell_resistances_ohm=[round(c.wire_ohm, 3) for c in self.cells],
            temperatures_c=[round(t, 1) for t in self.temps], mos_temperature_c=round(self.mos_temp, 1),
            balance_current_a=(0.8 if self.balancing else 0.0), balancing_active=self.balancing,
            charge_mos_on=charge_on, discharge_mos_on=discharge_on, precharge_mos_on=False,
            heating_on=False, alarms=self.alarms(volts), runtime_s=int(self.runtime_s),
        )
        snap.extra["jk_balancing_action"] = (1 if self.current_a >= 0 else 2) if self.balancing else 0
        if self.emergency_remaining_s > 0:
            snap.extra["jk_emergency_remaining_s"] = int(math.ceil(self.emergency_remaining_s))
        return snap
