"""writer.prepare/execute called directly (no GUI, no CLI in front), against a board double
whose every answer is chosen by the test (issue 24).

The GUI and the CLI check the interlocks and the acknowledgements before they call
``execute``; these tests make sure ``execute`` itself refuses, so a third caller (a batch
job, a script) cannot write through it.  What each outcome must be comes from the
transaction's contract (module docstring of services/writer.py, shared/design.md "The
session", presets.md): hard rules block, advisories need an acknowledgement, nothing is
written before the password gate and the backup, the report says what the board *holds*.
"""

from __future__ import annotations

import asyncio

import pytest
from doubles import BOARD, Board

from app.model import DeviceInfo
from app.services import settings_files, writer
from app.services.interlocks import Finding
from app.services.settings_files import Change
from app.session import BoardPasswordError, SessionError


def run(coro):
    return asyncio.run(coro)


async def plan_and_execute(board: Board, wanted: dict, tmp_path, *, ack_all=True, **kw) -> writer.Report:
    plan = await writer.prepare(board, wanted)
    kw.setdefault("password", "123456")
    kw.setdefault("gate", writer.PasswordGate())
    if ack_all:
        kw.setdefault("acknowledged", {f.id for f in plan.advisories})
    return await writer.execute(board, plan, backup_dir=tmp_path, **kw)


def status(report: writer.Report, key: str) -> writer.KeyResult:
    return next(r for r in report.results if r.key == key)


def backups(tmp_path) -> list:
    return sorted(tmp_path.rglob("*.json"))


def plan_with(board: Board, changes: dict, findings=()) -> writer.Plan:
    """A plan as a caller could hand it to execute (the GUI's, the CLI's, a script's)."""
    return writer.Plan(
        board=dict(board.values),
        wanted=dict(changes),
        changes=[Change(k, board.values.get(k), v) for k, v in changes.items()],
        unchanged=[],
        findings=list(findings),
        schema=writer.writable_schema(board),
    )


HARD = Finding(1, ("power_off_v", "cell_uvp_v"), True, "{lower} below {upper}", {"lower": "a", "upper": "b"})
ADVICE = Finding(6, ("charge_utp_c",), False, "cold {key}", {"key": "charge_utp_c"})


# --- refusals before anything is written ------------------------------------------------------


def test_execute_itself_blocks_on_a_hard_safety_finding(tmp_path):
    """A caller that skipped the interlocks' check (not the GUI, not the CLI) still cannot
    write through a hard finding: WriteError naming it, nothing written, no backup."""
    board = Board()
    plan = plan_with(board, {"cell_ovp_v": 3.64}, [HARD])
    with pytest.raises(writer.WriteError, match=r"^blocked by the safety rules: a below b$"):
        run(writer.execute(board, plan, password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path))
    assert board.writes() == [] and backups(tmp_path) == []
    # acknowledging a hard finding does not unblock it
    with pytest.raises(writer.WriteError, match="blocked"):
        run(
            writer.execute(
                board,
                plan,
                password="123456",
                gate=writer.PasswordGate(),
                acknowledged={HARD.id},
                backup_dir=tmp_path,
            )
        )
    assert board.writes() == []


def test_execute_itself_requires_every_advisory_to_be_acknowledged(tmp_path):
    board = Board()
    other = Finding(12, ("charge_switch",), False, "switch")
    plan = plan_with(board, {"cell_ovp_v": 3.64}, [ADVICE, other])
    for acknowledged in ((), {other.id}, {"rule6:cell_ovp_v"}):
        with pytest.raises(writer.WriteError, match=r"^needs your acknowledgement: ") as exc:
            run(
                writer.execute(
                    board,
                    plan,
                    password="123456",
                    gate=writer.PasswordGate(),
                    acknowledged=acknowledged,
                    backup_dir=tmp_path,
                )
            )
        assert "cold Charge under-temperature" in str(exc.value)
    assert board.writes() == [] and backups(tmp_path) == []
    report = run(
        writer.execute(
            board,
            plan,
            password="123456",
            gate=writer.PasswordGate(),
            acknowledged=[ADVICE.id, other.id],
            backup_dir=tmp_path,
        )
    )
    assert report.ok and board.writes() == ["cell_ovp_v"]


