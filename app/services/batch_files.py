"""Where a batch run's files go and how they are saved: the summary CSV and the customer's
password export (issue 19), the same for ``packbench batch`` and the window's Jobs panel."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from . import settings_files
from .batch import PackResult, passwords_csv, summary_csv, write_private
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
