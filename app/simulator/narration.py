"""The narrating board: one line per change a simulated board makes to itself.

``packbench simulate`` prints these on stdout (``board: factory mode on``,
``board: saved 3 register(s)``, ``board: cell_ovp_v = 3.65``, ``board: charge
off`` …), so a test or a demo can watch from outside what the board really
stored, not what a client was told.  Keys are the canonical keys of
shared/vocabulary.md, values in their canonical units.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Narrate = Callable[[str], None]

#: switches read as "charge off" rather than "charge_switch = false"
SWITCH_WORDS = {
    "charge_switch": "charge",
    "discharge_switch": "discharge",
    "balance_switch": "balance",
    "heating_switch": "heating",
}


def format_value(value: Any) -> str:
    """A canonical value as plain text: 3.65, 200, on/off, a string as it is."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        text = f"{round(value, 6):f}".rstrip("0").rstrip(".")
        return text if text not in ("", "-0") else "0"
    return str(value)


def setting_line(key: str, value: Any) -> str:
    """``charge off`` for a switch, ``KEY = VALUE`` for any other setting."""
    if key in SWITCH_WORDS:
        return f"{SWITCH_WORDS[key]} {'on' if value else 'off'}"
    return f"{key} = {format_value(value)}"


def changed_lines(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """One line per key whose value differs (in ``after``'s order)."""
    return [setting_line(k, v) for k, v in after.items() if k not in before or before[k] != v]


def say(narrate: Narrate | None, text: str, prefix: str = "board") -> None:
    if narrate is not None:
        narrate(f"{prefix}: {text}")


def say_changes(
    narrate: Narrate | None, before: Mapping[str, Any], after: Mapping[str, Any], prefix: str = "board"
) -> None:
    if narrate is None:
        return
    for line in changed_lines(before, after):
        say(narrate, line, prefix)
