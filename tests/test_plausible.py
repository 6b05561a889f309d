"""Decoded values a board cannot mean are dropped and named, never shown as real (issue 12).

Each case takes a real captured frame from tests/data, patches the bytes of one
field to what a faulty board or a broken probe sends, and recomputes the
frame's checksum by the formula of its protocol notes (shared/protocols), so the
frame is valid on the wire.  The values the capture's source states for the
untouched fields must still come out; the patched field must be gone from the
snapshot and named in ``implausible`` (and in the decode output's
``"implausible"`` list).
"""

from __future__ import annotations

import json
import math
import struct
from pathlib import Path
from typing import Any

import pytest

from app.cli import decode_one
from app.model import Snapshot
from app.protocols import get_protocol
from app.session import _merge

DATA = Path(__file__).parent / "data"


def _frames(name: str) -> dict[str, dict[str, Any]]:
    doc = json.loads((DATA / name).read_text(encoding="utf-8"))
    return {e["id"]: e for e in (doc if isinstance(doc, list) else doc["frames"])}


JK = _frames("jk_frames.json")
JK04 = _frames("jk04_frames.json")
JBD = _frames("jbd_frames.json")
SERIAL = _frames("jk_serial_frames.json")


# --- patching with the checksum of each protocol --------------------------------------------
def jk_patch(entry: dict, patches: dict[int, bytes]) -> bytes:
    """JK02/JK04 300-byte frame; byte 299 = sum of bytes 0..298 mod 256 (jk.md §1.2)."""
    buf = bytearray.fromhex(entry["hex"])[:300]
    for offset, raw in patches.items():
        buf[offset : offset + len(raw)] = raw
    buf[299] = sum(buf[:299]) & 0xFF
    return bytes(buf)


def jbd_patch(entry: dict, patches: dict[int, bytes]) -> bytes:
    """``DD reg status len data ck ck 77``; ck = (0x10000 - sum(bytes[2:4+N])) & 0xFFFF,
    big-endian (jbd_daly.md §1).  ``patches`` count from the first data byte."""
    buf = bytearray.fromhex(entry["hex"])
    n = buf[3]
    for offset, raw in patches.items():
        buf[4 + offset : 4 + offset + len(raw)] = raw
    ck = (0x10000 - sum(buf[2 : 4 + n])) & 0xFFFF
    buf[4 + n : 6 + n] = ck.to_bytes(2, "big")
    return bytes(buf)


def e4e57_patch(entry: dict, patches: dict[int, bytes]) -> bytes:
    """``4E 57`` frame; the last two bytes are the 16-bit sum of every byte before the
    four checksum bytes, big-endian (jk.md §7.2)."""
    buf = bytearray.fromhex(entry["hex"])
    total = int.from_bytes(buf[2:4], "big") + 2
    for offset, raw in patches.items():
        buf[offset : offset + len(raw)] = raw
    buf[total - 2 : total] = (sum(buf[: total - 4]) & 0xFFFF).to_bytes(2, "big")
    return bytes(buf[:total])


def decoded(pid: str, frame: bytes) -> tuple[Snapshot, dict[str, Any]]:
    snap = get_protocol(pid).decode(frame)
    assert isinstance(snap, Snapshot)
    return snap, decode_one(pid, frame.hex())


# --- JK02 ----------------------------------------------------------------------------------------
# esp_32s_v15_cell (ESPHome's v15 test): cells u16 mV from byte 6, SOC at 173 (jk.md §2.1)
V15 = JK["esp_32s_v15_cell"]
V15_STATED = V15["expected"]


