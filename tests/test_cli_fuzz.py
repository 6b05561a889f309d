"""Random arguments and random files for every ``packbench`` sub-command: never a traceback.

Issue 12: bad input is answered with a plain message and a non-zero exit.  Each
test below draws argument values (numbers, NaN, huge numbers, text, option
soup in device URLs) and file contents (random bytes, random and deeply nested
JSON) with hypothesis and runs ``app.cli.main(argv)`` in-process.  What is
checked is the contract, not the answer: the exit code is an int, never 70
(main's safety net for an exception nothing handled), and stderr holds no
"Traceback".  A run that does not end is a failure too (a watchdog interrupts
it after WATCHDOG_S).

Boards are the in-process simulator (``sim://…``, quick options by default), a
closed TCP port, a missing serial port and a faked Bluetooth stack
(PACKBENCH_FAKE_BLE); the session's timeouts are shortened so that failures
are quick.  ``view`` never opens a window (run_gui is replaced).

Values that legitimately run until Ctrl-C (``read --count 0``, ``--duration 0``)
are not drawn.  ``PACKBENCH_FUZZ_SCALE=20`` multiplies every test's examples for
a deeper hunt.
"""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import string
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from app import cli

#: a run longer than this is taken as hanging (the slowest legitimate case, a JBD
#: apply on the simulator, takes about 2 s; the margin is for a loaded machine)
WATCHDOG_S = 20.0

#: PACKBENCH_FUZZ_SCALE=20 runs twenty times the examples (a deeper hunt; the default keeps
#: the whole file near 15 s)
SCALE = max(1, int(os.environ.get("PACKBENCH_FUZZ_SCALE", "1") or 1))
FUZZ = settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


class Hung(BaseException):
    """Raised in the main thread by the watchdog (not an Exception: the safety net lets it by)."""


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    import app.ui.app
    from app.session import DeviceSession
    from app.transports.ble import BleTransport

    monkeypatch.setenv("PACKBENCH_DATA_DIR", str(tmp_path / "data"))  # backups go here
    monkeypatch.setenv("PACKBENCH_FAKE_BLE", "jk02_32s?cells=8&interval=0.05")  # no radio
    monkeypatch.delenv("PACKBENCH_DEBUG", raising=False)
    # quick failures: a board that does not answer is given up on in about a second
    monkeypatch.setattr(
        DeviceSession.__init__,
        "__kwdefaults__",
        dict(
            DeviceSession.__init__.__kwdefaults__,
            request_timeout_s=0.4,
            silence_timeout_s=2.0,
            stream_kick_s=0.5,
            backoff_s=(0.05,),
        ),
    )
    monkeypatch.setattr(
        BleTransport.__init__,
        "__kwdefaults__",
        dict(BleTransport.__init__.__kwdefaults__, scan_timeout_s=0.3, connect_timeout_s=1.0),
    )
    monkeypatch.setattr(app.ui.app, "run_gui", lambda *a, **k: 0)  # view: no window
    monkeypatch.setattr(cli, "cmd_gui", lambda url: 0)
    yield tmp_path


def _on_alarm(_signum: int, _frame: Any) -> None:
    raise Hung(f"still running after {WATCHDOG_S:g} s")


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[Any, str, str]:
    capsys.readouterr()
    watchdog = hasattr(signal, "setitimer")  # not on Windows: no watchdog there
    if watchdog:
        old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, WATCHDOG_S)
    try:
        rc = cli.main(argv)
    except SystemExit as exc:  # argparse's usage errors, --help
        rc = exc.code
    except Hung as exc:
        pytest.fail(f"packbench {argv!r}: {exc}")
    finally:
        if watchdog:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    out, err = capsys.readouterr()
    return rc, out, err


def check(capsys: pytest.CaptureFixture[str], argv: list[str]) -> int:
    rc, _out, err = run(capsys, argv)
    where = f"packbench {argv!r} -> {rc!r}\n{err[-2000:]}"
    assert isinstance(rc, int) and 0 <= rc < 126, where
    assert rc != cli.EXIT_INTERNAL, where
    assert "Traceback" not in err, where
    if currently_in_test_context():
        event(f"exit {rc}")  # pytest --hypothesis-show-statistics: how many runs got how far
    return rc


