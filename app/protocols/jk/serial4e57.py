"""JK's older serial protocol, ``4E 57`` ("NW") frames: protocol id ``jk_4e57``.

The UART-TTL "GPS port" (and RS485 adapters on it) of boards up to hw ~11
(jk.md §7).  Facts used here, with their jk.md sections:

- 115200 baud 8N1; at least 100 ms between packets; a reply within 5 s (§7.1).
- Frame (§7.2): ``4E 57``, a big-endian u16 length = total length − 2, a
  4-byte terminal id (0), command (0x01 activate, 0x02 write, 0x03 read one,
  0x05 pair, 0x06 read all), source (0 BMS, 1 BT, 2 GPS, 3 PC), transport
  type (0 request, 1 reply, 2 active upload), the data, a 4-byte record
  number, the end marker 0x68, and 4 checksum bytes: two zero bytes ("CRC not
  enabled") and the 16-bit sum of every byte from the header through the end
  marker, big-endian.
- The data of a reply is a run of (identifier, value) pairs whose widths are
  fixed per identifier (§7.3); values are big-endian.  They are walked with a
  width table (batmon's ``REGISTER_WIDTHS``), never read at fixed offsets,
  so a firmware that leaves a field out still decodes.
- Writes: command 0x05 (pair) first, about 100 ms later command 0x02 with
  identifier + value (§7.2, §6.6).  Only the 1-byte charge/discharge switch
  writes are confirmed by users; wider values are sent at their full width,
  which is unverified.

One read-all reply carries live data, settings and device information at
once.  ``decode`` returns the live Snapshot (the CLI's decode contract: one
frame, one message); ``decode_all`` returns all three (device info, settings,
snapshot) and is what the session uses; ``decode_read_all`` returns them
together with the secrets.  The parameter password (identifier 0xB2) is never
put into any of them: ``extract_secrets`` hands it to the session's memory.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ... import model as m
from ...model import Ack, Command, DeviceInfo, Message, Secrets, Settings, SettingSpec, Snapshot
from ..base import DecodeError, Protocol
from ..checksums import sum16
from ..framing import NO, WAIT, Cut, StreamFrameReader, Verdict
from .dates import iso_date, wire_date
from .labels import help_of, label

JK_4E57 = "jk_4e57"

HEADER = b"\x4e\x57"
END_MARKER = 0x68

CMD_ACTIVATE = 0x01
CMD_WRITE = 0x02
CMD_READ = 0x03
CMD_PAIR = 0x05
CMD_READ_ALL = 0x06
COMMAND_NAMES = {
    CMD_ACTIVATE: "activate",
    CMD_WRITE: "write",
    CMD_READ: "read",
    CMD_PAIR: "pair",
    CMD_READ_ALL: "read_all",
}

SOURCE_BMS, SOURCE_BLUETOOTH, SOURCE_GPS, SOURCE_PC = 0, 1, 2, 3
TYPE_REQUEST, TYPE_REPLY, TYPE_UPLOAD = 0, 1, 2

#: header 2 + length 2 + terminal 4 + command/source/type 3 + record 4 + end 1 + checksum 4
MIN_FRAME = 20
#: a read-all reply with 32 cells is about 340 bytes; anything far longer is junk
MAX_FRAME = 600

# --- data identifiers and their value widths (jk.md §7.3) ---------------------------
ID_CELLS = 0x79  # a length byte, then (cell number, mV u16) triplets
ID_MOS_T, ID_T1, ID_T2 = 0x80, 0x81, 0x82  # MOS, box (T1), battery (T2)
ID_PACK_V = 0x83
ID_CURRENT = 0x84
ID_SOC = 0x85
ID_SENSORS = 0x86
ID_CYCLES = 0x87
ID_CYCLE_AH = 0x89
ID_CELL_COUNT = 0x8A
ID_WARNINGS = 0x8B
ID_STATUS = 0x8C
ID_CAPACITY = 0xAA
ID_PASSWORD = 0xB2  # the parameter password, ASCII: a secret (vocabulary.md)
ID_DEVICE_ID = 0xB4
ID_DATE = 0xB5
ID_WORK_MINUTES = 0xB6
ID_SOFTWARE = 0xB7
ID_ACTUAL_AH = 0xB9
ID_MANUFACTURER = 0xBA
ID_PROTOCOL_VERSION = 0xC0

#: identifier -> value bytes; 0x88 is not in the spec (§7.3).  -1: length byte follows.
#: The walk reads values through this table rather than through ``protocols.fields``
#: rows: those place a value at a byte offset, and a 4E57 reply has none.
WIDTHS: dict[int, int] = {
    ID_CELLS: -1,
    0x80: 2,
    0x81: 2,
    0x82: 2,
    0x83: 2,
    0x84: 2,
    0x85: 1,
    0x86: 1,
    0x87: 2,
    0x89: 4,
    0x8A: 2,
    0x8B: 2,
    0x8C: 2,
    0x8E: 2,
    0x8F: 2,
    0x90: 2,
    0x91: 2,
    0x92: 2,
    0x93: 2,
    0x94: 2,
    0x95: 2,
    0x96: 2,
    0x97: 2,
    0x98: 2,
    0x99: 2,
    0x9A: 2,
    0x9B: 2,
    0x9C: 2,
    0x9D: 1,
    0x9E: 2,
    0x9F: 2,
    0xA0: 2,
    0xA1: 2,
    0xA2: 2,
    0xA3: 2,
    0xA4: 2,
    0xA5: 2,
    0xA6: 2,
    0xA7: 2,
    0xA8: 2,
    0xA9: 1,
    0xAA: 4,
    0xAB: 1,
    0xAC: 1,
    0xAD: 2,
    0xAE: 1,
    0xAF: 1,
    0xB0: 2,
    0xB1: 1,
    0xB2: 10,
    0xB3: 1,
    0xB4: 8,
    0xB5: 4,
    0xB6: 4,
    0xB7: 15,
    0xB8: 1,
    0xB9: 4,
    0xBA: 24,
    0xBB: 1,
    0xBC: 1,
    0xBD: 1,
    0xBE: 2,
    0xBF: 2,
    0xC0: 1,
}
#: text identifiers (ASCII, NUL padded)
TEXT_IDS = frozenset({ID_PASSWORD, ID_DEVICE_ID, ID_DATE, ID_SOFTWARE, ID_MANUFACTURER})
DEVICE_IDS = frozenset({ID_DEVICE_ID, ID_DATE, ID_SOFTWARE, ID_MANUFACTURER})

# --- warning bits of 0x8B (jk.md §7.3; ESPHome ``ERRORS``) ---------------------------
# Bits whose meaning has no canonical alarm id stay ``jk4e57_bit_N`` (never
# guessed): 4 "battery over-temperature" and 9 "battery low temperature" do not
# say whether charging or discharging is meant, 8 is the box (T1) sensor, 12-13
# are "309_A protection", 14-15 reserved.
WARNING_BITS: dict[int, str] = {
    0: m.LOW_SOC,  # low capacity
    1: m.MOS_OVERTEMPERATURE,
    2: m.PACK_OVERVOLTAGE,  # charging over-voltage (total voltage)
    3: m.PACK_UNDERVOLTAGE,  # discharging under-voltage (total voltage)
    5: m.CHARGE_OVERCURRENT,
    6: m.DISCHARGE_OVERCURRENT,
    7: m.CELL_DELTA_HIGH,  # "cell pressure difference"
    10: m.CELL_OVERVOLTAGE,
    11: m.CELL_UNDERVOLTAGE,
}
ALARM_FAMILY = "jk4e57"


def alarms_from_warnings(mask: int) -> list[str]:
    return sorted(
        {WARNING_BITS.get(bit, m.unknown_alarm(ALARM_FAMILY, bit)) for bit in range(16) if mask >> bit & 1}
    )


def warnings_from_alarms(alarms: list[str]) -> int:
    """Inverse for the simulator: the first bit that raises each alarm."""
    mask = 0
    for alarm in alarms:
        bit = next((b for b, name in WARNING_BITS.items() if name == alarm), None)
        if bit is None and alarm.startswith(ALARM_FAMILY + "_bit_"):
            bit = int(alarm.rsplit("_", 1)[1])
        if bit is not None:
            mask |= 1 << bit
    return mask


# --- the settings schema: the RW identifiers (jk.md §7.3) ------------------------------
# key, identifier, scale (wire units per canonical unit), signed, min, max, step, group
# Temperatures here are plain °C (signed where the spec says so), not the
# "> 100 is negative" encoding of the live sensors 0x80-0x82.
_NUMERIC = [
    ("pack_ovp_v", 0x8E, 100, False, 5.0, 150.0, 0.01, "pack"),
    ("pack_uvp_v", 0x8F, 100, False, 5.0, 150.0, 0.01, "pack"),
    ("cell_ovp_v", 0x90, 1000, False, 1.2, 4.5, 0.001, "cell_voltages"),
    ("cell_ovp_recovery_v", 0x91, 1000, False, 1.2, 4.5, 0.001, "cell_voltages"),
    ("jk_cell_ovp_delay_s", 0x92, 1, False, 0, 300, 1, "cell_voltages"),
    ("cell_uvp_v", 0x93, 1000, False, 1.2, 4.5, 0.001, "cell_voltages"),
    ("cell_uvp_recovery_v", 0x94, 1000, False, 1.2, 4.5, 0.001, "cell_voltages"),
    ("jk_cell_uvp_delay_s", 0x95, 1, False, 0, 300, 1, "cell_voltages"),
    ("jk_cell_delta_protection_v", 0x96, 1000, False, 0.0, 1.0, 0.001, "cell_voltages"),
    ("discharge_ocp_a", 0x97, 1, False, 1, 1000, 1, "currents"),
    ("discharge_ocp_delay_s", 0x98, 1, False, 0, 1000, 1, "currents"),
    ("charge_ocp_a", 0x99, 1, False, 1, 1000, 1, "currents"),
    ("charge_ocp_delay_s", 0x9A, 1, False, 0, 1000, 1, "currents"),
    ("balance_start_v", 0x9B, 1000, False, 1.2, 4.5, 0.001, "balancing"),
    ("balance_trigger_delta_v", 0x9C, 1000, False, 0.001, 1.0, 0.001, "balancing"),
    ("mos_otp_c", 0x9E, 1, False, 0, 120, 1, "temperatures"),
    ("mos_otp_recovery_c", 0x9F, 1, False, 0, 120, 1, "temperatures"),
    ("jk_box_otp_c", 0xA0, 1, False, 0, 120, 1, "temperatures"),
    ("jk_box_otp_recovery_c", 0xA1, 1, False, 0, 120, 1, "temperatures"),
    ("jk_temperature_delta_protection_c", 0xA2, 1, False, 0, 50, 1, "temperatures"),
    ("charge_otp_c", 0xA3, 1, False, 0, 120, 1, "temperatures"),
    ("discharge_otp_c", 0xA4, 1, False, 0, 120, 1, "temperatures"),
    ("charge_utp_c", 0xA5, 1, True, -45, 25, 1, "temperatures"),
    ("charge_utp_recovery_c", 0xA6, 1, True, -45, 25, 1, "temperatures"),
    ("discharge_utp_c", 0xA7, 1, True, -45, 25, 1, "temperatures"),
    ("discharge_utp_recovery_c", 0xA8, 1, True, -45, 25, 1, "temperatures"),
    ("cell_count", 0xA9, 1, False, 2, 32, 1, "pack"),
    ("capacity_nominal_ah", 0xAA, 1, False, 1, 10000, 1, "pack"),  # whole Ah
    ("jk_current_calibration_a", 0xAD, 1000, False, 0.1, 2.0, 0.001, "other"),
    ("jk_device_address", 0xAE, 1, False, 0, 255, 1, "other"),
    ("jk_battery_type", 0xAF, 1, False, 0, 2, 1, "pack"),  # 0 LFP, 1 ternary, 2 LTO
    ("jk_sleep_wait_s", 0xB0, 1, False, 0, 65535, 1, "other"),
    ("jk_low_soc_alarm_pct", 0xB1, 1, False, 0, 80, 1, "other"),
    ("jk_actual_capacity_ah", 0xB9, 1, False, 0, 10000, 1, "pack"),
]
_SWITCHES = [
    ("balance_switch", 0x9D),  # ESPHome: v11 ignores writes (§7.3)
    ("charge_switch", 0xAB),
    ("discharge_switch", 0xAC),
    ("jk_dedicated_charger_switch", 0xB3),
]


def _build_schema() -> tuple[SettingSpec, ...]:
    rows = []
    for key, ident, scale, signed, lo, hi, step, group in _NUMERIC:
        rows.append(
            SettingSpec(
                key=key,
                label=label(key),
                unit=_unit(key),
                register=ident,
                scale=scale,
                width=WIDTHS[ident],
                signed=signed,
                minimum=lo,
                maximum=hi,
                step=step,
                group=group,
                help=help_of(key),
                variants=(JK_4E57,),
            )
        )
    for key, ident in _SWITCHES:
        rows.append(
            SettingSpec(
                key=key,
                label=label(key),
                unit="",
                register=ident,
                kind="bool",
                width=1,
                group="switches",
                help=help_of(key),
                variants=(JK_4E57,),
            )
        )
    rows.sort(key=lambda s: s.register)
    return tuple(rows)


_UNITS = {"_v": "V", "_a": "A", "_ah": "Ah", "_c": "°C", "_s": "s", "_pct": "%"}


def _unit(key: str) -> str:
    return next((u for suffix, u in _UNITS.items() if key.endswith(suffix)), "")


SCHEMA: tuple[SettingSpec, ...] = _build_schema()
BY_KEY: dict[str, SettingSpec] = {s.key: s for s in SCHEMA}
BY_ID: dict[int, SettingSpec] = {s.register: s for s in SCHEMA}


# --- framing --------------------------------------------------------------------------------
#: the 16-bit sum of every byte from the header through the end marker (jk.md §7.2)
checksum = sum16


def build_frame(
    command: int,
    data: bytes = b"",
    *,
    source: int = SOURCE_PC,
    kind: int = TYPE_REQUEST,
    record: int = 0,
    terminal: int = 0,
) -> bytes:
    """A whole ``4E 57`` frame.  Host requests use source 3 (PC) and type 0, as
    the captured read-all and issue #404 write frames do (jk.md §7.2)."""
    total = 2 + 2 + 4 + 3 + len(data) + 4 + 1 + 4
    body = (
        HEADER
        + (total - 2).to_bytes(2, "big")
        + terminal.to_bytes(4, "big")
        + bytes([command, source, kind])
        + data
        + (record & 0xFFFFFFFF).to_bytes(4, "big")
        + bytes([END_MARKER])
    )
    return body + b"\x00\x00" + checksum(body).to_bytes(2, "big")


