"""Virtual boards, one per family, for demo mode, tests and benchmarks.

Each family's simulator module (``app/simulator/<family>*.py``, named after a
family of the protocol registry) declares which protocol ids it simulates and a
factory:

    SIMULATES = ("jbd",)
    def create(protocol: str, options: Mapping[str, Any], common: dict[str, Any]) -> Any

``common`` holds the options every simulator takes, already read strictly
(``options.common``); ``options`` the URL's options as given, for the family's
own (``module_password``, ``asleep`` …).  This package finds those modules
itself (``pkgutil``): adding a family edits nothing here.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any

from ..protocols.family import default_protocol, families
from . import options as opt
from .options import MAX_CAPACITY_AH, MAX_CURRENT_A

#: the board `packbench --demo` and the demo button connect to
DEMO_URL = f"sim://{default_protocol()}?cells=16"

_FACTORIES: dict[str, ModuleType] = {}


def _discover() -> dict[str, ModuleType]:
    """protocol id -> the simulator module that simulates it, found once."""
    if not _FACTORIES:
        ids = [f.id for f in families()]
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
            if not any(info.name == fid or info.name.startswith(fid + "_") for fid in ids):
                continue  # a shared module (options, server, fake_ble …), not a family's
            module = importlib.import_module(f"{__name__}.{info.name}")
            for pid in getattr(module, "SIMULATES", ()):
                if callable(getattr(module, "create", None)):
                    _FACTORIES.setdefault(pid, module)
    return _FACTORIES


def simulated_protocols() -> tuple[str, ...]:
    """Every protocol id a simulator exists for, in the registry's order of families."""
    found = _discover()
    order = [pid for f in families() for pid in f.protocol_ids]
    return tuple(sorted(found, key=lambda pid: (order.index(pid) if pid in order else len(order), pid)))


def __getattr__(name: str) -> Any:
    if name == "SIMULATED_PROTOCOLS":  # found on first use, not on import
        return simulated_protocols()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def defaults_for(protocol: str) -> dict[str, Any] | None:
    """The options a protocol's simulator module wants when nobody gives any
    (``DEFAULTS`` in the module: a scooter pack is 10 cells of 7.8 Ah, not the
    16 × 100 Ah of a home battery); None when the module declares none."""
    module = _discover().get(protocol.strip().lower())
    defaults = getattr(module, "DEFAULTS", None) if module is not None else None
    return dict(defaults) if isinstance(defaults, dict) else None


def create_simulator(protocol: str, /, **options: Any) -> Any:
    """A simulator for a protocol id, with URL-style options (cells, chemistry…).

    ``protocol`` among the options (``sim://jk02_32s?protocol=jk02_24s``, or
    ``--protocol``) is the protocol the session speaks, not the board's: ignored here.

    A value that makes no sense (``cells=abc``, ``chunk=0``, ``capacity=nan``) raises
    ValueError with a plain message naming the option (options.py).
    """
    pid = protocol.strip().lower()
    module = _discover().get(pid)
    if module is None:
        raise ValueError(
            f"no simulator for protocol {protocol!r}; available: {', '.join(simulated_protocols())}"
        )
    sim = module.create(pid, options, opt.common(options))
    sim.protocol_id = pid  # which family's BLE layout the fake backend gives it
    return sim


__all__ = [
    "DEMO_URL",
    "MAX_CAPACITY_AH",
    "MAX_CURRENT_A",
    "SIMULATED_PROTOCOLS",
    "create_simulator",
    "defaults_for",
    "simulated_protocols",
]
