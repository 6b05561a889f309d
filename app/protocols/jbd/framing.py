"""JBD framing: ``DD … 77`` frames, the same bytes on UART, RS485 and BLE.

Facts from ../shared/protocols/jbd_daly.md §1:
- request ``DD A5|5A reg len data… ck_hi ck_lo 77`` (A5 read, 5A write);
- response ``DD reg status len data… ck_hi ck_lo 77``; status 0 OK, 0x80 error,
  0x81 invalid operation (not in factory mode / password), 0x83 wrong password;
- checksum ``(0x10000 - sum(bytes[2 : 4 + len])) & 0xFFFF`` big-endian: the
  summed bytes are register, length, data (requests) or status, length, data
  (responses);
- some refusals come without a valid checksum (``DD 00 81 00 00 00 77``): a
  short ``DD xx 8x 00 .. .. 77`` is accepted as an error anyway;
- the payload may contain 0x77, so frames are cut by their length byte, never
  at the first 0x77;
- ``FF AA cmd len data… sum8`` frames come from the BLE module (§1.3), checksum
  ``sum(bytes[2:-1]) & 0xFF``; they always arrive whole in one notification.
"""

from __future__ import annotations

from ..checksums import negated_sum16, sum8
from ..framing import NO, WAIT, Cut, StreamFrameReader, Verdict

START = 0xDD
END = 0x77
READ = 0xA5
WRITE = 0x5A
MODULE_HEADER = b"\xff\xaa"

STATUS_OK = 0x00
STATUS_ERROR = 0x80
STATUS_INVALID = 0x81
STATUS_CHECKSUM = 0x82
STATUS_PASSWORD = 0x83

#: frame_type tags given by the reader
REQUEST = "request"
RESPONSE = "response"
MODULE = "ble_module"

#: the longest data a frame can carry (the length byte)
MAX_DATA = 0xFF


#: the DD frames' checksum over status/register, length and data
checksum = negated_sum16


def module_checksum(frame: bytes | bytearray) -> int:
    """The FF AA frames' sum8 over command, length and data (the last byte excluded)."""
    return sum8(frame[2:-1])


def request(register: int, data: bytes = b"", *, write: bool = False) -> bytes:
    """A host frame: read (``DD A5``) or write (``DD 5A``) one register/command."""
    if not 0 <= register <= 0xFF or len(data) > MAX_DATA:
        raise ValueError(f"bad JBD request: register {register:#x}, {len(data)} data bytes")
    body = bytes([register, len(data)]) + bytes(data)
    return bytes([START, WRITE if write else READ]) + body + checksum(body).to_bytes(2, "big") + bytes([END])


def write_register(register: int, value: int) -> bytes:
    """Write one 16-bit register (factory mode for EEPROM registers)."""
    return request(register, (value & 0xFFFF).to_bytes(2, "big"), write=True)


def response(register: int, data: bytes = b"", status: int = STATUS_OK) -> bytes:
    """A board frame (used by the simulator and tests)."""
    body = bytes([status, len(data)]) + bytes(data)
    return bytes([START, register]) + body + checksum(body).to_bytes(2, "big") + bytes([END])


def module_frame(command: int, data: bytes = b"") -> bytes:
    """An ``FF AA`` BLE-module frame (§1.3)."""
    frame = MODULE_HEADER + bytes([command, len(data)]) + bytes(data) + b"\x00"
    return frame[:-1] + bytes([module_checksum(frame)])


def is_request(frame: bytes) -> bool:
    return len(frame) >= 7 and frame[0] == START and frame[1] in (READ, WRITE)


def is_bare_error(frame: bytes | bytearray) -> bool:
    """``DD reg 8x 00 .. .. 77``: a refusal some boards send without a valid checksum."""
    return (
        len(frame) == 7
        and frame[0] == START
        and frame[2] & 0x80 == 0x80
        and frame[3] == 0
        and frame[6] == END
    )


def check(frame: bytes) -> str | None:
    """Why a DD frame is not valid, or None.  Words for the decode contract."""
    if len(frame) < 7:
        return "truncated frame"
    if frame[0] != START:
        return "not a JBD frame (no DD start byte)"
    n = frame[3]
    if len(frame) < 7 + n:
        return f"truncated frame: {len(frame)} bytes, the length byte says {7 + n}"
    if len(frame) > 7 + n:
        return f"{len(frame) - 7 - n} byte(s) after the end of the frame"
    if frame[-1] != END:
        return "wrong end byte"
    if int.from_bytes(frame[4 + n : 6 + n], "big") != checksum(frame[2 : 4 + n]):
        if is_bare_error(frame) and not is_request(frame):
            return None
        return "checksum mismatch"
    return None


def check_module(frame: bytes) -> str | None:
    if len(frame) < 5 or frame[:2] != MODULE_HEADER:
        return "not a JBD BLE-module frame"
    if len(frame) != 5 + frame[3]:
        return f"truncated frame: {len(frame)} bytes, the length byte says {5 + frame[3]}"
    if frame[-1] != module_checksum(frame):
        return "checksum mismatch"
    return None


class JbdFrameReader(StreamFrameReader):
    """Cuts DD and FF AA frames from a byte stream or from 20-byte notifications.

    A frame is complete when the buffer holds ``7 + length`` bytes; a candidate
    that fails its checks drops only its start byte, so a truncated frame
    cannot swallow a valid frame that follows it.
    """

    headers = (bytes([START]), MODULE_HEADER)

    def candidate(self, buf: bytearray, pos: int) -> Verdict:
        if len(buf) - pos < 4:
            return WAIT
        if buf[pos] == START:
            need = 7 + buf[pos + 3]
            if len(buf) - pos < need:
                return WAIT
            frame = bytes(buf[pos : pos + need])
            if check(frame) is not None:
                return NO
            return Cut(need, REQUEST if is_request(frame) else RESPONSE)
        need = 5 + buf[pos + 3]
        if len(buf) - pos < need:
            # module frames arrive whole in one notification (§1.3): a DD byte
            # behind a short one means it was not one
            return NO if buf.find(START, pos + 1) >= 0 else WAIT
        frame = bytes(buf[pos : pos + need])
        return Cut(need, MODULE) if check_module(frame) is None else NO
