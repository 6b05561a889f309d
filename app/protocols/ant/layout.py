"""Byte layouts of the ANT status frames as field tables (one row decodes and encodes).

Rows are the shared field-table type (``protocols/fields.py``: name, offset, struct
code, wire units per unit, byte order), so the decoder reads captured frames and the
simulator writes frames with the same rows.  Names are the *wire* quantities:
``wire_current_a`` is the current as the board sends it (positive = discharging,
§1.3 / §2.4); the decoders turn it into the vocabulary's ``current_a``.

Sources: ../shared/protocols/ant_xiaomi.md §1.3 (legacy 140-byte frame, big-endian)
and §2.4 (2021 status reply 0x11, little-endian).
"""

from __future__ import annotations

from functools import partial

from ..fields import BIG, LITTLE, read_all, write_all
from ..fields import F as _F

#: 2021 rows are little-endian (§2), legacy rows big-endian (§1.1)
F = partial(_F, order=LITTLE)
FB = partial(_F, order=BIG)

# --- 2021 status reply (func 0x11), §2.4; offsets count from the 7E byte --------------------
HEAD_2021 = (
    F("permission", 6, "B"),
    F("system_state", 7, "B"),
    F("temperature_count", 8, "B"),
    F("cell_count", 9, "B"),
    F("protection_bits", 10, "Q"),
    F("warning_bits", 18, "Q"),
)
CELLS_2021 = 34  # N × u16 mV, then T × s16 °C
#: after the cells and temperatures, at o = 34 + 2N + 2T
TAIL_2021 = (
    F("mos_temperature_c", 0, "h"),
    F("balancer_temperature_c", 2, "h"),
    F("pack_voltage_v", 4, "H", 100),
    F("wire_current_a", 6, "h", 10),
    F("soc_pct", 8, "H"),
    F("soh_pct", 10, "H"),
    # CONFLICT §2.4 "MOS byte order": o+12 = discharge, o+13 = charge by default
    # (decode.py says why); the names here are positional
    F("mos_state_a", 12, "B"),
    F("mos_state_b", 13, "B"),
    F("balancer_state", 14, "B"),
    F("byte_15", 15, "B"),
    F("capacity_full_ah", 16, "I", 1e6),
    F("capacity_remaining_ah", 20, "I", 1e6),
    F("cycle_capacity_ah", 24, "I", 1000),
    F("wire_power_w", 28, "i"),
    F("runtime_s", 32, "I"),
    F("balancing_bits", 36, "I"),
    F("cell_max_v", 40, "H", 1000),
    F("cell_max_index", 42, "H"),
    F("cell_min_v", 44, "H", 1000),
    F("cell_min_index", 46, "H"),
    F("cell_delta_v", 48, "H", 1000),
    F("cell_avg_v", 50, "H", 1000),
    F("dsg_mos_vds_raw", 52, "H"),
    F("dsg_mos_drive_raw", 54, "H"),
    F("chg_mos_drive_raw", 56, "H"),
    F("f40com_raw", 58, "H"),
    F("battery_type", 60, "H"),
    F("total_discharged_ah", 62, "I", 1000),
    F("total_charged_ah", 66, "I", 1000),
    F("total_discharge_time_s", 70, "I"),
    F("total_charge_time_s", 74, "I"),
)
TAIL_2021_LEN = 78
#: the optional block the uni-app notes describe when LEN is larger (§2.4, o+78)
OPTIONAL_2021 = (
    F("next_charge_estimate_s", 78, "I"),
    F("charge_interval_s", 82, "I"),
    F("charge_remaining_min", 86, "H"),
    F("discharge_remaining_min", 88, "H"),
)
OPTIONAL_2021_LEN = 90


def tail_offset_2021(cells: int, temperatures: int) -> int:
    return CELLS_2021 + 2 * cells + 2 * temperatures


def status_data_len_2021(cells: int, temperatures: int) -> int:
    """LEN of a status reply: 2N + 2T + 106 (§2.4: 0x8E for 16S/2T, 0x9E for 22S/4T)."""
    return tail_offset_2021(cells, temperatures) + TAIL_2021_LEN - 6


# --- 2021 device information (reply 0x12 to ADDR 0x026C, LEN 0x20), §2.6 ------------------------
#: (name, offset in the frame, length) of NUL-padded ASCII strings
DEVICE_STRINGS_2021 = (("hardware", 6, 16), ("software", 22, 16))

# --- legacy 140-byte status frame, §1.3 (big-endian) ------------------------------------------
CELLS_LEGACY = 6  # 32 × u16 mV
MAX_CELLS_LEGACY = 32
TEMPERATURES_LEGACY = 91  # 6 × s16 °C
TEMPERATURE_COUNT_LEGACY = 6
ROWS_LEGACY = (
    FB("pack_voltage_v", 4, "H", 10),
    FB("wire_current_a", 70, "i", 10),
    FB("soc_pct", 74, "B"),
    FB("capacity_full_ah", 75, "I", 1e6),
    FB("capacity_remaining_ah", 79, "I", 1e6),
    FB("cycle_capacity_ah", 83, "I", 1000),
    FB("runtime_s", 87, "I"),
    FB("charge_mos_state", 103, "B"),
    FB("discharge_mos_state", 104, "B"),
    FB("balancer_state", 105, "B"),
    FB("tyre_length_mm", 106, "H"),
    FB("pulses_per_revolution", 108, "H"),
    FB("relay", 110, "B"),
    FB("wire_power_w", 111, "i"),
    FB("cell_max_index", 115, "B"),
    FB("cell_max_v", 116, "H", 1000),
    FB("cell_min_index", 118, "B"),
    FB("cell_min_v", 119, "H", 1000),
    FB("cell_avg_v", 121, "H", 1000),
    FB("cell_count", 123, "B"),
    FB("dsg_mos_vds_v", 124, "H", 10),
    FB("dsg_mos_drive_v", 126, "H", 10),
    FB("chg_mos_drive_v", 128, "H", 10),
    FB("current_zero_raw", 130, "H"),
    FB("balancing_bits", 132, "I"),
    FB("system_log", 136, "H"),
)


__all__ = ["read_all", "write_all"]


def read_string(buf: bytes | bytearray, offset: int, length: int) -> str:
    raw = bytes(buf[offset : offset + length]).split(b"\x00", 1)[0]
    return raw.decode("ascii", errors="replace").strip()


def write_string(buf: bytearray, offset: int, length: int, text: str) -> None:
    buf[offset : offset + length] = text.encode("ascii")[:length].ljust(length, b"\x00")
