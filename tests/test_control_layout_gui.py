"""The Control tab at a small laptop's size and its honest states (issue 17), through the
real window (pytest-qt offscreen, the simulators).

- At 1024×640 the sections stand in one column and every visible widget lies inside
  the scroll area's visible width (the LTO board-preset button was unreachable when
  the tab kept two columns and switched horizontal scrolling off); at 1280×800 two.
- JK04 frames carry no alarm or MOSFET field (jk.md §2.3): the sealing checks say
  "not reported by this board" in grey, never "No alarms ✓".
- JBD offers current calibration only: its help mentions no voltage wizard; it reports
  no precharge MOSFET, so no "Precharge MOSFET UNKNOWN" row.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

import test_control_gui  # noqa: E402
from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtWidgets import QAbstractScrollArea, QGroupBox, QWidget  # noqa: E402
from test_control_gui import T, connect  # noqa: E402

from app.ui.theme import GREY  # noqa: E402

# the Control tab's window and strict loop_errors (keyring_fake: tests/conftest.py)
window, loop_errors = test_control_gui.window, test_control_gui.loop_errors

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton
ARTIFACTS = Path(__file__).parent / "_artifacts"


def outside_visible_width(page) -> list[str]:
    """Visible widgets of the tab's scrolled body that stick out of the visible width."""
    viewport = page.scroll.viewport()
    body = page.scroll.widget()
    out = []
    for w in body.findChildren(QWidget):
        if not w.isVisibleTo(body) or _inside_inner_scroll_area(w, body):
            continue
        left = w.mapTo(viewport, QPoint(0, 0)).x()
        if left < 0 or left + w.width() > viewport.width():
            text = w.text() if hasattr(w, "text") else w.objectName()
            out.append(f"{type(w).__name__} {text!r}: {left}..{left + w.width()} of {viewport.width()}")
    return out


def _inside_inner_scroll_area(w: QWidget, body: QWidget) -> bool:
    """A table's own cells scroll inside it: only the table itself is checked."""
    parent = w.parentWidget()
    while parent is not None and parent is not body:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def box(page, title: str) -> QGroupBox:
    return next(b for b in page.findChildren(QGroupBox) if b.title() == title)


def resize(qtbot, win, width: int, height: int) -> None:
    win.resize(width, height)
    qtbot.waitUntil(lambda: win.width() == width, timeout=T)
    qtbot.wait(50)  # the layout settles


@pytest.mark.parametrize("url", ["sim://jk02_32s?cells=16", "sim://daly_d2?cells=16"])
def test_one_column_at_1024_nothing_outside_the_visible_width(qtbot, window, url):
    page, _sim = connect(qtbot, window, url)
    resize(qtbot, window, 1024, 640)
    switches, calibration = box(page, "Switches"), box(page, "Calibration against a meter")
    # one column: calibration under the switches, both as wide as the column
    assert calibration.mapTo(page, QPoint(0, 0)).y() > switches.mapTo(page, QPoint(0, 0)).y()
    assert calibration.mapTo(page, QPoint(0, 0)).x() == switches.mapTo(page, QPoint(0, 0)).x()
    assert outside_visible_width(page) == []
    if page.preset_buttons:  # JK02_32S: Li-ion, LiFePO4, LTO
        assert page.preset_buttons["preset_lto"].isVisibleTo(page)
    # an open confirmation (the widest: RESET typed, the password) fits too
    qtbot.mouseClick(page.action_buttons["factory_reset"], LEFT)
    qtbot.waitUntil(page.action_panel.isVisible, timeout=T)
    qtbot.wait(50)
    assert outside_visible_width(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.scroll.widget().grab().save(str(ARTIFACTS / f"control_1024_{url[6:].split('?')[0]}.png"))

    resize(qtbot, window, 1280, 800)
    # two columns again: calibration beside the switches
    assert calibration.mapTo(page, QPoint(0, 0)).x() > switches.mapTo(page, QPoint(0, 0)).x()
    assert outside_visible_width(page) == []


def test_jk04_sealing_checks_say_what_the_board_does_not_report(qtbot, window):
    page, _sim = connect(qtbot, window, "sim://jk04?cells=16")
    rows = page.check_rows
    qtbot.waitUntil(lambda: rows["cells"].state is True, timeout=T)
    for cid in ("alarms", "fets"):  # no alarm or MOSFET field in JK04 frames (jk.md §2.3)
        assert rows[cid].state is None, cid
        assert rows[cid].detail.text() == "not reported by this board"
        assert rows[cid].symbol.text() != "✓"
        assert rows[cid].detail.styleSheet() == f"color: {GREY};"
    # never "Ready to seal": not ready (the cells' difference), cannot tell yet (the pack has not
    # rested long enough to judge its spread), or cannot confirm the two it does not report
    summary = page.sealing_summary.text()
    expected = ("Not ready", "Cannot tell: 1 check(s) unknown", "Cannot confirm: 2 check(s) not reported")
    assert summary.startswith(expected), summary


def test_jbd_help_and_outputs_say_only_what_the_board_has(qtbot, window):
    page, _sim = connect(qtbot, window, "sim://jbd?cells=13")
    qtbot.waitUntil(lambda: page.current_button.isVisibleTo(page), timeout=T)
    assert not page.voltage_button.isVisibleTo(page)  # JBD: current calibration only
    help_text = page.calibration_help.text()
    assert page.calibration_help.isVisibleTo(page) and "clamp meter" in help_text
    assert "Voltage" not in help_text and "switches charging and discharging off" not in help_text
    # JBD frames carry no precharge MOSFET: no row for it (it read "UNKNOWN")
    assert window.bridge.last_snapshot.precharge_mos_on is None
    assert not page.mos_badges["precharge_mos_on"].isVisibleTo(page)
    assert page.mos_badges["charge_mos_on"].text() in ("ON", "OFF")

    # a JK02_32S board reports it: the row is there, ON or OFF
    page, _sim = connect(qtbot, window, "sim://jk02_32s?cells=16")
    qtbot.waitUntil(lambda: page.mos_badges["precharge_mos_on"].isVisibleTo(page), timeout=T)
    assert page.mos_badges["precharge_mos_on"].text() in ("ON", "OFF")
    assert "Voltage" in page.calibration_help.text()
