"""Xiaomi / Ninebot frames -> model messages (ant_xiaomi.md §3).

A frame is classified by who sent it to whom (the Xiaomi ADDR byte, the Ninebot
SRC/DST bytes):
- host -> BMS or ESC: a ``Command`` (a read with its register and length, or a
  write with its value), so a sniffed bus can be read;
- BMS -> host: its register window, turned into live data, device information
  and settings by the rows of registers.py; a write acknowledgement is an ``Ack``;
- ESC -> host: a ``RegisterValue`` of the ESC's registers (values in ``extra``);
- dashboard <-> ESC traffic (Xiaomi CMD 0x64/0x65): a ``ModuleMessage``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...model import (
    CELL_OVERVOLTAGE,
    CELL_UNDERVOLTAGE,
    CHARGE_OVERTEMPERATURE,
    DISCHARGE_OVERTEMPERATURE,
    Ack,
    Command,
    DeviceInfo,
    Message,
    ModuleMessage,
    RegisterValue,
    Settings,
    Snapshot,
    unknown_alarm,
)
from ..base import DecodeError
from . import framing as fr
from .registers import BMS_ROWS, ESC_ROWS, INFO, LIVE, SETTINGS, Reg, covered, read_rows, touched

FAMILY = "xiaomi"

# --- conflicts decided (§3.4, §6), each switchable per device (``Options``) -------------
#: CONFLICT §3.4 on the current's sign.  + = discharge: ES2BMS wiki, BotoX (its firmware
#: sends ``current = -batCurrent`` of a bq769x0 that counts charging positive), CamiAlfa
#: ("negative when charging"), sparkplug619 ("negative = charging"); + = charging:
#: Kostanoy's header only.  No captured frame states a direction (the one status capture
#: carries 0.01 A), so the majority decides; ``current_sign=charge_positive`` turns it.
DISCHARGE_POSITIVE, CHARGE_POSITIVE = "discharge_positive", "charge_positive"
#: CONFLICT §3.4 on the two temperature bytes of 0x35: T1 is the low (first) byte for the
#: HJ tool and BotoX (``temperature[0]`` = sensor 1), the high byte for Kostanoy.  The
#: real capture has both bytes equal (31 31), so it cannot decide; the two working
#: readers do.  ``temp_order=high_first`` turns it.
LOW_FIRST, HIGH_FIRST = "low_first", "high_first"
TEMPERATURE_OFFSET = 20  # °C + 20 in one byte (§3.4)


@dataclass(frozen=True)
class Options:
    """Per-device choices where the sources disagree (bound from URL options)."""

    current_sign: str = DISCHARGE_POSITIVE
    temp_order: str = LOW_FIRST

    def __post_init__(self) -> None:
        if self.current_sign not in (DISCHARGE_POSITIVE, CHARGE_POSITIVE):
            raise ValueError(
                f"current_sign={self.current_sign!r}: use {DISCHARGE_POSITIVE} "
                f"(most sources) or {CHARGE_POSITIVE}"
            )
        if self.temp_order not in (LOW_FIRST, HIGH_FIRST):
            raise ValueError(f"temp_order={self.temp_order!r}: use {LOW_FIRST} or {HIGH_FIRST}")


DEFAULT_OPTIONS = Options()

# --- status register 0x30 (§3.4, ES2BMS wiki; BotoX and Kostanoy agree on 0, 6, 8, 9, 10)
#: bits that say what the pack is doing: flags in ``extra``, never alarms
STATUS_FLAGS = {
    0: "xiaomi_config_valid",
    1: "xiaomi_activated",
    3: "xiaomi_charging_enabled",
    4: "xiaomi_write_lock",
    5: "xiaomi_discharging",
    6: "xiaomi_charging",
    7: "xiaomi_charger_inserted",
}
#: fault bits with a canonical alarm id.  8: "discharge error", under-voltage for
#: Kostanoy; 9 over-voltage; 14 deep under-voltage.  The bq769x-class front ends of these
#: packs protect per cell, hence the cell ids.  10 "over-heat" names no direction and the
#: vocabulary has no direction-free id: both temperature ids, so neither is hidden.
STATUS_ALARMS: dict[int, tuple[str, ...]] = {
    8: (CELL_UNDERVOLTAGE,),
    9: (CELL_OVERVOLTAGE,),
    10: (CHARGE_OVERTEMPERATURE, DISCHARGE_OVERTEMPERATURE),
    14: (CELL_UNDERVOLTAGE,),
}
#: fault bits named by a source, as flags too (the health page reads them); 2 "charge
#: protection" and 13 "charge error" have no canonical id and stay ``xiaomi_bit_<n>``
FAULT_FLAGS = {
    2: "xiaomi_charge_protection",
    8: "xiaomi_undervoltage",
    9: "xiaomi_overvoltage",
    10: "xiaomi_overheat",
    13: "xiaomi_charge_error",
    14: "xiaomi_deep_undervoltage",
}


def status_fields(bits: int) -> tuple[list[str], dict[str, bool]]:
    """(alarms, flags) of status register 0x30."""
    alarms: list[str] = []
    for bit in range(16):
        if not bits >> bit & 1 or bit in STATUS_FLAGS:
            continue
        alarms += STATUS_ALARMS.get(bit, (unknown_alarm(FAMILY, bit),))
    flags = {name: bool(bits >> bit & 1) for bit, name in {**STATUS_FLAGS, **FAULT_FLAGS}.items()}
    return sorted(set(alarms)), flags


# --- who talks to whom --------------------------------------------------------------------
BMS, ESC_DEV, BLE, OTHER = "bms", "esc", "ble", "other"
_M365_TO = {fr.TO_BMS: BMS, fr.TO_ESC: ESC_DEV, fr.TO_BLE: BLE}
_M365_FROM = {fr.FROM_BMS: BMS, fr.FROM_ESC: ESC_DEV, fr.FROM_BLE: BLE}


def _role(address: int | None) -> str:
    if address in fr.NB_BMS_ADDRESSES:
        return BMS
    return {fr.NB_ESC: ESC_DEV, fr.NB_BLE: BLE}.get(address, OTHER)  # type: ignore[arg-type]


def route(pkt: fr.Packet) -> tuple[str, str]:
    """(device, "request" | "reply"): the device a request goes to or a reply comes from."""
    if pkt.format == fr.M365.name:
        if pkt.addr in _M365_TO:
            return _M365_TO[pkt.addr], "request"  # type: ignore[index]
        return _M365_FROM.get(pkt.addr, OTHER), "reply"  # type: ignore[arg-type]
    # Ninebot: a BMS on either side decides (the ESC itself reads the BMS)
    if _role(pkt.dst) == BMS:
        return BMS, "request"
    if _role(pkt.src) == BMS:
        return BMS, "reply"
    if _role(pkt.dst) != OTHER:
        return _role(pkt.dst), "request"
    return _role(pkt.src), "reply"


def _endpoints(pkt: fr.Packet) -> dict[str, Any]:
    if pkt.format == fr.M365.name:
        return {"xiaomi_address": pkt.addr}
    return {"xiaomi_source": pkt.src, "xiaomi_destination": pkt.dst}


# --- host -> device ------------------------------------------------------------------------
#: Xiaomi CMD values of the dashboard's own exchange with the ESC (§3.2)
DASHBOARD_COMMANDS = (0x61, 0x64, 0x65)
#: the Ninebot Z10 wheel's read variant (palachzzz: answered with 0x1A bytes)
Z10_READ = 0x55
_WRITES = {fr.WRITE: "write", fr.WRITE_ACK: "write_ack"}


def _rows_of(device: str) -> tuple[Reg, ...]:
    return BMS_ROWS if device == BMS else ESC_ROWS if device == ESC_DEV else ()


#: row names that are wire-level stand-ins for what the output calls them
_PUBLIC = {
    "xiaomi_current_raw_a": "current_a",
    "xiaomi_temperature_bytes": "temperatures_c",
    "xiaomi_status_bits": "alarms",
    "xiaomi_balance_bits": "balancing_cells",
}


def public_name(name: str) -> str:
    """What a row is called in the decoded output (cell rows: ``cell_voltages_v[n]``)."""
    if name.startswith("cell_") and name.endswith("_mv"):
        return f"cell_voltages_v[{name[5:-3]}]"
    return _PUBLIC.get(name, name)


def decode_command(pkt: fr.Packet, device: str) -> Message:
    extra: dict[str, Any] = {"xiaomi_target": device, **_endpoints(pkt)}
    rows = _rows_of(device)
    if pkt.cmd in (fr.READ, Z10_READ) and len(pkt.data) == 1:
        n = pkt.data[0]
        extra["operation"] = "read"
        if pkt.cmd == Z10_READ:
            extra["operation"] = "read (Ninebot Z10 variant 0x55)"
        rows_read = covered(rows, pkt.index, n)
        extra["xiaomi_fields"] = list(dict.fromkeys(public_name(r.name) for r in rows_read))
        one = rows_read[0] if len(rows_read) == 1 else None
        return Command(
            register=pkt.index,
            setting=one.name if one and one.to == SETTINGS else None,
            length=n,
            extra=extra,
        )
    if pkt.cmd in _WRITES:
        extra["operation"] = _WRITES[pkt.cmd]
        if any(r.secret for r in touched(rows, pkt.index, len(pkt.data))):
            # a PIN travels in clear: never into the output (vocabulary.md, device information)
            extra["xiaomi_secret"] = "not shown"
            return Command(register=pkt.index, length=len(pkt.data), extra=extra)
        raw = int.from_bytes(pkt.data, "little") if len(pkt.data) == 2 else None
        values = read_rows(rows, pkt.index, pkt.data)
        setting = value = None
        for row in covered(rows, pkt.index, len(pkt.data)):
            if row.to == SETTINGS and row.index == pkt.index:
                setting, value = row.name, values.pop(row.name)
        extra.update(values)
        return Command(
            register=pkt.index, raw_value=raw, setting=setting, value=value, length=len(pkt.data), extra=extra
        )
    extra.update(operation=f"command {pkt.cmd:#04x}", data=pkt.data.hex())
    return Command(register=pkt.index, length=len(pkt.data), extra=extra)


def decode_dashboard(pkt: fr.Packet) -> ModuleMessage:
    """Xiaomi CMD 0x61/0x64/0x65 between dashboard and ESC (sparkplug619 ``blestruct``,
    ``x1struct``): not the BMS, but on the same wire."""
    extra: dict[str, Any] = {**_endpoints(pkt), "xiaomi_index": pkt.index, "data": pkt.data.hex()}
    if pkt.addr == fr.TO_ESC:
        extra.update(xiaomi_from="ble", xiaomi_to="esc")
        if pkt.cmd in (0x64, 0x65) and pkt.index == 0 and len(pkt.data) >= 3:
            extra.update(xiaomi_throttle_raw=pkt.data[1], xiaomi_brake_raw=pkt.data[2])
        return ModuleMessage(pkt.cmd, "request", extra)
    extra.update(xiaomi_from="esc", xiaomi_to="ble")
    if pkt.cmd == 0x64 and pkt.index == 0 and len(pkt.data) >= 4:
        # x1struct: mode (0 stall, 1 drive, 2 eco stall, 3 eco drive), battery LEDs
        # (0–7/8), light (0 off, 0x64 on), beep request (1 short, 2 long cruise, 3 full)
        extra.update(
            xiaomi_mode=pkt.data[0],
            xiaomi_battery_leds=pkt.data[1],
            xiaomi_light=pkt.data[2],
            xiaomi_beep=pkt.data[3],
        )
    return ModuleMessage(pkt.cmd, "reply", extra)


# --- BMS -> host ---------------------------------------------------------------------------
#: which message each BMS row's value goes to
_BMS_DESTINATION = {row.name: row.to for row in BMS_ROWS}


def _words(data: bytes) -> list[int]:
    return [int.from_bytes(data[i : i + 2], "little") for i in range(0, len(data) - 1, 2)]


def _cells(values: dict[str, Any]) -> list[float]:
    """Cells 1..N from the cell rows: 1–10 always exist (§3.4); 11–15 only up to the last
    that reads neither 0 nor 0xFFFF ("absent = 0 or 0xFFFF").  Stops at the first cell
    the reply does not hold, so a cell is never shown under another's number."""
    raw: list[int] = []
    for i in range(1, 16):
        name = f"cell_{i}_mv"
        if name not in values:
            break
        raw.append(values.pop(name))
    for name in [k for k in values if k.startswith("cell_") and k.endswith("_mv")]:
        values.pop(name)  # a window that starts past cell 1
    present = [i for i, mv in enumerate(raw) if i < 10 or mv not in (0, 0xFFFF)]
    last = max(present) + 1 if present else 0
    return [round(mv / 1000, 3) for mv in raw[:last]]


