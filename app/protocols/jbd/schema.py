"""JBD settings: the legacy EEPROM register map as schema rows on canonical keys.

Facts from ../shared/protocols/jbd_daly.md §3.2 (RegMap, bms-tools, jbdtool and
serialbattery agree unless noted there).  Every register is a big-endian u16
read and written inside factory mode.  Several registers pack two values
(delay bytes, the 0x38/0x39 hardware-protection bitfields): those keys are
written by read-modify-write with the other half taken from the board's
current value, so one key never changes another.

A ``Field`` turns the register's raw u16 into the canonical value and back;
the ``SettingSpec`` beside it carries label, unit, range and group for the UI.
Each row (``_row``) states key, register and codec once and makes both; the
codec also gives the spec its scale, width, signedness, kind and bit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...model import SettingSpec


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate's marker
    return text


KELVIN_OFFSET = 2731  # 0.1 K, °C = (raw − 2731) / 10 (§2.1)

# TI-AFE lookup tables of 0x38/0x39 (§3.2; other AFE chips use other tables)
SC_DELAY_US = (70, 100, 200, 400)
SC_THRESHOLD_MV = (22, 33, 44, 56, 67, 78, 89, 100)
OC2_DELAY_MS = (8, 20, 40, 80, 160, 320, 640, 1280)
OC2_THRESHOLD_MV = (8, 11, 14, 17, 19, 22, 25, 28, 31, 33, 36, 39, 42, 44, 47, 50)
CUVP2_DELAY_S = (1, 4, 8, 16)
COVP2_DELAY_S = (1, 2, 4, 8)

REG_FUNCTION = 0x2D
REG_MOS = 0xE1  # MOSFET control, outside the EEPROM (§3.4)
STRING_REGISTERS = (0xA0, 0xA1, 0xA2)


@dataclass(frozen=True)
class Field:
    """How one canonical key sits in one register."""

    key: str
    register: int
    decode: Callable[[int], Any]
    #: (value, the register's current raw value) -> new raw value
    encode: Callable[[Any, int], int]


@dataclass(frozen=True)
class Codec:
    """How a value sits in a register's u16, and what that says about its SettingSpec."""

    decode: Callable[[int], Any]
    encode: Callable[[Any, int], int]
    # scale, width, kind, bit: facts of the register layout, stated here once
    spec: dict[str, Any]


def _scaled(scale: float, signed: bool = False) -> Codec:
    def dec(raw: int) -> float:
        if signed and raw & 0x8000:
            raw -= 0x10000
        return round(raw / scale, 6)

    def enc(value: Any, _old: int) -> int:
        return int(round(float(value) * scale)) & 0xFFFF

    return Codec(dec, enc, dict(scale=scale, width=2, signed=signed))


def _integer() -> Codec:
    return Codec(lambda raw: raw, lambda value, _old: int(value) & 0xFFFF, dict(width=2))


def _temperature() -> Codec:
    """0.1 K: °C = (raw − 2731) / 10 (§2.1)."""
    return Codec(
        lambda raw: round((raw - KELVIN_OFFSET) / 10, 1),
        lambda value, _old: int(round(float(value) * 10)) + KELVIN_OFFSET,
        dict(scale=10, width=2),
    )


def _discharge_current() -> Codec:
    """0x29 holds the discharge limit as a negative count of 10 mA (§3.2)."""

    def dec(raw: int) -> float:
        signed = raw - 0x10000 if raw & 0x8000 else raw
        return round(abs(signed) / 100, 2)

    return Codec(
        dec, lambda value, _old: (-int(round(float(value) * 100))) & 0xFFFF, dict(scale=100, width=2)
    )


def _byte(index: int) -> Codec:
    """byte0 is the high (first) byte of the big-endian register."""
    shift = 8 if index == 0 else 0

    def enc(value: Any, old: int) -> int:
        v = int(value)
        if not 0 <= v <= 0xFF:
            raise ValueError(f"{v} does not fit in one byte (0..255)")
        return (old & ~(0xFF << shift) & 0xFFFF) | (v << shift)

    return Codec(lambda raw: raw >> shift & 0xFF, enc, dict(width=1))


