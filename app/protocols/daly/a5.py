"""Daly "A5" frames -> model messages, and the frames a host sends (jbd_daly.md §4–§5).

Every frame is 13 bytes: ``A5 <address> <data id> 08 <8 data bytes> <sum8>``.
The board answers from address 0x01; a host uses 0x40 (RS485 port) or 0x80
(UART / Bluetooth port), §4.1.  Values are big-endian.

One reply frame decodes alone (``decode_frame``).  The multi-frame replies
(0x95 cells, 0x96 temperatures, 0x57 battery code, 0x62/0x63 versions) carry a
frame number in data byte 0; a run of such frames concatenated, as the research
corpus stores them, decodes as one message (``decode_group``), and
``Assembler`` builds the same from frames arriving one at a time (the poll
script's collector).  Frame numbers are 1-based on every real capture, 0-based
in the documents (§8 #15): both are accepted.
"""

from __future__ import annotations

import math
from typing import Any

from ...model import Ack, Command, DeviceInfo, Message, RegisterValue, Settings, Snapshot
from ..base import DecodeError
from ..checksums import sum8
from . import faults
from . import framing as fr
from .fields import CURRENT_BIAS, TEMP_BIAS, F, read_rows, text

# data ids (§4.2, §4.3, §5)
SOC_VOLTAGE_CURRENT = 0x90
CELL_MINMAX = 0x91
TEMP_MINMAX = 0x92
MOS_STATUS = 0x93
STATUS_INFO = 0x94
CELL_VOLTAGES = 0x95
TEMPERATURES = 0x96
BALANCE = 0x97
FAULTS = 0x98
DISCHARGE_MOS = 0xD9
CHARGE_MOS = 0xDA
SET_SOC_RTC = 0x21
RESET = 0x00
UNKNOWN_D8 = 0xD8
BATTERY_CODE = 0x57
FIRMWARE_INDEX = 0x54
BATTERY_INFO = 0x53
RTC = 0x61
SOFTWARE_VERSION = 0x62
HARDWARE_VERSION = 0x63

LIVE_IDS = (
    SOC_VOLTAGE_CURRENT,
    CELL_MINMAX,
    TEMP_MINMAX,
    MOS_STATUS,
    STATUS_INFO,
    CELL_VOLTAGES,
    TEMPERATURES,
    BALANCE,
    FAULTS,
)
#: multi-frame replies: data id -> values per frame
MULTI_FRAME = {CELL_VOLTAGES: 3, TEMPERATURES: 7, BATTERY_CODE: 7, SOFTWARE_VERSION: 7, HARDWARE_VERSION: 7}
#: at most this many frames answer one request (48 cells / 3; 16 probes / 7; §4.2, §5)
MAX_FRAMES = {CELL_VOLTAGES: 16, TEMPERATURES: 3, BATTERY_CODE: 5, SOFTWARE_VERSION: 2, HARDWARE_VERSION: 2}

ADDRESS_RS485 = 0x40
ADDRESS_UART = 0x80  # also Bluetooth (§4.1, python-daly-bms "8 for UART/Bluetooth")

STATES = {0: "idle", 1: "charging", 2: "discharging"}

#: live rows per data id, on the 8 data bytes (§4.2).  ``*_raw`` rows are turned
#: into canonical values in ``_live``.
LIVE_ROWS: dict[int, tuple[F, ...]] = {
    SOC_VOLTAGE_CURRENT: (
        F("pack_voltage_v", 0, "H", 10),
        F("daly_gathered_voltage_v", 2, "H", 10),
        F("current_raw", 4, "H"),
        F("soc_pct", 6, "H", 10),
    ),
    CELL_MINMAX: (
        F("cell_max_v", 0, "H", 1000),
        F("cell_max_index", 2, "B"),
        F("cell_min_v", 3, "H", 1000),
        F("cell_min_index", 5, "B"),
    ),
    TEMP_MINMAX: (
        F("daly_temperature_max_c", 0, "B", bias=TEMP_BIAS),
        F("daly_temperature_max_sensor", 1, "B"),
        F("daly_temperature_min_c", 2, "B", bias=TEMP_BIAS),
        F("daly_temperature_min_sensor", 3, "B"),
    ),
    # byte 3 is a 0–255 heartbeat ("BMS life"), not cycles (§4.2)
    MOS_STATUS: (
        F("state_raw", 0, "B"),
        F("charge_mos_raw", 1, "B"),
        F("discharge_mos_raw", 2, "B"),
        F("daly_life", 3, "B"),
        F("capacity_remaining_ah", 4, "I", 1000),
    ),
    # bytes 5–6: cycles per V1.0 and every driver; V1.2 calls them reserved (§8 #16).
    # batmon's payload states 53 cycles for these bytes: decided for cycles.
    STATUS_INFO: (
        F("cell_count", 0, "B"),
        F("daly_ntc_count", 1, "B"),
        F("charger_raw", 2, "B"),
        F("load_raw", 3, "B"),
        F("daly_io_bits", 4, "B"),
        F("cycles", 5, "H"),
    ),
}

