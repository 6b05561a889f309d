"""The log viewer at the smallest window the app serves, 1024×640 (issue 17): the per-cell
table on screen, a legend on the temperature plot, a value never torn from its unit, and
times in the computer's local time with UTC in the tooltips (the CSV stays UTC).

The log is four hours of test_log_gui.py's ride and charge starting 2026-05-01T00:00:00Z,
with cell 9 dipping to 2.950 V at t = 7200 s (02:00:00Z).  The computer's clock is set 8 hours
east of UTC (a POSIX TZ, no summer time), so 00:00:00Z reads 08:00:00.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

import pyqtgraph as pg  # noqa: E402
from PySide6.QtCore import QPoint, QRect  # noqa: E402
from PySide6.QtGui import QTextDocument  # noqa: E402
from test_log_gui import TIMEOUT_MS, day_log, open_and_wait  # noqa: E402

pytestmark = pytest.mark.gui

ARTIFACTS = Path(__file__).parent / "_artifacts"


@pytest.fixture
def utc_plus_8(monkeypatch):
    monkeypatch.setenv("TZ", "PBT-8")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def lines_of(label) -> list[str]:
    """The lines a word-wrapped rich-text label breaks its text into at its width."""
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    doc.setHtml(label.text())
    doc.setTextWidth(label.contentsRect().width())
    doc.documentLayout().documentSize()  # lays the document out
    out = []
    block = doc.begin()
    while block.isValid():
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            text = block.text()[line.textStart() : line.textStart() + line.textLength()]
            out.append(text.replace("\xa0", " "))
        block = block.next()
    return out


@pytest.fixture(scope="module")
def three_hours(tmp_path_factory) -> Path:
    return day_log(tmp_path_factory.mktemp("log") / "day.csv", hours=4)


@pytest.fixture
def small_viewer(qtbot, window, three_hours, utc_plus_8):
    win = window
    win.resize(1024, 640)
    qtbot.waitUntil(lambda: win.width() == 1024 and win.height() == 640, timeout=TIMEOUT_MS)
    viewer = open_and_wait(qtbot, win, three_hours)
    assert viewer.prepared is not None
    viewer.set_selection(3600.0, 10800.0)
    qtbot.waitUntil(lambda: viewer.stats is not None and viewer.table.rowCount() == 16, timeout=TIMEOUT_MS)
    qtbot.wait(100)  # the layout settles
    return viewer


def test_the_per_cell_table_is_on_screen(qtbot, window, small_viewer):
    viewer, win = small_viewer, window
    table = viewer.table
    assert table.isVisible()
    where = QRect(table.mapTo(win, QPoint(0, 0)), table.size())
    assert win.rect().contains(where), (where, win.rect())
    # no scroll area above it hides any of it: all of it is visible
    assert table.visibleRegion().boundingRect() == table.rect()
    # and it shows rows, not just its header: at least five of the sixteen cells
    assert table.viewport().height() >= 5 * table.rowHeight(0)
    ARTIFACTS.mkdir(exist_ok=True)
    assert win.grab().save(str(ARTIFACTS / "log_viewer_1024x640.png"))


def test_the_temperature_plot_names_its_curves(small_viewer):
    ov = small_viewer.overview
    temps = ov.plots[-1]  # the last plot: temperatures (the log has them)
    assert temps.getAxis("left").labelText.startswith("Temp.")
    legends = [i for i in temps.getViewBox().childItems() if isinstance(i, pg.LegendItem)]
    assert len(legends) == 1 and legends[0].isVisible()
    # the log has two battery probes and the MOS temperature (day_log)
    assert [label.text for _sample, label in legends[0].items] == ["T1", "T2", "MOS"]
    assert ov.legend_names("temps") == ["T1", "T2", "MOS"]


def test_a_value_is_never_torn_from_its_unit(small_viewer):
    summary = small_viewer.summary
    assert "hottest 30.0 °C" in summary.text()  # the MOS column: 30 °C throughout (day_log)
    line = next(x for x in lines_of(summary) if "hottest" in x)
    assert "hottest 30.0 °C" in line, lines_of(summary)


def test_times_are_local_with_utc_in_the_tooltips(qtbot, small_viewer, tmp_path):
    viewer = small_viewer
    data = viewer.prepared.data
    viewer.seek(0)
    qtbot.waitUntil(
        lambda: viewer.position_label.text().startswith("2026-05-01 08:00:00"), timeout=TIMEOUT_MS
    )
    assert "2026-05-01 00:00:00 UTC" in viewer.position_label.toolTip()
    assert "2026-05-01 08:00:00" in viewer.readout.text()
    assert "2026-05-01 00:00:00 UTC" in viewer.readout.toolTip()
    # the header: the log's start and end, local; in UTC in its tooltip
    assert "2026-05-01 08:00:00 → 2026-05-01 11:59:55" in viewer.info.text()
    assert "2026-05-01 00:00:00 UTC → 2026-05-01 03:59:55 UTC" in viewer.info.toolTip()
    assert "UTC+08:00" in viewer.info.toolTip()
    # cell 9 dipped at 02:00:00Z: 10:00:00 local in the table, UTC in its tooltip
    item = viewer.table.item(8, 2)
    assert viewer.table.item(8, 1).text() == "2.950"
    assert item.text() == "10:00:00" and item.toolTip() == "2026-05-01 02:00:00 UTC"
    assert "Sagged most: cell 9, 2.950 V at 2026-05-01 10:00:00" in viewer.summary.text()
    assert "2026-05-01 01:00:00 UTC → 2026-05-01 03:00:00 UTC" in viewer.summary.toolTip()
    # the time axis says which time it shows
    axis = viewer.overview.plots[-1].getAxis("bottom")
    assert "UTC+08:00" in axis.labelText
    assert axis.tickStrings([0.0], 1.0, 3600)[0].startswith("08:00")
    # the CSV of a selection stays in UTC
    out = tmp_path / "sel.csv"
    assert viewer.export_selection(out) == viewer.stats.rows
    with open(out, newline="") as f:
        first = next(csv.DictReader(f))
    assert first["timestamp_utc"].startswith("2026-05-01T01:00:00")
    assert data.start_epoch == 1_777_593_600.0
