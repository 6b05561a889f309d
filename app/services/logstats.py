"""Statistics for a stretch of a log: what a pack builder asks of a ride.

Per cell the lowest and highest voltage and when; the largest spread between
cells and when (with the cells at either end); energy and charge in and out;
the pack's voltage, current and temperature ranges; the alarms seen.

Energy is the integral of pack voltage × current over time, by the
trapezoidal rule on the charging (P > 0) and discharging (P < 0) parts
separately; an interval longer than ``GAP_FACTOR`` times the log's typical
interval (the link was down) is not integrated, as nothing is known about it.
Pure numpy, no Qt.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from .logfile import LogData

GAP_FACTOR = 10.0


@dataclass
class RangeStats:
    i0: int
    i1: int  # exclusive
    t0: float
    t1: float
    rows: int
    cell_min_v: np.ndarray = field(default_factory=lambda: np.zeros(0))
    cell_min_t: np.ndarray = field(default_factory=lambda: np.zeros(0))
    cell_max_v: np.ndarray = field(default_factory=lambda: np.zeros(0))
    cell_max_t: np.ndarray = field(default_factory=lambda: np.zeros(0))
    delta_max_v: float | None = None
    delta_max_t: float | None = None
    delta_low_cell: int | None = None  # 1-based
    delta_high_cell: int | None = None
    energy_in_wh: float | None = None
    energy_out_wh: float | None = None
    charge_in_ah: float | None = None
    charge_out_ah: float | None = None
    pack_min_v: float | None = None
    pack_max_v: float | None = None
    current_min_a: float | None = None
    current_max_a: float | None = None
    temp_max_c: dict[str, float] = field(default_factory=dict)
    alarms: list[tuple[str, float]] = field(default_factory=list)  # (id, first elapsed_s)

    @property
    def duration_s(self) -> float:
        return self.t1 - self.t0

    @property
    def lowest_cell(self) -> int | None:
        """1-based cell with the lowest minimum (the one that sags first)."""
        if not len(self.cell_min_v) or np.all(np.isnan(self.cell_min_v)):
            return None
        return int(np.nanargmin(self.cell_min_v)) + 1

    @property
    def highest_cell(self) -> int | None:
        if not len(self.cell_max_v) or np.all(np.isnan(self.cell_max_v)):
            return None
        return int(np.nanargmax(self.cell_max_v)) + 1


def cell_delta(cells: np.ndarray) -> np.ndarray:
    """Spread between the highest and the lowest cell, per row (float32)."""
    if cells.shape[0] == 0:
        return np.zeros(cells.shape[1], np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return (np.nanmax(cells, axis=0) - np.nanmin(cells, axis=0)).astype(np.float32)


def integrate_split(t: np.ndarray, y: np.ndarray, gap_s: float) -> tuple[float, float]:
    """∫ max(y, 0) dt and ∫ max(-y, 0) dt (trapezoids), skipping intervals longer than gap_s."""
    if len(t) < 2:
        return 0.0, 0.0
    y = np.nan_to_num(np.asarray(y, dtype=np.float64), nan=0.0)
    dt = np.diff(t)
    ok = (dt > 0) & (dt <= gap_s)
    pos = np.maximum(y, 0.0)
    neg = np.maximum(-y, 0.0)
    e_pos = float(np.sum(((pos[:-1] + pos[1:]) * 0.5 * dt)[ok]))
    e_neg = float(np.sum(((neg[:-1] + neg[1:]) * 0.5 * dt)[ok]))
    return e_pos, e_neg


def typical_interval(t: np.ndarray) -> float:
    if len(t) < 2:
        return 1.0
    d = np.diff(t[: min(len(t), 10_000)])
    d = d[d > 0]
    return float(np.median(d)) if len(d) else 1.0


def range_stats(data: LogData, t0: float, t1: float, *, delta: np.ndarray | None = None) -> RangeStats:
    """Statistics of the rows with t0 <= elapsed_s <= t1."""
    if t1 < t0:
        t0, t1 = t1, t0
    i0 = int(np.searchsorted(data.t, t0, side="left"))
    i1 = int(np.searchsorted(data.t, t1, side="right"))
    st = RangeStats(i0=i0, i1=i1, t0=t0, t1=t1, rows=max(0, i1 - i0))
    if i1 <= i0:
        return st
    t = data.t[i0:i1]
    st.t0, st.t1 = float(t[0]), float(t[-1])
    cells = data.cells[:, i0:i1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if cells.shape[0]:
            jmin, jmax = _arg_extremes(cells)
            rows = np.arange(cells.shape[0])
            st.cell_min_v = cells[rows, jmin].astype(np.float64)
            st.cell_max_v = cells[rows, jmax].astype(np.float64)
            st.cell_min_t = t[jmin]
            st.cell_max_t = t[jmax]
            d = delta[i0:i1] if delta is not None else cell_delta(cells)
            if np.any(np.isfinite(d)):
                j = int(np.nanargmax(d))
                st.delta_max_v = float(d[j])
                st.delta_max_t = float(t[j])
                col = cells[:, j]
                st.delta_low_cell = int(np.nanargmin(col)) + 1
                st.delta_high_cell = int(np.nanargmax(col)) + 1
        gap = GAP_FACTOR * typical_interval(data.t)
        v = data.series("pack_voltage_v")
        a = data.series("current_a")
        if v is not None and a is not None:
            p = v[i0:i1].astype(np.float64) * a[i0:i1].astype(np.float64)
            e_in, e_out = integrate_split(t, p, gap)
            st.energy_in_wh, st.energy_out_wh = e_in / 3600.0, e_out / 3600.0
        if a is not None:
            q_in, q_out = integrate_split(t, a[i0:i1], gap)
            st.charge_in_ah, st.charge_out_ah = q_in / 3600.0, q_out / 3600.0
            st.current_min_a, st.current_max_a = _range(a[i0:i1])
        if v is not None:
            st.pack_min_v, st.pack_max_v = _range(v[i0:i1])
        for name in [*data.temp_names, "mos_temperature_c", "balancer_temperature_c"]:
            s = data.series(name)
            if s is not None:
                hi = _range(s[i0:i1])[1]
                if hi is not None:
                    st.temp_max_c[name] = hi
    codes = data.alarm_codes[i0:i1]
    seen: dict[str, float] = {}
    for code in np.unique(codes):
        if code == 0:
            continue
        first = float(t[int(np.argmax(codes == code))])
        for alarm in data.alarm_sets[int(code)]:
            if alarm not in seen or first < seen[alarm]:
                seen[alarm] = first
    st.alarms = sorted(seen.items(), key=lambda kv: kv[1])
    return st


CHUNK = 1 << 16


def _arg_extremes(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the index of the lowest and of the highest value, NaN skipped.

    Works through contiguous copies of 65,536 columns at a time: the cells
    may be strided views into a mapped file, where a reduction along the
    row would walk memory a record apart.
    """
    m, n = cells.shape
    lo_v = np.full(m, np.inf)
    hi_v = np.full(m, -np.inf)
    lo_i = np.zeros(m, dtype=np.int64)
    hi_i = np.zeros(m, dtype=np.int64)
    rows = np.arange(m)
    for a in range(0, n, CHUNK):
        ch = np.ascontiguousarray(cells[:, a : a + CHUNK])
        for pick, best_v, best_i, better in (
            (np.argmin, lo_v, lo_i, np.less),
            (np.argmax, hi_v, hi_i, np.greater),
        ):
            k = pick(ch, axis=1)
            v = ch[rows, k].astype(np.float64)
            for r in np.flatnonzero(np.isnan(v)):  # a NaN in this stretch: look again without it
                row = ch[r]
                ok = np.flatnonzero(~np.isnan(row))
                if len(ok):
                    k[r] = ok[pick(row[ok])]
                    v[r] = row[k[r]]
            take = better(v, best_v)
            best_v[take] = v[take]
            best_i[take] = k[take] + a
    return lo_i, hi_i


def _range(x: np.ndarray) -> tuple[float | None, float | None]:
    if not len(x) or np.all(np.isnan(x)):
        return None, None
    return float(np.nanmin(x)), float(np.nanmax(x))
