"""ANT settings as declarative schema rows on canonical keys (+ ``ant_*`` keys).

One ``SettingSpec`` per setting: key, register, width, signedness, scale
(``raw = value × scale``), unit, range, step, group, and label/help for the
family-only keys.  The same row decodes a read and encodes a write; nothing about
a setting is stated twice.

2021 (``SCHEMA_2021``): byte addresses in the settings memory, little-endian u16 (or
u32 where ``width`` is 4), read with func 0x02 and written with 0x22 (§2.7 of
../shared/protocols/ant_xiaomi.md; esphome's ``SETTINGS_REGISTERS`` from issue #18).
Rows the research table does not cover come from the uni-app register list
(NotANewNick/antbms-gui ``registers.py``, the "uni-app notes" of §2): the cell
voltages taken as 100 % / 0 % (0xAE, 0xC2) and the scale of 0x9C.  The bytes
0x34–0x66 (most likely the temperature limits) are named by no source: they are not
mapped, so a 2021 board's temperature limits are not offered.

Legacy (``SCHEMA_LEGACY``): parameter addresses 1..42 of VBMS ``AtyParam1.java`` and
the vendor PDF (§1.4), one big-endian u16 each; 32-bit values take two addresses,
low word first.  The MOSFET switches are control addresses (0xF9, 0xFA).

Labels and help texts: the shared vocabulary's for canonical keys, ``labels.py``'s
(marked for translation) for the ``ant_*`` keys, put on the rows by ``_named``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...model import SettingSpec
from ...model.labels import LABELS
from . import labels as own

S = SettingSpec
U16_MAX = 0xFFFF


def _lbl(key: str) -> str:
    return LABELS.get(key) or own.LABELS.get(key, key)


def _named(rows: list[SettingSpec]) -> list[SettingSpec]:
    """The rows with the family's label and help text on each ``ant_*`` key."""
    return [
        replace(r, label=own.LABELS[r.key], help=own.HELP[r.key]) if r.key in own.LABELS else r for r in rows
    ]


def _cell(key: str, reg: int, lo: float = 1.5, hi: float = 4.5, **kw: Any) -> S:
    return S(
        key,
        _lbl(key),
        "V",
        reg,
        1000,
        2,
        minimum=lo,
        maximum=hi,
        step=0.001,
        group=kw.pop("group", "cell_voltages"),
        **kw,
    )


def _pack(key: str, reg: int, **kw: Any) -> S:
    return S(key, _lbl(key), "V", reg, 10, 2, minimum=1.0, maximum=200.0, step=0.1, group="pack", **kw)


def _amps(key: str, reg: int, scale: float = 10, **kw: Any) -> S:
    return S(
        key,
        _lbl(key),
        "A",
        reg,
        scale,
        2,
        minimum=kw.pop("minimum", 0.1),
        maximum=kw.pop("maximum", round(U16_MAX / scale, 3)),
        step=1 / scale,
        group=kw.pop("group", "currents"),
        **kw,
    )


def _count(key: str, reg: int, unit: str, hi: float = U16_MAX, **kw: Any) -> S:
    return S(
        key,
        _lbl(key),
        unit,
        reg,
        1,
        2,
        minimum=kw.pop("minimum", 0),
        maximum=hi,
        step=1,
        group=kw.pop("group", "other"),
        **kw,
    )


def _switch(key: str, reg: int, **kw: Any) -> S:
    return S(key, _lbl(key), "", reg, kind="bool", width=0, group="switches", **kw)


