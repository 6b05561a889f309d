"""The JBD board-frame builders (app/protocols/jbd/encode.py) against REAL frames.

Each test builds a frame from the values the capture's source states (tests/data/jbd_frames.json,
a copy of ../shared/frames/jbd.json) and compares it with the captured bytes, whole, checksum
included.  Values a source does not state but the frame holds (the production date, the
software byte, the cell count) are read from the bytes with ../shared/protocols/jbd_daly.md
§2.1 and passed in as the board's own; the encoder's output is never compared with its own
decoder.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app import model as m
from app.model import Snapshot
from app.protocols.jbd import encode as enc

FRAMES = {
    f["id"]: f
    for f in json.loads((Path(__file__).parent / "data" / "jbd_frames.json").read_text(encoding="utf-8"))
}


def frame(fid: str) -> bytes:
    return bytes.fromhex(FRAMES[fid]["hex"])


def u16(data: bytes, at: int) -> int:
    """A big-endian word of a reply's data (jbd_daly.md §2.1: offsets from data byte 0)."""
    return int.from_bytes(data[4 + at : 6 + at], "big")


def date_of(raw: int) -> str:
    # §2.1: year = 2000 + (v >> 9), month = (v >> 5) & 0x0F, day = v & 0x1F
    return f"{2000 + (raw >> 9):04d}-{raw >> 5 & 0x0F:02d}-{raw & 0x1F:02d}"


def board_own(data: bytes) -> dict:
    """What the frame holds that no snapshot carries: date, software byte (§2.1 offsets 10, 18)."""
    return {"manufacture_date": date_of(u16(data, 10)), "software": data[4 + 18]}


def test_basic_info_4s_aiobmsble() -> None:
    data = frame("jbd_aio_basic_4s")
    s = FRAMES["jbd_aio_basic_4s"]["expected"]
    assert s["balancer_bits"] == 0 and s["protection_bits"] == 0
    snap = Snapshot(
        pack_voltage_v=s["voltage_v"],
        current_a=s["current_a"],  # -2.87 A: the two's complement FE E1
        capacity_remaining_ah=s["remaining_capacity_ah"],
        cycles=s["cycles"],
        soc_pct=s["soc_pct"],
        charge_mos_on=s["charge_fet_on"],
        discharge_mos_on=s["discharge_fet_on"],
        temperatures_c=s["temperatures_c"],
        cell_voltages_v=FRAMES["jbd_aio_cells_4s"]["expected"]["cell_voltages_v"],  # the same board
        alarms=[],
    )
    assert len(snap.temperatures_c) == s["temp_sensor_count"]
    built = enc.encode_basic(snap, design_ah=s["design_capacity_ah"], extended=False, **board_own(data))
    assert built == data


def test_basic_info_15s_from_the_v4_manual() -> None:
    data = frame("jbd_v4pdf_basic_15s")
    s = FRAMES["jbd_v4pdf_basic_15s"]["expected"]
    assert s["fet_status"] == 3 and board_own(data)["manufacture_date"] == s["production_date"]
    assert board_own(data)["software"] == 0x10 and s["software_version"] == 1.0  # 0x10 = 1.0
    snap = Snapshot(
        pack_voltage_v=s["voltage_v"],
        current_a=s["current_a"],
        capacity_remaining_ah=s["remaining_capacity_ah"],
        cycles=s["cycles"],
        soc_pct=s["soc_pct"],
        charge_mos_on=True,
        discharge_mos_on=True,
        cell_count=s["cell_count"],
        temperatures_c=s["temperatures_c"],
    )
    built = enc.encode_basic(
        snap,
        design_ah=s["nominal_capacity_ah"],
        manufacture_date=s["production_date"],
        software=0x10,
        extended=False,
    )
    assert built == data


