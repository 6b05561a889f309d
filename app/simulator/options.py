"""Simulator options (``sim://jk02_32s?cells=16&interval=0.2``) read strictly.

A ``sim://`` URL and ``packbench simulate`` hand their options over as text or
numbers; each reader here turns one into the value the simulator needs, or
raises ValueError with a plain message naming the option (``cells='abc' is
not a whole number``), so a mistyped option is refused instead of running a
board that never sends a frame (``chunk=0``) or sends them without pause
(``interval=-1``).
"""

from __future__ import annotations

import math
from typing import Any, Mapping

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def whole(options: Mapping[str, Any], key: str, lo: int | None = None, hi: int | None = None) -> int:
    """A whole number (``2``, ``0x02``), within ``lo..hi`` where given."""
    value = options[key]
    try:
        n = value if isinstance(value, int) and not isinstance(value, bool) else _int(str(value))
    except ValueError:
        raise ValueError(f"{key}={_show(value)} is not a whole number") from None
    _check_range(key, value, n, lo, hi)
    return n


def number(options: Mapping[str, Any], key: str, lo: float | None = None, hi: float | None = None,
           *, above: float | None = None) -> float:
    """A finite number within ``lo..hi`` (and strictly greater than ``above``)."""
    value = options[key]
    try:
        x = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        x = math.nan
    if not math.isfinite(x):
        raise ValueError(f"{key}={_show(value)} is not a number")
    if above is not None and not x > above:
        raise ValueError(f"{key}={_show(value)} must be more than {above:g}")
    _check_range(key, value, x, lo, hi)
    return x


def _int(text: str) -> int:
    text = text.strip()
    try:
        return int(text)  # "08" too
    except ValueError:
        return int(text, 0)  # 0x02


def switch(options: Mapping[str, Any], key: str, default: bool = False) -> bool:
    """An on/off option: 1/0, true/false, yes/no, on/off."""
    if key not in options:
        return default
    text = str(options[key]).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{key}={_show(options[key])} is neither on nor off; use 1 or 0")


def ascii_text(options: Mapping[str, Any], key: str, max_len: int) -> str:
    """Printable ASCII of at most ``max_len`` characters (what a board's string field holds)."""
    text = str(options[key])
    if len(text) > max_len or not all(" " <= c <= "~" for c in text):
        raise ValueError(f"{key}={_show(text)}: use at most {max_len} plain letters and digits")
    return text


def whole_list(options: Mapping[str, Any], key: str, lo: int, hi: int) -> tuple[int, ...]:
    """A comma-separated list of whole numbers (``chunk=1,3,7``), none empty."""
    parts = [p.strip() for p in str(options[key]).split(",")]
    if not any(parts):
        raise ValueError(f"{key}= needs at least one number")
    return tuple(whole({key: p}, key, lo, hi) for p in parts if p)


def _check_range(key: str, value: Any, x: float, lo: float | None, hi: float | None) -> None:
    if (lo is not None and x < lo) or (hi is not None and x > hi):
        if lo is not None and hi is not None:
            where = f"from {lo:g} to {hi:g}"
        elif lo is not None:
            where = f"at least {lo:g}"
        else:
            where = f"at most {hi:g}"
        raise ValueError(f"{key}={_show(value)} is out of range; use a value {where}")
