"""JK's serial protocols: ``jk_4e57`` (jk.md §7) and ``jk_pb`` RS485 Modbus (jk.md §8).

Values asserted against captured frames come from tests/data/jk_serial_frames.json
(copied from ../shared/frames/jk.json with their ``source``), where ``expected``
holds only what the source states, in the source's names and units.  The tables
below map those names onto Packbench's; a stated key that is neither mapped nor
listed as not applicable fails the test, so nothing is silently skipped.

Checksums in the reader tests are re-computed here independently (a plain
16-bit sum, a bitwise Modbus CRC, a sum8), not with the code under test.

Sessions run against the simulators over real links: TCP on 127.0.0.1 through
pyserial's socket:// handler, and a pty opened by path like /dev/ttyUSB0.
Plain ``asyncio.run`` per test.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import decode_one
from app.model import Ack, Command, DeviceInfo, Settings, Snapshot, kind_of
from app.protocols import get_protocol
from app.protocols.jk import pb_modbus as pb
from app.protocols.jk import serial4e57 as s4
from app.session import DeviceSession, Event, State
from app.simulator import create_simulator
from app.simulator.jk import JkSimulator
from app.simulator.jk_serial import Jk4e57Simulator, JkPbBus
from app.simulator.server import ServerThread

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "jk_serial_frames.json"
FRAMES: list[dict[str, Any]] = json.loads(DATA.read_text(encoding="utf-8"))["frames"]
BY_ID = {e["id"]: e for e in FRAMES}
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
TOL = 1e-6


def raw(frame_id: str) -> bytes:
    return bytes.fromhex(BY_ID[frame_id]["hex"])


def of(protocol: str, with_expected: bool = True) -> list[dict[str, Any]]:
    return [
        e
        for e in FRAMES
        if e["protocol"] == protocol and e["checksum_ok"] and (e["expected"] or not with_expected)
    ]


# --- independent checks ----------------------------------------------------------------
def sum16_ok(frame: bytes) -> bool:
    """4E57: the low 16 bits of the byte sum from the header through the 0x68 end marker
    sit big-endian in the last two bytes; the length field is the size minus 2 (§7.2)."""
    if len(frame) < 20 or frame[:2] != b"NW" or frame[-5] != 0x68:
        return False
    if int.from_bytes(frame[2:4], "big") != len(frame) - 2:
        return False
    total = 0
    for b in frame[:-4]:
        total = (total + b) % 65536
    return total == frame[-2] * 256 + frame[-1]


def modbus_crc(data: bytes) -> int:
    crc = 0xFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def crc_ok(frame: bytes) -> bool:
    return len(frame) >= 4 and modbus_crc(frame[:-2]) == frame[-2] + 256 * frame[-1]


def payload_ok(frame: bytes) -> bool:
    return (
        len(frame) >= 300
        and frame[:4] == bytes.fromhex("55aaeb90")
        and frame[4] in (1, 2, 3, 5)
        and sum(frame[:299]) % 256 == frame[299]
    )


def pb_frame_ok(frame: bytes) -> bool:
    """A payload (with an ack that passes its CRC, after up to two zero pads) or an RTU frame."""
    if frame[:4] == bytes.fromhex("55aaeb90"):
        if not payload_ok(frame):
            return False
        rest = frame[300:]
        return not rest or (8 <= len(rest) <= 10 and crc_ok(rest[-8:]) and not any(rest[:-8]))
    return crc_ok(frame)


# --- 4E57: captured frames -------------------------------------------------------------------
def _snap_field(name: str) -> Callable[[s4.ReadAll], Any]:
    return lambda r: getattr(r.snapshot, name)


def _extra(name: str) -> Callable[[s4.ReadAll], Any]:
    return lambda r: r.snapshot.extra.get(name)


def _setting(name: str) -> Callable[[s4.ReadAll], Any]:
    return lambda r: r.settings.values.get(name)


# corpus name -> (how to read it from a decoded read-all, how to turn the stated value into ours)
MAP_4E57: dict[str, tuple[Callable[[s4.ReadAll], Any], Callable[[Any], Any]]] = {
    "cell_voltages_v": (_snap_field("cell_voltages_v"), lambda v: v),
    "min_cell_voltage_v": (_snap_field("cell_min_v"), lambda v: v),
    "min_voltage_cell": (_snap_field("cell_min_index"), lambda v: v),
    "max_cell_voltage_v": (_snap_field("cell_max_v"), lambda v: v),
    "max_voltage_cell": (_snap_field("cell_max_index"), lambda v: v),
    "delta_cell_voltage_v": (_snap_field("cell_delta_v"), lambda v: v),
    "total_voltage_v": (_snap_field("pack_voltage_v"), lambda v: v),
    "current_a": (_snap_field("current_a"), lambda v: v),  # + charging, as stated
    "mos_temp_c": (_snap_field("mos_temperature_c"), lambda v: v),
    "t1_c": (lambda r: r.snapshot.temperatures_c[0], lambda v: v),
    "t2_c": (lambda r: r.snapshot.temperatures_c[1], lambda v: v),
    "temperature_sensor_count": (_extra("jk_temperature_sensor_count"), lambda v: v),
    "soc_pct": (_snap_field("soc_pct"), lambda v: v),
    "full_charge_capacity_ah": (_snap_field("capacity_full_ah"), lambda v: v),
    "capacity_remaining_ah": (_snap_field("capacity_remaining_ah"), lambda v: v),
    "errors_bitmask": (lambda r: s4.warnings_from_alarms(r.snapshot.alarms), lambda v: v),
    "operation_mode_bitmask": (_extra("jk_status_bits"), lambda v: v),
    "charging": (_snap_field("charge_mos_on"), lambda v: v),
    "discharging": (_snap_field("discharge_mos_on"), lambda v: v),
    "balancing": (_snap_field("balancing_active"), lambda v: v),
    "charging_switch": (_setting("charge_switch"), lambda v: v),
    "discharging_switch": (_setting("discharge_switch"), lambda v: v),
    "balancer_switch": (_setting("balance_switch"), lambda v: v),
    "cell_count": (_snap_field("cell_count"), lambda v: v),
    "cycles": (_snap_field("cycles"), lambda v: v),
    "battery_type": (
        _setting("jk_battery_type"),
        lambda v: {"Lithium Iron Phosphate": 0, "Ternary Lithium": 1, "Lithium Titanate": 2}[v],
    ),
    "low_soc_alarm_pct": (_setting("jk_low_soc_alarm_pct"), lambda v: v),
    "software_version": (lambda r: r.device_info.software_version, lambda v: v),
    "total_runtime_min": (_snap_field("runtime_s"), lambda v: v * 60),
    "balance_start_voltage_v": (_setting("balance_start_v"), lambda v: v),
    "balance_trigger_delta_v": (_setting("balance_trigger_delta_v"), lambda v: v),
    "protocol_version": (_extra("jk_protocol_version"), lambda v: v),
    "password_0xB2": (lambda r: r.secrets.setup_password, lambda v: v),  # memory only
}
#: stated values a float32 source rounded: checked to their stated precision
LOOSE_4E57 = {
    "average_cell_voltage_v": (_snap_field("cell_avg_v"), 0.0005),
    "power_w": (_snap_field("power_w"), 0.005),
}


def _close(actual: Any, expected: Any, tol: float = TOL) -> bool:
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(_close(a, e, tol) for a, e in zip(actual, expected, strict=True))
        )
    if isinstance(expected, bool) or isinstance(expected, str):
        return actual == expected
    return actual is not None and abs(actual - expected) <= tol


@pytest.mark.parametrize(
    "entry",
    [e for e in of("jk_serial_4e57") if e["frame_type"] == "read_all_response"],
    ids=lambda e: e["id"],
)
def test_4e57_read_all_stated_values(entry: dict[str, Any]) -> None:
    frame = bytes.fromhex(entry["hex"])
    result = s4.decode_read_all(frame)
    for key, expected in entry["expected"].items():
        if key in LOOSE_4E57:
            read, tol = LOOSE_4E57[key]
            assert _close(read(result), expected, tol), (key, read(result), expected)
            continue
        assert key in MAP_4E57, f"stated value {key!r} is not mapped: map it or say why not"
        read, convert = MAP_4E57[key]
        assert _close(read(result), convert(expected)), (key, read(result), expected)
    # decode() is the live snapshot (the CLI contract); decode_all adds settings and device info
    protocol = get_protocol("jk_4e57")
    assert isinstance(protocol.decode(frame), Snapshot)
    kinds = [kind_of(m) for m in protocol.decode_all(frame)]
    assert kinds == ["device_info", "settings", "live"]


def test_4e57_read_all_fields_beside_the_stated_ones() -> None:
    # the annotated ESPHome frame (jk_bms.cpp comments): settings and device information
    r = s4.decode_read_all(raw("esp_4e57_14s_status"))
    v = r.settings.values
    assert (v["pack_ovp_v"], v["pack_uvp_v"]) == (56.70, 42.70)
    assert (v["cell_ovp_v"], v["cell_ovp_recovery_v"], v["cell_uvp_v"], v["cell_uvp_recovery_v"]) == (
        4.05,
        4.0,
        3.05,
        3.1,
    )
    assert (v["discharge_ocp_a"], v["charge_ocp_a"], v["mos_otp_c"], v["mos_otp_recovery_c"]) == (
        7,
        5,
        90,
        70,
    )
    assert (v["charge_utp_c"], v["charge_utp_recovery_c"]) == (-20, -10)  # 0xFFEC / 0xFFF6, signed
    assert (v["cell_count"], v["capacity_nominal_ah"], v["jk_current_calibration_a"]) == (14, 14, 1.041)
    assert r.settings.protocol == "jk_4e57"
    # 0xB5 carries "2101" (YYMM, jk.md §7): shown as a date like every family's (issue 17)
    assert (r.device_info.device_name, r.device_info.manufacture_date) == ("Input Us", "2021-01")
    assert r.device_info.manufacturer == "BT3072020120000200521001"
    # the stream also carries the switches; nothing in it names an unknown identifier
    assert (r.snapshot.charge_switch, r.snapshot.discharge_switch, r.snapshot.balance_switch) == (True,) * 3
    assert "jk_unknown_identifier" not in r.snapshot.extra


def test_4e57_uncommented_capture_is_consistent() -> None:
    # no stated values ("13S Li-Ion" in its header comment): the frame must agree with itself
    r = s4.decode_read_all(raw("esp_4e57_b2a24s20p_10_07_13s"))
    s = r.snapshot
    assert s.cell_count == len(s.cell_voltages_v) == 13 == r.settings.values["cell_count"]
    assert s.pack_voltage_v == pytest.approx(sum(s.cell_voltages_v), abs=0.02)
    assert r.device_info.software_version == "10.XW_S10.07___"
    assert r.secrets.setup_password == "123456"


def test_4e57_value_encodings() -> None:
    # temperatures (jk.md §7.3, §9.6: the spec's rule, "101 = -1 °C")
    assert [s4.temperature_c(r) for r in (0, 29, 100, 101, 140)] == [0, 29, 100, -1, -40]
    assert all(s4.temperature_c(s4.temperature_raw(t)) == t for t in (-40, -1, 0, 25, 100))
    # current, + charging: sign bit with protocol version 1, offset 10000 before it (§7.3)
    assert s4.current_a(0x80D0, 1) == pytest.approx(2.08)
    assert s4.current_a(0x00D0, 1) == pytest.approx(-2.08)
    assert s4.current_a(11000, 0) == pytest.approx(-10.0)
    assert s4.current_a(9500, 0) == pytest.approx(5.0)
    assert s4.current_a(9500, None) == pytest.approx(5.0)
    for amps in (-12.34, 0.0, 7.5):
        for version in (0, 1):
            assert s4.current_a(s4.current_raw(amps, version), version) == pytest.approx(amps)
    # warning bits: named ones map to canonical ids, the rest stay jk4e57_bit_N
    assert s4.alarms_from_warnings(1 << 10 | 1 << 11 | 1) == [
        "cell_overvoltage",
        "cell_undervoltage",
        "low_soc",
    ]
    assert s4.alarms_from_warnings(1 << 4 | 1 << 12) == ["jk4e57_bit_12", "jk4e57_bit_4"]


@pytest.mark.parametrize(
    "entry", [e for e in of("jk_serial_4e57") if e["frame_type"] == "command"], ids=lambda e: e["id"]
)
def test_4e57_command_frames(entry: dict[str, Any]) -> None:
    out = decode_one("jk_4e57", entry["hex"])
    assert out["protocol"] == "jk_4e57" and out["kind"] == "command", out
    f = out["fields"]
    for key, expected in entry["expected"].items():
        if key == "meaning":
            continue  # prose
        if key == "value":
            assert f["raw_value"] == expected
            spec = s4.BY_ID[f["register"]]
            assert f["setting"] == spec.key and f["value"] is bool(expected)
        elif key == "type":
            assert bytes.fromhex(entry["hex"])[10] == expected  # request: no field, the byte
        else:
            assert f[{"function": "function", "source": "source", "register": "register"}[key]] == expected


def test_4e57_corrupt_and_truncated_frames_are_rejected(run_cli) -> None:
    bad = next(e for e in FRAMES if e["protocol"] == "jk_serial_4e57" and not e["checksum_ok"])
    good = BY_ID["esp_4e57_14s_status"]["hex"]
    flipped = good[:100] + ("00" if good[100:102] != "00" else "01") + good[102:]
    lines = [bad["hex"], good[:300], good[:10], flipped, "4e57", good]
    res = run_cli("decode", "--protocol", "jk_serial_4e57", stdin="\n".join(lines) + "\n")
    assert res.returncode == 0, res.stderr
    out = [json.loads(line) for line in res.stdout.splitlines()]
    assert [set(o) for o in out[:5]] == [{"error"}] * 5, out
    assert "checksum" in out[0]["error"] and "checksum" in out[3]["error"]
    assert "truncated" in out[1]["error"]
    assert out[5]["protocol"] == "jk_4e57" and out[5]["kind"] == "live"
    assert out[5]["fields"]["cell_count"] == 14
    assert "123456" not in res.stdout  # the parameter password never leaves memory
    assert "Traceback" not in res.stderr


# --- JK-PB: captured frames ---------------------------------------------------------------------
def _pb_check(entry: dict[str, Any]) -> None:
    frame = bytes.fromhex(entry["hex"])
    out = decode_one("jk_pb", entry["hex"])
    assert "error" not in out, out
    assert out["protocol"] == "jk_pb"
    f = out["fields"]
    kind = {
        "ack": "ack",
        "response": "ack",
        "command": "command",
        "cell_info": "live",
        "settings": "settings",
        "device_info": "device_info",
    }[entry["frame_type"]]
    assert out["kind"] == kind
    rtu = pb.parse_rtu(frame) if frame[:2] != b"\x55\xaa" else None
    for key, expected in entry["expected"].items():
        if key == "meaning":
            continue  # prose
        if key in ("frame_type", "frame_type_u16"):
            # byte 4 is the type; dbus reads bytes 4-5 as a u16 (jk.md §8.3): kind follows it
            assert frame[4] == expected
            if key == "frame_type_u16":
                assert int.from_bytes(frame[4:6], "little") == expected
            assert out["kind"] == {1: "settings", 2: "live", 3: "device_info"}[expected]
        elif key == "slave":
            assert rtu.slave == expected
            if kind == "command":
                assert f["slave"] == expected
        elif key == "function":
            assert rtu.function == expected
            if kind == "command":
                assert f["function"] == expected
        elif key == "register":
            assert f["register"] == expected == rtu.register
        elif key == "count":
            assert rtu.count == expected
            assert (f["count"] if kind == "command" else f["raw_value"]) == expected
        elif key == "value":
            assert f["raw_value"] == expected
        elif key == "values":
            assert f["words"] == expected
        elif key == "exception_code":
            assert f["ok"] is False and f["raw_value"] == expected == rtu.exception
            assert f"exception {expected:02d}" in f["detail"]
        elif key == "cell_count_active":
            assert f["cell_count"] == expected == len(f["cell_voltages_v"])
        elif key == "soc_pct":
            assert f["soc_pct"] == expected
        elif key == "full_charge_capacity_ah":
            assert f["capacity_full_ah"] == pytest.approx(expected, abs=TOL)
        elif key == "temp_sensor_presence_bits":
            # every sensor present: MOS, T1, T2 and the T3..T5 bytes (jk.md §2.1, §9.1)
            assert expected == 0xFF
            assert f["mos_temperature_c"] is not None and len(f["temperatures_c"]) == 2
            assert {"jk_temperature_3_c", "jk_temperature_4_c", "jk_temperature_5_c"} <= set(f)
        else:
            raise AssertionError(f"stated value {key!r} is not mapped: map it or say why not")


@pytest.mark.parametrize("entry", of("jk_pb_modbus"), ids=lambda e: e["id"])
def test_pb_frames_stated_values(entry: dict[str, Any]) -> None:
    _pb_check(entry)


def test_pb_payloads_are_the_jk02_32s_layout() -> None:
    # a payload decodes exactly as the same bytes do on BLE; the glued ack names the slave
    for fid in ("mpp_pb_resp_20", "mpp_pb_resp_1e", "mpp_pb_resp_1c", "dbus_pb_status_payload"):
        frame = raw(fid)
        ours = pb.decode(frame).to_fields()
        ble = get_protocol("jk02_32s").decode(frame[:300]).to_fields()
        ours.pop("protocol", None), ble.pop("protocol", None)
        assert ours == ble, fid
        assert pb.payload_slave(frame) == (1 if fid.startswith("mpp") else None)
    settings_ = pb.decode(raw("mpp_pb_resp_1e"))
    assert isinstance(settings_, Settings) and settings_.protocol == "jk_pb"
    info = pb.decode(raw("dbus_pb_about_payload"))
    assert isinstance(info, DeviceInfo) and info.protocol == "jk_pb"
    assert "1234" not in json.dumps(info.to_fields())  # the PINs stay out
    assert get_protocol("jk_pb").extract_secrets(raw("dbus_pb_about_payload")).connect_pin == "1234"


def test_pb_bad_frames_are_rejected() -> None:
    payload = BY_ID["mpp_pb_resp_20"]["hex"]
    bad_ack = payload[:-2] + ("00" if payload[-2:] != "00" else "01")
    bad_sum = payload[:20] + ("00" if payload[20:22] != "00" else "01") + payload[22:]
    req = BY_ID["mpp_pb_req_20"]["hex"]
    cases = {
        "truncated": [payload[:400], req[:12], "0110"],
        "crc": [req[:-2] + ("00" if req[-2:] != "00" else "01"), bad_ack],
        "checksum": [bad_sum],
        "not a JK-PB": ["aa5590eb9700000000000000000000000000000010", "ffff00000000"],
    }
    for reason, frames in cases.items():
        for text in frames:
            out = decode_one("jk_pb_modbus", text)
            assert set(out) == {"error"}, (reason, text, out)
            assert reason.lower() in out["error"].lower(), (reason, out)


# --- encoders: captured host frames, byte for byte ---------------------------------------------
def test_4e57_encoders_reproduce_captures() -> None:
    p = get_protocol("jk_4e57")
    assert s4.build_read_all() == raw("esp_4e57_read_all_request")
    assert (
        p.poll_requests()
        == p.settings_requests()
        == p.identify_requests()
        == [raw("esp_4e57_read_all_request")]
    )
    assert p.encode_write("charge_switch", True) == raw("issue404_4e57_cmd_ab_1")
    assert p.encode_write("charge_switch", False) == raw("issue404_4e57_cmd_ab_0")
    assert p.encode_write("discharge_switch", False) == raw("issue404_4e57_cmd_ac_0")
    # a write is pair (0x05, identifier 0, value 0: ESPHome), then the write (jk.md §7.2)
    pair, write = p.write_requests("charge_switch", True)
    assert write == raw("issue404_4e57_cmd_ab_1")
    assert pair[8] == 0x05 and s4.data_of(pair) == b"\x00\x00" and sum16_ok(pair)
    assert p.write_gap_s == pytest.approx(0.1)
    # wider values: full width, big-endian (unverified on hardware, jk.md §7.2)
    w = p.encode_write("cell_ovp_v", 3.65)
    assert s4.data_of(w) == b"\x90\x0e\x42" and sum16_ok(w)
    w = p.encode_write("charge_utp_c", -20)
    assert s4.data_of(w) == b"\xa5\xff\xec"
    with pytest.raises(ValueError):
        p.encode_write("cell_ovp_v", 9.0)
    with pytest.raises(KeyError):
        p.encode_write("jk_no_such_setting", 1)


def test_pb_encoders_reproduce_captures() -> None:
    one, two = get_protocol("jk_pb"), get_protocol("jk_pb").bind({"address": "2"})
    assert one.address == 1 and two.address == 2
    assert one.identify_requests() == [raw("mpp_pb_req_1c")]
    assert one.poll_requests() == [raw("mpp_pb_req_20")]
    assert pb.build_trigger(1, pb.TRIGGER_SETTINGS)[:4] == bytes.fromhex("0110161e")
    assert two.encode_write("balance_start_v", 3.44) == raw("txu_pb_02101084000204_101")
    assert two.encode_write("balance_switch", True) == raw("txu_pb_02101078000204_103")
    # the control flags share 0x1114 and are written whole (read-modify-write, jk.md §8.2)
    board = {s.key: False for s in pb.CONTROL_FLAGS}
    board["jk_lcd_always_on"] = True
    assert two.encode_write("jk_charging_float_mode", True, board) == raw("txu_pb_02101114000102_104")
    assert two.write_requests("jk_charging_float_mode", True, board) == [raw("txu_pb_02101114000102_104")]
    with pytest.raises(ValueError, match="read the board's settings first"):
        two.encode_write("jk_charging_float_mode", True)
    # one-byte fields cannot be written over Modbus (jk.md §9.13); negative values are two's complement
    with pytest.raises(KeyError):
        two.encode_write("jk_heating_start_c", 5)
    w = two.encode_write("charge_utp_c", -5.0)
    assert pb.parse_rtu(w).words == (0xFFFF, 0xFFCE) and crc_ok(w)
    assert pb.decode(w).to_fields()["value"] == -5.0
    with pytest.raises(ValueError):
        get_protocol("jk_pb").bind({"address": "two"})


# --- frame readers: fuzzing ---------------------------------------------------------------------
GOOD_4E57 = [raw(e["id"]) for e in FRAMES if e["protocol"] == "jk_serial_4e57" and e["checksum_ok"]]


def _cut(data: bytes, cuts: list[int]) -> list[bytes]:
    out, pos = [], 0
    for n in cuts:
        out.append(data[pos : pos + n])
        pos += n
    out.append(data[pos:])
    return out


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.binary(max_size=64),
            st.sampled_from(GOOD_4E57),
            st.sampled_from(GOOD_4E57).map(lambda f: f[: len(f) // 2]),
            st.just(b"NW"),
            st.just(b"\x4e\x57\x01\x1b"),
        ),
        max_size=8,
    ),
    st.lists(st.integers(1, 97), max_size=20),
)
def test_4e57_reader_never_raises_never_yields_bad(parts: list[bytes], cuts: list[int]) -> None:
    reader = s4.Jk4e57FrameReader()
    for chunk in _cut(b"".join(parts), cuts):
        for frame in reader.feed(chunk):
            assert sum16_ok(frame.data), frame.data.hex()


_JUNK_4E57 = st.binary(max_size=12).map(lambda b: b.replace(b"\x4e", b"\x00"))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(_JUNK_4E57, st.sampled_from(GOOD_4E57)), min_size=1, max_size=5),
    st.lists(st.integers(1, 64), max_size=30),
)
def test_4e57_reader_finds_every_frame_in_junk(units: list[tuple[bytes, bytes]], cuts: list[int]) -> None:
    stream = b"".join(junk + frame for junk, frame in units)
    reader = s4.Jk4e57FrameReader()
    got = [f.data for chunk in _cut(stream, cuts) for f in reader.feed(chunk)]
    assert got == [frame for _junk, frame in units]


# PB units: what follows what on a real bus
_PB_UNITS = [
    raw("mpp_pb_resp_20"),
    raw("mpp_pb_resp_1e"),
    raw("mpp_pb_resp_1c"),
    raw("dbus_pb_ack_status"),
    raw("mpp_pb_req_20"),
    raw("jkdoc_fc10_req"),
    raw("txu_pb_029003fc01_108"),
    raw("jkdoc_fc03_req"),
    raw("txu_pb_02101114000102_104"),
    raw("mpp_pb_resp_20")[:300] + b"\x00" + raw("mpp_pb_resp_20")[300:] + b"\x00",
]
_BARE_PAYLOADS = [raw("dbus_pb_status_payload"), raw("dbus_pb_about_payload")]
_GOOD_PB = _PB_UNITS + _BARE_PAYLOADS
# junk that can start no frame: Modbus addresses stop at 247, payloads start with 0x55
_JUNK_PB = st.binary(max_size=12).map(lambda b: bytes(0xF8 | (x & 7) for x in b))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.binary(max_size=64),
            st.sampled_from(_GOOD_PB),
            st.sampled_from(_GOOD_PB).map(lambda f: f[: len(f) - 3]),
            st.just(b"\x55\xaa\xeb\x90"),
            st.just(b"\x01\x10"),
        ),
        max_size=8,
    ),
    st.lists(st.integers(1, 97), max_size=20),
    st.sampled_from([None, 1, 2, 3]),
)
def test_pb_reader_never_raises_never_yields_bad(
    parts: list[bytes], cuts: list[int], address: int | None
) -> None:
    reader = pb.JkPbFrameReader(address)
    for chunk in _cut(b"".join(parts), cuts):
        for frame in reader.feed(chunk):
            assert pb_frame_ok(frame.data), frame.data.hex()
            if address is not None:
                # only this slave's frames: a payload only with its own ack
                assert frame.data[0] == address or frame.data[300:][-8] == address


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.tuples(_JUNK_PB, st.sampled_from(_PB_UNITS)),
            st.tuples(_JUNK_PB.filter(len), st.sampled_from(_BARE_PAYLOADS)),
        ),
        min_size=1,
        max_size=5,
    ),
    st.lists(st.integers(1, 64), max_size=30),
)
def test_pb_reader_finds_every_frame_in_junk(units: list[tuple[bytes, bytes]], cuts: list[int]) -> None:
    # a bare payload (no ack) is followed by junk, so the reader can tell it has none
    stream = b"".join(frame + junk if frame in _BARE_PAYLOADS else junk + frame for junk, frame in units)
    stream += b"\xff"
    reader = pb.JkPbFrameReader()
    got = [f.data for chunk in _cut(stream, cuts) for f in reader.feed(chunk)]
    want = [f[:-1] if f.endswith(b"\x00") and f[:2] == b"\x55\xaa" else f for _j, f in units]
    assert got == want


def test_pb_reader_keeps_only_its_slave() -> None:
    resp = raw("mpp_pb_resp_20")  # slave 1's payload and ack
    other = resp[:300] + pb.build_write_ack(2, pb.TRIGGER_CELL_INFO, 1)
    stream = resp + other + raw("dbus_pb_ack_status") + raw("dbus_pb_status_payload") + b"\xff"
    for address, want in ((1, [resp]), (2, [other]), (3, [raw("dbus_pb_ack_status")])):
        reader = pb.JkPbFrameReader(address)
        assert [f.data for f in reader.feed(stream)] == want
        assert reader.dropped_unattributed == 1  # the bare payload: nobody can say whose it is
    assert len(pb.JkPbFrameReader(None).feed(stream)) == 4


# --- simulators -----------------------------------------------------------------------------------
def test_4e57_simulator_needs_the_pair_command() -> None:
    sim = Jk4e57Simulator(cells=14, seed=1)
    reader = s4.Jk4e57FrameReader()
    assert sim.receive(s4.build_write("charge_switch", False)) == []  # not paired: ignored
    assert sim.settings["charge_switch"] is True
    replies = reader.feed(b"".join(sim.receive(s4.build_pair())))
    assert [f.frame_type for f in replies] == [(0x05, 1)]
    replies = reader.feed(b"".join(sim.receive(s4.build_write("charge_switch", False))))
    assert isinstance(s4.decode(replies[0].data), Ack) and sim.settings["charge_switch"] is False
    assert sim.receive(s4.build_write("charge_switch", True)) == []  # one pair, one write
    read = reader.feed(b"".join(sim.receive(s4.build_read_all())))
    r = s4.decode_read_all(read[0].data)
    assert len(r.snapshot.cell_voltages_v) == 14 and r.settings.values["charge_switch"] is False
    assert r.settings.values["cell_count"] == 14 and r.secrets.setup_password == "123456"


def test_create_simulator_for_the_serial_protocols() -> None:
    bus = create_simulator("jk_pb", cells="16", address="2")
    assert isinstance(bus, JkPbBus) and list(bus.boards) == [2]
    assert len(bus.boards[2].cells) == 16
    bus = create_simulator("jk_pb", addresses="1,3", cells="8")
    assert sorted(bus.boards) == [1, 3]
    sim = create_simulator("jk_4e57", cells="14")
    assert isinstance(sim, Jk4e57Simulator) and len(sim.board.cells) == 14
    with pytest.raises(ValueError):
        create_simulator("jk_pb", address="16")


# --- sessions over real links ---------------------------------------------------------------------
def run(coro: Awaitable[Any], timeout: float = 20.0) -> Any:
    async def main() -> Any:
        return await asyncio.wait_for(coro, timeout)

    return asyncio.run(main())


class Recorder:
    def __init__(self, session: DeviceSession) -> None:
        self.events: list[Event] = []
        session.subscribe(self.events.append)

    def count(self, kind: str, since: int = 0) -> int:
        return sum(1 for e in self.events[since:] if e.kind == kind)

    def no_secrets(self) -> None:
        for e in self.events:
            assert "123456" not in repr(e)
            if hasattr(e.data, "to_fields"):
                assert "123456" not in json.dumps(e.data.to_fields())


@pytest.fixture
def server():
    threads: list[ServerThread] = []

    def start(sim: Any) -> ServerThread:
        t = ServerThread(sim).start()
        threads.append(t)
        return t

    yield start
    for t in threads:
        t.stop()


from boards import PtyBoard  # noqa: E402  (shared with test_session)


async def _switch_off_and_on(session: DeviceSession, board_settings: dict[str, Any]) -> list[Ack | None]:
    """charge_switch off, verified by re-reading, then on again, verified."""
    acks = []
    for value in (False, True):
        acks.append(await session.write_setting("charge_switch", value))
        assert board_settings["charge_switch"] is value
        assert (await session.refresh_settings()).values["charge_switch"] is value
    return acks


def _paired_before_every_write(received: list[tuple[int, int]]) -> None:
    writes = [i for i, (cmd, _) in enumerate(received) if cmd == s4.CMD_WRITE]
    assert writes
    for i in writes:
        before = [cmd for cmd, _ in received[:i] if cmd != s4.CMD_READ_ALL]
        assert before and before[-1] == s4.CMD_PAIR, received


@pytest.mark.skipif(os.name != "posix", reason="TCP and pty fixtures need POSIX")
def test_4e57_session_over_tcp(server) -> None:
    sim = create_simulator("jk_4e57", cells=14, seed=31)
    srv = server(sim)

    async def main() -> None:
        session = DeviceSession(srv.url + "?protocol=jk_4e57", request_timeout_s=1.5)
        rec = Recorder(session)
        await session.connect()
        assert session.state == State.LIVE
        assert session.device_info.protocol == "jk_4e57"
        assert session.device_info.software_version == sim.info.software_version
        assert session.settings.values["cell_count"] == 14
        assert session.check_setup_password("123456")  # from 0xB2, memory only
        snap = await session.next_snapshot(3.0)
        assert len(snap.cell_voltages_v) == 14
        assert snap.pack_voltage_v == pytest.approx(sum(snap.cell_voltages_v), abs=0.02)
        # one read-all a poll carries settings too: announced once, not at every poll (ten here)
        mark = len(rec.events)
        await asyncio.sleep(10 * session.timing.poll_s)
        assert rec.count("snapshot", mark) >= 2
        assert rec.count("settings", mark) == 0 and rec.count("device_info", mark) == 0
        acks = await _switch_off_and_on(session, sim.settings)
        assert [a.register for a in acks] == [0xAB, 0xAB]  # the writes' replies, not the pairs'
        _paired_before_every_write(sim.received)
        assert rec.count("settings", mark) >= 2  # the changes were announced
        snap = await session.next_snapshot(3.0)
        assert snap.charge_switch is True
        await session.close()
        rec.no_secrets()

    run(main())


@pytest.mark.skipif(os.name != "posix", reason="TCP and pty fixtures need POSIX")
def test_4e57_session_over_pty() -> None:
    sim = create_simulator("jk_4e57", cells=16, seed=32)
    with PtyBoard(sim) as board:

        async def main() -> None:
            session = DeviceSession(board.path + "?protocol=jk_serial_4e57", request_timeout_s=1.5)
            assert session.url.scheme == "serial"
            await session.connect()
            assert len((await session.next_snapshot(3.0)).cell_voltages_v) == 16
            await _switch_off_and_on(session, sim.settings)
            _paired_before_every_write(sim.received)
            await session.close()

        run(main())


@pytest.mark.skipif(os.name != "posix", reason="TCP and pty fixtures need POSIX")
def test_pb_two_boards_on_one_bus(server) -> None:
    bus = JkPbBus(
        {
            1: JkSimulator(variant="jk02_32s", cells=8, seed=41),
            2: JkSimulator(variant="jk02_32s", cells=16, seed=42),
        }
    )
    srv = server(bus)  # every client hears everything, as on one RS485 pair

    async def main() -> None:
        one = DeviceSession(srv.url + "?protocol=jk_pb&address=1", request_timeout_s=1.5)
        two = DeviceSession(srv.url + "?protocol=jk_pb_modbus&address=2", request_timeout_s=1.5)
        rec_one, rec_two = Recorder(one), Recorder(two)
        await one.connect()
        await two.connect()
        assert one.device_info.serial_number == bus.boards[1].info.serial_number
        assert two.device_info.serial_number == bus.boards[2].info.serial_number
        assert one.device_info.protocol == two.device_info.protocol == "jk_pb"
        assert len((await one.next_snapshot(3.0)).cell_voltages_v) == 8
        assert len((await two.next_snapshot(3.0)).cell_voltages_v) == 16
        s1, s2 = await one.refresh_settings(), await two.refresh_settings()
        assert (s1.values["jk_device_address"], s2.values["jk_device_address"]) == (1, 2)
        # a write on board 2 leaves board 1 alone
        acks = await _switch_off_and_on(two, bus.boards[2].settings)
        assert all(a is not None and a.register == 0x1070 for a in acks)
        assert ((0x1070, 0) in bus.boards[2].writes) and bus.boards[1].writes == []
        assert (await one.refresh_settings()).values["charge_switch"] is True
        # a control flag: read-modify-write of the whole 0x1114 register
        assert await two.write_setting("jk_lcd_always_on", True) is not None
        values = (await two.refresh_settings()).values
        assert values["jk_lcd_always_on"] is True and values["heating_switch"] is False
        # a refused value comes back as a Modbus exception: an error in words, no ack
        mark = len(rec_two.events)
        assert await two.write_setting("cell_ovp_recovery_v", 3.7) is None  # above OVP 3.65
        errors = [e.data for e in rec_two.events[mark:] if e.kind == "error"]
        assert errors and "Modbus exception 03 (illegal data value)" in errors[0]
        assert bus.boards[2].settings["cell_ovp_recovery_v"] == pytest.approx(3.55)
        # each session saw the other's traffic and kept none of it
        assert one._reader.dropped_other > 0 and two._reader.dropped_other > 0
        for rec, cells in ((rec_one, 8), (rec_two, 16)):
            snaps = [e.data for e in rec.events if e.kind == "snapshot"]
            assert snaps and all(len(s.cell_voltages_v) == cells for s in snaps)
        await one.close()
        await two.close()
        rec_one.no_secrets()
        rec_two.no_secrets()

    run(main(), timeout=30)


@pytest.mark.skipif(os.name != "posix", reason="TCP and pty fixtures need POSIX")
def test_pb_session_over_pty() -> None:
    bus = create_simulator("jk_pb", cells=16, address=3, seed=43)
    with PtyBoard(bus) as board:

        async def main() -> None:
            session = DeviceSession(board.path + "?protocol=jk_pb&address=3", request_timeout_s=1.5)
            await session.connect()
            assert session.protocol.address == 3
            assert len((await session.next_snapshot(3.0)).cell_voltages_v) == 16
            await _switch_off_and_on(session, bus.boards[3].settings)
            snap = await session.next_snapshot(3.0)
            assert snap.charge_mos_on is True
            await session.close()

        run(main())


@pytest.mark.skipif(os.name != "posix", reason="TCP and pty fixtures need POSIX")
def test_pb_session_to_an_absent_slave_says_so(server) -> None:
    srv = server(create_simulator("jk_pb", cells=8, address=1, seed=44))

    async def main() -> None:
        session = DeviceSession(srv.url + "?protocol=jk_pb&address=5", request_timeout_s=0.3)
        with pytest.raises(Exception, match="did not answer"):
            await session.connect()
        assert session.state == State.DISCONNECTED

    run(main())


def test_in_process_simulators_go_live() -> None:
    async def main() -> None:
        for url, cells in (("sim://jk_4e57?cells=14&seed=5", 14), ("sim://jk_pb?cells=16&address=2", 16)):
            session = DeviceSession(url, request_timeout_s=1.0)
            await session.connect()
            assert len((await session.next_snapshot(3.0)).cell_voltages_v) == cells
            await session.close()

    run(main())


def test_simulate_jk_pb_then_read(run_cli) -> None:
    sim = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app",
            "simulate",
            "--protocol",
            "jk_pb",
            "--cells",
            "16",
            "--listen",
            "127.0.0.1:0",
            "--seed",
            "1",
            "--duration",
            "20",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    try:
        line = sim.stdout.readline()
        m = re.fullmatch(r"listening on 127\.0\.0\.1:(\d+)\n", line)
        assert m, f"unexpected first line {line!r}"
        res = run_cli(
            "read",
            "--url",
            f"socket://127.0.0.1:{m.group(1)}?protocol=jk_pb&address=1",
            "--count",
            "1",
            "--json",
            timeout=30,
        )
        assert res.returncode == 0, res.stderr
        out = json.loads(res.stdout.splitlines()[0])
        assert out["protocol"] == "jk_pb" and out["kind"] == "live"
        assert out["fields"]["cell_count"] == 16
    finally:
        sim.terminate()
        try:
            sim.wait(5)
        except subprocess.TimeoutExpired:
            sim.kill()
            sim.wait(5)
        sim.stdout.close()
        sim.stderr.close()


# --- secrets in raw captures --------------------------------------------------------------------
def test_redact_blanks_the_passwords() -> None:
    frame = raw("esp_4e57_14s_status")
    clean = get_protocol("jk_4e57").redact(frame)
    assert b"123456" in frame and b"123456" not in clean and sum16_ok(clean)
    assert (
        s4.decode_read_all(clean).snapshot.cell_voltages_v
        == s4.decode_read_all(frame).snapshot.cell_voltages_v
    )
    info = raw("dbus_pb_about_payload")
    clean = get_protocol("jk_pb").redact(info)
    assert b"1234" in info and b"1234\x00" not in clean[62:78] and payload_ok(clean)
    assert pb.decode(clean).to_fields() == pb.decode(info).to_fields()
    w = get_protocol("jk_4e57").redact(raw("issue404_4e57_cmd_ab_1"))
    assert w == raw("issue404_4e57_cmd_ab_1")  # nothing secret in a switch write
    assert isinstance(s4.decode(w), Command)


@pytest.mark.skipif(os.name != "posix", reason="TCP and pty fixtures need POSIX")
def test_pb_control_block_presets_and_calibration_over_tcp(server, tmp_path) -> None:
    """0x1600 block (jk.md §8.2): the board preset and the current calibration through the
    same services as on BLE, read back from the board."""
    from app.protocols.jk.pb_modbus import CONTROL_ACTIONS, build_write
    from app.services import control, writer

    bus = create_simulator("jk_pb", cells=16, address=2, seed=45)
    board = bus.boards[2]
    board.constant_current_a, board.current_gain = 20.0, 1.05  # a charger; a board 5 % off
    srv = server(bus)
    proto = get_protocol("jk_pb").bind({"address": "2"})
    assert proto.encode_action("preset_lifepo4") == build_write(2, 0x160C, [0])
    assert proto.encode_calibration("current", -12.5)[7:11] == (-12500 & 0xFFFFFFFF).to_bytes(4, "big")

    async def main() -> None:
        session = DeviceSession(srv.url + "?protocol=jk_pb&address=2", request_timeout_s=1.5)
        await session.connect()
        try:
            assert set(CONTROL_ACTIONS) <= set(session.protocol.actions())
            gate = writer.PasswordGate()
            rep = await writer.run_board_preset(
                session, "preset_lifepo4", password="123456", gate=gate, backup_dir=tmp_path
            )
            # the board's own values (modelled on the manual's appendix), read back
            assert rep.acknowledged and rep.after["soc_full_v"] == pytest.approx(3.62)
            assert board.settings["soc_full_v"] == pytest.approx(3.62)
            cal = await control.calibrate(session, "current", 20.0, password="123456", gate=gate)
            assert cal.ok, cal.message
            assert cal.before == pytest.approx(21.0, abs=0.3)
            assert cal.after == pytest.approx(20.0, abs=0.3)
        finally:
            await session.close()

    run(main(), timeout=60)
