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

A JK02 board follows its device-info and settings frames with the same 20-byte
0xC8 frame, unasked (jk.md §1.3 item 4, §1.4 "320-byte" frames): the captures
esp_pdus_jk_bd6a17s6p_7_1_0h_device_info_0 / _settings_0 (24S, 7.1.0H),
batmon_dummy_24s_settings and aio_jk02_32s_v19_05_devinfo (32S) in
shared/frames/jk.json.  It goes out as a notification of its own on the next tick
but one, and always before anything else the board sends (the module is a UART
bridge, so the board's bytes keep their order); aiobmsble waits for it before it
polls.  No JK04 capture shows it, so the JK04 board does not send it.
"""

from __future__ import annotations

import math
import random
import struct
from collections.abc import Mapping
from typing import Any

from ..model import DeviceInfo, Secrets, Snapshot
from ..protocols.jk import framing as fr
from ..protocols.jk.encode import (
    encode_cell_info,
    encode_device_info,
    encode_jk04_cell_info,
    encode_logbook,
    encode_settings,
)
from ..protocols.jk.layout import JK02_24S, JK02_32S, JK04
from ..protocols.jk.schema import by_register
from ..timing import current as current_timing
from . import chemistry as chem
from . import options as opt
from .board import BoardSimulator, Faults
from .narration import say_changes
from .pack import Pack, board_defaults

_EMERGENCY = 0x6B  # JK02_32S emergency switch (jk.md §5.2)

# calibration registers per variant (the protocol's CALIBRATION_REGISTERS)
_CALIBRATION = {JK02_32S: {0x64: "voltage", 0x67: "current"}, JK02_24S: {0x21: "voltage", 0x24: "current"}}

# What the board's own one-click presets (0x68/0x69/0x6A) set: modelled on the
# vendor manual's appendix (columns read the right way round, presets.md),
# deliberately not Packbench's presets.
_BOARD_PRESETS = {
    0x69: dict(
        cell_ovp_v=3.65,
        soc_full_v=3.62,
        cell_ovp_recovery_v=3.60,
        cell_uvp_recovery_v=2.65,
        soc_empty_v=2.60,
        cell_uvp_v=2.50,
        power_off_v=2.45,
        balance_start_v=3.30,
        balance_trigger_delta_v=0.010,
        charge_utp_c=-20.0,
        charge_utp_recovery_c=-10.0,
    ),
    0x68: dict(
        cell_ovp_v=4.20,
        soc_full_v=4.15,
        cell_ovp_recovery_v=4.10,
        cell_uvp_recovery_v=3.20,
        soc_empty_v=3.00,
        cell_uvp_v=2.80,
        power_off_v=2.75,
        balance_start_v=3.80,
        balance_trigger_delta_v=0.010,
        charge_utp_c=-20.0,
        charge_utp_recovery_c=-10.0,
    ),
    0x6A: dict(
        cell_ovp_v=2.80,
        soc_full_v=2.75,
        cell_ovp_recovery_v=2.70,
        cell_uvp_recovery_v=2.00,
        soc_empty_v=1.90,
        cell_uvp_v=1.80,
        power_off_v=1.75,
        balance_start_v=2.40,
        balance_trigger_delta_v=0.010,
        charge_utp_c=-30.0,
        charge_utp_recovery_c=-25.0,
    ),
}


def default_settings(variant: str, cells: int, chemistry: str, capacity_ah: float) -> dict[str, Any]:
    """A JK board's factory settings for a pack (the pack model's board defaults, and the
    variant's own settings)."""
    s = board_defaults(cells, chemistry, capacity_ah)
    if variant == JK02_32S:
        s.update(
            jk_smart_sleep_v=s["cell_uvp_v"] + 0.5,
            jk_rcv_v=s["soc_full_v"] - 0.05,
            jk_rfv_v=s["soc_full_v"] - 0.15,
            discharge_utp_c=-20,
            discharge_utp_recovery_c=-10,
            jk_smart_sleep_h=24,
            jk_precharge_time_s=5,
            heating_switch=False,
            jk_heating_start_c=0,
            jk_heating_stop_c=5,
            jk_device_address=1,
        )
        # the settings a 32S board reports in its device-info frame (jk.md §3): the
        # values of the real v19.27 frame in frames/jk.json (aio_jk02_32s_v19_27_devinfo)
        s.update(
            jk_uart1_protocol=14,
            jk_can_protocol=0,
            jk_uart2_protocol=21,
            jk_uart3_protocol=15,
            jk_lcd_buzzer_trigger=9,
            jk_dry1_trigger=8,
            jk_dry2_trigger=0,
            jk_rcv_time_h=0.5,
            jk_rfv_time_h=5.0,
            jk_emergency_duration_min=30,
            jk_rebulk_soc_pct=1,
        )
    else:  # 24S and JK04 firmware have no SOC voltages
        for key in ("soc_full_v", "soc_empty_v"):
            s.pop(key)
    if variant == JK04:
        s.update(jk_voltage_reference_v=3.03, balance_max_current_a=min(4.0, capacity_ah * 0.1))
    return s


def refuses_writes(faults: Faults, setup_password: str | None) -> bool:
    """Newer JK-PB firmware may enforce a changed setup password (jk.md §6.3, esphome-jk-bms
    #682): writes from anything but the vendor app are ignored (``fault=require_password``)."""
    return faults.require_password and setup_password != "123456"


class JkSimulator(BoardSimulator):
    """A JK board (BLE frames) with a pack behind it."""

    def __init__(
        self,
        variant: str = JK02_32S,
        cells: int = 16,
        chemistry: str = "lifepo4",
        capacity_ah: float = 100.0,
        seed: int | None = None,
        stream_interval_s: float | None = None,
        faults: Faults | None = None,
        password: str = "123456",
    ) -> None:
        if variant not in (JK02_24S, JK02_32S, JK04):
            raise ValueError(f"the JK simulator speaks jk02_24s, jk02_32s or jk04, not {variant!r}")
        max_cells = 32 if variant == JK02_32S else 24
        if not 4 <= cells <= max_cells:
            raise ValueError(f"{variant} simulates 4 to {max_cells} cells, not {cells}")
        chemistry = chem.normalise(chemistry)
        super().__init__(Pack(cells, chemistry, capacity_ah, random.Random(seed)), faults or Faults())
        self.variant = variant
        # default: app/timing.py (0.5 s, a real board's pace; shorter in the test suite)
        self.stream_interval_s = stream_interval_s or current_timing().stream_s
        self.settings = default_settings(variant, cells, chemistry, capacity_ah)
        model, hw, sw = {
            JK02_32S: ("JK-PB2A16S20P", "19A", "19.27"),
            JK02_24S: ("JK-B2A24S20P", "10.XG", "10.08"),
            JK04: ("JK-B2A16S", "3.0", "3.3.0"),
        }[variant]
        serial = "SIM" + "".join(self.rng.choice("0123456789") for _ in range(9))
        self.info = DeviceInfo(
            model=model,
            hardware_version=hw,
            software_version=sw,
            serial_number=serial,
            device_name="Packbench-SIM",
            manufacture_date="2026-11-22",
            power_on_count=3,
            runtime_s=0,
        )
        self.secrets = Secrets(connect_pin="1234", setup_password=password)
        self.streaming = False
        self._since_stream = 0.0
        #: the unasked 0xC8 frame owed after a device-info or settings frame, and the
        #: ticks since (it goes out on the second, or before any other output)
        self._trailing: list[bytes] = []
        self._trailing_ticks = 0
        self._counter = 0
        self._reader = fr.JkFrameReader()
        self.sent_frames = 0  # 300-byte response frames of any type
        self.sent_live_frames = 0  # cell-info frames
        self.writes: list[tuple[int, int]] = []  # (register, raw) accepted, for tests
        # the board's history (JK02_32S 0xA1): seconds since first power-up, event code
        now = int(self.pack.runtime_s)
        self.logbook: list[tuple[int, int]] = [
            (0, 0x01),
            (238, 0x44),
            (now - 86400 * 3, 0x1B),
            (now - 86400 * 3 + 41, 0x1C),
            (now, 0x01),
        ]
        #: emergency mode (32S 0x6B, jk.md §5.2): seconds left, counted down by step()
        self.emergency_remaining_s = 0.0

    # --- the wire --------------------------------------------------------------
    def receive(self, data: bytes) -> list[bytes]:
        if self.faults.silent:
            return []
        before = dict(self.settings) if self.narrate is not None else None
        out: list[bytes] = self._flush_trailing()  # what the board still owes goes first
        for frame in self._reader.feed(data):
            if frame.frame_type == fr.COMMAND:
                out += self._command(frame.data)
        if before is not None:
            say_changes(self.narrate, before, self.settings, self.narrate_prefix)
        if self.drop_link:
            self._say("link dropped")
        return out

    def step(self, dt: float) -> list[bytes]:
        if dt > 0:
            self.emergency_remaining_s = max(0.0, self.emergency_remaining_s - dt)
        # emergency mode overrides the voltage protections while it runs
        self.pack.step(dt, self.settings, override=self.emergency_remaining_s > 0)
        if self.faults.silent:
            self._trailing = []
            return []
        frame = self._stream(dt)
        self._trailing_ticks += 1
        if frame is None and self._trailing_ticks < 2:
            return []
        return self._flush_trailing() + (self._send(frame) if frame is not None else [])

    def _stream(self, dt: float) -> bytes | None:
        """The cell-info frame due now, if the stream runs and its interval has passed."""
        if not self.streaming:
            return None
        self._since_stream += dt
        if self._since_stream + 1e-9 < self.stream_interval_s:
            return None
        # keep the phase (a steady rate), but never burst after a long pause
        self._since_stream = min(self._since_stream - self.stream_interval_s, self.stream_interval_s)
        if self.variant == JK04:
            return encode_jk04_cell_info(self.snapshot(), self._next())
        return encode_cell_info(self.snapshot(), self.variant, self._next())

    def _trail_with_ack(self, chunks: list[bytes]) -> list[bytes]:
        """``chunks`` (a device-info or settings frame), with the unasked 0xC8 frame owed
        after it on a JK02 board (module docstring)."""
        if self.variant != JK04:  # 20 bytes: one notification (drawing no random numbers)
            self._trailing = [fr.build_ack()]
            self._trailing_ticks = 0
        return chunks

    def _flush_trailing(self) -> list[bytes]:
        out, self._trailing = self._trailing, []
        return out

    def _next(self) -> int:
        self._counter = (self._counter + 1) & 0xFF
        return self._counter

    def _send(self, frame: bytes) -> list[bytes]:
        """Cut a frame the way the BLE module does, with junk in between."""
        if frame[:4] == fr.RESPONSE_HEADER:
            self.sent_frames += 1
            self.sent_live_frames += frame[4] == fr.TYPE_CELL_INFO
        chunks = self._cut(frame)
        if self.faults.junk and self.rng.random() < 0.3:
            # the BLE module's own text arrives between frames (after an ack,
            # on connect), never inside one: jk.md §1.4, batmon feed_frames
            if self.rng.random() < 0.5:
                chunks.insert(0, b"AT\r\n")
            else:
                chunks.append(b"AT\r\n")
        return chunks

    def _writes_refused(self) -> bool:
        return self.faults.drop_writes or self._refuses_writes()

    def _command(self, data: bytes) -> list[bytes]:
        register, length = data[4], data[5]
        if register == fr.REG_READ_DEVICE_INFO:
            self.info.runtime_s = int(self.pack.runtime_s)
            return self._trail_with_ack(
                self._send(
                    encode_device_info(
                        self.info, self.secrets, self._next(), settings=self.settings, variant=self.variant
                    )
                )
            )
        if register == fr.REG_READ_LOGBOOK and self.variant == JK02_32S:
            return self._send(encode_logbook(self.logbook, self._next()))
        if register == fr.REG_READ_SETTINGS:
            out = self._trail_with_ack(self._send(encode_settings(self.settings, self.variant, self._next())))
            self.streaming = True
            self._since_stream = 0.0
            return out
        if self.variant == JK02_32S and (
            length == 0 and register in _BOARD_PRESETS or register == _EMERGENCY and length in (1, 2, 4)
        ):
            return self._control(register, data)
        cal = _CALIBRATION.get(self.variant, {}).get(register)
        if cal is not None and length == 4:
            if self._writes_refused():
                return []
            measured = int.from_bytes(data[6:10], "little", signed=True) / 1000
            if not self._calibrate(cal, measured):
                return []
            return self._send(fr.build_ack())
        if length == 0 and self.variant == JK02_32S and register in (0x65, 0x66, 0x9D):
            return self._board_action(register)
        return self._write(register, data)

    def _control(self, register: int, data: bytes) -> list[bytes]:
        """The 32S board's one-click presets (0x68-0x6A) and emergency switch (0x6B)."""
        if self._writes_refused():
            return []
        if register in _BOARD_PRESETS:
            # the board's own one-click preset: its values, not ours (presets.md)
            self.settings.update(_BOARD_PRESETS[register])
            if register == 0x69:
                self.logbook.append((int(self.pack.runtime_s), 0x44))  # "Factory setting LFP"
            return self._send(fr.build_ack())
        length = data[5]
        on = int.from_bytes(data[6 : 6 + length], "little") != 0
        # it runs for the emergency duration (device-info byte 269, jk.md §3)
        minutes = self.settings.get("jk_emergency_duration_min", 30)
        self.emergency_remaining_s = float(minutes * 60) if on else 0.0
        self._say(f"emergency mode on for {minutes * 60} s" if on else "emergency mode off")
        return self._send(fr.build_ack())

    def _write(self, register: int, data: bytes) -> list[bytes]:
        """A setting: acknowledged and stored, or refused without an ack."""
        length = data[5]
        spec = by_register(self.variant).get(register)
        if spec is None or length == 0:
            return []  # unknown command: a real board stays silent
        raw = int.from_bytes(data[6 : 6 + length], "little", signed=spec.signed)
        if spec.encoding == "f32" and length == 4:  # JK04 floats
            value = spec.from_raw(struct.unpack("<f", data[6:10])[0])
        else:
            value = spec.from_raw(raw)
        if self._writes_refused() or not self._acceptable(spec.key, value):
            return []
        value = self._clamped(spec.key, value)
        if not self.faults.ack_without_store:
            self.settings[spec.key] = value
            self.writes.append((register, raw))
        if self._link_drops(len(self.writes)):
            return []  # the transport cuts the connection now, before any ack
        self.reply_delay_s = self.faults.write_delay_s
        return self._send(fr.build_ack())

    def _board_action(self, register: int) -> list[bytes]:
        if self._writes_refused():
            return []
        ack = self._send(fr.build_ack())
        if register == 0x66:  # restart: the stream stops until the host asks again
            self.logbook.append((int(self.pack.runtime_s), 0x01))
            self.streaming = False
            self._say("restarting")
        elif register == 0x9D:  # factory reset: the firmware's defaults, whatever the pack
            self.settings = default_settings(
                self.variant, len(self.cells), self.chemistry, self.settings.get("capacity_nominal_ah", 100.0)
            )
            self.secrets = Secrets(connect_pin="1234", setup_password="123456")
            self.logbook.append((int(self.pack.runtime_s), 0x01))
            self.streaming = False
            self._say("factory reset")
        elif register == 0x65:  # shutdown: the board goes quiet
            self.faults.silent = True
            self._say("switched off")
        return ack

    def _calibrate(self, kind: str, measured: float) -> bool:
        """Scale the board's reading so that it shows what the meter measured."""
        if not self.pack.calibrate(kind, measured):
            return False  # the real board ignores absurd values too
        unit = "V" if kind == "voltage" else "A"
        self._say(f"{kind} calibrated to {measured:g} {unit}")
        return True

    def _refuses_writes(self) -> bool:
        return refuses_writes(self.faults, self.secrets.setup_password)

    def _acceptable(self, key: str, value: Any) -> bool:
        spec = {s.key: s for s in by_register(self.variant).values()}[key]
        if spec.kind == "number" and (
            (spec.minimum is not None and value < spec.minimum)
            or (spec.maximum is not None and value > spec.maximum)
        ):
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

    # --- what the board reports -------------------------------------------------------------
    def alarms(self, volts: list[float]) -> list[str]:
        out = self.pack.limit_alarms(volts, self.settings)
        if self.secrets.setup_password == "123456" and self.variant == JK02_32S:
            out.append("default_password")
        return out

    def snapshot(self) -> Snapshot:
        volts = self.cell_voltages()
        snap = self.pack.snapshot(volts, self.settings, override=self.emergency_remaining_s > 0)
        snap.alarms = self.alarms(volts)
        balancing = self.pack.balancing
        snap.extra["jk_balancing_action"] = (1 if self.pack.current_a >= 0 else 2) if balancing else 0
        if self.emergency_remaining_s > 0:
            snap.extra["jk_emergency_remaining_s"] = int(math.ceil(self.emergency_remaining_s))
        return snap


# --- the simulator package's factory (app/simulator/__init__.py finds it) ---------------------
#: the protocols this module simulates: JK's BLE frame protocols (jk.md §1–5)
SIMULATES = (JK02_24S, JK02_32S, JK04)


def create(protocol: str, options: Mapping[str, Any], common: dict[str, Any]) -> JkSimulator:
    """A JK board for ``protocol``: ``common`` as ``options.common`` reads it (a password
    is the device-info frame's 15 ASCII characters, jk.md §6), plus JK's own options:
    voltage_error_pct, current, current_error_pct."""
    kwargs = dict(common)
    kwargs["faults"] = Faults(**kwargs["faults"])
    sim = JkSimulator(variant=protocol, **kwargs)
    if "voltage_error_pct" in options:
        sim.voltage_gain = opt.gain(options, "voltage_error_pct")
    if "current" in options:  # a steady charger (+) or load (-), in A
        sim.constant_current_a = opt.current(options)
    if "current_error_pct" in options:
        sim.current_gain = opt.gain(options, "current_error_pct")
    return sim


__all__ = ["Faults", "JkSimulator", "default_settings", "refuses_writes"]
