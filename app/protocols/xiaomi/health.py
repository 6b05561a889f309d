"""The pack-health page of a Xiaomi / Ninebot scooter pack: the workshop's diagnosis.

Turns what the BMS reports (ant_xiaomi.md §3.4: design and actual capacity,
cycles, charge count, manufacture date, status bits, cells, two NTCs) into the
sentences a scooter workshop would write on its job sheet, after the Xiaomi
battery guide (../shared/seeds/002_e40d646d72bee06c.txt, "Xiaomi Battery
Maintenance & Recovery").  Every number a sentence compares with is a row of
``THRESHOLDS``, with the sentence of its source; where the guide gives no number
the row says whose number it is.

Pure: no Qt, no I/O.  Sentences are templates marked for translation (context
"PackHealth"); the numbers fill them after translating.
"""

from __future__ import annotations

import statistics
from dataclasses import fields, replace
from datetime import date
from typing import Any

from ...model import DeviceInfo, Settings, Snapshot
from ...model.health import BAD, INFO, OK, WARN, Finding, HealthGuide, Threshold


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate's marker
    return text


#: every number the diagnosis compares with, and where it comes from: ONE table
THRESHOLDS: tuple[Threshold, ...] = (
    Threshold(
        "cell_spread_mv",
        150,
        "mV",
        QT_TRANSLATE_NOOP(
            "PackHealth", "cells further apart than this: balance externally before blaming the BMS"
        ),
        QT_TRANSLATE_NOOP(
            "PackHealth",
            "Pack delta >150 mV: Use TP4056 boards or a bench supply with crocodile "
            "clips to top each weak parallel group before reconnecting the charger; leave the BMS "
            "in-circuit so protections stay active.",
        ),
        QT_TRANSLATE_NOOP("PackHealth", "Xiaomi battery guide, Balancing & State-of-Charge Management"),
    ),
    Threshold(
        "weak_group_mv",
        150,
        "mV",
        QT_TRANSLATE_NOOP("PackHealth", "a group this far below the median of the others is a weak group"),
        QT_TRANSLATE_NOOP(
            "PackHealth",
            "Balance stubborn packs externally before blaming the BMS. Clip TP4056 "
            "or lab-charger leads onto the weakest parallel groups without removing the board.",
        ),
        QT_TRANSLATE_NOOP(
            "PackHealth",
            "Xiaomi battery guide, Key Principles (the number is the guide's "
            "pack-delta limit, applied to one group)",
        ),
    ),
    Threshold(
        "balance_ma",
        30,
        "mA",
        QT_TRANSLATE_NOOP(
            "PackHealth", "what the stock BMS bleeds to balance: too little to close a large gap"
        ),
        QT_TRANSLATE_NOOP(
            "PackHealth",
            "Xiaomi BMS boards only bleed around 30 mA; leave the pack on charge "
            "overnight or top the low group with a bench supply after disconnecting the BMS.",
        ),
        QT_TRANSLATE_NOOP("PackHealth", "Xiaomi battery guide, Balancing & State-of-Charge Management"),
    ),
    Threshold(
        "floor_v",
        3.0,
        "V",
        QT_TRANSLATE_NOOP(
            "PackHealth", "a cell at or below this is deep-discharged: recovery charge, gently"
        ),
        QT_TRANSLATE_NOOP(
            "PackHealth",
            "Pack rests around 3.0–3.3 V per cell and refuses to charge: Treat the "
            "cutoff as normal Happy/Ninebot protection; bring voltage up gently and resume "
            "balancing before chasing a BMS replacement.",
        ),
        QT_TRANSLATE_NOOP("PackHealth", "Xiaomi battery guide, Balancing & State-of-Charge Management"),
    ),
    Threshold(
        "individual_v",
        2.0,
        "V",
        QT_TRANSLATE_NOOP("PackHealth", "a cell below this is recharged on its own, not through the pack"),
        QT_TRANSLATE_NOOP(
            "PackHealth",
            "disconnect immediately, recharge sub-2 V cells individually, and tidy "
            "sloppy sensor wiring before condemning hardware.",
        ),
        QT_TRANSLATE_NOOP("PackHealth", "Xiaomi battery guide, Charging & Hardware Upgrades"),
    ),
    Threshold(
        "ntc_low_c",
        -20,
        "°C",
        QT_TRANSLATE_NOOP(
            "PackHealth",
            "a sensor at or below this reads the bottom of its register (byte 0): open or missing",
        ),
        QT_TRANSLATE_NOOP(
            "PackHealth",
            "Failed OEM temperature sensors often lock the stock BMS; disconnect "
            "Rita, test both probes, and replace the bad sensor before condemning the adapter.",
        ),
        QT_TRANSLATE_NOOP(
            "PackHealth",
            "Xiaomi battery guide, Balancing & State-of-Charge Management (the "
            "number: the register holds °C + 20 in one byte)",
        ),
    ),
    Threshold(
        "ntc_high_c",
        100,
        "°C",
        QT_TRANSLATE_NOOP(
            "PackHealth", "a sensor at or above this on a pack that is not burning is a failed sensor"
        ),
        QT_TRANSLATE_NOOP(
            "PackHealth",
            "Failed OEM temperature sensors often lock the stock BMS; disconnect "
            "Rita, test both probes, and replace the bad sensor before condemning the adapter.",
        ),
        QT_TRANSLATE_NOOP("PackHealth", "Xiaomi battery guide (the number is Packbench's)"),
    ),
    Threshold(
        "ntc_apart_c",
        10,
        "°C",
        QT_TRANSLATE_NOOP(
            "PackHealth", "two sensors of one pack further apart than this: one of them has failed"
        ),
        QT_TRANSLATE_NOOP(
            "PackHealth",
            "Failed OEM temperature sensors often lock the stock BMS; disconnect "
            "Rita, test both probes, and replace the bad sensor before condemning the adapter.",
        ),
        QT_TRANSLATE_NOOP("PackHealth", "Xiaomi battery guide (the number is Packbench's)"),
    ),
    Threshold(
        "charge_min_c",
        5,
        "°C",
        QT_TRANSLATE_NOOP("PackHealth", "colder than this: let the pack warm up before charging"),
        QT_TRANSLATE_NOOP(
            "PackHealth",
            "Charge between ~5 °C and 55 °C; brief 28–29 °C top-offs are fine, but "
            "let cold-soaked packs warm before plugging in to avoid plating.",
        ),
        QT_TRANSLATE_NOOP("PackHealth", "Xiaomi battery guide, Temperature Guardrails"),
    ),
    Threshold(
        "charge_max_c",
        55,
        "°C",
        QT_TRANSLATE_NOOP("PackHealth", "hotter than this: let the pack cool down before charging"),
        QT_TRANSLATE_NOOP(
            "PackHealth",
            "Charge between ~5 °C and 55 °C; brief 28–29 °C top-offs are fine, but "
            "let cold-soaked packs warm before plugging in to avoid plating.",
        ),
        QT_TRANSLATE_NOOP("PackHealth", "Xiaomi battery guide, Temperature Guardrails"),
    ),
    Threshold(
        "health_bad_pct",
        60,
        "%",
        QT_TRANSLATE_NOOP("PackHealth", "capacity health below this: the pack is worn out"),
        QT_TRANSLATE_NOOP("PackHealth", "health (SOH) %; <60 % = bad battery"),
        QT_TRANSLATE_NOOP(
            "PackHealth",
            "Packbench's research notes on the BMS registers (register 0x3B, after "
            "the BotoX open firmware); the guide gives no percentage",
        ),
    ),
    Threshold(
        "health_worn_pct",
        80,
        "%",
        QT_TRANSLATE_NOOP("PackHealth", "capacity health below this: the pack is noticeably worn"),
        QT_TRANSLATE_NOOP(
            "PackHealth", "Suspect replacement capacity: Time a full charge with the OEM 1.7 A brick."
        ),
        QT_TRANSLATE_NOOP(
            "PackHealth",
            "Xiaomi battery guide, Balancing & State-of-Charge Management (the "
            "number is Packbench's: a fifth of the capacity gone)",
        ),
    ),
    Threshold(
        "charger_a",
        1.7,
        "A",
        QT_TRANSLATE_NOOP("PackHealth", "the stock charger's current, for how long a full charge takes"),
        QT_TRANSLATE_NOOP(
            "PackHealth",
            "each hour adds ≈1.7 Ah, so a genuine 12 Ah Pro 2 pack should take close "
            "to seven hours from empty.",
        ),
        QT_TRANSLATE_NOOP("PackHealth", "Xiaomi battery guide, Balancing & State-of-Charge Management"),
    ),
)
T = {t.id: t.value for t in THRESHOLDS}