def test_prepare_finds_the_advisories_that_execute_then_requires(tmp_path):
    """The real interlocks through prepare: charging below 0 °C on LiFePO4 is an advisory."""
    board = Board(dict(BOARD, charge_utp_c=0, charge_utp_recovery_c=5, charge_otp_c=55))
    with pytest.raises(writer.WriteError, match="needs your acknowledgement: .*below 0 °C"):
        run(plan_and_execute(board, {"charge_utp_c": -5}, tmp_path, ack_all=False))
    assert board.writes() == []
    report = run(plan_and_execute(board, {"charge_utp_c": -5}, tmp_path))
    assert report.ok


def test_prepare_turns_a_hard_rule_into_a_blocking_plan(tmp_path):
    board = Board()
    plan = run(writer.prepare(board, {"power_off_v": 2.50}))
    assert [(f.rule, f.keys) for f in plan.blocking] == [(1, ("power_off_v", "cell_uvp_v"))]
    assert plan.advisories == []
    with pytest.raises(writer.WriteError, match="blocked by the safety rules: Auto shutdown voltage"):
        run(writer.execute(board, plan, password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path))
    assert board.writes() == []


def test_unknown_keys_and_bad_values_are_refused_before_reading_the_board():
    board = Board()
    with pytest.raises(writer.WriteError, match=r"^this board has no writable setting no_such, zzz$"):
        run(writer.prepare(board, {"zzz": 1, "cell_ovp_v": 3.6, "no_such": 2}))
    with pytest.raises(writer.WriteError, match="nothing was written"):
        run(writer.prepare(board, {"cell_ovp_v": "high"}))
    assert board.log == []  # not even read


def test_a_read_only_board_refuses_with_its_reason(tmp_path):
    board = Board(read_only_reason="These boards only report.")
    with pytest.raises(writer.WriteError, match=r"^These boards only report\. Nothing was written\.$"):
        run(writer.prepare(board, {"cell_ovp_v": 3.6}))
    with pytest.raises(writer.WriteError, match="only report"):
        run(
            writer.execute(
                board, plan_with(board, {"cell_ovp_v": 3.6}), password="1", gate=writer.PasswordGate()
            )
        )
    # asking for nothing is not a write
    assert run(writer.prepare(board, {})).changes == []


def test_a_value_the_board_cannot_take_is_refused_before_the_first_write(tmp_path):
    board = Board()
    board.protocol.write_requests = lambda key, value, current=None: (_ for _ in ()).throw(
        KeyError("no register")
    )
    with pytest.raises(
        writer.WriteError, match=r"cannot be sent to this board: no register\. Nothing was written"
    ):
        run(writer.prepare(board, {"cell_ovp_v": 3.6}))
    board.protocol.write_requests = lambda key, value, current=None: (_ for _ in ()).throw(
        ValueError("too long")
    )
    with pytest.raises(
        writer.WriteError, match=r"\(cell_ovp_v\) = 3.600 V cannot be sent to this board: too long"
    ):
        run(writer.prepare(board, {"cell_ovp_v": 3.6}))


def test_the_board_changed_since_the_plan_is_refused(tmp_path):
    board = Board()
    plan = run(writer.prepare(board, {"cell_ovp_v": 3.64}))
    board.values["cell_ovp_v"] = 3.62  # the phone app, meanwhile
    with pytest.raises(writer.WriteError, match="changed since the diff was shown"):
        run(writer.execute(board, plan, password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path))
    assert board.writes() == [] and backups(tmp_path) == []
    # a value within half a step of the planned one is the same value
    board.values["cell_ovp_v"] = 3.6504
    assert run(
        writer.execute(board, plan, password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path)
    ).ok


# --- the password gate ---------------------------------------------------------------------


@pytest.mark.parametrize("password", [None, ""])
def test_password_gate_asks_for_a_password_when_none_or_empty_is_given(tmp_path, password):
    board = Board()
    with pytest.raises(
        writer.PasswordError, match=r"^enter the board's setup password \(factory default 123456\)$"
    ):
        run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path, password=password))
    assert board.writes() == [] and backups(tmp_path) == []
    assert not any(e[0] == "open" for e in board.log)


