"""The ANT protocols as the session sees them: scripts (settings read, password, save),
write frames and their reply checks, the schemas, redaction, URL options, the registry
and ``packbench decode``.

The scripts are driven here against small in-test boards that answer with frames built
by the family's own encoders and read back by its decoder, so each exchange runs through
real bytes.  What the boards do comes from ../shared/protocols/ant_xiaomi.md (section
numbers in the tests); the captured frames are in tests/data/ant_frames.json.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.model import Settings
from app.model.labels import LABELS
from app.protocols import get_protocol, protocol_ids
from app.protocols.ant import encode as enc
from app.protocols.ant import framing as fr
from app.protocols.ant import legacy as leg
from app.protocols.ant import schema
from app.protocols.ant.decode import status_values
from app.protocols.base import PasswordRefused, Script, ScriptError

DATA = Path(__file__).parent / "data" / "ant_frames.json"
BY_ID = {e["id"]: bytes.fromhex(e["hex"]) for e in json.loads(DATA.read_text(encoding="utf-8"))["frames"]}
P21 = get_protocol("ant_2021")
PLEG = get_protocol("ant_legacy")


def run(script: Script, board: Callable[[bytes], bytes | None], protocol: Any) -> tuple[Any, list[bytes]]:
    """Send each step's frame to ``board``, decode its answer, give it back if the step
    accepts it (None otherwise, as the session does after the timeout)."""
    sent: list[bytes] = []
    try:
        step = script.send(None)
        while True:
            sent.append(step.frame)
            raw = board(step.frame)
            message = protocol.decode(raw) if raw is not None else None
            step = script.send(message if message is not None and step.answers(message) else None)
    except StopIteration as stop:
        return stop.value, sent


class Board2021:
    """A 2021 board: settings memory (the 16ZMUB block at 0x00), status with a permission
    byte, an optional password, 0x22 echo, 0x51 ACK (§2.1, §2.7–§2.9)."""

    def __init__(self, permission: int = 5, password: str | None = None, granted: int = 5):
        self.memory = bytearray(0x200)
        block = BY_ID["ant21_settings_block_0000_len56_16zmub"]
        self.memory[0:56] = block[6:62]
        self.memory[0x9A:0x9C] = (16).to_bytes(2, "little")
        self.permission, self.password, self.granted = permission, password, granted
        self.saved = 0
        self.status = status_values(BY_ID["ant21_status_16s_esphome"])

    def __call__(self, frame: bytes) -> bytes | None:
        assert fr.check_2021(frame) is None
        func, address, n = frame[2], int.from_bytes(frame[3:5], "little"), frame[5]
        if func == 0x01:
            return enc.status_reply(dict(self.status, permission=self.permission))
        if func == 0x02:
            return enc.reply(0x12, address, bytes(self.memory[address : address + n]))
        if func == 0x22:
            self.memory[address : address + n] = frame[6 : 6 + n]
            return enc.ack(frame)
        if func == 0x23:
            ok = frame[6 : 6 + n].decode() == self.password
            if ok:
                self.permission = self.granted
            return enc.ack(frame, 5 if ok else 0)
        if func == 0x51:
            self.saved += address == 0x07
            return enc.ack(frame)
        return None


def _funcs(sent: list[bytes]) -> list[int]:
    return [f[2] for f in sent]


# --- 2021 settings -------------------------------------------------------------------------
def test_settings_script_reads_the_blocks_and_the_switches() -> None:
    board = Board2021()
    result, sent = run(P21.settings_script(None, False), board, P21)
    assert isinstance(result, Settings) and not result.partial
    assert sent == [enc.read_settings(a, n) for a, n in schema.READ_BLOCKS_2021] + [enc.status_request()]
    assert result.values["cell_ovp_v"] == 3.65 and result.values["pack_ovp_v"] == 60.8
    assert result.values["cell_count"] == 16
    assert result.values["charge_switch"] is True and result.values["discharge_switch"] is True
    numeric = {s.key for s in schema.NUMERIC_2021}
    assert numeric <= set(result.values)


def test_settings_script_for_some_keys_reads_only_their_block() -> None:
    result, sent = run(P21.settings_script(None, False, keys=["cell_ovp_v"]), Board2021(), P21)
    assert sent == [enc.read_settings(0x00, 52)]
    assert result.partial and result.values == {"cell_ovp_v": 3.65}


def test_a_silent_optional_block_is_tolerated_a_silent_main_block_is_not() -> None:
    board = Board2021()

    def without_ebike(frame: bytes) -> bytes | None:
        return None if frame[2] == 0x02 and frame[3:5] == b"\x7a\x01" else board(frame)

    result, _ = run(P21.settings_script(None, False), without_ebike, P21)
    assert "ant_tyre_length_mm" not in result.values and "cell_ovp_v" in result.values
    with pytest.raises(ScriptError):
        run(P21.settings_script(None, False), lambda f: None if f[2] == 0x02 else board(f), P21)


# --- 2021 password gate (§2.9) -------------------------------------------------------------
def test_no_password_sent_when_the_board_grants_the_level() -> None:
    """Every capture: permission byte 5, writes taken without any 0x23 frame."""
    result, sent = run(P21.open_write_script("12345678"), Board2021(permission=5), P21)
    assert result == 5 and _funcs(sent) == [0x01]


def test_locked_board_without_a_password_refuses_and_sends_nothing() -> None:
    with pytest.raises(PasswordRefused):
        run(P21.open_write_script(None), Board2021(permission=0), P21)


def test_locked_board_takes_the_password_once_at_the_parameter_slot() -> None:
    board = Board2021(permission=0, password="123456789abc")
    result, sent = run(P21.open_write_script("123456789abc"), board, P21)
    assert result == 5 and _funcs(sent) == [0x01, 0x23, 0x01]
    assert sent[1] == enc.password(5, "123456789abc") and sent[1][3:5] == b"\x6a\x01"


def test_wrong_password_is_tried_once_and_nothing_is_written() -> None:
    board = Board2021(permission=0, password="123456789abc")
    sent: list[bytes] = []

    def recording(frame: bytes) -> bytes | None:
        sent.append(frame)
        return board(frame)

    with pytest.raises(PasswordRefused):
        run(P21.open_write_script("12345678"), recording, P21)
    assert _funcs(sent) == [0x01, 0x23] and 0x22 not in _funcs(sent)


def test_password_taken_but_level_too_low_is_refused() -> None:
    board = Board2021(permission=0, password="12345678", granted=1)
    with pytest.raises(PasswordRefused, match="grants level 1"):
        run(P21.open_write_script("12345678"), board, P21)


def test_param_level_option_uses_the_user_slot() -> None:
    proto = P21.bind({"param_level": "1"})
    board = Board2021(permission=0, password="12345678", granted=1)
    result, sent = run(proto.open_write_script("12345678"), board, proto)
    assert result == 1 and sent[1] == enc.password(1, "12345678") and sent[1][3:5] == b"\x4a\x01"


# --- 2021 writes and save (§2.7, §4.6) -----------------------------------------------------
def test_write_echo_is_checked_by_value() -> None:
    frame = P21.encode_write("cell_ovp_v", 3.6)
    good = P21.decode(enc.ack(frame))
    other = P21.decode(enc.ack(P21.encode_write("cell_ovp_v", 3.5)))
    assert P21.reply_matcher(frame)(good) and not P21.reply_matcher(frame)(other)


def test_writes_then_one_save() -> None:
    board = Board2021()
    for key, value in (("cell_ovp_v", 3.6), ("capacity_nominal_ah", 280)):
        (frame,) = P21.write_requests(key, value)
        assert P21.reply_matcher(frame)(P21.decode(board(frame)))
    assert board.saved == 0
    _, sent = run(P21.close_write_script(save=True), board, P21)
    assert sent == [BY_ID["ant21_cmd_0x07_save_16zmub"]] and board.saved == 1
    result, _ = run(P21.settings_script(None, False, keys=["cell_ovp_v", "capacity_nominal_ah"]), board, P21)
    assert result.values == {"cell_ovp_v": 3.6, "capacity_nominal_ah": 280.0}
    assert bytes(board.memory[0xA2:0xA6]) == (280_000_000).to_bytes(4, "little")
    assert P21.close_write_script(save=False) is None


def test_unconfirmed_save_is_an_error() -> None:
    with pytest.raises(ScriptError, match="saving"):
        run(P21.close_write_script(save=True), lambda f: None, P21)


def test_out_of_range_and_read_only_writes_are_refused() -> None:
    with pytest.raises(ValueError):
        P21.write_requests("cell_ovp_v", 9.0)
    with pytest.raises(KeyError):
        P21.write_requests("ant_cell_type", 1)
    with pytest.raises(KeyError):
        P21.write_requests("no_such_key", 1)
    with pytest.raises(ValueError):
        PLEG.write_requests("charge_ocp_delay_s", 101)  # the app's limit (§1.4)


def test_remaining_capacity_command() -> None:
    frame = P21.encode_remaining_capacity(100.5)
    assert frame == enc.write_settings(0xA6, (100_500_000).to_bytes(4, "little"))


# --- legacy settings and writes (§1.4) -----------------------------------------------------
class BoardLegacy:
    """Answers ``5A 5A addr 00 00`` with ``5A 5A addr hi lo cs`` (VBMS, §1.2)."""

    def __init__(self, words: dict[int, int]):
        self.words = dict(words)
        self.written: list[tuple[int, int]] = []

    def __call__(self, frame: bytes) -> bytes | None:
        assert fr.check_legacy(frame) is None
        if frame == PLEG.poll_requests()[0]:
            return BY_ID["antleg_status_14s_model2019"]
        if frame[:2] == fr.READ:
            return fr.short_frame(fr.READ, frame[2], self.words.get(frame[2], 0))
        if frame[:2] == fr.WRITE:
            self.written.append((frame[2], int.from_bytes(frame[3:5], "big")))
        return None


def test_legacy_settings_script_reads_every_address_and_joins_32_bit_words() -> None:
    words = {3: 3650, 4: 2500, 24: 16, 31: 280_000_000 & 0xFFFF, 32: 280_000_000 >> 16, 37: (-5) & 0xFFFF}
    result, sent = run(PLEG.settings_script(None, False), BoardLegacy(words), PLEG)
    assert sent[:-1] == [leg.read_parameter(a) for a in schema.LEGACY_ADDRESSES]
    assert sent[-1] == PLEG.poll_requests()[0]
    v = result.values
    assert (v["cell_ovp_v"], v["cell_uvp_v"], v["cell_count"]) == (3.65, 2.5, 16)
    assert v["capacity_nominal_ah"] == 280.0 and v["charge_utp_c"] == -5
    assert v["charge_otp_c"] == 0  # a zero reply looks like the request itself: still read
    assert v["charge_switch"] is True and v["discharge_switch"] is True


def test_legacy_write_low_word_first_then_apply() -> None:
    frames = PLEG.write_requests("capacity_nominal_ah", 280)
    raw = 280_000_000
    assert frames == [
        leg.write_parameter(31, raw & 0xFFFF),
        leg.write_parameter(32, raw >> 16),
        BY_ID["antleg_cmd_apply_ff"],
    ]
    assert PLEG.write_requests("cell_ovp_v", 3.65) == [
        bytes.fromhex("a5a5030e4253"),
        BY_ID["antleg_cmd_apply_ff"],
    ]


def test_legacy_password_once_or_not_at_all() -> None:
    board = BoardLegacy({})
    _, sent = run(PLEG.open_write_script("12345678"), board, PLEG)
    assert sent == leg.password_frames("12345678")
    assert [a for a, _ in board.written] == [0xF1, 0xF2, 0xF3, 0xF4]
    assert PLEG.open_write_script(None) is None
    with pytest.raises(ScriptError):
        run(PLEG.open_write_script("1234"), board, PLEG)  # 8 characters or nothing is sent
    assert len(board.written) == 4


# --- redaction -------------------------------------------------------------------------------
def test_redact_blanks_passwords_keeps_checksums() -> None:
    auth = BY_ID["ant21_auth_aiobmsble_12345678"]
    blank = P21.redact(auth)
    assert fr.check_2021(blank) is None and b"1234" not in blank and len(blank) == len(auth)
    assert P21.decode(blank).extra["password_length"] == 8
    for fid in ("antleg_cmd_a5a5f1313254", "antleg_cmd_a5a5f4373863"):
        red = PLEG.redact(BY_ID[fid])
        assert fr.check_short(red) is None and red[3:5] == b"\x00\x00" and red[2] == BY_ID[fid][2]
    for other in (BY_ID["ant21_req_status"], BY_ID["antleg_cmd_a5a5fa0001fb"]):
        assert P21.redact(other) == other and PLEG.redact(other) == other


# --- schema -----------------------------------------------------------------------------------
def test_2021_rows_do_not_overlap_and_every_one_is_read() -> None:
    spans = sorted((s.register, s.register + s.width, s.key) for s in schema.NUMERIC_2021)
    for (_a0, a1, k), (b0, _b1, k2) in zip(spans, spans[1:], strict=False):
        assert a1 <= b0, (k, k2)
    for s in schema.NUMERIC_2021:
        blocks = [
            b for b in schema.READ_BLOCKS_2021 if b[0] <= s.register and s.register + s.width <= b[0] + b[1]
        ]
        assert len(blocks) == 1, s.key


@pytest.mark.parametrize("rows", [schema.SCHEMA_2021, schema.SCHEMA_LEGACY], ids=["2021", "legacy"])
def test_schema_rows_are_complete(rows: list[Any]) -> None:
    keys = [s.key for s in rows]
    assert len(keys) == len(set(keys))
    for s in rows:
        assert s.key.startswith("ant_") or s.key in LABELS, f"{s.key}: not a canonical key"
        assert s.label, s.key
        if s.kind == "number":
            assert s.minimum is not None and s.maximum is not None and s.step, s.key
            assert s.width in (2, 4), s.key
        if not s.writable:
            assert s.help, f"{s.key}: a read-only row says why"


def test_2021_rows_round_trip_through_the_memory() -> None:
    memory = bytearray(0x200)
    want: dict[str, Any] = {}
    for s in schema.NUMERIC_2021:
        value = s.maximum if s.maximum is not None else 1
        raw = schema.raw_of(s, value)
        memory[s.register : s.register + s.width] = raw.to_bytes(s.width, "little")
        want[s.key] = schema.value_of(s, raw)
    got: dict[str, Any] = {}
    for address, length in schema.READ_BLOCKS_2021:
        got.update(schema.decode_block_2021(address, bytes(memory[address : address + length])))
    assert got == want


def test_legacy_signed_temperatures_round_trip() -> None:
    ((address, raw),) = schema.encode_legacy("discharge_utp_c", -20)
    assert address == 39 and raw == 0xFFEC
    assert schema.decode_words_legacy({39: raw})["discharge_utp_c"] == -20


# --- options, registry, CLI --------------------------------------------------------------------
def test_bind_options() -> None:
    assert P21.bind({}) is P21 and PLEG.bind({}) is PLEG
    assert P21.bind({"mos_order": "charge_first"}).options.discharge_first is False
    assert PLEG.bind({"request": "5a5a"}).poll_requests() == [BY_ID["antleg_req_status_uart"]]
    for bad in ({"mos_order": "sideways"}, {"param_level": "7"}, {"current_sign": "up"}):
        with pytest.raises(ValueError):
            P21.bind(bad)
    with pytest.raises(ValueError):
        PLEG.bind({"request": "ffff"})


def test_registry_and_descriptors() -> None:
    assert {"ant_2021", "ant_legacy"} <= set(protocol_ids())
    assert get_protocol("ant") is P21 and get_protocol("ANT-2021") is P21
    for proto in (P21, PLEG):
        assert proto.family == "ant" and not proto.streaming and proto.password_check == "board"
        assert proto.ble_service_uuid.startswith("0000ffe0") and proto.default_baud == 19200
    assert P21.identify_requests() == [BY_ID["ant21_req_devinfo"]]
    assert P21.poll_requests() == [BY_ID["ant21_req_status"]]
    assert {"preset_lifepo4", "preset_lto", "restart", "shutdown", "factory_reset"} <= set(PLEG.actions())
    assert {"restart", "shutdown", "factory_reset"} <= set(P21.actions())
    # the current zero (2021 0x08, legacy 0xF8) is a calibration with no meter reading
    assert P21.calibration_kinds() == PLEG.calibration_kinds() == ("current_zero",)


@pytest.mark.parametrize(
    "protocol, fid, kind",
    [
        ("ant_2021", "ant21_status_16s_esphome", "live"),
        ("ant_2021", "ant21_write_0x0000_3650mv_16zmub", "command"),
        ("ant_legacy", "antleg_status_14s_model2019", "live"),
        ("ant_legacy", "antleg_cmd_a5a5fa0001fb", "command"),
    ],
)
def test_packbench_decode(protocol: str, fid: str, kind: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["decode", "--protocol", protocol, "--hex", BY_ID[fid].hex(" ")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["protocol"] == protocol and out["kind"] == kind


def test_packbench_decode_refuses_a_bad_checksum(capsys: pytest.CaptureFixture) -> None:
    frame = bytearray(BY_ID["ant21_status_16s_esphome"])
    frame[20] ^= 1
    assert main(["decode", "--protocol", "ant_2021", "--hex", frame.hex()]) == 1
    assert "checksum" in json.loads(capsys.readouterr().out)["error"]
