"""``packbench batch`` (issue 19): a job of simulated JK02_32S and JBD boards over TCP.

The issue's "done when", the CLI half: a job of 5 JK and 5 JBD boards (mixed families, one
with a link drop, one refusing a write, one already done) runs to a summary that says
exactly what happened to each, with a report and registry entries for every successful
one and nothing written to the failed ones beyond what their reports say (checked against
the simulators' own state).  Passwords never reach the registry (issue 18, 19).

Expected values come from the issue and from the simulators' documented faults
(``fault=drop_link_mid_write``: the JBD board keeps factory-mode writes unsaved when the
link drops, shared/protocols/jbd_daly.md §3.1; a JK board reports its setup password and
the gate compares it locally, jk.md §6).
"""

from __future__ import annotations

import asyncio
import csv
import json
import shutil
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from boards import ENV, ROOT

from app.services import batch, batch_files, jobs, packlog
from app.services.registry import Registry
from app.simulator import create_simulator
from app.simulator.server import ServerThread
from app.timing import ENV as TIMING_ENV
from app.timing import REAL

#: the CLI subprocess waits as long for an acknowledgement as for a real board (jk.md §11), so
#: the slow board's answer (?write_delay=1.0) is one that comes (as tests/test_write_faults.py)
SLOW_ACK_ENV = {**ENV, TIMING_ENV: f"ack_timeout_s={REAL.ack_timeout_s}"}
SECRET = "Zq93xwKp"  # the JK boards' setup password (not the factory 123456: no alarm)
JOB = """
job = "JOB-19"
operator = "Ana Lima"
[profile]
preset = "lifepo4"
cells = 16
capacity_ah = 40
[naming]
pattern = "PACK-{n:03}"
[board_password]
policy = "POLICY"
current = { jk = "CURRENT" }  # the JK boards' setup password; the JBD boards have none yet
[sealing]
rest_s = 0.2
"""


def job_file(tmp_path: Path, text: str | None = None, *, policy: str = "generate") -> Path:
    path = tmp_path / "job.toml"
    if text is None:
        text = JOB.replace("POLICY", policy).replace("CURRENT", SECRET)
    path.write_text(text, "utf-8")
    return path


def jk(seed: int, **options: Any) -> Any:
    options = {"current": "0", "capacity": "40", "password": SECRET, **options}
    return create_simulator("jk02_32s", cells=16, seed=seed, **options)


def jbd(serial: str, seed: int, **options: Any) -> Any:
    options = {"current": "0", "capacity": "40", **options}
    sim = create_simulator("jbd", cells=16, seed=seed, **options)
    sim.texts[0xA2] = serial  # the barcode (0xA2) is the JBD pack's serial number
    return sim


def batch_args(job: Path, out: Path, urls: list[str], *extra: str) -> list[str]:
    args = ["batch", "--job", str(job), "--out", str(out), "--backup-dir", str(out / "backups")]
    for url in urls:
        args += ["--url", url]
    return [*args, *extra]


def summary(out: Path) -> dict[str, dict[str, str]]:
    (path,) = out.glob("*_summary.csv")
    with path.open(encoding="utf-8") as f:
        return {row["serial"] or row["url"]: row for row in csv.DictReader(f)}


