"""Test helpers shared by several test files."""

from __future__ import annotations

import os
import select
import threading
import time
import tty
from typing import Any


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