#: a field every single-frame reply of that id carries (the poll script's answer
#: test: a reply names no request, so its content tells which one it answers)
SIGNATURE = {
    SOC_VOLTAGE_CURRENT: "daly_gathered_voltage_v",
    CELL_MINMAX: "cell_max_index",
    TEMP_MINMAX: "daly_temperature_max_sensor",
    MOS_STATUS: "daly_life",
    STATUS_INFO: "daly_ntc_count",
    BALANCE: "daly_balance_bits",
    FAULTS: "daly_fault_bits",
}


# --- frames ----------------------------------------------------------------------------------
def _frame(address: int, data_id: int, data: bytes) -> bytes:
    if len(data) > 8:
        raise ValueError("an A5 frame carries 8 data bytes")
    body = bytes([fr.A5_START, address, data_id, fr.A5_DATA_LENGTH]) + bytes(data).ljust(8, b"\x00")
    return body + bytes([sum8(body)])


def request(data_id: int, data: bytes = b"", address: int = ADDRESS_UART) -> bytes:
    """A host frame, e.g. ``A5 40 90 08 00… 7D`` (reads carry zeros)."""
    if address not in fr.A5_ADDRESSES or address == fr.A5_BOARD:
        raise ValueError(f"{address:#04x} is not an A5 host address (0x40 RS485, 0x80 UART/BT)")
    return _frame(address, data_id, data)


def response(data_id: int, data: bytes) -> bytes:
    """A board frame (simulators, tests, wrapping payload-only captures)."""
    return _frame(fr.A5_BOARD, data_id, data)


def check(frame: bytes) -> str | None:
    """Why ``frame`` is not one good A5 frame, in words (None: it is)."""
    if not frame or frame[0] != fr.A5_START:
        return "not a Daly A5 frame (no A5 start byte)"
    if len(frame) < fr.A5_LENGTH:
        return f"truncated frame: {len(frame)} bytes, an A5 frame has 13"
    if len(frame) > fr.A5_LENGTH:
        return f"{len(frame) - fr.A5_LENGTH} byte(s) after the end of the frame"
    if frame[3] != fr.A5_DATA_LENGTH:
        return f"bad length byte {frame[3]:#04x} (A5 frames carry 0x08)"
    if frame[1] not in fr.A5_ADDRESSES:
        return f"address {frame[1]:#04x} is neither the board (0x01) nor a host"
    if sum8(frame[:12]) != frame[12]:
        return f"checksum mismatch: frame ends {frame[12]:#04x}, the sum is {sum8(frame[:12]):#04x}"
    return None


def split(frame: bytes) -> list[bytes]:
    """A frame or a run of concatenated frames -> checked 13-byte frames."""
    if len(frame) > fr.A5_LENGTH and len(frame) % fr.A5_LENGTH == 0:
        parts = [frame[i : i + fr.A5_LENGTH] for i in range(0, len(frame), fr.A5_LENGTH)]
    else:
        parts = [frame]
    for n, part in enumerate(parts):
        why = check(part)
        if why:
            raise DecodeError(why if len(parts) == 1 else f"frame {n + 1} of the group: {why}")
    return parts


# --- live data -------------------------------------------------------------------------------
def signed_current(raw: int, invert: bool = False) -> float:
    """0.1 A with offset 30000; on A5 boards **above the offset is discharge**: a real
    capture pairs state 2 (discharging) with 30021 (mpp-solar, §4.2, §8 #17), as does
    python-daly-bms.  ``invert``: the per-device override for boards that differ."""
    amps = round((raw - CURRENT_BIAS) / 10, 1)
    amps = amps if invert else -amps
    return amps + 0.0  # no -0.0


