"""The ANT frame readers: every captured frame is cut correctly, whole, split at every
byte, in BLE-sized notifications and with garbage around it; a truncated frame never
swallows the next one; fuzzing finds no exception and no invalid frame; the decoders
raise nothing but DecodeError.

Frames: tests/data/ant_frames.json (copied from ../shared/frames/ant.json).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.protocols import DecodeError, get_protocol
from app.protocols.ant import framing as fr

DATA = Path(__file__).parent / "data" / "ant_frames.json"
FRAMES: list[dict[str, Any]] = json.loads(DATA.read_text(encoding="utf-8"))["frames"]
BY_PROTOCOL = {
    p: [bytes.fromhex(e["hex"]) for e in FRAMES if e["protocol"] == p] for p in ("ant_2021", "ant_legacy")
}
HEADERS = {"ant_2021": (fr.HEADER_2021,), "ant_legacy": (fr.STATUS_HEADER,) + fr.SHORT_HEADERS}
CHECK = {"ant_2021": fr.check_2021, "ant_legacy": fr.check_legacy}


def _reader(protocol: str) -> fr.AntReader:
    return get_protocol(protocol).new_reader()


def _cut(protocol: str, chunks: list[bytes]) -> list[bytes]:
    reader = _reader(protocol)
    return [f.data for chunk in chunks for f in reader.feed(chunk)]


CASES = [(e["protocol"], bytes.fromhex(e["hex"]), e["id"]) for e in FRAMES]


@pytest.mark.parametrize("protocol, frame, fid", CASES, ids=[c[2] for c in CASES])
def test_each_frame_cut_whole_split_and_in_garbage(protocol: str, frame: bytes, fid: str) -> None:
    assert CHECK[protocol](frame) is None
    assert _cut(protocol, [frame]) == [frame]
    assert _cut(protocol, [frame[i : i + 1] for i in range(len(frame))]) == [frame]
    assert _cut(protocol, [frame[i : i + 20] for i in range(0, len(frame), 20)]) == [frame]
    for cut in range(1, len(frame)):
        assert _cut(protocol, [frame[:cut], frame[cut:]]) == [frame], cut
    # garbage around it: bytes that start no header (a lone 0x55, 0xAA, 0x7E too)
    junk = b"\x00\x55\xaa\x7e\x13\x55\x55\xff"
    assert _cut(protocol, [junk + frame + junk]) == [frame]
    assert _cut(protocol, [junk + frame + junk + frame]) == [frame, frame]


def test_frame_type_tags() -> None:
    tags = {fr.tag_2021(f) for f in BY_PROTOCOL["ant_2021"]}
    assert tags == {"command", 0x11, 0x12, 0x14, 0x15, 0x42, 0x43, 0x61}
    legacy = [f.frame_type for f in _reader("ant_legacy").feed(b"".join(BY_PROTOCOL["ant_legacy"]))]
    assert set(legacy) == {"status", "command"} and len(legacy) == len(BY_PROTOCOL["ant_legacy"])


def test_2021_reply_with_and_without_the_6_byte_record() -> None:
    """§2.1: 0x12 replies carry FF 0B 00 00 + CRC before AA 55; esphome's test frame has none."""
    real = bytes.fromhex("7ea11200000236101f14ff0b000041f2aa55")
    bare = bytes.fromhex("7ea11200000236101f14aa55")
    assert _cut("ant_2021", [real + bare + real]) == [real, bare, real]
    broken = real[:14] + b"\x00" + real[15:]  # the record's CRC no longer fits
    assert fr.check_2021(broken) is not None and _cut("ant_2021", [broken]) == []


def test_aa55_inside_the_data_does_not_end_a_frame() -> None:
    """esphome #172: the trailer text may hold 0x55 ('U'); the 24BH device info has 'UB'."""
    info = next(f for f in BY_PROTOCOL["ant_2021"] if f[2] == 0x12 and b"UB" in f)
    assert _cut("ant_2021", [info[i : i + 20] for i in range(0, len(info), 20)]) == [info]


