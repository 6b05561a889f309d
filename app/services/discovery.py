"""Finding boards: nearby Bluetooth LE boards and this computer's serial ports.

Used by ``packbench scan`` and the Connection tab, so both list the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..transports import TransportError, ble_backends


@dataclass(frozen=True)
class Found:
    kind: str  # "ble" | "serial"
    url: str
    name: str
    rssi: int | None = None
    family: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "url": self.url,
            "name": self.name,
            "rssi": self.rssi,
            "family": self.family,
        }


async def scan_bluetooth(timeout_s: float = 5.0) -> list[Found]:
    """BMS boards advertising nearby, strongest first; TransportError in words when BLE is unavailable."""
    from ..transports.ble import scan_ble

    rows = await scan_ble(timeout_s, ble_backends()[1])
    return [Found("ble", r["url"], r["name"], r["rssi"], r["family"]) for r in rows]


def serial_ports() -> list[Found]:
    from serial.tools import list_ports

    out = []
    for port in sorted(list_ports.comports(), key=lambda p: p.device):
        desc = port.description if port.description and port.description != "n/a" else ""
        out.append(Found("serial", port.device, desc))
    return out


async def scan_all(timeout_s: float = 5.0) -> tuple[list[Found], str | None]:
    """Everything found, and the Bluetooth problem in words (None when Bluetooth worked)."""
    found: list[Found] = []
    error = None
    try:
        found += await scan_bluetooth(timeout_s)
    except TransportError as exc:
        error = str(exc)
    return found + serial_ports(), error
