"""Att bevaka in the service (#17 item 2): lead times saved per user and agreement, the list as
JSON, as a calendar download and as a personal calendar feed. The service's day is 2026-11-23;
nothing is recorded, so Helsingborg's review (due 2026-10-31) is missed and its two years end
2026-12-31 (38 days ahead), its 2027 payment day 2027-01-31 (69 days)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import icalendar
import pytest

from iop_engine import load_library
from iop_engine.service import Settings as ServiceSettings
from iop_engine.service import create_app
from iop_engine.service.engine import EnginePool
from iop_engine.web.pages import COOKIE

from .conftest import CONVICTUS_TOKEN, LEGAL_TOKEN, TOKENS_ENV, TestClient

HELSINGBORG = "helsingborg-iop-2025"
SAME_SITE = {"Sec-Fetch-Site": "same-origin"}
LEGAL = {"Authorization": f"Bearer {LEGAL_TOKEN}"}

pytestmark = pytest.mark.skipif(
    HELSINGBORG not in load_library(), reason="the Helsingborg example is not among the rule files"
)


@pytest.fixture
def web(tmp_path: Any, engine: EnginePool) -> Iterator[Any]:
    settings = ServiceSettings(
        database_url=f"sqlite:///{tmp_path / 'watch.sqlite3'}", today=dt.date(2026, 11, 23)
    )
    environ = {**TOKENS_ENV, "IOP_FEED_SECRET": "watch-feed-secret-" + "w" * 30}
    with TestClient(create_app(settings, engine=engine, environ=environ), follow_redirects=False) as client:
        yield client


def _log_in(web: Any, token: str = LEGAL_TOKEN) -> None:
    web.cookies.clear()
    assert web.post("/login", data={"token": token, "next": "/"}).status_code == 303
    assert COOKIE in web.cookies


def _coming(body: dict[str, Any]) -> dict[str, int]:
    return {
        i["date"]: i["lead"] for i in body["items"] if i["kind"] == "coming" and i["agreement"] == HELSINGBORG
    }


def test_lead_times_saved_on_the_page_decide_what_is_coming(web: Any) -> None:
    assert _coming(web.get("/v1/watch", headers=LEGAL).json()) == {"2026-12-31": 60, "2027-01-31": 90}
    _log_in(web)
    saved = web.post("/watch", data={"lead_all": "30", f"lead_{HELSINGBORG}": "45, 120"}, headers=SAME_SITE)
    assert saved.status_code == 303
    page = web.get("/watch").text
    assert f'id="lead_{HELSINGBORG}" name="lead_{HELSINGBORG}"' in page and 'value="120, 45"' in page
    assert web.get("/v1/watch/lead-times", headers=LEGAL).json() == {
        "default": [30],
        "agreements": {HELSINGBORG: [120, 45]},
    }
    assert _coming(web.get("/v1/watch", headers=LEGAL).json()) == {"2026-12-31": 45, "2027-01-31": 120}
    # A one-off lead in the query overrides the saved ones for that answer only.
    assert _coming(web.get("/v1/watch", headers=LEGAL, params={"lead": 40}).json()) == {"2026-12-31": 40}


def test_a_wrong_lead_time_is_named_and_nothing_is_saved(web: Any) -> None:
    _log_in(web)
    refused = web.post(
        "/watch", data={"lead_all": "30", f"lead_{HELSINGBORG}": "90 dagar"}, headers=SAME_SITE
    )
    assert refused.status_code == 422
    assert "Förvarningstider: ange upp till sex hela antal dagar" in refused.text
    assert re.search(rf'id="lead_{HELSINGBORG}"[^>]*aria-invalid="true"', refused.text, re.S)
    assert 'value="90 dagar"' in refused.text  # what was written comes back, to be corrected
    assert web.get("/v1/watch/lead-times", headers=LEGAL).json() == {
        "default": [90, 60, 30],
        "agreements": {},
    }
    cross_site = web.post("/watch", data={"lead_all": "30"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross_site.status_code == 403


def test_lead_times_are_each_holders_own_and_set_through_the_api(web: Any) -> None:
    put = web.put("/v1/watch/lead-times", headers=LEGAL, json={"days": [14, 7]})
    assert put.status_code == 200 and put.json()["default"] == [14, 7]
    convictus = {"Authorization": f"Bearer {CONVICTUS_TOKEN}"}
    assert web.get("/v1/watch/lead-times", headers=convictus).json()["default"] == [90, 60, 30]
    hidden = web.put("/v1/watch/lead-times", headers=convictus, json={"agreement": HELSINGBORG, "days": [30]})
    assert hidden.status_code == 404  # an agreement the organisation may not see
    assert web.put("/v1/watch/lead-times", headers=LEGAL, json={"days": [0]}).status_code == 422
    assert web.put("/v1/watch/lead-times", headers=LEGAL, json={"days": []}).json()["default"] == [90, 60, 30]


def _events(ics: bytes) -> dict[str, str]:
    return {
        str(e.decoded("dtstart")): str(e["summary"]) for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")
    }


def test_the_list_as_a_calendar_download_and_a_personal_feed(web: Any) -> None:
    downloaded = _events(web.get("/v1/watch.ics", headers=LEGAL).content)
    assert "Passerad utan åtgärd" in downloaded["2026-10-31"]  # the review not recorded
    assert "Kommande" in downloaded["2026-12-31"]
    _log_in(web)
    assert _events(web.get("/watch.ics").content) == downloaded
    found = re.search(r'<input id="feed" type="text" readonly value="([^"]+)"', web.get("/watch").text)
    assert found is not None, "the Att bevaka page shows no feed address"
    address = urlparse(found.group(1)).path
    assert address.startswith("/v1/watch/feed/")
    web.cookies.clear()  # a calendar program has neither the cookie nor a token
    assert _events(web.get(address).content) == downloaded
    key = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert web.get(f"/v1/watch/feed/{'0' * 40}.ics").status_code == 404
    # The key of the watch feed opens no agreement's feed, nor the other way round.
    assert web.get(f"/v1/feeds/{HELSINGBORG}/{key}.ics").status_code == 404
