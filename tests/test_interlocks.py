"""Every safety rule of shared/presets.md ("Interlocks"), and Packbench's own rules 9–13,
pinned one by one: each test names its rule in words and fails when the rule is removed
or its threshold moved (issue 24).

Expected values come from shared/presets.md (the Packbench presets table, the interlocks'
wording and thresholds), never from services/interlocks.py: the LiFePO4 column of the
presets table below is copied from presets.md, and every boundary is tested on both sides
(equal / just inside / just outside) so that ``<`` vs ``<=`` and a moved threshold show.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.model import SettingSpec
from app.services import interlocks
from app.services.interlocks import check

# presets.md "Packbench presets", the LiFePO4 column (cell level), and a 16S 100 Ah pack
LFP = {
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
    # board keys a preset leaves alone (presets.md): MOS OTP / recovery
    "mos_otp_c": 100,
    "mos_otp_recovery_c": 80,
    # pack profile: 16S 100 Ah, 2 A balancing (≤ 0.1 C = 10 A), 0.005 V trigger from 50 Ah
    "cell_count": 16,
    "capacity_nominal_ah": 100.0,
    "balance_max_current_a": 2.0,
    "balance_trigger_delta_v": 0.005,
    # pack-level voltages: the cell values × 16 (presets.md)
    "pack_ovp_v": 58.4,
    "pack_ovp_recovery_v": 56.8,
    "pack_uvp_v": 40.0,
    "pack_uvp_recovery_v": 44.8,
}


def found(values, **kw) -> list[interlocks.Finding]:
    out = check(values, **kw)
    for f in out:  # every finding can be written out for people (its template's fields are all there)
        assert f.message() and "{" not in f.message(), f
    return out


def pairs(findings, rule=None) -> set[tuple[str, ...]]:
    return {f.keys for f in findings if rule is None or f.rule == rule}


def test_the_lifepo4_preset_of_presets_md_passes_every_interlock():
    """presets.md: "Packbench ships its own presets … that pass its own interlocks"."""
    assert found(LFP, chemistry="lifepo4", measured_cells=16, measured_range_v=(3.2, 3.3)) == []
    assert found(LFP) == []


# --- rules 1–4: the orders ------------------------------------------------------------------

# (rule, lower key, upper key) as presets.md's interlocks 1–4 word them
ORDERS = [
    (1, "power_off_v", "cell_uvp_v"),  # 1. power_off_v < cell_uvp_v
    (1, "cell_uvp_v", "cell_uvp_recovery_v"),  # 1. cell_uvp_v < cell_uvp_recovery_v
    (1, "pack_uvp_v", "pack_uvp_recovery_v"),  # 1. the same at pack level
    (2, "cell_ovp_recovery_v", "cell_ovp_v"),  # 2. cell_ovp_recovery_v < cell_ovp_v
    (2, "cell_ovp_recovery_v", "soc_full_v"),  # 2. where the family has it: OVPR < SOC-100
    (2, "soc_full_v", "cell_ovp_v"),  # 2. … SOC-100 < OVP
    (2, "pack_ovp_recovery_v", "pack_ovp_v"),  # 2. the same at pack level
    (3, "cell_uvp_v", "balance_start_v"),  # 3. cell_uvp_v < balance_start_v
    (3, "balance_start_v", "cell_ovp_v"),  # 3. balance_start_v < cell_ovp_v
    (4, "charge_otp_recovery_c", "charge_otp_c"),  # 4. recovery on the safe side (cooler)
    (4, "discharge_otp_recovery_c", "discharge_otp_c"),
    (4, "mos_otp_recovery_c", "mos_otp_c"),
    (4, "charge_utp_c", "charge_utp_recovery_c"),  # 4. UTP recovery on the warm side
    (4, "discharge_utp_c", "discharge_utp_recovery_c"),
    (4, "charge_utp_c", "charge_otp_c"),  # 4. UTP < OTP
    (4, "discharge_utp_c", "discharge_otp_c"),
]
RULE_WORDS = {
    1: "Under-voltage order",
    2: "Over-voltage order",
    3: "Balancing between",
    4: "Temperature order",
}


@pytest.mark.parametrize("rule,lower,upper", ORDERS, ids=[f"{r}:{lo}<{hi}" for r, lo, hi in ORDERS])
def test_order_rules_block_an_equal_pair_and_pass_a_lower_one(rule, lower, upper):
    """Each "lower < upper" of rules 1–4 is strict: equal blocks (a hard finding naming both
    keys), just below passes.  Only the two keys are given, so no other relation is involved."""
    equal = found({lower: 3.0, upper: 3.0}, chemistry="li-ion")  # 3 V is inside Li-ion's envelope
    assert [(f.rule, f.keys, f.hard) for f in equal] == [(rule, (lower, upper), True)]
    assert equal[0].name.startswith(RULE_WORDS[rule])
    assert found({lower: 2.999, upper: 3.0}, chemistry="li-ion") == []
    assert (lower, upper) in interlocks.ordering_violations({lower: 3.0, upper: 3.0})
    assert not interlocks.ordering_violations({lower: 2.999, upper: 3.0})


def test_over_voltage_order_ovpr_below_ovp_holds_where_soc_100_is_unordered():
    """Rule 2 on JBD: its "cell voltage at 100 %" is only an SOC estimate (unordered), so
    OVPR < SOC-100 < OVP cannot catch OVPR ≥ OVP through it: the direct OVPR < OVP must."""
    values = dict(LFP, soc_full_v=3.50, cell_ovp_recovery_v=3.65)  # OVPR = OVP, SOC-100 below both
    hard = [f for f in found(values, unordered=("soc_full_v",)) if f.hard]
    assert pairs(hard) == {("cell_ovp_recovery_v", "cell_ovp_v")}
    # SOC-100 below OVPR is no finding on JBD …
    assert found(dict(LFP, soc_full_v=3.50), unordered=("soc_full_v",)) == []
    # … but is one where the family holds the order (JK refuses it)
    assert pairs(found(dict(LFP, soc_full_v=3.50)), 2) == {("cell_ovp_recovery_v", "soc_full_v")}


def test_under_voltage_order_names_the_keys_and_values_in_its_message():
    f = found(dict(LFP, power_off_v=2.60))[0]
    assert (f.rule, f.keys, f.hard, f.id) == (
        1,
        ("power_off_v", "cell_uvp_v"),
        True,
        "rule1:power_off_v,cell_uvp_v",
    )
    assert f.name == "Under-voltage order"
    assert (
        f.message()
        == "Auto shutdown voltage (2.600 V) must be below Cell under-voltage protection (2.500 V)."
    )


def test_balancing_between_the_cut_offs_uvp_below_balance_start():
    """Rule 3: balancing that starts at or below UVP would drain cells into the cut-off."""
    f = found(dict(LFP, balance_start_v=2.50))
    assert pairs(f) == {("cell_uvp_v", "balance_start_v")}
    assert f[0].name == "Balancing between the cut-offs"


def test_temperature_order_charge_otp_recovery_below_charge_otp():
    """Rule 4: the charge OTP recovery lies on the cool side of the charge OTP."""
    assert pairs(found(dict(LFP, charge_otp_recovery_c=55))) == {("charge_otp_recovery_c", "charge_otp_c")}
    assert pairs(found(dict(LFP, charge_otp_recovery_c=60))) == {("charge_otp_recovery_c", "charge_otp_c")}


def test_temperature_order_utp_below_otp():
    """Rule 4, UTP < OTP: a charge UTP at the charge OTP leaves no temperature to charge at,
    though each recovery is on its safe side."""
    values = dict(LFP, charge_utp_c=55, charge_utp_recovery_c=60, charge_otp_c=55, charge_otp_recovery_c=50)
    assert pairs(found(values)) == {("charge_utp_c", "charge_otp_c")}
    values = dict(LFP, discharge_utp_c=65, discharge_utp_recovery_c=70)
    assert pairs(found(values)) == {("discharge_utp_c", "discharge_otp_c")}


def test_an_order_is_reported_only_when_the_write_involves_one_of_its_keys():
    """check(changed=…): a board's old oddity does not block an unrelated write."""
    bad = dict(LFP, power_off_v=2.60)
    assert found(bad, changed={"discharge_ocp_a"}) == []
    assert pairs(found(bad, changed={"power_off_v"})) == {("power_off_v", "cell_uvp_v")}
    assert pairs(found(bad, changed={"cell_uvp_v"})) == {("power_off_v", "cell_uvp_v")}
    assert pairs(found(bad, changed=None)) == {("power_off_v", "cell_uvp_v")}


