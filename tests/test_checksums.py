"""app/protocols/checksums.py against real captured frames.

Every checksum is computed over the bytes the family's notes say it covers and
compared with what the captured frame carries (the expected value is the
capture's own trailer, never our code's output).  JK and JBD frames come from
tests/data/jk_frames.json, jk_serial_frames.json and jbd_frames.json; the Daly,
ANT and Xiaomi/Ninebot frames were copied with their sources into
tests/data/checksum_frames.json from shared/frames/*.json.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.protocols.checksums import crc16_modbus, inverted_sum16, modbus_crc_ok, negated_sum16, sum8, sum16

DATA = Path(__file__).parent / "data"


def _frames(name: str) -> dict[str, dict]:
    doc = json.loads((DATA / name).read_text(encoding="utf-8"))
    return {e["id"]: e for e in (doc["frames"] if isinstance(doc, dict) else doc)}


JK = _frames("jk_frames.json")
JK_SERIAL = _frames("jk_serial_frames.json")
JBD = _frames("jbd_frames.json")
OTHER = _frames("checksum_frames.json")


def raw(table: dict[str, dict], frame_id: str) -> bytes:
    return bytes.fromhex(table[frame_id]["hex"])


# --- JK BLE (jk.md §1.2): byte 299 / byte 19 is the sum8 of the bytes before it -------------------
@pytest.mark.parametrize(
    "frame_id", ["esp_32s_v15_cell", "batmon_issue365_settings", "aio_jk02_24s_devinfo", "esp_32s_logbook"]
)
def test_sum8_of_jk_responses(frame_id: str) -> None:
    frame = raw(JK, frame_id)[:300]
    assert sum8(frame[:299]) == frame[299]


def test_sum8_of_a_jk_command_and_a_corrupt_capture() -> None:
    cmd = raw(JK, "issue276_esphome_write_ovpr")  # AA 55 90 EB 05 04 3C 0F … | CE (ESPHome's write)
    assert sum8(cmd[:19]) == cmd[19]
    corrupt = raw(JK, "batmon_issue377_corrupt_cell")[:300]  # the capture its source calls corrupt
    assert JK["batmon_issue377_corrupt_cell"]["checksum_ok"] is False
    assert sum8(corrupt[:299]) != corrupt[299]


# --- JBD (jbd_daly.md §1): 0x10000 - sum(bytes[2 : 4 + len]), big-endian; FF AA frames sum8 ----------
@pytest.mark.parametrize(
    "frame_id", ["jbd_aio_cells_4s", "jbd_v13_000", "jbd_req_basic_info", "jbd_enter_factory"]
)
def test_negated_sum16_of_jbd_frames(frame_id: str) -> None:
    frame = raw(JBD, frame_id)
    n = frame[3]
    assert negated_sum16(frame[2 : 4 + n]) == int.from_bytes(frame[4 + n : 6 + n], "big")


def test_negated_sum16_of_an_empty_reply_is_zero() -> None:
    # "a reply with all-zero status and length gives checksum 00 00" (jbd_daly.md §1.1)
    assert negated_sum16(b"\x00\x00") == 0


def test_sum8_of_jbd_module_frames() -> None:
    frame = raw(JBD, "jbd_aio_auth_nack")  # FF AA 15 01 01 | 17
    assert frame[:2] == b"\xff\xaa"
    assert sum8(frame[2:-1]) == frame[-1]


# --- JK 4E57 (jk.md §7.2): two zero bytes, then the 16-bit sum of header..end marker ----------------
def test_sum16_of_a_4e57_frame() -> None:
    frame = raw(JK_SERIAL, "esp_4e57_14s_status")
    total = int.from_bytes(frame[2:4], "big") + 2
    assert frame[total - 4 : total - 2] == b"\x00\x00"
    assert sum16(frame[: total - 4]) == int.from_bytes(frame[total - 2 : total], "big")


# --- CRC-16/Modbus (jk.md §8.1): low byte first -------------------------------------------------------
def test_crc16_modbus_of_jk_pb_frames() -> None:
    ack = raw(JK_SERIAL, "dbus_pb_ack_status")  # 03 10 16 20 00 01 | 05 A9
    assert crc16_modbus(ack[:6]) == 0xA905
    assert modbus_crc_ok(ack)
    assert not modbus_crc_ok(ack[:6] + b"\xa9\x05")  # the other byte order is wrong
    resp = raw(JK_SERIAL, "mpp_pb_resp_20")  # a payload followed by its FC16 ack
    assert modbus_crc_ok(resp[-8:]) and sum8(resp[:299]) == resp[299]


# --- the next families: Daly, ANT, Xiaomi/Ninebot ------------------------------------------------------
def test_daly_uart_sum8_and_ble_modbus_crc() -> None:
    uart = raw(OTHER, "daly_tan_resp_90")  # A5 01 90 08 … EA: sum8 of bytes 0..11
    assert sum8(uart[:-1]) == uart[-1]
    for frame_id in ("daly_d2_req_status62", "daly_d2_aio_mos"):  # Modbus over BLE (D2 03 …)
        assert modbus_crc_ok(raw(OTHER, frame_id)), frame_id


def test_ant_2021_crc_and_legacy_sums() -> None:
    req = raw(OTHER, "ant21_req_status")  # 7E A1 01 00 00 BE | 18 55 | AA 55
    assert crc16_modbus(req[1:6]) == int.from_bytes(req[6:8], "little")
    auth = raw(OTHER, "ant21_auth_aiobmsble_12345678")  # 8 payload bytes
    n = auth[5]
    assert crc16_modbus(auth[1 : 6 + n]) == int.from_bytes(auth[6 + n : 8 + n], "little")
    legacy_req = raw(OTHER, "antleg_req_status_uart")  # sum(bytes[2:5]) & 0xFF == byte 5
    assert sum8(legacy_req[2:5]) == legacy_req[5]
    legacy = raw(OTHER, "antleg_status_16s_aiobmsble")  # BE16 of sum(bytes[4:138]) at 138
    assert len(legacy) == 140 and sum16(legacy[4:138]) == int.from_bytes(legacy[138:140], "big")


@pytest.mark.parametrize("frame_id", ["m365_req_bms_0x10_len18", "m365_bms_0x40_cells", "nb_req_bms_info"])
def test_xiaomi_ninebot_inverted_sum16(frame_id: str) -> None:
    frame = raw(OTHER, frame_id)  # 55 AA / 5A A5, then length … payload, checksum little-endian
    assert inverted_sum16(frame[2:-2]) == int.from_bytes(frame[-2:], "little")


def test_copied_frames_name_their_source() -> None:
    for entry in OTHER.values():
        assert entry["source"] and entry["copied_from"].startswith("shared/frames/")
        assert entry["checksum_ok"] is True


# --- boundaries: the smallest frames and the wrap-around of each sum ------------------------------------
def test_modbus_crc_ok_needs_two_bytes_before_the_crc() -> None:
    # the shortest Modbus RTU frame the families send is an exception reply: address, function,
    # code, CRC (5 bytes, jbd_daly.md §6.1); 4 bytes (two + CRC) is the least the check reads
    two = bytes.fromhex("d283")
    four = two + crc16_modbus(two).to_bytes(2, "little")
    assert modbus_crc_ok(four)
    # one byte and its right CRC: three bytes are no frame
    assert not modbus_crc_ok(bytes([0x83]) + crc16_modbus(b"\x83").to_bytes(2, "little"))
    assert not modbus_crc_ok(b"") and not modbus_crc_ok(b"\xff\xff")


def test_sums_wrap_at_their_width() -> None:
    data = bytes([0xFF]) * 258  # sum 65790 = 0x100FE
    assert sum8(data) == 0xFE
    assert sum16(data) == 0x00FE
    assert negated_sum16(data) == 0xFF02  # 0x10000 - 0x100FE, mod 65536
    assert inverted_sum16(data) == 0xFF01
    assert sum8(b"") == sum16(b"") == negated_sum16(b"") == 0
    assert inverted_sum16(b"") == 0xFFFF
    assert crc16_modbus(b"") == 0xFFFF  # the initial value, untouched
    assert sum8([1, 2, 253]) == 0 and sum16(iter([0xFFFF, 1])) == 0  # any iterable of ints
