"""Recording into the pack registry from the services, so that the CLI and the window
record the same things without code of their own.

The write transaction (writer.py), the control actions (control.py) and settings
reads call these functions.  They never raise and never stop the work they record:
a registry that cannot be opened or written is said once on stderr (``problem()``
tells the window the same), and the write goes on.

``PACKBENCH_REGISTRY`` names another registry file, or ``off`` records nothing.
The operator is whoever ``set_operator`` named (the CLI's ``--operator``), else
``PACKBENCH_OPERATOR``, else the computer's login name.
"""

from __future__ import annotations

import dataclasses
import getpass
import json
import logging
import os
import sqlite3
import sys
import threading
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .registry import Registry, RegistryError, default_path

log = logging.getLogger(__name__)

ENV = "PACKBENCH_REGISTRY"
OFF = ("0", "off", "no", "false", "none")


@dataclass
class _Visit:
    path: Path
    key: tuple[str, str]
    identity: dict[str, Any]
    id: int
    #: the settings last recorded on this visit (JSON), so an unchanged read adds nothing
    last_settings: str | None = None


_lock = threading.RLock()
_open: dict[Path, Registry] = {}
_refused: dict[Path, str] = {}
_warned: set[str] = set()
_operator: str | None = None
_visits: weakref.WeakKeyDictionary[Any, _Visit] = weakref.WeakKeyDictionary()
#: serial numbers given by people for boards that report none (``assign_serial``)
_assigned: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def path() -> Path | None:
    """The registry file in use now (None: recording is switched off)."""
    chosen = os.environ.get(ENV, "").strip()
    if chosen.lower() in OFF:
        return None
    return Path(chosen) if chosen else default_path()


def open_registry() -> Registry | None:
    """The registry of this process (opened once per file), or None when it is off or
    cannot be opened (said once on stderr)."""
    where = path()
    if where is None:
        return None
    with _lock:
        if where in _open:
            return _open[where]
        if where in _refused:
            return None
        for other in list(_open):  # the data folder moved (a test, a setting): one file at a time
            _open.pop(other).close()
        try:
            _open[where] = Registry(where)
        except (RegistryError, OSError, sqlite3.Error) as exc:
            _refused[where] = str(exc)
            _warn(str(exc))
            return None
        return _open[where]


def problem() -> str | None:
    """Why the registry in use is not recording, or None."""
    where = path()
    return _refused.get(where) if where is not None else None


def reset() -> None:
    """Forget open files, refusals and visits (tests; a new data folder)."""
    global _operator
    with _lock:
        for reg in _open.values():
            reg.close()
        _open.clear()
        _refused.clear()
        _warned.clear()
        _visits.clear()
        _assigned.clear()
        _operator = None


