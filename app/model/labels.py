"""English labels and help texts for canonical names, marked for translation.

The model stays free of Qt: ``QT_TRANSLATE_NOOP`` below is a local no-op that
``pyside6-lupdate`` recognises by name, so every text here lands in the .ts
files under the context "Vocabulary".  The UI translates with
``QCoreApplication.translate("Vocabulary", text)``; the CLI prints English.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (Qt's name)
    return text


CONTEXT = "Vocabulary"

LABELS: dict[str, str] = {
    # live data
    "pack_voltage_v": QT_TRANSLATE_NOOP("Vocabulary", "Pack voltage"),
    "current_a": QT_TRANSLATE_NOOP("Vocabulary", "Current"),
    "power_w": QT_TRANSLATE_NOOP("Vocabulary", "Power"),
    "soc_pct": QT_TRANSLATE_NOOP("Vocabulary", "State of charge"),
    "soh_pct": QT_TRANSLATE_NOOP("Vocabulary", "State of health"),
    "capacity_remaining_ah": QT_TRANSLATE_NOOP("Vocabulary", "Remaining capacity"),
    "capacity_full_ah": QT_TRANSLATE_NOOP("Vocabulary", "Full-charge capacity"),
    "cycle_capacity_ah": QT_TRANSLATE_NOOP("Vocabulary", "Cycle capacity"),
    "cycles": QT_TRANSLATE_NOOP("Vocabulary", "Cycles"),
    "cell_delta_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell delta"),
    "cell_avg_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell average"),
    "cell_min_v": QT_TRANSLATE_NOOP("Vocabulary", "Lowest cell"),
    "cell_max_v": QT_TRANSLATE_NOOP("Vocabulary", "Highest cell"),
    "mos_temperature_c": QT_TRANSLATE_NOOP("Vocabulary", "MOSFET temperature"),
    "balance_current_a": QT_TRANSLATE_NOOP("Vocabulary", "Balance current"),
    "runtime_s": QT_TRANSLATE_NOOP("Vocabulary", "Uptime"),
    "charge_mos_on": QT_TRANSLATE_NOOP("Vocabulary", "Charge MOSFET"),
    "discharge_mos_on": QT_TRANSLATE_NOOP("Vocabulary", "Discharge MOSFET"),
    "precharge_mos_on": QT_TRANSLATE_NOOP("Vocabulary", "Precharge MOSFET"),
    "heating_on": QT_TRANSLATE_NOOP("Vocabulary", "Heater"),
    "balancing_active": QT_TRANSLATE_NOOP("Vocabulary", "Balancing"),
    # device info
    "model": QT_TRANSLATE_NOOP("Vocabulary", "Model"),
    "hardware_version": QT_TRANSLATE_NOOP("Vocabulary", "Hardware version"),
    "software_version": QT_TRANSLATE_NOOP("Vocabulary", "Software version"),
    "serial_number": QT_TRANSLATE_NOOP("Vocabulary", "Serial number"),
    "device_name": QT_TRANSLATE_NOOP("Vocabulary", "Device name"),
    "manufacturer": QT_TRANSLATE_NOOP("Vocabulary", "Manufacturer"),
    "manufacture_date": QT_TRANSLATE_NOOP("Vocabulary", "Manufacture date"),
    "protocol": QT_TRANSLATE_NOOP("Vocabulary", "Protocol"),
    "power_on_count": QT_TRANSLATE_NOOP("Vocabulary", "Power-on count"),
    # settings
    "cell_count": QT_TRANSLATE_NOOP("Vocabulary", "Cell count"),
    "capacity_nominal_ah": QT_TRANSLATE_NOOP("Vocabulary", "Battery capacity"),
    "cell_ovp_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell over-voltage protection"),
    "cell_ovp_recovery_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell over-voltage recovery"),
    "cell_uvp_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell under-voltage protection"),
    "cell_uvp_recovery_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell under-voltage recovery"),
    "pack_ovp_v": QT_TRANSLATE_NOOP("Vocabulary", "Pack over-voltage protection"),
    "pack_ovp_recovery_v": QT_TRANSLATE_NOOP("Vocabulary", "Pack over-voltage recovery"),
    "pack_uvp_v": QT_TRANSLATE_NOOP("Vocabulary", "Pack under-voltage protection"),
    "pack_uvp_recovery_v": QT_TRANSLATE_NOOP("Vocabulary", "Pack under-voltage recovery"),
    "power_off_v": QT_TRANSLATE_NOOP("Vocabulary", "Auto shutdown voltage"),
    "soc_full_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell voltage at 100 % SOC"),
    "soc_empty_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell voltage at 0 % SOC"),
    "charge_ocp_a": QT_TRANSLATE_NOOP("Vocabulary", "Max charge current"),
    "charge_ocp_delay_s": QT_TRANSLATE_NOOP("Vocabulary", "Charge over-current delay"),
    "charge_ocp_recovery_s": QT_TRANSLATE_NOOP("Vocabulary", "Charge over-current release"),
    "discharge_ocp_a": QT_TRANSLATE_NOOP("Vocabulary", "Max discharge current"),
    "discharge_ocp_delay_s": QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-current delay"),
    "discharge_ocp_recovery_s": QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-current release"),
    "short_circuit_delay_us": QT_TRANSLATE_NOOP("Vocabulary", "Short-circuit delay"),
    "short_circuit_recovery_s": QT_TRANSLATE_NOOP("Vocabulary", "Short-circuit release"),
    "balance_trigger_delta_v": QT_TRANSLATE_NOOP("Vocabulary", "Balance trigger delta"),
    "balance_start_v": QT_TRANSLATE_NOOP("Vocabulary", "Balance start voltage"),
    "balance_max_current_a": QT_TRANSLATE_NOOP("Vocabulary", "Max balance current"),
    "charge_otp_c": QT_TRANSLATE_NOOP("Vocabulary", "Charge over-temperature"),
    "charge_otp_recovery_c": QT_TRANSLATE_NOOP("Vocabulary", "Charge over-temperature recovery"),
    "charge_utp_c": QT_TRANSLATE_NOOP("Vocabulary", "Charge under-temperature"),
    "charge_utp_recovery_c": QT_TRANSLATE_NOOP("Vocabulary", "Charge under-temperature recovery"),
    "discharge_otp_c": QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-temperature"),
    "discharge_otp_recovery_c": QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-temperature recovery"),
    "discharge_utp_c": QT_TRANSLATE_NOOP("Vocabulary", "Discharge under-temperature"),
    "discharge_utp_recovery_c": QT_TRANSLATE_NOOP("Vocabulary", "Discharge under-temperature recovery"),
    "mos_otp_c": QT_TRANSLATE_NOOP("Vocabulary", "MOSFET over-temperature"),
    "mos_otp_recovery_c": QT_TRANSLATE_NOOP("Vocabulary", "MOSFET over-temperature recovery"),
    "charge_switch": QT_TRANSLATE_NOOP("Vocabulary", "Charging enabled"),
    "discharge_switch": QT_TRANSLATE_NOOP("Vocabulary", "Discharging enabled"),
    "balance_switch": QT_TRANSLATE_NOOP("Vocabulary", "Balancing enabled"),
    "heating_switch": QT_TRANSLATE_NOOP("Vocabulary", "Heating enabled"),
}

ALARM_LABELS: dict[str, str] = {
    "cell_overvoltage": QT_TRANSLATE_NOOP("Vocabulary", "Cell over-voltage"),
    "cell_undervoltage": QT_TRANSLATE_NOOP("Vocabulary", "Cell under-voltage"),
    "pack_overvoltage": QT_TRANSLATE_NOOP("Vocabulary", "Pack over-voltage"),
    "pack_undervoltage": QT_TRANSLATE_NOOP("Vocabulary", "Pack under-voltage"),
    "charge_overcurrent": QT_TRANSLATE_NOOP("Vocabulary", "Charge over-current"),
    "discharge_overcurrent": QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-current"),
    "short_circuit": QT_TRANSLATE_NOOP("Vocabulary", "Short circuit"),
    "charge_overtemperature": QT_TRANSLATE_NOOP("Vocabulary", "Charge over-temperature"),
    "charge_undertemperature": QT_TRANSLATE_NOOP("Vocabulary", "Charge under-temperature"),
    "discharge_overtemperature": QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-temperature"),
    "discharge_undertemperature": QT_TRANSLATE_NOOP("Vocabulary", "Discharge under-temperature"),
    "mos_overtemperature": QT_TRANSLATE_NOOP("Vocabulary", "MOSFET over-temperature"),
    "cell_delta_high": QT_TRANSLATE_NOOP("Vocabulary", "Cell difference too high"),
    "wire_resistance_high": QT_TRANSLATE_NOOP("Vocabulary", "Balance-lead resistance too high"),
    "cell_count_mismatch": QT_TRANSLATE_NOOP("Vocabulary", "Cell count differs from the setting"),
    "temperature_sensor_fault": QT_TRANSLATE_NOOP("Vocabulary", "Temperature sensor fault"),
    "balancer_fault": QT_TRANSLATE_NOOP("Vocabulary", "Balancer fault"),
    "afe_fault": QT_TRANSLATE_NOOP("Vocabulary", "Measurement chip fault"),
    "communication_fault": QT_TRANSLATE_NOOP("Vocabulary", "Internal communication fault"),
    "low_soc": QT_TRANSLATE_NOOP("Vocabulary", "Low state of charge"),
    "default_password": QT_TRANSLATE_NOOP("Vocabulary", "Default password still set"),
}

HELP: dict[str, str] = {
    # Paraphrased from the JK manual (seeds/004_…, §5.3.3) in our own words.
    "cell_count": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "Number of series cells in the pack. Set it exactly before use: a wrong count stops the BMS from working properly.",
    ),
    "capacity_nominal_ah": QT_TRANSLATE_NOOP("Vocabulary", "Design capacity of the pack."),
    "balance_trigger_delta_v": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "Balancing runs while the largest cell difference is above this value and the cell is above the balance start voltage. The manual suggests 0.005 V from 50 Ah, 0.010 V below.",
    ),
    "cell_uvp_v": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "When any cell falls below this voltage the BMS switches discharging off; it switches back on once every cell is above the recovery voltage.",
    ),
    "cell_uvp_recovery_v": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "Every cell must rise above this voltage before discharging is switched back on after an under-voltage cut-off.",
    ),
    "cell_ovp_v": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "When any cell rises above this voltage the BMS switches charging off; it switches back on once every cell is below the recovery voltage.",
    ),
    "cell_ovp_recovery_v": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "Every cell must fall below this voltage before charging is switched back on after an over-voltage cut-off.",
    ),
    "power_off_v": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The BMS shuts itself down when the lowest cell reaches this voltage. It must be lower than the cell under-voltage protection.",
    ),
    "charge_ocp_a": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "Charging above this current for longer than the delay switches charging off until the release time has passed.",
    ),
    "discharge_ocp_a": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "Discharging above this current for longer than the delay switches discharging off until the release time has passed.",
    ),
    "short_circuit_recovery_s": QT_TRANSLATE_NOOP(
        "Vocabulary", "Time after a short-circuit cut-off before the BMS switches on again."
    ),
    "balance_start_v": QT_TRANSLATE_NOOP("Vocabulary", "Balancing only runs on cells above this voltage."),
    "balance_max_current_a": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "Largest current the balancer moves between cells. Keep it at or below 0.1 C (20 Ah: 2 A).",
    ),
    "charge_otp_c": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "Charging stops above this battery temperature and resumes below the recovery temperature.",
    ),
    "charge_utp_c": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "Charging stops below this battery temperature and resumes above the recovery temperature. Charging lithium cells below 0 °C damages them.",
    ),
    "mos_otp_c": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "Charging and discharging stop when the power stage is hotter than this and resume below the recovery temperature.",
    ),
    "charge_switch": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "Off: the pack cannot be charged. On a common-port pack regenerative braking then has nowhere to go.",
    ),
    "discharge_switch": QT_TRANSLATE_NOOP("Vocabulary", "Off: the pack delivers no power."),
    "soc_full_v": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The cell voltage the board counts as 100 % state of charge. Keep it between the over-voltage recovery and the over-voltage protection.",
    ),
    "soc_empty_v": QT_TRANSLATE_NOOP(
        "Vocabulary", "The cell voltage the board counts as 0 % state of charge."
    ),
    "charge_ocp_delay_s": QT_TRANSLATE_NOOP(
        "Vocabulary", "How long the charge current may stay above the limit before charging is switched off."
    ),
    "charge_ocp_recovery_s": QT_TRANSLATE_NOOP(
        "Vocabulary", "How long charging stays off after a charge over-current."
    ),
    "discharge_ocp_delay_s": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "How long the discharge current may stay above the limit before discharging is switched off.",
    ),
    "discharge_ocp_recovery_s": QT_TRANSLATE_NOOP(
        "Vocabulary", "How long discharging stays off after a discharge over-current."
    ),
    "charge_otp_recovery_c": QT_TRANSLATE_NOOP(
        "Vocabulary", "Charging resumes when the battery has cooled below this temperature."
    ),
    "discharge_otp_c": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "Discharging stops above this battery temperature and resumes below the recovery temperature.",
    ),
    "discharge_otp_recovery_c": QT_TRANSLATE_NOOP(
        "Vocabulary", "Discharging resumes when the battery has cooled below this temperature."
    ),
    "charge_utp_recovery_c": QT_TRANSLATE_NOOP(
        "Vocabulary", "Charging resumes when the battery has warmed above this temperature."
    ),
    "mos_otp_recovery_c": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "Charging and discharging resume when the power stage has cooled below this temperature.",
    ),
    "short_circuit_delay_us": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "How long a short circuit may last before the board cuts the output. Shorter protects the MOSFETs better; too short trips on motor inrush.",
    ),
    "balance_switch": QT_TRANSLATE_NOOP(
        "Vocabulary", "Off: the balancer stays idle and cells drift apart over the cycles."
    ),
    "heating_switch": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "On: the heater warms the pack in the cold before charging (boards with a heater output).",
    ),
    "discharge_utp_c": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "Discharging stops below this battery temperature and resumes above the recovery temperature.",
    ),
    "discharge_utp_recovery_c": QT_TRANSLATE_NOOP(
        "Vocabulary", "Discharging resumes when the battery has warmed above this temperature."
    ),
    "pack_ovp_v": QT_TRANSLATE_NOOP(
        "Vocabulary", "When the pack voltage rises above this the BMS switches charging off."
    ),
    "pack_ovp_recovery_v": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The pack voltage must fall below this before charging is switched back on after a "
        "pack over-voltage.",
    ),
    "pack_uvp_v": QT_TRANSLATE_NOOP(
        "Vocabulary", "When the pack voltage falls below this the BMS switches discharging off."
    ),
    "pack_uvp_recovery_v": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The pack voltage must rise above this before discharging is switched back on after a "
        "pack under-voltage.",
    ),
}


def label(key: str) -> str:
    """English label of a canonical name (the raw key when none is known)."""
    return LABELS.get(key, key)
