"""The base of every Control-tab section: ask → confirm → run → show, in one place.

A section asks (``ask``: the inline confirmation panel opens with what happens to
the pack, in words), the person confirms with the password, the section's
``work(session, password, action, value)`` runs through ``guarded`` (a refusal
before anything was sent stays in the panel; the link failing is said as such),
and ``show_result`` puts the outcome on the result line: green verified, red
refused, amber unconfirmed.  Nothing waits for a person inside a coroutine
(shared/stack.md P2): the panel's button starts the work.

Each section decides what it shows from one ``Capabilities`` (caps.py) in
``apply``; the page (page.py) only places the sections and passes on the
bridge's news.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from PySide6.QtWidgets import QGroupBox, QVBoxLayout

from ...model import Settings, Snapshot
from ...services import writer
from ...session import SessionError
from ..control_widgets import ConfirmPanel, ResultLine
from ..password import password_problem
from ..widgets import sentence
from .caps import Capabilities

Work = Callable[[Any, str], Awaitable[Any]]


class ControlHost(Protocol):
    """What a section uses of the page that holds it (page.py's ControlPage): the bridge, the
    password gate and memory, and the page-wide busy state and panels."""

    bridge: Any
    gate: writer.PasswordGate
    passwords: Any
    banner: ResultLine
    # the last outcomes, kept on the page for tests and the status line
    last_switch_report: Any
    last_emergency_result: Any
    last_action_result: Any

    @property
    def busy(self) -> bool: ...
    @property
    def live(self) -> bool: ...
    def set_busy(self, busy: bool) -> None: ...
    def update_enabled(self) -> None: ...
    def panel_opened(self, panel: Any) -> None: ...
    def close_panels(self, but: ConfirmPanel | None = None) -> None: ...
    def show_dialog(self, dialog: Any, on_finished: Callable) -> None: ...


class Section(QGroupBox):
    """A part of the Control tab: a titled box, or a borderless part of another section's box
    (no title).  Kept flat in the widget tree: a panel that opens must grow the page at once
    (page.py ``_settle``), and each widget level between them delays that by a pass."""

    def __init__(self, page: ControlHost, title: str = "") -> None:
        super().__init__(title)
        self.page = page
        self.lay = QVBoxLayout(self)
        if not title:
            self.setFlat(True)
            self.setStyleSheet("QGroupBox { border: none; margin: 0; padding: 0; }")
            self.lay.setContentsMargins(0, 0, 0, 0)
        self.panel: ConfirmPanel | None = None
        self.result: ResultLine | None = None
        #: sections placed inside this one (the page passes its news on to them too)
        self.subsections: list[Section] = []

    # --- what a section fills in ------------------------------------------------------------
    def apply(self, caps: Capabilities) -> None:
        """Show what this board can do here; hide, and say, what it cannot."""

    def update_enabled(self, can: bool, live: bool) -> None:
        """``can``: a live board and nothing running; ``live``: a live board."""
        if self.panel is not None:
            self.panel.set_live(live)

    def show_settings(self, settings: Settings | None) -> None:
        pass

    def show_snapshot(self, snap: Snapshot | None) -> None:
        pass

    async def work(self, session: Any, password: str, action: str, value: object) -> Any:
        raise NotImplementedError

    def show_result(self, action: str, value: object, result: Any) -> None:
        pass

    def busy_text(self, action: str) -> str:
        return self.tr("Sending and reading back …")

    # --- the flow -----------------------------------------------------------------------------
    def add_confirm(self) -> tuple[ConfirmPanel, ResultLine]:
        """The section's confirmation panel and the line under it that says what happened."""
        self.panel = ConfirmPanel(self.page.passwords)
        self.panel.confirmed.connect(self._on_confirmed)
        self.panel.cancelled.connect(self.page.update_enabled)
        self.lay.addWidget(self.panel)
        self.result = ResultLine()
        self.lay.addWidget(self.result)
        return self.panel, self.result

    def ask(self, *, action: str, title: str, text: str, confirm: str, **kw: Any) -> bool:
        """Open the confirmation (``value``, ``danger``, ``note``, ``typed_word`` as
        ConfirmPanel.ask takes them); the other sections' open panels close."""
        session = self.page.bridge.session
        if session is None or self.page.busy or self.panel is None or self.result is None:
            return False
        self.page.close_panels(but=self.panel)
        self.result.clear_result()
        self.panel.ask(session, action=action, title=title, text=text, confirm=confirm, **kw)
        self.page.panel_opened(self.panel)
        return True

    def _on_confirmed(self) -> None:
        assert self.panel is not None
        action, value = self.panel.action, self.panel.value
        if action and not self.page.busy:
            self.page.bridge.spawn(self.run(action, value))

    async def run(self, action: str, value: object) -> None:
        async def work(session: Any, password: str) -> Any:
            return await self.work(session, password, action, value)

        ran, result = await self.guarded(self.busy_text(action), work)
        if ran:
            self.show_result(action, value, result)

    def reset(self) -> None:
        """Another board (or none): an open panel closes, the last outcome goes."""
        if self.panel is not None and not self.panel.busy:
            self.panel.close_panel()
        if self.result is not None:
            self.result.clear_result()

    # --- the guard every action goes through --------------------------------------------------------
    async def guarded(self, busy_text: str, work: Work) -> tuple[bool, Any]:
        """Run ``work(session, password)``; on a refusal before anything was sent, say so
        in the panel and keep it open.  Returns (ran, result)."""
        page, panel = self.page, self.panel
        session = page.bridge.session
        if session is None or panel is None:
            return False, None
        password = panel.password_row.password()
        panel.set_busy(True, busy_text)
        page.set_busy(True)
        try:
            result = await work(session, password)
        except writer.PasswordError as exc:
            panel.show_error(password_problem(exc, session, page.gate, panel.password_row.device, password))
            return False, None
        except writer.WriteError as exc:
            panel.show_error(self.tr("Nothing was sent: {reason}").format(reason=sentence(str(exc))))
            return False, None
        except (SessionError, OSError, TimeoutError) as exc:
            panel.show_error(
                self.tr(
                    "The link failed: {reason}. The board may or may not have "
                    "done it: check its state before trying again."
                ).format(reason=sentence(str(exc)) or self.tr("no answer"))
            )
            return False, None
        finally:
            panel.set_busy(False)
            page.set_busy(False)
        problem = panel.password_row.accepted()
        panel.close_panel()
        if problem:
            page.banner.warn(problem)
        page.update_enabled()
        return True, result
