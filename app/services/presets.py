"""Chemistry presets and pack profiles (../shared/presets.md).

Packbench ships its own presets, written as data, because the vendor manual's
table has its LiFePO4/Li-ion voltage columns swapped, allows charging at
−20 °C and lacks LTO (presets.md).  A preset touches chemistry keys only;
pack keys come from the pack profile the user enters beside it; board keys
(MOS OTP, calibration, addresses) are left as the board has them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..protocols.family import pack_levels as family_pack_levels
from ..protocols.family import preset_values as family_preset_values
from .file_reading import FileError, known_specs, parse_value, read_json

# cell-level chemistry values (presets.md "Packbench presets"); a family adds values
# of its own keys (``Family.preset_values``, e.g. the charge and float voltage a
# board requests from an inverter), merged in below
_SHARED_PRESETS: dict[str, dict[str, float]] = {
    "lifepo4": {
        "cell_ovp_v": 3.65,
        "soc_full_v": 3.60,
        "cell_ovp_recovery_v": 3.55,
        "balance_start_v": 3.40,
        "cell_uvp_recovery_v": 2.80,
        "soc_empty_v": 2.70,
        "cell_uvp_v": 2.50,
        "power_off_v": 2.40,
        "charge_otp_c": 55,
        "charge_otp_recovery_c": 50,
        "discharge_otp_c": 65,
        "discharge_otp_recovery_c": 55,
        "charge_utp_c": 0,
        "charge_utp_recovery_c": 5,
        "discharge_utp_c": -20,
        "discharge_utp_recovery_c": -10,
    },
    "li-ion": {
        "cell_ovp_v": 4.20,
        "soc_full_v": 4.15,
        "cell_ovp_recovery_v": 4.10,
        "balance_start_v": 3.90,
        "cell_uvp_recovery_v": 3.20,
        "soc_empty_v": 3.10,
        "cell_uvp_v": 2.80,
        "power_off_v": 2.70,
        "charge_otp_c": 55,
        "charge_otp_recovery_c": 50,
        "discharge_otp_c": 65,
        "discharge_otp_recovery_c": 55,
        "charge_utp_c": 0,
        "charge_utp_recovery_c": 5,
        "discharge_utp_c": -20,
        "discharge_utp_recovery_c": -10,
    },
    "lto": {
        "cell_ovp_v": 2.80,
        "soc_full_v": 2.75,
        "cell_ovp_recovery_v": 2.70,
        "balance_start_v": 2.50,
        "cell_uvp_recovery_v": 2.00,
        "soc_empty_v": 1.90,
        "cell_uvp_v": 1.80,
        "power_off_v": 1.70,
        "charge_otp_c": 55,
        "charge_otp_recovery_c": 50,
        "discharge_otp_c": 65,
        "discharge_otp_recovery_c": 55,
        "charge_utp_c": -30,
        "charge_utp_recovery_c": -25,
        "discharge_utp_c": -35,
        "discharge_utp_recovery_c": -30,
    },
}


def _with_family_values(shared: dict[str, float], chemistry: str) -> dict[str, float]:
    """The shared values with the families' own keys inserted after ``soc_full_v``, the
    charge voltages beside the 100 % voltage (where a preset file lists them)."""
    extra = family_preset_values(chemistry)
    out: dict[str, float] = {}
    for key, value in shared.items():
        out[key] = value
        if key == "soc_full_v":
            out.update(extra)
    out.update({k: v for k, v in extra.items() if k not in out})
    return out


CHEMISTRY_PRESETS: dict[str, dict[str, float]] = {
    chem: _with_family_values(values, chem) for chem, values in _SHARED_PRESETS.items()
}
CHEMISTRIES = tuple(CHEMISTRY_PRESETS)
PRESET_FORMAT = "packbench-preset"

#: highest cell OVP per chemistry before an advisory (presets.md interlock 6)
OVP_ENVELOPE_V = {"lifepo4": 3.65, "li-ion": 4.25, "lto": 2.85}


def voltage_window(chemistry: str) -> tuple[float, float, float]:
    """(lowest, middle, highest) cell voltage that a chemistry's settings span: from its
    preset's power-off voltage up to its over-voltage envelope (presets.md, the preset
    table and interlock 6), with the middle halfway between the top of its empty end (the
    under-voltage recovery) and the bottom of its full end (the balance start).

    LiFePO4 2.40 / 3.10 / 3.65 V, Li-ion 2.70 / 3.55 / 4.25 V, LTO 1.70 / 2.25 / 2.85 V.
    The interlocks (rule 13) keep a setting on its end of the window when the chemistry
    changes: a sleep voltage near empty stays near empty."""
    chem = normalise_chemistry(chemistry)
    p = CHEMISTRY_PRESETS[chem]
    middle = round((p["cell_uvp_recovery_v"] + p["balance_start_v"]) / 2, 3)
    return p["power_off_v"], middle, OVP_ENVELOPE_V[chem]


#: cell-level keys that become pack-level keys (× cell_count) on families that have them
PACK_LEVEL = {
    "cell_ovp_v": "pack_ovp_v",
    "cell_ovp_recovery_v": "pack_ovp_recovery_v",
    "cell_uvp_v": "pack_uvp_v",
    "cell_uvp_recovery_v": "pack_uvp_recovery_v",
}


def normalise_chemistry(name: str) -> str:
    key = name.strip().lower().replace("_", "-")
    key = {"lfp": "lifepo4", "liion": "li-ion", "nmc": "li-ion", "nca": "li-ion"}.get(key, key)
    if key not in CHEMISTRY_PRESETS:
        raise ValueError(f"unknown chemistry {name!r}; choose lifepo4, li-ion or lto")
    return key


@dataclass
class PackProfile:
    """What the user says about the pack beside a preset."""

    cell_count: int
    capacity_ah: float
    charge_current_a: float | None = None
    discharge_current_a: float | None = None
    balance_current_a: float | None = None

    def values(self) -> dict[str, Any]:
        if (
            isinstance(self.cell_count, bool)
            or not isinstance(self.cell_count, int)
            or not 1 <= self.cell_count <= 48
        ):
            raise ValueError(f"cell count {self.cell_count} is not a pack (1 to 48 cells)")
        for what, value, unit in (
            ("capacity", self.capacity_ah, "Ah"),
            ("charge current", self.charge_current_a, "A"),
            ("discharge current", self.discharge_current_a, "A"),
            ("balance current", self.balance_current_a, "A"),
        ):
            if value is None and what != "capacity":
                continue
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not math.isfinite(value)
                or value <= 0
            ):
                raise ValueError(f"the {what} must be a number above 0 {unit}, not {value}")
        out: dict[str, Any] = {"cell_count": self.cell_count, "capacity_nominal_ah": self.capacity_ah}
        if self.charge_current_a is not None:
            out["charge_ocp_a"] = self.charge_current_a
        if self.discharge_current_a is not None:
            out["discharge_ocp_a"] = self.discharge_current_a
        # the manual's own rule: balance current at most 0.1 C
        bal = self.balance_current_a
        if bal is None:
            bal = min(2.0, round(0.1 * self.capacity_ah, 1))
        out["balance_max_current_a"] = bal
        out["balance_trigger_delta_v"] = 0.005 if self.capacity_ah >= 50 else 0.010
        return out


@dataclass
class Preset:
    name: str
    chemistry: str
    values: dict[str, Any] = field(default_factory=dict)  # cell-level chemistry keys
    builtin: bool = False

    def apply(self, profile: PackProfile | None, schema_keys: set[str]) -> dict[str, Any]:
        """The requested settings for a board whose schema has ``schema_keys``."""
        wanted: dict[str, Any] = dict(self.values)
        if profile is not None:
            wanted.update(profile.values())
            # the shared pairs, and a family's own (Family.pack_levels: Daly's warning levels)
            for cell_key, pack_key in {**PACK_LEVEL, **family_pack_levels()}.items():
                if cell_key in wanted and pack_key in schema_keys:
                    wanted[pack_key] = round(wanted[cell_key] * profile.cell_count, 3)
        return {k: v for k, v in wanted.items() if k in schema_keys}

    def missing(self, profile: PackProfile | None, schema_keys: set[str]) -> dict[str, Any]:
        """The values of this preset (and of the pack profile beside it) that a board whose
        schema has ``schema_keys`` has no setting for: they have nowhere to go there.

        A cell-level value whose pack-level twin the board has (``pack_ovp_v``) does go
        somewhere.  A built-in preset also carries every family's own keys (JK's charge
        voltage request, Daly's battery type…): those count only where they belong, so
        only its shared chemistry keys are named; a user's preset is named key by key."""
        offered: dict[str, Any] = {}
        shared = _SHARED_PRESETS.get(self.chemistry, {})
        for key, value in self.values.items():
            if not self.builtin or key in shared:
                offered[key] = value
        if profile is not None:
            offered.update(profile.values())
        twins = {**PACK_LEVEL, **family_pack_levels()}
        return {
            key: value
            for key, value in offered.items()
            if key not in schema_keys and twins.get(key) not in schema_keys
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "format": PRESET_FORMAT,
            "version": 1,
            "name": self.name,
            "chemistry": self.chemistry,
            "values": self.values,
        }


