"""What a workshop sends with a bug report (issue 20): versions, licences, where the files are,
and the last lines of the log.  No Qt here: the GUI (ui/about.py) and the crash dialog
(ui/app.py) pass in what only they know (the Qt version, the device URL, the state).

Every URL goes through ``model.url.redact_url``: passwords and PINs never leave the machine.
"""

from __future__ import annotations

import collections
import importlib.metadata as md
import logging
import platform
import sys
from collections.abc import Iterable
from pathlib import Path

from . import __version__
from .model.url import redact_url

#: the log lines a report carries
LOG_LINES = 200

#: (what the user reads, the distribution's name): the parts Packbench is built on
COMPONENTS = [
    ("Qt for Python (PySide6)", "PySide6-Essentials"),
    ("bleak", "bleak"),
    ("pyserial", "pyserial"),
    ("qasync", "qasync"),
    ("pyqtgraph", "pyqtgraph"),
    ("NumPy", "numpy"),
    ("keyring", "keyring"),
]
#: licences the package metadata does not name in short words
_KNOWN_LICENCES = {"PySide6-Essentials": "LGPL-3.0", "pyserial": "BSD-3-Clause"}


class RecentLog(logging.Handler):
    """The last ``LOG_LINES`` log records, formatted, in memory (for Copy diagnostics)."""

    def __init__(self, capacity: int = LOG_LINES) -> None:
        super().__init__(logging.DEBUG)
        self.lines: collections.deque[str] = collections.deque(maxlen=capacity)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
        except Exception:  # noqa: BLE001 - a log handler never raises
            text = f"{record.levelname} {record.name}: {record.msg!r}"
        self.lines.extend(redact_line(line) for line in text.splitlines())


def redact_line(line: str) -> str:
    """A log line with every URL-like word redacted (a URL logged before it was redacted)."""
    if "://" not in line and "?" not in line:
        return line
    return " ".join(redact_url(word) if ("://" in word or "?" in word) else word for word in line.split(" "))


def component_versions() -> list[tuple[str, str, str]]:
    """(name, version, licence) of Packbench's parts, as installed (or frozen with it)."""
    rows = []
    for label, dist in COMPONENTS:
        try:
            meta = md.metadata(dist)
            version = meta["Version"]
        except md.PackageNotFoundError:
            rows.append((label, "?", "?"))
            continue
        rows.append((label, version, _licence(dist, meta)))
    return rows


def _licence(dist: str, meta) -> str:
    if dist in _KNOWN_LICENCES:
        return _KNOWN_LICENCES[dist]
    if meta.get("License-Expression"):  # SPDX (PEP 639): short whatever its length
        return meta["License-Expression"]
    text = " ".join((meta.get("License") or "").split())
    if not text or len(text) > 40:  # empty, or the whole licence text: the classifiers name it
        classifiers = [
            c.rsplit(" :: ", 1)[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License")
        ]
        text = ", ".join(classifiers) or "?"
    return text


def notices_file() -> Path | None:
    """THIRD-PARTY-NOTICES.txt of the bundle (frozen program), or None from the sources."""
    base = getattr(sys, "_MEIPASS", None)
    if base and (Path(base) / "THIRD-PARTY-NOTICES.txt").is_file():
        return Path(base) / "THIRD-PARTY-NOTICES.txt"
    return None


def system_line() -> str:
    frozen = " (bundle)" if getattr(sys, "frozen", False) else ""
    return f"{platform.system()} {platform.release()} ({platform.machine()}){frozen}"


def report(
    *,
    qt_version: str,
    url: str | None,
    state: str,
    log_file: Path | None,
    backups: Path,
    log_lines: Iterable[str] = (),
    error: str | None = None,
) -> str:
    """The diagnostics text: plain, English (for whoever reads the report), no secrets."""
    lines = [
        f"Packbench {__version__}",
        f"System: {system_line()}",
        f"Python: {platform.python_version()} ({platform.python_implementation()})",
        f"Qt: {qt_version}",
    ]
    lines += [f"{name}: {version} ({licence})" for name, version, licence in component_versions()]
    lines += [
        f"Device: {redact_url(url) or '(not connected)'}",
        f"State: {state}",
        f"Log file: {log_file or '(none)'}",
        f"Backups: {backups}",
    ]
    if error:
        lines += ["", "Error:", error.rstrip()]
    recent = list(log_lines)[-LOG_LINES:]
    lines += ["", f"Last {len(recent)} log lines:", *recent]
    return "\n".join(lines) + "\n"
