"""Xiaomi M365 / Pro / 1S and Ninebot ES / Max / G30 scooter packs, read over the data wire.

Two framings of one register map (ant_xiaomi.md §3): ``m365`` speaks ``55 AA``
frames to the BMS at address 0x22 (replies from 0x25); ``ninebot`` speaks
``5A A5`` frames from a host address (0x3D/0x3E) to the internal BMS 0x22 or an
external one 0x23.  Both run at 115200 8N1 on a half-duplex single wire whose
TX and RX are tied together, one request at a time, answered within a few ms.

Read-only on purpose: no public source documents a safe write to a stock BMS,
and status bit 4 is a register write lock (§3.5).  Every write, action and
calibration is refused with ``READ_ONLY_REASON``; the request builders for
writes exist only so captured host traffic can be reproduced and decoded.

Bluetooth goes through the scooter's dashboard and, on current firmware,
NinebotCrypto or Mi "EC" authentication (§3.6): out of scope, so no BLE
transport is declared; ``BLE_*`` below let a scan recognise a scooter's
dashboard, so that connecting to it can say why the pack is read by cable.

On a cable with the protocol left on "Automatic", or with ``?protocol=xiaomi``, the
session asks the family's ``probes`` (``Family.probes``): m365 at 0x22, then ninebot
at 0x22 and at 0x23 (an external pack alone on the wire).  With ninebot at 0x22 the poll also
asks 0x23 and shows
an external pack that answers as a second pack (``xiaomi_second_pack``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ...model import DeviceInfo, Message, Settings, SettingSpec, Snapshot
from .. import register
from ..base import DecodeError, Protocol, Script, ScriptError, Step
from ..family import Probe
from . import framing as fr
from .decode import DEFAULT_OPTIONS, ESC_DEV, Options, decode_frame, route
from .framing import XiaomiFrameReader
from .registers import ESC_ROWS, touched
from .schema import READ_ONLY_REASON, SCHEMA

M365 = "m365"
NINEBOT = "ninebot"

#: the dashboard's Nordic UART bridge (§3.6: py9b, CamiAlfa) and its advertised name;
#: plaintext only on old M365 firmware, otherwise NinebotCrypto / Mi auth
BLE_SERVICE = "6e400001-b5a3-f393-e0a9-e50e24dcca9e"
BLE_WRITE = "6e400002-b5a3-f393-e0a9-e50e24dcca9e"
BLE_NOTIFY = "6e400003-b5a3-f393-e0a9-e50e24dcca9e"
BLE_NAME_PREFIXES = ("MIScooter",)

# --- the reads (§3.4 "Typical reads", §4 item 8) --------------------------------------
#: (word index, bytes): serial, firmware, capacities, nominal voltage, cycles, charges,
#: BotoX's peaks and the manufacture date, words 0x10–0x20 (sparkplug619 reads 0x10/0x22)
INFO_READ = (0x10, 0x22)
#: status, remaining mAh and %, current, voltage, temperatures, balancing, 0x37–0x3A,
#: health and four reserved words, 0x30–0x3F (the HJ tool's "status" read)
STATUS_READ = (0x30, 0x20)
#: cells 1–15, 0x40–0x4E (CamiAlfa's capture reads 0x40/0x1E)
CELLS_READ = (0x40, 0x1E)
#: research §4 item 8: "timeout of about 50-100 ms", one request at a time
REPLY_TIMEOUT_S = 0.1
RETRIES = 2


class WriteRefused(NotImplementedError):
    """A write, action or calibration asked of a read-only family (the message says why)."""


def looks_like(frame: bytes) -> str | None:
    """The protocol id a whole, checksum-valid frame belongs to, or None (``decode`` auto)."""
    fmt = fr.format_of(frame)
    if fmt is None or fr.check(frame, fmt) is not None:
        return None
    return M365 if fmt is fr.M365 else NINEBOT


def _int_option(options: Mapping[str, str], key: str) -> int | None:
    text = str(options.get(key, "") or "").strip()
    if not text:
        return None
    try:
        return int(text, 0)
    except ValueError:
        raise ValueError(f"{key}={text!r} is not a bus address (e.g. 0x22)") from None


def _is_info(message: Message) -> bool:
    return isinstance(message, DeviceInfo)


def _is_status(message: Message) -> bool:
    return isinstance(message, Snapshot) and "xiaomi_status_bits" in message.extra


def _is_cells(message: Message) -> bool:
    return isinstance(message, Snapshot) and not message.partial


def _is_settings(message: Message) -> bool:
    return isinstance(message, Settings)


def _is_other_pack(message: Message) -> bool:
    return isinstance(message, Snapshot) and bool(message.extra.get("xiaomi_external_pack"))


def second_pack(parts: list[Snapshot]) -> dict[str, Any] | None:
    """The external pack's readings as one mapping of canonical names (the parts an
    external pack answered, merged; None when it answered nothing)."""
    if not parts:
        return None
    merged: dict[str, Any] = {}
    for part in parts:
        merged.update({k: v for k, v in part.to_fields().items() if v not in (None, [], {})})
    merged.pop("xiaomi_external_pack", None)
    return merged


class XiaomiProtocol(Protocol):
    """What ``m365`` and ``ninebot`` share: the register plan, the scripts, read-only."""

    family = "xiaomi"
    transports = ("serial", "sim")
    default_baud = 115200
    max_cells = 15
    streaming = False
    fmt: fr.Format = fr.M365
    #: the bus hands the host's own frames back (TX and RX tied, §3.1): the session
    #: must call ``reader.note_sent(frame)`` for every frame it writes
    echo_on_bus = True
    read_only_reason = READ_ONLY_REASON
    #: each scripted read waits this long per try (the family's probes too)
    reply_timeout_s = REPLY_TIMEOUT_S

    def __init__(self, options: Options = DEFAULT_OPTIONS) -> None:
        self.options = options

    def __repr__(self) -> str:
        return f"<Protocol {self.id}>"

    def _bind_options(self, options: Mapping[str, str]) -> Options:
        return Options(
            current_sign=str(options.get("current_sign") or self.options.current_sign).strip(),
            temp_order=str(options.get("temp_order") or self.options.temp_order).strip(),
        )

    def read(self, index: int, nbytes: int) -> bytes:  # pragma: no cover - per framing
        raise NotImplementedError

    def new_reader(self) -> XiaomiFrameReader:
        return XiaomiFrameReader((self.fmt,))

    def decode_all(self, frame: bytes) -> list[Message]:
        return decode_frame(frame, self.fmt, self.options, self.id)

    def decode(self, frame: bytes) -> Message:
        return self.decode_all(frame)[0]

    # --- reads ----------------------------------------------------------------------
    def identify_requests(self) -> list[bytes]:
        return [self.read(*INFO_READ)]

    def poll_requests(self) -> list[bytes]:
        return [self.read(*STATUS_READ), self.read(*CELLS_READ)]

    def poll_script(self) -> Script:
        """Info (full capacity, cycles), status, then cells: one request at a time on the
        half-duplex bus; the cells complete the snapshot the first two start."""
        for (index, n), answers in (
            (INFO_READ, _is_info),
            (STATUS_READ, _is_status),
            (CELLS_READ, _is_cells),
        ):
            yield Step(self.read(index, n), answers, timeout_s=self.reply_timeout_s, retries=RETRIES)

    def settings_requests(self) -> list[bytes]:
        return [self.read(*INFO_READ)]

    def settings_script(
        self, password: str | None, in_write_mode: bool, keys: Iterable[str] | None = None
    ) -> Script:
        """Every setting lives in the info block: one read."""
        reply = yield Step(
            self.read(*INFO_READ), _is_settings, timeout_s=self.reply_timeout_s, retries=RETRIES
        )
        if not isinstance(reply, Settings):
            raise ScriptError(
                f"the BMS did not answer the read of its design values (word {INFO_READ[0]:#04x})"
            )
        return Settings(dict(reply.values), protocol=self.id, partial=False)

    def settings_schema(self) -> list[SettingSpec]:
        return list(SCHEMA)

    # --- read-only: every write is refused in words -----------------------------------
    def encode_write(self, key: str, value: Any) -> bytes:
        raise WriteRefused(READ_ONLY_REASON)

    def write_requests(self, key: str, value: Any, current: Mapping[str, Any] | None = None) -> list[bytes]:
        raise WriteRefused(READ_ONLY_REASON)

    def encode_action(self, name: str) -> bytes:
        raise WriteRefused(READ_ONLY_REASON)

    def encode_calibration(self, kind: str, measured: float) -> bytes:
        raise WriteRefused(READ_ONLY_REASON)

    def encode_remaining_capacity(self, ah: float) -> bytes:
        raise WriteRefused(READ_ONLY_REASON)

    def encode_soc(self, soc_pct: float, now: Any) -> bytes:
        raise WriteRefused(READ_ONLY_REASON)

    def encode_clock(self, now: Any, snapshot: Snapshot | None) -> bytes:
        raise WriteRefused(READ_ONLY_REASON)

    # --- secrets ---------------------------------------------------------------------
    def redact(self, frame: bytes) -> bytes:
        """Frames carrying the ESC's PIN (a write to ESC word 0x17, or the ESC's reply to a
        read of it; CamiAlfa's capture shows it in clear) with it zeroed, checksum fixed."""
        try:
            pkt = fr.parse(frame, self.fmt)
        except DecodeError:
            return frame
        device, direction = route(pkt)
        carries_data = (
            pkt.cmd in (fr.WRITE, fr.WRITE_ACK)
            if direction == "request"
            else pkt.cmd == (fr.READ if self.fmt is fr.M365 else fr.NINEBOT_READ_REPLY)
        )
        secret = [r for r in touched(ESC_ROWS, pkt.index, len(pkt.data)) if r.secret]
        if device != ESC_DEV or not carries_data or not secret:
            return frame
        data = bytearray(pkt.data)
        for row in secret:
            lo = max(0, 2 * (row.index - pkt.index))
            hi = min(len(data), 2 * (row.index - pkt.index) + row.codec.size)
            data[lo:hi] = bytes(hi - lo)
        return fr.build(
            self.fmt, pkt.cmd, pkt.index, bytes(data), addr=pkt.addr or 0, src=pkt.src or 0, dst=pkt.dst or 0
        )

    def detect_variant(self, messages: Iterable[Message]) -> Protocol:
        return self


