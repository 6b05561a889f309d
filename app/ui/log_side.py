"""The log viewer's side panel: the selection's statistics with the per-cell table, and
the cells shown.

Two tabs, so each has the panel's whole height: at the smallest window the app serves
(1024×640) the per-cell table is on screen under the statistics, not below a scroll
area's fold.  The table's times are local; each cell's tooltip gives the same moment in
UTC.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..services.logfile import LogData
from ..services.logprep import clock
from ..services.logstats import RangeStats
from .log_text import format_when_utc, summary_html, summary_tooltip, zone_text
from .plot_items import cell_colour
from .theme import GREY

#: the panel's width: the plots get the rest
SIDE_WIDTH = 392
#: rows of the per-cell table that are always on screen
TABLE_MIN_ROWS = 5
LOW_BRUSH = "#dcecf7"
HIGH_BRUSH = "#fbe5d6"


class LogSidePanel(QTabWidget):
    """Selection (statistics, per-cell table, zoom and save) | Cells shown."""

    #: a cell's check box (0-based cell, shown)
    cellToggled = Signal(int, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocumentMode(True)
        self.setFixedWidth(SIDE_WIDTH)
        self.selection_page = self._build_selection()
        self.cells_page = self._build_cells()
        self.addTab(self.selection_page, self.tr("Selection"))
        self.addTab(self.cells_page, self.tr("Cells shown"))

    # --- building ---------------------------------------------------------------------------------
    def _build_selection(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(4, 6, 4, 0)
        lay.setSpacing(6)
        self.summary = QLabel("—")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.summary)
        lay.addWidget(self._build_table(), 1)
        lay.addLayout(self._build_buttons())
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {GREY};")
        lay.addWidget(self.message)
        return page

    def _build_table(self) -> QTableWidget:
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Cell"), self.tr("Lowest"), self.tr("at"), self.tr("Highest"), self.tr("at")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh.setStretchLastSection(True)
        row_h = self.table.fontMetrics().height() + 4
        self.table.verticalHeader().setDefaultSectionSize(row_h)
        self.table.setMinimumHeight(hh.sizeHint().height() + TABLE_MIN_ROWS * row_h + 4)
        return self.table

    def _build_buttons(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setSpacing(4)
        self.zoom_button = QPushButton(self.tr("Zoom to selection"))
        self.select_view_button = QPushButton(self.tr("Select what is shown"))
        self.all_button = QPushButton(self.tr("Show the whole log"))
        # the two exports share one button: a third row of buttons costs the table its rows
        self.save_button = QToolButton()
        self.save_button.setText(self.tr("Save…"))
        self.save_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.save_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        menu = QMenu(self.save_button)
        self.png_action = menu.addAction(self.tr("Save picture (PNG)…"))
        self.csv_action = menu.addAction(self.tr("Save selection (CSV)…"))
        self.save_button.setMenu(menu)
        grid.addWidget(self.zoom_button, 0, 0)
        grid.addWidget(self.select_view_button, 0, 1)
        grid.addWidget(self.all_button, 1, 0)
        grid.addWidget(self.save_button, 1, 1)
        return grid

    def _build_cells(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(4, 6, 4, 0)
        self.cell_list = QListWidget()
        self.cell_list.setViewMode(QListView.ViewMode.ListMode)
        self.cell_list.setFlow(QListView.Flow.LeftToRight)
        self.cell_list.setWrapping(True)
        self.cell_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.cell_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.cell_list.setSpacing(1)
        self.cell_list.itemChanged.connect(self._cell_changed)
        lay.addWidget(self.cell_list, 1)
        row = QHBoxLayout()
        self.cell_buttons: list[QPushButton] = []
        for text, tip in (
            (self.tr("All"), self.tr("Show every cell")),
            (self.tr("None"), self.tr("Hide every cell")),
            (
                self.tr("Lowest and highest"),
                self.tr("Only the cells that went lowest and highest in the selection"),
            ),
        ):
            b = QPushButton(text)
            b.setToolTip(tip)
            row.addWidget(b)
            self.cell_buttons.append(b)
        lay.addLayout(row)
        return page

    # --- cells ----------------------------------------------------------------------------------------
    def fill_cells(self, data: LogData) -> None:
        self.cell_list.blockSignals(True)
        self.cell_list.clear()
        n = data.cell_count
        for i in range(n):
            pm = QPixmap(12, 12)
            pm.fill(cell_colour(i, n))
            item = QListWidgetItem(QIcon(pm), str(i + 1))
            item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            item.setCheckState(Qt.CheckState.Checked)
            item.setData(Qt.ItemDataRole.UserRole, i)
            item.setToolTip(self.tr("Cell {n}").format(n=i + 1))
            self.cell_list.addItem(item)
        self.cell_list.blockSignals(False)

    def _cell_changed(self, item: QListWidgetItem) -> None:
        i = int(item.data(Qt.ItemDataRole.UserRole))
        self.cellToggled.emit(i, item.checkState() == Qt.CheckState.Checked)

    def set_checked(self, shown: set[int]) -> None:
        """Tick exactly these cells (0-based), without emitting ``cellToggled``."""
        self.cell_list.blockSignals(True)
        for row in range(self.cell_list.count()):
            on = row in shown
            self.cell_list.item(row).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.cell_list.blockSignals(False)

    # --- the statistics -------------------------------------------------------------------------------
    def show_stats(self, data: LogData, st: RangeStats) -> None:
        self.summary.setText(summary_html(data, st))
        self.summary.setToolTip(summary_tooltip(data, st))
        if not st.rows:
            self.table.setRowCount(0)
            return
        self._fill_table(data, st)

    def _fill_table(self, data: LogData, st: RangeStats) -> None:
        n = len(st.cell_min_v)
        self.table.setRowCount(n)
        zone = zone_text(data)
        for c in (2, 4):
            header = self.table.horizontalHeaderItem(c)
            if header is not None:
                header.setToolTip(zone)
        low_brush, high_brush = QBrush(QColor(LOW_BRUSH)), QBrush(QColor(HIGH_BRUSH))
        for r in range(n):
            t_min, t_max = float(st.cell_min_t[r]), float(st.cell_max_t[r])
            values = [
                (str(r + 1), ""),
                (f"{st.cell_min_v[r]:.3f}", ""),
                (clock(data, t_min), format_when_utc(data, t_min)),
                (f"{st.cell_max_v[r]:.3f}", ""),
                (clock(data, t_max), format_when_utc(data, t_max)),
            ]
            for c, (text, tip) in enumerate(values):
                item = self._item(r, c)
                item.setText(text)
                item.setToolTip(tip)
                if r + 1 == st.lowest_cell and c in (0, 1, 2):
                    item.setBackground(low_brush)
                elif r + 1 == st.highest_cell and c in (0, 3, 4):
                    item.setBackground(high_brush)
                else:
                    item.setBackground(QBrush())

    def _item(self, r: int, c: int) -> QTableWidgetItem:
        item = self.table.item(r, c)
        if item is None:
            item = QTableWidgetItem()
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(r, c, item)
        return item


__all__ = ["SIDE_WIDTH", "LogSidePanel"]
