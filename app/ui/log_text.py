"""The log viewer's words: times, durations, the readout at the cursor, the statistics of
a selection.

Times on screen are the computer's local time; the same moment in UTC goes into the
tooltips (``*_utc``), and the CSV keeps UTC (services/logfile.py).  A value and its
unit never break across lines (``nowrap``): "hottest 27.0 °C" stays whole in the
narrow side panel.  The numbers come from services/logprep.py and services/logstats.py.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ..services.logfile import LogData
from ..services.logprep import Readout, epoch_of, no_minus_zero, offset_text, stamp
from ..services.logstats import RangeStats
from .theme import HIGH_COLOUR, LOW_COLOUR, RED
from .widgets import alarm_text


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def nowrap(text: str) -> str:
    """Escaped ``text`` that the label never breaks."""
    return f'<span style="white-space:nowrap">{esc(text)}</span>'


# --- times --------------------------------------------------------------------------------------
def format_when(data: LogData, t: float) -> str:
    """``2026-05-01 02:00:00``: local date and time of ``t`` seconds into the log."""
    epoch = epoch_of(data, t)
    if epoch is None:
        return QCoreApplication.translate("LogViewer", "{s:.1f} s into the log").format(s=t)
    return stamp(epoch)


def format_when_utc(data: LogData, t: float) -> str:
    """``2026-05-01 00:00:00 UTC``: the same moment in UTC (for tooltips)."""
    epoch = epoch_of(data, t)
    if epoch is None:
        return QCoreApplication.translate("LogViewer", "{s:.1f} s into the log").format(s=t)
    date, time = stamp(epoch, utc=True).split(" ")
    return QCoreApplication.translate("LogViewer", "{date} {time} UTC").format(date=date, time=time)


def zone_text(data: LogData) -> str:
    """``local time, UTC+02:00``: what the times on screen are (at the log's start)."""
    if data.start_epoch is None:
        return ""
    return QCoreApplication.translate("LogViewer", "local time, {offset}").format(
        offset=offset_text(data.start_epoch)
    )


def format_duration(seconds: float) -> str:
    s = int(round(max(0.0, seconds)))
    d, rest = divmod(s, 86400)
    h, rest = divmod(rest, 3600)
    m, sec = divmod(rest, 60)
    if d:
        return QCoreApplication.translate("LogViewer", "{d} d {h:02d}:{m:02d}:{s:02d}").format(
            d=d, h=h, m=m, s=sec
        )
    return QCoreApplication.translate("LogViewer", "{h:02d}:{m:02d}:{s:02d}").format(h=h, m=m, s=sec)


def energy(wh: float) -> str:
    if abs(wh) >= 1000:
        return QCoreApplication.translate("LogViewer", "{kwh:.2f} kWh").format(kwh=wh / 1000)
    return QCoreApplication.translate("LogViewer", "{wh:.1f} Wh").format(wh=wh)


# --- temperatures ----------------------------------------------------------------------------------
def temperature_label(name: str) -> str:
    """``temp_2_c`` -> "T2", ``mos_temperature_c`` -> "MOS": a temperature's short name."""
    if name == "mos_temperature_c":
        return QCoreApplication.translate("LogViewer", "MOS")
    if name == "balancer_temperature_c":
        return QCoreApplication.translate("LogViewer", "balancer")
    if name.startswith("temp_") and name.endswith("_c"):
        return QCoreApplication.translate("LogViewer", "T{n}").format(n=name[5:-2])
    return name


def temperature_text(name: str, c: float) -> str:
    """``T1 25.0 °C``, ``MOS 30.0 °C``: one temperature with its short name."""
    if name == "mos_temperature_c":
        return QCoreApplication.translate("LogViewer", "MOS {c:.1f} °C").format(c=c)
    if name.startswith("temp_") and name.endswith("_c"):
        return QCoreApplication.translate("LogViewer", "T{n} {c:.1f} °C").format(n=name[5:-2], c=c)
    return QCoreApplication.translate("LogViewer", "{name} {c:.1f} °C").format(
        name=temperature_label(name), c=c
    )


# --- the readout at the cursor ---------------------------------------------------------------------
def readout_html(data: LogData, r: Readout) -> str:
    """The cursor's row in a few short lines; no value breaks from its unit."""
    first = [f"<b>{nowrap(format_when(data, r.t))}</b>"]
    pack = []
    if r.pack_v is not None:
        pack.append(QCoreApplication.translate("LogViewer", "{v:.2f} V").format(v=r.pack_v))
    if r.current_a is not None:
        pack.append(QCoreApplication.translate("LogViewer", "{a:+.2f} A").format(a=r.current_a))
    if r.soc_pct is not None:
        pack.append(QCoreApplication.translate("LogViewer", "SOC {p:.0f} %").format(p=r.soc_pct))
    if pack:
        first.append(
            nowrap(QCoreApplication.translate("LogViewer", "Pack: {values}").format(values=" · ".join(pack)))
        )
    if r.spread_mv is not None:
        first.append(
            nowrap(QCoreApplication.translate("LogViewer", "Spread {mv:.0f} mV").format(mv=r.spread_mv))
        )
    lines = [" &nbsp; ".join(first)]
    second = []
    if r.lowest is not None and r.highest is not None:
        low = QCoreApplication.translate("LogViewer", "Lowest: cell {n} {v:.3f} V").format(
            n=r.lowest[0], v=r.lowest[1]
        )
        high = QCoreApplication.translate("LogViewer", "highest: cell {n} {v:.3f} V").format(
            n=r.highest[0], v=r.highest[1]
        )
        second.append(f'<span style="color:{LOW_COLOUR}">{nowrap(low)}</span>')
        second.append(f'<span style="color:{HIGH_COLOUR}">{nowrap(high)}</span>')
    second += [nowrap(temperature_text(name, c)) for name, c in r.temps]
    if second:
        lines.append(" &nbsp; ".join(second))
    if r.alarms:
        words = ", ".join(alarm_text(x) for x in r.alarms)
        lines.append(f'<b style="color:{RED}">&#9888; {esc(words)}</b>')
    return "<br>".join(lines)


# --- the statistics of a selection -----------------------------------------------------------------
def _spread_lines(data: LogData, st: RangeStats) -> list[str]:
    lines = []
    if st.delta_max_v is not None:
        largest = QCoreApplication.translate("LogViewer", "Largest spread {mv:.0f} mV at {when}").format(
            mv=st.delta_max_v * 1000, when=format_when(data, st.delta_max_t)
        )
        cells = QCoreApplication.translate("LogViewer", "cell {low} lowest, cell {high} highest").format(
            low=st.delta_low_cell, high=st.delta_high_cell
        )
        lines.append(f"<b>{esc(largest)}</b><br>{esc(cells)}")
    if st.lowest_cell is not None:
        sagged = QCoreApplication.translate("LogViewer", "Sagged most: cell {n}, {v:.3f} V at {when}").format(
            n=st.lowest_cell,
            v=st.cell_min_v[st.lowest_cell - 1],
            when=format_when(data, float(st.cell_min_t[st.lowest_cell - 1])),
        )
        lines.append(f'<span style="color:{LOW_COLOUR}">{esc(sagged)}</span>')
    return lines


def _range_parts(st: RangeStats) -> list[str]:
    parts = []
    if st.pack_min_v is not None:
        parts.append(
            QCoreApplication.translate("LogViewer", "pack {lo:.2f}–{hi:.2f} V").format(
                lo=st.pack_min_v, hi=st.pack_max_v
            )
        )
    if st.current_min_a is not None:
        parts.append(
            QCoreApplication.translate("LogViewer", "current {lo:+.1f} to {hi:+.1f} A").format(
                lo=no_minus_zero(st.current_min_a), hi=no_minus_zero(st.current_max_a)
            )
        )
    if st.temp_max_c:
        parts.append(
            QCoreApplication.translate("LogViewer", "hottest {c:.1f} °C").format(
                c=max(st.temp_max_c.values())
            )
        )
    return parts


def summary_html(data: LogData, st: RangeStats) -> str:
    """The statistics of a selection: when, how long, energy, the cell that sagged most,
    the ranges and the alarms."""
    if not st.rows:
        return esc(QCoreApplication.translate("LogViewer", "No rows in the selection."))
    when = f"<b>{nowrap(format_when(data, st.t0))}</b> → <b>{nowrap(format_when(data, st.t1))}</b>"
    lines = [
        when,
        esc(
            QCoreApplication.translate("LogViewer", "{duration}, {rows} rows").format(
                duration=format_duration(st.duration_s), rows=f"{st.rows:,}"
            )
        ),
    ]
    if st.energy_in_wh is not None:
        text = QCoreApplication.translate("LogViewer", "Energy in {ein} · out {eout}").format(
            ein=energy(st.energy_in_wh), eout=energy(st.energy_out_wh or 0.0)
        )
        lines.append(esc(text))
    if st.charge_in_ah is not None:
        text = QCoreApplication.translate("LogViewer", "Charge in {qin:.2f} Ah · out {qout:.2f} Ah").format(
            qin=st.charge_in_ah, qout=st.charge_out_ah or 0.0
        )
        lines.append(esc(text))
    lines += _spread_lines(data, st)
    ranges = _range_parts(st)
    if ranges:
        lines.append(", ".join(nowrap(p) for p in ranges))
    if st.alarms:
        words = ", ".join(alarm_text(a) for a, _t0 in st.alarms)
        text = QCoreApplication.translate("LogViewer", "Alarms: {list}").format(list=words)
        lines.append(f'<span style="color:{RED}">{esc(text)}</span>')
    return "<br>".join(lines)


def summary_tooltip(data: LogData, st: RangeStats) -> str:
    """The selection's start and end in UTC."""
    if not st.rows:
        return ""
    return QCoreApplication.translate("LogViewer", "{start} → {end}").format(
        start=format_when_utc(data, st.t0), end=format_when_utc(data, st.t1)
    )


__all__ = [
    "energy",
    "esc",
    "format_duration",
    "format_when",
    "format_when_utc",
    "nowrap",
    "readout_html",
    "summary_html",
    "summary_tooltip",
    "temperature_label",
    "temperature_text",
    "zone_text",
]
