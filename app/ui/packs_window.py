"""File → Packs…: every pack the workshop has touched, from the pack registry (issue 18).

Search by serial number, model, device name, job, operator or date; a pack's timeline
(every settings read, write, switch, calibration, sealing check, commissioning and
report, oldest first, in local time with UTC in the tooltip); the difference between
any two of its settings snapshots; its last commissioning report made again from the
registry (the same content as the first time); its whole record exported as JSON.
The registry is only read here, except the "report" event a re-made report adds.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ..services import commissioning, packlog
from ..services.registry import Registry, RegistryError
from . import dialog_size
from .control_widgets import ResultLine
from .setting_format import setting_label
from .theme import table_item


def local_time(at: str | None) -> str:
    """A registry time (UTC, ISO) as the workshop's local time, to the minute."""
    if not at:
        return "—"
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        return at
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def settings_diff(first: dict[str, Any], second: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """The keys whose values differ between two settings snapshots, sorted: (key, first, second)."""
    keys = sorted(set(first) | set(second))
    return [(k, first.get(k), second.get(k)) for k in keys if first.get(k) != second.get(k)]


class PacksDialog(QDialog):
    PACK_COLUMNS = ("family", "serial", "model", "device_name", "last_seen", "commissioned")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Packs"))
        self.registry: Registry | None = None
        self.pack: dict[str, Any] | None = None
        self.events: list[dict[str, Any]] = []
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search: serial number, model, name, job, operator or date"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh)
        top.addWidget(self.search, 1)
        self.where = QLabel()
        self.where.setStyleSheet("color: #757575;")
        top.addWidget(self.where)
        lay.addLayout(top)
        self.problem = ResultLine()
        lay.addWidget(self.problem)
        split = QSplitter(Qt.Orientation.Vertical)
        self.packs = self._table(
            [
                self.tr("Family"),
                self.tr("Serial number"),
                self.tr("Model"),
                self.tr("Name"),
                self.tr("Last seen"),
            ]
            + [self.tr("Commissioned")]
        )
        self.packs.itemSelectionChanged.connect(self._pack_chosen)
        split.addWidget(self.packs)
        split.addWidget(self._build_pack_part())
        lay.addWidget(split, 1)
        area = dialog_size.available_geometry(self)  # 980×700, or the screen where it is smaller
        self.resize(min(980, area.width() - 16), min(700, area.height() - 40))
        self.refresh()

    @staticmethod
    def _table(headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def _build_pack_part(self) -> QWidget:
        part = QWidget()
        lay = QVBoxLayout(part)
        lay.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        self.title = QLabel()
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        buttons.addWidget(self.title, 1)
        self.report_button = QPushButton(self.tr("Open its last report (PDF)"))
        self.report_button.clicked.connect(self.open_last_report)
        self.export_button = QPushButton(self.tr("Export its record (JSON)…"))
        self.export_button.clicked.connect(self.ask_export)
        for b in (self.report_button, self.export_button):
            b.setEnabled(False)
            buttons.addWidget(b)
        lay.addLayout(buttons)
        self.timeline = self._table(
            [self.tr("When"), self.tr("What"), self.tr("Operator"), self.tr("Job"), self.tr("Summary")]
        )
        lay.addWidget(self.timeline, 2)
        diff_row = QHBoxLayout()
        diff_row.addWidget(QLabel(self.tr("Compare its settings of")))
        self.first, self.second = QComboBox(), QComboBox()
        diff_row.addWidget(self.first, 1)
        diff_row.addWidget(QLabel(self.tr("with")))
        diff_row.addWidget(self.second, 1)
        for combo in (self.first, self.second):
            combo.currentIndexChanged.connect(self.show_diff)
        lay.addLayout(diff_row)
        self.diff_note = QLabel()
        lay.addWidget(self.diff_note)
        self.diff = self._table([self.tr("Setting"), self.tr("First"), self.tr("Second")])
        lay.addWidget(self.diff, 1)
        self.result = ResultLine()
        lay.addWidget(self.result)
        return part

    # --- the list of packs -------------------------------------------------------------------------
    def _open(self) -> Registry | None:
        where = packlog.path()
        if where is None:
            self.problem.warn(self.tr("The pack registry is switched off (PACKBENCH_REGISTRY=off)."))
            return None
        self.where.setText(str(where))
        self.registry = packlog.open_registry()
        if self.registry is None:
            self.problem.bad(
                self.tr("The pack registry cannot be used: {reason}").format(reason=packlog.problem() or "?")
            )
        return self.registry

    def refresh(self) -> None:
        reg = self.registry or self._open()
        if reg is None:
            return
        try:
            packs = reg.packs(self.search.text().strip() or None)
        except (RegistryError, OSError) as exc:
            self.problem.bad(self.tr("The pack registry cannot be read: {reason}").format(reason=str(exc)))
            return
        self.problem.clear_result()
        self.rows = packs
        self.packs.setRowCount(len(packs))
        for row, p in enumerate(packs):
            done = p.get("commissioned")
            cells = [
                p["family"],
                p["serial"],
                p.get("model") or "—",
                p.get("device_name") or "—",
                local_time(p.get("last_seen")),
                self.tr("{date} ({verdict})").format(
                    date=local_time(done["at"])[:10], verdict=done["verdict"]
                )
                if done
                else self.tr("not yet"),
            ]
            for col, text in enumerate(cells):
                self.packs.setItem(row, col, table_item(str(text)))
        if not packs:
            self.problem.info(
                self.tr("No pack matches.")
                if self.search.text().strip()
                else self.tr("No packs recorded yet.")
            )
        self._pack_chosen()

    # --- one pack ----------------------------------------------------------------------------------
    def _pack_chosen(self) -> None:
        rows = self.packs.selectionModel().selectedRows()
        self.pack = self.rows[rows[0].row()] if rows and self.registry is not None else None
        for b in (self.report_button, self.export_button):
            b.setEnabled(self.pack is not None)
        self.events = self.registry.timeline(self.pack["id"]) if self.pack and self.registry else []
        p = self.pack
        self.title.setText(f"{p['family']} {p['serial']}" if p else self.tr("Choose a pack above"))
        self.report_button.setEnabled(p is not None and p.get("commissioned") is not None)
        self.timeline.setRowCount(len(self.events))
        for row, e in enumerate(self.events):
            cells = [
                local_time(e["at"]),
                self.kind_text(e["kind"]),
                e.get("operator") or "",
                e.get("job") or "",
                e["summary"],
            ]
            for col, text in enumerate(cells):
                item = table_item(text)
                if col == 0:
                    item.setToolTip(f"{e['at']} UTC")
                self.timeline.setItem(row, col, item)
        self._fill_snapshots()

    def kind_text(self, kind: str) -> str:
        """An event's kind in words (the registry keeps the English id)."""
        words = {
            "settings": self.tr("settings read"),
            "write": self.tr("settings written"),
            "switch": self.tr("switch"),
            "calibration": self.tr("calibration"),
            "action": self.tr("action"),
            "control": self.tr("control"),
            "sealing": self.tr("sealing checks"),
            "commissioning": self.tr("commissioning"),
            "report": self.tr("report"),
            "batch": self.tr("batch job"),
        }
        return words.get(kind, kind)

    def _fill_snapshots(self) -> None:
        self.snapshots = [e for e in self.events if e["kind"] == "settings"]
        for combo in (self.first, self.second):
            combo.blockSignals(True)
            combo.clear()
            for e in self.snapshots:
                combo.addItem(f"{local_time(e['at'])} · {e['summary']}", e["id"])
            combo.blockSignals(False)
        if len(self.snapshots) >= 2:
            self.first.setCurrentIndex(len(self.snapshots) - 2)
            self.second.setCurrentIndex(len(self.snapshots) - 1)
        self.show_diff()

    def show_diff(self) -> None:
        by_id = {e["id"]: e for e in self.snapshots}
        a, b = by_id.get(self.first.currentData()), by_id.get(self.second.currentData())
        rows = settings_diff(a["data"]["settings"], b["data"]["settings"]) if a and b else []
        self.diff.setRowCount(len(rows))
        for row, (key, one, two) in enumerate(rows):
            for col, text in enumerate(
                (
                    setting_label(None, key),
                    commissioning.value_text(key, one),
                    commissioning.value_text(key, two),
                )
            ):
                self.diff.setItem(row, col, table_item(text))
        if len(self.snapshots) < 2:
            self.diff_note.setText(self.tr("Fewer than two settings snapshots: nothing to compare."))
        elif not rows:
            self.diff_note.setText(self.tr("The two snapshots hold the same values."))
        else:
            self.diff_note.setText(self.tr("%n setting(s) differ.", "", len(rows)))

    def open_last_report(self) -> Path | None:
        """The last commissioning report, made again from the registry, opened."""
        if self.pack is None or self.registry is None:
            return None
        from ..rendering.report_files import write_files

        event = commissioning.last_commissioning(self.registry, self.pack["id"])
        if event is None:
            self.result.warn(self.tr("This pack has never been commissioned."))
            return None
        report = commissioning.report_from_event(event)
        try:
            files = write_files(report)
            commissioning.record_report(self.registry, report, files, operator=packlog.operator())
        except (OSError, RegistryError) as exc:
            self.result.bad(self.tr("The report was not written: {reason}").format(reason=str(exc)))
            return None
        self.result.ok(self.tr("Report: {path}").format(path=files["pdf"]))
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(files["pdf"])))
        return files["pdf"]

    def ask_export(self) -> None:
        if self.pack is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the pack's record"), f"{self.pack['serial']}.json", self.tr("JSON (*.json)")
        )
        if name:
            self.export(Path(name))

    def export(self, path: Path) -> bool:
        assert self.pack is not None and self.registry is not None
        try:
            text = json.dumps(self.registry.export(self.pack["id"]), indent=2, ensure_ascii=False) + "\n"
            path.write_text(text, encoding="utf-8")
        except (OSError, RegistryError) as exc:
            self.result.bad(self.tr("Not exported: {reason}").format(reason=str(exc)))
            return False
        self.result.ok(self.tr("Exported to {path}").format(path=path))
        return True
