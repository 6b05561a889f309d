"""JBD framing (app/protocols/jbd/framing.py): every check against real frames and their faults.

Frames come from tests/data/jbd_frames.json (a copy of ../shared/frames/jbd.json, each with
its source); the rules from ../shared/protocols/jbd_daly.md §1.1 (``DD … 77``: length byte,
checksum ``0x10000 - sum``, big-endian, end byte; the bare refusal ``DD xx 8x 00 .. .. 77``)
and §1.3 (``FF AA cmd len data sum8``; module frames arrive whole).  Each broken frame
here breaks exactly one rule, so a check that is removed lets it through.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.protocols import DecodeError, get_protocol
from app.protocols.jbd import encode as enc
from app.protocols.jbd import framing as fr

FRAMES = {
    f["id"]: f
    for f in json.loads((Path(__file__).parent / "data" / "jbd_frames.json").read_text(encoding="utf-8"))
}
JBD = get_protocol("jbd")


def frame(fid: str) -> bytes:
    return bytes.fromhex(FRAMES[fid]["hex"])


def cut(data: bytes, size: int = 20) -> list[bytes]:
    """What the reader returns for ``data`` fed in ``size``-byte notifications."""
    reader = fr.JbdFrameReader()
    out = []
    for i in range(0, len(data), size):
        out += [f.data for f in reader.feed(data[i : i + size])]
    return out


# --- builders reproduce the captured bytes from the values the source states ------------------


def test_response_builds_the_captured_acks_and_refusals() -> None:
    # write acks: register echo, status 0, length 0 -> checksum 00 00 (§1.1)
    for fid in ("jbd_mos_ack", "jbd_v11_fb_ack", "jbd_v11_0a_ack", "jbd_enter_factory_ok"):
        data = frame(fid)
        assert FRAMES[fid]["expected"]["status"] == 0
        assert fr.response(data[1]) == data == enc.ack(data[1]), fid
    # jbdtool's refusal of 0x0A: status 0x80 (stated 128), checksum FF 80
    assert fr.response(0x0A, status=128) == frame("jbd_jbdtool_freset_0a_err")
    assert enc.refusal(0x0A) == frame("jbd_jbdtool_freset_0a_err")
    assert enc.refusal(0x24, fr.STATUS_INVALID) == frame("jbd_v13_008")  # DD 24 81 00 FF 7F 77
    # the unchecksummed refusal a password-locked board sends (batmon #4, §1.1)
    assert enc.bare_refusal(0x00) == frame("jbd_enter_factory_fail_pw")


def test_response_with_data_builds_the_captured_hardware_reply() -> None:
    # DD 05 00 0A "0123456789" FD E9 77 (aiobmsble), stated model "0123456789"
    assert fr.response(0x05, b"0123456789") == frame("jbd_aio_hw_version")
    assert enc.encode_hardware(FRAMES["jbd_aio_hw_version"]["expected"]["hw_version"]) == frame(
        "jbd_aio_hw_version"
    )


def test_module_frame_builds_the_captured_ble_frames() -> None:
    # FF AA cmd len data sum8 (§1.3): the app password, the random-byte request and replies
    assert fr.module_frame(0x15, b"000000") == frame("jbd_aio_auth_cmd")
    assert fr.module_frame(0x17) == frame("jbd_auth_flow_00")
    assert fr.module_frame(0x17, bytes([98])) == frame("jbd_auth_flow_01")  # random byte 98
    assert fr.module_frame(0x15, b"\x01") == frame("jbd_aio_auth_nack")  # 01 = NACK
    assert fr.module_frame(0x07, b"XYZ") == frame("jbd_overkill_ble_rename")
    assert fr.module_checksum(frame("jbd_auth_flow_14")) == frame("jbd_auth_flow_14")[-1]


def test_request_builds_reads_and_writes() -> None:
    assert fr.request(0x03) == frame("jbd_req_basic_info")  # DD A5 03 00 FF FD 77
    assert fr.write_register(0x00, 0x5678) == frame("jbd_enter_factory")  # DD 5A 00 02 56 78 …
    # a value wider than 16 bits keeps its low 16 (the register is one word)
    assert fr.write_register(0x00, 0x15678) == frame("jbd_enter_factory")
    with pytest.raises(ValueError):
        fr.request(0x100)
    with pytest.raises(ValueError):
        fr.request(-1)
    with pytest.raises(ValueError):
        fr.request(0x03, bytes(256))
    assert len(fr.request(0x03, bytes(255))) == 7 + 255  # the longest a length byte allows


# --- check(): each rule of §1.1 -------------------------------------------------------------------
GOOD = "jbd_aio_cells_4s"


def test_every_captured_frame_passes_or_fails_as_its_source_says() -> None:
    for fid, entry in FRAMES.items():
        data = frame(fid)
        why = fr.check_module(data) if data[:2] == fr.MODULE_HEADER else fr.check(data)
        # the one bare refusal passes without its checksum (§1.1)
        assert (why is None) == (entry["checksum_ok"] or fid == "jbd_enter_factory_fail_pw"), fid


def test_the_length_byte_is_checked() -> None:
    good = frame(GOOD)
    longer = good[:3] + bytes([good[3] + 1]) + good[4:]
    assert fr.check(longer) == f"truncated frame: {len(good)} bytes, the length byte says {len(good) + 1}"
    shorter = good[:3] + bytes([good[3] - 1]) + good[4:]
    assert fr.check(shorter) == "1 byte(s) after the end of the frame"
    for bad in (longer, shorter):
        with pytest.raises(DecodeError):
            JBD.decode(bad)


def test_trailing_bytes_are_refused() -> None:
    good = frame(GOOD)
    assert fr.check(good) is None
    assert fr.check(good + b"\x77") == "1 byte(s) after the end of the frame"
    assert fr.check(good + b"\x00\x00") == "2 byte(s) after the end of the frame"
    with pytest.raises(DecodeError, match="after the end"):
        JBD.decode(good + b"\x77")


def test_short_frames_and_other_starts() -> None:
    assert fr.check(b"") == fr.check(frame(GOOD)[:6]) == "truncated frame"
    assert fr.check(b"\xdc" + frame(GOOD)[1:]) == "not a JBD frame (no DD start byte)"
    ack = frame("jbd_mos_ack")
    assert fr.check(ack) is None
    assert fr.check(ack[:6] + b"\x78") == "wrong end byte"


def test_the_checksum_is_checked_both_bytes() -> None:
    good = bytearray(frame(GOOD))
    n = good[3]
    for at in (4 + n, 5 + n, 2, 3 + n):  # high byte, low byte, a summed status, a data byte
        bad = bytearray(good)
        bad[at] ^= 0x01
        assert fr.check(bytes(bad)) == "checksum mismatch", at
    # the register byte of a reply is not summed (§1.1): changing it keeps the frame valid
    other = bytearray(good)
    other[1] = 0x05
    assert fr.check(bytes(other)) is None


def test_bare_refusal_shape() -> None:
    bare = frame("jbd_enter_factory_fail_pw")  # DD 00 81 00 00 00 77
    assert fr.is_bare_error(bare) and fr.check(bare) is None
    assert fr.is_bare_error(bytes.fromhex("dd00ff00123477"))  # any checksum bytes
    for bad, why in (
        ("dd0081000000", "six bytes"),
        ("dd008100000000 77", "eight bytes"),
        ("dc008100000077", "no DD"),
        ("dd007f00000077", "no status bit 7"),
        ("dd008101000077", "a length byte"),
        ("dd008100000076", "no 77 end"),
    ):
        assert not fr.is_bare_error(bytes.fromhex(bad.replace(" ", ""))), why
    assert fr.check(bytes.fromhex("dd007f00000077")) == "checksum mismatch"


def test_requests_are_recognised_by_their_second_byte() -> None:
    assert fr.is_request(frame("jbd_req_basic_info")) and fr.is_request(frame("jbd_enter_factory"))
    assert not fr.is_request(frame("jbd_mos_ack"))
    assert not fr.is_request(frame("jbd_req_basic_info")[:6])
    assert not fr.is_request(b"\xdc" + frame("jbd_req_basic_info")[1:])


# --- check_module(): §1.3 -------------------------------------------------------------------------


def test_module_frames_are_checked() -> None:
    nack = frame("jbd_aio_auth_nack")  # FF AA 15 01 01 17
    assert fr.check_module(nack) is None
    assert fr.check_module(nack[:-1] + b"\x18") == "checksum mismatch"
    assert fr.check_module(nack[:4]) == "not a JBD BLE-module frame"
    assert fr.check_module(b"\xff\xab" + nack[2:]) == "not a JBD BLE-module frame"
    assert fr.check_module(nack + b"\x00") == "truncated frame: 7 bytes, the length byte says 6"
    assert fr.check_module(nack[:-2] + nack[-1:]) == "truncated frame: 5 bytes, the length byte says 6"
    ack = frame("jbd_overkill_ble_rename_ack")  # FF AA 07 00 07: the shortest, five bytes
    assert fr.check_module(ack) is None
    with pytest.raises(DecodeError, match="checksum"):
        JBD.decode(nack[:-1] + b"\x18")


# --- the reader -------------------------------------------------------------------------------------


def test_a_truncated_frame_whose_window_the_next_fills_does_not_swallow_it() -> None:
    # a 0x03 reply cut after 20 bytes (a lost notification), then two whole frames that fill
    # its 7 + length window: the cut frame fails its end byte and checksum, costs one byte,
    # and both frames behind it come out
    basic = frame("jbd_v13_000")
    cells = frame(GOOD)
    ack = frame("jbd_mos_ack")
    stream = basic[:20] + cells + ack + cells
    assert len(stream) >= 7 + basic[3]  # the window is full: only the checks stop it
    for size in (1, 20, len(stream)):
        assert cut(stream, size) == [cells, ack, cells], size


def test_a_cut_off_frame_gives_way_to_a_whole_one_behind_it() -> None:
    basic = frame("jbd_v13_000")
    ack = frame("jbd_mos_ack")
    assert 20 + len(ack) < 7 + basic[3]  # the cut frame's window is not full yet
    got = fr.JbdFrameReader().feed(basic[:20] + ack)
    assert [g.data for g in got] == [ack]


def test_frames_come_out_with_their_kind() -> None:
    stream = frame("jbd_req_basic_info") + frame(GOOD) + frame("jbd_aio_auth_nack") + frame("jbd_v13_008")
    got = fr.JbdFrameReader().feed(stream)
    assert [(g.data, g.frame_type) for g in got] == [
        (frame("jbd_req_basic_info"), fr.REQUEST),
        (frame(GOOD), fr.RESPONSE),
        (frame("jbd_aio_auth_nack"), fr.MODULE),
        (frame("jbd_v13_008"), fr.RESPONSE),
    ]


def test_a_frame_waits_for_its_last_byte() -> None:
    reader = fr.JbdFrameReader()
    data = frame(GOOD)
    assert reader.feed(data[:3]) == []  # not even the length byte yet
    assert reader.feed(data[3:-1]) == []
    assert [g.data for g in reader.feed(data[-1:])] == [data]


def test_corrupt_frames_are_dropped_and_the_next_is_found() -> None:
    good = frame(GOOD)
    bad_sum = bytearray(good)
    bad_sum[-2] ^= 0xFF
    bad_end = good[:-1] + b"\x00"
    module_bad = frame("jbd_aio_auth_nack")[:-1] + b"\x00"
    stream = bytes(bad_sum) + bad_end + module_bad + good
    assert cut(stream, len(stream)) == [good]
    assert cut(stream, 20) == [good]


def test_a_short_module_frame_waits_unless_a_dd_frame_follows() -> None:
    nack = frame("jbd_aio_auth_nack")
    reader = fr.JbdFrameReader()
    assert reader.feed(nack[:5]) == []  # cut inside one notification: wait for the rest
    assert [g.data for g in reader.feed(nack[5:])] == [nack]
    # §1.3: module frames arrive whole; one cut short with a DD frame behind it was not one
    good = frame(GOOD)
    assert cut(nack[:5] + good, 64) == [good]
    assert cut(b"\xff\xaa\x15\x06" + good, 64) == [good]


def test_every_split_of_a_mixed_stream() -> None:
    stream = b"AT\r\n" + frame("jbd_v13_000") + frame("jbd_auth_flow_01") + frame(GOOD)
    want = [frame("jbd_v13_000"), frame("jbd_auth_flow_01"), frame(GOOD)]
    for at in range(1, len(stream)):
        reader = fr.JbdFrameReader()
        got = reader.feed(stream[:at]) + reader.feed(stream[at:])
        assert [g.data for g in got] == want, at