class M365Protocol(XiaomiProtocol):
    """``55 AA`` frames: the M365 / Pro / 1S internal bus (§3.2).  The BMS is 0x22/0x25
    only: an external pack is addressed in Ninebot frames (0x23 is the ESC's reply
    address here)."""

    id = M365
    name = "Xiaomi M365 scooter BMS"
    fmt = fr.M365

    def bind(self, options: Mapping[str, str]) -> M365Protocol:
        address = _int_option(options, "address")
        if address not in (None, fr.TO_BMS):
            raise ValueError(
                f"address={options.get('address')}: an M365 BMS answers at 0x22 "
                "only; an external pack is read with the ninebot protocol "
                "(address=0x23)"
            )
        opts = self._bind_options(options)
        return self if opts == self.options else M365Protocol(opts)

    def read(self, index: int, nbytes: int) -> bytes:
        return fr.m365_frame(fr.TO_BMS, fr.READ, index, bytes([nbytes]))


class NinebotProtocol(XiaomiProtocol):
    """``5A A5`` frames (§3.3): host 0x3D (the HJ tool's; py9b uses 0x3E) to the internal
    BMS 0x22 or, with ``?address=0x23``, an external pack (a dual-battery adapter)."""

    id = NINEBOT
    name = "Ninebot scooter BMS"
    fmt = fr.NINEBOT

    def __init__(
        self, options: Options = DEFAULT_OPTIONS, bms: int = fr.NB_BMS_INTERNAL, host: int = fr.NB_HOSTS[0]
    ) -> None:
        super().__init__(options)
        self.bms = bms
        self.host = host

    def __repr__(self) -> str:
        return f"<Protocol {self.id} bms {self.bms:#04x}>"

    def bind(self, options: Mapping[str, str]) -> NinebotProtocol:
        bms = _int_option(options, "address")
        host = _int_option(options, "host")
        if bms is not None and bms not in fr.NB_BMS_ADDRESSES:
            raise ValueError(
                f"address={options.get('address')}: a Ninebot BMS answers at 0x22 "
                "(internal) or 0x23 (external pack)"
            )
        if host is not None and host not in fr.NB_HOSTS + (fr.NB_Z10_MASTER,):
            raise ValueError(f"host={options.get('host')}: use 0x3D or 0x3E")
        bms = self.bms if bms is None else bms
        host = self.host if host is None else host
        opts = self._bind_options(options)
        if (opts, bms, host) == (self.options, self.bms, self.host):
            return self
        return NinebotProtocol(opts, bms, host)

    def read(self, index: int, nbytes: int) -> bytes:
        return fr.ninebot_frame(self.host, self.bms, fr.READ, index, bytes([nbytes]))

    def decode_all(self, frame: bytes) -> list[Message]:
        return decode_frame(frame, self.fmt, self.options, self.id, own_bms=self.bms)

    def poll_script(self) -> Script:
        """The pack read as ever, then, reading the internal pack, the external one at 0x23
        (a dual-battery adapter), once: its answers are this script's alone
        (``Step.private``), and it returns them as one part of the next snapshot,
        ``extra["xiaomi_second_pack"]`` (None when no external pack answers)."""
        yield from super().poll_script()
        if self.bms != fr.NB_BMS_INTERNAL:
            return None
        other = NinebotProtocol(self.options, fr.NB_BMS_EXTERNAL, self.host)
        parts: list[Snapshot] = []
        for index, n in (STATUS_READ, INFO_READ, CELLS_READ):
            reply = yield Step(
                other.read(index, n),
                _is_other_pack,
                timeout_s=self.reply_timeout_s,
                retries=0 if not parts else RETRIES,
                private=True,
            )
            if not isinstance(reply, Snapshot):
                break
            parts.append(reply)
        return Snapshot(partial=True, extra={"xiaomi_second_pack": second_pack(parts)})


