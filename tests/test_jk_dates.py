"""JK's manufacture date is shown as a date, like JBD's (issue 17: JK showed the raw
"261122" while JBD showed "2026-11-20").

Wire formats from jk.md: the BLE device-info frame carries ASCII ``YYMMDD`` at offset 78
(§3), the 4E57 serial protocol ``YYMM`` under identifier 0xB5 (§7).  The frames are the
corpus's (tests/data/jk_frames.json, ESPHome's captures).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from app.cli import decode_one
from app.model import DeviceInfo, Secrets
from app.protocols.jk import layout as L
from app.protocols.jk.dates import iso_date, wire_date
from app.protocols.jk.decode import decode_device_info
from app.protocols.jk.encode import encode_device_info

FRAMES = json.loads((Path(__file__).parent / "data" / "jk_frames.json").read_text("utf-8"))["frames"]


def frame(frame_id: str) -> bytes:
    return bytes.fromhex(next(e["hex"] for e in FRAMES if e["id"] == frame_id))


def test_a_captured_device_info_frame_gives_an_iso_date():
    data = frame("esp_24s_v10_devinfo")
    assert data[78:84] == b"220511"  # YYMMDD on the wire (jk.md §3)
    info, _ = decode_device_info(data)
    assert info.manufacture_date == "2022-05-11"


def test_decode_prints_the_date_as_a_date():
    """`packbench decode` (README: the field is an ISO date for every family)."""
    out = decode_one("jk02_24s", frame("esp_24s_v10_devinfo").hex())
    assert out["kind"] == "device_info" and out["fields"]["manufacture_date"] == "2022-05-11"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("261122", "2026-11-22"),
        ("231118", "2023-11-18"),
        ("2101", "2021-01"),  # 4E57's YYMM
        ("221399", "221399"),  # no 13th month: kept as sent, never guessed
        ("220230", "220230"),  # no 30 February
        ("Input U", "Input U"),
        ("", ""),
        (None, None),
    ],
)
def test_iso_date(raw, shown):
    assert iso_date(raw) == shown


def test_the_wire_keeps_the_boards_digits():
    """The simulator's frame carries YYMMDD, as a board's does; the decoder gives the date."""
    info = DeviceInfo(model="JK_B2A24S15P", software_version="11.48", manufacture_date="2026-11-22")
    data = encode_device_info(info, Secrets())
    off, length = next((o, n) for name, o, n in L.DEVICE_STRINGS if name == "manufacture_date")
    assert data[off : off + length].rstrip(b"\x00") == b"261122"
    assert decode_device_info(data)[0].manufacture_date == "2026-11-22"
    assert wire_date("2026-11") == "2611" and wire_date("261122") == "261122"


@pytest.mark.parametrize(
    ("url", "made"), [("sim://jk02_32s?cells=16", "2026-11-22"), ("sim://jk_4e57", "2026-11")]
)
def test_a_connected_jk_board_reports_a_date(url, made):
    """The session's device info (what the Parameters page and the logs show)."""
    from app.session import DeviceSession

    async def go():
        session = DeviceSession(url, reconnect=False)
        await session.connect()
        try:
            return session.device_info.manufacture_date
        finally:
            await session.close()

    assert asyncio.run(go()) == made
