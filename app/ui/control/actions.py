"""Restart, shut down, factory reset: the board actions its protocol knows
(``Protocol.actions``), each confirmed in words; a factory reset needs RESET typed,
saves a backup first and shows the settings the board has afterwards, what it
changed first (services/control.py ``board_action``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget

from ...services import control, settings_files
from ...services.keychain import PasswordMemory
from ..control_widgets import grey
from ..setting_format import is_secret, setting_label, value_text
from ..theme import AMBER, GREY, RED, table_item
from .base import Section
from .caps import Capabilities
from .words import action_name

BOARD_ACTIONS = ("restart", "shutdown", "factory_reset")
RESET_WORD = "RESET"


class ActionsSection(Section):
    def __init__(self, page) -> None:
        super().__init__(page, self.tr("Restart, shut down, factory reset"))
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for action in BOARD_ACTIONS:
            button = QPushButton(action_name(action) + "…")
            if action == "factory_reset":
                # red only while it can be pressed (a disabled one greys like the others)
                button.setStyleSheet(f"QPushButton:enabled {{ color: {RED}; font-weight: bold; }}")
            button.clicked.connect(lambda _c=False, a=action: self.ask_action(a))
            self.buttons[action] = button
            row.addWidget(button)
        row.addStretch(1)
        self.lay.addLayout(row)
        self.note = grey()
        self.lay.addWidget(self.note)
        self.add_confirm()
        self.backup_label = grey()
        self.backup_label.setVisible(False)
        self.lay.addWidget(self.backup_label)
        self.after_title = QLabel()
        f = self.after_title.font()
        f.setBold(True)
        self.after_title.setFont(f)
        self.after_title.setVisible(False)
        self.lay.addWidget(self.after_title)
        self.after_table = self._build_table()
        self.lay.addWidget(self.after_table)

    def _build_table(self) -> QTableWidget:
        table = QTableWidget(0, 3)
        table.setHorizontalHeaderLabels(
            [self.tr("Setting"), self.tr("Before (backup)"), self.tr("Now (read back)")]
        )
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        table.setMinimumHeight(260)
        table.setVisible(False)
        return table

    def apply(self, caps: Capabilities) -> None:
        known = [a for a in BOARD_ACTIONS if a in caps.actions] if caps.board else list(BOARD_ACTIONS)
        for action, button in self.buttons.items():
            button.setVisible(action in known)
        if not known:
            self.note.setText(
                self.tr(
                    "{family} has no restart, shutdown or factory-reset command that Packbench knows "
                    "(none is documented for it), so none is offered."
                ).format(family=caps.family)
            )
        else:
            self.note.setText(
                self.tr(
                    "Each one asks first and says what happens to the "
                    "pack. A factory reset saves a backup first."
                )
            )
        self.note.setVisible(caps.board)

    def update_enabled(self, can: bool, live: bool) -> None:
        super().update_enabled(can, live)
        asking = self.panel is not None and self.panel.isVisible()
        for button in self.buttons.values():
            button.setEnabled(can and not asking)

    def reset(self) -> None:
        super().reset()
        for w in (self.backup_label, self.after_title, self.after_table):
            w.setVisible(False)

    # --- asking and running ----------------------------------------------------------------------
    def ask_action(self, action: str) -> None:
        session = self.page.bridge.session
        if session is None:
            return
        reset = action == "factory_reset"
        if reset:
            folder = settings_files.backup_dir() / PasswordMemory.device(session)
            note = self.tr(
                "Packbench checks the password, saves all the board's settings to a "
                "backup in {folder}, sends the reset and shows the settings the board "
                "has afterwards."
            ).format(folder=folder)
        elif action == "shutdown":
            note = self.tr("The connection drops when the board switches off.")
        else:
            note = self.tr(
                "Packbench checks the password, sends the command and reads the settings "
                "back once the board answers again."
            )
        titles = {
            "restart": self.tr("Restart the board?"),
            "shutdown": self.tr("Shut the board down?"),
            "factory_reset": self.tr("Reset the board to its factory settings?"),
        }
        self.ask(
            action=action,
            title=titles[action],
            text=QCoreApplication.translate("Control", control.ACTION_CONSEQUENCES[action]),
            confirm=action_name(action),
            danger=action != "restart",
            note=note,
            typed_word=RESET_WORD if reset else "",
        )

    def busy_text(self, action: str) -> str:
        if action == "factory_reset":
            return self.tr("Saving a backup, sending the reset, waiting for the board …")
        return self.tr("Sending, waiting for the board …")

    async def work(self, session: Any, password: str, action: str, value: object) -> control.ActionResult:
        page = self.page
        return await control.board_action(
            session, action, password=password, gate=page.gate, backup_dir=page.backup_dir
        )

    def show_result(self, action: str, value: object, result: control.ActionResult) -> None:
        self.page.last_action_result = result
        self._say(result)
        self.backup_label.setText(
            self.tr("Backup saved to {path}").format(path=result.backup) if result.backup else ""
        )
        self.backup_label.setVisible(result.backup is not None)
        show_table = result.action == "factory_reset" and result.settings_after is not None
        self.after_title.setVisible(show_table)
        self.after_table.setVisible(show_table)
        if show_table:
            self._fill_after(result)

    def _say(self, res: control.ActionResult) -> None:
        assert self.result is not None
        name = action_name(res.action)
        if res.silent_board and res.action == "shutdown":
            self.result.warn(
                self.tr(
                    "Sent. This board answers commands with nothing, so "
                    "Packbench cannot tell whether it switched off."
                )
            )
        elif not res.ok and not res.silent_board:
            self.result.bad(
                self.tr("Refused: the board did not acknowledge “{name}”. Nothing happened.").format(
                    name=name
                )
            )
        elif res.action == "shutdown":
            self.result.ok(
                self.tr(
                    "The board acknowledged and is switching off. It wakes "
                    "when a charger is connected or its button is pressed."
                )
            )
        elif res.settings_after is None:
            self.result.warn(
                self.tr(
                    "The board acknowledged “{name}” but has not answered "
                    "since. Reconnect and check its settings."
                ).format(name=name)
                if res.acknowledged
                else self.tr(
                    "“{name}” was sent, but the board (which acknowledges "
                    "nothing) has not answered since. Reconnect and check "
                    "its settings."
                ).format(name=name)
            )
        elif res.action == "factory_reset":
            self.result.ok(
                self.tr(
                    "Done: the board reset itself and answers again. Its "
                    "settings now are shown below: check every protection "
                    "value before using the pack."
                )
            )
        elif res.acknowledged:
            self.result.ok(
                self.tr("Done: the board acknowledged “{name}” and answers again.").format(name=name)
            )
        else:
            self.result.ok(
                self.tr(
                    "Done: “{name}” was sent and the board answers again (it acknowledges nothing)."
                ).format(name=name)
            )

    def _fill_after(self, res: control.ActionResult) -> None:
        before: dict[str, Any] = {}
        if res.backup is not None:
            try:
                before = dict(settings_files.load(res.backup).get("settings", {}))
            except (OSError, ValueError):
                before = {}
        session = self.page.bridge.session
        schema = session.protocol.settings_schema() if session is not None else ()
        specs = {s.key: s for s in schema}
        after = res.settings_after or {}
        keys = [s.key for s in schema if s.key in after] + [k for k in after if k not in specs]
        keys = [k for k in keys if not is_secret(k)]

        def differs(key: str) -> bool:
            return bool(before) and not settings_files.same(specs.get(key), before.get(key), after.get(key))

        keys.sort(key=lambda k: not differs(k))  # what the reset changed first
        changed = 0
        t = self.after_table
        t.setRowCount(len(keys))
        for row, key in enumerate(keys):
            spec, changes = specs.get(key), differs(key)
            changed += changes
            t.setItem(row, 0, table_item(setting_label(spec, key), bold=changes))
            t.setItem(row, 1, table_item(value_text(spec, before.get(key)) if before else "—", colour=GREY))
            t.setItem(
                row,
                2,
                table_item(value_text(spec, after.get(key)), bold=changes, colour=AMBER if changes else None),
            )
        t.resizeRowsToContents()
        self.after_title.setText(
            self.tr("Settings the board reports after the reset: %n changed (bold)", "", changed)
        )
