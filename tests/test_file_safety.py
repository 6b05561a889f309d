"""Issue 12, items 3–6 and the files' bad input: settings files, presets and ``.fig`` files
are checked whole before the first write, against simulators over TCP.

The CLI runs in-process (``app.cli.main``); every refusal is one plain line on stderr and a
non-zero exit, and the simulated board shows that nothing was written to it.  Expected
values come from shared/presets.md (chemistry windows, rule 6 envelopes), the issue, the
Control tab's own consequence texts and the JBD tool's sample file (test_jbd.FIG).
"""

from __future__ import annotations

import asyncio
import json
import os
import types
from pathlib import Path

import pytest

from app.cli import main
from app.services import control, interlocks, presets, settings_files, writer
from app.session import DeviceSession
from app.simulator import create_simulator
from app.simulator.server import ServerThread
from tests.test_jbd import FIG_LINES

LFP_URL = "sim://jk02_32s?cells=16&chemistry=lifepo4&seed=7"


@pytest.fixture
def jk():
    """A 16S LiFePO4 JK02_32S board over TCP (factory setup password 123456)."""
    sim = create_simulator("jk02_32s", cells=16, chemistry="lifepo4", seed=7)
    with ServerThread(sim) as server:
        yield sim, server.url


@pytest.fixture
def jbd():
    sim = create_simulator("jbd", cells=4)
    with ServerThread(sim) as server:
        yield sim, server.url + "?protocol=jbd"


def cli(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def refused(rc: int, err: str, *words: str) -> str:
    """The one plain stderr line of a refusal (and that it is one)."""
    assert rc != 0
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("packbench "), lines[0]
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


def settings_file(path: Path, settings: dict, *, protocol: str | None = "jk02_32s", **extra) -> Path:
    doc = {"format": "packbench-settings", "version": 1, "protocol": protocol, "settings": settings, **extra}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def fig_file(path: Path, lines: list[str] = FIG_LINES) -> Path:
    path.write_bytes("".join(line + "\r\r\n" for line in lines).encode("ascii"))
    return path


def apply(capsys, url: str, path: Path, backups: Path, *more: str) -> tuple[int, str, str]:
    return cli(
        capsys,
        "settings",
        "apply",
        "--url",
        url,
        "--file",
        str(path),
        "--password",
        "123456",
        "--backup-dir",
        str(backups),
        *more,
    )


def no_backups(folder: Path) -> bool:
    return not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))


# --- item 3: every value is checked before the first write ----------------------------------


def _with_manufacturer(name: str) -> list[str]:
    return [
        f"  ManufacturerName       {name}" if line.strip().startswith("ManufacturerName") else line
        for line in FIG_LINES
    ]


def test_fig_with_an_over_long_string_writes_nothing(capsys, tmp_path, jbd):
    sim, url = jbd
    before = dict(sim.settings)
    # today: the protection changes are written and saved, then a traceback on the string
    long = fig_file(tmp_path / "long.fig", _with_manufacturer("X" * 40))
    rc, out, err = apply(capsys, url, long, tmp_path / "b", "--yes")
    refused(rc, err, "long.fig", "jbd_manufacturer", "31")
    assert sim.settings == before and not sim.factory and no_backups(tmp_path / "b")
    # short enough, but characters the board does not take (JBD: letters, digits, - _ . space):
    # found when every change is encoded once, before the first write
    odd = fig_file(tmp_path / "odd.fig", _with_manufacturer("DG/JBD!"))
    rc, out, err = apply(capsys, url, odd, tmp_path / "b", "--yes")
    refused(rc, err, "Manufacturer name", "jbd_manufacturer", "Nothing was written")
    assert sim.settings == before and not sim.factory and no_backups(tmp_path / "b")


# --- item 4: a file made for another board -------------------------------------------------


def test_file_of_another_family_is_refused(capsys, tmp_path, jk, jbd):
    jk_sim, jk_url = jk
    jbd_sim, jbd_url = jbd
    # a JBD .fig (here from a 16-cell board) on a JK board: refused outright
    lines = [line.replace("PackNum        4", "PackNum        16") for line in FIG_LINES]
    rc, out, err = apply(capsys, jk_url, fig_file(tmp_path / "shop.fig", lines), tmp_path / "b", "--yes")
    refused(rc, err, "shop.fig", "(jbd)", "(jk02_32s)", "preset")
    assert jk_sim.writes == [] and no_backups(tmp_path / "b")
    # and the other way round: a JK export on a JBD board
    export = settings_file(tmp_path / "jk.json", {"cell_ovp_v": 3.6})
    rc, out, err = apply(capsys, jbd_url, export, tmp_path / "b", "--yes")
    refused(rc, err, "jk.json", "(jk02_32s)", "(jbd)")
    # a file that does not say what it was made for is refused too
    bare = settings_file(tmp_path / "bare.json", {"cell_ovp_v": 3.6}, protocol=None)
    rc, out, err = apply(capsys, jk_url, bare, tmp_path / "b", "--yes")
    refused(rc, err, "bare.json", "protocol")
    assert jk_sim.writes == [] and no_backups(tmp_path / "b")


