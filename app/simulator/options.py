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
from collections.abc import Mapping
from typing import Any

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


def number(
    options: Mapping[str, Any],
    key: str,
    lo: float | None = None,
    hi: float | None = None,
    *,
    above: float | None = None,
) -> float:
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


#: the largest pack and current a simulator takes (a big home-storage bank is ~1000 Ah;
#: the boards' registers hold far more, so these are sanity limits, not protocol ones)
MAX_CAPACITY_AH = 10_000.0
MAX_CURRENT_A = 2_000.0

#: ``fault=`` words and the ``Faults`` field each one sets
_FAULT_WORDS = {
    "ack_without_store": ("ack_without_store", True),
    "refuse_writes": ("drop_writes", True),
    "require_password": ("require_password", True),
    "drop_link_mid_write": ("drop_link_after_writes", 2),
}


def common(options: Mapping[str, Any]) -> dict[str, Any]:
    """The options every simulator takes, read strictly, as its constructor's keyword
    arguments (only those given): cells, chemistry, capacity_ah, seed, stream_interval_s,
    password, and ``faults``: the ``Faults`` fields the options set (``fault=…``,
    ``clamp_<key>=``, ``junk``, ``write_delay``, ``chunk``), for the family's
    simulator module to build its ``Faults`` from."""
    kwargs: dict[str, Any] = {}
    if "cells" in options:
        kwargs["cells"] = whole(options, "cells")  # each board checks its own range
    if "chemistry" in options:
        kwargs["chemistry"] = str(options["chemistry"])
    if "capacity" in options:
        kwargs["capacity_ah"] = number(options, "capacity", hi=MAX_CAPACITY_AH, above=0)
    if "seed" in options:
        kwargs["seed"] = whole(options, "seed")
    if "interval" in options:
        kwargs["stream_interval_s"] = number(options, "interval", hi=3600, above=0)
    if "password" in options:  # the families' boards check its form themselves
        kwargs["password"] = ascii_text(options, "password", 15)
    kwargs["faults"] = faults(options)
    return kwargs


def faults(options: Mapping[str, Any]) -> dict[str, Any]:
    """The ``Faults`` fields that misbehaviour on demand sets (``sim://…?fault=
    ack_without_store``, ``clamp_cell_ovp_v=3.6`` …); ValueError for an unknown fault."""
    out: dict[str, Any] = {}
    for word in str(options.get("fault", "")).split(","):
        word = word.strip()
        if word in _FAULT_WORDS:
            name, value = _FAULT_WORDS[word]
            out[name] = value
        elif word:
            raise ValueError(f"unknown simulator fault {word!r}")
    clamp = {str(key)[6:]: number(options, key) for key in options if str(key).startswith("clamp_")}
    if clamp:
        out["clamp"] = clamp
    if "junk" in options:
        out["junk"] = switch(options, "junk")
    if "write_delay" in options:  # a slow board: seconds before it answers a write
        out["write_delay_s"] = number(options, "write_delay", 0, 60)
    if "chunk" in options:  # notification sizes in bytes (a BLE notification is at most 512)
        out["chunk_sizes"] = whole_list(options, "chunk", 1, 4096)
    return out


def current(options: Mapping[str, Any]) -> float:
    """``current=``: a steady charger (+) or load (-), in A."""
    return number(options, "current", -MAX_CURRENT_A, MAX_CURRENT_A)


def gain(options: Mapping[str, Any], key: str) -> float:
    """A board that measures ``key``% off (voltage_error_pct=2: reads 2 % high)."""
    return 1 + number(options, key, -50, 50) / 100
