"""The Live tab's additions of issue 18 and the History tab's CSV export, through the real
window on the simulators (TCP on 127.0.0.1 where the test needs the simulator's state).

* wire resistance per cell (JK reports it, shared/protocols/jk.md §2.1): shown under the
  cell bars, the loose lead amber and named (model/wires.py); no such row on a board
  that does not report it (JBD);
* SOH and cycle capacity where reported;
* current, power and temperature history beside the cell history, only for what the
  board reports (JK04 reports no current and no temperature: jk.md §2.3);
* each cell's value coloured by the board's OVP/UVP (the simulator's board reports
  cell_ovp_v 3.65 V released at 3.55 V, cell_uvp_v 2.50 V released at 2.80 V:
  ``packbench settings dump --url sim://jk02_32s?cells=16``);
* the History tab saves the board's logbook as CSV.
"""

from __future__ import annotations

import csv
import statistics
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from boards import run_on_loop  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor  # noqa: E402

from app.model import Snapshot  # noqa: E402
from app.simulator import create_simulator  # noqa: E402
from app.simulator.server import ServerThread  # noqa: E402
from app.ui.theme import AMBER, RED  # noqa: E402

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


def brush_colour(brush) -> str:
    return QColor(brush.color()).name()


# --- wire resistance ---------------------------------------------------------------------------
def test_a_loose_lead_is_amber_and_named(qtbot, window):
    win = window
    win.resize(1024, 640)
    sim = create_simulator("jk02_32s", cells=16, seed=7)
    sim.pack.cells[4].wire_ohm = 0.200  # cell 5's busbar loosened: 200 mΩ
    with ServerThread(sim) as server:
        live = go_live(qtbot, win, server.url, 16)
        wires = live.cell_bars.wires
        qtbot.waitUntil(wires.isVisible, timeout=T)
        # the values the simulated board measures, in mΩ (the frame carries u16 mΩ)
        expected = [round(c.wire_ohm * 1000) for c in sim.pack.cells]
        assert [p[2] for p in wires.labels._points] == [str(m) for m in expected]
        colours = [brush_colour(b) for b in wires.bars.opts["brushes"]]
        assert colours[4] == AMBER and all(c != AMBER for i, c in enumerate(colours) if i != 4), colours
        summary = wires.summary.text()
        assert "5 (200 mΩ)" in summary and "busbar" in summary, summary
        assert f"{statistics.median(expected):.0f} mΩ" in summary
        ARTIFACTS.mkdir(exist_ok=True)
        assert win.grab().save(str(ARTIFACTS / "live_loose_lead_1024.png"))

        # the same readings again and again: the wire bars are not redone
        calls = []
        original = wires.bars.setOpts
        wires.bars.setOpts = lambda *a, **k: (calls.append(1), original(*a, **k))
        n = live.redraws
        qtbot.waitUntil(lambda: live.redraws >= n + 3, timeout=T)
        assert calls == []
        # the busbar tightened: the next readings are drawn, and nothing stands out
        sim.pack.cells[4].wire_ohm = sim.pack.cells[3].wire_ohm
        qtbot.waitUntil(lambda: "none stands out" in wires.summary.text(), timeout=T)
        assert calls and AMBER not in [brush_colour(b) for b in wires.bars.opts["brushes"]]
        run_on_loop(qtbot, win.bridge.disconnect_device())
    assert wires.isHidden()  # a new or no session: the row goes with it


def test_a_board_without_wire_readings_shows_no_such_row(qtbot, window):
    live = go_live(qtbot, window, "sim://jbd?cells=13", 13)
    qtbot.wait(300)
    assert live.isVisible() and live.cell_bars.wires.isHidden()
    assert live.cell_bars.wires.labels._points == []


# --- SOH and cycle capacity ---------------------------------------------------------------------
def test_soh_and_cycle_capacity_where_reported(qtbot, window):
    win = window
    sim = create_simulator("jk02_32s", cells=16, seed=7, current=0)  # at rest: the counter stays
    with ServerThread(sim) as server:
        live = go_live(qtbot, win, server.url, 16)
        text = live.capacity_label.text()
        # the simulated board's state: SOH 100 %, 1234.5 Ah through the pack so far
        assert "SOH 100 %" in text, text
        assert f"Cycle capacity {sim.pack.cycle_ah:.1f} Ah" in text, text
        label = live.capacity_label
        assert label.fontMetrics().horizontalAdvance(text) <= label.contentsRect().width()
        run_on_loop(qtbot, win.bridge.disconnect_device())
    # JBD's basic-info frame carries cycles but no SOH and no cycle capacity (jbd_daly.md)
    live = go_live(qtbot, win, "sim://jbd?cells=13", 13)
    text = live.capacity_label.text()
    assert "Cycles" in text and "SOH" not in text and "Cycle capacity" not in text, text