def frame_problem(buf: bytes | bytearray) -> str | None:
    """Why ``buf`` (exactly one frame) is not a good ``4E 57`` frame, or None."""
    if len(buf) < 4 or buf[:2] != HEADER:
        return "not a JK 4E57 frame: no 4E 57 header"
    total = int.from_bytes(buf[2:4], "big") + 2
    if not MIN_FRAME <= total <= MAX_FRAME:
        return f"impossible length field {total - 2}"
    if len(buf) < total:
        return f"truncated: {len(buf)} of {total} bytes"
    if buf[total - 5] != END_MARKER:
        return f"no 0x68 end marker at byte {total - 5}"
    want = int.from_bytes(buf[total - 2 : total], "big")
    got = checksum(buf[: total - 4])
    if want != got:
        return f"checksum mismatch: frame says 0x{want:04X}, sum is 0x{got:04X}"
    if buf[10] > TYPE_UPLOAD:
        return f"unknown transport type {buf[10]}"
    return None


def check_frame(buf: bytes) -> bytes:
    """The frame at the start of ``buf`` (trailing bytes ignored), or DecodeError."""
    problem = frame_problem(buf)
    if problem:
        raise DecodeError(problem)
    return bytes(buf[: int.from_bytes(buf[2:4], "big") + 2])


