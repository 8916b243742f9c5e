"""The event-store contract, run against SQLite, PostgreSQL and memory alike (`store` is
parametrized)."""

from __future__ import annotations

import contextlib
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from iop_engine.service.migrations import MIGRATIONS, MIGRATIONS_TABLE, latest
from iop_engine.service.store import (
    EVENT_VERSION,
    Author,
    EventStore,
    IdempotentAppend,
    StoreError,
    StreamBound,
    UnknownStream,
    VersionConflict,
    open_store,
)

from .conftest import _connect_postgres, needs_a_database, new_stream_id

EVENT = {"type": "funding_decided", "date": "2026-01-15", "year": 2026, "available": True}


def test_create_stream_binds_it_and_repeating_is_a_no_op(store: EventStore) -> None:
    """Creating a stream returns True once; the same call again returns False and keeps version 0."""
    sid = new_stream_id()
    assert store.create_stream(sid, "helsingborg-iop-2025") is True
    assert store.create_stream(sid, "helsingborg-iop-2025") is False
    info = store.stream(sid)
    assert info is not None
    assert (info.agreement, info.version) == ("helsingborg-iop-2025", 0)


def test_lead_times_are_saved_per_holder_and_agreement_and_forgotten(store: EventStore) -> None:
    """Each holder's lead times, for one agreement or all (''); saving again replaces; none forgets."""
    holder, other = f"jurist-{uuid.uuid4().hex[:8]}", f"jurist-{uuid.uuid4().hex[:8]}"
    assert store.lead_times(holder) == {}
    store.save_lead_times(holder, "", (120, 60))
    store.save_lead_times(holder, "helsingborg-iop-2025", (90, 60, 30))
    store.save_lead_times(other, "", (14,))
    store.save_lead_times(holder, "helsingborg-iop-2025", (45,))
    assert store.lead_times(holder) == {"": (120, 60), "helsingborg-iop-2025": (45,)}
    store.save_lead_times(holder, "", ())
    assert store.lead_times(holder) == {"helsingborg-iop-2025": (45,)}
    assert store.lead_times(other) == {"": (14,)}


def test_stream_stays_bound_to_its_agreement(store: EventStore) -> None:
    """Creating an existing stream id for another agreement raises StreamBound."""
    sid = new_stream_id()
    store.create_stream(sid, "helsingborg-iop-2025")
    with pytest.raises(StreamBound):
        store.create_stream(sid, "stockholm-sof-2026-268")


def test_streams_finds_those_that_exist_in_the_order_asked(store: EventStore) -> None:
    """`streams(ids)` returns the existing ones of `ids`, in the order given, missing ones left out."""
    first, second = new_stream_id(), new_stream_id()
    store.create_stream(first, "helsingborg-iop-2025")
    store.create_stream(second, "stockholm-sof-2026-268")
    found = store.streams([second, new_stream_id(), first])
    assert [(i.stream_id, i.agreement) for i in found] == [
        (second, "stockholm-sof-2026-268"),
        (first, "helsingborg-iop-2025"),
    ]


def test_append_numbers_events_after_the_expected_version(store: EventStore) -> None:
    """Two appends get versions 1–2 and 3; events come back in version order, unchanged."""
    sid = new_stream_id()
    store.create_stream(sid, "helsingborg-iop-2025")
    assert store.append(sid, 0, [EVENT, {**EVENT, "year": 2027}], "t1") == 2
    assert store.append(sid, 2, [{**EVENT, "note": "å"}], "t2") == 3
    events = store.events(sid)
    assert [e.version for e in events] == [1, 2, 3]
    assert events[2].event == {**EVENT, "note": "å"}
    assert store.stream(sid).version == 3  # type: ignore[union-attr]


def test_each_record_keeps_its_author(store: EventStore) -> None:
    """The author given with an append is stored with each of its records; none given, None."""
    sid = new_stream_id()
    store.create_stream(sid, "helsingborg-iop-2025")
    store.append(sid, 0, [EVENT, EVENT], "t1", author=Author("anna.lind", "legal"))
    store.append(sid, 2, [EVENT], "t2")
    assert [e.author for e in store.events(sid)] == [Author("anna.lind", "legal")] * 2 + [None]


@pytest.mark.parametrize("expected", [0, 2], ids=["stale", "ahead"])
def test_wrong_expected_version_conflicts_and_stores_nothing(store: EventStore, expected: int) -> None:
    """An append at a version other than the current one raises VersionConflict and adds nothing."""
    sid = new_stream_id()
    store.create_stream(sid, "helsingborg-iop-2025")
    store.append(sid, 0, [EVENT], "t1")
    with pytest.raises(VersionConflict):
        store.append(sid, expected, [EVENT, EVENT], "t2")
    assert [e.version for e in store.events(sid)] == [1]


