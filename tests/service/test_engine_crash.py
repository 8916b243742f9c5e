"""A native crash in the inference core costs one request, never the service."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from iop_engine.errors import EngineCrashed
from iop_engine.model import Answer
from iop_engine.replay import replay
from iop_engine.rulefile import default_rules_dir, find_agreement, load_library
from iop_engine.service import Settings, create_app
from iop_engine.service.engine import EnginePool, ReplayJob

from .conftest import LEGAL, TOKENS_ENV, TestClient
from .workers import crash_on_marker


@pytest.fixture(scope="module")
def crashing_pool() -> Iterator[EnginePool]:
    pool = EnginePool(size=1, handler=crash_on_marker)
    try:
        yield pool
    finally:
        pool.close()


def test_a_crashed_worker_is_reported_and_replaced(crashing_pool: EnginePool) -> None:
    """A worker dying of SIGSEGV raises EngineCrashed naming the signal; the next job is answered."""
    with pytest.raises(EngineCrashed, match="SIGSEGV"):
        crashing_pool.run(ReplayJob("crash", []))
    answer = crashing_pool.run(ReplayJob("helsingborg-iop-2025", []))
    assert answer.agreement == "helsingborg-iop-2025"


def test_a_crash_is_answered_500_problem_and_the_service_goes_on(tmp_path: Path) -> None:
    """Through the app: an engine crash is a 500 problem+json of type engine-crashed; then 200."""

    class CrashOnce:
        calls = 0

        def run(self, job: ReplayJob) -> Answer:
            self.calls += 1
            if self.calls == 1:
                raise EngineCrashed("the inference core's process failed during this request")
            return replay(find_agreement(load_library(default_rules_dir()), job.agreement), [])

        def close(self) -> None:
            """Nothing to stop."""

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'c.sqlite3'}")
    app = create_app(settings, engine=CrashOnce(), environ=TOKENS_ENV)  # type: ignore[arg-type]
    with TestClient(app) as client:
        crashed = client.get("/v1/agreements/helsingborg-iop-2025/timeline", headers=LEGAL)
        assert crashed.status_code == 500
        assert crashed.json()["type"] == "urn:iop-engine:problem:engine-crashed"
        assert client.get("/v1/agreements/helsingborg-iop-2025/timeline", headers=LEGAL).status_code == 200