def _table(shift: int, bits: int, table: tuple[int, ...]) -> Codec:
    mask = (1 << bits) - 1

    def dec(raw: int) -> int:
        i = raw >> shift & mask
        return table[i] if i < len(table) else table[-1]

    def enc(value: Any, old: int) -> int:
        v = int(value)
        if v not in table:
            raise ValueError(f"{v} is not one of the board's steps: {', '.join(map(str, table))}")
        return (old & ~(mask << shift) & 0xFFFF) | (table.index(v) << shift)

    return Codec(dec, enc, dict(width=2))


def _bit(bit: int) -> Codec:
    return Codec(
        lambda raw: bool(raw >> bit & 1),
        lambda value, old: (old | 1 << bit) if value else (old & ~(1 << bit) & 0xFFFF),
        dict(kind="bool", bit=bit, width=2),
    )


def _date() -> Codec:
    def dec(raw: int) -> str:
        return f"{2000 + (raw >> 9):04d}-{raw >> 5 & 0x0F:02d}-{raw & 0x1F:02d}"

    def enc(value: Any, _old: int) -> int:
        y, m, d = (int(x) for x in str(value).split("-"))
        return (y - 2000) << 9 | m << 5 | d

    return Codec(dec, enc, dict(kind="text", width=2))


def _row(key: str, register: int, codec: Codec, label: str, **spec: Any) -> tuple[SettingSpec, Field]:
    """One setting: its key, register and codec once; label, unit, range and group for the UI."""
    unit = spec.pop("unit", "")
    return (
        SettingSpec(key=key, label=label, unit=unit, register=register, **codec.spec, **spec),
        Field(key, register, codec.decode, codec.encode),
    )


_V = dict(group="cell_voltages", unit="V", step=0.001)
_P = dict(group="pack", unit="V", step=0.01, minimum=1, maximum=655.35)
_T = dict(group="temperatures", unit="°C", step=0.1, minimum=-40, maximum=120)
_D = dict(unit="s", step=1, minimum=0, maximum=255)
_WORD = dict(minimum=0, maximum=65535, step=1)  # a raw u16

