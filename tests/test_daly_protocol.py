"""Daly protocol objects: scripts, writes, options, detection — pure, driven by captured frames.

A script is driven here the way the session drives it (session.py ``_exchange``):
each step's request goes to a "board" that answers with captured frames
(tests/data/daly_frames.json, see test_daly_frames.py); every frame is decoded
with ``decode_all`` and offered to the step's ``answers``; the first message it
accepts is sent back in, or None when none is.  Facts cited as §n are from
../shared/protocols/jbd_daly.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.model import DeviceInfo, Settings, Snapshot
from app.model.labels import LABELS
from app.protocols import get_protocol, protocol_ids
from app.protocols.base import ScriptError
from app.protocols.checksums import modbus_crc_ok as crc_ok
from app.protocols.daly import a5, discovery, faults, modbus, schema
from app.protocols.family import label_text

DATA = Path(__file__).parent / "data" / "daly_frames.json"
BY_ID = {f["id"]: f for f in json.loads(DATA.read_text(encoding="utf-8"))["frames"]}
A5 = get_protocol("daly_a5")
D2 = get_protocol("daly_d2")
P81 = D2.bind({"variant": "p81"})


def raw(fid: str) -> bytes:
    return bytes.fromhex(BY_ID[fid]["hex"])


def payload(fid: str, data_id: int) -> bytes:
    return a5.response(data_id, raw(fid))


def drive(protocol, script, board: Callable[[bytes], list[bytes]]) -> tuple[Any, list[bytes]]:
    """Run ``script`` against ``board`` (request -> reply frames); (result, requests sent)."""
    sent: list[bytes] = []
    try:
        step = script.send(None)
        while True:
            sent.append(step.frame)
            reply = None
            for frame in board(step.frame):
                for message in protocol.decode_all(frame):
                    if reply is None and step.answers(message):
                        reply = message
            step = script.send(reply)
    except StopIteration as stop:
        return stop.value, sent


def a5_board(replies: dict[int, bytes]) -> Callable[[bytes], list[bytes]]:
    """Answers by data id with the captured frame (a run of frames is sent frame by frame)."""

    def board(request: bytes) -> list[bytes]:
        frame = replies.get(request[2], b"")
        return [frame[i : i + 13] for i in range(0, len(frame), 13)]

    return board


TANOSHIMINI = {
    0x90: raw("daly_tan_resp_90"),
    0x91: raw("daly_tan_resp_91"),
    0x92: raw("daly_tan_resp_92"),
    0x93: raw("daly_tan_resp_93"),
    0x94: raw("daly_tan_resp_94"),
    0x95: raw("daly_tan_resp_95"),
    0x96: raw("daly_tan_resp_96"),
    0x97: raw("daly_tan_resp_97"),
    0x98: raw("daly_tan_resp_98"),
}


# --- A5 -------------------------------------------------------------------------------------------
def test_a5_poll_script_builds_one_snapshot_from_the_pc_software_session() -> None:
    """The tanoshimini sniff answers every live request: the script asks what the PC
    software asked (byte for byte where captured) and returns one whole snapshot, its
    cells cut to 0x94's count (the 15th slot is stale)."""
    rs485 = A5.bind({"address": "0x40"})
    snap, sent = drive(rs485, rs485.poll_script(), a5_board(TANOSHIMINI))
    assert [r[2] for r in sent] == list(a5.LIVE_IDS)
    for fid in (
        "daly_tan_req_92",
        "daly_tan_req_93",
        "daly_tan_req_96",
        "daly_tan_req_97",
        "daly_tan_req_98",
    ):
        assert raw(fid) in sent
    assert isinstance(snap, Snapshot) and not snap.partial
    assert (snap.pack_voltage_v, snap.current_a, snap.soc_pct) == (52.8, 0.0, 50.0)
    assert snap.cell_count == 14 and len(snap.cell_voltages_v) == 14
    assert snap.temperatures_c == [21.0]
    assert snap.capacity_remaining_ah == 20.0 and snap.charge_mos_on and snap.discharge_mos_on
    assert snap.alarms == [] and snap.balancing_cells == []


