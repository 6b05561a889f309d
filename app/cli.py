"""``packbench``: the same session from a terminal.

Sub-commands: ``decode``, ``read``, ``simulate``; ``packbench --demo`` (or no
arguments) opens the GUI.  The JSON shapes are contracts (vocabulary.md "The
decode contract"): keep them exactly.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import select
import signal
import sys
import traceback
from typing import Any, Iterator, Sequence

from . import __version__
from .model import DeviceInfo, Snapshot, kind_of

from .simulator import DEMO_URL  # noqa: E402

#: exit codes of the safety net in ``main`` (sysexits.h EX_SOFTWARE; 128 + SIGINT)
EXIT_INTERNAL, EXIT_INTERRUPTED = 70, 130


# --- decode ---------------------------------------------------------------------------
_HEX_SEP = re.compile(r"[\s:,\-]")
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def parse_hex(text: str) -> bytes:
    cleaned = _HEX_SEP.sub("", text.strip())
    if cleaned.lower().startswith("0x"):
        cleaned = cleaned[2:]
    if not set(cleaned) <= _HEX_DIGITS:
        raise ValueError("not hex")
    if len(cleaned) % 2:
        raise ValueError("odd number of hex digits")
    return bytes.fromhex(cleaned)


#: what ``decode`` says of a frame no protocol claims (no --protocol given)
UNKNOWN_FRAME = ("not a frame Packbench knows: no JK (55 AA EB 90, AA 55 90 EB, 4E 57) or JBD "
                 "(DD, FF AA) header, and not a CRC-checked Modbus RTU frame (JK-PB)")


def decode_one(protocol_id: str, text: str) -> dict[str, Any]:
    """One line of the decode contract (vocabulary.md) for one hex frame.

    ``protocol_id`` "auto" guesses the family and variant from the frame, "jk" the
    JK variant.  Live data gets the device information the same frame carries (a
    JK 4E57 read-all reply) merged into its fields, and an ``implausible`` list
    naming the values dropped as impossible (model/plausible.py), only when there
    are any, so the output for a good frame is unchanged.
    """
    from .protocols import DecodeError, get_protocol, guess_protocol

    try:
        data = parse_hex(text)
    except ValueError as exc:
        return {"error": str(exc)}
    if not data:
        return {"error": "empty frame"}
    pid = protocol_id
    if pid in ("auto", "jk"):
        guessed = guess_protocol(data, None if pid == "auto" else "jk")
        if guessed is None:
            return {"error": UNKNOWN_FRAME}
        pid = guessed
    try:
        protocol = get_protocol(pid)
    except KeyError as exc:
        return {"error": str(exc.args[0])}
    try:
        message = protocol.decode(data)
    except DecodeError as exc:
        return {"error": str(exc)}
    out: dict[str, Any] = {"protocol": protocol.id, "kind": kind_of(message),
                           "fields": message.to_fields()}
    if isinstance(message, Snapshot):
        for key, value in _device_fields(protocol, data).items():
            out["fields"].setdefault(key, value)
        if message.implausible:
            out["implausible"] = list(message.implausible)
    return out


def _device_fields(protocol: Any, data: bytes) -> dict[str, Any]:
    """The device information a live frame carries besides (JK 4E57 read-all: software
    version, manufacturer …), without the protocol (the line names it already)."""
    from .protocols import DecodeError

    try:
        messages = protocol.decode_all(data)
    except DecodeError:
        return {}
    out: dict[str, Any] = {}
    for message in messages:
        if isinstance(message, DeviceInfo):
            out.update({k: v for k, v in message.to_fields().items() if k != "protocol"})
    return out


def _stdin_lines() -> Iterator[bytes]:
    """stdin as bytes, one line at a time: no locale can make a stray byte fatal."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # replaced by a text-only object (tests)
        yield from (line.encode("utf-8", "replace") for line in sys.stdin)
        return
    yield from stream


