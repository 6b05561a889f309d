"""The write transaction's outcome in words: per-key results, the board's state, and the
report page of the write dialog (what the board holds now, read back, and the restore).

Used by the write dialog, the board-preset dialog and the Control tab's wizards.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ..model import SettingSpec
from ..services import writer
from ..session import DeviceSession
from .setting_format import setting_label, value_text
from .theme import AMBER, BLOCK_STYLE, DANGER_STYLE, GREEN, GREY, OK_STYLE, RED, WARN_STYLE, table_item, wrap

STATUS_COLOURS = {
    writer.VERIFIED: GREEN,
    writer.UNCHANGED: GREY,
    writer.NOT_ATTEMPTED: GREY,
    writer.CANCELLED: GREY,
    writer.UNVERIFIED: AMBER,
}


def status_words(status: str) -> str:
    """Per-key outcome in the user's language."""
    words = {
        writer.VERIFIED: QCoreApplication.translate("WriteReport", "written and verified"),
        writer.REFUSED: QCoreApplication.translate("WriteReport", "refused by the board"),
        writer.NOT_STORED: QCoreApplication.translate("WriteReport", "acknowledged but not stored"),
        writer.CHANGED_ELSEWHERE: QCoreApplication.translate(
            "WriteReport", "changed by someone else or by the board"
        ),
        writer.NOT_SAVED: QCoreApplication.translate("WriteReport", "not saved"),
        writer.UNVERIFIED: QCoreApplication.translate("WriteReport", "stored, but not acknowledged"),
        writer.FAILED: QCoreApplication.translate("WriteReport", "link lost: unknown"),
        writer.UNCHANGED: QCoreApplication.translate("WriteReport", "unchanged"),
        writer.NOT_ATTEMPTED: QCoreApplication.translate("WriteReport", "not attempted"),
        writer.CANCELLED: QCoreApplication.translate("WriteReport", "cancelled"),
    }
    return words.get(status, status)


def result_detail(r: writer.KeyResult, spec: SettingSpec | None, default_password: bool | None) -> str:
    """Why a key ended the way it did, in words (translated, not the service's English)."""
    if r.status == writer.CHANGED_ELSEWHERE:
        return QCoreApplication.translate(
            "WriteReport",
            "The board now holds {got}, neither the previous {old} nor the requested "
            "{new}: another program or the board itself changed it.",
        ).format(got=value_text(spec, r.readback), old=value_text(spec, r.old), new=value_text(spec, r.new))
    if r.status == writer.NOT_SAVED:
        return QCoreApplication.translate(
            "WriteReport",
            "Written, but the board never saved it (the link dropped or the write "
            "was interrupted first): the board keeps {old}.",
        ).format(old=value_text(spec, r.old))
    if r.status == writer.NOT_STORED:
        return QCoreApplication.translate(
            "WriteReport", "The board acknowledged the write but kept {old}."
        ).format(old=value_text(spec, r.old))
    if r.status == writer.REFUSED:
        text = QCoreApplication.translate(
            "WriteReport", "The board did not acknowledge the write and kept {old}."
        ).format(old=value_text(spec, r.old))
        if default_password is False:
            text += " " + QCoreApplication.translate(
                "WriteReport",
                "This board's setup password is not the factory one; newer JK-PB firmware "
                "then accepts settings only from the vendor app.",
            )
        return text
    if r.status == writer.UNVERIFIED:
        return QCoreApplication.translate(
            "WriteReport", "The board stored the value but sent no acknowledgement."
        )
    if r.status == writer.FAILED:
        return QCoreApplication.translate(
            "WriteReport", "The link failed while writing: the board may or may not have stored this value."
        )
    if r.status == writer.NOT_ATTEMPTED:
        return QCoreApplication.translate("WriteReport", "Not written: the write stopped at an earlier key.")
    if r.status == writer.CANCELLED:
        return QCoreApplication.translate("WriteReport", "Not written: you cancelled.")
    return ""


