"""Bluetooth LE through the real bleak front end and a bleak backend that drives the
JK simulator (BleakClient(..., backend=...), a public API): 20-byte notifications,
AT junk, two FFE1 characteristics, busy boards, dropped links.  asyncio.run per test."""

from __future__ import annotations

import asyncio
import json

import pytest

from app.protocols.family import get_family
from app.services import presets, writer
from app.session import DeviceSession, SessionError
from app.simulator import create_simulator
from app.simulator.fake_ble import FakeBoard, backends_for_spec, layout_named, make_backends
from app.transports.ble import BleTransport, explain_ble_error, scan_ble

ADDR = "20:21:11:AA:BB:CC"


def rig(variant="jk02_32s", cells=16, gatt="", address=ADDR, **sim_kw):
    board = FakeBoard(
        create_simulator(variant, cells=cells, seed=11, **sim_kw),
        address=address,
        name="JK-BENCH",
        gatt=layout_named(get_family("jk").ble, gatt),
    )
    client_backend, scanner_backend = make_backends([board])

    def factory(url, protocol):
        return BleTransport(
            url.target,
            service_uuid=protocol.ble_service_uuid,
            notify_uuid=protocol.ble_notify_uuid,
            write_uuid=protocol.ble_write_uuid,
            client_backend=client_backend,
            scanner_backend=scanner_backend,
            scan_timeout_s=1.0,
            connect_timeout_s=2.0,
        )

    return board, scanner_backend, factory


def session_for(factory, address=ADDR, **kw):
    kw.setdefault("request_timeout_s", 1.5)
    kw.setdefault("pin", "1234")  # the simulated board's Bluetooth PIN
    return DeviceSession(f"ble://{address}", transport_factory=factory, **kw)


def test_scan_lists_the_board_with_signal_strength():
    _board, scanner, _f = rig()
    found = asyncio.run(scan_ble(0.5, scanner))
    assert found == [{"url": f"ble://{ADDR}", "name": "JK-BENCH", "rssi": -58, "family": "jk"}]


@pytest.mark.parametrize("variant,cells", [("jk02_24s", 8), ("jk02_32s", 16), ("jk04", 16)])
def test_live_data_over_20_byte_notifications_with_junk(variant, cells):
    board, _s, factory = rig(variant, cells)

    async def run():
        session = session_for(factory)
        await session.connect()
        try:
            snaps = [await session.next_snapshot(3) for _ in range(3)]
            return session.protocol.id, session.device_info, snaps
        finally:
            await session.close()

    pid, info, snaps = asyncio.run(run())
    assert pid == variant  # detected from the firmware version in device info
    assert info.model == board.sim.info.model
    for snap in snaps:
        assert snap.cell_count == cells
        assert snap.pack_voltage_v == pytest.approx(sum(snap.cell_voltages_v), abs=0.01)
    assert board.connected is False  # released on close


def test_two_ffe1_characteristics_are_told_apart_by_their_properties():
    _board, _s, factory = rig()

    async def run():
        session = session_for(factory)
        await session.connect()
        try:
            t = session._transport
            return t._write_char.handle, t._notify_char.handle
        finally:
            await session.close()

    assert asyncio.run(run()) == (3, 5)


def test_write_mode_falls_back_when_the_module_refuses_write_without_response(tmp_path):
    board, _s, factory = rig(chemistry="li-ion")
    board.refuse_write_without_response = True

    async def run():
        session = session_for(factory)
        await session.connect()
        try:
            keys = {s.key for s in writer.writable_schema(session)}
            wanted = presets.builtin("lifepo4").apply(presets.PackProfile(16, 280), keys)
            plan = await writer.prepare(session, wanted, chemistry="lifepo4")
            report = await writer.execute(
                session,
                plan,
                password="123456",
                gate=writer.PasswordGate(),
                acknowledged={f.id for f in plan.advisories},
                backup_dir=tmp_path,
            )
            return report, session._transport._response
        finally:
            await session.close()

    report, response_mode = asyncio.run(run())
    assert report.ok, report.summary
    assert response_mode is True
    assert board.sim.settings["cell_ovp_v"] == pytest.approx(3.65)


def test_busy_board_says_close_the_phone_app():
    board, _s, factory = rig()
    board.connected = True  # the phone app holds the only connection

    async def run():
        session = session_for(factory, reconnect=False)
        with pytest.raises(SessionError, match="close the phone app"):
            await session.connect()
        return session.state.value

    assert asyncio.run(run()) == "disconnected"


def test_unknown_address_is_not_in_range():
    _board, _s, factory = rig()

    async def run():
        session = session_for(factory, address="11:22:33:44:55:66", reconnect=False)
        with pytest.raises(SessionError, match="in range"):
            await session.connect()

    asyncio.run(run())


def test_dropped_link_reconnects():
    board, _s, factory = rig()

    async def run():
        session = session_for(factory, backoff_s=(0.2,))
        states = []
        session.subscribe(lambda e: states.append(e.data.value) if e.kind == "state" else None)
        await session.connect()
        try:
            board.drop()
            for _ in range(100):
                await asyncio.sleep(0.1)
                if states[-1] == "live" and "reconnecting" in states:
                    break
            snap = await session.next_snapshot(3)
            return states, snap
        finally:
            await session.close()

    states, snap = asyncio.run(run())
    first_drop = states.index("reconnecting")
    assert "live" in states[first_drop:], states  # back live after the drop
    assert snap.cell_count == 16


def test_errors_in_plain_words():
    assert "Bluetooth is unavailable" in explain_ble_error(FileNotFoundError(2, "No such file or directory"))
    assert "paired" in explain_ble_error(Exception("org.bluez.Error.AuthenticationFailed"))
    assert "close the phone app" in explain_ble_error(TimeoutError())


