"""JBD frames -> model messages (../shared/protocols/jbd_daly.md §1–3)."""

from __future__ import annotations

from typing import Any

from ...model import (
    AFE_FAULT,
    CELL_DELTA_HIGH,
    CELL_OVERVOLTAGE,
    CELL_UNDERVOLTAGE,
    CHARGE_OVERCURRENT,
    CHARGE_OVERTEMPERATURE,
    CHARGE_UNDERTEMPERATURE,
    DISCHARGE_OVERCURRENT,
    DISCHARGE_OVERTEMPERATURE,
    DISCHARGE_UNDERTEMPERATURE,
    LOW_SOC,
    PACK_OVERVOLTAGE,
    PACK_UNDERVOLTAGE,
    SHORT_CIRCUIT,
    Ack,
    Command,
    DeviceInfo,
    ErrorCounts,
    Message,
    ModuleMessage,
    RegisterValue,
    Snapshot,
    unknown_alarm,
)
from ..base import DecodeError
from ..fields import BIG, F, read_all, span
from . import framing as fr
from . import schema

REG_FACTORY = 0x00
REG_EXIT = 0x01
REG_USE_PASSWORD = 0x06
REG_SET_PASSWORD = 0x07
REG_CLEAR_PASSWORD = 0x09
REG_CONTROL = 0x0A
REG_BASIC = 0x03
REG_CELLS = 0x04
REG_HARDWARE = 0x05
REG_ERRORS = 0xAA
REG_PARAMS = 0xFA  # V11 parameter mode (§3.3)
REG_MOS_V11 = 0xFB

ENTER_FACTORY = 0x5678
EXIT_SAVE = 0x2828
EXIT_DISCARD = 0x0000

#: protection bits (§2.1) -> canonical alarm ids; 12 is the MOS software lock
#: (a switch the user set, not an alarm), 13–15 are not settled between sources
PROTECTION_ALARMS = {
    0: CELL_OVERVOLTAGE,
    1: CELL_UNDERVOLTAGE,
    2: PACK_OVERVOLTAGE,
    3: PACK_UNDERVOLTAGE,
    4: CHARGE_OVERTEMPERATURE,
    5: CHARGE_UNDERTEMPERATURE,
    6: DISCHARGE_OVERTEMPERATURE,
    7: DISCHARGE_UNDERTEMPERATURE,
    8: CHARGE_OVERCURRENT,
    9: DISCHARGE_OVERCURRENT,
    10: SHORT_CIRCUIT,
    11: AFE_FAULT,
}
MOS_LOCK_BIT = 12
#: the extended alarm word (V11 "note 2"): bits 0–9 repeat the protections as
#: warnings; 10 and 11 have their own ids
EXTRA_ALARMS = {10: CELL_DELTA_HIGH, 11: LOW_SOC}

#: 0xAA order (§2.4)
ERROR_COUNTERS = (
    "short_circuit",
    "charge_overcurrent",
    "discharge_overcurrent",
    "cell_overvoltage",
    "cell_undervoltage",
    "charge_overtemperature",
    "charge_undertemperature",
    "discharge_overtemperature",
    "discharge_undertemperature",
    "pack_overvoltage",
    "pack_undervoltage",
    "restarts",
)

STATUS_WORDS = {
    fr.STATUS_ERROR: "the board refused the request (error 0x80)",
    fr.STATUS_INVALID: "the board refused the request: not in factory mode, or a password is set (0x81)",
    fr.STATUS_CHECKSUM: "the board saw a checksum error (0x82)",
    fr.STATUS_PASSWORD: "the board refused the password (0x83)",
}

CONTROL_WORDS = {
    0x0100: "reset capacity",
    0x0200: "clear history",
    0x0300: "MCU reset",
    0x0400: "clear protection",
    0x0500: "sleep",
    0x0600: "deep power-down",
    0x0700: "automatic balancing",
    0x0800: "storage mode",
}

MODULE_COMMANDS = {
    0x07: "rename",
    0x15: "app_password",
    0x16: "change_password",
    0x17: "random_byte",
    0x18: "user_password",
    0x1D: "root_password",
}


def _u16(d: bytes, i: int) -> int:
    return d[i] << 8 | d[i + 1]


def date_text(raw: int) -> str:
    return f"{2000 + (raw >> 9):04d}-{raw >> 5 & 0x0F:02d}-{raw & 0x1F:02d}"


