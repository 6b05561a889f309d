"""The end of `make test`: line and branch coverage of app/ and of its safety-critical parts.

Reads the combined coverage data (.coverage, written by `coverage run` with
``patch = ["subprocess"]``, so the CLI subprocesses and the pytest-xdist workers count) and
prints one line per area; the issue-24 goals are shown beside them, as information (the
figure never fails the run).

    python tools/coverage_summary.py [--data-file .coverage]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import coverage

ROOT = Path(__file__).resolve().parent.parent
#: (area, path prefix under the repository, the issue's goal for its branch coverage)
AREAS = (
    ("app/", "app/", 90.0),
    ("app/services/", "app/services/", 95.0),
    ("app/protocols/", "app/protocols/", 95.0),
)


def totals(files: dict, prefix: str) -> tuple[int, int, int, int]:
    lines = covered = branches = taken = 0
    for name, entry in files.items():
        if not Path(name).as_posix().startswith(prefix):
            continue
        s = entry["summary"]
        lines += s["num_statements"]
        covered += s["covered_lines"]
        branches += s.get("num_branches", 0)
        taken += s.get("covered_branches", 0)
    return lines, covered, branches, taken


def pct(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 100.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-file", default=str(ROOT / ".coverage"))
    ns = parser.parse_args(argv)
    cov = coverage.Coverage(data_file=ns.data_file, config_file=str(ROOT / "pyproject.toml"))
    cov.load()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "coverage.json"
        cov.json_report(outfile=str(out))
        files = json.loads(out.read_text("utf-8"))["files"]
    files = {str(Path(name).resolve().relative_to(ROOT).as_posix()): e for name, e in files.items()}
    for area, prefix, goal in AREAS:
        lines, covered, branches, taken = totals(files, prefix)
        print(
            f"coverage {area:<15} lines {pct(covered, lines):5.1f} %   branches {pct(taken, branches):5.1f} %"
            f" ({taken}/{branches}; goal {goal:.0f} %)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