# --- rule 5: balance current at most 0.1 C --------------------------------------------------


def test_balance_current_at_most_0_1_c():
    """Rule 5: balance_max_current_a ≤ 0.1 × capacity_nominal_ah. 100 Ah: 10 A passes, 10.1 A
    blocks (so 0.2 C would not), and the message says the limit."""
    assert found(dict(LFP, balance_max_current_a=10.0)) == []
    f = found(dict(LFP, balance_max_current_a=10.1))
    assert [(x.rule, x.keys, x.hard) for x in f] == [
        (5, ("balance_max_current_a", "capacity_nominal_ah"), True)
    ]
    assert f[0].name == "Balance current at most 0.1 C"
    assert f[0].message() == "Max balance current (10.1 A) is above 0.1 C of the 100 Ah pack: at most 10 A."
    # 40 Ah: 4 A passes, 4.1 A blocks (the limit scales with the capacity)
    assert found(dict(LFP, capacity_nominal_ah=40.0, balance_max_current_a=4.0)) == []
    assert pairs(found(dict(LFP, capacity_nominal_ah=40.0, balance_max_current_a=4.1)), 5)


def test_balance_current_rule_follows_a_capacity_change_and_needs_a_capacity():
    too_much = dict(LFP, balance_max_current_a=10.1)
    assert pairs(found(too_much, changed={"capacity_nominal_ah"}), 5)
    assert pairs(found(too_much, changed={"balance_max_current_a"}), 5)
    assert found(too_much, changed={"cell_ovp_v"}) == []
    # no capacity known (0 or absent): nothing to compare with
    assert found(dict(LFP, balance_max_current_a=10.1, capacity_nominal_ah=0)) == []
    assert found({"balance_max_current_a": 10.1}) == []
    assert found({"capacity_nominal_ah": 1.0}) == []


