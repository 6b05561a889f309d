"""GUI test support (opt-in): offscreen Qt and one qasync loop for the GUI tests.

Only the environment default below applies to every test; the fixtures run
for tests that ask for ``qloop`` (tests/test_gui.py).  Style A of
shared/stack.md §5: ONE session-scoped ``qasync.QEventLoop(qapp,
already_running=True)``, driven by qtbot's waits, never ``loop.stop()``.

One addition, so that GUI tests and plain ``asyncio.run`` tests can share a
pytest process whatever order they run in (P9): the qasync loop is marked as
*the running loop* only while a test that uses ``qloop`` runs.  Outside such
a test no loop is marked running, and ``asyncio.run`` works as usual.
"""

from __future__ import annotations

import asyncio
import os
import time

# before any Qt import (pytest-qt creates the QApplication lazily)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# the test suite's intervals and timeouts (app/timing.py TEST: short polls, streams, ticks and
# timeouts), in-process and in every `packbench` subprocess, which inherits the environment
os.environ.setdefault("PACKBENCH_TEST_TIMING", "1")

import pytest  # noqa: E402


@pytest.fixture
def real_timing(monkeypatch):
    """The intervals of real boards (app/timing.py REAL) for a test about those defaults."""
    from app import timing

    monkeypatch.delenv(timing.ENV, raising=False)
    return timing.REAL


@pytest.fixture
def run_cli(capsys):
    """``run_cli("read", "--url", url, "--count", "1")``: packbench in-process
    (tests/boards.py ``run_main``), its result read like a subprocess's."""
    from boards import run_main

    return lambda *args, **kw: run_main(capsys, *args, **kw)


def _release(loop) -> None:
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)


@pytest.fixture(scope="session")
def _session_qloop(qapp):
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=True)  # marks itself running
    executor = qasync.QThreadExecutor()  # asyncio.to_thread (pyserial) runs here
    loop.set_default_executor(executor)
    _release(loop)
    yield loop  # do NOT loop.stop(): QApplication.exit() outside exec() breaks later waits
    executor.shutdown(wait=True)  # no "QThread: Destroyed while thread is still running"


@pytest.fixture
def qloop(_session_qloop, qapp):
    loop = _session_qloop
    asyncio.events._set_running_loop(loop)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for t in pending:
            t.cancel()
        deadline = time.monotonic() + 2.0
        while any(not t.done() for t in pending) and time.monotonic() < deadline:
            qapp.processEvents()
            time.sleep(0.001)
        qapp.processEvents()
        _release(loop)
