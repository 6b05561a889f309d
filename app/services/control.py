"""Switches, calibration and board actions (the "before sealing" checks live in
sealing.py; their names are kept here for the Control tab).

Every action here goes through the same guards as a settings write: the
password gate, a backup where settings may change, and a read-back.  The
consequence texts say in plain words what happens to the pack and to a
controller behind it (the field handbook's dead ESCs and drained packs).
Texts are templates marked for translation (context "Control").  What each
action did is recorded in the pack registry (packlog.py).
"""

from __future__ import annotations

import asyncio
import functools
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..model import Settings, Snapshot, units
from ..protocols.base import Protocol
from ..session import DeviceSession, SessionError
from ..timing import current as current_timing
from . import packlog, writer

# the switches and what switching one does (shared with the interlocks' rule 12)
from .switches import CONSEQUENCES, SWITCHES  # noqa: F401 - part of this module's face
from .writer import PasswordGate, WriteError


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate marker
    return text


def _q(value: float | None, unit: str, *, signed: bool = False) -> str:
    """A reading in a message, as every page shows it (model/units.py); "nothing" when the
    board gave none."""
    return "nothing" if value is None else units.quantity(value, unit, signed=signed)


def _recorded(kind: str, name: Callable[..., str]) -> Callable[[Callable[..., Awaitable[Any]]], Any]:
    """Record what an action did in the pack registry (services/packlog.py) once it ran
    (an action refused before anything was sent, a WriteError, is not recorded).
    ``name(*args, **kwargs)`` names it from the call's arguments; no password is passed on."""

    def wrap(fn: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        @functools.wraps(fn)
        async def run(session: DeviceSession, *args: Any, **kwargs: Any) -> Any:
            await packlog.identify(session)  # before: a board may be gone afterwards (shutdown)
            result = await fn(session, *args, **kwargs)
            what = name(*args, **kwargs)
            if isinstance(result, bool):  # change_board_password
                text = "verified" if result else "not verified"
                packlog.action(session, kind, what, {"verified": result}, text)
            else:
                packlog.action(session, kind, what, result, getattr(result, "message", ""))
            return result

        return run

    return wrap


ACTION_CONSEQUENCES = {
    "restart": QT_TRANSLATE_NOOP("Control", "The board restarts: the output switches off for a few seconds."),
    "shutdown": QT_TRANSLATE_NOOP(
        "Control",
        "The board switches itself off: the pack delivers no power until a charger is "
        "connected or its button is pressed.",
    ),
    "factory_reset": QT_TRANSLATE_NOOP(
        "Control",
        "Factory reset: every protection setting returns to the firmware's defaults, which "
        "may not fit this pack's chemistry or size. A backup is saved first.",
    ),
}


async def set_switch(
    session: DeviceSession,
    key: str,
    on: bool,
    *,
    password: str | None,
    gate: PasswordGate,
    backup_dir: Path | None = None,
) -> writer.Report:
    """One switch, as a one-key write transaction (backup, read-back, report)."""
    writer.refuse_read_only(session)  # a read-only family: nothing is sent, the reason said
    if key not in SWITCHES:
        raise WriteError(f"not a switch: {key}")
    keys = {s.key for s in writer.writable_schema(session)}
    if key not in keys:
        raise WriteError(f"this board has no {key.replace('_', ' ')}")
    plan = await writer.prepare(session, {key: bool(on)})
    return await writer.execute(
        session,
        plan,
        password=password,
        gate=gate,
        acknowledged={f.id for f in plan.advisories},
        backup_dir=backup_dir,
        record_as="switch",
    )


# --- emergency mode (JK02_32S 0x6B, jk.md §5.2) -----------------------------------------------
EMERGENCY_CONSEQUENCES: dict[bool, str] = {
    True: QT_TRANSLATE_NOOP(
        "Control",
        "Emergency mode on: the board overrides its protections for a limited time "
        "(the emergency duration, {minutes} min) so that a pack that has switched itself off can be "
        "started. Nothing protects the cells meanwhile: stay with the pack and fix the cause.",
    ),
    False: QT_TRANSLATE_NOOP(
        "Control",
        "Emergency mode off: the protections apply again at once. If the fault is still "
        "there, the pack switches its output off again.",
    ),
}


def emergency_consequence(on: bool, minutes: Any) -> str:
    """The English consequence text with the board's duration filled in ("?" when unknown)."""
    return EMERGENCY_CONSEQUENCES[on].format(minutes="?" if minutes is None else minutes)


def emergency_minutes(protocol: Protocol, settings: Settings | None) -> Any:
    """How long the board's emergency mode lasts, as its settings say (None: not known)."""
    key = protocol.emergency_duration_key
    return settings.values.get(key) if key and settings is not None else None


def emergency_remaining(protocol: Protocol | None, snapshot: Snapshot | None) -> int | None:
    """Seconds of emergency mode a live snapshot says are left (None: no snapshot; 0 from
    a source that names no protocol, such as a log without one)."""
    if snapshot is None:
        return None
    return protocol.emergency_remaining_s(snapshot) if protocol is not None else 0


@dataclass
class EmergencyResult:
    on: bool  # what was asked for
    acknowledged: bool
    status: str  # writer.VERIFIED / REFUSED / NOT_STORED / UNVERIFIED
    remaining_s: int | None  # the countdown the board reported last (None: no live data)
    message: str

    @property
    def ok(self) -> bool:
        return self.status == writer.VERIFIED


@_recorded("control", lambda on, **_: f"emergency mode {'on' if on else 'off'}")
async def set_emergency(
    session: DeviceSession,
    on: bool,
    *,
    password: str | None,
    gate: PasswordGate,
    readback_s: float | None = None,
) -> EmergencyResult:
    """Start or stop emergency mode: password gate, the command, then a read-back from the
    live frames' emergency countdown (> 0 while active).  No settings change, so no backup.
    ``readback_s``: how long to watch the live frames (default: app/timing.py, 4 s)."""
    if readback_s is None:
        readback_s = current_timing().emergency_readback_s
    writer.refuse_read_only(session)  # a read-only family: nothing is sent, the reason said
    if not session.protocol.has_emergency():
        raise WriteError("this board has no emergency mode that Packbench knows")
    gate.check(session, password)  # raises PasswordError: nothing sent
    session.begin_writing()
    try:
        ack = await session.set_emergency(on)
    finally:
        session.end_writing()
    # the frame in flight may predate the command: watch a few seconds of live frames
    remaining: int | None = None
    loop = asyncio.get_running_loop()
    deadline = loop.time() + readback_s
    while (left := deadline - loop.time()) > 0:
        try:
            snap = await session.next_snapshot(max(0.1, left))
        except TimeoutError:
            break
        remaining = session.protocol.emergency_remaining_s(snap)
        if (remaining > 0) == on:
            break
    if remaining is None:
        status, msg = writer.UNVERIFIED, "sent, but no live data came back to confirm it"
    elif (remaining > 0) == on:
        status = writer.VERIFIED if ack else writer.UNVERIFIED
        msg = f"emergency mode is on: {remaining} s left" if on else "emergency mode is off"
        if not ack:
            msg += ", but the board sent no acknowledgement"
    else:
        status = writer.NOT_STORED if ack else writer.REFUSED
        state = f"on ({remaining} s left)" if remaining else "off"
        msg = (
            f"the board acknowledged, but emergency mode is still {state}"
            if ack
            else f"refused by the board (no acknowledgement): emergency mode is still {state}"
        )
    return EmergencyResult(on, ack is not None, status, remaining, msg)


# --- calibration ---------------------------------------------------------------------------
@dataclass
class Calibration:
    kind: str  # "voltage" | "current"
    measured: float
    before: float
    after: float | None
    acknowledged: bool
    ok: bool
    message: str


async def average_reading(
    session: DeviceSession, kind: str, samples: int = 3, timeout_s: float = 5.0
) -> float:
    attr = "pack_voltage_v" if kind == "voltage" else "current_a"
    values = []
    for _ in range(samples):
        snap = await session.next_snapshot(timeout_s)
        value = getattr(snap, attr)
        if value is None:
            raise WriteError(f"this board reports no {kind}")
        values.append(value)
    return sum(values) / len(values)


#: the most a board may read while nothing flows before zeroing looks like a current, not
#: an offset (a shunt amplifier's offset is a fraction of an ampere)
ZERO_LIMIT_A = 2.0
#: what a zeroed board may still read with nothing flowing
ZERO_TOLERANCE_A = 0.1


def implausible(kind: str, reading: float, measured: float) -> str | None:
    """Why a correction looks wrong (a meter on the wrong range, a typo), or None."""
    if kind == "current_zero":
        if abs(reading) > ZERO_LIMIT_A:
            return (
                f"the board reads {_q(reading, 'A', signed=True)}: that is a current flowing, not an offset. "
                "Switch every charger and load off (or open the main switch) and try again"
            )
        return None
    if kind == "voltage":
        if measured <= 0:
            return "enter the pack voltage the meter shows, in volts"
        if abs(measured - reading) > 0.05 * abs(reading):
            return (
                f"the meter's {_q(measured, 'V')} is more than 5 % away from the board's "
                f"{_q(reading, 'V')}: check the meter, its range and where it touches the pack"
            )
        return None
    if abs(reading) < 1.0 or abs(measured) < 1.0:
        return "calibrate the current with at least 1 A flowing (a steady charger or load)"
    if (reading > 0) != (measured > 0):
        return (
            "the meter and the board disagree on the direction: enter charging current as "
            "positive and discharging current as negative"
        )
    if abs(measured - reading) > 0.2 * abs(reading):
        return (
            f"the meter's {_q(measured, 'A')} is more than 20 % away from the board's "
            f"{_q(reading, 'A')}: check the clamp meter's zero and range"
        )
    return None


ZERO_CONSEQUENCE = QT_TRANSLATE_NOOP(
    "Control",
    "The board takes the current it measures now as zero. Disconnect the charger and "
    "the load first, so that no current flows: a current flowing now would be subtracted from "
    "every reading afterwards, and the state of charge would drift.",
)


@_recorded("calibration", lambda kind, measured, **_: f"calibrate {kind.replace('_', ' ')}")
async def calibrate(
    session: DeviceSession, kind: str, measured: float, *, password: str | None, gate: PasswordGate
) -> Calibration:
    """Send the meter's value, then show the board's reading before and after.

    ``current_zero`` (Daly 0xF2, ANT 0x08 / 0xF8): tell the board that no current flows
    now; ``measured`` must be 0 and the board must read at most ``ZERO_LIMIT_A`` before."""
    writer.refuse_read_only(session)  # a read-only family: nothing is sent, the reason said
    if kind not in session.protocol.calibration_kinds():
        raise WriteError(
            f"this board has no {kind.replace('_', ' ')} calibration command that Packbench knows"
        )
    if isinstance(measured, bool) or not isinstance(measured, (int, float)) or not math.isfinite(measured):
        raise WriteError(f"not calibrated: the meter's reading must be a number, not {measured}")
    if kind == "current_zero" and measured != 0:
        raise WriteError(
            "not zeroed: zeroing takes no meter reading; disconnect the charger and "
            "the load so that 0 A flows"
        )
    gate.check(session, password)
    before = await average_reading(session, kind)
    why = implausible(kind, before, measured)
    if why:
        raise WriteError(f"not calibrated: {why}")
    # JBD: factory mode; ANT: the password level the command needs
    await writer.open_write_mode(session, password, gate, scope=[f"calibration:{kind}"])
    ack = None
    silent = not session.protocol.acknowledges_writes  # the reading after tells (ANT legacy)
    try:
        ack = await session.calibrate(kind, measured)
    finally:
        await session.close_write_mode(save=ack is not None or silent)
    if ack is None and not silent:
        return Calibration(
            kind,
            measured,
            before,
            None,
            False,
            False,
            "the board did not acknowledge the calibration: nothing changed",
        )
    await session.next_snapshot()  # the frame in flight may predate the calibration
    after = await average_reading(session, kind)
    if kind == "current_zero":
        tol = ZERO_TOLERANCE_A
    elif kind == "voltage":
        tol = max(0.02, 0.002 * abs(measured))
    else:
        tol = max(0.1, 0.03 * abs(measured))
    ok = abs(after - measured) <= tol
    unit = "V" if kind == "voltage" else "A"
    if silent and not ok:
        return Calibration(
            kind,
            measured,
            before,
            after,
            False,
            False,
            f"the board now reads {_q(after, unit)}, not the meter's {_q(measured, unit)}: "
            "this board answers commands with nothing, and its reading "
            "did not change as asked",
        )
    if kind == "current_zero":
        msg = (
            f"the board now reads {_q(after, 'A', signed=True)} with nothing connected "
            f"(was {_q(before, 'A', signed=True)})"
            if ok
            else f"the board acknowledged but still reads {_q(after, 'A', signed=True)}: "
            "the zeroing did not take"
        )
        return Calibration(kind, measured, before, after, ack is not None, ok, msg)
    msg = (
        f"the board now reads {_q(after, unit)} (was {_q(before, unit)}, meter {_q(measured, unit)})"
        if ok
        else f"the board acknowledged but now reads {_q(after, unit)}, not the meter's "
        f"{_q(measured, unit)}: the calibration did not take"
    )
    return Calibration(kind, measured, before, after, ack is not None, ok, msg)


# --- state of charge and clock (Daly 0xA7 / 0xD4, A5 0x21) ----------------------------------------
@dataclass
class SocResult:
    requested_pct: float
    before_pct: float | None
    after_pct: float | None
    acknowledged: bool
    ok: bool
    message: str


SET_SOC_CONSEQUENCE = QT_TRANSLATE_NOOP(
    "Control",
    "The board's state of charge jumps to the value you enter. Its protections do not "
    "depend on it, but a controller or display that trusts the SOC will show (and may act on) the "
    "new value. Enter what the pack really holds, e.g. 100 % right after a full charge.",
)
CLOCK_CONSEQUENCE = QT_TRANSLATE_NOOP(
    "Control",
    "The board's clock is set to this computer's date and time. The board stamps its "
    "alarms and records with it; nothing else changes.",
)


@_recorded("control", lambda pct, **_: f"set state of charge {pct:g} %")
async def set_soc(
    session: DeviceSession, pct: float, *, password: str | None, gate: PasswordGate, readback_s: float = 4.0
) -> SocResult:
    """Tell the board its state of charge; read back from the live data."""
    writer.refuse_read_only(session)  # a read-only family: nothing is sent, the reason said
    if not session.protocol.has_soc:
        raise WriteError("this board has no command to set the state of charge that Packbench knows")
    if (
        isinstance(pct, bool)
        or not isinstance(pct, (int, float))
        or not math.isfinite(pct)
        or not 0 <= pct <= 100
    ):
        raise WriteError(f"the state of charge must be a number from 0 to 100 %, not {pct}")
    gate.check(session, password)
    before = session.last_snapshot.soc_pct if session.last_snapshot is not None else None
    session.begin_writing()
    try:
        ack = await session.set_soc(float(pct))
    except ValueError as exc:
        raise WriteError(str(exc)) from None
    finally:
        session.end_writing()
    if ack is None:
        return SocResult(pct, before, None, False, False, "the board did not acknowledge: nothing changed")
    after = await _watch(session, "soc_pct", lambda v: abs(v - pct) <= 1.0, readback_s)
    ok = after is not None and abs(after - pct) <= 1.0
    msg = (
        f"the board now reports {_q(after, '%')}"
        if ok
        else f"the board acknowledged but reports {_q(after, '%')}, not the {_q(pct, '%')} sent"
    )
    return SocResult(pct, before, after, True, ok, msg)


async def _watch(session: DeviceSession, attr: str, good: Any, seconds: float) -> Any:
    """The value the live data shows for ``attr`` once ``good`` says so (or the last one)."""
    loop = asyncio.get_running_loop()
    deadline, value = loop.time() + seconds, None
    while (left := deadline - loop.time()) > 0:
        try:
            snap = await session.next_snapshot(max(0.1, left))
        except TimeoutError:
            break
        value = getattr(snap, attr)
        if value is not None and good(value):
            break
    return value


@dataclass
class ClockResult:
    when: datetime
    acknowledged: bool
    message: str

    @property
    def ok(self) -> bool:
        return self.acknowledged


@_recorded("control", lambda **_: "set clock")
async def set_clock(
    session: DeviceSession, *, password: str | None, gate: PasswordGate, now: datetime | None = None
) -> ClockResult:
    """Set the board's clock from this computer's (``now``: a given time, for tests)."""
    writer.refuse_read_only(session)  # a read-only family: nothing is sent, the reason said
    if not session.protocol.has_clock:
        raise WriteError("this board has no clock that Packbench can set")
    when = (now or datetime.now()).replace(microsecond=0)
    if session.last_snapshot is None:  # some boards' clock command carries the SOC along (A5)
        await session.next_snapshot()
    try:
        session.protocol.encode_clock(when, session.last_snapshot)  # ValueError: nothing sent
    except ValueError as exc:
        raise WriteError(str(exc)) from None
    gate.check(session, password)
    session.begin_writing()
    try:
        ack = await session.set_clock(when)
    finally:
        session.end_writing()
    if ack is None:
        return ClockResult(when, False, "the board did not acknowledge: its clock is unchanged")
    return ClockResult(
        when,
        True,
        f"the board acknowledged {when:%Y-%m-%d %H:%M:%S} (Packbench cannot read the board's clock back)",
    )


# --- remaining capacity (JBD 0xE0) ----------------------------------------------------------------
@dataclass
class CapacityResult:
    requested_ah: float
    before_ah: float | None
    after_ah: float | None
    acknowledged: bool
    ok: bool
    message: str


SOC_CONSEQUENCE = QT_TRANSLATE_NOOP(
    "Control",
    "The board's state of charge jumps to the remaining capacity you enter. Its "
    "protections do not depend on it, but a controller or display that trusts the SOC will show "
    "(and may act on) the new value. Enter what the pack really holds, e.g. 0 Ah after a full "
    "discharge or the full capacity after a full charge.",
)


@_recorded("control", lambda ah, **_: f"set remaining capacity {ah:g} Ah")
async def set_remaining_capacity(
    session: DeviceSession, ah: float, *, password: str | None, gate: PasswordGate
) -> CapacityResult:
    """Tell the board how much charge the pack holds now; read back from the live data."""
    writer.refuse_read_only(session)  # a read-only family: nothing is sent, the reason said
    if not session.protocol.has_remaining_capacity:
        raise WriteError("this board has no command to set the remaining capacity that Packbench knows")
    if isinstance(ah, bool) or not isinstance(ah, (int, float)) or not math.isfinite(ah):
        raise WriteError(f"the remaining capacity must be a number of Ah, not {ah}")
    snap = session.last_snapshot or await session.next_snapshot()
    full = snap.capacity_full_ah
    if ah < 0 or (full and ah > full * 1.001):
        raise WriteError(
            f"the remaining capacity must be between 0 and the full capacity ({_q(full, 'Ah')})"
            if full
            else "the remaining capacity cannot be negative"
        )
    session.protocol.check_remaining_capacity(ah)  # ValueError: nothing sent
    gate.check(session, password)
    before = snap.capacity_remaining_ah
    await writer.open_write_mode(session, password, gate)
    ack = None
    try:
        ack = await session.set_remaining_capacity(ah)
    finally:
        await session.close_write_mode(save=ack is not None)
    if ack is None:
        return CapacityResult(
            ah, before, None, False, False, "the board did not acknowledge: nothing changed"
        )
    await session.next_snapshot()  # the frame in flight may predate the change
    after = (await session.next_snapshot()).capacity_remaining_ah
    ok = after is not None and abs(after - ah) <= max(0.05, 0.01 * (full or ah or 1))
    was = f" (was {_q(before, 'Ah')})" if before is not None else ""
    msg = (
        f"the board now reports {_q(after, 'Ah')} remaining{was}"
        if ok
        else f"the board acknowledged but now reports {_q(after, 'Ah')}, not the {_q(ah, 'Ah')} sent"
    )
    return CapacityResult(ah, before, after, True, ok, msg)


# --- the board's own password (JBD 0x07 / 0x09) -----------------------------------------------
PASSWORD_CONSEQUENCES = {
    "set": QT_TRANSLATE_NOOP(
        "Control",
        "The board gets a new password: from now on it shows and changes its settings "
        "only after the password is given (Packbench, the vendor app and the PC tool alike). Write "
        "it down: Packbench keeps it in memory only. The vendor's factory code can still clear it, "
        "so it keeps out the curious, not a determined thief.",
    ),
    "clear": QT_TRANSLATE_NOOP(
        "Control",
        "The board's password is removed: anyone who connects to it can then change its protection settings.",
    ),
}


def has_board_password(session: DeviceSession) -> bool:
    return session.protocol.has_board_password


@_recorded("control", lambda **kw: "board password " + ("set" if kw.get("new") else "cleared"))
async def change_board_password(
    session: DeviceSession, *, old: str | None, new: str | None, gate: PasswordGate | None = None
) -> bool:
    """Set (``new``) or clear (``new`` None) the board's password; True when the board
    now asks for exactly that (it is then remembered for this session).

    A board that reports its password (Daly D2, ``password_check`` "local") has the
    old one checked by the gate first: a wrong one sends nothing."""
    writer.refuse_read_only(session)  # a read-only family: nothing is sent, the reason said
    if not has_board_password(session):
        raise WriteError("this board has no password command that Packbench knows")
    protocol = session.protocol
    if new is None and not protocol.board_password_clearable:
        raise WriteError("this board always has a setup password: set another one instead")
    if new is not None:
        try:
            protocol.check_board_password(new)
        except ValueError as exc:
            raise WriteError(f"the new password: {exc}") from None
    local = protocol.password_check == "local"
    if local:
        (gate or PasswordGate()).check(session, old)  # PasswordError: nothing sent
    session.begin_writing()
    try:
        verified = await session.run_script(session.protocol.board_password_script(old, new))
    except SessionError as exc:
        raise WriteError(str(exc)) from None
    finally:
        session.end_writing()
    if verified and local:  # the board reported it back: is it the new one?
        verified = new is not None and session.check_setup_password(new)
    if verified:
        session.remember_board_password(new)
    return bool(verified)


# --- board actions -------------------------------------------------------------------------
@dataclass
class ActionResult:
    action: str
    acknowledged: bool
    backup: Path | None = None
    settings_after: dict[str, Any] | None = None
    message: str = ""
    #: the board answers commands with nothing (ANT legacy): what it did is told by what
    #: it reports afterwards, if anything
    silent_board: bool = False

    @property
    def ok(self) -> bool:
        """Acknowledged, or (a board that acknowledges nothing) answering again afterwards."""
        return self.acknowledged or (self.silent_board and self.settings_after is not None)


@_recorded("action", lambda action, **_: action)
async def board_action(
    session: DeviceSession,
    action: str,
    *,
    password: str | None,
    gate: PasswordGate,
    backup_dir: Path | None = None,
) -> ActionResult:
    """restart / shutdown / factory_reset: gated, backed up, and read back where possible."""
    writer.refuse_read_only(session)  # a read-only family: nothing is sent, the reason said
    if action not in session.protocol.actions():
        raise WriteError(f"this board has no {action.replace('_', ' ')} command that Packbench knows")
    gate.check(session, password)
    backup = None
    if action == "factory_reset":
        values = (await session.refresh_settings()).values
        backup = writer.backup(session, values, backup_dir)
    silent = not session.protocol.acknowledges_writes
    # the password level the command needs (ANT), nothing for most boards
    await writer.open_write_mode(session, password, gate, scope=[f"action:{action}"])
    try:
        ack = await session.run_action(action)
    finally:
        await session.close_write_mode(save=False)
    if ack is None and not silent:
        return ActionResult(action, False, backup, None, "the board did not acknowledge: nothing happened")
    if action == "shutdown":
        return ActionResult(
            action,
            ack is not None,
            backup,
            None,
            "the board acknowledged and is switching off"
            if ack is not None
            else "sent; this board answers commands with nothing, so Packbench cannot "
            "tell whether it switched off",
            silent,
        )
    # the board restarts its stream after a restart or reset: ask for settings again
    after = None
    for _ in range(5):
        try:
            after = dict((await session.refresh_settings()).values)
            break
        except SessionError:
            await asyncio.sleep(current_timing().action_retry_s)
    if after is not None:
        msg = "done; the settings the board reports now are shown"
    else:
        msg = (
            "acknowledged, but the board has not answered since"
            if ack is not None
            else "sent, but the board has not answered since (it acknowledges nothing)"
        )
    return ActionResult(action, ack is not None, backup, after, msg, silent)


# --- before sealing: services/sealing.py (these names are part of this module's face) ---------------
from .sealing import (  # noqa: E402, F401
    NOT_REPORTED,
    T_ALARMS,
    T_CELLS,
    T_DELTA,
    T_FETS,
    Check,
    RestedSpread,
    sealing_checks,
)
