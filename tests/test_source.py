"""One interface for a live board and a log replay (app/source.py): both are a Source, and
``can_write`` tells them apart, so the pages never ask which class the bridge holds."""

from __future__ import annotations

import pytest

from app.model import Snapshot
from app.replay import LogReplaySource, ReplayProtocol
from app.session import DeviceSession, State
from app.source import Source


class Recording:
    """A source that is neither a DeviceSession nor a LogReplaySource: a recording shown."""

    can_write = False
    state = State.LIVE
    device_info = None
    settings = None
    description = "a recording"

    def __init__(self) -> None:
        self.protocol = ReplayProtocol("jk02_32s")
        self.last_snapshot = Snapshot(
            cell_voltages_v=[3.30, 3.31, 3.30, 3.30], charge_mos_on=True, discharge_mos_on=True
        ).derive()

    def subscribe(self, listener):
        return lambda: None

    async def connect(self) -> None:
        pass

    async def close(self) -> None:
        pass


def test_a_board_and_a_replay_are_both_sources():
    session = DeviceSession("sim://jk02_32s?cells=16")  # not connected: no I/O
    assert isinstance(session, Source) and session.can_write is True
    assert LogReplaySource.can_write is False
    for name in ("subscribe", "connect", "close", "protocol", "description"):
        assert hasattr(LogReplaySource, name), name
    assert isinstance(Recording(), Source)


@pytest.mark.gui
def test_the_control_tab_offers_nothing_for_a_source_that_cannot_write(qtbot, qloop):
    pytest.importorskip("pytestqt")
    from boards import run_on_loop

    from app.ui.bridge import SessionBridge
    from app.ui.control import ControlPage

    bridge = SessionBridge()
    page = ControlPage(bridge)
    qtbot.addWidget(page)
    run_on_loop(qtbot, bridge.attach_source(Recording()))
    assert not page.live
    assert page.offline_note.isVisibleTo(page) and "Replaying a log" in page.offline_note.text()
    buttons = [*page.switch_buttons.values(), *page.action_buttons.values(), page.voltage_button]
    assert not any(b.isEnabled() for b in buttons)
    assert page.open_wizard("voltage") is None and page.open_board_preset("preset_lifepo4") is None
    # the checks read the recording's snapshot
    assert page.check_rows["fets"].state is True
    # nothing is asked of a recording
    assert run_on_loop(qtbot, bridge.refresh_settings()) is None
    run_on_loop(qtbot, bridge.read_error_counts())
    run_on_loop(qtbot, bridge.disconnect_device())
