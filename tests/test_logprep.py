"""services/logprep.py: what the log viewer draws and says, prepared without Qt.

A small log written by the recorder (services/recorder.py) with values chosen by hand;
every expected number below is worked out from those values, not read from the code.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
import pytest

from app.model import Snapshot
from app.services import logprep
from app.services.logfile import LogLayout, load_log, make_meta
from app.services.recorder import LogWriter

START = 1_777_593_600.0  # 2026-05-01T00:00:00Z


@pytest.fixture
def utc_plus_8(monkeypatch):
    """The computer's clock in a zone 8 hours east of UTC with no summer time (a POSIX TZ:
    no time-zone database needed)."""
    monkeypatch.setenv("TZ", "PBT-8")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def write_log(path: Path, rows: list[Snapshot], step_s: float = 10.0) -> Path:
    layout = LogLayout.for_snapshot(rows[0])
    meta = make_meta(
        url="sim://jk02_32s",
        device=None,
        settings=None,
        protocol="jk02_32s",
        started=START,
        app_version="test",
    )
    w = LogWriter(path, layout, meta, started=START)
    for i, s in enumerate(rows):
        w.write(s, START + i * step_s)
    w.close()
    return path


def snap(cells: list[float], mos: float | None = 30.0, current: float = -5.0, alarms=()) -> Snapshot:
    return Snapshot(
        current_a=current,
        soc_pct=50.0,
        cell_voltages_v=cells,
        temperatures_c=[25.0, 26.5],
        mos_temperature_c=mos,
        alarms=list(alarms),
    ).derive()


@pytest.fixture
def four_rows(tmp_path) -> Path:
    return write_log(
        tmp_path / "four.csv",
        [
            snap([3.300, 3.310, 3.305, 3.320]),
            snap([3.250, 3.310, 3.305, 3.330], mos=41.5),  # cell 1 sags to 3.250, cell 4 highest
            snap([3.300, 3.300, 3.300, 3.300], current=0.0),
            snap([3.301, 3.302, 3.299, 3.300], alarms=["cell_undervoltage"]),
        ],
    )


def test_prepare_builds_every_series_the_overview_draws(four_rows):
    p = logprep.prepare(four_rows, use_cache=False)
    assert p.data.rows == 4 and p.data.cell_count == 4
    assert p.cells.names == [
        "cell_01_v",
        "cell_02_v",
        "cell_03_v",
        "cell_04_v",
    ]  # logfile.py: the log's columns
    # the battery probes first, then the board's own temperatures
    assert p.temps.names == ["temp_1_c", "temp_2_c", "mos_temperature_c"]
    assert p.pack.names == ["pack_voltage_v"] and p.current.names == ["current_a"]
    # the spread per row, in mV: 3.320-3.300, 3.330-3.250, 0, 3.302-3.299
    assert np.allclose(p.delta * 1000, [20.0, 80.0, 0.0, 3.0], atol=1e-3)
    x, y = p.spread.pyramid.view(0, 0.0, 30.0, 1000)
    assert np.allclose(y, [20.0, 80.0, 0.0, 3.0], atol=1e-3)
    assert p.cells.finite and p.temps.finite


def test_a_log_without_cells_or_temperatures_has_no_such_series(tmp_path):
    rows = [Snapshot(pack_voltage_v=52.0 + i, current_a=1.0) for i in range(3)]
    p = logprep.prepare(write_log(tmp_path / "pack.csv", rows), use_cache=False)
    assert p.cells is None and p.spread is None and p.temps is None
    assert p.pack is not None and p.current is not None


def test_a_temperature_missing_from_some_rows_is_not_finite(tmp_path):
    rows = [snap([3.3, 3.3], mos=30.0), snap([3.3, 3.3], mos=None), snap([3.3, 3.3], mos=31.0)]
    p = logprep.prepare(write_log(tmp_path / "gap.csv", rows), use_cache=False)
    assert not p.temps.finite  # NaN in the MOS column: pyqtgraph must check
    r = logprep.readout_at(p.data, 1)
    assert [name for name, _c in r.temps] == ["temp_1_c", "temp_2_c"]  # no MOS in this row


def test_readout_at_a_row(four_rows):
    data = load_log(four_rows, use_cache=False)
    r = logprep.readout_at(data, 1)
    assert r.row == 1 and r.t == pytest.approx(10.0)
    assert r.lowest == (1, pytest.approx(3.250)) and r.highest == (4, pytest.approx(3.330))
    assert r.spread_mv == pytest.approx(80.0, abs=1e-3)
    assert r.pack_v == pytest.approx(3.250 + 3.310 + 3.305 + 3.330, abs=1e-4)
    assert r.current_a == pytest.approx(-5.0) and r.soc_pct == pytest.approx(50.0)
    assert r.temps == [("temp_1_c", 25.0), ("temp_2_c", 26.5), ("mos_temperature_c", 41.5)]
    assert r.alarms == []
    assert logprep.readout_at(data, 3).alarms == ["cell_undervoltage"]


def test_local_times_with_utc_beside_them(four_rows, utc_plus_8):
    data = load_log(four_rows, use_cache=False)
    epoch = logprep.epoch_of(data, 20.0)
    assert epoch == START + 20.0
    assert logprep.stamp(epoch) == "2026-05-01 08:00:20"  # UTC+8
    assert logprep.stamp(epoch, utc=True) == "2026-05-01 00:00:20"
    assert logprep.clock(data, 20.0) == "08:00:20"
    assert logprep.clock(data, 20.0, utc=True) == "00:00:20"
    assert logprep.utc_offset_s(epoch) == 8 * 3600
    assert logprep.offset_text(epoch) == "UTC+08:00"


def test_a_log_over_a_day_shows_the_day_and_one_without_a_start_shows_seconds(tmp_path, utc_plus_8):
    data = load_log(
        write_log(tmp_path / "long.csv", [snap([3.3, 3.3])] * 3, step_s=50_000.0), use_cache=False
    )
    assert logprep.clock(data, 100_000.0) == "05-02 11:46:40"  # 2026-05-02 03:46:40Z + 8 h
    data.start_epoch = None
    assert logprep.clock(data, 12.4) == "12 s"
    assert logprep.epoch_of(data, 12.4) is None


def test_offset_text_west_and_at_utc(monkeypatch):
    monkeypatch.setenv("TZ", "XST+3:30")  # 3 h 30 min west of Greenwich
    time.tzset()
    try:
        assert logprep.offset_text(START) == "UTC−03:30"
        monkeypatch.setenv("TZ", "UTC0")
        time.tzset()
        assert logprep.offset_text(START) == "UTC"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_nice_range_widens_to_round_steps():
    # 3.2..3.4 V: 6 % margin (0.012) -> 3.188..3.412; a step of 0.05 (the first of 1, 2, 2.5, 5 ×
    # 10^k at least an eighth of the span) -> 3.15..3.45
    lo, hi = logprep.nice_range(3.2, 3.4, 0.002)
    assert (lo, hi) == (pytest.approx(3.15), pytest.approx(3.45))
    # a flat line gets the minimum margin: at least 25 ± 0.05, widened to round steps
    lo, hi = logprep.nice_range(25.0, 25.0, 0.05)
    assert lo <= 24.95 and hi >= 25.05 and hi - lo < 0.2
    # a small pan keeps the same range (the axis is not redrawn)
    assert logprep.nice_range(3.201, 3.401, 0.002) == logprep.nice_range(3.2, 3.4, 0.002)


def test_no_minus_zero():
    assert logprep.no_minus_zero(-0.04) == 0.0 and not math.copysign(1, logprep.no_minus_zero(-0.04)) < 0
    assert logprep.no_minus_zero(-0.06) == -0.06
