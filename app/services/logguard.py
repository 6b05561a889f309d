"""What a log file must look like before it is believed (logfile.py reads it).

* **Bounds**, checked before the heavy parse: a log has at most
  ``MAX_COLUMNS`` columns, a column name is at most ``MAX_FIELD`` bytes and a
  line at most ``MAX_LINE`` bytes.  A Packbench log of the largest board
  (32 cells) has about 60 columns and lines of a few hundred bytes; a file
  beyond these bounds is refused with a message (it would otherwise pin the
  viewer for minutes).
* **The meta sidecar** is someone else's JSON as far as the reader knows:
  ``clean_meta`` keeps the fields Packbench writes only when they have the
  type Packbench writes, and says which it ignored.  A sidecar larger than
  ``MAX_META_BYTES`` or nested beyond reason is ignored as a whole.
* **The cache key**: the binary cache is trusted only for the CSV it was made
  from, identified by its size, its modification time (ns) and a hash of its
  first and last ``KEY_BLOCK`` bytes (``csv_key``).  Any difference (an edit in
  place that kept the size, a copy, a recording still running) and the log is
  read from the CSV again.

Pure functions; no Qt, no asyncio.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import struct
from typing import Any

import numpy as np

MAX_COLUMNS = 1024
MAX_FIELD = 1024
MAX_LINE = 64 * 1024
MAX_META_BYTES = 1 << 20

KEY_BLOCK = 64 * 1024
#: CSV size, mtime in ns, BLAKE2b-128 of the first and of the last KEY_BLOCK bytes
KEY = struct.Struct("<Qq16s16s")
#: the key's slot in the cache header (all zero: no key, e.g. a recording still running)
KEY_SLOT = 64


class LogFormatError(ValueError):
    """The file is not a log this reader understands; the message is for people."""


# --- bounds -----------------------------------------------------------------------------------
def check_header(name: str, header: list[str]) -> None:
    """Refuse a header with too many columns or an over-long column name."""
    if len(header) > MAX_COLUMNS:
        raise LogFormatError(
            f"{name} has {len(header):,} columns; a Packbench log has at most {MAX_COLUMNS:,}"
        )
    longest = max((len(h.encode("utf-8", "replace")) for h in header), default=0)
    if longest > MAX_FIELD:
        raise LogFormatError(
            f"{name} has a column name of {longest:,} bytes; at most {MAX_FIELD:,} are allowed"
        )


def check_lines(name: str, ends: np.ndarray, start: int, first_line: int = 2) -> None:
    """Refuse a file with a line longer than MAX_LINE (``ends``: offsets past each '\\n')."""
    if not len(ends):
        return
    lengths = np.diff(np.concatenate([[start], ends]))
    too_long = np.flatnonzero(lengths > MAX_LINE)
    if len(too_long):
        i = int(too_long[0])
        raise LogFormatError(
            f"{name}: line {i + first_line:,} is {int(lengths[i]):,} bytes long; a log line has "
            f"at most {MAX_LINE:,} (this is not a Packbench log, or it is damaged)"
        )


def check_field(name: str, length: int, line: int) -> None:
    """Refuse a field (the alarms list, the only text a row has) longer than MAX_FIELD."""
    if length > MAX_FIELD:
        raise LogFormatError(
            f"{name}: line {line:,} has a field of {length:,} bytes; a log field has at most "
            f"{MAX_FIELD:,} (this is not a Packbench log, or it is damaged)"
        )


def check_tail(name: str, size: int, last_end: int) -> None:
    """Refuse a file whose unterminated last line alone is beyond MAX_LINE."""
    if size - last_end > MAX_LINE:
        raise LogFormatError(
            f"{name}: the last line is {size - last_end:,} bytes long; a log line has at most "
            f"{MAX_LINE:,} (this is not a Packbench log, or it is damaged)"
        )


# --- the meta sidecar -----------------------------------------------------------------------------
def _text(v: Any) -> bool:
    return isinstance(v, str) and len(v) <= MAX_FIELD


def _opt_text(v: Any) -> bool:
    return v is None or _text(v)


def _count(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _opt_count(v: Any) -> bool:
    return v is None or _count(v)


def _scalar(v: Any) -> bool:
    if isinstance(v, float):
        return math.isfinite(v)  # JSON has no NaN; Python's reader takes it all the same
    return v is None or isinstance(v, (bool, int)) or _text(v)


def _columns(v: Any) -> bool:
    return v is None or (isinstance(v, list) and len(v) <= MAX_COLUMNS and all(_text(c) for c in v))


#: top-level fields Packbench writes, with the type each must have
_TOP = {
    "format": _text,
    "format_version": _count,
    "app": _text,
    "app_version": _text,
    "url": _opt_text,
    "started_utc": _opt_text,
    "stopped_utc": _opt_text,
    "rows": _opt_count,
    "columns": _columns,
    "cells": _opt_count,
    "raw_capture": _opt_text,
    "replayed_from": _opt_text,
}
#: objects of scalars (None allowed for settings and excerpt_of; device is always an object)
_OBJECTS = {"device": {}, "settings": None, "excerpt_of": None}
#: DeviceInfo's typed fields (model/__init__.py)
_DEVICE_TEXT = (
    "model",
    "hardware_version",
    "software_version",
    "serial_number",
    "device_name",
    "manufacturer",
    "manufacture_date",
    "protocol",
)
_DEVICE_COUNT = ("power_on_count", "runtime_s")


def _device_ok(key: str, v: Any) -> bool:
    if key in _DEVICE_TEXT:
        return _opt_text(v)
    if key in _DEVICE_COUNT:
        return _opt_count(v)
    return _scalar(v)


def clean_meta(meta: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The sidecar with every field of the wrong type left out (or replaced by its empty
    value), and the names of those fields."""
    out = dict(meta)
    bad: list[str] = []
    for key, ok in _TOP.items():
        if key in out and not ok(out[key]):
            bad.append(key)
            out[key] = None
    for key, empty in _OBJECTS.items():
        if key not in out:
            continue
        value = out[key]
        if value is None and empty is None:
            continue
        if not isinstance(value, dict):
            bad.append(key)
            out[key] = empty
            continue
        check = _device_ok if key == "device" else (lambda _k, v: _scalar(v))
        kept = {k: v for k, v in value.items() if check(k, v)}
        bad += [f"{key}.{k}" for k in value if k not in kept]
        out[key] = kept
    return out, bad


