"""The virtual JK board (app/simulator/jk.py), driven by hand: receive() and step().

Its output goes through the same reader and decoders a real board's bytes go
through; the assertions are about what a real board does (jk.md §1.3–§1.4).
"""

from __future__ import annotations

import pytest

from app.model import Ack, DeviceInfo, Settings, Snapshot
from app.protocols import get_protocol
from app.protocols.jk.framing import JkFrameReader, build_command
from app.simulator import create_simulator
from app.simulator.jk import Faults, JkSimulator

READ_DEVICE_INFO = build_command(0x97)
READ_SETTINGS = build_command(0x96)


class Host:
    """The host side: a reader plus the decoder, collecting messages.  Like the session,
    it sets aside the 0xC8 frame a board sends unasked after device info and settings
    (``Protocol.ack_may_follow``), counting it in ``unasked_acks``."""

    def __init__(self, sim: JkSimulator) -> None:
        self.sim = sim
        self.reader = JkFrameReader()
        self.proto = get_protocol(sim.variant)
        self.chunks: list[bytes] = []
        self.messages: list = []
        self.unasked_acks = 0
        self._owed = False

    def take(self, chunks: list[bytes]) -> list:
        got = []
        for chunk in chunks:
            self.chunks.append(chunk)
            for frame in self.reader.feed(chunk):
                message = self.proto.decode(frame.data)
                if self._owed and isinstance(message, Ack):
                    self._owed = False
                    self.unasked_acks += 1
                    continue
                self._owed = self.proto.ack_may_follow(message)
                got.append(message)
        self.messages += got
        return got

    def send(self, data: bytes) -> list:
        return self.take(self.sim.receive(data))

    def run(self, seconds: float, dt: float = 0.05) -> list:
        got = []
        for _ in range(round(seconds / dt)):
            got += self.take(self.sim.step(dt))
        return got


@pytest.mark.parametrize(
    "variant,model,sw", [("jk02_32s", "JK-PB2A16S20P", "19.27"), ("jk02_24s", "JK-B2A24S20P", "10.08")]
)
def test_device_info_answer(variant: str, model: str, sw: str) -> None:
    host = Host(JkSimulator(variant=variant, cells=8, seed=1))
    [info] = host.send(READ_DEVICE_INFO)
    assert isinstance(info, DeviceInfo)
    assert (info.model, info.software_version) == (model, sw)
    # the software version names the variant, as on a real board (jk.md §1.6)
    assert info.protocol == variant
    # what the board is configured to say is what the host reads
    host.sim.info.model = "JK-TEST1234"
    host.sim.info.software_version = "11.48"
    [info] = host.send(READ_DEVICE_INFO)
    assert host.unasked_acks == 1  # owed for the first answer, it went out before this one
    assert (info.model, info.software_version, info.protocol) == ("JK-TEST1234", "11.48", "jk02_32s")
    # and the passwords never reach the decoded message
    assert "123456" not in repr(info.to_fields())


def test_settings_then_stream_every_half_second(real_timing) -> None:
    sim = JkSimulator(variant="jk02_32s", cells=16, seed=2)
    host = Host(sim)
    assert host.run(3.0) == [], "no live data before 0x96"
    got = host.send(READ_SETTINGS)
    assert len(got) == 1 and isinstance(got[0], Settings)
    assert got[0].values["cell_count"] == 16
    snaps = host.run(10.0)
    assert all(isinstance(m, Snapshot) for m in snaps)
    assert 19 <= len(snaps) <= 21  # ~2 per second of simulated time
    for snap in snaps:
        assert len(snap.cell_voltages_v) == 16
        assert snap.pack_voltage_v == pytest.approx(sum(snap.cell_voltages_v), abs=0.01)
    # a long pause does not make it burst
    assert len(host.take(sim.step(30.0))) <= 1


