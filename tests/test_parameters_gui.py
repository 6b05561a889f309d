"""The editable Parameters tab and the write transaction, through the real window.

pytest-qt offscreen + qasync (style A, tests/conftest.py), against the
in-process simulator.  Backups go to tmp_path (PACKBENCH_DATA_DIR); the OS
keychain is replaced by a dict.  Screenshots of the tab with a preset applied,
the review dialog and the report land in tests/_artifacts/ for people to look at.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from boards import run_on_loop as run  # noqa: E402
from presets_md import changed_keys, preset_values  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from app.services import keychain, presets, settings_files, writer  # noqa: E402
from app.session import DeviceSession  # noqa: E402
from app.ui.board_preset_dialog import BoardPresetDialog  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.write_dialog import WriteDialog  # noqa: E402

pytestmark = pytest.mark.gui

ARTIFACTS = Path(__file__).parent / "_artifacts"
T = 10_000
LEFT = Qt.MouseButton.LeftButton
LI_ION_16S = "sim://jk02_32s?cells=16&chemistry=li-ion&seed=3"


# window, loop_errors, keyring_fake: tests/conftest.py


def connect(qtbot, win: MainWindow, url: str):
    """Connect, open the Parameters tab; the simulator behind the session."""
    win.bridge.connect_device(url)
    page = win.parameters_page
    qtbot.waitUntil(
        lambda: (
            win.bridge.state == "live"
            and page.editor("cell_ovp_v") is not None
            and page.editor("cell_ovp_v").isEnabled()
        ),
        timeout=T,
    )
    win.tabs.setCurrentWidget(page)
    return win.bridge.session._transport.sim


def backups(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "data" / "backups"
    return sorted(folder.rglob("*.json")) if folder.exists() else []


#: what a JK-PB's LiFePO4 preset adds to presets.md's table: the charge and float voltage the
#: board requests from an inverter (Packbench's choice: at the over-voltage recovery and the
#: balance start, below the cut-off), and the balance current the pack profile offers by
#: default (2 A: at most 0.1 C, presets.md rule 5)
JK_LIFEPO4 = {"jk_rcv_v": 3.55, "jk_rfv_v": 3.40, "balance_max_current_a": 2.0}


def apply_lifepo4(qtbot, page, cells=16, capacity=280.0) -> dict:
    """Apply the LiFePO4 preset with this pack in the form; what presets.md says it sets, for
    the settings this board has (not what services/presets.py computes: that is under test)."""
    page.panel.select_builtin("lifepo4")
    page.panel.cells.setValue(cells)
    page.panel.capacity.setValue(capacity)
    qtbot.mouseClick(page.panel.apply_button, LEFT)
    keys = {s.key for s in writer.writable_schema(page.bridge.session)}
    return {k: v for k, v in preset_values("lifepo4", cells=cells, capacity_ah=capacity).items() if k in keys}


def expected_changes(before: dict, wanted: dict, schema, also=None) -> list[str]:
    return sorted(changed_keys(before, wanted, {s.key for s in schema}, also=also or {}))


def open_review(qtbot, page) -> WriteDialog:
    assert page.review_button.isEnabled()
    qtbot.mouseClick(page.review_button, LEFT)
    qtbot.waitUntil(lambda: isinstance(page.dialog, WriteDialog) and page.dialog.isVisible(), timeout=T)
    return page.dialog


def diff_keys(dlg: WriteDialog) -> list[str]:
    return [dlg.diff_table.item(r, 4).text() for r in range(dlg.diff_table.rowCount())]


def report_rows(dlg: WriteDialog) -> list[tuple[str, str]]:
    t = dlg.report_table
    return [(t.item(r, 0).text(), t.item(r, 4).text()) for r in range(t.rowCount())]


def write_with(qtbot, dlg: WriteDialog, password: str, tick: bool = True) -> None:
    if tick:
        for box in dlg.advisory_boxes().values():
            box.setChecked(True)
    dlg.password_box.edit.clear()
    qtbot.keyClicks(dlg.password_box.edit, password)
    assert dlg.write_button.isEnabled()
    qtbot.mouseClick(dlg.write_button, LEFT)


def test_lifepo4_preset_written_verified_and_restored_from_backup(
    qtbot, window, tmp_path, keyring_fake, loop_errors
):
    win = window
    page = win.parameters_page
    sim = connect(qtbot, win, LI_ION_16S)
    before = dict(sim.settings)
    schema = writer.writable_schema(win.bridge.session)
    # the pack profile comes from the board
    assert page.panel.cells.value() == 16
    assert page.panel.charge.value() == pytest.approx(before["charge_ocp_a"])

    wanted = apply_lifepo4(qtbot, page)
    expected = expected_changes(before, wanted, schema, also=JK_LIFEPO4)
    assert "cell_ovp_v" in expected and "capacity_nominal_ah" in expected
    assert page.is_highlighted("cell_ovp_v") and page.editor("cell_ovp_v").value() == 3.65
    assert not page.is_highlighted("cell_count")  # same as the board: not a change
    assert not page.is_highlighted("mos_otp_c")  # a board key: the preset leaves it alone
    assert page.changes_label.text() == f"{len(expected)} change(s) in the form"
    assert "LiFePO4" in page.source_label.text() and "280 Ah" in page.source_label.text()
    assert sim.writes == []  # applying a preset writes nothing
    page.tree.setCurrentItem(page._rows["cell_ovp_v"].item)
    ARTIFACTS.mkdir(exist_ok=True)
    assert win.grab().save(str(ARTIFACTS / "parameters_preset.png"))

    dlg = open_review(qtbot, page)
    assert sorted(diff_keys(dlg)) == sorted(expected)
    order = diff_keys(dlg)  # moving the OVP triple down: OVPR first, OVP last
    assert order.index("cell_ovp_recovery_v") < order.index("soc_full_v") < order.index("cell_ovp_v")
    assert dlg.advisory_boxes(), "cells at 3.7 V above a 3.65 V OVP must need an acknowledgement"
    assert not dlg.write_button.isEnabled()
    assert dlg.password_box.default_warning.isVisible()
    assert dlg.password_box.remember_box.isEnabled()
    assert dlg.grab().save(str(ARTIFACTS / "write_review.png"))

    dlg.password_box.remember_box.setChecked(True)
    write_with(qtbot, dlg, "123456")
    qtbot.waitUntil(lambda: dlg.report is not None, timeout=T)
    assert dlg.report.ok, dlg.state_label.text()
    rows = report_rows(dlg)
    assert {status for _label, status in rows} == {"written and verified", "unchanged"}
    assert sum(status == "written and verified" for _l, status in rows) == len(expected)
    assert dlg.report_title.text() == "Written and verified"
    # only what differed was written, and the board has every preset value
    assert len(sim.writes) == len(expected)
    for key, value in wanted.items():
        assert sim.settings[key] == pytest.approx(value), key
    files = backups(tmp_path)
    assert len(files) == 1 and dlg.report.backup == files[0]
    assert "123456" not in files[0].read_text(encoding="utf-8")
    assert settings_files.load(files[0])["settings"]["cell_ovp_v"] == pytest.approx(4.2)
    assert str(files[0]) in dlg.backup_label.text()
    assert keyring_fake == {page.passwords.device(win.bridge.session): "123456"}
    assert dlg.grab().save(str(ARTIFACTS / "write_report.png"))
    # the table shows what the board has now
    qtbot.waitUntil(lambda: page.row_text("cell_ovp_v")[1] == "3.650 V", timeout=T)

    # undo through the GUI: the board gets exactly its previous settings back
    assert dlg.restore_button.isVisible() and dlg.restore_button.isEnabled()
    qtbot.mouseClick(dlg.restore_button, LEFT)
    qtbot.waitUntil(lambda: dlg.restore_report is not None, timeout=T)
    assert dlg.restore_report.ok, dlg.state_label.text()
    assert dlg.report_title.text().startswith("Restored")
    for key, value in before.items():
        assert sim.settings[key] == pytest.approx(value), key
    qtbot.mouseClick(dlg.close_button, LEFT)
    qtbot.waitUntil(lambda: page.row_text("cell_ovp_v")[1] == "4.200 V", timeout=T)
    qtbot.waitUntil(lambda: not page.changed_keys(), timeout=T)

    # the next review finds the password in the (fake) keychain
    page.set_new_value("charge_ocp_a", 90.0)
    dlg2 = open_review(qtbot, page)
    assert dlg2.password_box.password() == "123456" and dlg2.password_box.remember_box.isChecked()
    dlg2.reject()
    assert not loop_errors


def test_wrong_password_writes_nothing_and_backs_off(qtbot, window, tmp_path, monkeypatch, loop_errors):
    monkeypatch.setattr(keychain, "available", lambda: False)
    monkeypatch.setattr(keychain, "recall", lambda device: None)
    win = window
    page = win.parameters_page
    sim = connect(qtbot, win, LI_ION_16S + "&password=4321")
    before = dict(sim.settings)
    apply_lifepo4(qtbot, page)
    dlg = open_review(qtbot, page)
    assert not dlg.password_box.default_warning.isVisible()  # 4321 is not the factory password
    assert not dlg.password_box.remember_box.isEnabled()
    assert dlg.password_box.remember_box.toolTip() == "no system keychain on this computer"

    write_with(qtbot, dlg, "123456")
    qtbot.waitUntil(lambda: dlg.review_error.isVisible(), timeout=T)
    assert dlg.review_error.text().startswith("Wrong setup password: nothing was written")
    assert dlg.stack.currentIndex() == dlg.PAGE_REVIEW
    assert dlg.report is None
    assert sim.settings == before and sim.writes == []
    assert backups(tmp_path) == []
    # two more wrong tries, then a back-off even for the right password
    for _ in range(2):
        qtbot.mouseClick(dlg.write_button, LEFT)
        qtbot.wait(50)
    qtbot.waitUntil(lambda: "wait" in dlg.review_error.text(), timeout=T)
    dlg.password_box.edit.setText("4321")
    dlg._update_write_enabled()
    assert not dlg.write_button.isEnabled()
    assert "Too many wrong passwords" in dlg.write_button.toolTip()
    assert sim.writes == [] and backups(tmp_path) == []
    assert page.is_highlighted("cell_ovp_v")  # the form keeps what was asked for
    assert not loop_errors


def test_interlock_violation_names_the_keys_and_the_rule_and_blocks(qtbot, window, tmp_path, keyring_fake):
    win = window
    page = win.parameters_page
    sim = connect(qtbot, win, "sim://jk02_32s?cells=16&chemistry=lifepo4")
    assert sim.settings["cell_uvp_v"] == pytest.approx(2.5)
    editor = page.editor("power_off_v")
    editor.spin.setValue(2.6)  # as if typed: shutdown above the under-voltage cut-off
    assert page.is_highlighted("power_off_v")
    assert editor.revert.isVisible()
    dlg = open_review(qtbot, page)
    blocking = dlg.findChild(type(dlg.review_error), "blocking")
    assert blocking is not None
    text = blocking.text()
    assert "Under-voltage order: " in text and "Rule 1" not in text
    assert "Auto shutdown voltage (2.600 V) must be below Cell under-voltage protection (2.500 V)" in text
    dlg.password_box.edit.setText("123456")
    dlg._update_write_enabled()
    assert not dlg.write_button.isEnabled()
    assert dlg.write_button.toolTip() == "The safety rules above block this write."
    dlg.reject()
    assert sim.writes == [] and backups(tmp_path) == []
    # revert the row: nothing left to write
    qtbot.mouseClick(editor.revert, LEFT)
    assert not page.is_highlighted("power_off_v") and not page.review_button.isEnabled()


def test_acknowledged_but_not_stored_is_a_failure_with_restore(
    qtbot, window, tmp_path, keyring_fake, loop_errors
):
    win = window
    page = win.parameters_page
    sim = connect(qtbot, win, LI_ION_16S + "&fault=ack_without_store")
    before = dict(sim.settings)
    apply_lifepo4(qtbot, page)
    dlg = open_review(qtbot, page)
    first = diff_keys(dlg)[0]
    write_with(qtbot, dlg, "123456")
    qtbot.waitUntil(lambda: dlg.report is not None, timeout=T)
    assert not dlg.report.ok
    rows = dict(report_rows(dlg))
    first_label = dlg.diff_table.item(0, 1).text()
    assert rows[first_label] == "acknowledged but not stored"
    attempted = [s for _l, s in report_rows(dlg) if s != "unchanged"]
    assert attempted[0] == "acknowledged but not stored"
    assert set(attempted[1:]) == {"not attempted"}
    assert dlg.report_title.text().startswith("The write stopped")
    state = dlg.state_label.text()
    assert "acknowledged the write but kept" in state and "Nothing was changed on the board" in state
    assert dlg.restore_button.isVisible() and dlg.restore_button.isEnabled()
    assert len(backups(tmp_path)) == 1
    assert sim.settings == before
    assert first in page.changed_keys()  # still pending in the form, still highlighted
    assert not loop_errors


def test_cancel_after_this_key_and_a_stale_diff(qtbot, window, tmp_path, keyring_fake, loop_errors):
    win = window
    page = win.parameters_page
    sim = connect(qtbot, win, LI_ION_16S)
    apply_lifepo4(qtbot, page)
    dlg = open_review(qtbot, page)
    shown = dlg._progress_cb

    def progress(i, n, key):  # the person presses the button while key 3 is being written
        shown(i, n, key)
        if i == 2 and key:
            assert dlg.stack.currentIndex() == dlg.PAGE_PROGRESS
            qtbot.mouseClick(dlg.stop_button, LEFT)
            assert not dlg.stop_button.isEnabled()

    dlg._progress_cb = progress
    write_with(qtbot, dlg, "123456")
    qtbot.waitUntil(lambda: dlg.report is not None, timeout=T)
    attempted = [s for _l, s in report_rows(dlg) if s != "unchanged"]
    assert attempted[:3] == ["written and verified"] * 3
    assert set(attempted[3:]) == {"cancelled"}
    assert "You cancelled" in dlg.state_label.text()
    assert "3 of 11 changes are on the board" in dlg.state_label.text()
    assert len(sim.writes) == 3
    qtbot.mouseClick(dlg.close_button, LEFT)
    qtbot.waitUntil(lambda: len(page.changed_keys()) == 8, timeout=T)  # the rest is still pending
    assert page.message_label.text().startswith("Last write stopped: 3 of 11")

    # someone changes the board between the diff and the write (the phone app): nothing is written
    dlg = open_review(qtbot, page)
    sim.settings["cell_ovp_v"] = 4.19
    writes = len(sim.writes)
    write_with(qtbot, dlg, "123456")
    qtbot.waitUntil(lambda: dlg.review_error.isVisible(), timeout=T)
    assert "changed since the diff was shown" in dlg.review_error.text()
    assert len(sim.writes) == writes and len(backups(tmp_path)) == 1
    qtbot.mouseClick(dlg.reread_button, LEFT)
    row = diff_keys(dlg).index("cell_ovp_v")
    qtbot.waitUntil(lambda: dlg.diff_table.item(row, 2).text() == "4.190 V", timeout=T)
    dlg.reject()
    assert not loop_errors


def test_board_preset_is_confirmed_backed_up_and_read_back(
    qtbot, window, tmp_path, keyring_fake, loop_errors
):
    win = window
    page = win.parameters_page
    sim = connect(qtbot, win, LI_ION_16S)
    buttons = page.panel.board_buttons
    assert set(buttons) == {"preset_li_ion", "preset_lifepo4", "preset_lto"}
    assert page.panel.board_box.isVisible()
    qtbot.mouseClick(buttons["preset_lifepo4"], LEFT)
    qtbot.waitUntil(lambda: isinstance(page.dialog, BoardPresetDialog) and page.dialog.isVisible(), timeout=T)
    dlg = page.dialog
    assert not dlg.run_button.isEnabled()  # the password first
    qtbot.keyClicks(dlg.password_box.edit, "123456")
    assert dlg.run_button.isEnabled()
    qtbot.mouseClick(dlg.run_button, LEFT)
    qtbot.waitUntil(lambda: dlg.result is not None, timeout=T)
    t = dlg.result_table
    shown = {t.item(r, 3).text(): (t.item(r, 1).text(), t.item(r, 2).text()) for r in range(t.rowCount())}
    assert shown["cell_ovp_v"] == ("4.200 V", "3.650 V")
    assert shown["power_off_v"] == ("2.700 V", "2.450 V")  # the board's own value, not ours
    assert sim.settings["power_off_v"] == pytest.approx(2.45)
    # the vendor's −20 °C charging limit is called out
    assert dlg.findings_label.isVisible() and "below 0 °C" in dlg.findings_label.text()
    files = backups(tmp_path)
    assert len(files) == 1 and str(files[0]) in dlg.backup_label.text()
    assert dlg.grab().save(str(ARTIFACTS / "board_preset.png"))
    qtbot.waitUntil(lambda: page.row_text("power_off_v")[1] == "2.450 V", timeout=T)
    assert not loop_errors


def test_export_compare_import_and_save_preset(qtbot, window, tmp_path, keyring_fake):
    win = window
    page = win.parameters_page
    sim = connect(qtbot, win, "sim://jk02_32s?cells=16&chemistry=lifepo4&password=4321")
    path = run(qtbot, page.export_to(tmp_path / "export.json"))
    text = path.read_text(encoding="utf-8")
    doc = json.loads(text)
    assert doc["format"] == "packbench-settings" and doc["protocol"] == "jk02_32s"
    assert doc["device"]["serial_number"] == sim.info.serial_number
    assert doc["units"]["cell_ovp_v"] == "V"
    assert "4321" not in text and "password" not in text.lower()

    # compare the board with an edited copy: only the edited row is highlighted
    doc["settings"]["cell_ovp_v"] = 3.6
    doc["settings"]["jk_no_such_key"] = 1
    (tmp_path / "edited.json").write_text(json.dumps(doc), encoding="utf-8")
    # an unknown key is an error naming it, never dropped silently (issue 12)
    assert not page.load_file(tmp_path / "edited.json", compare=True)
    assert "jk_no_such_key" in page.message_label.text() and not page.changed_keys()
    del doc["settings"]["jk_no_such_key"]
    (tmp_path / "edited.json").write_text(json.dumps(doc), encoding="utf-8")
    assert page.load_file(tmp_path / "edited.json", compare=True)
    assert page.changed_keys() == ["cell_ovp_v"]
    assert "comparison with settings file edited.json" in page.source_label.text()
    page.revert_all()
    assert not page.changed_keys() and not page.source_label.isVisible()

    # save the form as my preset, then apply it to a 15S form through the panel
    page.set_new_value("cell_ovp_v", 3.45)
    page.set_new_value("soc_full_v", 3.44)
    page.set_new_value("cell_ovp_recovery_v", 3.40)
    preset_path = tmp_path / "data" / "presets" / "LFP shop 3.45.json"
    page.save_preset_file(preset_path)
    saved = presets.load_preset(preset_path)
    assert saved.chemistry == "lifepo4" and saved.values["cell_ovp_v"] == pytest.approx(3.45)
    assert "cell_count" not in saved.values  # a preset is cell-level only
    page.revert_all()
    assert page.panel.current_preset().name == "LFP shop 3.45"
    qtbot.mouseClick(page.panel.apply_button, LEFT)
    assert page.editor("cell_ovp_v").value() == pytest.approx(3.45)
    assert "my preset “LFP shop 3.45”" in page.source_label.text()


def test_board_preset_service_without_gui(tmp_path):
    """writer.run_board_preset: wrong password sends nothing; the right one backs up and reads back."""

    async def go():
        session = DeviceSession(LI_ION_16S, reconnect=False)
        await session.connect()
        try:
            sim = session._transport.sim
            with pytest.raises(writer.PasswordError):
                await writer.run_board_preset(
                    session, "preset_lifepo4", password="1", gate=writer.PasswordGate(), backup_dir=tmp_path
                )
            assert sim.settings["cell_ovp_v"] == pytest.approx(4.2)
            assert not list(tmp_path.rglob("*.json"))
            with pytest.raises(writer.WriteError):
                await writer.run_board_preset(
                    session,
                    "factory_reset",
                    password="123456",
                    gate=writer.PasswordGate(),
                    backup_dir=tmp_path,
                )
            return await writer.run_board_preset(
                session, "preset_lifepo4", password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path
            )
        finally:
            await session.close()

    result = asyncio.run(go())
    assert result.acknowledged and result.after["cell_ovp_v"] == pytest.approx(3.65)
    changed = {c.key for c in result.changes}
    assert {"cell_ovp_v", "power_off_v", "charge_utp_c"} <= changed
    assert any(f.rule == 6 and f.keys == ("charge_utp_c",) for f in result.findings)
    assert settings_files.load(result.backup)["settings"]["cell_ovp_v"] == pytest.approx(4.2)


def test_hand_edits_get_the_chemistry_and_switch_warnings_and_import_shows_file_errors(
    qtbot, window, tmp_path, keyring_fake, loop_errors
):
    """Issue 12: the GUI goes through the same interlocks and the same strict file loader."""
    from PySide6.QtWidgets import QLabel

    from app.services import control
    from tests.test_jbd import FIG

    win = window
    page = win.parameters_page
    sim = connect(qtbot, win, "sim://jk02_32s?cells=16&chemistry=lifepo4")
    # Import of a JBD Tools file on a JK board: refused with the reason, the form untouched
    fig = tmp_path / "shop.fig"
    fig.write_bytes(FIG.encode("ascii"))
    assert not page.load_file(fig)
    assert "(jbd)" in page.message_label.text() and "(jk02_32s)" in page.message_label.text()
    assert not page.changed_keys()

    def warnings(dlg) -> list[str]:
        return [w.text() for w in dlg.findChildren(QLabel) if w.text().startswith("Warning — ")]

    # OVP 3.65 → 4.2 V typed into the form: the board's settings become Li-ion ones
    page.set_new_value("cell_ovp_v", 4.2)
    dlg = open_review(qtbot, page)
    # the chemistry change, then every LiFePO4 voltage it leaves outside Li-ion's window
    # (issue 17: rule 13, tests/test_write_dialogs.py)
    ids = list(dlg.advisory_boxes())
    assert ids[0] == "rule10:cell_ovp_v" and all(i.startswith("rule13:") for i in ids[1:])
    text = warnings(dlg)[0]
    assert "Chemistry change: " in text and "Rule" not in text and "LiFePO4" in text and "Li-ion" in text
    dlg.password_box.edit.setText("123456")
    dlg._update_write_enabled()
    assert not dlg.write_button.isEnabled()  # not before the warnings are ticked
    for box in dlg.advisory_boxes().values():
        box.setChecked(True)
    assert dlg.write_button.isEnabled()
    dlg.reject()
    # 4.5 V is above every chemistry's envelope: blocked
    page.set_new_value("cell_ovp_v", 4.5)
    dlg = open_review(qtbot, page)
    blocking = dlg.findChild(type(dlg.review_error), "blocking")
    assert (
        blocking is not None
        and "Chemistry limits: " in blocking.text()
        and "any cell chemistry" in blocking.text()
    )
    dlg.reject()
    page.revert_all()
    # charging switched off in the form: the Control tab's words, to tick
    page.set_new_value("charge_switch", False)
    dlg = open_review(qtbot, page)
    assert list(dlg.advisory_boxes()) == ["rule12:charge_switch"]
    (text,) = warnings(dlg)
    assert control.CONSEQUENCES[("charge_switch", False)] in text
    dlg.reject()
    assert sim.writes == [] and backups(tmp_path) == []
