"""What a person cannot read or reach on a window (issue 17's layout test).

``problems(root)`` walks the visible widgets under ``root`` and names

* **label**: a QLabel whose text does not fit: wider than the label without word wrap,
  a word wider than a word-wrapped label, or text taller than the label (cut at the
  bottom);
* **button**: a push button, tool button, check box or radio button whose text is wider
  than the room the button gives it;
* **placeholder** / **combo**: a line edit's hint or a combo box's current text cut off;
* **column** / **header** / **cell**: an item view's column that lies beyond its viewport
  where the view cannot scroll sideways, a header text or a cell text that does not fit
  its column (Qt elides it: "Allowed ra…");
* **unreachable**: a widget (part of it) outside its parent's area, unless the parent is
  a scroll area's viewport that can scroll to it (so a page taller than the window is
  fine in a scroll area, and a right column cut off by a scroll area whose horizontal
  scroll bar is switched off is not).

Measures are Qt's own where it has them (size hints, the style's content rectangles,
heightForWidth), so fonts, styles and style sheets count as they do on screen.  A
problem names the widget by its object name, class, text and parents, so a test's
failure says what is cut.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QTextDocument, QTextOption
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QScrollBar,
    QStyle,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QStyleOptionFrame,
    QStyleOptionHeader,
    QStyleOptionViewItem,
    QTabBar,
    QTableView,
    QToolButton,
    QTreeView,
    QWidget,
)

#: pixels of difference that rounding and anti-aliasing make, never a visible cut
TOLERANCE = 2
#: rows of an item view looked at (a log's table may hold thousands)
MAX_ROWS = 400
#: widgets whose children are their own business (a spin box's line edit, a tab bar's arrows)
OPAQUE = (QAbstractSpinBox, QComboBox, QTabBar, QScrollBar, QHeaderView)


@dataclass(frozen=True)
class Problem:
    kind: str
    where: str
    text: str
    need: int
    have: int

    def __str__(self) -> str:
        return f"{self.kind}: {self.where} {self.text!r} needs {self.need} px, has {self.have}"


def describe(widget: QWidget) -> str:
    """``ControlPage > QGroupBox 'Calibration' > QPushButton`` – enough to find it."""
    parts = []
    w: QWidget | None = widget
    while w is not None and len(parts) < 4:
        name = w.objectName() or type(w).__name__
        title = getattr(w, "title", None)
        if callable(title) and isinstance(title(), str) and title():
            name += f" {title()!r}"
        parts.append(name)
        w = w.parentWidget()
    return " < ".join(parts)


def shown(root: QWidget) -> Iterator[QWidget]:
    """The visible widgets under ``root`` (itself included), not inside opaque ones."""
    stack = [root]
    while stack:
        w = stack.pop()
        if not w.isVisible():
            continue
        yield w
        if isinstance(w, OPAQUE):
            continue
        if isinstance(w, QAbstractScrollArea) and not _is_plain_scroll_area(w):
            # an item view, a text browser, a plot: only widgets placed in its viewport
            stack.extend(c for c in w.viewport().findChildren(QWidget, options=Qt.FindDirectChildrenOnly))
            continue
        stack.extend(
            c for c in w.findChildren(QWidget, options=Qt.FindDirectChildrenOnly) if not c.isWindow()
        )


def _is_plain_scroll_area(w: QAbstractScrollArea) -> bool:
    """A scroll area around a page (pixel scrolling), not an item view or a text browser."""
    return isinstance(w, QScrollArea)


def problems(root: QWidget) -> list[Problem]:
    out: list[Problem] = []
    for w in shown(root):
        if isinstance(w, QLabel):
            out += label_problems(w)
        elif isinstance(w, QAbstractButton):
            out += button_problems(w)
        elif isinstance(w, QLineEdit):
            out += placeholder_problems(w)
        elif isinstance(w, QComboBox):
            out += combo_problems(w)
        if isinstance(w, QAbstractItemView):
            out += view_problems(w)
    out += reach_problems(root)
    return out


def window_problems(window: QWidget, screen: QSize) -> list[Problem]:
    """A window (a dialog) larger than the screen: its far side cannot be reached."""
    frame = window.frameGeometry().size().expandedTo(window.size())
    out = []
    if frame.width() > screen.width() + TOLERANCE:
        out.append(Problem("window", describe(window), window.windowTitle(), frame.width(), screen.width()))
    if frame.height() > screen.height() + TOLERANCE:
        out.append(Problem("window", describe(window), window.windowTitle(), frame.height(), screen.height()))
    return out


# --- text in labels ---------------------------------------------------------------------
def _is_rich(label: QLabel) -> bool:
    fmt = label.textFormat()
    if fmt == Qt.TextFormat.RichText:
        return True
    return fmt == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(label.text())


def _document(label: QLabel, width: int) -> QTextDocument:
    """The label's text laid out at ``width`` as a word-wrapping label lays it out."""
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    doc.setDefaultTextOption(option)
    if _is_rich(label):
        doc.setHtml(label.text())
    else:
        doc.setPlainText(label.text())
    doc.setTextWidth(width)
    return doc


