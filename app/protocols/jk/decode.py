"""JK02 decoders: bytes -> model objects (jk.md §1–§5).

Every decoder takes one whole, checksum-checked frame.  ``decode_frame``
checks and dispatches, raising ``DecodeError`` with the reason otherwise.
"""

from __future__ import annotations

import struct
from typing import Any

from ... import model as m
from ...model import Ack, Command, DeviceInfo, Logbook, LogEntry, Secrets, Settings, Snapshot
from ..base import DecodeError
from . import framing as fr
from . import layout as L
from . import schema as S
from .dates import iso_date

# --- alarms (jk.md §2.2) -----------------------------------------------------
# Bit -> canonical id.  Bits without a canonical id stay ``jk_bit_N``
# (vocabulary.md: never dropped, never guessed).  Bit 3 (official
# "AlarmCurSensorErr", ESPHome: unused) and bit 4 (official "AlarmCellOVP",
# ESPHome: "battery fully charged") follow the official PB Modbus V1.1 names.
ALARM_BITS: dict[int, str] = {
    0: m.WIRE_RESISTANCE_HIGH,
    1: m.MOS_OVERTEMPERATURE,
    2: m.CELL_COUNT_MISMATCH,
    4: m.CELL_OVERVOLTAGE,
    5: m.PACK_OVERVOLTAGE,
    6: m.CHARGE_OVERCURRENT,
    7: m.SHORT_CIRCUIT,  # charge short circuit
    8: m.CHARGE_OVERTEMPERATURE,
    9: m.CHARGE_UNDERTEMPERATURE,
    10: m.COMMUNICATION_FAULT,  # coprocessor communication
    11: m.CELL_UNDERVOLTAGE,
    12: m.PACK_UNDERVOLTAGE,
    13: m.DISCHARGE_OVERCURRENT,
    14: m.SHORT_CIRCUIT,  # discharge short circuit
    15: m.DISCHARGE_OVERTEMPERATURE,
    19: m.DEFAULT_PASSWORD,  # "modify password in time"
    22: m.TEMPERATURE_SENSOR_FAULT,
    25: m.DISCHARGE_OVERCURRENT,  # stage II
    26: m.DISCHARGE_OVERCURRENT,  # stage III
    27: m.DISCHARGE_UNDERTEMPERATURE,
}


def alarms_from_bits(mask: int, width: int) -> list[str]:
    out = set()
    for bit in range(width):
        if mask >> bit & 1:
            out.add(ALARM_BITS.get(bit, m.unknown_alarm("jk", bit)))
    return sorted(out)


def _bit_of(alarm: str) -> int:
    """Inverse for the simulator: the first bit that raises ``alarm``."""
    for bit, name in ALARM_BITS.items():
        if name == alarm:
            return bit
    if alarm.startswith("jk_bit_"):
        return int(alarm[7:])
    raise KeyError(alarm)


def bits_from_alarms(alarms: list[str]) -> int:
    mask = 0
    for alarm in alarms:
        mask |= 1 << _bit_of(alarm)
    return mask


