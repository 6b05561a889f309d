"""Pack health: a family's workshop diagnosis of the pack, in sentences with numbers.

Shown for boards whose protocol family has a health guide (``Family.health``,
model/health.py): the findings the guide's ``diagnose`` makes of the latest
snapshot, the device information and the settings, each a sentence in words
with its numbers; below them the ONE table of thresholds the sentences compare
with, each with the sentence of its source.  The page exports itself as a PNG
or a PDF for the job sheet, and records a charge to a CSV log through the Live
cells page's recorder.

Cheap on the data path: a snapshot only marks the page dirty; a 2 Hz timer
rebuilds the sentences when the page is on screen and they changed.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QMarginsF, QPoint, Qt, QTimer
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..model.health import BAD, INFO, OK, WARN, Finding, HealthGuide
from ..protocols.family import health_guide
from .bridge import SessionBridge
from .recording import RecordBar
from .theme import AMBER, BLUE, GREEN, GREY, RED

REDRAW_MS = 500
LEVEL_COLOURS = {OK: GREEN, INFO: BLUE, WARN: AMBER, BAD: RED}


def _translate(text: str) -> str:
    return QCoreApplication.translate("PackHealth", text)


def number(value: float, unit: str = "") -> str:
    """150, 3.0, 1.7, −20: a threshold as people write it (volts with one decimal)."""
    text = f"{value:.1f}" if unit == "V" else f"{value:g}"
    return text.replace("-", "−")


class HealthPage(QWidget):
    def __init__(
        self,
        bridge: SessionBridge,
        parent: QWidget | None = None,
        *,
        record_bar: RecordBar | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.record_bar = record_bar
        #: the day the pack's age is counted to (tests fix it)
        self.today = today
        self._dirty = True
        self._shown: list[tuple[int, str, str]] | None = None
        self._guide_shown: HealthGuide | None = None
        self._dialogs: list[QFileDialog] = []
        #: the findings on screen now (tests read them)
        self.findings: list[Finding] = []

        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 4)
        outer.setSpacing(6)
        outer.addLayout(self._build_tools())
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(self.scroll, 1)
        self.scroll.setWidget(self._build_body())

        self._timer = QTimer(self)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self._redraw)
        self._timer.start()
        for signal in (bridge.snapshotReceived, bridge.deviceInfoReceived, bridge.settingsReceived):
            signal.connect(self._mark_dirty)
        bridge.sessionChanged.connect(self._mark_dirty)
        bridge.stateChanged.connect(self._on_state)
        if record_bar is not None:
            record_bar.recordingChanged.connect(self._on_recording)
        self._on_recording(False)
        self._on_state(bridge.state, "")
        self.refresh()

    # --- building -----------------------------------------------------------------------------
    def _build_body(self) -> QWidget:
        """The page as it prints: title, source, time, findings, thresholds."""
        self.body = QWidget()
        self.body.setObjectName("healthBody")
        self.body.setStyleSheet("#healthBody { background: white; }")
        lay = QVBoxLayout(self.body)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.setSpacing(8)
        self.title = QLabel()
        f = self.title.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.3)
        self.title.setFont(f)
        lay.addWidget(self.title)
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.source.setStyleSheet(f"color: {GREY};")
        lay.addWidget(self.source)
        self.stamp = QLabel()
        self.stamp.setStyleSheet(f"color: {GREY};")
        lay.addWidget(self.stamp)
        self.findings_box = QWidget()
        self.findings_layout = QGridLayout(self.findings_box)
        self.findings_layout.setContentsMargins(0, 4, 0, 4)
        self.findings_layout.setHorizontalSpacing(10)
        self.findings_layout.setVerticalSpacing(6)
        self.findings_layout.setColumnStretch(1, 1)
        lay.addWidget(self.findings_box)
        lay.addWidget(self._build_thresholds())
        lay.addStretch(1)
        self.empty_label = QLabel(
            self.tr("Connect to a board whose family has a health guide to see its diagnosis here.")
        )
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet(f"color: {GREY};")
        lay.insertWidget(3, self.empty_label)
        return self.body

    def _build_tools(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        self.record_button = QPushButton()
        self.record_button.setToolTip(
            self.tr(
                "Record every reading to a CSV log while the pack charges (the Live cells tab's "
                "recorder): the log opens in a spreadsheet and in File → Open log"
            )
        )
        self.record_button.clicked.connect(self._toggle_recording)
        self.record_button.setVisible(self.record_bar is not None)
        row.addWidget(self.record_button)
        row.addStretch(1)
        self.png_button = QPushButton(self.tr("Export PNG…"))
        self.png_button.clicked.connect(lambda: self._ask_export("png"))
        self.pdf_button = QPushButton(self.tr("Export PDF…"))
        self.pdf_button.clicked.connect(lambda: self._ask_export("pdf"))
        row.addWidget(self.png_button)
        row.addWidget(self.pdf_button)
        return row

    def _build_thresholds(self) -> QGroupBox:
        box = QGroupBox(self.tr("Thresholds and where they come from"))
        self.table = QGridLayout(box)
        self.table.setHorizontalSpacing(12)
        self.table.setVerticalSpacing(6)
        for col, stretch in enumerate((0, 3, 4, 3)):
            self.table.setColumnStretch(col, stretch)
        #: the table as text, row by row (tests read it)
        self.threshold_rows: list[list[str]] = []
        return box

    # --- state ----------------------------------------------------------------------------------
    @property
    def guide(self) -> HealthGuide | None:
        """The health guide of the connected board's family (None: it has none)."""
        return health_guide(getattr(self.bridge.session, "protocol", None))

    def _mark_dirty(self, *_args: Any) -> None:
        self._dirty = True

    def _on_state(self, state: str, _detail: str) -> None:
        if self.record_bar is not None:
            self.record_button.setEnabled(self.record_bar.recording or state in ("live", "writing"))
        self._dirty = True

    def _on_recording(self, on: bool) -> None:
        self.record_button.setText(self.tr("■ Stop recording") if on else self.tr("● Record a charge (CSV)"))

    def _toggle_recording(self) -> None:
        if self.record_bar is not None:
            self.record_bar.toggle()

    def _redraw(self) -> None:
        if self._dirty and self.isVisible():
            self.refresh()

    # --- the diagnosis ---------------------------------------------------------------------------
    def diagnose(self) -> list[Finding]:
        guide = self.guide
        if guide is None:
            return []
        bridge = self.bridge
        return guide.diagnose(bridge.last_snapshot, bridge.device_info, bridge.settings, today=self.today)

    def refresh(self) -> None:
        """Diagnose again and show what changed."""
        self._dirty = False
        guide = self.guide
        if guide is not self._guide_shown:
            self._guide_shown = guide
            self._show_guide(guide)
        self.findings = self.diagnose()
        shown = [(f.pack, f.level, f.sentence(_translate)) for f in self.findings]
        if shown != self._shown:
            self._shown = shown
            self._show_findings(shown)
        if self.findings:
            self.stamp.setText(
                self.tr("Diagnosis of {time}, from the pack's own readings.").format(
                    time=time.strftime("%Y-%m-%d %H:%M:%S")
                )
            )
        self.png_button.setEnabled(guide is not None)
        self.pdf_button.setEnabled(guide is not None)

    def _show_guide(self, guide: HealthGuide | None) -> None:
        self.title.setText(_translate(guide.title) if guide else self.tr("Pack health"))
        self.source.setText(_translate(guide.source) if guide else "")
        self.source.setVisible(guide is not None)
        self.empty_label.setVisible(guide is None)
        self.stamp.setText("")
        grid = self.table
        while grid.count():
            item = grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.threshold_rows = []
        if guide is None:
            return
        heads = [
            self.tr("Threshold"),
            self.tr("What it means"),
            self.tr("Source sentence"),
            self.tr("Source"),
        ]
        for col, text in enumerate(heads):
            head = QLabel(text)
            head.setStyleSheet("font-weight: bold; border-bottom: 1px solid #b0b8c0;")
            grid.addWidget(head, 0, col)
            head.show()
        for i, t in enumerate(guide.thresholds, start=1):
            cells = [
                f"{number(t.value, t.unit)} {t.unit}",
                _translate(t.meaning),
                "“" + _translate(t.source) + "”",
                _translate(t.where),
            ]
            self.threshold_rows.append(cells)
            for col, text in enumerate(cells):
                label = QLabel(text)
                label.setWordWrap(col > 0)
                label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                if col == 0:
                    label.setStyleSheet("font-weight: bold;")
                elif col == 2:
                    label.setStyleSheet("font-style: italic;")
                elif col == 3:
                    label.setStyleSheet(f"color: {GREY};")
                grid.addWidget(label, i, col)
                label.show()  # counted in the layout now, not on the next event-loop pass

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self._dirty = True

    def _show_findings(self, shown: list[tuple[int, str, str]]) -> None:
        grid = self.findings_layout
        while grid.count():
            item = grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        packs = sorted({pack for pack, _l, _t in shown})
        row = 0
        for pack in packs:
            if len(packs) > 1:
                head = QLabel(
                    self.tr("Pack {n} (another BMS on the same wire)").format(n=pack + 1)
                    if pack
                    else self.tr("Pack 1 (the one Packbench is connected to)")
                )
                f = head.font()
                f.setBold(True)
                head.setFont(f)
                grid.addWidget(head, row, 0, 1, 2)
                head.show()
                row += 1
            for _pack, level, text in (s for s in shown if s[0] == pack):
                badge = QLabel(self.level_word(level))
                badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
                badge.setStyleSheet(
                    f"color: white; background: {LEVEL_COLOURS[level]};"
                    " border-radius: 3px; padding: 1px 6px; font-weight: bold;"
                )
                line = QLabel(text)
                line.setWordWrap(True)
                line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                grid.addWidget(badge, row, 0, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(line, row, 1)
                badge.show()  # counted in the layout now (an export may follow at once)
                line.show()
                row += 1

    def level_word(self, level: str) -> str:
        return {OK: self.tr("Good"), INFO: self.tr("Note"), WARN: self.tr("Check"), BAD: self.tr("Fault")}[
            level
        ]

    def rows(self, pack: int = 0) -> list[tuple[str, str]]:
        """(level, sentence) of one pack's findings as they read on screen."""
        return [(level, text) for p, level, text in self._shown or [] if p == pack]

    # --- export -----------------------------------------------------------------------------------
    def _ask_export(self, kind: str) -> None:
        info = self.bridge.device_info
        name = (getattr(info, "serial_number", None) or "pack") + f"-health.{kind}"
        dlg = QFileDialog(
            self,
            self.tr("Export the health page"),
            str(Path.home() / name),
            self.tr("PNG images (*.png)") if kind == "png" else self.tr("PDF documents (*.pdf)"),
        )
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dlg.setDefaultSuffix(kind)
        self._dialogs.append(dlg)
        dlg.fileSelected.connect(
            lambda path: self.export_png(path) if kind == "png" else self.export_pdf(path)
        )
        dlg.finished.connect(lambda _r, d=dlg: self._dialogs.remove(d) if d in self._dialogs else None)
        dlg.open()  # non-modal (stack.md P2)

    def _render_ready(self) -> None:
        """Everything diagnosed and laid out now, the body as tall as its content (what the
        scroll area does on its next pass, done before the body is drawn)."""
        self.refresh()
        body = self.body
        body.layout().activate()
        width = max(body.width(), self.scroll.viewport().width())
        need = body.heightForWidth(width) if body.hasHeightForWidth() else body.sizeHint().height()
        body.resize(width, max(need, self.scroll.viewport().height()))

    def export_png(self, path: str | Path) -> bool:
        """The whole page (not only what the window shows) as a PNG image."""
        self._render_ready()
        return self.body.grab().save(str(path), "PNG")

    def export_pdf(self, path: str | Path) -> bool:
        """The whole page on A4 pages, scaled to the page width."""
        self._render_ready()
        writer = QPdfWriter(str(path))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter)
        writer.setResolution(150)
        painter = QPainter()
        if not painter.begin(writer):
            return False
        try:
            page = writer.pageLayout().paintRectPixels(writer.resolution())
            size = self.body.size()
            scale = page.width() / max(1, size.width())
            page_height = page.height() / scale
            top = 0.0
            while True:
                painter.save()
                painter.scale(scale, scale)
                painter.translate(0, -top)
                self.body.render(painter, QPoint(0, 0))
                painter.restore()
                top += page_height
                if top >= size.height():
                    break
                writer.newPage()
        finally:
            painter.end()
        return Path(path).is_file()


__all__ = ["HealthPage"]