def data_of(frame: bytes) -> bytes:
    """The identifier/value bytes between the 11-byte head and the record number."""
    return frame[11 : len(frame) - 9]


class Jk4e57FrameReader(StreamFrameReader):
    """Cuts checksum-checked ``4E 57`` frames out of a serial byte stream.

    Resynchronises on the header, drops one byte at a time past junk or a bad
    frame, never raises.  ``frame_type`` is ``(command, transport type)``.
    """

    headers = (HEADER,)

    def candidate(self, buf: bytearray, pos: int) -> Verdict:
        if len(buf) - pos < 4:
            return WAIT
        total = int.from_bytes(buf[pos + 2 : pos + 4], "big") + 2
        if not MIN_FRAME <= total <= MAX_FRAME:
            return NO
        if len(buf) - pos < total:
            return WAIT
        frame = buf[pos : pos + total]
        if frame_problem(frame) is not None:
            return NO
        return Cut(total, (frame[8], frame[10]))


# --- request builders -------------------------------------------------------------------------
def build_read_all() -> bytes:
    """``4E 57 00 13 … 06 03 00 00 … 68 00 00 01 29`` (jk.md §7.2)."""
    return build_frame(CMD_READ_ALL, b"\x00")


def build_activate() -> bytes:
    """Command 0x01, "activation", which the spec says to send when the BMS is asleep
    (jk.md §7.1).  Its data is not captured anywhere: identifier 0x00 ("all", as in
    the read-all request, §7.2) is Packbench's choice."""
    return build_frame(CMD_ACTIVATE, b"\x00")