def _live(values: dict[str, Any], opts: Options) -> Snapshot:
    snap = Snapshot()
    extra: dict[str, Any] = {}
    cells = _cells(values)
    if cells:
        snap.cell_voltages_v = cells
    if "xiaomi_current_raw_a" in values:
        raw = values.pop("xiaomi_current_raw_a")
        snap.current_a = -raw if opts.current_sign == DISCHARGE_POSITIVE and raw else raw
    if "xiaomi_temperature_bytes" in values:
        lo, hi = values.pop("xiaomi_temperature_bytes")
        first, second = (lo, hi) if opts.temp_order == LOW_FIRST else (hi, lo)
        snap.temperatures_c = [float(t - TEMPERATURE_OFFSET) for t in (first, second)]
    if "xiaomi_status_bits" in values:
        bits = values["xiaomi_status_bits"]
        snap.alarms, flags = status_fields(bits)
        extra.update(flags)
    if "xiaomi_balance_bits" in values:
        bits = values["xiaomi_balance_bits"]
        snap.balancing_cells = [i + 1 for i in range(16) if bits >> i & 1]  # bit 0 = cell 1
        snap.balancing_active = bool(bits)
    for name, value in values.items():
        if hasattr(snap, name) and not name.startswith("xiaomi_"):
            setattr(snap, name, value)
        else:
            extra[name] = value
    snap.extra = extra
    snap.partial = not cells  # the cells complete a set (the session merges the parts)
    return snap.drop_implausible()


