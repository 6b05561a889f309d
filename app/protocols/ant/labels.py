"""Labels and help texts of ANT's own keys (``ant_*``), marked for translation.

The shared vocabulary's labels live in ``app/model/labels.py``; these are the ANT
family's, found through its ``FAMILY`` descriptor and put on the schema rows
(schema.py), so a row never states its label twice.  ``QT_TRANSLATE_NOOP`` is a
local no-op that ``pyside6-lupdate`` recognises by name: every text lands in the .ts
files under the context "Vocabulary".

Meanings: ../shared/protocols/ant_xiaomi.md §1.4 (legacy parameter addresses) and
§2.7 (the 2021 settings memory).  Where the two protocols keep the same quantity
(the cell over-voltage warning, the balance limit) one key and one text serve both.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (Qt's name)
    return text


_NO_SOURCE = QT_TRANSLATE_NOOP(
    "Vocabulary", "The values this field takes are documented nowhere; shown as read, not written."
)
_CALIBRATION = QT_TRANSLATE_NOOP("Vocabulary", "Board calibration: leave it as the factory set it.")
_COUNTER = QT_TRANSLATE_NOOP("Vocabulary", "A counter the board keeps; not a setting.")
_WARNING = QT_TRANSLATE_NOOP(
    "Vocabulary",
    "A warning only: the board reports it (older boards sound the buzzer) and keeps the MOSFETs on.",
)
_WARNING_RECOVERY = QT_TRANSLATE_NOOP(
    "Vocabulary", "The warning clears when the value is back on this side of it."
)
_LEVEL2 = QT_TRANSLATE_NOOP(
    "Vocabulary",
    "A second limit beyond the first, for a fault that goes on after the first protection tripped.",
)
_LEVEL2_RECOVERY = QT_TRANSLATE_NOOP(
    "Vocabulary", "The level-2 protection releases when the value is back on this side of it."
)

#: the help of the 2021 nominal capacity (a shared key whose register unit is in doubt, §2.7)
CAPACITY_SCALE_NOTE = QT_TRANSLATE_NOOP(
    "Vocabulary",
    "Sources disagree on this register's unit (esphome: 1 Ah, the vendor app: "
    "1e-6 Ah); Packbench reads it in 1e-6 Ah like the live frame's capacities.",
)

LABELS: dict[str, str] = {
    "ant_cell_ovp2_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell over-voltage protection, level 2"),
    "ant_cell_ovp2_recovery_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell over-voltage level 2 recovery"),
    "ant_cell_uvp2_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell under-voltage protection, level 2"),
    "ant_cell_uvp2_recovery_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell under-voltage level 2 recovery"),
    "ant_cell_delta_protection_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell difference protection"),
    "ant_cell_delta_recovery_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell difference recovery"),
    "ant_cell_ov_alarm_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell over-voltage warning"),
    "ant_cell_ov_alarm_recovery_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell over-voltage warning recovery"),
    "ant_pack_ov_alarm_v": QT_TRANSLATE_NOOP("Vocabulary", "Pack over-voltage warning"),
    "ant_pack_ov_alarm_recovery_v": QT_TRANSLATE_NOOP("Vocabulary", "Pack over-voltage warning recovery"),
    "ant_cell_uv_alarm_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell under-voltage warning"),
    "ant_cell_uv_alarm_recovery_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell under-voltage warning recovery"),
    "ant_pack_uv_alarm_v": QT_TRANSLATE_NOOP("Vocabulary", "Pack under-voltage warning"),
    "ant_pack_uv_alarm_recovery_v": QT_TRANSLATE_NOOP("Vocabulary", "Pack under-voltage warning recovery"),
    "ant_cell_delta_alarm_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell difference warning"),
    "ant_cell_delta_alarm_recovery_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell difference warning recovery"),
    "ant_discharge_ocp2_a": QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-current, level 2"),
    "ant_discharge_ocp2_delay_ms": QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-current level 2 delay"),
    "ant_short_circuit_a": QT_TRANSLATE_NOOP("Vocabulary", "Short-circuit current"),
    "ant_charge_oc_alarm_a": QT_TRANSLATE_NOOP("Vocabulary", "Charge over-current warning"),
    "ant_charge_oc_alarm_recovery_a": QT_TRANSLATE_NOOP("Vocabulary", "Charge over-current warning recovery"),
    "ant_discharge_oc_alarm_a": QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-current warning"),
    "ant_discharge_oc_alarm_recovery_a": QT_TRANSLATE_NOOP(
        "Vocabulary", "Discharge over-current warning recovery"
    ),
    "ant_soc_low1_alarm_pct": QT_TRANSLATE_NOOP("Vocabulary", "Low state-of-charge warning, level 1"),
    "ant_soc_low2_alarm_pct": QT_TRANSLATE_NOOP("Vocabulary", "Low state-of-charge warning, level 2"),
    "ant_balance_limit_v": QT_TRANSLATE_NOOP("Vocabulary", "Balance limit voltage"),
    "ant_balance_stop_delta_v": QT_TRANSLATE_NOOP("Vocabulary", "Balance stop difference"),
    "ant_balance_charge_current_a": QT_TRANSLATE_NOOP("Vocabulary", "Balance while charging above"),
    "ant_cell_type": QT_TRANSLATE_NOOP("Vocabulary", "Cell type (raw)"),
    "ant_uv_resistance_compensation_ohm": QT_TRANSLATE_NOOP(
        "Vocabulary", "Under-voltage resistance compensation"
    ),
    "ant_charge_request_a": QT_TRANSLATE_NOOP("Vocabulary", "Charge current asked of the charger"),
    "ant_capacity_remaining_ah": QT_TRANSLATE_NOOP("Vocabulary", "Remaining capacity (stored)"),
    "ant_cycle_capacity_ah": QT_TRANSLATE_NOOP("Vocabulary", "Cycle capacity (stored)"),
    "ant_soc_method": QT_TRANSLATE_NOOP("Vocabulary", "SOC method (raw)"),
    "ant_tyre_length_mm": QT_TRANSLATE_NOOP("Vocabulary", "Tyre length"),
    "ant_pulses_per_revolution": QT_TRANSLATE_NOOP("Vocabulary", "Pulses per wheel revolution"),
    "ant_secondary_module": QT_TRANSLATE_NOOP("Vocabulary", "Secondary module number"),
    "ant_buzzer_switch": QT_TRANSLATE_NOOP("Vocabulary", "Buzzer"),
    "ant_reference_voltage_v": QT_TRANSLATE_NOOP("Vocabulary", "System reference voltage"),
    "ant_current_sensor_range_a": QT_TRANSLATE_NOOP("Vocabulary", "Current-sensor range"),
    "ant_power_start_current_a": QT_TRANSLATE_NOOP("Vocabulary", "Power-on current"),
    "ant_standby_time_s": QT_TRANSLATE_NOOP("Vocabulary", "Standby after no current"),
    "ant_voltage_calibration": QT_TRANSLATE_NOOP("Vocabulary", "Pack-voltage calibration (raw)"),
}

HELP: dict[str, str] = {
    "ant_cell_ovp2_v": _LEVEL2,
    "ant_cell_ovp2_recovery_v": _LEVEL2_RECOVERY,
    "ant_cell_uvp2_v": _LEVEL2,
    "ant_cell_uvp2_recovery_v": _LEVEL2_RECOVERY,
    "ant_cell_delta_protection_v": QT_TRANSLATE_NOOP(
        "Vocabulary", "The board protects when the highest and lowest cell differ by more."
    ),
    "ant_cell_delta_recovery_v": QT_TRANSLATE_NOOP(
        "Vocabulary", "The difference protection releases when the cells differ by less."
    ),
    "ant_cell_ov_alarm_v": _WARNING,
    "ant_cell_ov_alarm_recovery_v": _WARNING_RECOVERY,
    "ant_pack_ov_alarm_v": _WARNING,
    "ant_pack_ov_alarm_recovery_v": _WARNING_RECOVERY,
    "ant_cell_uv_alarm_v": _WARNING,
    "ant_cell_uv_alarm_recovery_v": _WARNING_RECOVERY,
    "ant_pack_uv_alarm_v": _WARNING,
    "ant_pack_uv_alarm_recovery_v": _WARNING_RECOVERY,
    "ant_cell_delta_alarm_v": _WARNING,
    "ant_cell_delta_alarm_recovery_v": _WARNING_RECOVERY,
    "ant_discharge_ocp2_a": _LEVEL2,
    "ant_discharge_ocp2_delay_ms": QT_TRANSLATE_NOOP(
        "Vocabulary", "How long the level-2 over-current may last before the board cuts discharging."
    ),
    "ant_short_circuit_a": QT_TRANSLATE_NOOP(
        "Vocabulary", "A current this large counts as a short circuit: the board cuts off at once."
    ),
    "ant_charge_oc_alarm_a": _WARNING,
    "ant_charge_oc_alarm_recovery_a": _WARNING_RECOVERY,
    "ant_discharge_oc_alarm_a": _WARNING,
    "ant_discharge_oc_alarm_recovery_a": _WARNING_RECOVERY,
    "ant_soc_low1_alarm_pct": _WARNING,
    "ant_soc_low2_alarm_pct": _WARNING,
    "ant_balance_limit_v": QT_TRANSLATE_NOOP(
        "Vocabulary", "The balancer does not take cells above this voltage any higher."
    ),
    "ant_balance_stop_delta_v": QT_TRANSLATE_NOOP(
        "Vocabulary", "The balancer stops when the cells differ by less."
    ),
    "ant_balance_charge_current_a": QT_TRANSLATE_NOOP(
        "Vocabulary", "Balancing while charging starts above this charge current."
    ),
    "ant_cell_type": _NO_SOURCE,
    "ant_uv_resistance_compensation_ohm": QT_TRANSLATE_NOOP(
        "Vocabulary", "The lead resistance the board allows for when it checks under-voltage."
    ),
    "ant_charge_request_a": QT_TRANSLATE_NOOP(
        "Vocabulary", "The charge current the board asks a charger or inverter for."
    ),
    "ant_capacity_remaining_ah": QT_TRANSLATE_NOOP(
        "Vocabulary", "Set it with the remaining-capacity command, which moves the state of charge."
    ),
    "ant_cycle_capacity_ah": _COUNTER,
    "ant_soc_method": _NO_SOURCE,
    "ant_tyre_length_mm": QT_TRANSLATE_NOOP(
        "Vocabulary", "For the speed and distance an e-bike display shows."
    ),
    "ant_pulses_per_revolution": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "How many pulses the wheel sensor gives per turn, for the speed an e-bike display shows.",
    ),
    "ant_secondary_module": _NO_SOURCE,
    "ant_buzzer_switch": QT_TRANSLATE_NOOP("Vocabulary", "The board's buzzer sounds on alarms."),
    "ant_reference_voltage_v": _CALIBRATION,
    "ant_current_sensor_range_a": _CALIBRATION,
    "ant_power_start_current_a": QT_TRANSLATE_NOOP("Vocabulary", "A current this large wakes the board."),
    "ant_standby_time_s": QT_TRANSLATE_NOOP(
        "Vocabulary", "The board goes to standby after this long without current."
    ),
    "ant_voltage_calibration": _CALIBRATION,
}
