"""Xiaomi (``55 AA``) and Ninebot (``5A A5``) frames on the scooter's single-wire bus.

Facts from ../shared/protocols/ant_xiaomi.md §3.1–§3.3:

- Xiaomi: ``55 AA L ADDR CMD IDX DATA… CK_lo CK_hi`` with ``L = len(DATA) + 2``;
  ADDR says the direction (0x20 master→ESC, 0x21 master→BLE, 0x22 master→BMS,
  0x23 ESC→master, 0x24 BLE→master, 0x25 BMS→master);
- Ninebot: ``5A A5 L SRC DST CMD IDX DATA… CK_lo CK_hi`` with ``L = len(DATA)``;
- both: checksum = (sum of the bytes from L to the end of DATA) XOR 0xFFFF, little-endian;
- CMD 0x01 reads ``DATA[0]`` *bytes* from word index IDX; 0x03 writes without a
  reply, 0x02 writes with an acknowledgement; Ninebot replies with CMD 0x04 (read)
  and 0x05 (write);
- the bus is half-duplex with TX and RX tied together: whatever the host sends
  comes straight back.  ``XiaomiFrameReader.note_sent`` drops that echo.

The two framings differ only in their header, in what L counts and in how many
address bytes precede CMD, so one table (``Format``) describes both and one
reader cuts either (or both, for detection).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from ..base import DecodeError, Frame
from ..checksums import inverted_sum16
from ..framing import NO, WAIT, Cut, StreamFrameReader, Verdict


def checksum_bytes(body: bytes | bytearray) -> bytes:
    """The checksum as it goes on the wire: (sum of L..end of DATA) XOR 0xFFFF, low byte
    first (§3.2, §3.3)."""
    return inverted_sum16(body).to_bytes(2, "little")


# --- command bytes (§3.2, §3.3) -------------------------------------------------------
READ = 0x01
WRITE_ACK = 0x02
WRITE = 0x03
NINEBOT_READ_REPLY = 0x04
NINEBOT_WRITE_REPLY = 0x05

# --- Xiaomi ADDR byte (§3.2, py9b XiaomiTransport) -------------------------------------
TO_ESC, TO_BLE, TO_BMS = 0x20, 0x21, 0x22
FROM_ESC, FROM_BLE, FROM_BMS = 0x23, 0x24, 0x25
MOTOR = 0x01

# --- Ninebot addresses (§3.3) ---------------------------------------------------------
NB_ESC, NB_BLE = 0x20, 0x21
NB_BMS_INTERNAL, NB_BMS_EXTERNAL = 0x22, 0x23
NB_HOSTS = (0x3D, 0x3E)  # HJ tool uses 0x3D, py9b's HOST is 0x3E
#: the Ninebot Z10 wheel's BMSs and master (palachzzz converter)
NB_Z10_BMS = (0x11, 0x12)
NB_Z10_MASTER = 0x14
NB_BMS_ADDRESSES = (NB_BMS_INTERNAL, NB_BMS_EXTERNAL) + NB_Z10_BMS


@dataclass(frozen=True)
class Format:
    """One framing, as a table row (ports to the shared reader base as configuration)."""

    name: str
    header: bytes
    #: whole frame = L + overhead bytes
    overhead: int
    #: bytes before DATA (header, L, addresses, CMD, IDX)
    head: int
    #: the smallest L a frame can have (Xiaomi's L counts CMD and IDX)
    min_length_byte: int

    def size(self, length_byte: int) -> int:
        return length_byte + self.overhead


M365 = Format("m365", b"\x55\xaa", overhead=6, head=6, min_length_byte=2)
NINEBOT = Format("ninebot", b"\x5a\xa5", overhead=9, head=7, min_length_byte=0)
FORMATS = (M365, NINEBOT)
#: the longest frame either framing can carry (L is one byte)
MAX_FRAME = 0xFF + max(f.overhead for f in FORMATS)


@dataclass(frozen=True)
class Packet:
    """A checked frame's fields.  Xiaomi frames carry ``addr``; Ninebot frames ``src``/``dst``."""

    format: str
    cmd: int
    index: int
    data: bytes
    addr: int | None = None
    src: int | None = None
    dst: int | None = None


def format_of(frame: bytes) -> Format | None:
    for fmt in FORMATS:
        if frame[:2] == fmt.header:
            return fmt
    return None


def build(
    fmt: Format,
    cmd: int,
    index: int,
    data: bytes = b"",
    *,
    addr: int = TO_BMS,
    src: int = NB_HOSTS[0],
    dst: int = NB_BMS_INTERNAL,
) -> bytes:
    """One frame of either framing; ``addr`` is Xiaomi's, ``src``/``dst`` Ninebot's."""
    data = bytes(data)
    if len(data) > 0xFF - (2 if fmt is M365 else 0):
        raise ValueError(f"{fmt.name}: {len(data)} data bytes do not fit one frame")
    for name, value in (("cmd", cmd), ("index", index), ("addr", addr), ("src", src), ("dst", dst)):
        if not 0 <= value <= 0xFF:
            raise ValueError(f"{fmt.name}: {name} {value} is not one byte")
    if fmt is M365:
        body = bytes([len(data) + 2, addr, cmd, index]) + data
    else:
        body = bytes([len(data), src, dst, cmd, index]) + data
    return fmt.header + body + checksum_bytes(body)


