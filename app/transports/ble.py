"""Bluetooth LE through bleak: one transport that owns connect, notify and writes.

- Characteristics are chosen by their properties, not by UUID alone: newer
  JK modules have two FFE1 characteristics, one for writes and one for
  notifications (jk.md §1.1).
- Writes go without response when the characteristic allows it, and fall back
  to the other mode once if the stack refuses (aiobmsble's approach); data is
  cut to the characteristic's write size.
- Notifications of any size are handed on as they come: the protocol's frame
  reader reassembles them.
- Failures become plain words (stack.md P8: without D-Bus bleak raises
  FileNotFoundError, not BleakError).
- On Linux the connection goes through ``bleak_retry_connector.establish_connection``
  (issue 25; stack.md §1 "Reconnection"): the BLEDevice from the scan, stale BlueZ
  connections to the board closed first, a bounded number of attempts with a back-off per
  BlueZ error (InProgress, le-connection-abort-by-local), BlueZ's services cache used and,
  when it no longer matches the module (after a firmware update), cleared and read anew.
  Elsewhere the library is only a retry loop: plain bleak, one attempt.
- A hard outer timeout around every scan, connect and GATT call: a hung BlueZ ends in a
  plain sentence, never a window or CLI command that waits for ever (aiobmsble does the
  same "as a safety net when BlueZ hangs").
- Reconnecting after a drop is the session's job (it calls open() again).

Windows (``allow_sta()``) and macOS (UUID addresses, the Bluetooth permission)
are handled in ``app.ui.app`` and documented in the README; only Linux can be
tested here.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from .base import Transport, TransportError

log = logging.getLogger("packbench.ble")

SCAN_TIMEOUT_S = 8.0
#: one connect attempt: bleak-retry-connector's (its BLEAK_TIMEOUT, which it passes to every
#: attempt), and plain bleak's elsewhere
CONNECT_TIMEOUT_S = 20.0
#: connect attempts the retry library makes (counting timeouts and errors that are not
#: transient; it retries the transient le-connection-abort-by-local a few more times)
CONNECT_ATTEMPTS = 3
#: the longest any one GATT call (notify on/off, a write, disconnect) may take
GATT_TIMEOUT_S = 10.0


class BluetoothHang(TimeoutError):
    """The Bluetooth stack did not answer a call within the hard outer timeout."""

    def __init__(self, doing: str, seconds: float) -> None:
        super().__init__(f"no answer within {seconds:g} s while {doing}")
        self.doing = doing
        self.seconds = seconds


def retry_connector_available() -> bool:
    """Linux, and bleak-retry-connector installed (a Linux-only dependency)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import bleak_retry_connector  # noqa: F401
    except ImportError:
        return False
    return True


async def guarded[T](call: Awaitable[T], seconds: float, doing: str) -> T:
    """``await call``, or BluetoothHang once ``seconds`` have passed (the call is cancelled)."""
    try:
        async with asyncio.timeout(seconds) as limit:
            return await call
    except TimeoutError:
        if limit.expired():
            raise BluetoothHang(doing, seconds) from None
        raise


