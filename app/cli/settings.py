"""``packbench settings dump|diff|apply``: the write transaction from a terminal.

Prints the same diff and per-key report as the GUI.  ``dump --json`` prints
the settings as one JSON object of canonical keys (a contract).  A refused
or failed apply exits non-zero and says why on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import math
import sys
from pathlib import Path
from typing import Any

from ..protocols.family import label
from ..services import packlog, presets, settings_files, writer
from ..services.interlocks import fmt_value
from .signals import CancelOnSignal, run_interruptible

EXIT_OK, EXIT_REFUSED, EXIT_FAILED, EXIT_USAGE = 0, 1, 3, 2


def add_parser(sub: Any) -> None:
    p = sub.add_parser("settings", help="dump, compare or write a board's settings")
    p.add_argument("action", choices=("dump", "diff", "apply"))
    p.add_argument("--url", required=True, help="device URL")
    p.add_argument("--protocol", help="force a protocol id")
    p.add_argument(
        "--pin", help="the board's Bluetooth PIN, for ble:// URLs (the vendor app asks for it too)"
    )
    p.add_argument("--preset", help="lifepo4, li-ion, lto, or a preset file")
    p.add_argument("--cells", type=int, help="cells in series (with --preset)")
    p.add_argument("--capacity", type=float, help="pack capacity in Ah (with --preset)")
    p.add_argument("--charge-current", type=float, help="max charge current in A (with --preset)")
    p.add_argument("--discharge-current", type=float, help="max discharge current in A (with --preset)")
    p.add_argument("--file", help="dump: write a settings file here; diff/apply: settings or preset file")
    p.add_argument("--password", help="the board's setup password (asked for when missing)")
    p.add_argument("--dry-run", action="store_true", help="show what would be written, write nothing")
    p.add_argument(
        "--yes", action="store_true", help="write without asking, acknowledging the advisories shown"
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--backup-dir", help="where automatic backups go (default: the user data folder)")
    p.add_argument(
        "--operator", help="who does this, for the pack registry (default: PACKBENCH_OPERATOR or your login)"
    )
    p.set_defaults(func=main)


def _err(msg: str) -> None:
    print(f"packbench settings: {msg}", file=sys.stderr)


def check_numbers(args: argparse.Namespace) -> str | None:
    """Why the pack-profile numbers cannot be right (NaN, infinite, 0 or less), or None."""
    for flag, value in (
        ("--capacity", args.capacity),
        ("--charge-current", args.charge_current),
        ("--discharge-current", args.discharge_current),
    ):
        if value is not None and not (math.isfinite(value) and value > 0):
            return f"{flag} must be a number above 0, not {value}"
    if args.cells is not None and not 1 <= args.cells <= 48:
        return f"--cells must be 1 to 48, not {args.cells}"
    return None


def request_from_args(args: argparse.Namespace, protocol: Any) -> settings_files.Request:
    """What --preset/--file ask this board for, parsed strictly (FileError/ValueError in words)."""

    def profile() -> presets.PackProfile:
        return presets.PackProfile(args.cells, args.capacity, args.charge_current, args.discharge_current)

    if args.preset:
        path = Path(args.preset)
        preset = (
            presets.load_preset(path)
            if path.suffix.lower() == ".json" and path.exists()
            else presets.builtin(args.preset)
        )
        if args.cells is None or args.capacity is None:
            raise ValueError("--preset needs --cells and --capacity (the pack profile)")
        return settings_files.request_from(
            preset, protocol, profile=profile(), name="" if preset.builtin else path.name
        )
    if args.file:
        source = settings_files.open_file(args.file)
        have_profile = args.cells is not None and args.capacity is not None
        return settings_files.request_from(
            source,
            protocol,
            name=Path(args.file).name,
            profile=profile() if isinstance(source, presets.Preset) and have_profile else None,
        )
    raise ValueError("say what to write: --preset lifepo4|li-ion|lto --cells N --capacity AH, or --file F")


def skipped_keys(request: settings_files.Request, plan: writer.Plan) -> list[str]:
    """Keys the file asks a different value for that this board does not let be written."""
    return [
        k
        for k, v in request.read_only.items()
        if k in plan.board and not settings_files.same(None, plan.board[k], v)
    ]


def print_notes(request: settings_files.Request, plan: writer.Plan) -> None:
    """Values of the file this board will not take, said, never dropped silently."""
    skipped = skipped_keys(request, plan)
    if skipped:
        print(
            "Not written (read-only on this board): "
            + ", ".join(f"{label(k)} = {fmt_value(k, request.read_only[k])}" for k in skipped)
        )


def print_plan(plan: writer.Plan) -> None:
    if not plan.changes:
        print("No changes: the board already has these values.")
    else:
        print(f"{len(plan.changes)} change(s), board → new, in write order:")
        width = max(len(label(c.key)) for c in plan.changes)
        for c in plan.changes:
            print(f"  {label(c.key):<{width}}  {fmt_value(c.key, c.old):>10} → {fmt_value(c.key, c.new)}")
    for f in plan.blocking:
        print(f"BLOCKED ({f.name}): {f.message()}")
    for f in plan.advisories:
        print(f"WARNING ({f.name}): {f.message()}")


def plan_json(plan: writer.Plan) -> dict[str, Any]:
    return {
        "changes": [{"key": c.key, "old": c.old, "new": c.new} for c in plan.changes],
        "unchanged": plan.unchanged,
        "findings": [
            {"rule": f.rule, "name": f.name, "keys": list(f.keys), "hard": f.hard, "message": f.message()}
            for f in plan.findings
        ],
    }


async def run(args: argparse.Namespace) -> int:
    """Ctrl-C and SIGTERM stop a write cleanly: the per-key report of what the board holds,
    the backup, a non-zero exit (cli/signals.py)."""
    writing: list[bool] = []  # set once the write transaction has begun

    def interrupted(name: str) -> int:
        _err(
            f"interrupted by {name}: "
            + (
                "the write had finished; check the board with `packbench settings dump`"
                if writing
                else "nothing was written"
            )
        )
        return EXIT_FAILED

    return await run_interruptible(lambda signals: _run(args, signals, writing), interrupted)


async def _run(args: argparse.Namespace, signals: CancelOnSignal, writing: list[bool]) -> int:
    from ..session import DeviceSession, SessionError

    if (bad := check_numbers(args)) is not None:
        _err(bad)
        return EXIT_USAGE
    packlog.set_operator(getattr(args, "operator", None))
    try:
        session = DeviceSession(args.url, args.protocol, reconnect=False, pin=getattr(args, "pin", None))
    except (ValueError, KeyError) as exc:
        _err(str(exc.args[0] if exc.args else exc))
        return EXIT_USAGE
    try:
        await session.connect()
    except SessionError as exc:
        _err(str(exc))
        return EXIT_FAILED
    try:
        return await _act(args, session, signals, writing)
    except SessionError as exc:
        _err(str(exc))
        return EXIT_FAILED
    finally:
        await session.close()


async def _act(args: argparse.Namespace, session: Any, signals: CancelOnSignal, writing: list[bool]) -> int:
    schema = session.protocol.settings_schema()
    # JBD keeps its settings behind factory mode: a board with a password needs it
    # even to show them (sent only if the board asks; memory only)
    session.remember_board_password(args.password)
    if args.action == "dump":
        values = (await session.refresh_settings()).values
        packlog.settings_read(session, values, "settings dump")
        if args.file:
            try:
                settings_files.save(
                    args.file,
                    settings_files.to_document(
                        values, protocol=session.protocol.id, device=session.device_info, schema=schema
                    ),
                )
            except (ValueError, OSError) as exc:
                _err(f"not saved: {exc}")
                return EXIT_USAGE
        if args.json:
            print(json.dumps(values))
        else:
            info = session.device_info
            if info:
                print(
                    f"# {info.model} hw {info.hardware_version} sw {info.software_version} "
                    f"({session.protocol.id})"
                )
            for key, value in values.items():
                print(f"{label(key)}: {fmt_value(key, value)}   [{key}]")
        return EXIT_OK
    try:
        request = request_from_args(args, session.protocol)
        plan = await writer.prepare(
            session, request.values, chemistry=request.chemistry, origin=request.origin
        )
    except (ValueError, OSError) as exc:  # settings_files.FileError is a ValueError
        _err(str(exc))
        return EXIT_USAGE
    except writer.WriteError as exc:
        _err(str(exc))
        return EXIT_REFUSED
    reason = session.protocol.read_only_reason
    if reason and (request.preset is not None or skipped_keys(request, plan)):
        # a read-only family: a preset or a change is refused before any plan is shown
        _err(f"not written: {reason}")
        return EXIT_REFUSED
    if args.json and (args.action == "diff" or args.dry_run):
        print(json.dumps(plan_json(plan)))
    else:
        print_notes(request, plan)
        print_plan(plan)
    if args.action == "diff" or args.dry_run:
        return EXIT_REFUSED if plan.blocking else EXIT_OK
    if plan.blocking:
        _err(
            "not written, blocked by the safety rules: "
            + " ".join(f"({f.name}) {f.message()}" for f in plan.blocking)
        )
        return EXIT_REFUSED
    if not plan.changes:
        if args.json:
            print(json.dumps(writer.Report(summary="nothing to write").to_json()))
        return EXIT_OK
    if not args.yes:
        if not sys.stdin.isatty():
            _err("not written: add --yes to write without a prompt")
            return EXIT_REFUSED
        if plan.advisories:
            print("Writing means you accept the warnings above.")
        answer = signals.ask(lambda: input(f"Write {len(plan.changes)} change(s) to the board? [y/N] "))
        if (answer or "").strip().lower() not in ("y", "yes"):
            _err("not written: cancelled")
            return EXIT_REFUSED
    password = args.password
    if password is None and sys.stdin.isatty():
        password = signals.ask(lambda: getpass.getpass("Setup password: "))
        if password is None:
            _err("not written: cancelled")
            return EXIT_REFUSED
    try:
        report = await writer.execute(
            session,
            plan,
            password=password,
            gate=writer.PasswordGate(),
            acknowledged={f.id for f in plan.advisories},
            backup_dir=Path(args.backup_dir) if args.backup_dir else None,
            progress=None
            if args.json
            else (lambda i, n, key: print(f"  [{i + 1}/{n}] {label(key)}", flush=True) if key else None),
        )
    except writer.WriteError as exc:
        _err(f"not written: {exc}")
        return EXIT_REFUSED
    except writer.Interrupted as stop:  # Ctrl-C/SIGTERM: the report of what the board holds
        report = stop.report
    writing.append(True)
    print_report(args, report)
    if report.interrupted:
        _err(f"stopped by {signals.received or 'a signal'}: " + report.summary)
        return EXIT_FAILED
    if not report.ok:
        _err(report.summary)
        return EXIT_FAILED
    return EXIT_OK


def print_report(args: argparse.Namespace, report: writer.Report) -> None:
    """The per-key report of what the board holds now, the summary and the backup."""
    if args.json:
        print(json.dumps(report.to_json()))
    else:
        for r in report.results:
            if r.status == writer.UNCHANGED:
                continue
            print(f"  {label(r.key)}: {r.status.replace('_', ' ')}" + (f" — {r.detail}" if r.detail else ""))
        print(report.summary)
        if report.backup:
            print(f"Backup of the previous settings: {report.backup}")
    sys.stdout.flush()


def main(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(run(args))
    except KeyboardInterrupt:
        return EXIT_FAILED