# --- rule 6: the chemistry envelope and the advisories ---------------------------------------


@pytest.mark.parametrize(
    "chemistry,envelope,name",
    [("lifepo4", 3.65, "LiFePO4"), ("li-ion", 4.25, "Li-ion"), ("lto", 2.85, "LTO")],
)
def test_chemistry_limits_envelope_is_an_advisory_above_it(chemistry, envelope, name):
    """Rule 6: no cell OVP above 3.65 V (LiFePO4), 4.25 V (Li-ion), 2.85 V (LTO): at the
    envelope nothing, 0.01 V above it an advisory (not a block) naming the chemistry."""
    assert found({"cell_ovp_v": envelope}, chemistry=chemistry) == []
    f = found({"cell_ovp_v": round(envelope + 0.01, 2)}, chemistry=chemistry)
    if chemistry == "li-ion":  # above Li-ion's envelope no chemistry takes it: see below
        assert [(x.rule, x.hard) for x in f] == [(6, True)]
        return
    assert [(x.rule, x.keys, x.hard) for x in f] == [(6, ("cell_ovp_v",), False)]
    assert f[0].name == "Chemistry limits"
    assert f[0].message().endswith(f"is above what {name} cells take ({envelope:.3f} V).")


def test_chemistry_limits_above_every_chemistry_block():
    """Above 4.25 V (Li-ion, the highest envelope) no chemistry takes it: a hard finding,
    whatever chemistry the caller names."""
    for chem in ("lifepo4", "li-ion", "lto", None):
        f = found({"cell_ovp_v": 4.26}, chemistry=chem)
        assert [(x.rule, x.hard) for x in f] == [(6, True)], chem
        assert f[0].message() == (
            "Cell over-voltage protection (4.260 V) is above what any cell chemistry takes "
            "(at most 4.250 V, for Li-ion)."
        )
    assert found({"cell_ovp_v": 4.25}) == []
    assert found({"cell_ovp_v": 4.26}, changed={"cell_uvp_v"}) == []


