"""A bleak backend that talks to a simulated board instead of a radio.

``BleakClient(device, backend=FakeClient)`` and ``BleakScanner(backend=
FakeScanner)`` are public bleak APIs, so tests exercise the real bleak front
end (UUID resolution, ``response=`` handling, services) and our BleTransport
unchanged (stack.md §3).  The GATT layout copies the newer JK module: service
FFE0 with *two* FFE1 characteristics, handle 3 for writes and handle 5 for
notifications (jk.md §1.1).  Output arrives as 20-byte notifications with the
module's ``AT\\r\\n`` junk, exactly as the simulator cuts it.
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable
from urllib.parse import parse_qsl

from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient
from bleak.backends.scanner import AdvertisementData, BaseBleakScanner
from bleak.backends.service import BleakGATTService, BleakGATTServiceCollection
from bleak.exc import BleakError

from ..timing import current as current_timing
from .jk import JkSimulator

SERVICE = "0000ffe0-0000-1000-8000-00805f9b34fb"
FFE1 = "0000ffe1-0000-1000-8000-00805f9b34fb"


def _uuid(short: str) -> str:
    return f"0000{short}-0000-1000-8000-00805f9b34fb"


#: GATT layouts: service, then (handle, uuid, properties) per characteristic
JK_GATT = (SERVICE, ((3, FFE1, ("write", "write-without-response")), (5, FFE1, ("notify",))))
#: JBD modules (jbd_daly.md §1.2): FF01 notify ≈ handle 0x11, FF02 write ≈ 0x15
JBD_GATT = (_uuid("ff00"), ((0x11, _uuid("ff01"), ("notify",)),
                            (0x15, _uuid("ff02"), ("write", "write-without-response"))))
#: the DH04-style layout some JBD modules use instead
JBD_ALT_GATT = (_uuid("fff0"), ((0x11, _uuid("fff1"), ("notify",)),
                                (0x15, _uuid("fff2"), ("write", "write-without-response"))))
MTU = 23


class FakeBoard:
    """One simulated board on the air: address, name, signal and its simulator."""

    def __init__(self, sim: JkSimulator, address: str = "C8:47:8C:00:00:01",
                 name: str = "JK-SIM", rssi: int = -58, gatt: tuple = JK_GATT) -> None:
        self.sim = sim
        self.gatt = gatt
        if hasattr(sim, "mac"):
            sim.mac = address  # boards that encrypt a login with their own address
        self.address = address
        self.name = name
        self.rssi = rssi
        self.connected = False  # a JK board accepts one connection at a time
        self.refuse_write_without_response = False  # a module that misreports its properties
        self.client: Any = None  # the fake client connected now

    def advertisement(self) -> AdvertisementData:
        mac = bytes(int(x, 16) for x in self.address.split(":"))
        maker = {0x0B65: b"\x88\xa0" + mac} if self.gatt is JK_GATT else {}
        return AdvertisementData(local_name=self.name, manufacturer_data=maker,
                                 service_data={}, service_uuids=[self.gatt[0]], tx_power=None,
                                 rssi=self.rssi, platform_data=())

    def drop(self) -> None:
        """The radio link dies (out of range, board reset)."""
        if self.client is not None:
            self.client.lose_link()


def make_backends(boards: list[FakeBoard]) -> tuple[type, type]:
    by_address = {b.address.upper(): b for b in boards}

    class FakeScanner(BaseBleakScanner):
        def __init__(self, detection_callback: Any = None, service_uuids: Any = None,
                     scanning_mode: str = "active", **kwargs: Any) -> None:
            super().__init__(detection_callback, service_uuids)

        _task: asyncio.Task | None = None

        def _advertise(self) -> None:
            for board in boards:
                adv = board.advertisement()
                if not self.is_allowed_uuid(adv.service_uuids):
                    continue
                device = self.create_or_update_device(board.address, board.address, board.name,
                                                      {"path": ""}, adv)
                self.call_detection_callbacks(device, adv)

        async def _run(self) -> None:
            while True:  # boards advertise several times a second
                self._advertise()
                await asyncio.sleep(0.1)

        async def start(self) -> None:
            self.seen_devices = {}
            self._task = asyncio.get_running_loop().create_task(self._run())

        async def stop(self) -> None:
            if self._task is not None:
                self._task.cancel()
                self._task = None

    class FakeClient(BaseBleakClient):
        def __init__(self, address_or_ble_device: Any, services: Any = None, **kwargs: Any) -> None:
            super().__init__(address_or_ble_device, **{k: v for k, v in kwargs.items()
                                                       if k in ("disconnected_callback", "timeout")})
            address = getattr(address_or_ble_device, "address", address_or_ble_device)
            self.board = by_address.get(str(address).upper())
            self._connected = False
            self._notify: Callable[[bytearray], None] | None = None
            self._ticker: asyncio.Task | None = None

        @property
        def mtu_size(self) -> int:
            return MTU

        @property
        def name(self) -> str:
            return self.board.name if self.board else ""

        @property
        def is_connected(self) -> bool:
            return self._connected

        async def connect(self, pair: bool = False, **kwargs: Any) -> None:
            await asyncio.sleep(0.01)
            if self.board is None:
                raise BleakError(f"Device with address {self.address} was not found.")
            if self.board.connected:
                raise BleakError("le-connection-abort-by-local")  # busy: the phone app holds it
            self.board.connected = True
            self.board.client = self
            self._connected = True
            service_uuid, chars = self.board.gatt
            svc = BleakGATTService(None, 1, service_uuid)
            col = BleakGATTServiceCollection()
            col.add_service(svc)
            size = lambda: MTU - 3  # noqa: E731
            for handle, uuid, props in chars:
                col.add_characteristic(BleakGATTCharacteristic(None, handle, uuid, list(props),
                                                               size, svc))
            self.services = col
            self._ticker = asyncio.get_running_loop().create_task(self._tick())

        def _push(self, chunks: list[bytes]) -> None:
            if self._notify is None:
                return
            for chunk in chunks:
                for i in range(0, len(chunk), MTU - 3):  # never more than MTU-3 per notification
                    self._notify(bytearray(chunk[i:i + MTU - 3]))

        async def _tick(self) -> None:
            loop = asyncio.get_running_loop()
            last = loop.time()
            tick_s = current_timing().sim_tick_s  # the simulator clock (app/timing.py)
            while self._connected:
                await asyncio.sleep(tick_s)
                now = loop.time()
                self._push(self.board.sim.step(now - last))
                last = now

        def _release(self) -> None:
            self._connected = False
            if self.board is not None and self.board.client is self:
                self.board.connected = False
                self.board.client = None
            if self._ticker is not None:
                self._ticker.cancel()

        def lose_link(self) -> None:
            self._release()
            if self._disconnected_callback is not None:
                self._disconnected_callback()

        async def disconnect(self) -> None:
            self._release()

        async def pair(self, *args: Any, **kwargs: Any) -> None:
            pass

        async def unpair(self) -> None:
            pass

        async def read_gatt_char(self, characteristic: Any, **kwargs: Any) -> bytearray:
            return bytearray()

        async def read_gatt_descriptor(self, descriptor: Any, **kwargs: Any) -> bytearray:
            return bytearray()

        async def write_gatt_descriptor(self, descriptor: Any, data: Any) -> None:
            pass

        async def write_gatt_char(self, characteristic: Any, data: Any, response: bool) -> None:
            if not self._connected:
                raise BleakError("Not connected")
            writable = [h for h, _u, props in self.board.gatt[1] if "write" in props]
            if characteristic.handle not in writable:
                raise BleakError("write to a notify-only characteristic")
            if not response and self.board.refuse_write_without_response:
                raise BleakError("write without response not permitted")
            chunks = self.board.sim.receive(bytes(data))
            asyncio.get_running_loop().call_later(0.002, self._push, chunks)

        async def start_notify(self, characteristic: Any, callback: Callable[[bytearray], None],
                               **kwargs: Any) -> None:
            if "notify" not in characteristic.properties:
                raise BleakError("characteristic does not notify")
            self._notify = callback

        async def stop_notify(self, characteristic: Any) -> None:
            self._notify = None

    return FakeClient, FakeScanner


_BY_SPEC: dict[str, tuple[type, type]] = {}


def backends_for_spec(spec: str) -> tuple[type, type]:
    """Backends with one board for ``PACKBENCH_FAKE_BLE`` (``jk02_32s?cells=16&address=…``).

    The same spec gives the same board for the life of the process, like a real one.
    """
    if spec not in _BY_SPEC:
        from . import create_simulator

        name, _, query = spec.partition("?")
        opts = dict(parse_qsl(query))
        address = opts.pop("address", "C8:47:8C:00:00:01")
        layout = opts.pop("layout", "")
        gatt = JK_GATT
        if name.startswith("jbd"):
            gatt = JBD_ALT_GATT if layout == "fff0" else JBD_GATT
        board = FakeBoard(create_simulator(name, **opts), address=address,
                          name=opts.pop("name", "JBD-SIM" if gatt is not JK_GATT else "JK-SIM"),
                          gatt=gatt)
        _BY_SPEC[spec] = make_backends([board])
    return _BY_SPEC[spec]
