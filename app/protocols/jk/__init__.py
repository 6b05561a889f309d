"""JK (Jikong) BMS: the BLE frame protocols JK02_24S, JK02_32S and JK04.

The same ``55 AA EB 90`` frames travel over BLE (service FFE0, characteristic
FFE1) and, on JK-PB boards, over RS485 after a trigger (jk.md §8.3), so one
codec serves every transport.  JK04 (the oldest boards) uses the same frames
with float32 values.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from typing import Any

from ...model import DeviceInfo, Message, Settings, SettingSpec
from .. import register
from ..base import DecodeError, Protocol
from . import framing
from .decode import check_frame as framing_check
from .decode import decode_device_info, decode_device_settings, decode_frame, looks_jk04, variant_for_device
from .framing import JkFrameReader, build_command
from .layout import JK02_24S, JK02_32S, JK04
from .schema import SCHEMAS, by_key

BLE_SERVICE = "0000ffe0-0000-1000-8000-00805f9b34fb"
BLE_CHAR = "0000ffe1-0000-1000-8000-00805f9b34fb"
MANUFACTURER_ID = 0x0B65  # advertisement company id (jk.md §1.1)
#: the setup password and the Bluetooth connect PIN JK boards leave the factory with (jk.md §6)
FACTORY_PASSWORD = "123456"
FACTORY_PIN = "1234"

#: voltage/current calibration: the measured value in mV/mA, length 4 (jk.md §5.1;
#: 24S registers from ESPHome's comment on mpp-solar #170).  JK04's 0x44 sets an
#: ADC reference instead and is left to the settings schema.
CALIBRATION_REGISTERS = {
    JK02_32S: {"voltage": 0x64, "current": 0x67},
    JK02_24S: {"voltage": 0x21, "current": 0x24},
}

#: JK02_32S emergency switch (jk.md §5.2)
EMERGENCY_REGISTER = 0x6B

#: JK02_32S actions, value length 0 (jk.md §5.3, ESPHome buttons/selects)
ACTION_REGISTERS = {
    "preset_li_ion": 0x68,
    "preset_lifepo4": 0x69,
    "preset_lto": 0x6A,
    "shutdown": 0x65,
    "restart": 0x66,
    "factory_reset": 0x9D,
}


class Jk02Protocol(Protocol):
    family = "jk"
    transports = ("ble", "serial", "sim")
    default_baud = 115200
    ble_service_uuid = BLE_SERVICE
    ble_notify_uuid = BLE_CHAR
    ble_write_uuid = BLE_CHAR
    streaming = True
    default_passwords = (FACTORY_PASSWORD,)
    default_pin = FACTORY_PIN

    def __init__(self, pid: str, name: str, max_cells: int) -> None:
        self.id = pid
        self.name = name
        self.max_cells = max_cells
        # JK04's cell-info frame has no alarm field (jk.md §2.3 lists every field it has)
        self.reports_alarms = pid != JK04

    def __repr__(self) -> str:
        return f"<Protocol {self.id}>"

    def new_reader(self) -> JkFrameReader:
        return JkFrameReader()

    def decode(self, frame: bytes) -> Message:
        return decode_frame(frame, self.id)

    def decode_all(self, frame: bytes) -> list[Message]:
        """A JK02_32S device-info frame also carries some settings (jk.md §3): the
        DeviceInfo, then a partial Settings with just those keys.  The frame's own
        software version decides, so a board still being identified is read right."""
        message = decode_frame(frame, self.id)
        if isinstance(message, DeviceInfo) and message.protocol == JK02_32S:
            return [message, decode_device_settings(framing_check(frame), JK02_32S)]
        return [message]

    def ack_may_follow(self, message: Message) -> bool:
        """Some firmwares follow the device-info and settings frames with the 20-byte
        ``AA 55 90 EB C8 01 01 …`` frame, unasked (jk.md §1.3 item 4 and §1.4: the
        "320-byte" frames of the BD6A17S6P 7.1.0H and v19.05 captures)."""
        return isinstance(message, (DeviceInfo, Settings))

    def extract_secrets(self, frame: bytes):
        """The PINs a device-info frame carries in clear (jk.md §6): memory only."""
        return decode_device_info(frame)[1]

    def redact(self, frame: bytes) -> bytes:
        """A device-info frame with both PINs zeroed and its checksum fixed (jk.md §6):
        raw captures replay through the decoders but never carry the passwords."""
        from .layout import CONNECT_PIN, SETUP_PASSWORD

        n = framing.RESPONSE_LENGTH
        if len(frame) < n or frame[:4] != framing.RESPONSE_HEADER or frame[4] != framing.TYPE_DEVICE_INFO:
            return frame
        buf = bytearray(frame)
        for _name, offset, length in (CONNECT_PIN, SETUP_PASSWORD):
            buf[offset : offset + length] = bytes(length)
        buf[n - 1] = framing.sum8(buf[: n - 1])
        return bytes(buf)

    # session start (jk.md §1.3): 0x97 first, then 0x96 starts the stream
    def identify_requests(self) -> list[bytes]:
        return [build_command(framing.REG_READ_DEVICE_INFO)]

    def start_requests(self) -> list[bytes]:
        return [build_command(framing.REG_READ_SETTINGS)]

    def settings_requests(self) -> list[bytes]:
        # JK02_32S keeps some settings in the device-info frame (jk.md §3): 0x97
        # first, then 0x96, so a read-back sees both (the order of jk.md §1.3)
        if self.id == JK02_32S:
            return [build_command(framing.REG_READ_DEVICE_INFO), build_command(framing.REG_READ_SETTINGS)]
        return [build_command(framing.REG_READ_SETTINGS)]

    def logbook_requests(self) -> list[bytes]:
        # 0xA1 -> frame type 0x05, JK02_32S only (jk.md §1.5)
        return [build_command(framing.REG_READ_LOGBOOK)] if self.id == JK02_32S else []

    def settings_schema(self) -> list[SettingSpec]:
        return list(SCHEMAS[self.id])

    def encode_write(self, key: str, value: Any) -> bytes:
        spec = by_key(self.id).get(key)
        if spec is None or not spec.writable:
            raise KeyError(f"{self.id} has no writable setting {key!r}")
        spec.check(value)
        length = spec.write_width or spec.width
        if spec.encoding == "f32":  # JK04 writes IEEE-754 floats (jk.md §5.4)
            return build_command(spec.register, struct.pack("<f", spec.to_raw(value)))
        return build_command(spec.register, spec.to_raw(value), length)

    def actions(self) -> tuple[str, ...]:
        # length-0 commands of JK02_32S (jk.md §5.3); none are documented for 24S
        return tuple(ACTION_REGISTERS) if self.id == JK02_32S else ()

    def encode_action(self, name: str) -> bytes:
        if name not in self.actions():
            raise KeyError(f"{self.id} has no action {name!r}")
        return build_command(ACTION_REGISTERS[name])

    # emergency start: JK02_32S switch register 0x6B, value 0/1, length 4 (jk.md §5.2;
    # the official PB map's "emergency start" at 0x1610, §8.2).  Its read-back is the
    # live frame's emergency countdown (byte 218, > 0 = active, jk.md §2.1).
    def has_emergency(self) -> bool:
        return self.id == JK02_32S

    @property
    def emergency_duration_key(self) -> str | None:  # type: ignore[override]
        # the 32S device-info frame's emergency duration, minutes (jk.md §3)
        return "jk_emergency_duration_min" if self.has_emergency() else None

    def emergency_remaining_s(self, snapshot) -> int:
        """The live frame's emergency countdown (32S byte 218, jk.md §2.1), seconds."""
        return int(snapshot.extra.get("jk_emergency_remaining_s", 0) or 0)

    def encode_emergency(self, on: bool) -> bytes:
        if not self.has_emergency():
            raise KeyError(f"{self.id} has no emergency switch")
        return build_command(EMERGENCY_REGISTER, 1 if on else 0, 4)

    def calibration_kinds(self) -> tuple[str, ...]:
        return tuple(CALIBRATION_REGISTERS.get(self.id, {}))

    def encode_calibration(self, kind: str, measured: float) -> bytes:
        """The measured pack voltage (V) or current (A, + charging), sent in mV/mA."""
        regs = CALIBRATION_REGISTERS.get(self.id, {})
        if kind not in regs:
            raise KeyError(f"{self.id} has no {kind} calibration command")
        return build_command(regs[kind], int(round(measured * 1000)), 4)

    def detect_variant(self, messages: Iterable[Message]) -> Protocol:
        for msg in messages:
            if isinstance(msg, DeviceInfo):
                found = variant_for_device(msg.hardware_version, msg.software_version)
                if found == JK02_24S and self.id == JK04:
                    return self  # majors below 11 cover JK04 too: the frames decided already
                if found:
                    return PROTOCOLS[found]
        return self

    def misfit(self, frame: bytes, messages) -> str | None:
        """Besides the device information and implausible values (the default), a frame
        whose encoding names another variant (JK04 floats, JK02 integers: ``refine``)."""
        other = self.refine(frame)
        if other is not self:
            return f"they look like {other.id} (the frames' number encoding)"
        return super().misfit(frame, messages)

    def refine(self, frame: bytes) -> Protocol:
        """JK04 and JK02_24S share firmware majors below 11: the frames tell them apart."""
        if self.id == JK02_32S:
            return self
        if looks_jk04(frame):
            return PROTOCOLS[JK04]
        if (
            self.id == JK04
            and len(frame) >= 5
            and frame[4] in (framing.TYPE_CELL_INFO, framing.TYPE_SETTINGS)
        ):
            return PROTOCOLS[JK02_24S]
        return self


