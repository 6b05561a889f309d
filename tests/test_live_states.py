"""The Live tab says what a board does not report, and colours readings by the board's own
limits (issue 17, "Honest states"), through the real window on the simulators.

What the boards do not report comes from their protocols: JK04's cell-info frame has no
current, SOC, temperature, MOSFET or alarm field (shared/protocols/jk.md §2.3: "no current
or SOC fields are decoded"; its table lists no alarm field).  The JK02_32S simulator's board
reports its limits (``packbench settings dump --url sim://jk02_32s?cells=16``): MOS
over-temperature 80 °C, released at 70 °C.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from app.model import Snapshot  # noqa: E402
from app.ui.theme import AMBER, GREEN, GREY, RED  # noqa: E402

pytestmark = pytest.mark.gui

T = 10_000
ARTIFACTS = Path(__file__).parent / "_artifacts"


def go_live(qtbot, win, url: str, cells: int):
    live = win.live_page
    win.tabs.setCurrentWidget(live)
    win.bridge.connect_device(url)
    qtbot.waitUntil(lambda: live.bar_count == cells, timeout=T)
    n = live.redraws
    qtbot.waitUntil(lambda: live.redraws > n, timeout=T)  # a snapshot drawn after the first
    return live


def test_jk04_says_what_it_does_not_report_in_grey(qtbot, window):
    win = window
    win.resize(1024, 640)
    live = go_live(qtbot, win, "sim://jk04?cells=16", 16)
    alarms = live.alarms_label.text()
    assert "No alarms" not in alarms and GREEN not in alarms, alarms
    assert "not reported by this board" in alarms and GREY in alarms
    for badge in (live.charge_badge, live.discharge_badge):
        assert badge.text() == "not reported" and badge.toolTip() == "not reported by this board"
        assert GREY in badge.styleSheet() and GREEN not in badge.styleSheet()
    assert "not reported by this board" in live.temps_label.text() and GREY in live.temps_label.text()
    for card in (live.current_card, live.power_card):
        assert card.value.text() == "—" and card.note.text() == "not reported"
    assert live.soc_bar.isTextVisible() and live.soc_bar.text() == "not reported"
    # what JK04 does report is shown as before
    assert live.voltage_card.value.text().endswith(" V") and live.balancing_badge.text() in (
        "IDLE",
        "BALANCING",
    )
    ARTIFACTS.mkdir(exist_ok=True)
    assert win.grab().save(str(ARTIFACTS / "live_jk04_not_reported.png"))


def test_a_board_that_reports_them_shows_its_states(qtbot, window):
    """The same rows on a JK02_32S: alarms, MOSFETs and temperatures are its own."""
    live = go_live(qtbot, window, "sim://jk02_32s?cells=16", 16)
    assert "not reported" not in live.alarms_label.text()
    assert live.charge_badge.text() == "ON" and live.discharge_badge.text() == "ON"
    assert "MOS" in live.temps_label.text() and "not reported" not in live.temps_label.text()
    assert live.current_card.note.text() in ("charging", "discharging", "idle")


def coloured(html: str, text: str) -> str | None:
    """The colour the temperatures label gives ``text`` (None: plain)."""
    for colour, inner in re.findall(r'<span style="color:(#[0-9a-f]{6});[^"]*">([^<]*)</span>', html):
        if inner == text:
            return colour
    assert text in html, html
    return None


def test_a_hot_mos_with_its_alarm_is_red(qtbot, window):
    win = window
    live = go_live(qtbot, win, "sim://jk02_32s?cells=16", 16)
    qtbot.waitUntil(
        lambda: win.bridge.settings is not None and "mos_otp_c" in win.bridge.settings.values, timeout=T
    )
    assert win.bridge.settings.values["mos_otp_c"] == 80.0  # the board's own limit

    def show(mos: float, alarms: list[str], current: float = -20.0) -> str:
        """One snapshot through the bridge, drawn at once (before the next from the board)."""
        snap = Snapshot(
            current_a=current,
            cell_voltages_v=[3.30] * 16,
            temperatures_c=[25.0, 26.0],
            mos_temperature_c=mos,
            alarms=alarms,
        ).derive()
        win.bridge.snapshotReceived.emit(snap)
        live._redraw()
        return live.temps_label.text()

    html = show(78.0, ["mos_overtemperature"])
    assert coloured(html, "MOS 78.0 °C") == RED and "font-weight:bold" in html
    assert coloured(html, "T1 25.0 °C") is None and coloured(html, "T2 26.0 °C") is None
    tip = live.temps_label.toolTip()
    assert "80" in tip and "MOSFET over-temperature" in tip
    ARTIFACTS.mkdir(exist_ok=True)
    assert win.grab().save(str(ARTIFACTS / "live_hot_mos.png"))

    assert coloured(show(78.0, []), "MOS 78.0 °C") == AMBER  # past the 70 °C release: near
    assert coloured(show(81.0, []), "MOS 81.0 °C") == RED  # past the limit, no alarm yet
    assert coloured(show(40.0, []), "MOS 40.0 °C") is None
    assert live.temps_label.toolTip() == ""


def test_cards_past_the_board_limits_are_red(qtbot, window):
    """A cell at the board's 3.65 V OVP and a charge current at its 100 A limit."""
    win = window
    live = go_live(qtbot, win, "sim://jk02_32s?cells=16", 16)
    qtbot.waitUntil(
        lambda: win.bridge.settings is not None and "cell_ovp_v" in win.bridge.settings.values, timeout=T
    )
    cells = [3.40] * 15 + [3.66]
    win.bridge.snapshotReceived.emit(Snapshot(current_a=100.0, cell_voltages_v=cells).derive())
    live._redraw()
    assert live.max_card.accent == RED and "3.65" in live.max_card.toolTip()
    assert live.current_card.accent == RED
    assert live.min_card.accent is None and live.voltage_card.accent is None
    win.bridge.snapshotReceived.emit(Snapshot(current_a=1.0, cell_voltages_v=[3.40] * 16).derive())
    live._redraw()
    assert live.max_card.accent is None and live.current_card.accent is None