def _live(data_id: int, data: bytes, invert: bool) -> Snapshot:
    values = read_rows(data, LIVE_ROWS[data_id])
    snap = Snapshot(partial=True)
    extra: dict[str, Any] = {}
    for key, value in values.items():
        if key == "current_raw":
            snap.current_a = signed_current(value, invert)
            extra["daly_current_raw"] = value
        elif key == "state_raw":
            extra["daly_state"] = STATES.get(value, f"unknown ({value})")
        elif key in ("charge_mos_raw", "discharge_mos_raw"):
            setattr(snap, key.replace("_raw", "_on"), bool(value))
        elif key in ("charger_raw", "load_raw"):
            extra[f"daly_{key.replace('_raw', '')}_connected"] = bool(value)
        elif key.startswith("daly_"):
            extra[key] = float(value) if key.endswith("_c") else value
        else:
            setattr(snap, key, value)
    snap.extra = extra
    return snap


def balancing_cells(data: bytes) -> list[int]:
    """0x97 balance bits -> 1-based cells.  Three implementations disagree (§8 #18): the
    vendor's V1.2 ("bit 0 = cell 1") and Daly2MQTT read byte 0 bit 0 as cell 1, byte 1
    bit 0 as cell 9; that is what this follows.  The raw bytes stay in
    ``daly_balance_bits`` so a board that differs can be seen."""
    bits = int.from_bytes(bytes(data[:6]), "little")  # 48 cells at most
    return [n + 1 for n in range(48) if bits >> n & 1]


def _balance(data: bytes) -> Snapshot:
    cells = balancing_cells(data)
    return Snapshot(
        partial=True,
        balancing_cells=cells,
        balancing_active=bool(cells),
        extra={"daly_balance_bits": bytes(data).hex()},
    )


def _faults(data: bytes) -> Snapshot:
    bits = faults.fault_bits(data[: faults.FAULT_BYTES])
    return Snapshot(
        partial=True,
        alarms=faults.alarms_of(bits),
        extra={"daly_fault_bits": bits, "daly_faults": faults.fault_names(bits), "daly_fault_code": data[7]},
    )


def reconcile_current(snap: Snapshot) -> Snapshot:
    """The issue's rule for the current sign (§8 #17): the state register wins.

    When the board says charging (or discharging) and the current's sign says the
    opposite, the sign is flipped and ``daly_current_sign_disagrees`` is set, so the
    session can say so once in the log."""
    state = snap.extra.get("daly_state")
    amps = snap.current_a
    if amps and (state == "charging" and amps < 0 or state == "discharging" and amps > 0):
        snap.current_a = -amps
        snap.extra["daly_current_sign_disagrees"] = True
        if snap.power_w is not None:
            snap.power_w = -snap.power_w
    return snap


# --- multi-frame replies -----------------------------------------------------------------
def _u16s(chunk: bytes) -> list[int]:
    return [chunk[i] << 8 | chunk[i + 1] for i in range(0, len(chunk) - 1, 2)]


#: where a single multi-frame reply's values go in ``RegisterValue.extra``
FRAME_KEYS = {
    CELL_VOLTAGES: "daly_cell_voltages_v",
    TEMPERATURES: "daly_temperatures_c",
    BATTERY_CODE: "daly_text",
    SOFTWARE_VERSION: "daly_text",
    HARDWARE_VERSION: "daly_text",
}


def frame_values(data_id: int, data: bytes) -> list[Any]:
    """The values one multi-frame reply carries (after its frame number)."""
    if data_id == CELL_VOLTAGES:
        return [round(mv / 1000, 3) for mv in _u16s(data[1:7])]
    if data_id == TEMPERATURES:
        return [b - TEMP_BIAS for b in data[1:8]]
    return [bytes(data[1:8]).decode("latin-1")]


class Assembler:
    """Collects the frames of one multi-frame reply, by frame number.

    ``expected``: how many frames complete it (cells / 3 rounded up; None: the most
    there can be).  Over Bluetooth the board sends all 16 cell frames whatever the
    pack (python-daly-bms, the mpp-solar capture): frames past ``expected`` are ignored.
    """

    def __init__(self, data_id: int, expected: int | None = None) -> None:
        self.data_id = data_id
        self.expected = min(expected or MAX_FRAMES[data_id], MAX_FRAMES[data_id])
        self.frames: dict[int, list[Any]] = {}

    def add(self, number: int, values: list[Any]) -> bool:
        """Keep one frame's values; True once every expected frame is there."""
        if len(self.frames) < MAX_FRAMES[self.data_id] + 1:
            self.frames.setdefault(number, list(values))
        return self.complete

    def add_message(self, message: Message) -> bool:
        """``add`` for a decoded single frame (``RegisterValue`` of this data id)."""
        if isinstance(message, RegisterValue) and message.register == self.data_id:
            number = message.extra.get("daly_frame")
            values = message.extra.get(FRAME_KEYS[self.data_id])
            if isinstance(number, int) and isinstance(values, list):
                self.add(number, values)
        return self.complete

    @property
    def base(self) -> int:
        return 0 if 0 in self.frames else 1

    @property
    def complete(self) -> bool:
        return all(n + self.base in self.frames for n in range(self.expected))

    def values(self) -> list[Any] | None:
        """Values in order, for the expected frames; None when one is missing."""
        out: list[Any] = []
        for n in range(self.expected):
            values = self.frames.get(n + self.base)
            if values is None:
                return None
            out += values
        return out


