"""The write transaction's paths that test_writer.py leaves open, found by mutation testing
(``make mutate MODULE=app/services/writer.py``, issue 24): the report's JSON, what the
registry records, the interlocks' inputs that ``prepare`` gathers, the restore of a backup,
the board's own presets, the write order's fallback, values read back within half a step,
and a second interruption during the clean-up.

Expected values come from the transaction's contract (services/writer.py's docstring,
shared/design.md "The session", shared/presets.md's interlocks and the JK manual's
Appendix 1 as presets.md quotes it), never from running the code under test.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from doubles import BOARD, Board

from app.model import DeviceInfo, Snapshot
from app.services import settings_files, writer
from app.services.interlocks import Finding
from app.services.registry import Registry
from app.services.settings_files import Change, Origin
from app.session import SessionError


def run(coro):
    return asyncio.run(coro)


async def plan_and_execute(board, wanted, tmp_path, **kw) -> writer.Report:
    plan = await writer.prepare(board, wanted)
    kw.setdefault("password", "123456")
    kw.setdefault("gate", writer.PasswordGate())
    kw.setdefault("acknowledged", {f.id for f in plan.advisories})
    return await writer.execute(board, plan, backup_dir=tmp_path, **kw)


def status(report: writer.Report, key: str) -> writer.KeyResult:
    return next(r for r in report.results if r.key == key)


def events(path: Path, kind: str) -> list[dict]:
    with Registry(path) as reg:
        (pack,) = reg.find("SN-1")
        return [e for e in reg.timeline(pack["id"]) if e["kind"] == kind]


def recorded(board: Board) -> Board:
    board.settings = None  # packlog asks the session for the settings it read last
    return board


# --- the report as JSON (`settings apply --json`, `control --json`) ----------------------------


def test_the_report_json_names_every_field():
    r = writer.KeyResult("cell_ovp_v", 3.65, 3.64, writer.VERIFIED, 3.64, "a detail")
    assert r.to_json() == {
        "key": "cell_ovp_v",
        "old": 3.65,
        "new": 3.64,
        "status": "verified",
        "readback": 3.64,
        "detail": "a detail",
    }
    report = writer.Report(results=[r], backup=Path("/b/SN-1/x.json"), summary="all 1", interrupted=False)
    assert report.to_json() == {
        "ok": True,
        "backup": "/b/SN-1/x.json",
        "summary": "all 1",
        "interrupted": False,
        "results": [r.to_json()],
    }
    stopped = writer.Report(results=[], interrupted=True).to_json()
    assert stopped["backup"] is None and stopped["interrupted"] is True and stopped["ok"] is False
    assert json.loads(json.dumps(report.to_json())) == report.to_json()


# --- what the pack registry records ------------------------------------------------------------


def test_prepare_records_the_settings_read_before_a_write_and_execute_the_write(tmp_path, registry_file):
    board = recorded(Board())
    report = run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path))
    (read,) = events(registry_file, "settings")
    assert read["data"]["source"] == "before a write"
    assert read["data"]["settings"] == BOARD
    assert read["summary"] == f"{len(BOARD)} settings read (before a write)"
    (write,) = events(registry_file, "write")  # record_as defaults to "write"
    assert write["data"]["results"] == [
        {
            "key": "cell_ovp_v",
            "before": 3.65,
            "requested": 3.64,
            "stored": 3.64,
            "verdict": "verified",
            "detail": "",
        }
    ]
    assert write["data"]["backup"] == str(report.backup)


# --- the interlocks' inputs that prepare gathers -------------------------------------------------


def test_prepare_checks_the_cell_count_the_board_measures_now(tmp_path):
    """presets.md rule 7: cell_count equals the cells the board measures (a 16S setting on a
    board that measures 15 cells blocks)."""
    board = Board()
    board.last_snapshot = Snapshot(cell_voltages_v=[3.30] * 15).derive()
    plan = run(writer.prepare(board, {"cell_count": 16, "cell_ovp_v": 3.64}))
    assert plan.blocking == []  # 16 configured, unchanged: not this write's finding
    plan = run(writer.prepare(board, {"cell_count": 17}))
    assert [(f.rule, f.keys, f.params["measured"]) for f in plan.blocking] == [(7, ("cell_count",), 15)]


def test_prepare_checks_the_cells_measured_now_against_the_new_window(tmp_path):
    """Rule 9: the lowest cell measures 2.52 V, at or below a new UVP of 2.55 V; the highest
    3.62 V at or above a new OVP of 3.62 V."""
    board = Board()
    board.last_snapshot = Snapshot(cell_voltages_v=[2.52] + [3.30] * 14 + [3.62]).derive()
    plan = run(writer.prepare(board, {"cell_uvp_v": 2.55, "cell_ovp_v": 3.62}))
    assert sorted((f.rule, f.keys) for f in plan.advisories) == [(9, ("cell_ovp_v",)), (9, ("cell_uvp_v",))]
    # a snapshot without cell voltages gives no window
    board.last_snapshot = Snapshot(cell_voltages_v=[]).derive()
    assert run(writer.prepare(board, {"cell_uvp_v": 2.55, "cell_ovp_v": 3.62})).advisories == []


def test_prepare_passes_the_chosen_chemistry_and_the_board_before(tmp_path):
    board = Board()
    # 3.64 V is fine for LiFePO4 (3.65 V envelope) but above LTO's 2.85 V (rule 6)
    plan = run(writer.prepare(board, {"cell_ovp_v": 3.64}, chemistry="lto"))
    assert [(f.rule, f.params.get("chemistry")) for f in plan.advisories] == [(6, "LTO")]
    # rule 10: LiFePO4 settings moved to Li-ion's 4.20 V OVP name both chemistries
    plan = run(writer.prepare(board, {"cell_ovp_v": 4.20}))
    (change,) = [f for f in plan.findings if f.rule == 10]
    assert (change.params["old"], change.params["new"]) == ("LiFePO4", "Li-ion")


def test_prepare_reports_only_rules_the_write_involves_and_checks_the_schema(tmp_path):
    # the board already breaks rule 1 (power-off above UVP): an unrelated write is not blocked
    board = Board(dict(BOARD, power_off_v=2.55))
    assert run(writer.prepare(board, {"cell_ovp_v": 3.64})).findings == []
    # rule 8: the schema's step (0.001 V)
    plan = run(writer.prepare(Board(), {"cell_ovp_v": 3.6405}))
    assert [(f.rule, f.keys) for f in plan.blocking] == [(8, ("cell_ovp_v",))]


def test_prepare_names_a_file_from_another_board(tmp_path):
    """Rule 11: the file's serial number against the board's, its cell count against the
    board's setting, or the cells it measures when it has no such setting."""
    board = Board()
    plan = run(
        writer.prepare(board, {"cell_ovp_v": 3.64}, origin=Origin("other.json", "jk02_32s", "SN-2", 15))
    )
    assert sorted((f.keys, tuple(sorted(f.params.items()))) for f in plan.advisories) == [
        (("cell_count",), (("cells", 16), ("file", "other.json"), ("file_cells", 15))),
        (("serial_number",), (("file", "other.json"), ("file_serial", "SN-2"), ("serial", "SN-1"))),
    ]
    values = dict(BOARD)
    del values["cell_count"]
    board = Board(values)
    board.last_snapshot = Snapshot(cell_voltages_v=[3.3] * 14).derive()
    plan = run(writer.prepare(board, {"cell_ovp_v": 3.64}, origin=Origin("f.json", "jk02_32s", "SN-1", 15)))
    assert [f.params for f in plan.advisories] == [{"file": "f.json", "file_cells": 15, "cells": 14}]


