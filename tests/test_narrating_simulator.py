"""The narrating simulator (issue 12, "How the simulator helps test this from outside").

`packbench simulate` takes every option a sim:// URL takes (``--url``; the old flags still
work and override it) and prints one line per change the simulated board makes to itself:
``board: factory mode on``, ``board: saved N register(s)``, ``board: KEY = VALUE`` (canonical
key and units), ``board: charge off`` …  The frames sent to the simulators are the
protocols' own (JBD factory mode: shared/protocols/jbd_daly.md §3.1; JK writes: jk.md §4).
"""

from __future__ import annotations

import json
import signal

from boards import Simulate

from app.protocols import get_protocol
from app.protocols.jbd import ENTER, EXIT_DISCARD, EXIT_SAVE
from app.protocols.jbd import framing as fr
from app.protocols.jbd import schema as jbd_schema
from app.simulator import create_simulator


def jbd_write(key: str, value) -> bytes:
    reg, raw = jbd_schema.encode_write(key, value, None)
    return fr.write_register(reg, raw)


def test_jbd_board_narrates_factory_mode_saves_and_discards():
    sim = create_simulator("jbd", cells=13, chemistry="li-ion")
    said: list[str] = []
    sim.narrate = said.append
    sim.receive(ENTER + jbd_write("cell_ovp_v", 3.6) + EXIT_SAVE)
    assert said == [
        "board: factory mode on",
        "board: saved 1 register(s)",
        "board: cell_ovp_v = 3.6",
        "board: factory mode off",
    ]
    said.clear()
    sim.receive(ENTER + jbd_write("cell_ovp_v", 3.5) + jbd_write("capacity_nominal_ah", 200) + EXIT_DISCARD)
    assert said == [
        "board: factory mode on",
        "board: discarded 2 unsaved register(s)",
        "board: factory mode off",
    ]
    said.clear()
    sim.receive(EXIT_DISCARD)  # outside factory mode: nothing changes, nothing is said
    assert said == []
    # the MOSFET switches (0xE1: bit 0 charge off, bit 1 discharge off; §3.4)
    sim.receive(fr.write_register(jbd_schema.REG_MOS, 1))
    sim.receive(fr.write_register(jbd_schema.REG_MOS, 2))
    assert said == ["board: charge off", "board: charge on", "board: discharge off"]


def test_jk_board_narrates_each_stored_setting():
    sim = create_simulator("jk02_32s", cells=16, seed=1)
    said: list[str] = []
    sim.narrate = said.append
    proto = get_protocol("jk02_32s")
    sim.receive(proto.write_requests("charge_switch", False)[-1])
    sim.receive(proto.write_requests("cell_uvp_v", 2.6)[-1])
    sim.receive(proto.write_requests("cell_ovp_v", 3.0)[-1])  # below OVPR: refused, no change
    assert said == ["board: charge off", "board: cell_uvp_v = 2.6"]


def test_simulate_url_narrates_an_apply_and_stops_cleanly(tmp_path, run_cli):
    """--url with sim:// options, --cells overriding it; the apply's save is narrated key by
    key; stopping a JBD simulator exits 0 (it raised AttributeError sent_live_frames)."""
    with Simulate("--url", "sim://jbd?cells=13&chemistry=li-ion&seed=2", "--cells", "8") as sim:
        res = run_cli(
            "settings",
            "apply",
            "--url",
            sim.url("jbd"),
            "--preset",
            "lifepo4",
            "--cells",
            "8",
            "--capacity",
            "100",
            "--yes",
            "--json",
            "--backup-dir",
            str(tmp_path),
        )
        assert res.returncode == 0, res.stderr
        report = json.loads(res.stdout.splitlines()[-1])
        said = sim.wait_for("board: cell_ovp_v = 3.65")
        said += sim.wait_for("board: factory mode off")
        rc, err = sim.stop()
    saved = [line for line in said if line.startswith("board: saved ")]
    assert len(saved) == 1 and saved[0].endswith(" register(s)")
    written = {r["key"] for r in report["results"] if r["status"] == "verified"}
    narrated = {line.split(" = ")[0].removeprefix("board: ") for line in said if " = " in line}
    assert written and written <= narrated  # every stored key is told
    assert "board: cell_count = 8" not in said  # 8 cells from --cells: nothing to change
    assert rc == 0 and "Traceback" not in err and "AttributeError" not in err


def test_simulate_protocol_jbd_with_the_old_flags_serves_and_stops(run_cli):
    with Simulate("--protocol", "jbd", "--cells", "8", "--seed", "1") as sim:
        res = run_cli("read", "--url", sim.url("jbd"), "--count", "1", "--json", timeout=30)
        assert res.returncode == 0, res.stderr
        assert json.loads(res.stdout.splitlines()[0])["fields"]["cell_count"] == 8
        rc, err = sim.stop()
    assert rc == 0 and "Traceback" not in err
    assert "answered" in err


def test_simulate_jk_narrates_a_switch(run_cli):
    with Simulate("--url", "sim://jk02_32s?cells=8&seed=1") as sim:
        res = run_cli(
            "control",
            "--url",
            f"socket://127.0.0.1:{sim.port}",
            "charge",
            "off",
            "--password",
            "123456",
            "--yes",
            timeout=30,
        )
        assert res.returncode == 0, res.stderr
        assert sim.wait_for("board: charge off") == ["board: charge off"]
        rc, err = sim.stop()
    assert rc == 0 and "sent" in err and "live frames" in err


def test_simulate_refuses_a_url_that_is_not_sim(run_cli):
    res = run_cli("simulate", "--url", "socket://127.0.0.1:1", "--duration", "1", timeout=30)
    assert res.returncode == 2 and "sim://" in res.stderr and "Traceback" not in res.stderr
    res = run_cli("simulate", "--url", "sim://jbd?fault=nosuch", "--duration", "1", timeout=30)
    assert res.returncode == 2 and "nosuch" in res.stderr and "Traceback" not in res.stderr


def test_sigint_stops_simulate_too():
    with Simulate("--protocol", "jbd") as sim:
        sim.proc.send_signal(signal.SIGINT)
        assert sim.proc.wait(10) == 0
        assert "Traceback" not in sim.proc.stderr.read()
        sim.proc.stdout.close()
        sim.proc.stderr.close()
