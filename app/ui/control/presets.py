"""The board's own presets: one button per chemistry preset the board has
(``preset_lifepo4`` … in ``Protocol.actions``), each opening the Parameters tab's
board-preset dialog (backup first, the values it produced shown after).
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton

from ..board_preset_dialog import BoardPresetDialog, board_preset_name
from ..control_widgets import ResultLine, grey
from .base import Section
from .caps import Capabilities


class PresetsSection(Section):
    def __init__(self, page) -> None:
        super().__init__(page, self.tr("The board's own presets"))
        self.row = QHBoxLayout()
        self.lay.addLayout(self.row)
        #: action -> button; changed in place, so the page's name for it stays valid
        self.buttons: dict[str, QPushButton] = {}
        self.help = grey(
            self.tr(
                "One click on the board overwrites its protection settings with the vendor's values "
                "for that chemistry. A backup is saved first and the values it produced are shown."
            )
        )
        self.lay.addWidget(self.help)
        self.note = grey()
        self.lay.addWidget(self.note)
        self.result = ResultLine()
        self.lay.addWidget(self.result)

    def apply(self, caps: Capabilities) -> None:
        self._set_buttons(list(caps.board_presets))
        self.help.setVisible(bool(caps.board_presets))
        self.note.setText(
            self.tr(
                "{family} has no one-click preset command that Packbench knows. Use a Packbench "
                "preset on the Parameters tab instead."
            ).format(family=caps.family)
        )
        self.note.setVisible(caps.board and not caps.board_presets)

    def _set_buttons(self, actions: list[str]) -> None:
        if list(self.buttons) == actions:
            return
        for button in self.buttons.values():
            button.deleteLater()
        self.buttons.clear()
        while self.row.count():
            self.row.takeAt(0)
        for action in actions:
            button = QPushButton(self.tr("{name} (board preset)…").format(name=board_preset_name(action)))
            button.clicked.connect(lambda _c=False, a=action: self.open_board_preset(a))
            self.buttons[action] = button
            self.row.addWidget(button)
        self.row.addStretch(1)

    def update_enabled(self, can: bool, live: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(can)

    def open_board_preset(self, action: str) -> BoardPresetDialog | None:
        page = self.page
        if not page.live or page.busy:
            return None
        page.close_panels()
        dialog = BoardPresetDialog(page.bridge, action, gate=page.gate, memory=page.passwords, parent=page)
        page.show_dialog(dialog, self._show_outcome)
        return dialog

    def _show_outcome(self, dialog: BoardPresetDialog) -> None:
        assert self.result is not None
        text, ok = dialog.outcome_text()
        (self.result.ok if ok else self.result.bad)(text)