def read_identifier(key_or_ident: str | int) -> int:
    """The §7.3 identifier of a canonical setting key, or an identifier itself."""
    if isinstance(key_or_ident, int):
        ident = key_or_ident
    else:
        spec = BY_KEY.get(key_or_ident)
        if spec is None:
            raise KeyError(f"{JK_4E57} has no setting {key_or_ident!r}")
        ident = spec.register
    if ident not in WIDTHS:
        raise KeyError(f"{JK_4E57} has no identifier 0x{ident:02X}")
    return ident


def build_read_one(key_or_ident: str | int) -> bytes:
    """Command 0x03, "read one identifier" (jk.md §7.2): the identifier as the data.
    The board answers with that identifier and its value (a 0x03 reply)."""
    return build_frame(CMD_READ, bytes([read_identifier(key_or_ident)]))


def build_pair() -> bytes:
    """Command 0x05 with identifier 0 and value 0, as ESPHome sends it before
    every write; the password content "seems to be ignored" (jk.md §6.6)."""
    return build_frame(CMD_PAIR, b"\x00\x00")


def encode_value(spec: SettingSpec, value: Any) -> bytes:
    raw = spec.to_raw(value)
    lo = -(1 << (8 * spec.width - 1)) if spec.signed else 0
    hi = (1 << (8 * spec.width - (1 if spec.signed else 0))) - 1
    if not lo <= raw <= hi:
        raise ValueError(f"{spec.key}={value} does not fit in {spec.width} byte(s)")
    return raw.to_bytes(spec.width, "big", signed=spec.signed)


