"""The pack model every simulator drives (app/simulator/pack.py), and how each family drives it.

The physics is Packbench's own (a simulator for tests and demos), so these
tests check what must hold whatever the numbers: charge is counted from the
current, the board's switches and limits stop the current, the balancer moves
charge without making any, a calibration takes plausible meter readings only,
and every family's simulator (JK BLE, JBD, JK 4E57, JK-PB) has one.
"""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest

from app.protocols.jbd import framing as jbd_fr
from app.simulator import create_simulator
from app.simulator.pack import CELL_DEFAULTS, Pack, board_defaults

LIMITS = dict(
    cell_ovp_v=3.65,
    cell_uvp_v=2.5,
    charge_switch=True,
    discharge_switch=True,
    balance_switch=False,
    balance_start_v=3.4,
    balance_trigger_delta_v=0.01,
    balance_max_current_a=1.0,
)


def pack(cells: int = 4, seed: int = 1) -> Pack:
    return Pack(cells, "lifepo4", 100.0, random.Random(seed))


def charge_ah(p: Pack) -> float:
    return sum(c.soc * c.capacity_ah for c in p.cells)


def test_the_charge_counts_the_current() -> None:
    p = pack()
    p.constant_current_a = 10.0  # a charger
    before = [c.soc * c.capacity_ah for c in p.cells]
    for _ in range(36):
        p.step(10.0, LIMITS)  # 360 s at ~10 A: ~1 Ah into every cell
    after = [c.soc * c.capacity_ah for c in p.cells]
    assert all(a - b == pytest.approx(1.0, abs=0.01) for a, b in zip(after, before, strict=True))
    assert p.cycle_ah == pytest.approx(1234.5 + 1.0, abs=0.01)
    p.constant_current_a = -20.0  # a load
    p.step(180.0, LIMITS)
    assert charge_ah(p) == pytest.approx(sum(after) - len(after) * 1.0, abs=0.05)


def test_the_switches_and_limits_stop_the_current() -> None:
    p = pack()
    p.constant_current_a = 10.0
    p.step(1.0, dict(LIMITS, charge_switch=False))
    assert p.current_a == 0.0
    p.step(1.0, dict(LIMITS, cell_ovp_v=3.0))  # every cell is above 3.0 V: over-voltage
    assert p.current_a == 0.0
    p.step(1.0, dict(LIMITS, cell_ovp_v=3.0), override=True)  # JK's emergency mode
    assert p.current_a > 9
    p.constant_current_a = -10.0
    p.step(1.0, dict(LIMITS, cell_uvp_v=3.5))  # every cell below 3.5 V: under-voltage
    assert p.current_a == 0.0
    p.step(1.0, LIMITS)
    assert p.current_a < -9


def _unbalanced(seed: int) -> Pack:
    p = pack(seed=seed)
    p.constant_current_a = 0.0
    for cell in p.cells:
        cell.soc = 0.8
    p.cells[0].soc, p.cells[1].soc = 0.99, 0.30  # a high cell and a low one
    return p


def test_the_balancer_moves_charge_and_makes_none() -> None:
    limits = dict(LIMITS, balance_switch=True, balance_start_v=3.0, cell_ovp_v=4.0)
    on, off = _unbalanced(3), _unbalanced(3)  # the same pack, the same noise
    high, low = (c.soc * c.capacity_ah for c in on.cells[:2])
    on.step(360.0, limits)
    off.step(360.0, dict(limits, balance_switch=False))
    assert on.balancing and not off.balancing
    assert on.cells[0].soc * on.cells[0].capacity_ah == pytest.approx(high - 0.1, abs=0.002)  # 1 A, 360 s
    assert on.cells[1].soc * on.cells[1].capacity_ah == pytest.approx(low + 0.1, abs=0.002)
    assert charge_ah(on) == pytest.approx(charge_ah(off), abs=1e-9)
    assert off.cells[1].soc == pytest.approx(0.30, abs=1e-4)


