"""Record from the Live cells page: one button, a running time, the file it goes to.

The recorder itself (services/recorder.py) knows no Qt: this bar starts it
on the bridge's session, shows what it does once a second, stops it when
the session goes away, and remembers the finished file among the recent
logs.  Recent logs are one JSON string in QSettings (stack.md P10).
"""

from __future__ import annotations

import json
import re
import time
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMenu, QPushButton, QToolButton, QWidget

from ..services.recorder import Recorder
from ..timing import current as current_timing
from .bridge import SessionBridge
from .theme import GREY, RED

RECENT_LOGS_KEY = "logs/recent"
FOLDER_KEY = "logs/folder"
RAW_KEY = "logs/raw"
MAX_RECENT = 10


def load_recent_logs(settings: QSettings) -> list[str]:
    raw = settings.value(RECENT_LOGS_KEY, "", type=str)
    try:
        items = json.loads(raw) if raw else []
    except ValueError:
        return []
    return [str(p) for p in items if isinstance(p, str)][:MAX_RECENT]


def remember_recent_log(settings: QSettings, path: str | Path) -> None:
    path = str(Path(path).resolve())
    items = [p for p in load_recent_logs(settings) if p != path]
    settings.setValue(RECENT_LOGS_KEY, json.dumps([path, *items][:MAX_RECENT]))
    settings.sync()


def default_folder(settings: QSettings) -> Path:
    folder = settings.value(FOLDER_KEY, "", type=str)
    if folder:
        return Path(folder)
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs or Path.home()) / "Packbench logs"


def log_name(model: str | None, when: float | None = None) -> str:
    """``JK-PB2A16S20P-20260501-142310.csv`` (local time: what the person sees on the clock)."""
    stamp = datetime.fromtimestamp(when if when is not None else time.time()).strftime("%Y%m%d-%H%M%S")
    base = re.sub(r"[^A-Za-z0-9_.-]+", "-", model or "").strip("-.") or "pack"
    return f"{base}-{stamp}.csv"