def test_a_mixed_job_says_what_happened_to_each_pack(registry_file: Path, run_cli, tmp_path: Path) -> None:
    job, out = job_file(tmp_path), tmp_path / "out"
    good_jk = [jk(seed) for seed in (12, 21, 22, 23)]
    wrong_password = jk(24, password="999999")  # the job's password is not this board's
    good_jbd = [jbd(f"JBD-{i}", 30 + i) for i in range(3)]
    # a 100 Ah board: the 40 Ah profile changes 2 keys and the name; the link drops after 2 writes
    link_drop = jbd("JBD-DROP", 40, fault="drop_link_mid_write", capacity="100")
    done = jbd("JBD-DONE", 41)
    with ExitStack() as stack:
        url = {
            id(s): f"{stack.enter_context(ServerThread(s)).url}?protocol={s.protocol_id}"
            for s in (*good_jk, wrong_password, *good_jbd, link_drop, done)
        }
        # a first run commissions one pack; the full run must leave it alone
        first = run_cli(*batch_args(job, out, [url[id(done)]]))
        assert first.returncode == 0, first.stdout + first.stderr
        after_first = (done._stored(), done.password)
        jk_before = dict(wrong_password.settings)
        drop_before = link_drop._stored()
        order = [*good_jk[:2], wrong_password, good_jbd[0], link_drop, done, *good_jk[2:], *good_jbd[1:]]
        ran = run_cli(*batch_args(job, out, [url[id(s)] for s in order]))
    assert ran.returncode == 1, ran.stdout + ran.stderr  # a pack failed
    assert "Traceback" not in ran.stdout + ran.stderr
    lines = [line for line in ran.stdout.splitlines() if line.startswith("pack ")]
    assert len(lines) == 10  # one line per pack, in order
    rows = summary(out)
    serials = {id(s): s.info.serial_number for s in (*good_jk, wrong_password)}
    serials.update({id(s): s.texts[0xA2] for s in (*good_jbd, link_drop, done)})
    assert [r for r in rows] == [serials[id(s)] for s in order], ran.stdout

    # what happened to each, in words
    for sim in (*good_jk, *good_jbd):
        assert rows[serials[id(sim)]]["result"] == "passed", rows[serials[id(sim)]]
    bad = rows[serials[id(wrong_password)]]
    assert bad["result"] == "failed" and "wrong setup password: nothing was written" in bad["why"]
    dropped = rows["JBD-DROP"]
    assert dropped["result"] == "failed" and dropped["why"].startswith("the write failed:"), dropped
    assert "never saved" in dropped["why"] and dropped["name"] == ""  # the name it holds: not the new one
    assert (
        rows["JBD-DONE"]["result"] == "skipped"
        and "already commissioned in job JOB-19" in rows["JBD-DONE"]["why"]
    )
    assert "10 pack(s): 7 passed, 0 not passed, 2 failed, 1 already done" in ran.stdout
    assert "--again commissions them again" in ran.stdout  # the CLI's way to do them once more

    # names: JBD boards take the job's pattern, numbered in the job (the first run's pack is 1)
    assert rows["JBD-DONE"]["pack"] == "1"
    names = {rows[s.texts[0xA2]]["name"] for s in good_jbd}
    assert all(s._stored()["device_name"] == rows[s.texts[0xA2]]["name"] for s in good_jbd)
    assert len(names) == 3 and all(n.startswith("PACK-0") for n in names)
    assert all(rows[serials[id(s)]]["name"] == "" for s in good_jk)  # no rename command for JK
    assert (
        "not renamed: Packbench knows no command that renames jk boards"
        in rows[serials[id(good_jk[0])]]["why"]
    )
    assert "no password command" in rows[serials[id(good_jk[0])]]["board_password"]

    # nothing written to the failed ones beyond what their reports say
    assert dict(wrong_password.settings) == jk_before
    assert link_drop._stored() == drop_before and link_drop.password is None
    assert (done._stored(), done.password) == after_first

    # passwords: on the board, in the customer's export, never in the registry
    (export,) = out.glob("*_board_passwords.csv")
    with export.open(encoding="utf-8") as f:
        given = {r["serial"]: r["board_password"] for r in csv.DictReader(f)}
    assert set(given) == {"JBD-0", "JBD-1", "JBD-2", "JBD-DONE"}
    assert all(s.password == given[s.texts[0xA2]] for s in (*good_jbd, done))
    assert oct(export.stat().st_mode & 0o777) == "0o600"
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("packs.sqlite3*"))
    assert not any(pw.encode() in stored for pw in given.values())

    # the registry: a commissioning, a report and a batch record per successful pack
    with Registry(registry_file) as reg:
        for sim in (*good_jk, *good_jbd):
            (pack,) = reg.find(serials[id(sim)])
            kinds = [e["kind"] for e in reg.timeline(pack["id"])]
            assert {"write", "commissioning", "report", "batch"} <= set(kinds), kinds
            report = json.loads(Path(rows[serials[id(sim)]]["report"]).with_suffix(".json").read_text())
            assert report["verdict"] == "passed" and report["job"] == "JOB-19"
        for serial in (serials[id(wrong_password)], "JBD-DROP"):
            (pack,) = reg.find(serial)
            kinds = [e["kind"] for e in reg.timeline(pack["id"])]
            assert "commissioning" not in kinds and kinds[-1] == "batch", kinds
        (pack,) = reg.find("JBD-DROP")
        (write,) = reg.timeline(pack["id"], kinds=("write",))
        assert not write["data"]["ok"]
        assert all(r["verdict"] not in ("verified", "unverified") for r in write["data"]["results"])
        (pack,) = reg.find("JBD-DONE")
        assert [e["kind"] for e in reg.timeline(pack["id"])].count("commissioning") == 1


