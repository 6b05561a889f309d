"""Log files: the CSV format, its sidecars, and a fast reader into numpy arrays.

The format (README "Log files") is a contract; keep it stable:

* ``ride.csv`` — comma-separated, '.' decimals, ASCII, ``\\n`` line ends, one
  header row of canonical names (shared/vocabulary.md), then one row per
  snapshot: ``timestamp_utc`` (ISO 8601, ms, ``Z``), ``elapsed_s``, the pack
  values, ``cell_01_v`` … ``cell_NN_v``, ``temp_1_c`` …, the power-stage and
  balancer values, the on/off states as 0/1 and, last, ``alarms`` (canonical
  ids joined with ';', empty when none).  A value the board did not send in a
  row is an empty field.
* ``ride.meta.json`` — device identity, protocol, app version, URL, the
  settings at the start, start/stop time and the column list.
* ``ride.frames.jsonl`` — optional raw capture (recorder.FrameCapture).
* ``ride.cache.bin`` — a binary copy of the numeric columns (one fixed-size
  record per row, with the CSV byte offset where the row ends).  It exists
  only to open long logs fast; it is used only for the CSV it was made for
  (its key: the CSV's size, mtime and first and last blocks, logguard.py),
  spot-checked against it, never trusted over it, rebuilt when stale and safe
  to delete.  A recording writes the key when it finishes.

What a log must look like to be read at all (sizes, the sidecar's types) is
in logguard.py.

Nothing here imports Qt or asyncio.
"""

from __future__ import annotations

import csv
import json
import math
import os
import struct
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..model import DeviceInfo, Settings, Snapshot
from ..model.url import is_secret_option, redact_url
from .logguard import (
    KEY_SLOT,
    MAX_LINE,
    MAX_META_BYTES,
    NO_KEY,
    LogFormatError,
    check_field,
    check_header,
    check_lines,
    check_tail,
    csv_key,
    key_size,
    parse_meta,
)

FORMAT = "packbench-log"
FORMAT_VERSION = 1

META_SUFFIX = ".meta.json"
CACHE_SUFFIX = ".cache.bin"
FRAMES_SUFFIX = ".frames.jsonl"

TIMESTAMP = "timestamp_utc"
ELAPSED = "elapsed_s"
ALARMS = "alarms"

#: pack-level values, in file order, before the cells (present when the board reports them)
PACK_COLUMNS = (
    "pack_voltage_v",
    "current_a",
    "power_w",
    "soc_pct",
    "soh_pct",
    "capacity_remaining_ah",
    "capacity_full_ah",
    "cycle_capacity_ah",
    "cycles",
    "cell_min_v",
    "cell_max_v",
    "cell_avg_v",
    "cell_delta_v",
    "cell_min_index",
    "cell_max_index",
)
#: after the temperature probes
STAGE_COLUMNS = ("mos_temperature_c", "balancer_temperature_c", "balance_current_a", "runtime_s")
#: on/off states, written 0/1
BOOL_COLUMNS = (
    "charge_mos_on",
    "discharge_mos_on",
    "precharge_mos_on",
    "balancing_active",
    "heating_on",
    "charge_switch",
    "discharge_switch",
    "balance_switch",
)
INT_COLUMNS = frozenset({"cycles", "cell_min_index", "cell_max_index", "runtime_s"})

#: version 2: a key slot (logguard.csv_key) after the magic
CACHE_MAGIC = b"PBLOGIX2"


def sidecar(path: str | os.PathLike, suffix: str) -> Path:
    """``ride.csv`` -> ``ride<suffix>``; any other name gets the suffix appended."""
    p = Path(path)
    if p.suffix.lower() == ".csv":
        return p.with_name(p.stem + suffix)
    return p.with_name(p.name + suffix)


def cell_column(i: int, cells: int) -> str:
    """Column of 1-based cell ``i``: ``cell_01_v`` (3 digits past 99 cells)."""
    return f"cell_{i:0{max(2, len(str(cells)))}d}_v"


def temp_column(i: int) -> str:
    return f"temp_{i}_c"


def iso_utc(epoch: float) -> str:
    """``2026-05-01T12:00:00.123Z``"""
    dt = datetime.fromtimestamp(epoch, UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


#: times outside 1970 … 3000 are not a recording's (and not every platform can show them)
_EPOCH_RANGE = (0.0, 32_503_680_000.0)


def parse_iso(text: str) -> float | None:
    try:
        dt = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)
        epoch = dt.timestamp()
    except (ValueError, OverflowError, OSError):
        return None
    return epoch if _EPOCH_RANGE[0] <= epoch < _EPOCH_RANGE[1] else None


