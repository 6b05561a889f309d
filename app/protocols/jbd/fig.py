"""JBD Tools ``.fig`` parameter files: import and export, so a shop's files keep working.

Format (jbd_daly.md §3.6; bms-tools ``persist.py`` and the Overkill Solar sample
``Parameter_backup_file_for_desktop_app.fig``): text lines ``  Key<spaces>Value``
ending CR CR LF, first ``FileCode 3838``; values are the raw register integers
(unsigned decimal, so a discharge limit of −200 A is 45536); two-value
registers are split into their bytes (``HardChgOverCurrent`` = 0x38 byte 0 …);
strings are plain text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from . import schema

FILE_CODE = "3838"
NEWLINE = "\r\r\n"

#: (file key, register, part): part None = the whole u16, 0/1 = its high/low byte, "text"
FIELDS: tuple[tuple[str, int, Any], ...] = (
    ("DesignCapacity", 0x10, None),
    ("CycleCapacity", 0x11, None),
    ("FullChargeVol", 0x12, None),
    ("ChargeEndVol", 0x13, None),
    ("DischargingRate", 0x14, None),
    ("ManufactureDate", 0x15, None),
    ("SerialNumber", 0x16, None),
    ("CycleCount", 0x17, None),
    ("ChgOverTemp", 0x18, None),
    ("ChgOTRelease", 0x19, None),
    ("ChgLowTemp", 0x1A, None),
    ("ChgUTRelease", 0x1B, None),
    ("DisOverTemp", 0x1C, None),
    ("DsgOTRelease", 0x1D, None),
    ("DisLowTemp", 0x1E, None),
    ("DsgUTRelease", 0x1F, None),
    ("PackOverVoltage", 0x20, None),
    ("PackOVRelease", 0x21, None),
    ("PackUnderVoltage", 0x22, None),
    ("PackUVRelease", 0x23, None),
    ("CellOverVoltage", 0x24, None),
    ("CellOVRelease", 0x25, None),
    ("CellUnderVoltage", 0x26, None),
    ("CellUVRelease", 0x27, None),
    ("OverChargeCurrent", 0x28, None),
    ("OverDisCurrent", 0x29, None),
    ("BalanceStartVoltage", 0x2A, None),
    ("BalanceWindow", 0x2B, None),
    ("SenseResistor", 0x2C, None),
    ("BatteryConfig", 0x2D, None),
    ("NtcConfig", 0x2E, None),
    ("PackNum", 0x2F, None),
    ("fet_ctrl_time_set", 0x30, None),
    ("led_disp_time_set", 0x31, None),
    ("VoltageCap80", 0x32, None),
    ("VoltageCap60", 0x33, None),
    ("VoltageCap40", 0x34, None),
    ("VoltageCap20", 0x35, None),
    ("HardCellOverVoltage", 0x36, None),
    ("HardCellUnderVoltage", 0x37, None),
    ("HardChgOverCurrent", 0x38, 0),
    ("HardDsgOverCurrent", 0x38, 1),
    ("HardTime", 0x39, 0),
    ("SCReleaseTime", 0x39, 1),
    ("ChgUTDelay", 0x3A, 0),
    ("ChgOTDelay", 0x3A, 1),
    ("DsgUTDelay", 0x3B, 0),
    ("DsgOTDelay", 0x3B, 1),
    ("PackUVDelay", 0x3C, 0),
    ("PackOVDelay", 0x3C, 1),
    ("CellUVDelay", 0x3D, 0),
    ("CellOVDelay", 0x3D, 1),
    ("ChgOCDelay", 0x3E, 0),
    ("ChgOCRDelay", 0x3E, 1),
    ("DsgOCDelay", 0x3F, 0),
    ("DsgOCRDelay", 0x3F, 1),
    ("ManufacturerName", 0xA0, "text"),
    ("DeviceName", 0xA1, "text"),
    ("BarCode", 0xA2, "text"),
    ("GPS_VOL", 0x40, None),
    ("GPS_TIME", 0x41, None),
)
_BY_KEY = {key: (reg, part) for key, reg, part in FIELDS}
_TEXT_KEY = {spec.register: spec.key for spec in schema.TEXT_ROWS}


#: keys every file of the JBD tool carries (bms-tools' ``persist.py`` writes each one, and
#: so does the Overkill Solar sample); only those of registers a board need not answer
#: (schema.OPTIONAL_REGISTERS) may be missing.  A file without one of them is truncated.
REQUIRED: tuple[str, ...] = tuple(key for key, reg, _ in FIELDS if reg not in schema.OPTIONAL_REGISTERS)
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def looks_like_fig(text: str) -> bool:
    first = next((line.split() for line in text.splitlines() if line.strip()), [])
    return first[:1] == ["FileCode"]


def _lines(text: str) -> list[str]:
    """The file's lines, numbered as an editor shows them (the tool ends them CR CR LF)."""
    return re.split(r"\r*\n", text)