def test_a_cell_of_0xffff_drops_the_cells_and_is_named() -> None:
    snap, out = decoded("jk02_32s", jk_patch(V15, {6 + 2 * 4: b"\xff\xff"}))  # cell 5
    assert snap.implausible == {"cell_voltages_v[5]": 65.535}
    assert out["implausible"] == ["cell_voltages_v[5]"]
    fields = out["fields"]
    # no cell is shown: one wrong value would otherwise move the others up a place
    assert fields["cell_voltages_v"] == []
    for derived in (
        "cell_min_v",
        "cell_max_v",
        "cell_avg_v",
        "cell_delta_v",
        "cell_min_index",
        "cell_max_index",
    ):
        assert derived not in fields, derived
    # what the source states for the untouched fields still comes out
    assert fields["pack_voltage_v"] == pytest.approx(V15_STATED["total_voltage_v"])
    assert fields["current_a"] == pytest.approx(V15_STATED["current_a"])
    assert fields["temperatures_c"] == pytest.approx([V15_STATED["t1_c"], V15_STATED["t2_c"]])
    assert fields["mos_temperature_c"] == pytest.approx(V15_STATED["mos_temp_c"])
    assert fields["soc_pct"] == V15_STATED["soc_pct"]
    assert fields["cell_count"] == V15_STATED["cell_count_active"]


def test_a_soc_above_100_is_dropped_and_named() -> None:
    snap, out = decoded("jk02_32s", jk_patch(V15, {173: bytes([101])}))
    assert snap.soc_pct is None and "soc_pct" not in out["fields"]
    assert out["implausible"] == ["soc_pct"]
    assert out["fields"]["soh_pct"] == V15_STATED["soh_pct"]
    assert out["fields"]["capacity_remaining_ah"] == pytest.approx(V15_STATED["capacity_remaining_ah"])


def test_jk_not_fitted_temperatures_are_absent_not_implausible() -> None:
    # esp_24s_v10_cell_negtemp: T1 at 130, T2 at 132, MOS at 134, i16 0.1 °C (jk.md §2.1);
    # -2000 (-200.0 °C) is JK's "not fitted" (jk.md §2.1, aiobmsble filters it)
    entry = JK["esp_24s_v10_cell_negtemp"]
    stated = entry["expected"]
    not_fitted = struct.pack("<h", -2000)
    snap, out = decoded("jk02_24s", jk_patch(entry, {130: not_fitted, 134: not_fitted}))
    assert snap.temperatures_c == pytest.approx([stated["t2_c"]])  # T1 left out
    assert snap.mos_temperature_c is None
    assert snap.implausible == {}
    assert set(out) == {"protocol", "kind", "fields"}  # no "implausible" key for absent sensors
    assert out["fields"]["pack_voltage_v"] == pytest.approx(stated["total_voltage_v"])


def test_good_frames_carry_no_implausible_key() -> None:
    for entry in (V15, JK["esp_24s_v10_cell_negtemp"]):
        out = decode_one("auto", entry["hex"])
        assert set(out) == {"protocol", "kind", "fields"}, out


# --- JK04 floats ----------------------------------------------------------------------------------
def test_jk04_nan_and_huge_floats_are_dropped_before_anything_is_derived() -> None:
    entry = JK04["mpp_jk04_test_cell"]  # f32 cells from byte 6 (jk.md §2.3)
    frame = jk_patch(entry, {6 + 4 * 1: struct.pack("<f", math.nan), 6 + 4 * 2: struct.pack("<f", 3e38)})
    snap, out = decoded("jk04", frame)
    assert set(snap.implausible) == {"cell_voltages_v[2]", "cell_voltages_v[3]"}
    assert out["fields"]["cell_voltages_v"] == []
    # JK04 has no pack field: a pack summed from NaN cells would be NaN, so none is shown
    assert "pack_voltage_v" not in out["fields"]
    assert "cell_min_v" not in out["fields"] and "cell_max_v" not in out["fields"]
    assert out["fields"]["runtime_s"] == 3 * 3600 + 23 * 60 + 12  # stated uptime 0D3H23M12S
    json.dumps(out, allow_nan=False)  # the output is strict JSON


