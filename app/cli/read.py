"""``packbench read``: live snapshots from a board, as lines or JSON (a contract)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any


def add_parser(sub: Any) -> None:
    from ..protocols.family import default_protocol, probe_families

    probing = ", ".join(f.id for f in probe_families())
    r = sub.add_parser("read", help="connect to a board and print live snapshots")
    r.add_argument(
        "--url",
        required=True,
        help=f"device URL: /dev/ttyUSB0, socket://host:port, sim://{default_protocol()}",
    )
    r.add_argument(
        "--protocol",
        help="force a protocol id (as ?protocol= in the URL does)"
        + (
            f", or name a family ({probing}) to find which of its protocols the board speaks"
            if probing
            else ""
        ),
    )
    r.add_argument(
        "--pin", help="the board's Bluetooth PIN, for ble:// URLs (the vendor app asks for it too)"
    )
    r.add_argument("--count", type=int, default=0, help="stop after N snapshots (default: until Ctrl-C)")
    r.add_argument("--json", action="store_true", help='one {"protocol", "kind", "fields"} object per line')
    r.add_argument("--no-reconnect", action="store_true", help="give up when the link drops")
    r.set_defaults(func=cmd_read)


def _human(snapshot: Any) -> str:
    """One line per snapshot, each value as every page shows it (model/units.py)."""
    from ..model.units import number, quantity

    s = snapshot
    parts = [quantity(s.pack_voltage_v, "V") if s.pack_voltage_v is not None else "— V"]
    if s.current_a is not None:  # JK04 balancers report no current
        parts.append(quantity(s.current_a, "A", signed=True))
    if s.soc_pct is not None:
        parts.append(f"SOC {quantity(s.soc_pct, '%')}")
    if s.cell_voltages_v:
        parts.append(
            f"{len(s.cell_voltages_v)} cells {number(s.cell_min_v, 'V')}–{quantity(s.cell_max_v, 'V')} "
            f"(Δ {quantity(s.cell_delta_v, 'V')})"
        )
    if s.temperatures_c:
        parts.append("T " + "/".join(number(t, "°C") for t in s.temperatures_c) + " °C")
    if s.mos_temperature_c is not None:
        parts.append(f"MOS {quantity(s.mos_temperature_c, '°C')}")
    if s.charge_mos_on is not None:
        parts.append("CHG " + ("on" if s.charge_mos_on else "off"))
    if s.discharge_mos_on is not None:
        parts.append("DSG " + ("on" if s.discharge_mos_on else "off"))
    if s.balancing_active:
        parts.append("balancing")
    if s.alarms:
        parts.append("ALARMS " + ",".join(s.alarms))
    return "  ".join(parts)


async def _read(args: argparse.Namespace) -> int:
    from ..session import DeviceSession, SessionError, State

    try:
        session = DeviceSession(
            args.url, args.protocol, reconnect=not args.no_reconnect, pin=getattr(args, "pin", None)
        )
    except (ValueError, KeyError) as exc:
        print(f"packbench read: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    queue: asyncio.Queue = asyncio.Queue()
    session.subscribe(queue.put_nowait)
    try:
        await session.connect()
    except SessionError as exc:
        print(f"packbench read: {exc}", file=sys.stderr)
        return 2
    printed = 0
    try:
        info = session.device_info
        if not args.json and info is not None:
            parts = [info.model or "?"]
            parts += [
                f"{tag} {v}" for tag, v in (("hw", info.hardware_version), ("sw", info.software_version)) if v
            ]
            print(f"# {' '.join(parts)} ({session.protocol.id})", flush=True)
        warned = False
        while args.count <= 0 or printed < args.count:
            event = await queue.get()
            if event.kind == "state" and event.detail and event.detail == session.misfit:
                # a forced protocol that does not fit the board: one line, json or not
                if not warned:
                    print(f"packbench read: warning: {session.misfit}", file=sys.stderr, flush=True)
                warned = True
            elif event.kind == "state" and not args.json:
                print(f"# {event.data.value} {event.detail}".rstrip(), file=sys.stderr, flush=True)
            if event.kind == "state" and event.data == State.DISCONNECTED:
                # the link dropped and the session gave up (--no-reconnect): no more data comes
                print(
                    f"packbench read: the link is gone: {event.detail or 'disconnected'}",
                    file=sys.stderr,
                    flush=True,
                )
                return 2
            if event.kind != "snapshot":
                continue
            if args.json:
                out = {"protocol": session.protocol.id, "kind": "live", "fields": event.data.to_fields()}
                if event.data.implausible:
                    out["implausible"] = list(event.data.implausible)
                print(json.dumps(out), flush=True)
            else:
                print(_human(event.data), flush=True)
            printed += 1
    finally:
        await session.close()
    return 0


def cmd_read(args: argparse.Namespace) -> int:
    if args.count < 0:  # a negative count would never be reached
        print(
            f"packbench read: --count is how many snapshots to print (0: until Ctrl-C), not {args.count}",
            file=sys.stderr,
        )
        return 2
    # Ctrl-C is how a read without --count ends: exit 0 (README)
    try:
        return asyncio.run(_read(args))
    except KeyboardInterrupt:
        return 0
