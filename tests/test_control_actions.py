"""services/control.py called directly against a board double (tests/doubles.py): every
guard before a command is sent, and what each result says the board did (issue 24).

The contract is the module's: every action goes through the password gate, a backup where
settings may change, and a read-back; "ok" only when the board's own data shows the change.
Thresholds come from the module's documented rules (a shunt offset is at most 2 A, the
meter within 5 % of the pack voltage and 20 % of the current, presets.md's "say so in the
confirmation"), and messages are the ones the CLI prints.
"""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace as Snap

import pytest
from doubles import Panel, run

from app.model import Settings, Snapshot
from app.services import control, writer
from app.services.writer import PasswordError, PasswordGate, WriteError
from app.session import SessionError

PW = "123456"


def gate() -> PasswordGate:
    return PasswordGate(clock=lambda: 0.0)


def sent(panel: Panel) -> list[tuple]:
    return [s for s in panel.sent if s[0] != "script"]


# --- switches -------------------------------------------------------------------------------


def test_a_switch_is_a_one_key_write_with_its_warning_acknowledged(tmp_path):
    panel = Panel()
    report = run(
        control.set_switch(panel, "charge_switch", False, password=PW, gate=gate(), backup_dir=tmp_path)
    )
    assert report.ok and panel.writes() == ["charge_switch"]
    assert panel.values["charge_switch"] is False
    assert report.backup is not None  # a backup first, as for any settings write


def test_a_switch_is_refused_for_a_non_switch_a_missing_one_and_a_read_only_board(tmp_path):
    with pytest.raises(WriteError, match=r"^not a switch: cell_ovp_v$"):
        run(control.set_switch(Panel(), "cell_ovp_v", False, password=PW, gate=gate()))
    panel = Panel()
    panel.protocol.settings_schema = lambda: [
        s for s in panel.protocol._base.settings_schema() if s.key != "heating_switch"
    ]
    with pytest.raises(WriteError, match=r"^this board has no heating switch$"):
        run(control.set_switch(panel, "heating_switch", True, password=PW, gate=gate()))
    ro = Panel(read_only_reason="Read only.")
    with pytest.raises(WriteError, match="Read only"):
        run(control.set_switch(ro, "charge_switch", False, password=PW, gate=gate()))
    assert panel.writes() == [] and ro.writes() == []


def test_a_switch_needs_the_password(tmp_path):
    panel = Panel()
    with pytest.raises(PasswordError, match="wrong setup password"):
        run(
            control.set_switch(
                panel, "discharge_switch", False, password="1", gate=gate(), backup_dir=tmp_path
            )
        )
    assert panel.writes() == []


# --- emergency mode -----------------------------------------------------------------------------


def emergency_panel(*left, ack=True) -> Panel:
    panel = Panel(
        snapshots=[Snap(left=s) for s in left],
        has_emergency=lambda: True,
        emergency_remaining_s=lambda snap: snap.left,
    )
    panel.ack = ack
    return panel


def emergency(panel: Panel, on: bool, password: str = PW) -> control.EmergencyResult:
    return run(control.set_emergency(panel, on, password=password, gate=gate(), readback_s=5.0))


@pytest.mark.parametrize(
    "on,ack,left,status,message",
    [
        (True, True, [0, 300], writer.VERIFIED, "emergency mode is on: 300 s left"),
        (
            True,
            False,
            [300],
            writer.UNVERIFIED,
            "emergency mode is on: 300 s left, but the board sent no acknowledgement",
        ),
        (True, True, [0, 0], writer.NOT_STORED, "the board acknowledged, but emergency mode is still off"),
        (
            True,
            False,
            [0],
            writer.REFUSED,
            "refused by the board (no acknowledgement): emergency mode is still off",
        ),
        (False, True, [120, 0], writer.VERIFIED, "emergency mode is off"),
        (
            False,
            True,
            [120],
            writer.NOT_STORED,
            "the board acknowledged, but emergency mode is still on (120 s left)",
        ),
        (True, True, [], writer.UNVERIFIED, "sent, but no live data came back to confirm it"),
    ],
)
def test_emergency_mode_is_read_back_from_the_live_countdown(on, ack, left, status, message):
    panel = emergency_panel(*left, ack=ack)
    result = emergency(panel, on)
    assert (result.status, result.message) == (status, message)
    assert result.ok is (status == writer.VERIFIED)
    assert result.acknowledged is ack and result.on is on
    assert result.remaining_s == (left[-1] if left else None)
    assert sent(panel) == [("emergency", on)]
    kinds = [e[0] for e in panel.log]
    assert kinds.index("begin") < kinds.index("command") < kinds.index("end")


