"""Recording and viewing ANT boards: a CSV log with its raw capture from each simulated
protocol, with the password the user typed on the wire in between.  The capture replays
to the snapshots the session delivered, the viewer loads the log, and the password is in
no file (vocabulary.md: passwords are never in a log or a report; the frames that carry
it are blanked with their checksums kept, ant_xiaomi.md §1.4 and §2.9).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from app.model import Snapshot
from app.protocols.ant import framing as fr
from app.replay import replay_frames
from app.services.logfile import FRAMES_SUFFIX, load_log, sidecar
from app.services.recorder import Recorder, read_frames
from app.session import DeviceSession

CASES = {
    "ant_2021": ("sim://ant_2021?cells=16&password=12345678&seed=1", "12345678"),
    "ant_legacy": ("sim://ant_legacy?cells=16&password=87654321&seed=1", "87654321"),
}


async def _record(path: Path, url: str, password: str) -> list[Snapshot]:
    session = DeviceSession(url, reconnect=False, request_timeout_s=1.0)
    snaps: list[Snapshot] = []
    recorder = Recorder(session, path, raw=True)
    recorder.start()
    unsubscribe = session.subscribe(lambda e: snaps.append(e.data) if e.kind == "snapshot" else None)
    await session.connect()
    await session.next_snapshot(5)
    # the password goes over the wire (the user level a switch needs), nothing is written
    await session.open_write_mode(password, scope=["charge_switch"])
    await session.close_write_mode(save=False)
    await session.next_snapshot(5)
    unsubscribe()
    recorder.stop()
    await session.close()
    return snaps


@pytest.mark.parametrize("protocol", sorted(CASES))
def test_recording_replays_loads_and_keeps_no_password(protocol: str, tmp_path: Path) -> None:
    url, password = CASES[protocol]
    path = tmp_path / f"{protocol}.csv"
    snaps = asyncio.run(asyncio.wait_for(_record(path, url, password), 30))
    assert len(snaps) >= 2
    # no file next to the log holds the password, in any spelling
    for file in tmp_path.iterdir():
        text = file.read_bytes()
        for form in (
            password.encode(),
            password.encode().hex().encode(),
            password.encode()[:2].hex().encode(),
        ):
            assert form not in text, (file.name, form)
    header, frames, warnings = read_frames(sidecar(path, FRAMES_SUFFIX))
    assert header["format"] == "packbench-frames" and not warnings
    assert {f.get("protocol") for f in frames if f["dir"] == "rx"} == {protocol}
    sent = [bytes.fromhex(f["hex"]) for f in frames if f["dir"] == "tx"]
    if protocol == "ant_2021":
        auth = [f for f in sent if f[2] == 0x23]
        assert len(auth) == 1 and fr.check_2021(auth[0]) is None  # blanked, CRC still right
        assert auth[0][6 : 6 + auth[0][5]] == bytes(len(password))
    else:
        words = [f for f in sent if f[:2] == fr.WRITE and f[2] in (0xF1, 0xF2, 0xF3, 0xF4)]
        assert len(words) == 4 and all(f[3:5] == b"\x00\x00" and fr.check_short(f) is None for f in words)
    replayed = [m for rec, m, _err in replay_frames(frames) if isinstance(m, Snapshot) and rec["dir"] == "rx"]
    assert [s.to_fields() for s in replayed] == [s.to_fields() for s in snaps]
    log = load_log(path)
    assert log.rows == len(snaps) and log.cell_count == 16
    volts = log.series("pack_voltage_v")
    assert volts is not None and list(volts) == pytest.approx([s.pack_voltage_v for s in snaps])