def format_number(value: Any) -> str:
    """One CSV field: '' for missing, 0/1 for booleans, the shortest exact decimal otherwise."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    v = float(value)
    if math.isnan(v) or math.isinf(v):
        return ""
    v = round(v, 6)
    if v == 0:
        return "0"
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


# --- the columns ---------------------------------------------------------------------------
@dataclass(frozen=True)
class LogLayout:
    """Which columns a log has, fixed by the first snapshot of a recording."""

    pack: tuple[str, ...]
    cells: int
    temps: int
    stage: tuple[str, ...]
    bools: tuple[str, ...]

    @classmethod
    def for_snapshot(cls, s: Snapshot) -> LogLayout:
        present = lambda names: tuple(n for n in names if getattr(s, n, None) is not None)  # noqa: E731
        return cls(
            pack=present(PACK_COLUMNS),
            cells=len(s.cell_voltages_v or ()),
            temps=len(s.temperatures_c or ()),
            stage=present(STAGE_COLUMNS),
            bools=present(BOOL_COLUMNS),
        )

    @property
    def cell_names(self) -> list[str]:
        return [cell_column(i, self.cells) for i in range(1, self.cells + 1)]

    @property
    def temp_names(self) -> list[str]:
        return [temp_column(i) for i in range(1, self.temps + 1)]

    @property
    def header(self) -> list[str]:
        return [
            TIMESTAMP,
            ELAPSED,
            *self.pack,
            *self.cell_names,
            *self.temp_names,
            *self.stage,
            *self.bools,
            ALARMS,
        ]

    @property
    def numeric(self) -> list[str]:
        """The columns kept as numbers (all but the timestamp text and the alarms)."""
        return self.header[1:-1]

    def values(self, s: Snapshot) -> list[Any]:
        """The numeric values of a snapshot in ``numeric`` order, minus elapsed_s (None = missing)."""
        out: list[Any] = [getattr(s, n, None) for n in self.pack]
        cells = list(s.cell_voltages_v or ())
        out += (cells + [None] * self.cells)[: self.cells]
        temps = list(s.temperatures_c or ())
        out += (temps + [None] * self.temps)[: self.temps]
        out += [getattr(s, n, None) for n in self.stage]
        out += [getattr(s, n, None) for n in self.bools]
        return out

    def row(self, s: Snapshot, epoch: float, elapsed: float) -> tuple[str, list[float | None]]:
        """The CSV line (with its newline) and its numbers as written (elapsed first, None = empty)."""
        numbers = [f"{elapsed:.3f}", *(format_number(v) for v in self.values(s))]
        line = ",".join([iso_utc(epoch), *numbers, ";".join(s.alarms or ())]) + "\n"
        return line, [float(x) if x else None for x in numbers]


# --- the meta sidecar ------------------------------------------------------------------------
def _no_secrets(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if not is_secret_option(k)}


def safe_url(url: str | None) -> str | None:
    """The device URL without options that carry secrets (model.url.redact_url)."""
    return redact_url(url)


def make_meta(
    *,
    url: str | None,
    device: DeviceInfo | None,
    settings: Settings | None,
    protocol: str | None,
    started: float,
    app_version: str,
    layout: LogLayout | None = None,
    raw_capture: str | None = None,
) -> dict[str, Any]:
    dev = device.to_fields() if device is not None else {}
    if protocol:
        dev["protocol"] = protocol
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app": "packbench",
        "app_version": app_version,
        "url": safe_url(url),
        "started_utc": iso_utc(started),
        "stopped_utc": None,
        "rows": 0,
        "device": _no_secrets(dev),
        "settings": _no_secrets(settings.to_fields()) if settings is not None else None,
        "columns": layout.header if layout is not None else None,
        "cells": layout.cells if layout is not None else None,
        "raw_capture": raw_capture,
    }


def write_meta(path: str | os.PathLike, meta: dict[str, Any]) -> None:
    """Write ``meta`` next to ``path`` atomically (a crash leaves the old or the new file)."""
    target = sidecar(path, META_SUFFIX)
    tmp = target.with_name(target.name + ".tmp")
    try:
        tmp.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, target)
    except OSError:  # a full disk: the old sidecar stays, no half-written .tmp beside it
        try:
            tmp.unlink()
        except OSError:
            pass
        raise


def read_meta(path: str | os.PathLike) -> tuple[dict[str, Any], str | None]:
    """The meta sidecar (or {}), and a warning when it exists but cannot be read."""
    target = sidecar(path, META_SUFFIX)
    try:
        with open(target, "rb") as f:
            raw = f.read(MAX_META_BYTES + 1)
    except FileNotFoundError:
        return {}, None
    except OSError as exc:
        return {}, f"{target.name}: {exc.strerror or exc}"
    return parse_meta(raw, target.name)


# --- the binary cache -------------------------------------------------------------------------
def cache_dtype(k: int) -> np.dtype:
    """One record per row: CSV end offset, elapsed_s, CRC-32 of the alarms text (0: none),
    then the other numeric columns."""
    return np.dtype([("end", "<u8"), ("t", "<f8"), ("a", "<u4"), ("v", "<f4", (k,))])


def alarm_key(text: str) -> int:
    """The cache's key for an alarms field (the text itself is read back from the CSV)."""
    if not text:
        return 0
    return zlib.crc32(text.encode("ascii", "replace")) or 1