def _check_text(text: str) -> None:
    """ValueError naming the line when ``text`` holds anything but printable ASCII."""
    for n, line in enumerate(_lines(text), 1):
        for ch in line:
            if ch not in "\t\r" and not " " <= ch <= "~":
                raise ValueError(
                    f"line {n}: byte {ord(ch):#04x} is not text: a JBD Tools parameter "
                    "file is plain ASCII (is this a binary file?)"
                )


def parse(text: str) -> dict[str, Any]:
    """A ``.fig`` file's values on the canonical keys.  ValueError in words when it is
    not one (binary, no FileCode), a line is not ``Key value``, a value is not a number,
    a key comes twice, or a key the tool always writes is missing (a truncated file)."""
    _check_text(text)
    if not looks_like_fig(text):
        raise ValueError("not a JBD Tools parameter file (it does not start with FileCode)")
    raw: dict[int, int] = {}
    halves: dict[int, dict[int, int]] = {}
    values: dict[str, Any] = {}
    seen: set[str] = set()
    for n, line in enumerate(_lines(text), 1):
        parts = line.strip().split(maxsplit=1)
        if not parts:
            continue
        if not _KEY.fullmatch(parts[0]):
            raise ValueError(f"line {n}: {line.strip()[:40]!r} is not a 'Key value' line")
        if parts[0] in seen:
            raise ValueError(f"line {n}: {parts[0]} is given twice")
        seen.add(parts[0])
        if parts[0] == "FileCode" or parts[0] not in _BY_KEY:
            continue  # unknown keys (newer tool versions) are skipped, as bms-tools does
        key, value = parts[0], (parts[1].strip() if len(parts) > 1 else "")
        reg, part = _BY_KEY[key]
        if part == "text":
            values[_TEXT_KEY[reg]] = value
            continue
        try:
            number = int(value)
        except ValueError:
            raise ValueError(f"line {n}: {key} = {value!r} is not a whole number") from None
        limit = 0xFF if part in (0, 1) else 0xFFFF
        if not 0 <= number <= limit:
            raise ValueError(f"line {n}: {key} = {number} is outside 0..{limit}")
        if part is None:
            raw[reg] = number
        else:
            halves.setdefault(reg, {})[part] = number
    missing = [key for key in REQUIRED if key not in seen]
    if missing:
        raise ValueError(
            f"the file is truncated or incomplete: {', '.join(missing[:4])}"
            f"{' …' if len(missing) > 4 else ''} missing (the JBD tool writes "
            f"every one of its {len(REQUIRED)} keys)"
        )
    for reg, both in halves.items():
        if set(both) == {0, 1}:
            raw[reg] = both[0] << 8 | both[1]
    for reg, value in raw.items():
        values.update(schema.decode_register(reg, value))
    return values


def dump(values: Mapping[str, Any]) -> str:
    """Canonical values as a ``.fig`` file (registers the values do not cover are left out)."""
    lines = ["  FileCode".ljust(25) + FILE_CODE]
    for key, reg, part in FIELDS:
        if part == "text":
            text_key = _TEXT_KEY[reg]
            if text_key in values:
                lines.append(f"  {key}".ljust(25) + str(values[text_key]))
            continue
        raw = schema.current_raw(reg, dict(values))
        if raw is None:
            continue
        number = raw if part is None else (raw >> 8 if part == 0 else raw & 0xFF)
        lines.append(f"  {key}        {number}")
    return "".join(line + NEWLINE for line in lines)
