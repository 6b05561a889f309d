"""Sans-IO protocol codecs, one package per family.

Nothing under ``app.protocols`` imports Qt, bleak, pyserial or asyncio: these
modules turn bytes into model objects and back, so captured frames, the
simulators and live boards all go through the same code.
"""

from __future__ import annotations

from .base import DecodeError, Frame, Protocol

_REGISTRY: dict[str, Protocol] = {}
#: alternative spellings accepted on the command line and in URLs
_ALIASES: dict[str, str] = {}


def register(protocol: Protocol, *aliases: str) -> Protocol:
    _REGISTRY[protocol.id] = protocol
    for alias in aliases:
        _ALIASES[alias] = protocol.id
    return protocol


def _load() -> None:
    # importing a family registers it; importing again is free (a direct import of
    # one family must not hide the others)
    from . import ant, jbd, jk  # noqa: F401


def get_protocol(name: str) -> Protocol:
    """The protocol with this id (or a known alias); KeyError names the choices."""
    _load()
    key = name.strip().lower().replace("-", "_")
    key = _ALIASES.get(key, key)
    try:
        return _REGISTRY[key]
    except KeyError:
        raise KeyError(
            f"unknown protocol {name!r}; known: {', '.join(sorted(_REGISTRY))}"
        ) from None


def protocol_ids() -> list[str]:
    _load()
    return sorted(_REGISTRY)


def guess_protocol(data: bytes, family: str | None = None) -> str | None:
    """The protocol id a frame nobody named most likely belongs to (None: no idea).

    By header: ``DD`` and ``FF AA`` are JBD (jbd_daly.md §1); ``4E 57`` JK's serial
    protocol (jk.md §7.2); ``55 AA EB 90`` / ``AA 55 90 EB`` the JK02 family, the JK
    variant told by ``jk.decode.guess_variant``, except a payload followed by the
    FC16 acknowledgement of a JK-PB trigger (jk.md §8.3); and a CRC-checked Modbus
    RTU frame of the functions JK-PB uses is ``jk_pb``.  ``family``: "jk" or "jbd"
    to look only there.
    """
    from .jk import framing as jk_framing
    from .jk import pb_modbus
    from .jk.decode import guess_variant

    if family in (None, "jbd") and (data[:1] == b"\xdd" or data[:2] == b"\xff\xaa"):
        return "jbd"
    if family == "jbd":
        return None
    if data[:2] == b"\x4e\x57":
        return "jk_4e57"
    if data[:4] in (jk_framing.RESPONSE_HEADER, jk_framing.COMMAND_HEADER):
        if pb_modbus.payload_slave(data) is not None:
            return pb_modbus.JK_PB
        return guess_variant(data)
    try:
        pb_modbus.parse_rtu(data)
    except DecodeError:
        return None
    return pb_modbus.JK_PB


__all__ = ["DecodeError", "Frame", "Protocol", "get_protocol", "guess_protocol", "protocol_ids",
           "register"]
