"""File → Jobs… (issue 19): a batch job run from the window (pytest-qt offscreen).

The issue's "done when", the window's half: a job of simulated JK02_32S and JBD boards
over TCP (tests/test_batch.py's simulators and job) runs from the Jobs panel to a summary
whose rows say what happened to each pack, with a report and registry entries for every
successful one, and nothing written to the one whose board refused the job's password
(jk.md §6: the board reports its setup password and the gate compares it) nor saved on the
one whose link dropped mid-write; a pack already done in the job is the third test's.  The rest
before the sealing checks is the job's own ``[sealing] rest_s = 0.2``: no real sleeps.
"""

from __future__ import annotations

import csv
from contextlib import ExitStack
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from boards import run_on_loop  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from test_batch import jbd, jk, job_file  # noqa: E402

from app.services import packlog  # noqa: E402
from app.services.registry import Registry  # noqa: E402
from app.simulator.server import ServerThread  # noqa: E402
from app.ui import jobs_panel  # noqa: E402

pytestmark = pytest.mark.gui
ARTIFACTS = Path(__file__).parent / "_artifacts"


@pytest.fixture
def registry_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "packs.sqlite3"
    monkeypatch.setenv(packlog.ENV, str(path))
    packlog.reset()
    yield path
    packlog.reset()


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the panel asked the desktop to open (nothing is launched in a test)."""
    urls: list[str] = []
    monkeypatch.setattr(jobs_panel.QDesktopServices, "openUrl", lambda url: urls.append(url.toLocalFile()))
    return urls


def url_of(stack: ExitStack, sim) -> str:
    return f"{stack.enter_context(ServerThread(sim)).url}?protocol={sim.protocol_id}"


def test_a_job_runs_from_the_window_to_a_summary_of_each_pack(
    window, qtbot, registry_file: Path, tmp_path: Path, opened: list[str]
) -> None:
    good_jk, wrong_password = jk(12), jk(24, password="999999")  # the job's password is not this one's
    good_jbd = [jbd("JBD-0", 30), jbd("JBD-1", 31)]
    # a 100 Ah board: the 40 Ah profile changes keys and the name; the link drops after 2 writes
    link_drop = jbd("JBD-DROP", 40, fault="drop_link_mid_write", capacity="100")
    before, drop_before = dict(wrong_password.settings), link_drop._stored()
    order = [good_jk, wrong_password, *good_jbd, link_drop]
    with ExitStack() as stack:
        urls = [url_of(stack, s) for s in order]
        dlg = window.show_jobs()
        dlg.out = tmp_path / "out"
        dlg.set_job_file(str(job_file(tmp_path)))
        assert dlg.job_line.kind == "info" and "Job JOB-19: lifepo4 preset, 16 cells" in dlg.job_line.text()
        dlg.urls.setPlainText("\n".join(urls))
        countdowns: list[str] = []
        resting = dlg._on_resting  # what the countdown label said while a pack rested
        dlg._on_resting = lambda *a: (resting(*a), countdowns.append(dlg.countdown.text()))
        qtbot.mouseClick(dlg.start_button, Qt.MouseButton.LeftButton)
        assert dlg.running and not dlg.start_button.isEnabled() and dlg.stop_button.isEnabled()
        qtbot.waitUntil(lambda: not dlg.running, timeout=60_000)
    assert dlg.stage.text() == "Done." and dlg.start_button.isEnabled()
    assert countdowns and all("is resting before its sealing checks" in t for t in countdowns)
    assert any(" s to go (its current must stay at most" in t for t in countdowns), countdowns

    # one row per pack, in order, saying what happened to it
    rows = [dlg.row_texts(r) for r in range(dlg.table.rowCount())]
    assert [r[0] for r in rows] == ["1", "2", "3", "4", "5"]
    jk_serial, bad_serial = good_jk.info.serial_number, wrong_password.info.serial_number
    assert [r[1] for r in rows] == [jk_serial, bad_serial, "JBD-0 → PACK-003", "JBD-1 → PACK-004", "JBD-DROP"]
    assert rows[0][2].startswith("Passed: configured and commissioned; not renamed:")
    assert rows[1][2].startswith("Failed: ") and "wrong setup password: nothing was written" in rows[1][2]
    assert rows[2][2] == rows[3][2] == "Passed: configured and commissioned"
    assert rows[4][2].startswith("Failed: the write failed:") and "never saved" in rows[4][2], rows[4]
    assert all(r[3].endswith(" s") and float(r[3][:-2]) > 0 for r in rows)
    assert rows[1][4] == rows[4][4] == "—" and all(r[4].endswith(".pdf") for r in (rows[0], rows[2], rows[3]))

    # the summary: counts, the CSV (the same rows) and its folder
    assert "5 pack(s): 3 passed, 0 not passed, 2 failed, 0 already done." in dlg.summary.text()
    assert f"Summary CSV: {dlg.summary_csv}" in dlg.summary.text()
    with dlg.summary_csv.open(encoding="utf-8") as f:
        csv_rows = list(csv.DictReader(f))
    assert [r["result"] for r in csv_rows] == ["passed", "failed", "passed", "passed", "failed"]
    assert "Board passwords for the customer (keep it safe)" in dlg.summary.text()  # the JBD boards got one
    qtbot.mouseClick(dlg.folder_button, Qt.MouseButton.LeftButton)
    assert opened == [str(tmp_path / "out")]
    assert dlg.open_report(1) is None and dlg.open_report(2) == Path(opened[-1])

    # a report and registry entries for each successful pack; nothing written to the refused one
    with Registry(registry_file) as reg:
        for i, serial in ((0, jk_serial), (2, "JBD-0"), (3, "JBD-1")):
            assert Path(dlg._rows[i].report).is_file()
            (pack,) = reg.find(serial)
            kinds = {e["kind"] for e in reg.timeline(pack["id"])}
            assert {"write", "commissioning", "report", "batch"} <= kinds, kinds
        for serial in (bad_serial, "JBD-DROP"):
            (pack,) = reg.find(serial)
            assert "commissioning" not in {e["kind"] for e in reg.timeline(pack["id"])}
    assert dict(wrong_password.settings) == before
    assert link_drop._stored() == drop_before and link_drop.password is None  # nothing saved
    assert all(s._stored()["device_name"] == f"PACK-00{n}" for s, n in zip(good_jbd, (3, 4), strict=True))

    ARTIFACTS.mkdir(exist_ok=True)
    dlg.resize(1024, 640)
    qtbot.wait(50)
    assert dlg.grab().save(str(ARTIFACTS / "batch_panel.png"))


def test_stop_ends_the_pack_in_hand_and_the_run(window, qtbot, registry_file: Path, tmp_path: Path) -> None:
    text = job_file(tmp_path).read_text("utf-8").replace("rest_s = 0.2", "rest_s = 600")
    job = job_file(tmp_path, text)
    with ExitStack() as stack:
        urls = [url_of(stack, jbd("JBD-A", 60)), url_of(stack, jbd("JBD-B", 61))]
        dlg = window.show_jobs()
        dlg.out = tmp_path / "out"
        dlg.set_job_file(str(job))
        dlg.urls.setPlainText("\n".join(urls))
        assert dlg.start() is not None
        qtbot.waitUntil(lambda: "s to go" in dlg.countdown.text(), timeout=30_000)  # resting: 600 s
        # meanwhile the window does not open a link of its own: two sessions would fight
        other = stack.enter_context(ServerThread(jbd("JBD-W", 64))).url + "?protocol=jbd"
        assert run_on_loop(qtbot, window.bridge.connect_device(other)) is False
        assert window.bridge.session is None and "the Jobs panel is running a job" in window.bridge.busy
        qtbot.mouseClick(dlg.stop_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dlg.running, timeout=10_000)
    assert dlg.stage.text() == "Stopped." and dlg.table.rowCount() == 1  # the second pack never began
    (row,) = [dlg.row_texts(0)]
    assert row[2].startswith("Failed: interrupted while commissioning:"), row
    assert "1 pack(s): 0 passed, 0 not passed, 1 failed, 0 already done." in dlg.summary.text()
    assert window.bridge.busy is None  # the window may connect again


def test_a_run_is_refused_while_the_window_is_connected_and_a_bad_job_is_said_in_one_line(
    window, qtbot, registry_file: Path, tmp_path: Path
) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    next(a for a in file_menu.actions() if a.text() == "&Jobs…").trigger()  # File → Jobs…
    dlg = window.jobs_dialog
    assert dlg is not None and dlg.isVisible() and window.show_jobs() is dlg  # one panel
    bad = job_file(tmp_path, 'job = "J"\noperator = "Ana"\n')
    assert dlg.set_job_file(str(bad)) is None
    assert dlg.job_line.kind == "bad" and "\n" not in dlg.job_line.text()
    assert "[profile] is missing" in dlg.job_line.text()
    assert dlg.start() is None and dlg.table.rowCount() == 0

    sim = jbd("JBD-C", 62)
    with ServerThread(sim) as srv:
        window.bridge.connect_device(f"{srv.url}?protocol=jbd")
        qtbot.waitUntil(lambda: window.bridge.state == "live", timeout=10_000)
        dlg.set_job_file(str(job_file(tmp_path)))
        dlg.urls.setPlainText(f"{srv.url}?protocol=jbd")
        assert dlg.start() is None and not dlg.running and dlg.table.rowCount() == 0
        assert dlg.problem.kind == "bad" and "the window is connected to a board" in dlg.problem.text()
        run_on_loop(qtbot, window.bridge.disconnect_device())


def test_a_job_started_again_skips_the_packs_it_has_done(
    window, qtbot, registry_file: Path, tmp_path: Path
) -> None:
    """Resuming in a new panel (as after closing the window): what is done comes from the
    registry, and the board's generated password from the job's export, not from memory."""
    sim = jbd("JBD-R", 63)
    with ExitStack() as stack:
        url = url_of(stack, sim)
        dlg = window.show_jobs()
        dlg.out = tmp_path / "out"
        dlg.set_job_file(str(job_file(tmp_path)))
        dlg.urls.setPlainText(url)
        assert dlg.start() is not None
        qtbot.waitUntil(lambda: not dlg.running, timeout=30_000)
        assert dlg.row_texts(0)[2] == "Passed: configured and commissioned"
        first = (sim._stored(), sim.password)
        dlg = jobs_panel.JobsDialog(window.bridge, out=tmp_path / "out")
        qtbot.addWidget(dlg)
        dlg.set_job_file(str(job_file(tmp_path)))
        dlg.urls.setPlainText(url)
        assert dlg.start() is not None
        qtbot.waitUntil(lambda: not dlg.running, timeout=30_000)
    assert (sim._stored(), sim.password) == first  # the second run wrote nothing
    row = dlg.row_texts(0)
    assert row[:2] == ["1", "JBD-R"] and row[2].startswith("Already done: already commissioned in job JOB-19")
    assert "1 pack(s): 0 passed, 0 not passed, 0 failed, 1 already done." in dlg.summary.text()
