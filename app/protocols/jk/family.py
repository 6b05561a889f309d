"""The JK family's descriptor: what the shared code needs to know about JK boards.

Found by the family registry (``app/protocols/family.py``) through ``FAMILY`` in
the package's ``__init__``.  Facts from ../shared/protocols/jk.md.
"""

from __future__ import annotations

from ..base import DecodeError
from ..family import Ble, Family, GattLayout
from . import BLE_CHAR, BLE_SERVICE, MANUFACTURER_ID, PROTOCOLS, framing, pb_modbus
from .decode import guess_variant
from .labels import HELP, LABELS
from .layout import JK02_32S
from .serial4e57 import JK_4E57


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate's marker
    return text


# advertisement company ids (jk.md §1.1; aiobmsble also matches 0x4B4A, "JK")
COMPANY_IDS = (MANUFACTURER_ID, 0x4B4A)


def looks_like(data: bytes) -> str | None:
    """Which JK protocol a frame nobody named is: ``4E 57`` the serial protocol (jk.md
    §7.2); ``55 AA EB 90`` / ``AA 55 90 EB`` the JK02 family, its variant told by
    ``decode.guess_variant``, except a payload followed by the FC16 acknowledgement of a
    JK-PB trigger (jk.md §8.3); a CRC-checked Modbus RTU frame of the functions JK-PB
    uses is ``jk_pb``; anything else None."""
    if data[:2] == b"\x4e\x57":
        return JK_4E57
    if data[:4] in (framing.RESPONSE_HEADER, framing.COMMAND_HEADER):
        if pb_modbus.payload_slave(data) is not None:
            return pb_modbus.JK_PB
        return guess_variant(data)
    try:
        pb_modbus.parse_rtu(data)
    except DecodeError:
        return None
    return pb_modbus.JK_PB


# the newer JK module: service FFE0 with *two* FFE1 characteristics, handle 3 for
# writes and handle 5 for notifications (jk.md §1.1)
GATT = GattLayout(BLE_SERVICE, BLE_CHAR, BLE_CHAR,
                  ((3, BLE_CHAR, ("write", "write-without-response")), (5, BLE_CHAR, ("notify",))))

FAMILY = Family(
    id="jk",
    name="JK (Jikong)",
    protocols=tuple(PROTOCOLS.values()),
    looks_like=looks_like,
    frame_words="JK (a 55 AA EB 90, AA 55 90 EB or 4E 57 header, or a CRC-checked Modbus RTU "
                "frame of JK-PB)",
    # its device-info reply tells the exact variant (jk.md §1.6)
    default_protocol=JK02_32S,
    ble=Ble(layouts=(GATT,), company_ids=COMPANY_IDS, service_prefixes=("0000ffe0",),
            # manufacturer data: 88 A0 and the MAC (jk.md §1.1)
            advertised=(COMPANY_IDS[0], b"\x88\xa0"), sim_name="JK-SIM"),
    labels=LABELS,
    help=HELP,
    # Packbench's own: the charge/float voltage a JK board asks an inverter for
    # must stay below the cut-off, or the inverter charges into the protection
    relations=((2, "jk_rcv_v", "cell_ovp_v"), (2, "jk_rfv_v", "cell_ovp_v")),
    # the charge and float voltage a JK-PB board requests from an inverter, per cell:
    # Packbench's own additions to the presets, at the over-voltage recovery and a
    # float below it, so an inverter never charges into the cut-off
    preset_values={"lifepo4": {"jk_rcv_v": 3.55, "jk_rfv_v": 3.40},
                   "li-ion": {"jk_rcv_v": 4.10, "jk_rfv_v": 4.00},
                   "lto": {"jk_rcv_v": 2.70, "jk_rfv_v": 2.60}},
    connection_help=QT_TRANSLATE_NOOP(
        "ConnectionPage", "Leave the protocol on <i>Automatic</i> for a JK board: it tells its "
        "variant when asked. A JK board accepts one Bluetooth connection at a time: close the "
        "phone app first."),
    no_answer_hint="a JK board accepts one Bluetooth connection at a time, so close the phone app.",
)
