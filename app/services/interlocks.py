"""Safety interlocks checked before any write (../shared/presets.md).

Hard rules block the write; advisories need an explicit acknowledgement.
Each finding names the keys and the rule.  Messages are templates marked for
translation (context "Interlock"; the switch warnings reuse the Control tab's
texts, context "Control") with named placeholders, so the GUI can translate
them and the CLI can print them in English.

Rules 1–8 are presets.md's; 9–12 are Packbench's own:

* 6 (hard part): a cell OVP above 4.25 V, the highest envelope of rule 6 (Li-ion),
  is above what any chemistry Packbench knows takes: blocked.
* 9: the cells measured now lie outside the new protection window (advisory).
* 10: the write changes the chemistry class of the board's settings (advisory
  naming both).  The class of a set of settings comes from its cell OVP: the
  chemistry whose preset OVP (LTO 2.80, LiFePO4 3.65, Li-ion 4.20 V) is nearest,
  i.e. up to 3.225 V LTO, up to 3.925 V LiFePO4, above that Li-ion; a set without
  a cell OVP is classed by its cell UVP the same way (1.80 / 2.50 / 2.80 V: up to
  2.15 V LTO, up to 2.65 V LiFePO4).  Files, presets and hand edits all pass
  through here (writer.prepare).
* 11: a settings file saved from another board (another serial number, or another
  cell count than the board's) (advisory).
* 12: a write that switches charging, discharging, balancing or heating, with the
  Control tab's words for what that does to the pack (advisory).
* 13: a chemistry change (rule 10) that leaves a cell voltage the write does not set
  outside the new chemistry's window (``presets.voltage_window``: from the preset's
  power-off voltage to the over-voltage envelope, split in the middle; a setting on the
  empty end must stay on the empty end, e.g. JK's smart sleep voltage) (advisory).

A finding is shown by its rule's name in words (``Finding.name``, ``RULE_NAMES``), never by
its number; the number stays in the JSON output and in the acknowledgement ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..model import SettingSpec, units
from ..protocols.family import label
from ..protocols.family import relations as family_relations
from .presets import CHEMISTRY_PRESETS, OVP_ENVELOPE_V, voltage_window
from .switches import CONSEQUENCES


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate marker
    return text


# (rule number, key that must be lower, key that must be higher): the shared keys'; a
# family adds its own (``Family.relations``), checked beside them (``relations()``)
RELATIONS: tuple[tuple[int, str, str], ...] = (
    (1, "power_off_v", "cell_uvp_v"),
    (1, "cell_uvp_v", "cell_uvp_recovery_v"),
    (1, "pack_uvp_v", "pack_uvp_recovery_v"),
    (2, "cell_ovp_recovery_v", "cell_ovp_v"),
    (2, "cell_ovp_recovery_v", "soc_full_v"),
    (2, "soc_full_v", "cell_ovp_v"),
    (2, "pack_ovp_recovery_v", "pack_ovp_v"),
    (3, "cell_uvp_v", "balance_start_v"),
    (3, "balance_start_v", "cell_ovp_v"),
    (4, "charge_otp_recovery_c", "charge_otp_c"),
    (4, "discharge_otp_recovery_c", "discharge_otp_c"),
    (4, "mos_otp_recovery_c", "mos_otp_c"),
    (4, "charge_utp_c", "charge_utp_recovery_c"),
    (4, "discharge_utp_c", "discharge_utp_recovery_c"),
    (4, "charge_utp_c", "charge_otp_c"),
    (4, "discharge_utp_c", "discharge_otp_c"),
)

T_ORDER = QT_TRANSLATE_NOOP("Interlock", "{lower} ({lower_value}) must be below {upper} ({upper_value}).")
T_BALANCE = QT_TRANSLATE_NOOP(
    "Interlock", "{key} ({value}) is above 0.1 C of the {capacity} pack: at most {limit}."
)
T_ENVELOPE = QT_TRANSLATE_NOOP("Interlock", "{key} ({value}) is above what {chemistry} cells take ({limit}).")
T_COLD = QT_TRANSLATE_NOOP(
    "Interlock", "{key} ({value}) lets {chemistry} cells charge below 0 °C, which plates lithium."
)
T_DELTA = QT_TRANSLATE_NOOP(
    "Interlock", "{key} ({value}): the manual suggests 0.005 V for packs of 50 Ah and more."
)
T_CELLS = QT_TRANSLATE_NOOP(
    "Interlock",
    "{key} is {value} but the board measures {measured} cells: check the wiring before "
    "writing (a cell reading 0 V or an extra cell is a wiring or configuration fault).",
)
T_MEASURED_HIGH = QT_TRANSLATE_NOOP(
    "Interlock",
    "The highest cell measures {measured} now, above the new {key} ({value}): the board "
    "would stop charging at once. Is the chemistry right?",
)
T_MEASURED_LOW = QT_TRANSLATE_NOOP(
    "Interlock",
    "The lowest cell measures {measured} now, below the new {key} ({value}): the board "
    "would stop discharging at once. Is the chemistry right?",
)
T_RANGE = QT_TRANSLATE_NOOP("Interlock", "{key} ({value}) is outside the allowed {minimum} … {maximum}.")
T_STEP = QT_TRANSLATE_NOOP("Interlock", "{key} ({value}) is not a multiple of the step {step}.")
T_NO_CHEMISTRY = QT_TRANSLATE_NOOP(
    "Interlock", "{key} ({value}) is above what any cell chemistry takes (at most {limit}, for Li-ion)."
)
T_CHEMISTRY_CHANGE = QT_TRANSLATE_NOOP(
    "Interlock",
    "These values are for {new} cells, but the board is set up for {old} cells now "
    "({key} {old_value} → {value}). Write them only if the pack really is {new}.",
)
T_OTHER_SERIAL = QT_TRANSLATE_NOOP(
    "Interlock",
    "{file} was saved from another board (serial {file_serial}; this board is "
    "{serial}). Check that it is meant for this pack.",
)
T_OTHER_CELLS = QT_TRANSLATE_NOOP(
    "Interlock",
    "{file} is for a {file_cells}-cell pack; this board is set up for {cells} cells. "
    "Its pack-level values may not fit.",
)
T_LEFT_BEHIND = QT_TRANSLATE_NOOP(
    "Interlock",
    "The write sets the board up for {new} cells but leaves settings made for {old} cells "
    "outside the {new} window: {settings}. Change them in the form too, or accept this only "
    "if you know why they differ.",
)
T_LEFT_ITEM = QT_TRANSLATE_NOOP("Interlock", "{key} stays at {value} (for {new}: {low} … {high})")

#: each rule's short name, in words (presets.md's interlocks 1–8, Packbench's own 9–13)
RULE_NAMES = {
    1: QT_TRANSLATE_NOOP("Interlock", "Under-voltage order"),
    2: QT_TRANSLATE_NOOP("Interlock", "Over-voltage order"),
    3: QT_TRANSLATE_NOOP("Interlock", "Balancing between the cut-offs"),
    4: QT_TRANSLATE_NOOP("Interlock", "Temperature order"),
    5: QT_TRANSLATE_NOOP("Interlock", "Balance current at most 0.1 C"),
    6: QT_TRANSLATE_NOOP("Interlock", "Chemistry limits"),
    7: QT_TRANSLATE_NOOP("Interlock", "Cell count"),
    8: QT_TRANSLATE_NOOP("Interlock", "Allowed range"),
    9: QT_TRANSLATE_NOOP("Interlock", "Cells measured now"),
    10: QT_TRANSLATE_NOOP("Interlock", "Chemistry change"),
    11: QT_TRANSLATE_NOOP("Interlock", "File from another board"),
    12: QT_TRANSLATE_NOOP("Interlock", "Switch change"),
    13: QT_TRANSLATE_NOOP("Interlock", "Left from the old chemistry"),
}
#: rule 6 has three parts, each with a name of its own
TEMPLATE_NAMES = {
    T_COLD: QT_TRANSLATE_NOOP("Interlock", "Charging below 0 °C"),
    T_DELTA: QT_TRANSLATE_NOOP("Interlock", "Balance trigger of a large pack"),
}

CHEMISTRY_NAMES = {"lifepo4": "LiFePO4", "li-ion": "Li-ion", "lto": "LTO"}


def fmt_value(key: str, value: Any) -> str:
    """A value in a message: with the unit its name carries, shown as every page shows it
    (model/units.py: ``3.650 V``, ``100 Ah``, ``55 °C``), but never rounded: a value off
    the step is a finding's very subject ("… 3.6505 V is not a multiple of the step")."""
    return units.key_quantity(key, value, exact=True)


