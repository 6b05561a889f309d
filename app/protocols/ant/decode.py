"""ANT 2021 (``7E A1``) frames -> model messages (../shared/protocols/ant_xiaomi.md §2).

Board replies: 0x11 status -> Snapshot, 0x12 -> DeviceInfo (ADDR 0x026C) or a partial
Settings, 0x14 / 0x15 -> partial DeviceInfo with the raw bytes (meaning unknown),
0x42 / 0x43 / 0x61 -> Ack.  Host frames (0x01–0x05, 0x22, 0x23, 0x51, 0x53) -> Command
(vocabulary.md "The decode contract"), so a sniffed session reads as one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...model import Ack, Command, DeviceInfo, Message, RegisterValue, Settings, Snapshot
from ..base import DecodeError
from . import alarms as al
from . import framing as fr
from . import layout as lay
from . import schema

ANT_2021 = "ant_2021"

# --- function codes (§2.2) ------------------------------------------------------------------
STATUS = 0x01
READ = 0x02
REALTIME_3 = 0x03
IDENTITY = 0x04
SYSTEM_INFO = 0x05
WRITE = 0x22
AUTH = 0x23
CONTROL = 0x51
COMMAND_53 = 0x53
REPLY_OFFSET = {
    STATUS: 0x10,
    READ: 0x10,
    IDENTITY: 0x10,
    SYSTEM_INFO: 0x10,
    CONTROL: 0x10,
    WRITE: 0x20,
    AUTH: 0x20,
}

DEVICE_INFO_ADDRESS = 0x026C
DEVICE_INFO_LENGTH = 0x20
STATUS_LENGTH = 0xBE  # what the vendor app asks for (§2.1)
IDENTITY_LENGTH = 12
SYSTEM_INFO_LENGTH = 0x28

#: control codes (§2.8): code -> (name, what it does)
CONTROL_CODES: dict[int, tuple[str, str]] = {
    0x01: ("discharge_off", "discharge MOSFET off"),
    0x03: ("discharge_on", "discharge MOSFET on"),
    0x04: ("charge_off", "charge MOSFET off"),
    0x06: ("charge_on", "charge MOSFET on"),
    0x07: ("save_settings", "save the settings to flash"),
    0x08: ("zero_current", "current zero calibration"),
    0x09: ("restart", "restart"),
    0x0B: ("shutdown", "shut down"),
    0x0C: ("factory_reset", "factory reset"),
    0x0D: ("balance_on", "manual balancing on"),
    0x0E: ("balance_off", "manual balancing off"),
    0x0F: ("clear_system_log", "clear the system log"),
    0x10: ("bluetooth_init", "Bluetooth initialisation"),
    0x1C: ("bluetooth_off", "Bluetooth off"),
    0x1D: ("bluetooth_on", "Bluetooth on"),
    0x1E: ("buzzer_on", "buzzer on"),
    0x1F: ("buzzer_off", "buzzer off"),
    0x20: ("clear_discharge_ah", "clear the discharged Ah counter"),
    0x21: ("clear_charge_ah", "clear the charged Ah counter"),
    0x22: ("clear_discharge_time", "clear the discharge time"),
    0x23: ("clear_charge_time", "clear the charge time"),
    0x24: ("clear_runtime", "clear the running time"),
    0x25: ("clear_protect_time", "clear the protection time"),
    0x2A: ("reset_hardware", "reset the hardware"),
    0x2C: ("save_customer_data", "save customer data"),
}
SAVE_CODE = 0x07

#: password slots (§2.9, uni-app notes): level -> byte address of the 0x23 write
PASSWORD_SLOTS = {1: 0x014A, 2: 0x0152, 3: 0x015A, 4: 0x0162, 5: 0x016A}


@dataclass(frozen=True)
class Options:
    """Per-device choices where the sources conflict (bound from URL options)."""

    #: CONFLICT §2.4 "MOS byte order": True reads o+12 as discharge, o+13 as charge
    #: (batmon-ha, uni-app notes; every capture where the bytes differ agrees)
    discharge_first: bool = True
    #: the family reports positive = discharging (§2.4 "Current sign"); the vocabulary
    #: wants positive = charging, so the decoder negates unless a board proves otherwise
    invert_current: bool = True


DEFAULT = Options()


def _u16(b: bytes | bytearray, i: int) -> int:
    return int.from_bytes(b[i : i + 2], "little")


# --- status 0x11 (§2.4) --------------------------------------------------------------------
def status_values(frame: bytes) -> dict[str, Any]:
    """Every field of a status reply as the board sends it (layout names and units)."""
    n = frame[5]
    data_end = 6 + n
    head = lay.read_all(frame, lay.HEAD_2021)
    cells, temps = head["cell_count"], head["temperature_count"]
    o = lay.tail_offset_2021(cells, temps)
    if o + lay.TAIL_2021_LEN > data_end:
        raise DecodeError(
            f"status reply too short: {n} data bytes for {cells} cells and "
            f"{temps} sensors, at least {o + lay.TAIL_2021_LEN - 6} expected"
        )
    out = dict(head)
    out["cell_mv"] = [_u16(frame, lay.CELLS_2021 + 2 * i) for i in range(cells)]
    first = lay.CELLS_2021 + 2 * cells
    out["temperatures"] = [
        int.from_bytes(frame[first + 2 * j : first + 2 * j + 2], "little", signed=True) for j in range(temps)
    ]
    out.update(lay.read_all(frame, lay.TAIL_2021, base=o))
    if o + lay.OPTIONAL_2021_LEN <= data_end:
        out.update(lay.read_all(frame, lay.OPTIONAL_2021, base=o))
    return out


#: a temperature sensor reading −40 °C (0xFFD8) is absent (§2.4)
ABSENT_C = -40


def decode_status(frame: bytes, options: Options = DEFAULT) -> Snapshot:
    v = status_values(frame)
    sign = -1 if options.invert_current else 1
    dsg_raw, chg_raw = (
        (v["mos_state_a"], v["mos_state_b"])
        if options.discharge_first
        else (v["mos_state_b"], v["mos_state_a"])
    )
    charge = al.enum_name(al.CHARGE_MOS_2021, chg_raw)
    discharge = al.enum_name(al.DISCHARGE_MOS_2021, dsg_raw)
    protection, warning = v["protection_bits"], v["warning_bits"]
    p_alarms, p_states = al.word_alarms(protection, al.PROTECTION_ALARMS, al.PROTECTION_STATES)
    w_alarms, w_states = al.word_alarms(warning, al.WARNING_ALARMS, al.WARNING_STATES, al.WARNING_BIT_BASE)
    bits = v["balancing_bits"]
    cells = v["cell_count"]
    snap = Snapshot(
        pack_voltage_v=v["pack_voltage_v"],
        current_a=sign * v["wire_current_a"] + 0.0,  # + 0.0: no "-0.0"
        power_w=sign * v["wire_power_w"] + 0.0,
        soc_pct=v["soc_pct"],
        soh_pct=v["soh_pct"],
        capacity_full_ah=v["capacity_full_ah"] or None,
        capacity_remaining_ah=v["capacity_remaining_ah"],
        cycle_capacity_ah=v["cycle_capacity_ah"],
        cell_count=cells,
        cell_voltages_v=[mv / 1000 for mv in v["cell_mv"]],
        cell_min_v=v["cell_min_v"],
        cell_max_v=v["cell_max_v"],
        cell_avg_v=v["cell_avg_v"],
        cell_delta_v=v["cell_delta_v"],
        # 1-based on the wire (the 22S frame: max 2.338 V at cell 12); a number outside the
        # pack is left to ``derive`` (the legacy 16S frames say cell 17)
        cell_max_index=v["cell_max_index"] if 1 <= v["cell_max_index"] <= cells else None,
        cell_min_index=v["cell_min_index"] if 1 <= v["cell_min_index"] <= cells else None,
        temperatures_c=[float(t) for t in v["temperatures"] if t != ABSENT_C],
        mos_temperature_c=float(v["mos_temperature_c"]),
        balancer_temperature_c=float(v["balancer_temperature_c"]),
        balancing_cells=[i + 1 for i in range(min(cells, 32)) if bits >> i & 1],
        balancing_active=bool(bits) or v["balancer_state"] in al.BALANCING_STATES,
        charge_mos_on=chg_raw == 1,
        discharge_mos_on=dsg_raw == 1,
        charge_switch=not (
            charge == "manually_off" or any(protection >> b & 1 for b in al.CHARGE_MANUAL_OFF_BITS)
        ),
        discharge_switch=not (
            discharge == "manually_off" or any(protection >> b & 1 for b in al.DISCHARGE_MANUAL_OFF_BITS)
        ),
        # warning bit 25 "balancing on" (§2.5): the state of manual balancing, 0x0D / 0x0E
        # (UNCERTAIN: no capture has it set; auto balancing shows bit 29 instead)
        balance_switch=bool(warning >> al.WARNING_BALANCING_ON & 1),
        runtime_s=v["runtime_s"],
        alarms=p_alarms
        + w_alarms
        + al.mos_alarms(charge, discharge)
        + al.balancer_alarms(v["balancer_state"]),
    )
    if warning >> al.WARNING_HEATING & 1:
        snap.heating_on = True
    if warning >> al.WARNING_MOS_PRECHARGING & 1:
        snap.precharge_mos_on = True
    snap.extra = _status_extra(v, charge, discharge, chg_raw, dsg_raw, p_states + w_states)
    return snap.derive().drop_implausible()


def _status_extra(
    v: dict[str, Any], charge: str, discharge: str, chg_raw: int, dsg_raw: int, states: list[str]
) -> dict[str, Any]:
    warning = v["warning_bits"]
    # cross-check (§2.4): warning bit 23 "charge MOS on", 24 "discharge MOS on"
    agree = bool(warning >> al.WARNING_CHARGE_MOS_ON & 1) == (chg_raw == 1) and bool(
        warning >> al.WARNING_DISCHARGE_MOS_ON & 1
    ) == (dsg_raw == 1)
    extra: dict[str, Any] = {
        "ant_permission": v["permission"],
        "ant_system_state": al.enum_name(al.SYSTEM_STATES, v["system_state"]),
        "ant_system_state_code": v["system_state"],
        "ant_protection_bits": v["protection_bits"],
        "ant_warning_bits": warning,
        "ant_states": sorted(states),
        "ant_charge_mos_state": charge,
        "ant_discharge_mos_state": discharge,
        "ant_mos_bytes_match_bits": agree,
        "ant_balancer_state": al.enum_name(al.BALANCER_2021, v["balancer_state"]),
        "ant_balancing_bits": v["balancing_bits"],
        "ant_battery_type": al.BATTERY_TYPES.get(v["battery_type"], f"{v['battery_type']:#06x}"),
        "ant_total_discharged_ah": v["total_discharged_ah"],
        "ant_total_charged_ah": v["total_charged_ah"],
        "ant_total_discharge_time_s": v["total_discharge_time_s"],
        "ant_total_charge_time_s": v["total_charge_time_s"],
        "ant_temperature_count": v["temperature_count"],
        "ant_dsg_mos_vds_raw": v["dsg_mos_vds_raw"],
        "ant_dsg_mos_drive_raw": v["dsg_mos_drive_raw"],
        "ant_chg_mos_drive_raw": v["chg_mos_drive_raw"],
    }
    for key in ("charge_remaining_min", "discharge_remaining_min"):
        if key in v:
            extra[f"ant_{key}"] = v[key]
    return extra


# --- 0x12: device information or a settings block (§2.6, §2.7) -----------------------------
def decode_read_reply(frame: bytes) -> Message:
    address, n = _u16(frame, 3), frame[5]
    data = frame[6 : 6 + n]
    if address == DEVICE_INFO_ADDRESS:
        hw, sw = (
            lay.read_string(frame, off, min(ln, max(0, 6 + n - off)))
            for _name, off, ln in lay.DEVICE_STRINGS_2021
        )
        return DeviceInfo(
            model=hw or None, hardware_version=hw or None, software_version=sw or None, protocol=ANT_2021
        )
    return Settings(schema.decode_block_2021(address, data), protocol=ANT_2021, partial=True)


# --- acknowledgements ----------------------------------------------------------------------
def decode_ack(frame: bytes) -> Ack:
    func, address, n = frame[2], _u16(frame, 3), frame[5]
    raw = int.from_bytes(frame[6 : 6 + n], "little") if 0 < n <= 8 else None
    if func == CONTROL + 0x10:
        # data 01 00 in every capture; 03 00 after "clear system log" (§2.2), which the app
        # took as done: UNCERTAIN what a refusal looks like, so only 0 counts as one
        name = CONTROL_CODES.get(address, (f"code {address:#04x}", ""))[0]
        return Ack(
            register=address,
            raw_value=raw,
            ok=bool(raw),
            status=raw,
            detail=None if raw else f"the board answered {name} with 0",
        )
    if func == AUTH + 0x20:
        # data 05 00 after the key at 0x016A (issue #20): probably the level granted (§2.9)
        return Ack(register=address, raw_value=raw, ok=bool(raw), status=raw)
    return Ack(register=address, raw_value=raw, ok=True)  # 0x42 echoes the written value


# --- host frames ---------------------------------------------------------------------------
def decode_command(frame: bytes) -> Command:
    func, address, n = frame[2], _u16(frame, 3), frame[5]
    extra: dict[str, Any] = {"function": func}
    setting: str | None = None
    value: Any = None
    raw: int | None = None
    if func == STATUS:
        extra.update(operation="read", meaning="status request")
    elif func == READ:
        extra["operation"] = "read"
        if address == DEVICE_INFO_ADDRESS:
            extra["meaning"] = "device information request"
        else:
            keys = schema.keys_in_2021(address, n)
            row = schema.row_at_2021(address, n)
            setting = row.key if row else None
            extra["meaning"] = "settings read"
            if len(keys) > 1:
                extra["settings"] = keys
    elif func in (REALTIME_3, IDENTITY, SYSTEM_INFO, COMMAND_53):
        extra.update(
            operation="read",
            meaning={
                REALTIME_3: "realtime status request (uni-app notes)",
                IDENTITY: "identity area request",
                SYSTEM_INFO: "system information request",
                COMMAND_53: "command 0x53 (uni-app notes, meaning unknown)",
            }[func],
        )
    elif func == WRITE:
        data = frame[6 : 6 + n]
        raw = int.from_bytes(data, "little")
        extra["operation"] = "write"
        row = schema.row_at_2021(address, n)
        if row is not None:
            setting, value = row.key, schema.value_of(row, raw)
    elif func == AUTH:
        extra.update(_auth_meaning(address, n))
    elif func == CONTROL:
        name, meaning = CONTROL_CODES.get(address, (None, f"control code {address:#04x}"))
        extra.update(operation="control", meaning=meaning)
        if name:
            extra["action"] = name
        for key, (on, off) in schema.SWITCH_CODES_2021.items():
            if address in (on, off):
                setting, value = key, address == on
    return Command(register=address, raw_value=raw, setting=setting, value=value, length=n, extra=extra)


def _auth_meaning(address: int, n: int) -> dict[str, Any]:
    """The password itself is never decoded into the output (vocabulary.md)."""
    out: dict[str, Any] = {"operation": "password", "password_length": n}
    levels = {a: lvl for lvl, a in PASSWORD_SLOTS.items()}
    swapped = int.from_bytes(address.to_bytes(2, "little"), "big")
    if address in levels:
        out["meaning"] = f"password, level {levels[address]}"
    elif swapped in levels:
        # aiobmsble sends the address bytes 01 6A (§2.9): probably byte-swapped
        out["meaning"] = (
            f"password to {address:#06x}: looks like the level-{levels[swapped]} "
            f"slot {swapped:#06x} with its bytes swapped"
        )
    else:
        out["meaning"] = f"password to {address:#06x}"
    return out


def decode_frame(frame: bytes, options: Options = DEFAULT) -> Message:
    why = fr.check_2021(frame)
    if why:
        raise DecodeError(why)
    func = frame[2]
    if func in fr.HOST_FUNCS:
        return decode_command(frame)
    if func == STATUS + 0x10:
        return decode_status(frame, options)
    if func == READ + 0x10:
        return decode_read_reply(frame)
    if func in (WRITE + 0x20, AUTH + 0x20, CONTROL + 0x10):
        return decode_ack(frame)
    data = frame[6 : 6 + frame[5]]
    if func in (IDENTITY + 0x10, SYSTEM_INFO + 0x10):
        # meaning unknown (§2.2: "MCU UID?", "mostly zeros"): kept raw, claimed as nothing
        key = "ant_identity" if func == IDENTITY + 0x10 else "ant_system_info"
        return DeviceInfo(protocol=ANT_2021, extra={key: data.hex()}, partial=True)
    # 0x13 system log, 0x16 GPS (§2.2, no capture): the bytes, undecoded
    return RegisterValue(_u16(frame, 3), None, {}, {"ant_function": func, "data": data.hex()})