# --- 2021 (byte addresses, §2.7) -----------------------------------------------------------
SCHEMA_2021: list[SettingSpec] = _named(
    [
        _cell("cell_ovp_v", 0x00),
        _cell("cell_ovp_recovery_v", 0x02),
        _cell("ant_cell_ovp2_v", 0x04),
        _cell("ant_cell_ovp2_recovery_v", 0x06),
        _pack("pack_ovp_v", 0x08),
        _pack("pack_ovp_recovery_v", 0x0A),
        _cell("cell_uvp_v", 0x0C, lo=1.0, hi=4.0),
        _cell("cell_uvp_recovery_v", 0x0E, lo=1.0, hi=4.0),
        _cell("ant_cell_uvp2_v", 0x10, lo=1.0, hi=4.0),
        _cell("ant_cell_uvp2_recovery_v", 0x12, lo=1.0, hi=4.0),
        _pack("pack_uvp_v", 0x14),
        _pack("pack_uvp_recovery_v", 0x16),
        _cell("ant_cell_delta_protection_v", 0x18, lo=0.001, hi=2.0),
        _cell("ant_cell_delta_recovery_v", 0x1A, lo=0.001, hi=2.0),
        _cell("ant_cell_ov_alarm_v", 0x20),
        _cell("ant_cell_ov_alarm_recovery_v", 0x22),
        _pack("ant_pack_ov_alarm_v", 0x24),
        _pack("ant_pack_ov_alarm_recovery_v", 0x26),
        _cell("ant_cell_uv_alarm_v", 0x28, lo=1.0, hi=4.0),
        _cell("ant_cell_uv_alarm_recovery_v", 0x2A, lo=1.0, hi=4.0),
        _pack("ant_pack_uv_alarm_v", 0x2C),
        _pack("ant_pack_uv_alarm_recovery_v", 0x2E),
        _cell("ant_cell_delta_alarm_v", 0x30, lo=0.001, hi=2.0),
        _cell("ant_cell_delta_alarm_recovery_v", 0x32, lo=0.001, hi=2.0),
        _amps("charge_ocp_a", 0x68),
        _count("charge_ocp_delay_s", 0x6A, "s", group="currents"),
        _amps("discharge_ocp_a", 0x6C),
        _count("discharge_ocp_delay_s", 0x6E, "s", group="currents"),
        _amps("ant_discharge_ocp2_a", 0x70),
        _count("ant_discharge_ocp2_delay_ms", 0x72, "ms", group="currents"),
        _amps("ant_short_circuit_a", 0x74, scale=1, minimum=1),
        _count("short_circuit_delay_us", 0x76, "µs", group="currents"),
        _amps("ant_charge_oc_alarm_a", 0x7C),
        _amps("ant_charge_oc_alarm_recovery_a", 0x7E),
        _amps("ant_discharge_oc_alarm_a", 0x80),
        _amps("ant_discharge_oc_alarm_recovery_a", 0x82),
        _count("ant_soc_low1_alarm_pct", 0x84, "%", 100),
        _count("ant_soc_low2_alarm_pct", 0x86, "%", 100),
        _cell("ant_balance_limit_v", 0x8C, group="balancing"),
        _cell("balance_start_v", 0x8E, group="balancing"),
        _cell("balance_trigger_delta_v", 0x90, lo=0.001, hi=1.0, group="balancing"),
        _cell("ant_balance_stop_delta_v", 0x92, lo=0.001, hi=1.0, group="balancing"),
        _amps("balance_max_current_a", 0x94, scale=1000, minimum=0.001, group="balancing"),
        _amps("ant_balance_charge_current_a", 0x96, group="balancing", minimum=0.0),
        _count("ant_cell_type", 0x98, "", writable=False),
        _count("cell_count", 0x9A, "", 32, minimum=1, group="pack"),
        S(
            "ant_uv_resistance_compensation_ohm",
            _lbl("ant_uv_resistance_compensation_ohm"),
            "Ω",
            0x9C,
            10_000,
            2,
            minimum=0.0,
            maximum=6.5535,
            step=0.0001,
        ),
        _cell("power_off_v", 0x9E, lo=1.0, hi=4.0),
        _amps("ant_charge_request_a", 0xA0, minimum=0.0),
        S(
            "capacity_nominal_ah",
            _lbl("capacity_nominal_ah"),
            "Ah",
            0xA2,
            1e6,
            4,
            minimum=1.0,
            maximum=4294.0,
            step=0.1,
            group="pack",
            help=own.CAPACITY_SCALE_NOTE,
        ),
        S(
            "ant_capacity_remaining_ah",
            _lbl("ant_capacity_remaining_ah"),
            "Ah",
            0xA6,
            1e6,
            4,
            minimum=0.0,
            maximum=4294.0,
            step=0.1,
            group="pack",
            writable=False,
        ),
        S(
            "ant_cycle_capacity_ah",
            _lbl("ant_cycle_capacity_ah"),
            "Ah",
            0xAA,
            1e6,
            4,
            minimum=0.0,
            maximum=4294.0,
            step=0.1,
            group="pack",
            writable=False,
        ),
        _cell("soc_full_v", 0xAE),
        _cell("soc_empty_v", 0xC2, lo=1.0, hi=4.0),
        _count("ant_soc_method", 0xC4, "", writable=False),
        _count("ant_tyre_length_mm", 0x17A, "mm"),
        _count("ant_pulses_per_revolution", 0x17C, ""),
        _count("ant_secondary_module", 0x17E, "", writable=False),
        # the switches are control commands (§2.8: ADDR = code, reply 0x61); register = the "on"
        # code.  Each is read back from the status: the MOS bytes and protection bits 17-24 for
        # charging and discharging, warning bit 25 "balancing on" for manual balancing (§2.5,
        # UNCERTAIN: the only bit the table gives for it).  The buzzer (0x1E / 0x1F) is not a
        # row: no status field reports it, so a write of it could never be verified; its
        # commands still decode (SWITCH_CODES_2021).
        _switch("charge_switch", 0x06),
        _switch("discharge_switch", 0x03),
        _switch("balance_switch", 0x0D),
    ]
)
#: control codes of the switches (§2.8): key -> (on, off)
SWITCH_CODES_2021 = {
    "charge_switch": (0x06, 0x04),
    "discharge_switch": (0x03, 0x01),
    "balance_switch": (0x0D, 0x0E),
    "ant_buzzer_switch": (0x1E, 0x1F),
}
#: the reads that cover every numeric row: the vendor app's own page reads where they
#: cover mapped rows (uni-app notes, §2.7), plus the e-bike block esphome reads
READ_BLOCKS_2021 = ((0x00, 52), (0x68, 32), (0x8C, 12), (0x98, 142), (0x17A, 6))

