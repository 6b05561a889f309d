"""The write transaction, the same for every family and for the GUI and CLI.

refresh the board's settings -> diff -> interlocks (hard rules block,
advisories need an acknowledgement) -> password gate -> automatic backup ->
write only the changed keys, in an order that keeps every intermediate state
valid -> after each key read the settings back and verify it -> a per-key
report.  On any failure: stop, say what state the board is in, and point at
the backup to restore.  (shared/design.md "The session", presets.md)

The report says what the board *holds*, never what was only acknowledged: a
link that drops inside a write mode (JBD factory mode, stored only on
leaving it) or an interruption (Ctrl-C, SIGTERM: the task is cancelled) ends
with the mode left without saving, one bounded reconnection if the link is
gone, and a read-back of every key that was touched.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import SettingSpec
from ..protocols.family import label
from ..session import BoardPasswordError, DeviceSession, SessionError
from . import interlocks, packlog, presets, settings_files
from .interlocks import Finding, fmt_value
from .settings_files import Change, same

# per-key outcomes
VERIFIED = "verified"  # written, acknowledged, read back equal
REFUSED = "refused"  # no acknowledgement and the value did not change
NOT_STORED = "not_stored"  # acknowledged, but the read-back shows the old value
#: the read-back is neither the old nor the new value: another program (or the board
#: itself: a clamp, a reset) changed it; which one cannot be told from here
CHANGED_ELSEWHERE = "changed_elsewhere"
UNVERIFIED = "unverified"  # stored without an ack, or no read-back possible
#: written inside a mode that stores on leaving it (JBD factory mode), never saved:
#: the link dropped or the write was interrupted, and the board keeps its old value
NOT_SAVED = "not_saved"
FAILED = "failed"  # the link failed during this key: state unknown
UNCHANGED = "unchanged"  # already had the requested value
NOT_ATTEMPTED = "not_attempted"  # stopped before this key
CANCELLED = "cancelled"  # the user cancelled before this key

OK_STATUSES = frozenset({VERIFIED, UNCHANGED})
#: the board holds the new value (or, CHANGED_ELSEWHERE, no longer the old one)
WRITTEN = frozenset({VERIFIED, CHANGED_ELSEWHERE, UNVERIFIED})


class WriteError(Exception):
    """The transaction did not start: nothing was written.  Message for people."""


class PasswordError(WriteError):
    pass


class Interrupted(asyncio.CancelledError):
    """The write was cancelled (Ctrl-C, SIGTERM, a closed window) after it began.

    Raised once the board's write mode was left without saving and what the board holds
    was read back: ``report`` says it.  Still a cancellation, so a task nobody asks for a
    report ends cancelled as before; the CLI catches it and prints the report.
    """

    def __init__(self, report: Report) -> None:
        super().__init__("interrupted")
        self.report = report


@dataclass
class KeyResult:
    key: str
    old: Any
    new: Any
    status: str
    readback: Any = None
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "old": self.old,
            "new": self.new,
            "status": self.status,
            "readback": self.readback,
            "detail": self.detail,
        }


@dataclass
class Plan:
    board: dict[str, Any]  # the board's settings when the plan was made
    wanted: dict[str, Any]
    changes: list[Change]  # in write order
    unchanged: list[str]
    findings: list[Finding]
    schema: list[SettingSpec]

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.hard]

    @property
    def advisories(self) -> list[Finding]:
        return [f for f in self.findings if not f.hard]


@dataclass
class Report:
    results: list[KeyResult] = field(default_factory=list)
    backup: Path | None = None
    summary: str = ""
    #: the task was cancelled mid-write (Ctrl-C, SIGTERM, a closed window)
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return not self.interrupted and all(r.status in OK_STATUSES for r in self.results)

    @property
    def written(self) -> list[KeyResult]:
        return [r for r in self.results if r.status in WRITTEN]

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "backup": str(self.backup) if self.backup else None,
            "summary": self.summary,
            "interrupted": self.interrupted,
            "results": [r.to_json() for r in self.results],
        }


class PasswordGate:
    """Checks the setup password before any write; backs off after failures.

    JK boards report their setup password in clear (jk.md §6), so the gate
    compares locally and nothing is sent to the board.  After three wrong
    attempts each further attempt waits longer (5 s, 10 s, 20 s … 60 s).
    """

    FREE_ATTEMPTS = 3

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failures: dict[str, int] = {}
        self._locked_until: dict[str, float] = {}

    def wait_s(self, device: str) -> float:
        return max(0.0, self._locked_until.get(device, 0.0) - self._clock())

    def check(self, session: DeviceSession, password: str | None) -> None:
        device = self._device(session)
        wait = self.wait_s(device)
        if wait > 0:
            raise PasswordError(f"too many wrong passwords: try again in {wait:.0f} s")
        if session.protocol.password_check == "board":
            # only the board can check it (JBD): it is sent only if the board asks
            # (session.open_write_mode); refusals are counted by refused() below
            return
        if session.protocol.password_check == "none":
            return  # the protocol has no password at all (Daly A5): nothing to ask
        if not session.knows_password:
            raise PasswordError("the board has not reported its setup password; reconnect and try again")
        if not password:
            raise PasswordError("enter the board's setup password (factory default 123456)")
        if not session.check_setup_password(password):
            self.refused(session)
            raise PasswordError("wrong setup password: nothing was written")
        self.accepted(session)

    @staticmethod
    def _device(session: DeviceSession) -> str:
        return settings_files.device_key(session.device_info, session.url.redacted)

    def refused(self, session: DeviceSession) -> None:
        """One more wrong password for this board (local or board-checked)."""
        device = self._device(session)
        n = self._failures.get(device, 0) + 1
        self._failures[device] = n
        if n >= self.FREE_ATTEMPTS:
            self._locked_until[device] = self._clock() + min(60.0, 5.0 * 2 ** (n - self.FREE_ATTEMPTS))

    def accepted(self, session: DeviceSession) -> None:
        device = self._device(session)
        self._failures.pop(device, None)
        self._locked_until.pop(device, None)


async def open_write_mode(
    session: DeviceSession, password: str | None, gate: PasswordGate, scope: Iterable[str] | None = None
) -> None:
    """Gate, then whatever the board needs before it takes writes (JBD factory mode; the
    password level a write of ``scope`` needs, ``Protocol.scoped``).

    Raises PasswordError (nothing written) when the board refuses the password.
    """
    try:
        await session.open_write_mode(password, list(scope) if scope is not None else None)
    except BoardPasswordError as exc:
        if password:
            gate.refused(session)
        raise PasswordError(str(exc)) from None
    except SessionError as exc:
        raise WriteError(f"{exc}: nothing was written") from None
    if password:
        gate.accepted(session)


def backup(session: DeviceSession, values: Mapping[str, Any], directory: Path | None) -> Path:
    """The automatic backup before a write; WriteError (nothing written, no ``.tmp`` left)
    when the folder is unwritable or full."""
    try:
        return settings_files.write_backup(
            values,
            protocol=session.protocol.id,
            device=session.device_info,
            schema=session.protocol.settings_schema(),
            directory=directory,
        )
    except OSError as exc:
        raise WriteError(
            f"cannot save the backup ({exc.strerror or exc}: "
            f"{exc.filename or directory}): nothing was written"
        ) from None


def order_changes(board: Mapping[str, Any], changes: list[Change]) -> list[Change]:
    """An order in which every intermediate state keeps rules 1–4.

    Greedy: take the first pending change whose application adds no broken
    relation to the current state.  Moving OVP/SOC-100 %/OVPR up writes OVP
    first, moving them down writes OVPR first (presets.md rule 2).
    """
    state = dict(board)
    pending = list(changes)
    ordered: list[Change] = []
    while pending:
        current_bad = interlocks.ordering_violations(state)
        pick = None
        for change in pending:
            trial = dict(state, **{change.key: change.new})
            if interlocks.ordering_violations(trial) <= current_bad:
                pick = change
                break
        if pick is None:  # no safe step exists: least harm first
            pick = min(
                pending, key=lambda c: len(interlocks.ordering_violations(dict(state, **{c.key: c.new})))
            )
        ordered.append(pick)
        pending.remove(pick)
        state[pick.key] = pick.new
    return ordered


def refuse_read_only(session: DeviceSession) -> None:
    """WriteError with the protocol's reason when its boards are read-only
    (``Protocol.read_only_reason``): nothing is sent."""
    reason = session.protocol.read_only_reason
    if reason:
        raise WriteError(f"{reason} Nothing was written.")


def writable_schema(session: DeviceSession) -> list[SettingSpec]:
    return [s for s in session.protocol.settings_schema() if s.writable]


def checked_values(session: DeviceSession, wanted: Mapping[str, Any]) -> dict[str, Any]:
    """``wanted`` parsed strictly by the board's writable schema (settings_files.parse_value):
    WriteError naming the first unknown key or wrong value; nothing is coerced silently."""
    specs = {s.key: s for s in writable_schema(session)}
    unknown = sorted(k for k in wanted if k not in specs)
    if unknown:
        raise WriteError("this board has no writable setting " + ", ".join(unknown))
    try:
        return {k: settings_files.parse_value(k, v, specs[k]) for k, v in wanted.items()}
    except settings_files.FileError as exc:
        raise WriteError(f"{exc}: nothing was written") from None


def _encodable(session: DeviceSession, changes: list[Change], after: Mapping[str, Any]) -> None:
    """Every change encoded once before the first write (text length and characters, the
    family's own limits): WriteError naming the key, so nothing is written half-way."""
    for c in changes:
        try:
            session.protocol.write_requests(c.key, c.new, after)
        except (ValueError, KeyError, TypeError, OverflowError, NotImplementedError) as exc:
            reason = str(exc.args[0] if isinstance(exc, KeyError) and exc.args else exc)
            raise WriteError(
                f"{label(c.key)} ({c.key}) = {fmt_value(c.key, c.new)} cannot be "
                f"sent to this board: {reason}. Nothing was written"
            ) from None


async def prepare(
    session: DeviceSession,
    wanted: Mapping[str, Any],
    *,
    chemistry: str | None = None,
    origin: settings_files.Origin | None = None,
) -> Plan:
    """Refresh the board's settings and work out what a write would do.

    ``origin``: the file the values come from (another board's file is an advisory)."""
    if wanted:
        refuse_read_only(session)
    schema = writable_schema(session)
    wanted = checked_values(session, wanted)
    settings = await session.refresh_settings()
    board = dict(settings.values)
    packlog.settings_read(session, board, "before a write")
    changes = settings_files.diff(board, wanted, schema)
    changed = {c.key for c in changes}
    after = dict(board, **{c.key: c.new for c in changes})
    _encodable(session, changes, after)
    snap = session.last_snapshot
    measured = snap.cell_count if snap else None
    window = (snap.cell_min_v, snap.cell_max_v) if snap and snap.cell_min_v is not None else None
    findings = (
        interlocks.check(
            after,
            schema=schema,
            changed=changed,
            chemistry=chemistry,
            unordered=session.protocol.unordered_keys,
            before=board,
            measured_cells=measured,
            measured_range_v=window,
        )
        if changes
        else []
    )
    if changes:
        info = session.device_info
        findings += interlocks.origin_findings(
            origin, serial=info.serial_number if info else None, cells=board.get("cell_count") or measured
        )
    return Plan(
        board=board,
        wanted=dict(wanted),
        changes=order_changes(board, changes),
        unchanged=sorted(k for k in wanted if k not in changed),
        findings=findings,
        schema=schema,
    )


async def execute(
    session: DeviceSession,
    plan: Plan,
    *,
    password: str | None,
    gate: PasswordGate,
    acknowledged: Iterable[str] = (),
    backup_dir: Path | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    cancel: asyncio.Event | None = None,
    record_as: str = "write",
) -> Report:
    """Carry out a prepared plan.  Raises WriteError when nothing was written, and
    Interrupted (with the report) when the task was cancelled after writing began.

    A transaction that began is recorded in the pack registry as ``record_as``
    ("write", or "switch" for control.set_switch), whatever its outcome."""
    if plan.changes:
        refuse_read_only(session)
    if plan.blocking:
        raise WriteError("blocked by the safety rules: " + " ".join(f.message() for f in plan.blocking))
    missing = [f for f in plan.advisories if f.id not in set(acknowledged)]
    if missing:
        raise WriteError("needs your acknowledgement: " + " ".join(f.message() for f in missing))
    gate.check(session, password)  # raises PasswordError: nothing written
    # the board may have changed since the plan was shown: refresh and compare
    fresh = dict((await session.refresh_settings()).values)
    if any(not same(_spec(plan, c.key), fresh.get(c.key), c.old) for c in plan.changes):
        raise WriteError("the board's settings changed since the diff was shown; review the diff again")
    report = Report(
        results=[
            KeyResult(k, plan.board.get(k), plan.wanted[k], UNCHANGED, plan.board.get(k))
            for k in plan.unchanged
        ]
    )
    if not plan.changes:
        report.summary = "nothing to write: the board already has these values"
        return report
    report.backup = backup(session, fresh, backup_dir)
    await open_write_mode(session, password, gate, scope=[c.key for c in plan.changes])
    done: list[KeyResult] = []
    try:
        await _write_all(session, plan, done, progress, cancel)
    except asyncio.CancelledError:
        _uncancel()
        report.interrupted = True
        _mark_interrupted(plan, done)
    report.interrupted = await _finish(session, plan, done, interrupted=report.interrupted)
    report.results = done + report.results
    report.summary = _summary(report, len(plan.changes))
    packlog.write_transaction(session, plan, report, kind=record_as)
    if report.interrupted:
        raise Interrupted(report)
    return report


def _uncancel() -> None:
    """Carry on after a cancellation (the clean-up and the report are still owed): the
    task is no longer being cancelled, so the clean-up's own timeouts work as usual."""
    task = asyncio.current_task()
    if task is not None:
        task.uncancel()


async def _write_all(
    session: DeviceSession,
    plan: Plan,
    done: list[KeyResult],
    progress: Callable[[int, int, str], None] | None,
    cancel: asyncio.Event | None,
) -> None:
    for i, change in enumerate(plan.changes):
        if cancel is not None and cancel.is_set():
            for rest in plan.changes[i:]:
                done.append(KeyResult(rest.key, rest.old, rest.new, CANCELLED))
            break
        if progress:
            progress(i, len(plan.changes), change.key)
        result = await _write_one(session, plan, change)
        done.append(result)
        if result.status not in OK_STATUSES:
            for rest in plan.changes[i + 1 :]:
                done.append(KeyResult(rest.key, rest.old, rest.new, NOT_ATTEMPTED))
            break
    if progress:
        progress(len(plan.changes), len(plan.changes), "")


def _mark_interrupted(plan: Plan, done: list[KeyResult]) -> None:
    """The key in flight when the task was cancelled, and every key after it."""
    rest = plan.changes[len(done) :]
    if rest:
        c = rest[0]
        done.append(
            KeyResult(
                c.key,
                c.old,
                c.new,
                FAILED,
                detail="interrupted while writing this key: the board may or may not have taken it",
            )
        )
    for c in rest[1:]:
        done.append(KeyResult(c.key, c.old, c.new, CANCELLED, detail="interrupted before this key"))


async def _finish(session: DeviceSession, plan: Plan, done: list[KeyResult], *, interrupted: bool) -> bool:
    """Leave the write mode, then find out what the board holds; True when interrupted.

    A clean run saves what was written (the report says exactly which keys) and, where
    the board stores on leaving the mode (JBD 0x2828), reads everything back once more.
    A lost link or an interruption leaves the mode *without* saving (no board is left
    half-configured), reconnects once if needed and reads back every key touched.
    Another interruption meanwhile stops at once, saying only what is certain.
    """
    mode = session.has_write_mode
    lost = (mode and not session.in_write_mode) or any(r.status == FAILED for r in done)
    save = not (interrupted or lost) and any(r.status in WRITTEN for r in done)
    saved: bool | None = False  # None: the save was sent but not confirmed
    try:
        await session.close_write_mode(save=save)
        saved = save and mode
    except SessionError as exc:
        saved, lost = (None if save and mode else False), True
        for r in done:
            if r.status in WRITTEN:
                r.detail = f"written, but {exc}"
    except asyncio.CancelledError:
        _uncancel()
        saved, interrupted = (None if save and mode else False), True
        _no_readback(session, done, saved=saved, why="interrupted while leaving the write mode")
        return True
    try:
        if interrupted or lost:
            await _reconcile(session, plan, done, saved=saved, interrupted=interrupted)
        elif saved:
            await _verify_saved(session, plan, done)
    except asyncio.CancelledError:
        _uncancel()
        _no_readback(session, done, saved=saved, why="interrupted before the board was read back")
        return True
    return interrupted


async def _reconcile(
    session: DeviceSession, plan: Plan, done: list[KeyResult], *, saved: bool | None, interrupted: bool
) -> None:
    """After a lost link or an interruption: what the board holds now, key by key.

    A board with a write mode gets one bounded reconnection if the link is gone (its
    first frames leave the mode without saving); others are read back only on a live link.
    """
    touched = [r for r in done if r.status not in (NOT_ATTEMPTED, CANCELLED, UNCHANGED)]
    if not touched:
        return
    mode = session.has_write_mode
    values, why = await _read_back(session, reconnect=mode)
    if values is None:
        _no_readback(session, touched, saved=saved, why=why)
        return
    for r in touched:
        spec = _spec(plan, r.key)
        got = r.readback = values.get(r.key)
        if same(spec, got, r.new):
            if r.status not in (VERIFIED, UNVERIFIED):
                r.status, r.detail = UNVERIFIED, "the board holds the new value (read back afterwards)"
        elif same(spec, got, r.old):
            if mode and saved is not True:
                r.status = NOT_SAVED
                cause = "interrupted" if interrupted else "the link failed"
                r.detail = (
                    f"written, but never saved ({cause} first): the board still holds {fmt_value(r.key, got)}"
                )
            elif r.status == FAILED and interrupted:
                r.status = CANCELLED
                r.detail = f"interrupted: the board still holds {fmt_value(r.key, got)}"
            elif r.status not in (REFUSED, NOT_STORED):
                r.status, r.detail = NOT_STORED, f"the board still holds {fmt_value(r.key, got)}"
        else:
            r.status = CHANGED_ELSEWHERE
            r.detail = _elsewhere(r, got)


async def _read_back(session: DeviceSession, *, reconnect: bool) -> tuple[dict[str, Any] | None, str]:
    """The board's settings now, or (None, why not).  ``reconnect``: a lost link gets one
    bounded reconnection (a link that dies under the read-back too)."""
    why = "the link is down"
    for _attempt in range(2 if reconnect else 1):
        if reconnect and not await session.recover():
            return None, "Packbench could not reconnect to read it back"
        if not session.connected:
            return None, why
        try:
            return dict((await session.refresh_settings()).values), ""
        except (SessionError, OSError) as exc:
            why = f"the read-back failed: {exc}"
    return None, why


def _no_readback(session: DeviceSession, results: list[KeyResult], *, saved: bool | None, why: str) -> None:
    """No read-back possible: say only what is certain."""
    mode = session.has_write_mode
    for r in results:
        if r.status not in WRITTEN | {FAILED}:
            continue
        if mode and saved is False:
            # the save command was never sent: whatever the board took waits unsaved in
            # its write mode, which the next connection leaves without saving
            r.status = NOT_SAVED
            r.detail = (
                f"written, but the board never got the command that saves it ({why}); "
                "the next connection makes the board drop it"
            )
        elif (mode and saved is None) or r.status == FAILED:
            r.status = FAILED
            r.detail = f"unknown: {why}; the board may or may not hold this value"
        # else: stored at once (no write mode) or saved and confirmed: as verified before


def _elsewhere(r: KeyResult, got: Any) -> str:
    return (
        f"the board now holds {fmt_value(r.key, got)}, neither the previous "
        f"{fmt_value(r.key, r.old)} nor the requested {fmt_value(r.key, r.new)}: changed "
        "by someone else or by the board"
    )


async def _verify_saved(session: DeviceSession, plan: Plan, done: list[KeyResult]) -> None:
    """Boards that store on leaving a mode (JBD 0x2828): read everything back once more."""
    written = [r for r in done if r.status in WRITTEN]
    if not written:
        return
    try:
        values = (await session.refresh_settings()).values
    except (SessionError, OSError) as exc:
        for r in written:
            r.status, r.detail = UNVERIFIED, f"written, but the read-back after saving failed: {exc}"
        return
    for r in written:
        got = values.get(r.key)
        if same(_spec(plan, r.key), got, r.readback):
            continue
        if same(_spec(plan, r.key), got, r.old):
            r.status, r.readback = NOT_STORED, got
            r.detail = (
                "the board took the value but did not keep it when it saved: it now "
                f"holds {fmt_value(r.key, got)}"
            )
        else:
            r.status, r.readback = CHANGED_ELSEWHERE, got
            r.detail = _elsewhere(r, got)


def _spec(plan: Plan, key: str) -> SettingSpec | None:
    return next((s for s in plan.schema if s.key == key), None)


async def _write_one(session: DeviceSession, plan: Plan, change: Change) -> KeyResult:
    spec = _spec(plan, change.key)
    try:
        ack = await session.write_setting(change.key, change.new)
        values = (await session.refresh_settings([change.key])).values
    except (SessionError, OSError) as exc:
        return KeyResult(
            change.key,
            change.old,
            change.new,
            FAILED,
            detail=f"the link failed while writing: {exc}. The board may or may not have stored this value.",
        )
    got = values.get(change.key)
    # a board that answers writes with nothing (ANT legacy): the read-back is the only check
    silent = not session.protocol.acknowledges_writes
    if same(spec, got, change.new):
        return KeyResult(
            change.key,
            change.old,
            change.new,
            VERIFIED if ack or silent else UNVERIFIED,
            got,
            "" if ack or silent else "stored, but the board sent no acknowledgement",
        )
    if same(spec, got, change.old):
        if ack:
            return KeyResult(
                change.key,
                change.old,
                change.new,
                NOT_STORED,
                got,
                "the board acknowledged the write but kept the old value",
            )
        detail = (
            "the board did not take the value (it answers writes with nothing; the "
            "read-back shows the old value)"
            if silent
            else "the board refused the write (no acknowledgement)"
        )
        if session.has_default_password is False:
            # jk.md §6.3: newer JK-PB firmware may enforce a changed setup password
            detail += (
                "; this board's setup password is not the factory one, and newer JK-PB "
                "firmware may then accept settings only from the vendor app"
            )
        return KeyResult(change.key, change.old, change.new, REFUSED, got, detail)
    result = KeyResult(change.key, change.old, change.new, CHANGED_ELSEWHERE, got)
    result.detail = _elsewhere(result, got)
    return result


def _summary(report: Report, planned: int) -> str:
    if report.ok:
        return f"all {planned} change(s) written and verified"
    on_board = [r for r in report.results if r.status in (VERIFIED, UNVERIFIED)]
    failed = [r for r in report.results if r.status not in OK_STATUSES | {NOT_ATTEMPTED, CANCELLED}]
    unknown = any(r.status == FAILED for r in report.results)
    parts = []
    if not report.written and not unknown:
        parts.append("nothing was changed on the board")
    else:
        parts.append(f"{len(on_board)} of {planned} change(s) are on the board")
        if on_board and len(on_board) < planned:
            parts.append(
                "changed: " + ", ".join(f"{label(r.key)} = {fmt_value(r.key, r.readback)}" for r in on_board)
            )
    if any(r.status == CANCELLED for r in report.results):
        parts.append(
            "interrupted before the rest" if report.interrupted else "cancelled by you before the rest"
        )
    elif report.interrupted:
        parts.append("interrupted")
    for r in failed:
        parts.append(f"{label(r.key)}: {r.detail or r.status}")
    if report.backup and (report.written or unknown):
        parts.append(f"to undo, restore the previous settings from {report.backup}")
    return "; ".join(parts)


async def restore(
    session: DeviceSession,
    backup_path: str | Path,
    *,
    password: str | None,
    gate: PasswordGate,
    backup_dir: Path | None = None,
    acknowledged: Iterable[str] = (),
) -> Report:
    """Write a backup's values back (itself a full transaction, with a new backup)."""
    try:
        request = settings_files.load_request(backup_path, session.protocol)
    except settings_files.FileError as exc:
        raise WriteError(f"{exc}: nothing was written") from None
    plan = await prepare(session, request.values, origin=request.origin)
    # a restore puts back what the board had: advisories are acknowledged by choosing it
    ack = set(acknowledged) | {f.id for f in plan.advisories}
    return await execute(session, plan, password=password, gate=gate, acknowledged=ack, backup_dir=backup_dir)


# --- the board's own one-click presets (JK02_32S 0x68/0x69/0x6A) -------------------------


@dataclass
class ActionReport:
    """What a board-preset command did, read back (nobody knows its values in advance)."""

    action: str
    acknowledged: bool
    before: dict[str, Any]
    after: dict[str, Any] | None  # None: the link failed, the board's state is unknown
    changes: list[Change]  # before -> after, schema order
    findings: list[Finding]  # Packbench's rules the new values break (changed keys only)
    backup: Path | None
    error: str = ""

    @property
    def chemistry(self) -> str | None:
        return board_preset_chemistry(self.action)


def board_preset_actions(session: DeviceSession) -> list[str]:
    """The board's own chemistry presets (``preset_lifepo4`` …), if the family has any."""
    return [a for a in session.protocol.actions() if a.startswith("preset_")]


def board_preset_chemistry(action: str) -> str | None:
    try:
        return presets.normalise_chemistry(action.removeprefix("preset_"))
    except ValueError:
        return None


async def run_board_preset(
    session: DeviceSession,
    action: str,
    *,
    password: str | None,
    gate: PasswordGate,
    backup_dir: Path | None = None,
) -> ActionReport:
    """Password gate -> backup -> the board's preset command -> read back -> diff.

    Raises WriteError/PasswordError when nothing was sent.  The interlocks run
    on the values the board produced, for the caller to show.
    """
    refuse_read_only(session)
    if action not in board_preset_actions(session):
        raise WriteError(f"this board has no preset command {action!r}")
    gate.check(session, password)  # raises PasswordError: nothing sent
    before = dict((await session.refresh_settings()).values)
    schema = session.protocol.settings_schema()
    saved = backup(session, before, backup_dir)
    # the password level the command needs (ANT), nothing for most boards
    await open_write_mode(session, password, gate, scope=[f"action:{action}"])
    try:
        try:
            ack = await session.run_action(action)
            after = dict((await session.refresh_settings()).values)
        except (SessionError, OSError) as exc:
            failed = ActionReport(
                action,
                False,
                before,
                None,
                [],
                [],
                saved,
                f"the link failed during the preset command: {exc}. The board may "
                "or may not have applied it.",
            )
            packlog.record(
                session,
                "action",
                f"{action}: {failed.error}",
                {"action": action, "acknowledged": False, "backup": str(saved), "error": failed.error},
            )
            return failed
    finally:
        await session.close_write_mode(save=False)
    # what the preset changed: the settings, not the counters the board updates by itself
    # meanwhile (remaining capacity, cycle capacity: rows that are not writable)
    counters = {s.key for s in schema if not s.writable}
    changes = [c for c in settings_files.diff(before, after, schema) if c.key not in counters]
    changed = {c.key for c in changes}
    packlog.record(
        session,
        "action",
        f"{action}: {len(changes)} setting(s) changed",
        {
            "action": action,
            "acknowledged": ack is not None,
            "backup": str(saved),
            "changes": [{"key": c.key, "before": c.old, "stored": c.new} for c in changes],
        },
    )
    packlog.settings_read(session, after, f"after {action}")
    snap = session.last_snapshot
    window = (snap.cell_min_v, snap.cell_max_v) if snap and snap.cell_min_v is not None else None
    findings = (
        interlocks.check(
            after,
            schema=writable_schema(session),
            changed=changed,
            chemistry=board_preset_chemistry(action),
            measured_cells=snap.cell_count if snap else None,
            measured_range_v=window,
        )
        if changed
        else []
    )
    return ActionReport(action, ack is not None, before, after, changes, findings, saved)