#: status flags (decode.py) that mean the BMS refuses to charge
_CHARGE_STOPS = (
    "xiaomi_charge_protection",
    "xiaomi_charge_error",
    "xiaomi_overvoltage",
    "xiaomi_overheat",
    "xiaomi_undervoltage",
    "xiaomi_deep_undervoltage",
)
#: the current below which the pack is not being charged (sensor noise)
IDLE_A = 0.05


def _f(level: str, fid: str, text: str, thresholds: tuple[str, ...] = (), **values: Any) -> Finding:
    return Finding(fid, level, text, values, thresholds)


def job_sheet(info: DeviceInfo | None) -> list[Finding]:
    """The pack's identity for the job sheet: serial, BMS firmware, manufacture date."""
    if info is None or not (info.serial_number or info.software_version):
        return [
            _f(
                INFO,
                "identity",
                QT_TRANSLATE_NOOP("PackHealth", "The BMS has not told its serial number and firmware yet."),
            )
        ]
    return [
        _f(
            INFO,
            "identity",
            QT_TRANSLATE_NOOP(
                "PackHealth",
                "For the job sheet: serial number {serial}, BMS firmware {firmware}, made {made}.",
            ),
            serial=info.serial_number or "?",
            firmware=info.software_version or "?",
            made=info.manufacture_date or "?",
        )
    ]