@pytest.mark.parametrize("protocol", ["ant_2021", "ant_legacy"])
def test_truncated_frame_never_swallows_the_next(protocol: str) -> None:
    frames = BY_PROTOCOL[protocol]
    for first in frames[::7]:
        for second in frames[::5]:
            for cut in sorted({1, 3, len(first) // 2, len(first) - 1}):
                # the rest of the stream arrives after the truncated one, in one go or bytewise
                assert _cut(protocol, [first[:cut], second]) == [second], (first.hex(), cut)
                pieces = [first[:cut]] + [second[i : i + 1] for i in range(len(second))]
                assert _cut(protocol, pieces) == [second], (first.hex(), cut)


def test_legacy_status_in_ble_notifications_then_a_short_reply() -> None:
    status = next(f for f in BY_PROTOCOL["ant_legacy"] if len(f) == 140)
    reply = bytes.fromhex("5a5a030e4253")  # a parameter reply: 3 = 3650 mV (checksum 03+0E+42)
    assert fr.check_short(reply) is None
    chunks = [status[i : i + 20] for i in range(0, 140, 20)] + [reply]
    assert _cut("ant_legacy", chunks) == [status, reply]


@pytest.mark.parametrize("protocol", ["ant_2021", "ant_legacy"])
def test_reset_forgets_a_partial_frame(protocol: str) -> None:
    frame = max(BY_PROTOCOL[protocol], key=len)
    reader = _reader(protocol)
    assert reader.feed(frame[: len(frame) // 2]) == []
    reader.reset()
    assert reader.feed(frame[len(frame) // 2 :]) == []
    assert [f.data for f in reader.feed(frame)] == [frame]


# --- hypothesis -----------------------------------------------------------------------------
def _chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    out, last = [], 0
    for p in points:
        out.append(data[last:p])
        last = p
    out.append(data[last:])
    return out


def _pieces(protocol: str) -> st.SearchStrategy[bytes]:
    frames = BY_PROTOCOL[protocol]
    return st.one_of(
        st.binary(max_size=48),
        st.sampled_from(list(HEADERS[protocol]) + [h[:1] for h in HEADERS[protocol]]),
        st.sampled_from(frames),
        st.tuples(st.sampled_from(frames), st.integers(1, 200)).map(lambda t: t[0][: t[1]]),
        st.tuples(st.sampled_from(frames), st.integers(0, 200), st.integers(1, 255)).map(
            lambda t: (
                t[0][: t[1] % len(t[0])]
                + bytes([t[0][t[1] % len(t[0])] ^ t[2]])
                + t[0][t[1] % len(t[0]) + 1 :]
            )
        ),
    )


@pytest.mark.parametrize("protocol", ["ant_2021", "ant_legacy"])
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), cuts=st.lists(st.integers(0, 4000), max_size=30))
def test_fuzz_reader_yields_only_valid_frames(protocol: str, data: Any, cuts: list[int]) -> None:
    stream = b"".join(data.draw(st.lists(_pieces(protocol), max_size=10)))
    reader = _reader(protocol)
    decoder = get_protocol(protocol)
    for chunk in _chunks(stream, cuts):
        for frame in reader.feed(chunk):
            assert CHECK[protocol](frame.data) is None, frame.data.hex()
            try:
                decoder.decode(frame.data)
            except DecodeError:
                pass  # e.g. a status reply whose LEN is too short for its own cell count
        assert len(reader._buf) <= fr.AntReader.MAX_BUFFER


@pytest.mark.parametrize("protocol", ["ant_2021", "ant_legacy"])
@settings(max_examples=200, deadline=None)
@given(
    frame_index=st.integers(0, 200),
    before=st.binary(max_size=300),
    after=st.binary(max_size=300),
    cuts=st.lists(st.integers(0, 1000), max_size=30),
)
def test_fuzz_frame_in_random_bytes_found_once(
    protocol: str, frame_index: int, before: bytes, after: bytes, cuts: list[int]
) -> None:
    frames = BY_PROTOCOL[protocol]
    frame = frames[frame_index % len(frames)]
    stream = before + frame + after
    # random bytes may hold headers of their own: only streams where the frame's own
    # header bytes are the only ones make "exactly once" a fair claim
    for h in HEADERS[protocol]:
        assume(stream.count(h) == frame.count(h) and h not in before[-len(h) :] + frame[: len(h) - 1])
    assert _cut(protocol, _chunks(stream, cuts)) == [frame]


@pytest.mark.parametrize("protocol", ["ant_2021", "ant_legacy"])
@settings(max_examples=300, deadline=None)
@given(blob=st.binary(max_size=300))
def test_fuzz_decode_raises_only_decode_error(protocol: str, blob: bytes) -> None:
    proto = get_protocol(protocol)
    for data in (blob, bytes.fromhex("7ea1") + blob, bytes.fromhex("aa55aaff") + blob):
        try:
            proto.decode(data)
        except DecodeError:
            pass


@pytest.mark.parametrize("protocol", ["ant_2021", "ant_legacy"])
@settings(max_examples=300, deadline=None)
@given(index=st.integers(0, 500), position=st.integers(0, 300), xor=st.integers(1, 255))
def test_fuzz_decode_of_corrupted_frames(protocol: str, index: int, position: int, xor: int) -> None:
    """A corrupted frame is rejected by its checksum or decodes to something: never a crash."""
    frames = BY_PROTOCOL[protocol]
    frame = bytearray(frames[index % len(frames)])
    frame[position % len(frame)] ^= xor
    try:
        get_protocol(protocol).decode(bytes(frame))
    except DecodeError:
        pass


@pytest.mark.parametrize("protocol", ["ant_2021", "ant_legacy"])
@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(st.integers(0, 0xFFFF), min_size=20, max_size=120),
    cells=st.integers(0, 40),
    temps=st.integers(0, 10),
)
def test_fuzz_status_frames_with_valid_checksums(
    protocol: str, values: list[int], cells: int, temps: int
) -> None:
    """Frames that pass the checksum but carry any bytes at all (a board gone wrong)."""
    body = b"".join(v.to_bytes(2, "little") for v in values)
    if protocol == "ant_2021":
        data = bytes([5, 1, temps, cells]) + body
        frame = fr.frame_2021(0x11, 0, len(data[:255]), data[:255])
    else:
        payload = bytearray((body * 4)[:134].ljust(134, b"\x00"))
        payload[123 - 4] = cells  # the cell-count byte (§1.3), beyond 32 too
        frame = fr.status_frame(bytes(payload))
    try:
        message = get_protocol(protocol).decode(frame)
    except DecodeError:
        return
    assert message is not None
