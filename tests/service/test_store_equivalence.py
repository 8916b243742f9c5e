"""The stores are interchangeable: for drawn sequences of operations, SQLite, PostgreSQL and the
memory store give the same results, raise the same errors and end in the same state."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iop_engine.service.store import Author, EventStore, IdempotentAppend, open_store

from .conftest import MEMORY

STREAMS = st.sampled_from(["a", "b"])
AGREEMENTS = st.sampled_from(["helsingborg-iop-2025", "stockholm-sof-2026-268"])
EVENTS = st.lists(
    st.fixed_dictionaries({"type": st.just("review_held"), "note": st.text(max_size=3)}),
    min_size=1,
    max_size=3,
)
MOMENTS = st.sampled_from(
    ["2026-01-01T00:00:00+00:00", "2026-01-05T00:00:00+00:00", "2026-01-09T00:00:00+00:00"]
)
Operation = tuple[Any, ...]
OPERATIONS = st.lists(
    st.tuples(st.just("create"), STREAMS, AGREEMENTS)
    | st.tuples(
        st.just("append"),
        STREAMS,
        st.none() | st.integers(0, 4),  # None: the version the store says it has
        EVENTS,
        MOMENTS,
        st.none() | st.sampled_from(["k1", "k2"]),
        st.none() | st.sampled_from([Author("anna", "legal"), Author("fa", "org:fralsningsarmen")]),
    )
    | st.tuples(st.just("remembered"), STREAMS, st.sampled_from(["k1", "k2"]), MOMENTS)
    | st.tuples(st.just("forget"), MOMENTS),
    max_size=12,
)


def _apply(store: EventStore, prefix: str, operation: Operation) -> Any:
    """The operation's outcome: its result, or the name of the error it raised."""
    kind, *args = operation
    try:
        if kind == "create":
            return store.create_stream(prefix + args[0], args[1])
        if kind == "append":
            sid, version, events, moment, key, author = args
            if version is None:
                info = store.stream(prefix + sid)
                version = info.version if info else 0
            remember = IdempotentAppend(key, "fp", 201, {"v": version}) if key else None
            return store.append(prefix + sid, version, events, moment, remember, author)
        if kind == "remembered":
            return store.remembered(prefix + args[0], args[1], args[2])
        return store.forget_idempotency(args[0]) > 0
    except Exception as error:  # the contract's errors, compared by name
        return type(error).__name__


def _state(store: EventStore, prefix: str) -> Any:
    return [(store.stream(prefix + s), store.events(prefix + s)) for s in ("a", "b")]


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory, postgres_url: str) -> Iterator[list[EventStore]]:
    sqlite = f"sqlite:///{tmp_path_factory.mktemp('equal') / 'equal.sqlite3'}"
    opened = [open_store(url) for url in (sqlite, postgres_url)]
    try:
        yield opened
    finally:
        for store in opened:
            store.close()


def test_sqlite_postgresql_and_memory_agree(stores: list[EventStore]) -> None:
    """Each drawn sequence runs on fresh streams of every store (and a fresh memory store);
    every outcome and the final streams and records are equal."""

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(operations=OPERATIONS)
    def check(operations: list[Operation]) -> None:
        prefix = f"eq-{uuid.uuid4().hex[:10]}-"
        # forget_idempotency acts on every stream: the SQL stores also hold earlier examples'.
        compared = [op for op in operations if op[0] != "forget"]
        targets = [*stores, open_store(MEMORY)]
        for operation in compared:
            outcomes = [_apply(store, prefix, operation) for store in targets]
            assert outcomes[0] == outcomes[1] == outcomes[2], (operation, outcomes)
        states = [_state(store, prefix) for store in targets]
        assert states[0] == states[1] == states[2]

    check()


def test_forgetting_idempotency_agrees(tmp_path: Path) -> None:
    """forget_idempotency, left out above because it reaches every stream (the PostgreSQL schema
    holds other tests' records), on a new SQLite database and in memory."""
    targets = [open_store(f"sqlite:///{tmp_path / 'f.sqlite3'}"), open_store(MEMORY)]
    try:
        for store in targets:
            store.create_stream("s", "helsingborg-iop-2025")
            store.append("s", 0, [{"type": "x"}], "2026-01-01", IdempotentAppend("k", "fp", 201, {}))
            store.append("s", 1, [{"type": "x"}], "2026-01-09", IdempotentAppend("k2", "fp", 201, {}))
        counts = [store.forget_idempotency("2026-01-05") for store in targets]
        assert counts == [1, 1]
        assert [store.remembered("s", "k2") is not None for store in targets] == [True, True]
    finally:
        for store in targets:
            store.close()
