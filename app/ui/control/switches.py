"""Switches: each enable setting beside the output it drives, switched through a one-key
write transaction (password, backup, write, read-back; services/control.py ``set_switch``).

Rows a board lacks are hidden and said in one line; an output the board does not
report is hidden (the precharge MOSFET of a board without one) or reads "not
reported" in grey, never "UNKNOWN".
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QWidget

from ...model import Settings, Snapshot
from ...services import control, writer
from ..control_widgets import grey
from ..theme import AMBER, GREY
from ..widgets import Badge, vocab
from ..write_report import result_detail, status_words
from .base import Section
from .caps import Capabilities
from .words import on_off, switch_name, switch_word

SWITCH_KEYS = control.SWITCHES
#: the live output that follows each switch
OUTPUT_OF = {
    "charge_switch": "charge_mos_on",
    "discharge_switch": "discharge_mos_on",
    "balance_switch": "balancing_active",
    "heating_switch": "heating_on",
}
PRECHARGE = "precharge_mos_on"
#: outputs whose OFF is the normal state: OFF grey, ON amber
NEUTRAL_KEYS = frozenset({"heating_switch", "heating_on", PRECHARGE, "balancing_active"})
#: the rows shown before a board says what it has
OFFLINE_ROWS = ("charge_switch", "discharge_switch", "balance_switch")


class SwitchesSection(Section):
    def __init__(self, page) -> None:
        super().__init__(page, self.tr("Switches"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(8)
        for col, text in ((1, self.tr("Setting on the board")), (2, self.tr("Output now"))):
            head = QLabel(text)
            head.setStyleSheet(f"color: {GREY};")
            grid.addWidget(head, 0, col)
        self.badges: dict[str, Badge] = {}
        self.mos_badges: dict[str, Badge] = {}
        self.buttons: dict[str, QPushButton] = {}
        self.row_widgets: dict[str, list[QWidget]] = {}
        for i, key in enumerate((*SWITCH_KEYS, PRECHARGE), start=1):
            self._build_row(grid, i, key)
        grid.setColumnStretch(4, 1)
        self.lay.addLayout(grid)
        self.note = grey()
        self.lay.addWidget(self.note)
        self.output_help = grey(
            self.tr(
                "“Output now” is what the board is doing this moment. An "
                "output that is OFF while its setting is ON usually means a "
                "protection tripped: see the alarms above."
            )
        )
        self.lay.addWidget(self.output_help)
        self.add_confirm()
        self._present: tuple[str, ...] = OFFLINE_ROWS
        self._outputs: tuple | None = None

    def _build_row(self, grid: QGridLayout, row: int, key: str) -> None:
        name = QLabel(switch_name(key) if key in SWITCH_KEYS else vocab(key))
        bold = QFont(name.font())
        bold.setBold(True)
        name.setFont(bold)
        grid.addWidget(name, row, 0)
        widgets: list[QWidget] = [name]
        if key in SWITCH_KEYS:
            self.badges[key] = badge = Badge()
            grid.addWidget(badge, row, 1)
            button = QPushButton()
            button.setMinimumWidth(130)
            button.clicked.connect(lambda _c=False, k=key: self.ask_switch(k))
            self.buttons[key] = button
            grid.addWidget(button, row, 3)
            widgets += [badge, button]
        out = Badge(template=_widest(bold, self.tr("BALANCING"), self.tr("not reported")))
        self.mos_badges[OUTPUT_OF.get(key, key)] = out
        grid.addWidget(out, row, 2)
        widgets.append(out)
        self.row_widgets[key] = widgets

    # --- what this board has ------------------------------------------------------------------
    def apply(self, caps: Capabilities) -> None:
        present = tuple(k for k in SWITCH_KEYS if k in caps.keys) if caps.board else OFFLINE_ROWS
        self._present = present
        for key in SWITCH_KEYS:
            for w in self.row_widgets[key]:
                w.setVisible(key in present)
        self._show_precharge(self.page.bridge.last_snapshot)
        missing = [k for k in ("charge_switch", "discharge_switch") if k not in present]
        if not missing and "balance_switch" not in present:
            missing = ["balance_switch"]  # said too (ANT legacy balances by itself)
        if len(missing) == 2:
            self.note.setText(
                self.tr(
                    "{family} has no charging or discharging switch that Packbench can set, so neither "
                    "is shown."
                ).format(family=caps.family)
            )
        elif missing:
            self.note.setText(
                self.tr("{family} has no {name} switch that Packbench can set, so it is not shown.").format(
                    family=caps.family, name=switch_word(missing[0])
                )
            )
        self.note.setVisible(caps.board and bool(missing))
        self.output_help.setVisible("charge_switch" in present or "discharge_switch" in present)

    def _show_precharge(self, snap: Snapshot | None) -> None:
        """Only where the board reports its precharge MOSFET (JK does, JBD does not)."""
        shown = "charge_switch" in self._present and snap is not None and snap.precharge_mos_on is not None
        for w in self.row_widgets[PRECHARGE]:
            if w.isVisibleTo(self) != shown:
                w.setVisible(shown)

    def update_enabled(self, can: bool, live: bool) -> None:
        super().update_enabled(can, live)
        settings = self.page.bridge.settings
        values = settings.values if settings is not None else {}
        asking = self.panel is not None and self.panel.isVisible()
        for key, button in self.buttons.items():
            state = values.get(key)
            button.setText(self.tr("Switch on…") if state is False else self.tr("Switch off…"))
            button.setEnabled(can and state is not None and not asking)

    # --- showing ---------------------------------------------------------------------------------
    def show_settings(self, settings: Settings | None) -> None:
        values = settings.values if settings is not None else {}
        for key, badge in self.badges.items():
            value = values.get(key)
            _set(badge, key, None if value is None else bool(value))

    def show_snapshot(self, snap: Snapshot | None) -> None:
        # called for every snapshot: compare first, touch widgets only on change
        outputs = tuple(getattr(snap, k, None) for k in self.mos_badges) if snap is not None else None
        if outputs == self._outputs:
            return
        self._outputs = outputs
        self._show_precharge(snap)
        for i, (key, badge) in enumerate(self.mos_badges.items()):
            value = outputs[i] if outputs is not None else None
            if value is None and snap is not None:
                badge.set_word(self.tr("not reported"), GREY)
            elif key == "balancing_active" and value:
                badge.set_word(self.tr("BALANCING"), AMBER)
            elif key == "balancing_active" and value is not None:
                badge.set_word(self.tr("IDLE"), GREY)
            else:
                _set(badge, key, value)

    # --- switching -------------------------------------------------------------------------------
    def ask_switch(self, key: str) -> None:
        settings = self.page.bridge.settings
        if settings is None or settings.values.get(key) is None:
            return
        on = not bool(settings.values[key])
        name = switch_word(key)
        self.ask(
            action=key,
            value=on,
            title=(self.tr("Switch {name} ON?") if on else self.tr("Switch {name} OFF?")).format(name=name),
            text=QCoreApplication.translate("Control", control.CONSEQUENCES[(key, on)]),
            confirm=(self.tr("Switch {name} on") if on else self.tr("Switch {name} off")).format(name=name),
            danger=not on and key in ("charge_switch", "discharge_switch"),
            note=self.tr(
                "Packbench checks the password, saves a backup of the "
                "settings, writes the switch and reads it back."
            ),
        )

    def busy_text(self, action: str) -> str:
        return self.tr("Writing and reading back …")

    async def work(self, session, password: str, action: str, value: object) -> writer.Report:
        page = self.page
        return await control.set_switch(
            session, action, bool(value), password=password, gate=page.gate, backup_dir=page.backup_dir
        )

    def show_result(self, action: str, value: object, result: writer.Report) -> None:
        assert self.result is not None
        key, on, report = action, bool(value), result
        self.page.last_switch_report = report
        name = switch_name(key)
        r = next((r for r in report.results if r.key == key), None)
        session = self.page.bridge.session
        default_pw = session.has_default_password if session is not None else None
        if r is None:
            self.result.bad(self.tr("{name}: the board's report is missing.").format(name=name))
            return
        if r.status == writer.VERIFIED:
            self.result.ok(
                self.tr("Verified: {name} is now {state} (read back from the board).").format(
                    name=switch_word(key), state=on_off(on)
                )
            )
        elif r.status == writer.UNCHANGED:
            self.result.ok(
                self.tr("{name} was already {state}: nothing was written.").format(
                    name=name, state=on_off(on)
                )
            )
        elif r.status == writer.REFUSED:
            self.result.bad(
                self.tr("Refused by the board: {name} is still {state}.").format(
                    name=switch_word(key), state=on_off(not on)
                )
                + " "
                + result_detail(r, None, default_pw)
            )
        elif r.status == writer.UNVERIFIED:
            self.result.warn(
                self.tr("{name} is now {state}, but the board sent no acknowledgement.").format(
                    name=name, state=on_off(on)
                )
            )
        else:
            self.result.bad(
                self.tr("{name}: {status}.").format(name=name, status=status_words(r.status))
                + " "
                + result_detail(r, None, default_pw)
            )
        if report.backup and r.status not in writer.OK_STATUSES:
            self.result.setText(
                self.result.text()
                + "\n"
                + self.tr("Backup of the settings before: {path}").format(path=report.backup)
            )


def _set(badge: Badge, key: str, value: bool | None) -> None:
    if key in NEUTRAL_KEYS:
        badge.set_state(value, on_colour=AMBER, off_colour=GREY)
    else:
        badge.set_state(value)


def _widest(font: QFont, *texts: str) -> str:
    metrics = QFontMetrics(font)
    return max(texts, key=metrics.horizontalAdvance)
