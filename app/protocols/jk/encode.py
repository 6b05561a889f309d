"""JK02 frame builders: model objects -> the bytes a real board sends.

The inverse of decode.py, built on the same field tables.  Used by the
simulator (and by round-trip tests), never by the host-side session.
"""

from __future__ import annotations

import struct
from typing import Any

from ...model import DeviceInfo, Secrets, Snapshot
from . import framing as fr
from . import layout as L
from . import schema as S
from .dates import wire_date
from .decode import bits_from_alarms


def _frame(frame_type: int, counter: int = 0) -> bytearray:
    buf = bytearray(fr.RESPONSE_LENGTH)
    buf[0:4] = fr.RESPONSE_HEADER
    buf[4] = frame_type
    buf[5] = counter & 0xFF
    return buf


def _seal(buf: bytearray) -> bytes:
    buf[-1] = fr.sum8(buf[:-1])
    return bytes(buf)


def encode_cell_info(snap: Snapshot, variant: str, counter: int = 0) -> bytes:
    buf = _frame(fr.TYPE_CELL_INFO, counter)
    cells = snap.cell_voltages_v
    mask = 0
    for i, v in enumerate(cells):
        struct.pack_into("<H", buf, L.CELL_VOLTAGE_OFFSET + 2 * i, int(round(v * 1000)))
        mask |= 1 << i
    r_off = L.wire_resistance_offset(variant)
    for i, r in enumerate(snap.cell_resistances_ohm or []):
        struct.pack_into("<H", buf, r_off + 2 * i, int(round(r * 1000)))
    temps = snap.temperatures_c or []
    presence = 1 if snap.mos_temperature_c is not None else 0
    for n in range(min(len(temps), 2)):
        presence |= 1 << (n + 1)
    hi = max(cells) if cells else 0.0
    lo = min(cells) if cells else 0.0
    values: dict[str, Any] = {
        "cell_mask": mask,
        "avg_mv": sum(cells) / len(cells) * 1000 if cells else 0,
        "delta_mv": (hi - lo) * 1000,
        "max_index0": cells.index(hi) if cells else 0,
        "min_index0": cells.index(lo) if cells else 0,
        "wire_alarm_mask": 0,
        "pack_mv": (snap.pack_voltage_v or 0) * 1000,
        "power_mw": abs((snap.power_w or 0) * 1000),
        "current_ma": (snap.current_a or 0) * 1000,
        "t1_dc": temps[0] * 10 if len(temps) > 0 else 0,
        "t2_dc": temps[1] * 10 if len(temps) > 1 else 0,
        "mos_dc": (snap.mos_temperature_c or 0) * 10,
        "alarm_mask": bits_from_alarms(snap.alarms),
        "balance_ma": (snap.balance_current_a or 0) * 1000,
        "balance_action": int(snap.extra.get("jk_balancing_action", 1 if snap.balancing_active else 0)),
        "soc": snap.soc_pct or 0,
        "remaining_mah": (snap.capacity_remaining_ah or 0) * 1000,
        "full_mah": (snap.capacity_full_ah or 0) * 1000,
        "cycles": snap.cycles or 0,
        "cycle_mah": (snap.cycle_capacity_ah or 0) * 1000,
        "soh": snap.soh_pct if snap.soh_pct is not None else 100,
        "precharge": int(bool(snap.precharge_mos_on)),
        "runtime_s": snap.runtime_s or 0,
        "charge_mos": int(bool(snap.charge_mos_on)),
        "discharge_mos": int(bool(snap.discharge_mos_on)),
        "precharging": 0,
        "temp_presence": presence,
        "heating": int(bool(snap.heating_on)),
        "emergency_s": int(snap.extra.get("jk_emergency_remaining_s", 0)),  # jk.md §2.1
        "t254_dc": (snap.mos_temperature_c or 0) * 10,  # real 32S boards repeat MOS here
        "t256_dc": -2000,
        "t258_dc": -2000,
    }
    for row in L.CELL_ROWS[variant]:
        row.write(buf, values[row.name])
    return _seal(buf)


