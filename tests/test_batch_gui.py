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

from app.services.registry import Registry  # noqa: E402
from app.simulator.server import ServerThread  # noqa: E402
from app.ui import jobs_panel  # noqa: E402

pytestmark = pytest.mark.gui
ARTIFACTS = Path(__file__).parent / "_artifacts"


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the panel asked the desktop to open (nothing is launched in a test)."""
    urls: list[str] = []
    monkeypatch.setattr(jobs_panel.QDesktopServices, "openUrl", lambda url: urls.append(url.toLocalFile()))
    return urls


def url_of(stack: ExitStack, sim) -> str:
    return f"{stack.enter_context(ServerThread(sim)).url}?protocol={sim.protocol_id}"


def run_in(qtbot, dlg, urls: list[str]) -> None:
    dlg.urls.setPlainText("\n".join(urls))
    qtbot.mouseClick(dlg.start_button, Qt.MouseButton.LeftButton)
    assert dlg.running and not dlg.start_button.isEnabled() and dlg.stop_button.isEnabled()
    qtbot.waitUntil(lambda: not dlg.running, timeout=120_000)
    assert dlg.stage.text() == "Done." and dlg.start_button.isEnabled()


def test_a_job_runs_from_the_window_to_a_summary_of_each_pack(
    window, qtbot, registry_file: Path, tmp_path: Path, opened: list[str]
) -> None:
    """The issue's job: 5 JK + 5 JBD boards, one JBD already done in this job, one JK refusing
    the job's password, one JBD whose link drops mid-write."""
    good_jk = [jk(seed) for seed in (12, 21, 22, 23)]
    wrong_password = jk(24, password="999999")  # the job's password is not this one's
    good_jbd = [jbd(f"JBD-{i}", 30 + i) for i in range(3)]
    # a 100 Ah board: the 40 Ah profile changes keys and the name; the link drops after 2 writes
    link_drop = jbd("JBD-DROP", 40, fault="drop_link_mid_write", capacity="100")
    done = jbd("JBD-DONE", 41)
    before, drop_before = dict(wrong_password.settings), link_drop._stored()
    order = [*good_jk[:2], wrong_password, good_jbd[0], link_drop, done, *good_jk[2:], *good_jbd[1:]]
    with ExitStack() as stack:
        url = {id(s): url_of(stack, s) for s in order}
        dlg = window.show_jobs()
        dlg.out = tmp_path / "out"
        dlg.set_job_file(str(job_file(tmp_path)))
        assert dlg.job_line.kind == "info" and "Job JOB-19: lifepo4 preset, 16 cells" in dlg.job_line.text()
        run_in(qtbot, dlg, [url[id(done)]])  # a first run commissions one pack
        after_first = (done._stored(), done.password)
        countdowns: list[str] = []
        resting = dlg._on_resting  # what the countdown label said while a pack rested
        dlg._on_resting = lambda *a: (resting(*a), countdowns.append(dlg.countdown.text()))
        run_in(qtbot, dlg, [url[id(s)] for s in order])
    assert countdowns and all("is resting before its sealing checks" in t for t in countdowns)
    assert any(" s to go (its current must stay at most" in t for t in countdowns), countdowns

    # one row per pack, in order, saying what happened to it
    rows = [dlg.row_texts(r) for r in range(dlg.table.rowCount())]
    assert len(rows) == 10
    serials = {id(s): s.info.serial_number for s in (*good_jk, wrong_password)}
    serials.update({id(s): s.texts[0xA2] for s in (*good_jbd, link_drop, done)})
    assert [r[1].split(" → ")[0] for r in rows] == [serials[id(s)] for s in order]
    row = {id(s): rows[i] for i, s in enumerate(order)}
    for sim in good_jk:
        assert row[id(sim)][2].startswith("Passed: configured and commissioned; not renamed:"), row[id(sim)]
    for sim in good_jbd:
        assert row[id(sim)][2] == "Passed: configured and commissioned", row[id(sim)]
        assert row[id(sim)][1].startswith(f"{serials[id(sim)]} → PACK-0")
    bad, dropped = row[id(wrong_password)], row[id(link_drop)]
    assert bad[2].startswith("Failed: ") and "wrong setup password: nothing was written" in bad[2], bad
    assert dropped[2].startswith("Failed: the write failed:") and "never saved" in dropped[2], dropped
    assert dropped[1] == "JBD-DROP"  # not renamed: the name was never saved
    assert row[id(done)][2].startswith("Already done"), row[id(done)]
    assert "--again" not in row[id(done)][2]  # a command-line option means nothing in the window
    assert all(r[3].endswith(" s") for r in rows)
    for sim in (*good_jk, *good_jbd):
        assert row[id(sim)][4].endswith(".pdf") and float(row[id(sim)][3][:-2]) > 0
    assert bad[4] == dropped[4] == "—"

    # the summary: counts, the CSV (the same rows) and its folder
    assert "10 pack(s): 7 passed, 0 not passed, 2 failed, 1 already done." in dlg.summary.text()
    assert f"Summary CSV: {dlg.summary_csv}" in dlg.summary.text()
    with dlg.summary_csv.open(encoding="utf-8") as f:
        results = {r["serial"]: r["result"] for r in csv.DictReader(f)}
    assert results[serials[id(wrong_password)]] == results["JBD-DROP"] == "failed"
    assert results["JBD-DONE"] == "skipped"
    assert all(results[serials[id(s)]] == "passed" for s in (*good_jk, *good_jbd))
    assert "Board passwords for the customer (keep it safe)" in dlg.summary.text()  # the JBD boards got one
    qtbot.mouseClick(dlg.folder_button, Qt.MouseButton.LeftButton)
    assert opened == [str(tmp_path / "out")]
    i_bad, i_good = order.index(wrong_password), order.index(good_jk[0])
    assert dlg.open_report(i_bad) is None and dlg.open_report(i_good) == Path(opened[-1])  # by row

    # a report and registry entries for each successful pack; nothing written to the failed ones
    # beyond what their rows say, and the done one left as its first run left it
    with Registry(registry_file) as reg:
        for sim in (*good_jk, *good_jbd):
            assert Path(dlg._rows[order.index(sim)].report).is_file()
            (pack,) = reg.find(serials[id(sim)])
            kinds = {e["kind"] for e in reg.timeline(pack["id"])}
            assert {"write", "commissioning", "report", "batch"} <= kinds, kinds
        for serial in (serials[id(wrong_password)], "JBD-DROP"):
            (pack,) = reg.find(serial)
            assert "commissioning" not in {e["kind"] for e in reg.timeline(pack["id"])}
        (pack,) = reg.find("JBD-DONE")
        assert [e["kind"] for e in reg.timeline(pack["id"])].count("commissioning") == 1
    assert dict(wrong_password.settings) == before
    assert link_drop._stored() == drop_before and link_drop.password is None  # nothing saved
    assert (done._stored(), done.password) == after_first
    assert all(s._stored()["device_name"] == row[id(s)][1].split(" → ")[1] for s in good_jbd)

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


