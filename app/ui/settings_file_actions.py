"""The file import/export block of the Parameters page: settings files, backups, presets.

Export the board's settings (read fresh first), import or compare a settings file, a
backup, a vendor's export or a preset into the form, open a preset into the side
panel, save the form's cell-level values as the user's own preset.  File dialogs open
with open(), never exec() (shared/stack.md P2).  Nothing here writes to the board: a
file only fills the form, and the page's "Review and write…" does the rest.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QFileDialog

from ..protocols.family import vendor_formats
from ..services import presets, settings_files
from ..services.interlocks import infer_chemistry
from ..services.settings_files import same
from ..session import SessionError
from .preset_panel import user_preset_dir
from .widgets import sentence


class FileActionsHost(Protocol):
    """What the file buttons use of the Parameters page that holds them."""

    table: Any
    chemistry: str | None

    def message(self, text: str, error: bool = False) -> None: ...
    def form_values(self) -> dict[str, Any]: ...
    def set_form(self, *args: Any, **kw: Any) -> Any: ...


def vendor_filters(protocol: str | None = None) -> list[str]:
    """File-dialog filters of the vendors' formats (of ``protocol``'s family, or all)."""
    return [QCoreApplication.translate("ParametersPage", v.file_filter) for v in vendor_formats(protocol)]


class SettingsFileActions(QObject):
    """The page's file buttons (the side panel's Files box and the preset file entries)."""

    def __init__(self, page: FileActionsHost) -> None:
        super().__init__(page)
        self.page = page
        self.bridge = page.bridge
        self.panel = page.panel
        self.dialog: QFileDialog | None = None
        p = self.panel
        p.openPresetRequested.connect(self.ask_open_preset)
        p.importRequested.connect(lambda: self.ask_open_file(compare=False))
        p.compareRequested.connect(lambda: self.ask_open_file(compare=True))
        p.exportRequested.connect(self.ask_export)
        p.savePresetRequested.connect(self.ask_save_preset)

    def _open_dialog(
        self,
        *,
        save: bool,
        caption: str,
        directory: Path,
        name_filter: str,
        on_path: Callable[[Path], Any],
        default_name: str = "",
    ) -> None:
        """A file dialog opened with open(), never exec() (stack.md P2)."""
        if self.dialog is not None:
            self.dialog.deleteLater()
        dlg = QFileDialog(self.page, caption, str(directory), name_filter)
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen)
        dlg.setFileMode(QFileDialog.FileMode.AnyFile if save else QFileDialog.FileMode.ExistingFile)
        if save:
            dlg.setDefaultSuffix("json")
            if default_name:
                dlg.selectFile(default_name)
        dlg.fileSelected.connect(lambda path: on_path(Path(path)) if path else None)
        self.dialog = dlg
        dlg.open()

    # --- presets --------------------------------------------------------------------------------------
    def ask_open_preset(self) -> None:
        folder = user_preset_dir()
        self._open_dialog(
            save=False,
            caption=self.tr("Open a preset"),
            directory=folder if folder.is_dir() else Path.home(),
            name_filter=self.tr("Packbench presets (*.json)"),
            on_path=self.open_preset_file,
        )

    def open_preset_file(self, path: Path) -> None:
        try:
            presets.load_preset(path)
        except (OSError, ValueError, KeyError) as exc:
            self.page.message(
                self.tr("Cannot open {path}: {reason}").format(path=path, reason=sentence(str(exc))),
                error=True,
            )
            return
        self.panel.select_file(path)
        self.page.message(self.tr("Preset loaded. Check the pack profile, then “Apply to the form”."))

    def ask_save_preset(self) -> None:
        folder = user_preset_dir()
        folder.mkdir(parents=True, exist_ok=True)
        self._open_dialog(
            save=True,
            caption=self.tr("Save the form as my preset"),
            directory=folder,
            name_filter=self.tr("Packbench presets (*.json)"),
            default_name="my-preset.json",
            on_path=self.save_preset_file,
        )

    def save_preset_file(self, path: Path) -> None:
        values = self.page.form_values()
        keys = presets.CHEMISTRY_PRESETS["lifepo4"].keys()
        cell_values = {k: values[k] for k in keys if values.get(k) is not None}
        chemistry = self.page.chemistry or infer_chemistry(values) or self.panel.current_preset().chemistry
        preset = presets.Preset(path.stem, chemistry, cell_values)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            presets.save_preset(preset, path)
        except OSError as exc:
            self.page.message(
                self.tr("Cannot save {path}: {reason}").format(path=path, reason=sentence(str(exc))),
                error=True,
            )
            return
        self.panel.reload_presets(select=path)
        self.page.message(
            self.tr("Saved my preset “{name}” ({n} cell-level values) to {path}.").format(
                name=preset.name, n=len(cell_values), path=path
            )
        )

    # --- export ---------------------------------------------------------------------------------------
    def ask_export(self) -> None:
        session = self.bridge.session
        if session is None:
            return
        name = "{dev}-{stamp}.json".format(
            dev=settings_files.device_key(session.device_info, "board"), stamp=time.strftime("%Y%m%d-%H%M%S")
        )
        self._open_dialog(
            save=True,
            caption=self.tr("Export the board's settings"),
            directory=Path.home(),
            name_filter=";;".join(
                [self.tr("Packbench settings (*.json)")] + vendor_filters(session.protocol.id)
            ),
            default_name=name,
            on_path=lambda p: self.bridge.spawn(self.export_to(p)),
        )

    async def export_to(self, path: Path) -> Path | None:
        session = self.bridge.session
        if session is None:
            return None
        try:
            values = dict((await session.refresh_settings()).values)
            doc = settings_files.to_document(
                values,
                protocol=session.protocol.id,
                device=session.device_info,
                schema=session.protocol.settings_schema(),
            )
            settings_files.save(path, doc)
        except (SessionError, OSError) as exc:
            self.page.message(self.tr("Not exported: {reason}").format(reason=sentence(str(exc))), error=True)
            return None
        self.page.message(self.tr("Exported {n} settings to {path}.").format(n=len(values), path=path))
        return path

    # --- import and compare -------------------------------------------------------------------------------
    def ask_open_file(self, *, compare: bool) -> None:
        folder = settings_files.backup_dir()
        self._open_dialog(
            save=False,
            directory=folder if folder.is_dir() else Path.home(),
            caption=self.tr("Compare the board with a file")
            if compare
            else self.tr("Import a settings or preset file"),
            name_filter=";;".join([self.tr("Packbench settings and presets (*.json)")] + vendor_filters()),
            on_path=lambda p: self.load_file(p, compare=compare),
        )

    def load_file(self, path: Path, *, compare: bool = False) -> bool:
        """A settings export, a backup or a preset into the form (diff highlighted).

        The same strict loader as ``packbench settings apply --file``: a file of another
        board family, an unknown key or a wrong value is refused with the reason."""
        session = self.bridge.session
        try:
            if session is None:
                raise ValueError(self.tr("connect a board first"))
            source = settings_files.open_file(path)
            if isinstance(source, presets.Preset):
                request = settings_files.request_from(
                    source, session.protocol, profile=self.panel.profile(), name=Path(path).name
                )
                what = self.tr("preset file {name} with {profile}").format(
                    name=Path(path).name, profile=self.panel.profile_text()
                )
            else:
                request = settings_files.request_from(source, session.protocol, name=Path(path).name)
                what = self.describe_document(source, Path(path))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            self.page.message(
                self.tr("Cannot read {path}: {reason}").format(path=path, reason=sentence(str(exc))),
                error=True,
            )
            return False
        if compare:
            source_text = self.tr(
                "comparison with {what}. Highlighted rows differ from the board; "
                "nothing is written unless you choose “Review and write…”."
            ).format(what=what)
        else:
            source_text = self.tr("{what}.").format(what=what)
        values = dict(request.values)
        # read-only values that differ from the board: named, never dropped silently
        board = self.page.table.board
        values.update(
            {k: v for k, v in request.read_only.items() if k in board and not same(None, board.get(k), v)}
        )
        self.page.set_form(values, source=source_text, chemistry=request.chemistry, origin=request.origin)
        return True

    def describe_document(self, doc: dict[str, Any], path: Path) -> str:
        dev = doc.get("device") or {}
        kind = doc.get("kind")
        what = (self.tr("backup {name}") if kind == "backup" else self.tr("settings file {name}")).format(
            name=path.name
        )
        details = []
        if dev.get("model") or dev.get("serial_number"):
            details.append(" ".join(str(x) for x in (dev.get("model"), dev.get("serial_number")) if x))
        if dev.get("software_version"):
            details.append(self.tr("firmware {version}").format(version=dev["software_version"]))
        if doc.get("created"):
            details.append(str(doc["created"]))
        if details:
            what += " (" + ", ".join(details) + ")"
        info = self.bridge.device_info
        serial = dev.get("serial_number")
        if info is not None and serial and info.serial_number and serial != info.serial_number:
            what += " — " + self.tr("from another board (this one is {serial})").format(
                serial=info.serial_number
            )
        session = self.bridge.session
        if doc.get("protocol") and session is not None and doc["protocol"] != session.protocol.id:
            what += " — " + self.tr("written by {protocol}").format(protocol=doc["protocol"])
        return what
