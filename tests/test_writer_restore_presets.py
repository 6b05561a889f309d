"""writer.restore and the board's own presets (writer.run_board_preset), called directly
against the board doubles (tests/doubles.py); split from test_writer_paths.py, found by the
same mutation testing (issue 24).

Expected values: the JK manual's Appendix 1 (Li-ion column, as shared/presets.md reads it),
presets.md's LTO preset and its interlocks, never the code under test.
"""

from __future__ import annotations

import asyncio

import pytest
from doubles import BOARD, Board, Panel
from test_writer_paths import events, recorded

from app.model import DeviceInfo, Snapshot
from app.services import settings_files, writer
from app.session import SessionError


def run(coro):
    return asyncio.run(coro)


# --- restore ----------------------------------------------------------------------------------------


def test_restore_writes_a_backup_back_with_a_new_backup_first(tmp_path):
    board = Board()
    old = writer.backup(board, BOARD, tmp_path / "old")
    board.values["cell_ovp_v"] = 3.60  # changed since
    report = run(
        writer.restore(board, old, password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path / "new")
    )
    assert report.ok and board.writes() == ["cell_ovp_v"] and board.values["cell_ovp_v"] == 3.65
    assert report.backup.parent == tmp_path / "new" / "SN-1"
    assert settings_files.load(report.backup)["settings"]["cell_ovp_v"] == pytest.approx(3.60)
    with pytest.raises(writer.PasswordError):
        run(writer.restore(board, old, password="1", gate=writer.PasswordGate(), backup_dir=tmp_path))


def test_restore_acknowledges_the_advisories_by_being_chosen(tmp_path):
    """A backup of another board (rule 11) and a cold charge limit (rule 6) are advisories:
    choosing the backup acknowledges them; a hard rule still blocks."""
    other = Board(dict(BOARD, charge_utp_c=-5, charge_utp_recovery_c=5, charge_otp_c=55))
    other.device_info = DeviceInfo(serial_number="SN-2", model="JK-B2A24S")
    path = writer.backup(other, other.values, tmp_path / "other")
    board = Board(dict(BOARD, charge_utp_c=0, charge_utp_recovery_c=5, charge_otp_c=55))
    report = run(
        writer.restore(board, path, password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path)
    )
    assert report.ok and board.values["charge_utp_c"] == -5
    bad = writer.backup(other, dict(other.values, power_off_v=2.60), tmp_path / "bad")
    with pytest.raises(writer.WriteError, match="^blocked by the safety rules"):
        run(writer.restore(board, bad, password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path))


def test_restore_of_a_file_that_is_not_a_backup_writes_nothing(tmp_path):
    junk = tmp_path / "junk.json"
    junk.write_text("not json")
    board = Board()
    with pytest.raises(writer.WriteError, match=r"nothing was written$"):
        run(writer.restore(board, junk, password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path))
    assert board.log == []


# --- the board's own presets (JK02_32S 0x68/0x69/0x6A, presets.md) ----------------------------------

# the JK manual's Appendix 1, Li-ion column (as presets.md reads it, columns exchanged)
VENDOR_LI_ION = {
    "cell_uvp_v": 2.80,
    "cell_uvp_recovery_v": 3.20,
    "cell_ovp_v": 4.20,
    "cell_ovp_recovery_v": 4.10,
    "power_off_v": 2.799,
    "charge_utp_c": -20,
    "charge_utp_recovery_c": -10,
}


def preset_board(applies=VENDOR_LI_ION, **kw) -> Panel:
    board = Panel(dict(BOARD, charge_utp_c=0, charge_utp_recovery_c=5, charge_otp_c=55), **kw)
    real = board.run_action

    async def run_action(name):
        ack = await real(name)
        board.values.update(applies)
        return ack

    board.run_action = run_action
    return board


def test_the_board_presets_are_its_preset_commands():
    board = Board()
    assert writer.board_preset_actions(board) == ["preset_li_ion", "preset_lifepo4", "preset_lto"]
    assert [writer.board_preset_chemistry(a) for a in ("preset_li_ion", "preset_lifepo4", "preset_lto")] == [
        "li-ion",
        "lifepo4",
        "lto",
    ]
    assert writer.board_preset_chemistry("shutdown") is None


