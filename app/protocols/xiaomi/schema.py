"""The Xiaomi / Ninebot BMS settings schema: every row read-only, with its reason.

The rows are the ``SETTINGS`` rows of registers.py (one row states key, word,
width, scale and meaning once); this module only turns them into the
``SettingSpec`` the shared code reads.  No public source documents a safe write
to a stock BMS, and status bit 4 is a register write lock (ant_xiaomi.md §3.5),
so nothing here is writable and no preset is offered.

Labels and help texts are marked for translation where the rows are
(registers.py, ``QT_TRANSLATE_NOOP("Vocabulary", …)``).
"""

from __future__ import annotations

from ...model import SettingSpec
from .registers import BMS_ROWS, SETTINGS, Ascii, Date, Num, Reg, Version


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate's marker
    return text


#: what the Parameters and Control tabs say for this family, and what every write is
#: refused with (ant_xiaomi.md §3.5: no public source documents a safe write to a stock
#: BMS; status bit 4 is a write lock; editing the image can leave the pack "not activated")
READ_ONLY_REASON = QT_TRANSLATE_NOOP(
    "ReadOnly",
    "Xiaomi and Ninebot scooter packs are read-only in Packbench: no public source "
    "documents a safe write to their BMS, its status register has a write lock, and changing "
    'the serial number, capacities or counters can leave the pack "not activated" for the '
    "scooter. Packbench reads and diagnoses these packs and never writes to them.",
)


def spec_of(row: Reg) -> SettingSpec:
    meta = row.setting
    assert meta is not None, f"{row.name} is not a setting row"
    codec = row.codec
    text = isinstance(codec, (Ascii, Date, Version))
    scale = codec.scale if isinstance(codec, Num) else 1.0
    signed = codec.signed if isinstance(codec, Num) else False
    return SettingSpec(
        key=row.name,
        label=meta.label,
        unit=meta.unit,
        register=row.index,
        scale=scale,
        width=codec.size,
        signed=signed,
        minimum=meta.minimum,
        maximum=meta.maximum,
        step=meta.step,
        group=meta.group,
        help=meta.help,
        kind="text" if text else "number",
        writable=False,
        max_length=codec.size if text else None,
    )


SCHEMA: tuple[SettingSpec, ...] = tuple(spec_of(r) for r in BMS_ROWS if r.to == SETTINGS)
SPECS: dict[str, SettingSpec] = {s.key: s for s in SCHEMA}

__all__ = ["READ_ONLY_REASON", "SCHEMA", "SPECS", "spec_of"]
