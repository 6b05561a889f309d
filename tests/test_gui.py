"""The real window, offscreen, against the simulator (pytest-qt + qasync, style A).

Drives the Connection page like a person would (type the URL, click
Connect), then checks what the other pages show.  A screenshot of the live
page is kept in tests/_artifacts/live.png for people to look at.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from boards import run_on_loop as run  # noqa: E402
from PySide6.QtCore import QSettings, Qt  # noqa: E402

from app.cli import DEMO_URL  # noqa: E402
from app.model import Settings, Snapshot  # noqa: E402
from app.session import SessionError  # noqa: E402
from app.simulator import create_simulator  # noqa: E402
from app.simulator.server import ServerThread  # noqa: E402
from app.ui.connection_page import RECENT_KEY, load_recent, remember_recent  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.widgets import alarm_text  # noqa: E402

pytestmark = pytest.mark.gui

ARTIFACTS = Path(__file__).parent / "_artifacts"
LIVE_TIMEOUT_MS = 10_000


# window, loop_errors: tests/conftest.py


def connect_via_ui(qtbot, win: MainWindow, url: str) -> None:
    page = win.connection_page
    page.url_edit.clear()
    qtbot.keyClicks(page.url_edit, url)
    assert page.connect_button.isEnabled()
    qtbot.mouseClick(page.connect_button, Qt.MouseButton.LeftButton)


def number(text: str) -> float:
    m = re.search(r"[-+]?\d+(?:\.\d+)?", text)
    assert m, f"no number in {text!r}"
    return float(m.group())


def test_demo_board_live_parameters_and_disconnect(qtbot, window, loop_errors):
    win, bridge = window, window.bridge
    connect_via_ui(qtbot, win, DEMO_URL)

    live = win.live_page
    # the first frame can be drawn a moment before the session says it is live
    qtbot.waitUntil(lambda: live.bar_count == 16 and bridge.state == "live", timeout=LIVE_TIMEOUT_MS)
    assert win.tabs.currentWidget() is live  # switched to the cells when it went live

    def voltage_shown() -> bool:
        snap = bridge.last_snapshot
        text = live.voltage_card.value.text()
        # the readout trails the newest snapshot by at most one 100 ms tick
        return snap is not None and text.endswith(" V") and abs(number(text) - snap.pack_voltage_v) < 0.05

    qtbot.waitUntil(voltage_shown, timeout=LIVE_TIMEOUT_MS)
    assert re.fullmatch(r"\d+\.\d\d V", live.voltage_card.value.text())
    assert live.current_card.value.text().endswith(" A")
    assert live.delta_card.value.text().endswith(" mV")
    assert re.fullmatch(r"cell \d+", live.min_card.note.text())

    status = win.status_label.text()
    assert status.startswith("Live — "), status
    assert "JK-" in status and "jk02_32s" in status and DEMO_URL in status

    # Parameters: rows from the schema, values with units
    qtbot.waitUntil(lambda: win.parameters_page.row_text("cell_ovp_v") is not None, timeout=LIVE_TIMEOUT_MS)
    label, value = win.parameters_page.row_text("cell_ovp_v")
    assert label == "Cell over-voltage protection"
    assert value.endswith(" V")
    assert number(value) == pytest.approx(bridge.settings.values["cell_ovp_v"])
    info = win.parameters_page._info_values
    assert info["model"].text().startswith("JK-")
    assert info["protocol"].text() == "jk02_32s"

    # Control: switches from the settings, MOSFETs from the live data
    assert win.control_page.switch_badges["charge_switch"].text() == "ON"
    assert win.control_page.mos_badges["charge_mos_on"].text() in ("ON", "OFF")

    # the device went live, so it is remembered (one JSON string, most recent first)
    assert load_recent(win.settings)[0] == DEMO_URL
    assert json.loads(win.settings.value(RECENT_KEY, "", type=str))[0] == DEMO_URL

    win.tabs.setCurrentWidget(live)
    # a few seconds of history, so the screenshot shows lines, not an empty plot
    qtbot.waitUntil(lambda: live._history is not None and live._history.count >= 5, timeout=LIVE_TIMEOUT_MS)
    qtbot.wait(300)
    ARTIFACTS.mkdir(exist_ok=True)
    assert win.grab().save(str(ARTIFACTS / "live.png"))

    page = win.connection_page
    assert page.disconnect_button.isEnabled()
    assert not page.connect_button.isEnabled()
    qtbot.mouseClick(page.disconnect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.status_label.text() == "Disconnected", timeout=LIVE_TIMEOUT_MS)
    assert bridge.session is None
    assert live.bar_count == 0  # cleared
    assert page.connect_button.isEnabled()
    assert not page.error_label.isVisible()
    assert not loop_errors


def test_live_over_tcp_simulator(qtbot, window, loop_errors):
    """The same window over a real transport: pyserial's socket:// to a TCP simulator."""
    win = window
    with ServerThread(create_simulator("jk02_32s", cells=16)) as server:
        connect_via_ui(qtbot, win, server.url)
        qtbot.waitUntil(lambda: win.live_page.bar_count == 16, timeout=LIVE_TIMEOUT_MS)
        qtbot.waitUntil(
            lambda: win.live_page.voltage_card.value.text().endswith(" V"), timeout=LIVE_TIMEOUT_MS
        )
        assert win.status_label.text().startswith("Live — ")
        assert server.url in win.status_label.text()
        run(qtbot, win.bridge.disconnect_device())
        qtbot.waitUntil(lambda: win.status_label.text() == "Disconnected", timeout=LIVE_TIMEOUT_MS)
    assert not loop_errors


