"""``packbench logbook``: the board's history of alarms and boots."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any


def add_parser(sub: Any) -> None:
    lb = sub.add_parser("logbook", help="print the board's history of alarms and boots (JK02_32S)")
    lb.add_argument("--url", required=True)
    lb.add_argument("--protocol")
    lb.add_argument(
        "--pin", help="the board's Bluetooth PIN, for ble:// URLs (the vendor app asks for it too)"
    )
    lb.add_argument("--json", action="store_true")
    lb.set_defaults(func=cmd_logbook)


def _duration(seconds: int) -> str:
    d, rest = divmod(seconds, 86400)
    h, rest = divmod(rest, 3600)
    m, s = divmod(rest, 60)
    return f"{d}d {h:02d}:{m:02d}:{s:02d}"


async def _logbook(args: argparse.Namespace) -> int:
    from ..session import DeviceSession, SessionError

    try:
        session = DeviceSession(args.url, args.protocol, reconnect=False, pin=getattr(args, "pin", None))
    except (ValueError, KeyError) as exc:
        print(f"packbench logbook: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    try:
        await session.connect()
        book = await session.read_logbook()
    except SessionError as exc:
        print(f"packbench logbook: {exc}", file=sys.stderr)
        return 2
    finally:
        await session.close()
    if args.json:
        print(json.dumps({"protocol": session.protocol.id, "kind": "logbook", "fields": book.to_fields()}))
        return 0
    shown = len(book.entries)
    print(
        f"# {book.count} event(s) on the board" + (f", the last {shown} shown" if shown < book.count else "")
    )
    for e in book.entries:
        print(f"{_duration(e.timestamp_s):>16}  {e.event}")
    return 0


def cmd_logbook(args: argparse.Namespace) -> int:
    return asyncio.run(_logbook(args))