def test_password_gate_needs_the_board_to_have_reported_its_password(tmp_path):
    board = Board()
    board.knows_password = False
    with pytest.raises(writer.PasswordError, match="has not reported its setup password"):
        run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path))
    assert board.writes() == []


def test_password_gate_backs_off_after_three_wrong_passwords():
    """5 s after the third wrong one, then 10, 20, 40 and at most 60 s; a right one clears it."""
    board = Board()
    now = [1000.0]
    gate = writer.PasswordGate(clock=lambda: now[0])
    waits = []
    for _ in range(7):
        with pytest.raises(writer.PasswordError, match="wrong setup password: nothing was written"):
            gate.check(board, "000000")
        waits.append(gate.wait_s("SN-1"))
        if waits[-1]:
            with pytest.raises(
                writer.PasswordError, match=rf"^too many wrong passwords: try again in {waits[-1]:.0f} s$"
            ):
                gate.check(board, "123456")  # even the right one waits
            now[0] += waits[-1] - 0.5
            with pytest.raises(writer.PasswordError, match="try again in 0 s"):
                gate.check(board, "123456")
            now[0] += 0.5
    assert waits == [0.0, 0.0, 5.0, 10.0, 20.0, 40.0, 60.0]
    gate.check(board, "123456")  # the wait is over: accepted, and the count starts again
    with pytest.raises(writer.PasswordError, match="wrong"):
        gate.check(board, "000000")
    assert gate.wait_s("SN-1") == 0.0


def test_password_gate_is_per_board():
    a, b = Board(), Board()
    b.device_info = DeviceInfo(serial_number="SN-2")
    gate = writer.PasswordGate(clock=lambda: 0.0)
    for _ in range(3):
        with pytest.raises(writer.PasswordError):
            gate.check(a, "x")
    assert gate.wait_s("SN-1") == 5.0 and gate.wait_s("SN-2") == 0.0
    gate.check(b, "123456")


def test_password_gate_leaves_board_checked_and_password_less_protocols_alone(tmp_path):
    """JBD checks the password itself (only when it asks); Daly A5 has none."""
    for check in ("board", "none"):
        board = Board(password_check=check)
        board.knows_password = False
        writer.PasswordGate().check(board, None)
        report = run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path, password=None))
        assert report.ok, check


def test_a_password_the_board_refuses_counts_and_writes_nothing(tmp_path):
    board = Board(password_check="board")
    board.open_error = BoardPasswordError("the board refused the password")
    gate = writer.PasswordGate(clock=lambda: 0.0)
    for _ in range(3):
        with pytest.raises(writer.PasswordError, match="^the board refused the password$"):
            run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path, gate=gate, password="1"))
    assert gate.wait_s("SN-1") == 5.0
    assert board.writes() == []
    # no password sent: nothing to count
    gate2 = writer.PasswordGate(clock=lambda: 0.0)
    for _ in range(4):
        with pytest.raises(writer.PasswordError):
            run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path, gate=gate2, password=None))
    assert gate2.wait_s("SN-1") == 0.0


def test_a_board_accepting_the_password_clears_the_count(tmp_path):
    board = Board(password_check="board")
    gate = writer.PasswordGate(clock=lambda: 0.0)
    gate.refused(board)
    gate.refused(board)
    run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path, gate=gate, password="1"))
    gate.refused(board)  # one more after the accepted one is the first again
    assert gate.wait_s("SN-1") == 0.0


def test_a_link_failure_opening_the_write_mode_writes_nothing(tmp_path):
    board = Board()
    board.open_error = SessionError("no answer")
    with pytest.raises(writer.WriteError, match=r"^no answer: nothing was written$"):
        run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path))
    assert board.writes() == []


# --- the backup ------------------------------------------------------------------------------


