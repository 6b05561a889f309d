"""JK-PB inverter boards on RS485: protocol id ``jk_pb`` (jk.md §8).

Modbus RTU at 115200 8N1, standard CRC-16 (poly 0xA001, init 0xFFFF, low
byte first), slave address 1..15 from the DIP switches (0 makes a board the
bus master), one session per slave: ``/dev/ttyUSB0?protocol=jk_pb&address=2``
(default 1).

Reads use the bus-master "trigger" protocol (§8.3), as dbus-serialbattery and
JK's own PC software do, because plain FC03 reads are unreliable on these
boards: an FC16 write of 0 to 0x161C (device info), 0x161E (settings) or 0x1620
(cell info) makes the addressed board answer with the 300-byte ``55 AA EB 90``
frame of the BLE protocol (JK02_32S layout, sum8 at byte 299), followed by the
8-byte FC16 acknowledgement.  Those payloads go through the JK02_32S decoders
unchanged.

Limits of that scheme, which the reader below works within:
- the 300-byte payload carries no slave address.  The reader attributes it
  through the acknowledgement that follows it (dbus-serialbattery validates the
  sender the same way) and, when it listens for one slave, drops payloads whose
  acknowledgement names another slave or that arrive with no acknowledgement;
- dbus-serialbattery saw a 0x00 pad byte before and after the ack, mpp-solar's
  captures have none: up to two 0x00 bytes between payload and ack are taken;
- a payload is handed on only once its ack (or something that cannot be one)
  has arrived, i.e. about 1 ms after it.

Writes (§8.2): FC 0x10, big-endian, to the settings block: register = 0x1000 +
(BLE settings byte offset - 6); 32-bit values high word first.  The 16 control
flags share one u16 at 0x1114 that is written whole, so a flag write is a
read-modify-write from the settings last read.  A refused request comes back
as a Modbus exception (function | 0x80), decoded as a negative ``Ack``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from ...model import Ack, Command, DeviceInfo, Message, Secrets, Settings, SettingSpec
from ..base import DecodeError, Frame, Protocol
from ..checksums import crc16_modbus as crc16
from ..checksums import modbus_crc_ok as crc_ok
from ..framing import HOLD, NO, WAIT, Cut, Skip, StreamFrameReader, Verdict
from . import framing as fr
from .decode import check_frame as check_payload
from .decode import decode_device_info, decode_frame
from .layout import JK02_32S
from .schema import SCHEMAS

JK_PB = "jk_pb"

PAYLOAD_HEADER = fr.RESPONSE_HEADER
PAYLOAD_LENGTH = fr.RESPONSE_LENGTH

FC_READ = 0x03
FC_WRITE_ONE = 0x06
FC_WRITE = 0x10

# trigger registers (jk.md §8.3) and the payload type each one brings
TRIGGER_DEVICE_INFO = 0x161C
TRIGGER_SETTINGS = 0x161E
TRIGGER_CELL_INFO = 0x1620
TRIGGERS = {
    TRIGGER_DEVICE_INFO: fr.TYPE_DEVICE_INFO,
    TRIGGER_SETTINGS: fr.TYPE_SETTINGS,
    TRIGGER_CELL_INFO: fr.TYPE_CELL_INFO,
}

SETTINGS_BLOCK = 0x1000  # = BLE settings frame byte 6 (jk.md §8.2)
CONTROL_BITMASK = 0x1114  # BLE settings byte 282, u16 (jk.md §4.2, §8.2)
#: the control block 0x1600 (official V1.1 map, jk.md §8.2), for reading sniffs
#: what Packbench sends to the control block: the actions and the calibrations
CONTROL_ACTIONS = {
    "preset_li_ion": 0x160A,
    "preset_lifepo4": 0x160C,
    "preset_lto": 0x160E,
    "shutdown": 0x1604,
}
CONTROL_CALIBRATION = {"voltage": 0x1600, "current": 0x1606}
CONTROL_NAMES = {
    0x1600: "voltage_calibration",
    0x1604: "shutdown",
    0x1606: "current_calibration",
    0x160A: "preset_li_ion",
    0x160C: "preset_lifepo4",
    0x160E: "preset_lto",
    0x1610: "emergency_start",
    0x1612: "time_calibration",
    TRIGGER_DEVICE_INFO: "read_device_info",
    TRIGGER_SETTINGS: "read_settings",
    TRIGGER_CELL_INFO: "read_cell_info",
}

EXCEPTION_NAMES = {
    1: "illegal function",
    2: "illegal data address",
    3: "illegal data value",
    4: "server device failure",
    5: "acknowledge",
    6: "server busy",
    8: "memory parity error",
    10: "gateway path unavailable",
    11: "gateway target failed",
}

#: Modbus RTU addresses (0 is the JK bus master)
MAX_ADDRESS = 247


# --- frame builders (the CRC, jk.md §8.1, is checksums.crc16_modbus) ---------------------------
def build_rtu(slave: int, pdu: bytes) -> bytes:
    body = bytes([slave]) + pdu
    crc = crc16(body)
    return body + bytes([crc & 0xFF, crc >> 8])


def build_write(slave: int, register: int, words: list[int]) -> bytes:
    """FC16 write multiple registers (big-endian words)."""
    if not 1 <= len(words) <= 123:
        raise ValueError("an FC16 write carries 1 to 123 registers")
    data = b"".join((w & 0xFFFF).to_bytes(2, "big") for w in words)
    return build_rtu(
        slave,
        bytes([FC_WRITE])
        + register.to_bytes(2, "big")
        + len(words).to_bytes(2, "big")
        + bytes([len(data)])
        + data,
    )


def build_trigger(slave: int, register: int) -> bytes:
    """``01 10 16 20 00 01 02 00 00 D6 F1``: write 0 to a trigger register (§8.3)."""
    return build_write(slave, register, [0])


def build_write_ack(slave: int, register: int, count: int) -> bytes:
    """The 8-byte FC16 response, e.g. ``01 10 16 20 00 01 04 4B`` (simulator use)."""
    return build_rtu(slave, bytes([FC_WRITE]) + register.to_bytes(2, "big") + count.to_bytes(2, "big"))


def build_exception(slave: int, function: int, code: int) -> bytes:
    """``02 90 03 FC 01``: function | 0x80 and the exception code (simulator use)."""
    return build_rtu(slave, bytes([function | 0x80, code]))


def words_of(raw: int, width: int) -> list[int]:
    """A two's-complement value as big-endian words, high word first (§8.2)."""
    raw &= (1 << (8 * width)) - 1
    return [(raw >> 16) & 0xFFFF, raw & 0xFFFF] if width == 4 else [raw & 0xFFFF]


