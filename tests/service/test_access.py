"""Tokens: no token sees only /health; an organisation sees only agreements it is party to and
their streams (others' are 404, exactly like a missing stream); legal staff see everything."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import CONVICTUS_TOKEN, FRALSNINGSARMEN_TOKEN, LEGAL, auth, new_stream_id

CONVICTUS = auth(CONVICTUS_TOKEN)
FRALSNINGSARMEN = auth(FRALSNINGSARMEN_TOKEN)
EVENT = {"type": "funding_decided", "date": "2027-01-20", "year": 2027, "available": True}
PROTECTED = [
    ("get", "/openapi.json"),
    ("get", "/v1/agreements"),
    ("get", "/v1/agreements/helsingborg-iop-2025"),
    ("get", "/v1/agreements/helsingborg-iop-2025/timeline"),
    ("get", "/v1/agreements/helsingborg-iop-2025/approvals?affects=term"),
    ("put", "/v1/streams/s1"),
    ("get", "/v1/streams/s1"),
    ("get", "/v1/streams/s1/events"),
    ("post", "/v1/streams/s1/events"),
]


def legal_stream(client: Any, agreement: str) -> str:
    sid = new_stream_id()
    assert client.put(f"/v1/streams/{sid}", json={"agreement": agreement}, headers=LEGAL).status_code == 201
    body = {"expected_version": 0, "events": [EVENT]}
    assert client.post(f"/v1/streams/{sid}/events", json=body, headers=LEGAL).status_code == 201
    return sid


def test_without_a_token_only_health_answers(client: Any) -> None:
    """/health is 200 without a token; every other endpoint is 401 with WWW-Authenticate: Bearer."""
    assert client.get("/health").json()["status"] == "ok"
    for method, path in PROTECTED:
        response = client.request(method, path, json={})
        assert response.status_code == 401, (method, path)
        assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("header", ["Bearer wrong-token-wrong-token-wrong", "Basic abc", "Bearer "])
def test_an_unknown_token_is_401(client: Any, header: str) -> None:
    """A token not in the configuration, or another scheme, is refused like no token."""
    assert client.get("/v1/agreements", headers={"Authorization": header}).status_code == 401


def test_an_organisation_lists_and_reads_only_its_agreements(client: Any) -> None:
    """Convictus is party to SOF 2025/144 only: the list holds it alone, the others are 404."""
    listed = client.get("/v1/agreements", headers=CONVICTUS).json()
    assert [a["agreement"] for a in listed] == ["stockholm-sof-2025-144"]
    assert client.get("/v1/agreements/stockholm-sof-2025-144", headers=CONVICTUS).status_code == 200
    for path in ("", "/timeline", "/approvals?affects=term"):
        assert client.get(f"/v1/agreements/helsingborg-iop-2025{path}", headers=CONVICTUS).status_code == 404


def test_an_organisation_cannot_touch_another_organisations_stream(client: Any) -> None:
    """A stream of an agreement Convictus is not party to is 404 for it (same body as a missing
    stream), for reading, events and appending; the append stores nothing."""
    sid = legal_stream(client, "helsingborg-iop-2025")
    missing = client.get(f"/v1/streams/{new_stream_id()}", headers=CONVICTUS).json()
    for path in (f"/v1/streams/{sid}", f"/v1/streams/{sid}/events"):
        response = client.get(path, headers=CONVICTUS)
        assert response.status_code == 404
        assert response.json()["title"] == missing["title"]
    body = {"expected_version": 1, "events": [EVENT]}
    assert client.post(f"/v1/streams/{sid}/events", json=body, headers=CONVICTUS).status_code == 404
    create = client.put(
        f"/v1/streams/{new_stream_id()}", json={"agreement": "helsingborg-iop-2025"}, headers=CONVICTUS
    )
    assert create.status_code == 404
    assert client.get(f"/v1/streams/{sid}", headers=LEGAL).json()["version"] == 1


def test_a_party_and_legal_staff_can_use_the_stream(client: Any) -> None:
    """Frälsningsarmén, party to SOF 2026/268, reads the stream and records its own notice;
    legal staff read it."""
    sid = legal_stream(client, "stockholm-sof-2026-268")
    assert client.get(f"/v1/streams/{sid}", headers=FRALSNINGSARMEN).status_code == 200
    notice = {"type": "notice_given", "date": "2026-09-15", "by": "fralsningsarmen"}
    body = {"expected_version": 1, "events": [notice]}
    assert client.post(f"/v1/streams/{sid}/events", json=body, headers=FRALSNINGSARMEN).status_code == 201
    assert client.get(f"/v1/streams/{sid}", headers=LEGAL).json()["version"] == 2


def test_a_stream_id_used_for_a_hidden_agreement_neither_leaks_nor_blocks(client: Any) -> None:
    """Convictus choosing an id that Helsingborg's agreement (hidden from it) already uses: 201,
    the same answer as for a free id, and a stream of its own; it was 409 "taken", an oracle for
    others' ids and a way to squat them. Each party then sees only its own stream."""
    sid = legal_stream(client, "helsingborg-iop-2025")
    free = client.put(
        f"/v1/streams/{new_stream_id()}", json={"agreement": "stockholm-sof-2025-144"}, headers=CONVICTUS
    )
    taken = client.put(f"/v1/streams/{sid}", json={"agreement": "stockholm-sof-2025-144"}, headers=CONVICTUS)
    assert (free.status_code, taken.status_code) == (201, 201)
    assert taken.json() == {**free.json(), "stream": sid}
    assert client.get(f"/v1/streams/{sid}", headers=CONVICTUS).json()["version"] == 0
    # Frälsningsarmén is party to both agreements, so it names the one it means.
    mine = client.get(f"/v1/streams/{sid}?agreement=helsingborg-iop-2025", headers=FRALSNINGSARMEN)
    assert mine.json()["version"] == 1


def test_legal_staff_name_the_agreement_of_an_id_used_twice(client: Any) -> None:
    """Legal staff see both streams of such an id: 409 stream-ambiguous naming the agreements,
    then ?agreement= picks one; an organisation never meets the other's."""
    sid = legal_stream(client, "helsingborg-iop-2025")
    client.put(f"/v1/streams/{sid}", json={"agreement": "stockholm-sof-2025-144"}, headers=CONVICTUS)
    ambiguous = client.get(f"/v1/streams/{sid}", headers=LEGAL)
    assert ambiguous.status_code == 409
    assert "helsingborg-iop-2025, stockholm-sof-2025-144" in ambiguous.json()["detail"]
    picked = client.get(f"/v1/streams/{sid}/events?agreement=helsingborg-iop-2025", headers=LEGAL)
    assert (picked.status_code, picked.json()["version"]) == (200, 1)
    hidden = client.get(f"/v1/streams/{sid}?agreement=helsingborg-iop-2025", headers=CONVICTUS)
    assert hidden.status_code == 404


def test_an_id_a_token_sees_for_another_agreement_is_409(client: Any) -> None:
    """Within what one token sees, an id stays bound to its agreement (and names it: visible)."""
    sid = legal_stream(client, "helsingborg-iop-2025")
    response = client.put(f"/v1/streams/{sid}", json={"agreement": "stockholm-sof-2025-144"}, headers=LEGAL)
    assert response.status_code == 409
    assert "helsingborg-iop-2025" in response.json()["detail"]
