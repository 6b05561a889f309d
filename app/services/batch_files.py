"""Where a batch run's files go and how they are saved: the summary CSV and the customer's
password export (issue 19), the same for ``packbench batch`` and the window's Jobs panel."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from pathlib import Path

from . import settings_files
from .batch import PackResult, summary_csv
from .jobs import Job


def safe_name(text: str) -> str:
    """A job reference as a file name part (letters, digits, ``._-``)."""
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in text).strip("_") or "job"


def default_out(job: Job) -> Path:
    """Where a job's reports and summary go unless told: the data folder's jobs/JOB/."""
    return settings_files.data_dir() / "jobs" / safe_name(job.ref)


def export_path(job: Job, out: Path) -> Path:
    """Where the job's password export for the customer is kept."""
    return out / f"{safe_name(job.ref)}_board_passwords.csv"


def summary_path(job: Job, out: Path) -> Path:
    return out / f"{safe_name(job.ref)}_summary.csv"


def save_summary(
    job: Job, results: list[PackResult], out: Path, earlier: Iterable[dict[str, str]] = ()
) -> tuple[Path, Path | None]:
    """The run's summary CSV and, when a pack got a board password in this run, the
    customer's export (earlier rows kept): (summary, export or None).  OSError as raised."""
    out.mkdir(parents=True, exist_ok=True)
    summary = summary_path(job, out)
    summary.write_text(summary_csv(results), encoding="utf-8")
    export = passwords_csv(job, results, earlier)
    if export is None or not any(r.secret for r in results):
        return summary, None
    return summary, write_private(export_path(job, out), export)


EXPORT_FIELDS = ["job", "family", "serial", "device_name", "board_password"]


def read_export(path: Path) -> list[dict[str, str]]:
    """The rows of a job's password export (none when there is no such file)."""
    try:
        with path.open(encoding="utf-8", newline="") as f:
            return [row for row in csv.DictReader(f) if row.get("serial") and row.get("board_password")]
    except FileNotFoundError:
        return []


def passwords_csv(
    job: Job, results: Iterable[PackResult], earlier: Iterable[dict[str, str]] = ()
) -> str | None:
    """The customer's export: each pack's board password, the earlier runs' rows kept (a
    pack given a new one replaces its row); None: no pack has one."""
    rows = {(r["family"], r["serial"]): r for r in earlier}
    for r in results:
        if r.secret:
            rows[(r.family or "", r.serial or "")] = dict(
                zip(EXPORT_FIELDS, [job.ref, r.family, r.serial, r.name or "", r.secret], strict=True)
            )
    if not rows:
        return None
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=EXPORT_FIELDS, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows.values())
    return buf.getvalue()


def write_private(path: Path, text: str) -> Path:
    """A file only its owner can read (the password export), written whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    tmp.replace(path)
    return path
