"""The Xiaomi / Ninebot family's descriptor: what the shared code needs to know.

Found by the family registry (``app/protocols/family.py``) through ``FAMILY`` in
the package's ``__init__``.  Facts from ../shared/protocols/ant_xiaomi.md §3–§4
and the workshop guide (../shared/seeds/002_e40d646d72bee06c.txt) for the
health page.
"""

from __future__ import annotations

from ..family import Ble, Family, GattLayout
from . import (
    BLE_NOTIFY,
    BLE_SERVICE,
    BLE_WRITE,
    M365,
    M365_PROTOCOL,
    NINEBOT_PROTOCOL,
    looks_like,
    probes,
    schema,
)
from . import framing as fr
from .health import GUIDE


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate's marker
    return text


def reseal(frame: bytes) -> bytes:
    """``frame`` with its checksum made right again: (sum of L..end of DATA) XOR 0xFFFF,
    little-endian, in the last two bytes of a frame whose length byte fits (§3.2, §3.3)."""
    fmt = fr.format_of(frame)
    if fmt is None or len(frame) < 3 or frame[2] < fmt.min_length_byte:
        return frame
    need = fmt.size(frame[2])
    if len(frame) < need:
        return frame
    buf = bytearray(frame)
    buf[need - 2 : need] = fr.checksum_bytes(buf[2 : need - 2])
    return bytes(buf)


# The dashboard's Nordic UART bridge (§3.6).  The BMS has no radio: a scan that sees a
# scooter's dashboard lists it, and connecting says why the pack is read by cable.
NORDIC_UART = GattLayout(
    BLE_SERVICE,
    BLE_NOTIFY,
    BLE_WRITE,
    ((0x0E, BLE_NOTIFY, ("notify",)), (0x0B, BLE_WRITE, ("write", "write-without-response"))),
)

#: labels of the family's own keys that reach a person (settings, the read output)
LABELS = {
    "xiaomi_nominal_voltage_v": QT_TRANSLATE_NOOP("Vocabulary", "Nominal voltage"),
    "xiaomi_charge_count": QT_TRANSLATE_NOOP("Vocabulary", "Charge count"),
    "xiaomi_peak_voltage_v": QT_TRANSLATE_NOOP("Vocabulary", "Highest pack voltage seen"),
    "xiaomi_peak_discharge_current_a": QT_TRANSLATE_NOOP("Vocabulary", "Highest discharge current seen"),
    "xiaomi_peak_charge_current_a": QT_TRANSLATE_NOOP("Vocabulary", "Highest charge current seen"),
    "xiaomi_status_bits": QT_TRANSLATE_NOOP("Vocabulary", "BMS status bits"),
}
HELP = {
    "xiaomi_charge_count": QT_TRANSLATE_NOOP(
        "Vocabulary", "How many times the pack was put on charge, as its BMS counts it (register 0x1C)."
    ),
    "xiaomi_peak_voltage_v": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The highest pack voltage the BMS recorded. Documented by one open "
        "firmware only: on a stock BMS the register may mean something else.",
    ),
    "xiaomi_peak_discharge_current_a": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The highest discharge current the BMS recorded. Documented by one open "
        "firmware only: on a stock BMS the register may mean something else.",
    ),
    "xiaomi_peak_charge_current_a": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The highest charge current the BMS recorded. Documented by one open "
        "firmware only: on a stock BMS the register may mean something else.",
    ),
    "xiaomi_status_bits": QT_TRANSLATE_NOOP(
        "Vocabulary",
        "The BMS's status register 0x30: charging, charger inserted, write "
        "lock and its protection states, one bit each.",
    ),
}

FAMILY = Family(
    id="xiaomi",
    name="Xiaomi / Ninebot scooter pack",
    protocols=(M365_PROTOCOL, NINEBOT_PROTOCOL),
    looks_like=looks_like,
    frame_words="Xiaomi/Ninebot (a 55 AA or 5A A5 header with its inverted-sum checksum)",
    ble=Ble(
        layouts=(NORDIC_UART,),
        name_prefixes=("MISCOOTER",),
        url_options=f"?protocol={M365}",
        sim_name="MIScooter-SIM",
    ),
    labels={**{s.key: s.label for s in schema.SCHEMA if s.key.startswith("xiaomi_")}, **LABELS},
    help={**{s.key: s.help for s in schema.SCHEMA}, **HELP},
    url_options=("host", "current_sign", "temp_order"),
    connection_help=QT_TRANSLATE_NOOP(
        "ConnectionPage",
        "A <b>Xiaomi M365 / Pro / 1S or Ninebot ES / Max / G30 scooter pack</b> "
        "is read by cable: a 3.3 V USB-UART adapter with TX and RX tied together on the pack's "
        "data wire (never 5 V), 115200 baud; <i>Automatic</i> tries the m365 and ninebot framings. "
        "Bluetooth goes through the scooter's dashboard and, on current firmware, NinebotCrypto "
        "or Mi authentication, which Packbench does not do: use the cable.",
    ),
    no_answer_hint=(
        "a scooter pack answers on its data wire at 115200 baud through a 3.3 V "
        'adapter with TX and RX tied together; a pack behind a "Happy BMS" or Rita '
        "adapter may not answer at all."
    ),
    # no choose_hint: on a cable, "Automatic" probes m365 and ninebot itself
    probes=probes,
    transport_note=(
        "Xiaomi and Ninebot scooter packs are read by cable: Bluetooth goes through "
        "the scooter's dashboard and needs NinebotCrypto or Mi authentication, which "
        "Packbench does not do. Wire a 3.3 V USB-UART adapter to the pack's data wire."
    ),
    health=GUIDE,
    reseal=reseal,
)
