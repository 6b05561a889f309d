"""A Xiaomi / Ninebot scooter pack through the real window (pytest-qt offscreen).

The Pack health tab says the workshop guide's diagnosis (tests/data/xiaomi_battery_guide.md)
of four simulated packs — healthy, imbalanced, worn (60 % health), deep-discharged — in
sentences with their numbers; it exports itself as PNG and PDF and records a charge to a
CSV log.  The Parameters and Control tabs say in words why nothing can be written
(ant_xiaomi.md §3.5), and the Connection tab points Bluetooth users to the cable (§3.6).
Screenshots land in tests/_artifacts/xiaomi_*.png, at 1280×800 and 1024×640.
"""

from __future__ import annotations

import csv
from datetime import date

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from test_parameters_gui import ARTIFACTS, T, run  # noqa: E402

from app.model.health import BAD, OK, WARN  # noqa: E402
from app.ui.recording import FOLDER_KEY  # noqa: E402

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton
TODAY = date(2025, 6, 12)


def live_pack(qtbot, win, url: str) -> None:
    """Connect and wait until the pack was read whole: cells, device info, settings."""
    win.bridge.connect_device(url)
    qtbot.waitUntil(
        lambda: (
            win.bridge.state == "live"
            and win.bridge.settings is not None
            and win.bridge.device_info is not None
            and win.bridge.last_snapshot is not None
            and bool(win.bridge.last_snapshot.cell_voltages_v)
        ),
        timeout=T,
    )


def health(qtbot, win, url: str):
    live_pack(qtbot, win, url)
    page = win.health_page
    page.today = TODAY
    win.tabs.setCurrentWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: any(f.id == "spread" for f in page.findings), timeout=T)
    return page


