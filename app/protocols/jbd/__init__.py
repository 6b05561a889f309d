"""JBD / LLT Power / Xiaoxiang / Overkill Solar boards: ``DD … 77`` frames.

The same frames travel over UART/RS485 (9600 8N1) and BLE (service FF00,
notify FF01, write FF02; FFF0/FFF1/FFF2 on some modules), jbd_daly.md §1.
Unlike JK, the board streams nothing: the session polls 0x03 (basic info)
and 0x04 (cells).  Settings live in an EEPROM behind "factory mode" (§3.1):
every read or write of them is a scripted exchange that enters factory mode,
and every path out of it leaves factory mode again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ...model import Ack, DeviceInfo, Message, ModuleMessage, RegisterValue, Settings, SettingSpec, Snapshot
from .. import register
from ..base import DecodeError, PasswordRefused, Protocol, Script, ScriptError, Step
from . import decode as dec
from . import framing as fr
from . import schema
from .decode import decode_basic, decode_frame
from .framing import JbdFrameReader

JBD = "jbd"

BLE_SERVICE = "0000ff00-0000-1000-8000-00805f9b34fb"
BLE_NOTIFY = "0000ff01-0000-1000-8000-00805f9b34fb"
BLE_WRITE = "0000ff02-0000-1000-8000-00805f9b34fb"
#: the layout of DH04-style modules (serialbattery auto-detects it, §1.2)
BLE_ALTERNATIVES = (
    (
        "0000fff0-0000-1000-8000-00805f9b34fb",
        "0000fff1-0000-1000-8000-00805f9b34fb",
        "0000fff2-0000-1000-8000-00805f9b34fb",
    ),
)

#: the digits of the board password the vendor app sends when none is set
PASSWORD_LENGTH = 6


def read(register: int) -> bytes:
    return fr.request(register)


ENTER = fr.write_register(dec.REG_FACTORY, dec.ENTER_FACTORY)
EXIT_DISCARD = fr.write_register(dec.REG_EXIT, dec.EXIT_DISCARD)
EXIT_SAVE = fr.write_register(dec.REG_EXIT, dec.EXIT_SAVE)


def password_digits(password: str) -> bytes:
    """The six digits as raw values 0–9, as every capture sends them (§3.1, §8 #11)."""
    text = password.strip()
    if len(text) != PASSWORD_LENGTH or not text.isdigit():
        raise ValueError("a JBD board password is six digits")
    return bytes(int(c) for c in text)


def use_password(password: str) -> bytes:
    return fr.request(dec.REG_USE_PASSWORD, bytes([PASSWORD_LENGTH]) + password_digits(password), write=True)


#: the fixed "root password" newer modules want after the user password (§1.3,
#: syssi-jbd's flow for firmware SP04S034 V1.3)
ROOT_PASSWORD = b"JBDbtpwd!@#2023"
#: what the module takes when its owner never set a password (§1.3)
DEFAULT_MODULE_PASSWORD = "000000"


def mac_bytes(address: str) -> bytes:
    """``a4:c1:37:…`` -> bytes in printed order (§1.3: MAC[0] = 0xA4)."""
    parts = address.split(":")
    if len(parts) != 6:
        raise ValueError(
            "the Bluetooth-module login needs the board's MAC address; this "
            "computer shows the board by another identifier (macOS)"
        )
    return bytes(int(p, 16) for p in parts)


def encrypt(secret: bytes, mac: bytes, random_byte: int) -> bytes:
    """``enc[i] = ((MAC[i] XOR secret[i]) + R) & 0xFF``, MAC bytes past 5 taken as 0 (§1.3)."""
    return bytes(((mac[i] if i < len(mac) else 0) ^ b) + random_byte & 0xFF for i, b in enumerate(secret))


def _module_reply(command: int):
    def answers(message: Message) -> bool:
        return (
            isinstance(message, ModuleMessage) and message.command == command and message.direction == "reply"
        )

    return answers


#: parameters that equal the legacy registers − 0x10 (§3.3: "only for 0–39")
PARAMS_LEGACY = 40


def params_request(start: int, count: int) -> bytes:
    """``DD A5 FA 03 <start hi> <start lo> <count> ck 77`` (§3.3, at most 95)."""
    return fr.request(dec.REG_PARAMS, start.to_bytes(2, "big") + bytes([count]))


def _answers_params(message: Message) -> bool:
    return getattr(message, "register", None) == dec.REG_PARAMS


def reply_to(register: int):
    """Accepts the board's reply (data, ack or refusal) to a request for ``register``."""

    def answers(message: Message) -> bool:
        return getattr(message, "register", None) == register and not isinstance(message, Snapshot)

    return answers


def _is_ok(reply: Message | None) -> bool:
    return isinstance(reply, Ack) and reply.ok


class JbdProtocol(Protocol):
    id = JBD
    name = "JBD / LLT / Xiaoxiang BMS"
    family = "jbd"
    transports = ("ble", "serial", "sim")
    default_baud = 9600
    ble_service_uuid = BLE_SERVICE
    ble_notify_uuid = BLE_NOTIFY
    ble_write_uuid = BLE_WRITE
    ble_alternatives = BLE_ALTERNATIVES
    max_cells = 32
    streaming = False
    password_check = "board"
    has_board_password = True
    default_pin = DEFAULT_MODULE_PASSWORD
    # cap_100 (0x12) is the voltage the SOC estimate calls full; JBD does not order it
    # against OVP/OVPR, and vendor files put it below OVPR (FullChargeVol 3400, OVPR 3500)
    unordered_keys = ("soc_full_v",)

    def __repr__(self) -> str:
        return f"<Protocol {self.id}>"

    def new_reader(self) -> JbdFrameReader:
        return JbdFrameReader()

    def decode(self, frame: bytes) -> Message:
        return decode_frame(frame)

    def decode_all(self, frame: bytes) -> list[Message]:
        """0x03 carries live data and the software version and production date."""
        if (
            fr.check(frame) is None
            and not fr.is_request(frame)
            and frame[1] == dec.REG_BASIC
            and frame[2] == fr.STATUS_OK
        ):
            snap, info = decode_basic(frame[4 : 4 + frame[3]])
            return [snap, info]
        return [self.decode(frame)]

    serial_in_settings = True
    per_pack_keys = frozenset({"device_name", "jbd_barcode"})  # the barcode is pack_serial's

    def pack_serial(self, info: DeviceInfo | None, settings: Mapping[str, Any]) -> str | None:
        """JBD keeps no serial number in its device information: the barcode (0xA2, the
        text a pack builder writes on with JBD Tools) if set, else the EEPROM serial
        number (0x16) unless it is 0; None before the settings were read."""
        barcode = str(settings.get("jbd_barcode") or "").strip()
        if barcode:
            return barcode
        number = settings.get("jbd_serial_number")
        return f"EEPROM-{number}" if isinstance(number, int) and number else None

    def redact(self, frame: bytes) -> bytes:
        """Password frames (0x06 use, 0x07 set) with their digits zeroed, checksum fixed."""
        if (
            fr.is_request(frame)
            and frame[1] == fr.WRITE
            and fr.check(frame) is None
            and frame[2] in (dec.REG_USE_PASSWORD, dec.REG_SET_PASSWORD)
        ):
            n = frame[3]
            return fr.request(frame[2], bytes([frame[4]]) + bytes(n - 1), write=True)
        if frame[:2] == fr.MODULE_HEADER and len(frame) > 5 and frame[2] in (0x15, 0x16, 0x18, 0x1D):
            return fr.module_frame(frame[2], bytes(frame[3]))
        return frame

    # --- live data -------------------------------------------------------------------
    def identify_requests(self) -> list[bytes]:
        return [read(dec.REG_HARDWARE)]

    def poll_requests(self) -> list[bytes]:
        return [read(dec.REG_BASIC), read(dec.REG_CELLS)]

    def poll_script(self) -> Script:
        # one request at a time: a UART board answers the first and may drop the second
        for reg in (dec.REG_BASIC, dec.REG_CELLS):
            yield Step(read(reg), lambda m, r=reg: _answers_live(m, r), timeout_s=1.5)

    def unlock_script(self, pin: str | None, address: str) -> Script:
        """The Bluetooth-module login of newer dongles, which ignore DD frames until
        it is done (§1.3): app key 0x15, then the user password (0x18) and the root
        password (0x1D), each encrypted with the module's MAC and a fresh random byte."""
        secret = (pin or DEFAULT_MODULE_PASSWORD).encode("ascii")
        mac = mac_bytes(address)
        reply = yield Step(fr.module_frame(0x15, secret), _module_reply(0x15), timeout_s=1.0, retries=1)
        if reply is None:
            raise ScriptError("the Bluetooth module does not answer its login either")
        for command, payload in ((0x18, secret), (0x1D, ROOT_PASSWORD)):
            rnd = yield Step(fr.module_frame(0x17), _module_reply(0x17), timeout_s=1.0, retries=1)
            if not isinstance(rnd, ModuleMessage) or "random_byte" not in rnd.extra:
                raise ScriptError("the Bluetooth module sent no login challenge")
            reply = yield Step(
                fr.module_frame(command, encrypt(payload, mac, rnd.extra["random_byte"])),
                _module_reply(command),
                timeout_s=1.0,
            )
            if not isinstance(reply, ModuleMessage) or reply.extra.get("result") != "ACK":
                if command == 0x18:
                    raise PasswordRefused(
                        "the Bluetooth module refused its password: enter the "
                        "module's PIN (often 000000 or 123123)"
                    )
                raise ScriptError("the Bluetooth module refused the login")

    def board_password_script(self, old: str | None, new: str | None) -> Script:
        """Set (0x07: [12][6 old][6 new]) or, with ``new`` None, clear (0x09 with the
        factory code "J1B2D4", verified on a V1.3 capture) the board password (§3.5);
        then check that factory mode now wants exactly that, and leave it again."""
        if new is None:
            frame = fr.request(dec.REG_CLEAR_PASSWORD, bytes([6]) + b"J1B2D4", write=True)
            register = dec.REG_CLEAR_PASSWORD
        else:
            # a board without a password takes zeros for the old one, as the vendor app
            # sends zeros to such a board (jbd_sp04eeprom_000)
            digits = password_digits(old or "000000") + password_digits(new)
            frame = fr.request(dec.REG_SET_PASSWORD, bytes([12]) + digits, write=True)
            register = dec.REG_SET_PASSWORD
        reply = yield Step(frame, reply_to(register), timeout_s=1.5)
        if not _is_ok(reply):
            if new is not None and isinstance(reply, Ack):
                raise PasswordRefused(
                    "the board refused: the current password is not "
                    f"{'000000 (none set)' if not old else 'the one given'}"
                )
            raise ScriptError("the board did not accept the password change")
        # check: factory mode without a password is refused now (set) or accepted (clear)
        reply = yield Step(ENTER, reply_to(dec.REG_FACTORY), timeout_s=1.0, retries=2, undo=(EXIT_DISCARD,))
        if new is None:
            verified = _is_ok(reply)
        else:
            reply = (
                reply
                if _is_ok(reply)
                else (yield Step(use_password(new), reply_to(dec.REG_USE_PASSWORD), timeout_s=1.0))
            )
            if _is_ok(reply) and reply.register == dec.REG_USE_PASSWORD:
                reply = yield Step(ENTER, reply_to(dec.REG_FACTORY), timeout_s=1.0)
                verified = _is_ok(reply)
            else:
                verified = False
        yield Step(EXIT_DISCARD, reply_to(dec.REG_EXIT), timeout_s=1.0, retries=1, undo=())
        return verified

    has_remaining_capacity = True

    def encode_remaining_capacity(self, ah: float) -> bytes:
        """0xE0 = remaining capacity in 10 mAh, written in factory mode (§3.2, §3.4)."""
        raw = int(round(float(ah) * 100))
        if not 0 <= raw <= 0xFFFF:
            raise ValueError("the remaining capacity must be between 0 and 655.35 Ah")
        return fr.write_register(0xE0, raw)

    def error_counts_requests(self) -> list[bytes]:
        return [read(dec.REG_ERRORS)]

    # --- settings through factory mode (§3.1) --------------------------------------------
    def settings_schema(self) -> list[SettingSpec]:
        return list(schema.SCHEMA)

    def open_write_script(self, password: str | None) -> Script:
        """Factory mode first; the password (0x06) only when the board refuses (§3.1).

        Never guesses a password and never repeats a refused one, so a board
        that counts attempts cannot lock the user out.
        """
        reply = yield Step(ENTER, reply_to(dec.REG_FACTORY), timeout_s=1.0, retries=4, undo=(EXIT_DISCARD,))
        if _is_ok(reply):
            return
        if reply is None:
            raise ScriptError(
                "the board did not answer the request for factory mode, where its settings are kept"
            )
        if not password:
            raise PasswordRefused(
                "this board has a password: enter it to read or change its settings (nothing was written)"
            )
        try:
            frame = use_password(password)
        except ValueError as exc:
            raise PasswordRefused(f"{exc}: nothing was written") from None
        reply = yield Step(frame, reply_to(dec.REG_USE_PASSWORD), timeout_s=1.0)
        if not _is_ok(reply):
            raise PasswordRefused("the board refused the password: nothing was written")
        reply = yield Step(ENTER, reply_to(dec.REG_FACTORY), timeout_s=1.0, retries=2, undo=(EXIT_DISCARD,))
        if not _is_ok(reply):
            raise PasswordRefused(
                "the board took the password but still refused factory mode: nothing was written"
            )

    def close_write_script(self, save: bool) -> Script:
        reply = yield Step(
            EXIT_SAVE if save else EXIT_DISCARD, reply_to(dec.REG_EXIT), timeout_s=1.5, retries=2, undo=()
        )
        if not _is_ok(reply) and save:
            raise ScriptError(
                "the board did not confirm leaving factory mode: the new values may not be saved"
            )

    def recovery_requests(self) -> list[bytes]:
        """Leave factory mode without saving (§3.1 "exit, discard").  Harmless outside it:
        the vendor app itself sends this exit after a MOS write made outside factory
        mode (§3.4, verified traffic)."""
        return [EXIT_DISCARD]

    def settings_script(
        self, password: str | None, in_write_mode: bool, keys: Iterable[str] | None = None
    ) -> Script:
        values: dict[str, Any] = {}
        wanted = set(keys) if keys is not None else None
        numeric = schema.NUMERIC_REGISTERS
        texts = schema.TEXT_ROWS
        if wanted is not None:
            numeric = tuple(r for r in numeric if any(f.key in wanted for f in schema.fields_of(r)))
            texts = [t for t in texts if t.key in wanted]
        if not in_write_mode and (numeric or texts):
            yield from self.open_write_script(password)
        if wanted is None:
            # the newer parameter mode (§3.3) gives parameters 0–39 (= registers
            # 0x10–0x37) in one reply; older boards ignore it: fall back to one by one
            reply = yield Step(params_request(0, PARAMS_LEGACY), _answers_params, timeout_s=0.6)
            if isinstance(reply, RegisterValue) and reply.extra.get("count") == PARAMS_LEGACY:
                values.update(reply.values)
                numeric = tuple(r for r in numeric if r >= 0x10 + PARAMS_LEGACY)
        for reg in numeric:
            reply = yield Step(read(reg), reply_to(reg), timeout_s=1.0, retries=1)
            if isinstance(reply, RegisterValue):
                values.update(reply.values)
            elif reg not in schema.OPTIONAL_REGISTERS:
                why = reply.detail if isinstance(reply, Ack) else "no answer"
                raise ScriptError(f"the board did not give register {reg:#04x} ({why})")
        for spec in texts:
            reply = yield Step(read(spec.register), reply_to(spec.register), timeout_s=1.0, retries=1)
            if isinstance(reply, RegisterValue):
                values.update(reply.values)
        if not in_write_mode and (numeric or texts):
            yield from self.close_write_script(save=False)
        # the MOSFET switches are not in the EEPROM: the live data shows them (§3.4)
        if wanted is None or wanted & {"charge_switch", "discharge_switch"}:
            basic = yield Step(
                read(dec.REG_BASIC), lambda m: _answers_live(m, dec.REG_BASIC), timeout_s=1.5, retries=1
            )
            if isinstance(basic, Snapshot):
                values.update(switches_from(basic))
        return Settings(values, protocol=self.id, partial=wanted is not None)

    def write_requests(self, key: str, value: Any, current: Mapping[str, Any] | None = None) -> list[bytes]:
        spec = schema.SPECS.get(key)
        if spec is None or not spec.writable:
            raise KeyError(f"jbd has no writable setting {key!r}")
        if key in ("charge_switch", "discharge_switch"):
            state = {"charge_switch": True, "discharge_switch": True}
            state.update({k: current[k] for k in state if current and current.get(k) is not None})
            state[key] = bool(value)
            bits = (0 if state["charge_switch"] else 1) | (0 if state["discharge_switch"] else 2)
            return [fr.write_register(schema.REG_MOS, bits)]
        if spec.kind == "text":
            text = str(value)
            if len(text) > 31 or not text.isascii() or not all(c.isalnum() or c in "-_ ." for c in text):
                raise ValueError(f"{key}: English letters, digits, '-', '_', '.' and spaces, at most 31")
            data = text.encode("ascii")
            return [fr.request(spec.register, bytes([len(data)]) + data, write=True)]
        reg, raw = schema.encode_write(key, value, dict(current) if current else None)
        return [fr.write_register(reg, raw)]

    def encode_write(self, key: str, value: Any) -> bytes:
        return self.write_requests(key, value)[-1]

    # --- calibration (§3.2: 0xAD idle, 0xAE charge, 0xAF discharge current, 10 mA) -----------
    def calibration_kinds(self) -> tuple[str, ...]:
        return ("current",)

    def encode_calibration(self, kind: str, measured: float) -> bytes:
        if kind != "current":
            raise KeyError(f"{self.id} has no {kind} calibration command")
        raw = int(round(abs(measured) * 100))
        if not 0 < raw <= 0xFFFF:
            raise ValueError("the measured current must be between 0.01 and 655 A")
        return fr.write_register(0xAE if measured > 0 else 0xAF, raw)

    def detect_variant(self, messages: Iterable[Message]) -> Protocol:
        return self


def _answers_live(message: Message, register: int) -> bool:
    if isinstance(message, Snapshot):
        return message.partial == (register == dec.REG_BASIC)
    return isinstance(message, Ack) and message.register == register and not message.ok


def switches_from(snapshot: Snapshot) -> dict[str, bool]:
    """The 0xE1 switches as the board holds them: a FET the software lock (protection
    bit 12) holds open is switched off; without the lock both are on (§2.1, §3.4)."""
    locked = bool(snapshot.extra.get("jbd_mos_software_lock"))
    if not locked:
        return {"charge_switch": True, "discharge_switch": True}
    return {
        "charge_switch": bool(snapshot.charge_mos_on),
        "discharge_switch": bool(snapshot.discharge_mos_on),
    }


PROTOCOL = register(JbdProtocol(), "llt", "xiaoxiang", "overkill", "jbd_bms")

# the descriptor the family registry finds (family.py: looks_like, BLE, .fig, hints)
from .family import FAMILY  # noqa: E402

__all__ = ["FAMILY", "JBD", "JbdProtocol", "PROTOCOL", "DecodeError", "DeviceInfo"]