def decode_bms_registers(
    start: int, data: bytes, opts: Options = DEFAULT_OPTIONS, protocol: str | None = None
) -> list[Message]:
    """Everything a BMS reply of ``data`` from word ``start`` holds, most telling first."""
    parts: dict[str, dict[str, Any]] = {LIVE: {}, INFO: {}, SETTINGS: {}}
    for name, value in read_rows(BMS_ROWS, start, data).items():
        parts[_BMS_DESTINATION[name]][name] = value
    messages: list[Message] = []
    if parts[INFO]:
        info = DeviceInfo(partial=True)
        for name, value in parts[INFO].items():
            if name.startswith("xiaomi_"):
                info.extra[name] = value
            else:
                setattr(info, name, value)
        messages.append(info)
    if parts[SETTINGS]:
        full = all(r.name in parts[SETTINGS] for r in BMS_ROWS if r.to == SETTINGS)
        messages.append(Settings(parts[SETTINGS], protocol=protocol, partial=not full))
    if parts[LIVE]:
        snap = _live(parts[LIVE], opts)
        # the live area (0x30 on) is what a read there is for: its snapshot comes first
        messages.insert(0 if start >= 0x30 else len(messages), snap)
    if not messages:
        words = _words(data)
        messages.append(
            RegisterValue(
                start, words[0] if len(data) == 2 else None, {}, {"xiaomi_device": BMS, "xiaomi_words": words}
            )
        )
    return messages


