"""Daly settings as schema rows: one line per setting, decoding and encoding from the same row.

D2 (jbd_daly.md §6.4): the settings block 0x80–0xA8, u16 big-endian registers,
read with ``D2 03 00 80 00 29``, written one register at a time (FC 0x06).
Level 1 of each limit is the *warning* (``daly_*_warning_*`` keys), level 2 the
*protection* (the canonical keys ``cell_ovp_v`` …), as the issue and §4.2 say.

A5 (§5): the same values come from the read commands 0x50–0x60, one data id
per group.  Writing them is undocumented (§5 "writes … unverified"), so every
A5 row except the two MOSFET switches (0xD9/0xDA, §4.3) is read-only, with
that reason in its help text.

The settings block differs between models (§6.4, §8 #20: the balancer capture's
block does not line up with the map), so the D2 rows are written only after a
read, and only where the value read is inside the row's range
(``exposed_keys``).

Labels and help texts of the family keys are ``labels.py``'s (marked for
translation); the shared keys keep the vocabulary's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from ...model import SettingSpec
from ...model.labels import LABELS as SHARED_LABELS
from .fields import CURRENT_BIAS, TEMP_BIAS, F, reg
from .labels import A5_READ_ONLY, HELP, LABELS

SETTINGS_START = 0x80
SETTINGS_COUNT = 41  # 0x80..0xA8 (``D2 03 00 80 00 29``, §6.4)
REG_BATTERY_TYPE = 0x89
REG_SOC = 0xA7
REG_CHARGE_SWITCH = 0xA5
REG_DISCHARGE_SWITCH = 0xA6
REG_BALANCER = 0xCF
BATTERY_TYPES = {0: "lifepo4", 1: "li_ion", 2: "lto"}


@dataclass(frozen=True)
class Row:
    spec: SettingSpec
    field: F | None  # None: computed (cell_count)
    #: data id (A5) the row is read from; D2 rows use spec.register
    data_id: int | None = None
    #: magnitude of a current stored around the 30000 offset (either side, §6.4)
    current: bool = False


def _spec(
    key: str,
    register: int,
    field: F | None,
    unit: str,
    group: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    step: float | None = None,
    help: str | None = None,
    writable: bool = True,
    kind: str = "number",
) -> SettingSpec:
    label = SHARED_LABELS.get(key) or LABELS[key]
    help = HELP.get(key, "") if help is None else help
    return SettingSpec(
        key,
        label,
        unit,
        register,
        scale=field.scale if field else 1.0,
        width=field.size if field else 2,
        signed=bool(field and field.fmt.islower()),
        minimum=minimum,
        maximum=maximum,
        step=step,
        group=group,
        help=help,
        kind=kind,
        offset=field.offset if field else None,
        writable=writable,
    )


_CELL = dict(unit="V", group="cell_voltages", step=0.001)
_PACK = dict(unit="V", group="pack", step=0.1, minimum=1.0, maximum=200.0)
_AMP = dict(unit="A", group="currents", step=0.1, minimum=0.1, maximum=3000.0)
_TEMP = dict(unit="°C", group="temperatures", step=1, minimum=-40, maximum=100)
_BOOL = dict(unit="", group="switches", kind="bool")
_RAW32 = dict(step=1, minimum=0, maximum=0xFFFFFFFF)


def _d2(
    key: str, register: int, *, scale: float = 1.0, bias: int = 0, current: bool = False, **spec: Any
) -> Row:
    field = reg(key, register, scale=scale, bias=bias)
    return Row(_spec(key, register, field, **spec), field, current=current)


def _levels(base: str, protection: str | None, register: int, unit_key: str, **kw: Any) -> list[Row]:
    """The (warning, protection) pair at (register, register + 1)."""
    warn = f"daly_{base}_warning_{unit_key}"
    prot = protection or f"daly_{base}_protection_{unit_key}"
    return [_d2(warn, register, **kw), _d2(prot, register + 1, **kw)]


def _topology(register: int) -> list[Row]:
    rows = [
        _d2(
            "daly_acquisition_boards",
            register,
            unit="",
            group="pack",
            step=1,
            minimum=0,
            maximum=3,
            writable=False,
        )
    ]
    for n in (1, 2, 3):
        rows.append(
            _d2(
                f"daly_board{n}_cells",
                register + n,
                unit="",
                group="pack",
                step=1,
                minimum=0,
                maximum=48,
                writable=False,
            )
        )
    for n in (1, 2, 3):
        rows.append(
            _d2(
                f"daly_board{n}_ntcs",
                register + 3 + n,
                unit="",
                group="temperatures",
                step=1,
                minimum=0,
                maximum=16,
                writable=False,
            )
        )
    return rows


#: the D2 settings block, 0x80..0xA8, plus the balancer switch 0xCF (read alone)
D2_ROWS: list[Row] = [
    _d2(
        "capacity_nominal_ah", 0x80, scale=10, unit="Ah", group="pack", step=0.1, minimum=1.0, maximum=6500.0
    ),
    _d2("daly_cell_reference_v", 0x81, scale=1000, minimum=1.0, maximum=5.0, **_CELL),
    *_topology(0x82),
    _d2("daly_battery_type", REG_BATTERY_TYPE, unit="", group="pack", step=1, minimum=0, maximum=2),
    _d2("daly_sleep_wait_s", 0x8A, unit="s", group="other", step=1, minimum=0, maximum=65535),
    *_levels("cell_ovp", "cell_ovp_v", 0x8B, "v", scale=1000, minimum=1.5, maximum=4.5, **_CELL),
    *_levels("cell_uvp", "cell_uvp_v", 0x8D, "v", scale=1000, minimum=1.0, maximum=4.0, **_CELL),
    *_levels("pack_ovp", "pack_ovp_v", 0x8F, "v", scale=10, **_PACK),
    *_levels("pack_uvp", "pack_uvp_v", 0x91, "v", scale=10, **_PACK),
    *_levels("charge_ocp", "charge_ocp_a", 0x93, "a", scale=10, bias=CURRENT_BIAS, current=True, **_AMP),
    *_levels(
        "discharge_ocp", "discharge_ocp_a", 0x95, "a", scale=10, bias=CURRENT_BIAS, current=True, **_AMP
    ),
    *_levels("charge_otp", "charge_otp_c", 0x97, "c", bias=TEMP_BIAS, **_TEMP),
    *_levels("charge_utp", "charge_utp_c", 0x99, "c", bias=TEMP_BIAS, **_TEMP),
    *_levels("discharge_otp", "discharge_otp_c", 0x9B, "c", bias=TEMP_BIAS, **_TEMP),
    *_levels("discharge_utp", "discharge_utp_c", 0x9D, "c", bias=TEMP_BIAS, **_TEMP),
    *_levels(
        "cell_delta",
        None,
        0x9F,
        "v",
        scale=1000,
        unit="V",
        group="cell_voltages",
        step=0.001,
        minimum=0.001,
        maximum=1.0,
    ),
    # °C without the +40 offset: a difference, and syssi's test reads it so (0xFF = 255 °C)
    *_levels("temp_delta", None, 0xA1, "c", unit="°C", group="temperatures", step=1, minimum=1, maximum=255),
    _d2(
        "balance_start_v", 0xA3, scale=1000, unit="V", group="balancing", step=0.001, minimum=1.0, maximum=4.5
    ),
    _d2(
        "balance_trigger_delta_v",
        0xA4,
        scale=1000,
        unit="V",
        group="balancing",
        step=0.001,
        minimum=0.001,
        maximum=1.0,
    ),
    _d2("charge_switch", REG_CHARGE_SWITCH, **_BOOL),
    _d2("discharge_switch", REG_DISCHARGE_SWITCH, **_BOOL),
    _d2(
        "daly_soc_set_pct",
        REG_SOC,
        scale=10,
        unit="%",
        group="other",
        step=0.1,
        minimum=0,
        maximum=100,
        writable=False,
    ),
    _d2("mos_otp_c", 0xA8, bias=TEMP_BIAS, unit="°C", group="temperatures", step=1, minimum=0, maximum=120),
    _d2("balance_switch", REG_BALANCER, **_BOOL),
]

#: computed from the topology rows: the boards' cells added up
CELL_COUNT = Row(
    _spec("cell_count", 0x83, None, "", "pack", writable=False, step=1, minimum=1, maximum=48), None
)

# --- A5 (§5): the same keys, read from the 0x50–0x60 replies ------------------------------


def _a5(
    data_id: int,
    key: str,
    offset: int,
    fmt: str,
    *,
    scale: float = 1.0,
    bias: int = 0,
    current: bool = False,
    **spec: Any,
) -> Row:
    d2 = D2_BY_KEY.get(key)
    field = F(key, offset, fmt, scale, bias=bias)
    if d2 is not None:  # one key, one meaning, one label and range for the family
        s = replace(
            d2.spec,
            register=data_id,
            offset=offset,
            scale=scale,
            width=field.size,
            writable=False,
            help=A5_READ_ONLY,
        )
    else:
        s = _spec(key, data_id, field, writable=False, help=A5_READ_ONLY, **spec)
    return Row(s, field, data_id=data_id, current=current)


D2_BY_KEY: dict[str, Row] = {r.spec.key: r for r in D2_ROWS}


def _a5_levels(data_id: int, keys: tuple[str, ...], fmt: str, **kw: Any) -> list[Row]:
    size = 1 if fmt == "B" else 2
    return [_a5(data_id, key, size * i, fmt, **kw) for i, key in enumerate(keys)]


A5_ROWS: list[Row] = [
    _a5(0x50, "capacity_nominal_ah", 0, "I", scale=1000),
    _a5(0x50, "daly_cell_reference_v", 4, "I", scale=1000),
    _a5(0x51, "daly_acquisition_boards", 0, "B"),
    *[_a5(0x51, f"daly_board{n}_cells", n, "B") for n in (1, 2, 3)],
    *[_a5(0x51, f"daly_board{n}_ntcs", 3 + n, "B") for n in (1, 2, 3)],
    _a5(0x52, "daly_cumulative_charge_raw", 0, "I", unit="", group="other", **_RAW32),
    _a5(0x52, "daly_cumulative_discharge_raw", 4, "I", unit="", group="other", **_RAW32),
    _a5(0x53, "daly_operation_mode", 0, "B", unit="", group="other", step=1, minimum=0, maximum=255),
    _a5(0x53, "daly_battery_type", 1, "B"),
    # byte 5 ×60 s (DalyBMSInterface) or u16 bytes 5–6 (the forum's payload, raw 65535):
    # the capture decides the width, the unit stays unknown (§5 [uncertain])
    _a5(0x53, "daly_auto_sleep_raw", 5, "H", unit="", group="other", step=1, minimum=0, maximum=65535),
    *_a5_levels(
        0x59,
        ("daly_cell_ovp_warning_v", "cell_ovp_v", "daly_cell_uvp_warning_v", "cell_uvp_v"),
        "H",
        scale=1000,
    ),
    *_a5_levels(
        0x5A,
        ("daly_pack_ovp_warning_v", "pack_ovp_v", "daly_pack_uvp_warning_v", "pack_uvp_v"),
        "H",
        scale=10,
    ),
    *_a5_levels(
        0x5B,
        ("daly_charge_ocp_warning_a", "charge_ocp_a", "daly_discharge_ocp_warning_a", "discharge_ocp_a"),
        "H",
        scale=10,
        bias=CURRENT_BIAS,
        current=True,
    ),
    *_a5_levels(
        0x5C,
        (
            "daly_charge_otp_warning_c",
            "charge_otp_c",
            "daly_charge_utp_warning_c",
            "charge_utp_c",
            "daly_discharge_otp_warning_c",
            "discharge_otp_c",
            "daly_discharge_utp_warning_c",
            "discharge_utp_c",
        ),
        "B",
        bias=TEMP_BIAS,
    ),
    *_a5_levels(
        0x5D,
        (
            "daly_soc_high_warning_pct",
            "daly_soc_high_protection_pct",
            "daly_soc_low_warning_pct",
            "daly_soc_low_protection_pct",
        ),
        "H",
        scale=10,
        unit="%",
        group="other",
        step=0.1,
        minimum=0,
        maximum=100,
    ),
    _a5(0x5E, "daly_cell_delta_warning_v", 0, "H", scale=1000),
    _a5(0x5E, "daly_cell_delta_protection_v", 2, "H", scale=1000),
    # DalyBMSInterface adds the +40 offset to these two [uncertain, §5]; D2's twin
    # registers are read without it, so A5 follows D2
    _a5(0x5E, "daly_temp_delta_warning_c", 4, "B"),
    _a5(0x5E, "daly_temp_delta_protection_c", 5, "B"),
    _a5(0x5F, "balance_start_v", 0, "H", scale=1000),
    _a5(0x5F, "balance_trigger_delta_v", 2, "H", scale=1000),
    _a5(
        0x60,
        "daly_short_circuit_current_a",
        0,
        "H",
        unit="A",
        group="currents",
        step=1,
        minimum=0,
        maximum=65535,
    ),
    # 333 -> 0.333 mΩ (the forum's CAN payload, factor 1000 per mΩ)
    _a5(
        0x60,
        "daly_shunt_resistance_ohm",
        2,
        "H",
        scale=1_000_000,
        unit="Ω",
        group="currents",
        step=0.000001,
        minimum=0,
        maximum=0.065535,
    ),
]
#: the MOSFET switches are the A5 commands 0xD9 / 0xDA (§4.3); read back from 0x93
A5_SWITCHES: list[SettingSpec] = [
    replace(D2_BY_KEY["charge_switch"].spec, register=0xDA, offset=None),
    replace(D2_BY_KEY["discharge_switch"].spec, register=0xD9, offset=None),
]
A5_CELL_COUNT = replace(CELL_COUNT.spec, register=0x51, help=A5_READ_ONLY)

#: see ``sides_of``: shown and kept in files, never written
SIDES_SPEC = _spec("daly_current_limit_sides", 0x93, None, "", "currents", kind="text", writable=False)
D2_SCHEMA: list[SettingSpec] = [r.spec for r in D2_ROWS] + [CELL_COUNT.spec, SIDES_SPEC]
A5_SCHEMA: list[SettingSpec] = [r.spec for r in A5_ROWS] + [A5_CELL_COUNT] + A5_SWITCHES
A5_DATA_IDS: tuple[int, ...] = tuple(sorted({r.data_id for r in A5_ROWS if r.data_id is not None}))


# --- decoding and encoding ---------------------------------------------------------------------
def decode_row(row: Row, buf: bytes, base: int = 0) -> Any:
    assert row.field is not None
    raw = row.field.raw(buf, base)
    if row.spec.kind == "bool":
        return raw != 0  # P81 reports "on" as 0xFFFF (§6.4)
    value = row.field.from_raw(raw)
    return abs(value) if row.current else value


def cell_count(values: dict[str, Any]) -> int | None:
    """Cells of the boards in use (0x82 says how many, 1..3)."""
    boards = values.get("daly_acquisition_boards")
    if not isinstance(boards, int) or not 1 <= boards <= 3:
        return None
    cells = [values.get(f"daly_board{n}_cells") for n in range(1, boards + 1)]
    return sum(cells) if all(isinstance(c, int) for c in cells) else None


def decode_block(start: int, data: bytes, rows: Iterable[Row] = D2_ROWS) -> dict[str, Any]:
    """The settings a D2 read reply from ``start`` carries (rows past its end left out)."""
    out: dict[str, Any] = {}
    sides = {}
    for row in rows:
        register = row.spec.register
        if not start <= register < start + len(data) // 2:
            continue
        out[row.spec.key] = decode_row(row, data, -2 * start)
        if row.current:
            sides[row.spec.key] = row.field.raw(data, -2 * start) < CURRENT_BIAS  # type: ignore[union-attr]
    count = cell_count(out)
    if count is not None:
        out["cell_count"] = count
    if sides:
        out[SIDES_KEY] = ",".join(f"{k}:{'below' if v else 'above'}" for k, v in sides.items())
    return out


#: where each current limit sat around the 30000 offset when read: the real block of
#: syssi's test stores charge limits below it and the discharge limits on both sides
#: (§6.4, daly_d2_sy_settings), so a write keeps the side the board used
SIDES_KEY = SIDES_SPEC.key
DEFAULT_BELOW = {
    "daly_charge_ocp_warning_a": True,
    "charge_ocp_a": True,
    "daly_discharge_ocp_warning_a": False,
    "discharge_ocp_a": False,
}


def sides_of(current: dict[str, Any] | None) -> dict[str, bool]:
    """The sides as last read; the vendor convention (Modbus protocol.xlsx: charge
    below, discharge above the offset) where nothing was read."""
    out = dict(DEFAULT_BELOW)
    text = (current or {}).get(SIDES_KEY)
    if isinstance(text, str):
        for part in text.split(","):
            key, _, side = part.partition(":")
            if key in out and side in ("below", "above"):
                out[key] = side == "below"
    return out


def encode_row(row: Row, value: Any, current: dict[str, Any] | None = None) -> int:
    """The raw u16 for ``value``; ValueError in words when it is outside the row's range."""
    assert row.field is not None
    spec = row.spec
    if spec.kind == "bool":
        return 1 if value else 0
    spec.check(value)
    if row.current:
        magnitude = abs(float(value))
        value = -magnitude if sides_of(current)[spec.key] else magnitude
    return row.field.to_raw(value)


