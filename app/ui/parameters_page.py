"""Parameters: the board's settings, editable, with presets and the write transaction.

The page puts together the board's identity, the side panel (presets, pack profile,
files, the board's own presets), the table of settings with its help box
(settings_table.py) and the footer that leads to the review.  The file buttons are
settings_file_actions.py's.

Nothing on this page writes by itself: "Review and write…" prepares the plan
(services/writer.py) and opens the review dialog (write_dialog.py).

At a small laptop's 1024×640 every part is on screen at first sight: the board's
identity sits above the table (the side panel gets the page's full height), and the
board's own presets are pinned under the side panel's scroll area, never below the
fold.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..model import DeviceInfo, Settings, SettingSpec
from ..protocols import Protocol, get_protocol
from ..services import presets, settings_files, writer
from ..services.keychain import PasswordMemory
from ..session import SessionError
from .board_info import BoardInfoBox
from .board_preset_dialog import BoardPresetDialog, board_preset_name
from .bridge import SessionBridge
from .preset_panel import PresetPanel
from .setting_format import decimals_for, is_secret
from .settings_file_actions import SettingsFileActions
from .settings_table import Row, SettingsTable
from .theme import GREY, PRIMARY_STYLE, RED
from .value_editor import ValueEditor
from .widgets import sentence, vocab
from .write_dialog import WriteDialog

__all__ = ["ParametersPage", "decimals_for", "is_secret"]


class _PanelScroll(QScrollArea):
    """The side panel's scroll area: as tall as the panel wants (no taller), shorter with a
    scroll bar where the page is short."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        widget = self.widget()
        if widget is None:
            return super().sizeHint()
        frame = 2 * self.frameWidth()
        # room for the vertical scroll bar kept: where the page is short it appears, and
        # the panel must not lose its right edge to it (the Apply button was cut by 2 px)
        bar = self.verticalScrollBar().sizeHint().width()
        return widget.sizeHint() + QSize(frame + bar, frame)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the panel's content changed: so does this size hint
        return super().eventFilter(watched, event)