# --- cell info -----------------------------------------------------------------
def decode_cell_info(buf: bytes, variant: str) -> Snapshot:
    raw = L.read_all(buf, L.CELL_ROWS[variant])
    n_max = L.MAX_CELLS[variant]
    volts = [struct.unpack_from("<H", buf, L.CELL_VOLTAGE_OFFSET + 2 * i)[0] for i in range(n_max)]
    mask = raw["cell_mask"]
    present = [i for i in range(n_max) if mask >> i & 1]
    if not present:  # some firmware leaves the mask empty: fall back to non-zero cells
        present = [i for i, mv in enumerate(volts) if mv]
    cells = [volts[i] / 1000 for i in present]
    r_off = L.wire_resistance_offset(variant)
    resist = [struct.unpack_from("<H", buf, r_off + 2 * i)[0] / 1000 for i in present]

    snap = Snapshot()
    snap.cell_voltages_v = cells
    snap.cell_count = len(cells)
    snap.cell_resistances_ohm = resist
    snap.pack_voltage_v = raw["pack_mv"] / 1000
    snap.current_a = raw["current_ma"] / 1000  # + charging (jk.md §2.1)
    # the board's power field is an unsigned magnitude: sign it with V x I
    snap.power_w = round(snap.pack_voltage_v * snap.current_a, 3)
    snap.soc_pct = raw["soc"]
    snap.soh_pct = raw["soh"]
    snap.capacity_remaining_ah = raw["remaining_mah"] / 1000
    snap.capacity_full_ah = raw["full_mah"] / 1000
    snap.cycle_capacity_ah = raw["cycle_mah"] / 1000
    snap.cycles = raw["cycles"]
    snap.runtime_s = raw["runtime_s"]
    if raw["avg_mv"]:
        snap.cell_avg_v = raw["avg_mv"] / 1000

    # Min/max and delta are derived from the cells shown, so the numbers on
    # screen agree with each other; the board's own index is kept when it
    # points at a cell with that voltage (it breaks ties the board's way).
    # The board's delta field can lag the cells by a sample (ESPHome v11/v15
    # captures: field 31/16 mV, cells 30/17 mV), so it is kept as an extra.
    if cells:
        lo, hi = min(cells), max(cells)
        snap.cell_min_v, snap.cell_max_v = lo, hi
        snap.cell_delta_v = round(hi - lo, 4)
        snap.cell_min_index = _board_index(raw["min_index0"], present, cells, lo)
        snap.cell_max_index = _board_index(raw["max_index0"], present, cells, hi)
    snap.extra["jk_board_delta_v"] = raw["delta_mv"] / 1000

    # temperatures: presence bits at 182/214 (bit0 MOS, bit1.. T1..T5; 1 = present);
    # a sensor that reads NOT_FITTED_DC is absent too, whatever its bit says
    presence = raw["temp_presence"]
    temps = []
    for bit, key in ((1, "t1_dc"), (2, "t2_dc")):
        if _fitted(presence, bit, raw[key]):
            temps.append(raw[key] / 10)
    snap.temperatures_c = temps
    if _fitted(presence, 0, raw["mos_dc"]):
        snap.mos_temperature_c = raw["mos_dc"] / 10
    if variant == L.JK02_32S:
        # CONFLICT (jk.md §9.1): 254/256/258 are T3/T4/T5 officially, but 254
        # equals the MOS reading in nearly every capture.  Shown as JK extras
        # under the official names.
        for bit, key, name in (
            (3, "t254_dc", "jk_temperature_3_c"),
            (4, "t256_dc", "jk_temperature_4_c"),
            (5, "t258_dc", "jk_temperature_5_c"),
        ):
            if _fitted(presence, bit, raw[key]):
                snap.extra[name] = raw[key] / 10

    snap.balance_current_a = raw["balance_ma"] / 1000
    snap.balancing_active = raw["balance_action"] != 0
    snap.extra["jk_balancing_action"] = raw["balance_action"]  # 0 off, 1 charge, 2 discharge
    snap.charge_mos_on = bool(raw["charge_mos"])
    snap.discharge_mos_on = bool(raw["discharge_mos"])
    snap.precharge_mos_on = bool(raw["precharge"])
    snap.heating_on = bool(raw["heating"])
    width = 16 if variant == L.JK02_24S else 32
    snap.alarms = alarms_from_bits(raw["alarm_mask"], width)
    if raw["emergency_s"]:
        snap.extra["jk_emergency_remaining_s"] = raw["emergency_s"]
    return snap.drop_implausible()


#: what a JK temperature reads when its sensor is not fitted: -2000 (-200.0 °C), jk.md
#: §2.1 (boards without T4/T5; aiobmsble filters it); the same on T1/T2/MOS is taken alike
NOT_FITTED_DC = -2000


def _fitted(presence: int, bit: int, raw_dc: int) -> bool:
    return bool(presence >> bit & 1) and raw_dc != NOT_FITTED_DC


def _board_index(index0: int, present: list[int], cells: list[float], target: float) -> int:
    if index0 in present:
        pos = present.index(index0)
        if cells[pos] == target:
            return pos + 1
    return cells.index(target) + 1


# --- settings ----------------------------------------------------------------------
def decode_settings(buf: bytes, variant: str) -> Settings:
    values: dict[str, Any] = {}
    for row in S.SCHEMAS[variant]:
        if row.offset is None or row.frame != "settings":
            continue
        raw = _read_raw(buf, row)
        if row.key == "cell_count":
            raw &= 0xFF  # u32 whose first byte carries the count
        if row.bit is not None:
            raw = raw >> row.bit & 1
        if row.key in S.ZERO_MEANS_UNSET and raw == 0:
            continue
        values[row.key] = row.from_raw(raw)
    for a, b in S.PAIRS_ZERO_MEANS_UNSET:
        if values.get(a) == 0 and values.get(b) == 0:
            values.pop(a)
            values.pop(b)
    if variant == L.JK02_32S:
        values["jk_device_address"] = buf[270]
    return Settings(values=values, protocol=variant)


