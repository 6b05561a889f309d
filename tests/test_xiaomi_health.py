"""The pack-health diagnosis of a Xiaomi / Ninebot pack against the workshop guide.

Expected values come from the guide (tests/data/xiaomi_battery_guide.md: a pack delta
above 150 mV, the BMS's ~30 mA balancing, packs resting at 3.0–3.3 V that refuse to
charge, sub-2 V cells recharged individually, charging between ~5 °C and 55 °C, the
1.7 A stock charger, failed temperature sensors locking the BMS) and from the research
notes (ant_xiaomi.md §3.4: SOH below 60 % is a bad battery; the manufacture-date word;
two temperatures of °C + 20 in one byte each).  The packs are the simulator's, read
through a real session (sim://), so the sentences rest on decoded frames.
"""

from __future__ import annotations

import asyncio
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app.model import DeviceInfo, Settings, Snapshot
from app.model.health import BAD, OK, WARN, Finding
from app.protocols.family import get_family, health_guide
from app.protocols.xiaomi.health import GUIDE, THRESHOLDS, diagnose
from app.session import DeviceSession

GUIDE_TEXT = (Path(__file__).parent / "data" / "xiaomi_battery_guide.md").read_text(encoding="utf-8")
TODAY = date(2025, 6, 12)


def _plain(text: str) -> str:
    """The guide's text as one line of plain words (no markdown emphasis, one kind of space)."""
    text = text.replace("\u202f", " ").replace("\u00a0", " ").replace("**", "")
    return re.sub(r"\s+", " ", text)


def read_pack(url: str) -> tuple[Snapshot, DeviceInfo, Settings]:
    """What a session reads of a simulated pack: a full snapshot, device info, settings."""

    async def go() -> tuple[Snapshot, DeviceInfo, Settings]:
        session = DeviceSession(url, reconnect=False, request_timeout_s=1.0)
        await session.connect()
        try:
            snap = await session.next_snapshot(5)
            if "ninebot" in url and "external" in url:
                snap = await session.next_snapshot(5)  # the second pack rides on the next one
            assert session.device_info is not None and session.settings is not None
            return snap, session.device_info, session.settings
        finally:
            await session.close()

    return asyncio.run(go())


def by_id(findings: list[Finding], pack: int = 0) -> dict[str, Finding]:
    return {f.id: f for f in findings if f.pack == pack}


def text(findings: list[Finding], fid: str) -> str:
    return by_id(findings)[fid].sentence()


# --- the one table of thresholds ----------------------------------------------------------------------
def test_every_threshold_quotes_its_source() -> None:
    guide = _plain(GUIDE_TEXT)
    for t in THRESHOLDS:
        if t.where.startswith("Xiaomi battery guide"):
            # a table row of the guide is quoted as "cell: cell"
            for part in t.source.split(": "):
                assert _plain(part).rstrip(".") in guide, f"{t.id}: {part!r} is not in the guide"
        else:  # a number the guide does not give says whose it is
            assert "research notes" in t.where or "Packbench" in t.where, t.id
    assert len({t.id for t in THRESHOLDS}) == len(THRESHOLDS)


def test_the_numbers_are_the_guides() -> None:
    values = {t.id: (t.value, t.unit) for t in THRESHOLDS}
    assert values["cell_spread_mv"] == (150, "mV")  # "Pack delta >150 mV"
    assert values["balance_ma"] == (30, "mA")  # "only bleed around 30 mA"
    assert values["floor_v"] == (3.0, "V")  # "rests around 3.0–3.3 V per cell and refuses to charge"
    assert values["individual_v"] == (2.0, "V")  # "recharge sub-2 V cells individually"
    assert values["charge_min_c"] == (5, "°C") and values["charge_max_c"] == (55, "°C")
    assert values["charger_a"] == (1.7, "A")  # "the OEM 1.7 A brick"
    assert values["health_bad_pct"] == (60, "%")  # ant_xiaomi.md §3.4: "<60 % = bad battery"
    assert values["ntc_low_c"] == (-20, "°C")  # §3.4: one byte of °C + 20, so byte 0 is -20 °C


def test_the_family_points_to_its_guide() -> None:
    assert get_family("xiaomi").health is GUIDE
    assert health_guide("m365") is GUIDE and health_guide("ninebot") is GUIDE
    assert health_guide("jbd") is None and health_guide(None) is None


# --- four packs of the issue ----------------------------------------------------------------------------
def test_a_healthy_pack_reads_healthy() -> None:
    snap, info, settings = read_pack("sim://m365?cells=10&seed=4")
    findings = diagnose(snap, info, settings, today=TODAY)
    assert not [f.id for f in findings if f.level in (WARN, BAD)], [f.sentence() for f in findings]
    ids = by_id(findings)
    assert ids["capacity"].level == OK and ids["spread"].level == OK and ids["ntc"].level == OK
    assert "Capacity health 100 %" in text(findings, "capacity")
    assert "(the guide's limit is 150 mV)" in text(findings, "spread")
    # §3.4: 7800 mAh design; "each hour adds ≈1.7 Ah": 7.8 / 1.7 = 4.6 h
    assert "about 4.6 h for 7.80 Ah" in text(findings, "charge_time")
    assert text(findings, "identity") == (
        "For the job sheet: serial number PACKBENCH00001, BMS firmware 1.1.5, made 2019-06-12."
    )
    assert "it is 6.0 years old" in text(findings, "age")
    assert "87 full charge cycles and 143 charges" in text(findings, "cycles")