def _note(style: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet(style)
    label.setVisible(False)
    return label


class ParametersPage(QWidget):
    COL_LABEL, COL_VALUE, COL_NEW, COL_RANGE, COL_KEY = range(5)

    #: the form changed (number of rows that differ from the board)
    formChanged = Signal(int)

    def __init__(self, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.gate = writer.PasswordGate()  # one per app run: the back-off survives the dialog
        self.passwords = PasswordMemory()
        #: the applied preset's values this board has no setting for (the review names them)
        self._missing: dict[str, Any] = {}
        self.dialog: WriteDialog | BoardPresetDialog | None = None
        self.chemistry: str | None = None
        # the file the form's values come from (another board's file is an advisory)
        self._origin: settings_files.Origin | None = None
        self._source = ""
        self._busy = False
        self._prefilled_for: object | None = None
        self._prune_pending = False

        root = QVBoxLayout(self)
        root.setContentsMargins(10, 10, 10, 10)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(self._build_side())
        split.addWidget(self._build_main())
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([self.panel_scroll.minimumWidth(), 900])
        root.addWidget(split, 1)

        p = self.panel
        p.applyClicked.connect(self.apply_preset_from_panel)
        p.boardPresetRequested.connect(self.open_board_preset)
        self.files = SettingsFileActions(self)
        self.table.edited.connect(self._on_edited)
        self.table.changed.connect(self._update_footer)

        bridge.settingsReceived.connect(self.show_settings)
        bridge.deviceInfoReceived.connect(self.show_device_info)
        bridge.sessionChanged.connect(self._on_session_changed)
        bridge.stateChanged.connect(self._on_state)
        bridge.snapshotReceived.connect(self._on_snapshot)
        self.show_device_info(bridge.device_info)
        self.show_settings(bridge.settings)
        self._on_state(bridge.state, "")

    # --- building -----------------------------------------------------------------------------------
    def _build_side(self) -> QWidget:
        """The side panel in a scroll area, and under it (never scrolled away) the board's
        own presets."""
        self.side = QWidget()
        lay = QVBoxLayout(self.side)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        self.panel = PresetPanel()
        scroll = _PanelScroll()
        scroll.setWidget(self.panel)
        scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        scroll.setWidgetResizable(True)
        # wide enough for the panel: it never scrolls sideways or clips
        scroll.setMinimumWidth(
            self.panel.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width() + 6
        )
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        lay.addWidget(scroll)
        self.panel_scroll = scroll
        # the panel shows and hides the box with the board's actions (set_board_actions)
        self.board_box = self.panel.board_box
        self.panel.layout().removeWidget(self.board_box)
        lay.addWidget(self.board_box)
        lay.addStretch(1)
        return self.side

    def _build_main(self) -> QWidget:
        main = QWidget()
        rl = QVBoxLayout(main)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.setSpacing(6)
        self.info_box = BoardInfoBox()
        self._info_values = self.info_box.values
        rl.addWidget(self.info_box)
        rl.addLayout(self._build_top_row())
        # a read-only family (Protocol.read_only_reason): why nothing here can be written
        self.read_only_label = _note(
            "QLabel { background: #e8f0fe; border: 1px solid #9ab6e0; border-radius: 4px; padding: 6px; }"
        )
        # what this board family cannot write, and why (Protocol.settings_notice)
        self.board_note = _note(
            "QLabel { background: #eef4fb; border: 1px solid #b9cde4; border-radius: 4px; padding: 5px; }"
        )
        self.source_label = _note(
            "QLabel { background: #fff1cc; border: 1px solid #e6c96b; border-radius: 4px; padding: 5px; }"
        )
        for label in (self.read_only_label, self.board_note, self.source_label):
            rl.addWidget(label)
        self.table = SettingsTable()
        self.tree = self.table.tree
        self.help_label = self.table.help_label
        self.empty_label = self.table.empty_label
        rl.addWidget(self.table, 1)
        rl.addLayout(self._build_footer())
        return main

    def _build_top_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.note = QLabel(
            self.tr(
                "Change values in the New value column, or apply a preset. Nothing is written until you "
                "choose “Review and write…” and confirm."
            )
        )
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {GREY};")
        row.addWidget(self.note, 1)
        row.addStretch(0)  # a read-only family hides the note: the button keeps its size
        self.read_label = QLabel()
        self.read_label.setStyleSheet(f"color: {GREY};")
        row.addWidget(self.read_label)
        self.refresh_button = QPushButton(self.tr("Refresh from board"))
        self.refresh_button.clicked.connect(self._on_refresh)
        row.addWidget(self.refresh_button)
        return row

    def _build_footer(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar.addWidget(self.message_label, 1)
        self.changes_label = QLabel()
        f = self.changes_label.font()
        f.setBold(True)
        self.changes_label.setFont(f)
        bar.addWidget(self.changes_label)
        self.revert_all_button = QPushButton(self.tr("Revert all"))
        self.revert_all_button.setToolTip(self.tr("Put every new value back to the board's value."))
        self.revert_all_button.clicked.connect(self.revert_all)
        bar.addWidget(self.revert_all_button)
        self.review_button = QPushButton(self.tr("Review and write…"))
        self.review_button.setStyleSheet(PRIMARY_STYLE)
        self.review_button.clicked.connect(self._on_review)
        bar.addWidget(self.review_button)
        return bar

    # --- state ---------------------------------------------------------------------------------------
    @property
    def live(self) -> bool:
        return self.bridge.session is not None and self.bridge.state == "live"

    @property
    def _rows(self) -> dict[str, Row]:
        return self.table.rows

    def _on_refresh(self) -> None:
        self.bridge.spawn(self.bridge.refresh_settings())

    def _on_state(self, state: str, _detail: str) -> None:
        live = state == "live"
        self.refresh_button.setEnabled(live)
        self.panel.set_connected(live)
        self.table.set_live(live)
        session = self.bridge.session
        if live and session is not None and session.settings is None and not session.protocol.streaming:
            # polled boards (JBD) send no settings by themselves: ask once
            self.bridge.spawn(self.bridge.refresh_settings())
        self._update_footer()

    def _on_session_changed(self, session: object) -> None:
        # another board (or none): the form and the passwords in memory belong to the old one
        self.table.wanted.clear()
        self._forget_source()
        self.passwords.clear()
        self._prefilled_for = None
        self.message_label.setText("")
        self.show_device_info(None)
        self.show_settings(None)
        actions = writer.board_preset_actions(session) if session is not None else []
        self.panel.set_board_actions(actions, {a: board_preset_name(a) for a in actions})
        self.panel.set_connected(self.live)
        self._show_read_only()

    def _on_snapshot(self, snap: Any) -> None:
        self.panel.set_measured_cells(getattr(snap, "cell_count", None))

    @property
    def read_only_reason(self) -> str | None:
        """Why this board's settings cannot be written (its protocol's reason), or None."""
        protocol = getattr(self.bridge.session, "protocol", None)
        return getattr(protocol, "read_only_reason", None) or None

    def _show_read_only(self) -> None:
        """A read-only family: the reason in words instead of presets, editors and writes."""
        reason = self.read_only_reason
        if reason:
            self.read_only_label.setText(QCoreApplication.translate("ReadOnly", reason))
        self.read_only_label.setVisible(bool(reason))
        self.side.setVisible(not reason)
        self.note.setVisible(not reason)
        for widget in (self.revert_all_button, self.review_button, self.changes_label):
            widget.setVisible(not reason)

    def show_device_info(self, info: DeviceInfo | None) -> None:
        self.info_box.show_info(info)
        session = self.bridge.session
        self._show_read_only()  # the protocol may have been refined (or probed) since
        if session is not None:  # the protocol may have been refined by the device info
            actions = writer.board_preset_actions(session)
            if list(self.panel.board_buttons) != actions:
                self.panel.set_board_actions(actions, {a: board_preset_name(a) for a in actions})
                self.panel.set_connected(self.live)

    # --- the table ------------------------------------------------------------------------------------
    def _protocol_for(self, settings: Settings) -> Protocol | None:
        """The connected board's protocol (bound to its options) when the settings are its,
        else the registry's."""
        session = self.bridge.session
        proto = getattr(session, "protocol", None)
        if isinstance(proto, Protocol) and proto.id == settings.protocol:
            return proto
        try:
            return get_protocol(settings.protocol) if settings.protocol else None
        except KeyError:
            return None

    def _schema_for(self, settings: Settings) -> list[SettingSpec]:
        proto = self._protocol_for(settings)
        # as this board's settings show it (a family whose layout differs between models)
        return list(proto.board_schema(settings.values)) if proto is not None else []

    def _show_notice(self, settings: Settings | None) -> None:
        proto = self._protocol_for(settings) if settings is not None else None
        notice = proto.settings_notice(settings.values) if proto is not None and settings else None
        if notice is None:
            self.board_note.setVisible(False)
            return
        template, fields = notice
        shown = {k: ", ".join(vocab(x) for x in v) if isinstance(v, list) else v for k, v in fields.items()}
        self.board_note.setText(QCoreApplication.translate("ParametersPage", template).format(**shown))
        self.board_note.setVisible(True)

    def show_settings(self, settings: Settings | None) -> None:
        self._show_notice(settings)
        if settings is None or not settings.values:
            self.table.show_rows(None, [], {})
            self.read_label.setText("")
            self._update_footer()
            return
        self.read_label.setText(
            self.tr("Read from the board at {time}").format(time=time.strftime("%H:%M:%S"))
        )
        self.table.show_rows(settings.protocol, self._schema_for(settings), dict(settings.values))
        if self._prune_pending:
            self._prune_pending = False
            self.prune_written()
        session = self.bridge.session
        if session is not None and self._prefilled_for is not session:
            self._prefilled_for = session
            self.panel.prefill(dict(settings.values))
        self._refresh_all()

    def _refresh_all(self) -> None:
        self.table.refresh_all()
        self._update_footer()

    def _update_footer(self) -> None:
        self.table.show_group_counts()
        n = len(self.table.changed_keys())
        self.changes_label.setText(
            self.tr("%n change(s) in the form", "", n) if n else self.tr("No changes in the form")
        )
        self.revert_all_button.setEnabled(bool(self.table.wanted))
        self.review_button.setEnabled(n > 0 and self.live and not self._busy)
        self.formChanged.emit(n)

    # --- the form -------------------------------------------------------------------------------------
    def changed_keys(self) -> list[str]:
        return self.table.changed_keys()

    def requested(self) -> dict[str, Any]:
        """Everything the form asks for (the writer writes only what differs)."""
        return self.table.requested()

    def form_values(self) -> dict[str, Any]:
        """The New value column: the board's values with the form's requests on top."""
        return self.table.form_values()

    def _on_edited(self, _key: str) -> None:
        if not self._source:
            self._set_source(self.tr("your edits"))

    def set_new_value(self, key: str, value: Any) -> None:
        """As if typed into the key's editor (for tests and scripts)."""
        self.table.set_new_value(key, value)

    def revert(self, key: str) -> None:
        self.table.revert(key)
        if not self.table.wanted:
            self._forget_source()
            self._update_footer()

    def revert_all(self) -> None:
        self.table.wanted.clear()
        self._forget_source()
        self.message_label.setText("")
        self._refresh_all()

    def prune_written(self) -> None:
        """Drop requests the board now has (after a write): what stays highlighted is pending."""
        self.table.prune_written()
        if not self.table.wanted:
            self._forget_source()

    def _forget_source(self) -> None:
        self.chemistry = None
        self._origin = None
        self._set_source("")

    def _set_source(self, text: str) -> None:
        self._source = text
        self._missing = {}
        self.source_label.setText(text and self.tr("New values from: {source}").format(source=text))
        self.source_label.setVisible(bool(text))

    def set_form(
        self,
        values: dict[str, Any],
        *,
        source: str,
        chemistry: str | None,
        note: str = "",
        origin: settings_files.Origin | None = None,
    ) -> list[str]:
        """Replace the form with ``values``; returns the keys this board cannot take."""
        ignored = self.table.set_wanted(values)
        self._origin = origin
        self.chemistry = chemistry
        text = source
        if note:
            text += " " + note
        if ignored:
            text += " " + self.tr("Not on this board, left out: {keys}.").format(
                keys=", ".join(vocab(k) for k in sorted(ignored))
            )
        self._set_source(text)
        self._refresh_all()
        n = len(self.changed_keys())
        self.message(
            self.tr("%n row(s) differ from the board and are highlighted. Nothing has been written.", "", n)
            if n
            else self.tr("The board already has all these values.")
        )
        return ignored

    def message(self, text: str, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(f"color: {RED};" if error else "")

    # --- presets and files ----------------------------------------------------------------------------
    def apply_preset_from_panel(self) -> None:
        try:
            preset = self.panel.current_preset()
            profile = self.panel.profile()
            profile.values()  # validates
        except (OSError, ValueError, KeyError) as exc:
            self.message(
                self.tr("Cannot use this preset: {reason}").format(reason=sentence(str(exc))), error=True
            )
            return
        self.apply_preset(preset, profile)

    def apply_preset(self, preset: presets.Preset, profile: presets.PackProfile | None) -> None:
        keys = {k for k, r in self.table.rows.items() if r.editor is not None}
        if self.table.rows and not keys & set(preset.values):
            # a board that takes no chemistry setting from Packbench (the note says why)
            self.message(
                self.tr(
                    "This board takes none of the preset's settings from Packbench "
                    "(see the note above the table): nothing was changed in the "
                    "form."
                ),
                error=True,
            )
            return
        wanted = preset.apply(profile, keys)
        name = (
            self.tr("{name} preset (Packbench)").format(name=preset.name)
            if preset.builtin
            else self.tr("my preset “{name}”").format(name=preset.name)
        )
        source = name + (", " + self.panel.profile_text() if profile is not None else "")
        self.set_form(wanted, source=source + ".", chemistry=preset.chemistry)
        self._missing = preset.missing(profile, keys)

    def load_file(self, path: Path, *, compare: bool = False) -> bool:
        """A settings export, a backup or a preset into the form (settings_file_actions.py)."""
        return self.files.load_file(path, compare=compare)

    async def export_to(self, path: Path) -> Path | None:
        return await self.files.export_to(path)

    def open_preset_file(self, path: Path) -> None:
        self.files.open_preset_file(path)

    def save_preset_file(self, path: Path) -> None:
        self.files.save_preset_file(path)

    # --- the write transaction -----------------------------------------------------------------------------
    def _on_review(self) -> None:
        if self._busy or not self.live:
            return
        self.bridge.spawn(self.review())

    async def review(self) -> WriteDialog | None:
        """Read the board, work out the plan and open the review dialog."""
        session = self.bridge.session
        if session is None:
            return None
        self._busy = True
        self._update_footer()
        self.message(self.tr("Reading the board's settings …"))
        try:
            plan = await writer.prepare(
                session, self.requested(), chemistry=self.chemistry, origin=self._origin
            )
        except (writer.WriteError, SessionError) as exc:
            self.message(
                self.tr("Cannot prepare the write: {reason}").format(reason=sentence(str(exc))), error=True
            )
            return None
        finally:
            self._busy = False
            self._update_footer()
        self.message("")
        dialog = WriteDialog(
            self.bridge,
            plan,
            chemistry=self.chemistry,
            gate=self.gate,
            memory=self.passwords,
            source=self._source,
            missing=self._missing,
            parent=self,
        )
        self._show_dialog(dialog)
        return dialog

    def open_board_preset(self, action: str) -> BoardPresetDialog | None:
        if not self.live:
            return None
        dialog = BoardPresetDialog(self.bridge, action, gate=self.gate, memory=self.passwords, parent=self)
        self._show_dialog(dialog)
        return dialog

    def _show_dialog(self, dialog: WriteDialog | BoardPresetDialog) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.wrote.connect(self._after_write)
        dialog.finished.connect(lambda _r: self._after_dialog())
        dialog.open()  # window-modal, returns at once (never exec(), stack.md P2)

    def _after_write(self) -> None:
        self._prune_pending = True
        self.bridge.spawn(self.bridge.refresh_settings())

    def _after_dialog(self) -> None:
        self.prune_written()
        self._refresh_all()
        if self.dialog is not None:
            text, ok = self.dialog.outcome_text()
            self.message(text, error=not ok)

    # --- for tests ------------------------------------------------------------------------------------------
    def row_text(self, key: str) -> tuple[str, str] | None:
        """(label, board value text) of the row for ``key``, or None."""
        return self.table.row_text(key)

    def editor(self, key: str) -> ValueEditor | None:
        return self.table.editor(key)

    def is_highlighted(self, key: str) -> bool:
        return self.table.is_highlighted(key)
