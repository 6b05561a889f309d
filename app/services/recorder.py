"""Recording: snapshots to a CSV log, frames to a raw capture.

``LogWriter`` writes the CSV (logfile.py describes the format), its binary
cache and its meta sidecar.  Every row is flushed to the operating system as
it is written, so a crash or a pulled cable loses at most the row being
written; the files are also fsync'ed every few seconds against power loss.

``FrameCapture`` writes every frame the session decodes or sends as one JSON
line, the PINs of a JK device-info frame blanked (protocol ``redact``).

``Recorder`` ties both to a session's events; it knows no Qt and no asyncio,
so the GUI and the CLI record the same way.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .. import __version__
from ..model import DeviceInfo, Settings, Snapshot
from .logfile import (
    CACHE_SUFFIX,
    FRAMES_SUFFIX,
    META_SUFFIX,
    CacheAppender,
    LogFormatError,
    LogLayout,
    iso_utc,
    make_meta,
    safe_url,
    sidecar,
    write_meta,
)

log = logging.getLogger("packbench.recorder")

FRAMES_FORMAT = "packbench-frames"
FSYNC_EVERY_S = 5.0


class AppendOnly:
    """A file written in whole records: a write that fails (a full disk) is cut back.

    Unbuffered, so nothing waits in a buffer to fail again on close; when a
    record cannot be written completely, the file is truncated to the end of
    the last whole record and the OSError is raised.  What was written before
    stays readable (README "Log files").
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._f = open(path, "wb", buffering=0)
        self.pos = 0

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        try:
            while view:
                n = self._f.write(view)
                if not n:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                view = view[n:]
        except OSError:
            self._cut_back()
            raise
        self.pos += len(data)

    def _cut_back(self) -> None:
        try:
            os.ftruncate(self._f.fileno(), self.pos)
        except OSError:
            pass

    def fileno(self) -> int:
        return self._f.fileno()

    @property
    def closed(self) -> bool:
        return self._f.closed

    def close(self) -> None:
        self._f.close()  # nothing buffered: closing cannot lose a row


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


