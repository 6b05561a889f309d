"""Safety interlocks checked before any write (../shared/presets.md).

Hard rules block the write; advisories need an explicit acknowledgement.
Each finding names the keys and the rule.  Messages are templates marked for
translation (context "Interlock") with named placeholders, so the GUI can
translate them and the CLI can print them in English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from ..model import SettingSpec
from ..model.labels import label
from .presets import OVP_ENVELOPE_V


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate marker
    return text


# (rule number, key that must be lower, key that must be higher)
RELATIONS: tuple[tuple[int, str, str], ...] = (
    (1, "power_off_v", "cell_uvp_v"),
    (1, "cell_uvp_v", "cell_uvp_recovery_v"),
    (1, "pack_uvp_v", "pack_uvp_recovery_v"),
    (2, "cell_ovp_recovery_v", "cell_ovp_v"),
    (2, "cell_ovp_recovery_v", "soc_full_v"),
    (2, "soc_full_v", "cell_ovp_v"),
    (2, "pack_ovp_recovery_v", "pack_ovp_v"),
    # Packbench's own: the charge/float voltage a JK board asks an inverter for
    # must stay below the cut-off, or the inverter charges into the protection
    (2, "jk_rcv_v", "cell_ovp_v"),
    (2, "jk_rfv_v", "cell_ovp_v"),
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
    "Interlock", "{key} ({value}) is above 0.1 C of the {capacity} pack: at most {limit}.")
T_ENVELOPE = QT_TRANSLATE_NOOP(
    "Interlock", "{key} ({value}) is above what {chemistry} cells take ({limit}).")
T_COLD = QT_TRANSLATE_NOOP(
    "Interlock", "{key} ({value}) lets {chemistry} cells charge below 0 °C, which plates lithium.")
T_DELTA = QT_TRANSLATE_NOOP(
    "Interlock", "{key} ({value}): the manual suggests 0.005 V for packs of 50 Ah and more.")
T_CELLS = QT_TRANSLATE_NOOP(
    "Interlock", "{key} is {value} but the board measures {measured} cells: check the wiring before "
    "writing (a cell reading 0 V or an extra cell is a wiring or configuration fault).")
T_MEASURED_HIGH = QT_TRANSLATE_NOOP(
    "Interlock", "The highest cell measures {measured} now, above the new {key} ({value}): the board "
    "would stop charging at once. Is the chemistry right?")
T_MEASURED_LOW = QT_TRANSLATE_NOOP(
    "Interlock", "The lowest cell measures {measured} now, below the new {key} ({value}): the board "
    "would stop discharging at once. Is the chemistry right?")
T_RANGE = QT_TRANSLATE_NOOP("Interlock", "{key} ({value}) is outside the allowed {minimum} … {maximum}.")
T_STEP = QT_TRANSLATE_NOOP("Interlock", "{key} ({value}) is not a multiple of the step {step}.")

CHEMISTRY_NAMES = {"lifepo4": "LiFePO4", "li-ion": "Li-ion", "lto": "LTO"}
UNITS = (("_v", "V"), ("_a", "A"), ("_ah", "Ah"), ("_c", "°C"), ("_s", "s"), ("_us", "µs"), ("_pct", "%"), ("_h", "h"), ("_min", "min"))


def fmt_value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    for suffix, unit in UNITS:
        if key.endswith(suffix):
            if isinstance(value, float):
                text = f"{value:.3f}".rstrip("0").rstrip(".") if unit == "V" else f"{value:g}"
            else:
                text = str(value)
            return f"{text} {unit}"
    return str(value)


@dataclass(frozen=True)
class Finding:
    rule: int
    keys: tuple[str, ...]
    hard: bool
    template: str
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def id(self) -> str:
        return f"rule{self.rule}:" + ",".join(self.keys)

    def message(self, label_of=label) -> str:
        """English text (the CLI); the GUI translates ``template`` and formats the same params."""
        params = dict(self.params)
        for name, value in list(params.items()):
            if name in ("key", "lower", "upper"):
                params[name] = label_of(value)
        return self.template.format(**params)


def infer_chemistry(values: Mapping[str, Any]) -> str | None:
    ovp = values.get("cell_ovp_v")
    if ovp is None:
        return None
    if ovp <= 3.0:
        return "lto"
    if ovp <= 3.75:
        return "lifepo4"
    return "li-ion"


def ordering_violations(values: Mapping[str, Any]) -> set[tuple[str, str]]:
    """The (lower, upper) relations of rules 1–4 that ``values`` breaks."""
    bad = set()
    for _rule, lo, hi in RELATIONS:
        if lo in values and hi in values and not values[lo] < values[hi]:
            bad.add((lo, hi))
    return bad


def check(values: Mapping[str, Any], *, schema: Iterable[SettingSpec] = (),
          changed: Iterable[str] | None = None, chemistry: str | None = None,
          measured_cells: int | None = None,
          measured_range_v: tuple[float, float] | None = None,
          unordered: Iterable[str] = ()) -> list[Finding]:
    """Findings for the settings a board would have after a write.

    ``unordered``: keys the family does not hold in rule 2's order (JBD's
    "cell voltage at 100 %" is only its SOC estimate; presets.md rule 2 applies
    "where the family has it", and the vendor's own files put it below OVPR).

    Only rules that involve a ``changed`` key are reported (all rules when
    ``changed`` is None), so a board's old oddities do not block an unrelated
    write; the diff still shows them.
    """
    changed_set = set(changed) if changed is not None else None

    def involved(*keys: str) -> bool:
        return changed_set is None or any(k in changed_set for k in keys)

    out: list[Finding] = []
    free = set(unordered)
    for rule, lo, hi in RELATIONS:
        if free & {lo, hi}:
            continue
        if lo in values and hi in values and involved(lo, hi) and not values[lo] < values[hi]:
            out.append(Finding(rule, (lo, hi), True, T_ORDER, {
                "lower": lo, "upper": hi, "lower_value": fmt_value(lo, values[lo]),
                "upper_value": fmt_value(hi, values[hi])}))
    # rule 5: balance current at most 0.1 C
    bal, cap = values.get("balance_max_current_a"), values.get("capacity_nominal_ah")
    if bal is not None and cap and involved("balance_max_current_a", "capacity_nominal_ah"):
        if bal > 0.1 * cap + 1e-9:
            out.append(Finding(5, ("balance_max_current_a", "capacity_nominal_ah"), True, T_BALANCE, {
                "key": "balance_max_current_a", "value": fmt_value("balance_max_current_a", bal),
                "capacity": fmt_value("capacity_nominal_ah", cap),
                "limit": fmt_value("balance_max_current_a", round(0.1 * cap, 3))}))
    # rule 6 (advisory): chemistry envelope and charging below 0 °C
    chem = chemistry or infer_chemistry(values)
    if chem:
        ovp = values.get("cell_ovp_v")
        if ovp is not None and involved("cell_ovp_v") and ovp > OVP_ENVELOPE_V[chem] + 1e-9:
            out.append(Finding(6, ("cell_ovp_v",), False, T_ENVELOPE, {
                "key": "cell_ovp_v", "value": fmt_value("cell_ovp_v", ovp),
                "chemistry": CHEMISTRY_NAMES[chem], "limit": fmt_value("cell_ovp_v", OVP_ENVELOPE_V[chem])}))
        utp = values.get("charge_utp_c")
        if chem in ("lifepo4", "li-ion") and utp is not None and involved("charge_utp_c") and utp < 0:
            out.append(Finding(6, ("charge_utp_c",), False, T_COLD, {
                "key": "charge_utp_c", "value": fmt_value("charge_utp_c", utp),
                "chemistry": CHEMISTRY_NAMES[chem]}))
    delta = values.get("balance_trigger_delta_v")
    if delta is not None and cap and cap >= 50 and delta > 0.005 + 1e-9 and involved(
            "balance_trigger_delta_v", "capacity_nominal_ah"):
        out.append(Finding(6, ("balance_trigger_delta_v",), False, T_DELTA, {
            "key": "balance_trigger_delta_v", "value": fmt_value("balance_trigger_delta_v", delta)}))
    # rule 7: configured cells = measured cells
    cells = values.get("cell_count")
    if measured_cells is not None and cells is not None and involved("cell_count") and cells != measured_cells:
        out.append(Finding(7, ("cell_count",), True, T_CELLS, {
            "key": "cell_count", "value": cells, "measured": measured_cells}))
    # rule 9 (advisory, Packbench's own): the cells measured now lie outside the
    # new protection window, which usually means the wrong chemistry preset
    if measured_range_v is not None:
        lo_v, hi_v = measured_range_v
        ovp, uvp = values.get("cell_ovp_v"), values.get("cell_uvp_v")
        if ovp is not None and involved("cell_ovp_v") and hi_v >= ovp:
            out.append(Finding(9, ("cell_ovp_v",), False, T_MEASURED_HIGH, {
                "key": "cell_ovp_v", "value": fmt_value("cell_ovp_v", ovp),
                "measured": fmt_value("cell_ovp_v", hi_v)}))
        if uvp is not None and involved("cell_uvp_v") and lo_v <= uvp:
            out.append(Finding(9, ("cell_uvp_v",), False, T_MEASURED_LOW, {
                "key": "cell_uvp_v", "value": fmt_value("cell_uvp_v", uvp),
                "measured": fmt_value("cell_uvp_v", lo_v)}))
    # rule 8: schema range and step
    for spec in schema:
        if spec.key not in values or spec.kind != "number" or not involved(spec.key):
            continue
        v = values[spec.key]
        if (spec.minimum is not None and v < spec.minimum - 1e-9) or (
                spec.maximum is not None and v > spec.maximum + 1e-9):
            out.append(Finding(8, (spec.key,), True, T_RANGE, {
                "key": spec.key, "value": fmt_value(spec.key, v),
                "minimum": fmt_value(spec.key, spec.minimum), "maximum": fmt_value(spec.key, spec.maximum)}))
        elif spec.step:
            ratio = v / spec.step
            if abs(ratio - round(ratio)) > 1e-6:
                out.append(Finding(8, (spec.key,), True, T_STEP, {
                    "key": spec.key, "value": fmt_value(spec.key, v), "step": fmt_value(spec.key, spec.step)}))
    return out