def _read_raw(buf: bytes, row: m.SettingSpec) -> Any:
    if row.encoding == "f32":
        fmt = "f"
    else:
        fmt = {1: "b", 2: "h", 4: "i"}[row.width]
        if not row.signed:
            fmt = fmt.upper()
    return struct.unpack_from("<" + fmt, buf, row.offset)[0]


def decode_device_settings(buf: bytes, variant: str) -> Settings:
    """The settings a JK02_32S device-info frame carries (jk.md §3 "32S-only
    fields"), as a partial Settings the session merges into the full set."""
    values = {
        row.key: row.from_raw(_read_raw(buf, row))
        for row in S.SCHEMAS.get(variant, ())
        if row.frame == "device_info" and row.offset is not None
    }
    return Settings(values=values, protocol=variant, partial=True)


# --- device info -----------------------------------------------------------------------
def decode_device_info(buf: bytes) -> tuple[DeviceInfo, Secrets]:
    info = DeviceInfo(manufacturer="JK")
    for name, off, length in L.DEVICE_STRINGS:
        text = L.read_string(buf, off, length)
        setattr(info, name, text or None)
    info.manufacture_date = iso_date(info.manufacture_date)  # YYMMDD on the wire
    for row in L.DEVICE_NUMBERS:
        setattr(info, row.name, row.read(buf))
    info.protocol = variant_for_device(info.hardware_version, info.software_version)
    secrets = Secrets(
        connect_pin=L.read_string(buf, *L.CONNECT_PIN[1:]) or None,
        setup_password=L.read_string(buf, *L.SETUP_PASSWORD[1:]) or None,
    )
    return info, secrets


def variant_for_device(hardware: str | None, software: str | None) -> str | None:
    """The variant a device-info frame points to.

    Hardware 3.x and older speak JK04 (ESPHome's guidance, jk.md §1.6);
    otherwise the software major decides between JK02_24S and JK02_32S.  A
    JK04 board with newer hardware (JK-B5A24S, sw 8.0.3M) is recognised by
    its frames instead (``looks_jk04``).
    """
    hw = _major(hardware)
    if hw is not None and hw <= 3 and (_major(software) or 0) < 11:
        return L.JK04
    return variant_for_software(software)


def _major(version: str | None) -> int | None:
    if not version:
        return None
    digits = "".join(ch for ch in version.split(".", 1)[0] if ch.isdigit())
    return int(digits) if digits else None


def variant_for_software(version: str | None) -> str | None:
    """Software major >= 11 speaks JK02_32S, below JK02_24S (jk.md §1.6).

    JK04 boards also report majors below 11; telling them apart needs the
    frame contents (the JK issue adds that).
    """
    if not version:
        return None
    head = version.split(".", 1)[0]
    digits = "".join(ch for ch in head if ch.isdigit())
    if not digits:
        return None
    return L.JK02_32S if int(digits) >= 11 else L.JK02_24S


