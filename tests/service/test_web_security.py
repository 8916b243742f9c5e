"""Logging in and out from another site, what the login cookie holds, the headers every answer
carries, and where feed addresses come from (issue #16, items 4 and 6)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from iop_engine.service import Settings, create_app
from iop_engine.service.cli import serve
from iop_engine.service.config import SettingsError, public_url
from iop_engine.service.engine import EnginePool
from iop_engine.web.pages import COOKIE
from iop_engine.web.sessions import Sessions

from .conftest import CONVICTUS_TOKEN, LEGAL, LEGAL_TOKEN, TOKENS_ENV, TestClient

SOF_268 = "stockholm-sof-2026-268"
FEEDS = {**TOKENS_ENV, "IOP_FEED_SECRET": "feed-secret-" + "s" * 30}
CROSS_SITE = [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"}]


def _client(tmp_path: Path, engine: EnginePool, **settings: Any) -> Any:
    database = f"sqlite:///{tmp_path / 'web.sqlite3'}"
    app = create_app(Settings(database_url=database, **settings), engine=engine, environ=FEEDS)
    return TestClient(app, follow_redirects=False)


@pytest.fixture
def web(tmp_path: Path, engine: EnginePool) -> Iterator[Any]:
    with _client(tmp_path, engine) as client:
        yield client


def _log_in(web: Any, token: str = LEGAL_TOKEN, **headers: str) -> Any:
    return web.post("/login", data={"token": token, "next": "/"}, headers=headers)


@pytest.mark.parametrize("headers", CROSS_SITE, ids=["origin", "sec-fetch-site", "null-origin"])
def test_a_login_form_sent_from_another_site_is_refused(web: Any, headers: dict[str, str]) -> None:
    """An auto-submitted form on another site logged the browser in as the attacker's token
    (SameSite does not stop a cross-site POST from setting a cookie); now 403, no cookie."""
    response = _log_in(web, CONVICTUS_TOKEN, **headers)
    assert response.status_code == 403
    assert "set-cookie" not in response.headers
    assert COOKIE not in web.cookies


@pytest.mark.parametrize("headers", CROSS_SITE, ids=["origin", "sec-fetch-site", "null-origin"])
def test_a_logout_form_sent_from_another_site_is_refused(web: Any, headers: dict[str, str]) -> None:
    """A cross-site POST /logout logged the viewer out; now 403, and the session goes on."""
    assert _log_in(web).status_code == 303
    assert web.post("/logout", headers=headers).status_code == 403
    assert web.get("/").status_code == 200


@pytest.mark.parametrize(
    "headers",
    [{}, {"Origin": "http://testserver"}, {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}],
    ids=["no-browser-headers", "own-origin", "same-origin"],
)
def test_logging_in_from_the_service_own_page_works(web: Any, headers: dict[str, str]) -> None:
    assert _log_in(web, **headers).status_code == 303
    assert web.get("/").status_code == 200


def test_a_login_from_the_configured_public_url_is_accepted(tmp_path: Path, engine: EnginePool) -> None:
    """Behind a proxy that rewrites the Host header, the public URL's origin is this site."""
    with _client(tmp_path, engine, public_url="https://iop.example.se") as client:
        response = _log_in(client, Origin="https://iop.example.se")
        assert response.status_code == 303
        assert _log_in(client, Origin="https://iop.example.se.evil.example").status_code == 403


def test_the_cookie_holds_a_session_id_that_ends_at_logout(web: Any) -> None:
    """The cookie was the bearer token itself; now a random session id that opens no API
    endpoint, and after logout no page either."""
    _log_in(web)
    session_id = web.cookies[COOKIE]
    assert LEGAL_TOKEN not in session_id
    assert web.get("/v1/agreements", headers={"Authorization": f"Bearer {session_id}"}).status_code == 401
    assert web.post("/logout").status_code == 303
    web.cookies.set(COOKIE, session_id)
    assert web.get("/").status_code == 303  # to the login form
    web.cookies.set(COOKIE, LEGAL_TOKEN)  # an old cookie holding the token opens nothing
    assert web.get("/").status_code == 303


def test_sessions_expire_and_end() -> None:
    now = [0.0]
    sessions = Sessions(lifetime_s=10, clock=lambda: now[0], limit=2)
    first = sessions.start("h1")
    assert sessions.token_hash(first) == "h1"
    now[0] = 10.0
    assert sessions.token_hash(first) is None
    second, third, fourth = sessions.start("h2"), sessions.start("h3"), sessions.start("h4")
    assert [sessions.token_hash(s) for s in (second, third, fourth)] == [None, "h3", "h4"]
    sessions.end(third)
    assert sessions.token_hash(third) is None


def test_answers_carry_no_store_referrer_policy_and_nosniff(web: Any) -> None:
    """Authenticated answers and pages may not be stored by any cache; no answer sends our
    addresses on as a Referer; static files are not sniffed (and may be cached)."""
    _log_in(web)
    for response in (web.get("/v1/agreements", headers=LEGAL), web.get("/"), web.get("/login")):
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-content-type-options"] == "nosniff"
    static = web.get("/static/iop.css")
    assert static.status_code == 200
    assert static.headers["x-content-type-options"] == "nosniff"
    assert "no-store" not in static.headers.get("cache-control", "")


def _feed_address(web: Any, **headers: str) -> str:
    page = web.get(f"/agreements/{SOF_268}", headers=headers)
    found = re.search(r'<input id="feed" type="text" readonly value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def test_the_feed_address_never_comes_from_the_host_header(web: Any) -> None:
    """The address was built from the request's Host: a forged Host put another server's name in
    the address a person copies into a calendar. Without a public URL it is the path alone."""
    _log_in(web)
    address = _feed_address(web, Host="evil.example")
    assert address.startswith(f"/v1/feeds/{SOF_268}/")


def test_the_feed_address_is_under_the_configured_public_url(tmp_path: Path, engine: EnginePool) -> None:
    with _client(tmp_path, engine, public_url="https://iop.example.se/iop") as client:
        _log_in(client)
        assert _feed_address(client).startswith(f"https://iop.example.se/iop/v1/feeds/{SOF_268}/")


@pytest.mark.parametrize("url", ["ftp://iop.example.se", "iop.example.se", "https://x.se/?a=1", "https://"])
def test_a_public_url_that_is_no_http_address_is_refused(url: str) -> None:
    with pytest.raises(SettingsError, match=re.escape("e.g. https://iop.example.se")):
        public_url(url)
    result = CliRunner().invoke(serve, ["--public-url", url, "--workers", "1"])
    assert result.exit_code == 2
    assert "public URL" in result.output
