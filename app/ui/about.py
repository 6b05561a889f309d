"""Help → About Packbench and Help → Copy diagnostics (issue 20).

About: the version, the licence, the versions and licences of Qt/PySide6, bleak, pyserial and
the other parts, and where logs, backups and the third-party notices are.  Copy diagnostics:
app/diagnostics.py's report (no secrets) to the clipboard and into a file next to the logs, so
a workshop can send it.  The menu is added to the main window by ui/app.py.
"""

from __future__ import annotations

import html
import time
from pathlib import Path

from PySide6.QtCore import QObject, Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMainWindow, QVBoxLayout, QWidget

from .. import __version__, diagnostics
from ..services.settings_files import backup_dir


class Diagnostics(QObject):
    """Collects the report for one window: the session's URL and state come from its bridge."""

    def __init__(
        self,
        window: QMainWindow,
        *,
        log_file: Path | None = None,
        recent: diagnostics.RecentLog | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.log_file = log_file
        self.recent = recent

    def text(self, error: str | None = None) -> str:
        bridge = getattr(self.window, "bridge", None)
        session = getattr(bridge, "session", None)
        return diagnostics.report(
            qt_version=qVersion(),
            url=getattr(session, "description", None),
            state=getattr(bridge, "state", "?"),
            log_file=self.log_file,
            backups=backup_dir(),
            log_lines=self.recent.lines if self.recent is not None else (),
            error=error,
        )

    def copy(self, error: str | None = None) -> Path | None:
        """The report to the clipboard and to a file beside the log (None if it cannot be written)."""
        text = self.text(error)
        QGuiApplication.clipboard().setText(text)
        if self.log_file is None:
            return None
        path = self.log_file.parent / time.strftime("diagnostics-%Y%m%d-%H%M%S.txt")
        try:
            path.write_text(text, encoding="utf-8")
        except OSError:
            return None
        return path


class AboutDialog(QDialog):
    def __init__(self, diag: Diagnostics, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Packbench"))
        rows = "".join(
            f"<tr><td>{html.escape(name)}</td><td>{html.escape(version)}</td><td>{html.escape(lic)}</td></tr>"
            for name, version, lic in diagnostics.component_versions()
        )
        notices = diagnostics.notices_file()
        heading = self.tr("Packbench {version}").format(version=__version__)
        licence = self.tr("Free software under the MIT licence.")
        built = self.tr("Built with Qt {qt}:").format(qt=qVersion())
        where = [
            (self.tr("Logs"), str(diag.log_file.parent) if diag.log_file else "—"),
            (self.tr("Backups"), str(backup_dir())),
            (self.tr("Third-party notices"), str(notices) if notices else "THIRD-PARTY-NOTICES.txt"),
        ]
        places = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>" for k, v in where)
        self.label = QLabel(
            f"<h3>{html.escape(heading)}</h3><p>{html.escape(licence)}</p>"
            f"<p>{html.escape(built)}</p><table cellspacing=4>{rows}</table>"
            f"<p><table cellspacing=4>{places}</table></p>"
        )
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(buttons)


class HelpMenu(QObject):
    """Help: About Packbench, Copy diagnostics."""

    def __init__(self, window: QMainWindow, diag: Diagnostics) -> None:
        super().__init__(window)
        self.window, self.diagnostics = window, diag
        self.dialog: AboutDialog | None = None
        menu = window.menuBar().addMenu(self.tr("&Help"))
        self.copy_action = menu.addAction(self.tr("Copy &diagnostics"), self.copy_diagnostics)
        self.copy_action.setToolTip(
            self.tr("Versions, system, device (without passwords) and the last log lines, for a bug report")
        )
        menu.addSeparator()
        self.about_action = menu.addAction(self.tr("&About Packbench"), self.show_about)

    def copy_diagnostics(self) -> None:
        path = self.diagnostics.copy()
        if path is not None:
            text = self.tr("Diagnostics copied to the clipboard and saved to {path}").format(path=path)
        else:
            text = self.tr("Diagnostics copied to the clipboard")
        self.window.statusBar().showMessage(text, 15_000)

    def show_about(self) -> None:
        if self.dialog is None:
            self.dialog = AboutDialog(self.diagnostics, self.window)
        self.dialog.open()  # non-modal (shared/stack.md P2)
