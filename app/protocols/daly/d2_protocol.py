"""The ``daly_d2`` protocol: Daly's Modbus boards (H/K/M/S series, newer dongles), and P81.

P81 is a *variant* of this id (``?variant=p81``), not an id of its own: its
frames say which they are (requests 0x81, replies 0x51), so one reader and one
decoder serve both, and only what Packbench *sends* differs (start byte and
register map, §6.5).  The vocabulary lists ``daly_d2`` alone, and a P81 board
found by the automatic probe or by its version frame (``detect_variant``)
keeps that id in files and logs.

Other URL options: ``invert_current=1`` (§8 #17).

Password (§6.6): the board keeps its setup password readable in 0xC9–0xCB, so
Packbench checks it app-side as it does JK's (``password_check = "local"``,
``extract_secrets``); it is never put in a message, a log or a file
(``redact``).  Whether the board itself refuses writes without it is not
established; Packbench's gate asks for it before every write anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from ...model import Ack, Command, DeviceInfo, Message, Secrets, Settings, SettingSpec, Snapshot
from ..base import Protocol, Script, ScriptError, Step
from . import d2, discovery, schema
from .a5_protocol import CURRENT_SIGN_NOTICE, flag
from .framing import ModbusFrameReader
from .labels import D2_HIDDEN_NOTICE, D2_NOTICE, P81_NOTICE
from .modbus import D2, P81, build_read, build_write, build_write_one

DALY_D2 = "daly_d2"
VARIANTS = (D2, P81)


def _is(kind: type, test=lambda m: True):
    return lambda m: isinstance(m, kind) and test(m)


def password_words(password: str) -> list[int]:
    """Six ASCII characters as three registers (the read-back format, §6.6)."""
    if len(password) != d2.PASSWORD_LENGTH or not password.isascii() or not password.isalnum():
        raise ValueError("a Daly setup password is six letters or digits")
    raw = password.encode("ascii")
    return [raw[i] << 8 | raw[i + 1] for i in range(0, 6, 2)]


def rtc_words(when: datetime) -> list[int]:
    """YY MM DD hh mm ss in three registers, as the vendor app wrote them (daly_bal_00)."""
    if not 2000 <= when.year <= 2255:
        raise ValueError("the board's clock holds the years 2000 to 2255")
    b = [when.year - 2000, when.month, when.day, when.hour, when.minute, when.second]
    return [b[0] << 8 | b[1], b[2] << 8 | b[3], b[4] << 8 | b[5]]


def echo_matches(written: bytes, message: Message) -> bool:
    """A write's reply, checked by content (a real echo had a wrong CRC, §6.1): an FC06
    echo repeats register and value, an FC10 reply register and count."""
    from .modbus import parse

    sent = parse(written)
    if not isinstance(message, (Ack, Command)) or message.register != sent.register:
        return False
    if sent.function == 0x06:
        return message.raw_value == sent.words[0]
    return isinstance(message, Ack) and message.raw_value == sent.count


class DalyD2Protocol(Protocol):
    id = DALY_D2
    name = "Daly BMS (Modbus D2 / P81)"
    family = "daly"
    transports = ("ble", "serial", "sim")
    default_baud = 9600
    ble_service_uuid = discovery.BLE_SERVICE
    ble_notify_uuid = discovery.BLE_NOTIFY
    ble_write_uuid = discovery.BLE_WRITE
    ble_alternatives = discovery.BLE_ALTERNATIVES
    max_cells = 48
    streaming = False
    snapshot_from_poll_script = True
    password_check = "local"
    #: the factory setup password (§6.6: syssi's test frame reads "123456")
    default_passwords = ("123456",)
    #: a D2 board keeps a setup password in 0xC9–0xCB that Packbench can change (write,
    #: then read back); it always has one
    board_password_clearable = False
    #: polls in a row without an answer to the optional MOS-temperature read before it
    #: is no longer asked (each costs its timeout, 0.5 s)
    MOS_READ_MISSES = 2

    def __init__(self, variant: str = D2, invert_current: bool = False) -> None:
        if variant not in VARIANTS:
            raise ValueError(f"variant={variant!r}: Daly Modbus boards are d2 or p81")
        self.variant = variant
        self.invert_current = invert_current
        self._mos_misses = 0  # per connection: bind() gives each session its own object

    def __repr__(self) -> str:
        return f"<Protocol {self.id} {self.variant}>"

    def bind(self, options: Mapping[str, str]) -> DalyD2Protocol:
        """``?variant=p81`` and ``?invert_current=1``."""
        variant = str(options.get("variant", "") or self.variant).strip().lower()
        if variant not in VARIANTS:
            raise ValueError(f"variant={variant!r}: Daly Modbus boards are d2 or p81")
        invert = flag(options, "invert_current") if "invert_current" in options else self.invert_current
        # a new object every time: it learns per connection (the optional MOS read)
        return DalyD2Protocol(variant, invert)

    def new_reader(self) -> ModbusFrameReader:
        return ModbusFrameReader()

    def decode(self, frame: bytes) -> Message:
        return d2.decode(frame, self.invert_current)

    def decode_all(self, frame: bytes) -> list[Message]:
        return d2.decode_all(frame, self.invert_current)

    def extract_secrets(self, frame: bytes) -> Secrets | None:
        """The password a 0xC9×3 reply carries; None for every other frame, so the
        session keeps the one it has (vocabulary.md: memory only)."""
        secrets = d2.extract_secrets(frame)
        return secrets if secrets.setup_password is not None else None

    def redact(self, frame: bytes) -> bytes:
        return d2.redact(frame)

    def read(self, block: str) -> bytes:
        reads = d2.P81_READS if self.variant == P81 else d2.D2_READS
        start, count = reads[block]
        return build_read(start, count, self.variant)

    def detect_variant(self, messages: Iterable[Message]) -> DalyD2Protocol:
        for message in messages:
            variant = message.extra.get("daly_variant") if isinstance(message, DeviceInfo) else None
            if variant in VARIANTS and variant != self.variant:
                return self.bind({"variant": variant})
        return self

    # --- live data ----------------------------------------------------------------------------
    def identify_requests(self) -> list[bytes]:
        return [self.read("version")]

    def poll_requests(self) -> list[bytes]:
        """The partial part first, the complete one last (the session merges them)."""
        if self.variant == P81:
            return [self.read("p81_cells"), self.read("p81_status")]
        return [self.read("mos"), self.read("status")]

    def identify_script(self) -> Script:
        """Version strings, then (D2) the production date and the password, which the
        session keeps in memory for its gate (``extract_secrets``)."""
        info = yield Step(
            self.read("version"),
            _is(DeviceInfo, lambda m: "daly_variant" in m.extra),
            timeout_s=0.6,
            retries=2,
        )
        if info is None:
            raise ScriptError(f"no answer to the Daly {self.variant.upper()} version read")
        if self.variant == D2:
            date = yield Step(
                self.read("production_date"),
                _is(
                    DeviceInfo,
                    lambda m: m.manufacture_date is not None or "daly_production_date_raw" in m.extra,
                ),
                timeout_s=0.5,
            )
            if isinstance(date, DeviceInfo):
                info.manufacture_date = date.manufacture_date
            yield Step(
                self.read("password"),
                _is(DeviceInfo, lambda m: "daly_password_readable" in m.extra),
                timeout_s=0.5,
                retries=1,
            )
        info.partial = False
        info.protocol = self.id
        return info

    def poll_script(self) -> Script:
        """D2: the MOS block (aiobmsble's second read; optional), the status block, and
        cells 33–48 where the board has more than 32.  P81: RT1 and RT2.  Returns the
        whole snapshot."""
        parts: list[Snapshot] = []
        first, second = ("p81_cells", "p81_status") if self.variant == P81 else ("mos", "status")
        if self.variant == P81 or self._mos_misses < self.MOS_READ_MISSES:
            extra = yield Step(self.read(first), _is(Snapshot, lambda m: m.partial), timeout_s=0.5)
            if isinstance(extra, Snapshot):
                parts.append(extra)
                self._mos_misses = 0
            elif self.variant == D2:
                self._mos_misses += 1  # boards without it: stop asking (aiobmsble reads it)
        status = yield Step(
            self.read(second), _is(Snapshot, lambda m: not m.partial), timeout_s=1.0, retries=1
        )
        if not isinstance(status, Snapshot):
            raise ScriptError("the board did not send its live data")
        parts.append(status)
        if (
            self.variant == D2
            and (status.cell_count or 0) > 32
            and len(status.cell_voltages_v) < (status.cell_count or 0)
        ):
            more = yield Step(
                self.read("cells_33_48"),
                _is(Snapshot, lambda m: "daly_cells_33_48_v" in m.extra),
                timeout_s=0.6,
            )
            if isinstance(more, Snapshot):
                tail = more.extra["daly_cells_33_48_v"]
                status.cell_voltages_v = status.cell_voltages_v[:32] + tail[: status.cell_count - 32]
        from .a5 import merge

        return merge(parts)

    # --- settings ---------------------------------------------------------------------------------
    def settings_schema(self) -> list[SettingSpec]:
        if self.variant == P81:
            # the "+0x80" settings map (§6.5) does not fit the only P81 capture (the ESS
            # block at 0x100 starts 1, 16, 1, 16 …): shown, nothing more
            from dataclasses import replace

            spec = schema.D2_BY_KEY["balance_switch"].spec
            return [
                replace(
                    spec, writable=False, help="Read-only on P81: no capture shows how P81 boards take it."
                )
            ]
        return list(schema.D2_SCHEMA)

    def board_schema(self, values: Mapping[str, Any]) -> list[SettingSpec]:
        """Keys of the block this board's last read did not carry in range are read-only
        here (the layout differs between models, §6.4: ``schema.exposed_keys``)."""
        specs = self.settings_schema()
        if self.variant == P81 or not values:
            return specs
        from dataclasses import replace

        _exposed, hidden = schema.exposed_keys(dict(values))
        return [replace(s, writable=False) if s.key in hidden else s for s in specs]

    def settings_notice(self, values: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
        if self.variant == P81:
            return P81_NOTICE, {}
        if not values:
            return None
        exposed, hidden = schema.exposed_keys(dict(values))
        fields: dict[str, Any] = {"exposed": len(exposed), "total": len(exposed) + len(hidden)}
        if not hidden:
            return D2_NOTICE, fields
        return D2_HIDDEN_NOTICE, {**fields, "hidden": sorted(hidden)}

    def settings_requests(self) -> list[bytes]:
        return [self.read("balancer")] if self.variant == P81 else [self.read("settings")]

    def settings_script(
        self, password: str | None, in_write_mode: bool, keys: Iterable[str] | None = None
    ) -> Script:
        """The block 0x80–0xA8 (D2), then the balancer switch 0xCF."""
        values: dict[str, Any] = {}
        wanted = set(keys) if keys is not None else None
        if self.variant == D2 and (wanted is None or wanted - {"balance_switch"}):
            block = yield Step(
                self.read("settings"),
                _is(Settings, lambda m: "daly_acquisition_boards" in m.values),
                timeout_s=1.0,
                retries=1,
            )
            if not isinstance(block, Settings):
                raise ScriptError("the board did not send its settings block (0x80–0xA8)")
            values.update(block.values)
        if wanted is None or "balance_switch" in wanted:
            balancer = yield Step(
                self.read("balancer"), _is(Settings, lambda m: "balance_switch" in m.values), timeout_s=0.6
            )
            if isinstance(balancer, Settings):
                values.update(balancer.values)
        return Settings(values, protocol=self.id, partial=wanted is not None)

    def write_requests(self, key: str, value: Any, current: Mapping[str, Any] | None = None) -> list[bytes]:
        """One FC 0x06 write.  The block's layout differs between models (§6.4), so a key
        of the block is written only after a read that carried it with a value inside the
        row's range (``schema.exposed_keys``)."""
        if self.variant == P81:
            raise KeyError("settings are read-only on P81 boards (no capture shows their map)")
        row = schema.D2_BY_KEY.get(key)
        if row is None or not row.spec.writable:
            raise KeyError(f"{self.id} has no writable setting {key!r}")
        if key != "balance_switch":
            if current is None or key not in current:
                raise ValueError(
                    f"{key}: read the board's settings first: the layout of the "
                    "Daly settings block differs between models (§6.4)"
                )
            exposed, hidden = schema.exposed_keys(dict(current))
            if key not in exposed:
                raise ValueError(f"{key}: {hidden.get(key, 'not exposed by this board')}")
        raw = schema.encode_row(row, value, dict(current) if current else None)
        return [build_write_one(row.spec.register, raw, self.variant)]

    def encode_write(self, key: str, value: Any) -> bytes:
        return self.write_requests(key, value)[-1]

    # --- control ------------------------------------------------------------------------------------
    def actions(self) -> tuple[str, ...]:
        return () if self.variant == P81 else ("restart", "shutdown", "factory_reset")

    def encode_action(self, name: str) -> bytes:
        """Write 1 to 0xF0 restart, 0xF1 shutdown, 0xF3 factory reset (§6.4; syssi's
        buttons write 0x0001)."""
        if name not in self.actions():
            raise KeyError(f"{self.id} ({self.variant}) has no action {name!r}")
        return build_write_one(d2.ACTIONS[name], 1, self.variant)

    def calibration_kinds(self) -> tuple[str, ...]:
        return () if self.variant == P81 else ("current_zero",)

    def encode_calibration(self, kind: str, measured: float) -> bytes:
        """Daly zeroes its current reading (0xF2, §6.4); it takes no measured value, so the
        step is "with nothing connected": only 0 A is accepted."""
        if kind not in self.calibration_kinds():
            raise KeyError(f"{self.id} has no {kind} calibration")
        if abs(float(measured)) > 0.05:
            raise ValueError(
                "Daly boards can only zero their current reading: disconnect charger "
                "and load, and calibrate at 0 A"
            )
        return build_write_one(d2.ZERO_CURRENT, 1, self.variant)

    def soc_request(self, soc_pct: float) -> bytes:
        """0xA7 = SOC × 10 (§6.4)."""
        raw = int(round(float(soc_pct) * 10))
        if not 0 <= raw <= 1000:
            raise ValueError("the state of charge must be between 0 and 100 %")
        return build_write_one(schema.REG_SOC, raw, self.variant)

    def rtc_request(self, when: datetime) -> bytes:
        """FC 0x10 to 0xD4–0xD6 with no byte count, as the vendor app did (daly_bal_00)."""
        return build_write(d2.REG_RTC, rtc_words(when), self.variant)

    @property
    def has_board_password(self) -> bool:  # type: ignore[override]
        return self.variant == D2

    @property
    def has_soc(self) -> bool:  # type: ignore[override]
        return self.variant == D2

    @property
    def has_clock(self) -> bool:  # type: ignore[override]
        return self.variant == D2

    def encode_soc(self, soc_pct: float, now: datetime) -> bytes:
        return self.soc_request(soc_pct)

    def encode_clock(self, now: datetime, snapshot: Snapshot | None) -> bytes:
        return self.rtc_request(now)

    def snapshot_notices(self, snapshot: Snapshot) -> tuple[str, ...]:
        """The current's sign disagreed with the board's state register (D2: register 0x2F), which
        wins (§8 #17): said once in the log, with the per-device option that fixes it."""
        if snapshot.extra.get("daly_current_sign_disagrees"):
            return (CURRENT_SIGN_NOTICE,)
        return ()

    def acknowledges(self, sent: bytes, ack: Ack) -> bool:
        """The echo of a write, compared by content (a real echo had a wrong CRC, §6.1)."""
        return echo_matches(sent, ack)

    def check_board_password(self, new: str) -> None:
        password_words(new)  # ValueError: six letters or digits

    def board_password_script(self, old: str | None, new: str | None) -> Script:
        """Write the new setup password (0xC9–0xCB, FC 0x10), then read it back; True when
        the board answered the read.  Whether it now holds ``new`` the session tells from
        the read-back frame (``extract_secrets``): the script never sees the password."""
        if new is None:
            raise ScriptError("a Daly board always has a setup password: set another one instead")
        if self.variant == P81:
            raise ScriptError("P81 boards keep no readable password (§6.5)")
        write, read = self.password_requests(new)
        ack = yield Step(write, _is(Ack, lambda m: m.register == d2.REG_PASSWORD), timeout_s=1.0)
        if ack is None:
            raise ScriptError("the board did not acknowledge the new password: it keeps the old one")
        back = yield Step(
            read, _is(DeviceInfo, lambda m: "daly_password_readable" in m.extra), timeout_s=0.6, retries=1
        )
        return isinstance(back, DeviceInfo) and bool(back.extra.get("daly_password_readable"))

    def password_requests(self, new: str) -> list[bytes]:
        """Write the setup password (0xC9–0xCB), then read it back; the session checks the
        read-back against ``new`` with ``extract_secrets`` (the script never sees it)."""
        if self.variant == P81:
            raise KeyError("P81 boards keep no readable password (§6.5)")
        return [build_write(d2.REG_PASSWORD, password_words(new)), self.read("password")]