# --- strategies --------------------------------------------------------------------------
#: characters an argv can hold (no NUL; \udcff is what an undecodable byte becomes)
ARG_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00") | st.just("\udcff"), max_size=12
)
TRICKY = [
    "",
    " ",
    "0",
    "1",
    "2",
    "-1",
    "-5",
    "16",
    "1000",
    "1e309",
    "-1e309",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "abc",
    "0x10",
    "1.5",
    "99999999999999999999999",
    "\u2603",
    "%",
    "&",
    "=",
    "1,2,0",
    "08",
]
VALUE = st.one_of(
    st.sampled_from(TRICKY),
    st.integers(-(10**6), 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    ARG_TEXT,
)
#: numbers, and text where a number belongs
FINITE = st.one_of(
    st.sampled_from(["0", "1", "-1", "16", "100", "280", "1e6", "1.5", "-0"]),
    st.floats(-1e7, 1e7, allow_nan=False).map(repr),
    st.integers(-(10**9), 10**9).map(str),
    st.sampled_from(["abc", "", "x1"]),
)
NON_FINITE = st.sampled_from(["nan", "NaN", "inf", "-inf", "1e309", "-1e309"])
SIM_OPTIONS = [
    "cells",
    "capacity",
    "chunk",
    "seed",
    "chemistry",
    "junk",
    "current",
    "fault",
    "baud",
    "address",
    "protocol",
    "clamp_cell_ovp_v",
    "current_error_pct",
    "voltage_error_pct",
    "password",
    "interval",
    "asleep",
    "addresses",
    "param_mode",
    "module_password",
]
#: interval values: the invalid ones, and valid ones that keep a read short
INTERVALS = st.sampled_from(["0", "-1", "nan", "inf", "abc", "", "0.05", "1e-9", "0.02"])
PROTOCOLS = ["jk02_32s", "jk02_24s", "jk04", "jbd", "jk_4e57", "jk_pb", "nosuch", "JK02_32S", ""]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


GOOD_SIM_OPTIONS = {
    "cells": ["4", "8", "13", "16"],
    "seed": ["1", "42"],
    "chemistry": ["lifepo4", "li-ion", "lto"],
    "junk": ["0", "1"],
    "chunk": ["1,3,7", "20", "300"],
    "current": ["-8", "12", "0"],
    "capacity": ["100", "280", "0.5"],
    "fault": ["ack_without_store", "refuse_writes", "require_password", "drop_link_mid_write"],
}


@st.composite
def device_urls(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["board"] * 5 + ["odd board"] * 3 + ["tcp", "serial", "ble", "junk"]))
    if kind == "board":  # a board that answers, so that what follows the connect is fuzzed too
        protocol = draw(st.sampled_from(["jk02_32s", "jk02_32s", "jk02_24s", "jk04", "jbd"]))
        opts = {
            k: draw(st.sampled_from(v)) for k, v in GOOD_SIM_OPTIONS.items() if not draw(st.integers(0, 4))
        }
        if protocol == "jbd" or opts.get("cells") not in ("13", "16") or draw(st.booleans()):
            opts["cells"] = "13" if protocol == "jbd" else "16"
        return f"sim://{protocol}?{urlencode(dict(opts, interval='0.05'))}"
    opts = draw(st.dictionaries(st.sampled_from(SIM_OPTIONS), VALUE, min_size=1, max_size=3))
    if "interval" in opts:
        opts["interval"] = draw(INTERVALS)  # only intervals that keep a read short
    if kind == "odd board":
        protocol = draw(st.sampled_from(["jk02_32s", "jk02_24s", "jk04", "jbd", "nosuch"]))
        query = (
            urlencode(dict({"interval": "0.05"}, **opts)) if draw(st.integers(0, 4)) != 4 else draw(ARG_TEXT)
        )
        return f"sim://{protocol}?{query}"
    own = {k: v for k, v in opts.items() if k in ("baud", "address", "protocol")}
    query = ("?" + urlencode(own)) if own else ""
    if kind == "tcp":
        return f"socket://127.0.0.1:{_closed_port()}{query}"
    if kind == "serial":
        return f"/nonexistent/ttyUSB{draw(st.integers(0, 9))}{query}"
    if kind == "ble":  # the faked stack: an address nobody advertises, or the fake board's
        address = draw(st.sampled_from(["20:21:11:00:00:01", "AA:BB:CC:DD:EE:FF", "zz", ""]))
        return f"ble://{address}{query}"
    return draw(
        st.one_of(
            VALUE,
            st.sampled_from(
                [
                    "sim://",
                    "ble://",
                    "socket://",
                    "socket://x:abc",
                    "foo://bar",
                    "rfc2217://127.0.0.1:1",
                    "?baud=1",
                ]
            ),
        )
    )