def test_a_board_preset_is_backed_up_run_read_back_and_checked(tmp_path, registry_file):
    board = recorded(preset_board())
    board.last_snapshot = Snapshot(cell_voltages_v=[3.30] * 16).derive()
    rep = run(
        writer.run_board_preset(
            board, "preset_li_ion", password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path
        )
    )
    assert rep.action == "preset_li_ion" and rep.acknowledged is True and rep.error == ""
    assert rep.chemistry == "li-ion"
    assert rep.before == dict(BOARD, charge_utp_c=0, charge_utp_recovery_c=5, charge_otp_c=55)
    assert rep.after == dict(rep.before, **VENDOR_LI_ION)
    # before -> after, in the board's schema order
    order = [s.key for s in board.protocol.settings_schema() if s.key in VENDOR_LI_ION]
    assert [(c.key, c.old, c.new) for c in rep.changes] == [
        (k, rep.before[k], VENDOR_LI_ION[k]) for k in order
    ]
    assert rep.backup.parent == tmp_path / "SN-1"
    assert settings_files.load(rep.backup)["settings"]["cell_ovp_v"] == pytest.approx(3.65)
    assert board.sent == [("action", "preset_li_ion")]
    kinds = [e[0] for e in board.log]
    assert ("open", "123456", ("action:preset_li_ion",)) in board.log
    assert kinds.index("command") > kinds.index("open") and board.log[-1] == ("close", False)
    # Packbench's rules on what the board made: the manual's -20 °C charge limit plates lithium
    # (rule 6, Li-ion), and OVP recovery 4.10 V above the untouched 3.60 V "100 %" (rule 2)
    found = {(f.rule, f.keys, f.hard) for f in rep.findings}
    assert (6, ("charge_utp_c",), False) in found
    assert (2, ("cell_ovp_recovery_v", "soc_full_v"), True) in found
    # the cells measured now (3.30 V) lie below the new UVP? no: 3.30 > 2.80, no rule 9
    assert not any(f.rule in (7, 9) for f in rep.findings)
    (event,) = events(registry_file, "action")
    assert event["summary"] == f"preset_li_ion: {len(VENDOR_LI_ION)} setting(s) changed"
    assert event["data"]["action"] == "preset_li_ion" and event["data"]["acknowledged"] is True
    assert event["data"]["backup"] == str(rep.backup)
    assert {(c["key"], c["before"], c["stored"]) for c in event["data"]["changes"]} == {
        (k, rep.before[k], v) for k, v in VENDOR_LI_ION.items()
    }
    reads = [e["data"]["source"] for e in events(registry_file, "settings")]
    assert reads[-1] == "after preset_li_ion"


def test_a_board_preset_is_checked_against_the_cells_measured_now(tmp_path):
    """Rules 7 and 9 on what the preset made: a 15-cell measurement against 16 configured,
    and a cell at 2.75 V at or below the Li-ion preset's 2.80 V UVP."""
    board = preset_board(dict(VENDOR_LI_ION, cell_count=16))
    board.values["cell_count"] = 15
    board.last_snapshot = Snapshot(cell_voltages_v=[2.75] + [3.30] * 14).derive()
    rep = run(
        writer.run_board_preset(
            board, "preset_li_ion", password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path
        )
    )
    found = {(f.rule, f.keys) for f in rep.findings}
    assert (7, ("cell_count",)) in found and (9, ("cell_uvp_v",)) in found
    # a board whose preset changes nothing has nothing to check
    same = preset_board({})
    rep = run(
        writer.run_board_preset(
            same, "preset_lifepo4", password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path
        )
    )
    assert rep.changes == [] and rep.findings == [] and rep.acknowledged is True


def test_a_board_preset_without_an_acknowledgement_says_so(tmp_path):
    board = preset_board()
    board.ack = False
    rep = run(
        writer.run_board_preset(
            board, "preset_li_ion", password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path
        )
    )
    assert rep.acknowledged is False and rep.after["cell_ovp_v"] == 4.20