def test_chemistry_limits_without_a_chemistry_use_the_nearest_preset():
    """No chemistry named: the set is classed by its cell OVP (nearest preset: LiFePO4 3.65,
    Li-ion 4.20, LTO 2.80 V), so a 3.75 V OVP is a LiFePO4 set above LiFePO4's 3.65 V."""
    f = found({"cell_ovp_v": 3.75})
    assert [(x.rule, x.hard) for x in f] == [(6, False)]
    assert "LiFePO4 cells take (3.650 V)" in f[0].message()
    assert found({"cell_ovp_v": 3.75}, changed={"cell_uvp_v"}) == []
    # a named chemistry wins over the class
    assert found({"cell_ovp_v": 3.75}, chemistry="li-ion") == []


@pytest.mark.parametrize("chemistry,name", [("lifepo4", "LiFePO4"), ("li-ion", "Li-ion")])
def test_charging_below_0_c_is_an_advisory_for_lifepo4_and_li_ion(chemistry, name):
    """Rule 6: no charging window below 0 °C for LiFePO4/Li-ion (plating), an advisory."""
    assert found({"charge_utp_c": 0}, chemistry=chemistry) == []
    f = found({"charge_utp_c": -1}, chemistry=chemistry)
    assert [(x.rule, x.keys, x.hard) for x in f] == [(6, ("charge_utp_c",), False)]
    assert f[0].name == "Charging below 0 °C"
    assert (
        f[0].message()
        == f"Charge under-temperature (-1 °C) lets {name} cells charge below 0 °C, which plates lithium."
    )
    assert found({"charge_utp_c": -1}, chemistry=chemistry, changed={"cell_ovp_v"}) == []


def test_charging_below_0_c_is_fine_for_lto():
    """presets.md's LTO preset charges down to −30 °C."""
    assert found({"charge_utp_c": -30}, chemistry="lto") == []
    assert found({"charge_utp_c": -30}) == []  # no chemistry known: nothing to say


def test_balance_trigger_of_a_large_pack_is_an_advisory_from_50_ah():
    """presets.md: 0.010 V, "0.005 from 50 Ah" — the manual's rule, an advisory."""
    f = found({"capacity_nominal_ah": 50.0, "balance_trigger_delta_v": 0.006})
    assert [(x.rule, x.keys, x.hard) for x in f] == [(6, ("balance_trigger_delta_v",), False)]
    assert f[0].name == "Balance trigger of a large pack"
    assert f[0].message() == (
        "Balance trigger delta (0.006 V): the manual suggests 0.005 V for packs of 50 Ah and more."
    )
    assert found({"capacity_nominal_ah": 50.0, "balance_trigger_delta_v": 0.005}) == []
    assert found({"capacity_nominal_ah": 49.9, "balance_trigger_delta_v": 0.010}) == []
    assert found({"capacity_nominal_ah": 0, "balance_trigger_delta_v": 0.010}) == []
    assert found({"balance_trigger_delta_v": 0.010}) == []
    big = {"capacity_nominal_ah": 280.0, "balance_trigger_delta_v": 0.010}
    assert found(big, changed={"capacity_nominal_ah"}) and found(big, changed={"balance_trigger_delta_v"})
    assert found(big, changed={"cell_ovp_v"}) == []


# --- rule 7: the cell count --------------------------------------------------------------


