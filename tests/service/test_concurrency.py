"""Several processes append to one stream at once, on the SQLite file and on PostgreSQL."""

from __future__ import annotations

import multiprocessing

from iop_engine.service.store import EventStore

from .conftest import needs_a_database, new_stream_id
from .workers import append_racer

PROCESSES = 4
ATTEMPTS = 25


def test_concurrent_appenders_lose_and_duplicate_nothing(store: EventStore, database_url: str) -> None:
    """4 processes × 25 appends at the version they read: every stored event was acknowledged
    exactly once, by the process it names as its author; versions run 1..N without gaps, every
    failure was a VersionConflict."""
    needs_a_database(database_url)
    sid = new_stream_id()
    store.create_stream(sid, "helsingborg-iop-2025")
    context = multiprocessing.get_context("spawn")
    with context.Pool(PROCESSES) as pool:
        results = pool.starmap(
            append_racer, [(database_url, sid, f"p{n}", ATTEMPTS) for n in range(PROCESSES)]
        )
    acked = [note for notes, _ in results for note in notes]
    conflicts = sum(c for _, c in results)
    stored = store.events(sid)
    assert [e.version for e in stored] == list(range(1, len(stored) + 1))
    assert sorted(e.event["note"] for e in stored) == sorted(acked)
    assert all(e.author is not None and e.event["note"].startswith(e.author.name + "-") for e in stored)
    assert len(set(acked)) == len(acked)
    assert len(acked) + conflicts == PROCESSES * ATTEMPTS