def test_emergency_mode_stops_watching_once_the_board_shows_it():
    panel = emergency_panel(0, 300, 299, 298)
    assert emergency(panel, True).remaining_s == 300
    assert len(panel.snapshots) == 2  # the rest were not waited for


def test_emergency_mode_refusals_send_nothing():
    with pytest.raises(WriteError, match=r"^this board has no emergency mode that Packbench knows$"):
        emergency(Panel(has_emergency=lambda: False), True)
    panel = emergency_panel(300)
    with pytest.raises(PasswordError):
        emergency(panel, True, password="1")
    with pytest.raises(PasswordError, match="enter the board's setup password"):
        emergency(panel, True, password="")
    assert panel.sent == []


def test_emergency_texts_and_the_duration():
    assert "(the emergency duration, 30 min)" in control.emergency_consequence(True, 30)
    assert "(the emergency duration, ? min)" in control.emergency_consequence(True, None)
    assert control.emergency_consequence(False, 30).startswith("Emergency mode off: the protections apply")
    proto = Snap(emergency_duration_key="emergency_min", emergency_remaining_s=lambda s: 42)
    assert control.emergency_minutes(proto, Settings({"emergency_min": 15})) == 15
    assert control.emergency_minutes(proto, None) is None
    assert control.emergency_minutes(Snap(emergency_duration_key=None), Settings({"x": 1})) is None
    assert control.emergency_remaining(proto, None) is None
    assert control.emergency_remaining(None, Snap()) == 0
    assert control.emergency_remaining(proto, Snap()) == 42


# --- calibration ----------------------------------------------------------------------------


def cal_panel(readings, kinds=("voltage", "current", "current_zero"), ack=True, **protocol) -> Panel:
    snaps = [Snap(pack_voltage_v=r, current_a=r) for r in readings]
    panel = Panel(snapshots=snaps, calibration_kinds=lambda: kinds, **protocol)
    panel.ack = ack
    return panel


def calibrate(panel, kind, measured, password=PW):
    return run(control.calibrate(panel, kind, measured, password=password, gate=gate()))


def test_implausible_voltage_more_than_5_percent_away():
    assert control.implausible("voltage", 50.0, 52.5) is None  # 5 % exactly
    assert control.implausible("voltage", 50.0, 47.5) is None
    assert control.implausible("voltage", 50.0, 52.51) == (
        "the meter's 52.510 V is more than 5 % away from the board's 50.000 V: check the meter, "
        "its range and where it touches the pack"
    )
    assert control.implausible("voltage", 50.0, 47.49)
    assert control.implausible("voltage", 50.0, 0) == "enter the pack voltage the meter shows, in volts"
    assert control.implausible("voltage", 50.0, -50.0) == "enter the pack voltage the meter shows, in volts"


def test_implausible_current_needs_1_a_the_same_direction_and_20_percent():
    at_least = "calibrate the current with at least 1 A flowing (a steady charger or load)"
    assert control.implausible("current", 0.99, 1.0) == at_least
    assert control.implausible("current", 1.0, 0.99) == at_least
    assert control.implausible("current", -1.0, -1.0) is None
    assert control.implausible("current", 10.0, -10.0).startswith(
        "the meter and the board disagree on the direction"
    )
    assert control.implausible("current", -10.0, 10.0)
    assert control.implausible("current", 10.0, 12.0) is None  # 20 % exactly
    assert control.implausible("current", -10.0, -8.0) is None
    assert control.implausible("current", 10.0, 12.01) == (
        "the meter's 12.01 A is more than 20 % away from the board's 10 A: "
        "check the clamp meter's zero and range"
    )


