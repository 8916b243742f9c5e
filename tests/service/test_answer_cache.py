"""The answer cache never serves a state built from events that were not stored: an append that
loses a race, or whose store step fails, leaves the stream's state as the stored events make it."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from iop_engine import load_library, replay
from iop_engine.service import Settings, create_app
from iop_engine.service.engine import EnginePool
from iop_engine.service.store import Author, EventStore, IdempotentAppend, StoreError, open_store

from .conftest import LEGAL, TOKENS_ENV, TestClient, new_stream_id

HELSINGBORG = "helsingborg-iop-2025"
WRITERS = 8
ROUNDS = 5


def payment(amount: str) -> dict[str, Any]:
    """A payment whose amount shows in the state's money: different amounts, different states."""
    return {
        "type": "payment_made",
        "date": "2025-01-20",
        "to": "fralsningsarmen",
        "amount": amount,
        "covers": {"from": "2025-01-01", "to": "2025-12-31"},
    }


class Interfering:
    """A store through which the next append fails after the app has computed its answer: either
    another writer takes the version first (the app's 409), or the insert itself fails."""

    def __init__(self, inner: EventStore) -> None:
        self.inner = inner
        self.competitor: Mapping[str, Any] | None = None
        self.fail_insert = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def append(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[Mapping[str, Any]],
        recorded_at: str,
        idempotency: IdempotentAppend | None = None,
        author: Author | None = None,
    ) -> int:
        if self.competitor is not None:
            competitor, self.competitor = self.competitor, None
            self.inner.append(stream_id, expected_version, [competitor], recorded_at, author=author)
        if self.fail_insert:
            self.fail_insert = False
            raise StoreError("the insert failed")
        return self.inner.append(stream_id, expected_version, events, recorded_at, idempotency, author)


@pytest.fixture
def interfering(tmp_path: Path, engine: EnginePool) -> Iterator[tuple[Any, Interfering]]:
    store = Interfering(open_store(f"sqlite:///{tmp_path / 'race.sqlite3'}"))
    app = create_app(Settings(), store=store, engine=engine, environ=TOKENS_ENV)  # type: ignore[arg-type]
    try:
        with TestClient(app) as client:
            yield client, store
    finally:
        store.inner.close()


def _stream(client: Any) -> str:
    sid = new_stream_id()
    assert client.put(f"/v1/streams/{sid}", json={"agreement": HELSINGBORG}, headers=LEGAL).status_code == 201
    return sid


def _append(client: Any, sid: str, version: int, event: Mapping[str, Any]) -> Any:
    body = {"expected_version": version, "events": [event]}
    return client.post(f"/v1/streams/{sid}/events", json=body, headers=LEGAL)


def _stored_state(client: Any, sid: str) -> dict[str, Any]:
    events = client.get(f"/v1/streams/{sid}/events", headers=LEGAL).json()["events"]
    return replay(load_library()[HELSINGBORG], [e["event"] for e in events]).to_dict()


def test_the_loser_of_a_race_leaves_the_winners_state(interfering: tuple[Any, Interfering]) -> None:
    """Another writer stores version 1 between this append's read and its write: the append is
    409, the stream's state is the winner's, and the next append's changes start from it. (On the
    old cache, keyed by stream and version, the state was the loser's.)"""
    client, store = interfering
    sid = _stream(client)
    store.competitor = payment("100.00")
    assert _append(client, sid, 0, payment("999.00")).status_code == 409
    assert client.get(f"/v1/streams/{sid}", headers=LEGAL).json()["state"] == _stored_state(client, sid)
    after = _append(client, sid, 1, payment("5.00"))
    assert after.status_code == 201
    assert after.json()["state"] == _stored_state(client, sid)


def test_an_append_whose_insert_fails_leaves_no_trace(interfering: tuple[Any, Interfering]) -> None:
    """The store step fails (503): nothing stored, and the next append's state is built from the
    stored events alone."""
    client, store = interfering
    sid = _stream(client)
    store.fail_insert = True
    assert _append(client, sid, 0, payment("999.00")).status_code == 503
    response = _append(client, sid, 0, payment("100.00"))
    assert response.status_code == 201
    state = client.get(f"/v1/streams/{sid}", headers=LEGAL).json()["state"]
    assert state == response.json()["state"] == _stored_state(client, sid)


def _race(client: Any, sid: str) -> list[int]:
    """`WRITERS` threads append to `sid` at version 0 at once, each its own amount; their statuses."""
    barrier = threading.Barrier(WRITERS)
    statuses: list[int] = []

    def write(writer: int) -> None:
        barrier.wait()
        statuses.append(_append(client, sid, 0, payment(f"{writer + 1}.00")).status_code)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_racing_writers_then_reading_see_the_stored_state(client: Any) -> None:
    """Round after round, 8 threads append to a new stream at version 0 at once, each event with
    its own amount: one wins, seven get 409, and the stream's state is the replay of exactly the
    stored event. (On the old cache, keyed by stream and version, it was often a loser's.)"""
    for _ in range(ROUNDS):
        sid = _stream(client)
        assert sorted(_race(client, sid)) == [201] + [409] * (WRITERS - 1)
        state = client.get(f"/v1/streams/{sid}", headers=LEGAL).json()["state"]
        assert state == _stored_state(client, sid)
