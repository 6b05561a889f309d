"""What every protocol family offers the session (design.md, "A protocol family")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ..model import Message, SettingSpec


class DecodeError(ValueError):
    """A frame that fails its checksum, is truncated or is not of this protocol."""


@dataclass(frozen=True)
class Frame:
    """One complete, checksum-checked frame as cut from a byte stream."""

    data: bytes
    #: family-specific type tag, e.g. JK 0x02 (cell info) or "command"
    frame_type: Any = None


class FrameReader:
    """Incremental frame reader: ``feed(bytes) -> list[Frame]``.

    Implementations resynchronise on garbage, check checksums and never raise
    on bad input.
    """

    def feed(self, data: bytes) -> list[Frame]:  # pragma: no cover - interface
        raise NotImplementedError

    def reset(self) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class Protocol:
    """A protocol descriptor plus its codec.  Stateless: one instance per id."""

    id: str = ""
    name: str = ""
    family: str = ""
    transports: tuple[str, ...] = ()
    default_baud: int | None = None
    ble_service_uuid: str | None = None
    ble_notify_uuid: str | None = None
    ble_write_uuid: str | None = None
    max_cells: int = 0
    #: True: the board streams live data after ``start_requests``;
    #: False: the session polls with ``poll_requests``.
    streaming: bool = False
    #: seconds the session waits between the frames of one write (``write_requests``)
    write_gap_s: float = 0.0

    def bind(self, options: Mapping[str, str]) -> "Protocol":
        """This protocol for one connection's URL options (e.g. a Modbus slave
        ``?address=2``); protocols without per-connection options return self."""
        return self

    def new_reader(self) -> FrameReader:  # pragma: no cover - interface
        raise NotImplementedError

    def decode(self, frame: bytes) -> Message:  # pragma: no cover - interface
        """Decode one whole frame; raise DecodeError with the reason."""
        raise NotImplementedError

    def decode_all(self, frame: bytes) -> list[Message]:
        """Every message one frame carries (the session uses this).  A JK 4E57
        read-all reply is live data, settings and device info at once; most
        frames are one message, as ``decode`` returns it."""
        return [self.decode(frame)]

    def identify_requests(self) -> list[bytes]:
        return []

    def start_requests(self) -> list[bytes]:
        return []

    def poll_requests(self) -> list[bytes]:
        return []

    def settings_requests(self) -> list[bytes]:
        return []

    def wake_requests(self) -> list[bytes]:
        """What wakes a sleeping board; the session sends it when identifying times
        out, before it tries again (empty: the family has no such command)."""
        return []

    def read_requests(self, key: str) -> list[bytes]:
        """What asks the board for one setting alone (empty: only whole reads)."""
        return []

    def logbook_requests(self) -> list[bytes]:
        """What asks the board for its history (empty: the family keeps none)."""
        return []

    def settings_schema(self) -> list[SettingSpec]:
        return []

    def encode_write(self, key: str, value: Any) -> bytes:  # pragma: no cover
        raise NotImplementedError(f"{self.id}: writing {key} is not supported")

    def write_requests(self, key: str, value: Any,
                       current: Mapping[str, Any] | None = None) -> list[bytes]:
        """The frames of one write, sent ``write_gap_s`` apart; the board's ack
        answers the last.  ``current`` is the board's settings as last read, for
        writes that must carry other values along (a bitmask)."""
        return [self.encode_write(key, value)]

    def actions(self) -> tuple[str, ...]:
        """Board actions this protocol can send (``preset_lifepo4``, ``restart`` …)."""
        return ()

    def encode_action(self, name: str) -> bytes:  # pragma: no cover
        raise NotImplementedError(f"{self.id}: no action {name!r}")

    def has_emergency(self) -> bool:
        """True when the board has an emergency mode (protections overridden for a while)."""
        return False

    def encode_emergency(self, on: bool) -> bytes:  # pragma: no cover
        raise NotImplementedError(f"{self.id}: no emergency mode")

    def calibration_kinds(self) -> tuple[str, ...]:
        """"voltage", "current": what the board can be calibrated against a meter for."""
        return ()

    def encode_calibration(self, kind: str, measured: float) -> bytes:  # pragma: no cover
        raise NotImplementedError(f"{self.id}: no {kind} calibration")

    def redact(self, frame: bytes) -> bytes:
        """The frame with every secret it carries blanked, checksum still valid (raw captures)."""
        return frame

    def detect_variant(self, messages: Iterable[Message]) -> "Protocol":
        """The precise protocol for a board, from what it said (default: self)."""
        return self
