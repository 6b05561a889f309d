"""File → Packs… (issue 18): the pack registry in the window, through the real window
(pytest-qt offscreen).  The registry is filled by real flows over TCP (a preset written
with ``packbench settings apply``, a commissioning with ``packbench commission``), then
the window finds the pack, shows its timeline, the settings the write changed (before →
after, as the board reported them), re-makes its last report and exports its record.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from app.services import packlog  # noqa: E402
from app.simulator import create_simulator  # noqa: E402
from app.simulator.server import ServerThread  # noqa: E402
from app.ui import packs_window  # noqa: E402

pytestmark = pytest.mark.gui
SECRET = "Zq93xwKp"


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the window asked the desktop to open (nothing is launched in a test)."""
    urls: list[str] = []
    monkeypatch.setattr(packs_window.QDesktopServices, "openUrl", lambda url: urls.append(url.toLocalFile()))
    return urls


@pytest.fixture
def worked_pack(registry_file: Path, run_cli, tmp_path: Path):
    """A JK board that was written with the LiFePO4 preset, then commissioned (job J-7)."""
    sim = create_simulator("jk02_32s", cells=16, seed=3, password=SECRET)
    before_ovp = sim.settings["cell_ovp_v"]
    with ServerThread(sim) as srv:
        url = srv.url + "?protocol=jk02_32s"
        common = ("--cells", "16", "--capacity", "100", "--operator", "Ana Lima")
        ran = run_cli(
            "settings", "apply", "--url", url, "--preset", "lifepo4", *common, "--password", SECRET,
            "--yes", "--backup-dir", str(tmp_path / "backups"),
        )  # fmt: skip
        assert ran.returncode == 0, ran.stderr
        ran = run_cli(
            "commission", "--url", url, "--preset", "lifepo4", *common, "--job", "J-7",
            "--out", str(tmp_path / "reports"), "--rest-s", "0.1",
        )  # fmt: skip
        assert ran.returncode in (0, 3), ran.stderr
    return sim, before_ovp


def test_a_pack_is_found_with_its_timeline_and_the_settings_its_write_changed(
    qtbot, worked_pack, opened, tmp_path
):
    sim, _ = worked_pack
    serial = sim.info.serial_number
    dlg = packs_window.PacksDialog()
    qtbot.addWidget(dlg)
    assert [dlg.packs.item(r, 1).text() for r in range(dlg.packs.rowCount())] == [serial]
    # search by job; a job it never had finds nothing and says so
    dlg.search.setText("j-7")
    assert dlg.packs.rowCount() == 1
    dlg.search.setText("NO-SUCH-JOB")
    assert dlg.packs.rowCount() == 0 and dlg.problem.text() == "No pack matches."
    dlg.search.clear()
    dlg.packs.selectRow(0)
    kinds = [dlg.timeline.item(r, 1).text() for r in range(dlg.timeline.rowCount())]
    assert kinds[:2] == ["settings read", "settings written"] and kinds[-2:] == ["commissioning", "report"]
    # UTC in the tooltip, local time in the cell
    assert dlg.timeline.item(0, 0).toolTip().endswith("UTC")
    # the snapshot before the write against the one after it: the preset's OVP (presets.md:
    # LiFePO4 cell OVP 3.65 V) where the board held its own value before
    dlg.first.setCurrentIndex(0)
    dlg.second.setCurrentIndex(1)
    rows = {dlg.diff.item(r, 0).text(): (dlg.diff.item(r, 1).text(), dlg.diff.item(r, 2).text())
            for r in range(dlg.diff.rowCount())}  # fmt: skip
    # the simulator's JK-PB board asks an inverter for 3.45 V float per cell (seed 3); the
    # LiFePO4 preset's JK additions ask 3.40 V (jk/family.py preset_values: Packbench's own,
    # a float below the over-voltage recovery); nothing else of the preset differed
    assert sim.settings["jk_rfv_v"] == pytest.approx(3.40)
    assert rows == {"Requested float voltage (RFV)": ("3.450 V", "3.400 V")}
    assert dlg.diff_note.text().endswith("differ.")
    # the last report made again from the registry, opened on the desktop
    pdf = dlg.open_last_report()
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF") and opened == [str(pdf)]
    # the whole record as JSON
    out = tmp_path / "record.json"
    assert dlg.export(out)
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["format"] == "packbench-pack" and record["pack"]["serial"] == serial
    assert SECRET not in out.read_text(encoding="utf-8")


def test_an_unusable_registry_is_said_and_left_untouched(qtbot, tmp_path, monkeypatch):
    bad = tmp_path / "packs.sqlite3"
    bad.write_bytes(b"garbage" * 200)
    monkeypatch.setenv(packlog.ENV, str(bad))
    packlog.reset()
    try:
        dlg = packs_window.PacksDialog()
        qtbot.addWidget(dlg)
        assert dlg.problem.kind == "bad" and "cannot be used" in dlg.problem.text()
        assert dlg.packs.rowCount() == 0
        assert bad.read_bytes() == b"garbage" * 200
    finally:
        packlog.reset()


def test_the_file_menu_opens_the_packs_window(qtbot, window, registry_file):
    action = next(a for a in window.menuBar().actions()[0].menu().actions() if a.text() == "&Packs…")
    action.trigger()
    dlg = window.packs_dialog
    assert dlg is not None and dlg.isVisible()
    assert dlg.problem.text() == "No packs recorded yet."


def test_settings_diff_lists_only_what_differs():
    assert packs_window.settings_diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == [
        ("b", 2, 3),
        ("c", None, 4),
    ]
