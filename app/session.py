"""DeviceSession: the one object that owns a connection to a board.

It knows protocols and transports, not Qt.  It runs on asyncio: the GUI runs
it on the qasync loop, the CLI with ``asyncio.run``.  Events go out to
subscribers (state changes, snapshots, device info, settings, errors);
commands come in as coroutines.

State machine (design.md):
    disconnected -> connecting -> identifying -> live -> (reconnecting -> identifying -> live)*
    any -> disconnected on close() or when connecting fails
"""

from __future__ import annotations

import asyncio
import enum
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .model import Ack, DeviceInfo, ErrorCounts, Logbook, Message, Secrets, Settings, Snapshot
from .model.url import DeviceUrl, parse_device_url
from .protocols import DecodeError, Protocol, get_protocol
from .protocols.base import PasswordRefused, Script, ScriptError, Step
from .protocols.family import (
    Family,
    Probe,
    default_protocol,
    family_of,
    no_answer_hints,
    probe_families,
    probing_family,
)
from .protocols.family import url_options as family_url_options
from .timing import Timing
from .timing import current as current_timing
from .transports import Transport, TransportError, open_transport, serial_baud

log = logging.getLogger("packbench.session")
rx_log = logging.getLogger("packbench.rx")
tx_log = logging.getLogger("packbench.tx")

#: protocol tried when neither the URL nor the caller names one: the family
#: registry's (a JK board's device-info reply tells its exact variant, jk.md §1.6)
DEFAULT_PROTOCOL = default_protocol()


class State(str, enum.Enum):  # noqa: UP042 - str() and f-strings keep "State.LIVE"
    DISCONNECTED = "disconnected"
    CONNECTING = "connecting"
    IDENTIFYING = "identifying"
    LIVE = "live"
    RECONNECTING = "reconnecting"
    WRITING = "writing"


class SessionError(Exception):
    """Something the user must be told about, in words they can act on."""


class PinError(SessionError):
    """The board's Bluetooth PIN is needed or was wrong (nothing was shown)."""


class BoardPasswordError(SessionError):
    """The board wants its password, or refused the one given (nothing was written)."""


@dataclass(frozen=True)
class Event:
    kind: str  # "state" | "snapshot" | "device_info" | "settings" | "error"
    data: Any = None
    detail: str = ""
    timestamp: float = field(default_factory=time.time)


Listener = Callable[[Event], None]


def _same_option(a: str, b: str) -> bool:
    """Two spellings of one URL option value: ``0x23`` and ``35``, ``P81`` and ``p81``."""
    a, b = str(a).strip().lower(), str(b).strip().lower()
    try:
        return int(a, 0) == int(b, 0)
    except ValueError:
        return a == b


