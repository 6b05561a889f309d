"""Batch benchmark: a job of simulated JK02_32S and JBD packs behind TCP, one after another.

Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/batch.py [--jk 20] [--jbd 20]
      [--latency-ms 50] [--rest-s 0]

A helper process (this script with --serve) serves every simulated board on 127.0.0.1,
each on its own port, and answers every request only after --latency-ms (a network
serial bridge or a BLE link: tens of milliseconds per exchange), so the board's I/O
takes the time it takes on a bench.  The boards are 100 Ah packs and the job's profile
is LiFePO4, 16 cells, 40 Ah: each pack gets its capacity and balance trigger written
(and, on JBD, its device name), then is commissioned.  ``packbench batch`` runs in this
process with the real boards' intervals (app/timing.py REAL: JK streams every 0.5 s,
JBD is polled every 1 s); the cell spread is judged on MIN_SAMPLES snapshots at rest
(--rest-s 0: no extra minimum rest).

Reported per pack by the batch itself (its summary CSV): the time awaiting the board,
the time waiting for snapshots at rest, and everything else (Packbench's own work: the
overhead).  Goal (issue 19): everything else under 10 % of a pack's time.  Last line:
    batch: packs=N ok=N s_per_pack=X overhead_pct=Y
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SECRET = "Zq93xwKp"  # the JK boards' setup password (not the factory one: no alarm)


class Slow:
    """A simulator whose every answer waits ``latency_s`` (the server reads and resets
    ``reply_delay_s`` after each request: it always reads the latency here)."""

    def __init__(self, sim: Any, latency_s: float) -> None:
        object.__setattr__(self, "_sim", sim)
        object.__setattr__(self, "_latency_s", latency_s)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sim, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name != "reply_delay_s":
            setattr(self._sim, name, value)

    @property
    def reply_delay_s(self) -> float:
        return max(self._latency_s, self._sim.reply_delay_s)


async def serve(n_jk: int, n_jbd: int, latency_s: float) -> None:
    from app.simulator import create_simulator
    from app.simulator.server import SimulatorServer

    urls, servers = [], []
    common = {"cells": 16, "capacity": "100", "current": "0"}
    for i in range(n_jk + n_jbd):
        if i < n_jk:
            sim = create_simulator("jk02_32s", seed=100 + i, password=SECRET, **common)
        else:
            sim = create_simulator("jbd", seed=100 + i, **common)
            sim.texts[0xA2] = f"BENCH-JBD-{i - n_jk:02d}"  # its serial number (barcode)
        server = SimulatorServer(Slow(sim, latency_s), tick_s=0.1)
        _host, port = await server.start()
        servers.append(server)
        urls.append(f"socket://127.0.0.1:{port}?protocol={sim.protocol_id}")
    print(json.dumps(urls), flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # until stdin closes
    for server in servers:
        await server.stop()


JOB = """
job = "BENCH-19"
operator = "bench"
[profile]
preset = "lifepo4"
cells = 16
capacity_ah = 40
[naming]
pattern = "PACK-{n:03}"
[board_password]
policy = "keep"
current = { jk = "SECRET" }
[sealing]
rest_s = REST
"""


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--jk", type=int, default=20)
    p.add_argument("--jbd", type=int, default=20)
    p.add_argument("--latency-ms", type=float, default=50.0)
    p.add_argument("--rest-s", type=float, default=0.0)
    p.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.serve:
        asyncio.run(serve(args.jk, args.jbd, args.latency_ms / 1000))
        return 0
    with tempfile.TemporaryDirectory(prefix="packbench-bench-batch-") as tmp:
        folder = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k != "PACKBENCH_TEST_TIMING"}
        os.environ.pop("PACKBENCH_TEST_TIMING", None)  # the real boards' intervals
        os.environ["PACKBENCH_REGISTRY"] = str(folder / "packs.sqlite3")
        os.environ["PACKBENCH_DATA_DIR"] = str(folder / "data")
        helper = subprocess.Popen(
            [sys.executable, __file__, "--serve", "--jk", str(args.jk), "--jbd", str(args.jbd)]
            + ["--latency-ms", str(args.latency_ms)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        try:
            urls = json.loads(helper.stdout.readline())
            job = folder / "job.toml"
            job.write_text(JOB.replace("SECRET", SECRET).replace("REST", repr(args.rest_s)), "utf-8")
            from app.cli import main as cli

            argv = ["batch", "--job", str(job), "--out", str(folder / "out")]
            for url in urls:
                argv += ["--url", url]
            t0 = time.monotonic()
            rc = cli(argv)
            wall = time.monotonic() - t0
        finally:
            helper.stdin.close()
            helper.wait(10)
        with (folder / "out" / "BENCH-19_summary.csv").open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    total = sum(float(r["time_s"]) for r in rows)
    board = sum(float(r["board_s"]) for r in rows)
    rest = sum(float(r["rest_s"]) for r in rows)
    ok = sum(r["result"] == "passed" for r in rows)
    other = max(0.0, total - board - rest)
    print(
        f"exit {rc}; wall {wall:.1f} s; per pack: board {board / len(rows):.2f} s, rest "
        f"{rest / len(rows):.2f} s, other {other / len(rows):.2f} s; "
        f"frames sent {sum(int(r['frames_sent']) for r in rows)}"
    )
    print(
        f"batch: packs={len(rows)} ok={ok} s_per_pack={total / len(rows):.2f} "
        f"overhead_pct={100 * other / total:.1f}"
    )
    return 0 if ok == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
