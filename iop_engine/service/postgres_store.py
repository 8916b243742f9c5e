"""The PostgreSQL event store, for several service processes sharing one database.

Appends run at READ COMMITTED: the version check can race, but the primary key (stream,
version) cannot, so of two writers with the same expected version one gets a unique violation,
reported as `VersionConflict`. Migrations take a transaction-level advisory lock so that
services starting together do not migrate twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import psycopg
import psycopg_pool

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

# Any constant works; it only has to be the same in every iop-engine process.
_MIGRATION_LOCK = 7_104_250_001
_POOL_SIZE = 8


class PostgresStore:
    def __init__(self, url: str, pool_size: int = _POOL_SIZE) -> None:
        try:
            self._pool = psycopg_pool.ConnectionPool(
                url, min_size=1, max_size=pool_size, open=True, timeout=30
            )
            self._pool.wait(timeout=10)
        except (psycopg.Error, psycopg_pool.PoolTimeout) as error:
            raise StoreError(f"cannot connect to PostgreSQL at the configured URL: {error}") from None
        self._migrate()

    def _migrate(self) -> None:
        with self._pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            conn.execute(migrations.MIGRATIONS_TABLE)
            applied = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
            if applied and max(applied) > migrations.latest():
                raise StoreError(migrations.too_new_message(max(applied)))
            for migration in migrations.pending(applied):
                for statement in migration.statements:
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (%s, %s, %s)",
                    (migration.version, migration.name, utc_now()),
                )

    def schema_version(self) -> int:
        with self._pool.connection() as conn:
            row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0) if row else 0

    def create_stream(self, stream_id: str, agreement: str) -> bool:
        with self._pool.connection() as conn, conn.transaction():
            inserted = conn.execute(
                "INSERT INTO streams (stream_id, agreement, created_at) VALUES (%s, %s, %s)"
                " ON CONFLICT (stream_id) DO NOTHING",
                (stream_id, agreement, utc_now()),
            ).rowcount
            if inserted:
                return True
            row = conn.execute("SELECT agreement FROM streams WHERE stream_id = %s", (stream_id,)).fetchone()
        if row is None or row[0] != agreement:
            raise StreamBound(stream_id, row[0] if row else "(unknown)")
        return False

    def stream(self, stream_id: str) -> StreamInfo | None:
        with self._pool.connection() as conn:
            row = conn.execute(
                "SELECT s.agreement, (SELECT coalesce(max(version), 0) FROM events e"
                " WHERE e.stream_id = s.stream_id) FROM streams s WHERE s.stream_id = %s",
                (stream_id,),
            ).fetchone()
        return None if row is None else StreamInfo(stream_id, row[0], int(row[1]))

    def events(self, stream_id: str) -> list[StoredEvent]:
        with self._pool.connection() as conn:
            rows = conn.execute(
                "SELECT version, recorded_at, body FROM events WHERE stream_id = %s ORDER BY version",
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
        try:
            with self._pool.connection() as conn, conn.transaction():
                if (
                    conn.execute("SELECT 1 FROM streams WHERE stream_id = %s", (stream_id,)).fetchone()
                    is None
                ):
                    raise UnknownStream(f"stream '{stream_id}' does not exist; create it first")
                row = conn.execute(
                    "SELECT coalesce(max(version), 0) FROM events WHERE stream_id = %s", (stream_id,)
                ).fetchone()
                current = int(row[0]) if row else 0
                if current != expected_version:
                    raise VersionConflict(stream_id, expected_version, current)
                with conn.cursor() as cursor:
                    cursor.executemany(
                        "INSERT INTO events (stream_id, version, recorded_at, body) VALUES (%s, %s, %s, %s)",
                        [
                            (stream_id, expected_version + i, recorded_at, encode(event))
                            for i, event in enumerate(events, start=1)
                        ],
                    )
                if idempotency is not None:
                    conn.execute(
                        "INSERT INTO idempotency (stream_id, key, fingerprint, status, response)"
                        " VALUES (%s, %s, %s, %s, %s)",
                        (
                            stream_id,
                            idempotency.key,
                            idempotency.fingerprint,
                            idempotency.status,
                            encode(idempotency.response),
                        ),
                    )
        except psycopg.errors.UniqueViolation:
            raise VersionConflict(stream_id, expected_version, None) from None
        return expected_version + len(events)

    def remembered(self, stream_id: str, key: str) -> Remembered | None:
        with self._pool.connection() as conn:
            row = conn.execute(
                "SELECT fingerprint, status, response FROM idempotency WHERE stream_id = %s AND key = %s",
                (stream_id, key),
            ).fetchone()
        return None if row is None else Remembered(str(row[0]), int(row[1]), decode(row[2]))

    def close(self) -> None:
        self._pool.close()
