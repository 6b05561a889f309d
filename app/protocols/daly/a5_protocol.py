"""The ``daly_a5`` protocol: classic Daly boards over UART, RS485 and the old Bluetooth dongles.

Polled, one request at a time (python-daly-bms, jbd_daly.md §4): the scripts
below ask for 0x90–0x98 and collect the multi-frame replies by frame number.
URL options (``bind``): ``address=0x40`` (the RS485 port; default 0x80, the
UART / Bluetooth port, §4.1) and ``invert_current=1`` (§8 #17).

The session handles the *returned* message of ``identify_script`` and
``poll_script`` (``snapshot_from_poll_script``): the single A5 frames decode to
parts, and only the script sees a whole cycle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from ...model import Ack, DeviceInfo, Message, Settings, SettingSpec, Snapshot
from ..base import DecodeError, Protocol, Script, ScriptError, Step
from . import a5, discovery, schema
from .framing import A5FrameReader
from .labels import A5_NOTICE

DALY_A5 = "daly_a5"
#: the log line for a board whose current sign disagrees with its state register
CURRENT_SIGN_NOTICE = (
    "the board's current sign disagrees with its charge/discharge state; "
    "Packbench follows the state (jbd_daly.md §8 #17). If the current shows "
    "the wrong way round, add ?invert_current=1 to the device URL"
)
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off", "")
#: port names accepted for ``address=``
ADDRESS_NAMES = {
    "rs485": a5.ADDRESS_RS485,
    "uart": a5.ADDRESS_UART,
    "ble": a5.ADDRESS_UART,
    "bluetooth": a5.ADDRESS_UART,
}


def flag(options: Mapping[str, str], key: str) -> bool:
    text = str(options.get(key, "") or "").strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(f"{key}={text!r} is not on or off (1/0, true/false)")


def _live_answer(data_id: int):
    key = a5.SIGNATURE[data_id]

    def answers(message: Message) -> bool:
        return isinstance(message, Snapshot) and (
            key in message.extra or getattr(message, key, None) is not None
        )

    return answers


def _settings_answer(data_id: int):
    keys = {row.spec.key for row in schema.A5_BY_ID.get(data_id, ())}

    def answers(message: Message) -> bool:
        return isinstance(message, Settings) and bool(keys & set(message.values))

    return answers


def soc_rtc_data(soc_pct: float, when: datetime) -> bytes:
    """0x21: YY MM DD hh mm ss, then SOC × 10 (§4.3; the forum capture and serialbattery)."""
    raw = int(round(float(soc_pct) * 10))
    if not 0 <= raw <= 1000:
        raise ValueError("the state of charge must be between 0 and 100 %")
    if not 2000 <= when.year <= 2255:
        raise ValueError("the board's clock holds the years 2000 to 2255")
    return bytes(
        [when.year - 2000, when.month, when.day, when.hour, when.minute, when.second, raw >> 8, raw & 0xFF]
    )


class DalyA5Protocol(Protocol):
    id = DALY_A5
    name = "Daly BMS (classic A5 protocol)"
    family = "daly"
    transports = ("ble", "serial", "sim")
    default_baud = 9600
    ble_service_uuid = discovery.BLE_SERVICE
    ble_notify_uuid = discovery.BLE_NOTIFY
    ble_write_uuid = discovery.BLE_WRITE
    ble_alternatives = discovery.BLE_ALTERNATIVES
    max_cells = 48
    streaming = False
    snapshot_from_poll_script = True
    #: A5 has no password command (§6.6): the gate asks nothing and says so
    password_check = "none"
    #: 0x21 sets the state of charge and the clock together (§4.3)
    has_soc = True
    has_clock = True

    def __init__(self, address: int = a5.ADDRESS_UART, invert_current: bool = False) -> None:
        a5.request(a5.STATUS_INFO, address=address)  # ValueError for a board/bad address
        self.address = address
        self.invert_current = invert_current

    def __repr__(self) -> str:
        return f"<Protocol {self.id} host {self.address:#04x}>"

    def bind(self, options: Mapping[str, str]) -> DalyA5Protocol:
        """``?address=0x40`` (or ``rs485`` / ``uart``) and ``?invert_current=1``."""
        text = str(options.get("address", "") or "").strip().lower()
        address = self.address
        if text:
            try:
                address = ADDRESS_NAMES[text] if text in ADDRESS_NAMES else int(text, 0)
            except ValueError:
                raise ValueError(
                    f"address={text!r} is not an A5 host address (0x40 RS485, 0x80 UART/Bluetooth)"
                ) from None
        invert = flag(options, "invert_current") if "invert_current" in options else self.invert_current
        if address == self.address and invert == self.invert_current:
            return self
        return DalyA5Protocol(address, invert)

    def new_reader(self) -> A5FrameReader:
        return A5FrameReader()

    def decode(self, frame: bytes) -> Message:
        return a5.decode_frame(frame, self.invert_current)

    def decode_all(self, frame: bytes) -> list[Message]:
        return a5.decode_all(frame, self.invert_current)

    def request(self, data_id: int, data: bytes = b"") -> bytes:
        return a5.request(data_id, data, self.address)

    # --- live data --------------------------------------------------------------------------
    def poll_requests(self) -> list[bytes]:
        return [self.request(data_id) for data_id in a5.LIVE_IDS]

    def identify_script(self) -> Script:
        """0x94 (is an A5 board there?), then the version strings 0x62/0x63, which older
        boards do not have (§5: not in the vendor's UART documents)."""
        status = yield Step(
            self.request(a5.STATUS_INFO), _live_answer(a5.STATUS_INFO), timeout_s=0.6, retries=2
        )
        if status is None:
            raise ScriptError(
                f"no answer to the A5 status request from host address "
                f"{self.address:#04x} (0x40 on the RS485 port, 0x80 on UART)"
            )
        info = DeviceInfo(protocol=self.id)
        for data_id in (a5.SOFTWARE_VERSION, a5.HARDWARE_VERSION):
            asm = a5.Assembler(data_id)
            yield Step(self.request(data_id), asm.add_message, timeout_s=0.5)
            part = a5.group_message(asm) if asm.complete else None
            if isinstance(part, DeviceInfo):
                info.software_version = info.software_version or part.software_version
                info.hardware_version = info.hardware_version or part.hardware_version
        return info

    def poll_script(self) -> Script:
        """One cycle: 0x90–0x94, the cells and probes by frame number, 0x97, 0x98.
        Returns the whole snapshot (the current's sign reconciled with 0x93's state)."""
        parts: list[Message] = []
        for data_id in (
            a5.SOC_VOLTAGE_CURRENT,
            a5.CELL_MINMAX,
            a5.TEMP_MINMAX,
            a5.MOS_STATUS,
            a5.STATUS_INFO,
        ):
            reply = yield Step(self.request(data_id), _live_answer(data_id), timeout_s=0.5, retries=1)
            if reply is not None:
                parts.append(reply)
        cells = next((p.cell_count for p in parts if isinstance(p, Snapshot) and p.cell_count), None)
        ntc = next(
            (
                p.extra["daly_ntc_count"]
                for p in parts
                if isinstance(p, Snapshot) and "daly_ntc_count" in p.extra
            ),
            None,
        )
        for data_id, count in ((a5.CELL_VOLTAGES, cells), (a5.TEMPERATURES, ntc)):
            asm = a5.Assembler(data_id, a5.count_frames(data_id, count))
            yield Step(self.request(data_id), asm.add_message, timeout_s=0.8)
            try:
                parts.append(a5.group_message(asm, cells, ntc))
            except DecodeError:
                pass  # a frame went missing: this snapshot goes without them
        for data_id in (a5.BALANCE, a5.FAULTS):
            reply = yield Step(self.request(data_id), _live_answer(data_id), timeout_s=0.5, retries=1)
            if reply is not None:
                parts.append(reply)
        if not parts:
            raise ScriptError("the board answered none of the A5 live-data requests")
        return a5.merge(parts)

    # --- settings (read-only but for the switches, §5) -------------------------------------------
    def settings_schema(self) -> list[SettingSpec]:
        return list(schema.A5_SCHEMA)

    def settings_notice(self, values: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        return A5_NOTICE, {}

    def settings_script(
        self, password: str | None, in_write_mode: bool, keys: Iterable[str] | None = None
    ) -> Script:
        wanted = set(keys) if keys is not None else None
        values: dict[str, Any] = {}
        answered = 0
        for data_id in schema.A5_DATA_IDS:
            row_keys = {row.spec.key for row in schema.A5_BY_ID[data_id]}
            if wanted is not None and not (row_keys | {"cell_count"}) & wanted:
                continue
            reply = yield Step(self.request(data_id), _settings_answer(data_id), timeout_s=0.5, retries=1)
            if isinstance(reply, Settings):
                values.update(reply.values)
                answered += 1
        switches = {"charge_switch", "discharge_switch"}
        if wanted is None or wanted & switches:
            # the FET state stands in for the switch: A5 has no read of the switch itself
            mos = yield Step(
                self.request(a5.MOS_STATUS), _live_answer(a5.MOS_STATUS), timeout_s=0.5, retries=1
            )
            if isinstance(mos, Snapshot):
                values.update(charge_switch=mos.charge_mos_on, discharge_switch=mos.discharge_mos_on)
                answered += 1
        if not answered:
            raise ScriptError(
                "the board answered none of the A5 settings reads (0x50–0x60, "
                "0x93); older A5 boards have only the live data"
            )
        return Settings(values, protocol=self.id, partial=wanted is not None)

    def write_requests(self, key: str, value: Any, current: Mapping[str, Any] | None = None) -> list[bytes]:
        """Only the MOSFET switches: 0xDA charge, 0xD9 discharge, byte 0 = 1 on / 0 off."""
        command = {"charge_switch": a5.CHARGE_MOS, "discharge_switch": a5.DISCHARGE_MOS}.get(key)
        if command is not None:
            return [self.request(command, bytes([1 if value else 0]))]
        if key in {s.key for s in schema.A5_SCHEMA}:
            raise KeyError(
                f"{key} is read-only on A5 boards: Daly documents no command that "
                "writes it (jbd_daly.md §5), and Packbench does not guess one"
            )
        raise KeyError(f"{self.id} has no setting {key!r}")

    def encode_write(self, key: str, value: Any) -> bytes:
        return self.write_requests(key, value)[-1]

    # --- control ----------------------------------------------------------------------------------
    def actions(self) -> tuple[str, ...]:
        return ("restart",)

    def encode_action(self, name: str) -> bytes:
        """0x00 restarts the board (python-daly-bms ``restart``, maland16, §4.3)."""
        if name != "restart":
            raise KeyError(f"{self.id} has no action {name!r}")
        return self.request(a5.RESET)

    def soc_rtc_request(self, soc_pct: float, when: datetime) -> bytes:
        """0x21 sets the state of charge and the clock together (§4.3); setting the clock
        alone means sending the SOC the board shows now."""
        return self.request(a5.SET_SOC_RTC, soc_rtc_data(soc_pct, when))

    def encode_soc(self, soc_pct: float, now: datetime) -> bytes:
        return self.soc_rtc_request(soc_pct, now)

    def encode_clock(self, now: datetime, snapshot: Snapshot | None) -> bytes:
        """0x21 with the SOC the board shows now, so only the clock changes."""
        if snapshot is None or snapshot.soc_pct is None:
            raise ValueError(
                "the A5 clock command carries the state of charge too, and the "
                "board has not reported it yet: wait for live data"
            )
        return self.soc_rtc_request(snapshot.soc_pct, now)

    def snapshot_notices(self, snapshot: Snapshot) -> tuple[str, ...]:
        """The current's sign disagreed with the board's state register (A5: 0x93 byte 0), which
        wins (§8 #17): said once in the log, with the per-device option that fixes it."""
        if snapshot.extra.get("daly_current_sign_disagrees"):
            return (CURRENT_SIGN_NOTICE,)
        return ()

    def acknowledges(self, sent: bytes, ack: Ack) -> bool:
        """An A5 reply names the data id it answers; a MOSFET reply echoes the state asked
        for in data byte 0 (§4.3)."""
        if ack.register != sent[2]:
            return False
        return sent[2] not in (a5.CHARGE_MOS, a5.DISCHARGE_MOS) or ack.raw_value == sent[4]
