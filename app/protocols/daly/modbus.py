"""Daly's Modbus frames (D2 and P81): building and parsing, no meaning yet (jbd_daly.md §6.1).

- D2: slave 0xD2 both ways; P81: requests start 0x81, replies 0x51 (§6.5).
- Function 0x03 read, 0x06 write one (the reply is an echo), 0x10 write several
  **without the byte-count byte** of standard Modbus (the vendor example and a
  real RTC write, ``d2 10 00 d4 00 03 18 0b 07 09 34 1c f7 d8``); its reply is
  ``<start> 10 <reg> <count> <crc>``.
- CRC-16/MODBUS, low byte first; data words big-endian.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..base import DecodeError
from ..checksums import crc16_modbus
from ..checksums import modbus_crc_ok as crc_ok
from . import framing as fr

D2 = "d2"
P81 = "p81"
#: variant -> (request start byte, reply start byte)
STARTS = {D2: (fr.D2, fr.D2), P81: (fr.P81_REQUEST, fr.P81_REPLY)}

EXCEPTION_NAMES = {
    1: "illegal function",
    2: "illegal data address",
    3: "illegal data value",
    4: "server device failure",
    6: "server busy",
}


def _with_crc(body: bytes) -> bytes:
    return body + crc16_modbus(body).to_bytes(2, "little")  # low byte first (§6.1)


def _u16(value: int) -> bytes:
    if not 0 <= value <= 0xFFFF:
        raise ValueError(f"{value} does not fit a 16-bit register")
    return value.to_bytes(2, "big")


def build_read(start: int, count: int, variant: str = D2) -> bytes:
    """``D2 03 00 00 00 3E D7 B9``: read ``count`` registers from ``start``."""
    if not 1 <= count <= fr.MAX_REGISTERS:
        raise ValueError(f"a read takes 1 to {fr.MAX_REGISTERS} registers, not {count}")
    return _with_crc(bytes([STARTS[variant][0], fr.FC_READ]) + _u16(start) + _u16(count))


def build_write_one(register: int, value: int, variant: str = D2) -> bytes:
    """``D2 06 <reg> <value> <crc>`` (the board echoes it)."""
    return _with_crc(bytes([STARTS[variant][0], fr.FC_WRITE_ONE]) + _u16(register) + _u16(value))


def build_write(register: int, words: list[int] | tuple[int, ...], variant: str = D2) -> bytes:
    """``D2 10 <reg> <count> <data>`` with no byte-count byte (§6.1)."""
    if not 1 <= len(words) <= fr.MAX_REGISTERS:
        raise ValueError(f"a write takes 1 to {fr.MAX_REGISTERS} registers")
    data = b"".join(_u16(w) for w in words)
    return _with_crc(bytes([STARTS[variant][0], fr.FC_WRITE]) + _u16(register) + _u16(len(words)) + data)


def build_reply(words: list[int] | tuple[int, ...], variant: str = D2) -> bytes:
    """A read reply (simulators and tests)."""
    data = b"".join(_u16(w) for w in words)
    return _with_crc(bytes([STARTS[variant][1], fr.FC_READ, len(data)]) + data)


def build_write_ack(register: int, count: int, variant: str = D2) -> bytes:
    """The reply to an FC 0x10 write (simulators and tests)."""
    return _with_crc(bytes([STARTS[variant][1], fr.FC_WRITE]) + _u16(register) + _u16(count))


def build_exception(function: int, code: int, variant: str = D2) -> bytes:
    return _with_crc(bytes([STARTS[variant][1], function | 0x80, code]))


@dataclass(frozen=True)
class ModbusFrame:
    """One Modbus frame, field by field."""

    variant: str  # "d2" | "p81"
    request: bool  # from the host (a D2 FC06 echo looks the same: see decode_all)
    function: int
    register: int | None = None
    count: int | None = None
    words: tuple[int, ...] = ()  # what a write carries, or what a read reply returns
    exception: int | None = None
    crc_ok: bool = True

    @property
    def data(self) -> bytes:
        return b"".join(w.to_bytes(2, "big") for w in self.words)


def problem(frame: bytes) -> str:
    """Why ``frame`` is not one good Daly Modbus frame, in words."""
    if not frame:
        return "empty frame"
    if frame[0] not in fr.MODBUS_STARTS:
        return (
            f"not a Daly Modbus frame: starts {frame[0]:#04x} (D2 frames start 0xD2, P81 "
            "requests 0x81 and replies 0x51)"
        )
    if len(frame) < 4:
        return f"truncated frame: {len(frame)} bytes"
    state, length, _tag = fr.modbus_shape(frame, 0)
    if state == "wait":
        return f"truncated frame: {len(frame)} bytes, function {frame[1]:#04x} needs more"
    if state == "frame" and length < len(frame):
        return f"{len(frame) - length} byte(s) after the end of the frame"
    fc = frame[1] & 0x7F
    if fc not in fr.FUNCTIONS:
        return f"function {frame[1]:#04x} is not one Daly uses (0x03, 0x06, 0x10)"
    if fc == fr.FC_READ and len(frame) > 8 and frame[2] % 2:
        return f"byte count {frame[2]} is odd: a register reply carries whole registers"
    got, want = frame[-2] | frame[-1] << 8, crc16_modbus(frame[:-2])
    if got != want:
        return f"CRC mismatch: frame ends 0x{got:04X}, the CRC is 0x{want:04X}"
    return f"not a Daly Modbus frame: {len(frame)} bytes do not fit function {frame[1]:#04x}"


def parse(frame: bytes) -> ModbusFrame:
    """The frame's fields; DecodeError in words when it is not one good frame."""
    state, length, tag = (
        fr.modbus_shape(frame, 0) if frame and frame[0] in fr.MODBUS_STARTS else ("no", 0, None)
    )
    if state != "frame" or length != len(frame):
        raise DecodeError(problem(frame))
    start, fc = frame[0], frame[1]
    variant = P81 if start in (fr.P81_REQUEST, fr.P81_REPLY) else D2
    checked = tag != fr.UNCHECKED_ECHO
    if fc & 0x80:
        return ModbusFrame(variant, False, fc, exception=frame[2])
    is_reply = start == fr.P81_REPLY or (start == fr.D2 and fc == fr.FC_READ and length != 8)
    if fc == fr.FC_READ and is_reply:
        data = frame[3:-2]
        return ModbusFrame(
            variant,
            False,
            fc,
            count=len(data) // 2,
            words=tuple(data[i] << 8 | data[i + 1] for i in range(0, len(data), 2)),
        )
    register = frame[2] << 8 | frame[3]
    if fc == fr.FC_WRITE_ONE:
        return ModbusFrame(
            variant, start != fr.P81_REPLY, fc, register, 1, (frame[4] << 8 | frame[5],), crc_ok=checked
        )
    count = frame[4] << 8 | frame[5]
    if fc == fr.FC_WRITE and length > 8:
        words = tuple(frame[6 + 2 * i] << 8 | frame[7 + 2 * i] for i in range(count))
        return ModbusFrame(variant, True, fc, register, count, words)
    # an FC03 request, or the 8-byte reply to an FC10 write
    return ModbusFrame(variant, fc == fr.FC_READ, fc, register, count)


def looks_modbus(frame: bytes) -> bool:
    return bool(frame) and frame[0] in fr.MODBUS_STARTS and crc_ok(frame)
