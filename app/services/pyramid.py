"""A min/max pyramid: draw a week of 1 Hz data at the cost of a screenful.

Level 0 is the data itself.  Level k keeps, for every bucket of ``factor**k``
samples, the lowest and the highest value and the time the bucket starts.
A view asks for the coarsest level that still has no more points than it
can show (``pick``) and draws that level's visible buckets with min and max
interleaved, so a one-sample spike stays visible at every zoom
(shared/stack.md §4: 25–33 ms per pan step for 32 × 1e6, against 60–130 ms
for pyqtgraph's own downsampling).

Pure numpy; float32 values, float64 times; NaN (a value missing from a row)
is skipped by the min/max, and a bucket with nothing in it stays NaN.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

FACTOR = 4
#: stop building once a level has at most this many buckets
TOP = 512


@dataclass
class Level:
    step: int  # samples per bucket
    t: np.ndarray  # bucket start times, float64
    lo: np.ndarray  # (M, n) float32
    hi: np.ndarray  # (M, n) float32


def _fold(op: np.ufunc, a: np.ndarray, factor: int) -> np.ndarray:
    """op over each run of ``factor`` columns: element-wise on strided views, which is
    several times faster than ``reduce`` along a short trailing axis."""
    out = op(a[:, 0::factor], a[:, 1::factor])
    for j in range(2, factor):
        op(out, a[:, j::factor], out=out)
    return out


class Pyramid:
    """Min/max levels for M series sharing one time axis ``t`` (increasing)."""

    def __init__(self, t: np.ndarray, y: np.ndarray, factor: int = FACTOR, top: int = TOP) -> None:
        y = np.asarray(y)
        if y.ndim == 1:
            y = y[None, :]
        self.factor = factor
        self.top = top
        self.t = np.asarray(t, dtype=np.float64)
        self.levels: list[Level] = [Level(1, self.t, y, y)]
        lo = hi = y
        t_k = self.t
        step = 1
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN buckets
            while lo.shape[1] > top:
                n = lo.shape[1]
                m = n // factor * factor
                lo_n = _fold(np.fmin, lo[:, :m], factor)
                hi_n = _fold(np.fmax, hi[:, :m], factor)
                if m < n:  # the last, partial bucket
                    lo_n = np.concatenate([lo_n, np.fmin.reduce(lo[:, m:], axis=1)[:, None]], axis=1)
                    hi_n = np.concatenate([hi_n, np.fmax.reduce(hi[:, m:], axis=1)[:, None]], axis=1)
                step *= factor
                t_k = t_k[::factor]
                lo, hi = lo_n, hi_n
                self.levels.append(Level(step, t_k, lo, hi))

    @property
    def rows(self) -> int:
        return self.levels[0].lo.shape[0]

    @staticmethod
    def points(level: int, i0: int, i1: int) -> int:
        """How many points ``curve`` returns for buckets i0..i1-1 of ``level``."""
        return (i1 - i0) * (1 if level == 0 else 2)

    def window(self, level: int, x0: float, x1: float) -> tuple[int, int]:
        """Buckets of ``level`` that cover [x0, x1], plus one either side (lines reach the edges)."""
        t = self.levels[level].t
        i0 = max(0, int(np.searchsorted(t, x0, side="right")) - 2)
        i1 = min(len(t), int(np.searchsorted(t, x1, side="right")) + 1)
        return i0, max(i0, i1)

    def pick(self, x0: float, x1: float, max_points: int) -> tuple[int, int, int]:
        """(level, i0, i1): the finest level whose view of [x0, x1] fits in ``max_points``.

        Falls back to the coarsest level, which has at most ``2 * (top + 3)`` points.
        """
        for k in range(len(self.levels)):
            i0, i1 = self.window(k, x0, x1)
            if self.points(k, i0, i1) <= max_points:
                return k, i0, i1
        k = len(self.levels) - 1
        return (k, *self.window(k, x0, x1))

    def curve(self, row: int, level: int, i0: int, i1: int) -> tuple[np.ndarray, np.ndarray]:
        """x, y to draw series ``row`` over buckets i0..i1-1 of ``level``."""
        lv = self.levels[level]
        if level == 0:
            return lv.t[i0:i1], lv.lo[row, i0:i1]
        x = np.repeat(lv.t[i0:i1], 2)
        y = np.empty(2 * (i1 - i0), dtype=lv.lo.dtype)
        y[0::2] = lv.lo[row, i0:i1]
        y[1::2] = lv.hi[row, i0:i1]
        return x, y

    def view(self, row: int, x0: float, x1: float, max_points: int) -> tuple[np.ndarray, np.ndarray]:
        k, i0, i1 = self.pick(x0, x1, max_points)
        return self.curve(row, k, i0, i1)

    def bounds(
        self, rows: list[int] | np.ndarray, level: int, i0: int, i1: int
    ) -> tuple[float, float] | None:
        """Lowest and highest value of these series in the buckets (None when all empty)."""
        if i1 <= i0 or len(rows) == 0:
            return None
        lv = self.levels[level]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            lo = np.nanmin(lv.lo[rows, i0:i1])
            hi = np.nanmax(lv.hi[rows, i0:i1])
        if not (np.isfinite(lo) and np.isfinite(hi)):
            return None
        return float(lo), float(hi)

    @property
    def nbytes(self) -> int:
        return sum(lv.lo.nbytes + lv.hi.nbytes + lv.t.nbytes for lv in self.levels[1:])