# --- the settings schema: the JK02_32S rows at their Modbus registers ----------------------------
def _pb_row(spec: SettingSpec) -> SettingSpec | None:
    # rows in the device-info frame (jk.md §3) sit in block 0x1400, not mapped here
    if spec.offset is None or spec.frame != "settings":
        return None
    if spec.bit is not None:  # one of the 16 control flags sharing the u16 at 0x1114
        return dataclasses.replace(spec, register=CONTROL_BITMASK, width=2, write_width=2, variants=(JK_PB,))
    register = SETTINGS_BLOCK + spec.offset - 6
    if spec.width == 4 or spec.write_width == 4:  # u32 (or a u8 carried in a u32, e.g. 274)
        return dataclasses.replace(spec, register=register, width=4, write_width=4, variants=(JK_PB,))
    # single bytes (heating start/stop 284/285, sleep hours 286, discharge UTP 296/297):
    # shown, but not written: writing UINT8 pairs over Modbus is not solved (jk.md §9.13)
    return dataclasses.replace(spec, register=register, write_width=None, writable=False, variants=(JK_PB,))


SCHEMA: tuple[SettingSpec, ...] = tuple(
    row for row in (_pb_row(s) for s in SCHEMAS[JK02_32S]) if row is not None
)
BY_KEY: dict[str, SettingSpec] = {s.key: s for s in SCHEMA}
#: register -> the setting written there as a whole value (control flags excluded)
BY_REGISTER: dict[int, SettingSpec] = {s.register: s for s in SCHEMA if s.writable and s.bit is None}
CONTROL_FLAGS: tuple[SettingSpec, ...] = tuple(
    sorted((s for s in SCHEMA if s.bit is not None), key=lambda s: s.bit)
)


