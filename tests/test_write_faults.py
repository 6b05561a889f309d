"""Write safety under faults (issue 12 items 1, 2 and 7): a dropped link, Ctrl-C/SIGTERM and a
second program, against the simulators over TCP on 127.0.0.1.

What is wanted comes from the issue: the board is never left in a write mode (JBD factory
mode, shared/protocols/jbd_daly.md §3.1), the report says what the board *holds* (saved),
never what it only acknowledged, and backups never overwrite each other.  The board's own
account is the narrating simulator's (``packbench simulate`` prints ``board: …`` lines).
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from boards import ENV, ROOT, Simulate

from app.cli import main
from app.model import DeviceInfo
from app.protocols import get_protocol
from app.protocols.jbd import ENTER
from app.protocols.jbd import framing as fr
from app.protocols.jbd import schema as jbd_schema
from app.services import presets, settings_files, writer
from app.session import DeviceSession
from app.simulator import create_simulator
from app.simulator.server import ServerThread
from app.timing import ENV as TIMING_ENV
from app.timing import REAL
from app.transports import TransportError, open_transport

#: the CLI subprocess waits as long for an acknowledgement as for a real board (jk.md §11), so the
#: slow board's answer (?write_delay=1.0) is one that comes, and the signal arrives while it waits
SLOW_ACK_ENV = {**ENV, TIMING_ENV: f"ack_timeout_s={REAL.ack_timeout_s}"}


def lfp_args(cells: int) -> list[str]:
    return ["--preset", "lifepo4", "--cells", str(cells), "--capacity", "200"]


def touched(results: list[dict]) -> list[dict]:
    return [r for r in results if r["status"] not in ("not_attempted", "unchanged", "cancelled")]


# --- item 1: the link drops in the middle of `settings apply` ------------------------------------


def test_jbd_link_drop_mid_apply_leaves_factory_mode_and_reports_what_the_board_saved(tmp_path, run_cli):
    """Over TCP, `packbench simulate` narrating: the board takes two writes in factory mode,
    the link drops; the CLI reconnects once, leaves factory mode without saving and reads
    back: nothing was saved, and the report says so (not "1 of N change(s) are on the board")."""
    with Simulate("--url", "sim://jbd?cells=13&chemistry=li-ion&fault=drop_link_mid_write") as sim:
        res = run_cli(
            "settings",
            "apply",
            "--url",
            sim.url("jbd"),
            *lfp_args(13),
            "--yes",
            "--json",
            "--backup-dir",
            str(tmp_path),
        )
        assert res.returncode == 3, res.stderr
        assert "Traceback" not in res.stderr
        report = json.loads(res.stdout.splitlines()[-1])
        # the board's account: after the drop, the CLI's reconnection leaves factory mode
        # without saving, before the CLI exits (no other program connects meanwhile)
        before = sim.wait_for("board: link dropped")
        after = sim.wait_for("board: factory mode off")
        rc, err = sim.stop()
    assert "board: factory mode on" in before
    assert after == ["board: discarded 2 unsaved register(s)", "board: factory mode off"]
    assert not any(line.startswith("board: saved") for line in sim.seen)
    keys = touched(report["results"])
    assert [r["status"] for r in keys] == ["not_saved", "not_saved"], report["summary"]
    for r in keys:  # read back after the reconnection: the old value, which the board kept
        assert r["readback"] == pytest.approx(r["old"])
    assert report["summary"].startswith("nothing was changed on the board")
    assert "change(s) are on the board" not in report["summary"]
    assert Path(report["backup"]).exists()
    assert rc == 0 and "Traceback" not in err


def _lfp(session: DeviceSession, cells: int = 13) -> dict:
    keys = {s.key for s in writer.writable_schema(session)}
    profile = presets.PackProfile(
        cell_count=cells, capacity_ah=200.0, charge_current_a=60.0, discharge_current_a=120.0
    )
    return presets.builtin("lifepo4").apply(profile, keys)


def test_jbd_link_drop_without_a_way_back_says_not_saved_and_the_next_connection_recovers(tmp_path):
    """When the one reconnection fails too, the report still says only what is certain: the
    board never got the save command.  The next connection of any kind (here a plain read)
    takes the board out of factory mode without saving."""
    sim = create_simulator("jbd", cells=13, chemistry="li-ion", fault="drop_link_mid_write")
    opened: list[str] = []

    def once(url, protocol):
        if opened:
            raise TransportError("the network bridge went away")
        opened.append(url.text)
        return open_transport(url, protocol)

    async def apply(url: str):
        session = DeviceSession(url, "jbd", reconnect=False, transport_factory=once, recover_timeout_s=1.0)
        await session.connect()
        try:
            plan = await writer.prepare(session, _lfp(session), chemistry="lifepo4")
            return await writer.execute(
                session,
                plan,
                password=None,
                gate=writer.PasswordGate(),
                acknowledged={f.id for f in plan.advisories},
                backup_dir=tmp_path,
            )
        finally:
            await session.close()

    async def read(url: str):
        session = DeviceSession(url, "jbd", reconnect=False)
        await session.connect()
        await session.close()

    with ServerThread(sim) as server:
        report = asyncio.run(apply(server.url))
        assert sim.factory, "nobody could reach the board to take it out"
        asyncio.run(read(server.url))
    assert not sim.factory and sim.saves == 0
    assert sim.settings["cell_ovp_v"] == pytest.approx(4.2)  # nothing of the apply was kept
    keys = [r for r in report.results if r.status not in (writer.NOT_ATTEMPTED, writer.UNCHANGED)]
    assert [r.status for r in keys] == [writer.NOT_SAVED] * 2, report.summary
    assert all("never got the command that saves it" in r.detail for r in keys)
    assert report.summary.startswith("nothing was changed on the board")


def test_any_connection_takes_a_stranded_board_out_of_factory_mode_without_saving(capsys):
    """A program killed mid-write leaves a JBD board in factory mode with an unsaved write;
    `packbench read` (which never writes) leaves factory mode first, discarding it."""
    sim = create_simulator("jbd", cells=13)
    reg, raw = jbd_schema.encode_write("cell_ovp_v", 3.8, None)
    with ServerThread(sim) as server:
        reader = fr.JbdFrameReader()
        with socket.create_connection(server.address, timeout=5) as raw_link:
            raw_link.sendall(ENTER + fr.write_register(reg, raw))
            replies: list = []
            while len(replies) < 2:  # the two acks: in factory mode, the write taken
                replies += reader.feed(raw_link.recv(256))
        assert sim.factory and sim.writes == [(reg, raw)]
        assert main(["read", "--url", server.url + "?protocol=jbd", "--count", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[0])["kind"] == "live"
    assert not sim.factory and sim.saves == 0
    assert sim.settings["cell_ovp_v"] == pytest.approx(3.65)


# --- item 2: Ctrl-C / SIGTERM in the middle of a write ---------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_during_settings_apply_prints_the_report_and_leaves_factory_mode(tmp_path, sig):
    """The board answers each write after 1 s (?write_delay=1): the signal arrives while the
    CLI waits for the second answer.  Wanted: the per-key report of what the board holds,
    the backup path, exit 3, factory mode left without saving."""
    sim = create_simulator("jbd", cells=13, chemistry="li-ion", write_delay="1.0")
    with ServerThread(sim) as server:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "app",
                "settings",
                "apply",
                "--url",
                server.url + "?protocol=jbd",
                *lfp_args(13),
                "--yes",
                "--backup-dir",
                str(tmp_path),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=SLOW_ACK_ENV,
        )
        shown = []
        for line in proc.stdout:
            shown.append(line)
            if line.strip().startswith("[2/"):  # printed just before the second write
                proc.send_signal(sig)
                break
        rest, err = proc.communicate(timeout=30)
    out = "".join(shown) + rest
    assert proc.returncode == 3, (out, err)
    assert "Traceback" not in err and f"stopped by {sig.name}" in err
    assert "Battery capacity: not saved" in out and "interrupted before this key" in out
    backup = re.search(r"Backup of the previous settings: (\S+)", out)
    assert backup and Path(backup.group(1)).exists()
    assert not sim.factory and sim.saves == 0
    assert sim.settings["capacity_nominal_ah"] == pytest.approx(100.0)
    assert sim.settings["cell_ovp_v"] == pytest.approx(4.2)


def test_sigterm_during_control_reports_what_the_board_holds(tmp_path):
    """`control charge off` on a JK board: the board switches charging off at once and answers
    1 s later; SIGTERM comes in between.  The report reads the board back: charging is off."""
    sim = create_simulator("jk02_32s", cells=16, seed=3, write_delay="1.0")
    landed = threading.Event()
    sim.narrate = lambda line: landed.set() if line == "board: charge off" else None
    with ServerThread(sim) as server:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "app",
                "control",
                "--url",
                server.url,
                "charge",
                "off",
                "--password",
                "123456",
                "--yes",
                "--json",
                "--backup-dir",
                str(tmp_path),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=SLOW_ACK_ENV,
        )
        assert landed.wait(30), "the write never reached the board"
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 3, (out, err)
    assert "Traceback" not in err and "stopped by SIGTERM" in err
    doc = json.loads(out.splitlines()[-1])
    assert doc["interrupted"] is True and doc["ok"] is False
    assert doc["readback"] is False and doc["status"] == writer.UNVERIFIED  # on the board now
    assert Path(doc["backup"]).exists()
    assert sim.settings["charge_switch"] is False


# --- item 7: two programs at one board -------------------------------------------------------------


def test_backups_made_in_the_same_second_never_overwrite_each_other(tmp_path, monkeypatch):
    """Two programs back one board up in the same second, both choosing a name before either
    writes (a barrier holds them there): two files, each with its own values."""
    monkeypatch.setattr(settings_files.time, "strftime", lambda fmt, t=None: "20260101-120000")
    barrier = threading.Barrier(2, timeout=5)
    real_save = settings_files.save

    def save_when_both_chose(path, document):
        barrier.wait()
        return real_save(path, document)

    monkeypatch.setattr(settings_files, "save", save_when_both_chose)
    paths: dict[float, Path] = {}

    def backup(value: float) -> None:
        paths[value] = settings_files.write_backup(
            {"cell_ovp_v": value}, protocol="jbd", device=DeviceInfo(serial_number="SN1"), directory=tmp_path
        )

    threads = [threading.Thread(target=backup, args=(v,)) for v in (3.65, 4.2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(set(paths.values())) == 2
    for value, path in paths.items():
        assert path.name.startswith("20260101-120000-")  # the time, then a unique suffix
        assert settings_files.load(path)["settings"]["cell_ovp_v"] == value
    assert sorted(p.name for p in (tmp_path / "SN1").iterdir()) == sorted(p.name for p in paths.values())


def test_a_value_another_program_wrote_is_not_blamed_on_the_board(tmp_path):
    """Another program's write reaches the board between ours and our read-back: the report
    says the value was changed by someone else or by the board, not that the board stored
    a different value (or clamped it)."""
    sim = create_simulator("jk02_32s", cells=16, seed=5)
    theirs = get_protocol("jk02_32s").write_requests("balance_start_v", 3.5)[-1]

    def other_program(line: str) -> None:
        if line == "board: balance_start_v = 3.45":  # ours landed; theirs comes right after
            sim.receive(theirs)

    sim.narrate = other_program

    async def apply(url: str):
        session = DeviceSession(url, reconnect=False)
        await session.connect()
        try:
            plan = await writer.prepare(session, {"balance_start_v": 3.45})
            return await writer.execute(
                session, plan, password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path
            )
        finally:
            await session.close()

    with ServerThread(sim) as server:
        report = asyncio.run(apply(server.url))
    [r] = [r for r in report.results if r.key == "balance_start_v"]
    assert r.status == writer.CHANGED_ELSEWHERE and r.readback == pytest.approx(3.5)
    assert "changed by someone else or by the board" in r.detail
    assert "stored" not in r.detail and "clamp" not in r.detail
    assert "changed by someone else or by the board" in report.summary


def test_a_command_that_loses_the_link_inside_factory_mode_leaves_it_before_it_exits():
    """Not only the settings transaction: any command that entered factory mode (calibration,
    remaining capacity …) and lost the link reconnects once on closing, to leave it."""
    sim = create_simulator("jbd", cells=13)

    async def run(server: ServerThread) -> str:
        session = DeviceSession(server.url, "jbd", reconnect=False, recover_timeout_s=2.0)
        await session.connect()
        await session.open_write_mode(None)
        assert sim.factory
        server.call(server.server.drop_clients)  # a pulled cable
        while session.state.value != "disconnected":
            await asyncio.sleep(0.02)
        await session.close()
        return session.state.value

    with ServerThread(sim) as server:
        assert asyncio.run(asyncio.wait_for(run(server), 20)) == "disconnected"
    assert not sim.factory and sim.saves == 0


def test_a_cancelled_write_task_stays_cancelled_and_carries_the_report(tmp_path):
    """In-process (the window closing, say): the task that ran the write ends cancelled, as
    any cancelled task does, and the cancellation carries the report of what the board
    holds, made after leaving factory mode without saving."""
    sim = create_simulator("jbd", cells=13, chemistry="li-ion", write_delay="1.0")

    async def run(url: str):
        # a real board's wait for the answer (jk.md §11), so the 1 s answer is one that comes
        session = DeviceSession(url, "jbd", reconnect=False, ack_timeout_s=REAL.ack_timeout_s)
        await session.connect()
        try:
            plan = await writer.prepare(session, _lfp(session), chemistry="lifepo4")
            loop = asyncio.get_running_loop()

            def progress(i: int, n: int, key: str) -> None:
                if i == 0:  # the first write is on its way: the board answers in 1 s
                    loop.call_later(0.2, task.cancel)

            task = asyncio.create_task(
                writer.execute(
                    session,
                    plan,
                    password=None,
                    gate=writer.PasswordGate(),
                    acknowledged={f.id for f in plan.advisories},
                    backup_dir=tmp_path,
                    progress=progress,
                )
            )
            with pytest.raises(writer.Interrupted) as stop:
                await task
            return task.cancelled(), stop.value.report
        finally:
            await session.close()

    with ServerThread(sim) as server:
        cancelled, report = asyncio.run(run(server.url))
    assert cancelled and report.interrupted and not report.ok
    first, *rest = [r for r in report.results if r.status != writer.UNCHANGED]
    assert first.status == writer.NOT_SAVED and first.readback == pytest.approx(first.old)
    assert {r.status for r in rest} == {writer.CANCELLED}
    assert not sim.factory and sim.saves == 0
