"""``packbench control``: switches, calibration and resets from a terminal.

    packbench control --url URL charge on|off | discharge on|off | balance on|off
                      | emergency on|off
                      | calibrate-voltage V | calibrate-current A | zero-current
                      | reboot | shutdown | factory-reset | board-preset lifepo4|li-ion|lto
                      | set-remaining-capacity AH | set-soc PCT | set-clock
                      | board-password set --new-password NEW | board-password clear
                      [--password PW] [--yes] [--json]

Each action says in plain words what happens to the pack, asks (or needs
--yes), passes the password gate, and reports what the board reads back.
A refused or unverified action exits non-zero.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..model.units import quantity
from ..services import control, packlog, writer
from ..services.interlocks import fmt_value
from .signals import CancelOnSignal, run_interruptible

SWITCH_ARGS = {
    "charge": "charge_switch",
    "discharge": "discharge_switch",
    "balance": "balance_switch",
    "heating": "heating_switch",
}


def add_parser(sub: Any) -> None:
    p = sub.add_parser("control", help="switch, calibrate, restart or reset a board")
    p.add_argument("--url", required=True)
    p.add_argument("--protocol")
    p.add_argument(
        "--pin", help="the board's Bluetooth PIN, for ble:// URLs (the vendor app asks for it too)"
    )
    p.add_argument("--password", help="the board's setup password (asked for when missing)")
    p.add_argument("--yes", action="store_true", help="do it without asking")
    p.add_argument("--json", action="store_true")
    p.add_argument("--backup-dir")
    p.add_argument(
        "--operator", help="who does this, for the pack registry (default: PACKBENCH_OPERATOR or your login)"
    )
    p.add_argument(
        "action",
        help="charge|discharge|balance|heating|emergency on|off, "
        "calibrate-voltage V, calibrate-current A, zero-current, reboot, "
        "shutdown, factory-reset, board-preset CHEMISTRY, "
        "set-remaining-capacity AH, set-soc PCT, "
        "set-clock (from this computer's clock), board-password set|clear",
    )
    p.add_argument(
        "value",
        nargs="?",
        help="on/off, the meter's reading, a percentage, set/clear, "
        "or the board preset's chemistry (lifepo4, li-ion, lto)",
    )
    p.add_argument(
        "--new-password",
        help="board-password set: the new password (JBD: six digits; Daly D2: six letters or digits)",
    )
    p.set_defaults(func=main)


def _err(msg: str) -> None:
    print(f"packbench control: {msg}", file=sys.stderr)


def _confirm(args: argparse.Namespace, signals: CancelOnSignal, text: str, typed: str | None = None) -> bool:
    print(text, file=sys.stderr if args.json else sys.stdout, flush=True)
    if args.yes:
        return True
    if not sys.stdin.isatty():
        _err("not done: add --yes to act without a prompt")
        return False
    if typed:
        return (signals.ask(lambda: input(f"Type {typed} to go ahead: ")) or "").strip() == typed
    return (signals.ask(lambda: input("Go ahead? [y/N] ")) or "").strip().lower() in ("y", "yes")


async def run(args: argparse.Namespace) -> int:
    action = args.action.lower()
    if action in SWITCH_ARGS or action == "emergency":
        if (args.value or "").lower() not in ("on", "off"):
            _err(f"say on or off: packbench control … {action} on|off")
            return 2
    elif action in ("calibrate-voltage", "calibrate-current"):
        # a current is signed (discharging is negative); a voltage is above 0
        if not _number(
            args.value, (lambda v: v > 0) if action == "calibrate-voltage" else (lambda v: v != 0)
        ):
            _err(
                f"{action} needs the meter's reading as a number"
                f"{' above 0' if action == 'calibrate-voltage' else ''}, e.g. "
                f"{action} {'53.21' if action == 'calibrate-voltage' else '-12.5'}"
            )
            return 2
    elif action == "set-remaining-capacity":
        if not _number(args.value, lambda v: v >= 0):
            _err("set-remaining-capacity needs the charge the pack holds, in Ah (0 or more), e.g. 120")
            return 2
    elif action == "board-password":
        if (args.value or "").lower() not in ("set", "clear") or (
            args.value.lower() == "set" and not args.new_password
        ):
            _err("say board-password set --new-password NNNNNN, or board-password clear")
            return 2
        if args.value.lower() == "set" and not (
            len(args.new_password) == 6 and args.new_password.isascii() and args.new_password.isalnum()
        ):
            _err(
                "the board's password must be six digits (JBD) or six letters or digits (Daly), "
                "e.g. --new-password 246810"
            )
            return 2
    elif action == "board-preset":
        try:
            from ..services.presets import normalise_chemistry

            normalise_chemistry(args.value or "")
        except ValueError:
            _err("say which of the board's own presets: board-preset lifepo4|li-ion|lto")
            return 2
    elif action == "set-soc":
        if not _number(args.value, lambda v: 0 <= v <= 100):
            _err("set-soc needs the state of charge in % (0 to 100), e.g. set-soc 100")
            return 2
    elif action not in ("reboot", "restart", "shutdown", "factory-reset", "zero-current", "set-clock"):
        _err(f"unknown action {args.action!r}")
        return 2

    def interrupted(name: str) -> int:
        _err(
            f"interrupted by {name}: stopped; a write mode the board was in has been left "
            "without saving. Check the board with `packbench read` or `settings dump`"
        )
        return 3

    return await run_interruptible(lambda signals: _connect_and_act(args, action, signals), interrupted)


async def _connect_and_act(args: argparse.Namespace, action: str, signals: CancelOnSignal) -> int:
    from ..session import DeviceSession, SessionError

    try:
        session = DeviceSession(args.url, args.protocol, reconnect=False, pin=getattr(args, "pin", None))
        await session.connect()
    except (ValueError, KeyError, SessionError) as exc:
        _err(str(exc.args[0] if exc.args else exc))
        return 2
    try:
        return await _act(args, action, session, signals)
    except SessionError as exc:
        _err(str(exc))
        return 3
    finally:
        await session.close()


async def _act(args: argparse.Namespace, action: str, session: Any, signals: CancelOnSignal) -> int:
    packlog.set_operator(getattr(args, "operator", None))
    if session.protocol.read_only_reason:  # a read-only family: nothing is asked or sent
        _err(f"not done: {session.protocol.read_only_reason}")
        return 1
    gate = writer.PasswordGate()
    backup_dir = Path(args.backup_dir) if args.backup_dir else None
    password = args.password
    if action in SWITCH_ARGS:
        key, on = SWITCH_ARGS[action], args.value.lower() == "on"
        if not _confirm(args, signals, control.CONSEQUENCES[(key, on)]):
            return 1
        password = password or _ask_password(signals, session)
        try:
            report = await control.set_switch(
                session, key, on, password=password, gate=gate, backup_dir=backup_dir
            )
        except writer.WriteError as exc:
            _err(f"not done: {exc}")
            return 1
        except writer.Interrupted as stop:  # Ctrl-C/SIGTERM: what the board holds now
            report = stop.report
        result = next(r for r in report.results if r.key == key)
        out = {
            "action": action,
            "key": key,
            "requested": on,
            "status": result.status,
            "readback": result.readback,
            "ok": report.ok,
            "detail": result.detail or report.summary,
            "interrupted": report.interrupted,
            "backup": str(report.backup) if report.backup else None,
        }
        text = (
            f"{key.replace('_', ' ')}: {result.status.replace('_', ' ')}; the board now "
            f"reports {fmt_value(key, result.readback)}"
        )
        if not report.ok:
            text += f"\n{report.summary}" + (
                f"\nBackup of the previous settings: {report.backup}" if report.backup else ""
            )
        _print(args, out, text)
        if report.interrupted:
            _err(f"stopped by {signals.received or 'a signal'}: {report.summary}")
        return 0 if report.ok else 3
    if action == "emergency":
        on = args.value.lower() == "on"
        if not session.protocol.has_emergency():
            _err(f"not done: {session.protocol.name} has no emergency mode that Packbench knows")
            return 1
        minutes = control.emergency_minutes(session.protocol, session.settings)
        if not _confirm(args, signals, control.emergency_consequence(on, minutes)):
            return 1
        password = password or _ask_password(signals, session)
        try:
            res = await control.set_emergency(session, on, password=password, gate=gate)
        except writer.WriteError as exc:
            _err(f"not done: {exc}")
            return 1
        _print(
            args,
            {
                "action": action,
                "requested": on,
                "status": res.status,
                "acknowledged": res.acknowledged,
                "remaining_s": res.remaining_s,
                "ok": res.ok,
                "detail": res.message,
            },
            f"emergency: {res.status.replace('_', ' ')}; {res.message}",
        )
        return 0 if res.ok else 3
    if action in ("zero-current", "set-soc", "set-clock"):
        return await _zero_soc_or_clock(args, action, session, signals, gate, password)
    if action == "board-preset":
        return await _board_preset(args, session, signals, gate, password, backup_dir)
    if action.startswith("calibrate-"):
        kind = action.split("-", 1)[1]
        measured = float(args.value)
        unit = "V" if kind == "voltage" else "A"
        text = f"Calibrate the board's {kind} reading to the meter's {quantity(measured, unit)}." + (
            " Measure at the pack terminals with charging and discharging switched off."
            if kind == "voltage"
            else " Keep the current steady while calibrating."
        )
        if not _confirm(args, signals, text):
            return 1
        password = password or _ask_password(signals, session)
        try:
            cal = await control.calibrate(session, kind, measured, password=password, gate=gate)
        except writer.WriteError as exc:
            _err(str(exc))
            return 1
        _print(
            args,
            {
                "action": action,
                "measured": cal.measured,
                "before": cal.before,
                "after": cal.after,
                "acknowledged": cal.acknowledged,
                "ok": cal.ok,
                "detail": cal.message,
            },
            cal.message,
        )
        return 0 if cal.ok else 3
    if action == "set-remaining-capacity":
        if not session.protocol.has_remaining_capacity:
            _err("not done: this board has no command to set the remaining capacity that Packbench knows")
            return 1
        if not _confirm(args, signals, control.SOC_CONSEQUENCE):
            return 1
        try:
            res = await control.set_remaining_capacity(
                session, float(args.value), password=password, gate=gate
            )
        except (writer.WriteError, ValueError) as exc:
            _err(f"not done: {exc}")
            return 1
        _print(
            args,
            {
                "action": action,
                "requested_ah": res.requested_ah,
                "before_ah": res.before_ah,
                "after_ah": res.after_ah,
                "acknowledged": res.acknowledged,
                "ok": res.ok,
                "detail": res.message,
            },
            res.message,
        )
        return 0 if res.ok else 3
    if action == "board-password":
        what = args.value.lower()
        if not control.has_board_password(session):
            _err("not done: this board has no password command that Packbench knows")
            return 1
        if not _confirm(args, signals, control.PASSWORD_CONSEQUENCES[what]):
            return 1
        if session.protocol.password_check == "local":  # the old one is checked first
            password = password or _ask_password(signals, session)
        try:
            ok = await control.change_board_password(
                session, old=password, new=args.new_password if what == "set" else None, gate=gate
            )
        except ValueError as exc:  # a --password the board's format cannot hold (checked before sending)
            _err(f"not done: --password {password!r}: {exc}")
            return 2
        except writer.WriteError as exc:
            _err(f"not done: {exc}")
            return 1
        text = (
            ("the board now asks for the new password" if what == "set" else "the board has no password now")
            if ok
            else ("the board acknowledged, but does not behave as if the password changed")
        )
        _print(args, {"action": action, "what": what, "ok": ok, "detail": text}, text)
        return 0 if ok else 3
    name = {
        "reboot": "restart",
        "restart": "restart",
        "shutdown": "shutdown",
        "factory-reset": "factory_reset",
    }[action]
    if not _confirm(
        args, signals, control.ACTION_CONSEQUENCES[name], typed="RESET" if name == "factory_reset" else None
    ):
        return 1
    password = password or _ask_password(signals, session)
    try:
        res = await control.board_action(session, name, password=password, gate=gate, backup_dir=backup_dir)
    except writer.WriteError as exc:
        _err(f"not done: {exc}")
        return 1
    text = res.message + (f"; backup: {res.backup}" if res.backup else "")
    _print(
        args,
        {
            "action": action,
            "acknowledged": res.acknowledged,
            "backup": str(res.backup) if res.backup else None,
            "settings_after": res.settings_after,
            "detail": res.message,
        },
        text,
    )
    if res.settings_after and not args.json:
        for key, value in res.settings_after.items():
            print(f"  {key}: {fmt_value(key, value)}")
    return 0 if res.ok else 3


async def _board_preset(
    args: argparse.Namespace,
    session: Any,
    signals: CancelOnSignal,
    gate: writer.PasswordGate,
    password: str | None,
    backup_dir: Path | None,
) -> int:
    """The board's own one-click preset: backup first, the command, then what it set, read back."""
    from ..services.presets import normalise_chemistry

    chem = normalise_chemistry(args.value)
    action = next(
        (a for a in writer.board_preset_actions(session) if writer.board_preset_chemistry(a) == chem), None
    )
    if action is None:
        have = ", ".join(a.removeprefix("preset_") for a in writer.board_preset_actions(session))
        _err(
            f"not done: {session.protocol.name} has no {chem} preset of its own"
            + (f" (it has: {have})" if have else "; use `packbench settings apply --preset`")
        )
        return 1
    if not _confirm(
        args,
        signals,
        f"Load the board's own {chem} preset: it sets its protection "
        "values to what its firmware holds for that chemistry (nobody "
        "knows them in advance). A backup of the settings is saved "
        "first; what the board holds afterwards is read back.",
    ):
        return 1
    password = password or _ask_password(signals, session)
    try:
        rep = await writer.run_board_preset(
            session, action, password=password, gate=gate, backup_dir=backup_dir
        )
    except writer.WriteError as exc:
        _err(f"not done: {exc}")
        return 1
    changes = [{"key": c.key, "old": c.old, "new": c.new} for c in rep.changes]
    # taken: acknowledged, or (a board that answers nothing) its settings changed
    ok = rep.after is not None and (rep.acknowledged or bool(rep.changes))
    doc = {
        "action": "board-preset",
        "preset": action,
        "acknowledged": rep.acknowledged,
        "backup": str(rep.backup) if rep.backup else None,
        "changes": changes,
        "findings": [f.message() for f in rep.findings],
        "ok": ok,
        "detail": rep.error,
    }
    if rep.after is None:
        text = rep.error
    elif not rep.changes:
        text = (
            f"the board's {chem} preset changed nothing"
            if rep.acknowledged
            else f"the board's {chem} preset changed nothing: the board acknowledges nothing, so "
            "it did not take it (is it password-protected?)"
        )
    else:
        text = "\n".join(
            [f"the board's {chem} preset changed {len(rep.changes)} setting(s):"]
            + [f"  {c.key}: {fmt_value(c.key, c.old)} -> {fmt_value(c.key, c.new)}" for c in rep.changes]
        )
    text += f"\nBackup of the previous settings: {rep.backup}" if rep.backup else ""
    for finding in rep.findings:
        text += f"\nCheck ({finding.name}): {finding.message()}"
    _print(args, doc, text)
    return 0 if ok else 3


