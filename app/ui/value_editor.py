"""The New value cell of the Parameters table: one editor built from a SettingSpec row.

A check box for a switch, a spin box for a number (whole numbers for integer steps,
else the step's decimals), the unit as suffix, and a revert button that shows while
the value differs from the board's.  The mouse wheel changes a value only when the
editor has the focus: scrolling the table never edits a setting.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QSpinBox,
    QToolButton,
    QWidget,
)

from ..model import SettingSpec
from .setting_format import decimals_for, is_integer_spec


class SafeDoubleSpinBox(QDoubleSpinBox):
    """Ignores the mouse wheel unless focused: scrolling the table never changes a value."""

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt's name)
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class SafeSpinBox(QSpinBox):
    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


def _spin_for(spec: SettingSpec) -> QDoubleSpinBox | QSpinBox:
    """A spin box with the spec's range, step and decimals (no signal connected yet)."""
    if is_integer_spec(spec):
        spin = SafeSpinBox()
        spin.setRange(
            int(spec.minimum if spec.minimum is not None else -(2**31) + 1),
            int(spec.maximum if spec.maximum is not None else 2**31 - 1),
        )
        spin.setSingleStep(int(spec.step or 1))
        return spin
    dspin = SafeDoubleSpinBox()
    dec = decimals_for(spec.step)
    dspin.setDecimals(3 if dec is None else dec)
    dspin.setRange(
        spec.minimum if spec.minimum is not None else -1e9,
        spec.maximum if spec.maximum is not None else 1e9,
    )
    dspin.setSingleStep(spec.step or 1.0)
    return dspin


class ValueEditor(QWidget):
    """The new-value cell: an editor for one SettingSpec plus a revert button."""

    edited = Signal(str, object)  # key, value
    revertClicked = Signal(str)

    def __init__(self, spec: SettingSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        lay = QHBoxLayout(self)
        lay.setContentsMargins(2, 1, 2, 1)
        lay.setSpacing(4)
        self.check: QCheckBox | None = None
        self.spin: QDoubleSpinBox | QSpinBox | None = None
        if spec.kind == "bool":
            self.check = QCheckBox(self.tr("Off"))
            self.check.toggled.connect(self._on_toggled)
            self.check.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            lay.addWidget(self.check, 1)
        else:
            spin = self.spin = _spin_for(spec)
            if spec.unit:
                spin.setSuffix(" " + spec.unit)
            spin.setKeyboardTracking(False)
            spin.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            spin.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows)
            spin.valueChanged.connect(self._on_spin)
            lay.addWidget(spin, 1)
        self.revert = QToolButton()
        self.revert.setText("↺")
        self.revert.setToolTip(self.tr("Back to the board's value"))
        self.revert.setAutoRaise(True)
        self.revert.clicked.connect(lambda: self.revertClicked.emit(self.spec.key))
        sp = self.revert.sizePolicy()
        sp.setRetainSizeWhenHidden(True)
        self.revert.setSizePolicy(sp)
        self.revert.setVisible(False)
        lay.addWidget(self.revert)

    def _on_toggled(self, on: bool) -> None:
        assert self.check is not None
        self.check.setText(self.tr("On") if on else self.tr("Off"))
        self.edited.emit(self.spec.key, on)

    def _on_spin(self, _v: float) -> None:
        self.edited.emit(self.spec.key, self.value())

    def value(self) -> Any:
        if self.check is not None:
            return self.check.isChecked()
        assert self.spin is not None
        if isinstance(self.spin, QSpinBox):
            return int(self.spin.value())
        return round(float(self.spin.value()), self.spin.decimals())

    def set_value(self, value: Any) -> None:
        """Show ``value`` without emitting ``edited``."""
        if value is None:
            return
        if self.check is not None:
            self.check.blockSignals(True)
            self.check.setChecked(bool(value))
            self.check.setText(self.tr("On") if value else self.tr("Off"))
            self.check.blockSignals(False)
            return
        assert self.spin is not None
        spin = self.spin
        spin.blockSignals(True)
        # a board value outside the schema's range is shown as it is, never clamped
        # (a clamped display would be a change nobody asked for); rule 8 blocks writing it
        if value < spin.minimum():
            spin.setMinimum(int(value) if isinstance(spin, QSpinBox) else float(value))
        if value > spin.maximum():
            spin.setMaximum(int(value) if isinstance(spin, QSpinBox) else float(value))
        spin.setValue(int(round(value)) if isinstance(spin, QSpinBox) else float(value))
        spin.blockSignals(False)

    def set_changed(self, changed: bool) -> None:
        self.revert.setVisible(changed)
        target = self.check if self.check is not None else self.spin
        if target is not None:
            f = target.font()
            if f.bold() != changed:
                f.setBold(changed)
                target.setFont(f)
