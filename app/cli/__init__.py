"""``packbench``: the same session from a terminal.

One module per sub-command (``decode``, ``read``, ``logbook``, ``scan``,
``settings``, ``control``, ``commission``, ``packs``, ``log``, ``simulate``), each
with ``add_parser``;
``packbench --demo`` (or no arguments) opens the GUI.  The JSON shapes are
contracts (vocabulary.md "The decode contract"): keep them exactly.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import select
import sys
import traceback
from collections.abc import Sequence

from .. import __version__
from ..simulator import DEMO_URL
from . import batch, commission, control, decode, log, logbook, packs, read, scan, settings, simulate
from .common import EXIT_INTERNAL, EXIT_INTERRUPTED

# names the tests and other callers use from ``app.cli``
from .decode import decode_one, parse_hex  # noqa: F401
from .simulate import parse_listen  # noqa: F401

#: the sub-commands in the order ``packbench --help`` lists them
COMMANDS = (decode, read, logbook, scan, settings, control, commission, batch, packs, log, simulate)


def cmd_gui(url: str | None, **flags) -> int:
    """The window; ``flags`` are run_gui's ``screenshots`` and ``quit_after`` (checked by gui_flags).

    First, on Linux: can Qt's X11 plugin load? If not, say what to install (issue 22)."""
    from ..display_check import EXIT_NO_DISPLAY_LIBS, prepare_display

    problem = prepare_display()
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_NO_DISPLAY_LIBS
    from ..ui.app import run_gui

    return run_gui(url, **flags)


def gui_flags(args: argparse.Namespace) -> tuple[dict, str | None]:
    """``--quit-after`` and ``--screenshot`` as run_gui's keywords (only those given), or what is
    wrong with them; the screenshot folder is created here, before a window opens."""
    quit_after, shots = args.quit_after, args.screenshot
    flags: dict = {}
    if quit_after is not None:
        if not (0 < quit_after < 10**6):  # also refuses nan and inf
            return {}, f"--quit-after is a number of seconds above 0, not {quit_after:g}"
        flags["quit_after"] = quit_after
    if shots is not None:
        if quit_after is None:
            return (
                {},
                "--screenshot needs --quit-after SECONDS "
                "(the screenshots are taken just before the window quits)",
            )
        from ..ui.screenshots import prepare_folder

        folder, problem = prepare_folder(shots)
        if problem:
            return {}, f"--screenshot: {problem}"
        flags["screenshots"] = folder
    return flags, None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="packbench", description="Configure and watch smart BMS boards.")
    p.add_argument("--version", action="version", version=f"packbench {__version__}")
    p.add_argument(
        "--demo",
        action="store_true",
        help=f"open the window connected to the built-in simulator ({DEMO_URL})",
    )
    p.add_argument("--url", help="open the window and connect to this device URL")
    p.add_argument(
        "--quit-after",
        type=float,
        metavar="SECONDS",
        help="close the window after SECONDS and print the link's state (for scripts and bug reports)",
    )
    p.add_argument(
        "--screenshot",
        metavar="DIR",
        help="with --quit-after: save a PNG of the window for each tab into DIR just before quitting",
    )
    sub = p.add_subparsers(dest="command")
    for command in COMMANDS:
        command.add_parser(sub)
    return p


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is not None:
        return args.func(args)
    if args.url and not args.demo:
        problem = check_device_url(args.url)
        if problem:  # say it here, before a window opens
            print(f"packbench: --url: {problem}", file=sys.stderr)
            return 2
    flags, problem = gui_flags(args)
    if problem:
        print(f"packbench: {problem}", file=sys.stderr)
        return 2
    return cmd_gui(DEMO_URL if args.demo else args.url, **flags)


def check_device_url(text: str) -> str | None:
    """What is wrong with a device URL that a session would refuse, or None."""
    from ..model.url import parse_device_url
    from ..protocols import get_protocol
    from ..protocols.family import probing_family, url_options
    from ..session import DEFAULT_PROTOCOL

    try:
        url = parse_device_url(text).claim(url_options())  # as the session does
        family = probing_family(url.protocol)  # ?protocol=daly: its probes find the protocol
        protocols = family.protocols if family else (get_protocol(url.protocol or DEFAULT_PROTOCOL),)
        refusals = []
        for protocol in protocols:  # one that takes the URL's options is enough
            try:
                protocol.bind(url.options)
            except ValueError as exc:
                refusals.append(exc)
        if len(refusals) == len(protocols):
            raise refusals[0]
        if url.scheme == "sim":
            from ..simulator import create_simulator

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
        print(
            f"packbench: internal error: {type(exc).__name__}: {text} "
            "(run with PACKBENCH_DEBUG=1 for details)",
            file=sys.stderr,
            flush=True,
        )
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
