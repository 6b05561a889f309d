"""Byte layouts of the JK02 frames as field tables (jk.md §2–§4).

One row per field: (name, offset, struct format, wire units per canonical
unit), rows of the shared type ``protocols.fields.F``.  The same rows decode
captured frames and let the simulator encode frames that a real board would
send, so the two can never drift apart.  Offsets count from the first header
byte; values are little-endian.
"""

from __future__ import annotations

from ..fields import F, read_all  # noqa: F401 - the shared field type; read_all for decode.py

JK02_24S = "jk02_24s"
JK02_32S = "jk02_32s"
JK04 = "jk04"


# --- cell info (frame type 0x02), jk.md §2.1 --------------------------------
# "mv"/"ma"/"mah"/"dc" names are raw wire units; decode.py turns them into the
# vocabulary's names and units.
_CELL_COMMON = {
    #            24S   32S
    "cell_mask": (54, 70, "I"),
    "avg_mv": (58, 74, "H"),
    "delta_mv": (60, 76, "H"),
    "max_index0": (62, 78, "B"),
    "min_index0": (63, 79, "B"),
    "wire_alarm_mask": (114, 146, "I"),
    "pack_mv": (118, 150, "I"),
    "power_mw": (122, 154, "I"),
    "current_ma": (126, 158, "i"),
    "t1_dc": (130, 162, "h"),
    "t2_dc": (132, 164, "h"),
    "balance_ma": (138, 170, "h"),
    "balance_action": (140, 172, "B"),
    "soc": (141, 173, "B"),
    "remaining_mah": (142, 174, "I"),
    "full_mah": (146, 178, "I"),
    "cycles": (150, 182, "I"),
    "cycle_mah": (154, 186, "I"),
    "soh": (158, 190, "B"),
    "precharge": (159, 191, "B"),
    "runtime_s": (162, 194, "I"),
    "charge_mos": (166, 198, "B"),
    "discharge_mos": (167, 199, "B"),
    "precharging": (168, 200, "B"),
    "temp_presence": (182, 214, "B"),
    "heating": (183, 215, "B"),
    "emergency_s": (186, 218, "H"),
}


def _cell_rows(variant_index: int) -> tuple[F, ...]:
    rows = [F(name, spec[variant_index], spec[2]) for name, spec in _CELL_COMMON.items()]
    if variant_index == 0:  # 24S: MOS temperature at 134, u16 alarm mask at 136
        rows += [F("mos_dc", 134, "h"), F("alarm_mask", 136, "H")]
    else:  # 32S: MOS temperature at 144, u32 alarm mask at 166, T3..T5 at 254..258
        rows += [
            F("mos_dc", 144, "h"),
            F("alarm_mask", 166, "I"),
            F("t254_dc", 254, "h"),
            F("t256_dc", 256, "h"),
            F("t258_dc", 258, "h"),
        ]
    return tuple(rows)


CELL_ROWS = {JK02_24S: _cell_rows(0), JK02_32S: _cell_rows(1)}
MAX_CELLS = {JK02_24S: 24, JK02_32S: 32}
CELL_VOLTAGE_OFFSET = 6  # u16 mV per cell, cell 1 first (both variants)


def wire_resistance_offset(variant: str) -> int:
    return 64 if variant == JK02_24S else 80  # u16 mΩ per cell


# --- device info (frame type 0x03), jk.md §3 --------------------------------
# (name, offset, length) of NUL-terminated ASCII strings
DEVICE_STRINGS = (
    ("model", 6, 16),
    ("hardware_version", 22, 8),
    ("software_version", 30, 8),
    ("device_name", 46, 16),
    ("manufacture_date", 78, 8),
    ("serial_number", 86, 16),
)
DEVICE_NUMBERS = (F("runtime_s", 38, "I"), F("power_on_count", 42, "I"))
# secrets: never put into a snapshot, a log or JSON (vocabulary.md)
CONNECT_PIN = ("connect_pin", 62, 16)
SETUP_PASSWORD = ("setup_password", 118, 16)


def read_string(buf: bytes, offset: int, length: int) -> str:
    raw = buf[offset : offset + length].split(b"\x00", 1)[0]
    return raw.decode("ascii", errors="replace").strip()


def write_string(buf: bytearray, offset: int, length: int, text: str) -> None:
    raw = text.encode("ascii")[: length - 1]
    buf[offset : offset + length] = raw.ljust(length, b"\x00")


# --- JK04: the oldest boards, float32 values (jk.md §2.3, §4.3) ---------------
JK04_MAX_CELLS = 24
JK04_CELL_ROWS = (
    F("avg_v", 202, "f"),
    F("delta_v", 206, "f"),
    F("cell_mask", 214, "I"),
    F("max_index0", 218, "B"),
    F("min_index0", 219, "B"),
    F("balance_action", 220, "B"),
    F("balance_a", 222, "f"),
    F("runtime_s", 286, "I"),
)
JK04_CELL_OFFSET = 6  # f32 V per cell
JK04_RESISTANCE_OFFSET = 102  # f32 Ω per cell (25 slots)
JK04_SETTINGS_MARK = b"\x00\x00\x80\x3f"  # float 1.0 at byte 6 of every JK04 settings frame
