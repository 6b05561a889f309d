"""Synthetic long logs for benchmarks/logs.py, written by the real LogWriter."""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np

from app import __version__
from app.model import DeviceInfo, Snapshot
from app.services.logfile import LogLayout, make_meta
from app.services.recorder import LogWriter

START_EPOCH = 1_777_593_600.0  # 2026-05-01T00:00:00Z


def generate(
    path: Path, rows: int, cells: int = 32, rate_hz: float = 1.0, seed: int = 1, progress=None
) -> None:
    """A pack that charges at night and is ridden by day, with one weak cell (cell 7)
    that sags under load, a short spike now and then, and temperatures that follow
    the current."""
    rng = np.random.default_rng(seed)
    t = np.arange(rows) / rate_hz
    day = (t % 86400.0) / 3600.0
    riding = ((day > 8) & (day < 11)) | ((day > 15) & (day < 18))
    charging = (day > 20) | (day < 2)
    current = np.where(riding, -40.0 - 15.0 * np.sin(t / 37.0) ** 2, 0.0)
    current = np.where(charging, 25.0, current) + rng.normal(0, 0.15, rows)
    soc = np.clip(60 + np.cumsum(current) / rate_hz / 3600.0 / 280.0 * 100.0 * 0.5, 5, 100)
    ocv = 3.20 + 0.0015 * soc
    sag = 0.0009 * current  # V per A for a healthy cell
    base = ocv + sag
    cellv = (
        base[None, :] + rng.normal(0, 0.0012, (cells, rows)) + rng.normal(0, 0.004, (cells, 1))
    )  # each cell a little different
    cellv[6] += 0.0008 * current  # cell 7 sags twice as much
    spikes = rng.integers(0, rows, max(1, rows // 50_000))
    cellv[rng.integers(0, cells, len(spikes)), spikes] -= 0.25  # sensor glitches
    cellv = np.round(cellv, 3)
    temps = 22.0 + 4.0 * np.sin(2 * math.pi * t / 86400.0) + 0.12 * np.abs(current)
    device = DeviceInfo(
        model="JK-PB2A16S20P",
        hardware_version="19A",
        software_version="19.27",
        serial_number="BENCH0001",
        device_name="bench pack",
        protocol="jk02_32s",
    )
    first = _snapshot(0, cellv, current, soc, temps)
    layout = LogLayout.for_snapshot(first)
    meta = make_meta(
        url=f"sim://jk02_32s?cells={cells}",
        device=device,
        settings=None,
        protocol="jk02_32s",
        started=START_EPOCH,
        app_version=__version__,
    )
    tmp = path.with_name(path.name + ".part")
    writer = LogWriter(tmp, layout, meta, started=START_EPOCH)
    t0 = time.monotonic()
    cv = cellv.T.tolist()
    cur = np.round(current, 2).tolist()
    so = np.round(soc).tolist()
    te = np.round(temps, 1).tolist()
    for i in range(rows):
        s = Snapshot(
            current_a=cur[i],
            soc_pct=so[i],
            cell_voltages_v=cv[i],
            temperatures_c=[te[i], round(te[i] - 0.7, 1), round(te[i] + 0.4, 1), round(te[i] - 0.2, 1)],
            mos_temperature_c=round(te[i] + 6.0, 1),
            charge_mos_on=True,
            discharge_mos_on=True,
            balancing_active=bool(cur[i] > 20),
            alarms=["low_soc"] if so[i] < 10 else [],
        ).derive()
        writer.write(s, START_EPOCH + float(t[i]))
        if progress and i % 50_000 == 0:
            progress(i, rows, time.monotonic() - t0)
    writer.close(START_EPOCH + float(t[-1]))
    _rename_set(tmp, path)


def _snapshot(i, cellv, current, soc, temps) -> Snapshot:
    return Snapshot(
        current_a=float(current[i]),
        soc_pct=float(soc[i]),
        cell_voltages_v=cellv[:, i].tolist(),
        temperatures_c=[float(temps[i])] * 4,
        mos_temperature_c=float(temps[i]),
        charge_mos_on=True,
        discharge_mos_on=True,
        balancing_active=False,
    ).derive()


def _rename_set(tmp: Path, path: Path) -> None:
    from app.services.logfile import CACHE_SUFFIX, META_SUFFIX, sidecar

    for suffix in (META_SUFFIX, CACHE_SUFFIX):
        src = sidecar(tmp, suffix)
        if src.exists():
            src.replace(sidecar(path, suffix))
    tmp.replace(path)
