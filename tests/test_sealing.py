"""The before-sealing checks (app/services/sealing.py), as issue 18 asks them improved:
"the cell-spread check judges a rested spread (current below a small threshold for N
seconds) or says it needs rest, with hysteresis, instead of flipping on 1 mV of noise
under charge; temperatures plausible and close to each other; … firmware recorded."

Times are injected (``feed(t, snapshot)``): no test sleeps.
"""

from __future__ import annotations

from app.model import DeviceInfo, Settings, Snapshot
from app.services import control
from app.services.sealing import (
    REST_A,
    SPREAD_MARGIN_V,
    WAKE_A,
    RestedSpread,
    commissioning_checks,
    firmware_check,
    sealing_checks,
    temperatures_check,
)

TRIGGER = 0.005
SETTINGS = Settings({"cell_count": 4, "balance_trigger_delta_v": TRIGGER})


def snap(delta_mv: float, current_a: float | None, **kw) -> Snapshot:
    base = 3.300
    cells = [base, base, base, base + delta_mv / 1000]
    return Snapshot(cell_voltages_v=cells, current_a=current_a, **kw).derive()


def test_the_spread_under_charge_is_not_judged_however_the_noise_moves() -> None:
    judge = RestedSpread(rest_s=30)
    states = []
    for i in range(40):  # 20 A of charge, the spread wandering 4 / 6 mV around a 5 mV trigger
        judge.feed(i * 0.5, snap(4 if i % 2 else 6, 20.0))
        states.append(judge.check(TRIGGER).ok)
    assert states == [None] * 40
    check = judge.check(TRIGGER)
    assert check.detail.startswith("needs rest: +20 A flows")
    # the one-frame judgment (no judge) does not flip either while a current flows
    assert {sealing_checks(snap(d, 20.0), SETTINGS)[3].ok for d in (4, 6)} == {None}
    # whereas at rest it is judged frame by frame, as before
    assert [sealing_checks(snap(d, 0.0), SETTINGS)[3].ok for d in (4, 6)] == [True, False]


def test_the_spread_is_judged_after_the_current_stayed_low_for_rest_s() -> None:
    judge = RestedSpread(rest_s=30)
    judge.feed(0.0, snap(9, 15.0))  # charging
    judge.feed(10.0, snap(4, 0.1))  # the charger is off: rest starts here
    judge.feed(39.0, snap(4, 0.05))
    early = judge.check(TRIGGER)
    assert early.ok is None and early.detail == "needs rest: resting 29 s of the 30 s needed"
    judge.feed(40.0, snap(4, 0.05))
    done = judge.check(TRIGGER)
    assert done.ok is True and done.params["delta_mv"] == 4.0 and done.params["trigger_mv"] == 5.0
    assert done.detail.startswith("0.004 V at rest")


def test_rest_has_hysteresis_on_the_current() -> None:
    middle = (REST_A + WAKE_A) / 2  # 0.75 A: neither resting nor waking
    judge = RestedSpread(rest_s=10)
    judge.feed(0.0, snap(3, middle))
    judge.feed(20.0, snap(3, middle))
    assert judge.rested_s == 0 and judge.check(TRIGGER).ok is None  # never fell below REST_A
    judge.feed(21.0, snap(3, 0.2))
    judge.feed(31.0, snap(3, middle))  # back up a little: still resting
    assert judge.rested and judge.check(TRIGGER).ok is True
    judge.feed(32.0, snap(3, WAKE_A + 0.5))  # a real current: rest is over
    assert not judge.rested and judge.check(TRIGGER).ok is None


def test_the_verdict_has_hysteresis_around_the_trigger() -> None:
    judge = RestedSpread(rest_s=0, samples=1)  # the latest spread only, to see the verdict move
    verdicts = []
    for t, delta in enumerate((5.0, 6.0, 6.9, 7.5, 6.0, 3.5, 2.9, 4.0)):
        judge.feed(float(t), snap(delta, 0.0))
        verdicts.append(judge.check(TRIGGER).ok)
    limit_up = (TRIGGER + SPREAD_MARGIN_V) * 1000  # 7 mV: a pass turns into a fail above it
    limit_down = (TRIGGER - SPREAD_MARGIN_V) * 1000  # 3 mV: a fail turns into a pass at or below
    assert (limit_up, limit_down) == (7.0, 3.0)
    assert verdicts == [True, True, True, False, False, False, True, True]


def test_the_median_of_the_rested_spread_ignores_a_1_mv_flicker() -> None:
    judge = RestedSpread(rest_s=0)
    verdicts = []
    for t in range(30):  # at rest: 5 mV, a frame of 6 mV now and then
        judge.feed(float(t), snap(6 if t % 4 == 3 else 5, 0.02))
        verdicts.append(judge.check(TRIGGER).ok)
    assert set(verdicts) == {True}


def test_temperatures_plausible_and_close_together() -> None:
    ok = temperatures_check(Snapshot(temperatures_c=[23.6, 24.1], mos_temperature_c=31.0))
    assert ok.ok is True and ok.detail == "23.6 °C, 24.1 °C; MOSFETs 31 °C"
    loose = temperatures_check(Snapshot(temperatures_c=[23.6, -40.0]))  # an NTC off its cell
    assert loose.ok is False and "-40 °C" in loose.detail
    apart = temperatures_check(Snapshot(temperatures_c=[21.0, 29.5]))
    assert apart.ok is False and "8.5 °C" in apart.detail
    assert temperatures_check(Snapshot()).ok is None
    assert temperatures_check(None).ok is None


def test_firmware_recorded() -> None:
    check = firmware_check(DeviceInfo(software_version="19.27", hardware_version="19A"))
    assert check.ok is True and check.detail == "firmware 19.27, hardware 19A"
    assert firmware_check(DeviceInfo(model="X")).ok is None


def test_commissioning_checks_are_the_sealing_checks_and_two_more() -> None:
    s = snap(3, 0.0, charge_mos_on=True, discharge_mos_on=True, temperatures_c=[22.0, 22.5])
    checks = commissioning_checks(s, SETTINGS, DeviceInfo(software_version="3.3.0"))
    assert [c.id for c in checks] == ["fets", "alarms", "cells", "delta", "temperatures", "firmware"]
    assert all(c.ok for c in checks)
    assert control.sealing_checks is sealing_checks  # the Control tab's names still work
