"""The HTTP API through the ASGI app: read endpoints match the CLI's --json, streams, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from iop_engine import load_library, replay
from iop_engine.cli import main as iop
from iop_engine.service import Settings, create_app
from iop_engine.service.engine import EnginePool

from .conftest import LEGAL, TOKENS_ENV, TestClient, new_stream_id

SOF = "stockholm-sof-2026-268"
NOTICE = {"type": "notice_given", "date": "2026-09-15", "by": "fralsningsarmen"}
LATE_NOTICE = {"type": "notice_given", "date": "2026-10-15", "by": "fralsningsarmen"}
FUNDING = {"type": "funding_decided", "date": "2027-01-20", "year": 2027, "available": True}


def cli_json(*args: str) -> Any:
    result = CliRunner().invoke(iop, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def make_stream(client: Any, agreement: str = SOF) -> str:
    sid = new_stream_id()
    response = client.put(f"/v1/streams/{sid}", json={"agreement": agreement}, headers=LEGAL)
    assert response.status_code == 201, response.text
    return sid


def append(client: Any, sid: str, version: int, *events: Any, **headers: str) -> Any:
    return client.post(
        f"/v1/streams/{sid}/events",
        json={"expected_version": version, "events": list(events)},
        headers={**LEGAL, **headers},
    )


def codes(findings: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(f["code"], f["date"]) for f in findings]


def test_list_show_timeline_and_approvals_match_the_cli_json(client: Any) -> None:
    """GET agreements, one agreement, its timeline as of a day and approvals equal `iop … --json`."""
    assert client.get("/v1/agreements", headers=LEGAL).json() == cli_json("list")
    assert client.get(f"/v1/agreements/{SOF}", headers=LEGAL).json() == cli_json("show", SOF)
    timeline = client.get(f"/v1/agreements/{SOF}/timeline", params={"until": "2027-03-01"}, headers=LEGAL)
    assert timeline.json() == cli_json("timeline", SOF, "--until", "2027-03-01")
    approvals = client.get(
        "/v1/agreements/stockholm-sof-2025-144/approvals",
        params={"affects": ["commitments", "term"], "substantial": "true", "party": "convictus"},
        headers=LEGAL,
    )
    expected = cli_json(
        "approvals", "stockholm-sof-2025-144", "--affects", "commitments", "--affects", "term",
        "--substantial", "--party", "convictus",
    )  # fmt: skip
    assert approvals.json() == expected


def test_unknown_agreement_and_bad_change_are_problems(client: Any) -> None:
    """An unknown agreement is 404 and an unknown change kind 422, both as problem+json."""
    missing = client.get("/v1/agreements/nope", headers=LEGAL)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    bad = client.get(f"/v1/agreements/{SOF}/approvals", params={"affects": "weather"}, headers=LEGAL)
    assert bad.status_code == 422
    assert "weather" in bad.json()["detail"]


def test_append_returns_the_replay_of_the_stream(client: Any) -> None:
    """After an append, the response and GET stream both hold the library's replay of the events."""
    sid = make_stream(client)
    response = append(client, sid, 0, NOTICE)
    assert response.status_code == 201
    expected = replay(load_library()[SOF], [NOTICE]).to_dict()
    assert response.json()["state"] == expected
    assert response.json()["appended"] == [1]
    state = client.get(f"/v1/streams/{sid}", headers=LEGAL).json()
    assert (state["version"], state["state"]) == (1, expected)


def test_state_as_of_a_day_leaves_later_events_out(client: Any) -> None:
    """GET stream ?until= equals the library's replay with `until`."""
    sid = make_stream(client)
    append(client, sid, 0, NOTICE, FUNDING)
    as_of = client.get(f"/v1/streams/{sid}", params={"until": "2026-10-01"}, headers=LEGAL).json()
    assert (
        as_of["state"] == replay(load_library()[SOF], [NOTICE, FUNDING], until=_day("2026-10-01")).to_dict()
    )


def _day(text: str) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(text)


def test_a_bad_event_refuses_the_whole_batch_with_its_position(client: Any) -> None:
    """Batch [good, bad]: 422 naming event #2 and field 'by' as the CLI would; nothing stored."""
    sid = make_stream(client)
    response = append(client, sid, 0, NOTICE, {**NOTICE, "by": "nobody"})
    assert response.status_code == 422
    problem = response.json()
    assert (problem["position"], problem["field"]) == (2, "by")
    assert problem["detail"].startswith("event #2, field 'by': 'nobody' is not valid")
    events = client.get(f"/v1/streams/{sid}/events", headers=LEGAL).json()
    assert (events["version"], events["events"]) == (0, [])


