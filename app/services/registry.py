"""The pack registry: every pack the workshop has touched, as an append-only audit trail.

One SQLite file (the standard library's ``sqlite3``) in the user data folder,
``packs.sqlite3``.  A pack is keyed by its family and serial number; each
connection to it is a *visit* (model, hardware and firmware as the board
reported them then); everything done on a visit is an *event*: a settings
snapshot read, a write transaction (per key: before, requested, stored,
verdict; the backup file), a control action, a sealing-check run, a
commissioning record, a report.

Rules this module keeps (each has a test):

* **Append-only.**  Rows are inserted, never updated or deleted; triggers in
  the schema refuse an UPDATE or DELETE from any program, this one included.
* **Two programs at once** (two windows, a window and the CLI): WAL mode, a
  busy timeout, and every write in its own ``BEGIN IMMEDIATE`` transaction, so
  writers queue instead of failing and nothing is lost.
* **Versioned schema.**  ``PRAGMA user_version`` is the schema version and
  ``MIGRATIONS`` the steps that reach it; an older file is migrated in one
  transaction.  A file written by a newer Packbench, a file that is not a
  Packbench registry, or a damaged one is refused with a message, and never
  touched: nothing is written to it before it has been checked.
* **No secrets.**  Passwords and PINs never reach it: the services never hand
  them over, and ``scrub`` drops any key that names one all the same.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .. import __version__

FILE_NAME = "packs.sqlite3"
#: ``PRAGMA application_id``: "PBRG", so another program's SQLite file is not taken for ours
APPLICATION_ID = 0x50425247
#: how long a write waits for another program's write to finish before giving up
BUSY_TIMEOUT_S = 10.0
SQLITE_HEADER = b"SQLite format 3\x00"

_APPEND_ONLY = """
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, 'the pack registry is append-only: {table} rows are never changed'); END;
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
BEGIN SELECT RAISE(ABORT, 'the pack registry is append-only: {table} rows are never deleted'); END;
"""

#: the schema, one step per version (index 0 makes version 1).  Never edit a released step:
#: add the next one.  Each runs inside the migration's transaction.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE packs (
        id INTEGER PRIMARY KEY,
        family TEXT NOT NULL,
        serial TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        UNIQUE (family, serial)
    );
    CREATE TABLE visits (
        id INTEGER PRIMARY KEY,
        pack_id INTEGER NOT NULL REFERENCES packs (id),
        started TEXT NOT NULL,
        protocol TEXT,
        model TEXT,
        hardware_version TEXT,
        software_version TEXT,
        device_name TEXT,
        link TEXT,
        app TEXT NOT NULL
    );
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        pack_id INTEGER NOT NULL REFERENCES packs (id),
        visit_id INTEGER REFERENCES visits (id),
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        operator TEXT,
        job TEXT,
        summary TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX events_by_pack ON events (pack_id, id);
    CREATE INDEX events_by_job ON events (job);
    CREATE INDEX visits_by_pack ON visits (pack_id, id);
    """
    + "".join(_APPEND_ONLY.format(table=t) for t in ("packs", "visits", "events")),
]

#: what an event records (``Registry.add_event``'s ``kind``)
KINDS = (
    "settings",  # a settings snapshot read from the board
    "write",  # a settings write transaction
    "switch",  # a charge/discharge/balance/heating switch (a one-key write transaction)
    "calibration",  # voltage/current calibration with the meter's value, current zeroing
    "action",  # restart, shutdown, factory reset, the board's own preset
    "control",  # emergency mode, state of charge, clock, remaining capacity, board password
    "sealing",  # a run of the before-sealing checks
    "commissioning",  # a commissioning record
    "report",  # a report file written
    "batch",  # a pack's attempt in a batch job: its number in the job, what happened, the times
)

#: keys that name a secret: dropped from anything recorded, wherever they sit
_SECRET_KEY = re.compile(r"pass(word)?|pin\b|pin_|secret", re.IGNORECASE)


class RegistryError(Exception):
    """The registry cannot be used; the message is for people and names the file."""


def now_iso() -> str:
    """UTC, to the millisecond, as every row stores its time."""
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t * 1000) % 1000:03d}Z"


def scrub(value: Any) -> Any:
    """``value`` without any mapping key that names a password, PIN or secret."""
    if isinstance(value, Mapping):
        return {str(k): scrub(v) for k, v in value.items() if not _SECRET_KEY.search(str(k))}
    if isinstance(value, (list, tuple)):
        return [scrub(v) for v in value]
    return value