@pytest.mark.parametrize("url", ["socket://127.0.0.1:1", "foo://nowhere", "sim://no_such_board"])
def test_bad_url_shows_words_and_returns_to_disconnected(qtbot, window, loop_errors, url):
    win = window
    page = win.connection_page
    connect_via_ui(qtbot, win, url)
    qtbot.waitUntil(page.error_label.isVisible, timeout=LIVE_TIMEOUT_MS)
    qtbot.waitUntil(page.connect_button.isEnabled, timeout=LIVE_TIMEOUT_MS)
    text = page.error_label.text()
    assert text and "Traceback" not in text and "Error:" not in text
    assert re.search(r"[A-Za-z]{3,} [A-Za-z]{2,}", text), text  # words, not a code
    assert win.bridge.state == "disconnected"
    assert win.status_label.text().startswith("Disconnected")
    assert not page.disconnect_button.isEnabled()
    assert load_recent(win.settings) == []  # never went live: not remembered
    assert not loop_errors


def test_cell_count_change_and_alarm_words(qtbot, window):
    """Snapshots straight into the bridge's signal: reallocation and labels."""
    win = window
    live = win.live_page
    win.tabs.setCurrentWidget(live)

    def feed(cells: int, **extra) -> None:
        snap = Snapshot(
            current_a=-12.5, soc_pct=40, cell_voltages_v=[3.30 + 0.001 * i for i in range(cells)], **extra
        ).derive()
        win.bridge.snapshotReceived.emit(snap)

    feed(8, alarms=["cell_undervoltage", "jk_bit_17"], balancing_active=True)
    qtbot.waitUntil(lambda: live.bar_count == 8, timeout=2000)
    qtbot.waitUntil(lambda: "JK alarm bit 17" in live.alarms_label.text(), timeout=2000)
    assert "Cell under-voltage" in live.alarms_label.text()
    assert live.current_card.note.text() == "discharging"
    assert live.balancing_badge.text() == "BALANCING"
    feed(24)
    qtbot.waitUntil(lambda: live.bar_count == 24, timeout=2000)
    qtbot.waitUntil(lambda: "No alarms" in live.alarms_label.text(), timeout=2000)
    assert live.max_card.note.text() == "cell 24"
    assert len(live._curves) == 24


def test_a_forced_protocol_that_does_not_fit_is_in_the_status_bar(qtbot, window, loop_errors):
    """Issue 12: ?protocol=jk02_24s on a 32S board (TCP simulator) says writes are refused."""
    win = window
    with ServerThread(create_simulator("jk02_32s", cells=16)) as server:
        connect_via_ui(qtbot, win, f"{server.url}?protocol=jk02_24s")
        qtbot.waitUntil(lambda: win.status_label.text().startswith("Live"), timeout=LIVE_TIMEOUT_MS)
        text = win.status_label.text()
        assert "writes refused" in text and "forced protocol jk02_24s" in text, text
        assert "jk02_32s" in text
        run(qtbot, win.bridge.disconnect_device())
    assert not loop_errors


def test_live_page_names_values_the_board_cannot_mean(qtbot, window):
    """Issue 12: a decoded frame with a cell of 0xFFFF (tests/test_plausible.py's patched
    ESPHome v15 capture) is named on the Live page, and its cells are not drawn."""
    from test_plausible import V15, jk_patch

    win = window
    live = win.live_page
    win.tabs.setCurrentWidget(live)
    good = Snapshot(cell_voltages_v=[3.30 + 0.001 * i for i in range(16)]).derive()
    win.bridge.snapshotReceived.emit(good)
    qtbot.waitUntil(lambda: live.bar_count == 16, timeout=2000)
    assert not live.implausible_label.isVisible()
    from app.protocols import get_protocol

    bad = get_protocol("jk02_32s").decode(jk_patch(V15, {6 + 2 * 4: b"\xff\xff"}))
    win.bridge.snapshotReceived.emit(bad)
    qtbot.waitUntil(live.implausible_label.isVisible, timeout=2000)
    assert "cell 5 (65.535)" in live.implausible_label.text()
    assert live.min_card.value.text() == "—" and live.max_card.value.text() == "—"
    assert live._history.count == 1  # the bad frame added nothing to the history
    win.bridge.snapshotReceived.emit(good)
    qtbot.waitUntil(lambda: not live.implausible_label.isVisible(), timeout=2000)


