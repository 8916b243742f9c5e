"""The event store: one interface, two databases (SQLite embedded, PostgreSQL) and memory.

A stream is bound to one agreement when it is created. Each record keeps who appended it
(`Author`). Its events are numbered 1, 2, … by the database itself: the primary key (stream,
version) refuses a second event with the same number, so two writers that read the same version
cannot both append (`VersionConflict`). A successful
append may carry an idempotency record (key, request fingerprint, response) written in the same
transaction, so a retry finds either everything or nothing; records expire (the service forgets
them after `Settings.idempotency_days`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import attrs

from iop_engine.errors import IopError


class StoreError(IopError):
    """Raised when the database cannot be used as configured (URL, schema version)."""


class VersionConflict(IopError):
    """Raised when an append's expected version is not the stream's current version."""

    def __init__(self, stream_id: str, expected: int, actual: int | None) -> None:
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual
        now = f"is at version {actual}" if actual is not None else "was appended to concurrently"
        super().__init__(
            f"stream '{stream_id}' {now}, not {expected}; nothing was stored. "
            "Read the stream again and retry with its current version."
        )


class StreamBound(IopError):
    """Raised when a stream id is already bound to another agreement."""

    def __init__(self, stream_id: str, agreement: str) -> None:
        self.stream_id = stream_id
        self.agreement = agreement
        super().__init__(
            f"stream '{stream_id}' already exists for agreement '{agreement}'; "
            "a stream stays bound to the agreement it was created for. Choose another stream id."
        )


class UnknownStream(IopError):
    """Raised when appending to a stream that was never created."""


@attrs.frozen
class StreamInfo:
    stream_id: str
    agreement: str
    version: int


# The version of the event shapes records are written in (`upcast` turns older ones into
# today's). 1: the events of the first service. 2: a correction says why (`reason`).
EVENT_VERSION = 2


@attrs.frozen
class Author:
    """Who appended a record: the token's holder (`name`) and its role (`legal`, `org:<party>`)."""

    name: str
    role: str


@attrs.frozen
class StoredEvent:
    version: int
    recorded_at: str
    event: Mapping[str, Any]
    # None for records appended before the store kept authorship (schema migration 4).
    author: Author | None = None
    # The shapes `event` is written in; records from before schema migration 5 are version 1.
    event_version: int = EVENT_VERSION


@attrs.frozen
class Remembered:
    """The first answer to an idempotent append, kept to answer its retries."""

    fingerprint: str
    status: int
    response: Mapping[str, Any]


@attrs.frozen
class IdempotentAppend:
    key: str
    fingerprint: str
    status: int
    response: Mapping[str, Any]


class EventStore(Protocol):
    """What the service needs from a database. Every method is one short transaction."""

    def create_stream(self, stream_id: str, agreement: str) -> bool:
        """Bind `stream_id` to `agreement`; True if created, False if it already was (same agreement).

        Raises `StreamBound` if the stream exists for another agreement.
        """

    def stream(self, stream_id: str) -> StreamInfo | None: ...

    def streams(self, stream_ids: Sequence[str]) -> list[StreamInfo]:
        """Those of `stream_ids` that exist, in the order given."""

    def events(self, stream_id: str) -> list[StoredEvent]: ...

    def append(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[Mapping[str, Any]],
        recorded_at: str,
        idempotency: IdempotentAppend | None = None,
        author: Author | None = None,
    ) -> int:
        """Store `events` as versions expected+1…, each with its `author`; all or nothing.
        Returns the new version.

        Raises `VersionConflict` if the stream is not at `expected_version`, `UnknownStream` if
        it does not exist.
        """

    def remembered(self, stream_id: str, key: str, since: str = "") -> Remembered | None:
        """The idempotency record of `key`, if it was written at or after `since` (ISO UTC)."""

    def forget_idempotency(self, before: str) -> int:
        """Delete the idempotency records written before `before`; how many there were."""

    def lead_times(self, holder: str) -> dict[str, tuple[int, ...]]:
        """The lead times `holder` saved, per agreement id ('' for every agreement)."""

    def save_lead_times(self, holder: str, agreement: str, days: tuple[int, ...]) -> None:
        """Save `holder`'s lead times for `agreement` ('' for every agreement); none forgets them."""

    def schema_version(self) -> int: ...

    def close(self) -> None: ...


def days_text(days: tuple[int, ...]) -> str:
    """Lead times as the stores keep them: "90,60,30"."""
    return ",".join(str(d) for d in days)


def days_of(text: str) -> tuple[int, ...]:
    return tuple(int(d) for d in text.split(",") if d)


def encode(value: Mapping[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def decode(text: str) -> dict[str, Any]:
    value = json.loads(text)
    if not isinstance(value, dict):
        raise StoreError(f"a stored record is not a JSON object: {text[:80]!r}")
    return value


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def open_store(url: str) -> EventStore:
    """The store for a database URL: `sqlite:///path` or `postgresql://…`, schema migrated; or
    `memory://`, a store in this process's memory (nothing is kept when it ends)."""
    if url == "memory://":
        from iop_engine.service.memory_store import MemoryStore  # noqa: PLC0415

        return MemoryStore()
    if url.startswith("sqlite:///"):
        from iop_engine.service.sqlite_store import SqliteStore  # noqa: PLC0415 - keeps psycopg optional

        return SqliteStore(url.removeprefix("sqlite:///"))
    if url.startswith(("postgresql://", "postgres://")):
        from iop_engine.service.postgres_store import PostgresStore  # noqa: PLC0415

        return PostgresStore(url)
    raise StoreError(
        f"unsupported database URL '{url.split(':', 1)[0]}:…'; use sqlite:///PATH "
        "(e.g. sqlite:///./iop-events.sqlite3), postgresql://USER@HOST:PORT/DATABASE or memory:// "
        "(kept in memory only)"
    )