# --- JK04 cell info (float32, jk.md §2.3) ------------------------------------------
def decode_jk04_cell_info(buf: bytes) -> Snapshot:
    raw = L.read_all(buf, L.JK04_CELL_ROWS)
    volts = [struct.unpack_from("<f", buf, L.JK04_CELL_OFFSET + 4 * i)[0] for i in range(L.JK04_MAX_CELLS)]
    mask = raw["cell_mask"]
    present = [i for i in range(L.JK04_MAX_CELLS) if mask >> i & 1] or [
        i for i, v in enumerate(volts) if v > 0.1
    ]
    snap = Snapshot()
    snap.cell_voltages_v = [volts[i] for i in present]
    snap.cell_count = len(present)
    snap.cell_resistances_ohm = [
        struct.unpack_from("<f", buf, L.JK04_RESISTANCE_OFFSET + 4 * i)[0] for i in present
    ]
    # the board's own average and delta (mpp-solar's test states the board's
    # delta 0.1789 V where max-min of the cells is 0.1804 V)
    snap.cell_avg_v = raw["avg_v"]
    snap.cell_delta_v = raw["delta_v"]
    snap.balance_current_a = raw["balance_a"]
    # floats can be NaN or ±3e38: dropped before anything is derived from the cells
    snap.drop_implausible()
    cells = snap.cell_voltages_v
    if cells:
        lo, hi = min(cells), max(cells)
        snap.cell_min_v, snap.cell_max_v = lo, hi
        snap.cell_min_index = _board_index(raw["min_index0"], present, cells, lo)
        snap.cell_max_index = _board_index(raw["max_index0"], present, cells, hi)
        # JK04 has no pack-voltage field: the pack is the sum of its cells
        snap.pack_voltage_v = sum(cells)
    snap.balancing_active = raw["balance_action"] != 0
    snap.extra["jk_balancing_action"] = raw["balance_action"]
    snap.runtime_s = raw["runtime_s"]
    # JK04 boards are active balancers: no current, SOC, temperature, MOSFET or alarm
    # fields are known (jk.md §2.3), so none is said: the alarms too are "not reported"
    snap.alarms = None
    return snap


def looks_jk04(buf: bytes) -> bool:
    """JK04 frames carry floats where JK02 carries integers (jk.md §1.6).

    Settings frames start with float 1.0 at byte 6; cell-info frames hold
    plausible cell voltages as float32 from byte 6 (JK02's u16 millivolt pairs
    read as float32 are vanishingly small).
    """
    if len(buf) < fr.RESPONSE_LENGTH or buf[:4] != fr.RESPONSE_HEADER:
        return False
    if buf[4] == fr.TYPE_SETTINGS:
        return bytes(buf[6:10]) == L.JK04_SETTINGS_MARK
    if buf[4] == fr.TYPE_CELL_INFO:
        floats = struct.unpack_from("<4f", buf, 6)
        return any(0.5 < f < 5.5 for f in floats)
    return False


# --- logbook (0x05, JK02_32S) ------------------------------------------------------------
# Event names known from the corpus (ESPHome logbook captures, jk.md §1.5);
# others are shown by number until someone names them.
LOGBOOK_EVENTS = {
    0x01: "Boot",
    0x1B: "Charge low temperature protection",
    0x1C: "Charge low temperature protection is released",
    0x44: "Factory setting LFP",
}


def decode_logbook(buf: bytes) -> Logbook:
    count = struct.unpack_from("<I", buf, 6)[0]
    entries = []
    # the frame holds at most 50 entries: the most recent ones when count > 50
    for i in range(min(count, 50)):
        off = 11 + 5 * i
        ts = struct.unpack_from("<I", buf, off)[0]
        code = buf[off + 4]
        entries.append(
            LogEntry(timestamp_s=ts, code=code, event=LOGBOOK_EVENTS.get(code, f"event 0x{code:02X}"))
        )
    return Logbook(count=count, entries=entries)


# --- 20-byte command / ack frames ---------------------------------------------------------------
ACTIONS = {
    fr.REG_READ_SETTINGS: "read_settings",
    fr.REG_READ_DEVICE_INFO: "read_device_info",
    fr.REG_READ_LOGBOOK: "read_logbook",
    0x65: "shutdown",  # JK02_32S (jk.md §5.3)
    0x66: "restart",
    0x9D: "factory_reset",
    0x68: "preset_li_ion",
    0x69: "preset_lifepo4",
    0x6A: "preset_lto",
}


def decode_command(buf: bytes, variant: str) -> Ack | Command:
    register, length = buf[4], buf[5]
    payload = bytes(buf[6 : 6 + length])
    if register == fr.REG_ACK:
        return Ack(register=register, raw_value=int.from_bytes(payload, "little") if payload else None)
    spec = S.by_register(variant).get(register)
    cmd = Command(register=register, length=length)
    if length in (1, 2, 4):
        raw = int.from_bytes(payload, "little", signed=bool(spec and spec.signed))
        cmd.raw_value = raw
        if spec is not None:
            cmd.setting = spec.key
            if spec.encoding == "f32" and length == 4:
                cmd.value = spec.from_raw(struct.unpack("<f", payload)[0])  # JK04 floats
            else:
                cmd.value = spec.from_raw(raw)
    elif length == 0:
        if register in ACTIONS:
            cmd.extra["action"] = ACTIONS[register]
    else:
        cmd.extra["text"] = payload.split(b"\x00", 1)[0].decode("ascii", errors="replace")
    return cmd


