"""The ANT 2021 status-reply builder (app/protocols/ant/encode.py) against REAL frames.

tests/test_ant_frames.py already rebuilds every captured request and acknowledgement.  The
status reply was only checked against its own decoder (``status_reply(status_values(f)) ==
f``); here it is built from the values the capture's source states (esphome's and aiobmsble's
tests, copied in ../shared/frames/ant.json) and compared with the captured bytes, CRC included.
Fields no source states (the permission byte, the bitmasks, the MOS drive voltages, the
battery type) are read from the bytes at the offsets of ../shared/protocols/ant_xiaomi.md §2.4.
"""

from __future__ import annotations

import json
from pathlib import Path

from app.protocols.ant import encode as enc
from app.protocols.ant.framing import check_2021

FRAMES = {
    e["id"]: e
    for e in json.loads((Path(__file__).parent / "data" / "ant_frames.json").read_text(encoding="utf-8"))[
        "frames"
    ]
}


def raw(fid: str) -> bytes:
    return bytes.fromhex(FRAMES[fid]["hex"])


def le(frame: bytes, at: int, size: int, signed: bool = False) -> int:
    return int.from_bytes(frame[at : at + size], "little", signed=signed)


def unstated(frame: bytes) -> dict:
    """§2.4 fields the sources do not state, read at their offsets (o = 34 + 2N + 2T)."""
    n, t = frame[9], frame[8]
    o = 34 + 2 * n + 2 * t
    return {
        "permission": frame[6],  # 5 in every capture
        "protection_bits": le(frame, 10, 8),
        "warning_bits": le(frame, 18, 8),
        "byte_15": frame[o + 15],
        "dsg_mos_vds_raw": le(frame, o + 52, 2),
        "dsg_mos_drive_raw": le(frame, o + 54, 2),
        "chg_mos_drive_raw": le(frame, o + 56, 2),
        "f40com_raw": le(frame, o + 58, 2),
        "battery_type": le(frame, o + 60, 2),
    }


def test_16s_status_from_esphome_stated_values() -> None:
    frame = raw("ant21_status_16s_esphome")
    s = FRAMES["ant21_status_16s_esphome"]["expected"]
    on = {"On": 1, "Off": 0}
    values = unstated(frame) | {
        "system_state": s["battery_status_code"],
        "temperature_count": s["temp_sensor_count"],
        "cell_count": s["cell_count"],
        "cell_mv": [round(v * 1000) for v in s["cell_voltages_v"]],
        "temperatures": s["temperatures_c"],
        "mos_temperature_c": s["mosfet_temp_c"],
        "balancer_temperature_c": s["balancer_temp_c"],
        "pack_voltage_v": s["total_voltage_v"],
        "wire_current_a": s["current_a"],
        "soc_pct": s["soc_pct"],
        "soh_pct": s["soh_pct"],
        # o+12 discharge, o+13 charge (§2.4 conflict; both "On" here)
        "mos_state_a": on[s["discharge_mosfet_status"]],
        "mos_state_b": on[s["charge_mosfet_status"]],
        "balancer_state": on[s["balancer_status"]],
        "capacity_full_ah": s["total_capacity_ah"],
        # stated to the mAh (252.602); the frame holds µAh (§2.4: 1e-6 Ah)
        "capacity_remaining_ah": le(frame, 70 + 20, 4) / 1e6,
        "cycle_capacity_ah": s["cycle_capacity_ah"],
        "wire_power_w": s["power_w"],
        "runtime_s": s["total_runtime_s"],
        "balancing_bits": s["balanced_cell_bitmask"],
        "cell_max_v": s["max_cell_voltage_v"],
        "cell_max_index": s["max_voltage_cell"],
        "cell_min_v": s["min_cell_voltage_v"],
        "cell_min_index": s["min_voltage_cell"],
        "cell_delta_v": s["delta_cell_voltage_v"],
        "cell_avg_v": s["average_cell_voltage_v"],
        "total_discharged_ah": s["total_discharging_capacity_ah"],
        "total_charged_ah": s["total_charging_capacity_ah"],
        "total_discharge_time_s": s["total_discharging_time_s"],
        "total_charge_time_s": s["total_charging_time_s"],
    }
    assert round(values["capacity_remaining_ah"], 3) == s["remaining_capacity_ah"]
    built = enc.status_reply(values)
    assert check_2021(built) is None
    assert built == frame


