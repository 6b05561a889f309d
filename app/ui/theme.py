"""The app's look in one place: colours, the style sheets of notes, buttons and confirm
panels, and the small builders every page and dialog uses for them (a wrapped note, a
read-only table cell)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QLabel, QTableWidgetItem

# colours (Okabe-Ito inspired, readable for most colour-blind people)
GREEN = "#1e8e3e"
RED = "#c62828"
AMBER = "#e69f00"
BLUE = "#0b62a4"
GREY = "#757575"
LOW_COLOUR = "#0072b2"  # lowest cell
HIGH_COLOUR = "#d55e00"  # highest cell
BAR_COLOUR = "#9aa7b4"  # the other cells
BALANCE_COLOUR = "#e69f00"  # outline of a cell being balanced

# notes: a warning, a block (nothing will happen), a success, plain information
WARN_STYLE = "QLabel { background: #fff4d6; border: 1px solid #e6c96b; border-radius: 4px; padding: 6px; }"
BLOCK_STYLE = (
    "QLabel { background: #fdecea; border: 1px solid #e57373; border-radius: 4px;"
    " padding: 6px; color: #8e1b1b; }"
)
OK_STYLE = (
    "QLabel { background: #e8f5e9; border: 1px solid #81c784; border-radius: 4px;"
    " padding: 6px; color: #1b5e20; }"
)
INFO_STYLE = "QLabel { background: #eef4fa; border: 1px solid #b8cde0; border-radius: 4px; padding: 6px; }"
# buttons: the step forward, and the one that changes the pack for good
PRIMARY_STYLE = (
    "QPushButton { background: #0b62a4; color: white; font-weight: bold;"
    " padding: 6px 16px; border-radius: 4px; }"
    " QPushButton:disabled { background: #b0bec5; color: #eceff1; }"
)
DANGER_STYLE = (
    "QPushButton { background: #c62828; color: white; font-weight: bold;"
    " padding: 6px 16px; border-radius: 4px; }"
    " QPushButton:disabled { background: #b0bec5; color: #eceff1; }"
)
# the confirm panels of the Control tab
PANEL_STYLE = "QFrame#confirm { background: #fbfcfd; border: 2px solid #0b62a4; border-radius: 6px; }"
PANEL_DANGER_STYLE = "QFrame#confirm { background: #fffafa; border: 2px solid #c62828; border-radius: 6px; }"


def wrap(text: str = "", style: str = "") -> QLabel:
    """A word-wrapped, selectable note, styled with one of the styles above."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if style:
        label.setStyleSheet(style)
    return label


def table_item(text: str, *, bold: bool = False, colour: str | None = None) -> QTableWidgetItem:
    """A read-only table cell, bold and coloured where asked."""
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if bold:
        f = QFont(item.font())
        f.setBold(True)
        item.setFont(f)
    if colour:
        item.setForeground(QBrush(QColor(colour)))
    return item
