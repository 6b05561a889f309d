"""services/control.py paths that test_control_actions.py leaves open, found by mutation
testing (``make mutate MODULE=app/services/control.py``, issue 24): where a switch's backup
goes and how it is recorded, the emergency countdown read from the snapshot, the signs and
edges of the calibration's plausibility rules, and the read-back windows (never waiting
beyond them, nothing read in an empty one).

Expected values come from the module's documented rules (the 1 A minimum current, the
direction rule, a current shown with its sign) and jk.md (§2.1: the emergency countdown of
the live frame), never from running the code under test.
"""

from __future__ import annotations

from types import SimpleNamespace as Snap

import pytest
from doubles import Panel, run

from app.model import Snapshot
from app.protocols import get_protocol
from app.services import control, packlog
from app.services.registry import Registry
from app.services.writer import PasswordGate

PW = "123456"


def gate() -> PasswordGate:
    return PasswordGate(clock=lambda: 0.0)


def test_a_switch_is_backed_up_where_asked_and_recorded_as_a_switch(tmp_path, monkeypatch):
    path = tmp_path / "packs.sqlite3"
    monkeypatch.setenv(packlog.ENV, str(path))
    packlog.reset()
    try:
        panel = Panel()
        panel.settings = None  # packlog asks the session for the settings it read last
        report = run(
            control.set_switch(
                panel, "charge_switch", False, password=PW, gate=gate(), backup_dir=tmp_path / "b"
            )
        )
        assert report.ok and report.backup.parent == tmp_path / "b" / "SN-1"
        with Registry(path) as reg:
            (pack,) = reg.find("SN-1")
            kinds = [e["kind"] for e in reg.timeline(pack["id"])]
        assert "switch" in kinds and "write" not in kinds
    finally:
        packlog.reset()


def test_the_emergency_countdown_comes_from_the_live_snapshot():
    """jk.md §2.1: the JK02_32S live frame carries the emergency countdown (byte 218)."""
    snap = Snapshot(cell_voltages_v=[3.3] * 4)
    snap.extra["jk_emergency_remaining_s"] = 42
    assert control.emergency_remaining(get_protocol("jk02_32s"), snap) == 42
    assert control.emergency_remaining(get_protocol("jk02_32s"), None) is None
    assert control.emergency_remaining(None, snap) == 0


def test_zeroing_with_a_charging_current_shows_its_sign():
    """A current is shown with its sign (+ charging), as the live page shows it."""
    assert control.implausible("current_zero", 2.5, 0) == (
        "the board reads +2.5 A: that is a current flowing, not an offset. Switch every charger "
        "and load off (or open the main switch) and try again"
    )


def test_a_voltage_below_one_volt_is_a_reading_far_off_not_a_missing_one():
    """Only zero or less means "no value entered"; 0.5 V is a value, 5 % rule applies."""
    assert control.implausible("voltage", 52.0, 0.5).startswith("the meter's 0.500 V is more than 5 % away")


def test_exactly_1_a_both_ways_is_enough_and_the_same_direction():
    """At least 1 A must flow: 1.0 A on the board and the meter is enough, and both are
    charging (positive), so they agree on the direction."""
    assert control.implausible("current", 1.0, 1.0) is None
    assert control.implausible("current", 10.0, -10.0) == (
        "the meter and the board disagree on the direction: enter charging current as "
        "positive and discharging current as negative"
    )


def test_a_soc_read_back_that_shows_nothing_says_so():
    panel = Panel(snapshots=[], has_soc=True)
    panel.last_snapshot = Snap(soc_pct=37.0)
    result = run(control.set_soc(panel, 80, password=PW, gate=gate(), readback_s=1.0))
    assert result.message == "the board acknowledged but reports nothing, not the 80 % sent"


class Timed(Panel):
    """A panel that records how long each wait for a snapshot may last."""

    def __init__(self, *a, **kw) -> None:
        super().__init__(*a, **kw)
        self.timeouts: list = []

    async def next_snapshot(self, timeout=None):
        self.timeouts.append(timeout)
        return await super().next_snapshot(timeout)


@pytest.mark.parametrize("window", [0.5, 0.0])
def test_the_soc_read_back_waits_within_its_window(window):
    """readback_s bounds the read-back: each wait at most the time left, at least 0.1 s
    while time is left; a window of 0 s reads nothing."""
    panel = Timed(snapshots=[Snap(soc_pct=80.0)], has_soc=True)
    panel.last_snapshot = Snap(soc_pct=37.0)
    result = run(control.set_soc(panel, 80, password=PW, gate=gate(), readback_s=window))
    if window:
        assert result.ok and len(panel.timeouts) == 1
        assert 0.1 <= panel.timeouts[0] <= window
    else:
        assert panel.timeouts == [] and result.after_pct is None and not result.ok


def test_a_calibration_reading_waits_at_most_its_timeout():
    panel = Timed(snapshots=[Snap(pack_voltage_v=52.0)] * 3)
    assert run(control.average_reading(panel, "voltage", timeout_s=2.0)) == 52.0
    assert panel.timeouts == [2.0, 2.0, 2.0]