def test_file_of_another_board_of_the_family_needs_an_acknowledgement(capsys, tmp_path, jk):
    sim, url = jk
    # a JK04 file with another serial number: same family, every key exists here
    other = settings_file(
        tmp_path / "jk04.json",
        {"balance_start_v": 3.45},
        protocol="jk04",
        device={"serial_number": "OTHER-0042"},
    )
    rc, out, err = cli(capsys, "settings", "diff", "--url", url, "--file", str(other))
    assert rc == 0, err
    assert "WARNING (File from another board)" in out and "OTHER-0042" in out and "another board" in out
    rc, out, err = apply(capsys, url, other, tmp_path / "b")  # no --yes, no terminal
    refused(rc, err, "--yes")
    assert sim.writes == []
    rc, out, err = apply(capsys, url, other, tmp_path / "b", "--yes")
    assert rc == 0, err
    assert sim.settings["balance_start_v"] == pytest.approx(3.45)
    # a key this variant has not got: an error naming it, nothing written
    writes = len(sim.writes)
    jk04 = settings_file(
        tmp_path / "jk04b.json", {"balance_start_v": 3.40, "jk_voltage_reference_v": 3.3}, protocol="jk04"
    )
    rc, out, err = apply(capsys, url, jk04, tmp_path / "b", "--yes")
    refused(rc, err, "jk_voltage_reference_v")
    assert len(sim.writes) == writes
    # a file from a 15-cell pack: the advisory, beside rule 7 (the board measures 16)
    cells = settings_file(tmp_path / "15s.json", {"cell_count": 15, "balance_start_v": 3.4})
    rc, out, err = cli(capsys, "settings", "diff", "--url", url, "--file", str(cells))
    assert "WARNING (File from another board)" in out and "15-cell" in out and "BLOCKED (Cell count)" in out


# --- item 5: the chemistry class, for files, presets and hand edits -------------------------


def test_chemistry_class_follows_the_presets_windows():
    # each Packbench preset is its own class, by OVP and (without an OVP) by UVP (presets.md)
    for chem, values in presets.CHEMISTRY_PRESETS.items():
        assert interlocks.chemistry_class(values) == chem
        assert interlocks.chemistry_class({"cell_uvp_v": values["cell_uvp_v"]}) == chem
    # halfway between the presets' OVPs (2.80 / 3.65 / 4.20 V) the class changes
    assert interlocks.chemistry_class({"cell_ovp_v": 3.22}) == "lto"
    assert interlocks.chemistry_class({"cell_ovp_v": 3.23}) == "lifepo4"
    assert interlocks.chemistry_class({"cell_ovp_v": 3.92}) == "lifepo4"
    assert interlocks.chemistry_class({"cell_ovp_v": 3.93}) == "li-ion"
    assert interlocks.chemistry_class({"soc_full_v": 3.6}) is None


def test_raising_ovp_to_li_ion_on_a_lifepo4_board_is_a_warning_and_above_every_envelope_blocked(
    capsys, tmp_path, jk
):
    sim, url = jk
    # today `settings diff` shows no finding at all
    up = settings_file(tmp_path / "up.json", {"cell_ovp_v": 4.2})
    rc, out, err = cli(capsys, "settings", "diff", "--url", url, "--file", str(up))
    assert rc == 0, err
    warning = next(line for line in out.splitlines() if line.startswith("WARNING (Chemistry change)"))
    assert "LiFePO4" in warning and "Li-ion" in warning
    rc, out, err = apply(capsys, url, up, tmp_path / "b")
    refused(rc, err, "--yes")
    assert sim.writes == []
    # 4.5 V: above the highest envelope of presets.md rule 6 (Li-ion 4.25 V): blocked, even with --yes
    high = settings_file(tmp_path / "high.json", {"cell_ovp_v": 4.5})
    rc, out, err = apply(capsys, url, high, tmp_path / "b", "--yes")
    refused(rc, err, "(Chemistry limits)", "4.250 V")  # volts to the mV (issue 17)
    assert "BLOCKED (Chemistry limits)" in out
    assert sim.writes == [] and sim.settings["cell_ovp_v"] == pytest.approx(3.65)


