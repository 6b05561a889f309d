"""Capacity and state of charge: the nominal capacity (a one-key write through the
Parameters tab's review dialog), the charge the pack holds now (JBD 0xE0), and the
state of charge and clock (state_of_charge.py) where the protocol has the commands.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton, QWidget

from ...model import Settings, Snapshot
from ...services import control, writer
from ...session import SessionError
from ..control_widgets import grey
from ..setting_format import value_text
from ..theme import GREY
from ..widgets import sentence
from ..write_dialog import WriteDialog
from ..write_report import result_detail, status_words
from .base import Section
from .caps import Capabilities
from .state_of_charge import StateOfChargeSection

KEY = "capacity_nominal_ah"


class CapacitySection(Section):
    def __init__(self, page) -> None:
        super().__init__(page, self.tr("Capacity and state of charge"))
        self.capacity_row = QWidget()
        row = QHBoxLayout(self.capacity_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("Nominal capacity")))
        self.capacity_spin = ah_spin(1.0, 2000.0)
        self.capacity_spin.valueChanged.connect(lambda _v: self.page.update_enabled())
        row.addWidget(self.capacity_spin)
        self.board_label = QLabel()
        self.board_label.setStyleSheet(f"color: {GREY};")
        row.addWidget(self.board_label)
        row.addStretch(1)
        self.capacity_button = QPushButton(self.tr("Review and set…"))
        self.capacity_button.clicked.connect(self._on_capacity)
        row.addWidget(self.capacity_button)
        self.lay.addWidget(self.capacity_row)
        self.capacity_note = grey()
        self.lay.addWidget(self.capacity_note)
        self.soc_note = grey()
        self.lay.addWidget(self.soc_note)
        # the charge the pack holds now (JBD 0xE0): the board's SOC follows it
        self.remaining_row = QWidget()
        rrow = QHBoxLayout(self.remaining_row)
        rrow.setContentsMargins(0, 0, 0, 0)
        rrow.addWidget(QLabel(self.tr("Remaining capacity")))
        self.remaining_spin = ah_spin(0.0, 655.3)  # 0xE0 holds at most 655.35 Ah
        rrow.addWidget(self.remaining_spin)
        rrow.addStretch(1)
        self.remaining_button = QPushButton(self.tr("Set…"))
        self.remaining_button.clicked.connect(self.ask_remaining)
        rrow.addWidget(self.remaining_button)
        self.remaining_row.setVisible(False)
        self.lay.addWidget(self.remaining_row)
        self.add_confirm()
        self.state_section = StateOfChargeSection(page)
        self.lay.addWidget(self.state_section)
        self.subsections.append(self.state_section)
        self._board: float | None = None  # the capacity the board has
        self._prefilled = False

    def apply(self, caps: Capabilities) -> None:
        has_capacity = KEY in caps.keys
        self.capacity_row.setVisible(has_capacity or not caps.board)
        self.capacity_note.setText(
            self.tr("{family} has no capacity setting that Packbench can write.").format(family=caps.family)
        )
        self.capacity_note.setVisible(caps.board and not has_capacity)
        self.remaining_row.setVisible(caps.remaining_capacity)
        if caps.remaining_capacity:
            self.soc_note.setText(
                self.tr(
                    "State of charge: tell the board how much charge the pack holds now; it works "
                    "the SOC out from that, the capacity and the current."
                )
            )
        elif caps.soc:
            self.soc_note.setText(
                self.tr(
                    "State of charge: tell the board the SOC the pack has now; it counts on from "
                    "there with the current."
                )
            )
        else:
            self.soc_note.setText(
                self.tr(
                    "State of charge: no command to set it is known for {family}, so Packbench cannot "
                    "set it. The board works it out itself from the capacity and the current."
                ).format(family=caps.family)
            )
        self.soc_note.setVisible(caps.board)

    def reset(self) -> None:
        super().reset()
        self._prefilled = False
        self._board = None

    def update_enabled(self, can: bool, live: bool) -> None:
        super().update_enabled(can, live)
        changed = self._board is not None and abs(self.capacity_spin.value() - self._board) > 1e-6
        self.capacity_button.setEnabled(can and changed)
        self.capacity_spin.setEnabled(live and self._board is not None)
        self.remaining_button.setEnabled(can and not (self.panel is not None and self.panel.isVisible()))

    def show_settings(self, settings: Settings | None) -> None:
        cap = settings.values.get(KEY) if settings is not None else None
        if cap is not None and cap != self._board:
            self._board = float(cap)
            self.capacity_spin.blockSignals(True)
            self.capacity_spin.setValue(float(cap))
            self.capacity_spin.blockSignals(False)
        self.board_label.setText(
            self.tr("board: {value} Ah").format(value=f"{self._board:.1f}") if self._board is not None else ""
        )

    def show_snapshot(self, snap: Snapshot | None) -> None:
        # the remaining-capacity field starts at what the board says (never at 0 Ah)
        if not self._prefilled and snap is not None and snap.capacity_remaining_ah is not None:
            self._prefilled = True
            self.remaining_spin.setValue(snap.capacity_remaining_ah)

    # --- the remaining capacity (JBD 0xE0) ------------------------------------------------------
    def ask_remaining(self) -> None:
        ah = round(self.remaining_spin.value(), 2)
        self.ask(
            action="remaining",
            value=ah,
            title=self.tr("Set the remaining capacity to {ah} Ah?").format(ah=f"{ah:g}"),
            text=QCoreApplication.translate("Control", control.SOC_CONSEQUENCE),
            confirm=self.tr("Set {ah} Ah").format(ah=f"{ah:g}"),
            note=self.tr(
                "Packbench sends it in factory mode, leaves factory mode "
                "and reads the board's remaining capacity back."
            ),
        )

    async def work(self, session, password: str, action: str, value: object) -> control.CapacityResult:
        return await control.set_remaining_capacity(
            session, float(value), password=password, gate=self.page.gate
        )

    def show_result(self, action: str, value: object, result: control.CapacityResult) -> None:
        assert self.result is not None
        if result.ok:
            self.result.ok(
                self.tr("Verified: the board now reports {after} Ah remaining.").format(
                    after=f"{result.after_ah:.2f}"
                )
            )
        elif not result.acknowledged:
            self.result.bad(self.tr("The board did not acknowledge: nothing changed."))
        else:
            self.result.bad(
                self.tr("The board acknowledged but reports {after} Ah, not {ah} Ah.").format(
                    after=result.after_ah, ah=f"{value:g}"
                )
            )

    # --- the nominal capacity: the Parameters tab's review dialog ---------------------------------
    def _on_capacity(self) -> None:
        if not self.page.busy and self.page.live:
            self.page.bridge.spawn(self.review_capacity())

    async def review_capacity(self) -> WriteDialog | None:
        """A one-key write transaction through the Parameters tab's review dialog."""
        session = self.page.bridge.session
        if session is None or self.result is None:
            return None
        self.result.clear_result()
        self.page.set_busy(True)
        try:
            plan = await writer.prepare(session, {KEY: round(self.capacity_spin.value(), 3)})
        except (writer.WriteError, SessionError) as exc:
            self.result.bad(self.tr("Cannot prepare the write: {reason}").format(reason=sentence(str(exc))))
            return None
        finally:
            self.page.set_busy(False)
        dialog = WriteDialog(
            self.page.bridge,
            plan,
            chemistry=None,
            gate=self.page.gate,
            memory=self.page.passwords,
            source=self.tr("the Control tab's capacity field"),
            parent=self.page,
        )
        self.page.show_dialog(dialog, self._show_capacity_outcome)
        return dialog

    def _show_capacity_outcome(self, dialog: WriteDialog) -> None:
        assert self.result is not None
        report = dialog.restore_report or dialog.report
        if report is None:
            self.result.info(self.tr("Capacity: nothing was written."))
            return
        r = next((r for r in report.results if r.key == KEY), None)
        spec = next((s for s in dialog.plan.schema if s.key == KEY), None)
        if dialog.restore_report is not None:
            text, ok = dialog.outcome_text()
            (self.result.ok if ok else self.result.bad)(text)
        elif r is None:
            self.result.bad(self.tr("Capacity: the board's report is missing."))
        elif r.status == writer.VERIFIED:
            self.result.ok(
                self.tr("Verified: the capacity is now {value} (read back from the board).").format(
                    value=value_text(spec, r.readback)
                )
            )
        elif r.status == writer.UNCHANGED:
            self.result.ok(
                self.tr("The board already had {value}: nothing was written.").format(
                    value=value_text(spec, r.readback)
                )
            )
        else:
            session = self.page.bridge.session
            self.result.bad(
                self.tr("Capacity: {status}.").format(status=status_words(r.status))
                + " "
                + result_detail(r, spec, session.has_default_password if session is not None else None)
            )


def ah_spin(lo: float, hi: float) -> QDoubleSpinBox:
    """A capacity field: Ah, one decimal, right-aligned."""
    spin = QDoubleSpinBox()
    spin.setDecimals(1)
    spin.setRange(lo, hi)
    spin.setSingleStep(1.0)
    spin.setSuffix(" Ah")
    spin.setMinimumWidth(120)
    spin.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return spin