def decode_ack(pkt: fr.Packet, device: str) -> Ack:
    """A write-with-acknowledge reply: one data byte, 1 = written (py9b ``WriteRegs``, for
    both framings).  §3.3 reads Ninebot's as "IDX 0 = OK" — UNCERTAIN; the data byte
    decides here, as in py9b's code."""
    code = pkt.data[0] if len(pkt.data) == 1 else None
    ok = code == 1
    return Ack(
        register=pkt.index,
        raw_value=code,
        ok=ok,
        status=code,
        detail=None if ok else f"the {device.upper()} refused the write (write-protected, §3.2)",
    )


def decode_esc_registers(start: int, data: bytes) -> RegisterValue:
    values = read_rows(ESC_ROWS, start, data)
    secret = {2 * (r.index - start) + i for r in ESC_ROWS if r.secret for i in range(r.codec.size)}
    words = [
        None if {i, i + 1} & secret else int.from_bytes(data[i : i + 2], "little")
        for i in range(0, len(data) - 1, 2)
    ]
    raw = words[0] if len(data) == 2 else None
    return RegisterValue(start, raw, {}, {"xiaomi_device": ESC_DEV, "xiaomi_words": words, **values})


def fold_other_pack(messages: list[Message]) -> Snapshot:
    """Another pack's reply (an external pack at 0x23 while the host reads the internal
    one) as ONE live message: its live values as they are, its device information and
    design values in ``extra``, marked ``xiaomi_external_pack`` — so a session reading
    the internal pack never takes them for its own (a script reads them, ``Step.private``)."""
    snap = next((m for m in messages if isinstance(m, Snapshot)), None) or Snapshot()
    for message in messages:
        if isinstance(message, DeviceInfo):
            snap.extra.update({k: v for k, v in message.to_fields().items() if k != "protocol"})
        elif isinstance(message, Settings):
            snap.extra.update(message.values)
    snap.extra["xiaomi_external_pack"] = True
    snap.partial = False
    return snap


