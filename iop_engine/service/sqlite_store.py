"""The SQLite event store: one database file, shared safely by several processes.

Writers take the database lock at the start of their transaction (`BEGIN IMMEDIATE`), so the
version check and the insert see the same state; WAL lets readers go on meanwhile. Each call
opens its own connection: sqlite3 connections must not be shared between the server's threads.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from iop_engine.service import migrations
from iop_engine.service.store import (
    IdempotentAppend,
    Remembered,
    StoredEvent,
    StoreError,
    StreamBound,
    StreamInfo,
    UnknownStream,
    VersionConflict,
    decode,
    encode,
    utc_now,
)

_BUSY_TIMEOUT_MS = 30_000


class SqliteStore:
    def __init__(self, path: str) -> None:
        self.path = path
        parent = Path(path).parent
        if not parent.is_dir():
            raise StoreError(f"the directory of the SQLite database '{path}' does not exist; create it first")
        self._migrate()

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            # FULL: an append acknowledged to a client survives a crash of the machine, too.
            conn.execute("PRAGMA synchronous = FULL")
            yield conn
        finally:
            conn.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _migrate(self) -> None:
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode = WAL")
        with self._write() as conn:
            conn.execute(migrations.MIGRATIONS_TABLE)
            applied = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
            if applied and max(applied) > migrations.latest():
                raise StoreError(migrations.too_new_message(max(applied)))
            for migration in migrations.pending(applied):
                for statement in migration.statements:
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, utc_now()),
                )

    def schema_version(self) -> int:
        with self._connect() as conn:
            row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def create_stream(self, stream_id: str, agreement: str) -> bool:
        with self._write() as conn:
            row = conn.execute("SELECT agreement FROM streams WHERE stream_id = ?", (stream_id,)).fetchone()
            if row is not None:
                if row[0] != agreement:
                    raise StreamBound(stream_id, row[0])
                return False
            conn.execute(
                "INSERT INTO streams (stream_id, agreement, created_at) VALUES (?, ?, ?)",
                (stream_id, agreement, utc_now()),
            )
            return True

    def stream(self, stream_id: str) -> StreamInfo | None:
        with self._connect() as conn:
            row = conn.execute(
                "SELECT s.agreement, (SELECT coalesce(max(version), 0) FROM events e"
                " WHERE e.stream_id = s.stream_id) FROM streams s WHERE s.stream_id = ?",
                (stream_id,),
            ).fetchone()
        return None if row is None else StreamInfo(stream_id, row[0], int(row[1]))

    def events(self, stream_id: str) -> list[StoredEvent]:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT version, recorded_at, body FROM events WHERE stream_id = ? ORDER BY version",
                (stream_id,),
            ).fetchall()
        return [StoredEvent(int(v), str(at), decode(body)) for v, at, body in rows]

    def append(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[Mapping[str, Any]],
        recorded_at: str,
        idempotency: IdempotentAppend | None = None,
    ) -> int:
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM streams WHERE stream_id = ?", (stream_id,)).fetchone() is None:
                raise UnknownStream(f"stream '{stream_id}' does not exist; create it first")
            row = conn.execute(
                "SELECT coalesce(max(version), 0) FROM events WHERE stream_id = ?", (stream_id,)
            ).fetchone()
            if int(row[0]) != expected_version:
                raise VersionConflict(stream_id, expected_version, int(row[0]))
            try:
                conn.executemany(
                    "INSERT INTO events (stream_id, version, recorded_at, body) VALUES (?, ?, ?, ?)",
                    [
                        (stream_id, expected_version + i, recorded_at, encode(event))
                        for i, event in enumerate(events, start=1)
                    ],
                )
                if idempotency is not None:
                    conn.execute(
                        "INSERT INTO idempotency (stream_id, key, fingerprint, status, response)"
                        " VALUES (?, ?, ?, ?, ?)",
                        (
                            stream_id,
                            idempotency.key,
                            idempotency.fingerprint,
                            idempotency.status,
                            encode(idempotency.response),
                        ),
                    )
            except sqlite3.IntegrityError:
                raise VersionConflict(stream_id, expected_version, None) from None
        return expected_version + len(events)

    def remembered(self, stream_id: str, key: str) -> Remembered | None:
        with self._connect() as conn:
            row = conn.execute(
                "SELECT fingerprint, status, response FROM idempotency WHERE stream_id = ? AND key = ?",
                (stream_id, key),
            ).fetchone()
        return None if row is None else Remembered(str(row[0]), int(row[1]), decode(row[2]))

    def close(self) -> None:
        """Nothing to release: every call closes its own connection."""
