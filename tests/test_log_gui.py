"""Recording from the Live cells page and the log viewer, offscreen (pytest-qt + qasync, style A).

Screenshots for people to look at are kept in tests/_artifacts/: the Live
page while it records, the overview with a selection and its statistics,
and the Live page playing a log back.
"""

from __future__ import annotations

import csv
import json
import logging
import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from boards import run_on_loop as run  # noqa: E402
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDropEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QTabBar  # noqa: E402

from app.model import Snapshot  # noqa: E402
from app.services.logfile import LogLayout, make_meta  # noqa: E402
from app.services.recorder import LogWriter  # noqa: E402
from app.ui.log_viewer import LogViewer  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.recording import load_recent_logs  # noqa: E402

pytestmark = pytest.mark.gui

ARTIFACTS = Path(__file__).parent / "_artifacts"
TIMEOUT_MS = 10_000
START = 1_777_593_600.0  # 2026-05-01T00:00:00Z


# window: tests/conftest.py


def open_and_wait(qtbot, win: MainWindow, path: Path) -> LogViewer:
    viewer = win.open_log(str(path))
    qtbot.waitUntil(lambda: viewer.prepared is not None or not viewer.banner.isHidden(), timeout=TIMEOUT_MS)
    return viewer


def day_log(path: Path, hours: float = 36, step_s: float = 5.0, cells: int = 16) -> Path:
    """A ride and a charge: cell 5 sags under load; a known dip of cell 9 at t=7200 s."""
    rows = int(hours * 3600 / step_s)
    t = np.arange(rows) * step_s
    day = (t % 86400) / 3600
    amps = np.where((day > 1) & (day < 4), -30.0, np.where((day > 6) & (day < 9), 15.0, 0.0))
    # Python floats: rounding and formatting numpy scalars row by row is ten times slower
    t, amps = t.tolist(), amps.tolist()
    first = Snapshot(
        current_a=0.0,
        soc_pct=50.0,
        cell_voltages_v=[3.3] * cells,
        temperatures_c=[25.0, 26.0],
        mos_temperature_c=30.0,
        charge_mos_on=True,
        discharge_mos_on=True,
        balancing_active=False,
    ).derive()
    layout = LogLayout.for_snapshot(first)
    w = LogWriter(
        path,
        layout,
        make_meta(
            url="sim://jk02_32s",
            device=None,
            settings=None,
            protocol="jk02_32s",
            started=START,
            app_version="test",
        ),
        started=START,
    )
    for i in range(rows):
        base = 3.30 + 0.0012 * amps[i]
        cellv = [round(base + 0.001 * (c % 3), 3) for c in range(cells)]
        cellv[4] = round(base + 0.0025 * amps[i], 3)
        if t[i] == 7200:
            cellv[8] = 2.95
        s = Snapshot(
            current_a=amps[i],
            soc_pct=50.0,
            cell_voltages_v=cellv,
            temperatures_c=[25.0 + abs(amps[i]) / 10, 26.0],
            mos_temperature_c=30.0,
            charge_mos_on=True,
            discharge_mos_on=True,
            balancing_active=amps[i] > 0,
            alarms=["cell_undervoltage"] if t[i] == 7200 else [],
        ).derive()
        w.write(s, START + t[i])
    w.close()
    return path


