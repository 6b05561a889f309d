"""Every interval and timeout Packbench waits on, in one place.

The defaults (``REAL``) are what real boards need: a JK board takes about a
second to acknowledge a write (jk.md §11), a JBD board is polled once a second,
a stream comes every 0.5–1 s.  Each one can still be passed explicitly where it
is used (``DeviceSession(ack_timeout_s=…)``, ``set_emergency(readback_s=…)``,
``JkSimulator(stream_interval_s=…)``); this module only supplies the default.

The test suite sets ``PACKBENCH_TEST_TIMING=1`` (tests/conftest.py), and every
default then comes from ``TEST`` instead: the same code paths, the same
simulators, only shorter waits.  It is read here and nowhere else, at the moment
an object is built, so a CLI run in a subprocess (which inherits the variable)
and one called in-process behave alike.  Timeouts that only expire on failure
stay a few hundred milliseconds, so a loaded machine does not fail a test by
chance; intervals that a test waits through (polls, streams, ticks) are short.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

#: the environment variable that selects ``TEST``; any value other than "" and "0" does
ENV = "PACKBENCH_TEST_TIMING"


@dataclass(frozen=True)
class Timing:
    # --- the session (session.py) ----------------------------------------------------------
    #: how long a request waits for its answer (device info, settings, logbook)
    request_timeout_s: float = 3.0
    #: how long the first live frame may take after the stream is started (at least)
    first_frame_s: float = 2.5
    #: silence that counts as a lost link
    silence_timeout_s: float = 5.0
    #: silence of the stream (not of the link) after which it is started again
    stream_kick_s: float = 3.0
    #: waits between reconnection attempts (the last one repeats)
    backoff_s: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0)
    #: the one bounded reconnection after a dropped link (recover(), close())
    recover_timeout_s: float = 5.0
    #: how often a polled board (JBD, JK-PB, JK 4E57) is asked for live data
    poll_s: float = 1.0
    #: how often the watchdog looks for silence
    watchdog_s: float = 0.25
    #: how long a write waits for the board's acknowledgement (jk.md §11: about 1 s)
    ack_timeout_s: float = 1.5
    #: how long after a reply a board may still send an acknowledgement nobody asked for
    #: (JK02's 0xC8 after device info and settings, jk.md §1.3): a write waits for it first
    trailing_ack_s: float = 0.3
    #: the gap between the frames that leave a write mode (JBD factory mode)
    undo_gap_s: float = 0.05
    #: factor on the timeouts of a protocol's scripted steps (protocols/base.py Step)
    step_timeout_scale: float = 1.0
    #: the scale shortens no step below this (nor one that is shorter already: a scooter
    #: BMS's 0.1 s, ant_xiaomi.md §4 item 8, stays 0.1 s)
    step_timeout_min_s: float = 0.0
    # --- the services (services/control.py) ------------------------------------------------
    #: live frames watched after starting/stopping emergency mode
    emergency_readback_s: float = 4.0
    #: the wait before asking again for settings after a restart or reset
    action_retry_s: float = 1.0
    #: how long the current must stay low before the cell spread is judged at rest
    #: (services/sealing.py RestedSpread; `commission --rest-s` overrides it)
    rest_s: float = 30.0
    # --- the simulators ----------------------------------------------------------------------
    #: a simulated streaming board's frame interval (?interval=S overrides it)
    stream_s: float = 0.5
    #: the simulator clock's tick (simulator/server.py, transports/sim.py)
    sim_tick_s: float = 0.05
    # --- the transports ------------------------------------------------------------------------
    #: the pause after closing a socket:// link before anything reconnects (pyserial's own)
    socket_close_grace_s: float = 0.3
    # --- the window -----------------------------------------------------------------------------
    #: how long the Connection page listens for Bluetooth boards
    scan_s: float = 5.0
    #: how often dialogs re-check their inputs (write dialogs, control wizard), in ms
    recheck_ms: int = 500
    #: how often the recording status line ticks, in ms
    recording_status_ms: int = 1000


REAL = Timing()

TEST = Timing(
    request_timeout_s=0.5,
    first_frame_s=0.5,
    silence_timeout_s=2.0,
    stream_kick_s=1.0,
    backoff_s=(0.05, 0.1, 0.2, 0.4),
    recover_timeout_s=2.0,
    poll_s=0.05,
    watchdog_s=0.02,
    ack_timeout_s=0.25,
    undo_gap_s=0.005,
    step_timeout_scale=0.35,
    step_timeout_min_s=0.1,
    emergency_readback_s=1.0,
    action_retry_s=0.05,
    rest_s=0.3,
    stream_s=0.05,
    sim_tick_s=0.02,
    socket_close_grace_s=0.0,
    scan_s=0.3,
    recheck_ms=50,
    recording_status_ms=50,
)


def current() -> Timing:
    """``REAL``, or ``TEST`` when PACKBENCH_TEST_TIMING is set (the test suite).

    The variable may also name values that differ from ``TEST`` for one run, e.g.
    ``PACKBENCH_TEST_TIMING="ack_timeout_s=1.5"`` (a test that needs a slow board's
    answer to count): comma-separated ``field=seconds``."""
    value = os.environ.get(ENV, "").strip()
    if value in ("", "0"):
        return REAL
    if "=" not in value:
        return TEST
    changes: dict[str, float] = {}
    for item in value.split(","):
        name, _, number = item.partition("=")
        name = name.strip()
        if name not in Timing.__dataclass_fields__ or name == "backoff_s":
            raise ValueError(f"{ENV}: no interval called {name!r}")
        changes[name] = float(number)
    return replace(TEST, **changes)