def age(info: DeviceInfo | None, today: date) -> list[Finding]:
    made = info.manufacture_date if info is not None else None
    try:
        born = date.fromisoformat(made) if made else None
    except ValueError:
        born = None
    if born is None:
        return []
    years = max(0.0, (today - born).days / 365.25)
    return [
        _f(
            INFO,
            "age",
            QT_TRANSLATE_NOOP("PackHealth", "The pack was made on {made}: it is {years:.1f} years old."),
            made=made,
            years=years,
        )
    ]


def capacity(snap: Snapshot | None, settings: Settings | None) -> list[Finding]:
    """Capacity health = actual full capacity / design capacity, with the BMS's own SOH."""
    design = settings.values.get("capacity_nominal_ah") if settings is not None else None
    full = snap.capacity_full_ah if snap is not None else None
    soh = snap.soh_pct if snap is not None else None
    out: list[Finding] = []
    if design and full is not None:
        pct = 100.0 * full / design
        ids = ("health_bad_pct", "health_worn_pct")
        values = dict(pct=pct, full=full, design=design, soh="?" if soh is None else f"{soh:.0f}")
        if pct < T["health_bad_pct"]:
            out.append(
                _f(
                    BAD,
                    "capacity",
                    QT_TRANSLATE_NOOP(
                        "PackHealth",
                        "Capacity health {pct:.0f} %: the pack holds {full:.2f} Ah of the "
                        "{design:.2f} Ah "
                        "it was built with (the BMS's own health figure: {soh} %). Below 60 % the pack "
                        "is "
                        "worn out: replace the cells rather than repair the BMS.",
                    ),
                    ids,
                    **values,
                )
            )
        elif pct < T["health_worn_pct"]:
            out.append(
                _f(
                    WARN,
                    "capacity",
                    QT_TRANSLATE_NOOP(
                        "PackHealth",
                        "Capacity health {pct:.0f} %: the pack holds {full:.2f} Ah of the "
                        "{design:.2f} Ah "
                        "it was built with (the BMS's own health figure: {soh} %). It is noticeably "
                        "worn: "
                        "expect less range.",
                    ),
                    ids,
                    **values,
                )
            )
        else:
            out.append(
                _f(
                    OK,
                    "capacity",
                    QT_TRANSLATE_NOOP(
                        "PackHealth",
                        "Capacity health {pct:.0f} %: the pack holds {full:.2f} Ah of the "
                        "{design:.2f} Ah "
                        "it was built with (the BMS's own health figure: {soh} %).",
                    ),
                    ids,
                    **values,
                )
            )
        hours = full / T["charger_a"]
        out.append(
            _f(
                INFO,
                "charge_time",
                QT_TRANSLATE_NOOP(
                    "PackHealth",
                    "A full charge from empty with the stock 1.7 A charger should take about "
                    "{hours:.1f} h "
                    "for {full:.2f} Ah; a much shorter charge means less capacity than the BMS claims.",
                ),
                ("charger_a",),
                hours=hours,
                full=full,
            )
        )
    elif soh is not None:
        out.append(
            _f(
                BAD if soh < T["health_bad_pct"] else OK,
                "capacity",
                QT_TRANSLATE_NOOP(
                    "PackHealth",
                    "The BMS's own health figure is {soh:.0f} % (its design capacity is not known yet).",
                ),
                ("health_bad_pct",),
                soh=soh,
            )
        )
    return out


