"""The ANT checksums, as small pure functions (they move to protocols/checksums.py later).

Sources: ../shared/protocols/ant_xiaomi.md §1.2, §1.3 (legacy), §2.1 (2021).
"""

from __future__ import annotations


def crc16_modbus(data: bytes | bytearray) -> int:
    """CRC-16/MODBUS: reflected polynomial 0xA001, init 0xFFFF, no final XOR (§2.1).

    The 2021 frames store it low byte first, over bytes 1 .. 5+LEN (from ``A1``
    through the end of the data); the 6-byte trailer of 0x12/0x42 replies carries
    a second one over its own 4-byte record.
    """
    crc = 0xFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def sum8(data: bytes | bytearray) -> int:
    """Legacy 6-byte frames: ``C = (A + Dhi + Dlo) & 0xFF`` over bytes 2..4 (§1.2)."""
    return sum(data) & 0xFF


def sum16(data: bytes | bytearray) -> int:
    """Legacy 140-byte status frame: bytes 4..137 summed, truncated to 16 bits,
    stored big-endian in bytes 138-139 (§1.3)."""
    return sum(data) & 0xFFFF
