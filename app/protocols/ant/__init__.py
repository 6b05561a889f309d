"""ANT BMS: the 2021 protocol (``7E A1 … AA 55``) and the legacy one (``AA 55 AA FF``).

Facts: ../shared/protocols/ant_xiaomi.md §1 (legacy), §2 (2021), §4 (implementation
notes); real frames: ../shared/frames/ant.json (copied to tests/data/ant_frames.json).
Pure: no Qt, no I/O, no asyncio.

Modules: ``checksums`` (CRC-16/MODBUS and the legacy sums), ``framing`` (the
table-driven reader and frame builders), ``layout`` (status field tables),
``alarms`` (status words and enums), ``schema`` (settings rows), ``decode`` /
``encode`` (2021), ``legacy`` (legacy decode/encode), ``protocol2021`` /
``protocol_legacy`` (the ``Protocol`` classes), ``labels`` (texts of the ``ant_*``
keys), ``family`` (the descriptor the registry finds as ``FAMILY``).
"""

from __future__ import annotations

from .. import register
from .decode import ANT_2021
from .legacy import ANT_LEGACY
from .protocol2021 import Ant2021Protocol
from .protocol_legacy import AntLegacyProtocol

# "ant" (the family's id) names the 2021 protocol as the one tried first; the session
# takes a family's id as "find out which of its protocols the board speaks"
PROTOCOL_2021 = register(Ant2021Protocol(), "ant", "ant2021", "ant_bms")
PROTOCOL_LEGACY = register(AntLegacyProtocol(), "ant_old", "antlegacy")

from .family import family as _family  # noqa: E402 - after the protocols it describes

FAMILY = _family((PROTOCOL_2021, PROTOCOL_LEGACY))

__all__ = [
    "ANT_2021",
    "ANT_LEGACY",
    "FAMILY",
    "Ant2021Protocol",
    "AntLegacyProtocol",
    "PROTOCOL_2021",
    "PROTOCOL_LEGACY",
]
