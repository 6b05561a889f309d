"""A batch run: one pack after another, each configured and commissioned the same way.

For each pack: connect → identify (a board already commissioned in this job is refused
unless ``again``) → read → diff → the write transaction of every write (writer.prepare /
writer.execute: interlocks, password gate, backup, ordered writes, per-key read-back),
with the device name of the job's pattern among the values where the family has one →
the board password of the job's policy where the family has one → commissioning
(services/commissioning.py: settings against the profile, sealing checks with the spread
judged at rest, the registry record) → the report files → a ``batch`` event in the
registry → the next pack.  A failure stops only its pack and is said in words; the run
goes on.  The registry knows what is done, so a run started again skips those packs.
``Run.skip`` ends only the pack in hand as a cancellation ends it ("skipped by the
operator"); ``Run.pause`` holds the next pack (services/batch_sources.py's loop).

Per pack, the time spent awaiting the board (requests, acknowledgements, read-backs,
reconnection) is told apart from the time spent waiting for the pack to rest (live
snapshots) and from everything else (Packbench's own work: the overhead), and the frames
sent to the board are counted.

Pure of Qt: the report's PDF writer is handed in (``write_files``) by the caller.
Passwords never reach the registry: a generated or given password goes on that pack's
report PDF and into the customer's export, nothing else.
"""

from __future__ import annotations

import asyncio
import contextvars
import csv
import dataclasses
import functools
import io
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import commissioning, control, packlog, presets, settings_files, writer
from .jobs import Job, device_name

# a pack's result
PASSED, NOT_PASSED, FAILED, SKIPPED = "passed", "not passed", "failed", "skipped"
#: the session methods that wait on the board (requests, acks, read-backs, the link)
BOARD_CALLS = (
    "connect",
    "refresh_settings",
    "write_setting",
    "send_expecting_ack",
    "run_script",
    "open_write_mode",
    "close_write_mode",
    "read_setting",
    "recover",
    "close",
)


#: set inside a timed session call (and in the tasks started from one: asyncio copies
#: the context into a new task), so that only the pack's own outermost waits are counted
_timing: contextvars.ContextVar[bool] = contextvars.ContextVar("packbench_batch_timing", default=False)


class PackFailed(Exception):
    """This pack stops here; the message says why, for people."""


@dataclass
class Meter:
    """Where a pack's time went, and how many frames went to its board."""

    clock: Callable[[], float] = time.monotonic
    board_s: float = 0.0  # awaiting the board: requests, acks, read-backs, the link
    rest_s: float = 0.0  # awaiting live snapshots while the pack rests (sealing checks)
    frames_sent: int = 0

    def wrap(self, session: Any) -> None:
        """Time every call of the session's waiting methods: the outermost call of the
        pack's own task only.  A call inside a timed call (refresh_settings runs a script)
        or in a task started inside one (the session's poller, started by connect) is
        already inside a timed span: counting it again would count time twice."""
        for name in BOARD_CALLS:
            setattr(session, name, self._timed(getattr(session, name), "board_s"))
        session.next_snapshot = self._timed(session.next_snapshot, "rest_s")
        session.add_frame_tap(self._tap)

    def _tap(self, direction: str, _frame: bytes) -> None:
        if direction == "tx":
            self.frames_sent += 1

    def _timed(self, fn: Callable[..., Any], bucket: str) -> Callable[..., Any]:
        @functools.wraps(fn)
        async def timed(*args: Any, **kwargs: Any) -> Any:
            if _timing.get():  # inside a timed call, or a task one of them started
                return await fn(*args, **kwargs)
            token = _timing.set(True)
            t0 = self.clock()
            try:
                return await fn(*args, **kwargs)
            finally:
                _timing.reset(token)
                setattr(self, bucket, getattr(self, bucket) + self.clock() - t0)

        return timed


#: the session methods that may change what the board holds
CHANGING_CALLS = (
    "write_setting",
    "send_expecting_ack",
    "open_write_mode",
    "close_write_mode",
    "run_action",
    "calibrate",
    "set_soc",
    "set_remaining_capacity",
    "recover",
)


