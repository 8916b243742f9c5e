"""Browser tests: the web pages in real headless Chromium, driven by Playwright.

The browser is the system's (Debian's `chromium`, found on PATH or at IOP_CHROMIUM); Playwright
never downloads one. Without a browser these tests are skipped with the reason, unless
IOP_REQUIRE_BROWSER=1 (as in CI), which makes them fail instead.

Each test saves a screenshot of every page it checks under `test-artifacts/screenshots/` (or
IOP_SCREENSHOTS), named after the test and the step, so a person can look at what was checked.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from iop_engine.service import Settings, create_app
from iop_engine.service.auth import token_line

LEGAL_TOKEN = "browser-legal-" + "b" * 30
ORG_TOKEN = "browser-org-" + "o" * 30
TOKENS_ENV = {
    "IOP_SERVICE_TOKENS": "\n".join(
        [token_line(LEGAL_TOKEN, "legal"), token_line(ORG_TOKEN, "org:convictus")]
    ),
    # Calendar feeds on, so that the agreement page shows the address to subscribe to.
    "IOP_FEED_SECRET": "browser-feed-secret-" + "f" * 30,
}
# The pages' "today" is fixed so that "current period" and "next deadline" do not drift.
TODAY = dt.date(2026, 11, 23)
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("IOP_SCREENSHOTS", ROOT / "test-artifacts" / "screenshots"))
# Flags for a root user on a machine without network: no sandbox (root), no background
# connections (they are refused here and slow the start), a fresh profile per launch.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _chromium() -> str:
    found = os.environ.get("IOP_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    message = "browser tests did not run: no chromium on PATH (apt-get install chromium, or set IOP_CHROMIUM)"
    if os.environ.get("IOP_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " and IOP_REQUIRE_BROWSER=1 requires them", pytrace=False)
    pytest.skip(message)


AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"


def axe_source() -> str:
    """axe-core's script, pinned in tests/browser/package.json and installed by
    `npm ci --prefix tests/browser` (.ci/run does)."""
    if AXE.exists():
        return AXE.read_text(encoding="utf-8")
    message = (
        f"the accessibility test did not run: no {AXE.relative_to(ROOT)} (npm ci --prefix tests/browser)"
    )
    if os.environ.get("IOP_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " and IOP_REQUIRE_BROWSER=1 requires it", pytrace=False)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`iop serve`'s app on a free port, in a thread of the test process (SQLite, 2 engines)."""
    import uvicorn

    database = tmp_path_factory.mktemp("web") / "web.sqlite3"
    port = _free_port()
    # The public URL makes the agreement page's feed address absolute, as a calendar program needs.
    settings = Settings(
        database_url=f"sqlite:///{database}", today=TODAY, public_url=f"http://127.0.0.1:{port}"
    )
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, environ=TOKENS_ENV), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the service did not start within 30 s", pytrace=False)
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _log_in(page: Any, base_url: str, token: str) -> None:
    page.goto(f"{base_url}/")
    page.get_by_label("Åtkomstnyckel (token)").fill(token)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{base_url}/")


@contextlib.contextmanager
def logged_in_tab(browser: Any, base_url: str, token: str = LEGAL_TOKEN, **options: Any) -> Iterator[Any]:
    """A page in a fresh browser context (its own cookies), logged in with `token`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE", **options)
    if options.get("java_script_enabled", True):
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    tab = context.new_page()
    try:
        _log_in(tab, base_url, token)
        yield tab
    finally:
        context.close()


@contextlib.contextmanager
def logged_out_tab(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    """Legal staff's logged-in page, JavaScript on."""
    with logged_in_tab(browser, base_url) as tab:
        yield tab


@pytest.fixture
def page_without_js(browser: Any, base_url: str) -> Iterator[Any]:
    with logged_in_tab(browser, base_url, java_script_enabled=False) as tab:
        yield tab


@pytest.fixture
def shoot(request: pytest.FixtureRequest) -> Any:
    """`shoot(page, step)` saves a full-page screenshot as <test>-<step>.png; returns its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(tab: Any, step: str) -> Path:
        path = SCREENSHOTS / f"{request.node.name}-{step}.png"
        tab.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000, f"screenshot {path} looks empty"
        return path

    return take
