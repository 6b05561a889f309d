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

The reader (``TableReader``) knows nothing of ANT: it is driven by ``FrameKind`` rows
(header, how many bytes tell the length, the candidate lengths, the check, the type
tag), so it ports to the shared frame-reader base as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ..base import Frame, FrameReader
from .checksums import crc16_modbus, sum8, sum16

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
    if int.from_bytes(frame[6 + n:8 + n], "little") != crc16_modbus(frame[1:6 + n]):
        return "checksum mismatch (CRC-16/MODBUS)"
    if len(frame) == n + 10 + TRAILER_LEN:
        record = frame[8 + n:12 + n]
        if int.from_bytes(frame[12 + n:14 + n], "little") != crc16_modbus(record):
            return "checksum mismatch in the 6-byte record before AA 55"
    return None


def tag_2021(frame: bytes | bytearray) -> Any:
    return COMMAND if frame[2] in HOST_FUNCS else frame[2]


def frame_2021(func: int, address: int, length: int, data: bytes = b"",
               with_trailer: bool | None = None) -> bytes:
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
READ_BT = b"\xdb\xdb"   # "read via Bluetooth": DB DB 00 00 00 00 asks for the status
READ = b"\x5a\x5a"      # read from the BMS (status, or one parameter)
WRITE = b"\xa5\xa5"     # write D to address A
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
) + tuple(FrameKind(h, 2, lambda _b: (SHORT_LEN,), check_short, lambda _b: COMMAND)
          for h in SHORT_HEADERS)

_OK, _BAD, _WAIT = "ok", "bad", "wait"


class TableReader(FrameReader):
    """Cuts frames of the given kinds from a byte stream or from BLE notifications.

    - garbage before a header is dropped (a trailing partial header is kept);
    - a candidate that fails its check drops only its first byte, so the search
      goes on inside it;
    - an incomplete frame waits for more bytes unless a complete, valid frame
      starts later in the buffer: then the incomplete one was cut short and is
      dropped, so it never swallows the frame that follows it;
    - the buffer stays below the longest frame while waiting (``MAX_BUFFER`` caps it).
    """

    MAX_BUFFER = 1024

    def __init__(self, kinds: tuple[FrameKind, ...]) -> None:
        self._kinds = kinds
        self._buf = bytearray()

    def reset(self) -> None:
        self._buf.clear()

    def feed(self, data: bytes) -> list[Frame]:
        buf = self._buf
        buf += data
        out: list[Frame] = []
        while buf:
            start, kind = self._next_start(0)
            if kind is None:
                del buf[:len(buf) - self._partial_header_tail()]
                break
            del buf[:start]
            state, length = self._state(kind, 0)
            if state == _OK:
                frame = bytes(buf[:length])
                out.append(Frame(frame, kind.tag(frame)))
                del buf[:length]
            elif state == _BAD or len(buf) > self.MAX_BUFFER or self._valid_later():
                del buf[0]
            else:
                break
        return out

    def _next_start(self, after: int) -> tuple[int, FrameKind | None]:
        best, found = -1, None
        for kind in self._kinds:
            i = self._buf.find(kind.header, after)
            if i >= 0 and (best < 0 or i < best):
                best, found = i, kind
        return best, found

    def _state(self, kind: FrameKind, at: int) -> tuple[str, int]:
        avail = len(self._buf) - at
        if avail < kind.need:
            return _WAIT, 0
        lengths = sorted(kind.lengths(self._buf[at:at + kind.need]))
        for length in lengths:
            if length <= avail and kind.check(self._buf[at:at + length]) is None:
                return _OK, length
        return (_WAIT if lengths[-1] > avail else _BAD), 0

    def _valid_later(self) -> bool:
        at = 0
        while True:
            at, kind = self._next_start(at + 1)
            if kind is None:
                return False
            if self._state(kind, at)[0] == _OK:
                return True

    def _partial_header_tail(self) -> int:
        """How many bytes at the end of the buffer could begin a header."""
        keep = 0
        for kind in self._kinds:
            h = kind.header
            for n in range(min(len(h) - 1, len(self._buf)), keep, -1):
                if self._buf.endswith(h[:n]):
                    keep = n
                    break
        return keep


def reader_2021() -> TableReader:
    return TableReader(KINDS_2021)


def reader_legacy() -> TableReader:
    return TableReader(KINDS_LEGACY)
