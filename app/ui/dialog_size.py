"""Dialogs as large as what they show, never larger than the screen.

The write review used to open at a fixed 980×760: taller than a 1024×640 laptop screen
(issue 17), and mostly empty with one or two changes.  ``fit_to_content`` sizes a
dialog to its layout's size hint (its word-wrapped notes at the width chosen), bounded
by the available geometry of its screen; the parts that scroll (tables, the findings)
give way first when the screen is smaller.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QTableWidget, QVBoxLayout, QWidget

#: room for the window frame and title bar, which a widget's size does not include, until
#: the window manager has framed the dialog (then its real frame is used)
FRAME_ALLOWANCE = QSize(8, 32)
#: a table cell's margins around its text (the styles draw 3 to 6 px each side)
CELL_PADDING = 16


def available_geometry(widget: QWidget) -> QRect:
    """The available geometry (without task bars) of the screen the dialog opens on: its
    parent window's, else its own, else the primary screen's.  Every dialog asks here (the
    layout tests stand a 1024×640 screen in for the offscreen one by replacing this)."""
    parent = widget.parentWidget()
    screen = (parent.window().screen() if parent is not None else None) or widget.screen()
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def _frame(widget: QWidget) -> QSize:
    if widget.isVisible():
        extra = widget.frameGeometry().size() - widget.size()
        if extra.width() > 0 or extra.height() > 0:
            return extra
    return FRAME_ALLOWANCE


class PageStack(QWidget):
    """Pages of which one is shown, as large as that page.

    Not a QStackedWidget: its layout asks every page for its height, so a dialog would stay as
    tall as its tallest page.  Here the pages sit in a box layout, the others hidden (a hidden
    widget takes no room), with QStackedWidget's few calls."""

    currentChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._pages: list[QWidget] = []
        self._current = -1

    def addWidget(self, page: QWidget) -> int:  # noqa: N802 (QStackedWidget's name)
        self._pages.append(page)
        self._layout.addWidget(page)
        page.setVisible(False)
        if self._current < 0:
            self.setCurrentIndex(0)
        return len(self._pages) - 1

    def setCurrentIndex(self, index: int) -> None:  # noqa: N802
        for i, page in enumerate(self._pages):
            page.setVisible(i == index)
        if index != self._current:
            self._current = index
            self.currentChanged.emit(index)

    def currentIndex(self) -> int:  # noqa: N802
        return self._current

    def currentWidget(self) -> QWidget | None:  # noqa: N802
        return self._pages[self._current] if 0 <= self._current < len(self._pages) else None

    def widget(self, index: int) -> QWidget:
        return self._pages[index]

    def count(self) -> int:
        return len(self._pages)


def table_width(table: QTableWidget) -> int:
    """The width that shows every column of ``table`` whole: the widths set, or more where
    a cell or the header needs it (the last column, which stretches, by its content).
    Measured from the items' texts, so it also works before the table is laid out."""
    header = table.horizontalHeader()
    last = table.columnCount() - 1
    total = 0
    for c in range(table.columnCount()):
        cells = [table.item(r, c) for r in range(table.rowCount())]
        text = max(
            (
                QFontMetrics(item.font()).horizontalAdvance(item.text()) + CELL_PADDING
                for item in cells
                if item
            ),
            default=0,
        )
        total += max(table.columnWidth(c) if c < last else 0, header.sectionSizeHint(c), text)
    return total + 2 * table.frameWidth() + table.verticalScrollBar().sizeHint().width()


def fit_to_content(dialog: QWidget, *, min_width: int = 0, tables: Iterable[QTableWidget] = ()) -> QSize:
    """Resize ``dialog`` to its content, within its screen's available geometry; returns
    the size given.  ``tables``: shown with every column whole when the screen allows.
    A visible dialog is also moved back onto the screen."""
    area = available_geometry(dialog)
    dialog.ensurePolished()  # the style's fonts and margins, before anything is measured
    layout = dialog.layout()
    if layout is not None:
        margins = layout.contentsMargins()
        for table in tables:
            min_width = max(min_width, table_width(table) + margins.left() + margins.right())
    frame = _frame(dialog)
    max_w = max(200, area.width() - frame.width())
    max_h = max(200, area.height() - frame.height())
    if layout is not None:
        layout.invalidate()
        layout.activate()
    hint = dialog.sizeHint()
    width = min(max(hint.width(), min_width, dialog.minimumSizeHint().width()), max_w)
    height = dialog.heightForWidth(width) if dialog.hasHeightForWidth() else -1
    if height < 0:
        height = hint.height()
    size = QSize(width, min(max(height, dialog.minimumSizeHint().height()), max_h))
    dialog.resize(size)
    if dialog.isVisible():
        keep_on_screen(dialog, area)
    return size


def keep_on_screen(dialog: QWidget, area: QRect | None = None) -> None:
    """Move a shown dialog so that its frame lies inside the available geometry."""
    area = area or available_geometry(dialog)
    geo = dialog.frameGeometry()
    x = min(max(geo.x(), area.x()), max(area.x(), area.right() + 1 - geo.width()))
    y = min(max(geo.y(), area.y()), max(area.y(), area.bottom() + 1 - geo.height()))
    if (x, y) != (geo.x(), geo.y()):
        dialog.move(x, y)


class FitScrollArea(QScrollArea):
    """A frameless scroll area as large as its content (Qt's own stops at 24 lines of
    text), which gives way and scrolls when the dialog meets the screen's edge."""

    def __init__(self, widget: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(widget)

    def _bar(self) -> int:
        return self.verticalScrollBar().sizeHint().width()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        hint = self.widget().sizeHint()
        return QSize(hint.width() + self._bar(), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = self.widget().minimumSizeHint()
        return QSize(hint.width() + self._bar(), min(hint.height(), 120))

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return self.widget().hasHeightForWidth()

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        height = self.widget().heightForWidth(width - self._bar())
        return height if height >= 0 else self.widget().sizeHint().height()
