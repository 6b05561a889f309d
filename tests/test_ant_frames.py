"""ANT decoders and encoders against the captured frames of tests/data/ant_frames.json.

The frames are copied from ../shared/frames/ant.json; each frame's ``expected`` holds
only what its ``source`` states, in the source's own names and units.  ``SOURCE_NAMES``
below is the one table mapping those names onto Packbench's (shared/vocabulary.md).
A stated key that is neither mapped nor listed in ``NOT_APPLICABLE`` fails, so
nothing a source states is skipped silently.

Current and power: every source but aiobmsble's legacy driver publishes the value as
the board sends it, positive = discharging (ant_xiaomi.md §1.3, §2.4); aiobmsble's
legacy driver publishes raw / −10.  Packbench's ``current_a`` is positive while
charging, so each stated value is converted with its source's sign (``_sign``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.cli import decode_one
from app.model import DeviceInfo, Settings, Snapshot
from app.protocols import get_protocol
from app.protocols.ant import alarms as al
from app.protocols.ant import encode as enc
from app.protocols.ant import legacy as leg
from app.protocols.ant.schema import SPECS_2021 as P21_SPECS

DATA = Path(__file__).parent / "data" / "ant_frames.json"
FRAMES: list[dict[str, Any]] = json.loads(DATA.read_text(encoding="utf-8"))["frames"]
BY_ID = {e["id"]: e for e in FRAMES}
WITH_EXPECTED = [e for e in FRAMES if e["expected"]]


def _ids(entries: list[dict[str, Any]]) -> list[str]:
    return [e["id"] for e in entries]


def _raw(entry: dict[str, Any]) -> bytes:
    return bytes.fromhex(entry["hex"])


def _decode(entry: dict[str, Any]) -> dict[str, Any]:
    out = decode_one(entry["protocol"], entry["hex"])
    assert "error" not in out, out
    return out


def _sign(entry: dict[str, Any]) -> int:
    """Multiplier from the source's current/power to ours (module docstring)."""
    aio_legacy = entry["protocol"] == "ant_legacy" and entry["source"].startswith("patman15/aiobmsble")
    return 1 if aio_legacy else -1


def _tol(expected: float) -> float:
    """Half a unit of the last decimal the source printed (esphome prints 68.77 for 68.769939)."""
    text = repr(float(expected))
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 6
    return 0.5 * 10**-decimals + 1e-9


def _mos_code(table: tuple[str | None, ...], name: str) -> int:
    return table.index(name) if name in table else int(name.removeprefix("state_"))


def _aio_problem_code(f: dict[str, Any], protocol: str) -> int:
    """aiobmsble packs the two MOS states (0 and 1 are no problem) as charge << 8 | discharge."""
    chg, dsg = (
        (al.CHARGE_MOS_2021, al.DISCHARGE_MOS_2021)
        if protocol == "ant_2021"
        else (al.CHARGE_MOS_LEGACY, al.DISCHARGE_MOS_LEGACY)
    )
    c = _mos_code(chg, f["ant_charge_mos_state"])
    d = _mos_code(dsg, f["ant_discharge_mos_state"])
    return (c if c > 1 else 0) << 8 | (d if d > 1 else 0)


def _aio_design_ah(f: dict[str, Any]) -> float:
    """aiobmsble's design capacity: the board's, or remaining / SOC when the board says 0."""
    return f.get("capacity_full_ah") or round(f["capacity_remaining_ah"] / f["soc_pct"] * 100)


def _on(word: str) -> bool:
    return word.lower() == "on"


