"""ANT framing: the 2021 ``7E A1 … AA 55`` frames and the legacy ``AA 55 AA FF`` /
6-byte frames, cut from a byte stream by one small table-driven reader.

Facts from ../shared/protocols/ant_xiaomi.md:

2021 (§2.1, §4.2): ``7E A1 FUNC ADDR_lo ADDR_hi LEN DATA[LEN] CRC_lo CRC_hi AA 55``.
- host read/command requests (0x01–0x05, 0x51, 0x53) carry no data: LEN is the
  *requested* count and the frame is always 10 bytes;
- replies (0x11, 0x12, 0x14, 0x15, 0x42, 0x43, 0x61 …) and the host writes 0x22 /
  0x23 carry LEN data bytes;
- replies 0x12 and 0x42 put a 6-byte record (4 bytes + its own CRC) between the CRC
  and ``AA 55``; the esphome test frame without it is accepted too;
- the trailer may hold 0x55, so a frame ends at the two-byte ``AA 55`` *and* its
  length, never at a lone 0x55 (esphome issue #172).

Legacy (§1.2, §1.3): the 140-byte status frame ``AA 55 AA FF …`` with a 16-bit sum of
bytes 4..137 at 138-139 (big-endian), and 6-byte frames ``H H A Dhi Dlo C`` with H one
of DB / 5A / A5 and C = (A + Dhi + Dlo) & 0xFF.

The reader (``AntReader``) is the shared frame-reader base (``protocols/framing.py``)
driven by ``FrameKind`` rows: the header, how many bytes tell the length, the candidate
lengths, the check and the type tag.  The checksums are the shared ones
(``protocols/checksums.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..checksums import crc16_modbus, sum8, sum16
from ..framing import NO, WAIT, Cut, StreamFrameReader, Verdict

# --- the 2021 protocol --------------------------------------------------------------------
HEADER_2021 = b"\x7e\xa1"
TAIL_2021 = b"\xaa\x55"
#: host requests without data: 10 bytes whatever LEN says (§2.1, §2.2)
NO_DATA_FUNCS = frozenset({0x01, 0x02, 0x03, 0x04, 0x05, 0x51, 0x53})
#: host frames that carry data (write settings, write a password)
HOST_DATA_FUNCS = frozenset({0x22, 0x23})
HOST_FUNCS = NO_DATA_FUNCS | HOST_DATA_FUNCS
#: replies that carry the 6-byte record before ``AA 55`` (§2.1 quirk)
TRAILER_FUNCS = frozenset({0x12, 0x42})
TRAILER_LEN = 6
#: the records seen in captures (§2.1): after 0x12 and after 0x42
TRAILER_RECORDS = {0x12: b"\xff\x0b\x00\x00", 0x42: b"\xff\x0a\x00\x00"}

COMMAND = "command"  # frame_type of host frames (JK's reader uses the same tag)


def frame_lengths_2021(head: bytes | bytearray) -> tuple[int, ...]:
    """The lengths a 2021 frame starting with these 6 bytes can have."""
    func, n = head[2], head[5]
    if func in NO_DATA_FUNCS:
        return (10,)
    if func in TRAILER_FUNCS:
        return (n + 10, n + 10 + TRAILER_LEN)
    return (n + 10,)


def data_length_2021(frame: bytes | bytearray) -> int:
    """How many data bytes the frame carries (0 for the 10-byte host requests)."""
    return 0 if frame[2] in NO_DATA_FUNCS else frame[5]


def trailer(func: int) -> bytes:
    record = TRAILER_RECORDS.get(func, b"\xff\x00\x00\x00")
    return record + crc16_modbus(record).to_bytes(2, "little")


def check_2021(frame: bytes | bytearray) -> str | None:
    """Why ``frame`` is not one whole valid 2021 frame, or None.  Words for ``decode``."""
    if len(frame) < 10:
        return "truncated frame: a 7E A1 frame has at least 10 bytes"
    if frame[:2] != HEADER_2021:
        return "not an ANT 2021 frame (no 7E A1 start)"
    lengths = frame_lengths_2021(frame)
    if len(frame) not in lengths:
        if len(frame) < min(lengths):
            return f"truncated frame: {len(frame)} bytes, the length byte says {min(lengths)}"
        return f"{len(frame)} bytes, but the length byte says {' or '.join(map(str, lengths))}"
    if frame[-2:] != TAIL_2021:
        return "no AA 55 at the end of the frame"
    n = data_length_2021(frame)
    if int.from_bytes(frame[6 + n : 8 + n], "little") != crc16_modbus(frame[1 : 6 + n]):
        return "checksum mismatch (CRC-16/MODBUS)"
    if len(frame) == n + 10 + TRAILER_LEN:
        record = frame[8 + n : 12 + n]
        if int.from_bytes(frame[12 + n : 14 + n], "little") != crc16_modbus(record):
            return "checksum mismatch in the 6-byte record before AA 55"
    return None


def tag_2021(frame: bytes | bytearray) -> Any:
    return COMMAND if frame[2] in HOST_FUNCS else frame[2]


def frame_2021(
    func: int, address: int, length: int, data: bytes = b"", with_trailer: bool | None = None
) -> bytes:
    """Build a 2021 frame.  ``length`` is the LEN byte (the requested count of a
    read); ``data`` the bytes carried.  ``with_trailer`` None: as the board sends
    (0x12 and 0x42 replies carry the record)."""
    if not 0 <= address <= 0xFFFF or not 0 <= length <= 0xFF or len(data) > 0xFF:
        raise ValueError(f"bad ANT frame: address {address:#x}, length {length}")
    if data and len(data) != length:
        raise ValueError("the LEN byte must equal the number of data bytes")
    body = bytes([0xA1, func]) + address.to_bytes(2, "little") + bytes([length]) + bytes(data)
    out = b"\x7e" + body + crc16_modbus(body).to_bytes(2, "little")
    if with_trailer is None:
        with_trailer = func in TRAILER_FUNCS
    if with_trailer:
        out += trailer(func)
    return out + TAIL_2021


# --- the legacy protocol ------------------------------------------------------------------
STATUS_HEADER = b"\xaa\x55\xaa\xff"
STATUS_LEN = 140
SHORT_LEN = 6
READ_BT = b"\xdb\xdb"  # "read via Bluetooth": DB DB 00 00 00 00 asks for the status
READ = b"\x5a\x5a"  # read from the BMS (status, or one parameter)
WRITE = b"\xa5\xa5"  # write D to address A
SHORT_HEADERS = (READ_BT, READ, WRITE)
STATUS = "status"


def check_status(frame: bytes | bytearray) -> str | None:
    if len(frame) != STATUS_LEN:
        return f"truncated frame: {len(frame)} bytes, a legacy status frame has {STATUS_LEN}"
    if frame[:4] != STATUS_HEADER:
        return "not an ANT legacy status frame (no AA 55 AA FF start)"
    if int.from_bytes(frame[138:140], "big") != sum16(frame[4:138]):
        return "checksum mismatch (sum of bytes 4..137)"
    return None


def check_short(frame: bytes | bytearray) -> str | None:
    if len(frame) != SHORT_LEN:
        return f"{len(frame)} bytes: an ANT legacy request is 6 bytes"
    if bytes(frame[:2]) not in SHORT_HEADERS:
        return "not an ANT legacy frame (no DB DB, 5A 5A or A5 A5 start)"
    if frame[5] != sum8(frame[2:5]):
        return "checksum mismatch (sum of address and value)"
    return None


def check_legacy(frame: bytes | bytearray) -> str | None:
    if frame[:4] == STATUS_HEADER:
        return check_status(frame)
    if len(frame) >= 2 and bytes(frame[:2]) in SHORT_HEADERS:
        return check_short(frame)
    return "not an ANT legacy frame (no AA 55 AA FF, DB DB, 5A 5A or A5 A5 start)"


def short_frame(header: bytes, address: int, value: int = 0) -> bytes:
    """``H H A Dhi Dlo C`` (§1.2)."""
    if header not in SHORT_HEADERS or not 0 <= address <= 0xFF or not 0 <= value <= 0xFFFF:
        raise ValueError(f"bad ANT legacy frame: address {address:#x}, value {value}")
    body = bytes([address]) + value.to_bytes(2, "big")
    return header + body + bytes([sum8(body)])


def status_frame(payload: bytes) -> bytes:
    """A 140-byte status frame around bytes 4..137 (the simulator's side)."""
    if len(payload) != STATUS_LEN - 6:
        raise ValueError(f"a legacy status payload has {STATUS_LEN - 6} bytes")
    return STATUS_HEADER + payload + sum16(payload).to_bytes(2, "big")


# --- the table-driven reader ----------------------------------------------------------------
@dataclass(frozen=True)
class FrameKind:
    """One kind of frame a reader can cut."""

    header: bytes
    #: bytes needed before the candidate lengths are known
    need: int
    lengths: Callable[[bytes | bytearray], tuple[int, ...]]
    check: Callable[[bytes | bytearray], str | None]
    tag: Callable[[bytes | bytearray], Any]


KINDS_2021 = (FrameKind(HEADER_2021, 6, frame_lengths_2021, check_2021, tag_2021),)
KINDS_LEGACY = (
    FrameKind(STATUS_HEADER, 4, lambda _b: (STATUS_LEN,), check_status, lambda _b: STATUS),
) + tuple(FrameKind(h, 2, lambda _b: (SHORT_LEN,), check_short, lambda _b: COMMAND) for h in SHORT_HEADERS)


class AntReader(StreamFrameReader):
    """Cuts frames of the given kinds from a byte stream or from BLE notifications.

    The shared base resynchronises on garbage, keeps a trailing partial header and
    drops a cut-off frame when a complete good one starts behind it; the kinds say
    where a frame may start and whether one is whole and good.  A 0x12 / 0x42 reply
    comes with or without its 6-byte record (§2.1): the shorter length is whole only
    when its own ``AA 55`` tail and CRC check out, which the record's ``FF …`` never do.
    """

    MAX_BUFFER = 1024

    def __init__(self, kinds: tuple[FrameKind, ...]) -> None:
        super().__init__()
        self._kinds = kinds
        self.headers = tuple(k.header for k in kinds)

    def candidate(self, buf: bytearray, pos: int) -> Verdict:
        kind = next((k for k in self._kinds if buf.startswith(k.header, pos)), None)
        if kind is None:
            return NO
        avail = len(buf) - pos
        if avail < kind.need:
            return WAIT
        lengths = sorted(kind.lengths(buf[pos : pos + kind.need]))
        for length in lengths:
            if length <= avail and kind.check(buf[pos : pos + length]) is None:
                return Cut(length, kind.tag(bytes(buf[pos : pos + length])))
        return WAIT if lengths[-1] > avail else NO


def reader_2021() -> AntReader:
    return AntReader(KINDS_2021)


def reader_legacy() -> AntReader:
    return AntReader(KINDS_LEGACY)


#: what a 2021 board's reader cuts when the same link may carry the legacy frames too
#: (2021 boards still answer the legacy requests, §1; the simulator reads both)
KINDS_BOTH = KINDS_2021 + KINDS_LEGACY


def reader_both() -> AntReader:
    return AntReader(KINDS_BOTH)
