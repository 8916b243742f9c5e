"""Inputs that were answered 500 internal-error (issue #16, item 2) are 4xx problem+json naming
the field; the only 5xx left are engine-crashed and database-unavailable, and every 5xx says
`Connection: close`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from iop_engine.errors import EngineCrashed
from iop_engine.service import Settings, create_app
from iop_engine.service.engine import EnginePool, ReplayJob
from iop_engine.service.inputs import MAX_DEPTH, bad_text, nesting_depth, whole_number

from .conftest import LEGAL, LEGAL_TOKEN, TOKENS_ENV, TestClient, new_stream_id

HELSINGBORG = "helsingborg-iop-2025"
PAYMENT = {
    "type": "payment_made",
    "date": "2025-01-20",
    "to": "fralsningsarmen",
    "amount": "200000.00",
    "covers": {"from": "2025-01-01", "to": "2025-12-31"},
}
REVIEW = {"type": "review_held", "date": "2025-10-15", "outcome": "agreed"}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, engine: EnginePool) -> Iterator[Any]:
    database = tmp_path_factory.mktemp("inputs") / "inputs.sqlite3"
    environ = {**TOKENS_ENV, "IOP_FEED_SECRET": "feed-secret-" + "s" * 30}
    app = create_app(Settings(database_url=f"sqlite:///{database}"), engine=engine, environ=environ)
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as client:
        yield client


def _stream(api: Any) -> str:
    sid = new_stream_id()
    assert api.put(f"/v1/streams/{sid}", json={"agreement": HELSINGBORG}, headers=LEGAL).status_code == 201
    return sid


def _post(api: Any, path: str, body: str) -> Any:
    return api.post(path, content=body.encode(), headers={**LEGAL, "Content-Type": "application/json"})


def _problem(response: Any, status: int, field: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["field"] == field, problem
    assert field in problem["detail"] or field == "body", problem
    return problem


@pytest.mark.parametrize(
    "amount", [10**26, "100000000000000000000000000", "1_000", "\u0661\u0660\u0660", "1e30"]
)
def test_an_amount_out_of_range_or_form_is_a_refused_event(api: Any, amount: object) -> None:
    """10^26 kronor was a 500 (decimal.InvalidOperation); now, like the other forms, 422 naming
    event #1's field 'amount'; the Swedish form '200 000,00' is still accepted."""
    sid = _stream(api)
    body = {"expected_version": 0, "events": [{**PAYMENT, "amount": amount}]}
    response = api.post(f"/v1/streams/{sid}/events", json=body, headers=LEGAL)
    problem = _problem(response, 422, "amount")
    assert problem["position"] == 1
    swedish = {"expected_version": 0, "events": [{**PAYMENT, "amount": "200 000,00"}]}
    assert api.post(f"/v1/streams/{sid}/events", json=swedish, headers=LEGAL).status_code == 201


@pytest.mark.parametrize("version", ['"0"', "true", "0.0"])
def test_expected_version_must_be_a_json_integer(api: Any, version: str) -> None:
    """ "0" and true were read as 0 and 1 (true appended at version 1); now 422 naming the field."""
    sid = _stream(api)
    body = f'{{"expected_version": {version}, "events": [{json.dumps(REVIEW)}]}}'
    _problem(_post(api, f"/v1/streams/{sid}/events", body), 422, "expected_version")
    assert api.get(f"/v1/streams/{sid}/events", headers=LEGAL).json()["version"] == 0


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 600, 989, 5000])
def test_a_deeply_nested_body_is_refused_before_any_work(api: Any, depth: int) -> None:
    """Nesting 500–989 deep was a 500 (RecursionError in the fingerprint), deeper a bare 400;
    now 422 nested-too-deeply at any depth over the bound, the stream untouched."""
    sid = _stream(api)
    note = "[" * depth + "]" * depth
    body = f'{{"expected_version": 0, "events": [{{"type": "review_held", "note": {note}}}]}}'
    problem = _problem(_post(api, f"/v1/streams/{sid}/events", body), 422, "body")
    assert problem["type"].endswith("nested-too-deeply")
    assert api.get(f"/v1/streams/{sid}/events", headers=LEGAL).json()["version"] == 0


APPEND = '{"expected_version": 0, "events": [{"type": "review_held", %s}]}'