def test_a_value_the_board_cannot_take_is_named_with_its_label(tmp_path):
    board = Board()

    def refuse(exc):
        def write_requests(key, value, current=None):
            raise exc

        return write_requests

    board.protocol.write_requests = refuse(NotImplementedError())
    with pytest.raises(writer.WriteError) as err:
        run(writer.prepare(board, {"cell_ovp_v": 3.6}))
    assert str(err.value) == (
        "Cell over-voltage protection (cell_ovp_v) = 3.600 V cannot be sent to this board: . "
        "Nothing was written"
    )
    board.protocol.write_requests = refuse(KeyError())
    with pytest.raises(writer.WriteError, match=r"cannot be sent to this board: \. Nothing"):
        run(writer.prepare(board, {"cell_ovp_v": 3.6}))
    with pytest.raises(writer.WriteError, match=r"^cell_ovp_v: 'high' is not a number: nothing was written$"):
        run(writer.prepare(Board(), {"cell_ovp_v": "high"}))


# --- execute's own refusals and what it passes on -----------------------------------------------


def test_execute_names_every_blocking_finding_and_every_missing_acknowledgement(tmp_path):
    board = Board()
    hard = [
        Finding(1, ("power_off_v",), True, "first"),
        Finding(2, ("cell_ovp_v",), True, "second"),
    ]
    plan = writer.Plan(dict(BOARD), {"cell_ovp_v": 3.64}, [Change("cell_ovp_v", 3.65, 3.64)], [], hard, [])
    with pytest.raises(writer.WriteError, match=r"^blocked by the safety rules: first second$"):
        run(writer.execute(board, plan, password="123456", gate=writer.PasswordGate()))
    plan.findings = [Finding(6, ("a",), False, "one"), Finding(6, ("b",), False, "two")]
    with pytest.raises(writer.WriteError, match=r"^needs your acknowledgement: one two$"):
        run(writer.execute(board, plan, password="123456", gate=writer.PasswordGate()))
    board.values["cell_ovp_v"] = 3.60
    plan.findings = []
    with pytest.raises(
        writer.WriteError,
        match=r"^the board's settings changed since the diff was shown; review the diff again$",
    ):
        run(writer.execute(board, plan, password="123456", gate=writer.PasswordGate()))
    assert board.writes() == []


