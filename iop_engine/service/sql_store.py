"""The event store's SQL, once for both databases.

`SqlStore` holds every query and the append's checks; a database's store says only how to get a
connection for reading and for a write transaction, how it marks parameters, which exception
means "that primary key is taken", and how migrations exclude each other. The statements are
written with `?` and rewritten once per store for drivers that mark parameters `%s`.
"""

from __future__ import annotations

import abc
import contextlib
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal, Protocol

from iop_engine.service import migrations
from iop_engine.service.store import (
    EVENT_VERSION,
    Author,
    IdempotentAppend,
    Remembered,
    StoredEvent,
    StoreError,
    StreamBound,
    StreamInfo,
    UnknownStream,
    VersionConflict,
    days_of,
    days_text,
    decode,
    encode,
    utc_now,
)


class Connection(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = (), /) -> Any: ...

    def cursor(self) -> Any: ...


_QUERIES = {
    "record_migration": "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
    "schema_version": "SELECT max(version) FROM schema_migrations",
    "applied": "SELECT version FROM schema_migrations",
    "create_stream": "INSERT INTO streams (stream_id, agreement, created_at) VALUES (?, ?, ?)"
    " ON CONFLICT (stream_id) DO NOTHING",
    "stream_agreement": "SELECT agreement FROM streams WHERE stream_id = ?",
    "stream": "SELECT s.agreement, (SELECT coalesce(max(version), 0) FROM events e"
    " WHERE e.stream_id = s.stream_id) FROM streams s WHERE s.stream_id = ?",
    "events": "SELECT version, recorded_at, body, author, author_role, event_version FROM events"
    " WHERE stream_id = ? ORDER BY version",
    "version": "SELECT coalesce(max(version), 0) FROM events WHERE stream_id = ?",
    "insert_event": "INSERT INTO events (stream_id, version, recorded_at, body, author, author_role,"
    " event_version) VALUES (?, ?, ?, ?, ?, ?, ?)",
    "remember": "INSERT INTO idempotency (stream_id, key, fingerprint, status, response, recorded_at)"
    " VALUES (?, ?, ?, ?, ?, ?)",
    "remembered": "SELECT fingerprint, status, response FROM idempotency"
    " WHERE stream_id = ? AND key = ? AND recorded_at >= ?",
    "forget": "DELETE FROM idempotency WHERE recorded_at < ?",
    "lead_times": "SELECT agreement, days FROM lead_times WHERE holder = ?",
    "save_lead_times": "INSERT INTO lead_times (holder, agreement, days, saved_at) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (holder, agreement) DO UPDATE SET days = excluded.days, saved_at = excluded.saved_at",
    "forget_lead_times": "DELETE FROM lead_times WHERE holder = ? AND agreement = ?",
}


