"""ANT boards through the real window (pytest-qt offscreen, qasync style A): the LiFePO4
preset written to ``sim://ant_2021`` through the Parameters tab, verified key by key and
saved once; live cells of both protocols; the Control tab of the legacy board with the
board's own presets, and of the 2021 board with its current zero wizard and password
levels.  Screenshots (1280×800 and 1024×640) land in tests/_artifacts/ant_*.png.

Expected values come from ../shared/presets.md (the LiFePO4 column, scaled to 16 cells)
and ../shared/protocols/ant_xiaomi.md (§2.7 the save command 0x51 / 0x0007 after the
writes, §2.9 the password levels); the board's own preset values are whatever the
simulated board holds after the command, read back (presets.md: "nobody knows its
values in advance").
"""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from test_control_gui import confirm  # noqa: E402
from test_parameters_gui import (
    ARTIFACTS,
    LEFT,
    T,
    apply_lifepo4,
    backups,
    connect,  # noqa: E402
    diff_keys,
    expected_changes,
    open_review,
    report_rows,
)

from app.services import settings_files, writer  # noqa: E402
from app.ui.board_preset_dialog import BoardPresetDialog  # noqa: E402

pytestmark = pytest.mark.gui

ANT_LI_ION_16S = "sim://ant_2021?cells=16&chemistry=li-ion&seed=3"
#: presets.md "Packbench presets", LiFePO4 column; pack values × 16 cells; the pack
#: profile's 280 Ah gives 0.005 V delta (from 50 Ah) and 2 A balance current (0.1 C, at most 2 A)
LIFEPO4_16S_280AH = {
    "cell_ovp_v": 3.65,
    "soc_full_v": 3.60,
    "cell_ovp_recovery_v": 3.55,
    "balance_start_v": 3.40,
    "cell_uvp_recovery_v": 2.80,
    "soc_empty_v": 2.70,
    "cell_uvp_v": 2.50,
    "power_off_v": 2.40,
    "pack_ovp_v": 58.4,
    "pack_ovp_recovery_v": 56.8,
    "pack_uvp_v": 40.0,
    "pack_uvp_recovery_v": 44.8,
    "cell_count": 16,
    "capacity_nominal_ah": 280.0,
    "balance_trigger_delta_v": 0.005,
    "balance_max_current_a": 2.0,
}


#: what ANT's LiFePO4 preset adds to presets.md's table (its family module's rule: level 2
#: beyond level 1, releasing at the level-1 recovery; the warnings at presets.md's 100 % / 0 %
#: voltages, releasing at its recoveries), and the pack profile's default 2 A balance current
#: (at most 0.1 C). Level-2 UVP is 2.30 V, 0.20 V below the 2.50 V UVP, though the module's
#: comment says 0.10 V.
ANT_LIFEPO4 = {
    "ant_cell_ovp2_v": 3.65 + 0.10,
    "ant_cell_ovp2_recovery_v": 3.55,
    "ant_cell_uvp2_v": 2.30,
    "ant_cell_uvp2_recovery_v": 2.80,
    "ant_cell_ov_alarm_v": 3.60,
    "ant_cell_ov_alarm_recovery_v": 3.55,
    "ant_cell_uv_alarm_v": 2.70,
    "ant_cell_uv_alarm_recovery_v": 2.80,
    "balance_max_current_a": 2.0,
}


def shots(win, name: str) -> None:
    """The window at 1280×800 and at 1024×640."""
    ARTIFACTS.mkdir(exist_ok=True)
    assert win.grab().save(str(ARTIFACTS / f"{name}.png"))
    size = win.size()
    win.resize(1024, 640)
    assert win.grab().save(str(ARTIFACTS / f"{name}_1024.png"))
    win.resize(size)


def frames(sim, func: int, address: int | None = None) -> list[int]:
    """Positions in the board's received frames of the 7E A1 frames of ``func``."""
    return [
        i
        for i, f in enumerate(sim.received)
        if f[:2] == b"\x7e\xa1"
        and f[2] == func
        and (address is None or int.from_bytes(f[3:5], "little") == address)
    ]


