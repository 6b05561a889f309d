"""The interlocks on the write a board really gets: only the keys it changes (``changed``),
as writer.prepare calls them (issue 24, found by ``make mutate
MODULE=app/services/interlocks.py``: test_interlocks.py checks most rules with every key
counted as written, so a rule that looked at the wrong key for "is this write involved"
went unnoticed).

Each rule of shared/presets.md (and Packbench's own 9) must be reported when the write
changes the very key it is about, with that key's value in its message; expected values
come from presets.md's thresholds and presets table, never from the module.
"""

from __future__ import annotations

from app.model import SettingSpec
from app.services import interlocks
from app.services.interlocks import check

SPEC = SettingSpec("cell_ovp_v", "OVP", "V", 0x10, minimum=1.2, maximum=4.35, step=0.001)


def only(values, key, **kw):
    return [(f.rule, f.keys, f.hard) for f in check(values, changed={key}, **kw)]


def messages(values, key, **kw):
    return [f.message() for f in check(values, changed={key}, **kw)]


def test_chemistry_limits_of_a_write_of_the_ovp_alone():
    """Rule 6: above 4.25 V (Li-ion's envelope, the highest) blocks; above LiFePO4's 3.65 V is
    an advisory naming the chemistry and both values."""
    assert only({"cell_ovp_v": 4.30}, "cell_ovp_v") == [(6, ("cell_ovp_v",), True)]
    (hard,) = check({"cell_ovp_v": 4.30}, changed={"cell_ovp_v"})
    assert hard.id == "rule6:cell_ovp_v"
    assert only({"cell_ovp_v": 3.70}, "cell_ovp_v", chemistry="lifepo4") == [(6, ("cell_ovp_v",), False)]
    assert messages({"cell_ovp_v": 3.70}, "cell_ovp_v", chemistry="lifepo4") == [
        "Cell over-voltage protection (3.700 V) is above what LiFePO4 cells take (3.650 V)."
    ]
    # a write of something else leaves the board's OVP alone
    assert only({"cell_ovp_v": 4.30, "cell_uvp_v": 2.5}, "cell_uvp_v") == []
    assert only({"cell_ovp_v": 3.70, "cell_uvp_v": 2.5}, "cell_uvp_v", chemistry="lifepo4") == []


def test_cell_count_of_a_write_of_the_cell_count_alone():
    """Rule 7: cell_count equals the cells the board measures."""
    assert only({"cell_count": 16}, "cell_count", measured_cells=15) == [(7, ("cell_count",), True)]
    assert only({"cell_count": 16, "cell_ovp_v": 3.65}, "cell_ovp_v", measured_cells=15) == []


def test_cells_measured_now_against_a_write_of_the_ovp_or_the_uvp_alone():
    """Rule 9: the highest cell at or above the new OVP, the lowest at or below the new UVP."""
    assert messages(
        {"cell_ovp_v": 3.60}, "cell_ovp_v", chemistry="lifepo4", measured_range_v=(3.0, 3.61)
    ) == [
        "The highest cell measures 3.610 V now, above the new Cell over-voltage protection (3.600 V): "
        "the board would stop charging at once. Is the chemistry right?"
    ]
    assert messages({"cell_uvp_v": 2.60}, "cell_uvp_v", measured_range_v=(2.55, 3.3)) == [
        "The lowest cell measures 2.550 V now, below the new Cell under-voltage protection (2.600 V): "
        "the board would stop discharging at once. Is the chemistry right?"
    ]


def test_allowed_range_of_a_write_of_that_key_alone_and_after_other_rows():
    """Rule 8: the schema's range and step for the key written, whatever rows come before it
    in the schema (a switch, a key the values do not have)."""
    switch = SettingSpec("charge_switch", "Charge", "", 0x40, kind="bool")
    absent = SettingSpec("cell_uvp_v", "UVP", "V", 0x11, minimum=1.2, maximum=4.35, step=0.001)
    values = {"charge_switch": True, "cell_ovp_v": 4.36}
    assert [(f.rule, f.keys) for f in check(values, schema=[switch, SPEC], changed={"cell_ovp_v"})] == [
        (6, ("cell_ovp_v",)),
        (8, ("cell_ovp_v",)),
    ]
    assert (8, ("cell_ovp_v",)) in [
        (f.rule, f.keys) for f in check(values, schema=[absent, SPEC], changed={"cell_ovp_v"})
    ]


def test_unordered_soc_100_leaves_the_other_order_rules_on():
    """presets.md rule 2 applies SOC-100 % "where the family has it" (JBD's is an estimate:
    unordered); rules 3 and 4 still hold on such a board."""
    values = {
        "soc_full_v": 3.50,
        "cell_ovp_recovery_v": 3.55,
        "cell_ovp_v": 3.65,
        "balance_start_v": 3.70,
        "charge_utp_c": 60,
        "charge_otp_c": 55,
    }
    keys = {f.keys for f in check(values, unordered={"soc_full_v"})}
    assert ("balance_start_v", "cell_ovp_v") in keys  # rule 3
    assert ("charge_utp_c", "charge_otp_c") in keys  # rule 4
    assert not any("soc_full_v" in k for k in keys)