def _maybe(draw: st.DrawFn, *args: str) -> list[str]:
    return list(args) if draw(st.booleans()) else []


def _mostly(draw: st.DrawFn, usual: st.SearchStrategy[Any], odd: st.SearchStrategy[Any]) -> Any:
    """Three times in four what a user would type, else something odd."""
    return draw(odd) if draw(st.integers(0, 3)) == 3 else draw(usual)  # the simplest is usual


PASSWORDS = st.one_of(st.none(), st.just("123456"), st.just("123456"), VALUE)


def _password(draw: st.DrawFn) -> list[str]:
    pw = draw(PASSWORDS)
    return [] if pw is None else ["--password", pw]


# --- read, logbook, scan, the window's --url ----------------------------------------------------
@settings(FUZZ, max_examples=20 * SCALE)
@given(data=st.data())
def test_read_never_tracebacks(
    cli_env: Path, capsys: pytest.CaptureFixture[str], data: st.DataObject
) -> None:
    d = data.draw
    # --count 0 (and a count that is no number) is "until Ctrl-C": not drawn, it never ends
    count = _mostly(
        d,
        st.sampled_from(["1", "2"]),
        st.sampled_from(["-1", "-5", "-99999999999999999999", "abc", "1.5", "", "nan"]),
    )
    argv = ["read", "--url", d(device_urls()), "--count", count]
    argv += _maybe(d, "--json") + _maybe(d, "--no-reconnect")
    if d(st.integers(0, 3)) == 3:
        argv += ["--protocol", d(st.sampled_from(PROTOCOLS) | VALUE)]
    if d(st.integers(0, 3)) == 3:
        argv += ["--pin", d(VALUE)]
    check(capsys, argv)


@settings(FUZZ, max_examples=15 * SCALE)
@given(data=st.data())
def test_logbook_never_tracebacks(
    cli_env: Path, capsys: pytest.CaptureFixture[str], data: st.DataObject
) -> None:
    d = data.draw
    argv = ["logbook", "--url", d(device_urls())] + _maybe(d, "--json")
    argv += _maybe(d, "--protocol", d(st.sampled_from(PROTOCOLS) | VALUE))
    check(capsys, argv)


@settings(FUZZ, max_examples=10 * SCALE)
@given(
    timeout=st.sampled_from(["nan", "inf", "-1", "1e9", "3601", "0", "0.01", "0.1", "abc", ""]),
    json_out=st.booleans(),
)
def test_scan_never_tracebacks(
    cli_env: Path, capsys: pytest.CaptureFixture[str], timeout: str, json_out: bool
) -> None:
    check(capsys, ["scan", "--timeout", timeout] + (["--json"] if json_out else []))


