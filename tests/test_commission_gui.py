"""The Commission step of the Control tab (issue 18), through the real window (pytest-qt
offscreen) on the JK02_32S and JBD simulators.

Issue 18's "done when": commissioning from the window produces a registry entry (the
pack's timeline: settings read, sealing checks, commissioning, report) and a PDF.
Nothing is written to the board: its settings are the same before and after.
"""

from __future__ import annotations

import json
import re

import pytest

pytest.importorskip("pytestqt")

import test_control_gui  # noqa: E402
from test_control_gui import T, connect  # noqa: E402

from app.services import commissioning, packlog  # noqa: E402
from app.services.registry import Registry  # noqa: E402

window, loop_errors = test_control_gui.window, test_control_gui.loop_errors
pytestmark = pytest.mark.gui


def fill(qtbot, section, operator: str = "Ana Lima", job: str = "JOB-18") -> None:
    section.operator.clear()
    section.job.clear()
    assert not section.button.isEnabled()  # no operator, no job: nothing to start
    qtbot.keyClicks(section.operator, operator)
    assert not section.button.isEnabled()
    qtbot.keyClicks(section.job, job)
    assert section.button.isEnabled(), section.button.toolTip()


def run(qtbot, section) -> None:
    section.button.click()
    qtbot.waitUntil(lambda: not section.running and bool(section.result.kind), timeout=3 * T)


@pytest.mark.parametrize(
    ("url", "serial_of"),
    [
        ("sim://jk02_32s?cells=16", lambda sim: sim.info.serial_number),
        ("sim://jbd?cells=13", lambda sim: "SIM0001"),  # the JBD simulator's barcode (0xA2)
    ],
)
def test_commissioning_from_the_window_records_the_pack_and_writes_its_report(
    qtbot, window, registry_file, url, serial_of
):
    page, sim = connect(qtbot, window, url)
    section = page.commission
    assert section.isVisible()
    # the pack profile starts from the board's own settings
    assert section.cells.value() == window.bridge.settings.values["cell_count"]
    before = board_memory(sim)
    fill(qtbot, section)
    run(qtbot, section)
    serial = serial_of(sim)
    assert section.result.kind in ("ok", "bad", "warn")
    assert serial in section.result.text() and str(section.files["pdf"]) in section.result.text()
    assert section.files["pdf"].read_bytes().startswith(b"%PDF")
    report = json.loads(section.files["json"].read_text(encoding="utf-8"))
    assert report["pack"]["serial_number"] == serial
    assert report["operator"] == "Ana Lima" and report["job"] == "JOB-18"
    assert report["profile"]["name"].startswith("LiFePO4")
    with Registry(registry_file) as r:
        (pack,) = r.find(serial)
        kinds = [e["kind"] for e in r.timeline(pack["id"])]
        assert kinds[-3:] == ["sealing", "commissioning", "report"] and "settings" in kinds
        event = commissioning.last_commissioning(r, pack["id"])
        assert event is not None and event["operator"] == "Ana Lima"
    # the verdict on the tab is the record's
    expected = {"passed": "ok", "failed": "bad", "incomplete": "warn"}[report["verdict"]]
    assert section.result.kind == expected
    # the board was only read: its settings are what they were
    assert board_memory(sim) == before
    assert section.open_pdf.isVisible()


def board_memory(sim):
    """What the simulated board holds: JK's settings, JBD's EEPROM registers."""
    import copy

    return copy.deepcopy(getattr(sim, "settings", None) or sim.eeprom)


def test_a_profile_that_differs_is_reported_by_count_and_nothing_is_written(qtbot, window, registry_file):
    page, sim = connect(qtbot, window, "sim://jk02_32s?cells=16")
    section = page.commission
    fill(qtbot, section)
    # a 16-cell board commissioned as an 8-cell pack: the cell count differs
    section.cells.setValue(8)
    run(qtbot, section)
    report = json.loads(section.files["json"].read_text(encoding="utf-8"))
    assert report["verdict"] == "failed" and "cell_count" in report["settings"]["differ"]
    assert section.result.kind == "bad"
    n = len(report["settings"]["differ"])
    assert f"{n} setting(s) differ from the profile" in section.result.text()
    assert board_memory(sim)["cell_count"] == 16


def test_a_garbage_profile_file_is_refused_and_nothing_is_recorded(qtbot, window, registry_file, tmp_path):
    page, sim = connect(qtbot, window, "sim://jk02_32s?cells=16")
    section = page.commission
    bad = tmp_path / "profile.json"
    bad.write_text("{ not json", encoding="utf-8")
    section.set_file(bad)
    fill(qtbot, section)
    run(qtbot, section)
    assert section.result.kind == "bad"
    assert section.result.text().startswith("✗  Not commissioned:")
    assert "profile.json" in section.result.text()
    assert not section.open_pdf.isVisible()
    with Registry(registry_file) as r:
        assert all(e["kind"] != "commissioning" for p in r.packs() for e in r.timeline(p["id"]))


def test_a_registry_that_cannot_be_used_says_so_and_records_nothing(qtbot, window, tmp_path, monkeypatch):
    newer = tmp_path / "packs.sqlite3"
    newer.write_bytes(b"this is not a registry" * 100)
    monkeypatch.setenv(packlog.ENV, str(newer))
    packlog.reset()
    try:
        page, _sim = connect(qtbot, window, "sim://jk02_32s?cells=16")
        section = page.commission
        fill(qtbot, section)
        run(qtbot, section)
        assert section.result.kind == "bad"
        assert "pack registry cannot be used" in section.result.text()
        assert newer.read_bytes() == b"this is not a registry" * 100  # never overwritten
    finally:
        packlog.reset()


def test_the_cell_spread_is_judged_at_rest_and_said_to_need_rest_under_charge(qtbot, window):
    """Issue 18: under charge the spread shows the cells' resistance, not their balance; the
    check says the pack needs rest (with the current) instead of flipping on noise."""
    page, _sim = connect(qtbot, window, "sim://jk02_32s?cells=16&current=12")
    row = page.check_rows["delta"]
    qtbot.waitUntil(lambda: "needs rest" in row.detail.text(), timeout=T)
    assert row.state is None and re.search(r"needs rest: \+1[12](\.\d+)? A flows", row.detail.text())


def test_a_resting_pack_has_its_spread_judged(qtbot, window):
    page, _sim = connect(qtbot, window, "sim://jk02_32s?cells=16&current=0")
    row = page.check_rows["delta"]
    # the test timing's rest is 0.3 s (app/timing.py TEST)
    qtbot.waitUntil(lambda: row.state is not None, timeout=T)
    assert "at rest, balance trigger" in row.detail.text()


def test_the_window_records_the_settings_it_reads_under_the_operator_named(qtbot, window, registry_file):
    """Issue 18: every settings snapshot read goes into the pack's timeline, the window's too."""
    page, sim = connect(qtbot, window, "sim://jk02_32s?cells=16")
    fill(qtbot, page.commission, operator="Bo Ek")
    with Registry(registry_file) as r:
        (pack,) = r.find(sim.info.serial_number)
        (event,) = r.timeline(pack["id"], kinds=("settings",))
    assert event["data"]["source"] == "window"
    assert event["data"]["settings"]["cell_count"] == 16
    assert packlog.operator() == "Bo Ek"
