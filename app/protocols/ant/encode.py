"""ANT 2021 request builders and board replies (../shared/protocols/ant_xiaomi.md §2).

Host side: every read and write the research documents.  Board side (the simulator's,
and the tests' round trips): the status reply built from the same field table the
decoder reads, settings/ack replies with the captured 6-byte record.
"""

from __future__ import annotations

from typing import Any

from . import decode as dec
from . import layout as lay
from .framing import frame_2021

# --- host requests ----------------------------------------------------------------------------


def request(func: int, address: int, length: int) -> bytes:
    """A 10-byte request: no data, LEN = the count asked for (§2.1)."""
    return frame_2021(func, address, length)


def status_request() -> bytes:
    """``7E A1 01 00 00 BE 18 55 AA 55``: what the vendor app polls with (§2.1, §4.1)."""
    return request(dec.STATUS, 0, dec.STATUS_LENGTH)


def device_info_request() -> bytes:
    return request(dec.READ, dec.DEVICE_INFO_ADDRESS, dec.DEVICE_INFO_LENGTH)


def read_settings(address: int, length: int) -> bytes:
    """Func 0x02: ``length`` bytes of the settings memory from byte ``address`` (§2.7)."""
    return request(dec.READ, address, length)


def identity_request() -> bytes:
    return request(dec.IDENTITY, 0, dec.IDENTITY_LENGTH)


def system_info_request() -> bytes:
    return request(dec.SYSTEM_INFO, 0, dec.SYSTEM_INFO_LENGTH)


def write_settings(address: int, data: bytes) -> bytes:
    """Func 0x22: the value bytes, little-endian, at ``address`` (§2.7)."""
    return frame_2021(dec.WRITE, address, len(data), data)


def control(code: int) -> bytes:
    """Func 0x51, ADDR = the code, LEN 0 (§2.8)."""
    return request(dec.CONTROL, code, 0)


def save_settings() -> bytes:
    """``7E A1 51 07 00 00 38 E4 AA 55``: store the writes in flash (§2.7)."""
    return control(dec.SAVE_CODE)


def password(level: int, text: str) -> bytes:
    """Func 0x23: the ASCII password to the slot of ``level`` (§2.9)."""
    if level not in dec.PASSWORD_SLOTS:
        raise ValueError(f"ANT password levels are 1..5, not {level}")
    data = text.encode("ascii")
    if not 1 <= len(data) <= (16 if level == 5 else 8):
        raise ValueError("an ANT password has 1 to 8 characters (the level-5 key up to 16)")
    return frame_2021(dec.AUTH, dec.PASSWORD_SLOTS[level], len(data), data)


# --- board replies ---------------------------------------------------------------------------


def reply(func: int, address: int, data: bytes) -> bytes:
    """A board reply; 0x12 and 0x42 get the 6-byte record the captures show."""
    return frame_2021(func, address, len(data), data)


def ack(request_frame: bytes, value: int = 1) -> bytes:
    """What the board answers a 0x51 / 0x23 (``value`` 2 bytes) or 0x22 (the echo)."""
    func, address = request_frame[2], int.from_bytes(request_frame[3:5], "little")
    if func == dec.WRITE:
        n = request_frame[5]
        return reply(dec.WRITE + 0x20, address, request_frame[6 : 6 + n])
    return reply(func + dec.REPLY_OFFSET[func], address, value.to_bytes(2, "little"))


def status_reply(values: dict[str, Any]) -> bytes:
    """A 0x11 status reply from ``decode.status_values``' names (the inverse of it)."""
    cells: list[int] = list(values["cell_mv"])
    temps: list[int] = list(values["temperatures"])
    o = lay.tail_offset_2021(len(cells), len(temps))
    extended = all(row.name in values for row in lay.OPTIONAL_2021)
    end = o + (lay.OPTIONAL_2021_LEN if extended else lay.TAIL_2021_LEN)
    buf = bytearray(end)
    lay.write_all(buf, lay.HEAD_2021, dict(values, cell_count=len(cells), temperature_count=len(temps)))
    for i, mv in enumerate(cells):
        at = lay.CELLS_2021 + 2 * i
        buf[at : at + 2] = int(mv).to_bytes(2, "little")
    for j, t in enumerate(temps):
        at = lay.CELLS_2021 + 2 * len(cells) + 2 * j
        buf[at : at + 2] = int(t).to_bytes(2, "little", signed=True)
    lay.write_all(buf, lay.TAIL_2021 + (lay.OPTIONAL_2021 if extended else ()), values, o)
    return reply(dec.STATUS + 0x10, 0, bytes(buf[6:]))


def device_info_reply(hardware: str, software: str) -> bytes:
    buf = bytearray(6 + dec.DEVICE_INFO_LENGTH)
    for (_name, off, ln), text in zip(lay.DEVICE_STRINGS_2021, (hardware, software), strict=False):
        lay.write_string(buf, off, ln, text)
    return reply(dec.READ + 0x10, dec.DEVICE_INFO_ADDRESS, bytes(buf[6:]))