def _be(name: str, offset: int, fmt: str) -> F:
    return F(name, offset, fmt, order=BIG)


# --- the 0x03 basic-info layout (§2.1), offsets into the data; raw wire units -------------------
BASIC_ROWS = (
    _be("pack_10mv", 0, "H"),
    _be("current_10ma", 2, "h"),  # + charging; 100 mA when FET bit 7 is set (V11)
    _be("remaining_10mah", 4, "H"),
    _be("design_10mah", 6, "H"),
    _be("cycles", 8, "H"),
    _be("date", 10, "H"),  # (year - 2000) << 9 | month << 5 | day
    _be("balance_lo", 12, "H"),  # cells 1-16, bit 0 = cell 1
    _be("balance_hi", 14, "H"),  # cells 17-32
    _be("protection", 16, "H"),
    _be("software", 18, "B"),  # BCD-ish: 0x27 = 2.7
    _be("soc", 19, "B"),
    _be("fet", 20, "B"),  # bit 0 charge, bit 1 discharge, bit 3 heating, bit 7 100 mA units
    _be("cells", 21, "B"),
    _be("ntc", 22, "B"),
)
#: one u16 per temperature sensor, 0.1 K, from the end of BASIC_ROWS
TEMPERATURE = _be("temperature_dk", 0, "H")
#: the V11 extension after the temperatures (the captures support this layout)
EXTENSION_ROWS = (
    _be("humidity_pct", 0, "B"),
    _be("alarm_bits", 1, "H"),
    _be("full_10mah", 3, "H"),
    _be("remaining_again_10mah", 5, "H"),
    _be("balance_ma", 7, "H"),
)
BASIC_LENGTH = span(BASIC_ROWS)
EXTENSION_LENGTH = span(EXTENSION_ROWS)
#: the 0x04 reply: one u16 mV per cell
CELL = _be("cell_mv", 0, "H")


def decode_basic(data: bytes) -> tuple[Snapshot, DeviceInfo]:
    """Register 0x03 (§2.1): live data, and the software version and date it carries."""
    if len(data) < BASIC_LENGTH:
        raise DecodeError(f"basic info too short: {len(data)} data bytes, at least 23 expected")
    raw = read_all(data, BASIC_ROWS)
    fet, ntc, cells = raw["fet"], raw["ntc"], raw["cells"]
    unit = 10 if fet & 0x80 else 1  # V11: 100 mA / 100 mAh units when FET bit 7 is set
    tail = BASIC_LENGTH + TEMPERATURE.size * ntc
    if len(data) < tail:
        raise DecodeError(
            f"basic info announces {ntc} temperature sensors but carries {(len(data) - BASIC_LENGTH) // 2}"
        )
    temps = [
        round((t - schema.KELVIN_OFFSET) / 10, 1) for t in TEMPERATURE.read_many(data, ntc, BASIC_LENGTH)
    ]
    balance = raw["balance_lo"] | raw["balance_hi"] << 16
    protection = raw["protection"]
    design = round(raw["design_10mah"] * unit / 100, 2)
    snap = Snapshot(
        pack_voltage_v=round(raw["pack_10mv"] / 100, 2),
        current_a=round(raw["current_10ma"] * unit / 100, 2),
        capacity_remaining_ah=round(raw["remaining_10mah"] * unit / 100, 2),
        capacity_full_ah=design,
        cycles=raw["cycles"],
        soc_pct=raw["soc"],
        cell_count=cells,
        temperatures_c=temps,
        charge_mos_on=bool(fet & 0x01),
        discharge_mos_on=bool(fet & 0x02),
        balancing_cells=[i + 1 for i in range(32) if balance >> i & 1 and i < max(cells, 1)],
        partial=True,  # the cells follow in 0x04
    )
    snap.balancing_active = bool(balance)
    if fet & 0x08:
        snap.heating_on = True
    alarms = [
        PROTECTION_ALARMS[b] if b in PROTECTION_ALARMS else unknown_alarm("jbd", b)
        for b in range(16)
        if protection >> b & 1 and b != MOS_LOCK_BIT
    ]
    extra: dict[str, Any] = {
        "capacity_nominal_ah": design,
        "jbd_protection_bits": protection,
        "jbd_balance_bits": balance,
        "jbd_fet_status": fet,
        "jbd_mos_software_lock": bool(protection >> MOS_LOCK_BIT & 1),
        "software_version": _version(raw["software"]),
        "jbd_software_version_raw": raw["software"],
        "manufacture_date": date_text(raw["date"]),
    }
    if len(data) >= tail + EXTENSION_LENGTH:  # V11 extension (§2.1)
        ext = read_all(data, EXTENSION_ROWS, tail)
        extra["jbd_humidity_pct"] = ext["humidity_pct"]
        extra["jbd_alarm_bits"] = ext["alarm_bits"]
        alarms += [EXTRA_ALARMS[b] for b in EXTRA_ALARMS if ext["alarm_bits"] >> b & 1]
        if ext["full_10mah"]:
            snap.capacity_full_ah = round(ext["full_10mah"] * unit / 100, 2)
        snap.balance_current_a = round(ext["balance_ma"] / 1000, 3)  # mA (V11)
    snap.alarms = sorted(set(alarms))
    snap.extra = extra
    snap.drop_implausible()  # e.g. a probe at raw 0 (-273.1 °C), a pack of 655.35 V
    info = DeviceInfo(
        software_version=extra["software_version"], manufacture_date=extra["manufacture_date"], partial=True
    )
    return snap, info


