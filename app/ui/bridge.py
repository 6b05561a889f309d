"""The Qt seam between the asyncio DeviceSession (or a log replay) and the widgets.

Pages never touch a transport or a frame: they connect to these signals and
call the bridge's methods, which run the session's coroutines as tasks the
bridge keeps track of (qasync's asyncSlot keeps no strong reference,
shared/stack.md P4) and cancels on shutdown.

What it shows is a ``Source`` (app/source.py): a board or a recording, told apart
by ``session.can_write``, never by its class.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QObject, Signal

from ..model import DeviceInfo, Settings, Snapshot
from ..services import packlog
from ..session import DeviceSession, Event, SessionError, State
from ..source import Source

log = logging.getLogger("packbench.ui")


class SessionBridge(QObject):
    #: (state value such as "live", detail text)
    stateChanged = Signal(str, str)
    snapshotReceived = Signal(object)  # Snapshot
    deviceInfoReceived = Signal(object)  # DeviceInfo
    settingsReceived = Signal(object)  # Settings
    errorCountsReceived = Signal(object)  # ErrorCounts (JBD 0xAA)
    errorOccurred = Signal(str)  # a message for people
    #: emitted when a session is attached (connect) or detached (None)
    sessionChanged = Signal(object)
    #: a replay jumped: the snapshots that follow start a new history (app/replay.py)
    historyReset = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session: Source | None = None
        self._unsubscribe = None
        self._tasks: set[asyncio.Task] = set()
        #: why the window may not open a board's link now (the Jobs panel runs a job, each
        #: pack on its own link); None: it may
        self.busy: str | None = None

    # --- state for pages that open late -----------------------------------------
    @property
    def state(self) -> str:
        return self.session.state.value if self.session else State.DISCONNECTED.value

    @property
    def device_info(self) -> DeviceInfo | None:
        return self.session.device_info if self.session else None

    @property
    def settings(self) -> Settings | None:
        return self.session.settings if self.session else None

    @property
    def last_snapshot(self) -> Snapshot | None:
        return self.session.last_snapshot if self.session else None

    def now(self) -> float:
        """The time of the snapshot being delivered: the monotonic clock for a board,
        the log's elapsed seconds for a replay (a source with ``clock()``)."""
        clock = getattr(self.session, "clock", None)
        return clock() if clock is not None else time.monotonic()

    # --- tasks ----------------------------------------------------------------------
    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None and not isinstance(exc, SessionError):
            log.error("background task failed", exc_info=exc)
            self.errorOccurred.emit(str(exc))

    async def shutdown(self) -> None:
        """Close the session and await every task (stack.md P3/P4)."""
        await self.disconnect_device()
        tasks = list(self._tasks)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    # --- commands ---------------------------------------------------------------------
    def connect_device(self, url: str, protocol: str | None = None, pin: str | None = None) -> asyncio.Task:
        """Start connecting; progress and failure arrive through the signals."""
        return self.spawn(self._connect(url, protocol, pin))

    async def _connect(self, url: str, protocol: str | None, pin: str | None = None) -> bool:
        if self.busy is not None:  # two sessions on one link would fight
            self.errorOccurred.emit(self.busy)
            self.stateChanged.emit(State.DISCONNECTED.value, self.busy)
            return False
        await self.disconnect_device()
        try:
            session = DeviceSession(url, protocol, pin=pin)
        except (ValueError, KeyError) as exc:
            msg = str(exc.args[0] if exc.args else exc)
            self.errorOccurred.emit(msg)
            self.stateChanged.emit(State.DISCONNECTED.value, msg)
            return False
        self.session = session
        self._unsubscribe = session.subscribe(self._on_event)
        self.sessionChanged.emit(session)
        try:
            await session.connect()
        except SessionError:
            # the session already emitted the state change and the error; the
            # user may have started another connection meanwhile: keep that one
            if self.session is session:
                self._detach()
            return False
        except asyncio.CancelledError:
            if self.session is session:
                await session.close()
                self._detach()
            raise
        return True

    async def attach_source(self, source: Source) -> None:
        """Show a session-like source instead of a board (a log replay, app/replay.py)."""
        await self.disconnect_device()
        self.session = source
        self._unsubscribe = source.subscribe(self._on_event)
        self.sessionChanged.emit(source)
        await source.connect()

    def disconnect_device_soon(self) -> asyncio.Task:
        return self.spawn(self.disconnect_device())

    async def disconnect_device(self) -> None:
        session = self.session
        if session is None:
            return
        await session.close()
        self._detach()

    def _detach(self) -> None:
        if self._unsubscribe:
            self._unsubscribe()
        self._unsubscribe = None
        self.session = None
        self.sessionChanged.emit(None)

    async def read_error_counts(self) -> None:
        """Ask a board that counts its protection trips (JBD 0xAA) for them; the
        answer arrives as errorCountsReceived."""
        session = self.session
        if session is None or not session.can_write or not session.protocol.error_counts_requests():
            return
        try:
            await session.read_error_counts()
        except SessionError as exc:
            self.errorOccurred.emit(str(exc))

    async def refresh_settings(self) -> Settings | None:
        """Read the board's settings again (a recording has none to read: None)."""
        if self.session is None or not self.session.can_write:
            return None
        try:
            return await self.session.refresh_settings()
        except SessionError as exc:
            self.errorOccurred.emit(str(exc))
            return None

    # --- session events -> Qt signals -----------------------------------------------------
    def _on_event(self, event: Event) -> None:
        if event.kind == "state":
            self.stateChanged.emit(event.data.value, event.detail)
        elif event.kind == "snapshot":
            self.snapshotReceived.emit(event.data)
        elif event.kind == "device_info":
            self.deviceInfoReceived.emit(event.data)
        elif event.kind == "settings":
            if self.session is not None and self.session.can_write:
                # every settings snapshot the window reads goes into the pack's timeline (issue 18;
                # once per visit while unchanged; a registry that fails is said once, never stops us)
                packlog.settings_read(self.session, event.data.values, "window")
            self.settingsReceived.emit(event.data)
        elif event.kind == "error_counts":
            self.errorCountsReceived.emit(event.data)
        elif event.kind == "error":
            self.errorOccurred.emit(str(event.data))
        elif event.kind == "reset":
            self.historyReset.emit()