def cache_header(numeric: Sequence[str], csv_header: str, key: bytes = NO_KEY) -> bytes:
    """Magic, the CSV's key (zeros until the CSV is complete), the JSON description."""
    body = json.dumps(
        {
            "version": 2,
            "columns": list(numeric),
            "csv_header": csv_header,
            "record_bytes": cache_dtype(len(numeric) - 1).itemsize,
        }
    ).encode()
    raw = CACHE_MAGIC + key.ljust(KEY_SLOT, b"\0") + struct.pack("<I", len(body)) + body
    return raw + b"\0" * (-len(raw) % 16)


_KEY_AT = len(CACHE_MAGIC)


def _read_cache_header(f) -> tuple[dict[str, Any], int, bytes] | None:
    """(description, offset of the first record, the CSV key) or None."""
    fixed = _KEY_AT + KEY_SLOT + 4
    head = f.read(fixed)
    if len(head) < fixed or head[:_KEY_AT] != CACHE_MAGIC:
        return None
    key = head[_KEY_AT : _KEY_AT + KEY_SLOT]
    (n,) = struct.unpack("<I", head[-4:])
    if n > 1_000_000:
        return None
    try:
        info = json.loads(f.read(n))
    except (ValueError, RecursionError):
        return None
    if not isinstance(info, dict):
        return None
    size = fixed + n
    return info, size + (-size % 16), key


class CacheAppender:
    """Appends one record per CSV row (the recorder's side of the cache)."""

    def __init__(self, path: Path, numeric: Sequence[str], csv_header: str) -> None:
        self.path = path
        self._k = len(numeric) - 1
        self._pack = struct.Struct(f"<QdI{self._k}f").pack
        self._f = open(path, "wb")
        self._f.write(cache_header(numeric, csv_header))
        self._f.flush()

    def append(self, end: int, values: Sequence[Any], alarms: str = "") -> None:
        nan = math.nan
        vals = [nan if v is None else float(v) for v in values[1:]]
        self._f.write(self._pack(end, float(values[0]), alarm_key(alarms), *vals))
        self._f.flush()

    def fileno(self) -> int:
        return self._f.fileno()

    def seal(self, csv_path: str | os.PathLike) -> None:
        """Mark the cache as made for the CSV as it is now (call after the CSV is closed)."""
        self._f.flush()
        key = csv_key(csv_path)
        end = self._f.tell()
        self._f.seek(_KEY_AT)
        self._f.write(key)
        self._f.seek(end)
        self._f.flush()

    def close(self) -> None:
        self._f.close()


