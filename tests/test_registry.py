"""The pack registry file (app/services/registry.py): append-only, two programs at once,
versioned, and a file it cannot trust is refused and left exactly as it was.

The rules come from issue 18: "SQLite … schema versioned with migrations; WAL mode;
safe when two Packbench windows run … Nothing is ever updated in place … a corrupted
or newer-version registry file is refused with a message and never overwritten."
"""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.services import registry as reg
from app.services.registry import Registry, RegistryError

ROOT = Path(__file__).resolve().parents[1]
IDENT = {
    "protocol": "jk02_32s",
    "model": "JK-PB2A16S20P",
    "hardware_version": "19A",
    "software_version": "19.27",
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _filled(path: Path) -> Path:
    with Registry(path) as r:
        v = r.add_visit("jk", "SIM123", IDENT, link="sim://jk02_32s")
        r.add_event(v, "settings", "2 settings read", {"settings": {"cell_ovp_v": 3.65, "cell_count": 16}})
    return path


def test_a_new_registry_is_versioned_and_in_wal_mode(tmp_path: Path) -> None:
    path = _filled(tmp_path / "packs.sqlite3")
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("PRAGMA user_version").fetchone()[0] == len(reg.MIGRATIONS)
        assert con.execute("PRAGMA application_id").fetchone()[0] == reg.APPLICATION_ID
    finally:
        con.close()


def test_packs_visits_and_timeline(tmp_path: Path) -> None:
    with Registry(tmp_path / "packs.sqlite3") as r:
        v1 = r.add_visit("jk", "SIM123", IDENT)
        r.add_event(v1, "write", "1 key written", {"results": [{"key": "cell_ovp_v"}]}, operator="ana")
        v2 = r.add_visit("jk", "SIM123", dict(IDENT, software_version="19.28"))  # firmware updated
        r.add_event(v2, "commissioning", "passed", {"verdict": "passed"}, operator="ana", job="JOB-7")
        r.add_visit("jbd", "SIM123", {"protocol": "jbd"})  # same serial, another family: another pack
        packs = r.find("SIM123")
        assert [p["family"] for p in packs] == ["jk", "jbd"]
        jk = packs[0]["id"]
        events = r.timeline(jk)
        assert [e["kind"] for e in events] == ["write", "commissioning"]
        assert [e["software_version"] for e in events] == ["19.27", "19.28"]  # as each visit saw it
        assert events[0]["data"] == {"results": [{"key": "cell_ovp_v"}]}
        listed = {p["family"]: p for p in r.packs()}
        assert listed["jk"]["visits"] == 2 and listed["jk"]["jobs"] == ["JOB-7"]
        assert listed["jk"]["commissioned"]["verdict"] == "passed"
        assert listed["jk"]["software_version"] == "19.28"
        assert [p["family"] for p in r.packs("job-7")] == ["jk"]  # search by job, any case
        assert [p["family"] for p in r.packs("ANA")] == ["jk"]  # by operator
        assert {p["family"] for p in r.packs(events[0]["at"][:10])} == {"jk", "jbd"}  # by date
        assert r.packs("nothing-like-it") == []


def test_nothing_is_updated_or_deleted_in_place(tmp_path: Path) -> None:
    path = _filled(tmp_path / "packs.sqlite3")
    con = sqlite3.connect(path)
    try:
        for sql in (
            "UPDATE events SET summary = 'rewritten'",
            "DELETE FROM events",
            "UPDATE packs SET serial = 'OTHER'",
            "DELETE FROM packs",
            "UPDATE visits SET model = 'X'",
            "DELETE FROM visits",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                con.execute(sql)
        assert con.execute("SELECT summary FROM events").fetchone()[0] == "2 settings read"
    finally:
        con.close()


def test_secrets_are_scrubbed_from_what_is_recorded(tmp_path: Path) -> None:
    path = tmp_path / "packs.sqlite3"
    with Registry(path) as r:
        v = r.add_visit("jk", "SIM123", IDENT)
        r.add_event(
            v,
            "control",
            "board password set",
            {"password": "Zq93xw", "new_password": "Zq93xw", "connect_pin": "Zq93xw", "ok": True},
        )
        assert r.timeline(r.find("SIM123")[0]["id"])[0]["data"] == {"ok": True}
    for f in tmp_path.iterdir():
        assert b"Zq93xw" not in f.read_bytes(), f


def test_a_corrupted_file_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    garbage = tmp_path / "packs.sqlite3"
    garbage.write_bytes(b"this is not a database\n" * 500)
    before = _digest(garbage)
    with pytest.raises(RegistryError, match="not a Packbench pack registry") as exc:
        Registry(garbage)
    assert str(garbage) in str(exc.value) and "left as it is" in str(exc.value)
    assert _digest(garbage) == before and sorted(p.name for p in tmp_path.iterdir()) == ["packs.sqlite3"]


def test_a_registry_damaged_inside_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    # its SQLite header intact, a table's page overwritten: the integrity check finds it
    damaged = _filled(tmp_path / "damaged.sqlite3")
    sqlite3.connect(damaged).execute("PRAGMA wal_checkpoint(TRUNCATE)").connection.close()
    data = bytearray(damaged.read_bytes())
    page = 4096
    data[page : page + 200] = b"\xa5" * 200  # the first table's page
    damaged.write_bytes(bytes(data))
    for side in ("-wal", "-shm"):
        Path(str(damaged) + side).unlink(missing_ok=True)
    before = _digest(damaged)
    with pytest.raises(RegistryError, match="damaged") as exc:
        Registry(damaged)
    assert "left as it is" in str(exc.value)
    assert _digest(damaged) == before


def test_a_registry_from_a_newer_packbench_is_refused_and_not_changed(tmp_path: Path) -> None:
    path = _filled(tmp_path / "packs.sqlite3")
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {len(reg.MIGRATIONS) + 3}")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    before = _digest(path)
    with pytest.raises(RegistryError, match="newer Packbench") as exc:
        Registry(path)
    assert f"schema version {len(reg.MIGRATIONS) + 3}" in str(exc.value)
    assert _digest(path) == before


def test_another_programs_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "packs.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE recipes (name TEXT)")
    con.commit()
    con.close()
    before = _digest(path)
    with pytest.raises(RegistryError, match="another program"):
        Registry(path)
    assert _digest(path) == before


def test_an_older_registry_is_migrated_in_place_keeping_its_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _filled(tmp_path / "packs.sqlite3")  # written at the current version
    step = "CREATE TABLE pack_labels (pack_id INTEGER NOT NULL REFERENCES packs (id), label TEXT);"
    monkeypatch.setattr(reg, "MIGRATIONS", [*reg.MIGRATIONS, step])
    with Registry(path) as r:
        assert r.schema_version() == len(reg.MIGRATIONS)
        assert [e["summary"] for e in r.timeline(r.find("SIM123")[0]["id"])] == ["2 settings read"]
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT count(*) FROM pack_labels").fetchone()[0] == 0  # the new step ran
    finally:
        con.close()


WRITER = textwrap.dedent(
    """
    import sys, time
    from app.services.registry import Registry
    path, who, n, start = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    while time.time() < start:  # both programs begin at the same moment
        time.sleep(0.001)
    r = Registry(path)  # both may create the file and its schema at once
    for i in range(n):
        v = r.add_visit("jk", f"PACK{i % 3}", {"model": who})
        r.add_event(v, "write", f"{who} {i}", {"who": who, "i": i}, operator=who)
    r.close()
    """
)


def test_two_programs_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    import time

    path = tmp_path / "packs.sqlite3"
    n = 100
    start = time.time() + 0.8
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), who, str(n), str(start)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("window", "cli")
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    with Registry(path) as r:
        events = [e for pack in r.packs() for e in r.timeline(pack["id"])]
        assert len(r.packs()) == 3  # the three serials, each once, from both programs
    got = {(e["data"]["who"], e["data"]["i"]) for e in events}
    assert got == {(who, i) for who in ("window", "cli") for i in range(n)}
    assert len(events) == 2 * n


def test_programs_creating_a_new_registry_at_once_all_open_it(tmp_path: Path) -> None:
    # before: one read its tables and its id apart, and took a registry another program
    # was creating that moment for "an SQLite file of another program"
    import threading

    errors: list[BaseException] = []
    for trial in range(25):
        path = tmp_path / f"packs{trial}.sqlite3"
        start = threading.Barrier(4)

        def open_it(path: Path = path, start: threading.Barrier = start) -> None:
            start.wait()
            try:
                Registry(path).close()
            except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)

        threads = [threading.Thread(target=open_it) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert errors == []