def test_implausible_zeroing_with_a_current_flowing():
    assert control.implausible("current_zero", 2.0, 0) is None  # ZERO_LIMIT_A: 2 A
    assert control.implausible("current_zero", -2.0, 0) is None
    assert control.implausible("current_zero", -2.01, 0) == (
        "the board reads -2.01 A: that is a current flowing, not an offset. Switch every charger "
        "and load off (or open the main switch) and try again"
    )


def test_voltage_calibration_reads_before_and_after_and_saves_on_an_ack():
    # before: three readings averaged (51.7, 51.8, 51.9 -> 51.8); one frame skipped; after: 52.0
    panel = cal_panel([51.7, 51.8, 51.9, 0.0, 52.0, 52.0, 52.0])
    cal = calibrate(panel, "voltage", 52.0)
    assert (
        cal.ok and cal.acknowledged and cal.before == pytest.approx(51.8) and cal.after == pytest.approx(52.0)
    )
    assert cal.message == "the board now reads 52.000 V (was 51.800 V, meter 52.000 V)"
    assert sent(panel) == [("calibrate", "voltage", 52.0)]
    assert ("close", True) in panel.log
    assert ("open", PW, ("calibration:voltage",)) in panel.log


@pytest.mark.parametrize(
    "kind,measured,after,ok",
    [
        ("voltage", 52.0, 52.1039, True),  # 0.2 % of 52 V = 0.104 V
        ("voltage", 52.0, 52.106, False),
        ("voltage", 5.0, 5.0199, True),  # at least 0.02 V
        ("voltage", 5.0, 5.021, False),
        ("current", -8.0, -8.2399, True),  # 3 % of 8 A = 0.24 A
        ("current", -8.0, -8.25, False),
        ("current", 2.0, 2.0999, True),  # at least 0.1 A
        ("current", 2.0, 2.11, False),
        ("current_zero", 0, 0.0999, True),  # ZERO_TOLERANCE_A
        ("current_zero", 0, -0.11, False),
    ],
)
def test_a_calibration_is_ok_only_when_the_reading_follows_the_meter(kind, measured, after, ok):
    before = measured * 1.01 if measured else 0.5
    panel = cal_panel([before] * 3 + [0.0] + [after] * 3)
    cal = calibrate(panel, kind, measured)
    assert cal.ok is ok and cal.acknowledged
    if not ok and kind == "current_zero":
        assert cal.message == "the board acknowledged but still reads -0.11 A: the zeroing did not take"
    elif not ok:
        assert cal.message.startswith("the board acknowledged but now reads ")
        assert cal.message.endswith(": the calibration did not take")
    elif kind == "current_zero":
        assert cal.message.startswith("the board now reads +0.")
        assert cal.message.endswith(" A with nothing connected (was +0.5 A)")


def test_a_calibration_the_board_does_not_acknowledge_is_not_saved():
    panel = cal_panel([52.0] * 3, ack=False)
    cal = calibrate(panel, "voltage", 52.1)
    assert not cal.ok and not cal.acknowledged and cal.after is None
    assert cal.message == "the board did not acknowledge the calibration: nothing changed"
    assert ("close", False) in panel.log and ("close", True) not in panel.log


def test_a_silent_board_is_judged_by_its_reading_after():
    panel = cal_panel([52.0] * 3 + [0.0] + [52.1] * 3, ack=False, acknowledges_writes=False)
    cal = calibrate(panel, "voltage", 52.1)
    assert cal.ok and not cal.acknowledged and ("close", True) in panel.log
    panel = cal_panel([52.0] * 3 + [0.0] + [52.0] * 3, ack=False, acknowledges_writes=False)
    cal = calibrate(panel, "voltage", 52.2)
    assert not cal.ok and cal.message == (
        "the board now reads 52.000 V, not the meter's 52.200 V: this board answers commands with "
        "nothing, and its reading did not change as asked"
    )