def _label_room(label: QLabel) -> QRect:
    room = label.contentsRect()
    m = label.margin()
    room = room.adjusted(m, m, -m, -m)
    indent = label.indent()
    if indent > 0:
        align = label.alignment()
        if align & Qt.AlignmentFlag.AlignLeft or align & Qt.AlignmentFlag.AlignRight:
            room.setWidth(room.width() - indent)
    return room


def label_problems(label: QLabel) -> list[Problem]:
    text = label.text()
    if not text.strip() or (label.pixmap() is not None and not label.pixmap().isNull()):
        return []
    room = _label_room(label)
    where, shown_text = describe(label), _plain(label)
    if not label.wordWrap():
        hint = label.sizeHint()
        need_w = hint.width() - (label.width() - room.width())  # the text's own width
        if need_w > room.width() + TOLERANCE:
            return [Problem("label", where, shown_text, need_w, room.width())]
        need_h = hint.height() - (label.height() - room.height())
        if need_h > room.height() + TOLERANCE:
            return [Problem("label", where, shown_text, need_h, room.height())]
        return []
    doc = _document(label, room.width())
    widest = int(doc.idealWidth() + 0.5)
    if widest > room.width() + TOLERANCE:  # a word that cannot wrap
        return [Problem("label", where, shown_text, widest, room.width())]
    need_h = label.heightForWidth(label.width())
    if need_h > label.height() + TOLERANCE:
        return [Problem("label", where, shown_text, need_h, label.height())]
    return []


def _plain(label: QLabel) -> str:
    if not _is_rich(label):
        return label.text()
    doc = QTextDocument()
    doc.setHtml(label.text())
    return doc.toPlainText()


# --- buttons, hints, combo boxes ---------------------------------------------------------
def _button_text(button: QAbstractButton) -> str:
    return button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")


def button_problems(button: QAbstractButton) -> list[Problem]:
    """A button's text wider, or taller, than the room the button gives it."""
    text = _button_text(button)
    if not text.strip():
        return []
    fm = QFontMetrics(button.font())
    if isinstance(button, QPushButton):
        opt = QStyleOptionButton()
        button.initStyleOption(opt)
        room = button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, opt, button).size()
        need = QSize(fm.horizontalAdvance(text), fm.height())
        if not button.icon().isNull():
            need.setWidth(need.width() + button.iconSize().width() + 4)
        if button.menu() is not None:
            indicator = button.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, opt, button)
            need.setWidth(need.width() + indicator)
    elif isinstance(button, QToolButton):
        if button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly and not button.icon().isNull():
            return []
        need, room = button.sizeHint(), button.size()
    elif isinstance(button, (QCheckBox, QRadioButton)):
        need, room = button.sizeHint(), button.size()
    else:
        return []
    if need.width() > room.width() + TOLERANCE:
        return [Problem("button", describe(button), text, need.width(), room.width())]
    if need.height() > room.height() + TOLERANCE:
        return [Problem("button", describe(button), text, need.height(), room.height())]
    return []


def placeholder_problems(edit: QLineEdit) -> list[Problem]:
    hint = edit.placeholderText()
    if edit.text() or not hint:
        return []
    opt = QStyleOptionFrame()
    edit.initStyleOption(opt)
    room = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, opt, edit)
    margins = edit.textMargins()
    width = room.width() - margins.left() - margins.right() - 4  # QLineEdit's own 2 px a side
    for side in edit.findChildren(QToolButton, options=Qt.FindDirectChildrenOnly):
        if side.isVisible():  # a clear button or an action inside the edit
            width -= side.width()
    need = QFontMetrics(edit.font()).horizontalAdvance(hint)
    if need > width + TOLERANCE:
        return [Problem("placeholder", describe(edit), hint, need, width)]
    return []


