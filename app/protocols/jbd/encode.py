"""Model -> JBD board frames, for the simulator and tests (the inverse of decode.py).

Layouts from ../shared/protocols/jbd_daly.md §2; the decoder reads every
frame built here back to the same values (tests/test_jbd.py).
"""

from __future__ import annotations

from ...model import Snapshot
from ..fields import write_all
from . import decode as dec
from . import framing as fr
from .schema import KELVIN_OFFSET

_ALARM_BITS = {alarm: bit for bit, alarm in dec.PROTECTION_ALARMS.items()}


def _u16(value: float) -> bytes:
    return (int(round(value)) & 0xFFFF).to_bytes(2, "big")


def date_raw(text: str) -> int:
    y, m, d = (int(x) for x in text.split("-"))
    return (y - 2000) << 9 | m << 5 | d


def encode_basic(
    snap: Snapshot,
    *,
    design_ah: float,
    software: int = 0x27,
    manufacture_date: str = "2026-11-20",
    mos_lock: bool = False,
    extended: bool = True,
) -> bytes:
    """A 0x03 basic-info reply (§2.1), with the V11 extension when ``extended``."""
    balance = sum(1 << (c - 1) for c in snap.balancing_cells or [])
    protection = sum(1 << _ALARM_BITS[a] for a in snap.alarms if a in _ALARM_BITS)
    if mos_lock:
        protection |= 1 << dec.MOS_LOCK_BIT
    temps = snap.temperatures_c or []
    tail = dec.BASIC_LENGTH + dec.TEMPERATURE.size * len(temps)
    data = bytearray(tail + (dec.EXTENSION_LENGTH if extended else 0))
    write_all(
        data,
        dec.BASIC_ROWS,
        {
            "pack_10mv": (snap.pack_voltage_v or 0) * 100,
            "current_10ma": (snap.current_a or 0) * 100,
            "remaining_10mah": (snap.capacity_remaining_ah or 0) * 100,
            "design_10mah": design_ah * 100,
            "cycles": snap.cycles or 0,
            "date": date_raw(manufacture_date),
            "balance_lo": balance & 0xFFFF,
            "balance_hi": balance >> 16,
            "protection": protection,
            "software": software,
            "soc": snap.soc_pct or 0,
            "fet": (1 if snap.charge_mos_on else 0) | (2 if snap.discharge_mos_on else 0),
            "cells": snap.cell_count or len(snap.cell_voltages_v),
            "ntc": len(temps),
        },
    )
    dec.TEMPERATURE.write_many(data, [t * 10 + KELVIN_OFFSET for t in temps], dec.BASIC_LENGTH)
    if extended:
        alarm = (1 << 10 if dec.CELL_DELTA_HIGH in snap.alarms else 0) | (
            1 << 11 if dec.LOW_SOC in snap.alarms else 0
        )
        write_all(
            data,
            dec.EXTENSION_ROWS,
            {
                "humidity_pct": 0,
                "alarm_bits": alarm,
                "full_10mah": (snap.capacity_full_ah or design_ah) * 100,
                "remaining_again_10mah": (snap.capacity_remaining_ah or 0) * 100,
                "balance_ma": (snap.balance_current_a or 0) * 1000,
            },
            tail,
        )
    return fr.response(dec.REG_BASIC, bytes(data))


def encode_cells(volts: list[float]) -> bytes:
    data = bytearray(dec.CELL.size * len(volts))
    dec.CELL.write_many(data, [v * 1000 for v in volts])
    return fr.response(dec.REG_CELLS, bytes(data))


def encode_hardware(model: str) -> bytes:
    return fr.response(dec.REG_HARDWARE, model.encode("ascii")[:31])


def encode_error_counts(counts: list[int]) -> bytes:
    return fr.response(dec.REG_ERRORS, b"".join(_u16(c) for c in counts))


def encode_register(register: int, raw: int) -> bytes:
    return fr.response(register, _u16(raw))


def encode_text(register: int, text: str) -> bytes:
    data = text.encode("ascii")[:31]
    return fr.response(register, bytes([len(data)]) + data)


def ack(register: int) -> bytes:
    return fr.response(register)


def refusal(register: int, status: int = fr.STATUS_ERROR) -> bytes:
    return fr.response(register, b"", status)


def bare_refusal(register: int) -> bytes:
    """The unchecksummed ``DD reg 81 00 00 00 77`` a password-locked board sends (§1.1)."""
    return bytes([fr.START, register, fr.STATUS_INVALID, 0, 0, 0, fr.END])