class LogWriter:
    """One CSV log.  Columns are fixed by the first snapshot (``layout``)."""

    def __init__(
        self,
        path: str | os.PathLike,
        layout: LogLayout,
        meta: dict[str, Any],
        *,
        started: float,
        cache: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = Path(path)
        self.layout = layout
        self.started = started
        self.rows = 0
        self.meta = dict(meta)
        self.meta["columns"] = layout.header
        self.meta["cells"] = layout.cells
        self._clock = clock
        self._last_sync = clock()
        header = ",".join(layout.header)
        self._f = AppendOnly(self.path)
        try:
            self._f.write((header + "\n").encode("ascii"))
        except OSError:  # not even the header: leave no empty log behind
            self._f.close()
            _remove(self.path)
            raise
        self._cache: CacheAppender | None = None
        if cache:
            try:
                self._cache = CacheAppender(sidecar(self.path, CACHE_SUFFIX), layout.numeric, header)
            except OSError as exc:  # the CSV is what matters; the cache is an accelerator
                log.info("no cache for %s: %s", self.path, exc)
                _remove(sidecar(self.path, CACHE_SUFFIX))
        try:
            write_meta(self.path, self.meta)
        except OSError:  # a log without rows and without its description: nothing to keep
            self._f.close()
            self._drop_cache()
            _remove(self.path)
            raise

    def write(self, snap: Snapshot, epoch: float) -> None:
        """Append one row (the operating system has it on return).

        Raises OSError when the row cannot be written; the CSV then still ends
        with the last whole row.
        """
        line, numbers = self.layout.row(snap, epoch, epoch - self.started)
        self._f.write(line.encode("ascii", "replace"))
        self.rows += 1
        if self._cache is not None:
            try:
                self._cache.append(self._f.pos, numbers, ";".join(snap.alarms or ()))
            except OSError as exc:
                log.info("cache write failed, dropping the cache: %s", exc)
                self._drop_cache()
        now = self._clock()
        if now - self._last_sync >= FSYNC_EVERY_S:
            self._last_sync = now
            self._sync()

    def _sync(self) -> None:
        for f in (self._f, self._cache):
            if f is not None:
                try:
                    os.fsync(f.fileno())
                except OSError:
                    pass

    def _drop_cache(self) -> None:
        cache, self._cache = self._cache, None
        if cache is not None:
            try:
                cache.close()
            except OSError:
                pass
            _remove(cache.path)

    def update_meta(self, **changes: Any) -> None:
        self.meta.update(changes)
        write_meta(self.path, self.meta)

    def close(self, stopped: float | None = None) -> None:
        """Close the files and bring the meta sidecar up to date.

        Raises OSError when the meta sidecar cannot be written (the CSV is
        complete all the same); on a full disk the cache is given up first
        to make room for it.
        """
        if self._f.closed:
            return
        self._sync()
        self._f.close()
        if self._cache is not None:
            try:
                self._cache.seal(self.path)  # the CSV is closed: its key is final
                self._cache.close()
            except OSError as exc:
                log.info("cache could not be finished, dropping it: %s", exc)
                self._drop_cache()
        self.meta["rows"] = self.rows
        self.meta["stopped_utc"] = iso_utc(stopped if stopped is not None else time.time())
        try:
            write_meta(self.path, self.meta)
        except OSError:
            if self._cache is None:
                raise
            self._drop_cache()  # the accelerator goes; the description of the log matters more
            write_meta(self.path, self.meta)


class FrameCapture:
    """Timestamped frames as JSON lines: ``{"t", "elapsed_s", "dir", "protocol", "hex"}``.

    The first line is a header object (``format``, ``version``, ``app_version``,
    ``url``, ``started_utc``).  Secrets are blanked with the protocol's
    ``redact`` before anything is written.  A line that cannot be written (a
    full disk) is cut off again, so the capture ends with a whole line.
    """

    def __init__(self, path: str | os.PathLike, *, url: str | None, started: float) -> None:
        self.path = Path(path)
        self.started = started
        self.frames = 0
        self._f = AppendOnly(self.path)
        try:
            self._write(
                {
                    "format": FRAMES_FORMAT,
                    "version": 1,
                    "app": "packbench",
                    "app_version": __version__,
                    "url": safe_url(url),
                    "started_utc": iso_utc(started),
                }
            )
        except OSError:
            self._f.close()
            _remove(self.path)
            raise

    def _write(self, obj: dict[str, Any]) -> None:
        self._f.write((json.dumps(obj, separators=(",", ":")) + "\n").encode("utf-8"))

    def add(self, direction: str, data: bytes, protocol: Any, epoch: float | None = None) -> None:
        epoch = time.time() if epoch is None else epoch
        record: dict[str, Any] = {
            "t": iso_utc(epoch),
            "elapsed_s": round(epoch - self.started, 3),
            "dir": direction,
            "protocol": getattr(protocol, "id", str(protocol)),
        }
        clean, how = scrub(protocol, data)
        if clean is None:
            record["redacted"] = "dropped"  # a secret we could not blank: the frame stays out
        else:
            record["hex"] = clean.hex()
            if how:
                record["redacted"] = how
        self._write(record)
        self.frames += 1

    def close(self) -> None:
        if not self._f.closed:
            try:
                os.fsync(self._f.fileno())
            except OSError:
                pass
            self._f.close()


def _secrets_in(protocol: Any, frame: bytes) -> list[str]:
    extract = getattr(protocol, "extract_secrets", None)
    if extract is None:
        return []
    try:
        found = extract(frame)
    except Exception:  # noqa: BLE001 - not a frame that carries any
        return []
    return [v for v in (getattr(found, "connect_pin", None), getattr(found, "setup_password", None)) if v]


def scrub(protocol: Any, frame: bytes) -> tuple[bytes | None, str]:
    """The frame without the secrets it carries: (bytes, how), or (None, "") to leave it out.

    The protocol's ``redact`` blanks them and keeps the checksum valid (JK02).
    Where a protocol has no ``redact`` yet but its ``extract_secrets`` still
    finds a PIN or password, the text is zeroed where it appears (the frame
    then fails its checksum on replay, which is reported) and, if that does
    not remove it, the frame is not written at all.  Never in clear.
    """
    redact = getattr(protocol, "redact", None)
    clean = redact(frame) if redact is not None else frame
    secrets = _secrets_in(protocol, clean)
    if not secrets:
        return clean, "blanked" if clean != frame else ""
    for value in secrets:
        raw = value.encode("ascii", "replace")
        clean = clean.replace(raw, bytes(len(raw)))
    if _secrets_in(protocol, clean) or any(v.encode("ascii", "replace") in clean for v in secrets):
        return None, ""
    return clean, "zeroed"


#: a capture line longer than this is not a frame record (a JK frame is 300 bytes, 600 in hex)
MAX_FRAME_LINE = 64 * 1024


def _frame_record(obj: Any) -> bool:
    """A frame record with the types FrameCapture writes (the hex is checked when decoded)."""
    return (
        isinstance(obj.get("hex"), str)
        and isinstance(obj.get("protocol", ""), (str, type(None)))
        and obj.get("dir", "rx") in ("rx", "tx")
        and isinstance(obj.get("t", ""), str)
    )


def _read_lines(f) -> Iterator[tuple[bytes, bool]]:
    """(line, complete) for each line, an over-long one as (b"", False) without holding it."""
    while True:
        line = f.readline(MAX_FRAME_LINE + 1)
        if not line:
            return
        if len(line) > MAX_FRAME_LINE and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = f.readline(1 << 20)
            yield b"", False
            continue
        yield line, line.endswith(b"\n")


def read_frames(path: str | os.PathLike) -> tuple[dict[str, Any], list[dict[str, Any]], list[str]]:
    """A raw capture: (header, frame records, warnings).

    Lines that are not frame records (not JSON, not UTF-8, fields of the wrong
    type, too long) are skipped and counted in one warning; a cut-off last
    line is reported.  Raises LogFormatError when nothing in the file is a
    capture (a binary or UTF-16 file, a CSV log …) and OSError when it cannot
    be read.
    """
    header: dict[str, Any] = {}
    frames: list[dict[str, Any]] = []
    skipped: list[int] = []
    cut_off: int | None = None
    n = 0
    with open(path, "rb") as f:
        utf16 = f.read(2) in (b"\xff\xfe", b"\xfe\xff")
        f.seek(0)
        for n, (raw, complete) in enumerate(_read_lines(f), 1):
            if not raw.strip() and complete:
                continue
            try:
                obj = json.loads(raw.decode("utf-8"))
            except (ValueError, RecursionError):  # not UTF-8 or not JSON, or nested beyond reason
                obj = None
            if not isinstance(obj, dict):
                if raw and not complete:
                    cut_off = n
                else:
                    skipped.append(n)
            elif obj.get("format") == FRAMES_FORMAT and not header and not frames:
                header = {k: v for k, v in obj.items() if isinstance(v, (str, int, float))}
            elif _frame_record(obj):
                frames.append(obj)
            elif obj.get("redacted") == "dropped" and "hex" not in obj:
                continue  # a frame left out for the secret it carried (FrameCapture.add)
            else:
                skipped.append(n)
    name = Path(path).name
    if not header and not frames:
        what = "is empty" if n == 0 else "is UTF-16 text" if utf16 else "holds no frames"
        raise LogFormatError(f"{name} {what}: it is not a Packbench raw capture (.frames.jsonl)")
    if not frames and skipped:
        raise LogFormatError(
            f"{name} holds no frame it can read: {len(skipped)} line(s) are not "
            f"frame records (first: line {skipped[0]})"
        )
    warnings: list[str] = []
    if skipped:
        warnings.append(
            f"{len(skipped)} line(s) are not frame records and were skipped (first: line {skipped[0]})"
        )
    if cut_off is not None:
        warnings.append(
            f"the last line is incomplete (line {cut_off}, the capture was cut off) and was skipped"
        )
    return header, frames, warnings


class Recorder:
    """Record a session (a DeviceSession or anything with the same events) to a CSV log.

    ``start()`` may come before or after the session connects.  The CSV is
    created on the first snapshot (its columns follow that snapshot); the meta
    sidecar takes the device information and the first settings seen.
    """

    def __init__(
        self,
        session: Any,
        path: str | os.PathLike,
        *,
        raw: bool = False,
        url: str | None = None,
        cache: bool = True,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        self.session = session
        self.path = Path(path)
        self.raw = raw
        self.url = url if url is not None else getattr(session, "description", None)
        self.cache = cache
        self.on_error = on_error
        self.writer: LogWriter | None = None
        self.capture: FrameCapture | None = None
        self.started: float | None = None
        self.error: str | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._untap: Callable[[], None] | None = None
        self._device: DeviceInfo | None = None
        self._settings: Settings | None = None

    @property
    def rows(self) -> int:
        return self.writer.rows if self.writer is not None else 0

    @property
    def active(self) -> bool:
        return self._unsubscribe is not None

    @property
    def frames_path(self) -> Path:
        return sidecar(self.path, FRAMES_SUFFIX)

    def start(self) -> None:
        # a new folder for the log is what a person typing -o logs/ride.csv expects
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.started = time.time()
        self._device = getattr(self.session, "device_info", None)
        self._settings = getattr(self.session, "settings", None)
        if self.raw:
            self.capture = FrameCapture(self.frames_path, url=self.url, started=self.started)
            add_tap = getattr(self.session, "add_frame_tap", None)
            if add_tap is not None:
                self._untap = add_tap(self._on_frame)
        self._unsubscribe = self.session.subscribe(self._on_event)

    def _on_frame(self, direction: str, data: bytes) -> None:
        if self.capture is None:
            return
        try:
            self.capture.add(direction, data, self.session.protocol)
        except OSError as exc:
            self._fail(f"raw capture: {exc.strerror or exc}")

    def _meta(self) -> dict[str, Any]:
        proto = getattr(self.session, "protocol", None)
        return make_meta(
            url=self.url,
            device=self._device,
            settings=self._settings,
            protocol=getattr(proto, "id", None),
            started=self.started or time.time(),
            app_version=__version__,
            raw_capture=self.frames_path.name if self.raw else None,
        )

    def _on_event(self, event: Any) -> None:
        try:
            if event.kind == "snapshot":
                snap = event.data
                if self.writer is None:
                    if not snap.cell_voltages_v and snap.pack_voltage_v is None:
                        return
                    self.writer = LogWriter(
                        self.path,
                        LogLayout.for_snapshot(snap),
                        self._meta(),
                        started=self.started or event.timestamp,
                        cache=self.cache,
                    )
                self.writer.write(snap, event.timestamp)
            elif event.kind == "device_info" and self._device is None:
                self._device = event.data
                if self.writer is not None:
                    meta = self._meta()
                    self.writer.update_meta(device=meta["device"])
            elif event.kind == "settings" and self._settings is None:
                self._settings = event.data
                if self.writer is not None:
                    self.writer.update_meta(settings=self._meta()["settings"])
        except OSError as exc:
            self._fail(exc.strerror or str(exc))

    def _fail(self, reason: str) -> None:
        if self.error is not None:
            return
        self.error = f"recording stopped: {reason}"
        # the app log has it (INFO reaches its file); the user is told by on_error, once
        log.info("%s (%s)", self.error, self.path)
        self.stop()
        if self.on_error is not None:
            self.on_error(self.error)

    def stop(self) -> None:
        """Stop recording and close the files; never raises (a failure is kept in ``error``)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._untap is not None:
            self._untap()
            self._untap = None
        stopped = time.time()
        problems: list[str] = []
        if self.writer is not None:
            try:
                self.writer.close(stopped)
            except OSError as exc:
                problems.append(f"{sidecar(self.path, META_SUFFIX).name} not updated: {exc.strerror or exc}")
        if self.capture is not None:
            try:
                self.capture.close()
            except OSError as exc:
                problems.append(f"raw capture: {exc.strerror or exc}")
        if problems:
            self.error = (self.error + "; " if self.error else "recording stopped: ") + "; ".join(problems)


__all__ = ["FRAMES_FORMAT", "FrameCapture", "LogWriter", "Recorder", "read_frames"]
