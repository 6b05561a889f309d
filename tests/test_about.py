"""Help → About and Help → Copy diagnostics, and the error box's Copy diagnostics (issue 20).

Expected values come from the libraries themselves (PySide6.__version__, serial.VERSION,
qVersion()), from app/__init__.py's version and LICENSE, and from the URL the test typed.
"""

from __future__ import annotations

import logging
import sys

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication

from app import __version__
from app.diagnostics import LOG_LINES, RecentLog, component_versions
from app.ui.about import Diagnostics, HelpMenu

pytestmark = pytest.mark.gui

#: a simulated JBD board with a password (six digits, jbd_daly.md §3.1) in its URL
URL = "sim://jbd?cells=13&password=739146"


@pytest.fixture
def help_menu(window, tmp_path):
    recent = RecentLog()
    logger = logging.getLogger("packbench.test-about")
    logger.addHandler(recent)
    logger.setLevel(logging.INFO)
    log_file = tmp_path / "logs" / "packbench.log"
    log_file.parent.mkdir()
    menu = HelpMenu(window, Diagnostics(window, log_file=log_file, recent=recent))
    yield menu, logger
    logger.removeHandler(recent)


def test_copy_diagnostics_has_versions_device_without_password_and_the_last_log_lines(
    qtbot, window, help_menu, tmp_path
):
    menu, logger = help_menu
    window.connect_to(URL)
    qtbot.waitUntil(lambda: window.bridge.state == "live", timeout=10_000)
    for i in range(LOG_LINES + 50):
        logger.info("line %d", i)
    logger.info("connected to sim://jbd?cells=13&password=739146")  # a URL logged as typed

    menu.copy_action.trigger()
    text = QGuiApplication.clipboard().text()
    assert text.startswith(f"Packbench {__version__}\n")
    assert f"Qt: {qVersion()}" in text
    assert f"Python: {sys.version.split()[0]}" in text
    assert "Device: sim://jbd?cells=13" in text and "State: live" in text
    assert "739146" not in text  # not from the session's URL, not from a log line
    assert "line 249" in text and " line 51\n" in text and " line 50\n" not in text  # the last 200
    saved = sorted((tmp_path / "logs").glob("diagnostics-*.txt"))
    assert len(saved) == 1 and saved[0].read_text(encoding="utf-8") == text
    assert str(saved[0]) in window.statusBar().currentMessage()


def test_about_names_versions_licences_and_where_files_are(qtbot, window, help_menu, tmp_path):
    import PySide6
    import serial

    menu, _logger = help_menu
    menu.about_action.trigger()
    dialog = menu.dialog
    qtbot.waitUntil(dialog.isVisible)
    text = dialog.label.text()
    assert f"Packbench {__version__}" in text and "MIT" in text
    assert PySide6.__version__ in text and "LGPL-3.0" in text
    assert serial.VERSION in text and "BSD-3-Clause" in text
    assert "bleak" in text
    assert all(lic not in ("", "?") for _n, _v, lic in component_versions()), component_versions()
    assert str(tmp_path / "logs") in text  # the log folder
    assert str(tmp_path / "data" / "backups") in text  # PACKBENCH_DATA_DIR (the window fixture)
    dialog.reject()


def test_the_error_box_offers_copy_diagnostics_with_the_error(qtbot, window, help_menu, monkeypatch):
    from app.ui import app as gui_app

    menu, _logger = help_menu
    monkeypatch.setattr(gui_app, "_diagnostics", menu.diagnostics)
    try:
        raise RuntimeError("a bug in a slot")
    except RuntimeError as exc:
        gui_app._excepthook(type(exc), exc, exc.__traceback__)
    box = gui_app._error_boxes[-1]
    try:
        # ("Show Details…" is an action button too)
        copy = next(b for b in box.buttons() if b.text() == "Copy diagnostics")
        copy.click()
        text = QGuiApplication.clipboard().text()
        assert text.startswith(f"Packbench {__version__}\n")
        assert "a bug in a slot" in text and "RuntimeError" in text  # the message and the traceback
    finally:
        box.done(0)
