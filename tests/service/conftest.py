"""Fixtures for the service tests: both stores, one shared engine pool, an app with tokens.

PostgreSQL: the `test` database at 127.0.0.1:5432, in a schema made for this test session and
dropped at its end. If it cannot be reached the PostgreSQL tests are skipped with the reason,
unless IOP_REQUIRE_POSTGRES=1 (as in CI), which makes them fail instead.
"""

from __future__ import annotations

import getpass
import os
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    # Starlette's TestClient imports anyio.abc.BlockingPortal, which anyio 4.16 deprecates; the
    # repository turns warnings into errors, so only this one is let through, only here.
    warnings.filterwarnings("ignore", "The anyio.abc.BlockingPortal alias", DeprecationWarning)
    from fastapi.testclient import TestClient

from iop_engine.service.auth import token_line
from iop_engine.service.engine import EnginePool
from iop_engine.service.store import EventStore, open_store

LEGAL_TOKEN = "legal-" + "l" * 30
FRALSNINGSARMEN_TOKEN = "org-fa-" + "f" * 30
CONVICTUS_TOKEN = "org-convictus-" + "c" * 30
TOKENS_ENV = {
    "IOP_SERVICE_TOKENS": "\n".join(
        [
            token_line(LEGAL_TOKEN, "legal", "lawyer"),
            token_line(FRALSNINGSARMEN_TOKEN, "org:fralsningsarmen", "fa-system"),
            token_line(CONVICTUS_TOKEN, "org:convictus"),  # no name: token-<first 8 hex digits>
        ]
    )
}
PG_HOST = "127.0.0.1:5432"
MEMORY = "memory://"


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


LEGAL = auth(LEGAL_TOKEN)


def new_stream_id() -> str:
    return f"t-{uuid.uuid4().hex[:16]}"


def _connect_postgres() -> tuple[str, Any]:
    import psycopg

    reasons = []
    for user in ("postgres", getpass.getuser()):
        url = f"postgresql://{user}@{PG_HOST}/test"
        try:
            return url, psycopg.connect(url, connect_timeout=3, autocommit=True)
        except psycopg.Error as error:
            reasons.append(f"{url}: {str(error).strip()}")
    raise ConnectionError("; ".join(reasons))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A URL whose search_path is a fresh schema; the schema is dropped after the session."""
    try:
        base, conn = _connect_postgres()
    except ConnectionError as error:
        message = f"PostgreSQL tests did not run: cannot connect ({error})"
        if os.environ.get("IOP_REQUIRE_POSTGRES") == "1":
            pytest.fail(message + " and IOP_REQUIRE_POSTGRES=1 requires them", pytrace=False)
        pytest.skip(message)
    schema = f"iop_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        try:
            yield f"{base}?options=-csearch_path%3D{schema}"
        finally:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql", "memory"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'events.sqlite3'}"
    if request.param == "memory":
        return MEMORY
    return str(request.getfixturevalue("postgres_url"))


def needs_a_database(url: str) -> None:
    """Skip a test that shares a store between processes or reads its tables: not in memory."""
    if url == MEMORY:
        pytest.skip("the memory store lives in one process and has no tables")


@pytest.fixture
def store(database_url: str) -> Iterator[EventStore]:
    opened = open_store(database_url)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="session")
def engine() -> Iterator[EnginePool]:
    pool = EnginePool(size=2)
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, engine: EnginePool) -> Iterator[Any]:
    """One app per test module (tests use fresh stream ids), on SQLite, with small limits."""
    from iop_engine.service import Settings, create_app

    database = tmp_path_factory.mktemp("api") / "api.sqlite3"
    settings = Settings(database_url=f"sqlite:///{database}", max_body_bytes=200_000, max_batch=50)
    with TestClient(create_app(settings, engine=engine, environ=TOKENS_ENV)) as test_client:
        yield test_client