def test_the_backup_holds_the_boards_values_before_the_first_write(tmp_path):
    board = Board()
    report = run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path))
    assert backups(tmp_path) == [report.backup]
    assert report.backup.parent == tmp_path / "SN-1"
    assert settings_files.load(report.backup)["settings"]["cell_ovp_v"] == pytest.approx(3.65)
    assert board.log.index(("write", "cell_ovp_v", 3.64)) > [e[0] for e in board.log].index("open")


def test_an_unwritable_backup_folder_stops_before_writing(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    board = Board()
    with pytest.raises(writer.WriteError, match=r"^cannot save the backup \(.*\): nothing was written$"):
        run(plan_and_execute(board, {"cell_ovp_v": 3.64}, blocker))
    assert board.writes() == []


# --- what the report says ------------------------------------------------------------------


def test_acknowledged_and_read_back_equal_is_verified(tmp_path):
    board = Board()
    seen = []
    report = run(
        plan_and_execute(
            board, {"cell_ovp_v": 3.64, "cell_uvp_v": 2.50}, tmp_path, progress=lambda *a: seen.append(a)
        )
    )
    assert report.ok and report.summary == "all 1 change(s) written and verified"
    assert [(r.key, r.status) for r in report.results] == [
        ("cell_ovp_v", "verified"),
        ("cell_uvp_v", "unchanged"),
    ]
    r = status(report, "cell_ovp_v")
    assert (r.old, r.new, r.readback) == (3.65, 3.64, 3.64)
    assert seen == [(0, 1, "cell_ovp_v"), (1, 1, "")]
    # each key is read back right after its write
    i = board.log.index(("write", "cell_ovp_v", 3.64))
    assert board.log[i + 1] == ("refresh", ("cell_ovp_v",))
    assert report.to_json()["ok"] is True and report.to_json()["results"][0]["status"] == "verified"


def test_nothing_to_write_says_so_and_makes_no_backup(tmp_path):
    board = Board()
    report = run(plan_and_execute(board, {"cell_ovp_v": 3.65}, tmp_path))
    assert report.ok and report.summary == "nothing to write: the board already has these values"
    assert [r.status for r in report.results] == [writer.UNCHANGED]
    assert report.backup is None and backups(tmp_path) == [] and board.writes() == []


def test_a_write_with_no_acknowledgement_is_not_verified(tmp_path):
    """Stored, but the board sent no acknowledgement: UNVERIFIED, and the report is not ok."""
    board = Board()
    board.ack = False
    report = run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path))
    r = status(report, "cell_ovp_v")
    assert r.status == writer.UNVERIFIED and r.detail == "stored, but the board sent no acknowledgement"
    assert not report.ok
    assert report.summary.startswith(
        "1 of 1 change(s) are on the board; "
        "Cell over-voltage protection: stored, but the board sent no acknowledgement; to undo, restore"
    )


def test_unverified_is_never_counted_as_ok():
    for st in (writer.UNVERIFIED, writer.NOT_STORED, writer.REFUSED, writer.FAILED, writer.CHANGED_ELSEWHERE):
        assert not writer.Report(results=[writer.KeyResult("k", 1, 2, st)]).ok, st
    for st in (writer.VERIFIED, writer.UNCHANGED):
        assert writer.Report(results=[writer.KeyResult("k", 1, 2, st)]).ok
    assert not writer.Report(results=[], interrupted=True).ok
    assert writer.OK_STATUSES == {writer.VERIFIED, writer.UNCHANGED}


def test_a_silent_board_is_verified_by_its_read_back(tmp_path):
    """ANT legacy answers writes with nothing: the read-back is the only check."""
    board = Board(acknowledges_writes=False)
    board.ack = False
    assert run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path)).ok
    board.keeps = set()
    report = run(plan_and_execute(board, {"cell_ovp_v": 3.62}, tmp_path))
    r = status(report, "cell_ovp_v")
    assert r.status == writer.REFUSED and r.detail.startswith("the board did not take the value (it answers")


