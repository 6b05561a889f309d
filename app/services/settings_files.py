"""Settings exports, backups and diffs as readable JSON.

A settings file carries the device identity, firmware, protocol, the units
of every key and the values in canonical units.  Backups are settings files
written automatically before every write, keyed by the device, so a board
can always be put back the way it was.  Passwords are never written.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from .. import __version__
from ..model import DeviceInfo, SettingSpec

FORMAT = "packbench-settings"


def unit_of(key: str, schema: Mapping[str, SettingSpec]) -> str:
    spec = schema.get(key)
    if spec is not None:
        return spec.unit
    for suffix, unit in (("_v", "V"), ("_a", "A"), ("_ah", "Ah"), ("_c", "°C"), ("_s", "s"), ("_us", "µs")):
        if key.endswith(suffix):
            return unit
    return ""


def to_document(values: Mapping[str, Any], *, protocol: str | None, device: DeviceInfo | None,
                schema: Iterable[SettingSpec] = (), kind: str = "export") -> dict[str, Any]:
    sch = {s.key: s for s in schema}
    dev = device.to_fields() if device is not None else {}
    return {
        "format": FORMAT, "version": 1, "kind": kind,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "app": f"packbench {__version__}",
        "protocol": protocol,
        "device": {k: dev.get(k) for k in ("model", "hardware_version", "software_version",
                                           "serial_number", "device_name") if dev.get(k)},
        "units": {k: unit_of(k, sch) for k in sorted(values)},
        "settings": {k: values[k] for k in sorted(values)},
    }


def is_fig(path: str | Path) -> bool:
    """A JBD Tools parameter file (``.fig``), read and written in its own format."""
    return Path(path).suffix.lower() == ".fig"


def save(path: str | Path, document: Mapping[str, Any]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    if is_fig(path):
        if document.get("protocol") not in ("jbd", None):
            raise ValueError(".fig files hold JBD settings; this board speaks "
                             f"{document.get('protocol')}")
        from ..protocols.jbd import fig

        # newline="" keeps the tool's CR CR LF line ends as they are
        with open(tmp, "w", encoding="ascii", errors="replace", newline="") as fh:
            fh.write(fig.dump(document["settings"]))
    else:
        tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)  # never a half-written backup
    return path


def load(path: str | Path) -> dict[str, Any]:
    if is_fig(path):
        from ..protocols.jbd import fig

        text = Path(path).read_text(encoding="ascii", errors="replace")
        return {"format": FORMAT, "version": 1, "kind": "fig", "protocol": "jbd", "device": {},
                "settings": fig.parse(text)}
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"{path}: not a Packbench settings file")
    if not isinstance(data.get("settings"), dict):
        raise ValueError(f"{path}: no settings in the file")
    return data


def device_key(device: DeviceInfo | None, fallback: str = "unknown") -> str:
    """A file-system-safe key for a board: its serial number, else its name."""
    raw = (device.serial_number or device.device_name or device.model or fallback) if device else fallback
    return re.sub(r"[^A-Za-z0-9._-]+", "_", raw).strip("_") or fallback


def backup_dir() -> Path:
    base = os.environ.get("PACKBENCH_DATA_DIR")
    if base:
        return Path(base) / "backups"
    if os.name == "nt":
        root = Path(os.environ.get("LOCALAPPDATA", Path.home()))
    elif os.uname().sysname == "Darwin":
        root = Path.home() / "Library" / "Application Support"
    else:
        root = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return root / "Packbench" / "backups"


def write_backup(values: Mapping[str, Any], *, protocol: str | None, device: DeviceInfo | None,
                 schema: Iterable[SettingSpec] = (), directory: Path | None = None) -> Path:
    """A new backup file, never one another program (or this one) already wrote.

    Its name is the time plus a random suffix, and it is created with O_EXCL before the
    contents go in (through ``save``'s temporary file, itself named after it), so two
    programs backing the same board up in the same second get two files.
    """
    key = device_key(device)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    folder = (directory or backup_dir()) / key
    folder.mkdir(parents=True, exist_ok=True)
    path = _create_new(folder, stamp)
    try:
        return save(path, to_document(values, protocol=protocol, device=device, schema=schema,
                                      kind="backup"))
    except BaseException:
        path.unlink(missing_ok=True)  # no empty backup left behind
        raise


def _create_new(folder: Path, stamp: str) -> Path:
    """``STAMP-XXXXXX.json`` created empty and exclusively (O_EXCL: never an existing file)."""
    while True:
        path = folder / f"{stamp}-{secrets.token_hex(3)}.json"
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        except FileExistsError:
            continue
        return path


@dataclass(frozen=True)
class Change:
    key: str
    old: Any
    new: Any


def same(spec: SettingSpec | None, a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    if isinstance(a, bool) or isinstance(b, bool) or (spec is not None and spec.kind != "number"):
        return bool(a) == bool(b) if spec is not None and spec.kind == "bool" else a == b
    tol = (spec.step / 2 if spec is not None and spec.step else 1e-9) * 0.999
    return abs(float(a) - float(b)) <= max(tol, 1e-9)


def diff(board: Mapping[str, Any], wanted: Mapping[str, Any],
         schema: Iterable[SettingSpec] = ()) -> list[Change]:
    """The keys of ``wanted`` whose value differs from ``board`` (schema order)."""
    sch = {s.key: s for s in schema}
    order = [s.key for s in schema] + sorted(k for k in wanted if k not in sch)
    out = []
    for key in order:
        if key not in wanted:
            continue
        if not same(sch.get(key), board.get(key), wanted[key]):
            out.append(Change(key, board.get(key), wanted[key]))
    return out