def control_bitmask(values: Mapping[str, Any]) -> int:
    """The u16 at 0x1114 from the 16 flag values; KeyError when one is unknown."""
    mask = 0
    for spec in CONTROL_FLAGS:
        if values[spec.key]:
            mask |= 1 << spec.bit
    return mask


# --- RTU frame shapes -------------------------------------------------------------------------------
def _rtu_shape(buf: bytes | bytearray, start: int = 0) -> tuple[str, int]:
    """("frame", length) for a complete CRC-checked frame at ``start``; ("wait", 0)
    when more bytes could still make one; ("no", 0) when none can start there."""
    n = len(buf) - start
    if n < 2:
        return ("wait", 0)
    addr, fc = buf[start], buf[start + 1]
    if addr > MAX_ADDRESS:
        return ("no", 0)
    lengths: list[int] = []
    pending = False
    if fc & 0x80:
        if fc & 0x7F in (FC_READ, FC_WRITE_ONE, FC_WRITE):
            lengths.append(5)
    elif fc == FC_WRITE:
        lengths.append(8)  # the response: address, count
        if n >= 7:
            count = buf[start + 4] << 8 | buf[start + 5]
            if 1 <= count <= 123 and buf[start + 6] == 2 * count:
                lengths.append(9 + 2 * count)  # the request
        else:
            pending = True
    elif fc == FC_READ:
        lengths.append(8)  # the request
        if n >= 3:
            bc = buf[start + 2]
            if bc and not bc % 2 and bc <= 250:
                lengths.append(5 + bc)  # the response
        else:
            pending = True
    elif fc == FC_WRITE_ONE:
        lengths.append(8)
    else:
        return ("no", 0)
    for length in sorted(lengths):
        if n >= length:
            frame = buf[start : start + length]
            if crc_ok(frame) and _plausible(frame):
                return ("frame", length)
        else:
            pending = True
    return ("wait", 0) if pending else ("no", 0)


def _plausible(frame: bytes | bytearray) -> bool:
    fc = frame[1]
    if fc & 0x80:
        return 1 <= frame[2] <= 11
    if fc in (FC_WRITE, FC_READ) and len(frame) == 8:
        count = frame[4] << 8 | frame[5]
        return 1 <= count <= 125
    return True


def _ack_at(buf: bytes | bytearray, start: int) -> tuple[str, int]:
    """Is there an FC16 ack after a payload ending at ``start`` (after <= 2 zero pads)?

    ("ack", position) / ("wait", 0): not enough bytes to tell / ("none", 0).
    """
    for pad in range(3):
        pos = start + pad
        avail = len(buf) - pos
        if avail <= 0:
            return ("wait", 0)
        if avail >= 8:
            cand = buf[pos : pos + 8]
            if cand[1] == FC_WRITE and crc_ok(cand) and _plausible(cand):
                return ("ack", pos)
        elif buf[pos] <= MAX_ADDRESS and (avail < 2 or buf[pos + 1] == FC_WRITE):
            return ("wait", 0)  # it may still become one
        if buf[pos] != 0:
            return ("none", 0)
        # a zero byte: a pad (dbus-serialbattery saw one), or slave 0's ack that failed
    return ("none", 0)