def test_cell_count_must_equal_the_cells_the_board_measures():
    """Rule 7: a 22S pack that reads as 23S is a wiring fault: stop (hard)."""
    assert found({"cell_count": 22}, measured_cells=22) == []
    f = found({"cell_count": 22}, measured_cells=23)
    assert [(x.rule, x.keys, x.hard) for x in f] == [(7, ("cell_count",), True)]
    assert f[0].name == "Cell count"
    assert f[0].message().startswith("Cell count is 22 but the board measures 23 cells")
    assert found({"cell_count": 22}) == []  # nothing measured: nothing to compare
    assert found({}, measured_cells=23) == []
    assert found({"cell_count": 22}, measured_cells=23, changed={"cell_ovp_v"}) == []


# --- rule 8: range and step -----------------------------------------------------------------

SPEC = SettingSpec(
    "cell_ovp_v",
    "Cell OVP",
    "V",
    0x10,
    scale=1000,
    minimum=1.2,
    maximum=4.35,
    step=0.001,
    group="cell_voltages",
)
COUNT = SettingSpec("cell_count", "Cells", "", 0x20, minimum=4, maximum=24, step=1)


def test_allowed_range_bounds_are_inclusive():
    """Rule 8: every value within the schema's range: the bounds themselves pass, a step
    beyond either bound blocks."""
    for ok in (4, 24):
        assert found({"cell_count": ok}, schema=[COUNT]) == []
    for bad in (3, 25):
        f = found({"cell_count": bad}, schema=[COUNT])
        assert [(x.rule, x.keys, x.hard) for x in f] == [(8, ("cell_count",), True)], bad
        assert f[0].name == "Allowed range"
        assert f[0].message() == f"Cell count ({bad}) is outside the allowed 4 … 24."
    assert found({"cell_ovp_v": 1.2}, schema=[SPEC]) == []
    assert pairs(found({"cell_ovp_v": 4.35}, schema=[SPEC]), 8) == set()  # (rule 6 aside)
    assert pairs(found({"cell_ovp_v": 4.351}, schema=[SPEC]), 8) == {("cell_ovp_v",)}
    assert pairs(found({"cell_ovp_v": 1.199}, schema=[SPEC]), 8) == {("cell_ovp_v",)}


def test_allowed_range_step():
    """Rule 8: a value off the schema's step blocks (the message shows it unrounded)."""
    f = found({"cell_ovp_v": 3.6405}, schema=[SPEC])
    assert [(x.rule, x.hard) for x in f] == [(8, True)]
    assert f[0].message() == "Cell over-voltage protection (3.6405 V) is not a multiple of the step 0.001 V."
    assert found({"cell_ovp_v": 3.641}, schema=[SPEC]) == []
    assert found({"cell_count": 16}, schema=[COUNT]) == []
    half = SettingSpec("charge_otp_c", "OTP", "°C", 0x30, minimum=-40, maximum=100, step=0.5)
    assert found({"charge_otp_c": 55.5}, schema=[half]) == []
    assert pairs(found({"charge_otp_c": 55.25}, schema=[half]), 8) == {("charge_otp_c",)}


def test_allowed_range_skips_keys_not_written_and_non_numbers():
    switch = SettingSpec("charge_switch", "Charge", "", 0x40, kind="bool", minimum=5, maximum=6)
    assert pairs(found({"charge_switch": True}, schema=[switch], before={"charge_switch": True}), 8) == set()
    assert found({"cell_count": 3}, schema=[COUNT], changed={"cell_ovp_v"}) == []
    assert found({}, schema=[COUNT]) == []
    open_ended = SettingSpec("capacity_nominal_ah", "Cap", "Ah", 0x50, minimum=None, maximum=None, step=None)
    assert found({"capacity_nominal_ah": 1e6}, schema=[open_ended]) == []


# --- rule 9: the cells measured now ----------------------------------------------------------


