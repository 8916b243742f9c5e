"""Versioned schema migrations, applied by the service on start.

Each migration is a numbered list of statements that SQLite and PostgreSQL both accept;
`schema_migrations` records which ran. Migrations are only ever added, never edited, so a
database tells which schema it has.
"""

from __future__ import annotations

import attrs

MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
)
"""


@attrs.frozen
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


_V1 = (
    """CREATE TABLE streams (
        stream_id TEXT PRIMARY KEY,
        agreement TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE events (
        stream_id TEXT NOT NULL REFERENCES streams (stream_id),
        version INTEGER NOT NULL CHECK (version > 0),
        recorded_at TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (stream_id, version)
    )""",
    """CREATE TABLE idempotency (
        stream_id TEXT NOT NULL REFERENCES streams (stream_id),
        key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        status INTEGER NOT NULL,
        response TEXT NOT NULL,
        PRIMARY KEY (stream_id, key)
    )""",
)

# Idempotency records expire: each keeps when it was written. Records from before this migration
# get '' and so count as expired at once (a retry comes within minutes of its request).
_V2 = (
    "ALTER TABLE idempotency ADD COLUMN recorded_at TEXT NOT NULL DEFAULT ''",
    "CREATE INDEX idempotency_recorded_at ON idempotency (recorded_at)",
)

# Stream ids are scoped by agreement: the key is `<agreement>/<stream id>` (`app.stream_key`; a
# stream id has no '/'). Existing streams get their agreement's prefix: the new parent rows
# first, then the children point at them, then the old parents go, so no foreign key ever
# dangles (neither database lets a key with children be changed in place).
_PLAIN = "stream_id NOT LIKE '%/%'"
_V3 = (
    "INSERT INTO streams (stream_id, agreement, created_at)"
    f" SELECT agreement || '/' || stream_id, agreement, created_at FROM streams WHERE {_PLAIN}",
    *(
        f"UPDATE {table} SET stream_id = (SELECT s.agreement FROM streams s"
        f" WHERE s.stream_id = {table}.stream_id) || '/' || stream_id WHERE {_PLAIN}"
        for table in ("events", "idempotency")
    ),
    f"DELETE FROM streams WHERE {_PLAIN}",
)

# Each record keeps who appended it: the token's holder and role. Records from before get '' and
# are reported with no author.
_V4 = (
    "ALTER TABLE events ADD COLUMN author TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE events ADD COLUMN author_role TEXT NOT NULL DEFAULT ''",
)

# Each record keeps the version of the event shapes it was written in (store.EVENT_VERSION);
# records from before are version 1, which `upcast` turns into today's shapes when read.
_V5 = ("ALTER TABLE events ADD COLUMN event_version INTEGER NOT NULL DEFAULT 1",)

# Lead times for "Att bevaka", saved per token holder: for one agreement, or for every agreement
# the holder sees (agreement '').
_V6 = (
    """CREATE TABLE lead_times (
        holder TEXT NOT NULL,
        agreement TEXT NOT NULL,
        days TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        PRIMARY KEY (holder, agreement)
    )""",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "streams, events, idempotency", _V1),
    Migration(2, "idempotency records expire", _V2),
    Migration(3, "stream ids scoped by agreement", _V3),
    Migration(4, "records keep their author", _V4),
    Migration(5, "records keep their event version", _V5),
    Migration(6, "lead times per holder and agreement", _V6),
)


def latest() -> int:
    return MIGRATIONS[-1].version


def pending(applied: set[int]) -> list[Migration]:
    return [m for m in MIGRATIONS if m.version not in applied]


def too_new_message(found: int) -> str:
    return (
        f"the database has schema version {found}, newer than this iop-engine knows ({latest()}); "
        "run the iop-engine version that migrated it, or a newer one"
    )