def test_hand_edits_and_presets_get_the_chemistry_warning_too():
    async def go():
        session = DeviceSession(LFP_URL, reconnect=False)
        await session.connect()
        try:
            hand = await writer.prepare(session, {"cell_ovp_v": 4.2})
            keys = {s.key for s in writer.writable_schema(session)}
            li_ion = presets.builtin("li-ion").apply(presets.PackProfile(16, 100.0), keys)
            preset = await writer.prepare(session, li_ion, chemistry="li-ion")
            same = await writer.prepare(session, {"cell_ovp_v": 3.6})
            return hand, preset, same
        finally:
            await session.close()

    hand, preset, same = asyncio.run(go())
    for plan in (hand, preset):
        found = [f for f in plan.advisories if f.rule == 10]
        assert len(found) == 1 and not plan.blocking
        assert "LiFePO4" in found[0].message() and "Li-ion" in found[0].message()
    assert not [f for f in same.findings if f.rule == 10]  # 3.60 V is still LiFePO4


# --- item 6: strict values, no silent coercion, switch warnings -----------------------------


@pytest.mark.parametrize("value", ["off", 0, False, "OFF", "false", "0"])
def test_switch_in_a_file_is_parsed_strictly_and_warns_like_the_control_tab(capsys, tmp_path, jk, value):
    sim, url = jk
    path = settings_file(tmp_path / "sw.json", {"charge_switch": value})
    rc, out, err = cli(capsys, "settings", "diff", "--url", url, "--file", str(path))
    assert rc == 0, err
    # the Control tab's own words for charging off, as an advisory
    assert "Charging enabled" in out and "on → off" in out
    assert f"WARNING (Switch change): {control.CONSEQUENCES[('charge_switch', False)]}" in out
    rc, out, err = apply(capsys, url, path, tmp_path / "b")
    refused(rc, err, "--yes")
    assert sim.settings["charge_switch"] is True


def test_switch_change_written_with_yes_carries_the_warning(capsys, tmp_path, jk):
    sim, url = jk
    path = settings_file(tmp_path / "sw.json", {"charge_switch": 0})
    rc, out, err = apply(capsys, url, path, tmp_path / "b", "--yes")
    assert rc == 0, err
    assert control.CONSEQUENCES[("charge_switch", False)] in out
    assert not sim.settings["charge_switch"]


def test_switch_in_a_preset_file_warns_too(capsys, tmp_path, jk):
    sim, url = jk
    path = tmp_path / "p.json"
    path.write_text(
        json.dumps(
            {
                "format": "packbench-preset",
                "name": "shop",
                "chemistry": "lifepo4",
                "values": {"balance_start_v": 3.45, "discharge_switch": "off"},
            }
        )
    )
    rc, out, err = cli(capsys, "settings", "diff", "--url", url, "--file", str(path))
    assert rc == 0, err
    assert control.CONSEQUENCES[("discharge_switch", False)] in out


@pytest.mark.parametrize(
    "settings,key",
    [
        ({"charge_switch": "maybe"}, "charge_switch"),
        ({"charge_switch": 2}, "charge_switch"),
        ({"charge_switch": None}, "charge_switch"),
        ({"no_such_setting": 1}, "no_such_setting"),
        ({"cell_ovp_v": "abc"}, "cell_ovp_v"),
        ({"cell_ovp_v": "3.6"}, "cell_ovp_v"),
        ({"cell_ovp_v": None}, "cell_ovp_v"),
        ({"cell_ovp_v": [3.6]}, "cell_ovp_v"),
        ({"cell_ovp_v": {"v": 3.6}}, "cell_ovp_v"),
        ({"cell_ovp_v": float("nan")}, "cell_ovp_v"),
        ({"cell_ovp_v": float("inf")}, "cell_ovp_v"),
        ({"cell_ovp_v": True}, "cell_ovp_v"),
    ],
)
def test_wrong_value_or_unknown_key_is_an_error_naming_the_key(capsys, tmp_path, jk, settings, key):
    sim, url = jk
    path = settings_file(tmp_path / "bad.json", settings)
    rc, out, err = apply(capsys, url, path, tmp_path / "b", "--yes")
    refused(rc, err, "bad.json", key)
    assert sim.writes == [] and no_backups(tmp_path / "b")


