"""A bleak backend that talks to a simulated board instead of a radio.

``BleakClient(device, backend=FakeClient)`` and ``BleakScanner(backend=
FakeScanner)`` are public bleak APIs, so tests exercise the real bleak front
end (UUID resolution, ``response=`` handling, services) and our BleTransport
unchanged (stack.md §3).  The GATT layout, advertised name and manufacturer
data are the simulated protocol's family's (``Family.ble``, e.g. the newer JK
module: service FFE0 with *two* FFE1 characteristics, handle 3 for writes and
handle 5 for notifications; or the older one, ``gatt=single``: one FFE1 that
writes and notifies, jk.md §1.1), and so is the advertised address's prefix
(20:21:11 the newer JK module, C8:47:8C the older).  Output arrives as 20-byte
notifications with the module's ``AT\\r\\n`` junk, exactly as the simulator
cuts it.

Independent clients run on it unchanged too: with bleak's own ``BleakClient``
resolving its backend to ``FakeClient`` (``patch_default_backend``), aiobmsble's
plugins read the simulated boards (tests/test_family_contract.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl

from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient
from bleak.backends.scanner import AdvertisementData, BaseBleakScanner
from bleak.backends.service import BleakGATTService, BleakGATTServiceCollection
from bleak.exc import BleakError

from ..protocols.family import Ble, GattLayout, default_protocol, family_of
from ..timing import current as current_timing
from .fake_ble_faults import STALE_GATT, BleFaults

MTU = 23
#: the address a board gets when its layout names no prefix
DEFAULT_ADDRESS = "C8:47:8C:00:00:01"


def _ble_of(sim: Any) -> Ble:
    """The BLE description of the family of the protocol ``sim`` simulates (the default
    protocol's family for a simulator that does not say)."""
    pid = getattr(sim, "protocol_id", None) or default_protocol()
    family = family_of(pid) or family_of(default_protocol())
    if family is None or family.ble is None:
        raise ValueError(f"{pid} has no Bluetooth LE transport")
    return family.ble


class FakeBoard:
    """One simulated board on the air: address, name, signal and its simulator.

    ``gatt``: the GATT layout (default: the simulated family's usual one); ``address``:
    the advertised address (default: the layout's prefix, then ``00:00:01``); ``name``:
    the advertised name (default: the family's simulated board's)."""

    def __init__(
        self,
        sim: Any,
        address: str | None = None,
        name: str | None = None,
        rssi: int = -58,
        gatt: GattLayout | None = None,
    ) -> None:
        self.sim = sim
        self.ble = _ble_of(sim)
        self.gatt = gatt or self.ble.layout()
        address = address or default_address(self.gatt)
        if hasattr(sim, "mac"):
            sim.mac = address  # boards that encrypt a login with their own address
        self.address = address
        self.name = name or self.ble.sim_name
        self.rssi = rssi
        self.connected = False  # a JK board accepts one connection at a time
        self.refuse_write_without_response = False  # a module that misreports its properties
        self.client: Any = None  # the fake client connected now
        self.faults = BleFaults()  # BlueZ's failures, injected by tests (issue 25)

    def advertisement(self) -> AdvertisementData:
        mac = bytes(int(x, 16) for x in self.address.split(":"))
        maker = {}
        if self.ble.advertised is not None:  # company id, then its bytes before the MAC
            company, prefix = self.ble.advertised
            maker = {company: prefix + mac}
        return AdvertisementData(
            local_name=self.name,
            manufacturer_data=maker,
            service_data={},
            service_uuids=[self.gatt.service],
            tx_power=None,
            rssi=self.rssi,
            platform_data=(),
        )

    def drop(self) -> None:
        """The radio link dies (out of range, board reset)."""
        if self.client is not None:
            self.client.lose_link()


def default_address(gatt: GattLayout) -> str:
    """The address a board of this layout advertises unless told another."""
    return f"{gatt.address_prefix}:00:00:01" if gatt.address_prefix else DEFAULT_ADDRESS


def make_backends(boards: list[FakeBoard]) -> tuple[type, type]:
    by_address = {b.address.upper(): b for b in boards}

    class FakeScanner(BaseBleakScanner):
        def __init__(
            self,
            detection_callback: Any = None,
            service_uuids: Any = None,
            scanning_mode: str = "active",
            **kwargs: Any,
        ) -> None:
            super().__init__(detection_callback, service_uuids)

        _task: asyncio.Task | None = None

        def _advertise(self) -> None:
            for board in boards:
                adv = board.advertisement()
                if not self.is_allowed_uuid(adv.service_uuids):
                    continue
                device = self.create_or_update_device(
                    board.address, board.address, board.name, {"path": ""}, adv
                )
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
            super().__init__(
                address_or_ble_device,
                **{k: v for k, v in kwargs.items() if k in ("disconnected_callback", "timeout")},
            )
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
            await self.board.faults.on_connect()
            if self.board.connected:
                raise BleakError("le-connection-abort-by-local")  # busy: the phone app holds it
            self.board.connected = True
            self.board.client = self
            self._connected = True
            service_uuid, chars = self.board.gatt.service, self.board.gatt.characteristics
            if self.board.faults.stale_layout(bool(kwargs.get("dangerous_use_bleak_cache"))):
                service_uuid, chars = STALE_GATT
            svc = BleakGATTService(None, 1, service_uuid)
            col = BleakGATTServiceCollection()
            col.add_service(svc)
            size = lambda: MTU - 3  # noqa: E731
            for handle, uuid, props in chars:
                col.add_characteristic(BleakGATTCharacteristic(None, handle, uuid, list(props), size, svc))
            self.services = col
            self._ticker = asyncio.get_running_loop().create_task(self._tick())

        def _push(self, chunks: list[bytes]) -> None:
            if self._notify is None:
                return
            for chunk in chunks:
                for i in range(0, len(chunk), MTU - 3):  # never more than MTU-3 per notification
                    self._notify(bytearray(chunk[i : i + MTU - 3]))

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
            await self.board.faults.on_write()
            if not self._connected:
                raise BleakError("Not connected")
            writable = [h for h, _u, props in self.board.gatt.characteristics if "write" in props]
            if characteristic.handle not in writable:
                raise BleakError("write to a notify-only characteristic")
            if not response and self.board.refuse_write_without_response:
                raise BleakError("write without response not permitted")
            chunks = self.board.sim.receive(bytes(data))
            if self.board.sim.drop_link:  # the simulator's fault: the answer, then the link dies
                self.board.sim.drop_link = False
                self._push(chunks)
                self.lose_link()
                return
            asyncio.get_running_loop().call_later(0.002, self._push, chunks)

        async def start_notify(
            self, characteristic: Any, callback: Callable[[bytearray], None], **kwargs: Any
        ) -> None:
            if "notify" not in characteristic.properties:
                raise BleakError("characteristic does not notify")
            self._notify = callback

        async def stop_notify(self, characteristic: Any) -> None:
            self._notify = None

    return FakeClient, FakeScanner


_BY_SPEC: dict[str, tuple[type, type]] = {}


def layout_named(ble: Ble, name: str) -> GattLayout:
    """The family's GATT layout ``name`` ("" the usual one); ValueError naming the others."""
    names = [g.name for g in ble.layouts if g.name]
    if name and name not in names:
        known = ", ".join(names) if names else "none but the usual one"
        raise ValueError(f"gatt={name!r} is no GATT layout of this family (it has: {known})")
    return ble.layout(name)


def backends_for_spec(spec: str) -> tuple[type, type]:
    """Backends with one board for ``PACKBENCH_FAKE_BLE`` (``<protocol>?cells=16&address=…``;
    ``gatt=<name>`` (or ``layout=<name>``) picks one of the family's other GATT layouts,
    e.g. ``jk02_32s?gatt=single`` the older JK module; ``name=`` the advertised name).

    The same spec gives the same board for the life of the process, like a real one.
    """
    if spec not in _BY_SPEC:
        from . import create_simulator

        protocol, _, query = spec.partition("?")
        opts = dict(parse_qsl(query))
        address = opts.pop("address", None)
        layout = opts.pop("gatt", "") or opts.pop("layout", "")
        opts.pop("layout", None)
        name = opts.pop("name", None)
        sim = create_simulator(protocol, **opts)
        board = FakeBoard(sim, address=address, name=name, gatt=layout_named(_ble_of(sim), layout))
        _BY_SPEC[spec] = make_backends([board])
    return _BY_SPEC[spec]


@contextmanager
def patch_default_backend(client_backend: type) -> Iterator[None]:
    """While inside, a ``BleakClient`` made without ``backend=`` (an independent client
    such as aiobmsble, through bleak-retry-connector) gets ``client_backend``: bleak
    resolves its platform backend through ``bleak.get_platform_client_backend_type``."""
    import bleak

    saved = bleak.get_platform_client_backend_type
    bleak.get_platform_client_backend_type = lambda: (client_backend, client_backend.__name__)
    try:
        yield
    finally:
        bleak.get_platform_client_backend_type = saved
