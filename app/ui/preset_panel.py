"""The side panel of the Parameters page: presets, pack profile, files, board presets.

Nothing here writes to the board.  "Apply to the form" only fills the new-value
column of the table; the page's "Review and write…" does the rest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..services import presets, settings_files
from .theme import GREY

#: combo entries: ("builtin", chemistry) | ("file", path) | ("open", "")
BUILTIN, USER_FILE, OPEN_FILE = "builtin", "file", "open"


def user_preset_dir() -> Path:
    """Where the user's own presets live (beside the automatic backups)."""
    return settings_files.backup_dir().parent / "presets"


def _amount(low: float, high: float, suffix: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setDecimals(1)
    spin.setSuffix(suffix)
    return spin


#: the pack profile's rows and the board settings each one fills (cells: always shown,
#: pack voltages scale with them; capacity: also sets the balance current and trigger)
PROFILE_KEYS = {
    "capacity": ("capacity_nominal_ah", "balance_max_current_a", "balance_trigger_delta_v"),
    "charge": ("charge_ocp_a",),
    "discharge": ("discharge_ocp_a",),
    "balance": ("balance_max_current_a",),
}


class PresetPanel(QWidget):
    applyClicked = Signal()
    openPresetRequested = Signal()
    importRequested = Signal()
    compareRequested = Signal()
    exportRequested = Signal()
    savePresetRequested = Signal()
    boardPresetRequested = Signal(str)  # action name, e.g. "preset_lifepo4"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: the settings of the connected board (None: not known yet, every row shown)
        self._board_keys: set[str] | None = None
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(10)
        root.addWidget(self._build_preset_box())
        root.addWidget(self._build_files_box())
        root.addWidget(self._build_board_box())
        root.addStretch(1)
        self.reload_presets()

    # --- building -----------------------------------------------------------------------------
    def _build_preset_box(self) -> QGroupBox:
        """The chemistry preset and the pack profile beside it."""
        box = QGroupBox(self.tr("Preset and pack"))
        form = QFormLayout(box)
        self._form = form
        form.setVerticalSpacing(6)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.preset_combo = QComboBox()
        self.preset_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.preset_combo.setMinimumContentsLength(14)
        self.preset_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.preset_combo.activated.connect(self._on_combo)
        form.addRow(self.tr("Chemistry"), self.preset_combo)
        form.addRow(self._vendor_note())
        self._build_profile(form)
        self.apply_button = QPushButton(self.tr("Apply to the form"))
        self.apply_button.setToolTip(
            self.tr("Fills the New value column. Nothing is written until you review and confirm.")
        )
        self.apply_button.clicked.connect(self.applyClicked)
        form.addRow(self.apply_button)
        return box

    def _vendor_note(self) -> QLabel:
        note = QLabel(
            self.tr(
                "Packbench's own values, not the vendor's table: no charging below 0 °C, shutdown "
                "below the under-voltage cut-off, LTO included. Hover for details."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {GREY};")
        note.setToolTip(
            self.tr(
                "Where Packbench's presets differ from the vendor manual's table:\n"
                "• The manual prints the LiFePO4 and Li-ion voltage columns swapped; read the right "
                "way round, the over-voltage values agree.\n"
                "• Charging: the table allows −20 °C; charging LiFePO4 or Li-ion below 0 °C plates "
                "lithium, so Packbench stops charging at 0 °C (recovers at 5 °C).\n"
                "• Auto shutdown: the table sets it equal to the under-voltage protection although the "
                "manual says it must be lower; Packbench puts it 0.1 V below.\n"
                "• Over-temperature: 55 °C charge and 65 °C discharge instead of 70 °C.\n"
                "• The manual promises an LTO column but has none; Packbench has one.\n"
                "• Pack values (cell count, capacity, currents) come from the pack profile below, "
                "not from the preset."
            )
        )
        self.vendor_note = note
        return note

    def _build_profile(self, form: QFormLayout) -> None:
        """Cells, capacity and the currents: the rows a board has a setting for."""
        self.cells = QSpinBox()
        self.cells.setRange(1, 48)
        self.cells.setToolTip(self.tr("Pack voltages scale with the cell count."))
        self.measured_label = QLabel()
        self.measured_label.setWordWrap(True)
        self.measured_label.setStyleSheet(f"color: {GREY};")
        cells_row = QHBoxLayout()
        cells_row.setContentsMargins(0, 0, 0, 0)
        cells_row.addWidget(self.cells, 1)
        cells_row.addWidget(self.measured_label)
        form.addRow(self.tr("Cells in series"), cells_row)
        # 0: not known (a board that keeps no capacity, JK04): the user enters it, never a
        # made-up 1 Ah that would set the balance current to 0.1 A
        self.capacity = _amount(0.0, 2000.0, " Ah")
        self.capacity.setSpecialValueText(self.tr("enter the pack's capacity"))
        form.addRow(self.tr("Capacity"), self.capacity)
        self.charge = _amount(1.0, 600.0, " A")
        form.addRow(self.tr("Max charge current"), self.charge)
        self.discharge = _amount(1.0, 600.0, " A")
        form.addRow(self.tr("Max discharge current"), self.discharge)
        self.balance = _amount(0.0, 10.0, " A")
        self.balance.setSingleStep(0.1)
        self.balance.setSpecialValueText(self.tr("automatic"))
        self.balance.setToolTip(
            self.tr("Automatic: 0.1 C of the capacity, at most 2 A (the manual's rule is at most 0.1 C).")
        )
        form.addRow(self.tr("Max balance current"), self.balance)
        for spin in (self.cells, self.capacity, self.charge, self.discharge, self.balance):
            spin.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def _build_files_box(self) -> QGroupBox:
        files = QGroupBox(self.tr("Files"))
        fl = QGridLayout(files)
        fl.setSpacing(4)
        self.import_button = QPushButton(self.tr("Import file…"))
        self.import_button.setToolTip(
            self.tr(
                "Load a settings export, a backup or a preset into the form; the differences are highlighted."
            )
        )
        self.import_button.clicked.connect(self.importRequested)
        self.compare_button = QPushButton(self.tr("Compare with file…"))
        self.compare_button.setToolTip(
            self.tr("Show how the board differs from a backup, an export or a preset. Nothing is written.")
        )
        self.compare_button.clicked.connect(self.compareRequested)
        self.export_button = QPushButton(self.tr("Export settings…"))
        self.export_button.setToolTip(
            self.tr(
                "Save the board's settings, with its identity, firmware, "
                "protocol and units, as a readable JSON file."
            )
        )
        self.export_button.clicked.connect(self.exportRequested)
        self.save_preset_button = QPushButton(self.tr("Save as my preset…"))
        self.save_preset_button.setToolTip(
            self.tr(
                "Save the form's cell-level chemistry values as your own preset (JSON). The pack profile "
                "is entered beside it each time, so one preset fits every pack size and board family."
            )
        )
        self.save_preset_button.clicked.connect(self.savePresetRequested)
        for i, b in enumerate(
            (self.import_button, self.compare_button, self.export_button, self.save_preset_button)
        ):
            fl.addWidget(b, i // 2, i % 2)
        return files

    def _build_board_box(self) -> QGroupBox:
        """The board's own presets (buttons added per board)."""
        self.board_box = QGroupBox(self.tr("Board preset (the board's own values)"))
        bl = QVBoxLayout(self.board_box)
        bl.setSpacing(4)
        note = QLabel(self.tr("Built into the board; Packbench reads its values back and shows them after."))
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {GREY};")
        bl.addWidget(note)
        self._board_layout = bl
        self.board_buttons: dict[str, QPushButton] = {}
        self.board_box.setVisible(False)
        return self.board_box

    # --- presets in the combo ------------------------------------------------------------------------
    def reload_presets(self, select: Path | None = None) -> None:
        current = self.preset_combo.currentData()
        self.preset_combo.clear()
        for p in presets.builtin_presets():
            self.preset_combo.addItem(
                self.tr("{name} (Packbench)").format(name=p.name), (BUILTIN, p.chemistry)
            )
        folder = user_preset_dir()
        files = sorted(folder.glob("*.json")) if folder.is_dir() else []
        for path in files:
            self.add_user_preset(path)
        self.preset_combo.addItem(self.tr("Open a preset file…"), (OPEN_FILE, ""))
        if select is not None:
            self.select_file(select)
        elif current is not None:
            idx = self.preset_combo.findData(current)
            if idx >= 0:
                self.preset_combo.setCurrentIndex(idx)

    def add_user_preset(self, path: Path) -> int:
        idx = self.preset_combo.findData((USER_FILE, str(path)))
        if idx >= 0:
            return idx
        try:
            preset = presets.load_preset(path)
            name = preset.name
        except (OSError, ValueError, KeyError):
            return -1
        open_idx = self.preset_combo.findData((OPEN_FILE, ""))
        text = self.tr("{name} (my preset)").format(name=name)
        if open_idx >= 0:
            self.preset_combo.insertItem(open_idx, text, (USER_FILE, str(path)))
            idx = open_idx
        else:
            self.preset_combo.addItem(text, (USER_FILE, str(path)))
            idx = self.preset_combo.count() - 1
        self.preset_combo.setItemData(idx, str(path), Qt.ItemDataRole.ToolTipRole)
        return idx

    def select_file(self, path: Path) -> None:
        idx = self.add_user_preset(path)
        if idx >= 0:
            self.preset_combo.setCurrentIndex(idx)

    def select_builtin(self, chemistry: str) -> None:
        idx = self.preset_combo.findData((BUILTIN, presets.normalise_chemistry(chemistry)))
        if idx >= 0:
            self.preset_combo.setCurrentIndex(idx)

    def _on_combo(self, index: int) -> None:
        kind, _value = self.preset_combo.itemData(index)
        if kind == OPEN_FILE:
            self.preset_combo.setCurrentIndex(0)
            self.openPresetRequested.emit()

    def current_preset(self) -> presets.Preset:
        """The chosen preset (raises OSError/ValueError for a broken user file)."""
        kind, value = self.preset_combo.currentData()
        if kind == USER_FILE:
            return presets.load_preset(value)
        if kind == BUILTIN:
            return presets.builtin(value)
        return presets.builtin_presets()[0]

    # --- pack profile ------------------------------------------------------------------------------------
    def has(self, row: str) -> bool:
        """The connected board has a setting the profile's ``row`` fills (True until the
        board's settings are known)."""
        keys = self._board_keys
        return keys is None or any(k in keys for k in PROFILE_KEYS[row])

    def set_board_keys(self, keys: set[str] | None) -> None:
        """Show only the profile rows this board has a setting for (JK04 has no current
        limits: no "Max charge current" that would go nowhere)."""
        self._board_keys = set(keys) if keys is not None else None
        for row, widget in (
            ("capacity", self.capacity),
            ("charge", self.charge),
            ("discharge", self.discharge),
            ("balance", self.balance),
        ):
            self._form.setRowVisible(widget, self.has(row))

    def profile(self) -> presets.PackProfile:
        """The pack profile, with the currents this board has settings for."""
        bal = self.balance.value()
        return presets.PackProfile(
            cell_count=self.cells.value(),
            capacity_ah=round(self.capacity.value(), 1),
            charge_current_a=round(self.charge.value(), 1) if self.has("charge") else None,
            discharge_current_a=round(self.discharge.value(), 1) if self.has("discharge") else None,
            balance_current_a=round(bal, 1) if bal > 0 and self.has("balance") else None,
        )

    def profile_text(self) -> str:
        """The profile in words: only what goes to this board."""
        p = self.profile()
        parts = [self.tr("{cells} cells").format(cells=p.cell_count)]
        if self.has("capacity"):
            parts.append(self.tr("{capacity} Ah").format(capacity=f"{p.capacity_ah:g}"))
        if p.charge_current_a is not None:
            parts.append(self.tr("charge {charge} A").format(charge=f"{p.charge_current_a:g}"))
        if p.discharge_current_a is not None:
            parts.append(self.tr("discharge {discharge} A").format(discharge=f"{p.discharge_current_a:g}"))
        return ", ".join(parts)

    def prefill(self, values: dict[str, Any]) -> None:
        """Take the pack profile from the board's settings (once per connection); the rows
        follow the settings the board has."""
        self.set_board_keys(set(values))
        if isinstance(values.get("cell_count"), (int, float)):
            self.cells.setValue(int(values["cell_count"]))
        capacity = values.get("capacity_nominal_ah")
        self.capacity.setValue(float(capacity) if isinstance(capacity, (int, float)) else 0.0)
        if isinstance(values.get("charge_ocp_a"), (int, float)):
            self.charge.setValue(float(values["charge_ocp_a"]))
        if isinstance(values.get("discharge_ocp_a"), (int, float)):
            self.discharge.setValue(float(values["discharge_ocp_a"]))
        self.balance.setValue(0.0)

    def set_measured_cells(self, count: int | None) -> None:
        text = self.tr("the board measures %n cell(s)", "", count) if count else ""
        if self.measured_label.text() != text:
            self.measured_label.setText(text)

    # --- board presets --------------------------------------------------------------------------------------
    def set_board_actions(self, actions: list[str], names: dict[str, str]) -> None:
        for button in self.board_buttons.values():
            self._board_layout.removeWidget(button)
            button.deleteLater()
        self.board_buttons = {}
        for action in actions:
            button = QPushButton(self.tr("Board's {name} preset…").format(name=names.get(action, action)))
            button.clicked.connect(lambda _c=False, a=action: self.boardPresetRequested.emit(a))
            self._board_layout.addWidget(button)
            self.board_buttons[action] = button
        self.board_box.setVisible(bool(actions))

    def set_connected(self, live: bool) -> None:
        for b in (
            self.apply_button,
            self.import_button,
            self.compare_button,
            self.export_button,
            self.save_preset_button,
            *self.board_buttons.values(),
        ):
            b.setEnabled(live)
