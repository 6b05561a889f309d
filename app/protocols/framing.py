"""The one frame reader every family configures (design.md, "A protocol family").

A family's reader says what its frames look like; this base does the rest:
keeping the bytes between ``feed`` calls, finding where a frame may start,
resynchronising on garbage, bounding the buffer, and never letting a cut-off
frame hold back or swallow the good frame that follows it.

A family sets ``headers`` (the byte strings its frames start with; empty when a
frame may start at any byte, as Modbus RTU's) and answers one question,
``candidate(buf, pos)``: is there a frame at ``pos``?

- ``WAIT``: not enough bytes to tell.  Unless a complete good frame starts
  later in the buffer (the candidate was cut short), the reader waits;
- ``HOLD``: not enough bytes to tell, and nothing later may be taken first
  (e.g. a good frame whose trailing acknowledgement is still arriving);
- ``NO``: no frame starts here: one byte is dropped and the next header looked
  for, so a bad candidate never costs the frame behind it;
- ``Skip(n)``: drop ``n`` bytes (the family knows a better start);
- ``Cut(length, frame_type)``: a whole, checked frame.

Weak checksums (JK's sum8 passes one corrupt frame in 256): with
``inner_headers`` set, a good frame that starts inside a good candidate wins
over it, because a truncated frame whose window the next frame fills passes
its checksum now and then and would swallow that frame.

``keep(frame)`` can drop frames that are whole but not wanted (another Modbus
slave's); ``later_frame(buf)`` can be replaced where the generic search (a
complete good frame at a later header) is too slow (headerless Modbus).
The reader never raises on any input, and holds at most ``MAX_BUFFER`` bytes
between calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .base import Frame, FrameReader


@dataclass(frozen=True)
class Cut:
    """A whole, checked frame of ``length`` bytes at the candidate's position."""

    length: int
    frame_type: Any = None


@dataclass(frozen=True)
class Skip:
    """Drop this many bytes and look again."""

    count: int


class _Wait:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


WAIT = _Wait("WAIT")
HOLD = _Wait("HOLD")
NO = Skip(1)

Verdict = Cut | Skip | _Wait


class StreamFrameReader(FrameReader):
    """Incremental ``feed(bytes) -> list[Frame]`` over a family's ``candidate``."""

    #: never hold more than this many bytes between two ``feed`` calls
    MAX_BUFFER = 4096
    #: the byte strings a frame starts with; () when a frame may start anywhere
    headers: tuple[bytes, ...] = ()
    #: trust a good frame that starts, with one of these, inside a good candidate
    inner_headers: tuple[bytes, ...] = ()

    def __init__(self) -> None:
        self._buf = bytearray()

    def reset(self) -> None:
        self._buf.clear()

    # --- what a family says --------------------------------------------------------------
    def candidate(self, buf: bytearray, pos: int) -> Verdict:  # pragma: no cover - interface
        """Is there a frame at ``buf[pos:]``?  Pure: it may be asked twice."""
        raise NotImplementedError

    def keep(self, frame: Frame) -> bool:
        """Whether a whole frame is handed on (False: consumed and dropped)."""
        return True

    def later_frame(self, buf: bytearray) -> int:
        """Where the first complete good frame after position 0 starts, or -1."""
        pos = self._next_start(buf, 1)
        while pos > 0:
            if isinstance(self.candidate(buf, pos), Cut):
                return pos
            pos = self._next_start(buf, pos + 1)
        return -1

    # --- the loop ------------------------------------------------------------------------------
    def feed(self, data: bytes) -> list[Frame]:
        buf = self._buf
        if data:
            buf += data
        out: list[Frame] = []
        while buf:
            start = self._next_start(buf, 0)
            if start < 0:
                del buf[: len(buf) - self._partial_header(buf)]
                break
            del buf[:start]
            verdict = self._verdict(buf)
            if verdict is WAIT:
                later = self.later_frame(buf)
                if later <= 0:
                    break
                verdict = Skip(later)
            if verdict is HOLD:
                break
            if isinstance(verdict, Skip):
                del buf[: max(1, verdict.count)]
                continue
            frame = Frame(bytes(buf[: verdict.length]), verdict.frame_type)
            del buf[: verdict.length]
            if self.keep(frame):
                out.append(frame)
        if len(buf) > self.MAX_BUFFER:
            del buf[: len(buf) - self.MAX_BUFFER]
        return out

    def _verdict(self, buf: bytearray) -> Verdict:
        verdict = self.candidate(buf, 0)
        if not isinstance(verdict, Cut) or not self.inner_headers:
            return verdict
        inner = _find_any(buf, self.inner_headers, 1, verdict.length)
        if inner > 0:
            other = self.candidate(buf, inner)
            if isinstance(other, _Wait):
                return HOLD  # decide when the inner candidate can be checked
            if isinstance(other, Cut):
                return Skip(inner)
        return verdict

    def _next_start(self, buf: bytearray, start: int) -> int:
        if not self.headers:
            return start if start < len(buf) else -1
        return _find_any(buf, self.headers, start, len(buf))

    def _partial_header(self, buf: bytearray) -> int:
        """How many bytes at the end of ``buf`` may be the beginning of a header."""
        longest = max((len(h) for h in self.headers), default=1)
        for n in range(min(longest - 1, len(buf)), 0, -1):
            tail = bytes(buf[-n:])
            if any(h.startswith(tail) for h in self.headers):
                return n
        return 0


def _find_any(buf: bytearray, headers: tuple[bytes, ...], start: int, below: int) -> int:
    """The first position in ``[start, below)`` where one of ``headers`` starts, or -1."""
    found = -1
    for header in headers:
        pos = buf.find(header, start, below + len(header) - 1)
        if pos >= 0 and (found < 0 or pos < found):
            found = pos
    return found


__all__ = ["HOLD", "NO", "WAIT", "Cut", "Skip", "StreamFrameReader", "Verdict"]
