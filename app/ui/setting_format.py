"""How settings look on screen: labels, values with units, ranges, help.

Shared by the Parameters page and the write dialogs.  Everything is driven by
the family's SettingSpec rows, so a new family or firmware adds schema rows,
not UI code.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QCoreApplication

from ..model import SettingSpec, units
from ..model.labels import CONTEXT
from ..model.units import decimals_for  # noqa: F401 - the Parameters page's spin boxes
from ..protocols.family import help_text as registry_help_text
from ..services.interlocks import Finding
from .widgets import vocab

#: keys never shown, whatever a decoder puts into the settings
_SECRET = re.compile(r"(^|_)(password|passwd|pin|passcode|secret)(_|$)")


def is_secret(key: str) -> bool:
    return bool(_SECRET.search(key.lower()))


def is_integer_spec(spec: SettingSpec) -> bool:
    """Whole numbers only (delays, counts, one-byte temperatures)."""
    return (
        spec.kind == "number" and spec.step is not None and spec.step >= 1 and float(spec.step).is_integer()
    )


def setting_label(spec: SettingSpec | None, key: str) -> str:
    if spec is None:
        return vocab(key)
    return QCoreApplication.translate(CONTEXT, spec.label)


def help_text(spec: SettingSpec | None) -> str:
    """The translated help of a setting: its schema row's, else the vocabulary's or its
    family's for the key (a JBD row of a shared key carries none of its own)."""
    if spec is None:
        return ""
    text = spec.help or registry_help_text(spec.key)
    return QCoreApplication.translate(CONTEXT, text) if text else ""


def number_text(spec: SettingSpec | None, value: float | int) -> str:
    """A number as its unit shows numbers (model/units.py), to the step of its schema row."""
    if spec is None:
        return units.number(value)
    return units.number(value, spec.unit, spec.step)


def value_text(spec: SettingSpec | None, value: Any) -> str:
    """A value with its unit, e.g. ``3.650 V``, ``100 Ah``, ``55 °C``; On/Off for switches."""
    if value is None:
        return QCoreApplication.translate("SettingFormat", "not reported")
    if isinstance(value, bool) or (spec is not None and spec.kind == "bool"):
        return (
            QCoreApplication.translate("SettingFormat", "On")
            if value
            else QCoreApplication.translate("SettingFormat", "Off")
        )
    unit = spec.unit if spec is not None else ""
    if isinstance(value, (int, float)):
        return units.quantity(value, unit, spec.step if spec is not None else None)
    return f"{value} {unit}".strip()


def range_text(spec: SettingSpec | None) -> str:
    if spec is None or spec.kind != "number" or spec.minimum is None or spec.maximum is None:
        return ""
    return (
        QCoreApplication.translate("SettingFormat", "{lo} – {hi} {unit}")
        .format(lo=number_text(spec, spec.minimum), hi=number_text(spec, spec.maximum), unit=spec.unit)
        .strip()
    )


def step_text(spec: SettingSpec | None) -> str:
    """The step with its unit, as the unit shows numbers: ``0.001 V``, ``0.1 °C``."""
    if spec is None or spec.kind != "number" or not spec.step:
        return ""
    return units.quantity(spec.step, spec.unit, spec.step)


def finding_text(finding: Finding) -> str:
    """An interlock finding in the user's language, after its rule's name in words (the
    rule's number is Packbench's internal numbering: never shown)."""

    def translate(text: str) -> str:
        return QCoreApplication.translate(finding.context, text)  # i18n: lookup

    params = finding.fields(vocab, translate)
    template = translate(finding.template)  # i18n: lookup
    try:
        text = template.format(**params)
    except (KeyError, IndexError, ValueError):
        text = finding.message(vocab)
    name = QCoreApplication.translate("Interlock", finding.name)  # i18n: lookup
    return QCoreApplication.translate("SettingFormat", "{rule}: {text}").format(rule=name, text=text)
