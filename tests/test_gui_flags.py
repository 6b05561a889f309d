"""The GUI's ``--screenshot DIR`` and ``--quit-after SECONDS`` (issue 20), from source.

The same flags are what the frozen program's smoke test runs (packaging/smoke_test.py); here
they run from the source tree, in a subprocess because the exit is the point.  Expected: the
demo board is a JK board (README: "make demo: the app, connected to a simulated 16-cell JK
board"), whose window has the tabs Connection, Live cells, Parameters, Control and History
(Pack health is only for families with a health guide, README "Pack health").
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip("PySide6")

#: the demo window's tabs, in order, as files (issue 20: "a screenshot of each tab")
DEMO_SHOTS = ["01-connection.png", "02-live.png", "03-parameters.png", "04-control.png", "05-history.png"]


def _pngcheck():
    spec = importlib.util.spec_from_file_location("pngcheck", ROOT / "packaging" / "pngcheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gui(*args: str, **kw) -> subprocess.Popen:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env["XDG_CONFIG_HOME"] = env["XDG_DATA_HOME"] = str(kw.pop("home"))  # no user settings
    return subprocess.Popen([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, text=True, **kw)


def test_demo_screenshots_one_drawn_png_per_tab_and_exit_0(tmp_path):
    shots = tmp_path / "shots"  # created by the program
    proc = _gui(
        "--demo", "--screenshot", str(shots), "--quit-after", "1.5",
        home=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    out, err = proc.communicate(timeout=90)
    assert proc.returncode == 0, err
    assert sorted(p.name for p in shots.iterdir()) == DEMO_SHOTS
    check = _pngcheck()
    assert [check.png_problem(shots / name) for name in DEMO_SHOTS] == [None] * len(DEMO_SHOTS)
    lines = out.splitlines()
    assert lines[: len(DEMO_SHOTS)] == [f"packbench: screenshot {shots / name}" for name in DEMO_SHOTS]
    # the simulator answers within the first second: the window went live before it quit
    assert lines[-1] == "packbench: state at quit: live"


def test_quit_after_quits_even_when_nobody_reads_stdout(tmp_path):
    """A closed stdout (``… | head -1``) must not leave the window open for ever."""
    shots = tmp_path / "shots"
    proc = _gui(
        "--demo", "--screenshot", str(shots), "--quit-after", "0.5",
        home=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    proc.stdout.close()  # the reader went away before the first line
    assert proc.wait(timeout=90) == 0
    assert sorted(p.name for p in shots.iterdir()) == DEMO_SHOTS


def test_the_blank_check_tells_a_blank_window_from_a_drawn_one(tmp_path):
    """Guards the check itself: one colour, or a frame on one colour, is blank."""
    from PySide6.QtGui import QColor, QImage, QPainter

    check = _pngcheck()
    image = QImage(800, 600, QImage.Format.Format_RGB32)
    image.fill(QColor("#efefef"))
    image.save(str(tmp_path / "blank.png"))
    painter = QPainter(image)
    painter.drawRect(10, 10, 700, 500)
    painter.end()
    image.save(str(tmp_path / "frame.png"))
    (tmp_path / "text.png").write_bytes(b"not a png")
    assert "blank" in check.png_problem(tmp_path / "blank.png")
    assert "blank" in check.png_problem(tmp_path / "frame.png")
    assert "not a readable PNG" in check.png_problem(tmp_path / "text.png")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--screenshot", "{tmp}/s"], "packbench: --screenshot needs --quit-after SECONDS"),
        (["--quit-after", "0"], "packbench: --quit-after is a number of seconds above 0, not 0"),
        (["--quit-after", "-3"], "packbench: --quit-after is a number of seconds above 0, not -3"),
        (["--quit-after", "nan"], "packbench: --quit-after is a number of seconds above 0, not nan"),
        (["--screenshot", "{tmp}/file/s", "--quit-after", "1"], "packbench: --screenshot: cannot create"),
    ],
)
def test_bad_gui_flags_one_line_and_no_window(run_cli, tmp_path, monkeypatch, args, message):
    (tmp_path / "file").write_text("a file, not a folder")
    opened = []
    monkeypatch.setattr("app.ui.app.run_gui", lambda *a, **kw: opened.append(a) or 0)
    code, out, err = run_cli("--demo", *[a.format(tmp=tmp_path) for a in args])
    assert (code, out, opened) == (2, "", [])
    assert err.startswith(message) and err.count("\n") == 1, err
