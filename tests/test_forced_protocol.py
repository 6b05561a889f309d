"""A protocol forced by the user that does not fit the board: said, and writes refused (issue 12).

The board is the JK02_32S simulator over TCP on 127.0.0.1; the user forces
``jk02_24s`` (``--protocol``/``?protocol=``).  Its device information names
software 19.x, which is JK02_32S (jk.md §1.6), so the session must say the
frames do not fit and refuse every write, while a forced protocol that fits
changes nothing.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from app.services import control, writer
from app.session import DeviceSession, SessionError
from app.simulator import create_simulator
from app.simulator.server import ServerThread

ROOT = Path(__file__).resolve().parents[1]
MISFIT = "do not fit the forced protocol jk02_24s"


def _board() -> ServerThread:
    return ServerThread(create_simulator("jk02_32s", cells=16, seed=5))


def test_forcing_jk02_24s_on_a_32s_board_is_said_and_refuses_writes(tmp_path) -> None:
    with _board() as server:
        before = dict(server.sim.settings)

        async def go() -> None:
            session = DeviceSession(server.url, "jk02_24s", reconnect=False)
            events = []
            session.subscribe(events.append)
            await session.connect()
            try:
                assert session.misfit is not None and MISFIT in session.misfit
                assert "they look like jk02_32s" in session.misfit
                # said through a state detail (the status bar, `packbench read`)
                assert any(e.kind == "state" and e.detail == session.misfit for e in events)
                with pytest.raises(SessionError, match=MISFIT):
                    session.begin_writing()
                with pytest.raises(SessionError, match=MISFIT):
                    await session.write_setting("charge_switch", False)
                with pytest.raises(writer.WriteError, match=MISFIT):
                    await control.set_switch(
                        session,
                        "charge_switch",
                        False,
                        password="123456",
                        gate=writer.PasswordGate(),
                        backup_dir=tmp_path,
                    )
                assert session.state.value == "live"  # refused, not broken
            finally:
                await session.close()

        asyncio.run(go())
        assert server.sim.settings == before  # nothing reached the board


def test_forcing_the_protocol_the_board_speaks_changes_nothing(tmp_path) -> None:
    with _board() as server:

        async def go() -> None:
            session = DeviceSession(server.url, "jk02_32s", reconnect=False)
            await session.connect()
            try:
                await session.next_snapshot()
                assert session.misfit is None
                report = await control.set_switch(
                    session,
                    "charge_switch",
                    False,
                    password="123456",
                    gate=writer.PasswordGate(),
                    backup_dir=tmp_path,
                )
                assert report.ok, report.summary
            finally:
                await session.close()

        asyncio.run(go())
        assert server.sim.settings["charge_switch"] is False


def test_cli_says_so_on_stderr_and_refuses_the_write(tmp_path, run_cli) -> None:
    with _board() as server:

        def cli(*args: str):
            return run_cli(*args, "--url", server.url, "--protocol", "jk02_24s")

        read = cli("read", "--count", "1", "--json")
        assert read.returncode == 0, read.stderr
        warnings = [line for line in read.stderr.splitlines() if MISFIT in line]
        assert len(warnings) == 1 and warnings[0].startswith("packbench read: warning: ")
        assert "jk02_32s" in warnings[0]

        res = cli("control", "charge", "off", "--password", "123456", "--yes", "--backup-dir", str(tmp_path))
        assert res.returncode != 0
        assert MISFIT in res.stderr and "jk02_32s" in res.stderr
        assert "Traceback" not in res.stderr
        assert server.sim.settings["charge_switch"] is True


def test_jk04_frames_under_a_forced_jk02_24s_are_named() -> None:
    # the frames' number encoding tells JK04 from JK02 (jk.md §1.6), whatever the device says
    import json

    from app.protocols import get_protocol

    frames = json.loads((ROOT / "tests" / "data" / "jk04_frames.json").read_text())["frames"]
    cell = bytes.fromhex(next(e for e in frames if e["id"] == "mpp_jk04_test_cell")["hex"])[:300]
    proto = get_protocol("jk02_24s")
    why = proto.misfit(cell, [proto.decode(cell)])
    assert why is not None and re.search(r"\bjk04\b", why)
    assert get_protocol("jk04").misfit(cell, [get_protocol("jk04").decode(cell)]) is None


def test_implausible_live_values_under_a_forced_protocol_do_not_fit() -> None:
    from app.model import Snapshot
    from app.protocols import get_protocol

    snap = Snapshot(soh_pct=176.0).drop_implausible()  # what 24S offsets read from a 32S frame
    why = get_protocol("jk02_24s").misfit(b"", [snap])
    assert why is not None and "soh_pct=176" in why
    assert get_protocol("jk02_24s").misfit(b"", [Snapshot(soh_pct=99.0)]) is None


def test_frames_a_forced_protocol_cannot_decode_do_not_fit() -> None:
    # a JBD 0x03 reply with 2 data bytes: checksum right (jbd_daly.md §1), far too short
    # for basic info (23 bytes at least, §2.1); three in a row count, fewer do not
    short = bytes.fromhex("dd0300020000fffe77")
    session = DeviceSession("sim://jbd", "jbd", reconnect=False)
    session._on_data(short * 2)
    assert session.misfit is None and session.bad_frames == 2
    session._on_data(short)
    assert session.misfit is not None
    assert "do not fit the forced protocol jbd" in session.misfit and "3 frames in a row" in session.misfit
