"""Hypothesis fuzzing of the Daly frame readers and decoders (design.md "Tests that mean something").

Streams are built from pieces that make a reader work: random bytes, the real frames
of tests/data/daly_frames.json (see test_daly_frames.py), truncated frames and frames
with one byte flipped, split at random points.  What must hold: nothing raises but
DecodeError, every frame a reader yields passes its checksum (the one D2 write echo
kept by content excepted, framing.py), a frame in garbage is found exactly once, the
buffer stays bounded.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_daly_frames import A5, CUTTABLE, D2, expected_cut, proto

from app.protocols import DecodeError
from app.protocols.checksums import modbus_crc_ok as crc_ok
from app.protocols.checksums import sum8
from app.protocols.daly import a5, modbus
from app.protocols.daly.framing import (
    A5_START,
    MODBUS_STARTS,
    UNCHECKED_ECHO,
    A5FrameReader,
    ModbusFrameReader,
    a5_valid,
)

# --- hypothesis --------------------------------------------------------------------------------
SAMPLES_A5 = [d for f in CUTTABLE if proto(f) is A5 for d in expected_cut(f)]
SAMPLES_MB = [d for f in CUTTABLE if proto(f) is D2 and f["id"] != "daly_bal_21" for d in expected_cut(f)]


def _chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    out, last = [], 0
    for p in points:
        out.append(data[last:p])
        last = p
    return out + [data[last:]]


def _pieces(samples: list[bytes]):
    return st.one_of(
        st.binary(max_size=40),
        st.sampled_from(samples),
        st.tuples(st.sampled_from(samples), st.integers(1, 200)).map(lambda t: t[0][: t[1] % len(t[0])]),
        st.tuples(st.sampled_from(samples), st.integers(0, 300), st.integers(1, 255)).map(
            lambda t: (
                t[0][: t[1] % len(t[0])]
                + bytes([t[0][t[1] % len(t[0])] ^ t[2]])
                + t[0][t[1] % len(t[0]) + 1 :]
            )
        ),
    )


def _valid_modbus(frame: bytes, tag: str) -> bool:
    if tag == UNCHECKED_ECHO:
        return len(frame) == 8 and frame[:2] == b"\xd2\x06"
    return frame[0] in MODBUS_STARTS and crc_ok(frame)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(_pieces(SAMPLES_A5), max_size=10), cuts=st.lists(st.integers(0, 3000), max_size=30))
def test_fuzz_a5_reader_never_raises_and_yields_only_valid_frames(pieces, cuts) -> None:
    reader = A5FrameReader()
    for chunk in _chunks(b"".join(pieces), cuts):
        for frame in reader.feed(chunk):
            assert a5_valid(frame.data) and frame.data[0] == A5_START
    assert len(reader._buf) <= reader.MAX_BUFFER


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(_pieces(SAMPLES_MB), max_size=8), cuts=st.lists(st.integers(0, 3000), max_size=30))
def test_fuzz_modbus_reader_never_raises_and_yields_only_checked_frames(pieces, cuts) -> None:
    reader = ModbusFrameReader()
    for chunk in _chunks(b"".join(pieces), cuts):
        for frame in reader.feed(chunk):
            assert _valid_modbus(frame.data, frame.frame_type), frame.data.hex()
            D2.decode_all(frame.data)  # whatever the reader passes decodes


_no_start_a5 = st.binary(max_size=60).filter(lambda b: A5_START not in b)
_no_start_mb = st.binary(max_size=60).filter(lambda b: not set(b) & set(MODBUS_STARTS))


@settings(max_examples=150, deadline=None)
@given(
    frame=st.sampled_from(SAMPLES_A5),
    before=_no_start_a5,
    after=_no_start_a5,
    cuts=st.lists(st.integers(0, 400), max_size=20),
)
def test_fuzz_a5_frame_in_garbage_found_once(frame, before, after, cuts) -> None:
    reader = A5FrameReader()
    got = [f.data for c in _chunks(before + frame + after, cuts) for f in reader.feed(c)]
    assert got == [frame]


@settings(max_examples=150, deadline=None)
@given(
    frame=st.sampled_from(SAMPLES_MB),
    before=_no_start_mb,
    after=_no_start_mb,
    cuts=st.lists(st.integers(0, 400), max_size=20),
)
def test_fuzz_modbus_frame_in_garbage_found_once(frame, before, after, cuts) -> None:
    reader = ModbusFrameReader()
    got = [f.data for c in _chunks(before + frame + after, cuts) for f in reader.feed(c)]
    assert got == [frame]


def _decodes_or_refuses(protocol, data: bytes) -> None:
    try:
        protocol.decode_all(data)
        protocol.decode(data)
    except DecodeError:
        pass


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=300))
def test_fuzz_decoders_raise_only_decode_error(data: bytes) -> None:
    for protocol in (A5, D2):
        _decodes_or_refuses(protocol, data)


@settings(max_examples=300, deadline=None)
@given(
    address=st.sampled_from([0x01, 0x40, 0x80]),
    data_id=st.integers(0, 255),
    data=st.binary(min_size=8, max_size=8),
    run=st.integers(1, 17),
)
def test_fuzz_a5_decoder_on_checksummed_frames(address, data_id, data, run) -> None:
    """Frames that pass the checksum, one or a run: a message or a DecodeError, never a crash."""
    one = bytes([0xA5, address, data_id, 0x08]) + data
    frame = one + bytes([sum8(one)])
    parts = [frame] + [a5.response(data_id, bytes([n]) + data[1:]) for n in range(2, run + 1)]
    _decodes_or_refuses(A5, b"".join(parts) if address == 0x01 else frame)


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.integers(0, 0xFFFF), min_size=1, max_size=80),
    variant=st.sampled_from([modbus.D2, modbus.P81]),
)
def test_fuzz_modbus_decoder_on_replies_of_every_length(words, variant) -> None:
    _decodes_or_refuses(D2, modbus.build_reply(words, variant))
