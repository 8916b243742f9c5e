"""Fuzz every operation in the OpenAPI document with hypothesis, with values near the domain's
(agreement ids, event types, dates): whatever the path, query and body, the service never answers
5xx. test_schemathesis.py fuzzes the same document from its schemas."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import LEGAL

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
WORDS = st.sampled_from(
    [
        "stockholm-sof-2026-268",
        "helsingborg-iop-2025",
        "term",
        "commitments",
        "2026-09-15",
        "x",
        "",
        "9999-99-99",
    ]
)
EVENT_TYPES = st.sampled_from(
    ["notice_given", "funding_decided", "correction", "review_held", "payment_made"]
)
EVENTS = st.lists(
    st.fixed_dictionaries(
        {"type": EVENT_TYPES, "date": st.dates().map(str) | WORDS},
        optional={
            "by": WORDS,
            "corrects": st.integers(-2, 5),
            "year": st.integers(1800, 2300),
            "replacement": JSON,
        },
    )
    | JSON,
    max_size=4,
)


def _operations(client: Any) -> list[tuple[str, str, list[dict[str, Any]]]]:
    document = client.get("/openapi.json", headers=LEGAL).json()
    return [
        (method, path, operation.get("parameters", []))
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]


def test_no_operation_answers_5xx(client: Any) -> None:
    """Every operation of /openapi.json, with drawn path, query and body values: status < 500."""
    operations = _operations(client)
    assert len(operations) >= 8
    client.put("/v1/streams/fuzz", json={"agreement": "stockholm-sof-2026-268"}, headers=LEGAL)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        operation=st.sampled_from(operations),
        values=st.dictionaries(st.text(max_size=6), WORDS | st.text(max_size=10), max_size=3),
        path_value=WORDS
        | st.just("fuzz")
        | st.text(st.characters(min_codepoint=33), min_size=1, max_size=10),
        body=st.fixed_dictionaries({"expected_version": st.integers(-1, 3) | JSON, "events": EVENTS})
        | st.fixed_dictionaries({"agreement": WORDS})
        | JSON,
        until=st.none() | WORDS | st.dates().map(str),
    )
    def check(
        operation: tuple[str, str, list[dict[str, Any]]],
        values: dict[str, str],
        path_value: str,
        body: Any,
        until: str | None,
    ) -> None:
        method, path, parameters = operation
        url = path
        query: dict[str, Any] = {}
        for parameter in parameters:
            if parameter["in"] == "path":
                url = url.replace("{" + parameter["name"] + "}", quote(path_value, safe="") or "x")
            elif parameter["in"] == "query":
                query[parameter["name"]] = until if parameter["name"] == "until" else values.get("v", "term")
        request = {"json": body} if method in {"post", "put"} else {}
        response = client.request(method, url, params=query, headers=LEGAL, **request)
        assert response.status_code < 500, (method, url, query, body, response.text)

    check()
