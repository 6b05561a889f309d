"""``packbench log record|replay|info`` and ``packbench view``.

* ``log record --url URL -o FILE [--duration S] [--raw]`` records live data to a
  CSV log (README "Log files"); ``--raw`` also captures every frame to
  ``FILE.frames.jsonl`` (PINs blanked).
* ``log replay CAPTURE.frames.jsonl [-o FILE.csv]`` runs a raw capture through
  the decoders again: one JSON object per frame on stdout, or a CSV log.
* ``log info FILE.csv`` prints what a log holds (JSON); warnings, e.g. a
  cut-off last row, go to stderr.  Exit 1 when the ``.meta.json`` could not be
  used (damaged, or fields of the wrong type), 2 when the CSV is not a log.
* ``view FILE.csv`` opens the window with the log.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
import time
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    from ..protocols.family import default_protocol

    p = sub.add_parser("log", help="record live data to a CSV log, inspect a log, replay a raw capture")
    lsub = p.add_subparsers(dest="log_command", required=True)

    r = lsub.add_parser("record", help="record a board's live data to a CSV log")
    r.add_argument(
        "--url",
        required=True,
        help=f"device URL: /dev/ttyUSB0, socket://host:port, sim://{default_protocol()}",
    )
    r.add_argument("--protocol", help="force a protocol id")
    r.add_argument(
        "--pin", help="the board's Bluetooth PIN, for ble:// URLs (the vendor app asks for it too)"
    )
    r.add_argument("-o", "--output", required=True, help="the CSV file to write")
    r.add_argument("--duration", type=float, default=0, help="stop after S seconds (default 0: until Ctrl-C)")
    r.add_argument(
        "--raw", action="store_true", help="also capture every frame to FILE.frames.jsonl (for bug reports)"
    )
    r.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    r.add_argument("--no-reconnect", action="store_true", help="stop when the link drops")
    r.set_defaults(func=cmd_record)

    rp = lsub.add_parser("replay", help="decode a raw capture (FILE.frames.jsonl) again")
    rp.add_argument("capture", help="a .frames.jsonl raw capture")
    rp.add_argument("--protocol", help="decode every frame with this protocol")
    rp.add_argument("-o", "--output", help="write the snapshots as a CSV log instead of JSON lines")
    rp.add_argument("--force", action="store_true", help="overwrite the CSV if it exists")
    rp.set_defaults(func=cmd_replay)

    i = lsub.add_parser("info", help="what a CSV log holds (JSON); warnings on stderr")
    i.add_argument("file")
    i.set_defaults(func=cmd_info)

    v = sub.add_parser("view", help="open a CSV log in the window")
    v.add_argument("file", nargs="+", help="one or more CSV logs")
    v.set_defaults(func=cmd_view)


def _err(msg: str) -> None:
    print(f"packbench log: {msg}", file=sys.stderr, flush=True)


# --- record -----------------------------------------------------------------------------------
async def _record(args: argparse.Namespace) -> int:
    from ..services.recorder import Recorder
    from ..session import DeviceSession, SessionError

    out = Path(args.output)
    if out.exists() and not args.force:
        _err(f"{out} exists; choose another name or add --force")
        return 2
    if out.is_dir():
        _err(f"{out} is a folder; give the name of the CSV file to write")
        return 2
    try:
        session = DeviceSession(
            args.url, args.protocol, reconnect=not args.no_reconnect, pin=getattr(args, "pin", None)
        )
    except (ValueError, KeyError) as exc:
        _err(str(exc.args[0] if exc.args else exc))
        return 2
    errors: list[str] = []
    recorder = Recorder(session, out, raw=args.raw, url=args.url, on_error=errors.append)
    try:
        recorder.start()  # before connecting: the raw capture sees the identification too
    except OSError as exc:
        _err(f"cannot write {out}: {exc.strerror or exc}")
        return 2
    from .common import stop_on_signals

    stop = stop_on_signals()
    try:
        await session.connect()
    except SessionError as exc:
        recorder.stop()
        _err(str(exc))
        return 2
    if errors:  # the files failed already while the board was identified
        await session.close()
        _err(errors[0])
        return 1
    info = session.device_info
    who = f"{info.model} ({session.protocol.id})" if info is not None and info.model else session.protocol.id
    print(
        f"recording {who} to {out}" + (f" for {args.duration:g} s" if args.duration else "; Ctrl-C stops"),
        file=sys.stderr,
        flush=True,
    )
    t0 = time.monotonic()
    try:
        while not stop.is_set() and recorder.active:
            timeout = None
            if args.duration:
                timeout = args.duration - (time.monotonic() - t0)
                if timeout <= 0:
                    break
            try:
                await asyncio.wait_for(stop.wait(), min(timeout or 1.0, 1.0))
            except TimeoutError:
                pass
    finally:
        recorder.stop()
        await session.close()
    if errors or recorder.error:
        _err(errors[0] if errors else str(recorder.error))
        return 1
    extra = f" and {recorder.capture.frames} frames to {recorder.frames_path}" if recorder.capture else ""
    print(f"recorded {recorder.rows} rows to {out}{extra}", file=sys.stderr, flush=True)
    return 0 if recorder.rows else 1


def cmd_record(args: argparse.Namespace) -> int:
    if not math.isfinite(args.duration) or args.duration < 0:
        _err(f"--duration must be a number of seconds, 0 or more (0: until Ctrl-C), not {args.duration:g}")
        return 2
    try:
        return asyncio.run(_record(args))
    except KeyboardInterrupt:
        return 0


# --- replay ---------------------------------------------------------------------------------------
def cmd_replay(args: argparse.Namespace) -> int:
    from ..protocols import get_protocol
    from ..services.logfile import LogFormatError
    from ..services.recorder import read_frames

    if args.protocol is not None:
        try:
            get_protocol(args.protocol)
        except KeyError:
            _err(f"unknown protocol {args.protocol!r}")
            return 2
    out = Path(args.output) if args.output else None
    if out is not None and out.exists() and not args.force:
        _err(f"{out} exists; choose another name or add --force")
        return 2
    if out is not None and out.is_dir():
        _err(f"{out} is a folder; give the name of the CSV file to write")
        return 2
    try:
        header, frames, warnings = read_frames(args.capture)
    except OSError as exc:
        _err(f"cannot read {args.capture}: {exc.strerror or exc}")
        return 2
    except LogFormatError as exc:
        _err(str(exc))
        return 2
    for w in warnings:
        _err(f"{args.capture}: {w}")
    if out is None:
        return _replay_json(frames, args.protocol)
    return _replay_csv(header, frames, args, out)


def _replay_json(frames: list[dict[str, Any]], protocol: str | None) -> int:
    from ..model import kind_of
    from ..replay import replay_frames

    try:
        for rec, message, error in replay_frames(frames, protocol):
            obj: dict[str, Any] = {
                "t": rec.get("t"),
                "dir": rec.get("dir", "rx"),
                "protocol": protocol or rec.get("protocol"),
            }
            if error is not None:
                obj["error"] = error
            else:
                obj.update(kind=kind_of(message), fields=message.to_fields())
            print(json.dumps(obj), flush=True)
    except BrokenPipeError:
        return 0
    return 0


def _replay_csv(
    header: dict[str, Any], frames: list[dict[str, Any]], args: argparse.Namespace, out: Path
) -> int:
    from .. import __version__
    from ..model import DeviceInfo, Snapshot
    from ..replay import replay_frames
    from ..services.logfile import LogLayout, make_meta, parse_iso
    from ..services.recorder import LogWriter

    url = header.get("url")
    started = parse_iso(str(header.get("started_utc", ""))) or time.time()
    writer: LogWriter | None = None
    device: DeviceInfo | None = None
    snapshots = errors = 0
    try:
        for rec, message, error in replay_frames(frames, args.protocol):
            if error is not None:
                errors += 1
            if isinstance(message, DeviceInfo) and device is None:
                device = message
            if not isinstance(message, Snapshot) or rec.get("dir", "rx") != "rx":
                continue
            epoch = parse_iso(str(rec.get("t", ""))) or started
            if writer is None:
                meta = make_meta(
                    url=url if isinstance(url, str) else None,
                    device=device,
                    settings=None,
                    protocol=rec.get("protocol"),
                    started=started,
                    app_version=__version__,
                )
                meta["replayed_from"] = Path(args.capture).name
                writer = LogWriter(out, LogLayout.for_snapshot(message), meta, started=started)
            writer.write(message, epoch)
            snapshots += 1
        if writer is not None:
            writer.close()
    except OSError as exc:
        _close_quietly(writer)
        _err(
            f"cannot write {out}: {exc.strerror or exc}"
            + (f" (the first {snapshots} rows are in it)" if snapshots else "")
        )
        return 2 if writer is None else 1
    print(
        f"wrote {snapshots} rows to {out} ({len(frames)} frames, {errors} undecodable)",
        file=sys.stderr,
        flush=True,
    )
    return 0 if snapshots else 1


def _close_quietly(writer: Any) -> None:
    if writer is not None:
        try:
            writer.close()
        except OSError:
            pass


# --- info -------------------------------------------------------------------------------------
def cmd_info(args: argparse.Namespace) -> int:
    from ..services.logfile import LogFormatError, iso_utc, load_log

    try:
        data = load_log(args.file)
    except OSError as exc:
        _err(f"cannot read {args.file}: {exc.strerror or exc}")
        return 2
    except LogFormatError as exc:
        _err(str(exc))
        return 2
    for w in data.warnings:
        _err(f"{Path(args.file).name}: {w}")
    start = data.epoch_at(0) if data.rows else None
    end = data.epoch_at(data.rows - 1) if data.rows else None
    dev = data.meta.get("device") or {}
    print(
        json.dumps(
            {
                "file": str(data.path),
                "rows": data.rows,
                "cells": data.cell_count,
                "start_utc": iso_utc(start) if start is not None else None,
                "end_utc": iso_utc(end) if end is not None else None,
                "duration_s": round(data.duration_s, 3),
                "columns": data.header,
                "device": dev,
                "read_from": data.source,
                "warnings": data.warnings,
            }
        )
    )
    return 1 if data.meta_problem else 0  # the CSV is summarised; its sidecar was not usable


# --- view -------------------------------------------------------------------------------------
def cmd_view(args: argparse.Namespace) -> int:
    missing = [f for f in args.file if not Path(f).is_file()]
    if missing:
        print(f"packbench view: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    from ..ui.app import run_gui

    return run_gui(None, logs=[str(Path(f).resolve()) for f in args.file])
