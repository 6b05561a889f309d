"""Commissioning from the CLI over TCP (issue 18's "done when", the CLI half):

commissioning ``sim://jk02_32s?cells=16`` and ``sim://jbd?cells=13`` produces a registry
entry and a PDF whose rendered page shows identity, settings-vs-profile, cell chart and
checks; a later settings write on the same board appears in its timeline with
before/after; ``packbench packs show SERIAL --json`` prints the timeline; the report
made again from the registry is the same.

The PDF is looked at as pictures: pdftoppm (poppler-utils) renders it to PNG under
tests/_artifacts/, and pdftotext reads its words.  The pages were looked at by hand
when this was written (commission_jk02_32s.png, commission_jbd.png, commission_passed.png).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from app.services import commissioning, packlog
from app.services.registry import Registry
from app.simulator import create_simulator
from app.simulator.server import ServerThread

ARTIFACTS = Path(__file__).parent / "_artifacts"
SECRET = "Zq93xwKp"
needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("pdftotext")),
    reason="pdftoppm/pdftotext missing: install poppler-utils (.ci/run does)",
)


def _commission(run_cli, url: str, cells: int, out: Path, *extra: str) -> Any:
    return run_cli(
        "commission",
        "--url",
        url,
        "--preset",
        "lifepo4",
        "--cells",
        str(cells),
        "--capacity",
        "100",
        "--operator",
        "Ana Lima",
        "--job",
        "JOB-18",
        "--out",
        str(out),
        "--rest-s",
        "0.2",
        *extra,
    )


def _pictures(pdf: Path, name: str) -> tuple[list[Path], str]:
    """The PDF's pages as PNGs kept under tests/_artifacts/ (name-1.png …) and its text."""
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "110", "-png", str(pdf), str(ARTIFACTS / name)], check=True, timeout=60)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    # the PDF's fonts set "fi", "fl", "ff" as ligatures: NFKC takes them apart again
    return sorted(ARTIFACTS.glob(f"{name}-*.png")), " ".join(unicodedata.normalize("NFKC", text).split())


def _has_colour(png: Path, rgb: tuple[int, int, int], tolerance: int = 12) -> bool:
    """Whether a patch of this colour is on the page (the PDF may compress the chart)."""
    from PySide6.QtGui import QImage

    image = QImage(str(png)).convertToFormat(QImage.Format.Format_RGB888)
    data = bytes(image.constBits())[: image.bytesPerLine() * image.height()]
    r, g, b = rgb
    line = image.bytesPerLine()
    for y in range(0, image.height(), 3):
        row = data[y * line : y * line + image.width() * 3]
        for x in range(0, len(row) - 2, 9):
            if (
                abs(row[x] - r) <= tolerance
                and abs(row[x + 1] - g) <= tolerance
                and abs(row[x + 2] - b) <= tolerance
            ):
                return True
    return False


@needs_poppler
@pytest.mark.parametrize(
    ("protocol", "cells", "serial_of"),
    [
        ("jk02_32s", 16, lambda sim: sim.info.serial_number),
        ("jbd", 13, lambda sim: "SIM0001"),  # the JBD simulator's barcode (0xA2)
    ],
)
def test_commissioning_over_tcp_records_the_pack_and_writes_a_one_page_report(
    registry_file: Path, run_cli, tmp_path: Path, protocol: str, cells: int, serial_of: Any
) -> None:
    sim = create_simulator(protocol, cells=cells, seed=11)
    with ServerThread(sim) as srv:
        ran = _commission(run_cli, f"{srv.url}?protocol={protocol}", cells, tmp_path / "reports")
    # the bench profile's current swings: the spread may need rest; the JK simulator keeps
    # its factory password (an alarm): recorded all the same, exit 3 when not passed
    assert ran.returncode in (0, 3), ran.stderr
    assert "Traceback" not in ran.stderr and "pack registry" not in ran.stderr
    serial = serial_of(sim)
    with Registry(registry_file) as r:
        (pack,) = r.find(serial)
        kinds = [e["kind"] for e in r.timeline(pack["id"])]
        assert kinds == ["settings", "sealing", "commissioning", "report"]
        event = commissioning.last_commissioning(r, pack["id"])
    (pdf,) = (tmp_path / "reports").glob("*.pdf")
    (doc,) = (tmp_path / "reports").glob("*.json")
    report = json.loads(doc.read_text(encoding="utf-8"))
    assert report == commissioning.report_from_event(event)  # the JSON is the registry's record
    assert report["pack"]["serial_number"] == serial and report["operator"] == "Ana Lima"
    assert report["job"] == "JOB-18" and len(report["cells"]["voltages_v"]) == cells
    pages, text = _pictures(pdf, f"commission_{protocol}")
    assert len(pages) == 1  # one page
    for words in (
        "Pack commissioning report",
        f"Serial number {serial}",
        "Firmware",
        "Job JOB-18",
        "Operator Ana Lima",
        "Settings against the profile",
        f"Cells ({cells} in series)",
        "Sealing checks",
        "Cell count as configured",
        report["verdict"].upper(),
    ):
        assert words in text, words
    assert _has_colour(pages[0], (0x0B, 0x62, 0xA4)) and _has_colour(
        pages[0], (0xC6, 0x28, 0x28)
    )  # the chart
    assert ("Wire resistance" in text) == (protocol == "jk02_32s")  # JK reports it per cell


