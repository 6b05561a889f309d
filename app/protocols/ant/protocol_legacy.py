"""The ANT legacy protocol (boards from before 2021; 2021 boards still answer it).

UART/RS485 8N1: CONFLICT §1.1 on the speed, 19200 (esphome ``ant_bms_old``,
dbus-serialbattery) or 9600 (the vendor PDF): 19200 is the default, detection falls
back to 9600.  Bluetooth: classic SPP on old modules, BLE FFE0/FFE1 on newer ones;
the 140-byte status reply arrives as ~20-byte notifications (§1.1).  Polled with
``DB DB 00 00 00 00`` (or ``5A 5A 00 00 01 01``, ``?request=5a5a``).  Every write
``A5 A5 addr hi lo cs`` is followed by the apply command ``A5 A5 FF 00 00 FF`` and a
read-back (§1.4, §4.7).  Section numbers: ../shared/protocols/ant_xiaomi.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ...model import Command, DeviceInfo, Message, RegisterValue, Settings, SettingSpec, Snapshot
from ..base import Protocol, Script, ScriptError, Step
from . import legacy as leg
from . import schema
from .framing import AntReader, reader_legacy
from .protocol2021 import BLE_CHARACTERISTIC, BLE_SERVICE

#: §1.4 control addresses offered as actions; buttons write 0 (esphome ``AntButton``
#: ``press_action`` writes 0x0000), then apply
ACTIONS = {
    "preset_lifepo4": 0xFB,
    "preset_lto": 0xF0,
    "shutdown": 0xF7,
    "restart": 0xFE,
    "factory_reset": 0xFD,
    "ant_auto_balance": 0xFC,
}
ZERO_CURRENT = 0xF8  # a calibration (``calibration_kinds``), not an action
BAUD_FALLBACK = 9600


def answers_parameter(address: int) -> Callable[[Message], bool]:
    """The board's 6-byte answer to ``5A 5A addr 00 00``: a RegisterValue, or a frame that
    looks like the request itself when the value is 0 (legacy.py says why)."""

    def answers(message: Message) -> bool:
        if isinstance(message, RegisterValue):
            return message.register == address
        return (
            isinstance(message, Command)
            and message.register == address
            and message.raw_value == 0
            and message.extra.get("operation") == "read"
        )

    return answers


def _is_status(message: Message) -> bool:
    return isinstance(message, Snapshot)


class AntLegacyProtocol(Protocol):
    id = leg.ANT_LEGACY
    name = "ANT BMS legacy (AA 55 AA FF)"
    family = "ant"
    transports = ("ble", "serial")
    default_baud = 19200
    ble_service_uuid = BLE_SERVICE
    ble_notify_uuid = BLE_CHARACTERISTIC
    ble_write_uuid = BLE_CHARACTERISTIC
    max_cells = 32
    streaming = False
    password_check = "board"
    #: the board answers a write with nothing: the read-back is the check (§4.7)
    write_gap_s = 0.1
    acknowledges_writes = False

    def __init__(self, options: leg.Options = leg.DEFAULT, status_request: bytes = leg.STATUS_REQUEST_BT):
        self.options = options
        self.status_request = status_request

    def __repr__(self) -> str:
        return f"<Protocol {self.id}>"

    def bind(self, options: Mapping[str, str]) -> AntLegacyProtocol:
        """``?current_sign=discharge_positive|charge_positive`` (§1.3 CONFLICT) and
        ``?request=dbdb|5a5a`` (the status request, §1.2)."""
        sign_text = str(options.get("current_sign", "") or "").strip().lower()
        request_text = str(options.get("request", "") or "").strip().lower()
        if sign_text and sign_text not in ("discharge_positive", "charge_positive"):
            raise ValueError(f"current_sign={sign_text!r}: say discharge_positive or charge_positive")
        if request_text and request_text not in ("dbdb", "5a5a"):
            raise ValueError(f"request={request_text!r}: say dbdb or 5a5a")
        opts = leg.Options(sign_text == "discharge_positive") if sign_text else self.options
        request = (
            {"dbdb": leg.STATUS_REQUEST_BT, "5a5a": leg.STATUS_REQUEST_UART}[request_text]
            if request_text
            else self.status_request
        )
        if opts == self.options and request == self.status_request:
            return self
        return AntLegacyProtocol(opts, request)

    def new_reader(self) -> AntReader:
        return reader_legacy()

    def decode(self, frame: bytes) -> Message:
        return leg.decode_frame(frame, self.options)

    def decode_all(self, frame: bytes) -> list[Message]:
        """A status frame is also the board's identity: the legacy protocol has no
        device-information frame (§1), so the frame that answers the status request
        tells the session which protocol the board speaks, and nothing more."""
        message = self.decode(frame)
        if isinstance(message, Snapshot):
            return [message, DeviceInfo(protocol=self.id)]
        return [message]

    def redact(self, frame: bytes) -> bytes:
        return leg.redact(frame)

    # --- live data (the board has no device-information frame) -------------------------------
    def identify_requests(self) -> list[bytes]:
        return [self.status_request]

    def poll_requests(self) -> list[bytes]:
        return [self.status_request]

    def poll_script(self) -> Script:
        yield Step(self.status_request, _is_status, timeout_s=2.0)

    # --- settings: one parameter at a time, as the vendor app reads them (§1.4) ---------------
    def settings_schema(self) -> list[SettingSpec]:
        return list(schema.SCHEMA_LEGACY)

    def settings_requests(self) -> list[bytes]:
        return [leg.read_parameter(a) for a in schema.LEGACY_ADDRESSES]

    def settings_script(
        self, password: str | None, in_write_mode: bool, keys: Iterable[str] | None = None
    ) -> Script:
        wanted = set(keys) if keys is not None else None
        addresses = schema.LEGACY_ADDRESSES
        if wanted is not None:
            addresses = tuple(
                a for a in addresses if (row := schema.row_at_legacy(a)) and row[0].key in wanted
            )
        words: dict[int, int] = {}
        for address in addresses:
            reply = yield Step(
                leg.read_parameter(address), answers_parameter(address), timeout_s=1.0, retries=1
            )
            if reply is None:
                raise ScriptError(f"the board did not answer the read of parameter {address}")
            words[address] = int(getattr(reply, "raw_value", 0) or 0)
        values = schema.decode_words_legacy(words)
        if wanted is None or wanted & {"charge_switch", "discharge_switch"}:
            snap = yield Step(self.status_request, _is_status, timeout_s=2.0, retries=1)
            if isinstance(snap, Snapshot):
                values.update(
                    {
                        k: getattr(snap, k)
                        for k in ("charge_switch", "discharge_switch")
                        if getattr(snap, k) is not None
                    }
                )
        if wanted is not None:
            values = {k: v for k, v in values.items() if k in wanted}
        return Settings(values, protocol=self.id, partial=wanted is not None)

    def write_requests(self, key: str, value: Any, current: Mapping[str, Any] | None = None) -> list[bytes]:
        """The value's word(s), low word first, then apply (§1.4)."""
        spec = schema.SPECS_LEGACY.get(key)
        if spec is not None and spec.kind == "bool":
            return [leg.write_parameter(spec.register, 1 if value else 0), leg.APPLY]
        return [leg.write_parameter(a, w) for a, w in schema.encode_legacy(key, value)] + [leg.APPLY]

    def encode_write(self, key: str, value: Any) -> bytes:
        return self.write_requests(key, value)[0]

    def open_write_script(self, password: str | None) -> Script | None:
        """The 8-character password as four writes to 0xF1–0xF4, sent once when the user
        gave one (§1.4).  The board reports no permission, so a board without a password
        is simply written; the read-back tells whether it took the values."""
        if not password:
            return None
        return self._password_script(password)

    def _password_script(self, password: str) -> Script:
        try:
            frames = leg.password_frames(password)
        except ValueError as exc:
            raise ScriptError(f"{exc}: nothing was written") from None
        for frame in frames:
            # no documented reply (the board answers writes with nothing): a short pause
            # between the words, never a resend
            yield Step(frame, answers_parameter(frame[2]), timeout_s=self.write_gap_s)

    # --- control ----------------------------------------------------------------------------------
    def actions(self) -> tuple[str, ...]:
        return tuple(ACTIONS)

    def action_requests(self, name: str) -> list[bytes]:
        if name not in ACTIONS:
            raise KeyError(f"{self.id} has no action {name!r}")
        return [leg.write_parameter(ACTIONS[name], 0), leg.APPLY]

    def encode_action(self, name: str) -> bytes:
        """The command and the apply in one write: 12 bytes fit one BLE write (≤ 20)."""
        return b"".join(self.action_requests(name))

    def calibration_kinds(self) -> tuple[str, ...]:
        """The current zero calibration, address 0xF8 (§1.4): no current may flow."""
        return ("current_zero",)

    def encode_calibration(self, kind: str, measured: float) -> bytes:
        if kind != "current_zero":
            raise KeyError(f"{self.id} has no {kind} calibration command")
        return leg.write_parameter(ZERO_CURRENT, 0) + leg.APPLY

    def detect_variant(self, messages: Iterable[Message]) -> Protocol:
        return self
