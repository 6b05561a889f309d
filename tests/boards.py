"""Test helpers shared by several test files."""

from __future__ import annotations

import io
import logging
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
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parents[1]
#: the environment `python -m app` runs in (the checkout's own app package)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def run_on_loop(qtbot: Any, coro: Any, timeout: int = 10_000) -> Any:
    """Await ``coro`` on the qasync loop while Qt keeps running (GUI tests); its result.
    ``timeout`` in ms is only reached when something hangs."""
    import asyncio

    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


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

    def __enter__(self) -> PtyBoard:
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


class Ran(NamedTuple):
    """A finished in-process ``packbench`` run, read like a subprocess.CompletedProcess."""

    returncode: Any  # an int; argparse's own exits may carry other SystemExit codes
    stdout: str
    stderr: str


class _StderrLikeAProcess(logging.Handler):
    """What Python's last-resort handler shows on a CLI process's stderr: the message of
    every WARNING and above (the CLI configures no logging).  Records of the test's own
    simulator threads are not the command's."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        if record.threadName.startswith(("sim-server", "pty-board")):
            return
        try:
            sys.stderr.write(record.getMessage() + "\n")
        except Exception:  # noqa: BLE001 - as logging's own handlers do
            self.handleError(record)


class Hung(BaseException):
    """An in-process run outlived its timeout (not an Exception: main's safety net lets it by)."""


def _hung(_signum: int, _frame: Any) -> None:
    raise Hung("packbench did not finish in time")


def run_main(capture: Any, *args: str, stdin: str | bytes | None = None, timeout: float = 60) -> Ran:
    """``packbench ARGS`` in-process through ``app.cli.main``: no interpreter to start.

    ``capture`` is pytest's ``capsys`` (or ``capfd``); stdout and stderr hold what this
    run printed, warnings logged included (as a process would show them); ``stdin``
    replaces standard input for the run.  The exit code is main's return value (or
    argparse's SystemExit code).  A run longer than ``timeout`` raises Hung, as
    subprocess.run's timeout would."""
    from app import cli

    capture.readouterr()  # what was printed before is not this run's
    saved_stdin = sys.stdin
    if stdin is not None:
        data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    handler = _StderrLikeAProcess()
    logging.getLogger().addHandler(handler)
    watchdog = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if watchdog:
        saved_alarm = signal.signal(signal.SIGALRM, _hung)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        rc = cli.main(list(args))
    except SystemExit as exc:  # argparse's usage errors, --help
        rc = exc.code
    finally:
        if watchdog:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, saved_alarm)
        logging.getLogger().removeHandler(handler)
        sys.stdin = saved_stdin
    out, err = capture.readouterr()
    return Ran(rc, out, err)


class Simulate:
    """``packbench simulate`` in a subprocess, its narration collected line by line."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "app", "simulate", *args, "--listen", "127.0.0.1:0"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=ENV,
        )
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

    def __enter__(self) -> Simulate:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.stop()