def exposed_keys(values: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Which writable D2 keys this board's block exposes, and why the others are not.

    A key is exposed when the last read carried it and its value lies inside the
    row's range; a value outside it (the balancer capture's block reads 0 V for the
    pack limits) means this model's block is laid out otherwise: shown, never written.
    """
    exposed: list[str] = []
    hidden: dict[str, str] = {}
    for row in D2_ROWS:
        spec = row.spec
        if not spec.writable or not SETTINGS_START <= spec.register < SETTINGS_START + SETTINGS_COUNT:
            continue  # 0xCF (the balancer) is read alone
        if spec.key not in values:
            hidden[spec.key] = "this board's settings block did not carry it"
            continue
        try:
            spec.check(values[spec.key])
        except ValueError:
            hidden[spec.key] = (
                f"the board holds {values[spec.key]} {spec.unit} at register "
                f"{spec.register:#04x}, outside {spec.minimum}..{spec.maximum}: "
                "this model's block is laid out otherwise (§6.4)"
            )
            continue
        exposed.append(spec.key)
    return exposed, hidden


A5_BY_ID: dict[int, list[Row]] = {}
for _row in A5_ROWS:
    A5_BY_ID.setdefault(_row.data_id or 0, []).append(_row)


def decode_a5(data_id: int, data: bytes) -> dict[str, Any]:
    """The settings one A5 0x50–0x60 reply carries."""
    out = {row.spec.key: decode_row(row, data) for row in A5_BY_ID.get(data_id, ())}
    count = cell_count(out)
    if count is not None:
        out["cell_count"] = count
    return out
