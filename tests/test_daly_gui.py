"""Daly boards through the real window (pytest-qt offscreen, the Daly simulators): the
LiFePO4 preset written to a D2 board from the Parameters tab and verified per key, a wrong
password that writes nothing, A5 settings read-only with the reason, the Control tab's
switches, SOC, clock, zeroing and password on both protocols, Live cells and recording.

Expected values come from presets.md and jbd_daly.md, never from the code under test.
Screenshots go to tests/_artifacts/daly_*.png (also at 1024×640)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from boards import run_on_loop as run  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from test_control_gui import confirm  # noqa: E402
from test_parameters_gui import (
    ARTIFACTS,
    T,
    apply_lifepo4,
    backups,
    connect,  # noqa: E402
    open_review,
    report_rows,
    write_with,
)

from app.services import keychain  # noqa: E402

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton

#: presets.md "Packbench presets", LiFePO4, for a 16-cell 100 Ah pack (pack keys × 16,
#: balance delta 0.005 V from 50 Ah); 0x89 = 0 for LFP (jbd_daly.md §6.4)
LIFEPO4_16S = {
    "cell_ovp_v": 3.65,
    "cell_uvp_v": 2.50,
    "pack_ovp_v": 58.4,
    "pack_uvp_v": 40.0,
    "balance_start_v": 3.40,
    "balance_trigger_delta_v": 0.005,
    "charge_otp_c": 55,
    "discharge_otp_c": 65,
    "charge_utp_c": 0,
    "discharge_utp_c": -20,
    "capacity_nominal_ah": 100.0,
    "daly_battery_type": 0,
}


def shots(win, name: str) -> None:
    """The window at its test size and at 1024×640."""
    ARTIFACTS.mkdir(exist_ok=True)
    size = win.size()
    assert win.grab().save(str(ARTIFACTS / f"{name}.png"))
    win.resize(1024, 640)
    win.repaint()
    assert win.grab().save(str(ARTIFACTS / f"{name}_1024x640.png"))
    win.resize(size)


def fast_polls(win) -> None:
    """The simulator answers at once: poll it often, so no test waits a real second."""
    win.bridge.session.poll_interval_s = 0.1


# --- Done when: the LiFePO4 preset through the Parameters tab, verified per key -----------------------
def test_lifepo4_preset_on_a_daly_d2_board_through_the_parameters_tab(
    qtbot, window, tmp_path, keyring_fake, loop_errors
):
    win = window
    page = win.parameters_page
    sim = connect(qtbot, win, "sim://daly_d2?cells=16&chemistry=li-ion&seed=3")
    fast_polls(win)
    assert sim.settings["daly_battery_type"] == 1  # a Li-ion board (0x89 = 1)
    # the board's block carried every writable key in range: the note says so
    assert page.board_note.isVisible() and "Writable here: 33 of 33" in page.board_note.text()
    apply_lifepo4(qtbot, page, cells=16, capacity=100.0)
    for key, value in LIFEPO4_16S.items():  # the form shows the preset, Daly's battery type too
        assert page.editor(key).value() == pytest.approx(value), key
    dlg = open_review(qtbot, page)
    assert "daly_battery_type" in [dlg.diff_table.item(r, 4).text() for r in range(dlg.diff_table.rowCount())]
    assert dlg.password_box.title() == "Setup password" and dlg.password_box.default_warning.isVisible()
    shots(win, "daly_parameters")
    assert dlg.grab().save(str(ARTIFACTS / "daly_write_review.png"))
    write_with(qtbot, dlg, "123456")
    qtbot.waitUntil(lambda: dlg.report is not None, timeout=3 * T)
    assert dlg.report.ok, dlg.state_label.text()
    statuses = {status for _l, status in report_rows(dlg)}
    assert "written and verified" in statuses and statuses <= {"written and verified", "unchanged"}, (
        report_rows(dlg)
    )
    for key, value in LIFEPO4_16S.items():
        assert sim.settings[key] == pytest.approx(value), key
    assert len(backups(tmp_path)) == 1
    assert dlg.grab().save(str(ARTIFACTS / "daly_write_report.png"))
    dlg.reject()
    assert not loop_errors


def test_a_wrong_password_writes_nothing_on_d2_in_the_window(
    qtbot, window, tmp_path, monkeypatch, loop_errors
):
    monkeypatch.setattr(keychain, "available", lambda: False)
    monkeypatch.setattr(keychain, "recall", lambda device: None)
    win = window
    page = win.parameters_page
    sim = connect(qtbot, win, "sim://daly_d2?cells=16&chemistry=li-ion&password=Ab12cd&seed=4")
    before = dict(sim.settings)
    apply_lifepo4(qtbot, page, cells=16, capacity=100.0)
    dlg = open_review(qtbot, page)
    assert not dlg.password_box.default_warning.isVisible()  # not the factory password
    write_with(qtbot, dlg, "123456")
    qtbot.waitUntil(lambda: dlg.review_error.isVisible(), timeout=T)
    assert dlg.review_error.text().startswith("Wrong setup password: nothing was written")
    assert sim.settings == before and sim.writes == [] and backups(tmp_path) == []
    assert not [f for f in sim.received if f[1] in (0x06, 0x10)]
    dlg.reject()
    assert not loop_errors


def test_a5_settings_are_read_only_with_the_reason(qtbot, window, loop_errors):
    win = window
    page = win.parameters_page
    win.bridge.connect_device("sim://daly_a5?cells=16&seed=5")
    qtbot.waitUntil(lambda: page.row_text("cell_ovp_v") is not None, timeout=T)
    win.tabs.setCurrentWidget(page)
    # §5: A5 settings writes are undocumented: every limit read-only, the reason in words
    assert page.editor("cell_ovp_v") is None and page.row_text("cell_ovp_v")[0]
    assert page.editor("charge_switch") is not None  # 0xDA/0xD9 do switch the MOSFETs (§4.3)
    assert page.board_note.isVisible() and "documents no command" in page.board_note.text()
    page.panel.select_builtin("lifepo4")
    qtbot.mouseClick(page.panel.apply_button, LEFT)
    assert "takes none of the preset's settings" in page.message_label.text()
    assert page.changed_keys() == []
    shots(win, "daly_a5_parameters")
    assert not loop_errors


# --- the Control tab -------------------------------------------------------------------------------------
def control(qtbot, win, url: str):
    win.bridge.connect_device(url)
    page = win.control_page
    qtbot.waitUntil(
        lambda: (
            win.bridge.state == "live"
            and win.bridge.settings is not None
            and win.bridge.last_snapshot is not None
        ),
        timeout=T,
    )
    fast_polls(win)
    win.tabs.setCurrentWidget(page)
    return page, win.bridge.session._transport.sim


def test_control_tab_on_a_d2_board(qtbot, window, loop_errors, keyring_fake):
    win = window
    page, sim = control(qtbot, win, "sim://daly_d2?cells=16&seed=6&current=0&current_offset=0.6")
    # what D2 has: switches incl. the balancer, SOC, clock, zeroing, restart/shutdown/reset,
    # and its setup password that can be changed but not removed
    assert page.switch_buttons["charge_switch"].isVisible()
    assert page.switch_buttons["balance_switch"].isVisible()
    assert page.state_section.soc_row.isVisible() and page.state_section.clock_row.isVisible()
    assert page.zero_section.isVisible() and not page.current_button.isVisible()
    assert all(page.action_buttons[a].isVisible() for a in ("restart", "shutdown", "factory_reset"))
    assert page.board_password_row.isVisible() and not page.clear_password_button.isVisible()
    assert "reports its setup password" in page.identity_note.text()
    assert page.switch_badges["balance_switch"].text() == "ON"

    for on in (False, True):  # charge off, then on again
        qtbot.mouseClick(page.switch_buttons["charge_switch"], LEFT)
        r = confirm(qtbot, page, page.switch_panel, page.switch_result, "123456")
        assert r.kind == "ok", r.text()
        assert sim.values["charge_switch"] is on
        page.switch_result.clear_result()

    page.state_section.soc_spin.setValue(75.0)
    qtbot.mouseClick(page.state_section.soc_button, LEFT)
    r = confirm(qtbot, page, page.state_section.panel, page.state_section.result, "123456")
    assert r.kind == "ok", r.text()
    assert sim.soc_now() == pytest.approx(75.0, abs=0.5)

    qtbot.mouseClick(page.state_section.clock_button, LEFT)
    r = confirm(qtbot, page, page.state_section.panel, page.state_section.result, "123456")
    assert r.kind == "warn" and "cannot read its clock back" in r.text()

    qtbot.mouseClick(page.zero_section.button, LEFT)
    assert "Disconnect the charger and the load" in page.zero_section.panel.text.text()
    r = confirm(qtbot, page, page.zero_section.panel, page.zero_section.result, "123456")
    assert r.kind == "ok", r.text()
    assert abs(win.bridge.last_snapshot.current_a) <= 0.1

    qtbot.keyClicks(page.new_password_edit, "Ab12cd")
    qtbot.mouseClick(page.set_password_button, LEFT)
    r = confirm(qtbot, page, page.identity_panel, page.identity_result, "123456")
    assert r.kind == "ok", r.text()
    assert sim.password == "Ab12cd" and win.bridge.session.check_setup_password("Ab12cd")
    # every read-back kept the balancer switch (read apart from the block, 0xCF)
    assert page.switch_badges["balance_switch"].text() == "ON"
    shots(win, "daly_control")
    assert not loop_errors


def test_control_tab_on_an_a5_board_asks_no_password(qtbot, window, loop_errors):
    win = window
    page, sim = control(qtbot, win, "sim://daly_a5?cells=16&seed=7")
    assert page.switch_buttons["charge_switch"].isVisible()
    assert not page.switch_buttons["balance_switch"].isVisible()  # A5 has no balancer switch
    assert not page.zero_section.isVisible() and page.calibration_note.isVisible()
    assert page.action_buttons["restart"].isVisible() and not page.action_buttons["factory_reset"].isVisible()
    assert not page.board_password_row.isVisible()
    for on in (False, True):
        qtbot.mouseClick(page.switch_buttons["charge_switch"], LEFT)
        panel = page.switch_panel
        assert not panel.password_row.isVisible() and panel.no_password_note.isVisible()
        r = confirm(qtbot, page, panel, page.switch_result)
        assert r.kind == "ok", r.text()
        assert sim.values["charge_switch"] is on
        page.switch_result.clear_result()
    qtbot.waitUntil(lambda: win.bridge.last_snapshot.charge_mos_on is True, timeout=T)
    shots(win, "daly_a5_control")
    assert not loop_errors


# --- Live cells, recording and viewing -----------------------------------------------------------------
def test_live_cells_of_a_daly_board_recorded_and_viewed(qtbot, window, tmp_path, loop_errors):
    win = window
    win.bridge.connect_device("sim://daly_d2?cells=16&seed=8&alarm=cell_overvoltage")
    live = win.live_page
    win.tabs.setCurrentWidget(live)
    qtbot.waitUntil(lambda: live.bar_count == 16, timeout=T)
    fast_polls(win)
    snap = win.bridge.last_snapshot
    assert snap.mos_temperature_c is not None and len(snap.temperatures_c) == 2
    assert "cell_overvoltage" in snap.alarms
    bar = live.record_bar
    qtbot.waitUntil(bar.button.isEnabled, timeout=T)
    target = tmp_path / "daly.csv"
    assert bar.start_recording(target)
    qtbot.waitUntil(lambda: bar.recorder is not None and bar.recorder.rows >= 5, timeout=T)
    shots(win, "daly_live")
    qtbot.mouseClick(bar.button, LEFT)
    with open(target, newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 5 and "cell_16_v" in rows[0] and "cell_overvoltage" in rows[0]["alarms"]
    meta = Path(str(target).removesuffix(".csv") + ".meta.json")
    assert meta.exists() and "123456" not in meta.read_text(encoding="utf-8")
    viewer = win.open_log(str(target))
    qtbot.waitUntil(lambda: viewer.prepared is not None, timeout=T)
    assert viewer.prepared.data.rows == len(rows)
    shots(win, "daly_log_view")
    run(qtbot, win.bridge.disconnect_device())
    assert not loop_errors
