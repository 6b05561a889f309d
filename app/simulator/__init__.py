"""Virtual boards, one per family, for demo mode, tests and benchmarks."""

from __future__ import annotations

from typing import Any

from .jk import Faults, JkSimulator

SIMULATED_PROTOCOLS = ("jk02_24s", "jk02_32s", "jk04", "jk_4e57", "jk_pb", "jbd")
#: the board `packbench --demo` and the demo button connect to
DEMO_URL = "sim://jk02_32s?cells=16"


def create_simulator(protocol: str, **options: Any) -> JkSimulator:
    """A simulator for a protocol id, with URL-style options (cells, chemistry…)."""
    pid = protocol.strip().lower()
    if pid not in SIMULATED_PROTOCOLS:
        raise ValueError(
            f"no simulator for protocol {protocol!r}; available: {', '.join(SIMULATED_PROTOCOLS)}")
    kwargs: dict[str, Any] = {}
    if "cells" in options:
        kwargs["cells"] = int(options["cells"])
    if "chemistry" in options:
        kwargs["chemistry"] = str(options["chemistry"])
    if "capacity" in options:
        kwargs["capacity_ah"] = float(options["capacity"])
    if "seed" in options:
        kwargs["seed"] = int(options["seed"])
    if "interval" in options:
        kwargs["stream_interval_s"] = float(options["interval"])
    if "password" in options:
        kwargs["password"] = str(options["password"])
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
            faults.clamp[str(key)[6:]] = float(value)
    if "junk" in options:
        faults.junk = str(options["junk"]).lower() not in ("0", "false", "no")
    if "write_delay" in options:  # a slow board: seconds before it answers a write
        delay = float(options["write_delay"])
        if not 0 <= delay <= 60:
            raise ValueError(f"write_delay is seconds from 0 to 60, not {options['write_delay']!r}")
        faults.write_delay_s = delay
    if "chunk" in options:
        faults.chunk_sizes = tuple(int(x) for x in str(options["chunk"]).split(","))
    kwargs["faults"] = faults
    if pid == "jbd":  # JBD / LLT (jbd_daly.md §1–3)
        from .jbd import JbdSimulator

        if "junk" not in options:
            faults.junk = False  # JBD modules send no AT text
        kwargs.setdefault("cells", 13)
        kwargs.pop("stream_interval_s", None)
        if "password" in options and not str(options["password"]).strip():
            kwargs.pop("password")
        sim = JbdSimulator(module_password=options.get("module_password"),
                           param_mode=str(options.get("param_mode", "")).lower() in ("1", "yes", "true"),
                           **kwargs)
        if "current" in options:
            sim.constant_current_a = float(options["current"])
        if "current_error_pct" in options:
            sim.board.current_gain = 1 + float(options["current_error_pct"]) / 100
        return sim
    if pid in ("jk_4e57", "jk_pb"):  # the serial protocols (jk.md §7, §8)
        from .jk_serial import create_serial_simulator

        return create_serial_simulator(pid, options, **kwargs)
    sim = JkSimulator(variant=pid, **kwargs)
    if "voltage_error_pct" in options:
        sim.voltage_gain = 1 + float(options["voltage_error_pct"]) / 100
    if "current" in options:  # a steady charger (+) or load (-), in A
        sim.constant_current_a = float(options["current"])
    if "current_error_pct" in options:
        sim.current_gain = 1 + float(options["current_error_pct"]) / 100
    return sim


__all__ = ["DEMO_URL", "Faults", "JkSimulator", "SIMULATED_PROTOCOLS", "create_simulator"]