@settings(FUZZ, max_examples=20 * SCALE)
@given(url=device_urls())
def test_the_windows_url_never_tracebacks(
    cli_env: Path, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    check(capsys, ["--url", url])


# --- settings -------------------------------------------------------------------------------
PACK = {
    "--cells": ["16", "13", "4"],
    "--capacity": ["100", "280"],
    "--charge-current": ["50", "100"],
    "--discharge-current": ["100", "150"],
}


def _pack_args(draw: st.DrawFn, numbers: st.SearchStrategy[str]) -> list[str]:
    argv: list[str] = []
    for flag, usual in PACK.items():
        if draw(st.integers(0, 3)) != 3:  # --cells and --capacity go with --preset
            argv += [flag, _mostly(draw, st.sampled_from(usual), numbers)]
    return argv


@settings(FUZZ, max_examples=20 * SCALE)
@given(data=st.data())
def test_settings_arguments_never_traceback(
    cli_env: Path, capsys: pytest.CaptureFixture[str], data: st.DataObject
) -> None:
    d = data.draw
    action = _mostly(d, st.sampled_from(["dump", "diff", "apply"]), st.sampled_from(["load", ""]) | ARG_TEXT)
    argv = ["settings", action, "--url", d(device_urls())]
    if action != "dump":
        if d(st.integers(0, 4)) != 4:
            argv += [
                "--preset",
                _mostly(
                    d,
                    st.sampled_from(["lifepo4", "li-ion", "lto"]),
                    st.sampled_from(["nmc", "LiFePO4", ""]) | VALUE,
                ),
            ]
        argv += _pack_args(d, FINITE | NON_FINITE)
    elif d(st.booleans()):  # a .fig only for a JBD board, the rest refused before reading
        suffix = d(st.sampled_from([".json", ".fig", ".txt", ""]))
        argv += ["--file", str(cli_env / f"dump{d(st.integers(0, 10**6))}{suffix}")]
    argv += _password(d) + _maybe(d, "--yes") + _maybe(d, "--dry-run") + _maybe(d, "--json")
    argv += _maybe(d, "--protocol", d(st.sampled_from(PROTOCOLS)))
    argv += ["--backup-dir", str(cli_env / "backups")]
    check(capsys, argv)


# random JSON: scalars (huge numbers, NaN), lists and objects, nested a few levels
JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=8),
    st.sampled_from([10**400, -(10**30), 1e308]),
)
JSON = st.recursive(
    JSON_SCALARS,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=6), kids, max_size=4),
    max_leaves=12,
)
SETTING_KEYS = [
    "cell_ovp_v",
    "cell_uvp_v",
    "charge_switch",
    "capacity_nominal_ah",
    "cell_count",
    "balance_start_v",
    "short_circuit_delay_us",
    "nosuch_key",
]


@st.composite
def settings_documents(draw: st.DrawFn) -> Any:
    """Something like a settings or preset file, or not at all."""
    shape = draw(st.sampled_from(["settings", "preset", "json", "nested"]))
    if shape == "settings":
        values = draw(st.dictionaries(st.sampled_from(SETTING_KEYS), JSON, max_size=4))
        doc = {
            "format": "packbench-settings",
            "protocol": draw(st.sampled_from(PROTOCOLS) | JSON),
            "settings": values,
        }
        return {k: v for k, v in doc.items() if draw(st.integers(0, 5)) != 5}
    if shape == "preset":
        doc = {
            "format": "packbench-preset",
            "name": draw(JSON),
            "chemistry": draw(JSON),
            "values": draw(st.dictionaries(st.sampled_from(SETTING_KEYS), JSON, max_size=3) | JSON),
        }
        return {k: v for k, v in doc.items() if draw(st.integers(0, 5)) != 5}
    if shape == "nested":
        depth = draw(st.integers(50, 5000))
        return "[" * depth + "]" * depth  # raw text: deeper than json can parse
    return draw(JSON)