def test_execute_opens_the_write_mode_for_the_keys_it_writes_and_reports_the_unchanged(tmp_path):
    board = Board()
    report = run(plan_and_execute(board, {"cell_ovp_v": 3.64, "cell_uvp_v": 2.50}, tmp_path))
    assert ("open", "123456", ("cell_ovp_v",)) in board.log
    r = status(report, "cell_uvp_v")
    assert (r.status, r.old, r.new, r.readback) == (writer.UNCHANGED, 2.50, 2.50, 2.50)
    r = status(report, "cell_ovp_v")
    assert (r.status, r.old, r.new, r.readback, r.detail) == (writer.VERIFIED, 3.65, 3.64, 3.64, "")


def test_the_backup_names_its_protocol_and_an_unwritable_folder_its_reason(tmp_path):
    board = Board()
    path = writer.backup(board, dict(BOARD, jk_smart_sleep_h=24), tmp_path)
    doc = settings_files.load(path)
    assert doc["protocol"] == "jk02_32s"
    # each value's unit from the board's schema (jk.md: "smart-sleep time | u8 h")
    assert doc["units"]["jk_smart_sleep_h"] == "h" and doc["units"]["cell_ovp_v"] == "V"
    assert doc["settings"]["cell_ovp_v"] == pytest.approx(3.65)
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(writer.WriteError) as err:
        writer.backup(board, BOARD, blocker)
    # the reason and the folder the backup was to go in
    assert (
        str(err.value) == f"cannot save the backup (Not a directory: {blocker / 'SN-1'}): nothing was written"
    )


# --- the report, key by key ----------------------------------------------------------------------