def test_lifepo4_preset_through_the_parameters_tab_is_verified_and_saved_once(
    qtbot, window, tmp_path, keyring_fake, loop_errors
):
    win = window
    page = win.parameters_page
    sim = connect(qtbot, win, ANT_LI_ION_16S)
    assert page.panel.cells.value() == 16
    before = dict(sim.settings)
    wanted = apply_lifepo4(qtbot, page, cells=16, capacity=280.0)
    for key, value in LIFEPO4_16S_280AH.items():  # the form shows the preset with the pack
        assert page.editor(key).value() == pytest.approx(value), key
    schema = writer.writable_schema(win.bridge.session)
    expected = expected_changes(before, wanted, schema, also=ANT_LIFEPO4)
    assert {"cell_ovp_v", "pack_ovp_v", "capacity_nominal_ah"} <= set(expected)
    assert sim.writes == []  # applying a preset writes nothing
    page.tree.setCurrentItem(page._rows["cell_ovp_v"].item)
    shots(win, "ant_parameters_preset")

    dlg = open_review(qtbot, page)
    assert sorted(diff_keys(dlg)) == sorted(expected)
    # only the board checks an ANT password; one that grants the level needs none
    assert dlg.password_box.title() == "Board password"
    for box in dlg.advisory_boxes().values():
        box.setChecked(True)
    assert dlg.write_button.isEnabled()
    assert dlg.grab().save(str(ARTIFACTS / "ant_write_review.png"))
    qtbot.mouseClick(dlg.write_button, LEFT)
    qtbot.waitUntil(lambda: dlg.report is not None, timeout=3 * T)
    assert dlg.report.ok, dlg.state_label.text()
    rows = report_rows(dlg)
    assert sum(status == "written and verified" for _l, status in rows) == len(expected)
    assert dlg.grab().save(str(ARTIFACTS / "ant_write_report.png"))
    # the board holds every value, in its working memory and in flash
    for key, value in wanted.items():
        assert sim.settings[key] == pytest.approx(value), key
        assert sim.saved[key] == pytest.approx(value), key
    # §2.7: the save 0x51 / 0x0007 exactly once, after the last 0x22 write; no password sent
    writes, saves = frames(sim, 0x22), frames(sim, 0x51, 0x0007)
    assert len(writes) == len(expected) and len(saves) == 1 and saves[0] > writes[-1]
    assert sim.saves == 1 and frames(sim, 0x23) == []
    assert len(backups(tmp_path)) == 1
    dlg.reject()
    qtbot.waitUntil(lambda: page.row_text("cell_ovp_v")[1] == "3.650 V", timeout=T)
    shots(win, "ant_parameters")


def test_a_wrong_password_writes_nothing_and_the_key_writes(qtbot, window, keyring_fake, loop_errors):
    """§2.9: parameter writes want the level-5 key; a wrong one is tried once, nothing written."""
    win = window
    page = win.parameters_page
    sim = connect(qtbot, win, "sim://ant_2021?cells=16&password=12345678&seed=4")
    assert sim.permission == 0
    page.editor("balance_start_v").spin.setValue(3.35)
    dlg = open_review(qtbot, page)
    for box in dlg.advisory_boxes().values():
        box.setChecked(True)
    qtbot.keyClicks(dlg.password_box.edit, "wrong-key")
    qtbot.mouseClick(dlg.write_button, LEFT)
    qtbot.waitUntil(lambda: dlg.review_error.isVisible(), timeout=T)
    assert dlg.report is None and dlg.stack.currentIndex() == dlg.PAGE_REVIEW
    assert sim.writes == [] and frames(sim, 0x22) == [] and sim.saves == 0
    assert len(frames(sim, 0x23)) == 1  # tried once, never a second guess
    assert "refused the password" in dlg.review_error.text(), dlg.review_error.text()
    assert dlg.grab().save(str(ARTIFACTS / "ant_wrong_password.png"))
    dlg.password_box.edit.clear()
    qtbot.keyClicks(dlg.password_box.edit, "123456789abc")  # esphome's level-5 key (§2.9)
    qtbot.mouseClick(dlg.write_button, LEFT)
    qtbot.waitUntil(lambda: dlg.report is not None, timeout=T)
    assert dlg.report.ok, dlg.state_label.text()
    assert sim.saved["balance_start_v"] == pytest.approx(3.35) and sim.saves == 1


@pytest.mark.parametrize("protocol", ["ant_2021", "ant_legacy"])
def test_live_cells_of_both_protocols(qtbot, window, loop_errors, protocol):
    win = window
    win.bridge.connect_device(f"sim://{protocol}?cells=16&seed=5")
    page = win.live_page
    win.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.bar_count == 16, timeout=T)
    qtbot.waitUntil(lambda: page._latest is not None, timeout=T)
    n = page.redraws
    qtbot.waitUntil(lambda: page.redraws > n + 2, timeout=T)
    assert win.bridge.session.protocol.id == protocol
    shots(win, f"ant_live_{protocol.removeprefix('ant_')}")