def cmd_decode(args: argparse.Namespace) -> int:
    """One JSON line per frame.  From stdin: one output line per input line, blank
    lines included (``{"error": "empty frame"}``); a reader that goes away (``| head
    -1``) ends the run quietly."""
    try:
        if args.hex is not None:
            out = decode_one(args.protocol, args.hex)
            print(json.dumps(out), flush=True)
            return 1 if "error" in out else 0
        for line in _stdin_lines():
            # latin-1 maps every byte to one character: a non-hex byte is "not hex", never fatal
            text = line.decode("latin-1")
            print(json.dumps(decode_one(args.protocol, text)), flush=True)
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    except KeyboardInterrupt:
        return 130
    return 0


def _quiet_stdout() -> None:
    """stdout's reader is gone: send what Python still flushes at exit to /dev/null,
    so no "Exception ignored … BrokenPipeError" appears (Python's signal docs)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


# --- read ------------------------------------------------------------------------------
def _human(snapshot: Any) -> str:
    s = snapshot
    parts = [f"{s.pack_voltage_v:.3f} V" if s.pack_voltage_v is not None else "— V"]
    if s.current_a is not None:  # JK04 balancers report no current
        parts.append(f"{s.current_a:+.2f} A")
    if s.soc_pct is not None:
        parts.append(f"SOC {s.soc_pct:.0f} %")
    if s.cell_voltages_v:
        parts.append(f"{len(s.cell_voltages_v)} cells {s.cell_min_v:.3f}–{s.cell_max_v:.3f} V "
                     f"(Δ {s.cell_delta_v * 1000:.0f} mV)")
    if s.temperatures_c:
        parts.append("T " + "/".join(f"{t:.1f}" for t in s.temperatures_c) + " °C")
    if s.mos_temperature_c is not None:
        parts.append(f"MOS {s.mos_temperature_c:.1f} °C")
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
    from .session import DeviceSession, SessionError, State

    try:
        session = DeviceSession(args.url, args.protocol, reconnect=not args.no_reconnect,
                                pin=getattr(args, "pin", None))
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
            parts += [f"{tag} {v}" for tag, v in (("hw", info.hardware_version),
                                                 ("sw", info.software_version)) if v]
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
                print(f"packbench read: the link is gone: {event.detail or 'disconnected'}",
                      file=sys.stderr, flush=True)
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
        print(f"packbench read: --count is how many snapshots to print (0: until Ctrl-C), "
              f"not {args.count}", file=sys.stderr)
        return 2
    # Ctrl-C is how a read without --count ends: exit 0 (README)
    try:
        return asyncio.run(_read(args))
    except KeyboardInterrupt:
        return 0


# --- logbook ----------------------------------------------------------------------------
def _duration(seconds: int) -> str:
    d, rest = divmod(seconds, 86400)
    h, rest = divmod(rest, 3600)
    m, s = divmod(rest, 60)
    return f"{d}d {h:02d}:{m:02d}:{s:02d}"


async def _logbook(args: argparse.Namespace) -> int:
    from .session import DeviceSession, SessionError

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
    print(f"# {book.count} event(s) on the board" + (f", the last {shown} shown" if shown < book.count else ""))
    for e in book.entries:
        print(f"{_duration(e.timestamp_s):>16}  {e.event}")
    return 0


def cmd_logbook(args: argparse.Namespace) -> int:
    return asyncio.run(_logbook(args))


# --- scan ----------------------------------------------------------------------------
async def _scan(args: argparse.Namespace) -> int:
    from .services.discovery import scan_all

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
        print(f"packbench scan: --timeout is how many seconds to listen for Bluetooth boards "
              f"(0 to 3600), not {args.timeout:g}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(_scan(args))
    except KeyboardInterrupt:  # stopped before the scan ended: nothing was listed
        return EXIT_INTERRUPTED


def stop_on_signals() -> asyncio.Event:
    """An event set by Ctrl-C or SIGTERM (where the platform allows signal handlers)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
    return stop


# --- simulate --------------------------------------------------------------------------------
#: what ``simulate`` serves when neither --url nor a flag says otherwise
SIMULATE_DEFAULTS = {"cells": 16, "chemistry": "lifepo4", "capacity": 100.0}