def test_a5_poll_script_over_bluetooth_and_a_board_that_skips_requests() -> None:
    """mpp-solar's set: 16 cell frames (Bluetooth), two temperature frames for one probe;
    no answer to 0x97/0x98 — the snapshot comes without them, signed by 0x93's state."""
    replies = {
        0x90: raw("daly_mpp_90a"),
        0x91: raw("daly_mpp_91"),
        0x92: raw("daly_mpp_92"),
        0x93: raw("daly_mpp_93"),
        0x94: raw("daly_mpp_94"),
        0x95: raw("daly_mpp_95a"),
        0x96: raw("daly_mpp_96"),
    }
    snap, sent = drive(A5, A5.poll_script(), a5_board(replies))
    assert all(r[1] == 0x80 for r in sent)  # the UART / Bluetooth address by default
    assert len(snap.cell_voltages_v) == 16 and snap.temperatures_c == [15.0]
    assert snap.current_a == pytest.approx(-6.3) and snap.extra["daly_state"] == "discharging"
    assert "daly_fault_bits" not in snap.extra


def test_a5_poll_script_without_any_answer_says_so() -> None:
    with pytest.raises(ScriptError, match="none of the A5 live-data requests"):
        drive(A5, A5.poll_script(), lambda request: [])


def test_a5_identify_script_needs_0x94_and_takes_versions_when_there() -> None:
    info, _ = drive(A5, A5.identify_script(), a5_board({0x94: raw("daly_tan_resp_94")}))
    assert isinstance(info, DeviceInfo) and info.protocol == "daly_a5"
    assert info.software_version is None  # older boards have no 0x62 (§5)
    version = a5.response(0x62, b"\x01" + b"B002_11") + a5.response(0x62, b"\x02" + b"1132\x00\x00\x00")
    info, _ = drive(A5, A5.identify_script(), a5_board({0x94: raw("daly_tan_resp_94"), 0x62: version}))
    assert info.software_version == "B002_111132"
    with pytest.raises(ScriptError, match="0x80"):
        drive(A5, A5.identify_script(), lambda request: [])


def test_a5_settings_script_reads_what_the_board_answers() -> None:
    replies = {
        0x50: payload("daly_can_50", 0x50),
        0x51: payload("daly_can_51", 0x51),
        0x53: payload("daly_can_53", 0x53),
        0x5F: payload("daly_can_5f", 0x5F),
        0x60: payload("daly_can_60", 0x60),
        0x93: raw("daly_tan_resp_93"),
    }
    settings, sent = drive(A5, A5.settings_script(None, False), a5_board(replies))
    assert [r[2] for r in sent] == list(schema.A5_DATA_IDS) + [0x93]
    v = settings.values
    assert (v["capacity_nominal_ah"], v["cell_count"], v["balance_start_v"]) == (30.0, 14, 3.8)
    assert v["charge_switch"] is True and v["daly_auto_sleep_raw"] == 65535
    assert not settings.partial
    with pytest.raises(ScriptError, match="older A5 boards"):
        drive(A5, A5.settings_script(None, False), lambda request: [])


def test_a5_writes_only_the_switches() -> None:
    assert A5.write_requests("charge_switch", False) == [a5.request(0xDA, b"\x00")]
    with pytest.raises(KeyError, match="read-only on A5 boards"):
        A5.write_requests("cell_ovp_v", 3.65)
    assert [s.key for s in A5.settings_schema() if s.writable] == ["charge_switch", "discharge_switch"]
    assert all("§5" in s.help for s in A5.settings_schema() if not s.writable)
    assert A5.encode_action("restart") == a5.request(0x00)


def test_a5_options() -> None:
    assert A5.bind({}) is A5
    assert A5.bind({"address": "rs485"}).address == 0x40
    assert A5.bind({"address": "0x40"}).request(0x90) == a5.request(0x90, address=0x40)
    for bad in ({"address": "0x01"}, {"address": "serial"}, {"invert_current": "maybe"}):
        with pytest.raises(ValueError):
            A5.bind(bad)


# --- D2 / P81 ------------------------------------------------------------------------------------
def modbus_board(replies: dict[bytes, bytes]) -> Callable[[bytes], list[bytes]]:
    return lambda request: [replies[request]] if request in replies else []


def test_d2_poll_script_merges_the_mos_block_into_the_status() -> None:
    board = modbus_board(
        {D2.read("mos"): raw("daly_d2_aio_mos"), D2.read("status"): raw("daly_d2_aio_status62")}
    )
    snap, sent = drive(D2, D2.poll_script(), board)
    assert sent == [D2.read("mos"), D2.read("status")]
    assert snap.mos_temperature_c == 38.0 and snap.cell_voltages_v == [4.127, 4.137, 4.147, 4.157]
    assert not snap.partial
    # a board without the MOS block (aiobmsble's second read): the status alone
    snap, _ = drive(D2, D2.poll_script(), modbus_board({D2.read("status"): raw("daly_d2_aio_status62")}))
    assert snap.cell_count == 4 and snap.mos_temperature_c is None


