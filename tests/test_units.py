"""One way to show a value (issue 17): model/units.py and where it is used.

The expected strings come from the issue and the project's conventions, not from the
code: issue 17 names what is wrong ("0.005 V" in Parameters but "5 mV" in the sealing
checks; capacity "100.000 Ah"; "-20 °C" beside "55.0 °C" in one report) and the brief
states the rule per unit (volts to the mV, amounts without trailing zeros, °C with one
decimal or none, consistently).  The values are presets.md's (3.65 V LiFePO4 OVP, the
manual's 0.005 V delta from 50 Ah, 5 A balance current, 55 / -20 °C limits, 30 s delays)
and the issue's pack (16S 280 Ah).
"""

from __future__ import annotations

import re

import pytest

from app.model import Settings, Snapshot
from app.model.units import decimals_for, key_quantity, number, quantity, span, unit_for_key
from app.protocols import get_protocol
from app.services import control, interlocks


def spec(protocol: str, key: str):
    return next(s for s in get_protocol(protocol).settings_schema() if s.key == key)


# --- the rule per unit ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "unit", "step", "text"),
    [
        # volts to the mV, always three decimals (presets.md's 3.65 V, the manual's 0.005 V)
        (3.65, "V", None, "3.650 V"),
        (3.65, "V", 0.001, "3.650 V"),
        (0.005, "V", 0.001, "0.005 V"),
        (0.005, "V", 0.1, "0.005 V"),  # a coarse step never hides the mV
        (53.2, "V", 0.1, "53.200 V"),
        # JK04 stores floats (step 0.0001 V): a digit more only where the value has one
        (0.0025, "V", 0.0001, "0.0025 V"),
        (3.65, "V", 0.0001, "3.650 V"),
        # amounts without trailing zeros: never "100.000 Ah" (issue 17)
        (100.0, "Ah", 0.001, "100 Ah"),
        (280.0, "Ah", 0.001, "280 Ah"),
        (280.125, "Ah", 0.001, "280.125 Ah"),
        (12.34, "Ah", 0.1, "12.3 Ah"),  # no more decimals than the board stores
        (5.0, "A", 0.001, "5 A"),
        (1.5, "A", 0.1, "1.5 A"),
        (30, "s", 1, "30 s"),
        (57.0, "%", 0.1, "57 %"),
        (57.5, "%", 0.1, "57.5 %"),
        # temperatures whole or with one decimal, never "55.0 °C" beside "-20 °C" (issue 17)
        (55.0, "°C", 0.1, "55 °C"),
        (-20, "°C", 1, "-20 °C"),
        (-20.0, "°C", 0.1, "-20 °C"),
        (27.3, "°C", None, "27.3 °C"),
        (16, "", 1, "16"),
    ],
)
def test_one_rule_per_unit(value, unit, step, text):
    assert quantity(value, unit, step) == text


def test_float_noise_never_shows_and_minus_zero_is_zero():
    assert quantity(3.6499999999, "V") == "3.650 V"
    assert quantity(0.30000000000000004, "A") == "0.3 A"
    assert quantity(-0.0001, "A") == "0 A"  # rounded to nothing: no "-0 A"
    assert quantity(-0.0, "°C") == "0 °C"


def test_a_current_may_carry_its_sign():
    """vocabulary.md: current is positive while charging; a reading says which way."""
    assert quantity(1.5, "A", signed=True) == "+1.5 A"
    assert quantity(-12.25, "A", signed=True) == "-12.25 A"
    assert quantity(0.0, "A", signed=True) == "0 A"


def test_exact_shows_a_value_off_the_step():
    """A finding about a value off the step must show the value itself."""
    assert quantity(3.6504, "V", 0.001) == "3.650 V"  # to the step
    assert quantity(3.6504, "V", 0.001, exact=True) == "3.6504 V"
    assert quantity(3.65, "V", exact=True) == "3.650 V"  # on the step: as ever
    assert quantity(100.0, "Ah", exact=True) == "100 Ah"


def test_unit_for_key_reads_the_vocabulary_suffix():
    """vocabulary.md: a name carries its unit as a suffix."""
    assert [
        unit_for_key(k)
        for k in (
            "cell_ovp_v",
            "charge_ocp_a",
            "capacity_nominal_ah",
            "power_w",
            "charge_otp_c",
            "charge_ocp_delay_s",
            "short_circuit_delay_us",
            "soc_pct",
            "cell_resistances_ohm",
            "cell_count",
        )
    ] == ["V", "A", "Ah", "W", "°C", "s", "µs", "%", "Ω", ""]


def test_decimals_of_a_step():
    assert [decimals_for(s) for s in (1, 0.1, 0.01, 0.001, 0.0001, 0.25, 2, None, 0)] == [
        0,
        1,
        2,
        3,
        4,
        2,
        0,
        None,
        None,
    ]


def test_key_quantity_and_span():
    assert key_quantity("charge_switch", True) == "on"
    assert key_quantity("cell_ovp_v", None) == "not reported"
    assert key_quantity("capacity_nominal_ah", 100.0) == "100 Ah"
    assert key_quantity("device_name", "JK-B2A24S") == "JK-B2A24S"
    assert span(2.5, 4.5, "V", 0.001) == "2.500 – 4.500 V"
    assert number(-20.0, "°C", 0.1) == "-20"