class DeviceSession:
    """A live board (app/source.py's Source): commands and settings writes go to it."""

    #: source.Source: a board takes commands (a log replay does not)
    can_write = True

    def __init__(
        self,
        url: str | DeviceUrl,
        protocol: str | None = None,
        *,
        request_timeout_s: float | None = None,
        silence_timeout_s: float | None = None,
        stream_kick_s: float | None = None,
        reconnect: bool = True,
        backoff_s: tuple[float, ...] | None = None,
        transport_factory: Callable[[DeviceUrl, Protocol], Transport] | None = None,
        pin: str | None = None,
        recover_timeout_s: float | None = None,
        ack_timeout_s: float | None = None,
        poll_interval_s: float | None = None,
        timing: Timing | None = None,
    ) -> None:
        """Every interval not given here comes from ``timing`` (default: app/timing.py's
        ``current()``, the real boards' values unless the test suite asks otherwise)."""
        t = timing or current_timing()
        #: the intervals this session waits on (poll, watchdog, acks, undo gap, step timeouts)
        self.timing = t
        self.url = parse_device_url(url) if isinstance(url, str) else url
        # the families' own URL options (``?host=0x3e``) are Packbench's, not pyserial's
        self.url = self.url.claim(family_url_options())
        #: the Bluetooth PIN the user typed (memory only), checked like the vendor app does
        self._pin = pin
        if protocol:
            self.url = self.url.with_protocol(protocol)
        #: a family the URL names instead of a protocol (``?protocol=daly``): its probes
        #: find which of its protocols the board speaks (Family.probes)
        self._probing: Family | None = probing_family(self.url.protocol)
        self._forced = self.url.protocol is not None and self._probing is None
        if self._probing is not None:
            # the link opens speaking the first probe that fits the URL (its baud rate)
            fitting = self._probes([self._probing])
            self.protocol: Protocol = fitting[0][2] if fitting else self._probing.protocols[0]
        else:
            # bind: per-connection options such as a Modbus slave (?address=2, jk_pb)
            self.protocol = get_protocol(self.url.protocol or DEFAULT_PROTOCOL).bind(self.url.options)
        self.request_timeout_s = t.request_timeout_s if request_timeout_s is None else request_timeout_s
        # jk.md §11: wait about 1 s for the 0xC8 ack
        self.ack_timeout_s = t.ack_timeout_s if ack_timeout_s is None else ack_timeout_s
        #: an ack the board may still send unasked after its last reply
        #: (``Protocol.ack_may_follow``): since when it is owed (None: none), and set when
        #: it came or the board sent something else
        self._ack_owed_at: float | None = None
        self._ack_settled = asyncio.Event()
        #: acks taken as the unasked one after a reply, not as any command's answer
        self.unasked_acks = 0
        self.silence_timeout_s = t.silence_timeout_s if silence_timeout_s is None else silence_timeout_s
        self.stream_kick_s = t.stream_kick_s if stream_kick_s is None else stream_kick_s
        #: seconds between two polls of a polled board (JBD, Daly)
        self.poll_interval_s = t.poll_s if poll_interval_s is None else poll_interval_s
        self.reconnect_enabled = reconnect
        self.backoff_s = t.backoff_s if backoff_s is None else backoff_s
        #: the one bounded reconnection after a dropped link (recover(), close()): how long
        #: it may take before Packbench gives up (0: never try)
        self.recover_timeout_s = t.recover_timeout_s if recover_timeout_s is None else recover_timeout_s
        self._transport_factory = transport_factory or open_transport
        self._listeners: list[Listener] = []
        self.state = State.DISCONNECTED
        self.device_info: DeviceInfo | None = None
        self.settings: Settings | None = None
        #: settings that arrive outside the settings frame (a partial Settings, e.g. the
        #: JK02_32S device-info frame, jk.md §3), merged into every full Settings
        self._settings_extra: dict[str, Any] = {}
        self.last_snapshot: Snapshot | None = None
        self._secrets: Secrets | None = None
        self._transport: Transport | None = None
        self._reader = self.protocol.new_reader()
        self._waiters: dict[str, list[asyncio.Future]] = {}
        self._tasks: set[asyncio.Task] = set()
        self._bus = asyncio.Lock()  # one outstanding request per bus
        self._closing = False
        self._last_rx = 0.0
        self._last_snapshot_t = 0.0
        self.frames_received = 0
        self.snapshots_received = 0
        self.bad_frames = 0
        self._frame_taps: list[Callable[[str, bytes], None]] = []
        #: (accepts, future): scripted steps waiting for the message that answers them
        self._answer_waiters: list[tuple[Callable[[Message], bool], asyncio.Future]] = []
        #: the same for steps whose answer is the script's alone (``Step.private``)
        self._private_waiters: list[tuple[Callable[[Message], bool], asyncio.Future]] = []
        #: frames that leave a mode a script entered (JBD factory mode), sent when the
        #: script is abandoned, on close, and first thing after a reconnect
        self._undo: tuple[bytes, ...] = ()
        self._in_write_mode = False
        #: the protocol as it serves the write in progress (``Protocol.scoped``): its open
        #: and close scripts; None before the first write (then ``protocol`` itself)
        self._write_protocol: Protocol | None = None
        #: a board-checked password (JBD) that the board accepted: memory only
        self._board_password: str | None = None
        self._pending_snapshot: Snapshot | None = None
        self.error_counts: ErrorCounts | None = None
        #: why the frames do not fit a protocol the user forced (None: they fit, or
        #: nothing was forced); while set, writes are refused.  Found anew per link.
        self.misfit: str | None = None
        self._undecodable_run = 0
        #: what the protocol's snapshot notices said already (each is logged once)
        self._notices: set[str] = set()

    # --- subscribers -------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def add_frame_tap(self, tap: Callable[[str, bytes], None]) -> Callable[[], None]:
        """Call ``tap(direction, frame)`` for every frame: "rx" for each complete frame
        received (just before it is decoded, with ``self.protocol`` the protocol
        that decodes it) and "tx" for each frame sent.  For raw captures
        (services/recorder.py).  Returns a function that removes the tap."""
        self._frame_taps.append(tap)
        return lambda: self._frame_taps.remove(tap) if tap in self._frame_taps else None

    def _tap(self, direction: str, data: bytes) -> None:
        for tap in list(self._frame_taps):
            try:
                tap(direction, data)
            except Exception:  # noqa: BLE001 - a broken tap must not kill the link
                log.exception("frame tap failed")

    def _emit(self, kind: str, data: Any = None, detail: str = "") -> None:
        event = Event(kind, data, detail)
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # noqa: BLE001 - a broken subscriber must not kill the link
                log.exception("session listener failed on %s", kind)

    def _set_state(self, state: State, detail: str = "") -> None:
        if state == self.state and not detail:
            return
        self.state = state
        log.info("state %s %s", state.value, detail)
        self._emit("state", state, detail)

    @property
    def description(self) -> str:
        return self.url.redacted

    @property
    def has_default_password(self) -> bool | None:
        if self._secrets is None or self._secrets.setup_password is None:
            return None
        return self._secrets.setup_password in self.protocol.default_passwords

    # --- connect / close ---------------------------------------------------------------
    async def connect(self) -> None:
        """Open the link, identify the board and start live data.

        Raises SessionError (state back to disconnected) when that fails.
        """
        if self.state not in (State.DISCONNECTED,):
            raise SessionError("already connected; disconnect first")
        self._closing = False
        self._set_state(State.CONNECTING, self.url.redacted)
        try:
            await self._open_and_identify()
        except (SessionError, TransportError) as exc:
            await self._drop_transport()
            self._set_state(State.DISCONNECTED, str(exc))
            self._emit("error", str(exc))
            raise SessionError(str(exc)) from exc
        except asyncio.CancelledError:
            await self._drop_transport()
            self._set_state(State.DISCONNECTED, "cancelled")
            raise
        self._go_live()

    def _go_live(self, detail: str = "") -> None:
        self._set_state(State.LIVE, detail)
        self._spawn(self._watchdog(), "watchdog")
        if not self.protocol.streaming:
            self._spawn(self._poller(), "poller")

    @property
    def connected(self) -> bool:
        """The link is up and the board identified (live or writing)."""
        return self._transport is not None and self.state in (State.LIVE, State.WRITING)

    @property
    def has_write_mode(self) -> bool:
        """The board takes writes only inside a mode it stores on leaving (JBD factory mode),
        for the write in progress (or the last one)."""
        return (self._write_protocol or self.protocol).close_write_script(True) is not None

    @property
    def in_write_mode(self) -> bool:
        """Inside that mode now; False again once it was left, or lost with the link."""
        return self._in_write_mode

    def _reconnecting(self) -> bool:
        return any(t.get_name() == "session-reconnect" and not t.done() for t in self._tasks)

    async def recover(self) -> bool:
        """After a dropped link: connect once more (bounded by ``recover_timeout_s``), so the
        board can be read back.  The new connection first leaves any write mode without
        saving, like every connection.  True when live again (or never lost)."""
        if self.connected and not self._reconnecting():
            return True
        if self._closing or self.recover_timeout_s <= 0:
            return False
        end = time.monotonic() + self.recover_timeout_s
        # the session is handling the loss already (it reconnects on its own in the GUI,
        # or is about to give up): let that settle first
        while self._reconnecting() and time.monotonic() < end:
            await asyncio.sleep(0.05)
        if self.connected:
            return True
        if self._reconnecting() or self._closing or time.monotonic() >= end:
            return False
        self._set_state(State.CONNECTING, "reconnecting once to read the board back")
        try:
            await asyncio.wait_for(self._open_and_identify(), end - time.monotonic())
        except (TimeoutError, SessionError, TransportError, OSError) as exc:
            await self._drop_transport()
            self._set_state(State.DISCONNECTED, f"could not reconnect: {exc or 'timed out'}")
            return False
        self._go_live("reconnected")
        return True

    async def close(self) -> None:
        self._closing = True
        tasks = [t for t in self._tasks if t is not asyncio.current_task()]
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks.clear()
        await self._send_undo()
        if self._undo and self._transport is None and self.recover_timeout_s > 0:
            # the link dropped inside a mode (JBD factory mode): reconnect once, briefly,
            # only to leave it, so the board is not left there when Packbench exits
            await self._deliver_undo()
        self._in_write_mode = False
        await self._drop_transport()
        self._fail_waiters(SessionError("disconnected"))
        if self.state != State.DISCONNECTED:
            self._set_state(State.DISCONNECTED)

    async def __aenter__(self) -> DeviceSession:
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _spawn(self, coro: Any, name: str) -> asyncio.Task:
        task = asyncio.create_task(coro, name=f"session-{name}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _open_link(self) -> None:
        self._reader = self.protocol.new_reader()
        self.misfit = None
        self._undecodable_run = 0
        transport = self._transport_factory(self.url, self.protocol)
        # a link that is gone already (replaced after a drop) loses nothing any more
        await transport.open(
            self._on_data, lambda exc: self._on_lost(exc) if self._transport is transport else None
        )
        self._transport = transport
        self._last_rx = time.monotonic()

    async def _drop_transport(self) -> None:
        transport, self._transport = self._transport, None
        if transport is not None:
            try:
                await transport.close()
            except Exception:  # noqa: BLE001
                log.exception("closing transport")

    async def _deliver_undo(self) -> None:
        try:
            await asyncio.wait_for(self._open_link(), self.recover_timeout_s)
            await self._send_recovery()
        except (TimeoutError, SessionError, TransportError, OSError) as exc:
            log.warning("could not reconnect to leave the board's write mode: %s", exc)

    async def _send_recovery(self) -> None:
        """First thing on every connection: leave a write mode anything may have left the
        board in, without saving (the protocol's recovery frames, and any undo frames
        still pending from a dropped link)."""
        pending = self._undo
        self._undo = tuple(pending) + tuple(f for f in self.protocol.recovery_requests() if f not in pending)
        await self._send_undo()
        if self._undo:  # not sent: only what a script really left open stays pending
            self._undo = pending

    def _check_transport(self) -> None:
        """A protocol asked for over a transport it does not have (a Bluetooth scan found
        a board its family reads by cable): say why, in its family's words."""
        kinds = self.protocol.transports
        if (
            not (self._forced or self._probing)
            or not kinds
            or self.url.scheme in kinds
            or self.url.scheme == "sim"
        ):
            return
        fam = family_of(self.protocol)
        note = fam.transport_note if fam is not None and fam.transport_note else ""
        raise SessionError(
            f"{self.url.redacted}: {self.protocol.name} is not read over "
            f"{self.url.scheme}" + (f". {note}" if note else ".")
        )

    async def _open_and_identify(self) -> None:
        self._check_transport()
        await self._open_link()
        await self._send_recovery()
        self._set_state(State.IDENTIFYING)
        await self._identify()
        self._check_pin()
        await self._start_live()

    async def _unlock(self) -> None:
        """A Bluetooth module that ignores the board's frames until it is logged in
        (JBD's newer dongles, jbd_daly.md §1.3): log in with the PIN, once."""
        if self.url.scheme != "ble":
            return
        script = self.protocol.unlock_script(self._pin, self.url.target)
        if script is None:
            return
        try:
            await self.run_script(script)
            await self._send_recovery()  # the module passed nothing to the board before
        except BoardPasswordError as exc:
            raise PinError(str(exc)) from None
        except (SessionError, ValueError) as exc:
            log.info("Bluetooth-module login: %s", exc)

    def _check_pin(self) -> None:
        """Over Bluetooth the vendor app asks for the board's connect PIN (JK sends it in
        device info, jk.md §6): Packbench asks too, before any live data is shown."""
        if self.url.scheme != "ble" or self._secrets is None or not self._secrets.connect_pin:
            return
        if not self._pin:
            raise PinError(
                "this board asks for its Bluetooth PIN before it shows data, as the "
                "vendor app does (factory PIN 1234)"
            )
        if self._pin != self._secrets.connect_pin:
            raise PinError("wrong Bluetooth PIN: the board was not opened")

    async def _identify(self) -> None:
        """Ask the board who it is.  A URL naming a family (``?protocol=daly``) first lets
        its probes find which protocol; on a cable with "Automatic", when the default
        protocol gets no answer, every family with probes (``Family.probes``) asks."""
        if self._probing is not None:
            tried = await self._find_protocol([self._probing])
            if tried is not None:
                asked = "; ".join(tried) or "none fits the URL's options"
                raise SessionError(
                    f"{self.url.redacted}: the board answered none of the questions "
                    f"Packbench asks ({asked}). Check the wiring and the baud rate"
                )
        try:
            await self._identify_as()
        except PinError:
            raise  # the board answered: it wants its PIN, not another protocol
        except SessionError as exc:
            others = [f for f in probe_families() if f is not self._probing]
            if self._forced or self._probing is not None or self.url.scheme != "serial" or not others:
                raise
            log.info("%s; asking the families that can find their protocol", exc)
            tried = await self._find_protocol(others)
            if tried is not None:
                if not tried:
                    raise
                raise SessionError(f"{exc} Packbench also tried {'; '.join(tried)}.") from None
            await self._identify_as()

    def _probes(self, families: Sequence[Family]) -> list[tuple[Probe, dict[str, str], Protocol]]:
        """The families' probes for this link, each with the URL options it runs with (the
        URL's and its own) and its protocol bound to them.  The user's own URL options win:
        a probe they rule out (another address, variant or baud rate) is left out, as is
        one whose protocol refuses them (m365 has no address 0x23), or a repeat."""
        link = "ble" if self.url.scheme == "ble" else "serial"
        out: list[tuple[Probe, dict[str, str], Protocol]] = []
        seen: set[tuple] = set()
        for fam in families:
            for probe in fam.probes(link) if fam.probes else ():
                if any(
                    k in self.url.options and not _same_option(self.url.options[k], v)
                    for k, v in probe.options.items()
                ):
                    continue  # the URL rules it out
                options = {**self.url.options, **probe.options}
                key = (probe.protocol, tuple(sorted(options.items())), probe.request)
                if key in seen:
                    continue
                try:
                    protocol = get_protocol(probe.protocol).bind(options)
                except ValueError:
                    continue  # the URL's options rule this protocol out
                seen.add(key)
                out.append((probe, options, protocol))
        return out

    async def _find_protocol(self, families: Sequence[Family]) -> list[str] | None:
        """Ask each family's probes in turn; the first answer sets the protocol and its
        options (an A5 host address, a baud rate) and None is returned; a probe at another
        baud rate reopens the cable at it.  When none answers: the questions asked, in
        words, with the URL and the protocol as they were before."""
        url, first, tried = self.url, self.protocol, []
        for probe, options, protocol in self._probes(families):
            self.url = DeviceUrl(url.scheme, url.target, options, url.text)
            await self._use_protocol(protocol)
            # the probe's own request, or the bound protocol's identification (?host=…)
            frames = [probe.request] if probe.request is not None else protocol.identify_requests()
            async with self._bus:
                await self._send_all(frames[:-1])
                reply = await self._exchange(
                    Step(frames[-1], probe.accepts, probe.timeout_s, retries=probe.retries)
                )
            if reply is not None:
                log.info("the board answered %s (%s)", protocol.id, probe.note or dict(probe.options))
                return None
            tried.append(probe.note or protocol.id)
        self.url = url
        await self._use_protocol(first)
        return tried

    async def _use_protocol(self, protocol: Protocol) -> None:
        """Speak ``protocol`` on this link from now on (the cable reopened at the baud rate
        the URL and ``protocol`` ask for, when that differs)."""
        self.protocol = protocol
        await self._relink_for(protocol)
        self._reader = protocol.new_reader()

    async def _relink_for(self, protocol: Protocol) -> None:
        """Reopen a serial cable whose baud rate is not the one the URL and ``protocol``
        ask for (a probe at another speed); other links stay as they are."""
        current = getattr(self._transport, "baudrate", None)
        if self.url.scheme != "serial" or current is None:
            return
        wanted = serial_baud(self.url, protocol)
        if wanted != current:
            log.info("reopening %s at %d baud", self.url.redacted, wanted)
            await self._drop_transport()
            await self._open_link()

    async def _identify_as(self) -> None:
        """Identify the board with the protocol chosen now (its script, or its requests)."""
        script = self.protocol.identify_script()
        if script is not None:
            try:
                info = await self.run_script(script)
            except SessionError as exc:
                hints = no_answer_hints(self.protocol, self._forced)
                where = "" if str(exc).startswith(str(self.url.redacted)) else f"{self.url.redacted}: "
                raise SessionError(
                    f"{where}{exc} ({self.protocol.name})" + (f"; {hints}" if hints else ".")
                ) from None
            if isinstance(info, Message):
                self._handle(info, b"")
            return
        last: Exception | None = None
        for attempt in range(3):
            try:
                await self._request(self.protocol.identify_requests(), "device_info")
                break
            except TimeoutError as exc:
                last = exc
                wake = self.protocol.wake_requests()
                if wake and attempt < 2:
                    # the board may be asleep: wake it, then ask again (JK 4E57 activation
                    # command, jk.md §7.1), keeping the protocol's gap between packets
                    log.info("no answer: sending the wake-up command before trying again")
                    await self._send_all(wake)
                    await asyncio.sleep(max(self.protocol.write_gap_s, 0.1))
                if attempt == 0:
                    await self._unlock()
        else:
            hints = no_answer_hints(self.protocol, self._forced or self._probing)
            raise SessionError(
                f"{self.url.redacted}: the board did not answer. Check the wiring, the baud rate and "
                f"the protocol ({self.protocol.name})" + (f"; {hints}" if hints else ".")
            ) from last

    async def _start_live(self) -> None:
        if not self.protocol.streaming:
            return
        for _attempt in range(3):
            fut = self._waiter("snapshot")
            await self._send_all(self.protocol.start_requests())
            try:
                # boards stream every 0.5–1 s: give the first frame time to come
                await asyncio.wait_for(fut, max(self.request_timeout_s, self.timing.first_frame_s))
                self._last_snapshot_t = time.monotonic()
                return
            except TimeoutError:
                continue
        raise SessionError(f"{self.url.redacted}: the board answered but sends no live data")

    # --- requests -------------------------------------------------------------------------
    def _waiter(self, kind: str) -> asyncio.Future:
        fut = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(kind, []).append(fut)
        return fut

    def _resolve(self, kind: str, value: Any) -> None:
        for fut in self._waiters.pop(kind, []):
            if not fut.done():
                fut.set_result(value)

    def _fail_waiters(self, exc: Exception) -> None:
        for _accepts, fut in self._answer_waiters + self._private_waiters:
            if not fut.done():
                fut.set_exception(exc)
                fut.exception()
        self._answer_waiters.clear()
        self._private_waiters.clear()
        for futs in self._waiters.values():
            for fut in futs:
                if not fut.done():
                    fut.set_exception(exc)
                    fut.exception()  # mark retrieved
        self._waiters.clear()

    async def _send_all(self, frames: list[bytes]) -> None:
        if self._transport is None:
            raise SessionError("not connected")
        for data in frames:
            if tx_log.isEnabledFor(logging.DEBUG):  # secrets blanked (vocabulary.md)
                tx_log.debug("%s", self.protocol.redact(data).hex(" "))
            if self._frame_taps:
                self._tap("tx", data)
            if self.protocol.echo_on_bus:  # TX and RX tied: this frame comes straight back
                self._reader.note_sent(data)
            try:
                await self._transport.write(data)
            except TransportError as exc:
                self._on_lost(exc)  # a write that fails means the link is gone: say so now
                raise

    async def _request(self, frames: list[bytes], expect: str, timeout: float | None = None) -> Any:
        async with self._bus:
            fut = self._waiter(expect)
            await self._send_all(frames)
            return await asyncio.wait_for(fut, timeout or self.request_timeout_s)

    async def refresh_settings(self, keys: Sequence[str] | None = None) -> Settings:
        """Ask the board for its settings now and return them.

        ``keys``: only these are needed (the read-back after one write); families
        that read register by register (JBD) then read just those, the rest as
        last read."""
        if self.state not in (State.LIVE, State.WRITING):
            raise SessionError("not connected")
        script = self.protocol.settings_script(
            self._board_password,
            self._in_write_mode,
            keys=keys if keys is not None and self.settings is not None else None,
        )
        if script is not None:
            settings = await self.run_script(script)
            self._handle(settings, b"")
            return self.settings or settings
        try:
            return await self._request(self.protocol.settings_requests(), "settings")
        except TimeoutError:
            raise SessionError("the board did not send its settings") from None

    def remember_board_password(self, password: str | None) -> None:
        """A password only the board can check (JBD), for the next settings read (memory only)."""
        if self.protocol.password_check == "board":
            self._board_password = password or None

    # --- scripted exchanges (protocols/base.py Step) ----------------------------------------
    async def run_script(self, script: Script) -> Any:
        """Drive a protocol's scripted exchange on one hold of the bus.

        Raises BoardPasswordError / SessionError in words.  Whatever way the
        script ends, a mode it entered and did not leave is left (its undo
        frames), so a JBD board is never stranded in factory mode.
        """
        if self._transport is None:
            raise SessionError("not connected")
        async with self._bus:
            return await self._drive(script)

    async def _drive(self, script: Script) -> Any:
        ok = False
        try:
            reply: Message | None = None
            step = script.send(None)
            while True:
                reply = await self._exchange(step)
                step = script.send(reply)
        except StopIteration as stop:
            ok = True
            return stop.value
        except PasswordRefused as exc:
            raise BoardPasswordError(str(exc)) from None
        except ScriptError as exc:
            raise SessionError(str(exc)) from None
        except TransportError as exc:
            raise SessionError(str(exc)) from exc
        finally:
            script.close()
            if not ok and not self._in_write_mode:
                await self._send_undo()

    def step_timeout(self, step: Step) -> float:
        """How long the session waits for one try of ``step``: its timeout times the
        timing's scale, never shortened below the timing's floor (app/timing.py)."""
        t = self.timing
        return max(step.timeout_s * t.step_timeout_scale, min(step.timeout_s, t.step_timeout_min_s))

    async def _exchange(self, step: Step) -> Message | None:
        waiters = self._private_waiters if step.private else self._answer_waiters
        for _attempt in range(step.retries + 1):
            fut = asyncio.get_running_loop().create_future()
            entry = (step.answers, fut)
            waiters.append(entry)
            try:
                await self._send_all([step.frame])
                if step.undo is not None:
                    self._undo = step.undo
                try:
                    return await asyncio.wait_for(fut, self.step_timeout(step))
                except TimeoutError:
                    continue
            finally:
                if entry in waiters:
                    waiters.remove(entry)
        return None

    async def _send_undo(self) -> None:
        """Send the undo frames of a mode left open; they stay pending if the link is down."""
        frames, self._undo = self._undo, ()
        if not frames:
            return
        if self._transport is None:
            self._undo = frames
            return
        try:
            for frame in frames:
                await self._send_all([frame])
                await asyncio.sleep(self.timing.undo_gap_s)
        except (TransportError, SessionError):
            self._undo = frames  # sent again right after the next reconnect
        else:
            log.info("sent the %d frame(s) that leave the board's write mode", len(frames))

    async def open_write_mode(self, password: str | None = None, scope: Sequence[str] | None = None) -> None:
        """Put the board where it accepts writes (JBD: factory mode); state WRITING.

        ``scope``: what this write is for, setting keys and capabilities (``action:restart``
        …), so a family can ask for the password level or the save it needs
        (``Protocol.scoped``).  Raises BoardPasswordError when the board refuses the
        password (or wants one).
        """
        self.begin_writing()
        self._write_protocol = self.protocol.scoped(frozenset(scope)) if scope is not None else self.protocol
        script = self._write_protocol.open_write_script(password)
        if script is None:
            return
        try:
            await self.run_script(script)
        except BaseException:
            self.end_writing()
            raise
        self._in_write_mode = True
        if self.protocol.password_check == "board":
            self._board_password = password or None

    async def close_write_mode(self, save: bool = True) -> None:
        """Leave write mode, storing the writes when ``save`` (JBD: 0x2828 or 0x0000)."""
        try:
            if self._in_write_mode:
                script = (self._write_protocol or self.protocol).close_write_script(save)
                self._in_write_mode = False
                if script is not None:
                    try:
                        await self.run_script(script)
                    finally:
                        if self._undo:  # the exit was not confirmed: try once more, discarding
                            await self._send_undo()
        finally:
            self.end_writing()

    async def read_error_counts(self) -> ErrorCounts:
        """How often each protection tripped (JBD 0xAA), for families that count."""
        requests = self.protocol.error_counts_requests()
        if not requests:
            raise SessionError(f"{self.protocol.name} keeps no error counters that Packbench can read")
        try:
            return await self._request(requests, "error_counts")
        except TimeoutError:
            raise SessionError("the board did not send its error counters") from None

    async def read_setting(self, key: str) -> Any:
        """Ask the board for one setting alone (JK 4E57 read-one, jk.md §7.2) and return
        its value; the session's settings are updated with it."""
        requests = self.protocol.read_requests(key)
        if not requests:
            raise SessionError(f"{self.protocol.name} cannot read one setting alone")
        if self.state not in (State.LIVE, State.WRITING):
            raise SessionError("not connected")
        async with self._bus:
            fut = self._waiter("partial_settings")
            await self._send_all(requests)
            end = time.monotonic() + self.request_timeout_s
            while True:
                try:
                    got = await asyncio.wait_for(fut, max(0.05, end - time.monotonic()))
                except TimeoutError:
                    raise SessionError(f"the board did not send {key}") from None
                if key in got.values:
                    return got.values[key]
                fut = self._waiter("partial_settings")  # another partial: keep waiting

    async def read_logbook(self) -> Logbook:
        """The board's history of alarms and boots (families that keep one)."""
        requests = self.protocol.logbook_requests()
        if not requests:
            raise SessionError(f"{self.protocol.name} keeps no logbook that Packbench can read")
        if self.state not in (State.LIVE, State.WRITING):
            raise SessionError("not connected")
        try:
            return await self._request(requests, "logbook")
        except TimeoutError:
            raise SessionError("the board did not send its logbook") from None

    async def next_snapshot(self, timeout: float | None = None) -> Snapshot:
        fut = self._waiter("snapshot")
        return await asyncio.wait_for(fut, timeout or self.silence_timeout_s)

    @property
    def knows_password(self) -> bool:
        """True when the board told us its setup password (JK sends it in clear)."""
        return bool(self._secrets and self._secrets.setup_password)

    async def write_setting(self, key: str, value: Any, timeout: float | None = None) -> Ack | None:
        """Send one write and wait for the board's acknowledgement.

        Returns the Ack, or None when the board did not acknowledge in time
        (JK boards stay silent on a refused write).  Raises ValueError/KeyError
        for a value the protocol cannot encode and SessionError when the link
        is gone.  Used by the write transaction (services/writer.py), which
        reads every value back: an ack alone proves nothing.
        """
        self._refuse_if_read_only()
        # some writes are several frames (JK 4E57: pair, ~100 ms, write) or carry
        # other values along (JK-PB control flags): the protocol says which
        current = self.settings.values if self.settings is not None else None
        frames = self.protocol.write_requests(key, value, current)
        return await self.send_expecting_ack(frames[-1], timeout, before=frames[:-1])

    async def send_expecting_ack(
        self, frame: bytes, timeout: float | None = None, *, before: Sequence[bytes] = ()
    ) -> Ack | None:
        """Send one command frame and wait for the board's acknowledgement (None: none came).

        ``before``: frames sent first, each followed by the protocol's
        ``write_gap_s``, on the same hold of the bus; only the ack to ``frame`` counts.
        """
        self._refuse_if_read_only()
        if self._transport is None:
            raise SessionError("not connected")
        self._refuse_if_misfit()
        protocol = self.protocol

        def answers(message: Message) -> bool:  # a refusal answers too (ok False)
            return isinstance(message, Ack) and (not message.ok or protocol.acknowledges(frame, message))

        async with self._bus:
            await self._let_owed_ack_arrive()
            fut = asyncio.get_running_loop().create_future()
            entry = (answers, fut)
            try:
                for pre in before:
                    await self._send_all([pre])
                    await asyncio.sleep(self.protocol.write_gap_s)
                if not protocol.acknowledges_writes:
                    await self._send_all([frame])
                    return None  # the board answers nothing: the read-back tells
                self._answer_waiters.append(entry)
                await self._send_all([frame])
            except TransportError as exc:
                raise SessionError(str(exc)) from exc
            try:
                ack = await asyncio.wait_for(fut, timeout or self.ack_timeout_s)
            except TimeoutError:
                return None
            finally:
                if entry in self._answer_waiters:
                    self._answer_waiters.remove(entry)
            return ack if ack.ok else None

    async def run_action(self, name: str, timeout: float | None = None) -> Ack | None:
        """Send a board action (e.g. ``preset_lifepo4``); the Ack, or None without one."""
        self._refuse_if_read_only()
        return await self.send_expecting_ack(self.protocol.encode_action(name), timeout)

    async def calibrate(self, kind: str, measured: float, timeout: float | None = None) -> Ack | None:
        """Tell the board the value a meter measured ("voltage" in V, "current" in A)."""
        self._refuse_if_read_only()
        return await self.send_expecting_ack(self.protocol.encode_calibration(kind, measured), timeout)

    async def set_emergency(self, on: bool, timeout: float | None = None) -> Ack | None:
        """Start or stop the board's emergency mode; the Ack, or None without one."""
        self._refuse_if_read_only()
        return await self.send_expecting_ack(self.protocol.encode_emergency(on), timeout)

    async def set_soc(self, pct: float, timeout: float | None = None) -> Ack | None:
        """Tell the board its state of charge, in %; the Ack, or None without one."""
        self._refuse_if_read_only()
        return await self.send_expecting_ack(self.protocol.encode_soc(pct, datetime.now()), timeout)

    async def set_clock(self, when: datetime, timeout: float | None = None) -> Ack | None:
        """Set the board's clock; the Ack, or None without one."""
        self._refuse_if_read_only()
        return await self.send_expecting_ack(self.protocol.encode_clock(when, self.last_snapshot), timeout)

    async def set_remaining_capacity(self, ah: float, timeout: float | None = None) -> Ack | None:
        """Tell the board how much charge the pack holds now, in Ah (inside write mode
        where the family has one); the Ack, or None without one."""
        self._refuse_if_read_only()
        return await self.send_expecting_ack(self.protocol.encode_remaining_capacity(ah), timeout)

    def begin_writing(self) -> None:
        self._refuse_if_read_only()
        if self.state != State.LIVE:
            raise SessionError(f"cannot write while {self.state.value}")
        self._refuse_if_misfit()
        self._set_state(State.WRITING)

    def end_writing(self) -> None:
        if self.state == State.WRITING:
            self._set_state(State.LIVE)

    def check_setup_password(self, password: str) -> bool:
        """True when ``password`` matches what the board reported (kept in memory only)."""
        return bool(
            self._secrets
            and self._secrets.setup_password is not None
            and password == self._secrets.setup_password
        )

    # --- incoming --------------------------------------------------------------------------
    def _on_data(self, data: bytes) -> None:
        if not data:
            return
        self._last_rx = time.monotonic()
        for frame in self._reader.feed(data):
            self.frames_received += 1
            if rx_log.isEnabledFor(logging.DEBUG):  # whole frames, secrets blanked (vocabulary.md)
                rx_log.debug("%s", self.protocol.redact(frame.data).hex(" "))
            if not self._forced:
                found = self.protocol.refine(frame.data)
                if found is not self.protocol:
                    log.info("frames show the board speaks %s", found.id)
                    self.protocol = found
            if self._frame_taps:
                self._tap("rx", frame.data)
            try:
                messages = self.protocol.decode_all(frame.data)
            except DecodeError as exc:
                self.bad_frames += 1
                log.warning("undecodable frame: %s", exc)
                self._check_fit(frame.data, None, exc)
                continue
            self._check_fit(frame.data, messages)
            for message in messages:
                if self._is_owed_ack(message):
                    continue  # the board's own ack after its reply: it answers no command
                if self._answer(message, self._private_waiters):
                    continue  # another board's answer on the same bus, for a script alone
                if not (isinstance(message, Snapshot) and self.protocol.snapshot_from_poll_script):
                    # (a part of a poll cycle: only the script's result is a snapshot)
                    self._handle(message, frame.data, bundled=len(messages) > 1)
                self._answer(message)

    #: frames in a row that a forced protocol cannot decode before they count as not fitting
    UNDECODABLE_RUN = 3

    def _check_fit(
        self, frame: bytes, messages: list[Message] | None, error: Exception | None = None
    ) -> None:
        """A forced protocol whose frames do not fit the board (``Protocol.misfit``, or
        frames in a row it cannot decode): say so once and refuse writes from now on."""
        if not self._forced or self.misfit is not None:
            return
        if messages is None:
            self._undecodable_run += 1
            if self._undecodable_run < self.UNDECODABLE_RUN:
                return
            why = f"{self._undecodable_run} frames in a row do not decode ({error})"
        else:
            self._undecodable_run = 0
            why = self.protocol.misfit(frame, messages)
            if why is None:
                return
        self.misfit = f"the frames do not fit the forced protocol {self.protocol.id}; {why}"
        log.info("%s", self.misfit)
        self._set_state(self.state, self.misfit)  # the status bar and `packbench read` say it

    def _refuse_if_read_only(self) -> None:
        """Boards of a read-only protocol (``Protocol.read_only_reason``) get no write."""
        if self.protocol.read_only_reason:
            raise SessionError(self.protocol.read_only_reason)

    def _refuse_if_misfit(self) -> None:
        if self.misfit is not None:
            raise SessionError(
                f"{self.misfit}; writes are refused (connect without forcing a "
                "protocol, or force the one the board speaks)"
            )

    def _is_owed_ack(self, message: Message) -> bool:
        """True when ``message`` is the ack a board sends unasked after a reply
        (``Protocol.ack_may_follow``); otherwise note whether such an ack is owed now.
        The board sends its bytes in order, so anything else it sends first means that
        none follows this time."""
        owed = self._ack_owed_at is not None
        if owed and isinstance(message, Ack) and message.ok:
            self._settle_owed_ack()
            self.unasked_acks += 1
            return True
        if self.protocol.ack_may_follow(message):
            self._ack_owed_at = time.monotonic()
            self._ack_settled.clear()
        elif owed:
            self._settle_owed_ack()
        return False

    def _settle_owed_ack(self) -> None:
        self._ack_owed_at = None
        self._ack_settled.set()

    async def _let_owed_ack_arrive(self) -> None:
        """Before a command that waits for its ack: the ack a board may still owe for its
        last reply arrives first, waiting at most ``Timing.trailing_ack_s`` after that
        reply.  Should it come later still (a busy machine), it is still owed: the board
        sends it before its answer to this command, so ``_is_owed_ack`` sets it aside all
        the same; a board that sends none streams a frame first, which settles it."""
        if self._ack_owed_at is None:
            return
        left = self._ack_owed_at + self.timing.trailing_ack_s - time.monotonic()
        if left > 0:
            try:
                await asyncio.wait_for(self._ack_settled.wait(), left)
            except TimeoutError:
                pass

    def _answer(self, message: Message, waiters: list | None = None) -> bool:
        """Hand ``message`` to the first scripted step waiting for it (True: one took it)."""
        waiters = self._answer_waiters if waiters is None else waiters
        for accepts, fut in list(waiters):
            if not fut.done() and accepts(message):
                fut.set_result(message)
                waiters.remove((accepts, fut))
                return True
        return False

    def _handle(self, message: Message, raw: bytes, bundled: bool = False) -> None:
        """``bundled``: one of several messages in one frame (a JK 4E57 read-all
        reply, every second): its settings and device info are announced again
        only when they changed or a request waits for them."""
        if isinstance(message, Snapshot) and message.partial:
            # one part of a set (JBD 0x03 before 0x04): held for the next complete part
            self._pending_snapshot = _merge(self._pending_snapshot, message)
            return
        if isinstance(message, Snapshot):
            if self._pending_snapshot is not None:
                message = _merge(self._pending_snapshot, message)
                message.partial = False
                self._pending_snapshot = None
            message.derive()
            for notice in self.protocol.snapshot_notices(message):
                if notice not in self._notices:  # said once per session (Protocol.snapshot_notices)
                    self._notices.add(notice)
                    log.warning("%s", notice)
            self.last_snapshot = message
            self.snapshots_received += 1
            self._last_snapshot_t = time.monotonic()
            self._resolve("snapshot", message)
            self._emit("snapshot", message)
        elif isinstance(message, DeviceInfo):
            if message.partial:
                message = _merge(self.device_info or DeviceInfo(), message)
                message.partial = False
                bundled = True  # announced only when it changed or a request waits
            secrets = self.protocol.extract_secrets(raw)
            if secrets is not None:
                self._secrets = secrets
            if not self._forced:
                found = self.protocol.detect_variant([message])
                if found is not self.protocol:
                    log.info("board speaks %s", found.id)
                    self.protocol = found
            message.protocol = self.protocol.id
            repeat = bundled and message == self.device_info and not self._waiters.get("device_info")
            self.device_info = message
            self._resolve("device_info", message)
            if not repeat:
                self._emit("device_info", message)
        elif isinstance(message, Settings):
            if message.partial:
                # a few keys only: merged into the last full settings, never replacing
                # them; it answers no settings request (the full settings frame follows
                # it), only a read of one setting (read_setting)
                self._settings_extra.update(message.values)
                self._resolve("partial_settings", message)
                if self.settings is not None:
                    merged = Settings(
                        values={**self.settings.values, **self._settings_extra},
                        protocol=self.settings.protocol,
                    )
                    if merged != self.settings:
                        self.settings = merged
                        self._emit("settings", merged)
                return
            if self._settings_extra:
                # what the full frame carries is newest; the extras fill only the keys it
                # lacks (JK02_32S: the device-info-frame settings)
                for key in message.values:
                    self._settings_extra.pop(key, None)
                message = Settings(
                    values={**message.values, **self._settings_extra}, protocol=message.protocol
                )
            repeat = bundled and message == self.settings and not self._waiters.get("settings")
            self.settings = message
            self._resolve("settings", message)
            if not repeat:
                self._emit("settings", message)
        elif isinstance(message, Ack):
            # the command waiting for it takes it through _answer (send_expecting_ack)
            if not message.ok:  # a refusal in words (a Modbus exception): tell the user
                self._emit("error", message.detail or "the board refused the request")
        elif isinstance(message, Logbook):
            self._resolve("logbook", message)
            self._emit("logbook", message)
        elif isinstance(message, ErrorCounts):
            self.error_counts = message
            self._resolve("error_counts", message)
            self._emit("error_counts", message)
        # commands (our own echo on a looped-back bus) and logbooks: nothing yet

    def _on_lost(self, exc: Exception | None) -> None:
        if self._closing or self.state in (State.DISCONNECTED, State.RECONNECTING):
            return
        reason = str(exc) if exc else "the link was lost"
        self._emit("error", reason)
        if self.state in (State.LIVE, State.WRITING):
            self._spawn(self._reconnect(reason), "reconnect")

    # --- supervision --------------------------------------------------------------------------
    async def _watchdog(self) -> None:
        while True:
            await asyncio.sleep(self.timing.watchdog_s)
            if self.state not in (State.LIVE, State.WRITING):
                continue
            now = time.monotonic()
            if now - self._last_rx > self.silence_timeout_s:
                self._spawn(
                    self._reconnect(f"the board has been silent for {self.silence_timeout_s:.0f} s"),
                    "reconnect",
                )
                return
            if (
                self.protocol.streaming
                and now - self._last_snapshot_t > self.stream_kick_s
                and self._transport is not None
                and not self._bus.locked()
            ):
                # the stream stopped: ask again (ESPHome and aiobmsble re-send 0x96)
                self._last_snapshot_t = now
                try:
                    await self._send_all(self.protocol.start_requests())
                except (TransportError, SessionError):
                    pass

    async def _poller(self) -> None:
        while True:
            await asyncio.sleep(self.poll_interval_s)
            if self.state == State.LIVE and not self._bus.locked():
                try:
                    script = self.protocol.poll_script()
                    if script is not None:
                        # what the script puts together itself is handled like a message
                        # received: the cycle's whole snapshot (snapshot_from_poll_script)
                        # or a part of the next one (a second pack's readings, Step.private)
                        result = await self.run_script(script)
                        if isinstance(result, Message):
                            self._handle(result, b"")
                    else:
                        await self._send_all(self.protocol.poll_requests())
                except (TransportError, SessionError):
                    pass

    async def _reconnect(self, reason: str) -> None:
        if self._closing or self.state == State.RECONNECTING:
            return
        for t in list(self._tasks):
            if t is not asyncio.current_task() and t.get_name() in ("session-watchdog", "session-poller"):
                t.cancel()
        self._set_state(State.RECONNECTING, reason)
        await self._drop_transport()
        self._fail_waiters(SessionError(reason))
        self._in_write_mode = False
        if not self.reconnect_enabled:
            self._set_state(State.DISCONNECTED, reason)
            return
        attempt = 0
        while not self._closing:
            delay = self.backoff_s[min(attempt, len(self.backoff_s) - 1)]
            self._set_state(State.RECONNECTING, f"{reason}; retrying in {delay:g} s")
            await asyncio.sleep(delay)
            attempt += 1
            try:
                await self._open_link()
                await self._send_recovery()  # a mode the drop interrupted (JBD factory mode)
                self._set_state(State.IDENTIFYING)
                await self._identify()
                await self._start_live()
            except (TimeoutError, SessionError, TransportError) as exc:
                await self._drop_transport()
                reason = str(exc)
                continue
            self._go_live("reconnected")
            return


def _merge(base: Any, part: Any) -> Any:
    """``base`` with every field ``part`` reports (not None, not empty) taken from ``part``."""
    if base is None:
        return part
    from dataclasses import fields as dc_fields
    from dataclasses import replace

    changes: dict[str, Any] = {}
    for f in dc_fields(part):
        value = getattr(part, f.name)
        if f.name in ("extra", "implausible"):  # both parts' entries count
            changes[f.name] = {**getattr(base, f.name, {}), **value}
        elif f.name != "partial" and value is not None and value != [] and value != {}:
            changes[f.name] = value
    return replace(base, **changes)