#: (spec, field) in the order the vendor tool lists them
_ROWS: list[tuple[SettingSpec, Field]] = [
    _row(
        "capacity_nominal_ah",
        0x10,
        _scaled(100),
        QT_TRANSLATE_NOOP("Vocabulary", "Battery capacity"),
        unit="Ah",
        group="pack",
        step=0.01,
        minimum=0.1,
        maximum=655.35,
    ),
    _row(
        "jbd_cycle_capacity_ah",
        0x11,
        _scaled(100),
        QT_TRANSLATE_NOOP("Vocabulary", "Cycle capacity"),
        unit="Ah",
        group="pack",
        step=0.01,
        minimum=0.1,
        maximum=655.35,
        help=QT_TRANSLATE_NOOP("Vocabulary", "The charge counted as one cycle."),
    ),
    _row(
        "soc_full_v",
        0x12,
        _scaled(1000),
        QT_TRANSLATE_NOOP("Vocabulary", "Cell voltage at 100 %"),
        minimum=1.5,
        maximum=4.5,
        **_V,
    ),
    _row(
        "soc_empty_v",
        0x13,
        _scaled(1000),
        QT_TRANSLATE_NOOP("Vocabulary", "Cell voltage at 0 %"),
        minimum=1.0,
        maximum=4.0,
        **_V,
    ),
    _row(
        "jbd_self_discharge_pct",
        0x14,
        _scaled(10),
        QT_TRANSLATE_NOOP("Vocabulary", "Self-discharge rate"),
        unit="%",
        step=0.1,
        minimum=0,
        maximum=100,
        help=QT_TRANSLATE_NOOP(
            "Vocabulary",
            "Sources disagree: self-discharge in 0.1 % (RegMap) or the board's own consumption in mA (V11).",
        ),
    ),
    _row(
        "jbd_manufacture_date",
        0x15,
        _date(),
        QT_TRANSLATE_NOOP("Vocabulary", "Manufacture date"),
        writable=False,
    ),
    _row(
        "jbd_serial_number",
        0x16,
        _integer(),
        QT_TRANSLATE_NOOP("Vocabulary", "Serial number"),
        writable=False,
        **_WORD,
    ),
    _row(
        "jbd_cycle_count",
        0x17,
        _integer(),
        QT_TRANSLATE_NOOP("Vocabulary", "Cycle count"),
        writable=False,
        **_WORD,
    ),
    _row(
        "charge_otp_c", 0x18, _temperature(), QT_TRANSLATE_NOOP("Vocabulary", "Charge over-temperature"), **_T
    ),
    _row(
        "charge_otp_recovery_c",
        0x19,
        _temperature(),
        QT_TRANSLATE_NOOP("Vocabulary", "Charge over-temperature recovery"),
        **_T,
    ),
    _row(
        "charge_utp_c",
        0x1A,
        _temperature(),
        QT_TRANSLATE_NOOP("Vocabulary", "Charge under-temperature"),
        **_T,
    ),
    _row(
        "charge_utp_recovery_c",
        0x1B,
        _temperature(),
        QT_TRANSLATE_NOOP("Vocabulary", "Charge under-temperature recovery"),
        **_T,
    ),
    _row(
        "discharge_otp_c",
        0x1C,
        _temperature(),
        QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-temperature"),
        **_T,
    ),
    _row(
        "discharge_otp_recovery_c",
        0x1D,
        _temperature(),
        QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-temperature recovery"),
        **_T,
    ),
    _row(
        "discharge_utp_c",
        0x1E,
        _temperature(),
        QT_TRANSLATE_NOOP("Vocabulary", "Discharge under-temperature"),
        **_T,
    ),
    _row(
        "discharge_utp_recovery_c",
        0x1F,
        _temperature(),
        QT_TRANSLATE_NOOP("Vocabulary", "Discharge under-temperature recovery"),
        **_T,
    ),
    _row(
        "pack_ovp_v",
        0x20,
        _scaled(100),
        QT_TRANSLATE_NOOP("Vocabulary", "Pack over-voltage protection"),
        **_P,
    ),
    _row(
        "pack_ovp_recovery_v",
        0x21,
        _scaled(100),
        QT_TRANSLATE_NOOP("Vocabulary", "Pack over-voltage recovery"),
        **_P,
    ),
    _row(
        "pack_uvp_v",
        0x22,
        _scaled(100),
        QT_TRANSLATE_NOOP("Vocabulary", "Pack under-voltage protection"),
        **_P,
    ),
    _row(
        "pack_uvp_recovery_v",
        0x23,
        _scaled(100),
        QT_TRANSLATE_NOOP("Vocabulary", "Pack under-voltage recovery"),
        **_P,
    ),
    _row(
        "cell_ovp_v",
        0x24,
        _scaled(1000),
        QT_TRANSLATE_NOOP("Vocabulary", "Cell over-voltage protection"),
        minimum=1.5,
        maximum=4.5,
        **_V,
    ),
    _row(
        "cell_ovp_recovery_v",
        0x25,
        _scaled(1000),
        QT_TRANSLATE_NOOP("Vocabulary", "Cell over-voltage recovery"),
        minimum=1.5,
        maximum=4.5,
        **_V,
    ),
    _row(
        "cell_uvp_v",
        0x26,
        _scaled(1000),
        QT_TRANSLATE_NOOP("Vocabulary", "Cell under-voltage protection"),
        minimum=1.0,
        maximum=4.0,
        **_V,
    ),
    _row(
        "cell_uvp_recovery_v",
        0x27,
        _scaled(1000),
        QT_TRANSLATE_NOOP("Vocabulary", "Cell under-voltage recovery"),
        minimum=1.0,
        maximum=4.0,
        **_V,
    ),
    _row(
        "charge_ocp_a",
        0x28,
        _scaled(100, signed=True),
        QT_TRANSLATE_NOOP("Vocabulary", "Charge over-current"),
        unit="A",
        group="currents",
        step=0.01,
        minimum=0.1,
        maximum=327.67,
    ),
    _row(
        "discharge_ocp_a",
        0x29,
        _discharge_current(),
        QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-current"),
        unit="A",
        group="currents",
        step=0.01,
        minimum=0.1,
        maximum=327.68,
        help=QT_TRANSLATE_NOOP("Vocabulary", "Stored by the board as a negative current."),
    ),
    _row(
        "balance_start_v",
        0x2A,
        _scaled(1000),
        QT_TRANSLATE_NOOP("Vocabulary", "Balance start voltage"),
        minimum=1.5,
        maximum=4.5,
        unit="V",
        step=0.001,
        group="balancing",
    ),
    _row(
        "balance_trigger_delta_v",
        0x2B,
        _scaled(1000),
        QT_TRANSLATE_NOOP("Vocabulary", "Balance trigger difference"),
        unit="V",
        group="balancing",
        step=0.001,
        minimum=0.001,
        maximum=1.0,
    ),
    _row(
        "jbd_shunt_resistance_ohm",
        0x2C,
        _scaled(10000),
        QT_TRANSLATE_NOOP("Vocabulary", "Current shunt resistance"),
        unit="Ω",
        step=0.00001,
        minimum=0.00001,
        maximum=6.5535,
        help=QT_TRANSLATE_NOOP("Vocabulary", "Board calibration: leave it as the factory set it."),
    ),
    # 0x2D, the function bits: the raw word first, so a rebuilt register loses no bit
    _row(
        "jbd_function_bits",
        REG_FUNCTION,
        _integer(),
        QT_TRANSLATE_NOOP("Vocabulary", "Function switches (raw)"),
        writable=False,
        **_WORD,
    ),
    _row(
        "balance_switch",
        REG_FUNCTION,
        _bit(2),
        QT_TRANSLATE_NOOP("Vocabulary", "Balancing"),
        group="switches",
    ),
    _row(
        "jbd_balance_only_charging",
        REG_FUNCTION,
        _bit(3),
        QT_TRANSLATE_NOOP("Vocabulary", "Balance only while charging"),
        group="balancing",
    ),
    _row(
        "jbd_switch_input",
        REG_FUNCTION,
        _bit(0),
        QT_TRANSLATE_NOOP("Vocabulary", "Switch input (weak-current key)"),
        group="switches",
    ),
    _row(
        "jbd_load_detection",
        REG_FUNCTION,
        _bit(1),
        QT_TRANSLATE_NOOP("Vocabulary", "Load detection after short circuit"),
        group="switches",
    ),
    _row("jbd_led_enable", REG_FUNCTION, _bit(4), QT_TRANSLATE_NOOP("Vocabulary", "LEDs"), group="other"),
    _row(
        "jbd_led_capacity",
        REG_FUNCTION,
        _bit(5),
        QT_TRANSLATE_NOOP("Vocabulary", "LED capacity display"),
        group="other",
    ),
    _row(
        "jbd_ntc_bits",
        0x2E,
        _integer(),
        QT_TRANSLATE_NOOP("Vocabulary", "Temperature sensors enabled (bits)"),
        minimum=0,
        maximum=255,
        step=1,
        group="temperatures",
        help=QT_TRANSLATE_NOOP("Vocabulary", "Bit 0 is sensor 1."),
    ),
    _row(
        "cell_count",
        0x2F,
        _integer(),
        QT_TRANSLATE_NOOP("Vocabulary", "Cell count"),
        minimum=1,
        maximum=32,
        step=1,
        group="pack",
    ),
    _row(
        "jbd_fet_control_time_s",
        0x30,
        _integer(),
        QT_TRANSLATE_NOOP("Vocabulary", "Switch control time"),
        unit="s",
        **_WORD,
    ),
    _row(
        "jbd_led_timer_s", 0x31, _integer(), QT_TRANSLATE_NOOP("Vocabulary", "LED on time"), unit="s", **_WORD
    ),
]
_SOC_LABELS = {
    80: QT_TRANSLATE_NOOP("Vocabulary", "Cell voltage at 80 %"),
    60: QT_TRANSLATE_NOOP("Vocabulary", "Cell voltage at 60 %"),
    40: QT_TRANSLATE_NOOP("Vocabulary", "Cell voltage at 40 %"),
    20: QT_TRANSLATE_NOOP("Vocabulary", "Cell voltage at 20 %"),
    90: QT_TRANSLATE_NOOP("Vocabulary", "Cell voltage at 90 %"),
    70: QT_TRANSLATE_NOOP("Vocabulary", "Cell voltage at 70 %"),
    50: QT_TRANSLATE_NOOP("Vocabulary", "Cell voltage at 50 %"),
    30: QT_TRANSLATE_NOOP("Vocabulary", "Cell voltage at 30 %"),
    10: QT_TRANSLATE_NOOP("Vocabulary", "Cell voltage at 10 %"),
}


