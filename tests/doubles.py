"""Test doubles of a connected board (a DeviceSession's face), whose every answer the test
chooses: for the write transaction (test_writer.py) and the Control actions
(test_control_actions.py), where a simulator cannot be made to fail at one exact step."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from app.model import Ack, DeviceInfo, Settings
from app.protocols import get_protocol

# a LiFePO4 16S board as presets.md's table sets it up (cell level)
BOARD = {
    "cell_ovp_v": 3.65,
    "soc_full_v": 3.60,
    "cell_ovp_recovery_v": 3.55,
    "balance_start_v": 3.40,
    "cell_uvp_recovery_v": 2.80,
    "soc_empty_v": 2.70,
    "cell_uvp_v": 2.50,
    "power_off_v": 2.40,
    "cell_count": 16,
    "capacity_nominal_ah": 100.0,
    "balance_max_current_a": 2.0,
    "charge_switch": True,
}


class Proto:
    """A real protocol (its schema and encoder) with some attributes replaced."""

    def __init__(self, name: str = "jk02_32s", **replaced) -> None:
        self._base = get_protocol(name)
        self.__dict__.update(replaced)

    def __getattr__(self, name):
        return getattr(self._base, name)


class Board:
    """A session double: a board that holds ``values`` and does with writes what the test says.

    ``write_mode``: the board stores only on leaving a write mode (JBD factory mode): writes
    land in ``values`` (what it reports now) and reach ``saved`` on a saving exit."""

    def __init__(self, values=None, *, write_mode=False, password="123456", **protocol) -> None:
        self.protocol = Proto(**protocol)
        self.values = dict(BOARD if values is None else values)
        self.saved = dict(self.values)
        self.password = password
        self.knows_password = True
        self.device_info = DeviceInfo(serial_number="SN-1", model="JK-B2A24S")
        self.url = SimpleNamespace(redacted="sim://double")
        self.last_snapshot = None
        self.has_write_mode = write_mode
        self.in_write_mode = False
        self.connected = True
        self.has_default_password = True
        self.log: list[tuple] = []
        # behaviour, per test
        self.ack = True  # the board acknowledges each write
        self.keeps: set[str] | None = None  # keys it stores (None: all)
        self.clamp: dict[str, object] = {}  # key -> what it stores instead
        self.drops_on_save: set[str] = set()  # keys it forgets when it saves
        self.close_error: Exception | None = None
        self.open_error: Exception | None = None
        self.write_error: dict[str, Exception] = {}
        self.refresh_errors: list[Exception] = []  # raised by the refreshes after the writes
        self.recovers = True

    # --- what the writer asks ---------------------------------------------------------
    def check_setup_password(self, password: str) -> bool:
        return password == self.password

    async def refresh_settings(self, keys=None) -> Settings:
        self.log.append(("refresh", tuple(keys) if keys else None))
        if self.refresh_errors and any(e[0] == "write" for e in self.log):
            raise self.refresh_errors.pop(0)
        return Settings(values=dict(self.values))

    async def open_write_mode(self, password=None, scope=None) -> None:
        self.log.append(("open", password, tuple(scope or ())))
        if self.open_error:
            raise self.open_error
        self.in_write_mode = self.has_write_mode

    async def close_write_mode(self, save: bool = True) -> None:
        self.log.append(("close", save))
        if self.close_error:
            raise self.close_error
        self._leave(save)

    def _leave(self, save: bool) -> None:
        if self.has_write_mode:
            if save:
                kept = {k: v for k, v in self.values.items() if k not in self.drops_on_save}
                self.saved.update(kept)
            self.values = dict(self.saved)
        self.in_write_mode = False

    async def write_setting(self, key, value):
        self.log.append(("write", key, value))
        if key in self.write_error:
            raise self.write_error[key]
        if self.keeps is None or key in self.keeps:
            self.values[key] = self.clamp.get(key, value)
            if not self.has_write_mode:
                self.saved[key] = self.values[key]
        return Ack(register=1, raw_value=0) if self.ack else None

    async def recover(self) -> bool:
        self.log.append(("recover",))
        if self.recovers:  # a new connection leaves the write mode without saving
            self._leave(False)
        return self.recovers

    # --- what the test asks -------------------------------------------------------------
    def writes(self) -> list[str]:
        return [e[1] for e in self.log if e[0] == "write"]


class Panel(Board):
    """A board for the Control actions: live snapshots queued by the test (``snapshots``;
    when they run out, ``next_snapshot`` times out, as a board that stopped streaming) and
    the commands' acknowledgements (``ack``)."""

    def __init__(self, values=None, *, snapshots=(), **protocol) -> None:
        protocol.setdefault("password_check", "local")
        super().__init__(values, **protocol)
        self.snapshots = list(snapshots)
        self.sent: list[tuple] = []
        self.script_result = True
        self.script_error: Exception | None = None
        self.action_errors: list[Exception] = []  # raised by the refreshes after an action

    async def next_snapshot(self, timeout=None):
        self.log.append(("snapshot",))
        if not self.snapshots:
            raise TimeoutError
        self.last_snapshot = self.snapshots.pop(0)
        return self.last_snapshot

    def begin_writing(self) -> None:
        self.log.append(("begin",))

    def end_writing(self) -> None:
        self.log.append(("end",))

    def _command(self, *what):
        self.sent.append(what)
        self.log.append(("command", *what))
        if isinstance(self.ack, Exception):
            raise self.ack
        return Ack(register=1, raw_value=0) if self.ack else None

    async def set_emergency(self, on):
        return self._command("emergency", on)

    async def calibrate(self, kind, measured):
        return self._command("calibrate", kind, measured)

    async def set_soc(self, pct):
        return self._command("soc", pct)

    async def set_clock(self, when):
        return self._command("clock", when)

    async def set_remaining_capacity(self, ah):
        return self._command("capacity", ah)

    async def run_action(self, name):
        return self._command("action", name)

    async def run_script(self, script):
        self.sent.append(("script", script))
        if self.script_error:
            raise self.script_error
        return self.script_result

    def remember_board_password(self, password) -> None:
        self.log.append(("remember", password))

    async def refresh_settings(self, keys=None):
        if self.action_errors and any(e[0] == "command" for e in self.log):
            self.log.append(("refresh", None))
            raise self.action_errors.pop(0)
        return await super().refresh_settings(keys)


def run(coro):
    return asyncio.run(coro)
