"""ANT status words and state bytes -> canonical alarm ids and family-only states.

Sources: ../shared/protocols/ant_xiaomi.md §2.5 (the 2021 protection and warning
u64 bitmasks, from the uni-app notes' ``realtime.py``; esphome does not decode
them), §2.4 (the 2021 MOS, balancer and system-state enums), §1.3 (the legacy
MOS and balancer enums of the vendor PDF).

Rules (vocabulary.md "Alarm ids"): a bit that means a canonical alarm becomes that
id; a bit that is a *state* (charging, MOS on, manually off …) is not an alarm and
goes to the snapshot's ``ant_states``; any other set bit is kept as
``ant_bit_<n>``, never dropped, never guessed.  The warning word's bits are
numbered 64..127 in those ids (``ant_bit_<64+n>``) so the two words never share a
name.
"""

from __future__ import annotations

from ...model import (
    BALANCER_FAULT,
    CELL_COUNT_MISMATCH,
    CELL_DELTA_HIGH,
    CELL_OVERVOLTAGE,
    CELL_UNDERVOLTAGE,
    CHARGE_OVERCURRENT,
    CHARGE_OVERTEMPERATURE,
    CHARGE_UNDERTEMPERATURE,
    COMMUNICATION_FAULT,
    DISCHARGE_OVERCURRENT,
    DISCHARGE_OVERTEMPERATURE,
    DISCHARGE_UNDERTEMPERATURE,
    LOW_SOC,
    MOS_OVERTEMPERATURE,
    PACK_OVERVOLTAGE,
    PACK_UNDERVOLTAGE,
    SHORT_CIRCUIT,
    unknown_alarm,
)

FAMILY = "ant"
WARNING_BIT_BASE = 64

# --- 2021 protection word (bytes 10-17), §2.5 ------------------------------------------------
PROTECTION_ALARMS = {
    1: CELL_OVERVOLTAGE,
    2: CELL_OVERVOLTAGE,  # level 1 and level 2
    3: PACK_OVERVOLTAGE,
    4: CELL_UNDERVOLTAGE,
    5: CELL_UNDERVOLTAGE,
    6: PACK_UNDERVOLTAGE,
    7: CELL_DELTA_HIGH,
    8: CHARGE_OVERTEMPERATURE,
    9: DISCHARGE_OVERTEMPERATURE,
    10: MOS_OVERTEMPERATURE,
    11: CHARGE_UNDERTEMPERATURE,
    12: DISCHARGE_UNDERTEMPERATURE,
    13: CHARGE_OVERCURRENT,
    14: DISCHARGE_OVERCURRENT,
    15: DISCHARGE_OVERCURRENT,
    16: SHORT_CIRCUIT,
    29: COMMUNICATION_FAULT,  # internal communication error
    35: COMMUNICATION_FAULT,  # DTU lost
}
#: protection bits that say what the board is doing, not what went wrong
PROTECTION_STATES = {
    **{17 + i: f"discharge_mos_manual_off_{i + 1}" for i in range(4)},
    **{21 + i: f"charge_mos_manual_off_{i + 1}" for i in range(4)},
    31: "starting",
    34: "charger_connected",
}
DISCHARGE_MANUAL_OFF_BITS = range(17, 21)
CHARGE_MANUAL_OFF_BITS = range(21, 25)

# --- 2021 warning word (bytes 18-25), §2.5 ---------------------------------------------------
WARNING_ALARMS = {
    0: CELL_OVERVOLTAGE,
    1: PACK_OVERVOLTAGE,
    2: CELL_UNDERVOLTAGE,
    3: PACK_UNDERVOLTAGE,
    4: CELL_DELTA_HIGH,
    5: CHARGE_OVERTEMPERATURE,
    6: DISCHARGE_OVERTEMPERATURE,
    7: CHARGE_UNDERTEMPERATURE,
    8: DISCHARGE_UNDERTEMPERATURE,
    9: MOS_OVERTEMPERATURE,
    10: CHARGE_OVERCURRENT,
    11: DISCHARGE_OVERCURRENT,
    12: LOW_SOC,
    13: LOW_SOC,
    15: CELL_COUNT_MISMATCH,
    30: BALANCER_FAULT,  # balancer over-temperature
    34: COMMUNICATION_FAULT,  # DTU lost
}
WARNING_STATES = {
    17: "battery_full",
    18: "charging",
    19: "discharging",
    20: "can_charger_in",
    21: "rs485_charger_in",
    22: "charger_in",
    23: "charge_mos_on",
    24: "discharge_mos_on",
    25: "balancing",
    26: "sleep",
    27: "balance_limit",
    28: "balance_difference",
    29: "auto_balance",
    31: "voltage_protection",
    32: "temperature_protection",
    35: "balance_test",
    36: "heating",
    37: "forced_output",
    38: "bluetooth_off",
    39: "relay_precharging",
    40: "mos_precharging",
    41: "charge_relay_on",
    42: "discharge_relay_on",
    44: "force_charging",
}
WARNING_CHARGE_MOS_ON = 23
WARNING_DISCHARGE_MOS_ON = 24
WARNING_BALANCING_ON = 25
WARNING_HEATING = 36
WARNING_MOS_PRECHARGING = 40


def word_alarms(
    bits: int, named: dict[int, str], states: dict[int, str], base: int = 0
) -> tuple[list[str], list[str]]:
    """(alarm ids, state names) of one status word."""
    alarms: list[str] = []
    found: list[str] = []
    for n in range(64):
        if not bits >> n & 1:
            continue
        if n in named:
            alarms.append(named[n])
        elif n in states:
            found.append(states[n])
        else:
            alarms.append(unknown_alarm(FAMILY, base + n))
    return alarms, found


