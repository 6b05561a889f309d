"""What every test file shares: the environment, the CLI in-process, and the GUI fixtures.

The environment defaults below apply to every test (offscreen Qt; the short
intervals of app/timing.py's TEST profile).  ``run_cli`` runs ``packbench``
in-process.  The GUI fixtures run for tests that ask for them: ``qloop``, and
on it ``window`` (the main window), ``loop_errors`` and ``keyring_fake``.  Style A
of shared/stack.md §5: ONE session-scoped ``qasync.QEventLoop(qapp,
already_running=True)``, driven by qtbot's waits, never ``loop.stop()``.

One addition, so that GUI tests and plain ``asyncio.run`` tests can share a
pytest process whatever order they run in (P9): the qasync loop is marked as
*the running loop* only while a test that uses ``qloop`` runs.  Outside such
a test no loop is marked running, and ``asyncio.run`` works as usual.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import tempfile
import time
from pathlib import Path

# before any Qt import (pytest-qt creates the QApplication lazily)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# the test suite's intervals and timeouts (app/timing.py TEST: short polls, streams, ticks and
# timeouts), in-process and in every `packbench` subprocess, which inherits the environment
os.environ.setdefault("PACKBENCH_TEST_TIMING", "1")
# backups and other data files of every test go to a temporary folder, never to the user's
# (settings_files.data_dir), even when the shell names one; inherited by CLI subprocesses;
# one folder per test process (pytest-xdist workers too).  A test may still choose its own.
_DATA_DIR = tempfile.mkdtemp(prefix="packbench-test-data-")
atexit.register(shutil.rmtree, _DATA_DIR, ignore_errors=True)
os.environ["PACKBENCH_DATA_DIR"] = _DATA_DIR

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


@pytest.fixture
def loop_errors(qloop):
    """Exceptions that reached the loop's handler (an unretrieved task error, …)."""
    errors: list[dict] = []
    old = qloop.get_exception_handler()
    qloop.set_exception_handler(lambda _loop, ctx: errors.append(ctx))
    yield errors
    qloop.set_exception_handler(old)


@pytest.fixture
def keyring_fake(monkeypatch):
    """The OS keychain replaced by a dict (which it returns)."""
    from app.services import keychain

    store: dict[str, str] = {}
    monkeypatch.setattr(keychain, "available", lambda: True)
    monkeypatch.setattr(keychain, "remember", lambda device, pw: store.__setitem__(device, pw))
    monkeypatch.setattr(keychain, "recall", lambda device: store.get(device))
    monkeypatch.setattr(keychain, "forget", lambda device: store.pop(device, None))
    return store


@pytest.fixture
def window(qtbot, qloop, tmp_path, monkeypatch):
    """The main window, shown offscreen: its settings in tmp_path/packbench.ini, backups in
    tmp_path/data.  Closed as a person closes it: open dialogs first, then the logs, then
    the session, while every page still exists (pytest-qt closes the window before the
    fixtures' teardown).  The password never reaches the settings file."""
    from boards import run_on_loop
    from PySide6.QtCore import QSettings

    from app.ui.bridge import SessionBridge
    from app.ui.main_window import MainWindow

    monkeypatch.setenv("PACKBENCH_DATA_DIR", str(tmp_path / "data"))
    settings = QSettings(str(tmp_path / "packbench.ini"), QSettings.Format.IniFormat)
    win = MainWindow(SessionBridge(), settings)

    def before_close(w: MainWindow) -> None:
        for page in (w.control_page, w.parameters_page):
            if page.dialog is not None:
                page.dialog.done(0)
        run_on_loop(qtbot, w.close_logs())
        run_on_loop(qtbot, w.bridge.shutdown())

    qtbot.addWidget(win, before_close_func=before_close)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    settings.sync()
    ini = Path(settings.fileName())
    assert not ini.exists() or "123456" not in ini.read_text(encoding="utf-8")


@pytest.fixture
def registry_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A pack registry of the test's own (services/packlog.py), no operator from the environment."""
    from app.services import packlog

    path = tmp_path / "packs.sqlite3"
    monkeypatch.setenv(packlog.ENV, str(path))
    monkeypatch.delenv("PACKBENCH_OPERATOR", raising=False)
    packlog.reset()
    yield path
    packlog.reset()