def test_control_tab_of_a_legacy_board_with_its_own_lifepo4_preset(qtbot, window, tmp_path, loop_errors):
    from test_control_gui import connect as connect_control

    page, sim = connect_control(qtbot, window, "sim://ant_legacy?cells=16&chemistry=lto&seed=2")
    # the board's own presets (§1.4: 0xFB LiFePO4, 0xF0 LTO) and what the family has
    assert list(page.preset_buttons) == ["preset_lifepo4", "preset_lto"]
    assert not page.preset_note.isVisibleTo(page)
    for action in ("restart", "shutdown", "factory_reset"):
        assert page.action_buttons[action].isVisibleTo(page), action
    assert page.zero_section.isVisibleTo(page)
    assert not page.voltage_button.isVisibleTo(page) and not page.current_button.isVisibleTo(page)
    assert page.switch_buttons["charge_switch"].isVisibleTo(page)
    assert not page.switch_buttons["balance_switch"].isVisibleTo(page)
    assert page.switch_note.isVisibleTo(page)
    qtbot.wait(100)
    shots(window, "ant_control_legacy")

    before = dict(sim.settings)
    qtbot.mouseClick(page.preset_buttons["preset_lifepo4"], LEFT)
    qtbot.waitUntil(lambda: isinstance(page.dialog, BoardPresetDialog) and page.dialog.isVisible(), timeout=T)
    dlg = page.dialog
    assert dlg.run_button.isEnabled()  # the board has no password: none is asked
    qtbot.mouseClick(dlg.run_button, LEFT)
    qtbot.waitUntil(lambda: dlg.result is not None, timeout=T)
    assert sim.presets_loaded == [0xFB]
    # what is shown is what the board holds now, read back, against what it held before
    t = dlg.result_table
    shown = {t.item(r, 3).text(): (t.item(r, 1).text(), t.item(r, 2).text()) for r in range(t.rowCount())}
    assert shown["cell_ovp_v"] == (f"{before['cell_ovp_v']:.3f} V", f"{sim.settings['cell_ovp_v']:.3f} V")
    # the settings the preset changed; the running counters (remaining and cycle capacity, read-only
    # rows of the schema) move by themselves and are not the preset's doing
    counters = {s.key for s in window.bridge.session.protocol.settings_schema() if not s.writable}
    assert "ant_capacity_remaining_ah" in counters
    assert set(shown) == {k for k in before if before[k] != sim.settings[k] and k not in counters}
    files = backups(tmp_path)
    assert len(files) == 1 and str(files[0]) in dlg.backup_label.text()
    assert settings_files.load(files[0])["settings"]["cell_ovp_v"] == pytest.approx(before["cell_ovp_v"])
    assert dlg.grab().save(str(ARTIFACTS / "ant_board_preset.png"))


def test_current_zero_on_a_2021_board(qtbot, window, loop_errors):
    from test_control_gui import connect as connect_control

    page, sim = connect_control(qtbot, window, "sim://ant_2021?cells=16&current=0&current_offset=0.4")
    assert not page.preset_buttons and page.preset_note.isVisibleTo(page)  # no presets of its own
    assert "no one-click preset" in page.preset_note.text()
    assert page.zero_section.isVisibleTo(page)
    for key in ("charge_switch", "discharge_switch", "balance_switch"):
        assert page.switch_buttons[key].isVisibleTo(page), key
    qtbot.mouseClick(page.zero_section.button, LEFT)
    assert "Disconnect the charger and the load" in page.zero_section.panel.text.text()
    r = confirm(qtbot, page, page.zero_section.panel, page.zero_section.result, "12345678")
    assert r.kind == "ok", r.text()
    assert "was +0.4" in r.text() or "was +0.39" in r.text() or "was +0.41" in r.text(), r.text()
    assert 0x08 in sim.commands and abs(sim.current_offset_a) < 0.05  # §2.8 code 0x08
    assert abs(window.bridge.last_snapshot.current_a) <= 0.1
    shots(window, "ant_control_2021")


def test_the_connection_tab_offers_to_find_the_ant_protocol(qtbot, window, loop_errors):
    win = window
    page = win.connection_page
    combo = page.protocol_combo
    index = combo.findData("ant")
    assert index > 0 and combo.itemText(index) == "ANT: find the protocol (ant)"
    combo.setCurrentIndex(index)
    page.url_edit.setText("sim://ant_2021?cells=16&seed=6")
    qtbot.mouseClick(page.connect_button, LEFT)
    qtbot.waitUntil(lambda: win.bridge.state == "live", timeout=T)
    session = win.bridge.session
    assert session.protocol.id == "ant_2021" and session._probing and not session._forced
    assert "For an <b>ANT</b> board" in page.help_label.text()
    win.tabs.setCurrentWidget(page)
    qtbot.wait(100)
    shots(win, "ant_connection")