# --- JBD -----------------------------------------------------------------------------------------
def test_jbd_probe_at_raw_zero_is_dropped_and_named() -> None:
    # jbd_aio_basic_4s: NTCs from data byte 23, u16 0.1 K with 2731 offset (jbd_daly.md §2.1);
    # raw 0 reads -273.1 °C
    entry = JBD["jbd_aio_basic_4s"]
    stated = entry["expected"]
    snap, out = decoded("jbd", jbd_patch(entry, {23: b"\x00\x00"}))
    assert snap.implausible == {"temperatures_c[1]": pytest.approx(-273.1)}
    assert out["implausible"] == ["temperatures_c[1]"]
    assert out["fields"]["temperatures_c"] == pytest.approx(stated["temperatures_c"][1:])
    assert out["fields"]["pack_voltage_v"] == pytest.approx(stated["voltage_v"])
    assert out["fields"]["current_a"] == pytest.approx(stated["current_a"])
    assert out["fields"]["soc_pct"] == stated["soc_pct"]


def test_jbd_cells_keep_a_real_zero_and_drop_0xffff() -> None:
    entry = JBD["jbd_sp25_cells_16s"]  # the source states cell 16 at 0.000 V: a real reading
    snap, out = decoded("jbd", bytes.fromhex(entry["hex"]))
    assert snap.cell_voltages_v == pytest.approx(entry["expected"]["cell_voltages_v"])
    assert "implausible" not in out
    snap, out = decoded("jbd", jbd_patch(entry, {2 * 2: b"\xff\xff"}))  # cell 3
    assert snap.cell_voltages_v == [] and out["implausible"] == ["cell_voltages_v[3]"]


def test_the_session_keeps_what_both_jbd_parts_dropped() -> None:
    basic = get_protocol("jbd").decode(jbd_patch(JBD["jbd_aio_basic_4s"], {23: b"\x00\x00"}))
    cells = get_protocol("jbd").decode(jbd_patch(JBD["jbd_sp25_cells_16s"], {0: b"\xff\xff"}))
    merged = _merge(basic, cells)
    assert set(merged.implausible) == {"temperatures_c[1]", "cell_voltages_v[1]"}


# --- JK 4E57 ------------------------------------------------------------------------------------
S4E57 = SERIAL["esp_4e57_14s_status"]


def _4e57_positions(frame: bytes) -> dict[str, int]:
    """Value offsets in a read-all reply: data from byte 11, 0x79 + length + cell triplets,
    then 0x80 MOS, 0x81 T1, 0x82 T2 (u16), 0x83 pack, 0x84 current (u16), 0x85 SOC (u8)
    (jk.md §7.3, in the captured order)."""
    mos = 11 + 2 + frame[12]
    assert frame[mos] == 0x80 and frame[mos + 9] == 0x83 and frame[mos + 15] == 0x85
    return {"mos": mos + 1, "t1": mos + 4, "soc": mos + 16}


def test_4e57_impossible_temperature_and_soc_are_dropped() -> None:
    frame = bytes.fromhex(S4E57["hex"])
    at = _4e57_positions(frame)
    patched = e4e57_patch(S4E57, {at["mos"]: b"\xff\xff", at["soc"]: bytes([200])})
    snap, out = decoded("jk_4e57", patched)
    assert set(snap.implausible) == {"mos_temperature_c", "soc_pct"}
    assert snap.implausible["mos_temperature_c"] < -60000  # the -65,000 °C of the issue
    assert sorted(out["implausible"]) == ["mos_temperature_c", "soc_pct"]
    f = out["fields"]
    # the remaining capacity is derived from SOC (no field of its own): not from 200 %
    assert "capacity_remaining_ah" not in f and "soc_pct" not in f and "mos_temperature_c" not in f
    stated = S4E57["expected"]
    assert f["cell_voltages_v"] == pytest.approx(stated["cell_voltages_v"])
    assert f["pack_voltage_v"] == pytest.approx(stated["total_voltage_v"])
    assert f["temperatures_c"] == pytest.approx([stated["t1_c"], stated["t2_c"]])