def test_d2_poll_script_reads_cells_33_to_48_where_the_board_has_them() -> None:
    words = list(modbus.parse(raw("daly_d2_24cells_0")).words)
    words[0x31] = 40  # a 40-cell pack (§6.3: cells 33–48 at 0x47–0x56)
    more = [3300 + n for n in range(16)]
    board = modbus_board(
        {D2.read("status"): modbus.build_reply(words), D2.read("cells_33_48"): modbus.build_reply(more)}
    )
    snap, sent = drive(D2, D2.poll_script(), board)
    assert D2.read("cells_33_48") in sent
    assert len(snap.cell_voltages_v) == 40 and snap.cell_voltages_v[32:] == [m / 1000 for m in more[:8]]


def test_p81_poll_script_joins_rt1_and_rt2() -> None:
    board = modbus_board(
        {P81.read("p81_cells"): raw("daly_p81_cells"), P81.read("p81_status"): raw("daly_p81_status")}
    )
    snap, _ = drive(P81, P81.poll_script(), board)
    assert snap.current_a == pytest.approx(-8.9) and snap.extra["daly_state"] == "discharging"
    assert "daly_current_sign_disagrees" not in snap.extra
    assert snap.power_w < 0 and len(snap.cell_voltages_v) == 16 and snap.mos_temperature_c == 24.0


def test_d2_settings_script_reads_the_block_and_the_balancer() -> None:
    board = modbus_board(
        {D2.read("settings"): raw("daly_d2_sy_settings"), D2.read("balancer"): raw("daly_d2_sy_balancer_off")}
    )
    settings, sent = drive(D2, D2.settings_script(None, False), board)
    assert sent == [D2.read("settings"), D2.read("balancer")]
    assert settings.values["cell_ovp_v"] == 3.5 and settings.values["balance_switch"] is False
    assert settings.values["cell_count"] == 4
    part, sent = drive(D2, D2.settings_script(None, False, keys=["balance_switch"]), board)
    assert sent == [D2.read("balancer")] and part.partial
    with pytest.raises(ScriptError, match="settings block"):
        drive(D2, D2.settings_script(None, False), lambda request: [])


def test_d2_identify_script_reads_version_date_and_password() -> None:
    board = modbus_board(
        {D2.read("version"): raw("daly_bal_06"), D2.read("password"): raw("daly_d2_sy_password")}
    )
    info, sent = drive(D2, D2.identify_script(), board)
    assert sent == [D2.read("version"), D2.read("production_date"), D2.read("password")]
    assert (info.software_version, info.hardware_version) == ("B002_111132_03", "E303-032DG-SMB")
    assert info.protocol == "daly_d2" and "123456" not in json.dumps(info.to_fields())
    assert D2.extract_secrets(raw("daly_d2_sy_password")).setup_password == "123456"


SY_SETTINGS = D2.decode(raw("daly_d2_sy_settings")).values
BALANCER_BLOCK = D2.decode(raw("daly_bal_04")).values


def test_d2_writes_need_a_read_and_stay_in_range() -> None:
    with pytest.raises(ValueError, match="read the board's settings first"):
        D2.write_requests("cell_ovp_v", 3.65)
    assert D2.write_requests("cell_ovp_v", 3.65, SY_SETTINGS) == [modbus.build_write_one(0x8C, 3650)]
    with pytest.raises(ValueError, match="outside"):
        D2.write_requests("cell_ovp_v", 5.0, SY_SETTINGS)
    with pytest.raises(KeyError):
        D2.write_requests("cell_count", 16, SY_SETTINGS)  # read-only: the boards' cells added up
    # the switches of the block, and the balancer (outside it) without a read
    assert D2.write_requests("charge_switch", False, SY_SETTINGS)[0][:6] == bytes.fromhex("d20600a50000")
    assert D2.write_requests("balance_switch", True)[0][:6] == bytes.fromhex("d20600cf0001")
    with pytest.raises(KeyError, match="P81"):
        P81.write_requests("balance_switch", True)


def test_d2_current_limits_keep_the_side_the_board_used() -> None:
    """syssi's block keeps both charge limits and the discharge warning below 30000 and the
    discharge protection above (§6.4): a write keeps each register's side."""

    def raw_of(key: str, value: float, current=SY_SETTINGS) -> int:
        frame = D2.write_requests(key, value, current)[0]
        return frame[4] << 8 | frame[5]

    assert raw_of("charge_ocp_a", 20) == 30000 - 200
    assert raw_of("daly_discharge_ocp_warning_a", 20) == 30000 - 200
    assert raw_of("discharge_ocp_a", 20) == 30000 + 200
    # nothing read about the sides: the vendor sheet's convention (charge below, discharge above)
    plain = {k: v for k, v in SY_SETTINGS.items() if k != schema.SIDES_KEY}
    assert raw_of("daly_discharge_ocp_warning_a", 20, plain) == 30000 + 200


