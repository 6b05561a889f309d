"""JK's manufacture date: digits on the wire, an ISO date in the vocabulary.

The device-info frame carries it as ASCII ``YYMMDD`` (jk.md §3, offset 78: the corpus's
captures read ``220511``, ``231118`` …), the 4E57 serial protocol as ``YYMM`` (jk.md §7,
identifier 0xB5: ``2101`` in the captured read-all).  Packbench shows it as the other
families do (JBD's ``2026-11-20``): ``2022-05-11``, ``2021-01``.  Text that is not such
a date (no real month or day) is kept as the board sent it, never guessed.
"""

from __future__ import annotations

import re
from datetime import date

_DIGITS = re.compile(r"\d{4}(\d{2})?")
_ISO = re.compile(r"(20\d{2})-(\d{2})(?:-(\d{2}))?")


def iso_date(raw: str | None) -> str | None:
    """``YYMMDD`` -> ``20YY-MM-DD``, ``YYMM`` -> ``20YY-MM``; anything else as it is."""
    if raw is None or not _DIGITS.fullmatch(raw):
        return raw
    year, month = 2000 + int(raw[:2]), int(raw[2:4])
    day = int(raw[4:]) if len(raw) == 6 else 1
    try:
        date(year, month, day)
    except ValueError:
        return raw
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if len(raw) == 6 else "")


def wire_date(text: str | None) -> str:
    """The digits the board stores for an ISO date (``2026-11-22`` -> ``261122``,
    ``2026-11`` -> ``2611``); other text as it is (a simulator may send raw digits)."""
    if not text:
        return ""
    match = _ISO.fullmatch(text)
    if match is None:
        return text
    year, month, day = match.groups()
    return year[2:] + month + (day or "")
