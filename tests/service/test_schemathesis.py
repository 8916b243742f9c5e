"""schemathesis against the service's own OpenAPI document, in process: for every operation,
generated input never gets a server error, and every answer's status and content type are among
those the document declares (the problem+json answers included).

A bounded run by default (`IOP_SCHEMATHESIS_EXAMPLES`, 25 examples per operation); the README
documents a longer run. (schemathesis's lazy `from_fixture` fails on this pytest, so the cases
are drawn with hypothesis directly from each operation's strategy.)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

from iop_engine.service import Settings, create_app
from iop_engine.service.engine import EnginePool, ReplayJob

from .conftest import LEGAL, TOKENS_ENV, TestClient

EXAMPLES = int(os.environ.get("IOP_SCHEMATHESIS_EXAMPLES", "25"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]


class _NoEngine:
    """Enough of an engine pool to build the app for reading its OpenAPI document."""

    def run(self, job: ReplayJob) -> Any:
        raise AssertionError("no replay while collecting")

    def close(self) -> None:
        """Nothing to stop."""


def _operations() -> list[str]:
    app = create_app(Settings(database_url="memory://"), engine=_NoEngine(), environ=TOKENS_ENV)  # type: ignore[arg-type]
    return [f"{method.upper()} {path}" for path, item in app.openapi()["paths"].items() for method in item]


@pytest.fixture(scope="module")
def service_schema(tmp_path_factory: pytest.TempPathFactory, engine: EnginePool) -> Iterator[Any]:
    database = tmp_path_factory.mktemp("schemathesis") / "st.sqlite3"
    environ = {**TOKENS_ENV, "IOP_FEED_SECRET": "feed-secret-" + "s" * 30}
    app = create_app(Settings(database_url=f"sqlite:///{database}"), engine=engine, environ=environ)
    with TestClient(app) as client:
        client.put("/v1/streams/fuzz", json={"agreement": "stockholm-sof-2026-268"}, headers=LEGAL)
        # The document as a client with a token reads it.
        schema = schemathesis.openapi.from_dict(client.get("/openapi.json", headers=LEGAL).json())
        schema.app = app
        yield schema


@pytest.mark.parametrize("label", _operations())
def test_no_operation_answers_a_server_error(service_schema: Any, label: str) -> None:
    operation = service_schema.find_operation_by_label(label)

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=operation.as_strategy())
    def check(case: Any) -> None:
        case.call_and_validate(headers=LEGAL, checks=CHECKS)

    check()
