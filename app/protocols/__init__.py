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
    # the family registry imports every family package once; importing one registers
    # its protocols (a direct import of one family must not hide the others)
    from .family import load_all

    load_all()


def get_protocol(name: str) -> Protocol:
    """The protocol with this id (or a known alias); KeyError names the choices."""
    _load()
    key = name.strip().lower().replace("-", "_")
    key = _ALIASES.get(key, key)
    try:
        return _REGISTRY[key]
    except KeyError:
        raise KeyError(f"unknown protocol {name!r}; known: {', '.join(sorted(_REGISTRY))}") from None


def protocol_ids() -> list[str]:
    _load()
    return sorted(_REGISTRY)


def guess_protocol(data: bytes, family: str | None = None) -> str | None:
    """The protocol id a frame nobody named most likely belongs to (None: no idea).

    Each family's ``looks_like`` decides (family.py); ``family``: a family id to
    look only there.
    """
    from .family import guess

    return guess(data, family)


__all__ = ["DecodeError", "Frame", "Protocol", "get_protocol", "guess_protocol", "protocol_ids", "register"]