def _soc_row(register: int, pct: int) -> tuple[SettingSpec, Field]:
    return _row(f"jbd_soc_{pct}_v", register, _scaled(1000), _SOC_LABELS[pct], minimum=1.0, maximum=4.5, **_V)


_ROWS += [_soc_row(reg, pct) for reg, pct in ((0x32, 80), (0x33, 60), (0x34, 40), (0x35, 20))]
_ROWS += [
    _row(
        "jbd_cell_ovp2_v",
        0x36,
        _scaled(1000),
        QT_TRANSLATE_NOOP("Vocabulary", "Cell over-voltage, hardware level"),
        minimum=1.5,
        maximum=4.6,
        **_V,
    ),
    _row(
        "jbd_cell_uvp2_v",
        0x37,
        _scaled(1000),
        QT_TRANSLATE_NOOP("Vocabulary", "Cell under-voltage, hardware level"),
        minimum=1.0,
        maximum=4.0,
        **_V,
    ),
    # 0x38, the TI front end's hardware protection (the raw word first, as 0x2D)
    _row(
        "jbd_hw_protection_raw",
        0x38,
        _integer(),
        QT_TRANSLATE_NOOP("Vocabulary", "Hardware protection register (raw)"),
        group="currents",
        writable=False,
        **_WORD,
    ),
    _row(
        "jbd_hw_thresholds_doubled",
        0x38,
        _bit(15),
        QT_TRANSLATE_NOOP("Vocabulary", "Hardware current thresholds ×2"),
        group="currents",
    ),
    _row(
        "short_circuit_delay_us",
        0x38,
        _table(11, 2, SC_DELAY_US),
        QT_TRANSLATE_NOOP("Vocabulary", "Short-circuit delay"),
        unit="µs",
        group="currents",
        step=1,
        minimum=70,
        maximum=400,
        help=QT_TRANSLATE_NOOP("Vocabulary", "One of 70, 100, 200 or 400 µs (TI front end)."),
    ),
    _row(
        "jbd_short_circuit_threshold_mv",
        0x38,
        _table(8, 3, SC_THRESHOLD_MV),
        QT_TRANSLATE_NOOP("Vocabulary", "Short-circuit threshold (shunt)"),
        unit="mV",
        group="currents",
        step=1,
        minimum=22,
        maximum=100,
    ),
    _row(
        "jbd_oc2_delay_ms",
        0x38,
        _table(4, 4, OC2_DELAY_MS),
        QT_TRANSLATE_NOOP("Vocabulary", "Hardware over-current delay"),
        unit="ms",
        group="currents",
        step=1,
        minimum=8,
        maximum=1280,
    ),
    _row(
        "jbd_oc2_threshold_mv",
        0x38,
        _table(0, 4, OC2_THRESHOLD_MV),
        QT_TRANSLATE_NOOP("Vocabulary", "Hardware over-current threshold (shunt)"),
        unit="mV",
        group="currents",
        step=1,
        minimum=8,
        maximum=50,
    ),
    # 0x39, the hardware voltage delays and the short-circuit recovery
    _row(
        "jbd_hw_delays_raw",
        0x39,
        _integer(),
        QT_TRANSLATE_NOOP("Vocabulary", "Hardware delays register (raw)"),
        group="cell_voltages",
        writable=False,
        **_WORD,
    ),
    _row(
        "jbd_cell_uvp2_delay_s",
        0x39,
        _table(14, 2, CUVP2_DELAY_S),
        QT_TRANSLATE_NOOP("Vocabulary", "Hardware under-voltage delay"),
        unit="s",
        group="cell_voltages",
        step=1,
        minimum=1,
        maximum=16,
        help=QT_TRANSLATE_NOOP("Vocabulary", "Sources disagree on the bit order of this register."),
    ),
    _row(
        "jbd_cell_ovp2_delay_s",
        0x39,
        _table(12, 2, COVP2_DELAY_S),
        QT_TRANSLATE_NOOP("Vocabulary", "Hardware over-voltage delay"),
        unit="s",
        group="cell_voltages",
        step=1,
        minimum=1,
        maximum=8,
    ),
    _row(
        "short_circuit_recovery_s",
        0x39,
        _byte(1),
        QT_TRANSLATE_NOOP("Vocabulary", "Short-circuit recovery"),
        group="currents",
        **_D,
    ),
    # 0x3A-0x3F: two one-byte delays per register, the high byte first
    _row(
        "jbd_charge_utp_delay_s",
        0x3A,
        _byte(0),
        QT_TRANSLATE_NOOP("Vocabulary", "Charge under-temperature delay"),
        group="temperatures",
        **_D,
    ),
    _row(
        "jbd_charge_otp_delay_s",
        0x3A,
        _byte(1),
        QT_TRANSLATE_NOOP("Vocabulary", "Charge over-temperature delay"),
        group="temperatures",
        **_D,
    ),
    _row(
        "jbd_discharge_utp_delay_s",
        0x3B,
        _byte(0),
        QT_TRANSLATE_NOOP("Vocabulary", "Discharge under-temperature delay"),
        group="temperatures",
        **_D,
    ),
    _row(
        "jbd_discharge_otp_delay_s",
        0x3B,
        _byte(1),
        QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-temperature delay"),
        group="temperatures",
        **_D,
    ),
    _row(
        "jbd_pack_uvp_delay_s",
        0x3C,
        _byte(0),
        QT_TRANSLATE_NOOP("Vocabulary", "Pack under-voltage delay"),
        group="pack",
        **_D,
    ),
    _row(
        "jbd_pack_ovp_delay_s",
        0x3C,
        _byte(1),
        QT_TRANSLATE_NOOP("Vocabulary", "Pack over-voltage delay"),
        group="pack",
        **_D,
    ),
    _row(
        "jbd_cell_uvp_delay_s",
        0x3D,
        _byte(0),
        QT_TRANSLATE_NOOP("Vocabulary", "Cell under-voltage delay"),
        group="cell_voltages",
        **_D,
    ),
    _row(
        "jbd_cell_ovp_delay_s",
        0x3D,
        _byte(1),
        QT_TRANSLATE_NOOP("Vocabulary", "Cell over-voltage delay"),
        group="cell_voltages",
        **_D,
    ),
    _row(
        "charge_ocp_delay_s",
        0x3E,
        _byte(0),
        QT_TRANSLATE_NOOP("Vocabulary", "Charge over-current delay"),
        group="currents",
        **_D,
    ),
    _row(
        "charge_ocp_recovery_s",
        0x3E,
        _byte(1),
        QT_TRANSLATE_NOOP("Vocabulary", "Charge over-current recovery"),
        group="currents",
        **_D,
    ),
    _row(
        "discharge_ocp_delay_s",
        0x3F,
        _byte(0),
        QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-current delay"),
        group="currents",
        **_D,
    ),
    _row(
        "discharge_ocp_recovery_s",
        0x3F,
        _byte(1),
        QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-current recovery"),
        group="currents",
        **_D,
    ),
    _row(
        "jbd_gps_cutoff_v",
        0x40,
        _scaled(1000),
        QT_TRANSLATE_NOOP("Vocabulary", "GPS board cut-off voltage"),
        minimum=0,
        maximum=65.535,
        group="other",
        unit="V",
        step=0.001,
    ),
    _row(
        "jbd_gps_time_s",
        0x41,
        _integer(),
        QT_TRANSLATE_NOOP("Vocabulary", "GPS board cut-off time"),
        unit="s",
        **_WORD,
    ),
]
#: registers a settings read may go without (the keys are then left out): the
#: 10 % points exist on firmware 0x20 and newer only (§3.2), and the vendor app's
#: own full read of an SP04S034 (jbd.json ``jbd_sp04eeprom_*``) skipped 0x2D,
#: 0x2E, 0x31, 0x40 and 0x41, so not every board need answer them
OPTIONAL_REGISTERS = frozenset(range(0x42, 0x48)) | {0x2D, 0x2E, 0x31, 0x40, 0x41}
_ROWS += [_soc_row(reg, pct) for reg, pct in ((0x42, 90), (0x43, 70), (0x44, 50), (0x45, 30), (0x46, 10))]