def test_basic_info_17s_discharging_from_the_v4_manual() -> None:
    data = frame("jbd_v4pdf_basic_17s_annotated")
    s = FRAMES["jbd_v4pdf_basic_17s_annotated"]["expected"]
    # four sensors in 0.1 K with the 2731 offset (§2.1); the PDF's 24.7 °C for the first is its
    # typo (0x0B98 = 2968 -> 23.7 °C, see test_jbd.KNOWN_CONFLICTS)
    temps = [(u16(data, 23 + 2 * i) - 2731) / 10 for i in range(s["temp_sensor_count"])]
    snap = Snapshot(
        pack_voltage_v=s["voltage_v"],
        current_a=s["current_a"],  # -20.12 A
        capacity_remaining_ah=s["remaining_capacity_ah"],
        cycles=s["cycles"],
        soc_pct=s["soc_pct"],
        charge_mos_on=True,
        discharge_mos_on=True,
        cell_count=s["cell_count"],
        temperatures_c=temps,
    )
    own = board_own(data)
    assert own["software"] == s["software_version_raw"]
    built = enc.encode_basic(snap, design_ah=s["nominal_capacity_ah"], extended=False, **own)
    assert built == data


def test_basic_info_with_the_v11_extension() -> None:
    # the Chins frame (§2.1, reconstructed): humidity 0, alarm 0, full 300 Ah, remaining again
    # 196.3 Ah, balance current 0
    data = frame("jbd_aio_chins_extended")
    s = FRAMES["jbd_aio_chins_extended"]["expected"]
    snap = Snapshot(
        pack_voltage_v=s["voltage_v"],
        current_a=s["current_a"],
        capacity_remaining_ah=s["remaining_capacity_ah"],
        capacity_full_ah=s["learnCapacity_ah_per_source"],
        balance_current_a=0.0,
        cycles=s["cycles"],
        soc_pct=s["soc_pct"],
        charge_mos_on=bool(s["fet_status"] & 1),
        discharge_mos_on=bool(s["fet_status"] & 2),
        cell_count=s["cell_count"],
        temperatures_c=s["temperatures_c"],
    )
    built = enc.encode_basic(snap, design_ah=s["design_capacity_ah"], extended=True, **board_own(data))
    assert built == data
    # without a full-charge capacity the design capacity stands in
    snap.capacity_full_ah = None
    assert enc.encode_basic(snap, design_ah=s["design_capacity_ah"], extended=True, **board_own(data)) == data


def test_protection_bit_0_as_captured() -> None:
    # aiobmsble's frame with protection bit 0 (cell overvoltage, §2.1) set, else as basic_4s
    data = frame("jbd_aio_basic_prot_bit0")
    s = FRAMES["jbd_aio_basic_4s"]["expected"]
    assert FRAMES["jbd_aio_basic_prot_bit0"]["expected"]["protection_bits"] == 1
    snap = Snapshot(
        pack_voltage_v=s["voltage_v"],
        current_a=s["current_a"],
        capacity_remaining_ah=s["remaining_capacity_ah"],
        cycles=s["cycles"],
        soc_pct=s["soc_pct"],
        charge_mos_on=True,
        discharge_mos_on=True,
        cell_count=4,
        temperatures_c=s["temperatures_c"],
        alarms=[m.CELL_OVERVOLTAGE],
    )
    assert enc.encode_basic(snap, design_ah=5, extended=False, **board_own(data)) == data


@pytest.mark.parametrize(
    ("alarm", "bit"),
    [
        (m.CELL_OVERVOLTAGE, 0),
        (m.CELL_UNDERVOLTAGE, 1),
        (m.PACK_OVERVOLTAGE, 2),
        (m.PACK_UNDERVOLTAGE, 3),
        (m.CHARGE_OVERTEMPERATURE, 4),
        (m.CHARGE_UNDERTEMPERATURE, 5),
        (m.DISCHARGE_OVERTEMPERATURE, 6),
        (m.DISCHARGE_UNDERTEMPERATURE, 7),
        (m.CHARGE_OVERCURRENT, 8),
        (m.DISCHARGE_OVERCURRENT, 9),
        (m.SHORT_CIRCUIT, 10),
        (m.AFE_FAULT, 11),
    ],
)
def test_each_protection_has_its_bit(alarm: str, bit: int) -> None:
    # §2.1 protection bits at data offset 16
    built = enc.encode_basic(Snapshot(alarms=[alarm]), design_ah=0, extended=False)
    assert u16(built, 16) == 1 << bit


