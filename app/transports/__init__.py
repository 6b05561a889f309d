"""Async byte pipes: serial (pyserial URLs in a worker thread) and the in-process simulator.

A transport moves bytes and reports a lost link; it knows nothing of frames.
"""

from __future__ import annotations

from typing import Callable

from ..model.url import DeviceUrl
from .base import Transport, TransportError


def open_transport(url: DeviceUrl, default_baud: int | None = None) -> Transport:
    """The transport for a parsed device URL (not yet opened)."""
    if url.scheme == "sim":
        from .sim import SimTransport

        return SimTransport(url)
    if url.scheme == "serial":
        from .serial import SerialTransport

        return SerialTransport(url.target, url.baud or default_baud or 115200)
    if url.scheme == "ble":
        raise TransportError(
            "Bluetooth LE connections are not available in this version yet; "
            "connect through a USB-RS485/TTL cable or a network serial bridge")
    raise TransportError(f"unsupported device URL {url.text!r}")


DataCallback = Callable[[bytes], None]
LostCallback = Callable[[Exception | None], None]

__all__ = ["DataCallback", "LostCallback", "Transport", "TransportError", "open_transport"]