# --- loaded data ------------------------------------------------------------------------------
@dataclass
class LogData:
    """A log in memory: elapsed time (float64) and every numeric column (float32)."""

    path: Path
    header: list[str]
    #: numeric columns except elapsed_s, in file order; row k of ``values``
    columns: list[str]
    t: np.ndarray
    values: np.ndarray
    alarm_codes: np.ndarray
    alarm_sets: list[tuple[str, ...]]
    start_epoch: float | None
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: "cache" or "csv": where the numbers came from
    source: str = "csv"
    #: CSV byte offset where each row ends (for exports and cache rebuilds)
    ends: np.ndarray | None = None
    #: the CSV's identity when it was read (logguard.csv_key): what a new cache is made for
    csv_key: bytes | None = field(default=None, repr=False)
    #: why the meta sidecar was ignored in whole or in part (also in ``warnings``)
    meta_problem: str | None = None

    def __post_init__(self) -> None:
        self._index = {name: i for i, name in enumerate(self.columns)}
        self.cell_names = [
            c for c in self.columns if c.startswith("cell_") and c.endswith("_v") and c[5:-2].isdigit()
        ]
        self.temp_names = [
            c for c in self.columns if c.startswith("temp_") and c.endswith("_c") and c[5:-2].isdigit()
        ]
        idx = [self._index[c] for c in self.cell_names]
        if idx and idx == list(range(idx[0], idx[0] + len(idx))):
            self.cells = self.values[idx[0] : idx[0] + len(idx)]  # a view, no copy
        else:
            self.cells = self.values[idx] if idx else np.zeros((0, len(self.t)), np.float32)

    @property
    def rows(self) -> int:
        return len(self.t)

    @property
    def cell_count(self) -> int:
        return len(self.cell_names)

    @property
    def duration_s(self) -> float:
        return float(self.t[-1] - self.t[0]) if len(self.t) else 0.0

    def has(self, name: str) -> bool:
        return name in self._index

    def series(self, name: str) -> np.ndarray | None:
        i = self._index.get(name)
        return None if i is None else self.values[i]

    def epoch_at(self, i: int) -> float | None:
        if self.start_epoch is None or not len(self.t):
            return None
        epoch = self.start_epoch + float(self.t[i])
        return epoch if _EPOCH_RANGE[0] <= epoch < _EPOCH_RANGE[1] else None

    def index_at(self, elapsed: float) -> int:
        """The row at or just before ``elapsed`` (clamped)."""
        if not len(self.t):
            return 0
        i = int(np.searchsorted(self.t, elapsed, side="right")) - 1
        return min(max(i, 0), len(self.t) - 1)

    def alarms_at(self, i: int) -> list[str]:
        return list(self.alarm_sets[int(self.alarm_codes[i])])

    def snapshot_at(self, i: int) -> Snapshot:
        """The snapshot of row ``i``, with the numbers exactly as the CSV has them."""
        col = self.values[:, i]
        vals: dict[str, Any] = {}
        for name, k in self._index.items():
            v = col[k]
            if v != v:  # NaN: not reported in this row
                continue
            if name in BOOL_COLUMNS:
                vals[name] = bool(v)
            elif name in INT_COLUMNS:
                vals[name] = int(v)
            else:
                vals[name] = _exact(v)
        s = Snapshot()
        for name, v in vals.items():
            if name in _SNAPSHOT_FIELDS:
                setattr(s, name, v)
        s.cell_voltages_v = [vals[c] for c in self.cell_names if c in vals]
        temps = [vals[c] for c in self.temp_names if c in vals]
        s.temperatures_c = temps or None
        s.alarms = self.alarms_at(i)
        return s.derive()


def _exact(v: np.float32) -> float:
    """The decimal the CSV holds for a float32 value (its shortest round-trip form)."""
    return float(np.format_float_positional(v, unique=True, trim="-"))


_SNAPSHOT_FIELDS = frozenset(Snapshot.__dataclass_fields__) - {
    "cell_voltages_v",
    "temperatures_c",
    "alarms",
    "extra",
}


# --- reading -------------------------------------------------------------------------------
CHUNK = 1 << 24


def _line_ends(path: Path, start: int, stop: int) -> np.ndarray:
    """Offsets just past every '\\n' in [start, stop), read in chunks (little memory)."""
    parts = []
    with open(path, "rb") as f:
        f.seek(start)
        pos = start
        while pos < stop:
            block = f.read(min(CHUNK, stop - pos))
            if not block:
                break
            buf = np.frombuffer(block, dtype=np.uint8)
            parts.append(np.flatnonzero(buf == 10).astype(np.int64) + (pos + 1))
            pos += len(block)
    return np.concatenate(parts) if parts else np.zeros(0, np.int64)


#: bytes before a row's end searched for its last field (longer alarm lists take a slower path)
ALARM_WINDOW = 96


def _scan_alarms(path: Path, ends: np.ndarray, first_start: int) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """Alarm set per row from the last field, read in chunks and vectorised.

    Rows whose last field is empty end in ",\n"; the others (a persistent
    alarm can mark days of rows) are grouped by the bytes after their last
    comma, so a Python call is made per distinct alarm text, not per row.
    """
    n = len(ends)
    codes = np.zeros(n, dtype=np.uint16)
    sets: list[tuple[str, ...]] = [()]
    index: dict[bytes, int] = {b"": 0}

    def code_of(text: bytes) -> int:
        text = text.strip()
        code = index.get(text)
        if code is None:
            if len(sets) >= 65535:
                return 0
            code = index[text] = len(sets)
            sets.append(tuple(sorted(a for a in text.decode("ascii", "replace").split(";") if a)))
        return code

    if not n:
        return codes, sets
    w = ALARM_WINDOW
    cols = np.arange(w)
    with open(path, "rb") as f:
        lo = 0
        while lo < n:
            a = int(ends[lo - 1]) if lo else first_start
            hi = max(lo + 1, int(np.searchsorted(ends, a + CHUNK, side="right")))
            b = int(ends[hi - 1])
            f.seek(a)
            block = f.read(b - a)
            buf = np.frombuffer(block, dtype=np.uint8)
            stop = ends[lo:hi] - a - 1  # the '\n' of each row
            stop = np.where(buf[np.maximum(stop - 1, 0)] == 13, stop - 1, stop)  # before a '\r'
            flagged = np.flatnonzero(buf[np.maximum(stop - 1, 0)] != 44)  # 44 = ','
            if len(flagged):
                starts = np.concatenate([[first_start - a if lo == 0 else 0], ends[lo : hi - 1] - a])
                e = stop[flagged]
                idx = e[:, None] - w + cols[None, :]
                win = buf[np.maximum(idx, 0)].copy()
                win[idx < starts[flagged][:, None]] = 0  # before the row: not ours
                comma = win == 44
                has = comma.any(axis=1)
                last = w - 1 - np.argmax(comma[:, ::-1], axis=1)
                win[cols[None, :] <= last[:, None]] = 0  # keep what follows the last comma
                keys = np.ascontiguousarray(win).view(np.dtype((np.void, w))).ravel()
                uniq, inverse = np.unique(keys, return_inverse=True)
                ucodes = np.array([code_of(bytes(u).lstrip(b"\0")) for u in uniq], dtype=np.uint16)
                rows_codes = ucodes[inverse.ravel()]
                for j in np.flatnonzero(~has):  # a last field longer than the window
                    r = int(flagged[j])
                    line = block[int(starts[r]) : int(e[j])]
                    text = line.rpartition(b",")[2]
                    check_field(path.name, len(text), int(lo + flagged[j]) + 2)
                    rows_codes[j] = code_of(text)
                codes[lo + flagged] = rows_codes
            lo = hi
    return codes, sets


