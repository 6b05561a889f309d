"""Daly fault bits -> canonical alarm ids and fault names in words.

One table serves both protocols (jbd_daly.md §4.2 "0x98 fault bits", §6.3):
bit ``n`` is bit ``n % 8`` of fault byte ``n // 8``.  A5 sends bytes 0–6 in
frame 0x98 (byte 7 is a fault code number); D2 sends the same bytes in the
registers 0x3A–0x3D, **low byte of each register first** (0x3A lo = byte 0,
0x3A hi = byte 1 …), which the syssi alarm frames confirm bit for bit
(tests/test_daly_frames.py).

Level 1 is the warning, level 2 the protection (§4.2).  Both map to the same
canonical id (vocabulary.md has no separate warning ids); ``fault_names`` keeps
the level in words.  A bit without a canonical id becomes ``daly_bit_<n>``:
never dropped, never guessed.
"""

from __future__ import annotations

from ...model import (
    AFE_FAULT,
    CELL_DELTA_HIGH,
    CELL_OVERVOLTAGE,
    CELL_UNDERVOLTAGE,
    CHARGE_OVERCURRENT,
    CHARGE_OVERTEMPERATURE,
    CHARGE_UNDERTEMPERATURE,
    COMMUNICATION_FAULT,
    DISCHARGE_OVERCURRENT,
    DISCHARGE_OVERTEMPERATURE,
    DISCHARGE_UNDERTEMPERATURE,
    LOW_SOC,
    MOS_OVERTEMPERATURE,
    PACK_OVERVOLTAGE,
    PACK_UNDERVOLTAGE,
    SHORT_CIRCUIT,
    TEMPERATURE_SENSOR_FAULT,
    unknown_alarm,
)

FAMILY = "daly"


def _levels(name: str, alarm: str | None) -> list[tuple[str, str | None]]:
    return [(f"{name}_warning", alarm), (f"{name}_protection", alarm)]


#: bit -> (fault name, canonical alarm id or None), bytes 0–6 of §4.2
FAULT_BITS: dict[int, tuple[str, str | None]] = dict(
    enumerate(
        # byte 0
        _levels("cell_voltage_high", CELL_OVERVOLTAGE)
        + _levels("cell_voltage_low", CELL_UNDERVOLTAGE)
        + _levels("pack_voltage_high", PACK_OVERVOLTAGE)
        + _levels("pack_voltage_low", PACK_UNDERVOLTAGE)
        # byte 1
        + _levels("charge_temperature_high", CHARGE_OVERTEMPERATURE)
        + _levels("charge_temperature_low", CHARGE_UNDERTEMPERATURE)
        + _levels("discharge_temperature_high", DISCHARGE_OVERTEMPERATURE)
        + _levels("discharge_temperature_low", DISCHARGE_UNDERTEMPERATURE)
        # byte 2
        + _levels("charge_overcurrent", CHARGE_OVERCURRENT)
        + _levels("discharge_overcurrent", DISCHARGE_OVERCURRENT)
        + _levels("soc_high", None)
        + _levels("soc_low", LOW_SOC)
        # byte 3 (bits 4–7 reserved)
        + _levels("cell_voltage_difference", CELL_DELTA_HIGH)
        + _levels("temperature_difference", None)
        + [(f"reserved_{n}", None) for n in range(28, 32)]
        # byte 4
        + [
            ("charge_mos_overtemperature", MOS_OVERTEMPERATURE),
            ("discharge_mos_overtemperature", MOS_OVERTEMPERATURE),
            ("charge_mos_sensor_fault", TEMPERATURE_SENSOR_FAULT),
            ("discharge_mos_sensor_fault", TEMPERATURE_SENSOR_FAULT),
            ("charge_mos_stuck", None),
            ("discharge_mos_stuck", None),
            ("charge_mos_open", None),
            ("discharge_mos_open", None),
        ]
        # byte 5
        + [
            ("afe_fault", AFE_FAULT),
            ("cell_acquisition_dropped", None),
            ("temperature_sensor_fault", TEMPERATURE_SENSOR_FAULT),
            ("eeprom_fault", None),
            ("rtc_fault", None),
            ("precharge_failed", None),
            ("vehicle_communication_fault", COMMUNICATION_FAULT),
            ("internal_communication_fault", COMMUNICATION_FAULT),
        ]
        # byte 6 (bit 4: "GPS or soft switch MOS off" on D2, §6.3; 5–7 reserved)
        + [
            ("current_module_fault", None),
            ("pack_voltage_detection_fault", None),
            ("short_circuit", SHORT_CIRCUIT),
            ("low_voltage_charge_forbidden", None),
            ("soft_switch_off", None),
            ("reserved_53", None),
            ("reserved_54", None),
            ("reserved_55", None),
        ]
    )
)

FAULT_BYTES = 7


def fault_bits(data: bytes) -> int:
    """The fault bytes as one integer, bit n = byte n//8, bit n%8."""
    return int.from_bytes(bytes(data), "little")


def alarms_of(bits: int) -> list[str]:
    """Canonical alarm ids (sorted, unique) for the set bits."""
    out = set()
    for n in range(bits.bit_length()):
        if bits >> n & 1:
            name, alarm = FAULT_BITS.get(n, (None, None))
            out.add(alarm or unknown_alarm(FAMILY, n))
    return sorted(out)


def fault_names(bits: int) -> list[str]:
    """The set bits in words (``cell_voltage_high_protection`` …), bit order."""
    return [FAULT_BITS.get(n, (f"bit_{n}", None))[0] for n in range(bits.bit_length()) if bits >> n & 1]


def bits_of(alarms: list[str] | tuple[str, ...], level: int = 2) -> int:
    """The fault bits that raise ``alarms`` at one level (simulators and tests):
    level 2 picks the protection bit where a pair exists, else the first bit."""
    bits = 0
    for alarm in alarms:
        candidates = [n for n, (name, a) in FAULT_BITS.items() if a == alarm]
        if alarm.startswith(f"{FAMILY}_bit_"):
            candidates = [int(alarm.rsplit("_", 1)[1])]
        if not candidates:
            continue
        paired = [
            n
            for n in candidates
            if FAULT_BITS.get(n, ("", None))[0].endswith("_protection" if level == 2 else "_warning")
        ]
        bits |= 1 << (paired or candidates)[0]
    return bits


def d2_fault_bytes(words: list[int] | tuple[int, ...]) -> bytes:
    """Registers 0x3A–0x3D -> the A5 byte order (low byte of each register first)."""
    return b"".join(int(w & 0xFFFF).to_bytes(2, "little") for w in words)


def d2_fault_words(data: bytes) -> list[int]:
    """The inverse of ``d2_fault_bytes`` (8 bytes -> 4 registers)."""
    data = bytes(data).ljust(8, b"\x00")
    return [int.from_bytes(data[i : i + 2], "little") for i in range(0, 8, 2)]