def test_refused_and_not_stored_keep_the_old_new_and_read_back_values(tmp_path):
    board = Board()
    board.ack, board.keeps = False, set()
    r = status(run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path)), "cell_ovp_v")
    assert (r.status, r.old, r.new, r.readback) == (writer.REFUSED, 3.65, 3.64, 3.65)
    board.has_default_password = False
    r = status(run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path)), "cell_ovp_v")
    assert r.detail == (
        "the board refused the write (no acknowledgement); this board's setup password is not the "
        "factory one, and newer JK-PB firmware may then accept settings only from the vendor app"
    )
    board = Board()
    board.keeps = set()
    r = status(run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path)), "cell_ovp_v")
    assert (r.status, r.old, r.new, r.readback) == (writer.NOT_STORED, 3.65, 3.64, 3.65)
    silent = Board(acknowledges_writes=False)
    silent.ack, silent.keeps = False, set()
    r = status(run(plan_and_execute(silent, {"cell_ovp_v": 3.64}, tmp_path)), "cell_ovp_v")
    assert r.detail == (
        "the board did not take the value (it answers writes with nothing; the read-back shows the old value)"
    )


def test_a_read_back_within_half_a_step_is_the_same_value(tmp_path):
    """The schema's step (0.001 V) decides what "the same value" is: a board that stores
    3.6404 V for 3.640 V holds the new value; 3.6502 V for 3.650 V is still the old one."""
    board = Board()
    board.clamp = {"cell_ovp_v": 3.6404}
    r = status(run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path)), "cell_ovp_v")
    assert r.status == writer.VERIFIED
    board = Board()
    board.clamp = {"cell_ovp_v": 3.6502}
    r = status(run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path)), "cell_ovp_v")
    assert r.status == writer.NOT_STORED


def test_the_read_back_after_saving_compares_within_half_a_step(tmp_path):
    def saving(board, stored):
        real_leave = board._leave

        def leave(save):
            real_leave(save)
            if save:
                board.values.update(stored)

        board._leave = leave
        return board

    board = saving(Board(write_mode=True), {"cell_ovp_v": 3.6404})
    report = run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path))
    assert status(report, "cell_ovp_v").status == writer.VERIFIED
    board = saving(Board(write_mode=True), {"cell_ovp_v": 3.6502})
    report = run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path))
    assert status(report, "cell_ovp_v").status == writer.NOT_STORED
    # the first key kept, the second dropped on saving: each is looked at
    board = Board(write_mode=True)
    board.drops_on_save = {"cell_ovp_v"}
    report = run(plan_and_execute(board, {"cell_uvp_v": 2.45, "cell_ovp_v": 3.64}, tmp_path))
    assert [(r.key, r.status) for r in report.results] == [
        ("cell_uvp_v", writer.VERIFIED),
        ("cell_ovp_v", writer.NOT_STORED),
    ]
    board = saving(Board(write_mode=True), {"cell_ovp_v": 3.63})
    r = status(run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path)), "cell_ovp_v")
    assert r.status == writer.CHANGED_ELSEWHERE and r.detail == (
        "the board now holds 3.630 V, neither the previous 3.650 V nor the requested 3.640 V: changed "
        "by someone else or by the board"
    )


def test_after_a_lost_link_the_read_back_compares_within_half_a_step(tmp_path):
    def dropping(stored):
        board = Board()
        board.write_error = {"cell_ovp_recovery_v": SessionError("dropped")}
        real_write = board.write_setting

        async def write(key, value):
            board.values[key] = stored
            return await real_write(key, value)

        board.write_setting = write
        return board

    r = status(
        run(plan_and_execute(dropping(3.5004), {"cell_ovp_recovery_v": 3.50}, tmp_path)),
        "cell_ovp_recovery_v",
    )
    assert r.status == writer.UNVERIFIED
    r = status(
        run(plan_and_execute(dropping(3.5502), {"cell_ovp_recovery_v": 3.50}, tmp_path)),
        "cell_ovp_recovery_v",
    )
    assert r.status == writer.NOT_STORED
    r = status(
        run(plan_and_execute(dropping(3.52), {"cell_ovp_recovery_v": 3.50}, tmp_path)), "cell_ovp_recovery_v"
    )
    assert r.status == writer.CHANGED_ELSEWHERE and r.detail.startswith(
        "the board now holds 3.520 V, neither"
    )


