"""Write rights per role, authorship of every record, and the audit trail (issue #16, item 3).

An organisation's token could retract the city's party_expelled, supersede other parties' events
and record a notice "by" another party, and no record said who appended it. Each test below
failed on that code (every append was 201; records had no author; there was no audit endpoint).
"""

from __future__ import annotations

from typing import Any

import pytest

from iop_engine.service.auth import TokenConfigError, hash_token, parse_tokens

from .conftest import CONVICTUS_TOKEN, FRALSNINGSARMEN_TOKEN, LEGAL, auth, new_stream_id

SOF_144 = "stockholm-sof-2025-144"
CONVICTUS = auth(CONVICTUS_TOKEN)
FRALSNINGSARMEN = auth(FRALSNINGSARMEN_TOKEN)
CONVICTUS_NAME = f"token-{hash_token(CONVICTUS_TOKEN)[7:15]}"  # no name in the tokens line
EXPELLED = {"type": "party_expelled", "date": "2025-10-01", "party": "convictus", "by": "socialnamnden"}
FA_NOTICE = {"type": "notice_given", "date": "2025-09-01", "by": "fralsningsarmen"}
CONVICTUS_NOTICE = {"type": "notice_given", "date": "2025-09-01", "by": "convictus"}
FUNDING = {"type": "funding_decided", "date": "2025-11-20", "year": 2026, "available": True}


def _stream(client: Any) -> str:
    sid = new_stream_id()
    assert client.put(f"/v1/streams/{sid}", json={"agreement": SOF_144}, headers=LEGAL).status_code == 201
    return sid


def _append(client: Any, sid: str, headers: dict[str, str], *events: Any) -> Any:
    version = client.get(f"/v1/streams/{sid}/events", headers=LEGAL).json()["version"]
    body = {"expected_version": version, "events": list(events)}
    return client.post(f"/v1/streams/{sid}/events", json=body, headers=headers)


def _refused(response: Any, field: str) -> None:
    assert response.status_code == 403, response.text
    problem = response.json()
    assert (problem["type"], problem["field"]) == ("urn:iop-engine:problem:write-refused", field)
    assert "legal staff" in problem["detail"]


def _retract(version: int) -> dict[str, Any]:
    return {"type": "correction", "corrects": version, "reason": "we disagree"}


def test_an_organisation_cannot_retract_the_citys_decision(client: Any) -> None:
    sid = _stream(client)
    assert _append(client, sid, LEGAL, EXPELLED).status_code == 201
    _refused(_append(client, sid, CONVICTUS, _retract(1)), "corrects")
    assert client.get(f"/v1/streams/{sid}/events", headers=LEGAL).json()["version"] == 1


def test_an_organisation_cannot_correct_another_partys_record(client: Any) -> None:
    sid = _stream(client)
    assert _append(client, sid, FRALSNINGSARMEN, FA_NOTICE).status_code == 201
    replaced = {**_retract(1), "replacement": {**FA_NOTICE, "date": "2025-12-01"}}
    _refused(_append(client, sid, CONVICTUS, replaced), "corrects")


@pytest.mark.parametrize(
    ("event", "field"), [(FA_NOTICE, "by"), (EXPELLED, "type"), (FUNDING, "type")], ids=["by", "body", "city"]
)
def test_an_organisation_records_only_its_own_acts(client: Any, event: dict[str, Any], field: str) -> None:
    """A notice 'by' another party, a body's decision, the city's funding decision: 403."""
    _refused(_append(client, _stream(client), CONVICTUS, event), field)


def test_an_organisation_corrects_its_own_records_with_its_own_acts(client: Any) -> None:
    sid = _stream(client)
    assert _append(client, sid, CONVICTUS, CONVICTUS_NOTICE).status_code == 201
    as_other = {**_retract(1), "replacement": FA_NOTICE}
    _refused(_append(client, sid, CONVICTUS, as_other), "replacement.by")
    moved = {**_retract(1), "replacement": {**CONVICTUS_NOTICE, "date": "2025-08-15"}, "reason": "wrong day"}
    assert _append(client, sid, CONVICTUS, moved).status_code == 201
    # In one batch: its notice, then a retraction of it.
    assert _append(client, _stream(client), CONVICTUS, CONVICTUS_NOTICE, _retract(1)).status_code == 201


def test_legal_staff_record_and_correct_anything_and_the_audit_trail_says_so(client: Any) -> None:
    """Legal staff record a notice on Frälsningsarmén's behalf and correct Convictus's notice; the
    audit trail gives each record's author and role, on whose behalf, and the correction's reason."""
    sid = _stream(client)
    assert _append(client, sid, CONVICTUS, CONVICTUS_NOTICE).status_code == 201
    assert _append(client, sid, LEGAL, FA_NOTICE).status_code == 201
    correction = {**_retract(1), "reason": "the notice was withdrawn by letter"}
    assert _append(client, sid, LEGAL, correction).status_code == 201
    audit = client.get(f"/v1/streams/{sid}/audit", headers=CONVICTUS)
    assert audit.status_code == 200
    rows = [
        (r["version"], r["author"], r["type"], r["on_behalf_of"], r["corrects"], r["reason"], r["status"])
        for r in audit.json()["records"]
    ]
    assert rows == [
        (1, {"name": CONVICTUS_NAME, "role": "org:convictus"}, "notice_given", None, None, None, "retracted"),
        (2, {"name": "lawyer", "role": "legal"}, "notice_given", "fralsningsarmen", None, None, "effective"),
        (
            3,
            {"name": "lawyer", "role": "legal"},
            "correction",
            None,
            1,
            "the notice was withdrawn by letter",
            "correction",
        ),
    ]
    assert all(r["recorded_at"] for r in audit.json()["records"])
    events = client.get(f"/v1/streams/{sid}/events", headers=LEGAL).json()["events"]
    assert [e["author"]["name"] for e in events] == [CONVICTUS_NAME, "lawyer", "lawyer"]


def test_a_correction_needs_a_reason(client: Any) -> None:
    sid = _stream(client)
    _append(client, sid, LEGAL, FA_NOTICE)
    response = _append(client, sid, LEGAL, {"type": "correction", "corrects": 1})
    assert (response.status_code, response.json()["field"]) == (422, "reason")


def test_the_audit_trail_of_a_hidden_stream_is_404(client: Any) -> None:
    sid = new_stream_id()
    client.put(f"/v1/streams/{sid}", json={"agreement": "helsingborg-iop-2025"}, headers=LEGAL)
    assert client.get(f"/v1/streams/{sid}/audit", headers=CONVICTUS).status_code == 404


def test_the_tokens_file_names_each_holder() -> None:
    """The third word names the holder; without one, `token-` and 8 hex digits; a bad name is refused."""
    digest = hash_token("x" * 30)
    tokens = parse_tokens(f"{digest} legal anna.lind\n", "tokens", {"convictus"})
    assert tokens[digest].name == "anna.lind"
    assert parse_tokens(f"{digest} org:convictus", "t", {"convictus"})[digest].name == f"token-{digest[7:15]}"
    with pytest.raises(TokenConfigError, match="line 1: the name"):
        parse_tokens(f"{digest} legal anna/lind", "tokens", set())