def build_write(key: str, value: Any) -> bytes:
    """Command 0x02: identifier then the value at its full width, big-endian.

    Issue #404's charge-switch frames are reproduced byte for byte; wider
    values follow §7.3's widths, which no capture confirms (jk.md §7.2).
    """
    spec = BY_KEY.get(key)
    if spec is None or not spec.writable:
        raise KeyError(f"{JK_4E57} has no writable setting {key!r}")
    if spec.kind == "number":
        v = float(value)
        if (spec.minimum is not None and v < spec.minimum) or (spec.maximum is not None and v > spec.maximum):
            raise ValueError(f"{key}={value} is outside {spec.minimum}..{spec.maximum} {spec.unit}")
    return build_frame(CMD_WRITE, bytes([spec.register]) + encode_value(spec, value))


# --- the identifier walk ----------------------------------------------------------------------
@dataclass
class Walk:
    values: dict[int, bytes] = field(default_factory=dict)
    cells: list[tuple[int, int]] = field(default_factory=list)  # (cell number, mV)
    #: the first identifier whose width is unknown (the walk stops there), if any
    stopped_at: int | None = None


def walk(data: bytes) -> Walk:
    """Split identifier/value pairs with the §7.3 widths; stop at an unknown one."""
    out = Walk()
    i = 0
    while i < len(data):
        ident = data[i]
        width = WIDTHS.get(ident)
        if width is None:
            out.stopped_at = ident
            break
        i += 1
        if width == -1:
            if i >= len(data):
                out.stopped_at = ident
                break
            n = data[i]
            i += 1
            block = data[i : i + n]
            out.cells = [
                (block[j], int.from_bytes(block[j + 1 : j + 3], "big")) for j in range(0, len(block) - 2, 3)
            ]
            i += n
            continue
        if i + width > len(data):
            out.stopped_at = ident
            break
        out.values[ident] = data[i : i + width]
        i += width
    return out


def _u(values: dict[int, bytes], ident: int) -> int | None:
    raw = values.get(ident)
    return int.from_bytes(raw, "big") if raw is not None else None


def _text(raw: bytes | None) -> str | None:
    if raw is None:
        return None
    text = raw.split(b"\x00", 1)[0].decode("ascii", errors="replace").strip()
    return text or None


def temperature_c(raw: int) -> float:
    """Live sensor temperatures 0x80-0x82 (jk.md §7.3).

    CONFLICT (jk.md §9.6): the vendor spec says values above 100 are negative,
    "101 = -1 °C", i.e. 100 - raw; ESPHome and batmon use 99 - raw for
    raw > 99 (100 -> -1 °C); dbus-serialbattery uses 100 - raw from 99 up.
    Packbench follows the spec, as jk.md recommends: raw <= 100 -> raw,
    otherwise 100 - raw.
    """
    return float(raw) if raw <= 100 else float(100 - raw)


def temperature_raw(celsius: float) -> int:
    """Inverse of ``temperature_c`` (for the simulator)."""
    t = int(round(celsius))
    return t if t >= 0 else 100 - t


def current_a(raw: int, protocol_version: int | None) -> float:
    """0x84, 0.01 A, positive while charging (jk.md §7.3).

    Protocol version (0xC0) 1: bit 15 set = charging, the low 15 bits the
    magnitude.  Otherwise the older encoding: 10000 - raw, so raw 11000 is
    10 A discharging and 9500 is 5 A charging.  (ESPHome reports 0 when 0xC0
    is not 1; a frame without 0xC0 is taken as the older encoding.)
    """
    if protocol_version == 1:
        magnitude = (raw & 0x7FFF) / 100
        return magnitude if raw & 0x8000 or not magnitude else -magnitude
    return (10000 - raw) / 100 + 0.0  # + 0.0: no "-0.0" at rest


def current_raw(amps: float, protocol_version: int = 1) -> int:
    if protocol_version == 1:
        mag = min(int(round(abs(amps) * 100)), 0x7FFF)
        return mag | 0x8000 if amps > 0 else mag
    return max(0, min(0xFFFF, 10000 - int(round(amps * 100))))


@dataclass
class ReadAll:
    """Everything one read-all reply says."""

    snapshot: Snapshot
    settings: Settings
    device_info: DeviceInfo
    secrets: Secrets


def _settings_from(values: dict[int, bytes], partial: bool = False) -> Settings:
    out: dict[str, Any] = {}
    for ident, raw in values.items():
        spec = BY_ID.get(ident)
        if spec is None:
            continue
        out[spec.key] = spec.from_raw(int.from_bytes(raw, "big", signed=spec.signed))
    ordered = {s.key: out[s.key] for s in SCHEMA if s.key in out}
    return Settings(values=ordered, protocol=JK_4E57, partial=partial)


