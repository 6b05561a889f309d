"""A commissioning report's files: the PDF and the JSON side by side, named by
``commissioning.file_stem`` (serial, job, record time).  Used by ``packbench commission``,
``packbench packs report`` and the window's Commission step and Packs window alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..services import commissioning, settings_files
from .report_pdf import write_pdf


def report_folder(report: dict[str, Any]) -> Path:
    """The default folder of a pack's reports: the data folder's reports/SERIAL/."""
    serial = report["pack"]["serial_number"]
    return settings_files.data_dir() / "reports" / settings_files.device_key(None, serial)


def write_files(
    report: dict[str, Any], out: Path | None = None, password: str | None = None
) -> dict[str, Path]:
    """The report as PDF and JSON in ``out`` (default: ``report_folder``).  ``password``:
    a board password a batch job gave this pack, printed on the PDF only (never in the
    JSON, which is the registry's record)."""
    folder = out or report_folder(report)
    stem = commissioning.file_stem(report)
    printed = {**report, "board_password": password} if password else report
    return {
        "pdf": write_pdf(printed, folder / f"{stem}.pdf"),
        "json": commissioning.write_json(report, folder / f"{stem}.json"),
    }
