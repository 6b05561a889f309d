"""Xiaomi M365 (``55 AA``) and Ninebot (``5A A5``) frames against real captures.

Every value asserted here comes from ``tests/data/xiaomi_frames.json`` (copied from
../shared/frames/xiaomi.json), whose ``expected`` holds only what each frame's
``source`` states.  ``STATED`` maps the sources' names onto Packbench's; a stated
key it does not know fails the test, so nothing a source states is skipped.
Checksums and frame lengths are re-checked here with the rule of ant_xiaomi.md
§3.2/§3.3, written out again, not with the code under test.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.model import Snapshot, kind_of
from app.model.plausible import plausible
from app.protocols import DecodeError, get_protocol
from app.protocols.xiaomi import framing as fr
from app.protocols.xiaomi.registers import BMS_ROWS, encode_image, read_rows, window

DATA = Path(__file__).parent / "data" / "xiaomi_frames.json"
FRAMES: list[dict[str, Any]] = json.loads(DATA.read_text(encoding="utf-8"))["frames"]
PID = {"m365_serial": "m365", "ninebot_serial": "ninebot"}
HEADER = {"m365": b"\x55\xaa", "ninebot": b"\x5a\xa5"}
#: whole frame = L + this (§3.2: L = data + 2, 6 more bytes; §3.3: L = data, 9 more)
OVERHEAD = {"m365": 6, "ninebot": 9}

#: the one capture whose bytes disagree with themselves: CamiAlfa edited the serial
#: number by hand (15 characters where the length byte announces 14) and fixed the
#: checksum but not the length byte (the corpus notes say so)
EDITED = "m365_bms_0x10_serial_edited"
GOOD = [e for e in FRAMES if e["id"] != EDITED]


def by_id(frame_id: str) -> dict[str, Any]:
    return next(e for e in FRAMES if e["id"] == frame_id)


def raw(frame_id: str) -> bytes:
    return bytes.fromhex(by_id(frame_id)["hex"])


def pid(entry: dict[str, Any]) -> str:
    return PID[entry["protocol"]]


def ids(entries: list[dict[str, Any]]) -> list[str]:
    return [e["id"] for e in entries]


def valid(frame: bytes, protocol: str) -> bool:
    """Independent check: header, length byte and (sum of L..data) XOR 0xFFFF, LE."""
    if frame[:2] != HEADER[protocol] or len(frame) < 3:
        return False
    if len(frame) != frame[2] + OVERHEAD[protocol]:
        return False
    return int.from_bytes(frame[-2:], "little") == (sum(frame[2:-2]) & 0xFFFF) ^ 0xFFFF


def build(protocol: str, fields: bytes, data: bytes) -> bytes:
    """A frame built by the rule of §3.2/§3.3, for constructed inputs (not the code under test).
    ``fields``: ADDR CMD IDX (Xiaomi) or SRC DST CMD IDX (Ninebot)."""
    n = len(data) + (2 if protocol == "m365" else 0)
    body = bytes([n]) + fields + data
    return HEADER[protocol] + body + ((sum(body) & 0xFFFF) ^ 0xFFFF).to_bytes(2, "little")


def decoded(entry: dict[str, Any], **options: str) -> tuple[str, dict[str, Any]]:
    """(kind of the first message, every message's fields merged, first one wins)."""
    protocol = get_protocol(pid(entry)).bind(options)
    messages = protocol.decode_all(bytes.fromhex(entry["hex"]))
    merged: dict[str, Any] = {}
    for message in messages:
        for key, value in message.to_fields().items():
            merged.setdefault(key, value)
    return kind_of(messages[0]), merged


# --- the corpus itself ----------------------------------------------------------------------
@pytest.mark.parametrize("entry", GOOD, ids=ids(GOOD))
def test_capture_is_one_whole_frame(entry: dict[str, Any]) -> None:
    assert valid(bytes.fromhex(entry["hex"]), pid(entry))


def test_edited_capture_fails_only_its_length_byte() -> None:
    frame = raw(EDITED)
    assert (sum(frame[2:-2]) & 0xFFFF) ^ 0xFFFF == int.from_bytes(frame[-2:], "little")
    assert len(frame) == frame[2] + OVERHEAD["m365"] + 1


# --- stated values ---------------------------------------------------------------------------
def _equal(name: str) -> Callable[[dict, dict, Any], None]:
    def check(entry: dict, fields: dict, value: Any) -> None:
        assert name in fields, f"{name} missing from {sorted(fields)}"
        if isinstance(value, float):
            assert fields[name] == pytest.approx(value, abs=1e-9), name
        else:
            assert fields[name] == value, name

    return check


def _cell(index: int) -> Callable[[dict, dict, float], None]:
    def check(entry: dict, fields: dict, value: float) -> None:
        assert fields["cell_voltages_v"][index] == pytest.approx(value, abs=1e-9)

    return check


def _status_fields(entry: dict, fields: dict, value: str) -> None:
    # "remaining mAh, percent, current (A/100), pack voltage, temperature": the five
    # quantities of a read of 0x31..0x35, under their canonical names
    assert value == "remaining mAh, percent, current (A/100), pack voltage, temperature"
    for name in ("capacity_remaining_ah", "soc_pct", "current_a", "pack_voltage_v", "temperatures_c"):
        assert name in fields, name
    # "current (A/100)": the word is 1, so 0.01 A (its sign is the §3.4 conflict)
    assert abs(fields["current_a"]) == pytest.approx(0.01)


def _total_distance(entry: dict, fields: dict, value: float) -> None:
    # CamiAlfa writes 0x0000088A metres as "2.1km": cut, not rounded (the same source
    # writes 0x00006586 as "25.99km"). The bytes say 2.186 km, and that is asserted.
    km = fields["xiaomi_esc_total_distance_km"]
    assert km == pytest.approx(2.186)
    assert math.floor(km * 10) / 10 == value


def _word_after(name: str, position: int) -> Callable[[dict, dict, int], None]:
    def check(entry: dict, fields: dict, value: int) -> None:
        assert fields[name][position] == value

    return check


def _charge_start(entry: dict, fields: dict, value: str) -> None:
    # The log marks this ESC->dashboard frame as the moment the charger went in; its
    # bytes (sparkplug619's x1struct: mode, battery LEDs, light, beep) carry beep
    # request 1 where the frame before carried 0.  Packbench reports the beep code and
    # does not claim an event the bytes do not name.
    assert value == "charge start"
    assert fields["xiaomi_beep"] == 1 and fields["direction"] == "reply"


#: what each source's words state about a host command, in our names
MEANINGS: dict[str, dict[str, Any]] = {
    # "read BMS 0x12 bytes from word 0x10 (serial, version, capacity)"
    "m365_req_bms_0x10_len18": dict(register=0x10, length=0x12, operation="read", xiaomi_target="bms"),
    # "write ESC reg 0x7C cruise = 1 (on), cmd 0x03"
    "m365_write_esc_cruise_on": dict(
        register=0x7C, raw_value=1, operation="write", xiaomi_target="esc", xiaomi_esc_cruise=1
    ),
    # 'write ESC PIN "123456" (reg 0x17)': the PIN itself is never decoded (below)
    "m365_write_esc_pin": dict(register=0x17, length=6, operation="write", xiaomi_target="esc"),
    # '"info": read 0x20 bytes from BMS word 0x10 (serial, fw, capacities, cycles)'
    "nb_req_bms_info": dict(register=0x10, length=0x20, operation="read", xiaomi_target="bms"),
    # '"status": read 0x20 bytes from word 0x30'
    "nb_req_bms_status": dict(register=0x30, length=0x20, operation="read", xiaomi_target="bms"),
}


def _meaning(entry: dict, fields: dict, value: str) -> None:
    for name, want in MEANINGS[entry["id"]].items():
        assert fields.get(name) == want, f"{name}: {fields.get(name)!r} != {want!r}"
    if entry["id"] == "nb_req_bms_info":
        # "(serial, fw, capacities, cycles)"
        assert {
            "serial_number",
            "software_version",
            "capacity_nominal_ah",
            "capacity_full_ah",
            "cycles",
        } <= set(fields["xiaomi_fields"])


#: the sources' names -> how our decode states the same thing
STATED: dict[str, Callable[[dict, dict, Any], None]] = {
    "meaning": _meaning,
    "fields": _status_fields,
    "cell_1_v": _cell(0),
    "bms_version_guess": _equal("xiaomi_esc_bms_firmware_version"),
    "reg_0x68": _word_after("xiaomi_words", 1),  # a read from 0x67: its second word is 0x68
    "remaining_km": _equal("xiaomi_esc_remaining_km"),
    "battery_pct": _equal("xiaomi_esc_battery_pct"),
    "total_distance_km": _total_distance,
    "frame_temp_c": _equal("xiaomi_esc_frame_temperature_c"),
    "event": _charge_start,
}
WITH_EXPECTED = [e for e in GOOD if e["expected"]]


@pytest.mark.parametrize("entry", WITH_EXPECTED, ids=ids(WITH_EXPECTED))
def test_stated_values(entry: dict[str, Any]) -> None:
    _kind, fields = decoded(entry)
    for key, value in entry["expected"].items():
        assert key in STATED, f"stated key {key!r} has no mapping in STATED"
        STATED[key](entry, fields, value)


def test_edited_capture_is_refused_and_its_capacity_is_there_once_repaired() -> None:
    frame = raw(EDITED)
    protocol = get_protocol("m365")
    with pytest.raises(DecodeError, match="after the end of the frame"):
        protocol.decode(frame)
    # The stated 7800 mAh sits in word 0x18.  With the serial cut to the 14 characters
    # the length byte announces, and the checksum made again, the frame decodes to it.
    data = frame[6:-2]
    repaired = build("m365", frame[3:6], data[:13] + data[14:])
    fields: dict[str, Any] = {}
    for message in protocol.decode_all(repaired):
        fields.update(message.to_fields())
    assert fields["capacity_nominal_ah"] == pytest.approx(by_id(EDITED)["expected"]["capacity_mah"] / 1000)
    assert fields["software_version"] == "1.1.5"  # bytes 15 01 (the corpus notes)


def test_pin_stays_out_of_the_decoded_output() -> None:
    frame = raw("m365_write_esc_pin")
    assert b"123456" in frame
    _kind, fields = decoded(by_id("m365_write_esc_pin"))
    assert "123456" not in json.dumps(fields) and "313233" not in json.dumps(fields)


def test_pack_voltage_is_10_mv_the_cells_of_the_same_session_agree() -> None:
    # §3.4: 0x34 in 10 mV (CamiAlfa's header says "volts*10", which would be 410.5 V for
    # 0x1009).  The cells captured in the same session add up to the 10 mV reading.
    _k, status = decoded(by_id("m365_bms_0x31_status"))
    _k, cells = decoded(by_id("m365_bms_0x40_cells"))
    assert status["pack_voltage_v"] == pytest.approx(sum(cells["cell_voltages_v"]), abs=0.05)


#: what each kind of captured frame decodes to (the corpus's frame_type, not ours)
KINDS = {
    "command": {"command"},
    "bms_info": {"device_info", "settings", "live"},
    "status": {"live"},
    "cells": {"live"},
    "esc_info": {"register"},
    "esc_status": {"register"},
    "dashboard": {"ble_module"},
}


@pytest.mark.parametrize("entry", GOOD, ids=ids(GOOD))
def test_every_capture_decodes_to_its_kind(entry: dict[str, Any]) -> None:
    kind, fields = decoded(entry)
    assert kind in KINDS[entry["frame_type"]], (kind, fields)
    if entry["frame_type"] == "cells":
        assert len(fields["cell_voltages_v"]) == 10  # stock 10S: cells 11-15 read 0, left out


@pytest.mark.parametrize("entry", GOOD, ids=ids(GOOD))
def test_the_other_framing_refuses_the_capture(entry: dict[str, Any]) -> None:
    other = "ninebot" if pid(entry) == "m365" else "m365"
    with pytest.raises(DecodeError):
        get_protocol(other).decode(bytes.fromhex(entry["hex"]))


# --- the reader ---------------------------------------------------------------------------------
def reader_for(protocol: str) -> fr.XiaomiFrameReader:
    return get_protocol(protocol).new_reader()


def cut(protocol: str, chunks: list[bytes]) -> list[bytes]:
    reader = reader_for(protocol)
    out: list[bytes] = []
    for chunk in chunks:
        out += [f.data for f in reader.feed(chunk)]
    return out


JUNK = b"\x55\x00\x5a\x01AT\r\n\xaa\xa5\x55"


@pytest.mark.parametrize("entry", GOOD, ids=ids(GOOD))
def test_reader_cuts_the_capture_split_anywhere(entry: dict[str, Any]) -> None:
    frame = bytes.fromhex(entry["hex"])
    p = pid(entry)
    assert cut(p, [frame]) == [frame]
    assert cut(p, [bytes([b]) for b in frame]) == [frame]
    for i in range(len(frame) + 1):
        assert cut(p, [frame[:i], frame[i:]]) == [frame], i
    assert cut(p, [JUNK + frame + JUNK, JUNK]) == [frame]


@pytest.mark.parametrize("protocol", ["m365", "ninebot"])
def test_reader_cuts_a_whole_session_in_order(protocol: str) -> None:
    frames = [bytes.fromhex(e["hex"]) for e in GOOD if pid(e) == protocol]
    stream = JUNK.join(frames)
    assert cut(protocol, [stream]) == frames
    assert cut(protocol, [stream[i : i + 7] for i in range(0, len(stream), 7)]) == frames
    # the other framing's reader finds nothing in it
    assert cut("ninebot" if protocol == "m365" else "m365", [stream]) == []


@pytest.mark.parametrize("entry", GOOD, ids=ids(GOOD))
def test_a_truncated_frame_never_swallows_the_next(entry: dict[str, Any]) -> None:
    frame = bytes.fromhex(entry["hex"])
    p = pid(entry)
    following = next(bytes.fromhex(e["hex"]) for e in GOOD if pid(e) == p and e is not entry)
    for k in range(1, len(frame)):
        assert cut(p, [frame[:k] + following]) == [following], k
        assert cut(p, [frame[:k], following]) == [following], k


def test_edited_capture_does_not_come_out_of_the_reader() -> None:
    following = raw("m365_req_bms_0x20_len6")
    assert cut("m365", [raw(EDITED) + following]) == [following]


def test_reader_drops_the_hosts_own_echo_only() -> None:
    request, reply = raw("m365_req_bms_0x31_len10"), raw("m365_bms_0x31_status")
    reader = reader_for("m365")
    reader.note_sent(request)
    # TX and RX tied: the request comes back before the answer (§3.1)
    assert [f.data for f in reader.feed(request + reply)] == [reply]
    # nothing noted: a request on the wire is someone else's (a sniffed ESC) and is kept
    assert [f.data for f in reader.feed(request)] == [request]
    # a link without echo (TCP) leaves the note unused: it never eats an answer, and it
    # goes with the next echo of the same request
    reader.note_sent(request)
    reader.note_sent(request)
    assert [f.data for f in reader.feed(reply)] == [reply]
    assert [f.data for f in reader.feed(request + request + reply)] == [reply]
    assert [f.data for f in reader.feed(request)] == [request]
    reader.note_sent(request)
    reader.reset()
    assert [f.data for f in reader.feed(request)] == [request]


def test_reader_buffer_stays_bounded() -> None:
    reader = reader_for("m365")
    assert reader.feed(bytes(range(256)) * 40) == []
    assert len(reader._buf) <= 1
    # a header announcing the longest frame, then nothing more: held, but never more
    reader.feed(b"\x55\xaa\xff" + bytes(100))
    assert len(reader._buf) <= fr.MAX_FRAME
    reader.feed(JUNK * 2000)
    assert len(reader._buf) <= fr.XiaomiFrameReader.MAX_BUFFER


# --- encoders ------------------------------------------------------------------------------------
def _m365() -> Any:
    return get_protocol("m365")


def _nb(**options: str) -> Any:
    return get_protocol("ninebot").bind(options)


#: each captured host frame, rebuilt by Packbench's request builders
REBUILD: dict[str, Callable[[], bytes]] = {
    "m365_req_bms_0x10_len18": lambda: _m365().read(0x10, 0x12),
    "m365_req_bms_0x20_len6": lambda: _m365().read(0x20, 0x06),
    "m365_req_bms_0x1b_len4": lambda: _m365().read(0x1B, 0x04),
    "m365_req_bms_0x31_len10": lambda: _m365().read(0x31, 0x0A),
    "m365_req_bms_0x3b_len2": lambda: _m365().read(0x3B, 0x02),
    "m365_req_bms_0x40_len30": lambda: _m365().read(0x40, 0x1E),
    "m365_req_bms_0x18_len2": lambda: _m365().read(0x18, 0x02),
    "m365_req_bms_0x20_len2": lambda: _m365().read(0x20, 0x02),
    "m365_req_esc_0x67_bmsver": lambda: fr.m365_frame(fr.TO_ESC, fr.READ, 0x67, b"\x04"),
    "m365_req_esc_0x1a": lambda: fr.m365_frame(fr.TO_ESC, fr.READ, 0x1A, b"\x02"),
    "m365_write_esc_cruise_on": lambda: fr.m365_frame(fr.TO_ESC, fr.WRITE, 0x7C, b"\x01\x00"),
    "m365_write_esc_pin": lambda: fr.m365_frame(fr.TO_ESC, fr.WRITE, 0x17, b"123456"),
    "nb_req_bms_info": lambda: _nb().read(0x10, 0x20),
    "nb_req_bms_status": lambda: _nb().read(0x30, 0x20),
    "nb_z10_req_0x10": lambda: _nb(address="0x12", host="0x14").read(0x10, 0x10),
    "nb_z10_req_0x30": lambda: _nb(address="0x12", host="0x14").read(0x30, 0x0C),
    "nb_z10_req_0x55_0x30": lambda: fr.ninebot_frame(0x14, 0x12, 0x55, 0x30, b"\x0c"),
    "nb_req_esc_to_bms_0x30": lambda: fr.ninebot_frame(fr.NB_ESC, 0x22, fr.READ, 0x30, b"\x0c"),
    "nb_req_app_to_bms_0x80": lambda: _nb(host="0x3e").read(0x80, 0x32),
}
COMMANDS = [e for e in GOOD if e["frame_type"] == "command"]


def test_every_captured_command_has_a_builder() -> None:
    assert sorted(REBUILD) == sorted(ids(COMMANDS))


@pytest.mark.parametrize("entry", COMMANDS, ids=ids(COMMANDS))
def test_builders_reproduce_captured_commands(entry: dict[str, Any]) -> None:
    assert REBUILD[entry["id"]]() == bytes.fromhex(entry["hex"])


def test_the_protocols_own_reads_are_the_captured_ones() -> None:
    nb = get_protocol("ninebot")
    # HJ tool's "info" and "status" requests are the Ninebot settings/status reads
    assert nb.read(0x30, 0x20) == raw("nb_req_bms_status")
    assert nb.settings_requests()[0][:7] == raw("nb_req_bms_info")[:7]
    assert _m365().poll_requests()[1] == raw("m365_req_bms_0x40_len30")


BMS_REPLIES = [e for e in GOOD if pid(e) == "m365" and e["hex"][6:8] == "25"]


@pytest.mark.parametrize("entry", BMS_REPLIES, ids=ids(BMS_REPLIES))
def test_register_rows_encode_what_they_decode(entry: dict[str, Any]) -> None:
    """The rows a simulator will answer from rebuild the captured BMS replies exactly."""
    frame = bytes.fromhex(entry["hex"])
    index, data = frame[5], frame[6:-2]
    image = encode_image(BMS_ROWS, read_rows(BMS_ROWS, index, data))
    assert fr.bms_reply(fr.M365, index, window(image, index, len(data))) == frame


# --- fuzz -----------------------------------------------------------------------------------
def _chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    out, last = [], 0
    for p in points:
        out.append(data[last:p])
        last = p
    out.append(data[last:])
    return out


SAMPLES = {p: [bytes.fromhex(e["hex"]) for e in GOOD if pid(e) == p] for p in HEADER}
ALL_SAMPLES = SAMPLES["m365"] + SAMPLES["ninebot"]

_piece = st.one_of(
    st.binary(max_size=64),
    st.sampled_from([HEADER["m365"], HEADER["ninebot"], JUNK, b"\x55", b"\x5a", b"\x55\xaa\xff"]),
    st.sampled_from(ALL_SAMPLES),
    st.tuples(st.sampled_from(ALL_SAMPLES), st.integers(1, 60)).map(lambda t: t[0][: t[1]]),
    st.tuples(st.sampled_from(ALL_SAMPLES), st.integers(0, 60), st.integers(1, 255)).map(
        lambda t: t[0][: t[1]] + bytes([t[0][t[1] % len(t[0])] ^ t[2]]) + t[0][t[1] + 1 :]
    ),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    protocol=st.sampled_from(["m365", "ninebot"]),
    pieces=st.lists(_piece, max_size=12),
    cuts=st.lists(st.integers(0, 3000), max_size=30),
)
def test_fuzz_reader_yields_only_valid_frames(protocol: str, pieces: list[bytes], cuts: list[int]) -> None:
    reader = reader_for(protocol)
    for chunk in _chunks(b"".join(pieces), cuts):
        for frame in reader.feed(chunk):
            assert valid(frame.data, protocol), frame.data.hex()
    assert len(reader._buf) <= fr.MAX_FRAME


_junk = st.binary(max_size=200).filter(lambda b: b"\x55\xaa" not in b and b"\x5a\xa5" not in b)


@settings(max_examples=200, deadline=None)
@given(
    frame=st.sampled_from(ALL_SAMPLES),
    before=_junk,
    after=_junk,
    cuts=st.lists(st.integers(0, 600), max_size=30),
)
def test_fuzz_frame_in_junk_found_exactly_once(
    frame: bytes, before: bytes, after: bytes, cuts: list[int]
) -> None:
    stream = before + frame + after
    header = frame[:2]
    # junk must not make a header with the frame's edges
    assume(stream.count(header) == frame.count(header))
    protocol = "m365" if header == HEADER["m365"] else "ninebot"
    assert cut(protocol, _chunks(stream, cuts)) == [frame]


def _assert_plausible(messages: list) -> None:
    for message in messages:
        kind_of(message)
        json.dumps(message.to_fields())
        if isinstance(message, Snapshot):
            for name, value in message.to_fields().items():
                values = value if isinstance(value, list) else [value]
                assert all(plausible(name, v) for v in values), (name, value)


_fields = {
    "m365": st.tuples(
        st.sampled_from([0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x01, 0x99]),
        st.sampled_from([0x01, 0x02, 0x03, 0x61, 0x64, 0x65, 0x7F]),
        st.integers(0, 0xFF),
    ).map(bytes),
    "ninebot": st.tuples(
        st.sampled_from([0x3D, 0x3E, 0x20, 0x21, 0x22, 0x23, 0x12, 0x14]),
        st.sampled_from([0x3D, 0x20, 0x21, 0x22, 0x23, 0x11, 0x12]),
        st.sampled_from([0x01, 0x02, 0x03, 0x04, 0x05, 0x55, 0x5B]),
        st.integers(0, 0xFF),
    ).map(bytes),
}


@settings(max_examples=400, deadline=None)
@given(
    data=st.data(),
    protocol=st.sampled_from(["m365", "ninebot"]),
    payload=st.binary(max_size=80),
    sign=st.sampled_from(["discharge_positive", "charge_positive"]),
    order=st.sampled_from(["low_first", "high_first"]),
)
def test_fuzz_decoders_on_valid_frames(
    data: Any, protocol: str, payload: bytes, sign: str, order: str
) -> None:
    """Any checksum-valid frame decodes (or is refused with DecodeError) and gives only
    values a board can mean: implausible ones are left to model/plausible.py."""
    frame = build(protocol, data.draw(_fields[protocol]), payload)
    p = get_protocol(protocol).bind({"current_sign": sign, "temp_order": order})
    try:
        messages = p.decode_all(frame)
    except DecodeError:
        return
    assert messages
    _assert_plausible(messages)
    assert p.redact(frame)[:2] == frame[:2]


@settings(max_examples=300, deadline=None)
@given(blob=st.binary(max_size=120), protocol=st.sampled_from(["m365", "ninebot"]))
def test_fuzz_decoders_on_any_bytes(blob: bytes, protocol: str) -> None:
    p = get_protocol(protocol)
    for frame in (blob, HEADER[protocol] + blob):
        try:
            _assert_plausible(p.decode_all(frame))
        except DecodeError:
            pass
        assert p.redact(frame) is not None
