"""``packbench`` as a user runs it: its output, exit codes and JSON lines.

The commands run in-process through ``app.cli.main`` (the ``run_cli`` fixture,
tests/conftest.py); a subprocess of ``python -m app`` where the process is the
point (stdin bytes under a strict locale, a reader that closes the pipe, the
simulator's clean stop on SIGTERM).  The JSON shapes are the decode contract in
shared/vocabulary.md; values come from the captured frames in
tests/data/jk_frames.json and what their sources state.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "jk_frames.json"
FRAMES = {e["id"]: e for e in json.loads(DATA.read_text(encoding="utf-8"))["frames"]}
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def hexof(frame_id: str) -> str:
    return FRAMES[frame_id]["hex"]


def test_decode_one_frame(run_cli) -> None:
    entry = FRAMES["esp_32s_v15_cell"]
    exp = entry["expected"]
    res = run_cli("decode", "--protocol", "jk02_32s", "--hex", entry["hex"])
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert len(lines) == 1, res.stdout
    out = json.loads(lines[0])
    assert set(out) == {"protocol", "kind", "fields"}
    assert out["protocol"] == "jk02_32s" and out["kind"] == "live"
    f = out["fields"]
    assert f["cell_count"] == exp["cell_count_active"] == 16
    assert f["pack_voltage_v"] == pytest.approx(exp["total_voltage_v"], abs=1e-6)
    assert f["current_a"] == pytest.approx(exp["current_a"], abs=1e-6)
    assert f["soc_pct"] == exp["soc_pct"]
    assert f["cell_voltages_v"][15] == pytest.approx(exp["cell_voltage_v_by_cell"]["16"], abs=1e-6)
    assert f["cell_min_index"] == exp["min_voltage_cell"]
    assert f["temperatures_c"][:2] == pytest.approx([exp["t1_c"], exp["t2_c"]], abs=1e-6)
    assert f["charge_mos_on"] is True
    assert res.stderr == ""


def test_decode_device_info_hides_passwords(run_cli) -> None:
    entry = FRAMES["esp_24s_v10_devinfo"]
    res = run_cli("decode", "--protocol", "jk02_24s", "--hex", entry["hex"])
    out = json.loads(res.stdout)
    assert out["kind"] == "device_info"
    assert out["fields"]["model"] == entry["expected"]["vendor_id"]
    assert out["fields"]["software_version"] == entry["expected"]["software_version"]
    assert "123456" not in res.stdout and '"1234"' not in res.stdout


def test_decode_stdin_lines(run_cli) -> None:
    good = hexof("batmon_dummy_24s_cell")
    spaced = " ".join(good[i : i + 2] for i in range(0, len(good), 2))
    coloned = ":".join(good[i : i + 2].upper() for i in range(0, len(good), 2))
    corrupt = hexof("batmon_issue377_corrupt_cell")
    lines = [spaced, corrupt, "this is not hex", "", "   ", coloned, good[:200]]
    res = run_cli("decode", "--protocol", "jk02_24s", stdin="\n".join(lines) + "\n")
    assert res.returncode == 0, res.stderr
    out = json_lines(res.stdout)
    # one output line per input line, blank ones included (issue 12): line N answers line N
    assert len(out) == len(lines), res.stdout
    exp = FRAMES["batmon_dummy_24s_cell"]["expected"]
    for ok in (out[0], out[5]):
        assert ok["protocol"] == "jk02_24s" and ok["kind"] == "live"
        assert [round(v * 1000) for v in ok["fields"]["cell_voltages_v"]] == exp["cell_voltages_mv"]
        assert ok["fields"]["current_a"] == pytest.approx(exp["current_a"], abs=1e-6)
    assert set(out[1]) == {"error"} and "checksum" in out[1]["error"]
    assert set(out[2]) == {"error"} and "hex" in out[2]["error"]
    assert out[3] == out[4] == {"error": "empty frame"}
    assert set(out[6]) == {"error"} and "truncated" in out[6]["error"]
    assert "Traceback" not in res.stderr


def test_decode_command_frame(run_cli) -> None:
    # vendor-app write from issue #276: charge UTP recovery = -9.0 °C (raw -90 x 0.1 °C)
    res = run_cli("decode", "--protocol", "jk02_32s", "--hex", hexof("issue276_cmd_19_16"))
    out = json.loads(res.stdout)
    assert out["protocol"] == "jk02_32s" and out["kind"] == "command"
    f = out["fields"]
    assert (f["register"], f["raw_value"], f["setting"]) == (0x19, -90, "charge_utp_recovery_c")
    assert f["value"] == pytest.approx(-9.0)
    # 0xB5 (emergency duration, a device-info-frame setting, jk.md §5.1) decodes to its key
    out = json.loads(run_cli("decode", "--protocol", "jk02_32s", "--hex", hexof("esp_cap_cmd_b5_9")).stdout)
    assert out["kind"] == "command"
    assert out["fields"]["register"] == 0xB5 and out["fields"]["raw_value"] == 31
    assert (out["fields"]["setting"], out["fields"]["value"]) == ("jk_emergency_duration_min", 31)
    # an unknown register (0x6C: time sync by inference only, jk.md §5.3) keeps its raw
    # value and a null setting
    out = json.loads(
        run_cli("decode", "--protocol", "jk02_32s", "--hex", hexof("esp_doc_cmd_heating_6c")).stdout
    )
    assert out["fields"]["register"] == 0x6C and out["fields"]["raw_value"] == 0x0B1F2C3F
    assert out["fields"]["setting"] is None and out["fields"]["value"] is None
    # the board's 0xC8 acknowledgement
    out = json.loads(run_cli("decode", "--protocol", "jk02_32s", "--hex", hexof("esp_doc_ack_c8")).stdout)
    assert out["kind"] == "ack"


def test_decode_auto_detects_the_variant(run_cli) -> None:
    res = run_cli(
        "decode",
        stdin="\n".join(
            [hexof("esp_24s_v10_cell_negtemp"), hexof("esp_32s_v11_cell"), hexof("aio_jk02_24s_devinfo")]
        )
        + "\n",
    )
    out = json_lines(res.stdout)
    assert [o["protocol"] for o in out] == ["jk02_24s", "jk02_32s", "jk02_24s"]
    assert out[0]["fields"]["cell_count"] == 13 and out[1]["fields"]["cell_count"] == 16


def test_decode_rejects_bad_input_with_error_exit(run_cli) -> None:
    res = run_cli("decode", "--protocol", "jk02_32s", "--hex", hexof("batmon_issue377_corrupt_cell"))
    assert res.returncode != 0
    assert "error" in json.loads(res.stdout)
    res = run_cli("decode", "--protocol", "nosuch", "--hex", hexof("esp_32s_v11_cell"))
    assert res.returncode != 0
    assert "nosuch" in json.loads(res.stdout)["error"]
    assert "Traceback" not in res.stderr


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_simulate_then_read(run_cli) -> None:
    sim = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app",
            "simulate",
            "--protocol",
            "jk02_32s",
            "--cells",
            "16",
            "--listen",
            "127.0.0.1:0",
            "--seed",
            "1",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    try:
        line = sim.stdout.readline()
        m = re.fullmatch(r"listening on 127\.0\.0\.1:(\d+)\n", line)
        assert m, (
            f"unexpected first line {line!r}; stderr: {sim.stderr.read() if sim.poll() is not None else ''}"
        )
        port = int(m.group(1))
        assert port > 0
        t0 = time.monotonic()
        res = run_cli("read", "--url", f"socket://127.0.0.1:{port}", "--count", "3", "--json")
        assert res.returncode == 0, res.stderr
        out = json_lines(res.stdout)
        assert len(out) == 3, res.stdout
        for o in out:
            assert set(o) == {"protocol", "kind", "fields"}
            assert o["protocol"] == "jk02_32s" and o["kind"] == "live"
            f = o["fields"]
            assert f["cell_count"] == 16 and len(f["cell_voltages_v"]) == 16
            assert f["pack_voltage_v"] == pytest.approx(sum(f["cell_voltages_v"]), abs=0.01)
            assert 2.5 < min(f["cell_voltages_v"]) <= max(f["cell_voltages_v"]) < 3.65
        assert time.monotonic() - t0 < 15
        # the human form: one header line, then snapshots
        res = run_cli("read", "--url", f"socket://127.0.0.1:{port}", "--count", "1")
        assert res.returncode == 0, res.stderr
        lines = res.stdout.splitlines()
        assert lines[0].startswith("# JK-PB2A16S20P") and "jk02_32s" in lines[0]
        assert " V " in lines[1] and "16 cells" in lines[1]
        assert sim.poll() is None, "the simulator keeps serving after a client leaves"
    finally:
        sim.terminate()
        try:
            sim.wait(5)
        except subprocess.TimeoutExpired:
            sim.kill()
            sim.wait(5)
        sim.stdout.close()
        sim.stderr.close()
    assert sim.returncode == 0  # SIGTERM is a clean stop


def test_read_from_closed_port_fails_cleanly(run_cli) -> None:
    port = _closed_port()
    res = run_cli("read", "--url", f"socket://127.0.0.1:{port}", "--count", "1")
    assert res.returncode != 0
    assert res.stdout == ""
    assert f"127.0.0.1:{port}" in res.stderr
    assert "nobody is listening" in res.stderr
    assert "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) <= 3, res.stderr


def test_read_from_missing_serial_port_fails_cleanly(tmp_path: Path, run_cli) -> None:
    missing = tmp_path / "ttyUSB-not-there"
    res = run_cli("read", "--url", str(missing), "--count", "1")
    assert res.returncode != 0
    assert "no such port" in res.stderr and "Traceback" not in res.stderr


def test_read_with_bad_url_fails_cleanly(run_cli) -> None:
    res = run_cli("read", "--url", "gopher://nowhere", "--count", "1")
    assert res.returncode != 0
    assert "gopher" in res.stderr and "Traceback" not in res.stderr


# --- decode: stdin as bytes, closed pipes, every line answered (issue 12) -------------------------
SERIAL = {
    e["id"]: e
    for e in json.loads(
        (Path(__file__).parent / "data" / "jk_serial_frames.json").read_text(encoding="utf-8")
    )["frames"]
}


def test_decode_reads_stdin_as_bytes_under_a_strict_utf8_locale() -> None:
    # the command: printf 'dd04\nzz\xff\n' | PYTHONIOENCODING=utf-8 packbench decode --protocol jbd
    res = subprocess.run(
        [sys.executable, "-m", "app", "decode", "--protocol", "jbd"],
        cwd=ROOT,
        input=b"dd04\nzz\xff\n",
        capture_output=True,
        timeout=20,
        env={**ENV, "PYTHONIOENCODING": "utf-8"},
    )
    assert res.returncode == 0, res.stderr
    assert b"Traceback" not in res.stderr
    out = [json.loads(line) for line in res.stdout.decode("utf-8").splitlines()]
    assert len(out) == 2, res.stdout
    assert set(out[0]) == {"error"}  # two bytes of a JBD frame: rejected in words
    assert out[1] == {"error": "not hex"}


def test_decode_ends_quietly_when_the_reader_goes_away(tmp_path: Path) -> None:
    # `packbench decode < many-frames | head -1`: the reader closes after one line
    frames = tmp_path / "frames.txt"
    frames.write_text((hexof("esp_32s_v15_cell") + "\n") * 3000, encoding="ascii")
    with frames.open("rb") as stdin:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app", "decode"],
            cwd=ROOT,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=ENV,
        )
        first = proc.stdout.readline()
        proc.stdout.close()
        try:
            _, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(5)
    assert json.loads(first)["kind"] == "live"
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err.decode(errors="replace")
    assert err == b""
    assert proc.returncode == 0


def test_decode_without_protocol_recognises_jk_serial_and_jk_pb_frames(run_cli) -> None:
    ids = [
        "esp_4e57_14s_status",
        "issue404_4e57_cmd_ab_0",
        "jkdoc_fc03_req",
        "mpp_pb_resp_20",
        "txu_pb_029003fc01_108",
    ]
    res = run_cli("decode", stdin="\n".join(SERIAL[i]["hex"] for i in ids) + "\n")
    assert res.returncode == 0, res.stderr
    out = json_lines(res.stdout)
    assert [o.get("protocol") for o in out] == ["jk_4e57", "jk_4e57", "jk_pb", "jk_pb", "jk_pb"], out
    assert [o["kind"] for o in out] == ["live", "command", "command", "live", "ack"]
    # issue #404's write: charge MOSFET switch off (register 0xAB, value 0)
    assert (out[1]["fields"]["register"], out[1]["fields"]["value"]) == (0xAB, False)
    # the JK-PB documentation's FC03 request: slave 1, register 5, two registers
    assert (out[2]["fields"]["slave"], out[2]["fields"]["register"], out[2]["fields"]["count"]) == (1, 5, 2)


def test_decode_of_a_4e57_read_all_carries_its_device_info(run_cli) -> None:
    stated = SERIAL["esp_4e57_14s_status"]["expected"]
    out = json.loads(
        run_cli("decode", "--protocol", "jk_4e57", "--hex", SERIAL["esp_4e57_14s_status"]["hex"]).stdout
    )
    assert set(out) == {"protocol", "kind", "fields"}
    assert out["protocol"] == "jk_4e57" and out["kind"] == "live"
    f = out["fields"]
    assert f["software_version"] == stated["software_version"]
    assert f["cell_voltages_v"] == pytest.approx(stated["cell_voltages_v"])
    assert f["soc_pct"] == stated["soc_pct"]
    assert "protocol" not in f  # the line names it already
    assert stated["password_0xB2"] not in json.dumps(out)  # the password is never shown


def test_decode_without_protocol_names_a_frame_nobody_claims(run_cli) -> None:
    out = json.loads(run_cli("decode", "--hex", "0102030405060708").stdout)
    assert set(out) == {"error"} and "not a frame Packbench knows" in out["error"]