def history(snap: Snapshot | None) -> list[Finding]:
    if snap is None or snap.cycles is None:
        return []
    charges = snap.extra.get("xiaomi_charge_count")
    return [
        _f(
            INFO,
            "cycles",
            QT_TRANSLATE_NOOP(
                "PackHealth", "The BMS counts {cycles} full charge cycles and {charges} charges."
            ),
            cycles=snap.cycles,
            charges="?" if charges is None else charges,
        )
    ]


def cells(snap: Snapshot | None) -> list[Finding]:
    """Spread, a weak group and deep discharge, from the cell voltages."""
    volts = list(snap.cell_voltages_v) if snap is not None and snap.cell_voltages_v else []
    if not volts:
        return [_f(INFO, "cells", QT_TRANSLATE_NOOP("PackHealth", "No cell voltages yet."))]
    out: list[Finding] = []
    lo, hi = min(volts), max(volts)
    n_lo, n_hi = volts.index(lo) + 1, volts.index(hi) + 1
    delta = (hi - lo) * 1000
    if delta > T["cell_spread_mv"]:
        out.append(
            _f(
                WARN,
                "spread",
                QT_TRANSLATE_NOOP(
                    "PackHealth",
                    "The cells are {delta:.0f} mV apart (group {lo_n} at {lo:.3f} V, group "
                    "{hi_n} at "
                    "{hi:.3f} V), more than 150 mV: balance externally before blaming the BMS. Its "
                    "balancer bleeds only about 30 mA, so top the low group with a bench supply or a "
                    "TP4056 board.",
                ),
                ("cell_spread_mv", "balance_ma"),
                delta=delta,
                lo_n=n_lo,
                lo=lo,
                hi_n=n_hi,
                hi=hi,
            )
        )
    else:
        out.append(
            _f(
                OK,
                "spread",
                QT_TRANSLATE_NOOP(
                    "PackHealth",
                    "The cells are within {delta:.0f} mV of each other ({lo:.3f}–{hi:.3f} "
                    "V): balanced "
                    "well enough (the guide's limit is 150 mV).",
                ),
                ("cell_spread_mv",),
                delta=delta,
                lo=lo,
                hi=hi,
            )
        )
    if len(volts) > 2:
        others = statistics.median(v for i, v in enumerate(volts) if i != n_lo - 1)
        gap = (others - lo) * 1000
        if gap > T["weak_group_mv"]:
            out.append(
                _f(
                    WARN,
                    "weak_group",
                    QT_TRANSLATE_NOOP(
                        "PackHealth",
                        "Group {n} is a weak group: {gap:.0f} mV below the others ({v:.3f} V "
                        "against "
                        "{median:.3f} V). Meter it, top it up on its own, and replace the group if it "
                        "sags again.",
                    ),
                    ("weak_group_mv",),
                    n=n_lo,
                    gap=gap,
                    v=lo,
                    median=others,
                )
            )
    deep = [i + 1 for i, v in enumerate(volts) if v <= T["floor_v"]]
    if deep:
        out.append(
            _f(
                BAD,
                "deep_discharge",
                QT_TRANSLATE_NOOP(
                    "PackHealth",
                    "Deep discharge: {count} group(s) at or below 3.0 V (lowest: group {n} "
                    "at {v:.3f} V). "
                    "The BMS stops at this floor and may refuse to charge: recovery charge, gently — "
                    "bring the voltage up slowly at a low current, then balance.",
                ),
                ("floor_v",),
                count=len(deep),
                n=n_lo,
                v=lo,
            )
        )
        if lo < T["individual_v"]:
            out.append(
                _f(
                    BAD,
                    "below_2v",
                    QT_TRANSLATE_NOOP(
                        "PackHealth",
                        "Group {n} is below 2 V ({v:.3f} V): recharge it on its own before "
                        "charging the "
                        "pack.",
                    ),
                    ("individual_v",),
                    n=n_lo,
                    v=lo,
                )
            )
    return out


