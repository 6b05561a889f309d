"""Commission this pack: the last step before sealing (issue 18).

The person says what the pack must be (a Packbench preset with the pack's cells and
capacity, or a settings or preset file), who they are and the job reference; one
button then compares the board's settings with that profile key by key, judges the
before-sealing checks with the pack at rest, takes a cell snapshot, records it all
in the pack registry and writes the signed-off report (PDF and JSON) into the pack's
report folder (services/commissioning.py, rendering/report_files.py).  Nothing is
written to the board: a setting that differs is reported, not fixed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
)

from ...services import commissioning, packlog, presets, settings_files
from ...session import SessionError
from ..control_widgets import ResultLine, grey
from ..theme import PRIMARY_STYLE
from ..widgets import sentence
from .base import Section
from .caps import Capabilities

#: the profile choices: a built-in preset's chemistry, or "file"
CHEMISTRIES = ("lifepo4", "li-ion", "lto")
FILE = "file"


class CommissionSection(Section):
    def __init__(self, page) -> None:
        super().__init__(page, self.tr("Commission this pack"))
        self.file: Path | None = None
        self.files: dict[str, Path] = {}
        self.last_result: commissioning.Result | None = None
        self.running = False
        self._can = False
        self._build_form()
        self._build_run()
        self._profile_changed()

    def _build_form(self) -> None:
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.profile = QComboBox()
        names = {
            "lifepo4": self.tr("LiFePO4 preset"),
            "li-ion": self.tr("Li-ion preset"),
            "lto": self.tr("LTO preset"),
        }
        for chem in CHEMISTRIES:
            self.profile.addItem(names[chem], chem)
        self.profile.addItem(self.tr("A settings or preset file…"), FILE)
        self.profile.currentIndexChanged.connect(self._profile_changed)
        grid.addWidget(QLabel(self.tr("Profile")), 0, 0)
        grid.addWidget(self.profile, 0, 1)
        self.cells = QSpinBox()
        self.cells.setRange(1, 32)
        self.cells.setSuffix(self.tr(" cells"))
        self.capacity = QDoubleSpinBox()
        self.capacity.setRange(0.1, 2000.0)
        self.capacity.setDecimals(1)
        self.capacity.setSuffix(" Ah")
        pack = QHBoxLayout()
        pack.addWidget(self.cells)
        pack.addWidget(self.capacity)
        self.pack_label = QLabel(self.tr("Pack"))
        grid.addWidget(self.pack_label, 0, 2)
        grid.addLayout(pack, 0, 3)
        self.file_label = grey()
        self.file_button = QPushButton(self.tr("Choose the file…"))
        self.file_button.clicked.connect(self.choose_file)
        grid.addWidget(self.file_button, 1, 0)
        grid.addWidget(self.file_label, 1, 1, 1, 3)
        self.operator = QLineEdit(packlog.operator() if packlog.operator() != "unknown" else "")
        self.operator.setPlaceholderText(self.tr("who commissions the pack"))
        self.operator.textChanged.connect(self.update_enabled_now)
        # whoever is named here is the operator of every write and action recorded from now on
        self.operator.textChanged.connect(lambda text: packlog.set_operator(text.strip() or None))
        self.job = QLineEdit()
        self.job.setPlaceholderText(self.tr("work order, customer or batch"))
        self.job.textChanged.connect(self.update_enabled_now)
        grid.addWidget(QLabel(self.tr("Operator")), 2, 0)
        grid.addWidget(self.operator, 2, 1)
        grid.addWidget(QLabel(self.tr("Job")), 2, 2)
        grid.addWidget(self.job, 2, 3)
        self.lay.addLayout(grid)

    def _build_run(self) -> None:
        self.help = grey(
            self.tr(
                "Nothing is written to the board. Its settings are compared with the profile, the "
                "checks above are judged with the pack at rest (at most 0.5 A for a while), and all "
                "of it is recorded in the pack registry with a PDF report."
            )
        )
        self.lay.addWidget(self.help)
        row = QHBoxLayout()
        self.button = QPushButton(self.tr("Commission"))
        self.button.setStyleSheet(PRIMARY_STYLE)
        self.button.clicked.connect(self.start)
        row.addWidget(self.button)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        row.addWidget(self.progress, 1)
        self.open_pdf = QPushButton(self.tr("Open the report (PDF)"))
        self.open_pdf.clicked.connect(lambda: self._open(self.files.get("pdf")))
        self.open_folder = QPushButton(self.tr("Open the folder"))
        self.open_folder.clicked.connect(lambda: self._open(self.files["pdf"].parent if self.files else None))
        for b in (self.open_pdf, self.open_folder):
            b.setVisible(False)
            row.addWidget(b)
        row.addStretch(1)
        self.lay.addLayout(row)
        self.result = ResultLine()
        self.lay.addWidget(self.result)

    # --- the page's news --------------------------------------------------------------------------
    def apply(self, caps: Capabilities) -> None:
        self.setVisible(caps.board and not caps.read_only_reason)

    def show_settings(self, settings) -> None:
        values = settings.values if settings is not None else {}
        if not self.running and values.get("cell_count"):
            self.cells.setValue(int(values["cell_count"]))
        if not self.running and values.get("capacity_nominal_ah"):
            self.capacity.setValue(float(values["capacity_nominal_ah"]))

    def update_enabled(self, can: bool, live: bool) -> None:
        self._can = can
        self.update_enabled_now()

    def update_enabled_now(self) -> None:
        ready = bool(self.operator.text().strip() and self.job.text().strip())
        ready = ready and (self.profile.currentData() != FILE or self.file is not None)
        self.button.setEnabled(self._can and ready and not self.running)
        self.button.setToolTip("" if ready else self.tr("Give the operator, the job and the profile first"))

    def reset(self) -> None:
        if not self.running:
            self.result.clear_result()
            self.files = {}
            for b in (self.open_pdf, self.open_folder):
                b.setVisible(False)

    # --- the profile ---------------------------------------------------------------------------
    def _profile_changed(self) -> None:
        is_file = self.profile.currentData() == FILE
        for w in (self.file_button, self.file_label):
            w.setVisible(is_file)
        self.file_label.setText(str(self.file) if self.file else self.tr("no file chosen"))
        self.update_enabled_now()

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("The profile to commission against"), "", self.tr("Settings or preset (*.json)")
        )
        if name:
            self.set_file(Path(name))

    def set_file(self, path: Path) -> None:
        self.file = path
        self.profile.setCurrentIndex(self.profile.findData(FILE))
        self._profile_changed()

    def target(self, protocol: Any) -> commissioning.Target:
        """What the pack must be, from the form (ValueError/FileError in words)."""
        chem = self.profile.currentData()
        if chem == FILE:
            assert self.file is not None
            source = settings_files.open_file(self.file)
            request = settings_files.request_from(source, protocol, name=self.file.name)
            kind = "preset file" if request.preset is not None else "settings file"
            return commissioning.target_from_request(
                request, f"{kind} {self.file.name}", {"file": str(self.file.resolve())}
            )
        cells, capacity = self.cells.value(), self.capacity.value()
        preset = presets.builtin(chem)
        profile = presets.PackProfile(cells, capacity)
        request = settings_files.request_from(preset, protocol, profile=profile)
        name = f"{preset.name} preset, {cells} cells, {capacity:g} Ah"
        source = {"preset": preset.name, "cells": cells, "capacity_ah": capacity}
        return commissioning.target_from_request(request, name, source)

    # --- the run -----------------------------------------------------------------------------------
    def start(self) -> None:
        if self.running or self.page.busy or self.page.bridge.session is None:
            return
        self.page.bridge.spawn(self.run_commission())

    async def run_commission(self) -> None:
        session = self.page.bridge.session
        operator, job = self.operator.text().strip(), self.job.text().strip()
        self.reset()
        self.running = True
        self.page.set_busy(True)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.progress.setFormat(self.tr("Reading the board's settings …"))
        try:
            target = self.target(session.protocol)
            packlog.set_operator(operator)
            result = await commissioning.commission(
                session, target, operator=operator, job=job, progress=self._progress
            )
            self.last_result = result
            self.files = self._write(result, operator)
        except (ValueError, OSError) as exc:  # a bad profile file (FileError is a ValueError)
            self.result.bad(self.tr("Not commissioned: {reason}").format(reason=sentence(str(exc))))
        except commissioning.CommissioningError as exc:
            self.result.bad(self.tr("Not commissioned: {reason}").format(reason=sentence(str(exc))))
        except (SessionError, TimeoutError) as exc:
            reason = sentence(str(exc)) or self.tr("no answer")
            self.result.bad(self.tr("Not commissioned: the link failed: {reason}").format(reason=reason))
        else:
            self._show(result)
        finally:
            self.running = False
            self.progress.setVisible(False)
            self.page.set_busy(False)

    def _progress(self, rested_s: float, rest_s: float) -> None:
        self.progress.setRange(0, max(1, round(rest_s)))
        self.progress.setValue(min(round(rested_s), round(rest_s)))
        self.progress.setFormat(
            self.tr("The pack rests: {done} of {need} s").format(done=round(rested_s), need=f"{rest_s:g}")
        )

    def _write(self, result: commissioning.Result, operator: str) -> dict[str, Path]:
        from ...rendering.report_files import write_files

        files = write_files(result.report)
        commissioning.record_report(result.registry, result.report, files, operator=operator)
        return files

    def _show(self, result: commissioning.Result) -> None:
        report = result.report
        serial = report["pack"]["serial_number"]
        where = self.tr("Report: {path}").format(path=self.files["pdf"])
        if result.verdict == commissioning.PASSED:
            self.result.ok(
                self.tr(
                    "Commissioned {serial}: the settings equal the profile and every check passed."
                ).format(serial=serial)
                + " "
                + where
            )
        else:
            failed = result.verdict == commissioning.FAILED
            text = (
                self.tr("Recorded {serial}, NOT passed: {reasons}.")
                if failed
                else self.tr("Recorded {serial}, incomplete: {reasons}.")
            )
            (self.result.bad if failed else self.result.warn)(
                text.format(serial=serial, reasons=self.reasons(report)) + " " + where
            )
        for b in (self.open_pdf, self.open_folder):
            b.setVisible(True)

    def reasons(self, report: dict[str, Any]) -> str:
        """Why a commissioning did not pass, in the user's language (the record keeps the
        service's English sentences)."""
        parts = []
        differ = report["settings"]["differ"]
        if differ:
            parts.append(self.tr("%n setting(s) differ from the profile", "", len(differ)))
        checks = report["checks"]
        for ok, words in ((False, self.tr("failed: {checks}")), (None, self.tr("cannot tell yet: {checks}"))):
            titles = [QCoreApplication.translate("Control", c["title"]) for c in checks if c["ok"] is ok]
            if titles and (ok is False or not parts):
                parts.append(words.format(checks=", ".join(titles)))
        return "; ".join(parts)

    def _open(self, path: Path | None) -> None:
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