def test_acknowledged_but_not_stored_is_flagged_and_stops_the_transaction(tmp_path):
    board = Board()
    board.keeps = {"soc_full_v"}
    # moving the triple down writes OVPR first (presets.md rule 2)
    report = run(
        plan_and_execute(
            board, {"cell_ovp_v": 3.60, "soc_full_v": 3.55, "cell_ovp_recovery_v": 3.50}, tmp_path
        )
    )
    assert [(r.key, r.status) for r in report.results] == [
        ("cell_ovp_recovery_v", writer.NOT_STORED),
        ("soc_full_v", writer.NOT_ATTEMPTED),
        ("cell_ovp_v", writer.NOT_ATTEMPTED),
    ]
    r = report.results[0]
    assert r.readback == 3.55 and r.detail == "the board acknowledged the write but kept the old value"
    assert board.writes() == ["cell_ovp_recovery_v"]
    assert not report.ok
    # nothing to undo: the backup is not offered
    assert report.summary == (
        "nothing was changed on the board; Cell over-voltage recovery: the board acknowledged the write "
        "but kept the old value"
    )


def test_refused_without_acknowledgement_and_the_jk_password_hint(tmp_path):
    board = Board()
    board.ack, board.keeps = False, set()
    report = run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path))
    r = status(report, "cell_ovp_v")
    assert r.status == writer.REFUSED and r.detail == "the board refused the write (no acknowledgement)"
    assert report.summary.startswith("nothing was changed on the board")
    assert str(report.backup) not in report.summary  # nothing to undo
    board.has_default_password = False
    r = status(run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path)), "cell_ovp_v")
    assert "newer JK-PB firmware may then accept settings only from the vendor app" in r.detail


def test_a_clamped_value_is_changed_elsewhere(tmp_path):
    board = Board()
    board.clamp = {"cell_ovp_v": 3.61}
    report = run(plan_and_execute(board, {"cell_ovp_v": 3.64, "cell_uvp_v": 2.45}, tmp_path))
    r = status(report, "cell_ovp_v")
    assert r.status == writer.CHANGED_ELSEWHERE and r.readback == 3.61
    assert r.detail == (
        "the board now holds 3.610 V, neither the previous 3.650 V nor the requested 3.640 V: changed "
        "by someone else or by the board"
    )
    assert status(report, "cell_uvp_v").status == writer.VERIFIED  # written first (the order)
    assert report.written == [status(report, "cell_uvp_v"), r]
    assert report.summary.startswith(
        "1 of 2 change(s) are on the board; changed: Cell under-voltage protection = 2.450 V; "
        "Cell over-voltage protection: the board now holds 3.610 V"
    )
    assert f"to undo, restore the previous settings from {report.backup}" in report.summary


def test_a_link_failure_during_a_write_is_failed_and_the_rest_not_attempted(tmp_path):
    board = Board()
    board.write_error = {"cell_uvp_v": SessionError("link lost")}
    real_write = board.write_setting

    async def write(key, value):
        board.connected = False  # the link is gone: no read-back possible
        return await real_write(key, value)

    board.write_setting = write
    report = run(plan_and_execute(board, {"cell_uvp_v": 2.45, "cell_ovp_v": 3.64}, tmp_path))
    assert [(r.key, r.status) for r in report.results] == [
        ("cell_uvp_v", writer.FAILED),
        ("cell_ovp_v", writer.NOT_ATTEMPTED),
    ]
    failed = status(report, "cell_uvp_v")
    assert failed.detail == "unknown: the link is down; the board may or may not hold this value"
    assert not report.ok
    assert report.summary.startswith(
        "0 of 2 change(s) are on the board; Cell under-voltage protection: unknown"
    )
    assert str(report.backup) in report.summary


def test_a_link_failure_during_a_write_is_read_back_on_a_live_link(tmp_path):
    board = Board()
    board.write_error = {"cell_uvp_v": SessionError("link lost")}
    report = run(plan_and_execute(board, {"cell_uvp_v": 2.45, "cell_ovp_v": 3.64}, tmp_path))
    assert [(r.key, r.status) for r in report.results] == [
        ("cell_uvp_v", writer.NOT_STORED),
        ("cell_ovp_v", writer.NOT_ATTEMPTED),
    ]
    assert status(report, "cell_uvp_v").detail == "the board still holds 2.500 V"


