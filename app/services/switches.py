"""The switches a board has and what switching each one does to the pack.

Shared by the Control tab's actions (services/control.py) and the interlocks'
rule 12 (services/interlocks.py), which warns of the same consequences when a
settings write changes a switch.  Texts are templates marked for translation
(context "Control").
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate marker
    return text


SWITCHES = ("charge_switch", "discharge_switch", "balance_switch", "heating_switch")

CONSEQUENCES: dict[tuple[str, bool], str] = {
    ("charge_switch", False): QT_TRANSLATE_NOOP(
        "Control",
        "Charging off: the pack will not take charge. On a common-port pack, regenerative "
        "braking then has nowhere to go and can destroy the motor controller.",
    ),
    ("charge_switch", True): QT_TRANSLATE_NOOP(
        "Control", "Charging on: the pack takes charge again, within its protection limits."
    ),
    ("discharge_switch", False): QT_TRANSLATE_NOOP(
        "Control",
        "Discharging off: the pack delivers no power. Anything running from it stops now, "
        "and a pack left like this can only be woken by a charger or this switch.",
    ),
    ("discharge_switch", True): QT_TRANSLATE_NOOP(
        "Control", "Discharging on: the pack delivers power to its output again."
    ),
    ("balance_switch", False): QT_TRANSLATE_NOOP(
        "Control", "Balancing off: cells will drift apart over the coming cycles."
    ),
    ("balance_switch", True): QT_TRANSLATE_NOOP(
        "Control", "Balancing on: the balancer evens the cells out above the balance start voltage."
    ),
    ("heating_switch", False): QT_TRANSLATE_NOOP(
        "Control", "Heating off: in the cold the pack will refuse to charge instead of warming itself."
    ),
    ("heating_switch", True): QT_TRANSLATE_NOOP(
        "Control", "Heating on: the heater may draw power from the pack or the charger when it is cold."
    ),
}