def explain_ble_error(exc: BaseException, address: str = "") -> str:
    """Plain words for what bleak and the OS raise."""
    where = f"{address}: " if address else ""
    text = str(exc) or type(exc).__name__
    low = text.lower()
    if isinstance(exc, BluetoothHang):
        return (
            f"{where}the Bluetooth stack did not answer within {exc.seconds:g} s ({exc.doing}); "
            "Packbench gave up waiting. Switch Bluetooth off and on (on Linux: "
            "`sudo systemctl restart bluetooth`), then connect again."
        )
    kind = type(exc).__name__
    if kind == "BleakOutOfConnectionSlotsError" or "connection slot" in low:
        return (
            f"{where}the Bluetooth adapter has no free connection left. Disconnect another "
            "Bluetooth device (or stop the other program using this board), then connect again."
        )
    if kind == "BleakNotFoundError" or "device disappeared" in low:
        return (
            f"{where}the board went out of reach while connecting. Is it powered and within a few "
            "metres, and is the phone app closed? Then connect again."
        )
    if isinstance(exc, FileNotFoundError) or "no such file" in low or "dbus" in low and "connect" in low:
        return (
            f"{where}Bluetooth is unavailable on this computer (no Bluetooth service was found). "
            "Connect through a cable or a network bridge instead."
        )
    if "not available" in low or "powered" in low or "turned off" in low or "unauthorized" in low:
        return (
            f"{where}Bluetooth is off or Packbench may not use it. Switch Bluetooth on; on macOS allow "
            "Packbench (or your terminal) under System Settings → Privacy & Security → Bluetooth."
        )
    if any(k in low for k in ("authentication", "not permitted", "insufficient", "pair")):
        return (
            f"{where}the board wants to be paired by the operating system first (JK firmware 19.x "
            "does this). Pair it in the system's Bluetooth settings, then connect again."
        )
    if "inprogress" in low or "in progress" in low:
        return (
            f"{where}BlueZ is still busy with an earlier connection to this board (a program that "
            "crashed, or the last attempt). Wait a few seconds and connect again; if it persists, "
            "run `bluetoothctl disconnect` with the board's address."
        )
    if (
        isinstance(exc, asyncio.TimeoutError)
        or kind == "BleakAbortedError"
        or any(k in low for k in ("timeout", "timed out", "abort-by-local", "connection refused"))
    ):
        return (
            f"{where}the board did not accept the connection. A JK board accepts one connection at a "
            "time: close the phone app (and any other monitor), stay within a few metres, and retry."
        )
    return f"{where}Bluetooth error: {text}"


