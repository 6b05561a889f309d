"""A Xiaomi / Ninebot pack end to end: simulator, transports, session, CLI.

Facts from ../shared/protocols/ant_xiaomi.md §3: 115200 8N1 on one wire with TX and
RX tied (the host's own frames come back, §3.1), ``55 AA`` frames to 0x22 for m365
and ``5A A5`` frames from a host 0x3D/0x3E to 0x22 (internal) or 0x23 (external) for
ninebot (§3.2, §3.3), the register map of §3.4 (the M365's 7800 mAh design
capacity, ten cells), read-only (§3.5: no documented safe write, status bit 4 a
write lock), and Bluetooth only through the dashboard with NinebotCrypto / Mi auth
(§3.6).
"""

from __future__ import annotations

import asyncio
import json
import os
import select
import time
from datetime import datetime
from typing import Any

import pytest

from app.cli import main
from app.protocols import get_protocol
from app.protocols.xiaomi import INFO_READ, STATUS_READ
from app.protocols.xiaomi import framing as fr
from app.services import control, writer
from app.session import DeviceSession, SessionError
from app.simulator import create_simulator
from app.simulator.server import ServerThread
from tests.boards import PtyBoard, Simulate

#: §3.4 / the simulated M365 pack: 10 cells, 7800 mAh
CELLS = 10


def json_lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def check_stream(lines: list[dict[str, Any]], protocol: str, count: int) -> None:
    assert len(lines) == count
    for line in lines:
        f = line["fields"]
        assert line["protocol"] == protocol and line["kind"] == "live"
        assert len(f["cell_voltages_v"]) == CELLS and f["cell_count"] == CELLS
        # §3.4: the pack voltage word (10 mV) and the cells (mV) agree
        assert f["pack_voltage_v"] == pytest.approx(sum(f["cell_voltages_v"]), abs=0.02)
        assert f["capacity_full_ah"] == pytest.approx(7.8) and len(f["temperatures_c"]) == 2
        assert f["xiaomi_write_lock"] is True  # status bit 4


# --- Done when: simulate over TCP, read streams it ------------------------------------------------
@pytest.mark.parametrize("protocol", ["m365", "ninebot"])
def test_simulate_serves_a_pack_that_read_streams(protocol: str, capsys: pytest.CaptureFixture[str]) -> None:
    with Simulate("--protocol", protocol, "--cells", "10") as sim:
        rc = main(
            [
                "read",
                "--url",
                f"socket://127.0.0.1:{sim.port}",
                "--protocol",
                protocol,
                "--count",
                "3",
                "--json",
            ]
        )
        out = capsys.readouterr()
        code, err = sim.stop()
    assert rc == 0, out.err
    check_stream(json_lines(out.out), protocol, 3)
    assert code == 0 and "simulate: answered" in err


