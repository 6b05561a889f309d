"""JK02_32S settings that live in the device-info frame (jk.md §3 "32S-only
fields", write registers jk.md §5.1).

Decoded from real frames (tests/data/jk_frames.json, copied from
shared/frames/jk.json with their sources), written and read back through the
session against the simulator over TCP, and dumped by the CLI.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from app.model import DeviceInfo, Settings
from app.protocols import get_protocol
from app.protocols.jk.schema import by_key
from app.services import writer
from app.session import DeviceSession
from app.simulator import create_simulator
from app.simulator.server import ServerThread

DATA = Path(__file__).parent / "data" / "jk_frames.json"
FRAMES = {e["id"]: e for e in json.loads(DATA.read_text(encoding="utf-8"))["frames"]}
KEYS = (
    "jk_uart1_protocol",
    "jk_can_protocol",
    "jk_uart2_protocol",
    "jk_uart3_protocol",
    "jk_lcd_buzzer_trigger",
    "jk_dry1_trigger",
    "jk_dry2_trigger",
    "jk_rcv_time_h",
    "jk_rfv_time_h",
    "jk_emergency_duration_min",
    "jk_rebulk_soc_pct",
)


def _decode_all(frame_id: str, pid: str = "jk02_32s") -> list:
    return get_protocol(pid).decode_all(bytes.fromhex(FRAMES[frame_id]["hex"]))


# No source states these values: they are read at the offsets jk.md §3 gives
# (184 UART1, 185 CAN, 218 UART2, 234/235/236 buzzer/DRY1/DRY2, 266/267 RCV/RFV
# time in 0.1 h, 269 emergency minutes, 270 UART3, 278 re-bulk SOC) and checked
# only for being plausible and stable across two v19.27 captures.
@pytest.mark.parametrize(
    "frame_id, expected",
    [
        (
            "aio_jk02_32s_v19_27_devinfo",
            dict(
                jk_uart1_protocol=14,
                jk_can_protocol=0,
                jk_uart2_protocol=21,
                jk_uart3_protocol=15,
                jk_lcd_buzzer_trigger=9,
                jk_dry1_trigger=8,
                jk_dry2_trigger=0,
                jk_rcv_time_h=0.5,
                jk_rfv_time_h=5.0,
                jk_emergency_duration_min=30,
                jk_rebulk_soc_pct=1,
            ),
        ),
        (
            "esp_32s_v15_devinfo",
            dict(
                jk_uart1_protocol=0,
                jk_can_protocol=4,
                jk_uart2_protocol=15,
                jk_uart3_protocol=0,
                jk_lcd_buzzer_trigger=0,
                jk_dry1_trigger=11,
                jk_dry2_trigger=0,
                jk_rcv_time_h=0.8,
                jk_rfv_time_h=8.0,
                jk_emergency_duration_min=30,
                jk_rebulk_soc_pct=0,
            ),
        ),
    ],
)
def test_real_32s_device_info_frame_carries_a_partial_settings(frame_id, expected):
    messages = _decode_all(frame_id)
    assert [type(m) for m in messages] == [DeviceInfo, Settings]
    info, settings = messages
    assert info.protocol == "jk02_32s"
    assert settings.partial and settings.protocol == "jk02_32s"
    assert set(settings.values) == set(KEYS)  # just these keys, nothing of the settings frame
    for key, value in expected.items():
        assert settings.values[key] == pytest.approx(value), key
    # plausible: protocol indexes are small, times within a day, SOC a percentage
    assert all(0 <= settings.values[k] < 64 for k in KEYS if k.endswith(("_protocol", "_trigger")))
    assert 0 <= settings.values["jk_rebulk_soc_pct"] <= 100
    # the frame's own decode (the CLI's decode contract) stays one DeviceInfo
    assert isinstance(get_protocol("jk02_32s").decode(bytes.fromhex(FRAMES[frame_id]["hex"])), DeviceInfo)


def test_24s_device_info_frame_carries_no_settings():
    assert [type(m) for m in _decode_all("esp_24s_v10_devinfo")] == [DeviceInfo]


def test_write_registers_are_the_documented_ones():
    # jk.md §5.1: register, value length
    want = {
        "jk_rcv_time_h": (0xB3, 1),
        "jk_rfv_time_h": (0xB4, 1),
        "jk_emergency_duration_min": (0xB5, 1),
        "jk_rebulk_soc_pct": (0xB7, 1),
        "jk_uart1_protocol": (0xA5, 2),
        "jk_uart2_protocol": (0xA8, 2),
        "jk_uart3_protocol": (0xB6, 2),
        "jk_can_protocol": (0xA6, 2),
        "jk_lcd_buzzer_trigger": (0xA9, 2),
        "jk_dry1_trigger": (0xAA, 2),
        "jk_dry2_trigger": (0xAB, 2),
    }
    proto = get_protocol("jk02_32s")
    for key, (reg, length) in want.items():
        spec = by_key("jk02_32s")[key]
        assert (spec.register, spec.write_width, spec.frame) == (reg, length, "device_info")
        frame = proto.encode_write(key, spec.maximum)
        assert frame[4] == reg and frame[5] == length
    assert proto.encode_write("jk_rcv_time_h", 1.5)[6] == 15  # 0.1 h on the wire
    # JK-PB (Modbus) has these in block 0x1400, which Packbench does not map
    assert not {s.key for s in get_protocol("jk_pb").settings_schema()} & set(KEYS)


def test_partial_settings_merge_into_the_full_ones():
    session = DeviceSession("sim://jk02_32s")
    session._handle(Settings(values={"jk_rcv_time_h": 0.5}, protocol="jk02_32s", partial=True), b"")
    assert session.settings is None  # nothing full yet: kept for later
    session._handle(Settings(values={"cell_ovp_v": 3.65}, protocol="jk02_32s"), b"")
    assert session.settings.values == {"cell_ovp_v": 3.65, "jk_rcv_time_h": 0.5}
    session._handle(Settings(values={"jk_rcv_time_h": 1.0}, protocol="jk02_32s", partial=True), b"")
    assert session.settings.values == {"cell_ovp_v": 3.65, "jk_rcv_time_h": 1.0}  # merged, not replaced
    session._handle(Settings(values={"cell_ovp_v": 3.60}, protocol="jk02_32s"), b"")
    assert session.settings.values == {"cell_ovp_v": 3.60, "jk_rcv_time_h": 1.0}
    # a partial value of a key the full frame also carries (a 4E57 read-one) is newest
    # until the next full frame, which then wins
    session._handle(Settings(values={"cell_ovp_v": 3.62}, protocol="jk02_32s", partial=True), b"")
    assert session.settings.values["cell_ovp_v"] == 3.62
    session._handle(Settings(values={"cell_ovp_v": 3.61}, protocol="jk02_32s"), b"")
    assert session.settings.values == {"cell_ovp_v": 3.61, "jk_rcv_time_h": 1.0}


def test_write_and_read_back_over_tcp(tmp_path):
    sim = create_simulator("jk02_32s", cells=16, seed=11)

    async def main():
        with ServerThread(sim) as server:
            session = DeviceSession(server.url, reconnect=False, request_timeout_s=2.0)
            await session.connect()
            try:
                # both frames' settings from the start: device info (identify), then 0x96
                assert session.settings.values["jk_emergency_duration_min"] == 30
                assert session.settings.values["cell_count"] == 16
                wanted = {
                    "jk_emergency_duration_min": 45,
                    "jk_rcv_time_h": 1.2,
                    "jk_uart1_protocol": 1,
                    "jk_rebulk_soc_pct": 80,
                }
                plan = await writer.prepare(session, wanted)
                assert {c.key for c in plan.changes} == set(wanted)
                report = await writer.execute(
                    session,
                    plan,
                    password="123456",
                    gate=writer.PasswordGate(),
                    acknowledged={f.id for f in plan.advisories},
                    backup_dir=tmp_path,
                )
                assert report.ok, report.summary
                assert {r.status for r in report.results} == {writer.VERIFIED}
                after = (await session.refresh_settings()).values
                assert after["jk_rcv_time_h"] == pytest.approx(1.2)
                assert after["cell_ovp_v"] == pytest.approx(sim.settings["cell_ovp_v"])  # still full
                assert (0xB3, 12) in sim.writes and (0xB5, 45) in sim.writes
            finally:
                await session.close()

    asyncio.run(asyncio.wait_for(main(), 30))
    assert sim.settings["jk_emergency_duration_min"] == 45
    assert sim.settings["jk_uart1_protocol"] == 1


def test_refused_write_is_reported_refused(tmp_path):
    sim = create_simulator("jk02_32s", cells=8, seed=12, fault="refuse_writes")

    async def main():
        with ServerThread(sim) as server:
            session = DeviceSession(server.url, reconnect=False, request_timeout_s=2.0)
            await session.connect()
            try:
                plan = await writer.prepare(session, {"jk_rfv_time_h": 2.0})
                return await writer.execute(
                    session, plan, password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path
                )
            finally:
                await session.close()

    report = asyncio.run(asyncio.wait_for(main(), 30))
    assert [r.status for r in report.results] == [writer.REFUSED]
    assert report.results[0].readback == pytest.approx(5.0)


def test_cli_settings_dump_json_includes_them(run_cli):
    sim = create_simulator("jk02_32s", cells=16, seed=13)
    with ServerThread(sim) as server:
        dump = run_cli("settings", "dump", "--json", "--url", server.url)
    assert dump.returncode == 0, dump.stderr
    values = json.loads(dump.stdout)
    for key in KEYS:
        assert values[key] == pytest.approx(sim.settings[key]), key
    assert values["cell_ovp_v"] == pytest.approx(3.65)
