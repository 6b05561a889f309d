"""Async byte pipes: serial (pyserial URLs in a worker thread) and the in-process simulator.

A transport moves bytes and reports a lost link; it knows nothing of frames.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from ..model.url import DeviceUrl
from .base import Transport, TransportError


def serial_baud(url: DeviceUrl, protocol: Any) -> int:
    """The speed a cable runs at: the URL's ``?baud=``, else the protocol's, else 115200."""
    return url.baud or getattr(protocol, "default_baud", None) or 115200


def open_transport(url: DeviceUrl, protocol: Any = None) -> Transport:
    """The transport for a parsed device URL (not yet opened).

    ``protocol`` (a Protocol descriptor) supplies the default baud rate and the
    BLE service and characteristic UUIDs.
    """
    if url.scheme == "sim":
        from .sim import SimTransport

        return SimTransport(url)
    if url.scheme == "serial":
        from .serial import SerialTransport

        return SerialTransport(url.target, serial_baud(url, protocol))
    if url.scheme == "ble":
        from .ble import BleTransport

        client_backend, scanner_backend = ble_backends()
        return BleTransport(
            url.target,
            service_uuid=getattr(protocol, "ble_service_uuid", None),
            notify_uuid=getattr(protocol, "ble_notify_uuid", None),
            write_uuid=getattr(protocol, "ble_write_uuid", None),
            alternatives=getattr(protocol, "ble_alternatives", ()),
            client_backend=client_backend,
            scanner_backend=scanner_backend,
        )
    raise TransportError(f"unsupported device URL {url.redacted!r}")


def ble_backends() -> tuple[Any, Any]:
    """bleak backends: the platform's, or simulated boards for tests and demos.

    ``PACKBENCH_FAKE_BLE=jk02_32s?cells=16`` (a simulator spec) replaces the
    Bluetooth stack with a bleak backend that drives that simulator, so the
    real BleakClient/BleakScanner front ends run without radio hardware.
    """
    spec = os.environ.get("PACKBENCH_FAKE_BLE")
    if not spec:
        return None, None
    from ..simulator.fake_ble import backends_for_spec

    try:
        return backends_for_spec(spec)
    except ValueError as exc:  # a simulator option that makes no sense (cells=abc)
        raise TransportError(f"PACKBENCH_FAKE_BLE={spec!r}: {exc}") from None


DataCallback = Callable[[bytes], None]
LostCallback = Callable[[Exception | None], None]

__all__ = ["DataCallback", "LostCallback", "Transport", "TransportError", "open_transport"]
