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
- Reconnecting after a drop is the session's job (it calls open() again).

Windows (``allow_sta()``) and macOS (UUID addresses, the Bluetooth permission)
are handled in ``app.ui.app`` and documented in the README; only Linux can be
tested here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from .base import Transport, TransportError

log = logging.getLogger("packbench.ble")

SCAN_TIMEOUT_S = 8.0
CONNECT_TIMEOUT_S = 15.0


def explain_ble_error(exc: BaseException, address: str = "") -> str:
    """Plain words for what bleak and the OS raise."""
    where = f"{address}: " if address else ""
    text = str(exc) or type(exc).__name__
    low = text.lower()
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
    if isinstance(exc, asyncio.TimeoutError) or any(
        k in low
        for k in ("timeout", "timed out", "abort-by-local", "inprogress", "in progress", "connection refused")
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
        self._client: Any = None
        self._write_char: Any = None
        self._notify_char: Any = None
        self._response: bool = False
        self._closing = False
        self._on_lost: Callable[[Exception | None], None] | None = None

    @property
    def is_open(self) -> bool:
        return self._client is not None and bool(self._client.is_connected)

    async def open(
        self, on_data: Callable[[bytes], None], on_lost: Callable[[Exception | None], None]
    ) -> None:
        try:
            from bleak import BleakClient, BleakScanner
            from bleak.exc import BleakError
        except ImportError as exc:  # pragma: no cover - a dependency
            raise TransportError("Bluetooth support (bleak) is not installed") from exc
        self._closing = False
        self._on_lost = on_lost
        loop = asyncio.get_running_loop()
        try:
            # BlueZ needs the device object from a scan, not a bare address (stack.md §1)
            device = await BleakScanner.find_device_by_address(
                self.address, timeout=self.scan_timeout_s, backend=self._scanner_backend
            )
            if device is None:
                raise TransportError(
                    f"ble://{self.address}: no board with this address is in range. Is it powered "
                    "(a sleeping JK board wakes on a charger or the button), and is the phone app closed?"
                )

            def disconnected(_client: Any) -> None:
                if not self._closing:
                    loop.call_soon(
                        on_lost, TransportError(f"ble://{self.address}: the Bluetooth link was lost")
                    )

            client = BleakClient(
                device,
                disconnected_callback=disconnected,
                timeout=self.connect_timeout_s,
                backend=self._client_backend,
            )
            await asyncio.wait_for(client.connect(), self.connect_timeout_s + 1)
            self._client = client
            self._notify_char, self._write_char = self._pick_characteristics(client)
            props = set(self._write_char.properties)
            self._response = "write-without-response" not in props
            await client.start_notify(self._notify_char, lambda _c, data: on_data(bytes(data)))
        except TransportError:
            await self._quiet_disconnect()
            raise
        except (TimeoutError, BleakError, OSError) as exc:
            await self._quiet_disconnect()
            raise TransportError(explain_ble_error(exc, f"ble://{self.address}")) from exc

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
        if self._response:
            size = max(size, 20)
        for i in range(0, len(data), size):
            chunk = data[i : i + size]
            try:
                await client.write_gatt_char(self._write_char, chunk, response=self._response)
            except BleakError as first:
                # some modules report their write property wrongly: try the other mode once
                try:
                    await client.write_gatt_char(self._write_char, chunk, response=not self._response)
                except (BleakError, OSError) as exc:
                    raise TransportError(explain_ble_error(first, f"ble://{self.address}")) from exc
                self._response = not self._response
                log.info("write mode switched to response=%s", self._response)
            except OSError as exc:
                raise TransportError(explain_ble_error(exc, f"ble://{self.address}")) from exc

    async def _quiet_disconnect(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            await client.disconnect()
        except Exception:  # noqa: BLE001
            pass

    async def close(self) -> None:
        self._closing = True
        client = self._client
        if client is not None and client.is_connected and self._notify_char is not None:
            try:
                await client.stop_notify(self._notify_char)
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
        found = await BleakScanner.discover(timeout=timeout_s, return_adv=True, backend=scanner_backend)
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
