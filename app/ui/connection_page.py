"""Connection: where the board is, and connecting to it.

A device URL field (any pyserial URL, ``socket://`` for network bridges,
``sim://`` for the built-in simulator), a protocol choice, the serial ports
this computer has, a demo entry and the recently used devices.  Errors are
shown in words in a red label, never as a traceback.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..model.url import redact_url
from ..protocols import get_protocol, protocol_ids
from ..protocols.family import families, probe_families
from ..simulator import DEMO_URL
from ..timing import current as current_timing
from .bridge import SessionBridge
from .theme import GREY, RED
from .widgets import sentence

log = logging.getLogger("packbench.ui")

RECENT_KEY = "recent_devices"
RECENT_MAX = 10


def load_recent(settings: QSettings) -> list[str]:
    """The recent-devices list: one JSON string (stack.md §8, P10), most recent first.

    URLs never keep their passwords or PINs (model.url.redact_url); a list
    written by an older version that held one is cleaned here, on disk too.
    """
    raw = settings.value(RECENT_KEY, "", type=str)
    try:
        items = json.loads(raw) if raw else []
    except (ValueError, RecursionError):
        return []
    if not isinstance(items, list):
        return []
    stored = [u for u in items if isinstance(u, str) and u.strip()]
    clean = _unique(redact_url(u) or "" for u in stored)[:RECENT_MAX]
    if clean != stored:
        _save_recent(settings, clean)
    return clean


def remember_recent(settings: QSettings, url: str) -> list[str]:
    url = redact_url(url) or url
    items = [u for u in load_recent(settings) if u != url]
    items.insert(0, url)
    items = items[:RECENT_MAX]
    _save_recent(settings, items)
    return items


def _unique(urls: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    return [u for u in urls if u and not (u in seen or seen.add(u))]


def _save_recent(settings: QSettings, items: list[str]) -> None:
    settings.setValue(RECENT_KEY, json.dumps(items))
    settings.sync()


# U+2060 WORD JOINER: no line break between the characters it joins, and nothing drawn
WORD_JOINER = "\u2060"
_CODE = re.compile(r"(<code[^>]*>)(.*?)(</code>)", re.S)
_CHAR = re.compile(r"&#?\w+;|.", re.S)  # an HTML entity counts as one character


def unbreakable(html: str) -> str:
    """``html`` with every ``<code>`` span (a path, a URL, a PIN) kept on one line.

    Qt's rich text breaks a line after "/" or ":" inside a word ("socket://" and
    "192.168.4.1:8899" on two lines), and neither ``<nobr>`` nor ``white-space: nowrap``
    stops that; a word joiner between the characters does.  Applied to the translated
    text, so every language keeps its paths whole."""
    return _CODE.sub(lambda m: m[1] + WORD_JOINER.join(_CHAR.findall(m[2])) + m[3], html)


class ConnectionPage(QWidget):
    def __init__(self, bridge: SessionBridge, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.settings = settings
        self._connect_task: asyncio.Task | None = None
        self._pending_url: str | None = None
        self._scan_task: asyncio.Task | None = None

        root = QHBoxLayout(self)
        root.setContentsMargins(12, 12, 12, 12)
        root.setSpacing(16)
        left = QVBoxLayout()
        right = QVBoxLayout()
        root.addLayout(left, 3)
        root.addLayout(right, 2)
        left.addWidget(self._build_device_box())
        left.addWidget(self._build_help_box(), 1)
        right.addWidget(self._build_ble_box())
        right.addWidget(self._build_ports_box())
        right.addWidget(self._build_recent_box())
        right.addStretch(1)

        bridge.stateChanged.connect(self._on_state)
        bridge.errorOccurred.connect(self.show_error)
        self.refresh_ports()
        self._show_recent(load_recent(settings))
        self._on_state(bridge.state, "")

    # --- building -------------------------------------------------------------------------------
    def _build_device_box(self) -> QGroupBox:
        device_box = QGroupBox(self.tr("Device"))
        form = QFormLayout(device_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.url_edit = QLineEdit()
        # short enough for the field at 1024 px; the tooltip and the help below say the rest
        self.url_edit.setPlaceholderText(self.tr("e.g. /dev/ttyUSB0, COM3 or socket://192.168.4.1:8899"))
        self.url_edit.setToolTip(
            self.tr(
                "A serial port (/dev/ttyUSB0, COM3), a network bridge (socket://host:port), "
                "a Bluetooth address (ble://…) or the simulator (sim://jk02_32s?cells=16)."
            )
        )
        self.url_edit.setClearButtonEnabled(True)
        self.url_edit.returnPressed.connect(self._on_connect_clicked)
        self.url_edit.textChanged.connect(lambda _t: self._sync_buttons())
        form.addRow(self.tr("Device URL"), self.url_edit)

        self.protocol_combo = QComboBox()
        self.protocol_combo.addItem(self.tr("Automatic"), None)
        # families that find which of their protocols a board speaks (Family.probes)
        for fam in probe_families():
            self.protocol_combo.addItem(
                self.tr("{name}: find the protocol ({id})").format(name=fam.name, id=fam.id), fam.id
            )
        for pid in protocol_ids():
            self.protocol_combo.addItem(
                self.tr("{name} ({id})").format(name=get_protocol(pid).name, id=pid), pid
            )
        form.addRow(self.tr("Protocol"), self.protocol_combo)
        self._add_pin_rows(form)
        form.addRow(self._build_buttons())

        self.state_label = QLabel()
        form.addRow(self.tr("State"), self.state_label)

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet(f"color: {RED}; font-weight: bold;")
        self.error_label.hide()
        form.addRow(self.error_label)
        return device_box

    def _add_pin_rows(self, form: QFormLayout) -> None:
        """The board's Bluetooth PIN (JK) or the Bluetooth module's password (JBD): asked over
        Bluetooth as the vendor app does, kept in memory only."""
        self.pin_edit = QLineEdit()
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setPlaceholderText(self.tr("PIN or module password"))
        self.pin_label = QLabel(self.tr("Bluetooth PIN"))
        form.addRow(self.pin_label, self.pin_edit)
        # which number a family wants (a JK board's PIN: jk.md §6; a JBD module's login
        # password: jbd_daly.md §1.3), wrapped under the field, never cut off
        self.pin_hint = QLabel(
            unbreakable(
                self.tr(
                    "JK board: its Bluetooth PIN, <code>1234</code> from the factory. JBD board: "
                    "the Bluetooth module's password, often <code>000000</code> or <code>123123</code>."
                )
            )
        )
        self.pin_hint.setWordWrap(True)
        self.pin_hint.setTextFormat(Qt.TextFormat.RichText)
        self.pin_hint.setStyleSheet(f"color: {GREY};")
        self.pin_hint.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.pin_hint.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        form.addRow("", self.pin_hint)
        self.url_edit.textChanged.connect(self._show_pin_for_ble)
        self._show_pin_for_ble(self.url_edit.text())

    def _build_buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        self.connect_button = QPushButton(self.tr("Connect"))
        self.connect_button.setDefault(True)
        self.connect_button.clicked.connect(self._on_connect_clicked)
        self.disconnect_button = QPushButton(self.tr("Disconnect"))
        self.disconnect_button.clicked.connect(self._on_disconnect_clicked)
        self.demo_button = QPushButton(self.tr("Demo (simulated 16-cell JK board)"))
        self.demo_button.setToolTip(DEMO_URL)
        self.demo_button.clicked.connect(self._on_demo_clicked)
        buttons.addWidget(self.connect_button)
        buttons.addWidget(self.disconnect_button)
        buttons.addStretch(1)
        buttons.addWidget(self.demo_button)
        return buttons

    def _build_help_box(self) -> QGroupBox:
        """How to connect: the shared part, then one paragraph per protocol family (the family
        registry's), in a scroll area (a short window scrolls it, never cuts it off); paths and
        URLs never break across lines."""
        help_box = QGroupBox(self.tr("How to connect a real board"))
        help_lay = QVBoxLayout(help_box)
        help_lay.setContentsMargins(4, 4, 4, 4)
        families_help = "".join(
            "<p>" + QCoreApplication.translate("ConnectionPage", f.connection_help) + "</p>"
            for f in families()
            if f.connection_help
        )
        self.help_label = QLabel(
            unbreakable(
                self.tr(
                    "<p><b>USB cable</b> (USB-RS485 or USB-TTL adapter on the board's RS485/UART port): "
                    "pick the port on the right, or type it: <code>/dev/ttyUSB0</code> on Linux, "
                    "<code>COM3</code> on Windows. On Linux you may have to join the "
                    "<i>dialout</i> group once.</p>"
                    "<p><b>Network bridge</b> (a WiFi/Ethernet-to-serial box wired to the board): "
                    "type <code>socket://192.168.4.1:8899</code> with your bridge's address and port.</p>"
                    "<p><b>Bluetooth LE</b>: press <i>Scan</i>, then pick your board.</p>"
                    "<p><b>No board at hand?</b> The demo button connects to a built-in simulated "
                    "16-cell JK board.</p>"
                )
                + families_help
            )
        )
        self.help_label.setWordWrap(True)
        self.help_label.setTextFormat(Qt.TextFormat.RichText)
        self.help_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.help_label.setContentsMargins(5, 0, 5, 0)
        scroll = QScrollArea()
        scroll.setWidget(self.help_label)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.viewport().setAutoFillBackground(False)
        self.help_label.setAutoFillBackground(False)
        self.help_scroll = scroll
        help_lay.addWidget(scroll)
        return help_box

    def _build_ble_box(self) -> QGroupBox:
        ble_box = QGroupBox(self.tr("Bluetooth boards nearby"))
        ble_lay = QVBoxLayout(ble_box)
        self.ble_list = QListWidget()
        self.ble_list.setToolTip(self.tr("Click to fill in the URL, double-click to connect"))
        self.ble_list.itemClicked.connect(self._fill_from_item)
        self.ble_list.itemDoubleClicked.connect(self._connect_from_item)
        self.ble_list.setMaximumHeight(130)
        ble_lay.addWidget(self.ble_list)
        ble_row = QHBoxLayout()
        self.ble_status = QLabel(self.tr("Press Scan to look for boards (about 5 s)."))
        self.ble_status.setWordWrap(True)
        self.scan_button = QPushButton(self.tr("Scan"))
        self.scan_button.clicked.connect(self._on_scan_clicked)
        ble_row.addWidget(self.ble_status, 1)
        ble_row.addWidget(self.scan_button)
        ble_lay.addLayout(ble_row)
        return ble_box

    def _build_ports_box(self) -> QGroupBox:
        ports_box = QGroupBox(self.tr("Serial ports on this computer"))
        ports_lay = QVBoxLayout(ports_box)
        self.ports_list = QListWidget()
        self.ports_list.itemClicked.connect(self._fill_from_item)
        self.ports_list.itemDoubleClicked.connect(self._connect_from_item)
        ports_lay.addWidget(self.ports_list)
        row = QHBoxLayout()
        self.refresh_ports_button = QPushButton(self.tr("Refresh"))
        self.refresh_ports_button.clicked.connect(self.refresh_ports)
        row.addStretch(1)
        row.addWidget(self.refresh_ports_button)
        ports_lay.addLayout(row)
        self.ports_list.setMaximumHeight(110)
        return ports_box

    def _build_recent_box(self) -> QGroupBox:
        recent_box = QGroupBox(self.tr("Recent devices"))
        recent_lay = QVBoxLayout(recent_box)
        self.recent_list = QListWidget()
        self.recent_list.setToolTip(self.tr("Click to fill in the URL, double-click to connect"))
        self.recent_list.itemClicked.connect(self._fill_from_item)
        self.recent_list.itemDoubleClicked.connect(self._connect_from_item)
        recent_lay.addWidget(self.recent_list)
        self.recent_list.setMaximumHeight(220)
        return recent_box

    # --- lists ---------------------------------------------------------------------------
    def _on_scan_clicked(self) -> None:
        self.scan_button.setEnabled(False)
        self.ble_status.setText(self.tr("Scanning …"))
        self.ble_list.clear()
        self._scan_task = self.bridge.spawn(self._scan())

    async def _scan(self, timeout_s: float | None = None) -> None:
        from ..services.discovery import scan_bluetooth
        from ..transports import TransportError

        try:
            found = await scan_bluetooth(current_timing().scan_s if timeout_s is None else timeout_s)
        except TransportError as exc:
            self.ble_status.setText(sentence(str(exc)))
            found = None
        finally:
            self.scan_button.setEnabled(True)
        if found is None:
            return
        for f in found:
            text = self.tr("{name} — {url} — {rssi} dBm").format(
                name=f.name or self.tr("(no name)"), url=f.url, rssi=f.rssi
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, f.url)
            self.ble_list.addItem(item)
        self.ble_status.setText(
            self.tr("{n} board(s) found.").format(n=len(found))
            if found
            else self.tr("No boards found. Is the board awake and the phone app closed?")
        )

    def refresh_ports(self) -> None:
        self.ports_list.clear()
        try:
            from serial.tools import list_ports

            ports = sorted(list_ports.comports(), key=lambda p: p.device)
        except Exception as exc:  # noqa: BLE001 - listing ports must never break the page
            log.warning("listing serial ports failed: %s", exc)
            ports = []
        for p in ports:
            desc = p.description if p.description and p.description != "n/a" else ""
            text = (
                self.tr("{device} — {description}").format(device=p.device, description=desc)
                if desc
                else p.device
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, p.device)
            if p.hwid and p.hwid != "n/a":
                item.setToolTip(p.hwid)
            self.ports_list.addItem(item)
        if not ports:
            item = QListWidgetItem(self.tr("No serial ports found. Plug in the adapter and press Refresh."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.ports_list.addItem(item)

    def _show_recent(self, urls: list[str]) -> None:
        self.recent_list.clear()
        for url in urls:
            item = QListWidgetItem(url)
            item.setData(Qt.ItemDataRole.UserRole, url)
            self.recent_list.addItem(item)
        if not urls:
            item = QListWidgetItem(self.tr("None yet: devices appear here once they were live."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent_list.addItem(item)

    def _fill_from_item(self, item: QListWidgetItem) -> None:
        url = item.data(Qt.ItemDataRole.UserRole)
        if url:
            self.url_edit.setText(url)

    def _connect_from_item(self, item: QListWidgetItem) -> None:
        url = item.data(Qt.ItemDataRole.UserRole)
        if url and self.bridge.state == "disconnected":
            self.connect_to(url)

    def _show_pin_for_ble(self, text: str) -> None:
        ble = text.strip().lower().startswith("ble://")
        self.pin_label.setVisible(ble)
        self.pin_edit.setVisible(ble)
        self.pin_hint.setVisible(ble)

    def _on_demo_clicked(self) -> None:
        self.url_edit.setText(DEMO_URL)
        self.protocol_combo.setCurrentIndex(0)

    # --- connect / disconnect --------------------------------------------------------------------
    def connect_to(self, url: str) -> None:
        """Fill in ``url`` and connect, as if typed and Connect pressed."""
        self.url_edit.setText(url)
        self._on_connect_clicked()

    def _on_connect_clicked(self) -> None:
        url = self.url_edit.text().strip()
        if not url:
            self.show_error(self.tr("Type a device URL first, pick a serial port or press Demo."))
            return
        if self._busy():
            return
        self.clear_error()
        self._pending_url = url
        protocol = self.protocol_combo.currentData()
        pin = self.pin_edit.text().strip() if url.lower().startswith("ble://") else None
        self._connect_task = self.bridge.connect_device(url, protocol, pin or None)
        self._connect_task.add_done_callback(lambda _t: self._sync_buttons())
        self._sync_buttons()

    def _on_disconnect_clicked(self) -> None:
        task = self._connect_task
        if task is not None and not task.done():
            task.cancel()  # stop a connect that is still trying
        self._pending_url = None
        self.bridge.disconnect_device_soon()

    def _busy(self) -> bool:
        task = self._connect_task
        return (task is not None and not task.done()) or self.bridge.state != "disconnected"

    def _sync_buttons(self) -> None:
        busy = self._busy()
        self.connect_button.setEnabled(not busy and bool(self.url_edit.text().strip()))
        self.disconnect_button.setEnabled(busy)
        self.url_edit.setReadOnly(busy)
        self.protocol_combo.setEnabled(not busy)
        self.demo_button.setEnabled(not busy)

    # --- bridge events -----------------------------------------------------------------------------
    def _on_state(self, state: str, detail: str) -> None:
        words = {
            "disconnected": self.tr("Not connected"),
            "connecting": self.tr("Opening the link …"),
            "identifying": self.tr("Link open; asking the board who it is …"),
            "live": self.tr("Live: the board is sending data"),
            "reconnecting": self.tr("Link lost; trying again"),
            "writing": self.tr("Writing settings"),
        }
        text = words.get(state, state)
        if state == "reconnecting" and detail:
            text = self.tr("Link lost ({detail})").format(detail=detail)
        self.state_label.setText(text)
        if state == "live" and self._pending_url:
            self._show_recent(remember_recent(self.settings, self._pending_url))
            self._pending_url = None
            self.clear_error()
        self._sync_buttons()

    def show_error(self, message: str) -> None:
        self.error_label.setText(sentence(message))
        self.error_label.show()

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()