def test_without_a_write_mode_the_read_back_is_tried_once(tmp_path):
    """A board that stores at once gets no reconnection, and one read-back attempt."""
    board = Board()
    board.write_error = {"cell_ovp_v": SessionError("dropped")}
    board.refresh_errors = [SessionError("no answer")]  # the read-back after the failed write
    r = status(run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path)), "cell_ovp_v")
    assert r.status == writer.FAILED
    assert r.detail == "unknown: the read-back failed: no answer; the board may or may not hold this value"
    assert ("recover",) not in board.log


def test_the_summary_lists_every_key_on_the_board_and_says_who_cancelled(tmp_path):
    board = Board()
    board.keeps = {"cell_uvp_v", "cell_ovp_v"}  # written in this order, then power-off
    report = run(
        plan_and_execute(board, {"cell_ovp_v": 3.64, "cell_uvp_v": 2.45, "power_off_v": 2.35}, tmp_path)
    )
    assert report.summary.startswith(
        "2 of 3 change(s) are on the board; changed: Cell under-voltage protection = 2.450 V, "
        "Cell over-voltage protection = 3.640 V; Auto shutdown voltage: "
    ), report.summary
    cancel = asyncio.Event()
    seen = []

    def progress(i, n, key):
        seen.append((i, n, key))
        if i == 1:
            cancel.set()

    report = run(
        plan_and_execute(
            Board(),
            {"cell_ovp_v": 3.64, "cell_uvp_v": 2.45, "power_off_v": 2.35},
            tmp_path,
            cancel=cancel,
            progress=progress,
        )
    )
    assert report.summary == (
        "2 of 3 change(s) are on the board; changed: Cell under-voltage protection = 2.450 V, "
        "Cell over-voltage protection = 3.640 V; cancelled by you before the rest; "
        f"to undo, restore the previous settings from {report.backup}"
    )
    cancelled = report.results[2]
    assert (cancelled.key, cancelled.old, cancelled.new) == ("power_off_v", 2.40, 2.35)
    # the progress ends at the end, however the transaction stopped
    assert seen[-1] == (3, 3, "")


def test_keys_not_attempted_keep_their_values_and_the_progress_ends(tmp_path):
    board = Board()
    board.keeps = set()
    seen = []
    report = run(
        plan_and_execute(
            board, {"cell_ovp_v": 3.64, "cell_uvp_v": 2.45}, tmp_path, progress=lambda *a: seen.append(a)
        )
    )
    r = status(report, "cell_ovp_v")
    assert (r.status, r.old, r.new) == (writer.NOT_ATTEMPTED, 3.65, 3.64)
    assert seen == [(0, 2, "cell_uvp_v"), (2, 2, "")]


# --- the write order's fallback -------------------------------------------------------------------


def test_the_write_order_keeps_a_step_that_breaks_nothing_new_first():
    """The board breaks rule 1 (power-off above UVP); writing the OVP breaks nothing more,
    writing UVP 2.9 V mends that but breaks UVP < UVP recovery: the harmless step goes first."""
    board = {"power_off_v": 2.5, "cell_uvp_v": 2.4, "cell_uvp_recovery_v": 2.8, "cell_ovp_v": 3.65}
    changes = [Change("cell_uvp_v", 2.4, 2.9), Change("cell_ovp_v", 3.65, 3.64)]
    assert [c.key for c in writer.order_changes(board, changes)] == ["cell_ovp_v", "cell_uvp_v"]