class JkPbFrameReader(StreamFrameReader):
    """Cuts payloads (with their acks) and Modbus RTU frames from an RS485 stream.

    ``address``: the slave this session talks to; frames from or for other
    slaves are consumed and dropped.  None: keep everything (sniffing, tests).
    Never raises; every frame it yields passes its checksum (sum8 for the
    payload, CRC for Modbus frames and for the payload's ack).
    ``frame_type``: the payload type (1, 2, 3, 5) or "rtu".

    Modbus RTU has no header: every byte may start a frame (``headers`` is
    empty), so the search for a good frame behind a cut-off one is this
    reader's own (``later_frame``).
    """

    def __init__(self, address: int | None = None) -> None:
        super().__init__()
        self.address = address
        self.dropped_unattributed = 0  # payloads that came without an ack
        self.dropped_other = 0  # frames of other slaves

    def keep(self, frame: Frame) -> bool:
        data = frame.data
        if frame.frame_type == "rtu":
            return self._mine(data[0])
        if len(data) > PAYLOAD_LENGTH:
            return self._mine(data[-8])  # the slave that acknowledged the trigger
        if self.address is None:
            return True
        self.dropped_unattributed += 1
        return False

    def _mine(self, slave: int) -> bool:
        if self.address is None or slave == self.address:
            return True
        self.dropped_other += 1
        return False

    def candidate(self, buf: bytearray, pos: int) -> Verdict:
        head = bytes(buf[pos : pos + 4])
        if head[:1] == PAYLOAD_HEADER[:1] and PAYLOAD_HEADER.startswith(head):
            return WAIT if len(head) < 4 else self._payload(buf, pos)
        state, length = _rtu_shape(buf, pos)
        if state == "frame":
            return Cut(length, "rtu")
        return WAIT if state == "wait" else NO

    def _payload(self, buf: bytearray, pos: int) -> Verdict:
        n = PAYLOAD_LENGTH
        if len(buf) - pos < n:
            # a cut-off payload must not hold back a good frame behind it (a
            # write's ack, with polling paused, would otherwise wait for 300 bytes)
            return WAIT
        if not fr.response_ok(buf[pos : pos + n]):
            return NO
        # a truncated payload whose window is filled by the next one passes its
        # sum8 about once in 256 times: trust a good payload that starts inside
        inner = buf.find(PAYLOAD_HEADER, pos + 1, pos + n)
        if inner > 0:
            if len(buf) < inner + n:
                return HOLD
            if fr.response_ok(buf[inner : inner + n]):
                return Skip(inner - pos)
        state, ack = _ack_at(buf, pos + n)
        if state == "wait":
            return HOLD
        if state == "ack":
            return Cut(ack + 8 - pos, buf[pos + 4])
        return Cut(n, buf[pos + 4])

    def _later_payload(self, buf: bytearray, start: int, end: int) -> int:
        pos = buf.find(PAYLOAD_HEADER, start, end)
        while pos > 0:
            if len(buf) >= pos + PAYLOAD_LENGTH and fr.response_ok(buf[pos : pos + PAYLOAD_LENGTH]):
                return pos
            pos = buf.find(PAYLOAD_HEADER, pos + 1, end)
        return -1

    def later_frame(self, buf: bytearray) -> int:
        """The first complete good frame after the undecided one at 0, or -1:
        junk that looks like the start of a long frame must not hold back a
        good frame that follows it."""
        payload = self._later_payload(buf, 1, len(buf))
        limit = payload if payload > 0 else len(buf)
        for pos in range(1, limit - 4):
            if buf[pos + 1] in (FC_WRITE, FC_READ, FC_WRITE_ONE) or buf[pos + 1] & 0x80:
                if _rtu_shape(buf, pos)[0] == "frame":
                    return pos
        return payload


# --- decoding -----------------------------------------------------------------------------------------
def _strip_payload(frame: bytes) -> tuple[bytes, bytes | None]:
    """(the 300-byte payload, the ack after it or None); DecodeError when bad."""
    payload = check_payload(frame)  # truncated / sum8 / unknown type, with the reason
    if payload[:4] != PAYLOAD_HEADER:
        raise DecodeError("not a JK-PB frame: an AA 55 90 EB frame is BLE-only")
    rest = frame[PAYLOAD_LENGTH:]
    for pad in range(min(3, len(rest))):
        if pad and rest[pad - 1] != 0:
            break
        cand = rest[pad : pad + 8]
        if len(cand) == 8 and cand[1] == FC_WRITE:
            if crc_ok(cand):
                return payload, bytes(cand)
            if pad == 0 or cand[0] != 0:
                raise DecodeError(
                    f"the FC16 acknowledgement after the payload fails its CRC "
                    f"(0x{cand[6] | cand[7] << 8:04X}, computed 0x{crc16(cand[:6]):04X})"
                )
    return payload, None


