"""ANT legacy frames: the 140-byte status frame and the 6-byte requests (§1 of
../shared/protocols/ant_xiaomi.md), decoded into model messages and built.

6-byte frames ``H H A Dhi Dlo C``: ``DB DB`` / ``5A 5A`` read, ``A5 A5`` write.  The
board answers a parameter read with a 6-byte frame of the same form carrying the
value (VBMS accepts A5A5, 5A5A or DBDB there, §1.2), so one frame can be a request
or a reply.  Decoded as: ``5A 5A addr 00 00`` (value 0) and ``DB DB`` are read
requests (Command); a ``5A 5A`` frame carrying a value is the board's reply
(RegisterValue); ``A5 A5`` frames are writes and control commands (Command).
A reply carrying 0 looks exactly like a request: the settings script accepts both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...model import Command, Message, RegisterValue, Snapshot
from ..base import DecodeError
from . import alarms as al
from . import framing as fr
from . import layout as lay
from . import schema

ANT_LEGACY = "ant_legacy"

#: control addresses (§1.4; ANT-PDF, VBMS, esphome ``ant_bms_old``): addr -> (name, meaning)
CONTROL_ADDRESSES: dict[int, tuple[str, str]] = {
    0xEF: ("firmware_upgrade", "request a firmware upgrade (esphome comment only)"),
    0xF0: ("preset_lto", "load the LTO preset"),
    0xF5: ("unknown_f5", "address 0xF5 (sent after the password in a capture; undocumented)"),
    0xF6: ("change_mac", "change the Bluetooth MAC address"),
    0xF7: ("shutdown", "power off"),
    0xF8: ("zero_current", "current zero calibration"),
    0xF9: ("discharge_switch", "discharge MOSFET"),
    0xFA: ("charge_switch", "charge MOSFET"),
    0xFB: ("preset_lifepo4", "load the LiFePO4 preset"),
    0xFC: ("auto_balance", "automatic balancing"),
    0xFD: ("factory_reset", "factory defaults"),
    0xFE: ("restart", "reboot"),
    0xFF: ("apply", "apply (sent after every write)"),
}
APPLY_ADDRESS = 0xFF
PASSWORD_ADDRESSES = (0xF1, 0xF2, 0xF3, 0xF4)  # two characters each, first in the high byte
NEW_PASSWORD_ADDRESSES = (0x66, 0x67, 0x68, 0x69)  # issue #22, VBMS AtyMain
PASSWORD_LENGTH = 8


@dataclass(frozen=True)
class Options:
    #: §1.3 "CONFLICT, current sign": the 9-frame model-2019 capture shows the remaining
    #: capacity falling while the raw current is positive, so positive = discharging
    invert_current: bool = True


DEFAULT = Options()

# --- host frames --------------------------------------------------------------------------------
#: ``DB DB 00 00 00 00``: status over Bluetooth (and over serial, dbus-serialbattery)
STATUS_REQUEST_BT = fr.short_frame(fr.READ_BT, 0, 0)
#: ``5A 5A 00 00 01 01``: status on UART (esphome ant_bms_old)
STATUS_REQUEST_UART = fr.short_frame(fr.READ, 0, 1)
#: ``A5 A5 FF 00 00 FF``: "apply", after every write (esphome, VBMS)
APPLY = fr.short_frame(fr.WRITE, APPLY_ADDRESS, 0)


def read_parameter(address: int) -> bytes:
    """``5A 5A addr 00 00 cs``: one parameter (§1.2)."""
    return fr.short_frame(fr.READ, address, 0)


def write_parameter(address: int, value: int) -> bytes:
    return fr.short_frame(fr.WRITE, address, value)


def password_frames(password: str, addresses: tuple[int, ...] = PASSWORD_ADDRESSES) -> list[bytes]:
    """The 8 ASCII characters as four writes, two characters each (§1.4)."""
    data = password.encode("ascii") if password.isascii() else b""
    if len(data) != PASSWORD_LENGTH:
        raise ValueError("an ANT legacy password is 8 ASCII characters")
    return [
        write_parameter(a, int.from_bytes(data[2 * i : 2 * i + 2], "big")) for i, a in enumerate(addresses)
    ]


def redact(frame: bytes) -> bytes:
    """Password writes with their characters zeroed, checksum still valid."""
    if (
        len(frame) == fr.SHORT_LEN
        and frame[:2] == fr.WRITE
        and fr.check_short(frame) is None
        and frame[2] in PASSWORD_ADDRESSES + NEW_PASSWORD_ADDRESSES
    ):
        return write_parameter(frame[2], 0)
    return frame


def decode_short(frame: bytes) -> Message:
    header, address, value = frame[:2], frame[2], int.from_bytes(frame[3:5], "big")
    extra: dict[str, Any] = {}
    setting, shown = None, None
    found = schema.row_at_legacy(address)
    if header == fr.READ_BT:
        extra.update(
            operation="read",
            meaning={0: "status request", 1: "the app's screen-switch request"}.get(
                address, f"Bluetooth read of address {address:#04x}"
            ),
        )
        return Command(register=address, raw_value=value, extra=extra)
    if header == fr.READ and (address == 0 or value == 0):
        extra["operation"] = "read"
        if address == 0:
            extra["meaning"] = "status request"
        elif found is not None and found[0].width == 2:
            setting = found[0].key
        elif address == APPLY_ADDRESS:
            extra["meaning"] = "read address 0xFF (the classic-Bluetooth app's poll; UNCERTAIN)"
        return Command(register=address, raw_value=value, setting=setting, extra=extra)
    if header == fr.READ:
        # the board's answer to a parameter read (§1.2)
        values: dict[str, Any] = {}
        if found is not None and found[0].width == 2:
            values = schema.decode_words_legacy({address: value})
        elif found is not None:
            extra["ant_word"] = "low" if found[1] == 0 else "high"
            extra["ant_setting"] = found[0].key
        return RegisterValue(address, value, values, extra)
    extra["operation"] = "write"
    if address in PASSWORD_ADDRESSES + NEW_PASSWORD_ADDRESSES:
        # the characters are never decoded into the output (vocabulary.md)
        extra["meaning"] = (
            "password characters" if address in PASSWORD_ADDRESSES else "new password characters"
        )
        return Command(register=address, raw_value=None, extra=extra)
    if address in CONTROL_ADDRESSES:
        name, meaning = CONTROL_ADDRESSES[address]
        extra.update(operation="control", meaning=meaning, action=name)
        if name in ("charge_switch", "discharge_switch"):
            setting, shown = name, bool(value)
    elif found is not None and found[0].width == 2:
        setting, shown = found[0].key, schema.value_of(found[0], value)
    elif found is not None:
        extra.update(ant_word="low" if found[1] == 0 else "high", ant_setting=found[0].key)
    return Command(register=address, raw_value=value, setting=setting, value=shown, extra=extra)


# --- the 140-byte status frame (§1.3) --------------------------------------------------------------
def status_values(frame: bytes) -> dict[str, Any]:
    out = lay.read_all(frame, lay.ROWS_LEGACY)
    out["cell_mv"] = [
        int.from_bytes(frame[lay.CELLS_LEGACY + 2 * i : lay.CELLS_LEGACY + 2 * i + 2], "big")
        for i in range(lay.MAX_CELLS_LEGACY)
    ]
    out["temperatures"] = [
        int.from_bytes(
            frame[lay.TEMPERATURES_LEGACY + 2 * j : lay.TEMPERATURES_LEGACY + 2 * j + 2], "big", signed=True
        )
        for j in range(lay.TEMPERATURE_COUNT_LEGACY)
    ]
    return out


#: −40 °C is an absent sensor (the 2021-model board's legacy frames: sensors 5 and 6).
#: A reading of 0 is kept: it cannot be told from 0 °C.
ABSENT_C = -40


def decode_status(frame: bytes, options: Options = DEFAULT) -> Snapshot:
    v = status_values(frame)
    sign = -1 if options.invert_current else 1
    cells = min(v["cell_count"], lay.MAX_CELLS_LEGACY)
    charge = al.enum_name(al.CHARGE_MOS_LEGACY, v["charge_mos_state"])
    discharge = al.enum_name(al.DISCHARGE_MOS_LEGACY, v["discharge_mos_state"])
    bits = v["balancing_bits"]
    snap = Snapshot(
        pack_voltage_v=v["pack_voltage_v"],
        current_a=sign * v["wire_current_a"] + 0.0,  # + 0.0: no "-0.0"
        power_w=sign * v["wire_power_w"] + 0.0,
        soc_pct=v["soc_pct"],
        # 0 = not set (aiobmsble then estimates it from remaining / SOC, §1.3): left out
        capacity_full_ah=v["capacity_full_ah"] or None,
        capacity_remaining_ah=v["capacity_remaining_ah"],
        cycle_capacity_ah=v["cycle_capacity_ah"],
        cell_count=cells,
        cell_voltages_v=[mv / 1000 for mv in v["cell_mv"][:cells]],
        cell_max_v=v["cell_max_v"],
        cell_min_v=v["cell_min_v"],
        cell_avg_v=v["cell_avg_v"],
        # 1-based on the wire (esphome's 14S frame: max at 9 = 3.509 V); the 2021 board's
        # legacy frames name cell 17 of 16: a number outside the pack is left to ``derive``
        cell_max_index=v["cell_max_index"] if 1 <= v["cell_max_index"] <= cells else None,
        cell_min_index=v["cell_min_index"] if 1 <= v["cell_min_index"] <= cells else None,
        temperatures_c=[float(t) for t in v["temperatures"] if t != ABSENT_C],
        balancing_cells=[i + 1 for i in range(cells) if bits >> i & 1],
        balancing_active=bool(bits) or v["balancer_state"] in al.BALANCING_STATES,
        charge_mos_on=v["charge_mos_state"] == 1,
        discharge_mos_on=v["discharge_mos_state"] == 1,
        charge_switch=charge != "manually_off",
        discharge_switch=discharge != "manually_off",
        runtime_s=v["runtime_s"],
        alarms=al.mos_alarms(charge, discharge) + al.balancer_alarms(v["balancer_state"]),
    )
    snap.extra = {
        "ant_charge_mos_state": charge,
        "ant_discharge_mos_state": discharge,
        "ant_balancer_state": al.enum_name(al.BALANCER_LEGACY, v["balancer_state"]),
        "ant_balancing_bits": bits,
        "ant_tyre_length_mm": v["tyre_length_mm"],
        "ant_pulses_per_revolution": v["pulses_per_revolution"],
        "ant_dsg_mos_vds_v": v["dsg_mos_vds_v"],
        "ant_dsg_mos_drive_v": v["dsg_mos_drive_v"],
        "ant_chg_mos_drive_v": v["chg_mos_drive_v"],
        "ant_current_zero_raw": v["current_zero_raw"],
        "ant_system_log": v["system_log"],
    }
    return snap.derive().drop_implausible()


def status_frame(values: dict[str, Any]) -> bytes:
    """A 140-byte status frame from ``status_values``' names (the simulator's side)."""
    buf = bytearray(fr.STATUS_LEN)
    lay.write_all(buf, lay.ROWS_LEGACY, values)
    for i, mv in enumerate(list(values["cell_mv"])[: lay.MAX_CELLS_LEGACY]):
        at = lay.CELLS_LEGACY + 2 * i
        buf[at : at + 2] = int(mv).to_bytes(2, "big")
    for j, t in enumerate(list(values["temperatures"])[: lay.TEMPERATURE_COUNT_LEGACY]):
        at = lay.TEMPERATURES_LEGACY + 2 * j
        buf[at : at + 2] = int(t).to_bytes(2, "big", signed=True)
    return fr.status_frame(bytes(buf[4:138]))


def decode_frame(frame: bytes, options: Options = DEFAULT) -> Message:
    why = fr.check_legacy(frame)
    if why:
        raise DecodeError(why)
    if frame[:4] == fr.STATUS_HEADER:
        return decode_status(frame, options)
    return decode_short(frame)
