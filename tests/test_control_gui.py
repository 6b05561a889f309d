"""The Control tab through the real window: switches, calibration, resets, capacity,
the family notes and the "before sealing" checks.

pytest-qt offscreen + qasync (style A, tests/conftest.py), against the
in-process simulator.  Backups go to tmp_path (PACKBENCH_DATA_DIR); the OS
keychain is replaced by a dict.  Screenshots of the tab and of the
calibration wizard land in tests/_artifacts/ for people to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402

from app.ui.board_preset_dialog import BoardPresetDialog  # noqa: E402
from app.ui.control.wizard import CalibrationWizard  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.write_dialog import WriteDialog  # noqa: E402

pytestmark = pytest.mark.gui

ARTIFACTS = Path(__file__).parent / "_artifacts"
T = 10_000
LEFT = Qt.MouseButton.LeftButton
CAL = "sim://jk02_32s?cells=16&current=-8&voltage_error_pct=0.8&current_error_pct=-3"


@pytest.fixture
def loop_errors(loop_errors):
    """tests/conftest.py's, and the Control tab's tests fail on any error that reached the loop."""
    yield loop_errors
    assert not loop_errors, loop_errors


@pytest.fixture
def window(keyring_fake, loop_errors, window):
    """tests/conftest.py's window, always with the fake keychain and the strict loop_errors."""
    return window


def connect(qtbot, win: MainWindow, url: str):
    """Connect, open the Control tab; (page, the simulator behind the session)."""
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
    win.tabs.setCurrentWidget(page)
    return page, win.bridge.session._transport.sim


def confirm(qtbot, page, panel, result, password: str | None = None):
    """Type the password into a confirm panel, confirm, wait for the result line."""
    assert panel.isVisible()
    if password is not None:
        panel.password_row.edit.clear()
        qtbot.keyClicks(panel.password_row.edit, password)
    qtbot.wait(50)  # the page scrolls the panel into view first
    assert panel.confirm_button.isEnabled(), panel.confirm_button.toolTip()
    qtbot.mouseClick(panel.confirm_button, LEFT)
    qtbot.waitUntil(lambda: not panel.busy and bool(result.kind), timeout=2 * T)
    return result


