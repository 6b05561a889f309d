"""Cutting Daly frames out of a byte stream: two shape functions on the shared reader base.

The readers are ``framing.StreamFrameReader`` (app/protocols/framing.py)
configured with Daly's start bytes; a *shape* function per protocol says
whether a complete, checked frame starts at a position, must wait for more
bytes, or is no frame (``DalyReader.candidate``).  Everything else — keeping
bytes between feeds, resynchronising, bounding the buffer, a cut-off frame
giving way to a good frame behind it — is the base's.

Rules every reader here keeps (design.md "A protocol family"):
- never raises on any input; only frames whose checksum passes are returned
  (one documented exception: the D2 write echo below);
- resynchronises on garbage by dropping one byte at a time;
- a truncated frame never swallows a complete frame that follows it: a
  candidate that cannot be complete yet gives way as soon as a complete, valid
  frame starts later in the buffer;
- the buffer is bounded (``MAX_BUFFER``).

A5 (jbd_daly.md §4.1): 13 bytes, ``A5 <address> <id> 08 <8 data> <sum8>``;
address 0x01 is the board, anything else the host (0x40 RS485, 0x80 UART/BT …).

Modbus D2 / P81 (§6.1, §6.5): ``<start> <function> …`` with a CRC-16/MODBUS,
start 0xD2 both ways (D2), 0x81 for P81 requests and 0x51 for P81 replies.
Lengths by function: 0x03 request 8, reply 5 + byte count; 0x06 request and
echo 8; 0x10 request 8 + 2·count (Daly sends **no byte-count byte**, verified
on a real RTC write), reply 8; exceptions (function | 0x80) 5.
"""

from __future__ import annotations

from .. import framing as base
from ..checksums import modbus_crc_ok as crc_ok
from ..checksums import sum8

# --- A5 -----------------------------------------------------------------------------------
A5_START = 0xA5
A5_LENGTH = 13
A5_DATA_LENGTH = 0x08
A5_BOARD = 0x01
#: addresses a host uses (§4.1: 0x40 RS485, 0x80 UART/BT, 0x20 GPRS; 0x41… when several
#: boards share one RS485 bus [uncertain]); the board answers from 0x01
A5_ADDRESSES = (
    frozenset({A5_BOARD})
    | frozenset(range(0x20, 0x30))
    | frozenset(range(0x40, 0x50))
    | frozenset(range(0x80, 0x90))
)

#: frame_type tags
REQUEST = "request"
RESPONSE = "response"

Shape = tuple[str, int, str | None]  # ("frame", length, tag) | ("wait", 0, None) | ("no", 0, None)
WAIT: Shape = ("wait", 0, None)
NO: Shape = ("no", 0, None)


def a5_valid(frame: bytes | bytearray) -> bool:
    return (
        len(frame) == A5_LENGTH
        and frame[0] == A5_START
        and frame[1] in A5_ADDRESSES
        and frame[3] == A5_DATA_LENGTH
        and sum8(frame[:12]) == frame[12]
    )


def _a5_header_plausible(buf: bytes | bytearray, i: int) -> bool:
    """The bytes of an A5 header visible at ``i`` are not impossible."""
    n = len(buf) - i
    return (
        n >= 1
        and buf[i] == A5_START
        and (n < 2 or buf[i + 1] in A5_ADDRESSES)
        and (n < 4 or buf[i + 3] == A5_DATA_LENGTH)
    )


def a5_shape(buf: bytes | bytearray, i: int) -> Shape:
    if not _a5_header_plausible(buf, i):
        return NO
    if len(buf) - i < A5_LENGTH:
        return WAIT
    frame = buf[i : i + A5_LENGTH]
    if not a5_valid(frame):
        return NO
    # The 8-bit sum passes by chance once in 256 times, so a frame cut short whose
    # window is filled by the next frame could pass as valid.  When a whole header
    # (A5, address, id, 08) sits inside the window, the frame there decides: valid and
    # complete -> this candidate was the truncated one; not complete yet -> wait for it.
    for j in range(i + 1, i + A5_LENGTH - 3):
        if buf[j] == A5_START and _a5_header_plausible(buf[: j + 4], j):
            if len(buf) - j < A5_LENGTH:
                return WAIT
            if a5_valid(buf[j : j + A5_LENGTH]):
                return NO
    return ("frame", A5_LENGTH, RESPONSE if frame[1] == A5_BOARD else REQUEST)