def test_time_on_the_board_and_round_trips_are_counted_per_pack(
    registry_file: Path, run_cli, tmp_path: Path
) -> None:
    job, out = job_file(tmp_path, policy="keep"), tmp_path / "out"
    with ServerThread(jbd("JBD-T", 50)) as srv:
        ran = run_cli(*batch_args(job, out, [f"{srv.url}?protocol=jbd"]))
    assert ran.returncode == 0, ran.stdout + ran.stderr
    (row,) = summary(out).values()
    total, board, rest = float(row["time_s"]), float(row["board_s"]), float(row["rest_s"])
    assert board > 0 and board + rest <= total and int(row["frames_sent"]) > 0
    assert row["board_password"] == "kept"
    assert not list(out.glob("*_board_passwords.csv"))  # nobody got one: no export


def test_one_link_swapped_by_the_operator_refuses_the_same_pack_twice(
    registry_file: Path, run_cli, tmp_path: Path
) -> None:
    # policy "generate": the board asks for the password this run gave it when plugged again
    job, out = job_file(tmp_path), tmp_path / "out"
    with ServerThread(jbd("JBD-S", 51)) as srv:
        # the operator "swaps" (the same board again), presses Enter, then input ends
        ran = run_cli(*batch_args(job, out, [f"{srv.url}?protocol=jbd"], "--swap"), stdin="\n")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stdout.count(batch_prompt()) == 2
    results = [r["result"] for r in summary(out).values()]
    assert len(summary(out)) == 1  # the same serial: one row kept per serial in this view
    assert "SKIPPED: already commissioned in job JOB-19" in ran.stdout and results == ["skipped"]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext missing: install poppler-utils")
def test_a_given_board_password_is_on_the_pdf_only(registry_file: Path, run_cli, tmp_path: Path) -> None:
    text = JOB.replace('policy = "POLICY"', 'policy = "set"\nnew = "246810"').replace("CURRENT", SECRET)
    job, out = job_file(tmp_path, text), tmp_path / "out"
    sim = jbd("JBD-P", 52)
    with ServerThread(sim) as srv:
        ran = run_cli(*batch_args(job, out, [f"{srv.url}?protocol=jbd"]))
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert sim.password == "246810"  # the board asks for it now
    (pdf,) = out.glob("*.pdf")
    words = " ".join(
        subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "Board password 246810" in words and "Device name PACK-001" in words
    assert "246810" not in pdf.with_suffix(".json").read_text(encoding="utf-8")
    assert "246810" not in summary(out)["JBD-P"].values()
    assert not any(b"246810" in p.read_bytes() for p in tmp_path.glob("packs.sqlite3*"))


def batch_prompt() -> str:
    from app.cli.batch import PROMPT

    return PROMPT.strip()


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('operator = "A"\n[profile]\npreset = "lifepo4"\ncells = 16\ncapacity_ah = 40\n', "job is missing"),
        (JOB.replace('preset = "lifepo4"', 'preset = "lead-acid"'), "unknown preset 'lead-acid'"),
        (JOB.replace("PACK-{n:03}", "PACK-{x}"), "pattern 'PACK-{x}' uses {x}"),
        (JOB.replace("PACK-{n:03}", "PACK-{n"), "[naming] pattern 'PACK-{n'"),
        (JOB.replace("cells = 16\n", ""), "preset needs cells and capacity_ah"),
        (JOB.replace('policy = "POLICY"', 'policy = "set"'), 'policy = "set" needs new'),
        (JOB.replace("rest_s = 0.2", "rest_s = -1"), "rest_s must be 0 to 3600"),
        (JOB + "colour = 1\n", "[sealing] has no key 'colour'"),
        ("job = [", "not valid TOML"),
    ],
)
def test_a_bad_job_file_is_one_line_and_nothing_is_done(
    registry_file: Path, run_cli, tmp_path: Path, text: str, said: str
) -> None:
    job = job_file(tmp_path, text.replace("POLICY", "keep").replace("CURRENT", "1"))
    ran = run_cli("batch", "--job", str(job), "--url", "sim://jbd?cells=16", "--out", str(tmp_path / "o"))
    assert ran.returncode == 2
    (line,) = ran.stderr.splitlines()
    assert line.startswith("packbench batch: --job ") and said in line, line
    assert not registry_file.exists() and not (tmp_path / "o").exists()