def simulator_spec(args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    """The protocol and the ``sim://`` options to simulate: ``--url`` takes every option a
    ``sim://`` URL takes; the flags (--protocol, --cells …) given as well override it."""
    from .model.url import parse_device_url

    if args.url:
        url = parse_device_url(args.url)
        if url.scheme != "sim":
            raise ValueError(f"--url takes a sim:// URL (e.g. sim://jbd?cells=13), not {args.url!r}")
        protocol, options = url.protocol or url.target, dict(url.options)
        options.pop("protocol", None)
    else:
        protocol, options = "jk02_32s", dict(SIMULATE_DEFAULTS)
    if args.protocol:
        protocol = args.protocol
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
    from .simulator import create_simulator
    from .simulator.server import SimulatorServer

    try:
        host, port = parse_listen(args.listen)
        if not (math.isfinite(args.duration) and args.duration >= 0):
            raise ValueError(f"--duration is how many seconds to serve (0: until stopped), "
                             f"not {args.duration:g}")
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
        print(f"simulate: answered {len(getattr(sim, 'received', ()))} requests", file=sys.stderr,
              flush=True)
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
        raise ValueError(f"--listen {text!r}: the port must be a number from 0 to 65535 "
                         "(0 picks a free one), e.g. --listen 127.0.0.1:8899")
    if any(c.isspace() for c in host) or "\0" in host:
        raise ValueError(f"--listen {text!r}: {host!r} is not a host name or address")
    return host or "127.0.0.1", port


def cmd_simulate(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_simulate(args))
    except KeyboardInterrupt:
        return 0


# --- gui ---------------------------------------------------------------------------------------
def cmd_gui(url: str | None) -> int:
    from .ui.app import run_gui

    return run_gui(url)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="packbench", description="Configure and watch smart BMS boards.")
    p.add_argument("--version", action="version", version=f"packbench {__version__}")
    p.add_argument("--demo", action="store_true",
                   help=f"open the window connected to the built-in simulator ({DEMO_URL})")
    p.add_argument("--url", help="open the window and connect to this device URL")
    sub = p.add_subparsers(dest="command")

    d = sub.add_parser("decode", help="decode frames given as hex (one per stdin line, or --hex)")
    d.add_argument("--protocol", default="auto",
                   help="protocol id, e.g. jk02_24s, jk02_32s or jbd (default: guess from the frame)")
    d.add_argument("--hex", help="one frame as hex; spaces and colons allowed")
    d.set_defaults(func=cmd_decode)

    r = sub.add_parser("read", help="connect to a board and print live snapshots")
    r.add_argument("--url", required=True, help="device URL: /dev/ttyUSB0, socket://host:port, sim://jk02_32s")
    r.add_argument("--protocol", help="force a protocol id (as ?protocol= in the URL does)")
    r.add_argument("--pin", help="the board's Bluetooth PIN, for ble:// URLs (the vendor app asks for it too)")
    r.add_argument("--count", type=int, default=0, help="stop after N snapshots (default: until Ctrl-C)")
    r.add_argument("--json", action="store_true", help='one {"protocol", "kind", "fields"} object per line')
    r.add_argument("--no-reconnect", action="store_true", help="give up when the link drops")
    r.set_defaults(func=cmd_read)

    lb = sub.add_parser("logbook", help="print the board's history of alarms and boots (JK02_32S)")
    lb.add_argument("--url", required=True)
    lb.add_argument("--protocol")
    lb.add_argument("--pin", help="the board's Bluetooth PIN, for ble:// URLs (the vendor app asks for it too)")
    lb.add_argument("--json", action="store_true")
    lb.set_defaults(func=cmd_logbook)

    sc = sub.add_parser("scan", help="list nearby Bluetooth boards and serial ports")
    sc.add_argument("--timeout", type=float, default=5.0, help="seconds to listen for Bluetooth boards")
    sc.add_argument("--json", action="store_true", help='{"devices": [...], "bluetooth_error": …}')
    sc.set_defaults(func=cmd_scan)

    from . import cli_control, cli_log, cli_settings

    cli_settings.add_parser(sub)
    cli_control.add_parser(sub)
    cli_log.add_parser(sub)

    s = sub.add_parser("simulate", help="serve a simulated board over TCP")
    s.add_argument("--url", help="a sim:// URL with any of its options, e.g. "
                                 "'sim://jbd?cells=13&fault=drop_link_mid_write'")
    s.add_argument("--protocol", help="jk02_24s, jk02_32s (default), jk04, jk_4e57, jk_pb or jbd")
    s.add_argument("--cells", type=int, help="cells in series (default 16)")
    s.add_argument("--chemistry", help="lifepo4 (default), li-ion or lto")
    s.add_argument("--capacity", type=float, help="pack capacity in Ah (default 100)")
    s.add_argument("--seed", type=int, default=None)
    s.add_argument("--interval", type=float, default=0,
                   help="seconds between live frames (default 0.5, like a real board)")
    s.add_argument("--listen", default="127.0.0.1:0", help="HOST:PORT (port 0 picks a free one)")
    s.add_argument("--duration", type=float, default=0, help="stop after S seconds (default: run until stopped)")
    s.set_defaults(func=cmd_simulate)
    return p


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is not None:
        return args.func(args)
    if args.demo:
        return cmd_gui(DEMO_URL)
    if args.url:
        problem = check_device_url(args.url)
        if problem:  # say it here, before a window opens
            print(f"packbench: --url: {problem}", file=sys.stderr)
            return 2
    return cmd_gui(args.url)


