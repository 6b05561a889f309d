"""The first-run hint for USB serial adapters on Linux (issue 20).

Source of the rule: on Debian/Ubuntu/Fedora the USB serial devices /dev/ttyUSB* and /dev/ttyACM*
belong to the group dialout (uucp on Arch); root opens them anyway.
"""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QSettings

from app.ui.serial_hint import lacks_serial_access, maybe_show_serial_hint


@pytest.mark.parametrize(
    "uid, ports, openable, groups, expected",
    [
        (1000, ["/dev/ttyUSB0"], set(), {"users"}, ["/dev/ttyUSB0"]),  # plugged in, cannot open
        (1000, ["/dev/ttyUSB0", "/dev/ttyACM0"], {"/dev/ttyACM0"}, set(), ["/dev/ttyUSB0"]),
        (1000, ["/dev/ttyUSB0"], {"/dev/ttyUSB0"}, set(), []),  # a udev rule gave access
        (1000, [], set(), {"users", "plugdev"}, True),  # none plugged in, in no serial group
        (1000, [], set(), {"users", "dialout"}, False),
        (1000, [], set(), {"uucp"}, False),  # Arch
        (0, ["/dev/ttyUSB0"], set(), set(), False),  # root
    ],
)
def test_who_lacks_serial_access(uid, ports, openable, groups, expected):
    got = lacks_serial_access(uid=uid, ports=ports, can_open=lambda p: p in openable, groups=groups)
    assert got == expected


def test_the_hint_says_how_and_is_shown_once(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setenv("USER", "bench")
    settings = QSettings(str(tmp_path / "hint.ini"), QSettings.Format.IniFormat)
    assert maybe_show_serial_hint(window, settings, problem=False) is None
    assert maybe_show_serial_hint(window, settings, problem=[]) is None  # nothing to say yet
    box = maybe_show_serial_hint(window, settings, problem=["/dev/ttyUSB0"])
    assert box is not None and box.isVisible() and not box.isModal()
    assert "/dev/ttyUSB0" in box.text()
    assert "sudo usermod -aG dialout bench" in box.informativeText()
    box.done(0)
    assert maybe_show_serial_hint(window, settings, problem=["/dev/ttyUSB0"]) is None  # once
