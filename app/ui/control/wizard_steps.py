"""The calibration wizard's steps, one widget each: switch off, measure, result, switch
back on (wizard.py runs them).  Each step holds its own buttons and result line; the
wizard connects the buttons to what they start.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...services import control
from ..control_widgets import ResultLine, grey
from ..theme import DANGER_STYLE, GREY, INFO_STYLE, PRIMARY_STYLE, WARN_STYLE, wrap


def unit_of(kind: str) -> str:
    return "V" if kind == "voltage" else "A"


def reading_text(kind: str, value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f} V" if kind == "voltage" else f"{value:+.2f} A"


def _consequences(on: bool, sep: str) -> str:
    return sep.join(
        QCoreApplication.translate("Control", control.CONSEQUENCES[(key, on)])
        for key in ("charge_switch", "discharge_switch")
    )


class Step(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.lay = QVBoxLayout(self)
        self.lay.setContentsMargins(0, 0, 0, 0)
        self.lay.setSpacing(10)

    def add_button(self, text: str, style: str, clicked: Callable[[], None]) -> QPushButton:
        row = QHBoxLayout()
        button = QPushButton(text)
        button.setStyleSheet(style)
        button.clicked.connect(lambda _c=False: clicked())
        row.addWidget(button)
        row.addStretch(1)
        self.lay.addLayout(row)
        return button


class OffStep(Step):
    """Voltage, step 1: switch charging and discharging off (JK manual §5.3.3 g)."""

    def __init__(self, switch_off: Callable[[], None]) -> None:
        super().__init__()
        self.lay.addWidget(
            wrap(
                self.tr(
                    "The manual's procedure: with charging and discharging switched off, measure the pack "
                    "voltage at the battery terminals with a meter, enter it, then switch both back on. "
                    "Packbench does the switching for you and reminds you at the end."
                ),
                INFO_STYLE,
            )
        )
        self.lay.addWidget(wrap(_consequences(False, "\n\n"), WARN_STYLE))
        self.lay.addWidget(wrap(self.tr("Stop the motor controller, the charger and any load first.")))
        self.button = self.add_button(
            self.tr("Switch charging and discharging off"), DANGER_STYLE, switch_off
        )
        self.result = ResultLine()
        self.lay.addWidget(self.result)
        self.lay.addStretch(1)


class MeasureStep(Step):
    """The board's reading live beside the meter's value; a value that looks like a typo
    or a meter on the wrong range is refused before anything is sent."""

    def __init__(self, kind: str, changed: Callable[[], None], send: Callable[[], None]) -> None:
        super().__init__()
        if kind == "voltage":
            text = self.tr(
                "Put the meter's probes on the pack's main terminals (B+ and B−), not on a balance "
                "lead, and set it to DC volts. Enter the value the meter shows."
            )
        else:
            text = self.tr(
                "Let a steady current flow: at least 1 A from a charger or a load. Put a clamp meter "
                "around one main lead and enter what it shows: positive while charging, negative "
                "while discharging."
            )
        self.lay.addWidget(wrap(text, INFO_STYLE))
        self._build_fields(kind, changed)
        self.hint = ResultLine()
        self.lay.addWidget(self.hint)
        self.send_button = self.add_button(
            self.tr("Send the meter's value to the board"), PRIMARY_STYLE, send
        )
        self.lay.addWidget(
            grey(
                self.tr(
                    "Packbench averages three readings before and after, and refuses a value that looks "
                    "like a typo or a meter on the wrong range: then nothing is sent."
                )
            )
        )
        self.lay.addStretch(1)

    def _build_fields(self, kind: str, changed: Callable[[], None]) -> None:
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(8)
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.6)
        big.setBold(True)
        grid.addWidget(QLabel(self.tr("The board reads now")), 0, 0)
        self.live_label = QLabel("—")
        self.live_label.setFont(big)
        self.live_label.setMinimumWidth(180)
        grid.addWidget(self.live_label, 1, 0)
        meter_head = (
            self.tr("The meter reads (V)")
            if kind == "voltage"
            else self.tr("The meter reads (A, + charging)")
        )
        grid.addWidget(QLabel(meter_head), 0, 1)
        self.meter = QDoubleSpinBox()
        self.meter.setFont(big)
        if kind == "voltage":
            self.meter.setRange(0.0, 300.0)
            self.meter.setDecimals(3)
            self.meter.setSingleStep(0.01)
        else:
            self.meter.setRange(-2000.0, 2000.0)
            self.meter.setDecimals(2)
            self.meter.setSingleStep(0.1)
        self.meter.setSuffix(" " + unit_of(kind))
        self.meter.setKeyboardTracking(True)
        self.meter.setMinimumWidth(200)
        self.meter.valueChanged.connect(lambda _v: changed())
        grid.addWidget(self.meter, 1, 1)
        grid.setColumnStretch(2, 1)
        self.lay.addLayout(grid)


class ResultStep(Step):
    """Before, meter, after, and what that means."""

    def __init__(self, again: Callable[[], None]) -> None:
        super().__init__()
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.4)
        big.setBold(True)
        self.values: dict[str, QLabel] = {}
        heads = (
            ("before", self.tr("Board before")),
            ("meter", self.tr("Meter")),
            ("after", self.tr("Board after")),
        )
        for col, (key, text) in enumerate(heads):
            head = QLabel(text)
            head.setStyleSheet(f"color: {GREY};")
            grid.addWidget(head, 0, col)
            self.values[key] = value = QLabel("—")
            value.setFont(big)
            grid.addWidget(value, 1, col)
        grid.setColumnStretch(3, 1)
        self.lay.addLayout(grid)
        self.line = ResultLine()
        self.lay.addWidget(self.line)
        self.again_button = self.add_button(self.tr("Measure again"), "", again)
        self.lay.addStretch(1)


class OnStep(Step):
    """Voltage, last step: switch charging and discharging back on."""

    def __init__(self, switch_on: Callable[[], None]) -> None:
        super().__init__()
        self.reminder = wrap(
            self.tr(
                "Charging and discharging are still OFF: the pack delivers no power and cannot be "
                "charged until they are switched back on."
            ),
            WARN_STYLE,
        )
        self.lay.addWidget(self.reminder)
        self.lay.addWidget(wrap(_consequences(True, "\n")))
        self.button = self.add_button(
            self.tr("Switch charging and discharging back on"), PRIMARY_STYLE, switch_on
        )
        self.result = ResultLine()
        self.lay.addWidget(self.result)
        self.lay.addStretch(1)
