"""The two checksums Daly boards use, as small pure functions.

They move to ``app/protocols/checksums.py`` when the shared module lands
(issue 13); nothing here knows a frame layout.

- A5 frames: the low byte of the sum of bytes 0–11 (jbd_daly.md §4.1, verified
  on every captured frame);
- D2 / P81 Modbus frames: CRC-16/MODBUS, polynomial 0xA001 (reflected 0x8005),
  initial value 0xFFFF, sent low byte first (§6.1).
"""

from __future__ import annotations


def sum8(data: bytes | bytearray | memoryview) -> int:
    """Low byte of the sum of ``data``."""
    return sum(data) & 0xFF


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc16_modbus(data: bytes | bytearray | memoryview) -> int:
    """CRC-16/MODBUS of ``data`` (check value of b"123456789": 0x4B37)."""
    crc = 0xFFFF
    for b in data:
        crc = (crc >> 8) ^ _CRC_TABLE[(crc ^ b) & 0xFF]
    return crc


def crc16_modbus_bytes(data: bytes | bytearray | memoryview) -> bytes:
    """The CRC as it travels: low byte first."""
    return crc16_modbus(data).to_bytes(2, "little")


def crc_ok(frame: bytes | bytearray | memoryview) -> bool:
    """True when the last two bytes of ``frame`` are the CRC of the rest."""
    return len(frame) >= 4 and bytes(frame[-2:]) == crc16_modbus_bytes(frame[:-2])