# --- history beside the cells --------------------------------------------------------------------
def test_current_power_and_temperature_history_follow_the_board(qtbot, window):
    win = window
    sim = create_simulator("jk02_32s", cells=16, seed=7, current=-20)  # a steady 20 A load
    with ServerThread(sim) as server:
        live = go_live(qtbot, win, server.url, 16)
        h = live.histories
        qtbot.waitUntil(lambda: h.current.ring is not None and h.current.ring.count >= 5, timeout=T)
        live._redraw()
        qtbot.waitUntil(lambda: h.current.curves[0].getData()[1] is not None, timeout=T)
        qtbot.waitUntil(lambda: len(h.current.curves[0].getData()[1]) >= 3, timeout=T)
        assert h.current.isVisible() and h.power.isVisible() and h.temperatures.isVisible()
        current = h.current.curves[0].getData()[1]
        assert list(current) == pytest.approx([-20.0] * len(current), abs=0.1)
        power = h.power.curves[0].getData()[1]
        volts = sim.pack.true_pack_voltage()
        assert list(power) == pytest.approx([-20.0 * volts] * len(power), rel=0.02)
        # two battery probes and the MOS sensor, in the log viewer's names and colours
        assert h.temperatures.names == ("T1", "T2", "MOS") and len(sim.pack.temps) == 2
        legend = h.temperatures.legend.text()
        assert all(n in legend for n in ("T1", "T2", "MOS"))
        last = [c.getData()[1][-1] for c in h.temperatures.curves]
        assert last == pytest.approx([*sim.pack.temps, sim.pack.mos_temp], abs=0.5)
        # the side plots share the cell plot's time axis
        assert h.current.plot.getViewBox().viewRange()[0] == pytest.approx(h.plot.getViewBox().viewRange()[0])
        run_on_loop(qtbot, win.bridge.disconnect_device())
    assert h.current.isHidden() and h.temperatures.isHidden()


def test_a_board_without_current_or_temperatures_gets_no_empty_plots(qtbot, window):
    live = go_live(qtbot, window, "sim://jk04?cells=16", 16)
    qtbot.wait(400)  # several history ticks
    h = live.histories
    assert live.isVisible() and h.current.isHidden() and h.power.isHidden() and h.temperatures.isHidden()
    assert live.cell_bars.wires.isVisible()  # JK04 reports the wire resistances (jk.md §2.3)


# --- cells against the board's limits ------------------------------------------------------------
def test_cell_values_are_coloured_by_the_board_ovp_and_uvp(qtbot, window):
    win = window
    live = go_live(qtbot, win, "sim://jk02_32s?cells=16", 16)
    qtbot.waitUntil(
        lambda: win.bridge.settings is not None and "cell_uvp_recovery_v" in win.bridge.settings.values,
        timeout=T,
    )
    values = win.bridge.settings.values
    assert (values["cell_ovp_v"], values["cell_ovp_recovery_v"]) == (3.65, 3.55)
    assert (values["cell_uvp_v"], values["cell_uvp_recovery_v"]) == (2.50, 2.80)

    def colours(cells: list[float], alarms: list[str] | None = None) -> list[str | None]:
        snap = Snapshot(current_a=0.0, cell_voltages_v=cells, alarms=alarms or []).derive()
        win.bridge.snapshotReceived.emit(snap)
        live._redraw()
        return [p[3] for p in live.bar_labels._points]

    cells = [3.30] * 12 + [3.60, 3.66, 2.70, 2.49]
    got = colours(cells)
    # past the 3.55 V release: near; at or past 3.65 V: over; below 2.80 V: near; 2.50 V: over
    assert got[12:] == [AMBER, RED, AMBER, RED] and got[:12] == [None] * 12
    # the board's alarm names no cell: it goes to the highest one
    got = colours([3.30] * 15 + [3.40], ["cell_overvoltage"])
    assert got[15] == RED and got[:15] == [None] * 15
    assert colours([3.30] * 16) == [None] * 16


# --- the History tab's CSV ----------------------------------------------------------------------
#: the event names of the JK logbook codes (jk.md §1.5, ESPHome LOGBOOK_CODES)
NAMES = {
    0x01: "Boot",
    0x1B: "Charge low temperature protection",
    0x1C: "Charge low temperature protection is released",
    0x44: "Factory setting LFP",
}


def test_the_logbook_is_exported_as_csv(qtbot, window, tmp_path):
    win = window
    sim = create_simulator("jk02_32s", cells=8, seed=7)
    view = win.history_view
    with ServerThread(sim) as server:
        win.bridge.connect_device(server.url)
        qtbot.waitUntil(view.read_button.isEnabled, timeout=T)
        win.tabs.setCurrentWidget(view)  # going live shows the Live tab
        assert not view.export_button.isEnabled()  # nothing read yet
        qtbot.mouseClick(view.read_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(view.export_button.isEnabled, timeout=T)
        qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: view.dialog is not None and view.dialog.isVisible(), timeout=T)
        target = tmp_path / "book.csv"
        view.dialog.selectFile(str(target))
        view.dialog.accept()
        qtbot.waitUntil(target.exists, timeout=T)
        with target.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0] == ["seconds_since_first_power_up", "since_first_power_up", "code", "event"]
        # the simulated board's logbook, entry by entry
        assert [(int(r[0]), int(r[2], 16), r[3]) for r in rows[1:]] == [
            (ts, code, NAMES[code]) for ts, code in sim.logbook
        ]
        ts = sim.logbook[-1][0]
        d, rest = divmod(ts, 86400)
        assert rows[-1][1] == f"{d} d {rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"
        assert "saved to" in view.saved.text() and not view.error.isVisible()

        # a folder that does not exist: one plain line, no file, no half-written one
        bad = tmp_path / "no such folder" / "book.csv"
        assert view.export_to(bad) is False
        assert view.error.isVisible() and view.error.text().startswith("Cannot write")
        assert "Traceback" not in view.error.text() and "\n" not in view.error.text()
        assert not bad.parent.exists()
        run_on_loop(qtbot, win.bridge.disconnect_device())
    assert not view.export_button.isEnabled()


def test_a_board_without_a_logbook_offers_no_export(qtbot, window):
    win = window
    win.bridge.connect_device("sim://jbd?cells=13")
    qtbot.waitUntil(lambda: win.bridge.state == "live", timeout=T)
    win.tabs.setCurrentWidget(win.history_view)
    view = win.history_view
    assert view.isVisible() and view.export_button.isHidden() and not view.read_button.isEnabled()