def decode_packet(
    pkt: fr.Packet, opts: Options = DEFAULT_OPTIONS, protocol: str | None = None, own_bms: int | None = None
) -> list[Message]:
    """``own_bms``: the Ninebot BMS address the host reads (a reply from another BMS on
    the same bus is another pack's: ``fold_other_pack``)."""
    device, direction = route(pkt)
    m365 = pkt.format == fr.M365.name
    if m365 and pkt.cmd in DASHBOARD_COMMANDS and device in (ESC_DEV, BLE):
        return [decode_dashboard(pkt)]
    if direction == "request":
        return [decode_command(pkt, device)]
    read_reply = fr.READ if m365 else fr.NINEBOT_READ_REPLY
    ack_reply = fr.WRITE_ACK if m365 else fr.NINEBOT_WRITE_REPLY
    if pkt.cmd == ack_reply and device in (BMS, ESC_DEV):
        return [decode_ack(pkt, device)]
    if pkt.cmd == read_reply and device == BMS:
        messages = decode_bms_registers(pkt.index, pkt.data, opts, protocol)
        if not m365 and own_bms is not None and pkt.src != own_bms:
            return [fold_other_pack(messages)]
        if not m365 and pkt.src == fr.NB_BMS_EXTERNAL:
            for message in messages:
                if isinstance(message, (Snapshot, DeviceInfo)):
                    message.extra["xiaomi_external_pack"] = True
        return messages
    if pkt.cmd == read_reply and device == ESC_DEV:
        return [decode_esc_registers(pkt.index, pkt.data)]
    extra = {
        "xiaomi_device": device,
        "xiaomi_command": pkt.cmd,
        "xiaomi_words": _words(pkt.data),
        **_endpoints(pkt),
    }
    return [RegisterValue(pkt.index, None, {}, extra)]


def decode_frame(
    frame: bytes,
    fmt: fr.Format,
    opts: Options = DEFAULT_OPTIONS,
    protocol: str | None = None,
    own_bms: int | None = None,
) -> list[Message]:
    """Every message one frame carries; DecodeError for a frame that is not one of ``fmt``."""
    if not isinstance(frame, (bytes, bytearray)):
        raise DecodeError("not a byte string")
    return decode_packet(fr.parse(bytes(frame), fmt), opts, protocol, own_bms)


__all__ = [
    "CHARGE_POSITIVE",
    "DISCHARGE_POSITIVE",
    "HIGH_FIRST",
    "LOW_FIRST",
    "Options",
    "decode_bms_registers",
    "decode_frame",
    "decode_packet",
    "fold_other_pack",
    "route",
    "status_fields",
]