def board_state_text(
    report: writer.Report, spec_of: Callable[[str], SettingSpec | None], default_password: bool | None
) -> tuple[str, bool]:
    """(what the board has now, in plain words; True when all is well)."""
    attempted = [r for r in report.results if r.status != writer.UNCHANGED]
    planned = len(attempted)
    if report.ok:
        if not planned:
            return QCoreApplication.translate(
                "WriteReport", "Nothing to write: the board already has these values."
            ), True
        return QCoreApplication.translate(
            "WriteReport",
            "All %n change(s) were written, read back and verified. The board now has the new settings.",
            "",
            planned,
        ), True
    return " ".join(_stopped_parts(report, spec_of, default_password, planned)), False


def _stopped_parts(
    report: writer.Report,
    spec_of: Callable[[str], SettingSpec | None],
    default_password: bool | None,
    planned: int,
) -> list[str]:
    """A write that stopped: where, why, and what the board holds now, sentence by sentence."""
    written = report.written
    lost = next((r for r in report.results if r.status == writer.FAILED), None)
    bad = next(
        (
            r
            for r in report.results
            if r.status not in writer.OK_STATUSES | {writer.NOT_ATTEMPTED, writer.CANCELLED}
        ),
        None,
    )
    parts = []
    if bad is not None:
        spec = spec_of(bad.key)
        parts.append(
            QCoreApplication.translate("WriteReport", "Stopped at {setting}: {status}.").format(
                setting=setting_label(spec, bad.key), status=status_words(bad.status)
            )
        )
        detail = result_detail(bad, spec, default_password)
        if detail:
            parts.append(detail)
    if any(r.status == writer.CANCELLED for r in report.results):
        parts.append(
            QCoreApplication.translate(
                "WriteReport", "You cancelled: the remaining changes were not written."
            )
        )
    if lost is not None:
        parts.append(
            QCoreApplication.translate(
                "WriteReport",
                "The board's state is not known for {setting}. Reconnect, then "
                "compare with the backup or restore it.",
            ).format(setting=setting_label(spec_of(lost.key), lost.key))
        )
    if not written and lost is None:
        parts.append(
            QCoreApplication.translate(
                "WriteReport", "Nothing was changed on the board: it still has all its previous settings."
            )
        )
    elif written:
        parts.append(
            QCoreApplication.translate(
                "WriteReport",
                "{done} of {total} changes are on the board (marked “written and "
                "verified”); every other setting still has its previous value, so the board "
                "now runs with a mix of old and new settings. Restore the backup, or fix the "
                "cause and write again.",
            ).format(done=len(written), total=planned)
        )
    return parts


def device_line(session: DeviceSession | None) -> str:
    if session is None:
        return QCoreApplication.translate("WriteReport", "No board connected")
    info = session.device_info
    if info is None:
        return session.url.redacted
    return QCoreApplication.translate(
        "WriteReport", "{model}, serial {serial}, firmware {firmware} ({protocol}) on {url}"
    ).format(
        model=info.model or "?",
        serial=info.serial_number or "?",
        firmware=info.software_version or "?",
        protocol=session.protocol.id,
        url=session.url.redacted,
    )


def result_table(headers: list[str]) -> QTableWidget:
    """A read-only table of settings, one row per key."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    # its size hint follows its rows and columns, so a dialog can fit it (fit_table_height)
    table.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
    return table


def title_label() -> QLabel:
    """A page's title: bold, a quarter larger than the text."""
    label = QLabel()
    label.setWordWrap(True)
    f = label.font()
    f.setPointSizeF(f.pointSizeF() * 1.25)
    f.setBold(True)
    label.setFont(f)
    return label


def fit_table_height(table: QTableWidget, *, most: int = 300, least: int = 60) -> None:
    """Show every row of ``table`` up to ``most`` pixels (it scrolls beyond, and gives way
    down to ``least`` on a small screen)."""
    rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
    height = rows + table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth() + 2
    table.setMinimumHeight(min(height, least))
    table.setMaximumHeight(min(height, most))