def test_22s_status_from_aiobmsble_stated_values() -> None:
    # LEN 0x9E = 2N + 2T + 106 for 22S/4T (§2.4): no optional block
    frame = raw("ant21_status_22s_aiobmsble")
    s = FRAMES["ant21_status_22s_aiobmsble"]["expected"]
    n, t = s["cell_count"], s["temp_sensor_count"]
    o = 34 + 2 * n + 2 * t
    assert frame[5] == 2 * n + 2 * t + 106
    values = unstated(frame) | {
        "system_state": frame[7],
        "temperature_count": t,
        "cell_count": n,
        "cell_mv": [round(v * 1000) for v in s["cell_voltages_v"]],
        "temperatures": s["temperatures_c"],
        "mos_temperature_c": s["mosfet_temp_c"],
        "balancer_temperature_c": s["balancer_temp_c"],
        "pack_voltage_v": s["total_voltage_v"],
        "wire_current_a": s["current_a"],
        "soc_pct": s["soc_pct"],
        "soh_pct": s["soh_pct"],
        "mos_state_a": int(s["discharge_mosfet_on"]),
        "mos_state_b": int(s["charge_mosfet_on"]),
        "balancer_state": frame[o + 14],
        "capacity_full_ah": le(frame, o + 16, 4) / 1e6,
        "capacity_remaining_ah": s["remaining_capacity_ah"],
        "cycle_capacity_ah": le(frame, o + 24, 4) / 1000,
        "wire_power_w": s["power_w"],
        "runtime_s": le(frame, o + 32, 4),
        "balancing_bits": le(frame, o + 36, 4),
        "cell_max_v": max(s["cell_voltages_v"]),
        "cell_max_index": s["cell_voltages_v"].index(max(s["cell_voltages_v"])) + 1,
        "cell_min_v": min(s["cell_voltages_v"]),
        "cell_min_index": s["cell_voltages_v"].index(min(s["cell_voltages_v"])) + 1,
        "cell_delta_v": s["delta_cell_voltage_v"],
        "cell_avg_v": le(frame, o + 50, 2) / 1000,
        "total_discharged_ah": le(frame, o + 62, 4) / 1000,
        "total_charged_ah": le(frame, o + 66, 4) / 1000,
        "total_discharge_time_s": le(frame, o + 70, 4),
        "total_charge_time_s": le(frame, o + 74, 4),
    }
    # aiobmsble states the design capacity as whole Ah (80) and the cycle capacity floored
    assert int(values["capacity_full_ah"]) == s["design_capacity_ah"]
    assert int(values["cycle_capacity_ah"]) == s["cycle_capacity_ah_floor"]
    assert enc.status_reply(values) == frame
    # the optional block of the uni-app notes (§2.4, o+78: u32, u32, u16, u16) when a board
    # has it: LEN 12 larger, the values at their offsets, the frame still whole
    extra = {
        "next_charge_estimate_s": 86400,
        "charge_interval_s": 604800,
        "charge_remaining_min": 95,
        "discharge_remaining_min": 610,
    }
    built = enc.status_reply(values | extra)
    assert check_2021(built) is None and built[5] == frame[5] + 12
    assert built[: 6 + frame[5]] == frame[:5] + bytes([frame[5] + 12]) + frame[6 : 6 + frame[5]]
    assert [le(built, o + 78, 4), le(built, o + 82, 4), le(built, o + 86, 2), le(built, o + 88, 2)] == list(
        extra.values()
    )
    # a partial block is not sent: the board sends all four or none
    partial = values | {"next_charge_estimate_s": 1}
    assert enc.status_reply(partial) == frame


def test_device_info_reply_from_stated_versions() -> None:
    # aiobmsble's 24BH frame: hardware "24BH", software "24BHUB00-211026A" (§2.6)
    s = FRAMES["ant21_devinfo_24bh_aiobmsble"]["expected"]
    assert enc.device_info_reply(s["hw_version"], s["sw_version"]) == raw("ant21_devinfo_24bh_aiobmsble")
    s = FRAMES["ant21_devinfo_16zm_esphome"]["expected"]
    assert enc.device_info_reply(s["device_model"], s["software_version"]) == raw(
        "ant21_devinfo_16zm_esphome"
    )
