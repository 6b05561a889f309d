"""The JK family's descriptor: what the shared code needs to know about JK boards.

Found by the family registry (``app/protocols/family.py``) through ``FAMILY`` in
the package's ``__init__``.  Facts from ../shared/protocols/jk.md.
"""

from __future__ import annotations

from ..base import DecodeError
from ..family import Ble, Family, GattLayout
from . import BLE_CHAR, BLE_SERVICE, MANUFACTURER_ID, PROTOCOLS, framing, pb_modbus, serial4e57
from .decode import guess_variant
from .labels import HELP, LABELS
from .layout import JK02_32S
from .serial4e57 import JK_4E57


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate's marker
    return text


# advertisement company ids (jk.md §1.1; aiobmsble also matches 0x4B4A, "JK")
COMPANY_IDS = (MANUFACTURER_ID, 0x4B4A)


#: the highest slave address a JK-PB board's DIP switches set (jk.md §8.1: 1..15, 0 the master)
PB_DIP_ADDRESSES = 15


def looks_like(data: bytes) -> str | None:
    """Which JK protocol a frame nobody named is: ``4E 57`` the serial protocol (jk.md
    §7.2); ``55 AA EB 90`` / ``AA 55 90 EB`` the JK02 family, its variant told by
    ``decode.guess_variant``, except a payload followed by the FC16 acknowledgement of a
    JK-PB trigger (jk.md §8.3); a CRC-checked Modbus RTU frame of the functions JK-PB
    uses, from a JK-PB slave address, is ``jk_pb``; anything else None."""
    if data[:2] == b"\x4e\x57":
        return JK_4E57
    if data[:4] in (framing.RESPONSE_HEADER, framing.COMMAND_HEADER):
        if pb_modbus.payload_slave(data) is not None:
            return pb_modbus.JK_PB
        return guess_variant(data)
    try:
        frame = pb_modbus.parse_rtu(data)
    except DecodeError:
        return None
    # JK-PB slaves are 0..15 (DIP switches, jk.md §8.1): another slave's Modbus frame
    # (another family's board on the bus) is not JK's
    return pb_modbus.JK_PB if frame.slave <= PB_DIP_ADDRESSES else None


def reseal(frame: bytes) -> bytes:
    """``frame`` with its checksum made right again: the sum8 at the end of a 300-byte
    response or a 20-byte command (jk.md §1.2, §1.4), and of what follows a response in
    the same buffer (a 0xC8 command, or the 8-byte FC16 acknowledgement of a JK-PB
    trigger with its CRC, §8.3); the 16-bit sum of a 4E57 frame (§7.2); the Modbus
    CRC-16 of anything else (§8.1)."""
    buf = bytearray(frame)
    n, m = framing.RESPONSE_LENGTH, framing.COMMAND_LENGTH
    if buf[:4] == framing.RESPONSE_HEADER and len(buf) >= n:
        buf[n - 1] = framing.sum8(buf[: n - 1])
        after = len(buf) - len(buf[n:].lstrip(b"\x00"))  # pad bytes may come first (§8.3)
        if buf[after : after + 4] == framing.COMMAND_HEADER and len(buf) >= after + m:
            buf[after + m - 1] = framing.sum8(buf[after : after + m - 1])
        elif len(buf) - after == 8:
            _crc_at_end(buf, after)
    elif buf[:4] == framing.COMMAND_HEADER and len(buf) >= m:
        buf[m - 1] = framing.sum8(buf[: m - 1])
    elif buf[:2] == b"\x4e\x57" and len(buf) >= 4:
        total = int.from_bytes(buf[2:4], "big") + 2
        if 8 <= total <= len(buf):
            buf[total - 2 : total] = serial4e57.checksum(buf[: total - 4]).to_bytes(2, "big")
    elif len(buf) >= 4:
        _crc_at_end(buf, 0)
    return bytes(buf)


def _crc_at_end(buf: bytearray, start: int) -> None:
    crc = pb_modbus.crc16(buf[start:-2])
    buf[-2:] = bytes([crc & 0xFF, crc >> 8])


# the newer JK module (addresses 20:21:11…): service FFE0 with *two* FFE1
# characteristics, handle 3 for writes and handle 5 for notifications (jk.md §1.1)
GATT = GattLayout(
    BLE_SERVICE,
    BLE_CHAR,
    BLE_CHAR,
    ((3, BLE_CHAR, ("write", "write-without-response")), (5, BLE_CHAR, ("notify",))),
    name="split",
    address_prefix="20:21:11",
)
# the older JK module (addresses C8:47:8C…): one FFE1 characteristic, handle 0x12,
# that takes writes and notifies (jk.md §1.1; its FFE2 and TI OAD service carry no
# BMS data, and jk.md gives no properties for them, so the fake leaves them out)
GATT_SINGLE = GattLayout(
    BLE_SERVICE,
    BLE_CHAR,
    BLE_CHAR,
    ((0x12, BLE_CHAR, ("write", "write-without-response", "notify")),),
    name="single",
    address_prefix="C8:47:8C",
)

FAMILY = Family(
    id="jk",
    name="JK (Jikong)",
    protocols=tuple(PROTOCOLS.values()),
    looks_like=looks_like,
    frame_words="JK (a 55 AA EB 90, AA 55 90 EB or 4E 57 header, or a CRC-checked Modbus RTU frame of JK-PB)",
    # its device-info reply tells the exact variant (jk.md §1.6)
    default_protocol=JK02_32S,
    ble=Ble(
        layouts=(GATT, GATT_SINGLE),
        company_ids=COMPANY_IDS,
        service_prefixes=("0000ffe0",),
        # manufacturer data: 88 A0 and the MAC (jk.md §1.1)
        advertised=(COMPANY_IDS[0], b"\x88\xa0"),
        sim_name="JK-SIM",
    ),
    labels=LABELS,
    help=HELP,
    # Packbench's own: the charge/float voltage a JK board asks an inverter for
    # must stay below the cut-off, or the inverter charges into the protection
    relations=((2, "jk_rcv_v", "cell_ovp_v"), (2, "jk_rfv_v", "cell_ovp_v")),
    # the charge and float voltage a JK-PB board requests from an inverter, per cell:
    # Packbench's own additions to the presets, at the over-voltage recovery and a
    # float below it, so an inverter never charges into the cut-off
    preset_values={
        "lifepo4": {"jk_rcv_v": 3.55, "jk_rfv_v": 3.40},
        "li-ion": {"jk_rcv_v": 4.10, "jk_rfv_v": 4.00},
        "lto": {"jk_rcv_v": 2.70, "jk_rfv_v": 2.60},
    },
    connection_help=QT_TRANSLATE_NOOP(
        "ConnectionPage",
        "Leave the protocol on <i>Automatic</i> for a JK board: it tells its "
        "variant when asked. A JK board accepts one Bluetooth connection at a time: close the "
        "phone app first.",
    ),
    no_answer_hint="a JK board accepts one Bluetooth connection at a time, so close the phone app.",
    reseal=reseal,
)
