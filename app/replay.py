"""A log file as a device: replay sources beside DeviceSession.

``LogReplaySource`` plays a recorded CSV log (services/logfile.py) through the
same events a DeviceSession emits (state, device_info, settings, snapshot),
so the Live cells page shows a recording exactly as it showed the board
(design.md: "a file is just another device").  It adds two event kinds the
pages may use: "position" (data = row index, after every move) and "reset"
(the history before the position is about to be replayed anew, after a jump).

``replay_frames`` runs a raw capture (recorder.FrameCapture) through the
protocol decoders again, frame by frame, with the protocol each frame was
decoded with when it was recorded.

Runs on asyncio like the session; no Qt.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .model import DeviceInfo, Message, Settings, Snapshot
from .protocols import DecodeError, get_protocol
from .protocols.base import Protocol
from .protocols.family import default_protocol
from .services.logfile import LogData
from .session import Event, State

log = logging.getLogger("packbench.replay")

#: rows replayed before the position after a jump, so the history plot has a lead-in
LEAD_IN = 300
#: at most this many snapshots per playback tick (fast playback skips rows between)
MAX_PER_TICK = 12
TICK_S = 0.1


class LogReplaySource:
    """Plays a LogData.  ``connect()`` makes it "live" at the first row.

    A source.Source like DeviceSession, but nothing can be sent to a recording."""

    can_write = False

    def __init__(self, data: LogData, *, lead_in: int = LEAD_IN) -> None:
        self.data = data
        self.lead_in = lead_in
        self.state = State.DISCONNECTED
        self.position = 0
        self.speed = 1.0
        self.last_snapshot: Snapshot | None = None
        self.device_info = _device_info(data.meta)
        self.settings = _settings(data.meta)
        self._protocol = ReplayProtocol(self.device_info.protocol if self.device_info else None)
        self._listeners: list[Callable[[Event], None]] = []
        self._clock_t = float(data.t[0]) if data.rows else 0.0
        self._play_task: asyncio.Task | None = None
        self._loop_time: Callable[[], float] = time.monotonic

    # --- the session's interface ----------------------------------------------------------
    @property
    def description(self) -> str:
        return str(self.data.path)

    @property
    def protocol(self) -> ReplayProtocol:
        """What the pages ask a session's protocol; a log answers for itself (no requests)."""
        return self._protocol

    def subscribe(self, listener: Callable[[Event], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _emit(self, kind: str, data: Any = None, detail: str = "") -> None:
        event = Event(kind, data, detail, timestamp=self.data.epoch_at(self.position) or time.time())
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # noqa: BLE001 - a broken subscriber must not stop the replay
                log.exception("replay listener failed on %s", kind)

    def clock(self) -> float:
        """Log time (elapsed_s) of the snapshot being delivered: the pages' "now"."""
        return self._clock_t

    async def connect(self) -> None:
        self.state = State.LIVE
        self._emit("state", State.LIVE, f"replaying {self.data.path.name}")
        if self.device_info is not None:
            self._emit("device_info", self.device_info)
        if self.settings is not None:
            self._emit("settings", self.settings)
        if self.data.rows:
            self.seek(0)

    async def close(self) -> None:
        await self.pause()
        if self.state != State.DISCONNECTED:
            self.state = State.DISCONNECTED
            self._emit("state", State.DISCONNECTED, "")

    # --- moving ----------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self._play_task is not None and not self._play_task.done()

    def seek(self, index: int) -> None:
        """Jump to row ``index``: the rows before it replay as a lead-in, then that row."""
        if not self.data.rows:
            return
        index = min(max(int(index), 0), self.data.rows - 1)
        self._emit("reset")
        first = max(0, index - self.lead_in + 1)
        self._deliver(range(first, index + 1))
        self.position = index
        self._emit("position", index)

    def step(self, rows: int) -> None:
        self.seek(self.position + rows)

    def _deliver(self, rows: Iterable[int]) -> None:
        for i in rows:
            snap = self.data.snapshot_at(i)
            self._clock_t = float(self.data.t[i])
            self.position = i
            self.last_snapshot = snap
            self._emit("snapshot", snap)

    def play(self, speed: float | None = None) -> None:
        """Play from the position at ``speed`` times real time."""
        if speed is not None:
            self.speed = max(0.01, float(speed))
        if self.playing or not self.data.rows:
            return
        if self.position >= self.data.rows - 1:
            self.seek(0)
        self._play_task = asyncio.ensure_future(self._play())

    async def pause(self) -> None:
        task, self._play_task = self._play_task, None
        if task is not None and not task.done():
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass

    def pause_soon(self) -> None:
        task, self._play_task = self._play_task, None
        if task is not None:
            task.cancel()

    async def _play(self) -> None:
        data = self.data
        last = self._loop_time()
        log_t = float(data.t[self.position])
        while True:
            await asyncio.sleep(TICK_S)
            now = self._loop_time()
            log_t += (now - last) * self.speed
            last = now
            end = min(data.index_at(log_t), data.rows - 1)
            if end > self.position:
                rows = range(self.position + 1, end + 1)
                if len(rows) > MAX_PER_TICK:  # fast: an even selection, always ending at `end`
                    stride = len(rows) / MAX_PER_TICK
                    rows = [
                        rows[min(len(rows) - 1, int(round((j + 1) * stride)) - 1)]
                        for j in range(MAX_PER_TICK)
                    ]
                self._deliver(rows)
                self._emit("position", self.position)
            if self.position >= data.rows - 1:
                self._emit("position", self.position, "end")
                self._play_task = None
                return


class ReplayProtocol(Protocol):
    """The protocol of a log being replayed: it streams by itself and asks a board nothing.

    Pages written for a DeviceSession ask ``session.protocol`` what the board
    can do (``error_counts_requests``, ``streaming``, ``settings_schema`` …); for
    a log every request list is empty, it cannot write, and the schema is that
    of the protocol the log was recorded with (so recorded settings read the
    same), when that protocol is known.
    """

    streaming = True

    def __init__(self, recorded: str | None) -> None:
        self.recorded: Protocol | None = None
        try:
            self.recorded = get_protocol(recorded) if isinstance(recorded, str) else None
        except KeyError:
            pass
        self.id = self.recorded.id if self.recorded is not None else "replay"
        self.name = self.recorded.name if self.recorded is not None else "log replay"
        self.family = self.recorded.family if self.recorded is not None else ""
        self.max_cells = self.recorded.max_cells if self.recorded is not None else 0

    def new_reader(self) -> Any:
        raise NotImplementedError("a log replay reads no frames")

    def decode(self, frame: bytes) -> Message:
        raise DecodeError("a log replay decodes no frames")

    def settings_schema(self) -> list:
        return list(self.recorded.settings_schema()) if self.recorded is not None else []


def _device_info(meta: dict[str, Any]) -> DeviceInfo | None:
    dev = meta.get("device")
    if not isinstance(dev, dict) or not dev:
        return None
    info = DeviceInfo()
    for key, value in dev.items():
        if hasattr(info, key) and key != "extra":
            setattr(info, key, value)
        else:
            info.extra[key] = value
    return info


def _settings(meta: dict[str, Any]) -> Settings | None:
    values = meta.get("settings")
    if not isinstance(values, dict):
        return None
    dev = meta.get("device") or {}
    return Settings(values=dict(values), protocol=dev.get("protocol") if isinstance(dev, dict) else None)


# --- raw captures -------------------------------------------------------------------------------
def replay_frames(
    frames: Iterable[dict[str, Any]], protocol: str | None = None
) -> Iterator[tuple[dict[str, Any], Message | None, str | None]]:
    """(record, message, error) for every frame of a raw capture, decoded again.

    Each frame is decoded with the protocol it was recorded with (or
    ``protocol`` to force one); snapshots get the same derived values the
    session gives them.
    """
    for rec in frames:
        pid = protocol or rec.get("protocol") or default_protocol()
        try:
            proto = get_protocol(pid)
            data = bytes.fromhex(str(rec.get("hex", "")))
        except (KeyError, ValueError) as exc:
            yield rec, None, str(exc.args[0] if exc.args else exc)
            continue
        try:
            message = proto.decode(data)
        except DecodeError as exc:
            yield rec, None, str(exc)
            continue
        except Exception as exc:  # noqa: BLE001 - a decoder's bug must not end the replay
            log.warning("decoder %s failed on %s", proto.id, data.hex(), exc_info=True)
            yield rec, None, f"the {proto.id} decoder failed on this frame ({type(exc).__name__})"
            continue
        if isinstance(message, Snapshot):
            message.derive()
        elif isinstance(message, DeviceInfo):
            message.protocol = proto.id
        yield rec, message, None
