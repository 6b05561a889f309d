"""Emergency mode (JK02_32S switch 0x6B, jk.md §5.2), read back through the live
frames' emergency countdown (32S byte 218, jk.md §2.1): the service against the
in-process simulator, the CLI against the simulator over TCP."""

from __future__ import annotations

import asyncio
import json

import pytest

from app.protocols import get_protocol
from app.services import control, writer
from app.session import DeviceSession
from app.simulator import create_simulator
from app.simulator.server import ServerThread


def run_with(url, body):
    async def run():
        s = DeviceSession(url, reconnect=False)
        await s.connect()
        try:
            return await body(s)
        finally:
            await s.close()

    return asyncio.run(asyncio.wait_for(run(), 30))


def test_only_32s_has_it_and_the_frame_is_the_documented_one():
    assert get_protocol("jk02_32s").has_emergency()
    assert not any(get_protocol(p).has_emergency() for p in ("jk02_24s", "jk04", "jk_4e57", "jk_pb"))
    frame = get_protocol("jk02_32s").encode_emergency(True)
    # AA 55 90 EB, register 0x6B, length 4, value 1 (jk.md §1.2, §5.2)
    assert frame[:6] == bytes.fromhex("aa5590eb6b04") and frame[6:10] == (1).to_bytes(4, "little")
    assert get_protocol("jk02_32s").encode_emergency(False)[6:10] == bytes(4)


def test_on_counts_down_and_off_stops_it():
    async def body(s):
        gate = writer.PasswordGate()
        sim = s._transport.sim
        on = await control.set_emergency(s, True, password="123456", gate=gate)
        first = sim.emergency_remaining_s
        # the live frames of 1.5 s (three of a real board's, 0.5 s apart): the countdown is
        # in whole seconds
        loop = asyncio.get_running_loop()
        end = loop.time() + 1.5
        snaps = [await s.next_snapshot()]
        while loop.time() < end:
            snaps.append(await s.next_snapshot())
        off = await control.set_emergency(s, False, password="123456", gate=gate)
        return on, first, snaps, off, sim

    on, first, snaps, off, sim = run_with("sim://jk02_32s?cells=16&seed=3", body)
    assert on.ok and on.status == writer.VERIFIED and on.acknowledged
    assert 0 < on.remaining_s <= 30 * 60  # the board's emergency duration, 30 min
    left = [s.extra["jk_emergency_remaining_s"] for s in snaps]
    assert left == sorted(left, reverse=True) and left[-1] < first  # counting down
    assert off.ok and off.remaining_s == 0 and sim.emergency_remaining_s == 0


def test_password_gate_and_refusal():
    async def body(s):
        with pytest.raises(writer.PasswordError):
            await control.set_emergency(s, True, password="000000", gate=writer.PasswordGate())
        assert s._transport.sim.emergency_remaining_s == 0  # nothing sent
        s._transport.sim.faults.drop_writes = True
        return await control.set_emergency(
            s, True, password="123456", gate=writer.PasswordGate(), readback_s=0.5
        )

    res = run_with("sim://jk02_32s?cells=8", body)
    assert res.status == writer.REFUSED and not res.ok and "refused" in res.message


def test_boards_without_it_say_so():
    async def body(s):
        with pytest.raises(writer.WriteError, match="no emergency mode"):
            await control.set_emergency(s, True, password="123456", gate=writer.PasswordGate())

    run_with("sim://jk02_24s?cells=8", body)


def test_cli_emergency_on_off_over_tcp(run_cli):
    sim = create_simulator("jk02_32s", cells=16, seed=21)
    with ServerThread(sim) as server:

        def cli(*args):
            return run_cli("control", "--url", server.url, "--json", *args)

        no = cli("emergency", "on")
        assert no.returncode != 0 and "--yes" in no.stderr
        assert "overrides its protections for a limited time" in no.stderr  # said before asking
        assert "30 min" in no.stderr
        wrong = cli("--password", "1", "--yes", "emergency", "on")
        assert wrong.returncode != 0 and "wrong setup password" in wrong.stderr
        assert sim.emergency_remaining_s == 0
        bad = cli("--yes", "emergency", "maybe")
        assert bad.returncode == 2 and "on or off" in bad.stderr

        on = cli("--password", "123456", "--yes", "emergency", "on")
        assert on.returncode == 0, on.stderr
        doc = json.loads(on.stdout)
        assert doc["status"] == "verified" and doc["ok"] and doc["acknowledged"]
        assert 0 < doc["remaining_s"] <= 1800
        assert 0 < sim.emergency_remaining_s < 1800  # the board counts down

        off = cli("--password", "123456", "--yes", "emergency", "off")
        assert off.returncode == 0, off.stderr
        assert json.loads(off.stdout)["remaining_s"] == 0 and sim.emergency_remaining_s == 0


def test_cli_emergency_on_a_board_without_it(run_cli):
    sim = create_simulator("jk02_24s", cells=8, seed=22)
    with ServerThread(sim) as server:
        res = run_cli("control", "--url", server.url, "--password", "123456", "--yes", "emergency", "on")
    assert res.returncode == 1 and "no emergency mode" in res.stderr