def _parse_fields(fields: Sequence[str], numeric_idx: Sequence[int]) -> list[float]:
    out = []
    for i in numeric_idx:
        try:
            out.append(float(fields[i]) if fields[i].strip() else math.nan)
        except (ValueError, IndexError):
            out.append(math.nan)
    return out


def _read_header(path: Path) -> tuple[list[str], str, int]:
    with open(path, "rb") as f:
        first = f.readline(MAX_LINE + 1)
    if len(first) > MAX_LINE:
        raise LogFormatError(
            f"{path.name}: the first line is longer than {MAX_LINE:,} bytes; it is not a Packbench log"
        )
    if not first.endswith(b"\n"):
        raise LogFormatError(f"{path.name} has no complete header line: it is empty or not a log")
    text = first.decode("utf-8-sig", errors="replace").rstrip("\r\n")
    fields = _split(text)
    if fields is None:
        raise LogFormatError(f"{path.name}: the first line cannot be read as CSV; it is not a log")
    header = [h.strip() for h in fields]
    check_header(path.name, header)
    if ELAPSED not in header and TIMESTAMP not in header:
        raise LogFormatError(
            f"{path.name} is not a Packbench log: its first line must name the columns "
            f"({TIMESTAMP}, {ELAPSED}, …)"
        )
    if ELAPSED not in header:
        raise LogFormatError(f"{path.name} has no {ELAPSED} column")
    return header, text, len(first)


@dataclass
class _Numbers:
    t: np.ndarray
    values: np.ndarray  # (K, N) float32
    ends: np.ndarray
    alarms: tuple[np.ndarray, list[tuple[str, ...]]] | None = None