def m365_frame(addr: int, cmd: int, index: int, data: bytes = b"") -> bytes:
    """``55 AA L ADDR CMD IDX DATA CK`` (§3.2)."""
    return build(M365, cmd, index, data, addr=addr)


def ninebot_frame(src: int, dst: int, cmd: int, index: int, data: bytes = b"") -> bytes:
    """``5A A5 L SRC DST CMD IDX DATA CK`` (§3.3)."""
    return build(NINEBOT, cmd, index, data, src=src, dst=dst)


def bms_reply(
    fmt: Format, index: int, data: bytes, *, bms: int = NB_BMS_INTERNAL, host: int = NB_HOSTS[0]
) -> bytes:
    """What a BMS answers to a read (for the simulator): Xiaomi ADDR 0x25 CMD 0x01 with IDX
    echoed (§3.2); Ninebot SRC = the BMS, DST = the asking host, CMD 0x04 (§3.3)."""
    if fmt is M365:
        return m365_frame(FROM_BMS, READ, index, data)
    return ninebot_frame(bms, host, NINEBOT_READ_REPLY, index, data)


def check(frame: bytes, fmt: Format | None = None) -> str | None:
    """Why ``frame`` is not one whole frame of ``fmt`` (any framing when None), or None."""
    fmt = fmt or format_of(frame)
    if fmt is None or frame[:2] != fmt.header:
        if fmt is None:
            return "not a Xiaomi/Ninebot frame (no 55 AA or 5A A5 header)"
        return f"not a frame of the {fmt.name} protocol (no {fmt.header.hex(' ').upper()} header)"
    if len(frame) < 3:
        return "truncated frame"
    if frame[2] < fmt.min_length_byte:
        return f"length byte {frame[2]} is below {fmt.min_length_byte}"
    need = fmt.size(frame[2])
    if len(frame) < need:
        return f"truncated frame: {len(frame)} bytes, the length byte says {need}"
    if len(frame) > need:
        return f"{len(frame) - need} byte(s) after the end of the frame (the length byte says {need})"
    if int.from_bytes(frame[-2:], "little") != inverted_sum16(frame[2:-2]):
        return "checksum mismatch"
    return None


def parse(frame: bytes, fmt: Format | None = None) -> Packet:
    """The fields of a checked frame; DecodeError with the reason otherwise."""
    why = check(frame, fmt)
    if why:
        raise DecodeError(why)
    fmt = fmt or format_of(frame)
    assert fmt is not None
    data = bytes(frame[fmt.head : -2])
    if fmt is M365:
        return Packet(fmt.name, frame[4], frame[5], data, addr=frame[3])
    return Packet(fmt.name, frame[5], frame[6], data, src=frame[3], dst=frame[4])


class XiaomiFrameReader(StreamFrameReader):
    """Cuts frames of the given framings from a byte stream, split anywhere.

    The shared reader base (protocols/framing.py) does the buffering and the
    resynchronising: a candidate is complete when the buffer holds ``L +
    overhead`` bytes; one that fails its checks drops only its first byte, so a
    truncated frame cannot swallow a valid frame that follows it; and a candidate
    still waiting for bytes is given up as soon as a complete valid frame starts
    after it.  Frames the host sent itself (``note_sent``) are dropped when the
    tied TX/RX line brings them back (§3.1), so only the other side's frames
    come out.
    """

    #: sent frames remembered for echo suppression (one request at a time on the bus)
    ECHO_MEMORY = 8

    def __init__(self, formats: tuple[Format, ...] = FORMATS) -> None:
        super().__init__()
        self._formats = formats
        self.headers = tuple(f.header for f in formats)
        self._sent: deque[bytes] = deque(maxlen=self.ECHO_MEMORY)

    def reset(self) -> None:
        super().reset()
        self._sent.clear()

    def note_sent(self, frame: bytes) -> None:
        """The host wrote ``frame``: its echo, when it comes back, is not a board's frame."""
        self._sent.append(bytes(frame))

    def candidate(self, buf: bytearray, pos: int) -> Verdict:
        fmt = next((f for f in self._formats if buf.startswith(f.header, pos)), None)
        if fmt is None:
            return NO
        if len(buf) - pos < 3:
            return WAIT
        if buf[pos + 2] < fmt.min_length_byte:
            return NO
        need = fmt.size(buf[pos + 2])
        if len(buf) - pos < need:
            return WAIT
        if check(bytes(buf[pos : pos + need]), fmt) is not None:
            return NO
        return Cut(need, fmt.name)

    def keep(self, frame: Frame) -> bool:
        if frame.data in self._sent:
            self._sent.remove(frame.data)  # our own request, back through the tied line
            return False
        return True


__all__ = [
    "FORMATS",
    "M365",
    "NINEBOT",
    "Format",
    "Packet",
    "XiaomiFrameReader",
    "bms_reply",
    "build",
    "check",
    "checksum_bytes",
    "format_of",
    "m365_frame",
    "ninebot_frame",
    "parse",
]