def test_append_to_a_missing_stream_is_refused(store: EventStore) -> None:
    """Appending to a stream never created raises UnknownStream."""
    with pytest.raises(UnknownStream):
        store.append(new_stream_id(), 0, [EVENT], "t")


def test_idempotency_record_is_kept_with_the_append(store: EventStore) -> None:
    """The idempotency record written with an append is found by its key, and only for its stream."""
    sid = new_stream_id()
    store.create_stream(sid, "helsingborg-iop-2025")
    assert store.remembered(sid, "k1") is None
    store.append(sid, 0, [EVENT], "t", IdempotentAppend("k1", "fp", 201, {"version": 1}))
    remembered = store.remembered(sid, "k1")
    assert remembered is not None
    assert (remembered.fingerprint, remembered.status, dict(remembered.response)) == (
        "fp",
        201,
        {"version": 1},
    )
    assert store.remembered(new_stream_id(), "k1") is None


def test_reusing_an_idempotency_key_in_a_new_append_conflicts(store: EventStore) -> None:
    """A second append carrying a stored key fails as a whole: its events are not stored."""
    sid = new_stream_id()
    store.create_stream(sid, "helsingborg-iop-2025")
    store.append(sid, 0, [EVENT], "t", IdempotentAppend("k", "fp", 201, {}))
    with pytest.raises(VersionConflict):
        store.append(sid, 1, [EVENT], "t", IdempotentAppend("k", "fp2", 201, {}))
    assert len(store.events(sid)) == 1


def test_migrations_are_recorded_and_opening_again_changes_nothing(database_url: str) -> None:
    """Opening a store migrates to the latest schema version; a second open finds it migrated."""
    first = open_store(database_url)
    second = open_store(database_url)
    try:
        assert first.schema_version() == latest() == second.schema_version()
    finally:
        first.close()
        second.close()


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    """A schema version newer than this code knows stops the store from opening, with the reason."""
    path = tmp_path / "newer.sqlite3"
    open_store(f"sqlite:///{path}").close()
    # A sqlite3 connection's `with` commits but does not close; closing() closes it.
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x')")
    with pytest.raises(StoreError, match="schema version 999"):
        open_store(f"sqlite:///{path}")


def test_the_sqlite_store_closes_every_connection_it_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every connection the SQLite store opens is closed when its call returns or raises, the
    refusal of a newer schema included. Python 3.13 warns about an unclosed connection when it is
    collected, which this suite turns into an error; this test holds on every version."""
    opened: list[sqlite3.Connection] = []
    connect = sqlite3.connect

    def tracked(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = connect(*args, **kwargs)
        opened.append(conn)
        return conn

    monkeypatch.setattr(sqlite3, "connect", tracked)
    path = tmp_path / "closed.sqlite3"
    store = open_store(f"sqlite:///{path}")
    sid = new_stream_id()
    store.create_stream(sid, "helsingborg-iop-2025")
    store.append(sid, 0, [EVENT], "2026-01-01T10:00:00+00:00", IdempotentAppend("k", "fp", 201, {}))
    with pytest.raises(VersionConflict):
        store.append(sid, 0, [EVENT], "2026-01-01T10:00:00+00:00")
    with pytest.raises(VersionConflict):
        store.append(sid, 1, [EVENT], "2026-01-01T10:00:00+00:00", IdempotentAppend("k", "fp2", 201, {}))
    with pytest.raises(UnknownStream):
        store.append(new_stream_id(), 0, [EVENT], "2026-01-01T10:00:00+00:00")
    with pytest.raises(StreamBound):
        store.create_stream(sid, "stockholm-sof-2026-268")
    assert store.stream(sid) is not None
    assert len(store.events(sid)) == 1
    assert store.remembered(sid, "k") is not None
    assert store.forget_idempotency("2026-01-02T00:00:00+00:00") == 1
    assert store.schema_version() == latest()
    store.close()
    with contextlib.closing(connect(path)) as conn, conn:
        conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x')")
    with pytest.raises(StoreError, match="schema version 999"):
        open_store(f"sqlite:///{path}")

    def is_open(conn: sqlite3.Connection) -> bool:
        try:
            conn.execute("SELECT 1")
        except sqlite3.ProgrammingError:
            return False
        return True

    assert len(opened) >= 12
    assert [conn for conn in opened if is_open(conn)] == []


def test_an_unsupported_database_url_is_refused() -> None:
    """A URL that is neither sqlite:/// nor postgresql:// is refused with the accepted forms."""
    with pytest.raises(StoreError, match="sqlite:///PATH"):
        open_store("mysql://localhost/db")


