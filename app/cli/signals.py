"""Ctrl-C and SIGTERM for the commands that write to a board (``settings apply``, ``control``).

A signal cancels the command's task instead of killing the process: the write
transaction catches the cancellation, leaves the board's write mode without
saving, reads back what the board holds and returns its report, which the
command prints before it exits non-zero (services/writer.py).  A second signal
cancels the clean-up too; the session still leaves the write mode on close.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from typing import Any

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class CancelOnSignal:
    """While active, each SIGINT/SIGTERM cancels the task that entered it.

    ``received``: the first signal's name ("SIGINT"), or None.  Where the platform
    has no loop signal handlers (Windows), Ctrl-C still reaches the task through
    ``asyncio.run``'s own handler, which cancels the main task the same way.
    """

    def __init__(self) -> None:
        self.received: str | None = None
        self._installed: list[signal.Signals] = []
        self._loop: asyncio.AbstractEventLoop | None = None

    def __enter__(self) -> CancelOnSignal:
        self._loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        for sig in SIGNALS:
            try:
                self._loop.add_signal_handler(sig, self._on_signal, sig, task)
            except (NotImplementedError, RuntimeError, ValueError):
                continue
            self._installed.append(sig)
        return self

    def _on_signal(self, sig: signal.Signals, task: asyncio.Task | None) -> None:
        self.received = self.received or sig.name
        if task is not None and not task.done():
            task.cancel()

    def __exit__(self, *exc: object) -> None:
        for sig in self._installed:
            if self._loop is not None:
                self._loop.remove_signal_handler(sig)
        self._installed.clear()

    def ask(self, ask: Callable[[], str]) -> str | None:
        """Run a blocking prompt (``input``, ``getpass``) with Ctrl-C working as usual
        (the loop's handlers cannot run while it blocks); None when it was interrupted."""
        task = asyncio.current_task()
        installed = list(self._installed)
        self.__exit__()
        previous = signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            return ask()
        except (KeyboardInterrupt, EOFError):
            return None
        finally:
            signal.signal(signal.SIGINT, previous)
            for sig in installed:
                if self._loop is not None:
                    self._loop.add_signal_handler(sig, self._on_signal, sig, task)
                    self._installed.append(sig)


async def run_interruptible(body: Callable[[CancelOnSignal], Any], on_interrupt: Callable[[str], int]) -> int:
    """``await body(signals)`` with Ctrl-C/SIGTERM cancelling it; a cancellation that
    escapes ``body`` (before any write, or a second signal) becomes
    ``on_interrupt(signal name)``, the command's exit status."""
    with CancelOnSignal() as signals:
        try:
            return await body(signals)
        except asyncio.CancelledError:
            if signals.received is None:
                raise  # not ours: someone else cancels this task
            task = asyncio.current_task()
            if task is not None:
                task.uncancel()
            return on_interrupt(signals.received)
