"""Stored events carry the version of the event shapes they were written in; a stream written in
version 1 (the first service's shapes: corrections gave no reason) replays, lists, audits and
takes new events today."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

from iop_engine import load_library, replay
from iop_engine.service import Settings, create_app
from iop_engine.service.engine import EnginePool
from iop_engine.service.migrations import MIGRATIONS, MIGRATIONS_TABLE
from iop_engine.service.store import EVENT_VERSION, StoredEvent, open_store
from iop_engine.service.upcast import UNKNOWN_REASON, upcast, upcast_event

from .conftest import LEGAL, TOKENS_ENV, TestClient

SOF = "stockholm-sof-2026-268"
NOTICE = {"type": "notice_given", "date": "2026-09-15", "by": "fralsningsarmen"}
LATE = {**NOTICE, "date": "2026-10-15"}
V1_CORRECTION = {"type": "correction", "date": "2026-11-01", "corrects": 1, "replacement": LATE}


def _version_1_database(path: Path) -> None:
    """A database as the first service left it: schema 2, a notice and its correction (no reason)."""
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(MIGRATIONS_TABLE)
        for migration in MIGRATIONS[:2]:
            for statement in migration.statements:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations VALUES (?, 'old', '2026-01-01')", (migration.version,)
            )
        conn.execute("INSERT INTO streams VALUES ('old', ?, '2026-01-01')", (SOF,))
        for version, event in ((1, NOTICE), (2, V1_CORRECTION)):
            conn.execute(
                "INSERT INTO events VALUES ('old', ?, '2026-11-01', ?)", (version, json.dumps(event))
            )


def test_a_version_1_stream_replays_audits_and_grows(tmp_path: Path, engine: EnginePool) -> None:
    """The first service's database, migrated: its state is the replay of its effective events,
    its audit gives the old correction the upcast reason, a new correction is appended (version 2
    shapes), and the stored records stay as written. Without the upcaster the reason is null."""
    path = tmp_path / "v1.sqlite3"
    _version_1_database(path)
    app = create_app(Settings(database_url=f"sqlite:///{path}"), engine=engine, environ=TOKENS_ENV)
    with TestClient(app) as client:
        state = client.get("/v1/streams/old", headers=LEGAL).json()
        assert (state["version"], state["state"]) == (2, replay(load_library()[SOF], [LATE]).to_dict())
        audit = client.get("/v1/streams/old/audit", headers=LEGAL).json()["records"]
        assert [(r["author"], r["corrects"], r["reason"]) for r in audit] == [
            (None, None, None),
            (None, 1, UNKNOWN_REASON),
        ]
        again = {
            "type": "correction",
            "corrects": 1,
            "replacement": NOTICE,
            "reason": "the first date was right",
        }
        response = client.post(
            "/v1/streams/old/events", json={"expected_version": 2, "events": [again]}, headers=LEGAL
        )
        assert response.status_code == 201, response.text
    store = open_store(f"sqlite:///{path}")
    try:
        stored = store.events(f"{SOF}/old")
        assert [r.event_version for r in stored] == [1, 1, EVENT_VERSION]
        assert stored[1].event == V1_CORRECTION  # never rewritten: read in today's shapes
    finally:
        store.close()


def test_upcasting_reaches_a_replacement_and_leaves_todays_events_alone() -> None:
    nested = {**V1_CORRECTION, "replacement": {"type": "correction", "corrects": 3}}
    assert upcast_event(nested, 1)["replacement"]["reason"] == UNKNOWN_REASON
    today = StoredEvent(1, "t", {"type": "correction", "corrects": 1, "reason": "why"})
    assert upcast([today]) == [today]
    old = StoredEvent(1, "t", V1_CORRECTION, event_version=1)
    assert upcast([old]) == [StoredEvent(1, "t", {**V1_CORRECTION, "reason": UNKNOWN_REASON})]
