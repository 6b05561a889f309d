"""What a fake Bluetooth board's radio and BlueZ can do wrong (issue 25), for fake_ble.

The failures are BlueZ's common ones (shared/stack.md §1, "Typical BlueZ errors"): a stale
connection another client left (``org.bluez.Error.InProgress``), ``le-connection-abort-by-local``
(radio trouble), a connect or a GATT call that never returns (a hung bluetoothd), and a services
cache that no longer matches the module after a firmware change.  The errors are raised as
bleak's BlueZ back-end raises them (``BleakDBusError`` with the D-Bus error name and its text).
A link that dies between two writes is the simulator's own ``fault=drop_link_mid_write``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from bleak.exc import BleakDBusError

#: D-Bus errors BlueZ answers a Connect() with, as bleak raises them
IN_PROGRESS = ("org.bluez.Error.InProgress", "Operation already in progress")
ABORT_BY_LOCAL = ("org.bluez.Error.Failed", "le-connection-abort-by-local")
#: the GATT table a stale services cache shows: Device Information only, no BMS service
STALE_GATT: tuple[str, tuple] = ("0000180a-0000-1000-8000-00805f9b34fb", ())


@dataclass
class BleFaults:
    """One fake board's injected failures; tests set them, the fake client obeys."""

    #: the next connect attempts fail with these (D-Bus name, text), one each, in order
    connect_errors: list[tuple[str, str]] = field(default_factory=list)
    #: connect attempts from now on never return (BlueZ hangs)
    hang_connect: bool = False
    #: GATT writes from now on never return
    hang_writes: bool = False
    #: a connection that may use the services cache gets the module's old GATT table
    #: (the service list before a firmware update): no BMS service on it
    stale_services_cache: bool = False
    #: connect attempts seen (whatever became of them)
    connect_attempts: int = 0

    async def on_connect(self) -> None:
        """Called first by each connect attempt: fail or hang as injected."""
        self.connect_attempts += 1
        if self.hang_connect:
            await asyncio.Event().wait()  # never set: the call does not come back
        if self.connect_errors:
            name, text = self.connect_errors.pop(0)
            raise BleakDBusError(name, [text])

    async def on_write(self) -> None:
        if self.hang_writes:
            await asyncio.Event().wait()

    def stale_layout(self, use_cache: bool) -> bool:
        """Whether this connection sees the stale GATT table."""
        return use_cache and self.stale_services_cache
