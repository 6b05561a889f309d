"""Logs under faults and bad input (issue 12): a full disk, damaged or hostile files.

A full disk is not available without mounts, so the recorder runs in a
subprocess whose file size is limited (RLIMIT_FSIZE, SIGXFSZ ignored): every
write past the limit fails with EFBIG exactly as one fails with ENOSPC on a
full disk.  Bad input to ``log record``/``log replay``/``log info`` is one plain
line on stderr and a non-zero exit, never a traceback, and writes nothing (those
run in-process, ``app.cli.main``).
"""

from __future__ import annotations

import asyncio
import errno
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main
from app.model import Snapshot
from app.services.logfile import (
    CACHE_SUFFIX,
    FRAMES_SUFFIX,
    META_SUFFIX,
    LogFormatError,
    LogLayout,
    load_log,
    make_meta,
    read_csv_rows,
    sidecar,
    write_cache,
)
from app.services.recorder import LogWriter, Recorder, read_frames
from app.session import DeviceSession

try:
    import resource  # POSIX: a file-size limit stands in for a full disk
except ImportError:  # pragma: no cover - Windows
    resource = None
needs_file_limit = pytest.mark.skipif(resource is None, reason="RLIMIT_FSIZE is POSIX only")

ROOT = Path(__file__).resolve().parent.parent
# not measured by coverage (`make test`): under the file-size limit it could not save its data
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("COVERAGE_PROCESS")} | {
    "PYTHONDONTWRITEBYTECODE": "1"
}
SIM = "sim://jk02_32s?cells=8&interval=0.02"  # rows come quickly: the full disk is reached soon


def packbench(*args: str, file_limit: int | None = None, timeout: float = 30) -> subprocess.CompletedProcess:
    def limit_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=ENV,
        text=True,
        capture_output=True,
        timeout=timeout,
        preexec_fn=limit_files if file_limit is not None else None,
    )


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("packbench")]


def assert_one_plain_error(stderr: str, *words: str) -> None:
    assert "Traceback" not in stderr, stderr
    errors = error_lines(stderr)
    assert len(errors) == 1, stderr
    for w in words:
        assert w in errors[0], stderr


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- a full disk while recording ----------------------------------------------------------------------
@needs_file_limit
def test_raw_recording_to_a_full_disk_stops_with_one_line_and_readable_files(tmp_path):
    out = tmp_path / "ride.csv"
    res = packbench(
        "log", "record", "--url", SIM, "-o", str(out), "--duration", "8", "--raw", file_limit=8000
    )  # the frames file (hex) fills first
    assert res.returncode == 1, res.stderr
    assert_one_plain_error(res.stderr, "recording stopped", "raw capture", "too large")
    assert "recorded" not in res.stderr  # no report of success
    assert leftovers(tmp_path) == []
    # the CSV up to the failure: whole rows only, and the sidecar says how many
    header, rows = read_csv_rows(out)
    assert rows and all(len(r) == len(header) for r in rows)
    data = load_log(out)
    assert data.rows == len(rows) and data.warnings == []
    meta = json.loads(sidecar(out, META_SUFFIX).read_text())
    assert meta["rows"] == len(rows) and meta["stopped_utc"]
    # the capture ends with a whole line, within the limit
    frames_path = sidecar(out, FRAMES_SUFFIX)
    assert frames_path.stat().st_size <= 8000 and frames_path.read_bytes().endswith(b"\n")
    fheader, frames, warnings = read_frames(frames_path)
    assert fheader["format"] == "packbench-frames" and frames and warnings == []


@needs_file_limit
def test_csv_recording_to_a_full_disk_ends_with_a_whole_row(tmp_path):
    out = tmp_path / "ride.csv"
    res = packbench(
        "log", "record", "--url", SIM, "-o", str(out), "--duration", "8", file_limit=6000
    )  # the meta sidecar (about 3.5 kB) fits, the CSV fills
    assert res.returncode == 1, res.stderr
    assert_one_plain_error(res.stderr, "recording stopped", "too large")
    assert leftovers(tmp_path) == []
    raw = out.read_bytes()
    assert len(raw) <= 6000 and raw.endswith(b"\n")  # cut back to the last whole row
    header, rows = read_csv_rows(out)
    assert len(rows) >= 5 and all(len(r) == len(header) for r in rows)
    data = load_log(out)
    assert data.rows == len(rows) and data.warnings == []
    assert json.loads(sidecar(out, META_SUFFIX).read_text())["rows"] == len(rows)


