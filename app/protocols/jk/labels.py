"""Labels and help texts of JK's own keys (``jk_*``), marked for translation.

The shared vocabulary's labels live in ``app/model/labels.py``; these are the
JK family's, found through its ``FAMILY`` descriptor.  ``QT_TRANSLATE_NOOP`` is
a local no-op that ``pyside6-lupdate`` recognises by name, so every text lands
in the .ts files under the context "Vocabulary", as before.
"""

from __future__ import annotations

from ...model.labels import HELP as SHARED_HELP
from ...model.labels import LABELS as SHARED_LABELS


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (Qt's name)
    return text


LABELS: dict[str, str] = {
    # JK-only settings
    "jk_smart_sleep_v": QT_TRANSLATE_NOOP("Vocabulary", "Smart sleep voltage"),
    "jk_rcv_v": QT_TRANSLATE_NOOP("Vocabulary", "Requested charge voltage (RCV)"),
    "jk_rfv_v": QT_TRANSLATE_NOOP("Vocabulary", "Requested float voltage (RFV)"),
    "jk_precharge_time_s": QT_TRANSLATE_NOOP("Vocabulary", "Discharge precharge time"),
    "jk_heating_start_c": QT_TRANSLATE_NOOP("Vocabulary", "Heating start temperature"),
    "jk_heating_stop_c": QT_TRANSLATE_NOOP("Vocabulary", "Heating stop temperature"),
    "jk_smart_sleep_h": QT_TRANSLATE_NOOP("Vocabulary", "Smart sleep time"),
    "jk_voltage_reference_v": QT_TRANSLATE_NOOP("Vocabulary", "Voltage calibration reference"),
    # JK02_32S settings kept in the device-info frame (jk.md §3, §5.1)
    "jk_uart1_protocol": QT_TRANSLATE_NOOP("Vocabulary", "UART1 protocol number"),
    "jk_uart2_protocol": QT_TRANSLATE_NOOP("Vocabulary", "UART2 protocol number"),
    "jk_uart3_protocol": QT_TRANSLATE_NOOP("Vocabulary", "UART3 protocol number"),
    "jk_can_protocol": QT_TRANSLATE_NOOP("Vocabulary", "CAN protocol number"),
    "jk_lcd_buzzer_trigger": QT_TRANSLATE_NOOP("Vocabulary", "Display buzzer trigger"),
    "jk_dry1_trigger": QT_TRANSLATE_NOOP("Vocabulary", "Dry contact 1 trigger"),
    "jk_dry2_trigger": QT_TRANSLATE_NOOP("Vocabulary", "Dry contact 2 trigger"),
    "jk_rcv_time_h": QT_TRANSLATE_NOOP("Vocabulary", "Requested charge voltage (RCV) time"),
    "jk_rfv_time_h": QT_TRANSLATE_NOOP("Vocabulary", "Requested float voltage (RFV) time"),
    "jk_emergency_duration_min": QT_TRANSLATE_NOOP("Vocabulary", "Emergency mode duration"),
    "jk_rebulk_soc_pct": QT_TRANSLATE_NOOP("Vocabulary", "Re-bulk state of charge"),
    # JK 4E57 serial protocol (jk.md §7.3)
    "jk_cell_ovp_delay_s": QT_TRANSLATE_NOOP("Vocabulary", "Cell over-voltage delay"),
    "jk_cell_uvp_delay_s": QT_TRANSLATE_NOOP("Vocabulary", "Cell under-voltage delay"),
    "jk_cell_delta_protection_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell difference protection"),
    "jk_box_otp_c": QT_TRANSLATE_NOOP("Vocabulary", "Battery box over-temperature"),
    "jk_box_otp_recovery_c": QT_TRANSLATE_NOOP("Vocabulary", "Battery box over-temperature recovery"),
    "jk_temperature_delta_protection_c": QT_TRANSLATE_NOOP(
        "Vocabulary", "Battery temperature difference protection"
    ),
    "jk_current_calibration_a": QT_TRANSLATE_NOOP("Vocabulary", "Current calibration"),
    "jk_device_address": QT_TRANSLATE_NOOP("Vocabulary", "Board address"),
    "jk_battery_type": QT_TRANSLATE_NOOP("Vocabulary", "Battery type (0 LFP, 1 Li-ion, 2 LTO)"),
    "jk_sleep_wait_s": QT_TRANSLATE_NOOP("Vocabulary", "Sleep wait time"),
    "jk_low_soc_alarm_pct": QT_TRANSLATE_NOOP("Vocabulary", "Low SOC alarm"),
    "jk_dedicated_charger_switch": QT_TRANSLATE_NOOP("Vocabulary", "Dedicated charger"),
    "jk_actual_capacity_ah": QT_TRANSLATE_NOOP("Vocabulary", "Actual capacity"),
    "jk_disable_temperature_sensors": QT_TRANSLATE_NOOP("Vocabulary", "Temperature sensors disabled"),
    "jk_gps_heartbeat": QT_TRANSLATE_NOOP("Vocabulary", "GPS heartbeat"),
    "jk_port_rs485": QT_TRANSLATE_NOOP("Vocabulary", "Shared port is RS485 (off: CAN)"),
    "jk_lcd_always_on": QT_TRANSLATE_NOOP("Vocabulary", "Display always on"),
    "jk_special_charger": QT_TRANSLATE_NOOP("Vocabulary", "Special charger"),
    "jk_smart_sleep": QT_TRANSLATE_NOOP("Vocabulary", "Smart sleep"),
    "jk_disable_pcl_module": QT_TRANSLATE_NOOP("Vocabulary", "Parallel (PCL) module disabled"),
    "jk_timed_stored_data": QT_TRANSLATE_NOOP("Vocabulary", "Timed data storage"),
    "jk_charging_float_mode": QT_TRANSLATE_NOOP("Vocabulary", "Charging float mode"),
    "jk_button_emergency": QT_TRANSLATE_NOOP("Vocabulary", "Button triggers emergency mode"),
    "jk_dry_arm_intermittent": QT_TRANSLATE_NOOP("Vocabulary", "Dry contact alarm intermittent"),
    "jk_discharge_ocp_2": QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-current stage 2"),
    "jk_discharge_ocp_3": QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-current stage 3"),
    "jk_gps_locked_charging": QT_TRANSLATE_NOOP("Vocabulary", "GPS lock blocks charging"),
    "jk_gps_locked_discharging": QT_TRANSLATE_NOOP("Vocabulary", "GPS lock blocks discharging"),
}

