"""The one checksum of the Xiaomi / Ninebot scooter bus (ant_xiaomi.md §3.2, §3.3).

Both framings (``55 AA`` and ``5A A5``) end in the 16-bit sum of every byte from
the length byte to the end of the data, XOR 0xFFFF, sent little-endian.  Kept
as small pure functions so they move to ``app/protocols/checksums.py`` as they are.
"""

from __future__ import annotations


def sum16_xor(data: bytes | bytearray | memoryview) -> int:
    """``(sum(data) & 0xFFFF) ^ 0xFFFF`` (§3.2: "sum of bytes L..end of DATA, XOR 0xFFFF")."""
    return (sum(data) & 0xFFFF) ^ 0xFFFF


def sum16_xor_bytes(data: bytes | bytearray | memoryview) -> bytes:
    """The checksum as it goes on the wire: low byte first (§3.2)."""
    return sum16_xor(data).to_bytes(2, "little")


__all__ = ["sum16_xor", "sum16_xor_bytes"]