def test_balance_current_limit_is_shown_to_the_milliampere():
    """Rule 5: 0.1 C of a 1234.567 Ah pack is 123.4567 A; the message shows the limit at the
    balance current's step (0.001 A), not rounded to whole amperes nor beyond the step."""
    (f,) = check({"balance_max_current_a": 200.0, "capacity_nominal_ah": 1234.567})
    assert f.params["limit"] == "123.457 A"


def test_a_finding_about_several_settings_without_items_reads_as_none():
    f = interlocks.Finding(
        13, (), False, interlocks.T_LEFT_BEHIND, {"old": "LiFePO4", "new": "Li-ion"}, item_template="x"
    )
    assert f.fields()["settings"] == ""


SLEEP = SettingSpec(
    "sleep_v", "Sleep", "V", 0x12, minimum=1.0, maximum=4.5, step=0.001, group="cell_voltages"
)


def test_a_chemistry_change_by_a_write_of_the_ovp_alone():
    """Rule 10: LiFePO4 settings (OVP 3.65 V) moved to Li-ion's 4.20 V."""
    before = {"cell_ovp_v": 3.65, "cell_uvp_v": 2.50}
    f = [
        x for x in check(dict(before, cell_ovp_v=4.20), before=before, changed={"cell_ovp_v"}) if x.rule == 10
    ]
    assert [(x.keys, x.params["old"], x.params["new"]) for x in f] == [(("cell_ovp_v",), "LiFePO4", "Li-ion")]


def test_a_chemistry_change_by_a_write_of_the_uvp_alone_names_what_it_leaves_behind():
    """Rules 10 and 13 on a board that keeps no cell OVP (classed by its UVP, presets.md's
    table: Li-ion 2.80 V, LiFePO4 2.50 V): a Li-ion sleep voltage of 3.20 V is left above
    LiFePO4's empty end (2.40 … 3.10 V)."""
    before = {"cell_uvp_v": 2.80, "sleep_v": 3.20}
    f = check(dict(before, cell_uvp_v=2.50), schema=[SLEEP], before=before, changed={"cell_uvp_v"})
    assert sorted((x.rule, x.keys) for x in f) == [(10, ("cell_uvp_v",)), (13, ("sleep_v",))]


def test_no_chemistry_change_is_claimed_without_a_class_on_both_sides():
    """Settings with neither a cell OVP nor a cell UVP have no chemistry class: a write that
    sets one on such a board claims no change from it, and the reverse neither."""
    assert [x for x in check({"cell_ovp_v": 4.20}, before={"cell_count": 16}) if x.rule in (10, 13)] == []
    # a board that has not reported its limits yet (None): no class, no claim
    unknown = {"cell_ovp_v": None, "cell_uvp_v": None}
    assert [x for x in check({"cell_ovp_v": 4.20}, before=unknown) if x.rule in (10, 13)] == []
    assert [x for x in check({"cell_count": 16}, before={"cell_ovp_v": 4.20}) if x.rule in (10, 13)] == []


def test_a_write_of_the_charge_switch_alone_carries_the_control_tabs_words():
    """Rule 12 (presets.md: disabling the charge switch on a common-port board kills
    regenerative braking; say so in the confirmation)."""
    f = check({"charge_switch": False}, before={"charge_switch": True}, changed={"charge_switch"})
    assert [(x.rule, x.keys) for x in f] == [(12, ("charge_switch",))]
    assert "regenerative braking" in f[0].message()


def test_a_setting_at_the_old_chemistrys_middle_belongs_to_its_full_end():
    """Rule 13: "a value below the old chemistry's middle belongs below the new one's"; Li-ion's
    middle is 3.55 V (halfway between its UVP recovery 3.20 V and balance start 3.90 V,
    presets.md's table), so a setting at 3.55 V is on the full end, and LiFePO4's full end
    (3.10 … 3.65 V) holds it."""
    top = SettingSpec("top_v", "Top", "V", 0x61, group="balancing")
    before = {"cell_ovp_v": 4.20, "top_v": 3.55}
    f = check(dict(before, cell_ovp_v=3.65), schema=[top], before=before, changed={"cell_ovp_v"})
    assert [x for x in f if x.rule == 13] == []
    below = dict(before, top_v=3.549)  # the empty end: LiFePO4's 2.40 … 3.10 V does not hold it
    f = check(dict(below, cell_ovp_v=3.65), schema=[top], before=below, changed={"cell_ovp_v"})
    assert [x.keys for x in f if x.rule == 13] == [("top_v",)]


def test_order_findings_follow_presets_md_rule_by_rule_and_key_by_key():
    """Rule 1 reads "power_off_v < cell_uvp_v < cell_uvp_recovery_v": with both relations
    broken, the power-off one is named first, then rule 2's, then rule 4's."""
    values = {
        "power_off_v": 2.6,
        "cell_uvp_v": 2.5,
        "cell_uvp_recovery_v": 2.4,
        "cell_ovp_recovery_v": 3.7,
        "cell_ovp_v": 3.65,
        "charge_otp_recovery_c": 60,
        "charge_otp_c": 55,
    }
    assert [f.keys for f in check(values)] == [
        ("power_off_v", "cell_uvp_v"),
        ("cell_uvp_v", "cell_uvp_recovery_v"),
        ("cell_ovp_recovery_v", "cell_ovp_v"),
        ("charge_otp_recovery_c", "charge_otp_c"),
    ]
