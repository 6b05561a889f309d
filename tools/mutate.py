"""`make mutate`: mutation testing of the safety modules and the codecs (issue 24).

Runs mutmut (configured in pyproject.toml [tool.mutmut]: the modules are its
``only_mutate`` list, the tests its ``pytest_add_cli_args_test_selection``) and prints one
line per module: killed / total and the score.  Every mutant counts: the equivalent ones
(listed with their reasons in pyproject.toml) count as survivors, so they lower the score
rather than disappear from it.

    python tools/mutate.py                       every module of the list
    python tools/mutate.py app/services/writer.py   one module (its mutants only)
    python tools/mutate.py --report              the scores of the last run, without running

Exits 1 when a module scores below FAIL_UNDER (the issue's 90 %).  mutmut keeps its work
in mutants/ (git-ignored); a run starts from a fresh copy of the sources.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAIL_UNDER = 90.0

# mutmut's exit codes (mutmut/stats.py); a timeout or a crash of the tests counts as a kill
KILLED = {1, 3, 36, 37, -24, 24, 152, 255}
NAMES = {0: "survived", 33: "no tests", 5: "no tests", 34: "skipped", None: "not run"}


def modules() -> list[str]:
    """The files the config's only_mutate patterns name, in their order."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "app").rglob("*.py"))
    out: list[str] = []
    for pattern in config["only_mutate"]:
        out += [f for f in files if fnmatch.fnmatch(f, pattern) and f not in out]
    return out


def mutant_glob(module: str) -> str:
    return module.removesuffix(".py").replace("/", ".") + ".*"


def score(module: str) -> tuple[int, int, Counter] | None:
    meta = ROOT / "mutants" / (module + ".meta")
    if not meta.exists():
        return None
    codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"].values()
    killed = sum(1 for c in codes if c in KILLED)
    rest = Counter(NAMES.get(c, "suspicious") for c in codes if c not in KILLED)
    return killed, len(codes), rest


def report(selected: list[str]) -> bool:
    """Print each module's score; False when one is below FAIL_UNDER or was not run."""
    ok = True
    width = max(len(m) for m in selected)
    for module in selected:
        result = score(module)
        if result is None:
            print(f"{module:<{width}}  not run")
            ok = False
            continue
        killed, total, rest = result
        pct = 100.0 * killed / total if total else 100.0
        ok &= pct >= FAIL_UNDER and not rest.get("not run")
        others = ", ".join(f"{n} {name}" for name, n in sorted(rest.items()))
        print(
            f"{module:<{width}}  {killed:4d} / {total:4d} killed  {pct:5.1f} %"
            + (f"  ({others})" if others else "")
        )
    return ok


def run(selected: list[str], workers: int) -> int:
    shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    log = ROOT / "mutants" / "run.log"
    log.parent.mkdir()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    mutmut = Path(sys.executable).parent / "mutmut"
    args = [str(mutmut), "run", "--max-children", str(workers)]
    if selected != modules():
        args += [mutant_glob(m) for m in selected]
    print(
        f"mutate: {len(selected)} module(s), {workers} process(es); mutmut's output in mutants/run.log",
        flush=True,
    )
    started = time.monotonic()
    with log.open("w") as out:
        rc = subprocess.call(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    minutes = (time.monotonic() - started) / 60
    print(f"mutate: mutmut ran {minutes:.1f} min (exit {rc})")
    return rc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", nargs="*", help="modules of the list to run (default: all)")
    parser.add_argument("--report", action="store_true", help="print the last run's scores only")
    parser.add_argument("-j", type=int, default=int(os.environ.get("MUTATE_WORKERS", "2")))
    ns = parser.parse_args(argv)
    known = modules()
    unknown = [m for m in ns.module if m not in known]
    if unknown:
        print(f"mutate: not in [tool.mutmut] only_mutate: {', '.join(unknown)}", file=sys.stderr)
        return 2
    selected = ns.module or known
    if not ns.report and run(selected, ns.j) != 0:
        print("mutate: mutmut failed; see mutants/run.log", file=sys.stderr)
        return 1
    return 0 if report(selected) else 1


if __name__ == "__main__":
    sys.exit(main())