def test_a_block_laid_out_otherwise_is_shown_but_not_written() -> None:
    """The balancer capture's block reads 0.0 V for the pack limits (§6.4, §8 #20)."""
    exposed, hidden = schema.exposed_keys(BALANCER_BLOCK)
    assert "pack_ovp_v" in hidden and "laid out otherwise" in hidden["pack_ovp_v"]
    assert "cell_ovp_v" in exposed
    with pytest.raises(ValueError, match="laid out otherwise"):
        D2.write_requests("pack_ovp_v", 58.4, BALANCER_BLOCK)
    assert schema.exposed_keys(SY_SETTINGS)[1] == {}


def test_d2_control_frames() -> None:
    assert D2.encode_action("restart") == modbus.build_write_one(0xF0, 1)
    assert D2.encode_action("factory_reset") == modbus.build_write_one(0xF3, 1)
    assert D2.encode_calibration("current_zero", 0.0) == modbus.build_write_one(0xF2, 1)
    with pytest.raises(ValueError, match="0 A"):
        D2.encode_calibration("current_zero", 5.0)
    assert D2.soc_request(55.5) == modbus.build_write_one(0xA7, 555)
    with pytest.raises(ValueError):
        D2.soc_request(101)
    assert P81.actions() == () and P81.calibration_kinds() == ()


def test_password_change_frames_and_redaction() -> None:
    write, read_back = D2.password_requests("654321")
    assert write == modbus.build_write(0xC9, [0x3635, 0x3433, 0x3231]) and read_back == D2.read("password")
    for bad in ("12345", "1234567", "12 456", "12345é"):
        with pytest.raises(ValueError):
            D2.password_requests(bad)
    hidden = D2.redact(raw("daly_d2_sy_password"))
    assert crc_ok(hidden) and b"123456" not in hidden and D2.extract_secrets(hidden) is None
    # only the password reply carries a secret: every other frame leaves the session's as it is
    assert D2.extract_secrets(raw("daly_d2_sy_password")).setup_password == "123456"
    assert D2.extract_secrets(raw("daly_d2_aio_status62")) is None
    hidden_write = D2.redact(write)
    assert crc_ok(hidden_write) and b"654321" not in hidden_write
    assert D2.redact(raw("daly_d2_aio_status62")) == raw("daly_d2_aio_status62")
    assert json.loads(json.dumps(D2.decode(write).to_fields()))["meaning"] == "set the setup password"
    assert "654321" not in json.dumps(D2.decode(write).to_fields())


def test_p81_is_a_variant_found_from_its_frames() -> None:
    assert D2.detect_variant([D2.decode(raw("daly_p81_version"))]).variant == "p81"
    assert D2.detect_variant([D2.decode(raw("daly_bal_06"))]) is D2
    assert P81.id == D2.id == "daly_d2"
    assert [s.key for s in P81.settings_schema()] == ["balance_switch"]
    with pytest.raises(ValueError):
        D2.bind({"variant": "p82"})


# --- detection -------------------------------------------------------------------------------------
def test_probe_order_and_budget() -> None:
    serial = discovery.probes("serial")
    assert [(p.protocol, dict(p.options)) for p in serial] == [
        ("daly_d2", {}),
        ("daly_a5", {"address": "0x40"}),
        ("daly_a5", {"address": "0x80"}),
        ("daly_d2", {"variant": "p81"}),
    ]
    assert sum(p.timeout_s for p in serial) < 3.0
    assert [p.protocol for p in discovery.probes("ble")] == ["daly_d2", "daly_a5", "daly_d2"]
    assert serial[0].request == raw("daly_d2_req_status62")
    assert serial[3].request == raw("daly_p81_ess_req_00")


def test_probe_answers() -> None:
    d2_probe, a5_rs485, a5_uart, p81_probe = discovery.probes("serial")
    assert discovery.probe_answered(d2_probe, raw("daly_d2_aio_status62"))
    assert not discovery.probe_answered(d2_probe, raw("daly_tan_resp_94"))
    assert discovery.probe_answered(a5_rs485, raw("daly_tan_resp_94"))
    assert not discovery.probe_answered(a5_uart, raw("daly_tan_resp_90"))
    assert discovery.probe_answered(p81_probe, raw("daly_p81_cells"))