@dataclass(frozen=True)
class Finding:
    rule: int
    keys: tuple[str, ...]
    hard: bool
    template: str
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    #: the translation context of ``template`` (the switch warnings are the Control tab's)
    context: str = field(default="Interlock", compare=False)
    #: a finding about several settings: ``params["items"]`` (one dict each) written with
    #: this template, joined into ``{settings}``
    item_template: str = field(default="", compare=False)

    @property
    def name(self) -> str:
        """The rule in words, in English (the GUI translates it, context "Interlock")."""
        return TEMPLATE_NAMES.get(self.template) or RULE_NAMES.get(self.rule, f"rule {self.rule}")

    @property
    def id(self) -> str:
        return f"rule{self.rule}:" + ",".join(self.keys)

    def fields(self, label_of=label, translate=lambda text: text) -> dict[str, Any]:
        """The params ready to fill the template: keys by their labels, the items of a
        finding about several settings joined into ``settings``."""
        params = _labelled(self.params, label_of)
        if self.item_template:
            item = translate(self.item_template)  # i18n: lookup
            params["settings"] = "; ".join(
                item.format(**_labelled(one, label_of)) for one in self.params.get("items", ())
            )
        return params

    def message(self, label_of=label) -> str:
        """English text (the CLI); the GUI translates ``template`` and formats the same params."""
        return self.template.format(**self.fields(label_of))