@needs_poppler
def test_a_configured_resting_pack_passes_and_a_later_write_joins_its_timeline(
    registry_file: Path, run_cli, tmp_path: Path
) -> None:
    # a pack at rest (no charger, no load) whose setup password was changed (no alarm)
    # 40 Ah: the profile's balance trigger is 10 mV (presets.md: 0.005 V only from 50 Ah)
    sim = create_simulator("jk02_32s", cells=16, seed=12, current="0", capacity="40", password=SECRET)
    serial = sim.info.serial_number
    with ServerThread(sim) as srv:
        url = f"{srv.url}?protocol=jk02_32s"
        apply = ("settings", "apply", "--url", url, "--password", SECRET, "--yes", "--operator", "Ana Lima")
        ran = run_cli(*apply, "--preset", "lifepo4", "--cells", "16", "--capacity", "40")
        assert ran.returncode == 0, ran.stderr
        ran = _commission(run_cli, url, 16, tmp_path / "reports", "--capacity", "40")
        assert ran.returncode == 0, ran.stdout + ran.stderr
        assert "Verdict: PASSED" in ran.stdout and "all 22 equal the profile ✓" in ran.stdout
        # afterwards, someone changes a setting: it joins the pack's timeline with before/after
        later = tmp_path / "later.json"
        later.write_text(
            json.dumps(
                {"format": "packbench-settings", "protocol": "jk02_32s", "settings": {"cell_uvp_v": 2.6}}
            ),
            encoding="utf-8",
        )
        ran = run_cli(*apply[:-1], "Bo", "--file", str(later))
        assert ran.returncode == 0, ran.stderr
    (doc,) = (tmp_path / "reports").glob("*.json")
    report = json.loads(doc.read_text(encoding="utf-8"))
    assert report["verdict"] == "passed" and report["reasons"] == []
    (write,) = report["changes"]  # the preset's write, made before commissioning
    assert write["operator"] == "Ana Lima" and {k["verdict"] for k in write["keys"]} == {"verified"}
    (pdf,) = (tmp_path / "reports").glob("*.pdf")
    pages, text = _pictures(pdf, "commission_passed")
    assert len(pages) == 1 and "PASSED" in text and "✓ all 22 settings equal the profile" in text

    shown = run_cli("packs", "show", serial, "--json")
    assert shown.returncode == 0, shown.stderr
    timeline = json.loads(shown.stdout)["timeline"]
    kinds = [e["kind"] for e in timeline if e["kind"] != "settings"]
    assert kinds == ["write", "sealing", "commissioning", "report", "write"]
    last = timeline[-2] if timeline[-1]["kind"] == "settings" else timeline[-1]
    assert last["kind"] == "write" and last["operator"] == "Bo"
    (key,) = [r for r in last["data"]["results"] if r["verdict"] != "unchanged"]
    assert key["key"] == "cell_uvp_v" and key["before"] == pytest.approx(2.5)  # the preset's (presets.md)
    assert key["requested"] == pytest.approx(2.6) and key["stored"] == pytest.approx(2.6)
    assert key["verdict"] == "verified" and Path(last["data"]["backup"]).is_file()


@needs_poppler
def test_the_report_made_again_from_the_registry_is_the_same(
    registry_file: Path, run_cli, tmp_path: Path
) -> None:
    sim = create_simulator("jk02_32s", cells=16, seed=13)
    with ServerThread(sim) as srv:
        ran = _commission(run_cli, f"{srv.url}?protocol=jk02_32s", 16, tmp_path / "first")
        assert ran.returncode in (0, 3), ran.stderr
    again = run_cli("packs", "report", sim.info.serial_number, "--out", str(tmp_path / "again"))
    assert again.returncode == 0, again.stderr
    (first_json,) = (tmp_path / "first").glob("*.json")
    (again_json,) = (tmp_path / "again").glob("*.json")
    assert first_json.name == again_json.name and first_json.read_bytes() == again_json.read_bytes()
    (first_pdf,) = (tmp_path / "first").glob("*.pdf")
    (again_pdf,) = (tmp_path / "again").glob("*.pdf")
    first_pages, _ = _pictures(first_pdf, "report_first")
    again_pages, _ = _pictures(again_pdf, "report_again")
    assert [p.read_bytes() for p in first_pages] == [p.read_bytes() for p in again_pages]
    with Registry(registry_file) as r:
        (pack,) = r.packs()
        reports = r.timeline(pack["id"], kinds=("report",))
    assert len(reports) == 2 and reports[0]["data"]["json_sha256"] == reports[1]["data"]["json_sha256"]


