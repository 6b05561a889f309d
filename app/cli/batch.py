"""``packbench batch``: configure and commission a run of packs, one after another.

    packbench batch --job job.toml (--url URL [--url URL …] | --scan) [--swap] [--again]
                    [--out DIR] [--password TEXT]

Each --url is one pack; with one serial port (or --swap) the operator swaps packs on the
same link between packs ("connect the next pack and press Enter"; end of input stops).
--scan takes the Bluetooth boards advertising a known family, strongest first.  One line
per pack, a summary table at the end and the same as CSV beside the reports.  Exit 0:
every pack passed (or was done already); 3: every pack went through, but one's
commissioning did not pass; 1: a pack failed; 2: bad input (nothing connected); 130:
Ctrl-C or SIGTERM stopped the run (the pack in hand ends as the write transaction says).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import functools
import math
import sys
from pathlib import Path
from typing import Any

from ..services import batch, batch_files, batch_sources, jobs, packlog
from ..services.sealing import REST_A
from .common import EXIT_INTERRUPTED
from .signals import CancelOnSignal

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NOT_PASSED = 0, 1, 2, 3
PROMPT = "connect the next pack and press Enter (end of input stops) "


def add_parser(sub: Any) -> None:
    p = sub.add_parser("batch", help="configure and commission a run of packs from a job file")
    p.add_argument("--job", required=True, help="the job file (TOML or JSON)")
    p.add_argument("--url", action="append", default=[], help="a pack's device URL (repeat: one per pack)")
    p.add_argument("--scan", action="store_true", help="the Bluetooth boards nearby, strongest first")
    p.add_argument(
        "--swap",
        action="store_true",
        help="one link, packs swapped by the operator (default for a serial port)",
    )
    p.add_argument("--again", action="store_true", help="also packs already commissioned in this job")
    p.add_argument("--out", help="where reports and the summary go (default: the data folder's jobs/JOB/)")
    p.add_argument("--backup-dir", help="where automatic backups go (default: the user data folder)")
    p.add_argument("--password", help="the password the boards ask for now (instead of the job file's)")
    p.add_argument("--scan-timeout", type=float, default=5.0, help="seconds to listen with --scan")
    p.set_defaults(func=main)


def _err(msg: str) -> None:
    print(f"packbench batch: {msg}", file=sys.stderr)


def check_args(args: argparse.Namespace) -> str | None:
    from . import check_device_url

    if bool(args.url) == bool(args.scan):
        return "say which packs: --url URL (one per pack, or one serial port), or --scan"
    if args.swap and len(args.url) != 1:
        return "--swap needs exactly one --url (the link the packs are swapped on)"
    for url in args.url:
        if (bad := check_device_url(url)) is not None:
            return f"--url {url}: {bad}"
    if args.out and Path(args.out).exists() and not Path(args.out).is_dir():
        return f"--out {args.out} is a file, not a folder"
    if not (math.isfinite(args.scan_timeout) and 0 <= args.scan_timeout <= 3600):
        return f"--scan-timeout is how many seconds to listen (0 to 3600), not {args.scan_timeout:g}"
    if args.password is not None and not args.password.strip():
        return "--password must not be empty"
    return None


def _write_files(report: dict[str, Any], out: Path | None, password: str | None) -> dict[str, Path]:
    from ..rendering.report_files import write_files  # Qt's PDF writer: only when needed

    return write_files(report, out, password)


def _status(text: str) -> None:
    """What the pack in hand is doing, on one line of a terminal, overwritten as it goes."""
    if sys.stderr.isatty():
        print(f"\r\033[K{text}", end="", file=sys.stderr, flush=True)


def _rest_countdown(r: batch.PackResult, rested_s: float, rest_s: float) -> None:
    left = max(0.0, rest_s - rested_s)
    _status(
        f"pack {r.n}: {r.serial}: resting, {left:.0f} s to go (the current must stay at most {REST_A:g} A)"
    )


def _line(r: batch.PackResult) -> str:
    who = f"pack {r.n}" if r.n is not None else "pack ?"
    ident = " ".join(x for x in (r.family, r.serial, r.name and f"→ {r.name}") if x)
    times = (
        f"{r.total_s:.1f} s (board {r.board_s:.1f} s, rest {r.rest_s:.1f} s, other {r.overhead_pct:.0f} %)"
    )
    return f"{who} [{r.url}] {ident or '(not identified)'}: {r.result.upper()}: {r.why} — {times}"


def print_table(results: list[batch.PackResult]) -> None:
    cols = ("pack", "family", "serial", "name", "result", "keys_written", "time_s", "overhead_pct", "report")
    rows = [[str(r.row()[c]) for c in cols] for r in results]
    widths = [max(len(c), *(len(row[i]) for row in rows)) if rows else len(c) for i, c in enumerate(cols)]
    print("Summary:")
    for row in [list(cols), *rows]:
        print(("  " + "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True))).rstrip())


async def _urls(args: argparse.Namespace) -> list[str] | None:
    if not args.scan:
        return list(args.url)
    from ..transports import TransportError

    try:
        return await batch_sources.scan_urls(args.scan_timeout)
    except TransportError as exc:
        _err(f"--scan: {exc}")
        return None


async def _next_pack(signals: CancelOnSignal) -> bool:
    """The operator swapped the pack and pressed Enter (False: the input ended)."""
    if signals.ask(lambda: input(PROMPT)) is None:
        print()
        return False
    return True


async def run(args: argparse.Namespace) -> int:
    if (bad := check_args(args)) is not None:
        _err(bad)
        return EXIT_USAGE
    try:
        job = jobs.load(args.job)
    except jobs.JobError as exc:
        _err(f"--job {exc}")
        return EXIT_USAGE
    if args.password is not None:
        job.current_password = args.password
    if packlog.path() is None or packlog.open_registry() is None:
        _err(
            "nothing done: the pack registry cannot be used ("
            + (packlog.problem() or "switched off with PACKBENCH_REGISTRY=off")
            + "); a batch needs it to know which packs are done"
        )
        return EXIT_FAILED
    packlog.set_operator(job.operator)
    out = Path(args.out) if args.out else batch_files.default_out(job)
    try:
        earlier = batch_files.read_export(batch_files.export_path(job, out))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        _err(f"nothing done: the job's password export cannot be read: {exc}")
        return EXIT_FAILED
    opts = batch.Options(
        known_passwords=[row["board_password"] for row in earlier],
        again=args.again,
        out=out,
        backup_dir=Path(args.backup_dir) if args.backup_dir else None,
        write_files=_write_files,
        progress=_status if sys.stderr.isatty() else None,
        resting=_rest_countdown if sys.stderr.isatty() else None,
    )
    swap = args.swap or (len(args.url) == 1 and batch_sources.is_serial_port(args.url[0]))
    print(f"Job {job.ref} ({job.target_name()}), operator {job.operator}", flush=True)
    urls = await _urls(args)
    if urls is None:
        return EXIT_USAGE
    if not urls:
        print("No boards found.")
    runner = batch.Run(job, opts)
    with CancelOnSignal() as signals:  # Ctrl-C/SIGTERM end the pack in hand, then the run
        next_pack = functools.partial(_next_pack, signals)
        async for url in batch_sources.each_pack(runner, urls, swap=swap, next_pack=next_pack):
            result = await runner.run_pack(url)
            _status("")
            print(_line(result), flush=True)
            if runner.interrupted:
                _err(
                    f"interrupted by {signals.received or 'a signal'}: the packs after this one were not done"
                )
                break
    code = finish(job, runner.results, out, earlier)
    return EXIT_INTERRUPTED if runner.interrupted else code


def finish(job: jobs.Job, results: list[batch.PackResult], out: Path, earlier: list[dict[str, str]]) -> int:
    print_table(results)
    try:
        summary, where = batch_files.save_summary(job, results, out, earlier)
    except OSError as exc:
        _err(f"the summary was not saved: {exc}")
        return EXIT_FAILED
    print(f"Summary CSV: {summary}")
    if where is not None:
        print(f"Board passwords for the customer (keep it safe): {where}")
    counts = {k: sum(r.result == k for r in results) for k in (batch.PASSED, batch.NOT_PASSED, batch.FAILED)}
    skipped = sum(r.result == batch.SKIPPED for r in results)
    print(
        f"{len(results)} pack(s): {counts[batch.PASSED]} passed, {counts[batch.NOT_PASSED]} not passed, "
        f"{counts[batch.FAILED]} failed, {skipped} already done"
    )
    if skipped:
        print("(packs already done in this job were left alone: --again commissions them again)")
    if counts[batch.FAILED]:
        return EXIT_FAILED
    return EXIT_NOT_PASSED if counts[batch.NOT_PASSED] else EXIT_OK


def main(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(run(args))
    except KeyboardInterrupt:
        return EXIT_FAILED