def cells_from(values: list[float], count: int | None) -> list[float]:
    """Slots -> cells.  Unused slots may hold stale data (the tanoshimini sniff: 14 cells,
    slot 15 reads 3.780 V), so the cell count from 0x94 cuts them; without it, trailing
    zero slots are dropped and the rest kept."""
    if count is not None:
        return values[:count]
    while values and not values[-1]:
        values = values[:-1]
    return values


def temperatures_from(values: list[int], count: int | None) -> list[float]:
    """Probe slots -> probes (count from 0x94; without it, trailing raw-0 slots are absent)."""
    if count is not None:
        return [float(v) for v in values[:count]]
    while values and values[-1] == -TEMP_BIAS:
        values = values[:-1]
    return [float(v) for v in values]


def group_message(asm: Assembler, cell_count: int | None = None, ntc_count: int | None = None) -> Message:
    values = asm.values()
    if values is None:
        raise DecodeError(
            f"frames missing from the {asm.data_id:#04x} reply: got "
            f"{sorted(asm.frames)}, expected {asm.expected}"
        )
    if asm.data_id == CELL_VOLTAGES:
        cells = cells_from(values, cell_count)
        return Snapshot(partial=True, cell_voltages_v=cells).drop_implausible()
    if asm.data_id == TEMPERATURES:
        return Snapshot(partial=True, temperatures_c=temperatures_from(values, ntc_count)).drop_implausible()
    txt = text("".join(values).encode("latin-1"))
    if asm.data_id == SOFTWARE_VERSION:
        return DeviceInfo(software_version=txt or None, partial=True)
    if asm.data_id == HARDWARE_VERSION:
        return DeviceInfo(hardware_version=txt or None, partial=True)
    return DeviceInfo(partial=True, extra={"daly_battery_code": txt})


def decode_group(frames: list[bytes], cell_count: int | None = None, ntc_count: int | None = None) -> Message:
    ids = {f[2] for f in frames}
    if len(ids) != 1 or any(f[1] != fr.A5_BOARD for f in frames):
        raise DecodeError(
            "a run of A5 frames decodes as one reply only when every frame is "
            "the board's answer with one data id"
        )
    data_id = ids.pop()
    if data_id not in MULTI_FRAME:
        raise DecodeError(f"data id {data_id:#04x} is answered by one frame, not {len(frames)}")
    numbers = [f[4] for f in frames]
    asm = Assembler(data_id, expected=len(frames))
    for f in frames:
        asm.add(f[4], frame_values(data_id, f[4:12]))
    if len(set(numbers)) != len(numbers) or not asm.complete:
        raise DecodeError(f"frame numbers {numbers} are not one run (1-based, or 0-based)")
    return group_message(asm, cell_count, ntc_count)


def count_frames(data_id: int, count: int | None) -> int | None:
    """Frames that complete a multi-frame reply for ``count`` cells or probes."""
    if count is None:
        return None
    if data_id == TEMPERATURES:
        return max(1, math.ceil(count / 7))
    return max(1, math.ceil(count / 3))


# --- one frame ---------------------------------------------------------------------------------
def rtc_text(b: bytes) -> str:
    """YY MM DD hh mm ss (YY = year − 2000, §4.3) -> ``2022-12-13 21:29:39``."""
    return f"{2000 + b[0]:04d}-{b[1]:02d}-{b[2]:02d} {b[3]:02d}:{b[4]:02d}:{b[5]:02d}"


def _settings_reply(data_id: int, data: bytes) -> Message:
    from . import schema

    settings = Settings(schema.decode_a5(data_id, data), protocol="daly_a5", partial=True)
    return settings


def _device_reply(data_id: int, data: bytes) -> Message | None:
    if data_id == FIRMWARE_INDEX:  # 8 ASCII, e.g. "20220810" (§5)
        return DeviceInfo(partial=True, extra={"daly_firmware_index": text(data)})
    if data_id == BATTERY_INFO:  # production date YY MM DD in bytes 2–4 (§5)
        y, m, d = data[2], data[3], data[4]
        if 1 <= m <= 12 and 1 <= d <= 31:
            return DeviceInfo(partial=True, manufacture_date=f"{2000 + y:04d}-{m:02d}-{d:02d}")
    return None


