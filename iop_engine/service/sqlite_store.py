"""The SQLite event store: one database file, shared safely by several processes.

Writers take the database lock at the start of their transaction (`BEGIN IMMEDIATE`), so the
version check and the insert see the same state; WAL lets readers go on meanwhile. Each call
opens its own connection: sqlite3 connections must not be shared between the server's threads.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from iop_engine.service.sql_store import Connection, SqlStore
from iop_engine.service.store import StoreError

_BUSY_TIMEOUT_MS = 30_000


class SqliteStore(SqlStore):
    paramstyle = "qmark"
    duplicate_key = sqlite3.IntegrityError
    driver_error = sqlite3.Error

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        parent = Path(path).parent
        if not parent.is_dir():
            raise StoreError(f"the directory of the SQLite database '{path}' does not exist; create it first")
        with self._read() as conn:
            conn.execute("PRAGMA journal_mode = WAL")
        self.migrate()

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
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
        with self._read() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _lock_migrations(self, conn: Connection) -> None:
        """Nothing more to do: BEGIN IMMEDIATE already holds the database's write lock."""

    def close(self) -> None:
        """Nothing to release: every call closes its own connection."""