def test_idempotency_records_expire(store: EventStore) -> None:
    """A record written before `since` is not answered; forgetting deletes it and frees its key."""
    sid = new_stream_id()
    store.create_stream(sid, "helsingborg-iop-2025")
    store.append(sid, 0, [EVENT], "2026-01-01T10:00:00+00:00", IdempotentAppend("k", "fp", 201, {}))
    store.append(sid, 1, [EVENT], "2026-01-09T10:00:00+00:00", IdempotentAppend("k2", "fp", 201, {}))
    assert store.remembered(sid, "k", since="2026-01-01T10:00:00+00:00") is not None
    assert store.remembered(sid, "k", since="2026-01-02T00:00:00+00:00") is None
    assert store.forget_idempotency("2026-01-02T00:00:00+00:00") >= 1
    assert store.remembered(sid, "k") is None
    assert store.remembered(sid, "k2") is not None  # a newer record stays
    store.append(sid, 2, [EVENT], "2026-01-10T10:00:00+00:00", IdempotentAppend("k", "fp3", 201, {}))
    assert [e.version for e in store.events(sid)] == [1, 2, 3]


def test_a_version_1_database_is_migrated_and_its_idempotency_records_count_as_expired(
    tmp_path: Path,
) -> None:
    """A database of schema 1 opens at the latest schema: its stream keyed by agreement, its event
    kept, its idempotency record expired."""
    path = tmp_path / "v1.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(MIGRATIONS_TABLE)
        for statement in MIGRATIONS[0].statements:
            conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations VALUES (1, 'v1', '2026-01-01')")
        conn.execute("INSERT INTO streams VALUES ('old', 'helsingborg-iop-2025', '2026-01-01')")
        conn.execute("INSERT INTO events VALUES ('old', 1, '2026-01-01', '{\"type\": \"review_held\"}')")
        conn.execute("INSERT INTO idempotency VALUES ('old', 'k', 'fp', 201, '{}')")
    store = open_store(f"sqlite:///{path}")
    try:
        assert store.schema_version() == latest()
        key = "helsingborg-iop-2025/old"  # migration 3: stream ids scoped by agreement
        assert store.stream("old") is None
        assert [(e.version, e.author) for e in store.events(key)] == [(1, None)]  # migration 4
        assert store.remembered(key, "k", since="2026-01-01T00:00:00+00:00") is None
    finally:
        store.close()


@pytest.fixture
def empty_database(database_url: str) -> Iterator[tuple[str, Callable[[], Any]]]:
    """A URL of an empty database of the parametrized kind, and a way to connect to it raw."""
    needs_a_database(database_url)
    if database_url.startswith("sqlite:///"):
        path = database_url.removeprefix("sqlite:///") + ".empty"
        yield f"sqlite:///{path}", lambda: contextlib.closing(sqlite3.connect(path))
        return
    import psycopg

    base, admin = _connect_postgres()
    schema = f"iop_mig_{uuid.uuid4().hex[:12]}"
    url = f"{base}?options=-csearch_path%3D{schema}"
    with admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        try:
            yield url, lambda: psycopg.connect(url, autocommit=True)
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def test_a_schema_2_database_with_streams_migrates_on_either_database(
    empty_database: tuple[str, Callable[[], Any]],
) -> None:
    """A database of schema 2 holding a stream, its events and an idempotency record opens at the
    latest schema on SQLite and PostgreSQL alike: keys scoped by agreement (3), authors None (4)."""
    url, connect = empty_database
    with connect() as conn:
        conn.execute(MIGRATIONS_TABLE)
        for migration in MIGRATIONS[:2]:
            for statement in migration.statements:
                conn.execute(statement)
            conn.execute(f"INSERT INTO schema_migrations VALUES ({migration.version}, 'old', '2026-01-01')")
        conn.execute("INSERT INTO streams VALUES ('s1', 'helsingborg-iop-2025', '2026-01-01')")
        for version in (1, 2):
            conn.execute(f"INSERT INTO events VALUES ('s1', {version}, '2026-01-01', '{{}}')")
        conn.execute("INSERT INTO idempotency VALUES ('s1', 'k', 'fp', 201, '{}', '2099-01-01')")
        if isinstance(conn, sqlite3.Connection):
            conn.commit()
    store = open_store(url)
    try:
        key = "helsingborg-iop-2025/s1"
        assert store.schema_version() == latest()
        assert store.streams(["s1", key]) == [store.stream(key)]
        assert [(e.version, e.author, e.event_version) for e in store.events(key)] == [
            (1, None, 1),
            (2, None, 1),
        ]
        assert store.remembered(key, "k") is not None
        store.append(key, 2, [EVENT], "t", author=Author("a", "legal"))
        assert (store.events(key)[-1].author, store.events(key)[-1].event_version) == (
            Author("a", "legal"),
            EVENT_VERSION,
        )
    finally:
        store.close()