def temperatures(snap: Snapshot | None) -> list[Finding]:
    """Absurd or far-apart NTC readings (a failed sensor locks charging), and the charge window."""
    if snap is None:
        return []
    temps = list(snap.temperatures_c or [])
    dropped = [v for k, v in snap.implausible.items() if k.startswith("temperatures_c")]
    absurd = [t for t in temps if t <= T["ntc_low_c"] or t >= T["ntc_high_c"]] + dropped
    out: list[Finding] = []
    if absurd:
        shown = ", ".join(f"{t:.0f}" for t in absurd)
        out.append(
            _f(
                BAD,
                "ntc_absurd",
                QT_TRANSLATE_NOOP(
                    "PackHealth",
                    "A temperature sensor reads {values} °C, which no pack on a bench has: a "
                    "failed or "
                    "unplugged NTC. A failed sensor can lock charging: test both probes and replace the "
                    "bad one.",
                ),
                ("ntc_low_c", "ntc_high_c"),
                values=shown,
            )
        )
        return out
    if len(temps) >= 2 and abs(temps[0] - temps[1]) > T["ntc_apart_c"]:
        out.append(
            _f(
                WARN,
                "ntc_apart",
                QT_TRANSLATE_NOOP(
                    "PackHealth",
                    "The two temperature sensors read {t1:.0f} °C and {t2:.0f} °C, {d:.0f} "
                    "°C apart in "
                    "one pack: one of them has probably failed, and a failed sensor can lock charging.",
                ),
                ("ntc_apart_c",),
                t1=temps[0],
                t2=temps[1],
                d=abs(temps[0] - temps[1]),
            )
        )
    elif temps:
        out.append(
            _f(
                OK,
                "ntc",
                QT_TRANSLATE_NOOP(
                    "PackHealth", "The temperature sensors read plausible values ({values} °C)."
                ),
                values=", ".join(f"{t:.0f}" for t in temps),
            )
        )
    if temps and (min(temps) < T["charge_min_c"] or max(temps) > T["charge_max_c"]):
        out.append(
            _f(
                WARN,
                "charge_window",
                QT_TRANSLATE_NOOP(
                    "PackHealth",
                    "The pack is at {t:.0f} °C, outside the 5–55 °C it should be charged in: "
                    "let it "
                    "warm up or cool down first.",
                ),
                ("charge_min_c", "charge_max_c"),
                t=min(temps) if min(temps) < T["charge_min_c"] else max(temps),
            )
        )
    return out