def test_cli_scan_and_read_over_the_fake_backend(monkeypatch, run_cli):
    monkeypatch.setenv("PACKBENCH_FAKE_BLE", f"jk02_32s?cells=16&address={ADDR}")

    def cli(*args):
        return run_cli(*args)

    scan = cli("scan", "--timeout", "0.5", "--json")
    assert scan.returncode == 0, scan.stderr
    devices = json.loads(scan.stdout)["devices"]
    assert {"kind": "ble", "url": f"ble://{ADDR}", "name": "JK-SIM", "rssi": -58, "family": "jk"} in devices
    nopin = cli("read", "--url", f"ble://{ADDR}", "--count", "1", "--json")
    assert nopin.returncode != 0 and "Bluetooth PIN" in nopin.stderr and nopin.stdout == ""
    read = cli("read", "--url", f"ble://{ADDR}", "--count", "2", "--json", "--pin", "1234")
    assert read.returncode == 0, read.stderr
    lines = [json.loads(x) for x in read.stdout.splitlines()]
    assert len(lines) == 2 and all(
        x["protocol"] == "jk02_32s" and len(x["fields"]["cell_voltages_v"]) == 16 for x in lines
    )


@pytest.mark.parametrize(
    "pin,message", [(None, "asks for its Bluetooth PIN"), ("0000", "wrong Bluetooth PIN")]
)
def test_the_bluetooth_pin_guards_connecting_like_the_vendor_app(pin, message):
    board, _s, factory = rig()
    seen = []

    async def run():
        session = session_for(factory, pin=pin, reconnect=False)
        session.subscribe(lambda e: seen.append(e.kind))
        with pytest.raises(SessionError, match=message):
            await session.connect()
        return session.state.value

    assert asyncio.run(run()) == "disconnected"
    assert "snapshot" not in seen  # nothing from the board was shown
    assert board.connected is False


# --- the older JK module: one FFE1 characteristic (issue 23) ---------------------------------------
OLD_ADDR = "C8:47:8C:00:00:01"  # the older module's prefix (jk.md §1.1)


@pytest.mark.parametrize("variant", ["jk02_24s", "jk02_32s"])
def test_older_module_with_one_ffe1_characteristic_that_writes_and_notifies(variant):
    """jk.md §1.1: the older module (C8:47:8C…) has a single FFE1, handle 0x12, write +
    notify; Packbench writes to and listens on that one characteristic."""
    board, scanner, factory = rig(variant, gatt="single", address=None)
    assert board.address == OLD_ADDR and [c[0] for c in board.gatt.characteristics] == [0x12]

    async def run():
        found = await scan_ble(0.3, scanner)
        session = session_for(factory, address=board.address)
        await session.connect()
        try:
            t = session._transport
            snap = await session.next_snapshot(3)
            return found, (t._write_char.handle, t._notify_char.handle), session.protocol.id, snap
        finally:
            await session.close()

    found, handles, pid, snap = asyncio.run(run())
    assert [d["url"] for d in found] == [f"ble://{OLD_ADDR}"]
    assert handles == (0x12, 0x12)
    assert pid == variant and snap.cell_count == 16


def test_fake_ble_spec_picks_the_layout_and_its_address_prefix():
    async def addresses(spec):
        _client, scanner = backends_for_spec(spec)
        return [d["url"] for d in await scan_ble(0.3, scanner)]

    # the usual (split) layout is the newer module's, 20:21:11… (jk.md §1.1)
    assert asyncio.run(addresses("jk02_32s?cells=8&seed=41")) == ["ble://20:21:11:00:00:01"]
    assert asyncio.run(addresses("jk02_32s?cells=8&seed=42&gatt=single")) == [f"ble://{OLD_ADDR}"]
    with pytest.raises(ValueError, match="gatt='double' is no GATT layout of this family.*split, single"):
        backends_for_spec("jk02_32s?cells=8&gatt=double")


# --- the unasked 0xC8 frame after device info and settings (issue 23) ------------------------------
# Real boards follow those replies with AA 55 90 EB C8 01 01 … 44 (jk.md §1.3 item 4, §1.4; the
# 320-byte captures in shared/frames/jk.json), the same bytes as a write's acknowledgement.
def _write_right_after_a_settings_read(variant="jk02_32s", **sim_kw):
    board, _s, factory = rig(variant, **sim_kw)

    async def run():
        session = session_for(factory, reconnect=False)
        await session.connect()
        try:
            await session.refresh_settings()
            ack = await session.write_setting("balance_start_v", 3.35)
            return ack, session.unasked_acks
        finally:
            await session.close()

    ack, unasked = asyncio.run(run())
    return board, ack, unasked


def test_the_unasked_ack_after_a_settings_read_does_not_answer_a_refused_write():
    """A board that refuses the write sends nothing; the 0xC8 frame it still owed for the
    settings read must not pass for the write's acknowledgement."""
    board, ack, unasked = _write_right_after_a_settings_read(fault="refuse_writes")
    assert ack is None
    assert unasked >= 2  # at least connect's device info and settings, set aside
    assert board.sim.settings["balance_start_v"] == pytest.approx(3.40)


@pytest.mark.parametrize("variant", ["jk02_24s", "jk02_32s", "jk04"])
def test_a_write_right_after_a_settings_read_still_gets_its_own_ack(variant):
    """The write waits for the owed ack (or, on a JK04 board that sends none, for the next
    frame), then gets the acknowledgement of its own."""
    board, ack, _unasked = _write_right_after_a_settings_read(variant)
    assert ack is not None and ack.register == 0xC8
    assert board.sim.settings["balance_start_v"] == pytest.approx(3.35)
