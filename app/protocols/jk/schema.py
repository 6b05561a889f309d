"""The JK02 settings schema: one row per setting (jk.md §4.1, §4.2, §5).

Each row says where the value sits in the settings frame (offset, width,
signedness, bit), how it is written (register, value length), its scale
(wire units per canonical unit), range, step and group.  The settings
decoder, the write encoder, the command decoder, the simulator and (later)
the Parameters page are all driven by these rows.

Ranges are the limits Packbench accepts, chosen from the JK manual's text and
cell physics; the board may be stricter.  Where jk.md marks a CONFLICT the
row says so.
"""

from __future__ import annotations

from ...model import SettingSpec
from .labels import help_of, label
from .layout import JK02_24S, JK02_32S, JK04

BOTH = (JK02_24S, JK02_32S)
ONLY32 = (JK02_32S,)

# key, offset, reg24, reg32, scale, signed, min, max, step, group, variants
# (reg None: not writable on that variant)
_NUMERIC = [
    ("jk_smart_sleep_v", 6, None, 0x01, 1000, False, 2.0, 4.5, 0.001, "cell_voltages", ONLY32),
    ("cell_uvp_v", 10, 0x02, 0x02, 1000, False, 1.2, 4.5, 0.001, "cell_voltages", BOTH),
    ("cell_uvp_recovery_v", 14, 0x03, 0x03, 1000, False, 1.2, 4.5, 0.001, "cell_voltages", BOTH),
    ("cell_ovp_v", 18, 0x04, 0x04, 1000, False, 1.2, 4.5, 0.001, "cell_voltages", BOTH),
    ("cell_ovp_recovery_v", 22, 0x05, 0x05, 1000, False, 1.2, 4.5, 0.001, "cell_voltages", BOTH),
    ("balance_trigger_delta_v", 26, 0x06, 0x06, 1000, False, 0.002, 1.0, 0.001, "balancing", BOTH),
    ("soc_full_v", 30, None, 0x07, 1000, False, 1.2, 4.5, 0.001, "cell_voltages", ONLY32),
    ("soc_empty_v", 34, None, 0x08, 1000, False, 1.2, 4.5, 0.001, "cell_voltages", ONLY32),
    ("jk_rcv_v", 38, None, 0x09, 1000, False, 1.2, 4.5, 0.001, "cell_voltages", ONLY32),
    ("jk_rfv_v", 42, None, 0x0A, 1000, False, 1.2, 4.5, 0.001, "cell_voltages", ONLY32),
    ("power_off_v", 46, 0x0B, 0x0B, 1000, False, 1.2, 4.5, 0.001, "cell_voltages", BOTH),
    ("charge_ocp_a", 50, 0x0C, 0x0C, 1000, False, 1.0, 600.0, 0.1, "currents", BOTH),
    ("charge_ocp_delay_s", 54, 0x0D, 0x0D, 1, False, 2, 1000, 1, "currents", BOTH),
    ("charge_ocp_recovery_s", 58, 0x0E, 0x0E, 1, False, 2, 1000, 1, "currents", BOTH),
    ("discharge_ocp_a", 62, 0x0F, 0x0F, 1000, False, 1.0, 600.0, 0.1, "currents", BOTH),
    ("discharge_ocp_delay_s", 66, 0x10, 0x10, 1, False, 2, 1000, 1, "currents", BOTH),
    ("discharge_ocp_recovery_s", 70, 0x11, 0x11, 1, False, 2, 1000, 1, "currents", BOTH),
    ("short_circuit_recovery_s", 74, 0x12, 0x12, 1, False, 2, 1000, 1, "currents", BOTH),
    ("balance_max_current_a", 78, 0x13, 0x13, 1000, False, 0.3, 10.0, 0.001, "balancing", BOTH),
    ("charge_otp_c", 82, 0x14, 0x14, 10, True, 30.0, 100.0, 0.1, "temperatures", BOTH),
    ("charge_otp_recovery_c", 86, 0x15, 0x15, 10, True, 30.0, 100.0, 0.1, "temperatures", BOTH),
    ("discharge_otp_c", 90, 0x16, 0x16, 10, True, 30.0, 100.0, 0.1, "temperatures", BOTH),
    ("discharge_otp_recovery_c", 94, 0x17, 0x17, 10, True, 30.0, 100.0, 0.1, "temperatures", BOTH),
    ("charge_utp_c", 98, 0x18, 0x18, 10, True, -40.0, 20.0, 0.1, "temperatures", BOTH),
    ("charge_utp_recovery_c", 102, 0x19, 0x19, 10, True, -40.0, 20.0, 0.1, "temperatures", BOTH),
    ("mos_otp_c", 106, 0x1A, 0x1A, 10, True, 40.0, 120.0, 0.1, "temperatures", BOTH),
    ("mos_otp_recovery_c", 110, 0x1B, 0x1B, 10, True, 40.0, 120.0, 0.1, "temperatures", BOTH),
    ("cell_count", 114, 0x1C, 0x1C, 1, False, 2, 32, 1, "pack", BOTH),
    ("capacity_nominal_ah", 130, 0x20, 0x20, 1000, False, 1.0, 2000.0, 0.001, "pack", BOTH),
    # register differs by variant (jk.md §4.1: 0x25/0x26 on 24S, 0x21/0x22 on 32S)
    ("short_circuit_delay_us", 134, 0x25, 0x21, 1, False, 0, 100000, 1, "currents", BOTH),
    ("balance_start_v", 138, 0x26, 0x22, 1000, False, 1.2, 4.5, 0.001, "balancing", BOTH),
]