def parse_meta(raw: bytes, name: str) -> tuple[dict[str, Any], str | None]:
    """A meta sidecar's bytes: (meta, warning or None).  Never raises."""
    if len(raw) > MAX_META_BYTES:
        return {}, f"{name} is larger than {MAX_META_BYTES >> 20} MB and was ignored"
    try:
        meta = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return {}, f"{name} is damaged and was ignored"
    if not isinstance(meta, dict):
        return {}, f"{name} is not a JSON object and was ignored"
    meta, bad = clean_meta(meta)
    if bad:
        shown = ", ".join(bad[:6]) + (f" and {len(bad) - 6} more" if len(bad) > 6 else "")
        return meta, f"{name}: fields of the wrong type were ignored ({shown})"
    return meta, None


# --- the cache key ----------------------------------------------------------------------------
def csv_key(path: str | os.PathLike) -> bytes:
    """The identity of a CSV as it is now (size, mtime, first and last blocks)."""
    with open(path, "rb") as f:
        st = os.fstat(f.fileno())
        head = f.read(KEY_BLOCK)
        f.seek(max(0, st.st_size - KEY_BLOCK))
        tail = f.read(KEY_BLOCK)
    return KEY.pack(
        st.st_size,
        st.st_mtime_ns,
        hashlib.blake2b(head, digest_size=16).digest(),
        hashlib.blake2b(tail, digest_size=16).digest(),
    )


def key_size(key: bytes) -> int:
    """The CSV size a key was made for."""
    return KEY.unpack_from(key)[0]


NO_KEY = bytes(KEY_SLOT)


__all__ = [
    "KEY_SLOT",
    "LogFormatError",
    "MAX_COLUMNS",
    "MAX_FIELD",
    "MAX_LINE",
    "MAX_META_BYTES",
    "NO_KEY",
    "check_field",
    "check_header",
    "check_lines",
    "check_tail",
    "clean_meta",
    "csv_key",
    "key_size",
    "parse_meta",
]