def _labelled(params: Mapping[str, Any], label_of) -> dict[str, Any]:
    return {name: label_of(v) if name in ("key", "lower", "upper") else v for name, v in params.items()}


#: above this no chemistry Packbench knows is safe (the highest envelope of rule 6)
MAX_CELL_OVP_V = max(OVP_ENVELOPE_V.values())


def _nearest_preset(values: Mapping[str, Any], key: str) -> str | None:
    value = values.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    # halfway between two presets counts as the lower one ("up to")
    return min(
        CHEMISTRY_PRESETS,
        key=lambda chem: (round(abs(CHEMISTRY_PRESETS[chem][key] - value), 6), CHEMISTRY_PRESETS[chem][key]),
    )


def chemistry_class(values: Mapping[str, Any]) -> str | None:
    """The chemistry a set of settings is made for (rule 10 in the module docstring):
    the nearest preset cell OVP, else the nearest preset cell UVP; None without either."""
    return _nearest_preset(values, "cell_ovp_v") or _nearest_preset(values, "cell_uvp_v")


infer_chemistry = chemistry_class


def relations() -> tuple[tuple[int, str, str], ...]:
    """The shared relations and every family's own, in the order of their rules."""
    return tuple(sorted(RELATIONS + family_relations(), key=lambda r: r[0]))


def ordering_violations(values: Mapping[str, Any]) -> set[tuple[str, str]]:
    """The (lower, upper) relations of rules 1–4 that ``values`` breaks."""
    bad = set()
    for _rule, lo, hi in relations():
        if lo in values and hi in values and not values[lo] < values[hi]:
            bad.add((lo, hi))
    return bad


