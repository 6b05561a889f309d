"""Commissioning a pack: one record of what a pack was like when it was closed.

``commission`` checks that the board's settings equal the target profile key by key
(a preset with its pack profile, or a settings file), runs the sealing checks with
the cell spread judged at rest (services/sealing.py), takes a cell snapshot, and
records it all in the pack registry as one ``commissioning`` event whose data is the
report's whole content.  The report (JSON here, PDF in app/rendering/) is drawn from
that event alone, so it can be made again from the registry and comes out the same.

Nothing is written to the board: a setting that differs is reported, not fixed.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..model import Snapshot
from ..protocols.family import label
from . import packlog, settings_files
from .interlocks import fmt_value
from .registry import Registry, RegistryError
from .sealing import Check, RestedSpread, commissioning_checks

FORMAT = "packbench-commissioning"
PASSED, FAILED, INCOMPLETE = "passed", "failed", "incomplete"
#: what the report lists as done to the board since its previous commissioning
CHANGE_KINDS = ("write", "switch", "action", "calibration", "control")


class CommissioningError(Exception):
    """Commissioning could not be done or recorded; nothing was recorded.  For people."""


@dataclass
class Target:
    """The profile a pack is commissioned against: what its settings must be."""

    name: str  # "LiFePO4 preset, 16 cells, 100 Ah", "settings file shop-16s.json"
    values: dict[str, Any]  # what the profile asks this board for, parsed by its schema
    chemistry: str | None = None
    source: dict[str, Any] = field(default_factory=dict)


@dataclass
class Result:
    report: dict[str, Any]  # the report's content, as read back from the registry
    event_id: int
    registry: Registry

    @property
    def verdict(self) -> str:
        return str(self.report["verdict"])


def target_from_request(request: settings_files.Request, name: str, source: Mapping[str, Any]) -> Target:
    return Target(name, dict(request.values), request.chemistry, dict(source))


def compare(schema: list[Any], board: Mapping[str, Any], target: Target) -> list[dict[str, Any]]:
    """The target's keys in the board's schema order, each with the board's value beside it."""
    specs = {s.key: s for s in schema}
    order = [s.key for s in schema if s.key in target.values] + sorted(
        k for k in target.values if k not in specs
    )
    return [
        {
            "key": key,
            "label": label(key),
            "unit": specs[key].unit if key in specs else "",
            "target": target.values[key],
            "board": board.get(key),
            "equal": settings_files.same(specs.get(key), board.get(key), target.values[key]),
        }
        for key in order
    ]


#: the spread at rest is the median of at least this many snapshots
MIN_SAMPLES = 5