def check_device_url(text: str) -> str | None:
    """What is wrong with a device URL that a session would refuse, or None."""
    from .model.url import parse_device_url
    from .protocols import get_protocol
    from .session import DEFAULT_PROTOCOL

    try:
        url = parse_device_url(text)
        get_protocol(url.protocol or DEFAULT_PROTOCOL).bind(url.options)
        if url.scheme == "sim":
            from .simulator import create_simulator

            create_simulator(url.target, **url.options)
    except (ValueError, KeyError) as exc:
        return str(exc.args[0] if exc.args else exc)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; its exit code.

    The safety net: a bad input gets its own plain message where it is
    checked; anything that still escapes a command ends in ONE line on
    stderr and exit code 70 (the traceback too with PACKBENCH_DEBUG=1).
    Ctrl-C that a command does not handle itself exits 130 quietly; a reader
    that closed our stdout (``… | head -1``) ends the run quietly with 0.
    """
    try:
        return _run(argv)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError as exc:
        if _stdout_closed():
            return 0
        return _internal_error(exc)
    except (Exception, asyncio.CancelledError) as exc:  # noqa: BLE001 - the safety net
        return _internal_error(exc)


def _internal_error(exc: BaseException) -> int:
    if os.environ.get("PACKBENCH_DEBUG", "").strip() not in ("", "0"):
        traceback.print_exception(exc, file=sys.stderr)
    text = " ".join(str(exc).split())
    if len(text) > 300:
        text = text[:300] + "…"
    try:
        print(f"packbench: internal error: {type(exc).__name__}: {text} "
              "(run with PACKBENCH_DEBUG=1 for details)", file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass  # stderr is gone too: the exit code says it
    return EXIT_INTERNAL


def _stdout_closed() -> bool:
    """Whether the BrokenPipeError came from stdout, i.e. its reader went away
    (``… | head -1``); if so, stop Python's own flush at exit from complaining
    (the Python docs' recipe for SIGPIPE)."""
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError, AttributeError):
        return False  # stdout is no file (captured by a test): the pipe was another one
    try:
        poller = select.poll()
        poller.register(fd, select.POLLOUT)
        # the write end of a pipe whose reader closed polls as an error (Linux, BSD)
        closed = any(ev & (select.POLLERR | select.POLLHUP) for _fd, ev in poller.poll(0))
    except (AttributeError, OSError):
        closed = True  # no poll() (Windows): the likely pipe is stdout
    if closed:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, fd)
            os.close(devnull)
        except OSError:
            pass
    return closed


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
