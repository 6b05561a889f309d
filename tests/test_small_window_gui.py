"""The Parameters, Connection and History tabs and the status bar at a small laptop's 1024×640
(issue 17), through the real window on the simulators.

What the issue found at that size, each checked on the widgets themselves: the Parameters
table's "Allowed range" column cut off, the help box's "Allowed: … in steps of …" line cut
off, the board's own presets below the fold; the Connection help cut off at the bottom,
"socket://192.168.4.1:8899" broken across two lines and the URL hint cut; the History tab
saying "Connect to a board…" to a connected JK04; the status bar's words cut off.
Screenshots at 1024×640 and 1280×800 land in tests/_artifacts/ for people to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtGui import QTextDocument  # noqa: E402
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget  # noqa: E402

from app.ui.main_window import MainWindow  # noqa: E402

pytestmark = pytest.mark.gui

ARTIFACTS = Path(__file__).parent / "_artifacts"
T = 10_000
SMALL, LARGE = (1024, 640), (1280, 800)

# (simulator, the row with the family's longest help text: it needs more than three lines)
PARAMETER_BOARDS = {
    "jk02_32s": ("sim://jk02_32s?cells=16", "balance_trigger_delta_v"),
    "jbd": ("sim://jbd?cells=13", "jbd_function_bits"),
    "daly_d2": ("sim://daly_d2?cells=16", "balance_trigger_delta_v"),
    "ant_2021": ("sim://ant_2021?cells=16", "balance_trigger_delta_v"),
}


def resize(qtbot, win: MainWindow, size: tuple[int, int]) -> None:
    win.resize(*size)
    qtbot.waitUntil(lambda: (win.width(), win.height()) == size, timeout=T)
    qtbot.wait(50)  # the layouts settle


def shots(qtbot, win: MainWindow, name: str) -> None:
    """The window at 1280×800 and at 1024×640, for people to look at; ends at 1024×640."""
    ARTIFACTS.mkdir(exist_ok=True)
    for size in (LARGE, SMALL):
        resize(qtbot, win, size)
        assert win.grab().save(str(ARTIFACTS / f"small_window_{name}_{size[0]}x{size[1]}.png"))


def connect(qtbot, win: MainWindow, url: str) -> None:
    win.connect_to(url)
    qtbot.waitUntil(lambda: win.bridge.state == "live", timeout=T)


def fully_shown(widget: QWidget) -> bool:
    """No part of ``widget`` is clipped by a parent (a scroll area's viewport, the window)."""
    return widget.isVisible() and widget.visibleRegion().boundingRect() == widget.rect()


def reachable(widget: QWidget) -> bool:
    """All of ``widget`` on screen, or inside a scroll area that is all on screen."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            inner = parent.widget()
            return fully_shown(parent) and (inner is widget or inner.isAncestorOf(widget))
        parent = parent.parentWidget()
    return fully_shown(widget)


def text_fits(label: QLabel) -> bool:
    """A word-wrapped label is tall enough for all of its lines."""
    return label.height() >= label.heightForWidth(label.width())


def codes_broken(html: str, label: QLabel, width: int) -> list[str]:
    """The ``<code>`` spans (paths, URLs) of ``html`` that Qt's rich text splits over two lines
    when laid out ``width`` pixels wide in ``label``'s font."""
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    doc.setHtml(html)
    doc.setTextWidth(width)
    doc.size()  # lays the document out
    text = doc.toPlainText()
    broken = []
    for code in re.findall(r"<code[^>]*>(.*?)</code>", html, re.S):
        plain = QTextDocument()
        plain.setHtml(code)
        code_text = plain.toPlainText()
        pos = text.find(code_text)
        assert pos >= 0, code_text
        block = doc.findBlock(pos)
        layout, start = block.layout(), pos - block.position()
        first = layout.lineForTextPosition(start).lineNumber()
        last = layout.lineForTextPosition(start + len(code_text) - 1).lineNumber()
        if first != last:
            broken.append(code_text)
    return broken


# --- Parameters --------------------------------------------------------------------------------------
@pytest.mark.parametrize("family", sorted(PARAMETER_BOARDS))
def test_parameters_range_column_and_help_box_whole_at_1024x640(qtbot, window, family):
    url, long_help_key = PARAMETER_BOARDS[family]
    win, page = window, window.parameters_page
    connect(qtbot, win, url)
    qtbot.waitUntil(lambda: page.row_text(long_help_key) is not None, timeout=T)
    win.tabs.setCurrentWidget(page)
    shots(qtbot, win, f"{family}_parameters")

    tree, header = page.tree, page.tree.header()
    col = page.COL_RANGE
    assert not tree.isColumnHidden(col)
    # the whole column inside the table's viewport, wide enough for its widest text
    left = header.sectionViewportPosition(col)
    assert left >= 0 and left + header.sectionSize(col) <= tree.viewport().width(), (
        left,
        header.sectionSize(col),
        tree.viewport().width(),
    )
    assert header.sectionSize(col) >= tree.sizeHintForColumn(col)

    tree.setCurrentItem(page._rows[long_help_key].item)
    qtbot.wait(50)
    help_label = page.help_label
    assert "Allowed: " in help_label.text() and "in steps of" in help_label.text()
    # every line of the help, the Allowed line last but one at most, inside the box
    assert text_fits(help_label), (help_label.height(), help_label.heightForWidth(help_label.width()))
    assert fully_shown(help_label)
    # the row chosen stays in sight when the help box grows under it
    assert tree.visualItemRect(page._rows[long_help_key].item).bottom() <= tree.viewport().height()


def test_board_presets_on_screen_at_first_sight_at_1024x640(qtbot, window):
    win, page = window, window.parameters_page
    resize(qtbot, win, SMALL)
    connect(qtbot, win, "sim://jk02_32s?cells=16")
    qtbot.waitUntil(
        lambda: len(page.panel.board_buttons) == 3 and page.row_text("cell_ovp_v") is not None, timeout=T
    )
    win.tabs.setCurrentWidget(page)
    # once the page has laid itself out (a busy machine takes longer than a blink):
    # JK's own presets (jk.md: 0x68 Li-ion, 0x69 LiFePO4, 0x6A LTO) and the chemistry
    # preset's Apply with them, without scrolling
    buttons = [*page.panel.board_buttons.values(), page.panel.apply_button]
    qtbot.waitUntil(lambda: all(fully_shown(b) for b in buttons), timeout=T)
    for action, button in page.panel.board_buttons.items():
        assert button.isEnabled(), action


# --- Connection ------------------------------------------------------------------------------------
def test_connection_help_whole_at_1024x640(qtbot, window):
    win, page = window, window.connection_page
    resize(qtbot, win, SMALL)
    win.tabs.setCurrentWidget(page)
    qtbot.wait(50)
    shots(qtbot, win, "connection")

    # the help is never cut off: all of it is there (scrolled where the window is short)
    help_label = page.help_label
    assert text_fits(help_label), (help_label.height(), help_label.heightForWidth(help_label.width()))
    assert reachable(help_label)
    html = help_label.text()
    words = html.replace("\u2060", "")  # the word joiners that keep a path whole
    assert "<code>socket://192.168.4.1:8899</code>" in words and "<code>/dev/ttyUSB0</code>" in words
    # no path or URL breaks across lines: at the width it has, nor at any other
    assert codes_broken(html, help_label, help_label.contentsRect().width()) == []
    for width in range(220, 700, 7):
        assert codes_broken(html, help_label, width) == [], width
    assert codes_broken(words, help_label, 540), "the check finds a broken URL"

    # the URL hint fits its field (the clear button and the frame take about a field's height)
    edit = page.url_edit
    assert edit.fontMetrics().horizontalAdvance(edit.placeholderText()) <= edit.width() - edit.height() - 8


def test_bluetooth_pin_hint_names_jk_and_jbd_in_full(qtbot, window):
    win, page = window, window.connection_page
    resize(qtbot, win, SMALL)
    win.tabs.setCurrentWidget(page)
    page.url_edit.setText("ble://C8:47:80:12:34:56?protocol=jbd")
    qtbot.waitUntil(page.pin_hint.isVisible, timeout=T)
    qtbot.wait(50)
    hint = page.pin_hint
    # the JK board's PIN (jk.md §6) and the JBD module's password (jbd_daly.md §1.3)
    words = hint.text().replace("\u2060", "")  # the word joiners that keep a number whole
    assert "1234" in words and "000000" in words and "123123" in words
    assert text_fits(hint) and fully_shown(hint)
    edit = page.pin_edit
    assert edit.fontMetrics().horizontalAdvance(edit.placeholderText()) <= edit.width() - 12
    page.url_edit.setText("/dev/ttyUSB0")
    assert not hint.isVisible()


# --- History -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url", ["sim://jk04?cells=16", "sim://jbd?cells=13", "sim://daly_d2?cells=16", "sim://ant_2021?cells=16"]
)
def test_history_says_at_once_that_a_board_keeps_no_logbook(qtbot, window, url):
    win, view = window, window.history_view
    connect(qtbot, win, url)
    win.tabs.setCurrentWidget(view)
    # nothing clicked: only JK02_32S answers a logbook request (jk.md §1.5: 0xA1)
    text = view.summary.text()
    assert "keeps no logbook" in text and win.bridge.session.protocol.name in text, text
    assert "Connect to a board" not in text
    assert not view.read_button.isEnabled() and not view.table.isVisible()
    if "jk04" in url:
        shots(qtbot, win, "jk04_history")


