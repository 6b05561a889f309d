"""One way to show a value: a number with its unit, the same on every page, report and
CLI line (issue 17, "one way to show a value").

Pure: no Qt, no I/O.  The unit comes from the schema row (``SettingSpec.unit``) or,
for a canonical name, from its suffix (vocabulary.md: ``_v``, ``_a``, ``_ah`` …).  How
many decimals a number gets is decided per unit (``PRECISION``) and, where a schema row
gives one, by its step:

* volts to the mV, always three decimals: ``3.650 V``, ``0.005 V`` (a balance trigger
  is a voltage like any other, never "5 mV" on one page and "0.005 V" on the next); a
  finer step (JK04's 0.0001 V) adds a digit only where the value has one
  (``0.0025 V``);
* amounts without trailing zeros: ``100 Ah`` (never ``100.000 Ah``), ``1.5 A``,
  ``280.125 Ah``, ``57 %``, ``30 s``;
* temperatures whole or with one decimal, never a trailing ``.0``: ``55 °C`` beside
  ``-20 °C`` (presets.md writes them so), ``27.3 °C`` for a reading;
* at most the step's decimals, so a value shows as precisely as the board stores it,
  and float noise (``3.6499999``) never shows.

``exact=True`` shows a value as it is (up to six decimals, the precision of the CLI's
JSON), for messages about a value that may lie off the step ("… is not a multiple of
the step 0.001 V").
"""

from __future__ import annotations

import math
from typing import Any

#: canonical-name suffix -> unit (vocabulary.md "a name carries its unit as a suffix")
UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("_pct", "%"),
    ("_ah", "Ah"),
    ("_wh", "Wh"),
    ("_mv", "mV"),
    ("_v", "V"),
    ("_ma", "mA"),
    ("_a", "A"),
    ("_w", "W"),
    ("_c", "°C"),
    ("_us", "µs"),
    ("_ms", "ms"),
    ("_s", "s"),
    ("_min", "min"),
    ("_h", "h"),
    ("_ohm", "Ω"),
    ("_mm", "mm"),
)

#: unit -> (decimals always shown, decimals shown at most where no step says otherwise)
PRECISION: dict[str, tuple[int, int]] = {
    "V": (3, 3),
    "mV": (0, 0),
    "A": (0, 3),
    "mA": (0, 0),
    "Ah": (0, 3),
    "Wh": (0, 1),
    "W": (0, 1),
    "°C": (0, 1),
    "%": (0, 1),
    "s": (0, 3),
    "ms": (0, 0),
    "µs": (0, 0),
    "min": (0, 1),
    "h": (0, 1),
    "Ω": (0, 6),
    "mm": (0, 0),
}
#: a unit nobody listed: up to six decimals, no trailing zeros (like ``:g``, without exponents)
DEFAULT_PRECISION = (0, 6)
#: the most decimals ever shown (the JSON contract rounds to six, model._clean)
MAX_DECIMALS = 6


def unit_for_key(key: str) -> str:
    """The unit a canonical name carries as its suffix; "" for a count or a text."""
    for suffix, unit in UNIT_SUFFIXES:
        if key.endswith(suffix):
            return unit
    return ""


def decimals_for(step: float | None) -> int | None:
    """How many decimals a step has (0.001 -> 3, 0.25 -> 2, 1 -> 0); None without a step."""
    if not step or step <= 0 or not math.isfinite(step):
        return None
    fraction = f"{step:.{MAX_DECIMALS}f}".rstrip("0").partition(".")[2]
    if fraction:
        return len(fraction)
    return 0 if step >= 1 else MAX_DECIMALS  # finer than a millionth: as fine as shown


def _decimals(unit: str, step: float | None, exact: bool) -> tuple[int, int]:
    least, most = PRECISION.get(unit, DEFAULT_PRECISION)
    if exact:
        most = MAX_DECIMALS
    else:
        by_step = decimals_for(step)
        if by_step is not None:
            most = by_step
    return least, max(least, most)


def number(
    value: float | int,
    unit: str = "",
    step: float | None = None,
    *,
    signed: bool = False,
    exact: bool = False,
) -> str:
    """``value`` as the unit shows numbers, without the unit: ``3.650``, ``100``, ``-20``."""
    if isinstance(value, float) and not math.isfinite(value):
        return "—"
    least, most = _decimals(unit, step, exact)
    if isinstance(value, int) and not isinstance(value, bool) and least == 0:
        text = str(value)
    else:
        text = f"{float(value):.{most}f}"
        if most > least:
            whole, _, fraction = text.partition(".")
            fraction = fraction.rstrip("0").ljust(least, "0")
            text = f"{whole}.{fraction}" if fraction else whole
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]  # -0.000: rounding took the sign's meaning away
    if signed and not text.startswith("-") and text.strip("0."):
        text = "+" + text
    return text


def quantity(
    value: float | int,
    unit: str = "",
    step: float | None = None,
    *,
    signed: bool = False,
    exact: bool = False,
) -> str:
    """A number with its unit: ``3.650 V``, ``100 Ah``, ``55 °C``; a bare number without one."""
    text = number(value, unit, step, signed=signed, exact=exact)
    return f"{text} {unit}" if unit else text


def key_quantity(
    key: str,
    value: Any,
    *,
    unit: str | None = None,
    step: float | None = None,
    signed: bool = False,
    exact: bool = False,
) -> str:
    """A canonical name's value with the unit its suffix (or ``unit``) names; on/off for a
    switch, "not reported" for a value the board did not give, text as it is."""
    if value is None:
        return "not reported"
    if isinstance(value, bool):
        return "on" if value else "off"
    unit = unit_for_key(key) if unit is None else unit
    if isinstance(value, (int, float)):
        return quantity(value, unit, step, signed=signed, exact=exact)
    return f"{value} {unit}".strip()


def span(low: float, high: float, unit: str = "", step: float | None = None) -> str:
    """A range with one unit: ``2.500 – 4.500 V``."""
    text = f"{number(low, unit, step)} – {number(high, unit, step)}"
    return f"{text} {unit}" if unit else text