async def _zero_soc_or_clock(
    args: argparse.Namespace,
    action: str,
    session: Any,
    signals: CancelOnSignal,
    gate: writer.PasswordGate,
    password: str | None,
) -> int:
    """zero-current, set-soc PCT, set-clock: the commands a board may have without a meter."""
    from datetime import datetime

    caps = session.protocol.control_capabilities()
    need = {"zero-current": "calibration:current_zero", "set-soc": "soc", "set-clock": "clock"}[action]
    if need not in caps:
        what = {
            "zero-current": "no command to zero its current reading",
            "set-soc": "no command to set the state of charge",
            "set-clock": "no clock",
        }[action]
        _err(f"not done: {session.protocol.name} has {what} that Packbench knows")
        return 1
    texts = {
        "zero-current": control.ZERO_CONSEQUENCE,
        "set-soc": control.SET_SOC_CONSEQUENCE,
        "set-clock": control.CLOCK_CONSEQUENCE,
    }
    if not _confirm(args, signals, texts[action]):
        return 1
    password = password or _ask_password(signals, session)
    try:
        if action == "zero-current":
            cal = await control.calibrate(session, "current_zero", 0.0, password=password, gate=gate)
            doc = {
                "action": action,
                "before": cal.before,
                "after": cal.after,
                "acknowledged": cal.acknowledged,
                "ok": cal.ok,
                "detail": cal.message,
            }
            ok, text = cal.ok, cal.message
        elif action == "set-soc":
            res = await control.set_soc(session, float(args.value), password=password, gate=gate)
            doc = {
                "action": action,
                "requested_pct": res.requested_pct,
                "before_pct": res.before_pct,
                "after_pct": res.after_pct,
                "acknowledged": res.acknowledged,
                "ok": res.ok,
                "detail": res.message,
            }
            ok, text = res.ok, res.message
        else:
            clock = await control.set_clock(session, password=password, gate=gate, now=datetime.now())
            doc = {
                "action": action,
                "time": clock.when.isoformat(),
                "acknowledged": clock.acknowledged,
                "ok": clock.ok,
                "detail": clock.message,
            }
            ok, text = clock.ok, clock.message
    except writer.WriteError as exc:
        _err(f"not done: {exc}")
        return 1
    _print(args, doc, text)
    return 0 if ok else 3


def _number(text: str | None, test: Callable[[float], bool]) -> bool:
    """True when ``text`` is a finite number that passes ``test`` (NaN and inf never do)."""
    try:
        value = float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return math.isfinite(value) and test(value)


def _ask_password(signals: CancelOnSignal, session: Any) -> str | None:
    """The setup password, asked on a terminal (never for a board that has none)."""
    if session.protocol.password_check == "none":
        return None
    if sys.stdin.isatty():
        return signals.ask(lambda: getpass.getpass("Setup password: "))
    return None


def _print(args: argparse.Namespace, doc: dict[str, Any], text: str) -> None:
    print(json.dumps(doc) if args.json else text)


def main(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(run(args))
    except KeyboardInterrupt:
        return 3