def test_cells_measured_now_at_or_above_the_new_ovp():
    """Rule 9 (Packbench's own, an advisory): a cell measuring the new OVP or more would stop
    charging at once — the boundary is the OVP itself (not 0.1 V either side)."""
    assert found({"cell_ovp_v": 3.65}, chemistry="lifepo4", measured_range_v=(3.0, 3.649)) == []
    f = found({"cell_ovp_v": 3.65}, chemistry="lifepo4", measured_range_v=(3.0, 3.65))
    assert [(x.rule, x.keys, x.hard) for x in f] == [(9, ("cell_ovp_v",), False)]
    assert f[0].name == "Cells measured now"
    assert f[0].message().startswith("The highest cell measures 3.650 V now, above the new Cell over-voltage")
    no = found({"cell_ovp_v": 3.65}, chemistry="lifepo4", measured_range_v=(3.0, 3.7), changed={"cell_uvp_v"})
    assert no == []


def test_cells_measured_now_at_or_below_the_new_uvp():
    assert found({"cell_uvp_v": 2.5}, measured_range_v=(2.501, 3.3)) == []
    f = found({"cell_uvp_v": 2.5}, measured_range_v=(2.5, 3.3))
    assert [(x.rule, x.keys, x.hard) for x in f] == [(9, ("cell_uvp_v",), False)]
    assert f[0].message().startswith("The lowest cell measures 2.500 V now, below the new Cell under-voltage")
    assert found({"cell_uvp_v": 2.5}, measured_range_v=(2.4, 3.3), changed={"cell_ovp_v"}) == []
    assert found({"cell_uvp_v": 2.5}, measured_range_v=None) == []
    assert found({}, measured_range_v=(0.0, 5.0)) == []


# --- rule 10: a chemistry change -----------------------------------------------------------

LI_ION_BEFORE = {"cell_ovp_v": 4.20, "cell_uvp_v": 2.80}


def test_chemistry_change_is_an_advisory_naming_both():
    f = [x for x in found({"cell_ovp_v": 3.65, "cell_uvp_v": 2.5}, before=LI_ION_BEFORE) if x.rule == 10]
    assert [(x.keys, x.hard) for x in f] == [(("cell_ovp_v",), False)]
    assert f[0].name == "Chemistry change"
    assert f[0].message() == (
        "These values are for LiFePO4 cells, but the board is set up for Li-ion cells now "
        "(Cell over-voltage protection 4.200 V → 3.650 V). Write them only if the pack really is LiFePO4."
    )
    # the same class: nothing; no before: nothing; a write not touching OVP/UVP: nothing
    assert pairs(found({"cell_ovp_v": 4.15}, before=LI_ION_BEFORE), 10) == set()
    assert pairs(found({"cell_ovp_v": 3.65}), 10) == set()
    assert pairs(found({"cell_ovp_v": 3.65}, before=LI_ION_BEFORE, changed={"charge_otp_c"}), 10) == set()
    assert pairs(found({"cell_ovp_v": 3.65}, before=LI_ION_BEFORE, changed={"cell_uvp_v"}), 10)


def test_chemistry_class_boundaries_halfway_between_presets():
    """Module docstring: up to 3.225 V LTO, up to 3.925 V LiFePO4, above that Li-ion (halfway
    between the presets' OVPs 2.80 / 3.65 / 4.20, halfway counts as the lower one); without an
    OVP by the UVP (1.80 / 2.50 / 2.80: up to 2.15 LTO, up to 2.65 LiFePO4)."""
    cls = interlocks.chemistry_class
    assert [cls({"cell_ovp_v": v}) for v in (3.225, 3.226, 3.925, 3.926)] == [
        "lto",
        "lifepo4",
        "lifepo4",
        "li-ion",
    ]
    assert [cls({"cell_uvp_v": v}) for v in (2.15, 2.151, 2.65, 2.651)] == [
        "lto",
        "lifepo4",
        "lifepo4",
        "li-ion",
    ]
    assert cls({}) is None and cls({"cell_ovp_v": True}) is None and cls({"cell_ovp_v": "x"}) is None
    assert cls({"cell_ovp_v": None, "cell_uvp_v": 1.8}) == "lto"


