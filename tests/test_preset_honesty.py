"""Presets that say what they cannot do, and rules said in words (issue 17).

* A preset's values that a board has no setting for are named (``Preset.missing``): JK04
  keeps no cell protections, temperatures or currents (jk.md), so a LiFePO4 preset's cell
  limits have nowhere to go there.
* A chemistry change leaves no cell voltage behind outside the new chemistry's window
  unflagged (interlocks rule 13): the windows are presets.md's, from each preset's
  power-off voltage to its over-voltage envelope (interlock 6).
* Every rule has a name in words; the CLI prints it instead of "rule 9".

Expected numbers come from shared/presets.md, never from the code under test.
"""

from __future__ import annotations

import asyncio

import pytest

from app.protocols import get_protocol
from app.services import interlocks, presets, writer
from app.session import DeviceSession

# presets.md "Packbench presets": power-off voltage (the lowest a preset sets) and interlock 6's
# over-voltage envelope (the highest a chemistry takes)
WINDOW_V = {"lifepo4": (2.40, 3.65), "li-ion": (2.70, 4.25), "lto": (1.70, 2.85)}
# presets.md: the LiFePO4 preset's cell keys and temperatures (the pack keys come from the profile)
LFP_CHEMISTRY_KEYS = {
    "cell_ovp_v",
    "soc_full_v",
    "cell_ovp_recovery_v",
    "balance_start_v",
    "cell_uvp_recovery_v",
    "soc_empty_v",
    "cell_uvp_v",
    "power_off_v",
    "charge_otp_c",
    "charge_otp_recovery_c",
    "discharge_otp_c",
    "discharge_otp_recovery_c",
    "charge_utp_c",
    "charge_utp_recovery_c",
    "discharge_utp_c",
    "discharge_utp_recovery_c",
}


def writable(protocol: str) -> set[str]:
    return {s.key for s in get_protocol(protocol).settings_schema() if s.writable}


# --- the preset's keys a board lacks ------------------------------------------------------------


def test_a_lifepo4_preset_on_jk04_names_every_value_that_has_nowhere_to_go():
    keys = writable("jk04")
    preset = presets.builtin("lifepo4")
    profile = presets.PackProfile(16, 280.0)  # no currents: JK04 has no settings for them
    missing = preset.missing(profile, keys)
    # JK04 takes the power-off and balance-start voltages (and the pack's balance values) only
    assert set(missing) == (LFP_CHEMISTRY_KEYS - {"power_off_v", "balance_start_v"}) | {"capacity_nominal_ah"}
    assert missing["cell_ovp_v"] == 3.65 and missing["charge_utp_c"] == 0  # presets.md's LiFePO4 column
    # what it does take is applied, and is not named
    assert set(preset.apply(profile, keys)) <= keys
    # another family's own preset keys (Daly's battery type, JK's charge request) are no loss here
    assert not any(k.startswith(("daly_", "ant_", "jk_")) for k in missing)


def test_charge_and_discharge_limits_are_named_only_when_the_profile_asks_for_them():
    keys = writable("jk04")
    preset = presets.builtin("li-ion")
    with_currents = preset.missing(presets.PackProfile(16, 100.0, 100.0, 150.0), keys)
    assert with_currents["charge_ocp_a"] == 100.0 and with_currents["discharge_ocp_a"] == 150.0
    assert "charge_ocp_a" not in preset.missing(presets.PackProfile(16, 100.0), keys)


def test_a_board_with_every_key_misses_nothing_and_pack_level_twins_count():
    preset = presets.builtin("lifepo4")
    profile = presets.PackProfile(16, 280.0, 100.0, 150.0)
    assert preset.missing(profile, writable("jk02_32s")) == {}
    # a board that keeps the pack's over-voltage but not the cell's: the value goes there
    keys = writable("jk02_32s") - {"cell_ovp_v"} | {"pack_ovp_v"}
    assert "cell_ovp_v" not in preset.missing(profile, keys)


def test_a_users_preset_is_named_key_by_key():
    mine = presets.Preset("LFP 3.45 top", "lifepo4", {"cell_ovp_v": 3.45, "jk_rcv_v": 3.40})
    assert mine.missing(None, writable("jbd")) == {"jk_rcv_v": 3.40}


# --- rule 13: cell voltages a chemistry change leaves behind ----------------------------------


def jk32_schema():
    return [s for s in get_protocol("jk02_32s").settings_schema() if s.writable]


def li_ion_jk_board() -> dict:
    """A Li-ion JK02_32S as the simulator builds it: presets.md's Li-ion column, JK's own
    charge requests, and the smart sleep voltage 0.5 V above the under-voltage (3.3 V)."""
    board = presets.builtin("li-ion").apply(presets.PackProfile(16, 100.0), {s.key for s in jk32_schema()})
    board["jk_smart_sleep_v"] = 3.30
    return board


