"""``packbench scan``: Bluetooth boards nearby and serial ports."""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
from typing import Any

from .common import EXIT_INTERRUPTED


def add_parser(sub: Any) -> None:
    sc = sub.add_parser("scan", help="list nearby Bluetooth boards and serial ports")
    sc.add_argument("--timeout", type=float, default=5.0, help="seconds to listen for Bluetooth boards")
    sc.add_argument("--json", action="store_true", help='{"devices": [...], "bluetooth_error": …}')
    sc.set_defaults(func=cmd_scan)


async def _scan(args: argparse.Namespace) -> int:
    from ..services.discovery import scan_all

    found, ble_error = await scan_all(args.timeout)
    if args.json:
        print(json.dumps({"devices": [f.to_json() for f in found], "bluetooth_error": ble_error}))
        return 0
    if ble_error:
        print(f"Bluetooth: {ble_error}", file=sys.stderr)
    if not found:
        print("No boards or serial ports found.")
    for f in found:
        signal_text = f"{f.rssi} dBm" if f.rssi is not None else ""
        print(f"{f.url:<32} {f.name:<24} {signal_text}".rstrip())
    return 0


def cmd_scan(args: argparse.Namespace) -> int:
    if not (math.isfinite(args.timeout) and 0 <= args.timeout <= 3600):
        print(
            f"packbench scan: --timeout is how many seconds to listen for Bluetooth boards "
            f"(0 to 3600), not {args.timeout:g}",
            file=sys.stderr,
        )
        return 2
    try:
        return asyncio.run(_scan(args))
    except KeyboardInterrupt:  # stopped before the scan ended: nothing was listed
        return EXIT_INTERRUPTED