def test_several_verified_then_one_failure_says_which_are_on_the_board(tmp_path):
    board = Board()
    board.keeps = {"cell_uvp_v"}
    report = run(plan_and_execute(board, {"cell_ovp_v": 3.64, "cell_uvp_v": 2.45}, tmp_path))
    assert [(r.key, r.status) for r in report.results] == [
        ("cell_uvp_v", writer.VERIFIED),
        ("cell_ovp_v", writer.NOT_STORED),
    ]
    assert report.summary == (
        "1 of 2 change(s) are on the board; changed: Cell under-voltage protection = 2.450 V; "
        "Cell over-voltage protection: the board acknowledged the write but kept the old value; "
        f"to undo, restore the previous settings from {report.backup}"
    )


# --- leaving the write mode and the read-back after saving (JBD-like) ------------------------


def test_write_mode_board_saves_on_leaving_and_is_read_back_after_saving(tmp_path):
    board = Board(write_mode=True)
    report = run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path))
    assert report.ok and board.saved["cell_ovp_v"] == 3.64
    kinds = [e[0] for e in board.log]
    close = board.log.index(("close", True))
    assert "refresh" in kinds[close + 1 :], "the read-back after saving was skipped"


def test_a_value_the_board_drops_when_it_saves_is_not_stored(tmp_path):
    board = Board(write_mode=True)
    board.drops_on_save = {"cell_ovp_v"}
    report = run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path))
    r = status(report, "cell_ovp_v")
    assert r.status == writer.NOT_STORED and r.readback == 3.65
    assert r.detail == ("the board took the value but did not keep it when it saved: it now holds 3.650 V")
    assert not report.ok


def test_a_value_changed_when_the_board_saves_is_changed_elsewhere(tmp_path):
    board = Board(write_mode=True)
    real_leave = board._leave

    def leave(save):
        real_leave(save)
        board.values["cell_ovp_v"] = 3.63

    board._leave = leave
    r = status(run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path)), "cell_ovp_v")
    assert r.status == writer.CHANGED_ELSEWHERE and r.readback == 3.63


def test_a_failed_read_back_after_saving_is_unverified(tmp_path):
    board = Board(write_mode=True)
    original = board.close_write_mode

    async def close(save=True):
        await original(save)
        board.refresh_errors.append(SessionError("timeout"))

    board.close_write_mode = close
    report = run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path))
    r = status(report, "cell_ovp_v")
    assert r.status == writer.UNVERIFIED
    assert r.detail == "written, but the read-back after saving failed: timeout"
    assert not report.ok


def test_a_failure_to_leave_the_write_mode_is_not_reported_verified(tmp_path):
    """The board stores on leaving its write mode; leaving fails, the reconnection leaves it
    without saving, the read-back shows the old value: NOT_SAVED, never VERIFIED."""
    board = Board(write_mode=True)
    board.close_error = SessionError("no answer to the exit command")
    report = run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path))
    r = status(report, "cell_ovp_v")
    assert r.status == writer.NOT_SAVED
    assert r.detail == "written, but never saved (the link failed first): the board still holds 3.650 V"
    assert not report.ok
    assert ("recover",) in board.log and board.saved["cell_ovp_v"] == 3.65


def test_a_failure_to_leave_the_write_mode_without_a_read_back_is_unknown(tmp_path):
    board = Board(write_mode=True)
    board.close_error = SessionError("no answer")
    board.recovers = False
    report = run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path))
    r = status(report, "cell_ovp_v")
    assert r.status == writer.FAILED
    assert r.detail == (
        "unknown: Packbench could not reconnect to read it back; the board may or may not hold this value"
    )
    assert not report.ok and str(report.backup) in report.summary


def test_a_board_without_write_mode_whose_exit_fails_is_read_back(tmp_path):
    """JK stores at once: an error at the end is a lost link, the live link is read back."""
    board = Board()
    board.close_error = SessionError("gone")
    report = run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path))
    r = status(report, "cell_ovp_v")
    assert r.status == writer.VERIFIED and r.readback == 3.64 and r.detail == "written, but gone"
    assert ("recover",) not in board.log
    board.connected = False
    report = run(plan_and_execute(board, {"cell_ovp_v": 3.62}, tmp_path))
    assert status(report, "cell_ovp_v").status == writer.VERIFIED  # stored at once: as verified