def test_a_back_dated_append_re_derives_the_state(client: Any) -> None:
    """A notice dated before stored events is replayed in date order: the agreement ends 2026."""
    sid = make_stream(client)
    append(client, sid, 0, FUNDING)
    response = append(client, sid, 1, NOTICE)
    assert response.status_code == 201
    assert response.json()["state"] == replay(load_library()[SOF], [NOTICE, FUNDING]).to_dict()
    assert response.json()["state"]["end"] == "2026-12-31"


def test_superseding_a_notice_moves_the_termination(client: Any) -> None:
    """Correcting a notice's date to after the deadline: 'terminated' moves from 2026 to 2027,
    'notice_received' disappears, 'notice_late' appears; the original stays in the history."""
    sid = make_stream(client)
    append(client, sid, 0, NOTICE)
    correction = {
        "type": "correction",
        "date": "2026-11-01",
        "corrects": 1,
        "replacement": LATE_NOTICE,
        "reason": "the notice arrived on 15 October, not 15 September",
    }
    response = append(client, sid, 1, correction)
    assert response.status_code == 201
    changes = response.json()["changes"]
    moved = [(m["code"], m["from"]["date"], m["to"]["date"]) for m in changes["moved"]]
    assert ("terminated", "2026-12-31", "2027-12-31") in moved
    assert ("notice_received", "2026-09-15") in codes(changes["disappeared"])
    assert ("notice_late", "2026-10-15") in codes(changes["appeared"])
    assert response.json()["state"] == replay(load_library()[SOF], [LATE_NOTICE]).to_dict()
    history = client.get(f"/v1/streams/{sid}/events", headers=LEGAL).json()["events"]
    assert [(e["version"], e["status"], e["corrected_by"]) for e in history] == [
        (1, "superseded", 2),
        (2, "correction", None),
    ]
    assert history[0]["event"] == NOTICE


def test_retracting_a_notice_restores_the_renewal(client: Any) -> None:
    """Retracting the only notice: 'terminated' disappears and 'renewed' appears."""
    sid = make_stream(client)
    append(client, sid, 0, NOTICE)
    response = append(client, sid, 1, {"type": "correction", "corrects": 1, "reason": "never given"})
    changes = response.json()["changes"]
    assert "terminated" in [f["code"] for f in changes["disappeared"]]
    assert ("renewed", "2027-01-01") in codes(changes["appeared"])
    assert response.json()["state"] == replay(load_library()[SOF], []).to_dict()


def test_a_correction_must_name_an_earlier_event(client: Any) -> None:
    """A correction of a version that does not exist is refused at its position, field 'corrects'."""
    sid = make_stream(client)
    response = append(client, sid, 0, NOTICE, {"type": "correction", "corrects": 7, "reason": "typo"})
    assert response.status_code == 422
    assert (response.json()["position"], response.json()["field"]) == (2, "corrects")


def test_a_bad_replacement_is_refused_at_its_field(client: Any) -> None:
    """A replacement with an unknown party is refused naming 'replacement.by'."""
    sid = make_stream(client)
    append(client, sid, 0, NOTICE)
    bad = {"type": "correction", "corrects": 1, "replacement": {**NOTICE, "by": "x"}, "reason": "typo"}
    response = append(client, sid, 1, bad)
    assert (response.status_code, response.json()["field"]) == (422, "replacement.by")


def test_stale_expected_version_is_409_and_stores_nothing(client: Any) -> None:
    """An append at an old version is 409 with the current version; the stream is unchanged."""
    sid = make_stream(client)
    append(client, sid, 0, NOTICE)
    response = append(client, sid, 0, FUNDING)
    assert response.status_code == 409
    assert response.json()["current_version"] == 1
    assert client.get(f"/v1/streams/{sid}", headers=LEGAL).json()["version"] == 1


def test_a_retried_append_with_the_same_idempotency_key_is_a_no_op(client: Any) -> None:
    """The retry answers the original result (marked replayed) and stores nothing more;
    the key with a different body is refused."""
    sid = make_stream(client)
    first = append(client, sid, 0, NOTICE, **{"Idempotency-Key": "abc"})
    retry = append(client, sid, 0, NOTICE, **{"Idempotency-Key": "abc"})
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert client.get(f"/v1/streams/{sid}", headers=LEGAL).json()["version"] == 1
    other = append(client, sid, 0, FUNDING, **{"Idempotency-Key": "abc"})
    assert (other.status_code, other.json()["type"]) == (422, "urn:iop-engine:problem:idempotency-key-reused")


