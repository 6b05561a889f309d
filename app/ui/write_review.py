"""The first page of the write dialog: board → new in write order, the safety rules
(blocks in red, each warning with its own tick), what the write will do step by step,
and the password.

The page shows; the dialog decides (whether Write is enabled, what a click does).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..model import SettingSpec
from ..services import settings_files, writer
from ..services.file_reading import known_specs
from ..services.interlocks import Finding
from ..services.keychain import PasswordMemory
from ..session import DeviceSession
from .dialog_size import FitScrollArea
from .password import PasswordBox, board_checked, factory_mode
from .setting_format import finding_text, setting_label, value_text
from .theme import BLOCK_STYLE, GREY, INFO_STYLE, PRIMARY_STYLE, WARN_STYLE, table_item, wrap
from .write_report import fit_table_height, result_table, title_label

ADVISORY_STYLE = "QFrame#advisory { background: #fff4d6; border: 1px solid #e6c96b; border-radius: 4px; }"


def write_steps(session: DeviceSession, plan: writer.Plan) -> str:
    """What pressing Write does, step by step, for this board's protocol."""
    folder = settings_files.backup_dir() / PasswordMemory.device(session)
    mode = factory_mode(session)
    if board_checked(session) and mode:
        first = QCoreApplication.translate(
            "WriteSteps",
            "1. Packbench asks the board for factory mode, where its settings are "
            "kept. It sends the password only if the board asks for one; if the "
            "board refuses it, nothing is written.",
        )
    elif board_checked(session):
        first = QCoreApplication.translate(
            "WriteSteps",
            "1. Packbench sends the password only if the board asks for one, once; "
            "if the board refuses it, nothing is written.",
        )
    else:
        first = QCoreApplication.translate(
            "WriteSteps",
            "1. Packbench checks the password against the one the board reports. "
            "If it is wrong, nothing is sent.",
        )
    steps = [
        QCoreApplication.translate("WriteSteps", "When you press Write:"),
        first,
        QCoreApplication.translate(
            "WriteSteps", "2. It saves all the board's current settings to a backup file in {folder}."
        ).format(folder=folder),
        QCoreApplication.translate(
            "WriteSteps",
            "3. It writes the changes one at a time, in the order shown, so that every step "
            "leaves valid settings on the board.",
        ),
        QCoreApplication.translate(
            "WriteSteps",
            "4. After each write it reads the settings back and checks the value. At the "
            "first problem it stops, says what the board has now, and offers to restore "
            "the backup.",
        ),
    ]
    keys = frozenset(c.key for c in plan.changes)
    if board_checked(session) and mode:
        steps.append(
            QCoreApplication.translate(
                "WriteSteps",
                "5. It leaves factory mode, which makes the board save the "
                "changes (also after a problem or a lost link: the board is never "
                "left in factory mode), and reads everything back once more.",
            )
        )
    elif session.protocol.scoped(keys).close_write_script(True) is not None:
        steps.append(
            QCoreApplication.translate(
                "WriteSteps",
                "5. After the last write it tells the board, once, to store the "
                "changes, and reads everything back once more.",
            )
        )
    return "\n".join(steps)


