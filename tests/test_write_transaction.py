"""The write transaction against the JK simulator, in-process and over TCP.

Every outcome a real board can produce is provoked with the simulator's
faults: verified, refused, acknowledged but not stored, clamped, link lost
mid-write, wrong password.  Plain asyncio.run per test (no Qt loop here).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from app.services import interlocks, presets, settings_files, writer
from app.session import DeviceSession
from app.simulator import create_simulator
from app.simulator.server import ServerThread

LFP_16S = dict(cell_count=16, capacity_ah=280.0, charge_current_a=100.0, discharge_current_a=150.0)


def lfp_wanted(session: DeviceSession) -> dict:
    keys = {s.key for s in writer.writable_schema(session)}
    return presets.builtin("lifepo4").apply(presets.PackProfile(**LFP_16S), keys)


async def _apply(
    url: str, tmp_path: Path, password: str = "123456", **kw
) -> tuple[writer.Plan, writer.Report, dict]:
    session = DeviceSession(url, reconnect=False)
    await session.connect()
    try:
        plan = await writer.prepare(session, lfp_wanted(session), chemistry="lifepo4")
        report = await writer.execute(
            session,
            plan,
            password=password,
            gate=writer.PasswordGate(),
            acknowledged={f.id for f in plan.advisories},
            backup_dir=tmp_path,
            **kw,
        )
        after = {}
        if session.state.value == "live":
            after = dict((await session.refresh_settings()).values)
        return plan, report, after
    finally:
        await session.close()


def test_lifepo4_preset_on_li_ion_board_is_written_in_a_safe_order_and_verified(tmp_path):
    plan, report, after = asyncio.run(_apply("sim://jk02_32s?cells=16&chemistry=li-ion&seed=3", tmp_path))
    assert report.ok, report.summary
    keys = [c.key for c in plan.changes]
    # moving the OVP/SOC-100 %/OVPR triple down: OVPR first, OVP last (presets.md rule 2)
    assert keys.index("cell_ovp_recovery_v") < keys.index("soc_full_v") < keys.index("cell_ovp_v")
    # moving the UVP side down: power-off first
    assert keys.index("power_off_v") < keys.index("cell_uvp_v") < keys.index("cell_uvp_recovery_v")
    assert after["cell_ovp_v"] == pytest.approx(3.65)
    assert after["cell_uvp_v"] == pytest.approx(2.50)
    assert after["capacity_nominal_ah"] == pytest.approx(280.0)
    assert {r.status for r in report.results} <= {writer.VERIFIED, writer.UNCHANGED}
    # the automatic backup holds the board's previous values, keyed by the device
    doc = settings_files.load(report.backup)
    assert doc["kind"] == "backup" and doc["settings"]["cell_ovp_v"] == pytest.approx(4.20)
    assert report.backup.parent.parent == tmp_path
    assert "123456" not in report.backup.read_text()
    # the wrong-chemistry advisory was raised: cells at ~3.7 V are above the new 3.65 V OVP
    assert any(f.rule == 9 for f in plan.advisories)


def test_moving_the_triple_up_writes_ovp_first():
    board = {"cell_ovp_v": 3.45, "soc_full_v": 3.44, "cell_ovp_recovery_v": 3.40}
    wanted = {"cell_ovp_v": 3.65, "soc_full_v": 3.60, "cell_ovp_recovery_v": 3.55}
    order = [c.key for c in writer.order_changes(board, settings_files.diff(board, wanted))]
    assert order == ["cell_ovp_v", "soc_full_v", "cell_ovp_recovery_v"]


# what each misbehaving board did, and so what the summary must say: a board that kept every
# old value "changed nothing" (no backup to restore is offered); one that holds a value
# Packbench did not ask for, or whose link died mid-write, has "k of N" changes on it, and the
# backup to undo them is named
MISBEHAVING = [
    # fault, status of the first bad key, its key, the summary's first words, the detail
    (
        "fault=ack_without_store",
        writer.NOT_STORED,
        "cell_ovp_recovery_v",
        "nothing was changed on the board; ",
        "Cell over-voltage recovery: the board acknowledged the write but kept the old value",
    ),
    (
        "fault=refuse_writes",
        writer.REFUSED,
        "cell_ovp_recovery_v",
        "nothing was changed on the board; ",
        "Cell over-voltage recovery: the board refused the write (no acknowledgement)",
    ),
    (
        "clamp_cell_ovp_v=3.5",
        writer.CHANGED_ELSEWHERE,
        "cell_ovp_v",
        "1 of 13 change(s) are on the board; changed: Cell under-voltage recovery = 2.800 V; ",
        "Cell over-voltage protection: the board now holds 3.500 V, neither the previous 2.800 V nor "
        "the requested 3.650 V",
    ),
    (
        "fault=drop_link_mid_write",
        writer.FAILED,
        "soc_full_v",
        "1 of 11 change(s) are on the board; changed: Cell over-voltage recovery = 3.550 V; ",
        "Cell voltage at 100 % SOC: unknown: the link is down; the board may or may not hold this value",
    ),
]


@pytest.mark.parametrize("fault,status,key,summary,detail", MISBEHAVING, ids=[m[0] for m in MISBEHAVING])
def test_misbehaving_board_stops_the_transaction_and_says_so(tmp_path, fault, status, key, summary, detail):
    # a Li-ion board moved to LiFePO4: eleven writes, the first one OVPR 4.10 -> 3.55 V
    url = f"sim://jk02_32s?cells=16&chemistry=li-ion&seed=4&{fault}"
    if fault.startswith("clamp"):
        # an LTO board moved up to LiFePO4: OVP is written early and the board clamps it
        url = f"sim://jk02_32s?cells=16&chemistry=lto&seed=4&{fault}"
    plan, report, _after = asyncio.run(_apply(url, tmp_path))
    assert not report.ok
    bad = [r for r in report.results if r.status not in writer.OK_STATUSES | {writer.NOT_ATTEMPTED}]
    assert [(r.key, r.status) for r in bad] == [(key, status)], report.results
    if status == writer.CHANGED_ELSEWHERE:
        assert bad[0].readback == pytest.approx(3.5)
    # the transaction stopped at the first failure: everything after it was not attempted
    idx = [r.key for r in report.results].index(key)
    later = [r for r in report.results[idx + 1 :] if r.status != writer.UNCHANGED]
    assert later and all(r.status == writer.NOT_ATTEMPTED for r in later)
    assert report.summary.startswith(summary + detail), report.summary
    undo = f"; to undo, restore the previous settings from {report.backup}"
    if summary.startswith("nothing was changed"):
        assert str(report.backup) not in report.summary  # nothing to undo
    else:
        assert report.summary.endswith(undo)


def test_wrong_password_writes_nothing_and_backs_off(tmp_path):
    async def run():
        session = DeviceSession("sim://jk02_32s?cells=16&password=4321", reconnect=False)
        await session.connect()
        try:
            plan = await writer.prepare(session, {"cell_ovp_v": 3.64}, chemistry="lifepo4")
            now = [100.0]
            gate = writer.PasswordGate(clock=lambda: now[0])
            for _ in range(3):
                with pytest.raises(writer.PasswordError, match="wrong setup password"):
                    await writer.execute(session, plan, password="123456", gate=gate, backup_dir=tmp_path)
            with pytest.raises(writer.PasswordError, match="try again in"):
                await writer.execute(session, plan, password="4321", gate=gate, backup_dir=tmp_path)
            now[0] += 61
            report = await writer.execute(
                session,
                plan,
                password="4321",
                gate=gate,
                backup_dir=tmp_path,
                acknowledged={f.id for f in plan.advisories},
            )
            return report, session.has_default_password
        finally:
            await session.close()

    report, default_pw = asyncio.run(run())
    assert report.ok
    assert default_pw is False
    assert len(list(tmp_path.rglob("*.json"))) == 1  # one backup: only the successful write made one


def test_stale_diff_is_refused(tmp_path):
    async def run():
        session = DeviceSession("sim://jk02_32s?cells=16", reconnect=False)
        await session.connect()
        try:
            plan = await writer.prepare(session, {"cell_ovp_v": 3.64})
            # someone changes the board behind our back (the phone app, another tab)
            await session.write_setting("cell_ovp_v", 3.63)
            with pytest.raises(writer.WriteError, match="changed since the diff"):
                await writer.execute(
                    session, plan, password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path
                )
        finally:
            await session.close()

    asyncio.run(run())


def test_cancel_between_keys_and_restore_from_backup(tmp_path):
    async def run():
        session = DeviceSession("sim://jk02_32s?cells=16&chemistry=li-ion", reconnect=False)
        await session.connect()
        try:
            before = dict((await session.refresh_settings()).values)
            plan = await writer.prepare(session, lfp_wanted(session), chemistry="lifepo4")
            cancel = asyncio.Event()
            seen = []

            def progress(i, n, key):
                seen.append(key)
                if i == 2:
                    cancel.set()

            report = await writer.execute(
                session,
                plan,
                password="123456",
                gate=writer.PasswordGate(),
                acknowledged={f.id for f in plan.advisories},
                backup_dir=tmp_path,
                progress=progress,
                cancel=cancel,
            )
            restored = await writer.restore(
                session, report.backup, password="123456", gate=writer.PasswordGate(), backup_dir=tmp_path
            )
            after = dict((await session.refresh_settings()).values)
            return report, restored, before, after
        finally:
            await session.close()

    report, restored, before, after = asyncio.run(run())
    statuses = [r.status for r in report.results if r.status != writer.UNCHANGED]
    assert statuses[:3] == [writer.VERIFIED] * 3
    assert set(statuses[3:]) == {writer.CANCELLED}
    assert restored.ok, restored.summary
    for key in ("cell_ovp_recovery_v", "soc_full_v", "soc_empty_v", "cell_ovp_v"):
        assert after[key] == pytest.approx(before[key])


def test_interlocks_block_and_advise():
    values = {
        "power_off_v": 2.6,
        "cell_uvp_v": 2.5,
        "cell_uvp_recovery_v": 2.8,
        "cell_ovp_v": 3.8,
        "cell_ovp_recovery_v": 3.55,
        "balance_max_current_a": 5.0,
        "capacity_nominal_ah": 20,
        "charge_utp_c": -10,
        "charge_utp_recovery_c": -5,
        "cell_count": 15,
    }
    found = interlocks.check(values, chemistry="lifepo4", measured_cells=16)
    rules = {(f.rule, f.hard) for f in found}
    assert (1, True) in rules  # power-off above UVP
    assert (5, True) in rules  # 5 A balance on 20 Ah > 0.1 C
    assert (6, False) in rules  # 3.8 V OVP above the LiFePO4 envelope; charging below 0 °C
    assert (7, True) in rules  # 15 configured, 16 measured
    msg = next(f for f in found if f.rule == 1).message()
    assert "Auto shutdown voltage (2.600 V) must be below Cell under-voltage protection (2.500 V)" in msg
    # a change that does not touch the broken keys is not blocked by them
    assert not [f for f in interlocks.check(values, changed={"discharge_ocp_a"}) if f.hard]


def test_cli_settings_dump_diff_apply_over_tcp(tmp_path, run_cli):
    sim = create_simulator("jk02_32s", cells=16, chemistry="li-ion", seed=5)
    with ServerThread(sim) as server:

        def cli(*args):
            return run_cli("settings", *args, "--url", server.url, "--backup-dir", str(tmp_path))

        dump = cli("dump", "--json")
        assert dump.returncode == 0, dump.stderr
        values = json.loads(dump.stdout)
        assert values["cell_ovp_v"] == pytest.approx(4.2) and values["charge_switch"] is True
        assert "123456" not in dump.stdout

        diff = cli("diff", "--preset", "lifepo4", "--cells", "16", "--capacity", "280", "--json")
        assert diff.returncode == 0, diff.stderr
        changes = {c["key"]: c for c in json.loads(diff.stdout)["changes"]}
        assert changes["cell_ovp_v"]["old"] == pytest.approx(4.2) and changes["cell_ovp_v"]["new"] == 3.65

        no = cli("apply", "--preset", "lifepo4", "--cells", "16", "--capacity", "280")
        assert no.returncode != 0 and "--yes" in no.stderr
        bad = cli(
            "apply",
            "--preset",
            "lifepo4",
            "--cells",
            "16",
            "--capacity",
            "280",
            "--password",
            "000000",
            "--yes",
        )
        assert bad.returncode != 0 and "wrong setup password" in bad.stderr
        assert sim.settings["cell_ovp_v"] == pytest.approx(4.2)  # nothing written

        ok = cli(
            "apply",
            "--preset",
            "lifepo4",
            "--cells",
            "16",
            "--capacity",
            "280",
            "--password",
            "123456",
            "--yes",
        )
        assert ok.returncode == 0, ok.stderr
        assert "written and verified" in ok.stdout
        assert sim.settings["cell_ovp_v"] == pytest.approx(3.65)
        assert sim.settings["capacity_nominal_ah"] == pytest.approx(280)

        blocked = cli(
            "apply",
            "--preset",
            "lifepo4",
            "--cells",
            "15",
            "--capacity",
            "280",
            "--password",
            "123456",
            "--yes",
        )
        assert blocked.returncode != 0 and "(Cell count)" in blocked.stdout + blocked.stderr


def test_board_that_enforces_its_changed_password_is_reported_as_refused(tmp_path):
    async def run():
        session = DeviceSession(
            "sim://jk02_32s?cells=16&password=9876&fault=require_password", reconnect=False
        )
        await session.connect()
        try:
            plan = await writer.prepare(session, {"cell_ovp_v": 3.64})
            return await writer.execute(
                session, plan, password="9876", gate=writer.PasswordGate(), backup_dir=tmp_path
            )
        finally:
            await session.close()

    report = asyncio.run(run())
    result = next(r for r in report.results if r.key == "cell_ovp_v")
    assert result.status == writer.REFUSED
    assert "vendor app" in result.detail
    assert "nothing was changed" in report.summary


def test_board_preset_action_is_read_back():
    async def run():
        session = DeviceSession("sim://jk02_32s?cells=16&chemistry=li-ion", reconnect=False)
        await session.connect()
        try:
            assert "preset_lifepo4" in session.protocol.actions()
            ack = await session.run_action("preset_lifepo4")
            return ack, dict((await session.refresh_settings()).values)
        finally:
            await session.close()

    ack, values = asyncio.run(run())
    assert ack is not None
    assert values["cell_ovp_v"] == pytest.approx(3.65) and values["power_off_v"] == pytest.approx(2.45)


# --- property tests of the write-order planner ------------------------------------
from hypothesis import given  # noqa: E402
from hypothesis import settings as hsettings
from hypothesis import strategies as st

_CHAIN = (
    "power_off_v",
    "cell_uvp_v",
    "cell_uvp_recovery_v",
    "balance_start_v",
    "cell_ovp_recovery_v",
    "soc_full_v",
    "cell_ovp_v",
)


def _valid_state(draw_values):
    """Seven strictly increasing voltages satisfy every relation of rules 1–3."""
    vals = sorted(set(round(v, 3) for v in draw_values))
    return dict(zip(_CHAIN, vals, strict=False)) if len(vals) >= len(_CHAIN) else None


_volts = st.lists(st.floats(1.5, 4.5, allow_nan=False), min_size=7, max_size=7, unique=True)


@hsettings(max_examples=300, deadline=None)
@given(_volts, _volts, st.randoms(use_true_random=False))
def test_planner_keeps_every_intermediate_state_valid(a, b, rnd):
    board, target = _valid_state(a), _valid_state(b)
    if board is None or target is None:
        return
    keys = list(_CHAIN)
    rnd.shuffle(keys)  # whatever order the caller asks in
    changes = settings_files.diff(board, {k: target[k] for k in keys})
    order = writer.order_changes(board, changes)
    assert sorted(c.key for c in order) == sorted(c.key for c in changes)
    state = dict(board)
    for change in order:
        state[change.key] = change.new
        assert not interlocks.ordering_violations(state), (board, target, [c.key for c in order])
    assert state == {**board, **target}


def test_requested_charge_voltage_must_stay_below_the_cut_off():
    """A JK-PB board asks an inverter for jk_rcv_v: above OVP the inverter charges into the cut-off."""
    found = interlocks.check({"cell_ovp_v": 3.65, "jk_rcv_v": 4.10, "jk_rfv_v": 4.00})
    assert {f.keys for f in found if f.hard} == {("jk_rcv_v", "cell_ovp_v"), ("jk_rfv_v", "cell_ovp_v")}
    lfp = presets.builtin("lifepo4").values
    assert lfp["jk_rfv_v"] < lfp["jk_rcv_v"] < lfp["cell_ovp_v"]
