"""DeviceSession against the simulator over real transports.

Plain ``asyncio.run`` per test (no pytest-qt, no qasync, no pytest-asyncio in
this module: shared/stack.md P9).  The links are real: the in-process sim://
transport, TCP on 127.0.0.1 through pyserial's socket:// handler, and a pty
pair opened by path exactly like /dev/ttyUSB0.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from app.model import Settings, Snapshot
from app.session import DeviceSession, Event, SessionError, State
from app.simulator import create_simulator
from app.simulator.jk import JkSimulator
from app.simulator.server import ServerThread

pytestmark = pytest.mark.skipif(os.name != "posix", reason="pty and TCP fixtures need POSIX")


def run(coro: Awaitable[Any], timeout: float = 20.0) -> Any:
    """One fresh event loop per test, with a hard limit so a hang fails instead."""

    async def main() -> Any:
        return await asyncio.wait_for(coro, timeout)

    return asyncio.run(main())


class Recorder:
    """Collects a session's events and waits for states."""

    def __init__(self, session: DeviceSession) -> None:
        self.events: list[Event] = []
        self.session = session
        session.subscribe(self.events.append)

    def states(self) -> list[str]:
        return [e.data.value for e in self.events if e.kind == "state"]

    def kinds(self) -> list[str]:
        return [e.kind for e in self.events]

    async def wait_for(self, pred: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not pred():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; states so far: {self.states()}")
            await asyncio.sleep(0.02)

    async def wait_state(self, state: State, timeout: float, since: int = 0) -> None:
        await self.wait_for(lambda: state.value in self.states()[since:], timeout, f"state {state.value}")


def assert_snapshot(snap: Snapshot, cells: int) -> None:
    assert len(snap.cell_voltages_v) == cells
    assert snap.cell_count == cells
    assert all(2.0 < v < 4.0 for v in snap.cell_voltages_v), snap.cell_voltages_v
    assert snap.pack_voltage_v == pytest.approx(sum(snap.cell_voltages_v), abs=0.01)


def no_other_tasks() -> list[asyncio.Task]:
    return [t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()]


@pytest.fixture
def server():
    threads: list[ServerThread] = []

    def start(sim: JkSimulator) -> ServerThread:
        t = ServerThread(sim).start()
        threads.append(t)
        return t

    yield start
    for t in threads:
        t.stop()


# (a) ------------------------------------------------------------------------------------------
def test_in_process_simulator_goes_live() -> None:
    async def main() -> None:
        session = DeviceSession("sim://jk02_32s?cells=16&seed=1", request_timeout_s=1.0)
        rec = Recorder(session)
        assert session.state == State.DISCONNECTED
        await session.connect()
        assert session.state == State.LIVE
        assert rec.states()[:3] == ["connecting", "identifying", "live"]
        kinds = rec.kinds()
        # device info before settings before the first snapshot, all before "live"
        assert kinds.index("device_info") < kinds.index("settings") < kinds.index("snapshot")
        assert session.device_info is not None and session.device_info.protocol == "jk02_32s"
        assert isinstance(session.settings, Settings) and session.settings.values["cell_count"] == 16
        snap = await session.next_snapshot(2.0)
        assert_snapshot(snap, 16)
        assert snap.power_w == pytest.approx(snap.pack_voltage_v * snap.current_a, abs=0.01)
        await session.close()
        assert session.state == State.DISCONNECTED
        assert rec.states()[-1] == "disconnected"

    run(main())


def test_cannot_connect_twice() -> None:
    async def main() -> None:
        session = DeviceSession("sim://jk02_32s?cells=8", request_timeout_s=1.0)
        await session.connect()
        with pytest.raises(SessionError):
            await session.connect()
        await session.close()

    run(main())


# (b) ------------------------------------------------------------------------------------------
def test_tcp_bridge_detects_24s_from_device_info(server) -> None:
    srv = server(create_simulator("jk02_24s", cells=12, seed=2))

    async def main() -> None:
        session = DeviceSession(srv.url, request_timeout_s=1.0)  # no protocol named
        assert session.protocol.id == "jk02_32s"  # the default guess
        rec = Recorder(session)
        await session.connect()
        assert session.protocol.id == "jk02_24s"  # switched from the software version
        assert session.device_info.software_version == "10.08"
        assert session.device_info.protocol == "jk02_24s"
        # 24S frames decoded with the 24S layout: 12 cells that add up to the pack
        for _ in range(3):
            assert_snapshot(await session.next_snapshot(2.0), 12)
        assert "live" in rec.states()
        await session.close()
        assert no_other_tasks() == []

    run(main())


def test_forced_protocol_is_kept(server) -> None:
    srv = server(create_simulator("jk02_32s", cells=8, seed=3))

    async def main() -> None:
        session = DeviceSession(srv.url + "?protocol=jk02_32s", request_timeout_s=1.0)
        await session.connect()
        assert session.protocol.id == "jk02_32s"
        assert_snapshot(await session.next_snapshot(2.0), 8)
        await session.close()

    run(main())


# (c) ------------------------------------------------------------------------------------------
from boards import PtyBoard  # noqa: E402  (shared with test_jk_serial)


def test_pty_serial_port() -> None:
    with PtyBoard(create_simulator("jk02_32s", cells=16, seed=4)) as board:

        async def main() -> None:
            session = DeviceSession(board.path, request_timeout_s=1.0)
            assert session.url.scheme == "serial"
            rec = Recorder(session)
            await session.connect()
            assert session.state == State.LIVE
            assert session.device_info.model == "JK-PB2A16S20P"
            for _ in range(2):
                assert_snapshot(await session.next_snapshot(2.0), 16)
            await session.close()
            assert rec.states()[-1] == "disconnected"
            assert no_other_tasks() == []

        run(main())


# (d) ------------------------------------------------------------------------------------------
def test_silence_triggers_reconnect_then_live_again(server) -> None:
    sim = create_simulator("jk02_32s", cells=8, seed=5)
    srv = server(sim)

    async def main() -> None:
        session = DeviceSession(srv.url, request_timeout_s=0.3, silence_timeout_s=1.0, backoff_s=(0.2,))
        rec = Recorder(session)
        await session.connect()
        mark, emark = len(rec.states()), len(rec.events)
        sim.faults.silent = True
        await rec.wait_state(State.RECONNECTING, 3.0, since=mark)
        reason = next(e.detail for e in rec.events[emark:] if e.kind == "state")
        assert "silent" in reason
        assert session.state in (State.RECONNECTING, State.IDENTIFYING)
        await asyncio.sleep(0.6)  # still silent: no way back to live
        assert session.state != State.LIVE
        sim.faults.silent = False
        await rec.wait_for(lambda: session.state == State.LIVE, 6.0, "live again")
        live = [e for e in rec.events[emark:] if e.kind == "state" and e.data == State.LIVE]
        assert live and live[-1].detail == "reconnected"
        assert_snapshot(await session.next_snapshot(2.0), 8)
        await session.close()
        assert no_other_tasks() == []

    run(main())


# (e) ------------------------------------------------------------------------------------------
def test_dropped_link_reconnects(server) -> None:
    srv = server(create_simulator("jk02_32s", cells=8, seed=6))

    async def main() -> None:
        session = DeviceSession(srv.url, request_timeout_s=1.0, silence_timeout_s=5.0, backoff_s=(0.2,))
        rec = Recorder(session)
        await session.connect()
        mark = len(rec.states())
        srv.call(srv.server.drop_clients)
        await rec.wait_state(State.RECONNECTING, 3.0, since=mark)
        assert any(e.kind == "error" for e in rec.events)  # the user is told
        await rec.wait_for(lambda: session.state == State.LIVE, 5.0, "live again")
        assert rec.states()[mark:][-1] == "live"
        assert_snapshot(await session.next_snapshot(2.0), 8)
        await session.close()
        assert no_other_tasks() == []

    run(main())


def test_dropped_link_without_reconnect_ends_disconnected(server) -> None:
    srv = server(create_simulator("jk02_32s", cells=8, seed=7))

    async def main() -> None:
        session = DeviceSession(srv.url, request_timeout_s=1.0, reconnect=False)
        rec = Recorder(session)
        await session.connect()
        srv.call(srv.server.drop_clients)
        await rec.wait_for(lambda: session.state == State.DISCONNECTED, 3.0, "disconnected")
        await session.close()
        assert no_other_tasks() == []

    run(main())


# (f) ------------------------------------------------------------------------------------------
def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_nobody_listening() -> None:
    port = _closed_port()

    async def main() -> None:
        session = DeviceSession(f"socket://127.0.0.1:{port}", request_timeout_s=0.5)
        rec = Recorder(session)
        with pytest.raises(SessionError) as info:
            await session.connect()
        text = str(info.value)
        assert f"127.0.0.1:{port}" in text
        assert "nobody is listening" in text  # not "is the adapter plugged in?"
        assert "Traceback" not in text
        assert session.state == State.DISCONNECTED
        assert rec.states() == ["connecting", "disconnected"]
        assert [e.data for e in rec.events if e.kind == "error"] == [text]
        assert no_other_tasks() == []

    run(main())


def test_board_that_never_answers(server) -> None:
    sim = create_simulator("jk02_32s", cells=8, seed=8)
    sim.faults.silent = True
    srv = server(sim)

    async def main() -> None:
        session = DeviceSession(srv.url, request_timeout_s=0.3)
        with pytest.raises(SessionError, match="did not answer"):
            await session.connect()
        assert session.state == State.DISCONNECTED
        assert no_other_tasks() == []

    run(main())


# (g) ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["sim", "tcp"])
def test_close_during_live_leaves_nothing_running(kind: str, server) -> None:
    url = (
        "sim://jk02_32s?cells=8"
        if kind == "sim"
        else server(create_simulator("jk02_32s", cells=8, seed=9)).url
    )

    async def main() -> None:
        session = DeviceSession(url, request_timeout_s=1.0)
        rec = Recorder(session)
        await session.connect()
        await session.next_snapshot(2.0)
        assert no_other_tasks(), "a live session runs its watchdog"
        await session.close()
        assert session.state == State.DISCONNECTED
        assert no_other_tasks() == []
        assert not [t for t in threading.enumerate() if t.name.startswith("serial-")]
        # nothing arrives after close
        n = len(rec.events)
        await asyncio.sleep(0.7)
        assert len(rec.events) == n
        # and it can connect again
        await session.connect()
        assert session.state == State.LIVE
        await session.close()

    run(main())


# (h) ------------------------------------------------------------------------------------------
def test_passwords_stay_in_memory(server) -> None:
    srv = server(create_simulator("jk02_32s", cells=8, seed=10))

    async def main() -> None:
        session = DeviceSession(srv.url, request_timeout_s=1.0)
        rec = Recorder(session)
        await session.connect()
        await session.next_snapshot(2.0)
        await session.refresh_settings()
        assert session.check_setup_password("123456") is True
        assert session.check_setup_password("nope") is False
        assert session.check_setup_password("") is False
        assert session.has_default_password is True
        await session.close()
        assert {"device_info", "settings", "snapshot", "state"} <= set(rec.kinds())
        for event in rec.events:
            text = repr(event)
            assert "123456" not in text
            assert "'1234'" not in text  # the connect PIN, as a value
            data = event.data
            if hasattr(data, "to_fields"):
                dumped = json.dumps(data.to_fields())
                assert "123456" not in dumped and '"1234"' not in dumped
        assert "123456" not in repr(session.device_info)

    run(main())