def _warn(why: str, once_key: str | None = None) -> None:
    """Say ``why`` on stderr, once per ``once_key`` (default: the text itself)."""
    key = once_key or why
    if key in _warned:
        return
    _warned.add(key)
    log.info("pack registry: %s", why)
    try:
        print(f"packbench: the pack registry is not recording: {why}", file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


# --- who and which pack ------------------------------------------------------------------------
def set_operator(name: str | None) -> None:
    global _operator
    _operator = (name or "").strip() or None


def operator() -> str:
    if _operator:
        return _operator
    env = os.environ.get("PACKBENCH_OPERATOR", "").strip()
    if env:
        return env
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name (a container without a user)
        return "unknown"


def pack_key(session: Any) -> tuple[str, str] | None:
    """(family, serial number) of the session's board, or None when it reports no serial
    (and nobody gave one with ``assign_serial``)."""
    protocol = session.protocol
    settings = session.settings.values if session.settings is not None else {}
    serial = protocol.pack_serial(session.device_info, settings) or _assigned.get(session)
    return (protocol.family or protocol.id, serial) if serial else None


def assign_serial(session: Any, serial: str) -> None:
    """The pack's serial number as a person gives it (its label), for a board that reports
    none.  ValueError when the board reports another: a board's own serial always wins."""
    serial = serial.strip()
    if not serial:
        raise ValueError("the serial number is empty")
    settings = session.settings.values if session.settings is not None else {}
    reported = session.protocol.pack_serial(session.device_info, settings)
    if reported and reported != serial:
        raise ValueError(f"the board reports serial number {reported}, not {serial}")
    _assigned[session] = serial


def identity(session: Any) -> dict[str, Any]:
    info = session.device_info
    out: dict[str, Any] = {"protocol": session.protocol.id}
    for key in ("model", "hardware_version", "software_version", "device_name", "manufacture_date"):
        value = getattr(info, key, None) if info is not None else None
        if value not in (None, ""):
            out[key] = value
    return out


async def identify(session: Any) -> None:
    """Read the board's settings once if its serial number is among them (JBD) and they
    were not read yet, so that an action can be recorded under its pack.  Never raises:
    a board that does not answer is simply not recorded."""
    if (
        not session.protocol.serial_in_settings
        or session.settings is not None
        or pack_key(session) is not None
        or not session.connected
        or path() is None
    ):
        return
    try:
        await session.refresh_settings()
    except Exception as exc:  # noqa: BLE001 - the action goes on unrecorded
        log.info("pack registry: the settings that name the pack could not be read: %s", exc)


def visit(session: Any) -> tuple[Registry, _Visit] | None:
    """The registry and this session's visit of its pack (a new visit on the first record,
    or when the board now reports another identity)."""
    reg = open_registry()
    key = pack_key(session) if reg is not None else None
    if reg is None or key is None:
        return None
    ident = identity(session)
    with _lock:
        known = _visits.get(session)
        if known is not None and known.path == reg.path and known.key == key and known.identity == ident:
            return reg, known
        visit_id = reg.add_visit(*key, ident, link=session.url.redacted)
        _visits[session] = _Visit(reg.path, key, ident, visit_id)
        return reg, _visits[session]


def record(
    session: Any, kind: str, summary: str, data: Mapping[str, Any], *, job: str | None = None
) -> int | None:
    """One event for the session's pack; its id, or None (not recorded: no serial number,
    recording off, or the registry failed, which is said once).  Never raises."""
    try:
        got = visit(session)
        if got is None:
            return None
        reg, v = got
        return reg.add_event(v.id, kind, summary, data, operator=operator(), job=job)
    except (RegistryError, OSError, sqlite3.Error, ValueError, TypeError) as exc:
        _warn(f"{exc} (not recorded: {kind})", "record")
        return None
    except Exception as exc:  # noqa: BLE001 - recording must never stop the work it records
        log.exception("pack registry: recording %s failed", kind)
        _warn(f"{type(exc).__name__}: {exc} (not recorded: {kind})", "record")
        return None


# --- what the services record ------------------------------------------------------------------
def settings_read(session: Any, values: Mapping[str, Any], source: str) -> int | None:
    """A settings snapshot read from the board (once per visit while it does not change)."""
    try:
        got = visit(session)
        if got is None:
            return None
        _reg, v = got
        text = json.dumps(dict(values), sort_keys=True, default=str)
        if text == v.last_settings:
            return None
        event = record(
            session,
            "settings",
            f"{len(values)} settings read ({source})",
            {"source": source, "settings": values},
        )
        if event is not None:
            v.last_settings = text
        return event
    except Exception as exc:  # noqa: BLE001 - as record()
        _warn(f"{type(exc).__name__}: {exc} (not recorded: settings)", "record")
        return None


def write_transaction(session: Any, plan: Any, report: Any, *, kind: str = "write") -> int | None:
    """A write transaction that began (writer.execute): per key before, requested,
    stored and verdict, the backup, the advisories acknowledged."""
    results = [
        {
            "key": r.key,
            "before": r.old,
            "requested": r.new,
            "stored": r.readback,
            "verdict": r.status,
            "detail": r.detail,
        }
        for r in report.results
    ]
    changed = [r for r in results if r["verdict"] != "unchanged"]
    summary = f"{len(changed)} key(s) written: " + ", ".join(
        f"{r['key']} {_short(r['key'], r['before'])} → {_short(r['key'], r['requested'])} ({r['verdict']})"
        for r in changed
    )
    data = {
        "ok": report.ok,
        "interrupted": report.interrupted,
        "summary": report.summary,
        "backup": str(report.backup) if report.backup else None,
        "results": results,
        "acknowledged": [f.message() for f in plan.advisories],
    }
    event = record(session, kind, summary, data)
    if event is not None and session.settings is not None:  # what the board holds afterwards
        settings_read(session, session.settings.values, f"after {kind}")
    return event


def action(session: Any, kind: str, name: str, result: Any, summary: str) -> int | None:
    """A control action's result (a dataclass: calibration, board action, emergency …)."""
    if dataclasses.is_dataclass(result):
        data = dataclasses.asdict(result)
    else:
        data = dict(result) if isinstance(result, Mapping) else {"result": result}
    return record(session, kind, f"{name}: {summary}", {"action": name, **_plain(data)})


def _plain(value: Any) -> Any:
    """JSON-ready: paths and dates as text, the rest as it is."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _short(key: str, value: Any) -> str:
    from .interlocks import fmt_value

    return "—" if value is None else fmt_value(key, value)