def test_naming_patterns() -> None:
    assert jobs.device_name("PACK-{n:03}", 7, "X") == "PACK-007"
    assert jobs.device_name("{serial}-B", 7, "SIM1") == "SIM1-B"
    assert jobs.check_pattern("PACK-{n:03}") is None and jobs.check_pattern("{serial}") is None
    assert "only {n} and {serial}" in (jobs.check_pattern("{0}") or "")
    assert "Unknown format code" in (jobs.check_pattern("PACK-{n:q}") or "")


def test_the_summary_csv_holds_no_password() -> None:
    r = batch.PackResult("sim://jbd", batch.PASSED, "ok", "jbd", "S1", 1, "PACK-001", secret="123456")
    assert "123456" not in batch.summary_csv([r])
    job = jobs.Job(ref="J", operator="A", path=Path("j.toml"))
    assert "123456" in (batch_files.passwords_csv(job, [r]) or "")


class _Board:
    """A session double whose waits move a fake clock: connect 1 s (and starts a poller
    task), refresh_settings 1 s around a 2 s script, a snapshot 0.5 s."""

    def __init__(self, t: list[float]) -> None:
        self.t, self.poller = t, None
        self.taps: list[Any] = []

    def add_frame_tap(self, tap: Any) -> None:
        self.taps.append(tap)

    async def connect(self) -> None:
        self.t[0] += 1
        self.poller = asyncio.get_running_loop().create_task(self.run_script())

    async def run_script(self) -> None:
        self.t[0] += 2
        for tap in self.taps:
            tap("tx", b"\x01")

    async def refresh_settings(self) -> None:
        self.t[0] += 1
        await self.run_script()

    async def next_snapshot(self) -> None:
        self.t[0] += 0.5


def test_the_meter_counts_each_wait_once() -> None:
    """Nested calls and the session's own background task (started by connect) are not
    counted again: only the pack's own outermost waits add up."""
    t = [0.0]
    board = _Board(t)
    meter = batch.Meter(clock=lambda: t[0])
    for name in batch.BOARD_CALLS:
        setattr(board, name, getattr(board, name, None) or board.connect)
    meter.wrap(board)

    async def pack() -> None:
        await board.connect()
        await board.poller  # the poller's script: 2 s of board time nobody awaited
        await board.refresh_settings()
        await board.next_snapshot()

    asyncio.run(pack())
    assert t[0] == 6.5
    assert meter.board_s == 1 + 3 and meter.rest_s == 0.5 and meter.frames_sent == 2


def written_unsaved(sim: Any) -> bool:
    """A JBD simulator in factory mode holding a register not saved yet."""
    return sim.factory and any(sim.shadow.get(r) != v for r, v in dict(sim.eeprom).items())


