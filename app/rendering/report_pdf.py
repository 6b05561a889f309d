"""The commissioning report as a printable PDF (A4, one page where it fits).

``report_html`` turns the report's content (services/commissioning.py, as the pack
registry keeps it) into the HTML subset QTextDocument lays out; ``cell_chart`` and
``resistance_chart`` draw the bar charts into QImages; ``write_pdf`` prints it all
through QPdfWriter.  Everything drawn comes from the report's content, nothing from
the clock or the machine, so the same record gives the same pages.
"""

from __future__ import annotations

import html
import math
import statistics
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..model.wires import OUTLIER_FACTOR, OUTLIER_FLOOR_OHM, resistance_outliers
from ..protocols.family import label
from ..services.commissioning import FAILED, PASSED, value_text
from . import ensure_app

GREEN, RED, AMBER, BLUE, GREY = "#1e8e3e", "#c62828", "#b26a00", "#0b62a4", "#757575"
DPI = 300
MARGIN_MM = 12.0
FONT = "DejaVu Sans"
FONT_PT = 7.5
#: tight vertical spacing: the report fits one A4 page for a 32-cell pack with a few writes
STYLE = (
    "h3 { font-size: 9pt; margin-top: 7px; margin-bottom: 2px; }"
    " p { margin-top: 2px; margin-bottom: 2px; }"
    " hr { margin-top: 2px; margin-bottom: 2px; }"
)
CHART_URL = "packbench://cells.png"
RESISTANCE_URL = "packbench://resistances.png"

_VERDICT = {PASSED: ("PASSED", GREEN), FAILED: ("FAILED", RED)}
_CHECK_MARK = {True: ("✓", GREEN), False: ("✗", RED), None: ("?", AMBER)}


def esc(value: Any) -> str:
    return html.escape("—" if value is None or value == "" else str(value))


# --- charts ------------------------------------------------------------------------------------
def _bars(
    values: Sequence[float],
    *,
    size: tuple[int, int],
    font_px: int,
    colours: Sequence[str],
    labels: Sequence[str],
    axis: tuple[float, float],
    ticks: Sequence[tuple[float, str]],
) -> Any:
    """A bar chart in a QImage: one bar per value from axis[0] up, its label above it, the
    cell numbers below, tick lines with their text on the left."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

    width, height = size
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont(FONT)
    font.setPixelSize(font_px)
    p.setFont(font)
    left, top, bottom = int(font_px * 4.2), int(font_px * 1.8), font_px * 2  # room for the text
    plot = QRectF(left, top, width - left - 8, height - top - bottom)
    lo, hi = axis

    def y(v: float) -> float:
        return plot.bottom() - (v - lo) / (hi - lo) * plot.height()

    _ticks(p, plot, [(y(value), text) for value, text in ticks], font_px)
    n = max(1, len(values))
    slot = plot.width() / n
    small = QFont(font)
    small.setPixelSize(max(12, min(font.pixelSize(), int(slot / 3.2))))
    for i, v in enumerate(values):
        x = plot.left() + i * slot + slot * 0.12
        bar = QRectF(x, y(max(lo, min(hi, v))), slot * 0.76, plot.bottom() - y(max(lo, min(hi, v))))
        p.fillRect(bar, QColor(colours[i]))
        p.setPen(QColor("#202020"))
        p.setFont(small)
        p.drawText(
            QRectF(x - slot * 0.12, bar.top() - small.pixelSize() * 1.4, slot, small.pixelSize() * 1.3),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
            labels[i],
        )
        p.setPen(QColor(GREY))
        p.drawText(
            QRectF(x - slot * 0.12, plot.bottom() + 4, slot, bottom - 4),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
            str(i + 1),
        )
    p.setPen(QPen(QColor("#404040"), 2))
    p.drawLine(int(plot.left()), int(plot.bottom()), int(plot.right()), int(plot.bottom()))
    p.end()
    return image


def _ticks(p: Any, plot: Any, ticks: Sequence[tuple[float, str]], font_px: int) -> None:
    """Grid lines across the plot at each tick's height, its text left of the plot."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QPen

    for at, text in ticks:
        p.setPen(QPen(QColor("#d0d0d0"), 2))
        p.drawLine(int(plot.left()), int(at), int(plot.right()), int(at))
        p.setPen(QColor(GREY))
        p.drawText(
            QRectF(0, at - font_px, plot.left() - 8, 2 * font_px),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            text,
        )


