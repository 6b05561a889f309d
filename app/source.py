"""What the pages are shown: a board (session.DeviceSession) or a recording played back
(replay.LogReplaySource), behind one interface.

Both emit the same events (``subscribe``), keep the last device info, settings and
snapshot, and name a ``protocol`` (a log answers with the protocol it was
recorded with, replay.ReplayProtocol).  What tells them apart is ``can_write``:
True when commands and settings writes go to a board, False for a recording, so a
page asks ``source.can_write`` rather than which class it holds.  (A read-only
family's board can write nothing either; it says why in ``protocol.read_only_reason``.)

Pure: no Qt, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from .model import DeviceInfo, Settings, Snapshot
    from .protocols.base import Protocol as BoardProtocol


@runtime_checkable
class Source(Protocol):
    #: commands and settings writes go to a board (False: a recording is shown)
    can_write: bool
    #: session.State: disconnected … live
    state: Any
    device_info: DeviceInfo | None
    settings: Settings | None
    last_snapshot: Snapshot | None

    @property
    def protocol(self) -> BoardProtocol: ...

    @property
    def description(self) -> str: ...

    def subscribe(self, listener: Callable[[Any], None]) -> Callable[[], None]: ...

    async def connect(self) -> None: ...

    async def close(self) -> None: ...