def probes(link: str) -> list[Probe]:
    """What the session asks on a cable nobody named a protocol for (``Family.probes``):
    the read of the info block (the protocol's identify request, so a ``?host=`` on the
    URL is used) from m365 at 0x22, then ninebot at 0x22 and at 0x23 (an external pack
    alone on the wire); each within the bus's reply time, with one retry (§4 item 8).
    None over Bluetooth: the dashboard's bridge needs authentication (§3.6)."""
    if link != "serial":
        return []
    return [
        Probe(pid, options, None, _is_info, timeout_s=REPLY_TIMEOUT_S, note=note, retries=1)
        for pid, options, note in (
            (M365, {}, "m365"),
            (NINEBOT, {"address": f"{fr.NB_BMS_INTERNAL:#04x}"}, f"ninebot bms {fr.NB_BMS_INTERNAL:#04x}"),
            (NINEBOT, {"address": f"{fr.NB_BMS_EXTERNAL:#04x}"}, f"ninebot bms {fr.NB_BMS_EXTERNAL:#04x}"),
        )
    ]


# aliases: the family's name, and the captures' names (tests/data/xiaomi_frames.json)
M365_PROTOCOL = register(M365Protocol(), "xiaomi", "m365_bms", "m365_serial")
NINEBOT_PROTOCOL = register(NinebotProtocol(), "ninebot_bms", "segway", "ninebot_serial")

from .family import FAMILY  # noqa: E402 - the descriptor points at the protocols above

__all__ = [
    "FAMILY",
    "BLE_NAME_PREFIXES",
    "BLE_NOTIFY",
    "BLE_SERVICE",
    "BLE_WRITE",
    "CELLS_READ",
    "INFO_READ",
    "M365",
    "M365Protocol",
    "M365_PROTOCOL",
    "NINEBOT",
    "NINEBOT_PROTOCOL",
    "NinebotProtocol",
    "READ_ONLY_REASON",
    "probes",
    "STATUS_READ",
    "WriteRefused",
    "XiaomiProtocol",
    "looks_like",
]