class ReportPage(QWidget):
    """The last page of the write dialog: the board's state in words, every key's result,
    the backup, and the restore."""

    restoreClicked = Signal()
    closeClicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(8)
        self.report_title = title_label()
        lay.addWidget(self.report_title)
        self.state_label = wrap()
        lay.addWidget(self.state_label)
        self.report_table = result_table(
            [
                self.tr("Setting"),
                self.tr("Before"),
                self.tr("Requested"),
                self.tr("Read back"),
                self.tr("Result"),
            ]
        )
        self.report_table.setColumnWidth(0, 320)
        for col in (1, 2, 3):
            self.report_table.setColumnWidth(col, 120)
        lay.addWidget(self.report_table, 1)
        self.backup_label = wrap()
        lay.addWidget(self.backup_label)
        self.report_note = wrap(style=WARN_STYLE)
        self.report_note.setVisible(False)
        lay.addWidget(self.report_note)
        buttons = QHBoxLayout()
        self.restore_button = QPushButton(self.tr("Restore previous settings from backup"))
        self.restore_button.clicked.connect(self.restoreClicked)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.closeClicked)
        buttons.addWidget(self.close_button)
        lay.addLayout(buttons)

    def show_report(
        self,
        report: writer.Report,
        *,
        restoring: bool,
        spec_of: Callable[[str], SettingSpec | None],
        default_password: bool | None,
    ) -> bool:
        """Fill the page from ``report``; True when all is well."""
        text, ok = board_state_text(report, spec_of, default_password)
        if restoring and ok and not report.backup:
            text = self.tr("The board already had the settings of the backup: nothing needed writing.")
        if restoring:
            title = (
                self.tr("Restored: the board has its previous settings again")
                if ok
                else self.tr("The restore did not complete")
            )
        else:
            title = (
                self.tr("Written and verified")
                if ok
                else self.tr("The write stopped — read what the board has now")
            )
        self.report_title.setText(title)
        self.report_title.setStyleSheet(f"color: {GREEN if ok else RED};")
        self.state_label.setText(text)
        self.state_label.setStyleSheet(OK_STYLE if ok else BLOCK_STYLE)
        self._fill_table(report, spec_of, default_password)
        if report.backup:
            self.backup_label.setText(
                self.tr("Backup of the settings before this write: {path}").format(path=report.backup)
            )
        else:
            self.backup_label.setText(self.tr("No backup was needed: nothing was written."))
        return ok

    def _fill_table(
        self,
        report: writer.Report,
        spec_of: Callable[[str], SettingSpec | None],
        default_password: bool | None,
    ) -> None:
        t = self.report_table
        t.setRowCount(len(report.results))
        for row, r in enumerate(report.results):
            spec = spec_of(r.key)
            unread = r.readback is None and r.status in (
                writer.NOT_ATTEMPTED,
                writer.CANCELLED,
                writer.FAILED,
            )
            t.setItem(row, 0, table_item(setting_label(spec, r.key)))
            t.setItem(row, 1, table_item(value_text(spec, r.old)))
            t.setItem(row, 2, table_item(value_text(spec, r.new)))
            t.setItem(row, 3, table_item("" if unread else value_text(spec, r.readback)))
            t.setItem(
                row,
                4,
                table_item(
                    status_words(r.status),
                    colour=STATUS_COLOURS.get(r.status, RED),
                    bold=r.status not in (writer.UNCHANGED, writer.NOT_ATTEMPTED, writer.CANCELLED),
                ),
            )
            detail = result_detail(r, spec, default_password)
            for col in range(5):
                t.item(row, col).setToolTip(detail)
        t.resizeRowsToContents()
        fit_table_height(t, most=360)

    def set_restore(self, *, restoring: bool, ok: bool, backup: bool, written: bool) -> None:
        """The restore button for what the report says: Undo after a good write, Restore
        after a bad one (red when part of the write is on the board), Try again after a
        failed restore."""
        self.restore_button.setVisible(backup and (not restoring or not ok))
        if restoring:
            text = (
                self.tr("Try the restore again")
                if not ok
                else self.tr("Restore previous settings from backup")
            )
        elif ok:
            text = self.tr("Undo: restore previous settings from backup")
        else:
            text = self.tr("Restore previous settings from backup")
        self.restore_button.setText(text)
        self.restore_button.setStyleSheet("" if ok or not written else DANGER_STYLE)

    def show_note(self, text: str) -> None:
        self.report_note.setText(text)
        self.report_note.setVisible(bool(text))