def test_the_write_order_with_no_safe_step_takes_the_one_that_breaks_fewest():
    """Every step breaks something: UVP 3.0 V breaks two relations (below its recovery 2.8 V
    and the balance start 2.9 V), power-off 2.6 V one: power-off goes first."""
    board = {"power_off_v": 2.4, "cell_uvp_v": 2.5, "cell_uvp_recovery_v": 2.8, "balance_start_v": 2.9}
    changes = [Change("cell_uvp_v", 2.5, 3.0), Change("power_off_v", 2.4, 2.6)]
    assert [c.key for c in writer.order_changes(board, changes)] == ["power_off_v", "cell_uvp_v"]


# --- a second interruption, and the clean-up after a real cancellation -------------------------------


def test_a_lost_write_mode_whose_exit_fails_and_that_cannot_reconnect_is_not_saved(tmp_path):
    """The link dropped inside the write mode, leaving it fails too and no reconnection: the
    save command was never sent, so the board drops what it took (not 'unknown')."""
    board = Board(write_mode=True)
    board.close_error = SessionError("no answer")
    board.recovers = False
    real_write = board.write_setting

    async def write(key, value):
        ack = await real_write(key, value)
        board.in_write_mode = False
        return ack

    board.write_setting = write
    r = status(run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path)), "cell_ovp_v")
    assert r.status == writer.NOT_SAVED
    assert r.detail == (
        "written, but the board never got the command that saves it (Packbench could not reconnect "
        "to read it back); the next connection makes the board drop it"
    )


def test_a_lost_write_mode_read_back_after_an_exit_error_is_not_saved(tmp_path):
    board = Board(write_mode=True)
    board.close_error = SessionError("no answer")
    real_write = board.write_setting

    async def write(key, value):
        ack = await real_write(key, value)
        board.in_write_mode = False
        return ack

    board.write_setting = write
    r = status(run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path)), "cell_ovp_v")
    assert r.status == writer.NOT_SAVED and r.readback == 3.65


def test_an_interruption_while_leaving_a_lost_write_mode_is_not_saved(tmp_path):
    board = Board(write_mode=True)
    real_write = board.write_setting

    async def write(key, value):
        ack = await real_write(key, value)
        board.in_write_mode = False
        return ack

    async def close(save=True):
        board.log.append(("close", save))
        raise asyncio.CancelledError

    board.write_setting = write
    board.close_write_mode = close
    with pytest.raises(writer.Interrupted) as exc:
        run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path))
    r = status(exc.value.report, "cell_ovp_v")
    assert ("close", False) in board.log
    assert r.status == writer.NOT_SAVED and "(interrupted while leaving the write mode)" in r.detail


def test_an_interruption_during_the_read_back_says_what_is_certain(tmp_path):
    """Interrupted at the third key inside the write mode, left without saving, interrupted
    again while reading back: nothing was saved, and the report says so for every key touched."""
    board = Board(write_mode=True)
    real_write, real_recover = board.write_setting, board.recover

    async def write(key, value):
        if key == "power_off_v":
            raise asyncio.CancelledError
        return await real_write(key, value)

    async def recover():
        board.refresh_errors = [asyncio.CancelledError()]
        return await real_recover()

    board.write_setting, board.recover = write, recover
    with pytest.raises(writer.Interrupted) as exc:
        run(plan_and_execute(board, {"cell_ovp_v": 3.64, "cell_uvp_v": 2.45, "power_off_v": 2.35}, tmp_path))
    report = exc.value.report
    assert [r.status for r in report.results] == [writer.NOT_SAVED] * 3
    assert report.results[0].detail == (
        "written, but the board never got the command that saves it (interrupted before the board "
        "was read back); the next connection makes the board drop it"
    )


def test_an_interruption_during_the_read_back_after_saving_keeps_what_was_verified(tmp_path):
    board = Board(write_mode=True)
    real_close = board.close_write_mode

    async def close(save=True):
        await real_close(save)
        board.refresh_errors = [asyncio.CancelledError()]

    board.close_write_mode = close
    with pytest.raises(writer.Interrupted) as exc:
        run(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path))
    report = exc.value.report
    assert report.interrupted
    r = status(report, "cell_ovp_v")
    assert (r.status, r.readback) == (writer.VERIFIED, 3.64)  # saved and confirmed before