# --- legacy (parameter addresses, §1.4) ------------------------------------------------------


def _temp(key: str, reg: int) -> S:
    return S(
        key, _lbl(key), "°C", reg, 1, 2, signed=True, minimum=-40, maximum=120, step=1, group="temperatures"
    )


SCHEMA_LEGACY: list[SettingSpec] = _named(
    [
        _cell("ant_cell_ov_alarm_v", 1, hi=4.6),
        _cell("ant_cell_uv_alarm_v", 2, lo=1.0, hi=4.0),
        _cell("cell_ovp_v", 3),
        _cell("cell_uvp_v", 4, lo=1.0, hi=4.0),
        _cell("cell_ovp_recovery_v", 5),
        _cell("cell_uvp_recovery_v", 6, lo=1.0, hi=4.0),
        S(
            "pack_ovp_v",
            _lbl("pack_ovp_v"),
            "V",
            7,
            10,
            2,
            minimum=1.0,
            maximum=150.0,
            step=0.1,
            group="pack",
        ),
        S(
            "pack_uvp_v",
            _lbl("pack_uvp_v"),
            "V",
            8,
            10,
            2,
            minimum=1.0,
            maximum=150.0,
            step=0.1,
            group="pack",
        ),
        _amps("charge_ocp_a", 9),
        _count("charge_ocp_delay_s", 10, "s", 100, group="currents"),
        _amps("discharge_ocp_a", 11),
        _count("discharge_ocp_delay_s", 12, "s", group="currents"),
        _cell("ant_balance_limit_v", 13, group="balancing"),
        _cell("balance_start_v", 14, group="balancing"),
        _cell("balance_trigger_delta_v", 15, lo=0.001, hi=1.0, group="balancing"),
        # raw × 10 mA (the app's divisor 0.1), at most 280 (§1.4)
        S(
            "balance_max_current_a",
            _lbl("balance_max_current_a"),
            "A",
            16,
            100,
            2,
            minimum=0.01,
            maximum=2.8,
            step=0.01,
            group="balancing",
        ),
        S(
            "ant_reference_voltage_v",
            _lbl("ant_reference_voltage_v"),
            "V",
            17,
            1000,
            2,
            minimum=0.0,
            maximum=3.2,
            step=0.001,
            writable=False,
        ),
        _amps("ant_current_sensor_range_a", 18, writable=False),
        _amps("ant_power_start_current_a", 19, scale=1, minimum=0),
        _amps("ant_short_circuit_a", 20, scale=1, minimum=1),
        _count("short_circuit_delay_us", 21, "µs", group="currents"),
        _count("ant_standby_time_s", 22, "s"),
        _count("ant_voltage_calibration", 23, "", writable=False),
        _count("cell_count", 24, "", 32, minimum=1, group="pack"),
        _temp("charge_otp_c", 25),
        _temp("charge_otp_recovery_c", 26),
        _temp("discharge_otp_c", 27),
        _temp("discharge_otp_recovery_c", 28),
        _temp("mos_otp_c", 29),
        _temp("mos_otp_recovery_c", 30),
        S(
            "capacity_nominal_ah",
            _lbl("capacity_nominal_ah"),
            "Ah",
            31,
            1e6,
            4,
            minimum=1.0,
            maximum=4294.0,
            step=0.1,
            group="pack",
        ),
        S(
            "ant_capacity_remaining_ah",
            _lbl("ant_capacity_remaining_ah"),
            "Ah",
            33,
            1e6,
            4,
            minimum=0.0,
            maximum=4294.0,
            step=0.1,
            group="pack",
            writable=False,
        ),
        # UNCERTAIN §1.4: the PDF says ".000 Ah" for 35/36
        S(
            "ant_cycle_capacity_ah",
            _lbl("ant_cycle_capacity_ah"),
            "Ah",
            35,
            1000,
            4,
            minimum=0.0,
            maximum=4294967.0,
            step=0.001,
            group="pack",
            writable=False,
        ),
        _temp("charge_utp_c", 37),
        _temp("charge_utp_recovery_c", 38),
        _temp("discharge_utp_c", 39),
        _temp("discharge_utp_recovery_c", 40),
        _count("ant_tyre_length_mm", 41, "mm"),
        _count("ant_pulses_per_revolution", 42, ""),
        _switch("charge_switch", 0xFA),
        _switch("discharge_switch", 0xF9),
    ]
)