def test_record_from_the_live_page_then_view_it(qtbot, window, tmp_path):
    win = window
    bar = win.live_page.record_bar
    assert bar is not None and not bar.button.isEnabled()  # nothing to record yet
    win.bridge.connect_device("sim://jk02_32s?cells=16")
    qtbot.waitUntil(lambda: win.live_page.bar_count == 16, timeout=TIMEOUT_MS)
    qtbot.waitUntil(bar.button.isEnabled, timeout=TIMEOUT_MS)
    target = tmp_path / "logs" / "bench.csv"
    assert bar.start_recording(target)
    assert bar.recording and bar.button.text() == "■ Stop"
    qtbot.waitUntil(lambda: bar.recorder is not None and bar.recorder.rows >= 6, timeout=TIMEOUT_MS)
    # the status line ticks (once a second for a person, app/timing.py)
    qtbot.waitUntil(
        lambda: "REC" in bar.status.text() and "bench.csv" in bar.status.text(), timeout=TIMEOUT_MS
    )
    assert "REC" in bar.status.text() and "bench.csv" in bar.status.text()
    ARTIFACTS.mkdir(exist_ok=True)
    assert win.grab().save(str(ARTIFACTS / "live_recording.png"))
    qtbot.mouseClick(bar.button, Qt.MouseButton.LeftButton)
    assert not bar.recording and bar.button.text() == "● Record"
    assert "Saved bench.csv" in bar.status.text()
    with open(target, newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 6
    assert load_recent_logs(win.settings)[0] == str(target.resolve())

    bar.status.linkActivated.emit("open")  # "open it"
    qtbot.waitUntil(lambda: len(win.log_viewers) == 1, timeout=TIMEOUT_MS)
    viewer = win.log_viewers[0]
    qtbot.waitUntil(lambda: viewer.prepared is not None, timeout=TIMEOUT_MS)
    data = viewer.prepared.data
    assert data.rows == len(rows)
    assert [float(r["pack_voltage_v"]) for r in rows] == [
        float(np.format_float_positional(v, unique=True)) for v in data.series("pack_voltage_v")
    ]
    # the device keeps streaming while the log is open (on a busy machine a poll may time out
    # while the viewer loads, and the session reconnects by itself: live again, same session)
    session = win.bridge.session
    assert session is not None
    qtbot.waitUntil(lambda: win.bridge.state == "live", timeout=TIMEOUT_MS)
    assert win.bridge.session is session
    run(qtbot, win.bridge.disconnect_device())


def test_overview_stats_playback_and_exports(qtbot, window, tmp_path):
    win = window
    path = day_log(tmp_path / "day.csv")
    viewer = open_and_wait(qtbot, win, path)
    data = viewer.prepared.data
    assert viewer.banner.isHidden()
    assert win.tabs.currentWidget() is viewer and win.tabs.tabText(win.tabs.currentIndex()) == "day.csv"
    assert "16 cells" in viewer.info.text()

    # the whole log is drawn through the pyramid: bounded points, every curve present
    ov = viewer.overview
    width = int(ov.plots[0].getViewBox().width())
    assert 0 < ov.points_drawn <= 2 * width * (16 + 4)
    assert set(ov.groups) == {"cells", "spread", "pack", "current", "temps"}

    # a selection around the dip: statistics name cell 9 and when
    viewer.set_selection(3600.0, 10800.0)
    qtbot.waitUntil(lambda: viewer.stats is not None and viewer.stats.t0 >= 3600, timeout=TIMEOUT_MS)
    st = viewer.stats
    assert st.lowest_cell == 9 and st.cell_min_v[8] == pytest.approx(2.95, abs=1e-6)
    assert st.cell_min_t[8] == 7200.0
    assert st.delta_max_t == 7200.0 and st.delta_low_cell == 9
    assert st.energy_out_wh > 0 and st.alarms == [("cell_undervoltage", 7200.0)]
    qtbot.waitUntil(lambda: "Sagged most: cell 9" in viewer.summary.text(), timeout=TIMEOUT_MS)
    assert viewer.table.rowCount() == 16 and viewer.table.item(8, 1).text() == "2.950"

    # legend: only the extreme cells, then all again
    viewer.show_extreme_cells()
    cells = ov.groups["cells"]
    assert sum(cells.visible) == 2 and cells.visible[8]
    viewer.show_all_cells()
    assert all(cells.visible)

    # zoom to the selection: the cursor readout follows a seek
    viewer.zoom_to_selection()
    x0, x1 = ov.x_range()
    assert x0 == pytest.approx(3600, abs=200) and x1 == pytest.approx(10800, abs=200)
    viewer.seek(data.index_at(7200.0))
    qtbot.waitUntil(lambda: "cell 9" in viewer.readout.text(), timeout=TIMEOUT_MS)
    assert "2.950 V" in viewer.readout.text()
    qtbot.wait(200)
    ARTIFACTS.mkdir(exist_ok=True)
    assert win.grab().save(str(ARTIFACTS / "log_overview.png"))

    # playback feeds the same Live cells page
    viewer.tabs.setCurrentWidget(viewer.live_page)
    live = viewer.live_page
    qtbot.waitUntil(lambda: live.bar_count == 16, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: live.min_card.note.text() == "cell 9", timeout=TIMEOUT_MS)
    assert live.min_card.value.text() == "2.950 V"
    assert live.record_bar is None  # a log is not recorded again
    before = viewer.source.position
    viewer.play(600)
    qtbot.waitUntil(lambda: viewer.source.position > before + 10, timeout=TIMEOUT_MS)
    viewer.pause()
    assert viewer.slider.value() == viewer.source.position
    qtbot.wait(300)
    assert win.grab().save(str(ARTIFACTS / "log_playback.png"))

    # exports
    png = tmp_path / "view.png"
    assert viewer.export_png(png) and png.stat().st_size > 10_000
    out = tmp_path / "sel.csv"
    assert viewer.export_selection(out) == st.rows
    with open(out, newline="") as f:
        sel = list(csv.DictReader(f))
    assert len(sel) == st.rows and float(sel[0]["elapsed_s"]) == pytest.approx(3600.0)


def test_truncated_log_opens_with_a_warning(qtbot, window, tmp_path):
    path = day_log(tmp_path / "cut.csv", hours=1)
    raw = path.read_bytes()
    path.write_bytes(raw[:-30])
    viewer = open_and_wait(qtbot, window, path)
    assert viewer.prepared is not None and viewer.prepared.data.rows == 719
    assert not viewer.banner.isHidden()
    assert "incomplete" in viewer.banner.text()
    assert QApplication.activeModalWidget() is None  # told, not blocked


def test_not_a_log_says_why(qtbot, window, tmp_path):
    bad = tmp_path / "notes.csv"
    bad.write_text("hello\n")
    viewer = open_and_wait(qtbot, window, bad)
    assert viewer.prepared is None and "not a Packbench log" in viewer.banner.text()


def test_drop_a_file_and_recent_logs(qtbot, window, tmp_path):
    win = window
    path = day_log(tmp_path / "dropped.csv", hours=1)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(100, 100),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    win.dropEvent(event)
    qtbot.waitUntil(
        lambda: bool(win.log_viewers) and win.log_viewers[0].prepared is not None, timeout=TIMEOUT_MS
    )
    assert load_recent_logs(win.settings) == [str(path.resolve())]
    win._fill_recent()
    assert [a.text() for a in win.recent_menu.actions()] == ["dropped.csv"]
    assert win.open_log(str(path)) is win.log_viewers[0]  # the same log: the same tab
    index = win.tabs.indexOf(win.log_viewers[0])
    assert win.tabs.tabBar().tabButton(0, QTabBar.ButtonPosition.RightSide) is None  # device pages stay
    close = win.tabs.tabBar().tabButton(index, QTabBar.ButtonPosition.RightSide)
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not win.log_viewers and win.tabs.count() == win._fixed_tabs, timeout=TIMEOUT_MS)