# --- bad input: files -------------------------------------------------------------------------


def _preset(**fields) -> str:
    return json.dumps({"format": "packbench-preset", **fields})


BAD_FILES = {
    "preset_without_name": (_preset(chemistry="lifepo4", values={"cell_ovp_v": 3.6}), "name"),
    "preset_list_values": (_preset(name="x", chemistry="lifepo4", values=[3.6]), "values"),
    "preset_string_value": (
        _preset(name="x", chemistry="lifepo4", values={"cell_ovp_v": "3.6"}),
        "cell_ovp_v",
    ),
    "preset_unknown_chemistry": (
        _preset(name="x", chemistry="lead", values={"cell_ovp_v": 3.6}),
        "chemistry",
    ),
    "json_list": ("[1, 2]", "not a Packbench settings file"),
    "json_string": ('"settings"', "not a Packbench settings file"),
    "json_null": ("null", "not a Packbench settings file"),
    "settings_list": (
        json.dumps({"format": "packbench-settings", "protocol": "jk02_32s", "settings": [1]}),
        "no settings",
    ),
    "device_list": (
        json.dumps({"format": "packbench-settings", "protocol": "jk02_32s", "device": [1], "settings": {}}),
        "device",
    ),
    "deeply_nested": ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    "not_json": ("{settings: 1", "not valid JSON"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_settings_and_preset_files(capsys, tmp_path, jk, name):
    sim, url = jk
    text, words = BAD_FILES[name]
    path = tmp_path / f"{name}.json"
    path.write_text(text, encoding="utf-8")
    rc, out, err = apply(capsys, url, path, tmp_path / "b", "--yes")
    refused(rc, err, words)
    assert sim.writes == [] and no_backups(tmp_path / "b")


def test_binary_huge_and_endless_files_are_refused_unread(capsys, tmp_path, jk):
    sim, url = jk
    binary = tmp_path / "binary.json"
    binary.write_bytes(bytes(range(256)) * 4)
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as fh:  # 150 MB, sparse: refused on its size, never read
        fh.truncate(150 * 1024 * 1024)
    for path, words in ((binary, "not UTF-8"), (huge, "5 MB"), (Path("/dev/zero"), "5 MB")):
        rc, out, err = apply(capsys, url, path, tmp_path / "b", "--yes")
        refused(rc, err, str(path), words)
    rc, out, err = apply(capsys, url, tmp_path / "missing.json", tmp_path / "b", "--yes")
    refused(rc, err, "missing.json")
    assert sim.writes == [] and no_backups(tmp_path / "b")


def test_truncated_or_binary_fig_is_an_error(capsys, tmp_path, jbd):
    sim, url = jbd
    before = dict(sim.settings)
    cases = {
        "truncated.fig": ("".join(line + "\r\r\n" for line in FIG_LINES[:20])).encode("ascii"),
        "cut_mid_line.fig": "".join(line + "\r\r\n" for line in FIG_LINES)[:700].encode("ascii"),
        "binary.fig": b"  FileCode               3838\r\r\n" + bytes(range(256)),
        "garbage.fig": b"\x00\x01\x02FileCode\xff" * 50,
        "empty.fig": b"",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        rc, out, err = apply(capsys, url, tmp_path / name, tmp_path / "b", "--yes")
        refused(rc, err, name)
    assert sim.settings == before and no_backups(tmp_path / "b")


def test_fig_parser_refuses_what_the_tool_never_writes():
    from app.protocols.jbd import fig

    whole = "".join(line + "\r\r\n" for line in FIG_LINES)
    assert fig.parse(whole)["cell_count"] == 4
    with pytest.raises(ValueError, match="truncated"):
        fig.parse("".join(line + "\r\r\n" for line in FIG_LINES[:-10]))
    with pytest.raises(ValueError, match="twice"):
        fig.parse(whole + "  PackNum        16\r\r\n")
    with pytest.raises(ValueError, match="line 3"):
        fig.parse(whole.replace("  CycleCapacity", "  Cycle?Capacity"))
    with pytest.raises(ValueError, match="not text"):
        fig.parse(whole.replace("DGJBD", "DG\x00JBD"))
    # the keys of registers a board need not answer (OPTIONAL_REGISTERS) may be missing
    optional = ("BatteryConfig", "NtcConfig", "led_disp_time_set", "GPS_VOL", "GPS_TIME")
    assert "cell_count" in fig.parse(
        "".join(line + "\r\r\n" for line in FIG_LINES if line.split()[0] not in optional)
    )


# --- bad input: backups, dumps, the command line ------------------------------------------


def test_unwritable_backup_dir_writes_nothing(capsys, tmp_path, jk):
    sim, url = jk
    path = settings_file(tmp_path / "ok.json", {"balance_start_v": 3.45})
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    rc, out, err = apply(capsys, url, path, blocker / "backups", "--yes")
    refused(rc, err, "cannot save the backup", "nothing was written")
    assert sim.writes == []


def test_full_backup_disk_writes_nothing_and_leaves_no_tmp(capsys, tmp_path, jk, monkeypatch):
    sim, url = jk

    def full(src, dst):
        raise OSError(28, "No space left on device", str(dst))

    # the backup's temporary file is written, then the disk is full when it is put in place
    monkeypatch.setattr(settings_files, "os", types.SimpleNamespace(**{**vars(os), "replace": full}))
    path = settings_file(tmp_path / "ok.json", {"balance_start_v": 3.45})
    rc, out, err = apply(capsys, url, path, tmp_path / "b", "--yes")
    refused(rc, err, "No space left on device", "nothing was written")
    assert sim.writes == []
    assert not [p for p in (tmp_path / "b").rglob("*") if p.is_file()]  # no .tmp behind


def test_dump_to_a_fig_file_on_a_jk_board(capsys, tmp_path, jk):
    _sim, url = jk
    rc, out, err = cli(capsys, "settings", "dump", "--url", url, "--file", str(tmp_path / "x.fig"))
    refused(rc, err, ".fig", "jk02_32s")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ("--capacity", "nan"),
        ("--capacity", "inf"),
        ("--capacity", "-5"),
        ("--capacity", "0"),
        ("--charge-current", "nan"),
        ("--discharge-current", "-1"),
        ("--discharge-current", "inf"),
        ("--cells", "0"),
        ("--cells", "-3"),
        ("--cells", "99"),
    ],
)
def test_bad_pack_profile_numbers(capsys, tmp_path, jk, args):
    sim, url = jk
    profile = {"--cells": "16", "--capacity": "280"}
    profile[args[0]] = args[1]
    flat = [x for kv in profile.items() for x in kv]
    rc, out, err = cli(
        capsys,
        "settings",
        "apply",
        "--url",
        url,
        "--preset",
        "lifepo4",
        *flat,
        "--password",
        "123456",
        "--yes",
        "--backup-dir",
        str(tmp_path / "b"),
    )
    refused(rc, err, args[0])
    assert sim.writes == []


def test_pack_profile_refuses_what_is_not_a_pack():
    # the GUI's profile goes through the same check
    for bad in (
        dict(cell_count=16, capacity_ah=float("nan")),
        dict(cell_count=16, capacity_ah=280, charge_current_a=float("inf")),
        dict(cell_count=0, capacity_ah=280),
    ):
        with pytest.raises(ValueError):
            presets.PackProfile(**bad).values()


@pytest.mark.parametrize(
    "args",
    [
        ("calibrate-voltage", "nan"),
        ("calibrate-voltage", "inf"),
        ("calibrate-voltage", "-1"),
        ("calibrate-voltage", "0"),
        ("calibrate-current", "nan"),
        ("calibrate-current", "inf"),
        ("calibrate-current", "0"),
        ("set-remaining-capacity", "nan"),
        ("set-remaining-capacity", "-1"),
        ("set-remaining-capacity", "inf"),
        ("board-password", "set", "--new-password", "abc"),
        ("board-password", "set", "--new-password", "12345"),
        ("board-password", "set", "--new-password", "1234567"),
        ("board-password", "set", "--new-password", "١٢٣٤٥٦"),  # six digits, but not ASCII ones
    ],
)
def test_bad_control_values(capsys, jk, args):
    sim, url = jk
    rc, out, err = cli(capsys, "control", "--url", url, "--password", "123456", "--yes", *args)
    assert rc == 2
    refused(rc, err, "packbench control:")
    assert sim.writes == []


def test_services_refuse_nan_too():
    async def go():
        session = DeviceSession("sim://jbd?cells=4", reconnect=False)
        await session.connect()
        try:
            with pytest.raises(writer.WriteError):
                await control.calibrate(
                    session, "current", float("nan"), password=None, gate=writer.PasswordGate()
                )
            with pytest.raises(writer.WriteError):
                await control.set_remaining_capacity(
                    session, float("nan"), password=None, gate=writer.PasswordGate()
                )
        finally:
            await session.close()

    asyncio.run(go())
