"""Small shared widgets and formatting helpers for the pages.

Labels that change at streaming rate have a *fixed size*: Qt then skips the
layout pass a text change would otherwise trigger (QWidget.updateGeometry
returns early for fixed-size widgets), and a new value repaints only itself.
Every setter compares with the text on screen first, so an unchanged value
costs one string comparison.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ..model.labels import ALARM_LABELS, CONTEXT
from ..protocols.family import label_text
from .theme import AMBER, GREEN, GREY, RED

DASH = "—"
#: a card's background while its reading is near (amber) or at/past (red) the board's limit
ACCENT_BACKGROUNDS = {AMBER: "#fff4d6", RED: "#fdecea"}


def not_reported() -> str:
    """What a badge or a card says for a value this board does not report (short)."""
    return QCoreApplication.translate("Widgets", "not reported")


def not_reported_long() -> str:
    """The same in a sentence's room (a row of the Live tab, a tooltip)."""
    return QCoreApplication.translate("Widgets", "not reported by this board")


def vocab(key: str) -> str:
    """Translated label of a canonical name (the raw key when none is known)."""
    text = label_text(key)
    if text is None:
        return key
    return QCoreApplication.translate(CONTEXT, text)


def implausible_text(name: str, value: object) -> str:
    """Translated words for one value dropped as impossible (model/plausible.py):
    ``cell_voltages_v[5]``, 65.535 -> "cell 5 (65.535)"."""
    base, _sep, index = name.partition("[")
    index = index.rstrip("]")
    if base == "cell_voltages_v":
        what = QCoreApplication.translate("Implausible", "cell {n}").format(n=index)
    elif base == "cell_resistances_ohm":
        what = QCoreApplication.translate("Implausible", "wire resistance of cell {n}").format(n=index)
    elif base == "temperatures_c":
        what = QCoreApplication.translate("Implausible", "temperature sensor {n}").format(n=index)
    else:
        what = vocab(base)
    shown = f"{value:.6g}" if isinstance(value, float) else str(value)
    return QCoreApplication.translate("Implausible", "{what} ({value})").format(what=what, value=shown)


def alarm_text(alarm_id: str) -> str:
    """Translated words for an alarm id; ``jk_bit_17`` becomes "JK alarm bit 17"."""
    text = ALARM_LABELS.get(alarm_id)
    if text is not None:
        return QCoreApplication.translate(CONTEXT, text)
    family, sep, bit = alarm_id.rpartition("_bit_")
    if sep and bit.isdigit():
        return QCoreApplication.translate("Alarms", "{family} alarm bit {bit}").format(
            family=family.upper(), bit=bit
        )
    return alarm_id


def sentence(text: str) -> str:
    """Session messages start in lower case; shown alone they read better capitalised.

    A message that starts with a URL or a path (``socket://…``, ``/dev/…``) is left alone.
    """
    first = text.split(" ", 1)[0]
    if not text or any(c in first for c in ":/\\.") or not first[:1].isalpha():
        return text
    return text[:1].upper() + text[1:]


def fixed_label(
    template: str, font: QFont | None = None, align=Qt.AlignmentFlag.AlignLeft, parent: QWidget | None = None
) -> QLabel:
    """A label sized once for ``template`` (its widest expected text)."""
    label = QLabel(parent)
    if font is not None:
        label.setFont(font)
    fm = QFontMetrics(label.font())
    label.setFixedSize(fm.horizontalAdvance(template) + 6, fm.height() + 4)
    label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    return label


def set_text(label: QLabel, text: str) -> None:
    if label.text() != text:
        label.setText(text)


class Badge(QLabel):
    """An ON/OFF (or any word) pill: green for on, red for off, grey "not reported" for a
    state the board does not report, a grey dash before anything arrived (``clear``)."""

    _STYLE = (
        "QLabel {{ background: {bg}; color: white; border-radius: 6px;"
        " padding: 2px 10px; font-weight: bold; }}"
    )

    def __init__(self, parent: QWidget | None = None, template: str = "") -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.font()
        font.setBold(True)
        self.setFont(font)
        fm = QFontMetrics(font)
        widest = max(
            fm.horizontalAdvance(t) for t in (template, not_reported(), self.tr("ON"), self.tr("OFF"))
        )
        self.setFixedSize(widest + 24, fm.height() + 8)
        self._key: tuple[str, str] | None = None
        self.clear()

    def clear(self) -> None:
        """Nothing known yet (no data): a grey dash."""
        self.set_word(DASH, GREY)

    def set_state(self, on: bool | None, on_colour: str = GREEN, off_colour: str = RED) -> None:
        """ON/OFF; green/red by default (pass GREY for outputs where OFF is normal);
        None: the board does not report it (grey, never a green pass)."""
        if on is None:
            self.set_word(not_reported(), GREY, not_reported_long())
        elif on:
            self.set_word(self.tr("ON"), on_colour)
        else:
            self.set_word(self.tr("OFF"), off_colour)

    def set_word(self, text: str, colour: str, tip: str = "") -> None:
        key = (text, colour)
        if key == self._key:
            return
        self._key = key
        self.setText(text)
        self.setToolTip(tip)
        self.setStyleSheet(self._STYLE.format(bg=colour))


