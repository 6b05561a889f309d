"""The JK02_32S logbook (0xA1 -> frame type 0x05): captured frame, simulator, CLI."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from app.protocols import get_protocol
from app.protocols.jk.encode import encode_logbook
from app.session import DeviceSession, SessionError

FRAMES = {
    f["id"]: f for f in json.loads((Path(__file__).parent / "data" / "jk_frames.json").read_text())["frames"]
}


def test_captured_logbook_names_its_events():
    f = FRAMES["esp_32s_logbook"]  # syssi/esphome-jk-bms, response to 0xA1
    book = get_protocol("jk02_32s").decode(bytes.fromhex(f["hex"]))
    exp = f["expected"]
    assert book.count == exp["log_count"]
    assert [(e.timestamp_s, e.code, e.event) for e in book.entries] == [
        (x["ts_s"], x["code"], x["text"]) for x in exp["entries"]
    ]


def test_encoder_round_trip_keeps_the_most_recent_fifty():
    entries = [(i * 10, 0x01 if i % 2 else 0x1B) for i in range(60)]
    book = get_protocol("jk02_32s").decode(encode_logbook(entries))
    assert book.count == 60 and len(book.entries) == 50
    assert book.entries[0].timestamp_s == 100 and book.entries[-1].timestamp_s == 590


def test_session_reads_the_simulator_logbook_and_a_board_preset_is_logged():
    async def run():
        s = DeviceSession("sim://jk02_32s?cells=8", reconnect=False)
        await s.connect()
        try:
            before = await s.read_logbook()
            await s.run_action("preset_lifepo4")
            after = await s.read_logbook()
            return before, after
        finally:
            await s.close()

    before, after = asyncio.run(run())
    assert before.entries[0].event == "Boot"
    assert after.count == before.count + 1 and after.entries[-1].event == "Factory setting LFP"


def test_families_without_a_logbook_say_so():
    async def run():
        s = DeviceSession("sim://jk02_24s?cells=8", reconnect=False)
        await s.connect()
        try:
            with pytest.raises(SessionError, match="no logbook"):
                await s.read_logbook()
        finally:
            await s.close()

    asyncio.run(run())


def test_cli_logbook_json(run_cli):
    out = run_cli("logbook", "--url", "sim://jk02_32s?cells=8", "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["kind"] == "logbook" and doc["fields"]["entries"][0]["event"] == "Boot"
