"""Start the desktop app: ``packbench`` / ``packbench --demo`` / ``--url``.

One asyncio loop (qasync) on the GUI thread.  Shutdown follows
shared/stack.md §1 and P3: Qt does not quit when the last window closes; we
await ``lastWindowClosed``, then the bridge closes the session and awaits
every task, and only then does ``main`` return (which stops the loop).
"""

from __future__ import annotations

import asyncio
import faulthandler
import logging
import logging.handlers
import os
import signal
import sys
import traceback
from pathlib import Path
from types import TracebackType

import qasync  # after PySide6, so qasync picks the right binding
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QStandardPaths, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from .. import diagnostics
from .about import Diagnostics, HelpMenu
from .bridge import SessionBridge
from .main_window import MainWindow
from .screenshots import save_tab_screenshots
from .serial_hint import maybe_show_serial_hint

log = logging.getLogger("packbench.ui")

I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"

_error_boxes: list[QMessageBox] = []
# the last log lines, for Help → Copy diagnostics and the error box (setup_logging adds it)
RECENT_LOG = diagnostics.RecentLog()
# the window's diagnostics (set by main): the error box offers to copy them
_diagnostics: Diagnostics | None = None
LOG_FILE: Path | None = None
_crash_file = None
# the id of the .desktop file (packaging/linux/): Wayland desktops match the window to it
DESKTOP_ID = "io.github.packbench.Packbench"
ICON = Path(__file__).resolve().parent.parent / "resources" / "packbench.svg"


def setup_logging() -> Path | None:
    """Log to a rotating file in the app's state folder (and stderr when there is one), and
    keep the last lines in memory for Copy diagnostics."""
    global LOG_FILE
    root = logging.getLogger()
    if RECENT_LOG not in root.handlers:
        root.addHandler(RECENT_LOG)
    if len(root.handlers) > 1:
        return None
    root.setLevel(logging.INFO)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    if sys.stderr is not None:
        h = logging.StreamHandler()
        h.setFormatter(fmt)
        h.setLevel(logging.WARNING)
        root.addHandler(h)
    path: Path | None = None
    try:
        base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
        if base:
            folder = Path(base) / "logs"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / "packbench.log"
            fh = logging.handlers.RotatingFileHandler(
                path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
            )
            fh.setFormatter(fmt)
            root.addHandler(fh)
            # a hard crash (inside Qt, a segfault) leaves its Python stack here: never a silent death
            global _crash_file
            _crash_file = open(folder / "crash.log", "a", encoding="utf-8")  # noqa: SIM115 - open for the run
            faulthandler.enable(_crash_file)
    except OSError:
        path = None
    LOG_FILE = path
    return path


def install_translators(app: QApplication) -> list[QTranslator]:
    """Packbench's own .qm for the system locale (if shipped), and Qt's for standard dialogs."""
    installed = []
    locale = QLocale()
    ours = QTranslator(app)
    if I18N_DIR.is_dir() and ours.load(locale, "packbench", "_", str(I18N_DIR)):
        app.installTranslator(ours)
        installed.append(ours)
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    return installed


def show_error_later(title: str, text: str, details: str = "") -> None:
    """A non-modal message box (no exec() inside a coroutine, stack.md P2)."""
    parent = QApplication.activeWindow()
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        title,
        text,
        QMessageBox.StandardButton.Close,
        parent if isinstance(parent, QWidget) else None,
    )
    if details:
        box.setDetailedText(details)
    diag = _diagnostics
    if diag is not None:  # what a workshop sends with its report (issue 20)
        copy = box.addButton(
            QCoreApplication.translate("App", "Copy diagnostics"), QMessageBox.ButtonRole.ActionRole
        )
        copy.clicked.connect(lambda _c=False: diag.copy(error=f"{text}\n\n{details}".strip()))
    _error_boxes.append(box)
    box.finished.connect(lambda _r, b=box: _error_boxes.remove(b) if b in _error_boxes else None)
    box.open()


def _excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    log.error("unhandled exception", exc_info=(exc_type, exc, tb))
    try:
        show_error_later(
            QCoreApplication.translate("App", "Packbench: unexpected error"),
            QCoreApplication.translate(
                "App",
                "Something went wrong inside Packbench: {error}\n"
                "The details are in the log file. The app keeps running.",
            ).format(error=exc),
            "".join(traceback.format_exception(exc_type, exc, tb)),
        )
    except Exception:  # noqa: BLE001 - the hook itself must never raise
        pass


def _loop_exception_handler(loop: asyncio.AbstractEventLoop, context: dict) -> None:
    exc = context.get("exception")
    if exc is None:
        log.error("asyncio: %s", context.get("message"))
        return
    if isinstance(exc, asyncio.CancelledError):
        return
    _excepthook(type(exc), exc, exc.__traceback__)


def _say(text: str) -> None:
    """One line on stdout, where there is one (a windowed Windows program has none)."""
    try:
        if sys.stdout is not None:
            print(text, flush=True)
    except (OSError, ValueError):
        pass  # nobody reads stdout any more: the screenshots are there all the same


async def _quit_later(window: MainWindow, seconds: float, shots: Path | None) -> None:
    """``--quit-after``: wait, save the screenshots (``--screenshot``), say the link's state, close."""
    await asyncio.sleep(seconds)
    try:
        if shots is not None:
            for path in await save_tab_screenshots(window, window.tabs, shots):
                _say(f"packbench: screenshot {path}")
        # the state word (not the translated status text), for scripts: "live" once the board answered
        _say(f"packbench: state at quit: {window.bridge.state}")
    finally:
        window.close()  # whatever failed: the program quits as asked (main reports the failure)


