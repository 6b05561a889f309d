"""Daly boards end to end, over real transports: the simulators behind TCP (in-process and
``packbench simulate``), a pty and the fake Bluetooth backend, driven by the session, the
write transaction and the CLI.

Expected values come from the research (../shared/protocols/jbd_daly.md), presets.md and the
issue, never from the code under test.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from boards import ROOT, PtyBoard, Simulate, run_main

from app.cli import main
from app.model import Ack
from app.protocols import get_protocol
from app.protocols.family import get_family, guess
from app.services import control, writer
from app.session import DeviceSession
from app.simulator import create_simulator
from app.simulator.fake_ble import FakeBoard, make_backends
from app.simulator.server import ServerThread
from app.transports.ble import BleTransport, scan_ble

#: Packbench's LiFePO4 preset, presets.md "Packbench presets", for a 16-cell 100 Ah pack
#: (pack keys = cell value × 16; balance delta 0.005 V from 50 Ah)
LIFEPO4_16S = {
    "cell_ovp_v": 3.65,
    "cell_uvp_v": 2.50,
    "pack_ovp_v": 58.4,
    "pack_uvp_v": 40.0,
    "balance_start_v": 3.40,
    "balance_trigger_delta_v": 0.005,
    "charge_otp_c": 55,
    "discharge_otp_c": 65,
    "charge_utp_c": 0,
    "discharge_utp_c": -20,
    "capacity_nominal_ah": 100.0,
    # jbd_daly.md §6.4: battery type 0x89 is 0 for LFP
    "daly_battery_type": 0,
}


def _server(pid: str, **options: Any) -> tuple[Any, ServerThread]:
    sim = create_simulator(pid, seed=1, **options)
    return sim, ServerThread(sim)


def _session(url: str, protocol: str | None = None, **kw: Any) -> DeviceSession:
    kw.setdefault("request_timeout_s", 1.0)
    kw.setdefault("poll_interval_s", 0.05)  # no real-time waits beyond what a poll needs
    return DeviceSession(url, protocol, reconnect=False, **kw)


async def _live(session: DeviceSession) -> Any:
    await session.connect()
    try:
        return await session.next_snapshot(5)
    finally:
        await session.close()


# --- Done when: the LiFePO4 preset through `settings apply` over TCP, verified per key ---------------
def test_lifepo4_preset_through_settings_apply_over_tcp(tmp_path: Path, capsys) -> None:
    sim, srv = _server("daly_d2", cells=16, chemistry="li-ion")
    sim.values["daly_battery_type"] = 1  # as the li-ion board it is
    with srv:
        rc = main(
            [
                "settings",
                "apply",
                "--url",
                srv.url,
                "--protocol",
                "daly_d2",
                "--preset",
                "lifepo4",
                "--cells",
                "16",
                "--capacity",
                "100",
                "--password",
                "123456",
                "--yes",
                "--json",
                "--backup-dir",
                str(tmp_path),
            ]
        )
    out = capsys.readouterr().out
    assert rc == 0, out
    report = json.loads(out.strip().splitlines()[-1])
    statuses = {r["key"]: r["status"] for r in report["results"]}
    for key, value in LIFEPO4_16S.items():
        assert sim.settings[key] == pytest.approx(value), key
        assert statuses.get(key) in ("verified", "unchanged"), (key, statuses.get(key))
    assert statuses["daly_battery_type"] == "verified" and statuses["cell_ovp_v"] == "verified"
    # each warning level stays on the safe side of its protection (Family.relations)
    s = sim.settings
    assert s["daly_cell_ovp_warning_v"] < s["cell_ovp_v"] and s["daly_pack_ovp_warning_v"] < s["pack_ovp_v"]
    assert (
        s["daly_cell_uvp_warning_v"] > s["cell_uvp_v"] and s["daly_charge_utp_warning_c"] > s["charge_utp_c"]
    )
    assert report["backup"] and Path(report["backup"]).exists()


# --- Done when: a wrong password writes nothing on D2 ----------------------------------------------------
def test_a_wrong_password_writes_nothing_on_d2(tmp_path: Path, capsys) -> None:
    sim, srv = _server("daly_d2", cells=16)
    before = dict(sim.values)
    with srv:
        rc = main(
            [
                "settings",
                "apply",
                "--url",
                srv.url,
                "--protocol",
                "daly_d2",
                "--preset",
                "lifepo4",
                "--cells",
                "16",
                "--capacity",
                "120",
                "--password",
                "654321",
                "--yes",
                "--backup-dir",
                str(tmp_path / "b1"),
            ]
        )
        err = capsys.readouterr().err
        assert rc == 1 and "wrong setup password: nothing was written" in err, err
        rc = main(
            [
                "control",
                "--url",
                srv.url,
                "--protocol",
                "daly_d2",
                "charge",
                "off",
                "--yes",
                "--password",
                "111111",
                "--backup-dir",
                str(tmp_path / "b2"),
            ]
        )
        assert rc == 1 and "wrong setup password" in capsys.readouterr().err.lower()
        rc = main(
            [
                "control",
                "--url",
                srv.url,
                "--protocol",
                "daly_d2",
                "board-password",
                "set",
                "--new-password",
                "abc123",
                "--password",
                "111111",
                "--yes",
            ]
        )
        assert rc == 1
    assert sim.values == before and sim.writes == [] and sim.password == "123456"
    writes = [f for f in sim.received if f[1] in (0x06, 0x10)]
    assert writes == []  # not one write frame reached the board
    assert not (tmp_path / "b1").exists() and not (tmp_path / "b2").exists()


def test_the_session_keeps_the_password_in_memory_only(caplog) -> None:
    """§6.6: D2 reports its setup password in 0xC9–0xCB; the gate compares it, nothing else
    ever carries it (messages, the rx/tx log)."""
    caplog.set_level(logging.DEBUG)
    sim, srv = _server("daly_d2", cells=8, password="Zq81xy")

    async def go() -> DeviceSession:
        s = _session(srv.url, "daly_d2")
        await s.connect()
        await s.next_snapshot(5)
        await s.refresh_settings()
        await s.close()
        return s

    with srv:
        s = asyncio.run(go())
    assert s.knows_password and s.check_setup_password("Zq81xy") and s.has_default_password is False
    assert "Zq81xy" not in repr(s.device_info) and "Zq81xy" not in repr(s.settings)
    assert b"Zq81xy".hex(" ") not in caplog.text and "Zq81xy" not in caplog.text
    assert "5a 71 38 31 78 79" not in caplog.text


# --- Done when: charge off/on through `control` on both protocols ----------------------------------------
@pytest.mark.parametrize("pid,password", [("daly_a5", None), ("daly_d2", "123456")])
def test_charge_off_and_on_through_control(pid: str, password: str | None, tmp_path: Path, capsys) -> None:
    sim, srv = _server(pid, cells=16)
    pw = ["--password", password] if password else []  # A5 has no password (§6.6)
    with srv:
        for word, on in (("off", False), ("on", True)):
            rc = main(
                [
                    "control",
                    "--url",
                    srv.url,
                    "--protocol",
                    pid,
                    "charge",
                    word,
                    "--yes",
                    "--json",
                    *pw,
                    "--backup-dir",
                    str(tmp_path),
                ]
            )
            out = capsys.readouterr().out
            assert rc == 0, out
            doc = json.loads(out.strip().splitlines()[-1])
            assert doc["status"] == "verified" and doc["readback"] is on
            assert sim.values["charge_switch"] is on
            assert sim.snapshot().charge_mos_on is on  # the pack's charge FET follows
    # what went on the wire: A5 0xDA data byte 0 (§4.3); D2 FC06 to 0xA5 (§6.4, not 0x0C/0x0D)
    if pid == "daly_a5":
        assert [(f[2], f[4]) for f in sim.received if f[2] == 0xDA] == [(0xDA, 0), (0xDA, 1)]
    else:
        assert [(f[2] << 8 | f[3], f[5]) for f in sim.received if f[1] == 0x06] == [(0xA5, 0), (0xA5, 1)]


@pytest.mark.parametrize("pid,password", [("daly_a5", None), ("daly_d2", "123456")])
@pytest.mark.parametrize("fault,status", [("refuse_writes", "refused"), ("ack_without_store", "not_stored")])
def test_write_faults_are_reported_as_what_the_board_holds(
    pid: str, password: str | None, fault: str, status: str, tmp_path: Path, capsys
) -> None:
    """The board refuses (no reply) or acknowledges without storing: the report says so
    from the read-back, and the command fails (design.md: an ack alone proves nothing)."""
    sim, srv = _server(pid, cells=8, fault=fault)
    pw = ["--password", password] if password else []
    with srv:
        rc = main(
            [
                "control",
                "--url",
                srv.url,
                "--protocol",
                pid,
                "charge",
                "off",
                "--yes",
                "--json",
                *pw,
                "--backup-dir",
                str(tmp_path),
            ]
        )
    doc = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert rc == 3 and doc["status"] == status and doc["readback"] is True
    assert sim.values["charge_switch"] is True and sim.writes == []


def test_a_link_that_drops_mid_write_is_reported_key_by_key(tmp_path: Path, capsys) -> None:
    sim, srv = _server("daly_d2", cells=16, chemistry="li-ion", fault="drop_link_mid_write")
    with srv:
        rc = main(
            [
                "settings",
                "apply",
                "--url",
                srv.url,
                "--protocol",
                "daly_d2",
                "--preset",
                "lifepo4",
                "--cells",
                "16",
                "--capacity",
                "100",
                "--password",
                "123456",
                "--yes",
                "--json",
                "--backup-dir",
                str(tmp_path),
            ]
        )
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert rc == 3 and not report["ok"] and report["backup"]
    # a D2 board stores each write at once (no write mode): the link dies after the board
    # took the second write and before its echo came, so that key is "unknown", not lost
    statuses = [r["status"] for r in report["results"]]
    assert statuses[:2] == ["verified", "failed"] and len(sim.writes) == 2
    assert "may or may not" in report["results"][1]["detail"]
    assert set(statuses[2:]) <= {"not_attempted", "unchanged"}


def test_a5_gate_asks_nothing_and_says_so() -> None:
    """§6.6: A5 has no password command; the gate passes without one."""
    sim, srv = _server("daly_a5", cells=8)

    async def go() -> Any:
        s = _session(srv.url, "daly_a5")
        await s.connect()
        try:
            writer.PasswordGate().check(s, None)  # raises nothing
            return s.protocol.password_check, s.knows_password
        finally:
            await s.close()

    with srv:
        assert asyncio.run(go()) == ("none", False)


# --- the D2 setup password changed: written, then read back ----------------------------------------------
def test_d2_password_change_is_written_and_read_back(capsys) -> None:
    sim, srv = _server("daly_d2", cells=8)
    with srv:
        rc = main(
            [
                "control",
                "--url",
                srv.url,
                "--protocol",
                "daly_d2",
                "board-password",
                "set",
                "--new-password",
                "Pk42ab",
                "--password",
                "123456",
                "--yes",
                "--json",
            ]
        )
        out = capsys.readouterr()
        assert rc == 0, out.err
        assert json.loads(out.out.strip().splitlines()[-1])["ok"] is True
        assert sim.password == "Pk42ab"
        # the old password is refused now, the new one accepted
        rc = main(
            [
                "control",
                "--url",
                srv.url,
                "--protocol",
                "daly_d2",
                "charge",
                "off",
                "--yes",
                "--password",
                "123456",
            ]
        )
        assert rc == 1 and sim.values["charge_switch"] is True
        rc = main(
            [
                "control",
                "--url",
                srv.url,
                "--protocol",
                "daly_d2",
                "charge",
                "off",
                "--yes",
                "--password",
                "Pk42ab",
            ]
        )
        assert rc == 0 and sim.values["charge_switch"] is False
        # a D2 board always has a password: clearing it is refused before anything is sent
        n = len(sim.received)
        rc = main(
            [
                "control",
                "--url",
                srv.url,
                "--protocol",
                "daly_d2",
                "board-password",
                "clear",
                "--password",
                "Pk42ab",
                "--yes",
            ]
        )
        assert rc == 1 and "always has a setup password" in capsys.readouterr().err
        assert not [f for f in sim.received[n:] if f[1] in (0x06, 0x10)]
    # the password write carries no byte count (§6.1) and six ASCII characters (§6.6)
    write = next(f for f in sim.received if f[1] == 0x10 and f[2:4] == b"\x00\xc9")
    assert write[4:6] == b"\x00\x03" and write[6:12] == b"Pk42ab"


# --- SOC, RTC from the laptop clock, current zeroing as a calibration step ---------------------------------
def test_d2_soc_clock_and_current_zeroing(capsys) -> None:
    sim, srv = _server("daly_d2", cells=8, current="0", current_offset="0.8")
    gate = writer.PasswordGate()
    when = datetime(2026, 5, 1, 14, 3, 12)

    async def go() -> tuple[Any, Any, Any]:
        s = _session(srv.url, "daly_d2")
        await s.connect()
        try:
            await s.next_snapshot(5)
            soc = await control.set_soc(s, 80.0, password="123456", gate=gate, readback_s=2.0)
            clock = await control.set_clock(s, password="123456", gate=gate, now=when)
            zero = await control.calibrate(s, "current_zero", 0.0, password="123456", gate=gate)
            return soc, clock, zero
        finally:
            await s.close()

    with srv:
        soc, clock, zero = asyncio.run(go())
        # the CLI's own words for it (one step; the others share the services)
        assert (
            main(
                [
                    "control",
                    "--url",
                    srv.url,
                    "--protocol",
                    "daly_d2",
                    "--yes",
                    "--password",
                    "123456",
                    "--json",
                    "set-soc",
                    "60",
                ]
            )
            == 0
        )
        assert json.loads(capsys.readouterr().out.splitlines()[-1])["after_pct"] == pytest.approx(60, abs=1)
    assert soc.ok and soc.after_pct == pytest.approx(80, abs=1)
    assert clock.ok and sim.now() - when < timedelta(seconds=5) and sim.now() >= when
    assert zero.ok and zero.before == pytest.approx(0.8, abs=0.1) and abs(zero.after) <= 0.1
    # 0xA7 = SOC × 10 (§6.4); FC 0x10 to 0xD4 ×3 with YY MM DD hh mm ss (the vendor app's
    # RTC write, daly_bal_00); 0xF2 = 1 zeroes the current (§6.4)
    writes = [f for f in sim.received if f[1] in (0x06, 0x10)]
    assert writes[0][2:6] == bytes([0x00, 0xA7, 0x03, 0x20])
    assert writes[1][1:12] == bytes([0x10, 0x00, 0xD4, 0x00, 0x03, 26, 5, 1, 14, 3, 12])
    assert writes[2][2:6] == bytes([0x00, 0xF2, 0x00, 0x01])


def test_a5_clock_carries_the_soc_the_board_shows(capsys) -> None:
    """0x21 sets the clock and the SOC together (§4.3): setting the clock resends the SOC
    the board shows, so only the clock changes; A5 has no command to zero the current."""
    sim, srv = _server("daly_a5", cells=8, current="0")
    with srv:
        soc = sim.soc_now()
        assert main(["control", "--url", srv.url, "--protocol", "daly_a5", "--yes", "set-clock"]) == 0
        capsys.readouterr()
        assert abs((sim.now() - datetime.now()).total_seconds()) < 5
        assert sim.soc_now() == pytest.approx(soc, abs=0.2)
        assert main(["control", "--url", srv.url, "--protocol", "daly_a5", "--yes", "zero-current"]) == 1
        assert "no command to zero" in capsys.readouterr().err
    frame = next(f for f in sim.received if f[2] == 0x21)
    assert (frame[10] << 8 | frame[11]) / 10 == pytest.approx(soc, abs=0.2)


# --- the current sign, cross-checked with the state register, said once ------------------------------------
@pytest.mark.parametrize("pid", ["daly_a5", "daly_d2"])
def test_current_sign_disagreement_is_logged_once(pid: str, caplog) -> None:
    sim, srv = _server(pid, cells=8, current="5", sign_flipped="1")

    async def go() -> list[float]:
        s = _session(srv.url, pid)
        await s.connect()
        try:
            return [(await s.next_snapshot(5)).current_a for _ in range(3)]
        finally:
            await s.close()

    with caplog.at_level(logging.WARNING, logger="packbench.session"), srv:
        currents = asyncio.run(go())
    # the state register says charging, so the current is positive (vocabulary.md)
    assert all(a == pytest.approx(5.0, abs=0.2) for a in currents), currents
    said = [r for r in caplog.records if "disagrees" in r.getMessage()]
    assert len(said) == 1 and "invert_current=1" in said[0].getMessage()


# --- detection: "Automatic" on a cable, a URL naming the family, Bluetooth ----------------------------------
@pytest.mark.parametrize(
    "pid,options,found,address",
    [
        ("daly_a5", {}, "daly_a5", 0x40),
        ("daly_d2", {}, "daly_d2", None),
        ("daly_d2", {"variant": "p81"}, "daly_d2", None),
    ],
)
def test_automatic_on_a_cable_finds_the_daly_protocol(
    pid: str, options: dict, found: str, address: int | None
) -> None:
    sim, srv = _server(pid, cells=8, **options)

    async def go() -> tuple[Any, Any]:
        # no protocol named: the default (JK) gets no answer, then the families' probes ask
        s = _session(srv.url, None, request_timeout_s=0.2)
        snap = await _live(s)
        return s.protocol, snap

    with srv:
        protocol, snap = asyncio.run(go())
    assert protocol.id == found and len(snap.cell_voltages_v) == 8
    if address is not None:
        assert protocol.address == address  # the RS485 address answers first (§7 item 5)
    assert getattr(protocol, "variant", options.get("variant", "d2")) == options.get("variant", "d2")


def test_a_url_naming_the_family_probes_d2_then_a5_then_p81() -> None:
    sim, srv = _server("daly_a5", cells=8)
    sent: list[bytes] = []

    async def go() -> Any:
        s = _session(srv.url + "?protocol=daly")
        s.add_frame_tap(lambda direction, frame: sent.append(frame) if direction == "tx" else None)
        await _live(s)
        return s

    with srv:
        s = asyncio.run(go())
    assert s.protocol.id == "daly_a5" and s.protocol.address == 0x40
    # D2 first (`D2 03 00 00 00 3E D7 B9`, jbd_daly.md §7 item 5), then A5 0x94 from 0x40
    assert sent[0] == bytes.fromhex("d2030000003ed7b9")
    assert sent[1][:3] == bytes([0xA5, 0x40, 0x94])
    probes = get_family("daly").probes("serial")
    assert [(p.protocol, dict(p.options)) for p in probes] == [
        ("daly_d2", {}),
        ("daly_a5", {"address": "0x40"}),
        ("daly_a5", {"address": "0x80"}),
        ("daly_d2", {"variant": "p81"}),
    ]
    assert sum(p.timeout_s for p in probes) < 3.0  # every probe short, all under 3 s (the issue)


def test_bluetooth_scan_finds_a_daly_module_and_its_url_connects() -> None:
    """Scan: the DL- name / company id (§6.2); the URL it gives names the family, and the
    session finds A5 behind an fff0 module (16 cell frames, as BLE dongles send them), or
    D2 behind a module with the ff00 layout (batmon #356)."""
    ble = get_family("daly").ble
    for pid, options, layout in (("daly_a5", {"ble_frames": "1"}, ""), ("daly_d2", {}, "ff00")):
        sim = create_simulator(pid, seed=2, cells=13, **options)
        address = "C8:47:8C:00:00:77"
        board = FakeBoard(sim, address=address, name="DL-C8478C000077", gatt=ble.layout(layout))
        client, scanner = make_backends([board])
        found = asyncio.run(scan_ble(0.3, scanner))
        assert [(d["family"], d["url"]) for d in found] == [("daly", f"ble://{address}?protocol=daly")]

        def factory(url: Any, proto: Any, client: Any = client, scanner: Any = scanner) -> BleTransport:
            return BleTransport(
                url.target,
                service_uuid=proto.ble_service_uuid,
                notify_uuid=proto.ble_notify_uuid,
                write_uuid=proto.ble_write_uuid,
                alternatives=proto.ble_alternatives,
                client_backend=client,
                scanner_backend=scanner,
                scan_timeout_s=1.0,
                connect_timeout_s=2.0,
            )

        s = _session(found[0]["url"], transport_factory=factory)
        snap = asyncio.run(_live(s))
        assert s.protocol.id == pid and len(snap.cell_voltages_v) == 13


@pytest.mark.parametrize("pid", ["daly_a5", "daly_d2"])
def test_a_pty_serves_the_board_like_a_usb_adapter(pid: str) -> None:
    with PtyBoard(create_simulator(pid, seed=3, cells=16)) as pty:
        snap = asyncio.run(_live(_session(pty.path, pid)))
    assert len(snap.cell_voltages_v) == 16 and snap.pack_voltage_v == pytest.approx(
        sum(snap.cell_voltages_v), abs=0.2
    )


# --- Done when: `packbench simulate` serves the board and `packbench read` streams it -----------------------
@pytest.mark.parametrize("pid", ["daly_d2", "daly_a5"])
def test_simulate_serves_and_read_streams(pid: str, capsys) -> None:
    with Simulate("--protocol", pid, "--cells", "16") as board:
        done = run_main(
            capsys,
            "read",
            "--url",
            f"socket://127.0.0.1:{board.port}",
            "--protocol",
            pid,
            "--count",
            "2",
            "--json",
            timeout=60,
        )
        rc, err = board.stop()
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == 2 and all(d["protocol"] == pid and d["kind"] == "live" for d in lines)
    assert all(len(d["fields"]["cell_voltages_v"]) == 16 for d in lines)
    assert rc == 0 and "answered" in err


# --- decode auto-detection ------------------------------------------------------------------------------
def test_decode_without_a_protocol_finds_daly_frames(capsys) -> None:
    data = json.loads((ROOT / "tests" / "data" / "daly_frames.json").read_text(encoding="utf-8"))
    frames = data["frames"] if isinstance(data, dict) else data
    by_id = {f["id"]: f for f in frames}
    # syssi's status frame (§6.3): 16 cells, -3.1 A while discharging
    assert main(["decode", "--hex", by_id["daly_d2_sy_status80_2"]["hex"]]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["protocol"] == "daly_d2" and out["fields"]["current_a"] == -3.1
    # the PC software's A5 request (§4.3): discharge MOS on from the RS485 address
    assert main(["decode", "--hex", "a5 40 d9 08 01 00 00 00 00 00 00 00 c7"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["protocol"] == "daly_a5" and out["fields"]["setting"] == "discharge_switch"
    # a D2 frame is Modbus with slave 0xD2: JK-PB (slaves 0..15, jk.md §8.1) does not claim it
    assert get_family("jk").looks_like(bytes.fromhex("d20300000003e7b9")) is None
    assert guess(bytes.fromhex("011016200001044b")) == "jk_pb"  # a JK-PB ack still is JK's


def test_d2_acknowledgement_is_checked_by_content() -> None:
    """§6.1: write echoes are validated by content; an echo of another register is not ours."""
    d2 = get_protocol("daly_d2")
    sent = d2.encode_action("restart")
    ours = d2.decode_all(sent)[-1]
    other = d2.decode_all(d2.encode_action("shutdown"))[-1]
    assert d2.acknowledges(sent, ours) and not d2.acknowledges(sent, other)
    a5 = get_protocol("daly_a5")
    on = a5.write_requests("charge_switch", True)[0]
    # §4.3: the reply names the data id and echoes the state asked for in data byte 0
    assert a5.acknowledges(on, Ack(register=0xDA, raw_value=1, ok=True))
    assert not a5.acknowledges(on, Ack(register=0xDA, raw_value=0, ok=True))
    assert not a5.acknowledges(on, Ack(register=0xD9, raw_value=1, ok=True))


def test_the_optional_mos_read_stops_after_two_misses() -> None:
    """Boards without aiobmsble's 0x3E read cost its timeout every poll: after two misses
    in a row it is no longer asked (per connection)."""
    d2 = get_protocol("daly_d2").bind({})
    status = create_simulator("daly_d2", seed=1, cells=4)
    for _poll in range(3):
        script = d2.poll_script()
        step = script.send(None)
        if step.frame == d2.read("mos"):
            step = script.send(None)  # no answer to it
        assert step.frame == d2.read("status")
        reply = d2.decode(b"".join(status.receive(step.frame)))
        with pytest.raises(StopIteration):
            script.send(reply)
    script = d2.poll_script()
    assert script.send(None).frame == d2.read("status")
    assert get_protocol("daly_d2").bind({})._mos_misses == 0  # a new connection asks again


def test_readme_lists_daly_with_how_to_wire_it() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("## Connecting a real board", 1)[1].split("\n\n", 2)[1]
    rows = [line for line in table.splitlines() if "Daly" in line]
    assert rows, "the table of boards has no Daly row"
    assert any("9600" in r or "RS485" in r or "UART" in r for r in rows)
    assert "P81" in text and "variant" in text  # P81 is a variant of daly_d2
