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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..model import DeviceInfo, SettingSpec
from ..protocols.base import Protocol
from ..protocols.family import VendorFormat
from ..protocols.family import vendor_format as family_vendor_format
from . import presets

# the strict readers, shared with the preset files (and part of this module's face)
from .file_reading import (
    FileError,  # noqa: F401
    describe,
    parse_value,
    read_json,
    read_limited,
)

FORMAT = "packbench-settings"


def unit_of(key: str, schema: Mapping[str, SettingSpec]) -> str:
    spec = schema.get(key)
    if spec is not None:
        return spec.unit
    for suffix, unit in (("_v", "V"), ("_a", "A"), ("_ah", "Ah"), ("_c", "°C"), ("_s", "s"), ("_us", "µs")):
        if key.endswith(suffix):
            return unit
    return ""


def to_document(
    values: Mapping[str, Any],
    *,
    protocol: str | None,
    device: DeviceInfo | None,
    schema: Iterable[SettingSpec] = (),
    kind: str = "export",
) -> dict[str, Any]:
    sch = {s.key: s for s in schema}
    dev = device.to_fields() if device is not None else {}
    return {
        "format": FORMAT,
        "version": 1,
        "kind": kind,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "app": f"packbench {__version__}",
        "protocol": protocol,
        "device": {
            k: dev.get(k)
            for k in ("model", "hardware_version", "software_version", "serial_number", "device_name")
            if dev.get(k)
        },
        "units": {k: unit_of(k, sch) for k in sorted(values)},
        "settings": {k: values[k] for k in sorted(values)},
    }


def vendor_format(path: str | Path) -> VendorFormat | None:
    """The vendor's file format a file's name says it is in (JBD Tools ``.fig``), read and
    written in its own format by the family that knows it; None: Packbench's own JSON."""
    return family_vendor_format(path)


