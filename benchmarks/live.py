"""Live-streaming benchmark: a 32-cell board at 10 frames/s into the real window.

Run:  make bench-live        (or: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/live.py)

A `packbench simulate` process serves a simulated JK02_32S board over TCP on
127.0.0.1 (a real transport, in its own process so its CPU is not counted);
the real MainWindow connects to it through the Connection page's URL and
streams for --seconds.  Reported: live frames the simulator sent vs the
snapshots the session received, the longest event-loop stall (an asyncio
task asks to wake every 10 ms and records how late it was), and the CPU this
process used per second of streaming (GUI thread + serial reader thread).

Goals (issue "Foundation"): no frame lost, longest stall < 50 ms, < 15 % of
one core.  The last line is machine-readable:
    live: sent=N received=N max_stall_ms=X cpu_pct=Y
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import qasync  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.ui.bridge import SessionBridge  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402


async def stall_probe(stop: asyncio.Event, out: list[float]) -> None:
    loop = asyncio.get_running_loop()
    period = 0.010
    while not stop.is_set():
        t = loop.time()
        await asyncio.sleep(period)
        out.append(max(0.0, loop.time() - t - period))


async def run(args: argparse.Namespace) -> int:
    sim = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app",
            "simulate",
            "--protocol",
            "jk02_32s",
            "--cells",
            str(args.cells),
            "--interval",
            str(1.0 / args.rate),
            "--listen",
            "127.0.0.1:0",
            "--seed",
            "1",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = sim.stdout.readline()
        m = re.match(r"listening on ([\d.]+):(\d+)", line)
        if not m:
            print(f"simulator did not start: {line!r} {sim.stderr.read()}", file=sys.stderr)
            return 2
        url = f"socket://{m.group(1)}:{m.group(2)}"
        settings = QSettings(os.path.join(tempfile.mkdtemp(), "bench.ini"), QSettings.Format.IniFormat)
        bridge = SessionBridge()
        window = MainWindow(bridge, settings)
        window.resize(1280, 800)
        window.show()
        bridge.connect_device(url)
        t_wait = time.monotonic()
        while bridge.state != "live":
            await asyncio.sleep(0.05)
            if time.monotonic() - t_wait > 15:
                print("the window did not go live", file=sys.stderr)
                return 2
        await asyncio.sleep(1.0)  # settle: first paint, plots allocated
        stalls: list[float] = []
        stop = asyncio.Event()
        probe = asyncio.ensure_future(stall_probe(stop, stalls))
        cpu0, wall0 = time.process_time(), time.monotonic()
        await asyncio.sleep(args.seconds)
        cpu1, wall1 = time.process_time(), time.monotonic()
        stop.set()
        await probe
        sim.terminate()
        _, err = sim.communicate(timeout=10)
        await asyncio.sleep(0.5)  # let frames in flight arrive
        session = bridge.session
        received = session.snapshots_received if session else 0
        m2 = re.search(r"sent (\d+) live frames", err)
        sent = int(m2.group(1)) if m2 else -1
        await bridge.shutdown()
        window.close()
        max_stall_ms = max(stalls) * 1000 if stalls else 0.0
        cpu_pct = (cpu1 - cpu0) / (wall1 - wall0) * 100
        print(
            f"streamed {args.seconds:.0f} s of a {args.cells}-cell board at {args.rate:g} frames/s over {url}"
        )
        print(f"frames: sent {sent}, received {received}, lost {max(0, sent - received)}")
        print(f"event loop: longest stall {max_stall_ms:.1f} ms (goal < 50 ms)")
        print(f"cpu: {cpu_pct:.1f} % of one core (goal < 15 %)")
        print(f"live: sent={sent} received={received} max_stall_ms={max_stall_ms:.1f} cpu_pct={cpu_pct:.1f}")
        return 0
    finally:
        if sim.poll() is None:
            sim.kill()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=30.0)
    p.add_argument("--cells", type=int, default=32)
    p.add_argument("--rate", type=float, default=10.0, help="live frames per second")
    args = p.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)
    return asyncio.run(run(args), loop_factory=qasync.QEventLoop)


if __name__ == "__main__":
    sys.exit(main())