def test_the_human_read_names_the_protocol(capsys: pytest.CaptureFixture[str]) -> None:
    with ServerThread(create_simulator("m365", seed=2)) as srv:
        assert main(["read", "--url", srv.url, "--protocol", "m365", "--count", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "# ? sw 1.1.5 (m365)"
    assert "10 cells" in out[1] and "T 2" in out[1]


# --- Done when: over a pty with the echo present -----------------------------------------------------
@pytest.mark.parametrize("protocol", ["m365", "ninebot"])
def test_read_over_a_pty_with_the_echo_present(protocol: str, capsys: pytest.CaptureFixture[str]) -> None:
    sim = create_simulator(protocol, seed=2)
    assert sim.echo  # the simulated wire has TX and RX tied
    with PtyBoard(sim) as board:
        rc = main(["read", "--url", board.path, "--protocol", protocol, "--count", "2", "--json"])
    out = capsys.readouterr()
    assert rc == 0, out.err
    check_stream(json_lines(out.out), protocol, 2)


def test_the_pty_really_echoes_the_request_before_the_answer() -> None:
    request = get_protocol("m365").read(*STATUS_READ)
    with PtyBoard(create_simulator("m365", seed=2)) as board:
        fd = os.open(board.path, os.O_RDWR | os.O_NOCTTY)
        try:
            import tty

            tty.setraw(fd)
            os.write(fd, request)
            got = b""
            end = time.monotonic() + 2
            while time.monotonic() < end and len(got) < len(request) + 38:
                if select.select([fd], [], [], 0.1)[0]:
                    got += os.read(fd, 4096)
        finally:
            os.close(fd)
    assert got.startswith(request)  # our own frame first (§3.1)
    reply = got[len(request) :]
    assert reply[:4] == b"\x55\xaa\x22\x25" and reply[5] == 0x30  # 0x20 bytes from the BMS (0x25)


def test_the_session_drops_its_own_echo() -> None:
    """Every frame the session receives is the BMS's: its requests, echoed, never count."""

    async def go() -> tuple[list[bytes], list[bytes], int]:
        sent: list[bytes] = []
        got: list[bytes] = []
        session = DeviceSession(srv.url, "m365", reconnect=False, request_timeout_s=1.0)
        session.add_frame_tap(lambda d, f: (sent if d == "tx" else got).append(f))
        await session.connect()
        await session.next_snapshot(5)
        await session.close()
        return sent, got, session.frames_received

    with ServerThread(create_simulator("m365", seed=2)) as srv:
        sent, got, received = asyncio.run(go())
    assert sent and got and not set(sent) & set(got)
    assert all(f[3] == fr.FROM_BMS for f in got)  # replies only (ADDR 0x25, §3.2)
    assert received == len(got)


# --- detection on a cable ("Automatic") ---------------------------------------------------------------
@pytest.mark.parametrize(
    "url,found",
    [("sim", "m365"), ("ninebot", "ninebot bms 0x22"), ("ninebot?external=1&internal=0", "ninebot bms 0x23")],
)
def test_automatic_on_a_cable_finds_the_framing_and_the_address(url: str, found: str) -> None:
    pid, _, query = url.partition("?")
    pid = "m365" if pid == "sim" else pid
    options = dict(p.split("=") for p in query.split("&") if p)

    async def go() -> Any:
        session = DeviceSession(srv.url, None, reconnect=False, request_timeout_s=0.2)
        await session.connect()
        try:
            snap = await session.next_snapshot(5)
            return session.protocol, snap, session.device_info
        finally:
            await session.close()

    with ServerThread(create_simulator(pid, seed=2, **options)) as srv:
        protocol, snap, info = asyncio.run(go())
    assert repr(protocol) == f"<Protocol {found}>"
    assert len(snap.cell_voltages_v) == CELLS and info.protocol == protocol.id
    expected_serial = "PACKBENCH00002" if "internal=0" in url else "PACKBENCH00001"
    assert info.serial_number == expected_serial


def test_an_address_on_the_url_narrows_the_probing() -> None:
    """``?address=0x23`` on a cable with no protocol: m365 has no such address (§3.2), so
    only ninebot at 0x23 is tried, and it is the external pack that answers."""

    async def go() -> Any:
        session = DeviceSession(f"{srv.url}?address=0x23", None, reconnect=False, request_timeout_s=0.2)
        await session.connect()
        try:
            return session.protocol, session.device_info
        finally:
            await session.close()

    with ServerThread(create_simulator("ninebot", seed=2, external="1")) as srv:
        protocol, info = asyncio.run(go())
    assert repr(protocol) == "<Protocol ninebot bms 0x23>" and info.serial_number == "PACKBENCH00002"


def test_nothing_on_the_wire_says_what_was_tried() -> None:
    sim = create_simulator("m365", seed=2)
    sim.faults.silent = True  # a pack behind an adapter that does not answer (§3.7)

    async def go() -> str:
        session = DeviceSession(srv.url, None, reconnect=False, request_timeout_s=0.1)
        with pytest.raises(SessionError) as failed:
            await session.connect()
        return str(failed.value)

    with ServerThread(sim) as srv:
        message = asyncio.run(go())
    assert "did not answer" in message
    # every family that finds its protocol by asking was asked (Daly's questions come
    # first, by family id); the scooter bus's three, in this order
    assert "Packbench also tried " in message
    assert message.endswith("; m365; ninebot bms 0x22; ninebot bms 0x23.")


def test_a_noisy_bus_is_ridden_out_by_the_retries() -> None:
    async def go() -> Any:
        session = DeviceSession(srv.url, "ninebot", reconnect=False, request_timeout_s=1.0)
        await session.connect()
        try:
            return [await session.next_snapshot(5) for _ in range(2)]
        finally:
            await session.close()

    with ServerThread(create_simulator("ninebot", seed=2, drop_every=3)) as srv:
        snaps = asyncio.run(go())
    assert all(len(s.cell_voltages_v) == CELLS for s in snaps)


# --- the family's own URL options are Packbench's, not pyserial's ----------------------------------------
def test_host_and_current_sign_ride_on_a_serial_url(capsys: pytest.CaptureFixture[str]) -> None:
    sim = create_simulator("ninebot", seed=2, current="2")  # charging at 2 A
    with ServerThread(sim) as srv:
        url = f"{srv.url}?host=0x3e&current_sign=charge_positive"
        assert main(["read", "--url", url, "--protocol", "ninebot", "--count", "1", "--json"]) == 0
        flipped = json_lines(capsys.readouterr().out)[0]["fields"]["current_a"]
        assert main(["read", "--url", srv.url, "--protocol", "ninebot", "--count", "1", "--json"]) == 0
        plain = json_lines(capsys.readouterr().out)[0]["fields"]["current_a"]
    assert plain == pytest.approx(2.0, abs=0.05)  # + charging (vocabulary.md), wire + = discharge
    assert flipped == pytest.approx(-2.0, abs=0.05)
    assert {f[3] for f in sim.received} == {0x3D, 0x3E}  # py9b's host 0x3E when asked (§3.3)


# --- read-only: every write refused, and why ----------------------------------------------------------
def _only_reads(sim: Any) -> bool:
    return all(fr.parse(f, sim.fmt).cmd == fr.READ for f in sim.received)


@pytest.mark.parametrize(
    "args",
    [
        ["settings", "apply", "--preset", "li-ion", "--cells", "10", "--capacity", "7.8", "--yes"],
        ["control", "charge", "off", "--yes"],
        ["control", "calibrate-voltage", "41.0", "--yes"],
        ["control", "reboot", "--yes"],
    ],
)
def test_the_cli_refuses_every_write_with_the_reason(
    args: list[str], tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    sim = create_simulator("m365", seed=2)
    with ServerThread(sim) as srv:
        rc = main([args[0], "--url", srv.url, "--protocol", "m365", "--backup-dir", str(tmp_path), *args[1:]])
    err = capsys.readouterr().err
    assert rc == 1, err
    assert "read-only" in err and "write lock" in err and err.count("\n") == 1
    assert _only_reads(sim) and not list(tmp_path.iterdir())  # nothing sent, nothing backed up


def test_a_settings_file_that_changes_a_value_is_refused(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "pack.json"
    sim = create_simulator("ninebot", seed=2)
    with ServerThread(sim) as srv:
        assert main(["settings", "dump", "--url", srv.url, "--protocol", "ninebot", "--file", str(path)]) == 0
        doc = json.loads(path.read_text())
        assert doc["settings"]["capacity_nominal_ah"] == pytest.approx(7.8)  # §3.4: 7800 mAh
        doc["settings"]["capacity_nominal_ah"] = 12.0
        path.write_text(json.dumps(doc))
        capsys.readouterr()
        rc = main(
            [
                "settings",
                "apply",
                "--url",
                srv.url,
                "--protocol",
                "ninebot",
                "--file",
                str(path),
                "--yes",
                "--backup-dir",
                str(tmp_path / "b"),
            ]
        )
    out, err = capsys.readouterr()
    assert rc == 1 and "not written: Xiaomi and Ninebot scooter packs are read-only" in err
    assert "No changes" not in out and out.strip() == ""  # no plan shown for what is refused
    assert _only_reads(sim)


def test_the_session_and_the_writer_refuse_too() -> None:
    async def go() -> list[str]:
        session = DeviceSession(srv.url, "m365", reconnect=False, request_timeout_s=1.0)
        await session.connect()
        said = []
        try:
            for attempt in (
                lambda: session.write_setting("capacity_nominal_ah", 12.0),
                lambda: session.run_action("restart"),
                # the state of charge and the clock, which other families set
                lambda: session.set_soc(50.0),
                lambda: session.set_clock(datetime(2024, 5, 1, 12, 0)),
                lambda: control.set_soc(session, 50.0, password=None, gate=writer.PasswordGate()),
                lambda: control.set_clock(session, password=None, gate=writer.PasswordGate()),
                lambda: writer.prepare(session, {"capacity_nominal_ah": 12.0}),
            ):
                with pytest.raises((SessionError, writer.WriteError)) as refused:
                    await attempt()
                said.append(str(refused.value))
            with pytest.raises(SessionError):
                session.begin_writing()
        finally:
            await session.close()
        return said

    sim = create_simulator("m365", seed=2)
    with ServerThread(sim) as srv:
        said = asyncio.run(go())
    assert all("write lock" in s for s in said)
    assert _only_reads(sim)


def test_the_simulated_bms_refuses_writes_like_a_locked_one() -> None:
    """py9b: a write with acknowledgement is answered with data byte 0, write-protected."""
    sim = create_simulator("ninebot", seed=2)
    write = fr.ninebot_frame(0x3D, 0x22, fr.WRITE_ACK, 0x18, (12000).to_bytes(2, "little"))
    reader = fr.XiaomiFrameReader((fr.NINEBOT,))
    reader.note_sent(write)
    (ack,) = [get_protocol("ninebot").decode(f.data) for f in reader.feed(b"".join(sim.receive(write)))]
    assert not ack.ok and "write-protected" in ack.detail
    info = get_protocol("ninebot").read(*INFO_READ)
    reader.note_sent(info)
    frames = reader.feed(b"".join(sim.receive(info)))
    settings = [
        m
        for f in frames
        for m in get_protocol("ninebot").decode_all(f.data)
        if type(m).__name__ == "Settings"
    ][0]
    assert settings.values["capacity_nominal_ah"] == pytest.approx(7.8)  # unchanged


# --- Bluetooth: out of scope, said in words -------------------------------------------------------------
def test_a_scooter_found_by_a_scan_is_read_by_cable() -> None:
    from app.simulator.fake_ble import FakeBoard, make_backends
    from app.transports.ble import scan_ble

    board = FakeBoard(create_simulator("m365"), address="D5:21:00:00:00:65", name="MIScooter4711")
    _client, scanner = make_backends([board])
    found = asyncio.run(scan_ble(0.3, scanner))
    assert found == [
        {
            "url": "ble://D5:21:00:00:00:65?protocol=m365",
            "name": "MIScooter4711",
            "rssi": -58,
            "family": "xiaomi",
        }
    ]

    async def go() -> str:
        session = DeviceSession(found[0]["url"], reconnect=False)
        with pytest.raises(SessionError) as refused:
            await session.connect()
        return str(refused.value)

    message = asyncio.run(go())
    assert "read by cable" in message and "NinebotCrypto or Mi authentication" in message
    assert not board.connected  # nothing was even tried over the air


# --- decode: auto-detection and host reads ------------------------------------------------------------
def test_decode_guesses_both_framings_and_shows_a_host_read(capsys: pytest.CaptureFixture[str]) -> None:
    # ant_xiaomi.md §3.2: "read cells = 55 AA 03 22 01 40 1E 7B FF"; §3.3 the HJ tool's "status"
    assert main(["decode", "--hex", "55 AA 03 22 01 40 1E 7B FF"]) == 0
    m365 = json.loads(capsys.readouterr().out)
    assert (m365["protocol"], m365["kind"]) == ("m365", "command")
    assert m365["fields"]["register"] == 0x40 and m365["fields"]["length"] == 0x1E
    assert main(["decode", "--hex", "5aa5013d220130204eff"]) == 0
    nb = json.loads(capsys.readouterr().out)
    assert (nb["protocol"], nb["fields"]["register"], nb["fields"]["length"]) == ("ninebot", 0x30, 0x20)