def rtu_problem(frame: bytes) -> str:
    """Why ``frame`` is not a good Modbus RTU frame of this protocol."""
    if len(frame) < 4:
        return f"truncated: {len(frame)} bytes is shorter than any Modbus RTU frame"
    fc = frame[1]
    if frame[0] > MAX_ADDRESS or not (fc in (FC_READ, FC_WRITE, FC_WRITE_ONE) or fc & 0x80):
        return (
            f"not a JK-PB frame: neither a 55 AA EB 90 payload nor a Modbus RTU frame (function 0x{fc:02X})"
        )
    state, _ = _rtu_shape(frame)
    if state == "wait":
        return f"truncated: {len(frame)} bytes, function 0x{fc:02X} needs more"
    got, want = frame[-2] | frame[-1] << 8, crc16(frame[:-2])
    if got != want:
        return f"CRC mismatch: frame ends 0x{got:04X}, CRC is 0x{want:04X}"
    return f"not a JK-PB Modbus frame: bad length {len(frame)} for function 0x{fc:02X}"


@dataclasses.dataclass(frozen=True)
class RtuFrame:
    """One checked Modbus RTU frame, field by field."""

    slave: int
    function: int  # with bit 0x80 set for an exception reply
    register: int | None = None
    count: int | None = None
    words: tuple[int, ...] = ()  # the values an FC16/FC06 request writes
    data: bytes = b""  # the bytes an FC03 reply returns
    exception: int | None = None

    @property
    def is_ack(self) -> bool:
        """The 8-byte echo of an FC16 write."""
        return self.function == FC_WRITE and not self.words


def parse_rtu(frame: bytes) -> RtuFrame:
    """The Modbus RTU frame at the start of ``frame``; DecodeError when bad."""
    state, length = _rtu_shape(frame)
    if state != "frame":
        raise DecodeError(rtu_problem(frame))
    frame = frame[:length]
    slave, fc = frame[0], frame[1]
    if fc & 0x80:
        return RtuFrame(slave, fc, exception=frame[2])
    if fc == FC_READ and length != 8:
        return RtuFrame(slave, fc, data=bytes(frame[3:-2]))
    register = frame[2] << 8 | frame[3]
    if fc == FC_WRITE_ONE:
        return RtuFrame(slave, fc, register, 1, (frame[4] << 8 | frame[5],))
    count = frame[4] << 8 | frame[5]
    if fc == FC_WRITE and length > 8:
        words = tuple(frame[7 + 2 * i] << 8 | frame[8 + 2 * i] for i in range(count))
        return RtuFrame(slave, fc, register, count, words)
    return RtuFrame(slave, fc, register, count)  # FC16 ack or FC03 request


