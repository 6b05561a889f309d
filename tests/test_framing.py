"""The shared frame reader base (app/protocols/framing.py) and the four readers built on it.

A toy family (header ``AB CD``, a length byte that counts the whole frame, a
sum8 trailer) exercises the base on its own; then the JK, JBD, JK 4E57 and
JK-PB readers get the same treatment with real frames from tests/data.
Validity is re-checked here with an independent sum, not with the code under test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.protocols.base import Frame
from app.protocols.framing import HOLD, NO, WAIT, Cut, StreamFrameReader, Verdict
from app.protocols.jbd.framing import JbdFrameReader
from app.protocols.jk.framing import JkFrameReader
from app.protocols.jk.pb_modbus import JkPbFrameReader
from app.protocols.jk.serial4e57 import Jk4e57FrameReader

HEADER = b"\xab\xcd"


def checksum(data: bytes) -> int:
    total = 0
    for b in data:
        total = (total + b) % 256
    return total


def toy(payload: bytes) -> bytes:
    body = HEADER + bytes([len(payload) + 4]) + payload
    return body + bytes([checksum(body)])


def toy_ok(frame: bytes) -> bool:
    return (
        frame[:2] == HEADER
        and len(frame) == frame[2]
        and 4 <= frame[2] <= 40
        and checksum(frame[:-1]) == frame[-1]
    )


class ToyReader(StreamFrameReader):
    headers = (HEADER,)

    def candidate(self, buf: bytearray, pos: int) -> Verdict:
        if len(buf) - pos < 3:
            return WAIT
        n = buf[pos + 2]
        if not 4 <= n <= 40:
            return NO  # an implausible length: look for the next header
        if len(buf) - pos < n:
            return WAIT
        frame = bytes(buf[pos : pos + n])
        return Cut(n, "toy") if checksum(frame[:-1]) == frame[-1] else NO


class InnerToyReader(ToyReader):
    inner_headers = (HEADER,)


def feed_all(pieces: list[bytes], reader: StreamFrameReader | None = None) -> list[bytes]:
    reader = reader if reader is not None else ToyReader()
    return [f.data for piece in pieces for f in reader.feed(piece)]


A = toy(b"first frame")
B = toy(bytes(range(20)))
C = toy(b"")
GARBAGE = b"\x00\xab\x01garbage\xcd\xff"


def test_split_at_every_byte() -> None:
    stream = A + B + C
    for k in range(len(stream) + 1):
        assert feed_all([stream[:k], stream[k:]]) == [A, B, C], f"split at {k}"
    assert feed_all([stream[i : i + 1] for i in range(len(stream))]) == [A, B, C]


def test_a_frame_comes_out_as_soon_as_it_is_whole() -> None:
    reader = ToyReader()
    for i in range(len(A) - 1):
        assert reader.feed(A[i : i + 1]) == []
    assert [f.data for f in reader.feed(A[-1:])] == [A]
    assert reader.feed(b"") == []


def test_garbage_before_between_and_after() -> None:
    stream = GARBAGE + A + GARBAGE + GARBAGE + B + HEADER[:1] + C + GARBAGE
    assert feed_all([stream]) == [A, B, C]
    assert feed_all([stream[i : i + 5] for i in range(0, len(stream), 5)]) == [A, B, C]


def test_frame_types_are_given() -> None:
    assert [f.frame_type for f in ToyReader().feed(A + B)] == ["toy", "toy"]


@pytest.mark.parametrize("good", [A, B, C])
def test_a_truncated_frame_followed_by_a_good_one(good: bytes) -> None:
    for cut in range(1, len(A)):
        stream = A[:cut] + good
        assert feed_all([stream]) == [good], f"cut after {cut}"
        assert feed_all([stream[i : i + 3] for i in range(0, len(stream), 3)]) == [good], cut


def test_a_cut_off_frame_does_not_hold_back_a_whole_one_behind_it() -> None:
    # the first frame says 40 bytes and never gets them; the good frame behind it
    # must come out now, not when 40 bytes have arrived (a write's ack, with polling
    # paused, would otherwise wait for the next frame)
    reader = ToyReader()
    assert [f.data for f in reader.feed(HEADER + b"\x28abc" + C)] == [C]


def test_an_implausible_length_costs_one_byte() -> None:
    assert feed_all([HEADER + b"\xff" + A]) == [A]
    assert feed_all([HEADER + b"\x01" + A]) == [A]


def test_a_partial_header_at_the_end_is_kept() -> None:
    reader = ToyReader()
    assert reader.feed(b"noise" + A[:1]) == []
    assert [f.data for f in reader.feed(A[1:])] == [A]


def test_reset_forgets_a_partial_frame() -> None:
    reader = ToyReader()
    reader.feed(A[:7])
    reader.reset()
    assert feed_all([A[7:], B], reader) == [B]


def _swallower() -> tuple[bytes, bytes]:
    """A cut-off frame whose window the next frame fills, and which passes its sum."""
    good = toy(b"ok")  # AB CD 06 'o' 'k' ck
    for n in range(len(good) + 4, 41):
        head = HEADER + bytes([n])
        window = head + good
        window += bytes(n - 1 - len(window))
        window += bytes([checksum(window)])
        if toy_ok(window) and window[3 : 3 + len(good)] == good:
            return window, good
    raise AssertionError("no window found")


def test_inner_headers_keep_a_truncated_frame_from_swallowing_the_next() -> None:
    window, good = _swallower()
    # without the rule the checksum passes and the good frame is swallowed
    assert feed_all([window]) == [window]
    # with it, the good frame that starts inside wins
    assert feed_all([window], InnerToyReader()) == [good]
    # and a good frame merely holding a header in its data is not lost
    holder = toy(b"x" + HEADER + b"\x05y")
    assert feed_all([holder, A], InnerToyReader()) == [holder, A]


def test_keep_drops_whole_frames_it_does_not_want() -> None:
    class OnlyA(ToyReader):
        def keep(self, frame: Frame) -> bool:
            return frame.data == A

    assert feed_all([B + A + C + A], OnlyA()) == [A, A]


def test_hold_takes_nothing_later_first() -> None:
    class Holding(ToyReader):
        def candidate(self, buf: bytearray, pos: int) -> Verdict:
            if buf[pos : pos + 3] == HEADER + b"\x00":
                return HOLD if len(buf) - pos < 50 else NO
            return super().candidate(buf, pos)

    reader = Holding()
    assert reader.feed(HEADER + b"\x00" + A) == []  # A waits behind the held candidate
    assert [f.data for f in reader.feed(bytes(50))] == [A]


def test_the_buffer_is_bounded_between_calls() -> None:
    class Small(ToyReader):
        MAX_BUFFER = 16

    reader = Small()
    reader.feed(HEADER + b"\x28" + bytes(30))  # a 40-byte frame that never completes
    assert len(reader._buf) <= 16
    reader = ToyReader()
    reader.feed(bytes(10_000))
    assert len(reader._buf) <= ToyReader.MAX_BUFFER


def test_one_feed_larger_than_the_buffer_loses_no_frame() -> None:
    frames = [toy(bytes([i]) * 30) for i in range(200)]  # 6,800 bytes in one read
    assert feed_all([b"".join(frames)]) == frames


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.binary(max_size=30),
            st.sampled_from([A, B, C, HEADER, HEADER + b"\x28"]),
            st.sampled_from([A, B]).map(lambda f: f[: len(f) // 2]),
        ),
        max_size=12,
    ),
    st.lists(st.integers(1, 40), max_size=20),
)
def test_fuzz_never_raises_and_yields_only_whole_frames(parts: list[bytes], cuts: list[int]) -> None:
    stream = b"".join(parts)
    pieces, pos = [], 0
    for n in cuts:
        pieces.append(stream[pos : pos + n])
        pos += n
    pieces.append(stream[pos:])
    for reader in (ToyReader(), InnerToyReader()):
        for frame in feed_all(pieces, reader):
            assert toy_ok(frame), frame.hex()
        assert len(reader._buf) <= reader.MAX_BUFFER


# --- the four readers built on it, with real frames ------------------------------------------------
DATA = Path(__file__).parent / "data"


def _hex(name: str, frame_id: str) -> bytes:
    doc = json.loads((DATA / name).read_text(encoding="utf-8"))
    entries = doc["frames"] if isinstance(doc, dict) else doc
    return bytes.fromhex(next(e["hex"] for e in entries if e["id"] == frame_id))


REAL = {
    "jk": (
        JkFrameReader,
        [_hex("jk_frames.json", "esp_32s_v15_cell")[:300], _hex("jk_frames.json", "aio_jk02_32s_v19_27_ack")],
    ),
    "jbd": (
        JbdFrameReader,
        [_hex("jbd_frames.json", "jbd_aio_cells_4s"), _hex("jbd_frames.json", "jbd_aio_auth_nack")],
    ),
    "jk_4e57": (Jk4e57FrameReader, [_hex("jk_serial_frames.json", "esp_4e57_14s_status")]),
    "jk_pb": (
        JkPbFrameReader,
        [
            _hex("jk_serial_frames.json", "mpp_pb_resp_20"),
            _hex("jk_serial_frames.json", "dbus_pb_ack_status"),
        ],
    ),
}


def test_every_reader_is_built_on_the_base() -> None:
    assert all(issubclass(make, StreamFrameReader) for make, _ in REAL.values())


@pytest.mark.parametrize("family", list(REAL))
def test_real_readers_split_anywhere_and_skip_a_truncated_frame(family: str) -> None:
    make, frames = REAL[family]
    for frame in frames:
        for k in range(len(frame) + 1):
            assert feed_all([frame[:k], frame[k:]], make()) == [frame], (family, "split", k)
        # (a JK-PB payload cut inside its ack is a whole payload: cut the payload)
        whole = 300 if family == "jk_pb" and len(frame) > 300 else len(frame)
        for cut in range(1, whole, max(1, whole // 40)):
            assert feed_all([frame[:cut] + frame], make()) == [frame], (family, "cut", cut)


def test_jk_ack_behind_a_cut_off_frame_comes_out_at_once() -> None:
    """A lost notification cuts a 300-byte frame; the 0xC8 ack of a write that follows
    comes out when it is whole, not when 300 bytes have gathered (the stream may be
    paused while the host waits for that ack)."""
    cell = REAL["jk"][1][0]
    ack = REAL["jk"][1][1]
    assert feed_all([cell[:140] + ack], JkFrameReader()) == [ack]


def test_jk_one_big_read_keeps_every_frame() -> None:
    cell, ack = REAL["jk"][1]
    stream = (cell + ack) * 16  # 5,120 bytes, more than MAX_BUFFER, in one read
    assert len(stream) > JkFrameReader.MAX_BUFFER
    assert feed_all([stream], JkFrameReader()) == [cell, ack] * 16
