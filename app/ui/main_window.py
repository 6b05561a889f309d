"""The main window: four pages in tabs and a status bar that always says, in
plain words, what the link to the board is doing."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from .bridge import SessionBridge
from .connection_page import ConnectionPage
from .control_page import ControlPage
from .live_page import LivePage
from .parameters_page import ParametersPage
from .widgets import AMBER, BLUE, GREEN, GREY, RED, StatusDot, sentence

STATE_COLOURS = {
    "disconnected": GREY,
    "connecting": AMBER,
    "identifying": AMBER,
    "live": GREEN,
    "reconnecting": RED,
    "writing": BLUE,
}


class MainWindow(QMainWindow):
    def __init__(self, bridge: SessionBridge, settings: QSettings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.settings = settings if settings is not None else QSettings()
        self.setWindowTitle(self.tr("Packbench"))
        self.resize(1280, 800)
        self.setMinimumSize(960, 640)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.connection_page = ConnectionPage(bridge, self.settings)
        self.live_page = LivePage(bridge)
        self.parameters_page = ParametersPage(bridge)
        self.control_page = ControlPage(bridge)
        self.tabs.addTab(self.connection_page, self.tr("Connection"))
        self.tabs.addTab(self.live_page, self.tr("Live cells"))
        self.tabs.addTab(self.parameters_page, self.tr("Parameters"))
        self.tabs.addTab(self.control_page, self.tr("Control"))
        self.setCentralWidget(self.tabs)

        self.status_dot = StatusDot()
        self.status_label = QLabel()
        bar = self.statusBar()
        bar.setSizeGripEnabled(True)
        bar.addPermanentWidget(self.status_dot)
        bar.addPermanentWidget(self.status_label, 1)

        self._state = "disconnected"
        self._shown_live_for: object | None = None
        bridge.stateChanged.connect(self._on_state)
        bridge.deviceInfoReceived.connect(lambda _i: self._on_state(self._state, self._detail))
        self._detail = ""
        self._on_state(bridge.state, "")

        geometry = self.settings.value("window/geometry", QByteArray(), type=QByteArray)
        if geometry is not None and not geometry.isEmpty():
            self.restoreGeometry(geometry)

    # --- status ----------------------------------------------------------------------------
    def status_text(self, state: str, detail: str) -> str:
        session = self.bridge.session
        url = session.description if session is not None else ""
        if state == "live":
            info = self.bridge.device_info
            if info is not None and info.model:
                return self.tr("Live — {model} ({protocol}) on {url}").format(
                    model=info.model, protocol=info.protocol or "?", url=url)
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
        text = self.status_text(state, detail)
        self.status_label.setText(text)
        self.status_label.setToolTip(text)
        session = self.bridge.session
        if state == "live" and session is not None and session is not self._shown_live_for:
            # a fresh connection went live: show the cells (not again after a reconnect)
            self._shown_live_for = session
            self.tabs.setCurrentWidget(self.live_page)

    # --- helpers ---------------------------------------------------------------------------------
    def connect_to(self, url: str) -> None:
        """Connect to ``url`` through the Connection page (as typed + Connect)."""
        self.connection_page.connect_to(url)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.sync()
        super().closeEvent(event)