def check(
    values: Mapping[str, Any],
    *,
    schema: Iterable[SettingSpec] = (),
    changed: Iterable[str] | None = None,
    chemistry: str | None = None,
    measured_cells: int | None = None,
    measured_range_v: tuple[float, float] | None = None,
    unordered: Iterable[str] = (),
    before: Mapping[str, Any] | None = None,
) -> list[Finding]:
    """Findings for the settings a board would have after a write.

    ``before``: the board's settings now, for the chemistry class change (rule 10), the
    settings it leaves behind (rule 13) and the switch warnings (rule 12).

    ``unordered``: keys the family does not hold in rule 2's order (JBD's
    "cell voltage at 100 %" is only its SOC estimate; presets.md rule 2 applies
    "where the family has it", and the vendor's own files put it below OVPR).

    Only rules that involve a ``changed`` key are reported (all rules when
    ``changed`` is None), so a board's old oddities do not block an unrelated
    write; the diff still shows them.
    """
    changed_set = set(changed) if changed is not None else None
    schema = list(schema)

    def involved(*keys: str) -> bool:
        return changed_set is None or any(k in changed_set for k in keys)

    out = order_findings(values, involved, set(unordered))
    out += balance_current(values, involved)
    out += chemistry_limits(values, chemistry or chemistry_class(values), involved)
    out += cell_count(values, measured_cells, involved)
    out += measured_cells_outside(values, measured_range_v, involved)
    out += chemistry_change(before, values, involved)
    out += left_behind(before, values, schema, changed_set, involved)
    out += switch_warnings(before, values, involved)
    out += schema_limits(values, schema, involved)
    return out


def order_findings(values: Mapping[str, Any], involved, unordered: set[str]) -> list[Finding]:
    """Rules 1–4 (and the families' own relations): each lower key below its upper one."""
    out = []
    for rule, lo, hi in relations():
        if unordered & {lo, hi}:
            continue
        if lo in values and hi in values and involved(lo, hi) and not values[lo] < values[hi]:
            params = {
                "lower": lo,
                "upper": hi,
                "lower_value": fmt_value(lo, values[lo]),
                "upper_value": fmt_value(hi, values[hi]),
            }
            out.append(Finding(rule, (lo, hi), True, T_ORDER, params))
    return out


def balance_current(values: Mapping[str, Any], involved) -> list[Finding]:
    """Rule 5: balance current at most 0.1 C."""
    bal, cap = values.get("balance_max_current_a"), values.get("capacity_nominal_ah")
    if bal is None or not cap or not involved("balance_max_current_a", "capacity_nominal_ah"):
        return []
    if bal <= 0.1 * cap + 1e-9:
        return []
    params = {
        "key": "balance_max_current_a",
        "value": fmt_value("balance_max_current_a", bal),
        "capacity": fmt_value("capacity_nominal_ah", cap),
        "limit": fmt_value("balance_max_current_a", round(0.1 * cap, 3)),
    }
    return [Finding(5, ("balance_max_current_a", "capacity_nominal_ah"), True, T_BALANCE, params)]


def chemistry_limits(values: Mapping[str, Any], chem: str | None, involved) -> list[Finding]:
    """Rule 6 (advisory): the chemistry envelope, charging below 0 °C and the manual's
    balance trigger for large packs; above every chemistry's envelope the write is blocked."""
    out = []
    ovp = values.get("cell_ovp_v")
    if ovp is not None and involved("cell_ovp_v") and ovp > MAX_CELL_OVP_V + 1e-9:
        params = {
            "key": "cell_ovp_v",
            "value": fmt_value("cell_ovp_v", ovp),
            "limit": fmt_value("cell_ovp_v", MAX_CELL_OVP_V),
        }
        out.append(Finding(6, ("cell_ovp_v",), True, T_NO_CHEMISTRY, params))
    elif chem and ovp is not None and involved("cell_ovp_v") and ovp > OVP_ENVELOPE_V[chem] + 1e-9:
        params = {
            "key": "cell_ovp_v",
            "value": fmt_value("cell_ovp_v", ovp),
            "chemistry": CHEMISTRY_NAMES[chem],
            "limit": fmt_value("cell_ovp_v", OVP_ENVELOPE_V[chem]),
        }
        out.append(Finding(6, ("cell_ovp_v",), False, T_ENVELOPE, params))
    utp = values.get("charge_utp_c")
    if chem in ("lifepo4", "li-ion") and utp is not None and involved("charge_utp_c") and utp < 0:
        params = {
            "key": "charge_utp_c",
            "value": fmt_value("charge_utp_c", utp),
            "chemistry": CHEMISTRY_NAMES[chem],
        }
        out.append(Finding(6, ("charge_utp_c",), False, T_COLD, params))
    delta, cap = values.get("balance_trigger_delta_v"), values.get("capacity_nominal_ah")
    if (
        delta is not None
        and cap
        and cap >= 50
        and delta > 0.005 + 1e-9
        and involved("balance_trigger_delta_v", "capacity_nominal_ah")
    ):
        params = {"key": "balance_trigger_delta_v", "value": fmt_value("balance_trigger_delta_v", delta)}
        out.append(Finding(6, ("balance_trigger_delta_v",), False, T_DELTA, params))
    return out


