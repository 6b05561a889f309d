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

import json
import logging
import os
import time
from pathlib import Path
from typing import Any, Callable

from .. import __version__
from ..model import DeviceInfo, Settings, Snapshot
from .logfile import (CACHE_SUFFIX, FRAMES_SUFFIX, CacheAppender, LogLayout, iso_utc, make_meta,
                      safe_url, sidecar, write_meta)

log = logging.getLogger("packbench.recorder")

FRAMES_FORMAT = "packbench-frames"
FSYNC_EVERY_S = 5.0


class LogWriter:
    """One CSV log.  Columns are fixed by the first snapshot (``layout``)."""

    def __init__(self, path: str | os.PathLike, layout: LogLayout, meta: dict[str, Any], *,
                 started: float, cache: bool = True, clock: Callable[[], float] = time.monotonic) -> None:
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
        self._f = open(self.path, "wb")
        self._f.write((header + "\n").encode("ascii"))
        self._f.flush()
        self._pos = self._f.tell()
        self._cache: CacheAppender | None = None
        if cache:
            try:
                self._cache = CacheAppender(sidecar(self.path, CACHE_SUFFIX), layout.numeric, header)
            except OSError as exc:  # the CSV is what matters; the cache is an accelerator
                log.warning("no cache for %s: %s", self.path, exc)
        write_meta(self.path, self.meta)

    def write(self, snap: Snapshot, epoch: float) -> None:
        """Append one row and flush it."""
        line, numbers = self.layout.row(snap, epoch, epoch - self.started)
        data = line.encode("ascii", "replace")
        self._f.write(data)
        self._f.flush()
        self._pos += len(data)
        self.rows += 1
        if self._cache is not None:
            try:
                self._cache.append(self._pos, numbers, ";".join(snap.alarms or ()))
            except OSError as exc:
                log.warning("cache write failed, dropping the cache: %s", exc)
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
                cache.path.unlink()
            except OSError:
                pass

    def update_meta(self, **changes: Any) -> None:
        self.meta.update(changes)
        write_meta(self.path, self.meta)

    def close(self, stopped: float | None = None) -> None:
        if self._f.closed:
            return
        self._sync()
        self._f.close()
        if self._cache is not None:
            self._cache.close()
        self.meta["rows"] = self.rows
        self.meta["stopped_utc"] = iso_utc(stopped if stopped is not None else time.time())
        write_meta(self.path, self.meta)


class FrameCapture:
    """Timestamped frames as JSON lines: ``{"t", "elapsed_s", "dir", "protocol", "hex"}``.

    The first line is a header object (``format``, ``version``, ``app_version``,
    ``url``, ``started_utc``).  Secrets are blanked with the protocol's
    ``redact`` before anything is written.
    """

    def __init__(self, path: str | os.PathLike, *, url: str | None, started: float) -> None:
        self.path = Path(path)
        self.started = started
        self.frames = 0
        self._f = open(self.path, "w", encoding="utf-8", newline="\n")
        self._write({"format": FRAMES_FORMAT, "version": 1, "app": "packbench",
                     "app_version": __version__, "url": safe_url(url), "started_utc": iso_utc(started)})

    def _write(self, obj: dict[str, Any]) -> None:
        self._f.write(json.dumps(obj, separators=(",", ":")) + "\n")
        self._f.flush()

    def add(self, direction: str, data: bytes, protocol: Any, epoch: float | None = None) -> None:
        epoch = time.time() if epoch is None else epoch
        record: dict[str, Any] = {"t": iso_utc(epoch), "elapsed_s": round(epoch - self.started, 3),
                                  "dir": direction, "protocol": getattr(protocol, "id", str(protocol))}
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


def read_frames(path: str | os.PathLike) -> tuple[dict[str, Any], list[dict[str, Any]], list[str]]:
    """A raw capture: (header, frame records, warnings).  A cut-off last line is reported."""
    header: dict[str, Any] = {}
    frames: list[dict[str, Any]] = []
    warnings: list[str] = []
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    last = len(lines) - 1
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            if n - 1 == last:
                warnings.append(f"the last line is incomplete (line {n}, the capture was cut off) "
                                "and was skipped")
            else:
                warnings.append(f"line {n} is not JSON and was skipped")
            continue
        if not isinstance(obj, dict):
            continue
        if obj.get("format") == FRAMES_FORMAT:
            header = obj
        elif "hex" in obj:
            frames.append(obj)
    return header, frames, warnings


class Recorder:
    """Record a session (a DeviceSession or anything with the same events) to a CSV log.

    ``start()`` may come before or after the session connects.  The CSV is
    created on the first snapshot (its columns follow that snapshot); the meta
    sidecar takes the device information and the first settings seen.
    """

    def __init__(self, session: Any, path: str | os.PathLike, *, raw: bool = False,
                 url: str | None = None, cache: bool = True,
                 on_error: Callable[[str], None] | None = None) -> None:
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
        return make_meta(url=self.url, device=self._device, settings=self._settings,
                         protocol=getattr(proto, "id", None), started=self.started or time.time(),
                         app_version=__version__,
                         raw_capture=self.frames_path.name if self.raw else None)

    def _on_event(self, event: Any) -> None:
        try:
            if event.kind == "snapshot":
                snap = event.data
                if self.writer is None:
                    if not snap.cell_voltages_v and snap.pack_voltage_v is None:
                        return
                    self.writer = LogWriter(self.path, LogLayout.for_snapshot(snap), self._meta(),
                                            started=self.started or event.timestamp, cache=self.cache)
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
        self.error = f"recording stopped: {reason}"
        log.error("%s (%s)", self.error, self.path)
        self.stop()
        if self.on_error is not None:
            self.on_error(self.error)

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._untap is not None:
            self._untap()
            self._untap = None
        stopped = time.time()
        if self.writer is not None:
            try:
                self.writer.close(stopped)
            except OSError as exc:
                self.error = f"recording stopped: {exc.strerror or exc}"
        if self.capture is not None:
            self.capture.close()


__all__ = ["FRAMES_FORMAT", "FrameCapture", "LogWriter", "Recorder", "read_frames"]
