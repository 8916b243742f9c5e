"""The event store in memory: the same contract as the SQL stores, for fast tests and for trying
the service without a database file (`memory://`). Nothing survives the process.

One lock makes every method one transaction, as the databases' are.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

from iop_engine.service import migrations
from iop_engine.service.store import (
    Author,
    IdempotentAppend,
    Remembered,
    StoredEvent,
    StreamBound,
    StreamInfo,
    UnknownStream,
    VersionConflict,
    decode,
    encode,
)


class MemoryStore:
    def __init__(self) -> None:
        self._agreements: dict[str, str] = {}
        self._events: dict[str, list[StoredEvent]] = {}
        # (stream, key) → (the record, when it was written)
        self._remembered: dict[tuple[str, str], tuple[Remembered, str]] = {}
        self._lead_times: dict[str, dict[str, tuple[int, ...]]] = {}
        self._lock = threading.Lock()

    def create_stream(self, stream_id: str, agreement: str) -> bool:
        with self._lock:
            bound = self._agreements.setdefault(stream_id, agreement)
            if bound != agreement:
                raise StreamBound(stream_id, bound)
            if stream_id in self._events:
                return False
            self._events[stream_id] = []
            return True

    def stream(self, stream_id: str) -> StreamInfo | None:
        found = self.streams([stream_id])
        return found[0] if found else None

    def streams(self, stream_ids: Sequence[str]) -> list[StreamInfo]:
        with self._lock:
            return [
                StreamInfo(s, self._agreements[s], len(self._events[s]))
                for s in stream_ids
                if s in self._events
            ]

    def events(self, stream_id: str) -> list[StoredEvent]:
        with self._lock:
            return list(self._events.get(stream_id, []))

    def append(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[Mapping[str, Any]],
        recorded_at: str,
        idempotency: IdempotentAppend | None = None,
        author: Author | None = None,
    ) -> int:
        with self._lock:
            stored = self._events.get(stream_id)
            if stored is None:
                raise UnknownStream(f"stream '{stream_id}' does not exist; create it first")
            if len(stored) != expected_version:
                raise VersionConflict(stream_id, expected_version, len(stored))
            if idempotency is not None and (stream_id, idempotency.key) in self._remembered:
                # As the databases' primary key (stream, key) does: the whole append fails.
                raise VersionConflict(stream_id, expected_version, None)
            # Stored as the databases store them: a JSON copy, not the caller's objects.
            stored.extend(
                StoredEvent(expected_version + i, recorded_at, decode(encode(event)), author)
                for i, event in enumerate(events, start=1)
            )
            if idempotency is not None:
                response = decode(encode(idempotency.response))
                remembered = Remembered(idempotency.fingerprint, idempotency.status, response)
                self._remembered[(stream_id, idempotency.key)] = (remembered, recorded_at)
            return len(stored)

    def remembered(self, stream_id: str, key: str, since: str = "") -> Remembered | None:
        with self._lock:
            found = self._remembered.get((stream_id, key))
        return found[0] if found and found[1] >= since else None

    def forget_idempotency(self, before: str) -> int:
        with self._lock:
            old = [k for k, (_, at) in self._remembered.items() if at < before]
            for key in old:
                del self._remembered[key]
        return len(old)

    def lead_times(self, holder: str) -> dict[str, tuple[int, ...]]:
        with self._lock:
            return dict(self._lead_times.get(holder, {}))

    def save_lead_times(self, holder: str, agreement: str, days: tuple[int, ...]) -> None:
        with self._lock:
            saved = self._lead_times.setdefault(holder, {})
            if days:
                saved[agreement] = tuple(days)
            else:
                saved.pop(agreement, None)

    def schema_version(self) -> int:
        return migrations.latest()  # always today's schema: it is made anew with every process

    def close(self) -> None:
        """Nothing to release."""