_SWITCHES = [
    ("charge_switch", 118, 0x1D),
    ("discharge_switch", 122, 0x1E),
    ("balance_switch", 126, 0x1F),
]

# 32S control bitmask at 282 (u16): register = 0x27 + bit (jk.md §4.2)
_CONTROL_BITS = [
    "heating_switch",
    "jk_disable_temperature_sensors",
    "jk_gps_heartbeat",
    "jk_port_rs485",
    "jk_lcd_always_on",
    "jk_special_charger",
    "jk_smart_sleep",
    "jk_disable_pcl_module",
    "jk_timed_stored_data",
    "jk_charging_float_mode",
    "jk_button_emergency",
    "jk_dry_arm_intermittent",
    "jk_discharge_ocp_2",
    "jk_discharge_ocp_3",
    "jk_gps_locked_charging",
    "jk_gps_locked_discharging",
]

# 32S one-byte fields near the end of the settings frame (jk.md §4.1, §5.1)
# key, offset, register, struct-like signedness, min, max, unit, group
_BYTES32 = [
    ("jk_precharge_time_s", 274, 0x25, False, 0, 255, "s", "other", 4),
    # CONFLICT (jk.md §9.7): 284/285 are heating start/stop on heater boards and
    # battery alarm temperatures in the V1.0 map; named for the heater use.
    ("jk_heating_start_c", 284, 0x37, True, -40, 20, "°C", "temperatures", 1),
    ("jk_heating_stop_c", 285, 0x38, True, -40, 30, "°C", "temperatures", 1),
    ("jk_smart_sleep_h", 286, 0x39, False, 1, 255, "h", "other", 1),
    ("discharge_utp_c", 296, 0x3A, True, -40, 20, "°C", "temperatures", 1),
    ("discharge_utp_recovery_c", 297, 0x3B, True, -40, 20, "°C", "temperatures", 1),
]

# 32S settings that live in the device-info frame (offsets: jk.md §3 "32S-only
# fields"; write registers and lengths: jk.md §5.1 "JK02_32S only").  All are one
# byte in the frame.  Ranges are what one byte holds (no source states tighter
# limits), except re-bulk SOC (a percentage).
# key, offset, register, write length, scale, min, max, step
_DEVICE_INFO32 = [
    ("jk_uart1_protocol", 184, 0xA5, 2, 1, 0, 255, 1),
    ("jk_can_protocol", 185, 0xA6, 2, 1, 0, 255, 1),
    ("jk_uart2_protocol", 218, 0xA8, 2, 1, 0, 255, 1),
    ("jk_lcd_buzzer_trigger", 234, 0xA9, 2, 1, 0, 255, 1),
    ("jk_dry1_trigger", 235, 0xAA, 2, 1, 0, 255, 1),
    ("jk_dry2_trigger", 236, 0xAB, 2, 1, 0, 255, 1),
    ("jk_rcv_time_h", 266, 0xB3, 1, 10, 0.0, 25.5, 0.1),  # u8, 0.1 h
    ("jk_rfv_time_h", 267, 0xB4, 1, 10, 0.0, 25.5, 0.1),  # u8, 0.1 h
    # UNCERTAIN (jk.md §3): ESPHome also calls byte 269 "reserved" in a comment;
    # real v15/v19 frames read 30 there, a plausible duration in minutes
    ("jk_emergency_duration_min", 269, 0xB5, 1, 1, 0, 255, 1),
    ("jk_uart3_protocol", 270, 0xB6, 2, 1, 0, 255, 1),
    ("jk_rebulk_soc_pct", 278, 0xB7, 1, 1, 0, 100, 1),
]

_UNITS = {
    "_v": "V",
    "_a": "A",
    "_ah": "Ah",
    "_c": "°C",
    "_s": "s",
    "_us": "µs",
    "_h": "h",
    "_min": "min",
    "_pct": "%",
}


def _unit(key: str) -> str:
    for suffix, unit in _UNITS.items():
        if key.endswith(suffix):
            return unit
    return ""


