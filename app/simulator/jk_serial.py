"""Virtual JK boards on a serial line: the ``4E 57`` protocol and a JK-PB RS485 bus.

Both speak their own wire protocol in front of the shared pack model
(pack.py), with the same clock-free interface as every simulator:
``receive(bytes)`` and ``step(dt)`` return the byte chunks the line carries back.

- ``Jk4e57Simulator`` (jk.md §7): answers read-all with a full reply, takes
  writes only right after a pair command (0x05, §7.2: this board is stricter
  than real ones are known to be, so a host that forgets to pair fails here
  first), and answers pair and write with a reply frame echoing identifier and
  value (what a real board echoes is not captured).  Refused writes get no
  reply.  Read-one (0x03) is answered with that identifier and its value, as
  the read-all reply carries it.  ``asleep=True`` (URL ``?asleep=1``) makes a
  board that ignores everything until the activation command (0x01, §7.1),
  which it answers with an echo of the request's data.
- ``JkPbBus`` (jk.md §8): one RS485 bus with one or several JK-PB boards, each
  at its own slave address.  A JK-PB board holds the state of a JK02_32S board
  (its settings, presets, calibration and write rules are those of the BLE
  frames, jk.md §8.2), so each is a ``JkSimulator`` whose BLE side stays
  unused.  A trigger write (FC16 of 0 to 0x161C/0x161E/0x1620) is answered
  with the 300-byte payload and the 8-byte FC16 ack, sometimes with the 0x00
  pad bytes dbus-serialbattery observed; a
  settings write (FC16 to 0x10xx) is stored and acknowledged, or answered with
  Modbus exception 03 when the value is refused, 02 for a register that is no
  setting.  Frames for an address nobody has are ignored, as on a real bus.
  FC03 reads are not simulated (the boards' own FC03 is unreliable, §8.3).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from ..model import DeviceInfo, Snapshot
from ..protocols.jk import pb_modbus as pb
from ..protocols.jk import serial4e57 as s4
from ..protocols.jk.encode import encode_cell_info, encode_device_info, encode_settings
from ..protocols.jk.layout import JK02_24S, JK02_32S
from . import chemistry as chem
from . import options as opt
from .board import BoardSimulator, Faults
from .jk import _BOARD_PRESETS as BOARD_PRESETS
from .jk import JkSimulator, default_settings, refuses_writes
from .narration import Narrate, say_changes
from .pack import Pack

_BATTERY_TYPE = {"lifepo4": 0, "li-ion": 1, "lto": 2}


class Jk4e57Simulator(BoardSimulator):
    """An older JK board answering the ``4E 57`` serial protocol (jk.md §7)."""

    #: how long a pair command (0x05) keeps the board open for one write
    PAIR_WINDOW_S = 3.0

    def __init__(
        self,
        cells: int = 16,
        chemistry: str = "lifepo4",
        capacity_ah: float = 100.0,
        seed: int | None = None,
        faults: Faults | None = None,
        password: str = "123456",
        protocol_version: int = 1,
        asleep: bool = False,
    ) -> None:
        if not 4 <= cells <= 24:
            raise ValueError(f"the 4E57 simulator has 4 to 24 cells, not {cells}")
        chemistry = chem.normalise(chemistry)
        super().__init__(Pack(cells, chemistry, capacity_ah, random.Random(seed)), faults or Faults())
        self.protocol_version = protocol_version
        #: the parameter password (identifier 0xB2), which a read-all reply carries
        self.password = password
        # the JK02_24S board's defaults, and what only this protocol has (jk.md §7.3)
        s = self.settings = default_settings(JK02_24S, cells, chemistry, capacity_ah)
        s.update(
            pack_ovp_v=round(cells * s["cell_ovp_v"], 2),
            pack_uvp_v=round(cells * s["cell_uvp_v"], 2),
            jk_cell_ovp_delay_s=5,
            jk_cell_uvp_delay_s=5,
            jk_cell_delta_protection_v=0.3,
            jk_box_otp_c=70,
            jk_box_otp_recovery_c=60,
            jk_temperature_delta_protection_c=20,
            discharge_utp_c=-20,
            discharge_utp_recovery_c=-10,
            jk_current_calibration_a=1.0,
            jk_device_address=1,
            jk_battery_type=_BATTERY_TYPE[chemistry],
            jk_sleep_wait_s=10,
            jk_low_soc_alarm_pct=20,
            jk_dedicated_charger_switch=False,
            jk_actual_capacity_ah=0,
        )
        s["capacity_nominal_ah"] = round(s["capacity_nominal_ah"])  # whole Ah on this protocol
        self.info = DeviceInfo(
            software_version="10.XW_S10.08___",
            device_name="Input Us",
            manufacture_date="2026-11",
            manufacturer="Packbench JK-B2A24S15P",
        )
        self._reader = s4.Jk4e57FrameReader()
        self._record = 0
        self._paired_at: float | None = None
        self.received: list[tuple[int, int]] = []  # (command, identifier) of every request
        self.writes: list[tuple[int, int]] = []  # (identifier, raw) stored
        self.sent_live_frames = 0
        #: asleep: everything but the activation command (0x01) is ignored (jk.md §7.1)
        self.asleep = asleep

    def step(self, dt: float) -> list[bytes]:
        self.pack.step(dt, self.settings)  # this board never streams
        return []

    def receive(self, data: bytes) -> list[bytes]:
        if self.faults.silent:
            return []
        before = dict(self.settings) if self.narrate is not None else None
        out: list[bytes] = []
        for frame in self._reader.feed(data):
            if frame.data[10] != s4.TYPE_REQUEST:
                continue  # another board's reply (or our own echo): not for us
            out += self._request(frame.data)
        if before is not None:
            say_changes(self.narrate, before, self.settings)
            if self.drop_link:
                self._say("link dropped")
        return out

    def _send(self, frame: bytes) -> list[bytes]:
        chunks = self._cut(frame)
        if self.faults.junk and self.rng.random() < 0.2:
            chunks.insert(0, b"\x00")  # line noise between frames
        return chunks

    def snapshot(self) -> Snapshot:
        volts = self.cell_voltages()
        snap = self.pack.snapshot(volts, self.settings)
        snap.alarms = self.pack.limit_alarms(volts, self.settings)
        return snap

    def _reply(self, command: int, data: bytes) -> list[bytes]:
        self._record = (self._record + 1) & 0xFFFFFF
        return self._send(
            s4.build_frame(command, data, source=s4.SOURCE_BMS, kind=s4.TYPE_REPLY, record=self._record)
        )

    def read_all_reply(self) -> bytes:
        self._record = (self._record + 1) & 0xFFFFFF
        return s4.build_read_all_reply(
            self.snapshot(),
            self.settings,
            self.info,
            self.password or "",
            protocol_version=self.protocol_version,
            record=self._record,
            working_minutes=int(self.pack.runtime_s // 60),
        )

    def _request(self, frame: bytes) -> list[bytes]:
        command = frame[8]
        data = s4.data_of(frame)
        ident = data[0] if data else 0
        self.received.append((command, ident))
        if len(self.received) > 10000:  # a long `packbench simulate` run
            del self.received[:5000]
        if command == s4.CMD_ACTIVATE:
            self.asleep = False
            return self._reply(s4.CMD_ACTIVATE, data)
        if self.asleep:
            return []
        if command == s4.CMD_READ:
            return self._read_one(ident)
        if command == s4.CMD_READ_ALL:
            self.sent_live_frames += 1
            return self._send(self.read_all_reply())
        if command == s4.CMD_PAIR:
            self._paired_at = self.pack.time_s
            return self._reply(s4.CMD_PAIR, data)
        if command == s4.CMD_WRITE:
            return self._write(ident, data[1:], data)
        return []

    def _read_one(self, ident: int) -> list[bytes]:
        """The identifier and its value exactly as the read-all reply has them (jk.md §7.2)."""
        full = s4.data_of(self.read_all_reply())
        i = 0
        while i < len(full):
            width = s4.WIDTHS[full[i]]
            size = 2 + full[i + 1] if width == -1 else 1 + width
            if full[i] == ident:
                return self._reply(s4.CMD_READ, full[i : i + size])
            i += size
        return []  # an identifier this board does not have: no answer

    def _write(self, ident: int, payload: bytes, data: bytes) -> list[bytes]:
        paired = self._paired_at is not None and self.pack.time_s - self._paired_at <= self.PAIR_WINDOW_S
        self._paired_at = None  # one pair, one write
        spec = s4.BY_ID.get(ident)
        if not paired or spec is None or len(payload) != spec.width:
            return []
        raw = int.from_bytes(payload, "big", signed=spec.signed)
        value = spec.from_raw(raw)
        if (
            self.faults.drop_writes
            or refuses_writes(self.faults, self.password)
            or not self._acceptable(spec, value)
        ):
            return []
        value = self._clamped(spec.key, value)
        if not self.faults.ack_without_store:
            self.settings[spec.key] = value
            self.writes.append((ident, raw))
        if self._link_drops(len(self.writes)):
            return []
        return self._reply(s4.CMD_WRITE, data)

    def _acceptable(self, spec: Any, value: Any) -> bool:
        if spec.kind == "number" and (
            (spec.minimum is not None and value < spec.minimum)
            or (spec.maximum is not None and value > spec.maximum)
        ):
            return False
        trial = dict(self.settings, **{spec.key: value})
        return (
            trial["cell_ovp_recovery_v"] < trial["cell_ovp_v"]
            and trial["cell_uvp_recovery_v"] > trial["cell_uvp_v"]
        )


class JkPbBus:
    """An RS485 bus with JK-PB boards (JK02_32S state) at their slave addresses."""

    def __init__(self, boards: Mapping[int, JkSimulator]) -> None:
        if not boards:
            raise ValueError("a JK-PB bus needs at least one board")
        for address, board in boards.items():
            if not 1 <= address <= 15:
                raise ValueError(f"JK-PB slave addresses are 1..15 (DIP switches), not {address}")
            if board.variant != JK02_32S:
                raise ValueError("JK-PB boards speak the JK02_32S layout")
            board.settings["jk_device_address"] = address
        self.boards = dict(boards)
        self._reader = pb.JkPbFrameReader()  # the bus hears every address
        self.received: list[tuple[int, int, int]] = []  # (slave, function, register)
        self.drop_link = False
        self._narrate: Narrate | None = None

    @property
    def narrate(self) -> Narrate | None:
        """Told one line per change a board makes to itself; with several boards on the
        bus each line names the board's address (``board 2: charge off``)."""
        return self._narrate

    @narrate.setter
    def narrate(self, value: Narrate | None) -> None:
        self._narrate = value
        for address, board in self.boards.items():
            board.narrate = value
            board.narrate_prefix = "board" if len(self.boards) == 1 else f"board {address}"

    @classmethod
    def create(cls, addresses: list[int], seed: int | None = None, **board_options: Any) -> JkPbBus:
        boards = {}
        for n, address in enumerate(addresses):
            opts = dict(board_options)
            if "faults" in opts and n:
                opts["faults"] = Faults(**vars(opts["faults"]))  # one Faults per board
            board_seed = None if seed is None else seed + n
            boards[address] = JkSimulator(variant=JK02_32S, seed=board_seed, **opts)
        return cls(boards)

    @property
    def faults(self) -> Faults:
        return next(iter(self.boards.values())).faults

    @property
    def settings(self) -> dict[str, Any]:
        """The first board's settings (convenience for one-board buses)."""
        return next(iter(self.boards.values())).settings

    @property
    def sent_live_frames(self) -> int:
        return sum(b.sent_live_frames for b in self.boards.values())

    def step(self, dt: float) -> list[bytes]:
        for board in self.boards.values():
            board.step(dt)  # physics; the boards never stream on RS485
        return []

    def receive(self, data: bytes) -> list[bytes]:
        before = {a: dict(b.settings) for a, b in self.boards.items()} if self._narrate is not None else None
        out: list[bytes] = []
        for frame in self._reader.feed(data):
            raw = frame.data
            if frame.frame_type != "rtu" or raw[1] != pb.FC_WRITE or len(raw) < 11:
                continue  # answers on the bus, FC03 reads (not simulated), ...
            out += self._request(raw)
        if before is not None:
            for address, board in self.boards.items():
                say_changes(self._narrate, before[address], board.settings, board.narrate_prefix)
            if self.drop_link:
                self._narrate("board: link dropped")
        return out

    def _request(self, raw: bytes) -> list[bytes]:
        slave = raw[0]
        register = raw[2] << 8 | raw[3]
        count = raw[4] << 8 | raw[5]
        words = [raw[7 + 2 * i] << 8 | raw[8 + 2 * i] for i in range(count)]
        self.received.append((slave, raw[1], register))
        if len(self.received) > 10000:
            del self.received[:5000]
        board = self.boards.get(slave)
        if board is None or board.faults.silent:
            return []  # nobody at that address answers
        if register in pb.TRIGGERS and count == 1:
            return self._answer_trigger(slave, board, register)
        if register == pb.CONTROL_BITMASK and count == 1:
            return self._write(slave, board, register, count, words)
        if register in pb.CONTROL_NAMES:
            return self._control(slave, board, register, count, words)
        spec = pb.BY_REGISTER.get(register)
        if spec is None:
            return self._send(board, pb.build_exception(slave, pb.FC_WRITE, 2))
        if 2 * count != spec.width:
            return self._send(board, pb.build_exception(slave, pb.FC_WRITE, 3))
        return self._write(slave, board, register, count, words)

    def _send(self, board: JkSimulator, data: bytes) -> list[bytes]:
        return board._cut(data)

    #: the BLE command each control register stands for (jk.md §8.2)
    _BLE_TWIN = {0x1604: 0x65, 0x160A: 0x68, 0x160C: 0x69, 0x160E: 0x6A}

    def _control(
        self, slave: int, board: JkSimulator, register: int, count: int, words: list[int]
    ) -> list[bytes]:
        """The 0x1600 block does what its BLE twin does; the FC16 ack answers it."""
        if board.faults.drop_writes or board._refuses_writes():
            return []
        kind = {v: k for k, v in pb.CONTROL_CALIBRATION.items()}.get(register)
        if kind is not None:
            if count != 2:
                return self._send(board, pb.build_exception(slave, pb.FC_WRITE, 3))
            raw = words[0] << 16 | words[1]
            raw -= 1 << 32 if raw >> 31 else 0
            if not board._calibrate(kind, raw / 1000):
                return self._send(board, pb.build_exception(slave, pb.FC_WRITE, 3))
        elif register == 0x1604:
            board._board_action(0x65)  # shutdown: the board goes quiet
        elif register in self._BLE_TWIN:
            board.settings.update(BOARD_PRESETS[self._BLE_TWIN[register]])
        else:
            return self._send(board, pb.build_exception(slave, pb.FC_WRITE, 1))
        return self._send(board, pb.build_write_ack(slave, register, count))

    def _answer_trigger(self, slave: int, board: JkSimulator, register: int) -> list[bytes]:
        kind = pb.TRIGGERS[register]
        board._counter = 0  # bytes 4-5 read as a u16 frame type on RS485 (jk.md §8.3, §9.9)
        if kind == 0x03:
            board.info.runtime_s = int(board.pack.runtime_s)
            payload = encode_device_info(board.info, board.secrets)
        elif kind == 0x01:
            payload = encode_settings(board.settings, JK02_32S)
        else:
            payload = encode_cell_info(board.snapshot(), JK02_32S)
            board.sent_live_frames += 1
        board.sent_frames += 1
        pad = b""
        if board.faults.junk and board.rng.random() < 0.3:
            pad = b"\x00"  # dbus-serialbattery saw a 0x00 pad before and after the ack
        ack = pb.build_write_ack(slave, register, 1)
        return self._send(board, payload + pad + ack + pad)

    def _write(
        self, slave: int, board: JkSimulator, register: int, count: int, words: list[int]
    ) -> list[bytes]:
        if board.faults.drop_writes or board._refuses_writes():
            return []
        raw = 0
        for w in words:
            raw = raw << 16 | w
        if register == pb.CONTROL_BITMASK:
            updates = {s.key: bool(raw >> s.bit & 1) for s in pb.CONTROL_FLAGS}
        else:
            spec = pb.BY_REGISTER[register]
            if spec.signed and raw >> (8 * spec.width - 1):
                raw -= 1 << (8 * spec.width)
            value = spec.from_raw(raw)
            if not board._acceptable(spec.key, value):
                return self._send(board, pb.build_exception(slave, pb.FC_WRITE, 3))
            if spec.key in board.faults.clamp and value > board.faults.clamp[spec.key]:
                value = board.faults.clamp[spec.key]
            updates = {spec.key: value}
        if not board.faults.ack_without_store:
            board.settings.update(updates)
            board.writes.append((register, raw))
        limit = board.faults.drop_link_after_writes
        if limit and len(board.writes) >= limit:
            board.faults.drop_link_after_writes = 0
            self.drop_link = True
            return []
        return self._send(board, pb.build_write_ack(slave, register, count))