def test_a_real_cancellation_is_taken_back_before_the_clean_up(tmp_path):
    """The task was cancelled mid-write (Ctrl-C): the clean-up runs with the cancellation
    taken back, so its own timeouts work as usual (asyncio counts pending cancellations)."""
    board = Board(write_mode=True)
    seen = []
    real_close = board.close_write_mode

    async def write(key, value):
        board.log.append(("write", key, value))
        await asyncio.Event().wait()  # the board never answers; the user presses Ctrl-C

    async def close(save=True):
        seen.append(asyncio.current_task().cancelling())
        await real_close(save)

    board.write_setting, board.close_write_mode = write, close

    async def main():
        task = asyncio.create_task(plan_and_execute(board, {"cell_ovp_v": 3.64}, tmp_path))
        while not board.writes():
            await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(writer.Interrupted):
            await task

    run(main())
    assert seen == [0]


def test_an_interrupted_write_keeps_each_keys_old_and_new_values(tmp_path):
    board = Board()
    real_write = board.write_setting

    async def write(key, value):
        if key == "cell_ovp_v":
            raise asyncio.CancelledError
        return await real_write(key, value)

    board.write_setting = write
    with pytest.raises(writer.Interrupted) as exc:
        run(plan_and_execute(board, {"cell_ovp_v": 3.64, "cell_uvp_v": 2.45, "power_off_v": 2.35}, tmp_path))
    assert [(r.key, r.old, r.new) for r in exc.value.report.results] == [
        ("cell_uvp_v", 2.50, 2.45),
        ("cell_ovp_v", 3.65, 3.64),
        ("power_off_v", 2.40, 2.35),
    ]


def test_the_password_gate_says_exactly_why(tmp_path):
    board = Board()
    board.knows_password = False
    with pytest.raises(
        writer.PasswordError,
        match=r"^the board has not reported its setup password; reconnect and try again$",
    ):
        writer.PasswordGate().check(board, "123456")
    with pytest.raises(writer.PasswordError, match=r"^wrong setup password: nothing was written$"):
        writer.PasswordGate().check(Board(), "654321")


def test_boards_without_a_serial_number_are_told_apart_by_their_link():
    """The back-off counts per board: boards that report no serial number, name nor model
    are known by their link (the redacted URL), so one board's lockout is not another's."""
    gate = writer.PasswordGate(clock=lambda: 100.0)
    a, b = Board(), Board()
    for board, url in ((a, "sim://a"), (b, "sim://b")):
        board.device_info = DeviceInfo()
        board.url.redacted = url
    for _ in range(3):
        with pytest.raises(writer.PasswordError, match="wrong setup password"):
            gate.check(a, "1")
    assert gate.wait_s("sim_a") > 0 and gate.wait_s("sim_b") == 0
    gate.check(b, "123456")  # the other board is not locked out


def test_a_file_from_another_board_on_a_board_that_reports_no_identity(tmp_path):
    """Rule 11 with no device information from the board: no serial to compare, and no
    failure; the cell count is still compared."""
    board = Board()
    board.device_info = None
    plan = run(writer.prepare(board, {"cell_ovp_v": 3.64}, origin=Origin("f.json", "jk02_32s", "SN-2", 15)))
    assert [f.keys for f in plan.advisories] == [("cell_count",)]


def test_a_temperature_read_back_is_compared_at_its_own_step(tmp_path):
    """Each key by its own schema row: a charge OTP (0.1 °C step on JK02_32S) stored as
    56.04 °C for 56.0 °C is the value asked for."""
    board = Board(dict(BOARD, charge_otp_c=55.0, charge_otp_recovery_c=50.0))
    board.clamp = {"charge_otp_c": 56.04}
    r = status(run(plan_and_execute(board, {"charge_otp_c": 56.0}, tmp_path)), "charge_otp_c")
    assert r.status == writer.VERIFIED
