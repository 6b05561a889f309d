"""A batch job file: what every pack of a run must become, and who does it (issue 19).

A job is a small TOML file (``tomllib``) or the same as JSON::

    job = "JOB-19"                  # the job reference, on every report
    operator = "Ana Lima"
    [profile]                       # the target: a preset with the pack profile …
    preset = "lifepo4"              # lifepo4, li-ion, lto, or a preset file
    cells = 16
    capacity_ah = 100
    # charge_current_a = 50, discharge_current_a = 100
    # file = "shop-16s.json"        # … or a settings/preset file instead of preset
    [naming]
    pattern = "PACK-{n:03}"         # {n}: the pack's number in the job, {serial}
    [board_password]
    policy = "keep"                 # keep | set | generate
    # new = "246810"                # with policy = "set"
    # current = "123456"            # what the boards ask for now (JK's setup password),
    # [board_password.current]      # or per family: jk = "123456", jbd = "000000"
    [sealing]
    rest_s = 30                     # how long the pack must rest before its spread is judged
    accept_warnings = false         # write although the safety rules advise against it

``load`` reads it strictly: every problem is one ``JobError`` line naming the key, and
nothing is connected or written before the whole file was found good.  Relative file
names are taken from the job file's folder.  Pure: no Qt, no I/O beyond reading it.
"""

from __future__ import annotations

import json
import math
import string
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import presets

POLICIES = ("keep", "set", "generate")
#: what a naming pattern may use: the pack's number in the job, its serial number
PATTERN_FIELDS = ("n", "serial")
_TOP = {"job", "operator", "profile", "naming", "board_password", "sealing"}
_SECTIONS = {
    "profile": {"preset", "file", "cells", "capacity_ah", "charge_current_a", "discharge_current_a"},
    "naming": {"pattern"},
    "board_password": {"policy", "new", "current"},
    "sealing": {"rest_s", "accept_warnings"},
}


class JobError(ValueError):
    """The job file cannot be used: one line for people, naming the key."""


@dataclass
class Job:
    ref: str
    operator: str
    path: Path
    preset: str | None = None  # a built-in chemistry or a preset file (absolute)
    profile_file: Path | None = None  # a settings or preset file
    cells: int | None = None
    capacity_ah: float | None = None
    charge_current_a: float | None = None
    discharge_current_a: float | None = None
    pattern: str | None = None
    password_policy: str = "keep"
    #: policy "set": the one password every pack gets (memory only, never recorded)
    new_password: str | None = field(default=None, repr=False)
    #: the password the boards ask for now (JK's setup password, a JBD board's own): one
    #: for every family, or per family ({"jk": …, "jbd": …})
    current_password: str | dict[str, str] | None = field(default=None, repr=False)
    rest_s: float | None = None
    accept_warnings: bool = False

    def current_for(self, family: str) -> str | None:
        """The password this family's boards ask for now (None: none given)."""
        if isinstance(self.current_password, dict):
            return self.current_password.get(family)
        return self.current_password

    def target_name(self) -> str:
        if self.profile_file is not None:
            return f"file {self.profile_file.name}"
        name = f"{self.preset} preset, {self.cells} cells, {self.capacity_ah:g} Ah"
        for label, value in (("charge", self.charge_current_a), ("discharge", self.discharge_current_a)):
            if value is not None:
                name += f", {label} current {value:g} A"
        return name


def device_name(pattern: str, n: int, serial: str) -> str:
    return pattern.format(n=n, serial=serial)


def check_pattern(pattern: str) -> str | None:
    """Why a naming pattern cannot be used, or None."""
    if not pattern.strip():
        return "is empty"
    try:
        fields = [f for _text, f, _spec, _conv in string.Formatter().parse(pattern) if f is not None]
    except ValueError as exc:
        return f"{pattern!r}: {exc}"
    unknown = [f for f in fields if f not in PATTERN_FIELDS]
    if unknown or "" in fields:
        return f"{pattern!r} uses {{{(unknown or [''])[0]}}}: only {{n}} and {{serial}} are known"
    try:
        device_name(pattern, 1, "SERIAL")
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        return f"{pattern!r}: {exc}"
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise JobError(f"{path}: {exc.strerror or exc}") from None
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(raw.decode("utf-8"))
        else:
            data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise JobError(f"{path}: not a text file (UTF-8)") from None
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        kind = "JSON" if path.suffix.lower() == ".json" else "TOML"
        raise JobError(f"{path}: not valid {kind}: {exc}") from None
    if not isinstance(data, dict):
        raise JobError(f"{path}: a job is a table of keys, not {type(data).__name__}")
    return data