async def main(
    app: QApplication,
    url: str | None = None,
    logs: list[str] | None = None,
    *,
    screenshots: Path | None = None,
    quit_after: float | None = None,
) -> int:
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(_loop_exception_handler)
    app.setQuitOnLastWindowClosed(False)
    closed = asyncio.Event()
    app.lastWindowClosed.connect(closed.set)

    global _diagnostics
    bridge = SessionBridge()
    window = MainWindow(bridge)
    _diagnostics = Diagnostics(window, log_file=LOG_FILE, recent=RECENT_LOG)
    window.help_menu = HelpMenu(window, _diagnostics)
    window.show()
    if sys.platform.startswith("linux"):  # once: a user who may not open USB serial adapters
        window.serial_hint = maybe_show_serial_hint(window, window.settings)
    # Ctrl-C in the terminal closes the window the normal way
    signal.signal(signal.SIGINT, lambda *_: QTimer.singleShot(0, window.close))
    if url:
        window.connect_to(url)
    for path in logs or ():
        viewer = window.open_log(path)
        # `packbench view`: warnings (a cut-off last row …) also go to the terminal
        viewer.loaded.connect(
            lambda data, p=path: [
                print(f"packbench view: {Path(p).name}: {w}", file=sys.stderr) for w in data.warnings
            ]
        )
        viewer.failed.connect(lambda text: print(f"packbench view: {text}", file=sys.stderr))

    quitting = None
    if quit_after is not None:
        quitting = asyncio.create_task(_quit_later(window, quit_after, screenshots))

    await closed.wait()
    failed = None
    if quitting is not None:
        if not quitting.done():
            quitting.cancel()  # the window was closed first
        elif not quitting.cancelled():
            failed = quitting.exception()  # e.g. a screenshot that could not be written
    await window.close_logs()
    await bridge.shutdown()
    if failed is not None:
        if sys.stderr is not None:
            print(f"packbench: {failed}", file=sys.stderr)
        log.error("--quit-after: %s", failed)
        return 1
    return 0


def run_gui(
    url: str | None = None,
    logs: list[str] | None = None,
    *,
    screenshots: Path | None = None,
    quit_after: float | None = None,
) -> int:
    if sys.platform == "win32":
        try:
            from bleak.backends.winrt.util import allow_sta

            allow_sta()  # Qt's GUI thread is STA and qasync pumps messages (stack.md P5)
        except ImportError:
            pass
    # before anything uses QSettings or QStandardPaths
    QCoreApplication.setOrganizationName("Packbench")
    QCoreApplication.setApplicationName("Packbench")
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setDesktopFileName(DESKTOP_ID)
    if app.platformName() == "xcb":
        _on_x11_io_error()
    if ICON.is_file():
        app.setWindowIcon(QIcon(str(ICON)))
    setup_logging()
    sys.excepthook = _excepthook
    install_translators(app)
    # asyncio.run, except when Qt ends its loop under main (the display went away): then the
    # tasks left are not run again (Qt would only quit again), just dropped quietly
    runner = asyncio.Runner(loop_factory=qasync.QEventLoop)
    lost = None
    try:
        return runner.run(main(app, url, logs, screenshots=screenshots, quit_after=quit_after))
    except RuntimeError as exc:
        if LOOP_STOPPED not in str(exc):
            raise
        lost = exc
        runner.get_loop().set_exception_handler(
            lambda _loop, context: log.info("left behind: %s", context.get("message"))
        )
        return _display_lost(exc)
    finally:
        if lost is None:
            runner.close()


#: what asyncio says when Qt ended its event loop under ``main`` (stack.md P3)
LOOP_STOPPED = "Event loop stopped before Future completed"


_xio_handler = None  # the ctypes callback, kept alive for the life of the process


def _on_x11_io_error() -> None:
    """When Xlib (which Qt's X11 plugin uses beside xcb) finds the X server gone, it calls its
    I/O error handler and then exit(); ours says so in the same plain line first."""
    global _xio_handler
    try:
        import ctypes
        import ctypes.util

        name = ctypes.util.find_library("X11") or "libX11.so.6"
        xlib = ctypes.CDLL(name)
    except OSError:
        return

    def handler(_display: int) -> int:
        _display_lost(RuntimeError("Xlib: fatal I/O error (the X server went away)"))
        logging.shutdown()
        os._exit(1)

    _xio_handler = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)(handler)
    xlib.XSetIOErrorHandler(_xio_handler)


def _display_lost(exc: BaseException) -> int:
    """Qt quit its event loop by itself before ``main`` returned: its platform plugin lost the
    display (xcb: "The X11 connection broke … Did the X11 server die?", issue 22).  No loop is
    left to close the link in order; the operating system closes it when the process ends (a JBD
    board left in factory mode is taken out of it by the next connection).  One plain line."""
    log.info("the window lost its display: %s", exc)
    if sys.stderr is not None:
        try:
            print(
                "packbench: the window lost its display (the X server or the desktop session "
                "went away); Packbench stopped.",
                file=sys.stderr,
                flush=True,
            )
        except (OSError, ValueError):
            pass
    return 1