class BleTransport(Transport):
    def __init__(
        self,
        address: str,
        *,
        service_uuid: str | None,
        notify_uuid: str | None,
        write_uuid: str | None,
        client_backend: Any = None,
        scanner_backend: Any = None,
        alternatives: tuple[tuple[str, str, str], ...] = (),
        scan_timeout_s: float = SCAN_TIMEOUT_S,
        connect_timeout_s: float = CONNECT_TIMEOUT_S,
        connect_attempts: int = CONNECT_ATTEMPTS,
        gatt_timeout_s: float = GATT_TIMEOUT_S,
        retry_connector: bool | None = None,
    ) -> None:
        self.address = address
        self.description = f"ble://{address}"
        self.service_uuid = (service_uuid or "").lower()
        self.notify_uuid = (notify_uuid or "").lower()
        self.write_uuid = (write_uuid or "").lower()
        #: other (service, notify, write) layouts the same family's modules use
        self.alternatives = tuple(tuple(u.lower() for u in alt) for alt in alternatives)
        self._client_backend = client_backend
        self._scanner_backend = scanner_backend
        self.scan_timeout_s = scan_timeout_s
        self.connect_timeout_s = connect_timeout_s
        self.connect_attempts = max(1, connect_attempts)
        self.gatt_timeout_s = gatt_timeout_s
        #: connect through bleak-retry-connector (default: on Linux, where it is installed)
        self.retry_connector = retry_connector_available() if retry_connector is None else retry_connector
        self._client: Any = None
        self._write_char: Any = None
        self._notify_char: Any = None
        self._response: bool = False
        self._closing = False
        self._on_lost: Callable[[Exception | None], None] | None = None

    @property
    def connect_guard_s(self) -> float:
        """The hard limit on connecting, all attempts together (aiobmsble: attempts × timeout + 1)."""
        return self.connect_attempts * self.connect_timeout_s + 1.0

    @property
    def is_open(self) -> bool:
        return self._client is not None and bool(self._client.is_connected)

    async def open(
        self, on_data: Callable[[bytes], None], on_lost: Callable[[Exception | None], None]
    ) -> None:
        try:
            from bleak import BleakScanner
            from bleak.exc import BleakError
        except ImportError as exc:  # pragma: no cover - a dependency
            raise TransportError("Bluetooth support (bleak) is not installed") from exc
        self._closing = False
        self._on_lost = on_lost
        loop = asyncio.get_running_loop()

        def disconnected(client: Any) -> None:
            if not self._closing and self._client is client:  # not a failed attempt's client
                loop.call_soon(on_lost, TransportError(f"ble://{self.address}: the Bluetooth link was lost"))

        try:
            # BlueZ needs the device object from a scan, not a bare address (stack.md §1)
            device = await guarded(
                BleakScanner.find_device_by_address(
                    self.address, timeout=self.scan_timeout_s, backend=self._scanner_backend
                ),
                self.scan_timeout_s + self.gatt_timeout_s,
                "looking for the board",
            )
            if device is None:
                raise TransportError(
                    f"ble://{self.address}: no board with this address is in range. Is it powered "
                    "(a sleeping JK board wakes on a charger or the button), and is the phone app closed?"
                )
            self._client = await self._connect(device, disconnected)
            try:
                self._notify_char, self._write_char = self._pick_characteristics(self._client)
            except TransportError:
                if not self.retry_connector:
                    raise
                # BlueZ's services cache may predate a firmware update: read the table anew
                await self._forget_services(device)
                self._client = await self._connect(device, disconnected, use_cache=False)
                self._notify_char, self._write_char = self._pick_characteristics(self._client)
            props = set(self._write_char.properties)
            self._response = "write-without-response" not in props
            await guarded(
                self._client.start_notify(self._notify_char, lambda _c, data: on_data(bytes(data))),
                self.gatt_timeout_s,
                "turning on notifications",
            )
        except TransportError:
            await self._quiet_disconnect()
            raise
        except (TimeoutError, BleakError, OSError, EOFError) as exc:
            await self._quiet_disconnect()
            raise TransportError(explain_ble_error(exc, f"ble://{self.address}")) from exc
        except asyncio.CancelledError:
            await self._quiet_disconnect()
            raise

    async def _connect(self, device: Any, disconnected: Callable[[Any], None], use_cache: bool = True) -> Any:
        """A connected BleakClient for the scanned ``device``, within ``connect_guard_s``."""
        if not self.retry_connector:
            from bleak import BleakClient

            client = BleakClient(
                device,
                disconnected_callback=disconnected,
                timeout=self.connect_timeout_s,
                backend=self._client_backend,
            )
            await guarded(client.connect(), self.connect_guard_s, "connecting")
            return client
        from bleak_retry_connector import (
            BleakClientWithServiceCache,
            close_stale_connections,
            establish_connection,
        )

        async def connect() -> Any:
            # a connection BlueZ still holds for this board (a crashed program's) is closed first
            await close_stale_connections(device)
            return await establish_connection(
                BleakClientWithServiceCache,
                device,
                self.description,
                disconnected_callback=disconnected,
                max_attempts=self.connect_attempts,
                use_services_cache=use_cache,
                timeout=self.connect_timeout_s,
                backend=self._client_backend,
            )

        return await guarded(connect(), self.connect_guard_s, "connecting")

    async def _forget_services(self, device: Any) -> None:
        """Disconnect and clear BlueZ's services cache of the board (no-op without BlueZ)."""
        from bleak_retry_connector import clear_cache

        log.info("%s: no BMS service in the cached GATT table; reading it anew", self.description)
        await self._quiet_disconnect()
        try:
            await guarded(clear_cache(device.address), self.gatt_timeout_s, "clearing the services cache")
        except (TimeoutError, OSError, EOFError) as exc:
            log.info("clearing the services cache: %s", exc)

    def _pick_characteristics(self, client: Any) -> tuple[Any, Any]:
        services = list(client.services)
        for service_uuid, notify_uuid, write_uuid in self.alternatives:
            if not any(s.uuid.lower() == self.service_uuid for s in services) and any(
                s.uuid.lower() == service_uuid for s in services
            ):
                # e.g. JBD modules with FFF0/FFF1/FFF2 instead of FF00/FF01/FF02
                self.service_uuid, self.notify_uuid, self.write_uuid = (service_uuid, notify_uuid, write_uuid)
                break
        wanted = [s for s in services if s.uuid.lower() == self.service_uuid] or services
        notify = write = None
        for service in wanted:
            chars = list(service.characteristics)
            preferred = [c for c in chars if c.uuid.lower() in (self.notify_uuid, self.write_uuid)] + chars
            for c in preferred:
                props = set(c.properties)
                if (
                    notify is None
                    and props & {"notify", "indicate"}
                    and (not self.notify_uuid or c.uuid.lower() == self.notify_uuid)
                ):
                    notify = c
                if (
                    write is None
                    and props & {"write", "write-without-response"}
                    and (not self.write_uuid or c.uuid.lower() == self.write_uuid)
                ):
                    write = c
            if notify is not None and write is not None:
                return notify, write
        raise TransportError(
            f"ble://{self.address}: this device has no BMS data service (looked for {self.service_uuid}). "
            "On BlueZ an empty service list after a firmware update clears with "
            "`bluetoothctl remove <address>`."
        )

    async def write(self, data: bytes) -> None:
        client = self._client
        if client is None or not client.is_connected:
            raise TransportError("not connected")
        from bleak.exc import BleakError

        size = max(20, int(getattr(self._write_char, "max_write_without_response_size", 20) or 20))
        for i in range(0, len(data), size):
            chunk = data[i : i + size]
            try:
                await self._write_chunk(client, chunk)
            except (TimeoutError, BleakError, OSError, EOFError) as exc:
                raise TransportError(explain_ble_error(exc, f"ble://{self.address}")) from exc

    async def _write_chunk(self, client: Any, chunk: bytes) -> None:
        """One GATT write within ``gatt_timeout_s``; the other write mode once if refused."""
        from bleak.exc import BleakError

        def attempt(response: bool) -> Awaitable[None]:
            return guarded(
                client.write_gatt_char(self._write_char, chunk, response=response),
                self.gatt_timeout_s,
                "writing to the board",
            )

        try:
            await attempt(self._response)
        except BleakError as first:
            # some modules report their write property wrongly: try the other mode once
            try:
                await attempt(not self._response)
            except BleakError:
                raise first from None
            self._response = not self._response
            log.info("write mode switched to response=%s", self._response)

    async def _quiet_disconnect(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            await guarded(client.disconnect(), self.gatt_timeout_s, "disconnecting")
        except Exception:  # noqa: BLE001
            pass

    async def close(self) -> None:
        self._closing = True
        client = self._client
        if client is not None and client.is_connected and self._notify_char is not None:
            try:
                await guarded(
                    client.stop_notify(self._notify_char), self.gatt_timeout_s, "stopping notifications"
                )
            except Exception:  # noqa: BLE001
                pass
        await self._quiet_disconnect()


# --- scanning ------------------------------------------------------------------------
async def scan_ble(timeout_s: float = 5.0, scanner_backend: Any = None) -> list[dict[str, Any]]:
    """Nearby BMS boards: ``{"url", "name", "rssi", "protocol_hint"}``, strongest first.

    Raises TransportError with plain words when Bluetooth is unavailable.
    """
    try:
        from bleak import BleakScanner
        from bleak.exc import BleakError
    except ImportError as exc:  # pragma: no cover
        raise TransportError("Bluetooth support (bleak) is not installed") from exc
    try:
        found = await guarded(
            BleakScanner.discover(timeout=timeout_s, return_adv=True, backend=scanner_backend),
            timeout_s + GATT_TIMEOUT_S,
            "scanning",
        )
    except (TimeoutError, BleakError, OSError) as exc:
        raise TransportError(explain_ble_error(exc)) from exc
    from ..protocols.family import ble_match

    out = []
    for device, adv in found.values():
        name = adv.local_name or device.name or ""
        # each family's matchers (company ids, services, names): the surest one wins
        family = ble_match(name, adv.manufacturer_data, adv.service_uuids)
        if family is not None and family.ble is not None:
            out.append(
                {
                    "url": f"ble://{device.address}{family.ble.url_options}",
                    "name": name,
                    "rssi": adv.rssi,
                    "family": family.id,
                }
            )
    out.sort(key=lambda d: d["rssi"] if d["rssi"] is not None else -999, reverse=True)
    return out