def _device_from(values: dict[int, bytes]) -> DeviceInfo:
    info = DeviceInfo(protocol=JK_4E57)
    info.software_version = _text(values.get(ID_SOFTWARE))
    info.manufacturer = _text(values.get(ID_MANUFACTURER))  # "manufacturer ID naming"
    # 0xB4 "device ID code": a user-settable 8-character id ("Input Us" by default)
    info.device_name = _text(values.get(ID_DEVICE_ID))
    info.manufacture_date = iso_date(_text(values.get(ID_DATE)))  # YYMM on the wire
    return info


def _snapshot_from(w: Walk) -> Snapshot:
    v = w.values
    snap = Snapshot()
    cells = sorted(w.cells)
    snap.cell_voltages_v = [mv / 1000 for _, mv in cells]
    version = _u(v, ID_PROTOCOL_VERSION)
    if version is not None:
        snap.extra["jk_protocol_version"] = version
    if ID_PACK_V in v:
        snap.pack_voltage_v = _u(v, ID_PACK_V) / 100
    if ID_CURRENT in v:
        snap.current_a = current_a(_u(v, ID_CURRENT), version)
    if ID_SOC in v:
        snap.soc_pct = _u(v, ID_SOC)
    if ID_MOS_T in v:
        snap.mos_temperature_c = temperature_c(_u(v, ID_MOS_T))
    temps = [temperature_c(_u(v, ident)) for ident in (ID_T1, ID_T2) if ident in v]
    if temps:
        snap.temperatures_c = temps
    if ID_SENSORS in v:
        snap.extra["jk_temperature_sensor_count"] = _u(v, ID_SENSORS)
    if ID_CYCLES in v:
        snap.cycles = _u(v, ID_CYCLES)
    if ID_CYCLE_AH in v:
        snap.cycle_capacity_ah = float(_u(v, ID_CYCLE_AH))
    if ID_CELL_COUNT in v:
        snap.cell_count = _u(v, ID_CELL_COUNT)
    if ID_WARNINGS in v:
        snap.alarms = alarms_from_warnings(_u(v, ID_WARNINGS))
    if ID_STATUS in v:
        status = _u(v, ID_STATUS)
        snap.charge_mos_on = bool(status & 1)
        snap.discharge_mos_on = bool(status >> 1 & 1)
        # bit 2 "balancer": ESPHome publishes it as "balancing"
        snap.balancing_active = bool(status >> 2 & 1)
        # bit 3 is "battery online" in the spec but reads 0 in every capture,
        # so it is passed on raw rather than shown as "offline"
        snap.extra["jk_status_bits"] = status
    for ident, name in ((0xAB, "charge_switch"), (0xAC, "discharge_switch"), (0x9D, "balance_switch")):
        if ident in v:
            setattr(snap, name, bool(_u(v, ident)))
    if ID_WORK_MINUTES in v:
        snap.runtime_s = _u(v, ID_WORK_MINUTES) * 60  # 0xB6 counts minutes
    # a sensor at -65,000 °C or a SOC of 255 % is dropped (model/plausible.py) before
    # anything is derived from it
    snap.drop_implausible()
    # capacity: the measured "actual capacity" (0xB9, fw >= 10.10) when the
    # board has one, else the configured capacity (0xAA); the remaining
    # capacity is derived from SOC as ESPHome does (the frame has none)
    full = _u(v, ID_ACTUAL_AH) or _u(v, ID_CAPACITY)
    if full:
        snap.capacity_full_ah = float(full)
        if snap.soc_pct is not None:
            snap.capacity_remaining_ah = round(full * snap.soc_pct / 100, 3)
    if w.stopped_at is not None:
        snap.extra["jk_unknown_identifier"] = w.stopped_at
    return snap.drop_implausible().derive()


def decode_read_all(frame: bytes) -> ReadAll:
    """A read-all reply (command 0x06, or an active upload) as all it carries."""
    frame = check_frame(frame)
    w = walk(data_of(frame))
    secrets = Secrets(setup_password=_text(w.values.get(ID_PASSWORD)))
    return ReadAll(_snapshot_from(w), _settings_from(w.values), _device_from(w.values), secrets)


