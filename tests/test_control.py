"""Control actions against the simulator: switches, calibration, resets, sealing checks, CLI."""

from __future__ import annotations

import asyncio
import json

import pytest

from app.model import Settings, Snapshot
from app.services import control, settings_files, writer
from app.session import DeviceSession

CAL_URL = "sim://jk02_32s?cells=16&seed=8&current=-8&voltage_error_pct=0.8&current_error_pct=-3"


def run_with(url, body):
    async def run():
        s = DeviceSession(url, reconnect=False)
        await s.connect()
        try:
            return await body(s)
        finally:
            await s.close()

    return asyncio.run(run())


def test_charge_switch_off_and_on_is_written_and_read_back(tmp_path):
    async def body(s):
        gate = writer.PasswordGate()
        off = await control.set_switch(
            s, "charge_switch", False, password="123456", gate=gate, backup_dir=tmp_path
        )
        snap_off = await s.next_snapshot()
        await s.next_snapshot()
        on = await control.set_switch(
            s, "charge_switch", True, password="123456", gate=gate, backup_dir=tmp_path
        )
        return off, snap_off, on, s._transport.sim

    off, snap_off, on, sim = run_with("sim://jk02_32s?cells=16&current=5", body)
    assert off.ok and on.ok
    assert next(r for r in off.results if r.key == "charge_switch").readback is False
    assert snap_off.charge_mos_on is False  # the board's FET follows the switch
    assert sim.settings["charge_switch"] is True


def test_switch_needs_the_right_password(tmp_path):
    async def body(s):
        with pytest.raises(writer.PasswordError):
            await control.set_switch(
                s,
                "discharge_switch",
                False,
                password="000000",
                gate=writer.PasswordGate(),
                backup_dir=tmp_path,
            )
        return s._transport.sim.settings["discharge_switch"]

    assert run_with("sim://jk02_32s?cells=16", body) is True


def test_voltage_calibration_moves_the_reading_to_the_meter():
    async def body(s):
        sim = s._transport.sim
        meter = round(sim.true_pack_voltage(), 3)
        cal = await control.calibrate(s, "voltage", meter, password="123456", gate=writer.PasswordGate())
        return cal, meter

    cal, meter = run_with(CAL_URL, body)
    assert cal.ok, cal.message
    assert abs(cal.before - meter) > 0.3  # 0.8 % off before
    assert cal.after == pytest.approx(meter, abs=0.05)


def test_current_calibration_moves_the_reading_to_the_meter():
    async def body(s):
        return await control.calibrate(s, "current", -8.0, password="123456", gate=writer.PasswordGate())

    cal = run_with(CAL_URL, body)
    assert cal.ok, cal.message
    assert cal.before == pytest.approx(-7.76, abs=0.1) and cal.after == pytest.approx(-8.0, abs=0.1)


@pytest.mark.parametrize(
    "kind,value,why",
    [
        ("voltage", 60.0, "more than 5 %"),
        ("current", 8.0, "direction"),
        ("current", -12.0, "more than 20 %"),
    ],
)
def test_implausible_corrections_are_refused(kind, value, why):
    async def body(s):
        before = s._transport.sim.voltage_gain, s._transport.sim.current_gain
        with pytest.raises(writer.WriteError, match=why):
            await control.calibrate(s, kind, value, password="123456", gate=writer.PasswordGate())
        return before, (s._transport.sim.voltage_gain, s._transport.sim.current_gain)

    before, after = run_with(CAL_URL, body)
    assert before == after


def test_factory_reset_backs_up_first_and_shows_the_settings_after(tmp_path):
    async def body(s):
        await s.write_setting("cell_ovp_v", 3.62)
        return await control.board_action(
            s, "factory_reset", password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path
        )

    res = run_with("sim://jk02_32s?cells=16", body)
    assert res.acknowledged and res.settings_after["cell_ovp_v"] == pytest.approx(3.65)
    assert settings_files.load(res.backup)["settings"]["cell_ovp_v"] == pytest.approx(3.62)


def test_sealing_checks():
    settings = Settings({"cell_count": 4, "balance_trigger_delta_v": 0.01})
    good = Snapshot(
        cell_voltages_v=[3.30, 3.30, 3.305, 3.30], charge_mos_on=True, discharge_mos_on=True
    ).derive()
    assert all(c.ok for c in control.sealing_checks(good, settings))
    bad = Snapshot(
        cell_voltages_v=[3.30, 0.0, 3.32, 3.30],
        charge_mos_on=False,
        discharge_mos_on=True,
        alarms=["cell_undervoltage"],
    ).derive()
    result = {c.id: c for c in control.sealing_checks(bad, settings)}
    assert result["fets"].ok is False and "charge" in result["fets"].detail
    assert result["alarms"].ok is False
    assert result["cells"].ok is False and "cell 2" in result["cells"].detail
    assert result["delta"].ok is False
    assert {c.ok for c in control.sealing_checks(None, None)} == {None}


def test_sealing_checks_never_pass_what_the_board_does_not_report():
    # a JK04-like snapshot: no alarm or MOSFET field in the frames (jk.md §2.3)
    snap = Snapshot(cell_voltages_v=[3.30, 3.30, 3.305, 3.30], alarms=None).derive()
    settings = Settings({"cell_count": 4})  # and no balance trigger setting
    result = {c.id: c for c in control.sealing_checks(snap, settings)}
    for cid in ("fets", "alarms", "delta"):
        assert result[cid].ok is None and result[cid].reported is False, cid
        assert result[cid].detail == "not reported by this board"
    assert result["cells"].ok is True and result["cells"].reported
    # settings not read yet: "cannot tell yet", not "not reported"
    waiting = {c.id: c for c in control.sealing_checks(snap, None)}
    assert waiting["cells"].ok is None and waiting["cells"].reported
    # no live data at all: nothing is "not reported" yet
    assert all(c.reported for c in control.sealing_checks(None, settings))


def test_cli_control(tmp_path, run_cli):
    def cli(*args):
        return run_cli("control", "--url", CAL_URL, "--json", "--backup-dir", str(tmp_path), *args)

    no = cli("discharge", "off")
    assert no.returncode != 0 and "--yes" in no.stderr
    wrong = cli("--password", "1", "--yes", "discharge", "off")
    assert wrong.returncode != 0 and "wrong setup password" in wrong.stderr
    ok = cli("--password", "123456", "--yes", "discharge", "off")
    assert ok.returncode == 0, ok.stderr
    doc = json.loads(ok.stdout)  # only JSON on stdout with --json
    assert doc["status"] == "verified" and doc["readback"] is False
    cal = cli("--password", "123456", "--yes", "calibrate-current", "-8")
    assert cal.returncode == 0, cal.stderr
    assert json.loads(cal.stdout.splitlines()[-1])["after"] == pytest.approx(-8.0, abs=0.1)
    silly = cli("--password", "123456", "--yes", "calibrate-voltage", "5")
    assert silly.returncode != 0 and "5 %" in silly.stderr