def test_fragmented_output_with_junk_reassembles() -> None:
    sim = JkSimulator(
        variant="jk02_32s", cells=24, seed=3, faults=Faults(junk=True, chunk_sizes=(7, 20, 128))
    )
    host = Host(sim)
    host.send(READ_DEVICE_INFO)
    host.send(READ_SETTINGS)
    host.run(60.0)
    assert all(len(c) <= 128 for c in host.chunks)
    assert any(len(c) < 128 and c != b"AT\r\n" for c in host.chunks)
    assert b"AT\r\n" in host.chunks, "the module's junk shows up"
    # every frame the board sent came out of the reader, decoded (and the unasked 0xC8
    # frames after device info and settings)
    assert len(host.messages) == sim.sent_frames
    assert host.unasked_acks == 2
    assert sim.sent_live_frames >= 100
    assert sum(isinstance(m, Snapshot) for m in host.messages) == sim.sent_live_frames


@pytest.mark.parametrize(
    "variant,good,bad",
    [
        ("jk02_32s", (4, 16, 32), (0, 3, 33)),
        ("jk02_24s", (4, 16, 24), (3, 25, 32)),
    ],
)
def test_cell_count_limits(variant: str, good: tuple[int, ...], bad: tuple[int, ...]) -> None:
    for n in good:
        sim = create_simulator(variant, cells=n)
        host = Host(sim)
        host.send(READ_SETTINGS)
        snaps = host.run(1.0)
        assert snaps and all(len(s.cell_voltages_v) == n for s in snaps)
    for n in bad:
        with pytest.raises(ValueError):
            create_simulator(variant, cells=n)
        with pytest.raises(ValueError):
            JkSimulator(variant=variant, cells=n)


def test_unknown_protocol_or_chemistry_is_refused() -> None:
    with pytest.raises(ValueError):
        create_simulator("no_such_board")
    with pytest.raises(ValueError):
        create_simulator("jk02_32s", chemistry="unobtainium")


def _settings(host: Host) -> dict:
    [s] = [m for m in host.send(READ_SETTINGS) if isinstance(m, Settings)]
    return s.values


@pytest.mark.parametrize("variant", ["jk02_32s", "jk02_24s"])
def test_write_is_acked_and_stored(variant: str) -> None:
    sim = JkSimulator(variant=variant, cells=16, seed=4)
    host = Host(sim)
    before = _settings(host)
    assert before["cell_ovp_recovery_v"] == pytest.approx(3.55)
    command = get_protocol(variant).encode_write("cell_ovp_recovery_v", 3.50)
    assert command[4] == 0x05  # jk.md §4.1
    got = host.send(command)
    assert len(got) == 1 and isinstance(got[0], Ack)
    assert got[0].register == 0xC8 and got[0].raw_value == 1
    # the 20-byte ack a real board sends: AA 55 90 EB C8 01 01 00..00 44
    assert bytes.fromhex("aa5590ebc80101" + "00" * 12 + "44") in b"".join(host.chunks)
    assert sim.settings["cell_ovp_recovery_v"] == pytest.approx(3.50)
    assert _settings(host)["cell_ovp_recovery_v"] == pytest.approx(3.50)


def test_out_of_order_write_is_refused() -> None:
    sim = JkSimulator(variant="jk02_32s", cells=16, seed=5)
    host = Host(sim)
    ovp = _settings(host)["cell_ovp_v"]
    assert ovp == pytest.approx(3.65)
    # OVPR above OVP breaks OVPR < SOC-100 % < OVP: a JK board does not store it
    got = host.send(get_protocol("jk02_32s").encode_write("cell_ovp_recovery_v", 3.70))
    assert got == []
    assert sim.settings["cell_ovp_recovery_v"] == pytest.approx(3.55)
    assert _settings(host)["cell_ovp_recovery_v"] == pytest.approx(3.55)
    # outside the range: refused as well
    got = host.send(build_command(0x05, 9000, 4))
    assert got == [] and sim.settings["cell_ovp_recovery_v"] == pytest.approx(3.55)


def test_write_faults() -> None:
    sim = JkSimulator(variant="jk02_32s", cells=8, seed=6)
    host = Host(sim)
    write = get_protocol("jk02_32s").encode_write("cell_ovp_recovery_v", 3.50)
    sim.faults.drop_writes = True
    assert host.send(write) == [] and sim.settings["cell_ovp_recovery_v"] == pytest.approx(3.55)
    sim.faults.drop_writes = False
    sim.faults.ack_without_store = True
    assert [type(m) for m in host.send(write)] == [Ack]
    assert sim.settings["cell_ovp_recovery_v"] == pytest.approx(3.55)


