"""``packbench simulate``: serve a simulated board over TCP, narrating what it does."""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
from typing import Any

from .common import stop_on_signals


def add_parser(sub: Any) -> None:
    from ..protocols.family import default_protocol
    from ..simulator import SIMULATED_PROTOCOLS

    default = default_protocol()
    s = sub.add_parser("simulate", help="serve a simulated board over TCP")
    s.add_argument(
        "--url",
        help="a sim:// URL with any of its options, e.g. "
        f"'sim://{default}?cells=13&fault=drop_link_mid_write'",
    )
    s.add_argument(
        "--protocol",
        help=", ".join(f"{pid} (default)" if pid == default else pid for pid in SIMULATED_PROTOCOLS),
    )
    s.add_argument("--cells", type=int, help="cells in series (default 16, or the simulated board's own)")
    s.add_argument("--chemistry", help="lifepo4 (default, or the simulated board's own), li-ion or lto")
    s.add_argument(
        "--capacity", type=float, help="pack capacity in Ah (default 100, or the simulated board's own)"
    )
    s.add_argument("--seed", type=int, default=None)
    s.add_argument(
        "--interval",
        type=float,
        default=0,
        help="seconds between live frames (default 0.5, like a real board)",
    )
    s.add_argument("--listen", default="127.0.0.1:0", help="HOST:PORT (port 0 picks a free one)")
    s.add_argument(
        "--duration", type=float, default=0, help="stop after S seconds (default: run until stopped)"
    )
    s.set_defaults(func=cmd_simulate)


#: what ``simulate`` serves when neither --url nor a flag says otherwise
SIMULATE_DEFAULTS = {"cells": 16, "chemistry": "lifepo4", "capacity": 100.0}


def simulator_spec(args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    """The protocol and the ``sim://`` options to simulate: ``--url`` takes every option a
    ``sim://`` URL takes; the flags (--protocol, --cells …) given as well override it."""
    from ..model.url import parse_device_url
    from ..protocols.family import default_protocol

    if args.url:
        url = parse_device_url(args.url)
        if url.scheme != "sim":
            raise ValueError(
                f"--url takes a sim:// URL (e.g. sim://{default_protocol()}?cells=13), not {args.url!r}"
            )
        protocol, options = url.protocol or url.target, dict(url.options)
        options.pop("protocol", None)
    else:
        protocol, options = args.protocol or default_protocol(), None
    if args.protocol:
        protocol = args.protocol
    if options is None:
        # the simulator module's own defaults where it has them (simulator.defaults_for),
        # otherwise Packbench's
        from ..simulator import defaults_for

        options = defaults_for(protocol) or dict(SIMULATE_DEFAULTS)
    for name in ("cells", "chemistry", "capacity", "seed"):
        if getattr(args, name) is not None:
            options[name] = getattr(args, name)
    if args.interval:
        options["interval"] = args.interval
    return protocol, options


def _narrator(sim: Any) -> Any:
    """Print the board's narration; a closed stdout ends it, not the simulation."""

    def say(text: str) -> None:
        try:
            print(text, flush=True)
        except (OSError, ValueError):
            sim.narrate = None

    return say


async def _simulate(args: argparse.Namespace) -> int:
    from ..simulator import create_simulator
    from ..simulator.server import SimulatorServer

    try:
        host, port = parse_listen(args.listen)
        if not (math.isfinite(args.duration) and args.duration >= 0):
            raise ValueError(
                f"--duration is how many seconds to serve (0: until stopped), not {args.duration:g}"
            )
        protocol, options = simulator_spec(args)
        sim = create_simulator(protocol, **options)
    except (ValueError, KeyError) as exc:
        print(f"packbench simulate: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    server = SimulatorServer(sim)
    try:
        addr = await server.start(host, port)
    except (OSError, ValueError) as exc:
        print(f"packbench simulate: cannot listen on {args.listen}: {exc}", file=sys.stderr)
        return 2
    print(f"listening on {addr[0]}:{addr[1]}", flush=True)
    # the narrating board: one line per change it makes to itself
    sim.narrate = _narrator(sim)
    stop = stop_on_signals()
    loop = asyncio.get_running_loop()
    if args.duration:
        loop.call_later(args.duration, stop.set)
    await stop.wait()
    await server.stop()
    live = getattr(sim, "sent_live_frames", None)
    if live is not None:
        print(f"simulate: sent {live} live frames", file=sys.stderr, flush=True)
    else:  # a polled board (JBD) sends what it is asked for
        print(f"simulate: answered {len(getattr(sim, 'received', ()))} requests", file=sys.stderr, flush=True)
    return 0


def parse_listen(text: str) -> tuple[str, int]:
    """``--listen HOST:PORT`` (``127.0.0.1:0``, ``:8899``, ``[::1]:0``), or ValueError."""
    host, sep, port_text = text.strip().rpartition(":")
    if not sep:
        raise ValueError(f"--listen {text!r}: say HOST:PORT, e.g. --listen 127.0.0.1:8899")
    host = host.strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]  # an IPv6 address
    try:
        port = int(port_text or "0")
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise ValueError(
            f"--listen {text!r}: the port must be a number from 0 to 65535 "
            "(0 picks a free one), e.g. --listen 127.0.0.1:8899"
        )
    if any(c.isspace() for c in host) or "\0" in host:
        raise ValueError(f"--listen {text!r}: {host!r} is not a host name or address")
    return host or "127.0.0.1", port


def cmd_simulate(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_simulate(args))
    except KeyboardInterrupt:
        return 0