def _addresses(options: Mapping[str, Any]) -> list[int]:
    """``address=2`` (the session's slave) and/or ``addresses=1,2,3`` (the bus)."""
    found: list[int] = []
    for key in ("addresses", "address"):
        for part in str(options.get(key, "") or "").split(","):
            if part.strip():
                n = opt.whole({key: part}, key)  # JkPbBus checks the range
                if n not in found:
                    found.append(n)
    return sorted(found) or [1]


def create_serial_simulator(pid: str, options: Mapping[str, Any], **kwargs: Any) -> Any:
    """``create_simulator`` for ``jk_4e57`` and ``jk_pb`` (kwargs as it builds them)."""
    kwargs.pop("stream_interval_s", None)  # these boards are polled, they never stream
    if pid == s4.JK_4E57:
        asleep = opt.switch(options, "asleep")
        return Jk4e57Simulator(asleep=asleep, **kwargs)
    if pid == pb.JK_PB:
        return JkPbBus.create(_addresses(options), **kwargs)
    raise ValueError(f"no serial simulator for {pid!r}")


__all__ = ["Jk4e57Simulator", "JkPbBus", "create_serial_simulator"]


# --- the simulator package's factory (app/simulator/__init__.py finds it) ---------------------
#: the protocols this module simulates: JK's serial protocols (jk.md §7, §8)
SIMULATES = (s4.JK_4E57, pb.JK_PB)


def create(protocol: str, options: Mapping[str, Any], common: dict[str, Any]) -> Any:
    """A 4E57 board or a JK-PB bus: ``common`` as ``options.common`` reads it, plus
    ``asleep`` (4E57) and ``address``/``addresses`` (JK-PB)."""
    kwargs = dict(common)
    kwargs["faults"] = Faults(**kwargs["faults"])
    return create_serial_simulator(protocol, options, **kwargs)
