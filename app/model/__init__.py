"""The vocabulary of ../shared/vocabulary.md as small typed classes.

Pure data: nothing here imports Qt, bleak, pyserial or asyncio.  Every name
carries its unit as a suffix, and the same names are used by the decoders,
the session, the CLI's JSON, logs, settings files and the UI.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

# --- alarm ids (vocabulary.md "Alarm ids") ---------------------------------
CELL_OVERVOLTAGE = "cell_overvoltage"
CELL_UNDERVOLTAGE = "cell_undervoltage"
PACK_OVERVOLTAGE = "pack_overvoltage"
PACK_UNDERVOLTAGE = "pack_undervoltage"
CHARGE_OVERCURRENT = "charge_overcurrent"
DISCHARGE_OVERCURRENT = "discharge_overcurrent"
SHORT_CIRCUIT = "short_circuit"
CHARGE_OVERTEMPERATURE = "charge_overtemperature"
CHARGE_UNDERTEMPERATURE = "charge_undertemperature"
DISCHARGE_OVERTEMPERATURE = "discharge_overtemperature"
DISCHARGE_UNDERTEMPERATURE = "discharge_undertemperature"
MOS_OVERTEMPERATURE = "mos_overtemperature"
CELL_DELTA_HIGH = "cell_delta_high"
WIRE_RESISTANCE_HIGH = "wire_resistance_high"
CELL_COUNT_MISMATCH = "cell_count_mismatch"
TEMPERATURE_SENSOR_FAULT = "temperature_sensor_fault"
BALANCER_FAULT = "balancer_fault"
AFE_FAULT = "afe_fault"
COMMUNICATION_FAULT = "communication_fault"
LOW_SOC = "low_soc"
DEFAULT_PASSWORD = "default_password"

ALARM_IDS: tuple[str, ...] = (
    CELL_OVERVOLTAGE,
    CELL_UNDERVOLTAGE,
    PACK_OVERVOLTAGE,
    PACK_UNDERVOLTAGE,
    CHARGE_OVERCURRENT,
    DISCHARGE_OVERCURRENT,
    SHORT_CIRCUIT,
    CHARGE_OVERTEMPERATURE,
    CHARGE_UNDERTEMPERATURE,
    DISCHARGE_OVERTEMPERATURE,
    DISCHARGE_UNDERTEMPERATURE,
    MOS_OVERTEMPERATURE,
    CELL_DELTA_HIGH,
    WIRE_RESISTANCE_HIGH,
    CELL_COUNT_MISMATCH,
    TEMPERATURE_SENSOR_FAULT,
    BALANCER_FAULT,
    AFE_FAULT,
    COMMUNICATION_FAULT,
    LOW_SOC,
    DEFAULT_PASSWORD,
)


def unknown_alarm(family: str, bit: int) -> str:
    """A bit nobody has named yet: kept as ``<family>_bit_<n>``, never dropped."""
    return f"{family}_bit_{bit}"


def _clean(value: Any) -> Any:
    """JSON-friendly copy: tuples to lists, floats rounded to hide binary noise."""
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return round(value, 6)
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


class _Record:
    """Shared helpers for the dataclasses below: canonical-name dicts."""

    def to_fields(self) -> dict[str, Any]:
        """Canonical name -> value, leaving out what the board did not report."""
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            if f.name.startswith("_") or f.name in ("extra", "partial", "implausible"):
                continue
            value = getattr(self, f.name)
            if value is None:
                continue
            out[f.name] = _clean(value)
        extra = getattr(self, "extra", None)
        if extra:
            out.update(_clean(extra))
        return out


@dataclass
class Snapshot(_Record):
    """One set of live data (vocabulary.md "Live data")."""

    pack_voltage_v: float | None = None
    current_a: float | None = None
    power_w: float | None = None
    soc_pct: float | None = None
    soh_pct: float | None = None
    capacity_remaining_ah: float | None = None
    capacity_full_ah: float | None = None
    cycle_capacity_ah: float | None = None
    cycles: int | None = None
    cell_count: int | None = None
    cell_voltages_v: list[float] = field(default_factory=list)
    cell_min_v: float | None = None
    cell_max_v: float | None = None
    cell_avg_v: float | None = None
    cell_delta_v: float | None = None
    cell_min_index: int | None = None
    cell_max_index: int | None = None
    cell_resistances_ohm: list[float] | None = None
    temperatures_c: list[float] | None = None
    mos_temperature_c: float | None = None
    balancer_temperature_c: float | None = None
    balance_current_a: float | None = None
    balancing_active: bool | None = None
    balancing_cells: list[int] | None = None
    charge_mos_on: bool | None = None
    discharge_mos_on: bool | None = None
    precharge_mos_on: bool | None = None
    charge_switch: bool | None = None
    discharge_switch: bool | None = None
    balance_switch: bool | None = None
    heating_on: bool | None = None
    #: canonical alarm ids; None: the board's frames carry no alarm field (JK04), so
    #: "no alarms" cannot be said (what a board does not report is None, as everywhere here)
    alarms: list[str] | None = field(default_factory=list)
    runtime_s: int | None = None
    #: family-only values, keys prefixed with the family (``jk_…``)
    extra: dict[str, Any] = field(default_factory=dict)
    #: one part of a set the board answers in several replies (JBD 0x03 + 0x04):
    #: the session holds it and merges it into the next complete snapshot
    partial: bool = False
    #: values the frame carried that a board cannot mean (model/plausible.py): name ->
    #: value as read; they are not in the fields above.  Never in ``to_fields``.
    implausible: dict[str, Any] = field(default_factory=dict)

    def drop_implausible(self) -> Snapshot:
        """Remove the values a board cannot mean and name them in ``implausible``."""
        from .plausible import drop_implausible

        return drop_implausible(self)

    def derive(self) -> Snapshot:
        """Fill the derived values the board did not give (vocabulary.md)."""
        cells = self.cell_voltages_v
        if cells:
            if self.cell_count is None:
                self.cell_count = len(cells)
            lo, hi = min(cells), max(cells)
            if self.cell_min_v is None:
                self.cell_min_v = lo
            if self.cell_max_v is None:
                self.cell_max_v = hi
            if self.cell_min_index is None:
                self.cell_min_index = cells.index(lo) + 1
            if self.cell_max_index is None:
                self.cell_max_index = cells.index(hi) + 1
            if self.cell_avg_v is None:
                self.cell_avg_v = round(sum(cells) / len(cells), 4)
            if self.cell_delta_v is None:
                self.cell_delta_v = round(hi - lo, 4)
            if self.pack_voltage_v is None:
                self.pack_voltage_v = round(sum(cells), 4)
        if self.power_w is None and self.pack_voltage_v is not None and self.current_a is not None:
            self.power_w = round(self.pack_voltage_v * self.current_a, 3)
        if self.alarms is not None:
            self.alarms = sorted(set(self.alarms))
        return self


@dataclass
class DeviceInfo(_Record):
    """Device information (vocabulary.md).  Passwords never live here."""

    model: str | None = None
    hardware_version: str | None = None
    software_version: str | None = None
    serial_number: str | None = None
    device_name: str | None = None
    manufacturer: str | None = None
    manufacture_date: str | None = None
    protocol: str | None = None
    power_on_count: int | None = None
    runtime_s: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: only some fields (JBD's 0x03 carries the software version and date, 0x05 the
    #: model): the session merges it into what it knows instead of replacing it
    partial: bool = False


@dataclass(frozen=True)
class Secrets:
    """What a board reveals that must never reach a log, a file or JSON.

    Kept by the session in memory only, for the password gate.  ``repr`` hides
    the values so a stray ``print`` or log line does not leak them.
    """

    connect_pin: str | None = None
    setup_password: str | None = None

    def __repr__(self) -> str:  # pragma: no cover - trivial
        return "Secrets(<hidden>)"


@dataclass
class Settings(_Record):
    """A board's settings: canonical key -> value in canonical units."""

    values: dict[str, Any] = field(default_factory=dict)
    protocol: str | None = None
    #: True: only some of the board's settings (JK02_32S carries a few in its
    #: device-info frame, jk.md §3); the session merges them into the full set
    partial: bool = False

    def to_fields(self) -> dict[str, Any]:
        return _clean(dict(self.values))


