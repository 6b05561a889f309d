"""``--screenshot DIR`` and ``--quit-after SECONDS``: one PNG of the window per tab, then quit.

For the smoke test of the frozen program (packaging/smoke_test.py) and for bug reports: a
workshop runs ``packbench --url … --screenshot shots --quit-after 20`` and sends the folder.
Each file is named after its page, not its (translated) tab text: ``01-connection.png``.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from PySide6.QtWidgets import QMainWindow, QTabWidget, QWidget

#: how long a page gets to update after it was brought to the front (pages refresh on show)
SETTLE_SECONDS = 0.3


def page_slug(widget: QWidget) -> str:
    """``LivePage`` → ``live``, ``HistoryView`` → ``history``, ``ParametersPage`` → ``parameters``."""
    name = re.sub(r"(Page|View|Viewer)$", "", type(widget).__name__) or type(widget).__name__
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def prepare_folder(text: str) -> tuple[Path | None, str | None]:
    """The folder for ``--screenshot`` (created if missing), or why it cannot be used."""
    folder = Path(text).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return None, f"cannot create the folder {str(folder)!r}: {exc.strerror or exc}"
    if not folder.is_dir():
        return None, f"{str(folder)!r} is not a folder"
    return folder, None


async def save_tab_screenshots(window: QMainWindow, tabs: QTabWidget, folder: Path) -> list[Path]:
    """Bring each visible tab to the front in turn and save the whole window as a PNG."""
    saved: list[Path] = []
    current = tabs.currentIndex()
    number = 0
    for index in range(tabs.count()):
        if not tabs.isTabVisible(index):
            continue  # a hidden tab (Pack health for a family without a health guide)
        number += 1
        tabs.setCurrentIndex(index)
        await asyncio.sleep(SETTLE_SECONDS)
        path = folder / f"{number:02d}-{page_slug(tabs.widget(index))}.png"
        if not window.grab().save(str(path), "PNG"):
            raise OSError(f"could not write {path}")
        saved.append(path)
    tabs.setCurrentIndex(current)
    return saved