def specs(schema: list[SettingSpec]) -> dict[str, SettingSpec]:
    return {s.key: s for s in schema}


SPECS_2021 = specs(SCHEMA_2021)
SPECS_LEGACY = specs(SCHEMA_LEGACY)
NUMERIC_2021 = [s for s in SCHEMA_2021 if s.kind == "number"]
NUMERIC_LEGACY = [s for s in SCHEMA_LEGACY if s.kind == "number"]
#: legacy addresses the settings read asks for, in order (both words of 32-bit values)
LEGACY_ADDRESSES = tuple(sorted({s.register + i for s in NUMERIC_LEGACY for i in range(s.width // 2)}))


def _signed(raw: int, bits: int) -> int:
    return raw - (1 << bits) if raw >> (bits - 1) & 1 else raw


def value_of(spec: SettingSpec, raw: int) -> Any:
    """The canonical value of a row's raw integer (as read, before sign)."""
    if spec.signed:
        raw = _signed(raw, 8 * spec.width)
    return spec.from_raw(raw)


def raw_of(spec: SettingSpec, value: Any) -> int:
    """The raw integer a write sends for ``value``; ValueError in words when it is out of range."""
    if spec.kind == "bool":
        return 1 if value else 0
    spec.check(value)
    raw = spec.to_raw(value)
    bits = 8 * spec.width
    low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if spec.signed else (0, (1 << bits) - 1)
    if not low <= raw <= high:
        raise ValueError(f"{spec.key}={value} does not fit the board's {bits}-bit register")
    return raw & ((1 << bits) - 1)


# --- 2021 blocks --------------------------------------------------------------------------------
def decode_block_2021(address: int, data: bytes) -> dict[str, Any]:
    """The settings one 0x12 reply carries: every numeric row wholly inside it."""
    out: dict[str, Any] = {}
    for spec in NUMERIC_2021:
        start = spec.register - address
        if 0 <= start and start + spec.width <= len(data):
            out[spec.key] = value_of(spec, int.from_bytes(data[start : start + spec.width], "little"))
    return out


def keys_in_2021(address: int, length: int) -> list[str]:
    return [s.key for s in NUMERIC_2021 if address <= s.register and s.register + s.width <= address + length]


def row_at_2021(address: int, width: int) -> SettingSpec | None:
    return next((s for s in NUMERIC_2021 if s.register == address and s.width == width), None)


def encode_2021(key: str, value: Any) -> tuple[int, bytes]:
    """(byte address, value bytes) of a write (func 0x22)."""
    spec = SPECS_2021.get(key)
    if spec is None or spec.kind != "number":
        raise KeyError(f"ant_2021 has no numeric setting {key!r}")
    if not spec.writable:
        raise KeyError(f"ant_2021: {key} is read-only ({spec.help or 'not writable'})")
    return spec.register, raw_of(spec, value).to_bytes(spec.width, "little")


# --- legacy words --------------------------------------------------------------------------------
def row_at_legacy(address: int) -> tuple[SettingSpec, int] | None:
    """The numeric row a legacy address belongs to, and which word of it (0 = low)."""
    for spec in NUMERIC_LEGACY:
        if spec.register <= address < spec.register + spec.width // 2:
            return spec, address - spec.register
    return None


def decode_words_legacy(words: dict[int, int]) -> dict[str, Any]:
    """Settings from address -> u16 words; a 32-bit row needs both of its words."""
    out: dict[str, Any] = {}
    for spec in NUMERIC_LEGACY:
        parts = [words.get(spec.register + i) for i in range(spec.width // 2)]
        if None in parts:
            continue
        raw = sum(int(p) << (16 * i) for i, p in enumerate(parts))  # low word first (§1.4)
        out[spec.key] = value_of(spec, raw)
    return out


def encode_legacy(key: str, value: Any) -> list[tuple[int, int]]:
    """(address, u16) writes of one setting: low word first for 32-bit values (§1.4)."""
    spec = SPECS_LEGACY.get(key)
    if spec is None or spec.kind != "number":
        raise KeyError(f"ant_legacy has no numeric setting {key!r}")
    if not spec.writable:
        raise KeyError(f"ant_legacy: {key} is read-only ({spec.help or 'not writable'})")
    raw = raw_of(spec, value)
    return [(spec.register + i, raw >> (16 * i) & 0xFFFF) for i in range(spec.width // 2)]