async def observe(
    session: Any,
    judge: RestedSpread,
    *,
    progress: Callable[[float, float], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Snapshot | None:
    """Feed live snapshots to ``judge`` until the pack has rested long enough and a few
    snapshots at rest are in (MIN_SAMPLES), or until a little longer than ``rest_s`` has
    passed without rest; the last snapshot."""
    frame_s = max(session.poll_interval_s, session.timing.stream_s)
    grace = max(0.1 * judge.rest_s, (MIN_SAMPLES + 1) * frame_s)
    deadline = clock() + judge.rest_s + grace
    rested_at: float | None = None
    last = session.last_snapshot
    if last is not None:
        judge.feed(clock(), last)
    while clock() < deadline and not (judge.rested and judge.samples >= MIN_SAMPLES):
        try:
            last = await session.next_snapshot(max(0.1, deadline - clock()))
        except TimeoutError:
            break
        judge.feed(clock(), last)
        if judge.rested and rested_at is None:  # from now on, a few more at rest
            rested_at = clock()
            deadline = max(deadline, rested_at + grace)
        if progress is not None:
            progress(judge.rested_s, judge.rest_s)
    return last


def cells_part(snap: Snapshot | None) -> dict[str, Any]:
    if snap is None:
        return {}
    return {
        "voltages_v": list(snap.cell_voltages_v or []),
        "min_v": snap.cell_min_v,
        "max_v": snap.cell_max_v,
        "avg_v": snap.cell_avg_v,
        "delta_v": snap.cell_delta_v,
        "min_index": snap.cell_min_index,
        "max_index": snap.cell_max_index,
        "resistances_ohm": list(snap.cell_resistances_ohm) if snap.cell_resistances_ohm else None,
        "balancing_cells": snap.balancing_cells,
    }


STATE_KEYS = (
    "pack_voltage_v",
    "current_a",
    "soc_pct",
    "soh_pct",
    "capacity_full_ah",
    "capacity_remaining_ah",
    "cycles",
    "cycle_capacity_ah",
    "temperatures_c",
    "mos_temperature_c",
    "balancer_temperature_c",
    "charge_mos_on",
    "discharge_mos_on",
    "precharge_mos_on",
    "balancing_active",
    "alarms",
)


def state_part(snap: Snapshot | None) -> dict[str, Any]:
    return {k: getattr(snap, k) for k in STATE_KEYS} if snap is not None else {}


def verdict_of(rows: list[dict[str, Any]], checks: list[Check]) -> tuple[str, list[str]]:
    """passed: every setting equal and every check passed; failed: a setting differs or a
    check failed; incomplete: nothing failed but a check could not tell (needs rest …)."""
    reasons = [f"{r['label']} ({r['key']}) differs from the profile" for r in rows if not r["equal"]]
    reasons += [f"{c.title}: {c.detail}" for c in checks if c.ok is False]
    if reasons:
        return FAILED, reasons
    unknown = [f"{c.title}: {c.detail or 'cannot tell'}" for c in checks if c.ok is None]
    return (INCOMPLETE, unknown) if unknown else (PASSED, [])


def changes_since_last(reg: Registry, pack_id: int) -> list[dict[str, Any]]:
    """What was done to the board since its previous commissioning (all, the first time)."""
    events = reg.timeline(pack_id, kinds=(*CHANGE_KINDS, "commissioning"))
    last = max((i for i, e in enumerate(events) if e["kind"] == "commissioning"), default=-1)
    out = []
    for e in events[last + 1 :]:
        keys = [
            {k: r.get(k) for k in ("key", "before", "requested", "stored", "verdict")}
            for r in e["data"].get("results", [])
            if r.get("verdict") != "unchanged"
        ]
        out.append(
            {
                "event": e["id"],
                "at": e["at"],
                "kind": e["kind"],
                "operator": e["operator"],
                "summary": e["summary"],
                "backup": e["data"].get("backup"),
                "keys": keys,
            }
        )
    return out


def _recordable(session: Any) -> tuple[str, str]:
    """The pack's (family, serial), once the registry is known to be usable."""
    if packlog.path() is None:
        raise CommissioningError("the pack registry is switched off (PACKBENCH_REGISTRY=off)")
    if packlog.open_registry() is None:
        raise CommissioningError(f"the pack registry cannot be used: {packlog.problem()}")
    key = packlog.pack_key(session)
    if key is None:
        raise CommissioningError(
            "this board reports no serial number: give the pack's own (its label) so that it can be recorded"
        )
    return key


async def commission(
    session: Any,
    target: Target,
    *,
    operator: str,
    job: str,
    rest_s: float | None = None,
    progress: Callable[[float, float], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Result:
    """Check, snapshot and record one commissioning of the session's pack.

    Raises CommissioningError (nothing recorded) when the registry cannot be used or the
    board reports no serial number (``packlog.assign_serial`` names one)."""
    settings = await session.refresh_settings()
    board = dict(settings.values)
    key = _recordable(session)
    packlog.settings_read(session, board, "commissioning")
    rows = compare(session.protocol.settings_schema(), board, target)
    judge = RestedSpread(rest_s)
    snap = await observe(session, judge, progress=progress, clock=clock)
    checks = commissioning_checks(snap, session.settings or settings, session.device_info, judge)
    verdict, reasons = verdict_of(rows, checks)
    packlog.record(
        session,
        "sealing",
        f"{sum(c.ok is True for c in checks)} of {len(checks)} checks passed",
        {"checks": [c.to_json() for c in checks], "source": "commissioning"},
        job=job,
    )
    got = packlog.visit(session)
    if got is None:
        raise CommissioningError(f"the pack registry cannot be used: {packlog.problem()}")
    reg, visit = got
    pack = reg.find(key[1], key[0])[0]
    content = {
        "format": FORMAT,
        "version": 1,
        "app": f"packbench {__version__}",
        "verdict": verdict,
        "reasons": reasons,
        "pack": {"family": key[0], "serial_number": key[1], **packlog.identity(session)},
        "job": job,
        "operator": operator,
        "profile": {"name": target.name, "chemistry": target.chemistry, "source": target.source},
        **_measured(rows, board, snap, judge, checks),
        "changes": changes_since_last(reg, pack["id"]),
    }
    summary = f"{verdict}: " + (
        "; ".join(reasons) if reasons else "settings equal the profile, every check passed"
    )
    try:
        event_id = reg.add_event(visit.id, "commissioning", summary, content, operator=operator, job=job)
        event = reg.event(event_id)
    except (RegistryError, OSError, ValueError) as exc:
        raise CommissioningError(f"the commissioning could not be recorded: {exc}") from None
    assert event is not None
    return Result(report_from_event(event), event_id, reg)


def _measured(
    rows: list[dict[str, Any]],
    board: dict[str, Any],
    snap: Snapshot | None,
    judge: RestedSpread,
    checks: list[Check],
) -> dict[str, Any]:
    """The report's parts that come from the board: settings, cells, state, checks."""
    return {
        "settings": {
            "all_equal": all(r["equal"] for r in rows),
            "differ": [r["key"] for r in rows if not r["equal"]],
            "rows": rows,
            "board": board,
        },
        "cells": cells_part(snap),
        "state": state_part(snap),
        "rest": {"rest_s": judge.rest_s, "rested_s": round(judge.rested_s, 1), "rest_a": judge.rest_a},
        "checks": [c.to_json() for c in checks],
    }


def report_from_event(event: Mapping[str, Any]) -> dict[str, Any]:
    """The report's content from a commissioning event of the registry (the same whether
    the report is made right after commissioning or years later)."""
    if event.get("kind") != "commissioning":
        raise CommissioningError(f"event {event.get('id')} is not a commissioning record")
    return {**event["data"], "record": {"event": event["id"], "at": event["at"]}}


def last_commissioning(reg: Registry, pack_id: int) -> dict[str, Any] | None:
    events = reg.timeline(pack_id, kinds=("commissioning",))
    return events[-1] if events else None


def file_stem(report: Mapping[str, Any]) -> str:
    """``SERIAL_JOB_YYYYMMDD-HHMMSS`` (record time, UTC): safe in every file system."""
    stamp = re.sub(r"[^0-9T]", "", str(report["record"]["at"]))[:15].replace("T", "-")
    raw = f"{report['pack']['serial_number']}_{report['job']}_{stamp}"
    return re.sub(r"[^A-Za-z0-9._-]+", "_", raw).strip("_")


def json_text(report: Mapping[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_json(report: Mapping[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json_text(report), encoding="utf-8")
    tmp.replace(path)
    return path


def record_report(
    reg: Registry, report: Mapping[str, Any], files: Mapping[str, Path], *, operator: str
) -> int:
    """A "report" event beside its commissioning record: which files, and the JSON's digest."""
    event = reg.event(int(report["record"]["event"]))
    assert event is not None
    digest = hashlib.sha256(json_text(report).encode("utf-8")).hexdigest()
    return reg.add_event(
        event["visit_id"],
        "report",
        f"report of commissioning {event['id']}: " + ", ".join(str(p) for p in files.values()),
        {"commissioning": event["id"], "files": {k: str(p) for k, p in files.items()}, "json_sha256": digest},
        operator=operator,
        job=report.get("job"),
    )


def value_text(key: str, value: Any) -> str:
    """A setting's value for people ("3.65 V", "on", "—")."""
    return "—" if value is None else fmt_value(key, value)
