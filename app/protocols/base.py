"""What every protocol family offers the session (design.md, "A protocol family")."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..model import Ack, DeviceInfo, Message, Secrets, SettingSpec, Snapshot


class DecodeError(ValueError):
    """A frame that fails its checksum, is truncated or is not of this protocol."""


@dataclass(frozen=True)
class Frame:
    """One complete, checksum-checked frame as cut from a byte stream."""

    data: bytes
    #: family-specific type tag, e.g. JK 0x02 (cell info) or "command"
    frame_type: Any = None


@dataclass(frozen=True)
class Step:
    """One request of a protocol-driven exchange (a "script") and what answers it.

    Families whose settings live behind a mode (JBD's factory mode) describe
    the conversation as a generator of steps; the session sends each step,
    waits for the first decoded message ``answers`` accepts (resending up to
    ``retries`` times) and sends the message back in, or None on silence.
    """

    frame: bytes
    answers: Callable[[Message], bool]
    timeout_s: float = 1.0
    retries: int = 0
    #: frames that undo what this step starts if the exchange is abandoned
    #: after it (JBD: leave factory mode); () clears what an earlier step set
    undo: tuple[bytes, ...] | None = None
    #: the answer is the script's alone: the session does not take it as the connected
    #: board's own data (another board on the same bus, e.g. a second pack)
    private: bool = False


#: a protocol-driven exchange: yields steps, receives replies, returns its result
Script = Generator[Step, "Message | None", Any]


class ScriptError(Exception):
    """A scripted exchange could not go on; the message is for people."""


class PasswordRefused(ScriptError):
    """The board wants a password, or refused the one given (nothing was written)."""


class FrameReader:
    """Incremental frame reader: ``feed(bytes) -> list[Frame]``.

    Implementations resynchronise on garbage, check checksums and never raise
    on bad input.  Families build theirs on ``framing.StreamFrameReader``,
    which does all of that once a family says what its frames look like.
    """

    def feed(self, data: bytes) -> list[Frame]:  # pragma: no cover - interface
        raise NotImplementedError

    def reset(self) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def note_sent(self, frame: bytes) -> None:
        """The host just wrote ``frame``; a reader for a bus that echoes what is sent
        (``Protocol.echo_on_bus``) drops it when it comes back.  Default: nothing."""


class Protocol:
    """A protocol descriptor plus its codec.  Stateless: one instance per id."""

    id: str = ""
    name: str = ""
    family: str = ""
    transports: tuple[str, ...] = ()
    default_baud: int | None = None
    ble_service_uuid: str | None = None
    ble_notify_uuid: str | None = None
    ble_write_uuid: str | None = None
    #: other (service, notify, write) layouts some modules of the family use
    ble_alternatives: tuple[tuple[str, str, str], ...] = ()
    max_cells: int = 0
    #: True: the board streams live data after ``start_requests``;
    #: False: the session polls with ``poll_requests``.
    streaming: bool = False
    #: seconds the session waits between the frames of one write (``write_requests``)
    write_gap_s: float = 0.0
    #: the bus hands the host's own frames back (a single wire with TX and RX tied
    #: together): the session tells the reader every frame it sends (``note_sent``)
    echo_on_bus: bool = False
    #: why nothing may be written to boards of this protocol (None: writes go through
    #: the write transaction).  Every write, action and calibration is refused with it,
    #: and the Parameters and Control tabs say it instead of offering edits
    read_only_reason: str | None = None
    #: False: the board answers writes and commands with nothing (ANT legacy): the session
    #: sends them without waiting for an acknowledgement, and the read-back is the check
    acknowledges_writes: bool = True
    #: False: the board's live frames carry no alarm field (JK04, jk.md §2.3): an empty
    #: ``alarms`` list then means "not reported", never "no alarms"
    reports_alarms: bool = True

    def bind(self, options: Mapping[str, str]) -> Protocol:
        """This protocol for one connection's URL options (e.g. a Modbus slave
        ``?address=2``); protocols without per-connection options return self."""
        return self

    def new_reader(self) -> FrameReader:  # pragma: no cover - interface
        raise NotImplementedError

    def decode(self, frame: bytes) -> Message:  # pragma: no cover - interface
        """Decode one whole frame; raise DecodeError with the reason."""
        raise NotImplementedError

    def decode_all(self, frame: bytes) -> list[Message]:
        """Every message one frame carries (the session uses this).  A JK 4E57
        read-all reply is live data, settings and device info at once; most
        frames are one message, as ``decode`` returns it."""
        return [self.decode(frame)]

    def identify_requests(self) -> list[bytes]:
        return []

    def identify_script(self) -> Script | None:
        """A scripted identification, for boards that answer one request at a time and
        several requests make up the device information (None: the session sends
        ``identify_requests`` and waits for device information).  It returns the
        board's ``DeviceInfo``; raising ScriptError means the board did not answer."""
        return None

    def start_requests(self) -> list[bytes]:
        return []

    def poll_requests(self) -> list[bytes]:
        return []

    def settings_requests(self) -> list[bytes]:
        return []

    def wake_requests(self) -> list[bytes]:
        """What wakes a sleeping board; the session sends it when identifying times
        out, before it tries again (empty: the family has no such command)."""
        return []

    def read_requests(self, key: str) -> list[bytes]:
        """What asks the board for one setting alone (empty: only whole reads)."""
        return []

    def logbook_requests(self) -> list[bytes]:
        """What asks the board for its history (empty: the family keeps none)."""
        return []

    def settings_schema(self) -> list[SettingSpec]:
        return []

    def board_schema(self, values: Mapping[str, Any]) -> list[SettingSpec]:
        """The schema as one board's settings (as read) show it: a family whose settings
        layout differs between models marks the keys this board did not carry read-only
        (default: ``settings_schema``)."""
        return self.settings_schema()

    def settings_notice(self, values: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
        """Why some of this board's settings cannot be written, for the Parameters tab:
        a template marked ``QT_TRANSLATE_NOOP("ParametersPage", …)`` and its fields (a
        list field holds setting keys, shown by their labels), or None when there is
        nothing to say."""
        return None

    def encode_write(self, key: str, value: Any) -> bytes:  # pragma: no cover
        raise NotImplementedError(f"{self.id}: writing {key} is not supported")

    def write_requests(self, key: str, value: Any, current: Mapping[str, Any] | None = None) -> list[bytes]:
        """The frames of one write, sent ``write_gap_s`` apart; the board's ack
        answers the last.  ``current`` is the board's settings as last read, for
        writes that must carry other values along (a bitmask)."""
        return [self.encode_write(key, value)]

    def actions(self) -> tuple[str, ...]:
        """Board actions this protocol can send (``preset_lifepo4``, ``restart`` …)."""
        return ()

    def encode_action(self, name: str) -> bytes:  # pragma: no cover
        raise NotImplementedError(f"{self.id}: no action {name!r}")

    def has_emergency(self) -> bool:
        """True when the board has an emergency mode (protections overridden for a while)."""
        return False

    def encode_emergency(self, on: bool) -> bytes:  # pragma: no cover
        raise NotImplementedError(f"{self.id}: no emergency mode")

    #: the setting that holds how long emergency mode lasts, in minutes (None: not known)
    emergency_duration_key: str | None = None

    def emergency_remaining_s(self, snapshot: Snapshot) -> int:
        """Seconds of emergency mode a live snapshot says are left (0: off or not known)."""
        return 0

    def calibration_kinds(self) -> tuple[str, ...]:
        """ "voltage", "current": what the board can be calibrated against a meter for;
        "current_zero": it can zero its current reading while no current flows."""
        return ()

    def encode_calibration(self, kind: str, measured: float) -> bytes:  # pragma: no cover
        raise NotImplementedError(f"{self.id}: no {kind} calibration")

    # --- families whose settings sit behind a mode (JBD factory mode) -------------
    #: keys the family does not keep in the interlocks' order (presets.md rule 2
    #: "where the family has it"): JBD's 100 % voltage only feeds its SOC estimate
    unordered_keys: tuple[str, ...] = ()
    #: "local": the board reports its setup password and Packbench compares
    #: (JK); "board": only the board can check it (JBD), the session sends it;
    #: "none": the protocol has no password at all, so the gate asks for none
    password_check: str = "local"

    def settings_script(
        self, password: str | None, in_write_mode: bool, keys: Iterable[str] | None = None
    ) -> Script | None:
        """A scripted settings read (None: send ``settings_requests`` and wait).
        ``keys``: only these are needed; the script may return a partial Settings."""
        return None

    def open_write_script(self, password: str | None) -> Script | None:
        """What puts the board into a state that accepts writes (None: nothing)."""
        return None

    def scoped(self, purposes: frozenset[str]) -> Protocol:
        """This protocol for one write of exactly ``purposes``: setting keys and the Control
        tab's capabilities (``action:restart``, ``calibration:current_zero``,
        ``remaining_capacity``).  A family whose boards want another password level, or no
        save, for some of them returns a copy whose open and close scripts fit (ANT 2021:
        switches and commands the user level, settings the parameter level and a save);
        default: self."""
        return self

    def close_write_script(self, save: bool) -> Script | None:
        """What leaves that state again, storing the writes when ``save``."""
        return None

    def recovery_requests(self) -> list[bytes]:
        """Frames that leave that state without storing anything, harmless outside it.
        The session sends them first on every connection, so a board that a dropped
        link or a killed program left in the state is recovered by the next one."""
        return []

    #: the board checks a password of its own that Packbench can set and clear (JBD)
    has_board_password: bool = False

    def board_password_script(self, old: str | None, new: str | None) -> Script | None:
        """Set (``new``) or clear (``new`` None) the board's own password; returns True
        when the board then asks for exactly that."""
        return None

    def unlock_script(self, pin: str | None, address: str) -> Script | None:
        """A Bluetooth module's login, tried once when the board does not answer (JBD FF AA)."""
        return None

    #: the board takes a new remaining capacity (JBD 0xE0); needs write mode if it has one
    has_remaining_capacity: bool = False

    def encode_remaining_capacity(self, ah: float) -> bytes:  # pragma: no cover - interface
        raise NotImplementedError(f"{self.id}: no command to set the remaining capacity")

    def check_remaining_capacity(self, ah: float) -> None:
        """ValueError in words when the board cannot take ``ah`` (nothing is sent)."""
        self.encode_remaining_capacity(ah)

    #: the board takes a new state of charge from Packbench (Daly: 0xA7, A5 0x21)
    has_soc: bool = False

    def encode_soc(self, soc_pct: float, now: datetime) -> bytes:  # pragma: no cover - interface
        """The command that sets the state of charge; ValueError in words for a bad value.
        ``now``: the computer's clock, for boards that take the time with it (A5 0x21)."""
        raise NotImplementedError(f"{self.id}: no command to set the state of charge")

    #: the board has a clock that Packbench can set from the computer's (Daly RTC)
    has_clock: bool = False

    def encode_clock(self, now: datetime, snapshot: Snapshot | None) -> bytes:  # pragma: no cover
        """The command that sets the board's clock to ``now``; ``snapshot``: the last live
        data, for boards whose clock command carries other values along (A5 0x21: the SOC).
        ValueError in words when it cannot be sent."""
        raise NotImplementedError(f"{self.id}: no command to set the clock")

    #: the board password can be removed as well as set (``board_password_script`` with
    #: ``new`` None); False where a board always has one (Daly D2)
    board_password_clearable: bool = True

    def check_board_password(self, new: str) -> None:
        """ValueError in words when the board cannot hold ``new`` (checked before anything
        is sent; JBD: six digits)."""
        if not (len(new) == 6 and new.isascii() and new.isdigit()):
            raise ValueError("a board password is six digits")

    def control_capabilities(self) -> tuple[str, ...]:
        """What the Control tab offers for this protocol, from the hooks above:
        ``action:<name>``, ``calibration:<kind>``, ``emergency``, ``remaining_capacity``,
        ``board_password``, ``soc``, ``clock`` (the switches are settings: ``settings_schema``)."""
        caps = [f"action:{a}" for a in self.actions()]
        caps += [f"calibration:{k}" for k in self.calibration_kinds()]
        caps += [
            name
            for name, has in (
                ("emergency", self.has_emergency()),
                ("remaining_capacity", self.has_remaining_capacity),
                ("board_password", self.has_board_password),
                ("soc", self.has_soc),
                ("clock", self.has_clock),
            )
            if has
        ]
        return tuple(caps)

    def error_counts_requests(self) -> list[bytes]:
        """What asks the board how often each protection tripped (empty: it does not count)."""
        return []

    def poll_script(self) -> Script | None:
        """Polled families that answer one request at a time (None: ``poll_requests``).
        A message the script returns is handled like one received: the cycle's whole
        snapshot (``snapshot_from_poll_script``) or a part of the next one (a partial
        ``Snapshot``, e.g. what another board on the bus answered, ``Step.private``)."""
        return None

    #: True: the ``Snapshot`` the poll script returns is the cycle's one whole snapshot,
    #: and what single frames decode to are only its parts, for the script's steps (a
    #: board that sends each group of values in a frame of its own)
    snapshot_from_poll_script: bool = False

    def snapshot_notices(self, snapshot: Snapshot) -> tuple[str, ...]:
        """What a snapshot shows about the board that the session says once in the log
        (e.g. sources that disagree about it); () for nothing."""
        return ()

    def acknowledges(self, sent: bytes, ack: Ack) -> bool:
        """Whether ``ack`` answers the command frame ``sent`` (default: any does).  A
        family whose acknowledgement repeats what was written checks it here."""
        return True

    def ack_may_follow(self, message: Message) -> bool:
        """Whether a board may follow ``message`` with an acknowledgement nobody asked for
        (JK02: the 0xC8 frame after device info and settings, jk.md §1.3).  The session
        then takes the next ack for that one, not for the answer to a command it sends
        next, and lets it arrive before it sends one (default: no such ack)."""
        return False

    def redact(self, frame: bytes) -> bytes:
        """The frame with every secret it carries blanked, checksum still valid (raw captures)."""
        return frame

    def extract_secrets(self, frame: bytes) -> Secrets | None:
        """The passwords a frame carries in clear (JK device info), for memory only; None:
        this frame (or this family) carries none."""
        return None

    #: setup passwords boards leave the factory with: still set means anyone can write
    default_passwords: tuple[str, ...] = ()
    #: the Bluetooth PIN boards leave the factory with (said to the user; never tried)
    default_pin: str | None = None

    def refine(self, frame: bytes) -> Protocol:
        """The precise protocol a frame shows the board speaks (default: self).  Asked for
        every frame unless the user forced the protocol."""
        return self

    #: the serial number ``pack_serial`` gives is among the board's settings (JBD), so they
    #: must have been read before the pack can be recorded
    serial_in_settings: bool = False

    #: settings that name one pack (its name; JBD also its barcode, the pack's serial
    #: number): never carried from one pack's profile file to other packs (batch jobs)
    per_pack_keys: frozenset[str] = frozenset({"device_name"})

    def pack_serial(self, info: DeviceInfo | None, settings: Mapping[str, Any]) -> str | None:
        """The serial number that identifies this board's pack (the pack registry's key
        beside the family), or None when the board reports none.  Default: the device
        information's; families that keep it among their settings say where."""
        serial = str(info.serial_number or "").strip() if info is not None else ""
        return serial or None

    def detect_variant(self, messages: Iterable[Message]) -> Protocol:
        """The precise protocol for a board, from what it said (default: self)."""
        return self

    def misfit(self, frame: bytes, messages: Sequence[Message]) -> str | None:
        """Why a frame that passed the reader and decoded still does not fit this
        protocol, in words that finish "the frames do not fit the forced protocol X;
        …" — or None when it fits.  The session asks only when the user forced the
        protocol (otherwise it follows the board's variant itself).

        Default: device information that the variant detection gives to another
        protocol, and live data carrying values a board cannot mean
        (model/plausible.py).  Families add what their frames tell (JK: ``refine``).
        """
        from ..model import DeviceInfo, Snapshot
        from ..model.plausible import describe

        for message in messages:
            if isinstance(message, DeviceInfo):
                other = self.detect_variant([message])
                if other.id != self.id:
                    named = ", ".join(
                        f"{k} {v}"
                        for k, v in (
                            ("hardware", message.hardware_version),
                            ("software", message.software_version),
                        )
                        if v
                    )
                    return f"they look like {other.id} (the board's device information" + (
                        f": {named})" if named else ")"
                    )
            elif isinstance(message, Snapshot) and message.implausible:
                shown = ", ".join(describe(k, v) for k, v in list(message.implausible.items())[:3])
                return f"they carry values a board cannot mean ({shown})"
        return None