def encode_settings(values: dict[str, Any], variant: str, counter: int = 0) -> bytes:
    buf = _frame(fr.TYPE_SETTINGS, counter)
    if variant == L.JK02_24S:
        struct.pack_into("<I", buf, 6, 600)  # what 24S firmware always reports there
    elif variant == L.JK04:
        buf[6:10] = L.JK04_SETTINGS_MARK  # float 1.0 (jk.md §4.3)
    bitmask = 0
    for row in S.SCHEMAS[variant]:
        if row.key not in values or row.offset is None or row.frame != "settings":
            continue
        raw = row.to_raw(values[row.key])
        if row.bit is not None:
            bitmask |= (raw & 1) << row.bit
            continue
        _write_raw(buf, row, raw)
    if variant == L.JK02_32S:
        struct.pack_into("<H", buf, 282, bitmask)
        buf[270] = int(values.get("jk_device_address", 1)) & 0xFF
    return _seal(buf)


def _write_raw(buf: bytearray, row: Any, raw: Any) -> None:
    if row.encoding == "f32":
        struct.pack_into("<f", buf, row.offset, raw)
        return
    fmt = {1: "b", 2: "h", 4: "i"}[row.width]
    if not row.signed:
        fmt = fmt.upper()
    struct.pack_into("<" + fmt, buf, row.offset, raw)


def encode_device_info(
    info: DeviceInfo,
    secrets: Secrets,
    counter: int = 0,
    settings: dict[str, Any] | None = None,
    variant: str | None = None,
) -> bytes:
    """``settings``/``variant``: the JK02_32S settings that live in this frame (jk.md §3)."""
    buf = _frame(fr.TYPE_DEVICE_INFO, counter)
    if settings and variant in S.SCHEMAS:
        for row in S.SCHEMAS[variant]:
            if row.frame == "device_info" and row.key in settings:
                _write_raw(buf, row, row.to_raw(settings[row.key]))
    for name, off, length in L.DEVICE_STRINGS:
        text = getattr(info, name) or ""
        L.write_string(buf, off, length, wire_date(text) if name == "manufacture_date" else text)
    for row in L.DEVICE_NUMBERS:
        row.write(buf, getattr(info, row.name) or 0)
    L.write_string(buf, L.CONNECT_PIN[1], L.CONNECT_PIN[2], secrets.connect_pin or "")
    L.write_string(buf, L.SETUP_PASSWORD[1], L.SETUP_PASSWORD[2], secrets.setup_password or "")
    return _seal(buf)


def encode_jk04_cell_info(snap: Snapshot, counter: int = 0) -> bytes:
    """A JK04 cell-info frame: float32 cells and resistances (jk.md §2.3)."""
    buf = _frame(fr.TYPE_CELL_INFO, counter)
    cells = snap.cell_voltages_v
    mask = 0
    for i, v in enumerate(cells):
        struct.pack_into("<f", buf, L.JK04_CELL_OFFSET + 4 * i, v)
        mask |= 1 << i
    for i, r in enumerate(snap.cell_resistances_ohm or []):
        struct.pack_into("<f", buf, L.JK04_RESISTANCE_OFFSET + 4 * i, r)
    hi = max(cells) if cells else 0.0
    lo = min(cells) if cells else 0.0
    values = {
        "avg_v": sum(cells) / len(cells) if cells else 0.0,
        "delta_v": hi - lo,
        "cell_mask": mask,
        "max_index0": cells.index(hi) if cells else 0,
        "min_index0": cells.index(lo) if cells else 0,
        "balance_action": int(snap.extra.get("jk_balancing_action", 1 if snap.balancing_active else 0)),
        "balance_a": snap.balance_current_a or 0.0,
        "runtime_s": snap.runtime_s or 0,
    }
    for row in L.JK04_CELL_ROWS:
        row.write(buf, values[row.name])
    return _seal(buf)


def encode_logbook(entries: list[tuple[int, int]], counter: int = 0) -> bytes:
    """A logbook frame (type 0x05): u32 count at 6, then 5-byte entries from 11 (jk.md §1.5)."""
    buf = _frame(fr.TYPE_LOGBOOK, counter)
    recent = entries[-50:]
    struct.pack_into("<I", buf, 6, len(entries))
    for i, (ts, code) in enumerate(recent):
        struct.pack_into("<IB", buf, 11 + 5 * i, ts, code)
    return _seal(buf)
