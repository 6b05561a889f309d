"""Reading settings and preset files strictly: size limits, JSON, values by their schema row.

The pieces both settings files (settings_files.py) and preset files (presets.py)
are read with; a file Packbench will not use is a ``FileError`` in words that name
the file or the key.
"""

from __future__ import annotations

import json
import math
import stat
from pathlib import Path
from typing import Any

from ..model import SettingSpec

#: no settings, backup or preset file comes near this; larger ones are refused unread
MAX_FILE_BYTES = 5 * 1024 * 1024
TRUE_WORDS = ("true", "on", "1")
FALSE_WORDS = ("false", "off", "0")


class FileError(ValueError):
    """A file Packbench will not use, in words that name the file or the key."""


def read_limited(path: str | Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes; FileError for a folder or anything above ``limit`` (checked on
    the size first, then by reading at most ``limit`` + 1 bytes: /dev/zero is safe)."""
    path = Path(path)
    too_big = FileError(
        f"{path}: larger than {limit // (1024 * 1024)} MB, far more than any "
        "settings or preset file: not read"
    )
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise FileError(f"{path}: is a folder, not a file")
        if stat.S_ISFIFO(st.st_mode) or stat.S_ISSOCK(st.st_mode):
            raise FileError(f"{path}: is a pipe, not a file")
        if stat.S_ISREG(st.st_mode) and st.st_size > limit:
            raise too_big
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise FileError(f"{path}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise too_big
    return data


def read_json(path: str | Path) -> Any:
    """A JSON file read within the size limit; FileError in words for anything else."""
    data = read_limited(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError(f"{path}: not UTF-8 text (byte {exc.start}): not a settings or preset file") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise FileError(f"{path}: nested too deeply to be a settings or preset file") from None
    except ValueError as exc:
        raise FileError(f"{path}: not valid JSON ({exc})") from None


def describe(value: Any) -> str:
    """A JSON value in a few words, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def parse_value(key: str, value: Any, spec: SettingSpec | None) -> Any:
    """One value of a file, strictly by its schema row: booleans are true/false, on/off or
    1/0 (JSON booleans, 0/1 or those words), numbers finite numbers, text text no longer
    than the board keeps.  FileError naming the key; nothing is coerced silently."""
    kind = spec.kind if spec is not None else None
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in TRUE_WORDS + FALSE_WORDS:
            return value.strip().lower() in TRUE_WORDS
        raise FileError(f"{key}: {describe(value)} is not on or off (write true/false, on/off or 1/0)")
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise FileError(f"{key}: {describe(value)} is not a number")
        if not math.isfinite(value):
            raise FileError(f"{key}: {describe(value)} is not a number")
        return value
    if kind == "text":
        if not isinstance(value, str):
            raise FileError(f"{key}: {describe(value)} is not text")
        if spec is not None and spec.max_length is not None and len(value) > spec.max_length:
            raise FileError(
                f"{key}: {describe(value)} is {len(value)} characters long; the board "
                f"keeps at most {spec.max_length}"
            )
        return value
    if kind is not None:
        raise FileError(f"{key}: is an action, not a setting")
    # a value the board reports outside its schema (kept in exports, never written)
    if (
        value is None
        or isinstance(value, (list, dict))
        or (isinstance(value, float) and not math.isfinite(value))
    ):
        raise FileError(f"{key}: {describe(value)} is not a setting's value")
    return value


def known_specs() -> dict[str, SettingSpec]:
    """Every setting of every family Packbench knows (for family-neutral preset files)."""
    from ..protocols import get_protocol, protocol_ids

    out: dict[str, SettingSpec] = {}
    for pid in protocol_ids():
        for spec in get_protocol(pid).settings_schema():
            out.setdefault(spec.key, spec)
    return out
