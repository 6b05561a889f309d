"""Adding a family = creating its own folders: a toy family, dropped in beside JK and JBD.

The toy family lives in a temporary folder added to the search paths of
``app.protocols`` and ``app.simulator`` (what creating ``app/protocols/toy/`` and
``app/simulator/toy.py`` does), and nothing else is edited.  Each test then checks
that one shared piece finds it through the registry: protocol ids, decode
auto-detection and its "not a frame" words, the simulator factory and a live
session on it, labels and help, the interlocks' relations and the presets' values,
vendor files, the Bluetooth scan, the session's hints and the Connection help.
Without the registry each of these names only JK and JBD.
"""

from __future__ import annotations

import asyncio
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import app.protocols as protocols_pkg
import app.simulator as simulator_pkg
from app.protocols import family as registry

TOY_FAMILY = '''
"""A toy family: frames ``T Y <len> <kind> <payload> <sum8>``."""
from app.model import DeviceInfo, Snapshot
from app.protocols import register
from app.protocols.base import DecodeError, Frame, FrameReader, Protocol
from app.protocols.family import Ble, Family, GattLayout, VendorFormat

HEADER = b"TY"


def frame(kind: bytes, payload: bytes = b"") -> bytes:
    body = HEADER + bytes([1 + len(payload)]) + kind + payload
    return body + bytes([sum(body) & 0xFF])


class Reader(FrameReader):
    def __init__(self):
        self.buf = bytearray()

    def reset(self):
        self.buf.clear()

    def feed(self, data):
        self.buf += data
        out = []
        while True:
            at = self.buf.find(HEADER)
            if at < 0:
                del self.buf[:-1]
                return out
            del self.buf[:at]
            if len(self.buf) < 4 or len(self.buf) < 4 + self.buf[2]:
                return out
            n = 4 + self.buf[2]
            if sum(self.buf[:n - 1]) & 0xFF == self.buf[n - 1]:
                out.append(Frame(bytes(self.buf[:n])))
                del self.buf[:n]
            else:
                del self.buf[:1]


class ToyProtocol(Protocol):
    id = "toy"
    name = "Toy BMS"
    family = "toy"
    transports = ("sim",)
    streaming = True

    def new_reader(self):
        return Reader()

    def identify_requests(self):
        return [frame(b"?")]

    def start_requests(self):
        return [frame(b"S")]

    def decode(self, data):
        if len(data) < 5 or data[:2] != HEADER or sum(data[:-1]) & 0xFF != data[-1]:
            raise DecodeError("not a toy frame")
        kind, payload = data[3:4], data[4:-1]
        if kind == b"I":
            return DeviceInfo(model=payload.decode("ascii"))
        if kind == b"L":
            cells = [int.from_bytes(payload[i:i + 2], "little") / 1000 for i in range(0, len(payload), 2)]
            return Snapshot(cell_voltages_v=cells, pack_voltage_v=round(sum(cells), 3))
        raise DecodeError("a toy request")


PROTOCOL = register(ToyProtocol(), "toy_bms")


def looks_like(data):
    return "toy" if data[:2] == HEADER else None


def parse(text):
    key, _, value = text.strip().partition("=")
    return {key: float(value)}


def dump(values):
    return "".join(f"{k}={v}" for k, v in values.items())


FAMILY = Family(
    id="toy", name="Toy", protocols=(PROTOCOL,), looks_like=looks_like,
    frame_words="Toy (a T Y header)",
    ble=Ble(layouts=(GattLayout("0000abc0-0000-1000-8000-00805f9b34fb",
                                "0000abc1-0000-1000-8000-00805f9b34fb",
                                "0000abc2-0000-1000-8000-00805f9b34fb"),),
            name_prefixes=("TOY-",), url_options="?protocol=toy"),
    labels={"toy_float_v": "Toy float voltage"},
    help={"toy_float_v": "What the toy board floats at."},
    vendor_formats=(VendorFormat(".toy", "toy", "Toy", "Toy files (*.toy)", parse=parse, dump=dump),),
    relations=((2, "toy_float_v", "cell_ovp_v"),),
    preset_values={"lifepo4": {"toy_float_v": 3.35}},
    connection_help="For a toy board choose toy.",
    no_answer_hint="a toy board needs batteries.",
    choose_hint="For a toy board choose the toy protocol.",
)
'''

