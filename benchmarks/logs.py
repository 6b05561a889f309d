"""Log viewer benchmark: a week of 1 Hz data from a 32-cell pack.

Run:  make bench-logs      (or: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/logs.py)

1. Generates (once; kept in $PACKBENCH_BENCH_DIR, default /tmp/packbench-bench)
   a 7-day, 1 Hz, 32-cell log — 604,800 rows — with the real recorder
   (LogWriter: CSV, meta sidecar and binary cache, as a recording leaves them).
2. Opens it in the real window (1280×800, offscreen) in a fresh process and
   measures the time from "open" to a drawn overview, then pans and zooms
   (whole log down to a few minutes, and pans at each zoom) and reports the
   slowest step (set the range, draw the pyramid level, repaint), and the
   process's peak memory (max RSS).
3. The same open with the CSV alone (no cache: a log copied without its
   sidecars, opened the first time).
4. The floor: the fastest CSV parser in the environment reading the same
   file (polars, pyarrow, pandas when installed — `pip install -e '.[bench]'`
   — and numpy's loadtxt), each in a fresh process, and our ratio to it.

Goals (issue "Recording and offline log viewing"): under 2 s to the overview,
under 50 ms per pan/zoom step, under 500 MB.  The last line is machine-readable:
    logs: rows=N open_s=X max_step_ms=Y peak_mb=Z floor_s=F
(open_s and max_step_ms: the recorded log with its sidecars; peak_mb: the highest of all opens.)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

ROWS = 7 * 24 * 3600
CELLS = 32


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# --- children (fresh processes) ---------------------------------------------------------------
def child_open(path: str, use_cache: bool) -> dict:
    import asyncio

    import qasync
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtWidgets import QApplication

    from app.ui.bridge import SessionBridge
    from app.ui.log_viewer import LogViewer
    from app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    out: dict = {}

    async def run() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            settings = QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat)
            win = MainWindow(SessionBridge(), settings)
            win.resize(1280, 800)
            win.show()
            await asyncio.sleep(0.2)
            out["baseline_mb"] = peak_mb()
            # the same steps as File → Open log, with the cache switch for the CSV-only case
            t0 = time.perf_counter()
            viewer = LogViewer(path, settings, use_cache=use_cache)
            win.log_viewers.append(viewer)
            win.tabs.setCurrentIndex(win.tabs.addTab(viewer, Path(path).name))
            done = asyncio.Event()
            marks: dict[str, float] = {}
            viewer.loaded.connect(lambda _d: (marks.setdefault("loaded", time.perf_counter()), done.set()))
            viewer.failed.connect(lambda text: (out.setdefault("error", text), done.set()))
            viewer.start()
            await done.wait()
            # lay out and paint now; not processEvents(), which would step other asyncio
            # tasks from inside this one (qasync: "Cannot enter into task …", stack.md P2)
            QCoreApplication.sendPostedEvents()
            viewer.overview.viewport().repaint()
            t1 = time.perf_counter()
            out["open_s"] = t1 - t0
            out["to_loaded_s"] = marks.get("loaded", t1) - t0
            out["source"] = viewer.prepared.data.source if viewer.prepared else None
            out["rows"] = viewer.prepared.data.rows if viewer.prepared else 0
            out["warnings"] = viewer.prepared.data.warnings if viewer.prepared else []
            await asyncio.sleep(0.5)  # the statistics and readout follow the first draw
            if use_cache:
                out.update(pan_zoom(app, viewer))
            out["peak_mb"] = peak_mb()
            await win.close_logs()
            await win.bridge.shutdown()
            win.close()

    asyncio.run(run(), loop_factory=qasync.QEventLoop)
    return out


def pan_zoom(app, viewer) -> dict:
    ov = viewer.overview
    data = viewer.prepared.data
    t0, t1 = float(data.t[0]), float(data.t[-1])
    span = t1 - t0
    steps: list[tuple[str, float]] = []
    paints = PaintCounter(ov.viewport())

    from PySide6.QtCore import QCoreApplication

    def step(label: str, a: float, b: float) -> None:
        QCoreApplication.sendPostedEvents()  # nothing left over from the step before
        before = paints.count
        s = time.perf_counter()
        ov.plots[0].setXRange(a, b, padding=0)
        viewer.refresh_now()  # what the viewer's one timer does after a range change
        QCoreApplication.sendPostedEvents()  # Qt lays out and paints the plots
        if paints.count == before:
            ov.viewport().repaint()
        steps.append((label, (time.perf_counter() - s) * 1000.0))
        paints.per_step.append(paints.count - before)

    step("whole", t0, t1)
    for frac in (0.5, 0.1, 0.01, 0.001, 0.0002):
        width = span * frac
        for k in range(6):  # zoom in at a few places, then pan by a tenth of the view
            a = t0 + (span - width) * ((k * 0.37) % 1.0)
            step(f"zoom {frac:g}", a, a + width)
            step(f"pan {frac:g}", a + width * 0.1, a + width * 1.1)
    step("whole again", t0, t1)
    times = [ms for _l, ms in steps]
    worst = max(steps, key=lambda s: s[1])
    return {
        "max_step_ms": worst[1],
        "worst_step": worst[0],
        "median_step_ms": statistics.median(times),
        "steps": len(steps),
        "points_whole": ov.points_drawn,
        "paints_per_step": max(paints.per_step) if paints.per_step else 0,
    }


def PaintCounter(widget):  # noqa: N802 - a factory for a QObject event filter
    from PySide6.QtCore import QEvent, QObject

    class Counter(QObject):
        def __init__(self) -> None:
            super().__init__(widget)
            self.count = 0
            self.per_step: list[int] = []

        def eventFilter(self, _obj, event) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    counter = Counter()
    widget.installEventFilter(counter)
    return counter


def child_floor(path: str, parser: str, repeat: int = 3) -> dict:
    """Read the whole CSV with one parser, told the column types (a fair floor: type
    inference alone trips over a column whose first rows happen to be integers).
    The best of ``repeat`` reads, the import not counted."""
    with open(path) as f:
        header = f.readline().rstrip("\n").split(",")
    numeric = [h for h in header if h not in ("timestamp_utc", "alarms")]
    if parser == "polars":
        import polars as pl

        types = {h: pl.Float64 for h in numeric} | {"timestamp_utc": pl.String, "alarms": pl.String}
        read = lambda: pl.read_csv(path, schema_overrides=types).height  # noqa: E731
    elif parser == "pyarrow":
        import pyarrow as pa
        import pyarrow.csv as pc

        types = {h: pa.float64() for h in numeric} | {"timestamp_utc": pa.string(), "alarms": pa.string()}
        opts = pc.ConvertOptions(column_types=types)
        read = lambda: pc.read_csv(path, convert_options=opts).num_rows  # noqa: E731
    elif parser == "pandas":
        import pandas as pd

        read = lambda: len(pd.read_csv(path, engine="c", dtype={h: "float64" for h in numeric}))  # noqa: E731
    elif parser == "numpy.loadtxt":
        import numpy as np

        cols = range(1, len(header) - 1)

        def read():
            return len(
                np.loadtxt(
                    path,
                    delimiter=",",
                    skiprows=1,
                    usecols=cols,  # noqa: E731
                    dtype=np.float64,
                )
            )
    else:
        raise SystemExit(f"unknown parser {parser}")
    best = math.inf
    rows = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        rows = read()
        best = min(best, time.perf_counter() - t0)
    return {"parser": parser, "seconds": best, "rows": rows}


def run_child(*args: str) -> dict:
    res = subprocess.run(
        [sys.executable, __file__, "--child", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    lines = [ln for ln in res.stdout.splitlines() if ln.startswith("{")]
    if res.returncode != 0 or not lines:
        return {"error": (res.stderr or res.stdout).strip().splitlines()[-1:] or ["failed"]}
    return json.loads(lines[-1])


# --- main ---------------------------------------------------------------------------------------
def ensure_log(folder: Path, regenerate: bool) -> Path:
    from _loggen import generate

    path = folder / f"week_{CELLS}s_1hz.csv"
    if path.exists() and not regenerate:
        return path
    folder.mkdir(parents=True, exist_ok=True)
    print(f"generating {ROWS:,} rows × {CELLS} cells with the recorder into {path} …", flush=True)
    t0 = time.perf_counter()
    generate(
        path,
        ROWS,
        CELLS,
        progress=lambda i, n, e: print(f"  {i:,}/{n:,} rows, {e:.0f} s", flush=True) if i else None,
    )
    print(f"generated in {time.perf_counter() - t0:.0f} s: {path.stat().st_size / 1e6:.0f} MB", flush=True)
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    ap.add_argument(
        "--dir",
        default=os.environ.get("PACKBENCH_BENCH_DIR", str(Path(tempfile.gettempdir()) / "packbench-bench")),
    )
    ap.add_argument("--regenerate", action="store_true", help="write the week's log anew")
    ap.add_argument("--repeat", type=int, default=3, help="opens to time (the median is reported)")
    args = ap.parse_args()
    if args.child:
        kind, path, *rest = args.child
        if kind == "open":
            print(json.dumps(child_open(path, use_cache=True)))
        elif kind == "open-csv":
            print(json.dumps(child_open(path, use_cache=False)))
        elif kind == "floor":
            print(json.dumps(child_floor(path, rest[0])))
        return 0

    path = ensure_log(Path(args.dir), args.regenerate)
    size_mb = path.stat().st_size / 1e6
    from app.services.logfile import CACHE_SUFFIX, sidecar

    for f_path in (path, sidecar(path, CACHE_SUFFIX)):  # in the page cache, as a recording leaves them
        if f_path.exists():
            with open(f_path, "rb") as f:
                while f.read(1 << 24):
                    pass

    opens = []
    for i in range(args.repeat):
        r = run_child("open", str(path))
        if "error" in r:
            print(f"open failed: {r['error']}", file=sys.stderr)
            return 1
        opens.append(r)
        print(
            f"open #{i + 1} (recorded log, with its cache): {r['open_s']:.2f} s to the drawn overview "
            f"(data ready {r['to_loaded_s']:.2f} s), read from {r['source']}; slowest pan/zoom step "
            f"{r['max_step_ms']:.0f} ms ({r['worst_step']}), median {r['median_step_ms']:.0f} ms over "
            f"{r['steps']} steps ({r['paints_per_step']} paint per step); peak {r['peak_mb']:.0f} MB "
            f"(window alone {r['baseline_mb']:.0f} MB)",
            flush=True,
        )
    csv_opens = []
    for i in range(max(1, args.repeat - 1)):
        r = run_child("open-csv", str(path))
        if "error" in r:
            print(f"open (CSV only) failed: {r['error']}", file=sys.stderr)
            return 1
        csv_opens.append(r)
        print(
            f"open #{i + 1} (the CSV alone, no sidecars): {r['open_s']:.2f} s to the drawn overview, "
            f"peak {r['peak_mb']:.0f} MB",
            flush=True,
        )

    floors = []
    for parser in ("polars", "pyarrow", "pandas", "numpy.loadtxt"):
        r = run_child("floor", str(path), parser)
        if "error" in r:
            print(f"floor: {parser} not available ({' '.join(r['error'])[:80]})", flush=True)
            continue
        floors.append(r)
        print(
            f"floor: {parser} reads the {size_mb:.0f} MB CSV in {r['seconds']:.2f} s ({r['rows']:,} rows, "
            "best of 3)",
            flush=True,
        )
    floor = min(floors, key=lambda r: r["seconds"]) if floors else None

    open_s = statistics.median(r["open_s"] for r in opens)
    csv_s = statistics.median(r["open_s"] for r in csv_opens)
    step = max(r["max_step_ms"] for r in opens)
    peak = max(r["peak_mb"] for r in opens + csv_opens)
    rows = opens[0]["rows"]
    print()
    print(f"rows {rows:,} ({size_mb:.0f} MB CSV), {CELLS} cells")
    print(
        f"open → drawn overview: {open_s:.2f} s with the recording's cache (goal < 2 s), "
        f"{csv_s:.2f} s from the CSV alone (medians of "
        f"{', '.join(f'{r["open_s"]:.2f}' for r in opens)} and "
        f"{', '.join(f'{r["open_s"]:.2f}' for r in csv_opens)})"
    )
    print(f"slowest pan/zoom step: {step:.0f} ms (goal < 50 ms)")
    print(f"peak memory: {peak:.0f} MB (goal < 500 MB)")
    if floor is not None:
        print(
            f"floor: {floor['parser']} {floor['seconds']:.2f} s; ours / floor = "
            f"{open_s / floor['seconds']:.2f} (with cache), {csv_s / floor['seconds']:.2f} (CSV alone)"
        )
    floor_s = floor["seconds"] if floor is not None else float("nan")
    print(
        f"logs: rows={rows} open_s={open_s:.3f} max_step_ms={step:.1f} peak_mb={peak:.0f} "
        f"floor_s={floor_s:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
