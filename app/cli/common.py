"""What the sub-commands share: exit codes, Ctrl-C/SIGTERM as an event, a closed stdout."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

#: exit codes of the safety net in ``main`` (sysexits.h EX_SOFTWARE; 128 + SIGINT)
EXIT_INTERNAL, EXIT_INTERRUPTED = 70, 130


def stop_on_signals() -> asyncio.Event:
    """An event set by Ctrl-C or SIGTERM (where the platform allows signal handlers)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
    return stop


def quiet_stdout() -> None:
    """stdout's reader is gone: send what Python still flushes at exit to /dev/null,
    so no "Exception ignored … BrokenPipeError" appears (Python's signal docs)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