class ReviewPage(QWidget):
    """Review the diff and the safety rules; tick the warnings; enter the password."""

    writeClicked = Signal()
    rereadClicked = Signal()
    cancelClicked = Signal()
    #: a warning's tick or the password changed: the dialog checks Write again
    changed = Signal()

    def __init__(self, session: DeviceSession, memory: PasswordMemory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.advisory_boxes: dict[str, QCheckBox] = {}
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(8)
        # what the write does scrolls as one when the screen is small; the password and
        # the buttons stay in view
        self.body = FitScrollArea(self._build_body())
        root.addWidget(self.body, 1)
        self.password_box = PasswordBox(memory, session)
        self.password_box.changed.connect(self.changed)
        root.addWidget(self.password_box)
        self.review_error = wrap(style=BLOCK_STYLE)
        self.review_error.setVisible(False)
        root.addWidget(self.review_error)
        root.addLayout(self._buttons())

    def _build_body(self) -> QWidget:
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(8)
        self.review_title = title_label()
        lay.addWidget(self.review_title)
        self.source_label = wrap()
        lay.addWidget(self.source_label)
        self.diff_table = result_table(
            [
                self.tr("#"),
                self.tr("Setting"),
                self.tr("On the board"),
                self.tr("New value"),
                self.tr("Key"),
            ]
        )
        for col, width in enumerate((36, 330, 130, 130)):
            self.diff_table.setColumnWidth(col, width)
        lay.addWidget(self.diff_table)
        self.unchanged_label = QLabel()
        self.unchanged_label.setStyleSheet(f"color: {GREY};")
        lay.addWidget(self.unchanged_label)
        self.findings_widget = QWidget()
        self.findings_layout = QVBoxLayout(self.findings_widget)
        self.findings_layout.setContentsMargins(0, 0, 0, 0)
        self.findings_layout.setSpacing(6)
        lay.addWidget(self.findings_widget)
        self.steps_label = wrap(style=INFO_STYLE)
        lay.addWidget(self.steps_label)
        lay.addStretch(1)
        return body

    def _buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        self.reread_button = QPushButton(self.tr("Read the board again"))
        self.reread_button.setToolTip(self.tr("Read the board's settings again and show a fresh diff."))
        self.reread_button.clicked.connect(self.rereadClicked)
        buttons.addWidget(self.reread_button)
        buttons.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Cancel — write nothing"))
        self.cancel_button.clicked.connect(self.cancelClicked)
        buttons.addWidget(self.cancel_button)
        self.write_button = QPushButton()
        self.write_button.setStyleSheet(PRIMARY_STYLE)
        self.write_button.clicked.connect(self.writeClicked)
        buttons.addWidget(self.write_button)
        return buttons

    # --- filling ---------------------------------------------------------------------------------
    def fill(
        self,
        plan: writer.Plan,
        *,
        source: str,
        missing: Mapping[str, Any],
        spec_of: Callable[[str], SettingSpec | None],
    ) -> None:
        """Show ``plan``; ``missing``: the preset's values this board has no setting for."""
        n = len(plan.changes)
        self.review_title.setText(
            self.tr("%n change(s) to write, board → new, in write order", "", n)
            if n
            else self.tr("Nothing to write")
        )
        self.source_label.setText(self.tr("Requested by: {source}").format(source=source) if source else "")
        self.source_label.setVisible(bool(source))
        self._fill_table(plan, spec_of)
        self.unchanged_label.setText(
            self.tr(
                "%n requested setting(s) already have the requested value and are left alone.",
                "",
                len(plan.unchanged),
            )
            if plan.unchanged
            else ""
        )
        self.unchanged_label.setVisible(bool(plan.unchanged))
        self._fill_findings(plan, missing, spec_of)
        self.steps_label.setText(write_steps(self.session, plan))
        self.write_button.setText(self.tr("Write %n change(s) to the board", "", n))

    def _fill_table(self, plan: writer.Plan, spec_of: Callable[[str], SettingSpec | None]) -> None:
        t = self.diff_table
        t.setRowCount(len(plan.changes))
        for row, change in enumerate(plan.changes):
            spec = spec_of(change.key)
            t.setItem(row, 0, table_item(str(row + 1), colour=GREY))
            t.setItem(row, 1, table_item(setting_label(spec, change.key)))
            t.setItem(row, 2, table_item(value_text(spec, change.old)))
            t.setItem(row, 3, table_item(value_text(spec, change.new), bold=True))
            t.setItem(row, 4, table_item(change.key, colour=GREY))
        t.resizeRowsToContents()
        # every row up to about a third of a small screen; the findings get the rest
        fit_table_height(t, most=240)

    def _fill_findings(
        self, plan: writer.Plan, missing: Mapping[str, Any], spec_of: Callable[[str], SettingSpec | None]
    ) -> None:
        """Blocks in red, each warning with its own tick, then plain notes."""
        while self.findings_layout.count():
            item = self.findings_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.advisory_boxes = {}
        if plan.blocking:
            head = wrap(
                self.tr(
                    "Blocked by the safety rules: nothing can be written until the form is changed.",
                )
                + "\n"
                + "\n".join("• " + finding_text(f) for f in plan.blocking),
                BLOCK_STYLE,
            )
            head.setObjectName("blocking")
            self.findings_layout.addWidget(head)
        for finding in plan.advisories:
            self.findings_layout.addWidget(self._advisory_row(finding))
        for text in self._consequences(plan):
            self.findings_layout.addWidget(wrap(text, WARN_STYLE))
        if missing:
            note = wrap(missing_text(missing, spec_of), INFO_STYLE)
            note.setObjectName("missing")
            self.findings_layout.addWidget(note)
        self.findings_widget.setVisible(self.findings_layout.count() > 0)

    def _advisory_row(self, finding: Finding) -> QWidget:
        frame = QFrame()
        frame.setObjectName("advisory")
        frame.setStyleSheet(ADVISORY_STYLE)
        lay = QHBoxLayout(frame)
        lay.setContentsMargins(8, 4, 8, 4)
        box = QCheckBox(self.tr("I accept this"))
        box.setToolTip(self.tr("Writing needs your explicit acknowledgement of every warning."))
        box.toggled.connect(self.changed)
        text = QLabel(self.tr("Warning — {text}").format(text=finding_text(finding)))
        text.setWordWrap(True)
        text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        lay.addWidget(text, 1)
        lay.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
        self.advisory_boxes[finding.id] = box
        return frame

    def _consequences(self, plan: writer.Plan) -> list[str]:
        """Plain words for changes whose effect on the pack is not obvious from a number
        (a switch change is an advisory of its own, interlocks rule 12)."""
        out = []
        for c in plan.changes:
            if c.key == "cell_count":
                out.append(
                    self.tr(
                        "The cell count changes from {old} to {new}: it must match the "
                        "cells wired to the board.",
                    ).format(old=c.old, new=c.new)
                )
        return out

    # --- state -----------------------------------------------------------------------------------
    def all_acknowledged(self) -> bool:
        return all(b.isChecked() for b in self.advisory_boxes.values())

    def acknowledged(self) -> set[str]:
        return {fid for fid, box in self.advisory_boxes.items() if box.isChecked()}

    def show_error(self, text: str) -> None:
        self.review_error.setText(text)
        self.review_error.setVisible(bool(text))


def missing_text(missing: Mapping[str, Any], spec_of: Callable[[str], SettingSpec | None]) -> str:
    """The preset's values this board has no setting for, in words, one per line."""
    lines = [
        QCoreApplication.translate(
            "WriteSteps",
            "This board has no setting for these values of the preset and the pack, so they have "
            "nowhere to go and nothing is written for them:",
        )
    ]
    for key, value in missing.items():
        spec = spec_of(key) or known_specs().get(key)  # a key of another board: its unit
        lines.append(
            QCoreApplication.translate("WriteSteps", "• {setting}: {value}").format(
                setting=setting_label(spec, key), value=value_text(spec, value)
            )
        )
    return "\n".join(lines)