def _hms(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


class RecordBar(QWidget):
    """[● Record] [⋯]  ● REC 00:05:12 · 312 rows · JK-…csv"""

    #: the person asked to open a finished recording in the viewer
    openRequested = Signal(str)
    recordingChanged = Signal(bool)

    def __init__(
        self, bridge: SessionBridge, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.settings = settings if settings is not None else QSettings()
        self.recorder: Recorder | None = None
        self.last_path: Path | None = None
        self._dialogs: list[QFileDialog] = []

        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        self.button = QPushButton(self.tr("● Record"))
        self.button.setToolTip(
            self.tr("Record every snapshot to a CSV file that opens in a spreadsheet and in File → Open log")
        )
        self.button.setMinimumWidth(self.button.fontMetrics().horizontalAdvance(self.tr("■ Stop")) + 32)
        self.button.clicked.connect(self.toggle)
        lay.addWidget(self.button)

        self.options = QToolButton()
        self.options.setText("⋯")
        self.options.setToolTip(self.tr("Recording options"))
        self.options.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.options)
        self.raw_action = QAction(self.tr("Also capture raw frames (for bug reports)"), menu)
        self.raw_action.setCheckable(True)
        self.raw_action.setChecked(self.settings.value(RAW_KEY, False, type=bool))
        self.raw_action.toggled.connect(lambda on: self.settings.setValue(RAW_KEY, bool(on)))
        menu.addAction(self.raw_action)
        menu.addSeparator()
        self.folder_action = menu.addAction(self.tr("Choose the folder for logs…"))
        self.folder_action.triggered.connect(self.choose_folder)
        menu.addAction(self.tr("Open the folder"), self.open_folder)
        self.options.setMenu(menu)
        lay.addWidget(self.options)

        # changes once a second at most: an ordinary label (no fixed size needed)
        self.status = QLabel()
        self.status.setMinimumWidth(
            self.status.fontMetrics().horizontalAdvance(
                self.tr("● REC {time} · {rows} rows · {name}").format(time="00:00:00", rows="88888", name="")
            )
            + 12
        )
        self.status.setMaximumWidth(520)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.linkActivated.connect(self._link)
        lay.addWidget(self.status)

        self._timer = QTimer(self)
        self._timer.setInterval(current_timing().recording_status_ms)
        self._timer.timeout.connect(self._update_status)

        bridge.stateChanged.connect(self._on_state)
        bridge.sessionChanged.connect(self._on_session)
        self._on_state(bridge.state, "")
        self._show_idle()

    # --- state ------------------------------------------------------------------------------
    @property
    def recording(self) -> bool:
        return self.recorder is not None and self.recorder.active

    def _on_state(self, state: str, _detail: str) -> None:
        self.button.setEnabled(self.recording or state in ("live", "writing"))

    def _on_session(self, _session: object) -> None:
        if self.recording:
            self.stop_recording()

    # --- start / stop -----------------------------------------------------------------------
    def toggle(self) -> None:
        if self.recording:
            self.stop_recording()
        else:
            self.start_recording()

    def start_recording(self, path: str | Path | None = None) -> bool:
        session = self.bridge.session
        if session is None or self.recording:
            return False
        if path is None:
            info = self.bridge.device_info
            folder = default_folder(self.settings)
            path = folder / log_name(info.model if info is not None else None)
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            recorder = Recorder(session, path, raw=self.raw_action.isChecked(), on_error=self._on_error)
            recorder.start()
        except OSError as exc:
            self._show_error(
                self.tr("Cannot record to {path}: {reason}").format(
                    path=str(path), reason=exc.strerror or str(exc)
                )
            )
            return False
        self.recorder = recorder
        self.last_path = path
        self.button.setText(self.tr("■ Stop"))
        self.button.setStyleSheet(f"color: {RED}; font-weight: bold;")
        self._timer.start()
        self._update_status()
        self.recordingChanged.emit(True)
        return True

    def stop_recording(self) -> Path | None:
        recorder, self.recorder = self.recorder, None
        if recorder is None:
            return None
        recorder.stop()
        self._timer.stop()
        self.button.setText(self.tr("● Record"))
        self.button.setStyleSheet("")
        self._on_state(self.bridge.state, "")
        self.recordingChanged.emit(False)
        if recorder.error:
            self._show_error(recorder.error)
        elif recorder.rows:
            remember_recent_log(self.settings, recorder.path)
            self.status.setText(
                self.tr('Saved {name} ({rows} rows) — <a href="open">open it</a>').format(
                    name=_escape(recorder.path.name), rows=recorder.rows
                )
            )
            self.status.setToolTip(str(recorder.path))
        else:
            self.status.setText(self.tr("Nothing was recorded (no live data came)"))
        return recorder.path if recorder.rows else None

    def _on_error(self, message: str) -> None:
        QTimer.singleShot(0, self.stop_recording)

    # --- display ------------------------------------------------------------------------------
    def _show_idle(self) -> None:
        idle = self.tr("Not recording")  # outside the f-string, where lupdate sees it
        self.status.setText(f'<span style="color:{GREY}">{_escape(idle)}</span>')
        self.status.setToolTip(str(default_folder(self.settings)))

    def _show_error(self, text: str) -> None:
        self.status.setText(f'<b style="color:{RED}">{_escape(text)}</b>')
        self.status.setToolTip(text)

    def _update_status(self) -> None:
        r = self.recorder
        if r is None:
            return
        elapsed = time.time() - (r.started or time.time())
        self.status.setText(
            f'<b style="color:{RED}">'
            + _escape(
                self.tr("● REC {time} · {rows} rows · {name}").format(
                    time=_hms(elapsed), rows=r.rows, name=r.path.name
                )
            )
            + "</b>"
        )
        self.status.setToolTip(str(r.path))

    def _link(self, _href: str) -> None:
        if self.last_path is not None:
            self.openRequested.emit(str(self.last_path))

    # --- folder -------------------------------------------------------------------------------
    def choose_folder(self) -> None:
        dlg = QFileDialog(self, self.tr("Folder for logs"), str(default_folder(self.settings)))
        dlg.setFileMode(QFileDialog.FileMode.Directory)
        dlg.setOption(QFileDialog.Option.ShowDirsOnly, True)
        self._dialogs.append(dlg)
        dlg.fileSelected.connect(lambda d: self.settings.setValue(FOLDER_KEY, d))
        dlg.finished.connect(lambda _r, d=dlg: self._dialogs.remove(d) if d in self._dialogs else None)
        dlg.open()  # non-modal (stack.md P2)

    def open_folder(self) -> None:
        folder = default_folder(self.settings)
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