class StatusDot(QLabel):
    """A coloured dot for the status bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(14, 14)
        self._colour = ""
        self.set_colour(GREY)

    def set_colour(self, colour: str) -> None:
        if colour == self._colour:
            return
        self._colour = colour
        self.setStyleSheet(f"QLabel {{ background: {colour}; border-radius: 7px; }}")


class Card(QFrame):
    """A titled box for one readout: small grey title, big value, small note.

    The value label is sized for ``value_template`` (its widest expected
    text); ``fit_width`` picks the largest font up to the design size that
    lets the template fit a given width (called on resize, never per value).
    """

    def __init__(
        self,
        title: str,
        value_template: str,
        note_template: str = "",
        value_point_size: float = 20.0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("card")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(60)
        self.value_template = value_template
        # the note has room for "not reported" too
        fm = QFontMetrics(self.font())
        self.note_template = max(note_template or " ", not_reported(), key=fm.horizontalAdvance)
        #: the value's own colour (the lowest and highest cells), and the accent over it
        self.value_colour: str | None = None
        self.accent: str | None = None
        self.max_point_size = value_point_size
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        self.title = QLabel(title)
        self.title.setStyleSheet(f"color: {GREY};")
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.title)
        big = QFont(self.font())
        big.setPointSizeF(value_point_size)
        big.setBold(True)
        self.value = fixed_label(value_template, big)
        layout.addWidget(self.value)
        self.note = fixed_label(self.note_template)
        self.note.setStyleSheet(f"color: {GREY};")
        layout.addWidget(self.note)
        self._style(None)
        self.set(DASH, "")

    def size_for_width(self, width: int) -> float:
        """The largest value font (up to the design size) whose template fits ``width``."""
        inner = max(20, width - 24)
        font = QFont(self.value.font())
        size = self.max_point_size
        while size > 10:
            font.setPointSizeF(size)
            if QFontMetrics(font).horizontalAdvance(self.value_template) + 6 <= inner:
                break
            size -= 1
        return size

    def apply(self, point_size: float, width: int) -> None:
        """Use this value font size and size the labels for a card ``width`` wide."""
        inner = max(20, width - 24)
        font = QFont(self.value.font())
        font.setPointSizeF(point_size)
        fm = QFontMetrics(font)
        self.value.setFont(font)
        self.value.setFixedSize(min(inner, fm.horizontalAdvance(self.value_template) + 6), fm.height() + 4)
        nfm = QFontMetrics(self.note.font())
        self.note.setFixedSize(min(inner, nfm.horizontalAdvance(self.note_template) + 6), nfm.height() + 4)

    def set(self, value: str, note: str = "") -> None:
        set_text(self.value, value)
        set_text(self.note, note)

    def set_value_colour(self, colour: str | None) -> None:
        self.value_colour = colour
        self._style(self.accent)

    def set_accent(self, colour: str | None, tip: str = "") -> None:
        """Amber or red while the reading is near or past the board's limit (None: normal):
        the value in that colour on a tinted card, the limit in the tooltip."""
        if self.toolTip() != tip:
            self.setToolTip(tip)
        if colour != self.accent:
            self._style(colour)

    def _style(self, accent: str | None) -> None:
        self.accent = accent
        background = ACCENT_BACKGROUNDS.get(accent or "", "#f7f9fb")
        border = accent or "#d5dbe1"
        self.setStyleSheet(
            f"QFrame#card {{ background: {background}; border: 1px solid {border}; border-radius: 6px; }}"
        )
        colour = accent or self.value_colour
        self.value.setStyleSheet(f"color: {colour};" if colour else "")


def hline() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line