def test_calibration_refusals_send_nothing():
    panel = cal_panel([52.0] * 7, kinds=("voltage",))
    with pytest.raises(
        WriteError, match=r"^this board has no current zero calibration command that Packbench knows$"
    ):
        calibrate(panel, "current_zero", 0)
    for bad in (True, "52", float("nan"), float("inf")):
        with pytest.raises(WriteError, match=r"^not calibrated: the meter's reading must be a number, not "):
            calibrate(panel, "voltage", bad)
    with pytest.raises(WriteError, match=r"^not calibrated: the meter's 60.000 V is more than 5 % away"):
        calibrate(panel, "voltage", 60.0)
    with pytest.raises(PasswordError):
        calibrate(panel, "voltage", 52.0, password="1")
    zero = cal_panel([0.3] * 7)
    with pytest.raises(WriteError, match=r"^not zeroed: zeroing takes no meter reading"):
        calibrate(zero, "current_zero", 0.5)
    assert panel.sent == [] and zero.sent == []


def test_a_board_that_reports_no_current_cannot_be_calibrated():
    panel = Panel(snapshots=[Snap(current_a=None)], calibration_kinds=lambda: ("current",))
    with pytest.raises(WriteError, match=r"^this board reports no current$"):
        calibrate(panel, "current", 5.0)
    assert panel.sent == []


# --- state of charge, clock, remaining capacity -------------------------------------------------


def soc_panel(*socs, ack=True) -> Panel:
    panel = Panel(snapshots=[Snap(soc_pct=s) for s in socs], has_soc=True)
    panel.last_snapshot = Snap(soc_pct=37.0)
    panel.ack = ack
    return panel


def set_soc(panel, pct, password=PW):
    return run(control.set_soc(panel, pct, password=password, gate=gate(), readback_s=5.0))


def test_set_soc_is_read_back_within_1_percent():
    result = set_soc(soc_panel(40.0, 80.0, 50.0), 80)
    assert result.ok and result.before_pct == 37.0 and result.after_pct == 80.0
    assert result.message == "the board now reports 80 %"
    assert set_soc(soc_panel(81.0), 80).ok
    assert set_soc(soc_panel(79.0), 80).ok
    bad = set_soc(soc_panel(81.1), 80)
    assert not bad.ok and bad.acknowledged
    assert bad.message == "the board acknowledged but reports 81.1 %, not the 80 % sent"
    silent = set_soc(soc_panel(), 80)
    assert not silent.ok and silent.after_pct is None


def test_set_soc_refusals():
    with pytest.raises(WriteError, match="no command to set the state of charge"):
        set_soc(Panel(has_soc=False), 50)
    panel = soc_panel(50.0)
    for bad in (True, "50", float("nan"), -0.1, 100.1):
        with pytest.raises(WriteError, match=r"^the state of charge must be a number from 0 to 100 %, not "):
            set_soc(panel, bad)
    with pytest.raises(PasswordError):
        set_soc(panel, 50, password="1")
    assert panel.sent == []
    for edge in (0, 100):
        assert set_soc(soc_panel(float(edge)), edge).ok
    unanswered = set_soc(soc_panel(50.0, ack=False), 50)
    assert not unanswered.ok and unanswered.message == "the board did not acknowledge: nothing changed"
    panel = soc_panel(50.0)
    panel.ack = ValueError("this board takes whole percent")
    with pytest.raises(WriteError, match=r"^this board takes whole percent$"):
        set_soc(panel, 50.5)
    assert ("end",) in panel.log


def clock_panel(*, ack=True, encode=None) -> Panel:
    panel = Panel(
        snapshots=[Snap(soc_pct=50.0)], has_clock=True, encode_clock=encode or (lambda when, snap: b"")
    )
    panel.ack = ack
    return panel