def decode_response(frame: bytes, invert_current: bool = False) -> Message:
    data_id, data = frame[2], frame[4:12]
    if data_id in LIVE_ROWS:
        return _live(data_id, data, invert_current).drop_implausible()
    if data_id == BALANCE:
        return _balance(data)
    if data_id == FAULTS:
        return _faults(data)
    if data_id in MULTI_FRAME:
        # one part of a multi-frame reply: its frame number and values (Assembler)
        return RegisterValue(
            data_id, None, {}, {"daly_frame": data[0], FRAME_KEYS[data_id]: frame_values(data_id, data)}
        )
    if data_id in (DISCHARGE_MOS, CHARGE_MOS):
        # byte 0 echoes the state asked for; bytes 1–7 are stale buffer content (§4.3)
        return Ack(register=data_id, raw_value=data[0], ok=True)
    if data_id in (SET_SOC_RTC, RESET):
        return Ack(register=data_id, ok=True)
    if data_id == RTC:
        return RegisterValue(RTC, None, {}, {"daly_rtc": rtc_text(data)})
    if 0x50 <= data_id <= 0x60 and data_id not in (FIRMWARE_INDEX, BATTERY_CODE):
        return _settings_reply(data_id, data)
    device = _device_reply(data_id, data)
    if device is not None:
        return device
    # 0xD8: the PC software's end-of-cycle request, reply all zero, meaning unknown (§4.3)
    return RegisterValue(data_id, None, {}, {"daly_data": bytes(data).hex()})


SWITCH_COMMANDS = {DISCHARGE_MOS: "discharge_switch", CHARGE_MOS: "charge_switch"}


def decode_request(frame: bytes) -> Command:
    """A host frame (a sniffed session): reads name their data id, writes their value."""
    address, data_id, data = frame[1], frame[2], frame[4:12]
    extra: dict[str, Any] = {"daly_host_address": address}
    cmd = Command(register=data_id, length=8, extra=extra)
    if data_id in SWITCH_COMMANDS:
        extra["operation"] = "write"
        cmd.raw_value, cmd.setting, cmd.value = data[0], SWITCH_COMMANDS[data_id], bool(data[0])
    elif data_id == SET_SOC_RTC:
        # bytes 0–5 YY MM DD hh mm ss, bytes 6–7 SOC × 10 (§4.3, the forum's capture)
        extra.update(operation="write", daly_rtc=rtc_text(data), daly_rtc_bytes=list(data[:6]))
        cmd.raw_value = data[6] << 8 | data[7]
        cmd.setting, cmd.value = "daly_soc_set_pct", cmd.raw_value / 10
    elif data_id == RESET:
        extra.update(operation="write", meaning="reset the board")
    else:
        extra["operation"] = "read"
    return cmd


def decode_frame(frame: bytes, invert_current: bool = False) -> Message:
    """One A5 frame, or a run of one multi-frame reply; DecodeError with the reason."""
    parts = split(frame)
    if len(parts) > 1:
        return decode_group(parts)
    if parts[0][1] != fr.A5_BOARD:
        return decode_request(parts[0])
    return decode_response(parts[0], invert_current)


def decode_all(frame: bytes, invert_current: bool = False) -> list[Message]:
    """0x53 carries settings and the production date at once."""
    message = decode_frame(frame, invert_current)
    if isinstance(message, Settings) and frame[2] == BATTERY_INFO and len(frame) == fr.A5_LENGTH:
        device = _device_reply(BATTERY_INFO, frame[4:12])
        return [message] + ([device] if device else [])
    return [message]


def merge(parts: list[Message]) -> Snapshot:
    """The replies of one poll cycle as one complete snapshot (current sign reconciled)."""
    from dataclasses import fields

    out = Snapshot()
    for part in parts:
        if not isinstance(part, Snapshot):
            continue
        for f in fields(part):
            value = getattr(part, f.name)
            if f.name in ("extra", "implausible"):
                getattr(out, f.name).update(value)
            elif f.name == "alarms":
                out.alarms = sorted(set(out.alarms) | set(value))
            elif (
                f.name != "partial" and value is not None and (value != [] or getattr(out, f.name) is None)
            ):  # "no cell balancing" counts
                setattr(out, f.name, value)
    return reconcile_current(out)
