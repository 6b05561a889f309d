"""``packbench decode``: frames given as hex, one JSON object per frame.

The JSON shape is a contract (vocabulary.md "The decode contract"): keep it exactly.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from typing import Any

from ..model import DeviceInfo, Snapshot, kind_of
from .common import quiet_stdout


def add_parser(sub: Any) -> None:
    from ..protocols import protocol_ids
    from ..protocols.family import families

    ids = protocol_ids()
    # a family whose id is no protocol id guesses only among its variants (``jk``)
    groups = [f.id for f in families() if f.id not in ids]
    d = sub.add_parser("decode", help="decode frames given as hex (one per stdin line, or --hex)")
    d.add_argument(
        "--protocol",
        default="auto",
        help=f"protocol id: {', '.join(ids)}"
        + (f"; or a family ({', '.join(groups)}) to guess only its variant" if groups else "")
        + " (default: guess from the frame)",
    )
    d.add_argument("--hex", help="one frame as hex; spaces and colons allowed")
    d.set_defaults(func=cmd_decode)


_HEX_SEP = re.compile(r"[\s:,\-]")
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def parse_hex(text: str) -> bytes:
    cleaned = _HEX_SEP.sub("", text.strip())
    if cleaned.lower().startswith("0x"):
        cleaned = cleaned[2:]
    if not set(cleaned) <= _HEX_DIGITS:
        raise ValueError("not hex")
    if len(cleaned) % 2:
        raise ValueError("odd number of hex digits")
    return bytes.fromhex(cleaned)


def unknown_frame(family: str | None = None) -> str:
    """What ``decode`` says of a frame no family claims (no --protocol given), naming
    what every family's frames look like (or only ``family``'s)."""
    from ..protocols.family import families

    known = [f.frame_words or f.name for f in families() if family in (None, f.id)]
    return "not a frame Packbench knows: not " + ", nor ".join(known)


def decode_one(protocol_id: str, text: str) -> dict[str, Any]:
    """One line of the decode contract (vocabulary.md) for one hex frame.

    ``protocol_id`` "auto" guesses the family and variant from the frame, a family id
    that is no protocol id (``jk``) the variant within that family.  Live data gets the device
    information the same frame carries (a
    JK 4E57 read-all reply) merged into its fields, and an ``implausible`` list
    naming the values dropped as impossible (model/plausible.py), only when there
    are any, so the output for a good frame is unchanged.
    """
    from ..protocols import DecodeError, get_protocol, guess_protocol, protocol_ids
    from ..protocols.family import families

    try:
        data = parse_hex(text)
    except ValueError as exc:
        return {"error": str(exc)}
    if not data:
        return {"error": "empty frame"}
    pid = protocol_id
    family = pid if pid in {f.id for f in families()} - set(protocol_ids()) else None
    if pid == "auto" or family is not None:
        guessed = guess_protocol(data, family)
        if guessed is None:
            return {"error": unknown_frame(family)}
        pid = guessed
    try:
        protocol = get_protocol(pid)
    except KeyError as exc:
        return {"error": str(exc.args[0])}
    try:
        message = protocol.decode(data)
    except DecodeError as exc:
        return {"error": str(exc)}
    out: dict[str, Any] = {"protocol": protocol.id, "kind": kind_of(message), "fields": message.to_fields()}
    if isinstance(message, Snapshot):
        for key, value in _device_fields(protocol, data).items():
            out["fields"].setdefault(key, value)
        if message.implausible:
            out["implausible"] = list(message.implausible)
    return out


def _device_fields(protocol: Any, data: bytes) -> dict[str, Any]:
    """The device information a live frame carries besides (JK 4E57 read-all: software
    version, manufacturer …), without the protocol (the line names it already)."""
    from ..protocols import DecodeError

    try:
        messages = protocol.decode_all(data)
    except DecodeError:
        return {}
    out: dict[str, Any] = {}
    for message in messages:
        if isinstance(message, DeviceInfo):
            out.update({k: v for k, v in message.to_fields().items() if k != "protocol"})
    return out


def _stdin_lines() -> Iterator[bytes]:
    """stdin as bytes, one line at a time: no locale can make a stray byte fatal."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # replaced by a text-only object (tests)
        yield from (line.encode("utf-8", "replace") for line in sys.stdin)
        return
    yield from stream


def cmd_decode(args: argparse.Namespace) -> int:
    """One JSON line per frame.  From stdin: one output line per input line, blank
    lines included (``{"error": "empty frame"}``); a reader that goes away (``| head
    -1``) ends the run quietly."""
    try:
        if args.hex is not None:
            out = decode_one(args.protocol, args.hex)
            print(json.dumps(out), flush=True)
            return 1 if "error" in out else 0
        for line in _stdin_lines():
            # latin-1 maps every byte to one character: a non-hex byte is "not hex", never fatal
            text = line.decode("latin-1")
            print(json.dumps(decode_one(args.protocol, text)), flush=True)
    except BrokenPipeError:
        quiet_stdout()
        return 0
    except KeyboardInterrupt:
        return 130
    return 0
