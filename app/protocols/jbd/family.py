"""The JBD family's descriptor: what the shared code needs to know about JBD boards.

Found by the family registry (``app/protocols/family.py``) through ``FAMILY`` in
the package's ``__init__``.  Facts from ../shared/protocols/jbd_daly.md.
"""

from __future__ import annotations

from ...model.labels import LABELS as SHARED_LABELS
from ..family import Ble, Family, GattLayout, VendorFormat
from . import BLE_ALTERNATIVES, BLE_NOTIFY, BLE_SERVICE, BLE_WRITE, JBD, PROTOCOL, fig, schema
from . import framing as fr
from .help import HELP


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate's marker
    return text


def looks_like(data: bytes) -> str | None:
    """``DD`` (a board's frame) and ``FF AA`` (a Bluetooth module's) are JBD (§1)."""
    if data[:1] == b"\xdd" or data[:2] == b"\xff\xaa":
        return JBD
    return None


def reseal(frame: bytes) -> bytes:
    """``frame`` with its checksum made right again: ``DD`` frames carry 0x10000 minus the
    sum of the bytes from the third to the last data byte, big-endian, before the 77
    (§1); ``FF AA`` module frames end in the sum of the bytes after the header (§1.3)."""
    buf = bytearray(frame)
    if buf[:1] == b"\xdd" and len(buf) >= 7:
        n = buf[3]
        if 7 + n <= len(buf):
            buf[4 + n : 6 + n] = fr.checksum(buf[2 : 4 + n]).to_bytes(2, "big")
    elif buf[:2] == fr.MODULE_HEADER and len(buf) >= 5:
        n = buf[3]
        if 5 + n <= len(buf):
            buf[4 + n] = fr.module_checksum(buf[: 5 + n])
    return bytes(buf)


# advertised names of JBD modules (§1.2, aiobmsble's matcher list)
NAME_PREFIXES = ("JBD-", "SP04S", "SP15S", "SP25S", "DP04S", "XIAOXIANG", "SX1", "DWF", "LSG-")

_ALT = BLE_ALTERNATIVES[0]
# JBD modules (§1.2): FF01 notify ≈ handle 0x11, FF02 write ≈ 0x15; and the layout of
# DH04-style modules (FFF0/FFF1/FFF2), which serialbattery auto-detects
LAYOUTS = (
    GattLayout(
        BLE_SERVICE,
        BLE_NOTIFY,
        BLE_WRITE,
        ((0x11, BLE_NOTIFY, ("notify",)), (0x15, BLE_WRITE, ("write", "write-without-response"))),
        name="ff00",
    ),
    GattLayout(
        _ALT[0],
        _ALT[1],
        _ALT[2],
        ((0x11, _ALT[1], ("notify",)), (0x15, _ALT[2], ("write", "write-without-response"))),
        name="fff0",
    ),
)

# the JBD Tools parameter file (§3.6)
FIG = VendorFormat(
    ".fig",
    JBD,
    "JBD",
    QT_TRANSLATE_NOOP("ParametersPage", "JBD Tools parameter files (*.fig)"),
    parse=fig.parse,
    dump=fig.dump,
)

FAMILY = Family(
    id="jbd",
    name="JBD / LLT / Xiaoxiang",
    protocols=(PROTOCOL,),
    looks_like=looks_like,
    frame_words="JBD (a DD or FF AA header)",
    ble=Ble(
        layouts=LAYOUTS,
        name_prefixes=NAME_PREFIXES,
        service_prefixes=("0000ff00", "0000fff0"),
        url_options=f"?protocol={JBD}",
        sim_name="JBD-SIM",
    ),
    # the schema rows carry label and help of every key; the shared vocabulary's own
    # labels come first (family.label)
    labels={s.key: s.label for s in schema.SCHEMA if s.key not in SHARED_LABELS},
    help={**{s.key: s.help for s in schema.SCHEMA if s.help}, **HELP},
    vendor_formats=(FIG,),
    connection_help=QT_TRANSLATE_NOOP(
        "ConnectionPage",
        "For a <b>JBD / LLT / Xiaoxiang</b> board choose <i>jbd</i> (its cable "
        "runs at 9600 baud); Scan recognises JBD Bluetooth modules by itself.",
    ),
    no_answer_hint="a JBD board's cable runs at 9600 baud (8N1).",
    choose_hint="For a JBD / LLT / Xiaoxiang board choose the jbd protocol.",
    reseal=reseal,
)