def combo_problems(combo: QComboBox) -> list[Problem]:
    text = combo.currentText()
    if not text or combo.isEditable():
        return []
    opt = QStyleOptionComboBox()
    combo.initStyleOption(opt)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, opt, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    need = QFontMetrics(combo.font()).horizontalAdvance(text)
    if not combo.itemIcon(combo.currentIndex()).isNull():
        need += combo.iconSize().width() + 4
    if need > field.width() + TOLERANCE:
        return [Problem("combo", describe(combo), text, need, field.width())]
    return []


# --- item views ---------------------------------------------------------------------------
def _header(view: QAbstractItemView) -> QHeaderView | None:
    if isinstance(view, QTableView):
        return view.horizontalHeader()
    if isinstance(view, QTreeView):
        return view.header()
    return None


def _can_scroll(area: QAbstractScrollArea, orientation: Qt.Orientation) -> bool:
    horizontal = orientation == Qt.Orientation.Horizontal
    policy = area.horizontalScrollBarPolicy() if horizontal else area.verticalScrollBarPolicy()
    bar = area.horizontalScrollBar() if horizontal else area.verticalScrollBar()
    return policy != Qt.ScrollBarPolicy.ScrollBarAlwaysOff and bar.maximum() > bar.minimum()


def view_problems(view: QAbstractItemView) -> list[Problem]:
    model, header = view.model(), _header(view)
    if model is None or header is None:
        return []
    out: list[Problem] = []
    width = view.viewport().width()
    scrolls = _can_scroll(view, Qt.Orientation.Horizontal)
    for col in range(model.columnCount()):
        if header.isSectionHidden(col) or header.sectionSize(col) == 0:
            continue
        title = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
        x, size = header.sectionViewportPosition(col), header.sectionSize(col)
        if not scrolls and (x + size > width + TOLERANCE or x < -TOLERANCE):
            shown_w = max(0, min(x + size, width) - max(x, 0))
            out.append(Problem("column", describe(view), title, size, shown_w))
        if header.isVisible() and title:
            need = _header_width(header, col, title)
            if need > size + TOLERANCE:
                out.append(Problem("header", describe(view), title, need, size))
    out += _cell_problems(view, model)
    return out


def _header_width(header: QHeaderView, col: int, title: str) -> int:
    opt = QStyleOptionHeader()
    opt.initFrom(header)
    opt.section = col
    opt.text = title
    opt.fontMetrics = header.fontMetrics()
    opt.orientation = Qt.Orientation.Horizontal
    if header.isSortIndicatorShown() and header.sortIndicatorSection() == col:
        opt.sortIndicator = QStyleOptionHeader.SortIndicator.SortDown
    return header.style().sizeFromContents(QStyle.ContentsType.CT_HeaderSection, opt, QSize(), header).width()


def _rows(view: QAbstractItemView, model) -> Iterator[QModelIndex]:
    """Row indexes a person can see by scrolling (a tree's expanded branches only)."""
    stack = [QModelIndex()]
    count = 0
    while stack and count < MAX_ROWS:
        parent = stack.pop(0)
        for row in range(model.rowCount(parent)):
            if isinstance(view, QTableView) and view.isRowHidden(row):
                continue
            if isinstance(view, QTreeView) and view.isRowHidden(row, parent):
                continue
            index = model.index(row, 0, parent)
            yield index
            count += 1
            if isinstance(view, QTreeView) and view.isExpanded(index):
                stack.append(index)


def _cell_problems(view: QAbstractItemView, model) -> list[Problem]:
    out: list[Problem] = []
    header = _header(view)
    for first in _rows(view, model):
        for col in range(model.columnCount(first.parent())):
            if header.isSectionHidden(col):
                continue
            found = _cell_problem(view, first.siblingAtColumn(col))
            if found is not None:
                title = model.headerData(col, Qt.Orientation.Horizontal)
                out.append(Problem("cell", f"{describe(view)} column {str(title or col)!r}", *found))
    return out