def test_history_of_a_board_with_a_logbook_while_connected(qtbot, window):
    win, view = window, window.history_view
    connect(qtbot, win, "sim://jk02_32s?cells=8")
    win.tabs.setCurrentWidget(view)
    qtbot.waitUntil(view.read_button.isEnabled, timeout=T)
    assert "Connect to a board" not in view.summary.text() and "logbook" in view.summary.text()


# --- the status bar --------------------------------------------------------------------------------------
def test_status_bar_keeps_state_board_and_protocol_at_1024_px(qtbot, window):
    win = window
    resize(qtbot, win, SMALL)
    # a forced protocol that does not fit the board: the longest status there is (issue 12)
    url = "sim://jk02_32s?cells=16&protocol=jk02_24s"
    connect(qtbot, win, url)
    qtbot.waitUntil(lambda: "writes refused" in win.status_label.toolTip(), timeout=T)
    label = win.status_label
    shown, whole = label.text(), label.toolTip()
    assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width(), shown
    assert shown.startswith("Live — JK-") and "(jk02_24s)" in shown and "writes refused" in shown, shown
    assert url in whole and "forced protocol jk02_24s" in whole, whole
    # wide enough again: the whole text
    resize(qtbot, win, (1900, 800))
    qtbot.waitUntil(lambda: win.status_label.text() == whole, timeout=T)
