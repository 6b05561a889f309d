"""Which balance lead stands out (model/wires.py): the rule against real captures.

Every JK cell-info frame of tests/data (copied from shared/frames/jk.json with their
sources: ESPHome, aiobmsble, batmon, mpp-solar) carries the board's wire resistance per
cell.  Healthy packs: the highest lead within 1.35 × the median; the mpp-solar JK04 test
capture has four leads far above the rest (286–368 mΩ beside a median of 174 mΩ).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from app.model.wires import resistance_outliers
from app.protocols import get_protocol

DATA = Path(__file__).parent / "data"
PID = {"jk_ble_jk02_24s": "jk02_24s", "jk_ble_jk02_32s": "jk02_32s", "jk_ble_jk04": "jk04"}


def cell_frames() -> list[dict]:
    out = []
    for name in ("jk_frames.json", "jk04_frames.json"):
        for e in json.loads((DATA / name).read_text(encoding="utf-8"))["frames"]:
            if e["frame_type"] == "cell_info" and e["checksum_ok"] and e["protocol"] in PID:
                out.append(e)
    return out


FRAMES = cell_frames()
#: the capture with loose-looking leads: its resistances as the source states them (Ω)
ODD = "mpp_jk04_test_cell"


def test_there_are_captures_to_judge():
    assert len(FRAMES) >= 20 and any(e["id"] == ODD for e in FRAMES)


@pytest.mark.parametrize("entry", [e for e in FRAMES if e["id"] != ODD], ids=lambda e: e["id"])
def test_no_lead_of_a_healthy_captured_pack_stands_out(entry):
    snap = get_protocol(PID[entry["protocol"]]).decode(bytes.fromhex(entry["hex"]))
    assert snap.cell_resistances_ohm, "a JK cell frame carries the wire resistances"
    assert resistance_outliers(snap.cell_resistances_ohm) == []


def test_the_leads_far_above_the_rest_are_named():
    entry = next(e for e in FRAMES if e["id"] == ODD)
    ohms = entry["expected"]["cell_resistances_ohm_25"][:24]  # 24 cells; the 25th slot is 0
    # mpp-solar's stated values: cells 6, 7, 19, 20 read 368, 357, 286, 334 mΩ, the median 174 mΩ
    assert resistance_outliers(ohms) == [5, 6, 18, 19]


def test_a_pb_board_over_rs485_with_a_wide_healthy_spread():
    """shared/frames/jk.json dbus_pb_status_payload (venus-os_dbus-serialbattery's test
    capture): 16 leads from 51 to 119 mΩ, the widest healthy spread seen (1.44 × the median)."""
    mohm = [51, 52, 63, 66, 77, 88, 102, 113, 119, 113, 102, 98, 90, 68, 64, 54]
    assert resistance_outliers([m / 1000 for m in mohm]) == []


def test_a_few_milliohms_on_tiny_readings_are_no_loose_busbar():
    """8 mΩ beside 4 mΩ is twice the median but 4 counts of the board's 1 mΩ step."""
    assert resistance_outliers([0.004] * 15 + [0.008]) == []
    # the same lead 25 mΩ above the median is one
    assert resistance_outliers([0.004] * 15 + [0.029]) == [15]


def test_too_few_leads_or_nothing_measured_names_none():
    assert resistance_outliers([0.05, 0.5]) == []
    assert resistance_outliers([0.0] * 8 + [0.1]) == []


def test_the_report_judges_by_the_same_rule():
    from app.model import wires
    from app.rendering import report_pdf

    assert report_pdf.resistance_outliers is wires.resistance_outliers


def test_a_simulated_pack_has_no_loose_lead():
    """The simulator's leads spread like the healthy captures: the Live tab never flags a
    lead of a simulated pack that nobody loosened (200 packs of 32 cells)."""
    from app.simulator.pack import Pack

    for seed in range(200):
        pack = Pack(32, rng=random.Random(seed))
        ohms = pack.snapshot(
            pack.cell_voltages(), {"cell_ovp_v": 3.65, "cell_uvp_v": 2.5}
        ).cell_resistances_ohm
        assert resistance_outliers(ohms) == [], seed
