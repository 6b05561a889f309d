"""The ANT family's descriptor: what the shared code needs to know about ANT boards.

Found by the family registry (``app/protocols/family.py``) through ``FAMILY`` in the
package's ``__init__``.  Facts from ../shared/protocols/ant_xiaomi.md §1 (legacy),
§2 (2021) and §4 (implementation notes).
"""

from __future__ import annotations

from ...model import DeviceInfo, Message, Snapshot
from ..checksums import crc16_modbus, sum8, sum16
from ..family import Ble, Family, GattLayout, Probe
from . import encode as enc
from . import framing as fr
from . import legacy as leg
from .decode import ANT_2021
from .labels import HELP, LABELS
from .legacy import ANT_LEGACY
from .protocol2021 import BLE_CHARACTERISTIC, BLE_SERVICE, BLE_WRITE_ONLY


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate's marker
    return text


#: the family id; ``?protocol=ant`` asks the session to find out which protocol the board
#: speaks (2021 first, then legacy: §4.1)
FAMILY_ID = "ant"


def looks_like(data: bytes) -> str | None:
    """``7E A1 … AA 55`` is ANT 2021 (§2.1); a 140-byte ``AA 55 AA FF`` frame is legacy
    (§1.3), as is a 6-byte ``DB DB`` / ``5A 5A`` / ``A5 A5`` frame whose sum checks out
    (§1.2: six bytes with those headers are too common to claim without it)."""
    if data[:2] == fr.HEADER_2021 and len(data) >= 10 and data[-2:] == fr.TAIL_2021:
        return ANT_2021
    if data[:4] == fr.STATUS_HEADER:
        return ANT_LEGACY
    if len(data) == fr.SHORT_LEN and fr.check_short(data) is None:
        return ANT_LEGACY
    return None


def reseal(frame: bytes) -> bytes:
    """``frame`` with its checksum(s) made right again: a 2021 frame's CRC-16/MODBUS over
    bytes 1..5+LEN and the 6-byte record's own CRC (§2.1); the legacy status frame's
    16-bit sum of bytes 4..137 (§1.3) and a 6-byte frame's sum of bytes 2..4 (§1.2)."""
    buf = bytearray(frame)
    if buf[:2] == fr.HEADER_2021 and len(buf) >= 10:
        n = fr.data_length_2021(buf)
        if n + 8 <= len(buf):
            buf[6 + n : 8 + n] = crc16_modbus(buf[1 : 6 + n]).to_bytes(2, "little")
        if len(buf) == n + 10 + fr.TRAILER_LEN:
            buf[12 + n : 14 + n] = crc16_modbus(buf[8 + n : 12 + n]).to_bytes(2, "little")
    elif buf[:4] == fr.STATUS_HEADER and len(buf) >= fr.STATUS_LEN:
        buf[138:140] = sum16(buf[4:138]).to_bytes(2, "big")
    elif len(buf) == fr.SHORT_LEN and bytes(buf[:2]) in fr.SHORT_HEADERS:
        buf[5] = sum8(buf[2:5])
    return bytes(buf)


# §2.3: service FFE0, one characteristic FFE1 for notify and write-without-response
# (handle 0x10 in esphome's log), FFE2 write only and unused; older "ANT-BLE" modules
# of the legacy protocol use the same service (§1.1)
GATT = GattLayout(
    BLE_SERVICE,
    BLE_CHARACTERISTIC,
    BLE_CHARACTERISTIC,
    (
        (0x10, BLE_CHARACTERISTIC, ("notify", "write-without-response", "write")),
        (0x13, BLE_WRITE_ONLY, ("write",)),
    ),
)
#: company ids batmon-ha saw in ANT adverts (§2.3)
COMPANY_IDS = (0x0657, 0x2313)
#: names in aiobmsble's matchers (§2.3): a hint only, the protocol is probed
NAME_PREFIXES = ("ANT-BLE", "ANT@BLE", "ANT_BLE")

#: Packbench's own additions to the chemistry presets: the second protection level and
#: the warnings move with the chemistry, so a LiFePO4 preset never leaves a Li-ion
#: board's 4.3 V level 2 behind.  Level 2 sits 0.10 V beyond level 1 (the 16ZMUB
#: capture: 3.65 / 3.80 V; the NMC unit of issue #18: 4.15 / 4.30 V) and releases at
#: the level-1 recovery; the warnings sit at the 100 % / 0 % voltages of the preset
#: and release at its recoveries (presets.md "Packbench presets").
PRESET_VALUES = {
    "lifepo4": {
        "ant_cell_ovp2_v": 3.75,
        "ant_cell_ovp2_recovery_v": 3.55,
        "ant_cell_uvp2_v": 2.30,
        "ant_cell_uvp2_recovery_v": 2.80,
        "ant_cell_ov_alarm_v": 3.60,
        "ant_cell_ov_alarm_recovery_v": 3.55,
        "ant_cell_uv_alarm_v": 2.70,
        "ant_cell_uv_alarm_recovery_v": 2.80,
    },
    "li-ion": {
        "ant_cell_ovp2_v": 4.30,
        "ant_cell_ovp2_recovery_v": 4.10,
        "ant_cell_uvp2_v": 2.60,
        "ant_cell_uvp2_recovery_v": 3.20,
        "ant_cell_ov_alarm_v": 4.15,
        "ant_cell_ov_alarm_recovery_v": 4.10,
        "ant_cell_uv_alarm_v": 3.10,
        "ant_cell_uv_alarm_recovery_v": 3.20,
    },
    "lto": {
        "ant_cell_ovp2_v": 2.90,
        "ant_cell_ovp2_recovery_v": 2.70,
        "ant_cell_uvp2_v": 1.60,
        "ant_cell_uvp2_recovery_v": 2.00,
        "ant_cell_ov_alarm_v": 2.75,
        "ant_cell_ov_alarm_recovery_v": 2.70,
        "ant_cell_uv_alarm_v": 1.90,
        "ant_cell_uv_alarm_recovery_v": 2.00,
    },
}