def backups(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "data" / "backups"
    return sorted(folder.rglob("*.json")) if folder.exists() else []


def confirm_switch(qtbot, page, key: str, password: str | None, remember: bool = False):
    button = page.switch_buttons[key]
    assert button.isEnabled()
    qtbot.mouseClick(button, LEFT)
    panel = page.switch_panel
    assert panel.isVisible()
    if password is not None:
        panel.password_row.edit.clear()
        qtbot.keyClicks(panel.password_row.edit, password)
    panel.password_row.remember_box.setChecked(remember)
    assert panel.confirm_button.isEnabled()
    qtbot.mouseClick(panel.confirm_button, LEFT)
    qtbot.waitUntil(
        lambda: not panel.busy and bool(page.switch_result.kind or panel.error.isVisible()), timeout=T
    )
    return panel


# --- (1) a switch, confirmed in words, written, read back -----------------------------------------
def test_charge_off_confirmed_verified_and_back_on(qtbot, window, tmp_path, keyring_fake):
    page, sim = connect(qtbot, window, CAL)
    assert page.switch_badges["charge_switch"].text() == "ON"
    assert page.switch_buttons["charge_switch"].text() == "Switch off…"

    qtbot.mouseClick(page.switch_buttons["charge_switch"], LEFT)
    panel = page.switch_panel
    assert panel.isVisible()
    assert "regenerative braking" in panel.text.text() and "motor controller" in panel.text.text()
    assert panel.title.text() == "Switch charging OFF?"
    assert not panel.confirm_button.isEnabled()  # no password yet, nothing remembered
    qtbot.mouseClick(panel.cancel_button, LEFT)  # cancel: nothing sent
    assert not panel.isVisible() and sim.settings["charge_switch"] is True

    confirm_switch(qtbot, page, "charge_switch", "123456", remember=True)
    assert page.switch_result.kind == "ok", page.switch_result.text()
    assert "Verified: charging is now OFF" in page.switch_result.text()
    assert sim.settings["charge_switch"] is False
    assert not panel.isVisible()
    assert len(backups(tmp_path)) == 1  # the write transaction saved one first
    qtbot.waitUntil(lambda: page.switch_badges["charge_switch"].text() == "OFF", timeout=T)
    qtbot.waitUntil(lambda: page.mos_badges["charge_mos_on"].text() == "OFF", timeout=T)
    assert page.check_rows["fets"].state is False  # "before sealing" goes red at once
    assert keyring_fake  # remembered in the (fake) keychain, never in the settings file

    # back on: the password comes from the keychain
    assert page.switch_buttons["charge_switch"].text() == "Switch on…"
    qtbot.mouseClick(page.switch_buttons["charge_switch"], LEFT)
    assert panel.password_row.password() == "123456"
    assert "takes charge again" in panel.text.text()
    qtbot.mouseClick(panel.confirm_button, LEFT)
    qtbot.waitUntil(lambda: page.switch_result.kind != "", timeout=T)
    assert page.switch_result.kind == "ok" and "charging is now ON" in page.switch_result.text()
    assert sim.settings["charge_switch"] is True
    qtbot.waitUntil(lambda: page.check_rows["fets"].state is True, timeout=T)

    qtbot.wait(200)
    ARTIFACTS.mkdir(exist_ok=True)
    assert window.grab().save(str(ARTIFACTS / "control.png"))


# --- (2) wrong password: red, nothing changed ----------------------------------------------------
def test_wrong_password_changes_nothing(qtbot, window, tmp_path):
    page, sim = connect(qtbot, window, "sim://jk02_32s?cells=16&password=4321")
    writes = len(sim.writes)
    panel = confirm_switch(qtbot, page, "discharge_switch", "123456")
    assert panel.isVisible() and panel.error.isVisible()
    assert "Wrong setup password" in panel.error.text()
    assert "#8e1b1b" in panel.error.styleSheet()  # red
    assert page.switch_result.kind == ""
    assert sim.settings["discharge_switch"] is True and len(sim.writes) == writes
    assert backups(tmp_path) == []
    qtbot.mouseClick(panel.cancel_button, LEFT)


# --- (3) a board that acknowledges nothing ------------------------------------------------------------
def test_refused_write_and_action_are_shown_as_refused(qtbot, window):
    page, sim = connect(qtbot, window, "sim://jk02_32s?cells=16&fault=refuse_writes")
    confirm_switch(qtbot, page, "discharge_switch", "123456")
    result = page.switch_result
    assert result.kind == "bad", result.text()
    assert "Refused by the board: discharging is still ON" in result.text()
    assert sim.settings["discharge_switch"] is True
    assert page.switch_badges["discharge_switch"].text() == "ON"

    qtbot.mouseClick(page.action_buttons["restart"], LEFT)
    panel = page.action_panel
    assert panel.isVisible() and "restarts" in panel.text.text()
    assert panel.password_row.password() == "123456"  # kept in memory for this run
    qtbot.mouseClick(panel.confirm_button, LEFT)
    qtbot.waitUntil(lambda: page.action_result.kind != "", timeout=T)
    assert page.action_result.kind == "bad" and "Refused" in page.action_result.text()


# --- (4) the voltage wizard, end to end -------------------------------------------------------------
def test_voltage_wizard_moves_the_reading_to_the_meter(qtbot, window):
    page, sim = connect(qtbot, window, CAL)
    qtbot.mouseClick(page.voltage_button, LEFT)
    qtbot.waitUntil(lambda: isinstance(page.dialog, CalibrationWizard) and page.dialog.isVisible(), timeout=T)
    wiz: CalibrationWizard = page.dialog
    assert wiz.stack.currentWidget() is wiz.page_off
    assert not wiz.next_button.isEnabled()  # not before the switches are off
    qtbot.keyClicks(wiz.password_row.edit, "123456")
    qtbot.mouseClick(wiz.page_off.button, LEFT)
    qtbot.waitUntil(lambda: not wiz._busy and wiz.page_off.result.kind != "", timeout=T)
    assert wiz.page_off.result.kind == "ok", wiz.page_off.result.text()
    assert sim.settings["charge_switch"] is False and sim.settings["discharge_switch"] is False

    qtbot.mouseClick(wiz.next_button, LEFT)
    assert wiz.stack.currentWidget() is wiz.page_measure
    qtbot.waitUntil(
        lambda: sim.current_a == 0.0 and wiz.page_measure.live_label.text().endswith(" V"), timeout=T
    )
    board_before = float(wiz.page_measure.live_label.text().split()[0])
    meter = round(sim.true_pack_voltage(), 3)
    assert abs(board_before - meter) > 0.3  # 0.8 % off: worth calibrating
    wiz.page_measure.meter.setValue(meter)
    assert wiz.page_measure.send_button.isEnabled()
    qtbot.wait(100)
    ARTIFACTS.mkdir(exist_ok=True)
    assert wiz.grab().save(str(ARTIFACTS / "control_wizard.png"))
    qtbot.mouseClick(wiz.page_measure.send_button, LEFT)
    qtbot.waitUntil(lambda: wiz.stack.currentWidget() is wiz.page_result, timeout=T)
    assert wiz.result is not None and wiz.result.ok, wiz.result
    assert wiz.result.after == pytest.approx(meter, abs=0.05)
    assert wiz.page_result.line.kind == "ok"
    # the board's reported pack voltage is the meter's now
    qtbot.waitUntil(
        lambda: abs(window.bridge.last_snapshot.pack_voltage_v - sim.true_pack_voltage()) < 0.05, timeout=T
    )

    # leaving now is caught once: switches are still off
    wiz.reject()
    assert wiz.isVisible() and wiz.stack.currentWidget() is wiz.page_on
    assert "still OFF" in wiz.error.text()
    qtbot.mouseClick(wiz.page_on.button, LEFT)
    qtbot.waitUntil(lambda: not wiz._busy and wiz.page_on.result.kind != "", timeout=T)
    assert wiz.page_on.result.kind == "ok", wiz.page_on.result.text()
    assert wiz.next_button.text() == "Finish"
    qtbot.mouseClick(wiz.next_button, LEFT)
    qtbot.waitUntil(lambda: not wiz.isVisible(), timeout=T)
    assert sim.settings["charge_switch"] is True and sim.settings["discharge_switch"] is True
    assert page.calibration_result.kind == "ok" and "Voltage calibrated" in page.calibration_result.text()
    assert page.banner.kind != "bad"


def test_voltage_wizard_warns_when_left_off(qtbot, window):
    page, sim = connect(qtbot, window, "sim://jk02_32s?cells=16")
    wiz = page.open_wizard("voltage")
    qtbot.keyClicks(wiz.password_row.edit, "123456")
    qtbot.mouseClick(wiz.page_off.button, LEFT)
    qtbot.waitUntil(lambda: not wiz._busy and wiz.switched_off, timeout=T)
    wiz.reject()  # first: a warning, the wizard stays
    assert wiz.isVisible()
    wiz.reject()  # second: leave them off, knowingly
    qtbot.waitUntil(lambda: not wiz.isVisible(), timeout=T)
    assert sim.settings["charge_switch"] is False
    assert page.banner.kind == "bad" and "OFF" in page.banner.text()
    # switched back on from the Switches panel: the warning goes
    for key in ("charge_switch", "discharge_switch"):
        confirm_switch(qtbot, page, key, None)
        assert page.switch_result.kind == "ok", page.switch_result.text()
    qtbot.waitUntil(lambda: page.banner.kind == "", timeout=T)


# --- (5) current calibration; an implausible value is refused -----------------------------------
def test_current_calibration_and_implausible_value(qtbot, window):
    page, sim = connect(qtbot, window, CAL)
    wiz = page.open_wizard("current")
    assert wiz is not None and wiz.stack.currentWidget() is wiz.page_measure
    qtbot.keyClicks(wiz.password_row.edit, "123456")
    qtbot.waitUntil(lambda: wiz.page_measure.live_label.text().endswith(" A"), timeout=T)
    gain = sim.current_gain
    wiz.page_measure.meter.setValue(-16.0)  # a meter on the wrong range
    assert (
        wiz.page_measure.hint.kind == "bad"
        and "20 %" in wiz.page_measure.hint.text()
        and "Nothing will be sent" in wiz.page_measure.hint.text()
    )
    assert not wiz.page_measure.send_button.isEnabled()
    wiz.page_measure.meter.setValue(8.0)  # the wrong direction
    assert wiz.page_measure.hint.kind == "bad" and "direction" in wiz.page_measure.hint.text()
    assert not wiz.page_measure.send_button.isEnabled()
    assert sim.current_gain == gain  # nothing sent

    wiz.page_measure.meter.setValue(-8.0)
    assert wiz.page_measure.hint.kind == "" and wiz.page_measure.send_button.isEnabled()
    qtbot.mouseClick(wiz.page_measure.send_button, LEFT)
    qtbot.waitUntil(lambda: wiz.stack.currentWidget() is wiz.page_result, timeout=T)
    assert wiz.result.ok and wiz.result.before == pytest.approx(-7.76, abs=0.1)
    assert wiz.result.after == pytest.approx(-8.0, abs=0.1)
    assert wiz.page_result.values["after"].text() == f"{wiz.result.after:+.2f} A"
    qtbot.waitUntil(lambda: abs(window.bridge.last_snapshot.current_a + 8.0) < 0.1, timeout=T)
    qtbot.mouseClick(wiz.next_button, LEFT)  # Finish
    qtbot.waitUntil(lambda: not wiz.isVisible(), timeout=T)
    assert page.calibration_result.kind == "ok"


# --- (6) factory reset: typed RESET, a backup, the settings after ------------------------------
def test_factory_reset_needs_reset_typed_and_shows_settings_after(qtbot, window, tmp_path):
    page, sim = connect(qtbot, window, "sim://jk02_32s?cells=16")
    sim.settings["cell_ovp_v"] = 3.60  # something the reset will change
    qtbot.mouseClick(page.action_buttons["factory_reset"], LEFT)
    panel = page.action_panel
    assert panel.isVisible() and panel.typed_row.isVisibleTo(panel)
    assert "firmware's defaults" in panel.text.text()
    qtbot.keyClicks(panel.password_row.edit, "123456")
    assert not panel.confirm_button.isEnabled()
    qtbot.keyClicks(panel.typed_edit, "reset")
    assert not panel.confirm_button.isEnabled()
    panel.typed_edit.clear()
    qtbot.keyClicks(panel.typed_edit, "RESET")
    assert panel.confirm_button.isEnabled()
    qtbot.mouseClick(panel.confirm_button, LEFT)
    qtbot.waitUntil(lambda: page.action_result.kind != "", timeout=15_000)
    assert page.action_result.kind == "ok", page.action_result.text()
    files = backups(tmp_path)
    assert len(files) == 1
    assert page.backup_label.isVisibleTo(page) and str(files[0]) in page.backup_label.text()
    assert page.after_table.isVisibleTo(page) and page.after_table.rowCount() > 10
    assert "1 changed" in page.after_title.text()
    # what the reset changed is listed first, bold
    assert page.after_table.item(0, 0).text() == "Cell over-voltage protection"
    assert page.after_table.item(0, 1).text() == "3.600 V"
    assert page.after_table.item(0, 2).text() == "3.650 V"
    assert sim.settings["cell_ovp_v"] == pytest.approx(3.65)


# --- capacity: a one-key write transaction with its report -----------------------------------------
def test_capacity_is_a_one_key_write_with_report(qtbot, window):
    page, sim = connect(qtbot, window, "sim://jk02_32s?cells=16")
    assert not page.capacity_button.isEnabled()  # same as the board: nothing to write
    page.capacity_spin.setValue(280.0)
    qtbot.mouseClick(page.capacity_button, LEFT)
    qtbot.waitUntil(lambda: isinstance(page.dialog, WriteDialog) and page.dialog.isVisible(), timeout=T)
    dlg: WriteDialog = page.dialog
    assert [c.key for c in dlg.plan.changes] == ["capacity_nominal_ah"]
    qtbot.keyClicks(dlg.password_box.edit, "123456")
    qtbot.mouseClick(dlg.write_button, LEFT)
    qtbot.waitUntil(lambda: dlg.report is not None, timeout=T)
    qtbot.mouseClick(dlg.close_button, LEFT)
    qtbot.waitUntil(lambda: page.capacity_result.kind != "", timeout=T)
    assert page.capacity_result.kind == "ok", page.capacity_result.text()
    assert "280 Ah" in page.capacity_result.text()  # never "280.000 Ah" (issue 17)
    assert sim.settings["capacity_nominal_ah"] == pytest.approx(280.0)

    # the board's own presets: the Parameters tab's dialog, reused (cancelled: nothing sent)
    writes = len(sim.writes)
    assert list(page.preset_buttons) == ["preset_li_ion", "preset_lifepo4", "preset_lto"]
    qtbot.mouseClick(page.preset_buttons["preset_lifepo4"], LEFT)
    qtbot.waitUntil(lambda: isinstance(page.dialog, BoardPresetDialog) and page.dialog.isVisible(), timeout=T)
    page.dialog.reject()
    qtbot.waitUntil(lambda: page.preset_result.kind != "", timeout=T)
    assert page.preset_result.text().endswith("Nothing was sent.") and len(sim.writes) == writes


# --- (7) what a family cannot do is hidden and said -----------------------------------------------------
def test_families_hide_what_they_cannot_do(qtbot, window):
    page, _sim = connect(qtbot, window, "sim://jk02_24s?cells=8")
    qtbot.waitUntil(lambda: page.bridge.session.protocol.id == "jk02_24s", timeout=T)
    for button in page.action_buttons.values():
        assert not button.isVisibleTo(page)
    assert not page.preset_buttons
    assert page.action_note.isVisibleTo(page) and "no restart" in page.action_note.text()
    assert page.preset_note.isVisibleTo(page)
    assert page.voltage_button.isVisibleTo(page) and page.current_button.isVisibleTo(page)
    assert page.switch_buttons["charge_switch"].isVisibleTo(page)
    assert "cannot change them" in page.identity_note.text()

    page, _sim = connect(qtbot, window, "sim://jk04?cells=16")
    qtbot.waitUntil(lambda: page.bridge.session.protocol.id == "jk04", timeout=T)
    for key in ("charge_switch", "discharge_switch", "heating_switch"):
        assert not page.switch_buttons[key].isVisibleTo(page)
        assert not page.switch_badges[key].isVisibleTo(page)
    assert page.switch_buttons["balance_switch"].isVisibleTo(page)
    assert (
        page.switch_note.isVisibleTo(page) and "no charging or discharging switch" in page.switch_note.text()
    )
    assert not page.voltage_button.isVisibleTo(page) and not page.current_button.isVisibleTo(page)
    assert (
        page.calibration_note.isVisibleTo(page) and "no calibration command" in page.calibration_note.text()
    )
    assert not page.capacity_row.isVisibleTo(page) and page.capacity_note.isVisibleTo(page)
    assert page.check_rows["fets"].state is None  # JK04 reports no MOSFETs: grey "?"
    qtbot.wait(100)
    ARTIFACTS.mkdir(exist_ok=True)
    assert window.grab().save(str(ARTIFACTS / "control_jk04.png"))


# --- (8) before sealing goes red --------------------------------------------------------------------
def test_sealing_checks_turn_red(qtbot, window):
    page, sim = connect(qtbot, window, "sim://jk02_32s?cells=16")
    rows = page.check_rows
    qtbot.waitUntil(lambda: rows["fets"].state is True and rows["cells"].state is True, timeout=T)
    assert rows["fets"].detail.text() == "both ON"
    assert rows["alarms"].state is False  # the factory password is an alarm on this board
    assert "Default password" in rows["alarms"].detail.text()

    sim.settings["charge_switch"] = False  # e.g. switched off in the vendor app
    qtbot.waitUntil(lambda: rows["fets"].state is False, timeout=T)
    assert "charge MOSFET" in rows["fets"].detail.text()
    assert page.sealing_summary.text().startswith("Not ready to seal")
    assert rows["fets"].symbol.text() == "✗"

    volts = sim.cell_voltages
    sim.cell_voltages = lambda: [0.0 if i == 2 else v for i, v in enumerate(volts())]
    qtbot.waitUntil(lambda: rows["cells"].state is False, timeout=T)
    assert "cell 3" in rows["cells"].detail.text()


# --- emergency mode: confirmed in words, sent, read back from the live countdown --------------------
def test_emergency_mode_start_and_stop(qtbot, window):
    page, sim = connect(qtbot, window, "sim://jk02_32s?cells=16")
    assert page.emergency_row.isVisibleTo(page) and not page.emergency_note.isVisibleTo(page)
    assert page.emergency_badge.text() == "OFF"
    button = page.emergency_button
    assert button.isEnabled() and button.text() == "Start emergency mode…"
    qtbot.mouseClick(button, LEFT)
    panel = page.emergency_panel
    assert panel.isVisible() and panel.title.text() == "Start emergency mode?"
    assert "overrides its protections for a limited time" in panel.text.text()
    assert "30 min" in panel.text.text() and "started" in panel.text.text()
    qtbot.keyClicks(panel.password_row.edit, "123456")
    qtbot.mouseClick(panel.confirm_button, LEFT)
    qtbot.waitUntil(lambda: page.emergency_result.kind != "", timeout=T)
    assert page.emergency_result.kind == "ok", page.emergency_result.text()
    assert "Verified: emergency mode is ON" in page.emergency_result.text()
    assert 0 < sim.emergency_remaining_s <= 1800 and not panel.isVisible()
    qtbot.waitUntil(lambda: page.emergency_badge.text() == "ON", timeout=T)
    assert "left" in page.emergency_left.text()
    assert button.text() == "Stop emergency mode…"
    page.scroll.ensureWidgetVisible(page.emergency_result)
    qtbot.wait(100)
    ARTIFACTS.mkdir(exist_ok=True)
    assert window.grab().save(str(ARTIFACTS / "control_emergency.png"))

    qtbot.mouseClick(button, LEFT)
    assert panel.isVisible() and panel.title.text() == "Stop emergency mode?"
    assert "protections apply again" in panel.text.text()
    assert panel.password_row.password() == "123456"  # kept in memory for this run
    qtbot.mouseClick(panel.confirm_button, LEFT)
    qtbot.waitUntil(lambda: not panel.isVisible() and "OFF" in page.emergency_result.text(), timeout=T)
    assert page.emergency_result.kind == "ok", page.emergency_result.text()
    assert sim.emergency_remaining_s == 0
    qtbot.waitUntil(lambda: page.emergency_badge.text() == "OFF", timeout=T)

    page, _sim = connect(qtbot, window, "sim://jk02_24s?cells=8")
    qtbot.waitUntil(lambda: page.bridge.session.protocol.id == "jk02_24s", timeout=T)
    assert not page.emergency_row.isVisibleTo(page)
    assert page.emergency_note.isVisibleTo(page) and "no emergency mode" in page.emergency_note.text()