def builtin_presets() -> list[Preset]:
    names = {"lifepo4": "LiFePO4", "li-ion": "Li-ion (NMC/NCA)", "lto": "LTO"}
    return [Preset(names[c], c, dict(v), builtin=True) for c, v in CHEMISTRY_PRESETS.items()]


def builtin(chemistry: str) -> Preset:
    chem = normalise_chemistry(chemistry)
    return next(p for p in builtin_presets() if p.chemistry == chem)


def preset_from_json(data: Any, path: str | Path) -> Preset:
    """A preset file's contents, checked strictly: a name, a known chemistry and values
    that are settings some board has, each of the right type (FileError naming the key)."""
    if not isinstance(data, dict) or data.get("format") != PRESET_FORMAT:
        raise FileError(f"{path}: not a Packbench preset file")
    name, chemistry, values = data.get("name"), data.get("chemistry"), data.get("values")
    if not isinstance(name, str) or not name.strip():
        raise FileError(f"{path}: the preset has no name")
    if not isinstance(chemistry, str):
        raise FileError(f"{path}: the preset names no chemistry (lifepo4, li-ion or lto)")
    if not isinstance(values, dict) or not values:
        raise FileError(f'{path}: the preset\'s "values" must be an object of settings')
    try:
        chem = normalise_chemistry(chemistry)
    except ValueError as exc:
        raise FileError(f"{path}: {exc}") from None
    specs = known_specs()
    parsed = {}
    for key, value in values.items():
        if key not in specs:
            raise FileError(f"{path}: {key}: no board Packbench knows has such a setting")
        try:
            parsed[key] = parse_value(key, value, specs[key])
        except FileError as exc:
            raise FileError(f"{path}: {exc}") from None
    return Preset(name.strip(), chem, parsed)


def load_preset(path: str | Path) -> Preset:
    return preset_from_json(read_json(path), path)


def save_preset(preset: Preset, path: str | Path) -> None:
    Path(path).write_text(json.dumps(preset.to_json(), indent=2) + "\n", encoding="utf-8")