def charge_refusal(snap: Snapshot | None) -> list[Finding]:
    """A charger is connected and the BMS does not charge, although the cells are fine."""
    if snap is None or not snap.cell_voltages_v:
        return []
    x = snap.extra
    plugged = bool(x.get("xiaomi_charger_inserted"))
    charging = bool(x.get("xiaomi_charging")) or (snap.current_a or 0.0) > IDLE_A
    stops = [name for name in _CHARGE_STOPS if x.get(name)]
    if not plugged and not stops:
        return []  # no charger, no protection: nothing was refused
    if plugged and charging and not stops:
        return []  # it charges
    volts = snap.cell_voltages_v
    fine = min(volts) > T["floor_v"] and (max(volts) - min(volts)) * 1000 <= T["cell_spread_mv"]
    if not fine:
        return []  # the cells explain it (deep discharge, imbalance: said above)
    flags = ", ".join(n.removeprefix("xiaomi_").replace("_", " ") for n in stops) or "—"
    return [
        _f(
            BAD,
            "charge_refused",
            QT_TRANSLATE_NOOP(
                "PackHealth",
                "The BMS refuses to charge although the cells are fine ({lo:.3f}–{hi:.3f} V; "
                "status: "
                "{flags}). A failed temperature sensor often locks the stock BMS: test both probes, "
                "then reset the BMS with its button and read its LED before replacing it.",
            ),
            ("floor_v", "cell_spread_mv"),
            lo=min(volts),
            hi=max(volts),
            flags=flags,
        )
    ]


def diagnose_one(
    snapshot: Snapshot | None, info: DeviceInfo | None, settings: Settings | None, today: date
) -> list[Finding]:
    """One pack's diagnosis: identity, capacity, history, cells, temperatures, charging."""
    return (
        job_sheet(info)
        + age(info, today)
        + capacity(snapshot, settings)
        + history(snapshot)
        + cells(snapshot)
        + temperatures(snapshot)
        + charge_refusal(snapshot)
    )


_SNAPSHOT_FIELDS = {f.name for f in fields(Snapshot)} - {"extra", "partial", "implausible"}
_INFO_FIELDS = ("serial_number", "software_version", "manufacture_date")


def unpack_second(values: dict[str, Any]) -> tuple[Snapshot, DeviceInfo, Settings]:
    """An external pack's readings (``extra["xiaomi_second_pack"]``, the ninebot poll) as
    the snapshot, device information and settings its diagnosis reads."""
    snap = Snapshot(**{k: v for k, v in values.items() if k in _SNAPSHOT_FIELDS})
    snap.extra = {k: v for k, v in values.items() if k not in _SNAPSHOT_FIELDS}
    snap.derive()
    info = DeviceInfo(**{k: values.get(k) for k in _INFO_FIELDS})
    design = {k: values[k] for k in ("capacity_nominal_ah",) if k in values}
    return snap, info, Settings(design)


def diagnose(
    snapshot: Snapshot | None,
    info: DeviceInfo | None = None,
    settings: Settings | None = None,
    today: date | None = None,
) -> list[Finding]:
    """The whole diagnosis, most telling first within each topic; an external pack that
    answers at 0x23 (``xiaomi_second_pack``) is diagnosed the same way, as pack 1."""
    today = today or date.today()
    out = diagnose_one(snapshot, info, settings, today)
    second = snapshot.extra.get("xiaomi_second_pack") if snapshot is not None else None
    if isinstance(second, dict) and second:
        out += [replace(f, pack=1) for f in diagnose_one(*unpack_second(second), today)]
    return out


GUIDE = HealthGuide(
    title=QT_TRANSLATE_NOOP("PackHealth", "Scooter pack health"),
    source=QT_TRANSLATE_NOOP(
        "PackHealth",
        'After the Xiaomi battery guide ("Xiaomi Battery Maintenance & Recovery"): '
        "balance "
        "externally before blaming the BMS, recover deep-discharged packs gently, suspect the "
        "temperature sensors when a pack with good cells will not charge.",
    ),
    thresholds=THRESHOLDS,
    diagnose=diagnose,
)

__all__ = ["GUIDE", "THRESHOLDS", "diagnose", "diagnose_one", "unpack_second"]
