"""The ``m365`` and ``ninebot`` protocols beyond the captures: registers the captures do not
cover (status bits, signs, byte order, cells 11-15), the per-device options for the
research's conflicts, the read scripts, read-only refusals, secrets and ``decode``.

Frames here are built with the test's own builder (tests/test_xiaomi_frames.py, the
rule of ant_xiaomi.md §3.2/§3.3); each expected value cites the research section or
source that states it.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.model import Ack, Command, DeviceInfo, RegisterValue, Settings, Snapshot
from app.protocols import DecodeError, get_protocol, protocol_ids
from app.protocols.base import ScriptError
from app.protocols.xiaomi import (
    CELLS_READ,
    INFO_READ,
    READ_ONLY_REASON,
    STATUS_READ,
    WriteRefused,
    looks_like,
)
from app.protocols.xiaomi import framing as fr
from app.protocols.xiaomi.registers import BMS_ROWS, encode_image, window
from tests.test_xiaomi_frames import GOOD, build, pid, raw, valid

M365, NINEBOT = get_protocol("m365"), get_protocol("ninebot")


def words(*values: int) -> bytes:
    return b"".join((v & 0xFFFF).to_bytes(2, "little") for v in values)


def bms_reply(index: int, data: bytes, protocol: str = "m365", src: int = 0x22) -> bytes:
    """A BMS read reply: Xiaomi ADDR 0x25 CMD 0x01 (§3.2); Ninebot SRC→0x3D CMD 0x04 (§3.3)."""
    if protocol == "m365":
        return build("m365", bytes([0x25, 0x01, index]), data)
    return build("ninebot", bytes([src, 0x3D, 0x04, index]), data)


def live(frame: bytes, protocol: Any = M365) -> Snapshot:
    snap = next(m for m in protocol.decode_all(frame) if isinstance(m, Snapshot))
    return snap


# --- the registry -----------------------------------------------------------------------------
def test_registered_with_the_bus_facts() -> None:
    assert {"m365", "ninebot"} <= set(protocol_ids())
    for p in (M365, NINEBOT):
        assert p.family == "xiaomi"
        assert p.default_baud == 115200  # §3.1: 115200 8N1
        assert not p.streaming and p.transports == ("serial", "sim")
        assert p.ble_service_uuid is None  # BLE only through the dashboard's crypto (§3.6)
    assert get_protocol("xiaomi") is M365 and get_protocol("segway") is NINEBOT


# --- status register 0x30 (§3.4 bit list) -------------------------------------------------------
def status(bits: int) -> Snapshot:
    return live(bms_reply(0x30, words(bits)))


def test_status_bits_that_are_states_are_flags_not_alarms() -> None:
    # 0 config valid, 1 activated, 3 charging enabled, 4 write lock, 5 discharging,
    # 6 charging, 7 charger inserted
    snap = status(0b1111_1011)
    assert snap.alarms == []
    for name in (
        "xiaomi_config_valid",
        "xiaomi_activated",
        "xiaomi_charging_enabled",
        "xiaomi_write_lock",
        "xiaomi_discharging",
        "xiaomi_charging",
        "xiaomi_charger_inserted",
    ):
        assert snap.extra[name] is True, name
    assert snap.extra["xiaomi_status_bits"] == 0b1111_1011


@pytest.mark.parametrize(
    "bit, alarms, flag",
    [
        (8, ["cell_undervoltage"], "xiaomi_undervoltage"),  # "discharge error", Kostanoy: under-voltage
        (9, ["cell_overvoltage"], "xiaomi_overvoltage"),  # over-voltage detected
        (10, ["charge_overtemperature", "discharge_overtemperature"], "xiaomi_overheat"),
        (14, ["cell_undervoltage"], "xiaomi_deep_undervoltage"),  # deep under-voltage error
        (2, ["xiaomi_bit_2"], "xiaomi_charge_protection"),  # named, no canonical id
        (13, ["xiaomi_bit_13"], "xiaomi_charge_error"),
        (11, ["xiaomi_bit_11"], None),
        (12, ["xiaomi_bit_12"], None),
        (15, ["xiaomi_bit_15"], None),
    ],
)
def test_status_fault_bits(bit: int, alarms: list[str], flag: str | None) -> None:
    snap = status(1 << bit)
    assert snap.alarms == alarms
    if flag:
        assert snap.extra[flag] is True
    assert snap.extra["xiaomi_charging"] is False


# --- the current's sign (§3.4 CONFLICT) ---------------------------------------------------------
def test_current_is_positive_while_charging_by_default() -> None:
    # BotoX's firmware sets status bit 6 (charging) when its bq769x0 current is positive
    # and sends current = -batCurrent: charging shows as a negative word (main.cpp).
    # Packbench's current_a is + while charging (vocabulary.md).
    snap = live(bms_reply(0x30, words(1 << 6, 7000, 70, -300, 4000)))
    assert snap.extra["xiaomi_charging"] is True
    assert snap.current_a == pytest.approx(3.0)
    assert snap.power_w is None or snap.power_w > 0
    discharging = live(bms_reply(0x33, words(1250)))
    assert discharging.current_a == pytest.approx(-12.5)


def test_current_sign_option_for_packs_that_count_the_other_way() -> None:
    flipped = M365.bind({"current_sign": "charge_positive"})
    assert live(bms_reply(0x33, words(1250)), flipped).current_a == pytest.approx(12.5)
    assert live(bms_reply(0x33, words(0)), M365).current_a == 0  # never -0.0
    with pytest.raises(ValueError, match="current_sign"):
        M365.bind({"current_sign": "sideways"})


# --- temperatures (§3.4: one byte each, °C + 20, byte order CONFLICT) ------------------------
def test_temperature_bytes_low_first_by_default_and_switchable() -> None:
    frame = bms_reply(0x35, bytes([45, 30]))  # 25 °C and 10 °C
    assert live(frame).temperatures_c == [25.0, 10.0]  # HJ tool, BotoX: T1 = low byte
    assert live(frame, M365.bind({"temp_order": "high_first"})).temperatures_c == [10.0, 25.0]
    with pytest.raises(ValueError, match="temp_order"):
        NINEBOT.bind({"temp_order": "middle"})


def test_an_impossible_temperature_is_left_to_plausible() -> None:
    snap = live(bms_reply(0x35, bytes([0xFF, 45])))  # 235 °C: no NTC reads that
    assert snap.temperatures_c == [25.0]
    assert snap.implausible == {"temperatures_c[1]": 235.0}


# --- cells (§3.4: 1-10, and 11-15 on 12S/custom packs, 0 or 0xFFFF when absent) ---------------
def cells(*mv: int) -> Snapshot:
    return live(bms_reply(0x40, words(*mv)))


def test_cells_11_to_15_only_when_present() -> None:
    ten = [4000 + i for i in range(10)]
    assert len(cells(*ten, 0, 0, 0, 0, 0).cell_voltages_v) == 10
    assert len(cells(*ten, 0xFFFF, 0xFFFF, 0, 0, 0).cell_voltages_v) == 10
    twelve = cells(*ten, 4011, 4012, 0, 0xFFFF, 0)
    assert twelve.cell_voltages_v[-2:] == [4.011, 4.012]
    assert len(twelve.cell_voltages_v) == 12
    assert twelve.partial is False  # the cells complete a snapshot


def test_a_stock_cell_reading_zero_is_kept_in_its_place() -> None:
    # cells 1-10 always exist on the stock pack: a lead off reads 0 V and stays cell 5
    snap = cells(4000, 4000, 4000, 4000, 0, 4000, 4000, 4000, 4000, 4000)
    assert snap.cell_voltages_v[4] == 0.0 and len(snap.cell_voltages_v) == 10


def test_an_impossible_cell_drops_the_list() -> None:
    snap = cells(4000, 4000, 0xFFFF, 4000, 4000, 4000, 4000, 4000, 4000, 4000)
    assert snap.cell_voltages_v == []
    assert snap.implausible == {"cell_voltages_v[3]": 65.535}


def test_a_window_starting_past_cell_1_gives_no_cells() -> None:
    assert live(bms_reply(0x42, words(4000, 4001))).cell_voltages_v == []


def test_balancing_bitmap() -> None:
    snap = live(bms_reply(0x36, words(0b101)))  # bit 0 = cell 1 (§3.4 0x36)
    assert snap.balancing_cells == [1, 3] and snap.balancing_active is True


# --- the info block --------------------------------------------------------------------------
PACK = {
    "serial_number": "16133/00123456",
    "software_version": "1.1.5",
    "capacity_nominal_ah": 7.8,
    "capacity_full_ah": 7.1,
    "xiaomi_nominal_voltage_v": 36.0,
    "cycles": 42,
    "xiaomi_charge_count": 120,
    "manufacture_date": "2017-07-09",
    "xiaomi_status_bits": 1 << 6,
    "capacity_remaining_ah": 5.0,
    "soc_pct": 70,
    "xiaomi_current_raw_a": -1.5,
    "pack_voltage_v": 38.5,
    "xiaomi_temperature_bytes": (45, 44),
    "soh_pct": 91,
    **{f"cell_{i}_mv": 3850 for i in range(1, 11)},
}
IMAGE = encode_image(BMS_ROWS, PACK)


def test_info_read_gives_device_info_settings_and_live_parts() -> None:
    index, n = INFO_READ
    messages = M365.decode_all(bms_reply(index, window(IMAGE, index, n)))
    info, settings, snap = messages
    assert isinstance(info, DeviceInfo) and info.partial
    assert (info.serial_number, info.software_version, info.manufacture_date) == (
        "16133/00123456",
        "1.1.5",
        "2017-07-09",
    )
    assert isinstance(settings, Settings) and not settings.partial
    assert settings.values == {"capacity_nominal_ah": 7.8, "xiaomi_nominal_voltage_v": 36.0}
    assert isinstance(snap, Snapshot) and snap.partial
    assert (snap.capacity_full_ah, snap.cycles, snap.extra["xiaomi_charge_count"]) == (7.1, 42, 120)


def test_an_unset_date_is_left_out_and_a_pcb_nibble_shows() -> None:
    # word 0x20 = 0 has month 0: no date; version 0x1115 = PCB 1, 1.1.5 (HJ tool)
    info = M365.decode(bms_reply(0x17, words(0x1115) + words(0) * 8 + words(0)))
    assert isinstance(info, DeviceInfo)
    assert info.software_version == "1.1.1.5" and info.manufacture_date is None


def test_a_read_of_an_unmapped_area_keeps_its_words() -> None:
    (message,) = NINEBOT.decode_all(bms_reply(0x80, words(1, 2, 3), "ninebot"))
    assert isinstance(message, RegisterValue)
    assert message.to_fields()["xiaomi_words"] == [1, 2, 3]


def test_external_pack_is_marked() -> None:
    index, n = STATUS_READ
    frame = bms_reply(index, window(IMAGE, index, n), "ninebot", src=0x23)
    assert live(frame, NINEBOT).extra["xiaomi_external_pack"] is True
    internal = bms_reply(index, window(IMAGE, index, n), "ninebot", src=0x22)
    assert "xiaomi_external_pack" not in live(internal, NINEBOT).extra


def test_write_acknowledgements() -> None:
    # py9b WriteRegs: one data byte, 1 = written, anything else = write-protected
    ok = M365.decode(build("m365", bytes([0x25, 0x02, 0x18]), b"\x01"))
    refused = NINEBOT.decode(build("ninebot", bytes([0x22, 0x3D, 0x05, 0x18]), b"\x00"))
    assert isinstance(ok, Ack) and ok.ok and ok.register == 0x18
    assert isinstance(refused, Ack) and not refused.ok and "write-protected" in refused.detail


# --- scripts: one request at a time (§3.1, §4 item 8) ------------------------------------------
def answer(protocol: Any, frame: bytes, image: bytes = IMAGE) -> list:
    """What a BMS holding ``image`` answers to ``frame``, decoded as the session would."""
    (command,) = protocol.decode_all(frame)
    assert isinstance(command, Command) and command.extra["operation"] == "read"
    src = getattr(protocol, "bms", 0x22)
    reply = bms_reply(command.register, window(image, command.register, command.length), protocol.id, src=src)
    # the builder a simulator will answer with makes the same frame
    assert fr.bms_reply(protocol.fmt, command.register, reply[-2 - command.length : -2], bms=src) == reply
    return protocol.decode_all(reply)


@pytest.mark.parametrize("protocol", [M365, NINEBOT], ids=["m365", "ninebot"])
def test_poll_script_reads_info_status_cells_and_completes_a_snapshot(protocol: Any) -> None:
    script = protocol.poll_script()
    step = script.send(None)
    sent, parts = [], []
    try:
        while not step.private:
            sent.append(step.frame)
            assert step.timeout_s <= 0.1 and step.retries >= 1  # 50-100 ms, retried
            (echo,) = protocol.decode_all(step.frame)
            assert not step.answers(echo)  # our own echo never answers a step
            replies = answer(protocol, step.frame)
            parts += [m for m in replies if isinstance(m, Snapshot)]
            step = script.send(next(m for m in replies if step.answers(m)))
        # ninebot, reading the internal pack, then asks for an external one at 0x23, once
        assert protocol is NINEBOT and step.frame == NINEBOT.bind({"address": "0x23"}).read(*STATUS_READ)
        assert step.timeout_s <= 0.1 and step.retries == 0
        script.send(None)  # no external pack answers
    except StopIteration as stop:
        if protocol is NINEBOT:
            assert stop.value.partial and stop.value.extra == {"xiaomi_second_pack": None}
    else:
        raise AssertionError("the script went on after the external pack stayed silent")
    assert sent == [protocol.read(*INFO_READ), protocol.read(*STATUS_READ), protocol.read(*CELLS_READ)]
    assert [p.partial for p in parts] == [True, True, False]
    assert parts[1].current_a == pytest.approx(1.5) and parts[1].soh_pct == 91
    assert parts[2].cell_voltages_v == [3.85] * 10


def test_settings_script_is_one_read_and_says_when_nothing_answers() -> None:
    script = NINEBOT.settings_script(None, False)
    step = script.send(None)
    assert step.frame == NINEBOT.read(*INFO_READ)
    reply = next(m for m in answer(NINEBOT, step.frame) if step.answers(m))
    with pytest.raises(StopIteration) as done:
        script.send(reply)
    result = done.value.value
    assert isinstance(result, Settings) and not result.partial and result.protocol == "ninebot"
    assert result.values["capacity_nominal_ah"] == 7.8
    silent = M365.settings_script(None, False)
    silent.send(None)
    with pytest.raises(ScriptError, match="did not answer"):
        silent.send(None)


def test_external_pack_and_host_are_bound_per_connection() -> None:
    external = NINEBOT.bind({"address": "0x23", "host": "0x3e"})
    assert external.read(0x30, 0x20)[3:5] == bytes([0x3E, 0x23])
    assert NINEBOT.bind({}) is NINEBOT and M365.bind({"address": "0x22"}) is M365
    with pytest.raises(ValueError, match="ninebot"):
        M365.bind({"address": "0x23"})  # 0x23 is the ESC's reply address in 55 AA frames
    with pytest.raises(ValueError, match="0x22"):
        NINEBOT.bind({"address": "7"})
    with pytest.raises(ValueError, match="bus address"):
        NINEBOT.bind({"host": "me"})


def test_session_can_drop_the_echo_of_every_scripted_request() -> None:
    reader = M365.new_reader()
    for frame in M365.poll_requests() + M365.identify_requests():
        reader.note_sent(frame)
        assert reader.feed(frame) == []


# --- read-only (§3.5) --------------------------------------------------------------------------
@pytest.mark.parametrize("protocol", [M365, NINEBOT], ids=["m365", "ninebot"])
def test_every_write_is_refused_with_the_reason(protocol: Any) -> None:
    calls = [
        lambda: protocol.write_requests("capacity_nominal_ah", 7.8),
        lambda: protocol.encode_write("capacity_nominal_ah", 7.8),
        lambda: protocol.encode_action("restart"),
        lambda: protocol.encode_calibration("current", 1.0),
        lambda: protocol.encode_remaining_capacity(1.0),
        lambda: protocol.encode_soc(50.0, datetime(2024, 5, 1)),
        lambda: protocol.encode_clock(datetime(2024, 5, 1), None),
    ]
    for call in calls:
        with pytest.raises(WriteRefused) as refused:
            call()
        # ant_xiaomi.md §3.5: no documented safe write, status bit 4 is a write lock
        assert "read-only" in str(refused.value) and "write lock" in str(refused.value)
        assert isinstance(refused.value, NotImplementedError)  # what services/writer.py catches
    assert protocol.actions() == () and protocol.calibration_kinds() == ()
    assert not protocol.has_emergency() and not protocol.has_remaining_capacity
    assert protocol.read_only_reason == READ_ONLY_REASON


def test_schema_rows_are_read_only_with_their_reason() -> None:
    schema = M365.settings_schema()
    assert {s.key: s.register for s in schema} == {
        "capacity_nominal_ah": 0x18,
        "xiaomi_nominal_voltage_v": 0x1A,
    }
    for spec in schema:
        assert not spec.writable and "Read-only" in spec.help and spec.label
        assert spec.width == 2 and not spec.signed
    assert next(s for s in schema if s.key == "xiaomi_nominal_voltage_v").scale == 100


# --- secrets -----------------------------------------------------------------------------------
#: CamiAlfa's ``protocolo``: the ESC answers a read of 0x17 with the PIN in clear
#: ("55aa 08 2301 17 31:32:33:34:35:36 87fe", same session as xiaomi.json's PIN write)
ESC_PIN_REPLY = bytes.fromhex("55aa0823011731323334353687fe")


def test_esc_pin_is_never_decoded_and_redacted_in_captures() -> None:
    assert valid(ESC_PIN_REPLY, "m365")
    fields = M365.decode(ESC_PIN_REPLY).to_fields()
    assert "123456" not in json.dumps(fields) and fields["xiaomi_words"] == [None, None, None]
    for frame in (ESC_PIN_REPLY, raw("m365_write_esc_pin")):
        blank = M365.redact(frame)
        assert valid(blank, "m365") and b"123456" not in blank and len(blank) == len(frame)
        assert blank[:6] == frame[:6]


@pytest.mark.parametrize("entry", GOOD, ids=[e["id"] for e in GOOD])
def test_redact_leaves_frames_without_secrets_alone(entry: dict[str, Any]) -> None:
    frame = bytes.fromhex(entry["hex"])
    if entry["id"] != "m365_write_esc_pin":
        assert get_protocol(pid(entry)).redact(frame) == frame


# --- detection and the CLI -----------------------------------------------------------------------
def test_looks_like_names_the_framing_and_nothing_else() -> None:
    for entry in GOOD:
        assert looks_like(bytes.fromhex(entry["hex"])) == pid(entry)
    data = Path(__file__).parent / "data"
    for name in ("jk_frames.json", "jbd_frames.json"):
        doc = json.loads((data / name).read_text(encoding="utf-8"))
        for entry in doc["frames"] if isinstance(doc, dict) else doc:
            assert looks_like(bytes.fromhex(entry["hex"])) is None, entry["id"]


def test_decode_cli_for_both_ids(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decode", "--protocol", "m365", "--hex", raw("m365_bms_0x40_cells").hex()]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["protocol"] == "m365" and out["kind"] == "live"
    assert out["fields"]["cell_voltages_v"][0] == 4.098
    spaced = raw("nb_req_bms_status").hex(" ")
    assert main(["decode", "--protocol", "ninebot", "--hex", spaced]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["kind"] == "command" and out["fields"]["register"] == 0x30
    assert out["fields"]["length"] == 0x20
    bad = bytearray(raw("m365_bms_0x40_cells"))
    bad[-1] ^= 1
    assert main(["decode", "--protocol", "m365", "--hex", bad.hex()]) == 1
    assert json.loads(capsys.readouterr().out) == {"error": "checksum mismatch"}


def test_decode_refuses_what_is_not_a_frame() -> None:
    for blob in (b"", b"\x55", b"\x55\xaa\x01", raw("nb_req_bms_info")):
        with pytest.raises(DecodeError):
            M365.decode(blob)
