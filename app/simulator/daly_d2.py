"""A virtual Daly board speaking the Modbus ``D2`` protocol, or its ``P81`` variant (jbd_daly.md §6).

``sim://daly_d2?cells=16`` (``?variant=p81`` for a P81 board).  Behaves as the
sources say real boards do:
- FC 0x03 reads of any registers of the map (§6.3, §6.4; P81 shifted, §6.5);
  registers the map does not name read 0;
- FC 0x06 writes to the settings block are echoed byte for byte and stored; a
  value outside the row's range is refused with exception 3, a register that
  is no setting with exception 2; 0xA7 sets the SOC, 0xF0–0xF3 restart, shut
  down (the board then stays silent), zero the current and reset to factory;
  0x0C/0x0D echo and do nothing (batmon #356);
- FC 0x10 (no byte count, §6.1) to 0xC9–0xCB sets the setup password, to
  0xD4–0xD6 the clock; the reply is ``D2 10 <reg> <count> <crc>``;
- the setup password is readable in 0xC9–0xCB (§6.6): the board itself checks
  nothing (Packbench's gate does), unless ``fault=require_password``;
- a P81 board answers 0x81 requests with 0x51 replies and takes no writes.

Faults as the other simulators: ``fault=refuse_writes`` (no echo, nothing
stored), ``ack_without_store``, ``drop_link_mid_write``, ``require_password``,
``clamp_<key>=``, ``write_delay=``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import Snapshot
from ..protocols.daly import d2 as dec
from ..protocols.daly import schema
from ..protocols.daly.fields import CURRENT_BIAS, TEMP_BIAS
from ..protocols.daly.framing import ModbusFrameReader
from ..protocols.daly.modbus import D2, P81, ModbusFrame, build_exception, build_reply, build_write_ack, parse
from .daly_board import DalyBoard, create_board

ILLEGAL_FUNCTION, ILLEGAL_ADDRESS, ILLEGAL_VALUE = 1, 2, 3
#: host-command registers that echo but switch nothing on at least one unit (§6.4)
NO_OP_REGISTERS = (0x0C, 0x0D)
ROWS_BY_REGISTER = {r.spec.register: r for r in schema.D2_ROWS}


def _text_words(text: str, registers: int) -> list[int]:
    raw = text.encode("ascii")[: 2 * registers].ljust(2 * registers, b"\x00")
    return [raw[i] << 8 | raw[i + 1] for i in range(0, len(raw), 2)]


def _put(words: dict[int, int], rows: Any, values: Mapping[str, Any]) -> None:
    """The decoder's own rows (d2.py) write the values they read."""
    for row in rows:
        if row.name in values and values[row.name] is not None:
            words[row.offset // 2] = row.to_raw(values[row.name])


class DalyD2Simulator(DalyBoard):
    def __init__(self, *args: Any, variant: str = D2, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.variant = variant
        self._reader = ModbusFrameReader()
        self._life = 0

    # --- the wire ----------------------------------------------------------------------------
    def receive(self, data: bytes) -> list[bytes]:
        if self.faults.silent or self.shut_down:
            return []
        out: list[bytes] = []
        for frame in self._reader.feed(data):
            try:
                f = parse(frame.data)
            except ValueError:
                continue
            if not f.request or f.variant != self.variant:
                continue  # another board's reply, or the other variant's request
            self.received.append(frame.data)
            reply = self._request(f, frame.data)
            if reply:
                out += self._cut(reply)
        if self.drop_link:
            self._say("link dropped")
        return out

    def _request(self, f: ModbusFrame, raw: bytes) -> bytes | None:
        assert f.register is not None and f.count is not None
        if f.function == 0x03:
            regs = self.registers()
            return build_reply(
                [regs.get(r, 0) for r in range(f.register, f.register + f.count)], self.variant
            )
        if self.variant == P81:  # no capture shows how P81 takes writes: Packbench sends none
            return build_exception(f.function, ILLEGAL_FUNCTION, P81)
        if f.function == 0x06:
            return self._write_one(f.register, f.words[0], raw)
        return self._write_many(f.register, list(f.words))

    # --- writes ------------------------------------------------------------------------------
    def _write_one(self, register: int, raw_value: int, request: bytes) -> bytes | None:
        if self.refuses_writes():
            return None  # a refused write: no echo, nothing stored
        actions = {
            dec.RESTART: self._restart,
            dec.SHUTDOWN: self._shutdown,
            dec.ZERO_CURRENT: self.zero_current,
            dec.FACTORY_RESET: self.factory_reset,
        }
        if register in actions:
            actions[register]()
            return request
        if register in NO_OP_REGISTERS:
            return request
        if register == schema.REG_SOC:
            if raw_value > 1000:
                return build_exception(0x06, ILLEGAL_VALUE)
            self.set_soc(raw_value / 10)
            return request
        row = ROWS_BY_REGISTER.get(register)
        if row is None or not row.spec.writable:
            return build_exception(0x06, ILLEGAL_ADDRESS)
        value = schema.decode_row(row, raw_value.to_bytes(2, "big"), -2 * register)
        try:
            if row.spec.kind == "number":
                row.spec.check(value)
        except ValueError:
            return build_exception(0x06, ILLEGAL_VALUE)
        if not self.faults.ack_without_store:
            self.store(row.spec.key, value)
            self.writes.append((register, raw_value))
            self._link_drops(len(self.writes))
        self.reply_delay_s = self.faults.write_delay_s
        return request  # the reply is the request, byte for byte (§6.1)

    def _write_many(self, register: int, words: list[int]) -> bytes | None:
        if self.refuses_writes():
            return None
        if register == dec.REG_PASSWORD and len(words) == 3:
            text = b"".join(w.to_bytes(2, "big") for w in words).decode("latin-1")
            if not (text.isascii() and text.isalnum()):
                return build_exception(0x10, ILLEGAL_VALUE)
            if not self.faults.ack_without_store:
                self.password = text
                self._say("setup password changed")
        elif register == dec.REG_RTC and len(words) == 3:
            from datetime import datetime

            b = b"".join(w.to_bytes(2, "big") for w in words)
            try:
                when = datetime(2000 + b[0], b[1], b[2], b[3], b[4], b[5])
            except ValueError:
                return build_exception(0x10, ILLEGAL_VALUE)
            self.set_clock(when)
        else:
            return build_exception(0x10, ILLEGAL_ADDRESS)
        return build_write_ack(register, len(words))

    def _restart(self) -> None:
        self._say("restarting")

    def _shutdown(self) -> None:
        self._say("shutting down: silent until woken")
        self.shut_down = True

    # --- the register map ----------------------------------------------------------------------
    def registers(self) -> dict[int, int]:
        snap = self.snapshot()
        words: dict[int, int] = {}
        if self.variant == P81:
            self._p81_live(words, snap)
        else:
            self._d2_live(words, snap)
            self._d2_settings(words)
        return words

    def _live_values(self, snap: Snapshot) -> dict[str, Any]:
        volts = snap.cell_voltages_v
        amps = snap.current_a or 0.0
        state = self.state_of(amps)
        wire = -amps if self.sign_flipped else amps
        temps = snap.temperatures_c
        bits = sum(1 << (c - 1) for c in snap.balancing_cells or [])
        self._life = (self._life + 1) % 256
        return {
            "pack_voltage_v": snap.pack_voltage_v,
            "soc_pct": snap.soc_pct,
            # D2 and P81: above 30000 is charging (§6.3, §8 #17)
            "current_raw": CURRENT_BIAS + int(round(wire * 10)),
            "cell_max_v": max(volts),
            "cell_min_v": min(volts),
            "cell_max_index": volts.index(max(volts)) + 1,
            "daly_temperature_max_c": max(temps),
            "daly_temperature_min_c": min(temps),
            "daly_temperature_max_sensor": temps.index(max(temps)) + 1,
            "daly_temperature_min_sensor": temps.index(min(temps)) + 1,
            "state_raw": state,
            "capacity_remaining_ah": snap.capacity_remaining_ah,
            "cell_count": len(volts),
            "daly_ntc_count": len(temps),
            "cycles": snap.cycles,
            "balancer_raw": int(bool(snap.balancing_active)),
            "charge_mos_raw": int(bool(snap.charge_mos_on)),
            "discharge_mos_raw": int(bool(snap.discharge_mos_on)),
            "precharge_mos_raw": 0,
            "heating_raw": 0,
            "daly_heartbeat": self._life,
            "cell_avg_v": round(sum(volts) / len(volts), 3),
            "cell_delta_v": round(max(volts) - min(volts), 3),
            "power_raw": int(round(abs(snap.power_w or 0.0))),
            "balance_bits_lo": bits & 0xFFFF,
            "balance_bits_hi": bits >> 16 & 0xFFFF,
            "balance_bits_top": bits >> 32 & 0xFFFF,
            "balance_current_a": snap.balance_current_a or 0.0,
            "mos_temperature_c": snap.mos_temperature_c,
            "daly_board_temperature_c": 26.0,
            "daly_energy_wh": int(round((snap.capacity_remaining_ah or 0) * (snap.pack_voltage_v or 0))),
        }

    def _d2_live(self, words: dict[int, int], snap: Snapshot) -> None:
        volts = [int(round(v * 1000)) for v in snap.cell_voltages_v]
        for i, mv in enumerate(volts):
            words[i if i < 32 else 0x47 + i - 32] = mv  # cells 33–48 at 0x47 (§6.3)
        for i, t in enumerate(snap.temperatures_c):
            words[0x20 + i] = int(round(t)) + TEMP_BIAS
        _put(words, dec.D2_LIVE + dec.D2_MOS, self._live_values(snap))
        fault = self.fault_bytes(snap) + b"\x00"
        for i, word in enumerate(dec.faults.d2_fault_words(fault)):
            words[0x3A + i] = word

    def _d2_settings(self, words: dict[int, int]) -> None:
        for row in schema.D2_ROWS:
            words[row.spec.register] = schema.encode_row(row, self.values[row.spec.key])
        for i, w in enumerate(
            _text_words(self.SOFTWARE, 8) + _text_words(self.HARDWARE, 8) + _text_words("PACKBENCH-0001", 16)
        ):
            words[0xA9 + i] = w
        for i, w in enumerate(_text_words(self.password, 3)):
            words[dec.REG_PASSWORD + i] = w
        words[0xCC], words[0xCD] = 25 << 8 | 1, 15 << 8  # production date 2025-01-15
        now = self.now()
        for i, w in enumerate(
            (now.year - 2000 << 8 | now.month, now.day << 8 | now.hour, now.minute << 8 | now.second)
        ):
            words[dec.REG_RTC + i] = w

    def _p81_live(self, words: dict[int, int], snap: Snapshot) -> None:
        for i, v in enumerate(snap.cell_voltages_v):
            words[i] = int(round(v * 1000))
        for i, t in enumerate(snap.temperatures_c):
            words[0x30 + i] = int(round(t)) + TEMP_BIAS
        _put(words, dec.P81_LIVE, self._live_values(snap))
        fault = self.fault_bytes(snap) + b"\x00"
        for i, word in enumerate(dec.faults.d2_fault_words(fault)[:2]):
            words[0x6D + i] = word
        for i, w in enumerate(_text_words(self.SOFTWARE, 14) + _text_words(self.HARDWARE, 7)):
            words[0x178 + i] = w
        # the balancer switch reads 0xFFFF for on on P81 (§6.4)
        words[schema.REG_BALANCER] = 0xFFFF if self.values["balance_switch"] else 0


# --- the simulator package's factory (app/simulator/__init__.py finds it) ---------------------
SIMULATES = ("daly_d2",)


def create(protocol: str, options: Mapping[str, Any], common: dict[str, Any]) -> DalyD2Simulator:
    """A D2 board (``?variant=p81`` a P81 one), 16 cells unless told; see ``create_board``."""
    variant = str(options.get("variant", D2) or D2).strip().lower()
    if variant not in (D2, P81):
        raise ValueError(f"variant={variant!r}: Daly Modbus boards are d2 or p81")
    return create_board(DalyD2Simulator, protocol, options, common, variant=variant)