def test_set_clock_sends_this_computers_time_to_the_second():
    panel = clock_panel()
    result = run(control.set_clock(panel, password=PW, gate=gate(), now=datetime(2026, 1, 2, 3, 4, 5, 999)))
    assert result.ok and result.when == datetime(2026, 1, 2, 3, 4, 5)
    assert result.message == (
        "the board acknowledged 2026-01-02 03:04:05 (Packbench cannot read the board's clock back)"
    )
    assert sent(panel) == [("clock", datetime(2026, 1, 2, 3, 4, 5))]
    assert ("snapshot",) in panel.log  # the clock command may carry the SOC along (Daly A5)
    unanswered = run(control.set_clock(clock_panel(ack=False), password=PW, gate=gate()))
    assert not unanswered.ok and unanswered.message == "the board did not acknowledge: its clock is unchanged"


def test_set_clock_refusals_send_nothing():
    with pytest.raises(WriteError, match="^this board has no clock that Packbench can set$"):
        run(control.set_clock(Panel(has_clock=False), password=PW, gate=gate()))

    def refuse(when, snap):
        raise ValueError("the board's clock ends in 2099")

    panel = clock_panel(encode=refuse)
    with pytest.raises(WriteError, match=r"^the board's clock ends in 2099$"):
        run(control.set_clock(panel, password=PW, gate=gate()))
    panel = clock_panel()
    with pytest.raises(PasswordError):
        run(control.set_clock(panel, password="1", gate=gate()))
    assert panel.sent == []


def capacity_panel(*remaining, full=100.0, ack=True, check=None) -> Panel:
    snaps = [Snap(capacity_remaining_ah=r, capacity_full_ah=full) for r in remaining]
    panel = Panel(
        snapshots=snaps, has_remaining_capacity=True, check_remaining_capacity=check or (lambda ah: None)
    )
    panel.ack = ack
    return panel


def set_capacity(panel, ah, password=PW):
    return run(control.set_remaining_capacity(panel, ah, password=password, gate=gate()))


def test_remaining_capacity_is_read_back_from_the_second_frame_after():
    # the first snapshot is the "before" (40 Ah), then one in flight, then the read-back
    result = set_capacity(capacity_panel(40.0, 41.0, 60.0), 60.0)
    assert result.ok and result.before_ah == 40.0 and result.after_ah == 60.0
    assert result.message == "the board now reports 60 Ah remaining (was 40 Ah)"
    assert ("close", True) in result.__dict__.get("log", [("close", True)])
    assert set_capacity(capacity_panel(40.0, 0.0, 61.0), 60.0).ok  # 1 % of 100 Ah
    bad = set_capacity(capacity_panel(40.0, 0.0, 61.1), 60.0)
    assert not bad.ok and bad.message == "the board acknowledged but now reports 61.1 Ah, not the 60 Ah sent"
    # a small pack: at least 0.05 Ah
    assert set_capacity(capacity_panel(1.0, 0.0, 2.05, full=3.0), 2.0).ok
    assert not set_capacity(capacity_panel(1.0, 0.0, 2.06, full=3.0), 2.0).ok


def test_remaining_capacity_bounds_and_refusals():
    with pytest.raises(WriteError, match="no command to set the remaining capacity"):
        set_capacity(Panel(has_remaining_capacity=False), 1.0)
    for bad in (True, "5", float("nan")):
        with pytest.raises(WriteError, match=r"^the remaining capacity must be a number of Ah, not "):
            set_capacity(capacity_panel(40.0), bad)
    with pytest.raises(
        WriteError, match=r"^the remaining capacity must be between 0 and the full capacity \(100 Ah\)$"
    ):
        set_capacity(capacity_panel(40.0), 100.11)
    with pytest.raises(WriteError, match="between 0 and the full capacity"):
        set_capacity(capacity_panel(40.0), -0.01)
    with pytest.raises(WriteError, match=r"^the remaining capacity cannot be negative$"):
        set_capacity(capacity_panel(40.0, full=None), -0.01)
    assert set_capacity(capacity_panel(40.0, 0.0, 100.1), 100.1).ok  # within 0.1 % of full

    def refuse(ah):
        raise ValueError("at most 655 Ah")

    with pytest.raises(ValueError, match="at most 655"):
        set_capacity(capacity_panel(40.0, check=refuse), 50.0)
    panel = capacity_panel(40.0)
    with pytest.raises(PasswordError):
        set_capacity(panel, 50.0, password="1")
    assert panel.sent == []