def cell_count(values: Mapping[str, Any], measured: int | None, involved) -> list[Finding]:
    """Rule 7: the configured cells are the cells the board measures."""
    cells = values.get("cell_count")
    if measured is None or cells is None or not involved("cell_count") or cells == measured:
        return []
    return [
        Finding(
            7, ("cell_count",), True, T_CELLS, {"key": "cell_count", "value": cells, "measured": measured}
        )
    ]


def measured_cells_outside(
    values: Mapping[str, Any], measured_range_v: tuple[float, float] | None, involved
) -> list[Finding]:
    """Rule 9 (advisory, Packbench's own): the cells measured now lie outside the new
    protection window, which usually means the wrong chemistry preset."""
    if measured_range_v is None:
        return []
    out = []
    lo_v, hi_v = measured_range_v
    ovp, uvp = values.get("cell_ovp_v"), values.get("cell_uvp_v")
    if ovp is not None and involved("cell_ovp_v") and hi_v >= ovp:
        params = {
            "key": "cell_ovp_v",
            "value": fmt_value("cell_ovp_v", ovp),
            "measured": fmt_value("cell_ovp_v", hi_v),
        }
        out.append(Finding(9, ("cell_ovp_v",), False, T_MEASURED_HIGH, params))
    if uvp is not None and involved("cell_uvp_v") and lo_v <= uvp:
        params = {
            "key": "cell_uvp_v",
            "value": fmt_value("cell_uvp_v", uvp),
            "measured": fmt_value("cell_uvp_v", lo_v),
        }
        out.append(Finding(9, ("cell_uvp_v",), False, T_MEASURED_LOW, params))
    return out


def schema_limits(values: Mapping[str, Any], schema: Iterable[SettingSpec], involved) -> list[Finding]:
    """Rule 8: every value within the schema's range and step."""
    out = []
    for spec in schema:
        if spec.key not in values or spec.kind != "number" or not involved(spec.key):
            continue
        v = values[spec.key]
        if (spec.minimum is not None and v < spec.minimum - 1e-9) or (
            spec.maximum is not None and v > spec.maximum + 1e-9
        ):
            params = {
                "key": spec.key,
                "value": fmt_value(spec.key, v),
                "minimum": fmt_value(spec.key, spec.minimum),
                "maximum": fmt_value(spec.key, spec.maximum),
            }
            out.append(Finding(8, (spec.key,), True, T_RANGE, params))
        elif spec.step and abs(v / spec.step - round(v / spec.step)) > 1e-6:
            params = {
                "key": spec.key,
                "value": fmt_value(spec.key, v),
                "step": fmt_value(spec.key, spec.step),
            }
            out.append(Finding(8, (spec.key,), True, T_STEP, params))
    return out


