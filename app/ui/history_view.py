"""History: the board's own logbook of alarms and boots (JK02_32S 0xA1).

Read on request (the board answers one frame); a board whose protocol keeps no
logbook (Protocol.logbook_requests() is empty: JK04, JK02_24S, JBD, Daly, ANT, Xiaomi)
says so as soon as it is connected, instead of an empty table and a button that fails.
What was read can be saved as a CSV file (services/logbook_csv.py); a file that cannot
be written is said in one plain line under the table.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..model import Logbook
from ..protocols import Protocol
from ..services.logbook_csv import write_logbook_csv
from ..session import SessionError
from .bridge import SessionBridge
from .theme import GREY, RED
from .widgets import sentence


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate marker
    return text


# event names the captures give (app/protocols/jk/decode.py LOGBOOK_EVENTS), for translation
EVENT_NAMES = {
    "Boot": QT_TRANSLATE_NOOP("History", "Boot"),
    "Charge low temperature protection": QT_TRANSLATE_NOOP("History", "Charge low temperature protection"),
    "Charge low temperature protection is released": QT_TRANSLATE_NOOP(
        "History", "Charge low temperature protection is released"
    ),
    "Factory setting LFP": QT_TRANSLATE_NOOP("History", "Factory setting LFP"),
}


class HistoryView(QWidget):
    def __init__(self, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 12, 12, 12)
        top = QHBoxLayout()
        self.summary = QLabel(self.tr("Connect to a board, then read its history."))
        self.summary.setWordWrap(True)
        self.read_button = QPushButton(self.tr("Read history from the board"))
        self.read_button.clicked.connect(self._on_read)
        self.export_button = QPushButton(self.tr("Export as CSV…"))
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.ask_export)
        top.addWidget(self.summary, 1)
        top.addWidget(self.read_button)
        top.addWidget(self.export_button)
        lay.addLayout(top)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Time since first power-up"), self.tr("Event"), self.tr("Code")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self.table, 1)
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {RED};")
        self.error.setWordWrap(True)
        self.error.hide()
        lay.addWidget(self.error)
        self.saved = QLabel()
        self.saved.setStyleSheet(f"color: {GREY};")
        self.saved.setWordWrap(True)
        self.saved.hide()
        lay.addWidget(self.saved)
        lay.addStretch(0)  # the words stay at the top when there is no table to show
        self._shown_for: tuple | None = None
        #: the logbook the table shows (None: nothing read from this board yet)
        self.book: Logbook | None = None
        self.dialog: QFileDialog | None = None
        bridge.stateChanged.connect(lambda _s, _d: self._sync())
        bridge.sessionChanged.connect(lambda _s: self._sync())
        # the protocol may be refined once the board answered (a JK board tells its variant)
        bridge.deviceInfoReceived.connect(lambda _i: self._sync())
        self._sync()

    def _protocol(self) -> Protocol | None:
        if self.bridge.state == "disconnected":
            return None
        return getattr(self.bridge.session, "protocol", None)

    def keeps_logbook(self) -> bool:
        """Whether the connected board's protocol has a logbook Packbench can read."""
        protocol = self._protocol()
        return protocol is not None and bool(protocol.logbook_requests())

    def _sync(self) -> None:
        self.read_button.setEnabled(self.bridge.state == "live" and self.keeps_logbook())
        protocol = self._protocol()
        shown_for = (self.bridge.session, getattr(protocol, "id", None))
        if shown_for == self._shown_for:
            return  # same board: what was read stays
        self._shown_for = shown_for
        self.table.setRowCount(0)
        self.book = None
        self.export_button.setEnabled(False)
        self.export_button.setVisible(protocol is None or self.keeps_logbook())
        self.error.hide()
        self.saved.hide()
        self.table.setVisible(protocol is None or self.keeps_logbook())
        if protocol is None:
            self.summary.setText(self.tr("Connect to a board, then read its history."))
        elif not self.keeps_logbook():
            self.summary.setText(
                self.tr(
                    "{protocol}: this board keeps no logbook of alarms and boots that Packbench "
                    "can read, so there is no history to show."
                ).format(protocol=protocol.name)
            )
        else:
            self.summary.setText(
                self.tr("This board keeps a logbook of alarms and boots: read it with the button.")
            )

    def _on_read(self) -> None:
        self.read_button.setEnabled(False)
        self.error.hide()
        self.bridge.spawn(self._read())

    async def _read(self) -> None:
        session = self.bridge.session
        try:
            if session is None:
                raise SessionError(self.tr("not connected"))
            book = await session.read_logbook()
        except SessionError as exc:
            self.error.setText(sentence(str(exc)))
            self.error.show()
            return
        finally:
            self.read_button.setEnabled(self.bridge.state == "live" and self.keeps_logbook())
        self.show_logbook(book)

    def show_logbook(self, book: Logbook) -> None:
        self.book = book
        self.export_button.setEnabled(True)
        self.table.setRowCount(len(book.entries))
        for row, e in enumerate(book.entries):
            d, rest = divmod(e.timestamp_s, 86400)
            h, rest = divmod(rest, 3600)
            m, s = divmod(rest, 60)
            when = self.tr("{d} d {h:02d}:{m:02d}:{s:02d}").format(d=d, h=h, m=m, s=s)
            name = EVENT_NAMES.get(e.event)
            text = _translate(name) if name else self.tr("Unknown event 0x{code:02X}").format(code=e.code)
            for col, value in enumerate((when, text, f"0x{e.code:02X}")):
                item = QTableWidgetItem(value)
                if col != 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        shown = len(book.entries)
        if shown < book.count:
            self.summary.setText(
                self.tr("{count} events on the board; the latest {shown} are shown.").format(
                    count=book.count, shown=shown
                )
            )
        else:
            self.summary.setText(self.tr("{count} events on the board.").format(count=book.count))

    # --- export ------------------------------------------------------------------------------
    def ask_export(self) -> None:
        """Ask where to save the logbook shown (a file dialog opened with open(), stack.md P2)."""
        if self.book is None:
            return
        if self.dialog is not None:
            self.dialog.deleteLater()
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        dlg = QFileDialog(
            self,
            self.tr("Export the board's logbook"),
            docs or str(Path.home()),
            self.tr("CSV files (*.csv)"),
        )
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dlg.setFileMode(QFileDialog.FileMode.AnyFile)
        dlg.setDefaultSuffix("csv")
        dlg.selectFile(self._default_name())
        dlg.fileSelected.connect(lambda path: self.export_to(Path(path)) if path else None)
        self.dialog = dlg
        dlg.open()

    def _default_name(self) -> str:
        """``logbook-JK-PB2A16S20P-20260501-142310.csv`` (local time, as on the clock)."""
        info = self.bridge.session.device_info if self.bridge.session is not None else None
        model = getattr(info, "model", None) or ""
        base = re.sub(r"[^A-Za-z0-9_.-]+", "-", str(model)).strip("-.") or "board"
        return f"logbook-{base}-{time.strftime('%Y%m%d-%H%M%S')}.csv"

    def export_to(self, path: Path) -> bool:
        """Write the logbook shown to ``path``; a failure is one plain line under the table."""
        if self.book is None:
            return False
        self.saved.hide()
        try:
            write_logbook_csv(self.book, path)
        except OSError as exc:
            reason = sentence(exc.strerror or str(exc))
            self.error.setText(self.tr("Cannot write {path}: {reason}").format(path=path, reason=reason))
            self.error.show()
            return False
        self.error.hide()
        self.saved.setText(
            self.tr("{count} events saved to {path}").format(count=len(self.book.entries), path=path)
        )
        self.saved.show()
        return True


def _translate(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("History", text)
