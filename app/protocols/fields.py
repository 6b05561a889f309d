"""Field tables for live decoders: one row decodes and encodes (design.md).

A row names a value, where it sits (a byte offset, counted from a base the
caller gives: the frame's first byte for JK, the data's first byte for JBD),
its ``struct`` code and byte order, and a scale (``raw = value * scale``).
The decoder reads captured frames with the rows and the simulator writes
frames with the same rows, so the two can never drift apart.

Names of raw rows carry their wire unit (``pack_mv``, ``current_10ma``): the
family's decoder turns them into the vocabulary's names and units.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

LITTLE = "<"
BIG = ">"


@dataclass(frozen=True)
class F:
    """One field: ``name`` at ``offset``, struct code ``fmt`` (B b H h I i f), ``order``."""

    name: str
    offset: int
    fmt: str
    scale: float = 1.0  # raw = value * scale
    order: str = LITTLE

    @property
    def size(self) -> int:
        return struct.calcsize(self.fmt)

    def read(self, buf: bytes | bytearray, base: int = 0) -> Any:
        raw = struct.unpack_from(self.order + self.fmt, buf, base + self.offset)[0]
        if self.scale == 1.0:
            return raw
        return raw / self.scale

    def write(self, buf: bytearray, value: Any, base: int = 0) -> None:
        """Store ``value``; integers wrap to the field's width (two's complement)."""
        raw = value * self.scale if self.scale != 1.0 else value
        fmt = self.fmt
        if fmt != "f":
            raw = int(round(raw)) & ((1 << (8 * self.size)) - 1)
            fmt = fmt.upper()
        struct.pack_into(self.order + fmt, buf, base + self.offset, raw)

    def read_many(self, buf: bytes | bytearray, count: int, base: int = 0) -> list[Any]:
        """``count`` values of this field's type packed one after the other."""
        return [self.read(buf, base + i * self.size) for i in range(count)]

    def write_many(self, buf: bytearray, values: Iterable[Any], base: int = 0) -> None:
        for i, value in enumerate(values):
            self.write(buf, value, base + i * self.size)


def read_all(buf: bytes | bytearray, rows: Iterable[F], base: int = 0) -> dict[str, Any]:
    return {row.name: row.read(buf, base) for row in rows}


def write_all(buf: bytearray, rows: Iterable[F], values: Mapping[str, Any], base: int = 0) -> None:
    """Every row whose name ``values`` has; other bytes stay as they are."""
    for row in rows:
        if row.name in values:
            row.write(buf, values[row.name], base)


def span(rows: Iterable[F]) -> int:
    """The bytes a table covers, from offset 0 to the end of its last field."""
    return max((row.offset + row.size for row in rows), default=0)


__all__ = ["BIG", "LITTLE", "F", "read_all", "span", "write_all"]
