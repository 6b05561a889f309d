"""Bluetooth that survives BlueZ (issue 25): the transport connects through
bleak-retry-connector on Linux, guards every connect and GATT call with a hard timeout, reads the
GATT table anew when BlueZ's cache is stale, and a settings transaction cut by a Bluetooth drop
reports what the board holds.

The failures are injected into the fake bleak backend (app/simulator/fake_ble_faults.py) as
BlueZ raises them (shared/stack.md §1 "Typical BlueZ errors": le-connection-abort-by-local,
org.bluez.Error.InProgress; a connect that hangs, aiobmsble's "safety net when BlueZ hangs").
What the board stored is the simulator's own state, read directly.  Timeouts are short here
(injected), so the tests stay fast.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from app.services import presets, writer
from app.session import DeviceSession, SessionError
from app.simulator import create_simulator
from app.simulator.fake_ble import FakeBoard, make_backends
from app.simulator.fake_ble_faults import ABORT_BY_LOCAL, IN_PROGRESS
from app.transports.ble import BleTransport, BluetoothHang, explain_ble_error

ADDR = "20:21:11:AA:BB:CC"
#: the injected timeouts: one connect attempt, any GATT call
CONNECT_S, GATT_S = 0.3, 0.3


def rig(variant="jk02_32s", *, retry=True, attempts=3, **sim_kw):
    sim_kw.setdefault("cells", 16)
    board = FakeBoard(create_simulator(variant, seed=11, **sim_kw), address=ADDR, name="JK-BENCH")
    client_backend, scanner_backend = make_backends([board])
    opened: list[BleTransport] = []

    def factory(url, protocol):
        t = BleTransport(
            url.target,
            service_uuid=protocol.ble_service_uuid,
            notify_uuid=protocol.ble_notify_uuid,
            write_uuid=protocol.ble_write_uuid,
            client_backend=client_backend,
            scanner_backend=scanner_backend,
            scan_timeout_s=1.0,
            connect_timeout_s=CONNECT_S,
            connect_attempts=attempts,
            gatt_timeout_s=GATT_S,
            retry_connector=retry,
        )
        opened.append(t)
        return t

    return board, factory, opened


def session_for(factory, **kw):
    kw.setdefault("request_timeout_s", 1.5)
    kw.setdefault("pin", "1234")  # the simulated board's Bluetooth PIN
    kw.setdefault("reconnect", False)
    return DeviceSession(f"ble://{ADDR}", transport_factory=factory, **kw)


async def _connect_and_read(factory):
    """Connect; the state afterwards, a snapshot, and how long connecting took."""
    session = session_for(factory)
    started = time.monotonic()
    try:
        await session.connect()
        snap = await session.next_snapshot(3)
        return session.state.value, snap.cell_count, time.monotonic() - started
    finally:
        await session.close()


@pytest.mark.parametrize(
    "errors",
    [[IN_PROGRESS], [ABORT_BY_LOCAL, ABORT_BY_LOCAL]],
    ids=["InProgress once", "abort-by-local twice"],
)
def test_bluez_errors_that_pass_end_live_through_the_retry_connector(errors):
    board, factory, _ = rig()
    board.faults.connect_errors = list(errors)
    state, cells, _took = asyncio.run(_connect_and_read(factory))
    assert (state, cells) == ("live", 16)
    assert board.faults.connect_attempts == len(errors) + 1  # retried, not given up
    assert board.connected is False  # released on close


def test_without_the_retry_connector_one_attempt_and_the_plain_sentence():
    """Elsewhere than Linux (plain bleak): one attempt, and InProgress said in plain words."""
    board, factory, _ = rig(retry=False)
    board.faults.connect_errors = [IN_PROGRESS]
    with pytest.raises(SessionError) as failed:
        asyncio.run(_connect_and_read(factory))
    assert board.faults.connect_attempts == 1
    assert "BlueZ is still busy with an earlier connection" in str(failed.value)
    assert "org.bluez" not in str(failed.value)


def test_a_board_that_keeps_aborting_ends_with_the_plain_sentence():
    """The retry library gives up (BleakAbortedError, its advice in English for Home Assistant):
    the session ends with Packbench's sentence, not the library's text."""
    board, factory, _ = rig()
    board.faults.connect_errors = [ABORT_BY_LOCAL] * 20
    with pytest.raises(SessionError) as failed:
        asyncio.run(_connect_and_read(factory))
    text = str(failed.value)
    assert "the board did not accept the connection" in text and "close the phone app" in text
    assert "Interference/range" not in text and "Failed to connect after" not in text
    assert board.connected is False


@pytest.mark.parametrize("retry", [True, False], ids=["retry connector", "plain bleak"])
def test_a_connect_that_never_returns_ends_within_the_hard_timeout(retry):
    board, factory, opened = rig(retry=retry, attempts=2)
    board.faults.hang_connect = True

    async def run():
        session = session_for(factory)
        started = time.monotonic()
        with pytest.raises(SessionError) as failed:
            await session.connect()
        return session.state.value, str(failed.value), time.monotonic() - started

    state, text, took = asyncio.run(asyncio.wait_for(run(), 10))
    guard = opened[0].connect_guard_s  # attempts × the connect timeout + 1 s
    assert guard == pytest.approx(2 * CONNECT_S + 1.0)
    assert state == "disconnected"
    assert guard <= took < guard + 1.0
    assert "did not answer within" in text and "connecting" in text


def test_a_gatt_write_that_never_returns_fails_within_the_timeout_and_drops_the_link():
    board, factory, _ = rig()

    async def run():
        session = session_for(factory)
        await session.connect()
        try:
            board.faults.hang_writes = True
            started = time.monotonic()
            with pytest.raises(SessionError) as failed:
                await session.write_setting("balance_start_v", 3.45)
            took = time.monotonic() - started
            await asyncio.sleep(0.05)  # the session hears of the lost link
            return str(failed.value), took, session.state.value
        finally:
            await session.close()

    text, took, state = asyncio.run(asyncio.wait_for(run(), 10))
    assert GATT_S <= took < GATT_S + 1.0
    assert "did not answer within" in text and "writing to the board" in text
    assert state == "disconnected"  # reconnect=False: the link counts as lost, not live
    assert board.sim.settings["balance_start_v"] != pytest.approx(3.45)


def test_a_stale_services_cache_is_cleared_and_the_table_read_anew():
    """BlueZ's cached GATT table predates a firmware update (no BMS service on it): the
    transport connects once more without the cache and goes live."""
    board, factory, _ = rig()
    board.faults.stale_services_cache = True
    state, cells, _took = asyncio.run(_connect_and_read(factory))
    assert (state, cells) == ("live", 16)
    assert board.faults.connect_attempts == 2


def test_stale_connections_are_closed_before_connecting(monkeypatch):
    """close_stale_connections runs with the scanned BLEDevice (not an address string) before
    establish_connection, which gets the same device."""
    import bleak_retry_connector as brc

    calls = []
    real_close, real_establish = brc.close_stale_connections, brc.establish_connection

    async def close_stale(device, *a, **kw):
        calls.append(("close_stale", device))
        return await real_close(device, *a, **kw)

    async def establish(client_class, device, *a, **kw):
        calls.append(("establish", device))
        return await real_establish(client_class, device, *a, **kw)

    monkeypatch.setattr(brc, "close_stale_connections", close_stale)
    monkeypatch.setattr(brc, "establish_connection", establish)
    _board, factory, _ = rig()
    asyncio.run(_connect_and_read(factory))
    assert [c[0] for c in calls] == ["close_stale", "establish"]
    device = calls[0][1]
    assert not isinstance(device, str) and device.address == ADDR and calls[1][1] is device


# --- a settings transaction cut by a Bluetooth drop --------------------------------------------


async def _apply_lifepo4(factory, url_extra: str, cells: int, password: str | None, backups):
    """A Li-ion board moved to LiFePO4 over Bluetooth, reconnecting at most once to read back."""
    session = DeviceSession(
        f"ble://{ADDR}{url_extra}",
        transport_factory=factory,
        pin="1234",
        reconnect=False,
        recover_timeout_s=5.0,
        request_timeout_s=1.5,
    )
    await session.connect()
    try:
        keys = {s.key for s in writer.writable_schema(session)}
        wanted = presets.builtin("lifepo4").apply(presets.PackProfile(cells, 280), keys)
        plan = await writer.prepare(session, wanted, chemistry="lifepo4")
        return await writer.execute(
            session,
            plan,
            password=password,
            gate=writer.PasswordGate(),
            acknowledged={f.id for f in plan.advisories},
            backup_dir=backups,
        )
    finally:
        await session.close()


def test_jbd_bluetooth_drop_mid_apply_reports_what_the_board_saved_as_over_tcp(tmp_path):
    """tests/test_write_faults.py's first test, over Bluetooth: the board takes two writes in
    factory mode, the link drops (fault=drop_link_mid_write); the transaction reconnects once,
    leaves factory mode without saving and reads back: nothing was saved, and the report says
    so, key by key with the value the board holds."""
    board, factory, _ = rig("jbd", cells=13, chemistry="li-ion", fault="drop_link_mid_write")
    before = dict(board.sim.settings)
    report = asyncio.run(asyncio.wait_for(_apply_lifepo4(factory, "?protocol=jbd", 13, None, tmp_path), 30))
    assert board.sim.settings == before  # nothing of the apply was kept
    assert not board.sim.factory and board.sim.saves == 0
    keys = [r for r in report.results if r.status not in (writer.NOT_ATTEMPTED, writer.UNCHANGED)]
    assert [r.status for r in keys] == [writer.NOT_SAVED] * 2, report.summary
    for r in keys:  # read back after the reconnection: the old value, which the board kept
        assert r.readback == pytest.approx(r.old) == pytest.approx(board.sim.settings[r.key])
    assert report.summary.startswith("nothing was changed on the board")
    assert report.backup.exists()


def test_jk_bluetooth_drop_between_two_writes_claims_nothing_the_board_does_not_hold(tmp_path):
    """A JK board stores each write at once; the link dies right after it took the second one.
    As over TCP, a board without a write mode is not reconnected to: the key in flight is
    "unknown", and everything the report states as fact is what the board holds."""
    board, factory, _ = rig(chemistry="li-ion", fault="drop_link_mid_write")
    before = dict(board.sim.settings)
    report = asyncio.run(asyncio.wait_for(_apply_lifepo4(factory, "", 16, "123456", tmp_path), 30))
    held = board.sim.settings
    changed_on_board = [k for k in held if held[k] != before[k]]
    assert len(changed_on_board) == 2, changed_on_board  # the two writes before the drop
    first, second = [r for r in report.results if r.key in changed_on_board]  # in the order written
    assert first.status == writer.VERIFIED and first.readback == pytest.approx(held[first.key])
    assert second.status == writer.FAILED and "may or may not hold" in second.detail
    assert held[second.key] == pytest.approx(second.new)  # it did: "unknown" was not a lie
    for r in report.results:
        if r.status in (writer.NOT_ATTEMPTED, writer.UNCHANGED):
            assert held[r.key] == pytest.approx(before[r.key]), r
    assert report.summary.startswith("1 of "), report.summary


# --- the retry library's errors in plain words --------------------------------------------------


def test_the_retry_librarys_errors_in_plain_words():
    import bleak_retry_connector as brc

    prefix = f"ble://{ADDR} - {ADDR}: Failed to connect after 9 attempt(s): "
    aborted = brc.BleakAbortedError(prefix + "le-connection-abort-by-local: " + brc.ABORT_ADVICE)
    slots = brc.BleakOutOfConnectionSlotsError(prefix + "no available connection: " + brc.OUT_OF_SLOTS_ADVICE)
    gone = brc.BleakNotFoundError(prefix + "TimeoutError")
    busy = brc.BleakConnectionError(prefix + "[org.bluez.Error.InProgress] Operation already in progress")
    hang = BluetoothHang("connecting", 46)
    said = {k: explain_ble_error(e, f"ble://{ADDR}") for k, e in locals().items() if isinstance(e, Exception)}
    assert "close the phone app" in said["aborted"]
    assert "no free connection" in said["slots"]
    assert "went out of reach" in said["gone"]
    assert "BlueZ is still busy" in said["busy"]
    assert "did not answer within 46 s (connecting)" in said["hang"]
    for text in said.values():  # Packbench's sentence, not the library's advice for Home Assistant
        assert text.startswith(f"ble://{ADDR}: ") and "proxies" not in text and "Interference" not in text