@needs_file_limit
def test_no_room_for_the_meta_sidecar_leaves_no_tmp_and_no_empty_log(tmp_path):
    out = tmp_path / "ride.csv"
    res = packbench(
        "log", "record", "--url", SIM, "-o", str(out), "--duration", "8", file_limit=1500
    )  # the header row fits, the meta sidecar does not
    assert res.returncode == 1, res.stderr
    assert_one_plain_error(res.stderr, "recording stopped")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


class FullDisk:
    """A file that takes ``room`` more bytes, then fails as a full disk does (a short write first)."""

    def __init__(self, f: Any, room: int) -> None:
        self.f, self.room = f, room

    def write(self, data: Any) -> int:
        if self.room <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        n = self.f.write(bytes(data[: self.room]))
        self.room -= n
        return n

    def __getattr__(self, name: str) -> Any:
        return getattr(self.f, name)


def test_a_disk_that_fills_mid_row_in_process(tmp_path):
    """The Recorder API (the GUI's path): on_error once, the CSV cut back to whole rows."""
    out = tmp_path / "ride.csv"
    errors: list[str] = []

    async def record() -> Recorder:
        session = DeviceSession(SIM)
        recorder = Recorder(session, out, on_error=errors.append)
        recorder.start()
        await session.connect()
        while recorder.rows < 3:
            await asyncio.sleep(0.02)
        appender = recorder.writer._f
        appender._f = FullDisk(appender._f, room=300)  # a row and a half more
        while recorder.active:
            await asyncio.sleep(0.02)
        await session.close()
        return recorder

    recorder = asyncio.run(asyncio.wait_for(record(), 20))
    assert errors == [f"recording stopped: {os.strerror(errno.ENOSPC)}"]
    assert recorder.error == errors[0]
    raw = out.read_bytes()
    assert raw.endswith(b"\n")
    header, rows = read_csv_rows(out)
    assert len(rows) == recorder.rows >= 4 and all(len(r) == len(header) for r in rows)
    assert json.loads(sidecar(out, META_SUFFIX).read_text())["rows"] == recorder.rows
    assert load_log(out).warnings == []
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("duration", ["nan", "-1", "inf"])
def test_record_refuses_a_duration_that_never_ends(tmp_path, duration, run_cli):
    out = tmp_path / "x.csv"
    res = run_cli("log", "record", "--url", SIM, "-o", str(out), "--duration", duration, timeout=15)
    assert res.returncode == 2
    assert_one_plain_error(res.stderr, "--duration")
    assert list(tmp_path.iterdir()) == []  # nothing written


# --- log replay on files that are not captures ---------------------------------------------------------
@pytest.fixture(scope="module")
def capture(tmp_path_factory) -> Path:
    """A real raw capture of the simulator (20 frames, as many as a second at 0.05 s gave)."""
    path = tmp_path_factory.mktemp("cap") / "ride.csv"

    async def record() -> None:
        session = DeviceSession(SIM)
        recorder = Recorder(session, path, raw=True)
        recorder.start()
        await session.connect()
        await asyncio.sleep(0.4)
        recorder.stop()
        await session.close()

    asyncio.run(asyncio.wait_for(record(), 20))
    return sidecar(path, FRAMES_SUFFIX)


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_replay_of_a_good_capture_still_works(capture, capsys):
    code, out, err = cli(capsys, "log", "replay", str(capture))
    assert code == 0 and err == ""
    assert any(json.loads(line).get("kind") == "live" for line in out.splitlines())


def bad_captures(capture: Path) -> dict[str, bytes]:
    text = capture.read_text(encoding="utf-8")
    head, *frames = text.splitlines()
    wrong_types = [
        {"t": 5, "dir": "rx", "protocol": "jk02_32s", "hex": "55aa"},
        {"t": "x", "dir": "rx", "protocol": ["jk02_32s"], "hex": "55aa"},
        {"t": "x", "dir": {"a": 1}, "protocol": "jk02_32s", "hex": "55aa"},
        {"t": "x", "dir": "rx", "protocol": "jk02_32s", "hex": 21930},
        {"t": "x", "dir": "rx", "protocol": None, "hex": None},
    ]
    return {
        "binary": bytes(range(256)) * 64,
        "utf16": text.encode("utf-16"),
        "wrong types": (head + "\n" + "\n".join(json.dumps(r) for r in wrong_types) + "\n").encode(),
        "nested list": (head + "\n" + "[" * 50_000 + "]" * 50_000 + "\n").encode(),
        "nested object": (head + "\n" + '{"hex": ' * 20_000 + "1" + "}" * 20_000 + "\n").encode(),
        "a CSV log": b"timestamp_utc,elapsed_s,alarms\n2026-05-01T00:00:00.000Z,0.000,\n",
        "empty": b"",
    }


