"""The ANT 2021+ protocol (``7E A1 … AA 55``) as a ``Protocol``.

Same frames over BLE (service FFE0, one characteristic FFE1 for notify and
write-without-response, §2.3) and UART/RS485 at 19200 baud (esphome ``ant_bms``).
Polled: the session asks for status (0x01) and reads settings (0x02) in blocks;
writes are 0x22 with the board's 0x42 echo checked, then one save (0x51 / 0x0007),
then a re-read (§2.7, §4.6).  Section numbers: ../shared/protocols/ant_xiaomi.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ...model import Ack, DeviceInfo, Message, Settings, SettingSpec, Snapshot
from ..base import PasswordRefused, Protocol, Script, ScriptError, Step
from . import decode as dec
from . import encode as enc
from . import schema
from .framing import AntReader, check_2021, frame_2021, reader_2021

BLE_SERVICE = "0000ffe0-0000-1000-8000-00805f9b34fb"
BLE_CHARACTERISTIC = "0000ffe1-0000-1000-8000-00805f9b34fb"
#: write only, present but unused (§2.3)
BLE_WRITE_ONLY = "0000ffe2-0000-1000-8000-00805f9b34fb"

#: §2.9: controls (MOS, balance, buzzer) need the user level; parameter writes the longer key
#: of the level-5 slot 0x016A (esphome, issue #5).  The uni-app notes say level 1 is enough
#: for writes: ``?param_level=1`` makes a board that takes the user password for parameters
#: work, without guessing.
CONTROL_LEVEL = 1
PARAMETER_LEVEL = 5
#: the switches the status reports (decode.py says from which bytes and bits)
STATUS_SWITCHES = ("charge_switch", "discharge_switch", "balance_switch")
#: the e-bike block (§2.7, esphome from issue #18): not every board answers it
OPTIONAL_BLOCKS = frozenset({0x17A})

#: control codes offered as board actions (§2.8); the current zero (0x08) is a calibration
ACTIONS = {
    "restart": 0x09,
    "shutdown": 0x0B,
    "factory_reset": 0x0C,
    "clear_system_log": 0x0F,
    "ant_clear_discharge_ah": 0x20,
    "ant_clear_charge_ah": 0x21,
    "ant_clear_discharge_time": 0x22,
    "ant_clear_charge_time": 0x23,
    "ant_clear_runtime": 0x24,
    "ant_clear_protect_time": 0x25,
}
ZERO_CURRENT = 0x08


def _parse_bool(options: Mapping[str, str], name: str, words: tuple[str, str]) -> bool | None:
    text = str(options.get(name, "") or "").strip().lower()
    if not text:
        return None
    if text not in words:
        raise ValueError(f"{name}={text!r}: say {words[0]} or {words[1]}")
    return text == words[0]


def permission_of(message: Message | None) -> int | None:
    if isinstance(message, Snapshot):
        return message.extra.get("ant_permission")
    return None


def _is_status(message: Message) -> bool:
    return isinstance(message, Snapshot)


def reply_matcher(frame: bytes) -> Callable[[Message], bool]:
    """What answers a host frame (the function code + 0x10 or + 0x20, §2.1)."""
    func, address = frame[2], int.from_bytes(frame[3:5], "little")
    if func == dec.STATUS:
        return _is_status
    if func == dec.READ:
        if address == dec.DEVICE_INFO_ADDRESS:
            return lambda m: isinstance(m, DeviceInfo) and not m.partial
        return lambda m: isinstance(m, Settings)
    if func in (dec.IDENTITY, dec.SYSTEM_INFO):
        key = "ant_identity" if func == dec.IDENTITY else "ant_system_info"
        return lambda m: isinstance(m, DeviceInfo) and key in m.extra
    if func == dec.WRITE:
        raw = int.from_bytes(frame[6 : 6 + frame[5]], "little")
        # the 0x42 echo must carry the value written (§4.6)
        return lambda m: isinstance(m, Ack) and m.register == address and m.raw_value == raw
    return lambda m: isinstance(m, Ack) and m.register == address


class Ant2021Protocol(Protocol):
    id = dec.ANT_2021
    name = "ANT BMS 2021+ (7E A1)"
    family = "ant"
    transports = ("ble", "serial")
    default_baud = 19200
    ble_service_uuid = BLE_SERVICE
    ble_notify_uuid = BLE_CHARACTERISTIC
    ble_write_uuid = BLE_CHARACTERISTIC
    max_cells = 32
    streaming = False
    password_check = "board"
    has_remaining_capacity = True

    def __init__(
        self,
        options: dec.Options = dec.DEFAULT,
        parameter_level: int = PARAMETER_LEVEL,
        commands_only: bool = False,
    ):
        self.options = options
        self.parameter_level = parameter_level
        #: a write of control commands only (``scoped``): the user level, and no save
        self.commands_only = commands_only

    def __repr__(self) -> str:
        return f"<Protocol {self.id}>"

    def bind(self, options: Mapping[str, str]) -> Ant2021Protocol:
        """``?mos_order=discharge_first|charge_first`` (§2.4 CONFLICT),
        ``?current_sign=discharge_positive|charge_positive`` (§2.4 UNCERTAIN: no charging
        capture), ``?param_level=1..5`` (§2.9 CONFLICT)."""
        first = _parse_bool(options, "mos_order", ("discharge_first", "charge_first"))
        sign = _parse_bool(options, "current_sign", ("discharge_positive", "charge_positive"))
        level_text = str(options.get("param_level", "") or "").strip()
        level = self.parameter_level
        if level_text:
            if level_text not in ("1", "2", "3", "4", "5"):
                raise ValueError(f"param_level={level_text!r}: an ANT password level is 1..5")
            level = int(level_text)
        new = dec.Options(
            self.options.discharge_first if first is None else first,
            self.options.invert_current if sign is None else sign,
        )
        if new == self.options and level == self.parameter_level:
            return self
        return Ant2021Protocol(new, level, self.commands_only)

    def scoped(self, purposes: frozenset[str]) -> Ant2021Protocol:
        """Switches, actions and calibrations are 0x51 commands: the user level (§2.9, issue
        #5: "12345678" is enough for MOSFETs and balancing) and nothing to save.  Settings
        and the remaining capacity are 0x22 writes: the parameter level, then one save."""
        commands = bool(purposes) and all(
            p in schema.SWITCH_CODES_2021 or p.startswith(("action:", "calibration:")) for p in purposes
        )
        if commands == self.commands_only:
            return self
        return Ant2021Protocol(self.options, self.parameter_level, commands)

    def acknowledges(self, sent: bytes, ack: Ack) -> bool:
        """A 0x42 echo carrying the value written, a 0x61 / 0x43 ACK of the same code (§2.1)."""
        return reply_matcher(sent)(ack)

    def new_reader(self) -> AntReader:
        return reader_2021()

    def decode(self, frame: bytes) -> Message:
        return dec.decode_frame(frame, self.options)

    def redact(self, frame: bytes) -> bytes:
        """A password (func 0x23) with its characters zeroed, CRC still valid."""
        if len(frame) > 10 and frame[:3] == b"\x7e\xa1\x23" and check_2021(frame) is None:
            n = frame[5]
            return frame_2021(dec.AUTH, int.from_bytes(frame[3:5], "little"), n, bytes(n))
        return frame

    # --- live data -----------------------------------------------------------------------
    def identify_requests(self) -> list[bytes]:
        return [enc.device_info_request()]

    def poll_requests(self) -> list[bytes]:
        return [enc.status_request()]

    def poll_script(self) -> Script:
        yield Step(enc.status_request(), _is_status, timeout_s=1.5)

    # --- settings ----------------------------------------------------------------------------
    def settings_schema(self) -> list[SettingSpec]:
        return list(schema.SCHEMA_2021)

    def settings_requests(self) -> list[bytes]:
        return [enc.read_settings(a, n) for a, n in schema.READ_BLOCKS_2021]

    def settings_script(
        self, password: str | None, in_write_mode: bool, keys: Iterable[str] | None = None
    ) -> Script:
        """The settings memory in the vendor app's blocks (reads need no password in any
        capture), then one status for the switches, which live there (§2.4, §2.5)."""
        wanted = set(keys) if keys is not None else None
        values: dict[str, Any] = {}
        for address, length in schema.READ_BLOCKS_2021:
            covered = schema.keys_in_2021(address, length)
            if wanted is not None and not wanted & set(covered):
                continue
            frame = enc.read_settings(address, length)
            reply = yield Step(frame, reply_matcher(frame), timeout_s=1.5, retries=1)
            if isinstance(reply, Settings):
                values.update(reply.values)
            elif address not in OPTIONAL_BLOCKS:
                raise ScriptError(
                    f"the board did not answer the settings read of {length} bytes at {address:#06x}"
                )
        if wanted is None or wanted & set(STATUS_SWITCHES):
            snap = yield Step(enc.status_request(), _is_status, timeout_s=1.5, retries=1)
            if isinstance(snap, Snapshot):
                values.update({k: getattr(snap, k) for k in STATUS_SWITCHES if getattr(snap, k) is not None})
        if wanted is not None:
            values = {k: v for k, v in values.items() if k in wanted}
        return Settings(values, protocol=self.id, partial=wanted is not None)

    def write_requests(self, key: str, value: Any, current: Mapping[str, Any] | None = None) -> list[bytes]:
        if key in schema.SWITCH_CODES_2021:
            on, off = schema.SWITCH_CODES_2021[key]
            return [enc.control(on if value else off)]
        address, data = schema.encode_2021(key, value)
        return [enc.write_settings(address, data)]

    def encode_write(self, key: str, value: Any) -> bytes:
        return self.write_requests(key, value)[-1]

    def reply_matcher(self, frame: bytes) -> Callable[[Message], bool]:
        return reply_matcher(frame)

    def auth_script(self, level: int, password: str | None) -> Script:
        """The password the action needs, sent once (§2.9): nothing when the board's status
        already grants ``level`` (byte 6; every capture shows 5 and takes writes without a
        password); else the given password to that level's slot, then the status again.
        Never a second guess, never a default password tried on the user's behalf."""
        snap = yield Step(enc.status_request(), _is_status, timeout_s=1.5, retries=1)
        granted = permission_of(snap)
        if granted is not None and granted >= level:
            return granted
        if snap is None:
            raise ScriptError("the board does not answer its status request")
        if not password:
            raise PasswordRefused(
                f"this board wants its level-{level} password first "
                f"(it grants level {granted}): nothing was written"
            )
        try:
            frame = enc.password(level, password)
        except ValueError as exc:
            raise PasswordRefused(f"{exc}: nothing was written") from None
        reply = yield Step(frame, reply_matcher(frame), timeout_s=1.5)
        if not (isinstance(reply, Ack) and reply.ok):
            raise PasswordRefused("the board refused the password: nothing was written")
        snap = yield Step(enc.status_request(), _is_status, timeout_s=1.5, retries=1)
        granted = permission_of(snap)
        if granted is None or granted < level:
            raise PasswordRefused(
                f"the board took the password but grants level {granted}, not {level}: nothing was written"
            )
        return granted

    def open_write_script(self, password: str | None) -> Script:
        return self.auth_script(CONTROL_LEVEL if self.commands_only else self.parameter_level, password)

    def close_write_script(self, save: bool) -> Script | None:
        """Save once, after all the writes (0x51 / 0x0007, §2.7); its 0x61 ACK is checked.
        Commands (``scoped``) store nothing in the settings memory: no save."""
        if not save or self.commands_only:
            return None
        return self._save_script()

    def _save_script(self) -> Script:
        frame = enc.save_settings()
        reply = yield Step(frame, reply_matcher(frame), timeout_s=2.0, retries=1)
        if not (isinstance(reply, Ack) and reply.ok):
            raise ScriptError(
                "the board did not confirm saving the settings to flash: they may be lost at the next restart"
            )

    # --- control -------------------------------------------------------------------------------
    def actions(self) -> tuple[str, ...]:
        return tuple(ACTIONS)

    def encode_action(self, name: str) -> bytes:
        if name not in ACTIONS:
            raise KeyError(f"{self.id} has no action {name!r}")
        return enc.control(ACTIONS[name])

    def action_requests(self, name: str) -> list[bytes]:
        return [self.encode_action(name)]

    def control_level(self) -> int:
        return CONTROL_LEVEL

    def calibration_kinds(self) -> tuple[str, ...]:
        """The current zero calibration, code 0x08 (§2.8): no current may flow."""
        return ("current_zero",)

    def encode_calibration(self, kind: str, measured: float) -> bytes:
        if kind != "current_zero":
            raise KeyError(f"{self.id} has no {kind} calibration command")
        return enc.control(ZERO_CURRENT)

    def encode_remaining_capacity(self, ah: float) -> bytes:
        """0x22 at 0xA6, u32 in 1e-6 Ah (uni-app notes; §2.7 UNCERTAIN on the unit)."""
        spec = schema.SPECS_2021["ant_capacity_remaining_ah"]
        raw = schema.raw_of(spec, ah)
        return enc.write_settings(spec.register, raw.to_bytes(4, "little"))

    def detect_variant(self, messages: Iterable[Message]) -> Protocol:
        return self