def test_errors_are_problem_json_without_stack_traces(client: Any) -> None:
    """Validation errors carry type, title, status and detail, and never a traceback."""
    sid = make_stream(client)
    response = client.post(f"/v1/streams/{sid}/events", content=b"{not json", headers=LEGAL)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert {"type", "title", "status", "detail"} <= set(response.json())
    assert "Traceback" not in response.text


def test_body_over_the_limit_is_413(client: Any) -> None:
    """A body over max_body_bytes (200 kB in this app) is refused with 413 before parsing."""
    sid = make_stream(client)
    events = [{**NOTICE, "note": "x" * 1000} for _ in range(300)]
    response = client.post(
        f"/v1/streams/{sid}/events", json={"expected_version": 0, "events": events}, headers=LEGAL
    )
    assert response.status_code == 413
    assert "smaller batches" in response.json()["detail"]


def test_batch_over_the_limit_is_422(client: Any) -> None:
    """A batch longer than max_batch (50 in this app) is refused with a message saying the limit."""
    sid = make_stream(client)
    response = append(client, sid, 0, *([FUNDING] * 51))
    assert response.status_code == 422
    assert "at most 50" in response.json()["detail"]


def test_a_stream_stays_bound_to_its_agreement(client: Any) -> None:
    """PUT again with the same agreement is 200; with another agreement 409."""
    sid = make_stream(client)
    assert client.put(f"/v1/streams/{sid}", json={"agreement": SOF}, headers=LEGAL).status_code == 200
    other = client.put(f"/v1/streams/{sid}", json={"agreement": "helsingborg-iop-2025"}, headers=LEGAL)
    assert other.status_code == 409


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31"])
def test_dates_far_outside_any_agreement_are_refused(client: Any, date: str) -> None:
    """Event dates outside 1900–2200 are refused with a positioned 422, not replayed."""
    sid = make_stream(client)
    response = append(client, sid, 0, {**NOTICE, "date": date})
    assert (response.status_code, response.json()["position"]) == (422, 1)


def test_health_says_503_when_the_database_cannot_be_read(tmp_path: Path, engine: EnginePool) -> None:
    """A monitor must tell "the database is gone" from a bug: 503 database-unavailable, not 500."""
    database = tmp_path / "gone.sqlite3"
    app = create_app(Settings(database_url=f"sqlite:///{database}"), engine=engine, environ=TOKENS_ENV)
    with TestClient(app) as client:
        assert client.get("/health").status_code == 200
        for path in tmp_path.iterdir():
            path.unlink()
        database.mkdir()  # a directory where the database file was: nothing can open it
        response = client.get("/health")
        assert response.status_code == 503
        assert response.json()["type"] == "urn:iop-engine:problem:database-unavailable"
        assert "cannot read the database" in response.json()["detail"]


def test_an_idempotency_key_is_answered_until_it_expires(tmp_path: Path, engine: EnginePool) -> None:
    """Within `idempotency_days` a retry is answered from the first response; with 0 days the key is
    forgotten at once, so the same key serves a new request."""
    for days, replayed in ((7, True), (0, False)):
        settings = Settings(database_url=f"sqlite:///{tmp_path / f'{days}.sqlite3'}", idempotency_days=days)
        with TestClient(create_app(settings, engine=engine, environ=TOKENS_ENV)) as client:
            sid = new_stream_id()
            client.put(f"/v1/streams/{sid}", json={"agreement": "helsingborg-iop-2025"}, headers=LEGAL)
            event = {"type": "review_held", "date": "2026-10-15", "outcome": "agreed"}
            first = client.post(
                f"/v1/streams/{sid}/events",
                json={"expected_version": 0, "events": [event]},
                headers={**LEGAL, "Idempotency-Key": "same"},
            )
            assert first.status_code == 201
            again = client.post(
                f"/v1/streams/{sid}/events",
                json={"expected_version": 1 if not replayed else 0, "events": [event]},
                headers={**LEGAL, "Idempotency-Key": "same"},
            )
            assert again.status_code == 201
            assert (again.headers.get("Idempotent-Replayed") == "true") is replayed
            assert again.json()["version"] == (1 if replayed else 2)


def test_health_and_answers_give_the_schema_version_alike(client: Any) -> None:
    """`schema_version` is the answers' schema in /health as in every answer, of one type; the
    database's migration number has a name of its own."""
    health = client.get("/health").json()
    timeline = client.get("/v1/agreements/helsingborg-iop-2025/timeline", headers=LEGAL).json()
    assert timeline["schema_version"] == health["schema_version"]
    assert isinstance(health["schema_version"], str)
    assert isinstance(health["database_migration"], int) and health["database_migration"] >= 1