@pytest.mark.parametrize(
    ("event_part", "field"),
    [
        ('"note": "\\ud800"', "events[0].note"),
        ('"x\\udfff": 1', "events[0].x\\udfff (the key)"),
        ('"note": "a\\u0000"', "events[0].note"),
    ],
    ids=["lone-surrogate", "surrogate-key", "nul"],
)
def test_unstorable_text_is_refused_naming_the_field(api: Any, event_part: str, field: str) -> None:
    """A lone surrogate (a 500 at INSERT, its state then cached) or a NUL (PostgreSQL refuses it):
    422 invalid-text with the field's path."""
    sid = _stream(api)
    problem = _problem(_post(api, f"/v1/streams/{sid}/events", APPEND % event_part), 422, field)
    assert problem["type"].endswith("invalid-text")


def test_a_lone_surrogate_in_a_stream_creation_is_refused(api: Any) -> None:
    """PUT with an agreement id holding a lone surrogate was a 500 (the 404 echoing it could not
    be encoded); now 422 naming 'agreement'."""
    response = _post_put(api, f"/v1/streams/{new_stream_id()}", '{"agreement": "x\\ud800"}')
    _problem(response, 422, "agreement")


def _post_put(api: Any, path: str, body: str) -> Any:
    return api.put(path, content=body.encode(), headers={**LEGAL, "Content-Type": "application/json"})


@pytest.mark.parametrize("key", ["%C3%A5" * 20, "\u00e5", "0" * 39 + "\u00b2"])
def test_a_non_ascii_feed_key_is_404(api: Any, key: str) -> None:
    """A feed key with non-ASCII characters raised TypeError in hmac.compare_digest (500, no
    token needed); now the feed's plain 404."""
    response = api.get(f"/v1/feeds/{HELSINGBORG}/{key}.ics")
    assert (response.status_code, response.json()["title"]) == (404, "Feed not found")


def _log_in(api: Any) -> None:
    api.cookies.clear()
    assert api.post("/login", data={"token": LEGAL_TOKEN, "next": "/"}).status_code == 303


@pytest.mark.parametrize(
    "params",
    [
        {"remove": "\u00b2"},
        {"remove": "\u0663"},
        {"add": "funding_decided", "date": "2025-10-15", "f_year": "\u00b2", "f_available": "true"},
        {"events": "[" * 1200 + "]" * 1200},
        {"events": '[{"type": "review_held", "date": "2025-10-15", "outcome": "agreed", "note": "\\ud800"}]'},
    ],
    ids=["remove-superscript", "remove-arabic-indic", "year-superscript", "deep-draft", "surrogate-draft"],
)
def test_what_if_parameters_that_were_500_are_4xx_pages(api: Any, params: dict[str, str]) -> None:
    """Superscript digits passed str.isdigit and then failed int(); a draft 1200 levels deep made
    json.loads recurse out: each was a 500; now a 4xx page saying what is wrong."""
    _log_in(api)
    response = api.get(f"/agreements/{HELSINGBORG}/what-if", params=params)
    assert 400 <= response.status_code < 500, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")


class _Failing:
    """An engine pool that fails every job with `error`."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def run(self, job: ReplayJob) -> Any:
        raise self.error

    def close(self) -> None:
        """Nothing to stop."""


@pytest.mark.parametrize(
    ("error", "kind"),
    [(EngineCrashed("the worker died"), "engine-crashed"), (RuntimeError("a bug"), "internal-error")],
)
def test_every_5xx_closes_the_connection(tmp_path: Path, error: Exception, kind: str) -> None:
    """A 5xx says Connection: close, so a client knows to retry on a new connection rather than
    find a dropped keep-alive one; an unexpected error is answered once, as problem+json."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'e.sqlite3'}")
    app = create_app(settings, engine=_Failing(error), environ=TOKENS_ENV)  # type: ignore[arg-type]
    with TestClient(app) as client:
        response = client.get(f"/v1/agreements/{HELSINGBORG}/timeline", headers=LEGAL)
        assert response.status_code == 500
        assert response.json()["type"] == f"urn:iop-engine:problem:{kind}"
        assert response.headers["connection"] == "close"
        assert "connection" not in client.get("/health").headers


def test_the_depth_counter_skips_strings_and_stops_early() -> None:
    """Brackets inside strings do not count; a scalar is depth 0; counting stops past the bound."""
    assert nesting_depth(b'{"a": [1, {"b": "[[[[\\"]]"}]}') == 3
    assert nesting_depth(b"3") == 0
    assert nesting_depth("[" * 10_000, stop_above=5) == 6


def test_bad_text_finds_the_first_unstorable_string_and_whole_numbers_are_ascii() -> None:
    assert bad_text({"events": [{"note": "å fine"}]}) is None
    found = bad_text({"events": [{"ok": "x"}, {"note": "\ud800"}]})
    assert found is not None and found.field == "events[1].note"
    assert [whole_number(t) for t in ("12", "\u00b2", "\u0663", "1_0", "", "-1")] == [12] + [None] * 5