def _cell_problem(view: QAbstractItemView, index: QModelIndex) -> tuple[str, int, int] | None:
    """(text, need, have) when the cell's text does not fit its column (or its row)."""
    model = view.model()
    text = model.data(index, Qt.ItemDataRole.DisplayRole)
    if text is None or view.indexWidget(index) is not None or not str(text).strip():
        return None
    if isinstance(view, QTreeView) and view.isFirstColumnSpanned(index.row(), index.parent()):
        return None
    text, rect = str(text), view.visualRect(index)
    if view.wordWrap() and any(c in text.strip() for c in " \u200b"):
        # wrapped: the longest word must fit, and the lines the row's height
        margin = 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1)
        fm = QFontMetrics(model.data(index, Qt.ItemDataRole.FontRole) or view.font())
        words = text.replace("\u200b", " ").split()  # U+200B: a break chance Qt wraps at
        widest = max(fm.horizontalAdvance(word) for word in words) + margin
        if widest > rect.width() + TOLERANCE:
            return text, widest, rect.width()
        room = QRect(0, 0, max(1, rect.width() - margin), 100_000)
        lines = fm.boundingRect(room, Qt.TextFlag.TextWordWrap, text).height()
        return (text, lines, rect.height()) if lines > rect.height() + TOLERANCE else None
    opt = QStyleOptionViewItem()
    opt.initFrom(view)
    opt.font = view.font()
    opt.rect = rect
    need = view.itemDelegateForIndex(index).sizeHint(opt, index).width()
    return (text, need, rect.width()) if need > rect.width() + TOLERANCE else None


# --- reach --------------------------------------------------------------------------------
def _scroll_area_of_viewport(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    if isinstance(parent, QAbstractScrollArea) and parent.viewport() is widget:
        return parent
    return None


def _reach(area: QAbstractScrollArea, rect: QRect, room: QRect) -> bool:
    """Can ``area`` scroll so that the parts of ``rect`` (viewport coordinates) outside
    ``room`` come into view?"""
    h, v = area.horizontalScrollBar(), area.verticalScrollBar()
    right = rect.right() - room.right()
    left = room.left() - rect.left()
    below = rect.bottom() - room.bottom()
    above = room.top() - rect.top()
    if (right > TOLERANCE or left > TOLERANCE) and not _can_scroll(area, Qt.Orientation.Horizontal):
        return False
    if (below > TOLERANCE or above > TOLERANCE) and not _can_scroll(area, Qt.Orientation.Vertical):
        return False
    pixel = _is_plain_scroll_area(area)  # an item view scrolls by items, not pixels
    if pixel:
        if right > TOLERANCE and h.maximum() - h.value() < right - TOLERANCE:
            return False
        if below > TOLERANCE and v.maximum() - v.value() < below - TOLERANCE:
            return False
        if left > TOLERANCE and h.value() - h.minimum() < left - TOLERANCE:
            return False
        if above > TOLERANCE and v.value() - v.minimum() < above - TOLERANCE:
            return False
    return True


def reachable(widget: QWidget, root: QWidget) -> tuple[bool, QWidget | None]:
    """Whether every part of ``widget`` can be seen, and the ancestor that cuts it off."""
    rect = QRect(0, 0, widget.width(), widget.height())
    w = widget
    while w is not root and w.parentWidget() is not None:
        rect = rect.translated(w.pos())
        parent = w.parentWidget()
        room = QRect(0, 0, parent.width(), parent.height())
        if not room.adjusted(-TOLERANCE, -TOLERANCE, TOLERANCE, TOLERANCE).contains(rect):
            area = _scroll_area_of_viewport(parent)
            if area is None or not _reach(area, rect, room):
                return False, parent
            # scrolled into view, it is where the viewport is
            inside = rect.intersected(room)
            rect = inside if not inside.isEmpty() else room
        w = parent
    return True, None


def reach_problems(root: QWidget) -> list[Problem]:
    """Widgets cut off by an ancestor that cannot scroll to them; only the outermost such
    widget is named (its children are cut with it)."""
    out: list[Problem] = []
    cut: set[int] = set()
    for w in shown(root):
        if w is root or w.isWindow() or _inside(w, cut):
            continue
        ok, by = reachable(w, root)
        if not ok:
            cut.add(id(w))
            text = _widget_text(w)
            visible = w.visibleRegion().boundingRect()
            out.append(
                Problem(
                    "unreachable",
                    f"{describe(w)} (cut by {type(by).__name__ if by else '?'})",
                    text,
                    max(w.width(), w.height()),
                    max(visible.width(), visible.height()) if not visible.isEmpty() else 0,
                )
            )
    return out


def _inside(widget: QWidget, ids: set[int]) -> bool:
    w = widget.parentWidget()
    while w is not None:
        if id(w) in ids:
            return True
        w = w.parentWidget()
    return False


def _widget_text(widget: QWidget) -> str:
    for attr in ("text", "title", "windowTitle"):
        getter = getattr(widget, attr, None)
        if callable(getter):
            try:
                value = getter()
            except TypeError:
                continue
            if isinstance(value, str) and value:
                return value
    return ""