class LastRead:
    """Serves the next full settings read from the full read just made, once, when asked
    (``reuse_next``) and nothing that may change the board was sent since.

    A JBD board answers a full read in about 70 exchanges; a pack read its settings in
    full to find its serial number, then writer.prepare read them again at once, and
    commissioning read them again right after the write transaction's own read-back.
    Only those two reads are served from the one before; writer.execute's re-check
    before writing and its read-backs always ask the board.  A board password change
    sends no setting (the password is not among them)."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.fresh = False  # the last full read is what the board holds now
        self.armed = False
        self.reused = 0
        self._read = session.refresh_settings
        session.refresh_settings = self._refresh
        for name in CHANGING_CALLS:
            if hasattr(session, name):
                setattr(session, name, self._changing(getattr(session, name)))

    def reuse_next(self) -> None:
        self.armed = True

    async def _refresh(self, keys: Any = None) -> Any:
        armed, self.armed = self.armed, False
        if keys is None and armed and self.fresh and self.session.settings is not None:
            self.reused += 1
            return self.session.settings
        self.fresh = False
        settings = await self._read(keys)
        self.fresh = keys is None
        return settings

    def _changing(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        async def changing(*args: Any, **kwargs: Any) -> Any:
            self.fresh = False
            try:
                return await fn(*args, **kwargs)
            finally:
                self.fresh = False

        return changing


@dataclass
class PackResult:
    url: str
    result: str = FAILED
    why: str = ""
    family: str | None = None
    serial: str | None = None
    n: int | None = None
    name: str | None = None
    verdict: str | None = None
    written: int = 0  # keys the write transaction changed on the board
    password: str = ""  # what happened to the board password, in words (never the password)
    report: Path | None = None
    total_s: float = 0.0
    board_s: float = 0.0
    rest_s: float = 0.0
    frames_sent: int = 0
    #: what the pack could not be given although the job asks for it (said with its result)
    notes: list[str] = field(default_factory=list)
    #: what the pack was at when it stopped (for an unexpected error's message)
    stage: str = "connecting"
    #: the new board password, for the report and the customer's export only
    secret: str | None = field(default=None, repr=False)

    @property
    def overhead_s(self) -> float:
        return max(0.0, self.total_s - self.board_s - self.rest_s)

    @property
    def overhead_pct(self) -> float:
        return 100.0 * self.overhead_s / self.total_s if self.total_s > 0 else 0.0

    def row(self) -> dict[str, Any]:
        """One row of the summary (table and CSV); no password."""
        return {
            "pack": self.n if self.n is not None else "",
            "url": self.url,
            "family": self.family or "",
            "serial": self.serial or "",
            "name": self.name or "",
            "result": self.result,
            "why": self.why,
            "keys_written": self.written,
            "board_password": self.password,
            "time_s": f"{self.total_s:.2f}",
            "board_s": f"{self.board_s:.2f}",
            "rest_s": f"{self.rest_s:.2f}",
            "overhead_pct": f"{self.overhead_pct:.1f}",
            "frames_sent": self.frames_sent,
            "report": str(self.report) if self.report else "",
        }


@dataclass
class Options:
    again: bool = False
    out: Path | None = None
    backup_dir: Path | None = None
    #: the report files (PDF + JSON): ``write_files(report, folder, password)`` → {kind: path}
    write_files: Callable[[dict[str, Any], Path | None, str | None], dict[str, Path]] | None = None
    #: a session for a URL (tests hand in their own timing); default: DeviceSession(url)
    open_session: Callable[[str], Any] | None = None
    clock: Callable[[], float] = time.monotonic
    #: told what a pack is doing now ("pack 3: jbd serial X: writing the settings")
    progress: Callable[[str], None] | None = None
    #: told how long the pack has rested so far and how long it must (the countdown)
    resting: Callable[[PackResult, float, float], None] | None = None
    #: board passwords this job gave before (its export): tried on a board that wants one,
    #: so that a pack done in an earlier run is recognised
    known_passwords: list[str] = field(default_factory=list)
    #: a new board password (policy "generate"): six digits from the ``secrets`` module
    generate: Callable[[], str] = lambda: f"{secrets.randbelow(10**6):06d}"


def request_for(job: Job, protocol: Any) -> settings_files.Request:
    """What the job's profile asks this board's protocol for (FileError/ValueError in
    words), without the settings that name one pack (``Protocol.per_pack_keys``: a JBD
    settings file holds its board's barcode, the pack's serial number, and its name)."""
    request = _request(job, protocol)
    request.values = {k: v for k, v in request.values.items() if k not in protocol.per_pack_keys}
    return request


def _request(job: Job, protocol: Any) -> settings_files.Request:
    if job.profile_file is not None:
        source = settings_files.open_file(job.profile_file)
        profile = None
        if isinstance(source, presets.Preset) and job.cells is not None and job.capacity_ah is not None:
            profile = presets.PackProfile(
                job.cells, job.capacity_ah, job.charge_current_a, job.discharge_current_a
            )
        return settings_files.request_from(source, protocol, name=job.profile_file.name, profile=profile)
    assert job.preset is not None and job.cells is not None and job.capacity_ah is not None
    is_file = job.preset.lower().endswith(".json")
    preset = presets.load_preset(job.preset) if is_file else presets.builtin(job.preset)
    profile = presets.PackProfile(job.cells, job.capacity_ah, job.charge_current_a, job.discharge_current_a)
    return settings_files.request_from(
        preset, protocol, profile=profile, name=Path(job.preset).name if is_file else ""
    )


def target_for(job: Job, request: settings_files.Request) -> commissioning.Target:
    source: dict[str, Any] = {"job_file": str(job.path)}
    if job.profile_file is not None:
        source["file"] = str(job.profile_file)
    else:
        source.update(preset=job.preset, cells=job.cells, capacity_ah=job.capacity_ah)
    return commissioning.target_from_request(request, job.target_name(), source)


def job_state(reg: Any, job: str) -> dict[tuple[str, str], dict[str, Any]]:
    """What the registry knows of this job: per (family, serial), its pack number and its
    last commissioning in the job (None: attempted, not commissioned)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for e in reg.job_events(job, kinds=("batch", "commissioning")):
        key = (e["family"], e["serial"])
        known = out.setdefault(key, {"n": None, "commissioned": None})
        if e["kind"] == "batch" and known["n"] is None and e["data"].get("n") is not None:
            known["n"] = int(e["data"]["n"])
        if e["kind"] == "commissioning":
            known["commissioned"] = {"at": e["at"], "verdict": e["data"].get("verdict")}
    return out