def test_status_bar_words(window):
    win = window
    win._on_state("reconnecting", "the board has been silent for 5 s; retrying in 2 s")
    assert win.status_label.text() == ("Reconnecting: the board has been silent for 5 s; retrying in 2 s")
    win._on_state("disconnected", "")
    assert win.status_label.text() == "Disconnected"


def test_parameters_hide_secrets_and_list_unknown_keys(window):
    page = window.parameters_page
    page.show_settings(
        Settings(
            values={"cell_ovp_v": 3.65, "jk_new_thing": 7, "jk_setup_password": "123456"}, protocol="jk02_32s"
        )
    )
    assert page.row_text("cell_ovp_v") == ("Cell over-voltage protection", "3.650 V")
    assert page.row_text("jk_new_thing") == ("jk_new_thing", "7")
    assert page.row_text("jk_setup_password") is None
    assert page.row_text("cell_uvp_v") == ("Cell under-voltage protection", "not reported")


def test_recent_devices_are_one_typed_json_list(tmp_path, qapp):
    path = str(tmp_path / "r.ini")
    s = QSettings(path, QSettings.Format.IniFormat)
    for i in range(12):
        remember_recent(s, f"socket://10.0.0.{i}:8899")
    remember_recent(s, "socket://10.0.0.5:8899")
    again = QSettings(path, QSettings.Format.IniFormat)  # as a fresh process reads it
    urls = load_recent(again)
    assert len(urls) == 10 and urls[0] == "socket://10.0.0.5:8899"
    assert urls.count("socket://10.0.0.5:8899") == 1
    again.setValue(RECENT_KEY, "not json")
    assert load_recent(again) == []


def test_alarm_words():
    assert alarm_text("jk_bit_17") == "JK alarm bit 17"
    assert alarm_text("cell_overvoltage") == "Cell over-voltage"


def test_plain_asyncio_still_works_after_gui_tests():
    """conftest marks the qasync loop running only inside GUI tests (P9)."""

    async def answer() -> int:
        await asyncio.sleep(0)
        return 42

    assert asyncio.run(answer()) == 42


def test_bluetooth_scan_lists_a_board_and_connects_from_it(qtbot, window, monkeypatch):
    """The Connection tab's Scan goes through bleak with the fake backend (PACKBENCH_FAKE_BLE)."""
    monkeypatch.setenv("PACKBENCH_FAKE_BLE", "jk02_32s?cells=8&address=20:21:11:00:00:42")
    win = window
    page = win.connection_page
    qtbot.mouseClick(page.scan_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.ble_list.count() == 1, timeout=10000)
    item = page.ble_list.item(0)
    assert "ble://20:21:11:00:00:42" in item.text() and "dBm" in item.text()
    page._fill_from_item(item)
    assert page.pin_edit.isVisible()  # asked for Bluetooth boards only, as the vendor app does
    qtbot.mouseClick(page.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Bluetooth PIN" in page.error_label.text(), timeout=15000)
    assert win.bridge.state == "disconnected"
    # the error shows as the failed connect ends; Connect is enabled again by the task's
    # done callback, one loop pass later: a click before that is ignored
    qtbot.waitUntil(page.connect_button.isEnabled, timeout=5000)
    qtbot.keyClicks(page.pin_edit, "1234")
    qtbot.mouseClick(page.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.bridge.state == "live", timeout=15000)
    assert win.bridge.session.url.text == "ble://20:21:11:00:00:42"
    qtbot.mouseClick(page.disconnect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.bridge.state == "disconnected", timeout=10000)


def test_bluetooth_unavailable_is_said_in_words(qtbot, window, monkeypatch):
    monkeypatch.delenv("PACKBENCH_FAKE_BLE", raising=False)
    win = window
    page = win.connection_page
    qtbot.mouseClick(page.scan_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: page.scan_button.isEnabled() and "Bluetooth" in page.ble_status.text(), timeout=15000
    )
    assert "unavailable" in page.ble_status.text()


def test_history_tab_reads_the_board_logbook(qtbot, window):
    win = window
    connect_via_ui(qtbot, win, "sim://jk02_32s?cells=8")
    qtbot.waitUntil(lambda: win.bridge.state == "live", timeout=10000)
    view = win.history_view
    win.tabs.setCurrentWidget(view)
    qtbot.mouseClick(view.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.table.rowCount() == 5, timeout=10000)
    assert view.table.item(0, 1).text() == "Boot"
    assert "5 events" in view.summary.text()
    # a family without a logbook says so at once, and offers no button that would fail
    qtbot.mouseClick(win.connection_page.disconnect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.bridge.state == "disconnected", timeout=10000)
    assert view.table.rowCount() == 0 and "Connect to a board" in view.summary.text()
    connect_via_ui(qtbot, win, "sim://jk02_24s?cells=8")
    qtbot.waitUntil(lambda: win.bridge.state == "live", timeout=10000)
    win.tabs.setCurrentWidget(view)
    assert "keeps no logbook" in view.summary.text() and not view.read_button.isEnabled()
    # the session still refuses when asked (the CLI's path): in words
    with pytest.raises(SessionError, match="no logbook"):
        run(qtbot, win.bridge.session.read_logbook())
