"""Recording and reading logs, without Qt: plain ``asyncio.run`` (stack.md P9).

A recording from the simulator must read back with Python's csv module with
the same numbers the session delivered, load into the viewer's arrays with
the same numbers again, survive being cut off mid-row, and its raw capture
must decode to the same snapshots.  Statistics and the min/max pyramid are
checked on data with known answers.
"""

from __future__ import annotations

import asyncio
import csv
import json
import math
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.model import Snapshot
from app.protocols import get_protocol
from app.protocols.jk.framing import JkFrameReader
from app.replay import replay_frames
from app.services.logfile import (
    CACHE_SUFFIX,
    FRAMES_SUFFIX,
    META_SUFFIX,
    LogLayout,
    export_rows,
    load_log,
    make_meta,
    parse_iso,
    sidecar,
    write_cache,
)
from app.services.logstats import integrate_split, range_stats
from app.services.pyramid import Pyramid
from app.services.recorder import LogWriter, Recorder, read_frames
from app.session import DeviceSession

PASSWORD = "S3cretPw9"
SIM = f"sim://jk02_32s?cells=8&interval=0.2&password={PASSWORD}"
#: the recording the file's tests share: a dozen rows, like 2.5 s of SIM, a quarter as long
RECORDING_SIM = SIM.replace("interval=0.2", "interval=0.05")


def run(coro: Any, timeout: float = 20.0) -> Any:
    async def main() -> Any:
        return await asyncio.wait_for(coro, timeout)

    return asyncio.run(main())


def csv_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, newline="", encoding="ascii") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def expected_fields(s: Snapshot, layout: LogLayout) -> dict[str, str]:
    """What a row must hold for a snapshot, as text-free numbers (None = empty)."""
    out: dict[str, Any] = {}
    for name, value in zip(layout.numeric[1:], layout.values(s), strict=True):
        out[name] = value
    return out


async def _record(path: Path, seconds: float, raw: bool) -> tuple[list[Snapshot], list[float], Recorder]:
    session = DeviceSession(RECORDING_SIM)
    snaps: list[Snapshot] = []
    times: list[float] = []
    recorder = Recorder(session, path, raw=raw)
    recorder.start()  # before connect: the capture has the identification too
    unsubscribe = session.subscribe(
        lambda e: (snaps.append(e.data), times.append(e.timestamp)) if e.kind == "snapshot" else None
    )
    await session.connect()
    await asyncio.sleep(seconds)
    unsubscribe()  # with the recorder's stop, nothing awaited between: both end on the same frame
    recorder.stop()
    await session.close()
    return snaps, times, recorder