def test_mos_lock_balancing_cells_and_the_extended_alarms() -> None:
    # §2.1: bit 12 = MOS software lock; balance words at 12 (cells 1-16) and 14 (17-32), bit 0 =
    # the first cell; FET bits 0 charge, 1 discharge; extension alarm bits 10 (cell difference)
    # and 11 (low capacity), the balance current in mA
    snap = Snapshot(
        balancing_cells=[1, 3, 17, 32],
        alarms=[m.CELL_DELTA_HIGH, m.LOW_SOC, "jbd_bit_15"],
        charge_mos_on=False,
        discharge_mos_on=True,
        cell_voltages_v=[3.3] * 5,
        balance_current_a=0.125,
    )
    built = enc.encode_basic(snap, design_ah=100, mos_lock=True, extended=True)
    assert u16(built, 12) == 0b101 and u16(built, 14) == 1 | 1 << 15
    assert u16(built, 16) == 1 << 12  # unnamed bits are not invented back
    assert built[4 + 20] == 0b10 and built[4 + 21] == 5 and built[4 + 22] == 0
    assert built[3] == 23 + 9  # no sensor: the classic 23 bytes and the 9 of V11
    assert u16(built, 24) == 1 << 10 | 1 << 11
    assert u16(built, 26) == 100 * 100  # full = design when unknown, 10 mAh
    assert u16(built, 30) == 125
    only_delta = enc.encode_basic(Snapshot(alarms=[m.CELL_DELTA_HIGH]), design_ah=1)
    assert u16(only_delta, 24) == 1 << 10
    only_soc = enc.encode_basic(Snapshot(alarms=[m.LOW_SOC]), design_ah=1)
    assert u16(only_soc, 24) == 1 << 11


def test_the_date_word() -> None:
    # §2.1 and the V4 manual's example: 2016-03-24 is 0x2078
    assert enc.date_raw("2016-03-24") == 0x2078 == u16(frame("jbd_v4pdf_basic_15s"), 10)
    assert enc.date_raw("2022-03-28") == 0x2C7C == u16(frame("jbd_aio_basic_4s"), 10)


@pytest.mark.parametrize("fid", ["jbd_aio_cells_4s", "jbd_sp25_cells_16s"])
def test_cell_voltages_as_captured(fid: str) -> None:
    assert enc.encode_cells(FRAMES[fid]["expected"]["cell_voltages_v"]) == frame(fid)


def test_17_cells_from_the_v4_manual() -> None:
    data = frame("jbd_v4pdf_cells_17s_annotated")
    s = FRAMES["jbd_v4pdf_cells_17s_annotated"]["expected"]
    volts = [u16(data, 2 * i) / 1000 for i in range(s["cell_count"])]
    assert volts[0] * 1000 == s["cell1_mv"]
    assert enc.encode_cells(volts) == data


def test_error_counts_as_captured() -> None:
    # SP04S034: 12 words, cell OV 122, cell UV 2, restarts 1 (the researcher's decode, §2.4)
    counts = [0, 0, 0, 122, 2, 0, 0, 0, 0, 0, 0, 1]
    assert enc.encode_error_counts(counts) == frame("jbd_sp04_error_counts")
    assert enc.encode_error_counts([0] * 12) == frame("jbd_v11_error_counts_zero")


def test_register_and_text_replies_as_captured() -> None:
    # EEPROM reads of the SP04S034 session: one word each; text: a length byte, then ASCII
    for f in FRAMES.values():
        data = bytes.fromhex(f["hex"])
        if f["frame_type"] == "eeprom_read" and data[0] == 0xDD and data[3] == 2:
            assert enc.encode_register(data[1], u16(data, 0)) == data, f["id"]
    assert enc.encode_text(0xA1, "JBD-SP04S034-L4S-200A-B-U") == frame("jbd_sp04eeprom_094")
    assert enc.encode_text(0xA0, "DGJBD") == frame("jbd_sp04eeprom_096")
    assert enc.encode_text(0xA2, "") == frame("jbd_sp04eeprom_098")
    # 31 characters at most (one length byte of a 32-byte field, §2.3)
    assert enc.encode_text(0xA0, "x" * 40)[3:5] == bytes([32, 31])
    assert len(enc.encode_hardware("y" * 40)) == 7 + 31
    assert enc.encode_register(0x10, -1)[4:6] == b"\xff\xff"  # a negative word, two's complement
