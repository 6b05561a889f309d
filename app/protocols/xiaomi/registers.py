"""The BMS and ESC register maps as field rows: one row decodes and encodes a value.

A read asks for N *bytes* from a 16-bit *word* index (ant_xiaomi.md §3.2), so a
reply is a window onto the device's register image: byte ``2 * (i - start)`` of
the reply's data is word ``i``.  Each ``Reg`` names the word it starts at, a codec
(how many bytes, which format, which scale) and where the value goes: the live
data (``Snapshot``), the device information, the settings, or — for the ESC a
sniffed bus also carries — an ESC register value.  The same rows build a
register image for the simulator (``encode_image``), so the two cannot drift.

Register facts: §3.4 (BMS) and the sources it cites; the ESC rows from the
CamiAlfa and sparkplug619 maps quoted beside them.  All words are little-endian.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from typing import Protocol as _Protocol

from ..fields import LITTLE, F

# --- codecs ---------------------------------------------------------------------------


class Codec(_Protocol):
    size: int

    def read(self, raw: bytes) -> Any: ...

    def write(self, value: Any) -> bytes: ...


@dataclass(frozen=True)
class Num:
    """An integer of ``size`` bytes, little-endian; ``scale`` wire units per canonical unit.

    The number itself is one of the shared field rows (protocols/fields.py ``F``, at
    offset 0 of the row's bytes): the same struct code, byte order and scale rule
    (``raw = value * scale``) as JK's and JBD's rows.  What ``F`` has no word for is
    kept in ``Reg``: a row is found by its *word* index in a reply window that may
    start anywhere, and is read only when the window holds all of it.
    """

    scale: float = 1.0
    signed: bool = False
    size: int = 2

    @property
    def field(self) -> F:
        code = {1: "b", 2: "h", 4: "i"}[self.size]
        return F("", 0, code if self.signed else code.upper(), self.scale, LITTLE)

    def read(self, raw: bytes) -> Any:
        return self.field.read(raw)

    def write(self, value: Any) -> bytes:
        raw = int(round(float(value) * self.scale))
        lo, hi = (
            (-(1 << (8 * self.size - 1)), 1 << (8 * self.size - 1))
            if self.signed
            else (0, 1 << (8 * self.size))
        )
        if not lo <= raw < hi:
            raise OverflowError(f"{value} does not fit {self.size} byte(s)")
        buf = bytearray(self.size)
        self.field.write(buf, value)
        return bytes(buf)


@dataclass(frozen=True)
class Ascii:
    """Fixed-width ASCII, NUL- or space-padded (the 14-character serial numbers)."""

    size: int

    def read(self, raw: bytes) -> str:
        return raw.split(b"\x00", 1)[0].decode("ascii", "replace").strip()

    def write(self, value: Any) -> bytes:
        return str(value).encode("ascii")[: self.size].ljust(self.size, b"\x00")


@dataclass(frozen=True)
class Version:
    """A firmware version in nibbles: 0x0115 = "1.1.5" (§3.4, BotoX); HJ reads the top
    nibble as the PCB revision, so a non-zero top nibble makes a fourth part."""

    size: int = 2

    def read(self, raw: bytes) -> str:
        v = int.from_bytes(raw, "little")
        parts = [v >> 8 & 0xF, v >> 4 & 0xF, v & 0xF]
        if v >> 12:
            parts.insert(0, v >> 12)
        return ".".join(str(p) for p in parts)

    def write(self, value: Any) -> bytes:
        nibbles = [int(p) for p in str(value).split(".")]
        if not 3 <= len(nibbles) <= 4 or any(not 0 <= n <= 15 for n in nibbles):
            raise ValueError(f"{value!r} is not a version of three or four digits 0-15")
        v = 0
        for n in nibbles:
            v = v << 4 | n
        return v.to_bytes(2, "little")


@dataclass(frozen=True)
class Date:
    """Manufacture date: bits 15-9 year − 2000, 8-5 month, 4-0 day (§3.4: 0x22E9 is
    2017-07-09)."""

    size: int = 2

    def read(self, raw: bytes) -> str | None:
        """None for a word that is no date (month 0 or 13-15, day 0: an unset register)."""
        v = int.from_bytes(raw, "little")
        month, day = v >> 5 & 0x0F, v & 0x1F
        if not (1 <= month <= 12 and day >= 1):
            return None
        return f"{2000 + (v >> 9):04d}-{month:02d}-{day:02d}"

    def write(self, value: Any) -> bytes:
        y, m, d = (int(x) for x in str(value).split("-"))
        if not (2000 <= y <= 2127 and 1 <= m <= 12 and 1 <= d <= 31):
            raise ValueError(f"{value!r} is not a date from 2000 to 2127")
        return ((y - 2000) << 9 | m << 5 | d).to_bytes(2, "little")


@dataclass(frozen=True)
class Hex:
    """Bytes nobody has decoded, as hex (BotoX's error bytes, the activation UID)."""

    size: int

    def read(self, raw: bytes) -> str:
        return raw.hex()

    def write(self, value: Any) -> bytes:
        raw = bytes.fromhex(str(value))
        if len(raw) != self.size:
            raise ValueError(f"{self.size} bytes expected, got {len(raw)}")
        return raw


@dataclass(frozen=True)
class BytePair:
    """Two one-byte values in one word, the low (first) byte first (the temperatures)."""

    size: int = 2

    def read(self, raw: bytes) -> tuple[int, int]:
        return raw[0], raw[1]

    def write(self, value: Any) -> bytes:
        lo, hi = value
        return bytes([int(lo) & 0xFF, int(hi) & 0xFF])


# --- rows -----------------------------------------------------------------------------
LIVE, INFO, SETTINGS, ESC = "live", "info", "settings", "esc"


@dataclass(frozen=True)
class SettingMeta:
    """What the settings schema says about a row beyond its bytes (schema.py turns it
    into a ``SettingSpec``).  Every Xiaomi row is read-only: its help says so.  Label and
    help are single literals marked for translation (context "Vocabulary")."""

    label: str
    unit: str
    group: str
    help: str
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None


@dataclass(frozen=True)
class Reg:
    index: int
    codec: Codec
    #: a Snapshot / DeviceInfo field, a settings key, or an ``xiaomi_*`` extra
    name: str
    to: str = LIVE
    setting: SettingMeta | None = None
    #: never shown, logged or decoded (the ESC's PIN): ``redact`` blanks it
    secret: bool = False

    @property
    def words(self) -> int:
        return (self.codec.size + 1) // 2

    def offset_in(self, start: int, length: int) -> int | None:
        """Byte offset of this row in a reply of ``length`` bytes from word ``start``,
        or None when the reply does not hold the whole row."""
        off = 2 * (self.index - start)
        return off if off >= 0 and off + self.codec.size <= length else None


def _cells() -> list[Reg]:
    # 0x40-0x49 cells 1-10; 0x4A-0x4E cells 11-15 on 12S/custom packs, 0 or 0xFFFF
    # when absent (§3.4; sparkplug619: "0 if not connected")
    return [Reg(0x40 + i, Num(), f"cell_{i + 1}_mv") for i in range(15)]


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate's marker
    return text


# Read-only: a factory value in the BMS's register image; no public source documents a
# safe write to a stock Xiaomi/Ninebot BMS (ant_xiaomi.md §3.5).

#: the BMS register image (§3.4; BotoX's struct and the HJ tool agree on every word
#: listed here unless a comment says otherwise)
BMS_ROWS: tuple[Reg, ...] = (
    Reg(0x00, Num(), "xiaomi_magic", INFO),  # 0x5A5A (ES2BMS wiki, BotoX)
    Reg(0x10, Ascii(14), "serial_number", INFO),
    Reg(0x17, Version(), "software_version", INFO),
    Reg(
        0x18,
        Num(1000),
        "capacity_nominal_ah",
        SETTINGS,
        SettingMeta(
            QT_TRANSLATE_NOOP("Vocabulary", "Design capacity"),
            "Ah",
            "pack",
            QT_TRANSLATE_NOOP(
                "Vocabulary",
                "The capacity the pack was built with, as its BMS keeps it (mAh). "
                "Read-only: a factory value; no public source documents a safe write to a stock "
                "Xiaomi or Ninebot BMS.",
            ),
            minimum=0,
            maximum=65.535,
            step=0.001,
        ),
    ),
    Reg(0x19, Num(1000), "capacity_full_ah"),  # actual full capacity, mAh (not charge level)
    # CONFLICT §3.4: HJ reads 0x1A as the pack in 10 mV (3600 = 36.00 V); BotoX's comment
    # says mV (one cell, 3600 = 3.6 V).  For the stock 10S pack both give 36 V.  Taken as
    # the pack in 10 mV, like 0x34, which the real frames prove to be 10 mV.
    Reg(
        0x1A,
        Num(100),
        "xiaomi_nominal_voltage_v",
        SETTINGS,
        SettingMeta(
            QT_TRANSLATE_NOOP("Vocabulary", "Nominal voltage"),
            "V",
            "pack",
            QT_TRANSLATE_NOOP(
                "Vocabulary",
                "The pack's nominal voltage as its BMS keeps it. Sources disagree "
                "whether the register holds the pack in 10 mV or one cell in mV; on a 10-cell pack "
                "both read 36 V, so it is shown as the pack voltage. Read-only: a factory value.",
            ),
            minimum=0,
            maximum=655.35,
            step=0.01,
        ),
    ),
    Reg(0x1B, Num(), "cycles"),  # full charge cycles
    Reg(0x1C, Num(), "xiaomi_charge_count"),
    # UNCERTAIN §3.4: documented by BotoX's open firmware only, where they are the highest
    # pack voltage and currents ever seen (main.cpp keeps the maximum), in V/100 and A/100
    Reg(0x1D, Num(100), "xiaomi_peak_voltage_v"),
    Reg(0x1E, Num(100), "xiaomi_peak_discharge_current_a"),
    Reg(0x1F, Num(100), "xiaomi_peak_charge_current_a"),
    Reg(0x20, Date(), "manufacture_date", INFO),
    Reg(0x21, Hex(6), "xiaomi_error_bytes"),  # BotoX: errors[6]
    Reg(0x30, Num(), "xiaomi_status_bits"),  # decode.py turns the bits into alarms and flags
    Reg(0x31, Num(1000), "capacity_remaining_ah"),
    Reg(0x32, Num(), "soc_pct"),
    # the wire's sign (§3.4 CONFLICT): decode.py converts to + charging
    Reg(0x33, Num(100, signed=True), "xiaomi_current_raw_a"),
    Reg(0x34, Num(100), "pack_voltage_v"),  # 10 mV: the real frame's 0x1009 is 41.05 V on 10S
    Reg(0x35, BytePair(), "xiaomi_temperature_bytes"),  # °C + 20 each; order: decode.py
    Reg(0x36, Num(), "xiaomi_balance_bits"),
    # HJ tool labels only (BAT_ODIS_STATE, BAT_OCHG_STATE, BAT_CAP_COULO, BAT_CAP_VOL)
    Reg(0x37, Num(), "xiaomi_over_discharge_state"),
    Reg(0x38, Num(), "xiaomi_over_charge_state"),
    Reg(0x39, Num(), "xiaomi_capacity_coulomb_raw"),
    Reg(0x3A, Num(), "xiaomi_capacity_voltage_raw"),
    Reg(0x3B, Num(), "soh_pct"),  # health %; <60 % = bad battery (BotoX)
    *_cells(),
    Reg(0x51, Num(), "xiaomi_config_straps", INFO),  # "config straps?" (ES2BMS wiki, palachzzz)
    Reg(0x70, Hex(12), "xiaomi_activation_uid", INFO),  # copy of the MCU UID (ES2BMS wiki)
)

#: the ESC's registers, for a sniffed bus (the dashboard app asks the ESC, not the BMS).
#: Word indexes: CamiAlfa's ``protocolo`` and sparkplug619's ``escstruct`` (byte offset / 2)
ESC_ROWS: tuple[Reg, ...] = (
    Reg(0x10, Ascii(14), "xiaomi_esc_serial_number", ESC),
    Reg(0x17, Ascii(6), "xiaomi_esc_pin", ESC, secret=True),  # the scooter's PIN, in clear
    Reg(0x1A, Version(), "xiaomi_esc_firmware_version", ESC),  # CamiAlfa: 0x0134 = 1.3.4
    Reg(0x25, Num(100), "xiaomi_esc_remaining_km", ESC),  # CamiAlfa: 0x0726 = 18.3 km
    Reg(0x3E, Num(10), "xiaomi_esc_frame_temperature_c", ESC),  # CamiAlfa: 0x0118 = 28 °C
    Reg(0x67, Version(), "xiaomi_esc_bms_firmware_version", ESC),  # mirrors BMS 0x17 (§3.4)
    Reg(0x7B, Num(), "xiaomi_esc_kers_level", ESC),  # 0 weak, 1 medium, 2 strong
    Reg(0x7C, Num(), "xiaomi_esc_cruise", ESC),  # 0 off, 1 on
    Reg(0x7D, Num(), "xiaomi_esc_tail_light", ESC),  # 0 off, 2 on
    Reg(0xB0, Num(), "xiaomi_esc_error_code", ESC),
    Reg(0xB4, Num(), "xiaomi_esc_battery_pct", ESC),  # the ESC's copy of the pack's %
    Reg(0xB5, Num(1000, signed=True), "xiaomi_esc_speed_kmh", ESC),
    Reg(0xB6, Num(1000), "xiaomi_esc_average_speed_kmh", ESC),
    Reg(0xB7, Num(1000, size=4), "xiaomi_esc_total_distance_km", ESC),  # u32 metres
    Reg(0xBA, Num(), "xiaomi_esc_power_on_time_s", ESC),
    Reg(0xBB, Num(10), "xiaomi_esc_frame_temperature_c", ESC),
)


def read_rows(rows: Iterable[Reg], start: int, data: bytes) -> dict[str, Any]:
    """name -> value of every (non-secret) row a reply from word ``start`` holds whole."""
    out: dict[str, Any] = {}
    for row in rows:
        off = row.offset_in(start, len(data))
        if off is None or row.secret:
            continue
        out[row.name] = row.codec.read(data[off : off + row.codec.size])
    return out


def covered(rows: Iterable[Reg], start: int, length: int) -> list[Reg]:
    """The rows a read of ``length`` bytes from word ``start`` returns whole."""
    return [row for row in rows if row.offset_in(start, length) is not None]


def touched(rows: Iterable[Reg], start: int, length: int) -> list[Reg]:
    """The rows a window of ``length`` bytes from word ``start`` overlaps at all."""
    lo, hi = 2 * start, 2 * start + length
    return [row for row in rows if 2 * row.index < hi and lo < 2 * row.index + row.codec.size]


#: words in a full register image (the BMS's goes to 0x75 at least, the ESC's to 0xBB)
IMAGE_WORDS = 0x100


def encode_image(rows: Iterable[Reg], values: dict[str, Any]) -> bytearray:
    """A register image (little-endian words) with ``values`` (name -> value) filled in;
    rows without a value stay zero.  What a simulated BMS answers reads from."""
    image = bytearray(2 * IMAGE_WORDS)
    for row in rows:
        if row.name in values and values[row.name] is not None:
            image[2 * row.index : 2 * row.index + row.codec.size] = row.codec.write(values[row.name])
    return image


def window(image: bytes | bytearray, start: int, length: int) -> bytes:
    """The ``length`` bytes a read from word ``start`` returns (zeros past the image)."""
    data = bytes(image[2 * start : 2 * start + length])
    return data.ljust(length, b"\x00")


__all__ = [
    "BMS_ROWS",
    "ESC_ROWS",
    "Ascii",
    "BytePair",
    "Codec",
    "Date",
    "Hex",
    "Num",
    "Reg",
    "SettingMeta",
    "Version",
    "covered",
    "encode_image",
    "read_rows",
    "touched",
    "window",
]
