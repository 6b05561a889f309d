"""Labels and help texts of Daly's own keys (``daly_*``), marked for translation.

The shared vocabulary's labels live in ``app/model/labels.py``; these are the
Daly family's, found through its ``FAMILY`` descriptor.  ``QT_TRANSLATE_NOOP``
is a local no-op that ``pyside6-lupdate`` recognises by name, so every text
lands in the .ts files under the context "Vocabulary".

Level 1 of each Daly limit is the *warning*, level 2 the *protection*
(jbd_daly.md §4.2, §6.4); the protection levels use the shared keys.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (Qt's name)
    return text


WARNING_HELP = QT_TRANSLATE_NOOP(
    "Vocabulary",
    "Level 1: the board only warns (an alarm in the live data); the protection "
    "(level 2) switches the MOSFETs off. Keep it on the safe side of the protection.",
)
PROTECTION_HELP = QT_TRANSLATE_NOOP(
    "Vocabulary", "Level 2: the board switches the MOSFETs off; level 1 warns before it."
)
#: why the A5 settings are read-only (§5: writes are undocumented)
A5_READ_ONLY = QT_TRANSLATE_NOOP(
    "Vocabulary",
    "Read-only: Daly documents no command that writes this on A5 boards "
    "(jbd_daly.md §5); Packbench does not guess one.",
)
TOPOLOGY = QT_TRANSLATE_NOOP(
    "Vocabulary",
    "Read-only: Packbench does not change how the board is wired, and this part of "
    "the block differs between models.",
)

LABELS: dict[str, str] = {
    "daly_cell_reference_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell reference voltage"),
    "daly_acquisition_boards": QT_TRANSLATE_NOOP("Vocabulary", "Acquisition boards"),
    "daly_board1_cells": QT_TRANSLATE_NOOP("Vocabulary", "Cells on board 1"),
    "daly_board2_cells": QT_TRANSLATE_NOOP("Vocabulary", "Cells on board 2"),
    "daly_board3_cells": QT_TRANSLATE_NOOP("Vocabulary", "Cells on board 3"),
    "daly_board1_ntcs": QT_TRANSLATE_NOOP("Vocabulary", "Temperature probes on board 1"),
    "daly_board2_ntcs": QT_TRANSLATE_NOOP("Vocabulary", "Temperature probes on board 2"),
    "daly_board3_ntcs": QT_TRANSLATE_NOOP("Vocabulary", "Temperature probes on board 3"),
    "daly_battery_type": QT_TRANSLATE_NOOP("Vocabulary", "Battery type"),
    "daly_sleep_wait_s": QT_TRANSLATE_NOOP("Vocabulary", "Sleep after"),
    "daly_cell_ovp_warning_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell over-voltage warning"),
    "daly_cell_uvp_warning_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell under-voltage warning"),
    "daly_pack_ovp_warning_v": QT_TRANSLATE_NOOP("Vocabulary", "Pack over-voltage warning"),
    "daly_pack_uvp_warning_v": QT_TRANSLATE_NOOP("Vocabulary", "Pack under-voltage warning"),
    "daly_charge_ocp_warning_a": QT_TRANSLATE_NOOP("Vocabulary", "Charge over-current warning"),
    "daly_discharge_ocp_warning_a": QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-current warning"),
    "daly_charge_otp_warning_c": QT_TRANSLATE_NOOP("Vocabulary", "Charge over-temperature warning"),
    "daly_charge_utp_warning_c": QT_TRANSLATE_NOOP("Vocabulary", "Charge under-temperature warning"),
    "daly_discharge_otp_warning_c": QT_TRANSLATE_NOOP("Vocabulary", "Discharge over-temperature warning"),
    "daly_discharge_utp_warning_c": QT_TRANSLATE_NOOP("Vocabulary", "Discharge under-temperature warning"),
    "daly_cell_delta_warning_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell voltage difference warning"),
    "daly_cell_delta_protection_v": QT_TRANSLATE_NOOP("Vocabulary", "Cell voltage difference protection"),
    "daly_temp_delta_warning_c": QT_TRANSLATE_NOOP("Vocabulary", "Temperature difference warning"),
    "daly_temp_delta_protection_c": QT_TRANSLATE_NOOP("Vocabulary", "Temperature difference protection"),
    "daly_soc_set_pct": QT_TRANSLATE_NOOP("Vocabulary", "State of charge (as set)"),
    "daly_current_limit_sides": QT_TRANSLATE_NOOP("Vocabulary", "Current limits stored as"),
    "daly_cumulative_charge_raw": QT_TRANSLATE_NOOP("Vocabulary", "Cumulative charge (raw)"),
    "daly_cumulative_discharge_raw": QT_TRANSLATE_NOOP("Vocabulary", "Cumulative discharge (raw)"),
    "daly_operation_mode": QT_TRANSLATE_NOOP("Vocabulary", "Operation mode"),
    "daly_auto_sleep_raw": QT_TRANSLATE_NOOP("Vocabulary", "Auto sleep (raw)"),
    "daly_soc_high_warning_pct": QT_TRANSLATE_NOOP("Vocabulary", "SOC high warning"),
    "daly_soc_high_protection_pct": QT_TRANSLATE_NOOP("Vocabulary", "SOC high protection"),
    "daly_soc_low_warning_pct": QT_TRANSLATE_NOOP("Vocabulary", "SOC low warning"),
    "daly_soc_low_protection_pct": QT_TRANSLATE_NOOP("Vocabulary", "SOC low protection"),
    "daly_short_circuit_current_a": QT_TRANSLATE_NOOP("Vocabulary", "Short-circuit current"),
    "daly_shunt_resistance_ohm": QT_TRANSLATE_NOOP("Vocabulary", "Current shunt resistance"),
}

HELP: dict[str, str] = {
    "daly_cell_reference_v": QT_TRANSLATE_NOOP(
        "Vocabulary", "The cell's nominal voltage (3.2 V LiFePO4, 3.7 V Li-ion, 2.3 V LTO)."
    ),
    "daly_acquisition_boards": TOPOLOGY,
    "daly_board1_cells": TOPOLOGY,
    "daly_board2_cells": TOPOLOGY,
    "daly_board3_cells": TOPOLOGY,
    "daly_board1_ntcs": TOPOLOGY,
    "daly_board2_ntcs": TOPOLOGY,
    "daly_board3_ntcs": TOPOLOGY,
    "daly_battery_type": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "0 LiFePO4, 1 Li-ion (NMC), 2 LTO (register 0x89). Packbench's chemistry "
        "presets set it with the voltages.",
    ),
    "daly_sleep_wait_s": QT_TRANSLATE_NOOP("Vocabulary", "Idle time before the board sleeps."),
    "daly_cell_ovp_warning_v": WARNING_HELP,
    "daly_cell_uvp_warning_v": WARNING_HELP,
    "daly_pack_ovp_warning_v": WARNING_HELP,
    "daly_pack_uvp_warning_v": WARNING_HELP,
    "daly_charge_ocp_warning_a": WARNING_HELP,
    "daly_discharge_ocp_warning_a": WARNING_HELP,
    "daly_charge_otp_warning_c": WARNING_HELP,
    "daly_charge_utp_warning_c": WARNING_HELP,
    "daly_discharge_otp_warning_c": WARNING_HELP,
    "daly_discharge_utp_warning_c": WARNING_HELP,
    "daly_cell_delta_warning_v": WARNING_HELP,
    "daly_temp_delta_warning_c": WARNING_HELP,
    "daly_cell_delta_protection_v": PROTECTION_HELP,
    "daly_temp_delta_protection_c": PROTECTION_HELP,
    "daly_soc_set_pct": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "Read-only here: setting it moves the board's state of charge, so it is a "
        "Control action, not a limit.",
    ),
    "daly_current_limit_sides": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "Read-only: on which side of the 30000 offset the board keeps each current "
        "limit; a write keeps that side.",
    ),
    "daly_cumulative_charge_raw": A5_READ_ONLY,
    "daly_cumulative_discharge_raw": A5_READ_ONLY,
    "daly_operation_mode": A5_READ_ONLY,
    "daly_auto_sleep_raw": A5_READ_ONLY,
    "daly_soc_high_warning_pct": A5_READ_ONLY,
    "daly_soc_high_protection_pct": A5_READ_ONLY,
    "daly_soc_low_warning_pct": A5_READ_ONLY,
    "daly_soc_low_protection_pct": A5_READ_ONLY,
    "daly_short_circuit_current_a": A5_READ_ONLY,
    "daly_shunt_resistance_ohm": A5_READ_ONLY,
}


# --- the Parameters tab's notices (context "ParametersPage") -------------------------------------
A5_NOTICE = QT_TRANSLATE_NOOP(
    "ParametersPage",
    "Daly A5 boards: Daly documents no command that writes these settings, so "
    "Packbench shows them read-only and does not guess one. Charging and discharging are switched "
    "on the Control tab; the presets need a board on the Modbus (D2) protocol.",
)
D2_NOTICE = QT_TRANSLATE_NOOP(
    "ParametersPage",
    "Daly boards differ in how their settings block is laid out: Packbench writes "
    "only what this board's block carried with a sensible value. Writable here: {exposed} of "
    "{total} settings.",
)
D2_HIDDEN_NOTICE = QT_TRANSLATE_NOOP(
    "ParametersPage",
    "Daly boards differ in how their settings block is laid out: Packbench writes "
    "only what this board's block carried with a sensible value. Writable here: {exposed} of "
    "{total} settings; shown read-only: {hidden}.",
)
P81_NOTICE = QT_TRANSLATE_NOOP(
    "ParametersPage",
    "Daly P81 boards: no capture shows how their settings are laid out, so "
    "Packbench shows the balancer switch only, read-only.",
)