def test_chemistry_change_by_uvp_when_the_write_has_no_ovp():
    before = {"cell_uvp_v": 2.80}
    f = [x for x in found({"cell_uvp_v": 1.80}, before=before) if x.rule == 10]
    assert [x.keys for x in f] == [("cell_uvp_v",)]
    assert "for LTO cells, but the board is set up for Li-ion cells" in f[0].message()
    # the board's settings had no UVP to compare with: no claim about a change
    assert pairs(found({"cell_uvp_v": 1.80}, before={"cell_ovp_v": 4.2}), 10) == set()


# --- rule 11: a file from another board ------------------------------------------------------


def test_file_from_another_board_serial_and_cell_count():
    origin = SimpleNamespace(name="pack-a.json", serial_number="A1", cell_count=16)
    assert interlocks.origin_findings(origin, serial="A1", cells=16) == []
    assert interlocks.origin_findings(None, serial="A1", cells=16) == []
    f = interlocks.origin_findings(origin, serial="B2", cells=13)
    assert [(x.rule, x.keys, x.hard) for x in f] == [
        (11, ("serial_number",), False),
        (11, ("cell_count",), False),
    ]
    assert f[0].name == "File from another board"
    assert f[0].message() == (
        "pack-a.json was saved from another board (serial A1; this board is B2). "
        "Check that it is meant for this pack."
    )
    assert f[1].message() == (
        "pack-a.json is for a 16-cell pack; this board is set up for 13 cells. "
        "Its pack-level values may not fit."
    )
    # unknown on either side: nothing to compare
    assert interlocks.origin_findings(origin, serial=None, cells=None) == []
    blank = SimpleNamespace(name="x.json", serial_number="", cell_count=0)
    assert interlocks.origin_findings(blank, serial="B2", cells=13) == []


# --- rule 12: a switch change ---------------------------------------------------------------


def test_switch_change_warns_with_the_control_tabs_words():
    """presets.md: "Disabling the charge switch on a common-port board kills regenerative
    braking … say so in the confirmation"."""
    f = found({"charge_switch": False}, before={"charge_switch": True})
    assert [(x.rule, x.keys, x.hard, x.context) for x in f] == [(12, ("charge_switch",), False, "Control")]
    assert f[0].name == "Switch change"
    assert "regenerative braking" in f[0].message()
    assert found({"charge_switch": True}, before={"charge_switch": True}) == []
    assert found({"charge_switch": False}, before={"charge_switch": True}, changed={"cell_ovp_v"}) == []
    # a board that did not say: the write is warned about
    assert pairs(found({"discharge_switch": False}, before={}), 12) == {("discharge_switch",)}
    assert pairs(found({"discharge_switch": True}, before={"discharge_switch": None}), 12) == {
        ("discharge_switch",)
    }
    assert pairs(found({"balance_switch": 0}), 12) == {("balance_switch",)}


# --- rule 13: settings left from the old chemistry -------------------------------------------

SLEEP = SettingSpec("sleep_v", "Sleep voltage", "V", 0x60, group="cell_voltages")
TOP = SettingSpec("top_v", "Top", "V", 0x61, group="balancing")


def test_left_from_the_old_chemistry_names_each_setting_and_the_new_window():
    """Li-ion → LiFePO4 leaving a Li-ion sleep voltage (2.9 V, the empty end) and a Li-ion
    top (4.0 V, the full end) behind: LiFePO4's window is 2.40 … 3.10 … 3.65 V (presets.py
    voltage_window: power-off, halfway UVP-recovery/balance-start, the envelope)."""
    before = {"cell_ovp_v": 4.20, "sleep_v": 3.25, "top_v": 4.0}
    after = dict(before, cell_ovp_v=3.65)
    f = found(after, schema=[SPEC, SLEEP, TOP], before=before, changed={"cell_ovp_v"})
    f13 = [x for x in f if x.rule == 13]  # (keys without a family label show as themselves)
    assert [(x.keys, x.hard) for x in f13] == [(("sleep_v", "top_v"), False)]
    assert f13[0].name == "Left from the old chemistry"
    assert f13[0].message() == (
        "The write sets the board up for LiFePO4 cells but leaves settings made for Li-ion cells "
        "outside the LiFePO4 window: sleep_v stays at 3.250 V (for LiFePO4: 2.400 V … 3.100 V); "
        "top_v stays at 4.000 V (for LiFePO4: 3.100 V … 3.650 V). Change them in the form too, or accept "
        "this only if you know why they differ."
    )
    # inside the window on their end: nothing
    ok_before = {"cell_ovp_v": 4.20, "sleep_v": 2.45, "top_v": 3.6}
    assert pairs(found(dict(ok_before, cell_ovp_v=3.65), schema=[SLEEP, TOP], before=ok_before), 13) == set()