def test_a_pack_under_charge_needs_rest_before_it_can_pass(
    registry_file: Path, run_cli, tmp_path: Path
) -> None:
    sim = create_simulator("jk02_32s", cells=16, seed=14, current="12", password=SECRET)
    with ServerThread(sim) as srv:
        ran = _commission(run_cli, f"{srv.url}?protocol=jk02_32s", 16, tmp_path / "r", "--json")
    assert ran.returncode == 3, ran.stderr
    report = json.loads(ran.stdout)["report"]
    delta = next(c for c in report["checks"] if c["id"] == "delta")
    assert delta["ok"] is None and re.match(r"needs rest: \+1[12](\.\d+)? A flows", delta["detail"]), delta
    assert report["verdict"] in ("incomplete", "failed")  # the sim's settings differ from the preset too


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--job", " "), "--job must not be empty"),
        (("--preset", "lifepo4", "--cells", "16"), "--preset needs --cells and --capacity"),
        (("--profile", "x.json", "--preset", "lifepo4"), "--profile FILE, or --preset"),
        (("--rest-s", "-1"), "--rest-s must be 0 to 3600"),
        (("--rest-s", "nan"), "--rest-s must be 0 to 3600"),
        (("--profile", "/nonexistent/profile.json"), "no such file"),
        (("--url", "/dev/ttyUSB0?baud=abc"), "baud"),
        (("--url", "sim://jk02_32s?cells=abc"), "cells"),
    ],
)
def test_bad_input_is_one_line_and_nothing_is_recorded(
    registry_file: Path, run_cli, args: tuple[str, ...], said: str
) -> None:
    base = {"--url": "sim://jk02_32s?cells=16", "--operator": "Ana", "--job": "J1"}
    if "--profile" not in args and "--preset" not in args:
        base.update({"--preset": "lifepo4", "--cells": "16", "--capacity": "100"})
    for flag in args[::2]:
        base.pop(flag, None)
    flat = [x for kv in base.items() for x in kv] + list(args)
    ran = run_cli("commission", *flat)
    assert ran.returncode == 2 and said in ran.stderr, ran.stderr
    assert ran.stderr.count("\n") == 1 and ran.stderr.startswith("packbench commission: ")
    assert not registry_file.exists()


def test_an_unusable_registry_refuses_commissioning_before_connecting(
    registry_file: Path, run_cli, tmp_path: Path
) -> None:
    registry_file.write_bytes(b"garbage" * 100)
    before = registry_file.read_bytes()
    ran = _commission(run_cli, "sim://jk02_32s?cells=16", 16, tmp_path / "r")
    assert ran.returncode == 1 and "not commissioned: the pack registry cannot be used" in ran.stderr
    assert registry_file.read_bytes() == before and not (tmp_path / "r").exists()


def test_a_board_without_a_serial_number_takes_the_packs_own(
    registry_file: Path, run_cli, tmp_path: Path
) -> None:
    url = "sim://daly_d2?cells=16&current=0"  # Daly reports no serial number
    ran = _commission(run_cli, url, 16, tmp_path / "r")
    assert ran.returncode == 1 and "reports no serial number" in ran.stderr, ran.stderr
    ran = _commission(run_cli, url, 16, tmp_path / "r", "--serial", "WS-2025-0042")
    assert ran.returncode in (0, 3), ran.stderr
    with Registry(registry_file) as r:
        assert [(p["family"], p["serial"]) for p in r.packs()] == [("daly", "WS-2025-0042")]
    # a board's own serial number is never replaced
    ran = _commission(run_cli, "sim://jk02_32s?cells=16&seed=2", 16, tmp_path / "r", "--serial", "OTHER")
    assert ran.returncode == 2 and "--serial: the board reports serial number SIM" in ran.stderr