@pytest.mark.parametrize(
    "kind", ["binary", "utf16", "wrong types", "nested list", "nested object", "a CSV log", "empty"]
)
def test_replay_of_what_is_not_a_capture_is_one_line(capture, capsys, tmp_path, kind):
    bad = tmp_path / "bad.frames.jsonl"
    bad.write_bytes(bad_captures(capture)[kind])
    out_csv = tmp_path / "out.csv"
    for args in ((), ("-o", str(out_csv))):
        code, out, err = cli(capsys, "log", "replay", str(bad), *args)
        assert code == 2 and out == ""
        assert_one_plain_error(err, "bad.frames.jsonl")
        assert not out_csv.exists()  # nothing written
    if kind == "utf16":
        assert "UTF-16" in err


def test_replay_skips_bad_lines_among_good_ones_with_one_warning(capture, capsys, tmp_path):
    lines = capture.read_bytes().split(b"\n")
    lines[2:2] = [
        json.dumps({"t": "x", "dir": "rx", "protocol": [1], "hex": "00"}).encode(),
        b"[" * 50_000,  # nested beyond what the JSON reader takes
        b'{"t": "\xff\xfe", "hex": "00"}',
    ]  # not UTF-8
    mixed = tmp_path / "mixed.frames.jsonl"
    mixed.write_bytes(b"\n".join(lines))
    code, out, err = cli(capsys, "log", "replay", str(mixed))
    assert code == 0
    assert_one_plain_error(err, "3 line(s) are not frame records", "first: line 3")
    assert out == cli(capsys, "log", "replay", str(capture))[1]  # the same frames as the clean one


