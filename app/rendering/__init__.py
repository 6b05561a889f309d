"""Printed output drawn with Qt's own painting (QtGui: QPdfWriter, QTextDocument,
QPainter on a QImage), shared by the CLI and the window.

Why a package of its own: the report's *content* is data and lives in services/
(services/commissioning.py builds it and the registry keeps it), which import no
Qt; the *drawing* needs QtGui but no widget and no window, so it does not belong in
ui/ either, which the CLI must not depend on.  QPdfWriter and font metrics need a
QGuiApplication: ``ensure_app`` makes one (offscreen, so no display is needed) when
the CLI runs without one, and reuses the window's when there is one.
"""

from __future__ import annotations

from typing import Any


def ensure_app() -> Any:
    """The running QGuiApplication, or a new offscreen one.

    A QApplication (a QGuiApplication with widgets) is made rather than a bare
    QGuiApplication: a process that later shows a widget (the test suite, a GUI started
    from the same process) needs one, and only one application object can ever exist."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        from PySide6.QtWidgets import QApplication

        app = QApplication(["packbench", "-platform", "offscreen"])
    return app
