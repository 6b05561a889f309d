"""The Control tab on a JBD board (pytest-qt offscreen, the JBD simulator): a MOSFET switch
without a board password, and the board password set and removed, each confirmed in words
and checked against the board."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402

# the Control tab's window and strict loop_errors (keyring_fake: tests/conftest.py)
from test_control_gui import T, connect, loop_errors, window  # noqa: E402,F401,F811

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton


def test_jbd_discharge_switch_and_board_password(qtbot, window, tmp_path, loop_errors):  # noqa: F811
    page, sim = connect(qtbot, window, "sim://jbd?cells=13&seed=2")
    # a board that checks its own password and has none: confirm without one
    qtbot.mouseClick(page.switch_buttons["discharge_switch"], LEFT)
    panel = page.switch_panel
    assert panel.isVisible() and "delivers no power" in panel.text.text()
    assert panel.confirm_button.isEnabled()
    qtbot.mouseClick(panel.confirm_button, LEFT)
    qtbot.waitUntil(lambda: not panel.busy and bool(page.switch_result.kind), timeout=T)
    assert page.switch_result.kind == "ok", page.switch_result.text()
    assert sim.mos_bits == 2 and not sim.factory
    qtbot.waitUntil(lambda: page.mos_badges["discharge_mos_on"].text() == "OFF", timeout=T)

    # the board password: set, checked, then removed
    assert page.board_password_row.isVisible()
    assert "Parameters tab" in page.identity_note.text()
    assert not page.set_password_button.isEnabled()
    qtbot.keyClicks(page.new_password_edit, "135790")
    qtbot.mouseClick(page.set_password_button, LEFT)
    ipanel = page.identity_panel
    assert ipanel.isVisible() and "Write it down" in ipanel.text.text()
    assert sim.password is None  # asking sends nothing
    assert ipanel.confirm_button.isEnabled(), ipanel.confirm_button.toolTip()
    qtbot.wait(100)  # the page scrolls the panel into view first
    qtbot.mouseClick(ipanel.confirm_button, LEFT)
    qtbot.waitUntil(lambda: not ipanel.busy and bool(page.identity_result.kind), timeout=T)
    assert page.identity_result.kind == "ok", page.identity_result.text()
    assert sim.password == "135790" and not sim.factory
    page.grab().save(str(__import__("pathlib").Path(__file__).parent / "_artifacts" / "jbd_control.png"))

    qtbot.mouseClick(page.clear_password_button, LEFT)
    assert "anyone who connects" in ipanel.text.text()
    ipanel.password_row.edit.clear()
    qtbot.keyClicks(ipanel.password_row.edit, "135790")
    qtbot.wait(100)
    qtbot.mouseClick(ipanel.confirm_button, LEFT)
    qtbot.waitUntil(lambda: not ipanel.busy and bool(page.identity_result.kind), timeout=T)
    assert page.identity_result.kind == "ok", page.identity_result.text()
    assert sim.password is None and not sim.factory
    assert not loop_errors


def test_jbd_remaining_capacity_from_the_control_tab(qtbot, window, loop_errors):  # noqa: F811
    page, sim = connect(qtbot, window, "sim://jbd?cells=13&seed=4")
    assert page.remaining_row.isVisible() and "how much charge" in page.soc_note.text()
    # the field starts at what the board reports, so a stray click cannot set 0 Ah
    qtbot.waitUntil(lambda: page.remaining_spin.value() > 1.0, timeout=T)
    assert page.remaining_spin.value() == pytest.approx(
        window.bridge.last_snapshot.capacity_remaining_ah, abs=1.0
    )
    page.remaining_spin.setValue(30.0)
    qtbot.mouseClick(page.remaining_button, LEFT)
    panel = page.soc_panel
    assert panel.isVisible() and "state of charge jumps" in panel.text.text()
    qtbot.wait(100)
    qtbot.mouseClick(panel.confirm_button, LEFT)
    qtbot.waitUntil(lambda: not panel.busy and bool(page.capacity_result.kind), timeout=2 * T)
    assert page.capacity_result.kind == "ok", page.capacity_result.text()
    assert window.bridge.last_snapshot.capacity_remaining_ah == pytest.approx(30.0, abs=0.2)
    assert not sim.factory
    assert not loop_errors