def shots(qtbot, win, name: str) -> None:
    """The window at 1280×800 and at 1024×640, for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    for size, suffix in (((1280, 800), ""), ((1024, 640), "_1024x640")):
        win.resize(*size)
        qtbot.wait(150)
        assert win.grab().save(str(ARTIFACTS / f"xiaomi_{name}{suffix}.png"))


#: (simulated pack, {finding: level}, words the sentences must say) — the guide's words
CASES = {
    "healthy": (
        "sim://m365?cells=10&seed=4",
        {"capacity": OK, "spread": OK, "ntc": OK},
        ["Capacity health 100 %", "balanced well enough (the guide's limit is 150 mV)"],
    ),
    "imbalanced": (
        "sim://m365?cells=10&weak_cell=7&seed=4",
        {"spread": WARN, "weak_group": WARN},
        [
            "more than 150 mV: balance externally before blaming the BMS",
            "bleeds only about 30 mA",
            "Group 7 is a weak group",
        ],
    ),
    "worn": (
        "sim://m365?cells=10&health=60&seed=4",
        {"capacity": WARN, "spread": OK},
        ["Capacity health 60 %: the pack holds 4.68 Ah of the 7.80 Ah it was built with", "noticeably worn"],
    ),
    "deep_discharged": (
        "sim://ninebot?cells=10&deep=1&seed=4",
        {"deep_discharge": BAD},
        ["at or below 3.0 V", "recovery charge, gently"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_health_page_says_the_guides_diagnosis(case, qtbot, window, loop_errors):
    url, levels, words = CASES[case]
    win = window
    page = health(qtbot, win, url)
    assert win.tabs.isTabVisible(win.tabs.indexOf(page))
    found = {f.id: f.level for f in page.findings}
    for fid, level in levels.items():
        assert found.get(fid) == level, (fid, page.rows())
    text = " ".join(sentence for _level, sentence in page.rows())
    for phrase in words:
        assert phrase in text, phrase
    assert "For the job sheet: serial number PACKBENCH00001, BMS firmware 1.1.5" in text
    if case == "healthy":
        assert not [lv for lv, _t in page.rows() if lv in (WARN, BAD)]
    # the one table of thresholds, with the guide's sentences
    quoted = {row[0]: [r[2] for r in page.threshold_rows if r[0] == row[0]] for row in page.threshold_rows}
    assert any(q.startswith("“Pack delta >150 mV: Use TP4056 boards") for q in quoted["150 mV"])
    assert any("bring voltage up gently" in q for q in quoted["3.0 V"])
    # the badges on screen say the levels in words
    words_on_screen = {lbl.text() for lbl in page.findings_box.findChildren(type(page.title))}
    assert {"Good", "Note"} <= words_on_screen
    shots(qtbot, win, f"health_{case}")
    win.tabs.setCurrentWidget(win.live_page)
    qtbot.waitUntil(lambda: win.live_page.bar_count == 10, timeout=T)
    shots(qtbot, win, f"live_{case}")
    assert not loop_errors


def test_a_second_pack_gets_its_own_section(qtbot, window, loop_errors):
    win = window
    page = health(qtbot, win, "sim://ninebot?cells=10&external=1&weak_cell=3&seed=4")
    qtbot.waitUntil(lambda: bool(page.rows(1)), timeout=T)
    second = " ".join(t for _l, t in page.rows(1))
    assert "serial number PACKBENCH00002" in second and "weak group" not in second
    assert "Group 3 is a weak group" in " ".join(t for _l, t in page.rows(0))
    shots(qtbot, win, "health_second_pack")
    assert not loop_errors


def test_the_page_exports_as_png_and_pdf(qtbot, window, tmp_path, loop_errors):
    win = window
    page = health(qtbot, win, "sim://m365?cells=10&weak_cell=7&seed=4")
    png, pdf = tmp_path / "health.png", tmp_path / "health.pdf"
    assert page.export_png(png) and page.export_pdf(pdf)
    image = QImage(str(png))
    # the whole page, not only what the window shows
    assert image.width() > 600 and image.height() >= page.body.heightForWidth(image.width()) - 2
    assert image.height() > page.scroll.viewport().height()
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") >= 1
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(str(ARTIFACTS / "xiaomi_health_export.png"))
    assert not loop_errors


def test_record_a_charge_to_a_csv_log(qtbot, window, tmp_path, loop_errors):
    win = window
    win.settings.setValue(FOLDER_KEY, str(tmp_path / "logs"))
    page = health(qtbot, win, "sim://m365?cells=10&charger=1&seed=4")
    assert page.record_button.isEnabled()
    qtbot.mouseClick(page.record_button, LEFT)
    bar = win.live_page.record_bar
    assert bar.recording and page.record_button.text() == "■ Stop recording"
    qtbot.waitUntil(lambda: bar.recorder is not None and bar.recorder.rows >= 2, timeout=T)
    qtbot.mouseClick(page.record_button, LEFT)
    assert not bar.recording and page.record_button.text() == "● Record a charge (CSV)"
    rows = list(csv.DictReader(bar.last_path.open(encoding="ascii")))
    assert len(rows) >= 2
    # the stock charger: 1.7 A into the pack (+ charging, vocabulary.md)
    assert all(float(r["current_a"]) == pytest.approx(1.7, abs=0.05) for r in rows)
    cells = [c for c in rows[0] if c[5:7].isdigit()]
    assert cells == [f"cell_{i:02d}_v" for i in range(1, 11)]
    # and the log opens in the viewer like any other
    viewer = win.open_log(str(bar.last_path))
    qtbot.waitUntil(lambda: viewer.prepared is not None, timeout=T)
    assert viewer.banner.isHidden()
    assert not loop_errors


def test_parameters_and_control_say_why_nothing_can_be_written(qtbot, window, loop_errors):
    win = window
    live_pack(qtbot, win, "sim://m365?cells=10&seed=4")
    params, control = win.parameters_page, win.control_page
    win.tabs.setCurrentWidget(params)
    qtbot.waitUntil(lambda: params.row_text("capacity_nominal_ah") is not None, timeout=T)
    text = params.read_only_label.text()
    assert params.read_only_label.isVisible() and "read-only" in text and "write lock" in text
    assert not params.panel_scroll.isVisible()  # no presets for this family
    assert not params.review_button.isVisible() and params.editor("capacity_nominal_ah") is None
    shots(qtbot, win, "parameters")
    win.tabs.setCurrentWidget(control)
    qtbot.waitUntil(control.read_only_note.isVisible, timeout=T)
    assert "write lock" in control.read_only_note.text()
    assert not control.columns.isVisible() and not control.sealing_box.isVisible()
    shots(qtbot, win, "control")
    assert not loop_errors


def test_the_connection_tab_points_bluetooth_to_the_cable(qtbot, window):
    text = window.connection_page.help_label.text()
    assert "TX and RX tied together" in text and "never 5 V" in text and "115200" in text
    assert "NinebotCrypto" in text and "use the cable" in text
    window.tabs.setCurrentWidget(window.connection_page)
    shots(qtbot, window, "connection")


def test_other_families_have_no_health_tab(qtbot, window, loop_errors):
    win = window
    index = win.tabs.indexOf(win.health_page)
    assert not win.tabs.isTabVisible(index)  # nothing connected
    win.bridge.connect_device("sim://jbd?cells=13&seed=5")
    qtbot.waitUntil(lambda: win.bridge.state == "live", timeout=T)
    assert not win.tabs.isTabVisible(index)
    run(qtbot, win.bridge.disconnect_device())
    live_pack(qtbot, win, "sim://m365?cells=10&seed=4")
    assert win.tabs.isTabVisible(index)
    assert not loop_errors


def test_the_health_page_in_chinese(qtbot, qloop, qapp, loop_errors):
    """zh_CN: the diagnosis, its thresholds and the buttons are translated, numbers filled in."""
    from PySide6.QtCore import QTranslator

    from app.ui.app import I18N_DIR
    from app.ui.bridge import SessionBridge
    from app.ui.health_page import HealthPage

    translator = QTranslator()
    assert translator.load(str(I18N_DIR / "packbench_zh_CN.qm"))
    qapp.installTranslator(translator)
    bridge = SessionBridge()
    try:
        page = HealthPage(bridge, today=TODAY)
        qtbot.addWidget(page)
        page.resize(1024, 640)
        page.show()
        bridge.connect_device("sim://m365?cells=10&weak_cell=7&seed=4")
        qtbot.waitUntil(
            lambda: (
                bridge.state == "live"
                and bridge.settings is not None
                and bridge.last_snapshot is not None
                and bool(bridge.last_snapshot.cell_voltages_v)
            ),
            timeout=T,
        )
        page.refresh()
        text = " ".join(t for _l, t in page.rows())
        assert "第 7 组是弱组" in text and "超过 150 mV" in text
        assert page.title.text() == "滑板车电池包健康" and page.png_button.text() == "导出 PNG…"
        assert page.level_word("warn") == "检查"
        ARTIFACTS.mkdir(exist_ok=True)
        assert page.grab().save(str(ARTIFACTS / "xiaomi_health_zh_CN.png"))
    finally:
        run(qtbot, bridge.shutdown())
        qapp.removeTranslator(translator)
    assert not loop_errors
