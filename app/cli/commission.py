"""``packbench commission``: one pack's commissioning record and its signed-off report.

    packbench commission --url URL (--profile FILE | --preset CHEM --cells N --capacity AH)
                         --operator NAME --job REF [--out DIR] [--rest-s S] [--serial TEXT]

Checks that the board's settings equal the target profile key by key, runs the
sealing checks (the cell spread judged at rest), takes a cell snapshot, records it
all in the pack registry and writes the report as PDF and JSON.  Nothing is written
to the board.  Exit 0: passed; 3: recorded, but a setting differs, a check failed
or could not tell (e.g. the pack needs rest); 1: nothing recorded (the registry
cannot be used, no serial number); 2: bad input or no connection.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
from pathlib import Path
from typing import Any

from ..services import commissioning, packlog, settings_files
from ..timing import current as current_timing
from .settings import check_numbers, request_from_args

EXIT_PASSED, EXIT_NOT_RECORDED, EXIT_USAGE, EXIT_NOT_PASSED = 0, 1, 2, 3


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "commission", help="check a pack against its profile, record it and write the signed-off report"
    )
    p.add_argument("--url", required=True, help="device URL")
    p.add_argument("--protocol", help="force a protocol id")
    p.add_argument(
        "--pin", help="the board's Bluetooth PIN, for ble:// URLs (the vendor app asks for it too)"
    )
    p.add_argument("--password", help="a board password needed to read its settings (JBD)")
    p.add_argument("--profile", help="the target: a settings file or a preset file")
    p.add_argument(
        "--preset", help="the target: lifepo4, li-ion, lto or a preset file, with --cells/--capacity"
    )
    p.add_argument("--cells", type=int, help="cells in series (with --preset)")
    p.add_argument("--capacity", type=float, help="pack capacity in Ah (with --preset)")
    p.add_argument("--charge-current", type=float, help="max charge current in A (with --preset)")
    p.add_argument("--discharge-current", type=float, help="max discharge current in A (with --preset)")
    p.add_argument("--operator", required=True, help="who commissions the pack (on the report)")
    p.add_argument("--job", required=True, help="the job reference (on the report)")
    p.add_argument("--out", help="where the report files go (default: the data folder's reports/)")
    p.add_argument(
        "--rest-s",
        type=float,
        help="how long the current must stay at or below 0.5 A before the cell spread is judged (default 30)",
    )
    p.add_argument("--serial", help="the pack's serial number, for a board that reports none")
    p.add_argument("--json", action="store_true", help="print the report's content and files as JSON")
    p.set_defaults(func=main)


def _err(msg: str) -> None:
    print(f"packbench commission: {msg}", file=sys.stderr)


def check_args(args: argparse.Namespace) -> str | None:
    """What is wrong with the arguments (before anything is connected), or None."""
    if bool(args.profile) == bool(args.preset):
        return "say what the pack must be: --profile FILE, or --preset CHEM --cells N --capacity AH"
    if args.preset and (args.cells is None or args.capacity is None):
        return "--preset needs --cells and --capacity (the pack profile)"
    for flag in ("operator", "job"):
        if not (getattr(args, flag) or "").strip():
            return f"--{flag} must not be empty"
    if args.rest_s is not None and not (math.isfinite(args.rest_s) and 0 <= args.rest_s <= 3600):
        return f"--rest-s must be 0 to 3600 seconds, not {args.rest_s}"
    if args.serial is not None and not args.serial.strip():
        return "--serial must not be empty"
    if args.out and Path(args.out).exists() and not Path(args.out).is_dir():
        return f"--out {args.out} is a file, not a folder"
    if args.profile and not Path(args.profile).is_file():
        return f"--profile {args.profile}: no such file"
    return check_numbers(args)


def target_of(args: argparse.Namespace, request: settings_files.Request) -> commissioning.Target:
    if args.preset:
        preset = request.preset
        name = f"{preset.name} preset, {args.cells} cells, {args.capacity:g} Ah"
        source: dict[str, Any] = {"preset": preset.name, "cells": args.cells, "capacity_ah": args.capacity}
        for flag in ("charge_current", "discharge_current"):
            value = getattr(args, flag)
            if value is not None:
                source[f"{flag}_a"] = value
                name += f", {flag.replace('_', ' ')} {value:g} A"
        return commissioning.target_from_request(request, name, source)
    kind = "preset file" if request.preset is not None else "settings file"
    return commissioning.target_from_request(
        request, f"{kind} {Path(args.profile).name}", {"file": str(Path(args.profile).resolve())}
    )


async def run(args: argparse.Namespace) -> int:
    from ..session import DeviceSession, SessionError
    from . import check_device_url

    if (bad := check_args(args) or check_device_url(args.url)) is not None:
        _err(bad)
        return EXIT_USAGE
    try:  # the URL is checked before the registry is opened (bad input touches no file)
        session = DeviceSession(args.url, args.protocol, reconnect=False, pin=args.pin)
    except (ValueError, KeyError) as exc:
        _err(str(exc.args[0] if exc.args else exc))
        return EXIT_USAGE
    if packlog.path() is None or packlog.open_registry() is None:
        _err(
            "not commissioned: the pack registry cannot be used ("
            + (packlog.problem() or "switched off with PACKBENCH_REGISTRY=off")
            + "); nothing was recorded"
        )
        return EXIT_NOT_RECORDED
    try:
        await session.connect()
    except SessionError as exc:
        _err(str(exc))
        return EXIT_USAGE
    try:
        return await _commission(args, session)
    except SessionError as exc:
        _err(f"not commissioned: {exc}")
        return EXIT_USAGE
    finally:
        await session.close()


async def _commission(args: argparse.Namespace, session: Any) -> int:
    session.remember_board_password(args.password)  # JBD: settings behind a password
    try:
        request = request_from_args(
            argparse.Namespace(**{**vars(args), "file": args.profile}), session.protocol
        )
    except (ValueError, OSError) as exc:  # FileError is a ValueError
        _err(str(exc))
        return EXIT_USAGE
    target = target_of(args, request)
    operator = args.operator.strip()
    packlog.set_operator(operator)
    if args.serial:
        await session.refresh_settings()  # JBD keeps its serial among its settings
        try:
            packlog.assign_serial(session, args.serial)
        except ValueError as exc:
            _err(f"--serial: {exc}")
            return EXIT_USAGE
    quiet = args.json
    rest = args.rest_s
    if not quiet:
        print(
            f"Commissioning against {target.name} (job {args.job.strip()}, operator {operator})", flush=True
        )
        seconds = rest if rest is not None else current_timing().rest_s
        print(
            f"Judging the cell spread at rest: the current must stay at most 0.5 A for {seconds:g} s…",
            flush=True,
        )
    try:
        result = await commissioning.commission(
            session, target, operator=operator, job=args.job.strip(), rest_s=rest
        )
    except commissioning.CommissioningError as exc:
        _err(f"not commissioned: {exc}")
        return EXIT_NOT_RECORDED
    report = result.report
    from ..rendering.report_files import write_files  # Qt's PDF writer: only when needed

    try:
        files = write_files(report, Path(args.out) if args.out else None)
        commissioning.record_report(result.registry, report, files, operator=operator)
    except OSError as exc:
        _err(f"recorded as record {result.event_id}, but the report was not written: {exc}")
        return EXIT_NOT_RECORDED
    if quiet:
        print(json.dumps({"report": report, "files": {k: str(v) for k, v in files.items()}}))
    else:
        print_summary(report, files)
    return EXIT_PASSED if result.verdict == commissioning.PASSED else EXIT_NOT_PASSED


def print_summary(report: dict[str, Any], files: dict[str, Path]) -> None:
    pack = report["pack"]
    print(
        f"{pack['family']} {pack.get('model') or ''} serial {pack['serial_number']}, "
        f"firmware {pack.get('software_version') or '?'}"
    )
    part = report["settings"]
    if part["all_equal"]:
        print(f"Settings: all {len(part['rows'])} equal the profile ✓")
    else:
        print(f"Settings: {len(part['differ'])} of {len(part['rows'])} differ from the profile ✗")
        for row in part["rows"]:
            if not row["equal"]:
                print(
                    f"  {row['label']}: board {commissioning.value_text(row['key'], row['board'])}, "
                    f"profile {commissioning.value_text(row['key'], row['target'])}"
                )
    for check in report["checks"]:
        mark = {True: "✓", False: "✗", None: "?"}[check["ok"]]
        print(f"  {mark} {check['title']}: {check['detail']}")
    print(f"Verdict: {report['verdict'].upper()} (pack registry record {report['record']['event']})")
    for reason in report["reasons"]:
        print(f"  {reason}")
    print(f"Report: {files['pdf']}")
    print(f"        {files['json']}")


def main(args: argparse.Namespace) -> int:
    return asyncio.run(run(args))