@st.composite
def file_contents(draw: st.DrawFn, documents: st.SearchStrategy[Any]) -> bytes:
    kind = draw(st.sampled_from(["doc", "doc", "bytes", "text", "utf16"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "text":
        return draw(st.text(max_size=200)).encode("utf-8", "surrogatepass")
    doc = draw(documents)
    text = doc if isinstance(doc, str) else json.dumps(doc, allow_nan=True)
    return text.encode("utf-16" if kind == "utf16" else "utf-8")


def _write(base: Path, name: str, content: bytes) -> str:
    path = base / name
    path.write_bytes(content)
    return str(path)


@settings(FUZZ, max_examples=25 * SCALE)
@given(data=st.data())
def test_settings_files_never_traceback(
    cli_env: Path, capsys: pytest.CaptureFixture[str], data: st.DataObject
) -> None:
    d = data.draw
    action = d(st.sampled_from(["diff", "apply"]))
    suffix = d(st.sampled_from([".json", ".json", ".fig", ".txt"]))
    path = _write(cli_env, f"in{d(st.integers(0, 10**6))}{suffix}", d(file_contents(settings_documents())))
    flag = d(st.sampled_from(["--file", "--file", "--preset"]))
    url = d(st.sampled_from(["sim://jk02_32s?cells=16&interval=0.05", "sim://jbd?cells=13"]))
    argv = ["settings", action, "--url", url, flag, path] + _pack_args(d, FINITE | NON_FINITE)
    argv += _password(d) + _maybe(d, "--yes") + _maybe(d, "--dry-run") + _maybe(d, "--json")
    argv += ["--backup-dir", str(cli_env / "backups")]
    check(capsys, argv)


# --- control --------------------------------------------------------------------------------
#: each action and the values it expects (what a user would type, mostly)
ACTIONS = {
    "charge": ["on", "off"],
    "discharge": ["on", "off"],
    "balance": ["on", "off"],
    "heating": ["on", "off"],
    "emergency": ["on", "off", "ON"],
    "calibrate-voltage": ["53.2", "0", "-1"],
    "calibrate-current": ["-8", "0", "1e6"],
    "reboot": [],
    "restart": [],
    "shutdown": [],
    "factory-reset": [],
    "set-remaining-capacity": ["120", "0", "-5", "1e6"],
    "board-password": ["set", "clear"],
    "nosuch": [],
    "": [],
}


@settings(FUZZ, max_examples=30 * SCALE)
@given(data=st.data())
def test_control_never_tracebacks(
    cli_env: Path, capsys: pytest.CaptureFixture[str], data: st.DataObject
) -> None:
    d = data.draw
    action = _mostly(d, st.sampled_from(sorted(ACTIONS)), ARG_TEXT)
    argv = ["control", "--url", d(device_urls()), action]
    if ACTIONS.get(action) and d(st.integers(0, 3)) != 3:
        argv.append(d(st.sampled_from(ACTIONS[action])))  # mostly a value the action takes
    else:
        argv += _maybe(d, d(FINITE | NON_FINITE | ARG_TEXT))
    new = st.sampled_from(["123456", "000000"]) | st.sampled_from(["abc", "1234567", "", "12 456"]) | VALUE
    argv += ["--new-password", d(new)] if action == "board-password" or d(st.integers(0, 5)) == 5 else []
    argv += _password(d) + (["--yes"] if d(st.integers(0, 3)) != 3 else []) + _maybe(d, "--json")
    argv += ["--backup-dir", str(cli_env / "backups")]
    check(capsys, argv)


@settings(FUZZ, max_examples=8 * SCALE)
@given(
    action=st.sampled_from(["calibrate-voltage", "calibrate-current", "set-remaining-capacity"]),
    value=NON_FINITE,
)
def test_control_non_finite_values_never_traceback(
    cli_env: Path, capsys: pytest.CaptureFixture[str], action: str, value: str
) -> None:
    for url in ("sim://jk02_32s?cells=16&interval=0.05", "sim://jbd?cells=13"):
        check(
            capsys,
            [
                "control",
                "--url",
                url,
                action,
                value,
                "--yes",
                "--password",
                "123456",
                "--backup-dir",
                str(cli_env / "backups"),
            ],
        )


# --- log record / info / replay, view --------------------------------------------------------
@settings(FUZZ, max_examples=15 * SCALE)
@given(data=st.data())
def test_log_record_never_tracebacks(
    cli_env: Path, capsys: pytest.CaptureFixture[str], data: st.DataObject
) -> None:
    d = data.draw
    # --duration 0 is "until Ctrl-C": not drawn
    duration = _mostly(
        d,
        st.sampled_from(["0.05", "0.2"]),
        st.sampled_from(["-1", "-0.5", "abc", "", "1e-9", "nan", "inf", "1e309"]),
    )
    out = cli_env / f"rec{d(st.integers(0, 10**6))}{d(st.sampled_from(['.csv', '', '.txt']))}"
    argv = ["log", "record", "--url", d(device_urls()), "-o", str(out), "--duration", duration]
    argv += _maybe(d, "--raw") + _maybe(d, "--force") + _maybe(d, "--no-reconnect")
    argv += _maybe(d, "--protocol", d(st.sampled_from(PROTOCOLS)))
    check(capsys, argv)


def _log_like(draw: st.DrawFn) -> bytes:
    """A CSV log, a raw capture, its .meta.json, or junk."""
    kind = draw(st.sampled_from(["csv", "frames", "junk"]))
    if kind == "csv":
        header = "time_s,pack_voltage_v,current_a," + ",".join(
            f"cell{i}_v" for i in range(draw(st.integers(0, 40)))
        )
        rows = draw(st.lists(st.lists(VALUE, max_size=6).map(",".join), max_size=5))
        return "\n".join([header, *rows]).encode("utf-8", "surrogatepass")
    if kind == "frames":
        lines = draw(
            st.lists(
                st.one_of(
                    JSON.map(lambda v: json.dumps(v, allow_nan=True)),
                    st.fixed_dictionaries(
                        {
                            "t": JSON,
                            "dir": st.sampled_from(["rx", "tx"]) | JSON,
                            "protocol": st.sampled_from(PROTOCOLS) | JSON,
                            "hex": st.text(string.hexdigits, max_size=40) | JSON,
                        }
                    ).map(json.dumps),
                ),
                max_size=5,
            )
        )
        return "\n".join(lines).encode("utf-8")
    return draw(file_contents(JSON))


@settings(FUZZ, max_examples=20 * SCALE)
@given(data=st.data())
def test_log_files_never_traceback(
    cli_env: Path, capsys: pytest.CaptureFixture[str], data: st.DataObject
) -> None:
    d = data.draw
    n = d(st.integers(0, 10**6))
    path = _write(cli_env, f"log{n}.csv", _log_like(d))
    if d(st.booleans()):
        _write(cli_env, f"log{n}.meta.json", d(file_contents(JSON)))
    if d(st.booleans()):
        argv = ["log", "info", path]
    else:
        capture = _write(cli_env, f"cap{n}.frames.jsonl", _log_like(d))
        argv = ["log", "replay", capture] + _maybe(d, "--protocol", d(st.sampled_from(PROTOCOLS)))
        argv += _maybe(d, "-o", str(cli_env / f"out{n}.csv")) + _maybe(d, "--force")
    check(capsys, argv)


@settings(FUZZ, max_examples=10 * SCALE)
@given(data=st.data())
def test_view_arguments_never_traceback(
    cli_env: Path, capsys: pytest.CaptureFixture[str], data: st.DataObject
) -> None:
    d = data.draw
    files = [str(cli_env / "missing.csv")] if d(st.booleans()) else []
    files += [_write(cli_env, f"v{i}.csv", _log_like(d)) for i in range(d(st.integers(0, 2)))]
    files += d(st.lists(ARG_TEXT, max_size=2))
    check(capsys, ["view", *files])


# --- simulate -------------------------------------------------------------------------------
LISTEN = st.one_of(
    st.sampled_from(
        [
            "127.0.0.1:0",
            "localhost:0",
            ":0",
            "[::1]:0",
            "127.0.0.1:-5",
            "127.0.0.1:65536",
            "127.0.0.1:99999",
            "127.0.0.1:abc",
            "127.0.0.1",
            "no-such-host.invalid:0",
            "256.1.1.1:0",
            " :0",
            "a b:0",
            "",
        ]
    ),
    st.tuples(st.sampled_from(["127.0.0.1", "", "x"]), VALUE).map(":".join),
)


@settings(FUZZ, max_examples=25 * SCALE)
@given(data=st.data())
def test_simulate_never_tracebacks(
    cli_env: Path, capsys: pytest.CaptureFixture[str], data: st.DataObject
) -> None:
    d = data.draw
    # --duration 0 is "until stopped": not drawn
    duration = _mostly(
        d, st.sampled_from(["0.05", "0.1", "1e-9"]), st.sampled_from(["-1", "nan", "inf", "abc"])
    )
    listen = _mostly(d, st.sampled_from(["127.0.0.1:0", "localhost:0", ":0"]), LISTEN)
    argv = ["simulate", "--duration", duration, "--listen", listen]
    protocols = st.sampled_from(["jk02_32s", "jk02_24s", "jk04", "jk_4e57", "jk_pb", "jbd"])
    argv += _maybe(d, "--protocol", _mostly(d, protocols, st.sampled_from(["nosuch", ""]) | ARG_TEXT))
    if d(st.integers(0, 3)) == 3:  # --url takes every sim:// option
        argv += ["--url", d(device_urls())]
    usual = {
        "--cells": ["4", "8", "16", "24"],
        "--capacity": ["100", "5.5"],
        "--seed": ["1", "-3"],
        "--interval": ["0", "0.05", "1"],
    }
    for flag, values in usual.items():
        if not d(st.integers(0, 2)):
            argv += [flag, _mostly(d, st.sampled_from(values), VALUE)]
    argv += _maybe(
        d, "--chemistry", _mostly(d, st.sampled_from(["lifepo4", "li-ion", "lto", "lfp"]), ARG_TEXT)
    )
    check(capsys, argv)


def test_simulate_jbd_stops_cleanly(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(capsys, ["simulate", "--protocol", "jbd", "--duration", "0.05"]) == 0


# --- decode ---------------------------------------------------------------------------------
DECODE_PROTOCOLS = st.sampled_from(
    ["auto", "jk", "jbd", "jk02_32s", "jk02_24s", "jk04", "jk_4e57", "jk_pb", "nosuch"]
)
FRAMES = st.one_of(
    st.binary(max_size=320).map(bytes.hex),
    ARG_TEXT,
    st.binary(max_size=40).map(lambda b: "55aaeb90" + b.hex()),
    st.binary(max_size=40).map(lambda b: "dd" + b.hex() + "77"),
    st.binary(max_size=40).map(lambda b: "4e57" + b.hex()),
)


@settings(FUZZ, max_examples=30 * SCALE)
@given(protocol=DECODE_PROTOCOLS, frame=FRAMES)
def test_decode_hex_never_tracebacks(
    cli_env: Path, capsys: pytest.CaptureFixture[str], protocol: str, frame: str
) -> None:
    check(capsys, ["decode", "--protocol", protocol, "--hex", frame])


@settings(FUZZ, max_examples=20 * SCALE)
@given(
    protocol=DECODE_PROTOCOLS,
    lines=st.lists(
        FRAMES.map(lambda t: t.encode("utf-8", "surrogateescape")) | st.binary(max_size=40), max_size=6
    ),
)
def test_decode_stdin_never_tracebacks(
    cli_env: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    protocol: str,
    lines: list[bytes],
) -> None:
    # stdin as a strict UTF-8 locale gives it (PYTHONIOENCODING=utf-8): undecodable bytes too
    data = b"\n".join(lines) + b"\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    check(capsys, ["decode", "--protocol", protocol])


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no SIGALRM timer on this platform")
def test_the_watchdog_catches_a_run_that_does_not_end(
    cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the harness itself: a command that never returns fails the test instead of hanging it
    import time

    monkeypatch.setattr(cli.scan, "cmd_scan", lambda _args: time.sleep(60))
    monkeypatch.setattr(sys.modules[__name__], "WATCHDOG_S", 0.2)
    with pytest.raises(pytest.fail.Exception, match="still running"):
        run(capsys, ["scan"])