def _decode_request(frame: bytes) -> Command:
    command, source = frame[8], frame[9]
    data = data_of(frame)
    ident = data[0] if data else 0
    payload = data[1:]
    cmd = Command(register=ident)
    cmd.extra["function"] = command
    cmd.extra["source"] = source
    if command in COMMAND_NAMES:
        cmd.extra["action"] = COMMAND_NAMES[command]
    if command in (CMD_WRITE, CMD_PAIR) and payload:
        cmd.length = len(payload)
        if ident == ID_PASSWORD:
            cmd.extra["secret"] = True  # a password write: its value is never shown
        elif ident in TEXT_IDS:
            cmd.extra["text"] = _text(payload) or ""
        else:
            spec = BY_ID.get(ident) if command == CMD_WRITE else None
            raw = int.from_bytes(payload, "big", signed=bool(spec and spec.signed))
            cmd.raw_value = raw
            if spec is not None:
                cmd.setting = spec.key
                cmd.value = spec.from_raw(raw)
    return cmd


def _decode_reply(frame: bytes) -> Message:
    command = frame[8]
    if command in (CMD_READ_ALL,) or frame[10] == TYPE_UPLOAD:
        return decode_read_all(frame).snapshot
    data = data_of(frame)
    if command == CMD_READ:
        # a read-one reply (jk.md §7.2): settings identifiers give a partial Settings,
        # device identifiers device info, anything else live data
        w = walk(data)
        if w.values and all(i in BY_ID for i in w.values):
            return _settings_from(w.values, partial=True)
        if w.values and all(i in DEVICE_IDS for i in w.values):
            return _device_from(w.values)
        return _snapshot_from(w)
    # replies to write / pair / activate.  What a board echoes is not captured
    # (jk.md §7.1 only says a reply comes within 5 s): the identifier, and the
    # value when there is one, are read if present.
    ident = data[0] if data else None
    raw = int.from_bytes(data[1:5], "big") if len(data) > 1 and ident != ID_PASSWORD else None
    return Ack(register=ident, raw_value=raw)


def decode(frame: bytes) -> Message:
    frame = check_frame(frame)
    if frame[10] == TYPE_REQUEST:
        return _decode_request(frame)
    return _decode_reply(frame)


def decode_all(frame: bytes) -> list[Message]:
    """Every message in one frame: a read-all reply gives device info, settings
    and live data (in that order); a read-one reply of a setting gives a partial
    Settings (the session merges it, it never replaces the board's whole
    settings), of anything else nothing (a partial snapshot or device info
    would replace the whole); any other frame its one message."""
    frame = check_frame(frame)
    if frame[10] != TYPE_REQUEST and (frame[8] == CMD_READ_ALL or frame[10] == TYPE_UPLOAD):
        r = decode_read_all(frame)
        return [r.device_info, r.settings, r.snapshot]
    if frame[10] != TYPE_REQUEST and frame[8] == CMD_READ:
        message = _decode_reply(frame)
        return [message] if isinstance(message, Settings) else []
    return [decode(frame)]


def redact(frame: bytes) -> bytes:
    """The frame with the 0xB2 password blanked (checksum kept valid), for captures."""
    if frame_problem(frame) is not None:
        return frame
    total = int.from_bytes(frame[2:4], "big") + 2
    buf = bytearray(frame)
    data_end = total - 9
    if buf[10] == TYPE_REQUEST:
        if buf[8] == CMD_WRITE and data_end > 11 and buf[11] == ID_PASSWORD:
            buf[12:data_end] = bytes(data_end - 12)
    else:
        i = 11
        while i < data_end:
            width = WIDTHS.get(buf[i])
            if width is None:
                break
            if width == -1:
                i += 2 + (buf[i + 1] if i + 1 < data_end else 0)
                continue
            if buf[i] == ID_PASSWORD:
                buf[i + 1 : min(i + 1 + width, data_end)] = bytes(min(width, data_end - i - 1))
            i += 1 + width
    buf[total - 2 : total] = checksum(buf[: total - 4]).to_bytes(2, "big")
    return bytes(buf)


