"""Words the Control tab's sections share: switch and action names, ON/OFF, time left.

Templates are marked with QT_TRANSLATE_NOOP (context "Control") and translated
when shown.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ...services.control import QT_TRANSLATE_NOOP
from ..widgets import vocab

#: mid-sentence forms ("Switch charging off?")
SWITCH_WORDS = {
    "charge_switch": QT_TRANSLATE_NOOP("Control", "charging"),
    "discharge_switch": QT_TRANSLATE_NOOP("Control", "discharging"),
    "balance_switch": QT_TRANSLATE_NOOP("Control", "balancing"),
    "heating_switch": QT_TRANSLATE_NOOP("Control", "heating"),
}
SWITCH_NAMES = {
    "charge_switch": QT_TRANSLATE_NOOP("Control", "Charging"),
    "discharge_switch": QT_TRANSLATE_NOOP("Control", "Discharging"),
    "balance_switch": QT_TRANSLATE_NOOP("Control", "Balancing"),
    "heating_switch": QT_TRANSLATE_NOOP("Control", "Heating"),
}
ACTION_NAMES = {
    "restart": QT_TRANSLATE_NOOP("Control", "Restart the board"),
    "shutdown": QT_TRANSLATE_NOOP("Control", "Shut the board down"),
    "factory_reset": QT_TRANSLATE_NOOP("Control", "Factory reset"),
}


def switch_name(key: str) -> str:
    text = SWITCH_NAMES.get(key)
    return QCoreApplication.translate("Control", text) if text else vocab(key)


def switch_word(key: str) -> str:
    text = SWITCH_WORDS.get(key)
    return QCoreApplication.translate("Control", text) if text else vocab(key)


def action_name(action: str) -> str:
    text = ACTION_NAMES.get(action)
    return QCoreApplication.translate("Control", text) if text else action


def on_off(on: bool | None) -> str:
    if on is None:
        return QCoreApplication.translate("Control", "unknown")
    return QCoreApplication.translate("Control", "ON") if on else QCoreApplication.translate("Control", "OFF")


def time_left(seconds: int) -> str:
    return QCoreApplication.translate("Control", "{minutes} min {seconds} s left").format(
        minutes=seconds // 60, seconds=seconds % 60
    )


def not_reported() -> str:
    """What a board does not report at all (the snapshot holds None), said in grey."""
    return QCoreApplication.translate("Control", "not reported by this board")