TOY_SIMULATOR = '''
"""The toy family's simulator: answers identify, then streams two cells."""
from app.protocols.toy import frame

SIMULATES = ("toy",)


class ToySimulator:
    def __init__(self, cells):
        self.cells = cells
        self.streaming = False
        self.drop_link = False

    def receive(self, data):
        if b"?" in data:
            return [frame(b"I", b"TOY-1")]
        if b"S" in data:
            self.streaming = True
        return []

    def step(self, dt):
        if not self.streaming:
            return []
        return [frame(b"L", b"".join((3300 + i).to_bytes(2, "little") for i in range(self.cells)))]


def create(protocol, options, common):
    return ToySimulator(common.get("cells", 2))
'''


@pytest.fixture
def toy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The toy family's two folders on the packages' search paths, and a registry that
    has not looked yet (restored afterwards)."""
    (tmp_path / "protocols" / "toy").mkdir(parents=True)
    (tmp_path / "protocols" / "toy" / "__init__.py").write_text(textwrap.dedent(TOY_FAMILY))
    (tmp_path / "simulator").mkdir()
    (tmp_path / "simulator" / "toy.py").write_text(textwrap.dedent(TOY_SIMULATOR))
    monkeypatch.setattr(protocols_pkg, "__path__", [*protocols_pkg.__path__, str(tmp_path / "protocols")])
    monkeypatch.setattr(simulator_pkg, "__path__", [*simulator_pkg.__path__, str(tmp_path / "simulator")])
    saved = (
        dict(registry._FAMILIES),
        dict(protocols_pkg._REGISTRY),
        dict(protocols_pkg._ALIASES),
        dict(simulator_pkg._FACTORIES),
    )
    registry._FAMILIES.clear()
    simulator_pkg._FACTORIES.clear()
    monkeypatch.setattr(registry, "_LOADED", False)
    monkeypatch.setattr(registry, "_FAMILY_LABELS", None)
    try:
        yield registry.get_family("toy")
    finally:
        for store, old in zip(
            (registry._FAMILIES, protocols_pkg._REGISTRY, protocols_pkg._ALIASES, simulator_pkg._FACTORIES),
            saved,
            strict=True,
        ):
            store.clear()
            store.update(old)
        for name in ("app.protocols.toy", "app.simulator.toy"):
            sys.modules.pop(name, None)


def toy_frame(kind: bytes, payload: bytes = b"") -> bytes:
    return sys.modules["app.protocols.toy"].frame(kind, payload)


def test_the_registry_finds_a_new_family_package(toy: Any) -> None:
    from app.protocols import get_protocol, protocol_ids

    ids = [f.id for f in registry.families()]  # every family in app/protocols/, and the toy
    assert {"jbd", "jk", "toy"} <= set(ids) and ids == sorted(ids)
    assert "toy" in protocol_ids() and get_protocol("toy_bms").id == "toy"
    assert registry.family_of("toy") is toy and registry.family_of("jbd").id == "jbd"
    assert registry.default_protocol() == "jk02_32s"  # the toy family names no default


def test_decode_guesses_the_new_family_and_names_it_when_nothing_fits(toy: Any) -> None:
    from app.cli.decode import decode_one

    out = decode_one("auto", toy_frame(b"L", bytes.fromhex("e40ce50c")).hex())
    assert out == {"protocol": "toy", "kind": "live", "fields": out["fields"]} and out["fields"][
        "cell_voltages_v"
    ] == [3.3, 3.301]
    error = decode_one("auto", "0102")["error"]
    assert "Toy (a T Y header)" in error and "JBD" in error and "JK" in error


def test_its_simulator_is_found_and_serves_a_session(toy: Any) -> None:
    from app.session import DeviceSession
    from app.simulator import create_simulator, simulated_protocols

    # in the registry's order of families (by id), whatever other families exist
    order = [pid for f in registry.families() for pid in f.protocol_ids if pid in simulated_protocols()]
    assert list(simulated_protocols()) == order and "toy" in order and "jbd" in order
    assert create_simulator("toy", cells="3").cells == 3

    async def run() -> Any:
        session = DeviceSession("sim://toy?cells=4", reconnect=False, request_timeout_s=2.0)
        await session.connect()
        try:
            return session.device_info, await session.next_snapshot(3)
        finally:
            await session.close()

    info, snap = asyncio.run(run())
    assert info.model == "TOY-1" and snap.cell_voltages_v == [3.3, 3.301, 3.302, 3.303]


def test_its_labels_help_relations_and_preset_values_reach_the_shared_code(toy: Any) -> None:
    from app.services import interlocks

    assert registry.label("toy_float_v") == "Toy float voltage"
    assert registry.help_text("toy_float_v") == "What the toy board floats at."
    assert registry.label("jk_rcv_v") == "Requested charge voltage (RCV)"  # the others still there
    assert (2, "toy_float_v", "cell_ovp_v") in interlocks.relations()
    assert interlocks.ordering_violations({"toy_float_v": 3.7, "cell_ovp_v": 3.65}) == {
        ("toy_float_v", "cell_ovp_v")
    }
    # every family's values are there (other families may add their own)
    assert {"jk_rcv_v": 3.55, "jk_rfv_v": 3.40, "toy_float_v": 3.35}.items() <= registry.preset_values(
        "lifepo4"
    ).items()


def test_its_vendor_file_format_is_read_and_written(toy: Any, tmp_path: Path) -> None:
    from app.services import settings_files

    path = tmp_path / "pack.toy"
    settings_files.save(path, {"protocol": "toy", "settings": {"toy_float_v": 3.35}})
    assert path.read_text(encoding="ascii") == "toy_float_v=3.35"
    doc = settings_files.load(path)
    assert (doc["protocol"], doc["kind"], doc["settings"]) == ("toy", "toy", {"toy_float_v": 3.35})
    with pytest.raises(ValueError, match=r"\.toy files hold Toy settings; this board speaks jbd"):
        settings_files.save(path, {"protocol": "jbd", "settings": {}})


def test_the_scan_recognises_its_boards(toy: Any) -> None:
    from app.simulator import create_simulator
    from app.simulator.fake_ble import FakeBoard, make_backends
    from app.transports.ble import scan_ble

    board = FakeBoard(create_simulator("toy"), address="C8:47:8C:00:00:07", name="TOY-0007")
    assert board.gatt is toy.ble.layouts[0]
    _client, scanner = make_backends([board])
    found = asyncio.run(scan_ble(0.3, scanner))
    assert found == [
        {"url": "ble://C8:47:8C:00:00:07?protocol=toy", "name": "TOY-0007", "rssi": -58, "family": "toy"}
    ]


def test_the_session_hints_at_it_when_a_board_does_not_answer(toy: Any) -> None:
    from app.protocols import get_protocol

    hints = registry.no_answer_hints(get_protocol("jk02_32s"), forced=False)
    # its own hint first, then how to choose each other family (other families may add theirs)
    assert hints.startswith("a JK board accepts one Bluetooth connection at a time, so close the phone app. ")
    assert "For a JBD / LLT / Xiaoxiang board choose the jbd protocol." in hints
    assert hints.endswith("For a toy board choose the toy protocol.")
    assert registry.no_answer_hints(get_protocol("toy"), forced=True) == "a toy board needs batteries."


def test_the_connection_help_has_its_paragraph(toy: Any, qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings

    from app.ui.bridge import SessionBridge
    from app.ui.connection_page import ConnectionPage

    settings = QSettings(str(tmp_path / "packbench.ini"), QSettings.Format.IniFormat)
    page = ConnectionPage(SessionBridge(), settings)
    qtbot.addWidget(page)
    text = page.help_label.text()
    assert "<p>For a toy board choose toy.</p>" in text  # other families may follow it
    assert "<p>Leave the protocol on <i>Automatic</i> for a JK board" in text


def test_the_descriptors_point_to_their_protocols_control_capabilities() -> None:
    # jk.md §5.2/§5.3: emergency and the length-0 actions on JK02_32S only; jbd_daly.md §3.2:
    # 0xE0 remaining capacity, 0xAE/0xAF current calibration; §3.5 the board's password
    jk, jbd = registry.get_family("jk"), registry.get_family("jbd")
    assert {"emergency", "action:restart", "calibration:voltage"} <= set(jk.capabilities()["jk02_32s"])
    assert "emergency" not in jk.capabilities()["jk02_24s"]
    assert set(jbd.capabilities()["jbd"]) == {"remaining_capacity", "board_password", "calibration:current"}