# --- the same text on every page, report and CLI line ----------------------------------------------
def test_the_pages_show_the_schema_values_by_the_one_rule():
    """setting_format (the Parameters page, the review and the report) on JK02_32S rows:
    the issue's "-20 °C beside 55.0 °C" (charge OTP has a 0.1 °C step, discharge UTP 1 °C)
    and "100.000 Ah" (a 0.001 Ah step)."""
    from app.ui.setting_format import range_text, step_text, value_text

    assert value_text(spec("jk02_32s", "charge_otp_c"), 55.0) == "55 °C"
    assert value_text(spec("jk02_32s", "discharge_utp_c"), -20) == "-20 °C"
    assert value_text(spec("jk02_32s", "capacity_nominal_ah"), 100.0) == "100 Ah"
    assert value_text(spec("jk02_32s", "cell_ovp_v"), 3.65) == "3.650 V"
    assert value_text(spec("jk02_32s", "balance_trigger_delta_v"), 0.005) == "0.005 V"
    assert value_text(spec("jk04", "balance_trigger_delta_v"), 0.005) == "0.005 V"
    ovp = spec("jk02_32s", "cell_ovp_v")
    assert range_text(ovp) == f"{ovp.minimum:.3f} – {ovp.maximum:.3f} V"
    assert step_text(ovp) == "0.001 V"
    cap = spec("jk02_32s", "capacity_nominal_ah")
    assert not re.search(r"\.0+ ", range_text(cap)), range_text(cap)  # no "4000000.000 Ah"


def test_the_sealing_check_shows_the_trigger_as_the_parameters_page_does():
    """Issue 17: the balance trigger was "0.005 V" in Parameters but "5 mV" in the
    sealing checks."""
    from app.ui.setting_format import value_text

    snap = Snapshot(cell_voltages_v=[3.301, 3.305], cell_delta_v=0.004, cell_count=2)
    checks = control.sealing_checks(snap, Settings(values={"balance_trigger_delta_v": 0.005}))
    delta = next(c for c in checks if c.id == "delta")
    trigger = value_text(spec("jk02_32s", "balance_trigger_delta_v"), 0.005)
    assert delta.ok and trigger in delta.detail and "0.004 V" in delta.detail
    assert "mV" not in delta.detail


def test_interlock_messages_use_the_same_rule():
    found = interlocks.check({"power_off_v": 2.6, "cell_uvp_v": 2.5, "capacity_nominal_ah": 100.0})
    msg = next(f for f in found if f.rule == 1).message()
    assert "(2.600 V)" in msg and "(2.500 V)" in msg
    assert interlocks.fmt_value("capacity_nominal_ah", 100.0) == "100 Ah"
    assert interlocks.fmt_value("charge_otp_c", 55.0) == "55 °C"
    assert interlocks.fmt_value("discharge_utp_c", -20) == "-20 °C"
    # rule 8 names a value off the step as it is
    step = interlocks.check({"cell_ovp_v": 3.6505}, schema=[spec("jk02_32s", "cell_ovp_v")])
    assert any("3.6505 V" in f.message() and "0.001 V" in f.message() for f in step)


def test_the_cli_read_line_uses_the_same_rule(run_cli):
    """`packbench read` (human lines): volts to the mV, the cell spread in volts like the
    balance trigger, temperatures without a trailing ".0"."""
    rc, out, err = run_cli("read", "--url", "sim://jk02_32s?cells=16&seed=3", "--count", "1")
    assert rc == 0, err
    line = out.splitlines()[-1]
    volts = r"\d+\.\d{3}"
    assert re.match(rf"{volts} V  [+-]?\d+(\.\d{{1,3}})? A  SOC \d+(\.\d)? %  ", line), line
    assert re.search(rf"16 cells {volts}–{volts} V \(Δ {volts} V\)", line), line
    temps = re.search(r"T ([-\d./]+) °C", line)
    assert temps, line
    assert not any(t.endswith(".0") for t in temps.group(1).split("/")), line
    assert "mV" not in line


def test_calibration_messages_use_the_same_rule():
    """The Control tab's and the CLI's calibration texts (services/control.py)."""
    assert "the board reads +3 A" in control.implausible("current_zero", 3.0, 0.0)
    assert "meter's 20 A" in control.implausible("current", 10.0, 20.0)
    assert "board's 10 A" in control.implausible("current", 10.0, 20.0)
    assert "meter's 60.000 V" in control.implausible("voltage", 53.2, 60.0)


@pytest.mark.gui
def test_the_control_tab_shows_the_trigger_as_the_parameters_tab_does(qtbot, window):
    """Issue 17's own example, end to end in the window: the balance trigger "0.005 V" in
    Parameters must read the same in the sealing checks."""
    pytest.importorskip("pytestqt")
    win = window
    # a pack at rest (no current): its spread is judged once it has rested (timing's rest_s)
    win.bridge.connect_device("sim://jk02_32s?cells=16&current=0")
    rows = win.control_page.check_rows
    qtbot.waitUntil(
        lambda: (
            rows["delta"].state is not None
            and bool(win.parameters_page.row_text("balance_trigger_delta_v")[1])
        ),
        timeout=10_000,
    )
    trigger = win.parameters_page.row_text("balance_trigger_delta_v")[1]
    assert trigger == "0.005 V"
    detail = rows["delta"].detail.text()
    assert trigger in detail and "mV" not in detail, detail
