"""services/limits.py: a reading against the board's own limits (issue 17: "hot or alarmed
readings … colour them by the board's own limits").

The limits are those the JK02_32S simulator's board reports (``packbench settings dump
--url sim://jk02_32s?cells=16``): MOS over-temperature 80 °C releasing at 70 °C, charge
over-temperature 55/50 °C, discharge 65/55 °C, charge under-temperature 0/5 °C, cell OVP
3.65/3.55 V, UVP 2.5/2.8 V, charge and discharge over-current 100 A and 150 A.  "Near" is
the board's own release band; red is at or past the limit, or the matching alarm.
"""

from __future__ import annotations

import pytest

from app.services.limits import NEAR, OK, OVER, judge, judge_probes, reading_limits

JK02 = {
    "cell_ovp_v": 3.65,
    "cell_ovp_recovery_v": 3.55,
    "cell_uvp_v": 2.5,
    "cell_uvp_recovery_v": 2.8,
    "charge_ocp_a": 100.0,
    "discharge_ocp_a": 150.0,
    "charge_otp_c": 55.0,
    "charge_otp_recovery_c": 50.0,
    "discharge_otp_c": 65.0,
    "discharge_otp_recovery_c": 55.0,
    "charge_utp_c": 0.0,
    "charge_utp_recovery_c": 5.0,
    "discharge_utp_c": -20,
    "discharge_utp_recovery_c": -10,
    "mos_otp_c": 80.0,
    "mos_otp_recovery_c": 70.0,
}


@pytest.mark.parametrize(
    "mos, alarms, level",
    [
        (78.0, ["mos_overtemperature"], OVER),  # the example: red
        (78.0, [], NEAR),  # past the 70 °C release: amber
        (80.0, [], OVER),  # at the limit
        (69.9, [], OK),
        (40.0, ["mos_overtemperature"], OVER),  # the board says so: red whatever the number
        (78.0, ["cell_overvoltage"], NEAR),  # another limit's alarm changes nothing here
    ],
)
def test_mos_temperature(mos, alarms, level):
    verdict = judge(mos, reading_limits(JK02)["mos_temperature_c"], alarms)
    assert verdict.level == level
    if level != OK:
        assert verdict.limit.key == "mos_otp_c" and verdict.limit.value == 80.0
    assert verdict.alarm == ("mos_overtemperature" if "mos_overtemperature" in alarms else None)


@pytest.mark.parametrize(
    "field, value, level",
    [
        ("cell_max_v", 3.50, OK),
        ("cell_max_v", 3.56, NEAR),
        ("cell_max_v", 3.65, OVER),
        ("cell_min_v", 3.00, OK),
        ("cell_min_v", 2.70, NEAR),
        ("cell_min_v", 2.45, OVER),
        ("current_a", 50.0, OK),
        ("current_a", 85.0, NEAR),  # charging, within a fifth of the 100 A limit
        ("current_a", 100.0, OVER),
        ("current_a", -100.0, OK),  # discharging: the 150 A limit
        ("current_a", -125.0, NEAR),
        ("current_a", -150.0, OVER),
    ],
)
def test_cells_and_current(field, value, level):
    assert (
        judge(value, reading_limits(JK02, value if field == "current_a" else 0.0)[field], []).level == level
    )


def test_the_probes_use_the_window_of_what_the_pack_does():
    probes = [24.0, 52.0, 30.0]
    charging = judge_probes(probes, reading_limits(JK02, 20.0)["temperatures_c"], [])
    assert [v.level for v in charging] == [OK, NEAR, OK]  # 52 °C: past the charge release (50 °C)
    assert charging[1].limit.key == "charge_otp_c"
    discharging = judge_probes(probes, reading_limits(JK02, -20.0)["temperatures_c"], [])
    assert [v.level for v in discharging] == [OK, OK, OK]  # the discharge window is 65/55 °C
    at_rest = judge_probes([3.0], reading_limits(JK02, 0.0)["temperatures_c"], [])
    assert at_rest[0].level == NEAR and at_rest[0].limit.key == "charge_utp_c"  # 3 °C: no charging soon


def test_a_temperature_alarm_goes_to_the_hottest_or_the_coldest_probe():
    limits = reading_limits(JK02, -20.0)["temperatures_c"]
    hot = judge_probes([24.0, 40.0, 30.0], limits, ["discharge_overtemperature"])
    assert [v.level for v in hot] == [OK, OVER, OK] and hot[1].alarm == "discharge_overtemperature"
    cold = judge_probes([24.0, 40.0, -3.0], limits, ["discharge_undertemperature"])
    assert [v.level for v in cold] == [OK, OK, OVER]


def test_alarms_with_no_setting_behind_them():
    limits = reading_limits({})
    assert judge(0.400, limits["cell_delta_v"], ["cell_delta_high"]).level == OVER
    assert judge(0.400, limits["cell_delta_v"], []).level == OK
    assert judge(5.0, limits["soc_pct"], ["low_soc"]).level == OVER


def test_a_board_that_reported_no_limits_colours_nothing_by_number():
    """JK04 and the Xiaomi packs report none of these settings (``settings dump``)."""
    limits = reading_limits({}, 10.0)
    assert judge(99.0, limits["mos_temperature_c"], []).level == OK
    assert judge(4.5, limits["cell_max_v"], []).level == OK
    assert [v.level for v in judge_probes([90.0], limits["temperatures_c"], [])] == [OK]
    # its alarms still count
    assert judge(30.0, limits["mos_temperature_c"], ["mos_overtemperature"]).level == OVER


def test_a_release_value_on_the_wrong_side_is_not_used():
    """A recovery above the over-temperature limit is no band: the fixed 5 °C margin is."""
    limits = reading_limits({"mos_otp_c": 80.0, "mos_otp_recovery_c": 85.0})["mos_temperature_c"]
    assert limits[0].near == 75.0
    assert judge(76.0, limits, []).level == NEAR and judge(74.0, limits, []).level == OK


def test_a_setting_that_is_not_a_number_is_ignored():
    limits = reading_limits({"mos_otp_c": "80", "cell_ovp_v": True})
    assert limits["mos_temperature_c"][0].value is None and limits["cell_max_v"][0].value is None
