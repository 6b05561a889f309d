"""JK BLE framing: the ``55 AA EB 90`` response stream and 20-byte commands.

Facts from ../shared/protocols/jk.md §1.2 and §1.4:
- responses are 300 bytes, start ``55 AA EB 90``, byte 4 is the frame type
  (0x01 settings, 0x02 cell info, 0x03 device info, 0x05 logbook) and byte 299
  is the sum of bytes 0..298 mod 256;
- host commands and the board's 0xC8 acknowledgement are 20 bytes, start
  ``AA 55 90 EB``, byte 4 register, byte 5 value length, value little-endian
  from byte 6, byte 19 the sum of bytes 0..18 mod 256;
- the BLE module injects ``AT\\r\\n`` and notifications do not line up with
  frames, so the reader resynchronises on the header and drops only up to the
  next header when a checksum fails (batmon's robust form; the loop is the
  shared one in ``protocols/framing.py``).
"""

from __future__ import annotations

from ..checksums import sum8
from ..framing import NO, WAIT, Cut, StreamFrameReader, Verdict

RESPONSE_HEADER = b"\x55\xaa\xeb\x90"
COMMAND_HEADER = b"\xaa\x55\x90\xeb"
RESPONSE_LENGTH = 300
COMMAND_LENGTH = 20

TYPE_SETTINGS = 0x01
TYPE_CELL_INFO = 0x02
TYPE_DEVICE_INFO = 0x03
TYPE_LOGBOOK = 0x05
RESPONSE_TYPES = frozenset({TYPE_SETTINGS, TYPE_CELL_INFO, TYPE_DEVICE_INFO, TYPE_LOGBOOK})

#: frame_type tag for 20-byte ``AA 55 90 EB`` frames (commands and 0xC8 acks)
COMMAND = "command"

REG_ACK = 0xC8
REG_READ_SETTINGS = 0x96
REG_READ_DEVICE_INFO = 0x97
REG_READ_LOGBOOK = 0xA1


def response_ok(buf: bytes | bytearray) -> bool:
    return (
        len(buf) >= RESPONSE_LENGTH
        and buf[:4] == RESPONSE_HEADER
        and buf[4] in RESPONSE_TYPES
        and sum8(buf[: RESPONSE_LENGTH - 1]) == buf[RESPONSE_LENGTH - 1]
    )


def command_ok(buf: bytes | bytearray) -> bool:
    return (
        len(buf) >= COMMAND_LENGTH
        and buf[:4] == COMMAND_HEADER
        and sum8(buf[: COMMAND_LENGTH - 1]) == buf[COMMAND_LENGTH - 1]
        and buf[5] <= 13
    )


def build_command(register: int, value: int | bytes = 0, length: int = 0) -> bytes:
    """A 20-byte host command.  Integers are little-endian two's complement.

    Unused value bytes are zero (ESPHome, aiobmsble and batmon send zeros and
    the boards accept them; the vendor app's "random" filler is stale buffer
    data, jk.md §1.2).
    """
    if not 0 <= register <= 0xFF:
        raise ValueError(f"register out of range: {register}")
    if isinstance(value, (bytes, bytearray)):
        payload = bytes(value)
        length = len(payload) if length == 0 else length
    else:
        if length not in (0, 1, 2, 4):
            raise ValueError(f"bad value length {length}")
        if length:
            lo, hi = -(1 << (8 * length - 1)), (1 << (8 * length)) - 1
            if not lo <= value <= hi:
                raise ValueError(f"value {value} does not fit in {length} byte(s)")
        payload = (value & ((1 << (8 * length)) - 1)).to_bytes(length, "little") if length else b""
    if len(payload) > 13:
        raise ValueError("a JK command carries at most 13 value bytes")
    body = COMMAND_HEADER + bytes([register, length]) + payload.ljust(13, b"\x00")
    return body + bytes([sum8(body)])


def build_ack() -> bytes:
    """The board's write acknowledgement / "ready" frame: ``AA 55 90 EB C8 01 01 …``."""
    return build_command(REG_ACK, 1, 1)


class JkFrameReader(StreamFrameReader):
    """Cuts 300-byte responses and 20-byte command/ack frames from a byte stream.

    A candidate that fails its sum8 drops one byte, so the reader resynchronises
    on the next header instead of dropping 300 bytes.  A truncated frame (a lost
    notification) whose window is filled by the next frame passes its sum8 about
    once in 256 times: when a valid frame starts inside the window, it is
    trusted instead (``inner_headers``).
    """

    headers = (RESPONSE_HEADER, COMMAND_HEADER)
    inner_headers = headers

    def candidate(self, buf: bytearray, pos: int) -> Verdict:
        if buf[pos : pos + 4] == RESPONSE_HEADER:
            length, ok = RESPONSE_LENGTH, response_ok
        else:
            length, ok = COMMAND_LENGTH, command_ok
        if len(buf) - pos < length:
            return WAIT
        frame = buf[pos : pos + length]
        if not ok(frame):
            return NO
        return Cut(length, frame[4] if length == RESPONSE_LENGTH else COMMAND)
