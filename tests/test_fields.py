"""The shared field-table type (app/protocols/fields.py) and the tables built on it.

One row decodes and encodes: rows read real captured frames, and writing what
they read back into an empty buffer gives the captured bytes again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.protocols.fields import BIG, F, read_all, span, write_all
from app.protocols.jbd import decode as jbd
from app.protocols.jk import layout as jk

DATA = Path(__file__).parent / "data"


def test_byte_order_and_scale() -> None:
    buf = b"\x00\x34\x12"
    assert F("x", 1, "H").read(buf) == 0x1234  # JK: little-endian
    assert F("x", 1, "H", order=BIG).read(buf) == 0x3412  # JBD: big-endian
    assert F("v", 1, "H", 1000).read(buf) == pytest.approx(4.66)
    assert F("x", 0, "H").read(buf, base=1) == 0x1234


def test_write_is_the_inverse_of_read() -> None:
    buf = bytearray(8)
    F("v", 2, "H", 1000).write(buf, 3.301)
    assert buf[2:4] == (3301).to_bytes(2, "little")
    F("i", 4, "h", order=BIG).write(buf, -5)
    assert buf[4:6] == b"\xff\xfb" and F("i", 4, "h", order=BIG).read(buf) == -5
    F("f", 4, "f").write(buf, 1.0)
    assert buf[4:8] == b"\x00\x00\x80\x3f"  # JK04's float 1.0 (jk.md §4.3)


def test_integers_wrap_to_their_width() -> None:
    buf = bytearray(2)
    F("u", 0, "H", order=BIG).write(buf, -100)  # two's complement, as JBD's current
    assert buf == b"\xff\x9c"
    F("u", 0, "B").write(buf, 256 + 7)
    assert buf[0] == 7


def test_repeated_fields() -> None:
    cell = F("mv", 0, "H", order=BIG)
    buf = bytearray(6)
    cell.write_many(buf, [3300, 3301, 3302])
    assert bytes(buf) == bytes.fromhex("0ce40ce50ce6")
    assert cell.read_many(buf, 3) == [3300, 3301, 3302]
    assert cell.read_many(b"\x00" + bytes(buf), 2, base=1) == [3300, 3301]


def test_span() -> None:
    # jbd_daly.md §2.1: 23 fixed bytes before the temperatures, 9 in the V11 extension
    assert span(jbd.BASIC_ROWS) == 23 and span(jbd.EXTENSION_ROWS) == 9
    assert span(()) == 0


def _entries(name: str) -> list[dict]:
    doc = json.loads((DATA / name).read_text(encoding="utf-8"))
    return doc["frames"] if isinstance(doc, dict) else doc


JBD_BASIC = [
    e
    for e in _entries("jbd_frames.json")
    if e.get("checksum_ok")
    and bytes.fromhex(e["hex"])[:3] == b"\xdd\x03\x00"
    and bytes.fromhex(e["hex"])[3] >= 23
]


@pytest.mark.parametrize("entry", JBD_BASIC, ids=[e["id"] for e in JBD_BASIC])
def test_jbd_basic_rows_write_back_what_they_read(entry: dict) -> None:
    frame = bytes.fromhex(entry["hex"])
    data = frame[4 : 4 + frame[3]]
    raw = read_all(data, jbd.BASIC_ROWS)
    again = bytearray(jbd.BASIC_LENGTH)
    write_all(again, jbd.BASIC_ROWS, raw)
    assert bytes(again) == data[: jbd.BASIC_LENGTH]
    temps = jbd.TEMPERATURE.read_many(data, raw["ntc"], jbd.BASIC_LENGTH)
    out = bytearray(2 * raw["ntc"])
    jbd.TEMPERATURE.write_many(out, temps)
    assert bytes(out) == data[jbd.BASIC_LENGTH : jbd.BASIC_LENGTH + 2 * raw["ntc"]]


def test_jbd_basic_rows_read_a_stated_frame() -> None:
    """jbd_aio_basic_4s (aiobmsble's test frame): the values its source states, in wire units."""
    entry = next(e for e in _entries("jbd_frames.json") if e["id"] == "jbd_aio_basic_4s")
    exp = entry["expected"]
    frame = bytes.fromhex(entry["hex"])
    data = frame[4 : 4 + frame[3]]
    raw = read_all(data, jbd.BASIC_ROWS)
    assert raw["pack_10mv"] == round(exp["voltage_v"] * 100)
    assert raw["current_10ma"] == round(exp["current_a"] * 100)  # signed: discharging
    assert raw["remaining_10mah"] == round(exp["remaining_capacity_ah"] * 100)
    assert raw["design_10mah"] == round(exp["design_capacity_ah"] * 100)
    assert (raw["cycles"], raw["soc"]) == (exp["cycles"], exp["soc_pct"])
    assert raw["ntc"] == exp["temp_sensor_count"]
    temps = jbd.TEMPERATURE.read_many(data, raw["ntc"], jbd.BASIC_LENGTH)
    assert [round((t - 2731) / 10, 1) for t in temps] == exp["temperatures_c"]


JK_CELLS = [
    e
    for e in _entries("jk_frames.json")
    if e.get("checksum_ok")
    and e["frame_type"] == "cell_info"
    and e["protocol"] in ("jk_ble_jk02_24s", "jk_ble_jk02_32s")
]


@pytest.mark.parametrize("entry", JK_CELLS[:12], ids=[e["id"] for e in JK_CELLS[:12]])
def test_jk_cell_rows_write_back_what_they_read(entry: dict) -> None:
    frame = bytes.fromhex(entry["hex"])[:300]
    variant = {"jk_ble_jk02_24s": jk.JK02_24S, "jk_ble_jk02_32s": jk.JK02_32S}[entry["protocol"]]
    rows = jk.CELL_ROWS[variant]
    again = bytearray(300)
    write_all(again, rows, read_all(frame, rows))
    for row in rows:
        assert again[row.offset : row.offset + row.size] == frame[row.offset : row.offset + row.size], (
            row.name
        )


# --- JBD settings rows: the spec and the field come from one row and agree -------------------------
def test_jbd_schema_spec_and_field_agree() -> None:
    from app.protocols.jbd import schema

    # 0x2C counts 0.1 mΩ, or 0.01 mΩ behind a flag whose place the sources dispute
    # (jbd_daly.md §3.2, conflict 8): its step allows the finer unit the rows do not model
    unsettled = {"jbd_shunt_resistance_ohm"}
    for key, fld in schema.FIELDS.items():
        spec = schema.SPECS[key]
        if key in unsettled:
            continue
        assert spec.register == fld.register, key
        if spec.kind == "bool":
            assert fld.encode(True, 0) == 1 << spec.bit and fld.decode(1 << spec.bit) is True, key
        elif spec.kind == "number" and spec.writable and spec.scale != 1:
            # a scaled register: one step of the spec is a whole number of raw counts
            for value in (spec.minimum, spec.maximum, (spec.minimum + spec.maximum) / 2):
                value = round(round(value / spec.step) * spec.step, 6)
                assert fld.decode(fld.encode(value, 0)) == pytest.approx(value, abs=spec.step / 2), key
            assert round(spec.step * spec.scale, 9) == round(spec.step * spec.scale), key
