"""The Daly family's descriptor: what the shared code needs to know about Daly boards.

Found by the family registry (``app/protocols/family.py``) through ``FAMILY`` in
the package's ``__init__``.  Facts from ../shared/protocols/jbd_daly.md §4–§9.
"""

from __future__ import annotations

from ..checksums import crc16_modbus, modbus_crc_ok, sum8
from ..family import Ble, Family, GattLayout
from . import discovery, modbus
from . import framing as fr
from .a5_protocol import DALY_A5
from .d2_protocol import DALY_D2
from .labels import HELP, LABELS


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate's marker
    return text


def looks_like(data: bytes) -> str | None:
    """A 13-byte ``A5`` frame with its sum (or a run of them) is ``daly_a5`` (§4.1); a
    CRC-checked Modbus frame that starts 0xD2, 0x81 or 0x51 is ``daly_d2`` (§6.1, §6.5:
    P81 is a variant of it).  Anything else None."""
    if data[:1] == bytes([fr.A5_START]):
        n = fr.A5_LENGTH
        if len(data) % n or not all(fr.a5_valid(data[i : i + n]) for i in range(0, len(data), n)):
            return None
        return DALY_A5
    if data[:1] and data[0] in fr.MODBUS_STARTS:
        if modbus_crc_ok(data):
            return DALY_D2
        try:
            modbus.parse(data)  # the FC06 echo a real board sent with a wrong CRC (§6.1)
        except ValueError:
            return None
        return DALY_D2
    return None


def reseal(frame: bytes) -> bytes:
    """``frame`` with its checksums made right again: the sum8 of every 13-byte A5
    frame of a run (§4.1), or the CRC-16/MODBUS at the end of a Modbus frame, low byte
    first (§6.1)."""
    buf = bytearray(frame)
    if buf[:1] == bytes([fr.A5_START]) and len(buf) >= fr.A5_LENGTH:
        for at in range(0, len(buf) - fr.A5_LENGTH + 1, fr.A5_LENGTH):
            buf[at + 12] = sum8(buf[at : at + 12])
    elif buf[:1] and buf[0] in fr.MODBUS_STARTS and len(buf) >= 4:
        buf[-2:] = crc16_modbus(buf[:-2]).to_bytes(2, "little")
    return bytes(buf)


def _layout(service: str, notify: str, write: str, name: str = "") -> GattLayout:
    return GattLayout(
        service,
        notify,
        write,
        ((0x11, notify, ("notify",)), (0x15, write, ("write", "write-without-response"))),
        name=name,
    )


_ALT = discovery.BLE_ALTERNATIVES[0]
#: fff0/fff1/fff2 (syssi-daly, aiobmsble; the old A5 dongles too), and ff00/ff01/ff02 of
#: newer DL/JHB firmware that refuses notifications on fff1 (batmon #356, §6.2)
LAYOUTS = (
    _layout(discovery.BLE_SERVICE, discovery.BLE_NOTIFY, discovery.BLE_WRITE, name="fff0"),
    _layout(*_ALT, name="ff00"),
)

FAMILY = Family(
    id="daly",
    name="Daly",
    protocols=(),  # set in __init__ (the registered objects)
    looks_like=looks_like,
    frame_words="Daly (a 13-byte A5 frame, or a CRC-checked Modbus frame starting D2, 81 or 51)",
    # the name or a company id, never the service alone: JBD modules use fff0 too (§6.2)
    ble=Ble(
        layouts=LAYOUTS,
        name_prefixes=discovery.NAME_PREFIXES,
        company_ids=tuple(sorted(discovery.COMPANY_IDS)),
        url_options="?protocol=daly",
        advertised=(0x0102, b""),
        sim_name="DL-SIM",
    ),
    labels=LABELS,
    help=HELP,
    # each warning level (1) stays on the safe side of its protection level (2),
    # presets.md rules 1, 2 and 4 applied to Daly's pairs (§6.4)
    relations=(
        (1, "cell_uvp_v", "daly_cell_uvp_warning_v"),
        (1, "pack_uvp_v", "daly_pack_uvp_warning_v"),
        (2, "daly_cell_ovp_warning_v", "cell_ovp_v"),
        (2, "daly_pack_ovp_warning_v", "pack_ovp_v"),
        (4, "daly_charge_otp_warning_c", "charge_otp_c"),
        (4, "charge_utp_c", "daly_charge_utp_warning_c"),
        (4, "daly_discharge_otp_warning_c", "discharge_otp_c"),
        (4, "discharge_utp_c", "daly_discharge_utp_warning_c"),
    ),
    # 0x89 battery type (§6.4: 0 LFP, 1 NMC, 2 LTO) and Packbench's own warning levels:
    # the 100 % / 0 % cell voltages and the recovery temperatures of presets.md, which
    # lie between the protection and the normal range
    preset_values={
        "lifepo4": {
            "daly_battery_type": 0,
            "daly_cell_ovp_warning_v": 3.60,
            "daly_cell_uvp_warning_v": 2.70,
            "daly_charge_otp_warning_c": 50,
            "daly_discharge_otp_warning_c": 55,
            "daly_charge_utp_warning_c": 5,
            "daly_discharge_utp_warning_c": -10,
        },
        "li-ion": {
            "daly_battery_type": 1,
            "daly_cell_ovp_warning_v": 4.15,
            "daly_cell_uvp_warning_v": 3.10,
            "daly_charge_otp_warning_c": 50,
            "daly_discharge_otp_warning_c": 55,
            "daly_charge_utp_warning_c": 5,
            "daly_discharge_utp_warning_c": -10,
        },
        "lto": {
            "daly_battery_type": 2,
            "daly_cell_ovp_warning_v": 2.75,
            "daly_cell_uvp_warning_v": 1.90,
            "daly_charge_otp_warning_c": 50,
            "daly_discharge_otp_warning_c": 55,
            "daly_charge_utp_warning_c": -25,
            "daly_discharge_utp_warning_c": -30,
        },
    },
    pack_levels={
        "daly_cell_ovp_warning_v": "daly_pack_ovp_warning_v",
        "daly_cell_uvp_warning_v": "daly_pack_uvp_warning_v",
    },
    connection_help=QT_TRANSLATE_NOOP(
        "ConnectionPage",
        "For a <b>Daly</b> board choose <i>Daly: find the protocol</i> (or leave "
        "<i>Automatic</i>): Packbench asks in the newer Modbus protocol (D2, also P81) and in the "
        "classic A5 protocol, at 9600 baud. Scan recognises Daly Bluetooth modules (names DL-…).",
    ),
    no_answer_hint="a Daly board's UART/RS485 port runs at 9600 baud (8N1); its RS485 port "
    "answers the A5 protocol from host address 0x40, the UART port from 0x80.",
    choose_hint="For a Daly board choose the daly protocol (it finds D2, A5 or P81 itself).",
    reseal=reseal,
    probes=discovery.probes,
    # D2's P81 variant and the per-device "invert current sign" option (vocabulary.md)
    url_options=("variant", "invert_current"),
)
