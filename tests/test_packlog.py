"""Recording into the pack registry from the services (app/services/packlog.py): the CLI
records with no code of its own beyond ``--operator``, over TCP to simulated boards.

Issue 18: every write transaction (per key: before, requested, stored, verdict; operator;
time; backup file), every control action (switches, calibration with meter value,
resets), every settings snapshot read; passwords and PINs never go in; a registry that
cannot be opened must not stop a write (said once on stderr).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from app.services import packlog
from app.services.registry import Registry
from app.simulator import create_simulator
from app.simulator.server import ServerThread

SECRET = "Zq93xwKp"  # the JK board's setup password in these tests: never in the registry


def _timeline(path: Path, serial: str) -> list[dict[str, Any]]:
    with Registry(path) as r:
        (pack,) = r.find(serial)
        return r.timeline(pack["id"])


def test_a_settings_write_over_tcp_is_recorded_key_by_key(
    registry_file: Path, run_cli, tmp_path: Path
) -> None:
    sim = create_simulator("jk02_32s", cells=16, seed=3, password=SECRET)
    with ServerThread(sim) as srv:
        url = srv.url + "?protocol=jk02_32s"
        ran = run_cli(
            "settings",
            "apply",
            "--url",
            url,
            "--preset",
            "lifepo4",
            "--cells",
            "16",
            "--capacity",
            "100",
            "--password",
            SECRET,
            "--yes",
            "--operator",
            "Ana Lima",
            "--backup-dir",
            str(tmp_path / "backups"),
        )
        assert ran.returncode == 0, ran.stderr
        assert "pack registry" not in ran.stderr
        dumped = run_cli("settings", "dump", "--url", url, "--json")
        assert dumped.returncode == 0, dumped.stderr
    serial = sim.info.serial_number
    events = _timeline(registry_file, serial)
    assert [e["kind"] for e in events] == ["settings", "write", "settings", "settings"]
    before, write, after, dump = events
    assert before["data"]["source"] == "before a write" and after["data"]["source"] == "after write"
    assert dump["data"]["source"] == "settings dump"
    assert write["operator"] == "Ana Lima" and write["at"].endswith("Z")
    assert write["model"] == "JK-PB2A16S20P" and write["software_version"] == "19.27"
    results = {r["key"]: r for r in write["data"]["results"]}
    # the simulator's defaults vs the LiFePO4 preset (presets.md): balance start 3.40 V both,
    # charge OTP recovery 50 °C both; the pack profile's balance current 0.1 C capped at 2 A
    ovp = results["cell_ovp_recovery_v"]
    assert ovp["before"] == pytest.approx(3.55) and ovp["requested"] == pytest.approx(3.55)
    changed = [r for r in results.values() if r["verdict"] != "unchanged"]
    assert changed and all(r["verdict"] == "verified" for r in changed)
    assert all(r["stored"] == pytest.approx(r["requested"]) for r in changed)
    backup = Path(write["data"]["backup"])
    assert backup.is_file() and backup.parent.parent == tmp_path / "backups"
    assert dump["visit_id"] != write["visit_id"] == after["visit_id"]  # another connection, another visit
    assert dump["data"]["settings"]["cell_ovp_v"] == after["data"]["settings"]["cell_ovp_v"]
    for f in registry_file.parent.glob("packs.sqlite3*"):
        assert SECRET.encode() not in f.read_bytes(), f


def test_control_actions_are_recorded_with_the_meter_value(registry_file: Path, run_cli) -> None:
    sim = create_simulator("jk02_32s", cells=16, seed=4, password=SECRET)
    with ServerThread(sim) as srv:
        url = srv.url + "?protocol=jk02_32s"

        def control(*args: str) -> None:
            ran = run_cli("control", "--url", url, "--password", SECRET, "--yes", "--operator", "Bo", *args)
            assert ran.returncode == 0, ran.stdout + ran.stderr

        control("charge", "off")
        control("calibrate-voltage", "52.80")  # 16 LiFePO4 cells near 3.29 V: within 5 %
        control("reboot")
    events = _timeline(registry_file, sim.info.serial_number)
    kinds = [e["kind"] for e in events if e["kind"] != "settings"]
    assert kinds == ["switch", "calibration", "action"]
    switch, calibration, reboot = (e for e in events if e["kind"] != "settings")
    (key,) = [r for r in switch["data"]["results"] if r["verdict"] != "unchanged"]
    assert key["key"] == "charge_switch" and key["before"] is True and key["stored"] is False
    assert calibration["data"]["kind"] == "voltage" and calibration["data"]["measured"] == 52.8
    assert calibration["data"]["before"] is not None and calibration["operator"] == "Bo"
    assert reboot["data"]["action"] == "restart" and reboot["data"]["acknowledged"] is True
    for f in registry_file.parent.glob("packs.sqlite3*"):
        assert SECRET.encode() not in f.read_bytes(), f


def test_a_jbd_board_is_known_by_its_barcode_and_its_password_never_recorded(
    registry_file: Path, run_cli
) -> None:
    # JBD reports no serial in its device information: the barcode it keeps (0xA2) is the key
    sim = create_simulator("jbd", cells=13, password="246810")
    with ServerThread(sim) as srv:
        url = srv.url + "?protocol=jbd"
        ran = run_cli("settings", "dump", "--url", url, "--password", "246810", "--json")
        assert ran.returncode == 0, ran.stderr
    with Registry(registry_file) as r:
        (pack,) = r.packs()
        assert (pack["family"], pack["serial"]) == ("jbd", "SIM0001")
    for f in registry_file.parent.glob("packs.sqlite3*"):
        assert b"246810" not in f.read_bytes(), f


def test_a_registry_that_cannot_be_opened_does_not_stop_a_write(
    registry_file: Path, run_cli, tmp_path: Path
) -> None:
    registry_file.write_bytes(b"not a registry at all\n" * 100)
    digest = hashlib.sha256(registry_file.read_bytes()).hexdigest()
    sim = create_simulator("jk02_32s", cells=16, seed=5, password=SECRET)
    with ServerThread(sim) as srv:
        ran = run_cli(
            "control",
            "--url",
            srv.url + "?protocol=jk02_32s",
            "--password",
            SECRET,
            "--yes",
            "--backup-dir",
            str(tmp_path / "b"),
            "discharge",
            "off",
        )
    assert ran.returncode == 0, ran.stderr
    assert sim.settings["discharge_switch"] is False  # written all the same
    lines = [line for line in ran.stderr.splitlines() if "pack registry" in line]
    assert len(lines) == 1, ran.stderr  # said once, though the write recorded several things
    assert (
        lines[0].startswith("packbench: the pack registry is not recording:")
        and str(registry_file) in lines[0]
    )
    assert hashlib.sha256(registry_file.read_bytes()).hexdigest() == digest  # never overwritten


def test_recording_can_be_switched_off(monkeypatch: pytest.MonkeyPatch, run_cli, tmp_path: Path) -> None:
    monkeypatch.setenv(packlog.ENV, "off")
    monkeypatch.setenv("PACKBENCH_DATA_DIR", str(tmp_path))
    packlog.reset()
    ran = run_cli("settings", "dump", "--url", "sim://jk02_32s?cells=16", "--json")
    assert ran.returncode == 0 and not list(tmp_path.glob("packs.sqlite3*"))
    packlog.reset()


class _Session:
    """The parts of a DeviceSession packlog reads."""

    def __init__(self, serial: str | None) -> None:
        from app.model import DeviceInfo, Settings
        from app.model.url import parse_device_url
        from app.protocols import get_protocol

        self.protocol = get_protocol("jk02_32s")
        self.device_info = DeviceInfo(model="JK-PB2A16S20P", software_version="19.27", serial_number=serial)
        self.settings = Settings({"cell_count": 16})
        self.url = parse_device_url("sim://jk02_32s")


def test_an_unchanged_settings_read_is_recorded_once_per_visit(registry_file: Path) -> None:
    session = _Session("SIM777")
    values = {"cell_count": 16, "cell_ovp_v": 3.65}
    assert packlog.settings_read(session, values, "window") is not None
    assert packlog.settings_read(session, values, "window") is None  # the same values again
    assert packlog.settings_read(session, dict(values, cell_ovp_v=3.6), "window") is not None
    later = _Session("SIM777")  # another connection: another visit, read again
    assert packlog.settings_read(later, values, "window") is not None
    events = _timeline(registry_file, "SIM777")
    assert len(events) == 3 and len({e["visit_id"] for e in events}) == 2
    assert packlog.settings_read(_Session(None), values, "window") is None  # no serial: not recorded


def test_a_new_board_password_is_recorded_as_an_action_never_as_text(registry_file: Path, run_cli) -> None:
    sim = create_simulator("jbd", cells=13)
    with ServerThread(sim) as srv:
        url = srv.url + "?protocol=jbd"
        ran = run_cli("control", "--url", url, "--yes", "board-password", "set", "--new-password", "135790")
        assert ran.returncode == 0, ran.stdout + ran.stderr
    events = _timeline(registry_file, "SIM0001")
    (event,) = [e for e in events if e["kind"] == "control"]
    assert event["summary"] == "board password set: verified" and event["data"] == {
        "action": "board password set",
        "verified": True,
    }
    for f in registry_file.parent.glob("packs.sqlite3*"):
        assert b"135790" not in f.read_bytes(), f


def test_a_registry_failing_while_writing_is_said_once_and_the_write_goes_on(
    registry_file: Path, run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    def full(*_a: Any, **_k: Any) -> int:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Registry, "add_event", full)
    sim = create_simulator("jk02_32s", cells=16, seed=6, password=SECRET)
    with ServerThread(sim) as srv:
        ran = run_cli(
            "control", "--url", srv.url + "?protocol=jk02_32s", "--password", SECRET, "--yes",
            "--backup-dir", str(tmp_path / "b"), "balance", "off",
        )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert sim.settings["balance_switch"] is False
    lines = [line for line in ran.stderr.splitlines() if "pack registry" in line]
    assert lines == [
        "packbench: the pack registry is not recording: database or disk is full (not recorded: settings)"
    ]