# --- bad logs in the window (issue 12) ---------------------------------------------------------------
def errors_logged(caplog) -> list[str]:
    return [
        f"{r.name}: {r.getMessage()} {r.exc_info[1] if r.exc_info else ''}"
        for r in caplog.records
        if r.levelno >= logging.ERROR
    ]


def test_a_log_replays_without_errors_in_the_app_log(qtbot, window, tmp_path, caplog):
    """The replay source answers the Live page's question for error counters (it has none)."""
    caplog.set_level(logging.INFO, logger="packbench")
    viewer = open_and_wait(qtbot, window, day_log(tmp_path / "short.csv", hours=0.2))
    assert viewer.prepared is not None
    qtbot.waitUntil(lambda: viewer.bridge.state == "live", timeout=TIMEOUT_MS)
    qtbot.wait(200)  # the Live page asks for the counters when the source goes live
    assert viewer.source.protocol.error_counts_requests() == []
    assert viewer.source.protocol.id == "jk02_32s"  # the protocol the log was recorded with
    assert errors_logged(caplog) == []


def test_a_meta_with_fields_of_the_wrong_type_opens_with_a_warning(qtbot, window, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="packbench")
    path = day_log(tmp_path / "odd.csv", hours=0.2)
    meta_path = path.with_name("odd.meta.json")
    meta = json.loads(meta_path.read_text())
    meta.update(device=[1], settings="none", started_utc=12)
    meta_path.write_text(json.dumps(meta))
    viewer = open_and_wait(qtbot, window, path)
    assert viewer.prepared is not None and viewer.prepared.data.rows == 144
    assert "wrong type" in viewer.banner.text() and "device" in viewer.banner.text()
    qtbot.waitUntil(lambda: viewer.bridge.state == "live", timeout=TIMEOUT_MS)
    qtbot.wait(200)
    assert errors_logged(caplog) == []


@pytest.mark.parametrize(
    "case, words", [("20,000 columns", "20,001 columns"), ("a 10 MB field", "bytes long")]
)
def test_a_log_out_of_bounds_is_refused_at_once(qtbot, window, tmp_path, case, words):
    path = tmp_path / "huge.csv"
    if case == "20,000 columns":  # short names: the header line alone stays under 64 KiB
        path.write_text("elapsed_s," + ",".join(["c"] * 20_000) + "\n" + "1" + ",3.3" * 20_000 + "\n")
    else:
        path.write_text(
            "timestamp_utc,elapsed_s,pack_voltage_v,alarms\n"
            "2026-05-01T00:00:00.000Z,0.000,52.1,\n"
            "2026-05-01T00:00:01.000Z,1.000,52.1," + "x" * 10_000_000 + "\n"
        )
    started = time.monotonic()
    viewer = open_and_wait(qtbot, window, path)
    assert time.monotonic() - started < 5.0  # not minutes at 100 % CPU
    assert viewer.prepared is None
    assert "Could not open huge.csv" in viewer.banner.text() and words in viewer.banner.text()