def open_panel(window, tmp_path: Path, text: str | None = None):
    dlg = window.show_jobs()
    dlg.out = tmp_path / "out"
    dlg.set_job_file(str(job_file(tmp_path, text)))
    return dlg


def test_skip_ends_only_the_pack_in_hand_and_the_run_goes_on(
    window, qtbot, registry_file: Path, tmp_path: Path
) -> None:
    """Skip this pack, pressed while the first pack rests before its sealing checks: that pack
    ends as a cancellation ends it (written and verified, never commissioned), the second passes."""
    first, second = jbd("JBD-K1", 65), jbd("JBD-K2", 66)
    with ExitStack() as stack:
        urls = [url_of(stack, first), url_of(stack, second)]
        dlg = open_panel(window, tmp_path)
        resting = dlg._on_resting
        pressed: list[str] = []

        def rest_then_skip(res, *a) -> None:
            resting(res, *a)
            if res.serial == "JBD-K1" and not pressed:
                pressed.append(res.serial)
                qtbot.mouseClick(dlg.skip_button, Qt.MouseButton.LeftButton)

        dlg._on_resting = rest_then_skip
        run_in(qtbot, dlg, urls)
    assert pressed == ["JBD-K1"]
    one, two = dlg.row_texts(0), dlg.row_texts(1)
    assert one[2].startswith("Failed: skipped by the operator while commissioning:"), one
    assert "key(s) had been written and verified before" in one[2] and one[4] == "—"
    assert two[2] == "Passed: configured and commissioned", two
    assert "2 pack(s): 1 passed, 0 not passed, 1 failed, 0 already done." in dlg.summary.text()
    with Registry(registry_file) as reg:
        (pack,) = reg.find("JBD-K1")
        kinds = [e["kind"] for e in reg.timeline(pack["id"])]
        assert "commissioning" not in kinds and "batch" in kinds  # the skip is on record


def test_pause_lets_the_pack_in_hand_finish_and_resume_goes_on(
    window, qtbot, registry_file: Path, tmp_path: Path
) -> None:
    with ExitStack() as stack:
        urls = [url_of(stack, jbd("JBD-P1", 67)), url_of(stack, jbd("JBD-P2", 68))]
        dlg = open_panel(window, tmp_path)
        dlg.urls.setPlainText("\n".join(urls))
        assert dlg.start() is not None
        qtbot.mouseClick(dlg.pause_button, Qt.MouseButton.LeftButton)  # while pack 1 is in hand
        assert dlg.pause_button.text() == "Resume"
        qtbot.waitUntil(lambda: dlg.stage.text().startswith("Paused"), timeout=30_000)
        assert dlg.running and dlg.table.rowCount() == 1  # pack 1 finished, pack 2 waits
        assert dlg.row_texts(0)[2] == "Passed: configured and commissioned"
        qtbot.wait(100)  # paused: still nothing begun (a short look, not a wait for the code)
        assert dlg.table.rowCount() == 1
        qtbot.mouseClick(dlg.pause_button, Qt.MouseButton.LeftButton)
        assert dlg.pause_button.text() == "Pause"
        qtbot.waitUntil(lambda: not dlg.running, timeout=30_000)
    assert dlg.stage.text() == "Done." and dlg.table.rowCount() == 2
    assert dlg.row_texts(1)[2] == "Passed: configured and commissioned"


