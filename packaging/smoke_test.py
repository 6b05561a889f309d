"""Smoke test of the FROZEN program (``make bundle-test``; the CI workflow on every platform).

    python packaging/smoke_test.py [--program dist/packbench/packbench] [--gui-program …]
                                   [--artifacts tests/_artifacts/bundle] [--quit-after 4]

Runs the program the way a workshop would, with nothing from the source tree on its path:
  1. ``--version``                     prints ``packbench <app.__version__>``
  2. ``decode`` of a JK and a JBD frame  the values their captures' sources state
  3. ``simulate … --listen 127.0.0.1:0`` + ``read --count 3 --json`` against it
  4. ``settings diff --preset lifepo4``  the presets are inside the bundle
  5. the GUI on ``--demo`` offscreen:  goes live, one non-blank PNG per tab (``--screenshot DIR
     --quit-after N``); the pictures stay in the artifacts folder for CI to keep
Each check prints one line; the last line says how many passed.  Exit status 1 if any failed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from pngcheck import png_problem  # noqa: E402

#: a JK02_32S cell-info frame and what its source states (tests/data/jk_frames.json, id
#: esp_32s_v11_cell, from syssi/esphome-jk-bms frames_jk02_32s_v11.h and its test)
JK_FRAME_ID, JK_EXPECTED = "esp_32s_v11_cell", {"pack_voltage_v": 51.689, "cell_count": 16, "soc_pct": 52}
#: a JBD basic-info frame (tests/data/jbd_frames.json, id jbd_aio_basic_4s, from aiobmsble's tests)
JBD_FRAME_ID, JBD_EXPECTED = "jbd_aio_basic_4s", {"pack_voltage_v": 15.6, "current_a": -2.87, "cycles": 42}
#: the demo board is a JK board: its window has these tabs (README, tests/test_gui_flags.py)
DEMO_SHOTS = ["01-connection.png", "02-live.png", "03-parameters.png", "04-control.png", "05-history.png"]


class Failed(Exception):
    pass


def frozen_env(home: Path) -> dict[str, str]:
    """The environment of a user's machine: no PYTHONPATH pointing into the sources, settings
    and data in a folder of their own, offscreen Qt, English messages."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PACKBENCH_"))}
    env.update(QT_QPA_PLATFORM="offscreen", LANG="C.UTF-8", LC_ALL="C.UTF-8", HOME=str(home))
    env.update(XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"))
    env.update(XDG_CACHE_HOME=str(home / "cache"), PACKBENCH_DATA_DIR=str(home / "packbench"))
    return env


class Smoke:
    def __init__(self, program: Path, gui_program: Path, artifacts: Path, quit_after: float) -> None:
        self.program, self.gui_program = program, gui_program
        self.artifacts, self.quit_after = artifacts, quit_after
        self.home = Path(tempfile.mkdtemp(prefix="packbench-smoke-"))
        self.env = frozen_env(self.home)

    def run(
        self, *args: str, timeout: float = 60, program: Path | None = None
    ) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            [str(program or self.program), *args],
            capture_output=True, text=True, timeout=timeout, env=self.env, cwd=self.home,
        )  # fmt: skip
        if proc.returncode != 0:
            raise Failed(f"exit {proc.returncode}: {' '.join(args)}\n{proc.stderr.strip()[-2000:]}")
        return proc

    # --- the checks --------------------------------------------------------------------------
    def contents(self) -> str:
        """The bundle carries the translations, the icon, the licences and the Qt plugins it
        needs, and none of the Qt modules it leaves out (bundle_config.py)."""
        top = self.program.parent.parent if sys.platform == "darwin" else self.program.parent
        files = {p.name: p for p in top.rglob("*") if p.is_file() or p.is_symlink()}
        wanted = ["packbench_zh_CN.qm", "packbench.svg", "LICENSE", "THIRD-PARTY-NOTICES.txt"]
        missing = [name for name in wanted if name not in files]
        if sys.platform == "linux":
            missing += [n for n in ("libqxcb.so", "libqwayland.so", "libqoffscreen.so") if n not in files]
        if missing:
            raise Failed(f"missing from the bundle: {missing}")
        from bundle_config import unwanted

        extra = sorted(str(p.relative_to(top)) for p in files.values() if unwanted(str(p.relative_to(top))))
        if extra:
            raise Failed(f"left-out Qt parts are in the bundle: {extra[:5]}")
        return f"{len(files)} files; translations, icon, licences and platform plugins present"

    def version(self) -> str:
        want = "packbench " + re.search(
            r'^__version__ = "([^"]+)"', (ROOT / "app" / "__init__.py").read_text(), re.M
        ).group(1)
        got = self.run("--version").stdout.strip()
        if got != want:
            raise Failed(f"--version printed {got!r}, not {want!r}")
        return got

    def decode(self, data_file: str, frame_id: str, expected: dict) -> str:
        data = json.loads((ROOT / "tests" / "data" / data_file).read_text())
        frames = data["frames"] if isinstance(data, dict) else data  # jk: {"frames": …}; jbd: a list
        frame = next(f for f in frames if f["id"] == frame_id)
        out = json.loads(self.run("decode", "--protocol", frame["protocol"].removeprefix("jk_ble_"),
                                  "--hex", frame["hex"]).stdout)  # fmt: skip
        got = {k: out["fields"].get(k) for k in expected}
        if out.get("kind") != "live" or got != expected:
            raise Failed(f"decode {frame_id}: {got} (kind {out.get('kind')}), expected {expected}")
        return f"{frame_id}: {got}"

    def simulate_and_read(self) -> str:
        sim = subprocess.Popen(
            [str(self.program), "simulate", "--protocol", "jk02_32s", "--cells", "16",
             "--listen", "127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=self.env, cwd=self.home,
        )  # fmt: skip
        try:
            first = sim.stdout.readline()
            match = re.search(r"listening on (127\.0\.0\.1:\d+)", first)
            if not match:
                raise Failed(
                    f"simulate said {first!r}; {sim.stderr.read() if sim.poll() is not None else ''}"
                )
            url = f"socket://{match.group(1)}"
            lines = self.run("read", "--url", url, "--count", "3", "--json", timeout=90).stdout.splitlines()
            snaps = [json.loads(line) for line in lines]
            if len(snaps) != 3 or any(s.get("kind") != "live" or len(s["fields"]["cell_voltages_v"]) != 16
                                      for s in snaps):  # fmt: skip
                raise Failed(f"read --count 3 --json printed: {lines}")
            return f"{url}: 3 snapshots of 16 cells, {snaps[-1]['fields']['pack_voltage_v']} V"
        finally:
            sim.terminate()
            try:
                sim.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                sim.kill()
                sim.communicate()

    def presets(self) -> str:
        out = self.run("settings", "diff", "--url", "sim://jk02_32s?cells=16", "--preset", "lifepo4",
                       "--cells", "16", "--capacity", "280", timeout=90).stdout  # fmt: skip
        if not out.strip():
            raise Failed("settings diff --preset lifepo4 printed nothing")
        return f"{len(out.splitlines())} lines of plan"

    def gui(self) -> str:
        shots = self.artifacts / "screenshots"
        shutil.rmtree(shots, ignore_errors=True)
        out = self.run("--demo", "--screenshot", str(shots), "--quit-after", f"{self.quit_after:g}",
                       timeout=120, program=self.gui_program).stdout  # fmt: skip
        (self.artifacts / "gui-stdout.txt").write_text(out)
        names = sorted(p.name for p in shots.glob("*.png"))
        if names != DEMO_SHOTS:
            raise Failed(f"screenshots {names}, expected {DEMO_SHOTS}")
        problems = [p for p in (png_problem(shots / n) for n in names) if p]
        if problems:
            raise Failed("; ".join(problems))
        if "packbench: state at quit: live" not in out.splitlines():
            raise Failed(f"the window did not go live: {out.strip().splitlines()[-1:]}")
        return f"live; {len(names)} drawn screenshots in {shots}"


#: the program the checks run, per platform (packbench.spec).  On Windows the console program:
#: the windowed Packbench.exe has no stdout to read (the same code, another subsystem).
DEFAULT_PROGRAM = {
    "win32": ROOT / "dist" / "packbench" / "packbench-cli.exe",
    "darwin": ROOT / "dist" / "Packbench.app" / "Contents" / "MacOS" / "packbench-cli",
}.get(sys.platform, ROOT / "dist" / "packbench" / "packbench")
#: the windowed program for the GUI check (macOS: the app's own; elsewhere the same program)
DEFAULT_GUI = {"darwin": ROOT / "dist" / "Packbench.app" / "Contents" / "MacOS" / "Packbench"}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--program", type=Path, default=DEFAULT_PROGRAM)
    p.add_argument("--gui-program", type=Path, help="the windowed program, if another (default: --program)")
    p.add_argument("--artifacts", type=Path, default=ROOT / "tests" / "_artifacts" / "bundle")
    p.add_argument("--quit-after", type=float, default=4.0)
    args = p.parse_args(argv)
    if not args.program.is_file():
        print(f"bundle-test: {args.program} not found (make bundle builds it)", file=sys.stderr)
        return 2
    args.artifacts.mkdir(parents=True, exist_ok=True)
    gui = args.gui_program or DEFAULT_GUI.get(sys.platform, args.program)
    smoke = Smoke(args.program.resolve(), gui.resolve(),
                  args.artifacts.resolve(), args.quit_after)  # fmt: skip
    checks: list[tuple[str, Callable[[], str]]] = [
        ("--version", smoke.version),
        ("what the bundle carries", smoke.contents),
        ("decode a JK frame", lambda: smoke.decode("jk_frames.json", JK_FRAME_ID, JK_EXPECTED)),
        ("decode a JBD frame", lambda: smoke.decode("jbd_frames.json", JBD_FRAME_ID, JBD_EXPECTED)),
        ("simulate + read --count 3 --json", smoke.simulate_and_read),
        ("settings diff --preset lifepo4", smoke.presets),
        ("GUI --demo --screenshot --quit-after", smoke.gui),
    ]
    failed = 0
    print(f"bundle-test: {args.program}", flush=True)
    for name, check in checks:
        started = time.monotonic()
        try:
            detail, ok = check(), True
        except (Failed, subprocess.TimeoutExpired, OSError, ValueError, KeyError) as exc:
            detail, ok = f"{type(exc).__name__}: {exc}" if not isinstance(exc, Failed) else str(exc), False
            failed += 1
        print(
            f"  {'ok  ' if ok else 'FAIL'} {name} ({time.monotonic() - started:.1f} s): {detail}", flush=True
        )
    shutil.rmtree(smoke.home, ignore_errors=True)
    print(f"bundle-test: {len(checks) - failed} of {len(checks)} checks of the frozen program passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