class SqlStore(abc.ABC):
    """An `EventStore` over a DB-API connection; subclasses supply connections and dialect."""

    paramstyle: ClassVar[Literal["qmark", "format"]]
    duplicate_key: ClassVar[type[Exception]]
    driver_error: ClassVar[
        type[Exception] | tuple[type[Exception], ...]
    ]  # the driver's base error: the database cannot be used

    def __init__(self) -> None:
        self._sql = {
            name: sql.replace("?", "%s") if self.paramstyle == "format" else sql
            for name, sql in _QUERIES.items()
        }

    @abc.abstractmethod
    def _read(self) -> contextlib.AbstractContextManager[Connection]:
        """A connection for reading, closed or returned to its pool on leaving."""

    @abc.abstractmethod
    def _write(self) -> contextlib.AbstractContextManager[Connection]:
        """A connection in a transaction: committed on leaving, rolled back on an exception."""

    @abc.abstractmethod
    def close(self) -> None: ...

    @abc.abstractmethod
    def _lock_migrations(self, conn: Connection) -> None:
        """Keep two processes from migrating at once, within the write transaction `conn`."""

    def _one(self, conn: Connection, query: str, *params: Any) -> Any:
        return conn.execute(self._sql[query], params).fetchone()

    def migrate(self) -> None:
        with self._write() as conn:
            self._lock_migrations(conn)
            conn.execute(migrations.MIGRATIONS_TABLE)
            applied = {row[0] for row in conn.execute(self._sql["applied"]).fetchall()}
            if applied and max(applied) > migrations.latest():
                raise StoreError(migrations.too_new_message(max(applied)))
            for migration in migrations.pending(applied):
                for statement in migration.statements:
                    conn.execute(statement)
                conn.execute(self._sql["record_migration"], (migration.version, migration.name, utc_now()))

    def schema_version(self) -> int:
        """The database's schema version; `StoreError` if the database cannot be read (health)."""
        try:
            with self._read() as conn:
                row = self._one(conn, "schema_version")
        except self.driver_error as error:
            raise StoreError(f"cannot read the database: {error}") from None
        return int(row[0] or 0) if row else 0

    def create_stream(self, stream_id: str, agreement: str) -> bool:
        with self._write() as conn:
            if conn.execute(self._sql["create_stream"], (stream_id, agreement, utc_now())).rowcount:
                return True
            row = self._one(conn, "stream_agreement", stream_id)
        if row is None or row[0] != agreement:
            raise StreamBound(stream_id, row[0] if row else "(unknown)")
        return False

    def stream(self, stream_id: str) -> StreamInfo | None:
        found = self.streams([stream_id])
        return found[0] if found else None

    def streams(self, stream_ids: Sequence[str]) -> list[StreamInfo]:
        # One short query per id, on one connection: ids come one per agreement, a handful.
        with self._read() as conn:
            rows = [(stream_id, self._one(conn, "stream", stream_id)) for stream_id in stream_ids]
        return [StreamInfo(stream_id, row[0], int(row[1])) for stream_id, row in rows if row is not None]

    def events(self, stream_id: str) -> list[StoredEvent]:
        with self._read() as conn:
            rows = conn.execute(self._sql["events"], (stream_id,)).fetchall()
        return [
            StoredEvent(int(v), str(at), decode(body), Author(name, role) if name else None, int(shapes))
            for v, at, body, name, role, shapes in rows
        ]

    def append(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[Mapping[str, Any]],
        recorded_at: str,
        idempotency: IdempotentAppend | None = None,
        author: Author | None = None,
    ) -> int:
        name, role = (author.name, author.role) if author else ("", "")
        try:
            with self._write() as conn:
                if self._one(conn, "stream_agreement", stream_id) is None:
                    raise UnknownStream(f"stream '{stream_id}' does not exist; create it first")
                current = int(self._one(conn, "version", stream_id)[0])
                if current != expected_version:
                    raise VersionConflict(stream_id, expected_version, current)
                rows = [
                    (stream_id, expected_version + i, recorded_at, encode(event), name, role, EVENT_VERSION)
                    for i, event in enumerate(events, start=1)
                ]
                conn.cursor().executemany(self._sql["insert_event"], rows)
                if idempotency is not None:
                    conn.execute(
                        self._sql["remember"],
                        (
                            stream_id,
                            idempotency.key,
                            idempotency.fingerprint,
                            idempotency.status,
                            encode(idempotency.response),
                            recorded_at,
                        ),
                    )
        except self.duplicate_key:
            # Another writer took one of these versions between our check and our insert.
            raise VersionConflict(stream_id, expected_version, None) from None
        return expected_version + len(events)

    def remembered(self, stream_id: str, key: str, since: str = "") -> Remembered | None:
        with self._read() as conn:
            row = self._one(conn, "remembered", stream_id, key, since)
        return None if row is None else Remembered(str(row[0]), int(row[1]), decode(row[2]))

    def forget_idempotency(self, before: str) -> int:
        with self._write() as conn:
            forgotten: int = conn.execute(self._sql["forget"], (before,)).rowcount
        return forgotten

    def lead_times(self, holder: str) -> dict[str, tuple[int, ...]]:
        with self._read() as conn:
            rows = conn.execute(self._sql["lead_times"], (holder,)).fetchall()
        return {str(agreement): days_of(str(days)) for agreement, days in rows}

    def save_lead_times(self, holder: str, agreement: str, days: tuple[int, ...]) -> None:
        with self._write() as conn:
            if days:
                conn.execute(self._sql["save_lead_times"], (holder, agreement, days_text(days), utc_now()))
            else:
                conn.execute(self._sql["forget_lead_times"], (holder, agreement))
