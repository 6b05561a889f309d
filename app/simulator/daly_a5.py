"""A virtual Daly board speaking the classic ``A5`` protocol (jbd_daly.md §4–§5).

``sim://daly_a5?cells=16``.  Polled: every request frame (host address 0x40,
0x80 or another host address, §4.1) is answered from address 0x01:
- 0x90–0x94 live groups, 0x95 cells in ceil(cells/3) frames (all 16 frames
  with ``ble_frames=1``, as Bluetooth dongles send them), 0x96 temperatures,
  0x97 balance bits (byte 0 bit 0 = cell 1), 0x98 fault bits; frame numbers
  are 1-based, as on every real capture (§8 #15);
- the settings reads 0x50–0x63 (§5) from the same settings block the D2 board
  holds, read-only: A5 setting writes are undocumented, so this board takes
  none either;
- 0xDA / 0xD9 switch the charge / discharge MOSFETs (data byte 0 = 1 on, 0
  off) and echo that byte with stale bytes after it (§4.3);
- 0x21 sets the clock and the SOC (YY MM DD hh mm ss, SOC × 10), 0x00 resets.
- the current is sent with **above 30000 = discharge** (§4.2, §8 #17);
  ``sign_flipped=1`` makes a board whose sign disagrees with 0x93's state.

Faults: ``fault=refuse_writes`` (no reply, nothing switched),
``ack_without_store``, ``drop_link_mid_write``; ``alarm=…`` raises alarms.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ..model import Snapshot
from ..protocols.daly import a5 as dec
from ..protocols.daly import schema
from ..protocols.daly.fields import CURRENT_BIAS, TEMP_BIAS
from ..protocols.daly.framing import A5_BOARD, A5FrameReader
from . import options as opt
from .daly_board import DalyBoard, create_board

#: what an A5 board reports besides the D2 settings block (§5), Packbench's choice
A5_EXTRA = {
    "daly_cumulative_charge_raw": 123456,
    "daly_cumulative_discharge_raw": 120000,
    "daly_operation_mode": 0,
    "daly_auto_sleep_raw": 65535,
    "daly_soc_high_warning_pct": 99.0,
    "daly_soc_high_protection_pct": 100.0,
    "daly_soc_low_warning_pct": 10.0,
    "daly_soc_low_protection_pct": 5.0,
    "daly_short_circuit_current_a": 500,
    "daly_shunt_resistance_ohm": 0.000333,
}


class DalyA5Simulator(DalyBoard):
    def __init__(self, *args: Any, ble_frames: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.values.update(A5_EXTRA)
        #: Bluetooth dongles send all 16 cell frames whatever the pack (§4.2)
        self.ble_frames = ble_frames
        self._reader = A5FrameReader()
        self._life = 0

    def receive(self, data: bytes) -> list[bytes]:
        if self.faults.silent or self.shut_down:
            return []
        out: list[bytes] = []
        for frame in self._reader.feed(data):
            if frame.data[1] == A5_BOARD:
                continue  # a board's reply (another board on the bus): not a request
            self.received.append(frame.data)
            for reply in self._request(frame.data[2], frame.data[4:12]):
                out += self._cut(reply)
        if self.drop_link:
            self._say("link dropped")
        return out

    # --- requests --------------------------------------------------------------------------------
    def _request(self, data_id: int, data: bytes) -> list[bytes]:
        if data_id in (dec.CHARGE_MOS, dec.DISCHARGE_MOS):
            return self._switch(data_id, data[0])
        if data_id == dec.SET_SOC_RTC:
            return self._soc_rtc(data)
        if data_id == dec.RESET:
            self._say("restarting")
            return [dec.response(dec.RESET, b"")]
        if data_id == dec.UNKNOWN_D8:
            return [dec.response(data_id, b"")]  # all zero, meaning unknown (§4.3)
        snap = self.snapshot()
        if data_id in (dec.CELL_VOLTAGES, dec.TEMPERATURES):
            return self._multi(data_id, snap)
        payload = self._live(data_id, snap) if data_id in dec.LIVE_IDS else self._settings(data_id)
        if payload is None:
            return []  # an id this board does not know: no answer
        if isinstance(payload, list):
            return payload
        return [dec.response(data_id, payload)]

    def _switch(self, data_id: int, on: int) -> list[bytes]:
        if self.refuses_writes():
            return []
        key = "charge_switch" if data_id == dec.CHARGE_MOS else "discharge_switch"
        if not self.faults.ack_without_store:
            self.store(key, bool(on))
            self.writes.append((data_id, on))
            self._link_drops(len(self.writes))
        self.reply_delay_s = self.faults.write_delay_s
        # byte 0 echoes the state asked for; the rest is stale buffer content (§4.3)
        stale = bytes([0x0D, 0x13, 0x0D, 0x21, 0x0D, 0x17, 0xC0])
        return [dec.response(data_id, bytes([on]) + stale)]

    def _soc_rtc(self, data: bytes) -> list[bytes]:
        if self.refuses_writes():
            return []
        try:
            when = datetime(2000 + data[0], data[1], data[2], data[3], data[4], data[5])
        except ValueError:
            return []
        soc = (data[6] << 8 | data[7]) / 10
        if soc > 100:
            return []
        if not self.faults.ack_without_store:
            self.set_clock(when)
            if abs(soc - self.soc_now()) >= 0.1:
                self.set_soc(soc)
        return [dec.response(dec.SET_SOC_RTC, b"")]

    # --- live data (§4.2) --------------------------------------------------------------------------
    def _live(self, data_id: int, snap: Snapshot) -> bytes:
        volts, temps = snap.cell_voltages_v, snap.temperatures_c
        amps = snap.current_a or 0.0
        wire = -amps if self.sign_flipped else amps
        if data_id == dec.SOC_VOLTAGE_CURRENT:
            # above the offset is discharge on A5 boards (§4.2, §8 #17)
            raw = CURRENT_BIAS - int(round(wire * 10))
            return _u16(round(snap.pack_voltage_v * 10), 0, raw, round(self.soc_now() * 10))
        if data_id == dec.CELL_MINMAX:
            hi, lo = max(volts), min(volts)
            return (
                _u16(round(hi * 1000))
                + bytes([volts.index(hi) + 1])
                + _u16(round(lo * 1000))
                + bytes([volts.index(lo) + 1])
            )
        if data_id == dec.TEMP_MINMAX:
            hi, lo = max(temps), min(temps)
            return bytes(
                [round(hi) + TEMP_BIAS, temps.index(hi) + 1, round(lo) + TEMP_BIAS, temps.index(lo) + 1]
            )
        if data_id == dec.MOS_STATUS:
            self._life = (self._life + 1) % 256
            return bytes(
                [
                    self.state_of(amps),
                    int(bool(snap.charge_mos_on)),
                    int(bool(snap.discharge_mos_on)),
                    self._life,
                ]
            ) + int(round((snap.capacity_remaining_ah or 0) * 1000)).to_bytes(4, "big")
        if data_id == dec.STATUS_INFO:
            return bytes([len(volts), len(temps), int(amps > 0.05), int(amps < -0.05), 0]) + _u16(
                snap.cycles or 0
            )
        if data_id == dec.BALANCE:
            bits = sum(1 << (c - 1) for c in snap.balancing_cells or [])
            return bits.to_bytes(8, "little")[:6]
        return self.fault_bytes(snap) + b"\x00"  # 0x98, fault code 0

    def _multi(self, data_id: int, snap: Snapshot) -> list[bytes]:
        """0x95 / 0x96 in frames numbered from 1, three cells or seven probes each."""
        if data_id == dec.CELL_VOLTAGES:
            values = [round(v * 1000) for v in snap.cell_voltages_v]
            per, frames = 3, 16 if self.ble_frames else math.ceil(len(values) / 3)
        else:
            values = [round(t) + TEMP_BIAS for t in snap.temperatures_c]
            per, frames = 7, math.ceil(len(values) / 7)
        out = []
        for n in range(frames):
            chunk = values[n * per : (n + 1) * per]
            if data_id == dec.CELL_VOLTAGES:
                body = bytes([n + 1]) + b"".join(_u16(v) for v in chunk).ljust(6, b"\x00")
            else:
                body = bytes([n + 1]) + bytes(chunk).ljust(7, b"\x00")
            out.append(dec.response(data_id, body))
        return out

    # --- settings reads (§5) -------------------------------------------------------------------------
    def _settings(self, data_id: int) -> bytes | list[bytes] | None:
        v = self.values
        if data_id in schema.A5_BY_ID:
            buf = bytearray(8)
            for row in schema.A5_BY_ID[data_id]:
                assert row.field is not None
                row.field.write(buf, abs(v[row.spec.key]) if row.current else v[row.spec.key])
            if data_id == dec.BATTERY_INFO:
                buf[2:5] = bytes([25, 1, 15])  # production date 2025-01-15
            return bytes(buf)
        if data_id == dec.FIRMWARE_INDEX:
            return b"20250115"
        if data_id == dec.RTC:
            now = self.now()
            return bytes([now.year - 2000, now.month, now.day, now.hour, now.minute, now.second])
        texts = {
            dec.SOFTWARE_VERSION: (self.SOFTWARE, 2),
            dec.HARDWARE_VERSION: (self.HARDWARE, 2),
            dec.BATTERY_CODE: ("PACKBENCH-SIMULATED-DALY-A5", 5),
        }
        if data_id in texts:
            text, frames = texts[data_id]
            raw = text.encode("ascii").ljust(7 * frames, b"\x00")
            return [dec.response(data_id, bytes([n + 1]) + raw[7 * n : 7 * n + 7]) for n in range(frames)]
        return None


def _u16(*values: int) -> bytes:
    return b"".join(int(v).to_bytes(2, "big") for v in values)


# --- the simulator package's factory (app/simulator/__init__.py finds it) ---------------------
SIMULATES = ("daly_a5",)


def create(protocol: str, options: Mapping[str, Any], common: dict[str, Any]) -> DalyA5Simulator:
    """An A5 board, 16 cells unless told (``ble_frames=1``: all 16 cell frames); see
    ``daly_board.create_board``.  It answers any host address (``address=`` is the
    session's)."""
    return create_board(
        DalyA5Simulator, protocol, options, common, ble_frames=opt.switch(options, "ble_frames")
    )