def _decode_rtu(frame: bytes) -> Message:
    f = parse_rtu(frame)
    if f.exception is not None:
        name = EXCEPTION_NAMES.get(f.exception, "unknown exception")
        return Ack(
            ok=False,
            raw_value=f.exception,
            detail=f"the board refused the request: Modbus exception {f.exception:02d} "
            f"({name}) from slave {f.slave} to function 0x{f.function & 0x7F:02X}",
        )
    if f.is_ack:
        # the echo of a write: its register, and the register count as raw_value
        return Ack(register=f.register, raw_value=f.count)
    if f.function == FC_READ and f.register is None:
        # an FC03 reply names no register (that was in the request)
        return Ack(raw_value=int.from_bytes(f.data, "big") if len(f.data) <= 8 else None)
    cmd = Command(register=f.register)
    cmd.extra.update(slave=f.slave, function=f.function)
    if f.function == FC_READ:
        cmd.extra.update(count=f.count, action="read")
        return cmd
    if f.function == FC_WRITE:
        cmd.extra["count"] = f.count
        cmd.length = 2 * len(f.words)
    cmd.extra["words"] = list(f.words)
    if len(f.words) <= 2:
        raw = 0
        for w in f.words:
            raw = raw << 16 | w
        cmd.raw_value = raw
        spec = BY_REGISTER.get(f.register)
        if spec is not None and spec.width == 2 * len(f.words):
            if spec.signed and raw >> (8 * spec.width - 1):
                raw -= 1 << (8 * spec.width)
                cmd.raw_value = raw
            cmd.setting = spec.key
            cmd.value = spec.from_raw(raw)
        elif f.register == CONTROL_BITMASK and len(f.words) == 1:
            cmd.extra["jk_control_flags"] = {s.key: bool(raw >> s.bit & 1) for s in CONTROL_FLAGS}
    if f.register in CONTROL_NAMES:
        cmd.extra["action"] = CONTROL_NAMES[f.register]
    return cmd


def decode(frame: bytes) -> Message:
    """A payload (with or without its ack) or a Modbus RTU frame."""
    if not frame:
        raise DecodeError("empty frame")
    if frame[:4] == PAYLOAD_HEADER or (len(frame) < 4 and PAYLOAD_HEADER.startswith(frame)):
        payload, _ack = _strip_payload(frame)
        message = decode_frame(payload, JK02_32S)
        if isinstance(message, (Settings, DeviceInfo)):
            message.protocol = JK_PB
        return message
    return _decode_rtu(frame)


def payload_slave(frame: bytes) -> int | None:
    """The slave a payload came from, read from the ack glued to it (None: no ack)."""
    if frame[:4] != PAYLOAD_HEADER:
        return None
    try:
        _payload, ack = _strip_payload(frame)
    except DecodeError:
        return None
    return ack[0] if ack else None


def redact(frame: bytes) -> bytes:
    """A device-info payload with both PINs zeroed, sum8 fixed (jk.md §6)."""
    from .layout import CONNECT_PIN, SETUP_PASSWORD

    n = PAYLOAD_LENGTH
    if len(frame) < n or frame[:4] != PAYLOAD_HEADER or frame[4] != fr.TYPE_DEVICE_INFO:
        return frame
    buf = bytearray(frame)
    for _name, offset, length in (CONNECT_PIN, SETUP_PASSWORD):
        buf[offset : offset + length] = bytes(length)
    buf[n - 1] = fr.sum8(buf[: n - 1])
    return bytes(buf)


