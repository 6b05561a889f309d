"""Passwords and PINs in device URLs are never stored or logged (issue 12, "Secrets").

``sim://jbd?password=…&module_password=…`` configures a simulated board and
``…?pin=…`` a Bluetooth PIN; the URL is used as typed, but what is kept (the
recent-devices list, a log's meta sidecar, a raw capture's header) and what is
logged (the app log, the status bar, error messages) goes through
``model.url.redact_url``.
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest

from app.model.url import parse_device_url, redact_url
from app.services.logfile import FRAMES_SUFFIX, META_SUFFIX, sidecar
from app.services.recorder import Recorder
from app.session import DeviceSession, SessionError

PASSWORD = "S3cretPw9"
MODULE = "M0dulePw7"
#: what a simulated JBD board is given: its password is six digits (jbd_daly.md §3.1)
JBD_PASSWORD = "739146"


@pytest.mark.parametrize(
    "url, kept",
    [
        (f"sim://jbd?cells=13&password={PASSWORD}", "sim://jbd?cells=13"),
        (
            f"sim://jbd?password={PASSWORD}&cells=13&module_password={MODULE}&fault=drop_link_mid_write",
            "sim://jbd?cells=13&fault=drop_link_mid_write",
        ),
        ("ble://AA:BB:CC:DD:EE:FF?pin=1234&protocol=jk02_32s", "ble://AA:BB:CC:DD:EE:FF?protocol=jk02_32s"),
        ("/dev/ttyUSB0?baud=9600&PIN=1234", "/dev/ttyUSB0?baud=9600"),
        ("socket://user:pw@10.0.0.7:8899?Passcode=1", "socket://10.0.0.7:8899"),
        ("sim://x?pass%77ord=1&cells=4", "sim://x?cells=4"),  # percent-encoded names too
        ("sim://x?cells=4;password=1;chemistry=lto", "sim://x?cells=4;chemistry=lto"),
        ("sim://x?api_token=abc&secret=1&cells=4", "sim://x?cells=4"),
        (f"sim://jbd?password={PASSWORD}", "sim://jbd"),
        ("COM3", "COM3"),
        ("sim://jk02_32s?cells=16&chemistry=lifepo4", "sim://jk02_32s?cells=16&chemistry=lifepo4"),
    ],
)
def test_redact_url_strips_every_secret_option(url, kept):
    assert redact_url(url) == kept
    assert parse_device_url(url).redacted == kept


def test_the_session_never_logs_or_shows_the_password(caplog):
    url = f"sim://jbd?cells=13&password={JBD_PASSWORD}"

    async def run() -> tuple[str, list[str]]:
        session = DeviceSession(url)
        states: list[str] = []
        session.subscribe(lambda e: states.append(e.detail) if e.kind == "state" else None)
        await session.connect()
        description = session.description
        await session.close()
        return description, states

    with caplog.at_level(logging.DEBUG, logger="packbench"):
        description, states = asyncio.run(asyncio.wait_for(run(), 20))
    assert description == "sim://jbd?cells=13"
    said = "\n".join([*(r.getMessage() for r in caplog.records), *states])
    assert "sim://jbd?cells=13" in said  # the URL is still there to read
    assert JBD_PASSWORD not in said


def test_a_connect_error_names_the_url_without_the_password(caplog):
    # a JBD module that wants its own password and is not given it: the board does not answer
    url = f"sim://jbd?cells=13&password={JBD_PASSWORD}&module_password={MODULE}"

    async def run() -> str:
        session = DeviceSession(url)
        session.request_timeout_s = 0.2
        try:
            await session.connect()
        except SessionError as exc:
            return str(exc)
        finally:
            await session.close()
        return ""

    with caplog.at_level(logging.DEBUG, logger="packbench"):
        text = asyncio.run(asyncio.wait_for(run(), 30))
    assert text.startswith("sim://jbd?cells=13: the board did not answer")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert JBD_PASSWORD not in text + logged and MODULE not in text + logged


def test_a_recording_keeps_no_password(tmp_path):
    url = f"sim://jk02_32s?cells=8&interval=0.1&password={PASSWORD}&pin=4321"
    path = tmp_path / "ride.csv"

    async def run() -> None:
        session = DeviceSession(url)
        recorder = Recorder(session, path, raw=True)  # the URL from the session's description
        recorder.start()
        await session.connect()
        await asyncio.sleep(0.5)
        recorder.stop()
        await session.close()

    asyncio.run(asyncio.wait_for(run(), 20))
    for p in (sidecar(path, META_SUFFIX), sidecar(path, FRAMES_SUFFIX), path):
        text = p.read_text()
        assert PASSWORD not in text and "4321" not in text and "pin=" not in text
    assert json.loads(sidecar(path, META_SUFFIX).read_text())["url"] == "sim://jk02_32s?cells=8&interval=0.1"


# --- the recent-devices list (QSettings) -------------------------------------------------------------
def test_recent_devices_keep_no_password(tmp_path, qapp):
    from PySide6.QtCore import QSettings

    from app.ui.connection_page import RECENT_KEY, load_recent, remember_recent

    ini = tmp_path / "r.ini"
    s = QSettings(str(ini), QSettings.Format.IniFormat)
    remember_recent(s, f"sim://jbd?cells=13&password={PASSWORD}")
    assert load_recent(s) == ["sim://jbd?cells=13"]
    assert PASSWORD not in ini.read_text()
    # the same board again, with another password: one entry
    remember_recent(s, "sim://jbd?cells=13&password=other")
    assert load_recent(s) == ["sim://jbd?cells=13"]
    # a list written before this rule is cleaned when it is read, on disk too
    s.setValue(RECENT_KEY, json.dumps([f"sim://jbd?password={PASSWORD}&cells=4", "COM3"]))
    s.sync()
    again = QSettings(str(ini), QSettings.Format.IniFormat)
    assert load_recent(again) == ["sim://jbd?cells=4", "COM3"]
    assert PASSWORD not in Path(ini).read_text()