def _json(value: Any) -> str:
    return json.dumps(scrub(value), ensure_ascii=False, sort_keys=True, default=str, allow_nan=False)


class Registry:
    """One open registry file.  Thread-safe (one lock around the connection); every
    method that writes is one transaction."""

    def __init__(self, path: str | Path, *, busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        _check_header(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(
                self.path, timeout=busy_timeout_s, isolation_level=None, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as exc:
            raise RegistryError(f"cannot open the pack registry {self.path}: {exc}") from None
        try:
            _open(con, self.path, busy_timeout_s)
        except sqlite3.OperationalError as exc:  # locked, busy, unreadable: not the file's fault
            con.close()
            raise RegistryError(f"cannot open the pack registry {self.path}: {exc}") from None
        except sqlite3.DatabaseError as exc:  # not a database, malformed
            con.close()
            raise RegistryError(
                f"the pack registry {self.path} is damaged or not a Packbench registry "
                f"({exc}); it was left as it is: move it aside to start a new one"
            ) from None
        except BaseException:
            con.close()
            raise
        self._con = con

    def close(self) -> None:
        with self._lock:
            self._con.close()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ---------------------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; BEGIN IMMEDIATE takes the write lock at once, so a
        second program waits its turn (busy timeout) rather than failing at COMMIT."""
        with self._lock:
            con = self._con
            try:
                con.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise RegistryError(f"the pack registry {self.path} is busy or read-only: {exc}") from None
            try:
                yield con
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise

    def add_visit(
        self,
        family: str,
        serial: str,
        identity: Mapping[str, Any] | None = None,
        *,
        link: str | None = None,
        at: str | None = None,
    ) -> int:
        """A new visit of the pack (family, serial), the pack itself on its first; its id.

        ``identity``: protocol, model, hardware_version, software_version, device_name."""
        if not family or not serial:
            raise ValueError("a pack needs its family and serial number")
        ident = dict(identity or {})
        when = at or now_iso()
        with self._write() as con:
            con.execute(
                "INSERT OR IGNORE INTO packs (family, serial, first_seen) VALUES (?, ?, ?)",
                (family, serial, when),
            )
            (pack_id,) = con.execute(
                "SELECT id FROM packs WHERE family = ? AND serial = ?", (family, serial)
            ).fetchone()
            cur = con.execute(
                "INSERT INTO visits (pack_id, started, protocol, model, hardware_version, "
                "software_version, device_name, link, app) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    pack_id,
                    when,
                    *(_text(ident.get(k)) for k in _VISIT_FIELDS),
                    link,
                    f"packbench {__version__}",
                ),
            )
            return int(cur.lastrowid)

    def add_event(
        self,
        visit_id: int,
        kind: str,
        summary: str,
        data: Mapping[str, Any],
        *,
        operator: str | None = None,
        job: str | None = None,
        at: str | None = None,
    ) -> int:
        """One event of a visit; its id.  ``data`` is stored as JSON, secrets scrubbed."""
        if kind not in KINDS:
            raise ValueError(f"not an event kind: {kind!r}")
        text = _json(data)
        with self._write() as con:
            row = con.execute("SELECT pack_id FROM visits WHERE id = ?", (visit_id,)).fetchone()
            if row is None:
                raise RegistryError(f"no visit {visit_id} in the pack registry {self.path}")
            cur = con.execute(
                "INSERT INTO events (pack_id, visit_id, at, kind, operator, job, summary, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (row[0], visit_id, at or now_iso(), kind, operator, job, summary, text),
            )
            return int(cur.lastrowid)

    # --- reading ---------------------------------------------------------------------------
    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            cur = self._con.cursor()
            cur.row_factory = sqlite3.Row
            return cur.execute(sql, params).fetchall()

    def packs(self, search: str | None = None) -> list[dict[str, Any]]:
        """Every pack, newest activity first; ``search`` matches the serial, model, device
        name, a job reference or an operator (parts of them, any case), or a date
        (``2025-03``, ``2025-03-14``) on which the pack was visited."""
        where, params = "", ()
        if search:
            like = f"%{search.strip().lower()}%"
            where = (
                "WHERE lower(p.serial) LIKE ? OR EXISTS (SELECT 1 FROM visits v2 WHERE v2.pack_id = p.id "
                "AND (lower(coalesce(v2.model, '')) LIKE ? OR lower(coalesce(v2.device_name, '')) LIKE ? "
                "OR v2.started LIKE ?)) OR EXISTS (SELECT 1 FROM events e2 WHERE e2.pack_id = p.id AND "
                "(lower(coalesce(e2.job, '')) LIKE ? OR lower(coalesce(e2.operator, '')) LIKE ?))"
            )
            params = (like, like, like, f"{search.strip()}%", like, like)
        rows = self._query(
            f"""SELECT p.id, p.family, p.serial, p.first_seen,
                  (SELECT count(*) FROM visits v WHERE v.pack_id = p.id) AS visits,
                  (SELECT count(*) FROM events e WHERE e.pack_id = p.id) AS events,
                  max(coalesce((SELECT max(at) FROM events e WHERE e.pack_id = p.id), ''),
                      (SELECT max(started) FROM visits v WHERE v.pack_id = p.id)) AS last_seen
                FROM packs p {where} ORDER BY last_seen DESC, p.id DESC""",
            params,
        )
        out = []
        for r in rows:
            pack = dict(r)
            pack.update(self._latest(int(r["id"])))
            out.append(pack)
        return out

    def _latest(self, pack_id: int) -> dict[str, Any]:
        """The pack's identity as its last visit saw it, its jobs, its last commissioning."""
        visit = self._query("SELECT * FROM visits WHERE pack_id = ? ORDER BY id DESC LIMIT 1", (pack_id,))
        jobs = self._query(
            "SELECT DISTINCT job FROM events WHERE pack_id = ? AND job IS NOT NULL ORDER BY job", (pack_id,)
        )
        last = self._query(
            "SELECT id, at, summary, data FROM events WHERE pack_id = ? AND kind = 'commissioning' "
            "ORDER BY id DESC LIMIT 1",
            (pack_id,),
        )
        out: dict[str, Any] = {k: (visit[0][k] if visit else None) for k in _VISIT_FIELDS}
        out["jobs"] = [r["job"] for r in jobs]
        out["commissioned"] = (
            {
                "event": last[0]["id"],
                "at": last[0]["at"],
                "verdict": json.loads(last[0]["data"]).get("verdict"),
            }
            if last
            else None
        )
        return out

    def find(self, serial: str, family: str | None = None) -> list[dict[str, Any]]:
        """The packs with this serial number (one per family), optionally of one family."""
        sql, params = "SELECT * FROM packs WHERE serial = ?", (serial,)
        if family:
            sql, params = sql + " AND family = ?", (serial, family)
        return [dict(r) for r in self._query(sql + " ORDER BY id", params)]

    def pack(self, pack_id: int) -> dict[str, Any] | None:
        rows = self._query("SELECT * FROM packs WHERE id = ?", (pack_id,))
        if not rows:
            return None
        out = dict(rows[0])
        out.update(self._latest(pack_id))
        return out

    def visits(self, pack_id: int) -> list[dict[str, Any]]:
        return [
            dict(r) for r in self._query("SELECT * FROM visits WHERE pack_id = ? ORDER BY id", (pack_id,))
        ]

    def timeline(self, pack_id: int, *, kinds: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
        """The pack's events, oldest first, each with its data and its visit's identity."""
        sql = (
            "SELECT e.*, v.model, v.software_version, v.hardware_version, v.protocol, v.link "
            "FROM events e LEFT JOIN visits v ON v.id = e.visit_id WHERE e.pack_id = ?"
        )
        params: tuple[Any, ...] = (pack_id,)
        if kinds:
            sql += f" AND e.kind IN ({', '.join('?' * len(kinds))})"
            params += tuple(kinds)
        return [_event(r) for r in self._query(sql + " ORDER BY e.id", params)]

    def job_events(self, job: str, *, kinds: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
        """Every pack's events of one job, oldest first, each with its pack's family and serial."""
        sql = "SELECT e.*, p.family, p.serial FROM events e JOIN packs p ON p.id = e.pack_id WHERE e.job = ?"
        params: tuple[Any, ...] = (job,)
        if kinds:
            sql += f" AND e.kind IN ({', '.join('?' * len(kinds))})"
            params += tuple(kinds)
        return [_event(r) for r in self._query(sql + " ORDER BY e.id", params)]

    def event(self, event_id: int) -> dict[str, Any] | None:
        rows = self._query("SELECT * FROM events WHERE id = ?", (event_id,))
        return _event(rows[0]) if rows else None

    def export(self, pack_id: int) -> dict[str, Any]:
        """Everything the registry holds about one pack, as one JSON-ready object."""
        pack = self.pack(pack_id)
        if pack is None:
            raise RegistryError(f"no pack {pack_id} in the pack registry {self.path}")
        return {
            "format": "packbench-pack",
            "version": 1,
            "app": f"packbench {__version__}",
            "pack": pack,
            "visits": self.visits(pack_id),
            "events": self.timeline(pack_id),
        }

    def schema_version(self) -> int:
        return int(self._query("PRAGMA user_version")[0][0])


_VISIT_FIELDS = ("protocol", "model", "hardware_version", "software_version", "device_name")


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _event(row: sqlite3.Row) -> dict[str, Any]:
    out = dict(row)
    out["data"] = json.loads(out["data"])
    return out


def _check_header(path: Path) -> None:
    """Refuse a file that is not SQLite at all before sqlite3 sees it (a clear message;
    nothing is written).  A missing or empty file is a new registry."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise RegistryError(f"cannot read the pack registry {path}: {exc}") from None
    if head and head != SQLITE_HEADER:
        raise RegistryError(
            f"{path} is not a Packbench pack registry (not an SQLite file, or its start is "
            "damaged); it was left as it is: move it aside to start a new one"
        )


def _open(con: sqlite3.Connection, path: Path, busy_timeout_s: float) -> None:
    """Check the file (reads only), then WAL mode and the migrations."""
    con.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
    _check_version(con, path)
    if con.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok":
        raise sqlite3.DatabaseError("its integrity check failed")
    mode = _wal(con, busy_timeout_s)
    if str(mode).lower() != "wal":
        raise RegistryError(
            f"the pack registry {path} cannot use write-ahead logging here (journal mode {mode}); "
            "is it on a network drive? Packbench needs a local folder for it"
        )
    con.execute("PRAGMA synchronous = FULL")  # an audit trail: every commit reaches the disk
    con.execute("PRAGMA foreign_keys = ON")
    if con.execute("PRAGMA user_version").fetchone()[0] < len(MIGRATIONS):
        _migrate(con, path)


def _wal(con: sqlite3.Connection, busy_timeout_s: float) -> str:
    """Switch to WAL (kept in the file: once set, only read).  The switch answers "locked"
    at once, without waiting, while another program opens the same new file: retried."""
    deadline = time.monotonic() + busy_timeout_s
    while True:
        mode = str(con.execute("PRAGMA journal_mode").fetchone()[0])
        if mode.lower() == "wal":
            return mode
        try:
            return str(con.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _check_version(con: sqlite3.Connection, path: Path) -> int:
    # one statement, so one snapshot: read apart, another program creating the schema
    # meanwhile made a new registry look like a foreign file (its tables, not yet its id)
    version, app_id, tables = con.execute(
        "SELECT (SELECT user_version FROM pragma_user_version), "
        "(SELECT application_id FROM pragma_application_id), (SELECT count(*) FROM sqlite_master)"
    ).fetchone()
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and (version or tables)):
        raise RegistryError(
            f"{path} is an SQLite file of another program, not a Packbench pack registry; "
            "it was left as it is"
        )
    if version > len(MIGRATIONS):
        raise RegistryError(
            f"the pack registry {path} was written by a newer Packbench (schema version {version}; "
            f"this one knows up to {len(MIGRATIONS)}): it was not opened and not changed. "
            "Update Packbench to use it"
        )
    return int(version)


def _migrate(con: sqlite3.Connection, path: Path) -> None:
    """Bring the schema up to date in one transaction (another program may be doing the
    same: the version is read again once the write lock is held)."""
    con.execute("BEGIN IMMEDIATE")
    try:
        version = _check_version(con, path)
        if version == len(MIGRATIONS):  # another program migrated it meanwhile
            con.execute("COMMIT")
            return
        for step in MIGRATIONS[version:]:
            for statement in _statements(step):
                con.execute(statement)
        con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        con.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    """A migration step split into statements (``executescript`` would COMMIT first)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def default_path() -> Path:
    from .settings_files import data_dir

    return data_dir() / FILE_NAME