def test_a_write_mode_lost_mid_write_is_reconciled_key_by_key(tmp_path):
    """The link dropped inside the write mode (in_write_mode is False afterwards): nothing is
    saved; the read-back after the reconnection says what the board holds."""
    board = Board(write_mode=True)
    real_write = board.write_setting

    async def write(key, value):
        ack = await real_write(key, value)
        board.in_write_mode = False  # the board left the mode: the link dropped
        return ack

    board.write_setting = write
    report = run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path))
    assert ("close", False) in board.log  # left without saving
    r = status(report, "cell_ovp_v")
    assert r.status == writer.NOT_SAVED and "never saved (the link failed first)" in r.detail


def test_reconcile_marks_new_values_unverified_and_others_changed_elsewhere(tmp_path):
    board = Board()
    board.write_error = {"cell_ovp_recovery_v": SessionError("dropped")}
    real_write = board.write_setting

    async def write(key, value):
        if key == "cell_ovp_recovery_v":
            board.values[key] = value  # it took it before the link died
        return await real_write(key, value)

    board.write_setting = write
    report = run(plan_and_execute(board, {"cell_ovp_recovery_v": 3.50}, tmp_path))
    r = status(report, "cell_ovp_recovery_v")
    assert r.status == writer.UNVERIFIED
    assert r.detail == "the board holds the new value (read back afterwards)"
    board2 = Board()
    board2.write_error = {"cell_ovp_recovery_v": SessionError("dropped")}
    real2 = board2.write_setting

    async def write2(key, value):
        board2.values[key] = 3.52
        return await real2(key, value)

    board2.write_setting = write2
    r = status(run(plan_and_execute(board2, {"cell_ovp_recovery_v": 3.50}, tmp_path)), "cell_ovp_recovery_v")
    assert r.status == writer.CHANGED_ELSEWHERE and "neither the previous 3.550 V" in r.detail
    board3 = Board()
    board3.write_error = {"cell_ovp_recovery_v": SessionError("dropped")}
    r = status(run(plan_and_execute(board3, {"cell_ovp_recovery_v": 3.50}, tmp_path)), "cell_ovp_recovery_v")
    assert r.status == writer.NOT_STORED and r.detail == "the board still holds 3.550 V"


def test_a_read_back_that_fails_twice_after_reconnecting_gives_up(tmp_path):
    board = Board(write_mode=True)
    board.close_error = SessionError("no answer")
    original = board.recover

    async def recover():
        if not any(e[0] == "recover" for e in board.log):
            board.refresh_errors = [SessionError("again"), OSError("and again")]
        return await original()

    board.recover = recover
    report = run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path))
    r = status(report, "cell_ovp_v")
    assert r.status == writer.FAILED
    assert r.detail == "unknown: the read-back failed: and again; the board may or may not hold this value"
    assert [e for e in board.log if e[0] == "recover"] == [("recover",)] * 2  # one bounded retry


# --- the user cancels, the task is interrupted ---------------------------------------------


def test_cancel_between_keys_writes_no_more(tmp_path):
    board = Board()
    cancel = asyncio.Event()

    def progress(i, n, key):
        if i == 1:
            cancel.set()

    report = run(
        plan_and_execute(
            board,
            {"cell_ovp_v": 3.64, "cell_uvp_v": 2.45, "power_off_v": 2.35},
            tmp_path,
            cancel=cancel,
            progress=progress,
        )
    )
    statuses = [r.status for r in report.results]
    assert statuses[0] == writer.VERIFIED and statuses[1] == writer.VERIFIED
    assert statuses[2] == writer.CANCELLED and len(board.writes()) == 2
    assert not report.ok and "cancelled by you before the rest" in report.summary


THREE = {"cell_ovp_v": 3.64, "cell_uvp_v": 2.45, "power_off_v": 2.35}  # written UVP, OVP, power-off


