"""JK04 (the oldest JK boards, float32 values): real frames, detection, writes, simulator."""

from __future__ import annotations

import asyncio
import json
import struct
from pathlib import Path

import pytest

from app.cli import decode_one
from app.protocols import DecodeError, get_protocol
from app.protocols.jk import JK04
from app.protocols.jk.decode import guess_variant
from app.session import DeviceSession

FRAMES = json.loads((Path(__file__).parent / "data" / "jk04_frames.json").read_text())["frames"]
BY_ID = {f["id"]: f for f in FRAMES}
P = get_protocol("jk04")


def frame(fid: str) -> bytes:
    return bytes.fromhex(BY_ID[fid]["hex"])


def test_cell_info_esphome_capture():
    # source: syssi/esphome-jk-bms, JK-B2A16S hw 3.0 (stated values in tests/data)
    exp = BY_ID["esp_jk04_cell"]["expected"]
    s = P.decode(frame("esp_jk04_cell"))
    assert s.cell_count == exp["cell_count_active"] == 16
    for n, v in exp["cell_voltage_v_by_cell"].items():
        assert s.cell_voltages_v[int(n) - 1] == pytest.approx(v, abs=0.0005)
    assert s.cell_min_v == pytest.approx(exp["min_cell_voltage_v"], abs=1e-4)
    assert s.cell_max_v == pytest.approx(exp["max_cell_voltage_v"], abs=1e-4)
    assert s.cell_min_index == exp["min_voltage_cell"]
    assert s.cell_max_index == exp["max_voltage_cell"]
    assert s.pack_voltage_v == pytest.approx(exp["total_voltage_v"], abs=0.001)
    assert s.runtime_s == exp["total_runtime_s"]
    assert s.balancing_active is exp["balancing"]
    assert s.current_a is None and s.soc_pct is None  # not in JK04 frames
    # nor an alarm field (jk.md §2.3): None, "not reported", never an empty "no alarms"
    assert s.alarms is None and s.charge_mos_on is None
    assert "alarms" not in decode_one("jk04", frame("esp_jk04_cell").hex())["fields"]


def test_cell_info_mpp_solar_24_cells():
    f = BY_ID["mpp_jk04_test_cell"]
    exp = f["expected"]
    s = P.decode(frame("mpp_jk04_test_cell"))
    assert s.cell_voltages_v == pytest.approx(exp["cell_voltages_v"], abs=1e-6)
    assert s.cell_resistances_ohm == pytest.approx(exp["cell_resistances_ohm_25"][:24], abs=1e-6)
    assert s.cell_avg_v == pytest.approx(exp["average_cell_voltage_v"], abs=1e-6)
    # the board's own delta field, as mpp-solar states it
    assert s.cell_delta_v == pytest.approx(exp["delta_cell_voltage_v"], abs=1e-6)
    # mpp-solar prints 1-based indexes; the frame holds 0-based 7/11 (notes)
    assert s.cell_max_index == exp["highest_cell"] and s.cell_min_index == exp["lowest_cell"]
    assert s.runtime_s == 3 * 3600 + 23 * 60 + 12  # "0D3H23M12S"


def test_settings_b5a24s():
    exp = BY_ID["esp_jk04_b5a24s_settings"]["expected"]
    v = P.decode(frame("esp_jk04_b5a24s_settings")).values
    assert v["cell_count"] == exp["cell_count"]
    assert v["power_off_v"] == pytest.approx(exp["power_off_voltage_v"], abs=1e-6)
    assert v["balance_trigger_delta_v"] == pytest.approx(exp["balance_trigger_delta_v"], abs=1e-6)
    assert v["balance_max_current_a"] == pytest.approx(exp["max_balance_current_a"], abs=1e-6)
    assert v["jk_voltage_reference_v"] == pytest.approx(exp["voltage_calibration_vref_v"], abs=1e-6)
    assert v["balance_start_v"] == pytest.approx(exp["balance_start_voltage_v"], abs=1e-6)
    assert v["balance_switch"] is exp["balance_switch"]


