"""app/timing.py: every interval Packbench waits on, in one place (issue 13, "Test suite speed").

Real boards keep the waits they had before the intervals became injectable (the values
below are those of commit 644fba3; the ack timeout is jk.md §11's "about 1 s" with room);
the test suite (PACKBENCH_TEST_TIMING, set by tests/conftest.py) runs the same code on
shorter ones, and any one value can still be passed explicitly.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

import pytest

from app import timing
from app.session import DeviceSession
from app.simulator import create_simulator
from app.simulator.server import ServerThread
from app.timing import REAL, TEST, current
from app.transports.serial import SerialTransport


def test_real_boards_keep_the_waits_they_had(real_timing) -> None:
    assert current() is REAL
    s = DeviceSession("sim://jk02_32s?cells=8")
    assert (
        s.request_timeout_s,
        s.ack_timeout_s,
        s.silence_timeout_s,
        s.stream_kick_s,
        s.recover_timeout_s,
    ) == (3.0, 1.5, 5.0, 3.0, 5.0)
    assert s.backoff_s == (1.0, 2.0, 4.0, 8.0)
    t = s.timing
    assert (t.poll_s, t.watchdog_s, t.undo_gap_s, t.first_frame_s, t.step_timeout_scale) == (
        1.0,
        0.25,
        0.05,
        2.5,
        1.0,
    )
    assert (t.emergency_readback_s, t.action_retry_s) == (4.0, 1.0)
    assert create_simulator("jk02_32s", cells=8).stream_interval_s == 0.5  # a real board's pace
    assert ServerThread(create_simulator("jk02_32s", cells=8)).server.tick_s == 0.05
    # pyserial 3.5's socket:// close() pauses 0.3 s "in case of quick reconnects"
    assert SerialTransport("socket://127.0.0.1:9").socket_close_grace_s == 0.3
    assert (t.scan_s, t.recheck_ms, t.recording_status_ms) == (5.0, 500, 1000)


def test_the_suite_runs_on_the_short_waits() -> None:
    assert current() is TEST  # tests/conftest.py
    s = DeviceSession("sim://jk02_32s?cells=8")
    assert s.timing is TEST and s.ack_timeout_s == TEST.ack_timeout_s < REAL.ack_timeout_s
    assert create_simulator("jk02_32s", cells=8).stream_interval_s == TEST.stream_s
    for name in ("poll_s", "stream_s", "ack_timeout_s", "request_timeout_s", "socket_close_grace_s"):
        assert getattr(TEST, name) < getattr(REAL, name), name


def test_explicit_values_win_over_the_profile() -> None:
    s = DeviceSession(
        "sim://jk02_32s?cells=8", ack_timeout_s=2.0, request_timeout_s=0.7, backoff_s=(0.3,), timing=REAL
    )
    assert (s.ack_timeout_s, s.request_timeout_s, s.backoff_s) == (2.0, 0.7, (0.3,))
    assert s.silence_timeout_s == REAL.silence_timeout_s and s.timing is REAL
    assert create_simulator("jk02_32s", cells=8, interval="0.2").stream_interval_s == 0.2


@pytest.mark.parametrize(
    "value,expected",
    [
        ("", REAL),
        ("0", REAL),
        (" 0 ", REAL),
        ("1", TEST),
        ("yes", TEST),
        ("ack_timeout_s=1.5", replace(TEST, ack_timeout_s=1.5)),
        ("ack_timeout_s=1.5, poll_s=0.2", replace(TEST, ack_timeout_s=1.5, poll_s=0.2)),
    ],
)
def test_the_environment_variable_selects_the_profile(monkeypatch, value, expected) -> None:
    monkeypatch.setenv(timing.ENV, value)
    assert current() == expected


@pytest.mark.parametrize("value", ["ack_timeout=1", "backoff_s=1", "poll_s=fast"])
def test_an_override_that_names_no_interval_is_refused(monkeypatch, value) -> None:
    monkeypatch.setenv(timing.ENV, value)
    with pytest.raises(ValueError):
        current()


def _polls_in(poll_s: float, seconds: float) -> int:
    """Live snapshots a polled board (JBD, in-process) gives a session in ``seconds``."""

    async def main() -> int:
        s = DeviceSession("sim://jbd?cells=4", timing=replace(TEST, poll_s=poll_s))
        await s.connect()
        try:
            start = s.snapshots_received
            await asyncio.sleep(seconds)
            return s.snapshots_received - start
        finally:
            await s.close()

    return asyncio.run(asyncio.wait_for(main(), 20))


def test_a_polled_board_is_asked_at_the_sessions_interval() -> None:
    # before: a hard-coded sleep(1.0) between polls, whatever the session was given
    assert _polls_in(0.02, 0.4) >= 5
    assert _polls_in(0.5, 0.4) <= 1


def test_scripted_steps_wait_the_protocols_timeout_times_the_scale() -> None:
    """A JBD settings read probes the parameter mode the simulated board does not answer
    (a 0.6 s step, protocols/jbd): the session waits that step's timeout times its scale."""

    async def read_settings(scale: float) -> float:
        s = DeviceSession(
            "sim://jbd?cells=4", reconnect=False, timing=replace(TEST, step_timeout_scale=scale)
        )
        await s.connect()
        try:
            t0 = time.monotonic()
            await s.refresh_settings()
            return time.monotonic() - t0
        finally:
            await s.close()

    assert asyncio.run(read_settings(1.0)) >= 0.6
    assert asyncio.run(read_settings(0.1)) < 0.5


def test_the_scale_does_not_shorten_a_short_step_further() -> None:
    """A scooter BMS answers within 50-100 ms and is given 0.1 s per try (ant_xiaomi.md §4
    item 8, protocols/xiaomi): the test profile's scale shortens the long steps (JBD's
    1.5 s) but leaves a step that short as it is, so a loaded machine does not miss it."""
    from app.protocols.base import Step

    s = DeviceSession("sim://m365?cells=10")
    assert s.timing is TEST
    short, long = Step(b"", bool, timeout_s=0.1), Step(b"", bool, timeout_s=1.5)
    assert s.step_timeout(short) == pytest.approx(0.1)
    assert s.step_timeout(long) == pytest.approx(1.5 * TEST.step_timeout_scale)
    real = DeviceSession("sim://m365?cells=10", timing=REAL)
    assert (real.step_timeout(short), real.step_timeout(long)) == (0.1, 1.5)
