"""The PostgreSQL event store, for several service processes sharing one database.

Appends run at READ COMMITTED: the version check can race, but the primary key (stream,
version) cannot, so of two writers with the same expected version one gets a unique violation,
reported as `VersionConflict`. Migrations take a transaction-level advisory lock so that
services starting together do not migrate twice.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import psycopg
import psycopg_pool

from iop_engine.service.sql_store import Connection, SqlStore
from iop_engine.service.store import StoreError

# Any constant works; it only has to be the same in every iop-engine process.
_MIGRATION_LOCK = 7_104_250_001
_POOL_SIZE = 8


class PostgresStore(SqlStore):
    paramstyle = "format"
    duplicate_key = psycopg.errors.UniqueViolation
    driver_error = (psycopg.Error, psycopg_pool.PoolTimeout)

    def __init__(self, url: str, pool_size: int = _POOL_SIZE) -> None:
        super().__init__()
        try:
            self._pool = psycopg_pool.ConnectionPool(
                url, min_size=1, max_size=pool_size, open=True, timeout=30
            )
            self._pool.wait(timeout=10)
        except (psycopg.Error, psycopg_pool.PoolTimeout) as error:
            raise StoreError(f"cannot connect to PostgreSQL at the configured URL: {error}") from None
        self.migrate()

    def _read(self) -> contextlib.AbstractContextManager[psycopg.Connection[tuple[object, ...]]]:
        return self._pool.connection()

    @contextlib.contextmanager
    def _write(self) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
        with self._pool.connection() as conn, conn.transaction():
            yield conn

    def _lock_migrations(self, conn: Connection) -> None:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))

    def close(self) -> None:
        self._pool.close()