def test_device_info_names_jk04_from_hardware_3_and_hides_the_pin():
    exp = BY_ID["mpp_jk02_test_devinfo"]["expected"]
    out = decode_one("auto", BY_ID["mpp_jk02_test_devinfo"]["hex"])
    assert out["protocol"] == "jk04" and out["fields"]["protocol"] == "jk04"
    f = out["fields"]
    assert (
        f["model"],
        f["hardware_version"],
        f["software_version"],
        f["device_name"],
        f["power_on_count"],
    ) == (
        exp["vendor_id"],
        exp["hardware_version"],
        exp["software_version"],
        exp["device_name"],
        exp["power_on_count"],
    )
    assert exp["device_passcode"] not in json.dumps(out)


def test_truncated_device_info_is_rejected():
    with pytest.raises(DecodeError, match="truncated"):
        P.decode(frame("esp_pdus_jk_b5a24s_8_0_3m_device_info_0"))


@pytest.mark.parametrize("fid", [f["id"] for f in FRAMES if f["frame_type"] in ("cell_info", "settings")])
def test_every_jk04_cell_and_settings_frame_is_recognised_as_jk04(fid):
    assert guess_variant(frame(fid)) == JK04


# values the capture notes decode by hand from the float bytes (jk.md §5.4)
COMMANDS = {
    "esp_btsnoop_jk04_bt_snoop_jk__1c_1100": ("cell_count", 17),
    "esp_btsnoop_jk04_bt_snoop_jk__64_6f12033c": ("balance_trigger_delta_v", 0.008),
    "esp_btsnoop_jk04_bt_snoop_jk__68_00006040": ("balance_max_current_a", 3.5),
    "esp_btsnoop_jk04_bt_snoop_jk__44_717a3e40": ("jk_voltage_reference_v", 2.97622),
    "esp_btsnoop_jk04_btsnoop_hci__6c_00": ("balance_switch", False),
    "esp_btsnoop_jk04_btsnoop_hci__6c_01": ("balance_switch", True),
    "esp_btsnoop_jk04_btsnoop_hci__20_cdcc2c40": ("power_off_v", 2.7),
    "esp_btsnoop_jk04_btsnoop_hci__1c_0f00": ("cell_count", 15),
}


@pytest.mark.parametrize("fid", sorted(COMMANDS))
def test_captured_commands_decode_and_reencode(fid):
    key, value = COMMANDS[fid]
    raw = frame(fid)
    out = decode_one("jk04", raw.hex())
    assert out["kind"] == "command" and out["fields"]["register"] == raw[4]
    assert out["fields"]["setting"] == key
    assert out["fields"]["value"] == pytest.approx(value, abs=1e-5)
    exact = struct.unpack("<f", raw[6:10])[0] if raw[5] == 4 else value
    ours = P.encode_write(key, exact)
    n = 6 + raw[5]
    assert ours[:n] == raw[:n]  # register, length and value bytes as the vendor app sent them
    assert ours[19] == sum(ours[:19]) & 0xFF


def test_float_write_encoding():
    cmd = P.encode_write("power_off_v", 3.0)
    assert cmd[4] == 0x20 and cmd[5] == 4 and struct.unpack("<f", cmd[6:10])[0] == 3.0


def _detect(url):
    async def run():
        s = DeviceSession(url, request_timeout_s=1.5)
        await s.connect()
        try:
            snap = await s.next_snapshot(3)
            return s.protocol.id, s.device_info, snap, dict((await s.refresh_settings()).values)
        finally:
            await s.close()

    return asyncio.run(run())


def test_session_detects_jk04_from_the_simulator_and_reads_floats():
    pid, info, snap, settings = _detect("sim://jk04?cells=16&seed=2")
    assert pid == "jk04" and info.hardware_version == "3.0"
    assert snap.cell_count == 16 and 3.0 < snap.cell_min_v < 3.5
    assert settings["cell_count"] == 16 and settings["balance_switch"] is True


def test_jk04_with_newer_hardware_is_recognised_by_its_frames(monkeypatch):
    # JK-B5A24S: hardware 8.x, software 8.0.3M, speaks JK04 (jk.md §1.6)
    from app.simulator import jk as simjk

    orig = simjk.JkSimulator.__init__

    def init(self, *a, **kw):
        orig(self, *a, **kw)
        self.info.hardware_version, self.info.software_version = "8.X", "8.0.3M"

    monkeypatch.setattr(simjk.JkSimulator, "__init__", init)
    pid, info, snap, settings = _detect("sim://jk04?cells=24&seed=5")
    assert pid == "jk04" and snap.cell_count == 24