def save(path: str | Path, document: Mapping[str, Any]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    vendor = vendor_format(path)
    if vendor is not None:
        if document.get("protocol") not in (vendor.protocol, None):
            raise ValueError(
                f"{vendor.suffix} files hold {vendor.holds} settings; this board speaks "
                f"{document.get('protocol')}"
            )
        text = vendor.dump(document["settings"])
    else:
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    try:
        # newline="" keeps a vendor tool's line ends (JBD's CR CR LF) as they are
        with open(
            tmp,
            "w",
            encoding=vendor.encoding if vendor is not None else "utf-8",
            errors="replace",
            newline="",
        ) as fh:
            fh.write(text)
        os.replace(tmp, path)  # never a half-written backup
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk leaves no .tmp behind
        raise
    return path


def _checked_document(data: Any, path: str | Path) -> dict[str, Any]:
    """A settings document whose parts have the right types (values are checked later)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise FileError(f"{path}: not a Packbench settings file")
    if not isinstance(data.get("settings"), dict):
        raise FileError(f"{path}: no settings in the file")
    for part, kinds in (
        ("protocol", (str, type(None))),
        ("device", (dict, type(None))),
        ("units", (dict, type(None))),
    ):
        if not isinstance(data.get(part), kinds):
            raise FileError(f"{path}: its {part!r} is {describe(data.get(part))}")
    return data


def load(path: str | Path) -> dict[str, Any]:
    """A settings file (JSON or a vendor's format, JBD ``.fig``) as a document; FileError in
    words when it is not one.  The values are checked against a board by ``request_from``."""
    vendor = vendor_format(path)
    if vendor is not None:
        try:
            # latin-1 never fails: the vendor format's parser refuses what is not its text
            values = vendor.parse(read_limited(path).decode("latin-1"))
        except FileError:
            raise
        except ValueError as exc:
            raise FileError(f"{path}: {exc}") from None
        return {
            "format": FORMAT,
            "version": 1,
            "kind": vendor.suffix.lstrip("."),
            "protocol": vendor.protocol,
            "device": {},
            "settings": values,
        }
    return _checked_document(read_json(path), path)


def parse_settings(
    raw: Mapping[str, Any], specs: Mapping[str, SettingSpec], *, also_known: Iterable[str] = ()
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(writable values, read-only values) of a file's settings; FileError naming the first
    key that is unknown (not in ``specs`` nor ``also_known``) or whose value is wrong."""
    extra = set(also_known)
    writable: dict[str, Any] = {}
    read_only: dict[str, Any] = {}
    for key, value in raw.items():
        spec = specs.get(key)
        if spec is None and key not in extra:
            raise FileError(f"{key}: this board has no such setting")
        parsed = parse_value(key, value, spec)
        (writable if spec is not None and spec.writable else read_only)[key] = parsed
    return writable, read_only


def check_family(file_protocol: Any, board: Protocol) -> None:
    """FileError unless a settings file was made for a board of ``board``'s family.

    Packbench does not translate settings between families: the same canonical key
    has other ranges, steps and meanings at the edges (a JBD short-circuit delay is one
    of a few fixed steps), so a file from another family is refused; a preset, which
    is family-neutral by design, works on every board.  Variants of one family (JK02
    24S/32S, JK04, 4E57, JK-PB) share their keys: their files are accepted when every
    key exists on this board (``parse_settings`` checks that)."""
    from ..protocols import get_protocol

    if file_protocol is None:
        raise FileError(
            'the file does not say which board it was made for (no "protocol"): '
            "export the settings from a board, or use a preset file"
        )
    try:
        theirs = get_protocol(str(file_protocol))
    except KeyError:
        raise FileError(
            f"made for protocol {describe(file_protocol)}, which Packbench does not know"
        ) from None
    if theirs.family != board.family:
        raise FileError(
            f"made for a {theirs.name} board ({theirs.id}); this one is a {board.name} "
            f"({board.id}). Settings are not carried across families (their keys have "
            "other ranges and steps): use a preset, which works on every board"
        )


@dataclass(frozen=True)
class Origin:
    """Where requested values come from, for the interlocks' "another board" advisory."""

    name: str
    protocol: str | None = None
    serial_number: str | None = None
    cell_count: int | None = None


@dataclass
class Request:
    """What a file asks a board for, checked against the board's schema."""

    values: dict[str, Any]  # writable keys, strictly parsed
    chemistry: str | None = None  # a preset's chemistry
    origin: Origin | None = None  # a settings file's board
    read_only: dict[str, Any] = field(default_factory=dict)  # in the file, not writable here
    left_out: list[str] = field(default_factory=list)  # preset keys this board has not got
    document: dict[str, Any] | None = None
    preset: Any = None  # presets.Preset


def open_file(path: str | Path) -> Any:
    """A settings file (its document) or a preset file (a presets.Preset), read strictly."""
    if vendor_format(path) is not None:
        return load(path)
    data = read_json(path)
    if isinstance(data, dict) and data.get("format") == presets.PRESET_FORMAT:
        return presets.preset_from_json(data, path)
    return _checked_document(data, path)


def request_from(source: Any, board: Protocol, *, profile: Any = None, name: str = "") -> Request:
    """The values a settings document or a preset asks ``board`` for, each parsed strictly
    by the board's schema.  FileError (prefixed with ``name``) names the key at fault."""
    specs = {s.key: s for s in board.settings_schema()}
    prefix = f"{name}: " if name else ""
    if isinstance(source, presets.Preset):
        writable_keys = {k for k, s in specs.items() if s.writable}
        wanted = source.apply(profile, writable_keys)
        try:
            values, _ = parse_settings(wanted, specs)
        except FileError as exc:
            raise FileError(prefix + str(exc)) from None
        return Request(
            values,
            chemistry=source.chemistry,
            preset=source,
            left_out=sorted(k for k in source.values if k not in writable_keys),
        )
    doc = source
    try:
        check_family(doc.get("protocol"), board)
        units = doc.get("units") or {}
        for key, unit in units.items():
            spec = specs.get(key)
            if spec is not None and key in doc["settings"] and unit != spec.unit:
                raise FileError(
                    f"{key}: the file gives it in {describe(unit)}, this board in {describe(spec.unit)}"
                )
        # a file of this very protocol may hold values its decoder reports beside the
        # schema (JK02_32S's board address): kept in exports, never written
        from ..protocols.family import known_keys

        also = known_keys() if doc.get("protocol") == board.id else ()
        values, read_only = parse_settings(doc["settings"], specs, also_known=also)
    except FileError as exc:
        raise FileError(prefix + str(exc)) from None
    dev = doc.get("device") or {}
    serial = dev.get("serial_number")
    cells = values.get("cell_count", read_only.get("cell_count"))
    origin = Origin(
        name or str(doc.get("kind") or "file"),
        doc.get("protocol"),
        str(serial) if isinstance(serial, (str, int)) and serial != "" else None,
        int(cells) if isinstance(cells, (int, float)) and not isinstance(cells, bool) else None,
    )
    return Request(values, origin=origin, read_only=read_only, document=doc)


def load_request(path: str | Path, board: Protocol, *, profile: Any = None) -> Request:
    """``open_file`` + ``request_from``: what the file at ``path`` asks this board for."""
    return request_from(open_file(path), board, profile=profile, name=Path(path).name)


def device_key(device: DeviceInfo | None, fallback: str = "unknown") -> str:
    """A file-system-safe key for a board: its serial number, else its name."""
    raw = (device.serial_number or device.device_name or device.model or fallback) if device else fallback
    return re.sub(r"[^A-Za-z0-9._-]+", "_", raw).strip("_") or fallback


def data_dir() -> Path:
    """The user data folder: backups, presets, the pack registry and its reports
    (``PACKBENCH_DATA_DIR`` overrides it, as the test suite does)."""
    base = os.environ.get("PACKBENCH_DATA_DIR")
    if base:
        return Path(base)
    if os.name == "nt":
        root = Path(os.environ.get("LOCALAPPDATA", Path.home()))
    elif os.uname().sysname == "Darwin":
        root = Path.home() / "Library" / "Application Support"
    else:
        root = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return root / "Packbench"


def backup_dir() -> Path:
    return data_dir() / "backups"


def write_backup(
    values: Mapping[str, Any],
    *,
    protocol: str | None,
    device: DeviceInfo | None,
    schema: Iterable[SettingSpec] = (),
    directory: Path | None = None,
) -> Path:
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
        return save(path, to_document(values, protocol=protocol, device=device, schema=schema, kind="backup"))
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
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    if isinstance(a, bool) or isinstance(b, bool) or (spec is not None and spec.kind != "number"):
        return bool(a) == bool(b) if spec is not None and spec.kind == "bool" else a == b
    tol = (spec.step / 2 if spec is not None and spec.step else 1e-9) * 0.999
    return abs(float(a) - float(b)) <= max(tol, 1e-9)


def diff(
    board: Mapping[str, Any], wanted: Mapping[str, Any], schema: Iterable[SettingSpec] = ()
) -> list[Change]:
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
