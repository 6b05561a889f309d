"""Device URLs (vocabulary.md "Device URLs").

``ble://AA:BB:…``, any pyserial URL (``/dev/ttyUSB0``, ``COM3``,
``socket://host:port``, ``rfc2217://host:port``) and
``sim://<protocol>?cells=16&chemistry=lifepo4``.  Packbench's own options ride
along as query parameters and are taken off before the rest goes to pyserial.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

#: query parameters that belong to Packbench, not to pyserial's URL handlers
OWN_OPTIONS = frozenset({"protocol", "baud", "address"})


@dataclass(frozen=True)
class DeviceUrl:
    scheme: str  # "sim" | "ble" | "serial"
    target: str  # protocol for sim, address for ble, pyserial URL for serial
    options: dict[str, str] = field(default_factory=dict)
    text: str = ""

    @property
    def protocol(self) -> str | None:
        if self.scheme == "sim":
            return self.options.get("protocol") or self.target
        return self.options.get("protocol")

    @property
    def baud(self) -> int | None:
        b = self.options.get("baud")
        return int(b) if b else None

    def with_protocol(self, protocol: str | None) -> "DeviceUrl":
        if not protocol:
            return self
        return DeviceUrl(self.scheme, self.target, dict(self.options, protocol=protocol), self.text)


def parse_device_url(text: str) -> DeviceUrl:
    raw = text.strip()
    if not raw:
        raise ValueError("empty device URL")
    lower = raw.lower()
    if lower.startswith("sim://"):
        rest = raw[6:]
        name, _, query = rest.partition("?")
        if not name:
            raise ValueError("sim:// needs a protocol, e.g. sim://jk02_32s?cells=16")
        return DeviceUrl("sim", name.strip().lower(), dict(parse_qsl(query)), raw)
    if lower.startswith("ble://"):
        rest = raw[6:]
        addr, _, query = rest.partition("?")
        if not addr:
            raise ValueError("ble:// needs an address, e.g. ble://AA:BB:CC:DD:EE:FF")
        return DeviceUrl("ble", addr, dict(parse_qsl(query)), raw)
    # a pyserial URL or port name; split our own options off the query
    base, sep, query = raw.partition("?")
    opts = dict(parse_qsl(query)) if sep else {}
    own = {k: v for k, v in opts.items() if k in OWN_OPTIONS}
    passthrough = {k: v for k, v in opts.items() if k not in OWN_OPTIONS}
    target = base + ("?" + urlencode(passthrough) if passthrough else "")
    if "://" in base:
        scheme = base.split("://", 1)[0].lower()
        if scheme not in ("socket", "rfc2217", "loop", "spy", "alt", "hwgrep", "cp2110"):
            raise ValueError(f"unknown device URL scheme {scheme!r}")
    return DeviceUrl("serial", target, own, raw)