def test_remaining_capacity_not_acknowledged_is_not_saved():
    panel = capacity_panel(40.0, ack=False)
    result = set_capacity(panel, 50.0)
    assert not result.ok and result.after_ah is None
    assert result.message == "the board did not acknowledge: nothing changed"
    assert ("close", False) in panel.log
    panel = capacity_panel(None, 0.0, 50.0)
    result = set_capacity(panel, 50.0)
    assert result.ok and result.message == "the board now reports 50 Ah remaining"
    assert ("close", True) in panel.log


# --- the board's own password -----------------------------------------------------------------


def pw_panel(**protocol) -> Panel:
    protocol.setdefault("has_board_password", True)
    protocol.setdefault("board_password_script", lambda old, new: ("script", old, new))
    protocol.setdefault("check_board_password", lambda new: None)
    protocol.setdefault("password_check", "board")
    return Panel(**protocol)


def change(panel, old="1111", new="2222", gate_=None):
    return run(control.change_board_password(panel, old=old, new=new, gate=gate_))


def test_a_board_password_set_and_remembered():
    panel = pw_panel()
    assert change(panel) is True
    assert panel.sent == [("script", ("script", "1111", "2222"))]
    assert ("remember", "2222") in panel.log
    panel.script_result = False
    assert change(panel) is False
    assert panel.log.count(("remember", "2222")) == 1
    assert control.has_board_password(panel)


def test_a_board_password_that_reports_itself_is_checked_old_and_new():
    """Daly D2 reports its password ("local"): the old one goes through the gate, and the
    new one counts only when the board reports it back."""
    panel = pw_panel(password_check="local")
    panel.password = "1111"
    with pytest.raises(PasswordError, match="wrong setup password"):
        change(panel, old="9999")
    assert panel.sent == []
    assert change(panel) is False  # the board still reports 1111
    panel.password = "2222"  # now it reports the new one
    assert change(panel, old="2222") is True
    assert change(panel, old="2222", new=None) is False  # cleared: nothing to report back


def test_board_password_refusals():
    with pytest.raises(WriteError, match="^this board has no password command that Packbench knows$"):
        change(pw_panel(has_board_password=False))
    with pytest.raises(WriteError, match="always has a setup password: set another one instead"):
        change(pw_panel(board_password_clearable=False), new=None)

    def refuse(new):
        raise ValueError("at most 6 digits")

    with pytest.raises(WriteError, match=r"^the new password: at most 6 digits$"):
        change(pw_panel(check_board_password=refuse))
    panel = pw_panel()
    panel.script_error = SessionError("the board did not answer")
    with pytest.raises(WriteError, match=r"^the board did not answer$"):
        change(panel)
    assert ("end",) in panel.log
    assert change(pw_panel(), new=None) is True  # cleared


# --- board actions ---------------------------------------------------------------------------


def action_panel(*actions, ack=True, **protocol) -> Panel:
    panel = Panel(actions=lambda: actions, **protocol)
    panel.ack = ack
    return panel


def act(panel, action, tmp_path=None, password=PW):
    return run(control.board_action(panel, action, password=password, gate=gate(), backup_dir=tmp_path))


def test_factory_reset_backs_up_first_and_reads_the_settings_after(tmp_path):
    panel = action_panel("factory_reset")
    result = act(panel, "factory_reset", tmp_path)
    assert result.ok and result.acknowledged and result.backup is not None and result.backup.exists()
    assert result.settings_after == panel.values
    assert result.message == "done; the settings the board reports now are shown"
    assert ("close", False) in panel.log  # an action never saves a write mode
    assert ("open", PW, ("action:factory_reset",)) in panel.log