def test_an_imbalanced_pack_is_told_to_balance_externally_and_its_weak_group_named() -> None:
    snap, info, settings = read_pack("sim://m365?cells=10&weak_cell=7&seed=4")
    findings = diagnose(snap, info, settings, today=TODAY)
    spread = by_id(findings)["spread"]
    assert spread.level == WARN and spread.values["delta"] > 150
    assert "more than 150 mV: balance externally before blaming the BMS" in spread.sentence()
    assert "bleeds only about 30 mA" in spread.sentence()
    weak = by_id(findings)["weak_group"]
    assert weak.level == WARN and weak.values["n"] == 7
    assert weak.sentence().startswith("Group 7 is a weak group:")


@pytest.mark.parametrize("health,level,words", [(60, WARN, "noticeably worn"), (55, BAD, "worn out")])
def test_a_worn_pack_says_its_capacity_health(health: int, level: str, words: str) -> None:
    snap, info, settings = read_pack(f"sim://m365?cells=10&health={health}&seed=4")
    findings = diagnose(snap, info, settings, today=TODAY)
    capacity = by_id(findings)["capacity"]
    assert capacity.level == level and words in capacity.sentence()
    design = 7.8  # §3.4: the M365's 7800 mAh
    assert capacity.sentence().startswith(
        f"Capacity health {health} %: the pack holds {design * health / 100:.2f} Ah of the 7.80 Ah"
    )
    assert f"(the BMS's own health figure: {health} %)" in capacity.sentence()


def test_a_deep_discharged_pack_gets_a_gentle_recovery_charge() -> None:
    snap, info, settings = read_pack("sim://m365?cells=10&deep=1&seed=4")
    findings = diagnose(snap, info, settings, today=TODAY)
    deep = by_id(findings)["deep_discharge"]
    assert deep.level == BAD and deep.values["count"] == 10 and deep.values["v"] <= 3.0
    assert "at or below 3.0 V" in deep.sentence() and "recovery charge, gently" in deep.sentence()
    # the cells explain the refused charge: no "cells are fine" sentence
    assert "charge_refused" not in by_id(findings)
    assert "cell_undervoltage" in snap.alarms  # status bits 8 and 14 (§3.4)


def test_a_cell_below_2_volts_is_recharged_on_its_own() -> None:
    snap = Snapshot(cell_voltages_v=[3.6] * 9 + [1.85]).derive()
    findings = diagnose(snap, today=TODAY)
    assert by_id(findings)["below_2v"].sentence() == (
        "Group 10 is below 2 V (1.850 V): recharge it on its own before charging the pack."
    )


# --- temperatures and a refused charge -------------------------------------------------------------
def test_a_failed_sensor_and_the_charge_it_locks() -> None:
    snap, info, settings = read_pack("sim://m365?cells=10&temps=25,-20&charger=1&seed=4")
    assert snap.temperatures_c == [25.0, -20.0]  # byte 0 of the second sensor
    findings = diagnose(snap, info, settings, today=TODAY)
    ids = by_id(findings)
    assert ids["ntc_absurd"].level == BAD and "-20 °C" in ids["ntc_absurd"].sentence()
    assert "can lock charging" in ids["ntc_absurd"].sentence()
    refused = ids["charge_refused"]
    assert refused.level == BAD and "refuses to charge although the cells are fine" in refused.sentence()
    assert "charge protection" in refused.values["flags"]  # status bit 2 (§3.4)
    assert snap.extra["xiaomi_charger_inserted"] and not snap.extra["xiaomi_charging"]


def test_sensors_far_apart_and_a_cold_pack() -> None:
    snap, info, settings = read_pack("sim://m365?cells=10&temps=3,16&seed=4")
    findings = diagnose(snap, info, settings, today=TODAY)
    ids = by_id(findings)
    assert ids["ntc_apart"].level == WARN and ids["ntc_apart"].values["d"] == 13
    assert "outside the 5–55 °C it should be charged in" in ids["charge_window"].sentence()


def test_a_pack_that_charges_normally_has_no_refusal() -> None:
    snap, info, settings = read_pack("sim://m365?cells=10&charger=1&seed=4")
    assert snap.current_a == pytest.approx(1.7, abs=0.05)  # the stock charger (+ charging)
    assert "charge_refused" not in by_id(diagnose(snap, info, settings, today=TODAY))


# --- a second pack on the same wire --------------------------------------------------------------------
def test_an_external_pack_is_diagnosed_as_a_second_pack() -> None:
    snap, info, settings = read_pack("sim://ninebot?cells=10&external=1&deep=1&seed=4")
    findings = diagnose(snap, info, settings, today=TODAY)
    first, second = by_id(findings, 0), by_id(findings, 1)
    assert "deep_discharge" in first and "deep_discharge" not in second
    assert "PACKBENCH00002" in second["identity"].sentence()
    assert "PACKBENCH00001" in first["identity"].sentence()
    assert second["spread"].level == OK


def test_nothing_read_yet_is_said_not_guessed() -> None:
    findings: list[Any] = diagnose(None, None, None, today=TODAY)
    assert [f.sentence() for f in findings] == [
        "The BMS has not told its serial number and firmware yet.",
        "No cell voltages yet.",
    ]