def test_sigterm_mid_write_ends_that_pack_as_the_board_holds_it_and_stops_the_run(tmp_path: Path) -> None:
    """A subprocess (the signal is the point): the board answers each write after 1 s; SIGTERM
    arrives once a write landed in factory mode.  Wanted: factory mode left without saving,
    the pack said interrupted, the next pack not started, the summary still written, exit 130."""
    job, out = job_file(tmp_path, policy="keep"), tmp_path / "out"
    sim = jbd("JBD-SIG", 53, capacity="100", write_delay="1.0")  # 2 keys + the name to write
    other = jbd("JBD-NEXT", 54)
    env = {**SLOW_ACK_ENV, packlog.ENV: str(tmp_path / "packs.sqlite3")}
    with ServerThread(sim) as srv, ServerThread(other) as srv2:
        urls = [f"{srv.url}?protocol=jbd", f"{srv2.url}?protocol=jbd"]
        proc = subprocess.Popen(
            [sys.executable, "-m", "app", *batch_args(job, out, urls)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        deadline = time.monotonic() + 30
        while not written_unsaved(sim) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)  # polling the board's state, not waiting for the code under test
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stdout + stderr
    assert "Traceback" not in stderr
    assert "packbench batch: interrupted by SIGTERM" in stderr
    (line,) = [s for s in stdout.splitlines() if s.startswith("pack ")]
    assert "FAILED: interrupted while writing the settings" in line and "JBD-SIG" in line
    assert not sim.factory and sim.saves == 0 and sim.settings["capacity_nominal_ah"] == pytest.approx(100)
    assert list(summary(out)) == ["JBD-SIG"]  # the next pack was not started
    assert other.texts.get(0xA1) != "PACK-002"


def test_scan_takes_the_bluetooth_boards_and_again_does_a_done_pack_once_more(
    registry_file: Path, run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--scan over the simulated Bluetooth stack (PACKBENCH_FAKE_BLE, README); a second run
    skips the pack, --again commissions it again under the same number and name."""
    monkeypatch.setenv("PACKBENCH_FAKE_BLE", "jbd?cells=16&capacity=40&current=0&seed=55")
    job, out = job_file(tmp_path, policy="keep"), tmp_path / "out"
    scan = ["batch", "--job", str(job), "--out", str(out), "--scan", "--scan-timeout", "0.3"]
    first = run_cli(*scan)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "pack 1 [ble://" in first.stdout and "PACK-001: PASSED" in first.stdout
    second = run_cli(*scan)
    assert second.returncode == 0 and "SKIPPED: already commissioned in job JOB-19" in second.stdout
    again = run_cli(*scan, "--again")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "pack 1 [ble://" in again.stdout and "PACK-001: PASSED" in again.stdout
    with Registry(registry_file) as reg:
        (pack,) = reg.packs()
        assert [e["kind"] for e in reg.timeline(pack["id"])].count("commissioning") == 2


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ((), "say which packs: --url URL"),
        (("--url", "sim://jbd?cells=16", "--scan"), "say which packs"),
        (
            ("--url", "sim://jbd?cells=16", "--url", "sim://jbd?cells=16", "--swap"),
            "--swap needs exactly one",
        ),
        (("--url", "sim://jbd?cells=abc"), "--url sim://jbd?cells=abc: "),
        (("--url", "sim://jbd?cells=16", "--password", " "), "--password must not be empty"),
        (("--scan", "--scan-timeout", "nan"), "--scan-timeout is how many seconds"),
    ],
)
def test_bad_arguments_are_one_line_before_anything_connects(
    registry_file: Path, run_cli, tmp_path: Path, args: tuple[str, ...], said: str
) -> None:
    ran = run_cli("batch", "--job", str(job_file(tmp_path)), "--out", str(tmp_path / "o"), *args)
    assert ran.returncode == 2
    (line,) = ran.stderr.splitlines()
    assert line.startswith("packbench batch: ") and said in line, line
    assert not registry_file.exists() and not (tmp_path / "o").exists()


def test_one_serial_port_means_the_operator_swaps_packs() -> None:
    from app.services.batch_sources import is_serial_port as _is_serial

    assert _is_serial("/dev/ttyUSB0") and _is_serial("/dev/ttyUSB0?baud=9600")
    assert not _is_serial("socket://127.0.0.1:8899") and not _is_serial("sim://jbd?cells=16")
    assert not _is_serial("ble://C8:47:8C:00:00:01")


class _Reads:
    """A session double that counts the settings reads it answers."""

    def __init__(self) -> None:
        self.settings: Any = None
        self.reads: list[Any] = []

    async def refresh_settings(self, keys: Any = None) -> Any:
        self.reads.append(keys)
        self.settings = {"n": len(self.reads)}
        return self.settings

    async def write_setting(self, key: str, value: Any) -> None:
        pass


def test_a_full_read_is_served_again_only_when_asked_and_nothing_was_sent_since() -> None:
    board = _Reads()
    last = batch.LastRead(board)

    async def steps() -> list[Any]:
        got = [await board.refresh_settings()]
        last.reuse_next()
        got.append(await board.refresh_settings())  # served: the read just made
        got.append(await board.refresh_settings())  # not asked: the board answers
        last.reuse_next()
        await board.write_setting("cell_ovp_v", 3.6)
        got.append(await board.refresh_settings())  # a write since: the board answers
        await board.refresh_settings(["cell_ovp_v"])
        last.reuse_next()
        got.append(await board.refresh_settings())  # the last read was one key only
        return got

    got = asyncio.run(steps())
    assert [g["n"] for g in got] == [1, 1, 2, 3, 5]
    assert board.reads == [None, None, None, ["cell_ovp_v"], None] and last.reused == 1


def test_the_rest_countdown_and_the_stages_are_told_as_they_go(registry_file: Path, tmp_path: Path) -> None:
    """What a window (or a terminal) shows while a pack is in hand: its stage, and how long
    the pack has rested of the job's rest_s (issue 19: "a visible countdown")."""
    job = jobs.load(job_file(tmp_path, policy="keep"))
    stages: list[str] = []
    rested: list[tuple[float, float]] = []
    opts = batch.Options(progress=stages.append, resting=lambda _r, done, total: rested.append((done, total)))
    with ServerThread(jbd("JBD-C", 56)) as srv:
        res = asyncio.run(batch.Run(job, opts).run_pack(f"{srv.url}?protocol=jbd"))
    assert res.result == batch.PASSED, res.why
    assert [s.rsplit(": ", 1)[1] for s in stages] == [
        "writing the settings",
        "setting the board password",
        "commissioning",
    ]
    assert rested and all(total == 0.2 for _done, total in rested)  # the job's rest_s
    assert rested[-1][0] >= 0.2  # rested long enough before the spread was judged


def test_a_settings_file_as_the_profile(registry_file: Path, run_cli, tmp_path: Path) -> None:
    """The job's target may be a settings file (issue 19): it is written to boards of its
    family; a board of another family is refused in words, nothing written."""
    source = jbd("JBD-SRC", 57)
    with ServerThread(source) as srv:
        ran = run_cli(
            "settings", "dump", "--url", f"{srv.url}?protocol=jbd", "--file", str(tmp_path / "shop.json")
        )
    assert ran.returncode == 0, ran.stderr
    doc = json.loads((tmp_path / "shop.json").read_text(encoding="utf-8"))
    doc["settings"].update(capacity_nominal_ah=45)  # under 50 Ah: a 10 mV trigger (presets.md)
    (tmp_path / "shop.json").write_text(json.dumps(doc), encoding="utf-8")
    job = tmp_path / "job.toml"
    job.write_text(
        'job = "JOB-F"\noperator = "Bo"\n[profile]\nfile = "shop.json"\n[sealing]\nrest_s = 0.2\n', "utf-8"
    )
    target, other = jbd("JBD-F", 58), jk(59)
    before = dict(other.settings)
    with ServerThread(target) as a, ServerThread(other) as b:
        ran = run_cli(
            *batch_args(job, tmp_path / "out", [f"{a.url}?protocol=jbd", f"{b.url}?protocol=jk02_32s"])
        )
    assert ran.returncode == 1, ran.stdout + ran.stderr
    rows = summary(tmp_path / "out")
    assert rows["JBD-F"]["result"] == "passed", rows["JBD-F"]["why"]
    assert target.settings["capacity_nominal_ah"] == pytest.approx(45)
    # the file's barcode (its board's serial number) and name are not carried to this pack
    assert target._stored()["jbd_barcode"] == "JBD-F" and rows["JBD-F"]["keys_written"] == "1"
    bad = rows[other.info.serial_number]
    assert bad["result"] == "failed" and "the job's profile does not fit this board" in bad["why"]
    assert "Settings are not carried across families" in bad["why"] and dict(other.settings) == before


def test_the_pack_loop_waits_while_paused_asks_before_a_swapped_pack_and_ends_after_an_interruption(
    tmp_path: Path,
) -> None:
    """services/batch_sources.each_pack, shared by the CLI and the Jobs panel (no board: the
    loop alone)."""
    from app.services.batch_sources import each_pack

    runner = batch.Run(jobs.Job(ref="J", operator="A", path=tmp_path / "j.toml"), batch.Options())
    asked: list[str] = []

    async def answer() -> bool:
        asked.append("next?")
        return len(asked) < 3

    async def steps() -> list[Any]:
        got: list[Any] = []
        packs = each_pack(runner, ["a", "b"])
        got.append(await anext(packs))
        runner.pause()
        waiting = asyncio.ensure_future(anext(packs))
        await asyncio.sleep(0)  # one turn of the loop: the next pack is held
        got.append(waiting.done())
        runner.pause(False)
        got.append(await waiting)
        got.append([u async for u in each_pack(runner, ["port"], swap=True, next_pack=answer)])
        runner.interrupted = True
        got.append([u async for u in each_pack(runner, ["a", "b"])])
        return got

    assert asyncio.run(steps()) == ["a", False, "b", ["port", "port", "port"], ["a"]]
    assert asked == ["next?"] * 3