def test_packs_list_show_export(registry_file: Path, run_cli, tmp_path: Path) -> None:
    ran = run_cli("packs", "list")
    assert ran.returncode == 0 and "No packs recorded yet" in ran.stdout
    assert not registry_file.exists()  # reading does not create the file
    with Registry(registry_file) as r:
        v = r.add_visit("jk", "SIM1", {"model": "JK-B2A16S", "software_version": "3.3.0"})
        r.add_event(v, "write", "1 key(s) written", {"results": []}, operator="Ana", job="J-9")
        r.add_visit("jbd", "SIM1", {"model": "JBD-SP04S034"})
    listed = json.loads(run_cli("packs", "list", "--json").stdout)
    assert sorted((p["family"], p["serial"]) for p in listed) == [("jbd", "SIM1"), ("jk", "SIM1")]
    assert [
        p["family"] for p in json.loads(run_cli("packs", "list", "--search", "j-9", "--json").stdout)
    ] == ["jk"]
    ambiguous = run_cli("packs", "show", "SIM1")
    assert ambiguous.returncode == 1 and "add --family" in ambiguous.stderr
    shown = json.loads(run_cli("packs", "show", "SIM1", "--family", "jk", "--json").stdout)
    assert [e["summary"] for e in shown["timeline"]] == ["1 key(s) written"]
    out = tmp_path / "jk-SIM1.json"
    ran = run_cli("packs", "export", "SIM1", "--family", "jk", "--json", "-o", str(out))
    assert ran.returncode == 0, ran.stderr
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported["format"] == "packbench-pack" and len(exported["visits"]) == 1
    missing = run_cli("packs", "show", "NOPE")
    assert missing.returncode == 1 and missing.stderr.startswith(
        "packbench packs: no pack with serial number NOPE"
    )
    usage = run_cli("packs", "show")
    assert usage.returncode == 2 and "needs the pack's serial number" in usage.stderr


def test_packs_refuses_a_registry_from_a_newer_packbench(registry_file: Path, run_cli) -> None:
    import sqlite3

    Registry(registry_file).close()
    con = sqlite3.connect(registry_file)
    con.execute("PRAGMA user_version = 99")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    before = registry_file.read_bytes()
    ran = run_cli("packs", "list")
    assert ran.returncode == 1 and "newer Packbench" in ran.stderr and ran.stderr.count("\n") == 1
    assert registry_file.read_bytes() == before


@needs_poppler
def test_commission_from_a_terminal_without_a_display(tmp_path: Path) -> None:
    """The CLI in its own process, with no display and no QT_QPA_PLATFORM, against
    ``packbench simulate --listen 127.0.0.1:0``: the PDF is drawn offscreen."""
    import os
    import sys

    from boards import ENV, ROOT, Simulate

    env = {k: v for k, v in ENV.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env[packlog.ENV] = str(tmp_path / "packs.sqlite3")
    with Simulate("--url", "sim://jbd?cells=13") as sim:
        proc = subprocess.run(
            [sys.executable, "-m", "app", "commission", "--url", sim.url("jbd"), "--preset", "lifepo4"]
            + ["--cells", "13", "--capacity", "100", "--operator", "Ana", "--job", "J-1"]
            + ["--out", str(tmp_path / "r"), "--rest-s", "0.2"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert proc.returncode in (0, 3), proc.stderr
    assert proc.stderr == "" and "Report: " in proc.stdout, proc.stdout + proc.stderr
    (pdf,) = (tmp_path / "r").glob("*.pdf")
    _, text = _pictures(pdf, "commission_cli_process")
    assert "Serial number SIM0001" in text and "Job J-1" in text
    assert os.path.getsize(tmp_path / "packs.sqlite3") > 0


def test_a_32_cell_report_with_a_few_writes_fits_one_page(
    registry_file: Path, run_cli, tmp_path: Path
) -> None:
    from app.rendering.report_pdf import page_count

    ran = _commission(
        run_cli, "sim://jk02_32s?cells=32&seed=3", 32, tmp_path / "r", "--cells", "32", "--json"
    )
    assert ran.returncode in (0, 3), ran.stderr
    report = json.loads(ran.stdout)["report"]
    assert len(report["cells"]["voltages_v"]) == 32 and len(report["cells"]["resistances_ohm"]) == 32
    key = {"key": "cell_ovp_v", "before": 3.6, "requested": 3.65, "stored": 3.65, "verdict": "verified"}
    report["changes"] = [
        {"event": i, "at": "2025-03-14T10:22:00.000Z", "kind": "write", "operator": "Ana", "summary": "",
         "backup": f"/data/backups/X/2025031{i}.json", "keys": [key, dict(key, key="soc_full_v")]}
        for i in range(4)
    ]  # fmt: skip
    assert page_count(report) == 1
    report["changes"] *= 10  # a long history spills onto a second page rather than being cut
    assert page_count(report) == 2
