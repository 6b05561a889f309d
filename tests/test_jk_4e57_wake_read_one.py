"""JK 4E57 serial: the activation command (0x01) and read-one-identifier (0x03),
jk.md §7.1–§7.3.

No source captures either frame, so the encoders are checked against the §7.2
layout and the read-one decoder against replies built from the identifier
values of a real read-all capture (tests/data/jk_serial_frames.json).  The
session is tested against the simulator over a pty: a board that sleeps until
it is activated (``?asleep=1``), and one setting read alone.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import pytest
from boards import PtyBoard

from app.model import Command, DeviceInfo, Settings, Snapshot
from app.protocols import get_protocol
from app.protocols.jk import serial4e57 as s4
from app.session import DeviceSession, SessionError, State
from app.simulator import create_simulator

DATA = Path(__file__).parent / "data" / "jk_serial_frames.json"
FRAMES = {e["id"]: e for e in json.loads(DATA.read_text(encoding="utf-8"))["frames"]}
P = get_protocol("jk_4e57")
posix = pytest.mark.skipif(os.name != "posix", reason="pty fixtures need POSIX")


def run(coro, timeout: float = 30.0) -> Any:
    async def main():
        return await asyncio.wait_for(coro, timeout)

    return asyncio.run(main())


def test_activation_frame_follows_the_frame_layout():
    frame = s4.build_activate()
    # 4E 57, length = total - 2 (big-endian), terminal 0, command 0x01, source 3 (PC),
    # type 0 (request), identifier 0x00, record 0, end marker 0x68, 16-bit sum (jk.md §7.2)
    assert frame[:2] == b"NW" and int.from_bytes(frame[2:4], "big") == len(frame) - 2
    assert frame[4:8] == bytes(4) and frame[8:11] == bytes([0x01, 0x03, 0x00])
    assert s4.data_of(frame) == b"\x00" and frame[-5] == 0x68
    assert int.from_bytes(frame[-2:], "big") == sum(frame[:-4]) & 0xFFFF and frame[-4:-2] == bytes(2)
    # the read-all request differs only in command and checksum: the captured one
    assert s4.build_read_all().hex() == FRAMES["esp_4e57_read_all_request"]["hex"]
    cmd = P.decode(frame)
    assert isinstance(cmd, Command) and cmd.extra["action"] == "activate"
    assert P.wake_requests() == [frame]
    assert get_protocol("jk02_32s").wake_requests() == []  # the BLE boards have none


def test_read_one_request_carries_the_identifier():
    frame = s4.build_read_one("cell_ovp_v")
    assert frame[8] == s4.CMD_READ and s4.data_of(frame) == bytes([0x90])  # cell OVP (§7.3)
    assert s4.data_of(s4.build_read_one(0x83)) == bytes([0x83])  # an identifier itself
    assert P.read_requests("cell_ovp_v") == [frame]
    cmd = P.decode(frame)
    assert isinstance(cmd, Command) and cmd.register == 0x90 and cmd.extra["action"] == "read"
    with pytest.raises(KeyError):
        s4.build_read_one("no_such_setting")
    with pytest.raises(KeyError):
        s4.build_read_one(0x88)  # not in the §7.3 table


def _reply_from_capture(ident: int) -> bytes:
    """A read-one reply carrying ``ident`` with the bytes the real read-all frame has."""
    data = s4.data_of(s4.check_frame(bytes.fromhex(FRAMES["esp_4e57_14s_status"]["hex"])))
    w = s4.walk(data)
    if ident == s4.ID_CELLS:
        i = data.index(bytes([s4.ID_CELLS]))
        tlv = data[i : i + 2 + data[i + 1]]
    else:
        tlv = bytes([ident]) + w.values[ident]
    return s4.build_frame(s4.CMD_READ, tlv, source=s4.SOURCE_BMS, kind=s4.TYPE_REPLY)


def test_read_one_replies_decode_like_the_read_all_they_come_from():
    whole = s4.decode_read_all(bytes.fromhex(FRAMES["esp_4e57_14s_status"]["hex"]))
    # a setting: a partial Settings (kind "settings"), which decode_all passes on
    reply = _reply_from_capture(0x90)
    msg = P.decode(reply)
    assert isinstance(msg, Settings) and msg.partial
    assert msg.values == {"cell_ovp_v": whole.settings.values["cell_ovp_v"]}
    assert P.decode_all(reply) == [msg]
    # live data (kind "live") and device info: decoded, but decode_all leaves them out,
    # as a snapshot or device info of one field would replace the whole
    live = P.decode(_reply_from_capture(s4.ID_PACK_V))
    assert isinstance(live, Snapshot) and live.pack_voltage_v == whole.snapshot.pack_voltage_v
    cells = P.decode(_reply_from_capture(s4.ID_CELLS))
    assert cells.cell_voltages_v == whole.snapshot.cell_voltages_v
    info = P.decode(_reply_from_capture(s4.ID_SOFTWARE))
    assert isinstance(info, DeviceInfo) and info.software_version == whole.device_info.software_version
    assert P.decode_all(_reply_from_capture(s4.ID_PACK_V)) == []
    assert P.decode_all(_reply_from_capture(s4.ID_SOFTWARE)) == []


def test_asleep_simulator_ignores_everything_until_activated():
    sim = create_simulator("jk_4e57", cells=8, seed=51, asleep="1", junk="0")
    assert sim.asleep
    assert sim.receive(s4.build_read_all()) == []
    assert sim.receive(s4.build_read_one("cell_ovp_v")) == []
    reply = b"".join(sim.receive(s4.build_activate()))
    assert reply and reply[8] == s4.CMD_ACTIVATE and reply[10] == s4.TYPE_REPLY and not sim.asleep
    assert s4.decode_read_all(b"".join(sim.receive(s4.build_read_all()))).settings.values["cell_count"] == 8
    assert not create_simulator("jk_4e57", cells=8).asleep


@posix
def test_session_wakes_a_sleeping_board_over_a_pty():
    sim = create_simulator("jk_4e57", cells=12, seed=52, asleep="1")
    with PtyBoard(sim) as board:

        async def main():
            session = DeviceSession(board.path + "?protocol=jk_4e57", request_timeout_s=1.0, reconnect=False)
            await session.connect()
            try:
                assert session.state == State.LIVE
                assert len((await session.next_snapshot(3.0)).cell_voltages_v) == 12
            finally:
                await session.close()

        run(main())
    commands = [cmd for cmd, _ in sim.received]
    first_wake = commands.index(s4.CMD_ACTIVATE)
    # asked, got nothing, woke the board, asked again
    assert commands[0] == s4.CMD_READ_ALL and first_wake >= 1
    assert s4.CMD_READ_ALL in commands[first_wake + 1 :]


@posix
def test_session_reads_one_setting_over_a_pty():
    sim = create_simulator("jk_4e57", cells=16, seed=53)
    with PtyBoard(sim) as board:

        async def main():
            session = DeviceSession(board.path + "?protocol=jk_4e57", request_timeout_s=1.5, reconnect=False)
            await session.connect()
            try:
                full = dict(session.settings.values)
                sim.settings["cell_ovp_v"] = 3.62  # changed on the board (its buttons, say)
                value = await session.read_setting("cell_ovp_v")
                after = dict(session.settings.values)
            finally:
                await session.close()
            return full, value, after

        full, value, after = run(main())
    assert value == pytest.approx(3.62)
    assert (s4.CMD_READ, 0x90) in sim.received
    # merged into the whole settings, not replacing them
    assert after["cell_ovp_v"] == pytest.approx(3.62)
    assert set(after) == set(full)


def test_families_without_read_one_say_so():
    async def main():
        session = DeviceSession("sim://jk02_32s?cells=8", reconnect=False)
        await session.connect()
        try:
            with pytest.raises(SessionError, match="cannot read one setting"):
                await session.read_setting("cell_ovp_v")
        finally:
            await session.close()

    run(main())