@dataclass
class Ack(_Record):
    """The board acknowledged a write (JK: the 0xC8 frame)."""

    register: int | None = None
    raw_value: int | None = None
    ok: bool = True
    #: why a negative acknowledgement (ok=False) refused, e.g. a Modbus exception
    detail: str | None = None
    #: the family's status code where the frame carries one (JBD: 0 OK, 0x80 error …)
    status: int | None = None


@dataclass
class RegisterValue(_Record):
    """One register a board read out on request (a JBD EEPROM register)."""

    register: int
    raw_value: int | None = None
    #: canonical key -> value, for the keys this register holds
    values: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_fields(self) -> dict[str, Any]:
        out: dict[str, Any] = {"register": self.register, "raw_value": self.raw_value}
        keys = list(self.values)
        out["setting"] = keys[0] if len(keys) == 1 else None
        out["value"] = _clean(self.values[keys[0]]) if len(keys) == 1 else None
        out["values"] = _clean(dict(self.values))
        out.update(_clean(self.extra))
        return out


@dataclass
class ErrorCounts(_Record):
    """How often each protection tripped, as the board counts it (JBD 0xAA)."""

    counts: dict[str, int] = field(default_factory=dict)

    def to_fields(self) -> dict[str, Any]:
        return {"counts": dict(self.counts), "all_counts": sum(self.counts.values())}


