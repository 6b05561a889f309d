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
from app.ui.board_preset_dialog import BoardPresetDialog  # noqa: E402
from app.ui.write_dialog import WriteDialog  # noqa: E402

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
    # written: the report fits as well, as small as its one row (not the review's size)
    review_height = dlg.height()
    dlg.password_box.edit.setText("123456")
    qtbot.mouseClick(dlg.write_button, LEFT)
    qtbot.waitUntil(lambda: dlg.report is not None and dlg.stack.currentIndex() == dlg.PAGE_REPORT, timeout=T)
    assert dlg.report.ok
    fits(dlg, small_screen)
    assert dlg.height() < review_height - 100, (dlg.height(), review_height)
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


# --- issue 17: honest presets and rules in words -----------------------------------------------


def warnings(dlg) -> list[str]:
    from PySide6.QtWidgets import QLabel

    return [w.text() for w in dlg.findChildren(QLabel) if w.text().startswith("Warning — ")]


def test_jk04_preset_panel_offers_only_what_the_board_has_and_the_review_names_the_rest(
    qtbot, window, small_screen, keyring_fake
):
    """JK04 has no current limits, no cell protections and no temperatures (jk.md): the panel
    offers no "Max charge current", the summary says no "charge 1 A", and the review says
    in words which of the preset's values have nowhere to go."""
    page = window.parameters_page
    window.bridge.connect_device("sim://jk04?cells=16")
    qtbot.waitUntil(
        lambda: window.bridge.state == "live" and page.editor("balance_start_v") is not None, timeout=T
    )
    window.tabs.setCurrentWidget(page)
    panel = page.panel
    form = panel._form
    assert not form.isRowVisible(panel.charge) and not form.isRowVisible(panel.discharge)
    assert form.isRowVisible(panel.balance) and panel.cells.isVisibleTo(panel)
    assert panel.profile().charge_current_a is None and panel.profile().discharge_current_a is None
    # the board keeps no capacity: asked for, never a made-up 1 Ah (0.1 A of balance current)
    assert panel.capacity.value() == 0 and panel.capacity.text() == "enter the pack's capacity"
    panel.select_builtin("lifepo4")
    qtbot.mouseClick(panel.apply_button, LEFT)
    assert "capacity" in page.message_label.text() and not page.changed_keys()
    panel.capacity.setValue(280)
    qtbot.mouseClick(panel.apply_button, LEFT)
    source = page.source_label.text()
    assert "LiFePO4" in source and "16 cells, 280 Ah" in source
    assert "charge" not in source and "discharge" not in source
    dlg = open_review(qtbot, page)
    missing = dlg.findChild(type(dlg.review_error), "missing")
    assert missing is not None and missing.isVisibleTo(dlg)
    text = missing.text()
    assert "no setting for" in text and "nowhere to go" in text
    # presets.md's LiFePO4 cell limits and temperatures, in words with their values
    for words in (
        "Cell over-voltage protection: 3.650 V",
        "Cell under-voltage protection: 2.500 V",
        "Charge under-temperature: 0",
    ):
        assert words in text, text
    # what the board has is written, not listed as missing
    assert "Auto shutdown" not in text and "Balance start" not in text
    assert "charge_ocp_a" not in text and "Max charge current" not in text
    # 0.1 C of 280 Ah, at most 2 A (presets.md: the pack profile's balance current)
    t = dlg.diff_table
    diff = {t.item(r, 4).text(): t.item(r, 3).text() for r in range(t.rowCount())}
    assert diff.get("balance_max_current_a") == "2 A", diff
    fits(dlg, small_screen)
    qtbot.wait(50)  # the scroll bars settle
    assert dlg.grab().save(str(ARTIFACTS / "review_jk04_preset_1024x640.png"))
    dlg.reject()


def test_review_names_the_rules_in_words_and_flags_the_smart_sleep_voltage(qtbot, window, keyring_fake):
    """A LiFePO4 preset on a Li-ion JK02_32S: every warning says its rule in words, never
    "Rule 9"; the smart sleep voltage the preset does not set (3.3 V, Li-ion's) is flagged with
    LiFePO4's window (presets.md: power-off 2.40 V up to halfway between the under-voltage
    recovery 2.80 V and the balance start 3.40 V)."""
    page = window.parameters_page
    sim = connect(qtbot, window, LI_ION_16S)
    assert sim.settings["jk_smart_sleep_v"] == pytest.approx(3.3)
    page.panel.select_builtin("lifepo4")
    qtbot.mouseClick(page.panel.apply_button, LEFT)
    dlg = open_review(qtbot, page)
    texts = warnings(dlg)
    assert texts and not any("Rule" in t for t in texts)
    names = [t.removeprefix("Warning — ").split(":")[0] for t in texts]
    assert "Chemistry change" in names and "Left from the old chemistry" in names
    (left,) = [t for t in texts if "Left from the old chemistry" in t]
    assert "Smart sleep voltage stays at 3.300 V (for LiFePO4: 2.400 V … 3.100 V)" in left
    assert "rule13:jk_smart_sleep_v" in dlg.advisory_boxes()
    dlg.reject()
