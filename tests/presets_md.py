"""shared/presets.md's "Packbench presets" table as data, for tests that must know what a
preset writes without asking services/presets.py (the code under test, issue 24).

presets.md: a preset touches chemistry keys only (the table below); pack keys come from the
pack profile the user enters beside it; "pack-level voltages (pack_ovp_v …) are the cell value
× cell_count"; the balance trigger is 0.010 V, "0.005 from 50 Ah".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

CELL = {
    "lifepo4": {
        "cell_ovp_v": 3.65,
        "soc_full_v": 3.60,
        "cell_ovp_recovery_v": 3.55,
        "balance_start_v": 3.40,
        "cell_uvp_recovery_v": 2.80,
        "soc_empty_v": 2.70,
        "cell_uvp_v": 2.50,
        "power_off_v": 2.40,
        "charge_otp_c": 55,
        "charge_otp_recovery_c": 50,
        "discharge_otp_c": 65,
        "discharge_otp_recovery_c": 55,
        "charge_utp_c": 0,
        "charge_utp_recovery_c": 5,
        "discharge_utp_c": -20,
        "discharge_utp_recovery_c": -10,
    },
}
PACK_LEVEL = {
    "cell_ovp_v": "pack_ovp_v",
    "cell_ovp_recovery_v": "pack_ovp_recovery_v",
    "cell_uvp_v": "pack_uvp_v",
    "cell_uvp_recovery_v": "pack_uvp_recovery_v",
}


def preset_values(chemistry: str, *, cells: int, capacity_ah: float) -> dict[str, Any]:
    """What presets.md says the preset with this pack profile sets (before the board's schema)."""
    out: dict[str, Any] = dict(CELL[chemistry])
    out.update({pack: round(out[cell] * cells, 3) for cell, pack in PACK_LEVEL.items()})
    out.update(
        cell_count=cells,
        capacity_nominal_ah=capacity_ah,
        balance_trigger_delta_v=0.005 if capacity_ah >= 50 else 0.010,
    )
    return out


def changed_keys(
    board: Mapping[str, Any],
    wanted: Mapping[str, Any],
    schema_keys: set[str],
    *,
    also: Mapping[str, Any] = {},
) -> set[str]:
    """The keys of ``wanted`` (and ``also``: what the test knows a family or the profile adds)
    that the board has and holds another value of (more than 0.5 mV / 0.5 unit apart)."""
    out = set()
    for key, value in {**wanted, **also}.items():
        if key in schema_keys and (board.get(key) is None or abs(float(board[key]) - float(value)) > 5e-4):
            out.add(key)
    return out