class Run:
    """One run of a job over a series of boards (``run_pack`` per board)."""

    def __init__(self, job: Job, opts: Options) -> None:
        self.job = job
        self.opts = opts
        self.results: list[PackResult] = []
        self.gate = writer.PasswordGate()
        #: a pack was interrupted (Ctrl-C, SIGTERM): the run stops after it
        self.interrupted = False
        self.last_read: LastRead | None = None
        self._in_hand: asyncio.Task | None = None  # the task of the pack in hand (for skip)
        self._skipping = False
        self._go = asyncio.Event()
        self._go.set()

    def skip(self) -> bool:
        """End only the pack in hand, as a cancellation ends it (the write transaction
        leaves the board as it says), and not the run; False: no pack in hand."""
        if self._in_hand is None or self._skipping:
            return False
        self._skipping = True
        self._in_hand.cancel()
        return True

    @property
    def paused(self) -> bool:
        return not self._go.is_set()

    def pause(self, paused: bool = True) -> None:
        """Paused: the pack in hand finishes, the next one waits (``until_resumed``)."""
        if paused:
            self._go.clear()
        else:
            self._go.set()

    async def until_resumed(self) -> None:
        await self._go.wait()

    async def run_pack(self, url: str) -> PackResult:
        """One pack from connection to registry; never raises for the pack's own trouble."""
        res = PackResult(url)
        meter = Meter(clock=self.opts.clock)
        t0 = self.opts.clock()
        session = None
        self._in_hand = asyncio.current_task()
        try:
            session = self._session(url)
            meter.wrap(session)
            self.last_read = LastRead(session)
            try:
                await session.connect()
            except Exception as exc:  # noqa: BLE001 - a SessionError, a transport's, in words
                raise PackFailed(f"no connection: {exc}") from None
            await self._pack(session, res)
        except PackFailed as exc:
            res.result, res.why = (SKIPPED, str(exc)) if res.result == SKIPPED else (FAILED, str(exc))
        except asyncio.CancelledError as stop:  # Ctrl-C/SIGTERM: this pack ends, the run stops
            task = asyncio.current_task()
            if task is not None:
                task.uncancel()  # the clean-up below still awaits the board
            skipped, self._skipping = self._skipping, False
            self.interrupted = not skipped
            if isinstance(stop, writer.Interrupted):  # mid-write: what the board holds
                said = stop.report.summary
            elif res.stage in ("connecting", "reading the settings"):
                said = "nothing was written"
            else:
                said = f"{res.written} key(s) had been written and verified before"
            how = "skipped by the operator" if skipped else "interrupted"
            res.result, res.why = FAILED, f"{how} while {res.stage}: {said}"
        except Exception as exc:  # noqa: BLE001 - a session error mid-pack: the run goes on
            res.result, res.why = FAILED, f"stopped while {res.stage}: {exc or type(exc).__name__}"
        finally:
            self._in_hand, self._skipping = None, False  # a skip comes too late now
            if session is not None:
                try:
                    await session.close()
                except Exception:  # noqa: BLE001 - closing a lost link: nothing more to say
                    pass
            res.total_s = self.opts.clock() - t0
            res.board_s, res.rest_s, res.frames_sent = meter.board_s, meter.rest_s, meter.frames_sent
            if session is not None and res.serial is not None and res.result != SKIPPED:
                self._record(session, res)
            self.results.append(res)
        return res

    def _stage(self, res: PackResult, stage: str) -> None:
        res.stage = stage
        if self.opts.progress is not None:
            self.opts.progress(f"pack {res.n}: {res.family} serial {res.serial}: {stage}")

    def _reuse_next(self) -> None:
        if self.last_read is not None:
            self.last_read.reuse_next()

    def _session(self, url: str) -> Any:
        if self.opts.open_session is not None:
            return self.opts.open_session(url)
        from ..session import DeviceSession

        return DeviceSession(url, reconnect=False)

    async def _pack(self, session: Any, res: PackResult) -> None:
        job = self.job
        packlog.set_operator(job.operator)
        res.family = session.protocol.family or session.protocol.id
        session.remember_board_password(job.current_for(res.family))  # JBD: settings behind it
        res.stage = "reading the settings"
        await self._read(session, res)  # JBD keeps its serial among its settings
        key = packlog.pack_key(session)
        if key is None:
            raise PackFailed("the board reports no serial number: commission it alone with --serial")
        res.serial = key[1]
        reg = packlog.open_registry()
        if reg is None:
            raise PackFailed(f"the pack registry cannot be used: {packlog.problem() or 'switched off'}")
        state = job_state(reg, job.ref)
        known = state.get(key, {"n": None, "commissioned": None})
        done = known["commissioned"]
        if done is not None and not self.opts.again:
            res.result, res.n = SKIPPED, known["n"]
            raise PackFailed(
                f"already commissioned in job {job.ref} ({done['at'][:16].replace('T', ' ')} UTC, "
                f"{done['verdict']}): nothing done"
            )
        res.n = known["n"] or 1 + max((s["n"] or 0 for s in state.values()), default=0)
        try:
            request = request_for(job, session.protocol)
        except (ValueError, OSError) as exc:  # FileError is a ValueError
            raise PackFailed(f"the job's profile does not fit this board: {exc}") from None
        self._stage(res, "writing the settings")
        await self._write(session, res, request)
        self._stage(res, "setting the board password")
        await self._password(session, res)
        self._stage(res, "commissioning")
        self._reuse_next()  # the write transaction has just read the board back
        await self._commission(session, res, target_for(job, request))

    async def _read(self, session: Any, res: PackResult) -> None:
        """The board's settings; a board that wants a password it was given in this job
        (policy "set", one this run generated, or one in the job's export
        ``known_passwords``) is tried with it."""
        from ..session import BoardPasswordError

        given = [r.secret for r in self.results]  # this run's own, before its export is saved
        tries = [p for p in (self.job.new_password, *given, *self.opts.known_passwords) if p]
        while True:
            try:
                await session.refresh_settings()
                return
            except BoardPasswordError as exc:
                if not tries:
                    hint = (
                        "; if this job gave it its password, run with the same --out (the job's "
                        "password export is read from there) or give it with --password"
                        if self.job.password_policy == "generate"
                        else ""
                    )
                    raise PackFailed(f"the board's settings could not be read: {exc}{hint}") from None
                session.remember_board_password(tries.pop(0))

    async def _write(self, session: Any, res: PackResult, request: settings_files.Request) -> None:
        wanted = dict(request.values)
        writable = {s.key for s in writer.writable_schema(session)}
        if self.job.pattern is not None and "device_name" not in writable:
            res.notes.append(f"not renamed: Packbench knows no command that renames {res.family} boards")
        if self.job.pattern is not None and "device_name" in writable:
            wanted["device_name"] = device_name(self.job.pattern, res.n or 0, res.serial or "")
        try:
            self._reuse_next()  # read a moment ago to identify the pack
            plan = await writer.prepare(session, wanted, chemistry=request.chemistry, origin=request.origin)
        except writer.WriteError as exc:
            raise PackFailed(f"not written: {exc}") from None
        if plan.blocking:
            raise PackFailed(
                "not written, blocked by the safety rules: " + " ".join(f.message() for f in plan.blocking)
            )
        if plan.advisories and not self.job.accept_warnings:
            raise PackFailed(
                "not written: the safety rules advise against it (accept_warnings = true in the job "
                "to write all the same): " + " ".join(f.message() for f in plan.advisories)
            )
        try:
            report = await writer.execute(
                session,
                plan,
                password=self.job.current_for(res.family or ""),
                gate=self.gate,
                acknowledged={f.id for f in plan.advisories},
                backup_dir=self.opts.backup_dir,
            )
        except writer.WriteError as exc:
            raise PackFailed(f"not written: {exc}") from None
        res.written = len(report.written)
        if not report.ok:
            raise PackFailed(f"the write failed: {report.summary}")
        renamed = next((r for r in report.results if r.key == "device_name"), None)
        if renamed is not None:  # read back: the name the board holds now
            res.name = renamed.readback
            if session.device_info is not None:
                session.device_info = dataclasses.replace(session.device_info, device_name=renamed.readback)

    async def _password(self, session: Any, res: PackResult) -> None:
        policy = self.job.password_policy
        if policy == "keep":
            res.password = "kept"
            return
        if not control.has_board_password(session):
            res.password = f"not set: {res.family} boards have no password command that Packbench knows"
            return
        new = self.job.new_password if policy == "set" else self.opts.generate()
        assert new is not None
        try:
            ok = await control.change_board_password(
                session, old=self.job.current_for(res.family or ""), new=new, gate=self.gate
            )
        except (writer.WriteError, ValueError) as exc:
            raise PackFailed(f"the board password was not set: {exc}") from None
        if not ok:
            raise PackFailed("the board acknowledged the new password but does not ask for it")
        res.secret = new
        res.password = "generated and set" if policy == "generate" else "set as given"

    async def _commission(self, session: Any, res: PackResult, target: commissioning.Target) -> None:
        job = self.job
        try:
            result = await commissioning.commission(
                session,
                target,
                operator=job.operator,
                job=job.ref,
                rest_s=job.rest_s,
                progress=None if self.opts.resting is None else functools.partial(self.opts.resting, res),
            )
        except commissioning.CommissioningError as exc:
            raise PackFailed(f"not commissioned: {exc}") from None
        res.verdict = result.verdict
        report = result.report
        if self.opts.write_files is not None:
            try:
                files = self.opts.write_files(report, self.opts.out, res.secret)
                commissioning.record_report(result.registry, report, files, operator=job.operator)
            except OSError as exc:
                raise PackFailed(f"commissioned, but the report was not written: {exc}") from None
            res.report = files.get("pdf")
        if result.verdict == commissioning.PASSED:
            res.result, res.why = PASSED, "; ".join(["configured and commissioned", *res.notes])
        else:
            res.result = NOT_PASSED
            res.why = f"commissioned, {result.verdict}: " + "; ".join([*report["reasons"], *res.notes])

    def _record(self, session: Any, res: PackResult) -> None:
        """The pack's attempt in the registry (its number in the job, what happened, the
        times); the password's outcome in words only."""
        data = {k: v for k, v in res.row().items() if k not in ("url", "report")}
        data.update(n=res.n, report=str(res.report) if res.report else None, lock=res.password)
        data.pop("board_password", None)
        packlog.record(
            session, "batch", f"batch {self.job.ref}: {res.result}: {res.why}", data, job=self.job.ref
        )


COLUMNS = (
    "pack",
    "family",
    "serial",
    "name",
    "result",
    "keys_written",
    "time_s",
    "board_s",
    "overhead_pct",
    "frames_sent",
    "board_password",
    "why",
    "report",
)


def summary_csv(results: Iterable[PackResult]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=[*COLUMNS, "url", "rest_s"], lineterminator="\n")
    w.writeheader()
    for r in results:
        w.writerow(r.row())
    return buf.getvalue()