# --- the simulator's side: encoding a read-all reply ----------------------------------------------
def build_read_all_reply(
    snap: Snapshot,
    settings: Mapping[str, Any],
    info: DeviceInfo,
    password: str,
    *,
    protocol_version: int = 1,
    record: int = 0,
    working_minutes: int | None = None,
    sensor_count: int = 2,
) -> bytes:
    """What a board answers to a read-all, in the identifier order of the
    captured frames (ESPHome ``esp8266-fake-bms.yaml``).  Simulator use only."""

    def u(ident: int, value: int) -> bytes:
        return bytes([ident]) + int(value).to_bytes(WIDTHS[ident], "big")

    def text(ident: int, value: str | None) -> bytes:
        raw = (value or "").encode("ascii", errors="replace")[: WIDTHS[ident]]
        return bytes([ident]) + raw.ljust(WIDTHS[ident], b"\x00")

    cells = snap.cell_voltages_v
    triplets = b"".join(bytes([n + 1]) + int(round(v * 1000)).to_bytes(2, "big") for n, v in enumerate(cells))
    temps = snap.temperatures_c or []
    status = (
        int(bool(snap.charge_mos_on))
        | int(bool(snap.balancing_active)) << 2
        | int(bool(snap.discharge_mos_on)) << 1
    )
    out = bytes([ID_CELLS, len(triplets)]) + triplets
    out += u(ID_MOS_T, temperature_raw(snap.mos_temperature_c or 0))
    out += u(ID_T1, temperature_raw(temps[0] if temps else 0))
    out += u(ID_T2, temperature_raw(temps[1] if len(temps) > 1 else 0))
    out += u(ID_PACK_V, int(round((snap.pack_voltage_v or 0) * 100)))
    out += u(ID_CURRENT, current_raw(snap.current_a or 0, protocol_version))
    out += u(ID_SOC, int(round(snap.soc_pct or 0)))
    out += u(ID_SENSORS, sensor_count)
    out += u(ID_CYCLES, snap.cycles or 0)
    out += u(ID_CYCLE_AH, int(snap.cycle_capacity_ah or 0))
    out += u(ID_CELL_COUNT, len(cells))
    out += u(ID_WARNINGS, warnings_from_alarms(snap.alarms))
    out += u(ID_STATUS, status)
    for spec in SCHEMA:
        if spec.register in (ID_ACTUAL_AH,):
            continue  # it comes later, in the captured order
        if spec.register == 0xB3:
            out += text(ID_PASSWORD, password)
        if spec.key in settings:
            out += bytes([spec.register]) + encode_value(spec, settings[spec.key])
        else:
            out += bytes([spec.register]) + bytes(spec.width)
    out += text(ID_DEVICE_ID, info.device_name)
    out += text(ID_DATE, wire_date(info.manufacture_date))
    minutes = working_minutes if working_minutes is not None else int((snap.runtime_s or 0) // 60)
    out += u(ID_WORK_MINUTES, minutes)
    out += text(ID_SOFTWARE, info.software_version)
    out += u(0xB8, 0)
    actual = settings.get("jk_actual_capacity_ah", 0)
    out += u(ID_ACTUAL_AH, int(round(actual)))
    out += text(ID_MANUFACTURER, info.manufacturer)
    out += u(ID_PROTOCOL_VERSION, protocol_version)
    return build_frame(CMD_READ_ALL, out, source=SOURCE_BMS, kind=TYPE_REPLY, record=record)


# --- the protocol --------------------------------------------------------------------------------
class Jk4e57Protocol(Protocol):
    """JK's older serial protocol: polled once a second with read-all (jk.md §7)."""

    id = JK_4E57
    name = "JK BMS serial (4E 57, older boards)"
    family = "jk"
    transports = ("serial", "sim")
    default_baud = 115200
    max_cells = 32
    streaming = False
    #: the pair command, then about 100 ms, then the write (jk.md §7.2)
    write_gap_s = 0.1

    def __repr__(self) -> str:
        return f"<Protocol {self.id}>"

    def new_reader(self) -> Jk4e57FrameReader:
        return Jk4e57FrameReader()

    def decode(self, frame: bytes) -> Message:
        return decode(frame)

    def decode_all(self, frame: bytes) -> list[Message]:
        return decode_all(frame)

    def extract_secrets(self, frame: bytes) -> Secrets:
        """The parameter password (0xB2) a read-all reply carries in clear: memory only."""
        try:
            return decode_read_all(frame).secrets
        except DecodeError:
            return Secrets()

    def redact(self, frame: bytes) -> bytes:
        return redact(frame)

    # one read-all answers identification, live data and settings alike
    def identify_requests(self) -> list[bytes]:
        return [build_read_all()]

    def poll_requests(self) -> list[bytes]:
        return [build_read_all()]

    def settings_requests(self) -> list[bytes]:
        return [build_read_all()]

    def wake_requests(self) -> list[bytes]:
        # "send command 0x01 (activation) if the BMS is asleep" (jk.md §7.1)
        return [build_activate()]

    def read_requests(self, key: str) -> list[bytes]:
        return [build_read_one(key)]

    def settings_schema(self) -> list[SettingSpec]:
        return list(SCHEMA)

    def encode_write(self, key: str, value: Any) -> bytes:
        return build_write(key, value)

    def write_requests(self, key: str, value: Any, current: Mapping[str, Any] | None = None) -> list[bytes]:
        """Pair (0x05) first, the write (0x02) ``write_gap_s`` later (jk.md §7.2, §6.6)."""
        frame = build_write(key, value)
        return [build_pair(), frame]


__all__ = [
    "JK_4E57",
    "Jk4e57Protocol",
    "Jk4e57FrameReader",
    "ReadAll",
    "SCHEMA",
    "build_activate",
    "build_frame",
    "build_pair",
    "build_read_all",
    "build_read_one",
    "build_read_all_reply",
    "build_write",
    "check_frame",
    "decode",
    "decode_all",
    "decode_read_all",
    "redact",
]
