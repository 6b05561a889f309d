"""JBD settings: the legacy EEPROM register map as schema rows on canonical keys.

Facts from ../shared/protocols/jbd_daly.md §3.2 (RegMap, bms-tools, jbdtool and
serialbattery agree unless noted there).  Every register is a big-endian u16
read and written inside factory mode.  Several registers pack two values
(delay bytes, the 0x38/0x39 hardware-protection bitfields): those keys are
written by read-modify-write with the other half taken from the board's
current value, so one key never changes another.

A ``Field`` turns the register's raw u16 into the canonical value and back;
the ``SettingSpec`` beside it carries label, unit, range and group for the UI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

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


def _scaled(scale: float, signed: bool = False):
    def dec(raw: int) -> float:
        if signed and raw & 0x8000:
            raw -= 0x10000
        return round(raw / scale, 6)

    def enc(value: Any, _old: int) -> int:
        return int(round(float(value) * scale)) & 0xFFFF
    return dec, enc


def _integer():
    return (lambda raw: raw), (lambda value, _old: int(value) & 0xFFFF)


def _temperature():
    return (lambda raw: round((raw - KELVIN_OFFSET) / 10, 1),
            lambda value, _old: int(round(float(value) * 10)) + KELVIN_OFFSET)


def _discharge_current():
    """0x29 holds the discharge limit as a negative count of 10 mA (§3.2)."""
    def dec(raw: int) -> float:
        signed = raw - 0x10000 if raw & 0x8000 else raw
        return round(abs(signed) / 100, 2)
    return dec, lambda value, _old: (-int(round(float(value) * 100))) & 0xFFFF


def _byte(index: int):
    """byte0 is the high (first) byte of the big-endian register."""
    shift = 8 if index == 0 else 0

    def enc(value: Any, old: int) -> int:
        v = int(value)
        if not 0 <= v <= 0xFF:
            raise ValueError(f"{v} does not fit in one byte (0..255)")
        return (old & ~(0xFF << shift) & 0xFFFF) | (v << shift)
    return (lambda raw: raw >> shift & 0xFF), enc


def _table(shift: int, bits: int, table: tuple[int, ...]):
    mask = (1 << bits) - 1

    def dec(raw: int) -> int:
        i = raw >> shift & mask
        return table[i] if i < len(table) else table[-1]

    def enc(value: Any, old: int) -> int:
        v = int(value)
        if v not in table:
            raise ValueError(f"{v} is not one of the board's steps: {', '.join(map(str, table))}")
        return (old & ~(mask << shift) & 0xFFFF) | (table.index(v) << shift)
    return dec, enc


def _bit(bit: int):
    return (lambda raw: bool(raw >> bit & 1),
            lambda value, old: (old | 1 << bit) if value else (old & ~(1 << bit) & 0xFFFF))


def _date():
    def dec(raw: int) -> str:
        return f"{2000 + (raw >> 9):04d}-{raw >> 5 & 0x0F:02d}-{raw & 0x1F:02d}"

    def enc(value: Any, _old: int) -> int:
        y, m, d = (int(x) for x in str(value).split("-"))
        return (y - 2000) << 9 | m << 5 | d
    return dec, enc


def _f(key: str, register: int, codec: tuple) -> Field:
    return Field(key, register, codec[0], codec[1])


S = SettingSpec
_V = dict(group="cell_voltages", unit="V", step=0.001)
_P = dict(group="pack", unit="V", step=0.01)
_T = dict(group="temperatures", unit="°C", step=0.1, minimum=-40, maximum=120)
_D = dict(unit="s", step=1, minimum=0, maximum=255)

#: (spec, field) in the order the vendor tool lists them
_ROWS: list[tuple[SettingSpec, Field]] = [
    (S("capacity_nominal_ah", QT_TRANSLATE_NOOP("Vocabulary", "Battery capacity"), "Ah", 0x10, 100, 2, group="pack", step=0.01,
       minimum=0.1, maximum=655.35), _f("capacity_nominal_ah", 0x10, _scaled(100))),
    (S("jbd_cycle_capacity_ah", QT_TRANSLATE_NOOP("Vocabulary", "Cycle capacity"), "Ah", 0x11, 100, 2, group="pack", step=0.01,
       minimum=0.1, maximum=655.35,
       help=QT_TRANSLATE_NOOP("Vocabulary", "The charge counted as one cycle.")), _f("jbd_cycle_capacity_ah", 0x11, _scaled(100))),
    (S("soc_full_v", QT_TRANSLATE_NOOP("Vocabulary", "Cell voltage at 100 %"), register=0x12, scale=1000, width=2,
       minimum=1.5, maximum=4.5, **_V), _f("soc_full_v", 0x12, _scaled(1000))),
    (S("soc_empty_v", QT_TRANSLATE_NOOP("Vocabulary", "Cell voltage at 0 %"), register=0x13, scale=1000, width=2,
       minimum=1.0, maximum=4.0, **_V), _f("soc_empty_v", 0x13, _scaled(1000))),
    (S("jbd_self_discharge_pct", QT_TRANSLATE_NOOP("Vocabulary", "Self-discharge rate"), "%", 0x14, 10, 2, step=0.1, minimum=0,
       maximum=100, help=QT_TRANSLATE_NOOP("Vocabulary", "Sources disagree: self-discharge in 0.1 % "
                                     "(RegMap) or the board's own consumption in mA (V11).")), _f("jbd_self_discharge_pct", 0x14, _scaled(10))),
    (S("jbd_manufacture_date", QT_TRANSLATE_NOOP("Vocabulary", "Manufacture date"), "", 0x15, kind="text", writable=False),
     _f("jbd_manufacture_date", 0x15, _date())),
    (S("jbd_serial_number", QT_TRANSLATE_NOOP("Vocabulary", "Serial number"), "", 0x16, minimum=0, maximum=65535, step=1,
       writable=False), _f("jbd_serial_number", 0x16, _integer())),
    (S("jbd_cycle_count", QT_TRANSLATE_NOOP("Vocabulary", "Cycle count"), "", 0x17, minimum=0, maximum=65535, step=1,
       writable=False), _f("jbd_cycle_count", 0x17, _integer())),
    (S("charge_otp_c", QT_TRANSLATE_NOOP("Vocabulary", "Charge over-temperature"), register=0x18, **_T),
     _f("charge_otp_c", 0x18, _temperature())),
    (S("charge_otp_recovery_c", QT_TRANSLATE_NOOP("Vocabulary", "Charge over-temperature recovery"), register=0x19, **_T),
     _f("charge_otp_recovery_c", 0x19, _temperature())),
    (S("charge_utp_c", QT_TRANSLATE_NOOP("Vocabulary", "Charge under-temperature"), register=0x1A, **_T),
     _f("charge_utp_c", 0x1A, _temperature())),
    (S("charge_utp_recovery_c", QT_TRANSLATE_NOOP("Vocabulary", "Charge under-temperature recovery"), register=0x1B, **_T),
     _f("charge_utp_recovery_c", 0x1B, _temperature())),
    (S("discharge_otp_c", QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-temperature"), register=0x1C, **_T),
     _f("discharge_otp_c", 0x1C, _temperature())),
    (S("discharge_otp_recovery_c", QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-temperature recovery"), register=0x1D, **_T),
     _f("discharge_otp_recovery_c", 0x1D, _temperature())),
    (S("discharge_utp_c", QT_TRANSLATE_NOOP("Vocabulary", "Discharge under-temperature"), register=0x1E, **_T),
     _f("discharge_utp_c", 0x1E, _temperature())),
    (S("discharge_utp_recovery_c", QT_TRANSLATE_NOOP("Vocabulary", "Discharge under-temperature recovery"), register=0x1F, **_T),
     _f("discharge_utp_recovery_c", 0x1F, _temperature())),
    (S("pack_ovp_v", QT_TRANSLATE_NOOP("Vocabulary", "Pack over-voltage protection"), register=0x20, scale=100, width=2,
       minimum=1, maximum=655.35, **_P), _f("pack_ovp_v", 0x20, _scaled(100))),
    (S("pack_ovp_recovery_v", QT_TRANSLATE_NOOP("Vocabulary", "Pack over-voltage recovery"), register=0x21, scale=100, width=2,
       minimum=1, maximum=655.35, **_P), _f("pack_ovp_recovery_v", 0x21, _scaled(100))),
    (S("pack_uvp_v", QT_TRANSLATE_NOOP("Vocabulary", "Pack under-voltage protection"), register=0x22, scale=100, width=2,
       minimum=1, maximum=655.35, **_P), _f("pack_uvp_v", 0x22, _scaled(100))),
    (S("pack_uvp_recovery_v", QT_TRANSLATE_NOOP("Vocabulary", "Pack under-voltage recovery"), register=0x23, scale=100, width=2,
       minimum=1, maximum=655.35, **_P), _f("pack_uvp_recovery_v", 0x23, _scaled(100))),
    (S("cell_ovp_v", QT_TRANSLATE_NOOP("Vocabulary", "Cell over-voltage protection"), register=0x24, scale=1000, width=2,
       minimum=1.5, maximum=4.5, **_V), _f("cell_ovp_v", 0x24, _scaled(1000))),
    (S("cell_ovp_recovery_v", QT_TRANSLATE_NOOP("Vocabulary", "Cell over-voltage recovery"), register=0x25, scale=1000, width=2,
       minimum=1.5, maximum=4.5, **_V), _f("cell_ovp_recovery_v", 0x25, _scaled(1000))),
    (S("cell_uvp_v", QT_TRANSLATE_NOOP("Vocabulary", "Cell under-voltage protection"), register=0x26, scale=1000, width=2,
       minimum=1.0, maximum=4.0, **_V), _f("cell_uvp_v", 0x26, _scaled(1000))),
    (S("cell_uvp_recovery_v", QT_TRANSLATE_NOOP("Vocabulary", "Cell under-voltage recovery"), register=0x27, scale=1000, width=2,
       minimum=1.0, maximum=4.0, **_V), _f("cell_uvp_recovery_v", 0x27, _scaled(1000))),
    (S("charge_ocp_a", QT_TRANSLATE_NOOP("Vocabulary", "Charge over-current"), "A", 0x28, 100, 2, group="currents", step=0.01,
       minimum=0.1, maximum=327.67), _f("charge_ocp_a", 0x28, _scaled(100, signed=True))),
    (S("discharge_ocp_a", QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-current"), "A", 0x29, 100, 2, group="currents",
       step=0.01, minimum=0.1, maximum=327.68,
       help=QT_TRANSLATE_NOOP("Vocabulary", "Stored by the board as a negative current.")), _f("discharge_ocp_a", 0x29,
                                                              _discharge_current())),
    (S("balance_start_v", QT_TRANSLATE_NOOP("Vocabulary", "Balance start voltage"), register=0x2A, scale=1000, width=2,
       minimum=1.5, maximum=4.5, group="balancing", unit="V", step=0.001),
     _f("balance_start_v", 0x2A, _scaled(1000))),
    (S("balance_trigger_delta_v", QT_TRANSLATE_NOOP("Vocabulary", "Balance trigger difference"), "V", 0x2B, 1000, 2,
       group="balancing", step=0.001, minimum=0.001, maximum=1.0),
     _f("balance_trigger_delta_v", 0x2B, _scaled(1000))),
    (S("jbd_shunt_resistance_ohm", QT_TRANSLATE_NOOP("Vocabulary", "Current shunt resistance"), "Ω", 0x2C, 10000, 2, step=0.00001,
       minimum=0.00001, maximum=6.5535, help=QT_TRANSLATE_NOOP("Vocabulary", "Board calibration: leave it as the factory set it.")),
     _f("jbd_shunt_resistance_ohm", 0x2C, _scaled(10000))),
    (S("jbd_function_bits", QT_TRANSLATE_NOOP("Vocabulary", "Function switches (raw)"), "", 0x2D, minimum=0, maximum=65535,
       step=1, writable=False), _f("jbd_function_bits", 0x2D, _integer())),
    (S("balance_switch", QT_TRANSLATE_NOOP("Vocabulary", "Balancing"), "", 0x2D, kind="bool", bit=2, group="switches"),
     _f("balance_switch", 0x2D, _bit(2))),
    (S("jbd_balance_only_charging", QT_TRANSLATE_NOOP("Vocabulary", "Balance only while charging"), "", 0x2D, kind="bool", bit=3,
       group="balancing"), _f("jbd_balance_only_charging", 0x2D, _bit(3))),
    (S("jbd_switch_input", QT_TRANSLATE_NOOP("Vocabulary", "Switch input (weak-current key)"), "", 0x2D, kind="bool", bit=0,
       group="switches"), _f("jbd_switch_input", 0x2D, _bit(0))),
    (S("jbd_load_detection", QT_TRANSLATE_NOOP("Vocabulary", "Load detection after short circuit"), "", 0x2D, kind="bool",
       bit=1, group="switches"), _f("jbd_load_detection", 0x2D, _bit(1))),
    (S("jbd_led_enable", QT_TRANSLATE_NOOP("Vocabulary", "LEDs"), "", 0x2D, kind="bool", bit=4, group="other"),
     _f("jbd_led_enable", 0x2D, _bit(4))),
    (S("jbd_led_capacity", QT_TRANSLATE_NOOP("Vocabulary", "LED capacity display"), "", 0x2D, kind="bool", bit=5, group="other"),
     _f("jbd_led_capacity", 0x2D, _bit(5))),
    (S("jbd_ntc_bits", QT_TRANSLATE_NOOP("Vocabulary", "Temperature sensors enabled (bits)"), "", 0x2E, minimum=0, maximum=255,
       step=1, group="temperatures", help=QT_TRANSLATE_NOOP("Vocabulary", "Bit 0 is sensor 1.")), _f("jbd_ntc_bits", 0x2E,
                                                                   _integer())),
    (S("cell_count", QT_TRANSLATE_NOOP("Vocabulary", "Cell count"), "", 0x2F, minimum=1, maximum=32, step=1, group="pack"),
     _f("cell_count", 0x2F, _integer())),
    (S("jbd_fet_control_time_s", QT_TRANSLATE_NOOP("Vocabulary", "Switch control time"), "s", 0x30, minimum=0, maximum=65535,
       step=1), _f("jbd_fet_control_time_s", 0x30, _integer())),
    (S("jbd_led_timer_s", QT_TRANSLATE_NOOP("Vocabulary", "LED on time"), "s", 0x31, minimum=0, maximum=65535, step=1),
     _f("jbd_led_timer_s", 0x31, _integer())),
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
for _reg, _pct in ((0x32, 80), (0x33, 60), (0x34, 40), (0x35, 20)):
    _ROWS.append((S(f"jbd_soc_{_pct}_v", _SOC_LABELS[_pct], register=_reg, scale=1000,
                    width=2, minimum=1.0, maximum=4.5, **_V),
                  _f(f"jbd_soc_{_pct}_v", _reg, _scaled(1000))))
_ROWS += [
    (S("jbd_cell_ovp2_v", QT_TRANSLATE_NOOP("Vocabulary", "Cell over-voltage, hardware level"), register=0x36, scale=1000,
       width=2, minimum=1.5, maximum=4.6, **_V), _f("jbd_cell_ovp2_v", 0x36, _scaled(1000))),
    (S("jbd_cell_uvp2_v", QT_TRANSLATE_NOOP("Vocabulary", "Cell under-voltage, hardware level"), register=0x37, scale=1000,
       width=2, minimum=1.0, maximum=4.0, **_V), _f("jbd_cell_uvp2_v", 0x37, _scaled(1000))),
    (S("jbd_hw_protection_raw", QT_TRANSLATE_NOOP("Vocabulary", "Hardware protection register (raw)"), "", 0x38, minimum=0,
       maximum=65535, step=1, group="currents", writable=False),
     _f("jbd_hw_protection_raw", 0x38, _integer())),
    (S("jbd_hw_thresholds_doubled", QT_TRANSLATE_NOOP("Vocabulary", "Hardware current thresholds ×2"), "", 0x38, kind="bool",
       bit=15, group="currents"), _f("jbd_hw_thresholds_doubled", 0x38, _bit(15))),
    (S("short_circuit_delay_us", QT_TRANSLATE_NOOP("Vocabulary", "Short-circuit delay"), "µs", 0x38, group="currents", step=1,
       minimum=70, maximum=400, help=QT_TRANSLATE_NOOP("Vocabulary", "One of 70, 100, 200 or 400 µs (TI front end).")),
     _f("short_circuit_delay_us", 0x38, _table(11, 2, SC_DELAY_US))),
    (S("jbd_short_circuit_threshold_mv", QT_TRANSLATE_NOOP("Vocabulary", "Short-circuit threshold (shunt)"), "mV", 0x38,
       group="currents", step=1, minimum=22, maximum=100),
     _f("jbd_short_circuit_threshold_mv", 0x38, _table(8, 3, SC_THRESHOLD_MV))),
    (S("jbd_oc2_delay_ms", QT_TRANSLATE_NOOP("Vocabulary", "Hardware over-current delay"), "ms", 0x38, group="currents",
       step=1, minimum=8, maximum=1280), _f("jbd_oc2_delay_ms", 0x38,
                                            _table(4, 4, OC2_DELAY_MS))),
    (S("jbd_oc2_threshold_mv", QT_TRANSLATE_NOOP("Vocabulary", "Hardware over-current threshold (shunt)"), "mV", 0x38,
       group="currents", step=1, minimum=8, maximum=50),
     _f("jbd_oc2_threshold_mv", 0x38, _table(0, 4, OC2_THRESHOLD_MV))),
    (S("jbd_hw_delays_raw", QT_TRANSLATE_NOOP("Vocabulary", "Hardware delays register (raw)"), "", 0x39, minimum=0,
       maximum=65535, step=1, group="cell_voltages", writable=False),
     _f("jbd_hw_delays_raw", 0x39, _integer())),
    (S("jbd_cell_uvp2_delay_s", QT_TRANSLATE_NOOP("Vocabulary", "Hardware under-voltage delay"), "s", 0x39, group="cell_voltages",
       step=1, minimum=1, maximum=16, help=QT_TRANSLATE_NOOP("Vocabulary", "Sources disagree on the bit order of this register.")),
     _f("jbd_cell_uvp2_delay_s", 0x39, _table(14, 2, CUVP2_DELAY_S))),
    (S("jbd_cell_ovp2_delay_s", QT_TRANSLATE_NOOP("Vocabulary", "Hardware over-voltage delay"), "s", 0x39, group="cell_voltages",
       step=1, minimum=1, maximum=8), _f("jbd_cell_ovp2_delay_s", 0x39,
                                         _table(12, 2, COVP2_DELAY_S))),
    (S("short_circuit_recovery_s", QT_TRANSLATE_NOOP("Vocabulary", "Short-circuit recovery"), group="currents", register=0x39,
       **_D), _f("short_circuit_recovery_s", 0x39, _byte(1))),
    (S("jbd_charge_utp_delay_s", QT_TRANSLATE_NOOP("Vocabulary", "Charge under-temperature delay"), group="temperatures",
       register=0x3A, **_D), _f("jbd_charge_utp_delay_s", 0x3A, _byte(0))),
    (S("jbd_charge_otp_delay_s", QT_TRANSLATE_NOOP("Vocabulary", "Charge over-temperature delay"), group="temperatures",
       register=0x3A, **_D), _f("jbd_charge_otp_delay_s", 0x3A, _byte(1))),
    (S("jbd_discharge_utp_delay_s", QT_TRANSLATE_NOOP("Vocabulary", "Discharge under-temperature delay"), group="temperatures",
       register=0x3B, **_D), _f("jbd_discharge_utp_delay_s", 0x3B, _byte(0))),
    (S("jbd_discharge_otp_delay_s", QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-temperature delay"), group="temperatures",
       register=0x3B, **_D), _f("jbd_discharge_otp_delay_s", 0x3B, _byte(1))),
    (S("jbd_pack_uvp_delay_s", QT_TRANSLATE_NOOP("Vocabulary", "Pack under-voltage delay"), group="pack", register=0x3C, **_D),
     _f("jbd_pack_uvp_delay_s", 0x3C, _byte(0))),
    (S("jbd_pack_ovp_delay_s", QT_TRANSLATE_NOOP("Vocabulary", "Pack over-voltage delay"), group="pack", register=0x3C, **_D),
     _f("jbd_pack_ovp_delay_s", 0x3C, _byte(1))),
    (S("jbd_cell_uvp_delay_s", QT_TRANSLATE_NOOP("Vocabulary", "Cell under-voltage delay"), group="cell_voltages", register=0x3D,
       **_D), _f("jbd_cell_uvp_delay_s", 0x3D, _byte(0))),
    (S("jbd_cell_ovp_delay_s", QT_TRANSLATE_NOOP("Vocabulary", "Cell over-voltage delay"), group="cell_voltages", register=0x3D,
       **_D), _f("jbd_cell_ovp_delay_s", 0x3D, _byte(1))),
    (S("charge_ocp_delay_s", QT_TRANSLATE_NOOP("Vocabulary", "Charge over-current delay"), group="currents", register=0x3E, **_D),
     _f("charge_ocp_delay_s", 0x3E, _byte(0))),
    (S("charge_ocp_recovery_s", QT_TRANSLATE_NOOP("Vocabulary", "Charge over-current recovery"), group="currents", register=0x3E,
       **_D), _f("charge_ocp_recovery_s", 0x3E, _byte(1))),
    (S("discharge_ocp_delay_s", QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-current delay"), group="currents", register=0x3F,
       **_D), _f("discharge_ocp_delay_s", 0x3F, _byte(0))),
    (S("discharge_ocp_recovery_s", QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-current recovery"), group="currents",
       register=0x3F, **_D), _f("discharge_ocp_recovery_s", 0x3F, _byte(1))),
    (S("jbd_gps_cutoff_v", QT_TRANSLATE_NOOP("Vocabulary", "GPS board cut-off voltage"), register=0x40, scale=1000, width=2,
       minimum=0, maximum=65.535, group="other", unit="V", step=0.001),
     _f("jbd_gps_cutoff_v", 0x40, _scaled(1000))),
    (S("jbd_gps_time_s", QT_TRANSLATE_NOOP("Vocabulary", "GPS board cut-off time"), "s", 0x41, minimum=0, maximum=65535, step=1),
     _f("jbd_gps_time_s", 0x41, _integer())),
]
#: registers a settings read may go without (the keys are then left out): the
#: 10 % points exist on firmware 0x20 and newer only (§3.2), and the vendor app's
#: own full read of an SP04S034 (jbd.json ``jbd_sp04eeprom_*``) skipped 0x2D,
#: 0x2E, 0x31, 0x40 and 0x41, so not every board need answer them
OPTIONAL_REGISTERS = frozenset(range(0x42, 0x48)) | {0x2D, 0x2E, 0x31, 0x40, 0x41}
for _reg, _pct in ((0x42, 90), (0x43, 70), (0x44, 50), (0x45, 30), (0x46, 10)):
    _ROWS.append((S(f"jbd_soc_{_pct}_v", _SOC_LABELS[_pct], register=_reg, scale=1000,
                    width=2, minimum=1.0, maximum=4.5, **_V),
                  _f(f"jbd_soc_{_pct}_v", _reg, _scaled(1000))))

#: the strings (§3.2): reply data = [length][ASCII], at most 31 characters
TEXT_ROWS: list[SettingSpec] = [
    S("jbd_manufacturer", QT_TRANSLATE_NOOP("Vocabulary", "Manufacturer name"), "", 0xA0, kind="text", group="other",
      max_length=31),
    S("device_name", QT_TRANSLATE_NOOP("Vocabulary", "Device name"), "", 0xA1, kind="text", group="other",
      max_length=31,
      help=QT_TRANSLATE_NOOP("Vocabulary", "What the board reports as its model: English letters, digits and dashes, at most 31.")),
    S("jbd_barcode", QT_TRANSLATE_NOOP("Vocabulary", "Barcode"), "", 0xA2, kind="text", group="other",
      max_length=31),
]

#: the MOSFET switches (0xE1, §3.4): not in the EEPROM; read back from the live
#: data's FET state and the "MOS software lock" protection bit
SWITCH_ROWS: list[SettingSpec] = [
    S("charge_switch", QT_TRANSLATE_NOOP("Vocabulary", "Charging"), "", REG_MOS, kind="bool", bit=0, group="switches"),
    S("discharge_switch", QT_TRANSLATE_NOOP("Vocabulary", "Discharging"), "", REG_MOS, kind="bool", bit=1, group="switches"),
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
            raise ValueError(f"{key} shares register {field.register:#04x} with "
                             f"{', '.join(f.key for f in shared)}: read the settings first")
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
