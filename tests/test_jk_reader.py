"""The JK byte-stream reader (app/protocols/jk/framing.py) and the command builder.

Real frames from tests/data/jk_frames.json, cut and dirtied the way BLE
notifications and serial bridges deliver them (jk.md §1.4).  Checksums are
re-checked here with an independent sum8, not with the code under test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.protocols import get_protocol
from app.protocols.jk.framing import JkFrameReader, build_command

DATA = Path(__file__).parent / "data" / "jk_frames.json"
FRAMES: list[dict[str, Any]] = json.loads(DATA.read_text(encoding="utf-8"))["frames"]
PID = {"jk_ble_jk02_24s": "jk02_24s", "jk_ble_jk02_32s": "jk02_32s"}

RESP = bytes.fromhex("55aaeb90")
CMD = bytes.fromhex("aa5590eb")
JUNK = b"AT\r\n"


def by_id(frame_id: str) -> dict[str, Any]:
    return next(e for e in FRAMES if e["id"] == frame_id)


def raw(frame_id: str) -> bytes:
    return bytes.fromhex(by_id(frame_id)["hex"])


def response(frame_id: str) -> bytes:
    """The 300-byte response frame of a corpus entry (without glued extras)."""
    data = raw(frame_id)[:300]
    assert len(data) == 300 and data[:4] == RESP
    return data


def sum_ok(frame: bytes) -> bool:
    """Independent check: JK sum8 over all bytes but the last (jk.md §1.2, §1.4)."""
    total = 0
    for b in frame[:-1]:
        total = (total + b) % 256
    return total == frame[-1]


def valid_jk_frame(frame: bytes) -> bool:
    if frame[:4] == RESP:
        return len(frame) == 300 and frame[4] in (1, 2, 3, 5) and sum_ok(frame)
    if frame[:4] == CMD:
        return len(frame) == 20 and sum_ok(frame)
    return False


def feed_all(pieces: list[bytes], reader: JkFrameReader | None = None) -> list[bytes]:
    reader = reader or JkFrameReader()
    out: list[bytes] = []
    for piece in pieces:
        out += [f.data for f in reader.feed(piece)]
    return out


CELL32 = response("esp_32s_v15_cell")
CELL24 = response("esp_24s_v10_cell_negtemp")
SETTINGS32 = response("batmon_issue365_settings")
DEVINFO24 = response("aio_jk02_24s_devinfo")
LOGBOOK = response("esp_32s_logbook")
ACK = raw("aio_jk02_32s_v19_27_ack")
OVPR = raw("issue276_esphome_write_ovpr")
SAMPLES = {
    "cell32": CELL32,
    "cell24": CELL24,
    "settings32": SETTINGS32,
    "devinfo24": DEVINFO24,
    "logbook": LOGBOOK,
    "ack": ACK,
    "command": OVPR,
}


def test_samples_are_valid() -> None:
    for name, frame in SAMPLES.items():
        assert valid_jk_frame(frame), name


@pytest.mark.parametrize("name", list(SAMPLES))
def test_split_at_every_boundary(name: str) -> None:
    frame = SAMPLES[name]
    for k in range(len(frame) + 1):
        assert feed_all([frame[:k], frame[k:]]) == [frame], f"split at {k}"


@pytest.mark.parametrize("name", list(SAMPLES))
def test_one_byte_at_a_time(name: str) -> None:
    frame = SAMPLES[name]
    reader = JkFrameReader()
    out: list[bytes] = []
    for i in range(len(frame)):
        got = [f.data for f in reader.feed(frame[i : i + 1])]
        if i < len(frame) - 1:
            assert got == [], f"a frame came out after {i + 1} bytes"
        out += got
    assert out == [frame]


def test_frame_types_are_reported() -> None:
    reader = JkFrameReader()
    frames = reader.feed(CELL32 + SETTINGS32 + DEVINFO24 + LOGBOOK + ACK)
    assert [f.frame_type for f in frames] == [0x02, 0x01, 0x03, 0x05, "command"]


def test_two_frames_in_one_buffer() -> None:
    assert feed_all([CELL32 + CELL24]) == [CELL32, CELL24]
    # and the second one's head arriving with the first one's tail
    stream = CELL32 + SETTINGS32
    assert feed_all([stream[:250], stream[250:420], stream[420:]]) == [CELL32, SETTINGS32]


def test_junk_between_frames() -> None:
    stream = JUNK + CELL32 + JUNK + JUNK + SETTINGS32 + JUNK + ACK + JUNK + DEVINFO24 + JUNK
    expected = [CELL32, SETTINGS32, ACK, DEVINFO24]
    assert feed_all([stream]) == expected
    # the same, as 20-byte notifications
    assert feed_all([stream[i : i + 20] for i in range(0, len(stream), 20)]) == expected
    assert feed_all([stream[i : i + 1] for i in range(len(stream))]) == expected


def test_junk_inside_a_frame_loses_only_that_frame() -> None:
    # text injected into the middle of a frame corrupts it (the checksum no
    # longer matches): it must be dropped, and the frames after it must come out
    broken = CELL32[:128] + JUNK + CELL32[128:]
    stream = broken + SETTINGS32 + JUNK + CELL24
    for pieces in ([stream], [stream[i : i + 20] for i in range(0, len(stream), 20)]):
        out = feed_all(pieces)
        assert out == [SETTINGS32, CELL24]
    # junk inside a 20-byte command breaks it the same way
    broken_ack = ACK[:10] + JUNK + ACK[10:]
    assert feed_all([broken_ack + CELL32]) == [CELL32]


def test_glued_ack_after_a_frame() -> None:
    # batmon's dummy: a settings frame with the 0xC8 ack glued on (320 bytes)
    data = raw("batmon_dummy_24s_settings")
    assert len(data) == 320
    out = feed_all([data])
    assert out == [data[:300], data[300:]]
    assert out[1][4] == 0xC8 and sum_ok(out[1])
    # ESPHome's ack capture: the ack followed by the module's AT\r\n
    assert feed_all([raw("esp_doc_ack_c8")]) == [ACK]
    # aiobmsble's v19.05 device info + ack + AT\r\n, in 128-byte notifications
    data = raw("aio_jk02_32s_v19_05_devinfo")
    out = feed_all([data[i : i + 128] for i in range(0, len(data), 128)])
    assert out == [data[:300], data[300:320]]


@pytest.mark.parametrize("name", ["cell32", "settings32", "devinfo24", "ack"])
def test_truncated_frame_followed_by_a_good_one(name: str) -> None:
    good = SAMPLES[name]
    for cut in range(4, len(good)):
        stream = good[:cut] + good
        out = feed_all([stream])
        assert out == [good], f"truncated after {cut} bytes"
        out = feed_all([stream[i : i + 20] for i in range(0, len(stream), 20)])
        assert out == [good], f"truncated after {cut} bytes, 20-byte chunks"


def test_every_captured_frame_comes_out_on_its_own() -> None:
    for entry in FRAMES:
        data = bytes.fromhex(entry["hex"])
        n = 300 if data[:4] == RESP else 20
        out = feed_all([data[:n]])
        assert out == ([data[:n]] if entry["checksum_ok"] else []), entry["id"]


def test_header_bytes_inside_a_frame_do_not_lose_it() -> None:
    # a valid frame whose data happens to hold a header pattern: it is held
    # until the bytes after it show no valid frame starts there, then it comes out
    frame = bytearray(SETTINGS32)
    frame[200:204] = RESP  # inside the unused part of the settings frame
    frame[299] = sum(frame[:299]) & 0xFF
    frame = bytes(frame)
    assert valid_jk_frame(frame)
    reader = JkFrameReader()
    out = feed_all([frame, CELL32], reader)
    assert out == [frame, CELL32]


def test_corrupt_capture_is_dropped_and_reader_recovers() -> None:
    corrupt = raw("batmon_issue377_corrupt_cell")
    assert not sum_ok(corrupt[:300])
    assert feed_all([corrupt + CELL32]) == [CELL32]


def test_reset_forgets_a_partial_frame() -> None:
    reader = JkFrameReader()
    assert reader.feed(CELL32[:200]) == []
    reader.reset()
    assert reader.feed(CELL32[200:]) == []
    assert [f.data for f in reader.feed(CELL24)] == [CELL24]


# --- hypothesis ----------------------------------------------------------------------------
def _chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    out, last = [], 0
    for p in points:
        out.append(data[last:p])
        last = p
    out.append(data[last:])
    return out


# streams built from pieces that make a reader work: random bytes, bare
# headers, whole frames, truncated frames and frames with a flipped byte
_piece = st.one_of(
    st.binary(max_size=64),
    st.sampled_from([RESP, CMD, JUNK, RESP[:3], CMD[:2]]),
    st.sampled_from(list(SAMPLES.values())),
    st.tuples(st.sampled_from(list(SAMPLES.values())), st.integers(1, 299)).map(lambda t: t[0][: t[1]]),
    st.tuples(st.sampled_from(list(SAMPLES.values())), st.integers(0, 299), st.integers(1, 255)).map(
        lambda t: t[0][: t[1]] + bytes([t[0][t[1] % len(t[0])] ^ t[2]]) + t[0][t[1] + 1 :]
    ),
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(_piece, max_size=12), cuts=st.lists(st.integers(0, 5000), max_size=40))
def test_fuzz_never_raises_and_yields_only_valid_frames(pieces: list[bytes], cuts: list[int]) -> None:
    stream = b"".join(pieces)
    reader = JkFrameReader()
    for chunk in _chunks(stream, cuts):
        for frame in reader.feed(chunk):
            assert valid_jk_frame(frame.data), frame.data.hex()
            assert frame.frame_type == ("command" if frame.data[:4] == CMD else frame.data[4])


@settings(max_examples=250, deadline=None)
@given(data=st.binary(max_size=2000), cuts=st.lists(st.integers(0, 2000), max_size=30))
def test_fuzz_random_bytes(data: bytes, cuts: list[int]) -> None:
    reader = JkFrameReader()
    for chunk in _chunks(data, cuts):
        for frame in reader.feed(chunk):
            assert valid_jk_frame(frame.data)
    assert len(reader._buf) <= JkFrameReader.MAX_BUFFER  # bounded memory


_junk = st.binary(max_size=400).filter(lambda b: RESP not in b and CMD not in b)


@settings(max_examples=250, deadline=None)
@given(
    frame=st.sampled_from(list(SAMPLES.values())),
    before=_junk,
    after=_junk,
    cuts=st.lists(st.integers(0, 1200), max_size=40),
)
def test_fuzz_frame_in_junk_found_exactly_once(
    frame: bytes, before: bytes, after: bytes, cuts: list[int]
) -> None:
    stream = before + frame + after
    # no header may appear anywhere but where the frame's own headers are
    # (junk could otherwise combine with the frame's edges into one)
    assume(stream.count(RESP) == frame.count(RESP) and stream.count(CMD) == frame.count(CMD))
    assert feed_all(_chunks(stream, cuts)) == [frame]


# --- build_command --------------------------------------------------------------------------
COMMANDS = [e for e in FRAMES if e["frame_type"] == "command" and e["checksum_ok"]]


def _stated_value(entry: dict[str, Any]) -> int:
    exp = entry["expected"]
    if "value_raw_hex" in exp:
        return int.from_bytes(bytes.fromhex(exp["value_raw_hex"]), "little", signed=True)
    return exp.get("value", 0)


@pytest.mark.parametrize("entry", COMMANDS, ids=[e["id"] for e in COMMANDS])
def test_build_command_reproduces_captures(entry: dict[str, Any]) -> None:
    captured = bytes.fromhex(entry["hex"])
    exp = entry["expected"]
    ours = build_command(exp["register"], _stated_value(entry), exp["length"])
    assert len(ours) == 20 and sum_ok(ours)
    n = 6 + exp["length"]
    assert ours[:n] == captured[:n]
    # zero filler after the value (what ESPHome, aiobmsble and batmon send)
    assert ours[n:19] == bytes(19 - n)
    if not any(captured[n:19]):  # a zero-filled capture is reproduced byte for byte
        assert ours == captured


def test_esphome_write_is_byte_identical() -> None:
    captured = raw("issue276_esphome_write_ovpr")
    assert build_command(0x05, 3900, 4) == captured
    # and from the canonical key, as the session writes it
    assert get_protocol("jk02_32s").encode_write("cell_ovp_recovery_v", 3.9) == captured


#: captured writes whose setting our schema knows: frame id -> (key, value in canonical units)
WRITES = {
    "issue276_cmd_13_0": ("jk02_32s", "balance_max_current_a", 0.3),
    "issue276_cmd_0c_1": ("jk02_32s", "charge_ocp_a", 3.0),
    "issue276_cmd_21_9": ("jk02_32s", "short_circuit_delay_us", 2000),
    "issue276_cmd_19_16": ("jk02_32s", "charge_utp_recovery_c", -9.0),
    "issue276_cmd_1a_17": ("jk02_32s", "mos_otp_c", 99.0),
    "mpp_cap_cmd_balance_start_2v5": ("jk02_24s", "balance_start_v", 2.5),
    "esp_cap_cmd_39_8": ("jk02_32s", "jk_smart_sleep_h", 23),
    "esp_doc_cmd_heating_37": ("jk02_32s", "jk_heating_start_c", 3),
    "esp_doc_cmd_precharge_5": ("jk02_32s", "jk_precharge_time_s", 5),
    "esp_cap_cmd_32_1": ("jk02_32s", "jk_dry_arm_intermittent", True),
    "esp_cap_cmd_2a_6": ("jk02_32s", "jk_port_rs485", False),
    "esp_btsnoop_heating_settin_27_00000000": ("jk02_32s", "heating_switch", False),
}


@pytest.mark.parametrize("frame_id", list(WRITES))
def test_encode_write_matches_vendor_captures(frame_id: str) -> None:
    pid, key, value = WRITES[frame_id]
    assert PID[by_id(frame_id)["protocol"]] == pid
    captured = raw(frame_id)
    ours = get_protocol(pid).encode_write(key, value)
    n = 6 + captured[5]
    assert ours[:n] == captured[:n], f"{ours.hex()} vs {captured.hex()}"
    assert sum_ok(ours)


def test_build_command_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        build_command(0x100)
    with pytest.raises(ValueError):
        build_command(0x05, 1 << 32, 4)
    with pytest.raises(ValueError):
        build_command(0x05, 1, 3)
    with pytest.raises(ValueError):
        build_command(0x05, b"x" * 14)