def test_replay_to_an_unwritable_output_is_one_line(capture, capsys, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("a file, not a folder")
    for target, words in (
        (blocker / "out.csv", ("cannot write", "Not a directory")),
        (tmp_path, ("is a folder",)),
    ):
        code, out, err = cli(capsys, "log", "replay", str(capture), "-o", str(target), "--force")
        assert code == 2
        assert_one_plain_error(err, *words)
    assert leftovers(tmp_path) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


@needs_file_limit
def test_replay_to_a_full_disk_is_one_line_and_keeps_whole_rows(capture, tmp_path):
    out_csv = tmp_path / "out.csv"
    res = packbench("log", "replay", str(capture), "-o", str(out_csv), file_limit=1500)
    assert res.returncode == 1
    assert_one_plain_error(res.stderr, "cannot write", "too large")
    header, rows = read_csv_rows(out_csv)
    assert rows and all(len(r) == len(header) for r in rows)
    assert f"the first {len(rows)} rows are in it" in res.stderr
    assert json.loads(sidecar(out_csv, META_SUFFIX).read_text())["rows"] == len(rows)
    assert leftovers(tmp_path) == []


def test_replay_with_an_unknown_protocol_is_one_line(capture, capsys):
    code, out, err = cli(capsys, "log", "replay", str(capture), "--protocol", "nope")
    assert code == 2 and out == ""
    assert_one_plain_error(err, "unknown protocol")


# --- log info on damaged logs -------------------------------------------------------------------------
def small_log(path: Path, rows: int = 601, alarms_at: int | None = None) -> Path:
    """A CSV log written as the recorder writes it (with its cache): 4 cells at 1 Hz."""
    start = 1_777_600_000.0
    first = Snapshot(current_a=1.0, cell_voltages_v=[3.3] * 4, temperatures_c=[25.0]).derive()
    w = LogWriter(
        path,
        LogLayout.for_snapshot(first),
        make_meta(
            url="sim://jk02_32s?password=x",
            device=None,
            settings=None,
            protocol="jk02_32s",
            started=start,
            app_version="test",
        ),
        started=start,
    )
    for i in range(rows):
        s = Snapshot(
            current_a=1.0,
            cell_voltages_v=[3.3, 3.31, 3.32, 3.33],
            temperatures_c=[25.0],
            alarms=["cell_overvoltage"] if i == alarms_at else [],
        ).derive()
        w.write(s, start + i)
    w.close()
    return path


def test_info_on_a_deeply_nested_meta_is_one_line(tmp_path, capsys):
    log = small_log(tmp_path / "ride.csv", rows=5)
    sidecar(log, META_SUFFIX).write_text("[" * 100_000 + "]" * 100_000)
    code, out, err = cli(capsys, "log", "info", str(log))
    assert code == 1
    assert_one_plain_error(err, "ride.meta.json is damaged")
    assert json.loads(out)["rows"] == 5  # the CSV itself is still summarised


def test_meta_fields_of_the_wrong_type_are_ignored_and_named(tmp_path, capsys):
    log = small_log(tmp_path / "ride.csv", rows=5)
    meta = json.loads(sidecar(log, META_SUFFIX).read_text())
    meta.update(device=[1], settings={"cell_ovp_v": 3.65, "nested": {"a": 1}}, rows="many")
    sidecar(log, META_SUFFIX).write_text(json.dumps(meta))
    data = load_log(log)
    assert data.meta["device"] == {} and data.meta["settings"] == {"cell_ovp_v": 3.65}
    assert data.meta["rows"] is None
    code, out, err = cli(capsys, "log", "info", str(log))
    assert code == 1 and json.loads(out)["device"] == {}
    assert_one_plain_error(err, "wrong type", "device", "settings.nested", "rows")


def write_wide(path: Path, columns: int) -> None:
    names = ["elapsed_s", *(f"c{i}" for i in range(columns - 1))]
    path.write_text(",".join(names) + "\n" + ",".join(["1"] + ["3.3"] * (columns - 1)) + "\n")


@pytest.mark.parametrize("case", ["20,000 columns", "a 10 MB field", "a 60 kB alarms field", "a 2 MB header"])
def test_info_refuses_a_log_out_of_bounds(tmp_path, capsys, case):
    path = tmp_path / "big.csv"
    head = "timestamp_utc,elapsed_s,pack_voltage_v,alarms\n"
    row = "2026-05-01T00:00:00.000Z,{t}.000,52.1,{a}\n"
    if case == "20,000 columns":
        write_wide(path, 20_000)
    elif case == "a 10 MB field":
        path.write_text(head + row.format(t=0, a="") + row.format(t=1, a="x" * 10_000_000))
    elif case == "a 60 kB alarms field":
        path.write_text(head + row.format(t=0, a="cell_overvoltage;" * 3500))
    else:
        path.write_text("elapsed_s," + "x" * 2_000_000 + "\n1,2\n")
    code, out, err = cli(capsys, "log", "info", str(path))
    assert code == 2 and out == ""
    assert_one_plain_error(err, "big.csv")


def test_the_largest_log_in_bounds_still_opens(tmp_path):
    write_wide(tmp_path / "wide.csv", 1024)
    data = load_log(tmp_path / "wide.csv")
    assert data.rows == 1 and len(data.columns) == 1023


# --- the cache belongs to one CSV ---------------------------------------------------------------------
def test_a_csv_edited_in_place_is_not_read_from_its_cache(tmp_path):
    log = small_log(tmp_path / "ride.csv")
    cache = sidecar(log, CACHE_SUFFIX)
    assert load_log(log).source == "cache"
    before = os.stat(log)
    # row 7 (line 9): cell 2 from 3.31 to 3.91, same length; the spot checks look at rows 0, 75, 150 …
    lines = log.read_bytes().split(b"\n")
    assert lines[8].count(b",3.31,") == 1
    lines[8] = lines[8].replace(b",3.31,", b",3.91,")
    with open(log, "r+b") as f:  # in place, as an editor that keeps the file might
        f.write(b"\n".join(lines))
    assert os.stat(log).st_size == before.st_size
    later = before.st_mtime_ns + 60 * 10**9
    os.utime(cache, ns=(later, later))  # a cache newer than the edit
    data = load_log(log)
    assert data.source == "csv" and data.series("cell_02_v")[7] == np.float32(3.91)
    # even with the CSV's old time put back, its first block is not the one the cache was made for
    os.utime(log, ns=(before.st_atime_ns, before.st_mtime_ns))
    data = load_log(log)
    assert data.source == "csv" and data.series("cell_02_v")[7] == np.float32(3.91)


def test_a_cache_from_an_older_version_or_without_a_key_is_rebuilt(tmp_path):
    log = small_log(tmp_path / "ride.csv")
    cache = sidecar(log, CACHE_SUFFIX)
    raw = bytearray(cache.read_bytes())
    raw[8:72] = bytes(64)  # no key: a recording that never finished
    cache.write_bytes(bytes(raw))
    data = load_log(log)
    assert data.source == "csv" and data.rows == 601
    assert write_cache(data) and load_log(log).source == "cache"  # rebuilt with the key


# --- random bytes never escape as anything but a format error -------------------------------------------
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.binary(max_size=3000),
    head=st.sampled_from(
        [
            b"",
            b"timestamp_utc,elapsed_s,cell_01_v,alarms\n",
            b"elapsed_s\n",
            b'{"format":"packbench-frames","version":1}\n',
        ]
    ),
)
def test_random_files_give_a_log_or_a_format_error(tmp_path, body, head):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(head + body)
    sidecar(path, META_SUFFIX).write_bytes(body[:200])
    try:
        data = load_log(path)
        assert data.rows == len(data.t)
    except LogFormatError:
        pass
    try:
        read_frames(path)
    except LogFormatError:
        pass
