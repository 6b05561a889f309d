"""Daly smart BMS: the classic ``A5`` protocol and the Modbus ``D2`` protocol (with P81).

Research: ../shared/protocols/jbd_daly.md §4–§9 and ../shared/frames/daly.json
(the frames tests/data/daly_frames.json copies).  Pure: no Qt, no I/O, no asyncio.

Modules:
- checksums: the shared ``protocols/checksums.py`` (sum8 for A5, CRC-16/MODBUS for D2, P81);
- ``framing``: a shape function per protocol on the shared reader base;
- ``fields``: field rows that decode and encode (value <-> raw, with Daly's offsets);
- ``faults``: the fault bits of A5 0x98 and D2 0x3A–0x3D -> canonical alarms;
- ``a5`` / ``d2`` (+ ``modbus``): frames -> model messages, and the host's frames;
- ``schema``: the settings rows;
- ``a5_protocol`` / ``d2_protocol``: the ``Protocol`` objects with their scripts;
- ``discovery``: Bluetooth matchers and GATT layouts, the probe order on a cable;
- ``labels``: labels and help of the family's own keys, marked for translation;
- ``family``: the ``FAMILY`` descriptor the registry finds.
"""

from __future__ import annotations

from dataclasses import replace

from .. import register
from .a5_protocol import DALY_A5, DalyA5Protocol
from .d2_protocol import DALY_D2, DalyD2Protocol
from .family import FAMILY as _DESCRIPTOR

# no bare "daly" alias: "daly" is the family, and a URL naming it asks the session to
# probe which of the two a board speaks (Family.probes)
A5_PROTOCOL = register(DalyA5Protocol(), "daly_uart")
D2_PROTOCOL = register(DalyD2Protocol(), "daly_modbus", "daly_ble_modbus", "daly_p81_modbus")

FAMILY = replace(_DESCRIPTOR, protocols=(D2_PROTOCOL, A5_PROTOCOL))

__all__ = ["A5_PROTOCOL", "D2_PROTOCOL", "DALY_A5", "DALY_D2", "FAMILY", "DalyA5Protocol", "DalyD2Protocol"]