# source name -> (how to get it from our fields, how the stated value maps onto that)
Getter = Callable[[dict[str, Any], dict[str, Any]], Any]
SOURCE_NAMES: dict[str, tuple[Getter, Callable[[Any, dict[str, Any]], Any]]] = {
    "cell_count": (lambda f, e: f["cell_count"], lambda v, e: v),
    "battery_strings": (lambda f, e: f["cell_count"], lambda v, e: v),
    "temp_sensor_count": (lambda f, e: f["ant_temperature_count"], lambda v, e: v),
    "total_voltage_v": (lambda f, e: f["pack_voltage_v"], lambda v, e: v),
    "current_a": (lambda f, e: f["current_a"], lambda v, e: _sign(e) * v),
    "power_w": (lambda f, e: f["power_w"], lambda v, e: _sign(e) * v),
    "soc_pct": (lambda f, e: f["soc_pct"], lambda v, e: v),
    "soh_pct": (lambda f, e: f["soh_pct"], lambda v, e: v),
    "remaining_capacity_ah": (lambda f, e: f["capacity_remaining_ah"], lambda v, e: v),
    "capacity_remaining_ah": (lambda f, e: f["capacity_remaining_ah"], lambda v, e: v),
    "design_capacity_ah": (lambda f, e: f["capacity_full_ah"], lambda v, e: v),
    "total_capacity_ah": (lambda f, e: f["capacity_full_ah"], lambda v, e: v),
    "total_battery_capacity_ah": (lambda f, e: f["capacity_full_ah"], lambda v, e: v),
    "design_capacity_ah_workaround": (lambda f, e: _aio_design_ah(f), lambda v, e: v),
    "cycle_capacity_ah": (lambda f, e: f["cycle_capacity_ah"], lambda v, e: v),
    "battery_cycle_capacity_ah": (lambda f, e: f["cycle_capacity_ah"], lambda v, e: v),
    "cycle_capacity_ah_floor": (lambda f, e: math.floor(f["cycle_capacity_ah"]), lambda v, e: v),
    # aiobmsble's cycle count: floor(cycle capacity / design capacity); the board sends none
    "cycles": (lambda f, e: int(f["cycle_capacity_ah"] // _aio_design_ah(f)), lambda v, e: v),
    "delta_cell_voltage_v": (lambda f, e: f["cell_delta_v"], lambda v, e: v),
    "temperatures_c": (lambda f, e: f["temperatures_c"], lambda v, e: v),
    "temperatures_c_first4": (lambda f, e: f["temperatures_c"][:4], lambda v, e: v),
    "mosfet_temp_c": (lambda f, e: f["mos_temperature_c"], lambda v, e: v),
    "balancer_temp_c": (lambda f, e: f["balancer_temperature_c"], lambda v, e: v),
    "cell_voltages_v": (lambda f, e: f["cell_voltages_v"], lambda v, e: v),
    "charge_mosfet_on": (lambda f, e: f["charge_mos_on"], lambda v, e: v),
    "discharge_mosfet_on": (lambda f, e: f["discharge_mos_on"], lambda v, e: v),
    "charge_mosfet_status": (lambda f, e: f["charge_mos_on"], lambda v, e: _on(v)),
    "discharge_mosfet_status": (lambda f, e: f["discharge_mos_on"], lambda v, e: _on(v)),
    "charge_mosfet": (lambda f, e: f["charge_mos_on"], lambda v, e: _on(v)),
    "discharge_mosfet": (lambda f, e: f["discharge_mos_on"], lambda v, e: _on(v)),
    "balancer_on": (lambda f, e: f["balancing_active"], lambda v, e: v),
    "balancer": (lambda f, e: f["balancing_active"], lambda v, e: v if isinstance(v, bool) else _on(v)),
    "balancer_status": (lambda f, e: f["ant_balancer_state"], lambda v, e: v.lower()),
    # aiobmsble: charging = system state 2; ours: the current is positive while charging
    "battery_charging": (lambda f, e: f["current_a"] > 0, lambda v, e: v),
    "problem": (lambda f, e: bool(f["alarms"]), lambda v, e: v),
    "problem_code": (lambda f, e: _aio_problem_code(f, e["protocol"]), lambda v, e: v),
    "battery_status_code": (lambda f, e: f["ant_system_state_code"], lambda v, e: v),
    "battery_status": (lambda f, e: f["ant_system_state"], lambda v, e: v.lower()),
    "permissions": (lambda f, e: f["ant_permission"], lambda v, e: v),
    "runtime_s": (lambda f, e: f["runtime_s"], lambda v, e: v),
    "total_runtime_s": (lambda f, e: f["runtime_s"], lambda v, e: v),
    "max_cell_voltage_v": (lambda f, e: f["cell_max_v"], lambda v, e: v),
    "min_cell_voltage_v": (lambda f, e: f["cell_min_v"], lambda v, e: v),
    "average_cell_voltage_v": (lambda f, e: f["cell_avg_v"], lambda v, e: v),
    "max_voltage_cell": (lambda f, e: f["cell_max_index"], lambda v, e: v),
    "min_voltage_cell": (lambda f, e: f["cell_min_index"], lambda v, e: v),
    "balanced_cell_bitmask": (lambda f, e: f["ant_balancing_bits"], lambda v, e: v),
    "total_discharging_capacity_ah": (lambda f, e: f["ant_total_discharged_ah"], lambda v, e: v),
    "total_charging_capacity_ah": (lambda f, e: f["ant_total_charged_ah"], lambda v, e: v),
    "total_discharging_time_s": (lambda f, e: f["ant_total_discharge_time_s"], lambda v, e: v),
    "total_charging_time_s": (lambda f, e: f["ant_total_charge_time_s"], lambda v, e: v),
    "hw_version": (lambda f, e: f["hardware_version"], lambda v, e: v),
    "device_model": (lambda f, e: f["model"], lambda v, e: v),
    "sw_version": (lambda f, e: f["software_version"], lambda v, e: v),
    "software_version": (lambda f, e: f["software_version"], lambda v, e: v),
}

#: the PC app's / esphome's register names (issue #18, esphome frames_settings.h) -> our keys
REGISTER_NAMES = {
    "CellOvervoltageProtection": "cell_ovp_v",
    "CellHighProtect / CellOvervoltageProtection": "cell_ovp_v",
    "CellOvervoltageRecovery": "cell_ovp_recovery_v",
    "CellHighRecover": "cell_ovp_recovery_v",
    "CellOvervoltageProtectionL2": "ant_cell_ovp2_v",
    "CellOvervoltageRecoveryL2": "ant_cell_ovp2_recovery_v",
    "Level2CellHighRecover": "ant_cell_ovp2_recovery_v",
    "PackOvervoltageProtection": "pack_ovp_v",
    "PackOvervoltageRecovery": "pack_ovp_recovery_v",
    "CellUndervoltageRecovery": "cell_uvp_recovery_v",
    "CellUndervoltageRecoveryL2": "ant_cell_uvp2_recovery_v",
    "PackUndervoltageProtection": "pack_uvp_v",
    "PackUndervoltageRecovery": "pack_uvp_recovery_v",
    "CellVoltageDifferenceRecovery": "ant_cell_delta_recovery_v",
    "CellOvervoltageWarning": "ant_cell_ov_alarm_v",
    "CellOvervoltageWarningRecovery": "ant_cell_ov_alarm_recovery_v",
    "PackOvervoltageWarningRecovery": "ant_pack_ov_alarm_recovery_v",
    "CellUndervoltageWarning": "ant_cell_uv_alarm_v",
    "CellUndervoltageWarningRecovery": "ant_cell_uv_alarm_recovery_v",
    "PackUndervoltageWarningRecovery": "ant_pack_uv_alarm_recovery_v",
    "CellVoltageDifferenceWarning": "ant_cell_delta_alarm_v",
    "ChargeOvercurrentProtection": "charge_ocp_a",
    "DischargeOvercurrentProtection": "discharge_ocp_a",
    "DischargeOvercurrentProtectionDelay": "discharge_ocp_delay_s",
    "DischargeOvercurrentProtectionL2": "ant_discharge_ocp2_a",
    "DischargeOvercurrentProtectionDelayL2": "ant_discharge_ocp2_delay_ms",
    "ShortCircuitProtection": "ant_short_circuit_a",
    "ShortCircuitProtectionDelay": "short_circuit_delay_us",
    "DischargeOvercurrentWarningRecovery": "ant_discharge_oc_alarm_recovery_a",
    "SOCLowLevel2Warning": "ant_soc_low2_alarm_pct",
    "CellBalancingVoltage": "ant_balance_limit_v",
    "CellBalancingStartVoltage": "balance_start_v",
    "BalancingChargingCurrent": "ant_balance_charge_current_a",
    "CellType": "ant_cell_type",
    "CellNumber": "cell_count",
    "ShutdownVoltage": "power_off_v",
    "RequestChargeCurrent": "ant_charge_request_a",
    "TotalCycleCapacity": "ant_cycle_capacity_ah",
    "StateOfChargeMethod": "ant_soc_method",
    "TireLength": "ant_tyre_length_mm",
    "PulseValue": "ant_pulses_per_revolution",
}

#: a command's or ack's stated meaning -> the decode-contract fields that say the same
MEANINGS: dict[str, dict[str, Any]] = {
    "status request (func 0x01, addr 0x0000, requested len 0xBE=190)": {
        "meaning": "status request",
        "register": 0,
        "length": 0xBE,
    },
    "device info request (func 0x02, addr 0x026C, len 0x20)": {
        "meaning": "device information request",
        "register": 0x026C,
        "length": 0x20,
    },
    # aiobmsble's address bytes 01 6A read as 0x6A01 (§2.9: probably byte-swapped)
    'authenticate with password "12345678" (func 0x23); aiobmsble sends address bytes 01 6A': {
        "operation": "password",
        "register": 0x6A01,
        "password_length": 8,
    },
    "read settings register": {"operation": "read"},
    "discharge mosfet off": {"setting": "discharge_switch", "value": False, "register": 0x01},
    "discharge mosfet on": {"setting": "discharge_switch", "value": True, "register": 0x03},
    "charge mosfet on": {"setting": "charge_switch", "value": True, "register": 0x06},
    "manual balance on": {"setting": "balance_switch", "value": True, "register": 0x0D},
    "bluetooth off": {"action": "bluetooth_off", "register": 0x1C},
    "buzzer on": {"setting": "ant_buzzer_switch", "value": True, "register": 0x1E},
    "shutdown": {"action": "shutdown", "register": 0x0B},
    "factory reset": {"action": "factory_reset", "register": 0x0C},
    "bluetooth initialization": {"action": "bluetooth_init", "register": 0x10},
    "clear discharge cycle ah": {"action": "clear_discharge_ah", "register": 0x20},
    "clear discharge time": {"action": "clear_discharge_time", "register": 0x22},
    "clear running time": {"action": "clear_runtime", "register": 0x24},
    "clear protect time": {"action": "clear_protect_time", "register": 0x25},
    "reset hardware": {"action": "reset_hardware", "register": 0x2A},
    "save customer data": {"action": "save_customer_data", "register": 0x2C},
    "ACK password (reply to func 0x23, addr 0x016A)": {"register": 0x016A, "ok": True},
    "ACK of 0x51 command 0x04 (charge MOS off)": {"register": 0x04, "ok": True},
    "status request (BLE/ Bluetooth); returns 140-byte frame": {"meaning": "status request"},
    "status request used on UART by esphome ant_bms_old": {"meaning": "status request"},
    "charge MOSFET on (addr 0xFA=250, value 1)": {
        "register": 0xFA,
        "raw_value": 1,
        "setting": "charge_switch",
        "value": True,
    },
    "charge MOSFET off (addr 0xFA, value 0)": {
        "register": 0xFA,
        "raw_value": 0,
        "setting": "charge_switch",
        "value": False,
    },
    # the password characters themselves are never in the output (checked below)
    'password chars 1-2 "12" (addr 0xF1)': {"register": 0xF1, "meaning": "password characters"},
    'password chars 3-4 "34" (addr 0xF2)': {"register": 0xF2, "meaning": "password characters"},
    'password chars 7-8 "78" (addr 0xF4)': {"register": 0xF4, "meaning": "password characters"},
    'password chars 7-8 "79" (wrong password attempt)': {"register": 0xF4, "meaning": "password characters"},
    "addr 0xF5 value 1 (undocumented; seen after password)": {"register": 0xF5, "raw_value": 1},
    "apply (addr 255) - sent after every register write": {"register": 0xFF, "action": "apply"},
}

#: stated keys this decoder does not produce, and why
NOT_APPLICABLE: dict[str, str] = {}

#: a source that contradicts its own bytes: asserted as the bytes say
CONTRADICTIONS: dict[tuple[str, str], tuple[Any, str]] = {
    # aiobmsble's legacy driver says "balancer": false, but the same frame's balancer
    # byte is 2 ("charge voltage-difference balancing", §1.3) and its balancing bitmap
    # 0x0B50 names cells 5, 7, 9, 10 and 12: exactly the five highest cells
    # (3.413–3.506 V).  aiobmsble tests bit 2 of the balancer byte only.
    ("antleg_status_16s_aiobmsble", "balancer"): (True, "balancer byte 2 + bitmap 0x0B50"),
}


def _check_stated(entry: dict[str, Any], key: str, stated: Any, out: dict[str, Any]) -> None:
    fields = out["fields"]
    where = f"{entry['id']}: {key}"
    if (entry["id"], key) in CONTRADICTIONS:
        ours, _why = CONTRADICTIONS[(entry["id"], key)]
        assert SOURCE_NAMES[key][0](fields, entry) == ours, where
        return
    if key == "meaning":
        for name, value in MEANINGS[stated].items():
            assert fields.get(name) == value, f"{where}: {name}={fields.get(name)!r}, want {value!r}"
        return
    if key == "register" and isinstance(stated, str):  # a register's name
        ours = REGISTER_NAMES[stated]
        if out["kind"] == "command":
            assert fields["setting"] == ours, where
        else:
            assert ours in fields, where
        return
    if key in ("address", "data_len") and out["kind"] == "settings":
        # a settings reply names no address: the one value it carries is the row at it
        (only,) = fields
        assert P21_SPECS[only].register == stated, where
        return
    if key in ("address", "data_len"):
        assert fields["register" if key == "address" else "length"] == stated, where
        return
    if key == "value_v":
        assert len(fields) == 1, where
        assert next(iter(fields.values())) == pytest.approx(stated, abs=1e-9), where
        return
    getter, convert = SOURCE_NAMES[key]
    want, got = convert(stated, entry), getter(fields, entry)
    if isinstance(want, float) or (isinstance(want, list) and want and isinstance(want[0], float)):
        tol = max(_tol(w) for w in (want if isinstance(want, list) else [want]))
        assert got == pytest.approx(want, abs=tol), f"{where}: {got!r} != {want!r}"
    else:
        assert got == want, f"{where}: {got!r} != {want!r}"


@pytest.mark.parametrize("entry", WITH_EXPECTED, ids=_ids(WITH_EXPECTED))
def test_stated_values_decode(entry: dict[str, Any]) -> None:
    out = _decode(entry)
    assert out["protocol"] == entry["protocol"]
    for key, stated in entry["expected"].items():
        if key in NOT_APPLICABLE:
            continue
        known = key in SOURCE_NAMES or key in ("meaning", "register", "address", "data_len", "value_v")
        assert known, f"{entry['id']}: stated key {key!r} is not mapped"
        _check_stated(entry, key, stated, out)


def test_every_frame_decodes_to_its_kind() -> None:
    kinds = {
        "status": "live",
        "device_info": "device_info",
        "settings": "settings",
        "ack": "ack",
        "command": "command",
        "identity": "device_info",
        "system_info": "device_info",
    }
    for entry in FRAMES:
        assert _decode(entry)["kind"] == kinds[entry["frame_type"]], entry["id"]


def test_password_characters_never_in_the_output() -> None:
    """vocabulary.md: passwords never reach a log or JSON; the decoders name the write only."""
    secrets = ("12345678", "3132", "3334", "3738", str(0x3132), str(0x3334), str(0x3738), '"12"')
    for fid in (
        "antleg_cmd_a5a5f1313254",
        "antleg_cmd_a5a5f2333459",
        "antleg_cmd_a5a5f4373863",
        "ant21_auth_aiobmsble_12345678",
    ):
        text = json.dumps(_decode(BY_ID[fid]))
        assert not [s for s in secrets if s in text], (fid, text)


# --- the 16ZMUB settings block and its writes (§2.7 table, "16ZMUB value" column) ------------------
#: the researcher's decode of the real 56-byte block read (ant_xiaomi.md §2.7)
SETTINGS_16ZMUB = {
    "cell_ovp_v": 3.650,
    "cell_ovp_recovery_v": 3.550,
    "ant_cell_ovp2_v": 3.800,
    "ant_cell_ovp2_recovery_v": 3.700,
    "pack_ovp_v": 60.8,
    "pack_ovp_recovery_v": 58.4,
    "cell_uvp_v": 2.100,
    "cell_uvp_recovery_v": 2.500,
    "ant_cell_uvp2_v": 2.000,
    "ant_cell_uvp2_recovery_v": 2.500,
    "pack_uvp_v": 20.0,
    "pack_uvp_recovery_v": 20.0,
    "ant_cell_delta_protection_v": 0.800,
    "ant_cell_delta_recovery_v": 0.600,
    "ant_cell_ov_alarm_v": 3.600,
    "ant_cell_ov_alarm_recovery_v": 3.500,
    "ant_pack_ov_alarm_v": 58.4,
    "ant_pack_ov_alarm_recovery_v": 55.2,
    "ant_cell_uv_alarm_v": 3.000,
    "ant_cell_uv_alarm_recovery_v": 3.100,
    "ant_pack_uv_alarm_v": 20.0,
    "ant_pack_uv_alarm_recovery_v": 20.0,
    "ant_cell_delta_alarm_v": 0.600,
    "ant_cell_delta_alarm_recovery_v": 0.400,
}


def test_16zmub_settings_block_decodes_to_the_researchers_values() -> None:
    message = get_protocol("ant_2021").decode(_raw(BY_ID["ant21_settings_block_0000_len56_16zmub"]))
    assert isinstance(message, Settings) and message.partial
    # the block covers 0x00..0x37: the unknown 0x1C/0x1E and 0x34/0x36 (FFFF) are not claimed
    assert message.values == pytest.approx(SETTINGS_16ZMUB, abs=1e-9)


@pytest.mark.parametrize(
    "fid, key, value",
    [
        ("ant21_write_0x0000_3650mv_16zmub", "cell_ovp_v", 3.650),
        ("ant21_write_0x0002_3550mv_16zmub", "cell_ovp_recovery_v", 3.550),
    ],
)
def test_captured_writes_decode_and_reencode(fid: str, key: str, value: float) -> None:
    """The researcher's reading of the app's writes (0x0E42 = 3650 mV at 0x0000 …)."""
    frame = _raw(BY_ID[fid])
    fields = _decode(BY_ID[fid])["fields"]
    assert (fields["setting"], fields["operation"]) == (key, "write")
    assert fields["value"] == pytest.approx(value)
    assert get_protocol("ant_2021").write_requests(key, value) == [frame]
    # and the board's 0x42 echo carries the same value, which the write step checks
    echo = BY_ID[fid.replace("write_", "write_ack_").replace("_3650mv", "").replace("_3550mv", "")]
    assert get_protocol("ant_2021").reply_matcher(frame)(get_protocol("ant_2021").decode(_raw(echo)))


# --- sign, MOS byte order and system state: decided from the real frames ----------------------------
def test_current_sign_follows_the_capacity_in_the_model2019_sequence() -> None:
    """§1.3 CONFLICT: in the real 9-frame capture the remaining capacity falls while the raw
    current is +80…+120: the pack discharges, so ``current_a`` must be negative."""
    seq = [BY_ID["antleg_status_14s_model2019"]] + [
        BY_ID[f"antleg_status_14s_model2019_{i}"] for i in range(1, 9)
    ]
    snaps = [_decode(e)["fields"] for e in seq]
    remaining = [s["capacity_remaining_ah"] for s in snaps]
    assert remaining == sorted(remaining, reverse=True) and remaining[0] > remaining[-1]
    assert all(s["current_a"] < 0 and s["power_w"] < 0 for s in snaps)


def test_2021_discharging_frames_have_a_negative_current_and_state_4() -> None:
    """§2.4: the 24BHUB capture's remaining capacity falls from one frame to the next; its
    system state is 4 and warning bit 19 says discharging (the uni-app reading of 4)."""
    a, b = (
        _decode(BY_ID[i])["fields"]
        for i in ("ant21_status_22s_24bhub_capture", "ant21_status_22s_24bhub_capture_b")
    )
    assert a["capacity_remaining_ah"] > b["capacity_remaining_ah"]
    for f in (a, b):
        assert f["current_a"] < 0 and f["power_w"] < 0
        assert f["ant_system_state"] == "discharging" and "discharging" in f["ant_states"]


STATUS_2021 = [e for e in FRAMES if e["protocol"] == "ant_2021" and e["frame_type"] == "status"]


@pytest.mark.parametrize("entry", STATUS_2021, ids=_ids(STATUS_2021))
def test_mos_bytes_agree_with_warning_bits_23_24(entry: dict[str, Any]) -> None:
    """§2.4 CONFLICT: o+12 = discharge, o+13 = charge.  Every real frame's MOS bytes agree
    with warning bits 23 (charge MOS on) / 24 (discharge MOS on) in that order; only the
    synthetic aiobmsble frame (bytes edited, bits not) disagrees."""
    fields = _decode(entry)["fields"]
    assert fields["ant_mos_bytes_match_bits"] is (not entry.get("synthetic", False))


def test_the_other_mos_order_contradicts_the_14s_capture() -> None:
    frame = _raw(BY_ID["ant21_status_14s_model2021_0"])  # bytes 01 02, only bit 24 set
    ours = get_protocol("ant_2021").decode(frame)
    other = get_protocol("ant_2021").bind({"mos_order": "charge_first"}).decode(frame)
    assert isinstance(ours, Snapshot) and isinstance(other, Snapshot)
    assert (ours.charge_mos_on, ours.discharge_mos_on) == (False, True)
    assert ours.extra["ant_mos_bytes_match_bits"] and not other.extra["ant_mos_bytes_match_bits"]
    # the charge FET is off for cell over-voltage at 4.113 V (protection bit 1)
    assert ours.alarms == ["cell_overvoltage"]


def test_invert_option_gives_the_wire_sign_back() -> None:
    frame = _raw(BY_ID["antleg_status_14s_model2019"])
    raw = get_protocol("ant_legacy").bind({"current_sign": "charge_positive"}).decode(frame)
    assert isinstance(raw, Snapshot) and raw.current_a == pytest.approx(8.0)


# --- device information and alarms -------------------------------------------------------------
def test_device_info_strings() -> None:
    info = get_protocol("ant_2021").decode(_raw(BY_ID["ant21_devinfo_24bha0tb110a"]))
    assert isinstance(info, DeviceInfo) and not info.partial
    assert (info.model, info.software_version) == ("24BHA0TB110A", "24BHUB00-220823A")


def test_warning_bits_become_alarms_and_states() -> None:
    """§2.5 "the captures agree with this table": 16ZMUB at 1-2 °C has warning bits 7, 23,
    24; the issue #84 frame at SOC 0 has 12, 13, 23, 24, 29 (balancer 4 = auto)."""
    cold = _decode(BY_ID["ant21_status_16s_esphome"])["fields"]
    assert cold["alarms"] == ["charge_undertemperature"]
    assert cold["ant_states"] == ["charge_mos_on", "discharge_mos_on"]
    empty = _decode(BY_ID["ant21_status_22s_issue84"])["fields"]
    assert empty["alarms"] == ["low_soc"]
    assert empty["ant_states"] == ["auto_balance", "charge_mos_on", "discharge_mos_on"]
    assert empty["ant_balancer_state"] == "auto_balancing" and empty["balancing_active"]


def test_unknown_bits_are_kept() -> None:
    frame = bytearray(_raw(BY_ID["ant21_status_16s_esphome"])[:-4])
    frame[10 + 5] |= 0x80  # protection bit 47: named by no source
    frame[18 + 6] |= 0x40  # warning bit 54
    body = bytes(frame[1:])
    from app.protocols.checksums import crc16_modbus

    fixed = bytes(frame) + crc16_modbus(body).to_bytes(2, "little") + b"\xaa\x55"
    snap = get_protocol("ant_2021").decode(fixed)
    assert isinstance(snap, Snapshot)
    assert {"ant_bit_47", "ant_bit_118"} <= set(snap.alarms)


def test_absent_sensor_left_out() -> None:
    """The 14S bench unit's sensor 3 reads −40 °C = open (§2.4)."""
    assert _decode(BY_ID["ant21_status_14s_model2021_0"])["fields"]["temperatures_c"] == [28, 28, 28]
    legacy = _decode(BY_ID["antleg_status_16s_model2021_dbdb_0"])["fields"]
    assert legacy["temperatures_c"] == [23, 25, 21, 22]  # sensors 5, 6 read −40


def test_cell_number_outside_the_pack_is_derived_from_the_cells() -> None:
    """The 2021 board's legacy frames name cell 17 of 16 as the lowest (researcher's decode)."""
    fields = _decode(BY_ID["antleg_status_16s_model2021_5a5a_3"])["fields"]
    assert fields["cell_count"] == 16 and fields["cell_min_index"] == 13
    assert fields["cell_voltages_v"][12] == fields["cell_min_v"] == 3.979


# --- encoders reproduce the captured host frames byte for byte -------------------------------------
P21 = get_protocol("ant_2021")
PLEG = get_protocol("ant_legacy")

#: frame id -> how Packbench builds the same request, from the research (§2.2, §2.7–§2.9, §1.2–§1.4)
BUILDERS: dict[str, Callable[[], bytes]] = {
    "ant21_req_status": enc.status_request,
    "ant21_req_devinfo": enc.device_info_request,
    "ant21_req_settings_block_0000_len56": lambda: enc.read_settings(0x0000, 56),
    "ant21_req_func04_16zmub": enc.identity_request,
    "ant21_cmd_0x07_save_16zmub": enc.save_settings,
    "ant21_write_0x0000_3650mv_16zmub": lambda: P21.encode_write("cell_ovp_v", 3.65),
    "ant21_write_0x0002_3550mv_16zmub": lambda: P21.encode_write("cell_ovp_recovery_v", 3.55),
    "ant21_cmd_discharge_mosfet_off": lambda: P21.encode_write("discharge_switch", False),
    "ant21_cmd_discharge_mosfet_on": lambda: P21.encode_write("discharge_switch", True),
    "ant21_cmd_charge_mosfet_on": lambda: P21.encode_write("charge_switch", True),
    "ant21_cmd_manual_balance_on": lambda: P21.encode_write("balance_switch", True),
    "ant21_cmd_buzzer_on": lambda: P21.encode_write("ant_buzzer_switch", True),
    "ant21_cmd_shutdown": lambda: P21.encode_action("shutdown"),
    "ant21_cmd_factory_reset": lambda: P21.encode_action("factory_reset"),
    "ant21_cmd_bluetooth_off": lambda: enc.control(0x1C),
    "ant21_cmd_bluetooth_initialization": lambda: enc.control(0x10),
    "ant21_cmd_clear_discharge_cycle_ah": lambda: P21.encode_action("ant_clear_discharge_ah"),
    "ant21_cmd_clear_discharge_time": lambda: P21.encode_action("ant_clear_discharge_time"),
    "ant21_cmd_clear_running_time": lambda: P21.encode_action("ant_clear_runtime"),
    "ant21_cmd_clear_protect_time": lambda: P21.encode_action("ant_clear_protect_time"),
    "ant21_cmd_reset_hardware": lambda: enc.control(0x2A),
    "ant21_cmd_save_customer_data": lambda: enc.control(0x2C),
    "antleg_req_status_ble": lambda: PLEG.poll_requests()[0],
    "antleg_req_status_uart": lambda: PLEG.bind({"request": "5a5a"}).poll_requests()[0],
    "antleg_req_rfcomm_5a5aff": lambda: leg.read_parameter(0xFF),
    "antleg_cmd_a5a5fa0001fb": lambda: PLEG.write_requests("charge_switch", True)[0],
    "antleg_cmd_a5a5fa0000fa": lambda: PLEG.write_requests("charge_switch", False)[0],
    "antleg_cmd_apply_ff": lambda: PLEG.write_requests("charge_switch", False)[-1],
    "antleg_cmd_a5a5f1313254": lambda: leg.password_frames("12345678")[0],
    "antleg_cmd_a5a5f2333459": lambda: leg.password_frames("12345678")[1],
    "antleg_cmd_a5a5f4373863": lambda: leg.password_frames("12345678")[3],
    "antleg_cmd_a5a5f4373964": lambda: leg.password_frames("12345679")[3],
    "antleg_cmd_a5a5f50001f6": lambda: leg.write_parameter(0xF5, 1),
}
#: every settings read the PC app sent (issue #18), by its stated address and length
BUILDERS.update(
    {
        e["id"]: (lambda e=e: enc.read_settings(e["expected"]["address"], e["expected"]["data_len"]))
        for e in FRAMES
        if e["id"].startswith("ant21_req_settings_0") and e["expected"]
    }
)
COMMANDS = [e for e in FRAMES if e["frame_type"] == "command"]


@pytest.mark.parametrize("entry", COMMANDS, ids=_ids(COMMANDS))
def test_builders_reproduce_captured_commands(entry: dict[str, Any]) -> None:
    if entry["id"] == "ant21_auth_aiobmsble_12345678":
        # aiobmsble's frame puts the slot address bytes as 01 6A; esphome and the board's own
        # ACK (issue #20) say 6A 01: Packbench sends 6A 01 and differs in those bytes only
        ours, theirs = enc.password(5, "12345678"), _raw(entry)
        assert ours[3:5] == b"\x6a\x01" and theirs[3:5] == b"\x01\x6a"
        assert ours[:3] + ours[5:-4] == theirs[:3] + theirs[5:-4]
        return
    assert entry["id"] in BUILDERS, f"no builder for {entry['id']}"
    assert BUILDERS[entry["id"]]() == _raw(entry)


def test_board_presets_and_buttons_are_command_then_apply() -> None:
    """§1.4: 0xFB LiFePO4, 0xF0 LTO; buttons write 0 (esphome AntButton), then apply."""
    assert PLEG.action_requests("preset_lifepo4") == [
        bytes.fromhex("a5a5fb0000fb"),
        _raw(BY_ID["antleg_cmd_apply_ff"]),
    ]
    assert PLEG.action_requests("preset_lto")[0] == bytes.fromhex("a5a5f00000f0")
    assert PLEG.encode_action("restart") == bytes.fromhex("a5a5fe0000fe") + _raw(BY_ID["antleg_cmd_apply_ff"])


# --- the field tables encode what they decode ---------------------------------------------------
@pytest.mark.parametrize("entry", STATUS_2021, ids=_ids(STATUS_2021))
def test_2021_status_round_trip(entry: dict[str, Any]) -> None:
    from app.protocols.ant.decode import status_values

    frame = _raw(entry)
    assert enc.status_reply(status_values(frame)) == frame


STATUS_LEGACY = [e for e in FRAMES if e["protocol"] == "ant_legacy" and e["frame_type"] == "status"]


@pytest.mark.parametrize("entry", STATUS_LEGACY, ids=_ids(STATUS_LEGACY))
def test_legacy_status_round_trip(entry: dict[str, Any]) -> None:
    frame = _raw(entry)
    assert leg.status_frame(leg.status_values(frame)) == frame


def test_device_info_and_ack_replies_round_trip() -> None:
    assert enc.device_info_reply("24BHA0TB110A", "24BHUB00-220823A") == _raw(
        BY_ID["ant21_devinfo_24bha0tb110a"]
    )
    write = _raw(BY_ID["ant21_write_0x0000_3650mv_16zmub"])
    assert enc.ack(write) == _raw(BY_ID["ant21_write_ack_0x0000_16zmub"])
    assert enc.ack(enc.save_settings()) == _raw(BY_ID["ant21_ack_0x07_16zmub"])
    assert enc.ack(enc.control(0x04)) == _raw(BY_ID["ant21_ack_0x51_0x04_issue20"])
    assert enc.ack(enc.password(5, "123456789abc"), 5) == _raw(BY_ID["ant21_ack_password_issue20"])
