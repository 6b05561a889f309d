"""The first-run hint for USB serial adapters on Linux (issue 20, desktop integration).

On Debian, Ubuntu and Fedora /dev/ttyUSB* and /dev/ttyACM* belong to the group ``dialout``
(``uucp`` on Arch); a user outside it cannot open a USB cable, and the connection fails with
"Permission denied".  Shown once (remembered in the settings), only where the user lacks access:
an adapter that is plugged in and cannot be opened, or, with none plugged in, no membership in
either group.  packaging/linux/60-packbench-serial.rules is the alternative without a group.
"""

from __future__ import annotations

import glob
import grp
import os
from collections.abc import Callable, Iterable

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QMessageBox, QWidget

SHOWN_KEY = "hints/serial_access_shown"
SERIAL_GROUPS = {"dialout", "uucp"}
PORT_PATTERNS = ("/dev/ttyUSB*", "/dev/ttyACM*")


def lacks_serial_access(
    *, uid: int, ports: Iterable[str], can_open: Callable[[str], bool], groups: Iterable[str]
) -> list[str] | bool:
    """The ports this user cannot open, or (none plugged in) whether the user is in no serial
    group; falsy when there is nothing to say."""
    if uid == 0:
        return False
    ports = list(ports)
    if ports:
        return [p for p in ports if not can_open(p)]
    return not (SERIAL_GROUPS & set(groups))


def _user_groups() -> set[str]:
    names = set()
    for gid in os.getgroups():
        try:
            names.add(grp.getgrgid(gid).gr_name)
        except KeyError:
            pass
    return names


def check_this_user() -> list[str] | bool:
    ports = sorted(p for pattern in PORT_PATTERNS for p in glob.glob(pattern))
    return lacks_serial_access(
        uid=os.getuid(),
        ports=ports,
        can_open=lambda p: os.access(p, os.R_OK | os.W_OK),
        groups=_user_groups(),
    )


def maybe_show_serial_hint(
    parent: QWidget, settings: QSettings, problem: list[str] | bool | None = None
) -> QMessageBox | None:
    """The hint as a non-modal box, once per user; ``problem`` defaults to this user's check."""
    if settings.value(SHOWN_KEY, False, type=bool):
        return None
    if problem is None:
        problem = check_this_user()
    if not problem:
        return None
    user = os.environ.get("USER") or "$USER"
    command = f"sudo usermod -aG dialout {user}"
    if isinstance(problem, list):
        text = QCoreApplication.translate(
            "SerialHint", "Packbench cannot open {ports}: this user may not use USB serial adapters."
        ).format(ports=", ".join(problem))
    else:
        text = QCoreApplication.translate(
            "SerialHint", "This user may not use USB serial adapters (not in the group dialout)."
        )
    more = QCoreApplication.translate(
        "SerialHint",
        "To connect over a USB cable, run {command} once, then log out and in again. "
        "Bluetooth and network bridges work without it.",
    ).format(command=command)
    box = QMessageBox(
        QMessageBox.Icon.Information,
        QCoreApplication.translate("SerialHint", "USB serial adapters"),
        text,
        parent=parent,
    )
    box.setInformativeText(more)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    settings.setValue(SHOWN_KEY, True)
    box.setModal(False)  # the window stays usable; no exec() (shared/stack.md P2)
    box.show()
    return box
