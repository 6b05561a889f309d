"""What the log viewer draws and says, prepared without Qt.

``prepare`` reads a log (services/logfile.py) and builds the min/max pyramids
(services/pyramid.py) of every series the overview draws: the cells, their
spread, the pack voltage, the current and the temperatures.  It runs in a
worker thread, so it is pure numpy.  The rest is what the viewer shows at one
row or for one stretch, as numbers: the readout at the cursor (``readout_at``),
a rounded axis range (``nice_range``) and the times of the log in the local
time zone of the computer, with UTC beside them for tooltips (the CSV stays in
UTC).  The words around the numbers are the viewer's (app/ui/log_text.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from .logfile import LogData, load_log
from .logstats import cell_delta
from .pyramid import Pyramid

#: the temperatures drawn besides the battery probes (``temp_<n>_c``), in this order
BOARD_TEMPERATURES = ("mos_temperature_c", "balancer_temperature_c")


# --- the series the overview draws ---------------------------------------------------------------
@dataclass
class PlotSeries:
    key: str
    names: list[str]
    pyramid: Pyramid
    finite: bool  # no NaN anywhere: pyqtgraph may skip its finite check


@dataclass
class Prepared:
    data: LogData
    delta: np.ndarray  # V, per row
    cells: PlotSeries | None
    spread: PlotSeries | None  # mV
    pack: PlotSeries | None
    current: PlotSeries | None
    temps: PlotSeries | None


def make_series(key: str, names: list[str], t: np.ndarray, y: np.ndarray | None) -> PlotSeries | None:
    """A series with its pyramid; None when there is nothing to draw."""
    if y is None or not len(names) or y.shape[-1] == 0:
        return None
    pyr = Pyramid(t, y)
    top = pyr.levels[-1]
    finite = bool(np.isfinite(top.lo).all() and np.isfinite(top.hi).all())
    return PlotSeries(key, names, pyr, finite)


def temperature_names(data: LogData) -> list[str]:
    """The temperature columns of a log: the battery probes first, then the board's own."""
    return [n for n in (*data.temp_names, *BOARD_TEMPERATURES) if data.has(n)]


def prepare(path: str | Path, use_cache: bool = True) -> Prepared:
    """Read a log and build everything the overview draws (pure numpy: runs in a thread)."""
    data = load_log(path, use_cache=use_cache)
    t = data.t
    delta = cell_delta(data.cells)
    temp_names = temperature_names(data)
    temps = np.stack([data.series(n) for n in temp_names]) if temp_names else None

    def one(name: str) -> np.ndarray | None:
        s = data.series(name)
        return None if s is None else s[None, :]

    cells = data.cells if data.cell_count else None
    return Prepared(
        data=data,
        delta=delta,
        cells=make_series("cells", data.cell_names, t, cells),
        spread=make_series(
            "spread", ["cell_delta_mv"], t, (delta * 1000.0)[None, :] if cells is not None else None
        ),
        pack=make_series("pack", ["pack_voltage_v"], t, one("pack_voltage_v")),
        current=make_series("current", ["current_a"], t, one("current_a")),
        temps=make_series("temps", temp_names, t, temps),
    )


def nice_range(lo: float, hi: float, min_pad: float) -> tuple[float, float]:
    """[lo, hi] with a margin, widened to round steps: a pan that moves the data
    a little keeps the same range, so the axis is not redrawn."""
    pad = max((hi - lo) * 0.06, min_pad)
    lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / 8.0
    mag = 10.0 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    step = next(m * mag for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * mag >= raw)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step


# --- the readout at one row ------------------------------------------------------------------------
@dataclass
class Readout:
    """The numbers of one row, as the cursor readout shows them (None: not in this row)."""

    row: int
    t: float
    pack_v: float | None = None
    current_a: float | None = None
    soc_pct: float | None = None
    #: (1-based cell, volts) of the lowest and the highest cell
    lowest: tuple[int, float] | None = None
    highest: tuple[int, float] | None = None
    spread_mv: float | None = None
    #: (column name, °C) of every temperature in the row, the probes first
    temps: list[tuple[str, float]] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)


def _value(data: LogData, name: str, i: int) -> float | None:
    s = data.series(name)
    if s is None or s[i] != s[i]:
        return None
    return float(s[i])


def readout_at(data: LogData, i: int) -> Readout:
    """The numbers of row ``i``."""
    r = Readout(row=i, t=float(data.t[i]))
    r.pack_v, r.current_a, r.soc_pct = (
        _value(data, n, i) for n in ("pack_voltage_v", "current_a", "soc_pct")
    )
    if data.cell_count:
        col = np.asarray(data.cells[:, i], dtype=np.float64)
        if np.isfinite(col).any():
            lo, hi = int(np.nanargmin(col)), int(np.nanargmax(col))
            r.lowest, r.highest = (lo + 1, float(col[lo])), (hi + 1, float(col[hi]))
            r.spread_mv = (float(col[hi]) - float(col[lo])) * 1000.0
    for name in temperature_names(data):
        c = _value(data, name, i)
        if c is not None:
            r.temps.append((name, c))
    r.alarms = data.alarms_at(i)
    return r


def no_minus_zero(x: float) -> float:
    """-0.04 shows as "+0.0", not "-0.0"."""
    return 0.0 if abs(x) < 0.05 else x


# --- times: local on screen, UTC in tooltips and files ---------------------------------------------
def epoch_of(data: LogData, t: float) -> float | None:
    """Seconds since 1970 of ``t`` seconds into the log (None: the log has no start time)."""
    return None if data.start_epoch is None else data.start_epoch + t


def local_time(epoch: float) -> datetime:
    """The time in this computer's time zone (with its offset from UTC)."""
    return datetime.fromtimestamp(epoch).astimezone()


def utc_time(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def utc_offset_s(epoch: float) -> int:
    """The local time zone's offset from UTC at ``epoch`` (seconds east of Greenwich)."""
    offset = local_time(epoch).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def offset_text(epoch: float) -> str:
    """``UTC+02:00``, ``UTC−03:30``, ``UTC``: the local zone's offset at ``epoch``."""
    s = utc_offset_s(epoch)
    if not s:
        return "UTC"
    sign = "+" if s > 0 else "−"
    h, m = divmod(abs(s) // 60, 60)
    return f"UTC{sign}{h:02d}:{m:02d}"


def stamp(epoch: float, *, utc: bool = False) -> str:
    """``2026-05-01 02:00:00``: the date and time, local (or UTC)."""
    dt = utc_time(epoch) if utc else local_time(epoch)
    return dt.strftime("%Y-%m-%d %H:%M:%S")


def clock(data: LogData, t: float, *, utc: bool = False) -> str:
    """Time of day (local, or UTC), with the day when the log spans more than one;
    seconds into the log when it has no start time."""
    epoch = epoch_of(data, t)
    if epoch is None:
        return f"{t:.0f} s"
    dt = utc_time(epoch) if utc else local_time(epoch)
    if data.duration_s > 86400 - 1:
        return dt.strftime("%m-%d %H:%M:%S")
    return dt.strftime("%H:%M:%S")


__all__ = [
    "BOARD_TEMPERATURES",
    "PlotSeries",
    "Prepared",
    "Readout",
    "clock",
    "epoch_of",
    "local_time",
    "make_series",
    "nice_range",
    "no_minus_zero",
    "offset_text",
    "prepare",
    "readout_at",
    "stamp",
    "temperature_names",
    "utc_offset_s",
    "utc_time",
]
