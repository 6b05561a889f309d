"""Help texts of JBD keys whose schema rows carry none, marked for translation.

What the sources say of each register (../shared/protocols/jbd_daly.md §3.2, §3.4),
no more.  Found through the JBD ``FAMILY`` descriptor (its ``help``), beside the
texts the schema rows carry; ``QT_TRANSLATE_NOOP`` is a local no-op that
``pyside6-lupdate`` recognises by name (context "Vocabulary").
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (Qt's name)
    return text


SOC_POINT = QT_TRANSLATE_NOOP(
    "Vocabulary",
    "A point of the board's voltage-to-charge curve: the cell voltage it counts as "
    "this state of charge, for its state-of-charge estimate.",
)

HELP: dict[str, str] = {
    "jbd_manufacture_date": QT_TRANSLATE_NOOP(
        "Vocabulary", "The date the board was made, as its EEPROM keeps it."
    ),
    "jbd_serial_number": QT_TRANSLATE_NOOP(
        "Vocabulary", "The serial number the board's EEPROM keeps (0 to 65535)."
    ),
    "jbd_cycle_count": QT_TRANSLATE_NOOP("Vocabulary", "The charge cycles the board has counted."),
    "jbd_function_bits": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The board's function switches as one number (bit 0 switch input, 1 load detection, 2 "
        "balancing, 3 balancing only while charging, 4 LEDs, 5 LED capacity display). The switches below "
        "change single bits of it.",
    ),
    "jbd_balance_only_charging": QT_TRANSLATE_NOOP(
        "Vocabulary", "On: the balancer works only while the pack is charging."
    ),
    "jbd_switch_input": QT_TRANSLATE_NOOP(
        "Vocabulary", "On: the board follows its switch input (a key or switch wired to the board)."
    ),
    "jbd_load_detection": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "On: after a short circuit the board checks that the load is gone before it switches "
        "the output on again.",
    ),
    "jbd_led_enable": QT_TRANSLATE_NOOP("Vocabulary", "On: the board's LEDs are used."),
    "jbd_led_capacity": QT_TRANSLATE_NOOP("Vocabulary", "On: the LEDs show the state of charge."),
    "jbd_fet_control_time_s": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The board's switch control time. The sources name it without saying what it does: "
        "leave it as the board has it.",
    ),
    "jbd_led_timer_s": QT_TRANSLATE_NOOP("Vocabulary", "How long the LEDs stay on."),
    "jbd_cell_ovp2_v": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The second cell over-voltage limit, which the measurement chip checks by itself. It "
        "normally lies above the cell over-voltage protection.",
    ),
    "jbd_cell_uvp2_v": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The second cell under-voltage limit, which the measurement chip checks by itself. It "
        "normally lies below the cell under-voltage protection.",
    ),
    "jbd_hw_protection_raw": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The register of the hardware short-circuit and over-current settings as one number "
        "(read only: change the single values).",
    ),
    "jbd_hw_thresholds_doubled": QT_TRANSLATE_NOOP(
        "Vocabulary", "On: the hardware short-circuit and over-current thresholds count double."
    ),
    "jbd_short_circuit_threshold_mv": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The voltage across the current shunt at which the measurement chip cuts a short "
        "circuit, one of its fixed steps (TI front end). The current it stands for depends on the shunt.",
    ),
    "jbd_oc2_delay_ms": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "How long a hardware over-current may last before the measurement chip cuts the "
        "output, one of its fixed steps (TI front end).",
    ),
    "jbd_oc2_threshold_mv": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The voltage across the current shunt at which the measurement chip's own "
        "over-current protection cuts the output, one of its fixed steps (TI front end).",
    ),
    "jbd_hw_delays_raw": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The register of the hardware voltage delays and the short-circuit release time as "
        "one number (read only: change the single values).",
    ),
    "jbd_cell_ovp2_delay_s": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "How long a cell may stay above the second over-voltage limit before the measurement "
        "chip acts: 1, 2, 4 or 8 s. Sources disagree on the bit order of this register.",
    ),
    "jbd_charge_utp_delay_s": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "How long the battery may stay below the charge under-temperature limit before "
        "charging is switched off.",
    ),
    "jbd_charge_otp_delay_s": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "How long the battery may stay above the charge over-temperature limit before "
        "charging is switched off.",
    ),
    "jbd_discharge_utp_delay_s": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "How long the battery may stay below the discharge under-temperature limit before "
        "discharging is switched off.",
    ),
    "jbd_discharge_otp_delay_s": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "How long the battery may stay above the discharge over-temperature limit before "
        "discharging is switched off.",
    ),
    "jbd_pack_uvp_delay_s": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "How long the pack voltage may stay below the pack under-voltage protection before "
        "discharging is switched off.",
    ),
    "jbd_pack_ovp_delay_s": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "How long the pack voltage may stay above the pack over-voltage protection before "
        "charging is switched off.",
    ),
    "jbd_cell_uvp_delay_s": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "How long a cell may stay below the cell under-voltage protection before discharging "
        "is switched off.",
    ),
    "jbd_cell_ovp_delay_s": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "How long a cell may stay above the cell over-voltage protection before charging is switched off.",
    ),
    "jbd_gps_cutoff_v": QT_TRANSLATE_NOOP(
        "Vocabulary", "The cut-off voltage of a GPS board connected to the BMS."
    ),
    "jbd_gps_time_s": QT_TRANSLATE_NOOP(
        "Vocabulary", "The cut-off time of a GPS board connected to the BMS."
    ),
    "jbd_manufacturer": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The manufacturer name the board keeps: English letters, digits, dashes, underscores, "
        "dots and spaces, at most 31.",
    ),
    "jbd_barcode": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The barcode text the board keeps: English letters, digits, dashes, underscores, dots "
        "and spaces, at most 31.",
    ),
}
HELP.update({f"jbd_soc_{pct}_v": SOC_POINT for pct in (10, 20, 30, 40, 50, 60, 70, 80, 90)})