def test_bluetooth_advertisements() -> None:
    assert discovery.ble_matches("DL-40D63C2A0B1C")
    assert discovery.ble_matches(None, {0x0302: b""})
    assert not discovery.ble_matches("JBD-SP04S034", {0x0B65: b""})
    # the registry's scan: a DL- name wins over the FFF0 service JBD modules use too (§6.2),
    # and without a name or company id FFF0 stays JBD's
    from app.protocols.family import ble_match

    fff0 = ["0000fff0-0000-1000-8000-00805f9b34fb"]
    assert ble_match("DL-40D63C2A0B1C", [], fff0).id == "daly"
    assert ble_match("", [0x0302], fff0).id == "daly"
    assert ble_match("SP04S034", [], fff0).id == "jbd"
    assert ble_match("", [], fff0).id == "jbd"
    assert D2.ble_service_uuid.startswith("0000fff0") and D2.ble_alternatives[0][0].startswith("0000ff00")


# --- the schema and the fault table ------------------------------------------------------------------
def test_schema_rows_round_trip_and_have_labels() -> None:
    for protocol in (A5, D2):
        keys = [s.key for s in protocol.settings_schema()]
        assert len(keys) == len(set(keys)), protocol.id
        for spec in protocol.settings_schema():
            # the shared vocabulary's label, or the family's own (Family.labels)
            assert label_text(spec.key) == spec.label, spec.key
            assert spec.key.startswith("daly_") or spec.key in LABELS
    for row in schema.D2_ROWS:
        spec = row.spec
        if not spec.writable or spec.kind != "number":
            continue
        for value in (spec.minimum, spec.maximum):
            raw_value = schema.encode_row(row, value)
            assert schema.decode_row(row, raw_value.to_bytes(2, "big"), -2 * spec.register) == pytest.approx(
                abs(value) if row.current else value
            ), spec.key


def test_fault_table() -> None:
    assert len(faults.FAULT_BITS) == 56
    for n, (name, alarm) in faults.FAULT_BITS.items():
        assert faults.fault_names(1 << n) == [name]
        assert faults.alarms_of(1 << n) == [alarm or f"daly_bit_{n}"]
    assert faults.alarms_of(1 << 60) == ["daly_bit_60"]  # D2 0x3D high byte: unnamed
    words = [0x0102, 0x0304, 0x0506, 0x0708]
    assert faults.d2_fault_words(faults.d2_fault_bytes(words)) == words
    assert faults.alarms_of(faults.bits_of(["cell_overvoltage"])) == ["cell_overvoltage"]
    assert faults.fault_names(faults.bits_of(["cell_overvoltage"])) == ["cell_voltage_high_protection"]


# --- the registry and the CLI --------------------------------------------------------------------------
def test_registry_and_decode_cli(capsys) -> None:
    assert {"daly_a5", "daly_d2"} <= set(protocol_ids())
    assert get_protocol("daly-uart") is A5 and get_protocol("daly_p81_modbus") is D2
    assert main(["decode", "--protocol", "daly_d2", "--hex", BY_ID["daly_d2_sy_status80_2"]["hex"]]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["protocol"] == "daly_d2" and out["kind"] == "live"
    assert out["fields"]["current_a"] == -3.1 and out["fields"]["cell_count"] == 16
    assert main(["decode", "--protocol", "daly_a5", "--hex", BY_ID["daly_tan_resp_95"]["hex"]]) == 0
    assert len(json.loads(capsys.readouterr().out)["fields"]["cell_voltages_v"]) == 15
    assert main(["decode", "--protocol", "daly_a5", "--hex", "a5 40 d9 08 01 00 00 00 00 00 00 00 c7"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["kind"] == "command" and out["fields"]["setting"] == "discharge_switch"
    assert (
        main(["decode", "--protocol", "daly_d2", "--hex", BY_ID["daly_d2_aio_status62_bad_crc"]["hex"]]) == 1
    )
    assert "CRC mismatch" in json.loads(capsys.readouterr().out)["error"]
    assert main(["decode", "--protocol", "daly_d2", "--hex", BY_ID["daly_d2_sy_password"]["hex"]]) == 0
    assert "123456" not in capsys.readouterr().out


def test_settings_message_type() -> None:
    assert isinstance(D2.decode(raw("daly_d2_sy_settings")), Settings)
    assert A5.decode(payload("daly_can_50", 0x50)).partial  # one A5 group of several