#: the strings (§3.2): reply data = [length][ASCII], at most 31 characters
_TEXT = dict(unit="", kind="text", group="other", max_length=31)
TEXT_ROWS: list[SettingSpec] = [
    SettingSpec(
        "jbd_manufacturer", QT_TRANSLATE_NOOP("Vocabulary", "Manufacturer name"), register=0xA0, **_TEXT
    ),
    SettingSpec(
        "device_name",
        QT_TRANSLATE_NOOP("Vocabulary", "Device name"),
        register=0xA1,
        **_TEXT,
        help=QT_TRANSLATE_NOOP(
            "Vocabulary",
            "What the board reports as its model: English letters, digits and dashes, at most 31.",
        ),
    ),
    SettingSpec("jbd_barcode", QT_TRANSLATE_NOOP("Vocabulary", "Barcode"), register=0xA2, **_TEXT),
]

#: the MOSFET switches (0xE1, §3.4): not in the EEPROM; read back from the live
#: data's FET state and the "MOS software lock" protection bit
_SWITCH = dict(unit="", register=REG_MOS, kind="bool", group="switches")
SWITCH_ROWS: list[SettingSpec] = [
    SettingSpec("charge_switch", QT_TRANSLATE_NOOP("Vocabulary", "Charging"), bit=0, **_SWITCH),
    SettingSpec("discharge_switch", QT_TRANSLATE_NOOP("Vocabulary", "Discharging"), bit=1, **_SWITCH),
]

