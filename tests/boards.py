"""Test helpers shared by several test files."""

from __future__ import annotations

import os
import queue
import re
import select
import signal
import subprocess
import sys
import threading
import time
import tty
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: the environment `python -m app` runs in (the checkout's own app package)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


class PtyBoard:
    """A simulator behind the master end of a pty pair, opened like /dev/ttyUSB0.

    ``sim`` is anything with receive(bytes) and step(dt) returning byte chunks.
    """

    def __init__(self, sim: Any) -> None:
        self.sim = sim
        self.master, self.slave = os.openpty()
        tty.setraw(self.master)
        self.path = os.ttyname(self.slave)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pty-board", daemon=True)

    def __enter__(self) -> "PtyBoard":
        self._thread.start()
        return self

    def _write(self, chunks: list[bytes]) -> None:
        for chunk in chunks:
            try:
                os.write(self.master, chunk)
            except OSError:
                return

    def _run(self) -> None:
        last = time.monotonic()
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    data = os.read(self.master, 4096)
                except OSError:
                    data = b""
                if data:
                    self._write(self.sim.receive(data))
            now = time.monotonic()
            self._write(self.sim.step(now - last))
            last = now

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(2)
        os.close(self.master)
        os.close(self.slave)


def packbench(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env=ENV)


class Simulate:
    """``packbench simulate`` in a subprocess, its narration collected line by line."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "app", "simulate", *args, "--listen", "127.0.0.1:0"], cwd=ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
        first = self.proc.stdout.readline()
        m = re.fullmatch(r"listening on 127\.0\.0\.1:(\d+)\n", first)
        assert m, f"unexpected first line {first!r}"
        self.port = int(m.group(1))
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def url(self, protocol: str) -> str:
        return f"socket://127.0.0.1:{self.port}?protocol={protocol}"

    def wait_for(self, line: str, timeout: float = 10.0) -> list[str]:
        """Every narration line up to and including ``line`` (seen from now on)."""
        got: list[str] = []
        while True:
            try:
                got.append(self.lines.get(timeout=timeout))
            except queue.Empty:
                raise AssertionError(f"the board never said {line!r}; it said {got}") from None
            self.seen.append(got[-1])
            if got[-1] == line:
                return got

    def stop(self) -> tuple[int, str]:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        err = self.proc.stderr.read()
        self.proc.stdout.close()
        self.proc.stderr.close()
        return self.proc.returncode, err

    def __enter__(self) -> "Simulate":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.stop()