PROTOCOLS = {
    JK02_24S: register(Jk02Protocol(JK02_24S, "JK BMS (JK02, up to 24 cells)", 24), "jk_ble_jk02_24s"),
    JK02_32S: register(Jk02Protocol(JK02_32S, "JK BMS (JK02, up to 32 cells)", 32), "jk_ble_jk02_32s"),
    JK04: register(Jk02Protocol(JK04, "JK BMS (JK04, oldest boards, up to 24 cells)", 24), "jk_ble_jk04"),
}

# the serial protocols: 4E57 (jk.md §7) and JK-PB RS485 Modbus (jk.md §8)
from .pb_modbus import JK_PB, JkPbProtocol  # noqa: E402
from .serial4e57 import JK_4E57, Jk4e57Protocol  # noqa: E402

PROTOCOLS[JK_4E57] = register(Jk4e57Protocol(), "jk_serial_4e57")
PROTOCOLS[JK_PB] = register(JkPbProtocol(), "jk_pb_modbus")

# the descriptor the family registry finds (family.py: looks_like, BLE, labels, hints)
from .family import FAMILY  # noqa: E402

__all__ = [
    "FAMILY",
    "PROTOCOLS",
    "Jk02Protocol",
    "JK02_24S",
    "JK02_32S",
    "JK04",
    "DecodeError",
    "decode_device_info",
    "JkFrameReader",
    "build_command",
]