def test_lifepo4_preset_on_a_li_ion_jk_board_flags_the_smart_sleep_voltage():
    before = li_ion_jk_board()
    wanted = presets.builtin("lifepo4").apply(presets.PackProfile(16, 100.0), set(before))
    after = {**before, **wanted}
    changed = {k for k in wanted if before.get(k) != wanted[k]}
    found = interlocks.check(after, schema=jk32_schema(), changed=changed, before=before)
    (left,) = [f for f in found if f.rule == 13]
    assert left.keys == ("jk_smart_sleep_v",) and not left.hard
    assert left.name == "Left from the old chemistry"
    # 3.3 V sits on the empty end of Li-ion's window; LiFePO4's empty end runs from its
    # power-off 2.40 V to halfway between its under-voltage recovery 2.80 V and its
    # balance start 3.40 V (presets.md): 3.10 V
    text = left.message()
    assert "Smart sleep voltage stays at 3.300 V (for LiFePO4: 2.400 V … 3.100 V)" in text, text
    assert "Li-ion" in text
    # set by hand to a LiFePO4 value as well: nothing left behind
    after["jk_smart_sleep_v"] = 3.0
    found = interlocks.check(
        after, schema=jk32_schema(), changed=changed | {"jk_smart_sleep_v"}, before=before
    )
    assert not [f for f in found if f.rule == 13]


def test_no_chemistry_change_leaves_nothing_behind():
    before = li_ion_jk_board()
    after = {**before, "cell_ovp_v": 4.15}  # still Li-ion
    found = interlocks.check(after, schema=jk32_schema(), changed={"cell_ovp_v"}, before=before)
    assert not [f for f in found if f.rule in (10, 13)]


def test_voltage_windows_are_the_presets():
    for chem, (low, high) in WINDOW_V.items():
        lowest, middle, highest = presets.voltage_window(chem)
        assert (lowest, highest) == (low, high)
        column = presets.CHEMISTRY_PRESETS[chem]
        assert column["cell_uvp_recovery_v"] < middle < column["balance_start_v"]


def cell_voltage_keys(protocol: str) -> set[str]:
    """Absolute cell voltages as the schema describes them: volts, not pack-level, not a
    difference between cells, not a calibration value."""
    return {
        s.key
        for s in get_protocol(protocol).settings_schema()
        if s.writable and s.unit == "V" and s.group in ("cell_voltages", "balancing") and "delta" not in s.key
    }


async def _plan(url: str, chemistry: str) -> tuple[dict, writer.Plan]:
    session = DeviceSession(url, reconnect=False)
    await session.connect()
    try:
        keys = {s.key for s in writer.writable_schema(session)}
        wanted = presets.builtin(chemistry).apply(presets.PackProfile(16, 100.0), keys)
        plan = await writer.prepare(session, wanted, chemistry=chemistry)
        return dict(session.settings.values), plan
    finally:
        await session.close()


@pytest.mark.parametrize(
    "protocol, old, new",
    [
        ("jk02_32s", "li-ion", "lifepo4"),
        ("jk02_32s", "lifepo4", "lto"),
        ("jbd", "li-ion", "lifepo4"),
        ("jbd", "lto", "li-ion"),
        ("daly_d2", "li-ion", "lifepo4"),
        ("ant_2021", "li-ion", "lto"),
    ],
)
def test_every_voltage_a_preset_leaves_outside_the_new_window_is_flagged(protocol, old, new):
    """Issue 17: after a chemistry preset, each cell voltage outside the new chemistry's
    window (presets.md) is either set by the preset or named in a warning."""
    board, plan = asyncio.run(_plan(f"sim://{protocol}?cells=16&chemistry={old}", new))
    set_by_preset = {c.key for c in plan.changes} | set(plan.unchanged)
    flagged = {k for f in plan.advisories if f.rule == 13 for k in f.keys}
    low, high = WINDOW_V[new]
    outside = {
        k
        for k in cell_voltage_keys(protocol)
        if isinstance(board.get(k), (int, float)) and not low - 1e-9 <= board[k] <= high + 1e-9
    }
    assert outside - set_by_preset <= flagged
    assert not flagged & set_by_preset  # what the preset sets is not "left behind"
    assert any(f.rule == 10 for f in plan.advisories)  # the chemistry change itself is named


# --- rules in words ----------------------------------------------------------------------------------


def test_every_rule_has_a_name_in_words():
    assert set(interlocks.RULE_NAMES) == set(range(1, 14))
    for name in interlocks.RULE_NAMES.values():
        assert name and not any(ch.isdigit() for ch in name.replace("0.1 C", ""))
    finding = interlocks.Finding(9, ("cell_ovp_v",), False, interlocks.T_MEASURED_HIGH)
    assert finding.name == "Cells measured now"


def test_cli_prints_the_rule_by_its_name(capsys, tmp_path):
    """`settings diff` on a LiFePO4 board asked for a shutdown above its under-voltage cut-off."""
    from app.cli import main
    from tests.test_file_safety import settings_file

    path = settings_file(tmp_path / "high-shutdown.json", {"power_off_v": 2.6})
    rc = main(["settings", "diff", "--url", "sim://jk02_32s?cells=16&chemistry=lifepo4", "--file", str(path)])
    out = capsys.readouterr().out
    assert rc == 1  # refused by a safety rule (README: exit codes)
    assert "BLOCKED (Under-voltage order): Auto shutdown voltage (2.600 V) must be below" in out
    assert "rule 1" not in out.lower()
