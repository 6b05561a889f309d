"""The board's logbook (JK02_32S 0xA1: its history of alarms and boots) as a CSV file.

One row per event the board answered, oldest first as the board sends them, under a
header row:

* ``seconds_since_first_power_up``: the entry's u32 timestamp in seconds (jk.md §1.5),
  which the History tab reads as the time since the board was first powered;
* ``since_first_power_up``: the same as days and time (``3 d 04:05:06``);
* ``code``: the board's event code (``0x1B``);
* ``event``: the event's name as the decoder gives it (English, the names of the
  captures: app/protocols/jk/decode.py ``LOGBOOK_EVENTS``; ``event 0x2A`` for a code
  nobody has named), the same in every language of the window, like the CLI's output.

The file is written next to its place and moved there when complete (a full disk leaves
the old file, never half a new one).  Pure of Qt.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from ..model import Logbook

COLUMNS = ("seconds_since_first_power_up", "since_first_power_up", "code", "event")


def since_text(seconds: int) -> str:
    """``3 d 04:05:06``: seconds as days and time."""
    d, rest = divmod(int(seconds), 86400)
    h, rest = divmod(rest, 3600)
    m, s = divmod(rest, 60)
    return f"{d} d {h:02d}:{m:02d}:{s:02d}"


def logbook_csv(book: Logbook) -> str:
    """The CSV text of a logbook (header and one row per entry)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for e in book.entries:
        writer.writerow([e.timestamp_s, since_text(e.timestamp_s), f"0x{e.code:02X}", e.event])
    return out.getvalue()


def write_logbook_csv(book: Logbook, path: str | os.PathLike) -> Path:
    """Write ``book`` to ``path`` (complete or not at all); OSError when it cannot be."""
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(logbook_csv(book))
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


__all__ = ["COLUMNS", "logbook_csv", "since_text", "write_logbook_csv"]
