"""Finding a board's protocol by asking: ONE mechanism (``Family.probes``) for every family
whose boards do not say which of its protocols they speak — Daly (jbd_daly.md §7 item 5:
D2, then A5 from 0x40 and 0x80, then P81, at 9600 baud), ANT (2021, then legacy) and
Xiaomi / Ninebot (ant_xiaomi.md §3: m365 at 0x22, ninebot at 0x22 and 0x23, at 115200 baud).

Both families get the same three ways in: ``?protocol=<family id>``, *Automatic* on a
cable after the default protocol got no answer, and their own URL options kept from
pyserial (``Family.url_options``).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from app.protocols.family import get_family, probe_families
from app.session import DeviceSession, SessionError
from app.simulator import create_simulator
from app.simulator.server import ServerThread
from app.transports import open_transport


def _recording(sent: list[tuple[int, bytes]]) -> Any:
    """A transport factory whose links note every frame written, with the baud rate then."""

    def factory(url: Any, protocol: Any) -> Any:
        transport = open_transport(url, protocol)
        write = transport.write

        async def noted(data: bytes) -> None:
            sent.append((getattr(transport, "baudrate", 0), bytes(data)))
            await write(data)

        transport.write = noted
        return transport

    return factory


def _connect(url: str, **kw: Any) -> Any:
    async def go() -> Any:
        session = DeviceSession(url, None, reconnect=False, request_timeout_s=0.2, **kw)
        await session.connect()
        try:
            return session.protocol, session.device_info
        finally:
            await session.close()

    return asyncio.run(go())


def test_both_families_probe_through_the_family_descriptor() -> None:
    ids = [f.id for f in probe_families()]
    assert {"daly", "xiaomi"} <= set(ids)
    # the scooter bus is read by cable only (§3.6): nothing to ask over Bluetooth
    assert [p.protocol for p in get_family("xiaomi").probes("serial")] == ["m365", "ninebot", "ninebot"]
    assert get_family("xiaomi").probes("ble") == []


def test_a_url_naming_the_xiaomi_family_finds_an_external_pack() -> None:
    """``?protocol=xiaomi`` asks m365 at 0x22, ninebot at 0x22, then ninebot at 0x23, where
    only an external pack answers (a dual-battery adapter without the internal pack)."""
    sim = create_simulator("ninebot", seed=2, external="1", internal="0")
    with ServerThread(sim) as srv:
        protocol, info = _connect(f"{srv.url}?protocol=xiaomi")
    assert repr(protocol) == "<Protocol ninebot bms 0x23>"
    assert info.serial_number == "PACKBENCH00002"  # the simulated external pack's


def test_automatic_asks_each_question_at_its_protocols_baud_rate() -> None:
    """*Automatic* on a cable nothing answers: JK at 115200 baud first (the default), then
    every probing family's questions, the cable reopened at each one's speed — Daly's D2
    question `D2 03 00 00 00 3E D7 B9` at 9600 (jbd_daly.md §4.1, §7 item 5), the scooter
    bus's m365 read `55 AA 03 22 01 10 22 …` at 115200 (ant_xiaomi.md §3.2)."""
    sim = create_simulator("m365", seed=2)
    sim.faults.silent = True
    sent: list[tuple[int, bytes]] = []

    async def go() -> str:
        session = DeviceSession(
            srv.url, None, reconnect=False, request_timeout_s=0.1, transport_factory=_recording(sent)
        )
        with pytest.raises(SessionError) as failed:
            await session.connect()
        return str(failed.value)

    with ServerThread(sim) as srv:
        message = asyncio.run(go())
    assert sent[0][0] == 115200  # the default protocol's identification
    daly_d2 = [baud for baud, frame in sent if frame == bytes.fromhex("d2030000003ed7b9")]
    m365 = [baud for baud, frame in sent if frame[:7] == bytes.fromhex("55aa0322011022")]
    assert daly_d2 == [9600] and m365 == [115200, 115200]  # one try, and one retry
    assert "D2 status block" in message and "m365" in message


def test_a_familys_own_url_options_come_off_a_serial_url() -> None:
    """``variant`` and ``invert_current`` are Daly's (Family.url_options), ``host`` is the
    scooter bus's, ``mos_order`` and ``param_level`` ANT's: none of them reaches pyserial
    (a port name with a query would not even open), each reaches its protocol's ``bind``."""
    daly = DeviceSession(
        "socket://127.0.0.1:9?protocol=daly_d2&variant=p81&invert_current=1", reconnect=False
    )
    assert daly.url.target == "socket://127.0.0.1:9"
    assert daly.protocol.variant == "p81" and daly.protocol.invert_current is True
    ninebot = DeviceSession("socket://127.0.0.1:9?protocol=ninebot&host=0x3e", reconnect=False)
    assert ninebot.url.target == "socket://127.0.0.1:9" and ninebot.protocol.host == 0x3E
    ant = DeviceSession(
        "/dev/ttyUSB0?protocol=ant_2021&mos_order=charge_first&param_level=3", reconnect=False
    )
    assert ant.url.target == "/dev/ttyUSB0" and ant.protocol.parameter_level == 3


@pytest.mark.parametrize(
    "url", ["ble://AA:BB:CC:DD:EE:FF?protocol=xiaomi", "ble://AA:BB:CC:DD:EE:FF?protocol=m365"]
)
def test_the_scooter_family_over_bluetooth_says_why_not(url: str) -> None:
    """Named by family or by protocol, a scooter pack over Bluetooth is refused in the
    family's words (§3.6: the dashboard needs NinebotCrypto or Mi authentication)."""

    async def go() -> str:
        session = DeviceSession(url, reconnect=False)
        with pytest.raises(Exception) as failed:
            await session.connect()
        return str(failed.value)

    message = asyncio.run(go())
    assert "is not read over ble" in message and "Wire a 3.3 V USB-UART adapter" in message