# --- the protocol -----------------------------------------------------------------------------------
class JkPbProtocol(Protocol):
    """JK-PB over RS485: polled with the trigger protocol, one slave per session."""

    id = JK_PB
    name = "JK-PB inverter BMS (RS485 Modbus)"
    family = "jk"
    transports = ("serial", "sim")
    default_baud = 115200
    max_cells = 32
    streaming = False
    #: the factory setup password (jk.md §6), which the device-info payload reveals
    default_passwords = ("123456",)

    def __init__(self, address: int = 1) -> None:
        if not 0 <= address <= MAX_ADDRESS:
            raise ValueError(f"a Modbus slave address is 0..{MAX_ADDRESS}, not {address}")
        self.address = address

    def __repr__(self) -> str:
        return f"<Protocol {self.id} slave {self.address}>"

    def bind(self, options: Mapping[str, str]) -> JkPbProtocol:
        """The protocol for the slave a URL names: ``?address=N`` (default 1)."""
        text = str(options.get("address", "") or "").strip()
        if not text:
            return self
        try:
            address = int(text, 0)
        except ValueError:
            raise ValueError(f"address={text!r} is not a Modbus slave number (1..15 on JK-PB)") from None
        return self if address == self.address else JkPbProtocol(address)

    def new_reader(self) -> JkPbFrameReader:
        return JkPbFrameReader(self.address)

    def decode(self, frame: bytes) -> Message:
        return decode(frame)

    def extract_secrets(self, frame: bytes) -> Secrets:
        """The PINs of a device-info payload (jk.md §6): memory only."""
        if frame[:4] != PAYLOAD_HEADER or len(frame) < PAYLOAD_LENGTH:
            return Secrets()
        return decode_device_info(frame[:PAYLOAD_LENGTH])[1]

    def redact(self, frame: bytes) -> bytes:
        return redact(frame)

    # trigger reads (jk.md §8.3)
    def identify_requests(self) -> list[bytes]:
        return [build_trigger(self.address, TRIGGER_DEVICE_INFO)]

    def poll_requests(self) -> list[bytes]:
        return [build_trigger(self.address, TRIGGER_CELL_INFO)]

    def settings_requests(self) -> list[bytes]:
        return [build_trigger(self.address, TRIGGER_SETTINGS)]

    def settings_schema(self) -> list[SettingSpec]:
        return list(SCHEMA)

    def encode_write(self, key: str, value: Any, current: Mapping[str, Any] | None = None) -> bytes:
        """FC16 to 0x1000 + (byte offset - 6), big-endian, high word first (jk.md §8.2).

        A control flag rewrites all 16 flags at 0x1114 (read-modify-write):
        ``current`` must hold the board's other 15 flags as last read.
        """
        spec = BY_KEY.get(key)
        if spec is None or not spec.writable:
            raise KeyError(f"{self.id} has no writable setting {key!r}")
        spec.check(value)
        if spec.bit is not None:
            if current is None or any(s.key not in current for s in CONTROL_FLAGS):
                raise ValueError(
                    f"{key} shares a 16-bit register with the other control flags: "
                    "read the board's settings first (the register is written whole)"
                )
            values = dict(current)
            values[key] = bool(value)
            return build_write(self.address, CONTROL_BITMASK, [control_bitmask(values)])
        raw = spec.to_raw(value)
        lo = -(1 << (8 * spec.width - 1)) if spec.signed else 0
        hi = (1 << (8 * spec.width - (1 if spec.signed else 0))) - 1
        if not lo <= raw <= hi:
            raise ValueError(f"{key}={value} does not fit in {spec.width} bytes")
        return build_write(self.address, spec.register, words_of(raw, spec.width))

    def write_requests(self, key: str, value: Any, current: Mapping[str, Any] | None = None) -> list[bytes]:
        return [self.encode_write(key, value, current)]

    # the control block 0x1600 (jk.md §8.2, official V1.1), the BLE commands' twins
    def actions(self) -> tuple[str, ...]:
        return tuple(CONTROL_ACTIONS)

    def encode_action(self, name: str) -> bytes:
        """One register of 0 to the command's address.  The value is not documented;
        0 is what the same block's trigger registers take (jk.md §8.3), and the BLE
        twins carry none."""
        if name not in CONTROL_ACTIONS:
            raise KeyError(f"{self.id} has no action {name!r}")
        return build_write(self.address, CONTROL_ACTIONS[name], [0])

    def calibration_kinds(self) -> tuple[str, ...]:
        return tuple(CONTROL_CALIBRATION)

    def encode_calibration(self, kind: str, measured: float) -> bytes:
        """The meter's pack voltage (V) or current (A, + charging) as a 32-bit mV / mA value,
        high word first, as the BLE twins 0x64 / 0x67 carry four bytes (jk.md §5.1, §8.2)."""
        if kind not in CONTROL_CALIBRATION:
            raise KeyError(f"{self.id} has no {kind} calibration command")
        return build_write(self.address, CONTROL_CALIBRATION[kind], words_of(int(round(measured * 1000)), 4))


__all__ = [
    "JK_PB",
    "JkPbFrameReader",
    "JkPbProtocol",
    "RtuFrame",
    "SCHEMA",
    "build_exception",
    "build_trigger",
    "build_write",
    "build_write_ack",
    "control_bitmask",
    "crc16",
    "decode",
    "parse_rtu",
    "payload_slave",
    "redact",
]