@dataclass
class ModuleMessage(_Record):
    """A frame to or from a Bluetooth module rather than the board (JBD ``FF AA``)."""

    command: int
    direction: str = "reply"  # "request" | "reply"
    extra: dict[str, Any] = field(default_factory=dict)

    def to_fields(self) -> dict[str, Any]:
        return {"command": self.command, "direction": self.direction, **_clean(self.extra)}


@dataclass
class Command(_Record):
    """A host -> board request as seen on the wire (decoded from a sniff)."""

    register: int
    raw_value: int | None = None
    setting: str | None = None
    value: Any = None
    length: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_fields(self) -> dict[str, Any]:
        out = {
            "register": self.register,
            "raw_value": self.raw_value,
            "setting": self.setting,
            "value": _clean(self.value),
        }
        if self.length is not None:
            out["length"] = self.length
        out.update(_clean(self.extra))
        return out


@dataclass
class LogEntry(_Record):
    timestamp_s: int
    code: int
    event: str


@dataclass
class Logbook(_Record):
    count: int = 0
    entries: list[LogEntry] = field(default_factory=list)

    def to_fields(self) -> dict[str, Any]:
        return {"count": self.count, "entries": [e.to_fields() for e in self.entries]}


#: What a decoder returns.  ``kind`` names it in the decode contract.
Message = (
    Snapshot | DeviceInfo | Settings | Ack | Command | Logbook | RegisterValue | ErrorCounts | ModuleMessage
)

KIND_OF: dict[type, str] = {
    Snapshot: "live",
    DeviceInfo: "device_info",
    Settings: "settings",
    Ack: "ack",
    Command: "command",
    Logbook: "logbook",
    RegisterValue: "register",
    ErrorCounts: "error_counts",
    ModuleMessage: "ble_module",
}


def kind_of(message: Any) -> str:
    return KIND_OF.get(type(message), "unknown")


# --- settings schema --------------------------------------------------------
GROUPS = ("cell_voltages", "pack", "currents", "temperatures", "balancing", "switches", "other")


@dataclass(frozen=True)
class SettingSpec:
    """One row of a family's declarative settings schema (design.md).

    ``scale`` turns a canonical value into the integer on the wire:
    ``raw = round(value * scale)``.
    """

    key: str
    label: str
    unit: str
    register: int
    scale: float = 1.0
    width: int = 4
    signed: bool = False
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    group: str = "other"
    help: str = ""
    kind: str = "number"  # number | bool | text | action
    variants: tuple[str, ...] = ()
    offset: int | None = None  # byte offset in the family's settings frame
    bit: int | None = None  # for flags packed into a bitmask at ``offset``
    write_width: int | None = None  # value bytes in a write command (default: width)
    encoding: str = "int"  # "int" (two's complement) or "f32" (IEEE-754 float, JK04)
    writable: bool = True
    #: the frame ``offset`` counts in: "settings", or "device_info" for the JK02_32S
    #: settings that live in the device-info frame (jk.md §3)
    frame: str = "settings"
    #: text settings: the most characters the board stores (JBD strings: 31)
    max_length: int | None = None

    def check(self, value: Any) -> None:
        """ValueError in words when ``value`` is outside this setting's range."""
        if self.kind != "number":
            return
        v = float(value)
        if (self.minimum is not None and v < self.minimum) or (self.maximum is not None and v > self.maximum):
            raise ValueError(f"{self.key}={value} is outside {self.minimum}..{self.maximum} {self.unit}")

    def to_raw(self, value: Any) -> Any:
        if self.kind == "bool":
            return 1 if value else 0
        if self.encoding == "f32":
            return float(value) * self.scale
        return int(round(float(value) * self.scale))

    def from_raw(self, raw: Any) -> Any:
        if self.kind == "bool":
            return bool(raw)
        if self.encoding == "f32":
            return round(float(raw) / self.scale, 6)
        if self.scale == 1:
            return raw
        return round(raw / self.scale, 6)
