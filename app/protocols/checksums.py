"""The checksums the BMS families put on their frames, in one place.

Each takes the bytes a family's notes say are covered and returns the number
the frame carries; where the family puts it (which byte order, which trailer)
stays in the family's framing.  Sources, with the frames the tests check them
against (tests/test_checksums.py):

- ``sum8``: JK BLE frames (jk.md §1.2: byte 299 / byte 19 = sum of the bytes
  before it, mod 256), the JBD BLE module's ``FF AA`` frames (jbd_daly.md §1.3),
  Daly's UART frames (jbd_daly.md, Daly section) and ANT's legacy requests;
- ``sum16``: JK's older ``4E 57`` serial protocol (jk.md §7.2: the 16-bit sum of
  every byte from the header through the end marker) and ANT's legacy replies;
- ``negated_sum16``: JBD ``DD … 77`` frames (jbd_daly.md §1: 0x10000 − sum);
- ``inverted_sum16``: Xiaomi/Ninebot serial frames (sum XOR 0xFFFF);
- ``crc16_modbus``: Modbus RTU (JK-PB, jk.md §8.1; Daly's BLE Modbus; ANT 2021):
  reflected polynomial 0xA001, initial value 0xFFFF.
"""

from __future__ import annotations

from collections.abc import Iterable

Bytes = bytes | bytearray | memoryview


def sum8(data: Bytes | Iterable[int]) -> int:
    """The sum of the bytes, mod 256."""
    return sum(data) & 0xFF


def sum16(data: Bytes | Iterable[int]) -> int:
    """The sum of the bytes, mod 65536."""
    return sum(data) & 0xFFFF


def negated_sum16(data: Bytes | Iterable[int]) -> int:
    """0x10000 minus the sum of the bytes, mod 65536 (JBD)."""
    return (0x10000 - sum(data)) & 0xFFFF


def inverted_sum16(data: Bytes | Iterable[int]) -> int:
    """The 16-bit sum of the bytes with every bit inverted (Xiaomi/Ninebot)."""
    return (sum(data) & 0xFFFF) ^ 0xFFFF


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc16_modbus(data: Bytes) -> int:
    """CRC-16/MODBUS: poly 0xA001 (reflected 0x8005), init 0xFFFF; frames carry it low byte first."""
    crc = 0xFFFF
    for b in data:
        crc = (crc >> 8) ^ _CRC_TABLE[(crc ^ b) & 0xFF]
    return crc


def modbus_crc_ok(frame: Bytes) -> bool:
    """A Modbus RTU frame whose last two bytes are the CRC of the rest, low byte first."""
    return len(frame) >= 4 and crc16_modbus(frame[:-2]) == (frame[-2] | frame[-1] << 8)


__all__ = ["crc16_modbus", "inverted_sum16", "modbus_crc_ok", "negated_sum16", "sum8", "sum16"]