SCHEMA: list[SettingSpec] = [spec for spec, _ in _ROWS] + TEXT_ROWS + SWITCH_ROWS
FIELDS: dict[str, Field] = {field.key: field for _, field in _ROWS}
SPECS: dict[str, SettingSpec] = {spec.key: spec for spec in SCHEMA}

#: every EEPROM register the settings read asks for, in order
NUMERIC_REGISTERS: tuple[int, ...] = tuple(sorted({f.register for f in FIELDS.values()}))


def fields_of(register: int) -> list[Field]:
    return [f for f in FIELDS.values() if f.register == register]


def decode_register(register: int, raw: int) -> dict[str, Any]:
    """Canonical values one register's raw u16 carries."""
    return {f.key: f.decode(raw) for f in fields_of(register)}


def encode_value(key: str, value: Any, old_raw: int | None) -> tuple[int, int]:
    """(register, new raw u16) for one key; ``old_raw`` fills shared registers."""
    field = FIELDS[key]
    spec = SPECS[key]
    spec.check(value)
    if old_raw is None:
        shared = [f for f in fields_of(field.register) if f.key != key]
        if shared:
            raise ValueError(
                f"{key} shares register {field.register:#04x} with "
                f"{', '.join(f.key for f in shared)}: read the settings first"
            )
        old_raw = 0
    return field.register, field.encode(value, old_raw)


def current_raw(register: int, current: dict[str, Any] | None) -> int | None:
    """A register's raw u16 rebuilt from the board's last-read canonical values
    (raw rows such as ``jbd_function_bits`` come first, so no bit is lost)."""
    if current is None:
        return None
    raw = 0
    for f in fields_of(register):
        if f.key not in current or current[f.key] is None:
            return None
        raw = f.encode(current[f.key], raw)
    return raw


def encode_write(key: str, value: Any, current: dict[str, Any] | None) -> tuple[int, int]:
    """(register, raw u16) for writing ``key``; shared registers keep their other values."""
    field = FIELDS[key]
    return encode_value(key, value, current_raw(field.register, current))
