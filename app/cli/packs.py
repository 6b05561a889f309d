"""``packbench packs``: what the pack registry holds.

    packbench packs list [--search TEXT] [--json]
    packbench packs show SERIAL [--family F] [--json]      the pack's timeline
    packbench packs export SERIAL [--family F] [--json] [-o FILE]
    packbench packs report SERIAL [--family F] [--out DIR]  its last commissioning report, again

Reads only (``report`` adds a "report" event): a registry that is damaged or from a
newer Packbench is refused with its reason and left as it is.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..services import commissioning, packlog
from ..services.registry import Registry, RegistryError

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE = 0, 1, 2


def add_parser(sub: Any) -> None:
    p = sub.add_parser("packs", help="the packs the workshop has touched: list, timeline, export, report")
    p.add_argument("action", choices=("list", "show", "export", "report"))
    p.add_argument("serial", nargs="?", help="the pack's serial number (show, export, report)")
    p.add_argument("--family", help="the board family, when two families have packs of that serial")
    p.add_argument("--search", help="list: packs whose serial, model, name, job, operator or date match")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("-o", "--output", help="export: write the JSON to this file instead of stdout")
    p.add_argument("--out", help="report: where the report files go (default: the data folder's reports/)")
    p.add_argument("--operator", help="report: who makes the report again (default: your login)")
    p.set_defaults(func=main)


def _err(msg: str) -> None:
    print(f"packbench packs: {msg}", file=sys.stderr)


def _open() -> Registry | None:
    path = packlog.path()
    if path is None:
        raise RegistryError("recording is switched off (PACKBENCH_REGISTRY=off)")
    if not path.exists():
        return None  # nothing recorded yet; a read does not create the file
    return Registry(path)


def main(args: argparse.Namespace) -> int:
    if args.action != "list" and not args.serial:
        _err(f"{args.action} needs the pack's serial number: packbench packs {args.action} SERIAL")
        return EXIT_USAGE
    if args.action == "list" and args.serial:
        _err("list takes no serial number (use --search TEXT)")
        return EXIT_USAGE
    try:
        reg = _open()
    except RegistryError as exc:
        _err(str(exc))
        return EXIT_NOT_FOUND
    if reg is None:
        if args.action == "list":
            print("[]" if args.json else f"No packs recorded yet ({packlog.path()}).")
            return EXIT_OK
        _err(f"no pack with serial number {args.serial}: nothing is recorded yet ({packlog.path()})")
        return EXIT_NOT_FOUND
    with reg:
        if args.action == "list":
            return _list(reg, args)
        pack = _find(reg, args.serial, args.family)
        if pack is None:
            return EXIT_NOT_FOUND
        if args.action == "show":
            return _show(reg, pack, args)
        if args.action == "export":
            return _export(reg, pack, args)
        return _report(reg, pack, args)


def _find(reg: Registry, serial: str, family: str | None) -> dict[str, Any] | None:
    found = reg.find(serial, family)
    if not found:
        _err(
            f"no pack with serial number {serial}"
            + (f" in family {family}" if family else "")
            + f" in {reg.path}"
        )
        return None
    if len(found) > 1:
        _err(
            f"serial number {serial} is known in {len(found)} families "
            f"({', '.join(p['family'] for p in found)}): add --family"
        )
        return None
    return found[0]


def _list(reg: Registry, args: argparse.Namespace) -> int:
    packs = reg.packs(args.search)
    if args.json:
        print(json.dumps(packs))
        return EXIT_OK
    if not packs:
        print("No pack matches." if args.search else "No packs recorded yet.")
        return EXIT_OK
    for p in packs:
        done = p["commissioned"]
        state = f"commissioned {done['at'][:10]} ({done['verdict']})" if done else "not commissioned"
        jobs = f"  jobs {', '.join(p['jobs'])}" if p["jobs"] else ""
        print(
            f"{p['family']:<7} {p['serial']:<18} {p.get('model') or '?':<26} "
            f"fw {p.get('software_version') or '?':<8} "
            f"last seen {p['last_seen'][:16].replace('T', ' ')}  {state}{jobs}"
        )
    return EXIT_OK


def _show(reg: Registry, pack: dict[str, Any], args: argparse.Namespace) -> int:
    info = reg.pack(pack["id"]) or pack
    events = reg.timeline(pack["id"])
    if args.json:
        print(json.dumps({"pack": info, "timeline": events}))
        return EXIT_OK
    print(
        f"# {info['family']} {info['serial']}: {info.get('model') or '?'}, hardware "
        f"{info.get('hardware_version') or '?'}, firmware {info.get('software_version') or '?'}; "
        f"first seen {info['first_seen'][:16].replace('T', ' ')} UTC"
    )
    for e in events:
        who = f" ({e['operator']})" if e["operator"] else ""
        job = f" [job {e['job']}]" if e["job"] else ""
        print(f"{e['at'][:19].replace('T', ' ')}  {e['kind']:<13} {e['summary']}{who}{job}")
        for r in e["data"].get("results", []):
            if r.get("verdict") == "unchanged":
                continue
            print(
                f"    {r['key']}: {commissioning.value_text(r['key'], r['before'])} → "
                f"{commissioning.value_text(r['key'], r['requested'])}, board holds "
                f"{commissioning.value_text(r['key'], r['stored'])} ({r['verdict']})"
            )
        if e["data"].get("backup"):
            print(f"    backup: {e['data']['backup']}")
    return EXIT_OK


def _export(reg: Registry, pack: dict[str, Any], args: argparse.Namespace) -> int:
    text = json.dumps(reg.export(pack["id"]), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            _err(f"not written: {exc}")
            return EXIT_USAGE
        print(f"Exported {pack['family']} {pack['serial']} to {args.output}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _report(reg: Registry, pack: dict[str, Any], args: argparse.Namespace) -> int:
    """The last commissioning report made again from the registry (the same content)."""
    from ..rendering.report_files import write_files  # Qt's PDF writer: only when needed

    event = commissioning.last_commissioning(reg, pack["id"])
    if event is None:
        _err(f"{pack['family']} {pack['serial']} has never been commissioned")
        return EXIT_NOT_FOUND
    report = commissioning.report_from_event(event)
    packlog.set_operator(args.operator)
    try:
        files = write_files(report, Path(args.out) if args.out else None)
        commissioning.record_report(reg, report, files, operator=packlog.operator())
    except (OSError, RegistryError) as exc:
        _err(f"not written: {exc}")
        return EXIT_USAGE
    print(f"Report of commissioning record {event['id']} ({event['at'][:10]}): {files['pdf']}")
    print(f"{' ' * len('Report of commissioning record ')}{files['json']}")
    return EXIT_OK