def _version(raw: int) -> str:
    return f"{raw >> 4}.{raw & 0x0F}"


def decode_cells(data: bytes) -> Snapshot:
    """Register 0x04 (§2.2): one u16 mV per cell, as many as the length says."""
    if len(data) % 2:
        raise DecodeError("cell voltages: odd data length")
    cells = [round(mv / 1000, 3) for mv in CELL.read_many(data, len(data) // CELL.size)]
    return Snapshot(cell_voltages_v=cells, cell_count=len(cells)).drop_implausible()


def decode_errors(data: bytes) -> ErrorCounts:
    n = len(data) // 2
    if n < 11:
        raise DecodeError(f"error counters: {n} counters, at least 11 expected")
    return ErrorCounts({name: _u16(data, 2 * i) for i, name in enumerate(ERROR_COUNTERS[:n])})


def _text(data: bytes) -> str:
    return data.split(b"\x00")[0].decode("ascii", "replace").strip()


def decode_response(frame: bytes) -> Message:
    reg, status, n = frame[1], frame[2], frame[3]
    data = frame[4 : 4 + n]
    if status != fr.STATUS_OK:
        return Ack(
            register=reg,
            ok=False,
            status=status,
            detail=STATUS_WORDS.get(status, f"the board refused the request (status {status:#04x})"),
        )
    if reg == REG_BASIC:
        return decode_basic(data)[0]
    if reg == REG_CELLS:
        return decode_cells(data)
    if reg == REG_HARDWARE:
        # the same string as EEPROM 0xA1 "device name" (§3.2)
        return DeviceInfo(model=_text(data), device_name=_text(data) or None, partial=True)
    if reg == REG_ERRORS:
        return decode_errors(data)
    if n == 0:
        return Ack(register=reg, ok=True, status=status)
    if reg == REG_PARAMS:
        return _decode_params(data)
    if reg in schema.STRING_REGISTERS:
        length = min(data[0], len(data) - 1)
        key = next(s.key for s in schema.TEXT_ROWS if s.register == reg)
        return RegisterValue(reg, None, {key: data[1 : 1 + length].decode("ascii", "replace")})
    if n == 2:
        raw = _u16(data, 0)
        return RegisterValue(reg, raw, schema.decode_register(reg, raw))
    return RegisterValue(reg, None, {}, {"data": data.hex()})


def _decode_params(data: bytes) -> RegisterValue:
    """0xFA parameter-mode reply (§3.3): start, count, then count × u16."""
    if len(data) < 3:
        raise DecodeError("0xFA reply too short")
    start, count = _u16(data, 0), data[2]
    raws = [_u16(data, 3 + 2 * i) for i in range(min(count, (len(data) - 3) // 2))]
    extra: dict[str, Any] = {"start_param": start, "count": count, "raw_values": raws}
    values: dict[str, Any] = {}
    # parameters 0–39 are the legacy registers minus 0x10 (§3.3)
    for i, raw in enumerate(raws):
        p = start + i
        if p < 40:
            values.update(schema.decode_register(p + 0x10, raw))
    # 56–71 manufacturer, 72–87 device name, 88–103 barcode: two characters per parameter
    for first, key in ((56, "jbd_manufacturer"), (72, "device_name"), (88, "jbd_barcode")):
        if start <= first and start + len(raws) >= first + 1:
            # [length][ASCII] packed two bytes per parameter, as the string registers
            chars = b"".join(r.to_bytes(2, "big") for r in raws[first - start : first - start + 16])
            text = _text(chars[1 : 1 + chars[0]]) if chars else ""
            values[key] = text
            if key == "jbd_manufacturer":
                extra["manufacturer"] = text
    return RegisterValue(REG_PARAMS, None, values, extra)


def decode_request(frame: bytes) -> Command:
    write, reg, n = frame[1] == fr.WRITE, frame[2], frame[3]
    data = frame[4 : 4 + n]
    raw = _u16(data, 0) if n == 2 else None
    extra: dict[str, Any] = {"operation": "write" if write else "read"}
    setting, value = None, None
    if not write:
        fields = schema.fields_of(reg)
        if len(fields) == 1:
            setting = fields[0].key
        if reg == REG_PARAMS and n >= 3:
            extra.update(start_param=_u16(data, 0), count=data[2])
    elif reg == REG_FACTORY:
        extra["meaning"] = "enter factory mode" if raw == ENTER_FACTORY else "factory mode"
    elif reg == REG_EXIT:
        extra["meaning"] = (
            "leave factory mode and save"
            if raw == EXIT_SAVE
            else "leave factory mode without saving"
            if raw == EXIT_DISCARD
            else "leave factory mode"
        )
    elif reg == REG_USE_PASSWORD and n >= 1:
        extra["meaning"] = "use password"
        extra["password_digits"] = list(data[1 : 1 + data[0]])
    elif reg == REG_SET_PASSWORD:
        extra["meaning"] = "set password"
    elif reg == REG_CLEAR_PASSWORD:
        extra["meaning"] = "clear password"
    elif reg == schema.REG_MOS and raw is not None:
        extra.update(charge_switch=not raw & 1, discharge_switch=not raw & 2)
    elif reg == REG_MOS_V11 and n == 2:
        extra.update(
            mos={0: "discharge", 1: "charge", 3: "precharge", 0x0A: "both"}.get(data[0]),
            software_off=bool(data[1]),
        )
    elif reg == REG_CONTROL and raw is not None:
        extra["meaning"] = CONTROL_WORDS.get(raw, "control")
    elif reg in schema.STRING_REGISTERS and n >= 1:
        setting = next(s.key for s in schema.TEXT_ROWS if s.register == reg)
        value = data[1 : 1 + data[0]].decode("ascii", "replace")
    elif raw is not None:
        decoded = schema.decode_register(reg, raw)
        if len(decoded) == 1:
            setting, value = next(iter(decoded.items()))
        elif decoded:
            extra["values"] = decoded
    return Command(register=reg, raw_value=raw, setting=setting, value=value, length=n, extra=extra)


def decode_module(frame: bytes) -> ModuleMessage:
    """``FF AA`` BLE-module frames (§1.3).  Requests carry 6 or 15 data bytes; replies one."""
    cmd, n = frame[2], frame[3]
    data = frame[4 : 4 + n]
    extra: dict[str, Any] = {"name": MODULE_COMMANDS.get(cmd, f"command {cmd:#04x}")}
    if cmd == 0x17 and n == 1:
        return ModuleMessage(cmd, "reply", dict(extra, random_byte=data[0]))
    if n == 1 and cmd != 0x07:
        # captures show 00 = ACK (§1.3; aiobmsble and syssi disagree on 0x15)
        return ModuleMessage(
            cmd, "reply", dict(extra, result="ACK" if data[0] == 0 else "NACK", code=data[0])
        )
    if n == 0:
        return ModuleMessage(cmd, "reply" if cmd == 0x07 else "request", extra)
    if cmd == 0x07:
        extra["new_name"] = data.decode("ascii", "replace")
    return ModuleMessage(cmd, "request", dict(extra, length=n))


def decode_frame(frame: bytes) -> Message:
    if frame[:2] == fr.MODULE_HEADER:
        why = fr.check_module(frame)
        if why:
            raise DecodeError(why)
        return decode_module(frame)
    why = fr.check(frame)
    if why:
        raise DecodeError(why)
    if fr.is_request(frame):
        return decode_request(frame)
    return decode_response(frame)