def _from_cache(
    path: Path, cache: Path, numeric: list[str], header_text: str, key: bytes, csv_size: int, data_start: int
) -> _Numbers | None:
    try:
        f = open(cache, "rb")
    except OSError:
        return None
    with f:
        got = _read_cache_header(f)
        if got is None:
            return None
        info, offset, made_for = got
        if made_for[: len(key)] != key or made_for == NO_KEY:
            return None  # another CSV, one edited since, or a recording that never finished
        dt = cache_dtype(len(numeric) - 1)
        if (
            info.get("columns") != numeric
            or info.get("csv_header") != header_text
            or info.get("record_bytes") != dt.itemsize
        ):
            return None
        n_rec = (os.fstat(f.fileno()).st_size - offset) // dt.itemsize
        if n_rec <= 0:
            return None
        # the ends column alone, strided, to find the rows the CSV still has
        mm = np.memmap(cache, dtype=dt, mode="r", offset=offset, shape=(n_rec,))
        ends = np.asarray(mm["end"], dtype=np.int64)
        n = int(np.searchsorted(ends, csv_size, side="right"))
        if n <= 0 or ends[0] <= data_start or np.any(np.diff(ends[:n]) <= 0):
            return None
        # spot checks: the first, the last and a few rows between must read the same in the CSV
        numeric_idx = list(range(1, len(numeric) + 1))  # the standard layout: after the timestamp
        for j in sorted({0, n - 1, *range(0, n, max(1, n // 8))}):
            start = int(ends[j - 1]) if j else data_start
            fields = _csv_line(path, start, int(ends[j]))
            if fields is None:
                return None
            got_vals = np.asarray(_parse_fields(fields, numeric_idx), dtype=np.float64)
            rec = mm[j]
            want = np.concatenate([[rec["t"]], rec["v"].astype(np.float64)])
            if not (
                abs(got_vals[0] - want[0]) < 5e-4
                and np.allclose(got_vals[1:].astype(np.float32), want[1:], rtol=0, atol=0, equal_nan=True)
            ):
                return None
        # no copy: the columns are strided views into the mapped file (pages are read
        # as they are touched, and the page cache keeps them for the next open)
        rec = mm[:n]
        values = rec["v"].T
        t = np.array(rec["t"], dtype=np.float64)
        ends = ends[:n].copy()
        return _Numbers(t, values, ends, _alarms_from_keys(path, np.asarray(rec["a"]), ends, data_start))


def _alarms_from_keys(
    path: Path, keys: np.ndarray, ends: np.ndarray, data_start: int
) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """Alarm codes from the cache's per-row keys: one CSV line read per distinct alarm text."""
    n = len(keys)
    sets: list[tuple[str, ...]] = [()]
    if not n or not keys.any():
        return np.zeros(n, dtype=np.uint16), sets
    uniq, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    by_text: dict[tuple[str, ...], int] = {(): 0}
    ucodes = np.zeros(len(uniq), dtype=np.uint16)
    for u, (key, j) in enumerate(zip(uniq, first, strict=False)):
        if key == 0:
            continue
        j = int(j)
        fields = _csv_line(path, int(ends[j - 1]) if j else data_start, int(ends[j]))
        text = fields[-1] if fields else ""
        check_field(path.name, len(text), j + 2)
        ids = tuple(sorted(a for a in text.split(";") if a))
        code = by_text.get(ids)
        if code is None and len(sets) < 65535:
            code = by_text[ids] = len(sets)
            sets.append(ids)
        ucodes[u] = code or 0
    return ucodes[inverse.ravel()], sets


def _csv_line(path: Path, start: int, end: int) -> list[str] | None:
    """The fields of the CSV line in [start, end) (end just past its '\\n'); None if not one line."""
    if end - start > 1 << 16 or end <= start:
        return None
    with open(path, "rb") as f:
        f.seek(start)
        raw = f.read(end - start)
    if not raw.endswith(b"\n") or b"\n" in raw[:-1]:
        return None
    return _split(raw.decode("utf-8", "replace").rstrip("\r\n"))


def _split(text: str) -> list[str] | None:
    """The fields of one CSV line; None when it is not one (a stray carriage return …)."""
    try:
        return next(csv.reader([text]), [])
    except csv.Error:
        return None


def load_log(
    path: str | os.PathLike, *, use_cache: bool = True, progress: Callable[[str], None] | None = None
) -> LogData:
    """Read a log (CSV plus sidecars) into arrays.

    A cut-off last row is skipped and reported in ``warnings``, as is a row
    that cannot be read; neither is fatal.  Raises LogFormatError for a file
    that is not a log at all and OSError when it cannot be read.
    """
    path = Path(path)
    key = csv_key(path)  # before reading: a CSV that changes meanwhile will not match it
    header, header_text, data_start = _read_header(path)
    meta, meta_warning = read_meta(path)
    warnings: list[str] = [meta_warning] if meta_warning else []
    alarms_col = len(header) - 1 if header[-1] == ALARMS else None
    standard = header[0] == TIMESTAMP and header[1:2] == [ELAPSED] and alarms_col is not None
    numeric_cols = [i for i, h in enumerate(header) if h not in (TIMESTAMP, ALARMS)]
    # elapsed first
    el = header.index(ELAPSED)
    numeric_cols.remove(el)
    numeric_cols.insert(0, el)
    numeric = [header[i] for i in numeric_cols]
    size = key_size(key)  # the CSV as the key saw it: rows appended meanwhile wait for next time

    nums: _Numbers | None = None
    source = "csv"
    cache = sidecar(path, CACHE_SUFFIX)
    if use_cache and standard and cache.exists():
        nums = _from_cache(path, cache, numeric, header_text, key, size, data_start)
        if nums is not None:
            source = "cache"
    if nums is not None:
        # rows written after the cache's last one (a crash between the two writes)
        tail_start = int(nums.ends[-1])
        extra_ends = _line_ends(path, tail_start, size)
        check_lines(path.name, extra_ends, tail_start, first_line=len(nums.t) + 2)
        if len(extra_ends):
            rows, ends, bad = _parse_rows(path, tail_start, extra_ends, numeric_cols, len(header))
            if len(ends):
                nums = _Numbers(
                    np.concatenate([nums.t, rows[0]]),
                    np.concatenate([nums.values, rows[1]], axis=1),
                    np.concatenate([nums.ends, ends]),
                )
            _report_bad(bad, warnings)
        last_end = int(nums.ends[-1]) if len(nums.ends) else data_start
    else:
        if progress:
            progress("parse")
        all_ends = _line_ends(path, data_start, size)
        check_lines(path.name, all_ends, data_start)  # before the heavy parse
        nums, bad = _parse_all(path, data_start, all_ends, numeric_cols, len(header))
        _report_bad(bad, warnings)
        last_end = int(all_ends[-1]) if len(all_ends) else data_start
    check_tail(path.name, size, last_end)
    if size > last_end:
        with open(path, "rb") as f:
            f.seek(last_end)
            tail = f.read(min(size - last_end, 4096))
        if tail.strip():
            warnings.append(
                f"the last row is incomplete ({size - last_end} bytes, the recording was cut off) "
                "and was skipped"
            )

    n = len(nums.t)
    if nums.alarms is not None and len(nums.alarms[0]) == n:
        codes, sets = nums.alarms
    elif alarms_col is not None and n:
        codes, sets = _scan_alarms(path, nums.ends, data_start)
    else:
        codes, sets = np.zeros(n, dtype=np.uint16), [()]

    start_epoch = None
    if n and TIMESTAMP in header:
        fields = _csv_line(path, data_start, int(nums.ends[0]))
        if fields:
            ts = parse_iso(fields[header.index(TIMESTAMP)])
            if ts is not None:
                start_epoch = ts - float(nums.t[0])
    if start_epoch is None and meta.get("started_utc"):
        start_epoch = parse_iso(str(meta["started_utc"]))
    if n == 0:
        warnings.append("the log has no rows yet")

    return LogData(
        path=path,
        header=header,
        columns=numeric[1:],
        t=nums.t,
        values=nums.values,
        alarm_codes=codes,
        alarm_sets=sets,
        start_epoch=start_epoch,
        meta=meta,
        warnings=warnings,
        source=source,
        ends=nums.ends,
        csv_key=key,
        meta_problem=meta_warning,
    )


def _report_bad(bad: list[int], warnings: list[str]) -> None:
    if bad:
        warnings.append(f"{len(bad)} row(s) could not be read and were skipped (first at line {bad[0]})")


def _data_rows(ends: np.ndarray, start: int) -> np.ndarray:
    """Ends of the non-blank lines (blank ones: 1 or 2 bytes, '\\n' or '\\r\\n')."""
    lengths = np.diff(np.concatenate([[start], ends]))
    return ends[lengths > 2]


def _parse_all(
    path: Path, start: int, ends: np.ndarray, numeric_cols: list[int], width: int
) -> tuple[_Numbers, list[int]]:
    ends = _data_rows(ends, start)
    n = len(ends)
    k = len(numeric_cols) - 1
    if n == 0:
        return _Numbers(np.zeros(0), np.zeros((k, 0), np.float32), ends), []
    dt = np.dtype([("t", "<f8")] + [(f"c{i}", "<f4") for i in range(k)])
    try:
        # numpy's C reader: about 1-2 s for a week at 1 Hz with 32 cells on a slow machine
        rec = np.loadtxt(
            path,
            delimiter=",",
            skiprows=1,
            usecols=numeric_cols,
            dtype=dt,
            max_rows=n,
            ndmin=1,
            quotechar='"',
            encoding="utf-8",
        )
        if len(rec) != n:
            raise ValueError("row count")
        if not np.isfinite(rec["t"]).all():
            raise ValueError("a row without a usable elapsed_s")  # the careful reader skips it
    except ValueError:
        (t, values), kept, bad = _parse_rows(path, start, ends, numeric_cols, width)
        return _Numbers(t, values, kept), bad
    flat = np.ndarray((n, k), dtype="<f4", buffer=rec, offset=8, strides=(dt.itemsize, 4))
    values = np.empty((k, n), dtype=np.float32)
    step = 1 << 16
    for a in range(0, n, step):
        values[:, a : a + step] = flat[a : a + step].T
    t = np.ascontiguousarray(rec["t"])
    del rec, flat
    return _Numbers(t, values, ends), []


def _parse_rows(
    path: Path, start: int, ends: np.ndarray, numeric_cols: list[int], width: int
) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray, list[int]]:
    """The careful reader (csv module): empty fields become NaN, bad rows are skipped."""
    ends = _data_rows(ends, start)
    t: list[float] = []
    vals: list[list[float]] = []
    kept: list[int] = []
    bad: list[int] = []
    with open(path, "rb") as f:
        f.seek(start)
        prev = start
        for e in ends:
            e = int(e)
            raw = f.read(e - prev)
            prev = e
            text = raw.decode("utf-8", "replace").rstrip("\r\n")
            fields = _split(text)
            if fields is None or len(fields) != width:
                bad.append(e)
                continue
            row = _parse_fields(fields, numeric_cols)
            if not math.isfinite(row[0]):  # no usable elapsed_s
                bad.append(e)
                continue
            t.append(row[0])
            vals.append(row[1:])
            kept.append(e)
    k = len(numeric_cols) - 1
    values = (
        np.asarray(vals, dtype=np.float32).reshape(-1, k).T.copy() if vals else np.zeros((k, 0), np.float32)
    )
    bad_lines = []
    if bad:
        all_ends = list(map(int, ends))
        pos = {e: i for i, e in enumerate(all_ends)}
        bad_lines = [pos[e] + 2 for e in bad]  # 1-based, after the header
    return (np.asarray(t, dtype=np.float64), values), np.asarray(kept, dtype=np.int64), bad_lines


def write_cache(data: LogData) -> bool:
    """(Re)write the binary cache for a log read from its CSV; False when it cannot."""
    if data.ends is None or len(data.ends) != data.rows or data.rows == 0:
        return False
    numeric = [ELAPSED, *data.columns]
    if data.header[1:-1] != numeric or data.header[0] != TIMESTAMP or data.header[-1] != ALARMS:
        return False
    target = sidecar(data.path, CACHE_SUFFIX)
    tmp = target.with_name(target.name + ".tmp")
    dt = cache_dtype(len(data.columns))
    header_text = ",".join(data.header)
    try:
        # made for the CSV as it was read; if it has changed since, the key will not match
        key = data.csv_key if data.csv_key is not None else csv_key(data.path)
        with open(tmp, "wb") as f:
            f.write(cache_header(numeric, header_text, key))
            step = 1 << 16
            keys = np.array([alarm_key(";".join(x)) for x in data.alarm_sets], dtype=np.uint32)
            for a in range(0, data.rows, step):
                b = min(data.rows, a + step)
                rec = np.empty(b - a, dtype=dt)
                rec["end"] = data.ends[a:b]
                rec["t"] = data.t[a:b]
                rec["a"] = keys[data.alarm_codes[a:b]]
                rec["v"] = data.values[:, a:b].T
                rec.tofile(f)
        os.replace(tmp, target)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass
        return False
    return True


# --- exports ----------------------------------------------------------------------------------
def export_rows(data: LogData, i0: int, i1: int, target: str | os.PathLike) -> int:
    """Copy rows i0..i1-1 of the CSV, byte for byte, under its header; returns the rows written.

    The numbers are the CSV's own text, so the excerpt opens in a spreadsheet
    exactly like the original.  A meta sidecar says where it came from.
    """
    target = Path(target)
    i0 = max(0, i0)
    i1 = min(data.rows, i1)
    if data.ends is None or i1 <= i0:
        rows = 0
        with open(data.path, "rb") as src, open(target, "wb") as out:
            out.write(src.readline())
    else:
        with open(data.path, "rb") as src, open(target, "wb") as out:
            out.write(src.readline())
            start = int(data.ends[i0 - 1]) if i0 else src.tell()
            stop = int(data.ends[i1 - 1])
            src.seek(start)
            left = stop - start
            while left > 0:
                block = src.read(min(left, CHUNK))
                if not block:
                    break
                out.write(block)
                left -= len(block)
        rows = i1 - i0
    meta = dict(data.meta)
    meta.update(
        {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "rows": rows,
            "excerpt_of": {
                "file": data.path.name,
                "from_row": i0 + 1,
                "to_row": i1,
                "from_elapsed_s": float(data.t[i0]) if rows else None,
                "to_elapsed_s": float(data.t[i1 - 1]) if rows else None,
            },
            "raw_capture": None,
        }
    )
    if rows:
        ep = data.epoch_at(i0)
        if ep is not None:
            meta["started_utc"] = iso_utc(ep)
            meta["stopped_utc"] = iso_utc(data.epoch_at(i1 - 1))
    write_meta(target, meta)
    return rows


def read_csv_rows(path: str | os.PathLike) -> tuple[list[str], list[list[str]]]:
    """Header and rows with Python's csv module (tests and small files)."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


__all__ = [
    "ALARMS",
    "CACHE_SUFFIX",
    "CacheAppender",
    "ELAPSED",
    "FORMAT",
    "FORMAT_VERSION",
    "FRAMES_SUFFIX",
    "LogData",
    "LogFormatError",
    "LogLayout",
    "META_SUFFIX",
    "TIMESTAMP",
    "export_rows",
    "format_number",
    "iso_utc",
    "load_log",
    "make_meta",
    "parse_iso",
    "read_csv_rows",
    "read_meta",
    "sidecar",
    "write_cache",
    "write_meta",
]
