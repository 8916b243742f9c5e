"""The web pages over HTTP, without a browser: access, redirects, headers, downloads, content.

What a person does on the pages is tested in a real browser in tests/browser/.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import docx
import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iop_engine.events import EVENT_TYPES
from iop_engine.rulefile import default_rules_dir, load_library
from iop_engine.service import Settings as ServiceSettings
from iop_engine.service import create_app
from iop_engine.service.engine import EnginePool
from iop_engine.testing import run_scenario
from iop_engine.web import views
from iop_engine.web.pages import COOKIE

from .conftest import CONVICTUS_TOKEN, LEGAL, LEGAL_TOKEN, TOKENS_ENV, TestClient

LIBRARY = load_library(default_rules_dir())
SOF_144 = "stockholm-sof-2025-144"
SOF_268 = "stockholm-sof-2026-268"
HELSINGBORG = "helsingborg-iop-2025"
CSS = Path(__file__).resolve().parents[2] / "iop_engine" / "web" / "static" / "iop.css"


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, engine: EnginePool) -> Iterator[Any]:
    database = tmp_path_factory.mktemp("web") / "web.sqlite3"
    settings = ServiceSettings(database_url=f"sqlite:///{database}")
    with TestClient(
        create_app(settings, engine=engine, environ=TOKENS_ENV), follow_redirects=False
    ) as client:
        yield client


def _log_in(web: Any, token: str = LEGAL_TOKEN) -> None:
    """Log the test client in (its cookie jar keeps the session cookie)."""
    web.cookies.clear()
    response = web.post("/login", data={"token": token, "next": "/"})
    assert response.status_code == 303
    assert COOKIE in web.cookies


def test_a_page_without_login_redirects_to_the_login_form_and_back(web: Any) -> None:
    web.cookies.clear()
    response = web.get(f"/agreements/{SOF_144}/approvals?affects=term")
    assert response.status_code == 303
    target = urlparse(response.headers["location"])
    assert target.path == "/login"
    assert parse_qs(target.query)["next"] == [f"/agreements/{SOF_144}/approvals?affects=term"]
    login = web.post("/login", data={"token": LEGAL_TOKEN, "next": parse_qs(target.query)["next"][0]})
    assert login.headers["location"] == f"/agreements/{SOF_144}/approvals?affects=term"
    cookie = login.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie


def test_a_wrong_token_is_refused_with_a_message(web: Any) -> None:
    web.cookies.clear()
    response = web.post("/login", data={"token": "not-a-token", "next": "/"})
    assert response.status_code == 401
    assert "Nyckeln känns inte igen" in response.text
    assert COOKIE not in response.cookies


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_login_never_redirects_off_the_site(web: Any, target: str) -> None:
    response = web.post("/login", data={"token": LEGAL_TOKEN, "next": target})
    assert response.headers["location"] == "/"


def test_pages_forbid_inline_script_and_framing(web: Any) -> None:
    _log_in(web)
    response = web.get("/")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "<script>" not in response.text


def test_an_organisation_cannot_open_another_agreement(web: Any) -> None:
    _log_in(web, CONVICTUS_TOKEN)
    assert web.get(f"/agreements/{SOF_144}").status_code == 200
    for path in ("", "/approvals?affects=term", "/what-if", "/calendar.ics", "/timeline.svg"):
        assert web.get(f"/agreements/{SOF_268}{path}").status_code == 404, path


def test_the_calendar_url_of_the_api_lists_the_timeline_deadlines(web: Any) -> None:
    response = web.get(f"/v1/agreements/{SOF_268}/calendar.ics", headers=LEGAL)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    starts = {str(event.decoded("dtstart")) for event in calendar.walk("VEVENT")}
    timeline = web.get(f"/v1/agreements/{SOF_268}/timeline", headers=LEGAL).json()
    assert {d["date"] for d in timeline["deadlines"]} <= starts
    assert {"2026-09-30", "2027-09-30"} <= starts
    assert web.get(f"/v1/agreements/{SOF_268}/calendar.ics").status_code == 401


def test_the_calendar_page_link_downloads_the_same_calendar(web: Any) -> None:
    _log_in(web)
    page = web.get(f"/agreements/{HELSINGBORG}/calendar.ics")
    api = web.get(f"/v1/agreements/{HELSINGBORG}/calendar.ics", headers=LEGAL)
    assert page.headers["content-disposition"] == f'attachment; filename="{HELSINGBORG}.ics"'

    def events(body: bytes) -> set[tuple[str, str]]:
        parsed = icalendar.Calendar.from_ical(body)
        return {(str(e["uid"]), str(e.decoded("dtstart"))) for e in parsed.walk("VEVENT")}

    assert events(page.content) == events(api.content)


def test_a_what_if_event_is_added_by_redirect_to_the_draft_address(web: Any) -> None:
    _log_in(web)
    added = web.get(
        f"/agreements/{SOF_268}/what-if",
        params={"add": "notice_given", "date": "2026-09-30", "f_by": "fralsningsarmen", "f_scope": ""},
    )
    assert added.status_code == 303
    draft = parse_qs(urlparse(added.headers["location"]).query)["events"][0]
    assert json.loads(draft) == [{"type": "notice_given", "date": "2026-09-30", "by": "fralsningsarmen"}]
    shown = web.get(added.headers["location"])
    assert "Partnerskapet upphör: <strong>2026-12-31</strong>" in shown.text
    removed = web.get(f"/agreements/{SOF_268}/what-if", params={"events": draft, "remove": "1"})
    assert removed.headers["location"] == f"/agreements/{SOF_268}/what-if"


def test_a_what_if_change_amends_the_agreement_once_adopted(web: Any) -> None:
    # SOF 2026/268 001 punkt 1 and 4: an extension past the 2028-12-31 cap is socialnämnden's. Proposed
    # on the page, it changes nothing; once the nämnd approves it the answer runs to the new cap.
    _log_in(web)
    proposed = web.get(
        f"/agreements/{SOF_268}/what-if",
        params={
            "add": "change_proposed",
            "date": "2028-03-01",
            "f_change": "T-1",
            "f_affects": "term_beyond_cap",
            "f_substantial": "true",
            "f_amends_place": "continuation.cap",
            "f_amends_value": "2029-12-31",
        },
    )
    assert proposed.status_code == 303, proposed.text
    pending = web.get(proposed.headers["location"])
    assert "Partnerskapet upphör: <strong>2028-12-31</strong>" in pending.text
    draft = parse_qs(urlparse(proposed.headers["location"]).query)["events"][0]
    decided = web.get(
        f"/agreements/{SOF_268}/what-if",
        params={
            "events": draft,
            "add": "change_decided",
            "date": "2028-04-20",
            "f_change": "T-1",
            "f_by": "socialnamnden",
            "f_decision": "approved",
        },
    )
    assert decided.status_code == 303, decided.text
    adopted = web.get(decided.headers["location"])
    assert "Partnerskapet upphör: <strong>2029-12-31</strong>" in adopted.text


def test_pages_name_their_icon_and_serve_it(web: Any) -> None:
    _log_in(web)
    assert '<link rel="icon" href="/static/favicon.svg"' in web.get("/").text
    icon = web.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.text.startswith("<svg")


def test_the_approval_memo_downloads_as_a_word_document_citing_documents_by_title(web: Any) -> None:
    # SOF 2025/144 3.1: a substantial change of a party's commitments: the styrgrupp, then the
    # förvaltningschef by delegation from the nämnd (reported under 6 kap. 40 § KL).
    _log_in(web)
    page = web.get(
        f"/agreements/{SOF_144}/approvals",
        params={"affects": "commitments", "substantial": "yes", "party": "convictus", "asked": "1"},
    )
    link = re.search(r'id="memo-docx" download href="([^"]+)"', page.text)
    assert link
    memo = web.get(link.group(1).replace("&amp;", "&"))
    assert memo.status_code == 200
    assert memo.headers["content-type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(memo.content)).paragraphs)
    assert "Promemoria: vem måste godkänna ändringen?" in text
    assert "Frågan: åtaganden (Ja, väsentlig); Convictus" in text
    assert "1. Styrgrupp" in text or "Styrgrupp" in text
    assert "på delegation från Socialnämnden" in text
    assert "6 kap. 40 §" in text
    assert "dnr SOF 2025/144" in text
    assert "004_4c23c3bcf5190075.txt" not in text  # documents by title, not file name


def test_an_unreadable_draft_address_is_a_page_not_an_error(web: Any) -> None:
    _log_in(web)
    response = web.get(f"/agreements/{SOF_268}/what-if", params={"events": "[{"})
    assert response.status_code == 404
    assert "not readable" in response.text


def test_the_downloaded_scenario_runs_and_passes(web: Any, tmp_path: Path) -> None:
    events = [{"type": "extension_intent", "date": "2025-10-01", "by": "convictus"}]
    _log_in(web)
    response = web.get(
        f"/agreements/{SOF_144}/what-if/scenario.yaml",
        params={"events": json.dumps(events)},
    )
    assert response.headers["content-disposition"].startswith("attachment;")
    saved = tmp_path / "scenario.yaml"
    saved.write_bytes(response.content)
    assert "rules:" not in response.text  # runs against the bundled rules wherever it is saved
    result = run_scenario(saved)
    assert result.ok, result.failed
    assert len(result.passed) == 1


def test_a_citation_links_to_its_clause_marked_in_the_document(web: Any) -> None:
    quote = "Ändringar och tillägg till partnerskapet inklusive bilagor ska vara skriftliga"
    agreement = LIBRARY[SOF_144]
    doc = agreement.sources[0].doc
    _log_in(web)
    page = web.get(f"/agreements/{SOF_144}/sources/{doc}", params={"quote": quote})
    marked = re.search(r'<mark id="quote">(.*?)</mark>', page.text, re.S)
    assert marked is not None
    assert " ".join(marked.group(1).split()).startswith(quote)


def test_money_per_year_states_what_the_documents_leave_open() -> None:
    agreement = LIBRARY[HELSINGBORG]
    from iop_engine.replay import replay

    rows = {row.year: row for row in views.money_per_year(replay(agreement, []), "sv")}
    assert rows[2025].amount == Decimal("200000.00") and rows[2026].amount == Decimal("200000.00")
    assert rows[2027].amount is None and rows[2028].amount is None
    assert all(row.cites for row in rows.values())
    sof = {row.year: row.amount for row in views.money_per_year(replay(LIBRARY[SOF_268], []), "sv")}
    assert sof == {2026: Decimal("489000.00"), 2027: Decimal("978000.00"), 2028: Decimal("978000.00")}
    assert "200 000,00 kr" == rows[2025].shown
    english = {row.year: row.shown for row in views.money_per_year(replay(agreement, []), "en")}
    assert "SEK 200,000.00" == english[2025]  # the page's language, as the rest of the page


def test_a_form_amount_is_read_the_swedish_way() -> None:
    event = views.event_from_form(
        LIBRARY[SOF_268],
        "payment_made",
        {
            "date": "2026-07-01",
            "f_to": "fralsningsarmen",
            "f_amount": "219 453,66",
            "f_covers_from": "2026-07-01",
            "f_covers_to": "2026-09-30",
        },
    )
    assert event == {
        "type": "payment_made",
        "date": "2026-07-01",
        "to": "fralsningsarmen",
        "amount": "219453.66",
        "covers": {"from": "2026-07-01", "to": "2026-09-30"},
    }


def test_every_event_form_control_is_for_a_field_the_event_accepts() -> None:
    """A form built from the event types, filled with its first option everywhere, is accepted."""
    for agreement in LIBRARY.values():
        for form in views.event_forms(agreement, "sv"):
            values = {}
            for control in form.controls:
                if control.name == "f_affects":
                    values[control.name] = "term"  # a kind of change that may amend the term's end
                elif control.kind == "select" and control.options:
                    values[control.name] = control.options[0][0]
                elif control.kind == "date":
                    values[control.name] = "2026-01-01"
                elif control.kind == "number":
                    values[control.name] = "2026"
                elif control.name == "f_amends_value":
                    values[control.name] = "2026-12-31"  # the first place offered is a date
                else:
                    values[control.name] = "1000"
            if any(c.kind == "select" and not c.options and c.required for c in form.controls):
                continue  # e.g. no party is paid under the agreement: nothing to choose
            event = views.event_from_form(agreement, form.type, values)
            # A change's later steps need its proposal first (the id "1000" filled in above).
            proposal = {
                "type": "change_proposed",
                "date": "2026-01-01",
                "change": "1000",
                "affects": ["term"],
            }
            earlier = [proposal] if form.type.startswith("change_") and form.type != "change_proposed" else []
            views.check_draft(agreement, [*earlier, event])


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_stylesheet_colours_have_sufficient_contrast() -> None:
    """WCAG 2.1 AA: 4.5:1 for text, 3:1 for the focus ring and field borders."""
    colours = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-fA-F]{6})", CSS.read_text(encoding="utf-8")))
    white = "#ffffff"
    for text_colour in ("text", "muted", "link", "error"):
        assert _contrast(colours[text_colour], white) >= 4.5, text_colour
        assert _contrast(colours[text_colour], colours["panel"]) >= 4.5, text_colour
    assert _contrast(white, colours["link"]) >= 4.5  # button text
    assert _contrast(colours["focus"], white) >= 3
    assert _contrast(colours["line"], white) >= 3
    assert _contrast(colours["text"], "#ffe866") >= 4.5  # the marked quote


def test_an_engine_crash_during_a_page_is_a_page_saying_so(tmp_path: Path) -> None:
    from iop_engine.errors import EngineCrashed

    class Crashing:
        def run(self, job: Any) -> Any:
            raise EngineCrashed("the inference core's process failed during this request")

        def close(self) -> None:
            """Nothing to stop."""

    settings = ServiceSettings(database_url=f"sqlite:///{tmp_path / 'c.sqlite3'}")
    app = create_app(settings, engine=Crashing(), environ=TOKENS_ENV)  # type: ignore[arg-type]
    with TestClient(app, follow_redirects=False) as client:
        _log_in(client)
        page = client.get(f"/agreements/{HELSINGBORG}")
        assert page.status_code == 500
        assert page.headers["content-type"].startswith("text/html")
        assert "Beräkningen misslyckades" in page.text and "inference core" in page.text
        api = client.get(f"/v1/agreements/{HELSINGBORG}/timeline", headers=LEGAL)
        assert api.json()["type"] == "urn:iop-engine:problem:engine-crashed"


_FORM_FIELDS = sorted(
    {"date", "add", "remove", "events", "f_covers_from", "f_covers_to"}
    | {f"f_{spec.name}" for specs in EVENT_TYPES.values() for spec in specs}
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    params=st.dictionaries(
        st.sampled_from(_FORM_FIELDS),
        st.one_of(
            st.sampled_from([*EVENT_TYPES, "2026-09-30", "fralsningsarmen", "true", "1", "[]", "[{}]"]),
            st.text(max_size=30),
        ),
        max_size=8,
    )
)
def test_no_what_if_address_is_a_server_error(web: Any, params: dict[str, str]) -> None:
    """Whatever a crafted address holds, the page answers or says what was wrong; never a 500."""
    _log_in(web)
    response = web.get(f"/agreements/{SOF_268}/what-if", params=params)
    assert response.status_code in {200, 303, 404, 422}, response.text[:500]


FEED_SECRET = "feed-secret-" + "s" * 30


@pytest.fixture(scope="module")
def with_feeds(tmp_path_factory: pytest.TempPathFactory, engine: EnginePool) -> Iterator[Any]:
    database = tmp_path_factory.mktemp("feeds") / "feeds.sqlite3"
    environ = {**TOKENS_ENV, "IOP_FEED_SECRET": FEED_SECRET}
    app = create_app(ServiceSettings(database_url=f"sqlite:///{database}"), engine=engine, environ=environ)
    with TestClient(app, follow_redirects=False) as client:
        yield client


def _feed_address(client: Any, agreement_id: str) -> str:
    page = client.get(f"/agreements/{agreement_id}")
    found = re.search(r'<input id="feed" type="text" readonly value="([^"]+)"', page.text)
    assert found is not None, "the agreement page shows no feed address"
    return urlparse(found.group(1)).path


def test_a_calendar_program_subscribes_with_the_address_from_the_page(with_feeds: Any) -> None:
    _log_in(with_feeds)
    address = _feed_address(with_feeds, SOF_268)
    assert address.startswith(f"/v1/feeds/{SOF_268}/")
    with_feeds.cookies.clear()  # a calendar program has neither the cookie nor a token
    feed = with_feeds.get(address)
    assert feed.status_code == 200
    starts = {str(e.decoded("dtstart")) for e in icalendar.Calendar.from_ical(feed.content).walk("VEVENT")}
    assert {"2026-09-30", "2027-09-30"} <= starts


def test_a_feed_key_opens_only_its_agreement(with_feeds: Any) -> None:
    _log_in(with_feeds, CONVICTUS_TOKEN)
    address = _feed_address(with_feeds, SOF_144)
    key = address.rsplit("/", 1)[1]
    assert with_feeds.get(address).status_code == 200
    assert with_feeds.get(f"/v1/feeds/{SOF_268}/{key}").status_code == 404
    assert with_feeds.get(f"/v1/feeds/{SOF_144}/{'0' * 40}.ics").status_code == 404
    assert with_feeds.get(f"/v1/feeds/no-such-agreement/{key}").status_code == 404


def test_without_a_feed_secret_there_are_no_feeds(web: Any) -> None:
    _log_in(web)
    assert 'id="feed"' not in web.get(f"/agreements/{SOF_268}").text
    assert web.get(f"/v1/feeds/{SOF_268}/{'0' * 40}.ics").status_code == 404


def test_a_short_feed_secret_is_refused_at_start() -> None:
    from iop_engine.service.auth import TokenConfigError, load_feed_secret

    with pytest.raises(TokenConfigError, match="IOP_FEED_SECRET has 5 characters"):
        load_feed_secret({"IOP_FEED_SECRET": "short"})