def test_left_from_the_old_chemistry_skips_what_the_write_sets_and_other_rows():
    before = {"cell_ovp_v": 4.20, "sleep_v": 3.25}
    # the write sets sleep_v too (changed): not left behind
    after = dict(before, cell_ovp_v=3.65, sleep_v=3.25)
    assert pairs(found(after, schema=[SLEEP], before=before, changed={"cell_ovp_v", "sleep_v"}), 13) == set()
    # a value the write changes differs from before: not left behind either
    assert pairs(found(dict(after, sleep_v=2.5), schema=[SLEEP], before=before, changed=None), 13) == set()
    # a pack voltage, a delta, a text: not a cell voltage
    pack = SettingSpec("sleep_v", "Pack", "V", 0x62, group="pack_voltages")
    delta = SettingSpec("sleep_delta_v", "Delta", "V", 0x63, group="balancing")
    assert not interlocks.is_cell_voltage(pack) and not interlocks.is_cell_voltage(delta)
    assert interlocks.is_cell_voltage(SLEEP) and interlocks.is_cell_voltage(TOP)
    assert not interlocks.is_cell_voltage(SettingSpec("x_v", "X", "A", 1, group="balancing"))
    assert not interlocks.is_cell_voltage(SettingSpec("x_v", "X", "V", 1, group="balancing", kind="text"))
    assert pairs(found(after, schema=[pack], before=before, changed={"cell_ovp_v"}), 13) == set()
    # no chemistry change: nothing left behind
    same = {"cell_ovp_v": 4.20, "sleep_v": 1.0}
    assert pairs(found(dict(same, cell_ovp_v=4.15), schema=[SLEEP], before=same), 13) == set()
    assert pairs(found(after, schema=[SLEEP], before=before, changed={"charge_otp_c"}), 13) == set()
    assert (
        pairs(found(dict(after, sleep_v=True), schema=[SLEEP], before=dict(before, sleep_v=True)), 13)
        == set()
    )


def test_left_from_the_old_chemistry_at_the_window_edges():
    """The window's edges belong to it (LiFePO4 2.40 and 3.65 V)."""
    for v in (2.40, 3.10, 3.65):
        before = {"cell_ovp_v": 4.20, "top_v": v}
        assert pairs(found(dict(before, cell_ovp_v=3.65), schema=[TOP], before=before), 13) == set(), v
    for v in (2.39, 3.66):
        before = {"cell_ovp_v": 4.20, "top_v": v}
        assert pairs(found(dict(before, cell_ovp_v=3.65), schema=[TOP], before=before), 13) == {("top_v",)}, v


# --- the findings themselves -------------------------------------------------------------------


def test_a_finding_is_shown_by_its_rules_name_and_keyed_by_number():
    f = interlocks.Finding(99, ("a", "b"), True, "{lower}/{upper}", {"lower": "cell_ovp_v", "upper": "x"})
    assert f.name == "rule 99" and f.id == "rule99:a,b"
    assert f.message() == "Cell over-voltage protection/x"
    assert f.fields(label_of=str.upper) == {"lower": "CELL_OVP_V", "upper": "X"}
    assert f.context == "Interlock"