# --- dispatch ---------------------------------------------------------------------------
def check_frame(buf: bytes) -> bytes:
    """The first whole frame in ``buf``, or DecodeError saying why there is none.

    Trailing bytes after a whole frame (a glued 0xC8 ack, ``AT\\r\\n``) are
    ignored, as real captures carry them.
    """
    if buf[:4] == fr.RESPONSE_HEADER:
        if len(buf) < fr.RESPONSE_LENGTH:
            raise DecodeError(f"truncated: {len(buf)} of {fr.RESPONSE_LENGTH} bytes")
        frame = bytes(buf[: fr.RESPONSE_LENGTH])
        if fr.sum8(frame[:-1]) != frame[-1]:
            raise DecodeError(
                f"checksum mismatch: byte 299 is 0x{frame[-1]:02X}, sum is 0x{fr.sum8(frame[:-1]):02X}"
            )
        if frame[4] not in fr.RESPONSE_TYPES:
            raise DecodeError(f"unknown frame type 0x{frame[4]:02X}")
        return frame
    if buf[:4] == fr.COMMAND_HEADER:
        if len(buf) < fr.COMMAND_LENGTH:
            raise DecodeError(f"truncated: {len(buf)} of {fr.COMMAND_LENGTH} bytes")
        frame = bytes(buf[: fr.COMMAND_LENGTH])
        if fr.sum8(frame[:-1]) != frame[-1]:
            raise DecodeError(
                f"checksum mismatch: byte 19 is 0x{frame[-1]:02X}, sum is 0x{fr.sum8(frame[:-1]):02X}"
            )
        if frame[5] > 13:
            raise DecodeError(f"bad value length {frame[5]}")
        return frame
    raise DecodeError("not a JK frame: no 55 AA EB 90 or AA 55 90 EB header")


def decode_frame(buf: bytes, variant: str) -> m.Message:
    frame = check_frame(buf)
    if frame[:4] == fr.COMMAND_HEADER:
        return decode_command(frame, variant)
    kind = frame[4]
    if kind == fr.TYPE_CELL_INFO:
        if variant == L.JK04:
            return decode_jk04_cell_info(frame)
        return decode_cell_info(frame, variant)
    if kind == fr.TYPE_SETTINGS:
        return decode_settings(frame, variant)
    if kind == fr.TYPE_DEVICE_INFO:
        return decode_device_info(frame)[0]
    return decode_logbook(frame)


def guess_variant(buf: bytes) -> str:
    """JK04, JK02_24S or JK02_32S for a frame whose variant nobody named.

    JK04 frames are told by their floats (``looks_jk04``).

    Logbook and command frames read the same either way; a device-info frame
    names its variant through its software version.  For a cell-info frame
    the 24S layout is taken when its pack voltage (byte 118) matches the sum
    of the cells its mask (byte 54) enables; otherwise 32S.
    """
    if len(buf) < fr.RESPONSE_LENGTH or buf[:4] != fr.RESPONSE_HEADER:
        return L.JK02_32S
    if looks_jk04(buf):
        return L.JK04
    if buf[4] == fr.TYPE_DEVICE_INFO:
        # the frame reads the same either way, but it names the board's
        # variant through its software version (jk.md §1.6)
        _, off, length = next(row for row in L.DEVICE_STRINGS if row[0] == "software_version")
        hw = next(row for row in L.DEVICE_STRINGS if row[0] == "hardware_version")
        return (
            variant_for_device(L.read_string(buf, hw[1], hw[2]), L.read_string(buf, off, length))
            or L.JK02_32S
        )
    if buf[4] == fr.TYPE_CELL_INFO:
        mask = struct.unpack_from("<I", buf, 54)[0]
        cells = sum(struct.unpack_from("<H", buf, 6 + 2 * i)[0] for i in range(24) if mask >> i & 1)
        pack = struct.unpack_from("<I", buf, 118)[0]
        if mask and cells and abs(pack - cells) <= max(50, cells // 100):
            return L.JK02_24S
    if buf[4] == fr.TYPE_SETTINGS:
        # 32S firmware keeps its device address (1..15) and non-zero tail bytes from 270
        if not any(buf[270:299]):
            return L.JK02_24S
    return L.JK02_32S