def test_a_board_preset_lists_settings_not_the_counters_the_board_updates(tmp_path):
    """ANT legacy's remaining and cycle capacity are readings in the settings (not writable):
    a preset that runs while they tick does not list them as changed."""
    board = preset_board({"ant_capacity_remaining_ah": 80.0, "cell_ovp_v": 3.60}, name="ant_legacy")
    board.values.update(ant_capacity_remaining_ah=81.0, cell_ovp_v=3.65)
    rep = run(
        writer.run_board_preset(
            board, "preset_lifepo4", password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path
        )
    )
    assert [(c.key, c.old, c.new) for c in rep.changes] == [("cell_ovp_v", 3.65, 3.60)]


def test_a_board_preset_refusals_send_nothing(tmp_path):
    board = preset_board()
    with pytest.raises(writer.WriteError, match=r"^this board has no preset command 'preset_nmc'$"):
        run(
            writer.run_board_preset(
                board, "preset_nmc", password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path
            )
        )
    with pytest.raises(writer.PasswordError, match="wrong setup password"):
        run(
            writer.run_board_preset(
                board, "preset_lto", password="1", gate=writer.PasswordGate(), backup_dir=tmp_path
            )
        )
    ro = preset_board(read_only_reason="These boards only report.")
    with pytest.raises(writer.WriteError, match=r"^These boards only report\. Nothing was written\.$"):
        run(
            writer.run_board_preset(
                ro, "preset_lto", password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path
            )
        )
    assert board.sent == [] and ro.sent == [] and list(tmp_path.rglob("*.json")) == []


@pytest.mark.parametrize("error", [SessionError("link lost"), OSError("port gone")])
def test_a_board_preset_whose_link_fails_says_the_state_is_unknown(tmp_path, registry_file, error):
    board = recorded(preset_board())
    board.ack = error
    rep = run(
        writer.run_board_preset(
            board, "preset_li_ion", password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path
        )
    )
    assert rep.action == "preset_li_ion"
    assert rep.after is None and rep.acknowledged is False and rep.changes == [] and rep.findings == []
    assert rep.before["cell_ovp_v"] == 3.65 and rep.backup.exists()
    assert rep.error == (
        f"the link failed during the preset command: {error}. The board may or may not have applied it."
    )
    assert board.log[-1] == ("close", False)  # the write mode is left without saving all the same
    (event,) = events(registry_file, "action")
    assert event["summary"] == f"preset_li_ion: {rep.error}"
    assert event["data"] == {
        "action": "preset_li_ion",
        "acknowledged": False,
        "backup": str(rep.backup),
        "error": rep.error,
    }


def test_a_board_preset_is_checked_for_its_chemistry_and_only_on_what_it_changed(tmp_path):
    """presets.md's LTO preset charges down to -30 °C, which is right for LTO (rule 6 warns
    only LiFePO4 and Li-ion): the board's LTO preset is judged as LTO even while the
    untouched OVP (3.65 V) still looks like LiFePO4. The board's old oddity (a charge OTP
    recovery above its OTP, rule 4) is not the preset's finding; a value the preset put off
    the schema's step (0.001 V) is (rule 8)."""
    board = preset_board({"charge_utp_c": -30, "charge_utp_recovery_c": -25, "cell_ovp_recovery_v": 3.5505})
    board.values.update(charge_otp_recovery_c=60, charge_otp_c=55)
    rep = run(
        writer.run_board_preset(
            board, "preset_lto", password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path
        )
    )
    assert rep.chemistry == "lto"
    assert [(f.rule, f.keys) for f in rep.findings] == [(8, ("cell_ovp_recovery_v",))]


def test_restoring_another_boards_backup_records_the_warning_it_acknowledged(tmp_path, registry_file):
    """Rule 11 for a restore: the backup's board (SN-2) is named in what the registry keeps
    of the acknowledged warnings."""
    other = Board()
    other.device_info = DeviceInfo(serial_number="SN-2", model="JK-B2A24S")
    path = writer.backup(other, dict(BOARD, cell_ovp_v=3.64), tmp_path / "other")
    board = recorded(Board())
    report = run(
        writer.restore(board, path, password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path)
    )
    assert report.ok
    (write,) = events(registry_file, "write")
    assert any(
        "saved from another board (serial SN-2; this board is SN-1)" in m
        for m in write["data"]["acknowledged"]
    )