def interrupt_at(board: Board, at: str) -> None:
    real_write = board.write_setting

    async def write(key, value):
        if key == at:
            raise asyncio.CancelledError
        return await real_write(key, value)

    board.write_setting = write


def test_an_interrupted_write_mode_board_saves_nothing_and_says_so(tmp_path):
    board = Board(write_mode=True)
    interrupt_at(board, "power_off_v")
    with pytest.raises(writer.Interrupted) as exc:
        run(plan_and_execute(board, THREE, tmp_path))
    report = exc.value.report
    assert report.interrupted and not report.ok
    assert ("close", False) in board.log and ("close", True) not in board.log  # left without saving
    assert [(r.key, r.status) for r in report.results] == [
        ("cell_uvp_v", writer.NOT_SAVED),
        ("cell_ovp_v", writer.NOT_SAVED),
        ("power_off_v", writer.NOT_SAVED),
    ]
    assert report.results[0].detail == (
        "written, but never saved (interrupted first): the board still holds 2.500 V"
    )
    assert report.summary.startswith("nothing was changed on the board; interrupted; ")


def test_an_interrupted_write_says_which_keys_the_board_holds(tmp_path):
    board = Board()
    interrupt_at(board, "cell_ovp_v")
    with pytest.raises(writer.Interrupted) as exc:
        run(plan_and_execute(board, THREE, tmp_path))
    report = exc.value.report
    assert [(r.key, r.status) for r in report.results] == [
        ("cell_uvp_v", writer.VERIFIED),
        ("cell_ovp_v", writer.CANCELLED),
        ("power_off_v", writer.CANCELLED),
    ]
    assert report.results[1].detail == "interrupted: the board still holds 3.650 V"
    assert report.results[2].detail == "interrupted before this key"
    assert report.summary.startswith(
        "1 of 3 change(s) are on the board; changed: Cell under-voltage protection = 2.450 V; "
        "interrupted before the rest"
    )


def test_an_interruption_while_leaving_the_write_mode_says_what_is_certain(tmp_path):
    board = Board(write_mode=True)

    async def close(save=True):
        board.log.append(("close", save))
        raise asyncio.CancelledError

    board.close_write_mode = close
    with pytest.raises(writer.Interrupted) as exc:
        run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path))
    r = status(exc.value.report, "cell_ovp_v")
    assert r.status == writer.FAILED
    assert r.detail == (
        "unknown: interrupted while leaving the write mode; the board may or may not hold this value"
    )


# --- the write order ------------------------------------------------------------------------


def test_the_write_order_keeps_every_intermediate_state_valid():
    """presets.md rule 2: moving all three up writes OVP first, moving them down OVPR first."""
    board = {"cell_ovp_v": 3.65, "soc_full_v": 3.60, "cell_ovp_recovery_v": 3.55}
    up = {"cell_ovp_v": 4.20, "soc_full_v": 4.15, "cell_ovp_recovery_v": 4.10}
    down = {"cell_ovp_v": 2.80, "soc_full_v": 2.75, "cell_ovp_recovery_v": 2.70}

    def order(target):
        return [c.key for c in writer.order_changes(board, settings_files.diff(board, target))]

    assert order(up) == ["cell_ovp_v", "soc_full_v", "cell_ovp_recovery_v"]
    assert order(down) == ["cell_ovp_recovery_v", "soc_full_v", "cell_ovp_v"]


def test_the_write_order_with_no_safe_step_takes_the_least_harm_first():
    # the board already breaks rule 1 and each change alone breaks one more relation
    board = {"power_off_v": 2.5, "cell_uvp_v": 2.4, "cell_uvp_recovery_v": 2.8}
    changes = [Change("cell_uvp_recovery_v", 2.8, 2.3), Change("power_off_v", 2.5, 2.9)]
    order = [c.key for c in writer.order_changes(board, changes)]
    assert sorted(order) == ["cell_uvp_recovery_v", "power_off_v"]
    # recovery 2.3 breaks uvp<recovery (one new); power-off 2.9 keeps one broken: power-off first
    assert order == ["power_off_v", "cell_uvp_recovery_v"]
