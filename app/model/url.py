"""Device URLs (vocabulary.md "Device URLs").

``ble://AA:BB:…``, any pyserial URL (``/dev/ttyUSB0``, ``COM3``,
``socket://host:port``, ``rfc2217://host:port``) and
``sim://<protocol>?cells=16&chemistry=lifepo4``.  Packbench's own options ride
along as query parameters and are taken off before the rest goes to pyserial.

Secrets in URLs: a URL may carry a password or PIN as an option
(``sim://jbd?password=123456``, ``module_password=…``, ``pin=…``).  Before a
URL is stored (recent devices, log meta, raw-capture header) or logged, it goes
through ``redact_url``: every option whose name contains ``pass``, ``pin``,
``secret`` or ``token`` (case-insensitive, after percent-decoding) is removed,
as is a ``user:password@`` part.  Removed, not masked: a masked value would be
taken as the password when the URL is used again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote_plus, urlencode

#: query parameters that belong to Packbench, not to pyserial's URL handlers, whatever the
#: family; a family's own (Daly's ``variant``, ``invert_current``; Xiaomi's ``host``) are
#: declared on its descriptor (``Family.url_options``) and taken off by ``claim``
OWN_OPTIONS = frozenset({"protocol", "baud", "address"})
#: the baud rates a serial adapter can be asked for: the lowest classic UART rate to
#: the fastest USB-UART chips (FTDI FT232H: 12 Mbaud); pyserial itself takes any int
BAUD_MIN, BAUD_MAX = 50, 12_000_000
#: a Modbus slave address (0 = broadcast, 1..247 = slaves; Modbus over serial line spec §2.2)
ADDRESS_MAX = 247


def parse_baud(text: str) -> int:
    """``baud=…`` as a number, or ValueError with a plain message."""
    try:
        baud = int(str(text).strip())
    except ValueError:
        baud = None
    if baud is None or not BAUD_MIN <= baud <= BAUD_MAX:
        raise ValueError(
            f"baud={text!r} is not a baud rate; use a whole number from "
            f"{BAUD_MIN} to {BAUD_MAX}, e.g. baud=115200"
        ) from None
    return baud


def parse_address(text: str) -> int:
    """``address=…`` (a Modbus slave: 2, 0x02), or ValueError with a plain message."""
    try:
        address = int(str(text).strip(), 0)
    except ValueError:
        address = None
    if address is None or not 0 <= address <= ADDRESS_MAX:
        raise ValueError(
            f"address={text!r} is not a slave address; use a whole number "
            f"from 0 to {ADDRESS_MAX}, e.g. address=1"
        ) from None
    return address


def check_options(options: dict[str, str]) -> dict[str, str]:
    """Refuse the options every kind of URL shares when their values make no sense."""
    if "baud" in options:
        parse_baud(options["baud"])
    if "address" in options:
        parse_address(options["address"])
    return options


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
    def baud(self) -> int | None:  # checked by parse_device_url
        b = self.options.get("baud")
        return parse_baud(b) if b else None

    @property
    def redacted(self) -> str:
        """The URL as typed, without its secrets (``redact_url``): for logs and lists."""
        return redact_url(self.text)

    def claim(self, names: frozenset[str] | set[str]) -> DeviceUrl:
        """This URL with the query options called ``names`` taken off a serial target
        (they are Packbench's, a protocol family's own: ``?host=0x3e``) into ``options``."""
        if self.scheme != "serial" or "?" not in self.target:
            return self
        base, _, query = self.target.partition("?")
        pairs = parse_qsl(query, keep_blank_values=True)
        own = {k: v for k, v in pairs if k in names}
        if not own:
            return self
        rest = [(k, v) for k, v in pairs if k not in names]
        target = base + ("?" + urlencode(rest) if rest else "")
        return DeviceUrl(self.scheme, target, dict(self.options, **own), self.text)

    def with_protocol(self, protocol: str | None) -> DeviceUrl:
        if not protocol:
            return self
        return DeviceUrl(self.scheme, self.target, dict(self.options, protocol=protocol), self.text)


#: an option whose name contains one of these carries a secret
SECRET_WORDS = ("pass", "pin", "secret", "token")


def is_secret_option(name: str) -> bool:
    """True for an option name that carries a password, PIN or the like."""
    lower = unquote_plus(name).strip().lower()
    return any(w in lower for w in SECRET_WORDS)


def redact_url(text: str | None) -> str | None:
    """``text`` without the options that carry secrets and without ``user:password@``.

    Works on any URL-like text (also one that does not parse as a device URL);
    the other options keep their order and spelling.
    """
    if not text:
        return text
    base, sep, query = text.partition("?")
    scheme, sep2, rest = base.partition("://")
    if sep2:
        host, slash, path = rest.partition("/")
        if "@" in host:
            host = host.rpartition("@")[2]
        base = scheme + sep2 + host + slash + path
    if not sep:
        return base
    # ';' separates too (older URL styles): a secret behind one must not slip through
    parts = re.split(r"([&;])", query)
    kept = "".join(
        sep_ + p
        for sep_, p in zip([""] + parts[1::2], parts[0::2], strict=False)
        if p and not is_secret_option(p.partition("=")[0])
    )
    kept = kept.lstrip("&;")
    return base + ("?" + kept if kept else "")


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
        return DeviceUrl("sim", name.strip().lower(), check_options(dict(parse_qsl(query))), raw)
    if lower.startswith("ble://"):
        rest = raw[6:]
        addr, _, query = rest.partition("?")
        if not addr:
            raise ValueError("ble:// needs an address, e.g. ble://AA:BB:CC:DD:EE:FF")
        return DeviceUrl("ble", addr, check_options(dict(parse_qsl(query))), raw)
    # a pyserial URL or port name; split our own options off the query
    base, sep, query = raw.partition("?")
    opts = check_options(dict(parse_qsl(query))) if sep else {}
    own = {k: v for k, v in opts.items() if k in OWN_OPTIONS}
    passthrough = {k: v for k, v in opts.items() if k not in OWN_OPTIONS}
    target = base + ("?" + urlencode(passthrough) if passthrough else "")
    if "://" in base:
        scheme = base.split("://", 1)[0].lower()
        if scheme not in ("socket", "rfc2217", "loop", "spy", "alt", "hwgrep", "cp2110"):
            raise ValueError(f"unknown device URL scheme {scheme!r}")
    return DeviceUrl("serial", target, own, raw)