def _build(variant: str) -> tuple[SettingSpec, ...]:
    rows: list[SettingSpec] = []
    idx = 0 if variant == JK02_24S else 1
    for key, off, r24, r32, scale, signed, lo, hi, step, group, variants in _NUMERIC:
        if variant not in variants:
            continue
        reg = (r24, r32)[idx]
        rows.append(
            SettingSpec(
                key=key,
                label=label(key),
                unit=_unit(key),
                register=reg if reg is not None else -1,
                scale=scale,
                width=4,
                signed=signed,
                minimum=lo,
                maximum=hi,
                step=step,
                group=group,
                help=help_of(key),
                variants=variants,
                offset=off,
                writable=reg is not None,
            )
        )
    for key, off, reg in _SWITCHES:
        rows.append(
            SettingSpec(
                key=key,
                label=label(key),
                unit="",
                register=reg,
                kind="bool",
                width=4,
                group="switches",
                help=help_of(key),
                variants=BOTH,
                offset=off,
            )
        )
    if variant == JK02_32S:
        for bit, key in enumerate(_CONTROL_BITS):
            rows.append(
                SettingSpec(
                    key=key,
                    label=label(key),
                    unit="",
                    register=0x27 + bit,
                    kind="bool",
                    width=2,
                    bit=bit,
                    write_width=4,
                    group="switches" if bit == 0 else "other",
                    help=help_of(key),
                    variants=ONLY32,
                    offset=282,
                )
            )
        for key, off, reg, signed, lo, hi, unit, group, wlen in _BYTES32:
            rows.append(
                SettingSpec(
                    key=key,
                    label=label(key),
                    unit=unit,
                    register=reg,
                    width=1,
                    signed=signed,
                    write_width=wlen,
                    minimum=lo,
                    maximum=hi,
                    step=1,
                    group=group,
                    help=help_of(key),
                    variants=ONLY32,
                    offset=off,
                )
            )
        for key, off, reg, wlen, scale, lo, hi, step in _DEVICE_INFO32:
            rows.append(
                SettingSpec(
                    key=key,
                    label=label(key),
                    unit=_unit(key),
                    register=reg,
                    scale=scale,
                    width=1,
                    write_width=wlen,
                    minimum=lo,
                    maximum=hi,
                    step=step,
                    group="other",
                    help=help_of(key),
                    variants=ONLY32,
                    offset=off,
                    frame="device_info",
                )
            )
    return tuple(rows)


# JK04: float32 values (jk.md §4.3 offsets, §5.4 registers).  These boards are
# active balancers: no protection thresholds are known in their frames.
# key, offset, register, min, max, step, group
_JK04_FLOATS = [
    ("power_off_v", 38, 0x20, 1.2, 4.5, 0.001, "cell_voltages"),
    ("jk_voltage_reference_v", 74, 0x44, 2.5, 3.5, 0.0001, "other"),  # ADC Vref calibration
    ("balance_start_v", 98, 0x58, 1.2, 4.5, 0.001, "balancing"),
    ("balance_trigger_delta_v", 106, 0x64, 0.001, 1.0, 0.001, "balancing"),
    ("balance_max_current_a", 110, 0x68, 0.1, 10.0, 0.1, "balancing"),
]


def _build_jk04() -> tuple[SettingSpec, ...]:
    only = (JK04,)
    rows = [
        SettingSpec(
            key="cell_count",
            label=label("cell_count"),
            unit="",
            register=0x1C,
            width=1,
            write_width=2,
            minimum=2,
            maximum=24,
            step=1,
            group="pack",
            variants=only,
            offset=34,
            help=help_of("cell_count"),
        )
    ]
    for key, off, reg, lo, hi, step, group in _JK04_FLOATS:
        rows.append(
            SettingSpec(
                key=key,
                label=label(key),
                unit=_unit(key),
                register=reg,
                width=4,
                encoding="f32",
                minimum=lo,
                maximum=hi,
                step=step,
                group=group,
                help=help_of(key),
                variants=only,
                offset=off,
            )
        )
    rows.append(
        SettingSpec(
            key="balance_switch",
            label=label("balance_switch"),
            unit="",
            register=0x6C,
            kind="bool",
            width=1,
            write_width=1,
            group="switches",
            variants=only,
            offset=114,
        )
    )
    return tuple(rows)


SCHEMAS: dict[str, tuple[SettingSpec, ...]] = {v: _build(v) for v in BOTH}
SCHEMAS[JK04] = _build_jk04()


def by_key(variant: str) -> dict[str, SettingSpec]:
    return {row.key: row for row in SCHEMAS[variant]}


def by_register(variant: str) -> dict[int, SettingSpec]:
    return {row.register: row for row in SCHEMAS[variant] if row.writable}


#: fields whose raw 0 means "this firmware does not use it" (seen in real
#: 24S/early-11.x frames: SOC-100 %, SOC-0 %, RCV, RFV all read 0)
ZERO_MEANS_UNSET = frozenset({"soc_full_v", "soc_empty_v", "jk_rcv_v", "jk_rfv_v"})
#: the discharge under-temperature pair reads 0/0 on firmware without it
#: (batmon #365/#377 frames); a real 0/0 pair would break the recovery rule
PAIRS_ZERO_MEANS_UNSET = (("discharge_utp_c", "discharge_utp_recovery_c"),)