def chemistry_change(
    before: Mapping[str, Any] | None, after: Mapping[str, Any], involved=lambda *k: True
) -> list[Finding]:
    """Rule 10: the write moves the board's settings to another chemistry class."""
    if before is None:
        return []
    old, new = chemistry_class(before), chemistry_class(after)
    key = "cell_ovp_v" if "cell_ovp_v" in after else "cell_uvp_v"
    if (
        old is None
        or new is None
        or old == new
        or key not in before
        or not involved("cell_ovp_v", "cell_uvp_v")
    ):
        return []
    return [
        Finding(
            10,
            (key,),
            False,
            T_CHEMISTRY_CHANGE,
            {
                "key": key,
                "old": CHEMISTRY_NAMES[old],
                "new": CHEMISTRY_NAMES[new],
                "old_value": fmt_value(key, before[key]),
                "value": fmt_value(key, after[key]),
            },
        )
    ]


def is_cell_voltage(spec: SettingSpec) -> bool:
    """A cell's voltage level (not a pack voltage, a difference between cells or a
    calibration value)."""
    return (
        spec.kind == "number"
        and spec.unit == "V"
        and spec.group in ("cell_voltages", "balancing")
        and "delta" not in spec.key
    )


def left_behind(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
    schema: Iterable[SettingSpec],
    changed: set[str] | None,
    involved=lambda *k: True,
) -> list[Finding]:
    """Rule 13: the write moves the board to another chemistry (rule 10) but leaves a
    cell voltage outside the new chemistry's window, on its end of it (a value below the
    old chemistry's middle belongs below the new one's)."""
    if before is None or not involved("cell_ovp_v", "cell_uvp_v"):
        return []
    old, new = chemistry_class(before), chemistry_class(after)
    if old is None or new is None or old == new:
        return []
    _low, old_middle, _high = voltage_window(old)
    low, middle, high = voltage_window(new)
    items = []
    for spec in schema:
        value = after.get(spec.key)
        if (
            not is_cell_voltage(spec)
            or isinstance(value, bool)
            or not isinstance(value, (int, float))
            or (changed is not None and spec.key in changed)
            or before.get(spec.key) != value
        ):
            continue
        lo, hi = (low, middle) if value < old_middle else (middle, high)
        if not lo - 1e-9 <= value <= hi + 1e-9:
            items.append(
                {
                    "key": spec.key,
                    "value": fmt_value(spec.key, value),
                    "new": CHEMISTRY_NAMES[new],
                    "low": fmt_value(spec.key, lo),
                    "high": fmt_value(spec.key, hi),
                }
            )
    if not items:
        return []
    params = {"old": CHEMISTRY_NAMES[old], "new": CHEMISTRY_NAMES[new], "items": items}
    keys = tuple(item["key"] for item in items)
    return [Finding(13, keys, False, T_LEFT_BEHIND, params, item_template=T_LEFT_ITEM)]


def switch_warnings(
    before: Mapping[str, Any] | None, after: Mapping[str, Any], involved=lambda *k: True
) -> list[Finding]:
    """Rule 12: a write that changes a switch says what that does, as the Control tab does."""
    out = []
    for (key, on), text in CONSEQUENCES.items():
        if (
            key in after
            and bool(after[key]) == on
            and involved(key)
            and (before is None or before.get(key) is None or bool(before[key]) != on)
        ):
            out.append(Finding(12, (key,), False, text, {}, context="Control"))
    return out


def origin_findings(origin: Any, *, serial: str | None, cells: int | None) -> list[Finding]:
    """Rule 11: a file saved from another board (``origin``: settings_files.Origin)."""
    if origin is None:
        return []
    out = []
    if origin.serial_number and serial and str(origin.serial_number) != str(serial):
        out.append(
            Finding(
                11,
                ("serial_number",),
                False,
                T_OTHER_SERIAL,
                {"file": origin.name, "file_serial": origin.serial_number, "serial": serial},
            )
        )
    if origin.cell_count and cells and int(origin.cell_count) != int(cells):
        out.append(
            Finding(
                11,
                ("cell_count",),
                False,
                T_OTHER_CELLS,
                {"file": origin.name, "file_cells": origin.cell_count, "cells": cells},
            )
        )
    return out