def test_stop_while_paused_ends_the_run_with_its_summary(
    window, qtbot, registry_file: Path, tmp_path: Path
) -> None:
    with ExitStack() as stack:
        urls = [url_of(stack, jbd("JBD-Q1", 71)), url_of(stack, jbd("JBD-Q2", 72))]
        dlg = open_panel(window, tmp_path)
        dlg.urls.setPlainText("\n".join(urls))
        assert dlg.start() is not None
        qtbot.mouseClick(dlg.pause_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dlg.stage.text().startswith("Paused"), timeout=30_000)
        qtbot.mouseClick(dlg.stop_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dlg.running, timeout=10_000)
    assert dlg.stage.text() == "Stopped." and dlg.table.rowCount() == 1
    assert dlg.pause_button.text() == "Pause" and not dlg.pause_button.isEnabled()
    assert "1 pack(s): 1 passed, 0 not passed, 0 failed, 0 already done." in dlg.summary.text()
    assert window.bridge.busy is None


def test_scan_takes_the_bluetooth_boards_found(
    window, qtbot, registry_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bluetooth: scan for boards, over the simulated Bluetooth stack (PACKBENCH_FAKE_BLE, as
    tests/test_batch.py's --scan test); a second run leaves the done board alone."""
    # a spec of its own: the same spec is the same board for the life of the process (fake_ble.py)
    monkeypatch.setenv("PACKBENCH_FAKE_BLE", "jbd?cells=16&capacity=40&current=0&seed=73")
    dlg = open_panel(window, tmp_path)
    dlg.set_source("scan")
    assert not dlg.urls.isEnabled() and dlg.scan_seconds.isVisible()
    dlg.scan_seconds.setValue(0.3)
    said = []
    for _ in range(2):
        assert dlg.start() is not None, dlg.problem.text()
        qtbot.waitUntil(lambda: not dlg.running, timeout=60_000)
        assert dlg.stage.text() == "Done." and dlg.table.rowCount() == 1
        assert dlg.table.item(0, 1).toolTip().startswith("jbd ble://")  # the board the scan found
        said.append(dlg.row_texts(0))
    first, second = said
    assert first[2] == "Passed: configured and commissioned" and first[1].endswith(" → PACK-001"), first
    assert second[0] == "1" and second[2].startswith("Already done: already commissioned in job JOB-19")


def test_one_port_swapped_by_the_operator(window, qtbot, registry_file: Path, tmp_path: Path) -> None:
    """One port, swap packs: after each pack a line asks for the next one on the same link.
    The same pack again is refused (done in this job); a second board served on the same port
    afterwards passes; Finish ends the job."""
    first, second = jbd("JBD-S1", 69), jbd("JBD-S2", 70)
    srv = ServerThread(first).start()
    port = srv.address[1]
    url = f"{srv.url}?protocol=jbd"
    dlg = open_panel(window, tmp_path)
    dlg.set_source("swap")
    dlg.urls.setPlainText(f"{url}\n{url}")
    assert dlg.start() is None and "exactly one device URL" in dlg.problem.text()
    dlg.urls.setPlainText(url)
    try:
        assert dlg.start() is not None
        for expected in (1, 2):  # the first pack, then the same pack again
            qtbot.waitUntil(lambda: dlg.swap_box.isVisible(), timeout=30_000)
            assert dlg.table.rowCount() == expected
            assert "Connect the next pack to " + url in dlg.swap_line.text()
            if expected == 1:  # what the operator sees between packs
                ARTIFACTS.mkdir(exist_ok=True)
                dlg.resize(1024, 640)
                assert dlg.grab().save(str(ARTIFACTS / "batch_panel_swap.png"))
            if expected == 2:
                srv.stop()  # the operator unplugs the first pack and connects the second
                srv = ServerThread(second, port=port).start()
            qtbot.mouseClick(dlg.next_button, Qt.MouseButton.LeftButton)
            assert not dlg.swap_box.isVisible()
        qtbot.waitUntil(lambda: dlg.swap_box.isVisible(), timeout=30_000)
        qtbot.mouseClick(dlg.finish_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dlg.running, timeout=10_000)
    finally:
        srv.stop()
    rows = [dlg.row_texts(r) for r in range(dlg.table.rowCount())]
    assert [r[1].split(" → ")[0] for r in rows] == ["JBD-S1", "JBD-S1", "JBD-S2"], rows
    assert rows[0][2] == rows[2][2] == "Passed: configured and commissioned", rows
    assert rows[1][2].startswith("Already done: already commissioned in job JOB-19"), rows[1]
    assert dlg.stage.text() == "Done." and not dlg.swap_box.isVisible()
    assert "3 pack(s): 2 passed, 0 not passed, 0 failed, 1 already done." in dlg.summary.text()