def test_silent_board_says_nothing() -> None:
    sim = JkSimulator(variant="jk02_32s", cells=8, seed=7)
    host = Host(sim)
    host.send(READ_SETTINGS)
    assert host.run(1.0)
    sim.faults.silent = True
    assert host.send(READ_DEVICE_INFO) == []
    assert host.run(3.0) == []
    sim.faults.silent = False
    assert host.run(1.0)


@pytest.mark.parametrize(
    "chemistry,lo,hi", [("lto", 1.7, 2.9), ("lifepo4", 2.5, 3.65), ("li-ion", 2.8, 4.25)]
)
def test_chemistry_sets_cell_voltages(chemistry: str, lo: float, hi: float) -> None:
    sim = create_simulator("jk02_32s", cells=16, chemistry=chemistry, seed=8)
    host = Host(sim)
    host.send(READ_SETTINGS)
    snaps = host.run(30.0)
    assert snaps
    for snap in snaps:
        assert all(lo <= v <= hi for v in snap.cell_voltages_v), snap.cell_voltages_v
    if chemistry == "lto":
        # the board's protections follow the chemistry too
        assert sim.settings["cell_ovp_v"] < 2.9 and sim.settings["cell_uvp_v"] >= 1.5


# --- the unasked 0xC8 frame after device info and settings (issue 23) --------------------------
# Real JK02 boards follow these replies with AA 55 90 EB C8 01 01 00 … 44: the "320-byte"
# captures esp_pdus_jk_bd6a17s6p_7_1_0h_device_info_0 / _settings_0 (24S, 7.1.0H),
# batmon_dummy_24s_settings and aio_jk02_32s_v19_05_devinfo (32S) in shared/frames/jk.json,
# jk.md §1.3 item 4 and §1.4.
ACK_BYTES = bytes.fromhex("aa5590ebc8010100000000000000000000000044")


@pytest.mark.parametrize("variant", ["jk02_24s", "jk02_32s"])
@pytest.mark.parametrize("command,frame_type", [(READ_DEVICE_INFO, 0x03), (READ_SETTINGS, 0x01)])
def test_reply_is_followed_by_the_ack_in_a_notification_of_its_own(
    variant: str, command: bytes, frame_type: int
) -> None:
    sim = JkSimulator(variant=variant, cells=8, seed=1, stream_interval_s=10.0, faults=Faults(junk=False))
    reply = b"".join(sim.receive(command))
    assert len(reply) == 300 and reply[4] == frame_type  # the frame alone: the ack comes after
    assert sim.step(0.01) == []  # not on the same tick
    assert sim.step(0.01) == [ACK_BYTES]  # shortly after, as one 20-byte notification
    assert sim.step(0.01) == []  # once


def test_the_owed_ack_goes_out_before_anything_else_the_board_sends() -> None:
    """The module is a UART bridge: the board's bytes keep their order, so the ack owed
    for device info precedes the settings frame, and the one owed for settings precedes
    the first cell-info frame, however soon they come."""
    sim = JkSimulator(variant="jk02_32s", cells=8, seed=1, stream_interval_s=0.01, faults=Faults(junk=False))
    out = sim.receive(READ_DEVICE_INFO) + sim.receive(READ_SETTINGS) + sim.step(0.01)
    frames = [f.data for f in JkFrameReader().feed(b"".join(out))]
    kinds = [f[4] if len(f) == 300 else f.hex() for f in frames]
    assert kinds == [0x03, ACK_BYTES.hex(), 0x01, ACK_BYTES.hex(), 0x02]


def test_jk04_sends_no_unasked_ack() -> None:
    """No JK04 capture shows the ack after a reply (jk.md §1.3 names v19.05 and the
    "320-byte" 24S frames only)."""
    sim = JkSimulator(variant="jk04", cells=8, seed=1, stream_interval_s=10.0, faults=Faults(junk=False))
    sim.receive(READ_DEVICE_INFO)
    assert sim.step(0.01) + sim.step(0.01) + sim.step(0.01) == []
