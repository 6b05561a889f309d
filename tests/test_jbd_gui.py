"""A JBD board through the real window (pytest-qt offscreen): the LiFePO4 preset written
through factory mode, verified, and the board left out of factory mode; the Control tab's
switches on a board that checks its own password."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from test_parameters_gui import (
    ARTIFACTS,
    T,
    apply_lifepo4,
    connect,
    diff_keys,  # noqa: E402,F401
    expected_changes,
    open_review,
    report_rows,
)

from app.services import writer  # noqa: E402

pytestmark = pytest.mark.gui

JBD_LI_ION_13S = "sim://jbd?cells=13&chemistry=li-ion&seed=3"


def test_lifepo4_preset_on_a_jbd_board_through_factory_mode(
    qtbot, window, tmp_path, keyring_fake, loop_errors
):
    win = window
    page = win.parameters_page
    sim = connect(qtbot, win, JBD_LI_ION_13S)
    assert not sim.factory, "reading the settings must leave factory mode"
    before = dict(sim.settings)
    assert page.panel.cells.value() == 13
    wanted = apply_lifepo4(qtbot, page, cells=13, capacity=200.0)
    schema = writer.writable_schema(win.bridge.session)
    expected = expected_changes(before, wanted, schema, also={"balance_max_current_a": 2.0})
    assert "pack_ovp_v" in expected and "cell_ovp_v" in expected
    dlg = open_review(qtbot, page)
    assert sorted(diff_keys(dlg)) == sorted(expected)
    # the board checks its own password: none needed when it has none
    assert dlg.password_box.title() == "Board password"
    assert not dlg.password_box.unknown_warning.isVisible()
    assert "factory mode" in dlg.steps_label.text()
    for box in dlg.advisory_boxes().values():
        box.setChecked(True)
    assert dlg.write_button.isEnabled()
    ARTIFACTS.mkdir(exist_ok=True)
    assert dlg.grab().save(str(ARTIFACTS / "jbd_write_review.png"))
    qtbot.mouseClick(dlg.write_button, pytest.importorskip("PySide6.QtCore").Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.report is not None, timeout=3 * T)
    assert dlg.report.ok, dlg.state_label.text()
    assert sum(status == "written and verified" for _l, status in report_rows(dlg)) == len(expected)
    for key, value in wanted.items():
        assert sim.settings[key] == pytest.approx(value), key
    # the page reads the board again after the write: that read leaves factory mode too
    qtbot.waitUntil(lambda: not sim.factory and not win.bridge.session._bus.locked(), timeout=T)
    assert sim.saves == 1
    assert dlg.grab().save(str(ARTIFACTS / "jbd_write_report.png"))
    dlg.reject()
    assert win.grab().save(str(ARTIFACTS / "jbd_parameters.png"))
    assert not loop_errors


def test_live_cells_of_a_jbd_board_with_its_trip_counters(qtbot, window, loop_errors):
    win = window
    win.bridge.connect_device("sim://jbd?cells=13&seed=5")
    page = win.live_page
    win.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.bar_count == 13, timeout=T)
    qtbot.waitUntil(lambda: page.trips_row.isVisible(), timeout=T)
    qtbot.waitUntil(lambda: page._latest is not None, timeout=T)
    n = page.redraws
    qtbot.waitUntil(lambda: page.redraws > n + 2, timeout=T)
    text = page.trips_label.text()
    assert "3×" in text and "1×" in text and "restarts 2" in text, text
    ARTIFACTS.mkdir(exist_ok=True)
    assert win.grab().save(str(ARTIFACTS / "jbd_live.png"))
    assert not loop_errors
