"""The write dialogs at a small laptop's size, and what their review says in words.

Issue 17: the review opened at 980×760 whatever it showed (taller than a 1024×640
screen, mostly empty with one change).  The review, the report and the board-preset
dialog now fit their content, bounded by the screen's available geometry; here the
screen is a 1024×640 one (``dialog_size.available_geometry``), and the dialogs are
grabbed to tests/_artifacts/ for people to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QRect, Qt  # noqa: E402

from app.ui import dialog_size  # noqa: E402
from app.ui.write_dialog import BoardPresetDialog, WriteDialog  # noqa: E402

pytestmark = pytest.mark.gui

ARTIFACTS = Path(__file__).parent / "_artifacts"
T = 10_000
LEFT = Qt.MouseButton.LeftButton
SMALL = QRect(0, 0, 1024, 640)
LI_ION_16S = "sim://jk02_32s?cells=16&chemistry=li-ion&seed=3"


@pytest.fixture
def small_screen(monkeypatch):
    """Dialogs size themselves for a 1024×640 screen."""
    monkeypatch.setattr(dialog_size, "available_geometry", lambda _widget: QRect(SMALL))
    return SMALL


def connect(qtbot, win, url: str):
    win.bridge.connect_device(url)
    page = win.parameters_page
    qtbot.waitUntil(
        lambda: win.bridge.state == "live" and page.editor("cell_ovp_v") is not None,
        timeout=T,
    )
    win.tabs.setCurrentWidget(page)
    return win.bridge.session._transport.sim


def open_review(qtbot, page) -> WriteDialog:
    qtbot.mouseClick(page.review_button, LEFT)
    qtbot.waitUntil(lambda: isinstance(page.dialog, WriteDialog) and page.dialog.isVisible(), timeout=T)
    return page.dialog


def fits(dlg, area: QRect) -> None:
    """The dialog, with room for its frame, lies within the screen, and is about as tall
    as its content at its width (no empty half-dialog)."""
    frame = dialog_size.FRAME_ALLOWANCE
    assert dlg.width() + frame.width() <= area.width()
    assert dlg.height() + frame.height() <= area.height()
    content = dlg.heightForWidth(dlg.width()) if dlg.hasHeightForWidth() else dlg.sizeHint().height()
    assert dlg.height() <= min(content, area.height() - frame.height()) + 24, (dlg.height(), content)


def test_review_with_one_change_fits_a_small_screen_and_its_content(
    qtbot, window, small_screen, keyring_fake, loop_errors
):
    page = window.parameters_page
    sim = connect(qtbot, window, LI_ION_16S)
    page.set_new_value("cell_ovp_recovery_v", round(sim.settings["cell_ovp_recovery_v"] - 0.01, 3))
    dlg = open_review(qtbot, page)
    assert dlg.diff_table.rowCount() == 1
    fits(dlg, small_screen)
    assert dlg.height() < 600  # one change: far from the old fixed 760 px
    # the one row is shown whole, without a tall empty table under it
    table = dlg.diff_table
    assert table.height() <= table.rowHeight(0) + table.horizontalHeader().height() + 12
    ARTIFACTS.mkdir(exist_ok=True)
    assert dlg.grab().save(str(ARTIFACTS / "review_one_change_1024x640.png"))
    # written: the report fits as well
    dlg.password_box.edit.setText("123456")
    qtbot.mouseClick(dlg.write_button, LEFT)
    qtbot.waitUntil(lambda: dlg.report is not None and dlg.stack.currentIndex() == dlg.PAGE_REPORT, timeout=T)
    assert dlg.report.ok
    fits(dlg, small_screen)
    assert dlg.grab().save(str(ARTIFACTS / "report_one_change_1024x640.png"))
    dlg.accept()
    assert not loop_errors


def test_review_of_a_whole_preset_stays_inside_a_small_screen(qtbot, window, small_screen, keyring_fake):
    """Many changes and warnings: the dialog stops at the screen, the table and the
    warnings scroll, the password and the buttons stay reachable."""
    page = window.parameters_page
    connect(qtbot, window, LI_ION_16S)
    page.panel.select_builtin("lifepo4")
    qtbot.mouseClick(page.panel.apply_button, LEFT)
    dlg = open_review(qtbot, page)
    assert dlg.diff_table.rowCount() >= 10
    fits(dlg, small_screen)
    for widget in (dlg.write_button, dlg.password_box.edit):
        bottom = widget.mapTo(dlg, widget.rect().bottomLeft()).y()
        assert widget.isVisible() and 0 <= bottom <= dlg.height()
    qtbot.wait(50)  # the scroll bars settle
    assert dlg.review.body.verticalScrollBar().isVisible()  # the rest scrolls into view
    assert dlg.grab().save(str(ARTIFACTS / "review_preset_1024x640.png"))
    dlg.reject()


def test_board_preset_dialog_fits_a_small_screen(qtbot, window, small_screen, keyring_fake, loop_errors):
    page = window.parameters_page
    connect(qtbot, window, LI_ION_16S)
    qtbot.mouseClick(page.panel.board_buttons["preset_lifepo4"], LEFT)
    qtbot.waitUntil(lambda: isinstance(page.dialog, BoardPresetDialog) and page.dialog.isVisible(), timeout=T)
    dlg = page.dialog
    fits(dlg, small_screen)
    qtbot.keyClicks(dlg.password_box.edit, "123456")
    qtbot.mouseClick(dlg.run_button, LEFT)
    qtbot.waitUntil(lambda: dlg.result is not None and dlg.stack.currentIndex() == dlg.PAGE_RESULT, timeout=T)
    fits(dlg, small_screen)
    assert dlg.grab().save(str(ARTIFACTS / "board_preset_1024x640.png"))
    dlg.accept()
    assert not loop_errors