HELP: dict[str, str] = {
    # Paraphrased from the JK manual (seeds/004_…, §5.3.3) in our own words.
    "jk_smart_sleep_v": QT_TRANSLATE_NOOP(
        "Vocabulary", "Below this cell voltage the board may go to sleep to save the pack (JK-PB boards)."
    ),
    "jk_rcv_v": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "Per-cell charge voltage the board asks an inverter for. Must stay below the cell over-voltage protection.",
    ),
    "jk_rfv_v": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "Per-cell float voltage the board asks an inverter for once the pack is full. Must stay below the cell over-voltage protection.",
    ),
    "jk_precharge_time_s": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "How long the board precharges the output capacitors of a controller or inverter before switching discharging fully on.",
    ),
    "jk_heating_start_c": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The heater switches on below this temperature. On boards without a heater these values may be battery alarm temperatures instead.",
    ),
    "jk_heating_stop_c": QT_TRANSLATE_NOOP("Vocabulary", "The heater switches off above this temperature."),
    "jk_smart_sleep_h": QT_TRANSLATE_NOOP(
        "Vocabulary", "Hours without current before the board goes to sleep."
    ),
    "jk_voltage_reference_v": QT_TRANSLATE_NOOP(
        "Vocabulary", "The board's measurement reference (JK04). Change it only to calibrate against a meter."
    ),
    "jk_port_rs485": QT_TRANSLATE_NOOP("Vocabulary", "On: the shared port speaks RS485; off: CAN."),
    "jk_uart1_protocol": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "Which protocol the board speaks on this port, as a number from the vendor's list (for example 1: JK BMS RS485 Modbus V1.0). It must match the inverter.",
    ),
    "jk_uart2_protocol": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "Which protocol the board speaks on this port, as a number from the vendor's list. It must match the inverter.",
    ),
    "jk_uart3_protocol": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "Which protocol the board speaks on this port, as a number from the vendor's list. It must match the inverter.",
    ),
    "jk_can_protocol": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "Which CAN protocol the board speaks, as a number from the vendor's list (0: JK BMS CAN Protocol 250K V2.0). It must match the inverter.",
    ),
    "jk_lcd_buzzer_trigger": QT_TRANSLATE_NOOP(
        "Vocabulary", "Which event sounds the display's buzzer, as a number from the vendor's list."
    ),
    "jk_dry1_trigger": QT_TRANSLATE_NOOP(
        "Vocabulary", "Which event closes dry contact 1, as a number from the vendor's list."
    ),
    "jk_dry2_trigger": QT_TRANSLATE_NOOP(
        "Vocabulary", "Which event closes dry contact 2, as a number from the vendor's list."
    ),
    "jk_rcv_time_h": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "How long the board asks the inverter for the charge voltage before it asks for the float voltage.",
    ),
    "jk_rfv_time_h": QT_TRANSLATE_NOOP(
        "Vocabulary", "How long the board asks the inverter for the float voltage."
    ),
    "jk_emergency_duration_min": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "How long emergency mode lasts once started: the protections are overridden for this time.",
    ),
    "jk_rebulk_soc_pct": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "Below this state of charge the board asks the inverter for the charge voltage again instead of the float voltage.",
    ),
    "jk_charging_float_mode": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "On: after the charge voltage is reached the board asks the inverter for the float voltage.",
    ),
    "jk_discharge_ocp_2": QT_TRANSLATE_NOOP(
        "Vocabulary", "Second, shorter over-current stage for high discharge currents."
    ),
    "jk_discharge_ocp_3": QT_TRANSLATE_NOOP(
        "Vocabulary", "Third, shortest over-current stage for very high discharge currents."
    ),
    "jk_disable_temperature_sensors": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "On: the board ignores its temperature probes. Temperature protection then no longer works.",
    ),
    # the 4E57 settings (jk.md §7.3) and the JK02_32S control flags (jk.md §4.2): what the
    # sources say of each, no more
    "jk_cell_ovp_delay_s": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "How long a cell may stay above the cell over-voltage protection before charging is switched off.",
    ),
    "jk_cell_uvp_delay_s": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "How long a cell may stay below the cell under-voltage protection before discharging "
        "is switched off.",
    ),
    "jk_cell_delta_protection_v": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "When the difference between the highest and the lowest cell grows beyond this, the "
        "board's cell-difference protection trips.",
    ),
    "jk_box_otp_c": QT_TRANSLATE_NOOP(
        "Vocabulary", "The battery box over-temperature protection: it trips above this temperature."
    ),
    "jk_box_otp_recovery_c": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The battery box must cool below this before its over-temperature protection is released.",
    ),
    "jk_temperature_delta_protection_c": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The largest temperature difference between the battery probes the board accepts "
        "before its protection trips.",
    ),
    "jk_current_calibration_a": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The board's current calibration value (sent in mA). Change it only to calibrate against a meter.",
    ),
    "jk_device_address": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The board's address on a shared bus: give every board on one bus an address of its own.",
    ),
    "jk_battery_type": QT_TRANSLATE_NOOP(
        "Vocabulary", "The cell chemistry the board is set up for: 0 LiFePO4, 1 Li-ion (ternary), 2 LTO."
    ),
    "jk_sleep_wait_s": QT_TRANSLATE_NOOP("Vocabulary", "How long the board waits before it goes to sleep."),
    "jk_low_soc_alarm_pct": QT_TRANSLATE_NOOP(
        "Vocabulary", "Below this state of charge the board raises its low-SOC alarm."
    ),
    "jk_dedicated_charger_switch": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The board's dedicated-charger switch. Its effect is not described in the sources "
        "Packbench follows: leave it as the board has it.",
    ),
    "jk_actual_capacity_ah": QT_TRANSLATE_NOOP(
        "Vocabulary", "The pack's actual capacity as the board keeps it."
    ),
    "jk_gps_heartbeat": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "A control flag for JK's GPS module (its meaning is inferred from the vendor's bit "
        "pattern). Leave it as the board has it unless you use that module.",
    ),
    "jk_lcd_always_on": QT_TRANSLATE_NOOP(
        "Vocabulary", "On: the board's display stays on instead of going dark after a while."
    ),
    "jk_special_charger": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "A control flag the vendor calls special charger (its meaning is inferred from the "
        "vendor's bit pattern). Leave it as the board has it.",
    ),
    "jk_smart_sleep": QT_TRANSLATE_NOOP(
        "Vocabulary", "On: the board may go to sleep by itself (see the smart sleep voltage and time)."
    ),
    "jk_disable_pcl_module": QT_TRANSLATE_NOOP(
        "Vocabulary", "On: the board ignores a parallel (PCL) module connected to it."
    ),
    "jk_timed_stored_data": QT_TRANSLATE_NOOP(
        "Vocabulary", "On: the board stores its data at fixed intervals."
    ),
    "jk_button_emergency": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "On: the board's button starts emergency mode, which overrides the protections for "
        "the emergency duration.",
    ),
    "jk_dry_arm_intermittent": QT_TRANSLATE_NOOP(
        "Vocabulary", "On: the dry-contact alarm output pulses instead of staying closed."
    ),
    "jk_gps_locked_charging": QT_TRANSLATE_NOOP("Vocabulary", "On: a GPS remote lock also blocks charging."),
    "jk_gps_locked_discharging": QT_TRANSLATE_NOOP(
        "Vocabulary", "On: a GPS remote lock also blocks discharging."
    ),
}


def label(key: str) -> str:
    """A key's English label: JK's own, else the shared vocabulary's (the key when none)."""
    return LABELS.get(key) or SHARED_LABELS.get(key, key)


def help_of(key: str) -> str:
    """A key's English help text: JK's own, else the shared vocabulary's ("" when none)."""
    return HELP.get(key) or SHARED_HELP.get(key, "")
