"""The main window: the pages in tabs (plus opened logs) and a status bar that always says, in
plain words, what the link to the board is doing.

The status bar's words fit the window: when the whole text is too long (a 1024 px screen, a
long Bluetooth URL, a forced protocol's reason), the device URL is shortened in the middle
first, then the end of the text; the state, the board and its protocol stay, and the
tooltip has the whole text."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QSizePolicy,
    QTabBar,
    QTabWidget,
    QToolButton,
    QWidget,
)
from shiboken6 import isValid

from .bridge import SessionBridge
from .connection_page import ConnectionPage
from .control import ControlPage
from .health_page import HealthPage
from .history_view import HistoryView
from .jobs_panel import JobsDialog
from .live_page import LivePage
from .log_viewer import LogViewer
from .packs_window import PacksDialog
from .parameters_page import ParametersPage
from .recording import load_recent_logs, remember_recent_log
from .theme import AMBER, BLUE, GREEN, GREY, RED
from .widgets import StatusDot, sentence

STATE_COLOURS = {
    "disconnected": GREY,
    "connecting": AMBER,
    "identifying": AMBER,
    "live": GREEN,
    "reconnecting": RED,
    "writing": BLUE,
}


class MainWindow(QMainWindow):
    def __init__(
        self, bridge: SessionBridge, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.settings = settings if settings is not None else QSettings()
        self.setWindowTitle(self.tr("Packbench"))
        self.resize(1280, 800)
        self.setMinimumSize(960, 640)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.connection_page = ConnectionPage(bridge, self.settings)
        self.live_page = LivePage(bridge, settings=self.settings)
        self.parameters_page = ParametersPage(bridge)
        # one password gate and memory for the whole window: the back-off after wrong
        # passwords holds across tabs, and a password typed once is offered again
        self.control_page = ControlPage(
            bridge, gate=self.parameters_page.gate, memory=self.parameters_page.passwords
        )
        self.history_view = HistoryView(bridge)
        # a family's workshop diagnosis (Family.health): shown only for boards that have one
        self.health_page = HealthPage(bridge, record_bar=self.live_page.record_bar)
        self.tabs.addTab(self.connection_page, self.tr("Connection"))
        self.tabs.addTab(self.live_page, self.tr("Live cells"))
        self.tabs.addTab(self.health_page, self.tr("Pack health"))
        self.tabs.addTab(self.parameters_page, self.tr("Parameters"))
        self.tabs.addTab(self.control_page, self.tr("Control"))
        self.tabs.addTab(self.history_view, self.tr("History"))
        self.setCentralWidget(self.tabs)
        self._build_file_menu()

        self._state, self._detail = "disconnected", ""
        self.status_dot = StatusDot()
        self.status_label = QLabel()
        # never wider than the window (it fits its text to the width it gets: _fit_status)
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status_label.installEventFilter(self)
        bar = self.statusBar()
        bar.setSizeGripEnabled(True)
        bar.addPermanentWidget(self.status_dot)
        bar.addPermanentWidget(self.status_label, 1)

        self._shown_live_for: object | None = None
        bridge.stateChanged.connect(self._on_state)
        bridge.deviceInfoReceived.connect(lambda _i: self._on_state(self._state, self._detail))
        bridge.sessionChanged.connect(lambda _s: self._sync_health_tab())
        bridge.deviceInfoReceived.connect(lambda _i: self._sync_health_tab())
        self._sync_health_tab()
        self._on_state(bridge.state, "")

        geometry = self.settings.value("window/geometry", QByteArray(), type=QByteArray)
        if geometry is not None and not geometry.isEmpty():
            self.restoreGeometry(geometry)

    # --- status ----------------------------------------------------------------------------
    def status_text(self, state: str, detail: str, url: str | None = None) -> str:
        """The whole status text (``url``: the device URL as shown, else the session's)."""
        text = self._state_text(state, detail, url)
        session = self.bridge.session
        misfit = getattr(session, "misfit", None)
        if misfit and state in ("identifying", "live", "writing"):
            # a forced protocol that does not fit the board: writes are refused
            text += " — " + self.tr("writes refused: {why}").format(why=misfit)
        return text

    def _state_text(self, state: str, detail: str, url: str | None = None) -> str:
        session = self.bridge.session
        if url is None:
            url = session.description if session is not None else ""
        if state == "live":
            info = self.bridge.device_info
            if info is not None and info.model:
                return self.tr("Live — {model} ({protocol}) on {url}").format(
                    model=info.model, protocol=info.protocol or "?", url=url
                )
            return self.tr("Live on {url}").format(url=url)
        if state == "connecting":
            return self.tr("Connecting to {url} …").format(url=url or detail)
        if state == "identifying":
            return self.tr("Connected to {url}; asking the board who it is …").format(url=url)
        if state == "reconnecting":
            if detail:
                return self.tr("Reconnecting: {reason}").format(reason=detail)
            return self.tr("Reconnecting …")
        if state == "writing":
            return self.tr("Writing settings to the board …")
        if detail and detail != "cancelled":
            return self.tr("Disconnected: {reason}").format(reason=sentence(detail))
        return self.tr("Disconnected")

    def _on_state(self, state: str, detail: str) -> None:
        self._state, self._detail = state, detail
        self.status_dot.set_colour(STATE_COLOURS.get(state, GREY))
        self._show_status()
        session = self.bridge.session
        if state == "live" and session is not None and session is not self._shown_live_for:
            # a fresh connection went live: show the cells (not again after a reconnect)
            self._shown_live_for = session
            self.tabs.setCurrentWidget(self.live_page)

    def _show_status(self) -> None:
        text = self.status_text(self._state, self._detail)
        self.status_label.setToolTip(text)
        self.status_label.setText(self._fit_status(text))

    def _fit_status(self, text: str) -> str:
        """``text`` as it fits the status label: the URL shortened in the middle, then the end."""
        label = self.status_label
        room = label.contentsRect().width()
        fm = label.fontMetrics()
        if not label.isVisible() or room <= 0 or fm.horizontalAdvance(text) <= room:
            return text
        session = self.bridge.session
        url = session.description if session is not None else ""
        if url:
            bare = self.status_text(self._state, self._detail, url="")
            spare = room - fm.horizontalAdvance(bare)
            if spare >= fm.horizontalAdvance(url[:8] + "…"):  # the URL's start and end still say something
                return self.status_text(
                    self._state, self._detail, url=fm.elidedText(url, Qt.TextElideMode.ElideMiddle, spare)
                )
            text = self.status_text(self._state, self._detail, url="…")
        return fm.elidedText(text, Qt.TextElideMode.ElideRight, room)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.status_label and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._show_status()
        return super().eventFilter(watched, event)

    def _sync_health_tab(self) -> None:
        """The Pack health tab is there for boards whose family has a health guide (the
        protocol is known once the board answered: probing may change it)."""
        self.tabs.setTabVisible(self.tabs.indexOf(self.health_page), self.health_page.guide is not None)

    # --- log files ----------------------------------------------------------------------------------
    def _build_file_menu(self) -> None:
        """File: open a log (also by drag and drop), recent logs, quit."""
        self.log_viewers: list[LogViewer] = []
        self.packs_dialog: PacksDialog | None = None
        self.jobs_dialog: JobsDialog | None = None
        self._dialogs: list[QFileDialog] = []
        self._fixed_tabs = self.tabs.count()
        # only log tabs get a close button (open_log); the device pages stay
        self.tabs.tabCloseRequested.connect(self._close_tab)
        self.setAcceptDrops(True)
        menu = self.menuBar().addMenu(self.tr("&File"))
        menu.addAction(self.tr("&Open log…"), QKeySequence.StandardKey.Open, self.ask_open_log)
        self.recent_menu = menu.addMenu(self.tr("Recent logs"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        menu.addSeparator()
        menu.addAction(self.tr("&Packs…"), self.show_packs)
        menu.addAction(self.tr("&Jobs…"), self.show_jobs)
        menu.addSeparator()
        menu.addAction(self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.close)
        if self.live_page.record_bar is not None:
            self.live_page.record_bar.openRequested.connect(self.open_log)

    def show_packs(self) -> PacksDialog:
        """File → Packs…: the pack registry's packs, timelines and reports (one window)."""
        if self.packs_dialog is None:
            self.packs_dialog = PacksDialog(self)
        else:
            self.packs_dialog.refresh()
        self.packs_dialog.show()
        self.packs_dialog.raise_()
        return self.packs_dialog

    def show_jobs(self) -> JobsDialog:
        """File → Jobs…: run a batch job, one pack after another (one window)."""
        if self.jobs_dialog is None:
            self.jobs_dialog = JobsDialog(self.bridge, self)
        self.jobs_dialog.show()
        self.jobs_dialog.raise_()
        return self.jobs_dialog

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        paths = [p for p in load_recent_logs(self.settings) if Path(p).is_file()]
        if not paths:
            self.recent_menu.addAction(self.tr("(none yet)")).setEnabled(False)
        for p in paths:
            self.recent_menu.addAction(Path(p).name, lambda p=p: self.open_log(p)).setToolTip(p)

    def ask_open_log(self) -> None:
        recent = load_recent_logs(self.settings)
        folder = str(Path(recent[0]).parent) if recent else ""
        dlg = QFileDialog(self, self.tr("Open a log"), folder, self.tr("CSV logs (*.csv);;All files (*)"))
        dlg.setFileMode(QFileDialog.FileMode.ExistingFiles)
        self._dialogs.append(dlg)
        dlg.filesSelected.connect(lambda files: [self.open_log(f) for f in files])
        dlg.finished.connect(lambda _r, d=dlg: self._dialogs.remove(d) if d in self._dialogs else None)
        dlg.open()  # non-modal (shared/stack.md P2)

    def open_log(self, path: str) -> LogViewer:
        """Open a log in a new tab (or show the tab that has it)."""
        resolved = Path(path).resolve()
        for viewer in self.log_viewers:
            if viewer.path.resolve() == resolved:
                self.tabs.setCurrentWidget(viewer)
                return viewer
        viewer = LogViewer(resolved, self.settings)
        self.log_viewers.append(viewer)
        index = self.tabs.addTab(viewer, resolved.name)
        self.tabs.setTabToolTip(index, str(resolved))
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip(self.tr("Close this log"))
        close.clicked.connect(lambda _c=False, v=viewer: self._close_tab(self.tabs.indexOf(v)))
        self.tabs.tabBar().setTabButton(index, QTabBar.ButtonPosition.RightSide, close)
        self.tabs.setCurrentIndex(index)
        viewer.loaded.connect(lambda _d, p=resolved: remember_recent_log(self.settings, p))
        viewer.start()
        return viewer

    def _close_tab(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if isinstance(widget, LogViewer):
            self.tabs.removeTab(index)
            self.log_viewers.remove(widget)
            task = self.bridge.spawn(widget.shutdown())
            task.add_done_callback(lambda _t, w=widget: w.deleteLater())

    async def close_logs(self) -> None:
        """Stop every viewer's playback and tasks (before the loop stops, stack.md P3)."""
        viewers, self.log_viewers = list(self.log_viewers), []
        for viewer in viewers:
            if isValid(viewer):  # not already deleted with the window
                await viewer.shutdown()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        if any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        for f in files:
            if Path(f).is_file():
                self.open_log(f)
        if files:
            event.acceptProposedAction()

    # --- helpers ---------------------------------------------------------------------------------
    def connect_to(self, url: str) -> None:
        """Connect to ``url`` through the Connection page (as typed + Connect)."""
        self.connection_page.connect_to(url)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.live_page.record_bar is not None:
            self.live_page.record_bar.stop_recording()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.sync()
        super().closeEvent(event)
