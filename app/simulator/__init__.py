"""Virtual boards, one per family, for demo mode, tests and benchmarks."""

from __future__ import annotations

from typing import Any

from . import options as opt
from .jk import Faults, JkSimulator

SIMULATED_PROTOCOLS = ("jk02_24s", "jk02_32s", "jk04", "jk_4e57", "jk_pb", "jbd")
#: the board `packbench --demo` and the demo button connect to
DEMO_URL = "sim://jk02_32s?cells=16"
#: the largest pack and current a simulator takes (a big home-storage bank is ~1000 Ah;
#: the boards' registers hold far more, so these are sanity limits, not protocol ones)
MAX_CAPACITY_AH = 10_000.0
MAX_CURRENT_A = 2_000.0


def create_simulator(protocol: str, /, **options: Any) -> JkSimulator:
    """A simulator for a protocol id, with URL-style options (cells, chemistry…).

    ``protocol`` among the options (``sim://jk02_32s?protocol=jk02_24s``, or
    ``--protocol``) is the protocol the session speaks, not the board's: ignored here.

    A value that makes no sense (``cells=abc``, ``chunk=0``, ``capacity=nan``) raises
    ValueError with a plain message naming the option (options.py).
    """
    pid = protocol.strip().lower()
    if pid not in SIMULATED_PROTOCOLS:
        raise ValueError(
            f"no simulator for protocol {protocol!r}; available: {', '.join(SIMULATED_PROTOCOLS)}")
    kwargs: dict[str, Any] = {}
    if "cells" in options:
        kwargs["cells"] = opt.whole(options, "cells")  # each board checks its own range
    if "chemistry" in options:
        kwargs["chemistry"] = str(options["chemistry"])
    if "capacity" in options:
        kwargs["capacity_ah"] = opt.number(options, "capacity", hi=MAX_CAPACITY_AH, above=0)
    if "seed" in options:
        kwargs["seed"] = opt.whole(options, "seed")
    if "interval" in options:
        kwargs["stream_interval_s"] = opt.number(options, "interval", hi=3600, above=0)
    if "password" in options:  # device-info bytes 118..133, NUL-ended: 15 ASCII characters (jk.md §6)
        kwargs["password"] = opt.ascii_text(options, "password", 15)
    faults = Faults()
    # misbehaviour on demand (sim://…?fault=ack_without_store, clamp_cell_ovp_v=3.6 …)
    for fault in str(options.get("fault", "")).split(","):
        fault = fault.strip()
        if fault == "ack_without_store":
            faults.ack_without_store = True
        elif fault == "refuse_writes":
            faults.drop_writes = True
        elif fault == "require_password":
            faults.require_password = True
        elif fault == "drop_link_mid_write":
            faults.drop_link_after_writes = 2
        elif fault:
            raise ValueError(f"unknown simulator fault {fault!r}")
    for key, value in options.items():
        if str(key).startswith("clamp_"):
            faults.clamp[str(key)[6:]] = opt.number(options, key)
    if "junk" in options:
        faults.junk = opt.switch(options, "junk")
    if "write_delay" in options:  # a slow board: seconds before it answers a write
        faults.write_delay_s = opt.number(options, "write_delay", 0, 60)
    if "chunk" in options:  # notification sizes in bytes (a BLE notification is at most 512)
        faults.chunk_sizes = opt.whole_list(options, "chunk", 1, 4096)
    kwargs["faults"] = faults
    if pid == "jbd":  # JBD / LLT (jbd_daly.md §1–3)
        from .jbd import JbdSimulator

        if "junk" not in options:
            faults.junk = False  # JBD modules send no AT text
        kwargs.setdefault("cells", 13)
        kwargs.pop("stream_interval_s", None)
        if "password" in options and not str(options["password"]).strip():
            kwargs.pop("password")
        elif "password" in options and not (len(kwargs["password"]) == 6 and kwargs["password"].isdigit()):
            raise ValueError(f"password={options['password']!r}: a JBD board password is six digits")
        if "module_password" in options:
            opt.ascii_text(options, "module_password", 16)
        sim = JbdSimulator(module_password=options.get("module_password"),
                           param_mode=opt.switch(options, "param_mode"),
                           **kwargs)
        if "current" in options:
            sim.constant_current_a = _current(options)
        if "current_error_pct" in options:
            sim.board.current_gain = _gain(options, "current_error_pct")
        return sim
    if pid in ("jk_4e57", "jk_pb"):  # the serial protocols (jk.md §7, §8)
        from .jk_serial import create_serial_simulator

        return create_serial_simulator(pid, options, **kwargs)
    sim = JkSimulator(variant=pid, **kwargs)
    if "voltage_error_pct" in options:
        sim.voltage_gain = _gain(options, "voltage_error_pct")
    if "current" in options:  # a steady charger (+) or load (-), in A
        sim.constant_current_a = _current(options)
    if "current_error_pct" in options:
        sim.current_gain = _gain(options, "current_error_pct")
    return sim


def _current(options: dict[str, Any]) -> float:
    return opt.number(options, "current", -MAX_CURRENT_A, MAX_CURRENT_A)


def _gain(options: dict[str, Any], key: str) -> float:
    """A board that measures ``key``% off (voltage_error_pct=2: reads 2 % high)."""
    return 1 + opt.number(options, key, -50, 50) / 100


__all__ = ["DEMO_URL", "Faults", "JkSimulator", "SIMULATED_PROTOCOLS", "create_simulator"]