def test_restart_makes_no_backup_and_retries_the_read_back(tmp_path):
    panel = action_panel("restart")
    panel.action_errors = [SessionError("restarting")] * 4
    result = act(panel, "restart", tmp_path)
    assert result.backup is None and result.settings_after is not None and result.ok
    panel = action_panel("restart")
    panel.action_errors = [SessionError("restarting")] * 5
    result = act(panel, "restart", tmp_path)
    assert result.settings_after is None and result.ok  # acknowledged
    assert result.message == "acknowledged, but the board has not answered since"
    silent = action_panel("restart", ack=False, acknowledges_writes=False)
    silent.action_errors = [SessionError("restarting")] * 5
    result = act(silent, "restart", tmp_path)
    assert not result.ok and result.silent_board
    assert result.message == "sent, but the board has not answered since (it acknowledges nothing)"
    silent = action_panel("restart", ack=False, acknowledges_writes=False)
    assert act(silent, "restart", tmp_path).ok  # it answers again: that tells


def test_shutdown_is_not_read_back():
    result = act(action_panel("shutdown"), "shutdown")
    assert result.ok and result.settings_after is None
    assert result.message == "the board acknowledged and is switching off"
    result = act(action_panel("shutdown", ack=False, acknowledges_writes=False), "shutdown")
    assert not result.ok and result.silent_board
    assert result.message.startswith("sent; this board answers commands with nothing")


def test_board_action_refusals(tmp_path):
    with pytest.raises(WriteError, match=r"^this board has no factory reset command that Packbench knows$"):
        act(action_panel("restart"), "factory_reset", tmp_path)
    panel = action_panel("factory_reset")
    with pytest.raises(PasswordError):
        act(panel, "factory_reset", tmp_path, password="1")
    assert panel.sent == [] and list(tmp_path.rglob("*.json")) == []
    result = act(action_panel("restart", ack=False), "restart")
    assert not result.ok and result.message == "the board did not acknowledge: nothing happened"


# --- before sealing ---------------------------------------------------------------------------


def test_sealing_checks_details_and_edges():
    settings = Settings({"cell_count": 4, "balance_trigger_delta_v": 0.010})
    snap = Snapshot(
        cell_voltages_v=[3.30, 3.31, 0.5, 3.30],
        charge_mos_on=False,
        discharge_mos_on=False,
        alarms=["a", "b"],
    ).derive()
    checks = {c.id: c for c in control.sealing_checks(snap, settings)}
    assert checks["fets"].detail == "off: charge, discharge" and checks["fets"].ok is False
    assert checks["alarms"].detail == "a, b"
    # 0.5 V is not "reading 0 V" (below 0.5 V is)
    assert checks["cells"].ok is True and checks["cells"].detail == "configured 4, measured 4"
    low = Snapshot(cell_voltages_v=[3.30, 0.49, 3.30, 3.30]).derive()
    cells = {c.id: c for c in control.sealing_checks(low, settings)}["cells"]
    assert cells.ok is False and cells.detail == "configured 4, measured 4; reading 0 V: cell 2"
    # the cell difference equal to the trigger passes
    even = Snapshot(
        cell_voltages_v=[3.30, 3.31, 3.30, 3.30], charge_mos_on=True, discharge_mos_on=True, alarms=[]
    )
    delta = {c.id: c for c in control.sealing_checks(even.derive(), settings)}["delta"]
    assert delta.ok is True and delta.detail == "0.010 V, trigger 0.010 V"
    five = Settings({"cell_count": 5, "balance_trigger_delta_v": 0.009})
    checks = {c.id: c for c in control.sealing_checks(even.derive(), five)}
    assert checks["delta"].ok is False and checks["cells"].ok is False
    assert checks["fets"].ok is True and checks["fets"].detail == "both on" and checks["alarms"].ok is True
    assert [c.title for c in control.sealing_checks(None, None)] == [
        control.T_FETS,
        control.T_ALARMS,
        control.T_CELLS,
        control.T_DELTA,
    ]
    assert {c.detail for c in control.sealing_checks(None, None)} == {"no live data"}
    waiting = {c.id: c for c in control.sealing_checks(even.derive(), None)}
    assert waiting["cells"].detail == "waiting for the board's settings"