def test_calibration_takes_plausible_readings_only() -> None:
    p = pack()
    true = p.true_pack_voltage()
    assert not p.calibrate("voltage", true * 1.5) and p.voltage_gain == 1.0
    assert p.calibrate("voltage", true * 1.02) and p.voltage_gain == pytest.approx(1.02, abs=0.01)
    p.constant_current_a = -8.0
    p.step(1.0, LIMITS)
    assert not p.calibrate("current", 8.0)  # the wrong direction
    assert not p.calibrate("current", -16.0)  # a meter on the wrong range
    assert p.calibrate("current", -8.4) and p.current_gain == pytest.approx(1.05, abs=0.01)


def test_temperatures_follow_the_current() -> None:
    hot, cold = pack(seed=5), pack(seed=5)  # the same pack, the same noise
    hot.constant_current_a, cold.constant_current_a = 150.0, 0.0
    for _ in range(40):
        for p in (hot, cold):
            p.step(30.0, dict(LIMITS, cell_ovp_v=5.0))
    assert all(h > c + 0.4 for h, c in zip(hot.temps, cold.temps, strict=True))
    assert hot.mos_temp > cold.mos_temp + 1.0


def test_one_seed_makes_one_pack() -> None:
    a, b = pack(8, seed=11), pack(8, seed=11)
    for p in (a, b):
        for _ in range(20):
            p.step(1.0, LIMITS)
    assert a.cell_voltages() == b.cell_voltages() and a.temps == b.temps


def test_board_defaults_take_the_chemistry_presets() -> None:
    for chemistry, cell in CELL_DEFAULTS.items():
        d = board_defaults(16, chemistry, 280.0)
        assert {k: d[k] for k in cell} == cell  # shared/presets.md, as before
        assert d["cell_uvp_v"] < d["cell_uvp_recovery_v"] < d["cell_ovp_recovery_v"] < d["cell_ovp_v"]


# --- every family's simulator drives one ------------------------------------------------------------
@pytest.mark.parametrize("url", ["jk02_32s", "jk02_24s", "jk04", "jbd", "jk_4e57"])
def test_every_simulator_has_a_pack(url: str) -> None:
    sim = create_simulator(url, cells=8, seed=1)
    assert isinstance(sim.pack, Pack) and len(sim.pack.cells) == 8
    assert sim.rng is sim.pack.rng  # one seed, one run
    pb = create_simulator("jk_pb", addresses="1,2", seed=1)
    assert all(isinstance(board.pack, Pack) for board in pb.boards.values())


def test_the_jbd_simulator_does_not_wrap_the_jk_one() -> None:
    tree = ast.parse((Path(__file__).parents[1] / "app" / "simulator" / "jbd.py").read_text("utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert "jk" not in imported and not any(m and ".jk" in m for m in imported), imported


def test_jbd_mosfet_register_and_eeprom_limits_reach_the_pack() -> None:
    sim = create_simulator("jbd", cells=8, seed=2, current="10")  # a charger on the pack
    sim.step(1.0)
    assert sim.current_a > 9
    sim.receive(jbd_fr.write_register(0xE1, 1))  # charge MOSFET off (§3.4)
    sim.step(1.0)
    assert sim.current_a == 0.0
    sim.receive(jbd_fr.write_register(0xE1, 0))
    sim.step(1.0)
    assert sim.current_a > 9
    # a saved cell over-voltage below the cells' voltage stops the charge
    sim.receive(jbd_fr.write_register(0x00, 0x5678))  # factory mode
    sim.receive(jbd_fr.write_register(0x24, 3000))  # cell OVP 3.000 V
    sim.step(1.0)
    assert sim.current_a > 9  # written, not yet saved
    sim.receive(jbd_fr.write_register(0x01, 0x2828))  # save
    sim.step(1.0)
    assert sim.settings["cell_ovp_v"] == 3.0 and sim.current_a == 0.0