@pytest.fixture(scope="module")
def recording(tmp_path_factory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("rec") / "ride.csv"
    snaps, times, recorder = run(_record(path, 0.6, raw=True))
    return {"path": path, "snaps": snaps, "times": times, "recorder": recorder}


# --- the CSV and its sidecars ------------------------------------------------------------------
def test_recording_reads_back_with_the_csv_module(recording):
    path: Path = recording["path"]
    snaps: list[Snapshot] = recording["snaps"]
    assert len(snaps) >= 5
    header, rows = csv_rows(path)
    layout = LogLayout.for_snapshot(snaps[0])
    assert header == layout.header
    assert header[:2] == ["timestamp_utc", "elapsed_s"] and header[-1] == "alarms"
    assert [h for h in header if h.startswith("cell_") and h[5:7].isdigit()] == [
        f"cell_{i:02d}_v" for i in range(1, 9)
    ]
    assert len(rows) == len(snaps) == recording["recorder"].rows
    start = parse_iso(rows[0]["timestamp_utc"]) - float(rows[0]["elapsed_s"])
    for row, snap, t in zip(rows, snaps, recording["times"], strict=True):
        assert row["timestamp_utc"].endswith("Z") and "T" in row["timestamp_utc"]
        assert parse_iso(row["timestamp_utc"]) == pytest.approx(t, abs=0.002)
        assert float(row["elapsed_s"]) == pytest.approx(t - start, abs=0.002)
        for name, value in expected_fields(snap, layout).items():
            if value is None:
                assert row[name] == ""
            elif isinstance(value, bool):
                assert row[name] == ("1" if value else "0")
            else:
                assert float(row[name]) == pytest.approx(value, abs=1e-6), name
        assert row["alarms"] == ";".join(snap.alarms)
    # every field is a plain number a spreadsheet reads (no quotes, no units)
    text = path.read_text(encoding="ascii")
    assert '"' not in text and "\r" not in text


def test_meta_sidecar_has_device_protocol_version_settings_and_no_secrets(recording):
    path: Path = recording["path"]
    meta = json.loads(sidecar(path, META_SUFFIX).read_text())
    assert meta["format"] == "packbench-log" and meta["format_version"] == 1
    assert meta["app_version"]
    assert meta["device"]["protocol"] == "jk02_32s" and meta["device"]["model"].startswith("JK-")
    assert meta["settings"]["cell_ovp_v"] > 0
    assert meta["columns"] == csv_rows(path)[0]
    assert meta["rows"] == recording["recorder"].rows and meta["stopped_utc"]
    assert meta["raw_capture"] == path.stem + FRAMES_SUFFIX
    for f in (path, sidecar(path, META_SUFFIX), sidecar(path, FRAMES_SUFFIX)):
        data = f.read_bytes()
        assert PASSWORD.encode() not in data and PASSWORD.encode().hex().encode() not in data


def test_viewer_arrays_equal_the_csv(recording):
    path: Path = recording["path"]
    header, rows = csv_rows(path)
    for use_cache in (True, False):
        data = load_log(path, use_cache=use_cache)
        assert data.source == ("cache" if use_cache else "csv")
        assert data.rows == len(rows) and not data.warnings
        for j, row in enumerate(rows):
            assert data.t[j] == float(row["elapsed_s"])
            for name in data.columns:
                want = np.float32(float(row[name])) if row[name] else np.float32("nan")
                got = data.series(name)[j]
                assert got == want or (math.isnan(want) and math.isnan(got)), (name, j)
            assert ";".join(data.alarms_at(j)) == row["alarms"]
        # and a snapshot rebuilt from the arrays has the CSV's numbers
        snap = data.snapshot_at(len(rows) - 1)
        last = rows[-1]
        assert snap.pack_voltage_v == float(last["pack_voltage_v"])
        assert snap.cell_voltages_v == [float(last[f"cell_{i:02d}_v"]) for i in range(1, 9)]
        assert snap.charge_mos_on == (last["charge_mos_on"] == "1")


def test_cli_record_for_three_seconds(tmp_path, run_cli):
    out = tmp_path / "new folder" / "cli.csv"  # the folder is created, as a person expects
    res = run_cli("log", "record", "--url", SIM, "-o", str(out), "--duration", "3")
    assert res.returncode == 0, res.stderr
    assert "recorded" in res.stderr
    header, rows = csv_rows(out)
    assert len(rows) >= 8  # 5 frames/s for about 3 s
    assert all(len(r) == len(header) for r in rows)
    assert sidecar(out, META_SUFFIX).exists() and sidecar(out, CACHE_SUFFIX).exists()
    assert not sidecar(out, FRAMES_SUFFIX).exists()  # only with --raw
    again = run_cli("log", "record", "--url", SIM, "-o", str(out), "--duration", "1")
    assert again.returncode == 2 and "exists" in again.stderr  # never overwrites silently
    info = run_cli("log", "info", str(out))
    assert info.returncode == 0 and info.stderr == ""
    summary = json.loads(info.stdout)
    assert summary["rows"] == len(rows) and summary["cells"] == 8 and summary["read_from"] == "cache"


# --- cut-off and stale files ------------------------------------------------------------------
def test_truncated_file_opens_with_a_warning(recording, tmp_path, run_cli):
    src: Path = recording["path"]
    cut = tmp_path / "cut.csv"
    shutil.copy(src, cut)
    shutil.copy(sidecar(src, CACHE_SUFFIX), sidecar(cut, CACHE_SUFFIX))
    raw = cut.read_bytes()
    cut.write_bytes(raw[: raw.rindex(b"\n", 0, len(raw) - 1) + 25])  # half of the last row
    n = len(csv_rows(src)[1])
    for use_cache in (True, False):
        data = load_log(cut, use_cache=use_cache)
        assert data.rows == n - 1
        assert any("incomplete" in w for w in data.warnings), data.warnings
    res = run_cli("log", "info", str(cut))
    assert res.returncode == 0
    assert "incomplete" in res.stderr and json.loads(res.stdout)["rows"] == n - 1


def test_rows_after_the_cache_and_an_edited_csv(recording, tmp_path):
    src: Path = recording["path"]
    n = len(csv_rows(src)[1])
    # copied with its cache and the files' times: still the CSV the cache was made for
    kept = tmp_path / "kept.csv"
    shutil.copy2(src, kept)
    shutil.copy2(sidecar(src, CACHE_SUFFIX), sidecar(kept, CACHE_SUFFIX))
    assert load_log(kept).source == "cache"
    # a row after the cache's last (a crash between the two writes, or rows appended later):
    # not the CSV the cache was made for any more, so every row comes from the CSV (issue 12)
    grown = tmp_path / "grown.csv"
    shutil.copy2(src, grown)
    shutil.copy2(sidecar(src, CACHE_SUFFIX), sidecar(grown, CACHE_SUFFIX))
    last = src.read_text().splitlines()[-1].split(",")
    last[1] = f"{float(last[1]) + 0.5:.3f}"
    with open(grown, "a", encoding="ascii") as f:
        f.write(",".join(last) + "\n")
    data = load_log(grown)
    assert data.rows == n + 1 and data.source == "csv" and not data.warnings
    # a CSV changed in a spreadsheet after the recording: the stale cache is not believed
    edited = tmp_path / "edited.csv"
    shutil.copy(sidecar(src, CACHE_SUFFIX), sidecar(edited, CACHE_SUFFIX))
    lines = src.read_text().splitlines()
    fields = lines[2].split(",")
    fields[2] = f"{float(fields[2]) + 0.5:.3f}"[: len(fields[2])].ljust(len(fields[2]), "1")
    lines[2] = ",".join(fields)  # the same length: only the date tells
    edited.write_text("\n".join(lines) + "\n")
    cache_time = os.path.getmtime(sidecar(edited, CACHE_SUFFIX))
    os.utime(edited, (cache_time + 60, cache_time + 60))
    data = load_log(edited)
    assert data.source == "csv"
    assert data.series("pack_voltage_v")[1] == np.float32(float(fields[2]))
    assert write_cache(data) and load_log(edited).source == "cache"


def test_not_a_log(tmp_path, run_cli):
    bad = tmp_path / "x.csv"
    bad.write_text("a,b,c\n1,2,3\n")
    res = run_cli("log", "info", str(bad))
    assert res.returncode == 2 and "not a Packbench log" in res.stderr


# --- raw capture --------------------------------------------------------------------------------
def test_raw_capture_replays_to_the_same_snapshots(recording, tmp_path, run_cli):
    path: Path = recording["path"]
    header, frames, warnings = read_frames(sidecar(path, FRAMES_SUFFIX))
    assert header["format"] == "packbench-frames" and not warnings
    assert {f["dir"] for f in frames} == {"rx", "tx"}
    replayed = [m for rec, m, err in replay_frames(frames) if isinstance(m, Snapshot) and rec["dir"] == "rx"]
    assert [s.to_fields() for s in replayed] == [s.to_fields() for s in recording["snaps"]]
    # the device-info frame is there, PINs blanked, checksum still right
    info = next(
        bytes.fromhex(f["hex"]) for f in frames if f["dir"] == "rx" and bytes.fromhex(f["hex"])[4] == 0x03
    )
    assert info[62:78] == bytes(16) and info[118:134] == bytes(16)
    assert len(JkFrameReader().feed(info)) == 1
    secrets = get_protocol("jk02_32s").extract_secrets(info)
    assert secrets.setup_password is None and secrets.connect_pin is None
    # the CLI: JSON lines through the decoders, or a CSV log with the same rows
    res = run_cli("log", "replay", str(sidecar(path, FRAMES_SUFFIX)))
    assert res.returncode == 0, res.stderr
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    live = [x["fields"] for x in lines if x.get("kind") == "live"]
    assert live == [s.to_fields() for s in recording["snaps"]]
    out = tmp_path / "replayed.csv"
    res = run_cli("log", "replay", str(sidecar(path, FRAMES_SUFFIX)), "-o", str(out))
    assert res.returncode == 0, res.stderr
    a, b = csv_rows(path)[1], csv_rows(out)[1]
    assert [{k: v for k, v in r.items() if k not in ("timestamp_utc", "elapsed_s")} for r in a] == [
        {k: v for k, v in r.items() if k not in ("timestamp_utc", "elapsed_s")} for r in b
    ]


def test_cut_off_capture_is_reported(recording, tmp_path, run_cli):
    src = sidecar(recording["path"], FRAMES_SUFFIX)
    cut = tmp_path / "c.frames.jsonl"
    cut.write_bytes(src.read_bytes()[:-40])
    _header, frames, warnings = read_frames(cut)
    assert warnings and "incomplete" in warnings[0]
    res = run_cli("log", "replay", str(cut))
    assert res.returncode == 0 and "incomplete" in res.stderr


# --- statistics on a log with known answers ---------------------------------------------------------
def synthetic_log(path: Path) -> Path:
    """601 rows at 1 Hz, 4 cells: +10 A at 3.300 V per cell for 300 s, then -20 A at 3.200 V;
    cell 2 peaks at 3.350 V at t=100, cell 3 dips to 3.000 V at t=450."""
    start = 1_777_600_000.0
    first = Snapshot(current_a=10.0, cell_voltages_v=[3.3] * 4, temperatures_c=[25.0]).derive()
    layout = LogLayout.for_snapshot(first)
    w = LogWriter(
        path,
        layout,
        make_meta(url="test", device=None, settings=None, protocol=None, started=start, app_version="test"),
        started=start,
    )
    for i in range(601):
        if i <= 300:
            cells, amps = [3.3] * 4, 10.0
        else:
            cells, amps = [3.2] * 4, -20.0
        if i == 100:
            cells = [3.3, 3.35, 3.3, 3.3]
        if i == 450:
            cells = [3.2, 3.2, 3.0, 3.2]
        s = Snapshot(
            current_a=amps,
            cell_voltages_v=cells,
            temperatures_c=[25.0 + i / 100],
            alarms=["cell_undervoltage"] if i == 450 else [],
        ).derive()
        w.write(s, start + i)
    w.close()
    return path


def test_stats_for_a_selected_range(tmp_path):
    data = load_log(synthetic_log(tmp_path / "known.csv"))
    st = range_stats(data, 0, 600)
    assert st.rows == 601
    assert list(st.cell_min_v) == pytest.approx([3.2, 3.2, 3.0, 3.2], abs=1e-6)
    assert list(st.cell_max_v) == pytest.approx([3.3, 3.35, 3.3, 3.3], abs=1e-6)
    assert st.cell_min_t[2] == 450 and st.cell_max_t[1] == 100 and st.cell_max_t[0] == 0
    assert st.lowest_cell == 3 and st.highest_cell == 2
    assert st.delta_max_v == pytest.approx(0.2, abs=1e-6) and st.delta_max_t == 450
    assert (st.delta_low_cell, st.delta_high_cell) == (3, 1)
    # energy: V×I by trapezoids, charging and discharging apart
    # 300 full seconds, half of the crossing, and cell 2 at 3.35 V for t=100 (0.5 W for 2 halves)
    e_in = (13.2 * 10 * 300 + 132 / 2 + 0.5) / 3600
    e_out = (256 / 2 + 256 * 299 - 2 * (256 - 252) / 2) / 3600  # the dip at t=450 lowers two
    assert st.energy_in_wh == pytest.approx(e_in, rel=1e-5)
    assert st.energy_out_wh == pytest.approx(e_out, rel=1e-5)
    assert st.charge_in_ah == pytest.approx((10 * 300 + 5) / 3600, rel=1e-5)
    assert st.charge_out_ah == pytest.approx((10 + 20 * 299) / 3600, rel=1e-5)
    assert st.current_min_a == -20 and st.current_max_a == 10
    assert st.alarms == [("cell_undervoltage", 450.0)]
    # a selection inside the charge only
    part = range_stats(data, 10.0, 20.0)
    assert part.rows == 11 and part.energy_out_wh == 0
    assert part.energy_in_wh == pytest.approx(132 * 10 / 3600, rel=1e-5)
    assert part.delta_max_v == 0 and not part.alarms


def test_integration_skips_gaps():
    t = np.array([0.0, 1.0, 2.0, 100.0, 101.0])
    assert integrate_split(t, np.ones(5), gap_s=10.0) == (3.0, 0.0)


def test_export_rows_copies_the_csv_text(tmp_path):
    data = load_log(synthetic_log(tmp_path / "known.csv"))
    st = range_stats(data, 100, 199)
    out = tmp_path / "part.csv"
    assert export_rows(data, st.i0, st.i1, out) == 100
    src = (tmp_path / "known.csv").read_text().splitlines()
    assert out.read_text().splitlines() == [src[0], *src[101:201]]
    meta = json.loads(sidecar(out, META_SUFFIX).read_text())
    assert meta["excerpt_of"]["file"] == "known.csv" and meta["rows"] == 100
    assert load_log(out).rows == 100


# --- the pyramid ------------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 20_000),
    spike_at=st.floats(0, 1),
    lo=st.floats(0, 1),
    width=st.floats(0.001, 1),
    max_points=st.integers(1100, 5000),
    up=st.booleans(),
)
def test_pyramid_bounds_points_and_keeps_spikes(n, spike_at, lo, width, max_points, up):
    rng = np.random.default_rng(n)
    t = np.cumsum(rng.uniform(0.5, 1.5, n))
    y = rng.normal(3.3, 0.01, (2, n)).astype(np.float32)
    j = min(n - 1, int(spike_at * n))
    y[1, j] = 9.0 if up else -9.0
    pyr = Pyramid(t, y)
    x0 = t[0] + lo * (t[-1] - t[0])
    x1 = x0 + width * (t[-1] - t[0])
    k, i0, i1 = pyr.pick(x0, x1, max_points)
    assert Pyramid.points(k, i0, i1) <= max_points
    xs, ys = pyr.curve(1, k, i0, i1)
    assert len(xs) == len(ys) == Pyramid.points(k, i0, i1)
    if x0 <= t[j] <= x1:  # a one-sample spike in view is drawn at every zoom
        assert (ys.max() if up else ys.min()) == np.float32(9.0 if up else -9.0)
    # the finest level that fits is chosen
    if k > 0:
        a, b = pyr.window(k - 1, x0, x1)
        assert Pyramid.points(k - 1, a, b) > max_points


def test_pyramid_levels_are_min_and_max():
    t = np.arange(1000.0)
    y = np.arange(1000, dtype=np.float32)[None, :]
    y[0, 500] = np.nan
    pyr = Pyramid(t, y, factor=4, top=8)
    lv = pyr.levels[1]
    assert lv.step == 4 and len(lv.t) == 250
    assert lv.lo[0, 0] == 0 and lv.hi[0, 0] == 3
    assert lv.lo[0, 125] == 501  # NaN skipped
    assert pyr.levels[-1].lo.shape[1] <= 8