#: the family's own ordering rules (presets.md rules 1 and 2 for its second level and
#: its warnings): level 2 lies beyond level 1, each recovery on the safe side
RELATIONS = (
    (2, "cell_ovp_v", "ant_cell_ovp2_v"),
    (2, "ant_cell_ovp2_recovery_v", "ant_cell_ovp2_v"),
    (1, "ant_cell_uvp2_v", "cell_uvp_v"),
    (1, "ant_cell_uvp2_v", "ant_cell_uvp2_recovery_v"),
    (2, "ant_cell_ov_alarm_recovery_v", "ant_cell_ov_alarm_v"),
    (1, "ant_cell_uv_alarm_v", "ant_cell_uv_alarm_recovery_v"),
)


def _is_info(message: Message) -> bool:
    return isinstance(message, DeviceInfo)


def _is_status(message: Message) -> bool:
    return isinstance(message, Snapshot)


def probes(link: str) -> list[Probe]:
    """Which protocol an ANT board speaks (§4.1): the 2021 device information first, then
    the legacy status request (``DB DB`` over Bluetooth, ``5A 5A`` on a cable, §1.2) at
    19200 and then 9600 baud on a cable (§1.1 CONFLICT on the speed)."""
    first = Probe(
        ANT_2021,
        {},
        enc.device_info_request(),
        _is_info,
        timeout_s=1.0,
        note="ANT 2021 device information (§2)",
    )
    if link == "ble":
        return [
            first,
            Probe(
                ANT_LEGACY,
                {},
                leg.STATUS_REQUEST_BT,
                _is_status,
                timeout_s=1.0,
                note="ANT legacy status, DB DB (§1.2)",
            ),
        ]
    return [
        first,
        Probe(
            ANT_LEGACY,
            {"request": "5a5a"},
            leg.STATUS_REQUEST_UART,
            _is_status,
            timeout_s=1.0,
            note="ANT legacy status, 5A 5A at 19200 baud (§1.2)",
        ),
        Probe(
            ANT_LEGACY,
            {"request": "5a5a", "baud": "9600"},
            leg.STATUS_REQUEST_UART,
            _is_status,
            timeout_s=1.0,
            note="ANT legacy status, 5A 5A at 9600 baud (§1.1)",
        ),
    ]


def family(protocols: tuple) -> Family:
    return Family(
        id=FAMILY_ID,
        name="ANT",
        protocols=protocols,
        looks_like=looks_like,
        frame_words="ANT (a 7E A1 … AA 55 frame, a 140-byte AA 55 AA FF frame, or a 6-byte "
        "DB DB, 5A 5A or A5 A5 frame with its sum)",
        ble=Ble(
            layouts=(GATT,),
            company_ids=COMPANY_IDS,
            name_prefixes=NAME_PREFIXES,
            service_prefixes=("0000fee7",),
            url_options=f"?protocol={FAMILY_ID}",
            advertised=(COMPANY_IDS[0], b""),
            sim_name="ANT-BLE16SIM",
        ),
        labels=LABELS,
        help=HELP,
        relations=RELATIONS,
        preset_values=PRESET_VALUES,
        connection_help=QT_TRANSLATE_NOOP(
            "ConnectionPage",
            "For an <b>ANT</b> board choose <i>ANT: find the protocol (ant)</i>: "
            "Packbench asks in the 2021 protocol first and falls back to the older one (on a "
            "cable at 19200, then 9600 baud). An ANT board accepts one Bluetooth connection at a "
            "time: close the phone app first.",
        ),
        no_answer_hint="an ANT board's cable runs at 19200 baud (older boards at 9600), and the "
        "board accepts one Bluetooth connection at a time, so close the phone app.",
        choose_hint="For an ANT board choose the ant protocol: Packbench then finds out whether "
        "it speaks the 2021 protocol or the older one.",
        reseal=reseal,
        probes=probes,
        # its protocols' own options (bind), kept from pyserial on a cable's URL
        url_options=("mos_order", "current_sign", "param_level", "request"),
    )