def cell_chart(cells: Mapping[str, Any], size: tuple[int, int] = (2200, 340)) -> Any:
    """Cell voltages, zoomed on their spread (the axis says where it starts): the lowest
    cell blue, the highest red."""
    volts = [float(v) for v in cells.get("voltages_v") or []]
    if not volts:
        return None
    low, high = min(volts), max(volts)
    pad = max(0.004, (high - low) * 0.6)
    axis = (low - pad, high + pad * 0.8)
    step = _nice_step((axis[1] - axis[0]) / 3)
    first = -(-axis[0] // step) * step
    ticks = []
    t = first
    while t <= axis[1] + 1e-9:
        ticks.append((t, f"{t:.3f} V"))
        t += step
    lo_i, hi_i = volts.index(low), volts.index(high)
    colours = [BLUE if i == lo_i else RED if i == hi_i else "#8fa8bf" for i in range(len(volts))]
    labels = [f"{v:.3f}" for v in volts]
    return _bars(volts, size=size, font_px=28, colours=colours, labels=labels, axis=axis, ticks=ticks)


def resistance_chart(ohms: Sequence[float], size: tuple[int, int] = (2200, 200)) -> Any:
    milli = [float(r) * 1000 for r in ohms]
    if not milli:
        return None
    top = max(milli) * 1.25 or 1.0
    step = _nice_step(top / 2)
    ticks = [(i * step, f"{i * step:g} mΩ") for i in range(int(top // step) + 1)]
    odd = set(resistance_outliers(ohms))
    colours = [AMBER if i in odd else "#a9b7a0" for i in range(len(milli))]
    labels = [f"{m:.0f}" for m in milli]
    return _bars(milli, size=size, font_px=26, colours=colours, labels=labels, axis=(0, top), ticks=ticks)


def _nice_step(raw: float) -> float:
    """The smallest 1, 2 or 5 × 10ⁿ at least ``raw`` (tick spacing)."""
    exp = math.floor(math.log10(raw)) if raw > 0 else 0
    return next(m * 10.0**exp for m in (1, 2, 5, 10) if m * 10.0**exp >= raw)


# --- the document ------------------------------------------------------------------------------
def _table(
    rows: Sequence[Sequence[str]], *, header: Sequence[str] | None = None, widths: Sequence[int] = ()
) -> str:
    """An HTML table; ``widths``: each column's share of the width in %."""

    def width(i: int) -> str:
        return f' width="{widths[i]}%"' if i < len(widths) else ""

    head = (
        "<tr>"
        + "".join(f'<th align="left" bgcolor="#eeeeee"{width(i)}>{h}</th>' for i, h in enumerate(header))
        + "</tr>"
        if header
        else ""
    )
    body = "".join(
        "<tr>" + "".join(f"<td{width(i) if not header else ''}>{c}</td>" for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f'<table width="100%" cellspacing="0" cellpadding="1" border="0">{head}{body}</table>'


def _identity(report: Mapping[str, Any]) -> str:
    pack = report.get("pack", {})
    profile = report.get("profile", {})
    left = [
        ("Family", pack.get("family")),
        ("Model", pack.get("model")),
        ("Serial number", pack.get("serial_number")),
        ("Hardware", pack.get("hardware_version")),
        ("Firmware", pack.get("software_version")),
        ("Device name", pack.get("device_name")),
        ("Protocol", pack.get("protocol")),
    ]
    right = [
        ("Job", report.get("job")),
        ("Operator", report.get("operator")),
        ("Date", _when(report.get("record", {}).get("at"))),
        ("Profile", profile.get("name")),
        ("Chemistry", profile.get("chemistry")),
        ("Made", pack.get("manufacture_date")),
        ("Packbench", report.get("app")),
    ]
    if report.get("board_password"):  # a batch job's new board password: on paper only
        right.append(("Board password", report["board_password"]))

    def cells(pairs: list[tuple[str, Any]]) -> list[list[str]]:
        return [[f'<font color="{GREY}">{k}</font>', f"<b>{esc(v)}</b>"] for k, v in pairs]

    return (
        '<table width="100%" cellspacing="0" cellpadding="0"><tr>'
        f'<td width="50%">{_table(cells(left), widths=(35, 65))}</td>'
        f'<td width="50%">{_table(cells(right), widths=(25, 75))}</td>'
        "</tr></table>"
    )


def _when(at: str | None) -> str:
    return f"{at[:10]} {at[11:16]} UTC" if at and len(at) >= 16 else esc(at)


def _settings(report: Mapping[str, Any]) -> str:
    part = report.get("settings", {})
    rows = part.get("rows", [])
    differ = part.get("differ", [])
    if not rows:
        return "<p>No profile values to compare.</p>"
    if not differ:
        title = f'<font color="{GREEN}">✓ all {len(rows)} settings equal the profile</font>'
    else:
        title = f'<font color="{RED}">✗ {len(differ)} of {len(rows)} settings differ from the profile</font>'
    lines = []
    for r in rows:
        mark, colour = _CHECK_MARK[bool(r["equal"])]
        board = esc(value_text(r["key"], r["board"]))
        lines.append(
            [
                esc(r["label"]),
                esc(value_text(r["key"], r["target"])),
                board if r["equal"] else f'<font color="{RED}"><b>{board}</b></font>',
                f'<font color="{colour}">{mark}</font>',
            ]
        )
    half = (len(lines) + 1) // 2
    head = ["Setting", "Profile", "Board", ""]
    tables = [_table(lines[:half], header=head), _table(lines[half:], header=head) if lines[half:] else ""]
    return (
        f"<h3>Settings against the profile: {title}</h3>"
        '<table width="100%" cellspacing="0" cellpadding="0"><tr>'
        f'<td width="50%">{tables[0]}</td><td width="50%">{tables[1]}</td></tr></table>'
    )


def _cells(report: Mapping[str, Any], have_chart: bool, have_resistance: bool) -> str:
    cells = report.get("cells", {})
    if not cells.get("voltages_v"):
        return "<h3>Cells</h3><p>No cell voltages were reported.</p>"
    delta = cells.get("delta_v")
    caption = (
        f"lowest <b>{cells['min_v']:.3f} V</b> (cell {cells.get('min_index')}) · highest "
        f"<b>{cells['max_v']:.3f} V</b> (cell {cells.get('max_index')}) · difference "
        f"<b>{delta * 1000:.0f} mV</b> · average {cells.get('avg_v') or 0:.3f} V (this snapshot)"
    )
    out = f"<h3>Cells ({len(cells['voltages_v'])} in series)</h3><p>{caption}</p>"
    if have_chart:
        out += f'<p><img src="{CHART_URL}" width="{_img_width()}"></p>'
    ohms = cells.get("resistances_ohm")
    if ohms and have_resistance:
        odd = resistance_outliers(ohms)
        worst = max(range(len(ohms)), key=lambda i: ohms[i])
        note = (
            f'<font color="{AMBER}"><b>high: cell {", ".join(str(i + 1) for i in odd)}</b> '
            f"(over {OUTLIER_FACTOR:g} × the median and {OUTLIER_FLOOR_OHM * 1000:.0f} mΩ above it: "
            "check its busbar or wire)</font>"
            if odd
            else "none stands out"
        )
        out += (
            f"<p>Wire resistance per cell (as the board measures it): highest {ohms[worst] * 1000:.0f} mΩ "
            f"(cell {worst + 1}), median {statistics.median(ohms) * 1000:.0f} mΩ; {note}</p>"
            f'<p><img src="{RESISTANCE_URL}" width="{_img_width()}"></p>'
        )
    return out


def _state(report: Mapping[str, Any]) -> str:
    s = report.get("state", {})
    if not s:
        return ""

    def num(key: str, fmt: str, unit: str) -> str:
        v = s.get(key)
        if isinstance(v, float) and abs(v) < 0.005:
            v = 0.0  # no "-0.00 A"
        return "—" if v is None else f"{v:{fmt}} {unit}".strip()

    def on(key: str) -> str:
        v = s.get(key)
        return "—" if v is None else ("ON" if v else f'<font color="{RED}">OFF</font>')

    temps = ", ".join(f"{t:.1f}" for t in s.get("temperatures_c") or []) or "—"
    alarms = ", ".join(s.get("alarms") or []) or "none"
    left = [
        ("Pack voltage", num("pack_voltage_v", ".2f", "V")),
        ("Current", num("current_a", "+.2f", "A")),
        ("State of charge", num("soc_pct", "g", "%")),
        ("State of health", num("soh_pct", "g", "%")),
        (
            "Capacity (full / left)",
            f"{num('capacity_full_ah', '.1f', 'Ah')} / {num('capacity_remaining_ah', '.1f', 'Ah')}",
        ),
    ]
    right = [
        ("Cycles", num("cycles", "d", "")),
        ("Cycle capacity", num("cycle_capacity_ah", ".1f", "Ah")),
        ("Temperatures", f"{temps} °C · MOSFETs {num('mos_temperature_c', '.1f', '°C')}"),
        ("MOSFETs charge / discharge", f"{on('charge_mos_on')} / {on('discharge_mos_on')}"),
        ("Alarms", esc(alarms) if alarms == "none" else f'<font color="{RED}">{esc(alarms)}</font>'),
    ]

    def rows(pairs: list[tuple[str, str]]) -> list[list[str]]:
        return [[f'<font color="{GREY}">{k}</font>', v] for k, v in pairs]

    return (
        "<h3>Pack</h3>"
        '<table width="100%" cellspacing="0" cellpadding="0"><tr>'
        f'<td width="50%">{_table(rows(left))}</td><td width="50%">{_table(rows(right))}</td></tr></table>'
    )


def _checks(report: Mapping[str, Any]) -> str:
    lines = []
    for c in report.get("checks", []):
        mark, colour = _CHECK_MARK[c.get("ok")]
        lines.append(
            [f'<font color="{colour}"><b>{mark}</b></font>', esc(c.get("title")), esc(c.get("detail"))]
        )
    rest = report.get("rest", {})
    note = (
        f"Cell spread judged at rest: the current at most {rest.get('rest_a', 0):g} A for "
        f"{rest.get('rest_s', 0):g} s (rested {rest.get('rested_s', 0):g} s)."
    )
    return (
        "<h3>Sealing checks</h3>"
        + _table(lines, header=["", "Check", "Measured"], widths=(3, 42, 55))
        + f"<p>{note}</p>"
    )


def _change_key(k: Mapping[str, Any]) -> str:
    """One key of a write: "Cell over-voltage protection 3.6 V → 3.65 V ✓" (the verdict
    in words when the board did not store what was asked)."""
    verdict = k.get("verdict")
    mark = (
        f'<font color="{GREEN}">✓</font>'
        if verdict == "verified"
        else f'<font color="{RED}">{esc(verdict)}</font>'
    )
    return (
        f"{esc(label(k['key']))} {esc(value_text(k['key'], k['before']))} → "
        f"{esc(value_text(k['key'], k['stored']))} {mark}"
    )


def _changes(report: Mapping[str, Any]) -> str:
    title = "<h3>Changes since the previous commissioning</h3>"
    changes = report.get("changes", [])
    if not changes:
        return title + "<p>None recorded.</p>"
    lines = []
    for c in changes:
        keys = "; ".join(_change_key(k) for k in c.get("keys", []))
        at = str(c.get("at") or "")
        backup = Path(c["backup"]).name if c.get("backup") else ""
        lines.append(
            [
                esc(f"{at[:10]} {at[11:16]}" if len(at) >= 16 else at),
                esc(c.get("operator")),
                esc(c.get("kind")),
                keys or esc(c.get("summary")),
                esc(backup) if backup else "—",
            ]
        )
    return title + _table(
        lines,
        header=["When (UTC)", "Operator", "What", "Keys: before → stored", "Backup"],
        widths=(14, 10, 6, 52, 18),
    )


def report_html(report: Mapping[str, Any], *, have_chart: bool = True, have_resistance: bool = True) -> str:
    verdict = str(report.get("verdict"))
    word, colour = _VERDICT.get(verdict, ("INCOMPLETE", AMBER))
    reasons = report.get("reasons") or []
    why = "".join(f"<br>{esc(r)}" for r in reasons[:6])
    record = report.get("record", {})
    return (
        f"<html><body style=\"font-family: '{FONT}'; font-size: {FONT_PT}pt;\">"
        '<table width="100%" cellspacing="0" cellpadding="0"><tr>'
        '<td><span style="font-size: 15pt;"><b>Pack commissioning report</b></span><br>'
        f'<font color="{GREY}">Pack registry record {esc(record.get("event"))}</font></td>'
        f'<td align="right"><span style="font-size: 15pt; color: {colour};"><b>{word}</b></span>'
        f'<font color="{colour}">{why}</font></td></tr></table><hr>'
        + _identity(report)
        + _settings(report)
        + _cells(report, have_chart, have_resistance)
        + _state(report)
        + _checks(report)
        + _changes(report)
        + "<p><br>Signed (operator): ______________________________ &nbsp;&nbsp; Date: ______________</p>"
        + f'<p><font color="{GREY}">Drawn from the pack registry by {esc(report.get("app"))}; '
        "the JSON beside this file holds the same content"
        + (" except the board password, which is kept on paper only" if report.get("board_password") else "")
        + ".</font></p></body></html>"
    )


def _img_width() -> int:
    """The chart's width in the document: the text width, in CSS pixels (1/96 inch, which
    QTextDocument scales to the device's resolution)."""
    return int((210.0 - 2 * MARGIN_MM) / 25.4 * 96)


def build_document(report: Mapping[str, Any], device: Any = None) -> Any:
    """The QTextDocument of the report, laid out for ``device`` (a QPdfWriter; None: the
    screen, for a preview in the window)."""
    from PySide6.QtCore import QSizeF, QUrl
    from PySide6.QtGui import QFont, QTextDocument

    ensure_app()
    doc = QTextDocument()
    if device is not None:
        doc.documentLayout().setPaintDevice(device)
    doc.setDocumentMargin(0)
    doc.setDefaultStyleSheet(STYLE)
    font = QFont(FONT)
    font.setPointSizeF(FONT_PT)
    doc.setDefaultFont(font)
    cells = report.get("cells", {})
    chart = cell_chart(cells)
    ohms = cells.get("resistances_ohm")
    resistance = resistance_chart(ohms) if ohms else None
    if chart is not None:
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(CHART_URL), chart)
    if resistance is not None:
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(RESISTANCE_URL), resistance)
    doc.setHtml(report_html(report, have_chart=chart is not None, have_resistance=resistance is not None))
    width = (210.0 - 2 * MARGIN_MM) / 25.4 * DPI
    height = (297.0 - 2 * MARGIN_MM) / 25.4 * DPI
    doc.setPageSize(QSizeF(width, height))
    return doc


def document_id(report: Mapping[str, Any]) -> uuid.UUID:
    """The PDF's document id, derived from the registry record it shows."""
    pack, record = report.get("pack", {}), report.get("record", {})
    name = f"packbench-commissioning:{pack.get('family')}:{pack.get('serial_number')}:{record.get('event')}"
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{name}:{record.get('at')}")


def _print(report: Mapping[str, Any], target: Any) -> int:
    """Print the report to ``target`` (a file name or a QIODevice) as A4; its page count."""
    from PySide6.QtCore import QMarginsF, QUuid
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

    ensure_app()
    writer = QPdfWriter(target)
    writer.setResolution(DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    pack = report.get("pack", {})
    writer.setTitle(f"Commissioning report {pack.get('serial_number', '')} {report.get('job', '')}".strip())
    writer.setCreator(str(report.get("app") or "packbench"))
    writer.setDocumentId(QUuid(str(document_id(report))))  # the same record, the same id
    doc = build_document(report, writer)
    pages = int(doc.pageCount())
    doc.print_(writer)
    del writer  # ends the PDF
    return pages


def write_pdf(report: Mapping[str, Any], path: str | Path) -> Path:
    """The report as an A4 PDF at ``path`` (written whole, then moved into place)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    try:
        _print(report, str(tmp))
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def page_count(report: Mapping[str, Any]) -> int:
    """How many A4 pages the report takes (laid out as for the PDF; nothing written)."""
    from PySide6.QtCore import QBuffer, QIODevice

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    try:
        return _print(report, buffer)
    finally:
        buffer.close()