def _text(data: dict[str, Any], key: str, where: str, *, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise JobError(f"{where}{key} is missing")
        return None
    if not isinstance(value, str) or not value.strip():
        raise JobError(f"{where}{key} must be a text that is not empty")
    return value.strip()


def _number(data: dict[str, Any], key: str, where: str, *, lo: float, hi: float) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise JobError(f"{where}{key} must be a number, not {value!r}")
    if not lo <= value <= hi:
        raise JobError(f"{where}{key} must be {lo:g} to {hi:g}, not {value:g}")
    return float(value)


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    part = data.get(name, {})
    if not isinstance(part, dict):
        raise JobError(f"[{name}] must be a table")
    unknown = sorted(set(part) - _SECTIONS[name])
    if unknown:
        raise JobError(f"[{name}] has no key {unknown[0]!r}; known: {', '.join(sorted(_SECTIONS[name]))}")
    return part


def _profile(job: Job, part: dict[str, Any], folder: Path) -> None:
    where = "[profile] "
    preset, file = _text(part, "preset", where), _text(part, "file", where)
    if bool(preset) == bool(file):
        raise JobError("[profile] needs either preset (with cells and capacity_ah) or file")
    cells = part.get("cells")
    if cells is not None and (isinstance(cells, bool) or not isinstance(cells, int) or not 1 <= cells <= 48):
        raise JobError(f"[profile] cells must be a whole number 1 to 48, not {cells!r}")
    job.cells = cells
    job.capacity_ah = _number(part, "capacity_ah", where, lo=0.1, hi=10000)
    job.charge_current_a = _number(part, "charge_current_a", where, lo=0.1, hi=1000)
    job.discharge_current_a = _number(part, "discharge_current_a", where, lo=0.1, hi=1000)
    if file:
        job.profile_file = folder / file
        if not job.profile_file.is_file():
            raise JobError(f"[profile] file {file}: no such file")
        return
    assert preset is not None
    if job.cells is None or job.capacity_ah is None:
        raise JobError("[profile] preset needs cells and capacity_ah (the pack profile)")
    if preset.lower().endswith(".json"):
        path = folder / preset
        try:
            presets.load_preset(path)
        except (ValueError, OSError) as exc:
            raise JobError(f"[profile] preset {preset}: {exc}") from None
        job.preset = str(path)
        return
    try:
        job.preset = presets.normalise_chemistry(preset)
    except ValueError:
        raise JobError(
            f"[profile] unknown preset {preset!r}: choose lifepo4, li-ion, lto or a preset file (.json)"
        ) from None


def _password(job: Job, part: dict[str, Any]) -> None:
    where = "[board_password] "
    policy = _text(part, "policy", where) or "keep"
    if policy not in POLICIES:
        raise JobError(f"[board_password] policy must be keep, set or generate, not {policy!r}")
    job.password_policy = policy
    job.new_password = _text(part, "new", where)
    current = part.get("current")
    if isinstance(current, dict):
        bad = [k for k, v in current.items() if not isinstance(v, str) or not v.strip()]
        if bad:
            raise JobError(f"[board_password] current.{bad[0]} must be a text that is not empty")
        job.current_password = {str(k).lower(): v.strip() for k, v in current.items()}
    else:
        job.current_password = _text(part, "current", where)
    if policy == "set" and job.new_password is None:
        raise JobError('[board_password] policy = "set" needs new (the password every pack gets)')
    if policy != "set" and job.new_password is not None:
        raise JobError(f'[board_password] new is only for policy = "set", not {policy!r}')


def load(path: str | Path) -> Job:
    """The job file at ``path``, checked; JobError (one line) when it cannot be used."""
    path = Path(path)
    data = _read(path)
    unknown = sorted(set(data) - _TOP)
    if unknown:
        raise JobError(f"{path.name}: no key {unknown[0]!r}; known: {', '.join(sorted(_TOP))}")
    ref = _text(data, "job", "", required=True)
    operator = _text(data, "operator", "", required=True)
    assert ref is not None and operator is not None
    job = Job(ref=ref, operator=operator, path=path.resolve())
    if "profile" not in data:
        raise JobError("[profile] is missing: say what every pack must be (preset or file)")
    _profile(job, _section(data, "profile"), path.resolve().parent)
    naming = _section(data, "naming")
    job.pattern = _text(naming, "pattern", "[naming] ")
    if job.pattern is not None and (why := check_pattern(job.pattern)) is not None:
        raise JobError(f"[naming] pattern {why}")
    _password(job, _section(data, "board_password"))
    sealing = _section(data, "sealing")
    job.rest_s = _number(sealing, "rest_s", "[sealing] ", lo=0, hi=3600)
    accept = sealing.get("accept_warnings", False)
    if not isinstance(accept, bool):
        raise JobError(f"[sealing] accept_warnings must be true or false, not {accept!r}")
    job.accept_warnings = accept
    return job
