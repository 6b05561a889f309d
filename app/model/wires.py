"""Balance-lead (wire) resistance per cell: which lead stands out.

JK boards measure the resistance of every cell's balance lead and report it with the
cell voltages (``Snapshot.cell_resistances_ohm``; shared/protocols/jk.md §2.1: u16 mΩ per
cell in the JK02 cell-info frame, §2.3: float Ω in JK04's).  A loose busbar or a bad crimp
shows as one lead far above the others.  The Live tab highlights it and the
commissioning report names it, both by ``resistance_outliers`` below.

The rule comes from the cell frames captured from real boards in shared/frames/jk.json
(27 frames of 4 to 24 cells: JK02_24S, JK02_32S, JK04 and PB boards, medians from 50 to
414 mΩ, read to the mΩ).  In every healthy pack the highest lead is at most 1.44 × the
median of its pack (dbus_pb_status_payload: 119 mΩ beside a median of 82 mΩ; most packs
stay under 1.1 ×).  The one capture with leads far out (mpp_jk04_test_cell: 286 to 368 mΩ
beside a median of 174 mΩ) is over 1.6 ×.  So a lead is an outlier when it is

* more than ``OUTLIER_FACTOR`` (1.5) × the median of the pack's leads, just above the
  healthy spread, **and**
* more than ``OUTLIER_FLOOR_OHM`` (20 mΩ) above that median, so that a pack of very low
  readings (4 mΩ beside 7 mΩ: a few counts of the board's 1 mΩ step) never raises one.

Fewer than three leads, or a median of zero (a board that measured nothing yet), give no
outliers: there is no typical lead to compare with.

Pure: no Qt, no I/O.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

#: a lead more than this many times the median of the pack's leads ...
OUTLIER_FACTOR = 1.5
#: ... and more than this far above it (Ω) is an outlier
OUTLIER_FLOOR_OHM = 0.020
#: fewer leads than this: no outliers (nothing typical to compare with)
MIN_LEADS = 3


def median_ohm(ohms: Sequence[float]) -> float | None:
    """The median of the leads (None without any)."""
    return float(statistics.median(ohms)) if ohms else None


def resistance_outliers(ohms: Sequence[float]) -> list[int]:
    """Indexes (0-based) of the leads that stand out: over 1.5 × the median of the
    pack's leads and more than 20 mΩ above it (the rule in this module's docstring)."""
    if len(ohms) < MIN_LEADS:
        return []
    median = statistics.median(ohms)
    if median <= 0:
        return []
    limit = max(OUTLIER_FACTOR * median, median + OUTLIER_FLOOR_OHM)
    return [i for i, r in enumerate(ohms) if r > limit]


__all__ = ["OUTLIER_FACTOR", "OUTLIER_FLOOR_OHM", "median_ohm", "resistance_outliers"]
