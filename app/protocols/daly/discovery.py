"""Finding a Daly board: Bluetooth advertisements, GATT layouts, and the probe order on a cable.

Pure data and small pure functions (no I/O): the scan and the session (phase 2)
loop over them.  Facts from jbd_daly.md §6.2 and §7 item 5, and the issue:

- advertised names ``DL-<MAC>`` / ``DL-F…``; manufacturer (company) ids 0x0102,
  0x0104, 0x0302, 0x0303, 0x0402 (aiobmsble);
- service 0xFFF0 with notify 0xFFF1 and write 0xFFF2 (syssi-daly, aiobmsble; the
  old A5 dongles use the same); some newer firmware (DL/JHB, batmon #356) has
  0xFF00/0xFF01/0xFF02 instead and refuses notifications on 0xFFF1;
- the service UUIDs alone do not tell Daly from JBD (JBD modules use both
  layouts too, §1.2): a match needs the name or a company id;
- on a cable with "Automatic": D2 first, then A5 (address by port: 0x40 on the
  RS485 port, 0x80 on UART; a USB adapter does not say which, so both), then
  P81 — each probe short, all of them under 3 s.
"""

from __future__ import annotations

from collections.abc import Mapping

from ...model import Message, Snapshot
from ..base import DecodeError
from ..family import Probe
from . import a5, modbus


def _uuid(short: int) -> str:
    return f"0000{short:04x}-0000-1000-8000-00805f9b34fb"


BLE_SERVICE = _uuid(0xFFF0)
BLE_NOTIFY = _uuid(0xFFF1)
BLE_WRITE = _uuid(0xFFF2)
#: (service, notify, write) tried when the first layout is missing
BLE_ALTERNATIVES = ((_uuid(0xFF00), _uuid(0xFF01), _uuid(0xFF02)),)
NAME_PREFIXES = ("DL-",)
COMPANY_IDS = frozenset({0x0102, 0x0104, 0x0302, 0x0303, 0x0402})


def ble_matches(
    name: str | None, company_ids: Mapping[int, bytes] | set[int] | frozenset[int] = frozenset()
) -> bool:
    """True when an advertisement is a Daly board's (name or company id, never UUIDs alone)."""
    if name and name.strip().upper().startswith(NAME_PREFIXES):
        return True
    return any(cid in COMPANY_IDS for cid in company_ids)


def _d2_status(message: Message) -> bool:
    return isinstance(message, Snapshot) and message.cell_count is not None


def _a5_status(message: Message) -> bool:
    return isinstance(message, Snapshot) and "daly_ntc_count" in message.extra


def probes(transport: str) -> list[Probe]:
    """The order to try on ``transport`` ("serial", "ble"): the first answer wins."""
    d2 = Probe(
        "daly_d2",
        {},
        modbus.build_read(0x00, 62),
        _d2_status,
        timeout_s=0.6,
        note="D2 status block, 62 registers (§6.3)",
    )
    p81 = Probe(
        "daly_d2",
        {"variant": "p81"},
        modbus.build_read(0x00, 64, modbus.P81),
        _d2_status,
        note="P81 cells block, 64 registers (§6.5)",
    )
    a5_uart = Probe(
        "daly_a5",
        {"address": "0x80"},
        a5.request(a5.STATUS_INFO, address=a5.ADDRESS_UART),
        _a5_status,
        note="A5 0x94 from the UART / Bluetooth address",
    )
    if transport == "ble":
        return [d2, a5_uart, p81]
    a5_rs485 = Probe(
        "daly_a5",
        {"address": "0x40"},
        a5.request(a5.STATUS_INFO, address=a5.ADDRESS_RS485),
        _a5_status,
        note="A5 0x94 from the RS485 address",
    )
    return [d2, a5_rs485, a5_uart, p81]


def probe_answered(probe: Probe, frame: bytes) -> bool:
    """Did ``frame`` (one frame the reader cut) answer ``probe``?"""
    from . import d2 as d2_decode

    try:
        if probe.protocol == "daly_a5":
            messages = [a5.decode_frame(frame)]
        else:
            messages = d2_decode.decode_all(frame)
    except DecodeError:
        return False
    return any(probe.accepts(m) for m in messages)