# --- Modbus D2 / P81 ------------------------------------------------------------------------
D2 = 0xD2
P81_REQUEST = 0x81
P81_REPLY = 0x51
FC_READ = 0x03
FC_WRITE_ONE = 0x06
FC_WRITE = 0x10
FUNCTIONS = frozenset({FC_READ, FC_WRITE_ONE, FC_WRITE})

#: start byte -> (tag, which directions start with it)
MODBUS_STARTS: dict[int, tuple[str, frozenset[str]]] = {
    D2: ("d2", frozenset({"request", "reply"})),
    P81_REQUEST: ("p81", frozenset({"request"})),
    P81_REPLY: ("p81", frozenset({"reply"})),
}
#: the tag of a D2 write echo kept although its CRC is wrong (§6.1, daly_bal_21)
UNCHECKED_ECHO = "unchecked_echo"
#: the most registers one Modbus read or write carries
MAX_REGISTERS = 125


def _modbus_lengths(buf: bytes | bytearray, i: int) -> tuple[list[int], bool]:
    """Candidate lengths of a frame at ``i`` and whether more bytes could add one."""
    n = len(buf) - i
    roles = MODBUS_STARTS[buf[i]][1]
    fc = buf[i + 1]
    lengths: list[int] = []
    pending = False
    if fc & 0x80:
        if fc & 0x7F in FUNCTIONS and "reply" in roles:
            lengths.append(5)
    elif fc == FC_READ:
        if "request" in roles:
            lengths.append(8)
        if "reply" in roles:
            if n < 3:
                pending = True
            elif buf[i + 2] and not buf[i + 2] % 2:
                lengths.append(5 + buf[i + 2])
    elif fc == FC_WRITE_ONE:
        lengths.append(8)
    elif fc == FC_WRITE:
        if "reply" in roles:
            lengths.append(8)
        if "request" in roles:
            if n < 6:
                pending = True
            else:
                count = buf[i + 4] << 8 | buf[i + 5]
                if 1 <= count <= MAX_REGISTERS:
                    lengths.append(8 + 2 * count)
    return sorted(set(lengths)), pending


def _count_ok(frame: bytes | bytearray) -> bool:
    """An 8-byte read request or write reply names 1..125 registers."""
    if len(frame) == 8 and frame[1] in (FC_READ, FC_WRITE):
        return 1 <= (frame[4] << 8 | frame[5]) <= MAX_REGISTERS or frame[0] == P81_REPLY
    return True


def modbus_shape(buf: bytes | bytearray, i: int) -> Shape:
    if buf[i] not in MODBUS_STARTS:
        return NO
    n = len(buf) - i
    if n < 2:
        return WAIT
    lengths, pending = _modbus_lengths(buf, i)
    tag = MODBUS_STARTS[buf[i]][0]
    for length in lengths:
        if n < length:
            pending = True
            continue
        frame = buf[i : i + length]
        if crc_ok(frame) and _count_ok(frame):
            return ("frame", length, tag)
    if pending:
        return WAIT
    # A real D2 write echo came back with a CRC that matches neither the request nor
    # its own bytes (§6.1, daly_bal_21): keep an FC06 echo whose 8 bytes hold no
    # other start byte and that ends the buffer or meets the next start byte; the
    # write script accepts it only when register and value equal what was written.
    if (
        buf[i] == D2
        and buf[i + 1] == FC_WRITE_ONE
        and n >= 8
        and not any(b in MODBUS_STARTS for b in buf[i + 1 : i + 8])
        and (n == 8 or buf[i + 8] in MODBUS_STARTS)
    ):
        return ("frame", 8, UNCHECKED_ECHO)
    return NO


# --- the readers ----------------------------------------------------------------------------
class DalyReader(base.StreamFrameReader):
    """A shared-base reader that asks a Daly shape function about each candidate."""

    MAX_BUFFER = 1024

    @staticmethod
    def shape(buf: bytearray, pos: int) -> Shape:  # pragma: no cover - interface
        raise NotImplementedError

    def candidate(self, buf: bytearray, pos: int) -> base.Verdict:
        state, length, tag = self.shape(buf, pos)
        if state == "frame":
            return base.Cut(length, tag)
        return base.WAIT if state == "wait" else base.NO


class A5FrameReader(DalyReader):
    headers = (bytes([A5_START]),)
    shape = staticmethod(a5_shape)


class ModbusFrameReader(DalyReader):
    """D2 and P81 frames (both start bytes: the variant only changes what we send)."""

    headers = tuple(bytes([b]) for b in MODBUS_STARTS)
    shape = staticmethod(modbus_shape)
