"""Daly's field rows: the shared row (``protocols/fields.py``) plus an offset and absent values.

Daly stores most values big-endian with an offset: temperatures as °C + 40,
currents as 0.1 A + 30000 (jbd_daly.md §4.2, §6.3).  A row says where the
value sits and how the wire number relates to the canonical one:

    raw = round(value × scale) + bias        value = (raw − bias) / scale

``offset`` counts bytes in the buffer the row is read from: the 8 data bytes of
an A5 frame, or the data of a Modbus reply, where register r of a block that
starts at s sits at byte 2·(r − s) (``reg`` builds such rows).

The shared ``F`` has no bias, no "absent" wire values and wraps what it
writes; Daly's rows extend it with the first two and refuse, rather than wrap,
a value that does not fit (a limit written to a board must never wrap round).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .. import fields as shared

#: temperatures travel as °C + 40, currents as 0.1 A + 30000 (§4.2, §6.3)
TEMP_BIAS = 40
CURRENT_BIAS = 30000


@dataclass(frozen=True)
class F(shared.F):
    fmt: str = "H"  # struct code: B b H h I i
    order: str = shared.BIG
    bias: int = 0
    #: wire values that mean "not there" (an absent sensor): read as None
    absent: tuple[int, ...] = ()

    def raw(self, buf: bytes | bytearray, base: int = 0) -> int:
        return struct.unpack_from(self.order + self.fmt, buf, self.offset + base)[0]

    def read(self, buf: bytes | bytearray, base: int = 0) -> Any:
        raw = self.raw(buf, base)
        if raw in self.absent:
            return None
        return self.from_raw(raw)

    def from_raw(self, raw: int) -> Any:
        if self.scale == 1:
            return raw - self.bias
        return round((raw - self.bias) / self.scale, 6)

    def to_raw(self, value: Any) -> int:
        raw = int(round(float(value) * self.scale)) + self.bias
        bits = 8 * self.size
        lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if self.fmt.islower() else (0, (1 << bits) - 1)
        if not lo <= raw <= hi:
            raise ValueError(f"{self.name}={value} does not fit the board's {bits}-bit field")
        return raw

    def write(self, buf: bytearray, value: Any, base: int = 0) -> None:
        struct.pack_into(self.order + self.fmt, buf, self.offset + base, self.to_raw(value))


def reg(name: str, register: int, *, scale: float = 1.0, bias: int = 0, absent: tuple[int, ...] = ()) -> F:
    """A u16 register row; read it with ``base = -2 * block_start``."""
    return F(name, 2 * register, "H", scale, bias=bias, absent=absent)


def read_rows(buf: bytes | bytearray, rows: Iterable[F], base: int = 0) -> dict[str, Any]:
    """Every row that lies inside ``buf``; rows past its end are left out."""
    out: dict[str, Any] = {}
    for row in rows:
        if 0 <= row.offset + base and row.offset + base + row.size <= len(buf):
            out[row.name] = row.read(buf, base)
    return out


def text(data: bytes) -> str:
    """ASCII up to the first NUL, trimmed; None-like padding (0xFF) dropped."""
    raw = data.split(b"\x00", 1)[0].replace(b"\xff", b"")
    return raw.decode("ascii", "replace").strip()
