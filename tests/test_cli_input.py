"""Bad command-line input gets one plain line on stderr and a non-zero exit (issue 12).

The cases are the issue's: ``?baud=abc`` on any command, ``read --count -5``,
``simulate --listen 127.0.0.1:-5``, ``sim://…?chunk=0`` and other simulator
options that ran forever or raised; and ``main``'s safety net for whatever
still escapes a command.  In-process through ``app.cli.main`` (capsys), with a
subprocess where a closed pipe or a signal is the point.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from app import cli
from app.model.url import parse_device_url
from app.simulator import create_simulator

ROOT = Path(__file__).resolve().parent.parent
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PACKBENCH_DEBUG")}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        rc = cli.main(list(argv))
    except SystemExit as exc:  # argparse's own usage errors
        rc = exc.code
    out, err = capsys.readouterr()
    return rc, out, err


def plain_refusal(rc: int, err: str, *words: str) -> None:
    """Refused with exit 2 and ONE plain line on stderr that names the problem."""
    assert rc == 2, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("packbench"), err
    for word in words:
        assert word in lines[0], err


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACKBENCH_DATA_DIR", str(tmp_path / "data"))  # backups stay here
    monkeypatch.delenv("PACKBENCH_DEBUG", raising=False)


# --- ?baud= and ?address= are checked where every command parses its URL -----------------
BAD_BAUDS = ["abc", "0", "-9600", "99999999999999999999", "1e5", "9600.5"]


@pytest.mark.parametrize("baud", BAD_BAUDS)
def test_a_bad_baud_is_refused_when_the_url_is_parsed(baud: str) -> None:
    # a serial port, a TCP bridge and the simulator alike: the rate is nonsense everywhere
    for base in ("/dev/ttyUSB0", "socket://127.0.0.1:8899", "sim://jk02_32s"):
        with pytest.raises(ValueError, match="baud") as info:
            parse_device_url(f"{base}?baud={baud}")
        assert "Traceback" not in str(info.value) and "invalid literal" not in str(info.value)
    assert parse_device_url("/dev/ttyUSB0?baud=9600").baud == 9600


COMMANDS_WITH_URL = [
    ("read", "--count", "1", "--url"),
    ("logbook", "--url"),
    ("settings", "dump", "--url"),
    ("control", "charge", "off", "--yes", "--url"),
    ("log", "record", "--duration", "1", "-o", "{tmp}/rec.csv", "--url"),
    (
        "commission",
        "--preset",
        "lifepo4",
        "--cells",
        "16",
        "--capacity",
        "100",
        "--operator",
        "A",
        "--job",
        "J",
    )
    + ("--out", "{tmp}/rec.csv", "--url"),
    ("batch", "--job", "{tmp}/job.toml", "--out", "{tmp}/rec.csv", "--url"),
]


@pytest.mark.parametrize("command", COMMANDS_WITH_URL, ids=lambda c: " ".join(c[:2]))
@pytest.mark.parametrize("baud", ["abc", "0", "-5", "10000000000000"])
def test_every_command_with_url_refuses_a_bad_baud(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: tuple[str, ...], baud: str
) -> None:
    # before: ValueError "invalid literal for int()" as a traceback, or a connection attempt
    argv = [a.format(tmp=tmp_path) for a in command] + [f"socket://127.0.0.1:{closed_port()}?baud={baud}"]
    rc, out, err = run(capsys, *argv)
    plain_refusal(rc, err, "baud", "not a baud rate")
    assert out == ""
    assert not (tmp_path / "rec.csv").exists()  # nothing written when input is bad


def test_the_gui_refuses_a_bad_url_before_opening_a_window(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str | None] = []
    monkeypatch.setattr(cli, "cmd_gui", lambda url: opened.append(url) or 0)
    for url, word in (
        ("/dev/ttyUSB0?baud=abc", "baud"),
        ("sim://jk02_32s?cells=abc", "cells"),
        ("sim://jk_pb?address=900", "address"),
        ("sim://nosuch", "nosuch"),
    ):
        rc, _out, err = run(capsys, "--url", url)
        plain_refusal(rc, err, word)
    assert opened == []
    rc, _out, _err = run(capsys, "--url", "sim://jk02_32s?cells=8")
    assert rc == 0 and opened == ["sim://jk02_32s?cells=8"]


def test_a_bad_modbus_address_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    for address in ("abc", "-1", "248"):
        rc, _out, err = run(capsys, "read", "--count", "1", "--url", f"sim://jk_pb?address={address}")
        plain_refusal(rc, err, "address")


# --- read --count -------------------------------------------------------------------------
def test_read_refuses_a_negative_count(capsys: pytest.CaptureFixture[str]) -> None:
    # before: a negative count is never reached, so a live board was read forever; the
    # closed port here makes the old code fail on connecting instead, without the reason
    rc, out, err = run(capsys, "read", "--count", "-5", "--url", f"socket://127.0.0.1:{closed_port()}")
    plain_refusal(rc, err, "--count", "-5")
    assert out == ""


# --- simulate --listen / --duration ---------------------------------------------------------
@pytest.mark.parametrize(
    "listen",
    ["127.0.0.1:-5", "127.0.0.1:65536", "127.0.0.1:99999", "127.0.0.1:abc", "127.0.0.1", "localhost:1e3"],
)
def test_simulate_refuses_a_bad_listen_address(capsys: pytest.CaptureFixture[str], listen: str) -> None:
    # before: OverflowError "bind(): port must be 0-65535" as a traceback
    rc, out, err = run(capsys, "simulate", "--listen", listen, "--duration", "0.01")
    plain_refusal(rc, err, "--listen")
    assert out == ""


def test_simulate_names_a_host_it_cannot_listen_on(capsys: pytest.CaptureFixture[str]) -> None:
    rc, _out, err = run(capsys, "simulate", "--listen", "no-such-host.invalid:0", "--duration", "0.01")
    plain_refusal(rc, err, "cannot listen on")


def test_parse_listen_takes_the_forms_people_type() -> None:
    assert cli.parse_listen("127.0.0.1:0") == ("127.0.0.1", 0)
    assert cli.parse_listen(":8899") == ("127.0.0.1", 8899)
    assert cli.parse_listen("[::1]:65535") == ("::1", 65535)


@pytest.mark.parametrize("duration", ["nan", "-1", "inf"])
def test_simulate_refuses_a_duration_that_never_ends(
    capsys: pytest.CaptureFixture[str], duration: str
) -> None:
    rc, out, err = run(capsys, "simulate", "--duration", duration)
    plain_refusal(rc, err, "--duration")
    assert out == ""


# --- simulator options: sim:// URLs and `packbench simulate` alike ----------------------------
BAD_SIM_OPTIONS = [
    # (options, the option the message must name); the first five ran forever or
    # streamed without pause before (no frame ever assembled, or none awaited)
    ({"chunk": "0"}, "chunk"),
    ({"chunk": "-3"}, "chunk"),
    ({"chunk": "1,0"}, "chunk"),
    ({"interval": "0"}, "interval"),
    ({"interval": "-1"}, "interval"),
    ({"chunk": "abc"}, "chunk"),
    ({"cells": "abc"}, "cells"),
    ({"cells": "0"}, "cells"),
    ({"cells": "-1"}, "cells"),
    ({"cells": "1000"}, "cells"),
    ({"capacity": "nan"}, "capacity"),
    ({"capacity": "inf"}, "capacity"),
    ({"capacity": "0"}, "capacity"),
    ({"capacity": "-5"}, "capacity"),
    ({"interval": "nan"}, "interval"),
    ({"seed": "abc"}, "seed"),
    ({"chemistry": "unobtainium"}, "chemistry"),
    ({"current": "nan"}, "current"),
    ({"current": "1e12"}, "current"),
    ({"junk": "maybe"}, "junk"),
    ({"clamp_cell_ovp_v": "nan"}, "clamp_cell_ovp_v"),
    ({"voltage_error_pct": "abc"}, "voltage_error_pct"),
    # the JK setup password is 15 ASCII characters in the device-info frame (jk.md §6):
    # before, UnicodeEncodeError when the simulated board sent it
    ({"password": "\x80"}, "password"),
    ({"password": "1234567890123456"}, "password"),
]


@pytest.mark.parametrize(
    "protocol,options,name",
    [
        (protocol, options, name)
        for protocol in ("jk02_32s", "jbd")
        for options, name in BAD_SIM_OPTIONS
        if not (protocol == "jbd" and name == "voltage_error_pct")
    ],
)  # JBD's has no voltage error
def test_create_simulator_refuses_options_that_make_no_sense(
    protocol: str, options: dict[str, str], name: str
) -> None:
    with pytest.raises(ValueError) as info:
        create_simulator(protocol, **options)
    assert name in str(info.value) and "invalid literal" not in str(info.value)


def test_the_serial_simulators_refuse_bad_options_too() -> None:
    with pytest.raises(ValueError, match="asleep"):
        create_simulator("jk_4e57", asleep="maybe")
    with pytest.raises(ValueError, match="addresses"):
        create_simulator("jk_pb", addresses="1,x")
    with pytest.raises(ValueError, match="chunk"):
        create_simulator("jk_4e57", chunk="0")


def test_a_jbd_simulator_password_is_six_digits() -> None:
    # before: accepted, then ValueError inside the simulator on the first password frame
    with pytest.raises(ValueError, match="six digits"):
        create_simulator("jbd", password="abc")
    assert create_simulator("jbd", password="123456").password == "123456"


def test_good_simulator_options_still_work() -> None:
    sim = create_simulator(
        "jk02_32s",
        cells="8",
        capacity="280",
        interval="0.2",
        seed="0x10",
        chunk="1,3,7",
        junk="off",
        current="-8",
        voltage_error_pct="0.8",
    )
    assert len(sim.cells) == 8 and sim.stream_interval_s == pytest.approx(0.2)
    assert sim.faults.chunk_sizes == (1, 3, 7) and sim.faults.junk is False
    assert sim.constant_current_a == pytest.approx(-8) and sim.voltage_gain == pytest.approx(1.008)


def test_a_sim_url_with_a_bad_option_is_one_line_on_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["read", "--count", "1"], ["logbook"], ["settings", "dump"]):
        rc, out, err = run(capsys, *argv, "--url", "sim://jk02_32s?chunk=0")
        assert rc in (2, 3), err  # settings: "could not connect" is its exit 3
        assert "chunk" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
        assert out == ""


def test_simulate_refuses_the_same_options(capsys: pytest.CaptureFixture[str]) -> None:
    for argv, word in (
        (["--capacity", "nan"], "capacity"),
        (["--cells", "0"], "cells"),
        (["--interval", "-1"], "interval"),
        (["--chemistry", "unobtainium"], "chemistry"),
    ):
        rc, out, err = run(capsys, "simulate", *argv, "--duration", "0.01")
        plain_refusal(rc, err, word)
        assert out == ""


# --- the safety net in main ----------------------------------------------------------------
def _boom(_args: object) -> int:
    raise RuntimeError("something\nunexpected")


def test_an_unexpected_error_is_one_line_and_exit_70(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli.scan, "cmd_scan", _boom)
    rc, out, err = run(capsys, "scan")
    assert rc == cli.EXIT_INTERNAL == 70
    assert err == (
        "packbench: internal error: RuntimeError: something unexpected "
        "(run with PACKBENCH_DEBUG=1 for details)\n"
    )
    assert out == ""


def test_packbench_debug_adds_the_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli.scan, "cmd_scan", _boom)
    monkeypatch.setenv("PACKBENCH_DEBUG", "1")
    rc, _out, err = run(capsys, "scan")
    assert rc == 70
    assert "Traceback" in err and "_boom" in err
    assert err.rstrip().endswith("(run with PACKBENCH_DEBUG=1 for details)")


def test_ctrl_c_that_a_command_does_not_handle_exits_130_quietly(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(_args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.logbook, "cmd_logbook", interrupted)
    rc, out, err = run(capsys, "logbook", "--url", "sim://jk02_32s")
    assert (rc, out, err) == (130, "", "")


def test_scan_interrupted_exits_130(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # before: 0, as if the scan had finished and found nothing
    import app.services.discovery as discovery

    async def interrupted(_timeout: float) -> tuple[list, None]:
        raise KeyboardInterrupt

    monkeypatch.setattr(discovery, "scan_all", interrupted)
    rc, out, err = run(capsys, "scan", "--timeout", "0.1")
    assert (rc, out, err) == (130, "", "")


def test_scan_refuses_a_bad_timeout(capsys: pytest.CaptureFixture[str]) -> None:
    for timeout in ("nan", "-1", "inf"):
        rc, _out, err = run(capsys, "scan", "--timeout", timeout)
        plain_refusal(rc, err, "--timeout")


def _packbench(*args: str, **kw: object) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def test_a_closed_stdout_ends_the_run_quietly() -> None:
    # `packbench read … | head -1`: before, a BrokenPipeError traceback and exit 1
    proc = _packbench("read", "--json", "--url", "sim://jk02_32s?cells=4&interval=0.05")
    try:
        first = proc.stdout.readline()
        assert first.startswith('{"protocol"'), proc.stderr.read() if proc.poll() is not None else first
        proc.stdout.close()  # the reader goes away while the board keeps streaming
        rc = proc.wait(20)
        err = proc.stderr.read()
    finally:
        proc.kill()
        proc.wait()
        proc.stderr.close()
    assert rc == 0, err
    assert "Traceback" not in err and "Broken" not in err and "internal error" not in err, err


def test_ctrl_c_ends_read_with_exit_0() -> None:
    # Ctrl-C is how `read` without --count is meant to end (README): exit 0, no traceback
    proc = _packbench("read", "--url", "sim://jk02_32s?cells=4&interval=0.05")
    try:
        assert proc.stdout.readline().startswith("# JK")
        proc.send_signal(signal.SIGINT)
        rc = proc.wait(20)
        err = proc.stderr.read()
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert rc == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err


def test_a_protocol_named_for_a_sim_url_is_the_sessions(capsys: pytest.CaptureFixture[str]) -> None:
    # before: TypeError "create_simulator() got multiple values for argument 'protocol'"
    for argv in (
        ["--protocol", "jk02_32s", "--url", "sim://jk02_32s?cells=4&interval=0.05"],
        ["--url", "sim://jk02_32s?cells=4&interval=0.05&protocol=jk02_32s"],
    ):
        rc, out, err = run(capsys, "read", "--count", "1", "--json", *argv)
        assert rc == 0, err
        assert '"protocol": "jk02_32s"' in out


@pytest.mark.parametrize("new", ["abc", "12345", "1234567", "12 456"])
def test_board_password_set_refuses_what_is_not_six_digits(
    capsys: pytest.CaptureFixture[str], new: str
) -> None:
    # before: "ValueError: a JBD board password is six digits" as a traceback, after connecting
    rc, out, err = run(
        capsys,
        "control",
        "--url",
        "sim://jbd?cells=13",
        "board-password",
        "set",
        "--new-password",
        new,
        "--yes",
    )
    plain_refusal(rc, err, "six digits")
    assert out == ""  # refused before the consequence text: nothing was sent


def test_board_password_with_a_malformed_current_password(capsys: pytest.CaptureFixture[str]) -> None:
    rc, _out, err = run(
        capsys,
        "control",
        "--url",
        "sim://jbd?cells=13",
        "board-password",
        "set",
        "--new-password",
        "123456",
        "--password",
        "abc",
        "--yes",
    )
    assert rc == 2 and "--password" in err and "six digits" in err, err
    assert "Traceback" not in err and "internal error" not in err


def test_read_without_reconnect_ends_when_the_link_drops() -> None:
    # before: `read --no-reconnect --count N` waited forever for snapshots that could not come
    from app.simulator.server import ServerThread

    with ServerThread(create_simulator("jk02_32s", cells=4, interval="0.05", seed=1)) as srv:
        proc = _packbench("read", "--no-reconnect", "--count", "1000", "--url", srv.url)
        try:
            assert proc.stdout.readline().startswith("# JK"), proc.stderr.read() if proc.poll() else ""
            assert " V " in proc.stdout.readline()  # live data flows
            srv.call(srv.server.drop_clients)  # the cable is pulled
            out, err = proc.communicate(timeout=15)
        finally:
            proc.kill()
            proc.wait()
            proc.stdout.close()
            proc.stderr.close()
    assert proc.returncode == 2, err
    assert "packbench read: the link is gone" in err and "Traceback" not in err, err


def test_a_bad_fake_bluetooth_spec_is_a_bluetooth_problem(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the simulator options behind PACKBENCH_FAKE_BLE are read as strictly as a sim:// URL's;
    # before: the ValueError escaped scan and read
    monkeypatch.setenv("PACKBENCH_FAKE_BLE", "jk02_32s?cells=abc")
    rc, _out, err = run(capsys, "scan", "--timeout", "0.1", "--json")
    assert rc == 0 and "Traceback" not in err and "internal error" not in err, err
    rc, out, err = run(capsys, "read", "--count", "1", "--url", "ble://C8:47:8C:00:00:01")
    assert rc == 2 and "cells" in err and "internal error" not in err, err