# --- MOS, balancer and system-state enums ----------------------------------------------------
#: 2021 charge-MOS state (§2.4 table, esphome arrays; the uni-app labels agree)
CHARGE_MOS_2021 = (
    "off",
    "on",
    "cell_overvoltage",
    "overcurrent",
    "battery_full",
    "pack_overvoltage",
    "battery_overtemperature",
    "mos_overtemperature",
    "abnormal_current",
    "balance_wire_loose",
    "board_overtemperature",
    "reserved",
    "open_failed",
    "discharge_mos_abnormal",
    "waiting",
    "manually_off",
    "cell_overvoltage_2",
    "low_temperature",
    "voltage_difference",
    "reserved",
    "self_test_error",
)
DISCHARGE_MOS_2021 = (
    "off",
    "on",
    "cell_undervoltage",
    "overcurrent",
    "overcurrent_2",
    "pack_undervoltage",
    "battery_overtemperature",
    "mos_overtemperature",
    "abnormal_current",
    "balance_wire_loose",
    "board_overtemperature",
    "charge_mos_on",
    "short_circuit",
    "discharge_mos_abnormal",
    "open_failed",
    "manually_off",
    "cell_undervoltage_2",
    "low_temperature",
    "voltage_difference",
    "self_test_error",
)
#: legacy enums of the vendor PDF (§1.3)
CHARGE_MOS_LEGACY = (
    "off",
    "on",
    "cell_overvoltage",
    "overcurrent",
    "battery_full",
    "pack_overvoltage",
    "battery_overtemperature",
    "mos_overtemperature",
    "abnormal_current",
    "balance_wire_loose",
    "board_overtemperature",
    None,
    None,
    "discharge_mos_abnormal",
    None,
    "manually_off",
)
DISCHARGE_MOS_LEGACY = (
    "off",
    "on",
    "cell_undervoltage",
    "overcurrent",
    None,
    "pack_undervoltage",
    "battery_overtemperature",
    "mos_overtemperature",
    "abnormal_current",
    "balance_wire_loose",
    "board_overtemperature",
    "charge_mos_on",
    "short_circuit",
    "discharge_mos_abnormal",
    "start_up_exception",
    "manually_off",
)
BALANCER_2021 = {
    0: "off",
    1: "limit_balancing",
    2: "difference_balancing",
    3: "balancer_overtemperature",
    4: "auto_balancing",
    5: "manual_balancing",
    10: "board_overtemperature",
}
BALANCER_LEGACY = {
    0: "off",
    1: "limit_balancing",
    2: "difference_balancing",
    3: "balancer_overtemperature",
    4: "auto_balancing",
    10: "board_overtemperature",
}
#: balancer states that move charge now
BALANCING_STATES = frozenset({1, 2, 4, 5})

#: what a MOS state *that keeps the FET off* says went wrong, as an alarm id; the other
#: states (on, off, battery full, waiting, manually off …) are states, not alarms
CHARGE_MOS_ALARMS = {
    "cell_overvoltage": CELL_OVERVOLTAGE,
    "cell_overvoltage_2": CELL_OVERVOLTAGE,
    "overcurrent": CHARGE_OVERCURRENT,
    "pack_overvoltage": PACK_OVERVOLTAGE,
    "battery_overtemperature": CHARGE_OVERTEMPERATURE,
    "mos_overtemperature": MOS_OVERTEMPERATURE,
    "low_temperature": CHARGE_UNDERTEMPERATURE,
    "voltage_difference": CELL_DELTA_HIGH,
}
DISCHARGE_MOS_ALARMS = {
    "cell_undervoltage": CELL_UNDERVOLTAGE,
    "cell_undervoltage_2": CELL_UNDERVOLTAGE,
    "overcurrent": DISCHARGE_OVERCURRENT,
    "overcurrent_2": DISCHARGE_OVERCURRENT,
    "pack_undervoltage": PACK_UNDERVOLTAGE,
    "battery_overtemperature": DISCHARGE_OVERTEMPERATURE,
    "mos_overtemperature": MOS_OVERTEMPERATURE,
    "short_circuit": SHORT_CIRCUIT,
    "low_temperature": DISCHARGE_UNDERTEMPERATURE,
    "voltage_difference": CELL_DELTA_HIGH,
}

#: CONFLICT §2.4 "system state (byte 7)": esphome has 3 discharge / 4 standby, the
#: uni-app notes 3 standby / 4 discharging.  The 24BHUB capture shows state 4 while
#: the remaining capacity falls and warning bit 19 "discharging" is set: uni-app.
SYSTEM_STATES = {0: "none", 1: "idle", 2: "charging", 3: "standby", 4: "discharging", 5: "fault"}

#: 2021 status bytes o+60 (esphome comment, §2.4)
BATTERY_TYPES = {0xFAF1: "li_ion", 0xFAF2: "lifepo4", 0xFAF3: "lto", 0xFAF4: "custom"}


def enum_name(table: tuple[str | None, ...] | dict[int, str], value: int) -> str:
    if isinstance(table, dict):
        name = table.get(value)
    else:
        name = table[value] if 0 <= value < len(table) else None
    return name or f"state_{value}"


def mos_alarms(charge: str, discharge: str) -> list[str]:
    out = []
    if charge in CHARGE_MOS_ALARMS:
        out.append(CHARGE_MOS_ALARMS[charge])
    if discharge in DISCHARGE_MOS_ALARMS:
        out.append(DISCHARGE_MOS_ALARMS[discharge])
    return out


def balancer_alarms(state: int) -> list[str]:
    return [BALANCER_FAULT] if state == 3 else []
